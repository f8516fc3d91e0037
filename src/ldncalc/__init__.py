"""ldncalc: exact, units-aware preparation and dosing of liquid low-dose naltrexone.

Informational only: the arithmetic is done by ldncalc; a prescriber decides the dose.

The public API is listed in ``__all__`` (docs/library.md shows it in use).
Names are imported on first use, so ``import ldncalc`` stays cheap (pint is
loaded only when a quantity is needed).

>>> from ldncalc import make_preparation, plan_dose
>>> plan = plan_dose("4.5 mg", make_preparation(water_ml="100 mL"))
>>> plan.measurement.measured_ml
Fraction(9, 1)
"""

from __future__ import annotations

# Imported at once: small, and every way out of the CLI needs the errors.
# `X as X` marks a name as exported for type checkers (mypy --strict).
from ldncalc._version import __version__ as __version__
from ldncalc.disclaimer import DISCLAIMER as DISCLAIMER
from ldncalc.errors import ArgumentTypeError as ArgumentTypeError
from ldncalc.errors import DimensionError as DimensionError
from ldncalc.errors import ErrorCode as ErrorCode
from ldncalc.errors import InvalidInputError as InvalidInputError
from ldncalc.errors import LdncalcError as LdncalcError
from ldncalc.errors import OutputFileError as OutputFileError
from ldncalc.errors import RefusedError as RefusedError
from ldncalc.errors import StoreError as StoreError
from ldncalc.errors import StoreReason as StoreReason

# Not typing.TYPE_CHECKING: importing typing costs more than the rest of
# this module, and `ldncalc --version` loads it. Type checkers treat any
# name TYPE_CHECKING as true.
TYPE_CHECKING = False

if TYPE_CHECKING:
    # What type checkers see of the names imported on first use (_API below);
    # tests/test_api.py checks that the two agree, name for name.
    from ldncalc.diary.cautions import DiaryWarning as DiaryWarning
    from ldncalc.diary.cautions import WarningCode as WarningCode
    from ldncalc.diary.entries import Action as Action
    from ldncalc.diary.entries import Adjust as Adjust
    from ldncalc.diary.entries import Diluted as Diluted
    from ldncalc.diary.entries import Entry as Entry
    from ldncalc.diary.entries import Missed as Missed
    from ldncalc.diary.entries import Mixed as Mixed
    from ldncalc.diary.entries import Note as Note
    from ldncalc.diary.entries import Payload as Payload
    from ldncalc.diary.entries import PlanStarted as PlanStarted
    from ldncalc.diary.entries import Took as Took
    from ldncalc.diary.entries import Undo as Undo
    from ldncalc.diary.history import HistoryDay as HistoryDay
    from ldncalc.diary.history import HistoryEntry as HistoryEntry
    from ldncalc.diary.kit import ProfileKit as ProfileKit
    from ldncalc.diary.kit import kit_add as kit_add
    from ldncalc.diary.kit import kit_remove as kit_remove
    from ldncalc.diary.kit import kit_scale as kit_scale
    from ldncalc.diary.kit import kit_time as kit_time
    from ldncalc.diary.kit_entries import KitChange as KitChange
    from ldncalc.diary.kit_entries import KitScale as KitScale
    from ldncalc.diary.kit_entries import KitSyringeAdded as KitSyringeAdded
    from ldncalc.diary.kit_entries import KitSyringeRemoved as KitSyringeRemoved
    from ldncalc.diary.kit_entries import KitTime as KitTime
    from ldncalc.diary.living import Report as Report
    from ldncalc.diary.living import Today as Today
    from ldncalc.diary.living import build_report as build_report
    from ldncalc.diary.living import plan_started as plan_started
    from ldncalc.diary.living import today_status as today_status
    from ldncalc.diary.outcomes import CurrentPlan as CurrentPlan
    from ldncalc.diary.outcomes import History as History
    from ldncalc.diary.outcomes import Recorded as Recorded
    from ldncalc.diary.replan import LivingPlan as LivingPlan
    from ldncalc.diary.replan import replan as replan
    from ldncalc.diary.service import Diary as Diary
    from ldncalc.diary.shapes import ExportDocument as ExportDocument
    from ldncalc.dose.accuracy import Assay as Assay
    from ldncalc.dose.accuracy import DoseRange as DoseRange
    from ldncalc.dose.accuracy import parse_assay as parse_assay
    from ldncalc.dose.accuracy import range_text as range_text
    from ldncalc.dose.dilution import DilutionStage as DilutionStage
    from ldncalc.dose.kit import Kit as Kit
    from ldncalc.dose.kit import Scale as Scale
    from ldncalc.dose.kit import parse_scale as parse_scale
    from ldncalc.dose.preparation import Advisory as Advisory
    from ldncalc.dose.preparation import AdvisoryCode as AdvisoryCode
    from ldncalc.dose.preparation import DosePlan as DosePlan
    from ldncalc.dose.preparation import Preparation as Preparation
    from ldncalc.dose.preparation import dose_for_volume as dose_for_volume
    from ldncalc.dose.preparation import make_preparation as make_preparation
    from ldncalc.dose.preparation import plan_dose as plan_dose
    from ldncalc.dose.preparation import volume_for_dose as volume_for_dose
    from ldncalc.dose.recommender import Candidate as Candidate
    from ldncalc.dose.recommender import Recommendation as Recommendation
    from ldncalc.dose.recommender import dose_steps as dose_steps
    from ldncalc.dose.recommender import recommend as recommend
    from ldncalc.dose.syringes import CATALOGUE as CATALOGUE
    from ldncalc.dose.syringes import Measurement as Measurement
    from ldncalc.dose.syringes import Syringe as Syringe
    from ldncalc.dose.syringes import measure as measure
    from ldncalc.dose.syringes import parse_syringe as parse_syringe
    from ldncalc.inputs import Amount as Amount
    from ldncalc.inputs import QuantityLike as QuantityLike
    from ldncalc.notation import format_concentration as format_concentration
    from ldncalc.notation import format_dose as format_dose
    from ldncalc.notation import format_volume as format_volume
    from ldncalc.plan.supply import Batch as Batch
    from ldncalc.plan.supply import SupplyPlan as SupplyPlan
    from ldncalc.plan.supply import plan_batches as plan_batches
    from ldncalc.plan.titration import Protocol as Protocol
    from ldncalc.plan.titration import Schedule as Schedule
    from ldncalc.plan.titration import Segment as Segment
    from ldncalc.plan.titration import Step as Step
    from ldncalc.plan.titration import build_schedule as build_schedule
    from ldncalc.plan.titration import custom_protocol as custom_protocol
    from ldncalc.plan.titration import get_protocol as get_protocol
    from ldncalc.plan.titration import protocols as protocols
    from ldncalc.plan.titration import resolve_protocol as resolve_protocol
    from ldncalc.plan.titration import schedule_from_segments as schedule_from_segments
    from ldncalc.render.exports import schedule_csv as schedule_csv
    from ldncalc.schemas import load_schema as load_schema
    from ldncalc.units import parse_dose as parse_dose
    from ldncalc.units import parse_duration_days as parse_duration_days
    from ldncalc.units import parse_volume as parse_volume

# The public API, the one list: each name and the module under ldncalc it
# comes from. __all__ is made from it, and __getattr__ imports from it; the
# names imported at once above are in it too. A new public name: add it here
# and to the TYPE_CHECKING block (or the imports at once), and use it in
# docs/library.md.
_API = {
    "__version__": "_version",
    "DISCLAIMER": "disclaimer",
    # Errors and their codes.
    "ArgumentTypeError": "errors",
    "DimensionError": "errors",
    "ErrorCode": "errors",
    "InvalidInputError": "errors",
    "LdncalcError": "errors",
    "OutputFileError": "errors",
    "RefusedError": "errors",
    "StoreError": "errors",
    "StoreReason": "errors",
    # Amounts in, safe text out.
    "Amount": "inputs",
    "QuantityLike": "inputs",
    "parse_dose": "units",
    "parse_duration_days": "units",
    "parse_volume": "units",
    "format_concentration": "notation",
    "format_dose": "notation",
    "format_volume": "notation",
    # Doses: preparations, syringes, ranges, dilution, the recommender.
    "Advisory": "dose.preparation",
    "AdvisoryCode": "dose.preparation",
    "DosePlan": "dose.preparation",
    "Preparation": "dose.preparation",
    "dose_for_volume": "dose.preparation",
    "make_preparation": "dose.preparation",
    "plan_dose": "dose.preparation",
    "volume_for_dose": "dose.preparation",
    "CATALOGUE": "dose.syringes",
    "Measurement": "dose.syringes",
    "Syringe": "dose.syringes",
    "measure": "dose.syringes",
    "parse_syringe": "dose.syringes",
    "Assay": "dose.accuracy",
    "DoseRange": "dose.accuracy",
    "parse_assay": "dose.accuracy",
    "range_text": "dose.accuracy",
    "DilutionStage": "dose.dilution",
    "Kit": "dose.kit",
    "Scale": "dose.kit",
    "parse_scale": "dose.kit",
    "Candidate": "dose.recommender",
    "Recommendation": "dose.recommender",
    "dose_steps": "dose.recommender",
    "recommend": "dose.recommender",
    # Plans: protocols, schedules, batches.
    "Protocol": "plan.titration",
    "Schedule": "plan.titration",
    "Segment": "plan.titration",
    "Step": "plan.titration",
    "build_schedule": "plan.titration",
    "custom_protocol": "plan.titration",
    "get_protocol": "plan.titration",
    "protocols": "plan.titration",
    "resolve_protocol": "plan.titration",
    "schedule_from_segments": "plan.titration",
    "Batch": "plan.supply",
    "SupplyPlan": "plan.supply",
    "plan_batches": "plan.supply",
    # The diary: its use cases and what they return, entries, the living plan.
    "Diary": "diary.service",
    "ExportDocument": "diary.shapes",
    "CurrentPlan": "diary.outcomes",
    "History": "diary.outcomes",
    "Recorded": "diary.outcomes",
    "HistoryDay": "diary.history",
    "HistoryEntry": "diary.history",
    "Today": "diary.living",
    "Report": "diary.living",
    "DiaryWarning": "diary.cautions",
    "WarningCode": "diary.cautions",
    "Action": "diary.entries",
    "Adjust": "diary.entries",
    "Diluted": "diary.entries",
    "Entry": "diary.entries",
    "Missed": "diary.entries",
    "Mixed": "diary.entries",
    "Note": "diary.entries",
    "Payload": "diary.entries",
    "PlanStarted": "diary.entries",
    "Took": "diary.entries",
    "Undo": "diary.entries",
    "ProfileKit": "diary.kit",
    "KitChange": "diary.kit_entries",
    "KitScale": "diary.kit_entries",
    "KitSyringeAdded": "diary.kit_entries",
    "KitSyringeRemoved": "diary.kit_entries",
    "KitTime": "diary.kit_entries",
    "kit_add": "diary.kit",
    "kit_remove": "diary.kit",
    "kit_scale": "diary.kit",
    "kit_time": "diary.kit",
    "LivingPlan": "diary.replan",
    "replan": "diary.replan",
    "build_report": "diary.living",
    "plan_started": "diary.living",
    "today_status": "diary.living",
    # Output.
    "schedule_csv": "render.exports",
    "load_schema": "schemas",
}

__all__ = sorted(_API)


if not TYPE_CHECKING:
    # Hidden from type checkers (PEP 562 at run time only): they see the names
    # imported above and nothing else, so `from ldncalc import plan_dosee` fails
    # a caller's mypy instead of being typed as anything.

    def __getattr__(name: str) -> object:
        module = _API.get(name)
        if module is None:
            raise AttributeError(f"module 'ldncalc' has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(f"ldncalc.{module}"), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(__all__)
