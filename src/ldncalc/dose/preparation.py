"""From tablets and water to a concentration; from a dose to the volume to draw.

All arithmetic is exact: fractions of mg, mL and mg/mL. Amounts given by the
caller are read once, at the edge (:mod:`ldncalc.inputs`); the only rounding
is to a syringe mark (see :mod:`ldncalc.dose.syringes`), and every result says what
that rounding changed. A mark that changes the dose by more than the tablet's
own tolerance (10%) is refused, not printed as an instruction. A mark that
changes it by more than 2% comes with the better ways to measure it
(:func:`alternatives`), each planned here as a dose: a finer syringe, a
dilution, or the recipe that puts it on a mark (:mod:`ldncalc.dose.screening`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from math import floor
from typing import Literal, TypeAlias, get_args

from ldncalc import inputs
from ldncalc.dose.accuracy import (
    DEFAULT_ASSAY,
    Assay,
    DoseRange,
    bounds_text,
    dose_range,
    measure_water,
    water_on_marks,
)
from ldncalc.dose.stock import SOLUBILITY_MG_PER_ML
from ldncalc.dose.syringes import (
    CATALOGUE,
    CHANGE_NOTED,
    CLOSE_DRAW,
    KNOWN_SYRINGES,
    Measurement,
    Syringe,
    draw_directly,
    finer_syringes,
)
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.inputs import Amount
from ldncalc.notation import (
    decimal_text,
    format_concentration_mg_per_ml,
    format_dose_mg,
    format_percent,
    format_volume_ml,
)

TYPE_CHECKING = False  # (typing's costs start-up: dose imports this module)
if TYPE_CHECKING:
    from ldncalc.dose.dilution import DilutionStage
    from ldncalc.dose.kit import Kit, Scale

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
    "alternatives",
    "alternatives_text",
    "check_dose_range",
    "dose_for_volume",
    "make_preparation",
    "plan_dose",
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


@dataclass(frozen=True, slots=True)
class Advisory:
    """A warning about a result: a stable code for programs, a sentence for people."""

    code: AdvisoryCode
    message: str


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


def _misplaced_decimal(dose_mg: Fraction) -> Fraction | None:
    """Return the usual dose that ``dose_mg`` would be with its decimal point moved, if any."""
    low, high = LOW_DOSE_RANGE_MG
    for factor in (10, 100, 1000):
        if low <= dose_mg / factor <= high:
            return dose_mg / factor
    return None


def _input_advisories(dose_text: str | None, dose_mg: Fraction) -> tuple[Advisory, ...]:
    """Return the notes on how a dose typed as text was read."""
    if dose_text is None:
        return ()
    from ldncalc.units import has_unit

    raw = dose_text.strip()
    if not has_unit(raw):
        number, _ = decimal_text(dose_mg)  # as read: 0.010 is shown as 0.01
        return (Advisory("read-as-mg", f"{number} was read as {format_dose_mg(dose_mg)}"),)
    low, high = LOW_DOSE_RANGE_MG
    if "mcg" in raw.lower() or "ug" in raw.lower() or "µg" in raw or "μg" in raw:
        as_mg = dose_mg * 1000
        if low <= as_mg <= high:
            return (
                Advisory(
                    "mcg-or-mg",
                    f"{format_dose_mg(dose_mg)} is a thousandth of the usual dose: did you "
                    f"mean {format_dose_mg(as_mg)}?",
                ),
            )
    return ()


def plan_dose(
    dose_mg: Amount,
    preparation: Preparation | None = None,
    syringe: Syringe | None = None,
    *,
    assay: Assay = DEFAULT_ASSAY,
    water_error_ml: Amount | None = None,
    dilute: bool = False,
    kit: Kit | None = None,
) -> DosePlan:
    """Work out how to measure one dose, diluting the liquid when it must be.

    Args:
        dose_mg: the dose: text ("4.5 mg", "50 mcg"), a quantity, or a number of mg;
            1 mcg or more.
        preparation: the liquid (the stock); default 1 x 50 mg tablet in 50 mL.
        syringe: use this syringe for everything; default the catalogue.
        assay: the tablet's content as fractions of its label (default 90% to 110%).
        water_error_ml: the most the stock's water may be off; default half a mark
            per fill of the catalogue syringe that measures it in the fewest fills.
        dilute: plan a dilution even when the stock could be drawn well.
        kit: what the person measures with: her syringes, chosen among (fewest
            fills, none too small; a dilution only when none draws the dose
            well), and a scale that weighs the water. With a scale and no
            syringes of her own, ldncalc chooses among the catalogue and
            :data:`~ldncalc.dose.syringes.KNOWN_SYRINGES` the syringe that
            measures each dose closest. ``syringe`` overrides its syringes.

    Returns:
        The plan, with its range and warnings. A volume the stock cannot be drawn
        well at (0.1 mL or less, or under 20% of the syringe) gets a dilution of one
        or two stages.

    Raises:
        InvalidInputError: the dose is malformed or not a dose.
        RefusedError: more than the preparation holds, below 1 mcg, no dilution
            measures it, or a nearest mark that changes the dose by more than 10%.
    """
    inputs.of_type(preparation, Preparation, "preparation", optional=True)
    inputs.of_type(syringe, Syringe, "syringe", optional=True)
    inputs.of_type(assay, Assay, "assay")
    if kit is not None:
        from ldncalc.dose.kit import Kit

        inputs.of_type(kit, Kit, "kit")
    prep = preparation if preparation is not None else make_preparation()
    wanted = inputs.dose_mg(dose_mg, "dose_mg")
    notes = _input_advisories(dose_mg if isinstance(dose_mg, str) else None, wanted)
    if wanted > prep.total_mg:
        guess = _misplaced_decimal(wanted)
        hint = (
            f"; did you mean {format_dose_mg(guess)}?"
            if guess is not None
            else "; check the dose, or dissolve more tablets"
        )
        raise RefusedError(
            f"{format_dose_mg(wanted)} is more than the whole preparation holds "
            f"({format_dose_mg(prep.total_mg)}){hint}",
            code="more-than-bottle",
        )
    scale = kit.scale if kit is not None else None
    owned = syringe is not None or (kit is not None and kit.owned)
    syringes = (
        (syringe,)
        if syringe is not None
        else kit.choices
        if owned and kit is not None
        else CATALOGUE + KNOWN_SYRINGES
        if scale is not None
        else CATALOGUE
    )
    closest = scale is not None and not owned
    error = None if water_error_ml is None else inputs.volume_ml(water_error_ml, "water_error_ml")
    volume = wanted / prep.concentration_mg_per_ml
    measurement = (
        None if dilute else draw_directly(volume, syringes, closest=closest, on_mark_first=owned)
    )
    if closest and measurement is not None and _draw_share(measurement) > CLOSE_DRAW:
        # Chosen for the scale's accuracy: a dilution may measure a small draw closer.
        measurement = _closer_undiluted(measurement, wanted, prep, syringes, assay, error, scale)
    to_get = _to_get(volume, measurement, syringes) if owned and kit is not None else ()
    if measurement is None:
        # Too small to draw well (or a dilution was asked for): the search is
        # loaded only here, so an everyday dose does not pay for it.
        from ldncalc.dose.dilution import plan_dilution

        way = plan_dilution(
            wanted,
            prep.tablets,
            prep.strength_mg,
            prep.water_ml,
            syringes=syringes,
            assay=assay,
            water_error_ml=error,
            always=True,
            scale=scale,
            closest=closest,
        )
        measurement = Measurement(
            way.dose_syringe, way.dose_volume_ml, way.dose_volume_ml, way.dose_fills
        )
        advisories = notes + check_dose_range(wanted) + to_get
        return DosePlan(
            wanted,
            prep,
            way.dose_volume_ml,
            measurement,
            way.delivered_mg,
            advisories,
            way.range,
            way.stages,
        )
    if measurement.measured_ml > prep.water_ml:
        raise RefusedError(
            f"the nearest mark ({format_volume_ml(measurement.measured_ml)}) is more than the "
            f"stock holds ({format_volume_ml(prep.water_ml)})",
            code="more-than-bottle",
        )
    change = measurement.change
    ways: tuple[Alternative, ...] = ()
    better = ""
    if abs(change) > MARK_WARN_ABOVE:
        ways = alternatives(volume, measurement.syringe, prep, assay, error)
        better = alternatives_text(ways)
    if abs(change) > MARK_REFUSE_ABOVE:
        raise RefusedError(
            f"the nearest mark ({format_volume_ml(measurement.measured_ml)} on the "
            f"{measurement.syringe.label} syringe) changes {format_dose_mg(wanted)} by "
            f"{format_percent(change)}, more than 10%; {better}",
            code="mark-too-coarse",
        )
    delivered = measurement.measured_ml * prep.concentration_mg_per_ml
    the_range = dose_range(
        prep.tablets,
        prep.strength_mg,
        measure_water(prep.water_ml, CATALOGUE, error, scale),
        prep.water_ml,
        measurement.measured_ml,
        measurement.syringe.graduation_ml,
        assay,
        draw_fills=measurement.fills,
    )
    advisories = (
        notes + check_dose_range(wanted) + _measuring_advisories(measurement, better) + to_get
    )
    return DosePlan(
        wanted, prep, volume, measurement, delivered, advisories, the_range, alternatives=ways
    )


def _draw_share(m: Measurement) -> Fraction:
    """Return the draw's measuring error as a share: half a mark a fill, and the mark's change."""
    return abs(m.change) + m.fills * m.syringe.graduation_ml / 2 / m.measured_ml


def _closer_undiluted(
    m: Measurement,
    dose_mg: Fraction,
    prep: Preparation,
    syringes: tuple[Syringe, ...],
    assay: Assay,
    error: Fraction | None,
    scale: Scale | None,
) -> Measurement | None:
    """Return ``m`` if drawing it measures at least as close as a dilution, else None."""
    from ldncalc.dose.dilution import plan_dilution

    water = measure_water(prep.water_ml, CATALOGUE, error, scale)
    direct = dose_range(
        prep.tablets,
        prep.strength_mg,
        water,
        prep.water_ml,
        m.measured_ml,
        m.syringe.graduation_ml,
        assay,
        draw_fills=m.fills,
    )
    try:
        way = plan_dilution(
            dose_mg,
            prep.tablets,
            prep.strength_mg,
            prep.water_ml,
            syringes=syringes,
            assay=assay,
            water_error_ml=error,
            always=True,
            scale=scale,
            closest=True,
        )
    except RefusedError:
        return m
    # A mark within 1% of the dose is on target (issue 26's goal); beyond, its change counts.
    change = abs(m.change) * 100 if abs(m.change) > ON_TARGET else 0
    return m if direct.measuring_percent + change <= way.range.measuring_percent else None


def _to_get(
    volume_ml: Fraction, drawn: Measurement | None, owned: tuple[Syringe, ...]
) -> tuple[Advisory, ...]:
    """Say once when a catalogue syringe she lacks draws the dose in one good fill."""
    if drawn is not None and drawn.fills == 1:  # a mark off the dose names finer ones itself
        return ()
    other = draw_directly(volume_ml, CATALOGUE)
    if other is None or other.fills > 1 or not other.good or other.syringe in owned:
        return ()
    this = "needs no dilution" if drawn is None else "is one fill"
    return (
        Advisory(
            "syringe-to-get",
            f"with a {other.syringe.label} syringe this {this} "
            f"({format_volume_ml(other.measured_ml)})",
        ),
    )


def _measuring_advisories(m: Measurement, better: str) -> tuple[Advisory, ...]:
    """Return the warnings on a draw; ``better`` names what measures it better."""
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
        if not m.smallest_fill_good:
            found.append(
                Advisory(
                    "small-fill",
                    f"a fill of {format_volume_ml(m.last_fill_ml)} is where syringes stop "
                    f"measuring well (0.1 mL or less, or under 20% of the "
                    f"{format_volume_ml(syringe.capacity_ml)} syringe); a larger syringe "
                    "takes it in fewer, fuller fills",
                )
            )
    if abs(m.change) > MARK_WARN_ABOVE:
        found.append(
            Advisory(
                "mark-changes-dose",
                f"the nearest mark ({format_volume_ml(m.measured_ml)}) changes the dose by "
                f"{format_percent(m.change)}; {better}",
            )
        )
    return tuple(found)


def alternatives(
    volume_ml: Fraction,
    used: Syringe,
    prep: Preparation,
    assay: Assay = DEFAULT_ASSAY,
    water_error_ml: Amount | None = None,
) -> tuple[Alternative, ...]:
    """Return what measures ``volume_ml`` of ``prep`` better than ``used``, with ranges.

    A syringe with finer marks that puts the dose on a mark, if there is one
    (the catalogue's, or one to get); else a dilution of the stock and the
    preparation that puts the dose on a mark best (as ``mix`` ranks them).
    """
    dose_mg = volume_ml * prep.concentration_mg_per_ml
    finer = finer_syringes(volume_ml, used)
    if finer:
        better = finer[0]
        on_mark = plan_dose(dose_mg, prep, better, assay=assay, water_error_ml=water_error_ml)
        to_get = better not in CATALOGUE
        text = f"a {better.label} syringe{', one to get,' if to_get else ''} puts it on a mark"
        return (Alternative("syringe", text, on_mark.range, syringe=better, to_get=to_get),)
    found = []
    try:
        diluted = plan_dose(
            dose_mg, prep, None, assay=assay, water_error_ml=water_error_ml, dilute=True
        )
        found.append(Alternative("dilution", "a dilution measures it", diluted.range))
    except RefusedError:
        pass
    other = _exact_preparation(dose_mg, prep, assay)
    if other is not None:
        text = (
            f"{other.preparation.label} puts it on a mark "
            f"({format_volume_ml(other.measurement.measured_ml)})"
        )
        found.append(Alternative("preparation", text, other.range, preparation=other.preparation))
    return tuple(found)


def alternatives_text(ways: tuple[Alternative, ...]) -> str:
    """Name the better ways to measure a dose (from :func:`alternatives`), each with its range."""
    if not ways:
        return "no syringe of the catalogue, dilution or preparation measures it better"
    texts = "; or ".join(f"{w.text}: {bounds_text(w.range)}" for w in ways)
    return texts if ways[0].kind == "syringe" else f"no syringe puts it on a mark; {texts}"


def _exact_preparation(dose_mg: Fraction, prep: Preparation, assay: Assay) -> DosePlan | None:
    """Return ``dose_mg`` planned on the best preparation that puts it exactly on a mark."""
    return _exact_on(dose_mg, prep.strength_mg, assay)


@cache
def _exact_on(dose_mg: Fraction, strength_mg: Fraction, assay: Assay) -> DosePlan | None:
    """As :func:`_exact_preparation`, for a tablet strength: a pure function, worked out once.

    The recipe is the best that ``mix`` ranks for the dose alone when it puts
    the dose exactly on a mark. The search screens every recipe (a few hundred
    ms); a schedule whose steps share doses, or a process that plans many
    schedules, asks it again.
    """
    from ldncalc.dose.screening import recipes, screen

    doses = (dose_mg,)
    ranked = sorted(
        screen(count, strength_mg, water_ml, doses, CATALOGUE).key
        for count, water_ml in recipes(strength_mg, dose_mg)
    )
    for key in ranked:
        if key.not_exact:
            return None  # the best left does not put it on a mark
        prep = make_preparation(key.tablets, strength_mg, key.water_ml)
        try:
            drawn = plan_dose(dose_mg, prep)
        except RefusedError:  # as mix: a recipe whose dose is refused is no candidate
            continue
        return plan_dose(dose_mg, prep, drawn.measurement.syringe, assay=assay)
    return None
