"""The diary commands end to end: plan, today, took, missed, mixed, note, undo, history,
report and data, through the CLI's entry point, on a real diary file in a temp folder.

Runs are in-process (``tests.fuzzing.cli``: ``ldncalc.cli.run`` with typer's
isolation), plus a few real ``python -m ldncalc`` processes. Dates are in 2026,
before the real today, since a dose, a note or a bottle cannot be dated later.
The plan of most tests is ldnnaltrexone.com's, started on Monday 2026-01-05:
1.5 mg for 14 days (to 01-18), 3 mg for 14 days (to 02-01), then 4.5 mg for 56
days (02-02 to 03-29); the review is 02-02 + 56 days = 2026-03-30. The liquid is
1 x 50 mg in 50 mL = 1 mg/mL, so N mg is N mL. Expected outputs are written out
by hand. A refused command must print one ``Error:`` line, nothing on stdout,
and leave the diary's entries as they were (``Home.refused`` checks all three).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shlex
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from ldncalc.diary.status import NEVER_DOUBLE
from ldncalc.diary.store import Record, Store
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.errors import StoreError
from tests.fuzzing import CliResult, cli
from tests.safe_notation import assert_safe
from tests.test_startup import modules_loaded_by

START = "2026-01-05"
TITLE = "ldnnaltrexone.com: 1.5 mg, 3 mg, then 4.5 mg, two weeks each"
NO_PLAN = "this diary has no plan yet; start one with 'ldncalc plan start'"
NOTICE = (
    "\n"
    "Informational only, not medical advice: the arithmetic is done by ldncalc; your\n"
    "prescriber decides the dose, and a pharmacist can check how you prepare it.\n"
)
LABEL = (
    "Low-dose naltrexone (LDN) oral liquid\n"
    "1 x 50 mg tablet in 50 mL = 1 mg/mL\n"
    "Concentration: 1 mg/mL\n"
    "Mixed on: {day}\n"
    "Discard after: {discard} (kept 14 days, the mixing day is day 1)\n"
    "Shake well before every dose\n"
    "Keep in the fridge\n"
    "Profile: {profile}\n"
    "Informational only, not medical advice.\n"
)
TODAY_KEYS = {
    "date",
    "day",
    "dose_mg",
    "volume_ml",
    "syringe_ml",
    "graduation_ml",
    "measured_volume_ml",
    "delivered_dose_mg",
    "taken",
    "mix_today",
    "batch",
    "next_change",
    "review_date",
    "warnings",
    "disclaimer",
}


def later(days: int) -> str:
    """Return the real today plus ``days``, as --date takes it."""
    return (date.today() + timedelta(days=days)).isoformat()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class Home:
    """One diary folder (LDNCALC_HOME) and the commands run on it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / "diary.sqlite3"

    def run(self, *args: str) -> CliResult:
        return cli(*args, env={"LDNCALC_HOME": str(self.folder)})

    def ok(self, *args: str, safe: bool = True) -> str:
        """Run a command that must succeed; return its stdout (checked for safe notation)."""
        result = self.run(*args)
        assert result.exit_code == 0, result.output
        for line in result.stderr.splitlines():
            assert line.startswith("Wrote "), result.stderr
        if safe:
            assert_safe(result.stdout)
        return result.stdout

    def json(self, *args: str) -> Any:
        """Run a command with --json; its texts for people are checked for safe notation."""
        obj = json.loads(self.ok(*args, "--json", safe=False))
        check_texts(obj)
        return obj

    def records(self, profile: str = "default") -> list[Record]:
        return Store(self.folder).records(profile)

    def refused(self, code: int, *args: str, profile: str = "default") -> str:
        """Run a command that must fail with ``code``: one Error line, the diary unchanged."""
        before = self.records(profile)
        result = self.run(*args)
        assert result.exit_code == code, result.output
        message = error_message(result)
        assert self.records(profile) == before
        return message


def check_texts(value: object) -> None:
    """Check every text of a JSON object for safe notation, but times and stored payloads."""
    if isinstance(value, str):
        assert_safe(value)
    elif isinstance(value, list):
        for item in value:
            check_texts(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("recorded_at", "payload"):
                check_texts(item)


def error_message(result: CliResult) -> str:
    """Return the text of the one ``Error:`` line of a failed run."""
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0].removeprefix("Error: ")


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


@pytest.fixture
def diary(home: Home) -> Home:
    """A diary with ldnnaltrexone started on 2026-01-05 (entry 1)."""
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", START)
    return home


def entry_ids(home: Home, *args: str) -> list[tuple[int, str]]:
    return [(e["id"], e["kind"]) for e in home.json("history", *args)["entries"]]


# ----------------------------------------------------------------- no plan yet


@pytest.mark.parametrize(
    "args",
    [
        ["today"],
        ["today", "--date", START],
        ["history"],
        ["plan", "show"],
        ["took", "--date", START],
        ["took", "1mg", "--date", START],
        ["missed", "--date", START],
        ["mixed", "--date", START],
        ["mixed", "--dilution", "--date", START],
    ],
)
def test_a_diary_without_a_plan_says_how_to_start_one(home: Home, args: list[str]) -> None:
    assert home.refused(1, *args) == NO_PLAN
    assert home.records() == []


def test_a_note_before_any_plan_is_a_baseline(home: Home) -> None:
    # Scores from before the first dose are the baseline the trial is judged against.
    result = home.run("note", "before LDN", "--pain", "7", "--date", START)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Recorded entry 1 for {START}: note: before LDN; pain 7/10\n"
    assert [r.kind for r in home.records()] == ["note"]


def test_report_without_a_plan(home: Home, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    assert home.refused(1, "report", "--html", str(report)) == NO_PLAN
    assert not report.exists()


def test_no_plan_as_json(home: Home) -> None:
    result = home.run("today", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(result.stderr) == {"error": {"code": "no-plan", "message": NO_PLAN}}


def test_undo_in_an_empty_diary(home: Home) -> None:
    message = home.refused(1, "undo", "1")
    assert message == "this diary has no plan yet; start one with 'ldncalc plan start'"
    assert not home.file.exists()  # a refused command creates no diary file


def test_reading_an_empty_diary_creates_no_file(home: Home) -> None:
    home.refused(1, "today")
    home.refused(1, "history")
    assert not home.file.exists()


# ----------------------------------------------------------------- plan start


def test_plan_start(home: Home) -> None:
    out = home.ok("plan", "start", "ldnnaltrexone", "--start-date", START)
    assert out == f"Recorded entry 1 for {START}: plan started: {TITLE}, to 4.5 mg\n"
    assert [(r.id, r.kind, r.day) for r in home.records()] == [(1, "plan", date(2026, 1, 5))]


def test_plan_start_of_your_own_steps(home: Home) -> None:
    out = home.ok(
        "plan",
        "start",
        "--start",
        "0.5mg",
        "--step",
        "0.5mg",
        "--every",
        "2w",
        "--target",
        "1.5mg",
        "--start-date",
        START,
    )
    assert out.startswith(f"Recorded entry 1 for {START}: plan started: ")
    assert out.endswith(", to 1.5 mg\n")
    # 0.5 mg for 14 days (to 01-18), 1 mg for 14 days (to 02-01), then 1.5 mg
    days = home.json("history", "--from", "2026-01-18", "--to", "2026-02-02")["days"]
    doses = [(d["date"], d["planned_dose_mg"]) for d in days]
    assert doses[0] == ("2026-01-18", 0.5)
    assert doses[1] == ("2026-01-19", 1)
    assert doses[-2:] == [("2026-02-01", 1), ("2026-02-02", 1.5)]


def test_a_running_plan_needs_force(home: Home) -> None:
    # A plan that started three days ago still runs (its target is held for weeks).
    began = later(-3)
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", began)
    message = home.refused(1, "plan", "start", "ldnrt-weekly", "--start-date", began)
    assert message == (
        f"a plan is running ({TITLE}, started {began}); add --force to start a new one "
        "(the old one stays in the history)"
    )
    out = home.ok("plan", "start", "ldnrt-weekly", "--start-date", began, "--force")
    assert out.startswith(f"Recorded entry 2 for {began}: plan started: LDN Research Trust")
    assert entry_ids(home, "--from", began, "--to", began) == [(1, "plan"), (2, "plan")]
    today = home.json("today", "--date", began)
    assert today["dose_mg"] == 1  # ldnrt-weekly's first step, not ldnnaltrexone's 1.5 mg


def test_a_plan_that_stopped_needs_no_force(diary: Home) -> None:
    # started 2026-01-05: at 4.5 mg until a stop (maintenance), then over
    message = diary.refused(1, "plan", "start", "ldnrt-weekly", "--start-date", "2026-04-06")
    assert message.startswith(f"a plan is running ({TITLE}, started {START})")
    diary.ok("plan", "adjust", "stop", "--date", "2026-03-30")
    out = diary.ok("plan", "start", "ldnrt-weekly", "--start-date", "2026-04-06")
    assert out.startswith("Recorded entry 3 for 2026-04-06: plan started: LDN Research Trust")


def test_plan_start_refuses_a_keep_period_a_bottle_cannot_have(home: Home) -> None:
    message = home.refused(2, "plan", "start", "--start-date", START, "--keep", "100d")
    assert message == "the keep period must be 1 to 90 days, not 100"


def test_plan_start_with_a_bad_start_date(home: Home) -> None:
    message = home.refused(2, "plan", "start", "--start-date", "5 Jan")
    assert message == "'5 Jan' is not a date; write YYYY-MM-DD, e.g. 2027-01-31"


# ----------------------------------------------------------------- today


TODAY_DAY_1 = (
    "Date:        2026-01-05 (day 1 of the plan)\n"
    "Dose:        step 1: 1.5 mg\n"
    "Draw:        1.5 mL of the stock (1 mg/mL) from batch 1 on the 3 mL (0.1 mL\n"
    "             marks) syringe\n"
    "Delivers:    1.5 mg\n"
    "Could be:    1.29 to 1.73 mg\n"
    "Taken:       {taken}\n"
    "Mix today:   batch 1, the stock: 1 x 50 mg tablet in 50 mL of water = 1 mg/mL;\n"
    "             discard after 2026-01-18 (then: ldncalc mixed --date 2026-01-05)\n"
    "Next change: 2026-01-19: 3 mg\n"
    "Review:      2026-03-30 (eight weeks at the final dose)\n"
) + NOTICE


def test_today_on_the_first_day(diary: Home) -> None:
    out = diary.ok("today", "--date", START)
    # Asked about a day (--date), every hint acts on that day.
    assert out == TODAY_DAY_1.format(
        taken="not yet (record it with: ldncalc took --date 2026-01-05)"
    )


def test_today_after_the_dose_is_taken(diary: Home) -> None:
    diary.ok("took", "--date", START)
    assert diary.ok("today", "--date", START) == TODAY_DAY_1.format(taken="yes, 1.5 mg")


def test_today_at_the_target(diary: Home) -> None:
    # 02-02, day 29: 4.5 mL on the 5 mL syringe's 0.2 mL marks is 4.6 mL (+2.2%)
    out = diary.ok("today", "--date", "2026-02-02")
    assert out.startswith(
        "Date:        2026-02-02 (day 29 of the plan)\n"
        "Dose:        step 3: 4.5 mg\n"
        "Draw:        4.6 mL of the stock (1 mg/mL) from batch 3 on the 5 mL (0.2 mL\n"
        "             marks) syringe\n"
        "Delivers:    4.6 mg (≈+2.2%)\n"
    )
    assert "Next change:" not in out  # maintenance: 4.5 mg goes on until a stop
    assert "Review:      2026-03-30 (eight weeks at the final dose)\n" in out


def test_today_after_a_missed_day_says_never_double(diary: Home) -> None:
    out = diary.ok("missed", "--date", "2026-01-06")
    assert out == "Recorded entry 2 for 2026-01-06: missed the dose\n"
    out = diary.ok("today", "--date", "2026-01-07")
    assert "Dose:        step 1: 1.5 mg\n" in out  # the plan's dose, never more
    assert (
        "Warning:     yesterday's dose was missed: take only today's dose, never double\n"
        "             it\n"
    ) in out
    assert "Taken:       not yet (record it with: ldncalc took --date 2026-01-07)\n" in out
    assert "Taken:       no, recorded as missed\n" in diary.ok("today", "--date", "2026-01-06")
    warnings = diary.json("today", "--date", "2026-01-07")["warnings"]
    assert warnings == [{"code": "missed-yesterday", "message": NEVER_DOUBLE}]


def test_today_json(diary: Home) -> None:
    diary.ok("took", "--date", START)
    obj = diary.json("today", "--date", START)
    assert set(obj) >= TODAY_KEYS
    assert {k: obj[k] for k in TODAY_KEYS} == {
        "date": START,
        "day": 1,
        "dose_mg": 1.5,
        "volume_ml": 1.5,
        "syringe_ml": 3,
        "graduation_ml": 0.1,
        "measured_volume_ml": 1.5,
        "delivered_dose_mg": 1.5,
        "taken": True,
        "mix_today": True,
        "batch": {
            "batch": 1,
            "liquid": "stock",
            "concentration_mg_per_ml": 1,
            "mix_date": START,
            "discard_date": "2026-01-18",
            "recorded": False,
            "left_ml": None,
            "last_dose": False,
        },
        "next_change": {"date": "2026-01-19", "dose_mg": 3},
        "review_date": "2026-03-30",
        "warnings": [],
        "disclaimer": DISCLAIMER,
    }


def test_today_json_on_a_day_without_a_dose(diary: Home) -> None:
    diary.ok("plan", "adjust", "stop", "--date", "2026-01-10")
    obj = diary.json("today", "--date", "2026-01-12")
    assert {k: obj[k] for k in TODAY_KEYS} == {
        "date": "2026-01-12",
        "day": 8,
        "dose_mg": None,
        "volume_ml": None,
        "syringe_ml": None,
        "graduation_ml": None,
        "measured_volume_ml": None,
        "delivered_dose_mg": None,
        "taken": False,
        "mix_today": False,
        "batch": None,
        "next_change": None,
        "review_date": None,
        "warnings": [],
        "disclaimer": DISCLAIMER,
    }
    # The plan is stopped: it says so, since when, and the exact command that takes
    # it up again (at the dose before the stop, 1.5 mg); nothing to take or mix.
    assert (obj["stopped_on"], obj["restart_command"], obj["to_mix"], obj["hold"]) == (
        "2026-01-10",
        "ldncalc plan adjust dose '1.5 mg' --date 2026-01-12",
        [],
        None,
    )
    out = diary.ok("today", "--date", "2026-01-12")
    assert (
        out
        == (
            "Date:        2026-01-12 (day 8 of the plan)\n"
            "Plan:        stopped on 2026-01-10: no dose, nothing to mix; to take it up\n"
            "             again: ldncalc plan adjust dose '1.5 mg' --date 2026-01-12\n"
            "Review:      none (the plan is stopped)\n"
        )
        + NOTICE
    )


def test_today_before_the_plan_starts(diary: Home) -> None:
    obj = diary.json("today", "--date", "2026-01-04")
    assert (obj["day"], obj["dose_mg"]) == (None, None)
    assert obj["next_change"] == {"date": START, "dose_mg": 1.5}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-1-5", "'2026-1-5' is not a date; write YYYY-MM-DD, e.g. 2027-01-31"),
        (
            "2026-02-30",
            "'2026-02-30' is not a date: there is no day 30 in February 2026, which has 28 days; "
            "write YYYY-MM-DD, e.g. 2027-01-31",
        ),
        (
            "2026-13-01",
            "'2026-13-01' is not a date: there is no month 13; write YYYY-MM-DD, e.g. 2027-01-31",
        ),
        ("yesterday", "'yesterday' is not a date; write YYYY-MM-DD, e.g. 2027-01-31"),
    ],
)
def test_a_bad_date(diary: Home, text: str, message: str) -> None:
    for command in (["today"], ["took"], ["missed"], ["note", "x"], ["mixed"], ["history"]):
        option = "--to" if command == ["history"] else "--date"
        assert diary.refused(2, *command, option, text) == message


# ----------------------------------------------------------------- took


def test_took_records_the_planned_dose(diary: Home) -> None:
    assert diary.ok("took", "--date", START) == f"Recorded entry 2 for {START}: took 1.5 mg\n"
    # the dose itself is kept: a later re-plan never changes what was taken
    assert json.loads(diary.records()[-1].payload) == {"dose_mg": "1.5", "v": 2}


def test_took_twice_is_refused_unless_again(diary: Home) -> None:
    diary.ok("took", "--date", START)
    message = diary.refused(1, "took", "--date", START)
    assert message == f"{START} already has a dose taken (entry 2); {DAY_HINT}"
    assert diary.refused(1, "took", "1mg", "--date", START).startswith(f"{START} already has")
    out = diary.ok("took", "1mg", "--date", START, "--again")
    assert out == (
        f"Recorded entry 3 for {START}: took 1 mg\n"
        "Warning: 1 mg is not the planned 1.5 mg; recorded as given\n"
    )
    today = diary.json("today", "--date", START)
    assert (today["taken"], today["taken_dose_mg"]) == (True, 2.5)
    assert [w["message"] for w in today["warnings"]] == [
        "2 doses are recorded as taken on this day",
        "taken 2.5 mg, but 1.5 mg is planned",
    ]


def test_took_a_dose_other_than_planned(diary: Home) -> None:
    out = diary.ok("took", "2mg", "--date", "2026-01-06")
    assert out == (
        "Recorded entry 2 for 2026-01-06: took 2 mg\n"
        "Warning: 2 mg is not the planned 1.5 mg; recorded as given\n"
    )
    out = diary.ok("took", "1500mcg", "--date", "2026-01-07")
    assert out == "Recorded entry 3 for 2026-01-07: took 1.5 mg\n"  # the planned dose


def test_took_on_a_day_with_nothing_planned(diary: Home) -> None:
    message = diary.refused(1, "took", "--date", "2026-01-04")
    assert message == "no dose is planned on 2026-01-04; name the dose you took"
    out = diary.ok("took", "1mg", "--date", "2026-01-04")
    assert out == (
        "Recorded entry 2 for 2026-01-04: took 1 mg\n"
        "Warning: no dose was planned on 2026-01-04; recorded as given\n"
    )


@pytest.mark.parametrize(
    ("dose", "code", "message"),
    [
        (
            "60mg",
            1,
            "the dose taken of 60 mg is above 50 mg, a whole tablet: not a low dose; "
            "check the unit",
        ),
        ("0mg", 2, "'0mg' is zero; expected a dose in mg or mcg (for example 4.5 mg)"),
        (
            "abc",
            2,
            "'abc' does not start with a number; expected a dose in mg or mcg (for example 4.5 mg)",
        ),
    ],
)
def test_took_an_impossible_dose(diary: Home, dose: str, code: int, message: str) -> None:
    assert diary.refused(code, "took", dose, "--date", START) == message


def test_took_after_the_plan_stopped(diary: Home) -> None:
    diary.ok("plan", "adjust", "stop", "--date", "2026-01-10")
    message = diary.refused(1, "took", "--date", "2026-01-11")
    assert message == "no dose is planned on 2026-01-11; name the dose you took"


# ----------------------------------------------------------------- missed


# The hint names the entry the day already has (entry 2 in these tests): the command to run.
DAY_HINT = "undo that entry with 'ldncalc undo 2', or add --again to record another"


def test_missed_after_took_is_refused(diary: Home) -> None:
    diary.ok("took", "--date", START)
    assert diary.refused(1, "missed", "--date", START) == (
        f"{START} already has a dose taken (entry 2); {DAY_HINT}"
    )
    diary.ok("undo", "2")
    assert diary.ok("missed", "--date", START) == f"Recorded entry 4 for {START}: missed the dose\n"


def test_one_rule_for_a_days_record_in_either_order(diary: Home) -> None:
    # missed then missed, and missed then took: refused as took then missed is.
    diary.ok("missed", "--date", START)
    expected = f"{START} already has a missed dose (entry 2); {DAY_HINT}"
    assert diary.refused(1, "missed", "--date", START) == expected
    assert diary.refused(1, "took", "--date", START) == expected
    assert diary.refused(1, "took", "1mg", "--date", START) == expected
    # --again records the second one, in either order
    assert diary.ok("took", "--again", "--date", START) == (
        f"Recorded entry 3 for {START}: took 1.5 mg\n"
    )
    assert diary.ok("missed", "--again", "--date", "2026-01-06") == (
        "Recorded entry 4 for 2026-01-06: missed the dose\n"
    )


# ----------------------------------------------------------------- the future


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (["took"], "a dose taken"),
        (["took", "1.5mg"], "a dose taken"),
        (["missed"], "a missed dose"),
        (["note", "tired"], "a note"),
        (["mixed"], "a bottle mixed"),
    ],
)
def test_nothing_is_recorded_for_a_day_after_today(
    diary: Home, command: list[str], what: str
) -> None:
    for ahead in (2, 400):
        day = later(ahead)
        message = diary.refused(2, *command, "--date", day)
        assert message == (
            f"{day} is after today: {what} can only be recorded for today or an earlier day"
        )


def test_a_change_may_be_dated_ahead(home: Home) -> None:
    # an adjustment is a plan: a hold can be set for a day to come
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", later(-3))
    out = home.ok("plan", "adjust", "hold", "--date", later(5))
    assert out == f"Recorded entry 2 for {later(5)}: adjust: hold\n"


# ----------------------------------------------------------------- note


def test_note_with_scores_and_side_effects(diary: Home) -> None:
    out = diary.ok(
        "note",
        "slept badly",
        "--pain",
        "4",
        "--sleep",
        "7",
        "--fatigue",
        "0",
        "--score",
        "Mood=10",
        "--side-effect",
        "vivid dreams",
        "--side-effect",
        "headache",
        "--date",
        "2026-01-06",
    )
    assert out == (
        "Recorded entry 2 for 2026-01-06: note: slept badly; pain 4/10; fatigue 0/10; "
        "sleep 7/10; mood 10/10; side effect: vivid dreams; side effect: headache\n"
    )
    day = diary.json("history", "--from", "2026-01-06", "--to", "2026-01-06")["days"][0]
    assert day["scores"] == {"fatigue": 0, "mood": 10, "pain": 4, "sleep": 7}
    assert day["side_effects"] == ["vivid dreams", "headache"]


def test_a_note_of_scores_alone(diary: Home) -> None:
    out = diary.ok("note", "--pain", "2", "--date", "2026-01-06")
    assert out == "Recorded entry 2 for 2026-01-06: note: pain 2/10\n"


@pytest.mark.parametrize(
    ("option", "value", "name"),
    [
        ("--pain", "11", "pain"),
        ("--pain", "-1", "pain"),
        ("--pain", "3.5", "pain"),
        ("--pain", "", "pain"),
        ("--sleep", "100", "sleep"),
        ("--fatigue", "\N{ARABIC-INDIC DIGIT THREE}", "fatigue"),
        ("--fatigue", "\N{FULLWIDTH DIGIT THREE}", "fatigue"),
        ("--sleep", "\N{SUPERSCRIPT TWO}", "sleep"),
        ("--sleep", "five", "sleep"),
    ],
)
def test_a_score_outside_0_to_10_is_refused(
    diary: Home, option: str, value: str, name: str
) -> None:
    message = diary.refused(2, "note", "x", option, value, "--date", START)
    assert message == (
        f"the {name} score is a whole number from 0 (none) to 10 (worst), not {value!r}"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mood=11", "the mood score is a whole number from 0 (none) to 10 (worst), not '11'"),
        ("mood=", "the mood score is a whole number from 0 (none) to 10 (worst), not ''"),
        ("mood", "--score takes NAME=N, e.g. mood=3, not 'mood'"),
        ("=3", "--score takes NAME=N, e.g. mood=3, not '=3'"),
        (" =3", "--score takes NAME=N, e.g. mood=3, not ' =3'"),
        ("mood:3", "--score takes NAME=N, e.g. mood=3, not 'mood:3'"),
    ],
)
def test_a_bad_named_score(diary: Home, value: str, message: str) -> None:
    assert diary.refused(2, "note", "x", "--score", value, "--date", START) == message


def test_a_score_given_twice(diary: Home) -> None:
    message = diary.refused(2, "note", "--pain", "3", "--score", "pain=4", "--date", START)
    assert message == "the score 'pain' is given twice"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "a note needs some text, a score, a side effect or the PGIC"),
        (["   "], "a note needs some text, a score, a side effect or the PGIC"),
        (["", "--side-effect", ""], "a side effect must be some text"),
        (["x", "--side-effect", "  "], "a side effect must be some text"),
    ],
)
def test_a_note_with_nothing_in_it(diary: Home, args: list[str], message: str) -> None:
    assert diary.refused(2, "note", *args, "--date", START) == message


# ----------------------------------------------------------------- undo and history


def test_undo_then_history_shows_both(diary: Home) -> None:
    diary.ok("took", "--date", START)
    recorded = date.today().isoformat()  # an undo is recorded on the day it is made
    assert diary.ok("undo", "2") == f"Recorded entry 3 for {recorded}: undo entry 2\n"
    assert entry_ids(diary, "--to", recorded) == [(1, "plan"), (2, "took"), (3, "undo")]
    out = diary.ok("history", "--to", recorded)
    assert f"      2  {START}  took 1.5 mg (undone by entry 3)\n" in out
    assert f"      3  {recorded}  undo entry 2\n" in out
    # the dose no longer counts, and may be recorded again without --again
    day = diary.json("history", "--from", START, "--to", START)["days"][0]
    assert (day["taken_dose_mg"], day["missed"]) == (None, False)
    assert diary.json("today", "--date", START)["taken"] is False
    diary.ok("took", "--date", START)
    # undoing the undo would now make two doses that day: still allowed, as it was so
    diary.ok("undo", "3")
    assert diary.json("today", "--date", START)["taken_dose_mg"] == 3


def test_undo_an_adjustment_restores_the_plan(diary: Home) -> None:
    diary.ok("plan", "adjust", "back", "--date", "2026-01-20")
    assert diary.json("today", "--date", "2026-01-20")["dose_mg"] == 1.5
    diary.ok("undo", "2")
    assert diary.json("today", "--date", "2026-01-20")["dose_mg"] == 3


@pytest.mark.parametrize(
    ("entry", "code", "message"),
    [
        ("99", 2, "this diary has no entry 99 (the history lists its entries)"),
        ("0", 2, "this diary has no entry 0 (the history lists its entries)"),
        ("abc", 2, "ID takes a whole number such as 2, not 'abc'"),
        ("1.5", 2, "ID takes a whole number such as 2, not '1.5'"),
    ],
)
def test_undo_of_an_unknown_entry(diary: Home, entry: str, code: int, message: str) -> None:
    assert diary.refused(code, "undo", entry) == message


def test_history_window_after_the_undone_entry_works(diary: Home, tmp_path: Path) -> None:
    # Issue 17 §5: the window holds the undo (dated today) but not the entry it
    # undoes (dated weeks ago): this failed with "entry 3 undoes an entry that does
    # not exist", in text, JSON, and after an export and an import.
    diary.ok("took", "--date", START)
    diary.ok("took", "--date", "2026-01-06")
    diary.ok("undo", "3")
    recorded = date.today().isoformat()
    window = ("--from", "2026-01-07", "--to", recorded)
    out = diary.ok("history", *window)
    assert f"      4  {recorded}  undo entry 3\n" in out
    assert "took 1.5 mg" not in out
    assert [(e["id"], e["undone_by"]) for e in diary.json("history", *window)["entries"]] == [
        (4, None)
    ]
    exported = tmp_path / "diary.json"
    diary.ok("data", "export", str(exported))
    other = Home(tmp_path / "other")
    other.ok("data", "import", str(exported))
    assert [(e["id"], e["kind"]) for e in other.json("history", *window)["entries"]] == [
        (4, "undo")
    ]


def test_an_undone_entry_is_marked_in_a_window_without_its_undo(diary: Home) -> None:
    # Issue 17 §5: the undo (dated today) is outside the window; the entry is still undone.
    diary.ok("took", "--date", "2026-01-06")
    diary.ok("undo", "2")
    window = ("--from", START, "--to", "2026-01-07")
    entries = diary.json("history", *window)["entries"]
    assert [(e["id"], e["undone_by"]) for e in entries] == [(1, None), (2, 3)]
    out = diary.ok("history", *window)
    assert "      2  2026-01-06  took 1.5 mg (undone by entry 3)\n" in out


def test_undo_of_an_undone_entry_is_refused(diary: Home) -> None:
    diary.ok("took", "--date", START)
    diary.ok("undo", "2")
    assert diary.refused(1, "undo", "2") == (
        "entry 2 is already undone by entry 3; to restore it, undo entry 3"
    )
    # undoing the undo restores the entry, and the marks say so truly
    diary.ok("undo", "3")
    recorded = date.today().isoformat()
    entries = diary.json("history", "--to", recorded)["entries"]
    assert [(e["id"], e["undone_by"]) for e in entries] == [(1, None), (2, None), (3, 4), (4, None)]
    out = diary.ok("history", "--to", recorded)
    assert f"      2  {START}  took 1.5 mg\n" in out
    assert f"      3  {recorded}  undo entry 2 (undone by entry 4)\n" in out
    assert diary.refused(1, "undo", "3") == (
        "entry 3 is already undone by entry 4; to restore it, undo entry 4"
    )


def test_history_text_and_csv(diary: Home) -> None:
    diary.ok("took", "--date", START)
    diary.ok("missed", "--date", "2026-01-06")
    diary.ok("note", "ok", "--pain", "2", "--date", "2026-01-07")
    out = diary.ok("history", "--from", START, "--to", "2026-01-07")
    assert out == (
        "Entries (id, date, what):\n"
        f"      1  2026-01-05  plan started: {TITLE}, to 4.5 mg\n"
        "      2  2026-01-05  took 1.5 mg\n"
        "      3  2026-01-06  missed the dose\n"
        "      4  2026-01-07  note: ok; pain 2/10\n"
        "\n"
        "Days (date, planned, taken, scores 0 none to 10 worst):\n"
        "  2026-01-05    1.5 mg    1.5 mg\n"
        "  2026-01-06    1.5 mg    missed\n"
        "  2026-01-07    1.5 mg         -  pain 2\n"
    ) + NOTICE.lstrip("\n")
    csv_text = diary.ok("history", "--csv", "--from", START, "--to", "2026-01-07")
    notice = DISCLAIMER
    assert csv_text.splitlines() == [
        "date,planned_dose_mg,taken_dose_mg,missed,scores,pgic,side_effects,notice",
        f'2026-01-05,1.5,1.5,,,,,"{notice}"',
        f'2026-01-06,1.5,,yes,,,,"{notice}"',
        f'2026-01-07,1.5,,,pain=2,,,"{notice}"',
    ]


def test_history_json(diary: Home) -> None:
    diary.ok("mixed", "--date", START)
    diary.ok("took", "--date", START)
    diary.ok("missed", "--date", "2026-01-06")
    diary.ok("note", "--sleep", "6", "--side-effect", "vivid dreams", "--date", "2026-01-06")
    diary.ok("plan", "adjust", "hold", "--date", "2026-01-07")
    diary.ok("undo", "6")
    obj = diary.json("history", "--to", date.today().isoformat())
    kinds = {"plan", "took", "missed", "mixed", "note", "adjust", "undo"}
    assert [(e["id"], e["kind"]) for e in obj["entries"]] == [
        (1, "plan"),
        (2, "mixed"),
        (3, "took"),
        (4, "missed"),
        (5, "note"),
        (6, "adjust"),
        (7, "undo"),
    ]
    for entry in obj["entries"]:
        assert {"id", "date", "kind"} <= set(entry)
        assert entry["kind"] in kinds
    days = {d["date"]: d for d in obj["days"]}
    assert obj["days"][0]["date"] == START
    for day in obj["days"]:
        assert {"date", "planned_dose_mg", "taken_dose_mg", "scores"} <= set(day)
    assert days[START]["planned_dose_mg"] == 1.5
    assert days[START]["taken_dose_mg"] == 1.5
    assert days["2026-01-06"]["taken_dose_mg"] is None
    assert days["2026-01-06"]["scores"] == {"sleep": 6}
    assert days["2026-01-06"]["pgic"] is None
    assert days["2026-01-19"]["planned_dose_mg"] == 3  # the hold was undone
    assert days["2026-03-30"]["planned_dose_mg"] == 4.5  # maintenance, until a stop
    assert obj["disclaimer"] == DISCLAIMER


def test_history_options_that_do_not_go_together(diary: Home) -> None:
    before = diary.records()
    result = diary.run("history", "--json", "--csv")
    assert (result.exit_code, result.stdout) == (2, "")
    assert json.loads(result.stderr) == {
        "error": {"code": "invalid-input", "message": "choose one of --json and --csv"}
    }
    assert diary.records() == before
    message = diary.refused(2, "history", "--from", "2026-02-01", "--to", "2026-01-01")
    assert message == "the first day 2026-02-01 is after the last 2026-01-01"


def test_history_chart(diary: Home) -> None:
    out = diary.ok("history", "--chart", "--from", START, "--to", "2026-01-06")
    assert "2026-01-06    1.5 mg         -" in out
    assert "4.5 mg" in out.split("Days (date")[1]  # the chart's axis reaches the target


# ----------------------------------------------------------------- plan adjust


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["back", "2mg"], "'back' takes no dose; only target and dose do"),
        (["stop", "2mg"], "'stop' takes no dose; only target and dose do"),
        (["slower"], "'slower' needs --every, the new time between steps"),
        (["slower", "--step", "0.5mg"], "'slower' needs --every, the new time between steps"),
        (["back", "--for", "2w"], "--for goes with 'hold'"),
        (["hold", "--every", "7d"], "--every and --step go with 'slower'"),
        (["resume", "--step", "1mg"], "--every and --step go with 'slower'"),
        (["target"], "'target' needs a dose, e.g. ldncalc plan adjust target 3mg"),
        (["dose"], "'dose' needs a dose, e.g. ldncalc plan adjust dose 3mg"),
        (
            ["jump"],
            "no action 'jump'; choose one of: back, hold, resume, slower, target, dose, stop",
        ),
        (
            ["Back"],
            "no action 'Back'; choose one of: back, hold, resume, slower, target, dose, stop",
        ),
        (["dose", "0mg"], "'0mg' is zero; expected a dose in mg or mcg (for example 4.5 mg)"),
        (
            ["slower", "--every", "0d"],
            "'0d' is zero; expected a length of time in days or weeks (for example 14d or 2w)",
        ),
        (
            ["back", "--date", "2025-12-01"],
            "the adjustment on 2025-12-01 is dated before the plan's start (2026-01-05)",
        ),
    ],
)
def test_adjust_with_wrong_arguments(diary: Home, args: list[str], message: str) -> None:
    if "--date" not in args:
        args = [*args, "--date", "2026-01-20"]
    assert diary.refused(2, "plan", "adjust", *args) == message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["back", "--date", START],
            "cannot go back on 2026-01-05: there is no step below 1.5 mg to go back to",
        ),
        (
            ["back", "--date", "2026-01-18"],
            "cannot go back on 2026-01-18: there is no step below 1.5 mg to go back to",
        ),
        (
            ["resume", "--date", "2026-01-06"],
            "cannot resume on 2026-01-06: the plan is not on hold",
        ),
        (
            ["dose", "60mg", "--date", "2026-01-06"],
            "the dose of 60 mg is above 50 mg, a whole tablet: not a low dose; check the unit",
        ),
        (
            ["slower", "--every", "14d", "--date", "2026-02-10"],
            "cannot climb more slowly on 2026-02-10: already at the target (4.5 mg)",
        ),
        (  # issue 17 §3: slower is never faster than the steps in force
            ["slower", "--every", "1d", "--date", "2026-01-20"],
            "cannot climb more slowly on 2026-01-20 with steps every 1 day: the steps in force "
            "last 14 days; give 14 days or more",
        ),
        (
            ["slower", "--every", "14d", "--step", "2mg", "--date", "2026-01-20"],
            "cannot climb more slowly on 2026-01-20 with steps of 2 mg: the step in force is "
            "1.5 mg; give 1.5 mg or less",
        ),
    ],
)
def test_adjust_refused_on_its_day(diary: Home, args: list[str], message: str) -> None:
    assert diary.refused(1, "plan", "adjust", *args) == message


def test_adjust_back_hold_resume_slower_target_dose_stop(diary: Home) -> None:
    def dose_on(day: str) -> Any:
        return diary.json("today", "--date", day)["dose_mg"]

    # back on 01-20 (at 3 mg): 1.5 mg for 14 days (01-20..02-02), 3 mg to 02-16, 4.5 mg
    out = diary.ok("plan", "adjust", "back", "--reason", "insomnia", "--date", "2026-01-20")
    assert out == "Recorded entry 2 for 2026-01-20: adjust: back (insomnia)\n"
    assert [dose_on(d) for d in ("2026-01-19", "2026-01-20", "2026-02-02", "2026-02-03")] == [
        3,
        1.5,
        1.5,
        3,
    ]
    assert diary.json("today", "--date", "2026-01-20")["review_date"] == "2026-04-14"
    # hold on 01-25: 1.5 mg from then on, to the day before the review
    out = diary.ok("plan", "adjust", "hold", "--date", "2026-01-25")
    assert out == "Recorded entry 3 for 2026-01-25: adjust: hold\n"
    assert dose_on("2026-02-03") == 1.5
    # resume on 02-01: a full step (14 days) at 1.5 mg, then 3 mg from 02-15
    diary.ok("plan", "adjust", "resume", "--date", "2026-02-01")
    assert [dose_on(d) for d in ("2026-02-14", "2026-02-15")] == [1.5, 3]
    # slower on 02-15: 3 mg, 3.5 mg, 4 mg every 21 days, then 4.5 mg
    out = diary.ok(
        "plan", "adjust", "slower", "--every", "3w", "--step", "0.5mg", "--date", "2026-02-16"
    )
    assert out == "Recorded entry 5 for 2026-02-16: adjust: slower by 0.5 mg every 21 days\n"
    # 3 mg since 02-15 keeps 21 days from then: 02-15 + 21 = 03-08 (3.5 mg), + 21 = 03-29
    # (4 mg), + 21 = 04-19 (4.5 mg)
    assert [dose_on(d) for d in ("2026-03-07", "2026-03-08", "2026-03-29", "2026-04-19")] == [
        3,
        3.5,
        4,
        4.5,
    ]
    # target 3.5 mg from 03-10: nothing above it
    out = diary.ok("plan", "adjust", "target", "3.5mg", "--date", "2026-03-10")
    assert out == "Recorded entry 6 for 2026-03-10: adjust: target 3.5 mg\n"
    assert [dose_on(d) for d in ("2026-03-10", "2026-03-29", "2026-04-19")] == [3.5, 3.5, 3.5]
    # dose 2 mg from 04-01, held
    out = diary.ok("plan", "adjust", "dose", "2mg", "--date", "2026-04-01")
    assert out == "Recorded entry 7 for 2026-04-01: adjust: dose 2 mg\n"
    assert [dose_on(d) for d in ("2026-03-31", "2026-04-01", "2026-05-20")] == [3.5, 2, 2]
    # stop on 05-01
    out = diary.ok("plan", "adjust", "stop", "--reason", "no benefit", "--date", "2026-05-01")
    assert out == "Recorded entry 8 for 2026-05-01: adjust: stop (no benefit)\n"
    assert [dose_on(d) for d in ("2026-04-30", "2026-05-01")] == [2, None]
    message = diary.refused(1, "plan", "adjust", "stop", "--date", "2026-05-03")
    assert message == "cannot stop on 2026-05-03: the trial already stopped on 2026-05-01"
    # past days kept what was planned on them
    assert [dose_on(d) for d in (START, "2026-01-19", "2026-01-20")] == [1.5, 3, 1.5]


def test_adjust_hold_for_a_while(diary: Home) -> None:
    out = diary.ok("plan", "adjust", "hold", "--for", "10d", "--date", "2026-01-10")
    assert out == "Recorded entry 2 for 2026-01-10: adjust: hold for 10 days\n"
    # 1.5 mg held 01-10..01-19, then a full step (14 days) 01-20..02-02, then 3 mg
    days = diary.json("history", "--from", "2026-01-19", "--to", "2026-02-03")["days"]
    assert [d["planned_dose_mg"] for d in days] == [1.5] * 15 + [3]


def test_a_hold_on_a_rise_day_keeps_the_day_before_dose(home: Home) -> None:
    # Issue 23 section 1: 0.5 mg gave bad sleep; back on 06-18 gave 0.3 mg to 06-24 and
    # 0.5 mg was due again on 06-25, the day the hold was recorded: 0.3 mg stays.
    home.ok(
        "plan", "start", "--start", "0.1mg", "--step", "0.2mg", "--every", "7d",
        "--target", "1.5mg", "--start-date", "2026-06-01",
    )  # fmt: skip
    home.ok("plan", "adjust", "back", "--date", "2026-06-18")
    home.ok("plan", "adjust", "hold", "--date", "2026-06-25")
    assert "Dose:        step 4: 0.3 mg\n" in home.ok("today", "--date", "2026-06-25")
    doses = [home.json("today", "--date", d)["dose_mg"] for d in ("2026-06-24", "2026-06-25")]
    assert doses == [0.3, 0.3]


def test_a_hold_on_the_weekly_plans_first_rise_day_keeps_its_dose(home: Home) -> None:
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", "2026-06-01")
    home.ok("plan", "adjust", "hold", "--date", "2026-06-08")
    doses = [home.json("today", "--date", d)["dose_mg"] for d in ("2026-06-07", "2026-06-08")]
    assert doses == [1, 1]


def test_soft_limits_ask_for_confirm_on_plan_start_and_adjust(home: Home) -> None:
    # Issue 23 section 11: accepted with a warning before; now refused unless confirmed.
    hint = "; add --confirm if it is really meant"
    high = "above the usual low-dose range (up to 4.5 mg); check it with the prescriber"
    steep = ["--start", "1mg", "--step", "44mg", "--every", "1d", "--target", "45mg"]
    message = home.refused(1, "plan", "start", *steep, "--start-date", "2026-06-01")
    assert message == f"the target 45 mg is {high}{hint}"
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", "2026-06-01")
    message = home.refused(1, "plan", "adjust", "dose", "25mg", "--date", "2026-06-10")
    assert message == f"the dose 25 mg is {high}{hint}"
    message = home.refused(1, "plan", "adjust", "target", "6mg", "--date", "2026-06-10")
    assert message == f"the target 6 mg is {high}{hint}"
    result = home.run("plan", "adjust", "target", "6mg", "--date", "2026-06-10", "--confirm")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Recorded entry 2 for 2026-06-10: adjust: target 6 mg",
        f"Warning: the target 6 mg is {high}",
    ]


# ----------------------------------------------------------------- plan show


def test_plan_show_marks_the_changes(diary: Home) -> None:
    diary.ok("plan", "adjust", "back", "--reason", "insomnia", "--date", "2026-01-20")
    out = diary.ok("plan", "show")
    assert out.startswith(
        f"Review: 2026-04-14 (eight weeks at the final dose)\nProtocol: {TITLE.split(': ', 1)[0]}: "
    )
    assert "Change at step 3 (from 2026-01-20): back to 1.5 mg (insomnia)" in out
    assert out.endswith(NOTICE)
    obj = diary.json("plan", "show")
    assert obj["review_date"] == "2026-04-14"
    assert obj["target_mg"] == 4.5
    assert (obj["held"], obj["stopped_on"]) == (False, None)
    assert [(c["date"], c["action"], c["entry"]) for c in obj["changes"]] == [
        (START, "plan", 1),
        ("2026-01-20", "back", 2),
    ]
    assert [(s["first_date"], s["dose_mg"], s.get("change")) for s in obj["steps"]] == [
        (START, 1.5, None),
        ("2026-01-19", 3, None),
        ("2026-01-20", 1.5, "back to 1.5 mg (insomnia)"),
        ("2026-02-03", 3, None),
        ("2026-02-17", 4.5, None),
    ]
    assert "4.5 mg" in diary.ok("plan", "show", "--chart")


def test_plan_show_tells_each_change_once_on_its_day(home: Home) -> None:
    # Issue 23 section 10: one slower appeared at every step it laid, dated from the
    # first day of a step that began before it was recorded.
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", "2026-06-01")
    home.ok("plan", "adjust", "back", "--date", "2026-06-18")
    home.ok("plan", "adjust", "slower", "--every", "14d", "--step", "0.5mg", "--date", "2026-06-25")
    out = home.ok("plan", "show")
    changes = [line for line in out.splitlines() if line.startswith("Change at")]
    assert changes == [
        "Change at step 4 (from 2026-06-18): back to 2 mg; 2026-06-25: slower: from 2 mg,"
    ]  # the paragraph wraps at the terminal's width
    assert out.count("slower") == 1
    steps = home.json("plan", "show")["steps"]
    assert [(s["first_date"], s["dose_mg"], s.get("change")) for s in steps] == [
        ("2026-06-01", 1, None),
        ("2026-06-08", 2, None),
        ("2026-06-15", 3, None),
        ("2026-06-18", 2, "back to 2 mg; 2026-06-25: slower: from 2 mg, up 0.5 mg every 14 days"),
        ("2026-07-02", 2.5, None),  # 2 mg kept 14 days from 06-18
        ("2026-07-16", 3, None),
        ("2026-07-30", 3.5, None),
        ("2026-08-13", 4, None),
        ("2026-08-27", 4.5, None),
    ]


def test_plan_show_after_stop(diary: Home) -> None:
    diary.ok("plan", "adjust", "stop", "--date", "2026-01-10")
    out = diary.ok("plan", "show")
    assert out.startswith("Review: not set yet\n")
    assert "2026-01-09" in out  # the last day with a dose
    assert "2026-01-10" not in out
    obj = diary.json("plan", "show")
    assert (obj["stopped_on"], obj["review_date"]) == ("2026-01-10", None)
    assert [(s["first_date"], s["last_date"]) for s in obj["steps"]] == [(START, "2026-01-09")]


def test_plan_show_after_a_stop_on_the_first_day(diary: Home) -> None:
    diary.ok("plan", "adjust", "stop", "--date", START)
    assert diary.refused(1, "plan", "show") == "the plan has no day with a dose (it was stopped)"


# ----------------------------------------------------------------- mixed and report


def test_mixed_prints_the_label(diary: Home) -> None:
    out = diary.ok("mixed", "--date", "2026-01-19")
    assert out == (
        "Recorded entry 2 for 2026-01-19: mixed a bottle: 1 x 50 mg in 50 mL, kept 14 days\n"
        + LABEL.format(day="2026-01-19", discard="2026-02-01", profile="default")
    )


def test_mixed_writes_a_label_file(diary: Home, tmp_path: Path) -> None:
    label = tmp_path / "bottle.html"
    result = diary.run("mixed", "--date", START, "--label", str(label))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {label}\n"
    html = label.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    for text in ("1 x 50 mg tablet in 50 mL = 1 mg/mL", START, "2026-01-18", "Keep in the fridge"):
        assert text in html
    # the file exists now: refused before anything is recorded
    message = diary.refused(1, "mixed", "--date", START, "--label", str(label))
    assert (
        message
        == f"cannot write {label}: it exists; it was not replaced; add --force to replace it"
    )
    diary.ok("mixed", "--date", START, "--label", str(label), "--force")
    assert [r.kind for r in diary.records()] == ["plan", "mixed", "mixed"]


def test_mixed_another_recipe(diary: Home) -> None:
    out = diary.ok("mixed", "--water", "25mL", "--keep", "7d", "--date", START)
    assert out.startswith(
        f"Recorded entry 2 for {START}: mixed a bottle: 1 x 50 mg in 25 mL, kept 7 days\n"
        "Low-dose naltrexone (LDN) oral liquid\n"
        "1 x 50 mg tablet in 25 mL = 2 mg/mL\n"
        "Concentration: 2 mg/mL\n"
        f"Mixed on: {START}\n"
        "Discard after: 2026-01-11 (kept 7 days, the mixing day is day 1)\n"
    )
    today = diary.json("today", "--date", "2026-01-06")
    # 1.5 mg of 2 mg/mL is 0.75 mL, on the 1 mL syringe
    assert (today["volume_ml"], today["syringe_ml"], today["delivered_dose_mg"]) == (0.75, 1, 1.5)
    assert [w["code"] for w in today["warnings"]] == ["bottle-differs"]


def test_mixed_help_gives_the_defaults_it_uses(home: Home) -> None:
    # A trial read "--water [default: 50mL]" and "--keep [default: 14d]" while the
    # plan's recipe was recorded: the help says what is used.
    home.ok("plan", "start", "--start-date", START, "--water", "100mL", "--keep", "7d")
    out = home.ok("mixed", "--date", START)
    assert out.splitlines()[0] == (
        f"Recorded entry 2 for {START}: mixed a bottle: 1 x 50 mg in 100 mL, kept 7 days"
    )
    shown = " ".join(home.ok("mixed", "--help", safe=False).split())
    for option in ("--tablets N", "--strength DOSE", "--water VOLUME"):
        said = shown.split(option, 1)[1].split(" -", 1)[0]
        assert said.endswith("[default: the plan's recipe]."), (option, said)
    assert "the mixing day is day 1 [default: the plan's]." in shown
    assert "50mL]" not in shown
    assert "14d]" not in shown


def test_mixed_with_one_part_changed_keeps_the_rest_of_the_plans_recipe(home: Home) -> None:
    # A trial: on a plan of 2 tablets in 100 mL, 'mixed --water 90mL' recorded 1 tablet in
    # 90 mL and 'today' drew 1.8 mL for 1 mg, about 2 mg from the bottle she had made.
    home.ok("plan", "start", "--start-date", START, "--tablets", "2", "--water", "100mL")
    out = home.ok("mixed", "--date", START, "--water", "90mL")
    assert out.splitlines()[0] == (
        f"Recorded entry 2 for {START}: mixed a bottle: 2 x 50 mg in 90 mL, kept 14 days"
    )
    today = home.json("today", "--date", START)
    # 1 mg of 100 mg in 90 mL is 0.9 mL.
    assert (today["dose_mg"], today["volume_ml"]) == (1, 0.9)


def test_report_needs_a_file(diary: Home) -> None:
    message = diary.refused(2, "report")
    assert message == "give --html FILE, --markdown FILE or --json [FILE] for the report"


def test_report_writes_html_and_markdown(diary: Home, tmp_path: Path) -> None:
    diary.ok("took", "--date", START)
    diary.ok("note", "--sleep", "7", "--side-effect", "vivid dreams", "--date", "2026-01-20")
    diary.ok("plan", "adjust", "back", "--reason", "vivid dreams", "--date", "2026-01-21")
    html, markdown = tmp_path / "report.html", tmp_path / "report.md"
    args = ["report", "--html", str(html), "--markdown", str(markdown), "--to", "2026-01-31"]
    result = diary.run(*args)
    assert result.exit_code == 0, result.output
    assert (result.stdout, sorted(result.stderr.splitlines())) == (
        "",
        sorted([f"Wrote {html}", f"Wrote {markdown}"]),
    )
    page = html.read_text(encoding="utf-8")
    text = markdown.read_text(encoding="utf-8")
    assert "<svg" in page
    for written in (page, text):
        assert "2026-04-15" in written  # the review: 02-18, first day at 4.5 mg, + 56 days
        assert "vivid dreams" in written
        assert "back to 1.5 mg (vivid dreams)" in written
    assert_safe(text)
    before = sha(html)
    message = diary.refused(1, *args)
    assert (
        message == f"cannot write {html}: it exists; it was not replaced; add --force to replace it"
    )
    assert sha(html) == before
    diary.ok(*args, "--force")


def test_report_of_a_period_that_ends_before_it_starts(diary: Home, tmp_path: Path) -> None:
    report = tmp_path / "r.md"
    args = ["report", "--markdown", str(report), "--from", "2026-02-01", "--to", "2026-01-31"]
    assert diary.refused(2, *args) == "the report starts after it ends (2026-02-01 > 2026-01-31)"
    assert not report.exists()


# ----------------------------------------------------------------- profiles


def test_profiles_are_kept_apart(home: Home) -> None:
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", START, "--profile", "a")
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", START, "--profile", "b")
    home.ok("took", "--date", START, "--profile", "a")
    assert home.json("today", "--date", START, "--profile", "a")["dose_mg"] == 1.5
    assert home.json("today", "--date", START, "--profile", "b")["dose_mg"] == 1
    assert home.json("today", "--date", START, "--profile", "a")["taken"] is True
    assert home.json("today", "--date", START, "--profile", "b")["taken"] is False
    # a took on b is no double tap of a's
    out = home.ok("took", "--date", START, "--profile", "b")
    assert out == f"Recorded entry 4 for {START}: took 1 mg\n"
    assert [r.kind for r in home.records("a")] == ["plan", "took"]
    assert [r.kind for r in home.records("b")] == ["plan", "took"]
    assert home.refused(1, "today") == NO_PLAN  # the default profile has nothing
    assert Store(home.folder).profiles() == ["a", "b"]
    out = home.ok("mixed", "--date", START, "--profile", "b")
    assert "Profile: b\n" in out


def test_undo_reaches_only_its_own_profile(home: Home) -> None:
    home.ok("plan", "start", "--start-date", START, "--profile", "a")
    home.ok("plan", "start", "--start-date", START, "--profile", "b")
    home.ok("took", "--date", START, "--profile", "a")  # entry 3, a's
    message = home.refused(2, "undo", "3", "--profile", "b", profile="b")
    assert message == "this diary has no entry 3 (the history lists its entries)"
    assert home.json("today", "--date", START, "--profile", "a")["taken"] is True


@pytest.mark.parametrize("name", ["a b", "-x", ".x", "é", "x" * 41, "../x", "a/b"])
def test_a_profile_name_that_is_not_allowed(home: Home, name: str) -> None:
    message = home.refused(2, "today", "--profile", name)
    assert message == (
        f"the profile name {name!r} is not allowed: use 1 to 40 letters, digits, '.', '_' or "
        "'-', starting with a letter or digit"
    )
    assert not home.file.exists()


# ----------------------------------------------------------------- data


def test_data_where_and_check(diary: Home) -> None:
    assert diary.ok("data", "where") == f"{diary.file}\n"
    assert diary.ok("data", "check") == f"{diary.file}: sound\n"
    assert diary.json("data", "check") == {
        "schema": "ldncalc.check/2",
        "path": str(diary.file),
        "problems": [],
    }


def test_data_where_creates_nothing(home: Home) -> None:
    assert home.ok("data", "where") == f"{home.file}\n"
    assert not home.folder.exists()


def test_export_then_import_twice(diary: Home, tmp_path: Path) -> None:
    diary.ok("took", "--date", START)
    diary.ok("note", "fine", "--pain", "1", "--date", START)
    exported = tmp_path / "diary.json"
    result = diary.run("data", "export", str(exported))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"Wrote {exported}\n")
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert (document["schema"], document["profile"]) == ("ldncalc.diary/1", "default")
    assert [e["kind"] for e in document["entries"]] == ["plan", "took", "note"]
    message = diary.refused(1, "data", "export", str(exported))
    assert message == (
        f"cannot write {exported}: it exists; it was not replaced; add --force to replace it"
    )
    other = Home(tmp_path / "other")
    assert other.ok("data", "import", str(exported)) == "Added 3 entries to profile default\n"
    assert other.ok("data", "import", str(exported)) == "Added 0 entries to profile default\n"
    assert diary.ok("data", "import", str(exported)) == "Added 0 entries to profile default\n"
    assert [(r.uid, r.kind, r.day, r.payload) for r in other.records()] == [
        (r.uid, r.kind, r.day, r.payload) for r in diary.records()
    ]
    window = ("--from", START, "--to", "2026-01-31")
    assert other.json("history", *window) == diary.json("history", *window)
    assert other.ok("today", "--date", START) == diary.ok("today", "--date", START)


def test_import_of_what_is_not_an_export(home: Home, tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    assert home.refused(2, "data", "import", str(missing)) == f"no file {str(missing)!r}"
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json", encoding="utf-8")
    message = home.refused(2, "data", "import", str(garbage))
    assert message.startswith(f"{str(garbage)!r} is not a diary export (")
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"schema": "something/1"}', encoding="utf-8")
    message = home.refused(2, "data", "import", str(wrong))
    assert (
        message == "not an ldncalc diary export (schema 'something/1'; expected 'ldncalc.diary/1')"
    )
    assert not home.file.exists()


def test_backup(diary: Home, tmp_path: Path) -> None:
    diary.ok("took", "--date", START)
    copy = tmp_path / "copy" / "diary.sqlite3"
    copy.parent.mkdir()
    result = diary.run("data", "backup", str(copy))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"Wrote {copy}\n")
    assert mode(copy) == 0o600
    assert Store(copy.parent).records() == diary.records()
    message = diary.refused(1, "data", "backup", str(copy))
    assert message == f"{copy} exists; a backup never replaces a file"


def test_backup_without_a_diary(home: Home, tmp_path: Path) -> None:
    message = home.refused(1, "data", "backup", str(tmp_path / "copy.sqlite3"))
    assert message == f"there is no diary at {home.file} yet; nothing to back up"


def test_erase(home: Home) -> None:
    home.ok("plan", "start", "--start-date", START, "--profile", "a")
    home.ok("took", "--date", START, "--profile", "a")
    home.ok("plan", "start", "--start-date", START, "--profile", "b")
    message = home.refused(1, "data", "erase", "--profile", "a", profile="a")
    assert message == "erasing profile 'a' cannot be undone; add --yes to erase it"
    assert len(home.records("a")) == 2
    assert home.ok("data", "erase", "--profile", "a", "--yes") == "Erased 2 entries of profile a\n"
    assert home.records("a") == []
    assert home.refused(1, "today", "--profile", "a") == NO_PLAN.replace(
        "plan start'", "plan start --profile a'"
    )
    assert [r.kind for r in home.records("b")] == ["plan"]  # the other profile stays
    # Erasing it again did nothing: that is said, with the profiles there are.
    erased_again = home.refused(1, "data", "erase", "--profile", "a", "--yes", profile="a")
    assert erased_again == "the diary has no profile 'a'; its profiles: b"
    assert home.run("data", "erase").exit_code == 2  # which profile: it must be named


# ----------------------------------------------------------------- a damaged diary


DAMAGED_COMMANDS = [
    ["today"],
    ["today", "--json"],
    ["history"],
    ["plan", "show"],
    ["plan", "start", "--start-date", START],
    ["plan", "adjust", "stop", "--date", START],
    ["took", "--date", START],
    ["missed", "--date", START],
    ["mixed", "--date", START],
    ["note", "x", "--date", START],
    ["undo", "1"],
    ["data", "export", "{tmp}/export.json"],
    ["data", "backup", "{tmp}/backup.sqlite3"],
    ["data", "erase", "--profile", "default", "--yes"],
    ["report", "--html", "{tmp}/report.html"],
]


def test_a_damaged_diary_is_refused_and_left_as_it_was(home: Home, tmp_path: Path) -> None:
    home.folder.mkdir(mode=0o700)
    home.file.write_bytes(b"this is not a diary\x00\xff" * 400)
    home.file.chmod(0o600)
    before = sha(home.file)
    for command in DAMAGED_COMMANDS:
        args = [a.replace("{tmp}", str(tmp_path)) for a in command]
        result = home.run(*args)
        assert result.exit_code == 1, (args, result.output)
        if "--json" in args:
            error = json.loads(result.stderr)["error"]
            assert "is damaged" in error["message"]
        else:
            message = error_message(result)
            assert message.startswith("the diary at "), args
            assert message.endswith(" is damaged (not an SQLite database); it was left as it was")
        assert sha(home.file) == before, args
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # no output file
    result = home.run("data", "check")
    assert result.exit_code == 1
    problems = result.stdout.splitlines()
    assert problems, result.output
    assert all(line.startswith("Problem: ") for line in problems)
    assert any("is damaged" in line for line in problems)
    assert json.loads(home.run("data", "check", "--json").stdout)["problems"]
    assert sha(home.file) == before
    with pytest.raises(StoreError):
        home.records()


# ----------------------------------------------------------------- privacy


def test_the_diary_is_private_whatever_the_umask(tmp_path: Path) -> None:
    home = Home(tmp_path / "deep" / "home")
    with umask(0o000):
        home.ok("plan", "start", "--start-date", START)
        home.ok("took", "--date", START)
    assert mode(home.folder) == 0o700
    assert mode(home.folder.parent) == 0o700  # made by ldncalc too
    assert mode(home.file) == 0o600
    for side in home.folder.iterdir():
        assert mode(side) == 0o600, side.name
    with umask(0o000):
        assert home.ok("data", "check") == f"{home.file}: sound\n"


# ----------------------------------------------------------------- real processes


def ldncalc(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LDNCALC_HOME": str(home), "COLUMNS": "80", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "ldncalc", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )


def test_the_installed_command(home: Home) -> None:
    done = ldncalc(home.folder, "today")
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"Error: {NO_PLAN}\n")
    done = ldncalc(home.folder, "plan", "start", "ldnnaltrexone", "--start-date", START)
    assert done.returncode == 0, done.stderr
    done = ldncalc(home.folder, "took", "--date", START)
    assert (done.returncode, done.stdout) == (0, f"Recorded entry 2 for {START}: took 1.5 mg\n")
    done = ldncalc(home.folder, "took", "--date", START)
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: {START} already has a dose taken (entry 2)")
    done = ldncalc(home.folder, "today", "--date", START)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == TODAY_DAY_1.format(taken="yes, 1.5 mg")
    assert done.stdout == home.ok("today", "--date", START)
    done = ldncalc(home.folder, "took", "--date", later(2))
    assert done.returncode == 2


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_today_needs_no_units_library_and_no_rich(diary: Home, extra: list[str]) -> None:
    diary.ok("mixed", "--water", "25mL", "--date", START)  # a bottle to measure for
    env = {"LDNCALC_HOME": str(diary.folder)}
    loaded = modules_loaded_by("today", "--date", "2026-01-06", *extra, env=env)
    assert {"ldncalc.diary.living", "ldncalc.diary.store", "sqlite3"} <= loaded  # the probe is live
    assert "pint" not in loaded
    assert "rich" not in loaded


# ----------------------------------------------------------------- regressions


def test_the_bottle_in_use_is_the_last_mixed_by_its_day_not_by_entry(diary: Home) -> None:
    diary.ok("mixed", "--date", "2026-01-19")  # the plan's recipe, 1 mg/mL
    diary.ok("mixed", "--date", START, "--water", "25mL")  # recorded late: an older bottle
    today = diary.json("today", "--date", "2026-01-20")
    assert (today["dose_mg"], today["measured_volume_ml"]) == (3, 3)  # 3 mg at 1 mg/mL
    assert today["warnings"] == []


def test_no_volume_is_given_for_a_bottle_past_its_discard_date(diary: Home) -> None:
    diary.ok("mixed", "--date", START, "--water", "25mL")  # 2 mg/mL, kept to 01-18
    today = diary.json("today", "--date", "2026-01-20")
    assert today["measured_volume_ml"] == 3  # for a new bottle of the plan's recipe
    # No warning: the new bottle is listed, with why and what it replaces.
    assert today["warnings"] == []
    assert [(m["bottle"]["batch"], m["why"], m["replaces"]) for m in today["to_mix"]] == [
        (2, "expired", 1)
    ]
    assert today["batch"]["batch"] == 2  # the volume is for the bottle to mix first


def test_a_bottles_own_keep_period_is_the_one_planned(diary: Home) -> None:
    diary.ok("mixed", "--date", START, "--keep", "7d")
    on_11 = diary.json("today", "--date", "2026-01-11")
    assert on_11["batch"]["discard_date"] == "2026-01-11"
    on_12 = diary.json("today", "--date", "2026-01-12")
    assert on_12["mix_today"] is True  # a new bottle is due, and the volume is for it
    assert (on_12["batch"]["batch"], on_12["batch"]["recorded"]) == (2, False)
    assert "Mix today:   batch 2, the stock: 1 x 50 mg tablet in 50 mL of water = 1 mg/mL;" in (
        diary.ok("today", "--date", "2026-01-12")
    )


def test_a_keep_period_beyond_what_ldncalc_plans_is_refused(diary: Home) -> None:
    message = diary.refused(2, "mixed", "--date", START, "--keep", "100d")
    assert "the keep period" in message
    assert "90" in message


@pytest.mark.parametrize("args", [["today"], ["data", "erase", "--yes"], ["history"]])
def test_an_empty_profile_name_is_refused(diary: Home, args: list[str]) -> None:
    result = diary.run(*args, "--profile", "")
    assert result.exit_code == 2, result.output
    assert "profile" in error_message(result)
    assert len(diary.records()) == 1  # the default profile is untouched


def test_an_import_that_no_command_could_read_is_refused(diary: Home, tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    diary.ok("data", "export", str(exported))
    document = json.loads(exported.read_text("utf-8"))
    document["entries"].append(
        {
            "uid": "0" * 31 + "1",
            "kind": "took",
            "date": "2026-01-06",
            "recorded_at": "2026-01-06T08:00:00+00:00",
            "payload": {"dose_mg": "lots"},
        }
    )
    exported.write_text(json.dumps(document), "utf-8")
    message = diary.refused(2, "data", "import", str(exported))
    assert message.startswith("entry 2 of the export cannot be read: ")
    assert len(diary.records()) == 1


def test_data_check_reports_entries_no_command_can_read(diary: Home) -> None:
    with Store(diary.folder).transaction("default") as tx:  # as an older or foreign tool might
        tx.append("took", date(2026, 1, 6), '{"dose_mg": "lots"}')
    result = diary.run("data", "check")
    assert result.exit_code == 1
    assert result.stdout.startswith("Problem: profile default: ")


@pytest.mark.parametrize(
    "args",
    [
        ["today", "--date", "0001-01-01"],
        ["history", "--from", "2026-01-01", "--to", "9999-12-31"],
        ["took", "--date", "1899-12-31"],
        ["history", "--from", "1990-01-01", "--to", "2026-01-01"],
    ],
)
def test_dates_no_diary_is_about_are_refused(diary: Home, args: list[str]) -> None:
    message = diary.refused(2, *args)
    assert "year from 1900 to 2199" in message or "more than twenty years" in message


@pytest.mark.parametrize(
    ("args", "option", "day"),
    [
        (["today", "--date", "2300-01-01"], "--date", date(2300, 1, 1)),
        (["took", "1mg", "--date", "1899-12-31"], "--date", date(1899, 12, 31)),
        (["history", "--to", "2200-01-01"], "--to", date(2200, 1, 1)),
    ],
)
def test_the_cli_refuses_a_year_by_the_library_s_rule(
    diary: Home, args: list[str], option: str, day: date
) -> None:
    """One rule for the years a diary is about: the CLI refuses as the library does."""
    from ldncalc.errors import InvalidInputError
    from ldncalc.inputs import calendar_day

    with pytest.raises(InvalidInputError) as library:
        calendar_day(day, option)
    assert library.value.code == "date-out-of-range"
    assert diary.refused(2, *args) == str(library.value)


def test_the_step_of_today_is_the_step_plan_show_numbers(diary: Home) -> None:
    diary.ok("plan", "adjust", "stop", "--date", "2026-01-10")
    diary.ok("plan", "adjust", "dose", "2mg", "--date", "2026-01-15")
    today = diary.json("today", "--date", "2026-01-15")
    steps = diary.json("plan", "show")["steps"]
    [step] = [s for s in steps if s["first_date"] <= "2026-01-15" <= s["last_date"]]
    assert today["step"] == step["step"] == 2


def test_an_adjustment_without_a_plan_is_refused_and_creates_no_file(home: Home) -> None:
    message = home.refused(1, "plan", "adjust", "hold")
    assert message == "this diary has no plan yet; start one with 'ldncalc plan start'"
    assert not home.file.exists()


def test_today_names_the_bottle_the_dose_is_drawn_from_and_what_is_due(home: Home) -> None:
    home.ok(
        "plan", "start", "--start", "0.05mg", "--step", "0.05mg", "--every", "7d",
        "--target", "0.5mg", "--start-date", "2026-03-02",
    )  # fmt: skip
    home.ok("mixed", "--date", "2026-03-02")
    # 0.1 mg on 03-10 is 2 mL of the 50 mcg step's dilution (0.05 mg/mL), mixed 03-02
    # from the stock of that day: one dilution serves both steps' doses.
    out = home.ok("today", "--date", "2026-03-10")
    # The diary's bottles are numbered as mixed: the stock recorded is batch 1, the
    # dilution the second. The plan's dilution of 03-02 is not recorded: it is never
    # presented as held; a new one is to be mixed today, and the volume is for it.
    assert "Bottle:" not in out
    assert (
        "Mix today: batch 2, dilution 1 of batch 1: 1 mL of the stock (1 mg/mL) + 19 mL of "
        "water = 0.05 mg/mL; discard after 2026-03-15; the plan's dilution of 2026-03-02 is "
        "not recorded as mixed: mix this one before today's dose (if you did mix it then, "
        "record it as mixed on 2026-03-02 instead) (then: ldncalc mixed --dilution --date "
        "2026-03-10)"
    ) in " ".join(out.split())
    assert "from batch 2 on the" in " ".join(out.split())
    # The stock recorded 03-02 is past its discard date on 03-16, and none is
    # recorded since: a new one is due, before the dose, and the volume is for it.
    out = " ".join(home.ok("today", "--date", "2026-03-20").split())
    assert "Bottle:" not in out
    assert (
        "Mix today: batch 2, the stock: 1 x 50 mg tablet in 50 mL of water = 1 mg/mL; "
        "discard after 2026-04-02; batch 1 (mixed 2026-03-02) was to be discarded after "
        "2026-03-15: mix this one before today's dose (then: ldncalc mixed --date 2026-03-20)"
    ) in out
    today = home.json("today", "--date", "2026-03-20")
    assert (today["mix_today"], today["batch"]["batch"], today["warnings"][0]["code"]) == (
        True,
        2,
        "dose-below-range",
    )


def test_today_never_presents_a_bottle_not_recorded_as_one_she_holds(home: Home) -> None:
    """NEW-a: the plan's bottle of 03-02 was never recorded: on 03-03 it is to be mixed."""
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", "2026-03-02")
    out = " ".join(home.ok("today", "--date", "2026-03-03").split())
    assert "Bottle:" not in out
    assert "mixed 2026-03-02" not in out
    assert (
        "Mix today: batch 1, the stock: 1 x 50 mg tablet in 50 mL of water = 1 mg/mL; "
        "discard after 2026-03-16; the plan's bottle of stock of 2026-03-02 is not recorded "
        "as mixed: mix this one before today's dose (if you did mix it then, record it as "
        "mixed on 2026-03-02 instead) (then: ldncalc mixed --date 2026-03-03)"
    ) in out
    today = home.json("today", "--date", "2026-03-03")
    due = today["to_mix"][0]
    assert (due["why"], due["replaces"], due["bottle"]["mix_date"]) == (
        "not-recorded",
        None,
        "2026-03-03",
    )
    assert (today["batch"]["batch"], today["batch"]["mix_date"]) == (1, "2026-03-03")
    # Recorded as asked: the bottle she holds, and nothing more to mix on the days after.
    home.ok("mixed", "--date", "2026-03-03")
    for day in ("2026-03-03", "2026-03-04", "2026-03-10"):
        out = " ".join(home.ok("today", "--date", day).split())
        assert "Mix today:" not in out
        assert "Bottle: batch 1, the stock, mixed 2026-03-03 (recorded)" in out


def test_a_dose_ten_times_the_plan_gets_the_classic_slips_named(diary: Home) -> None:
    out = diary.ok("took", "15mg", "--date", START)  # 1.5 mg planned
    assert out.splitlines()[1] == (
        "Warning: 15 mg is 10 times more than the planned 1.5 mg: check the decimal point "
        "and mg against mcg; recorded as given"
    )
    out = diary.ok("took", "150mcg", "--date", "2026-01-06")
    assert "0.15 mg is 10 times less than the planned 1.5 mg" in out
    # A change of the plan to a tenth of the dose in force is asked about the same way.
    out = diary.ok("plan", "adjust", "dose", "0.15mg", "--date", "2026-01-07")
    assert out.splitlines()[1] == (
        "Warning: 0.15 mg is 10 times less than the dose in force, 1.5 mg: did you mean "
        "1.5 mg? check the decimal point and mg against mcg; recorded as given"
    )


def test_following_todays_instructions_leaves_nothing_to_mix(home: Home) -> None:
    # 1 mcg is made in two stages: 1 mL of the 1 mg/mL stock + 9 mL water = 0.1 mg/mL,
    # then 1 mL of that + 99 mL water = 0.001 mg/mL, of which 1 mL is drawn.
    home.ok("plan", "start", "--start", "1mcg", "--target", "1mcg", "--start-date", START)
    asked = [
        line
        for line in home.ok("today", "--date", START).splitlines()
        if line.startswith(("Mix today:", "      "))
    ]
    text = " ".join(" ".join(asked).split())
    commands = [
        ["mixed"],
        ["mixed", "--dilution"],
        ["mixed", "--dilution", "--stage", "2"],
    ]
    for command in commands:
        assert f"ldncalc {' '.join(command)}" in text
        home.ok(*command, "--date", START)
    today = home.json("today", "--date", START)
    assert today["mix_today"] is False
    assert today["concentration_mg_per_ml"] == 0.001
    payloads = [json.loads(r.payload) for r in home.records()[-2:]]
    assert [(p["stage"], p["source_ml"], p["water_ml"]) for p in payloads] == [
        (1, "1", "9"),
        (2, "1", "99"),
    ]
    assert home.refused(1, "mixed", "--dilution", "--stage", "3", "--date", START) == (
        "the plan's dilution has 2 stage(s), not a stage 3"
    )
    assert home.refused(2, "mixed", "--stage", "2", "--date", START) == (
        "--from-ml and --stage go with --dilution"
    )


def test_the_review_is_due_in_the_json_too(diary: Home) -> None:
    # The review of this plan is 2026-03-30: scores asked for in the two weeks before,
    # the PGIC on the day, and from then on the review is due (maintenance goes on).
    before = diary.json("today", "--date", "2026-03-20")
    assert (before["review_due_since"], len(before["reminders"])) == (None, 1)
    assert before["reminders"][0]["code"] == "score"
    assert before["reminders"][0]["command"] == (
        "ldncalc note --pain N --enjoyment N --activity N --date 2026-03-20"
    )
    on = diary.json("today", "--date", "2026-03-30")
    assert on["review_due_since"] == "2026-03-30"
    assert [r["command"] for r in on["reminders"]] == [
        "ldncalc note --pain N --enjoyment N --activity N --date 2026-03-30",
        "ldncalc note --pgic N --date 2026-03-30",
    ]
    after = diary.json("today", "--date", "2026-05-01")
    assert (after["review_due_since"], after["dose_mg"]) == ("2026-03-30", 4.5)
    early = diary.json("today", "--date", START)
    assert (early["review_due_since"], early["reminders"]) == (None, [])
    assert diary.json("plan", "show")["open_ended"] is True


# ----------------------------------------------------------------- following today literally


def fast_today(*args: str, env: dict[str, str | None]) -> CliResult:
    """Run ``ldncalc today ARGS`` the way the entry point does: the typer-free path."""
    from typer.testing import CliRunner

    from ldncalc.cli._today import run_today

    full: dict[str, str | None] = {"COLUMNS": "80", "NO_COLOR": "1", **env}
    with CliRunner().isolation(env=full) as (out, err, _):
        code = run_today(list(args))
        assert code is not None, "the usual arguments are served without typer"
        sys.stdout.flush()
        sys.stderr.flush()
        return CliResult(code, out.getvalue().decode(), err.getvalue().decode())


def test_a_bottle_mixed_with_other_water_is_followed_to_its_end(home: Home) -> None:
    # 4.5 mg a day. The bottle mixed is 1 x 50 mg in 200 mL = 0.25 mg/mL, so a dose
    # is 18 mL of it; its reserve is 10% of 200 mL = 20 mL, 180 mL serve doses.
    home.ok("plan", "start", "--start", "4.5mg", "--target", "4.5mg", "--start-date", START)
    home.ok("mixed", "--water", "200mL", "--date", START)
    for n in range(11):  # 01-05 to 01-15: 11 x 18 mL = 198 mL drawn
        home.ok("took", "--date", f"2026-01-{5 + n:02}")
    on_7 = home.json("today", "--date", "2026-01-11")  # after 7 doses: 200 - 126 = 74 mL
    assert (on_7["measured_volume_ml"], on_7["concentration_mg_per_ml"]) == (18, 0.25)
    assert on_7["batch"] == {
        "batch": 1,
        "liquid": "stock",
        "concentration_mg_per_ml": 0.25,
        "mix_date": START,
        "discard_date": "2026-01-18",
        "recorded": True,
        "left_ml": 74,
        "last_dose": False,
    }
    # 01-16, day 12: 2 mL left, too little for 18 mL above the 20 mL reserve. A new
    # bottle of the plan's recipe (1 mg/mL) first; the volume is for it: 4.5 mg is
    # 4.5 mL, on the 5 mL syringe's 0.2 mL marks 4.6 mL.
    on_12 = home.json("today", "--date", "2026-01-16")
    assert (on_12["concentration_mg_per_ml"], on_12["measured_volume_ml"]) == (1, 4.6)
    assert (on_12["batch"]["batch"], on_12["batch"]["recorded"]) == (2, False)
    assert on_12["batch"]["concentration_mg_per_ml"] == 1
    [due] = on_12["to_mix"]
    assert (due["bottle"]["batch"], due["why"], due["replaces"]) == (2, "runs-out", 1)
    assert due["preparation"]["water_ml"] == 50
    out = " ".join(home.ok("today", "--date", "2026-01-16").split())
    assert "Draw: 4.6 mL of the stock (1 mg/mL) from batch 2 on the 5 mL" in out
    assert "batch 1 holds 2 mL, less than today's dose above its 20 mL reserve" in out
    assert "was planned" not in out
    # Mixed as asked: the new bottle is in use, with all of its 50 mL.
    home.ok("mixed", "--date", "2026-01-16")
    after = home.json("today", "--date", "2026-01-16")
    assert (after["to_mix"], after["batch"]["batch"], after["batch"]["left_ml"]) == ([], 2, 50)


def test_every_hint_runs_as_printed_on_the_profile_and_folder_at_hand(
    home: Home, tmp_path: Path
) -> None:
    # A carer with her own plan (the default profile in LDNCALC_HOME) follows ana's,
    # kept in another folder whose name needs quoting.
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", START)
    folder = str(tmp_path / "ana's diary")
    where = ["--profile", "ana", "--data-dir", folder]
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", START, *where)
    env: dict[str, str | None] = {"LDNCALC_HOME": str(home.folder)}
    shown = fast_today("--date", START, *where, env=env)
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.stdout.split())
    hints = re.findall(r"\((?:record it with|then): (ldncalc [^)]*)\)", text)
    quoted = shlex.quote(folder)
    assert hints == [
        f"ldncalc took --date {START} --profile ana --data-dir {quoted}",
        f"ldncalc mixed --date {START} --profile ana --data-dir {quoted}",
    ]
    obj = json.loads(fast_today("--date", START, "--json", *where, env=env).stdout)
    assert [obj["record_command"], *obj["to_mix"][0]["record_commands"]] == hints
    for hint in reversed(hints):  # mix first, then take
        args = shlex.split(hint)
        assert args[0] == "ldncalc"
        home.ok(*args[1:])
    # Both recorded on ana's diary; nothing on the carer's own.
    assert [r.kind for r in Store(Path(folder)).records("ana")] == ["plan", "mixed", "took"]
    assert [r.kind for r in home.records()] == ["plan"]
    after = json.loads(fast_today("--date", START, "--json", *where, env=env).stdout)
    assert (after["taken"], after["to_mix"], after["batch"]["recorded"]) == (True, [], True)


def test_an_open_hold_is_shown_with_the_command_that_resumes_it(home: Home) -> None:
    # ldnrt-weekly from 01-05: 1 mg, 2 mg from 01-12, 3 mg from 01-19. Held on 01-14 at 2 mg.
    where = ["--profile", "ana"]
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", START, *where)
    home.ok("plan", "adjust", "hold", "--date", "2026-01-14", *where)
    reviews = set()
    for day in ("2026-01-14", "2026-01-20", "2026-02-10"):
        obj = home.json("today", "--date", day, *where)
        assert obj["dose_mg"] == 2  # no rise during the hold
        assert obj["hold"] == {
            "since": "2026-01-14",
            "until": None,  # open: it lasts until a resume is recorded
            "dose_mg": 2,
            "resume_command": f"ldncalc plan adjust resume --date {day} --profile ana",
        }
        reviews.add(obj["review_date"])
    assert len(reviews) == 1  # the review date stays put through the hold
    out = " ".join(home.ok("today", "--date", "2026-01-20", *where).split())
    assert (
        "Hold: on hold since 2026-01-14 at 2 mg: no increase until you resume "
        "(ldncalc plan adjust resume --date 2026-01-20 --profile ana)"
    ) in out
    assert "it moves when the climb resumes" in out  # says why it will move
    assert home.json("today", "--date", "2026-01-13", *where)["hold"] is None
    # The command as printed resumes ana's plan.
    command = home.json("today", "--date", "2026-01-20", *where)["hold"]["resume_command"]
    home.ok(*shlex.split(command)[1:])
    assert home.json("today", "--date", "2026-01-21", *where)["hold"] is None


def test_a_hold_whose_end_is_recorded_says_when_and_offers_no_resume(home: Home) -> None:
    # Held on 01-14 at 2 mg; a resume recorded for 01-25 (and, apart, a hold of 7 days).
    # On 01-20 the hold is in force, but it ends on 01-25: no command to resume it, and
    # the review is eight weeks at the final dose after the climb takes up again.
    where = ["--profile", "ana"]
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", START, *where)
    home.ok("plan", "adjust", "hold", "--date", "2026-01-14", *where)
    home.ok("plan", "adjust", "resume", "--date", "2026-01-25", *where)
    out = " ".join(home.ok("today", "--date", "2026-01-20", *where).split())
    assert (
        "Hold: on hold since 2026-01-14 at 2 mg: no increase before 2026-01-25, as recorded" in out
    )
    assert "plan adjust resume" not in out
    assert "climbing again from 2026-01-25" in out
    assert "it moves when the climb resumes" not in out
    obj = home.json("today", "--date", "2026-01-20", *where)
    assert (obj["hold"]["since"], obj["hold"]["until"]) == ("2026-01-14", "2026-01-25")
    assert home.json("today", "--date", "2026-01-25", *where)["hold"] is None
    timed = ["--profile", "bo"]
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", START, *timed)
    home.ok("plan", "adjust", "hold", "--for", "7d", "--date", "2026-01-14", *timed)
    assert home.json("today", "--date", "2026-01-16", *timed)["hold"]["until"] == "2026-01-21"


def test_after_a_stop_nothing_to_mix_and_no_bottle_warning(diary: Home) -> None:
    diary.ok("mixed", "--date", START)  # kept to 01-18
    diary.ok("plan", "adjust", "stop", "--date", "2026-01-10")
    obj = diary.json("today", "--date", "2026-02-20")  # long after the bottle's date
    assert (obj["stopped_on"], obj["to_mix"], obj["mix_today"], obj["warnings"]) == (
        "2026-01-10",
        [],
        False,
        [],
    )
    out = diary.ok("today", "--date", "2026-02-20")
    assert "mix" not in out.replace("nothing to mix", "")
    # Taken up again with the command as printed: 1.5 mg from that day, held.
    diary.ok(*shlex.split(obj["restart_command"])[1:])
    again = diary.json("today", "--date", "2026-02-20")
    assert (again["stopped_on"], again["dose_mg"]) == (None, 1.5)


def test_a_mixing_day_gives_the_recipe_and_a_last_day_says_so(diary: Home) -> None:
    diary.ok("mixed", "--date", START)  # 1 mg/mL, kept 14 days: its last day is 01-18
    out = " ".join(diary.ok("today", "--date", "2026-01-18").split())
    assert "Last dose: today's dose is the last from batch 1" in out
    # 01-19: a new bottle is due and listed with its recipe; no "do not use" warning.
    out = " ".join(diary.ok("today", "--date", "2026-01-19").split())
    assert "Mix today: batch 2, the stock: 1 x 50 mg tablet in 50 mL of water = 1 mg/mL" in out
    assert "Warning" not in out
    assert "Last dose" not in out


def test_the_typer_free_today_never_prints_a_traceback(
    diary: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ldncalc.diary import recorded

    def broken(*_: object, **__: object) -> object:
        raise RuntimeError("a fault of ldncalc's own")

    monkeypatch.setattr(recorded, "day_of", broken)  # what the fast today calls
    env: dict[str, str | None] = {"LDNCALC_HOME": str(diary.folder)}
    result = fast_today("--date", START, env=env)
    assert result.exit_code == 1
    assert error_message(result) == (
        "unexpected internal error (RuntimeError: a fault of ldncalc's own); please report it"
    )
    as_json = fast_today("--date", START, "--json", env=env)
    assert as_json.exit_code == 1
    assert json.loads(as_json.stderr)["error"]["code"] == "internal"
    assert "Traceback" not in as_json.stderr


def test_the_hint_of_an_error_names_the_diary_at_hand(home: Home) -> None:
    env: dict[str, str | None] = {"LDNCALC_HOME": str(home.folder)}
    result = fast_today("--profile", "ana", env=env)
    assert error_message(result) == (
        "this diary has no plan yet; start one with 'ldncalc plan start --profile ana'"
    )
    home.ok("plan", "start", "ldnrt-weekly", "--start-date", START, "--profile", "ana")
    home.ok("took", "--date", START, "--profile", "ana")
    message = home.refused(1, "took", "--date", START, "--profile", "ana", profile="ana")
    assert "undo that entry with 'ldncalc undo 2 --profile ana', or add --again" in message


def test_today_says_why_the_review_date_moved(diary: Home) -> None:
    assert diary.json("today", "--date", "2026-01-22")["review_moved"] is None
    # back on 01-22 at 3 mg: 1.5 mg for 14 days (to 02-04), 3 mg for 14 (to 02-18),
    # 4.5 mg from 02-19: the review is 02-19 + 56 days = 04-16, no longer 03-30.
    diary.ok("plan", "adjust", "back", "--date", "2026-01-22")
    obj = diary.json("today", "--date", "2026-01-23")
    assert (obj["review_date"], obj["review_moved"]) == (
        "2026-04-16",
        {"from": "2026-03-30", "action": "back", "date": "2026-01-22"},
    )
    out = " ".join(diary.ok("today", "--date", "2026-01-23").split())
    assert (
        "Review: 2026-04-16 (eight weeks at the final dose; moved from 2026-03-30 by the back "
        "of 2026-01-22)"
    ) in out


def test_a_dilution_made_smaller_runs_out_by_what_was_drawn(home: Home) -> None:
    # 1 mcg a day is 1 mL of 0.001 mg/mL. The second stage is made with 0.1 mL of
    # the 0.1 mg/mL first stage and 9.9 mL of water: 10 mL, not the plan's 100 mL.
    # Its reserve is 2 mL (10%, at least 2 mL): 8 doses, 03-02 to 03-09.
    day = "2026-03-{:02}".format
    home.ok("plan", "start", "--start", "1mcg", "--target", "1mcg", "--start-date", day(2))
    home.ok("mixed", "--date", day(2))
    home.ok("mixed", "--dilution", "--date", day(2))  # 1 mL + 9 mL = 0.1 mg/mL
    home.ok(
        "mixed", "--dilution", "--stage", "2", "--from-ml", "0.1mL", "--water", "9.9mL",
        "--date", day(2),
    )  # fmt: skip
    for n in range(2, 10):
        home.ok("took", "--date", day(n))
    on_9 = home.json("today", "--date", day(9))
    assert (on_9["batch"]["batch"], on_9["batch"]["left_ml"], on_9["batch"]["last_dose"]) == (
        3,
        2,
        True,
    )
    on_10 = home.json("today", "--date", day(10))
    # A new second stage first (the first, 9.9 mL left, gives its 1 mL aliquot).
    [due] = on_10["to_mix"]
    assert (due["bottle"]["batch"], due["why"], due["replaces"]) == (4, "runs-out", 3)
    assert due["record_commands"] == [f"ldncalc mixed --dilution --stage 2 --date {day(10)}"]
    assert (on_10["batch"]["batch"], on_10["measured_volume_ml"]) == (4, 1)
    out = " ".join(home.ok("today", "--date", day(10)).split())
    assert "Mix today: batch 4, dilution 2 of batch 2: 1 mL of dilution 1 (0.1 mg/mL) +" in out
    home.ok("mixed", "--dilution", "--stage", "2", "--date", day(10))
    after = home.json("today", "--date", day(10))
    assert (after["to_mix"], after["batch"]["batch"], after["batch"]["left_ml"]) == ([], 4, 100)
