"""The plan a diary starts, as an entry and back: its protocol, its recipe, its syringe.

A ``plan_started`` entry copies what the plan was made of, so that the diary
keeps the plan as it was started whatever ldncalc's protocols become; these
functions make that entry and read its parts back as the objects the
planners take.
"""

from __future__ import annotations

from datetime import date

from ldncalc.diary.entries import Mixed, PlanStarted
from ldncalc.dose.preparation import Preparation, make_preparation
from ldncalc.dose.syringes import Syringe
from ldncalc.notation import format_dose_mg
from ldncalc.plan.titration import Protocol

__all__ = ["plan_started", "preparation_of", "protocol_of", "syringe_of"]


def plan_started(
    protocol: Protocol,
    *,
    start_date: date,
    preparation: Preparation,
    syringe: Syringe | None,
    hold_days: int,
    keep_days: int,
) -> PlanStarted:
    """Return the diary entry that starts ``protocol`` with these settings."""
    from ldncalc.inputs import of_type

    of_type(protocol, Protocol, "protocol")
    of_type(preparation, Preparation, "preparation")
    of_type(syringe, Syringe, "syringe", optional=True)
    return PlanStarted(
        climb=protocol.climb,
        target_mg=protocol.target_mg,
        hold_days=hold_days,
        protocol_id=protocol.id,
        protocol_title=protocol.title,
        start_date=start_date,
        tablets=preparation.tablets,
        strength_mg=preparation.strength_mg,
        water_ml=preparation.water_ml,
        syringe_ml=None if syringe is None else syringe.capacity_ml,
        graduation_ml=None if syringe is None else syringe.graduation_ml,
        keep_days=keep_days,
    )


def protocol_of(plan: PlanStarted) -> Protocol:
    """Return the protocol a started plan follows (as it was when started)."""
    climb = ", ".join(f"{format_dose_mg(d)} for {n} days" for d, n in plan.climb)
    held = f"then {format_dose_mg(plan.target_mg)}"
    return Protocol(
        id=plan.protocol_id,
        title=plan.protocol_title,
        description=f"{climb}, {held}." if climb else f"{format_dose_mg(plan.target_mg)}.",
        source="the plan started in the diary",
        climb=plan.climb,
        target_mg=plan.target_mg,
    )


def preparation_of(plan: PlanStarted | Mixed) -> Preparation:
    """Return the preparation a started plan (or a mixed batch) names."""
    return make_preparation(plan.tablets, plan.strength_mg, plan.water_ml)


def syringe_of(plan: PlanStarted) -> Syringe | None:
    """Return the syringe a started plan names, or None for the catalogue."""
    if plan.syringe_ml is None or plan.graduation_ml is None:
        return None
    return Syringe(plan.syringe_ml, plan.graduation_ml)
