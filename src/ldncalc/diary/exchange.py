"""The diary's export document: reading and checking one, and writing one.

An export is ``{"schema": "ldncalc.diary/1", "profile": ..., "entries": [{"uid",
"kind", "date", "recorded_at", "payload"}]}``; an import is checked whole here
before the store writes anything, and a profile's records become one here
(:func:`export_document`). An entry's own fields are checked and written as
the store keeps them (:mod:`ldncalc.diary.envelope`).
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime

from ldncalc.diary.envelope import (
    check_kind,
    check_moment,
    check_uid,
    moment_text,
    payload_text,
    too_deep,
)
from ldncalc.errors import InvalidInputError, StoreError
from ldncalc.frozen import frozen

# Not typing.TYPE_CHECKING: importing typing costs start-up time.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from typing import Any, Final

    from ldncalc.diary.shapes import ExportDocument, ExportEntry
    from ldncalc.diary.store import Record

__all__ = [
    "EXPORT_SCHEMA",
    "MAX_IMPORT_BYTES",
    "Incoming",
    "export_document",
    "parse_document",
    "parse_export",
    "read_export",
]

EXPORT_SCHEMA: Final = "ldncalc.diary/1"
"""The export's schema tag: ``ExportTag`` of :mod:`ldncalc.diary.shapes` (mypy holds them equal)."""

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ENTRY_KEYS = ("uid", "kind", "date", "recorded_at", "payload")
_DOCUMENT_KEYS = ("schema", "profile", "entries")
MAX_IMPORT_BYTES = 50 * 1024 * 1024  # ten years of a busy diary is a few MB


@frozen
class Incoming:
    """One entry of an export document, its fields checked (its payload as JSON text)."""

    uid: str
    kind: str
    day: date
    recorded_at: datetime
    payload: str


def export_document(profile: str, records: Iterable[Record], path: Path) -> ExportDocument:
    """Return a profile's records as an export document (entries in the order given).

    Each payload is a JSON object; ids are local to a diary and not exported.

    Raises:
        StoreError: a record of the diary at ``path`` holds no JSON, or JSON nested too deeply.
    """
    entries: list[ExportEntry] = []
    for record in records:
        try:
            payload = json.loads(record.payload)
            if too_deep(payload):
                raise RecursionError  # as Python's own limit would, on every version
        except RecursionError as exc:
            raise StoreError(
                f"the diary at {path} is damaged (entry {record.id} is nested too"
                " deeply to export)",
                path=str(path),
                reason="damaged",
            ) from exc
        except ValueError as exc:
            raise StoreError(
                f"the diary at {path} is damaged (entry {record.id} holds no JSON)",
                path=str(path),
                reason="damaged",
            ) from exc
        entries.append(
            {
                "uid": record.uid,
                "kind": record.kind,
                "date": record.day.isoformat(),
                "recorded_at": moment_text(record.recorded_at),
                "payload": payload,
            }
        )
    return {"schema": EXPORT_SCHEMA, "profile": profile, "entries": entries}


def parse_document(data: object) -> list[Incoming]:
    """Check a whole export document and return its entries.

    Raises:
        InvalidInputError: not an export (code ``import-unreadable``), naming what is wrong.
    """
    try:
        return _parse_document(data)
    except InvalidInputError as exc:
        if exc.code == "import-unreadable":
            raise
        # The checks of an entry's fields (entry-invalid) shared with the store: here,
        # what they find makes the document unreadable.
        raise InvalidInputError(str(exc), code="import-unreadable") from exc


def _parse_document(data: object) -> list[Incoming]:
    if not isinstance(data, dict):
        raise InvalidInputError("a diary export must be a JSON object", code="import-unreadable")
    schema = data.get("schema")
    if schema != EXPORT_SCHEMA:
        raise InvalidInputError(
            f"not an ldncalc diary export (schema {schema!r}; expected {EXPORT_SCHEMA!r})",
            code="import-unreadable",
        )
    _exact_keys(data, _DOCUMENT_KEYS, "the diary export")
    if not isinstance(data["profile"], str):
        raise InvalidInputError(
            "the diary export's 'profile' must be text", code="import-unreadable"
        )
    entries = data["entries"]
    if not isinstance(entries, list):
        raise InvalidInputError(
            "the diary export's 'entries' must be a list", code="import-unreadable"
        )
    seen: set[str] = set()
    incoming: list[Incoming] = []
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number} of the export"
        if not isinstance(entry, dict):
            raise InvalidInputError(f"{where} must be a JSON object", code="import-unreadable")
        _exact_keys(entry, _ENTRY_KEYS, where)
        uid = check_uid(entry["uid"], f"{where}: the uid")
        if uid in seen:
            raise InvalidInputError(
                f"{where}: the uid {uid} appears twice in the export", code="import-unreadable"
            )
        seen.add(uid)
        kind = check_kind(entry["kind"], f"{where}: the kind")
        day_text = entry["date"]
        try:
            if not isinstance(day_text, str) or _DATE_RE.fullmatch(day_text) is None:
                raise ValueError
            day = date.fromisoformat(day_text)
        except ValueError:
            raise InvalidInputError(
                f"{where}: the date {day_text!r} is not a date like 2024-05-31",
                code="import-unreadable",
            ) from None
        moment_text = entry["recorded_at"]
        try:
            if not isinstance(moment_text, str):
                raise ValueError
            moment = datetime.fromisoformat(moment_text)
        except ValueError:
            raise InvalidInputError(
                f"{where}: recorded_at {moment_text!r} is not a date and time"
                " like 2024-05-31T08:00:00+00:00",
                code="import-unreadable",
            ) from None
        moment = check_moment(moment, f"{where}: recorded_at")
        payload = entry["payload"]
        if not isinstance(payload, dict):
            raise InvalidInputError(
                f"{where}: the payload must be a JSON object, not {type(payload).__name__}",
                code="import-unreadable",
            )
        text = payload_text(payload, f"{where}: the payload")
        incoming.append(Incoming(uid, kind, day, moment, text))
    return incoming


def _exact_keys(value: dict[Any, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [key for key in keys if key not in value]
    if missing:
        raise InvalidInputError(
            f"{where} lacks {', '.join(repr(k) for k in missing)}", code="import-unreadable"
        )
    extra = sorted(str(key) for key in value if key not in keys)
    if extra:
        raise InvalidInputError(
            f"{where} has unknown keys: {', '.join(repr(k) for k in extra)}",
            code="import-unreadable",
        )


class _DuplicateKey(ValueError):
    """A key given twice in one JSON object (json keeps the last one, silently)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def read_export(path: str | os.PathLike[str]) -> object:
    """Return the JSON document in an export file, read with a size limit.

    Raises:
        InvalidInputError: no such file, not a regular file, larger than
            MAX_IMPORT_BYTES, or not UTF-8 JSON (nested too deeply included).
    """
    import stat

    shown = repr(str(path))
    limit = f"{MAX_IMPORT_BYTES // (1024 * 1024)} MB"
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        handle = os.open(path, flags)  # O_NONBLOCK: a named pipe with no writer cannot hang us
    except FileNotFoundError as exc:
        raise InvalidInputError(f"no file {shown}", code="import-file") from exc
    except OSError as exc:
        raise InvalidInputError(
            f"cannot read {shown}: {exc.strerror or exc}", code="import-file"
        ) from exc
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInputError(
                f"{shown} is not a regular file; give an export file", code="import-file"
            )
        if info.st_size > MAX_IMPORT_BYTES:
            raise InvalidInputError(
                f"{shown} is larger than an export can be ({limit} at most)", code="import-file"
            )
        try:
            data = stream.read(MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise InvalidInputError(
                f"cannot read {shown}: {exc.strerror or exc}", code="import-file"
            ) from exc
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInputError(
            f"{shown} is larger than an export can be ({limit} at most)", code="import-file"
        )
    return parse_export(data, shown)


def parse_export(data: str | bytes, shown: str = "the export") -> object:
    """Return the JSON document in an export's text (UTF-8), refusing a key given twice.

    Raises:
        InvalidInputError: not UTF-8 JSON, nested too deeply, or a key twice in one object
            (``import-unreadable``).
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        document = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as exc:
        raise InvalidInputError(
            f"{shown} is not a diary export (the key {exc.args[0]!r} appears twice in one"
            " object: which one is meant cannot be told)",
            code="import-unreadable",
        ) from None
    except RecursionError as exc:
        raise InvalidInputError(
            f"{shown} is not a diary export (nested too deeply)", code="import-unreadable"
        ) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInputError(
            f"{shown} is not a diary export ({exc})", code="import-unreadable"
        ) from exc
    if too_deep(document):
        raise InvalidInputError(
            f"{shown} is not a diary export (nested too deeply)", code="import-unreadable"
        )
    return document
