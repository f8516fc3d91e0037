"""ldncalc: exact, units-aware preparation and dosing of liquid low-dose naltrexone.

Informational only: ldncalc does the arithmetic; a prescriber decides the dose.

The public API is listed in ``__all__``. Names are imported on first use, so
``import ldncalc`` stays cheap (pint is loaded only when a quantity is needed).

>>> from ldncalc import make_preparation, plan_dose
>>> plan = plan_dose("4.5 mg", make_preparation(water_ml="100 mL"))
>>> plan.measurement.measured_ml
Fraction(9, 1)
"""

from __future__ import annotations

from ldncalc._version import __version__
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.errors import (
    ArgumentTypeError,
    DimensionError,
    InvalidInputError,
    LdncalcError,
    OutputFileError,
    RefusedError,
    StoreError,
)

# Not typing.TYPE_CHECKING: importing typing costs more than the rest of
# this module, and `ldncalc --version` loads it. Type checkers treat any
# name TYPE_CHECKING as true.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from ldncalc.diary.entries import Entry
    from ldncalc.diary.living import build_report, today_status
    from ldncalc.diary.replan import LivingPlan, replan
    from ldncalc.diary.store import Store
    from ldncalc.dose.accuracy import Assay, DoseRange, parse_assay
    from ldncalc.dose.dilution import DilutionStage
    from ldncalc.dose.preparation import (
        Advisory,
        DosePlan,
        Preparation,
        dose_for_volume,
        make_preparation,
        plan_dose,
        volume_for_dose,
    )
    from ldncalc.dose.recommender import Candidate, Recommendation, dose_steps, recommend
    from ldncalc.dose.syringes import CATALOGUE, Measurement, Syringe, measure, parse_syringe
    from ldncalc.notation import format_concentration, format_dose, format_volume
    from ldncalc.plan.supply import Batch, SupplyPlan, plan_batches
    from ldncalc.plan.titration import (
        Protocol,
        Schedule,
        Segment,
        Step,
        build_schedule,
        custom_protocol,
        get_protocol,
        protocols,
        resolve_protocol,
        schedule_from_segments,
    )
    from ldncalc.units import parse_dose, parse_duration_days, parse_volume

__all__ = [
    "CATALOGUE",
    "DISCLAIMER",
    "Advisory",
    "ArgumentTypeError",
    "Assay",
    "Batch",
    "Candidate",
    "DilutionStage",
    "DimensionError",
    "DosePlan",
    "DoseRange",
    "Entry",
    "InvalidInputError",
    "LdncalcError",
    "LivingPlan",
    "Measurement",
    "OutputFileError",
    "Preparation",
    "Protocol",
    "Recommendation",
    "RefusedError",
    "Schedule",
    "Segment",
    "Step",
    "Store",
    "StoreError",
    "SupplyPlan",
    "Syringe",
    "__version__",
    "build_report",
    "build_schedule",
    "custom_protocol",
    "dose_for_volume",
    "dose_steps",
    "format_concentration",
    "format_dose",
    "format_volume",
    "get_protocol",
    "make_preparation",
    "measure",
    "parse_assay",
    "parse_dose",
    "parse_duration_days",
    "parse_syringe",
    "parse_volume",
    "plan_batches",
    "plan_dose",
    "protocols",
    "recommend",
    "replan",
    "resolve_protocol",
    "schedule_from_segments",
    "today_status",
    "volume_for_dose",
]

_LAZY = {
    "Assay": "dose.accuracy",
    "DoseRange": "dose.accuracy",
    "parse_assay": "dose.accuracy",
    "DilutionStage": "dose.dilution",
    "Entry": "diary.entries",
    "LivingPlan": "diary.replan",
    "replan": "diary.replan",
    "build_report": "diary.living",
    "today_status": "diary.living",
    "Store": "diary.store",
    "Segment": "plan.titration",
    "resolve_protocol": "plan.titration",
    "schedule_from_segments": "plan.titration",
    "format_concentration": "notation",
    "format_dose": "notation",
    "format_volume": "notation",
    "Advisory": "dose.preparation",
    "DosePlan": "dose.preparation",
    "Preparation": "dose.preparation",
    "dose_for_volume": "dose.preparation",
    "make_preparation": "dose.preparation",
    "plan_dose": "dose.preparation",
    "volume_for_dose": "dose.preparation",
    "Candidate": "dose.recommender",
    "Recommendation": "dose.recommender",
    "dose_steps": "dose.recommender",
    "recommend": "dose.recommender",
    "CATALOGUE": "dose.syringes",
    "Measurement": "dose.syringes",
    "Syringe": "dose.syringes",
    "measure": "dose.syringes",
    "parse_syringe": "dose.syringes",
    "Batch": "plan.supply",
    "SupplyPlan": "plan.supply",
    "plan_batches": "plan.supply",
    "Protocol": "plan.titration",
    "Schedule": "plan.titration",
    "Step": "plan.titration",
    "build_schedule": "plan.titration",
    "custom_protocol": "plan.titration",
    "get_protocol": "plan.titration",
    "protocols": "plan.titration",
    "parse_dose": "units",
    "parse_duration_days": "units",
    "parse_volume": "units",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ldncalc' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"ldncalc.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
