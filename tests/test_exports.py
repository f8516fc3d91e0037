from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from icalendar import Calendar

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.dose.preparation import make_preparation, plan_dose
from ldncalc.dose.syringes import Syringe
from ldncalc.plan.supply import plan_batches
from ldncalc.plan.titration import build_schedule
from ldncalc.render.exports import (
    CSV_COLUMNS,
    FORMATS,
    render_format,
    schedule_csv,
    schedule_markdown,
)
from ldncalc.render.ics import schedule_ics
from ldncalc.render.jsonout import dumps, schedule_object
from ldncalc.render.rows import (
    BatchRow,
    DoseRow,
    StepRow,
    batch_events,
    batch_rows,
    dose_row,
    draw_to_text,
    step_rows,
)
from tests.fuzzing import MEASURING_KEYS
from tests.safe_notation import assert_safe

START = date(2027, 1, 4)
SCHEDULE = build_schedule(start_date=START)
SUPPLY = plan_batches(SCHEDULE)


def ics_value(event: Any, name: str) -> Any:
    """Return the Python value of an iCalendar property (a date, a datetime)."""
    return event.decoded(name)


def test_json_has_the_documented_shape_and_agrees_with_the_schedule() -> None:
    obj = json.loads(dumps(schedule_object(SCHEDULE, SUPPLY)))
    assert set(obj) == {
        "schema",
        "protocol",
        "preparation",
        "supply",
        "steps",
        "batches",
        "totals",
        "warnings",
        "disclaimer",
    }
    assert obj["schema"] == "ldncalc.schedule/3"
    step_keys = {
        "step",
        "first_day",
        "last_day",
        "first_date",
        "last_date",
        "at_target",
        *MEASURING_KEYS,
        "liquid",  # the liquid the volume is drawn from, and its concentration
        "concentration_mg_per_ml",
    }
    assert all(set(s) == step_keys for s in obj["steps"])  # no "change" without a note
    batch_keys = {
        "batch",
        "liquid",
        "made_from",
        "mix_date",
        "discard_date",
        "last_use_date",
        "first_day",
        "last_day",
        "tablets",
        "water_ml",
        "liquid_ml",
        "reserve_ml",
        "used_ml",
        "wasted_ml",
        "dilution",
    }
    assert all(set(b) == batch_keys for b in obj["batches"])
    assert [s["dose_mg"] for s in obj["steps"]] == [1, 2, 3, 4, 4.5]
    assert obj["steps"][4]["measured_volume_ml"] == 4.6
    assert obj["steps"][4]["fills"] == 1
    # Every volume is of the stock at 1 mg/mL (50 mg in 50 mL): volume x 1 = dose.
    assert {(s["liquid"], s["concentration_mg_per_ml"]) for s in obj["steps"]} == {("stock", 1)}
    assert obj["steps"][0]["first_date"] == "2027-01-04"
    assert obj["batches"][0]["discard_date"] == "2027-01-17"
    # Each bottle keeps back a tenth (5 mL): 9 of them for the 84 days.
    assert obj["batches"][0] == {
        "batch": 1,
        "liquid": "stock",
        "made_from": None,
        "mix_date": "2027-01-04",
        "discard_date": "2027-01-17",
        "last_use_date": "2027-01-17",
        "first_day": 1,
        "last_day": 14,
        "tablets": 1,
        "water_ml": 50,
        "liquid_ml": 50,
        "reserve_ml": 5,
        "used_ml": 21,
        "wasted_ml": 29,
        "dilution": [],
    }
    assert obj["totals"] == {"days": 84, "tablets": 9, "water_ml": 450}
    assert obj["warnings"] == [
        {
            "code": "mark-changes-dose",
            "message": SCHEDULE.advisories[0][1].message,
            "step": 5,
        }
    ]
    assert obj["disclaimer"] == DISCLAIMER


def test_json_totals_carry_the_cost_when_priced() -> None:
    supply = plan_batches(SCHEDULE, tablet_price=Decimal("1.20"))
    totals = json.loads(dumps(schedule_object(SCHEDULE, supply)))["totals"]
    # 9 tablets at 1.20; a month is 365.25 / 12 days: 10.80 x 30.4375 / 84 = 3.9134.
    assert totals == {
        "days": 84,
        "tablets": 9,
        "water_ml": 450,
        "cost": 10.8,
        "cost_per_month": 3.91,
    }


def test_csv_has_the_header_first_and_one_row_per_day() -> None:
    text = schedule_csv(SCHEDULE, SUPPLY)
    lines = text.split("\r\n")
    assert lines[0] == ",".join(CSV_COLUMNS)  # RFC 4180: the header, no comment above it
    assert CSV_COLUMNS[-2:] == ("warnings", "notice")
    assert lines[-1] == ""
    assert len(lines) == 1 + SCHEDULE.days + 1
    assert "\n" not in text.replace("\r\n", "")  # CRLF everywhere, no bare LF
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == SCHEDULE.days
    for row, (day, when, step) in zip(rows, SCHEDULE.daily(), strict=True):
        assert int(row["day"]) == day
        assert row["date"] == when.isoformat()
        assert int(row["step"]) == step.number
        assert Fraction(row["dose_mg"]) == step.plan.dose_mg
        assert Fraction(row["volume_ml"]) == step.plan.volume_ml
        assert Fraction(row["syringe_ml"]) == step.plan.measurement.syringe.capacity_ml
        assert Fraction(row["graduation_ml"]) == step.plan.measurement.syringe.graduation_ml
        assert Fraction(row["measured_volume_ml"]) == step.plan.measurement.measured_ml
        assert Fraction(row["delivered_dose_mg"]) == step.plan.delivered_mg
        assert row["notice"] == DISCLAIMER
        warned = [a.message for n, a in SCHEDULE.advisories if n == step.number]
        assert row["warnings"] == " | ".join(warned)
    assert rows[0]["event"] == "Mix batch 1"
    assert rows[13]["event"] == "Last dose from batch 1"
    assert rows[14]["event"] == "Mix batch 2"
    assert rows[1]["event"] == ""
    assert [r["batch"] for r in rows[:15]] == ["1"] * 14 + ["2"]
    assert rows[28]["warnings"].startswith("the nearest mark (4.6 mL)")
    assert rows[27]["warnings"] == ""
    assert_safe(text.replace(",", " "))


def test_markdown_has_steps_batches_totals_and_notice() -> None:
    text = schedule_markdown(SCHEDULE, SUPPLY)
    assert (
        "| 5 (target) | 29-84 | 2027-02-01 | 2027-03-28 | 4.5 mg | the stock (1 mg/mL) | 4.6 mL | "
        "5 mL (0.2 mL marks) | 4.6 mg (≈+2.2%) | 4 to 5.3 mg |"
    ) in text
    assert (
        "| 1 | stock | 2027-01-04 | 2027-01-04 to 2027-01-17 | 2027-01-17 | 1 | 21 mL | 5 mL | "
        "24 mL |"
    ) in text
    assert "- 84 days (2027-01-04 to 2027-03-28)" in text
    assert "- 9 tablets and 450 mL of water in 9 batches of stock, each kept 14 days" in text
    assert "cost" not in text
    assert "- Step 5: the nearest mark (4.6 mL)" in text
    assert f"> {DISCLAIMER}" in text
    assert_safe(text)


def test_markdown_has_the_cost_line_when_priced() -> None:
    # 9 tablets at 1.20: 10.80; a month is 365.25 / 12 days: 10.80 x 30.4375 / 84 = 3.9134.
    supply = plan_batches(SCHEDULE, tablet_price=Decimal("1.20"))
    text = schedule_markdown(SCHEDULE, supply)
    assert "\n- cost 10.80 (about 3.91 a month)\n" in text


def test_every_format_is_in_the_one_table() -> None:
    assert set(FORMATS) == {"json", "csv", "markdown", "ics", "html"}
    assert render_format("csv", SCHEDULE, SUPPLY) == schedule_csv(SCHEDULE, SUPPLY)
    assert render_format("markdown", SCHEDULE, SUPPLY) == schedule_markdown(SCHEDULE, SUPPLY)
    assert json.loads(render_format("json", SCHEDULE, SUPPLY)) == json.loads(
        dumps(schedule_object(SCHEDULE, SUPPLY))
    )
    assert render_format("ics", SCHEDULE, SUPPLY).startswith("BEGIN:VCALENDAR")
    assert render_format("html", SCHEDULE, SUPPLY).startswith("<!DOCTYPE html>")


def test_ics_parses_back_with_the_expected_events() -> None:
    now = datetime(2027, 1, 1, 12, tzinfo=UTC)
    cal = Calendar.from_ical(schedule_ics(SCHEDULE, SUPPLY, now=now))
    assert str(cal["prodid"]).startswith("-//ldncalc//")
    assert str(cal["version"]) == "2.0"
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(SCHEDULE.steps) + 2 * len(SUPPLY.batches)
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    for e in events:
        assert ics_value(e, "dtstamp") == now
        start = ics_value(e, "dtstart")
        assert isinstance(start, date)
        assert not isinstance(start, datetime)
        assert ics_value(e, "dtend") == start + timedelta(days=1)
        assert "Informational only" in str(e["description"])
    summaries = {(ics_value(e, "dtstart"), str(e["summary"])) for e in events}
    assert (date(2027, 2, 1), "LDN 4.5 mg: draw 4.6 mL of the stock (1 mg/mL)") in summaries
    assert (START, "LDN: Mix batch 1") in summaries
    assert (date(2027, 1, 17), "LDN: Last dose from batch 1") in summaries


def test_batch_events_are_worded_once_for_every_renderer() -> None:
    events = batch_events(SUPPLY)
    assert events[START] == ["Mix batch 1"]
    assert events[date(2027, 1, 17)] == ["Last dose from batch 1"]
    # The same words in the CSV, the calendar and the handout.
    csv_events = {r["date"]: r["event"] for r in csv.DictReader(io.StringIO(schedule_csv(
        SCHEDULE, SUPPLY), newline=""))}  # fmt: skip
    ics = schedule_ics(SCHEDULE, SUPPLY, now=datetime(2027, 1, 1, tzinfo=UTC))
    html = render_format("html", SCHEDULE, SUPPLY)
    for when, words in events.items():
        assert csv_events[when.isoformat()] == "; ".join(words)
        for word in words:
            assert f"SUMMARY:LDN: {word}" in ics
            assert f'<span class="event">{word}</span>' in html


def test_rows_are_typed_records_in_safe_notation() -> None:
    rows = step_rows(SCHEDULE)
    assert all(isinstance(r, StepRow) for r in rows)
    last = rows[-1]
    assert (last.number, last.at_target, last.days) == (5, True, "29-84")
    assert (last.first_date, last.last_date) == ("2027-02-01", "2027-03-28")
    assert last.dose == DoseRow(
        "4.5 mg",
        "4.5 mL",
        "5 mL (0.2 mL marks)",
        "4.6 mL",
        "4.6 mg (≈+2.2%)",
        "4 to 5.3 mg",
        "the stock (1 mg/mL)",
    )
    assert last.note is None
    first = batch_rows(SUPPLY)[0]
    assert isinstance(first, BatchRow)
    assert first == BatchRow(
        1,
        "stock",
        "2027-01-04",
        "2027-01-04",
        "2027-01-17",
        "2027-01-17",
        "1",
        "50 mL",
        "21 mL",
        "5 mL",
        "24 mL",  # 50 mL less 21 mL used and 5 mL kept back
    )


@pytest.mark.parametrize(
    ("dose", "water", "syringe", "draw"),
    [
        ("4.5 mg", "50 mL", None, "4.6 mL"),
        # 4.5 mL is exactly nine full 0.5 mL syringes (not "8 x 0.5 mL + 0.5 mL").
        ("4.5 mg", "50 mL", Syringe(Fraction(1, 2), Fraction(1, 100)), "9 x 0.5 mL"),
        # 22.5 mL snaps to 22.6 mL on the 10 mL syringe's 0.2 mL marks: 10 + 10 + 2.6.
        ("4.5 mg", "250 mL", None, "2 x 10 mL + 2.6 mL"),
        # 20 mL is two full 10 mL syringes.
        ("4 mg", "250 mL", None, "2 x 10 mL"),
    ],
)
def test_draw_to_names_the_fills(dose: str, water: str, syringe: Syringe | None, draw: str) -> None:
    plan = plan_dose(dose, make_preparation(water_ml=water), syringe)
    assert draw_to_text(plan) == draw
    assert dose_row(plan).draw_to == draw
