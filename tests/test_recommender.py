from __future__ import annotations

from fractions import Fraction

import pytest

from ldncalc.errors import InvalidInputError
from ldncalc.preparation import make_preparation
from ldncalc.recommender import dose_steps, recommend
from ldncalc.syringes import CATALOGUE, measure
from ldncalc.units import as_fraction, volume

HALF = Fraction(1, 2)
DEFAULT_DOSES = dose_steps(HALF, Fraction(9, 2), HALF)


def test_dose_steps_include_the_end() -> None:
    assert dose_steps(Fraction(1), Fraction(9, 2), Fraction(1)) == (1, 2, 3, 4, Fraction(9, 2))
    assert len(DEFAULT_DOSES) == 9


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((Fraction(5), Fraction(1), HALF), "starts above its end"),
        ((HALF, Fraction(9, 2), Fraction(0)), "more than zero"),
        ((HALF, Fraction(100), Fraction(1, 1000)), "choose a larger step"),
    ],
)
def test_dose_steps_refuse(args: tuple[Fraction, Fraction, Fraction], fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        dose_steps(*args)


def brute_force_best(doses: tuple[Fraction, ...]) -> tuple[int, int]:
    """Rank every preparation with the public measuring API, independently of recommend()."""
    best: tuple[object, ...] | None = None
    best_prep = (0, 0)
    for tablets in (1, 2, 3):
        for water in range(5, 251):
            prep = make_preparation(tablets, water=volume(water))
            c = prep.concentration_mg_per_ml
            measurements = [measure(d / c) for d in doses]
            good = [
                m.change == 0
                and m.fills == 1
                and m.volume_ml > Fraction(1, 10)
                and m.fill_fraction >= Fraction(1, 5)
                for m in measurements
            ]
            worst = max(abs(m.change) + m.reading_uncertainty for m in measurements)
            places = [p for p in range(12) if (c * 10**p).denominator == 1]
            roundness = places[0] if places else 99
            key = (not all(good), good.count(False), worst, roundness, tablets, water)
            if best is None or key < best:
                best, best_prep = key, (tablets, water)
    return best_prep


@pytest.mark.parametrize(
    "doses",
    [
        DEFAULT_DOSES,
        dose_steps(Fraction(1), Fraction(9, 2), Fraction(1)),
        dose_steps(Fraction(3, 4), Fraction(6), Fraction(3, 4)),
        (Fraction(3, 2), Fraction(3), Fraction(9, 2)),
    ],
)
def test_search_finds_the_brute_force_optimum(doses: tuple[Fraction, ...]) -> None:
    best = recommend(doses).candidates[0].preparation
    assert (best.tablets, as_fraction(best.water, "mL")) == brute_force_best(doses)


def test_default_range_best_is_one_tablet_in_100_ml() -> None:
    rec = recommend(DEFAULT_DOSES)
    best = rec.candidates[0]
    assert rec.exact_found
    assert best.exact
    assert best.preparation.label == "1 x 50 mg tablet in 100 mL = 0.5 mg/mL"
    assert best.worst_reading_error == Fraction(1, 40)
    assert all(p.error == 0 for p in best.plans)
    assert rec.searched == 3 * 246


def test_says_plainly_when_nothing_is_exact() -> None:
    rec = recommend((Fraction(1, 300),), tablets=1)
    assert not rec.exact_found
    assert "no-exact-preparation" in {a.code for a in rec.advisories}
    assert rec.candidates


def test_recommend_refuses_empty() -> None:
    with pytest.raises(InvalidInputError):
        recommend(())
    with pytest.raises(InvalidInputError):
        recommend(DEFAULT_DOSES, top=0)


def test_catalogue_is_the_default() -> None:
    assert recommend(DEFAULT_DOSES, top=1).candidates[0].plans[0].measurement.syringe in CATALOGUE
