"""Find the preparation that measures a set of doses best.

The space searched is small and finite (1 to 3 tablets, whole-mL water volumes
from 5 to 250 mL), so the search looks at every point of it, in plain exact
fractions for speed, and ranks them:

1. exact preparations first: every dose falls on a mark of the syringe chosen
   for it, in one fill, above 0.1 mL and at 20% or more of that syringe;
2. then the smallest worst-case error over the doses: half a graduation
   divided by the volume (the reading uncertainty), plus what snapping to the
   nearest mark changes (zero for an exact preparation);
3. ties go to a round concentration (fewest decimal places), then fewer
   tablets, then less water.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from ldncalc.errors import InvalidInputError
from ldncalc.notation import format_dose_mg
from ldncalc.preparation import (
    DEFAULT_STRENGTH_MG,
    SMALL_FILL_SHARE,
    SMALL_VOLUME_ML,
    SOLUBILITY_MG_PER_ML,
    Advisory,
    DosePlan,
    Preparation,
    check_dose_range,
    make_preparation,
    plan_dose,
)
from ldncalc.syringes import CATALOGUE, Syringe, choose_syringe
from ldncalc.units import dose, volume

__all__ = [
    "Candidate",
    "RankKey",
    "Recommendation",
    "dose_steps",
    "rank_key",
    "recommend",
]

TABLETS_SEARCHED = (1, 2, 3)
WATER_SEARCHED_ML = (5, 250)
MAX_DOSES = 100
NEVER_ENDS = 99  # "decimal places" of a concentration that never ends


@dataclass(frozen=True, slots=True)
class Candidate:
    """One preparation and how well it measures every dose."""

    preparation: Preparation
    plans: tuple[DosePlan, ...]
    exact: bool
    worst_error: Fraction
    worst_reading_error: Fraction


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


def dose_steps(start_mg: Fraction, stop_mg: Fraction, step_mg: Fraction) -> tuple[Fraction, ...]:
    """Return start, start + step, ... up to stop; stop itself is always the last dose.

    Raises:
        InvalidInputError: a non-positive value, start above stop, or too many doses.
    """
    if start_mg <= 0 or stop_mg <= 0 or step_mg <= 0:
        raise InvalidInputError("the dose range and its step must be more than zero")
    if start_mg > stop_mg:
        raise InvalidInputError(
            f"the range starts above its end ({format_dose_mg(start_mg)} > "
            f"{format_dose_mg(stop_mg)})"
        )
    count = int((stop_mg - start_mg) / step_mg) + 1
    if count > MAX_DOSES:
        raise InvalidInputError(
            f"that range has {count} doses; choose a larger step (at most {MAX_DOSES} doses)"
        )
    doses = [start_mg + i * step_mg for i in range(count)]
    if doses[-1] != stop_mg:
        doses.append(stop_mg)
    return tuple(doses)


def _places(value: Fraction) -> int:
    denominator, places = value.denominator, 0
    for prime in (2, 5):
        count = 0
        while denominator % prime == 0:
            denominator //= prime
            count += 1
        places = max(places, count)
    return places if denominator == 1 else NEVER_ENDS


class RankKey(NamedTuple):
    """How one preparation ranks; it sorts as a tuple, smaller is better."""

    not_exact: int
    off_mark: int  # doses not on a good mark of their syringe
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
    bad = 0
    worst = worst_reading = Fraction(0)
    for dose_mg in doses_mg:
        wanted = dose_mg / concentration
        syringe = choose_syringe(wanted, syringes)
        grad = syringe.graduation_ml
        marks = wanted / grad
        on_mark = marks.denominator == 1
        good = (
            on_mark
            and wanted <= syringe.capacity_ml
            and wanted > SMALL_VOLUME_ML
            and wanted >= SMALL_FILL_SHARE * syringe.capacity_ml
        )
        bad += not good
        reading = grad / 2 / wanted
        snapped = syringe.snap_ml(wanted)
        error = abs(snapped - wanted) / wanted + reading
        worst = max(worst, error)
        worst_reading = max(worst_reading, reading)
    return RankKey(
        int(bad > 0), bad, worst, worst_reading, _places(concentration), tablets, water_ml
    )


def recommend(
    doses_mg: tuple[Fraction, ...],
    tablets: int | None = None,
    strength_mg: Fraction = DEFAULT_STRENGTH_MG,
    syringes: tuple[Syringe, ...] = CATALOGUE,
    top: int = 5,
) -> Recommendation:
    """Rank every preparation in the search space for measuring ``doses_mg``.

    Args:
        doses_mg: the doses to measure, in mg.
        tablets: search only this many tablets (default: 1, 2 and 3).
        strength_mg: the strength of one tablet.
        syringes: the syringes available (default: the catalogue).
        top: how many candidates to return.

    Raises:
        InvalidInputError: no doses, or ``top`` below 1.
    """
    if not doses_mg:
        raise InvalidInputError("give at least one dose")
    if top < 1:
        raise InvalidInputError("ask for at least one candidate")
    counts = (tablets,) if tablets is not None else TABLETS_SEARCHED
    first, last = WATER_SEARCHED_ML
    keyed = []
    for count in counts:
        for water in range(first, last + 1):
            water_ml = Fraction(water)
            if count * strength_mg / water_ml > SOLUBILITY_MG_PER_ML:
                continue
            if max(doses_mg) > count * strength_mg:
                continue
            keyed.append(rank_key(count, strength_mg, water_ml, doses_mg, syringes))
    keyed.sort()
    advisories: list[Advisory] = []
    for dose_mg in doses_mg:
        advisories.extend(check_dose_range(dose_mg))
    candidates = tuple(_candidate(strength_mg, key, doses_mg, syringes) for key in keyed[:top])
    if candidates and not candidates[0].exact:
        advisories.append(
            Advisory(
                "no-exact-preparation",
                "no preparation puts every dose exactly on a syringe mark; the best there "
                "is comes first, with the warnings for each dose",
            )
        )
    return Recommendation(tuple(doses_mg), candidates, len(keyed), tuple(advisories))


def _candidate(
    strength_mg: Fraction,
    key: RankKey,
    doses_mg: tuple[Fraction, ...],
    syringes: tuple[Syringe, ...],
) -> Candidate:
    prep = make_preparation(key.tablets, dose(strength_mg), volume(key.water_ml))
    concentration = prep.concentration_mg_per_ml
    plans = tuple(
        plan_dose(dose(d), prep, choose_syringe(d / concentration, syringes)) for d in doses_mg
    )
    return Candidate(prep, plans, key.not_exact == 0, key.worst_error, key.worst_reading_error)
