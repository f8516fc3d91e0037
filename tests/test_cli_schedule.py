from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from ldncalc.cli import app
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.titration import protocols
from tests.safe_notation import assert_safe

runner = CliRunner()
DATE = ["--start-date", "2027-01-04"]


def invoke(*args: str, width: int = 120):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env={"COLUMNS": str(width), "NO_COLOR": "1"})


def one_line(text: str) -> str:
    return " ".join(text.split())


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
    assert obj["totals"]["days"] == 28 + 14


def test_cost_and_keep() -> None:
    obj = json.loads(
        invoke("schedule", *DATE, "--tablet-price", "1.20", "--keep", "28d", "--json").stdout
    )
    assert obj["preparation"]["keep_days"] == 28
    assert obj["batches"][0]["discard_date"] == "2027-01-31"
    assert obj["totals"]["cost"] == obj["totals"]["tablets"] * 1.2


def test_csv_and_markdown_to_stdout() -> None:
    text = invoke("schedule", *DATE, "--csv").stdout
    rows = list(csv.DictReader(io.StringIO(text.split("\n", 1)[1])))
    assert len(rows) == 84
    md = invoke("schedule", *DATE, "--markdown").stdout
    assert md.startswith("# LDN schedule:")


def test_output_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    result = invoke("schedule", *DATE, "--json", "-o", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text())["totals"]["days"] == 84
    assert result.stdout == ""
    target.write_text("mine")
    again = invoke("schedule", *DATE, "--json", "-o", str(target))
    assert again.exit_code == 1
    assert again.stderr.strip() == f"Error: {target} exists; add --force to replace it"
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
    assert len(list(cal.walk("VEVENT"))) == 5 + 2 * 8


def test_ics_to_stdout_is_the_only_stdout() -> None:
    result = invoke("schedule", *DATE, "--ics", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("BEGIN:VCALENDAR")
    assert "Steps" not in result.stdout


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    result = invoke("schedule", *DATE, "--csv", "-o", str(tmp_path / "missing" / "x.csv"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["--start-date", "2027-02-30"], 2, "is not a date: day is out of range"),
        (["--start-date", "tomorrow"], 2, "write YYYY-MM-DD"),
        (["nope"], 2, "no protocol 'nope'"),
        (["ldnno-ms", "--start", "1mg"], 2, "not both"),
        (["--start", "1mg"], 2, "needs --start, --step and --every"),
        (["--start", "5mg", "--step", "1mg", "--every", "7d"], 2, "above the target"),
        (["--start", "1mg", "--step", "0.001mg", "--every", "7d"], 1, "more than two years"),
        (["--start", "1mg", "--step", "1mg", "--every", "1.5d"], 2, "whole number of days"),
        (["--start", "1mg", "--step", "1mg", "--every", "7 mg"], 2, "is a dose"),
        (["--hold", "0d"], 2, "zero"),
        (["--keep", "120d"], 2, "kept 1 to 90 days"),
        (["--tablet-price", "1,20"], 2, "decimal point"),
        (["--json", "--csv"], 2, "choose one of"),
        (["--start", "0.004mg", "--step", "1mg", "--every", "7d"], 1, "times more dilute"),
    ],
)
def test_schedule_errors(args: list[str], code: int, fragment: str) -> None:
    full = args if "--start-date" in args else [*args, *DATE]
    result = invoke("schedule", *full)
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: ")
    assert fragment in lines[0]


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
    assert obj["protocols"][0]["climb"] == [
        {"dose_mg": 1.5, "days": 28},
        {"dose_mg": 3, "days": 28},
    ]


def test_unknown_protocol() -> None:
    result = invoke("protocols", "nope")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no protocol 'nope'")


@pytest.mark.parametrize("width", [40, 60, 80, 200])
def test_schedule_numbers_and_dates_stay_whole(width: int) -> None:
    out = invoke("schedule", *DATE, width=width).stdout
    assert "…" not in out
    for token in ["2027-01-04", "2027-03-28", "4.5 mg", "4.6 mL", "4.6 mg", "29 mL", "22.4 mL"]:
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
        "5",
        "mL",
        "4.6",
        "mg",
    ]
