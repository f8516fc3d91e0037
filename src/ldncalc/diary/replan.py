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
effects: insomnia)"; several joined by "; "); each change is told once, on the
segment of its day, after its date when that segment began before it
("2027-01-13: hold at 2 mg"); steps laid as the protocol has them, merely moved,
or climbed after a change, have None.

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
For ``back``, ``hold`` and ``slower``, c is the dose in force: the dose planned on
D, except on a step-up day of the plan's own climb (D's dose above the day
before's, in one plan, laid by no change of that day), where it is the day
before's: these take effect before that day's rise, so a hold never raises the
dose and a climb is never slowed by first taking its next step. ``dose``,
``target`` and ``stop`` act on their day.

- ``back``: from D, the dose of the step below c (the last one tolerated) for that
  step's full length; then the steps above it (the step that was left first), each
  its full length, then T: everything after moves later. With no step below c
  (the first step) it is refused. It keeps a hold in force: during an open hold
  the lower dose is held until ``resume``; during a timed hold it is held to the
  hold's end, then the climb resumes as ``resume`` would. At the dose the
  prescriber last set (``dose``), the dose below is the one in force the day
  before that ``dose`` (when it was lower), not a step of the plan.
- ``hold``: from D no increase. Without ``for_days`` the hold is open, until
  ``resume`` (or ``slower``, ``stop``, a new plan; ``dose`` starts its own hold). With it, the
  climb resumes by itself on D + for_days, as ``resume`` on that day would. A new
  hold replaces the one in force; at the target a hold changes no dose.
- ``resume`` (only while on hold): from D, a full step length at c, then the steps
  above c, then T; at the target, the target's hold goes on.
- ``slower`` (every_days, optional step_mg; only below the target): the dose in
  force c is kept every_days counted from the first day of its unbroken run
  (at least D itself, and never past the day the plan already rose above c: a
  slower climb never brings a rise forward), then c + step_mg, c + 2 step_mg,
  ... below T (without step_mg: the doses of the steps above c),
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
invalid, above ``MAX_DOSE_MG`` (a whole 50 mg tablet) refused; the soft limits
(above 4.5 mg, a rise above 1.5 mg) are the rules of recording's (``rules``). ``replan`` raises
``InvalidInputError`` for entries that contradict each other (no plan, an
adjustment before the start, shared ids, an undo of nothing) and ``RefusedError``
for an adjustment impossible on its day. Check a new entry by calling ``replan``
on the entries with it added, before saving it: stored entries then always replan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import NamedTuple

from ldncalc.diary.entries import (
    FALLBACK_STEP_DAYS,
    MAX_CLIMB_DAYS,
    REVIEW_AFTER_DAYS,
    Adjust,
    Entry,
    PlanStarted,
)
from ldncalc.diary.segments import (
    OPEN_END,
    Change,
    LivingPlan,
    Piece,
    PlannedSegment,
    Prescribed,
    Run,
    RunKind,
    State,
    plan_step,
)
from ldncalc.diary.undo import active_entries, check_undo, undone_by
from ldncalc.errors import AdjustRefused, ClimbRefused, InvalidInputError
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

_ONE = timedelta(days=1)


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


def _fill_steps(state: State, current: Fraction | None) -> int:
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


def _climb(state: State, dose: Fraction, head: Piece | None) -> tuple[list[Piece], Piece]:
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
            pieces.append(Piece(below, _step_days(state.steps, below), "climb", None))
        if step_dose < state.target:
            pieces.append(Piece(step_dose, days, "climb", None))
        below = step_dose
        if step_dose == state.target:
            break
    return pieces, Piece(state.target, 0, "target", None)


def _in_force(state: State, at: _At) -> Fraction:
    """Return the dose in force on the day of a back, a hold or a slower climb.

    It is the dose planned on the day, except on a step-up day of the plan's own
    climb (the day's dose above the day before's, in the same plan, and not a dose
    the prescriber set that day: it acts on its day), where it is the day before's:
    the change takes effect before that day's rise, so a hold never raises the
    dose and a climb is never slowed by first taking its next step.
    """
    run = at.run
    assert run is not None
    assert run.dose is not None
    before = state.run_on(at.day - _ONE)
    if (
        run.first == at.day
        and (state.prescribed is None or state.prescribed.day != at.day)
        and before is not None
        and before.dose is not None
        and before.plan_no == run.plan_no
        and before.dose < run.dose
    ):
        return before.dose
    return run.dose


def _no_dose(state: State, day: date, doing: str) -> AdjustRefused:
    if state.stopped_on is not None:
        why = f"the trial stopped on {state.stopped_on.isoformat()}"
    else:
        end = next((run.last for run in reversed(state.runs) if run.dose is not None), None)
        why = "no plan covers it" if end is None else f"the plan ended on {end.isoformat()}"
    return AdjustRefused(
        f"cannot {doing} on {day.isoformat()}: no dose is planned that day ({why})"
    )


def _apply_plan(state: State, entry: Entry, plan: PlanStarted) -> Change:
    state.plan = plan
    state.plan_no += 1
    state.steps = plan.climb
    state.step_mg = plan_step(plan)
    state.target = plan.target_mg
    state.held_from = state.held_until = state.stopped_on = state.prescribed = None
    pieces = [Piece(dose, days, "climb", None) for dose, days in plan.climb]
    state.lay(plan.start_date, pieces, Piece(plan.target_mg, 0, "target", None))
    return Change(
        plan.start_date,
        "plan",
        f"plan started: {plan.protocol_title} (target {format_dose_mg(plan.target_mg)})",
        entry.id,
    )


class _At(NamedTuple):
    """An adjustment being applied: its day, its entry, and the run in force that day."""

    day: date
    entry_id: int
    adjust: Adjust
    run: Run | None
    checked: bool  # being recorded: the rules added in 0.3.0 refuse it rather than plan it

    @property
    def reason(self) -> str | None:
        return self.adjust.reason

    def change(self, text: str) -> Change:
        return Change(self.day, self.adjust.action, text, self.entry_id)


def _stop(state: State, at: _At) -> Change:
    if state.stopped_on is not None:
        raise AdjustRefused(
            f"cannot stop on {at.day.isoformat()}: "
            f"the trial already stopped on {state.stopped_on.isoformat()}"
        )
    state.lay(at.day, [], None)
    state.stopped_on = at.day
    state.prescribed = None
    state.held_from = state.held_until = None
    return at.change(_describe("stopped", at.reason))


def _dose(state: State, at: _At) -> Change:
    assert at.adjust.dose_mg is not None
    dose = at.adjust.dose_mg
    if dose > state.target:
        state.target = dose
        _fill_steps(state, None)  # a later resume from a lower dose climbs in steps
    text = _describe(f"dose set to {format_dose_mg(dose)}", at.reason)
    kind: RunKind = "target" if dose == state.target else "held"
    before = state.run_on(at.day - _ONE)
    state.prescribed = Prescribed(at.day, dose, None if before is None else before.dose)
    state.lay(at.day, [], Piece(dose, 0, kind, text))
    state.held_from, state.held_until, state.stopped_on = at.day, None, None
    return at.change(text)


def _target(state: State, at: _At) -> Change:
    assert at.adjust.dose_mg is not None
    day, run, new_target = at.day, at.run, at.adjust.dose_mg
    current = None if run is None else run.dose
    raised = new_target > state.target
    state.target = new_target
    text = _describe(f"new target {format_dose_mg(new_target)}", at.reason)
    if raised:
        added = _fill_steps(state, current)
        if added > MAX_CLIMB_DAYS and at.checked:
            raise ClimbRefused(
                f"cannot raise the target to {format_dose_mg(new_target)} on "
                f"{day.isoformat()}: steps of {format_dose_mg(state.step_mg)} take more "
                "than two years to reach it; climb more slowly with a larger step first"
            )
    if current is None or run is None:
        return at.change(text)  # after a stop it only records the target
    if current >= new_target:
        if current > new_target:
            text = _describe(
                f"new target {format_dose_mg(new_target)}, lowered from {format_dose_mg(current)}",
                at.reason,
            )
        state.lay(day, [], Piece(new_target, 0, "target", text))
    elif state.held_on(day) and state.held_until is None:
        state.lay(day, [], Piece(current, 0, "held", text))
    elif state.held_on(day) and state.held_until is not None:
        held_days = (state.held_until - day).days
        pieces, final = _climb(
            state, current, Piece(current, _step_days(state.steps, current), "climb", None)
        )
        state.lay(day, [Piece(current, held_days, "held", text), *pieces], final)
    else:
        left = (run.last - day).days + 1 if run.kind == "climb" else 0
        head_days = left or _step_days(state.steps, current)
        pieces, final = _climb(state, current, Piece(current, head_days, "climb", text))
        state.lay(day, pieces, final)
    return at.change(text)


def _back(state: State, at: _At) -> Change:
    day = at.day
    current = _in_force(state, at)
    prescribed, state.prescribed = state.prescribed, None
    lower = [step for step in state.steps if step[0] < current]
    if prescribed is not None and prescribed.dose == current:
        # Back from the prescriber's dose: to the dose in force the day before it.
        below = prescribed.before
        if below is not None and below < current:
            lower = [(below, _step_days(state.steps, below))]
    if not lower:
        raise AdjustRefused(
            f"cannot go back on {day.isoformat()}: there is no step below "
            f"{format_dose_mg(current)} to go back to"
        )
    dose, days = lower[-1]
    text = _describe(f"back to {format_dose_mg(dose)}", at.reason)
    if state.held_on(day) and state.held_until is None:
        # A step back keeps the hold in force: no climb until resume.
        state.lay(day, [], Piece(dose, 0, "held", text))
    elif state.held_on(day) and state.held_until is not None:
        # The hold's days go on at the lower dose, then the climb resumes by itself.
        held = Piece(dose, (state.held_until - day).days, "held", text)
        pieces, final = _climb(state, dose, Piece(dose, days, "climb", None))
        state.lay(day, [held, *pieces], final)
    else:
        pieces, final = _climb(state, dose, Piece(dose, days, "climb", text))
        state.lay(day, pieces, final)
    return at.change(text)


def _hold(state: State, at: _At) -> Change:
    day, for_days = at.day, at.adjust.for_days
    current = _in_force(state, at)
    if for_days is None:
        text = _describe(f"hold at {format_dose_mg(current)}", at.reason)
        kind: RunKind = "target" if current >= state.target else "held"
        state.lay(day, [], Piece(current, 0, kind, text))
        state.held_from, state.held_until = day, None
        return at.change(text)
    text = _describe(f"hold at {format_dose_mg(current)} for {for_days} days", at.reason)
    if current >= state.target:
        state.lay(day, [], Piece(current, 0, "target", text))
    else:
        resumed = _describe(f"resume at {format_dose_mg(current)} after the hold", at.reason)
        head = Piece(current, _step_days(state.steps, current), "climb", resumed)
        pieces, final = _climb(state, current, head)
        held = Piece(current, for_days, "held", text)
        state.lay(day, [held, *pieces], final)
    state.held_from, state.held_until = day, day + timedelta(days=for_days)
    return at.change(text)


def _resume(state: State, at: _At) -> Change:
    day = at.day
    assert at.run is not None
    assert at.run.dose is not None
    current = at.run.dose
    if not state.held_on(day):
        raise AdjustRefused(f"cannot resume on {day.isoformat()}: the plan is not on hold")
    text = _describe(f"resume the climb from {format_dose_mg(current)}", at.reason)
    if current >= state.target:
        state.lay(day, [], Piece(current, 0, "target", text))
    else:
        head = Piece(current, _step_days(state.steps, current), "climb", text)
        pieces, final = _climb(state, current, head)
        state.lay(day, pieces, final)
    state.held_from = state.held_until = None
    return at.change(text)


def _slower_doses(
    state: State, at: _At, current: Fraction, every: int
) -> tuple[list[Fraction], str]:
    """Return the doses of a slower climb from ``current`` (below the target) and its words."""
    step_mg = at.adjust.step_mg
    if step_mg is not None:
        step = min(step_mg, state.step_mg)
        count = -(-(state.target - current) // step)  # ceiling division
        if count * every > MAX_CLIMB_DAYS:
            raise ClimbRefused(
                f"steps of {format_dose_mg(step)} every {every} days from "
                f"{format_dose_mg(current)} take {count * every} days to reach "
                f"{format_dose_mg(state.target)}, more than two years; use a larger step"
            )
        state.step_mg = step
        text = (
            f"slower: from {format_dose_mg(current)}, up {format_dose_mg(step)} every {every} days"
        )
        return [current + i * step for i in range(int(count))], _describe(text, at.reason)
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
    text = f"slower: from {format_dose_mg(current)}, {every} days a step"
    return doses, _describe(text, at.reason)


def _slower(state: State, at: _At) -> Change:
    assert at.adjust.every_days is not None
    assert at.run is not None
    day, run, step_mg = at.day, at.run, at.adjust.step_mg
    current = _in_force(state, at)
    if current >= state.target:
        raise AdjustRefused(
            f"cannot climb more slowly on {day.isoformat()}: already at the target "
            f"({format_dose_mg(state.target)})"
        )
    every = at.adjust.every_days
    in_force = _step_days(state.steps, current)
    if every < in_force and at.checked:
        raise AdjustRefused(
            f"cannot climb more slowly on {day.isoformat()} with steps every "
            f"{every} day{'' if every == 1 else 's'}: "
            f"the steps in force last {in_force} days; give {in_force} days or more"
        )
    if step_mg is not None and step_mg > state.step_mg and at.checked:
        raise AdjustRefused(
            f"cannot climb more slowly on {day.isoformat()} with steps of "
            f"{format_dose_mg(step_mg)}: the step in force is "
            f"{format_dose_mg(state.step_mg)}; give {format_dose_mg(state.step_mg)} or less"
        )
    # An entry stored before these rules is never faster either: its steps keep
    # the length and the size in force at most.
    every = max(every, in_force)
    doses, text = _slower_doses(state, at, current, every)
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
    pieces = [Piece(doses[0], head_days, "climb", text)]
    pieces += [Piece(d, every, "climb", None) for d in doses[1:]]  # the change is on its day
    state.lay(day, pieces, Piece(state.target, 0, "target", None))
    state.held_from = state.held_until = state.prescribed = None
    return at.change(text)


# One function per adjustment; those that need a dose planned on their day say
# what they would have done in the refusal.
_ADJUSTMENTS: dict[str, Callable[[State, _At], Change]] = {
    "back": _back,
    "hold": _hold,
    "resume": _resume,
    "slower": _slower,
    "target": _target,
    "dose": _dose,
    "stop": _stop,
}
_NEEDS_A_DOSE = {
    "back": "go back",
    "hold": "hold",
    "resume": "resume",
    "slower": "climb more slowly",
}


def _apply_adjust(state: State, entry: Entry, adjust: Adjust) -> Change:
    run = state.run_on(entry.day)
    doing = _NEEDS_A_DOSE.get(adjust.action)
    if doing is not None and (run is None or run.dose is None):
        raise _no_dose(state, entry.day, doing)
    at = _At(entry.day, entry.id, adjust, run, entry.id in state.checked)
    return _ADJUSTMENTS[adjust.action](state, at)


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
            f"({first_plan.start_date.isoformat()})",
            code="adjust-before-plan",
        )
    state = State(first.payload, checked)
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
