"""The one convention for amounts given to the public API, checked at its edge.

A dose, a volume or a concentration may be given as:

- text with a unit, read by pint (``"4.5 mg"``, ``"4500 mcg"``, ``"0.05 L"``);
  a bare number in text is read in the unit the parameter's name says;
- a pint quantity of the right kind (any registry's), converted exactly;
- an exact number (``int``, ``fractions.Fraction``, ``decimal.Decimal``) in the
  unit the parameter's name says (``dose_mg``, ``water_ml``).

A ``float`` is refused: ``0.1`` is not one tenth in binary, and ldncalc never
prints a binary artefact as a dose. Anything else is an
:class:`~ldncalc.errors.ArgumentTypeError` (also a ``TypeError``).

Inside the core every amount is a ``Fraction`` in mg, mL or mg/mL; nothing
inside checks again. This module imports pint only when text or a quantity
arrives, so exact numbers cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol, TypeAlias

from ldncalc.errors import ArgumentTypeError, InvalidInputError, shown

__all__ = [
    "MAX_PLACES",
    "Amount",
    "QuantityLike",
    "calendar_day",
    "concentration_mg_per_ml",
    "count",
    "day",
    "dose_mg",
    "exact",
    "flag",
    "items_of",
    "of_type",
    "optional_text",
    "text",
    "volume_ml",
]


MAX_PLACES = 6  # decimal places: a microgram in mg, a microlitre in mL; no syringe reads finer


class QuantityLike(Protocol):
    """A quantity with a magnitude and units: a pint ``Quantity`` of any registry."""

    @property
    def magnitude(self) -> Any: ...  # pint's magnitudes are not typed precisely

    @property
    def units(self) -> Any: ...


Amount: TypeAlias = str | int | Fraction | Decimal | QuantityLike
"""What the public API takes for an amount: text, an exact number or a pint quantity.

A ``float`` is not one of them, so a caller's type checker refuses
``plan_dose(4.5)`` before ldncalc does (at run time it is an
:class:`~ldncalc.errors.ArgumentTypeError`).
"""


def dose_mg(value: Amount, name: str = "dose_mg") -> Fraction:
    """Return ``value`` as an exact, positive dose in mg."""
    return _amount(value, name, "mg", "read_dose_mg", "4.5 mg")


def volume_ml(value: Amount, name: str = "volume_ml") -> Fraction:
    """Return ``value`` as an exact, positive volume in mL."""
    return _amount(value, name, "mL", "read_volume_ml", "50 mL")


def concentration_mg_per_ml(value: Amount, name: str = "concentration_mg_per_ml") -> Fraction:
    """Return ``value`` as an exact, positive concentration in mg/mL."""
    return _amount(value, name, "mg/mL", "read_concentration", "1 mg/mL")


def text(value: object, name: str, example: str) -> str:
    """Return ``value`` if it is text; anything else is an :class:`ArgumentTypeError`."""
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be text such as {example!r}, not {shown(value)}")
    return value


def count(value: object, name: str, low: int, high: int) -> int:
    """Return ``value`` as a whole number from ``low`` to ``high`` (a count of tablets)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(
            f"{name} must be a whole number ({low} to {high}), not {shown(value)}"
        )
    if not low <= value <= high:
        raise InvalidInputError(
            f"{name} must be {low} to {high}, not {value}", code="number-out-of-range"
        )
    return value


def calendar_day(value: object, name: str) -> date:
    """Return ``value`` if it is a calendar date (as :func:`day`) in the years a diary is about."""
    from ldncalc.dates import EARLIEST, LATEST

    value = day(value, name)
    if not EARLIEST <= value <= LATEST:
        raise InvalidInputError(
            f"{name} {value.isoformat()} is not a date a diary is about; give a year from "
            f"{EARLIEST.year} to {LATEST.year}",
            code="date-out-of-range",
        )
    return value


def day(value: object, name: str) -> date:
    """Return ``value`` if it is a calendar date (any year); refuse text or a moment, showing it.

    A ``datetime`` is refused (it is a moment, not a day of the calendar):
    give its ``.date()``; text is read with ``date.fromisoformat``.
    """
    from datetime import datetime

    if isinstance(value, datetime):
        raise ArgumentTypeError(
            f"{name} must be a calendar date (datetime.date), not the moment {shown(value)}; "
            "give its .date()"
        )
    if not isinstance(value, date):
        hint = "; read text with date.fromisoformat" if isinstance(value, str) else ""
        raise ArgumentTypeError(
            f"{name} must be a calendar date (datetime.date), not {shown(value)}{hint}"
        )
    return value


def exact(value: object, name: str, reader: str) -> Fraction:
    """Return ``value``, a field of a value object, if it is an exact number (int or Fraction).

    ``reader`` names what reads such an object from text (``parse_syringe('5mL:0.1mL')``),
    said to a caller who gave text or a float.
    """
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise ArgumentTypeError(
            f"{name} must be an exact number (int or Fraction), not {shown(value)}; "
            f"{reader} reads one from text"
        )
    return Fraction(value)


def of_type(value: object, kind: type, name: str, *, optional: bool = False) -> None:
    """Refuse ``value`` unless it is a ``kind`` (or None, when ``optional``)."""
    if (value is None and optional) or isinstance(value, kind):
        return
    article = "an" if kind.__name__[0] in "AEIOU" else "a"
    raise ArgumentTypeError(
        f"{name} must be {article} {kind.__name__}{' or None' if optional else ''}, "
        f"not {shown(value)}"
    )


def items_of(value: object, kind: type | tuple[type, ...], name: str) -> tuple[Any, ...]:
    """Return the items of a list or tuple ``value``, each a ``kind``; refuse anything else."""
    if not isinstance(value, list | tuple):
        raise ArgumentTypeError(f"{name} must be a list or a tuple, not {shown(value)}")
    for item in value:
        if not isinstance(item, kind):
            raise ArgumentTypeError(f"{name} holds {shown(item)}, which it cannot")
    return tuple(value)


def flag(value: object, name: str) -> bool:
    """Return ``value`` if it is True or False."""
    if not isinstance(value, bool):
        raise ArgumentTypeError(f"{name} must be True or False, not {shown(value)}")
    return value


def optional_text(value: object, name: str) -> str | None:
    """Return ``value`` if it is text or None."""
    if value is not None and not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be text, not {shown(value)}")
    return value


def _amount(value: object, name: str, unit: str, reader: str, example: str) -> Fraction:
    if isinstance(value, str):
        # pint is loaded for text only: exact numbers (the diary's, say) need none of it.
        from ldncalc import units

        read: Callable[[str], Fraction] = getattr(units, reader)
        return read(value)
    if isinstance(value, bool):
        raise ArgumentTypeError(f"{name} must be an amount, not {value!r}")
    if isinstance(value, float):
        raise ArgumentTypeError(
            f"{name}={value!r}: give amounts as text or an exact number, e.g. "
            f"{example!r} or Fraction(9, 2) (a float is not exact)"
        )
    if isinstance(value, int | Fraction):
        number = Fraction(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInputError(
                f"{name}={value!r} is not a finite number", code="amount-unreadable"
            )
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > MAX_PLACES:
            raise InvalidInputError(
                f"{name}={value!r} has more decimal places than any syringe or scale measures "
                f"(at most {MAX_PLACES})",
                code="too-precise",
            )
        number = Fraction(value)
    elif hasattr(value, "magnitude") and hasattr(value, "units") and hasattr(value, "to"):
        from ldncalc.units import quantity_fraction

        number = quantity_fraction(value, name, unit, example)
    else:
        raise ArgumentTypeError(
            f"{name} must be text such as {example!r}, a pint quantity or an exact "
            f"number (int, Fraction, Decimal), not {type(value).__name__}"
        )
    if number <= 0:
        from ldncalc import units
        from ldncalc.notation import number_text

        raise InvalidInputError(
            f"{name} must be more than zero, not {number_text(number)} {unit}",
            code=units.not_positive_code(unit),
        )
    return number
