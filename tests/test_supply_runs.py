"""Bottles planned by runs of equal doses are the bottles planned day by day.

``plan_batches`` finds, for a whole run of days at one dose, the day a bottle
stops serving. The oracle here is the plain rule of the module's docstring,
walked one day at a time: a new bottle on the first day the current one is past
its discard date, holds less than the day's dose above its reserve, or on a day
the diary says a bottle of that liquid was mixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldncalc.dose.dilution import DilutionStage
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.notation import format_volume_ml
from ldncalc.plan.supply import check_batches, plan_batches
from ldncalc.plan.titration import Schedule, Segment, get_protocol, schedule_from_segments

START = date(2027, 1, 4)
# Doses drawn from the stock (1 mg/mL) and doses drawn from a dilution of it.
DOSES = (
    Fraction(1, 2),
    Fraction(3),
    Fraction(9, 2),
    Fraction(8),
    Fraction(1, 250),
    Fraction(1, 100),
    Fraction(1, 20),
)
_SCHEDULES: dict[tuple[tuple[Fraction | None, int], ...], Schedule] = {}


def schedule_of(runs: tuple[tuple[Fraction | None, int], ...]) -> Schedule:
    """Return the schedule of ``runs`` (dose or None, days), built once per run list."""
    if runs not in _SCHEDULES:
        segments = [Segment(dose, days) for dose, days in runs]
        _SCHEDULES[runs] = schedule_from_segments(
            get_protocol("ldnrt-weekly"), segments, start_date=START
        )
    return _SCHEDULES[runs]


@dataclass
class _Bottle:
    liquid: str
    mix: date
    discard: date
    first: int
    last: int
    usable: Fraction
    used: Fraction = Fraction(0)
    recipe: tuple[DilutionStage, ...] = ()
    made_from: int | None = None  # the first day of the stock it is made from


def _reserve(volume: Fraction) -> Fraction:
    return max(volume / 10, Fraction(2))


class Refused(Exception):
    """A day's volume of stock does not fit a bottle above its reserve."""


def day_by_day(
    s: Schedule,
    keep_days: int,
    mixed: dict[date, int],
    diluted_on: dict[date, int],
    until: date | None,
    reserve_ml: Fraction | None = None,
) -> list[tuple[object, ...]]:
    """Return the bottles of ``s`` planned one day at a time, as plan_batches numbers them.

    Raises:
        Refused: with the volume, on the first day it does not fit a bottle.
    """
    water = s.preparation.water_ml
    reserve = _reserve(water) if reserve_ml is None else reserve_ml
    closed: list[_Bottle] = []
    stock: _Bottle | None = None
    dilution: _Bottle | None = None

    def serves(b: _Bottle, when: date, need: Fraction) -> bool:
        return when <= b.discard and b.used + need <= b.usable

    def stock_on(day: int, when: date, need: Fraction) -> _Bottle:
        nonlocal stock
        if need > water - reserve:
            raise Refused(need)
        if stock is None or not serves(stock, when, need) or (when in mixed and stock.mix != when):
            if stock is not None:
                closed.append(stock)
            keep = mixed.get(when, keep_days)
            discard = when + timedelta(days=keep - 1)
            stock = _Bottle("stock", when, discard, day, day, water - reserve)
        return stock

    for day, when, step in s.daily():
        if until is not None and when > until:
            break
        need = step.plan.measurement.measured_ml
        stages = step.plan.dilution
        if not stages:
            if dilution is not None:
                closed.append(dilution)
                dilution = None
            bottle = stock_on(day, when, need)
        else:
            if (
                dilution is None
                or dilution.recipe != stages
                or not serves(dilution, when, need)
                or (when in diluted_on and dilution.mix != when)
            ):
                if dilution is not None:
                    closed.append(dilution)
                made = stages[-1].total_ml
                base = stock_on(day, when, stages[0].aliquot_ml)
                base.used += stages[0].aliquot_ml
                base.last = day
                usable = made - _reserve(made)
                if need > usable:  # the reserve gives way to a dose that needs more
                    usable = made - min(_reserve(made), made - need)
                keep = diluted_on.get(when, keep_days)
                discard = min(when + timedelta(days=keep - 1), base.discard)
                dilution = _Bottle("dilution", when, discard, day, day, usable, Fraction(0), stages)
                dilution.made_from = base.first
            bottle = dilution
        bottle.used += need
        bottle.last = day
    closed.extend(b for b in (dilution, stock) if b is not None)
    closed.sort(key=lambda b: (b.first, b.liquid != "stock"))
    numbers = {b.first: n for n, b in enumerate(closed, start=1) if b.liquid == "stock"}
    return [
        (
            n,
            b.liquid,
            b.mix,
            b.discard,
            s.date_of(b.last),
            b.first,
            b.last,
            b.used,
            b.recipe,
            None if b.made_from is None else numbers[b.made_from],
        )
        for n, b in enumerate(closed, start=1)
    ]


def planned(
    s: Schedule,
    keep_days: int,
    mixed: dict[date, int],
    diluted_on: dict[date, int],
    until: date | None,
    reserve_ml: Fraction | None = None,
) -> list[tuple[object, ...]]:
    supply = plan_batches(
        s,
        keep_days,
        reserve_ml=reserve_ml,
        mix_dates=mixed,
        until=until,
        dilution_dates=diluted_on,
    )
    return [
        (
            b.number,
            b.liquid,
            b.mix_date,
            b.discard_date,
            b.last_use_date,
            b.first_day,
            b.last_day,
            b.used_ml,
            b.stages,
            b.made_from,
        )
        for b in supply.batches
    ]


runs = st.lists(
    st.tuples(st.sampled_from((*DOSES, None)), st.integers(1, 40)), min_size=1, max_size=6
).filter(lambda r: any(dose is not None for dose, _ in r))


@settings(max_examples=150, deadline=None)
@given(runs, st.integers(1, 30), st.data())
def test_bottles_planned_by_runs_are_those_planned_day_by_day(
    runs_: list[tuple[Fraction | None, int]], keep_days: int, data: st.DataObject
) -> None:
    while runs_ and runs_[-1][0] is None:
        runs_.pop()
    s = schedule_of(tuple(runs_))
    days = st.integers(0, s.days + 2).map(lambda n: START + timedelta(days=n))
    mixed = data.draw(st.dictionaries(days, st.integers(1, 30), max_size=8))
    diluted_on = data.draw(st.dictionaries(days, st.integers(1, 30), max_size=8))
    until = data.draw(st.none() | days)
    # A large reserve leaves a bottle of stock 5, 2 or 0.5 mL: some doses no longer fit.
    reserve = data.draw(st.sampled_from((None, Fraction(45), Fraction(48), Fraction(99, 2))))
    try:
        expected = day_by_day(s, keep_days, mixed, diluted_on, until, reserve)
    except Refused as refused:
        (need,) = refused.args
        water = s.preparation.water_ml
        message = (
            f"a day needs {format_volume_ml(need)} of stock, more than a bottle of "
            f"{format_volume_ml(water)} gives above its reserve "
            f"({format_volume_ml(_reserve(water) if reserve is None else reserve)})"
        )
        with pytest.raises(RefusedError) as planning:
            planned(s, keep_days, mixed, diluted_on, until, reserve)
        assert str(planning.value) == message
        with pytest.raises(RefusedError) as checking:
            check_batches(
                s,
                keep_days,
                reserve_ml=reserve,
                mix_dates=mixed,
                until=until,
                dilution_dates=diluted_on,
            )
        assert str(checking.value) == message
        return
    assert planned(s, keep_days, mixed, diluted_on, until, reserve) == expected
    check_batches(
        s, keep_days, reserve_ml=reserve, mix_dates=mixed, until=until, dilution_dates=diluted_on
    )


@pytest.mark.parametrize(
    ("runs_", "until", "volume"),
    [
        # A dilution's first aliquot (1 mL) is refused, not its dose (0.8 mL).
        (((Fraction(1, 250), 5),), None, Fraction(1)),
        # The first dose that does not fit, on a day planned...
        (((Fraction(1, 2), 5), (Fraction(3), 5)), None, Fraction(3)),
        (((Fraction(1, 2), 5), (None, 3), (Fraction(1, 100), 5)), START + timedelta(8), 1),
        # ...and none on a day not planned.
        (((Fraction(1, 2), 5), (Fraction(3), 5)), START + timedelta(days=4), None),
        (((Fraction(1, 2), 5), (None, 3), (Fraction(1, 100), 5)), START + timedelta(7), None),
    ],
)
def test_a_bottle_of_half_a_millilitre_refuses_as_day_by_day(
    runs_: tuple[tuple[Fraction | None, int], ...], until: date | None, volume: int | None
) -> None:
    s = schedule_of(runs_)
    reserve = Fraction(99, 2)

    def refused(plan: Callable[[], object]) -> Fraction | None:
        """Return the volume a refusal names ("a day needs N mL of stock, ..."), or None."""
        try:
            plan()
        except (Refused, RefusedError) as exc:
            return (
                Fraction(exc.args[0]) if isinstance(exc, Refused) else Fraction(str(exc).split()[3])
            )
        return None

    assert refused(lambda: day_by_day(s, 14, {}, {}, until, reserve)) == volume
    assert refused(lambda: planned(s, 14, {}, {}, until, reserve)) == volume
    assert refused(lambda: check_batches(s, 14, reserve_ml=reserve, until=until)) == volume


@pytest.mark.parametrize(("keep_days", "keeps"), [(0, {}), (91, {}), (14, {START: 0})])
def test_check_batches_refuses_what_plan_batches_refuses(
    keep_days: int, keeps: dict[date, int]
) -> None:
    s = schedule_of(((Fraction(3), 20),))
    with pytest.raises(InvalidInputError) as planning:
        plan_batches(s, keep_days, mix_dates=keeps)
    with pytest.raises(InvalidInputError) as checking:
        check_batches(s, keep_days, mix_dates=keeps)
    assert str(checking.value) == str(planning.value)


def test_ten_years_at_one_dose_by_runs_are_those_day_by_day() -> None:
    s = schedule_of(((Fraction(9, 2), 3653),))
    mixed = {START + timedelta(days=n): 14 for n in range(0, 3653, 14)}
    until = START + timedelta(days=3000)
    assert planned(s, 14, mixed, {}, until) == day_by_day(s, 14, mixed, {}, until)
    assert planned(s, 14, {}, {}, None) == day_by_day(s, 14, {}, {}, None)
