"""The rows of a schedule's tables, shared by the terminal, Markdown and the handout.

Plain strings in safe notation; no rich here, so the file exports need not
load it.
"""

from __future__ import annotations

from ldncalc.notation import format_dose, format_volume_ml
from ldncalc.render.plain import delivered_text, draw_to_text
from ldncalc.supply import SupplyPlan
from ldncalc.titration import Schedule

__all__ = ["BATCH_HEADERS", "STEP_HEADERS", "batch_rows", "step_rows", "totals_lines"]

STEP_HEADERS = ("Step", "Days", "From", "To", "Dose", "Draw to", "Syringe", "Delivers")
BATCH_HEADERS = ("Batch", "Mix on", "Use until", "Days", "Tablets", "Used", "Thrown away")


def step_rows(schedule: Schedule) -> list[list[str]]:
    """Return the step table's rows."""
    return [
        [
            str(s.number) + (" (target)" if s.at_target else ""),
            f"{s.first_day}-{s.last_day}",
            s.first_date.isoformat(),
            s.last_date.isoformat(),
            format_dose(s.plan.dose),
            draw_to_text(s.plan),
            s.plan.measurement.syringe.label,
            delivered_text(s.plan),
        ]
        for s in schedule.steps
    ]


def batch_rows(supply: SupplyPlan) -> list[list[str]]:
    """Return the batch table's rows."""
    return [
        [
            str(b.number),
            b.mix_date.isoformat(),
            b.discard_date.isoformat(),
            f"{b.first_day}-{b.last_day}",
            str(b.tablets),
            format_volume_ml(b.used_ml),
            format_volume_ml(b.wasted_ml),
        ]
        for b in supply.batches
    ]


def totals_lines(schedule: Schedule, supply: SupplyPlan) -> list[str]:
    """Return the totals, one phrase each."""
    lines = [
        f"{schedule.days} days ({schedule.start_date.isoformat()} to "
        f"{schedule.end_date.isoformat()})",
        f"{supply.tablets} tablets in {len(supply.batches)} batches, each kept "
        f"{supply.keep_days} days",
    ]
    if supply.cost is not None:
        lines.append(f"cost {supply.cost} (about {supply.cost_per_month} a month)")
    return lines
