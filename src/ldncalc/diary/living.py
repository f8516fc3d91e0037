"""The living plan, day by day: the diary's entries turned into schedules, batches and reports.

:mod:`ldncalc.diary` re-plans from the entries (pure rules on dates and doses);
this module measures what it planned, as the rest of ldncalc does: every
dosed run becomes a step of a :class:`~ldncalc.plan.titration.Schedule` (with its
volume, mark, range and any dilution), the bottles follow the doses and the
``mixed`` entries, and the day's status, the history and the prescriber's
report are assembled from them. No I/O, no terminal, no SQLite; and no pint,
since the entries already hold exact numbers (``ldncalc today`` runs daily).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, time, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, TypeAlias

from ldncalc.diary.bottles import (
    Bottle,
    bottle_from_stock,
    capped_by_sources,
    dilution_short_tomorrow,
    held_dilution,
    held_measure,
    held_stock_plans,
    is_liquid,
    measured_from,
    named,
    new_stock,
    plan_from_stock,
    plan_needed,
    planned_bottle,
    planned_last,
    ran_out,
    recorded_bottles,
    stage_held,
    step_on,
)
from ldncalc.diary.entries import PEG_ITEMS, Diluted, Entry, Note
from ldncalc.diary.liquids import mixed_days
from ldncalc.diary.replan import Change, LivingPlan, PlannedSegment, active_entries, replan
from ldncalc.diary.started import plan_started, preparation_of, protocol_of, syringe_of
from ldncalc.diary.status import (
    DayStatus,
    adherence_of,
    day_status,
    dose_days_of,
    history_days,
    hold_since,
    hold_until,
    review_moved,
    side_effects_by_date,
)
from ldncalc.dose.preparation import Advisory, DosePlan, Preparation
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.frozen import frozen
from ldncalc.notation import format_concentration_mg_per_ml
from ldncalc.plan.dilutions import liquid_numbers
from ldncalc.plan.supply import (
    Liquid,
    SupplyPlan,
    check_batches,
    default_reserve_ml,
    liquid_of,
    plan_batches,
)
from ldncalc.plan.titration import Schedule, Segment, Step, schedule_from_segments

if TYPE_CHECKING:
    from ldncalc.diary.history import Adherence, DoseDays, HistoryDay
    from ldncalc.diary.trial import Trial, Week
    from ldncalc.dose.kit import Kit

_ONE = timedelta(days=1)
MixReason: TypeAlias = Literal["planned", "expired", "runs-out", "not-recorded"]

__all__ = [
    "Bottle",
    "MixReason",
    "Report",
    "ToMix",
    "Today",
    "build_report",
    "living_schedule",
    "living_supply",
    "plan_started",
    "preparation_of",
    "protocol_of",
    "syringe_of",
    "today_status",
]


def living_schedule(living: LivingPlan, until: date | None = None) -> Schedule:
    """Return the living plan as a schedule: each dosed run a step, its change as the note.

    Day 1 is the first day of the first plan still in force; days without a
    dose (after a stop) have no step. A dose that goes on until a stop
    (maintenance, an open hold) is laid to ``until`` or the plan's horizon,
    whichever is later.

    Raises:
        RefusedError: a dose the plan's preparation cannot deliver or measure.
    """
    plan = living.plan
    segments = [
        Segment(s.dose_mg, s.days, s.at_target, s.reason) for s in _trimmed(_laid(living, until))
    ]
    return schedule_from_segments(
        protocol_of(plan),
        segments,
        start_date=living.segments[0].first_date,
        preparation=preparation_of(plan),
        syringe=syringe_of(plan),
        kit=living.measured_with,
    )


def _laid(living: LivingPlan, until: date | None) -> tuple[PlannedSegment, ...]:
    """Return the segments with an open end laid to ``until`` or the horizon (the later)."""
    horizon = living.horizon
    if horizon is None or not living.open_ended:
        return living.segments
    return living.laid_to(horizon if until is None else max(horizon, until))


def _trimmed(segments: Sequence[PlannedSegment]) -> list[PlannedSegment]:
    """Drop the dose-less days at the end: nothing to show or to mix for them."""
    kept = list(segments)
    while kept and kept[-1].dose_mg is None:
        kept.pop()
    return kept


def _has_doses(living: LivingPlan) -> bool:
    return any(s.dose_mg is not None for s in living.segments)


def living_supply(
    schedule: Schedule, living: LivingPlan, entries: Sequence[Entry], until: date | None = None
) -> SupplyPlan:
    """Return the bottles of the living plan: planned, and mixed where the diary says so.

    A bottle recorded as mixed (a stock, or a diluted liquid) starts a batch on
    its day and keeps for the period recorded with it; a dilution no longer than
    the liquid it was made from (:func:`ldncalc.diary.liquids.discard_date`).
    """
    mixed, diluted = mixed_days(entries)
    return plan_batches(
        schedule, living.plan.keep_days, mix_dates=mixed, until=until, dilution_dates=diluted
    )


@frozen
class ToMix:
    """A bottle to mix today, and what to record once it is made.

    ``record`` names the liquids to record, in order: 0 the stock, n the nth
    dilution stage (the CLI turns each into the exact command). ``why`` says why
    it is due: "planned" (the plan's next bottle), "expired" (the bottle in use,
    ``replaces``, is past its discard date), "runs-out" (``replaces`` holds
    less than the day's dose above its reserve) or "not-recorded" (the plan's
    bottle, ``replaces``, was due on an earlier day and is not recorded as mixed:
    the diary never presents a bottle as held that it does not record).
    """

    bottle: Bottle
    record: tuple[int, ...]
    why: MixReason = "planned"
    replaces: Bottle | None = None


@frozen
class Today:
    """What a day holds for the person taking LDN: the dose, the bottle, what comes next.

    ``plan`` is how to measure the day's dose (None when none is planned) and
    ``liquid`` the liquid its volume is drawn from (the stock, or a dilution:
    renderers name it beside every volume); ``batch`` the bottle the day's
    volume is for (a recorded one, or one to mix today, or, while the diary
    records no bottle, the plan's); ``to_mix`` the bottles to mix that day, each
    with what to record once made. ``last_dose`` says the day's dose is the
    last the bottle gives; ``stopped_on`` the day the plan stopped (no dose
    since); ``hold_since`` the first day of the open hold in force, if any;
    ``restart_mg`` the dose before the stop.
    """

    status: DayStatus
    plan: DosePlan | None
    batch: Bottle | None
    to_mix: tuple[ToMix, ...]
    advisories: tuple[Advisory, ...]
    step_number: int | None = None  # the step of the plan as 'plan show' numbers it
    liquid: Liquid | None = None
    last_dose: bool = False
    stopped_on: date | None = None
    hold_since: date | None = None
    restart_mg: Fraction | None = None
    records_dilutions: bool = False  # the diary records a dilution mixed (by the day)
    # The review date before the last change that moved it, and that change.
    review_moved: tuple[date, Change] | None = None
    dose_time: time | None = None  # the hour of the dose in the profile's kit
    # The day the hold in force ends, when the diary says it (a timed hold, a
    # resume recorded ahead); None while it holds until a change is recorded.
    hold_until: date | None = None
    to_come: bool = False  # a day after today: nothing of it can be recorded yet

    @property
    def mix_today(self) -> tuple[Bottle, ...]:
        """Return the bottles to mix today."""
        return tuple(m.bottle for m in self.to_mix)


def today_status(entries: Sequence[Entry], day: date, kit: Kit | None = None) -> Today:
    """Return the day's status: dose and measure, bottle, mixing, next change, hold, stop.

    The volume is for the bottle it names. While the diary records stock
    bottles, that is the last one recorded as mixed (a bottle mixed today
    counts), drawn down by the doses recorded since (volume = dose over its
    concentration): when it is past its discard date, or holds less than the
    day's volume above its reserve, a new bottle of the plan's recipe is to
    be mixed first and the volume is for it. On a day drawn from a dilution,
    a dilution recorded (``diluted``) at the plan's concentration starts the
    diluted bottle in use; one at another concentration is never drawn from
    (a warning says so). The liquid the volume is drawn from is decided here,
    once: renderers name it. ``kit``: what the plan is measured with.

    Raises:
        InvalidInputError: no plan has been started (the diary's message).
    """
    living = replace(replan(entries), kit=kit)
    status = day_status(living, entries, day)
    warnings = [Advisory(w.code, w.message) for w in status.warnings]
    schedule = living_schedule(living, day) if _has_doses(living) else None
    if schedule is not None:  # every day refuses what planning its bottles refuses
        mixed, diluted = mixed_days(entries)
        keeps = living.plan.keep_days
        check_batches(schedule, keeps, mix_dates=mixed, until=day, dilution_dates=diluted)
    dose = status.planned_dose_mg
    step = step_on(schedule, day) if dose is not None else None
    plan = None if step is None else step.plan
    liquid = liquid_of(plan) if plan is not None else None
    stage = 0 if liquid is None else liquid.stage

    steps = () if schedule is None else schedule.steps
    firsts = [s.first_date for s in steps]

    def step_of(when: date) -> Step | None:
        index = bisect_right(firsts, when) - 1
        return None if index < 0 or when > steps[index].last_date else steps[index]

    held_plans = (
        None if schedule is None else held_stock_plans(entries, day, living, schedule.preparation)
    )

    def stage_on(when: date) -> int | None:
        """Return the liquid a day's dose is drawn from (a day with a step has a dose)."""
        found = step_of(when)
        if found is None or held_plans is None:
            return None
        held = held_plans(when, found.plan)  # a stock mixed otherwise measures it itself
        return len((found.plan if held is None else held).dilution)

    def planned_on(when: date) -> Fraction | None:
        found = step_of(when)
        return None if found is None else found.plan.dose_mg

    now = recorded_bottles(entries, day, stage_on, planned_on)
    count = len(now)
    numbers = iter(range(count + 1, count + 10))
    to_mix: list[ToMix] = []
    stocks = [b for b in now if b.is_stock]
    last = stocks[-1] if stocks else None
    stock_in_use: Bottle | None = None
    bottle: Bottle | None = None
    last_dose = False
    own = False  # the day's liquid is a dilution of the held stock that the plan does not make
    if last is not None and plan is not None and schedule is not None:
        why: MixReason | None = None
        recipe = last.preparation
        if last.discard_date < day and not status.taken:  # taken: nothing more today
            why = "expired"
        elif recipe is not None and (
            measured := held_measure(living, plan, recipe, schedule.preparation)
        ):
            # The bottle in use, mixed otherwise, measures the dose itself: drawn from
            # it, or from a dilution of it (the day's liquid, named by its batch).
            plan, liquid = measured, liquid_of(measured)
            stage, own = liquid.stage, liquid.stage > 0
            if own:
                stock_in_use = last
                warnings.append(_dilution_of_held(recipe, schedule.preparation))
        if why is None and stage == 0 and recipe is not None:
            need = plan.measurement.measured_ml
            # What it held as the day began decides whether it runs out.
            usable = last.began_with_ml - last.reserve_ml
            if not status.taken and usable < need:
                why = "runs-out"  # a bottle of the plan's recipe, measured as the plan does
                plan = step.plan if step is not None else plan
                liquid = liquid_of(plan)
                stage = liquid.stage
            else:
                stock_in_use, bottle = last, last
                if recipe != schedule.preparation:
                    warnings.append(_differs(recipe, schedule.preparation))
                after = last.usable_ml if status.taken else usable - need
                last_dose = last.discard_date == day or _short_tomorrow(
                    living, schedule, day, recipe, last, after
                )
        elif why is None and not own:
            stock_in_use = last
        if why is not None:
            stock_in_use = new_stock(
                next(numbers), day, living.plan.keep_days, schedule.preparation
            )
            to_mix.append(ToMix(stock_in_use, (0,), why, last))
            if stage == 0:
                bottle = stock_in_use
    needed = schedule is not None and dose is not None and plan_needed(last, stage)
    supply = living_supply(schedule, living, entries, day) if schedule and needed else None
    in_use = supply.in_use_on(day) if supply is not None else ()
    if last is None and schedule is not None:
        # The diary records no stock bottle: the plan's bottle due today, as the plan
        # numbers it; one due on an earlier day and not recorded is not presented as
        # held: a new one is to be mixed today (the volume is for it).
        stock_batches = [b for b in in_use if b.liquid == "stock"]
        due = next((b for b in stock_batches if b.mix_date == day), None)
        b = due or (stock_batches[-1] if stock_batches else None)
        if b is not None and (b.mix_date == day or status.taken):
            number = next(numbers) if count else b.number
            stock_in_use = planned_bottle(b, number, None, schedule.preparation)
            if b.mix_date == day:
                to_mix.append(ToMix(stock_in_use, (0,)))
            if stage == 0:
                bottle = stock_in_use
                last_dose = planned_last(b, schedule, living, day)
        elif b is not None:
            unrecorded = planned_bottle(b, b.number, None, schedule.preparation)
            prep = schedule.preparation
            stock_in_use = new_stock(next(numbers), day, living.plan.keep_days, prep)
            to_mix.append(ToMix(stock_in_use, (0,), "not-recorded", unrecorded))
            if stage == 0 and plan is not None:
                bottle = stock_in_use
                after = stock_in_use.volume_ml - stock_in_use.reserve_ml
                after -= plan.measurement.measured_ml
                last_dose = _short_tomorrow(living, schedule, day, prep, stock_in_use, after)
    if plan is not None:
        warnings += plan.advisories
    dilutions = _recorded_dilutions(entries, day)
    if liquid is not None and not liquid.is_stock and schedule is not None and plan is not None:
        # The plan's dilution, unless the day's is one of the held stock (the plan makes none).
        planned = None if own else next((b for b in in_use if b.liquid != "stock"), None)
        made_from = stock_in_use.number if stock_in_use is not None else None
        held = held_dilution(now, liquid, day, plan, bool(status.taken))
        if held is not None:
            # The dilution recorded of the day's liquid, in date, holding the volume.
            bottle, after = held
            last_dose = bottle.discard_date == day or dilution_short_tomorrow(
                living, schedule, day, liquid, after
            )
        elif (
            ran_out(now, liquid, day)
            or (planned is not None and planned.mix_date < day and not status.taken)
            or (own and not status.taken)
        ):
            # The one recorded holds too little, or the plan's was due on an earlier day
            # and is not recorded, or the held stock's is not made yet: a new one first,
            # the volume is for it.
            dry = next((r for r in reversed(now) if is_liquid(r, liquid)), None)
            why_dilution: MixReason = "runs-out"
            if own and (dry is None or dry.discard_date < day):
                why_dilution, dry = "planned", None
            elif dry is None or dry.discard_date < day:
                assert planned is not None
                why_dilution = "not-recorded"
                dry = planned_bottle(
                    planned, planned.number, planned.made_from, schedule.preparation
                )
            stages = tuple(
                n for n in range(1, liquid.stage + 1) if not stage_held(now, plan, n, day)
            ) or (liquid.stage,)
            if stages[0] > 1:  # made from the stage before, which she holds
                source_bottle = [r for r in now if r.stage == stages[0] - 1][-1]
                made_from = source_bottle.number
            elif stock_in_use is None:  # no stock recorded: it comes first
                stock_in_use = new_stock(
                    next(numbers), day, living.plan.keep_days, schedule.preparation
                )
                to_mix.append(ToMix(stock_in_use, (0,), why_dilution))
                made_from = stock_in_use.number
            total = plan.dilution[-1].total_ml
            keep = day + timedelta(days=living.plan.keep_days - 1)
            source = stock_in_use.discard_date if stock_in_use is not None else keep
            bottle = Bottle(
                next(numbers),
                liquid.stage,
                day,
                min(keep, source),
                liquid.concentration_mg_per_ml,
                total,
                default_reserve_ml(total),
                stages=plan.dilution,
                made_from=made_from,
            )
            to_mix.append(ToMix(bottle, stages, why_dilution, dry))
        elif planned is not None:
            number = next(numbers) if count else planned.number
            made_from = made_from if made_from is not None else planned.made_from
            bottle = planned_bottle(planned, number, made_from, schedule.preparation)
            # Kept no longer than what it is made from: the date its label will say.
            bottle = capped_by_sources(bottle, now, stock_in_use, day)
            if planned.mix_date == day:
                left = [
                    n
                    for n, stage_made in enumerate(planned.stages, start=1)
                    if not any(
                        on == day
                        and d.stage == n
                        and _same_liquid(d, stage_made.concentration_mg_per_ml)
                        for on, d in dilutions
                    )
                ]
                if left:
                    to_mix.append(ToMix(bottle, tuple(left)))
            last_dose = planned_last(planned, schedule, living, day)
        warnings += _other_dilutions(dilutions, day, liquid)
    stopped = living.stopped_on if dose is None else None
    if stopped is not None and stopped > day:
        stopped = None
    if stock_in_use is not None and stock_in_use.recorded and schedule is not None:
        held_mg_per_ml = stock_in_use.concentration_mg_per_ml
        kit, held_recipe = living.measured_with, stock_in_use.preparation
        if held_recipe is not None:
            adapted = [
                m
                if 1 not in m.record
                else replace(m, bottle=bottle_from_stock(m.bottle, held_recipe, kit))
                for m in to_mix
            ]
            if plan is not None:
                # One recipe: the day's dilution lines are the one mixed from the held stock.
                plan = plan_from_stock(plan, held_recipe, kit)
        else:
            adapted = to_mix
        if adapted != to_mix:
            to_mix = adapted
            planned_mg_per_ml = schedule.preparation.concentration_mg_per_ml
            warnings.append(
                Advisory(
                    "bottle-differs",
                    f"the bottle of stock in use is "
                    f"{format_concentration_mg_per_ml(held_mg_per_ml)}, not the plan's "
                    f"{format_concentration_mg_per_ml(planned_mg_per_ml)}: the dilution's "
                    "first stage takes from it what makes the plan's dilution",
                )
            )
    numbers_of = liquid_numbers([s.plan for s in steps])

    def names(b: Bottle | None) -> Bottle | None:
        return None if b is None else named(b, numbers_of)

    if plan is not None and bottle is not None:
        _check_drawn_from(plan, bottle)
    hold_day = hold_since(living, entries, day, dose)
    return Today(
        status,
        plan,
        names(bottle),
        tuple(
            replace(m, bottle=named(m.bottle, numbers_of), replaces=names(m.replaces))
            for m in to_mix
        ),
        tuple(warnings),
        None if plan is None or step is None else step.number,
        liquid_of(plan) if plan is not None else None,
        last_dose,
        stopped,
        hold_day,
        None if stopped is None else living.dose_on(stopped - _ONE) if stopped > date.min else None,
        any(not b.is_stock for b in now),
        review_moved(living, entries, day),
        hold_until=hold_until(living, entries, day, hold_day),
    )


def _plan_for(living: LivingPlan, dose: Fraction | None, made: Preparation) -> DosePlan:
    assert dose is not None
    return measured_from(living, dose, made)


def _check_drawn_from(plan: DosePlan, bottle: Bottle) -> None:
    """Refuse a day whose volume would be drawn from a bottle of another concentration.

    The last guard of ``today``: a volume means nothing without its liquid's
    concentration, so no instruction is given rather than a wrong one.
    """
    drawn = plan.drawn_concentration_mg_per_ml
    if bottle.concentration_mg_per_ml != drawn:
        raise RefusedError(
            f"the day's volume is for a {format_concentration_mg_per_ml(drawn)} liquid, and "
            f"batch {bottle.number} is "
            f"{format_concentration_mg_per_ml(bottle.concentration_mg_per_ml)}: ldncalc gives "
            "no instruction rather than a wrong one",
            code="bottle-mismatch",
        )


def _dilution_of_held(made: Preparation, planned: Preparation) -> Advisory:
    return Advisory(
        "bottle-differs",
        f"the bottle in use is {made.label}, not the plan's {planned.label}: "
        "today's dose is drawn from a dilution of it (the volume is for that dilution)",
    )


def _differs(made: Preparation, planned: Preparation) -> Advisory:
    return Advisory(
        "bottle-differs",
        f"the bottle in use is {made.label}, not the plan's {planned.label}: "
        "the volume is for the bottle",
    )


def _short_tomorrow(
    living: LivingPlan,
    schedule: Schedule,
    day: date,
    made: Preparation,
    bottle: Bottle,
    after_ml: Fraction | None,
) -> bool:
    """Return whether the bottle cannot give tomorrow's dose (its last dose is today's)."""
    tomorrow = day + _ONE
    dose = living.dose_on(tomorrow)
    step = step_on(schedule, tomorrow)
    if dose is None or step is None or step.plan.dilution or after_ml is None:
        return False
    if bottle.discard_date < tomorrow:
        return True
    measured = step.plan if made == schedule.preparation else _plan_for(living, dose, made)
    return after_ml < measured.measurement.measured_ml


def _recorded_dilutions(entries: Sequence[Entry], day: date) -> list[tuple[date, Diluted]]:
    """Return the diluted liquids recorded on or before ``day``, by mixing day (then id)."""
    found = [
        (e.day, e.id, e.payload)
        for e in active_entries(entries)
        if isinstance(e.payload, Diluted) and e.day <= day
    ]
    return [(on, diluted) for on, _, diluted in sorted(found, key=lambda f: f[:2])]


def _same_liquid(diluted: Diluted, concentration_mg_per_ml: Fraction) -> bool:
    return diluted.concentration_mg_per_ml == concentration_mg_per_ml


def _other_dilutions(
    dilutions: Sequence[tuple[date, Diluted]], day: date, liquid: Liquid | None
) -> list[Advisory]:
    """Warn of a dilution recorded for the day's stage that is not the plan's liquid."""
    if liquid is None or liquid.is_stock:
        return []
    latest = [
        (on, d)
        for on, d in dilutions
        if d.stage == liquid.stage and on + timedelta(days=d.keep_days - 1) >= day
    ]
    if not latest or _same_liquid(latest[-1][1], liquid.concentration_mg_per_ml):
        return []
    on, d = latest[-1]
    return [
        Advisory(
            "dilution-differs",
            f"the dilution recorded on {on.isoformat()} is "
            f"{format_concentration_mg_per_ml(d.concentration_mg_per_ml)}, not the plan's "
            f"{format_concentration_mg_per_ml(liquid.concentration_mg_per_ml)}: do not draw "
            f"today's volume from it; mix the plan's dilution and record it",
        )
    ]


@frozen
class Report:
    """What the prescriber reads: the plan and its changes, adherence, doses, scores.

    ``trial`` is the trial judged (baseline, evaluation, change, by dose) and
    ``weeks`` the period cut into weeks: the report's figures, computed here so
    that the renderers only lay them out.
    """

    start: date
    end: date
    living: LivingPlan
    schedule: Schedule | None
    changes: tuple[Change, ...]
    adherence: Adherence
    dose_days: tuple[DoseDays, ...]
    side_effects: tuple[tuple[date, tuple[str, ...]], ...]
    days: tuple[HistoryDay, ...]
    notes: tuple[tuple[date, str], ...]
    scores: tuple[str, ...]
    trial: Trial
    weeks: tuple[Week, ...]

    @property
    def review_date(self) -> date | None:
        """Return the day the trial is judged (eight weeks at the final dose)."""
        return self.living.review_date

    def unrecorded(self, up_to: date) -> tuple[date, ...]:
        """Return the days up to ``up_to`` with a dose planned and nothing recorded."""
        from ldncalc.diary.trial import unrecorded_days

        return unrecorded_days(self.days, up_to)


_FIRST_SCORES = (*PEG_ITEMS, "fatigue", "sleep")  # the PEG's items first, in its order


def build_report(
    entries: Sequence[Entry], today: date, start: date | None = None, end: date | None = None
) -> Report:
    """Return the report of the diary from ``start`` to ``end`` (default: the plan to today).

    The default start is the baseline's first day when notes were scored in the
    14 days before the plan's start (the trial's baseline), else the plan's start.

    Raises:
        InvalidInputError: no plan has been started, or ``start`` after ``end``.
        RefusedError: a dose the plan's preparation cannot measure.
    """
    living = replan(entries)
    # Dates in the diary are calendar dates: one made where it is already tomorrow
    # (UTC+14, read at UTC-3) still reports, from its first day.
    last = end or max(today, living.start_date)
    from ldncalc.diary.trial import DaySpan, judge_trial, trial_span, weeks

    # The days are made once, over every window the report and the trial read.
    lo, hi = trial_span(living, last, start)
    span = DaySpan(lo, history_days(living, entries, lo, max(hi, last)))
    trial = judge_trial(living, entries, last, start, span)
    # By default the report opens with the baseline when it comes before the plan.
    before = trial.baseline.kind == "before-start" and trial.baseline.days_scored > 0
    first = start or (trial.baseline.first if before else living.start_date)
    if first > last:
        raise InvalidInputError(
            f"the report starts after it ends ({first.isoformat()} > {last.isoformat()})",
            code="window-backwards",
        )
    schedule = living_schedule(living, last) if _has_doses(living) else None
    days = span.between(first, last)
    kept = active_entries(entries)
    notes = tuple(
        (e.day, e.payload.text)
        for e in kept
        if isinstance(e.payload, Note) and e.payload.text and first <= e.day <= last
    )
    names = sorted({name for d in days for name in d.scores})
    ordered = tuple(n for n in _FIRST_SCORES if n in names) + tuple(
        n for n in names if n not in _FIRST_SCORES
    )
    return Report(
        start=first,
        end=last,
        living=replace(living, segments=_laid(living, last)),
        schedule=schedule,
        changes=tuple(c for c in living.changes if c.date <= last),
        adherence=adherence_of(days[: max(0, (min(last, today) - first).days + 1)]),
        dose_days=dose_days_of(days),
        side_effects=side_effects_by_date(entries, first, last),
        days=days,
        notes=notes,
        scores=ordered,
        trial=trial,
        weeks=weeks(days, ordered),
    )
