"""Machine-readable output: one JSON object per command, numbers written exactly."""

from __future__ import annotations

import json
from typing import Any

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import json_number
from ldncalc.preparation import DosePlan
from ldncalc.recommender import Recommendation
from ldncalc.supply import SupplyPlan
from ldncalc.titration import Protocol, Schedule, Step
from ldncalc.units import as_fraction

__all__ = ["dose_object", "dumps", "mix_object", "protocols_object", "schedule_object"]


def dumps(obj: dict[str, Any]) -> str:
    """Return ``obj`` as indented JSON text (UTF-8 kept as is)."""
    return json.dumps(obj, ensure_ascii=False, indent=2)


def dose_object(plan: DosePlan, *, disclaimer: bool = True) -> dict[str, Any]:
    """Return the JSON object for one dose plan."""
    m = plan.measurement
    obj: dict[str, Any] = {
        "dose_mg": json_number(plan.dose_mg),
        "concentration_mg_per_ml": json_number(plan.preparation.concentration_mg_per_ml),
        "volume_ml": json_number(as_fraction(plan.volume, "mL")),
        "syringe_ml": json_number(m.syringe.capacity_ml),
        "graduation_ml": json_number(m.syringe.graduation_ml),
        "measured_volume_ml": json_number(m.measured_ml),
        "delivered_dose_mg": json_number(plan.delivered_mg),
        "error_percent": json_number(plan.error * 100),
        "warnings": [a.message for a in plan.advisories],
    }
    if disclaimer:
        obj["disclaimer"] = DISCLAIMER
    return obj


def mix_object(rec: Recommendation) -> dict[str, Any]:
    """Return the JSON object for the recommender's ranked candidates."""
    candidates = []
    for c in rec.candidates:
        prep = c.preparation
        candidates.append(
            {
                "tablets": prep.tablets,
                "strength_mg": json_number(as_fraction(prep.strength, "mg")),
                "water_ml": json_number(as_fraction(prep.water, "mL")),
                "concentration_mg_per_ml": json_number(prep.concentration_mg_per_ml),
                "exact": c.exact,
                "worst_reading_error_percent": json_number(c.worst_reading_error * 100),
                "doses": [dose_object(p, disclaimer=False) for p in c.plans],
            }
        )
    return {
        "candidates": candidates,
        "warnings": [a.message for a in rec.advisories],
        "disclaimer": DISCLAIMER,
    }


def _step_object(step: Step) -> dict[str, Any]:
    plan = step.plan
    m = plan.measurement
    return {
        "step": step.number,
        "first_day": step.first_day,
        "last_day": step.last_day,
        "first_date": step.first_date.isoformat(),
        "last_date": step.last_date.isoformat(),
        "dose_mg": json_number(plan.dose_mg),
        "volume_ml": json_number(as_fraction(plan.volume, "mL")),
        "syringe_ml": json_number(m.syringe.capacity_ml),
        "graduation_ml": json_number(m.syringe.graduation_ml),
        "measured_volume_ml": json_number(m.measured_ml),
        "delivered_dose_mg": json_number(plan.delivered_mg),
        "at_target": step.at_target,
    }


def schedule_object(schedule: Schedule, supply: SupplyPlan) -> dict[str, Any]:
    """Return the JSON object for a schedule and its batches."""
    protocol = schedule.protocol
    prep = schedule.preparation
    totals: dict[str, Any] = {"days": schedule.days, "tablets": supply.tablets}
    if supply.cost is not None:
        totals["cost"] = float(supply.cost)
        totals["cost_per_month"] = float(supply.cost_per_month or 0)
    return {
        "protocol": {
            "id": protocol.id,
            "title": protocol.title,
            "description": protocol.description,
            "source": protocol.source,
            "target_mg": json_number(protocol.target_mg),
            "hold_days": schedule.hold_days,
        },
        "preparation": {
            "tablets": prep.tablets,
            "strength_mg": json_number(as_fraction(prep.strength, "mg")),
            "water_ml": json_number(as_fraction(prep.water, "mL")),
            "concentration_mg_per_ml": json_number(prep.concentration_mg_per_ml),
            "keep_days": supply.keep_days,
        },
        "steps": [_step_object(s) for s in schedule.steps],
        "batches": [
            {
                "batch": b.number,
                "mix_date": b.mix_date.isoformat(),
                "discard_date": b.discard_date.isoformat(),
                "last_use_date": b.last_use_date.isoformat(),
                "first_day": b.first_day,
                "last_day": b.last_day,
                "tablets": b.tablets,
                "water_ml": json_number(b.water_ml),
                "used_ml": json_number(b.used_ml),
                "wasted_ml": json_number(b.wasted_ml),
            }
            for b in supply.batches
        ],
        "totals": totals,
        "warnings": [f"step {n}: {a.message}" for n, a in schedule.advisories],
        "disclaimer": DISCLAIMER,
    }


def protocols_object(protocols: list[Protocol]) -> dict[str, Any]:
    """Return the JSON object listing protocols."""
    return {
        "protocols": [
            {
                "id": p.id,
                "title": p.title,
                "description": p.description,
                "source": p.source,
                "climb": [{"dose_mg": json_number(d), "days": n} for d, n in p.climb],
                "target_mg": json_number(p.target_mg),
            }
            for p in protocols
        ],
        "disclaimer": DISCLAIMER,
    }
