"""Schedules as the texts of files people print or import, and the one table of those formats.

Each format is returned as text; the CLI writes it (:mod:`ldncalc.cli._outputs`).

CSV follows RFC 4180: line 1 is the header, one row per day, no comments; the
informational-only notice and the warnings travel in columns of their own, so
``csv.DictReader``, SQLite's ``.import`` and spreadsheets read every row whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import time

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import csv_cell, number_text
from ldncalc.plan.supply import SupplyPlan, liquid_of
from ldncalc.plan.titration import Schedule
from ldncalc.render.rows import (
    BATCH_HEADERS,
    batch_cells,
    batch_events,
    batch_rows,
    dilution_lines,
    liquid_text,
    step_rows,
    totals_lines,
)

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "render_format",
    "schedule_csv",
    "schedule_markdown",
]

CSV_DIGITS = 12  # significant digits of a number that is not exact, as in JSON
CSV_COLUMNS = (
    "day",
    "date",
    "step",
    "dose_mg",
    "volume_ml",
    "liquid",
    "concentration_mg_per_ml",
    "syringe_ml",
    "graduation_ml",
    "measured_volume_ml",
    "delivered_dose_mg",
    "batch",
    "event",
    "warnings",
    "notice",
)


def schedule_csv(schedule: Schedule, supply: SupplyPlan) -> str:
    """Return the schedule as CSV: a header line, then one row per day.

    Numbers are plain decimals in the units the column names give (mg, mL).
    ``liquid`` names what the volume is drawn from (``stock``, ``dilution 1``,
    ``dilution 2``) and ``concentration_mg_per_ml`` that liquid's concentration:
    a volume means nothing without them.
    ``event`` says "Mix batch N" on mixing days and "Last dose from batch N" on
    the last day a batch is used; ``warnings`` holds the step's warnings
    (joined by " | "); ``notice`` the informational-only notice, on every row.
    """
    from ldncalc.inputs import of_type

    of_type(schedule, Schedule, "schedule")
    of_type(supply, SupplyPlan, "supply")
    batch_of: dict[int, int] = {}
    for b in supply.batches:
        for day in range(b.first_day, b.last_day + 1):
            batch_of[day] = b.number
    events = batch_events(supply)
    warned: dict[int, list[str]] = {}
    for number, advisory in schedule.advisories:
        warned.setdefault(number, []).append(advisory.message)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    # The cells that depend only on the step are written once per step, not per day.
    cells = {}
    for step in schedule.steps:
        plan = step.plan
        m = plan.measurement
        liquid = liquid_of(plan)
        cells[step.number] = (
            step.number,
            number_text(plan.dose_mg, CSV_DIGITS),
            number_text(m.volume_ml, CSV_DIGITS),
            liquid.name,
            number_text(liquid.concentration_mg_per_ml, CSV_DIGITS),
            number_text(m.syringe.capacity_ml, CSV_DIGITS),
            number_text(m.syringe.graduation_ml, CSV_DIGITS),
            number_text(m.measured_ml, CSV_DIGITS),
            number_text(plan.delivered_mg, CSV_DIGITS),
        )
    disclaimer = csv_cell(DISCLAIMER)  # the same on every row: escaped once
    for day, when, step in schedule.daily():
        writer.writerow(
            (
                day,
                when.isoformat(),
                *cells[step.number],
                batch_of[day],
                csv_cell("; ".join(events.get(when, []))),
                csv_cell(" | ".join(warned.get(step.number, []))),
                disclaimer,
            )
        )
    return out.getvalue()


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend(
        "| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |" for row in rows
    )
    return lines


STEP_HEADERS = (
    "Step",
    "Days",
    "From",
    "To",
    "Dose",
    "Drawn from",
    "Draw to",
    "Syringe",
    "Delivers",
    "Could be",
)


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
    steps = [
        [
            f"{r.number} (target)" if r.at_target else str(r.number),
            r.days,
            r.first_date,
            r.last_date,
            r.dose.dose,
            r.dose.liquid,
            r.dose.draw_to,
            r.dose.syringe,
            r.dose.delivers,
            r.dose.range,
        ]
        for r in step_rows(schedule)
    ]
    lines += _md_table(STEP_HEADERS, steps)
    recipes: list[object] = []
    for step in schedule.steps:
        if step.plan.dilution and step.plan.dilution not in recipes:
            recipes.append(step.plan.dilution)
            lines += ["", f"How to make {liquid_text(step.plan)}:", ""]
            lines += [f"- {line}" for line in dilution_lines(step.plan)]
    changes = [r for r in step_rows(schedule) if r.note]
    if changes:
        lines += ["", "## Changes", ""]
        lines += [f"- Step {r.number} (from {r.first_date}): {r.note}" for r in changes]
    lines += ["", "## Batches", ""]
    batches = [[c.replace("\n", " ") for c in batch_cells(r)] for r in batch_rows(supply)]
    lines += _md_table(BATCH_HEADERS, batches)
    lines += ["", "## Totals", ""]
    lines += [f"- {line}" for line in totals_lines(schedule, supply)]
    if schedule.advisories:
        lines += ["", "## Warnings", ""]
        lines += [f"- Step {n}: {a.message}" for n, a in schedule.advisories]
    lines += ["", f"> {DISCLAIMER}", ""]
    return "\n".join(lines)


def _json(schedule: Schedule, supply: SupplyPlan) -> str:
    from ldncalc.render.jsonout import dumps, schedule_object

    return dumps(schedule_object(schedule, supply))


def _ics(schedule: Schedule, supply: SupplyPlan, dose_time: time | None = None) -> str:
    from ldncalc.render.ics import schedule_ics

    return schedule_ics(schedule, supply, dose_time=dose_time)


def _html(schedule: Schedule, supply: SupplyPlan, dose_time: time | None = None) -> str:
    from ldncalc.render.handout import schedule_html

    return schedule_html(schedule, supply, dose_time=dose_time)


FORMATS: dict[str, Callable[[Schedule, SupplyPlan], str]] = {
    "json": _json,
    "csv": schedule_csv,
    "markdown": schedule_markdown,
    "ics": _ics,
    "html": _html,
}
"""Every file format a schedule is written in, by name."""


def render_format(
    name: str, schedule: Schedule, supply: SupplyPlan, *, dose_time: time | None = None
) -> str:
    """Return ``schedule`` in the format ``name`` (a key of :data:`FORMATS`).

    ``dose_time``, the hour of the daily dose, times the calendar's events and
    is said in the handout; the other formats are lists of days and have no hour.
    """
    if name == "ics":
        return _ics(schedule, supply, dose_time)
    if name == "html":
        return _html(schedule, supply, dose_time)
    return FORMATS[name](schedule, supply)
