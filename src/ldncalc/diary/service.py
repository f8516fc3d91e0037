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
  order, needs ``again`` (a second dose really taken) or an undo of the first;
  the doses taken on a day come to a whole tablet at most.
- Doses, bottles and notes are recorded for today or an earlier day; notes
  from :data:`BASELINE_DAYS` days before the plan's start (a baseline), and
  before any plan is started; so are the kit's changes (:mod:`ldncalc.diary.kit`).
- An entry already undone cannot be undone again; undoing an undo restores
  its target. An adjustment is not dated before the plan's start.
- Scores are named in lower case (``Pain`` is ``pain``), 0 to 10; the PGIC 1 to 7.
- An import keeps these rules (:mod:`ldncalc.diary.importing`) in one transaction;
  every argument is checked at the door (a coded ``LdncalcError``, never a Python one).

Nothing here prints or parses command-line text; dates are calendar dates
(the caller's local calendar: ``today`` defaults to ``date.today()``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from ldncalc import inputs
from ldncalc.diary.cautions import DiaryWarning, not_as_planned
from ldncalc.diary.codec import encode_payload
from ldncalc.diary.entries import (
    ACTIONS,
    Action,
    Adjust,
    Diluted,
    Entry,
    Missed,
    Note,
    Payload,
    PlanStarted,
    Took,
    Undo,
    pgic_value,
    score_pairs,
)
from ldncalc.diary.outcomes import CurrentPlan, History, Recorded
from ldncalc.diary.recorded import (
    BASELINE_DAYS,
    adjust_day_rule,
    day_of,
    day_or_none,
    day_total_rule,
    days_or_none,
    entries_of,
    note_rule,
)
from ldncalc.diary.replan import LivingPlan, check_undo, replan
from ldncalc.diary.rules import (
    adjust_rules,
    check_preparable,
    dilution_recipe,
    has_plan,
    one_record,
    plan_rules,
    planned_dilution,
    running,
)
from ldncalc.diary.status import MAX_HISTORY_DAYS
from ldncalc.errors import ArgumentTypeError, InvalidInputError, RefusedError

if TYPE_CHECKING:
    import os
    from pathlib import Path

    from ldncalc.diary.kit import ProfileKit
    from ldncalc.diary.kit_entries import KitChange
    from ldncalc.diary.living import Report, Today
    from ldncalc.diary.shapes import ExportDocument
    from ldncalc.diary.store import Store
    from ldncalc.dose.kit import Kit
    from ldncalc.dose.preparation import Preparation
    from ldncalc.dose.syringes import Syringe
    from ldncalc.inputs import Amount
    from ldncalc.plan.titration import Protocol

__all__ = [
    "BASELINE_DAYS",
    "MAX_HISTORY_DAYS",
    "CurrentPlan",
    "Diary",
    "History",
    "Recorded",
    "entries_of",
]

DEFAULT_PROTOCOL = "ldnrt-weekly"  # as 'ldncalc schedule'


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

        if not callable(clock):
            raise ArgumentTypeError(f"clock must be a function giving today's date, not {clock!r}")
        self._store = store
        self.profile = validate_profile(DEFAULT_PROFILE if profile is None else profile)
        self._clock = clock

    @classmethod
    def open(
        cls,
        folder: str | os.PathLike[str] | None = None,
        profile: str | None = None,
        *,
        clock: Callable[[], date] | None = None,
    ) -> Diary:
        """Open the diary in ``folder`` (None: ``$LDNCALC_HOME``, else the user data folder).

        Args:
            folder: the folder of the diary file.
            profile: whose diary (None: the default profile).
            clock: what today is, a function giving the local calendar date
                (None: ``date.today``); for tests and for programs with their own calendar.
        """
        import os

        from ldncalc.diary.store import Store, default_folder

        if folder is not None and not isinstance(folder, str | os.PathLike):
            raise ArgumentTypeError(f"folder must be a folder's name, not {folder!r}")
        if profile is not None and not isinstance(profile, str):
            raise ArgumentTypeError(f"profile must be text, not {profile!r}")
        return cls(Store(default_folder(folder)), profile, clock=clock or date.today)

    @property
    def path(self) -> Path:
        """The diary file (it may not exist until the first entry is recorded)."""
        return self._store.path

    # ------------------------------------------------------------------ reading

    def today_date(self) -> date:
        """Return today's date by the diary's clock."""
        today = self._clock()
        if isinstance(today, datetime) or not isinstance(today, date):
            raise ArgumentTypeError(f"the diary's clock must give a date, not {today!r}")
        return today

    def exists(self) -> bool:
        """Return whether the diary file holds any entry of this profile."""
        return self.profile in self._store.profiles()

    def profiles(self) -> list[str]:
        """Return the names of the diary's profiles that hold entries, sorted."""
        return self._store.profiles()

    def known(self) -> Diary:
        """Return this diary if its profile holds entries; refuse one that holds none.

        Raises:
            RefusedError: no such profile (the message lists the known ones).
        """
        known = self._store.profiles()
        if self.profile not in known:
            listed = ", ".join(known) if known else "none: the diary has no entries"
            raise RefusedError(
                f"the diary has no profile {self.profile!r}; its profiles: {listed}",
                code="unknown-profile",
            )
        return self

    def check(self) -> list[str]:
        """Return what is wrong with the diary, one line each (empty: it is sound).

        The file first (its permissions, its schema, its pages), then the
        meaning of every profile's entries: each must read, and each profile's
        entries must make a plan. Nothing is changed.
        """
        problems = self._store.check()
        if problems:
            return problems
        for name in self._store.profiles():
            try:
                entries = entries_of(self._store.records(name))
                if has_plan(entries):  # a kit or a baseline note may come before a plan
                    replan(entries)
            except (InvalidInputError, RefusedError) as exc:
                problems.append(f"profile {name}: {exc}")
        return problems

    def entries(self) -> list[Entry]:
        """Return the profile's entries in id order (none: an empty list)."""
        return entries_of(self._store.records(self.profile))

    def started_entries(self) -> list[Entry]:
        """Return the entries; refuse a diary without a plan, saying how to start one."""
        entries = self.entries()
        if not any(isinstance(e.payload, PlanStarted) for e in entries):
            raise RefusedError("this diary has no plan yet", code="no-plan")
        return entries

    def living(self) -> LivingPlan:
        """Return the living plan the entries make."""
        return replan(self.started_entries())

    def plan(self, *, kit: Kit | None = None) -> CurrentPlan:
        """Return the plan as a schedule and its bottles (``kit``: a command's, over the profile's).

        Raises:
            RefusedError: no plan yet, or a plan stopped with no day that has a dose.
        """
        from ldncalc.diary.kit import laid_schedule
        from ldncalc.diary.living import living_supply

        entries = self.started_entries()
        living, schedule, kit_warning = laid_schedule(entries, kit)  # measured with the kit
        return CurrentPlan(living, schedule, living_supply(schedule, living, entries), kit_warning)

    def history(self, *, start: date | None = None, end: date | None = None) -> History:
        """Return the diary from ``start`` (the plan's first day) to ``end`` (today, or later).

        Each entry dated in the window comes with its state (undone or not,
        decided over the whole diary), and each day with its planned and taken
        dose, scores and side effects (no plan yet: no days; an empty diary is refused).

        Raises:
            InvalidInputError: ``start`` after ``end``, or a window of more than
                twenty years.
        """
        from ldncalc.diary.status import history_of

        start = day_or_none(start, "start")
        end = day_or_none(end, "end")
        return history_of(self.entries() or self.started_entries(), self.today_date(), start, end)

    def report(self, *, start: date | None = None, end: date | None = None) -> Report:
        """Return the prescriber's report: the trial at a glance, the plan, what happened."""
        from ldncalc.diary.living import build_report

        start = day_or_none(start, "start")
        end = day_or_none(end, "end")
        return build_report(self.started_entries(), self.today_date(), start, end)

    def today(self, *, on: date | None = None, kit: Kit | None = None) -> Today:
        """Return what a day holds (``kit``: a command's syringes and scale, as for ``plan``)."""
        day = day_or_none(on, "on") or self.today_date()
        return day_of(self._store, self.profile, day, kit, to_come=day > self.today_date())

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
        from ldncalc.dose.preparation import Preparation, make_preparation
        from ldncalc.dose.syringes import Syringe
        from ldncalc.plan.supply import DEFAULT_KEEP_DAYS
        from ldncalc.plan.titration import DEFAULT_HOLD_DAYS, Protocol, get_protocol

        if protocol is not None and not isinstance(protocol, Protocol | str):
            raise ArgumentTypeError(
                f"protocol must be a protocol's id or a Protocol, not {protocol!r}"
            )
        inputs.of_type(preparation, Preparation, "preparation", optional=True)
        inputs.of_type(syringe, Syringe, "syringe", optional=True)
        hold = days_or_none(hold_days, "hold_days")
        keep = days_or_none(keep_days, "keep_days")
        force = inputs.flag(force, "force")
        confirm = inputs.flag(confirm, "confirm")
        chosen = (
            get_protocol(protocol or DEFAULT_PROTOCOL)
            if protocol is None or isinstance(protocol, str)
            else protocol
        )
        day = day_or_none(start_date, "start_date") or self.today_date()
        started = plan_started(
            chosen,
            start_date=day,
            preparation=preparation or make_preparation(),
            syringe=syringe,
            hold_days=DEFAULT_HOLD_DAYS if hold is None else hold,
            keep_days=DEFAULT_KEEP_DAYS if keep is None else keep,
        )
        warnings = plan_rules(started, confirm=confirm)

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
        day = self._past(on, "a dose taken")
        again = inputs.flag(again, "again")
        given = None if dose is None else Took(inputs.dose_mg(dose, "dose")).dose_mg
        warnings: list[DiaryWarning] = []
        payload: list[Payload] = []

        def find(entries: list[Entry]) -> None:
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
            warnings.extend(not_as_planned(given, planned, day))
            payload.append(Took(given))

        def check(entries: list[Entry]) -> None:
            find(entries)
            made = payload[0]
            if isinstance(made, Took) and made.dose_mg is not None:
                day_total_rule(entries, day, made.dose_mg, replan(entries).plan.strength_mg)

        return self._record(day, payload, check, warnings=warnings)

    def missed(self, *, on: date | None = None, again: bool = False) -> Recorded:
        """Record a missed dose (skipped: never doubled).

        Raises:
            RefusedError: the day has a record already (unless ``again``).
        """
        day = self._past(on, "a missed dose")
        again = inputs.flag(again, "again")

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
        tablets: int | None = None,
        strength_mg: Amount | None = None,
        water_ml: Amount | None = None,
        concentration_mg_per_ml: Amount | None = None,
    ) -> Recorded:
        """Record a bottle of stock mixed (its keep period starts that day): the plan's recipe,
        a whole ``preparation``, or only the parts that differ (the rest is the plan's; a
        concentration replaces the water). See :func:`ldncalc.diary.liquids.bottle_mixed`.
        """
        from ldncalc.diary.liquids import bottle_mixed, recipe_parts
        from ldncalc.dose.preparation import Preparation

        day = self._past(on, "a bottle mixed")
        inputs.of_type(preparation, Preparation, "preparation", optional=True)
        keep = days_or_none(keep_days, "keep_days")
        parts = recipe_parts(preparation, tablets, strength_mg, water_ml, concentration_mg_per_ml)
        payload: list[Payload] = []
        warnings: list[DiaryWarning] = []

        def check(entries: list[Entry]) -> None:
            made, said = bottle_mixed(replan(entries).plan, preparation, parts, keep)
            payload.append(made)
            warnings.extend(said)

        return self._record(day, payload, check, warnings=warnings)

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

        Stage 1 is made from the stock; stage 2, of a two-stage dilution, from stage 1:
        each from a liquid recorded and in date on the day, at the concentration
        the stage starts from.

        Raises:
            RefusedError: the plan has no diluted dose on or after the day, no
                such stage, or no liquid held to make it from.
        """
        day = self._past(on, "a dilution mixed")
        if isinstance(stage, bool) or not isinstance(stage, int):
            raise ArgumentTypeError(f"stage must be a whole number (1 or 2), not {stage!r}")
        keep = days_or_none(keep_days, "keep_days")
        taken = None if source_ml is None else inputs.volume_ml(source_ml, "source_ml")
        water = None if water_ml is None else inputs.volume_ml(water_ml, "water_ml")
        payload: list[Payload] = []
        from ldncalc.diary.kit import laid_living

        def check(entries: list[Entry]) -> None:
            living = laid_living(entries)  # as today plans it, with the kit
            stages = planned_dilution(living, day, entries)
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
            source, aliquot, added = dilution_recipe(entries, day, stage, stages)
            payload.append(
                Diluted(
                    source,
                    aliquot if taken is None else taken,
                    added if water is None else water,
                    living.plan.keep_days if keep is None else keep,
                    stage=stage,
                )
            )

        return self._record(day, payload, check)

    def note(
        self,
        text: str | None = None,
        *,
        on: date | None = None,
        scores: Mapping[str, int | str] | Iterable[tuple[str, int | str]] = (),
        side_effects: Iterable[str] = (),
        pgic: int | str | None = None,
    ) -> Recorded:
        """Record a note: text, scores 0 to 10 (0 none, 10 worst), side effects, the PGIC.

        A score's name is kept trimmed and in lower case (``Pain`` is ``pain``;
        two names that differ only in case are one score given twice); a
        score or the PGIC may be given as a whole number or its digits as text.
        A note may come before the plan starts (a baseline), from
        :data:`BASELINE_DAYS` days before its start date.

        Raises:
            InvalidInputError: a score out of range, a name given twice, nothing
                to record.
            RefusedError: a day more than BASELINE_DAYS before the plan's start.
        """
        day = self._past(on, "a note")
        words = inputs.optional_text(text, "text")
        if isinstance(side_effects, str | bytes) or not isinstance(side_effects, Iterable):
            raise ArgumentTypeError(
                f"side_effects must be a list of texts (one per side effect), not {side_effects!r}"
            )
        effects = tuple(side_effects)
        for effect in effects:
            inputs.optional_text(effect, "a side effect")
        payload = Note(words or "", score_pairs(scores), effects, pgic_value(pgic))

        def check(entries: list[Entry]) -> None:
            note_rule(entries, day)

        return self._record(day, payload, check, needs_plan=False)

    def adjust(
        self,
        action: Action,
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
        name = next((a for a in ACTIONS if isinstance(action, str) and a == action), None)
        if name is None:
            raise InvalidInputError(
                f"no action {action!r}; choose one of: {', '.join(ACTIONS)}",
                code="unknown-action",
            )
        confirm = inputs.flag(confirm, "confirm")
        payload = Adjust(
            name,
            dose_mg=None if dose is None else inputs.dose_mg(dose, "dose"),
            step_mg=None if step is None else inputs.dose_mg(step, "step"),
            every_days=days_or_none(every_days, "every_days"),
            for_days=days_or_none(for_days, "for_days"),
            reason=inputs.optional_text(reason, "reason"),
        )
        day = self._past(on, "a change of the plan", future=True)
        warnings: list[DiaryWarning] = []

        def check(entries: list[Entry]) -> None:
            adjust_day_rule(entries, day)
            warnings.extend(adjust_rules(entries, day, payload, confirm=confirm))

        return self._record(day, payload, check, warnings=warnings, prepare=True)

    def undo(self, entry_id: int) -> Recorded:
        """Cancel an entry by recording an undo of it (nothing is deleted).

        Raises:
            InvalidInputError: no entry has that id.
            RefusedError: the entry is undone already, or undoing it would leave
                a later day's dose unmeasurable.
        """
        if isinstance(entry_id, bool) or not isinstance(entry_id, int):
            raise ArgumentTypeError(f"entry_id must be a whole number, not {entry_id!r}")

        def make(entries: list[Entry]) -> Payload:
            return check_undo(entries, entry_id)

        # A diary with entries but no plan yet (a kit, a baseline note) may undo them.
        empty = not self._store.has_entries(self.profile)
        recorded = self._record(
            self.today_date(), make, None, prepare=True, undoing=entry_id, needs_plan=empty
        )
        return Recorded(recorded.entry, recorded.warnings, entry_id)

    def kit(self) -> ProfileKit:
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

    def export(self) -> ExportDocument:
        """Return the profile's entries as an export document (``ldncalc.diary/1``)."""
        return self._store.export_profile(self.profile)

    def import_(self, document: object) -> int:
        """Add an export's entries as :meth:`import_entries` does; return how many were new."""
        return len(self.import_entries(document))

    def import_entries(self, document: object) -> tuple[Entry, ...]:
        """Add an export's entries to the profile in one transaction; return the new ones, in order.

        The shape first, then each new entry by the rules of recording (see
        :mod:`ldncalc.diary.importing`): refused whole, naming the entry and the reason,
        nothing written. As text (or UTF-8 bytes), a key given twice is refused.
        """
        from ldncalc.diary.importing import import_document

        return import_document(self._store, self.profile, document, self.today_date())

    def erase(self) -> int:
        """Delete every entry of the profile (the only deletion) and return how many.

        Deleted entries are overwritten in the file; this cannot be undone.
        """
        return self._store.erase(self.profile)

    # ------------------------------------------------------------------ plumbing

    def _past(self, on: object, what: str, *, future: bool = False) -> date:
        today = self.today_date()
        day = day_or_none(on, "on") or today
        if day > today and not future:
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
        warnings: Sequence[DiaryWarning] = (),
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
        if needs_plan and not self._store.has_entries(self.profile):
            # Before any write: a refused command never creates the diary file.
            raise RefusedError("this diary has no plan yet", code="no-plan")
        with self._store.transaction(self.profile) as tx:
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
