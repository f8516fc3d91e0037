"""The schedule as an iCalendar file: all-day events for steps, mixing and discarding.

Given the hour of the dose, each step also gets a daily dose event at that hour
with a reminder, and mixing days a reminder an hour before it. Those events are
in floating local time (RFC 5545, 3.3.5: a date-time with no time zone), so that
a dose at 22:00 stays at 22:00 wherever the person is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

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
    stock_weigh_text,
)

__all__ = ["plan_key", "schedule_ics"]

EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
DOSE_EVENT = timedelta(minutes=15)
"""How long a timed dose or mixing event lasts in a calendar (a slot, not a rule)."""
MIX_AHEAD = timedelta(hours=1)
"""A mixing day's reminder comes this long before the dose that needs the new bottle."""


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


def _timed(event: Event, day: date, at: time, *, alarm_before: timedelta, says: str) -> Event:
    """Make ``event`` start at ``at`` on ``day`` (floating local time) with a reminder."""
    for name in ("dtstart", "dtend"):
        del event[name]
    start = datetime.combine(day, at)  # naive: floating, the same hour in every zone
    event.add("dtstart", start)
    event.add("dtend", start + DOSE_EVENT)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", says)
    alarm.add("trigger", -alarm_before)
    event.add_component(alarm)
    return event


def _recipe(batch: Batch, prep: str, weigh: str | None = None) -> str:
    """Word how a batch is made: the stock's recipe (and its water's weight), or its stages."""
    if batch.liquid == "stock":
        return f"Mix {prep}." if weigh is None else f"Mix {prep}; water: {weigh}."
    stages = "; ".join(stage_lines(batch.stages))
    return f"Make the dilution from batch {batch.made_from} (the stock): {stages}."


def schedule_ics(
    schedule: Schedule,
    supply: SupplyPlan,
    now: datetime | None = None,
    *,
    dose_time: time | None = None,
) -> str:
    """Return an iCalendar document for ``schedule`` and its batches.

    UIDs are derived from the plan's identity (:func:`plan_key`), the kind of
    event and its number, and ``SEQUENCE`` grows with the time the file is made,
    so importing an updated plan updates the old events instead of doubling them.
    With ``dose_time`` (local wall-clock time), each step also has a daily dose
    event at that hour, repeated over the step's days, with a reminder at the
    hour; and each mixing event is at that hour with a reminder an hour before.
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
    weigh = stock_weigh_text(schedule)
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
        if dose_time is not None:
            dose = _event(
                f"{key}-dose-{step.number}@ldncalc",
                step.first_date,
                summary,
                f"Daily at {dose_time:%H:%M}, days {step.first_day} to {step.last_day}: "
                f"{format_dose_mg(plan.dose_mg)} = {draw}, on a "
                f"{plan.measurement.syringe.label} syringe. Shake the bottle first.{made} "
                f"{DISCLAIMER}",
                stamp,
                sequence,
            )
            _timed(dose, step.first_date, dose_time, alarm_before=timedelta(0), says=summary)
            dose.add("rrule", {"freq": "daily", "count": step.days})
            cal.add_component(dose)
    for batch in supply.batches:
        mixing = _event(
            f"{key}-mix-{batch.number}@ldncalc",
            batch.mix_date,
            f"LDN: {mix_event(batch)}",
            f"{_recipe(batch, prep, weigh)} Shake well before every dose; keep in the fridge; "
            f"discard after {batch.discard_date.isoformat()}. {DISCLAIMER}",
            stamp,
            sequence,
        )
        if dose_time is not None:
            _timed(
                mixing,
                batch.mix_date,
                dose_time,
                alarm_before=MIX_AHEAD,
                says=f"LDN: {mix_event(batch)} before the dose",
            )
        cal.add_component(mixing)
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
