"""Undo, resolved once over every entry: which entries count, which undo cancels which.

Nothing is ever edited: an undo cancels its target, and undoing an undo restores
it. An entry is cancelled when some undo naming it is not itself cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ldncalc.diary.entries import (
    Entry,
    Undo,
)
from ldncalc.errors import InvalidInputError, RefusedError

__all__ = ["active_entries", "check_undo", "undone_by"]


def active_entries(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """Return the entries that count, in id order: neither undone nor undos themselves.

    Raises:
        InvalidInputError: two entries share a uid or an id, an undo names no
            entry, or undos cancel each other in a loop.
    """
    known: tuple[Entry, ...] | None = _remembered(_last_active, entries)
    if known is not None:
        return known
    from ldncalc.inputs import items_of

    cancelled = undone_by(items_of(entries, Entry, "entries"))
    kept = [e for e in entries if not isinstance(e.payload, Undo) and e.id not in cancelled]
    active = tuple(sorted(kept, key=lambda e: e.id))
    _last_active[:] = [tuple(entries), active]
    return active


# One command asks the same question of the same entries several times (the
# day's status, the history, the report's figures: up to eleven times for a
# report). Undo is a pure function of the entries, so the last answer is kept
# with the entries it was given, and given again for the very same entry
# objects in the same order (checked by identity: cheap, and never stale).
_last_active: list[tuple[Entry, ...]] = []
_last_undone: list[object] = []


def _remembered(memo: list[Any], entries: Sequence[Entry]) -> Any:
    """Return the answer kept for these very entries, or None (then they are checked anew)."""
    if not memo or not isinstance(entries, list | tuple):
        return None
    kept = memo[0]
    if len(kept) != len(entries) or any(a is not b for a, b in zip(kept, entries, strict=True)):
        return None
    return memo[1]


def undone_by(entries: Sequence[Entry]) -> dict[int, int]:
    """Return, for each entry cancelled, the id of the undo in force that cancels it.

    Undo is resolved once over every entry of the diary, so an entry's state
    never depends on which entries a caller shows: an undone undo is itself
    listed (cancelled by the undo that undid it), and its target stands again.
    When several undos in force name one entry, the earliest (smallest id) is given.

    Raises:
        InvalidInputError: two entries share a uid or an id, an undo names no
            entry, or undos cancel each other in a loop.
    """
    known = _remembered(_last_undone, entries)
    if known is not None:
        return dict(known)
    result = _undone_by(entries)
    _last_undone[:] = [tuple(entries), dict(result)]
    return result


def _undone_by(entries: Sequence[Entry]) -> dict[int, int]:
    by_uid: dict[str, Entry] = {}
    ids: set[int] = set()
    for entry in entries:
        if entry.uid in by_uid:
            raise InvalidInputError(
                f"two entries share the uid {entry.uid!r}", code="entries-inconsistent"
            )
        if entry.id in ids:
            raise InvalidInputError(
                f"two entries share the id {entry.id}", code="entries-inconsistent"
            )
        by_uid[entry.uid] = entry
        ids.add(entry.id)
    undos_of: dict[str, list[str]] = {}
    for entry in entries:
        if isinstance(entry.payload, Undo):
            target = entry.payload.target_uid
            if target not in by_uid:
                raise InvalidInputError(
                    f"entry {entry.id} undoes an entry that does not exist",
                    code="entries-inconsistent",
                )
            undos_of.setdefault(target, []).append(entry.uid)

    cancelled: dict[str, bool] = {}
    for uid in undos_of:  # an entry no undo names stands: only these need settling
        _resolve_undo(uid, undos_of, cancelled, by_uid)
    result: dict[int, int] = {}
    for uid, undos in undos_of.items():
        if cancelled[uid]:
            result[by_uid[uid].id] = min(by_uid[u].id for u in undos if not cancelled.get(u))
    return result


def check_undo(entries: Sequence[Entry], target_id: int) -> Undo:
    """Return the undo of entry ``target_id``, checked against the diary's entries.

    Raises:
        InvalidInputError: the diary has no entry ``target_id``.
        RefusedError: the entry is undone already (an undo of that undo restores it).
    """
    target = next((e for e in entries if e.id == target_id), None)
    if target is None:
        raise InvalidInputError(
            f"this diary has no entry {target_id} (the history lists its entries)",
            code="no-such-entry",
        )
    by = undone_by(entries).get(target_id)
    if by is not None:
        raise RefusedError(
            f"entry {target_id} is already undone by entry {by}; to restore it, undo entry {by}",
            code="undone-already",
        )
    return Undo(target.uid)


def _resolve_undo(
    root: str,
    undone_by: dict[str, list[str]],
    cancelled: dict[str, bool],
    by_uid: dict[str, Entry],
) -> None:
    """Settle whether ``root`` is cancelled: some undo naming it is not itself cancelled."""
    # Depth first without recursion: an undo of an undo of an undo... may be long.
    visiting: set[str] = set()
    stack: list[tuple[str, bool]] = [(root, False)]
    while stack:
        uid, expanded = stack.pop()
        if uid in cancelled:
            continue
        undos = undone_by.get(uid, [])
        if expanded:
            cancelled[uid] = any(not cancelled[u] for u in undos)
            visiting.discard(uid)
            continue
        visiting.add(uid)
        stack.append((uid, True))
        for undo_uid in undos:
            if undo_uid in visiting:
                raise InvalidInputError(
                    f"entry {by_uid[undo_uid].id} is one of undos that cancel each other",
                    code="entries-inconsistent",
                )
            if undo_uid not in cancelled:
                stack.append((undo_uid, False))
