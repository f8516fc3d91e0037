"""Dates as people type them: the messages are ldncalc's own, never Python's."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.dates import parse_date
from ldncalc.errors import InvalidInputError


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("2026-13-01", "there is no month 13"),
        ("2026-00-10", "there is no month 0"),
        ("2026-02-30", "there is no day 30 in February 2026, which has 28 days"),
        ("2024-02-30", "there is no day 30 in February 2024, which has 29 days"),
        ("1900-02-29", "there is no day 29 in February 1900, which has 28 days"),
        ("2026-04-31", "there is no day 31 in April 2026, which has 30 days"),
        ("2026-01-00", "there is no day 0 in January 2026, which has 31 days"),
        ("0000-01-01", "there is no year 0"),
    ],
)
def test_a_day_that_does_not_exist_is_said_in_our_words(text: str, wrong: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_date(text)
    assert str(info.value) == f"{text!r} is not a date: {wrong}; write YYYY-MM-DD, e.g. 2027-01-31"
    assert info.value.code == "date-unreadable"


@given(year=st.integers(0, 9999), month=st.integers(0, 99), day=st.integers(0, 99))
def test_a_date_is_read_exactly_when_the_calendar_has_it(year: int, month: int, day: int) -> None:
    text = f"{year:04}-{month:02}-{day:02}"
    try:
        expected: date | None = date(year, month, day)  # the oracle: Python's calendar
    except ValueError:
        expected = None
    if expected is not None:
        assert parse_date(text) == expected
        return
    with pytest.raises(InvalidInputError) as info:
        parse_date(text)
    message = str(info.value)
    assert "must be in" not in message
    assert "out of range" not in message
    assert message.startswith(f"{text!r} is not a date: there is no ")
