"""The shapes of what the diary reports: ``history``, ``report``, ``check`` and ``kit``."""

from typing import Annotated, Any, TypedDict

from ldncalc.diary.entries import Kind
from ldncalc.diary.trial import Immpact, PgicWords, WindowKind
from ldncalc.render.shapes import Disclaimer, Doc, Exact, IsoDate

__all__ = [
    "ByDose",
    "CheckObject",
    "HistoryDay",
    "HistoryEntry",
    "HistoryObject",
    "KitObject",
    "KitScale",
    "KitSyringe",
    "Pgic",
    "ReportObject",
    "Trial",
    "TrialChange",
    "Window",
]


# "from" is a Python keyword: these keys are declared the functional way.
_WindowDays = TypedDict(
    "_WindowDays",
    {
        "from": Annotated[IsoDate, Doc("The window's first day (YYYY-MM-DD).")],
        "to": Annotated[IsoDate, Doc("The window's last day (YYYY-MM-DD).")],
    },
)
_ReportDays = TypedDict(
    "_ReportDays",
    {
        "from": Annotated[IsoDate, Doc("The report's first day (YYYY-MM-DD).")],
        "to": Annotated[IsoDate, Doc("The report's last day (YYYY-MM-DD).")],
    },
)


class Window(_WindowDays):
    """A run of days and its figures; a mean of fewer than 3 scored days is null."""

    window: Annotated[
        WindowKind,
        Doc(
            "Which days: 'before-start' (the 14 days before the plan's start date), "
            "'first-week' (the plan's first 7 days, when fewer than 3 days before the "
            "start were scored), 'review' (the 14 days ending on the review date) or "
            "'report-end' (the 14 days ending on the report's last day, when that comes "
            "before the review).",
        ),
    ]
    days_scored: Annotated[int, Doc("The days of the window with a pain score (count).", minimum=0)]
    peg_days_scored: Annotated[
        int,
        Doc(
            "The days of the window with all three PEG items scored (count).",
            minimum=0,
        ),
    ]
    pain: Annotated[
        float | None,
        Exact(
            "The mean pain score of the days scored (0 none, 10 worst), or null from "
            "fewer than 3 days.",
            minimum=0,
            maximum=10,
        ),
    ]
    peg: Annotated[
        float | None,
        Exact(
            "The mean PEG score (the mean of pain, enjoyment and activity, each 0 to 10) "
            "of the days with all three, or null from fewer than 3 days.",
            minimum=0,
            maximum=10,
        ),
    ]


class TrialChange(TypedDict):
    """From the baseline to the evaluation; a decrease is negative; null when a mean it
    needs is null.
    """

    pain_points: Annotated[
        float | None,
        Exact(
            "The evaluation's mean pain less the baseline's, in points of the 0 to 10 scale.",
        ),
    ]
    pain_percent: Annotated[
        float | None,
        Exact(
            "The change of the mean pain in percent of the baseline's (null when the "
            "baseline is 0).",
        ),
    ]
    peg_points: Annotated[
        float | None,
        Exact(
            "The evaluation's mean PEG score less the baseline's, in points of the 0 to 10 scale.",
        ),
    ]
    peg_percent: Annotated[
        float | None,
        Exact(
            "The change of the mean PEG score in percent of the baseline's (null when the"
            " baseline is 0).",
        ),
    ]


class Pgic(TypedDict):
    """The latest Patient Global Impression of Change recorded on or before the evaluation's
    last day, or null.
    """

    value: Annotated[
        int,
        Doc(
            "The answer, 1 (very much improved) to 7 (very much worse), 4 no change.",
            minimum=1,
            maximum=7,
        ),
    ]
    words: Annotated[
        PgicWords,
        Doc(
            "The answer in the scale's words.",
        ),
    ]
    date: Annotated[IsoDate, Doc("The day it was recorded about (YYYY-MM-DD).")]


class Trial(TypedDict):
    """The trial judged."""

    baseline: Window
    evaluation: Window
    change: TrialChange
    immpact: Annotated[
        Immpact | None,
        Doc(
            "The change of the pain read against the IMMPACT benchmarks (Dworkin 2008): "
            "'substantial' for a decrease of 50% or more, 'moderate' 30% or more, "
            "'minimal' 10% or more, 'none' otherwise; null when either window has fewer "
            "than 3 scored days.",
        ),
    ]
    pgic: Pgic | None
    sources: Annotated[
        list[Annotated[str, Doc(minLength=1)]],
        Doc(
            "The published sources of the PEG and of the benchmarks.",
        ),
    ]


class ByDose(TypedDict):
    """The days at one dose taken."""

    dose_mg: Annotated[float, Exact("The dose taken, in mg.", exclusiveMinimum=0)]
    days_taken: Annotated[int, Doc("The days this dose was taken (count).", minimum=1)]
    days_scored: Annotated[int, Doc("Of those, the days with a pain score (count).", minimum=0)]
    pain_mean: Annotated[
        float | None,
        Exact(
            "The mean pain score of those days, or null from fewer than 3 days.",
            minimum=0,
            maximum=10,
        ),
    ]
    peg_mean: Annotated[
        float | None,
        Exact(
            "The mean PEG score of those days with all three items, or null from fewer "
            "than 3 days.",
            minimum=0,
            maximum=10,
        ),
    ]
    side_effects: Annotated[
        dict[str, Annotated[int, Doc(minimum=1)]],
        Doc(
            "Each side effect recorded on those days, and on how many of them (count).",
        ),
    ]


class ReportObject(_ReportDays):
    """The trial judged ('ldncalc report --json'): baseline and evaluation, the change of
    pain and PEG read against the IMMPACT benchmarks, the PGIC, and the figures at each dose
    taken. Figures, never advice: the prescriber decides.
    """

    schema: str
    review_date: Annotated[
        IsoDate | None,
        Doc(
            "The day the trial is judged (eight weeks at the final dose), or null when "
            "none is set.",
        ),
    ]
    trial: Trial
    by_dose: Annotated[
        list[ByDose],
        Doc(
            "Each dose taken in the report's period (a day's doses together), in rising order.",
        ),
    ]
    disclaimer: Disclaimer


class CheckObject(TypedDict):
    """Whether the diary file is sound ('ldncalc data check --json')."""

    schema: str
    path: Annotated[str, Doc("The diary file checked.", minLength=1)]
    problems: Annotated[
        list[Annotated[str, Doc(minLength=1)]],
        Doc(
            "What is wrong, one line each; empty when the file is sound (or does not exist yet).",
        ),
    ]


class KitSyringe(TypedDict):
    """A syringe the person owns."""

    label: Annotated[str, Doc("The syringe in words, e.g. '1 mL (0.01 mL marks)'.", minLength=1)]
    capacity_ml: Annotated[float, Exact("The syringe's capacity, in mL.", exclusiveMinimum=0)]
    graduation_ml: Annotated[
        float, Exact("The distance between its marks, in mL.", exclusiveMinimum=0)
    ]


class KitScale(TypedDict):
    """The person's kitchen scale."""

    division_g: Annotated[
        float, Exact("The scale's division (what it reads to), in g.", exclusiveMinimum=0)
    ]
    accuracy_g: Annotated[
        float,
        Exact("How far the scale may be off, in g (one division unless stated).", minimum=0),
    ]


class KitObject(TypedDict):
    """A profile's kit: the syringes it owns, its scale, the hour of its dose ('ldncalc kit')."""

    schema: str
    profile: Annotated[str, Doc("The profile whose kit this is.", minLength=1)]
    syringes: Annotated[
        list[KitSyringe],
        Doc(
            "The syringes the person owns, smallest first; empty when none is recorded (each "
            "command then chooses from the common sizes)."
        ),
    ]
    scale: Annotated[
        KitScale | None,
        Doc("The kitchen scale, or null when the water is measured by volume."),
    ]
    dose_time: Annotated[
        str | None,
        Doc(
            "The hour of the dose, HH:MM on the 24-hour clock in local time, or null when "
            "none is set.",
            pattern="^([01][0-9]|2[0-3]):[0-5][0-9]$",
        ),
    ]
    disclaimer: Disclaimer


class HistoryEntry(TypedDict):
    """One diary entry: a fact, never changed once recorded."""

    id: Annotated[int, Doc("The entry's id, for 'ldncalc undo ID' (count).", minimum=1)]
    date: Annotated[IsoDate, Doc("The calendar date the entry is about (YYYY-MM-DD).")]
    kind: Annotated[Kind, Doc("What the entry records.")]
    recorded_at: Annotated[str, Doc("When it was recorded (ISO 8601, UTC).", minLength=20)]
    text: Annotated[str, Doc("The entry in words.", minLength=1)]
    undone_by: Annotated[
        int | None,
        Doc(
            "The id of the undo that cancels this entry, or null when it stands (count).",
            minimum=1,
        ),
    ]
    # Its schema, by kind, comes from the entries' types (ldncalc.diary.codec).
    payload: dict[str, Any]


class HistoryDay(TypedDict):
    """One day."""

    date: Annotated[IsoDate, Doc("The day (YYYY-MM-DD).")]
    planned_dose_mg: Annotated[
        float | None,
        Exact("The dose planned that day, in mg, or null.", exclusiveMinimum=0),
    ]
    taken_dose_mg: Annotated[
        float | None,
        Exact(
            "The dose recorded as taken that day (all doses together), in mg, or null.",
            exclusiveMinimum=0,
        ),
    ]
    missed: Annotated[bool, Doc("Whether the day's dose is recorded as missed.")]
    scores: Annotated[
        dict[str, Annotated[int, Doc(minimum=0, maximum=10)]],
        Doc("Scores noted that day by name, each from 0 (none) to 10 (worst)."),
    ]
    pgic: Annotated[
        int | None,
        Doc(
            "The Patient Global Impression of Change recorded that day (the last recorded), "
            "1 very much improved to 7 very much worse, 4 no change; or null.",
            minimum=1,
            maximum=7,
        ),
    ]
    side_effects: Annotated[
        list[Annotated[str, Doc(minLength=1)]], Doc("Side effects noted that day.")
    ]


class HistoryObject(TypedDict):
    """The diary ('ldncalc history --json'): every entry in date order with its id, and each
    day's planned and taken doses and scores.
    """

    schema: str
    entries: Annotated[
        list[HistoryEntry], Doc("Every entry about a day of the period, in date order.")
    ]
    days: Annotated[
        list[HistoryDay],
        Doc("The period day by day, in days from its first to its last: one object a day."),
    ]
    disclaimer: Disclaimer
