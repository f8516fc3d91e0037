"""The dilution search's tables, built lazily, against every stage enumerated by hand.

The search keeps only the stage factors up front and finds the stages giving a
factor when a match needs them (``_pairs``), and compares ranges in integers
(``_stage_ratios``, ``_key_bounds``). The oracle walks every aliquot and every
water in millilitres, with Fractions.
"""

from __future__ import annotations

from fractions import Fraction as F
from math import ceil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.dose import dilution
from ldncalc.dose.accuracy import WaterMeasure, water_on_marks
from ldncalc.dose.kit import Scale
from ldncalc.dose.syringes import CATALOGUE, SMALL_VOLUME_ML, Syringe, is_measurable

SETS = {
    "catalogue": (CATALOGUE, None),
    "two fine": (CATALOGUE[:2], None),
    "known": ((Syringe(F(1), F(1, 50)), Syringe(F(5), F(1, 10))), None),
    "one coarse": ((Syringe(F(3), F(1, 10)),), None),
    "catalogue and a scale": (CATALOGUE, Scale(F(1, 100), F(3, 100))),
}


def _by_hand(
    tables: dilution._Tables,
) -> dict[F, list[tuple[int, int]]]:
    """Every stage (aliquot in units, water in mL), by its factor aliquot / (aliquot + water)."""
    unit = tables.unit
    stages: dict[F, list[tuple[int, int]]] = {}
    for a in sorted(tables.aliquots):
        for b in sorted(tables.waters):
            stages.setdefault(F(a, unit) / (F(a, unit) + b), []).append((a, b))
    return stages


@pytest.mark.parametrize("name", SETS)
def test_every_factor_and_the_stages_that_give_it(name: str) -> None:
    syringes, scale = SETS[name]
    tables = dilution._tables.__wrapped__(syringes, SMALL_VOLUME_ML, scale)
    stages = _by_hand(tables)
    keys = [key for group in tables.by_core.values() for key in group]
    assert len(keys) == len(set(keys))
    assert {F(*key) for key in keys} == set(stages)
    for core, group in tables.by_core.items():
        for n, d in group:
            assert F(n, d).denominator == d  # in lowest terms
            assert d % core == 0
            assert all(p in (2, 5) for p in _primes(d // core))
            assert 2 not in _primes(core)
            assert 5 not in _primes(core)
    for key in keys:
        assert list(dilution._pairs(tables, key)) == stages[F(*key)]


def _primes(n: int) -> list[int]:
    found, p = [], 2
    while n > 1:
        while n % p == 0:
            found.append(p)
            n //= p
        p += 1
    return found


@pytest.mark.parametrize("name", SETS)
def test_a_stage_range_in_integers_is_the_range_in_fractions(name: str) -> None:
    syringes, scale = SETS[name]
    tables = dilution._tables.__wrapped__(syringes, SMALL_VOLUME_ML, scale)
    unit = tables.unit
    stages = _by_hand(tables)
    for factor, pairs in list(stages.items())[::37]:
        lows, highs = [], []
        for a, b in pairs:
            # In mL: half a mark read off the aliquot, the water's own error.
            aliquot, g = F(a, unit), tables.marks[a].graduation_ml / 2
            e = tables.waters[b].error_ml
            low = (aliquot - g) / (aliquot - g + b + e) / factor
            high = (aliquot + g) / (aliquot + g + b - e) / factor
            (ln, ld), (hn, hd) = dilution._stage_ratios(tables, (a, b))
            assert (F(ln, ld), F(hn, hd)) == (low, high)
            lows.append(low)
            highs.append(high)
        (ln, ld), (hn, hd) = dilution._key_bounds(tables, (factor.numerator, factor.denominator))
        assert (F(ln, ld), F(hn, hd)) == (max(lows), min(highs))


syringes_ = st.sampled_from(
    (*CATALOGUE, Syringe(F(1), F(1, 50)), Syringe(F(5), F(1, 10)), Syringe(F(10), F(1, 2)))
)
volumes = st.fractions(min_value=F(-1), max_value=F(120), max_denominator=300)


@given(volumes, syringes_, st.sampled_from((SMALL_VOLUME_ML, F(0), F(1, 3))))
def test_measurable_is_on_a_mark_within_the_syringe(volume: F, syringe: Syringe, least: F) -> None:
    expected = (
        least < volume <= syringe.capacity_ml
        and volume >= syringe.capacity_ml / 5
        and (volume / syringe.graduation_ml).denominator == 1
    )
    assert is_measurable(volume, syringe, least) == expected


@given(volumes.filter(lambda v: v > 0), st.lists(syringes_, min_size=1, max_size=5), st.booleans())
def test_water_on_marks_takes_the_fewest_fills_then_the_finest_marks(
    water: F, chosen: list[Syringe], each_fill: bool
) -> None:
    options = []
    for s in chosen:
        if (water / s.graduation_ml).denominator != 1:
            continue
        fills = max(1, ceil(water / s.capacity_ml))
        rest = water - (fills - 1) * s.capacity_ml
        if each_fill and not (
            is_measurable(rest, s) and (fills == 1 or is_measurable(s.capacity_ml, s))
        ):
            continue
        options.append(((fills, s.graduation_ml, s.capacity_ml), s))
    got = water_on_marks(water, tuple(chosen), each_fill_measurable=each_fill)
    if not options:
        assert got is None
    else:
        (fills, mark, _), syringe = min(options, key=lambda o: o[0])
        assert got == WaterMeasure(syringe, fills, fills * mark / 2)
