"""The one pint registry of ldncalc, and the reading of what people type.

pint does the units: it parses unit names ("mg", "mcg", "mL", "cc", "weeks"),
knows their dimensions and converts between them. Before pint sees a text,
this module refuses what pint would read wrongly or what is unsafe to guess:
a decimal comma ("4,5 mg" would otherwise become 45 mg), household measures,
a naked decimal point, numbers that are not finite or absurdly long.

Magnitudes are exact: the registry reads numbers as :class:`fractions.Fraction`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Any

from ldncalc.errors import ArgumentTypeError, DimensionError, InvalidInputError, shown

if TYPE_CHECKING:
    import pint
    from pint import Quantity

    from ldncalc.errors import ErrorCode
else:
    Quantity = Any

__all__ = [
    "Quantity",
    "as_fraction",
    "bare_duration_note",
    "dose",
    "not_positive_code",
    "parse_dose",
    "parse_duration_days",
    "parse_volume",
    "quantity",
    "quantity_fraction",
    "read_concentration",
    "read_dose_mg",
    "read_grams",
    "read_volume_ml",
    "registry",
    "volume",
]

MASS = "[mass]"
VOLUME = "[length] ** 3"
TIME = "[time]"
CONCENTRATION = "[mass] / [length] ** 3"
# The kinds of data/spellings.py's table, by pint dimension, and how each is named.
_KINDS = {MASS: "mass", VOLUME: "volume", TIME: "time", CONCENTRATION: "concentration"}
_KIND_NAMES = {
    "mass": "a dose (a mass)",
    "volume": "a volume",
    "time": "a length of time",
    "concentration": "a concentration",
}

# Digits are ASCII only: \d would also match Arabic-Indic or fullwidth digits.
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?P<digits>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE](?P<exp>[+-]?[0-9]+))?"
)
_UNIT_TEXT = re.compile(r"[a-zµμ]+(?:\s+[a-zµμ]+)*")
_CONCENTRATION_TEXT = re.compile(r"[a-zµμ]+\s*/\s*[a-z]+")
_DECIMAL_COMMA = re.compile(r"[0-9]\s*,\s*[0-9]")
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf)", re.IGNORECASE)
# Letters may not touch the word on either side, but digits may ("2tsp").
_HOUSEHOLD = re.compile(
    r"(?<![a-z])(?:tsps?|teaspoons?(?:ful)?s?|tbsps?|tbs|tablespoons?(?:ful)?s?|cups?|"
    r"fl\.?\s*oz|fluid\s+ounces?|oz|ounces?|drams?|drops?|gtts?|spoons?(?:ful)?s?|"
    r"dash(?:es)?|pinch(?:es)?|capfuls?|shots?)(?![a-z])",
    re.IGNORECASE,
)
_MAX_TEXT = 64
_MAX_DIGITS = 20
_MAX_EXPONENT = 20


@cache
def registry() -> pint.UnitRegistry:
    """Return the package's unit registry, built on first use from units.txt."""
    from importlib.resources import as_file, files

    import pint

    # importlib.resources, so that a zipped or frozen install finds the file too.
    with as_file(files("ldncalc.data").joinpath("units.txt")) as definitions:
        return pint.UnitRegistry(str(definitions), non_int_type=Fraction, cache_folder=None)


def quantity(magnitude: Fraction | int | str, unit: str) -> Quantity:
    """Return an exact quantity of ``magnitude`` in ``unit``."""
    return registry().Quantity(Fraction(magnitude), _units(unit))


def dose(mg: Fraction | int | str) -> Quantity:
    """Return a dose of ``mg`` milligrams."""
    return quantity(mg, "mg")


def volume(ml: Fraction | int | str) -> Quantity:
    """Return a volume of ``ml`` millilitres."""
    return quantity(ml, "mL")


@cache
def _units(name: str) -> Any:
    """Return the parsed units for ``name`` (pint parses a unit string on every use)."""
    return registry().parse_units(name)


def as_fraction(q: Quantity, unit: str) -> Fraction:
    """Return the exact magnitude of ``q`` expressed in ``unit``."""
    target = _units(unit)
    magnitude = q.magnitude if q.units == target else q.to(target).magnitude
    if isinstance(magnitude, Fraction | int):
        return Fraction(magnitude)
    # Only reachable if a float slipped into a quantity: refuse to guess.
    raise InvalidInputError(f"{magnitude!r} is not an exact number", code="amount-unreadable")


def quantity_fraction(value: Any, name: str, unit: str, example: str | None = None) -> Fraction:
    """Return a pint quantity (of any registry) exactly as a Fraction in ``unit``.

    It is converted through ldncalc's registry; ``example`` is the text the
    refusal of an inexact magnitude suggests instead (``1 unit`` by default).
    """
    example = f"1 {unit}" if example is None else example
    magnitude = value.magnitude
    if isinstance(magnitude, float):
        raise ArgumentTypeError(
            f"{name}={value}: the quantity's magnitude is a float, which is not exact; "
            f"give text such as {example!r} or a Fraction magnitude"
        )
    if isinstance(magnitude, bool) or not isinstance(magnitude, int | Fraction | Decimal):
        raise ArgumentTypeError(f"{name}={value}: the quantity's magnitude is not a number")
    if isinstance(magnitude, Decimal) and not magnitude.is_finite():
        raise InvalidInputError(f"{name}={value} is not a finite number", code="amount-unreadable")
    try:
        ours = registry().Quantity(Fraction(magnitude), str(value.units))
        return as_fraction(ours, unit)
    except Exception as exc:  # pint's DimensionalityError, or a unit ldncalc does not know
        raise InvalidInputError(
            f"{name} must be an amount in {unit}, not {value}", code="wrong-dimension"
        ) from exc


def not_positive_code(unit: str) -> ErrorCode:
    """Return the code of an amount of 0 or less in ``unit`` (mg, mL, mg/mL; else a number)."""
    if unit == "mg":
        return "dose-not-positive"
    if unit == "mL":
        return "volume-not-positive"
    if unit == "mg/mL":
        return "concentration-not-positive"
    return "number-out-of-range"


DOSE_EXAMPLE = "a dose in mg or mcg (for example 4.5 mg)"
VOLUME_EXAMPLE = "a volume in mL (for example 50 mL)"
WEIGHT_EXAMPLE = "a weight in g (for example 0.1 g)"
CONCENTRATION_EXAMPLE = "a concentration in mg/mL (for example 1 mg/mL)"
DURATION_EXAMPLE = "a length of time in days or weeks (for example 14d or 2w)"


def parse_dose(text: str) -> Quantity:
    """Read a dose such as ``4.5 mg``, ``4500 mcg`` or ``4.5`` (mg); return it in mg.

    Raises:
        InvalidInputError: the text is not a usable, positive dose.
        DimensionError: the text is a quantity of another kind (a volume).
    """
    return quantity(read_dose_mg(text), "mg")


def parse_volume(text: str) -> Quantity:
    """Read a volume such as ``50 mL``, ``0.05 L``, ``50 cc`` or ``50`` (mL); return it in mL.

    Raises:
        InvalidInputError: the text is not a usable, positive volume.
        DimensionError: the text is a quantity of another kind (a dose).
    """
    return quantity(read_volume_ml(text), "mL")


def read_dose_mg(text: str) -> Fraction:
    """Read a dose as text (``4.5 mg``, ``4500 mcg``, ``4.5`` read as mg); return exact mg."""
    return _parse(text, MASS, "mg", DOSE_EXAMPLE, "4.5 mg")


def read_grams(text: str) -> Fraction:
    """Read a weight on a scale as text (``0.1 g``, ``100 mg``); return exact grams.

    As a dose is read (a mass), but every message asks for grams.
    """
    return _parse(text, MASS, "mg", WEIGHT_EXAMPLE, "0.1 g") / 1000


def read_volume_ml(text: str) -> Fraction:
    """Read a volume as text (``50 mL``, ``0.05 L``, ``50`` read as mL); return exact mL."""
    return _parse(text, VOLUME, "mL", VOLUME_EXAMPLE, "4.5 mL")


def read_concentration(text: str) -> Fraction:
    """Read a concentration as text (``5 mg/mL``, ``1mg/ml``, ``5`` read as mg/mL); exact mg/mL."""
    return _parse(text, CONCENTRATION, "mg/mL", CONCENTRATION_EXAMPLE, "0.5 mg/mL")


def has_unit(text: str) -> bool:
    """Return whether ``text`` names a unit (``4.5 mg``), or is a bare number (``45e-1``)."""
    raw = text.strip()
    match = _NUMBER.match(raw)
    rest = raw[match.end() :] if match is not None else raw
    return any(c.isalpha() for c in rest)


def parse_duration_days(text: str) -> int:
    """Read a length of time such as ``14d``, ``2w``, ``2 weeks`` or ``14`` (days).

    Returns:
        The whole number of days.

    Raises:
        InvalidInputError: not a positive whole number of days.
    """
    days = _parse(text, TIME, "day", DURATION_EXAMPLE, "14 d")
    if days.denominator != 1:
        raise InvalidInputError(
            f"{text.strip()!r} is not a whole number of days", code="days-unreadable"
        )
    return int(days)


def bare_duration_note(text: str) -> str | None:
    """Return how a bare number read as a length of time was read ("8 read as 8 days").

    A bare number is read as days (:func:`parse_duration_days`) while lengths are
    often written in weeks (8w), so the reading is said, as a bare dose is.
    """
    if has_unit(text):
        return None
    count = parse_duration_days(text)
    unit = "day" if count == 1 else "days"
    return f"{text.strip()} read as {count} {unit}"


_FRACTION_TEXT = re.compile(r"[0-9]\s*/\s*[0-9]|[\u00bc-\u00be\u2150-\u215e]")


def _parse(text: str, dimension: str, unit: str, expected: str, example: str) -> Fraction:
    """Read an amount; every refusal carries a code (amount-unreadable unless more precise)."""
    try:
        return _read(text, dimension, unit, expected, example)
    except InvalidInputError as exc:
        if exc.code != "invalid-input":
            raise
        raise InvalidInputError(exc.message, code="amount-unreadable") from exc


def _read(text: str, dimension: str, unit: str, expected: str, example: str) -> Fraction:
    if not isinstance(text, str):
        raise ArgumentTypeError(f"the amount must be text such as {example!r}, not {shown(text)}")
    raw = text.strip()
    cut = raw if len(raw) <= _MAX_TEXT else raw[:_MAX_TEXT] + "..."
    if not raw:
        raise InvalidInputError(f"nothing was given; expected {expected}", code="amount-missing")
    if len(raw) > _MAX_TEXT:
        raise InvalidInputError(f"{cut!r} is too long; expected {expected}", code="too-long")
    if _HOUSEHOLD.search(raw):
        raise InvalidInputError(
            f"{raw!r}: household measures (spoons, cups, ounces, drops) are not "
            "accurate; measure in mL with an oral syringe",
            code="household-measure",
        )
    if _DECIMAL_COMMA.search(raw):
        wrong = example.replace(".", ",")
        raise InvalidInputError(
            f"{raw!r}: use a decimal point, not a comma (write {example}, not {wrong}; "
            "no thousands separators)",
            code="decimal-comma",
        )
    if _FRACTION_TEXT.search(raw):
        raise InvalidInputError(
            f"{raw!r}: write the amount as a decimal number (0.5, not 1/2 or \u00bd), "
            f"for example {example}",
            code="fraction-given",
        )
    if _NOT_FINITE.match(raw):
        raise InvalidInputError(
            f"{raw!r} is not a finite number; expected {expected}", code="amount-unreadable"
        )
    match = _NUMBER.match(raw)
    if match is None:
        raise InvalidInputError(
            f"{raw!r} does not start with a number; expected {expected}", code="amount-unreadable"
        )
    digits, exponent = match["digits"], match["exp"]
    if digits.startswith("."):
        raise InvalidInputError(
            f"{raw!r}: write a leading zero (0{digits}, not {digits}); "
            "a naked decimal point is easily misread",
            code="naked-decimal",
        )
    if len(digits) > _MAX_DIGITS or (exponent is not None and abs(int(exponent)) > _MAX_EXPONENT):
        raise InvalidInputError(
            f"{raw!r} is out of range; expected {expected}", code="number-out-of-range"
        )
    unit_text = raw[match.end() :].strip().lower()
    if unit_text and _UNIT_TEXT.fullmatch(unit_text) is None:
        # "0x10", "1_20", a fullwidth digit: the number itself is malformed, not the unit.
        if not unit_text[0].isalpha() or unit_text[0] == "x":
            raise InvalidInputError(
                f"{raw!r} is not a number; expected {expected}", code="amount-unreadable"
            )
        if _CONCENTRATION_TEXT.fullmatch(unit_text) is None:
            raise InvalidInputError(
                f"{raw!r}: {unit_text!r} is not a unit; expected {expected}", code="unit-unknown"
            )
    number = Fraction(digits) * (Fraction(10) ** int(exponent or 0))
    if match["sign"] == "-" and number != 0:
        raise InvalidInputError(
            f"{raw!r} is negative; expected {expected}", code=not_positive_code(unit)
        )
    if number == 0:
        raise InvalidInputError(
            f"{raw!r} is zero; expected {expected}", code=not_positive_code(unit)
        )
    if not unit_text:
        return number
    known = _spelling(unit_text) if _USE_SPELLINGS else None
    if known is not None:  # a common spelling: no need to build pint's registry
        kind, factor = known
        if kind != _KINDS[dimension]:
            raise DimensionError(raw, expected, _KIND_NAMES[kind])
        return number * factor
    try:
        units = registry().parse_units(unit_text)
    except Exception as exc:  # pint raises several types for unreadable units
        raise InvalidInputError(
            f"{raw!r}: unknown unit {unit_text!r}; expected {expected}", code="unit-unknown"
        ) from exc
    value = registry().Quantity(number, units)
    if not value.check(dimension):
        raise DimensionError(raw, expected, _describe(value))
    return as_fraction(value, unit)


# Off only in the test that checks the table against pint (tests/test_units.py).
_USE_SPELLINGS = True


@cache
def _spelling(unit_text: str) -> tuple[str, Fraction] | None:
    """Return the kind and size (in the kind's base unit) of a common spelling, or None."""
    from ldncalc.data.spellings import SPELLINGS

    known = SPELLINGS.get(unit_text)
    return None if known is None else (known[0], Fraction(known[1]))


def _describe(value: Quantity) -> str:
    if value.check(MASS):
        return "a dose (a mass)"
    if value.check(VOLUME):
        return "a volume"
    if value.check(TIME):
        return "a length of time"
    if value.check(CONCENTRATION):
        return "a concentration"
    if value.check("[length]"):
        return "a length"
    return "not a dose, a volume or a length of time"
