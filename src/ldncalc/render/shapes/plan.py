"""The shapes of a plan: ``protocols``, ``schedule`` and ``plan`` (and their pieces)."""

from typing import Annotated, Literal, NotRequired, TypedDict

from ldncalc.render.shapes import LIQUID, SLUG, Disclaimer, Doc, Exact, IsoDate
from ldncalc.render.shapes.dose import (
    DilutionStage,
    LiquidFields,
    MeasuredDose,
    Preparation,
    Warning,
)

__all__ = [
    "Batch",
    "ClimbStep",
    "PlanChange",
    "PlanExtra",
    "PlanObject",
    "Protocol",
    "ProtocolsObject",
    "ScheduleObject",
    "ScheduleProtocol",
    "Step",
    "StepChange",
    "StepWarning",
    "Supply",
    "Totals",
]


class ClimbStep(TypedDict):
    """One climbing step of a protocol: a dose held for some days."""

    dose_mg: Annotated[float, Exact("The daily dose of this step, in mg.", exclusiveMinimum=0)]
    days: Annotated[int, Doc("How long the step lasts, in days.", minimum=1)]


class Protocol(TypedDict):
    """A published titration protocol: its climbing steps and the dose held after."""

    id: Annotated[
        str,
        Doc(
            "Identifier of the protocol, as 'ldncalc schedule' takes it ('custom' for a "
            "schedule of the user's own).",
            pattern=SLUG,
        ),
    ]
    title: Annotated[str, Doc("Short name of the protocol, for people.", minLength=1)]
    description: Annotated[
        str,
        Doc(
            "What the protocol does, in one or two sentences.",
            minLength=1,
        ),
    ]
    source: Annotated[str, Doc("Where the protocol is published.", minLength=1)]
    climb: Annotated[
        list[ClimbStep],
        Doc(
            "The steps before the target, in order (empty when the target is taken from day 1).",
        ),
    ]
    target_mg: Annotated[
        float,
        Exact(
            "The dose held once the climb is done, in mg.",
            exclusiveMinimum=0,
        ),
    ]


class ProtocolsObject(TypedDict):
    """The published titration protocols, or the one asked for ('ldncalc protocols --json')."""

    schema: str
    protocols: Annotated[
        list[Protocol],
        Doc(
            "The protocols, in the order 'ldncalc protocols' lists them.",
            minItems=1,
        ),
    ]
    warnings: Annotated[
        list[Warning],
        Doc(
            "Warnings about the result (empty when there are none).",
        ),
    ]
    disclaimer: Disclaimer


class ScheduleProtocol(Protocol):
    """The protocol followed, and how long its target is held."""

    hold_days: Annotated[
        int,
        Doc(
            "How long the target is held, counted from its first day, in days.",
            minimum=1,
        ),
    ]


class StepChange(TypedDict, total=False):
    """The change that made a step of a changed plan (spread into a step)."""

    change: Annotated[
        str,
        Doc(
            "Optional: in a plan that was changed as it went, the change that made this "
            "step. Absent otherwise.",
            minLength=1,
        ),
    ]


class Step(MeasuredDose, LiquidFields, StepChange):
    """One step of the schedule: its days and dates, the dose and how to measure it."""

    step: Annotated[int, Doc("Number of the step, from 1.", minimum=1)]
    first_day: Annotated[int, Doc("First day of the step; day 1 is the start date.", minimum=1)]
    last_day: Annotated[int, Doc("Last day of the step (inclusive).", minimum=1)]
    first_date: Annotated[
        IsoDate,
        Doc(
            "Date of the first day of the step. ISO 8601 calendar date (YYYY-MM-DD), the "
            "user's local calendar.",
        ),
    ]
    last_date: Annotated[
        IsoDate,
        Doc(
            "Date of the last day of the step (inclusive). ISO 8601 calendar date "
            "(YYYY-MM-DD), the user's local calendar.",
        ),
    ]
    at_target: Annotated[bool, Doc("Whether this step holds the target dose.")]


class Batch(TypedDict):
    """One batch of liquid: when to mix it, the days it serves, what it holds."""

    batch: Annotated[int, Doc("Number of the batch, from 1.", minimum=1)]
    liquid: Annotated[
        str,
        Doc(
            "What the bottle holds: 'stock' (tablets in water), or 'dilution N' (a liquid"
            " made from a stock batch in N stages).",
            pattern=LIQUID,
        ),
    ]
    made_from: Annotated[
        int | None,
        Doc(
            "For a dilution, the number of the stock batch it is made from; null for a stock.",
            minimum=1,
        ),
    ]
    mix_date: Annotated[
        IsoDate,
        Doc(
            "The day to mix the batch. ISO 8601 calendar date (YYYY-MM-DD), the user's "
            "local calendar.",
        ),
    ]
    discard_date: Annotated[
        IsoDate,
        Doc(
            "The last day the batch may be used (its beyond-use date); throw it away "
            "after. ISO 8601 calendar date (YYYY-MM-DD), the user's local calendar.",
        ),
    ]
    last_use_date: Annotated[
        IsoDate,
        Doc(
            "The last day the schedule takes a dose from this batch. ISO 8601 calendar "
            "date (YYYY-MM-DD), the user's local calendar.",
        ),
    ]
    first_day: Annotated[int, Doc("First day of the schedule served by this batch.", minimum=1)]
    last_day: Annotated[
        int,
        Doc(
            "Last day of the schedule served by this batch (inclusive).",
            minimum=1,
        ),
    ]
    tablets: Annotated[
        int,
        Doc(
            "Tablets dissolved for this batch (count; 0 for a dilution).",
            minimum=0,
        ),
    ]
    water_ml: Annotated[
        float,
        Exact(
            "Water added to make the batch (for a dilution, over all its stages), in mL.",
            exclusiveMinimum=0,
        ),
    ]
    liquid_ml: Annotated[
        float,
        Exact(
            "Liquid in the bottle when mixed, in mL.",
            exclusiveMinimum=0,
        ),
    ]
    reserve_ml: Annotated[
        float,
        Exact(
            "Liquid the bottle keeps back, never planned for a dose, in mL.",
            minimum=0,
        ),
    ]
    used_ml: Annotated[
        float,
        Exact(
            "Liquid the schedule draws from this batch (doses, and aliquots for dilutions), in mL.",
            minimum=0,
        ),
    ]
    wasted_ml: Annotated[float, Exact("Liquid left over and thrown away, in mL.", minimum=0)]
    dilution: Annotated[
        list[DilutionStage],
        Doc(
            "For a dilution, the stages that make it from its stock, in order; empty for a stock.",
        ),
    ]


class StepWarning(Warning):
    """A warning about one step of the schedule."""

    step: Annotated[
        int,
        Doc(
            "Number of the step the warning belongs to (the steps count from 1).",
            minimum=1,
        ),
    ]


class Supply(TypedDict):
    """How the batches are kept: the keep period and each stock bottle's reserve."""

    keep_days: Annotated[
        int,
        Doc(
            "How long a bottle may be used, in days; the mixing day is day 1.",
            minimum=1,
        ),
    ]
    reserve_ml: Annotated[
        float,
        Doc(
            "Liquid each stock bottle keeps back, never planned for a dose, in mL.",
            exclusiveMinimum=0,
        ),
    ]


class Totals(TypedDict):
    """What the whole schedule takes."""

    days: Annotated[int, Doc("Length of the whole schedule, hold included, in days.", minimum=1)]
    tablets: Annotated[int, Doc("Tablets needed for every batch (count).", minimum=1)]
    water_ml: Annotated[
        float,
        Exact(
            "Water needed for every batch, dilutions included, in mL.",
            exclusiveMinimum=0,
        ),
    ]
    cost: NotRequired[
        Annotated[
            float,
            Doc(
                "Optional (present when a tablet price was given): the cost of the tablets, "
                "in the currency of that price, to the cent.",
                minimum=0,
            ),
        ]
    ]
    cost_per_month: NotRequired[
        Annotated[
            float,
            Doc(
                "Optional (present with cost): the average cost per month of 365.25 / 12 "
                "days, in the currency of the tablet price, to the cent.",
                minimum=0,
            ),
        ]
    ]


class ScheduleObject(TypedDict):
    """A dated titration schedule, its batches and totals ('ldncalc schedule --json',
    '--format json').
    """

    schema: str
    protocol: ScheduleProtocol
    preparation: Preparation
    supply: Supply
    steps: Annotated[
        list[Step],
        Doc(
            "The steps, in order; together they cover every day.",
            minItems=1,
        ),
    ]
    batches: Annotated[list[Batch], Doc("The batches to mix, in order.", minItems=1)]
    totals: Totals
    warnings: Annotated[
        list[StepWarning],
        Doc(
            "Warnings, each about one step (empty when there are none).",
        ),
    ]
    disclaimer: Disclaimer


class PlanChange(TypedDict):
    """One change of the plan."""

    date: Annotated[IsoDate, Doc("The day the change takes effect (YYYY-MM-DD).")]
    action: Annotated[
        Literal["plan", "back", "hold", "resume", "slower", "target", "dose", "stop"],
        Doc(
            "What changed: 'plan' (a plan started), or an adjustment: back, hold, resume,"
            " slower, target, dose, stop.",
        ),
    ]
    description: Annotated[str, Doc("The change in words, with its reason.", minLength=1)]
    entry: Annotated[int, Doc("The id of the diary entry that made it (count).", minimum=1)]


class PlanExtra(TypedDict):
    """What the living plan adds to a schedule."""

    review_date: Annotated[
        IsoDate | None,
        Doc(
            "The day the trial is judged: eight weeks after the first day at the final "
            "dose (YYYY-MM-DD), or null when none is set (the trial stopped).",
        ),
    ]
    target_mg: Annotated[
        float,
        Exact(
            "The target in force at the end of the plan, in mg.",
            exclusiveMinimum=0,
        ),
    ]
    held: Annotated[
        bool,
        Doc(
            "Whether an open hold (no more increases until resume) is in force at the end"
            " of the plan.",
        ),
    ]
    stopped_on: Annotated[
        IsoDate | None,
        Doc(
            "The day the trial was stopped (YYYY-MM-DD), or null.",
        ),
    ]
    changes: Annotated[
        list[PlanChange],
        Doc(
            "Each plan started and each adjustment applied, in the order applied.",
        ),
    ]
    open_ended: Annotated[
        bool,
        Doc(
            "Whether the last dose goes on until a stop (maintenance, or an open hold): "
            "the steps shown end at a horizon, not at the plan's end.",
        ),
    ]


class PlanObject(ScheduleObject, PlanExtra):
    """The living plan as the diary makes it ('ldncalc plan show --json'): the schedule's
    keys, and the plan's changes, target, hold, stop and review date.
    """
