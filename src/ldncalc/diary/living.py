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

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc.diary.entries import PEG_ITEMS, Diluted, Entry, Mixed, Note, PlanStarted
from ldncalc.diary.replan import Change, LivingPlan, PlannedSegment, active_entries, replan
from ldncalc.diary.status import (
    Adherence,
    DayStatus,
    DoseDays,
    HistoryDay,
    adherence_of,
    day_status,
    dose_days_of,
    history_days,
    side_effects_by_date,
)
from ldncalc.dose.preparation import Advisory, DosePlan, Preparation, make_preparation, plan_dose
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import InvalidInputError
from ldncalc.notation import format_concentration_mg_per_ml, format_dose_mg
from ldncalc.plan.supply import Batch, Liquid, SupplyPlan, liquid_of, plan_batches
from ldncalc.plan.titration import Protocol, Schedule, Segment, schedule_from_segments

if TYPE_CHECKING:
    from ldncalc.diary.trial import Trial, Week

__all__ = [
    "Report",
    "ToMix",
    "Today",
    "build_report",
    "living_schedule",
    "living_supply",
    "plan_started",
    "preparation_of",
    "protocol_of",
    "record_command",
    "syringe_of",
    "today_status",
]


def plan_started(
    protocol: Protocol,
    *,
    start_date: date,
    preparation: Preparation,
    syringe: Syringe | None,
    hold_days: int,
    keep_days: int,
) -> PlanStarted:
    """Return the diary entry that starts ``protocol`` with these settings."""
    return PlanStarted(
        climb=protocol.climb,
        target_mg=protocol.target_mg,
        hold_days=hold_days,
        protocol_id=protocol.id,
        protocol_title=protocol.title,
        start_date=start_date,
        tablets=preparation.tablets,
        strength_mg=preparation.strength_mg,
        water_ml=preparation.water_ml,
        syringe_ml=None if syringe is None else syringe.capacity_ml,
        graduation_ml=None if syringe is None else syringe.graduation_ml,
        keep_days=keep_days,
    )


def protocol_of(plan: PlanStarted) -> Protocol:
    """Return the protocol a started plan follows (as it was when started)."""
    climb = ", ".join(f"{format_dose_mg(d)} for {n} days" for d, n in plan.climb)
    held = f"then {format_dose_mg(plan.target_mg)}"
    return Protocol(
        id=plan.protocol_id,
        title=plan.protocol_title,
        description=f"{climb}, {held}." if climb else f"{format_dose_mg(plan.target_mg)}.",
        source="the plan started in the diary",
        climb=plan.climb,
        target_mg=plan.target_mg,
    )


def preparation_of(plan: PlanStarted | Mixed) -> Preparation:
    """Return the preparation a started plan (or a mixed batch) names."""
    return make_preparation(plan.tablets, plan.strength_mg, plan.water_ml)


def syringe_of(plan: PlanStarted) -> Syringe | None:
    """Return the syringe a started plan names, or None for the catalogue."""
    if plan.syringe_ml is None or plan.graduation_ml is None:
        return None
    return Syringe(plan.syringe_ml, plan.graduation_ml)


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
    its day and keeps for the period recorded with it.
    """
    kept = active_entries(entries)
    mixed = {e.day: e.payload.keep_days for e in kept if isinstance(e.payload, Mixed)}
    diluted = {e.day: e.payload.keep_days for e in kept if isinstance(e.payload, Diluted)}
    return plan_batches(
        schedule, living.plan.keep_days, mix_dates=mixed, until=until, dilution_dates=diluted
    )


def record_command(stage: int = 0) -> str:
    """Return the command that records a bottle made: the stock (0), or a dilution stage."""
    if stage == 0:
        return "ldncalc mixed"
    return "ldncalc mixed --dilution" + ("" if stage == 1 else f" --stage {stage}")


@dataclass(frozen=True, slots=True)
class ToMix:
    """A bottle to mix today, and the exact command that records it once made.

    ``batch`` is None for a new stock bottle due because the last one recorded
    is past its discard date (the plan's own bottle is still good on paper).
    """

    batch: Batch | None
    record_command: str


@dataclass(frozen=True, slots=True)
class Today:
    """What a day holds for the person taking LDN: the dose, the bottle, what comes next.

    ``plan`` is how to measure the day's dose (None when none is planned) and
    ``liquid`` the liquid its volume is drawn from (the stock, or a dilution:
    renderers name it beside every volume); ``batch`` the bottle the day's dose
    comes from (the dilution's on a diluted day); ``to_mix`` the bottles to mix
    that day, each with the command that records it.
    """

    status: DayStatus
    plan: DosePlan | None
    batch: Batch | None
    to_mix: tuple[ToMix, ...]
    advisories: tuple[Advisory, ...]
    step_number: int | None = None  # the step of the plan as 'plan show' numbers it
    # Whether ``batch`` was recorded as mixed (False: only planned, while the
    # diary records bottles), and whether a new stock bottle is due today
    # because the last one recorded is past its discard date.
    batch_recorded: bool = True
    mix_stock_now: bool = False
    liquid: Liquid | None = None
    batch_in_diary: bool = False  # an entry records ``batch`` as mixed

    @property
    def mix_today(self) -> tuple[Batch, ...]:
        """Return the planned bottles to mix today."""
        return tuple(m.batch for m in self.to_mix if m.batch is not None)


def today_status(entries: Sequence[Entry], day: date) -> Today:
    """Return the day's status: dose and measure, bottle, mixing, next change, warnings.

    The volume is for the bottle in use: the last one recorded as mixed (by its
    mixing day) while it is within its keep period, else the plan's recipe (a
    new bottle is due). A bottle mixed today counts as mixed. On a day drawn
    from a dilution, a dilution recorded (``diluted``) at the plan's
    concentration starts the diluted bottle in use; one at another
    concentration is never drawn from (a warning says so). The liquid the
    volume is drawn from is decided here, once: renderers name it.

    Raises:
        InvalidInputError: no plan has been started (the diary's message).
    """
    living = replan(entries)
    status = day_status(living, entries, day)
    warnings = [Advisory("diary", w) for w in status.warnings]
    schedule = living_schedule(living, day) if _has_doses(living) else None
    # Only the bottles up to the day matter to it (ten years of diary plan fast).
    supply = living_supply(schedule, living, entries, day) if schedule is not None else None
    recorded = _recorded_mixes(entries, day)
    last = recorded[-1] if recorded else None
    usable = last is not None and _discard_date(*last) >= day
    plan, step_number = None, None
    if status.planned_dose_mg is not None and schedule is not None:
        step = next((s for _, when, s in schedule.daily() if when == day), None)
        if step is not None:
            plan, step_number = step.plan, step.number
        if last is not None and usable:
            made = preparation_of(last[1])
            if made != schedule.preparation:
                plan = plan_dose(status.planned_dose_mg, made, syringe_of(living.plan))
                warnings.append(
                    Advisory(
                        "bottle-differs",
                        f"the bottle in use is {made.label}, not the plan's "
                        f"{schedule.preparation.label}: the volume is for the bottle",
                    )
                )
    in_use = supply.in_use_on(day) if supply is not None else ()
    liquid = liquid_of(plan) if plan is not None else None
    # The bottle the dose is drawn from: a dilution's on a diluted step, else the stock's.
    diluted = liquid is not None and not liquid.is_stock
    bottle = next((b for b in in_use if (b.liquid != "stock") == diluted), None)
    mixed_today = any(mixed_on == day for mixed_on, _ in recorded)
    dilutions = _recorded_dilutions(entries, day)
    to_mix: list[ToMix] = []
    for b in in_use:
        if b.mix_date != day:
            continue
        if b.liquid == "stock":
            if not mixed_today:
                to_mix.append(ToMix(b, record_command()))
            continue
        left = [
            n
            for n, stage in enumerate(b.stages, start=1)
            if not any(
                on == day and d.stage == n and _same_liquid(d, stage.concentration_mg_per_ml)
                for on, d in dilutions
            )
        ]
        if left:
            to_mix.append(ToMix(b, ", then ".join(record_command(n) for n in left)))
    if plan is not None:
        warnings += plan.advisories
    # A bottle only planned counts as mixed until the diary records such bottles.
    if bottle is None:
        in_diary, batch_recorded = False, True
    elif bottle.liquid == "stock":
        in_diary = bottle.mix_date in {mixed_on for mixed_on, _ in recorded}
        batch_recorded = in_diary or not recorded
    else:
        in_diary = liquid is not None and any(
            on == bottle.mix_date
            and d.stage == liquid.stage
            and _same_liquid(d, liquid.concentration_mg_per_ml)
            for on, d in dilutions
        )
        batch_recorded = in_diary or not dilutions
        warnings += _other_dilutions(dilutions, day, liquid)
    mix_stock_now = last is not None and not usable and status.planned_dose_mg is not None
    if mix_stock_now and not any(m.batch is not None and m.batch.liquid == "stock" for m in to_mix):
        to_mix.insert(0, ToMix(None, record_command()))
    if last is not None and not usable:
        warnings.append(_expired(*last, mix_stock_now))
    return Today(
        status,
        plan,
        bottle,
        tuple(to_mix),
        tuple(warnings),
        step_number,
        batch_recorded,
        mix_stock_now,
        liquid,
        in_diary,
    )


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
            f"today's volume from it; mix the plan's dilution and record it with "
            f"{record_command(liquid.stage)}",
        )
    ]


def _recorded_mixes(entries: Sequence[Entry], day: date) -> list[tuple[date, Mixed]]:
    """Return the bottles recorded as mixed on or before ``day``, by mixing day (then id)."""
    found = [
        (e.day, e.id, e.payload)
        for e in active_entries(entries)
        if isinstance(e.payload, Mixed) and e.day <= day
    ]
    return [(mixed_on, mixed) for mixed_on, _, mixed in sorted(found, key=lambda f: f[:2])]


def _discard_date(mixed_on: date, mixed: Mixed) -> date:
    """Return the last day a recorded bottle may be used (the mixing day is day 1)."""
    return mixed_on + timedelta(days=mixed.keep_days - 1)


def _expired(mixed_on: date, mixed: Mixed, mix_today: bool) -> Advisory:
    """Warn that the last bottle recorded is past its last usable day."""
    return Advisory(
        "batch-expired",
        f"the last bottle recorded (mixed {mixed_on.isoformat()}) was to be discarded after "
        f"{_discard_date(mixed_on, mixed).isoformat()}: if you have not mixed one since, do "
        "not use it; "
        + ("mix a new one today" if mix_today else "mix a new one")
        + " and record it with ldncalc mixed",
    )


@dataclass(frozen=True, slots=True)
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
            f"the report starts after it ends ({first.isoformat()} > {last.isoformat()})"
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
