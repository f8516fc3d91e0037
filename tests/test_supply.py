from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.dose.preparation import make_preparation
from ldncalc.errors import InvalidInputError
from ldncalc.plan.supply import parse_price, plan_batches
from ldncalc.plan.titration import build_schedule, custom_protocol
from tests.fuzzing import expect_dose

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
    # No bottle is planned to its last drop: a tenth of it (5 mL) is kept back, so
    # 45 mL serve: days 15-27 (3 mL, then 4 mL: 45 mL), then 4.6 mL a day for 9 days.
    assert first.reserve_ml == 5
    assert [(b.first_day, b.last_day) for b in supply.batches[1:4]] == [
        (15, 27),
        (28, 36),
        (37, 45),
    ]
    assert all(b.used_ml <= b.water_ml - b.reserve_ml for b in supply.batches)
    assert supply.tablets == len(supply.batches) == 9
    assert supply.water_ml == 9 * 50


def test_keep_28_days() -> None:
    supply = plan_batches(build_schedule(start_date=START), keep_days=28)
    assert supply.batches[0].discard_date == START + timedelta(days=27)


def test_cost() -> None:
    supply = plan_batches(build_schedule(start_date=START), tablet_price=parse_price("1.20"))
    assert supply.cost == Decimal("10.80")  # 9 tablets
    assert supply.cost_per_month == Decimal("3.91")  # 10.80 * 30.4375 / 84 = 3.9134


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1,20", "decimal point"),
        ("abc", "not a price"),
        ("0", "more than 0"),
        ("0.00", "more than 0"),
        ("10000.01", "at most 10000"),
        ("-1", "'-1' is not a price; write e.g. 1.20 (digits 0-9)"),
        ("NaN", "'NaN' is not a price"),
        ("1e3", "not a price"),
        ("\uff11.20", "(digits 0-9)"),
        ("1.23456", "four decimals"),
    ],
)
def test_price_refusals(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_price(text)
    assert fragment in str(info.value)


def test_a_price_reads_exactly() -> None:
    assert parse_price(" 1.20 ") == Decimal("1.20")
    assert parse_price("0.0125") == Decimal("0.0125")


def test_a_reserve_of_your_own() -> None:
    s = build_schedule(start_date=START)
    one_kept = plan_batches(s, reserve_ml=Fraction(1))
    assert [b.reserve_ml for b in one_kept.batches] == [1] * len(one_kept.batches)
    assert one_kept.batches[1].last_day == 28  # days 15-28: 21 + 28 mL, 49 mL of 50
    with pytest.raises(InvalidInputError) as info:
        plan_batches(s, reserve_ml=Fraction(0))
    assert "reserve_ml must be more than zero, not 0 mL" in str(info.value)
    with pytest.raises(InvalidInputError) as info:
        plan_batches(s, reserve_ml=Fraction(50))
    assert "the reserve must be more than 0 mL" in str(info.value)
    assert "and less than the water (50 mL)" in str(info.value)


def test_a_diluted_dose_is_served_by_a_dilution_of_a_stock_batch() -> None:
    # 4 mcg a day for 30 days: each day 0.8 mL of a dilution made from 1 mL of stock.
    s = build_schedule(
        custom_protocol(Fraction(1, 250), target_mg=Fraction(1, 250)),
        start_date=START,
        hold_days=30,
    )
    supply = plan_batches(s)
    stocks = [b for b in supply.batches if b.liquid == "stock"]
    diluted = [b for b in supply.batches if b.liquid == "dilution"]
    assert [(b.first_day, b.last_day) for b in diluted] == [(1, 14), (15, 28), (29, 30)]
    assert supply.tablets == len(stocks) == 3
    stages = s.steps[0].plan.dilution
    for b in diluted:
        made_from = next(x for x in stocks if x.number == b.made_from)
        assert made_from.mix_date <= b.mix_date <= made_from.discard_date
        assert b.discard_date <= made_from.discard_date
        assert b.stages == stages
        assert b.tablets == 0
        assert b.liquid_ml == stages[-1].total_ml
        assert b.water_ml == sum(st_.water_ml for st_ in stages)
        assert b.used_ml == Fraction(4, 5) * (b.last_day - b.first_day + 1)
        assert b.used_ml <= b.liquid_ml - max(b.liquid_ml / 10, Fraction(2))
        assert made_from.used_ml == stages[0].aliquot_ml


def test_keep_must_be_sane() -> None:
    with pytest.raises(InvalidInputError, match="kept 1 to 90 days"):
        plan_batches(build_schedule(start_date=START), keep_days=0)


@given(
    st.integers(1, 3),
    st.data(),
    st.fractions(min_value=Fraction(1, 2), max_value=Fraction(2)),
    st.integers(1, 21),
    st.integers(1, 60),
    st.integers(1, 30),
)
def test_every_day_is_served_by_exactly_one_unexpired_batch_with_enough_liquid(
    tablets: int, data: st.DataObject, step: Fraction, every: int, hold: int, keep: int
) -> None:
    # Up to 50/11 mg/mL every dose from 0.5 mg is drawn from the stock, to a mark above
    # 0.1 mL (0.11 mL and more).
    water = data.draw(st.integers(11 * tablets, 250))
    prep = make_preparation(tablets, water_ml=water)
    protocol = custom_protocol(Fraction(1, 2), step, every, Fraction(9, 2))
    doses = [d for d, _ in protocol.climb] + [protocol.target_mg]
    expected = [expect_dose(d, tablets, water_ml=Fraction(water)) for d in doses]
    assert not any(e.diluted or e.refusals for e in expected)
    s = build_schedule(
        protocol, start_date=START, preparation=prep, hold_days=hold, confirm=True
    )  # steps up to 2 mg: beyond the soft limits, confirmed
    supply = plan_batches(s, keep_days=keep)
    reserve = max(Fraction(water, 10), Fraction(2))
    served: dict[int, int] = {}
    for b in supply.batches:
        assert b.discard_date == b.mix_date + timedelta(days=keep - 1)
        assert b.mix_date == s.date_of(b.first_day)
        assert b.last_use_date <= b.discard_date  # never used past its discard date
        assert b.last_use_date == s.date_of(b.last_day)
        assert 0 <= b.used_ml <= b.water_ml - reserve  # never runs into its reserve
        assert (b.water_ml, b.reserve_ml, b.liquid) == (Fraction(water), reserve, "stock")
        drawn = Fraction(0)
        for day, when, step_ in s.daily():
            if b.first_day <= day <= b.last_day:
                assert when <= b.discard_date
                served[day] = served.get(day, 0) + 1
                drawn += step_.plan.measurement.measured_ml
        assert drawn == b.used_ml
        assert b.wasted_ml == water - drawn
    assert served == dict.fromkeys(range(1, s.days + 1), 1)
    assert supply.tablets == tablets * len(supply.batches)
    # A new batch is mixed only when the old one is past its date or cannot hold the next dose.
    for before, after in zip(supply.batches, supply.batches[1:], strict=False):
        next_dose = next(st_.plan.measurement.measured_ml for d, _, st_ in s.daily()
                         if d == after.first_day)  # fmt: skip
        expired = after.first_day > before.first_day + keep - 1
        assert expired or before.used_ml + next_dose > water - reserve
    # Tablets cover every dose: the naltrexone drawn never exceeds what was dissolved.
    total_mg = sum(b.used_ml for b in supply.batches) * prep.concentration_mg_per_ml
    assert total_mg <= supply.tablets * 50


def test_the_bottles_up_to_a_day_are_those_of_the_whole_plan() -> None:
    s = build_schedule(start_date=START)
    whole = plan_batches(s)
    for day in (START, START + timedelta(days=20), s.end_date):
        upto = plan_batches(s, until=day)
        assert [(b.mix_date, b.discard_date) for b in upto.batches] == [
            (b.mix_date, b.discard_date) for b in whole.batches if b.mix_date <= day
        ]
        assert upto.in_use_on(day)[0].mix_date == whole.in_use_on(day)[0].mix_date
