"""The stored text of an entry's payload: encoding and strict decoding."""

from __future__ import annotations

import json
import re
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ldncalc.diary.entries import (
    _KIND_OF,
    ACTIONS,
    Adjust,
    Diluted,
    Kind,
    Missed,
    Mixed,
    Note,
    Payload,
    PlanStarted,
    Took,
    Undo,
)
from ldncalc.errors import InvalidInputError, LdncalcError

__all__ = [
    "decode_payload",
    "encode_payload",
]

# --------------------------------------------------------------------------- codec

_DECIMAL = re.compile(r"\d{1,20}(\.\d{1,20})?")
_RATIO = re.compile(r"\d{1,20}/[1-9]\d{0,19}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _fraction_text(value: Fraction) -> str:
    """Write ``value`` exactly: a decimal when it ends ("4.5"), else a ratio ("1/3")."""
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    if places == 0:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    whole, frac = divmod((abs(value) * 10**places).numerator, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def _opt_fraction_text(value: Fraction | None) -> str | None:
    return None if value is None else _fraction_text(value)


def encode_payload(payload: Payload) -> tuple[Kind, str]:
    """Return the entry kind and the payload as JSON text (Fractions as exact strings).

    Raises:
        InvalidInputError: not a diary payload.
    """
    data: dict[str, Any]
    if isinstance(payload, PlanStarted):
        data = {
            "climb": [[_fraction_text(d), n] for d, n in payload.climb],
            "target_mg": _fraction_text(payload.target_mg),
            "hold_days": payload.hold_days,
            "protocol_id": payload.protocol_id,
            "protocol_title": payload.protocol_title,
            "start_date": payload.start_date.isoformat(),
            "tablets": payload.tablets,
            "strength_mg": _fraction_text(payload.strength_mg),
            "water_ml": _fraction_text(payload.water_ml),
            "syringe_ml": _opt_fraction_text(payload.syringe_ml),
            "graduation_ml": _opt_fraction_text(payload.graduation_ml),
            "keep_days": payload.keep_days,
        }
    elif isinstance(payload, Took):
        data = {"dose_mg": _opt_fraction_text(payload.dose_mg)}
    elif isinstance(payload, Missed):
        data = {}
    elif isinstance(payload, Mixed):
        data = {
            "tablets": payload.tablets,
            "strength_mg": _fraction_text(payload.strength_mg),
            "water_ml": _fraction_text(payload.water_ml),
            "keep_days": payload.keep_days,
        }
    elif isinstance(payload, Diluted):
        data = {
            "source_mg_per_ml": _fraction_text(payload.source_mg_per_ml),
            "source_ml": _fraction_text(payload.source_ml),
            "water_ml": _fraction_text(payload.water_ml),
            "keep_days": payload.keep_days,
            "stage": payload.stage,
        }
    elif isinstance(payload, Note):
        data = {
            "text": payload.text,
            "scores": [[name, value] for name, value in payload.scores],
            "side_effects": list(payload.side_effects),
        }
        if payload.pgic is not None:  # 0.2.0's notes have no PGIC: their text is unchanged
            data["pgic"] = payload.pgic
    elif isinstance(payload, Adjust):
        data = {
            "action": payload.action,
            "dose_mg": _opt_fraction_text(payload.dose_mg),
            "step_mg": _opt_fraction_text(payload.step_mg),
            "every_days": payload.every_days,
            "for_days": payload.for_days,
            "reason": payload.reason,
        }
    elif isinstance(payload, Undo):
        data = {"target_uid": payload.target_uid}
    else:
        raise InvalidInputError(f"not a diary entry: {type(payload).__name__}")
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _KIND_OF[type(payload)], text


class _Malformed(Exception):
    """A detail of what is wrong with stored text; becomes an InvalidInputError."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Malformed(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _Malformed(f"{name} is not a number")


def _load_object(
    text: object, keys: set[str], optional: frozenset[str] = frozenset()
) -> dict[str, Any]:
    if not isinstance(text, str):
        raise _Malformed("the payload is not text")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise _Malformed("the payload is not valid JSON") from error
    if not isinstance(data, dict):
        raise _Malformed("the payload is not a JSON object")
    if not keys <= set(data) <= keys | optional:
        missing, extra = sorted(keys - set(data)), sorted(set(data) - keys - optional)
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(extra)}" if extra else "",
            )
            if part
        )
        raise _Malformed(detail)
    return data


def _load_fraction(value: Any, key: str) -> Fraction:
    if not isinstance(value, str):
        raise _Malformed(f"{key} is not an exact number written as text")
    number = _exact_text(value)
    if number is None:
        raise _Malformed(f"{key} is not an exact number written as text")
    return number


@lru_cache(maxsize=1024)
def _exact_text(value: str) -> Fraction | None:
    """Read an exact number stored as text ('4.5', '1/3'), or None; a diary repeats a few."""
    if not (_DECIMAL.fullmatch(value) or _RATIO.fullmatch(value)):
        return None
    return Fraction(value)


def _load_opt_fraction(value: Any, key: str) -> Fraction | None:
    return None if value is None else _load_fraction(value, key)


def _load_int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Malformed(f"{key} is not a whole number")
    return value


def _load_opt_int(value: Any, key: str) -> int | None:
    return None if value is None else _load_int(value, key)


def _load_str(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise _Malformed(f"{key} is not text")
    return value


def _load_opt_str(value: Any, key: str) -> str | None:
    return None if value is None else _load_str(value, key)


def _load_list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Malformed(f"{key} is not a list")
    return value


def _load_pair(value: Any, key: str) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise _Malformed(f"{key} holds an item that is not a pair")
    return value[0], value[1]


def _load_date(value: Any, key: str) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _Malformed(f"{key} is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise _Malformed(f"{key} is not a real date") from error


def _decode(kind: str, text: object) -> Payload:
    if kind == "plan":
        d = _load_object(
            text,
            {
                "climb",
                "target_mg",
                "hold_days",
                "protocol_id",
                "protocol_title",
                "start_date",
                "tablets",
                "strength_mg",
                "water_ml",
                "syringe_ml",
                "graduation_ml",
                "keep_days",
            },
        )
        climb = tuple(
            (_load_fraction(dose, "climb"), _load_int(days, "climb"))
            for dose, days in (
                _load_pair(item, "climb") for item in _load_list(d["climb"], "climb")
            )
        )
        return PlanStarted(
            climb=climb,
            target_mg=_load_fraction(d["target_mg"], "target_mg"),
            hold_days=_load_int(d["hold_days"], "hold_days"),
            protocol_id=_load_str(d["protocol_id"], "protocol_id"),
            protocol_title=_load_str(d["protocol_title"], "protocol_title"),
            start_date=_load_date(d["start_date"], "start_date"),
            tablets=_load_int(d["tablets"], "tablets"),
            strength_mg=_load_fraction(d["strength_mg"], "strength_mg"),
            water_ml=_load_fraction(d["water_ml"], "water_ml"),
            syringe_ml=_load_opt_fraction(d["syringe_ml"], "syringe_ml"),
            graduation_ml=_load_opt_fraction(d["graduation_ml"], "graduation_ml"),
            keep_days=_load_int(d["keep_days"], "keep_days"),
        )
    if kind == "took":
        d = _load_object(text, {"dose_mg"})
        return Took(_load_opt_fraction(d["dose_mg"], "dose_mg"))
    if kind == "missed":
        _load_object(text, set())
        return Missed()
    if kind == "mixed":
        d = _load_object(text, {"tablets", "strength_mg", "water_ml", "keep_days"})
        return Mixed(
            tablets=_load_int(d["tablets"], "tablets"),
            strength_mg=_load_fraction(d["strength_mg"], "strength_mg"),
            water_ml=_load_fraction(d["water_ml"], "water_ml"),
            keep_days=_load_int(d["keep_days"], "keep_days"),
        )
    if kind == "diluted":
        d = _load_object(text, {"source_mg_per_ml", "source_ml", "water_ml", "keep_days", "stage"})
        return Diluted(
            source_mg_per_ml=_load_fraction(d["source_mg_per_ml"], "source_mg_per_ml"),
            source_ml=_load_fraction(d["source_ml"], "source_ml"),
            water_ml=_load_fraction(d["water_ml"], "water_ml"),
            keep_days=_load_int(d["keep_days"], "keep_days"),
            stage=_load_int(d["stage"], "stage"),
        )
    if kind == "note":
        d = _load_object(text, {"text", "scores", "side_effects"}, optional=frozenset({"pgic"}))
        scores = tuple(
            (_load_str(name, "scores"), _load_int(value, "scores"))
            for name, value in (
                _load_pair(item, "scores") for item in _load_list(d["scores"], "scores")
            )
        )
        effects = tuple(
            _load_str(item, "side_effects")
            for item in _load_list(d["side_effects"], "side_effects")
        )
        pgic = _load_opt_int(d["pgic"], "pgic") if "pgic" in d else None
        return Note(_load_str(d["text"], "text"), scores, effects, pgic)
    if kind == "adjust":
        d = _load_object(text, {"action", "dose_mg", "step_mg", "every_days", "for_days", "reason"})
        name = _load_str(d["action"], "action")
        action = next((a for a in ACTIONS if a == name), None)
        if action is None:
            raise _Malformed(f"{name!r} is not an adjustment")
        return Adjust(
            action=action,
            dose_mg=_load_opt_fraction(d["dose_mg"], "dose_mg"),
            step_mg=_load_opt_fraction(d["step_mg"], "step_mg"),
            every_days=_load_opt_int(d["every_days"], "every_days"),
            for_days=_load_opt_int(d["for_days"], "for_days"),
            reason=_load_opt_str(d["reason"], "reason"),
        )
    if kind == "undo":
        d = _load_object(text, {"target_uid"})
        return Undo(_load_str(d["target_uid"], "target_uid"))
    raise _Malformed(f"{kind!r} is not a kind of entry")


def decode_payload(kind: str, text: str) -> Payload:
    """Return the payload of kind ``kind`` written as ``text`` by ``encode_payload``.

    Raises:
        InvalidInputError: an unknown kind, text that is not the JSON this module
            writes, or values no valid entry holds.
    """
    try:
        return _decode_once(kind, text)
    except _Malformed as error:
        raise InvalidInputError(f"a stored {kind} entry is malformed: {error}") from None
    except LdncalcError as error:
        raise InvalidInputError(f"a stored {kind} entry is malformed: {error}") from None


@lru_cache(maxsize=4096)
def _decode_once(kind: str, text: str) -> Payload:
    """Decode a payload; a diary repeats the same few (a dose taken every day).

    Payloads are immutable, so entries with equal text may share one object.
    """
    return _decode(kind, text)
