"""Machine-readable output: one JSON object per command, numbers written exactly.

Every object carries ``"schema"`` (a name and a version, such as
``"ldncalc.schedule/2"``) so that scripts can tell what they read, and the same
pieces are spelled the same way everywhere: a ``preparation`` object, the
measuring keys of a dose (shared by ``dose``, each ``schedule`` step and each
``mix`` candidate's doses), and warnings as objects (``code``, ``message`` and,
where it belongs to one, ``step``). The JSON Schema of each object ships in
``ldncalc/data/schemas``, generated from the types in
:mod:`ldncalc.render.shapes` that annotate the builders below (imported only
for the type checker: the daily commands never load them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.dose.accuracy import printed_bounds
from ldncalc.notation import decimal_places, json_number

if TYPE_CHECKING:
    from ldncalc.dose.accuracy import WaterMeasure
    from ldncalc.dose.dilution import DilutionStage
    from ldncalc.dose.preparation import Advisory, DosePlan, Preparation
    from ldncalc.dose.recommender import Recommendation
    from ldncalc.plan.supply import Liquid, SupplyPlan
    from ldncalc.plan.titration import Protocol, Schedule, Step
    from ldncalc.render.shapes import dose as shapes
    from ldncalc.render.shapes import plan as plan_shapes

__all__ = [
    "SCHEMA_VERSION",
    "SCHEMA_VERSIONS",
    "dose_object",
    "dose_table_object",
    "dumps",
    "liquid_fields",
    "mix_object",
    "protocols_object",
    "schedule_object",
]

SCHEMA_VERSION = 2
# Objects whose shape moved on since SCHEMA_VERSION, each on its own:
# - 'today' 3: the bottle's number and what is left in it, the bottles to mix
#   with their recipes, the stop and the hold, and every hint as the exact command;
# - 'dose', 'mix' and 'schedule' 3: the weighed water of --scale (water_g,
#   water_measure.scale_g and accuracy_g).
# - 'history' 3: its entries may be changes of the kit (kit-add, kit-remove,
#   kit-scale, kit-time), and 'today' 3 says the kit's hour (dose_time).
# - 'kit' 1: new in 0.6.0 ('ldncalc kit --json').
SCHEMA_VERSIONS = {"today": 4, "dose": 3, "mix": 3, "schedule": 3, "history": 3, "kit": 1}


def schema(name: str) -> str:
    """Return the schema tag of an object: 'ldncalc.NAME/VERSION'."""
    return f"ldncalc.{name}/{SCHEMA_VERSIONS.get(name, SCHEMA_VERSION)}"


def dumps(obj: Mapping[str, Any]) -> str:
    """Return ``obj`` as one line of compact JSON, ASCII-escaped so any encoding carries it.

    Compact, because only then does the json module write with its C encoder:
    indenting falls back to Python's, four times slower (77 ms against 19 ms
    for ten years of history). ``jq .`` or ``python -m json.tool`` indent it.
    """
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":"))


def warnings(advisories: Iterable[Advisory]) -> list[shapes.Warning]:
    """Return warnings as objects: code and message."""
    return [{"code": a.code, "message": a.message} for a in advisories]


def step_warnings(advisories: Iterable[Advisory], step: int) -> list[plan_shapes.StepWarning]:
    """Return warnings as objects: code, message, and the step they belong to."""
    return [{"code": a.code, "message": a.message, "step": step} for a in advisories]


def concentration_fields(mg_per_ml: Fraction) -> shapes.Concentration:
    """Return a concentration, and its exact fraction when its decimal never ends."""
    fields: shapes.Concentration = {"concentration_mg_per_ml": json_number(mg_per_ml)}
    if decimal_places(mg_per_ml) is None:
        fields["concentration_exact"] = f"{mg_per_ml.numerator}/{mg_per_ml.denominator}"
    return fields


def preparation_object(prep: Preparation, water: WaterMeasure | None = None) -> shapes.Preparation:
    """Return the preparation: tablets, strength, water (weighed: its grams) and concentration."""
    return {
        "tablets": prep.tablets,
        "strength_mg": json_number(prep.strength_mg),
        "water_ml": json_number(prep.water_ml),
        **water_g_fields(water, prep.water_ml),
        **concentration_fields(prep.concentration_mg_per_ml),
    }


def water_g_fields(measure: WaterMeasure | None, water_ml: Fraction) -> shapes.WaterGrams:
    """Return the grams to weigh the water to, when it is weighed (else nothing)."""
    grams = None if measure is None else measure.weigh_g(water_ml)
    return {} if grams is None else {"water_g": json_number(grams)}


def water_measure_object(measure: WaterMeasure) -> shapes.WaterMeasure:
    """Return how water is measured: the syringe (or none) and fills, or the scale."""
    syringe = measure.syringe
    found: shapes.WaterMeasure = {
        "syringe_ml": None if syringe is None else json_number(syringe.capacity_ml),
        "graduation_ml": None if syringe is None else json_number(syringe.graduation_ml),
        "fills": measure.fills,
    }
    if measure.scale is not None:
        found["scale_g"] = json_number(measure.scale.division_g)
        found["accuracy_g"] = json_number(measure.scale.accuracy)
    if measure.unweighed is not None:
        found["unweighed"] = measure.unweighed
    return found


def stage_object(stage: DilutionStage) -> shapes.DilutionStage:
    """Return one dilution stage."""
    made = concentration_fields(stage.concentration_mg_per_ml)
    return {
        "from_concentration_mg_per_ml": json_number(stage.from_concentration_mg_per_ml),
        "aliquot_ml": json_number(stage.aliquot_ml),
        "aliquot_syringe_ml": json_number(stage.aliquot_syringe.capacity_ml),
        "aliquot_graduation_ml": json_number(stage.aliquot_syringe.graduation_ml),
        "water_ml": json_number(stage.water_ml),
        **water_g_fields(stage.water_measure, stage.water_ml),
        "water_measure": water_measure_object(stage.water_measure),
        **made,
    }


def measuring_fields(plan: DosePlan) -> shapes.MeasuredDose:
    """Return the keys every measured dose has, wherever it appears."""
    m = plan.measurement
    r = plan.range
    low, high = printed_bounds(r)
    return {
        "dose_mg": json_number(plan.dose_mg),
        "volume_ml": json_number(plan.volume_ml),
        "syringe_ml": json_number(m.syringe.capacity_ml),
        "graduation_ml": json_number(m.syringe.graduation_ml),
        "measured_volume_ml": json_number(m.measured_ml),
        "fills": m.fills,
        "delivered_dose_mg": json_number(plan.delivered_mg),
        "error_percent": json_number(plan.error * 100),
        "range_mg": {"low": json_number(low), "high": json_number(high)},
        "range_percent": json_number(r.range_percent),
        "assay": {"low": json_number(r.assay.low), "high": json_number(r.assay.high)},
        "draw_error_ml": json_number(r.draw_error_ml),
        "water_error_ml": json_number(r.water_error_ml),
        "water_measure": water_measure_object(r.water_measure),
        "dilution": [stage_object(s) for s in plan.dilution],
    }


def liquid_fields(liquid: Liquid) -> shapes.LiquidFields:
    """Return the liquid a volume is drawn from: its name and concentration (mg/mL)."""
    return {"liquid": liquid.name, **concentration_fields(liquid.concentration_mg_per_ml)}


def dose_object(plan: DosePlan) -> shapes.DoseObject:
    """Return the JSON object for one dose plan."""
    from ldncalc.plan.supply import liquid_of

    return {
        "schema": schema("dose"),
        "preparation": preparation_object(plan.preparation, plan.range.water_measure),
        **measuring_fields(plan),
        **liquid_fields(liquid_of(plan)),
        "warnings": warnings(plan.advisories),
        "disclaimer": DISCLAIMER,
    }


def dose_table_object(prep: Preparation, plans: Sequence[DosePlan]) -> shapes.DoseTableObject:
    """Return the JSON object for the default table: one preparation, several doses."""
    return {
        "schema": schema("dose-table"),
        "preparation": preparation_object(prep),
        "doses": [measuring_fields(p) for p in plans],
        "warnings": [w for p in plans for w in warnings(p.advisories)],
        "disclaimer": DISCLAIMER,
    }


def mix_object(rec: Recommendation) -> shapes.MixObject:
    """Return the JSON object for the recommender's ranked candidates."""
    candidates: list[shapes.Candidate] = [
        {
            "preparation": preparation_object(c.preparation, c.plans[0].range.water_measure),
            "exact": c.exact,
            "worst_error_percent": json_number(c.worst_error * 100),
            "worst_range_percent": json_number(c.worst_range * 100),
            "worst_reading_error_percent": json_number(c.worst_reading_error * 100),
            "doses": [{**measuring_fields(p), "warnings": warnings(p.advisories)} for p in c.plans],
        }
        for c in rec.candidates
    ]
    return {
        "schema": schema("mix"),
        "searched": rec.searched,
        "candidates": candidates,
        "warnings": warnings(rec.advisories),
        "disclaimer": DISCLAIMER,
    }


def step_object(step: Step) -> plan_shapes.Step:
    """Return one step of a schedule, naming the liquid its volume is drawn from."""
    from ldncalc.plan.supply import liquid_of

    return {
        "step": step.number,
        "first_day": step.first_day,
        "last_day": step.last_day,
        "first_date": step.first_date.isoformat(),
        "last_date": step.last_date.isoformat(),
        **measuring_fields(step.plan),
        **liquid_fields(liquid_of(step.plan)),
        "at_target": step.at_target,
        **step_change(step.note),
    }


def step_change(note: str | None) -> plan_shapes.StepChange:
    """Return the change that made a step of a changed plan, when there is one."""
    return {} if note is None else {"change": note}


def schedule_object(schedule: Schedule, supply: SupplyPlan) -> plan_shapes.ScheduleObject:
    """Return the JSON object for a schedule and its batches."""
    protocol = schedule.protocol
    totals: plan_shapes.Totals = {
        "days": schedule.days,
        "tablets": supply.tablets,
        "water_ml": json_number(supply.water_ml),
    }
    if supply.cost is not None:
        totals["cost"] = json_number(Fraction(supply.cost))
        totals["cost_per_month"] = json_number(Fraction(supply.cost_per_month or 0))
    return {
        "schema": schema("schedule"),
        "protocol": {
            **protocol_fields(protocol),
            "hold_days": schedule.hold_days,
        },
        "preparation": preparation_object(
            schedule.preparation, schedule.steps[0].plan.range.water_measure
        ),
        "supply": {
            "keep_days": supply.keep_days,
            "reserve_ml": json_number(supply.reserve_ml),
        },
        "steps": [step_object(s) for s in schedule.steps],
        "batches": [
            {
                "batch": b.number,
                "liquid": b.liquid if b.liquid == "stock" else f"dilution {len(b.stages)}",
                "made_from": b.made_from,
                "mix_date": b.mix_date.isoformat(),
                "discard_date": b.discard_date.isoformat(),
                "last_use_date": b.last_use_date.isoformat(),
                "first_day": b.first_day,
                "last_day": b.last_day,
                "tablets": b.tablets,
                "water_ml": json_number(b.water_ml),
                "liquid_ml": json_number(b.liquid_ml),
                "reserve_ml": json_number(b.reserve_ml),
                "used_ml": json_number(b.used_ml),
                "wasted_ml": json_number(b.wasted_ml),
                "dilution": [stage_object(s) for s in b.stages],
            }
            for b in supply.batches
        ],
        "totals": totals,
        "warnings": [w for n, a in schedule.advisories for w in step_warnings((a,), n)],
        "disclaimer": DISCLAIMER,
    }


def protocol_fields(p: Protocol) -> plan_shapes.Protocol:
    """Return the keys that describe a protocol."""
    return {
        "id": p.id,
        "title": p.title,
        "description": p.description,
        "source": p.source,
        "climb": [{"dose_mg": json_number(d), "days": n} for d, n in p.climb],
        "target_mg": json_number(p.target_mg),
    }


def protocols_object(protocols: Sequence[Protocol]) -> plan_shapes.ProtocolsObject:
    """Return the JSON object listing protocols."""
    return {
        "schema": schema("protocols"),
        "protocols": [protocol_fields(p) for p in protocols],
        "warnings": [],
        "disclaimer": DISCLAIMER,
    }
