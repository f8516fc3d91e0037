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

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc.diary.entries import Diluted, Entry, Mixed, Took
from ldncalc.diary.replan import active_entries
from ldncalc.diary.started import syringe_of
from ldncalc.dose.preparation import Preparation, make_preparation, plan_dose
from ldncalc.errors import LdncalcError
from ldncalc.frozen import frozen
from ldncalc.plan.supply import default_reserve_ml, liquid_of

if TYPE_CHECKING:  # annotations only: today loads no dilution search
    from ldncalc.diary.segments import LivingPlan
    from ldncalc.dose.dilution import DilutionStage
    from ldncalc.dose.kit import Kit
    from ldncalc.dose.preparation import DosePlan
    from ldncalc.plan.supply import Batch, Liquid
    from ldncalc.plan.titration import Schedule, Step

_ONE = timedelta(days=1)

__all__ = [
    "Bottle",
    "bottle_from_stock",
    "capped_by_sources",
    "dilution_short_tomorrow",
    "held_dilution",
    "held_measure",
    "held_stock_plans",
    "is_liquid",
    "measured_from",
    "named",
    "new_stock",
    "plan_from_stock",
    "plan_needed",
    "planned_bottle",
    "planned_last",
    "ran_out",
    "recorded_bottles",
    "stage_held",
    "step_on",
]


@frozen
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
    opening_ml: Fraction | None = None  # what a recorded bottle held as the day began
    preparation: Preparation | None = None
    stages: tuple[DilutionStage, ...] = ()
    made_from: int | None = None
    source_ml: Fraction | None = None
    water_ml: Fraction | None = None
    liquid_number: int = 0  # a dilution's number in the schedule ('dilution N'); 0: its stage

    @property
    def liquid_name(self) -> str:
        """Return the liquid's name: 'the stock', or 'dilution N' as the schedule numbers it."""
        if self.is_stock:
            return "the stock"
        return f"dilution {self.liquid_number or self.stage}"

    @property
    def is_stock(self) -> bool:
        """Return whether the bottle holds the stock (tablets in water)."""
        return self.stage == 0

    @property
    def began_with_ml(self) -> Fraction:
        """Return what the bottle held as the day began (all of it when mixed that day)."""
        return self.volume_ml if self.opening_ml is None else self.opening_ml

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

    One walk through the days: on each, the bottles mixed that day come first
    (a dilution takes its aliquot from the liquid it is made from), then the
    doses recorded that day, each from the last bottle mixed by then of the
    liquid the day's dose is drawn from.

    Args:
        entries: every entry of the diary.
        day: the last day whose doses count (those recorded on it included);
            ``opening_ml`` is what each bottle held as that day began.
        stage_on: the liquid a day's dose is drawn from (0 the stock, n the nth
            dilution stage; None: no dose planned that day).
        planned_on: the dose planned on a day (what a ``took`` without a dose took).
    """
    kept = [e for e in active_entries(entries) if e.day <= day]
    made = sorted(
        (e for e in kept if isinstance(e.payload, Mixed | Diluted)),
        key=lambda e: (e.day, e.payload.stage if isinstance(e.payload, Diluted) else 0, e.id),
    )
    doses = sorted((e.day, e.id, e.payload.dose_mg) for e in kept if isinstance(e.payload, Took))
    bottles: list[Bottle] = []
    left: list[Fraction] = []
    drawn_on_day: list[Fraction] = []
    latest: dict[int, int] = {}  # stage: index of the last bottle of it mixed so far
    drawn: set[int] = set()  # the bottles a dose or an aliquot was drawn from
    next_dose = 0  # the first dose not drawn yet

    def draw(index: int, volume_ml: Fraction, on: date) -> None:
        left[index] = max(left[index] - volume_ml, Fraction(0))
        drawn.add(index)
        if on == day:
            drawn_on_day[index] += volume_ml

    def take_doses(before: date | None) -> None:
        nonlocal next_dose
        while next_dose < len(doses) and (before is None or doses[next_dose][0] < before):
            on, _, given = doses[next_dose]
            next_dose += 1
            dose = given if given is not None else planned_on(on)
            stage = stage_on(on)
            index = None if stage is None else latest.get(stage)
            if index is not None and dose is not None:
                draw(index, dose / bottles[index].concentration_mg_per_ml, on)

    # A diary mixes one recipe or two: each prepared (and its reserve found) once.
    recipes: dict[tuple[int, Fraction, Fraction], tuple[Preparation, Fraction]] = {}
    for number, e in enumerate(made, start=1):
        take_doses(e.day)
        p = e.payload
        if isinstance(p, Mixed):
            recipe = (p.tablets, p.strength_mg, p.water_ml)
            known = recipes.get(recipe)
            if known is None:
                reserve = default_reserve_ml(p.water_ml)
                known = recipes[recipe] = (make_preparation(*recipe), reserve)
            prep, reserve = known
            bottle = Bottle(
                number,
                0,
                e.day,
                _discard(e.day, p.keep_days),
                prep.concentration_mg_per_ml,
                p.water_ml,
                reserve,
                recorded=True,
                left_ml=p.water_ml,  # until a dose is drawn from it
                opening_ml=p.water_ml,
                preparation=prep,
                water_ml=p.water_ml,
            )
        else:
            assert isinstance(p, Diluted)
            volume = p.source_ml + p.water_ml
            source = latest.get(p.stage - 1)
            discard = _discard(e.day, p.keep_days)
            if source is not None:
                discard = min(discard, bottles[source].discard_date)
                draw(source, p.source_ml, e.day)
            bottle = Bottle(
                number,
                p.stage,
                e.day,
                discard,
                p.concentration_mg_per_ml,
                volume,
                default_reserve_ml(volume),
                recorded=True,
                left_ml=volume,
                opening_ml=volume,
                made_from=None if source is None else bottles[source].number,
                source_ml=p.source_ml,
                water_ml=p.water_ml,
            )
        latest[bottle.stage] = len(bottles)
        bottles.append(bottle)
        left.append(bottle.volume_ml)
        drawn_on_day.append(Fraction(0))
    take_doses(None)
    for index in drawn:
        rest = left[index]
        bottles[index] = _drawn(bottles[index], rest, rest + drawn_on_day[index])
    return tuple(bottles)


def _drawn(b: Bottle, left_ml: Fraction, opening_ml: Fraction) -> Bottle:
    """Return ``b`` with what is left in it (dataclasses.replace, without its field walk)."""
    return Bottle(
        b.number,
        b.stage,
        b.mix_date,
        b.discard_date,
        b.concentration_mg_per_ml,
        b.volume_ml,
        b.reserve_ml,
        b.recorded,
        left_ml,
        opening_ml,
        b.preparation,
        b.stages,
        b.made_from,
        b.source_ml,
        b.water_ml,
        b.liquid_number,
    )


def is_liquid(bottle: Bottle, liquid: Liquid) -> bool:
    """Return whether a bottle holds ``liquid`` (its stage, at its concentration)."""
    return (
        bottle.stage == liquid.stage
        and bottle.concentration_mg_per_ml == liquid.concentration_mg_per_ml
    )


def _dilution_reserve(bottle: Bottle, need_ml: Fraction) -> Fraction:
    """Return what a dilution keeps back: its reserve, less when a dose needs more (as planned)."""
    return min(bottle.reserve_ml, max(bottle.volume_ml - need_ml, Fraction(0)))


def held_dilution(
    now: Sequence[Bottle],
    liquid: Liquid,
    day: date,
    plan: DosePlan,
    taken: bool,
) -> tuple[Bottle, Fraction] | None:
    """Return the recorded dilution the day's volume is drawn from, and what it keeps
    above its reserve after the dose; None when none recorded serves the day."""
    recorded = next((r for r in reversed(now) if is_liquid(r, liquid)), None)
    if recorded is None or recorded.discard_date < day or recorded.mix_date > day:
        return None
    need = plan.measurement.measured_ml
    reserve = _dilution_reserve(recorded, need)
    usable = recorded.began_with_ml - reserve
    if taken:
        return recorded, (recorded.left_ml or Fraction(0)) - reserve
    return (recorded, usable - need) if usable >= need else None


def ran_out(now: Sequence[Bottle], liquid: Liquid, day: date) -> bool:
    """Return whether the last dilution recorded of the day's liquid is in date (so it ran dry)."""
    recorded = next((r for r in reversed(now) if is_liquid(r, liquid)), None)
    return recorded is not None and recorded.discard_date >= day


def stage_held(now: Sequence[Bottle], plan: DosePlan, n: int, day: date) -> bool:
    """Return whether a recorded stage ``n`` (before the last) can give the next stage's aliquot."""
    if n >= len(plan.dilution):
        return False
    stage = plan.dilution[n - 1]
    aliquot = plan.dilution[n].aliquot_ml
    held = [
        r
        for r in now
        if r.stage == n
        and r.concentration_mg_per_ml == stage.concentration_mg_per_ml
        and r.discard_date >= day
    ]
    return bool(held) and held[-1].began_with_ml - held[-1].reserve_ml >= aliquot


def step_on(schedule: Schedule | None, day: date) -> Step | None:
    """Return the step of ``schedule`` that holds ``day``, or None."""
    if schedule is None:
        return None
    steps = schedule.steps
    index = bisect_right([s.first_date for s in steps], day) - 1
    if index >= 0 and day <= steps[index].last_date:
        return steps[index]
    return None


def plan_needed(stock: Bottle | None, stage: int) -> bool:
    """Return whether a day's status needs the plan's bottles up to it.

    It does while the diary records no bottle of stock (``stock`` None: the
    plan's bottle is presented), and on a day drawn from a dilution (stage 1 or
    more: the plan's says when the next is mixed); otherwise the bottles
    recorded decide, and ten years of plan need not be walked.
    """
    return stock is None or stage != 0


def planned_bottle(b: Batch, number: int, made_from: int | None, prep: Preparation) -> Bottle:
    """Return a bottle the plan makes (not recorded), numbered as the diary counts."""
    stock = b.liquid == "stock"
    return Bottle(
        number,
        0 if stock else len(b.stages),
        b.mix_date,
        b.discard_date,
        prep.concentration_mg_per_ml if stock else b.stages[-1].concentration_mg_per_ml,
        b.liquid_ml,
        b.reserve_ml,
        preparation=prep if stock else None,
        stages=b.stages,
        made_from=made_from,
        water_ml=b.water_ml,
    )


def planned_last(b: Batch, schedule: Schedule, living: LivingPlan, day: date) -> bool:
    """Return whether a planned bottle gives its last dose on ``day`` (the plan's own rule)."""
    tomorrow = day + _ONE
    step = step_on(schedule, tomorrow)
    if living.dose_on(tomorrow) is None or step is None:
        return False
    if (b.liquid == "stock") != (not step.plan.dilution) or b.stages != step.plan.dilution:
        return b.last_use_date == day
    need = step.plan.measurement.measured_ml
    return b.discard_date < tomorrow or b.used_ml + need > b.liquid_ml - b.reserve_ml


def dilution_short_tomorrow(
    living: LivingPlan, schedule: Schedule, day: date, liquid: Liquid, after_ml: Fraction
) -> bool:
    """Return whether tomorrow's dose, drawn from the same liquid, no longer fits."""
    tomorrow = day + _ONE
    step = step_on(schedule, tomorrow)
    if living.dose_on(tomorrow) is None or step is None:
        return False
    lq = liquid_of(step.plan)
    if (lq.stage, lq.concentration_mg_per_ml) != (liquid.stage, liquid.concentration_mg_per_ml):
        return False
    return after_ml < step.plan.measurement.measured_ml


def named(bottle: Bottle, numbers: dict[Fraction, int]) -> Bottle:
    """Return a dilution's bottle with its number in the schedule (by concentration)."""
    number = 0 if bottle.is_stock else numbers.get(bottle.concentration_mg_per_ml, 0)
    return replace(bottle, liquid_number=number) if number else bottle


def new_stock(number: int, day: date, keep_days: int, prep: Preparation) -> Bottle:
    """Return a bottle of the plan's stock to mix on ``day`` (not recorded yet)."""
    return Bottle(
        number,
        0,
        day,
        _discard(day, keep_days),
        prep.concentration_mg_per_ml,
        prep.water_ml,
        default_reserve_ml(prep.water_ml),
        preparation=prep,
        water_ml=prep.water_ml,
    )


def measured_from(living: LivingPlan, dose_mg: Fraction, prep: Preparation) -> DosePlan:
    """Return the dose measured from ``prep`` (a bottle held), as the plan measures its own."""
    return plan_dose(dose_mg, prep, syringe_of(living.plan), kit=living.measured_with)


def held_measure(
    living: LivingPlan, plan: DosePlan, held: Preparation, planned: Preparation
) -> DosePlan | None:
    """Return the day's dose measured from a bottle of stock mixed otherwise, or None.

    None while the bottle is the plan's recipe, or the plan's dilution can be
    made from it (its first stage with another aliquot, on a good mark:
    :func:`plan_from_stock`). Otherwise the bottle measures the dose itself:
    drawn from it, or from a dilution of it (a stock too strong to draw the
    dose from, or too weak to make the plan's dilution).

    Raises:
        RefusedError: a dose the bottle cannot measure (``today`` gives no instruction).
    """
    if held == planned:
        return None
    kit = living.measured_with
    if plan.dilution and _stage_from_stock(plan.dilution[0], held, kit) is not None:
        return None
    return measured_from(living, plan.dose_mg, held)


def held_stock_plans(
    entries: Sequence[Entry], day: date, living: LivingPlan, planned: Preparation
) -> Callable[[date, DosePlan], DosePlan | None]:
    """Return how a day's dose is measured from the stock she holds then (:func:`held_measure`).

    The bottle of stock in use on a day is the last recorded as mixed by then
    (up to ``day``), in date on that day; None while none is, or it is the
    plan's recipe, or it makes the plan's dilution, or it measures no dose
    (``today`` then asks for the plan's stock).
    """
    mixes: list[tuple[date, int, Mixed]] = sorted(
        (e.day, e.id, e.payload)
        for e in active_entries(entries)
        if isinstance(e.payload, Mixed) and e.day <= day
    )
    days = [on for on, _, _ in mixes]
    recipes: dict[int, Preparation | None] = {}  # None: the plan's own recipe
    # By the plan's identity: a step's days share one plan, and a ten-year diary
    # asks this for every dose it records (no plan is hashed field by field).
    found: dict[tuple[int, int], DosePlan | None] = {}

    def measured(when: date, plan: DosePlan) -> DosePlan | None:
        index = bisect_right(days, when) - 1
        if index < 0:
            return None
        on, _, p = mixes[index]
        if _discard(on, p.keep_days) < when:
            return None
        if index not in recipes:
            made = make_preparation(p.tablets, p.strength_mg, p.water_ml)
            recipes[index] = None if made == planned else made
        prep = recipes[index]
        if prep is None:
            return None
        key = (index, id(plan))
        if key not in found:
            try:
                found[key] = held_measure(living, plan, prep, planned)
            except LdncalcError:
                found[key] = None
        return found[key]

    return measured


def _stage_from_stock(
    first: DilutionStage, held: Preparation, kit: Kit | None
) -> DilutionStage | None:
    """Return a first stage made from a stock of another strength, or None (it cannot be).

    The plan's concentration in the plan's volume, with another aliquot (0.5 mL
    of 2 mg/mL + 9.5 mL of water where the plan takes 1 mL of 1 mg/mL + 9 mL),
    as ``mixed --dilution`` records it, measured on the syringes at hand; None
    when the stock is the stage's own, no stronger than the stage, or the
    aliquot falls on no good mark (the bottle then measures the dose itself).
    """
    from ldncalc.dose.accuracy import measure_water
    from ldncalc.dose.syringes import CATALOGUE, choose_syringe, is_measurable

    held_mg_per_ml = held.concentration_mg_per_ml
    if held_mg_per_ml == first.from_concentration_mg_per_ml or (
        held_mg_per_ml <= first.concentration_mg_per_ml
    ):
        return None
    syringes = CATALOGUE if kit is None else kit.choices
    taken = first.concentration_mg_per_ml * first.total_ml / held_mg_per_ml
    syringe = choose_syringe(taken, syringes)
    if not is_measurable(taken, syringe):
        return None
    water = first.total_ml - taken
    return replace(
        first,
        from_concentration_mg_per_ml=held_mg_per_ml,
        aliquot_ml=taken,
        aliquot_syringe=syringe,
        water_ml=water,
        water_measure=measure_water(water, syringes, None, None if kit is None else kit.scale),
    )


def bottle_from_stock(bottle: Bottle, held: Preparation, kit: Kit | None) -> Bottle:
    """Return a dilution to mix with its first stage made from the stock she holds."""
    if bottle.is_stock or not bottle.stages:
        return bottle
    made = _stage_from_stock(bottle.stages[0], held, kit)
    return bottle if made is None else replace(bottle, stages=(made, *bottle.stages[1:]))


def plan_from_stock(plan: DosePlan, held: Preparation, kit: Kit | None) -> DosePlan:
    """Return a diluted dose whose first stage is made from the stock she holds.

    One recipe for the day: the dilution the day's lines give is the one to mix
    from the bottle in use, and its range is that of this recipe (the held
    stock's water, the stage's own aliquot), not the plan's.
    """
    from ldncalc.dose.accuracy import dose_range, measure_water
    from ldncalc.dose.syringes import CATALOGUE

    made = _stage_from_stock(plan.dilution[0], held, kit) if plan.dilution else None
    if made is None:
        return plan
    stages = (made, *plan.dilution[1:])
    m = plan.measurement
    water = measure_water(
        held.water_ml,
        CATALOGUE if kit is None else kit.choices,
        None,
        None if kit is None else kit.scale,
    )
    drawn = dose_range(
        held.tablets,
        held.strength_mg,
        water,
        held.water_ml,
        m.measured_ml,
        m.syringe.graduation_ml,
        plan.range.assay,
        [s.factor for s in stages],
        draw_fills=m.fills,
    )
    return replace(plan, preparation=held, dilution=stages, range=drawn)


def capped_by_sources(
    bottle: Bottle, now: Sequence[Bottle], stock: Bottle | None, day: date
) -> Bottle:
    """Return a dilution to mix kept no longer than the liquids it is made from.

    Its stock (``stock``, the bottle in use) and each earlier stage she holds
    in date on ``day`` at the concentration the dilution's stages make: the same
    date its label will print once it is recorded.
    """
    if bottle.is_stock:
        return bottle
    last = bottle.discard_date
    if stock is not None:
        last = min(last, stock.discard_date)
    for n, stage in enumerate(bottle.stages[:-1], start=1):
        held = [
            r
            for r in now
            if r.stage == n
            and r.concentration_mg_per_ml == stage.concentration_mg_per_ml
            and r.mix_date <= day <= r.discard_date
        ]
        if held:
            last = min(last, held[-1].discard_date)
    return bottle if last == bottle.discard_date else replace(bottle, discard_date=last)
