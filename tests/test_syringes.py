from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.syringes import CATALOGUE, Syringe, choose_syringe, measure, parse_syringe

volumes = st.fractions(min_value=Fraction(1, 100), max_value=Fraction(30))


def test_catalogue_defaults() -> None:
    assert [(s.capacity_ml, s.graduation_ml) for s in CATALOGUE] == [
        (Fraction(1, 2), Fraction(1, 100)),
        (Fraction(1), Fraction(1, 100)),
        (Fraction(3), Fraction(1, 10)),
        (Fraction(5), Fraction(1, 5)),
        (Fraction(10), Fraction(1, 5)),
    ]


@pytest.mark.parametrize(
    ("ml", "capacity"),
    [
        ("0.1", "0.5"),
        ("0.5", "0.5"),
        ("0.51", "1"),
        ("1", "1"),
        ("2.5", "3"),
        ("4.5", "5"),
        ("9", "10"),
    ],
)
def test_smallest_syringe_that_holds_it(ml: str, capacity: str) -> None:
    assert choose_syringe(Fraction(ml)).capacity_ml == Fraction(capacity)


def test_measure_snaps_half_up_and_says_what_changed() -> None:
    m = measure(Fraction(9, 2))
    assert m.syringe.capacity_ml == 5
    assert m.measured_ml == Fraction(23, 5)
    assert m.change == Fraction(1, 45)
    assert m.fills == 1


def test_too_large_for_any_syringe_takes_fills() -> None:
    m = measure(Fraction(112, 5))
    assert m.syringe.capacity_ml == 10
    assert m.fills == 3
    assert m.last_fill_ml == Fraction(12, 5)


def test_less_than_half_a_mark_is_refused() -> None:
    with pytest.raises(RefusedError, match="less than half the finest mark"):
        measure(Fraction(4, 1000))


@given(volumes)
def test_snapping_moves_at_most_half_a_graduation(ml: Fraction) -> None:
    m = measure(ml)
    assert abs(m.measured_ml - ml) <= m.syringe.graduation_ml / 2
    assert (m.measured_ml / m.syringe.graduation_ml).denominator == 1


@given(volumes)
def test_chosen_syringe_holds_it_and_no_smaller_one_does(ml: Fraction) -> None:
    chosen = choose_syringe(ml)
    if ml <= max(s.capacity_ml for s in CATALOGUE):
        assert ml <= chosen.capacity_ml
        assert all(s.capacity_ml < ml for s in CATALOGUE if s.capacity_ml < chosen.capacity_ml)
    else:
        assert chosen.capacity_ml == max(s.capacity_ml for s in CATALOGUE)


@pytest.mark.parametrize(
    ("text", "capacity", "graduation"),
    [
        ("5mL:0.1mL", "5", "0.1"),
        ("5:0.1", "5", "0.1"),
        ("5 mL : 0.1 mL", "5", "0.1"),
        ("3mL", "3", "0.1"),
        ("1", "1", "0.01"),
    ],
)
def test_parse_syringe(text: str, capacity: str, graduation: str) -> None:
    s = parse_syringe(text)
    assert (s.capacity_ml, s.graduation_ml) == (Fraction(capacity), Fraction(graduation))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "is not a syringe"),
        ("7mL", "give its marks too"),
        ("5mL:0.3mL", "whole number of marks"),
        ("5mL:10mL", "larger than the syringe"),
        ("500mL:1mL", "at most 100 mL"),
        ("1mL:0.0001mL", "the finest is 0.001 mL"),
        ("5mg:0.1mL", "is a dose"),
        ("5mL:", "is not a syringe"),
    ],
)
def test_parse_syringe_refuses(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        parse_syringe(text)


def test_syringe_rejects_non_positive() -> None:
    with pytest.raises(InvalidInputError, match="more than zero"):
        Syringe(Fraction(0), Fraction(1, 10))
