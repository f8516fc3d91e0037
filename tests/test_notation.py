from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.notation import (
    decimal_text,
    format_dose_mg,
    format_percent,
    format_volume_ml,
    json_number,
    round_half_up,
    round_significant,
)
from tests.safe_notation import assert_safe, violations


@pytest.mark.parametrize(
    ("mg", "text"),
    [
        (Fraction(1, 2), "0.5 mg"),
        (Fraction(1), "1 mg"),
        (Fraction(9, 2), "4.5 mg"),
        (Fraction(45, 10), "4.5 mg"),
        (Fraction(1, 10), "0.1 mg"),
        (Fraction(1, 20), "50 mcg"),
        (Fraction(3, 1000), "3 mcg"),
        (Fraction(1, 1000000), "0.001 mcg"),
        (Fraction(60), "60 mg"),
        (Fraction(1, 3), "≈0.3333 mg"),
    ],
)
def test_format_dose(mg: Fraction, text: str) -> None:
    assert format_dose_mg(mg) == text


@pytest.mark.parametrize(
    ("ml", "text"),
    [
        (Fraction(9, 2), "4.5 mL"),
        (Fraction(50), "50 mL"),
        (Fraction(1, 100), "0.01 mL"),
        (Fraction(3, 10), "0.3 mL"),
        (Fraction(10, 3), "≈3.333 mL"),
    ],
)
def test_format_volume(ml: Fraction, text: str) -> None:
    assert format_volume_ml(ml) == text


def test_format_percent() -> None:
    assert format_percent(Fraction(1, 40)) == "+2.5%"
    assert format_percent(Fraction(-1, 40)) == "-2.5%"
    assert format_percent(Fraction(1, 45)) == "≈+2.2%"
    assert format_percent(Fraction(1, 40), signed=False) == "2.5%"


def test_round_half_up_goes_up_on_halves() -> None:
    step = Fraction(1, 5)
    assert round_half_up(Fraction(9, 2), step) == Fraction(23, 5)
    assert round_half_up(Fraction(43, 10), step) == Fraction(22, 5)  # 4.3 -> 4.4
    assert round_half_up(Fraction(1, 10), step) == Fraction(1, 5)
    assert round_half_up(Fraction(1, 11), step) == 0


def test_round_significant() -> None:
    assert round_significant(Fraction(15, 14), 6) == Fraction("1.07143")
    assert round_significant(Fraction(-15, 14), 3) == Fraction("-1.07")
    assert round_significant(Fraction(99995, 100000), 4) == Fraction(1)


def test_json_number_is_exact_or_twelve_digits() -> None:
    assert json_number(Fraction(9, 2)) == 4.5
    assert repr(json_number(Fraction(9, 2))) == "4.5"
    assert json_number(Fraction(50)) == 50
    assert isinstance(json_number(Fraction(50)), int)
    assert repr(json_number(Fraction(3, 10))) == "0.3"
    assert repr(json_number(Fraction(15, 14))) == "1.07142857143"
    assert repr(json_number(Fraction(1, 3) * 100)) == "33.3333333333"


def test_checker_catches_unsafe_notation() -> None:
    for bad in [
        ".5 mg",
        "1.0 mg",
        "4.50 mL",
        "5 µg",
        "5 ug",
        "5 cc",
        "5 ml",
        "4.5mg",
        "0.30000000000000004 mg",
        "4.499999999 mg",
    ]:
        assert violations(bad), bad
    assert_safe("0.5 mg, 1 mg, 4.5 mL, 50 mcg, 0.01 mL, 10 mL, 100 mL, 1 mg/mL")


@given(st.fractions(min_value=Fraction(1, 10**6), max_value=Fraction(10**4)))
def test_every_formatted_quantity_is_safe(value: Fraction) -> None:
    assert_safe(format_dose_mg(value))
    assert_safe(format_volume_ml(value))


@given(st.fractions(min_value=Fraction(1, 10**6), max_value=Fraction(10**6)))
def test_decimal_text_is_exact_when_it_says_so(value: Fraction) -> None:
    text, exact = decimal_text(value)
    assert (Fraction(text) == value) == exact
    if not exact:
        assert abs(Fraction(text) - value) / value < Fraction(1, 1000)


@given(st.decimals(min_value="0.000001", max_value="100000", places=6))
def test_json_number_round_trips_exact_decimals(value: object) -> None:
    assert Fraction(repr(json_number(Fraction(str(value))))) == Fraction(str(value))
