"""What the diary's use cases give back: an entry recorded, a history, the current plan.

:class:`~ldncalc.diary.service.Diary` returns them. Apart from
:mod:`ldncalc.diary.recorded`, so that ``ldncalc today``, which returns none
of them, does not build their classes at every start (docs/performance.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldncalc.frozen import frozen

if TYPE_CHECKING:
    from ldncalc.diary.cautions import DiaryWarning
    from ldncalc.diary.entries import Entry
    from ldncalc.diary.history import HistoryDay, HistoryEntry
    from ldncalc.diary.replan import LivingPlan
    from ldncalc.plan.supply import SupplyPlan
    from ldncalc.plan.titration import Schedule

__all__ = ["CurrentPlan", "History", "Recorded"]


@frozen
class History:
    """A window of the diary: its entries with their state, and its days.

    ``ids`` maps each entry's uid to its id, for the entries an undo names;
    ``living`` is None (and ``days`` empty) in a diary with no plan yet.
    """

    living: LivingPlan | None
    entries: tuple[HistoryEntry, ...]
    days: tuple[HistoryDay, ...]
    ids: dict[str, int]


@frozen
class Recorded:
    """What a recording method kept: the entry (with its id) and what to warn about.

    ``target_id`` is, for an undo, the id of the entry it cancels.
    """

    entry: Entry
    warnings: tuple[DiaryWarning, ...] = ()
    target_id: int | None = None


@frozen
class CurrentPlan:
    """The current plan: the living plan, its schedule of days, and the bottles to mix.

    ``kit_warning`` says why the plan is laid as recorded rather than with the
    kit's syringe (it cannot measure every dose), or is None.
    """

    living: LivingPlan
    schedule: Schedule
    supply: SupplyPlan
    kit_warning: str | None = None
