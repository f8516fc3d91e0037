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
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pint

from ldncalc.errors import DimensionError, InvalidInputError

if TYPE_CHECKING:
    from pint import Quantity
else:
    Quantity = Any

__all__ = [
    "Quantity",
    "as_fraction",
    "convert",
    "dose",
    "parse_dose",
    "parse_duration_days",
    "parse_volume",
    "quantity",
    "registry",
    "volume",
]

MASS = "[mass]"
VOLUME = "[length] ** 3"
TIME = "[time]"

# Digits are ASCII only: \d would also match Arabic-Indic or fullwidth digits.
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?P<digits>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE](?P<exp>[+-]?[0-9]+))?"
)
_UNIT_TEXT = re.compile(r"[a-zµμ]+(?:\s+[a-zµμ]+)*")
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
    # A plain path, not importlib.resources: the package is always installed as
    # files (never zipped), and resources costs a few ms of start-up.
    definitions = Path(__file__).parent / "data" / "units.txt"
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


def convert(q: Quantity, unit: str) -> Quantity:
    """Return ``q`` expressed in ``unit``."""
    target = _units(unit)
    return q if q.units == target else q.to(target)


def as_fraction(q: Quantity, unit: str) -> Fraction:
    """Return the exact magnitude of ``q`` expressed in ``unit``."""
    target = _units(unit)
    magnitude = q.magnitude if q.units == target else q.to(target).magnitude
    if isinstance(magnitude, Fraction | int):
        return Fraction(magnitude)
    # Only reachable if a float slipped into a quantity: refuse to guess.
    raise InvalidInputError(f"{magnitude!r} is not an exact number")


def parse_dose(text: str) -> Quantity:
    """Read a dose such as ``4.5 mg``, ``4500 mcg`` or ``4.5`` (mg); return it in mg.

    Raises:
        InvalidInputError: the text is not a usable, positive dose.
        DimensionError: the text is a quantity of another kind (a volume).
    """
    return _parse(text, MASS, "mg", "a dose in mg or mcg (for example 4.5 mg)")


def parse_volume(text: str) -> Quantity:
    """Read a volume such as ``50 mL``, ``0.05 L``, ``50 cc`` or ``50`` (mL); return it in mL.

    Raises:
        InvalidInputError: the text is not a usable, positive volume.
        DimensionError: the text is a quantity of another kind (a dose).
    """
    return _parse(text, VOLUME, "mL", "a volume in mL (for example 50 mL)")


def parse_duration_days(text: str) -> int:
    """Read a length of time such as ``14d``, ``2w``, ``2 weeks`` or ``14`` (days).

    Returns:
        The whole number of days.

    Raises:
        InvalidInputError: not a positive whole number of days.
    """
    q = _parse(text, TIME, "day", "a length of time in days or weeks (for example 14d or 2w)")
    days = as_fraction(q, "day")
    if days.denominator != 1:
        raise InvalidInputError(f"{text.strip()!r} is not a whole number of days")
    return int(days)


def _parse(text: str, dimension: str, unit: str, expected: str) -> Quantity:
    raw = text.strip()
    shown = raw if len(raw) <= _MAX_TEXT else raw[:_MAX_TEXT] + "..."
    if not raw:
        raise InvalidInputError(f"nothing was given; expected {expected}")
    if len(raw) > _MAX_TEXT:
        raise InvalidInputError(f"{shown!r} is too long; expected {expected}")
    if _HOUSEHOLD.search(raw):
        raise InvalidInputError(
            f"{raw!r}: household measures (spoons, cups, ounces, drops) are not "
            "accurate; measure in mL with an oral syringe"
        )
    if _DECIMAL_COMMA.search(raw):
        raise InvalidInputError(
            f"{raw!r}: use a decimal point, not a comma (write 4.5 mg, not 4,5 mg; "
            "no thousands separators)"
        )
    if _NOT_FINITE.match(raw):
        raise InvalidInputError(f"{raw!r} is not a finite number; expected {expected}")
    match = _NUMBER.match(raw)
    if match is None:
        raise InvalidInputError(f"{raw!r} does not start with a number; expected {expected}")
    digits, exponent = match["digits"], match["exp"]
    if digits.startswith("."):
        raise InvalidInputError(
            f"{raw!r}: write a leading zero (0{digits}, not {digits}); "
            "a naked decimal point is easily misread"
        )
    if len(digits) > _MAX_DIGITS or (exponent is not None and abs(int(exponent)) > _MAX_EXPONENT):
        raise InvalidInputError(f"{raw!r} is out of range; expected {expected}")
    number = Fraction(digits) * (Fraction(10) ** int(exponent or 0))
    if match["sign"] == "-" and number != 0:
        raise InvalidInputError(f"{raw!r} is negative; expected {expected}")
    if number == 0:
        raise InvalidInputError(f"{raw!r} is zero; expected {expected}")
    unit_text = raw[match.end() :].strip().lower()
    if not unit_text:
        return quantity(number, unit)
    if _UNIT_TEXT.fullmatch(unit_text) is None:
        raise InvalidInputError(f"{raw!r}: {unit_text!r} is not a unit; expected {expected}")
    try:
        units = registry().parse_units(unit_text)
    except Exception as exc:  # pint raises several types for unreadable units
        raise InvalidInputError(
            f"{raw!r}: unknown unit {unit_text!r}; expected {expected}"
        ) from exc
    value = registry().Quantity(number, units)
    if not value.check(dimension):
        raise DimensionError(raw, expected, _describe(value))
    return convert(value, unit)


def _describe(value: Quantity) -> str:
    if value.check(MASS):
        return "a dose (a mass)"
    if value.check(VOLUME):
        return "a volume"
    if value.check(TIME):
        return "a length of time"
    if value.check("[length]"):
        return "a length"
    return "not a dose, a volume or a length of time"
