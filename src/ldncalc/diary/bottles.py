"""The bottles a person holds: each one recorded as mixed, and what is left in it.

A bottle recorded with ``mixed`` (the stock) or ``diluted`` (a dilution stage)
holds the liquid made; each dose recorded with ``took`` is drawn from the
bottle in use that day (the last recorded of the liquid the day's dose is
drawn from, mixed by then), the volume being the dose over that bottle's
concentration; a dilution draws its aliquot from the liquid it is made from.
So the diary knows what is left in every bottle it records, whatever the plan
had in mind for it (another water, another day). No I/O, no terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction

from ldncalc.diary.entries import Diluted, Entry, Mixed, Took
from ldncalc.diary.replan import active_entries
from ldncalc.dose.dilution import DilutionStage
from ldncalc.dose.preparation import Preparation, make_preparation
from ldncalc.plan.supply import default_reserve_ml

__all__ = ["Bottle", "recorded_bottles"]


@dataclass(frozen=True, slots=True)
class Bottle:
    """One bottle: the stock (``stage`` 0) or a dilution stage, recorded or to be mixed.

    ``number`` counts the bottles of the diary (recorded ones in the order they
    were mixed, then those due); ``left_ml`` is what is left in a recorded
    bottle after the doses recorded up to the day asked (None for a bottle not
    recorded); ``reserve_ml`` what no dose is planned to take from it (the
    last millilitres a syringe cannot draw). ``preparation`` is a stock's recipe,
    ``stages`` the dilution stages that make a dilution (from the stock), or
    ``source_ml``/``water_ml`` for a dilution recorded. ``made_from`` is the
    number of the bottle a dilution is made from.
    """

    number: int
    stage: int
    mix_date: date
    discard_date: date
    concentration_mg_per_ml: Fraction
    volume_ml: Fraction
    reserve_ml: Fraction
    recorded: bool = False
    left_ml: Fraction | None = None
    preparation: Preparation | None = None
    stages: tuple[DilutionStage, ...] = ()
    made_from: int | None = None
    source_ml: Fraction | None = None
    water_ml: Fraction | None = None

    @property
    def is_stock(self) -> bool:
        """Return whether the bottle holds the stock (tablets in water)."""
        return self.stage == 0

    @property
    def usable_ml(self) -> Fraction | None:
        """Return what a dose may still take from a recorded bottle: left above its reserve."""
        return None if self.left_ml is None else self.left_ml - self.reserve_ml


def _discard(on: date, keep_days: int) -> date:
    return on + timedelta(days=keep_days - 1)


def recorded_bottles(
    entries: Sequence[Entry],
    day: date,
    stage_on: Callable[[date], int | None],
    planned_on: Callable[[date], Fraction | None],
) -> tuple[Bottle, ...]:
    """Return the bottles recorded up to ``day``, numbered, with what is left in each.

    Args:
        entries: every entry of the diary.
        day: the last day whose doses count (those recorded on it included).
        stage_on: the liquid a day's dose is drawn from (0 the stock, n the nth
            dilution stage; None: no dose planned that day).
        planned_on: the dose planned on a day (what a ``took`` without a dose took).
    """
    kept = [e for e in active_entries(entries) if e.day <= day]
    made = sorted(
        (e for e in kept if isinstance(e.payload, Mixed | Diluted)),
        key=lambda e: (
            e.day,
            e.payload.stage if isinstance(e.payload, Diluted) else 0,
            e.id,
        ),
    )
    bottles: list[Bottle] = []
    # The events that draw liquid, in the order of the days: a dilution made
    # (its aliquot), then the day's doses.
    for number, e in enumerate(made, start=1):
        p = e.payload
        if isinstance(p, Mixed):
            prep = make_preparation(p.tablets, p.strength_mg, p.water_ml)
            bottles.append(
                Bottle(
                    number,
                    0,
                    e.day,
                    _discard(e.day, p.keep_days),
                    prep.concentration_mg_per_ml,
                    p.water_ml,
                    default_reserve_ml(p.water_ml),
                    recorded=True,
                    left_ml=p.water_ml,
                    preparation=prep,
                    water_ml=p.water_ml,
                )
            )
        else:
            assert isinstance(p, Diluted)
            volume = p.source_ml + p.water_ml
            source = _in_use(bottles, p.stage - 1, e.day)
            discard = _discard(e.day, p.keep_days)
            if source is not None:
                discard = min(discard, source.discard_date)
            bottles.append(
                Bottle(
                    number,
                    p.stage,
                    e.day,
                    discard,
                    p.concentration_mg_per_ml,
                    volume,
                    default_reserve_ml(volume),
                    recorded=True,
                    left_ml=volume,
                    made_from=None if source is None else source.number,
                    source_ml=p.source_ml,
                    water_ml=p.water_ml,
                )
            )
            if source is not None:
                _draw(bottles, source, p.source_ml)
        for took_on, dose in _doses(kept, planned_on, e.day, _next_mix_day(made, number)):
            stage = stage_on(took_on)
            bottle = None if stage is None else _in_use(bottles, stage, took_on)
            if bottle is not None and dose is not None:
                _draw(bottles, bottle, dose / bottle.concentration_mg_per_ml)
    return tuple(bottles)


def _next_mix_day(made: Sequence[Entry], number: int) -> date | None:
    """Return the day of the next bottle recorded after the ``number``th (None: the last)."""
    return made[number].day if number < len(made) else None


def _doses(
    kept: Sequence[Entry],
    planned_on: Callable[[date], Fraction | None],
    start: date,
    before: date | None,
) -> list[tuple[date, Fraction | None]]:
    """Return the doses recorded from ``start`` up to (not on) ``before`` that no earlier
    bottle's turn counted (``start`` itself only when the next bottle is mixed later)."""
    if before is not None and before == start:
        return []
    return [
        (e.day, e.payload.dose_mg if e.payload.dose_mg is not None else planned_on(e.day))
        for e in kept
        if isinstance(e.payload, Took) and start <= e.day and (before is None or e.day < before)
    ]


def _in_use(bottles: Sequence[Bottle], stage: int, on: date) -> Bottle | None:
    """Return the last bottle recorded of ``stage`` mixed by ``on`` (the one drawn from)."""
    found = [b for b in bottles if b.stage == stage and b.mix_date <= on]
    return found[-1] if found else None


def _draw(bottles: list[Bottle], bottle: Bottle, volume_ml: Fraction) -> None:
    index = bottles.index(bottle)
    left = bottle.left_ml if bottle.left_ml is not None else bottle.volume_ml
    bottles[index] = replace(bottle, left_ml=max(left - volume_ml, Fraction(0)))
