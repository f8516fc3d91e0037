"""``today`` with a bottle of stock mixed otherwise than the plan's: one liquid, one recipe.

A new user's trial: with a stock mixed stronger than the plan's (50 mg in 10 mL,
5 mg/mL, where the plan mixes 1 mg/mL) a dose the plan draws from its stock
needs a dilution of hers; ``today`` printed that dilution's recipe and then the
diluted volume "from batch 1", her stock (ten times the dose), and ``mixed
--dilution`` refused it. With a 2 mg/mL stock on a diluted day it printed two
recipes (the plan's from 1 mg/mL, and one from hers). The oracle: the volume
and concentration worked by hand from the recipe ``today`` prints (aliquot x
the source's concentration / the aliquot and water), and the dose.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction as F
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli_diary import Home


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path)


def _f(value: Any) -> F:
    return F(Decimal(str(value)))


def _made(stage: dict[str, Any]) -> F:
    """The concentration a stage makes, by hand: aliquot x its liquid / (aliquot + water)."""
    aliquot, water = _f(stage["aliquot_ml"]), _f(stage["water_ml"])
    return _f(stage["from_concentration_mg_per_ml"]) * aliquot / (aliquot + water)


def _check_day(day: dict[str, Any], dose: F, stock: F) -> dict[str, Any]:
    """The day's volume is of the liquid named, made from her stock; return the dilution to mix."""
    concentration = _f(day["concentration_mg_per_ml"])
    assert concentration * _f(day["volume_ml"]) == dose
    assert _f(day["batch"]["concentration_mg_per_ml"]) == concentration
    assert day["batch"]["liquid"] != "stock"
    stages = day["dilution"]
    assert _f(stages[0]["from_concentration_mg_per_ml"]) == stock  # the bottle she holds
    for stage in stages:  # each aliquot in one fill of the syringe named for it
        assert _f(stage["aliquot_ml"]) <= _f(stage["aliquot_syringe_ml"])
    for before, after in pairwise(stages):
        assert _f(after["from_concentration_mg_per_ml"]) == _made(before)
    assert _made(stages[-1]) == concentration
    first: dict[str, Any] = stages[0]
    return first


@pytest.mark.parametrize(
    ("plan", "water", "on", "dose"),
    [
        # 0.5 mg of 5 mg/mL is 0.1 mL: too small to draw, so a dilution of it.
        (("ldnrt-sensitive",), "10mL", "2026-11-01", F(1, 2)),
        # Day 8, 0.2 mg of 2 mg/mL is 0.1 mL (the plan's 1 mg/mL draws 0.2 mL).
        (
            ("--start", "0.1mg", "--step", "0.1mg", "--every", "7d", "--target", "0.5mg"),
            "25mL",
            "2026-11-08",
            F(1, 5),
        ),
    ],
)
def test_a_stronger_stock_is_diluted_and_the_volume_is_for_the_dilution(
    home: Home, plan: tuple[str, ...], water: str, on: str, dose: F
) -> None:
    stock = 50 / F(water.removesuffix("mL"))  # one 50 mg tablet
    home.ok("plan", "start", *plan, "--start-date", "2026-11-01")
    home.ok("mixed", "--water", water, "--date", "2026-11-01")
    day = home.json("today", "--date", on)
    first = _check_day(day, dose, stock)
    assert day["batch"]["batch"] == 2  # batch 1 is her stock
    assert not day["batch"]["recorded"]
    (to_mix,) = day["to_mix"]
    assert to_mix["bottle"] == day["batch"]
    assert to_mix["dilution"] == day["dilution"]
    text = home.ok("today", "--date", on)
    assert "Mix today:   batch 2, dilution 1 of batch 1" in text
    assert "from batch 2 on the" in text
    assert "from batch 1" not in text
    label = home.ok("mixed", "--dilution", "--date", on)
    assert f"Concentration: {Decimal(_made(first).numerator) / _made(first).denominator}" in label
    home.ok("took", "--date", on)
    after = home.json("today", "--date", on)
    _check_day(after, dose, stock)
    assert after["batch"]["batch"] == 2
    assert after["batch"]["recorded"]
    # The dose was drawn from the dilution: 10 mL made (the total of its recipe), less the volume.
    made_ml = _f(first["aliquot_ml"]) + _f(first["water_ml"])
    assert _f(after["batch"]["left_ml"]) == made_ml - _f(day["measured_volume_ml"])


def test_the_dilution_of_a_stronger_stock_outlives_neither_it_nor_its_label(home: Home) -> None:
    home.ok("plan", "start", "ldnrt-sensitive", "--start-date", "2026-11-01")
    home.ok("mixed", "--water", "10mL", "--date", "2026-10-25")  # kept 14 days: to 11-07
    day = home.json("today", "--date", "2026-11-01")
    assert day["to_mix"][0]["bottle"]["discard_date"] == "2026-11-07"
    label = home.ok("mixed", "--dilution", "--date", "2026-11-01")
    assert "Discard after: 2026-11-07" in label


def test_one_recipe_for_the_stock_she_holds_in_text_and_json(home: Home) -> None:
    """Two 50 mg tablets in 50 mL (2 mg/mL), 0.1 mg from the plan's 0.1 mg/mL dilution."""
    home.ok(
        "plan",
        "start",
        *("--start", "0.1mg", "--step", "0.1mg", "--every", "7d", "--target", "0.5mg"),
        *("--start-date", "2026-11-01"),
    )
    home.ok("mixed", "--tablets", "2", "--date", "2026-11-01")
    for recorded in (False, True):
        day = home.json("today", "--date", "2026-11-01")
        first = _check_day(day, F(1, 10), F(2))
        # 0.1 mg/mL in 10 mL is 1 mg: 0.5 mL of 2 mg/mL, and 9.5 mL of water.
        assert _f(first["aliquot_ml"]) * 2 == _made(first) * 10 == 1
        if not recorded:
            assert [m["dilution"] for m in day["to_mix"]] == [day["dilution"]]
        text = home.ok("today", "--date", "2026-11-01")
        assert "take 0.5 mL of the shaken stock (2 mg/mL)" in text
        assert "(1 mg/mL)" not in text
        if not recorded:
            home.ok("mixed", "--dilution", "--date", "2026-11-01")


def test_a_dilution_to_mix_is_kept_no_longer_than_its_stock_as_its_label_says(home: Home) -> None:
    """The plan's two-stage dilution (1 mcg) from a stock mixed four days before the plan."""
    plan = ("--start", "1mcg", "--step", "1mcg", "--every", "7d", "--target", "5mcg")
    home.ok("plan", "start", *plan, "--start-date", "2026-11-01")
    home.ok("mixed", "--date", "2026-10-28")  # kept 14 days, 10-28 is day 1: to 11-10
    day = home.json("today", "--date", "2026-11-01")
    (to_mix,) = day["to_mix"]
    assert to_mix["bottle"]["discard_date"] == day["batch"]["discard_date"] == "2026-11-10"
    assert "discard after 2026-11-10" in " ".join(home.ok("today", "--date", "2026-11-01").split())
    for stage in ("1", "2"):
        label = home.ok("mixed", "--dilution", "--stage", stage, "--date", "2026-11-01")
        assert "Discard after: 2026-11-10 (with the liquid it was made from" in label
    assert home.json("today", "--date", "2026-11-01")["batch"]["discard_date"] == "2026-11-10"


@pytest.mark.parametrize(("water", "stock"), [("100mL", F(1, 2)), ("200mL", F(1, 4))])
def test_a_weaker_stock_makes_the_plans_dilution_with_its_own_aliquot(
    home: Home, water: str, stock: F
) -> None:
    """0.1 mg from 0.1 mg/mL in 10 mL (1 mg): 2 mL of 0.5 mg/mL, 4 mL of 0.25 mg/mL."""
    plan = ("--start", "0.1mg", "--step", "0.1mg", "--every", "7d", "--target", "0.5mg")
    home.ok("plan", "start", *plan, "--start-date", "2026-11-01")
    home.ok("mixed", "--water", water, "--date", "2026-11-01")
    day = home.json("today", "--date", "2026-11-01")
    first = _check_day(day, F(1, 10), stock)
    assert _f(first["aliquot_ml"]) * stock == 1
    assert [m["dilution"] for m in day["to_mix"]] == [day["dilution"]]


def test_a_stock_as_weak_as_the_plans_dilution_is_drawn_from_itself(home: Home) -> None:
    """50 mg in 500 mL is 0.1 mg/mL, the plan's dilution: 0.1 mg is 1 mL of her stock."""
    plan = ("--start", "0.1mg", "--step", "0.1mg", "--every", "7d", "--target", "0.5mg")
    home.ok("plan", "start", *plan, "--start-date", "2026-11-01")
    home.ok("mixed", "--water", "500mL", "--date", "2026-11-01")
    day = home.json("today", "--date", "2026-11-01")
    assert day["liquid"] == "stock"
    assert _f(day["concentration_mg_per_ml"]) == F(50, 500)
    assert _f(day["volume_ml"]) * F(50, 500) == F(1, 10)
    assert day["batch"]["batch"] == 1
    assert _f(day["batch"]["concentration_mg_per_ml"]) == F(50, 500)
    assert day["dilution"] == []
    assert day["to_mix"] == []


def test_a_volume_for_another_bottle_is_refused_in_one_line(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last guard: were the held stock ignored (the fault found), no instruction at all."""
    from ldncalc.diary import living

    home.ok("plan", "start", "ldnrt-sensitive", "--start-date", "2026-11-01")
    home.ok("mixed", "--water", "10mL", "--date", "2026-11-01")
    monkeypatch.setattr(living, "held_measure", lambda *args: None)
    message = home.refused(1, "today", "--date", "2026-11-01")
    assert message == (
        "the day's volume is for a 1 mg/mL liquid, and batch 1 is 5 mg/mL: ldncalc gives no "
        "instruction rather than a wrong one"
    )
