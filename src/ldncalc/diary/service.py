"""The diary's use cases: every rule of recording, in the library, one transaction each.

:class:`Diary` is what the CLI and a library user call alike: ``Diary.open()``,
then ``start_plan``, ``took``, ``missed``, ``mixed``, ``diluted``, ``note``,
``adjust``, ``undo``, ``import_``; and to read, ``entries``, ``living``,
``today``. Each recording method checks the new entry against the diary in
the same transaction that appends it, and either returns what it recorded
(:class:`Recorded`: the entry with its id, and any warnings) or raises an
:class:`~ldncalc.errors.LdncalcError` and writes nothing.

The rules, all here:

- A plan may not start over a running one unless ``force``; every dose a plan
  (or an adjustment, or an undo that changes the plan) leaves on any later day
  must be measurable with its preparation, or the entry is refused.
- A target or dose above the usual low-dose range (4.5 mg) is recorded with a
  warning; one that is exactly ten times a dose of the plan (the misplaced
  decimal point: 45 mg for 4.5 mg) is refused unless ``confirm``; one above the
  strength of a tablet is refused.
- A day holds one record of a dose, taken or missed: a second one, in either
  order, needs ``again`` (a second dose really taken) or an undo of the first.
- Doses, bottles and notes are recorded for today or an earlier day; notes
  from :data:`BASELINE_DAYS` days before the plan's start (a baseline), and
  before any plan is started.
- An entry already undone cannot be undone again; undoing an undo restores
  its target.

Nothing here prints or parses command-line text; dates are calendar dates
(the caller's local calendar: ``today`` defaults to ``date.today()``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ldncalc.diary.codec import encode_payload
from ldncalc.diary.entries import (
    ACTIONS,
    Action,
    Adjust,
    Diluted,
    Entry,
    Missed,
    Mixed,
    Note,
    Payload,
    PlanStarted,
    Took,
    Undo,
)
from ldncalc.diary.replan import LivingPlan, active_entries, check_undo, replan
from ldncalc.diary.rules import (
    check_preparable,
    dose_rules,
    entry_rules,
    has_plan,
    new_rises,
    one_record,
    planned_dilution,
    running,
    taken_warnings,
)
from ldncalc.errors import InvalidInputError, LdncalcError, RefusedError

if TYPE_CHECKING:
    import os

    from ldncalc.diary.kit import Kit, KitChange
    from ldncalc.diary.living import Report, Today
    from ldncalc.diary.status import HistoryDay, HistoryEntry
    from ldncalc.diary.store import Record, Store
    from ldncalc.dose.preparation import Preparation
    from ldncalc.dose.syringes import Syringe
    from ldncalc.inputs import Amount
    from ldncalc.plan.titration import Protocol

__all__ = ["BASELINE_DAYS", "MAX_HISTORY_DAYS", "Diary", "History", "Recorded", "entries_of"]

MAX_HISTORY_DAYS = 7305  # twenty years a history at most
BASELINE_DAYS = 28  # notes may go this far before the plan's start: a baseline
DEFAULT_PROTOCOL = "ldnrt-weekly"  # as 'ldncalc schedule'


@dataclass(frozen=True, slots=True)
class History:
    """A window of the diary: its entries with their state, and its days.

    ``ids`` maps each entry's uid to its id, for the entries an undo names.
    """

    living: LivingPlan
    entries: tuple[HistoryEntry, ...]
    days: tuple[HistoryDay, ...]
    ids: dict[str, int]


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a recording method kept: the entry (with its id) and what to warn about.

    ``target_id`` is, for an undo, the id of the entry it cancels.
    """

    entry: Entry
    warnings: tuple[str, ...] = ()
    target_id: int | None = None


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
                )
    return entries


class Diary:
    """One person's diary (a profile of the diary file), with every rule of recording.

    Args:
        store: the diary file.
        profile: whose diary.
        clock: what today is (the local calendar date); for tests.
    """

    def __init__(
        self, store: Store, profile: str | None = None, *, clock: Callable[[], date] = date.today
    ) -> None:
        from ldncalc.diary.store import DEFAULT_PROFILE, validate_profile

        self.store = store
        self.profile = validate_profile(DEFAULT_PROFILE if profile is None else profile)
        self._clock = clock

    @classmethod
    def open(
        cls, folder: str | os.PathLike[str] | None = None, profile: str | None = None
    ) -> Diary:
        """Open the diary in ``folder`` (None: ``$LDNCALC_HOME``, else the user data folder)."""
        from ldncalc.diary.store import Store, default_folder

        return cls(Store(default_folder(folder)), profile)

    # ------------------------------------------------------------------ reading

    def today_date(self) -> date:
        """Return today's date by the diary's clock."""
        return self._clock()

    def entries(self) -> list[Entry]:
        """Return the profile's entries in id order (none: an empty list)."""
        return entries_of(self.store.records(self.profile))

    def started_entries(self) -> list[Entry]:
        """Return the entries; refuse a diary without a plan, saying how to start one."""
        entries = self.entries()
        if not any(isinstance(e.payload, PlanStarted) for e in entries):
            raise RefusedError("this diary has no plan yet", code="no-plan")
        return entries

    def living(self) -> LivingPlan:
        """Return the living plan the entries make."""
        return replan(self.started_entries())

    def history(self, *, start: date | None = None, end: date | None = None) -> History:
        """Return the diary from ``start`` (the plan's first day) to ``end`` (today, or later).

        Each entry dated in the window comes with its state (undone or not,
        decided over the whole diary), and each day with its planned and taken
        dose, scores and side effects.

        Raises:
            InvalidInputError: ``start`` after ``end``, or a window of more than
                twenty years.
        """
        from ldncalc.diary.status import history_days, history_entries

        entries = self.started_entries()
        living = replan(entries)
        first = start or living.start_date
        last = end or max(self.today_date(), first)
        if first > last:
            raise InvalidInputError(
                f"the first day {first.isoformat()} is after the last {last.isoformat()}"
            )
        if (last - first).days >= MAX_HISTORY_DAYS:
            raise InvalidInputError(
                f"{first.isoformat()} to {last.isoformat()} is more than twenty years; "
                "choose a shorter period"
            )
        return History(
            living,
            history_entries(entries, first, last),
            tuple(history_days(living, entries, first, last)),
            {e.uid: e.id for e in entries},
        )

    def report(self, *, start: date | None = None, end: date | None = None) -> Report:
        """Return the prescriber's report: the trial at a glance, the plan, what happened."""
        from ldncalc.diary.living import build_report

        return build_report(self.started_entries(), self.today_date(), start, end)

    def today(self, *, on: date | None = None) -> Today:
        """Return what a day holds: the dose, the volume, the bottle, what comes next."""
        from ldncalc.diary.kit import laid_today

        return laid_today(self.started_entries(), on or self.today_date())

    # ---------------------------------------------------------------- recording

    def start_plan(
        self,
        protocol: Protocol | str | None = None,
        *,
        start_date: date | None = None,
        preparation: Preparation | None = None,
        syringe: Syringe | None = None,
        hold_days: int | None = None,
        keep_days: int | None = None,
        force: bool = False,
        confirm: bool = False,
    ) -> Recorded:
        """Start a plan: a protocol (an id, or a custom one), the liquid's recipe, the syringe.

        Raises:
            RefusedError: a plan is running (unless ``force``); a dose of the
                plan cannot be measured; the target is ten times one of the
                plan's doses (unless ``confirm``) or above a tablet's strength.
        """
        from ldncalc.diary.living import plan_started
        from ldncalc.dose.preparation import make_preparation
        from ldncalc.plan.supply import DEFAULT_KEEP_DAYS
        from ldncalc.plan.titration import DEFAULT_HOLD_DAYS, get_protocol

        if protocol is None or isinstance(protocol, str):
            chosen = get_protocol(protocol or DEFAULT_PROTOCOL)
        else:
            chosen = protocol
        day = start_date or self.today_date()
        started = plan_started(
            chosen,
            start_date=day,
            preparation=preparation or make_preparation(),
            syringe=syringe,
            hold_days=DEFAULT_HOLD_DAYS if hold_days is None else hold_days,
            keep_days=DEFAULT_KEEP_DAYS if keep_days is None else keep_days,
        )
        doses = [d for d, _ in started.climb]
        rises = [(a, b) for a, b in pairwise([*doses, started.target_mg]) if b > a]
        warnings = dose_rules(
            started.target_mg,
            "the target",
            doses,
            started.strength_mg,
            confirm=confirm,
            rises=rises,
        )

        def check(entries: list[Entry]) -> None:
            if entries and not force and running(entries, self.today_date()) is not None:
                living = replan(entries)
                raise RefusedError(
                    f"a plan is running ({living.plan.protocol_title}, started "
                    f"{living.plan.start_date.isoformat()})",
                    code="plan-running",
                )

        return self._record(day, started, check, warnings=warnings, needs_plan=False)

    def took(
        self, dose: Amount | None = None, *, on: date | None = None, again: bool = False
    ) -> Recorded:
        """Record a dose taken: the day's planned dose, or the ``dose`` given.

        Raises:
            RefusedError: the day has a record already (unless ``again``), or
                nothing is planned and no dose is given.
        """
        from ldncalc import inputs

        day = self._past(on, "a dose taken")
        given = None if dose is None else inputs.dose_mg(dose, "dose")
        warnings: list[str] = []
        payload: list[Payload] = []

        def check(entries: list[Entry]) -> None:
            if not again:
                one_record(entries, day)
            planned = replan(entries).dose_on(day)
            if given is None:
                if planned is None:
                    raise RefusedError(
                        f"no dose is planned on {day.isoformat()}; name the dose you took",
                        code="nothing-planned",
                    )
                payload.append(Took(planned))
                return
            warnings.extend(taken_warnings(given, planned, day))
            payload.append(Took(given))

        return self._record(day, payload, check, warnings=warnings)

    def missed(self, *, on: date | None = None, again: bool = False) -> Recorded:
        """Record a missed dose (skipped: never doubled).

        Raises:
            RefusedError: the day has a record already (unless ``again``).
        """
        day = self._past(on, "a missed dose")

        def check(entries: list[Entry]) -> None:
            if not again:
                one_record(entries, day)

        return self._record(day, Missed(), check)

    def mixed(
        self,
        *,
        on: date | None = None,
        preparation: Preparation | None = None,
        keep_days: int | None = None,
    ) -> Recorded:
        """Record a bottle of stock mixed (its keep period starts that day): the plan's recipe
        unless ``preparation`` says otherwise."""
        day = self._past(on, "a bottle mixed")
        payload: list[Payload] = []

        def check(entries: list[Entry]) -> None:
            plan = replan(entries).plan
            parts = (
                (plan.tablets, plan.strength_mg, plan.water_ml)
                if preparation is None
                else (preparation.tablets, preparation.strength_mg, preparation.water_ml)
            )
            payload.append(
                Mixed(*parts, keep_days=plan.keep_days if keep_days is None else keep_days)
            )

        return self._record(day, payload, check)

    def diluted(
        self,
        *,
        on: date | None = None,
        stage: int = 1,
        source_ml: Amount | None = None,
        water_ml: Amount | None = None,
        keep_days: int | None = None,
    ) -> Recorded:
        """Record a diluted liquid made: stage ``stage`` of the plan's dilution for the day
        (or the next diluted day), unless ``source_ml`` (the liquid taken) or ``water_ml``
        say otherwise.

        Stage 1 is made from the stock; stage 2, of a two-stage dilution, from stage 1.

        Raises:
            RefusedError: the plan has no diluted dose on or after the day, or no
                such stage.
        """
        from ldncalc import inputs

        day = self._past(on, "a dilution mixed")
        taken = None if source_ml is None else inputs.volume_ml(source_ml, "source_ml")
        water = None if water_ml is None else inputs.volume_ml(water_ml, "water_ml")
        payload: list[Payload] = []

        def check(entries: list[Entry]) -> None:
            living = replan(entries)
            stages = planned_dilution(living, day)
            if not stages:
                raise RefusedError(
                    f"the plan has no diluted dose on or after {day.isoformat()}: "
                    "what is mixed for it is a bottle of stock",
                    code="no-dilution-planned",
                )
            if not 1 <= stage <= len(stages):
                raise RefusedError(
                    f"the plan's dilution has {len(stages)} stage(s), not a stage {stage}",
                    code="no-dilution",
                )
            made = stages[stage - 1]
            payload.append(
                Diluted(
                    made.from_concentration_mg_per_ml,
                    made.aliquot_ml if taken is None else taken,
                    made.water_ml if water is None else water,
                    living.plan.keep_days if keep_days is None else keep_days,
                    stage=stage,
                )
            )

        return self._record(day, payload, check)

    def note(
        self,
        text: str | None = None,
        *,
        on: date | None = None,
        scores: Mapping[str, int] | Iterable[tuple[str, int]] = (),
        side_effects: Iterable[str] = (),
        pgic: int | None = None,
    ) -> Recorded:
        """Record a note: text, scores 0 to 10 (0 none, 10 worst), side effects, the PGIC.

        A note may come before the plan starts (a baseline), from
        :data:`BASELINE_DAYS` days before its start date.

        Raises:
            InvalidInputError: a score out of range, a name given twice, nothing
                to record.
            RefusedError: a day more than BASELINE_DAYS before the plan's start.
        """
        day = self._past(on, "a note")
        pairs = tuple(scores.items()) if isinstance(scores, Mapping) else tuple(scores)
        payload = Note(text or "", pairs, tuple(side_effects), pgic)

        def check(entries: list[Entry]) -> None:
            plans = [
                e.payload for e in active_entries(entries) if isinstance(e.payload, PlanStarted)
            ]
            if not plans:
                return
            first = min(p.start_date for p in plans)
            if day < first - timedelta(days=BASELINE_DAYS):
                raise RefusedError(
                    f"{day.isoformat()} is more than {BASELINE_DAYS} days before the plan's "
                    f"start ({first.isoformat()}): a baseline is the weeks just before it",
                    code="note-too-early",
                )

        return self._record(day, payload, check, needs_plan=False)

    def adjust(
        self,
        action: Action | str,
        *,
        on: date | None = None,
        dose: Amount | None = None,
        step: Amount | None = None,
        every_days: int | None = None,
        for_days: int | None = None,
        reason: str | None = None,
        confirm: bool = False,
    ) -> Recorded:
        """Change the plan from a day on: back, hold, resume, slower, target, dose or stop.

        Raises:
            InvalidInputError: an action that does not exist, or options it does not take.
            RefusedError: the change cannot apply on its day, would leave a later
                day's dose unmeasurable, or names a dose ten times one of the
                plan's (unless ``confirm``) or above a tablet's strength.
        """
        from ldncalc import inputs

        name = next((a for a in ACTIONS if a == action), None)
        if name is None:
            raise InvalidInputError(f"no action {action!r}; choose one of: {', '.join(ACTIONS)}")
        payload = Adjust(
            name,
            dose_mg=None if dose is None else inputs.dose_mg(dose, "dose"),
            step_mg=None if step is None else inputs.dose_mg(step, "step"),
            every_days=every_days,
            for_days=for_days,
            reason=reason,
        )
        day = on or self.today_date()
        warnings: list[str] = []

        def check(entries: list[Entry]) -> None:
            if payload.dose_mg is None:
                return
            living = replan(entries)
            doses = [s.dose_mg for s in living.segments if s.dose_mg is not None]
            what = "the target" if name == "target" else "the dose"
            # The rises the change would add (a dose set far above the day before's,
            # a raised target's steps); a change that cannot apply is refused later.
            draft = Entry("draft", max(e.id for e in entries) + 1, day, datetime.now(UTC), payload)
            try:
                rises = new_rises(living, replan([*entries, draft]), day)
            except LdncalcError:
                rises = []
            warnings.extend(
                dose_rules(
                    payload.dose_mg,
                    what,
                    [*doses, living.target_mg],
                    living.plan.strength_mg,
                    confirm=confirm,
                    rises=rises,
                )
            )

        return self._record(day, payload, check, warnings=warnings, prepare=True)

    def undo(self, entry_id: int) -> Recorded:
        """Cancel an entry by recording an undo of it (nothing is deleted).

        Raises:
            InvalidInputError: no entry has that id.
            RefusedError: the entry is undone already, or undoing it would leave
                a later day's dose unmeasurable.
        """

        def make(entries: list[Entry]) -> Payload:
            return check_undo(entries, entry_id)

        # A diary with entries but no plan yet (a kit, a baseline note) may undo them.
        empty = not self.store.records(self.profile)
        recorded = self._record(
            self.today_date(), make, None, prepare=True, undoing=entry_id, needs_plan=empty
        )
        return Recorded(recorded.entry, recorded.warnings, entry_id)

    def kit(self) -> Kit:
        """Return the profile's kit: its syringes, scale and dose time (empty: nothing in it)."""
        from ldncalc.diary.kit import kit_of

        return kit_of(self.entries())

    def change_kit(self, change: KitChange, *, on: date | None = None) -> Recorded:
        """Record a change of the kit (``ldncalc.diary.kit`` makes it: kit_add, kit_time...).

        Raises:
            RefusedError: a syringe added twice, or removed that is not in the kit.
        """
        from ldncalc.diary.kit import check_change

        day = self._past(on, "a change of the kit")
        check_change(self.entries(), change)  # before any write: a refusal makes no file
        return self._record(day, change, lambda e: check_change(e, change), needs_plan=False)

    # ------------------------------------------------------------------ exchange

    def export(self) -> dict[str, Any]:
        """Return the profile's entries as an export document (see the store)."""
        return self.store.export_profile(self.profile)

    def import_(self, document: object) -> int:
        """Add the entries of an export document to the profile; return how many were new.

        Every new entry is checked by the rules of recording: it must read as a
        diary entry, and the plan the profile makes with them must hold and be
        measurable on every day. The document is refused whole, before anything
        is written, naming the entry and the reason.
        """
        import json

        from ldncalc.diary.codec import decode_payload

        existing = self.entries()
        if isinstance(document, dict) and isinstance(document.get("entries"), list):
            known = {e.uid for e in existing}
            new: list[Entry] = []
            next_id = max((e.id for e in existing), default=0)
            for number, item in enumerate(document["entries"], start=1):
                if not isinstance(item, dict) or item.get("uid") in known:
                    continue
                try:
                    payload = decode_payload(str(item.get("kind")), json.dumps(item.get("payload")))
                    day = date.fromisoformat(str(item.get("date")))
                except (InvalidInputError, ValueError, RecursionError) as exc:
                    raise InvalidInputError(
                        f"entry {number} of the export cannot be read: {exc}"
                    ) from exc
                next_id += 1
                entry = Entry(str(item.get("uid")), next_id, day, datetime.now(UTC), payload)
                try:
                    entry_rules(payload, [*existing, *new])
                    planned = has_plan([*existing, *new, entry])  # a kit may come first
                    if isinstance(payload, PlanStarted | Adjust | Undo) and planned:
                        check_preparable(replan([*existing, *new, entry]))
                except LdncalcError as exc:
                    raise RefusedError(
                        f"entry {number} of the export is refused: {exc}", code="import-refused"
                    ) from exc
                new.append(entry)
            if new and has_plan([*existing, *new]):
                try:
                    replan([*existing, *new])
                except (InvalidInputError, RefusedError) as exc:
                    raise InvalidInputError(
                        f"the export's entries do not make a plan with this profile's: {exc}"
                    ) from exc
        return self.store.import_profile(self.profile, document)

    # ------------------------------------------------------------------ plumbing

    def _past(self, on: date | None, what: str) -> date:
        today = self.today_date()
        day = on or today
        if day > today:
            raise InvalidInputError(
                f"{day.isoformat()} is after today: {what} can only be recorded for today or "
                "an earlier day",
                code="future-date",
            )
        return day

    def _record(
        self,
        day: date,
        payload: Payload | list[Payload] | Callable[[list[Entry]], Payload],
        check: Callable[[list[Entry]], None] | None,
        *,
        warnings: Sequence[str] = (),
        needs_plan: bool = True,
        prepare: bool = False,
        undoing: int | None = None,
    ) -> Recorded:
        """Check the entry against the diary and append it, all in one transaction.

        ``payload`` is the payload, a list that ``check`` fills, or a function of
        the entries that returns it. The plan the entries make with the new one
        must hold (``replan``), and with ``prepare``, every later dose must be
        measurable: nothing is written that would break the diary.
        """
        if needs_plan and not self.store.records(self.profile):
            # Before any write: a refused command never creates the diary file.
            raise RefusedError("this diary has no plan yet", code="no-plan")
        with self.store.transaction(self.profile) as tx:
            entries = entries_of(tx.records(), undoing=undoing)
            if needs_plan and not any(isinstance(e.payload, PlanStarted) for e in entries):
                raise RefusedError("this diary has no plan yet", code="no-plan")
            if check is not None:
                check(entries)
            made = (
                payload(entries)
                if callable(payload)
                else payload[0]
                if isinstance(payload, list)
                else payload
            )
            now = datetime.now(UTC)
            from ldncalc.diary.store import new_uid

            uid = new_uid()
            draft = Entry(uid, max((e.id for e in entries), default=0) + 1, day, now, made)
            if needs_plan or isinstance(made, PlanStarted) or has_plan(entries):
                try:
                    living = replan([*entries, draft], checked=frozenset({draft.id}))
                except InvalidInputError as exc:
                    if not isinstance(made, Undo):
                        raise
                    # Undoing the only plan, say: the rest would no longer make a plan.
                    raise RefusedError(
                        f"undoing it would leave a diary whose entries make no plan ({exc}); "
                        "to start again, start a new plan over it",
                        code="not-preparable",
                    ) from exc
                if prepare or isinstance(made, PlanStarted):
                    check_preparable(living)
            kind, text = encode_payload(made)
            stored = tx.append(kind, day, text, recorded_at=now, uid=uid)
        entry = Entry(stored.uid, stored.id, stored.day, stored.recorded_at, made)
        return Recorded(entry, tuple(warnings))
