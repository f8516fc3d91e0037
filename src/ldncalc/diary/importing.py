"""An import, checked and written in one transaction with every rule of recording.

The document's shape is checked first (:mod:`ldncalc.diary.exchange`), then,
holding the diary's write lock, each new entry in turn against the profile's
entries and the ones before it in the document, by the rules the recording
methods of :class:`~ldncalc.diary.service.Diary` keep: a payload that reads,
a date up to today, one record of a dose a day, a note from the baseline
weeks on, an undo of an entry not undone, a syringe added to the kit once
and removed only from it, the dose limits, and a plan every later day of
which can be measured. Nothing is written unless every entry
passes; another writer waits for the lock, so nothing changes between the
check and the write.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

from ldncalc.diary.entries import Adjust, Entry, Missed, Note, Payload, PlanStarted, Took, Undo
from ldncalc.diary.kit_entries import KitChange, KitSyringeAdded, KitSyringeRemoved
from ldncalc.diary.recorded import day_total_rule, entries_of, note_rule
from ldncalc.diary.replan import LivingPlan, active_entries, check_undo, replan
from ldncalc.diary.rules import check_preparable, entry_rules, one_record
from ldncalc.errors import InvalidInputError, LdncalcError, RefusedError

# Not typing.TYPE_CHECKING: see ldncalc/__init__.py.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from ldncalc.diary.exchange import Incoming
    from ldncalc.diary.store import Record, Store

__all__ = ["import_document"]


def import_document(store: Store, profile: str, document: object, today: date) -> tuple[Entry, ...]:
    """Add the document's new entries to ``profile``; return them, in order, with their ids.

    Raises:
        InvalidInputError: the document is not an export, or an entry cannot be read.
        RefusedError: an entry breaks a rule of recording, or its uid is another's.
    """
    from ldncalc.diary.exchange import parse_document, parse_export

    if isinstance(document, str | bytes):
        document = parse_export(document)  # as text: a key given twice is refused
    incoming = parse_document(document)  # the document's shape, before any entry's meaning
    if not store.path.exists():
        # No diary yet: check first, so that a refused import never creates the file.
        _checked(incoming, [], {}, profile, today)
    with store.transaction(profile) as tx:
        existing = entries_of(tx.records())
        owners = tx.owners([item.uid for item in incoming])
        new = _checked(incoming, existing, owners, profile, today)
        for item, _ in new:
            tx.append(item.kind, item.day, item.payload, recorded_at=item.recorded_at, uid=item.uid)
    return tuple(entry for _, entry in new)


def _checked(
    incoming: list[Incoming],
    existing: list[Entry],
    owners: dict[str, tuple[str, Record]],
    profile: str,
    today: date,
) -> list[tuple[Incoming, Entry]]:
    """Return the entries to add, each checked after the ones before it; refuse at the first."""
    from ldncalc.diary.codec import decode_payload

    # Every entry must read before any is judged: the document first, then its meaning.
    decoded: list[tuple[int, Incoming, Payload]] = []
    for number, item in enumerate(incoming, start=1):
        owner = owners.get(item.uid)
        if owner is not None:
            _same_or_refuse(number, item, owner, profile)
            continue
        try:
            decoded.append((number, item, decode_payload(item.kind, item.payload)))
        except (InvalidInputError, RefusedError, RecursionError, ValueError) as exc:
            raise InvalidInputError(
                f"entry {number} of the export cannot be read: {exc}",
                code="import-unreadable",
            ) from exc
    state = _State(existing, today)
    added: list[tuple[int, Incoming, Entry]] = []
    next_id = max((e.id for e in existing), default=0)
    for number, item, payload in decoded:
        next_id += 1
        entry = Entry(item.uid, next_id, item.day, item.recorded_at, payload)
        try:
            state.add(entry)
        except LdncalcError as exc:
            raise RefusedError(
                f"entry {number} of the export is refused: {exc}", code="import-refused"
            ) from exc
        added.append((number, item, entry))
    notes = [(entry.day, number) for number, _, entry in added if isinstance(entry.payload, Note)]
    if notes:
        day, number = min(notes)  # the earliest note decides, against every plan imported too
        try:
            note_rule(state.entries, day)
        except RefusedError as exc:
            raise RefusedError(
                f"entry {number} of the export is refused: {exc}", code="import-refused"
            ) from exc
    return [(item, entry) for _, item, entry in added]


class _State:
    """The profile as the import goes, with what the rules need kept up to date.

    The plan is replayed (``replan``) only when an entry changes it (a plan, an
    adjustment, an undo): a diary of years imports in well under a second.
    """

    def __init__(self, existing: list[Entry], today: date) -> None:
        self.today = today
        self.entries = list(existing)
        # A day the diary has a record of (taken or missed) gets no second one from an
        # import; the export's own second records of a day (made with ``again``) are
        # kept, within a whole tablet a day.
        self.recorded = {
            e.day for e in active_entries(existing) if isinstance(e.payload, Took | Missed)
        }
        self.living: LivingPlan | None = None
        if any(isinstance(e.payload, PlanStarted) for e in existing):
            self.living = replan(existing)
        self.totals = self._totals()

    def _totals(self) -> dict[date, Fraction]:
        totals: dict[date, Fraction] = {}
        for e in active_entries(self.entries):
            if isinstance(e.payload, Took):
                taken = e.payload.dose_mg
                if taken is None and self.living is not None:
                    taken = self.living.dose_on(e.day)
                totals[e.day] = totals.get(e.day, Fraction(0)) + (taken or 0)
        return totals

    def add(self, entry: Entry) -> None:
        """Check ``entry`` as the recording methods check the entry they make; keep it."""
        payload = entry.payload
        if entry.day > self.today and not isinstance(payload, PlanStarted | Adjust):
            raise InvalidInputError(
                f"{entry.day.isoformat()} is after today: it can only be recorded for today "
                "or an earlier day",
                code="future-date",
            )
        if isinstance(payload, Took | Missed) and entry.day in self.recorded:
            one_record(self.entries, entry.day)  # refuses, naming the entry
        if isinstance(payload, Undo):
            target = next((e for e in self.entries if e.uid == payload.target_uid), None)
            if target is None:
                raise InvalidInputError(
                    f"it undoes an entry ({payload.target_uid}) that is neither in the diary "
                    "nor before it in the export",
                    code="no-such-entry",
                )
            check_undo(self.entries, target.id)
        # Notes (a baseline) and the kit come before a plan, as they are recorded.
        before_plan = isinstance(payload, Note | PlanStarted | KitChange) or (
            isinstance(payload, Undo) and _undoes_no_plan(self.entries, payload)
        )
        if self.living is None and not before_plan:
            raise RefusedError("it comes before any plan is started", code="no-plan")
        entry_rules(payload, self.entries)
        if isinstance(payload, KitSyringeAdded | KitSyringeRemoved):
            from ldncalc.diary.kit import check_change

            check_change(self.entries, payload)  # as `kit add`: a syringe added once
        if isinstance(payload, PlanStarted | Adjust) or (
            isinstance(payload, Undo) and self.living is not None
        ):
            # As the old import did: an adjustment is replayed as its own version of
            # ldncalc recorded it (replan without `checked`), so older exports import.
            living = replan([*self.entries, entry])
            check_preparable(living)
            self.living = living
        elif isinstance(payload, Took) and self.living is not None:
            taken = payload.dose_mg
            if taken is None:
                taken = self.living.dose_on(entry.day)
            if taken is not None:
                total = self.totals.get(entry.day, Fraction(0))
                day_total_rule([], entry.day, total + taken, self.living.plan.strength_mg)
                self.totals[entry.day] = total + taken
        self.entries.append(entry)
        if isinstance(payload, Undo):
            self.totals = self._totals()  # an undone dose no longer counts


def _undoes_no_plan(entries: list[Entry], undo: Undo) -> bool:
    """Return whether ``undo`` cancels a note or a change of the kit (what comes before a plan)."""
    target = next((e for e in entries if e.uid == undo.target_uid), None)
    return target is not None and isinstance(target.payload, Note | KitChange | Undo)


def _same_or_refuse(number: int, item: Incoming, owner: tuple[str, Record], profile: str) -> None:
    """Skip an entry the profile holds already; refuse one that differs, or another's."""
    name, record = owner
    if name != profile:
        raise RefusedError(
            f"entry {number} of the export ({item.uid}) is already in the diary"
            f" under the profile {name!r}; an import never moves entries",
            code="import-conflict",
        )
    same = (
        record.kind == item.kind
        and record.day == item.day
        and record.recorded_at == item.recorded_at
        and json.loads(record.payload) == json.loads(item.payload)
    )
    if not same:
        raise InvalidInputError(
            f"entry {number} of the export ({item.uid}) differs from the entry"
            " with the same uid in the diary; an import never overwrites",
            code="import-conflict",
        )
