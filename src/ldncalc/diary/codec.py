"""The stored text of an entry's payload: encoding, strict decoding, versions and schemas.

Every payload shape is defined once, by its class in ``ldncalc.diary.entries``.
This module reads those classes' fields and type hints and derives from them
the JSON text (``encode_payload``), the strict reading (``decode_payload``) and
the JSON Schema (``payload_schema``), so a field added to a class is written,
read and documented with nothing else to change.

Why a small codec of our own and not msgspec Structs: the payloads stay the
frozen, slotted dataclasses every caller constructs and checks (positional
arguments, ``__post_init__`` messages, ``isinstance``), exact numbers need
custom text either way, stored text must refuse duplicate keys (which
msgspec's decoder silently merges), and it adds no dependency nor import time
to ``ldncalc today``, which decodes every entry (the hints are read once per
class, and each distinct text is decoded once). The types involved are few:
``Fraction``, ``int``, ``str``, ``date``, ``Literal``, ``X | None`` and tuples.

Versions: every payload is written with ``"v": PAYLOAD_VERSION``. Text without
``v`` is version 1 (ldncalc 0.2.0, and the PGIC and diluted entries added
before versions). An older payload is brought up to date by the registered
steps in ``UPGRADES`` (one named function per version, as llm's migrations),
then read strictly; a payload of a newer version is refused: the diary was
written by a newer ldncalc, and reading it with older rules could misread a dose.

The payload part of the shipped schemas ``diary.json`` and ``history.json``
is written from these definitions (:func:`with_payloads`) by ``python -m
ldncalc.render.schemagen --write``, which writes the rest of each file from its
own type; tests/test_schemagen.py fails when a shipped file differs.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from ldncalc.diary.entries import KIND_OF, KINDS, Between, Doc, Kind, Most, Payload
from ldncalc.errors import InvalidInputError, LdncalcError, RefusedError

__all__ = [
    "PAYLOAD_VERSION",
    "UPGRADES",
    "decode_payload",
    "encode_payload",
    "payload_schema",
    "upgrade_v1_to_v2",
    "with_payloads",
]

PAYLOAD_VERSION = 2
"""The version of the payloads this ldncalc writes (the ``v`` key of the text)."""

_CLASS_OF: dict[str, type[Any]] = {kind: cls for cls, kind in KIND_OF.items()}
_DECIMAL = re.compile(r"[0-9]{1,20}(\.[0-9]{1,20})?")
_RATIO = re.compile(r"[0-9]{1,20}/[1-9][0-9]{0,19}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EXACT_PATTERN = f"^(?:{_DECIMAL.pattern}|{_RATIO.pattern})$"

# --------------------------------------------------------------------------- versions


def upgrade_v1_to_v2(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return a version 1 payload (no ``v``) as version 2 (``v`` not included).

    Version 1 is what 0.2.0 wrote, and what came before versions: a note's
    ``pgic`` was left out when not recorded; version 2 writes every field.
    """
    if kind == "note" and "pgic" not in data:
        return {**data, "pgic": None}
    return data


UPGRADES: dict[int, Callable[[str, dict[str, Any]], dict[str, Any]]] = {1: upgrade_v1_to_v2}
"""The step that reads version N as version N + 1, for each N below PAYLOAD_VERSION."""

# Keys a version 1 payload may leave out (what upgrade_v1_to_v2 fills), for its schema.
_V1_OPTIONAL: dict[str, frozenset[str]] = {"note": frozenset({"pgic"})}

# --------------------------------------------------------------------------- shapes


_SHAPES: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _shape(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    """Return a payload class's fields in order: name and type hint (with its metadata).

    The hints are read once per class: reading them costs more than a decode.
    """
    shape = _SHAPES.get(cls)
    if shape is None:
        hints = get_type_hints(cls, include_extras=True)
        shape = _SHAPES[cls] = tuple((f.name, hints[f.name]) for f in fields(cls))
    return shape


def _unwrap(hint: Any) -> tuple[Any, tuple[Any, ...]]:
    """Return a hint without ``Annotated``, and its metadata."""
    if get_origin(hint) is Annotated:
        base, *extras = get_args(hint)
        return base, tuple(extras)
    return hint, ()


def _optional(hint: Any) -> Any | None:
    """Return X for ``X | None``, else None."""
    if get_origin(hint) in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(get_args(hint)) == 2:
            return args[0]
    return None


# --------------------------------------------------------------------------- encoding


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


def _dump(value: Any, hint: Any) -> Any:
    base, _ = _unwrap(hint)
    if value is None:
        return None
    inner = _optional(base)
    if inner is not None:
        return _dump(value, inner)
    if get_origin(base) is tuple:
        args = get_args(base)
        if len(args) == 2 and args[1] is Ellipsis:
            return [_dump(item, args[0]) for item in value]
        return [_dump(item, arg) for item, arg in zip(value, args, strict=True)]
    if base is Fraction:
        text = _fraction_text(value)
        if _exact_text(text) is None:
            # Never store what the decoder would refuse: the diary would stop reading.
            raise InvalidInputError(
                f"{text} has more digits than a diary keeps (at most 20 before and 20 after "
                "the point, or a ratio of two numbers of 20 digits); round it",
                code="too-precise",
            )
        return text
    if base is date:
        return value.isoformat()
    return value  # int, str, a Literal's value


def encode_payload(payload: Payload) -> tuple[Kind, str]:
    """Return the entry kind and the payload as JSON text (Fractions as exact strings).

    The text carries the payload's version (``"v": 2``) and every field.

    Raises:
        InvalidInputError: not a diary payload.
    """
    kind = KIND_OF.get(type(payload))
    if kind is None:
        raise InvalidInputError(f"not a diary entry: {type(payload).__name__}", code="wrong-type")
    return kind, _encode_once(payload)


@lru_cache(maxsize=4096)
def _encode_once(payload: Payload) -> str:
    """Encode a payload; a diary repeats the same few, and payloads are immutable."""
    data: dict[str, Any] = {"v": PAYLOAD_VERSION}
    for name, hint in _shape(type(payload)):
        data[name] = _dump(getattr(payload, name), hint)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --------------------------------------------------------------------------- decoding


class _Malformed(Exception):
    """A detail of what is wrong with stored text; becomes an InvalidInputError."""


class _Newer(Exception):
    """A payload of a version this ldncalc does not know; becomes a RefusedError."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Malformed(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _Malformed(f"{name} is not a number")


@lru_cache(maxsize=1024)
def _exact_text(value: str) -> Fraction | None:
    """Read an exact number stored as text ('4.5', '1/3'), or None; a diary repeats a few."""
    if not (_DECIMAL.fullmatch(value) or _RATIO.fullmatch(value)):
        return None
    return Fraction(value)


def _load(value: Any, hint: Any, key: str) -> Any:
    """Read ``value`` as the type ``hint`` says, or raise _Malformed naming ``key``."""
    base, _ = _unwrap(hint)
    inner = _optional(base)
    if inner is not None:
        return None if value is None else _load(value, inner, key)
    if get_origin(base) is tuple:
        args = get_args(base)
        if len(args) == 2 and args[1] is Ellipsis:
            if not isinstance(value, list):
                raise _Malformed(f"{key} is not a list")
            return tuple(_load(item, args[0], key) for item in value)
        if not isinstance(value, list) or len(value) != len(args):
            raise _Malformed(f"{key} holds an item that is not a pair")
        return tuple(_load(item, arg, key) for item, arg in zip(value, args, strict=True))
    if base is Fraction:
        number = _exact_text(value) if isinstance(value, str) else None
        if number is None:
            raise _Malformed(f"{key} is not an exact number written as text")
        return number
    if base is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Malformed(f"{key} is not a whole number")
        return value
    if base is str:
        if not isinstance(value, str):
            raise _Malformed(f"{key} is not text")
        return value
    if base is date:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise _Malformed(f"{key} is not a date written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise _Malformed(f"{key} is not a real date") from error
    if get_origin(base) is Literal:
        if not isinstance(value, str) or value not in get_args(base):
            raise _Malformed(f"{key} {value!r} is not one of: {', '.join(get_args(base))}")
        return value
    raise TypeError(f"the codec cannot read {base!r}")  # pragma: no cover - a new field's type


def _version(data: dict[str, Any]) -> int:
    if "v" not in data:
        return 1
    version = data.pop("v")
    if isinstance(version, bool) or not isinstance(version, int) or version < 2:
        raise _Malformed(f"v {version!r} is not a payload version (a whole number from 2)")
    if version > PAYLOAD_VERSION:
        raise _Newer(version)
    return version


def _decode(kind: str, text: object) -> Payload:
    cls = _CLASS_OF.get(kind)
    if cls is None:
        raise _Malformed(f"{kind!r} is not a kind of entry")
    if not isinstance(text, str):
        raise _Malformed("the payload is not text")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise _Malformed("the payload is not valid JSON") from error
    if not isinstance(data, dict):
        raise _Malformed("the payload is not a JSON object")
    version = _version(data)
    while version < PAYLOAD_VERSION:
        data = UPGRADES[version](kind, data)
        version += 1
    shape = _shape(cls)
    keys = {name for name, _ in shape}
    if set(data) != keys:
        missing, extra = sorted(keys - set(data)), sorted(set(data) - keys)
        raise _Malformed(
            "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unknown {', '.join(extra)}" if extra else "",
                )
                if part
            )
        )
    payload: Payload = cls(**{name: _load(data[name], hint, name) for name, hint in shape})
    return payload


def decode_payload(kind: str, text: str) -> Payload:
    """Return the payload of kind ``kind`` written as ``text`` by ``encode_payload``.

    Text of an older version is upgraded first (``UPGRADES``); every value is
    then checked as when the entry was made, limits included.

    Raises:
        InvalidInputError: an unknown kind, text that is not the JSON this module
            writes, or values no valid entry holds.
        RefusedError: a payload of a newer version: written by a newer ldncalc.
    """
    try:
        return _decode_once(kind, text)
    except _Newer as newer:
        raise RefusedError(
            f"a stored {kind} entry was written by a newer ldncalc (payload version"
            f" {newer.args[0]}; this one reads versions 1 to {PAYLOAD_VERSION}):"
            " update ldncalc to read this diary",
            code="store-newer",
        ) from None
    except _Malformed as error:
        raise InvalidInputError(
            f"a stored {kind} entry is malformed: {error}", code="entry-unreadable"
        ) from None
    except LdncalcError as error:
        raise InvalidInputError(
            f"a stored {kind} entry is malformed: {error}", code="entry-unreadable"
        ) from None


@lru_cache(maxsize=4096)
def _decode_once(kind: str, text: str) -> Payload:
    """Decode a payload; a diary repeats the same few (a dose taken every day).

    Payloads are immutable, so entries with equal text may share one object.
    """
    return _decode(kind, text)


# --------------------------------------------------------------------------- schemas


def _schema(hint: Any) -> dict[str, Any]:
    """Return the JSON Schema of a value of type ``hint`` (its metadata included)."""
    base, extras = _unwrap(hint)
    schema: dict[str, Any] = {}
    for extra in extras:
        if isinstance(extra, Doc):
            schema["description"] = extra.text
    inner = _optional(base)
    nullable = inner is not None
    if inner is not None:
        base, more = _unwrap(inner)
        extras = (*extras, *more)
    if get_origin(base) is tuple:
        args = get_args(base)
        schema["type"] = "array"
        if len(args) == 2 and args[1] is Ellipsis:
            schema["items"] = _schema(args[0])
        else:
            schema["prefixItems"] = [_schema(arg) for arg in args]
            schema["items"] = False
            schema["minItems"] = schema["maxItems"] = len(args)
    elif base is Fraction:
        schema["type"] = "string"
        schema["pattern"] = _EXACT_PATTERN
    elif base is date:
        schema.update(type="string", format="date", pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    elif base is int:
        schema["type"] = "integer"
    elif base is str:
        schema["type"] = "string"
    elif get_origin(base) is Literal:
        schema["type"] = "string"
        schema["enum"] = list(get_args(base))
    else:  # pragma: no cover - a new field's type
        raise TypeError(f"no JSON Schema for {base!r}")
    for extra in extras:
        if isinstance(extra, Between):
            schema["minimum"] = extra.low
            if extra.high is not None:
                schema["maximum"] = extra.high
        elif isinstance(extra, Most):
            schema["maxItems" if schema["type"] == "array" else "maxLength"] = extra.count
    if nullable:
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
        schema["type"] = [schema["type"], "null"]
    return schema


_WHAT = {
    "plan": "A plan started: the climb, its target and hold, and the liquid's recipe.",
    "took": "A dose taken.",
    "missed": "A dose missed (skipped, never doubled).",
    "mixed": "A bottle of liquid made; its keep period starts on the entry's day.",
    "diluted": "A diluted liquid made from a measured volume of a liquid and water.",
    "note": "A note: free text, scores, side effects and the PGIC.",
    "adjust": "A change of the plan from the entry's day on.",
    "undo": "A correction: cancels an entry (an undone undo restores its target).",
    "kit-add": "A syringe the person owns, added to the profile's kit.",
    "kit-remove": "A syringe taken out of the profile's kit.",
    "kit-scale": "The kitchen scale of the profile's kit (null: no scale).",
    "kit-time": "The hour of the dose in the profile's kit (null: none).",
}


def payload_schema(kind: str, version: int = PAYLOAD_VERSION) -> dict[str, Any]:
    """Return the JSON Schema of a payload of ``kind`` as written at ``version``.

    Args:
        kind: an entry kind (``took``, ``note``...).
        version: ``PAYLOAD_VERSION`` (what this ldncalc writes) or 1 (text
            without ``v``, what 0.2.0 wrote; still read).

    Raises:
        InvalidInputError: an unknown kind or version.
    """
    cls = _CLASS_OF.get(kind)
    if cls is None or version not in (1, PAYLOAD_VERSION):
        raise InvalidInputError(
            f"no payload schema for {kind!r} version {version!r}", code="unknown-schema"
        )
    properties: dict[str, Any] = {}
    required: list[str] = []
    if version == PAYLOAD_VERSION:
        properties["v"] = {
            "description": f"The payload's version: {PAYLOAD_VERSION}.",
            "const": PAYLOAD_VERSION,
        }
        required.append("v")
    optional = _V1_OPTIONAL.get(kind, frozenset()) if version == 1 else frozenset()
    for name, hint in _shape(cls):
        prop = _schema(hint)
        if name in optional:
            prop["description"] = "Optional (left out when not recorded). " + prop["description"]
        else:
            required.append(name)
        properties[name] = prop
    described = _WHAT[kind] + (
        "" if version == PAYLOAD_VERSION else " Version 1: as written by ldncalc 0.2.0, no 'v'."
    )
    return {
        "description": described,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _def_name(kind: str, version: int) -> str:
    return f"{kind}_payload" if version == PAYLOAD_VERSION else f"{kind}_payload_v{version}"


def _payload_parts(versions: tuple[int, ...]) -> tuple[dict[str, Any], list[Any], dict[str, Any]]:
    """Return an entry's payload property, its checks by kind, and their $defs."""
    defs = {
        _def_name(kind, version): payload_schema(kind, version)
        for kind in KINDS
        for version in versions
    }
    checks: list[Any] = []
    for kind in KINDS:
        refs = [{"$ref": f"#/$defs/{_def_name(kind, version)}"} for version in versions]
        checks.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"properties": {"payload": refs[0] if len(refs) == 1 else {"oneOf": refs}}},
            }
        )
    read = "its version or an older one" if len(versions) > 1 else "the current version"
    payload = {
        "description": (
            'The entry\'s facts, as its kind defines them (exact numbers as text, e.g. "4.5"'
            f' or "1/3"), in {read}: a JSON object, checked by the entry\'s kind.'
        ),
    }
    return payload, checks, defs


def with_payloads(schema: dict[str, Any], versions: tuple[int, ...]) -> dict[str, Any]:
    """Return ``schema`` with its entries' payload part written from the types.

    ``schema`` is an output generated from its type (history, the export), whose
    entries' ``payload`` is any object: each kind's payload, in ``versions``, is
    written under ``$defs`` and checked by the entry's kind.
    """
    payload, checks, defs = _payload_parts(versions)
    entry = schema["properties"]["entries"]["items"]
    entry["properties"]["kind"]["enum"] = list(KINDS)
    entry["properties"]["payload"] = payload
    entry["allOf"] = checks
    schema["$defs"] = {**schema.get("$defs", {}), **defs}
    return schema
