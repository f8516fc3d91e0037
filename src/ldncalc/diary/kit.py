"""A kit per profile: the syringes the person owns, the scale, the hour of the dose.

The kit is recorded in the diary as entries (``kit-add``, ``kit-remove``,
``kit-scale``, ``kit-time``), so that undo, the history, export and import
carry it. :func:`kit_of` folds the entries in force (an undone one counts for
nothing) into the :class:`ProfileKit`; :func:`kit_add`, :func:`kit_remove`,
:func:`kit_scale` and :func:`kit_time` make the entries from what a person
types (the same text as ``--syringe``, ``--dose-time``), and
:func:`check_change` refuses a change that makes no sense against the kit
(a syringe added twice, one removed that is not in it).
:meth:`ldncalc.diary.service.Diary.change_kit` records one, in one transaction.

Kit entries are no day's record: they never block a dose taken or missed.
:func:`measuring_kit` is the one place that turns the kit into what the dose
library takes (every syringe, the scale); :func:`kit_for` lets a command's
``--syringe`` override it for that command only, and :func:`laid_today`,
:func:`laid_schedule` and :func:`laid_living` measure the plan with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import time
from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc.diary.entries import Diluted, Entry, PlanStarted
from ldncalc.diary.kit_entries import (
    KitChange,
    KitScale,
    KitSyringeAdded,
    KitSyringeRemoved,
    KitTime,
)
from ldncalc.diary.undo import active_entries
from ldncalc.dose.kit import Kit, Scale, scale_grams
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.frozen import frozen

if TYPE_CHECKING:
    from datetime import date

    from ldncalc.diary.living import Today
    from ldncalc.diary.replan import LivingPlan
    from ldncalc.dose.syringes import Syringe
    from ldncalc.plan.titration import Schedule

__all__ = [
    "KitChange",
    "ProfileKit",
    "check_change",
    "kit_add",
    "kit_for",
    "kit_of",
    "kit_remove",
    "kit_scale",
    "kit_time",
    "laid_living",
    "laid_schedule",
    "laid_today",
    "laid_with_kit",
    "liquid_number",
    "measuring_kit",
]


@frozen
class ProfileKit:
    """What a profile measures with: its syringes (smallest first), its scale, its dose time."""

    syringes: tuple[Syringe, ...] = ()
    scale: Scale | None = None
    dose_time: time | None = None

    @property
    def empty(self) -> bool:
        """Return whether nothing is in the kit."""
        return not self.syringes and self.scale is None and self.dose_time is None


def _syringe(capacity_ml: Fraction, graduation_ml: Fraction) -> Syringe:
    from ldncalc.dose.syringes import Syringe

    return Syringe(capacity_ml, graduation_ml)


def kit_of(entries: Sequence[Entry]) -> ProfileKit:
    """Return the kit the entries in force make, in their order (an undone one is skipped).

    A syringe removed that is not in the kit (its adding undone since) changes nothing.
    """
    syringes: list[Syringe] = []
    scale: Scale | None = None
    dose_time: time | None = None
    for entry in active_entries(entries):
        p = entry.payload
        if isinstance(p, KitSyringeAdded | KitSyringeRemoved):
            syringe = _syringe(p.capacity_ml, p.graduation_ml)
            if isinstance(p, KitSyringeAdded) and syringe not in syringes:
                syringes.append(syringe)
            elif isinstance(p, KitSyringeRemoved) and syringe in syringes:
                syringes.remove(syringe)
        elif isinstance(p, KitScale):
            scale = (
                None
                if p.resolution_g is None or p.accuracy_g is None
                else Scale(p.resolution_g, p.accuracy_g)
            )
        elif isinstance(p, KitTime):
            dose_time = None if p.time is None else time.fromisoformat(p.time)
    ordered = tuple(sorted(syringes, key=lambda s: (s.capacity_ml, s.graduation_ml)))
    return ProfileKit(ordered, scale, dose_time)


# --------------------------------------------------------------------------- changes


def _read_syringe(text: str | Syringe) -> Syringe:
    """Read a syringe as ``--syringe`` reads it, with the kit's error code."""
    from ldncalc.dose.syringes import Syringe, parse_syringe

    if isinstance(text, Syringe):
        return text
    try:
        return parse_syringe(text)
    except InvalidInputError as exc:
        raise InvalidInputError(str(exc), code="syringe-unreadable") from exc


def kit_add(text: str | Syringe) -> KitSyringeAdded:
    """Return the entry that adds a syringe: ``3mL``, ``10mL:0.2mL`` (as ``--syringe``).

    Raises:
        InvalidInputError: not a syringe (code ``syringe-unreadable``).
    """
    syringe = _read_syringe(text)
    return KitSyringeAdded(syringe.capacity_ml, syringe.graduation_ml)


def kit_remove(text: str | Syringe) -> KitSyringeRemoved:
    """Return the entry that removes a syringe, named as when it was added.

    Raises:
        InvalidInputError: not a syringe (code ``syringe-unreadable``).
    """
    syringe = _read_syringe(text)
    return KitSyringeRemoved(syringe.capacity_ml, syringe.graduation_ml)


def kit_scale(
    resolution: str | Fraction | None, accuracy: str | Fraction | None = None
) -> KitScale:
    """Return the entry that sets the scale (None: no scale); accuracy: one division unless given.

    The scale's rules are the dose wing's (:class:`ldncalc.dose.kit.Scale`).

    Raises:
        InvalidInputError: an amount that is not grams, a division out of
            0.001 to 10 g, a negative accuracy, or an accuracy without a scale
            (code ``scale-invalid``).
    """
    if resolution is None:
        if accuracy is not None:
            raise InvalidInputError(
                "an accuracy goes with a scale; without one there is nothing to weigh with",
                code="scale-invalid",
            )
        return KitScale(None, None)
    division = scale_grams(resolution, "a scale's division")
    off = division if accuracy is None else scale_grams(accuracy, "a scale's accuracy")
    return KitScale(division, Scale(division, off).accuracy)


def kit_time(text: str | time | None) -> KitTime:
    """Return the entry that sets the hour of the dose, HH:MM (None: no time).

    Raises:
        InvalidInputError: not a time of day (code ``time-unreadable``).
    """
    if isinstance(text, time):
        return KitTime(text.strftime("%H:%M"))
    return KitTime(text)


def check_change(entries: Sequence[Entry], change: KitChange) -> None:
    """Refuse a change that makes no sense against the kit the entries make.

    Raises:
        RefusedError: a syringe added that is in the kit (``in-kit-already``),
            or removed that is not (``not-in-kit``).
    """
    if not isinstance(change, KitSyringeAdded | KitSyringeRemoved):
        return
    kit = kit_of(entries)
    syringe = _syringe(change.capacity_ml, change.graduation_ml)
    if isinstance(change, KitSyringeAdded) and syringe in kit.syringes:
        raise RefusedError(f"the kit has a {syringe.label} syringe already", code="in-kit-already")
    if isinstance(change, KitSyringeRemoved) and syringe not in kit.syringes:
        owned = ", ".join(s.label for s in kit.syringes) or "no syringe"
        raise RefusedError(
            f"the kit has no {syringe.label} syringe (it has {owned})", code="not-in-kit"
        )


# --------------------------------------------------------------------------- use


def measuring_kit(kit: ProfileKit) -> Kit | None:
    """Return what the dose library takes of the kit: every syringe and the scale (None: empty).

    An empty kit (or one with only a dose time) leaves the choice to the catalogue.
    """
    if not kit.syringes and kit.scale is None:
        return None
    return Kit(kit.syringes, kit.scale)


def kit_for(entries: Sequence[Entry], override: Kit | None = None) -> Kit | None:
    """Return what the plan is measured with: a command's ``--syringe`` and scale, else the kit.

    A command's kit without a scale keeps the profile's scale (and one without
    syringes the profile's syringes): ``--syringe`` overrides the syringes only.
    """
    from ldncalc.inputs import of_type

    of_type(override, Kit, "kit", optional=True)
    own = measuring_kit(kit_of(entries))
    if override is None:
        return own
    return Kit(
        override.syringes or (() if own is None else own.syringes),
        override.scale if override.scale is not None or own is None else own.scale,
    )


def laid_with_kit(entries: Sequence[Entry], override: Kit | None) -> list[Entry]:
    """Return the entries with the syringe recorded at a plan's start set aside by ``override``.

    A plan started with one ``--syringe`` keeps it (that command's choice) over
    the kit's syringes; a command's own ``--syringe`` overrides both. The
    entries stored are unchanged (this is how the plan is laid, not what was
    recorded).
    """
    if override is None or not override.syringes:
        return list(entries)
    laid: list[Entry] = []
    for entry in entries:
        p = entry.payload
        if isinstance(p, PlanStarted) and p.syringe_ml is not None:
            entry = replace(entry, payload=replace(p, syringe_ml=None, graduation_ml=None))
        laid.append(entry)
    return laid


def laid_living(entries: Sequence[Entry], override: Kit | None = None) -> LivingPlan:
    """Return the living plan the entries make, to be measured with the kit (:func:`kit_for`).

    For what must agree with ``today`` (the dilution a day plans, its number):
    a kit that cannot measure the plan leaves it as recorded, as :func:`laid_today` does.
    """
    from ldncalc.diary.living import living_schedule
    from ldncalc.diary.replan import replan

    living = replan(laid_with_kit(entries, override))
    kit = kit_for(entries, override)
    if kit is None:
        return living
    try:
        living_schedule(replace(living, kit=kit))
    except RefusedError:
        return replan(entries)
    return replace(living, kit=kit)


def liquid_number(entries: Sequence[Entry], entry_id: int) -> int | None:
    """Return the number the plan gives the dilution an entry records ('dilution N').

    The schedule numbers its diluted liquids (:func:`ldncalc.plan.dilutions.liquid_numbers`);
    a dilution is named so on its label as in ``today``. None for a bottle of
    stock, or a liquid the plan does not make (then its stage names it).
    """
    from ldncalc.diary.living import living_schedule
    from ldncalc.plan.dilutions import liquid_numbers

    entry = next((e for e in entries if e.id == entry_id), None)
    if entry is None or not isinstance(entry.payload, Diluted):
        return None
    living = laid_living(entries)  # numbered as today numbers it, with the kit
    if not any(s.dose_mg is not None for s in living.segments):
        return None
    schedule = living_schedule(living, entry.day)
    return liquid_numbers([s.plan for s in schedule.steps]).get(
        entry.payload.concentration_mg_per_ml
    )


def _cannot(kit: Kit, exc: RefusedError) -> str:
    owned = ", ".join(s.label for s in kit.syringes)
    what = f"syringes ({owned})" if len(kit.syringes) > 1 else f"{owned} syringe"
    if not kit.syringes:
        what = "scale"
    return (
        f"the kit's {what} cannot measure every dose of the plan ({exc}); "
        "the plan is laid as it was started"
    )


def laid_today(
    entries: Sequence[Entry], day: date, override: Kit | None = None, *, to_come: bool = False
) -> Today:
    """Return what ``day`` holds, the plan measured with the kit (see :func:`kit_for`).

    The day carries the kit's hour of the dose (``dose_time``) and ``to_come``
    (a day after today). ``override`` is a command's ``--syringe`` (and scale),
    for that command only.

    When the kit cannot measure the plan, the plan is laid as it was
    recorded, and a warning (code ``kit``) says why.
    """
    from ldncalc.diary.living import today_status
    from ldncalc.dose.preparation import Advisory

    own = kit_of(entries)
    kit = kit_for(entries, override)
    try:
        made = today_status(laid_with_kit(entries, override), day, kit)
        return replace(made, dose_time=own.dose_time, to_come=to_come)
    except RefusedError as exc:
        if kit is None:
            raise
        made = today_status(entries, day)
        cannot = Advisory("kit", _cannot(kit, exc))
        return replace(
            made,
            advisories=(*made.advisories, cannot),
            dose_time=own.dose_time,
            to_come=to_come,
        )


def laid_schedule(
    entries: Sequence[Entry], override: Kit | None = None
) -> tuple[LivingPlan, Schedule, str | None]:
    """Return the living plan and its schedule measured with the kit, and a warning or None.

    As :func:`laid_today`: a kit that cannot measure the plan leaves the
    plan as it was recorded, and the warning says why.

    Raises:
        RefusedError: the plan has no day with a dose (``no-doses``), or cannot
            be measured as recorded.
    """
    from ldncalc.diary.living import living_schedule
    from ldncalc.diary.replan import replan

    kit = kit_for(entries, override)
    living = replace(replan(laid_with_kit(entries, override)), kit=kit)
    if all(s.dose_mg is None for s in living.segments):
        raise RefusedError("the plan has no day with a dose (it was stopped)", code="no-doses")
    try:
        return living, living_schedule(living), None
    except RefusedError as exc:
        if kit is None:
            raise
        living = replan(entries)
        return living, living_schedule(living), _cannot(kit, exc)
