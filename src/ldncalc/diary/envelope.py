"""An entry as the diary keeps it: its kind, date, recording time, uid and payload.

The store checks these fields on every entry it appends, and an export
carries the same fields (:mod:`ldncalc.diary.exchange`): one set of checks
and one way to write the recording time, for both.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from ldncalc.errors import InvalidInputError

# Not typing.TYPE_CHECKING: importing typing costs start-up time.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "MAX_JSON_DEPTH",
    "check_day",
    "check_kind",
    "check_moment",
    "check_uid",
    "moment_text",
    "parse_payload",
    "payload_text",
    "too_deep",
]

_KIND_RE = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_UID_RE = re.compile(r"[0-9a-f]{32}")


def moment_text(moment: datetime) -> str:
    """Write a recording time as the diary keeps it: UTC, to the microsecond."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def check_kind(kind: object, what: str) -> str:
    """Return ``kind`` if it is an entry kind (a lower-case word); ``what`` names it."""
    if not isinstance(kind, str) or _KIND_RE.fullmatch(kind) is None:
        raise InvalidInputError(
            f"{what} {kind!r} is not allowed: use 1 to 40 lower-case letters, digits,"
            " '_' or '-', starting with a letter",
            code="entry-invalid",
        )
    return kind


def check_day(day: object, what: str = "the entry date") -> date:
    """Return ``day`` if it is a calendar date (not a datetime)."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InvalidInputError(
            f"{what} must be a calendar date, not {day!r}", code="entry-invalid"
        )
    return day


def check_moment(moment: object, what: str = "the recording time") -> datetime:
    """Return an aware recording time in UTC; refuse a naive one or one past the calendar."""
    if not isinstance(moment, datetime):
        raise InvalidInputError(
            f"{what} must be a date and time, not {moment!r}", code="entry-invalid"
        )
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInputError(
            f"{what} {moment.isoformat()} has no time zone", code="entry-invalid"
        )
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InvalidInputError(
            f"{what} {moment.isoformat()} is beyond the calendar", code="entry-invalid"
        ) from None


def check_uid(uid: object, what: str) -> str:
    """Return ``uid`` if it is 32 lower-case hexadecimal digits."""
    if not isinstance(uid, str) or _UID_RE.fullmatch(uid) is None:
        raise InvalidInputError(
            f"{what} {uid!r} is not 32 lower-case hexadecimal digits", code="entry-invalid"
        )
    return uid


MAX_JSON_DEPTH = 64  # an export is 7 levels deep: the document, its entries, a payload's pairs


def too_deep(value: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """Say whether parsed JSON nests deeper than ``limit``, whatever Python's own limits.

    Python 3.11 runs out of recursion on JSON nested a few thousand deep, 3.13
    does not: this check, without recursion, makes the limit the same on every one.
    """
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def parse_payload(payload: object, what: str) -> dict[str, Any]:
    """Return a payload given as JSON text as an object; refuse anything else."""
    if not isinstance(payload, str):
        raise InvalidInputError(
            f"{what} must be JSON text, not {type(payload).__name__}", code="entry-invalid"
        )
    try:
        value = json.loads(payload, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise InvalidInputError(f"{what} is nested too deeply", code="entry-invalid") from exc
    except ValueError as exc:
        raise InvalidInputError(f"{what} is not valid JSON ({exc})", code="entry-invalid") from exc
    if too_deep(value):
        raise InvalidInputError(f"{what} is nested too deeply", code="entry-invalid")
    if not isinstance(value, dict):
        raise InvalidInputError(
            f"{what} must be a JSON object, not {type(value).__name__}", code="entry-invalid"
        )
    return value


def payload_text(value: dict[str, Any], what: str) -> str:
    """Return the compact JSON text of a payload; refuse what JSON cannot hold."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidInputError(
            f"{what} cannot be stored as JSON ({exc})", code="entry-invalid"
        ) from exc
    return text
