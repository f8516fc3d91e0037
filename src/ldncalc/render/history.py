"""The history's output: its text lines, its JSON object and its CSV; plain text, no rich.

``ldncalc history`` shows ten years of days: each value shared by many days or
entries (a dose, a payload, a set of scores) is worded once per history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import csv_cell, json_number, safe_text
from ldncalc.render.diary import dose_text, entry_text

if TYPE_CHECKING:
    from ldncalc.diary.entries import Entry
    from ldncalc.diary.history import HistoryDay, HistoryEntry
    from ldncalc.render.shapes.diary import HistoryObject

__all__ = ["HISTORY_COLUMNS", "history_csv", "history_lines", "history_object"]


_T = TypeVar("_T")


def _per_dose(function: Callable[[Any], _T]) -> Callable[[Any], _T]:
    """Remember ``function``'s answer for each dose (a Fraction or None), for one history.

    Ten years hold a handful of distinct doses among 3,650 days; they are told
    apart by numerator and denominator, which hash at once (a Fraction's own
    hash costs a modular inverse).
    """
    answers: dict[tuple[int, int] | None, _T] = {}

    def remembered(value: Any) -> _T:
        key = None if value is None else (value.numerator, value.denominator)
        try:
            return answers[key]
        except KeyError:
            answer = answers[key] = function(value)
            return answer

    return remembered


def _entry_texts(ids: dict[str, int]) -> Callable[[Entry], str]:
    """Return :func:`entry_text` for one history, worked out once for each payload object.

    Entries read from the same stored text share one payload object (the codec
    decodes each distinct text once): ten years of daily doses hold a handful.
    Each payload is kept with its text, so that its id is not reused meanwhile.
    """
    by_payload: dict[int, tuple[Any, str]] = {}

    def text(entry: Entry) -> str:
        found = by_payload.get(id(entry.payload))
        if found is None:  # an entry's text is its payload's (an undo's: its target's id)
            found = by_payload[id(entry.payload)] = (entry.payload, entry_text(entry, ids))
        return found[1]

    return text


def _scores_text(scores: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{safe_text(name)} {value}" for name, value in sorted(scores))


def _remembered(function: Callable[[Any], _T]) -> Callable[[Any], _T]:
    """Remember ``function``'s answer for each (hashable) value, for one history."""
    answers: dict[Any, _T] = {}

    def remembered(value: Any) -> _T:
        try:
            return answers[value]
        except KeyError:
            answer = answers[value] = function(value)
            return answer

    return remembered


def history_lines(
    rows: Sequence[HistoryEntry], days: Sequence[HistoryDay], ids: dict[str, int]
) -> list[str]:
    """Return the history: every entry in date order with its id and state, then the days."""
    text, dose, scores_text = _entry_texts(ids), _per_dose(dose_text), _remembered(_scores_text)
    lines = ["Entries (id, date, what):"]
    for row in rows:
        e = row.entry
        mark = f" (undone by entry {row.undone_by})" if row.undone_by is not None else ""
        lines.append(f"  {e.id:>5}  {e.day.isoformat()}  {text(e)}{mark}")
    lines += ["", "Days (date, planned, taken, scores 0 none to 10 worst):"]
    for d in days:
        taken = dose(d.taken_dose_mg) if d.taken else ("missed" if d.missed else "-")
        scores = scores_text(tuple(d.scores.items()))
        lines.append(
            f"  {d.date.isoformat()}  {dose(d.planned_dose_mg):>8}  {taken:>8}"
            + (f"  {scores}" if scores else "")
        )
    return lines


def history_object(
    rows: Sequence[HistoryEntry], days: Sequence[HistoryDay], ids: dict[str, int]
) -> HistoryObject:
    """Return the JSON object of ``ldncalc history``."""
    import json

    from ldncalc.diary.codec import encode_payload
    from ldncalc.render.jsonout import schema

    # Entries read from the same stored text share one payload object (the
    # codec decodes each distinct text once): each is written out once here.
    written: dict[int, Any] = {}

    def payload_of(payload: Any) -> Any:
        key = id(payload)
        if key not in written:
            written[key] = json.loads(encode_payload(payload)[1])
        return written[key]

    text, number = _entry_texts(ids), _per_dose(json_number)
    return {
        "schema": schema("history"),
        "entries": [
            {
                "id": row.entry.id,
                "date": row.entry.day.isoformat(),
                "kind": row.entry.kind,
                "recorded_at": row.entry.recorded_at.isoformat(),
                "text": text(row.entry),
                "undone_by": row.undone_by,
                "payload": payload_of(row.entry.payload),
            }
            for row in rows
        ],
        "days": [
            {
                "date": d.date.isoformat(),
                "planned_dose_mg": None if d.planned_dose_mg is None else number(d.planned_dose_mg),
                "taken_dose_mg": None if d.taken_dose_mg is None else number(d.taken_dose_mg),
                "missed": d.missed,
                "scores": dict(sorted(d.scores.items())),
                "pgic": d.pgic,
                "side_effects": list(d.side_effects),
            }
            for d in days
        ],
        "disclaimer": DISCLAIMER,
    }


HISTORY_COLUMNS = (
    "date",
    "planned_dose_mg",
    "taken_dose_mg",
    "missed",
    "scores",
    "pgic",
    "side_effects",
    "notice",
)


def history_csv(days: Sequence[HistoryDay]) -> str:
    """Return the days of the history as CSV: a header line, then one row a day."""
    import csv
    import io
    from fractions import Fraction

    from ldncalc.notation import decimal_text

    @_per_dose
    def number(value: object) -> str:
        return decimal_text(value, digits=12)[0] if isinstance(value, Fraction) else ""

    @_remembered
    def scores(items: tuple[tuple[str, int], ...]) -> str:
        return csv_cell("; ".join(f"{n}={v}" for n, v in sorted(items)))

    @_remembered
    def side_effects(effects: tuple[str, ...]) -> str:
        return csv_cell("; ".join(effects))

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HISTORY_COLUMNS)
    disclaimer = csv_cell(DISCLAIMER)  # the same on every row: escaped once
    for d in days:
        writer.writerow(
            (
                d.date.isoformat(),
                number(d.planned_dose_mg),
                number(d.taken_dose_mg),
                "yes" if d.missed else "",
                scores(tuple(d.scores.items())),
                "" if d.pgic is None else str(d.pgic),
                side_effects(tuple(d.side_effects)),
                disclaimer,
            )
        )
    return out.getvalue()
