"""Safe printing of doses, volumes and concentrations (ISMP, NCPDP).

One formatter for every number a person reads: a leading zero (0.5 mg, never
.5 mg), no trailing zero (1 mg, never 1.0 mg), a space before the unit, mcg
(never µg or ug) and mL (never ml or cc). A value whose decimal expansion does
not end is rounded half up and marked with "≈", so it can never pose as exact.

The functions on plain fractions need no units library; the ones taking
quantities convert with pint first.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ldncalc.units import Quantity

__all__ = [
    "APPROX",
    "STAND_INS",
    "csv_cell",
    "days_text",
    "decimal_exponent",
    "decimal_places",
    "decimal_text",
    "for_encoding",
    "format_concentration",
    "format_concentration_mg_per_ml",
    "format_dose",
    "format_dose_mg",
    "format_percent",
    "format_volume",
    "format_volume_ml",
    "json_number",
    "number_text",
    "round_half_up",
    "round_significant",
    "safe_text",
]

APPROX = "≈"
# ASCII stand-ins for the few non-ASCII characters ldncalc writes, for a
# terminal whose encoding cannot hold them (PYTHONIOENCODING=ascii, cp1252).
STAND_INS = {
    APPROX: "about ",
    "\u00b5": "u",
    "\u03bc": "u",
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
}


def for_encoding(text: str, encoding: str | None) -> str:
    """Return ``text`` with ASCII stand-ins for what ``encoding`` cannot hold ('about' for ≈)."""
    if not encoding or encoding.lower().replace("-", "").startswith("utf"):
        return text
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "".join(c if _holds(c, encoding) else STAND_INS.get(c, "?") for c in text)
    return text


def _holds(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


DISPLAY_DIGITS = 4
JSON_DIGITS = 12
_MAX_EXACT_PLACES = 6
MCG_BELOW_MG = Fraction(1, 10)
# A diary prints the same few doses thousands of times (history on ten years
# wrote 11,000 numbers, each worked out anew): the formatters below remember
# their answers, by numerator and denominator (hashing a Fraction costs a
# modular inverse; hashing two ints, nothing). At most _MEMO_SIZE answers each,
# so that a library process never grows by it.
_MEMO_SIZE = 4096
_F = TypeVar("_F", bound=Callable[..., Any])


def _memo(function: _F) -> _F:
    answers: dict[tuple[Any, ...], Any] = {}

    @wraps(function)
    def remembered(value: Fraction, *rest: Any, **named: Any) -> Any:
        if not isinstance(value, Fraction | int):  # anything else is worked out as before
            return function(value, *rest, **named)
        key = (value.numerator, value.denominator, type(value), *rest, *sorted(named.items()))
        try:
            return answers[key]
        except KeyError:
            answer = function(value, *rest, **named)
            if len(answers) < _MEMO_SIZE:
                answers[key] = answer
            return answer

    return remembered  # type: ignore[return-value]  # the same signature, by wraps


def round_half_up(value: Fraction, step: Fraction) -> Fraction:
    """Return the multiple of ``step`` nearest ``value``, halves going up."""
    return ((value / step) + Fraction(1, 2)).__floor__() * step


def round_significant(value: Fraction, digits: int) -> Fraction:
    """Return ``value`` rounded half up (away from zero) to ``digits`` significant digits."""
    if value == 0:
        return Fraction(0)
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    exponent = decimal_exponent(magnitude)
    step = Fraction(10) ** (exponent - digits + 1)
    return sign * round_half_up(magnitude, step)


def decimal_exponent(value: Fraction) -> int:
    """Return e with 10**e <= value < 10**(e + 1), for value > 0."""
    exponent = len(str(value.numerator)) - len(str(value.denominator))
    while Fraction(10) ** exponent > value:
        exponent -= 1
    while Fraction(10) ** (exponent + 1) <= value:
        exponent += 1
    return exponent


def decimal_places(value: Fraction) -> int | None:
    """Return how many decimal places ``value`` needs, or None if it never ends."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def _plain(value: Fraction, places: int) -> str:
    """Write a value that ends within ``places`` decimals, without trailing zeros."""
    sign = "-" if value < 0 else ""
    scaled = abs(value) * 10**places
    assert scaled.denominator == 1, "caller passes a value that ends within places"
    whole, frac = divmod(scaled.numerator, 10**places)
    if places == 0 or frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{frac:0{places}d}".rstrip("0")


@_memo
def decimal_text(value: Fraction, digits: int = DISPLAY_DIGITS) -> tuple[str, bool]:
    """Write ``value`` in safe decimal notation.

    Returns:
        The text and whether it is exact. A value that needs more than six
        decimal places is rounded half up to ``digits`` significant digits.
    """
    places = decimal_places(value)
    if places is not None and places <= _MAX_EXACT_PLACES:
        return _plain(value, places), True
    rounded = round_significant(value, digits)
    rounded_places = decimal_places(rounded)
    assert rounded_places is not None
    return _plain(rounded, rounded_places), rounded == value


def number_text(value: Fraction, digits: int = DISPLAY_DIGITS) -> str:
    """Write ``value`` as :func:`decimal_text` does, without saying whether it is exact."""
    return decimal_text(value, digits)[0]


def days_text(count: int) -> str:
    """Write a count of days: '1 day', '3 days'."""
    return f"{count} day" if count == 1 else f"{count} days"


def _with_unit(value: Fraction, unit: str) -> str:
    text, exact = decimal_text(value)
    return f"{text} {unit}" if exact else f"{APPROX}{text} {unit}"


@_memo
def format_dose_mg(mg: Fraction) -> str:
    """Write a dose given in mg: in mcg below 0.1 mg, otherwise in mg."""
    if 0 < abs(mg) < MCG_BELOW_MG:
        return _with_unit(mg * 1000, "mcg")
    return _with_unit(mg, "mg")


@_memo
def format_volume_ml(ml: Fraction) -> str:
    """Write a volume given in mL."""
    return _with_unit(ml, "mL")


@_memo
def format_concentration_mg_per_ml(mg_per_ml: Fraction) -> str:
    """Write a concentration given in mg/mL (always in mg/mL, the unit on labels)."""
    return _with_unit(mg_per_ml, "mg/mL")


def format_dose(dose: Fraction | int | Quantity) -> str:
    """Write a dose (an exact number of mg, or a quantity of any mass unit) safely."""
    return format_dose_mg(_exact(dose, "mg"))


def format_volume(volume: Fraction | int | Quantity) -> str:
    """Write a volume (an exact number of mL, or a quantity of any volume unit) in mL."""
    return format_volume_ml(_exact(volume, "mL"))


def format_concentration(concentration: Fraction | int | Quantity) -> str:
    """Write a concentration (an exact number of mg/mL, or a quantity) in mg/mL."""
    return format_concentration_mg_per_ml(_exact(concentration, "mg/mL"))


def _exact(value: Fraction | int | Quantity, unit: str) -> Fraction:
    """Return an amount to print as an exact Fraction in ``unit`` (zero and below allowed)."""
    if isinstance(value, bool):
        raise _type_error(value, unit)
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal) and value.is_finite():
        return Fraction(value)
    if hasattr(value, "magnitude") and hasattr(value, "units"):
        from ldncalc.units import quantity_fraction

        return quantity_fraction(value, "value", unit)
    raise _type_error(value, unit)


def _type_error(value: object, unit: str) -> Exception:
    from ldncalc.errors import ArgumentTypeError

    return ArgumentTypeError(
        f"to print an amount, give an exact number of {unit} (int, Fraction, Decimal) or a "
        f"pint quantity, not {value!r}"[:200]
    )


def format_percent(ratio: Fraction, signed: bool = True) -> str:
    """Write a ratio as a percentage: Fraction(1, 40) -> '+2.5%'."""
    text, exact = decimal_text(ratio * 100, digits=2)
    if signed and ratio > 0:
        text = "+" + text
    return text + "%" if exact else APPROX + text + "%"


@_memo
def json_number(value: Fraction) -> float | int:
    """Return the JSON number for ``value``: exact when it ends, else 12 significant digits.

    The float returned prints (``repr``) as the decimal text, because every
    decimal of 15 significant digits or fewer survives the trip to a double.
    """
    places = decimal_places(value)
    if places is None or len(str(abs(value * 10**places).numerator)) > 15:
        value = round_significant(value, JSON_DIGITS)
        places = decimal_places(value)
        assert places is not None
    if value.denominator == 1:
        return int(value)
    return float(_plain(value, places))


# Bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069):
# they reorder what follows them on screen, so a note could make a dose read wrongly.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _unsafe(character: str) -> bool:
    return character in _BIDI or not character.isprintable()


def safe_text(text: str, *, drop: bool = False) -> str:
    """Return text a person typed, safe to show: no control character reaches the output.

    Control characters (C0, DEL, C1), bidirectional overrides and other
    characters that are not printable are shown escaped (``\\x1b``, ``\\u202e``;
    a newline as ``\\n``, so a note cannot forge a line), or, with ``drop``
    (HTML and Markdown pages), removed; a newline or tab then becomes a space.
    """
    if not any(_unsafe(c) for c in text):
        return text
    if drop:
        return "".join(" " if c in "\n\r\t" else "" if _unsafe(c) else c for c in text)
    return "".join(c.encode("unicode_escape").decode("ascii") if _unsafe(c) else c for c in text)


def _is_number(text: str) -> bool:
    import re

    return (
        re.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", text) is not None
    )


def csv_cell(text: str) -> str:
    """Return one CSV cell that a spreadsheet shows as text, never runs as a formula.

    Controls are dropped (:func:`safe_text`); a cell that would start with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'`` unless it is a number (``-1.5``).
    """
    cell = safe_text(text, drop=True)
    if cell.startswith(_FORMULA_START) and not _is_number(cell):
        return "'" + cell
    return cell
