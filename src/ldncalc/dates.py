"""Calendar dates as people type them: YYYY-MM-DD, in the years a diary is about.

One definition for every command and for the diary's entries: the same
format, the same years, the same messages.
"""

from __future__ import annotations

import re
from datetime import date, time

from ldncalc.errors import InvalidInputError

__all__ = [
    "EARLIEST",
    "FIRST_YEAR",
    "LAST_YEAR",
    "LATEST",
    "parse_date",
    "parse_time_of_day",
]

FIRST_YEAR, LAST_YEAR = 1900, 2199  # a diary's dates: a person's lifetime, with room
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


def parse_date(text: str | None) -> date | None:
    """Read a calendar date YYYY-MM-DD (the user's local calendar), or None if not given."""
    if text is None:
        return None
    raw = text.strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw) is None:
        raise InvalidInputError(
            f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2027-01-31", code="date-unreadable"
        )
    year, month, day = (int(part) for part in raw.split("-"))
    # Said in ldncalc's words, not Python's ("month must be in 1..12").
    if year == 0:
        wrong = "there is no year 0"
    elif not 1 <= month <= 12:
        wrong = f"there is no month {month}"
    elif not 1 <= day <= _days_in(year, month):
        wrong = (
            f"there is no day {day} in {_MONTHS[month - 1]} {year}, "
            f"which has {_days_in(year, month)} days"
        )
    else:
        return date(year, month, day)
    raise InvalidInputError(
        f"{text!r} is not a date: {wrong}; write YYYY-MM-DD, e.g. 2027-01-31",
        code="date-unreadable",
    )


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _days_in(year: int, month: int) -> int:
    """Return the number of days of ``month`` in ``year`` (the Gregorian calendar)."""
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_time_of_day(text: str | None) -> time | None:
    """Read an hour of the day HH:MM (24-hour clock, local time), or None if not given.

    The hour of a dose is a wall-clock time wherever the person is, so it has no
    time zone. Only HH:MM is read: "10pm" or "22h" could be misread, and a
    minute past 23:59 is no time of day.
    """
    if text is None:
        return None
    raw = text.strip()
    match = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", raw)
    if match is None:
        raise InvalidInputError(
            f"{text!r} is not a time of day; write HH:MM on the 24-hour clock, e.g. 22:00",
            code="time-unreadable",
        )
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise InvalidInputError(
            f"{text!r} is not a time of day: hours run from 00 to 23 and minutes from 00 to 59",
            code="time-unreadable",
        )
    return time(hour, minute)
