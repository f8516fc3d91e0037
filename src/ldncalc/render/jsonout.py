"""Machine-readable output: one JSON object per command, numbers written exactly."""

from __future__ import annotations

import json
from typing import Any

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import json_number
from ldncalc.preparation import DosePlan
from ldncalc.recommend import Recommendation
from ldncalc.units import as_fraction

__all__ = ["dose_object", "dumps", "mix_object"]


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
