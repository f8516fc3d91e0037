"""Better ways to measure a dose than a mark that changes it, each with its range.

Loaded only when a mark changes a dose by more than 2%: the search for a
preparation (:mod:`ldncalc.dose.recommender`) and a dilution
(:mod:`ldncalc.dose.dilution`) are not paid for by an everyday dose.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from ldncalc.dose.accuracy import DEFAULT_ASSAY, Assay, DoseRange, bounds_text
from ldncalc.dose.preparation import DosePlan, Preparation, plan_dose
from ldncalc.dose.syringes import CATALOGUE, Syringe, finer_syringes
from ldncalc.errors import RefusedError
from ldncalc.inputs import Amount
from ldncalc.notation import format_volume_ml

__all__ = ["Alternative", "alternatives", "alternatives_text"]


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

    The search screens every recipe (a few hundred ms); a schedule whose steps
    share doses, or a process that plans many schedules, asks it again.
    """
    from ldncalc.dose.recommender import recommend

    found = recommend((dose_mg,), strength_mg=strength_mg, top=1)
    if not found.exact_found:
        return None
    best = found.candidates[0].plans[0]
    return plan_dose(dose_mg, best.preparation, best.measurement.syringe, assay=assay)
