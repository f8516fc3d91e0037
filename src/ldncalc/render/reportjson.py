"""The report as JSON (``ldncalc report --json``): the trial judged, and the figures by dose.

Numbers follow :func:`ldncalc.notation.json_number`: exact when their decimal
ends, otherwise to 12 significant digits (a mean of 7 days: 12 digits, far
more than the 2 decimals a reader needs). A figure made from too few scored
days is null, never a number.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc.diary.living import Report
from ldncalc.diary.trial import IMMPACT_SOURCE, PEG_SOURCE
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import json_number
from ldncalc.render.jsonout import schema

if TYPE_CHECKING:
    from ldncalc.diary.trial import Pgic, Window
    from ldncalc.render.shapes.diary import Pgic as PgicObject
    from ldncalc.render.shapes.diary import ReportObject
    from ldncalc.render.shapes.diary import Window as WindowObject

__all__ = ["report_object"]


def _number(value: Fraction | None) -> float | int | None:
    return None if value is None else json_number(value)


def _window(w: Window) -> WindowObject:
    return {
        "window": w.kind,
        "from": w.first.isoformat(),
        "to": w.last.isoformat(),
        "days_scored": w.days_scored,
        "peg_days_scored": w.peg_days,
        "pain": _number(w.pain),
        "peg": _number(w.peg),
    }


def _pgic(pgic: Pgic | None) -> PgicObject | None:
    if pgic is None:
        return None
    return {"value": pgic.value, "words": pgic.words, "date": pgic.date.isoformat()}


def report_object(report: Report) -> ReportObject:
    """Return the JSON object of ``ldncalc report --json``."""
    trial = report.trial
    pgic = trial.pgic
    return {
        "schema": schema("report"),
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "review_date": None if report.review_date is None else report.review_date.isoformat(),
        "trial": {
            "baseline": _window(trial.baseline),
            "evaluation": _window(trial.evaluation),
            "change": {
                "pain_points": _number(trial.change.pain_points),
                "pain_percent": _number(trial.change.pain_percent),
                "peg_points": _number(trial.change.peg_points),
                "peg_percent": _number(trial.change.peg_percent),
            },
            "immpact": trial.immpact,
            "pgic": _pgic(pgic),
            "sources": [PEG_SOURCE, IMMPACT_SOURCE],
        },
        "by_dose": [
            {
                "dose_mg": json_number(f.dose_mg),
                "days_taken": f.days_taken,
                "days_scored": f.days_scored,
                "pain_mean": _number(f.pain_mean),
                "peg_mean": _number(f.peg_mean),
                "side_effects": dict(f.side_effects),
            }
            for f in trial.doses
        ],
        "disclaimer": DISCLAIMER,
    }
