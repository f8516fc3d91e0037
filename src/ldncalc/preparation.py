"""From tablets and water to a concentration; from a dose to the volume to draw.

All arithmetic is exact: pint quantities whose magnitudes are fractions. The
only rounding is to a syringe mark (see :mod:`ldncalc.syringes`), and every
result says what that rounding changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.notation import (
    format_concentration,
    format_dose,
    format_dose_mg,
    format_percent,
    format_volume,
    format_volume_ml,
)
from ldncalc.syringes import CATALOGUE, Measurement, Syringe, measure
from ldncalc.units import (
    Quantity,
    as_fraction,
    convert,
    parse_dose,
    parse_volume,
    quantity,
    volume,
)

__all__ = [
    "DEFAULT_STRENGTH_MG",
    "DEFAULT_WATER_ML",
    "LOW_DOSE_RANGE_MG",
    "SOLUBILITY_MG_PER_ML",
    "Advisory",
    "DosePlan",
    "Preparation",
    "check_dose_range",
    "dose_for_volume",
    "make_preparation",
    "plan_dose",
    "volume_for_dose",
]

DEFAULT_STRENGTH_MG = Fraction(50)
DEFAULT_WATER_ML = Fraction(50)
MAX_TABLETS = 10
MAX_STRENGTH_MG = Fraction(100)
MAX_WATER_ML = Fraction(1000)
# Naltrexone hydrochloride dissolves at about 100 mg/mL (REVIA label).
SOLUBILITY_MG_PER_ML = Fraction(100)
# The usual low-dose range (project card); above 5 mg is past the LDN range
# named by Toljan & Vrooman (2018) and gets a stronger warning.
LOW_DOSE_RANGE_MG = (Fraction(1, 2), Fraction(9, 2))
STRONG_WARNING_ABOVE_MG = Fraction(5)
# Measuring limits (Jordan et al. 2021; Arenas-López et al. 2017).
SMALL_FILL_SHARE = Fraction(1, 5)
SMALL_VOLUME_ML = Fraction(1, 10)
SNAP_CHANGE_LIMIT = Fraction(2, 100)


@dataclass(frozen=True, slots=True)
class Advisory:
    """A warning about a result: a stable code for programs, a sentence for people."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Preparation:
    """Tablets dissolved (suspended) in water: what is in the bottle."""

    tablets: int
    strength: Quantity
    water: Quantity

    @property
    def total(self) -> Quantity:
        """Return the naltrexone in the whole preparation."""
        return convert(self.tablets * self.strength, "mg")

    @property
    def concentration(self) -> Quantity:
        """Return the concentration in mg/mL."""
        return convert(self.total / self.water, "mg/mL")

    @property
    def concentration_mg_per_ml(self) -> Fraction:
        """Return the concentration as an exact number of mg per mL."""
        return as_fraction(self.concentration, "mg/mL")

    @property
    def label(self) -> str:
        """Describe the preparation: '1 x 50 mg tablet in 50 mL = 1 mg/mL'."""
        noun = "tablet" if self.tablets == 1 else "tablets"
        return (
            f"{self.tablets} x {format_dose(self.strength)} {noun} in "
            f"{format_volume(self.water)} = {format_concentration(self.concentration)}"
        )


def make_preparation(
    tablets: int = 1,
    strength: Quantity | str | None = None,
    water: Quantity | str | None = None,
) -> Preparation:
    """Return a checked preparation (defaults: 1 x 50 mg tablet in 50 mL).

    Args:
        tablets: whole tablets dissolved, 1 to 10.
        strength: the strength of one tablet, as a quantity or text ("50 mg").
        water: the water added, as a quantity or text ("50 mL").

    Raises:
        InvalidInputError: a value is malformed or out of its range.
        RefusedError: the concentration would exceed naltrexone's solubility.
    """
    if isinstance(tablets, bool) or not isinstance(tablets, int):
        raise InvalidInputError(f"tablets must be a whole number, not {tablets!r}")
    if not 1 <= tablets <= MAX_TABLETS:
        raise InvalidInputError(f"tablets must be 1 to {MAX_TABLETS}, not {tablets}")
    strength_q = _as_quantity(strength, DEFAULT_STRENGTH_MG, parse_dose, "mg")
    water_q = _as_quantity(water, DEFAULT_WATER_ML, parse_volume, "mL")
    strength_mg = as_fraction(strength_q, "mg")
    water_ml = as_fraction(water_q, "mL")
    if not 0 < strength_mg <= MAX_STRENGTH_MG:
        raise InvalidInputError(
            f"a naltrexone tablet holds 50 mg (at most {format_dose_mg(MAX_STRENGTH_MG)}), "
            f"not {format_dose_mg(strength_mg)}"
        )
    if not 0 < water_ml <= MAX_WATER_ML:
        raise InvalidInputError(
            f"water must be more than 0 mL and at most {format_volume_ml(MAX_WATER_ML)}, "
            f"not {format_volume_ml(water_ml)}"
        )
    preparation = Preparation(tablets, strength_q, water_q)
    concentration = preparation.concentration_mg_per_ml
    if concentration > SOLUBILITY_MG_PER_ML:
        needed = tablets * strength_mg / SOLUBILITY_MG_PER_ML
        raise RefusedError(
            f"{format_dose_mg(tablets * strength_mg)} in {format_volume_ml(water_ml)} is "
            f"{format_dose_mg(concentration)}/mL, above naltrexone's solubility (about "
            f"100 mg/mL); use at least {format_volume_ml(needed)} of water"
        )
    return preparation


def _as_quantity(
    value: Quantity | str | None,
    default: Fraction,
    parse: Callable[[str], Quantity],
    unit: str,
) -> Quantity:
    if value is None:
        return quantity(default, unit)
    if isinstance(value, str):
        return parse(value)
    return convert(value, unit)


def volume_for_dose(preparation: Preparation, dose_q: Quantity) -> Quantity:
    """Return the exact volume of ``preparation`` that holds ``dose_q``."""
    return convert(dose_q / preparation.concentration, "mL")


def dose_for_volume(preparation: Preparation, volume_q: Quantity) -> Quantity:
    """Return the exact dose held in ``volume_q`` of ``preparation``."""
    return convert(volume_q * preparation.concentration, "mg")


@dataclass(frozen=True, slots=True)
class DosePlan:
    """One dose worked out: the exact volume, the mark to draw to, what it delivers."""

    dose: Quantity
    preparation: Preparation
    volume: Quantity
    measurement: Measurement
    delivered: Quantity
    advisories: tuple[Advisory, ...]

    @property
    def dose_mg(self) -> Fraction:
        """Return the dose asked for, in mg."""
        return as_fraction(self.dose, "mg")

    @property
    def delivered_mg(self) -> Fraction:
        """Return the dose the mark really delivers, in mg."""
        return as_fraction(self.delivered, "mg")

    @property
    def error(self) -> Fraction:
        """Return the relative error of the delivered dose: (delivered - asked) / asked."""
        return (self.delivered_mg - self.dose_mg) / self.dose_mg


def check_dose_range(dose_mg: Fraction) -> tuple[Advisory, ...]:
    """Return the warnings for a dose outside the usual low-dose range."""
    low, high = LOW_DOSE_RANGE_MG
    usual = f"the usual low-dose range ({format_dose_mg(low)} to {format_dose_mg(high)})"
    if dose_mg > STRONG_WARNING_ABOVE_MG:
        return (
            Advisory(
                "dose-above-5mg",
                f"{format_dose_mg(dose_mg)} is well above {usual}: check the prescription "
                "for a misplaced decimal point or mg read as mL",
            ),
        )
    if dose_mg > high:
        return (Advisory("dose-above-range", f"{format_dose_mg(dose_mg)} is above {usual}"),)
    if dose_mg < low:
        return (Advisory("dose-below-range", f"{format_dose_mg(dose_mg)} is below {usual}"),)
    return ()


def plan_dose(
    dose_q: Quantity | str,
    preparation: Preparation | None = None,
    syringe: Syringe | None = None,
) -> DosePlan:
    """Work out how to measure one dose.

    Args:
        dose_q: the dose, as a quantity or text ("4.5 mg", "4500 mcg").
        preparation: the liquid; default 1 x 50 mg tablet in 50 mL.
        syringe: use this syringe; default the smallest catalogue syringe that holds it.

    Returns:
        The plan, with its warnings.

    Raises:
        InvalidInputError: the dose is malformed or not a dose.
        RefusedError: more than the preparation holds, or too small to measure.
    """
    prep = preparation if preparation is not None else make_preparation()
    wanted = parse_dose(dose_q) if isinstance(dose_q, str) else convert(dose_q, "mg")
    dose_mg = as_fraction(wanted, "mg")
    if dose_mg <= 0:
        raise InvalidInputError(f"a dose must be more than zero, not {format_dose_mg(dose_mg)}")
    total_mg = as_fraction(prep.total, "mg")
    if dose_mg > total_mg:
        raise RefusedError(
            f"{format_dose_mg(dose_mg)} is more than the whole preparation holds "
            f"({format_dose_mg(total_mg)}); check the dose, or dissolve more tablets"
        )
    syringes = (syringe,) if syringe is not None else CATALOGUE
    volume_q = volume_for_dose(prep, wanted)
    volume_ml = as_fraction(volume_q, "mL")
    finest = min(s.graduation_ml for s in syringes)
    if volume_ml < finest / 2:
        factor = ceil(finest / volume_ml)
        water_needed = as_fraction(prep.water, "mL") * factor
        too_small = (
            f"{format_dose_mg(dose_mg)} is {format_volume_ml(volume_ml)} of the "
            f"{format_concentration(prep.concentration)} liquid, less than half the finest "
            f"mark ({format_volume_ml(finest)})"
        )
        if water_needed > MAX_WATER_ML:
            raise RefusedError(
                f"{too_small}; no preparation ldncalc supports can measure it: check the dose"
            )
        raise RefusedError(
            f"{too_small}; make the liquid at least {factor} times more dilute (e.g. "
            f"{prep.tablets} x {format_dose(prep.strength)} in {format_volume_ml(water_needed)})"
        )
    measurement = measure(volume_ml, syringes)
    delivered = dose_for_volume(prep, volume(measurement.measured_ml))
    advisories = check_dose_range(dose_mg) + _measuring_advisories(measurement)
    return DosePlan(wanted, prep, volume_q, measurement, delivered, advisories)


def _measuring_advisories(m: Measurement) -> tuple[Advisory, ...]:
    found: list[Advisory] = []
    syringe = m.syringe
    if m.fills > 1:
        found.append(
            Advisory(
                "multiple-fills",
                f"{format_volume_ml(m.volume_ml)} does not fit a "
                f"{format_volume_ml(syringe.capacity_ml)} syringe in one fill: it takes "
                f"{m.fills} fills; a stronger preparation would need fewer",
            )
        )
    if m.volume_ml <= SMALL_VOLUME_ML:
        found.append(
            Advisory(
                "small-volume",
                f"{format_volume_ml(m.volume_ml)} is at or below 0.1 mL, where oral syringes "
                "are inaccurate; a more dilute preparation is safer",
            )
        )
    if m.fills == 1 and m.fill_fraction < SMALL_FILL_SHARE:
        found.append(
            Advisory(
                "small-fill",
                f"{format_volume_ml(m.measured_ml)} fills less than 20% of the "
                f"{format_volume_ml(syringe.capacity_ml)} syringe: errors above 5% are more "
                "likely; use a smaller syringe if you have one",
            )
        )
    if abs(m.change) > SNAP_CHANGE_LIMIT:
        found.append(
            Advisory(
                "mark-changes-dose",
                f"the nearest mark ({format_volume_ml(m.measured_ml)}) changes the dose by "
                f"{format_percent(m.change)}; a preparation that puts the dose on a mark "
                "is safer (ldncalc mix finds one)",
            )
        )
    return tuple(found)
