"""Serial dilution: very low doses drawn as volumes a syringe measures well.

At 1 mg/mL, 0.1 mg is 0.1 mL and 1 mcg is 0.001 mL: no oral syringe measures
those (DOMAIN.md). The drug dissolves; a shaken aliquot of the liquid carries
it at the liquid's concentration, so each stage of "take A mL of the shaken
liquid, add B mL of water, shake" divides the concentration by exactly
(A + B) / A. After one or two stages, the dose is drawn as v mL of the last
liquid.

The plan is found by an exact, bounded search (:func:`plan_dilution`):

- every measured volume is good (:func:`ldncalc.dose.accuracy.is_measurable`): on a
  mark, above 0.1 mL, at 20% or more of its syringe, one fill. The aliquot A and
  the dose v are marks of the syringes given (the catalogue by default), each
  on the syringe with the finest marks that measures it well; the water B is a
  whole number of mL from 1 to 100, measured as
  :func:`ldncalc.dose.accuracy.water_on_marks` does, in at most 10 fills, every fill
  good;
- the dose at the final mark is the dose asked, exactly;
- what is drawn from a liquid (the next aliquot, or the dose: ``doses`` of them
  when the liquid is to serve several days) leaves at least a tenth of it and
  at least 1 mL (or the ``reserve_ml`` asked): no liquid is planned to its last drop;
- first, every chain of one or two stages whose concentrations are all finite
  decimals (0.05 mg/mL, never 1/126 mg/mL): few, and checkable on paper. Else
  every single stage of any factor; else a refusal naming a rounder dose;
- among those, the plan with the smallest worst-case range wins, then the one
  with fewer stages, then the one that wastes least (diluted liquid made but
  not used for these doses), then one whose final concentration is a finite
  decimal, then the smaller volumes. The range ranked is the measuring's alone
  (the assay multiplies every plan alike), compared exactly, in integers.

A dose takes a few ms to about 30 ms; the tables of a set of syringes are built
once, and hold only the stage factors: the stages giving a factor are found when
a match needs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from itertools import product
from math import ceil, floor, gcd, isqrt, lcm

from ldncalc.dose.accuracy import (
    DEFAULT_ASSAY,
    Assay,
    WaterMeasure,
    measure_water,
    percent_up_text,
    water_on_marks,
    weigh_or_measure,
)
from ldncalc.dose.kit import Scale
from ldncalc.dose.liquid import GOAL_RANGE_PERCENT
from ldncalc.dose.stages import DilutionPlan, DilutionStage
from ldncalc.dose.stock import Stock as _Stock
from ldncalc.dose.syringes import (
    CATALOGUE,
    SMALL_FILL_SHARE,
    SMALL_VOLUME_ML,
    Syringe,
    draw_directly,
    needs_dilution,
)
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.notation import format_dose_mg, format_volume_ml, round_significant

__all__ = [
    "LEFT_MIN_ML",
    "LEFT_SHARE",
    "MAX_STAGES",
    "MAX_STAGE_WATER_ML",
    "MAX_WATER_FILLS",
    "MIN_DOSE_MG",
    "DilutionPlan",
    "DilutionStage",
    "needs_dilution",
    "plan_dilution",
]

MIN_DOSE_MG = Fraction(1, 1000)
"""1 mcg: the lowest very-low dose (Toljan & Vrooman 2018); below it is ultra-low."""
MAX_STAGES = 2
# A dilution is ldncalc's own procedure: its measuring alone may not move the
# dose more than the tablet's own tolerance (USP: 90% to 110%).
MAX_MEASURING_PERCENT = 10
MAX_STAGE_WATER_ML = 100
"""The water of a stage is a whole number of mL, from 1 to this..."""
MAX_WATER_FILLS = 10
"""...measured in at most this many fills."""
LEFT_SHARE = Fraction(1, 10)
LEFT_MIN_ML = Fraction(1)
"""What a draw leaves in a liquid: at least this share of it, and at least this volume."""

# Aliquots are taken at "round" marks only when a syringe has very many:
# at most this many per syringe (every mark of every catalogue syringe).
_MAX_ALIQUOT_MARKS = 100


def _left(total_ml: Fraction) -> Fraction:
    """Return what may be drawn from ``total_ml`` of liquid, leaving the reserve."""
    return total_ml - max(total_ml * LEFT_SHARE, LEFT_MIN_ML)


# --- the search ------------------------------------------------------------
#
# Inside the search every volume is a whole number of units of 1/unit mL (unit:
# the least common multiple of the graduations' denominators, 100 for the
# catalogue), and every ratio a pair of integers, so that thousands of
# candidates are compared exactly without building a Fraction for each.

_Pair = tuple[int, int]
"""A stage: (aliquot in units, water in whole mL)."""
_Key = tuple[int, int]
"""A stage factor A / (A + B) in lowest terms: (numerator, denominator)."""
_Ratio = tuple[int, int]
"""A positive rational as (numerator, denominator), not necessarily reduced."""


def _core(n: int) -> int:
    """Return ``n`` without its factors 2 and 5: 1 exactly when 1/n is a finite decimal."""
    for p in (2, 5):
        while n % p == 0:
            n //= p
    return n


@dataclass(frozen=True, slots=True, eq=False)
class _Tables:
    """What the search needs for one set of syringes (cached)."""

    unit: int
    marks: dict[int, Syringe]
    """Every good volume (one fill, on a mark) -> the syringe with the finest marks for it."""
    aliquots: tuple[int, ...]
    """The marks an aliquot may be (all of them, unless a syringe has very many), in order."""
    aliquot_set: frozenset[int]
    """The same marks, to look one up."""
    waters: dict[int, WaterMeasure]
    """Whole mL of water that every fill measures well -> how it is measured."""
    by_core: dict[int, tuple[_Key, ...]]
    """Every stage factor, grouped by the core (:func:`_core`) of its denominator."""
    factors: dict[_Key, tuple[_Pair, ...]] = field(default_factory=dict)
    """Cache: a factor -> the stages that give it (:func:`_pairs`)."""
    ratios: dict[_Pair, tuple[_Ratio, _Ratio]] = field(default_factory=dict)
    """Cache: a stage -> its low and its high factor, each over its nominal factor."""
    bounds: dict[_Key, tuple[_Ratio, _Ratio]] = field(default_factory=dict)
    """Cache: a factor -> the best low and the best high of the stages giving it."""


def _step_marks(syringe: Syringe, unit: int, min_volume_ml: Fraction) -> range:
    """Return the good marks of ``syringe``, in units."""
    step = (syringe.graduation_ml * unit).numerator
    lowest = max(
        floor(min_volume_ml * unit) + 1, ceil(SMALL_FILL_SHARE * syringe.capacity_ml * unit)
    )
    return range(-(-lowest // step) * step, int(syringe.capacity_ml * unit) + 1, step)


def _round_steps(step: int) -> Iterator[int]:
    """Yield ``step``, then its round multiples: 2, 5, 10, 20, 50, 100... times it."""
    yield step
    scale = 1
    while True:
        for times in (2, 5, 10):
            yield step * scale * times
        scale *= 10


@lru_cache(maxsize=8)
def _tables(
    syringes: tuple[Syringe, ...], min_volume_ml: Fraction, scale: Scale | None = None
) -> _Tables:
    unit = lcm(1, *(s.graduation_ml.denominator for s in syringes))
    marks: dict[int, Syringe] = {}
    aliquots: set[int] = set()
    # Coarse marks first, so that the finest syringe for a volume is the one kept.
    for syringe in sorted(syringes, key=lambda s: (s.graduation_ml, s.capacity_ml), reverse=True):
        good = _step_marks(syringe, unit, min_volume_ml)
        marks.update(dict.fromkeys(good, syringe))
        for thin in _round_steps(good.step):
            round_marks = [v for v in good if v % thin == 0]
            if len(round_marks) <= _MAX_ALIQUOT_MARKS:
                break
        aliquots.update(round_marks)
    waters: dict[int, WaterMeasure] = {}
    for b in range(1, MAX_STAGE_WATER_ML + 1):
        how = water_on_marks(
            Fraction(b), syringes, each_fill_measurable=True, min_volume_ml=min_volume_ml
        )
        if how is not None and how.fills > MAX_WATER_FILLS:
            how = None
        if scale is not None and how is not None:
            how = weigh_or_measure(Fraction(b), scale, how)
        elif scale is not None and scale.weighs(Fraction(b)):
            how = WaterMeasure(None, 0, scale.water_error_ml(Fraction(b)), scale)
        if how is not None:
            waters[b] = how
    # Only the factors themselves here: the stages that give one are found when
    # a match needs them (:func:`_pairs`), a few hundred factors of thousands.
    factors: dict[_Key, None] = {}
    steps = [b * unit for b in waters]
    ordered = tuple(sorted(aliquots))
    for a in ordered:
        for step in steps:
            total = a + step
            d = gcd(a, total)
            factors[a // d, total // d] = None
    by_core: dict[int, list[_Key]] = {}
    for key in factors:
        by_core.setdefault(_core(key[1]), []).append(key)
    return _Tables(
        unit,
        marks,
        ordered,
        frozenset(aliquots),
        waters,
        {k: tuple(v) for k, v in by_core.items()},
    )


def _pairs(tables: _Tables, key: _Key) -> tuple[_Pair, ...]:
    """Return the stages (aliquot, water) that give the factor ``key``, by aliquot.

    With ``key`` = n/d in lowest terms, a stage A / (A + B) gives it exactly when
    A = n k and A + B = d k for a whole k: B = (d - n) k, whole mL (``unit``
    units each) from 1 to the most a stage takes.
    """
    pairs = tables.factors.get(key)
    if pairs is None:
        n, d = key
        unit = tables.unit
        step = unit // gcd(unit, d - n)  # the k that make (d - n) k whole mL
        most = min(tables.aliquots[-1] // n, MAX_STAGE_WATER_ML * unit // (d - n))
        found = []
        for k in range(step, most + 1, step):
            b = (d - n) * k // unit
            if n * k in tables.aliquot_set and b in tables.waters:
                found.append((n * k, b))
        pairs = tables.factors[key] = tuple(found)
    return pairs


def _stage_ratios(tables: _Tables, pair: _Pair) -> tuple[_Ratio, _Ratio]:
    """Return a stage's low and high factor over its nominal factor, as integer ratios.

    In half units (so that half a mark is whole): with A the aliquot, r its
    reading error, B the water and e its error, low / nominal is
    (A - r)(A + B) / (A (A - r + B + e)) and high / nominal the same with r and e
    turned round (see :class:`ldncalc.dose.accuracy.DilutionFactor`).
    """
    cached = tables.ratios.get(pair)
    if cached is None:
        a, b = pair
        half = 2 * tables.unit
        aliquot, water = 2 * a, b * half
        mark = tables.marks[a].graduation_ml
        reading = mark.numerator * tables.unit // mark.denominator  # whole: unit is their lcm
        # e, the water's error in half units, is whole on marks; a weighing's is
        # any fraction: everything is scaled by its denominator to stay in integers.
        error = tables.waters[b].error_ml
        en, ed = error.numerator * half, error.denominator
        total = aliquot + water
        cached = (
            ((aliquot - reading) * total * ed, aliquot * ((aliquot - reading + water) * ed + en)),
            ((aliquot + reading) * total * ed, aliquot * ((aliquot + reading + water) * ed - en)),
        )
        tables.ratios[pair] = cached
    return cached


@lru_cache(maxsize=256)
def _divisors(n: int) -> tuple[int, ...]:
    """Return the divisors of ``n`` (n >= 1)."""
    small = [d for d in range(1, isqrt(n) + 1) if n % d == 0]
    return tuple(sorted(set(small + [n // d for d in small])))


def _decimal_factors(tables: _Tables, concentration: Fraction) -> list[_Key]:
    """Return the factors that make ``concentration`` times them a finite decimal.

    With ``concentration`` = P/Q and a factor n/d, both in lowest terms, the
    product is a finite decimal exactly when the core of d divides P and the
    core of Q divides n.
    """
    q_core = _core(concentration.denominator)
    keys: list[_Key] = []
    for core in _divisors(_core(concentration.numerator)):
        keys.extend(k for k in tables.by_core.get(core, ()) if k[0] % q_core == 0)
    return keys


_Match = tuple[tuple[_Key, ...], int]
"""Stage factors in order, and the mark v (units) that then holds the dose."""


def _decimal_matches(tables: _Tables, target: Fraction, stock: Fraction) -> Iterator[_Match]:
    """Yield the chains of one or two stages, every concentration a finite decimal.

    ``target`` is the volume of stock that holds the dose; a chain matches when
    target / (product of its factors) is a good mark.
    """
    unit, marks = tables.unit, tables.marks
    p, q = target.numerator, target.denominator
    firsts = _decimal_factors(tables, stock)
    for n1, d1 in firsts:
        num, den = unit * p * d1, q * n1
        if num % den == 0 and num // den in marks:
            yield ((n1, d1),), num // den
    for n1, d1 in firsts:
        for n2, d2 in _decimal_factors(tables, stock * n1 / d1):
            num, den = unit * p * d1 * d2, q * n1 * n2
            if num % den == 0 and num // den in marks:
                yield ((n1, d1), (n2, d2)), num // den


def _any_one_stage(tables: _Tables, target: Fraction) -> Iterator[_Match]:
    """Yield every single stage, of any factor, whose draw is a good mark."""
    unit, marks = tables.unit, tables.marks
    p, q = target.numerator, target.denominator
    v_min, v_max = min(marks), max(marks)
    seen: set[_Key] = set()
    for a in tables.aliquots:
        # v = unit * p * t / (q * a) with t = a + b * unit, in units, within the marks.
        t_lo = -(-v_min * q * a // (unit * p))
        t_hi = v_max * q * a // (unit * p)
        den = q * a
        for b in range(
            max(1, -(-(t_lo - a) // unit)), min(MAX_STAGE_WATER_ML, (t_hi - a) // unit) + 1
        ):
            total = a + b * unit
            num = unit * p * total
            if b in tables.waters and num % den == 0 and num // den in marks:
                d = gcd(a, total)
                key = (a // d, total // d)
                if key not in seen:
                    seen.add(key)
                    yield (key,), num // den


_Need = tuple[int, int]
"""The draws the last liquid must give, and the least it then keeps back (units)."""


def _fits(
    pairs: tuple[_Pair, ...], v: int, stock_left: int, unit: int, min_left: int, need: _Need
) -> bool:
    """Return whether every draw leaves the reserve in the liquid it is drawn from.

    ``min_left`` is :data:`LEFT_MIN_ML` in units; what may be drawn from a
    liquid is its total less the larger of that and a tenth (:data:`LEFT_SHARE`).
    """
    left = total = stock_left
    for a, b in pairs:
        if a > left:
            return False
        total = a + b * unit
        left = min(total - min_left, total - total // _LEFT_DIVISOR - (total % _LEFT_DIVISOR > 0))
    return v * need[0] <= min(left, total - need[1])


_LEFT_DIVISOR = LEFT_SHARE.denominator
assert LEFT_SHARE.numerator == 1, "the reserve is a whole fraction of the liquid"


def _worst(ln: int, ld: int, hn: int, hd: int) -> _Ratio:
    """Return max(1 - ln/ld, hn/hd - 1), the worst-case deviation, as an integer ratio."""
    if (ld - ln) * hd >= (hn - hd) * ld:
        return ld - ln, ld
    return hn - hd, hd


def _key_bounds(tables: _Tables, key: _Key) -> tuple[_Ratio, _Ratio]:
    """Return the highest low and the lowest high of any stage giving ``key``."""
    cached = tables.bounds.get(key)
    if cached is None:
        pairs = iter(_pairs(tables, key))
        low, high = _stage_ratios(tables, next(pairs))
        for pair in pairs:
            (ln, ld), (hn, hd) = ratios = _stage_ratios(tables, pair)
            if ln * low[1] > low[0] * ld:  # denominators are positive
                low = ratios[0]
            if hn * high[1] < high[0] * hd:
                high = ratios[1]
        cached = tables.bounds[key] = (low, high)
    return cached


def _best(
    tables: _Tables,
    matches: Iterator[_Match],
    dose_mg: Fraction,
    stock_left: int,
    stock_low: _Ratio,
    stock_high: _Ratio,
    need: _Need = (1, 0),
) -> tuple[tuple[_Pair, ...], int] | None:
    """Return the best fitting stages and draw among ``matches``, or None.

    Best: the smallest worst-case deviation, then fewer stages, then less
    waste, then a finite-decimal final concentration, then the smaller volumes.
    Compared exactly, as integer cross-products. Each match is first given a
    lower bound (its factors' best stages, even if no one stage is best both
    ways); matches are tried from the lowest bound up, and the search stops
    where the bound exceeds the best found.
    """
    unit = tables.unit
    ranked: list[tuple[Fraction, tuple[_Key, ...], int, tuple[int, int, int, int]]] = []
    for keys, v in matches:
        mark = tables.marks[v].graduation_ml
        reading = mark.numerator * unit // mark.denominator
        base = (
            stock_low[0] * (2 * v - reading),
            stock_low[1] * 2 * v,
            stock_high[0] * (2 * v + reading),
            stock_high[1] * 2 * v,
        )
        ln, ld, hn, hd = base
        for key in keys:
            (kln, kld), (khn, khd) = _key_bounds(tables, key)
            ln, ld, hn, hd = ln * kln, ld * kld, hn * khn, hd * khd
        ranked.append((Fraction(*_worst(ln, ld, hn, hd)), keys, v, base))
    ranked.sort(key=lambda r: (float(r[0]), r[0]))  # exact: rounding is monotonic
    best: tuple[tuple[_Pair, ...], int] | None = None
    best_worst: _Ratio = (0, 1)
    best_rest: tuple[int, int, bool, tuple[_Pair, ...], int] = (0, 0, False, (), 0)
    dose_num, dose_den = dose_mg.numerator * unit, dose_mg.denominator
    min_left = ceil(LEFT_MIN_ML * unit)
    for bound, keys, v, base in ranked:
        if best is not None and bound * best_worst[1] > best_worst[0]:
            break
        final_den = dose_den * v // gcd(dose_num, dose_den * v)
        for pairs in product(*(_pairs(tables, k) for k in keys)):
            ln, ld, hn, hd = base
            for pair in pairs:
                (pln, pld), (phn, phd) = _stage_ratios(tables, pair)
                ln, ld, hn, hd = ln * pln, ld * pld, hn * phn, hd * phd
            wn, wd = _worst(ln, ld, hn, hd)
            compared = -1 if best is None else wn * best_worst[1] - best_worst[0] * wd
            if compared > 0 or not _fits(pairs, v, stock_left, unit, min_left, need):
                continue
            waste = sum(a + b * unit for a, b in pairs) - sum(a for a, _ in pairs[1:]) - v * need[0]
            rest = (len(pairs), waste, _core(final_den) != 1, pairs, v)
            if compared < 0 or rest < best_rest:
                best, best_worst, best_rest = (pairs, v), (wn, wd), rest
    return best


def _build(
    tables: _Tables,
    pairs: tuple[_Pair, ...],
    v: int,
    dose_mg: Fraction,
    stock: _Stock,
) -> DilutionPlan:
    """Turn the search's winner into a plan, its range computed afresh by the accuracy module."""
    assert len(pairs) <= MAX_STAGES
    unit = tables.unit
    stages: list[DilutionStage] = []
    concentration = stock.concentration_mg_per_ml
    for a, b in pairs:
        aliquot = Fraction(a, unit)
        after = concentration * aliquot / (aliquot + b)
        stages.append(
            DilutionStage(
                concentration, aliquot, tables.marks[a], Fraction(b), tables.waters[b], after
            )
        )
        concentration = after
    volume = Fraction(v, unit)
    syringe = tables.marks[v]
    r = stock.range(volume, syringe.graduation_ml, [s.factor for s in stages])
    made = sum((s.total_ml for s in stages), Fraction(0))
    used = sum((s.aliquot_ml for s in stages[1:]), Fraction(0))
    plan = DilutionPlan(
        tuple(stages),
        concentration,
        volume,
        syringe,
        r,
        made - used - volume,
        dose_mg,
        stock.concentration_mg_per_ml,
    )
    assert plan.delivered_mg == dose_mg, "a dilution's mark holds the dose exactly"
    return plan


def plan_dilution(
    dose_mg: Fraction,
    tablets: int,
    strength_mg: Fraction,
    water_ml: Fraction,
    *,
    syringes: tuple[Syringe, ...] = CATALOGUE,
    assay: Assay = DEFAULT_ASSAY,
    water_error_ml: Fraction | None = None,
    stock_water: WaterMeasure | None = None,
    min_volume_ml: Fraction = SMALL_VOLUME_ML,
    always: bool = False,
    doses: int = 1,
    reserve_ml: Fraction = Fraction(0),
    scale: Scale | None = None,
    closest: bool = False,
) -> DilutionPlan:
    """Plan how to draw ``dose_mg`` from a stock, diluting it when it must be.

    Args:
        dose_mg: the dose, 1 mcg or more.
        tablets: tablets in the stock.
        strength_mg: the label strength of one tablet.
        water_ml: the stock's water.
        syringes: what every volume of the dilution and the dose is measured with
            (default the catalogue).
        assay: the tablet's content as fractions of its label.
        water_error_ml: the most the stock's water may be off, instead of its
            measure on the catalogue syringe that needs the fewest fills. A
            stage's water is always measured on the syringes, with its own error.
        stock_water: how the stock's water was measured, when the caller knows
            (overrides ``water_error_ml``).
        min_volume_ml: a good volume is above this (0.1 mL).
        always: plan a dilution even when the stock could be drawn well.
        doses: the draws a dilution's last liquid must give (the days it serves).
        reserve_ml: what that liquid keeps back at least, beyond the rule above.
        scale: weigh the stock's and each stage's water on it, where it measures better.
        closest: draw with the syringe that measures the dose closest (not the fewest fills).

    Returns:
        With no stages, when neither the volume of stock that holds the dose nor
        its nearest mark (``measure``) is too small (:func:`needs_dilution`) and
        ``always`` is false: the dose drawn from the stock at that mark, which
        may change the dose; the caller judges the mark. Otherwise the best dilution of one or
        two stages (see the module), whose mark holds the dose exactly.

    Raises:
        InvalidInputError: a dose, stock or volume at or below zero.
        RefusedError: below 1 mcg; more than the stock holds; a water error at or
            above the water; no dilution of one or two stages measures it.
    """
    if dose_mg <= 0:
        raise InvalidInputError(
            f"a dose must be more than 0 mg, not {format_dose_mg(dose_mg)}",
            code="dose-not-positive",
        )
    if dose_mg < MIN_DOSE_MG:
        raise RefusedError(
            f"{format_dose_mg(dose_mg)} is an ultra-low dose (below 1 mcg); "
            "a compounding pharmacy makes those",
            code="ultra-low-dose",
        )
    if tablets < 1 or strength_mg <= 0:
        raise InvalidInputError(
            "a stock needs one tablet or more, of a strength above 0 mg", code="stock-empty"
        )
    if not syringes:
        raise InvalidInputError("a dilution needs a syringe to measure with", code="no-syringe")
    if dose_mg > tablets * strength_mg:
        raise RefusedError(
            f"{format_dose_mg(dose_mg)} is more than the whole stock holds "
            f"({format_dose_mg(tablets * strength_mg)})",
            code="more-than-bottle",
        )
    water = (
        stock_water
        if stock_water is not None
        else measure_water(water_ml, CATALOGUE, water_error_ml, scale)
    )
    stock = _Stock(tablets, strength_mg, water_ml, water, assay)
    target = dose_mg / stock.concentration_mg_per_ml
    m = draw_directly(target, syringes, min_volume_ml, closest=closest)
    if m is not None and not always:
        if m.measured_ml > water_ml:
            raise RefusedError(
                f"the nearest mark ({format_volume_ml(m.measured_ml)}) is more than the stock "
                f"holds ({format_volume_ml(water_ml)})",
                code="more-than-bottle",
            )
        r = stock.range(m.measured_ml, m.syringe.graduation_ml, fills=m.fills)
        return DilutionPlan(
            (),
            stock.concentration_mg_per_ml,
            m.measured_ml,
            m.syringe,
            r,
            Fraction(0),
            dose_mg,
            stock.concentration_mg_per_ml,
            m.fills,
        )
    if _left(water_ml) <= min_volume_ml:  # nothing to take for a dilution
        raise RefusedError(
            f"no dilution of one or two stages puts {format_dose_mg(dose_mg)} on a good mark: "
            f"{format_volume_ml(water_ml)} of stock is too little to take one from (a syringe "
            f"cannot draw a bottle's last {format_volume_ml(LEFT_MIN_ML)}); make the stock "
            "with more water, e.g. 50 mL",
            code="no-dilution",
        )
    tables = _tables(tuple(syringes), min_volume_ml, scale)
    if not tables.marks or not tables.waters:  # e.g. a 0.1 mL syringe: no mark above 0.1 mL
        lack = "water to measure in a few good fills" if tables.marks else "mark above 0.1 mL"
        raise RefusedError(
            f"{format_dose_mg(dose_mg)} cannot be diluted with the syringes given (no {lack}); "
            "use a larger syringe, such as 1 mL with 0.01 mL marks, or ask a pharmacy",
            code="no-dilution",
        )
    stock_left = floor(_left(water_ml) * tables.unit)
    low, high = stock.ratios()
    need = (doses, ceil(reserve_ml * tables.unit))
    found = _best(
        tables,
        _decimal_matches(tables, target, stock.concentration_mg_per_ml),
        dose_mg,
        stock_left,
        low,
        high,
        need,
    )
    if found is None or closest:  # closest: a decimal chain only if it measures as well
        other = _best(tables, _any_one_stage(tables, target), dose_mg, stock_left, low, high, need)
        if other is not None and found is not None:
            decimal = _build(tables, *found, dose_mg, stock).range.measuring_percent
            # A finite-decimal concentration is the better label: it is kept while it
            # meets the goal (issue 26: a measuring range of 2.5% at most).
            if decimal > GOAL_RANGE_PERCENT and (
                _build(tables, *other, dose_mg, stock).range.measuring_percent < decimal
            ):
                found = other
        elif found is None:
            found = other
    if found is None:
        raise RefusedError(
            f"no dilution of one or two stages puts {format_dose_mg(dose_mg)} on a good mark "
            f"of {_whose(syringes)}; {_nearby(dose_mg, tables, target, stock)}",
            code="no-dilution",
        )
    built = _build(tables, *found, dose_mg, stock)
    if built.range.measuring_percent > MAX_MEASURING_PERCENT:
        # The best dilution there is: still read too coarsely to be an instruction.
        raise RefusedError(
            f"no dilution of one or two stages puts {format_dose_mg(dose_mg)} on a good mark "
            f"of {_whose(syringes)}: with them the measuring alone could put it up to "
            f"{percent_up_text(built.range.measuring_percent)} off, more than "
            f"{MAX_MEASURING_PERCENT}%; use syringes with finer marks",
            code="no-dilution",
        )
    return built


def _whose(syringes: Sequence[Syringe]) -> str:
    """Name what was measured with: the person's syringes, or ldncalc's (none was given)."""
    from ldncalc.dose.syringes import KNOWN_SYRINGES

    ours = tuple(syringes) in (CATALOGUE, CATALOGUE + KNOWN_SYRINGES)
    return "any usual oral syringe" if ours else "the syringes given"


def _nearby(dose_mg: Fraction, tables: _Tables, target: Fraction, stock: _Stock) -> str:
    """Name a rounder dose near ``dose_mg`` that a dilution measures, if there is one."""
    low, high = stock.ratios()
    stock_left = floor(_left(stock.water_ml) * tables.unit)
    for digits in (2, 1):
        near = round_significant(dose_mg, digits)
        if near == dose_mg or near < MIN_DOSE_MG:
            continue
        near_target = target * near / dose_mg
        matches = _decimal_matches(tables, near_target, stock.concentration_mg_per_ml)
        if _best(tables, matches, near, stock_left, low, high) is not None:
            return f"{format_dose_mg(near)} can be; or ask a compounding pharmacy"
    return "try other syringes, or ask a compounding pharmacy"
