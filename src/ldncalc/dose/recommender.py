"""Find the preparation that measures a set of doses best.

The space searched is small and finite (1 to 3 tablets, whole-mL water volumes
from 5 to 250 mL), so the search looks at every point of it and ranks them.
Each dose is measured by :func:`ldncalc.dose.syringes.measure`, the one truth for a
mark, what it changes and what counts as a good measurement:

1. exact preparations first: every dose is a good measurement (on a mark of
   the syringe chosen for it, in one fill, above 0.1 mL and at 20% or more of
   that syringe);
2. then the smallest worst-case measuring range over the doses: how far the
   dose at the mark may be off from the water's measure and the reading of the
   mark (:func:`ldncalc.dose.accuracy.dose_range` with the tablet's content left
   out, since it is the same for every recipe), plus what snapping to the
   nearest mark changes (zero for an exact preparation);
3. ties go to a round concentration (fewest decimal places), then fewer
   tablets, then less water.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from ldncalc import inputs
from ldncalc.dose.accuracy import measure_water, measuring_share
from ldncalc.dose.preparation import (
    DEFAULT_STRENGTH_MG,
    LOW_DOSE_RANGE_MG,
    SOLUBILITY_MG_PER_ML,
    Advisory,
    DosePlan,
    Preparation,
    check_dose_range,
    make_preparation,
    plan_dose,
)
from ldncalc.dose.syringes import CATALOGUE, Syringe, choose_syringe, measure
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.inputs import Amount
from ldncalc.notation import decimal_places, format_dose_mg

__all__ = [
    "DEFAULT_DOSES_MG",
    "Candidate",
    "RankKey",
    "Recommendation",
    "dose_steps",
    "rank_key",
    "recommend",
]

# The doses of the default table and of mix: 0.5 mg to 4.5 mg in 0.5 mg steps.
DEFAULT_DOSES_MG = (LOW_DOSE_RANGE_MG[0], LOW_DOSE_RANGE_MG[1], Fraction(1, 2))
TABLETS_SEARCHED = (1, 2, 3)
WATER_SEARCHED_ML = (5, 250)
MAX_DOSES = 100
MAX_TOP = 50
NEVER_ENDS = 99  # "decimal places" of a concentration that never ends
UNMEASURABLE = Fraction(10**9)  # the error of a dose no mark can measure


@dataclass(frozen=True, slots=True)
class Candidate:
    """One preparation and how well it measures every dose.

    ``worst_error`` is the largest measuring range (as a share of the dose, the
    tablet's content left out) plus the mark's change, over the doses;
    ``worst_range`` the largest range with the tablet's content too.
    """

    preparation: Preparation
    plans: tuple[DosePlan, ...]
    exact: bool
    worst_error: Fraction
    worst_reading_error: Fraction

    @property
    def worst_range(self) -> Fraction:
        """Return the largest delivered-dose range over the doses, as a share of the dose."""
        return max(p.range.range_percent for p in self.plans) / 100


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The ranked candidates for a set of doses, best first."""

    doses_mg: tuple[Fraction, ...]
    candidates: tuple[Candidate, ...]
    searched: int
    advisories: tuple[Advisory, ...]

    @property
    def exact_found(self) -> bool:
        """Return whether the best candidate puts every dose exactly on a mark."""
        return bool(self.candidates) and self.candidates[0].exact


def dose_steps(start_mg: Amount, stop_mg: Amount, step_mg: Amount) -> tuple[Fraction, ...]:
    """Return start, start + step, ... up to stop; stop itself is always the last dose.

    Raises:
        InvalidInputError: a non-positive value, start above stop, or too many doses.
    """
    start = inputs.dose_mg(start_mg, "start_mg")
    stop = inputs.dose_mg(stop_mg, "stop_mg")
    step = inputs.dose_mg(step_mg, "step_mg")
    if start > stop:
        raise InvalidInputError(
            f"the range starts above its end ({format_dose_mg(start)} > {format_dose_mg(stop)})"
        )
    count = int((stop - start) / step) + 1
    if count > MAX_DOSES:
        raise InvalidInputError(
            f"that range has {count} doses; choose a larger step (at most {MAX_DOSES} doses)"
        )
    doses = [start + i * step for i in range(count)]
    if doses[-1] != stop:
        doses.append(stop)
    return tuple(doses)


class RankKey(NamedTuple):
    """How one preparation ranks; it sorts as a tuple, smaller is better."""

    not_exact: int
    off_mark: int  # doses that are not a good measurement
    worst_error: Fraction
    worst_reading_error: Fraction
    places: int  # the concentration's decimal places (99 if it never ends)
    tablets: int
    water_ml: Fraction


def rank_key(
    tablets: int,
    strength_mg: Fraction,
    water_ml: Fraction,
    doses_mg: tuple[Fraction, ...],
    syringes: tuple[Syringe, ...] = CATALOGUE,
) -> RankKey:
    """Return how one preparation ranks for measuring ``doses_mg``."""
    concentration = tablets * strength_mg / water_ml
    water_error = measure_water(water_ml).error_ml
    bad = 0
    worst = worst_reading = Fraction(0)
    for dose_mg in doses_mg:
        try:
            m = measure(dose_mg / concentration, syringes)
        except RefusedError:  # below half the finest mark: ranks after everything
            return RankKey(1, len(doses_mg), UNMEASURABLE, UNMEASURABLE, NEVER_ENDS, 0, water_ml)
        draw_error = m.fills * m.syringe.graduation_ml / 2
        share = measuring_share(water_ml, water_error, m.measured_ml, draw_error)
        bad += not m.good
        worst = max(worst, abs(m.change) + share)
        worst_reading = max(worst_reading, m.reading_uncertainty)
    places = decimal_places(concentration)
    return RankKey(
        int(bad > 0),
        bad,
        worst,
        worst_reading,
        NEVER_ENDS if places is None else places,
        tablets,
        water_ml,
    )


def recommend(
    doses_mg: Iterable[Amount],
    tablets: int | None = None,
    strength_mg: Amount = DEFAULT_STRENGTH_MG,
    syringes: tuple[Syringe, ...] = CATALOGUE,
    top: int = 5,
) -> Recommendation:
    """Rank every preparation in the search space for measuring ``doses_mg``.

    Args:
        doses_mg: the doses to measure (text, quantities or numbers of mg).
        tablets: search only this many tablets (default: 1, 2 and 3).
        strength_mg: the strength of one tablet.
        syringes: the syringes available (default: the catalogue).
        top: how many candidates to return, 1 to 50.

    Raises:
        InvalidInputError: no doses, or ``top`` out of its range.
    """
    doses = tuple(inputs.dose_mg(d, "doses_mg") for d in doses_mg)
    if not doses:
        raise InvalidInputError("give at least one dose")
    top = inputs.count(top, "top", 1, MAX_TOP)
    # A preparation of the tablets asked for checks their count and strength.
    checked = make_preparation(1 if tablets is None else tablets, strength_mg)
    strength = checked.strength_mg
    counts = (tablets,) if tablets is not None else TABLETS_SEARCHED
    first, last = WATER_SEARCHED_ML
    keyed = []
    for count in counts:
        for water in range(first, last + 1):
            water_ml = Fraction(water)
            if count * strength / water_ml > SOLUBILITY_MG_PER_ML:
                continue
            if max(doses) > count * strength:
                continue
            keyed.append(rank_key(count, strength, water_ml, doses, syringes))
    keyed.sort()
    advisories: list[Advisory] = []
    for dose_mg in doses:
        advisories.extend(check_dose_range(dose_mg))
    candidates: list[Candidate] = []
    for key in keyed:
        if len(candidates) == top or key.worst_error >= UNMEASURABLE:
            break
        candidate = _candidate(strength, key, doses, syringes)
        if candidate is not None:
            candidates.append(candidate)
    if candidates and not candidates[0].exact:
        advisories.append(
            Advisory(
                "no-exact-preparation",
                "no preparation puts every dose exactly on a syringe mark; the best there "
                "is comes first, with the warnings for each dose",
            )
        )
    return Recommendation(doses, tuple(candidates), len(keyed), tuple(advisories))


def _candidate(
    strength_mg: Fraction,
    key: RankKey,
    doses_mg: tuple[Fraction, ...],
    syringes: tuple[Syringe, ...],
) -> Candidate | None:
    """Return the candidate of ``key``, or None if a dose of it would be refused."""
    prep = make_preparation(key.tablets, strength_mg, key.water_ml)
    concentration = prep.concentration_mg_per_ml
    try:
        plans = tuple(
            plan_dose(d, prep, choose_syringe(d / concentration, syringes)) for d in doses_mg
        )
    except RefusedError:  # a mark that changes a dose too much is no candidate
        return None
    return Candidate(prep, plans, key.not_exact == 0, key.worst_error, key.worst_reading_error)
