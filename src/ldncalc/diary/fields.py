"""The fields of the diary's entries: their metadata and the checks they share.

``Doc``, ``Between`` and ``Most`` annotate a payload's fields (see
:mod:`ldncalc.diary.entries`); :func:`exact_number` and
:func:`positive_number` check the numbers of every kind of entry, the
day's records (``ldncalc.diary.entries``) and the kit's
(``ldncalc.diary.kit_entries``) alike.
"""

from __future__ import annotations

from fractions import Fraction

from ldncalc.errors import InvalidInputError
from ldncalc.frozen import frozen

__all__ = ["EXACT_TEXT", "Between", "Doc", "Most", "exact_number", "positive_number"]

EXACT_TEXT = '(exact text, e.g. "4.5" or "1/3")'
"""How an exact number is written in the diary, for a field's description."""


@frozen
class Doc:
    """What a field holds, in words: its JSON Schema description (with its unit)."""

    text: str


@frozen
class Between:
    """The range of a whole number, both ends included (None: no upper end)."""

    low: int
    high: int | None = None


@frozen
class Most:
    """At most ``count`` characters of a text or items of a sequence.

    ``says`` is the refusal, with ``{most}`` and ``{n}`` (the length found).
    """

    count: int
    says: str

    def check(self, value: str | tuple[object, ...]) -> None:
        """Refuse ``value`` if it is longer than the limit, naming the limit.

        Raises:
            InvalidInputError: too long.
        """
        if len(value) > self.count:
            raise InvalidInputError(
                self.says.format(most=self.count, n=len(value)), code="too-long"
            )


def exact_number(value: object, what: str) -> Fraction:
    """Return ``value`` as an exact number (an int or a Fraction; not a bool).

    Raises:
        InvalidInputError: not an exact number (``number-out-of-range``).
    """
    if type(value) is Fraction:  # the common case, read from the diary: no copy needed
        return value
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise InvalidInputError(
            f"{what} must be an exact number, not {value!r}", code="number-out-of-range"
        )
    return Fraction(value)


def positive_number(value: object, what: str) -> Fraction:
    """Return ``value`` as an exact number above zero.

    Raises:
        InvalidInputError: not one (``number-out-of-range``).
    """
    number = exact_number(value, what)
    if number <= 0:
        raise InvalidInputError(f"{what} must be more than zero", code="number-out-of-range")
    return number
