"""What a new user's trial found: hints to run as printed, the hour of the dose, clear errors.

A hint names the exact command, never one that will be refused; the handout
and the schedule say the hour of the dose; an error says what is wanted.
"""

from __future__ import annotations

import json
import re
import shlex
from datetime import date, timedelta
from pathlib import Path

from tests.fuzzing import CliResult, cli


def run(folder: Path, *args: str) -> CliResult:
    return cli(*args, "--data-dir", str(folder), env={"LDNCALC_HOME": None})


def ok(folder: Path, *args: str) -> str:
    result = run(folder, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def started(folder: Path) -> None:
    ok(folder, "plan", "start", "ldnrt-weekly")


def test_the_hint_of_a_day_recorded_names_the_entry_and_runs_as_printed(tmp_path: Path) -> None:
    started(tmp_path)
    for _ in range(3):  # entries that push the dose's id past the first few
        ok(tmp_path, "note", "a line")
    recorded = ok(tmp_path, "took", "1mg")
    entry = int(re.findall(r"entry (\d+)", recorded)[0])
    assert entry == 5
    again = run(tmp_path, "took", "1mg")
    assert again.exit_code == 1
    quoted = re.findall(r"'(ldncalc undo [^']*)'", again.stderr)
    assert quoted == [shlex.join(["ldncalc", "undo", str(entry), "--data-dir", str(tmp_path)])]
    words = shlex.split(quoted[0])[1:]
    assert cli(*words, env={"LDNCALC_HOME": None}).exit_code == 0
    assert run(tmp_path, "took", "1mg").exit_code == 0  # the day is free again


def test_a_day_to_come_offers_no_command_that_would_be_refused(tmp_path: Path) -> None:
    started(tmp_path)
    day = (date.today() + timedelta(days=2)).isoformat()
    shown = " ".join(ok(tmp_path, "today", "--date", day).split())
    assert "Taken: not yet (a day to come" in shown
    assert "Mix today:" in shown  # the plan's bottle is not recorded: a mixing is due
    assert "ldncalc took" not in shown
    assert "ldncalc mixed" not in shown
    # what today would have offered is refused on that day indeed
    for refused in (["took"], ["mixed"]):
        result = run(tmp_path, *refused, "--date", day)
        assert result.exit_code == 2
        assert "is after today" in result.stderr
    obj = json.loads(ok(tmp_path, "today", "--date", day, "--json"))
    assert obj["dose_mg"] is not None
    assert obj["record_command"] is None
    # the same day, asked for today, offers them
    shown = " ".join(ok(tmp_path, "today").split())
    assert "record it with: ldncalc took" in shown
    assert "then: ldncalc mixed" in shown


def test_the_record_command_is_null_once_the_day_is_taken(tmp_path: Path) -> None:
    started(tmp_path)
    before = json.loads(ok(tmp_path, "today", "--json"))
    assert before["record_command"] == shlex.join(["ldncalc", "took", "--data-dir", str(tmp_path)])
    ok(tmp_path, "took")
    after = json.loads(ok(tmp_path, "today", "--json"))
    assert after["taken"] is True
    assert after["record_command"] is None


def test_mix_says_a_warning_on_the_range_once() -> None:
    result = cli("mix", "--from", "0.3mg", "--to", "1.5mg", "--step", "0.3mg")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert text.count("0.3 mg is below the usual low-dose range") == 1


def test_a_scale_given_a_volume_asks_for_grams(tmp_path: Path) -> None:
    for args in (
        ["kit", "scale", "0.1mL", "--data-dir", str(tmp_path)],
        ["dose", "4.5mg", "--scale", "abc"],
    ):
        result = cli(*args, env={"LDNCALC_HOME": None})
        assert result.exit_code == 2, result.output
        assert "expected a weight in g (for example 0.1 g)" in result.stderr
        assert "dose" not in result.stderr.removeprefix("Error: ").split(":", 1)[1]
    coded = cli("dose", "4.5mg", "--scale", "0.1mL", "--json")
    assert json.loads(coded.stderr)["error"]["code"] == "scale-invalid"


def test_a_syringe_without_marks_is_told_an_example_that_is_accepted(tmp_path: Path) -> None:
    for given in ("100L", "150mL", "2.5mL", "100", "0.05mL", "0.0015mL"):
        result = run(tmp_path, "kit", "add", given)
        assert result.exit_code == 2, result.output
        for example in re.findall(r"e\.g\. (\S+)", result.stderr):
            assert run(tmp_path, "kit", "add", example).exit_code == 0, (given, example)
    said = run(tmp_path, "kit", "add", "100L").stderr
    assert "oral syringes hold at most 100 mL" in said


def test_an_amount_typed_in_two_words_is_told_to_be_one(tmp_path: Path) -> None:
    hint = "the amount is one word: write 4.5mg or quote it: '4.5 mg'"
    for args in (["dose", "4.5", "mg"], ["took", "4.5", "mg", "--data-dir", str(tmp_path)]):
        result = cli(*args, env={"LDNCALC_HOME": None})
        assert result.exit_code == 2, result.output
        assert result.stderr == f"Error: Got unexpected extra argument(s) (mg); {hint}\n"
    # a second number is no unit: nothing to add
    other = cli("dose", "4.5", "2")
    assert other.stderr == "Error: Got unexpected extra argument(s) (2)\n"


def test_the_hour_of_the_dose_is_said_in_the_handout_and_the_schedule(tmp_path: Path) -> None:
    handout = tmp_path / "h.html"
    shown = cli("schedule", "--dose-time", "22:00", "--html", str(handout))
    assert shown.exit_code == 0, shown.output
    assert "Dose time: each day at 22:00" in shown.stdout
    assert "each day at 22:00" in handout.read_text()
    assert "at the same time each day" not in handout.read_text()
    plain = tmp_path / "plain.html"
    without = cli("schedule", "--html", str(plain))
    assert "Dose time" not in without.stdout
    assert "at the same time each day" in plain.read_text()
    # the living plan's handout says the kit's hour
    folder = tmp_path / "diary"
    started(folder)
    ok(folder, "kit", "time", "22:00")
    kept = tmp_path / "p.html"
    ok(folder, "plan", "show", "--html", str(kept))
    assert "each day at 22:00" in kept.read_text()


def test_the_review_reminders_of_a_day_to_come_name_no_note_command(tmp_path: Path) -> None:
    ok(tmp_path, "plan", "start", "--start", "1mg", "--target", "1mg", "--hold", "2w")
    review = json.loads(ok(tmp_path, "today", "--json"))["review_date"]
    assert date.fromisoformat(review) > date.today()
    shown = ok(tmp_path, "today", "--date", review)
    reminders = [line for line in shown.splitlines() if line.startswith("Reminder:")]
    assert len(reminders) == 2  # the scores and how she feels overall, on the review day
    assert "ldncalc note" not in shown
    assert run(tmp_path, "note", "--pgic", "2", "--date", review).exit_code == 2
