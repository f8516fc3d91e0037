"""The informational-only notice carried by every output."""

DISCLAIMER = (
    "Informational only, not medical advice: the arithmetic is done by ldncalc; your "
    "prescriber decides the dose, and a pharmacist can check how you prepare it."
)
