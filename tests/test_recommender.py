from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ldncalc.dose.preparation import make_preparation, plan_dose
from ldncalc.dose.recommender import dose_steps, rank_key, recommend
from ldncalc.dose.screening import UNMEASURABLE
from ldncalc.dose.syringes import CATALOGUE
from ldncalc.errors import ArgumentTypeError, InvalidInputError, LdncalcError, RefusedError
from ldncalc.units import quantity
from tests.fuzzing import cli, expect_dose, good, measuring_share

F = Fraction
HALF = F(1, 2)
DEFAULT_DOSES = dose_steps(HALF, F(9, 2), HALF)
# The catalogue as the domain notes give it (capacity, graduation), smallest first.


def test_dose_steps_include_the_end() -> None:
    assert dose_steps(F(1), F(9, 2), F(1)) == (F(1), F(2), F(3), F(4), F(9, 2))
    assert tuple(F(n, 2) for n in range(1, 10)) == DEFAULT_DOSES


def test_dose_steps_are_exact_tenths() -> None:
    # The 0.30000000000000004: exact numbers give exact tenths.
    tenths = (F(1, 10), F(2, 10), F(3, 10), F(4, 10), F(5, 10))
    assert dose_steps(F(1, 10), F(1, 2), F(1, 10)) == tenths
    assert dose_steps(Decimal("0.1"), Decimal("0.5"), Decimal("0.1")) == tenths
    assert dose_steps("0.1 mg", "500 mcg", "0.1mg") == tenths
    assert dose_steps(quantity(F(1, 10), "mg"), F(1, 2), F(1, 10)) == tenths


def test_dose_steps_refuse_floats() -> None:
    with pytest.raises(
        ArgumentTypeError, match=r"start_mg=0.1: .*\(a float is not exact\)"
    ) as info:
        dose_steps(0.1, 0.5, 0.1)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, LdncalcError)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((F(5), F(1), HALF), "starts above its end"),
        ((HALF, F(9, 2), F(0)), "step_mg must be more than zero"),
        ((F(0), F(9, 2), HALF), "start_mg must be more than zero"),
        ((HALF, F(100), F(1, 1000)), "choose a larger step"),
    ],
)
def test_dose_steps_refuse(args: tuple[Fraction, Fraction, Fraction], fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        dose_steps(*args)


def decimal_places(value: Fraction) -> int:
    """Places of a decimal that ends, 99 for one that never does (written here)."""
    for places in range(30):
        if (value * 10**places).denominator == 1:
            return places
    return 99


def brute_force_best(doses: tuple[Fraction, ...]) -> tuple[int, Fraction]:
    """Rank every preparation with plain fractions (tests/fuzzing.py), independently of ldncalc.

    The rules are the domain's: the smallest syringe that holds the volume (else
    the largest); the nearest mark, halves going up; a good measurement is on a
    mark, one fill, above 0.1 mL and at least 20% of the syringe; a preparation is
    ranked by its worst measuring range (the water's measure and half a mark per
    fill, as a share of the dose) plus the mark's change. The winner here is exact
    (every dose a good measurement), so no dose of it needs a dilution.
    """
    best: tuple[object, ...] | None = None
    best_prep = (0, F(0))
    for tablets in (1, 2, 3):
        for water in range(5, 251):
            if F(tablets * 50, water) > 100 or max(doses) > tablets * 50:
                continue
            expected = [expect_dose(d, tablets, F(50), F(water)) for d in doses]
            if any(e.mark_ml == 0 for e in expected):
                continue  # a dose below half the finest mark: ranks after everything
            bad = sum(not good(e) for e in expected)
            key = (
                bad > 0,
                bad,
                max(abs(e.change) + measuring_share(e) for e in expected),
                max(e.graduation_ml / 2 / e.volume_ml for e in expected),
                decimal_places(F(tablets * 50, water)),
                tablets,
                water,
            )
            if best is None or key < best:
                best, best_prep = key, (tablets, F(water))
    assert best is not None
    assert best[0] is False, "the brute force decides only when an exact preparation exists"
    return best_prep


@pytest.mark.parametrize(
    "doses",
    [
        DEFAULT_DOSES,
        dose_steps(F(1), F(9, 2), F(1)),
        dose_steps(F(3, 4), F(6), F(3, 4)),
        (F(3, 2), F(3), F(9, 2)),
        (F(1, 10), F(1, 4)),
    ],
)
def test_search_finds_the_brute_force_optimum(doses: tuple[Fraction, ...]) -> None:
    best = recommend(doses).candidates[0].preparation
    assert (best.tablets, best.water_ml) == brute_force_best(doses)


def test_default_range_best_is_one_tablet_in_100_ml() -> None:
    rec = recommend(DEFAULT_DOSES)
    best = rec.candidates[0]
    assert rec.exact_found
    assert best.exact
    assert best.preparation.label == "1 x 50 mg tablet in 100 mL = 0.5 mg/mL"
    assert best.worst_reading_error == F(1, 40)  # 0.005 mL of 1 mL (0.5 mg), half a mark
    # Exact, so the worst error is the measuring range alone: 2 mL (1 mg) read to 0.05 mL,
    # the 100 mL of water to 1 mL (10 fills of the 10 mL syringe): 2.05/2 x 100/99 - 1.
    assert best.worst_error == F(7, 198)
    assert best.worst_error == max(
        measuring_share(expect_dose(d, 1, F(50), F(100))) for d in DEFAULT_DOSES
    )
    assert all(p.error == 0 for p in best.plans)
    assert all(p.measurement.good for p in best.plans)
    assert rec.searched == 3 * 246
    assert len(rec.candidates) == 5


def test_recommend_takes_every_kind_of_amount() -> None:
    from_text = recommend(dose_steps("0.5 mg", "4.5 mg", "0.5 mg"))
    assert from_text.candidates[0].preparation.label == "1 x 50 mg tablet in 100 mL = 0.5 mg/mL"
    mixed = recommend(["500 mcg", F(1), Decimal("1.5"), quantity(2, "mg")], top=1)
    assert mixed.doses_mg == (HALF, F(1), F(3, 2), F(2))
    with pytest.raises(ArgumentTypeError, match=r"doses_mg=4\.5"):
        recommend([4.5])  # type: ignore[list-item]


def test_says_plainly_when_nothing_is_exact() -> None:
    rec = recommend((F(1, 300),), tablets=1)
    assert not rec.exact_found
    assert "no-exact-preparation" in {a.code for a in rec.advisories}
    assert rec.candidates
    # 1/300 mg is at most 1/60 mL of any stock searched: too little to draw, so diluted.
    [plan] = rec.candidates[0].plans
    assert plan.dilution
    assert plan.delivered_mg == F(1, 300)


def test_fixed_tablets_and_strength() -> None:
    rec = recommend(DEFAULT_DOSES, tablets=2, strength_mg="25 mg", top=3)
    assert {c.preparation.tablets for c in rec.candidates} == {2}
    assert {c.preparation.strength_mg for c in rec.candidates} == {25}
    assert rec.searched == 246
    assert len(rec.candidates) == 3


def test_recommend_refuses_empty() -> None:
    with pytest.raises(InvalidInputError, match="give at least one dose"):
        recommend(())
    with pytest.raises(InvalidInputError, match="top must be 1 to 50, not 0"):
        recommend(DEFAULT_DOSES, top=0)
    with pytest.raises(ArgumentTypeError, match="top must be a whole number"):
        recommend(DEFAULT_DOSES, top=cast(Any, 1.0))  # the float is the test
    with pytest.raises(InvalidInputError, match="tablets must be 1 to 10, not 11"):
        recommend(DEFAULT_DOSES, tablets=11)


def test_catalogue_is_the_default() -> None:
    assert recommend(DEFAULT_DOSES, top=1).candidates[0].plans[0].measurement.syringe in CATALOGUE


def test_mix_ranks_diluted_doses_by_the_ranges_dose_gives_them() -> None:
    # mix --from 0.001mg --to 0.01mg --step 0.001mg once ranked its recipe "up to 160%"
    # (1 mcg drawn as 0.005 mL of the stock) while every dose under it was diluted.
    doses = dose_steps(F(1, 1000), F(1, 100), F(1, 1000))
    rec = recommend(doses)
    best = rec.candidates[0]
    assert best.preparation == make_preparation(1, F(50), F(250))
    # Every dose is planned as dose plans it.
    assert best.plans == tuple(plan_dose(d, best.preparation) for d in doses)
    assert all(p.dilution for p in best.plans)
    # By hand, 1 mcg from 0.2 mg/mL: 1 mL of stock (1 mL syringe, 0.01 mL marks) and
    # 99 mL of water (10 fills of the 10 mL syringe: within 1 mL), then 0.5 mL drawn on
    # the 0.5 mL (0.01 mL marks) syringe; the 250 mL stock water is 25 fills, within
    # 2.5 mL. Highest over nominal: 250/247.5 x (1.005/(1.005 + 98)) / (1/100) x 0.505/0.5.
    high = F(250) / F(4950, 20) * (F(1005, 1000) / (F(1005, 1000) + 98)) * 100 * F(505, 500)
    assert best.worst_error == high - 1  # ≈3.56%, the worst of the ten doses
    assert F(35, 1000) < best.worst_error < F(36, 1000)
    # Every candidate's rank is what dose says of its doses.
    for c in rec.candidates:
        assert c.worst_error == max(abs(p.error) + p.range.measuring_percent / 100 for p in c.plans)
        assert not c.exact
    errors = [c.worst_error for c in rec.candidates]
    assert errors == sorted(errors)


def test_mix_shows_the_ranges_of_its_diluted_doses() -> None:
    result = cli("mix", "--from", "0.001mg", "--to", "0.01mg", "--step", "0.001mg", width=200)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("1 "))
    assert row.split() == [
        "1", "1", "x", "50", "mg", "250", "mL", "0.2", "mg/mL", "no", "up", "to", "3.6%",
        "up", "to", "14%",
    ]  # fmt: skip
    assert "160%" not in result.stdout


@settings(max_examples=12)
@given(
    st.sampled_from((1, 2, 3)),
    st.integers(5, 250),
    st.lists(
        st.sampled_from(
            (F(1, 1000), F(1, 200), F(1, 50), F(1, 10), F(1, 4), HALF, F(7, 4), F(9, 2))
        ),
        min_size=1,
        max_size=3,
        unique=True,
    ),
)
def test_the_rank_is_the_range_dose_gives_drawn_or_diluted(
    tablets: int, water: int, doses: list[Fraction]
) -> None:
    # The closed form ranks doses drawn from the stock, the dilution's range diluted ones:
    # either way, exactly the measuring share of the plan dose gives (its mark's change
    # added), or the recipe ranks last when dose refuses a dose of it.
    assume(F(tablets * 50, water) <= 100)
    prep = make_preparation(tablets, F(50), F(water))
    key = rank_key(tablets, F(50), F(water), tuple(doses))
    try:
        plans = [plan_dose(d, prep) for d in doses]
    except RefusedError:
        assert key.worst_error == UNMEASURABLE
        return
    assert key.worst_error == max(abs(p.error) + p.range.measuring_percent / 100 for p in plans)
    assert key.off_mark == sum(bool(p.dilution) or not p.measurement.good for p in plans)
