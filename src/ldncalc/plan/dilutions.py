"""One dilution for many doses: the diluted liquids of a schedule, chosen across its steps.

Planned one dose at a time, each very low dose gets the dilution best for that
single draw: 2 mcg as 0.5 mL of a 2 mL liquid, which a bottle's reserve leaves
good for one day, so both stages would be mixed again every day. A schedule's
doses are planned together instead (:func:`plan_doses`): a dilution is chosen
to serve every dose of its days (up to a keep period of them, above the
bottle's reserve), and a dose that a dilution already chosen measures well is
drawn from it (1, 2 and 3 mcg are 1, 2 and 3 mL of 0.001 mg/mL). A step then
mixes at most one new dilution, unless the keep period ends within it.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc.errors import RefusedError
from ldncalc.plan.keeping import DEFAULT_KEEP_DAYS, MIN_RESERVE_ML, default_reserve_ml

if TYPE_CHECKING:
    from ldncalc.dose.accuracy import Assay
    from ldncalc.dose.kit import Kit, Scale
    from ldncalc.dose.preparation import DosePlan, Preparation
    from ldncalc.dose.stages import DilutionStage
    from ldncalc.dose.syringes import Syringe
    from ldncalc.inputs import Amount

__all__ = ["liquid_numbers", "plan_doses"]


def plan_doses(
    runs: Sequence[tuple[Fraction, int]],
    preparation: Preparation,
    syringe: Syringe | None = None,
    *,
    assay: Assay,
    water_error_ml: Amount | None = None,
    keep_days: int = DEFAULT_KEEP_DAYS,
    kit: Kit | None = None,
) -> dict[Fraction, DosePlan]:
    """Plan every dose of a schedule, its diluted doses sharing liquids where they can.

    Args:
        runs: each run of days at one dose, in the schedule's order: (dose, days).
        preparation: the stock.
        syringe: measure everything with this syringe (default: the catalogue).
        assay: the tablet's content, for the ranges.
        water_error_ml: the most the stock's water may be off.
        keep_days: how many days a bottle serves at most (its keep period).
        kit: the syringes she owns and her scale (see ``plan_dose``); a shared
            dilution is measured with her syringes and its water weighed alike.

    Returns:
        Each dose's plan. A dose drawn from the stock is planned as
        :func:`~ldncalc.dose.preparation.plan_dose` plans it. A diluted dose is
        drawn from the first dilution already chosen that measures it well and
        holds its days' doses; else from its own dilution, chosen to hold them;
        else (no such dilution) as planned alone.

    Raises:
        RefusedError: a dose the preparation cannot deliver or measure.
    """
    from ldncalc import inputs
    from ldncalc.dose.preparation import plan_dose

    error = None if water_error_ml is None else inputs.volume_ml(water_error_ml, "water_error_ml")
    days: dict[Fraction, int] = {}
    for dose, n in runs:
        days[dose] = max(days.get(dose, 0), min(n, keep_days))
    plans = {
        d: plan_dose(d, preparation, syringe, assay=assay, water_error_ml=error, kit=kit)
        for d in days
    }
    tools = _syringes(syringe, kit)
    scale = None if kit is None else kit.scale
    chosen: list[tuple[DilutionStage, ...]] = []
    for dose, n in days.items():
        alone = plans[dose]
        if not alone.dilution:
            continue
        shared = next(
            (
                p
                for chain in chosen
                if (p := _through(chain, alone, tools, n, assay, error, scale)) is not None
            ),
            None,
        )
        if shared is None and _holds(alone.dilution, alone.volume_ml, n):
            shared = alone
        if shared is None:
            shared = _own(alone, tools, n, assay, error, scale) or alone
        if shared.dilution not in chosen:
            chosen.append(shared.dilution)
        plans[dose] = shared
    return _numbered(plans)


def _numbered(plans: dict[Fraction, DosePlan]) -> dict[Fraction, DosePlan]:
    """Number the diluted liquids in the order they are first used, one number a concentration.

    Two liquids of a schedule then never share a name; with one dilution the
    numbers are the stages' places (1, 2), which the stages need not carry.
    """
    from dataclasses import replace

    numbers: dict[Fraction, int] = {}
    for plan in plans.values():
        for stage in plan.dilution:
            numbers.setdefault(stage.concentration_mg_per_ml, len(numbers) + 1)
    named = {}
    for dose, plan in plans.items():
        places = range(1, len(plan.dilution) + 1)
        chain = plan.dilution
        if any(numbers[s.concentration_mg_per_ml] != n for s, n in zip(chain, places, strict=True)):
            chain = tuple(replace(s, number=numbers[s.concentration_mg_per_ml]) for s in chain)
        named[dose] = replace(plan, dilution=chain)
    return named


def liquid_numbers(plans: Sequence[DosePlan]) -> dict[Fraction, int]:
    """Return each diluted liquid's number (its name, 'dilution N') by its concentration.

    The number the schedule gives it (:func:`plan_doses`), else its place in its
    chain: the one name of a liquid wherever it is printed (the schedule, today,
    the label).
    """
    numbers: dict[Fraction, int] = {}
    for plan in plans:
        for n, stage in enumerate(plan.dilution, start=1):
            numbers.setdefault(stage.concentration_mg_per_ml, stage.number or n)
    return numbers


def _syringes(syringe: Syringe | None, kit: Kit | None) -> tuple[Syringe, ...]:
    """Return what a shared dilution is measured with: the syringe given, her kit's, else all."""
    from ldncalc.dose.syringes import CATALOGUE

    if syringe is not None:
        return (syringe,)
    return kit.choices if kit is not None else CATALOGUE


def _holds(chain: Sequence[DilutionStage], volume_ml: Fraction, doses: int) -> bool:
    """Return whether the last liquid of ``chain`` gives ``doses`` draws above its reserve."""
    made = chain[-1].total_ml
    return volume_ml * doses <= made - default_reserve_ml(made)


def _through(
    chain: tuple[DilutionStage, ...],
    alone: DosePlan,
    syringes: tuple[Syringe, ...],
    doses: int,
    assay: Assay,
    error: Fraction | None,
    scale: Scale | None,
) -> DosePlan | None:
    """Return the dose drawn from ``chain``'s last liquid, if one fill measures it well."""
    from ldncalc.dose.accuracy import measure_water
    from ldncalc.dose.dilution import MAX_MEASURING_PERCENT
    from ldncalc.dose.preparation import DosePlan
    from ldncalc.dose.stock import Stock
    from ldncalc.dose.syringes import CATALOGUE, Measurement, is_measurable

    prep = alone.preparation
    if chain[0].from_concentration_mg_per_ml != prep.concentration_mg_per_ml:
        return None
    volume = alone.dose_mg / chain[-1].concentration_mg_per_ml
    good = [s for s in syringes if is_measurable(volume, s)]
    if not good or not _holds(chain, volume, doses):
        return None
    used = min(good, key=lambda s: (s.graduation_ml, s.capacity_ml))
    water = measure_water(prep.water_ml, CATALOGUE, error, scale)
    stock = Stock(prep.tablets, prep.strength_mg, prep.water_ml, water, assay)
    span = stock.range(volume, used.graduation_ml, [s.factor for s in chain])
    if span.measuring_percent > MAX_MEASURING_PERCENT:
        return None
    return DosePlan(
        alone.dose_mg,
        prep,
        volume,
        Measurement(used, volume, volume, 1),
        volume * chain[-1].concentration_mg_per_ml,
        alone.advisories,
        span,
        chain,
    )


def _own(
    alone: DosePlan,
    syringes: tuple[Syringe, ...],
    doses: int,
    assay: Assay,
    error: Fraction | None,
    scale: Scale | None,
) -> DosePlan | None:
    """Return the dose drawn from a dilution of its own that holds ``doses`` draws, or None."""
    from ldncalc.dose.dilution import plan_dilution

    prep = alone.preparation
    try:
        way = plan_dilution(
            alone.dose_mg,
            prep.tablets,
            prep.strength_mg,
            prep.water_ml,
            syringes=syringes,
            assay=assay,
            water_error_ml=error,
            always=True,
            doses=doses,
            reserve_ml=MIN_RESERVE_ML,
            scale=scale,
        )
    except RefusedError:
        return None
    return _through(way.stages, alone, syringes, doses, assay, error, scale)
