"""Random diaries kept through the CLI in a real store: the living plan's invariants.

A hypothesis state machine runs the commands people run (``ldncalc.cli.run``
in-process, ``--data-dir`` a temp folder holding a real SQLite diary): took,
missed, note, mixed, every ``plan adjust`` action, undo and new plans, over
days that advance (always before the real today, so that nothing is refused for
being in the future). After every command it reads the diary back from the
store and checks:

- a refused command (exit 1 or 2) printed one ``Error:`` line and left the
  diary's records exactly as they were; a command that succeeded added one
  record of its kind, about its day, and nothing else;
- commands the machine can judge itself were judged alike (a second ``took``
  without ``--again``, ``missed`` after ``took``, ``took`` on a day without a
  dose, an unknown entry to undo, and inputs that are always wrong);
- the planned days are contiguous from the plan's start;
- no planned dose is above the target in force on its day, and no dose goes up
  inside a hold (targets and holds read from the entries by a model written
  here, independently of the re-planner);
- days before the new entry's day are unchanged (the whole plan for took,
  missed, note and mixed);
- every day with a planned dose is covered by an unexpired stock batch, the
  batches in use on it are unexpired, a dilution never outlives its stock,
  and a batch starts on every day recorded as mixed;
- ``today --json`` agrees with the plan, and says never double after a miss;
- the profile exported, then imported into a fresh store, gives the same
  entries (by uid) and the same history days.

The store is kept on a RAM-backed folder where there is one (Linux's /dev/shm):
durability is tested elsewhere (test_store_processes.py), and every commit's
fsync would otherwise dominate the run time.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
from bisect import bisect_right
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from ldncalc.diary.codec import decode_payload
from ldncalc.diary.entries import Adjust, Entry, Missed, Mixed, Note, PlanStarted, Took, Undo
from ldncalc.diary.living import living_schedule, living_supply
from ldncalc.diary.replan import OPEN_END, LivingPlan, PlannedSegment, replan
from ldncalc.diary.service import Diary
from ldncalc.diary.status import NEVER_DOUBLE, history_days, history_entries
from ldncalc.diary.store import Record, Store
from tests.fuzzing import CliResult, cli

F = Fraction
START = date(2025, 1, 6)
ONE = timedelta(days=1)
PROTOCOLS = ["ldnrt-weekly", "ldnnaltrexone", "ldnrt-half-weekly", "lavender-sky"]
# Dose texts as people type them, with the dose each means.
DOSES = {
    "0.5mg": F(1, 2),
    "1mg": F(1),
    "1.5mg": F(3, 2),
    "2mg": F(2),
    "2.5mg": F(5, 2),
    "3mg": F(3),
    "4.5mg": F(9, 2),
    "750mcg": F(3, 4),
}
STEPS = ["0.25mg", "0.5mg", "1mg"]
REASONS = [None, "insomnia", "vivid dreams"]
RAM = "/dev/shm"
# (days today moves on, days back from it): an entry is about today or a recent day.
Moment = tuple[int, int]
WHEN = st.tuples(st.integers(0, 4), st.integers(0, 3))


def folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="ldncalc-living-", dir=RAM if os.path.isdir(RAM) else None))


def decoded(records: list[Record]) -> list[Entry]:
    return [
        Entry(r.uid, r.id, r.day, r.recorded_at, decode_payload(r.kind, r.payload)) for r in records
    ]


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
    """What the entries say, read here without the re-planner: undos, targets, holds."""

    def __init__(self, entries: list[Entry]) -> None:
        self.by_uid = {e.uid: e for e in entries}
        self.undone_by: dict[str, list[str]] = {}
        for e in entries:
            if isinstance(e.payload, Undo):
                self.undone_by.setdefault(e.payload.target_uid, []).append(e.uid)
        self.active = [
            e for e in entries if not isinstance(e.payload, Undo) and not self.cancelled(e.uid)
        ]
        plans = [
            (e.id, e.payload.start_date) for e in self.active if isinstance(e.payload, PlanStarted)
        ]
        # A plan masks what older entries had planned from its start on.
        self.events = sorted(
            (
                e
                for e in self.active
                if isinstance(e.payload, PlanStarted | Adjust)
                and not any(i > e.id and s <= self.day_of(e) for i, s in plans)
            ),
            key=lambda e: (self.day_of(e), e.id),
        )

    @staticmethod
    def day_of(e: Entry) -> date:
        return e.payload.start_date if isinstance(e.payload, PlanStarted) else e.day

    def cancelled(self, uid: str) -> bool:
        return any(not self.cancelled(u) for u in self.undone_by.get(uid, []))

    def took_on(self, day: date) -> bool:
        return any(isinstance(e.payload, Took) and e.day == day for e in self.active)

    def missed_on(self, day: date) -> bool:
        return any(isinstance(e.payload, Missed) and e.day == day for e in self.active)

    def targets(self) -> tuple[list[date], list[Fraction]]:
        """Return the days the target changes and the target from each."""
        days: list[date] = []
        values: list[Fraction] = []
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
            days.append(self.day_of(e))
            values.append(target)
        return days, values

    def holds(self) -> list[tuple[date, date | None]]:
        """Return the holds as [first day, end) (end None: open)."""
        found: list[tuple[date, date | None]] = []
        held: tuple[date, date | None] | None = None
        for e in self.events:
            p, day = e.payload, self.day_of(e)
            if held is not None and held[1] is not None and held[1] <= day:
                found.append(held)
                held = None
            if isinstance(p, Adjust) and p.action in ("target", "back"):
                continue  # a new target keeps the hold
            if held is not None:
                found.append((held[0], day))
                held = None
            if isinstance(p, Adjust) and p.action == "hold":
                held = (day, None if p.for_days is None else day + timedelta(days=p.for_days))
            elif isinstance(p, Adjust) and p.action == "dose":
                held = (day, None)
        if held is not None:
            found.append(held)
        return found

    def effective_day(self, entry: Entry) -> date | None:
        """Return the first day an entry may change (None: it changes no planned dose)."""
        p = entry.payload
        if isinstance(p, PlanStarted):
            return p.start_date
        if isinstance(p, Adjust):
            return entry.day
        if isinstance(p, Undo):
            return self.effective_day(self.by_uid[p.target_uid])
        return None


class LivingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = folder()
        self.store = Store(self.folder)
        self.today = START
        self.records: list[Record] = []
        self.entries: list[Entry] = []
        self.plan: LivingPlan | None = None

    def teardown(self) -> None:
        try:
            if self.records:
                self.check_export_import()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ running

    def when(self, moment: Moment) -> date:
        """Move today on a little (most days have something recorded), then go back a little."""
        ahead, back = moment
        self.today += timedelta(days=ahead)
        return max(START, self.today - timedelta(days=back))

    def run(self, *args: str, kind: str, day: date | None) -> CliResult:
        """Run one command on the diary; check what it did to the store; keep the new plan."""
        before = self.store.records()
        assert before == self.records
        result = cli(*args, "--data-dir", str(self.folder))
        assert "Traceback" not in result.stderr
        assert result.exit_code in (0, 1, 2), result.output
        after = self.store.records()
        if result.exit_code != 0:
            assert result.stdout == ""
            lines = result.stderr.splitlines()
            assert len(lines) == 1, result.stderr
            assert lines[0].startswith("Error: "), lines[0]
            assert "unexpected internal error" not in lines[0]
            assert after == before  # refused: nothing written
            return result
        assert after[: len(before)] == before  # nothing changed or removed
        assert len(after) == len(before) + 1, (args, result.output)
        new = after[-1]
        assert new.kind == kind, (args, new)
        if day is not None:
            assert new.day == day
        assert result.stdout.startswith(f"Recorded entry {new.id} for {new.day.isoformat()}: ")
        entries = decoded(after)
        plan = replan(entries)
        self.check_past_days(entries[-1], entries, self.plan, plan)
        self.records, self.entries, self.plan = after, entries, plan
        return result

    def check_past_days(
        self, entry: Entry, entries: list[Entry], old: LivingPlan | None, new: LivingPlan
    ) -> None:
        if old is None:
            return
        since = Model(entries).effective_day(entry)
        if since is None:
            assert new == old  # took, missed, note, mixed never move the plan
            return
        before, after = dose_map(old), dose_map(new)
        for day in set(before) | set(after):
            if day < since:  # (the maps lay an open end to different horizons)
                assert old.dose_on(day) == new.dose_on(day), (entry, day)

    # ------------------------------------------------------------------ rules

    @initialize(protocol=st.sampled_from(PROTOCOLS))
    def start(self, protocol: str) -> None:
        result = self.run(
            "plan", "start", protocol, "--start-date", START.isoformat(), kind="plan", day=START
        )
        assert result.exit_code == 0, result.output

    @rule(days=st.integers(0, 7))
    def advance(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(back=WHEN, dose=st.none() | st.sampled_from(sorted(DOSES)), again=st.booleans())
    def took(self, back: Moment, dose: str | None, again: bool) -> None:
        day = self.when(back)
        assert self.plan is not None
        planned = self.plan.dose_on(day)
        model = Model(self.entries)
        twice = (model.took_on(day) or model.missed_on(day)) and not again
        args = ["took", *([dose] if dose else []), "--date", day.isoformat()]
        result = self.run(*args, *(["--again"] if again else []), kind="took", day=day)
        if twice:
            assert result.exit_code == 1
            assert f"{day.isoformat()} already has a" in result.stderr
        elif dose is None and planned is None:
            assert result.exit_code == 1
            assert "name the dose you took" in result.stderr
        else:
            assert result.exit_code == 0, result.output
            expected = DOSES[dose] if dose else planned
            assert self.entries[-1].payload == Took(expected)
            warned = "Warning: " in result.stdout
            assert warned == (expected != planned)

    @rule(back=WHEN)
    def missed(self, back: Moment) -> None:
        # One rule for a day's record: a second one, taken or missed, in either order,
        # is refused without --again (issue 20).
        day = self.when(back)
        model = Model(self.entries)
        recorded = model.took_on(day) or model.missed_on(day)
        result = self.run("missed", "--date", day.isoformat(), kind="missed", day=day)
        assert result.exit_code == (1 if recorded else 0), result.output
        if not recorded:
            assert self.entries[-1].payload == Missed()

    @rule(
        back=WHEN,
        text=st.sampled_from(["", "tired", "slept badly"]),
        pain=st.none() | st.integers(0, 10),
        effect=st.none() | st.sampled_from(["insomnia", "vivid dreams"]),
    )
    def note(self, back: Moment, text: str, pain: int | None, effect: str | None) -> None:
        day = self.when(back)
        if not text and pain is None and effect is None:
            text = "nothing to report"
        args = ["note", text, "--date", day.isoformat()]
        args += ["--pain", str(pain)] if pain is not None else []
        args += ["--side-effect", effect] if effect is not None else []
        result = self.run(*args, kind="note", day=day)
        assert result.exit_code == 0, result.output
        scores = () if pain is None else (("pain", pain),)
        assert self.entries[-1].payload == Note(text, scores, (effect,) if effect else ())

    @rule(back=WHEN, water=st.sampled_from([None, "25mL"]))
    def mixed(self, back: Moment, water: str | None) -> None:
        day = self.when(back)
        args = ["mixed", "--date", day.isoformat(), *(["--water", water] if water else [])]
        result = self.run(*args, kind="mixed", day=day)
        assert result.exit_code == 0, result.output
        payload = self.entries[-1].payload
        assert isinstance(payload, Mixed)
        assert self.plan is not None
        assert payload.water_ml == (F(25) if water else self.plan.plan.water_ml)
        assert payload.keep_days == self.plan.plan.keep_days

    def adjust(self, back: Moment, *args: str) -> None:
        day = self.when(back)
        result = self.run(
            "plan", "adjust", *args, "--date", day.isoformat(), kind="adjust", day=day
        )
        # Valid options on a day on or after the first plan's start: done, or refused
        # as impossible on that day (exit 1); never a usage error.
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 0:
            assert isinstance(self.entries[-1].payload, Adjust)

    @rule(back=WHEN, reason=st.sampled_from(REASONS))
    def back_(self, back: Moment, reason: str | None) -> None:
        self.adjust(back, "back", *(["--reason", reason] if reason else []))

    @rule(back=WHEN, for_days=st.none() | st.integers(1, 21))
    def hold(self, back: Moment, for_days: int | None) -> None:
        self.adjust(back, "hold", *(["--for", f"{for_days}d"] if for_days else []))

    @rule(back=WHEN)
    def resume(self, back: Moment) -> None:
        self.adjust(back, "resume")

    @rule(back=WHEN, every=st.integers(1, 21), step=st.none() | st.sampled_from(STEPS))
    def slower(self, back: Moment, every: int, step: str | None) -> None:
        self.adjust(back, "slower", "--every", f"{every}d", *(["--step", step] if step else []))

    @rule(back=WHEN, dose=st.sampled_from(sorted(DOSES)))
    def target(self, back: Moment, dose: str) -> None:
        self.adjust(back, "target", dose)

    @rule(back=WHEN, dose=st.sampled_from(sorted(DOSES)))
    def dose(self, back: Moment, dose: str) -> None:
        self.adjust(back, "dose", dose)

    @rule(back=WHEN, reason=st.sampled_from(REASONS))
    def stop(self, back: Moment, reason: str | None) -> None:
        self.adjust(back, "stop", *(["--reason", reason] if reason else []))

    @rule(data=st.data())
    def undo(self, data: st.DataObject) -> None:
        known = data.draw(st.booleans())
        if known:
            number = data.draw(st.sampled_from([e.id for e in self.entries]))
        else:
            number = max(e.id for e in self.entries) + data.draw(st.integers(1, 5))
        undone = known and Model(self.entries).cancelled(
            next(e.uid for e in self.entries if e.id == number)
        )
        result = self.run("undo", str(number), kind="undo", day=None)
        if not known:
            assert result.exit_code == 2
            assert f"this diary has no entry {number}" in result.stderr
        elif undone:  # issue 17 §5: undoing an undone entry is refused, naming its undo
            assert result.exit_code == 1
            assert f"entry {number} is already undone by entry " in result.stderr
        elif result.exit_code == 0:
            target = next(e for e in self.entries if e.id == number)
            assert self.entries[-1].payload == Undo(target.uid)

    @rule(protocol=st.sampled_from(PROTOCOLS), force=st.booleans())
    def new_plan(self, protocol: str, force: bool) -> None:
        args = ["plan", "start", protocol, "--start-date", self.today.isoformat()]
        result = self.run(*args, *(["--force"] if force else []), kind="plan", day=self.today)
        # Without --force a plan still running on the real today is refused.
        assert result.exit_code in ((0,) if force else (0, 1)), result.output

    @rule(
        args=st.sampled_from(
            [
                ["took", "0mg"],
                ["took", "60mg"],
                ["took", "--date", "2999-01-01"],
                ["missed", "--date", "2999-01-01"],
                ["note", "x", "--pain", "11"],
                ["note", "x", "--score", "mood"],
                ["note", ""],
                ["mixed", "--keep", "0d"],
                ["plan", "adjust", "back", "2mg"],
                ["plan", "adjust", "slower"],
                ["plan", "adjust", "hold", "--every", "7d"],
                ["plan", "adjust", "dose", "60mg"],
                ["plan", "adjust", "dose", "0mg"],
                ["plan", "adjust", "back", "--date", "2024-12-31"],
                ["plan", "start", "--keep", "100d", "--force"],
                ["undo", "0"],
                ["history", "--from", "2025-02-01", "--to", "2025-01-01"],
                ["data", "erase", "--profile", "default"],
            ]
        )
    )
    def always_refused(self, args: list[str]) -> None:
        result = self.run(*args, kind="none", day=None)
        assert result.exit_code in (1, 2)

    @rule(back=WHEN)
    def today_json(self, back: Moment) -> None:
        day = self.when(back)
        result = cli("today", "--date", day.isoformat(), "--json", "--data-dir", str(self.folder))
        assert result.exit_code == 0, result.output
        obj = json.loads(result.stdout)
        assert self.plan is not None
        planned = self.plan.dose_on(day)
        assert (None if obj["dose_mg"] is None else F(str(obj["dose_mg"]))) == planned
        model = Model(self.entries)
        yesterday = day - ONE
        never_double = model.missed_on(yesterday) and not model.took_on(yesterday)
        messages = [w["message"] for w in obj["warnings"]]
        assert (NEVER_DOUBLE in messages) == never_double
        assert obj["taken"] == model.took_on(day)
        assert obj["review_date"] == (
            None if self.plan.review_date is None else self.plan.review_date.isoformat()
        )
        assert self.store.records() == self.records  # reading writes nothing

    @rule(data=st.data())
    def history_window(self, data: st.DataObject) -> None:
        # Issue 17 §5: any window of ``history --json`` works after any undo, and
        # shows each entry's undone state as the whole diary has it.
        days = sorted({e.day for e in self.entries})
        start = data.draw(st.sampled_from(days))
        end = data.draw(st.sampled_from([d for d in days if d >= start]))
        result = cli(
            "history", "--json", "--from", start.isoformat(), "--to", end.isoformat(),
            "--data-dir", str(self.folder),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        model = Model(self.entries)
        shown = json.loads(result.stdout)["entries"]
        by_id = {e.id: e for e in self.entries}
        assert sorted(e["id"] for e in shown) == sorted(
            e.id for e in self.entries if start <= e.day <= end
        )
        for item in shown:
            assert (item["undone_by"] is not None) == model.cancelled(by_id[item["id"]].uid)
        assert self.store.records() == self.records  # reading writes nothing

    @rule()
    def export_import(self) -> None:
        self.check_export_import()

    # ------------------------------------------------------------------ invariants

    @invariant()
    def days_are_contiguous(self) -> None:
        if self.plan is None:
            return
        segments = self.plan.segments
        for segment in segments:
            assert segment.first_date <= segment.last_date
        for a, b in itertools.pairwise(segments):
            assert b.first_date == a.last_date + ONE
        if segments:
            assert segments[0].first_date == self.plan.start_date
            assert segments[-1].dose_mg is not None
            days = history_days(
                self.plan, self.entries, self.plan.start_date, laid(self.plan)[-1].last_date
            )
            assert [d.date for d in days] == [
                self.plan.start_date + timedelta(days=i) for i in range(len(days))
            ]
            doses = dose_map(self.plan)
            assert all(d.planned_dose_mg == doses[d.date] for d in days)

    @invariant()
    def no_daily_rise_above_the_step_in_force(self) -> None:
        # Issue 17 §3: no day's dose is above the day before's by more than the plan's
        # step (its largest rise), except the day a plan starts or a dose is set.
        if self.plan is None:
            return
        exempt = {
            Model.day_of(e)
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
        # Issue 17 §5: every window of the history reads, and an entry's undone
        # state (the model's, read without the library) never depends on the window.
        if not self.entries:
            return
        model = Model(self.entries)
        first = min(e.day for e in self.entries)
        last = max(e.day for e in self.entries)
        for start, end in ((first, last), (last, last), (first + (last - first) / 2, last)):
            for row in history_entries(self.entries, start, end):
                assert (row.undone_by is not None) == model.cancelled(row.entry.uid)
                assert start <= row.entry.day <= end

    @invariant()
    def no_dose_above_the_target(self) -> None:
        if self.plan is None:
            return
        changed, targets = Model(self.entries).targets()
        assert targets[-1] == self.plan.target_mg
        for day, dose in dose_map(self.plan).items():
            if dose is None:
                continue
            index = bisect_right(changed, day) - 1
            assert index >= 0, day
            assert dose <= targets[index], (day, dose, targets[index])
        for segment in self.plan.segments:
            if segment.dose_mg is not None:
                assert segment.dose_mg <= segment.target_mg

    @invariant()
    def no_increase_while_held(self) -> None:
        if self.plan is None:
            return
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
    def every_dose_has_an_unexpired_bottle(self) -> None:
        if self.plan is None or all(s.dose_mg is None for s in self.plan.segments):
            return
        until = None if self.plan.horizon is None else self.plan.horizon + LAID_AFTER
        schedule = living_schedule(self.plan, until)
        batches = living_supply(schedule, self.plan, self.entries).batches
        stocks = [b for b in batches if b.liquid == "stock"]
        doses = dose_map(self.plan)
        for day, dose in doses.items():
            if dose is None:
                continue
            assert any(b.mix_date <= day <= b.discard_date for b in stocks), day
            in_use = [b for b in batches if b.mix_date <= day <= b.last_use_date]
            assert in_use, day
            for b in in_use:
                assert day <= b.discard_date, (day, b)
        for b in batches:
            assert b.mix_date <= b.last_use_date <= b.discard_date
            if b.liquid == "dilution":
                assert b.made_from is not None
                stock = batches[b.made_from - 1]
                assert stock.liquid == "stock"
                assert stock.mix_date <= b.mix_date
                assert b.discard_date <= stock.discard_date
        mixed_days = {e.day for e in Model(self.entries).active if isinstance(e.payload, Mixed)}
        for day in mixed_days:
            if doses.get(day) is not None:
                assert day in {b.mix_date for b in stocks}, day

    # ------------------------------------------------------------------ export, import

    def check_export_import(self) -> None:
        document = self.store.export_profile("default")
        fresh = folder()
        try:
            copy = Store(fresh)
            # Through the one door, with every rule of recording (today: the machine's).
            diary = Diary(copy, clock=lambda: max(self.today, date.today()))
            assert diary.import_(document) == len(self.records)
            assert diary.import_(document) == 0
            copied = copy.records()
            assert [(r.uid, r.kind, r.day, r.recorded_at, r.payload) for r in copied] == [
                (r.uid, r.kind, r.day, r.recorded_at, r.payload) for r in self.records
            ]
            entries = decoded(copied)
            plan = replan(entries)
            assert self.plan is not None
            assert dose_map(plan) == dose_map(self.plan)
            assert plan.review_date == self.plan.review_date
            first = self.plan.start_date
            last = max(self.today, first)
            assert history_days(plan, entries, first, last) == history_days(
                self.plan, self.entries, first, last
            )
        finally:
            shutil.rmtree(fresh, ignore_errors=True)


LivingMachine.TestCase.settings = settings(max_examples=15, stateful_step_count=50, deadline=None)
TestLivingMachine = LivingMachine.TestCase
