"""The schedule as an iCalendar file: all-day events for steps, mixing and discarding."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from ldncalc._version import __version__
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import format_dose_mg
from ldncalc.plan.supply import Batch, SupplyPlan
from ldncalc.plan.titration import Schedule
from ldncalc.render.rows import (
    dilution_lines,
    draw_text,
    last_dose_event,
    mix_event,
    stage_lines,
)

__all__ = ["plan_key", "schedule_ics"]

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def plan_key(schedule: Schedule) -> str:
    """Return an identity of a plan that survives a new start date.

    The protocol and the preparation make the plan; its dates do not. Events
    keep their UIDs when the same plan is re-dated, so importing the new file
    moves them instead of doubling them.
    """
    import hashlib

    p = schedule.protocol
    prep = schedule.preparation
    parts = [p.id, repr(p.climb), str(p.target_mg), prep.label]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _event(
    uid: str, day: date, summary: str, description: str, stamp: datetime, sequence: int
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _recipe(batch: Batch, prep: str) -> str:
    """Word how a batch is made: the stock's recipe, or its dilution's stages."""
    if batch.liquid == "stock":
        return f"Mix {prep}."
    stages = "; ".join(stage_lines(batch.stages))
    return f"Make the dilution from batch {batch.made_from} (the stock): {stages}."


def schedule_ics(schedule: Schedule, supply: SupplyPlan, now: datetime | None = None) -> str:
    """Return an iCalendar document for ``schedule`` and its batches.

    UIDs are derived from the plan's identity (:func:`plan_key`), the kind of
    event and its number, and ``SEQUENCE`` grows with the time the file is made,
    so importing an updated plan updates the old events instead of doubling them.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    # Seconds since 2024: later files have larger numbers (a clock set before
    # then gives 0, never a negative SEQUENCE).
    sequence = max(0, int((stamp - EPOCH).total_seconds()))
    cal = Calendar()
    cal.add("prodid", f"-//ldncalc//ldncalc {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"LDN: {schedule.protocol.title}")
    key = plan_key(schedule)
    prep = schedule.preparation.label
    for step in schedule.steps:
        plan = step.plan
        draw = draw_text(plan)
        summary = f"LDN {format_dose_mg(plan.dose_mg)}: draw {draw}"
        made = (
            f" The dilution is made from the stock ({prep}): "
            + "; ".join(dilution_lines(plan))
            + "."
            if plan.dilution
            else ""
        )
        description = (
            f"Step {step.number}, days {step.first_day} to {step.last_day} "
            f"({step.first_date.isoformat()} to {step.last_date.isoformat()}): "
            f"{format_dose_mg(plan.dose_mg)} daily = {draw}, on a "
            f"{plan.measurement.syringe.label} syringe.{made} {DISCLAIMER}"
        )
        cal.add_component(
            _event(
                f"{key}-step-{step.number}@ldncalc",
                step.first_date,
                summary,
                description,
                stamp,
                sequence,
            )
        )
    for batch in supply.batches:
        cal.add_component(
            _event(
                f"{key}-mix-{batch.number}@ldncalc",
                batch.mix_date,
                f"LDN: {mix_event(batch)}",
                f"{_recipe(batch, prep)} Shake well before every dose; keep in the fridge; "
                f"discard after {batch.discard_date.isoformat()}. {DISCLAIMER}",
                stamp,
                sequence,
            )
        )
        cal.add_component(
            _event(
                f"{key}-discard-{batch.number}@ldncalc",
                batch.last_use_date,
                f"LDN: {last_dose_event(batch)}",
                f"Today's dose is the last from batch {batch.number} (mixed "
                f"{batch.mix_date.isoformat()}, discard after {batch.discard_date.isoformat()}); "
                f"throw away what is left after it. {DISCLAIMER}",
                stamp,
                sequence,
            )
        )
    data: bytes = cal.to_ical()
    return data.decode("utf-8")
