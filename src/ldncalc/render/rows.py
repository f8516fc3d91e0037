"""The rows every renderer lays out: typed records, built once, in safe notation.

The terminal, Markdown, CSV, iCalendar and the handout all read these; none of
them formats a dose or words a batch event on its own. No rich here, so the
file exports need not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ldncalc.notation import (
    format_concentration_mg_per_ml,
    format_dose_mg,
    format_percent,
    format_volume_ml,
)

if TYPE_CHECKING:  # annotations only: dose must not import the protocols' module
    from collections.abc import Sequence
    from datetime import date
    from fractions import Fraction

    from ldncalc.dose.accuracy import WaterMeasure
    from ldncalc.dose.dilution import DilutionStage
    from ldncalc.dose.preparation import DosePlan
    from ldncalc.plan.supply import Batch, Liquid, SupplyPlan
    from ldncalc.plan.titration import Schedule, Step

__all__ = [
    "BatchRow",
    "DoseRow",
    "StepRow",
    "batch_cells",
    "batch_events",
    "batch_rows",
    "delivered_text",
    "dilution_lines",
    "dose_row",
    "draw_text",
    "draw_to_text",
    "last_dose_event",
    "liquid_name_text",
    "liquid_text",
    "mix_event",
    "stage_lines",
    "stage_text",
    "step_row",
    "step_rows",
    "stock_weigh_text",
    "totals_lines",
]


def delivered_text(plan: DosePlan) -> str:
    """Return the dose a mark delivers, with the change the mark makes if any."""
    change = plan.error
    text = format_dose_mg(plan.delivered_mg)
    return text if change == 0 else f"{text} ({format_percent(change)})"


def draw_to_text(plan: DosePlan) -> str:
    """Return the mark to draw to, or the fills when one syringe cannot hold it."""
    m = plan.measurement
    if m.fills == 1:
        return format_volume_ml(m.measured_ml)
    return fills_text(m.fill_volumes_ml)


def fills_text(fills: tuple[Fraction, ...]) -> str:
    """Write fills so that they add up: '2 x 0.55 mL', '9 x 10 mL + 9 mL'."""
    groups = [(volume, fills.count(volume)) for volume in dict.fromkeys(fills)]
    return " + ".join(
        f"{count} x {format_volume_ml(volume)}"
        if count > 1 or i < len(groups) - 1
        else format_volume_ml(volume)
        for i, (volume, count) in enumerate(groups)
    )


class DoseRow(NamedTuple):
    """One dose measured from a preparation (or from its dilution)."""

    dose: str
    volume: str
    syringe: str
    draw_to: str
    delivers: str
    range: str  # what the dose may really be: "4 to 5.3 mg"
    liquid: str  # what it is drawn from: the stock, or the dilution's last liquid


DOSE_HEADERS = ("Dose", "Volume", "Syringe", "Draw to", "Delivers", "Could be")


def dose_row(plan: DosePlan) -> DoseRow:
    """Return the row of one dose."""
    from ldncalc.dose.accuracy import bounds_text

    return DoseRow(
        format_dose_mg(plan.dose_mg),
        format_volume_ml(plan.volume_ml),
        plan.measurement.syringe.label,
        draw_to_text(plan),
        delivered_text(plan),
        bounds_text(plan.range),
        liquid_text(plan),
    )


def liquid_name_text(liquid: Liquid) -> str:
    """Name a liquid with its concentration: 'the stock (1 mg/mL)', 'the dilution (0.1 mg/mL)'.

    The dose is drawn from the last stage of a dilution; its concentration tells
    it from the stage before (the stage lines give each stage's).
    """
    concentration = format_concentration_mg_per_ml(liquid.concentration_mg_per_ml)
    if liquid.is_stock:
        return f"the stock ({concentration})"
    return f"the dilution ({concentration})"


def liquid_text(plan: DosePlan) -> str:
    """Name the liquid a dose is drawn from, with its concentration."""
    from ldncalc.plan.supply import liquid_of

    return liquid_name_text(liquid_of(plan))


def draw_text(plan: DosePlan, liquid: Liquid | None = None) -> str:
    """Return what to draw, naming its liquid: '1 mL of the dilution (0.1 mg/mL)'.

    ``liquid`` is the one the library decided (``liquid_of(plan)`` by default).
    """
    named = liquid_text(plan) if liquid is None else liquid_name_text(liquid)
    return f"{draw_to_text(plan)} of {named}"


_UNWEIGHED = {
    "under-ten-divisions": "under ten divisions of the scale: a syringe measures it better",
    "syringe-closer": "a syringe measures it closer than the scale",
}


def weigh_text(measure: WaterMeasure, water_ml: Fraction) -> str | None:
    """Say how to weigh the water ('weigh it: 49.9 g on the scale'), or None."""
    grams = measure.weigh_g(water_ml)
    if grams is None or measure.scale is None:
        return None
    return f"weigh it: {measure.scale.reading_text(grams)} on the scale"


def stock_weigh_text(schedule: Schedule) -> str | None:
    """Say how to weigh the schedule's stock water on the scale it was planned with, or None."""
    if not schedule.steps:
        return None
    return weigh_text(schedule.steps[0].plan.range.water_measure, schedule.preparation.water_ml)


def unweighed_text(measure: WaterMeasure) -> str | None:
    """Say why a scale at hand does not weigh this water, or None."""
    return None if measure.unweighed is None else _UNWEIGHED[measure.unweighed]


def stage_text(number: int, stage: DilutionStage, source_number: int | None = None) -> str:
    """Word one dilution stage as an instruction.

    ``source_number`` names the dilution it is made from (0: the stock; None:
    the stage before, by number).
    """
    made_from = number - 1 if source_number is None else source_number
    source = "stock" if made_from == 0 else f"dilution {made_from}"
    measure = stage.water_measure
    water = f"{format_volume_ml(stage.water_ml)} of water"
    weighed = weigh_text(measure, stage.water_ml)
    if weighed is not None:
        water += f" ({weighed})"
    elif measure.syringe is not None:
        fills = (
            "1 fill of"
            if measure.fills == 1
            else fills_text(measure.fill_volumes_ml(stage.water_ml)) + ", with"
        )
        why = unweighed_text(measure)
        water += f" ({fills} the {measure.syringe.label} syringe{'; ' + why if why else ''})"
    return (
        f"Dilution {number}: take {format_volume_ml(stage.aliquot_ml)} of the shaken "
        f"{source} ({format_concentration_mg_per_ml(stage.from_concentration_mg_per_ml)}) "
        f"with the {stage.aliquot_syringe.label} syringe, add {water}, shake: "
        f"{format_volume_ml(stage.total_ml)} at "
        f"{format_concentration_mg_per_ml(stage.concentration_mg_per_ml)}"
    )


def dilution_lines(plan: DosePlan) -> list[str]:
    """Return the dilution of a dose as instructions, one stage a line (none if not diluted)."""
    return stage_lines(plan.dilution)


def stage_lines(stages: Sequence[DilutionStage]) -> list[str]:
    """Return dilution stages as instructions, each named by its number in the schedule."""
    numbers = [stage.number or n for n, stage in enumerate(stages, start=1)]
    return [
        stage_text(numbers[i], stage, numbers[i - 1] if i else 0) for i, stage in enumerate(stages)
    ]


class StepRow(NamedTuple):
    """One step of a schedule."""

    number: int
    at_target: bool
    days: str
    first_date: str
    last_date: str
    dose: DoseRow
    note: str | None


def step_row(step: Step) -> StepRow:
    """Return the row of one step."""
    return StepRow(
        step.number,
        step.at_target,
        f"{step.first_day}-{step.last_day}",
        step.first_date.isoformat(),
        step.last_date.isoformat(),
        dose_row(step.plan),
        step.note,
    )


def step_rows(schedule: Schedule) -> list[StepRow]:
    """Return the step rows of a schedule."""
    return [step_row(s) for s in schedule.steps]


class BatchRow(NamedTuple):
    """One bottle: what it is, when to mix it, the days it serves, what it holds."""

    number: int
    liquid: str  # "stock", or "dilution of batch N"
    mix_on: str
    first_use: str
    last_use: str
    discard_after: str
    tablets: str
    liquid_ml: str
    used: str
    reserve: str
    left_over: str


BATCH_HEADERS = (
    "Batch",
    "Liquid",
    "Mix on",
    "Use on",
    "Discard after",
    "Tablets",
    "Used",
    "Kept back",
    "Left over",
)


def batch_rows(supply: SupplyPlan) -> list[BatchRow]:
    """Return the batch rows."""
    return [
        BatchRow(
            b.number,
            "stock" if b.liquid == "stock" else f"dilution of batch {b.made_from}",
            b.mix_date.isoformat(),
            b.mix_date.isoformat(),
            b.last_use_date.isoformat(),
            b.discard_date.isoformat(),
            str(b.tablets),
            format_volume_ml(b.liquid_ml),
            format_volume_ml(b.used_ml),
            format_volume_ml(b.reserve_ml),
            # Beyond the kept back: used, kept back and left over make the bottle.
            format_volume_ml(b.wasted_ml - b.reserve_ml),
        )
        for b in supply.batches
    ]


def batch_cells(row: BatchRow) -> list[str]:
    """Return a batch row as table cells (the days of use on two lines)."""
    return [
        str(row.number),
        row.liquid.replace(" of ", "\nof ", 1),
        row.mix_on,
        f"{row.first_use}\nto {row.last_use}",
        row.discard_after,
        row.tablets,
        row.used,
        row.reserve,
        row.left_over,
    ]


def mix_event(batch: Batch) -> str:
    """Word the day a batch is mixed."""
    if batch.liquid == "stock":
        return f"Mix batch {batch.number}"
    return f"Mix batch {batch.number} (dilution of batch {batch.made_from})"


def last_dose_event(batch: Batch) -> str:
    """Word the last day a batch is used."""
    return f"Last dose from batch {batch.number}"


def batch_events(supply: SupplyPlan) -> dict[date, list[str]]:
    """Return, for each date with one, what happens to the batches that day."""
    events: dict[date, list[str]] = {}
    for b in supply.batches:
        events.setdefault(b.mix_date, []).append(mix_event(b))
        events.setdefault(b.last_use_date, []).append(last_dose_event(b))
    return events


def totals_lines(schedule: Schedule, supply: SupplyPlan) -> list[str]:
    """Return the totals, one phrase each."""
    stock = sum(1 for b in supply.batches if b.liquid == "stock")
    diluted = len(supply.batches) - stock
    batches = f"{stock} batches of stock" + (f" and {diluted} of dilution" if diluted else "")
    lines = [
        f"{schedule.days} days ({schedule.start_date.isoformat()} to "
        f"{schedule.end_date.isoformat()})",
        f"{supply.tablets} tablets and {format_volume_ml(supply.water_ml)} of water in "
        f"{batches}, each kept {supply.keep_days} days",
    ]
    if supply.cost is not None:
        lines.append(f"cost {supply.cost} (about {supply.cost_per_month} a month)")
    return lines
