"""The living plan's shape: dated segments, the changes that made them, the plan itself."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from ldncalc.diary.entries import (
    PlanStarted,
)

__all__ = ["OPEN_END", "Change", "LivingPlan", "PlannedSegment"]

# The last day of a dose that goes on until a stop: maintenance, or an open hold.
OPEN_END = date.max


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Change:
    """A change of the plan: a plan started or an adjustment, with its entry's id."""

    date: date
    action: str
    description: str
    entry_id: int


@dataclass(frozen=True, slots=True)
class LivingPlan:
    """The plan as the entries make it: dated segments, the target, hold, stop and review.

    ``plan`` is the latest plan; ``plans`` the plans still in force, by start date;
    ``held`` says an open hold is in force at the end of the plan; ``changes`` are
    the plans and adjustments applied, in the order applied. ``open_ended`` says
    the last segment's dose goes on until a stop (its ``last_date`` is
    ``OPEN_END``); ``horizon`` is the last day a finite view lays by default.
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


# The helpers below are built on every run of ``today``: NamedTuples and a plain
# class cost a fraction of a frozen dataclass's creation at import.
