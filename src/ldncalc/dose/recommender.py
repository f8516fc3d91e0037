"""Find the preparation that measures a set of doses best.

The space searched is small and finite (1 to 3 tablets, whole-mL water volumes
from 5 to 250 mL), so the search looks at every point of it and ranks them.
Each dose is measured by :func:`ldncalc.dose.syringes.measure`, the one truth for a
mark, what it changes and what counts as a good measurement:

1. exact preparations first: every dose is a good measurement (on a mark of
   the syringe chosen for it, in one fill, above 0.1 mL and at 20% or more of
   that syringe);
2. then the fewest doses that are not (a dose the stock cannot be drawn well
   at is diluted, as ``dose`` does, and counts as one that is not);
3. then the smallest worst-case measuring range over the doses, as ``dose``
   gives them: how far the dose at the mark may be off from the water's
   measure and the reading of each mark, dilution included
   (:attr:`ldncalc.dose.accuracy.DoseRange.measuring_percent`; the tablet's
   content is left out, since it is the same for every recipe), plus what
   snapping to the nearest mark changes (zero for an exact preparation);
4. ties go to a round concentration (fewest decimal places), then fewer
   tablets, then less water.

A dose drawn from the stock is ranked in closed form
(:func:`ldncalc.dose.accuracy.measuring_share`). A diluted dose needs the
dilution search (milliseconds a dose), so it is not run for every recipe:
recipes are taken best first, a diluted dose counting as no error until its
dilution is planned (a lower bound, so the order stays exact), and among the
recipes that dilute only the :data:`DILUTED_PLANNED` that draw best from the
stock are planned. The ranges shown are always the ones ``dose`` gives.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from fractions import Fraction

from ldncalc import inputs
from ldncalc.dose.kit import Kit
from ldncalc.dose.preparation import (
    DEFAULT_STRENGTH_MG,
    LOW_DOSE_RANGE_MG,
    Advisory,
    DosePlan,
    Preparation,
    check_dose_range,
    make_preparation,
    plan_dose,
)
from ldncalc.dose.screening import (
    NEVER_ENDS,
    UNMEASURABLE,
    RankKey,
    Screened,
    recipes,
    screen,
)
from ldncalc.dose.syringes import (
    CATALOGUE,
    KNOWN_SYRINGES,
    Syringe,
    choose_syringe,
)
from ldncalc.errors import ArgumentTypeError, InvalidInputError, RefusedError
from ldncalc.frozen import frozen
from ldncalc.inputs import Amount
from ldncalc.notation import format_dose_mg

__all__ = [
    "DEFAULT_DOSES_MG",
    "DILUTED_PLANNED",
    "Candidate",
    "RankKey",
    "Recommendation",
    "dose_steps",
    "rank_key",
    "recommend",
]

# The doses of the default table and of mix: 0.5 mg to 4.5 mg in 0.5 mg steps.
DEFAULT_DOSES_MG = (LOW_DOSE_RANGE_MG[0], LOW_DOSE_RANGE_MG[1], Fraction(1, 2))
MAX_DOSES = 100
MAX_TOP = 50
DILUTED_PLANNED = 12
"""Recipes that dilute a dose whose dilutions are planned (at least ``top``)."""


@frozen
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


@frozen
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
            f"the range starts above its end ({format_dose_mg(start)} > {format_dose_mg(stop)})",
            code="range-backwards",
        )
    count = int((stop - start) / step) + 1
    if count > MAX_DOSES:
        raise InvalidInputError(
            f"that range has {count} doses; choose a larger step (at most {MAX_DOSES} doses)",
            code="number-out-of-range",
        )
    doses = [start + i * step for i in range(count)]
    if doses[-1] != stop:
        doses.append(stop)
    return tuple(doses)


def rank_key(
    tablets: int,
    strength_mg: Fraction,
    water_ml: Fraction,
    doses_mg: tuple[Fraction, ...],
    syringes: tuple[Syringe, ...] = CATALOGUE,
) -> RankKey:
    """Return how one preparation ranks for measuring ``doses_mg``.

    A diluted dose counts with the range of the dilution ``dose`` plans for it;
    a recipe with a dose that cannot be planned ranks after everything.
    """
    screened = screen(tablets, strength_mg, water_ml, doses_mg, syringes)
    if not screened.diluted:
        return screened.key
    found = _planned(make_preparation(tablets, strength_mg, water_ml), doses_mg, syringes)
    if found is None:
        return RankKey(1, len(doses_mg), UNMEASURABLE, UNMEASURABLE, NEVER_ENDS, 0, water_ml)
    return _planned_key(screened.key, found)


def _planned_key(screened: RankKey, plans: tuple[DosePlan, ...]) -> RankKey:
    """Return the rank of a recipe from the plans ``dose`` gives its doses."""
    return screened._replace(
        worst_error=max(abs(p.error) + p.range.measuring_percent / 100 for p in plans),
        worst_reading_error=max(p.measurement.reading_uncertainty for p in plans),
    )


def _planned(
    prep: Preparation,
    doses_mg: tuple[Fraction, ...],
    syringes: tuple[Syringe, ...],
    kit: Kit | None = None,
) -> tuple[DosePlan, ...] | None:
    """Return each dose planned as ``dose`` plans it, or None if one of them is refused."""
    concentration = prep.concentration_mg_per_ml
    try:
        if kit is not None:
            return tuple(plan_dose(d, prep, kit=kit) for d in doses_mg)
        return tuple(
            # The catalogue is dose's default: a dilution then measures with all of it.
            plan_dose(
                d,
                prep,
                None if syringes == CATALOGUE else choose_syringe(d / concentration, syringes),
            )
            for d in doses_mg
        )
    except RefusedError:  # a mark that changes a dose too much is no candidate
        return None


def recommend(
    doses_mg: Iterable[Amount],
    tablets: int | None = None,
    strength_mg: Amount = DEFAULT_STRENGTH_MG,
    syringes: tuple[Syringe, ...] = CATALOGUE,
    top: int = 5,
    kit: Kit | None = None,
) -> Recommendation:
    """Rank every preparation in the search space for measuring ``doses_mg``.

    Args:
        doses_mg: the doses to measure (text, quantities or numbers of mg).
        tablets: search only this many tablets (default: 1, 2 and 3).
        strength_mg: the strength of one tablet.
        syringes: the syringes available (default: the catalogue).
        top: how many candidates to return, 1 to 50.
        kit: the syringes the person owns and her scale (overrides ``syringes``):
            each dose is planned as ``dose`` plans it with that kit.

    Raises:
        InvalidInputError: no doses, or ``top`` out of its range.
    """
    if isinstance(doses_mg, str | bytes) or not isinstance(doses_mg, Iterable):
        raise ArgumentTypeError(f"doses_mg must be a list of doses, not {doses_mg!r}")
    doses = tuple(inputs.dose_mg(d, "doses_mg") for d in doses_mg)
    if not doses:
        raise InvalidInputError("give at least one dose", code="no-doses-given")
    syringes = inputs.items_of(syringes, Syringe, "syringes")
    if not syringes:
        raise InvalidInputError("give at least one syringe", code="no-syringe")
    top = inputs.count(top, "top", 1, MAX_TOP)
    if kit is not None:
        from ldncalc.dose.kit import Kit

        inputs.of_type(kit, Kit, "kit")
        syringes = (
            kit.choices if kit.owned else CATALOGUE + KNOWN_SYRINGES * (kit.scale is not None)
        )
    # A preparation of the tablets asked for checks their count and strength.
    checked = make_preparation(1 if tablets is None else tablets, strength_mg)
    strength = checked.strength_mg
    screened = [
        screen(count, strength, water_ml, doses, syringes, kit)
        for count, water_ml in recipes(strength, max(doses), tablets)
    ]
    diluting = sorted((s for s in screened if s.diluted), key=lambda s: s.drawn)
    planned = {id(s) for s in diluting[: max(top, DILUTED_PLANNED)]}
    # Best first; a recipe whose key is only a bound is planned when it comes up.
    heap: list[tuple[RankKey, bool, int, Screened]] = [
        (s.key, bool(s.diluted), i, s)
        for i, s in enumerate(screened)
        if not s.diluted or id(s) in planned
    ]
    heapq.heapify(heap)
    kept: dict[int, tuple[DosePlan, ...]] = {}
    candidates: list[Candidate] = []
    while heap and len(candidates) < top:
        key, bound, i, s = heapq.heappop(heap)
        if key.worst_error >= UNMEASURABLE:
            break
        prep = make_preparation(key.tablets, strength, key.water_ml)
        plans = kept.pop(i, None) or _planned(prep, doses, syringes, kit)
        if plans is None:
            continue
        if bound:
            kept[i] = plans
            heapq.heappush(heap, (_planned_key(key, plans), False, i, s))
            continue
        candidates.append(
            Candidate(prep, plans, key.not_exact == 0, key.worst_error, key.worst_reading_error)
        )
    advisories: list[Advisory] = []
    for dose_mg in doses:
        advisories.extend(check_dose_range(dose_mg))
    if candidates and not candidates[0].exact:
        advisories.append(
            Advisory(
                "no-exact-preparation",
                "no preparation puts every dose exactly on a syringe mark; the best there "
                "is comes first, with the warnings for each dose",
            )
        )
    return Recommendation(doses, tuple(candidates), len(screened), tuple(advisories))
