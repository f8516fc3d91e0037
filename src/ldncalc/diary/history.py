"""The history's records: a day, an entry and its state, adherence, the days at each dose.

Apart from :mod:`ldncalc.diary.status` (which computes them) so that
``ldncalc today``, which needs none of them, does not build their classes
at every start (docs/performance.md).
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc.frozen import frozen

if TYPE_CHECKING:
    from ldncalc.diary.entries import Entry

__all__ = ["Adherence", "DoseDays", "HistoryDay", "HistoryEntry"]


@frozen
class HistoryDay:
    """One day of the history: planned and taken doses, scores and side effects."""

    date: date
    planned_dose_mg: Fraction | None
    taken_dose_mg: Fraction | None
    taken: bool
    missed: bool
    scores: dict[str, int] = field(hash=False)
    side_effects: tuple[str, ...]
    pgic: int | None = None  # the PGIC recorded that day (the last recorded), if any


@frozen
class HistoryEntry:
    """One entry of the history and its state: the id of the undo in force that cancels it."""

    entry: Entry
    undone_by: int | None


@frozen
class Adherence:
    """Days taken of days planned."""

    days_planned: int
    days_taken: int

    @property
    def ratio(self) -> Fraction | None:
        """Return days taken / days planned, or None when no day was planned."""
        return Fraction(self.days_taken, self.days_planned) if self.days_planned else None


@frozen
class DoseDays:
    """How many days a dose was planned, and how many days it was taken."""

    dose_mg: Fraction
    days_planned: int
    days_taken: int
