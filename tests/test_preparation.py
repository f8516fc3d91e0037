from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.preparation import (
    dose_for_volume,
    make_preparation,
    plan_dose,
    volume_for_dose,
)
from ldncalc.syringes import Syringe
from ldncalc.units import as_fraction, dose, volume


def codes(plan: object) -> set[str]:
    return {a.code for a in plan.advisories}  # type: ignore[attr-defined]


def test_common_recipe_one_tablet_in_50_ml_gives_4_5_ml_for_4_5_mg() -> None:
    prep = make_preparation()
    assert prep.concentration_mg_per_ml == 1
    assert prep.label == "1 x 50 mg tablet in 50 mL = 1 mg/mL"
    plan = plan_dose("4.5 mg", prep)
    assert as_fraction(plan.volume, "mL") == Fraction(9, 2)


def test_4_5_mg_on_the_5_ml_syringe_snaps_to_4_6_and_says_so() -> None:
    plan = plan_dose("4.5 mg")
    assert plan.measurement.syringe.capacity_ml == 5
    assert plan.measurement.measured_ml == Fraction(23, 5)
    assert plan.delivered_mg == Fraction(23, 5)
    assert plan.error == Fraction(1, 45)
    assert codes(plan) == {"mark-changes-dose"}


def test_4_5_mg_on_a_0_1_ml_syringe_is_exact() -> None:
    plan = plan_dose("4.5 mg", syringe=Syringe(Fraction(5), Fraction(1, 10)))
    assert plan.measurement.measured_ml == Fraction(9, 2)
    assert plan.error == 0
    assert codes(plan) == set()


def test_5_mg_per_ml_gives_0_1_ml_for_0_5_mg_with_the_small_volume_warning() -> None:
    prep = make_preparation(water="10 mL")
    assert prep.concentration_mg_per_ml == 5
    plan = plan_dose("0.5 mg", prep)
    assert as_fraction(plan.volume, "mL") == Fraction(1, 10)
    assert "small-volume" in codes(plan)


def test_4500_mcg_is_4_5_mg() -> None:
    assert plan_dose("4500 mcg") == plan_dose("4.5 mg")


def test_small_fill_warning() -> None:
    plan = plan_dose("0.5 mg", syringe=Syringe(Fraction(10), Fraction(1, 5)))
    assert "small-fill" in codes(plan)


def test_multiple_fills_warning() -> None:
    plan = plan_dose("4.5 mg", make_preparation(water="250 mL"))
    assert plan.measurement.fills == 3
    assert "multiple-fills" in codes(plan)


@pytest.mark.parametrize(
    ("text", "code"),
    [("0.25 mg", "dose-below-range"), ("4.8 mg", "dose-above-range"), ("6 mg", "dose-above-5mg")],
)
def test_dose_range_warnings(text: str, code: str) -> None:
    assert code in codes(plan_dose(text))


def test_usual_doses_have_no_range_warning() -> None:
    for text in ["0.5 mg", "1.5 mg", "4.5 mg"]:
        assert not {"dose-below-range", "dose-above-range"} & codes(plan_dose(text))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("60 mg", "more than the whole preparation holds"),
        ("4.5 kg", "more than the whole preparation holds"),
        ("0.004 mg", "at least 3 times more dilute"),
    ],
)
def test_refusals(text: str, fragment: str) -> None:
    with pytest.raises(RefusedError, match=fragment):
        plan_dose(text)


def test_above_solubility_is_refused() -> None:
    with pytest.raises(RefusedError, match="solubility"):
        make_preparation(water="0.1 mL")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"tablets": 0}, "1 to 10"),
        ({"tablets": 11}, "1 to 10"),
        ({"tablets": True}, "whole number"),
        ({"strength": "500 mg"}, "at most 100 mg"),
        ({"water": "2 L"}, "at most 1000 mL"),
        ({"water": "50 mg"}, "is a dose"),
    ],
)
def test_preparation_checks(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        make_preparation(**kwargs)  # type: ignore[arg-type]


tablets = st.integers(1, 3)
waters = st.integers(5, 250)
doses = st.fractions(min_value=Fraction(1, 10), max_value=Fraction(10))


@given(tablets, waters, doses)
def test_volume_times_concentration_is_the_dose_exactly(t: int, w: int, mg: Fraction) -> None:
    prep = make_preparation(t, water=volume(w))
    v = volume_for_dose(prep, dose(mg))
    assert as_fraction(v * prep.concentration, "mg") == mg
    assert as_fraction(dose_for_volume(prep, v), "mg") == mg


@given(tablets, waters, doses)
def test_delivered_dose_is_the_mark_times_the_concentration(t: int, w: int, mg: Fraction) -> None:
    prep = make_preparation(t, water=volume(w))
    try:
        plan = plan_dose(dose(mg), prep)
    except RefusedError:
        # Refused only when the volume is less than half the finest mark (0.01 mL).
        assert mg / prep.concentration_mg_per_ml < Fraction(1, 200)
        return
    m = plan.measurement
    assert plan.delivered_mg == m.measured_ml * prep.concentration_mg_per_ml
    assert abs(m.measured_ml - m.volume_ml) <= m.syringe.graduation_ml / 2
