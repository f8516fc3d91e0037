from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.dose.preparation import make_preparation
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import ArgumentTypeError, InvalidInputError, LdncalcError, RefusedError
from ldncalc.plan.titration import (
    DEFAULT_PROTOCOL_ID,
    Segment,
    build_schedule,
    custom_protocol,
    get_protocol,
    protocols,
    resolve_protocol,
    schedule_from_segments,
)

F = Fraction
START = date(2027, 1, 4)

# The published sequences (DOMAIN.md): climbing steps (dose mg, days), then the target.
PUBLISHED: dict[str, tuple[list[tuple[Fraction | int, int]], Fraction]] = {
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


def test_custom_protocol_takes_every_kind_of_amount() -> None:
    climb = [(F(1), 7), (F(2), 7), (F(3), 7), (F(4), 7)]
    assert list(custom_protocol(1, 1, 7, F(9, 2)).climb) == climb
    assert list(custom_protocol("1 mg", "1000 mcg", 7, "4.5mg").climb) == climb
    assert list(custom_protocol(Decimal("1"), Decimal("1"), 7).climb) == climb  # target 4.5 mg
    assert custom_protocol(1, 1, 7).target_mg == F(9, 2)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((1, 1, 7, 4.5), "target_mg=4.5: give amounts as text or an exact number"),
        ((0.5, 1, 7, 3), "start_mg=0.5"),
        ((1, 1, 7.0, 3), "every_days must be a whole number (1 to 730), not 7.0"),
        ((1, 1, "7", 3), "every_days must be a whole number"),
        ((1, 1, True, 3), "every_days must be a whole number"),
        ((None, 1, 7, 3), "start_mg must be text such as '4.5 mg'"),
    ],
)
def test_custom_protocol_refuses_types_it_does_not_take(
    args: tuple[Any, ...], fragment: str
) -> None:
    with pytest.raises(ArgumentTypeError) as info:
        custom_protocol(*args)
    assert fragment in str(info.value)
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, LdncalcError)


def test_start_at_target_is_a_constant_schedule_without_a_step() -> None:
    p = custom_protocol(F(3), target_mg=F(3))
    assert p.climb == ()
    assert p.target_mg == 3
    assert p.description == "3 mg every day."
    s = build_schedule(p, start_date=START, hold_days=10)
    assert len(s.steps) == 1
    assert s.days == 10
    assert s.steps[0].at_target
    assert s.steps[0].plan.dose_mg == 3
    # A step given anyway changes nothing.
    assert custom_protocol(F(9, 2), F(1), 7, F(9, 2)).climb == ()


@pytest.mark.parametrize(
    ("args", "error", "fragment"),
    [
        ((F(0), F(1), 7, F(9, 2)), InvalidInputError, "start_mg must be more than zero, not 0 mg"),
        ((F(1), F(0), 7, F(9, 2)), InvalidInputError, "step_mg must be more than zero, not 0 mg"),
        ((F(1), F(1), 7, F(0)), InvalidInputError, "target_mg must be more than zero, not 0 mg"),
        ((F(1), F(-1), 7, F(3)), InvalidInputError, "step_mg must be more than zero, not -1 mg"),
        ((F(1), F(1), 0, F(9, 2)), InvalidInputError, "every_days must be 1 to 730, not 0"),
        ((F(5), F(1), 7, F(9, 2)), InvalidInputError, "is above the target"),
        ((F(1), None, 7, F(3)), InvalidInputError, "needs a step and the time between steps"),
        ((F(1), F(1), None, F(3)), InvalidInputError, "needs a step and the time between steps"),
        ((F(1, 2), F(1, 100), 14, F(9, 2)), RefusedError, "more than two years"),
    ],
)
def test_custom_protocol_checks(
    args: tuple[Any, ...], error: type[LdncalcError], fragment: str
) -> None:
    with pytest.raises(error) as info:
        custom_protocol(*args)
    assert fragment in str(info.value)


def test_an_incomplete_climb_has_a_code_for_the_cli_hint() -> None:
    with pytest.raises(InvalidInputError) as info:
        custom_protocol(F(1), target_mg=F(3))
    assert info.value.code == "custom-incomplete"
    assert "--" not in str(info.value)  # the CLI names its options, not the library


def test_resolve_protocol() -> None:
    assert resolve_protocol().id == DEFAULT_PROTOCOL_ID
    assert resolve_protocol("ldnno-ms") == get_protocol("ldnno-ms")
    custom = resolve_protocol(start_mg="1 mg", step_mg="1 mg", every_days=7)
    assert custom == custom_protocol(1, 1, 7)
    assert resolve_protocol(start_mg="3 mg", target_mg="3 mg").climb == ()


@pytest.mark.parametrize(
    ("args", "kwargs", "code", "fragment"),
    [
        (("ldnno-ms",), {"start_mg": "1 mg"}, "protocol-and-custom", "not both"),
        ((), {"step_mg": "1 mg", "every_days": 7}, "custom-incomplete", "needs its first dose"),
        ((), {"target_mg": "3 mg"}, "custom-incomplete", "needs its first dose"),
        (("nope",), {}, "unknown-protocol", "no protocol 'nope'; choose one of: ldnrt-weekly"),
    ],
)
def test_resolve_protocol_refuses_conflicts(
    args: tuple[str, ...], kwargs: dict[str, Any], code: str, fragment: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        resolve_protocol(*args, **kwargs)
    assert info.value.code == code
    assert fragment in str(info.value)


def test_schedule_from_segments_dates_and_measures_each_once() -> None:
    protocol = get_protocol(DEFAULT_PROTOCOL_ID)
    segments = [
        Segment(F(1), 3),
        Segment(F(1, 2), 2, note="halved after vivid dreams"),
        Segment(F(1), 4, at_target=True),
    ]
    s = schedule_from_segments(protocol, segments, start_date=START)
    assert [(x.first_day, x.last_day) for x in s.steps] == [(1, 3), (4, 5), (6, 9)]
    assert [x.first_date for x in s.steps] == [START, date(2027, 1, 7), date(2027, 1, 9)]
    assert [x.note for x in s.steps] == [None, "halved after vivid dreams", None]
    assert [x.at_target for x in s.steps] == [False, False, True]
    assert s.steps[0].plan is s.steps[2].plan  # the same dose is planned once
    assert s.days == 9
    assert s.end_date == date(2027, 1, 12)


def test_schedule_from_segments_with_a_preparation_and_a_syringe() -> None:
    prep = make_preparation(water_ml=100)
    syringe = Syringe(F(10), F(1, 10))
    s = schedule_from_segments(
        get_protocol("ldnno-ms"),
        [Segment(F(9, 2), 7, at_target=True)],
        start_date=START,
        preparation=prep,
        syringe=syringe,
    )
    m = s.steps[0].plan.measurement
    assert (m.syringe, m.measured_ml, m.fills) == (syringe, F(9), 1)
    assert s.preparation == prep


def test_schedule_from_segments_refuses_nothing_to_schedule() -> None:
    with pytest.raises(InvalidInputError, match="at least one day"):
        schedule_from_segments(get_protocol(DEFAULT_PROTOCOL_ID), [], start_date=START)


@pytest.mark.parametrize("start", [date(9999, 12, 1), date(9999, 10, 10), date.max])
def test_a_plan_past_the_calendar_is_refused_as_bad_input(start: date) -> None:
    with pytest.raises(InvalidInputError) as info:
        build_schedule(start_date=start)
    assert info.value.code == "date-out-of-range"
    assert str(info.value) == (
        f"a plan of 84 days from {start.isoformat()} would run past the calendar; "
        "choose an earlier start date"
    )


def test_a_plan_near_the_end_of_the_calendar_is_dated() -> None:
    s = build_schedule(custom_protocol(3, target_mg=3), start_date=date(9999, 12, 30), hold_days=1)
    assert s.end_date == date(9999, 12, 30)


def test_unknown_protocol_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match="ldnrt-weekly"):
        get_protocol("nope")


def test_hold_must_be_positive() -> None:
    with pytest.raises(
        InvalidInputError,
        match="the hold at the target must be 1 to 3653 days \\(ten years\\), not 0",
    ):
        build_schedule(start_date=START, hold_days=0)
    with pytest.raises(ArgumentTypeError, match="hold_days must be a whole number"):
        build_schedule(start_date=START, hold_days=cast(Any, 7.0))  # the float is the test


def test_every_dose_is_checked_against_the_preparation() -> None:
    # 0.5 mcg, then 1.0005 mg: the first is an ultra-low dose, refused.
    with pytest.raises(RefusedError, match=r"0\.5 mcg is an ultra-low dose \(below 1 mcg\)"):
        build_schedule(
            custom_protocol(F(1, 2000), F(1), 7, F(2)),
            start_date=START,
            preparation=make_preparation(),
        )
    # More than the whole preparation holds: 60 mg from 50 mg.
    with pytest.raises(RefusedError, match="more than the whole preparation holds"):
        build_schedule(custom_protocol(F(60), target_mg=F(60)), start_date=START, confirm=True)
    # 1 mcg is drawn from a dilution of the stock instead.
    s = build_schedule(custom_protocol(F(1, 1000), F(1), 7, F(1)), start_date=START)
    assert s.steps[0].plan.dilution
    assert s.steps[0].plan.delivered_mg == F(1, 1000)
    assert not s.steps[1].plan.dilution


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
        custom_protocol(start, step, every, target),
        start_date=START,
        hold_days=hold,
        confirm=True,  # steps and targets beyond the soft limits too
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
