"""The liquids a person holds: each bottle recorded, what it was made from, its last day.

A bottle of stock (``mixed``) keeps for its own period, the mixing day being
day 1. A dilution (``diluted``) is made from a liquid she holds on the day she
mixes it: stage 1 from a bottle of stock, stage 2 from a stage-1 dilution. It
is kept no longer than its own period, and never past the liquid it was made
from (:func:`discard_date`: the one place this date is decided, for the label
and for the day's bottle alike). Pure functions of the entries; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction

from ldncalc.diary.entries import Diluted, Entry, Mixed, PlanStarted
from ldncalc.diary.replan import active_entries
from ldncalc.errors import InvalidInputError
from ldncalc.frozen import frozen

# Not typing.TYPE_CHECKING: importing typing costs start-up time.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from ldncalc.diary.cautions import DiaryWarning
    from ldncalc.dose.preparation import Preparation
    from ldncalc.inputs import Amount

__all__ = [
    "Held",
    "bottle_mixed",
    "discard_date",
    "held_liquids",
    "mixed_days",
    "recipe_parts",
    "source_held",
]


@frozen
class Held:
    """A liquid recorded as made: the stock (stage 0) or a dilution stage.

    ``discard_date`` is its last usable day: its own keep period, capped by the
    liquid it was made from (``made_from``, that liquid's entry id; None for the
    stock, or a dilution recorded before the diary checked its source).
    """

    entry_id: int
    made_on: date
    stage: int
    concentration_mg_per_ml: Fraction
    discard_date: date
    made_from: int | None = None

    def usable_on(self, day: date) -> bool:
        """Return whether the liquid may be used (or diluted) on ``day``."""
        return self.made_on <= day <= self.discard_date


def _own_discard(made_on: date, keep_days: int) -> date:
    return made_on + timedelta(days=keep_days - 1)


def source_held(
    held: Sequence[Held], day: date, stage: int, concentration_mg_per_ml: Fraction | None = None
) -> Held | None:
    """Return the liquid a stage would be made from on ``day``, or None if she holds none.

    Args:
        held: the liquids recorded (:func:`held_liquids`).
        day: the day of mixing.
        stage: the stage to make (1 from the stock, 2 from a stage-1 dilution).
        concentration_mg_per_ml: the concentration the stage must start from
            (None: any; the latest in date is taken).

    Returns:
        The latest liquid of the stage before, in date on ``day``, at that
        concentration.
    """
    for liquid in reversed(held):
        if liquid.stage != stage - 1 or not liquid.usable_on(day):
            continue
        if concentration_mg_per_ml is None or liquid.concentration_mg_per_ml == (
            concentration_mg_per_ml
        ):
            return liquid
    return None


def held_liquids(entries: Sequence[Entry]) -> tuple[Held, ...]:
    """Return every liquid recorded (entries not undone), by mixing day then entry id."""
    made = sorted(
        (e for e in active_entries(entries) if isinstance(e.payload, Mixed | Diluted)),
        key=lambda e: (e.day, e.id),
    )
    held: list[Held] = []
    for e in made:
        p = e.payload
        if isinstance(p, Mixed):
            conc = p.tablets * p.strength_mg / p.water_ml
            held.append(Held(e.id, e.day, 0, conc, _own_discard(e.day, p.keep_days)))
            continue
        assert isinstance(p, Diluted)
        own = _own_discard(e.day, p.keep_days)
        # The liquid it was made from: the right concentration if she holds it, else
        # (an entry older than the rule) the latest in date: a cap never lengthens.
        source = source_held(held, e.day, p.stage, p.source_mg_per_ml) or source_held(
            held, e.day, p.stage
        )
        last = own if source is None else min(own, source.discard_date)
        origin = None if source is None else source.entry_id
        held.append(Held(e.id, e.day, p.stage, p.concentration_mg_per_ml, last, origin))
    return tuple(held)


def mixed_days(entries: Sequence[Entry]) -> tuple[dict[date, int], dict[date, int]]:
    """Return the days a stock and a dilution were mixed, each with the days it keeps.

    What the bottles are planned around (``mix_dates`` and ``dilution_dates`` of
    :func:`ldncalc.plan.supply.plan_batches`); a dilution keeps no longer than
    the liquid it was made from.
    """
    kept = active_entries(entries)
    mixed = {e.day: e.payload.keep_days for e in kept if isinstance(e.payload, Mixed)}
    diluted: dict[date, int] = {}
    if not any(isinstance(e.payload, Diluted) for e in kept):
        return mixed, diluted  # only a dilution holds a stage: none to walk the liquids for
    for h in held_liquids(entries):
        if h.stage:
            keep = (h.discard_date - h.made_on).days + 1
            diluted[h.made_on] = min(keep, diluted.get(h.made_on, keep))
    return mixed, diluted


def discard_date(entries: Sequence[Entry], entry_id: int) -> date:
    """Return the last day the liquid an entry records may be used.

    Its own keep period (the mixing day is day 1), and never past the liquid it
    was made from.

    Raises:
        InvalidInputError: no liquid recorded by that entry (or it was undone).
    """
    for liquid in held_liquids(entries):
        if liquid.entry_id == entry_id:
            return liquid.discard_date
    raise InvalidInputError(f"entry {entry_id} records no bottle or dilution", code="not-a-bottle")


def recipe_parts(
    preparation: Preparation | None,
    tablets: int | None,
    strength_mg: Amount | None,
    water_ml: Amount | None,
    concentration_mg_per_ml: Amount | None,
) -> dict[str, Any]:
    """Return the parts of a bottle's recipe given, by ``make_preparation``'s names.

    Raises:
        InvalidInputError: both a whole preparation and parts (``recipe-twice``),
            or both the water and the concentration (``water-and-concentration``).
    """
    given = {
        "tablets": tablets,
        "strength_mg": strength_mg,
        "water_ml": water_ml,
        "concentration_mg_per_ml": concentration_mg_per_ml,
    }
    parts = {name: value for name, value in given.items() if value is not None}
    if preparation is not None and parts:
        raise InvalidInputError(
            "give the bottle's preparation or the parts of its recipe that differ, not both",
            code="recipe-twice",
        )
    if water_ml is not None and concentration_mg_per_ml is not None:
        raise InvalidInputError(
            "give the water or the concentration, not both", code="water-and-concentration"
        )
    return parts


def bottle_mixed(
    plan: PlanStarted,
    preparation: Preparation | None,
    parts: dict[str, Any],
    keep_days: int | None,
) -> tuple[Mixed, list[DiaryWarning]]:
    """Return the bottle mixed: the plan's recipe, a whole ``preparation``, or the plan's
    with the ``parts`` given (a concentration replaces the water); and its warnings.

    Raises:
        InvalidInputError: a part is malformed or out of range.
    """
    from ldncalc.diary.cautions import water_moved
    from ldncalc.dose.preparation import make_preparation

    made, warnings = preparation, []
    if parts:
        recipe: dict[str, Any] = {"tablets": plan.tablets, "strength_mg": plan.strength_mg}
        if "concentration_mg_per_ml" not in parts:
            recipe["water_ml"] = plan.water_ml
        made = make_preparation(**{**recipe, **parts})
        warnings = water_moved(made)
    recipe_of = (
        (plan.tablets, plan.strength_mg, plan.water_ml)
        if made is None
        else (made.tablets, made.strength_mg, made.water_ml)
    )
    keep = plan.keep_days if keep_days is None else keep_days
    return Mixed(*recipe_of, keep_days=keep), warnings
