"""The living plan's shape: dated segments, the changes that made them, the plan itself.

Also the runs of days the re-planner lays while it folds the entries (``State``):
how a run is cut, replaced and joined to the one before at the same dose, and
how each change is told once, on its day. The rules of each change are in
:mod:`ldncalc.diary.replan`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeAlias

from ldncalc.diary.entries import Action, PlanStarted
from ldncalc.frozen import frozen

if TYPE_CHECKING:
    from ldncalc.dose.kit import Kit

__all__ = [
    "OPEN_END",
    "Change",
    "LivingPlan",
    "Piece",
    "PlannedSegment",
    "Prescribed",
    "Run",
    "RunKind",
    "State",
    "joined",
    "plan_step",
]

# The last day of a dose that goes on until a stop: maintenance, or an open hold.
OPEN_END = date.max
_ONE = timedelta(days=1)


@frozen
class PlannedSegment:
    """Days from first_date to last_date (inclusive) with one planned dose (None: no dose)."""

    first_date: date
    last_date: date
    dose_mg: Fraction | None
    at_target: bool
    reason: str | None
    target_mg: Fraction

    @property
    def days(self) -> int:
        """Return how many days the segment lasts."""
        return (self.last_date - self.first_date).days + 1


@frozen
class Change:
    """A change of the plan: a plan started or an adjustment, with its entry's id."""

    date: date
    action: Literal["plan"] | Action
    description: str
    entry_id: int


@frozen
class LivingPlan:
    """The plan as the entries make it: dated segments, the target, hold, stop and review.

    ``plan`` is the latest plan; ``plans`` the plans still in force, by start date;
    ``held`` says an open hold is in force at the end of the plan; ``changes`` are
    the plans and adjustments applied, in the order applied. ``open_ended`` says
    the last segment's dose goes on until a stop (its ``last_date`` is
    ``OPEN_END``); ``horizon`` is the last day a finite view lays by default.
    ``kit`` is what the plan is measured with (the profile's kit, or a
    command's ``--syringe``): None lays it as recorded (``replan`` never sets it).
    """

    plan: PlanStarted
    plans: tuple[PlanStarted, ...]
    segments: tuple[PlannedSegment, ...]
    target_mg: Fraction
    held: bool
    stopped_on: date | None
    review_date: date | None
    changes: tuple[Change, ...]
    superseded_ids: tuple[int, ...]
    open_ended: bool = False
    horizon: date | None = None
    kit: Kit | None = None

    def laid_to(self, last: date) -> tuple[PlannedSegment, ...]:
        """Return the segments up to ``last``: an open end is cut there (never before its start).

        Segments that start after ``last`` are left out, except an open one.
        """
        kept: list[PlannedSegment] = []
        for segment in self.segments:
            if segment.last_date == OPEN_END:
                kept.append(replace(segment, last_date=max(last, segment.first_date)))
            elif segment.first_date <= last:
                kept.append(segment)
        return tuple(kept)

    @property
    def measured_with(self) -> Kit | None:
        """Return what the plan is measured with: ``kit``, else the plan's own syringe, owned.

        A plan started with one ``--syringe`` is measured with it as with a kit of
        that syringe: where one she does not own would do better, the plan says so.
        """
        if self.kit is not None or self.plan.syringe_ml is None or self.plan.graduation_ml is None:
            return self.kit
        from ldncalc.dose.kit import Kit
        from ldncalc.dose.syringes import Syringe

        return Kit((Syringe(self.plan.syringe_ml, self.plan.graduation_ml),))

    @property
    def start_date(self) -> date:
        """Return the first day of the first plan still in force."""
        return self.plans[0].start_date

    @property
    def end_date(self) -> date | None:
        """Return the last day with a planned dose (``OPEN_END`` if open), or None if none."""
        for segment in reversed(self.segments):
            if segment.dose_mg is not None:
                return segment.last_date
        return None

    def segment_index(self, day: date) -> int | None:
        """Return the index in ``segments`` of the segment holding ``day``, or None."""
        index = bisect_right([s.first_date for s in self.segments], day) - 1
        if index >= 0 and day <= self.segments[index].last_date:
            return index
        return None

    def dose_on(self, day: date) -> Fraction | None:
        """Return the dose planned on ``day``, or None."""
        index = self.segment_index(day)
        return None if index is None else self.segments[index].dose_mg

    def plan_on(self, day: date) -> PlanStarted | None:
        """Return the plan in force on ``day`` (the latest to start by then), or None."""
        found = None
        for plan in self.plans:
            if plan.start_date <= day:
                found = plan
        return found

    def day_number(self, day: date) -> int | None:
        """Return the day number of ``day`` in the plan in force (day 1 is its start)."""
        plan = self.plan_on(day)
        return None if plan is None else (day - plan.start_date).days + 1


# The re-planner's working state: the runs of days it lays, joins and cuts (the
# rules of each change are in ldncalc.diary.replan). These are built on every run
# of ``today``: NamedTuples and a plain class cost a fraction of a frozen
# dataclass's creation at import.

RunKind: TypeAlias = Literal["climb", "target", "held", "gap"]


class Run(NamedTuple):
    first: date
    last: date
    dose: Fraction | None
    target: Fraction
    kind: RunKind
    reason: str | None
    plan_no: int


class Piece(NamedTuple):
    dose: Fraction
    days: int
    kind: RunKind
    reason: str | None


class Prescribed(NamedTuple):
    """The last dose the prescriber set: its day, and the dose in force the day before."""

    day: date
    dose: Fraction
    before: Fraction | None  # None: no dose that day


class State:
    """The re-planner's state while it applies the entries in (day, id) order: the runs laid."""

    __slots__ = (
        "checked",
        "held_from",
        "held_until",
        "origin",
        "plan",
        "plan_no",
        "prescribed",
        "runs",
        "step_mg",
        "steps",
        "stopped_on",
        "target",
    )

    def __init__(self, plan: PlanStarted, checked: frozenset[int] = frozenset()) -> None:
        # The entries being recorded: the rules that 0.3.0 added refuse these; an
        # entry stored before them is planned by them instead, never refused, so
        # that every stored diary still reads.
        self.checked = checked
        self.plan = plan
        self.plan_no = 0
        self.steps: tuple[tuple[Fraction, int], ...] = ()
        self.step_mg = plan_step(plan)  # the step in force: no day rises more
        self.target = plan.target_mg
        self.origin = plan.start_date
        self.held_from: date | None = None
        self.held_until: date | None = None  # the day the climb resumes by itself; None: open
        self.stopped_on: date | None = None
        # The last dose the prescriber set and the dose in force the day before it
        # (None: no dose that day): where ``back`` from that dose returns.
        self.prescribed: Prescribed | None = None
        self.runs: list[Run] = []

    def held_on(self, day: date) -> bool:
        return self.held_from is not None and (self.held_until is None or day < self.held_until)

    def run_on(self, day: date) -> Run | None:
        for run in reversed(self.runs):
            if run.first <= day <= run.last:
                return run
            if run.last < day:
                return None
        return None

    def lay(self, start: date, pieces: Sequence[Piece], final: Piece | None) -> None:
        """Replace the runs from ``start`` on by ``pieces`` then the open-ended ``final``.

        A run laid from ``start`` itself by a change of that day keeps its words:
        they go before those of the first piece (each change once, on its day).
        """
        kept: str | None = None
        while self.runs and self.runs[-1].first >= start:
            popped = self.runs.pop()
            if popped.first == start:
                kept = popped.reason
        if kept is not None and (pieces or final is not None):
            first = pieces[0] if pieces else final
            assert first is not None
            told = Piece(first.dose, first.days, first.kind, joined(kept, first.reason))
            if pieces:
                pieces = [told, *pieces[1:]]
            else:
                final = told
        if self.runs and self.runs[-1].last >= start:
            cut = self.runs.pop()
            self.runs.append(cut._replace(last=start - _ONE))
        while self.runs and self.runs[-1].dose is None:
            self.runs.pop()  # a gap never ends the segments (a stop right after a restart)
        if not pieces and final is None:
            return
        # Days without a dose between the first plan's start and ``start`` form a gap
        # segment, so that the segments run on without a hole from the first day.
        gap_first = self.runs[-1].last + _ONE if self.runs else self.origin
        if gap_first < start:
            self.runs.append(
                Run(gap_first, start - _ONE, None, self.target, "gap", None, self.plan_no)
            )
        day = start
        for piece in pieces:
            last = day + timedelta(days=piece.days - 1)
            self.append(
                Run(day, last, piece.dose, self.target, piece.kind, piece.reason, self.plan_no)
            )
            day = last + _ONE
        if final is None:
            return
        self.append(
            Run(day, OPEN_END, final.dose, self.target, final.kind, final.reason, self.plan_no)
        )

    def append(self, run: Run) -> None:
        """Append ``run``, joined to the run before when it goes on at the same dose.

        Step numbers follow doses, not entries: a change that keeps the day's dose
        (a hold, a new target above it) does not start a new step.
        """
        if self.runs:
            before = self.runs[-1]
            if (
                before.last == run.first - _ONE
                and before.dose is not None
                and before.dose == run.dose
                and before.plan_no == run.plan_no
                and (before.dose == before.target) == (run.dose == run.target)
            ):
                # The change goes on in a step that began before its day: say its day.
                dated = None if run.reason is None else f"{run.first.isoformat()}: {run.reason}"
                run = run._replace(first=before.first, reason=joined(before.reason, dated))
                self.runs.pop()
        self.runs.append(run)

    def first_day_at(self, dose: Fraction, day: date) -> date:
        """Return the first day of the unbroken run at ``dose`` that ``day`` would extend."""
        first = day
        for run in reversed(self.runs):
            if run.first >= first:
                continue  # a run laid from the day on (the plan before a change is applied)
            if run.dose != dose or run.plan_no != self.plan_no or run.last != first - _ONE:
                break
            first = run.first
        return first


def joined(first: str | None, then: str | None) -> str | None:
    """Return two descriptions joined by "; " (either may be None)."""
    return "; ".join(r for r in (first, then) if r) or None


def plan_step(plan: PlanStarted) -> Fraction:
    """Return a plan's step: its largest rise from one dose to the next (the target last).

    A plan without a climb starts at its target: its step is the target itself.
    """
    doses = [dose for dose, _ in plan.climb] + [plan.target_mg]
    return max((b - a for a, b in pairwise(doses)), default=plan.target_mg)
