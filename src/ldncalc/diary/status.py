"""Queries on the living plan and the entries: the day's status, history, adherence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeAlias

from ldncalc.diary.cautions import NEVER_DOUBLE, DiaryWarning, day_warnings
from ldncalc.diary.entries import Adjust, Entry, Missed, Note, PlanStarted, Took
from ldncalc.diary.replan import (
    Change,
    LivingPlan,
    PlannedSegment,
    active_entries,
    replan,
    undone_by,
)
from ldncalc.errors import InvalidInputError, LdncalcError
from ldncalc.frozen import frozen

if TYPE_CHECKING:
    from ldncalc.diary.history import Adherence, DoseDays, HistoryDay, HistoryEntry
    from ldncalc.diary.outcomes import History

__all__ = [
    "MAX_HISTORY_DAYS",
    "NEVER_DOUBLE",
    "PGIC_REMINDER",
    "SCORE_DAYS_BEFORE_REVIEW",
    "SCORE_REMINDER",
    "DayStatus",
    "NextChange",
    "Reminder",
    "adherence",
    "day_status",
    "days_at_each_dose",
    "history_days",
    "history_entries",
    "history_of",
    "hold_since",
    "review_moved",
    "side_effects_by_date",
]

MAX_HISTORY_DAYS = 7305  # twenty years a history at most
_ONE = timedelta(days=1)
_Date: TypeAlias = date  # for classes whose field named ``date`` hides the type

# --------------------------------------------------------------------------- queries

Reminder: TypeAlias = Literal["score", "pgic"]


@frozen
class NextChange:
    """The next day on which the planned dose differs (None: no dose from then on)."""

    date: date
    dose_mg: Fraction | None


@frozen
class DayStatus:
    """What a day holds: its plan, what was taken, the next change and the review."""

    date: date
    day_number: int | None
    planned_dose_mg: Fraction | None
    segment: PlannedSegment | None
    segment_number: int | None
    taken: tuple[Took, ...]
    taken_entry_ids: tuple[int, ...]
    taken_dose_mg: Fraction | None
    missed: bool
    next_change: NextChange | None
    review_date: _Date | None
    yesterday_missed: bool
    warnings: tuple[DiaryWarning, ...]
    # The review date once the day has reached it (the review is due, or was due
    # on that date); None before it, or without a review.
    review_due_since: _Date | None = None
    # What to record that day for the review, as codes: "score" (the daily scores
    # in the two weeks before it and on its day), "pgic" (on its day).
    reminders: tuple[Reminder, ...] = ()


SCORE_DAYS_BEFORE_REVIEW = 14  # two weeks of daily scores: the end of a fair comparison
# What to record for the review, as codes (the CLI says them, with the exact
# command for the profile at hand): the day's scores in the two weeks before
# it (and on its day); the overall impression of change (PGIC) on its day.
SCORE_REMINDER: Reminder = "score"
PGIC_REMINDER: Reminder = "pgic"


class _DayFacts(NamedTuple):
    took: tuple[Entry, ...] = ()
    missed: bool = False
    notes: tuple[Note, ...] = ()


def _facts_by_day(entries: Sequence[Entry]) -> dict[date, _DayFacts]:
    took: dict[date, list[Entry]] = {}
    missed: set[date] = set()
    notes: dict[date, list[Note]] = {}
    for entry in active_entries(entries):
        if isinstance(entry.payload, Took):
            took.setdefault(entry.day, []).append(entry)
        elif isinstance(entry.payload, Missed):
            missed.add(entry.day)
        elif isinstance(entry.payload, Note):
            notes.setdefault(entry.day, []).append(entry.payload)
    days = set(took) | missed | set(notes)
    return {
        d: _DayFacts(tuple(took.get(d, ())), d in missed, tuple(notes.get(d, ()))) for d in days
    }


def _taken_dose(facts: _DayFacts, planned: Fraction | None) -> Fraction | None:
    """Return the sum of the doses taken (a dose-less took counts as the planned dose)."""
    doses = [
        e.payload.dose_mg if e.payload.dose_mg is not None else planned
        for e in facts.took
        if isinstance(e.payload, Took)
    ]
    known = [d for d in doses if d is not None]
    return sum(known, Fraction(0)) if known else None


def _check_range(start: date, end: date) -> None:
    if end < start:
        raise InvalidInputError(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})",
            code="window-backwards",
        )


def _planned_between(
    plan: LivingPlan, start: date, end: date
) -> list[tuple[date, Fraction | None]]:
    """Return (day, planned dose) for every day from ``start`` to ``end``, in one walk."""
    result: list[tuple[date, Fraction | None]] = []
    segments = plan.segments
    index = 0
    day = start
    while day <= end:
        while index < len(segments) and segments[index].last_date < day:
            index += 1
        inside = index < len(segments) and segments[index].first_date <= day
        result.append((day, segments[index].dose_mg if inside else None))
        day += _ONE
    return result


def day_status(plan: LivingPlan, entries: Sequence[Entry], day: date) -> DayStatus:
    """Return the status of ``day``: planned dose, what was taken, next change, warnings."""
    facts_by_day = _facts_by_day(entries)
    facts = facts_by_day.get(day, _DayFacts())
    index = plan.segment_index(day)
    segment = None if index is None else plan.segments[index]
    planned = None if segment is None else segment.dose_mg
    taken_dose = _taken_dose(facts, planned)
    next_change = None
    for later in plan.segments[(index + 1 if index is not None else 0) :]:
        if later.first_date > day and later.dose_mg != planned:
            next_change = NextChange(later.first_date, later.dose_mg)
            break
    end = plan.end_date
    if (
        next_change is None
        and planned is not None
        and end is not None
        and end >= day
        and not plan.open_ended
    ):
        next_change = NextChange(end + _ONE, None)
    yesterday = facts_by_day.get(day - _ONE, _DayFacts())
    yesterday_missed = yesterday.missed and not yesterday.took
    warnings = day_warnings(
        day,
        yesterday_missed=yesterday_missed,
        doses_taken=len(facts.took),
        taken_mg=taken_dose,
        planned_mg=planned,
    )
    review = plan.review_date
    reminders: list[Reminder] = []
    if review is not None and planned is not None:
        if review - timedelta(days=SCORE_DAYS_BEFORE_REVIEW) <= day <= review:
            reminders.append(SCORE_REMINDER)
        if day == review:
            reminders.append(PGIC_REMINDER)
    return DayStatus(
        review_due_since=review if review is not None and day >= review else None,
        reminders=tuple(reminders),
        date=day,
        day_number=plan.day_number(day),
        planned_dose_mg=planned,
        segment=segment,
        segment_number=None if index is None else index + 1,
        taken=tuple(e.payload for e in facts.took if isinstance(e.payload, Took)),
        taken_entry_ids=tuple(e.id for e in facts.took),
        taken_dose_mg=taken_dose,
        missed=facts.missed and not facts.took,
        next_change=next_change,
        review_date=plan.review_date,
        yesterday_missed=yesterday_missed,
        warnings=warnings,
    )


def history_days(
    plan: LivingPlan, entries: Sequence[Entry], start: date, end: date
) -> tuple[HistoryDay, ...]:
    """Return every day from ``start`` to ``end``: planned and taken doses, scores.

    A day's scores are its notes' scores, the latest recorded winning a name
    given twice; its side effects are those of its notes in recording order.

    Raises:
        InvalidInputError: ``end`` before ``start``.
    """
    from ldncalc.diary.history import HistoryDay

    _check_range(start, end)
    facts_by_day = _facts_by_day(entries)
    result = []
    for day, planned in _planned_between(plan, start, end):
        facts = facts_by_day.get(day, _DayFacts())
        scores: dict[str, int] = {}
        effects: list[str] = []
        pgic = None
        for note in facts.notes:
            scores.update(note.scores)
            effects.extend(e for e in note.side_effects if e not in effects)
            pgic = note.pgic if note.pgic is not None else pgic
        result.append(
            HistoryDay(
                date=day,
                planned_dose_mg=planned,
                taken_dose_mg=_taken_dose(facts, planned),
                taken=bool(facts.took),
                missed=facts.missed and not facts.took,
                scores=scores,
                side_effects=tuple(effects),
                pgic=pgic,
            )
        )
    return tuple(result)


def history_entries(
    entries: Sequence[Entry], start: date | None = None, end: date | None = None
) -> tuple[HistoryEntry, ...]:
    """Return the entries dated from ``start`` to ``end`` with their state, in (date, id) order.

    Args:
        entries: every entry of the diary: undo is resolved over all of them, so
            an entry's state never depends on the window (an undo dated outside
            it still counts).
        start: the first day shown (None: from the first entry).
        end: the last day shown (None: to the last entry).

    Raises:
        InvalidInputError: ``end`` before ``start``, or entries that contradict
            each other (shared ids, an undo of nothing).
    """
    from ldncalc.diary.history import HistoryEntry

    if start is not None and end is not None:
        _check_range(start, end)
    cancelled = undone_by(entries)
    return tuple(
        HistoryEntry(e, cancelled.get(e.id))
        for e in sorted(entries, key=lambda e: (e.day, e.id))
        if (start is None or start <= e.day) and (end is None or e.day <= end)
    )


def adherence(
    plan: LivingPlan, entries: Sequence[Entry], up_to: date, start: date | None = None
) -> Adherence:
    """Return the days taken of the days planned, from ``start`` (default: the plan's) to ``up_to``.

    A planned day counts as taken when at least one dose is recorded on it.
    """
    from ldncalc.diary.history import Adherence

    first = plan.start_date if start is None else start
    if up_to < first:
        return Adherence(0, 0)
    taken_days = {e.day for e in active_entries(entries) if isinstance(e.payload, Took)}
    planned = taken = 0
    for day, dose in _planned_between(plan, first, up_to):
        if dose is not None:
            planned += 1
            taken += day in taken_days
    return Adherence(planned, taken)


def days_at_each_dose(
    plan: LivingPlan, entries: Sequence[Entry], start: date, end: date
) -> tuple[DoseDays, ...]:
    """Return, for each dose planned or taken from ``start`` to ``end``, the days of each.

    A day taken counts at the day's total dose taken; the doses come in rising order.

    Raises:
        InvalidInputError: ``end`` before ``start``.
    """
    return dose_days_of(history_days(plan, entries, start, end))


def dose_days_of(days: Sequence[HistoryDay]) -> tuple[DoseDays, ...]:
    """Return, for each dose planned or taken on ``days``, the days of each (rising doses)."""
    from ldncalc.diary.history import DoseDays

    planned: dict[Fraction, int] = {}
    taken: dict[Fraction, int] = {}
    for day in days:
        if day.planned_dose_mg is not None:
            planned[day.planned_dose_mg] = planned.get(day.planned_dose_mg, 0) + 1
        if day.taken_dose_mg is not None:
            taken[day.taken_dose_mg] = taken.get(day.taken_dose_mg, 0) + 1
    return tuple(
        DoseDays(dose, planned.get(dose, 0), taken.get(dose, 0))
        for dose in sorted(set(planned) | set(taken))
    )


def side_effects_by_date(
    entries: Sequence[Entry], start: date | None = None, end: date | None = None
) -> tuple[tuple[date, tuple[str, ...]], ...]:
    """Return the side effects noted on each date (within the bounds given), in date order."""
    by_day: dict[date, list[str]] = {}
    for entry in active_entries(entries):
        if not isinstance(entry.payload, Note) or not entry.payload.side_effects:
            continue
        if (start is not None and entry.day < start) or (end is not None and entry.day > end):
            continue
        effects = by_day.setdefault(entry.day, [])
        effects.extend(e for e in entry.payload.side_effects if e not in effects)
    return tuple((day, tuple(by_day[day])) for day in sorted(by_day))


def hold_since(
    living: LivingPlan, entries: Sequence[Entry], day: date, dose: Fraction | None
) -> date | None:
    """Return the first day of the open hold in force on ``day`` (below the target), or None.

    A hold is open from its day until a change that climbs or stops (``resume``,
    ``slower``, ``stop``, a new plan); ``dose`` holds the dose it sets. A hold
    for a number of days ends by itself.
    """
    if dose is None or dose >= living.target_mg:
        return None
    since: date | None = None
    by_id = {e.id: e.payload for e in entries}
    for change in living.changes:
        if change.date > day:
            continue
        if change.action in ("hold", "dose"):
            adjust = by_id.get(change.entry_id)
            days = adjust.for_days if isinstance(adjust, Adjust) else None
            ends = None if days is None else change.date + timedelta(days=days)
            since = None if ends is not None and day >= ends else change.date
        elif change.action in ("resume", "slower", "stop", "plan"):
            since = None
    return since


def hold_until(
    living: LivingPlan, entries: Sequence[Entry], day: date, since: date | None
) -> date | None:
    """Return the day the hold in force on ``day`` ends, when the diary says it, or None.

    A hold for a number of days ends by itself; an open one ends at a change
    recorded after ``day`` that climbs or stops (``resume``, ``slower``,
    ``stop``, a new plan). None: the hold goes on until one is recorded.
    """
    if since is None:
        return None
    by_id = {e.id: e.payload for e in entries}
    ends: list[date] = []
    for change in living.changes:
        if change.date == since and change.action in ("hold", "dose"):
            adjust = by_id.get(change.entry_id)
            days = adjust.for_days if isinstance(adjust, Adjust) else None
            ends = [] if days is None else [since + timedelta(days=days)]
        elif change.date > day and change.action in ("resume", "slower", "stop", "plan"):
            ends.append(change.date)
    return min(ends, default=None)


def review_moved(
    living: LivingPlan, entries: Sequence[Entry], day: date
) -> tuple[date, Change] | None:
    """Return the review date before the last adjustment up to ``day``, if it moved it."""
    review = living.review_date
    last = next((c for c in reversed(living.changes) if c.date <= day), None)
    if review is None or last is None or last.action == "plan":
        return None
    try:
        before = replan([e for e in entries if e.id != last.entry_id]).review_date
    except LdncalcError:  # an undo of that very entry: no earlier plan to compare
        return None
    return None if before is None or before == review else (before, last)


def adherence_of(days: Sequence[HistoryDay]) -> Adherence:
    """Return the days taken of the days planned among ``days`` (as :func:`adherence`)."""
    from ldncalc.diary.history import Adherence

    planned = [d for d in days if d.planned_dose_mg is not None]
    return Adherence(len(planned), sum(1 for d in planned if d.taken))


# --------------------------------------------------------------------------- history


def history_of(
    entries: Sequence[Entry], today: date, start: date | None, end: date | None
) -> History:
    """Return the history from ``start`` (the plan's first day) to ``end`` (today, or later).

    Each entry dated in the window comes with its state (undone or not,
    decided over all of ``entries``), and each day with its planned and taken
    dose, scores and side effects. Before any plan (``entries`` not empty:
    a kit, baseline notes) the window starts at the first entry and has no
    days, and the history's ``living`` is None.

    Raises:
        InvalidInputError: ``start`` after ``end`` (``window-backwards``), or a
            window of :data:`MAX_HISTORY_DAYS` days or more (``window-too-long``).
    """
    from ldncalc.diary.outcomes import History

    # Before any plan (a kit or a baseline note): the entries, and no days.
    planned = any(isinstance(e.payload, PlanStarted) for e in entries)
    living = replan(entries) if planned else None
    first = start or (living.start_date if living else min(e.day for e in entries))
    last = end or max(today, first)
    if first > last:
        raise InvalidInputError(
            f"the first day {first.isoformat()} is after the last {last.isoformat()}",
            code="window-backwards",
        )
    if (last - first).days >= MAX_HISTORY_DAYS:
        raise InvalidInputError(
            f"{first.isoformat()} to {last.isoformat()} is more than twenty years; "
            "choose a shorter period",
            code="window-too-long",
        )
    return History(
        living,
        history_entries(entries, first, last),
        tuple(history_days(living, entries, first, last)) if living else (),
        {e.uid: e.id for e in entries},
    )
