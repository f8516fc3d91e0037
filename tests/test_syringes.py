from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.dose.syringes import (
    CATALOGUE,
    SMALL_FILL_SHARE,
    SMALL_VOLUME_ML,
    Syringe,
    choose_syringe,
    measure,
    parse_syringe,
)
from ldncalc.errors import InvalidInputError, RefusedError

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


def test_a_syringe_is_named_as_a_person_would_and_snaps_half_up() -> None:
    s = Syringe(Fraction(5), Fraction(1, 5))
    assert s.label == "5 mL (0.2 mL marks)"
    assert s.snap_ml(Fraction(9, 2)) == Fraction(23, 5)  # 22.5 marks: up to 23
    assert s.snap_ml(Fraction(43, 10)) == Fraction(22, 5)  # 21.5 marks: up to 22
    assert s.snap_ml(Fraction(41, 10)) == Fraction(21, 5)  # 20.5 marks: up to 21
    assert s.snap_ml(Fraction(81, 20)) == Fraction(4)  # 20.25 marks: down to 20


@pytest.mark.parametrize(
    ("volume", "good", "why"),
    [
        ("0.5", True, "on a mark, one fill, above 0.1 mL, all of the 0.5 mL syringe"),
        ("0.1", False, "0.1 mL is not above 0.1 mL"),
        ("0.11", True, "just above 0.1 mL, 22% of the 0.5 mL syringe"),
        ("0.455", False, "between marks"),
        ("4.6", True, "on a 0.2 mL mark of the 5 mL syringe"),
        ("4.5", False, "between the 0.2 mL marks"),
        ("12", False, "two fills of the 10 mL syringe"),
    ],
)
def test_the_one_definition_of_a_good_measurement(volume: str, good: bool, why: str) -> None:
    m = measure(Fraction(volume))
    assert m.good is good, why


def test_a_small_fill_of_a_large_syringe_is_not_good() -> None:
    # 1 mL on the 10 mL syringe: on a mark, one fill, above 0.1 mL, but a tenth of it.
    m = measure(Fraction(1), (Syringe(Fraction(10), Fraction(1, 5)),))
    assert (m.on_mark, m.fills, m.fill_fraction) == (True, 1, Fraction(1, 10))
    assert not m.good
    assert Fraction(1, 5) == SMALL_FILL_SHARE
    assert Fraction(1, 10) == SMALL_VOLUME_ML


def test_measurement_properties() -> None:
    m = measure(Fraction(9, 2))
    assert m.volume_ml == Fraction(9, 2)
    assert not m.on_mark
    assert m.change == Fraction(1, 45)
    assert m.reading_uncertainty == Fraction(1, 45)  # half of 0.2 mL over 4.5 mL
    assert (m.full_fills, m.last_fill_ml, m.fill_fraction) == (0, Fraction(23, 5), Fraction(23, 25))
    nine = measure(Fraction(9, 2), (Syringe(Fraction(1, 2), Fraction(1, 100)),))
    # Nine full 0.5 mL syringes: the last fill is a full one too.
    assert (nine.fills, nine.full_fills, nine.last_fill_ml) == (9, 8, Fraction(1, 2))
    assert nine.on_mark
    assert not nine.good


def test_measure_chooses_only_among_the_syringes_given() -> None:
    mine = (Syringe(Fraction(3), Fraction(1, 10)), Syringe(Fraction(20), Fraction(1)))
    assert measure(Fraction(1, 2), mine).syringe == mine[0]
    assert measure(Fraction(4), mine).syringe == mine[1]
    assert measure(Fraction(4), mine).measured_ml == 4
    with pytest.raises(InvalidInputError, match="more than zero"):
        measure(Fraction(0))


def test_parse_syringe_shows_what_to_type() -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_syringe("foo")
    assert str(info.value).startswith("'foo' is not a syringe (")
    assert str(info.value).endswith("write its capacity and marks, e.g. 5mL:0.1mL")
