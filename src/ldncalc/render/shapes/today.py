"""The shape of a day: ``today`` (the dose, the volume to draw, the bottles, what comes next)."""

from typing import Annotated, Literal, TypedDict

from ldncalc.render.shapes import LIQUID, Disclaimer, Doc, Exact, IsoDate
from ldncalc.render.shapes.dose import DilutionStage, Preparation, Warning

__all__ = [
    "Bottle",
    "Hold",
    "NextChange",
    "Reminder",
    "ReviewMoved",
    "ToMix",
    "TodayLiquid",
    "TodayMeasured",
    "TodayObject",
]

COMMAND = "^ldncalc "
"""A command for the person to run, whole (with --profile and --data-dir as given)."""

Command = Annotated[
    str,
    Doc(
        "The exact command to run, for the profile and folder at hand (a POSIX shell line).",
        pattern=COMMAND,
    ),
]

# "from" is a Python keyword: this key is declared the functional way.
_ReviewMovedFrom = TypedDict(
    "_ReviewMovedFrom",
    {"from": Annotated[IsoDate, Doc("The review date before the adjustment (YYYY-MM-DD).")]},
)


class Bottle(TypedDict):
    """One bottle: the stock or a dilution, recorded as mixed or to be mixed."""

    batch: Annotated[
        int,
        Doc(
            "The bottle's number: the diary's bottles counted in the order they were "
            "mixed (the plan's numbers while the diary records none) (count).",
            minimum=1,
        ),
    ]
    liquid: Annotated[
        str,
        Doc(
            "What it holds: 'stock' (tablets in water) or 'dilution N' (the Nth dilution stage).",
            pattern=LIQUID,
        ),
    ]
    concentration_mg_per_ml: Annotated[
        float,
        Exact(
            "Its concentration, in mg/mL.",
            exclusiveMinimum=0,
        ),
    ]
    mix_date: Annotated[IsoDate, Doc("The day it is (or was planned to be) mixed (YYYY-MM-DD).")]
    discard_date: Annotated[
        IsoDate,
        Doc(
            "The last day it may be used (YYYY-MM-DD); the mixing day is day 1; never "
            "after the liquid it is made from.",
        ),
    ]
    recorded: Annotated[bool, Doc("Whether the diary records it as mixed.")]
    left_ml: Annotated[
        float | None,
        Exact(
            "What is left in a recorded bottle after the doses recorded up to the day "
            "(each dose over its concentration), in mL, or null for a bottle not "
            "recorded.",
            minimum=0,
        ),
    ]
    last_dose: Annotated[
        bool,
        Doc(
            "Whether the day's dose is the last this bottle gives (past its discard date,"
            " or too little left above its reserve, tomorrow).",
        ),
    ]


class ToMix(TypedDict):
    """A bottle to mix on the day, before the dose: its recipe and the commands that record
    it.
    """

    bottle: Bottle
    why: Annotated[
        Literal["planned", "expired", "runs-out", "not-recorded"],
        Doc(
            "Why it is due: 'planned' (the plan's next bottle), 'expired' (the bottle in "
            "use is past its discard date), 'runs-out' (the bottle in use holds less than"
            " the day's dose above its reserve), 'not-recorded' (the plan's bottle was "
            "due on an earlier day and is not recorded as mixed).",
        ),
    ]
    replaces: Annotated[
        int | None,
        Doc(
            "The number of the bottle it replaces, or null (count).",
            minimum=1,
        ),
    ]
    preparation: Annotated[
        Preparation | None,
        Doc(
            "A stock bottle's recipe (tablets and water), or null for a dilution.",
        ),
    ]
    dilution: Annotated[
        list[DilutionStage],
        Doc(
            "A dilution's stages, from the stock, in order (empty for the stock).",
        ),
    ]
    record_commands: Annotated[
        list[Command],
        Doc(
            "The exact commands that record it once made, in order.",
            minItems=1,
        ),
    ]


class Hold(TypedDict):
    """The open hold in force on the day (no increase until resumed), or null."""

    since: Annotated[IsoDate, Doc("The hold's first day (YYYY-MM-DD).")]
    until: Annotated[
        IsoDate | None,
        Doc(
            "The day the hold ends, when the diary says it (a hold for a number of days, "
            "or a resume, slower climb or stop recorded ahead); null while it lasts until "
            "one is recorded."
        ),
    ]
    dose_mg: Annotated[float, Exact("The dose held, in mg.", exclusiveMinimum=0)]
    resume_command: Annotated[
        str,
        Doc(
            "The exact command that resumes the climb, for the profile and folder at hand.",
            pattern=COMMAND,
        ),
    ]


class NextChange(TypedDict):
    """The next day the planned dose changes, or null."""

    date: Annotated[IsoDate, Doc("The day of the change (YYYY-MM-DD).")]
    dose_mg: Annotated[
        float | None,
        Exact(
            "The dose from that day, in mg, or null when no dose is planned from then on.",
            exclusiveMinimum=0,
        ),
    ]


class ReviewMoved(_ReviewMovedFrom):
    """The review date before the last adjustment that moved it, and that adjustment."""

    action: Annotated[
        str,
        Doc(
            "The adjustment that moved it: back, hold, resume, slower, target, dose or stop.",
            minLength=1,
        ),
    ]
    date: Annotated[IsoDate, Doc("The adjustment's day (YYYY-MM-DD).")]


class Reminder(TypedDict):
    """One thing to record for the review, with its command."""

    code: Annotated[Literal["score", "pgic"], Doc("What to record: 'score' or 'pgic'.")]
    message: Annotated[str, Doc("The reminder in one line, for people.", minLength=1)]
    command: Annotated[
        str,
        Doc(
            "The exact command that records it (N stands for each score).",
            pattern=COMMAND,
        ),
    ]


class TodayMeasured(TypedDict):
    """How the day's dose is measured, or nulls when no dose is planned."""

    volume_ml: Annotated[
        float | None,
        Exact(
            "The exact volume that holds the dose, in mL of the liquid it is drawn from, or null.",
            exclusiveMinimum=0,
        ),
    ]
    syringe_ml: Annotated[
        float | None,
        Exact(
            "Capacity of the syringe to measure it with, in mL, or null.",
            exclusiveMinimum=0,
        ),
    ]
    graduation_ml: Annotated[
        float | None,
        Exact(
            "Distance between the syringe's marks, in mL, or null.",
            exclusiveMinimum=0,
        ),
    ]
    measured_volume_ml: Annotated[
        float | None,
        Exact(
            "The volume to draw: the nearest mark, in mL, or null.",
            exclusiveMinimum=0,
        ),
    ]
    delivered_dose_mg: Annotated[
        float | None,
        Exact(
            "The dose the mark delivers, in mg, or null.",
            exclusiveMinimum=0,
        ),
    ]


class TodayLiquid(TypedDict):
    """The liquid the day's dose is drawn from, or nulls when no dose is planned."""

    liquid: Annotated[
        str | None,
        Doc(
            "The liquid the day's volume is drawn from: 'stock' (tablets in water), or "
            "'dilution N' (the liquid made by the Nth dilution stage); null when no dose "
            "is planned. A volume means nothing without it.",
            pattern=LIQUID,
        ),
    ]
    concentration_mg_per_ml: Annotated[
        float | None,
        Exact(
            "Concentration of the liquid the day's volume is drawn from, in mg/mL, or "
            "null: the volume times it is the dose.",
            exclusiveMinimum=0,
        ),
    ]
    dilution: Annotated[
        list[DilutionStage] | None,
        Doc(
            "The dilution stages that make the liquid the day's dose is drawn from, from "
            "the stock, in order (empty for the stock itself; as 'ldncalc dose --json' "
            "has them), or null when no dose is planned.",
        ),
    ]


class TodayObject(TodayMeasured, TodayLiquid):
    """What a day holds ('ldncalc today --json'): the dose, the volume to draw, the bottle,
    what comes next.
    """

    schema: str
    date: Annotated[IsoDate, Doc("The day described (YYYY-MM-DD, the user's local calendar).")]
    day: Annotated[
        int | None,
        Doc(
            "The day's number in the plan in force (day 1 is its start), or null before "
            "any plan (count).",
            minimum=1,
        ),
    ]
    dose_time: Annotated[
        str | None,
        Doc(
            "The hour of the dose in the profile's kit, HH:MM on the 24-hour clock in local "
            "time ('ldncalc kit time'), or null when none is set.",
            pattern="^([01][0-9]|2[0-3]):[0-5][0-9]$",
        ),
    ]
    step: Annotated[
        int | None,
        Doc(
            "The number of the run of days at one dose that holds the day, or null (count).",
            minimum=1,
        ),
    ]
    dose_mg: Annotated[
        float | None,
        Exact(
            "The dose planned for the day, in mg, or null when none is planned.",
            exclusiveMinimum=0,
        ),
    ]
    taken: Annotated[bool, Doc("Whether a dose is recorded as taken on the day.")]
    taken_dose_mg: Annotated[
        float | None,
        Exact(
            "The dose recorded as taken on the day, in mg, or null.",
            exclusiveMinimum=0,
        ),
    ]
    missed: Annotated[bool, Doc("Whether the day's dose is recorded as missed.")]
    mix_today: Annotated[
        bool,
        Doc(
            "Whether a bottle is to be mixed on the day (to_mix is not empty).",
        ),
    ]
    record_command: Annotated[
        Command | None,
        Doc(
            "The exact command that records the day's dose as taken, for the profile and "
            "folder at hand, or null when no dose is planned, the day's dose is recorded "
            "(taken or missed) or the day is still to come.",
        ),
    ]
    batch: Annotated[
        Bottle | None,
        Doc(
            "The bottle the day's volume is for (the dilution's on a day drawn from a "
            "dilution; a bottle to mix first when the one in use is past its date or "
            "holds too little), or null.",
        ),
    ]
    to_mix: Annotated[
        list[ToMix],
        Doc(
            "The bottles to mix on the day, before the dose, each with its recipe and the"
            " exact commands that record it once made.",
        ),
    ]
    stopped_on: Annotated[
        IsoDate | None,
        Doc(
            "The day the plan stopped, when it is stopped on the day (no dose, nothing to"
            " mix) (YYYY-MM-DD), or null.",
        ),
    ]
    restart_command: Annotated[
        Command | None,
        Doc(
            "After a stop: the exact command that takes the plan up again at the dose "
            "before the stop, or null.",
        ),
    ]
    hold: Annotated[
        Hold | None,
        Doc(
            "The open hold in force on the day (no increase until resumed), or null.",
        ),
    ]
    next_change: Annotated[
        NextChange | None,
        Doc(
            "The next day the planned dose changes, or null.",
        ),
    ]
    review_date: Annotated[
        IsoDate | None,
        Doc(
            "The day the trial is judged (YYYY-MM-DD), or null.",
        ),
    ]
    warnings: Annotated[
        list[Warning],
        Doc(
            "Warnings for the day (never double a missed dose, a bottle past its discard "
            "date, a mark that changes the dose...).",
        ),
    ]
    disclaimer: Disclaimer
    review_due_since: Annotated[
        IsoDate | None,
        Doc(
            "The review date once it has come (YYYY-MM-DD): the review is due since then;"
            " null before it.",
        ),
    ]
    review_moved: Annotated[
        ReviewMoved | None,
        Doc(
            "When the last adjustment up to the day moved the review date: the date it "
            "had before, and the adjustment; null otherwise.",
        ),
    ]
    reminders: Annotated[
        list[Reminder],
        Doc(
            "What to record for the review: the day's scores in the two weeks before it "
            "and on its day ('score'), the PGIC on its day ('pgic'), each with its exact "
            "command.",
        ),
    ]
