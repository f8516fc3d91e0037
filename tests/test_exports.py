from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from icalendar import Calendar

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.render.exports import CSV_COLUMNS, schedule_csv, schedule_markdown
from ldncalc.render.ics import schedule_ics
from ldncalc.render.jsonout import dumps, schedule_object
from ldncalc.supply import plan_batches
from ldncalc.titration import build_schedule
from tests.safe_notation import assert_safe

START = date(2027, 1, 4)
SCHEDULE = build_schedule(start_date=START)
SUPPLY = plan_batches(SCHEDULE)


def test_json_has_the_documented_shape_and_agrees_with_the_schedule() -> None:
    obj = json.loads(dumps(schedule_object(SCHEDULE, SUPPLY)))
    assert set(obj) == {
        "protocol",
        "preparation",
        "steps",
        "batches",
        "totals",
        "warnings",
        "disclaimer",
    }
    step_keys = {
        "step",
        "first_day",
        "last_day",
        "first_date",
        "last_date",
        "dose_mg",
        "volume_ml",
        "syringe_ml",
        "graduation_ml",
        "measured_volume_ml",
        "delivered_dose_mg",
    }
    assert all(step_keys <= set(s) for s in obj["steps"])
    batch_keys = {
        "batch",
        "mix_date",
        "discard_date",
        "tablets",
        "water_ml",
        "used_ml",
        "wasted_ml",
    }
    assert all(batch_keys <= set(b) for b in obj["batches"])
    assert [s["dose_mg"] for s in obj["steps"]] == [1, 2, 3, 4, 4.5]
    assert obj["steps"][4]["measured_volume_ml"] == 4.6
    assert obj["steps"][0]["first_date"] == "2027-01-04"
    assert obj["batches"][0]["discard_date"] == "2027-01-17"
    assert obj["totals"] == {"days": 84, "tablets": 8}
    assert obj["disclaimer"] == DISCLAIMER


def test_csv_has_one_row_per_day_and_agrees_with_the_steps() -> None:
    text = schedule_csv(SCHEDULE, SUPPLY)
    first, rest = text.split("\n", 1)
    assert first == f"# {DISCLAIMER}"
    rows = list(csv.DictReader(io.StringIO(rest)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == SCHEDULE.days
    for row, (day, when, step) in zip(rows, SCHEDULE.daily(), strict=True):
        assert int(row["day"]) == day
        assert row["date"] == when.isoformat()
        assert Fraction(row["dose_mg"]) == step.plan.dose_mg
        assert Fraction(row["measured_volume_ml"]) == step.plan.measurement.measured_ml
        assert Fraction(row["delivered_dose_mg"]) == step.plan.delivered_mg
    assert rows[0]["event"] == "mix batch 1"
    assert rows[13]["event"] == "last dose from batch 1"
    assert rows[14]["event"] == "mix batch 2"
    assert_safe(text.replace(",", " "))


def test_markdown_has_steps_batches_totals_and_notice() -> None:
    text = schedule_markdown(SCHEDULE, SUPPLY)
    assert "| 5 (target) | 29-84 | 2027-02-01 | 2027-03-28 | 4.5 mg | 4.6 mL |" in text
    assert "| 1 | 2027-01-04 | 2027-01-17 | 1-14 | 1 | 21 mL | 29 mL |" in text
    assert "- 84 days (2027-01-04 to 2027-03-28)" in text
    assert f"> {DISCLAIMER}" in text
    assert_safe(text)


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
        assert e["dtstamp"].dt == now
        start = e["dtstart"].dt
        assert isinstance(start, date)
        assert not isinstance(start, datetime)
        assert e["dtend"].dt == start + timedelta(days=1)
        assert "Informational only" in str(e["description"])
    summaries = {(e["dtstart"].dt, str(e["summary"])) for e in events}
    assert (date(2027, 2, 1), "LDN 4.5 mg: draw 4.6 mL") in summaries
    assert (START, "LDN: mix batch 1") in summaries
    assert (date(2027, 1, 17), "LDN: last dose from batch 1") in summaries
