"""The rules of recording: pure checks of a new entry against the diary's entries.

:class:`~ldncalc.diary.service.Diary` calls them inside the transaction that
appends the entry; each returns warnings or raises an ``LdncalcError``, and
none reads or writes anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from fractions import Fraction
from itertools import pairwise
from typing import Any

from ldncalc.diary.cautions import SLIP_FACTOR, DiaryWarning, beyond_soft_limits, ten_times
from ldncalc.diary.entries import Adjust, Entry, Missed, Mixed, Payload, PlanStarted, Took
from ldncalc.diary.replan import LivingPlan, active_entries, replan
from ldncalc.errors import InvalidInputError, LdncalcError, RefusedError
from ldncalc.notation import format_concentration_mg_per_ml, format_dose_mg, format_volume_ml

__all__ = [
    "SLIP_FACTOR",
    "adjust_rules",
    "check_dilution_source",
    "check_preparable",
    "dilution_recipe",
    "dose_rules",
    "entry_rules",
    "has_plan",
    "new_rises",
    "one_record",
    "plan_rules",
    "planned_dilution",
    "running",
]


def has_plan(entries: Sequence[Entry]) -> bool:
    return any(isinstance(e.payload, PlanStarted) for e in entries)


def running(entries: list[Entry], today: date) -> LivingPlan | None:
    """Return the living plan if it still gives doses from ``today`` on, else None."""
    try:
        living = replan(entries)
    except InvalidInputError:  # every plan undone: nothing runs
        return None
    end = living.end_date
    if living.stopped_on is None and end is not None and end >= today:
        return living
    return None


def one_record(entries: Sequence[Entry], day: date) -> None:
    """Refuse a second record of a day's dose, taken or missed, in either order."""
    found = next(
        (
            e
            for e in active_entries(entries)
            if isinstance(e.payload, Took | Missed) and e.day == day
        ),
        None,
    )
    if found is None:
        return
    what = "a dose taken" if isinstance(found.payload, Took) else "a missed dose"
    raise RefusedError(
        f"{day.isoformat()} already has {what} (entry {found.id})",
        code="day-recorded",
        entry_id=found.id,
    )


def dose_rules(
    dose: Fraction,
    what: str,
    plan_doses: Sequence[Fraction],
    strength_mg: Fraction,
    *,
    confirm: bool,
    rises: Sequence[tuple[Fraction, Fraction]] = (),
) -> list[str]:
    """Check a target or a prescribed dose; return the warnings, or refuse it.

    Refused: above a tablet's strength; unless confirmed, exactly ten times a
    dose of the plan (45 mg where the plan has 4.5 mg), above the usual
    low-dose range (4.5 mg), or one of ``rises`` (from, to) above the usual
    step (1.5 mg). Confirmed, the last two are kept with a warning.
    """
    from ldncalc.plan.titration import USUAL_MAX_MG, check_soft_limits

    if dose > strength_mg:
        raise RefusedError(
            f"{what} {format_dose_mg(dose)} is more than a whole tablet "
            f"({format_dose_mg(strength_mg)}); low-dose naltrexone is a fraction of one",
            code="above-tablet",
        )
    tenth = dose / SLIP_FACTOR
    if dose > USUAL_MAX_MG and tenth in set(plan_doses) and not confirm:
        raise RefusedError(
            f"{what} {format_dose_mg(dose)} is ten times the plan's {format_dose_mg(tenth)}: "
            f"did you mean {format_dose_mg(tenth)}?",
            code="ten-times",
        )
    return check_soft_limits(dose, rises, what, confirm=confirm)


def _rises(living: LivingPlan) -> set[tuple[date, Fraction, Fraction]]:
    """Return (day, from, to) of each rise from one day's dose to the next within a plan."""
    starts = {plan.start_date for plan in living.plans}
    return {
        (b.first_date, a.dose_mg, b.dose_mg)
        for a, b in pairwise(living.segments)
        if a.dose_mg is not None
        and b.dose_mg is not None
        and b.dose_mg > a.dose_mg
        and b.first_date not in starts
    }


def new_rises(before: LivingPlan, after: LivingPlan, day: date) -> list[tuple[Fraction, Fraction]]:
    """Return (from, to) of each rise from ``day`` on that ``after`` has and ``before`` has not."""
    return [
        (low, high) for when, low, high in sorted(_rises(after) - _rises(before)) if when >= day
    ]


def plan_rules(started: PlanStarted, *, confirm: bool) -> list[DiaryWarning]:
    """Check a plan's target and the rises of its climb; return the warnings, or refuse."""
    doses = [d for d, _ in started.climb]
    rises = [(a, b) for a, b in pairwise([*doses, started.target_mg]) if b > a]
    dose_rules(
        started.target_mg, "the target", doses, started.strength_mg, confirm=confirm, rises=rises
    )
    return beyond_soft_limits(started.target_mg, "the target", rises)


def adjust_rules(
    entries: Sequence[Entry], day: date, adjust: Adjust, *, confirm: bool
) -> list[DiaryWarning]:
    """Check a change of the plan that sets a dose or a target; return its warnings, or refuse.

    The limits are those of :func:`dose_rules`, on the rises the change would
    add (a dose set far above the day before's, a raised target's steps); a
    change that cannot apply at all is refused by the re-planner afterwards.
    """
    if adjust.dose_mg is None:
        return []
    living = replan(entries)
    doses = [s.dose_mg for s in living.segments if s.dose_mg is not None]
    what = "the target" if adjust.action == "target" else "the dose"
    draft = Entry("draft", max(e.id for e in entries) + 1, day, datetime.now(UTC), adjust)
    try:
        rises = new_rises(living, replan([*entries, draft]), day)
    except LdncalcError:
        rises = []
    dose_rules(
        adjust.dose_mg,
        what,
        [*doses, living.target_mg],
        living.plan.strength_mg,
        confirm=confirm,
        rises=rises,
    )
    warnings = beyond_soft_limits(adjust.dose_mg, what, rises)
    # A slip down (0.45 mg for 4.5 mg) is never refused, as a slip up is: asked about.
    before = living.target_mg if adjust.action == "target" else living.dose_on(day)
    against = "the target," if adjust.action == "target" else "the dose in force,"
    slip = (
        None
        if before is None
        else ten_times(adjust.dose_mg, before, against, "recorded as given", ask=True)
    )
    return ([slip] if slip is not None and not warnings else []) + warnings


def entry_rules(payload: Payload, before: Sequence[Entry]) -> None:
    """Check an imported entry by the rules the commands apply when they record it.

    A misplaced decimal point is not asked about (an export holds what was
    confirmed when it was recorded); everything else is as for a command.
    """
    if isinstance(payload, PlanStarted):
        from ldncalc.diary.living import preparation_of, syringe_of

        preparation_of(payload)  # the recipe's limits: tablets, strength, water
        syringe_of(payload)  # the syringe's limits
        climb = [d for d, _ in payload.climb]
        dose_rules(payload.target_mg, "the target", climb, payload.strength_mg, confirm=True)
    elif isinstance(payload, Mixed):
        from ldncalc.diary.living import preparation_of

        preparation_of(payload)
    elif isinstance(payload, Adjust) and payload.dose_mg is not None:
        strength = replan(before).plan.strength_mg
        dose_rules(payload.dose_mg, "the dose", [], strength, confirm=True)


def check_preparable(living: LivingPlan) -> None:
    """Refuse a plan any of whose days cannot be prepared and measured."""
    from ldncalc.diary.living import living_schedule, preparation_of, syringe_of
    from ldncalc.plan.supply import plan_batches

    if not any(s.dose_mg is not None for s in living.segments):
        return
    preparation_of(living.plan)
    syringe_of(living.plan)
    try:
        plan_batches(living_schedule(living), living.plan.keep_days)
    except RefusedError as exc:
        raise RefusedError(f"no later day could follow it: {exc}", code="not-preparable") from exc
    except InvalidInputError as exc:
        raise RefusedError(f"no later day could follow it: {exc}", code="not-preparable") from exc


def planned_dilution(
    living: LivingPlan, day: date, entries: Sequence[Entry] = ()
) -> tuple[Any, ...]:
    """Return the dilution stages of the plan's dose on ``day``, or of the next diluted day.

    A dose that goes on until a stop (maintenance, an open hold) is laid to
    ``day`` at least: a dilution is recorded on any day of it, as ``today`` asks.
    A day the plan draws from its stock is diluted when the bottle of stock
    held (``entries``) is too strong to draw its dose from, as ``today`` says.
    """
    from ldncalc.diary.bottles import held_stock_plans
    from ldncalc.diary.living import living_schedule

    schedule = living_schedule(living, day)
    held = held_stock_plans(entries, day, living, schedule.preparation) if entries else None
    for _, when, step in schedule.daily():
        if when < day:
            continue
        measured = None if held is None else held(when, step.plan)
        stages = (step.plan if measured is None else measured).dilution
        if stages:
            return tuple(stages)
    return ()


def check_dilution_source(
    entries: Sequence[Entry], day: date, stage: int, stages: Sequence[Any]
) -> int:
    """Refuse a dilution stage made from a liquid she does not hold; return that liquid's entry id.

    Stage 1 is made from a bottle of stock recorded and in date on ``day``;
    stage 2 from a stage-1 dilution recorded and in date, at the concentration
    the plan's stage 2 starts from. ``stages`` are the plan's stages
    (:class:`~ldncalc.dose.dilution.DilutionStage`).
    """
    from ldncalc.diary.liquids import held_liquids, source_held

    made = stages[stage - 1]
    start = made.from_concentration_mg_per_ml
    held = held_liquids(entries)
    source = source_held(held, day, stage, start)
    if source is not None:
        return source.entry_id
    conc = format_concentration_mg_per_ml(start)
    when = day.isoformat()
    if stage == 1:
        other = source_held(held, day, 1)
        found = (
            "no bottle of stock is recorded and in date"
            if other is None
            else f"the bottle of stock in date is "
            f"{format_concentration_mg_per_ml(other.concentration_mg_per_ml)}"
        )
        raise RefusedError(
            f"stage 1 of the dilution is made from the {conc} stock, and on {when} {found}: "
            f"mix a bottle of the {conc} stock first",
            code="no-stock-held",
        )
    first = stages[0]
    other = source_held(held, day, stage)
    found = (
        "no stage-1 dilution is recorded and in date"
        if other is None
        else f"the stage-1 dilution in date is "
        f"{format_concentration_mg_per_ml(other.concentration_mg_per_ml)}"
    )
    raise RefusedError(
        f"stage {stage} is made from the {conc} stage-1 dilution, and on {when} {found}: "
        f"make stage 1 first ({format_volume_ml(first.aliquot_ml)} of the "
        f"{format_concentration_mg_per_ml(first.from_concentration_mg_per_ml)} stock + "
        f"{format_volume_ml(first.water_ml)} of water = {conc})",
        code="no-dilution-held",
    )


def dilution_recipe(
    entries: Sequence[Entry], day: date, stage: int, stages: Sequence[Any]
) -> tuple[Fraction, Fraction, Fraction]:
    """Return how a stage is made from the liquid she holds: (its concentration, taken, water).

    The plan's amounts, from the plan's liquid; a first stage from a bottle of
    stock mixed otherwise (other water) takes what gives the plan's
    concentration in the plan's volume (0.5 mL of a 2 mg/mL stock + 9.5 mL of
    water where the plan takes 1 mL of 1 mg/mL + 9 mL), so that the dilution
    is the plan's liquid. Refused as :func:`check_dilution_source` refuses.
    """
    from ldncalc.diary.liquids import held_liquids, source_held

    made = stages[stage - 1]
    plan_amounts = (made.from_concentration_mg_per_ml, made.aliquot_ml, made.water_ml)
    if stage == 1 and source_held(held_liquids(entries), day, 1, plan_amounts[0]) is None:
        other = source_held(held_liquids(entries), day, 1)
        if other is not None and other.concentration_mg_per_ml > made.concentration_mg_per_ml:
            total = made.total_ml
            taken = made.concentration_mg_per_ml * total / other.concentration_mg_per_ml
            return other.concentration_mg_per_ml, taken, total - taken
    check_dilution_source(entries, day, stage, stages)
    return plan_amounts
