"""Schedules as files people print or import: CSV (one row per day) and Markdown."""

from __future__ import annotations

import csv
import io
from fractions import Fraction

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import decimal_text
from ldncalc.render.rows import BATCH_HEADERS, STEP_HEADERS, batch_rows, step_rows, totals_lines
from ldncalc.supply import SupplyPlan
from ldncalc.titration import Schedule

__all__ = ["CSV_COLUMNS", "schedule_csv", "schedule_markdown"]

CSV_COLUMNS = (
    "day",
    "date",
    "step",
    "dose_mg",
    "volume_ml",
    "syringe_ml",
    "graduation_ml",
    "measured_volume_ml",
    "delivered_dose_mg",
    "batch",
    "event",
)


def _number(value: Fraction) -> str:
    text, _ = decimal_text(value, digits=12)
    return text


def schedule_csv(schedule: Schedule, supply: SupplyPlan) -> str:
    """Return the schedule as CSV, one row per day, after one ``#`` line with the notice.

    Numbers are plain decimals in the units the column names give (mg, mL).
    The ``event`` column says "mix batch N" on mixing days and "last dose from
    batch N" on the last day a batch is used (never after its discard date).
    """
    batch_of: dict[int, int] = {}
    events: dict[int, list[str]] = {}
    for b in supply.batches:
        for day in range(b.first_day, b.last_day + 1):
            batch_of[day] = b.number
        events.setdefault(b.first_day, []).append(f"mix batch {b.number}")
        events.setdefault(b.last_day, []).append(f"last dose from batch {b.number}")
    out = io.StringIO()
    out.write(f"# {DISCLAIMER}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    # The cells that depend only on the step are written once per step, not per day.
    cells = {}
    for step in schedule.steps:
        plan = step.plan
        m = plan.measurement
        cells[step.number] = (
            step.number,
            _number(plan.dose_mg),
            _number(m.volume_ml),
            _number(m.syringe.capacity_ml),
            _number(m.syringe.graduation_ml),
            _number(m.measured_ml),
            _number(plan.delivered_mg),
        )
    for day, when, step in schedule.daily():
        writer.writerow(
            (
                day,
                when.isoformat(),
                *cells[step.number],
                batch_of[day],
                "; ".join(events.get(day, [])),
            )
        )
    return out.getvalue()


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows)
    return lines


def schedule_markdown(schedule: Schedule, supply: SupplyPlan) -> str:
    """Return the schedule as a Markdown document: steps, batches, totals, notice."""
    p = schedule.protocol
    lines = [
        f"# LDN schedule: {p.title}",
        "",
        f"- Protocol: {p.id}. {p.description}",
        f"- Source: {p.source}",
        f"- Preparation: {schedule.preparation.label}. Shake well before every dose; "
        "keep in the fridge.",
        "",
        "## Steps",
        "",
    ]
    lines += _md_table(list(STEP_HEADERS), step_rows(schedule))
    lines += ["", "## Batches", ""]
    lines += _md_table(list(BATCH_HEADERS), batch_rows(supply))
    lines += ["", "## Totals", ""]
    lines += [f"- {line}" for line in totals_lines(schedule, supply)]
    if schedule.advisories:
        lines += ["", "## Warnings", ""]
        lines += [f"- Step {n}: {a.message}" for n, a in schedule.advisories]
    lines += ["", f"> {DISCLAIMER}", ""]
    return "\n".join(lines)
