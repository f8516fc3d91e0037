from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.data.spellings import SPELLINGS
from ldncalc.errors import DimensionError, InvalidInputError
from ldncalc.units import (
    as_fraction,
    bare_duration_note,
    has_unit,
    parse_dose,
    parse_duration_days,
    parse_volume,
    read_concentration,
    read_dose_mg,
    read_volume_ml,
)
from tests.fuzzing import cli


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("4.5 mg", Fraction(9, 2)),
        ("4.5mg", Fraction(9, 2)),
        ("4500 mcg", Fraction(9, 2)),
        ("4500 ug", Fraction(9, 2)),
        ("4500 µg", Fraction(9, 2)),
        ("4500 μg", Fraction(9, 2)),
        ("0.0045 g", Fraction(9, 2)),
        ("4.5", Fraction(9, 2)),
        ("4.5 MG", Fraction(9, 2)),
        ("+4.5 mg", Fraction(9, 2)),
        ("45e-1 mg", Fraction(9, 2)),
        ("0.1 mg", Fraction(1, 10)),
        ("5. mg", Fraction(5)),
    ],
)
def test_parse_dose_reads_what_people_type(text: str, mg: Fraction) -> None:
    assert as_fraction(parse_dose(text), "mg") == mg


@pytest.mark.parametrize(
    ("text", "ml"),
    [
        ("50 mL", 50),
        ("50 ml", 50),
        ("50mL", 50),
        ("0.05 L", 50),
        ("50 cc", 50),
        ("50", 50),
        ("0.1 mL", Fraction(1, 10)),
    ],
)
def test_parse_volume_reads_what_people_type(text: str, ml: Fraction) -> None:
    assert as_fraction(parse_volume(text), "mL") == ml


@pytest.mark.parametrize(
    ("text", "days"),
    [("14d", 14), ("14 days", 14), ("2w", 14), ("2 weeks", 14), ("1 week", 7), ("10", 10)],
)
def test_parse_duration(text: str, days: int) -> None:
    assert parse_duration_days(text) == days


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "nothing was given"),
        ("   ", "nothing was given"),
        ("banana", "does not start with a number"),
        ("mg", "does not start with a number"),
        ("4,5 mg", "decimal point, not a comma"),
        ("4,500 mcg", "decimal point, not a comma"),
        ("1 tsp", "household measures"),
        ("2tsp", "household measures"),
        ("1 tablespoon", "household measures"),
        ("1 cup", "household measures"),
        ("1 fl oz", "household measures"),
        ("3 drops", "household measures"),
        ("1 dram", "household measures"),
        ("nan mg", "not a finite number"),
        ("inf mg", "not a finite number"),
        ("-inf", "not a finite number"),
        ("-4.5 mg", "negative"),
        ("0 mg", "zero"),
        ("-0 mg", "zero"),
        ("0.0 mg", "zero"),
        (".5 mg", "leading zero"),
        ("1e999 mg", "out of range"),
        ("123456789012345678901 mg", "out of range"),
        ("4.5 furlongs", "unknown unit"),
        ("4.5 mg)", "is not a unit"),
        ("4.5 m/g", "is not a dose, a volume or a length of time"),
        ("1/2 mg", "write the amount as a decimal number (0.5, not 1/2 or ½), for example 4.5 mg"),
        ("4½ mg", "write the amount as a decimal number"),
        ("1 1/2 mg", "write the amount as a decimal number"),
        ("0x10 mg", "'0x10 mg' is not a number"),
        ("1_20 mg", "'1_20 mg' is not a number"),
        ("4.5 mgx", "unknown unit 'mgx'"),
        ("-1 mg", "'-1 mg' is negative"),
        ("5 mg/mL", "'5 mg/mL' is a concentration; expected a dose in mg or mcg"),
        ("x" * 100, "too long"),
        ("\uff14.\uff15 mg", "does not start with a number"),  # fullwidth digits
        ("٤ mg", "does not start with a number"),
    ],
)
def test_parse_dose_refuses_with_a_message(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_dose(text)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("parse", "text", "got"),
    [
        (parse_dose, "4.5 mL", "a volume"),
        (parse_dose, "4.5 mm", "a length"),
        (parse_dose, "4.5 mg mg", "not a dose"),
        (parse_volume, "4.5 mg", "a dose"),
        (parse_volume, "2 weeks", "a length of time"),
        (parse_duration_days, "4.5 mg", "a dose"),
    ],
)
def test_wrong_dimension_is_refused(parse: object, text: str, got: str) -> None:
    assert callable(parse)
    with pytest.raises(DimensionError, match=got) as info:
        parse(text)
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "mg_per_ml"),
    [
        ("5 mg/mL", Fraction(5)),
        ("5mg/ml", Fraction(5)),
        ("0.5 mg / mL", Fraction(1, 2)),
        ("5 g/L", Fraction(5)),
        ("5 mcg/mL", Fraction(1, 200)),
        ("5", Fraction(5)),
    ],
)
def test_read_concentration(text: str, mg_per_ml: Fraction) -> None:
    assert read_concentration(text) == mg_per_ml


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("5 mg", "is a dose (a mass); expected a concentration in mg/mL"),
        ("5 mL/mg", "is not a dose, a volume or a length of time"),
        ("5,5 mg/mL", "write 0.5 mg/mL, not 0,5 mg/mL"),
        ("0 mg/mL", "is zero"),
    ],
)
def test_read_concentration_refuses(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        read_concentration(text)
    assert fragment in str(info.value)


def test_readers_return_exact_fractions_in_fixed_units() -> None:
    assert read_dose_mg("4500 mcg") == Fraction(9, 2)
    assert read_volume_ml("0.05 L") == 50
    assert isinstance(read_dose_mg("4.5"), Fraction)
    assert has_unit("4.5 mg")
    assert not has_unit("4.5")


def test_duration_must_be_whole_days() -> None:
    with pytest.raises(InvalidInputError, match="whole number of days"):
        parse_duration_days("1.5 d")


decimals = st.decimals(min_value="0.001", max_value="1000", places=3)


@given(decimals)
def test_mg_and_mcg_agree(value: Decimal) -> None:
    mg = parse_dose(f"{value} mg")
    mcg_value = Fraction(str(value)) * 1000
    mcg_text = f"{mcg_value.numerator // mcg_value.denominator} mcg"
    assert mcg_value.denominator == 1
    assert parse_dose(mcg_text) == mg
    assert as_fraction(mg, "mg") == Fraction(str(value))


@given(decimals)
def test_litres_and_millilitres_agree(value: Decimal) -> None:
    ml = Fraction(str(value))
    litres = format(value / 1000, "f")
    assert as_fraction(parse_volume(f"{value} mL"), "mL") == ml
    assert as_fraction(parse_volume(f"{litres} L"), "mL") == ml


@pytest.mark.parametrize(
    ("text", "note"),
    [("8", "8 read as 8 days"), (" 1 ", "1 read as 1 day"), ("8w", None), ("14 d", None)],
)
def test_a_bare_number_for_a_length_of_time_says_it_was_read_as_days(
    text: str, note: str | None
) -> None:
    assert bare_duration_note(text) == note


def test_schedule_warns_when_a_bare_hold_is_read_as_days() -> None:
    # `--hold 8` once became 8 days without a word while the default is shown as 8w.
    result = cli("schedule", "--hold", "8", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Warning: 8 read as 8 days; write 8d to say so, or 8w for weeks\n"
    assert json.loads(result.stdout)["protocol"]["hold_days"] == 8
    quiet = cli("schedule", "--hold", "8w", "--json")
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""


# The table of common spellings (data/spellings.py) read without pint, against pint.
NUMBER_FORMS = ["4.5", "45e-1", "0.5", "10", "+2", "1E3", "4.", "007", "-1", "0", "1e-21"]
READERS = [read_dose_mg, read_volume_ml, read_concentration, parse_duration_days]


def _outcome(reader: object, text: str) -> tuple[str, object]:
    try:
        return ("value", reader(text))  # type: ignore[operator]
    except (InvalidInputError, DimensionError) as exc:
        return (type(exc).__name__, str(exc))


def _typed_forms(spelling: str) -> list[str]:
    """How people type a spelling: as in the table, in capitals, mL's way."""
    return sorted({spelling, spelling.upper(), spelling.replace("ml", "mL")})


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_each_common_spelling_reads_as_pint_reads_it(
    spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ldncalc.units as units

    texts = [
        f"{number}{gap}{typed}"
        for number in NUMBER_FORMS
        for gap in ("", " ")
        for typed in _typed_forms(spelling)
    ]
    fast = [_outcome(reader, text) for reader in READERS for text in texts]
    monkeypatch.setattr(units, "_USE_SPELLINGS", False)
    slow = [_outcome(reader, text) for reader in READERS for text in texts]
    assert fast == slow
    assert any(kind == "value" for kind, _ in fast)  # the probe is live


def test_each_common_spelling_is_the_unit_pints_registry_defines() -> None:
    from ldncalc.data.spellings import BASE_UNIT, SPELLINGS
    from ldncalc.units import registry

    kinds = {"mass": "[mass]", "volume": "[length] ** 3", "time": "[time]"}
    kinds["concentration"] = "[mass] / [length] ** 3"
    for spelling, (kind, factor) in SPELLINGS.items():
        one = registry().Quantity(Fraction(1), registry().parse_units(spelling))
        assert one.check(kinds[kind]), spelling
        assert as_fraction(one, BASE_UNIT[kind]) == Fraction(factor), spelling


def test_other_spellings_are_still_read_by_pint() -> None:
    from ldncalc.data.spellings import SPELLINGS

    for text, mg in [("4500 nanograms", Fraction(9, 2000)), ("0.0045 gramme", Fraction(9, 2))]:
        assert text.split()[1] not in SPELLINGS
        assert read_dose_mg(text) == mg
    assert read_volume_ml("5 cl") == 50
    assert read_concentration("1 g/L") == 1
