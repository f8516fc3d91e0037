"""The liquid and what is planned from it: tablets in water, a dose's plan, its warnings.

A preparation is checked once, when it is made (:func:`make_preparation`);
what a dose drawn from it is planned to be (:class:`DosePlan`) is worked out
by :func:`ldncalc.dose.preparation.plan_dose`, which also exports every name
defined here.
"""

from __future__ import annotations

from dataclasses import field
from fractions import Fraction
from math import floor
from typing import Literal, TypeAlias, get_args

from ldncalc import inputs
from ldncalc.dose.accuracy import DoseRange, water_on_marks
from ldncalc.dose.stock import SOLUBILITY_MG_PER_ML
from ldncalc.dose.syringes import CHANGE_NOTED, Measurement, Syringe
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.frozen import frozen
from ldncalc.inputs import Amount
from ldncalc.notation import (
    format_concentration_mg_per_ml,
    format_dose_mg,
    format_percent,
    format_volume_ml,
)

TYPE_CHECKING = False  # (typing's costs start-up: dose imports this module)
if TYPE_CHECKING:
    from ldncalc.dose.dilution import DilutionStage

__all__ = [
    "ADVISORY_CODES",
    "DEFAULT_STRENGTH_MG",
    "DEFAULT_TABLETS",
    "DEFAULT_WATER_ML",
    "LOW_DOSE_RANGE_MG",
    "MARK_REFUSE_ABOVE",
    "MARK_WARN_ABOVE",
    "SOLUBILITY_MG_PER_ML",
    "Advisory",
    "AdvisoryCode",
    "Alternative",
    "DosePlan",
    "Preparation",
    "check_dose_range",
    "dose_for_volume",
    "make_preparation",
    "volume_for_dose",
]

DEFAULT_TABLETS = 1
DEFAULT_STRENGTH_MG = Fraction(50)
DEFAULT_WATER_ML = Fraction(50)
MAX_TABLETS = 10
MAX_STRENGTH_MG = Fraction(100)
MAX_WATER_ML = Fraction(1000)
# The usual low-dose range (project card); above 5 mg is past the LDN range
# named by Toljan & Vrooman (2018) and gets a stronger warning.
LOW_DOSE_RANGE_MG = (Fraction(1, 2), Fraction(9, 2))
STRONG_WARNING_ABOVE_MG = Fraction(5)
# What the nearest mark may change: up to 2% silently noted, up to 10% (the
# tablet's own tolerance, USP) with a warning, beyond that refused.
MARK_WARN_ABOVE = CHANGE_NOTED
MARK_REFUSE_ABOVE = Fraction(10, 100)
# A mark this close to the dose delivers it, when a scale's accuracy is sought.
ON_TARGET = Fraction(1, 100)
GOAL_RANGE_PERCENT = Fraction(5, 2)
"""Issue 26's goal with a 0.1 g scale: delivered within 1%, measured within 2.5%."""
# Water for a concentration that no mark measures goes to the 10 mL syringe's marks.
WATER_MARK_ML = Fraction(1, 5)


# Every code of an advisory, the one list (a result's warnings; a recorded entry's are
# ldncalc.diary.cautions.WarningCode, whose codes a day's advisories carry too).
AdvisoryCode: TypeAlias = Literal[
    "water-on-mark",  # the water for the concentration asked was put on a syringe mark
    "dose-above-5mg",  # well above the low-dose range: check the prescription
    "dose-above-range",  # above the usual low-dose range
    "dose-below-range",  # below the usual low-dose range
    "mcg-or-mg",  # a thousandth of the usual dose: mcg meant as mg?
    "read-as-mg",  # a bare number read as mg
    "syringe-to-get",  # a syringe she does not own would measure it better
    "multiple-fills",  # the volume takes more than one fill
    "small-fill",  # a fill where syringes stop being accurate
    "mark-changes-dose",  # the nearest mark changes the dose noticeably
    "dose-nearby",  # a dose within 1% is drawn: the one asked is measured less well
    "no-exact-preparation",  # no preparation puts every dose on a mark
    "bottle-differs",  # the bottle in use is not the plan's
    "dilution-differs",  # the dilution recorded is not the plan's
    "kit",  # a syringe of the kit cannot measure the plan
    "missed-yesterday",  # the day before's dose was missed: never double
    "doses-on-one-day",  # more than one dose recorded as taken on a day
    "unplanned-dose",  # a dose recorded on a day with none planned
    "not-planned-dose",  # a dose other than the planned one
    "ten-times-planned",  # ten times (or a tenth of) the planned dose
    "above-usual-range",  # a target or dose above the usual low-dose range
    "above-usual-step",  # a rise above the usual step
]
ADVISORY_CODES: tuple[AdvisoryCode, ...] = get_args(AdvisoryCode)


@frozen
class Advisory:
    """A warning about a result: a stable code for programs, a sentence for people.

    ``params`` are the code's parameters, for a renderer that words several of
    them as one ('syringe-to-get': the syringe, the volume and what it spares).
    """

    code: AdvisoryCode
    message: str
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)


@frozen
class Preparation:
    """Tablets dissolved (suspended) in water: what is in the bottle.

    ``asked_mg_per_ml`` is the concentration asked for when its water was put
    on a mark, which changed it (see :func:`make_preparation`); None otherwise.
    """

    tablets: int
    strength_mg: Fraction
    water_ml: Fraction
    asked_mg_per_ml: Fraction | None = field(default=None, compare=False)

    @property
    def advisories(self) -> tuple[Advisory, ...]:
        """Return the note on a concentration changed to put its water on a mark."""
        asked = self.asked_mg_per_ml
        if asked is None:
            return ()
        made = self.concentration_mg_per_ml
        return (
            Advisory(
                "water-on-mark",
                f"{format_concentration_mg_per_ml(asked)} needs "
                f"{format_volume_ml(self.total_mg / asked)} of water, which no syringe mark "
                f"measures: {format_volume_ml(self.water_ml)} gives "
                f"{format_concentration_mg_per_ml(made)} ({format_percent(made / asked - 1)})",
            ),
        )

    @property
    def total_mg(self) -> Fraction:
        """Return the naltrexone in the whole preparation, in mg."""
        return self.tablets * self.strength_mg

    @property
    def concentration_mg_per_ml(self) -> Fraction:
        """Return the concentration as an exact number of mg per mL."""
        return self.total_mg / self.water_ml

    @property
    def label(self) -> str:
        """Describe the preparation: '1 x 50 mg tablet in 50 mL = 1 mg/mL'."""
        noun = "tablet" if self.tablets == 1 else "tablets"
        return (
            f"{self.tablets} x {format_dose_mg(self.strength_mg)} {noun} in "
            f"{format_volume_ml(self.water_ml)} = "
            f"{format_concentration_mg_per_ml(self.concentration_mg_per_ml)}"
        )


def make_preparation(
    tablets: int = DEFAULT_TABLETS,
    strength_mg: Amount = DEFAULT_STRENGTH_MG,
    water_ml: Amount | None = None,
    *,
    concentration_mg_per_ml: Amount | None = None,
) -> Preparation:
    """Return a checked preparation (defaults: 1 x 50 mg tablet in 50 mL).

    Args:
        tablets: whole tablets dissolved, 1 to 10.
        strength_mg: the strength of one tablet ("50 mg", a quantity, or a number of mg).
        water_ml: the water added ("50 mL", a quantity, or a number of mL).
        concentration_mg_per_ml: instead of the water, the concentration wanted
            ("5 mg/mL"). Its water is kept when a syringe of the catalogue has it on
            its marks (10 mL for 5 mg/mL); otherwise it is rounded half up to the
            10 mL syringe's 0.2 mL marks and the concentration is the one that
            water makes, exactly: 3 mg/mL (16.67 mL) becomes 16.6 mL, 3.012 mg/mL.
            ``asked_mg_per_ml`` then keeps what was asked, and ``advisories`` says so.

    Raises:
        InvalidInputError: a value is malformed or out of its range, or both the
            water and the concentration are given.
        ArgumentTypeError: a value of a type the library does not take (a float).
        RefusedError: the concentration would exceed naltrexone's solubility.
    """
    count = inputs.count(tablets, "tablets", 1, MAX_TABLETS)
    strength = inputs.dose_mg(strength_mg, "strength_mg")
    if strength > MAX_STRENGTH_MG:
        raise InvalidInputError(
            f"a naltrexone tablet holds 50 mg (at most {format_dose_mg(MAX_STRENGTH_MG)}), "
            f"not {format_dose_mg(strength)}",
            code="number-out-of-range",
        )
    changed: Fraction | None = None  # the concentration asked, if its water was moved
    if concentration_mg_per_ml is not None:
        if water_ml is not None:
            raise InvalidInputError(
                "give the water or the concentration, not both", code="water-and-concentration"
            )
        asked = inputs.concentration_mg_per_ml(concentration_mg_per_ml)
        water = count * strength / asked
        if water_on_marks(water) is None:
            water = max(floor(water / WATER_MARK_ML + Fraction(1, 2)), 1) * WATER_MARK_ML
            changed = asked
    else:
        water = DEFAULT_WATER_ML if water_ml is None else inputs.volume_ml(water_ml, "water_ml")
    if water > MAX_WATER_ML:
        raise InvalidInputError(
            f"water must be at most {format_volume_ml(MAX_WATER_ML)}, "
            f"not {format_volume_ml(water)}",
            code="number-out-of-range",
        )
    concentration = count * strength / water
    if concentration > SOLUBILITY_MG_PER_ML:
        needed = count * strength / SOLUBILITY_MG_PER_ML
        raise RefusedError(
            f"{format_dose_mg(count * strength)} in {format_volume_ml(water)} is "
            f"{format_concentration_mg_per_ml(concentration)}, above naltrexone's solubility "
            f"(about 100 mg/mL); use at least {format_volume_ml(needed)} of water",
            code="above-solubility",
        )
    return Preparation(count, strength, water, changed)


def volume_for_dose(preparation: Preparation, dose_mg: Amount) -> Fraction:
    """Return the exact volume of ``preparation``, in mL, that holds ``dose_mg``."""
    inputs.of_type(preparation, Preparation, "preparation")
    return inputs.dose_mg(dose_mg) / preparation.concentration_mg_per_ml


def dose_for_volume(preparation: Preparation, volume_ml: Amount) -> Fraction:
    """Return the exact dose, in mg, held in ``volume_ml`` of ``preparation``."""
    inputs.of_type(preparation, Preparation, "preparation")
    return inputs.volume_ml(volume_ml) * preparation.concentration_mg_per_ml


@frozen
class Alternative:
    """A better way to measure a dose than the mark that changes it, and what it may be.

    ``kind`` is "syringe" (``syringe`` names it; ``to_get`` when the catalogue
    does not hold it), "dilution" (of the same stock) or "preparation" (another
    recipe, ``preparation``, that puts the dose on a mark).
    """

    kind: str
    text: str
    range: DoseRange
    syringe: Syringe | None = None
    preparation: Preparation | None = None
    to_get: bool = False


@frozen
class DosePlan:
    """One dose worked out: the liquid it is drawn from, the mark, what it delivers.

    Without a dilution the dose is drawn from the preparation (the stock);
    with one, ``dilution`` lists the stages that make the liquid it is drawn
    from, and ``volume_ml`` is a volume of that last liquid. ``range`` is the
    dose the mark may really deliver, from the tablet's content, the water and
    every reading of a mark. ``alternatives`` are the better ways to measure
    it when the mark changes it by more than 2% (searched once, here).
    """

    dose_mg: Fraction
    preparation: Preparation
    volume_ml: Fraction
    measurement: Measurement
    delivered_mg: Fraction
    advisories: tuple[Advisory, ...]
    range: DoseRange
    dilution: tuple[DilutionStage, ...] = ()
    alternatives: tuple[Alternative, ...] = ()

    @property
    def error(self) -> Fraction:
        """Return the relative error of the delivered dose: (delivered - asked) / asked."""
        return (self.delivered_mg - self.dose_mg) / self.dose_mg

    @property
    def drawn_concentration_mg_per_ml(self) -> Fraction:
        """Return the concentration of the liquid the dose is drawn from."""
        if self.dilution:
            return self.dilution[-1].concentration_mg_per_ml
        return self.preparation.concentration_mg_per_ml


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
