"""What a person measures with: the syringes she owns and a kitchen scale.

A :class:`Kit` is passed to the dose wing as it is (``plan_dose(..., kit=...)``):
its syringes are the ones every instruction chooses among; its scale, if any,
weighs the water of the stock and of each dilution.

Weighing (DOMAIN.md, "Weighing the water"): a scale with divisions of ``d``
grams, read to half a division and accurate to ``a`` grams (one division
unless stated), weighs ``G`` grams within ``e = d/2 + a``. Water's density
at room temperature (0.997 g/mL at 25 °C to 0.998 at 20 °C) is applied at
its middle, 0.9975 g/mL (50 mL: weigh 49.9 g on a 0.1 g scale), and what is
left of it is counted in the range: ``G`` grams are between
``(G - e) / 0.998`` and ``(G + e) / 0.997`` mL. Below ten divisions a
reading is unreliable, and such water is measured with a syringe.
"""

from __future__ import annotations

from fractions import Fraction

from ldncalc.dose.syringes import CATALOGUE, Syringe
from ldncalc.errors import InvalidInputError
from ldncalc.frozen import frozen
from ldncalc.notation import decimal_text

__all__ = [
    "DENSITY_HIGH_G_PER_ML",
    "DENSITY_LOW_G_PER_ML",
    "DENSITY_MID_G_PER_ML",
    "WEIGH_MIN_DIVISIONS",
    "Kit",
    "Scale",
    "parse_scale",
    "scale_grams",
]

DENSITY_LOW_G_PER_ML = Fraction(997, 1000)
"""Water's density at 25 °C."""
DENSITY_HIGH_G_PER_ML = Fraction(998, 1000)
"""Water's density at 20 °C."""
DENSITY_MID_G_PER_ML = (DENSITY_LOW_G_PER_ML + DENSITY_HIGH_G_PER_ML) / 2
"""The density applied to weigh water: the middle of 20 to 25 °C."""
WEIGH_MIN_DIVISIONS = 10
"""Below this many divisions a scale's reading is unreliable: a syringe measures it."""
MAX_DIVISION_G = Fraction(10)
MIN_DIVISION_G = Fraction(1, 1000)


def _grams(value: Fraction) -> str:
    return decimal_text(value)[0] + " g"


@frozen
class Scale:
    """A kitchen scale: its division (resolution) and its accuracy, in grams.

    ``accuracy_g`` None means one division. Raises InvalidInputError for a
    division at or below zero, finer than 0.001 g or coarser than 10 g, or a
    negative accuracy.
    """

    division_g: Fraction
    accuracy_g: Fraction | None = None

    def __post_init__(self) -> None:
        from ldncalc import inputs

        reader = "parse_scale('0.1g')"
        inputs.exact(self.division_g, "a Scale's division_g", reader)
        if self.accuracy_g is not None:
            inputs.exact(self.accuracy_g, "a Scale's accuracy_g", reader)
        if not MIN_DIVISION_G <= self.division_g <= MAX_DIVISION_G:
            raise InvalidInputError(
                f"a kitchen scale reads in divisions of {_grams(MIN_DIVISION_G)} to "
                f"{_grams(MAX_DIVISION_G)}, not {_grams(self.division_g)}",
                code="scale-invalid",
            )
        if self.accuracy_g is not None and not 0 <= self.accuracy_g <= 100 * self.division_g:
            raise InvalidInputError(
                f"a scale's accuracy must be 0 g or more (and at most 100 divisions), not "
                f"{_grams(self.accuracy_g)}",
                code="scale-invalid",
            )

    @property
    def accuracy(self) -> Fraction:
        """Return how far the scale may be off, in grams (one division unless stated)."""
        return self.division_g if self.accuracy_g is None else self.accuracy_g

    @property
    def error_g(self) -> Fraction:
        """Return the most a weighing may be off: half a division read plus the accuracy."""
        return self.division_g / 2 + self.accuracy

    @property
    def label(self) -> str:
        """Name the scale: 'the 0.1 g scale'."""
        return f"the {_grams(self.division_g)} scale"

    def weighs(self, water_ml: Fraction) -> bool:
        """Return whether ``water_ml`` is at least ten divisions (a reading to trust)."""
        return water_ml * DENSITY_LOW_G_PER_ML >= WEIGH_MIN_DIVISIONS * self.division_g

    def water_error_ml(self, water_ml: Fraction) -> Fraction:
        """Return the most ``water_ml``, weighed as that many grams, may be off, in mL.

        The reading ``G`` (:meth:`target_g`) is off by at most ``e`` (half a
        division and the accuracy), and a gram of water is 1/0.998 to 1/0.997 mL
        (20 to 25 °C), so the water is between (G - e) / 0.998 and
        (G + e) / 0.997 mL: the larger distance from ``water_ml`` is the error.
        """
        grams = self.target_g(water_ml)
        high = (grams + self.error_g) / DENSITY_LOW_G_PER_ML - water_ml
        low = water_ml - (grams - self.error_g) / DENSITY_HIGH_G_PER_ML
        return max(high, low)

    def target_g(self, water_ml: Fraction) -> Fraction:
        """Return the reading to weigh ``water_ml`` to: its weight at the nearest division.

        Water's density is applied, at the middle of 20 to 25 °C (0.9975 g/mL):
        50 mL is weighed as 49.9 g on a 0.1 g scale, 50 g on a 1 g scale.
        """
        from ldncalc.notation import round_half_up

        return round_half_up(water_ml * DENSITY_MID_G_PER_ML, self.division_g)

    def reading_text(self, grams: Fraction) -> str:
        """Return what the scale shows for ``grams``: '50.0 g' on a 0.1 g scale."""
        places = max(0, -_exponent(self.division_g))
        whole = grams.numerator * 10**places // grams.denominator
        text = str(whole).rjust(places + 1, "0")
        return (text[:-places] + "." + text[-places:] if places else text) + " g"


def _exponent(value: Fraction) -> int:
    """Return the power of ten of ``value``'s last digit: -1 for 0.1, 0 for 1 or 2."""
    exponent = 0
    while (value * Fraction(10) ** -exponent).denominator != 1:
        exponent -= 1
    return exponent


def scale_grams(value: str | Fraction, what: str) -> Fraction:
    """Read an amount of a scale such as ``0.1g`` (a Fraction is grams); return exact grams.

    Raises:
        InvalidInputError: unreadable, not a mass, or no unit (``scale-invalid``).
    """
    from ldncalc.units import has_unit, read_grams

    if isinstance(value, Fraction):
        return value
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{what} must be text such as 0.1g, not {value!r}", code="scale-invalid"
        )
    if not has_unit(value):
        raise InvalidInputError(
            f"{what} needs its unit: write 0.1g, not {value.strip()!r}", code="scale-invalid"
        )
    try:
        grams = read_grams(value)
    except InvalidInputError as exc:
        if exc.code == "dose-not-positive":  # said of a dose: a scale's words instead
            raise InvalidInputError(
                f"{what} must be more than zero, not {value.strip()}", code="scale-invalid"
            ) from exc
        raise InvalidInputError(f"{what}: {exc}", code="scale-invalid") from exc
    return grams


def parse_scale(text: str, accuracy: str | None = None) -> Scale:
    """Read a scale such as ``0.1g`` (its division), with an accuracy such as ``0.2g``.

    Raises:
        InvalidInputError: unreadable, not a mass, no unit, or out of range.
    """
    return Scale(
        scale_grams(text, "a scale's division"),
        None if accuracy is None else scale_grams(accuracy, "a scale's accuracy"),
    )


@frozen
class Kit:
    """What a person measures with: her syringes (empty: ldncalc chooses) and a scale.

    ``owned`` is whether the syringes are hers (say so when one she lacks
    would do better) or the ones ldncalc may choose from.
    """

    syringes: tuple[Syringe, ...] = ()
    scale: Scale | None = None

    def __post_init__(self) -> None:
        # Text is read by the parsers, never here: a Kit holds what they return.
        from ldncalc.errors import ArgumentTypeError, shown

        if not isinstance(self.syringes, tuple | list):
            raise ArgumentTypeError(
                f"a Kit's syringes must be a tuple of Syringe, not {shown(self.syringes)}; "
                "parse_syringe('5mL:0.1mL') reads one"
            )
        for syringe in self.syringes:
            if not isinstance(syringe, Syringe):
                raise ArgumentTypeError(
                    f"a Kit's syringes must each be a Syringe, not {shown(syringe)}; "
                    "parse_syringe('5mL:0.1mL') reads one from text"
                )
        object.__setattr__(self, "syringes", tuple(self.syringes))  # a list: hashable
        if self.scale is not None and not isinstance(self.scale, Scale):
            raise ArgumentTypeError(
                f"a Kit's scale must be a Scale or None, not {shown(self.scale)}; "
                "parse_scale('0.1g') reads one from text"
            )

    @property
    def owned(self) -> bool:
        """Return whether the syringes are the person's own (some were named)."""
        return bool(self.syringes)

    @property
    def choices(self) -> tuple[Syringe, ...]:
        """Return the syringes to choose among: hers, else the catalogue."""
        return tuple(dict.fromkeys(self.syringes)) if self.syringes else CATALOGUE
