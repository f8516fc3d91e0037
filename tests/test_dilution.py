from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from functools import cache
from math import ceil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldncalc.dose.accuracy import DEFAULT_ASSAY, Assay, WaterMeasure, range_text
from ldncalc.dose.dilution import DilutionPlan, DilutionStage, plan_dilution
from ldncalc.dose.syringes import (
    CATALOGUE,
    KNOWN_SYRINGES,
    Syringe,
    finer_syringes,
    needs_dilution,
)
from ldncalc.errors import InvalidInputError, RefusedError
from tests.safe_notation import assert_safe

F = Fraction
TEN = Syringe(F(10), F(1, 5))
FIVE = Syringe(F(5), F(1, 5))
THREE = Syringe(F(3), F(1, 10))
ONE = Syringe(F(1), F(1, 100))
HALF = Syringe(F(1, 2), F(1, 100))

Stock = tuple[int, Fraction, Fraction]
STOCKS: list[Stock] = [(1, F(50), F(50)), (1, F(50), F(100)), (2, F(50), F(20))]
# From 1 mcg to 4.5 mg: the very-low doses, the sensitive starters, the usual steps.
GRID_MCG = [
    "1", "1.5", "2", "2.5", "3", "4", "5", "6", "7.5", "8", "10", "12", "12.5", "15", "20",
    "25", "30", "33", "40", "45", "50", "60", "62.5", "75", "80", "90", "100", "120", "125",
    "150", "175", "200", "250", "300", "375", "400", "450", "500", "600", "750", "800",
    "1000", "1250", "1500", "2000", "2500", "3000", "3500", "4000", "4500",
]  # fmt: skip
GRID = [F(mcg) / 1000 for mcg in GRID_MCG]


# --- the oracle: each rule re-derived in plain fractions ---------------------------------


def good(volume: Fraction, syringe: Syringe) -> bool:
    """One fill, on a mark, above 0.1 mL, at 20% or more of the syringe."""
    steps = volume / syringe.graduation_ml
    return (
        steps.denominator == 1
        and F(1, 10) < volume <= syringe.capacity_ml
        and 5 * volume >= syringe.capacity_ml
    )


def fills_of(water: Fraction, syringe: Syringe) -> list[Fraction]:
    """Full fills, then the rest."""
    n = max(1, ceil(water / syringe.capacity_ml))
    return [syringe.capacity_ml] * (n - 1) + [water - (n - 1) * syringe.capacity_ml]


def stage_water(water: Fraction) -> WaterMeasure | None:
    """A stage's water: every fill good, fewest fills, then finer marks, then smaller."""
    options = [
        (len(fills_of(water, s)), s.graduation_ml, s.capacity_ml, s)
        for s in CATALOGUE
        if all(good(v, s) for v in fills_of(water, s))
    ]
    if not options:
        return None
    fills, graduation, _, syringe = min(options, key=lambda o: o[:3])
    return WaterMeasure(syringe, fills, fills * graduation / 2) if fills <= 10 else None


def finest(volume: Fraction) -> Syringe | None:
    """The catalogue syringe with the finest marks (then the smallest) that measures it well."""
    options = [s for s in CATALOGUE if good(volume, s)]
    return min(options, key=lambda s: (s.graduation_ml, s.capacity_ml)) if options else None


def stock_error(water: Fraction) -> Fraction:
    """Every stock here is whole tens of mL: that many fills of the 10 mL syringe (0.2 mL)."""
    assert water % 10 == 0
    return water / 10 * F(1, 10)


def left(total: Fraction) -> Fraction:
    return total - max(total / 10, F(1))


def oracle_range(
    stock: Stock,
    chain: list[tuple[Fraction, Fraction, Fraction, Fraction]],
    drawn: Fraction,
    graduation: Fraction,
    assay: tuple[Fraction, Fraction] = (F(9, 10), F(11, 10)),
    fills: int = 1,
) -> tuple[Fraction, Fraction, Fraction]:
    """(nominal, low, high): chain of (aliquot, its graduation, water, water error)."""
    tablets, strength, water = stock
    e = stock_error(water)
    d = fills * graduation / 2
    nominal = tablets * strength / water * drawn
    low = tablets * strength * assay[0] / (water + e) * (drawn - d)
    high = tablets * strength * assay[1] / (water - e) * (drawn + d)
    for a, g, b, eb in chain:
        nominal *= a / (a + b)
        low *= (a - g / 2) / (a - g / 2 + b + eb)
        high *= (a + g / 2) / (a + g / 2 + b - eb)
    return nominal, low, high


def drawn_straight(volume: Fraction) -> tuple[Fraction, Syringe] | None:
    """The mark and syringe a volume of stock is drawn to, if neither is too small."""
    holders = [s for s in CATALOGUE if volume <= s.capacity_ml]
    holder = min(holders, key=lambda s: s.capacity_ml)
    mark = (volume / holder.graduation_ml + F(1, 2)).__floor__() * holder.graduation_ml
    for v in (volume, mark):
        if v <= F(1, 10) or 5 * v < holder.capacity_ml:
            return None
    return mark, holder


def check(plan: DilutionPlan, dose: Fraction, stock: Stock, always: bool = False) -> None:
    """Recompute the plan from its stages and check every rule."""
    tablets, strength, water = stock
    concentration = tablets * strength / water
    assert plan.stock_concentration_mg_per_ml == concentration
    assert len(plan.stages) <= 2
    assert plan.dose_mg == dose
    chain = []
    liquid = water
    made = used = F(0)
    for i, stage in enumerate(plan.stages):
        a, b = stage.aliquot_ml, stage.water_ml
        assert stage.from_concentration_mg_per_ml == concentration
        assert stage.aliquot_syringe in CATALOGUE
        assert good(a, stage.aliquot_syringe)
        assert stage.aliquot_syringe == finest(a)
        assert a <= left(liquid)
        assert b.denominator == 1
        assert 1 <= b <= 100
        assert stage.water_measure == stage_water(b)
        assert stage.water_measure.syringe is not None
        fills = stage.water_measure.fill_volumes_ml(b)
        assert sum(fills) == b
        assert len(fills) == stage.water_measure.fills
        assert all(good(v, stage.water_measure.syringe) for v in fills)
        concentration = concentration * a / (a + b)
        assert stage.concentration_mg_per_ml == concentration
        chain.append((a, stage.aliquot_syringe.graduation_ml, b, stage.water_measure.error_ml))
        liquid = a + b
        made += a + b
        used += a if i > 0 else 0
    assert plan.final_concentration_mg_per_ml == concentration
    v, syringe = plan.dose_volume_ml, plan.dose_syringe
    expected = oracle_range(stock, chain, v, syringe.graduation_ml, fills=plan.dose_fills)
    assert (plan.range.nominal_mg, plan.range.low_mg, plan.range.high_mg) == expected
    assert plan.delivered_mg == concentration * v
    assert plan.range.low_mg <= plan.delivered_mg <= plan.range.high_mg
    assert_safe(range_text(plan.range))
    exact = dose / plan.stock_concentration_mg_per_ml
    if plan.stages:
        assert plan.delivered_mg == dose
        assert plan.change == 0
        assert good(v, syringe)
        assert syringe == finest(v)
        assert v <= left(liquid)
        assert plan.waste_ml == made - used - v
        assert plan.stock_used_ml == plan.stages[0].aliquot_ml
        # Diluted because the stock's volume, or its mark, is too small to draw well.
        assert always or drawn_straight(exact) is None
    else:
        # Straight from the stock, at the nearest mark of the smallest syringe that holds it.
        assert (v, syringe) == drawn_straight(exact)
        assert abs(v - exact) <= syringe.graduation_ml / 2
        assert good(v, syringe)
        assert plan.waste_ml == 0
        assert plan.change == (v - exact) / exact


@pytest.mark.parametrize("stock", STOCKS, ids=lambda s: f"{s[0]}x{s[1]}mg-in-{s[2]}mL")
def test_every_plan_on_the_grid_matches_the_oracle(stock: Stock) -> None:
    stages_seen = set()
    for dose in GRID:
        plan = plan_dilution(dose, *stock)
        check(plan, dose, stock)
        stages_seen.add(len(plan.stages))
    assert stages_seen == {0, 1, 2}


# --- the search's choice, against a brute force over the same space ----------------------


def _decimal(x: Fraction) -> bool:
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


Pairs = list[tuple[Fraction, Fraction]]


@cache
def brute_tables() -> tuple[
    dict[Fraction, Syringe], dict[Fraction, WaterMeasure], dict[Fraction, Pairs]
]:
    """Every good mark (its finest syringe), every stage water, every stage by its factor."""
    marks = {}
    for s in CATALOGUE:
        for k in range(1, int(s.capacity_ml / s.graduation_ml) + 1):
            v = k * s.graduation_ml
            if (syringe := finest(v)) is not None:
                marks[v] = syringe
    waters = {b: w for b in map(F, range(1, 101)) if (w := stage_water(b)) is not None}
    by_factor: dict[Fraction, Pairs] = {}
    for a in marks:
        for b in waters:
            by_factor.setdefault(a / (a + b), []).append((a, b))
    return marks, waters, by_factor


@cache
def stage_share(a: Fraction, b: Fraction) -> tuple[Fraction, Fraction]:
    """A stage's low and high factor, each over its nominal factor a / (a + b)."""
    marks, waters, _ = brute_tables()
    g, e = marks[a].graduation_ml / 2, waters[b].error_ml
    nominal = a / (a + b)
    return (a - g) / (a - g + b + e) / nominal, (a + g) / (a + g + b - e) / nominal


def brute_force(dose: Fraction, stock: Stock) -> tuple[Fraction, int, Fraction]:
    """The best (measuring range %, stages, waste) by the documented rule, by another road.

    Chains whose every concentration is a finite decimal first; if none, any single
    stage. Where the search enumerates factors, this walks the draw's marks and looks
    the factor up.
    """
    tablets, strength, water = stock
    c0 = tablets * strength / water
    marks, _, by_factor = brute_tables()

    firsts = [f1 for f1 in by_factor if _decimal(c0 * f1)]

    def chains(decimal: bool) -> Iterator[tuple[list[tuple[Fraction, Fraction]], Fraction]]:
        for v in marks:
            f = dose / (c0 * v)
            if (not decimal or _decimal(c0 * f)) and f in by_factor:
                for pair in by_factor[f]:
                    yield [pair], v
            if not decimal:
                continue
            for f1 in firsts:
                pairs1 = by_factor[f1]
                f2 = f / f1
                if f2 in by_factor and _decimal(c0 * f1 * f2):
                    for p1 in pairs1:
                        for p2 in by_factor[f2]:
                            yield [p1, p2], v

    def fits(pairs: list[tuple[Fraction, Fraction]], v: Fraction) -> bool:
        liquid = water
        for a, b in pairs:
            if a > left(liquid):
                return False
            liquid = a + b
        return v <= left(liquid)

    e = stock_error(water)

    def score(
        pairs: list[tuple[Fraction, Fraction]], v: Fraction
    ) -> tuple[Fraction, int, Fraction]:
        # Ranked on the measuring alone (the assay multiplies every plan alike): each
        # measurement's worst case as a share of its own nominal, multiplied together.
        half = marks[v].graduation_ml / 2
        low = water / (water + e) * (v - half) / v
        high = water / (water - e) * (v + half) / v
        for pair in pairs:
            pair_low, pair_high = stage_share(*pair)
            low, high = low * pair_low, high * pair_high
        percent = max(1 - low, high - 1) * 100
        waste = sum(a + b for a, b in pairs) - sum(a for a, _ in pairs[1:]) - v
        return percent, len(pairs), waste

    for decimal in (True, False):
        found = [score(p, v) for p, v in chains(decimal) if fits(p, v)]
        if found:
            return min(found)
    raise AssertionError("no plan")


@pytest.mark.parametrize(
    ("dose", "stock"),
    [
        (F(1, 1000), STOCKS[0]),
        (F(33, 1000), STOCKS[0]),
        (F(3, 1000), STOCKS[1]),
        (F(15, 100), STOCKS[2]),
    ],
)
def test_the_search_finds_the_best_plan(dose: Fraction, stock: Stock) -> None:
    plan = plan_dilution(dose, *stock)
    best = (plan.range.measuring_percent, len(plan.stages), plan.waste_ml)
    assert best == brute_force(dose, stock)


# --- properties ----------------------------------------------------------------------------

doses = st.integers(1, 4500).map(lambda mcg: F(mcg, 1000))
stocks = st.sampled_from([*STOCKS, (3, F(50), F(50)), (1, F(50), F(30))])


@settings(max_examples=150)
@given(doses, st.sampled_from(STOCKS))
def test_every_plan_obeys_every_rule(dose: Fraction, stock: Stock) -> None:
    try:
        plan = plan_dilution(dose, *stock)
    except RefusedError as refused:
        plan, error = None, refused
    if plan is None:
        # Only three significant digits or more, with an awkward prime (0.101 mg): a
        # rounder dose is named.
        assert error.code == "no-dilution"
        assert len(str(dose * 1000).rstrip("0")) >= 3
        assert error.message.endswith("can be; or ask a compounding pharmacy")
        return
    check(plan, dose, stock)


@settings(max_examples=60)
@given(st.integers(1, 100).map(lambda mcg: F(mcg, 1000)), stocks)
def test_every_measured_volume_is_good_and_two_stages_at_most(dose: Fraction, stock: Stock) -> None:
    plan = plan_dilution(dose, *stock)
    assert len(plan.stages) <= 2
    for stage in plan.stages:
        assert good(stage.aliquot_ml, stage.aliquot_syringe)
        assert stage.water_measure.syringe is not None
        fills = stage.water_measure.fill_volumes_ml(stage.water_ml)
        assert all(good(v, stage.water_measure.syringe) for v in fills)
        assert _decimal(stage.concentration_mg_per_ml)
    assert good(plan.dose_volume_ml, plan.dose_syringe)
    if plan.stages:
        assert plan.delivered_mg == dose


@settings(max_examples=40)
@given(st.integers(1, 100).map(lambda mcg: F(mcg, 1000)))
def test_with_an_exact_assay_the_range_is_the_measuring_alone(dose: Fraction) -> None:
    exact = plan_dilution(dose, 1, F(50), F(50), assay=Assay(F(1), F(1)))
    usp = plan_dilution(dose, 1, F(50), F(50))
    # The assay is the same for every plan, so it does not change the choice.
    assert exact.stages == usp.stages
    assert exact.range.low_mg * F(9, 10) == usp.range.low_mg
    assert exact.range.high_mg * F(11, 10) == usp.range.high_mg
    assert exact.range.range_percent == usp.range.measuring_percent


@settings(max_examples=40)
@given(doses)
def test_one_syringe_given_measures_everything(dose: Fraction) -> None:
    # A 5 mL syringe with 0.1 mL marks: every aliquot, water fill and dose on it, 1 mL or more.
    mine = Syringe(F(5), F(1, 10))
    try:
        plan = plan_dilution(dose, 1, F(50), F(50), syringes=(mine,))
    except RefusedError as refused:
        plan, error = None, refused
    if plan is None:
        assert error.code == "no-dilution"
        return
    assert plan.dose_syringe == mine
    for stage in plan.stages:
        assert stage.aliquot_syringe == mine
        assert stage.water_measure.syringe == mine
        assert good(stage.aliquot_ml, mine)
    if plan.stages:
        assert good(plan.dose_volume_ml, mine)
        assert plan.delivered_mg == dose


def test_50_mcg_on_one_5_ml_syringe() -> None:
    mine = Syringe(F(5), F(1, 10))
    plan = plan_dilution(F(1, 20), 1, F(50), F(50), syringes=(mine,))
    check_concentrations = [s.concentration_mg_per_ml for s in plan.stages]
    assert plan.delivered_mg == F(1, 20)
    assert all(_decimal(c) for c in check_concentrations)
    assert all(s.aliquot_ml >= 1 and s.water_measure.syringe == mine for s in plan.stages)
    assert plan.dose_volume_ml >= 1


# --- worked examples (1 mg/mL: one 50 mg tablet in 50 mL) ---------------------------------


def test_worked_example_1_mcg() -> None:
    plan = plan_dilution(F(1, 1000), 1, F(50), F(50))
    first, second = plan.stages
    assert (first.aliquot_ml, first.aliquot_syringe, first.water_ml) == (F(1), ONE, F(9))
    assert first.water_measure == WaterMeasure(TEN, 1, F(1, 10))
    assert first.concentration_mg_per_ml == F(1, 10)
    assert (second.aliquot_ml, second.aliquot_syringe, second.water_ml) == (F(1), ONE, F(99))
    assert second.water_measure == WaterMeasure(TEN, 10, F(1))
    assert second.water_measure.fill_volumes_ml(F(99)) == (F(10),) * 9 + (F(9),)
    assert plan.final_concentration_mg_per_ml == F(1, 1000)
    assert (plan.dose_volume_ml, plan.dose_syringe) == (F(1), ONE)
    assert plan.waste_ml == 108
    assert range_text(plan.range) == "1 mcg (0.86 to 1.16 mcg)"


def test_worked_example_50_mcg() -> None:
    plan = plan_dilution(F(1, 20), 1, F(50), F(50))
    (stage,) = plan.stages
    assert (stage.aliquot_ml, stage.aliquot_syringe, stage.water_ml) == (F(1), ONE, F(19))
    assert stage.water_measure == WaterMeasure(TEN, 2, F(1, 5))
    assert plan.final_concentration_mg_per_ml == F(1, 20)
    assert (plan.dose_volume_ml, plan.dose_syringe) == (F(1), ONE)
    assert plan.waste_ml == 19
    assert range_text(plan.range) == "50 mcg (43 to 57 mcg)"


def test_worked_example_quarter_mg_needs_no_dilution() -> None:
    plan = plan_dilution(F(1, 4), 1, F(50), F(50))
    assert plan.stages == ()
    assert (plan.dose_volume_ml, plan.dose_syringe) == (F(1, 4), HALF)
    assert plan.change == 0
    assert range_text(plan.range) == "0.25 mg (0.218 to 0.284 mg)"
    assert plan.range.range_percent == F(40, 3)


def test_worked_example_4_5_mg_draws_the_nearest_mark_and_names_finer_syringes() -> None:
    plan = plan_dilution(F(9, 2), 1, F(50), F(50))
    assert plan.stages == ()
    assert (plan.dose_volume_ml, plan.dose_syringe) == (F(23, 5), FIVE)
    assert plan.change == F(1, 45)
    assert range_text(plan.range) == "4.6 mg (4 to 5.3 mg)"
    assert finer_syringes(F(9, 2), than=FIVE) == (Syringe(F(5), F(1, 10)),)


def test_a_dilution_when_asked_even_for_4_5_mg() -> None:
    plan = plan_dilution(F(9, 2), 1, F(50), F(50), always=True)
    check(plan, F(9, 2), STOCKS[0], always=True)
    assert len(plan.stages) == 1


def test_the_0_1_mg_boundary_is_diluted() -> None:
    # 0.1 mL of 1 mg/mL is at the limit, so diluted; from 0.5 mg/mL it is 0.2 mL, drawn.
    assert len(plan_dilution(F(1, 10), 1, F(50), F(50)).stages) == 1
    assert plan_dilution(F(1, 10), 1, F(50), F(100)).stages == ()


def test_a_stock_that_is_not_a_decimal_is_made_one_by_the_first_stage() -> None:
    plan = plan_dilution(F(1, 100), 1, F(50), F(30))  # 5/3 mg/mL
    check_concentrations = [s.concentration_mg_per_ml for s in plan.stages]
    assert all(_decimal(c) for c in check_concentrations)
    assert plan.delivered_mg == F(1, 100)


def test_a_given_water_error_is_the_stocks_and_a_stage_keeps_its_own() -> None:
    plan = plan_dilution(F(1, 20), 1, F(50), F(50), water_error_ml=F(1))
    assert plan.range.water_measure == WaterMeasure(None, 0, F(1))
    assert plan.range.water_error_ml == 1
    (stage,) = plan.stages
    assert (stage.aliquot_ml, stage.water_ml, stage.water_measure.error_ml) == (
        F(1),
        F(19),
        F(1, 5),
    )
    # 50 mg at 90% in 51 mL; 0.995 mL in 0.995 + 19.2 mL; drawn to 0.995 mL.
    low = 50 * F(9, 10) / 51 * F(995, 1000) / (F(995, 1000) + F(192, 10)) * F(995, 1000)
    assert plan.range.low_mg == low


def test_the_plan_says_what_it_made_and_used() -> None:
    plan = plan_dilution(F(1, 1000), 1, F(50), F(50))
    assert plan.made_ml == 110
    assert plan.stock_used_ml == 1
    assert plan.stages[1].total_ml == 100
    assert plan.range.assay == DEFAULT_ASSAY


# --- refusals ------------------------------------------------------------------------------------


def test_below_1_mcg_is_refused() -> None:
    with pytest.raises(
        RefusedError,
        match=r"^0\.5 mcg is an ultra-low dose \(below 1 mcg\); "
        r"a compounding pharmacy makes those$",
    ) as info:
        plan_dilution(F(1, 2000), 1, F(50), F(50))
    assert info.value.code == "ultra-low-dose"


def test_1_mcg_exactly_is_planned() -> None:
    assert plan_dilution(F(1, 1000), 1, F(50), F(50)).delivered_mg == F(1, 1000)


def test_a_dose_no_dilution_reaches_is_refused_naming_one_that_does() -> None:
    with pytest.raises(
        RefusedError,
        match=r"^no dilution of one or two stages puts 0\.101 mg on a good mark of any usual "
        r"oral syringe; 0\.1 mg can be; or ask a compounding pharmacy$",
    ) as info:
        plan_dilution(F(101, 1000), 2, F(50), F(20))  # no syringe given: the catalogue
    assert info.value.code == "no-dilution"
    with pytest.raises(RefusedError, match=r"on a good mark of the syringes given; 0\.1 mg can be"):
        plan_dilution(F(101, 1000), 2, F(50), F(20), syringes=CATALOGUE[:3])


@pytest.mark.parametrize(("water", "shown"), [(F(1), "1 mL"), (F(11, 10), "1.1 mL")])
def test_a_stock_too_small_to_take_a_dilution_from_says_so(water: Fraction, shown: str) -> None:
    # 1 mg at 50 mg/mL is 0.02 mL, no good mark; a dilution would take from the
    # stock, but a bottle keeps back its last 1 mL: 1 mL (or 1.1 mL) leaves no good draw.
    with pytest.raises(RefusedError) as info:
        plan_dilution(F(1), 1, F(50), water)
    assert str(info.value) == (
        f"no dilution of one or two stages puts 1 mg on a good mark: {shown} of stock is too "
        "little to take one from (a syringe cannot draw a bottle's last 1 mL); make the stock "
        "with more water, e.g. 50 mL"
    )
    assert info.value.code == "no-dilution"


def test_a_stock_no_dilution_makes_decimal_is_refused_with_advice() -> None:
    with pytest.raises(RefusedError, match=r"try other syringes, or ask a compounding pharmacy$"):
        plan_dilution(F(1, 1000), 1, F(50), F(7))


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((F(0), 1, F(50), F(50)), InvalidInputError, r"^a dose must be more than 0 mg, not 0 mg$"),
        ((F(-1), 1, F(50), F(50)), InvalidInputError, r"^a dose must be more than 0 mg"),
        ((F(1), 0, F(50), F(50)), InvalidInputError, r"^a stock needs one tablet or more"),
        ((F(1), 1, F(0), F(50)), InvalidInputError, r"^a stock needs one tablet or more"),
        ((F(1), 1, F(50), F(0)), InvalidInputError, r"^the water must be more than 0 mL"),
        (
            (F(51), 1, F(50), F(50)),
            RefusedError,
            r"^51 mg is more than the whole stock holds \(50 mg\)$",
        ),
        (
            (F(50), 1, F(50), F(499, 10)),
            RefusedError,
            r"^the nearest mark \(50 mL\) is more than the stock holds \(49\.9 mL\)$",
        ),
    ],
)
def test_bad_plans_are_refused(
    args: tuple[Fraction, int, Fraction, Fraction], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        plan_dilution(*args)


def test_no_syringe_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^a dilution needs a syringe to measure with$"):
        plan_dilution(F(1, 20), 1, F(50), F(50), syringes=())


def test_a_water_error_at_or_above_the_water_is_refused() -> None:
    with pytest.raises(
        RefusedError, match=r"^a water error of 50 mL is not less than the water \(50 mL\)"
    ) as info:
        plan_dilution(F(1, 20), 1, F(50), F(50), water_error_ml=F(50))
    assert info.value.code == "water-error-too-large"


@pytest.mark.parametrize(
    ("assay", "error", "message"),
    [
        ((F(0), F(1)), InvalidInputError, "more than 0% of its label, not 0%$"),
        ((F(-1, 10), F(1)), InvalidInputError, "more than 0% of its label, not -10%$"),
        ((F(11, 10), F(9, 10)), InvalidInputError, "runs backwards"),
    ],
)
def test_bad_assays_never_reach_a_plan(
    assay: tuple[Fraction, Fraction], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        plan_dilution(F(1, 20), 1, F(50), F(50), assay=Assay(*assay))


def test_a_stage_whose_concentration_does_not_follow_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^a dilution's concentration is the liquid's"):
        DilutionStage(F(1), F(1), ONE, F(9), WaterMeasure(TEN, 1, F(1, 10)), F(1, 9))


# --- when to dilute, and finer syringes -----------------------------------------------------


@pytest.mark.parametrize(
    ("volume", "syringe", "needed"),
    [
        (F(1, 10), None, True),  # at 0.1 mL
        (F(11, 100), None, False),  # 22% of the 0.5 mL syringe
        (F(1, 100), None, True),
        (F(9, 2), None, False),
        (F(1), TEN, True),  # 10% of the 10 mL syringe
        (F(2), TEN, False),  # 20% of it
        (F(30), None, False),  # several fills of the 10 mL syringe
    ],
)
def test_needs_dilution(volume: Fraction, syringe: Syringe | None, needed: bool) -> None:
    assert needs_dilution(volume, syringe) is needed


def test_needs_dilution_uses_the_smallest_syringe_that_holds_it() -> None:
    assert needs_dilution(F(1), syringes=(TEN, FIVE)) is False  # 20% of the 5 mL
    assert needs_dilution(F(1), syringes=(TEN,)) is True
    with pytest.raises(InvalidInputError, match=r"^a volume to draw must be more than 0 mL"):
        needs_dilution(F(0))


def test_known_syringes_are_real_ones_beyond_the_catalogue() -> None:
    assert set(KNOWN_SYRINGES).isdisjoint(CATALOGUE)
    assert Syringe(F(5), F(1, 10)) in KNOWN_SYRINGES


@pytest.mark.parametrize(
    ("volume", "than", "expected"),
    [
        (F(9, 2), None, [(F(5), F(1, 10)), (F(10), F(1, 2))]),
        (F(9, 2), FIVE, [(F(5), F(1, 10))]),
        (F(23, 5), FIVE, [(F(5), F(1, 10))]),
        (F(27, 100), None, [(F(1, 2), F(1, 100)), (F(1), F(1, 100))]),
        (F(27, 100), HALF, []),
        (F(18, 5), None, [(F(5), F(1, 10)), (F(5), F(1, 5)), (F(10), F(1, 5))]),
        (F(7, 2), None, [(F(5), F(1, 10)), (F(10), F(1, 2))]),
        (F(1, 20), None, []),
    ],
)
def test_finer_syringes_put_the_volume_on_a_mark(
    volume: Fraction, than: Syringe | None, expected: list[tuple[Fraction, Fraction]]
) -> None:
    found = finer_syringes(volume, than)
    assert [(s.capacity_ml, s.graduation_ml) for s in found] == expected
    assert all(good(volume, s) for s in found)


def test_a_volume_below_half_the_only_syringes_mark_is_diluted_or_refused_as_such() -> None:
    # 4.5 mg at 36.2 mg/mL is about 0.1243 mL: above 0.1 mL and 20% of a 0.5 mL
    # syringe, but it rounds to no mark at all on marks every 0.25 mL. It must go
    # to the dilution search, which says what cannot be done, not to the mark.
    syringe = Syringe(Fraction(1, 2), Fraction(1, 4))
    with pytest.raises(RefusedError) as caught:
        plan_dilution(Fraction(9, 2), 1, Fraction(181, 10), Fraction(1, 2), syringes=(syringe,))
    assert caught.value.code == "no-dilution"
    # Its 0.5 mL of stock is too little to take a dilution from: that is what is said.
    assert str(caught.value).startswith(
        "no dilution of one or two stages puts 4.5 mg on a good mark: 0.5 mL of stock is too little"
    )
