"""Random sequences of diary entries against the re-planner's invariants.

A hypothesis state machine records took, missed, note, mixed, adjustments of
every kind, undos and new plans over advancing days, some dated a few days back.
Each entry is checked as the store would: the plan is recomputed with it, and an
entry that the re-planner refuses is not kept. After every kept entry:

- the segments are contiguous, without gaps or overlaps;
- no planned dose is above the target in force that day (a model of the targets);
- no dose goes up on a day inside a hold (a model of the holds);
- no day before the entry's day changed (the whole plan is unchanged by took,
  missed, note and mixed);
- the entry's own day got the dose its rule gives;
- the payload survives encode then decode, and the list's order does not matter.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from ldncalc.diary.codec import decode_payload, encode_payload
from ldncalc.diary.entries import (
    Adjust,
    Entry,
    Missed,
    Mixed,
    Note,
    Payload,
    PlanStarted,
    Took,
    Undo,
)
from ldncalc.diary.replan import (
    OPEN_END,
    LivingPlan,
    PlannedSegment,
    check_undo,
    replan,
    undone_by,
)
from ldncalc.diary.status import adherence, day_status, history_entries
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.render.history import history_lines, history_object

F = Fraction
START = date(2027, 1, 4)
ONE = timedelta(days=1)

# Some of the shipped protocols' climbs (titration.py), and one that starts at its target.
CLIMBS: list[tuple[tuple[tuple[Fraction, int], ...], Fraction]] = [
    (((F(1), 7), (F(2), 7), (F(3), 7), (F(4), 7)), F(9, 2)),
    (tuple((F(n, 2), 14) for n in range(1, 9)), F(9, 2)),
    (((F(3, 2), 14), (F(3), 14)), F(9, 2)),
    (((F(3, 2), 28), (F(3), 28)), F(9, 2)),
    ((), F(3)),
]
DOSES = [F(n, 4) for n in (1, 2, 3, 4, 6, 8, 10, 12, 14, 16, 18, 20, 24)]
REASONS = st.none() | st.sampled_from(["side effects: insomnia", "vivid dreams", "prescriber"])


def plan_payload(index: int, hold_days: int, start: date) -> PlanStarted:
    climb, target = CLIMBS[index]
    return PlanStarted(
        climb=climb,
        target_mg=target,
        hold_days=hold_days,
        protocol_id=f"p{index}",
        protocol_title=f"Protocol {index}",
        start_date=start,
        tablets=1,
        strength_mg=F(50),
        water_ml=F(50),
        syringe_ml=None,
        graduation_ml=None,
        keep_days=14,
    )


LAID_AFTER = timedelta(days=60)  # an open end (maintenance, an open hold) is checked this far


def laid(plan: LivingPlan) -> tuple[PlannedSegment, ...]:
    """Return the segments, an open end laid to 60 days after the plan's horizon."""
    if not plan.open_ended:
        return plan.segments
    assert plan.horizon is not None
    assert plan.segments[-1].last_date == OPEN_END
    return plan.laid_to(plan.horizon + LAID_AFTER)


def dose_map(plan: LivingPlan) -> dict[date, Fraction | None]:
    doses: dict[date, Fraction | None] = {}
    for segment in laid(plan):
        day = segment.first_date
        while day <= segment.last_date:
            doses[day] = segment.dose_mg
            day += ONE
    return doses


class Model:
    """An independent reading of the entries: what counts, targets and holds."""

    def __init__(self, entries: list[Entry]) -> None:
        self.by_uid = {e.uid: e for e in entries}
        self.undoers: dict[str, list[str]] = {}
        for e in entries:
            if isinstance(e.payload, Undo):
                self.undoers.setdefault(e.payload.target_uid, []).append(e.uid)
        active = [e for e in entries if not isinstance(e.payload, Undo) and not self.undone(e.uid)]
        starts = [
            (e.id, e.payload.start_date) for e in active if isinstance(e.payload, PlanStarted)
        ]
        # A plan masks older plans starting on or after its start, and the adjustments
        # recorded before it that are dated on or after its start.
        self.events = sorted(
            (
                e
                for e in active
                if isinstance(e.payload, PlanStarted | Adjust)
                and not any(i > e.id and s <= self.rewrite_day(e) for i, s in starts)
            ),
            key=lambda e: (self.rewrite_day(e), e.id),
        )

    @staticmethod
    def rewrite_day(e: Entry) -> date:
        return e.payload.start_date if isinstance(e.payload, PlanStarted) else e.day

    def undone(self, uid: str) -> bool:
        return any(not self.undone(u) for u in self.undoers.get(uid, []))

    def targets(self) -> list[tuple[date, Fraction]]:
        """Return (from day, target) in force, in order."""
        result: list[tuple[date, Fraction]] = []
        target = F(0)
        for e in self.events:
            p = e.payload
            if isinstance(p, PlanStarted):
                target = p.target_mg
            elif isinstance(p, Adjust) and p.action == "target" and p.dose_mg is not None:
                target = p.dose_mg
            elif isinstance(p, Adjust) and p.action == "dose" and p.dose_mg is not None:
                target = max(target, p.dose_mg)
            else:
                continue
            result.append((self.rewrite_day(e), target))
        return result

    def holds(self) -> list[tuple[date, date | None]]:
        """Return the holds as [first day, end) intervals (end None: open)."""
        result: list[tuple[date, date | None]] = []
        current: tuple[date, date | None] | None = None
        for e in self.events:
            p = e.payload
            day = self.rewrite_day(e)
            if current is not None and current[1] is not None and current[1] <= day:
                result.append(current)
                current = None
            if isinstance(p, Adjust) and p.action in ("target", "back"):
                continue
            if current is not None:
                result.append((current[0], day))
                current = None
            if isinstance(p, Adjust) and p.action == "hold":
                end = None if p.for_days is None else day + timedelta(days=p.for_days)
                current = (day, end)
            elif isinstance(p, Adjust) and p.action == "dose":
                current = (day, None)
        if current is not None:
            result.append(current)
        return result

    def effective_day(self, entry: Entry) -> date | None:
        """Return the first day an entry may change (None: it changes no day)."""
        p = entry.payload
        if isinstance(p, PlanStarted):
            return p.start_date
        if isinstance(p, Adjust):
            return entry.day
        if isinstance(p, Undo):
            return self.effective_day(self.by_uid[p.target_uid])
        return None


class DiaryMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.today = START
        self.plan: LivingPlan | None = None
        self.kept = 0
        self.refused = 0

    # ------------------------------------------------------------------ recording

    def when(self, back: int) -> date:
        return max(START, self.today - timedelta(days=back))

    def record(self, day: date, payload: Payload) -> None:
        n = len(self.entries) + 1
        entry = Entry(f"uid-{n}", n, day, datetime(2027, 1, 1) + timedelta(minutes=n), payload)
        kind, text = encode_payload(payload)
        assert decode_payload(kind, text) == payload
        assert kind == entry.kind
        candidate = [*self.entries, entry]
        refusal: InvalidInputError | RefusedError | None = None
        try:
            new = replan(candidate)
        except (InvalidInputError, RefusedError) as error:
            refusal = error
        if refusal is not None:
            # Only entries that move the plan can be refused, in one line.
            assert entry.kind in ("plan", "adjust", "undo"), refusal
            assert str(refusal)
            assert "\n" not in str(refusal)
            self.refused += 1
            return
        old = self.plan
        self.check_change(entry, old, new, candidate)
        self.entries = candidate
        self.plan = new
        self.kept += 1

    def check_change(
        self, entry: Entry, old: LivingPlan | None, new: LivingPlan, entries: list[Entry]
    ) -> None:
        assert replan(list(reversed(entries))) == new
        if old is None:
            return
        model = Model(entries)
        since = model.effective_day(entry)
        if since is None:
            assert new == old
            return
        before, after = dose_map(old), dose_map(new)
        for day in set(before) | set(after):
            if day < since:  # (the maps lay an open end to different horizons)
                assert old.dose_on(day) == new.dose_on(day), (day, since)
        p = entry.payload
        # Later-dated entries may rewrite the days after this one's, never its own day.
        last_word = all(model.rewrite_day(e) <= entry.day for e in model.events)
        if isinstance(p, Adjust) and entry.id not in new.superseded_ids:
            was = old.dose_on(entry.day)
            now = new.dose_on(entry.day)
            if p.action == "stop":
                assert now is None
                if last_word:
                    assert new.end_date is None or new.end_date < entry.day
                    assert new.stopped_on == entry.day
            elif p.action == "dose":
                assert now == p.dose_mg
                assert new.held or not last_word
            elif p.action == "target":
                assert p.dose_mg is not None
                assert now == (None if was is None else min(was, p.dose_mg))
                assert new.target_mg == p.dose_mg or not last_word
            elif p.action == "back":
                assert was is not None
                assert now is not None
                assert now < was
            elif p.action in ("slower", "hold"):
                # these keep the day's dose, or on a step-up day the dose before it:
                # they take effect before the day's rise (issue 23 section 1)
                assert now is not None
                assert now == was or now == old.dose_on(entry.day - ONE), (was, now)
                assert was is not None
                assert now <= was
            else:  # resume keeps the day's dose
                assert now == was
                assert now is not None
        if isinstance(p, PlanStarted):
            first = p.climb[0][0] if p.climb else p.target_mg
            assert new.dose_on(p.start_date) == first
            assert new.plan == p

    # ------------------------------------------------------------------ rules

    @initialize(index=st.integers(0, len(CLIMBS) - 1), hold=st.sampled_from([7, 28, 56]))
    def start(self, index: int, hold: int) -> None:
        self.record(START, plan_payload(index, hold, START))
        assert self.plan is not None

    @rule(days=st.integers(0, 14))
    def advance(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(back=st.integers(0, 3), dose=st.none() | st.sampled_from(DOSES))
    def took(self, back: int, dose: Fraction | None) -> None:
        self.record(self.when(back), Took(dose))

    @rule(back=st.integers(0, 3))
    def missed(self, back: int) -> None:
        self.record(self.when(back), Missed())

    @rule(
        back=st.integers(0, 3),
        text=st.sampled_from(["", "tired", "slept badly"]),
        pain=st.none() | st.integers(0, 10),
        effects=st.lists(st.sampled_from(["insomnia", "vivid dreams", "headache"]), max_size=2),
    )
    def note(self, back: int, text: str, pain: int | None, effects: list[str]) -> None:
        scores = () if pain is None else (("pain", pain),)
        if not text and not scores and not effects:
            text = "nothing to report"
        self.record(self.when(back), Note(text, scores, tuple(effects)))

    @rule(back=st.integers(0, 3), water=st.sampled_from([F(10), F(50)]))
    def mixed(self, back: int, water: Fraction) -> None:
        self.record(self.when(back), Mixed(1, F(50), water, 14))

    @rule(back=st.integers(0, 3), reason=REASONS)
    def back_(self, back: int, reason: str | None) -> None:
        self.record(self.when(back), Adjust("back", reason=reason))

    @rule(back=st.integers(0, 3), for_days=st.none() | st.integers(1, 21))
    def hold(self, back: int, for_days: int | None) -> None:
        self.record(self.when(back), Adjust("hold", for_days=for_days))

    @rule(back=st.integers(0, 3))
    def resume(self, back: int) -> None:
        self.record(self.when(back), Adjust("resume"))

    @rule(
        back=st.integers(0, 3),
        every=st.integers(1, 21),
        step=st.none() | st.sampled_from([F(1, 4), F(1, 2), F(1), F(3, 2)]),
        reason=REASONS,
    )
    def slower(self, back: int, every: int, step: Fraction | None, reason: str | None) -> None:
        self.record(
            self.when(back), Adjust("slower", step_mg=step, every_days=every, reason=reason)
        )

    @rule(back=st.integers(0, 3), dose=st.sampled_from(DOSES))
    def target(self, back: int, dose: Fraction) -> None:
        self.record(self.when(back), Adjust("target", dose_mg=dose))

    @rule(back=st.integers(0, 3), dose=st.sampled_from(DOSES))
    def dose(self, back: int, dose: Fraction) -> None:
        self.record(self.when(back), Adjust("dose", dose_mg=dose))

    @rule(back=st.integers(0, 3))
    def stop(self, back: int) -> None:
        self.record(self.when(back), Adjust("stop"))

    @rule(data=st.data())
    def undo(self, data: st.DataObject) -> None:
        target = data.draw(st.sampled_from(self.entries))
        model = Model(self.entries)
        if model.undone(target.uid):
            # An entry undone already is refused, naming the undo in force (issue 17 §5).
            by = undone_by(self.entries)[target.id]
            message = (
                f"entry {target.id} is already undone by entry {by}; to restore it, undo entry {by}"
            )
            with pytest.raises(RefusedError, match=f"^{re.escape(message)}$"):
                check_undo(self.entries, target.id)
            self.refused += 1
            return
        payload = check_undo(self.entries, target.id)
        assert not model.undone(target.uid)
        assert payload == Undo(target.uid)
        self.record(self.today, payload)

    @rule(index=st.integers(0, len(CLIMBS) - 1), hold=st.sampled_from([7, 56]))
    def new_plan(self, index: int, hold: int) -> None:
        self.record(self.today, plan_payload(index, hold, self.today))

    # ------------------------------------------------------------------ invariants

    @invariant()
    def segments_are_contiguous(self) -> None:
        assert self.plan is not None
        segments = self.plan.segments
        for segment in segments:
            assert segment.first_date <= segment.last_date
        for a, b in itertools.pairwise(segments):
            assert b.first_date == a.last_date + ONE
        if segments:
            assert segments[0].first_date == self.plan.start_date
            assert segments[-1].dose_mg is not None

    @invariant()
    def no_daily_rise_above_the_step_in_force(self) -> None:
        # Issue 17 §3: no day's dose is above the day before's by more than the plan's
        # step (its largest rise; a slower climb only makes it smaller), except the
        # day a plan starts or the prescriber sets a dose.
        assert self.plan is not None
        exempt = {
            Model.rewrite_day(e)
            for e in Model(self.entries).events
            if isinstance(e.payload, PlanStarted)
            or (isinstance(e.payload, Adjust) and e.payload.action == "dose")
        }
        doses = dose_map(self.plan)
        for day, now in doses.items():
            before = doses.get(day - ONE)
            if now is None or before is None or day in exempt:
                continue
            governing = self.plan.plan_on(day)
            assert governing is not None
            steps = [d for d, _ in governing.climb] + [governing.target_mg]
            step = max((b - a for a, b in itertools.pairwise(steps)), default=steps[0])
            assert now - before <= step, (day, before, now, step)

    @invariant()
    def any_history_window_works_after_any_undo(self) -> None:
        # Issue 17 §5: an entry's undone state never depends on the window shown.
        model = Model(self.entries)
        by = undone_by(self.entries)
        first = min(e.day for e in self.entries)
        last = max(e.day for e in self.entries)
        ids = {e.uid: e.id for e in self.entries}
        middle = first + (last - first) / 2
        for start, end in ((first, last), (middle, last), (first, middle), (last, last)):
            rows = history_entries(self.entries, start, end)
            assert [r.entry.id for r in rows] == [
                e.id
                for e in sorted(self.entries, key=lambda e: (e.day, e.id))
                if start <= e.day <= end
            ]
            for row in rows:
                assert (row.undone_by is not None) == model.undone(row.entry.uid)
                assert row.undone_by == by.get(row.entry.id)
                if row.undone_by is not None:
                    undo = next(e for e in self.entries if e.id == row.undone_by)
                    assert undo.payload == Undo(row.entry.uid)
                    assert not model.undone(undo.uid)
            assert len(history_lines(rows, (), ids)) == len(rows) + 3
            assert [e["undone_by"] for e in history_object(rows, (), ids)["entries"]] == [
                r.undone_by for r in rows
            ]

    @invariant()
    def no_dose_above_the_target(self) -> None:
        assert self.plan is not None
        targets = Model(self.entries).targets()
        assert targets[-1][1] == self.plan.target_mg
        for segment in self.plan.segments:
            if segment.dose_mg is None:
                continue
            assert segment.dose_mg <= segment.target_mg
            assert segment.at_target == (segment.dose_mg == segment.target_mg)
            in_force = [t for d, t in targets if d <= segment.first_date]
            assert in_force
            assert segment.dose_mg <= in_force[-1]

    @invariant()
    def no_increase_while_held(self) -> None:
        assert self.plan is not None
        doses = dose_map(self.plan)
        if not doses:
            return
        horizon = max(doses)
        for first, end in Model(self.entries).holds():
            day = first + ONE
            last = horizon if end is None else min(horizon, end - ONE)
            while day <= last:
                now, before = doses.get(day), doses.get(day - ONE)
                if before is None:
                    assert now is None, (first, end, day)
                elif now is not None:
                    assert now <= before, (first, end, day)
                day += ONE

    @invariant()
    def queries_agree_with_the_plan(self) -> None:
        assert self.plan is not None
        status = day_status(self.plan, self.entries, self.today)
        assert status.planned_dose_mg == self.plan.dose_on(self.today)
        assert status.review_date == self.plan.review_date
        if status.next_change is not None:
            assert status.next_change.date > self.today
            assert self.plan.dose_on(status.next_change.date) == status.next_change.dose_mg
        result = adherence(self.plan, self.entries, self.today)
        assert 0 <= result.days_taken <= result.days_planned


DiaryMachine.TestCase.settings = settings(stateful_step_count=50, deadline=None)
TestDiaryMachine = DiaryMachine.TestCase
