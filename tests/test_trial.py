"""Judging the trial: baseline, evaluation, PEG, the IMMPACT reading, PGIC, by dose.

Every expected figure comes from an oracle written here, from the notes the
test records (plain sums over the days, percentages by hand), never from
ldncalc.diary.trial itself.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.diary.entries import Adjust, Entry, Missed, Note, Took, Undo
from ldncalc.diary.living import build_report
from ldncalc.diary.replan import replan
from ldncalc.diary.trial import PEG_ITEMS, judge_trial
from ldncalc.render.reportjson import report_object
from tests.test_json_schemas import schema_errors
from tests.test_report import START, Diary, plan

F = Fraction
ONE = timedelta(days=1)
# ldnrt-weekly from START: 1, 2, 3, 4 mg a week each, 4.5 mg from day 29; review 56 days later.
REVIEW = START + 28 * ONE + 56 * ONE


def scored(diary: Diary, day: date, pain: int, peg: tuple[int, int] | None = None) -> None:
    scores = [("pain", pain)]
    if peg is not None:
        scores += [("enjoyment", peg[0]), ("activity", peg[1])]
    diary.add(day, Note(scores=tuple(scores)))


def oracle_mean(values: list[int] | list[Fraction]) -> Fraction | None:
    return F(sum(values, F(0)), len(values)) if len(values) >= 3 else None


def started(days_taken: int = 0) -> Diary:
    diary = Diary()
    diary.add(START, plan())
    for i in range(days_taken):
        diary.add(START + i * ONE, Took())
    return diary


def test_the_review_date_is_as_written_by_hand() -> None:
    assert replan(started().entries).review_date == REVIEW == date(2027, 3, 29)


def test_baseline_before_the_start_and_evaluation_at_the_review() -> None:
    diary = started()
    base = {START - k * ONE: (7 + k % 2, (6, 5)) for k in range(1, 15) if k != 3}
    base[START - 20 * ONE] = (10, (10, 10))  # outside the 14 days: never counted
    for day, (pain, peg) in base.items():
        scored(diary, day, pain, peg)
    late: dict[date, tuple[int, None]] = {
        REVIEW - k * ONE: (3 + k % 3, None) for k in range(0, 14, 2)
    }
    late[REVIEW + ONE] = (0, None)  # after the review: not in the evaluation
    for day, (pain, _) in late.items():
        scored(diary, day, pain)
    trial = judge_trial(replan(diary.entries), diary.entries, REVIEW + 10 * ONE)
    inside = [v for d, v in base.items() if START - 14 * ONE <= d < START]
    pains = [p for p, _ in inside]
    pegs = [F(p + e + a, 3) for p, (e, a) in inside]
    assert trial.baseline.kind == "before-start"
    assert (trial.baseline.first, trial.baseline.last) == (START - 14 * ONE, START - ONE)
    assert trial.baseline.days_scored == 13 == trial.baseline.peg_days
    assert trial.baseline.pain == oracle_mean(pains) == F(7 * 13 + 6, 13)  # 6 odd k
    assert trial.baseline.peg == oracle_mean(pegs)
    assert trial.evaluation.kind == "review"
    assert (trial.evaluation.first, trial.evaluation.last) == (REVIEW - 13 * ONE, REVIEW)
    eval_pains = [p for d, (p, _) in late.items() if d <= REVIEW]
    assert trial.evaluation.days_scored == 7
    assert trial.evaluation.pain == oracle_mean(eval_pains)
    assert trial.evaluation.peg is None  # never all three items
    base_pain = F(sum(pains), len(pains))
    eval_pain = F(sum(eval_pains), len(eval_pains))
    assert trial.change.pain_points == eval_pain - base_pain
    assert trial.change.pain_percent == (eval_pain - base_pain) / base_pain * 100
    assert trial.change.peg_points is None
    assert trial.change.peg_percent is None
    decrease = -(eval_pain - base_pain) / base_pain
    assert F(3, 10) <= decrease < F(1, 2)  # 27/7 from 97/13: 48% less
    assert trial.immpact == "moderate"


def test_baseline_falls_back_to_the_first_week() -> None:
    diary = started()
    scored(diary, START - 2 * ONE, 9)
    scored(diary, START - ONE, 9)  # two days: too few
    for k, pain in enumerate((6, 7, 8)):
        scored(diary, START + 2 * k * ONE, pain)
    scored(diary, START + 7 * ONE, 1)  # day 8: outside the first week
    trial = judge_trial(replan(diary.entries), diary.entries, START + 20 * ONE)
    assert trial.baseline.kind == "first-week"
    assert (trial.baseline.first, trial.baseline.last) == (START, START + 6 * ONE)
    assert (trial.baseline.days_scored, trial.baseline.pain) == (3, F(7))
    assert trial.evaluation.kind == "report-end"
    assert trial.evaluation.last == START + 20 * ONE
    assert trial.evaluation.first == START + 7 * ONE
    early = judge_trial(replan(diary.entries), diary.entries, START + 5 * ONE)
    assert (early.evaluation.first, early.evaluation.last) == (START, START + 5 * ONE)


def test_no_baseline_at_all_gives_no_reading() -> None:
    diary = started()
    for k in range(14):
        scored(diary, REVIEW - k * ONE, 2)
    trial = judge_trial(replan(diary.entries), diary.entries, REVIEW)
    assert trial.baseline.kind == "first-week"
    assert trial.baseline.days_scored == 0
    assert trial.baseline.pain is None
    assert trial.evaluation.pain == 2
    assert trial.change.pain_points is None
    assert trial.change.pain_percent is None
    assert trial.immpact is None


@pytest.mark.parametrize(
    ("after", "reading"),
    [
        (5, "substantial"),  # exactly 50% less than 10
        (F(51, 10), "moderate"),
        (7, "moderate"),  # exactly 30%
        (F(71, 10), "minimal"),
        (9, "minimal"),  # exactly 10%
        (F(91, 10), "none"),
        (10, "none"),
    ],
)
def test_immpact_boundaries(after: Fraction, reading: str) -> None:
    """Baseline pain 10 on 3 days; the evaluation's 10 days average ``after``."""
    diary = started()
    for k in range(1, 4):
        scored(diary, START - k * ONE, 10)
    tenths = [int(after * 10) // 10] * 10
    for i in range(int(after * 10) % 10):  # spread the tenths over the days
        tenths[i] += 1
    for k, pain in enumerate(tenths):
        scored(diary, REVIEW - k * ONE, pain)
    trial = judge_trial(replan(diary.entries), diary.entries, REVIEW)
    assert F(sum(tenths), 10) == after
    assert trial.evaluation.pain == after
    assert trial.change.pain_percent == (after - 10) * 10
    assert trial.immpact == reading


def test_worse_pain_reads_none_and_a_baseline_of_zero_has_no_percent() -> None:
    for base, late, percent in ((4, 6, F(50)), (0, 3, None)):
        diary = started()
        for k in range(1, 4):
            scored(diary, START - k * ONE, base)
        for k in range(3):
            scored(diary, REVIEW - k * ONE, late)
        trial = judge_trial(replan(diary.entries), diary.entries, REVIEW)
        assert trial.change.pain_points == late - base
        assert trial.change.pain_percent == percent
        assert trial.immpact == "none"


def test_too_few_days_in_the_evaluation_gives_no_reading() -> None:
    diary = started()
    for k in range(1, 15):
        scored(diary, START - k * ONE, 8)
    scored(diary, REVIEW, 1)
    scored(diary, REVIEW - ONE, 1)
    trial = judge_trial(replan(diary.entries), diary.entries, REVIEW)
    assert trial.evaluation.days_scored == 2
    assert trial.evaluation.pain is None
    assert trial.immpact is None


def test_the_last_recorded_score_of_a_day_counts_and_undone_notes_do_not() -> None:
    diary = started()
    for k in range(1, 4):
        scored(diary, START - k * ONE, 4)
    diary.add(START - ONE, Note(scores=(("pain", 8),)))  # recorded later: 8 wins
    diary.add(START - 2 * ONE, Note(scores=(("pain", 9),)))
    diary.add(START - 2 * ONE, Undo(diary.entries[-1].uid))  # undone: 4 stands
    trial = judge_trial(replan(diary.entries), diary.entries, START)
    assert trial.baseline.pain == F(4 + 4 + 8, 3)


def test_pgic_is_the_latest_on_or_before_the_evaluations_end() -> None:
    diary = started()
    diary.add(START + 10 * ONE, Note(pgic=4))
    diary.add(REVIEW - ONE, Note(pgic=3))
    diary.add(REVIEW - ONE, Note(pgic=2))  # same day, recorded later: wins
    diary.add(REVIEW + ONE, Note(pgic=1))  # after the evaluation
    trial = judge_trial(replan(diary.entries), diary.entries, REVIEW + 5 * ONE)
    assert trial.pgic is not None
    assert (trial.pgic.date, trial.pgic.value, trial.pgic.words) == (
        REVIEW - ONE,
        2,
        "much improved",
    )
    early = judge_trial(replan(diary.entries), diary.entries, START + 5 * ONE)
    assert early.pgic is None


def test_by_dose_with_missed_days_and_a_step_back() -> None:
    diary = started()
    back_on = START + 16 * ONE  # day 17, at 3 mg: back to 2 mg
    diary.add(back_on, Adjust("back", reason="dreams"))
    taken: dict[date, Fraction] = {}
    for i in range(30):
        day = START + i * ONE
        if i in (3, 9, 18):
            diary.add(day, Missed())
            continue
        diary.add(day, Took())
    living = replan(diary.entries)
    for i in range(30):
        day = START + i * ONE
        if i not in (3, 9, 18):
            dose = living.dose_on(day)
            assert dose is not None
            taken[day] = dose
    # Scores on some days, one with all three items; side effects on 3 mg days.
    notes = {
        START + 1 * ONE: (3, (2, 2), ()),
        START + 3 * ONE: (9, None, ()),  # missed: counts at no dose
        START + 8 * ONE: (4, None, ()),
        START + 14 * ONE: (5, (5, 2), ("dreams",)),
        START + 15 * ONE: (6, (6, 6), ("dreams", "headache")),
        START + 16 * ONE: (6, None, ("dreams",)),
    }
    for day, (pain, peg, noted) in notes.items():
        scores = [("pain", pain)] + ([("enjoyment", peg[0]), ("activity", peg[1])] if peg else [])
        diary.add(day, Note(scores=tuple(scores), side_effects=noted))
    end = START + 29 * ONE
    trial = judge_trial(replan(diary.entries), diary.entries, end)
    expected = []
    for dose in sorted(set(taken.values())):
        days = [d for d, v in taken.items() if v == dose]
        pains = [notes[d][0] for d in days if d in notes]
        pegs = [F(notes[d][0] + sum(p), 3) for d in days if d in notes and (p := notes[d][1])]
        effects: dict[str, int] = {}
        for d in days:
            for e in notes[d][2] if d in notes else ():
                effects[e] = effects.get(e, 0) + 1
        expected.append(
            (dose, len(days), len(pains), oracle_mean(pains), oracle_mean(pegs), effects)
        )
    got = [
        (f.dose_mg, f.days_taken, f.days_scored, f.pain_mean, f.peg_mean, dict(f.side_effects))
        for f in trial.doses
    ]
    assert got == expected
    assert [f.dose_mg for f in trial.doses] == [F(1), F(2), F(3)]
    three = trial.doses[2]
    # Days 15 and 16 at 3 mg; day 17 is back at 2 mg (its dreams count there).
    assert three.side_effects == (("dreams", 2), ("headache", 1))
    assert (three.days_scored, three.pain_mean) == (2, None)  # two days: too few
    assert dict(trial.doses[1].side_effects) == {"dreams": 1}


def test_notes_dated_before_the_plan_reach_the_report() -> None:
    diary = started()
    for k in range(1, 4):
        diary.add(START - k * ONE, Note(scores=tuple((n, 6) for n in PEG_ITEMS)))
    report = build_report(diary.entries, START + 3 * ONE)
    assert report.trial.baseline.peg == 6
    assert report.trial.baseline.kind == "before-start"


# --------------------------------------------------------------------------- properties

PAINS = st.lists(st.integers(0, 10), min_size=3, max_size=14)


@given(base=PAINS, late=PAINS, which=st.integers(0, 13), worse=st.integers(1, 10))
def test_a_later_score_getting_worse_never_improves_the_reading(
    base: list[int], late: list[int], which: int, worse: int
) -> None:
    order = [None, "none", "minimal", "moderate", "substantial"]

    def reading(evaluation: list[int]) -> str | None:
        diary = started()
        for k, pain in enumerate(base, start=1):
            scored(diary, START - k * ONE, pain)
        for k, pain in enumerate(evaluation):
            scored(diary, REVIEW - k * ONE, pain)
        return judge_trial(replan(diary.entries), diary.entries, REVIEW).immpact

    i = which % len(late)
    worsened = [*late[:i], min(10, late[i] + worse), *late[i + 1 :]]
    before, after = reading(late), reading(worsened)
    assert order.index(after) <= order.index(before)


@given(pains=PAINS, blanks=st.sets(st.integers(1, 14), max_size=10))
def test_days_without_scores_never_change_a_mean(pains: list[int], blanks: set[int]) -> None:
    def baseline(with_blanks: bool) -> Fraction | None:
        diary = started()
        for k, pain in enumerate(pains, start=1):
            scored(diary, START - k * ONE, pain)
        if with_blanks:
            for k in blanks:  # a note with only text or a side effect
                diary.add(START - k * ONE, Note("slept badly", side_effects=("dry mouth",)))
        return judge_trial(replan(diary.entries), diary.entries, START).baseline.pain

    assert baseline(True) == baseline(False) == F(sum(pains), len(pains))


# --------------------------------------------------------------------------- the worked example

DOCS = Path(__file__).resolve().parent.parent / "docs" / "diary.md"
PROTOCOL_IDS = {"ldnrt-weekly"}


def _dates(first: str, last: str | None = None) -> list[date]:
    a = date.fromisoformat(first)
    b = date.fromisoformat(last) if last else a
    return [a + k * ONE for k in range((b - a).days + 1)]


def worked_example() -> tuple[list[Entry], date, dict[str, Any]]:
    """Return the entries of docs/diary.md's worked example, its report's last day, and the
    JSON the chapter shows."""
    chapter = DOCS.read_text(encoding="utf-8")
    found = re.search(r"```text\n(plan .+?)```", chapter, re.DOTALL)
    assert found is not None, "docs/diary.md has no worked example"
    shown = re.search(r"```json\n(\{.+?\})\n```", chapter[found.end() :], re.DOTALL)
    assert shown is not None
    diary = Diary()
    missed: set[date] = set()
    took: list[date] = []
    scores: dict[date, tuple[tuple[str, int], ...]] = {}
    effects: dict[date, tuple[str, ...]] = {}
    pgic: dict[date, int] = {}
    end = None
    for line in found.group(1).splitlines():
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == "missed":
            missed |= {date.fromisoformat(d) for d in rest.split(", ")}
            continue
        span = re.match(r"(\S+)(?: to (\S+))?\s*(.*)", rest)
        assert span is not None, line
        days, what = _dates(span.group(1), span.group(2)), span.group(3)
        if word == "plan":
            assert what in PROTOCOL_IDS
            diary.add(days[0], plan(days[0]))
        elif word == "took":
            took += days
        elif word == "scores":
            pairs = re.findall(r"(\w+) (\d+)", what)
            for day in days:
                scores[day] = tuple((name, int(value)) for name, value in pairs)
        elif word == "effect":
            for day in days:
                effects[day] = (*effects.get(day, ()), what)
        elif word == "pgic":
            pgic[days[0]] = int(what)
        elif word == "report":
            end = days[-1]
        else:
            raise AssertionError(line)
    for day in sorted(set(took) | set(scores) | set(pgic)):
        if day in took:
            diary.add(day, Missed() if day in missed else Took())
        if day in scores or day in effects:
            diary.add(day, Note(scores=scores.get(day, ()), side_effects=effects.get(day, ())))
        if day in pgic:
            diary.add(day, Note(pgic=pgic[day]))
    assert end is not None
    return diary.entries, end, json.loads(shown.group(1))


def test_the_worked_example_in_the_docs_is_what_report_json_gives() -> None:
    entries, end, shown = worked_example()
    got = report_object(build_report(entries, end, end=end))
    assert {"trial": got["trial"], "by_dose": got["by_dose"]} == shown
    assert not schema_errors(got, "report")


def test_the_worked_example_by_hand() -> None:
    """The figures the chapter computes by hand, from its own table of scores."""
    _, _, shown = worked_example()
    trial, doses = shown["trial"], shown["by_dose"]

    def near(written: float, exact: Fraction) -> bool:  # 12 significant digits
        return abs(F(written) - exact) < F(1, 10**10)

    assert trial["baseline"]["pain"] == F(7 * 7 + 8 * 7, 14) == F(15, 2)
    assert near(trial["baseline"]["peg"], (7 * F(19, 3) + 7 * 7) / 14)
    assert trial["evaluation"]["pain"] == 3
    assert trial["evaluation"]["peg"] == (7 * F(8, 3) + 7 * F(7, 3)) / 14 == F(5, 2)
    assert trial["change"]["pain_points"] == 3 - F(15, 2)
    assert trial["change"]["pain_percent"] == (3 - F(15, 2)) / F(15, 2) * 100 == -60
    assert near(trial["change"]["peg_points"], F(5, 2) - F(20, 3))
    assert trial["change"]["peg_percent"] == (F(5, 2) - F(20, 3)) / F(20, 3) * 100
    assert trial["immpact"] == "substantial"
    assert trial["pgic"] == {"value": 2, "words": "much improved", "date": "2027-04-26"}
    assert [(d["dose_mg"], d["days_taken"]) for d in doses] == [
        (1, 7),
        (2, 6),
        (3, 7),
        (4, 7),
        (4.5, 55),
    ]
    assert near(doses[4]["pain_mean"], F(42 * 4 + 13 * 3, 55))
    assert near(doses[4]["peg_mean"], (42 * F(11, 3) + 7 * F(8, 3) + 6 * F(7, 3)) / 55)
    assert doses[2]["side_effects"] == {"vivid dreams": 3}


def test_history_carries_the_peg_items_and_the_pgic() -> None:
    from ldncalc.diary.status import history_days, history_entries
    from ldncalc.render.history import history_csv, history_object

    diary = started()
    day = START + 2 * ONE
    diary.add(day, Note(scores=(("pain", 5), ("enjoyment", 4), ("activity", 3))))
    diary.add(day, Note(pgic=5))
    diary.add(day, Note(pgic=3))  # recorded later: the day's PGIC
    days = history_days(replan(diary.entries), diary.entries, day, day)
    rows = history_entries(diary.entries)
    obj = history_object(rows, days, {e.uid: e.id for e in diary.entries})
    assert obj["days"][0]["scores"] == {"activity": 3, "enjoyment": 4, "pain": 5}
    assert obj["days"][0]["pgic"] == 3
    # (the test's entries have naive recording times: the days are what is checked here)
    assert not schema_errors({**obj, "entries": []}, "history")
    header, row = history_csv(days).splitlines()
    assert header.split(",")[4:6] == ["scores", "pgic"]
    assert row.startswith("2027-01-06,1,,,activity=3; enjoyment=4; pain=5,3,,")
