"""The checks the diary's use cases share with an import, and what a day reads.

:func:`entries_of` reads stored records as entries; :func:`day_of` is what
``Diary.today`` returns, read without the rules of recording (``ldncalc today``
loads neither them nor :class:`~ldncalc.diary.service.Diary`);
:func:`note_rule` is the baseline rule of notes; ``day_or_none`` and
``days_or_none`` check a public argument's type. What the use cases give back
(:class:`Recorded`, :class:`History`, :class:`CurrentPlan`) is in
:mod:`ldncalc.diary.outcomes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc import inputs
from ldncalc.diary.entries import MAX_KEEP_DAYS, Entry, Note, PlanStarted, Took, Undo
from ldncalc.diary.replan import active_entries
from ldncalc.errors import ArgumentTypeError, InvalidInputError, RefusedError

if TYPE_CHECKING:
    from ldncalc.diary.living import Today
    from ldncalc.diary.store import Record, Store
    from ldncalc.dose.kit import Kit

__all__ = [
    "BASELINE_DAYS",
    "adjust_day_rule",
    "day_entries",
    "day_of",
    "day_or_none",
    "day_total_rule",
    "days_or_none",
    "entries_of",
    "note_rule",
]

BASELINE_DAYS = 28  # notes may go this far before the plan's start: a baseline


def day_or_none(value: object, name: str) -> date | None:
    return None if value is None else inputs.calendar_day(value, name)


def days_or_none(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(f"{name} must be a whole number of days, not {value!r}")
    return value


def entries_of(records: Sequence[Record], *, undoing: int | None = None) -> list[Entry]:
    """Return stored records as the diary's entries (each payload read and checked).

    An entry whose payload no longer decodes is refused by its id (exit 1),
    with the way out; once undone (or while ``undoing`` names it: the undo
    being recorded) a stand-in note takes its place, so that the rest of the
    diary can be used again.

    Raises:
        RefusedError: an entry that cannot be read and is not undone.
    """
    from ldncalc.diary.codec import decode_payload

    entries: list[Entry] = []
    broken: dict[str, tuple[Record, str]] = {}
    for r in records:
        try:
            payload = decode_payload(r.kind, r.payload)
        except (InvalidInputError, RecursionError, ValueError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            broken[r.uid] = (r, reason)
            payload = Note(f"(entry {r.id} cannot be read: {reason})")
        entries.append(Entry(r.uid, r.id, r.day, r.recorded_at, payload))
    if broken:
        undone = {e.payload.target_uid for e in entries if isinstance(e.payload, Undo)}
        for uid, (r, reason) in broken.items():
            if uid not in undone and r.id != undoing:
                raise RefusedError(
                    f"entry {r.id} of the diary cannot be read ({reason}); an undo of entry "
                    f"{r.id} cancels it, and an export keeps a copy of the diary first",
                    code="entry-unreadable",
                    entry_id=r.id,
                )
    return entries


def note_rule(entries: Sequence[Entry], day: date) -> None:
    """Refuse a note dated more than BASELINE_DAYS before the first plan's start."""
    plans = [e.payload for e in active_entries(entries) if isinstance(e.payload, PlanStarted)]
    if not plans:
        return
    first = min(p.start_date for p in plans)
    if day < first - timedelta(days=BASELINE_DAYS):
        raise RefusedError(
            f"{day.isoformat()} is more than {BASELINE_DAYS} days before the plan's "
            f"start ({first.isoformat()}): a baseline is the weeks just before it",
            code="note-too-early",
        )


def adjust_day_rule(entries: Sequence[Entry], day: date) -> None:
    """Refuse an adjustment dated before the first plan's start."""
    starts = [
        e.payload.start_date for e in active_entries(entries) if isinstance(e.payload, PlanStarted)
    ]
    if starts and day < min(starts):
        raise InvalidInputError(
            f"the adjustment on {day.isoformat()} is dated before the plan's start "
            f"({min(starts).isoformat()})",
            code="adjust-before-plan",
        )


def day_total_rule(entries: Sequence[Entry], day: date, dose: Fraction, strength: Fraction) -> None:
    """Refuse a dose that takes a day's doses taken above a whole tablet's strength.

    A second dose of a day (``again``) is a real second dose; three large ones
    are a slip, as one dose above a tablet is.
    """
    from ldncalc.diary.replan import replan
    from ldncalc.notation import format_dose_mg

    total = dose
    for e in active_entries(entries):
        if isinstance(e.payload, Took) and e.day == day:
            total += (
                e.payload.dose_mg
                if e.payload.dose_mg is not None
                else (replan(list(entries)).dose_on(day) or Fraction(0))
            )
    if total > strength:
        raise RefusedError(
            f"the doses taken on {day.isoformat()} would come to {format_dose_mg(total)}, more "
            f"than a whole tablet ({format_dose_mg(strength)}); low-dose naltrexone is a "
            "fraction of one",
            code="above-tablet",
        )


def day_entries(
    found: tuple[Sequence[Record], Iterable[tuple[str, str]]] | None,
) -> list[Entry] | None:
    """Return the entries a day's status reads (``Store.day_records``), checked as all are.

    ``found`` is the records the day needs and the (kind, payload) of those left
    out. None (read every entry instead) when the store could not tell, or when
    an entry left out does not read, so that the refusal names it (or, once it
    is undone, the day is shown).

    Raises:
        RefusedError: a diary with no plan yet.
    """
    from ldncalc.diary.codec import decode_payload

    if found is None:
        return None
    records, others = found
    for kind, payload in others:
        try:
            decode_payload(kind, payload)
        except (InvalidInputError, RecursionError, ValueError):
            return None
    entries = entries_of(records)
    if not any(isinstance(e.payload, PlanStarted) for e in entries):
        raise RefusedError("this diary has no plan yet", code="no-plan")
    return entries


def day_of(
    store: Store, profile: str, day: date, kit: Kit | None = None, *, to_come: bool = False
) -> Today:
    """Return what ``day`` holds in ``profile`` (checked by the caller), as ``Diary.today``.

    ``to_come``: the day is after today (nothing of it can be recorded yet).

    What the day needs (the store's index): the plan's entries and the kit's, and
    the doses of the days a bottle can still be in use (what is left in it is what
    they drew); every entry when one left out does not read.

    Raises:
        RefusedError: a diary with no plan yet, or an entry that cannot be read.
    """
    from ldncalc.diary.kit import laid_today

    since = day - timedelta(days=MAX_KEEP_DAYS)
    entries = day_entries(store.day_records(profile, day, since))
    if entries is None:
        entries = entries_of(store.records(profile))
        if not any(isinstance(e.payload, PlanStarted) for e in entries):
            raise RefusedError("this diary has no plan yet", code="no-plan")
    return laid_today(entries, day, kit, to_come=to_come)
