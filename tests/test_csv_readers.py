"""The schedule's CSV reads whole in the readers people use: DictReader, SQLite, spreadsheets.

RFC 4180: line 1 is the header, one row per day, CRLF line ends, no comment
lines. The informational-only notice and each day's warnings travel in columns
of their own. The expected values are worked out here from the protocol's own
numbers (doses, days), not by the renderer.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from ldncalc.cli import run
from ldncalc.disclaimer import DISCLAIMER

HEADER = [
    "day",
    "date",
    "step",
    "dose_mg",
    "volume_ml",
    "liquid",
    "concentration_mg_per_ml",
    "syringe_ml",
    "graduation_ml",
    "measured_volume_ml",
    "delivered_dose_mg",
    "batch",
    "event",
    "warnings",
    "notice",
]
START = date(2027, 1, 4)
DATE = ["--start-date", START.isoformat()]
HOLD_DAYS = 56  # the default hold at the target, from its first day
# (syringe capacity, graduation) of the catalogue, in mL
CATALOGUE = [
    (Fraction("0.5"), Fraction("0.01")),
    (Fraction(1), Fraction("0.01")),
    (Fraction(3), Fraction("0.1")),
    (Fraction(5), Fraction("0.2")),
    (Fraction(10), Fraction("0.2")),
]

# name: (arguments, climb as (dose mg, days), target mg, {step: warning codes' words})
PLANS: dict[str, tuple[list[str], list[tuple[Fraction, int]], Fraction, dict[int, list[str]]]] = {
    "default": (
        [],
        [(Fraction(d), 7) for d in (1, 2, 3, 4)],
        Fraction("4.5"),
        {5: ["the nearest mark (4.6 mL) changes the dose"]},
    ),
    "diluted low doses": (
        ["--start", "0.1mg", "--step", "0.1mg", "--every", "3d", "--target", "0.5mg"],
        [(Fraction(k, 10), 3) for k in (1, 2, 3, 4)],
        Fraction("0.5"),
        {
            1: ["0.1 mg is below the usual low-dose range"],
            2: ["0.2 mg is below the usual low-dose range"],
            3: ["0.3 mg is below the usual low-dose range"],
            4: ["0.4 mg is below the usual low-dose range"],
        },
    ),
    "two warnings in a step": (
        [
            *["--start", "6mg", "--step", "1mg", "--every", "7d", "--target", "7mg"],
            *["--syringe", "5mL", "--confirm"],  # above 4.5 mg: confirmed
        ],
        [(Fraction(6), 7)],
        Fraction(7),
        {
            1: [
                "6 mg is well above the usual",
                "6 mL does not fit a 5 mL syringe in one fill",
                "with a 10 mL (0.2 mL marks) syringe this is one fill",
            ],
            2: [
                "7 mg is well above the usual",
                "7 mL does not fit a 5 mL syringe in one fill",
                "with a 10 mL (0.2 mL marks) syringe this is one fill",
            ],
        },
    ),
    "above the range": (
        ["--start", "1mg", "--step", "1mg", "--every", "7d", "--target", "6mg", "--confirm"],
        [(Fraction(d), 7) for d in (1, 2, 3, 4, 5)],
        Fraction(6),
        {5: ["5 mg is above the usual low-dose range"], 6: ["6 mg is well above"]},
    ),
    "sensitive": (
        ["ldnrt-sensitive"],
        [(Fraction(k, 2), 14) for k in range(1, 9)],
        Fraction("4.5"),
        {
            7: ["the nearest mark (3.6 mL) changes the dose"],
            9: ["the nearest mark (4.6 mL) changes the dose"],
        },
    ),
}


def csv_text(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    """Return what ``ldncalc schedule ... --format csv`` prints."""
    code = run(["schedule", *args, *DATE, "--format", "csv"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""
    return captured.out


def expected_days(name: str) -> list[tuple[int, date, int, Fraction]]:
    """Return (day, date, step, dose mg) for each day of a plan, from its climb and target."""
    _, climb, target, _ = PLANS[name]
    steps = [*climb, (target, HOLD_DAYS)]
    days = []
    day = 1
    for number, (dose, length) in enumerate(steps, start=1):
        for _ in range(length):
            days.append((day, START + timedelta(days=day - 1), number, dose))
            day += 1
    return days


def expected_measure(dose_mg: Fraction) -> tuple[Fraction, Fraction, Fraction]:
    """Return (syringe, graduation, volume to the nearest mark) at 1 mg/mL."""
    volume = dose_mg  # 1 x 50 mg in 50 mL = 1 mg/mL
    capacity, graduation = next((c, g) for c, g in CATALOGUE if c >= volume)
    marks = (volume / graduation + Fraction(1, 2)).__floor__()  # half up
    return capacity, graduation, marks * graduation


# csv.DictReader


@pytest.mark.parametrize("name", list(PLANS))
def test_dictreader_reads_every_row_whole(capsys: pytest.CaptureFixture[str], name: str) -> None:
    text = csv_text(capsys, PLANS[name][0])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == HEADER
    rows = list(reader)
    days = expected_days(name)
    assert len(rows) == len(days)
    for row, (day, when, step, dose) in zip(rows, days, strict=True):
        assert None not in row, row  # no field beyond the header
        assert None not in row.values(), row  # no field missing
        assert list(row) == HEADER
        assert (row["day"], row["date"], row["step"]) == (str(day), when.isoformat(), str(step))
        assert Fraction(row["dose_mg"]) == dose
        assert row["notice"] == DISCLAIMER


# Drawn from the stock (1 mg/mL), each on the smallest catalogue syringe that holds it.
UNDILUTED = ["default", "above the range", "sensitive"]


@pytest.mark.parametrize("name", UNDILUTED)
def test_dictreader_values_match_the_arithmetic(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(capsys, PLANS[name][0]), newline="")))
    for row in rows:
        dose = Fraction(row["dose_mg"])
        capacity, graduation, measured = expected_measure(dose)
        assert Fraction(row["volume_ml"]) == dose
        assert row["liquid"] == "stock"
        assert Fraction(row["concentration_mg_per_ml"]) == 1
        assert Fraction(row["syringe_ml"]) == capacity
        assert Fraction(row["graduation_ml"]) == graduation
        assert Fraction(row["measured_volume_ml"]) == measured
        assert Fraction(row["delivered_dose_mg"]) == measured  # 1 mg/mL
    assert rows[0]["event"] == "Mix batch 1"


@pytest.mark.parametrize("name", list(PLANS))
def test_the_warnings_are_in_their_column_on_every_day_of_their_step(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    args, _, _, warned = PLANS[name]
    rows = list(csv.DictReader(io.StringIO(csv_text(capsys, args), newline="")))
    for row in rows:
        expected = warned.get(int(row["step"]), [])
        messages = row["warnings"].split(" | ") if row["warnings"] else []
        assert len(messages) == len(expected), row
        for message, start in zip(messages, expected, strict=True):
            assert message.startswith(start), (message, start)


@pytest.mark.parametrize("name", [*UNDILUTED, "two warnings in a step"])
def test_batches_are_marked_on_their_days(capsys: pytest.CaptureFixture[str], name: str) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(capsys, PLANS[name][0]), newline="")))
    batches = [int(r["batch"]) for r in rows]
    assert batches[0] == 1
    assert batches == sorted(batches)
    assert set(batches) == set(range(1, batches[-1] + 1))
    for number in set(batches):
        days = [r for r in rows if int(r["batch"]) == number]
        assert "Mix batch " + str(number) in days[0]["event"].split("; ")
        assert "Last dose from batch " + str(number) in days[-1]["event"].split("; ")
        assert len(days) <= 14  # a batch keeps 14 days, the mixing day being day 1
        # 50 mL a bottle, of which 5 mL (10%, at least 2 mL) is kept back
        assert sum(Fraction(r["measured_volume_ml"]) for r in days) <= 45
    events = [r["event"] for r in rows if r["event"]]
    assert all(e.startswith(("Mix batch ", "Last dose from batch ")) for e in events)


def test_a_diluted_plan_says_which_bottle_each_dose_comes_from(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = list(
        csv.DictReader(io.StringIO(csv_text(capsys, PLANS["diluted low doses"][0]), newline=""))
    )
    mixed = [e for r in rows for e in r["event"].split("; ") if e.startswith("Mix batch ")]
    assert mixed[:2] == ["Mix batch 1", "Mix batch 2 (dilution of batch 1)"]
    drawn_from = {int(r["batch"]) for r in rows}
    numbers = {int(e.split()[2]) for e in mixed}
    assert drawn_from <= numbers  # every dose comes from a bottle that was mixed
    for row in rows:
        assert Fraction(row["delivered_dose_mg"]) == Fraction(row["dose_mg"])


# SQLite, as its .import does it: a table from the header, then every row.


@pytest.mark.parametrize("name", list(PLANS))
def test_sqlite_imports_every_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    target = tmp_path / "plan.csv"
    code = run(["schedule", *PLANS[name][0], *DATE, "--format", "csv", "-o", str(target)])
    assert code == 0, capsys.readouterr().err
    with target.open(newline="", encoding="utf-8") as handle:
        records = list(csv.reader(handle))
    header, body = records[0], records[1:]
    assert header == HEADER
    # .import refuses a row whose field count is not the header's ("expected 13 columns
    # but found 11"); every row here must have exactly the header's number.
    assert [len(r) for r in body] == [len(header)] * len(body)
    db = sqlite3.connect(":memory:")
    try:
        columns = ", ".join(f'"{c}" TEXT' for c in header)
        db.execute(f"CREATE TABLE plan ({columns})")
        marks = ", ".join("?" for _ in header)
        db.executemany(f"INSERT INTO plan VALUES ({marks})", body)
        days = expected_days(name)
        assert db.execute("SELECT COUNT(*) FROM plan").fetchone() == (len(days),)
        assert db.execute(
            "SELECT COUNT(DISTINCT date), MIN(date), MAX(date) FROM plan"
        ).fetchone() == (
            len(days),
            days[0][1].isoformat(),
            days[-1][1].isoformat(),
        )
        total = db.execute("SELECT SUM(CAST(dose_mg AS REAL)) FROM plan").fetchone()[0]
        assert Fraction(total) == sum(d for *_, d in days)
        per_step = db.execute(
            "SELECT CAST(step AS INTEGER), COUNT(*) FROM plan GROUP BY 1 ORDER BY 1"
        ).fetchall()
        lengths = [n for _, n in PLANS[name][1]] + [HOLD_DAYS]
        assert per_step == list(enumerate(lengths, start=1))
        notices = db.execute("SELECT DISTINCT notice FROM plan").fetchall()
        assert notices == [(DISCLAIMER,)]
        warned_days = db.execute("SELECT COUNT(*) FROM plan WHERE warnings != ''").fetchone()[0]
        warned = PLANS[name][3]
        assert warned_days == sum(lengths[step - 1] for step in warned)
    finally:
        db.close()


# A spreadsheet's import: the raw text, split by csv.reader, looked at row by row.


@pytest.mark.parametrize("name", list(PLANS))
def test_a_spreadsheet_sees_no_junk_row(capsys: pytest.CaptureFixture[str], name: str) -> None:
    text = csv_text(capsys, PLANS[name][0])
    assert not text.startswith("#")  # no comment line before the header
    assert text.endswith("\r\n")
    assert text.count("\n") == text.count("\r\n")  # CRLF everywhere (RFC 4180)
    assert text.splitlines()[0] == ",".join(HEADER)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == HEADER
    body = rows[1:]
    assert len(body) == len(expected_days(name))
    numeric = [HEADER.index(c) for c in HEADER if c.endswith(("_mg", "_ml"))]
    for number, row in enumerate(body, start=1):
        assert len(row) == len(HEADER), row
        assert row[0] == str(number)  # every row is a day, in order: no junk, no blank row
        assert date.fromisoformat(row[1])
        for i in numeric:
            value = Decimal(row[i])
            assert value > 0
            assert row[i] == str(value.normalize()) or "E" in str(value.normalize()), row[i]
        for cell in row:
            assert "\n" not in cell
            assert "\r" not in cell
            # a cell that starts like a formula would be run by a spreadsheet
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_the_file_and_stdout_are_the_same_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    printed = csv_text(capsys, [])
    target = tmp_path / "plan.csv"
    assert run(["schedule", *DATE, "--format", "csv", "-o", str(target)]) == 0
    assert capsys.readouterr().err == f"Wrote {target}\n"
    assert target.read_bytes() == printed.encode("utf-8")
