"""Calendar dates as people type them: YYYY-MM-DD, in the years a diary is about.

One definition for every command and for the diary's entries: the same
format, the same years, the same messages.
"""

from __future__ import annotations

import re
from datetime import date

from ldncalc.errors import InvalidInputError

__all__ = ["EARLIEST", "FIRST_YEAR", "LAST_YEAR", "LATEST", "diary_date", "parse_date"]

FIRST_YEAR, LAST_YEAR = 1900, 2199  # a diary's dates: a person's lifetime, with room
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


def parse_date(text: str | None) -> date | None:
    """Read a calendar date YYYY-MM-DD (the user's local calendar), or None if not given."""
    if text is None:
        return None
    raw = text.strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw) is None:
        raise InvalidInputError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2027-01-31")
    year, month, day = (int(part) for part in raw.split("-"))
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidInputError(f"{text!r} is not a date: {exc}") from exc


def diary_date(text: str | None, option: str = "--date") -> date | None:
    """Read a diary date (YYYY-MM-DD), refusing years no diary is about."""
    day = parse_date(text)
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInputError(
            f"{option} {day.isoformat()} is not a date a diary is about; give a year from "
            f"{FIRST_YEAR} to {LAST_YEAR}"
        )
    return day
