"""The recipes searched for a preparation, and how well one measures a set of doses.

A recipe is 1 to 3 tablets in a whole number of mL of water from 5 to 250,
no stronger than naltrexone dissolves. Each dose is measured by
:func:`ldncalc.dose.syringes.measure`, and a dose drawn from the stock is
ranked in closed form (:func:`ldncalc.dose.accuracy.measuring_share`), with no
dose planned: what :func:`ldncalc.dose.recommender.recommend` ranks, and what
finds the recipe that puts one dose on a mark
(:func:`ldncalc.dose.preparation.alternatives`).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from ldncalc.dose.accuracy import measure_water, measuring_share
from ldncalc.dose.stock import SOLUBILITY_MG_PER_ML
from ldncalc.dose.syringes import Syringe, draw_directly, measure
from ldncalc.errors import RefusedError
from ldncalc.frozen import frozen
from ldncalc.notation import decimal_places

if TYPE_CHECKING:
    from ldncalc.dose.kit import Kit

__all__ = [
    "NEVER_ENDS",
    "TABLETS_SEARCHED",
    "UNMEASURABLE",
    "WATER_SEARCHED_ML",
    "RankKey",
    "Screened",
    "recipes",
    "screen",
]

TABLETS_SEARCHED = (1, 2, 3)
WATER_SEARCHED_ML = (5, 250)
NEVER_ENDS = 99  # "decimal places" of a concentration that never ends
UNMEASURABLE = Fraction(10**9)  # the error of a dose no mark can measure


def recipes(
    strength_mg: Fraction, largest_mg: Fraction, tablets: int | None = None
) -> Iterator[tuple[int, Fraction]]:
    """Yield each recipe searched (tablets, water in mL) that holds ``largest_mg`` and dissolves.

    ``tablets`` searches only that many tablets (default: 1, 2 and 3).
    """
    first, last = WATER_SEARCHED_ML
    for count in (tablets,) if tablets is not None else TABLETS_SEARCHED:
        for water in range(first, last + 1):
            water_ml = Fraction(water)
            if count * strength_mg / water_ml > SOLUBILITY_MG_PER_ML:
                continue
            if largest_mg > count * strength_mg:
                continue
            yield count, water_ml


class RankKey(NamedTuple):
    """How one preparation ranks; it sorts as a tuple, smaller is better."""

    not_exact: int
    off_mark: int  # doses that are not a good measurement
    worst_error: Fraction
    worst_reading_error: Fraction
    places: int  # the concentration's decimal places (99 if it never ends)
    tablets: int
    water_ml: Fraction


@frozen
class Screened:
    """A recipe as the closed form sees it.

    ``key`` is its rank when no dose is diluted, else a lower bound of it (a
    diluted dose counted as no error); ``diluted`` counts the diluted doses and
    ``drawn`` ranks them as if drawn from the stock (what picks the recipes
    whose dilutions are planned).
    """

    key: RankKey
    diluted: int
    drawn: RankKey


def screen(
    tablets: int,
    strength_mg: Fraction,
    water_ml: Fraction,
    doses_mg: tuple[Fraction, ...],
    syringes: tuple[Syringe, ...],
    kit: Kit | None = None,
) -> Screened:
    concentration = tablets * strength_mg / water_ml
    scale = None if kit is None else kit.scale
    water_error = measure_water(water_ml, scale=scale).error_ml
    owned = kit is not None and kit.owned
    closest = scale is not None and not owned
    places = decimal_places(concentration)
    rest = (NEVER_ENDS if places is None else places, tablets, water_ml)
    bad = diluted = 0
    worst = worst_reading = Fraction(0)
    drawn = drawn_reading = Fraction(0)
    for dose_mg in doses_mg:
        volume = dose_mg / concentration
        m = draw_directly(volume, syringes, closest=closest, on_mark_first=owned)
        if m is None:
            diluted += 1
            bad += 1
            try:
                m = measure(volume, syringes)
            except RefusedError:  # below half the finest mark
                drawn = drawn_reading = UNMEASURABLE
                continue
            draw_error = m.fills * m.syringe.graduation_ml / 2
            share = measuring_share(water_ml, water_error, m.measured_ml, draw_error)
            drawn = max(drawn, abs(m.change) + share)
            drawn_reading = max(drawn_reading, m.reading_uncertainty)
            continue
        draw_error = m.fills * m.syringe.graduation_ml / 2
        share = measuring_share(water_ml, water_error, m.measured_ml, draw_error)
        bad += not m.good
        worst = max(worst, abs(m.change) + share)
        worst_reading = max(worst_reading, m.reading_uncertainty)
    key = RankKey(int(bad > 0), bad, worst, worst_reading, *rest)
    drawn_key = RankKey(
        key.not_exact, bad, max(worst, drawn), max(worst_reading, drawn_reading), *rest
    )
    return Screened(key, diluted, drawn_key)
