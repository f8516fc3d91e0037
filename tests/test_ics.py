"""The schedule's iCalendar file: stable event UIDs, and SEQUENCE so calendars update.

Importing a re-dated plan must move its events, not double them: a UID names
the plan (protocol and preparation) and the event, never the dates, and a later
file carries a larger SEQUENCE. Files are parsed with ``icalendar``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar, Event

from ldncalc._version import __version__
from ldncalc.cli import run
from ldncalc.plan.supply import plan_batches
from ldncalc.plan.titration import build_schedule, get_protocol
from ldncalc.render.ics import schedule_ics

START = date(2027, 1, 4)
LATER = date(2027, 3, 1)
# The default plan's draw each day at 1 mg/mL, on the catalogue's marks: 1 mg to 4 mg a
# week each, then 4.5 mg (4.6 mL on 0.2 mL marks) for 56 days.
DRAWS = [Fraction(d) for d in (1, 2, 3, 4) for _ in range(7)] + [Fraction("4.6")] * 56


def ics_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> Calendar:
    """Run ``ldncalc schedule ARGS --ics FILE``; return the parsed calendar."""
    target = tmp_path / f"plan-{len(list(tmp_path.iterdir()))}.ics"
    code = run(["schedule", *args, "--ics", str(target)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"Wrote {target}" in captured.err
    calendar = Calendar.from_ical(target.read_bytes())
    assert isinstance(calendar, Calendar)
    return calendar


def events(calendar: Calendar) -> list[Event]:
    found = [c for c in calendar.walk("VEVENT") if isinstance(c, Event)]
    assert found
    return found


def by_uid(calendar: Calendar) -> dict[str, Event]:
    found = {str(e["UID"]): e for e in events(calendar)}
    assert len(found) == len(events(calendar)), "a UID is used twice in one file"
    return found


def day_of(event: Event, name: str = "DTSTART") -> date:
    value = event.decoded(name)
    assert isinstance(value, date)
    assert not isinstance(value, datetime), "events are all-day"
    return value


def test_every_event_has_uid_sequence_and_stamp_and_the_calendar_a_prodid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    calendar = ics_file(capsys, tmp_path, "--start-date", START.isoformat())
    assert str(calendar["PRODID"]) == f"-//ldncalc//ldncalc {__version__}//EN"
    assert str(calendar["VERSION"]) == "2.0"
    found = events(calendar)
    # 5 steps, and a mixing and a last-dose event for each bottle
    assert len(stock_batches(DRAWS)) == 9
    assert len(found) == 5 + 2 * 9
    stamps = set()
    sequences = set()
    for event in found:
        for prop in ("UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert prop in event, (prop, event.get("SUMMARY"))
        assert str(event["UID"]).endswith("@ldncalc")
        sequence = event.decoded("SEQUENCE")
        assert isinstance(sequence, int)
        assert sequence >= 0
        sequences.add(sequence)
        stamp = event.decoded("DTSTAMP")
        assert isinstance(stamp, datetime)
        assert stamp.utcoffset() == timedelta(0)  # DTSTAMP is in UTC
        stamps.add(stamp)
        assert day_of(event, "DTEND") == day_of(event) + timedelta(days=1)
    assert len(stamps) == len(sequences) == 1  # one file, one generation
    assert len(by_uid(calendar)) == len(found)


def test_events_fall_on_the_plans_days(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    calendar = ics_file(capsys, tmp_path, "--start-date", START.isoformat())
    days = {str(e["SUMMARY"]): (day_of(e) - START).days + 1 for e in events(calendar)}
    # 1 mg, 2 mg, 3 mg, 4 mg for a week each, then 4.5 mg (4.6 mL on the 0.2 mL marks)
    assert days["LDN 1 mg: draw 1 mL of the stock (1 mg/mL)"] == 1
    assert days["LDN 2 mg: draw 2 mL of the stock (1 mg/mL)"] == 8
    assert days["LDN 3 mg: draw 3 mL of the stock (1 mg/mL)"] == 15
    assert days["LDN 4 mg: draw 4 mL of the stock (1 mg/mL)"] == 22
    assert days["LDN 4.5 mg: draw 4.6 mL of the stock (1 mg/mL)"] == 29
    for number, (mix, last) in enumerate(stock_batches(DRAWS), start=1):
        assert days[f"LDN: Mix batch {number}"] == mix
        assert days[f"LDN: Last dose from batch {number}"] == last
    assert f"LDN: Mix batch {number + 1}" not in days


def stock_batches(
    draws_ml: list[Fraction], water_ml: Fraction = Fraction(50), keep_days: int = 14
) -> list[tuple[int, int]]:
    """Return (first day, last day) of each bottle: a new one when the next draw would
    dip into the reserve (10% of the water, at least 2 mL) or the bottle is too old."""
    usable = water_ml - max(water_ml / 10, Fraction(2))
    found: list[tuple[int, int]] = []
    first, used = 1, Fraction(0)
    for day, draw in enumerate(draws_ml, start=1):
        if day - first >= keep_days or used + draw > usable:
            found.append((first, day - 1))
            first, used = day, Fraction(0)
        used += draw
    found.append((first, len(draws_ml)))
    return found


def test_the_batch_oracle_on_a_hand_worked_case() -> None:
    # 45 mL usable: 1 mL a day lasts the 14 days; 10 mL a day, four days.
    assert stock_batches([Fraction(1)] * 20) == [(1, 14), (15, 20)]
    assert stock_batches([Fraction(10)] * 9) == [(1, 4), (5, 8), (9, 9)]


@pytest.mark.parametrize(
    "plan",
    [
        [],
        ["ldnno-ms"],
        ["--start", "1mg", "--step", "0.5mg", "--every", "2w", "--target", "3mg"],
        ["--tablets", "2", "--water", "100mL"],
        ["--start", "0.1mg", "--step", "0.1mg", "--every", "3d", "--target", "0.5mg"],
    ],
)
def test_a_re_dated_plan_keeps_its_uids_and_moves_its_events(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, plan: list[str]
) -> None:
    first = by_uid(ics_file(capsys, tmp_path, *plan, "--start-date", START.isoformat()))
    moved = by_uid(ics_file(capsys, tmp_path, *plan, "--start-date", LATER.isoformat()))
    assert list(moved) == list(first)
    shift = LATER - START
    for uid, event in first.items():
        again = moved[uid]
        assert day_of(again) == day_of(event) + shift, uid
        assert day_of(again, "DTEND") == day_of(event, "DTEND") + shift, uid
        assert str(again["SUMMARY"]) == str(event["SUMMARY"])


def test_a_price_does_not_change_the_plans_identity(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    plain = by_uid(ics_file(capsys, tmp_path, "--start-date", START.isoformat()))
    priced = by_uid(
        ics_file(capsys, tmp_path, "--start-date", START.isoformat(), "--tablet-price", "1.20")
    )
    assert list(priced) == list(plain)


OTHERS = {
    "another protocol": ["ldnno-ms"],
    "another climb": ["--start", "1mg", "--step", "0.5mg", "--every", "1w"],
    "the same climb, another target": [
        "--start",
        "1mg",
        "--step",
        "1mg",
        "--every",
        "1w",
        "--target",
        "4mg",
    ],
    "more water": ["--water", "100mL"],
    "two tablets": ["--tablets", "2", "--water", "100mL"],
    "another strength": ["--tablets", "10", "--strength", "4.5mg", "--water", "45mL"],
}


@pytest.mark.parametrize("other", list(OTHERS))
def test_a_different_plan_has_different_uids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, other: str
) -> None:
    default = by_uid(ics_file(capsys, tmp_path, "--start-date", START.isoformat()))
    changed = by_uid(ics_file(capsys, tmp_path, *OTHERS[other], "--start-date", START.isoformat()))
    assert not set(default) & set(changed)


def test_the_default_plan_and_the_same_plan_spelled_out_are_one_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    default = by_uid(ics_file(capsys, tmp_path, "--start-date", START.isoformat()))
    named = by_uid(ics_file(capsys, tmp_path, "ldnrt-weekly", "--start-date", START.isoformat()))
    spelled = by_uid(
        ics_file(
            capsys,
            tmp_path,
            "ldnrt-weekly",
            "--tablets",
            "1",
            "--strength",
            "50mg",
            "--water",
            "50mL",
            "--start-date",
            START.isoformat(),
        )
    )
    assert list(named) == list(default) == list(spelled)


def _generate(now: datetime, start: date = START) -> Calendar:
    schedule = build_schedule(get_protocol("ldnrt-weekly"), start_date=start)
    calendar = Calendar.from_ical(schedule_ics(schedule, plan_batches(schedule), now=now))
    assert isinstance(calendar, Calendar)
    return calendar


def _sequence(calendar: Calendar) -> int:
    found = {e.decoded("SEQUENCE") for e in events(calendar)}
    assert len(found) == 1
    value = found.pop()
    assert isinstance(value, int)
    return value


@pytest.mark.parametrize(
    "later",
    [timedelta(minutes=1), timedelta(hours=1), timedelta(days=1), timedelta(days=3650)],
)
def test_a_later_generation_has_a_larger_sequence(later: timedelta) -> None:
    now = datetime(2027, 1, 3, 21, 15, tzinfo=UTC)
    first = _generate(now)
    second = _generate(now + later, start=LATER)
    assert _sequence(second) > _sequence(first)
    assert list(by_uid(second)) == list(by_uid(first))
    stamps = {e.decoded("DTSTAMP") for e in events(second)}
    assert stamps == {now + later}


def test_dtstamp_is_the_generation_time_in_utc() -> None:
    here = timezone(timedelta(hours=-5))
    now = datetime(2027, 1, 3, 18, 30, 45, 123456, tzinfo=here)
    calendar = _generate(now)
    stamps = {e.decoded("DTSTAMP") for e in events(calendar)}
    assert stamps == {datetime(2027, 1, 3, 23, 30, 45, tzinfo=UTC)}
    same_instant = _generate(now.astimezone(UTC))
    assert _sequence(same_instant) == _sequence(calendar)


def test_the_file_round_trips_through_icalendar(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    calendar = ics_file(capsys, tmp_path, "--start-date", START.isoformat())
    again = Calendar.from_ical(calendar.to_ical())
    assert isinstance(again, Calendar)
    assert list(by_uid(again)) == list(by_uid(calendar))


# The hour of the dose (issue 26, item 5): daily dose events at that hour, in
# floating local time, with reminders; without an hour the file is as above.

EVENING = "22:00"


def dose_days(event: Event) -> list[date]:
    """Expand a daily dose event (DTSTART and RRULE FREQ=DAILY;COUNT=n) into its days."""
    rule: Any = event["RRULE"]
    parts = dict(part.split("=") for part in rule.to_ical().decode().split(";"))
    assert set(parts) == {"FREQ", "COUNT"}, "a daily count, no end date in any zone"
    assert parts["FREQ"] == "DAILY"
    start = event.decoded("DTSTART")
    assert isinstance(start, datetime)
    return [start.date() + timedelta(days=n) for n in range(int(parts["COUNT"]))]


@pytest.mark.parametrize(
    "plan",
    [
        [],
        ["--start", "0.1mg", "--step", "0.1mg", "--every", "3d", "--target", "0.5mg"],
        ["ldnno-ms"],
    ],
)
def test_each_day_of_the_plan_has_one_dose_event_at_the_hour_with_a_reminder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, plan: list[str]
) -> None:
    calendar = ics_file(
        capsys, tmp_path, *plan, "--start-date", START.isoformat(), "--dose-time", EVENING
    )
    steps = {
        str(e["UID"]).split("-step-")[1]: e for e in events(calendar) if "-step-" in str(e["UID"])
    }
    doses = [e for e in events(calendar) if "-dose-" in str(e["UID"])]
    assert len(doses) == len(steps)
    seen: list[date] = []
    for dose in doses:
        start = dose.decoded("DTSTART")
        assert isinstance(start, datetime)
        assert start.tzinfo is None, "floating local time: the same hour in every zone"
        assert "TZID" not in dose["DTSTART"].params
        assert (start.hour, start.minute) == (22, 0)
        step = steps[str(dose["UID"]).split("-dose-")[1].split("@")[0] + "@ldncalc"]
        assert str(dose["SUMMARY"]) == str(step["SUMMARY"])  # its dose, volume and liquid
        assert start.date() == day_of(step)
        days = dose_days(dose)
        seen += days
        (alarm,) = dose.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(0)  # at the hour
        assert str(alarm["DESCRIPTION"])
    # every day of the plan once, from the first to the last, none twice
    assert seen == [seen[0] + timedelta(days=n) for n in range(len(seen))]
    assert seen[0] == START
    schedule_json = run_json(capsys, *plan, "--start-date", START.isoformat())
    steps_json: Any = schedule_json["steps"]
    assert seen[-1] == date.fromisoformat(steps_json[-1]["last_date"])


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    import json

    code = run(["schedule", *args, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    value = json.loads(captured.out)
    assert isinstance(value, dict)
    return value


def test_mixing_is_at_the_hour_with_a_reminder_an_hour_before(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    calendar = ics_file(capsys, tmp_path, "--start-date", START.isoformat(), "--dose-time", "00:30")
    mixes = [e for e in events(calendar) if "-mix-" in str(e["UID"])]
    assert len(mixes) == len(stock_batches(DRAWS))
    for number, (mix, event) in enumerate(zip(stock_batches(DRAWS), mixes, strict=True), start=1):
        start = event.decoded("DTSTART")
        assert start == datetime.combine(START + timedelta(days=mix[0] - 1), time(0, 30))
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == -timedelta(hours=1)
        assert f"batch {number}" in str(alarm["DESCRIPTION"])
    # the last-dose events stay whole days
    for event in events(calendar):
        if "-discard-" in str(event["UID"]):
            day_of(event)
            assert "VALARM" not in [c.name for c in event.subcomponents]


def test_without_an_hour_no_event_is_timed_and_none_has_a_reminder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    calendar = ics_file(capsys, tmp_path, "--start-date", START.isoformat())
    for event in events(calendar):
        day_of(event)
        assert not event.subcomponents
        assert "-dose-" not in str(event["UID"])


@pytest.mark.parametrize("text", ["25:00", "22:60", "10pm", "22", "22h00", "-1:00", ""])
def test_an_hour_that_is_not_one_is_one_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> None:
    target = tmp_path / "never.ics"
    code = run(["schedule", "--dose-time", text, "--ics", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Error: "), err
    assert err.count("\n") == 1, err
    assert "HH:MM" in err or "00 to 23" in err
    assert not target.exists()


def test_the_hour_is_read_on_the_24_hour_clock() -> None:
    from ldncalc.dates import parse_time_of_day
    from ldncalc.errors import InvalidInputError

    assert parse_time_of_day("22:00") == time(22, 0)
    assert parse_time_of_day(" 9:05 ") == time(9, 5)
    assert parse_time_of_day("00:00") == time(0, 0)
    assert parse_time_of_day("23:59") == time(23, 59)
    assert parse_time_of_day(None) is None
    with pytest.raises(InvalidInputError) as caught:
        parse_time_of_day("24:00")
    assert caught.value.code == "time-unreadable"
