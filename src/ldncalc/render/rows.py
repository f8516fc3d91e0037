"""The rows every renderer lays out: typed records, built once, in safe notation.

The terminal, Markdown, CSV, iCalendar and the handout all read these; none of
them formats a dose or words a batch event on its own. No rich here, so the
file exports need not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ldncalc.notation import format_dose_mg, format_percent, format_volume_ml

if TYPE_CHECKING:  # annotations only: dose must not import the protocols' module
    from datetime import date

    from ldncalc.preparation import DosePlan
    from ldncalc.supply import Batch, SupplyPlan
    from ldncalc.titration import Schedule, Step

__all__ = [
    "BatchRow",
    "DoseRow",
    "StepRow",
    "batch_events",
    "batch_rows",
    "delivered_text",
    "dose_row",
    "draw_to_text",
    "last_dose_event",
    "mix_event",
    "step_row",
    "step_rows",
    "totals_lines",
]


def delivered_text(plan: DosePlan) -> str:
    """Return the dose a mark delivers, with the change the mark makes if any."""
    change = plan.error
    text = format_dose_mg(plan.delivered_mg)
    return text if change == 0 else f"{text} ({format_percent(change)})"


def draw_to_text(plan: DosePlan) -> str:
    """Return the mark to draw to, or the fills when one syringe cannot hold it."""
    m = plan.measurement
    if m.fills == 1:
        return format_volume_ml(m.measured_ml)
    capacity = format_volume_ml(m.syringe.capacity_ml)
    if m.last_fill_ml == m.syringe.capacity_ml:
        return f"{m.fills} x {capacity}"
    return f"{m.full_fills} x {capacity} + {format_volume_ml(m.last_fill_ml)}"


class DoseRow(NamedTuple):
    """One dose measured from a preparation."""

    dose: str
    volume: str
    syringe: str
    draw_to: str
    delivers: str


DOSE_HEADERS = ("Dose", "Volume", "Syringe", "Draw to", "Delivers")


def dose_row(plan: DosePlan) -> DoseRow:
    """Return the row of one dose."""
    return DoseRow(
        format_dose_mg(plan.dose_mg),
        format_volume_ml(plan.volume_ml),
        plan.measurement.syringe.label,
        draw_to_text(plan),
        delivered_text(plan),
    )


class StepRow(NamedTuple):
    """One step of a schedule."""

    number: int
    at_target: bool
    days: str
    first_date: str
    last_date: str
    dose: DoseRow
    note: str | None


def step_row(step: Step) -> StepRow:
    """Return the row of one step."""
    return StepRow(
        step.number,
        step.at_target,
        f"{step.first_day}-{step.last_day}",
        step.first_date.isoformat(),
        step.last_date.isoformat(),
        dose_row(step.plan),
        step.note,
    )


def step_rows(schedule: Schedule) -> list[StepRow]:
    """Return the step rows of a schedule."""
    return [step_row(s) for s in schedule.steps]


class BatchRow(NamedTuple):
    """One batch of liquid: when to mix it, until when to use it, what it holds."""

    number: int
    mix_on: str
    use_until: str
    last_dose: str
    days: str
    tablets: str
    used: str
    thrown_away: str


BATCH_HEADERS = ("Batch", "Mix on", "Use until", "Days", "Tablets", "Used", "Thrown away")


def batch_rows(supply: SupplyPlan) -> list[BatchRow]:
    """Return the batch rows."""
    return [
        BatchRow(
            b.number,
            b.mix_date.isoformat(),
            b.discard_date.isoformat(),
            b.last_use_date.isoformat(),
            f"{b.first_day}-{b.last_day}",
            str(b.tablets),
            format_volume_ml(b.used_ml),
            format_volume_ml(b.wasted_ml),
        )
        for b in supply.batches
    ]


def mix_event(batch: Batch) -> str:
    """Word the day a batch is mixed."""
    return f"Mix batch {batch.number}"


def last_dose_event(batch: Batch) -> str:
    """Word the last day a batch is used."""
    return f"Last dose from batch {batch.number}"


def batch_events(supply: SupplyPlan) -> dict[date, list[str]]:
    """Return, for each date with one, what happens to the batches that day."""
    events: dict[date, list[str]] = {}
    for b in supply.batches:
        events.setdefault(b.mix_date, []).append(mix_event(b))
        events.setdefault(b.last_use_date, []).append(last_dose_event(b))
    return events


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
