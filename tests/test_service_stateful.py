"""Random diaries kept through the library's ``Diary``: the rules of recording hold.

A hypothesis state machine calls what a library user (or the CLI) calls:
``took``, ``missed``, ``note``, ``mixed``, every ``adjust`` action with random
doses, ``undo`` of random ids. A model written here, independently of the
service, predicts the refusals it can judge (a second record of a day without
``again``, an undo of an entry already undone, an id that does not exist).
After every call it checks:

- a refused call raised an ``LdncalcError`` and left the stored records as they were;
  an accepted one added exactly one record;
- every accepted adjustment (and every undo) leaves every later day preparable:
  the living plan is measured and its bottles planned without error;
- no day holds two standing dose records unless the second was recorded ``again``;
- any window of the history can be computed after any undo.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from ldncalc.diary.entries import Action, Entry, Missed, PlanStarted, Took, Undo
from ldncalc.diary.living import living_schedule
from ldncalc.diary.replan import active_entries
from ldncalc.diary.service import Diary
from ldncalc.diary.status import history_days
from ldncalc.diary.store import Store
from ldncalc.errors import LdncalcError
from ldncalc.plan.supply import plan_batches

START = date(2025, 1, 6)
TODAY = date(2025, 9, 1)
PROTOCOLS = ["ldnrt-weekly", "ldnnaltrexone", "ldnrt-half-weekly", "lavender-sky"]
DOSES = ["0.5mg", "1mg", "2mg", "3mg", "4.5mg", "6mg", "45mg", "49mg", "0.0001mg", "10mg"]
ACTIONS = ["back", "hold", "resume", "slower", "target", "dose", "stop"]
RAM = "/dev/shm"
DAY = st.integers(0, 200)


def undone(entries: list[Entry], uid: str) -> bool:
    """Say whether the entry ``uid`` is undone: some undo of it is not itself undone.

    The model's own definition, recursive, written apart from the service's walk.
    """
    undos = [e for e in entries if isinstance(e.payload, Undo) and e.payload.target_uid == uid]
    return any(not undone(entries, u.uid) for u in undos)


class DiaryRules(RuleBasedStateMachine):
    """The service against a small model of a day's records and of undo."""

    def __init__(self) -> None:
        super().__init__()
        base = RAM if os.path.isdir(RAM) and os.access(RAM, os.W_OK) else None
        self.folder = Path(tempfile.mkdtemp(prefix="ldncalc-service-", dir=base))
        self.diary = Diary(Store(self.folder), clock=lambda: TODAY)
        self.count = 0
        self.doubled: set[date] = set()  # days whose second record was 'again'

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _stored(self) -> int:
        return len(self.diary._store.records(self.diary.profile))

    def _try(self, call: object) -> bool:
        """Run ``call``; check it added one record, or none when refused."""
        return self._attempt(call) is None

    def _attempt(self, call: object) -> LdncalcError | None:
        """Run ``call``; return its refusal, or None once it added exactly one record."""
        before = self._stored()
        try:
            call()  # type: ignore[operator]
        except LdncalcError as refusal:
            assert self._stored() == before
            return refusal
        assert self._stored() == before + 1
        self.count += 1
        return None

    def _records_on(self, day: date) -> int:
        entries = self.diary.entries()
        return sum(
            1
            for e in active_entries(entries)
            if isinstance(e.payload, Took | Missed) and e.day == day
        )

    @initialize(protocol=st.sampled_from(PROTOCOLS), offset=st.integers(0, 30))
    def start(self, protocol: str, offset: int) -> None:
        self.first_start = START + timedelta(days=offset)
        assert self._try(lambda: self.diary.start_plan(protocol, start_date=self.first_start))

    @rule(
        offset=DAY, dose=st.none() | st.sampled_from(["1mg", "1.5mg", "4.5mg"]), again=st.booleans()
    )
    def took(self, offset: int, dose: str | None, again: bool) -> None:
        day = START + timedelta(days=offset)
        had = self._records_on(day)
        accepted = self._try(lambda: self.diary.took(dose, on=day, again=again))
        if had and not again:
            assert not accepted  # the model: one record a day unless again
        if accepted and had:
            self.doubled.add(day)

    @rule(offset=DAY, again=st.booleans())
    def missed(self, offset: int, again: bool) -> None:
        day = START + timedelta(days=offset)
        had = self._records_on(day)
        accepted = self._try(lambda: self.diary.missed(on=day, again=again))
        assert accepted == (not had or again)
        if accepted and had:
            self.doubled.add(day)

    @rule(offset=DAY, pain=st.integers(0, 10))
    def note(self, offset: int, pain: int) -> None:
        day = START + timedelta(days=offset)
        refusal = self._attempt(lambda: self.diary.note(on=day, scores=[("pain", pain)]))
        # The model: a note is a baseline at most 28 days before the plan's start
        # (while the plan is not undone), else it is kept.
        planned = any(
            isinstance(e.payload, PlanStarted) for e in active_entries(self.diary.entries())
        )
        too_early = planned and day < self.first_start - timedelta(days=28)
        assert (refusal is not None and refusal.code) == (too_early and "note-too-early")

    @rule(offset=DAY)
    def mixed(self, offset: int) -> None:
        day = START + timedelta(days=offset)
        assert self._try(lambda: self.diary.mixed(on=day))

    @rule(
        offset=DAY,
        action=st.sampled_from(ACTIONS),
        dose=st.sampled_from(DOSES),
        every=st.integers(1, 21),
        step=st.none() | st.sampled_from(["0.25mg", "0.5mg", "1mg", "3mg"]),
        hold_for=st.none() | st.integers(1, 30),
    )
    def adjust(
        self,
        offset: int,
        action: Action,
        dose: str,
        every: int,
        step: str | None,
        hold_for: int | None,
    ) -> None:
        day = START + timedelta(days=offset)
        self._try(
            lambda: self.diary.adjust(
                action,
                on=day,
                dose=dose if action in ("target", "dose") else None,
                every_days=every if action == "slower" else None,
                step=step if action == "slower" else None,
                for_days=hold_for if action == "hold" else None,
            )
        )

    @rule(pick=st.integers(1, 60))
    def undo(self, pick: int) -> None:
        entries = self.diary.entries()
        target = next((e for e in entries if e.id == pick), None)
        refusal = self._attempt(lambda: self.diary.undo(pick))
        if target is None:
            assert refusal is not None
            assert str(refusal).startswith(f"this diary has no entry {pick}")
        elif undone(entries, target.uid):
            assert refusal is not None
            assert refusal.code == "undone-already"
        else:
            # A standing entry can be undone, unless that would leave a later day
            # that cannot be prepared (or a plan that no longer holds).
            assert refusal is None or refusal.code not in ("undone-already", "invalid-input")

    @invariant()
    def every_later_day_is_preparable(self) -> None:
        living = self.diary.living()
        if any(s.dose_mg is not None for s in living.segments):
            plan_batches(living_schedule(living), living.plan.keep_days)

    @invariant()
    def a_day_holds_one_dose_record_unless_again(self) -> None:
        counts: dict[date, int] = {}
        for e in active_entries(self.diary.entries()):
            if isinstance(e.payload, Took | Missed):
                counts[e.day] = counts.get(e.day, 0) + 1
        for day, count in counts.items():
            assert count == 1 or day in self.doubled, day

    @invariant()
    def any_history_window_works(self) -> None:
        entries = self.diary.entries()
        living = self.diary.living()
        first = living.start_date
        for start, length in ((0, 7), (40, 30), (100, 60)):
            window_start = first + timedelta(days=start)
            history_days(living, entries, window_start, window_start + timedelta(days=length))

    @invariant()
    def no_dose_above_a_tablet(self) -> None:
        living = self.diary.living()
        assert all(s.dose_mg is None or s.dose_mg <= Fraction(50) for s in living.segments)


DiaryRules.TestCase.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)
test_the_rules_of_recording_hold = DiaryRules.TestCase
