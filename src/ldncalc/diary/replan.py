"""The re-planning fold: the plan of any day is a pure function of the diary's entries.

Nothing here reads or writes files, opens a database or prints: the store keeps
the entries (``encode_payload`` text) and the CLI shows what ``replan`` and the
queries compute. Every dose is an exact ``Fraction`` of a mg; every length whole days.

Entries
-------
An ``Entry`` is one fact: a plan started, a dose taken or missed, a batch mixed, a
note (scores 0 to 10: 0 none, 10 worst), an adjustment of the plan, or an undo.
Nothing is ever edited: an ``Undo`` cancels its target, and undoing an undo
restores it. Undone entries and the undos themselves take no part in the plan or
the queries (``active_entries``). Undo is resolved once over every entry
(``undone_by``), so an entry's state never depends on which entries are shown;
``check_undo`` refuses to undo an entry that is undone already. A ``Took``
without a dose means the dose the current plan gives its day; record the dose
itself for a record whose meaning can never change after a re-plan.

Which entries shape the plan
----------------------------
Only plans and adjustments move planned doses. Took, missed, mixed and note never
do: a missed dose is skipped, never doubled, and nothing shifts after it.

1. The latest plan (by id) is ``LivingPlan.plan``. A plan replaces what was planned
   from its start date on; the days before keep the older plan, as history. So a
   plan masks every older plan starting on or after its start, and every
   adjustment recorded before it (smaller id) dated on or after its start: those
   were about the plan it replaced (``LivingPlan.superseded_ids``).
2. The other plans and adjustments are applied in (day, id) order, a plan's day
   being its start date. Each rewrites the days from its day on, never an earlier
   day, starting from the dose planned on its day: the *current dose* c.
3. An adjustment dated before the first plan's start is invalid.

Segments
--------
``LivingPlan.segments`` run without gap or overlap from the first plan's start to
the last day with a dose. Days without a dose in between (after a stop and before
a restart or a later plan) form segments whose dose is None. A segment is a step:
an unbroken run of days at one dose in one plan (at the target or not), so step
numbers follow doses, not entries; a change that keeps the day's dose joins the
step it falls in. A segment's ``reason`` is the description of the changes that
made it (the adjustment's words, then its reason in brackets: "back to 2 mg (side
effects: insomnia)"; several joined by "; "); steps laid as the protocol has
them, merely moved, have None.

Unless stopped, the plan never ends: the last segment's ``last_date`` is
``OPEN_END`` (``LivingPlan.open_ended``). A finite view lays it to
``LivingPlan.horizon`` (``laid_to``) or to the day it needs.

Steps, the final dose and the review
------------------------------------
A plan climbs through its steps (dose, days), each below the target, then holds
the target. The dose the plan ends on is the *final dose*; its first day is the
first of the unbroken run of days at that dose within one plan. It goes on until
a stop (maintenance); so does an open hold (``hold`` without an end, or a
prescriber's ``dose``).

- The *step in force* is the plan's step, its largest rise from one dose to the
  next (the target last; a plan without a climb: its target), or the step of a
  ``slower`` climb. No climb the re-planner lays (``back``, ``resume``, the end of
  a timed hold, ``slower``, a raised ``target``) rises more than the step in
  force from one day to the next: where the next step is further above, steps of
  the step in force are laid in between. Only ``dose`` and a new plan may jump.
- ``horizon``: at the target, ``hold_days`` counted from the first day at it; at
  a held dose, the day before the review date; never before the day of the
  change that made the final segment.
- Review date: the first day at the final dose + ``REVIEW_AFTER_DAYS`` (56 days, 8
  weeks, when patient and prescriber judge the trial); None once stopped.

A *full step length at c* is the length of the step at c; if c is no step, of the
step below c, else of the first step, else ``FALLBACK_STEP_DAYS``.

Adjustments (at day D, current dose c, target T)
------------------------------------------------
- ``back``: from D, the dose of the step below c (the last one tolerated) for that
  step's full length; then the steps above it (the step that was left first), each
  its full length, then T: everything after moves later. With no step below c
  (the first step) it is refused. It keeps a hold in force: during an open hold
  the lower dose is held until ``resume``; during a timed hold it is held to the
  hold's end, then the climb resumes as ``resume`` would.
- ``hold``: from D no increase. Without ``for_days`` the hold is open, until
  ``resume`` (or ``slower``, ``stop``, a new plan; ``dose`` starts its own hold). With it, the
  climb resumes by itself on D + for_days, as ``resume`` on that day would. A new
  hold replaces the one in force; at the target a hold changes no dose.
- ``resume`` (only while on hold): from D, a full step length at c, then the steps
  above c, then T; at the target, the target's hold goes on.
- ``slower`` (every_days, optional step_mg; only below the target): the dose in
  force c is the dose planned on D, except on a step-up day of the plan's own
  climb (D's dose above the day before's) where it is the day before's: a climb
  is never slowed by first taking its next step. c is kept every_days counted
  from the first day of its unbroken run (at least D itself, and never past
  the day the plan already rose above c: a slower climb never brings a rise
  forward), then c + step_mg,
  c + 2 step_mg, ... below T (without step_mg: the doses of the steps above c),
  every_days each, then T: 1, 2, 3, 4, then 4.5 mg, the last step capped like a
  custom schedule. So slower gives the same plan dated on any day of one step or
  on the step-up day after it. The new steps replace those from c up, so a later
  ``back`` goes down through them, and step_mg becomes the step in force. Refused
  when faster than what is in force: every_days shorter than a full step length
  at c, or step_mg larger than the step in force; and a climb longer than
  ``MAX_CLIMB_DAYS``: these three for the entries ``replan`` is asked to check
  (the one recorded); a stored one is planned at the step in force. Ends a hold.
- ``target`` (dose_mg): the new target; no day from D on is above it. If c is at
  or above it, the dose from D is the new target. If c is below it: on an open
  hold the hold goes on; in a timed hold its days go on, then the climb resumes;
  otherwise the current step keeps its remaining days (at the old target: a full
  step length at c), then the steps below the new target, then the new target.
  A raised target adds steps: from the higher of c and the top step, up by the
  step in force, each as long as the step at that dose, the last capped at the
  new target (refused if that climb takes more than ``MAX_CLIMB_DAYS``). After a
  stop it only records the target.
- ``dose`` (dose_mg): the prescriber sets the dose from D and the plan holds it (an
  open hold; ``resume`` climbs on from it). A dose above T raises T to it (and
  adds steps up to it, as a raised ``target`` does). It also restarts a stopped
  plan.
- ``stop``: no dose from D on (``LivingPlan.stopped_on``); refused if stopped already.
- ``back``, ``hold``, ``resume`` and ``slower`` need a dose planned on D.

Validation
----------
Values are checked when an entry is made: a dose or target at or below zero is
invalid, above ``MAX_DOSE_MG`` (a whole 50 mg tablet) refused. ``replan`` raises
``InvalidInputError`` for entries that contradict each other (no plan, an
adjustment before the start, shared ids, an undo of nothing) and ``RefusedError``
for an adjustment impossible on its day. Check a new entry by calling ``replan``
on the entries with it added, before saving it: stored entries then always replan.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import Literal, NamedTuple, TypeAlias

from ldncalc.diary.entries import (
    _ONE,
    FALLBACK_STEP_DAYS,
    MAX_CLIMB_DAYS,
    REVIEW_AFTER_DAYS,
    Adjust,
    Entry,
    PlanStarted,
)
from ldncalc.diary.segments import OPEN_END, Change, LivingPlan, PlannedSegment
from ldncalc.diary.undo import active_entries, check_undo, undone_by
from ldncalc.errors import AdjustRefused, ClimbRefused, InvalidInputError, RefusedError
from ldncalc.notation import format_dose_mg

__all__ = [
    "OPEN_END",
    "Change",
    "LivingPlan",
    "PlannedSegment",
    "active_entries",
    "check_undo",
    "replan",
    "undone_by",
]


_RunKind: TypeAlias = Literal["climb", "target", "held", "gap"]


class _Run(NamedTuple):
    first: date
    last: date
    dose: Fraction | None
    target: Fraction
    kind: _RunKind
    reason: str | None
    plan_no: int


class _Piece(NamedTuple):
    dose: Fraction
    days: int
    kind: _RunKind
    reason: str | None


class _State:
    """The re-planner's state while it applies the entries in (day, id) order."""

    __slots__ = (
        "checked",
        "held_from",
        "held_until",
        "origin",
        "plan",
        "plan_no",
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
        self.step_mg = _plan_step(plan)  # the step in force: no day rises more
        self.target = plan.target_mg
        self.origin = plan.start_date
        self.held_from: date | None = None
        self.held_until: date | None = None  # the day the climb resumes by itself; None: open
        self.stopped_on: date | None = None
        self.runs: list[_Run] = []

    def held_on(self, day: date) -> bool:
        return self.held_from is not None and (self.held_until is None or day < self.held_until)

    def run_on(self, day: date) -> _Run | None:
        for run in reversed(self.runs):
            if run.first <= day <= run.last:
                return run
            if run.last < day:
                return None
        return None

    def lay(self, start: date, pieces: Sequence[_Piece], final: _Piece | None) -> None:
        """Replace the runs from ``start`` on by ``pieces`` then the open-ended ``final``."""
        while self.runs and self.runs[-1].first >= start:
            self.runs.pop()
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
                _Run(gap_first, start - _ONE, None, self.target, "gap", None, self.plan_no)
            )
        day = start
        for piece in pieces:
            last = day + timedelta(days=piece.days - 1)
            self.append(
                _Run(day, last, piece.dose, self.target, piece.kind, piece.reason, self.plan_no)
            )
            day = last + _ONE
        if final is None:
            return
        self.append(
            _Run(day, OPEN_END, final.dose, self.target, final.kind, final.reason, self.plan_no)
        )

    def append(self, run: _Run) -> None:
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
                reasons = [r for r in (before.reason, run.reason) if r]
                run = run._replace(first=before.first, reason="; ".join(reasons) or None)
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


def _describe(text: str, reason: str | None) -> str:
    return f"{text} ({reason})" if reason else text


def _step_days(steps: Sequence[tuple[Fraction, int]], dose: Fraction) -> int:
    """Return a full step length at ``dose`` (see ``resume`` in the module's rules)."""
    for step_dose, days in steps:
        if step_dose == dose:
            return days
    below = [days for step_dose, days in steps if step_dose < dose]
    if below:
        return below[-1]
    return steps[0][1] if steps else FALLBACK_STEP_DAYS


def _plan_step(plan: PlanStarted) -> Fraction:
    """Return a plan's step: its largest rise from one dose to the next (the target last).

    A plan without a climb starts at its target: its step is the target itself.
    """
    doses = [dose for dose, _ in plan.climb] + [plan.target_mg]
    return max((b - a for a, b in pairwise(doses)), default=plan.target_mg)


def _fill_steps(state: _State, current: Fraction | None) -> int:
    """Add the steps that climb on from ``current`` (or the top step) to the raised target.

    The climb goes on from the higher of ``current`` and the plan's top step
    below the target, by the step in force, each step as long as the step at
    that dose; the last step is capped at the target. Return the days it adds.
    """
    steps = [step for step in state.steps if step[0] < state.target]
    top = steps[-1][0] if steps else None
    if current is not None and current < state.target and (top is None or current > top):
        steps.append((current, _step_days(state.steps, current)))
        top = current
    if top is None:
        state.steps = tuple(steps)
        return 0
    every = _step_days(steps, top)
    count = int(-(-(state.target - top) // state.step_mg)) - 1  # the steps strictly below
    added = 0
    for n in range(1, count + 1):
        steps.append((top + n * state.step_mg, every))
        added += every
        if added > MAX_CLIMB_DAYS:
            break
    state.steps = tuple(steps)
    return added


def _climb(state: _State, dose: Fraction, head: _Piece | None) -> tuple[list[_Piece], _Piece]:
    """Return ``head``, the steps above ``dose`` and below the target, and the target.

    No rise is larger than the step in force: where the next step is further
    above (a climb from a dose the prescriber set below the first step), steps
    of the step in force are laid in between, each as long as the step below.
    """
    pieces = [head] if head is not None and head.days > 0 else []
    below = dose
    for step_dose, days in [*state.steps, (state.target, 0)]:
        if not dose < step_dose <= state.target:
            continue
        while step_dose - below > state.step_mg:
            below += state.step_mg
            pieces.append(_Piece(below, _step_days(state.steps, below), "climb", None))
        if step_dose < state.target:
            pieces.append(_Piece(step_dose, days, "climb", None))
        below = step_dose
        if step_dose == state.target:
            break
    return pieces, _Piece(state.target, 0, "target", None)


def _no_dose(state: _State, day: date, doing: str) -> RefusedError:
    if state.stopped_on is not None:
        why = f"the trial stopped on {state.stopped_on.isoformat()}"
    else:
        end = next((run.last for run in reversed(state.runs) if run.dose is not None), None)
        why = "no plan covers it" if end is None else f"the plan ended on {end.isoformat()}"
    return RefusedError(f"cannot {doing} on {day.isoformat()}: no dose is planned that day ({why})")


def _apply_plan(state: _State, entry: Entry, plan: PlanStarted) -> Change:
    state.plan = plan
    state.plan_no += 1
    state.steps = plan.climb
    state.step_mg = _plan_step(plan)
    state.target = plan.target_mg
    state.held_from = state.held_until = state.stopped_on = None
    pieces = [_Piece(dose, days, "climb", None) for dose, days in plan.climb]
    state.lay(plan.start_date, pieces, _Piece(plan.target_mg, 0, "target", None))
    return Change(
        plan.start_date,
        "plan",
        f"plan started: {plan.protocol_title} (target {format_dose_mg(plan.target_mg)})",
        entry.id,
    )


def _apply_adjust(state: _State, entry: Entry, adjust: Adjust) -> Change:
    day = entry.day
    run = state.run_on(day)
    current = None if run is None else run.dose
    action = adjust.action
    reason = adjust.reason

    if action == "stop":
        if state.stopped_on is not None:
            raise AdjustRefused(
                f"cannot stop on {day.isoformat()}: "
                f"the trial already stopped on {state.stopped_on.isoformat()}"
            )
        state.lay(day, [], None)
        state.stopped_on = day
        state.held_from = state.held_until = None
        return Change(day, action, _describe("stopped", reason), entry.id)

    if action == "dose":
        assert adjust.dose_mg is not None
        dose = adjust.dose_mg
        if dose > state.target:
            state.target = dose
            _fill_steps(state, None)  # a later resume from a lower dose climbs in steps
        text = _describe(f"dose set to {format_dose_mg(dose)}", reason)
        kind: _RunKind = "target" if dose == state.target else "held"
        state.lay(day, [], _Piece(dose, 0, kind, text))
        state.held_from, state.held_until, state.stopped_on = day, None, None
        return Change(day, action, text, entry.id)

    if action == "target":
        assert adjust.dose_mg is not None
        new_target = adjust.dose_mg
        raised = new_target > state.target
        state.target = new_target
        text = _describe(f"new target {format_dose_mg(new_target)}", reason)
        if raised:
            added = _fill_steps(state, current)
            if added > MAX_CLIMB_DAYS and entry.id in state.checked:
                raise ClimbRefused(
                    f"cannot raise the target to {format_dose_mg(new_target)} on "
                    f"{day.isoformat()}: steps of {format_dose_mg(state.step_mg)} take more "
                    "than two years to reach it; climb more slowly with a larger step first"
                )
        if current is None or run is None:
            return Change(day, action, text, entry.id)
        if current >= new_target:
            if current > new_target:
                text = _describe(
                    f"new target {format_dose_mg(new_target)}, lowered from "
                    f"{format_dose_mg(current)}",
                    reason,
                )
            state.lay(day, [], _Piece(new_target, 0, "target", text))
        elif state.held_on(day) and state.held_until is None:
            state.lay(day, [], _Piece(current, 0, "held", text))
        elif state.held_on(day) and state.held_until is not None:
            held_days = (state.held_until - day).days
            pieces, final = _climb(
                state, current, _Piece(current, _step_days(state.steps, current), "climb", None)
            )
            state.lay(day, [_Piece(current, held_days, "held", text), *pieces], final)
        else:
            left = (run.last - day).days + 1 if run.kind == "climb" else 0
            head_days = left or _step_days(state.steps, current)
            pieces, final = _climb(state, current, _Piece(current, head_days, "climb", text))
            state.lay(day, pieces, final)
        return Change(day, action, text, entry.id)

    names = {"back": "go back", "hold": "hold", "resume": "resume", "slower": "climb more slowly"}
    if current is None:
        raise _no_dose(state, day, names[action])

    if action == "back":
        lower = [step for step in state.steps if step[0] < current]
        if not lower:
            raise AdjustRefused(
                f"cannot go back on {day.isoformat()}: there is no step below "
                f"{format_dose_mg(current)} to go back to"
            )
        dose, days = lower[-1]
        text = _describe(f"back to {format_dose_mg(dose)}", reason)
        if state.held_on(day) and state.held_until is None:
            # A step back keeps the hold in force: no climb until resume.
            state.lay(day, [], _Piece(dose, 0, "held", text))
        elif state.held_on(day) and state.held_until is not None:
            # The hold's days go on at the lower dose, then the climb resumes by itself.
            held = _Piece(dose, (state.held_until - day).days, "held", text)
            pieces, final = _climb(state, dose, _Piece(dose, days, "climb", None))
            state.lay(day, [held, *pieces], final)
        else:
            pieces, final = _climb(state, dose, _Piece(dose, days, "climb", text))
            state.lay(day, pieces, final)
        return Change(day, action, text, entry.id)

    if action == "hold":
        if adjust.for_days is None:
            text = _describe(f"hold at {format_dose_mg(current)}", reason)
            kind = "target" if current >= state.target else "held"
            state.lay(day, [], _Piece(current, 0, kind, text))
            state.held_from, state.held_until = day, None
        else:
            text = _describe(
                f"hold at {format_dose_mg(current)} for {adjust.for_days} days", reason
            )
            if current >= state.target:
                state.lay(day, [], _Piece(current, 0, "target", text))
            else:
                resumed = _describe(f"resume at {format_dose_mg(current)} after the hold", reason)
                head = _Piece(current, _step_days(state.steps, current), "climb", resumed)
                pieces, final = _climb(state, current, head)
                held = _Piece(current, adjust.for_days, "held", text)
                state.lay(day, [held, *pieces], final)
            state.held_from, state.held_until = day, day + timedelta(days=adjust.for_days)
        return Change(day, action, text, entry.id)

    if action == "resume":
        if not state.held_on(day):
            raise AdjustRefused(f"cannot resume on {day.isoformat()}: the plan is not on hold")
        text = _describe(f"resume the climb from {format_dose_mg(current)}", reason)
        if current >= state.target:
            state.lay(day, [], _Piece(current, 0, "target", text))
        else:
            head = _Piece(current, _step_days(state.steps, current), "climb", text)
            pieces, final = _climb(state, current, head)
            state.lay(day, pieces, final)
        state.held_from = state.held_until = None
        return Change(day, action, text, entry.id)

    # slower
    assert adjust.every_days is not None
    assert run is not None
    before = state.run_on(day - _ONE)
    if (
        run.first == day
        and run.reason is None
        and before is not None
        and before.dose is not None
        and before.plan_no == run.plan_no
        and before.dose < current
    ):
        # On a step-up day the dose in force is the one before: a climb is never
        # slowed by first taking its next step.
        current = before.dose
    if current >= state.target:
        raise AdjustRefused(
            f"cannot climb more slowly on {day.isoformat()}: already at the target "
            f"({format_dose_mg(state.target)})"
        )
    every = adjust.every_days
    in_force = _step_days(state.steps, current)
    checked = entry.id in state.checked
    if every < in_force and checked:
        raise AdjustRefused(
            f"cannot climb more slowly on {day.isoformat()} with steps every "
            f"{every} day{'' if every == 1 else 's'}: "
            f"the steps in force last {in_force} days; give {in_force} days or more"
        )
    if adjust.step_mg is not None and adjust.step_mg > state.step_mg and checked:
        raise AdjustRefused(
            f"cannot climb more slowly on {day.isoformat()} with steps of "
            f"{format_dose_mg(adjust.step_mg)}: the step in force is "
            f"{format_dose_mg(state.step_mg)}; give {format_dose_mg(state.step_mg)} or less"
        )
    # An entry stored before these rules is never faster either: its steps keep
    # the length and the size in force at most.
    every = max(every, in_force)
    if adjust.step_mg is not None:
        step = min(adjust.step_mg, state.step_mg)
        count = -(-(state.target - current) // step)  # ceiling division
        if count * every > MAX_CLIMB_DAYS:
            raise ClimbRefused(
                f"steps of {format_dose_mg(step)} every {every} days from "
                f"{format_dose_mg(current)} take {count * every} days to reach "
                f"{format_dose_mg(state.target)}, more than two years; use a larger step"
            )
        doses = [current + i * step for i in range(int(count))]
        text = _describe(
            f"slower: from {format_dose_mg(current)}, up {format_dose_mg(step)} every {every} days",
            reason,
        )
        state.step_mg = step
    else:
        doses = [current]
        for d in [*(d for d, _ in state.steps if current < d < state.target), state.target]:
            while d - doses[-1] > state.step_mg:  # never a rise above the step in force
                doses.append(doses[-1] + state.step_mg)
            if d < state.target:
                doses.append(d)
        if len(doses) * every > MAX_CLIMB_DAYS:
            raise ClimbRefused(
                f"steps every {every} days from {format_dose_mg(current)} take "
                f"{len(doses) * every} days to reach {format_dose_mg(state.target)}, "
                "more than two years; use shorter steps"
            )
        text = _describe(f"slower: from {format_dose_mg(current)}, {every} days a step", reason)
    # The dose in force keeps ``every`` days from its first day (at least to the day
    # itself), never less than the plan before kept it (see the module's rules).
    first = state.first_day_at(current, day if run.dose != current else run.first)
    keep_until = first + timedelta(days=every)
    rises = [
        r.first for r in state.runs if r.first >= day and r.dose is not None and r.dose > current
    ]
    if rises:
        keep_until = max(keep_until, min(rises))
    head_days = max((keep_until - day).days, 1)
    new_steps = tuple((d, every) for d in doses)
    state.steps = tuple(step for step in state.steps if step[0] < current) + new_steps
    pieces = [_Piece(doses[0], head_days, "climb", text)]
    pieces += [_Piece(d, every, "climb", text) for d in doses[1:]]
    state.lay(day, pieces, _Piece(state.target, 0, "target", None))
    state.held_from = state.held_until = None
    return Change(day, action, text, entry.id)


def _rewrite_day(entry: Entry) -> date:
    payload = entry.payload
    return payload.start_date if isinstance(payload, PlanStarted) else entry.day


def replan(entries: Sequence[Entry], *, checked: frozenset[int] = frozenset()) -> LivingPlan:
    """Return the plan the entries make (the rules are in the module's docstring).

    Args:
        entries: every entry of the diary, in any order, undone ones and undos included.
        checked: the ids of entries being recorded. The rules that make an
            adjustment never faster than the step in force refuse these; entries
            already stored (recorded under older rules) are planned by the same
            rules instead of refused, so that every stored diary still reads.

    Raises:
        InvalidInputError: no plan started, an adjustment dated before it, or
            entries that contradict each other (shared ids, an undo of nothing).
        RefusedError: an adjustment that cannot be carried out on its day.
    """
    active = active_entries(entries)
    plans = [e for e in active if isinstance(e.payload, PlanStarted)]
    if not plans:
        raise InvalidInputError("no plan has been started", code="no-plan")
    rewrites: list[Entry] = []
    superseded: list[int] = []
    for entry in active:
        if not isinstance(entry.payload, PlanStarted | Adjust):
            continue
        day = _rewrite_day(entry)
        if any(p.id > entry.id and _rewrite_day(p) <= day for p in plans):
            superseded.append(entry.id)
        else:
            rewrites.append(entry)
    rewrites.sort(key=lambda e: (_rewrite_day(e), e.id))
    first = rewrites[0]
    if not isinstance(first.payload, PlanStarted):
        first_plan = min(
            (e.payload for e in rewrites if isinstance(e.payload, PlanStarted)),
            key=lambda p: p.start_date,
        )
        raise InvalidInputError(
            f"the adjustment on {first.day.isoformat()} is dated before the plan's start "
            f"({first_plan.start_date.isoformat()})"
        )
    state = _State(first.payload, checked)
    changes: list[Change] = []
    governing: list[PlanStarted] = []
    for entry in rewrites:
        if isinstance(entry.payload, PlanStarted):
            changes.append(_apply_plan(state, entry, entry.payload))
            governing.append(entry.payload)
        elif isinstance(entry.payload, Adjust):
            changes.append(_apply_adjust(state, entry, entry.payload))
    segments = tuple(
        PlannedSegment(
            run.first,
            run.last,
            run.dose,
            run.dose is not None and run.dose == run.target,
            run.reason,
            run.target,
        )
        for run in state.runs
    )
    review = horizon = None
    open_ended = bool(state.runs) and state.runs[-1].last == OPEN_END
    if state.runs:
        final = state.runs.pop()  # first_day_at looks at the runs before it
        assert final.dose is not None, "a plan never ends on a day without a dose"
        first_at = state.first_day_at(final.dose, final.first)
        state.runs.append(final)
        horizon = final.last
        if open_ended:
            # A finite view shows the protocol's hold at the target (to the day
            # before the review for a held dose), as far as the change that made it.
            days = REVIEW_AFTER_DAYS if final.kind == "held" else state.plan.hold_days
            horizon = max(first_at + timedelta(days=days - 1), final.first)
        if state.stopped_on is None:
            review = first_at + timedelta(days=REVIEW_AFTER_DAYS)
    latest = max(plans, key=lambda e: e.id).payload
    assert isinstance(latest, PlanStarted)
    return LivingPlan(
        plan=latest,
        plans=tuple(governing),
        segments=segments,
        target_mg=state.target,
        held=state.held_from is not None and state.held_until is None,
        stopped_on=state.stopped_on,
        review_date=review,
        changes=tuple(changes),
        superseded_ids=tuple(sorted(superseded)),
        open_ended=open_ended,
        horizon=horizon,
    )
