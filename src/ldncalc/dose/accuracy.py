"""How accurate a home-made dose is: the delivered-dose range, exact.

Three things move the dose a person actually swallows away from the dose at
the mark (DOMAIN.md, "How accurate a home-made dose is"):

- the tablet holds between ``a_low`` and ``a_high`` of its label (USP: 90% to
  110%);
- the water W is measured in n fills of a syringe of graduation g_w, each read
  to half a mark, so it is off by at most ``e_w = n * g_w / 2``;
- the dose v is drawn to a mark read to within ``g / 2``.

The dose is tablet content x drawn volume / water volume, and every part of
that expression moves it one way only, so the worst cases are exact::

    nominal = T*S*v / W
    low     = T*S*a_low  * (v - g/2) / (W + e_w)
    high    = T*S*a_high * (v + g/2) / (W - e_w)

A dilution stage (take A mL of the liquid, add B mL of water) multiplies in
its own factor A / (A + B). That factor grows with A and shrinks with B, so its
worst cases are the smallest aliquot with the most water and the reverse::

    low  = (A - g_A/2) / (A - g_A/2 + B + e_B)
    high = (A + g_A/2) / (A + g_A/2 + B - e_B)

All the factors are positive and independent, so the product of the lows is
the lowest dose and the product of the highs the highest. Everything here is
an exact fraction of mg and mL; nothing is rounded until it is printed, and
then the range is rounded outward (low down, high up) so it never looks
narrower than it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from fractions import Fraction
from math import ceil, floor
from typing import Literal

from ldncalc.dose.kit import Scale
from ldncalc.dose.syringes import CATALOGUE, SMALL_VOLUME_ML, Syringe, is_measurable
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.frozen import frozen
from ldncalc.notation import (
    APPROX,
    decimal_exponent,
    decimal_text,
    format_percent,
    format_volume_ml,
)

__all__ = [
    "DEFAULT_ASSAY",
    "MAX_ASSAY",
    "Assay",
    "DilutionFactor",
    "DoseRange",
    "WaterMeasure",
    "bounds_text",
    "dose_range",
    "is_measurable",
    "measure_water",
    "outward",
    "outward_step",
    "parse_assay",
    "percent_up_text",
    "printed_bounds",
    "range_percent_text",
    "range_text",
    "water_on_marks",
    "weigh_or_measure",
]

MAX_ASSAY = Fraction(2)
"""The most of its label a tablet may be taken to hold (200%); beyond it, refused."""

_MCG_BELOW_MG = Fraction(1, 10)
# Digits the printed range may gain over two significant digits when it is narrow.
_EXTRA_DIGITS = 2
# A printed range spans at least this many steps of its last digit, so rounding
# outward widens it by at most a fifth.
_STEPS_IN_RANGE = 10


def _percent(ratio: Fraction) -> str:
    return format_percent(ratio, signed=False)


@frozen
class Assay:
    """How much of its label a tablet holds, as fractions of 1 (USP: 0.9 to 1.1).

    Raises:
        InvalidInputError: a bound at or below zero, or low above high.
        RefusedError: a bound above 200% of the label.
    """

    low: Fraction = Fraction(9, 10)
    high: Fraction = Fraction(11, 10)

    def __post_init__(self) -> None:
        from ldncalc import inputs

        inputs.exact(self.low, "an Assay's low", "parse_assay('95-105%')")
        inputs.exact(self.high, "an Assay's high", "parse_assay('95-105%')")
        for bound in (self.low, self.high):
            if bound <= 0:
                raise InvalidInputError(
                    f"a tablet's content must be more than 0% of its label, not {_percent(bound)}",
                    code="assay-not-positive",
                )
        if self.low > self.high:
            raise InvalidInputError(
                f"the assay range {_percent(self.low)} to {_percent(self.high)} runs backwards; "
                "write the lower figure first",
                code="assay-backwards",
            )
        if self.high > MAX_ASSAY:
            raise RefusedError(
                f"a tablet holding {_percent(self.high)} of its label is not plausible "
                f"(at most {_percent(MAX_ASSAY)}); check the assay",
                code="assay-implausible",
            )

    @property
    def label(self) -> str:
        """Describe the assay: '90% to 110%', or '100%' for an exact one."""
        if self.low == self.high:
            return _percent(self.low)
        return f"{_percent(self.low)} to {_percent(self.high)}"


DEFAULT_ASSAY = Assay()
"""The USP monograph's limits for naltrexone tablets: 90% to 110% of the label."""

_NUMBER = r"[+-]?[0-9]+(?:\.[0-9]+)?"
_ASSAY_TEXT = re.compile(
    rf"\s*(?P<low>{_NUMBER})\s*(?P<low_pct>%?)"
    rf"(?:\s*(?:-|\u2013|to)\s*(?P<high>{_NUMBER})\s*(?P<high_pct>%?))?\s*"
)


def parse_assay(text: str) -> Assay:
    """Read an assay: ``95-105%``, ``90% to 110%`` or ``100%`` (ASCII digits only).

    Args:
        text: one percentage, or two joined by ``-`` or ``to``; the last one
            carries the ``%`` sign.

    Returns:
        The assay, as fractions of the label.

    Raises:
        InvalidInputError: unreadable, no percent sign, a bound at or below zero,
            or low above high.
        RefusedError: a bound above 200% of the label.
    """
    from ldncalc.inputs import text as checked_text

    match = _ASSAY_TEXT.fullmatch(checked_text(text, "the assay", "95-105%"))
    if match is None or not (match["high_pct"] or (match["high"] is None and match["low_pct"])):
        raise InvalidInputError(
            f"{text!r} is not an assay; write the tablet's content as a percentage of its "
            "label, e.g. 95-105% or 100%",
            code="assay-unreadable",
        )
    low = Fraction(match["low"]) / 100
    high = low if match["high"] is None else Fraction(match["high"]) / 100
    return Assay(low, high)


@frozen
class WaterMeasure:
    """How the water is measured, and so how far off it may be.

    Either ``fills`` fills of ``syringe`` (each read to half a mark, so
    ``error_ml`` is at least ``fills * graduation / 2``), or a stated error
    with no syringe (``syringe=None``, ``fills=0``).
    """

    syringe: Syringe | None
    fills: int
    error_ml: Fraction
    scale: Scale | None = None
    """The scale it is weighed on (``syringe`` None), else None."""
    unweighed: Literal["under-ten-divisions", "syringe-closer"] | None = None
    """Why a scale at hand does not weigh it: 'under-ten-divisions' or 'syringe-closer'."""

    @property
    def weighed(self) -> bool:
        """Return whether the water is weighed on the scale."""
        return self.scale is not None

    def __post_init__(self) -> None:
        if self.error_ml < 0:
            raise InvalidInputError(
                f"a water error cannot be negative ({format_volume_ml(self.error_ml)})",
                code="water-error-negative",
            )
        if self.syringe is None:
            if self.fills != 0:
                raise InvalidInputError(
                    "water measured with no syringe has no fills", code="water-measure"
                )
        elif self.fills < 1 or self.error_ml < self.fills * self.syringe.graduation_ml / 2:
            raise InvalidInputError(
                "water measured with a syringe takes one fill or more, each read to half a mark",
                code="water-measure",
            )

    def weigh_g(self, water_ml: Fraction) -> Fraction | None:
        """Return the reading to weigh ``water_ml`` to, or None when it is not weighed."""
        return None if self.scale is None else self.scale.target_g(water_ml)

    def fill_volumes_ml(self, water_ml: Fraction) -> tuple[Fraction, ...]:
        """Return the mark of each fill: full fills of the syringe, then the rest.

        The rest is the mark nearest what is left. Empty for a stated error.
        """
        if self.syringe is None:
            return ()
        full = self.fills - 1
        rest = self.syringe.snap_ml(water_ml - full * self.syringe.capacity_ml)
        return (self.syringe.capacity_ml,) * full + (rest,)

    @property
    def label(self) -> str:
        """Describe the measure: '5 fills of the 10 mL (0.2 mL marks) syringe, within 0.5 mL'."""
        within = f"within {format_volume_ml(self.error_ml)}"
        if self.scale is not None:
            return f"weighed on {self.scale.label}, {within}"
        if self.syringe is None:
            return within
        fills = "1 fill" if self.fills == 1 else f"{self.fills} fills"
        return f"{fills} of the {self.syringe.label} syringe, {within}"


def _fills(water_ml: Fraction, syringe: Syringe) -> int:
    return max(1, ceil(water_ml / syringe.capacity_ml))


def _check_water_error(water_ml: Fraction, error_ml: Fraction) -> None:
    if error_ml >= water_ml:
        raise RefusedError(
            f"a water error of {format_volume_ml(error_ml)} is not less than the water "
            f"({format_volume_ml(water_ml)}); the dose could be anything",
            code="water-error-too-large",
        )


def water_on_marks(
    water_ml: Fraction,
    syringes: tuple[Syringe, ...] = CATALOGUE,
    *,
    each_fill_measurable: bool = False,
    min_volume_ml: Fraction = SMALL_VOLUME_ML,
) -> WaterMeasure | None:
    """Return the default measure of ``water_ml`` on marks, or None if no syringe puts it there.

    The syringe that needs the fewest fills (full fills, then the rest), ties
    going to the finer graduation, then the smaller syringe. With
    ``each_fill_measurable`` every fill must also be measured well
    (:func:`is_measurable`), as a dilution's water must.
    """
    best: tuple[tuple[int, Fraction, Fraction], Syringe] | None = None
    num, den = water_ml.numerator, water_ml.denominator
    for syringe in syringes:
        mark, capacity = syringe.graduation_ml, syringe.capacity_ml
        if (num * mark.denominator) % (den * mark.numerator):  # off the marks (in integers)
            continue
        fills = max(1, -(-(num * capacity.denominator) // (den * capacity.numerator)))
        rest = water_ml if fills == 1 else water_ml - (fills - 1) * capacity
        if each_fill_measurable and not (
            is_measurable(rest, syringe, min_volume_ml)
            and (fills == 1 or is_measurable(syringe.capacity_ml, syringe, min_volume_ml))
        ):
            continue
        key = (fills, syringe.graduation_ml, syringe.capacity_ml)
        if best is None or key < best[0]:
            best = (key, syringe)
    if best is None:
        return None
    fills, graduation, _ = best[0]
    return WaterMeasure(best[1], fills, fills * graduation / 2)


def measure_water(
    water_ml: Fraction,
    syringes: tuple[Syringe, ...] = CATALOGUE,
    error_ml: Fraction | None = None,
    scale: Scale | None = None,
) -> WaterMeasure:
    """Say how ``water_ml`` is measured, and how far off it may be.

    Args:
        water_ml: the water, in mL.
        syringes: the syringes to measure it with (default the catalogue).
        error_ml: instead of a syringe, the most the water may be off (a jug
            the user vouches for, say).
        scale: a scale to weigh the water on (:func:`weigh_or_measure`).

    Returns:
        With ``error_ml``, that error and no syringe. Otherwise the syringe that
        puts the water on its marks in the fewest fills (ties: the finer
        graduation, then the smaller syringe), off by at most half a mark per
        fill. If no syringe has the water on its marks, the one with the fewest
        fills, whose error also counts the step from the water to its nearest
        mark.

    Raises:
        InvalidInputError: no water, or a negative error.
        RefusedError: an error at or above the water itself.
    """
    if water_ml <= 0:
        raise InvalidInputError(
            f"the water must be more than 0 mL, not {format_volume_ml(water_ml)}",
            code="water-not-positive",
        )
    if error_ml is not None:
        measure = WaterMeasure(None, 0, error_ml)
    else:
        on_marks = water_on_marks(water_ml, syringes)
        if on_marks is not None:
            measure = on_marks
        else:
            syringe = min(
                syringes, key=lambda s: (_fills(water_ml, s), s.graduation_ml, s.capacity_ml)
            )
            fills = _fills(water_ml, syringe)
            full = (fills - 1) * syringe.capacity_ml
            step = abs(syringe.snap_ml(water_ml - full) + full - water_ml)
            measure = WaterMeasure(syringe, fills, fills * syringe.graduation_ml / 2 + step)
    if scale is not None and error_ml is None:
        measure = weigh_or_measure(water_ml, scale, measure)
    _check_water_error(water_ml, measure.error_ml)
    return measure


def weigh_or_measure(water_ml: Fraction, scale: Scale, syringe: WaterMeasure) -> WaterMeasure:
    """Return the water weighed on ``scale``, or measured as ``syringe`` says, with the reason.

    Weighed when it is ten divisions or more and the scale's error is no
    larger than the syringe's; otherwise the syringe's measure says why not.
    """
    if not scale.weighs(water_ml):
        return replace(syringe, unweighed="under-ten-divisions")
    weighed = scale.water_error_ml(water_ml)
    if weighed > syringe.error_ml:
        return replace(syringe, unweighed="syringe-closer")
    return WaterMeasure(None, 0, weighed, scale)


@frozen
class DilutionFactor:
    """One dilution stage as the range sees it: A mL of liquid plus B mL of water.

    ``aliquot_error_ml`` is half the aliquot syringe's graduation;
    ``water_error_ml`` is the water's own ``e_w``.
    """

    aliquot_ml: Fraction
    aliquot_error_ml: Fraction
    water_ml: Fraction
    water_error_ml: Fraction

    def __post_init__(self) -> None:
        if self.aliquot_ml <= 0 or self.water_ml <= 0:
            raise InvalidInputError(
                "a dilution takes more than 0 mL of liquid and more than 0 mL of water",
                code="dilution-not-positive",
            )
        if not 0 <= self.aliquot_error_ml < self.aliquot_ml:
            raise InvalidInputError(
                f"an aliquot of {format_volume_ml(self.aliquot_ml)} cannot be read to within "
                f"{format_volume_ml(self.aliquot_error_ml)}",
                code="aliquot-error",
            )
        if self.water_error_ml < 0:
            raise InvalidInputError("a water error cannot be negative", code="water-error-negative")
        _check_water_error(self.water_ml, self.water_error_ml)

    @property
    def nominal(self) -> Fraction:
        """Return A / (A + B): what the stage multiplies the concentration by."""
        return self.aliquot_ml / (self.aliquot_ml + self.water_ml)

    @property
    def low(self) -> Fraction:
        """Return the smallest factor: the aliquot half a mark short, the water long."""
        a = self.aliquot_ml - self.aliquot_error_ml
        return a / (a + self.water_ml + self.water_error_ml)

    @property
    def high(self) -> Fraction:
        """Return the largest factor: the aliquot half a mark long, the water short."""
        a = self.aliquot_ml + self.aliquot_error_ml
        return a / (a + self.water_ml - self.water_error_ml)


@frozen
class DoseRange:
    """The dose at the mark and the lowest and highest dose it may really be, in mg.

    ``draw_error_ml`` is how far the dose's draw may be off (half a mark per
    fill), ``water_error_ml`` the stock's water error (``water_measure``
    says how it is measured), ``dilution`` the factors of any dilution stages.
    """

    nominal_mg: Fraction
    low_mg: Fraction
    high_mg: Fraction
    assay: Assay
    draw_error_ml: Fraction
    water_error_ml: Fraction
    water_measure: WaterMeasure
    dilution: tuple[DilutionFactor, ...] = ()

    @property
    def range_percent(self) -> Fraction:
        """Return the largest deviation from the nominal dose, in percent (exact)."""
        deviation = max(self.nominal_mg - self.low_mg, self.high_mg - self.nominal_mg)
        return deviation / self.nominal_mg * 100

    @property
    def measuring_low_mg(self) -> Fraction:
        """Return the lowest dose from the measuring alone (the assay taken as 100%)."""
        return self.low_mg / self.assay.low

    @property
    def measuring_high_mg(self) -> Fraction:
        """Return the highest dose from the measuring alone (the assay taken as 100%)."""
        return self.high_mg / self.assay.high

    @property
    def measuring_percent(self) -> Fraction:
        """Return the largest deviation the measuring alone makes, in percent (exact).

        What ranks recipes: the assay is the same for all of them.
        """
        deviation = max(
            self.nominal_mg - self.measuring_low_mg, self.measuring_high_mg - self.nominal_mg
        )
        return deviation / self.nominal_mg * 100


def measuring_share(
    water_ml: Fraction, water_error_ml: Fraction, drawn_ml: Fraction, draw_error_ml: Fraction
) -> Fraction:
    """Return the largest share by which measuring alone moves a dose drawn from a stock.

    The same number as ``dose_range(...).measuring_percent / 100`` for a draw
    with no dilution, in closed form: the high side always deviates more than
    the low side (same numerator, smaller denominator), so it is
    (g/2 * W + v * e) / (v * (W - e)) with the draw's error g/2 and the water's e.
    The recommender ranks thousands of recipes with it.
    """
    return (draw_error_ml * water_ml + drawn_ml * water_error_ml) / (
        drawn_ml * (water_ml - water_error_ml)
    )


def dose_range(
    tablets: int,
    strength_mg: Fraction,
    water: WaterMeasure,
    water_ml: Fraction,
    drawn_ml: Fraction,
    graduation_ml: Fraction,
    assay: Assay = DEFAULT_ASSAY,
    stages: Iterable[DilutionFactor] = (),
    *,
    draw_fills: int = 1,
) -> DoseRange:
    """Return the delivered-dose range of a dose drawn to a mark.

    Args:
        tablets: tablets in the stock.
        strength_mg: the label strength of one tablet.
        water: how the stock's water is measured.
        water_ml: the stock's water.
        drawn_ml: the mark the dose is drawn to (of the stock, or of the last
            dilution when there are stages); the nominal dose is what that mark holds.
        graduation_ml: the graduation of the syringe the dose is drawn with.
        assay: the tablet's content as fractions of its label.
        stages: the dilution stages between the stock and the draw, in order.
        draw_fills: fills of the syringe the draw takes (each read to half a mark).

    Raises:
        InvalidInputError: a count, strength, volume or graduation at or below zero,
            or a draw smaller than its own reading error.
        RefusedError: a water error at or above the water.
    """
    if tablets < 1 or strength_mg <= 0:
        raise InvalidInputError(
            "a stock needs one tablet or more, of a strength above 0 mg", code="stock-empty"
        )
    if water_ml <= 0 or graduation_ml <= 0 or draw_fills < 1:
        raise InvalidInputError(
            "the water, the syringe's graduation and the fills must be more than zero",
            code="range-not-positive",
        )
    _check_water_error(water_ml, water.error_ml)
    draw_error = draw_fills * graduation_ml / 2
    if drawn_ml <= draw_error:
        raise InvalidInputError(
            f"a draw of {format_volume_ml(drawn_ml)} cannot be read on marks every "
            f"{format_volume_ml(graduation_ml)}",
            code="draw-too-small",
        )
    factors = tuple(stages)
    total = tablets * strength_mg
    nominal = total * drawn_ml / water_ml
    low = total * assay.low * (drawn_ml - draw_error) / (water_ml + water.error_ml)
    high = total * assay.high * (drawn_ml + draw_error) / (water_ml - water.error_ml)
    for factor in factors:
        nominal *= factor.nominal
        low *= factor.low
        high *= factor.high
    return DoseRange(nominal, low, high, assay, draw_error, water.error_ml, water, factors)


def outward_step(nominal: Fraction, low: Fraction, high: Fraction) -> Fraction:
    """Return the decimal step a range is printed to.

    Two significant digits of the nominal, one or two more when the range is
    narrow (it must span at least ten steps, so rounding outward widens it by
    a fifth at most), and more still if the low end would otherwise print as 0.
    """
    # The nominal need not lie within: tablets that hold 95% of their label
    # (--assay 95%) deliver less than the label's dose whatever is measured.
    if not 0 < low <= high:
        raise InvalidInputError("a range runs from low to high, above zero", code="range-backwards")
    step = Fraction(10) ** (decimal_exponent(nominal) - 1)
    for _ in range(_EXTRA_DIGITS):
        if high - low >= _STEPS_IN_RANGE * step:
            break
        step /= 10
    while floor(low / step) == 0:
        step /= 10
    return step


def outward(low: Fraction, high: Fraction, step: Fraction) -> tuple[Fraction, Fraction]:
    """Return ``low`` rounded down and ``high`` rounded up to multiples of ``step``."""
    return floor(low / step) * step, ceil(high / step) * step


def printed_bounds(r: DoseRange) -> tuple[Fraction, Fraction]:
    """Return the range's low and high ends as printed: rounded outward, in mg."""
    step = outward_step(r.nominal_mg, r.low_mg, r.high_mg)
    return outward(r.low_mg, r.high_mg, step)


def bounds_text(r: DoseRange) -> str:
    """Write the range's ends in safe notation, rounded outward: '4 to 5.3 mg'.

    Both numbers take the nominal's unit (mcg below 0.1 mg).
    """
    low, high = printed_bounds(r)
    scale, unit = (1000, "mcg") if r.nominal_mg < _MCG_BELOW_MG else (1, "mg")
    low_text, _ = decimal_text(low * scale)
    high_text, _ = decimal_text(high * scale)
    return f"{low_text} to {high_text} {unit}"


def range_text(r: DoseRange) -> str:
    """Write a range in safe notation, rounded outward: '4.6 mg (4 to 5.3 mg)'.

    All three numbers share the nominal's unit (mcg below 0.1 mg); the nominal
    is exact or marked with '≈'.
    """
    from ldncalc.inputs import of_type

    of_type(r, DoseRange, "r")
    scale, unit = (1000, "mcg") if r.nominal_mg < _MCG_BELOW_MG else (1, "mg")
    nominal_text, exact = decimal_text(r.nominal_mg * scale)
    nominal_text = nominal_text if exact else APPROX + nominal_text
    return f"{nominal_text} {unit} ({bounds_text(r)})"


def range_percent_text(r: DoseRange) -> str:
    """Write the range's largest deviation, rounded up to two significant digits: '16%'."""
    return percent_up_text(r.range_percent)


def percent_up_text(percent: Fraction) -> str:
    """Write an upper bound in percent, rounded up to two significant digits: '3.6%'.

    A bound is never printed smaller than it is, so it needs no approximation sign.
    """
    if percent == 0:
        return "0%"
    step = Fraction(10) ** (decimal_exponent(percent) - 1)
    text, _ = decimal_text(ceil(percent / step) * step)
    return text + "%"
