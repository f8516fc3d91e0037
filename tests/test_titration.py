from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.preparation import make_preparation
from ldncalc.titration import (
    DEFAULT_PROTOCOL_ID,
    build_schedule,
    custom_protocol,
    get_protocol,
    protocols,
)

F = Fraction
START = date(2027, 1, 4)

# The published sequences (DOMAIN.md): climbing steps (dose mg, days), then the target.
PUBLISHED = {
    "ldnrt-weekly": ([(1, 7), (2, 7), (3, 7), (4, 7)], F(9, 2)),
    "ldnrt-sensitive": ([(F(n, 2), 14) for n in range(1, 9)], F(9, 2)),
    "ldnrt-half-weekly": ([(F(n, 2), 7) for n in range(1, 9)], F(9, 2)),
    "ldnrt-info-pack": ([(F(n, 2), 14) for n in range(3, 9)], F(9, 2)),
    "ldnnaltrexone": ([(F(3, 2), 14), (3, 14)], F(9, 2)),
    "ldnno-ms": ([(F(3, 2), 28), (3, 28)], F(9, 2)),
    "ldnno-general": ([(F(3, 2), 14), (3, 14)], F(9, 2)),
    "lavender-sky": ([(F(3, 2), 14), (3, 14)], F(9, 2)),
}


def test_every_published_protocol_is_shipped_with_a_source() -> None:
    shipped = {p.id: p for p in protocols()}
    assert set(shipped) == set(PUBLISHED)
    assert len(shipped) >= 6
    for p in shipped.values():
        assert p.source
        assert p.title
        assert p.description


@pytest.mark.parametrize("protocol_id", sorted(PUBLISHED))
def test_protocol_gives_its_published_sequence(protocol_id: str) -> None:
    climb, target = PUBLISHED[protocol_id]
    p = get_protocol(protocol_id)
    assert list(p.climb) == [(F(d), n) for d, n in climb]
    assert p.target_mg == target


def test_default_is_the_ldn_research_trust_weekly_schedule() -> None:
    s = build_schedule(start_date=START)
    assert s.protocol.id == DEFAULT_PROTOCOL_ID == "ldnrt-weekly"
    assert [x.plan.dose_mg for x in s.steps] == [1, 2, 3, 4, F(9, 2)]
    assert s.steps[-1].first_day == 29  # week five
    assert s.days == 28 + 56
    assert s.steps[0].first_date == START
    assert s.end_date == date(2027, 3, 28)


def test_custom_schedule_caps_the_last_step() -> None:
    p = custom_protocol(F(1), F(1), 7, F(9, 2))
    assert [d for d, _ in p.climb] == [1, 2, 3, 4]
    assert p.target_mg == F(9, 2)


def test_start_at_target_has_no_climb() -> None:
    s = build_schedule(custom_protocol(F(9, 2), F(1), 7, F(9, 2)), start_date=START, hold_days=10)
    assert len(s.steps) == 1
    assert s.days == 10


@pytest.mark.parametrize(
    ("args", "error", "fragment"),
    [
        ((F(0), F(1), 7, F(9, 2)), InvalidInputError, "start dose must be more than zero"),
        ((F(1), F(0), 7, F(9, 2)), InvalidInputError, "step dose must be more than zero"),
        ((F(1), F(1), 7, F(0)), InvalidInputError, "target dose must be more than zero"),
        ((F(1), F(1), 0, F(9, 2)), InvalidInputError, "at least one day"),
        ((F(5), F(1), 7, F(9, 2)), InvalidInputError, "is above the target"),
        ((F(1, 2), F(1, 100), 14, F(9, 2)), RefusedError, "more than two years"),
    ],
)
def test_custom_protocol_checks(args: tuple, error: type[Exception], fragment: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(error, match=fragment):
        custom_protocol(*args)


def test_unknown_protocol_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match="ldnrt-weekly"):
        get_protocol("nope")


def test_hold_must_be_positive() -> None:
    with pytest.raises(InvalidInputError, match="hold"):
        build_schedule(start_date=START, hold_days=0)


def test_every_dose_is_checked_against_the_preparation() -> None:
    with pytest.raises(RefusedError, match="times more dilute"):
        build_schedule(
            custom_protocol(F(1, 1000), F(1), 7, F(1)),
            start_date=START,
            preparation=make_preparation(),
        )


def test_leap_day_and_year_end_dates() -> None:
    s = build_schedule(start_date=date(2028, 2, 26))
    assert s.date_of(4) == date(2028, 2, 29)
    assert s.date_of(5) == date(2028, 3, 1)
    s = build_schedule(start_date=date(2027, 12, 30))
    assert s.steps[0].last_date == date(2028, 1, 5)


starts = st.fractions(min_value=F(1, 4), max_value=F(3))
steps_ = st.fractions(min_value=F(1, 4), max_value=F(2))
targets = st.fractions(min_value=F(1, 4), max_value=F(5))


@given(starts, steps_, st.integers(1, 28), targets, st.integers(1, 120))
def test_schedule_properties(
    start: Fraction, step: Fraction, every: int, target: Fraction, hold: int
) -> None:
    if start > target:
        start, target = target, start
    s = build_schedule(
        custom_protocol(start, step, every, target), start_date=START, hold_days=hold
    )
    doses = [x.plan.dose_mg for x in s.steps]
    assert doses == sorted(doses)  # never decreases
    assert max(doses) == target == doses[-1]  # never exceeds the target, ends on it
    assert s.steps[0].first_day == 1
    for before, after in zip(s.steps, s.steps[1:], strict=False):
        assert after.first_day == before.last_day + 1  # no gap, no overlap
    assert s.days == sum(x.days for x in s.steps) == s.protocol.climb_days + hold
    assert s.steps[-1].days == hold
    assert [d for d, _, _ in s.daily()] == list(range(1, s.days + 1))
