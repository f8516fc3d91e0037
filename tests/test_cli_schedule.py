from __future__ import annotations

import csv
import io
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from icalendar import Calendar

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.plan.titration import protocols
from ldncalc.render.exports import CSV_COLUMNS
from tests.fuzzing import CliResult, cli
from tests.safe_notation import assert_safe

DATE = ["--start-date", "2027-01-04"]


def invoke(*args: str, width: int = 120) -> CliResult:
    return cli(*args, width=width)


def one_line(text: str) -> str:
    return " ".join(text.split())


def error_message(result: CliResult, *, as_json: bool = False) -> str:
    """Return the message of the one error printed: an Error: line, or JSON under --json."""
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    if as_json:
        error = json.loads(lines[0])["error"]
        assert set(error) == {"code", "message"}
        message: str = error["message"]
        return message
    assert lines[0].startswith("Error: "), lines[0]
    return lines[0].removeprefix("Error: ")


def test_default_schedule_says_which_protocol_and_has_steps_batches_totals() -> None:
    result = invoke("schedule", *DATE)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Protocol: LDN Research Trust: 1 mg, up 1 mg a week (ldnrt-weekly)" in out
    assert "2027-02-01" in out
    assert "2027-03-28" in out
    assert out.index("Steps") < out.index("Batches") < out.index("Totals")
    assert one_line(out).endswith(one_line(DISCLAIMER))
    assert "84 days (2027-01-04 to 2027-03-28)" in one_line(out)
    # A batch keeps back 5 mL (a tenth): from day 29, 4.6 mL a day empties one in 9 days.
    assert "9 tablets and 450 mL of water in 9 batches of stock, each kept 14 days" in (
        one_line(out)
    )
    assert "cost" not in one_line(out)  # no price, no cost line
    assert "try a preparation from: ldncalc mix" in out
    assert_safe(out)


def test_default_start_date_is_today() -> None:
    obj = json.loads(invoke("schedule", "--json").stdout)
    assert obj["steps"][0]["first_date"] == date.today().isoformat()


@pytest.mark.parametrize("protocol_id", [p.id for p in protocols()])
def test_each_protocol_schedules(protocol_id: str) -> None:
    result = invoke("schedule", protocol_id, *DATE)
    assert result.exit_code == 0, result.output
    assert f"({protocol_id})" in result.stdout
    obj = json.loads(invoke("schedule", protocol_id, *DATE, "--json").stdout)
    assert obj["schema"] == "ldncalc.schedule/3"
    assert obj["protocol"]["id"] == protocol_id
    assert obj["steps"][-1]["dose_mg"] == 4.5


def test_custom_schedule() -> None:
    result = invoke(
        "schedule",
        "--start",
        "1mg",
        "--step",
        "1mg",
        "--every",
        "7d",
        "--target",
        "4.5mg",
        "--hold",
        "2 weeks",
        *DATE,
        "--json",
    )
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert [s["dose_mg"] for s in obj["steps"]] == [1, 2, 3, 4, 4.5]
    assert [s["at_target"] for s in obj["steps"]] == [False] * 4 + [True]
    assert obj["totals"]["days"] == 28 + 14
    assert obj["protocol"]["id"] == "custom"
    assert obj["protocol"]["hold_days"] == 14


def test_a_constant_schedule_needs_no_step() -> None:
    result = invoke("schedule", "--start", "3mg", "--target", "3mg", *DATE, "--json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert obj["protocol"]["climb"] == []
    assert obj["protocol"]["target_mg"] == 3
    [step] = obj["steps"]
    assert (step["dose_mg"], step["measured_volume_ml"], step["at_target"]) == (3, 3, True)
    assert (step["first_date"], step["last_date"]) == ("2027-01-04", "2027-02-28")  # 8 weeks
    assert obj["totals"]["days"] == 56
    text = invoke("schedule", "--start", "3mg", "--target", "3mg", "--hold", "10d", *DATE)
    assert text.exit_code == 0, text.output
    assert "10 days (2027-01-04 to 2027-01-13)" in one_line(text.stdout)


def test_json_warnings_are_objects_with_their_step() -> None:
    obj = json.loads(invoke("schedule", *DATE, "--json").stdout)
    # Only 4.5 mg (4.5 mL, between the 0.2 mL marks of the 5 mL syringe) is off a mark.
    [warning] = obj["warnings"]
    assert set(warning) == {"code", "message", "step"}
    assert (warning["code"], warning["step"]) == ("mark-changes-dose", 5)
    assert set(obj["preparation"]) == {
        "tablets",
        "strength_mg",
        "water_ml",
        "concentration_mg_per_ml",
    }
    assert obj["supply"] == {"keep_days": 14, "reserve_ml": 5}


def test_cost_and_keep() -> None:
    result = invoke("schedule", *DATE, "--tablet-price", "1.20", "--keep", "28d", "--json")
    obj = json.loads(result.stdout)
    assert obj["supply"]["keep_days"] == 28
    assert obj["batches"][0]["discard_date"] == "2027-01-31"
    tablets = obj["totals"]["tablets"]
    assert Fraction(repr(obj["totals"]["cost"])) == tablets * Fraction("1.20")
    # The average month is 365.25 / 12 days; rounded half up to the cent.
    per_month = tablets * Fraction("1.20") * Fraction("30.4375") / obj["totals"]["days"]
    assert abs(Fraction(repr(obj["totals"]["cost_per_month"])) - per_month) <= Fraction(1, 200)


def test_the_cost_line_in_the_terminal_and_in_markdown() -> None:
    # 9 tablets at 1.20 = 10.80; 10.80 x 30.4375 / 84 days = 3.9134 a month.
    text = invoke("schedule", *DATE, "--tablet-price", "1.20")
    assert text.exit_code == 0, text.output
    assert (
        "Totals: 84 days (2027-01-04 to 2027-03-28); 9 tablets and 450 mL of water in 9 "
        "batches of stock, each kept 14 days; cost 10.80 (about 3.91 a month)"
    ) in one_line(text.stdout)
    markdown = invoke("schedule", *DATE, "--tablet-price", "1.20", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert "\n- cost 10.80 (about 3.91 a month)\n" in markdown.stdout


def test_csv_and_markdown_to_stdout() -> None:
    result = invoke("schedule", *DATE, "--format", "csv")
    assert result.exit_code == 0, result.output
    text = result.stdout
    lines = text.split("\r\n")
    assert lines[0] == ",".join(CSV_COLUMNS)  # the header is line 1
    assert lines[-1] == ""  # every line, the last included, ends in CRLF
    assert "\n" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 84
    assert all(row["notice"] == DISCLAIMER for row in rows)
    md = invoke("schedule", *DATE, "--format", "markdown").stdout
    assert md.startswith("# LDN schedule:")
    assert invoke("schedule", *DATE, "-f", "markdown").stdout == md


def test_json_is_the_same_by_format_or_by_flag() -> None:
    by_flag = invoke("schedule", *DATE, "--json")
    by_format = invoke("schedule", *DATE, "--format", "json")
    both = invoke("schedule", *DATE, "--format", "json", "--json")
    assert by_flag.exit_code == by_format.exit_code == both.exit_code == 0
    assert by_flag.stdout == by_format.stdout == both.stdout
    assert json.loads(by_flag.stdout)["schema"] == "ldncalc.schedule/3"


def test_output_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    result = invoke("schedule", *DATE, "--json", "-o", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text())["totals"]["days"] == 84
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target}\n"
    target.write_text("mine")
    again = invoke("schedule", *DATE, "--json", "-o", str(target))
    assert again.exit_code == 1
    error = json.loads(again.stderr)["error"]  # --json: errors are JSON too
    assert error["code"] == "output-exists"
    assert str(target) in error["message"]
    assert error["message"].endswith("; add --force to replace it")
    assert target.read_text() == "mine"
    plain = invoke("schedule", *DATE, "--format", "csv", "-o", str(target))
    assert plain.exit_code == 1
    message = error_message(plain)
    assert str(target) in message
    assert "exists" in message
    assert message.endswith("; add --force to replace it")
    assert target.read_text() == "mine"
    forced = invoke("schedule", *DATE, "--json", "-o", str(target), "--force")
    assert forced.exit_code == 0
    assert json.loads(target.read_text())["totals"]["days"] == 84


def test_output_without_format_writes_markdown(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    assert invoke("schedule", *DATE, "-o", str(target)).exit_code == 0
    assert target.read_text().startswith("# LDN schedule:")


def test_ics_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    result = invoke("schedule", *DATE, "--ics", str(target))
    assert result.exit_code == 0
    assert "Steps" in result.stdout  # the table still prints
    cal = Calendar.from_ical(target.read_text())
    assert len(list(cal.walk("VEVENT"))) == 5 + 2 * 9  # the steps; mixing and last dose


def test_ics_to_stdout_is_the_only_stdout() -> None:
    result = invoke("schedule", *DATE, "--ics", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("BEGIN:VCALENDAR")
    assert "Steps" not in result.stdout


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "x.csv"
    result = invoke("schedule", *DATE, "--format", "csv", "-o", str(missing))
    assert result.exit_code == 1
    message = error_message(result)
    assert message.startswith(f"cannot write {missing}")
    assert not missing.parent.exists()


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["--start-date", "2027-02-30"], 2, "is not a date: there is no day 30 in February 2027"),
        (["--start-date", "tomorrow"], 2, "write YYYY-MM-DD"),
        (["--start-date", "9999-12-01"], 2, "would run past the calendar"),
        (["--start-date", "9999-12-31", "--start", "3mg", "--target", "3mg", "--hold", "1d"], 2,
         "would run past the calendar"),
        (["nope"], 2, "no protocol 'nope'"),
        (["ldnno-ms", "--start", "1mg"], 2, "not both; see 'ldncalc protocols'"),
        (["--start", "1mg"], 2, "a schedule that climbs needs a step and the time between steps"),
        (["--start", "1mg", "--step", "1mg"], 2, "give --start, and --step and --every unless"),
        (["--start", "1mg", "--every", "7d"], 2, "needs a step and the time between steps"),
        (["--step", "1mg", "--every", "7d"], 2, "a schedule of your own needs its first dose"),
        (["--start", "5mg", "--step", "1mg", "--every", "7d"], 2, "above the target"),
        (["--start", "1mg", "--step", "0.001mg", "--every", "7d"], 1, "more than two years"),
        (["--start", "1mg", "--step", "1mg", "--every", "1.5d"], 2, "whole number of days"),
        (["--start", "1mg", "--step", "1mg", "--every", "7 mg"], 2, "is a dose"),
        (["--start", "1/2mg", "--step", "1mg", "--every", "7d"], 2, "decimal number (0.5"),
        (["--hold", "0d"], 2, "zero"),
        (["--hold", "4000d"], 2, "1 to 3653"),
        (["--keep", "120d"], 2, "kept 1 to 90 days"),
        (["--tablet-price", "1,20"], 2, "decimal point"),
        (["--tablets", "1.5"], 2, "--tablets takes a whole number such as 2, not '1.5'"),
        (["--format", "xml"], 2, "'xml' is not one of 'json', 'csv', 'markdown'"),
        (["--format", "csv", "--ics", "-"], 2, "only one output can go to stdout"),
        (["--start", "0.0009mg", "--step", "1mg", "--every", "7d"], 1, "ultra-low dose"),
        (["--syringe", "3mL:0.6mL", "--start", "1mg", "--target", "1mg"], 1,
         "changes 1 mg by +20%, more than 10%"),
    ],
)  # fmt: skip
def test_schedule_errors(args: list[str], code: int, fragment: str) -> None:
    full = args if "--start-date" in args else [*args, *DATE]
    result = invoke("schedule", *full)
    assert result.exit_code == code, result.output
    assert fragment in error_message(result)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--json", "--format", "csv"], "--json and --format csv|markdown ask for two formats"),
        (["--format", "markdown", "--json"], "ask for two formats; give one"),
        (["--json", "--html", "-"], "only one output can go to stdout: --html, --output"),
    ],
)
def test_schedule_usage_errors_under_json_are_json(args: list[str], fragment: str) -> None:
    result = invoke("schedule", *args, *DATE)
    assert result.exit_code == 2, result.output
    assert fragment in error_message(result, as_json=True)


@pytest.mark.parametrize(
    "args",
    [
        ["--start-date", "9999-12-01"],
        ["--start-date", "9999-12-31"],
        # The plan fits the calendar, but its batch would be kept past it.
        ["--start-date", "9999-12-20", "--start", "3mg", "--target", "3mg", "--hold", "7d"],
        ["--start-date", "9999-12-30", "--start", "3mg", "--target", "3mg", "--hold", "1d"],
    ],
)
def test_dates_past_the_calendar_are_a_usage_error(args: list[str]) -> None:
    result = invoke("schedule", *args)
    assert result.exit_code == 2, result.output
    message = error_message(result)
    assert "internal error" not in message
    assert "calendar" in message


def test_a_schedule_with_a_diluted_first_step() -> None:
    # 4 mcg a day at first: drawn from a dilution of the stock; then from the stock.
    args = ["--start", "4mcg", "--step", "1mg", "--every", "7d", "--target", "1.004mg"]
    result = invoke("schedule", *args, *DATE, "--json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    first, last = obj["steps"]
    assert (first["dose_mg"], first["delivered_dose_mg"]) == (0.004, 0.004)
    assert len(first["dilution"]) in (1, 2)
    assert last["dilution"] == []
    liquids = [b["liquid"] for b in obj["batches"]]
    assert liquids[0] == "stock"
    assert any(liquid.startswith("dilution") for liquid in liquids)
    text = invoke("schedule", *args, *DATE)
    assert "Steps at 4 mcg draw from a dilution of the stock:" in text.stdout
    assert "Dilution 1: take " in text.stdout
    assert_safe(text.stdout)


def test_protocols_lists_all_with_sources() -> None:
    result = invoke("protocols")
    assert result.exit_code == 0
    for p in protocols():
        assert p.id in result.stdout
        assert one_line(p.source) in one_line(result.stdout)
    assert one_line(DISCLAIMER) in one_line(result.stdout)


def test_protocols_shows_one() -> None:
    result = invoke("protocols", "ldnno-ms")
    assert result.exit_code == 0
    assert "28 days" in result.stdout
    assert "held (--hold)" in result.stdout
    obj = json.loads(invoke("protocols", "ldnno-ms", "--json").stdout)
    assert obj["schema"] == "ldncalc.protocols/2"
    assert obj["protocols"][0]["climb"] == [
        {"dose_mg": 1.5, "days": 28},
        {"dose_mg": 3, "days": 28},
    ]


def test_unknown_protocol() -> None:
    result = invoke("protocols", "nope")
    assert result.exit_code == 2
    assert error_message(result).startswith("no protocol 'nope'; choose one of: ldnrt-weekly")


@pytest.mark.parametrize("width", [40, 60, 80, 200])
def test_schedule_numbers_and_dates_stay_whole(width: int) -> None:
    out = invoke("schedule", *DATE, width=width).stdout
    assert "…" not in out
    for token in ["2027-01-04", "2027-03-28", "4.5 mg", "4.6 mL", "4.6 mg", "41.4 mL", "3.6 mL"]:
        assert token in out, (width, token)
    assert_safe(out)


def test_the_step_table_fits_80_columns_as_a_table() -> None:
    out = invoke("schedule", *DATE, width=80).stdout
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("Step "))
    assert header.split() == ["Step", "Days", "Dates", "Dose", "Draw", "to", "Syringe", "Delivers"]
    assert max(len(line.rstrip()) for line in lines) <= 80
    row = next(line for line in lines if line.startswith("5 "))
    assert row.split() == [
        "5",
        "29-84",
        "2027-02-01",
        "4.5",
        "mg",
        "4.6",
        "mL",
        "of",
        "5",
        "mL",
        "4.6",
        "mg",
    ]


HINT = "; add --confirm if it is really meant"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--start", "1mg", "--step", "44mg", "--every", "1d", "--target", "45mg"],
            "the target 45 mg is above the usual low-dose range (up to 4.5 mg); check it "
            "with the prescriber",
        ),
        (
            ["--start", "1mg", "--step", "2mg", "--every", "7d", "--target", "3mg"],
            "the plan rises 2 mg in one step (1 mg to 3 mg), more than the usual step (up to "
            "1.5 mg); check it with the prescriber",
        ),
    ],
)
def test_a_schedule_beyond_the_soft_limits_needs_confirm(args: list[str], message: str) -> None:
    # Issue 23 section 11: a soft stop, as for a tenfold slip.
    result = invoke("schedule", *args, *DATE)
    assert result.exit_code == 1
    assert error_message(result) == message + HINT
    result = invoke("schedule", *args, *DATE, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stderr)["error"] == {"code": "soft-limit", "message": message + HINT}
    confirmed = invoke("schedule", *args, *DATE, "--confirm", "--json")
    assert confirmed.exit_code == 0, confirmed.stderr
    assert json.loads(confirmed.stdout)["steps"][-1]["dose_mg"] in (45, 3)


def test_a_schedule_at_the_soft_limits_needs_no_confirm() -> None:
    # 1.5 mg steps to 4.5 mg: at the limits, not above them (LDNno's general protocol)
    result = invoke("schedule", "--start", "1.5mg", "--step", "1.5mg", "--every", "14d", *DATE)
    assert result.exit_code == 0, result.stderr


def test_a_narrow_terminal_stacks_each_steps_dates_with_to() -> None:
    # A trial read "Dates: 2026-09-01 2026-09-14" on a 50-column terminal.
    lines = invoke("schedule", *DATE, width=50).stdout.splitlines()
    dates = [line for line in lines if line.startswith("Dates:")]
    assert dates[:2] == [
        "Dates:    2027-01-04 to 2027-01-10",
        "Dates:    2027-01-11 to 2027-01-17",
    ]
    assert len(dates) == 5  # ldnrt-weekly: four weekly steps and the target
    wide = invoke("schedule", *DATE, width=100).stdout
    assert " to 2027-01-10" not in wide  # the table keeps its two lines


def test_a_batchs_used_kept_back_and_left_over_make_the_bottle() -> None:
    # A trial read "Used 21 mL / Kept back 5 mL / Left over 29 mL" for a 50 mL
    # bottle: left over counted the kept back again.
    lines = invoke("schedule", *DATE, width=50).stdout.splitlines()

    def amounts(label: str) -> list[Fraction]:
        found = [line.split(":", 1)[1].strip() for line in lines if line.startswith(label + ":")]
        return [Fraction(text.removesuffix(" mL")) for text in found]

    used, kept, left = amounts("Used"), amounts("Kept back"), amounts("Left over")
    assert len(used) == len(kept) == len(left) == 9  # nine 50 mL bottles of stock
    assert used[0] == 21  # 7 x 1 mg + 7 x 2 mg, at 1 mg/mL
    assert kept[0] == 5  # a tenth of the water, at least 2 mL
    for row in zip(used, kept, left, strict=True):
        assert sum(row) == 50, row
