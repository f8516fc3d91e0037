"""The diary's daily output: today, an entry, the history; plain text, no rich.

``ldncalc today`` runs every day, so these lines are written with the plain
console (no rich, no pint). JSON objects for the same commands are here too,
built from the same values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import (
    format_concentration_mg_per_ml,
    format_dose_mg,
    format_volume_ml,
    json_number,
    safe_text,
)
from ldncalc.render.rows import dilution_lines, dose_row, draw_text, weigh_text

if TYPE_CHECKING:
    from fractions import Fraction

    from ldncalc.diary.bottles import Bottle
    from ldncalc.diary.entries import Entry
    from ldncalc.diary.kit import ProfileKit
    from ldncalc.diary.living import Today, ToMix
    from ldncalc.diary.replan import LivingPlan
    from ldncalc.dose.kit import Kit
    from ldncalc.dose.preparation import Advisory
    from ldncalc.render.shapes.diary import KitObject
    from ldncalc.render.shapes.plan import PlanExtra
    from ldncalc.render.shapes.today import Bottle as BottleObject
    from ldncalc.render.shapes.today import TodayLiquid, TodayMeasured, TodayObject

__all__ = [
    "dose_text",
    "entry_text",
    "kit_lines",
    "today_lines",
    "today_object",
]


class Commands(Protocol):
    """Words a code as the exact command to run (the CLI's, which knows the command line)."""

    def __call__(self, code: str, stage: int = 0, dose_mg: Fraction | None = None) -> str: ...


def dose_text(value: object) -> str:
    """Return a dose as safe text, or 'none'."""
    from fractions import Fraction

    return format_dose_mg(value) if isinstance(value, Fraction) else "none"


def entry_text(entry: Entry, ids: dict[str, int] | None = None) -> str:
    """Describe one entry in a line: 'took 3 mg', 'adjust: back to 2 mg (insomnia)'."""
    from ldncalc.diary.entries import Adjust, Diluted, Mixed, Note, PlanStarted, Took, Undo

    p = entry.payload
    if isinstance(p, PlanStarted):
        title = safe_text(p.protocol_title)
        return f"plan started: {title}, to {format_dose_mg(p.target_mg)}"
    if isinstance(p, Took):
        return "took the planned dose" if p.dose_mg is None else f"took {dose_text(p.dose_mg)}"
    if isinstance(p, Mixed):
        return (
            f"mixed a bottle: {p.tablets} x {format_dose_mg(p.strength_mg)} in "
            f"{format_volume_ml(p.water_ml)}, kept {p.keep_days} days"
        )
    if isinstance(p, Diluted):
        # No number: the liquid's name is the schedule's ('dilution N'), which the
        # entry does not know; its concentration says which liquid it is.
        return (
            f"mixed a dilution: {format_volume_ml(p.source_ml)} of the "
            f"{format_concentration_mg_per_ml(p.source_mg_per_ml)} liquid in "
            f"{format_volume_ml(p.water_ml)} of water = "
            f"{format_concentration_mg_per_ml(p.concentration_mg_per_ml)}, kept {p.keep_days} days"
        )
    if isinstance(p, Note):
        # What was typed is shown with controls escaped: it cannot move the cursor or forge a line.
        parts = [safe_text(p.text)] if p.text else []
        parts += [f"{safe_text(name)} {value}/10" for name, value in p.scores]
        if p.pgic is not None:
            parts.append(f"PGIC {p.pgic}/7")
        parts += [f"side effect: {safe_text(effect)}" for effect in p.side_effects]
        return "note: " + "; ".join(parts)
    if isinstance(p, Adjust):
        words: list[str] = [p.action]
        if p.dose_mg is not None:
            words.append(format_dose_mg(p.dose_mg))
        if p.step_mg is not None:
            words.append(f"by {format_dose_mg(p.step_mg)}")
        if p.every_days is not None:
            words.append(f"every {p.every_days} days")
        if p.for_days is not None:
            words.append(f"for {p.for_days} days")
        text = "adjust: " + " ".join(words)
        return text + (f" ({safe_text(p.reason)})" if p.reason else "")
    if isinstance(p, Undo):
        target = (ids or {}).get(p.target_uid)
        return f"undo entry {target}" if target is not None else "undo an entry"
    kit = _kit_text(entry)
    return "missed the dose" if kit is None else kit


def _bottle_name(bottle: Bottle) -> str:
    """Name a bottle: 'batch 2, the stock', 'batch 3, dilution 1 of batch 2'."""
    if bottle.is_stock:
        return f"batch {bottle.number}, the stock"
    made = "" if bottle.made_from is None else f" of batch {bottle.made_from}"
    return f"batch {bottle.number}, {bottle.liquid_name}{made}"


def _recipe(bottle: Bottle, record: tuple[int, ...] = ()) -> str:
    """Say how a bottle to mix is made: tablets and water, or each dilution stage to make."""
    prep = bottle.preparation
    if prep is not None:
        noun = "tablet" if prep.tablets == 1 else "tablets"
        return (
            f"{prep.tablets} x {format_dose_mg(prep.strength_mg)} {noun} in "
            f"{format_volume_ml(prep.water_ml)} of water = "
            f"{format_concentration_mg_per_ml(prep.concentration_mg_per_ml)}"
        )
    parts = []
    names = [stage.number or n for n, stage in enumerate(bottle.stages, start=1)]
    for n, stage in enumerate(bottle.stages, start=1):
        if record and n not in record:
            continue  # a stage she holds already
        source = "the stock" if n == 1 else f"dilution {names[n - 2]}"
        weigh = weigh_text(stage.water_measure, stage.water_ml)
        parts.append(
            f"{format_volume_ml(stage.aliquot_ml)} of {source} "
            f"({format_concentration_mg_per_ml(stage.from_concentration_mg_per_ml)}) + "
            f"{format_volume_ml(stage.water_ml)} of water"
            + ("" if weigh is None else f" ({weigh})")
            + f" = {format_concentration_mg_per_ml(stage.concentration_mg_per_ml)}"
        )
    return ", then ".join(parts)


def _weighed(today: Today, bottle: Bottle) -> str:
    """Say what to weigh a stock's water to on the kit's scale (' (weigh it: ...)'), or ''."""
    plan = today.plan
    prep = bottle.preparation
    if plan is None or prep is None or prep != plan.preparation:
        return ""
    weigh = weigh_text(plan.range.water_measure, prep.water_ml)
    return "" if weigh is None else f" (water: {weigh})"


def _why(m: ToMix) -> str:
    """Say why a bottle is due today, when it replaces the one in use."""
    old = m.replaces
    if old is None:
        return ""
    if m.why == "not-recorded":
        liquid = "bottle of stock" if old.is_stock else "dilution"
        return (
            f"; the plan's {liquid} of {old.mix_date.isoformat()} is not recorded as mixed: "
            f"mix this one before today's dose (if you did mix it then, record it as mixed "
            f"on {old.mix_date.isoformat()} instead)"
        )
    if m.why == "expired":
        return (
            f"; batch {old.number} (mixed {old.mix_date.isoformat()}) was to be discarded "
            f"after {old.discard_date.isoformat()}: mix this one before today's dose"
        )
    left = "" if old.left_ml is None else f" holds {format_volume_ml(old.left_ml)},"
    return (
        f"; batch {old.number}{left} less than today's dose above its "
        f"{format_volume_ml(old.reserve_ml)} reserve (no bottle is used to its last drop): "
        "mix this one before today's dose"
    )


def _scale_text(resolution_g: Fraction, accuracy_g: Fraction) -> str:
    return f"{_grams(resolution_g)} (within {_grams(accuracy_g)})"


def _grams(value: Fraction) -> str:
    from ldncalc.notation import decimal_text

    text, exact = decimal_text(value)
    return f"{text} g" if exact else f"about {text} g"


def _kit_text(entry: Entry) -> str | None:
    """Describe a change of the kit, or None for an entry of another kind."""
    from ldncalc.diary.kit_entries import KitScale, KitSyringeAdded, KitSyringeRemoved, KitTime

    p = entry.payload
    if isinstance(p, KitSyringeAdded | KitSyringeRemoved):
        label = f"{format_volume_ml(p.capacity_ml)} ({format_volume_ml(p.graduation_ml)} marks)"
        verb = "added" if isinstance(p, KitSyringeAdded) else "removed"
        return f"kit: {verb} the {label} syringe"
    if isinstance(p, KitScale):
        if p.resolution_g is None or p.accuracy_g is None:
            return "kit: no scale"
        return f"kit: scale {_scale_text(p.resolution_g, p.accuracy_g)}"
    if isinstance(p, KitTime):
        return "kit: no dose time" if p.time is None else f"kit: the dose at {p.time}"
    return None


def kit_lines(kit: ProfileKit) -> list[str]:
    """Return what ``ldncalc kit`` prints, a line each."""
    syringes = ", ".join(s.label for s in kit.syringes)
    scale = kit.scale
    return [
        "Syringes:    "
        + (syringes or "none recorded (each command chooses from the common sizes)"),
        "Scale:       "
        + (
            "none (the water is measured by volume)"
            if scale is None
            else _scale_text(scale.division_g, scale.accuracy)
        ),
        "Dose time:   " + ("none" if kit.dose_time is None else kit.dose_time.strftime("%H:%M")),
    ]


def kit_object(kit: ProfileKit, profile: str) -> KitObject:
    """Return what ``ldncalc kit --json`` prints: the kit's figures, exact."""
    from ldncalc.notation import json_number
    from ldncalc.render.jsonout import schema

    scale = kit.scale
    return {
        "schema": schema("kit"),
        "profile": profile,
        "syringes": [
            {
                "label": s.label,
                "capacity_ml": json_number(s.capacity_ml),
                "graduation_ml": json_number(s.graduation_ml),
            }
            for s in kit.syringes
        ],
        "scale": None
        if scale is None
        else {
            "division_g": json_number(scale.division_g),
            "accuracy_g": json_number(scale.accuracy),
        },
        "dose_time": None if kit.dose_time is None else kit.dose_time.strftime("%H:%M"),
        "disclaimer": DISCLAIMER,
    }


def kit_note(own: ProfileKit, given: Kit) -> str:
    """Say that a command's syringes and scale were for it only, and what the plan uses."""
    labels = [s.label for s in given.syringes]
    named: list[str] = []
    if labels:
        listed = labels[-1] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        named.append(f"the {listed} syringe{'s' if len(labels) > 1 else ''}")
    if given.scale is not None:
        named.append(given.scale.label)
    kept = ", ".join(s.label for s in own.syringes) or "none"
    return (
        f"the plan was checked with {' and '.join(named)}, for this command only; each day "
        f"it is measured with your kit (syringes: {kept}): add them to the kit to keep them"
    )


def today_lines(today: Today, command: Commands) -> list[str]:
    """Return what ``ldncalc today`` prints, a line each (the notice last).

    ``command`` turns what the day asks (a code) into the exact command to run;
    the dose line says the hour of the dose in the profile's kit, if any.
    """
    status = today.status
    number = f" (day {status.day_number} of the plan)" if status.day_number else ""
    lines = [f"Date:        {status.date.isoformat()}{number}"]
    plan = today.plan
    if today.stopped_on is not None:
        again = (
            f"; to take it up again: {command('restart', dose_mg=today.restart_mg)}"
            if today.restart_mg is not None
            else ""
        )
        lines.append(
            f"Plan:        stopped on {today.stopped_on.isoformat()}: no dose, nothing to "
            f"mix{again}"
        )
    if today.hold_since is not None and status.planned_dose_mg is not None:
        held = f"on hold since {today.hold_since.isoformat()} at " + format_dose_mg(
            status.planned_dose_mg
        )
        lines.append(
            f"Hold:        {held}: no increase until you resume ({command('resume')})"
            if today.hold_until is None
            else f"Hold:        {held}: no increase before {today.hold_until.isoformat()}, "
            "as recorded"
        )
    bottle = today.batch
    if status.planned_dose_mg is None or plan is None:
        if today.stopped_on is None:
            lines.append("Dose:        none planned today")
    else:
        row = dose_row(plan)
        step = f"step {today.step_number}: " if today.step_number else ""
        hour = "" if today.dose_time is None else f" at {today.dose_time.strftime('%H:%M')}"
        lines += [f"Dose:        {step}{row.dose}{hour}"]
        lines += [f"Dilution:    {line}" for line in dilution_lines(plan)]
        source = "" if bottle is None else f" from batch {bottle.number}"
        lines += [
            f"Draw:        {draw_text(plan, today.liquid)}{source} on the {row.syringe} syringe",
            f"Delivers:    {row.delivers}",
            f"Could be:    {row.range}",
        ]
    if status.taken:
        taken = status.taken_dose_mg
        lines.append(f"Taken:       yes, {dose_text(taken)}" if taken else "Taken:       yes")
    elif status.missed:
        lines.append("Taken:       no, recorded as missed")
    elif status.planned_dose_mg is not None and today.to_come:
        lines.append("Taken:       not yet (a day to come: record it on the day)")
    elif status.planned_dose_mg is not None:
        lines.append(f"Taken:       not yet (record it with: {command('took')})")
    mixing = {m.bottle.number for m in today.to_mix}
    if bottle is not None and bottle.number not in mixing:
        if bottle.recorded:
            left = "" if bottle.left_ml is None else f"; {format_volume_ml(bottle.left_ml)} left"
            lines.append(
                f"Bottle:      {_bottle_name(bottle)}, mixed {bottle.mix_date.isoformat()} "
                f"(recorded), discard after {bottle.discard_date.isoformat()}{left}"
            )
        elif bottle.mix_date < status.date:
            lines.append(
                f"Bottle:      batch {bottle.number} was planned for "
                f"{bottle.mix_date.isoformat()} (not recorded as mixed): use it only if you "
                "mixed it then"
            )
        else:
            lines.append(
                f"Bottle:      {_bottle_name(bottle)}, mixed {bottle.mix_date.isoformat()}, "
                f"discard after {bottle.discard_date.isoformat()}"
            )
    if today.last_dose and bottle is not None:
        lines.append(
            f"Last dose:   today's dose is the last from batch {bottle.number}: discard what is "
            "left after it"
        )
    for m in today.to_mix:
        records = (
            "record it as mixed on the day you make it"
            if today.to_come
            else "then: " + ", then ".join(command("mixed", stage=n) for n in m.record)
        )
        lines.append(
            f"Mix today:   {_bottle_name(m.bottle)}: {_recipe(m.bottle, m.record)}"
            f"{_weighed(today, m.bottle)}; discard after "
            f"{m.bottle.discard_date.isoformat()}{_why(m)} ({records})"
        )
    change = status.next_change
    if change is not None:
        what = (
            dose_text(change.dose_mg)
            if change.dose_mg is not None
            else "no dose planned from then on (the plan ends)"
        )
        lines.append(f"Next change: {change.date.isoformat()}: {what}")
    review = status.review_date
    due = status.review_due_since
    why = (
        "eight weeks at the final dose"
        if today.hold_since is None
        else "eight weeks at the held dose; it moves when the climb resumes"
        if today.hold_until is None
        else f"eight weeks at the final dose, climbing again from {today.hold_until.isoformat()}"
    )
    if today.stopped_on is not None:
        lines.append("Review:      none (the plan is stopped)")
    elif due is not None:
        when = "today" if due == status.date else "since " + due.isoformat()
        lines.append(
            f"Review:      due {when} (eight weeks at the final dose): judge the trial with "
            "your prescriber"
        )
    elif review is not None:
        moved = today.review_moved
        if moved is not None and today.hold_since is None:
            earlier, by = moved
            why += f"; moved from {earlier.isoformat()} by the {by.action} of {by.date.isoformat()}"
        lines.append(f"Review:      {review.isoformat()} ({why})")
    else:
        lines.append("Review:      not set yet")
    lines += [
        f"Reminder:    {_reminder(code, command, today.to_come)}" for code in status.reminders
    ]
    for advisory in today.advisories:
        lines.append(f"Warning:     {_advisory(advisory, today, command)}")
    return lines


def _reminder(code: str, command: Commands, to_come: bool = False) -> str:
    if to_come:  # nothing of a day to come can be recorded before it
        if code == "pgic":
            return "review day: record how you feel overall since the start on the day"
        return "scores for the review: record the day's scores on the day"
    if code == "pgic":
        return (
            f"review day: record how you feel overall since the start: {command('pgic')} "
            "(1 very much improved to 7 very much worse)"
        )
    return f"score today for the review: {command('score')} (0 to 10)"


def _advisory(advisory: Advisory, today: Today, command: Commands) -> str:
    """Word a warning, with the commands it asks for (the stages to mix and record).

    A stage is made from the stage before, so the commands are those of the
    day's bottle to mix (from the first stage she does not hold), or else the
    day's stage alone.
    """
    if advisory.code == "dilution-differs" and today.liquid is not None and not today.to_come:
        stages = next(
            (m.record for m in today.to_mix if not m.bottle.is_stock), (today.liquid.stage,)
        )
        return f"{advisory.message}: " + ", then ".join(command("mixed", stage=n) for n in stages)
    return advisory.message


def _bottle_object(bottle: Bottle, last_dose: bool = False) -> BottleObject:
    """Return one bottle: its number, liquid, dates and what is left in it."""
    return {
        "batch": bottle.number,
        "liquid": "stock" if bottle.is_stock else bottle.liquid_name,
        "concentration_mg_per_ml": json_number(bottle.concentration_mg_per_ml),
        "mix_date": bottle.mix_date.isoformat(),
        "discard_date": bottle.discard_date.isoformat(),
        "recorded": bottle.recorded,
        "left_ml": None if bottle.left_ml is None else json_number(bottle.left_ml),
        "last_dose": last_dose,
    }


def today_object(today: Today, command: Commands) -> TodayObject:
    """Return the JSON object of ``ldncalc today`` (``command`` words the commands to run)."""
    from ldncalc.render.jsonout import preparation_object, schema, stage_object

    status = today.status
    plan = today.plan
    measured: TodayMeasured = {
        "volume_ml": None,
        "syringe_ml": None,
        "graduation_ml": None,
        "measured_volume_ml": None,
        "delivered_dose_mg": None,
    }
    liquid: TodayLiquid = {"liquid": None, "concentration_mg_per_ml": None, "dilution": None}
    if plan is not None and status.planned_dose_mg is not None:
        m = plan.measurement
        if today.liquid is not None:
            liquid = {
                "liquid": today.liquid.name,
                "concentration_mg_per_ml": json_number(today.liquid.concentration_mg_per_ml),
                "dilution": [stage_object(s) for s in today.liquid.stages],
            }
        measured = {
            "volume_ml": json_number(plan.volume_ml),
            "syringe_ml": json_number(m.syringe.capacity_ml),
            "graduation_ml": json_number(m.syringe.graduation_ml),
            "measured_volume_ml": json_number(m.measured_ml),
            "delivered_dose_mg": json_number(plan.delivered_mg),
        }
    batch = today.batch
    change = status.next_change
    hold = today.hold_since
    return {
        "schema": schema("today"),
        "date": status.date.isoformat(),
        "day": status.day_number,
        "step": today.step_number,
        "dose_mg": None if status.planned_dose_mg is None else json_number(status.planned_dose_mg),
        "dose_time": None if today.dose_time is None else today.dose_time.strftime("%H:%M"),
        **measured,
        **liquid,
        "taken": bool(status.taken),
        "taken_dose_mg": None
        if status.taken_dose_mg is None
        else json_number(status.taken_dose_mg),
        "missed": status.missed,
        "record_command": None
        if status.planned_dose_mg is None or status.taken or status.missed or today.to_come
        else command("took"),
        "mix_today": bool(today.to_mix),
        "batch": None if batch is None else _bottle_object(batch, today.last_dose),
        "to_mix": [
            {
                "bottle": _bottle_object(m.bottle),
                "why": m.why,
                "replaces": None
                if m.replaces is None or m.why == "not-recorded"
                else m.replaces.number,
                "preparation": None
                if m.bottle.preparation is None
                else preparation_object(m.bottle.preparation),
                "dilution": [stage_object(s) for s in m.bottle.stages],
                "record_commands": [command("mixed", stage=n) for n in m.record],
            }
            for m in today.to_mix
        ],
        "stopped_on": None if today.stopped_on is None else today.stopped_on.isoformat(),
        "restart_command": None
        if today.stopped_on is None or today.restart_mg is None
        else command("restart", dose_mg=today.restart_mg),
        "hold": None
        if hold is None or status.planned_dose_mg is None
        else {
            "since": hold.isoformat(),
            "until": None if today.hold_until is None else today.hold_until.isoformat(),
            "dose_mg": json_number(status.planned_dose_mg),
            "resume_command": command("resume"),
        },
        "next_change": None
        if change is None
        else {
            "date": change.date.isoformat(),
            "dose_mg": None if change.dose_mg is None else json_number(change.dose_mg),
        },
        "review_date": None if status.review_date is None else status.review_date.isoformat(),
        "review_due_since": (
            None if status.review_due_since is None else status.review_due_since.isoformat()
        ),
        "review_moved": None
        if today.review_moved is None
        else {
            "from": today.review_moved[0].isoformat(),
            "action": today.review_moved[1].action,
            "date": today.review_moved[1].date.isoformat(),
        },
        "reminders": [
            {"code": code, "message": _reminder(code, command), "command": command(code)}
            for code in status.reminders
        ],
        "warnings": [
            {"code": a.code, "message": _advisory(a, today, command)} for a in today.advisories
        ],
        "disclaimer": DISCLAIMER,
    }


def plan_extra(living: LivingPlan) -> PlanExtra:
    """Return what ``plan show --json`` adds to a schedule: changes, hold, stop, review."""
    return {
        "review_date": None if living.review_date is None else living.review_date.isoformat(),
        "target_mg": json_number(living.target_mg),
        "held": living.held,
        "open_ended": living.open_ended,
        "stopped_on": None if living.stopped_on is None else living.stopped_on.isoformat(),
        "changes": [
            {
                "date": c.date.isoformat(),
                "action": c.action,
                "description": c.description,
                "entry": c.entry_id,
            }
            for c in living.changes
        ],
    }
