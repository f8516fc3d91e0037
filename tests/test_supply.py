from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.errors import InvalidInputError
from ldncalc.preparation import make_preparation
from ldncalc.supply import parse_price, plan_batches
from ldncalc.titration import build_schedule, custom_protocol
from ldncalc.units import volume

START = date(2027, 1, 4)


def test_default_batches_with_14_days_and_the_mixing_day_as_day_1() -> None:
    s = build_schedule(start_date=START)
    supply = plan_batches(s)
    first = supply.batches[0]
    assert first.mix_date == START
    assert first.discard_date == START + timedelta(days=13)
    assert (first.first_day, first.last_day) == (1, 14)
    assert first.used_ml == 7 * 1 + 7 * 2
    assert first.wasted_ml == 50 - 21
    # From day 29 the 4.6 mL mark empties a 50 mL batch in 10 days.
    assert [(b.first_day, b.last_day) for b in supply.batches[2:4]] == [(29, 38), (39, 48)]
    assert supply.tablets == len(supply.batches) == 8


def test_keep_28_days() -> None:
    supply = plan_batches(build_schedule(start_date=START), keep_days=28)
    assert supply.batches[0].discard_date == START + timedelta(days=27)


def test_cost() -> None:
    supply = plan_batches(build_schedule(start_date=START), tablet_price=parse_price("1.20"))
    assert supply.cost == Decimal("9.60")
    assert supply.cost_per_month == Decimal("3.48")  # 9.60 * 30.4375 / 84


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1,20", "decimal point"),
        ("abc", "not a price"),
        ("0", "more than 0"),
        ("-1", "more than 0"),
        ("NaN", "more than 0"),
        ("1.23456", "four decimals"),
    ],
)
def test_price_refusals(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        parse_price(text)


def test_keep_must_be_sane() -> None:
    with pytest.raises(InvalidInputError, match="kept 1 to 90 days"):
        plan_batches(build_schedule(start_date=START), keep_days=0)


@given(
    st.integers(1, 3),
    st.integers(10, 250),
    st.fractions(min_value=Fraction(1, 2), max_value=Fraction(2)),
    st.integers(1, 21),
    st.integers(1, 60),
    st.integers(1, 30),
)
def test_every_day_is_served_by_exactly_one_unexpired_batch_with_enough_liquid(
    tablets: int, water: int, step: Fraction, every: int, hold: int, keep: int
) -> None:
    prep = make_preparation(tablets, water=volume(water))
    s = build_schedule(
        custom_protocol(Fraction(1, 2), step, every, Fraction(9, 2)),
        start_date=START,
        preparation=prep,
        hold_days=hold,
    )
    supply = plan_batches(s, keep_days=keep)
    served: dict[int, int] = {}
    for b in supply.batches:
        assert b.discard_date == b.mix_date + timedelta(days=keep - 1)
        assert b.mix_date == s.date_of(b.first_day)
        assert b.last_use_date <= b.discard_date  # never used past its discard date
        assert 0 <= b.used_ml <= b.water_ml  # never runs out
        drawn = Fraction(0)
        for day, when, step_ in s.daily():
            if b.first_day <= day <= b.last_day:
                assert when <= b.discard_date
                served[day] = served.get(day, 0) + 1
                drawn += step_.plan.measurement.measured_ml
        assert drawn == b.used_ml
    assert served == dict.fromkeys(range(1, s.days + 1), 1)
    assert supply.tablets == tablets * len(supply.batches)
    # Tablets cover every dose: the naltrexone drawn never exceeds what was dissolved.
    total_mg = sum(b.used_ml for b in supply.batches) * prep.concentration_mg_per_ml
    assert total_mg <= supply.tablets * 50
