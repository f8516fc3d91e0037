"""Work a command does once, not once per use: the report's days, undo, the chart's rounding.

Speed is measured by the benchmarks (benchmarks/diary.py); these tests guard
its causes, and that the shortcuts give exactly what the long way gives.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from types import FrameType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ldncalc.diary.living as living_module
import ldncalc.diary.trial as trial_module
import ldncalc.diary.undo as undo_module
from ldncalc.diary.entries import Entry, Note, Took, Undo
from ldncalc.diary.living import build_report
from ldncalc.diary.replan import replan
from ldncalc.diary.status import adherence, days_at_each_dose, history_days
from ldncalc.diary.trial import judge_trial
from ldncalc.diary.undo import active_entries, undone_by
from ldncalc.notation import decimal_text, round_half_up
from ldncalc.render.chart import _tenths, chart_svg
from tests.test_report import START, TODAY, Diary, plan, story

ONE = timedelta(days=1)


def counted(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """Replace ``module.name`` by a wrapper that counts its calls; return the counter."""
    calls = [0]
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_the_report_makes_its_days_once(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = story()
    made = counted(monkeypatch, living_module, "history_days")
    made_by_trial = counted(monkeypatch, trial_module, "history_days")
    build_report(entries, TODAY)
    assert made[0] + made_by_trial[0] == 1


def test_undo_is_resolved_once_for_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = story()
    undo_module._last_active.clear()
    undo_module._last_undone.clear()
    resolved = counted(monkeypatch, undo_module, "_undone_by")
    build_report(entries, TODAY)
    assert resolved[0] == 1


WINDOWS = [
    (None, None),
    (START, TODAY),
    (START + 3 * ONE, TODAY),  # starts after the plan
    (None, START + 2 * ONE),  # ends in the first week
    (START - 20 * ONE, START - 5 * ONE),  # ends before the plan starts
    (START - 30 * ONE, START + 70 * ONE),
    (START + 40 * ONE, START + 200 * ONE),  # after the review date
]


@pytest.mark.parametrize(("start", "end"), WINDOWS)
def test_the_days_cut_from_one_span_are_the_days_of_each_window(
    start: date | None, end: date | None
) -> None:
    entries = story()
    report = build_report(entries, TODAY, start, end)
    living = replan(entries)
    first, last = report.start, report.end
    assert report.days == history_days(living, entries, first, last)
    assert report.dose_days == days_at_each_dose(living, entries, first, last)
    assert report.adherence == adherence(living, entries, min(last, TODAY), first)
    # The trial, judged on its own windows, each made apart (no span given).
    assert report.trial == judge_trial(living, entries, last, start)


def _entry(n: int, payload: Any) -> Entry:
    return Entry(f"u{n}", n, date(2027, 1, 1), datetime(2027, 1, 1, 21), payload)


def test_remembered_undo_is_never_stale() -> None:
    entries = story()
    first = undone_by(entries)
    assert first == {}
    target = entries[-1]
    undo = _entry(10_000, Undo(target.uid))
    with_undo = [*entries, undo]
    assert undone_by(with_undo) == {target.id: 10_000}
    assert target not in active_entries(with_undo)
    # Equal entries that are other objects, and an undo of the undo: worked out again.
    copies = [replace(e) for e in with_undo]
    assert undone_by(copies) == {target.id: 10_000}
    undone_undo = [*copies, _entry(10_001, Undo(undo.uid))]
    assert undone_by(undone_undo) == {10_000: 10_001}
    assert target in active_entries(undone_undo)
    # The answer given is a copy: a caller that changes it changes nothing here.
    answer = undone_by(undone_undo)
    answer.clear()
    assert undone_by(undone_undo) == {10_000: 10_001}


@given(st.integers(-(10**9), 10**9), st.integers(1, 10**6))
def test_chart_coordinates_round_as_decimal_text_does(numerator: int, denominator: int) -> None:
    value = Fraction(numerator, denominator)
    expected = decimal_text(round_half_up(value, Fraction(1, 10)))[0]
    assert _tenths(numerator, denominator) == expected


@contextmanager
def fractions_made() -> Iterator[list[int]]:
    """Count the Fractions made inside the block."""
    count = [0]
    code = Fraction.__new__.__code__

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code is code:
            count[0] += 1

    sys.setprofile(profile)
    try:
        yield count
    finally:
        sys.setprofile(None)


def two_years() -> list[Entry]:
    """A plan, a dose taken every day of two years, pain and sleep scored every third day."""
    diary = Diary()
    diary.add(START, plan())
    for i in range(730):
        day = START + i * ONE
        diary.add(day, Took(None))
        if i % 3 == 0:
            diary.add(day, Note("", (("pain", i % 11), ("sleep", (7 * i) % 11)), ()))
    return diary.entries


def test_the_chart_writes_its_coordinates_without_fractions() -> None:
    report = build_report(two_years(), START + 729 * ONE)
    with fractions_made() as made:
        svg = chart_svg(report)
    assert svg.count("<circle cx=") > 730  # the probe is live: a dot a day taken, the legend
    # A few for the axes, the months and each dose; none for each day's coordinates
    # (rounding one coordinate with Fractions made five).
    assert made[0] < len(report.days)


def test_the_history_words_each_shared_value_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """history_lines, _object and _csv work out each distinct payload and dose once."""
    import ldncalc.render.diary as render_diary
    import ldncalc.render.history as render_history
    from ldncalc.cli import run
    from ldncalc.cli._record import open_diary

    home = str(tmp_path)
    assert run(["plan", "start", "--start-date", "2026-09-01", "--data-dir", home]) == 0
    for day in range(1, 29):
        assert run(["took", "--date", f"2026-09-{day:02}", "--data-dir", home]) == 0
        if day % 3 == 0:
            note = ["note", "ok", "--pain", "3", "--date", f"2026-09-{day:02}"]
            assert run([*note, "--data-dir", home]) == 0
    made = open_diary(home, None).history(start=None, end=date(2026, 9, 28))
    rows, days, ids = made.entries, made.days, made.ids
    payloads = {id(row.entry.payload) for row in rows}
    doses = {d.planned_dose_mg for d in days} | {d.taken_dose_mg for d in days} - {None}
    assert len(payloads) <= 6 < len(rows)  # the probe is live: the payloads are shared
    long_way = [render_diary.entry_text(row.entry, ids) for row in rows]
    worded = counted(monkeypatch, render_history, "entry_text")
    formatted = counted(monkeypatch, render_diary, "format_dose_mg")
    lines = render_history.history_lines(rows, days, ids)
    assert worded[0] == len(payloads)
    assert formatted[0] <= len(payloads) + len(doses) < len(days)  # each distinct dose once
    assert [line.split(maxsplit=2)[2] for line in lines[1 : len(rows) + 1]] == long_way
    worded[0] = 0
    written = render_history.history_object(rows, days, ids)
    assert worded[0] == len(payloads)
    assert [entry["text"] for entry in written["entries"]] == long_way
    scored = counted(monkeypatch, render_history, "csv_cell")
    render_history.history_csv(days)
    assert scored[0] <= 5  # the disclaimer, and each distinct scores and side effects once


@pytest.mark.parametrize("protocol", ["ldnrt-weekly", "lavender-sky"])
def test_a_schedule_plans_each_dose_once_however_long_it_holds(
    monkeypatch: pytest.MonkeyPatch, protocol: str
) -> None:
    """build_schedule's work grows with its distinct doses, never with its days."""
    import ldncalc.dose.preparation as preparation_module
    from ldncalc.plan.titration import build_schedule, custom_protocol

    micrograms = custom_protocol(Fraction(1, 200), Fraction(1, 200), 7, Fraction(1, 20))
    for chosen in (protocol, micrograms):
        calls = []
        for hold in (28, 365 * 8):
            planned = counted(monkeypatch, preparation_module, "plan_dose")
            plan = build_schedule(chosen, start_date=date(2027, 1, 4), hold_days=hold)
            monkeypatch.undo()
            assert plan.days >= hold  # the probe is live: the hold is in the plan
            calls.append(planned[0])
        doses = {step.plan.dose_mg for step in plan.steps}
        # Each dose once (and the alternatives plan_dose weighs for some of them).
        assert len(doses) <= calls[0] == calls[1] <= 2 * len(doses), chosen
