"""The diary's entries: typed facts, checked when they are made.

Each payload class below is the one definition of its shape. Its fields'
type hints say what is stored (``Fraction`` as exact text, ``date`` as
YYYY-MM-DD, tuples as JSON arrays), and ``Annotated`` metadata says the rest:
``Doc`` the words of the JSON Schema, ``Between`` an integer's range and
``Most`` a limit on a text's characters or a sequence's items (checked by
``__post_init__`` with the same object, so the limit and its message live in
one place). ``ldncalc.diary.codec`` derives the encoder, the strict decoder and
the JSON Schema from these hints; nothing spells a shape a second time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, get_args

from ldncalc.dates import EARLIEST, LATEST
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.frozen import frozen

if TYPE_CHECKING:
    from ldncalc.errors import ErrorCode
from ldncalc.diary.fields import EXACT_TEXT as _MG
from ldncalc.diary.fields import Between, Doc, Most
from ldncalc.diary.fields import exact_number as _fraction
from ldncalc.diary.fields import positive_number as _positive
from ldncalc.diary.kit_entries import KitScale, KitSyringeAdded, KitSyringeRemoved, KitTime
from ldncalc.notation import format_dose_mg

__all__ = [
    "ACTIONS",
    "FALLBACK_STEP_DAYS",
    "KINDS",
    "KIND_OF",
    "KIT_KINDS",
    "MAX_CLIMB_DAYS",
    "MAX_DILUTION_STAGE",
    "MAX_DOSE_MG",
    "MAX_HOLD_DAYS",
    "MAX_KEEP_DAYS",
    "MAX_NOTE_CHARS",
    "MAX_REASON_CHARS",
    "MAX_SCORES",
    "MAX_SCORE_NAME_CHARS",
    "MAX_SIDE_EFFECTS",
    "MAX_SIDE_EFFECT_CHARS",
    "PEG_ITEMS",
    "PGIC_MAX",
    "PGIC_MIN",
    "REVIEW_AFTER_DAYS",
    "SCORE_MAX",
    "SCORE_MIN",
    "Action",
    "Adjust",
    "Between",
    "Diluted",
    "Doc",
    "Entry",
    "Kind",
    "Missed",
    "Mixed",
    "Most",
    "Note",
    "Payload",
    "PlanStarted",
    "Took",
    "Undo",
    "pgic_value",
    "score_pairs",
]


REVIEW_AFTER_DAYS = 56  # 8 weeks at the final dose: when the trial is judged (DOMAIN.md)
MAX_DOSE_MG = Fraction(50)  # a whole tablet: far above any low dose, so a typing slip
MAX_CLIMB_DAYS = 730  # as titration.MAX_CLIMB_DAYS: a climb of two years is no titration
MAX_HOLD_DAYS = 3653  # as titration.MAX_HOLD_DAYS: ten years
MAX_KEEP_DAYS = 90  # as plan.keeping.MAX_KEEP_DAYS: the longest keep period ldncalc plans
FALLBACK_STEP_DAYS = 7  # a week, the commonest step, when the plan has no step to copy
SCORE_MIN = 0  # none
SCORE_MAX = 10  # worst imaginable
# The PEG's three items (Krebs et al. 2009), notes' scores by these names.
PEG_ITEMS = ("pain", "enjoyment", "activity")
PGIC_MIN = 1  # very much improved (Patient Global Impression of Change)
PGIC_MAX = 7  # very much worse; 4 is no change
MAX_DILUTION_STAGE = 2  # ldncalc dilutes in one or two stages
# Limits on text (issue 20): far above what a person types, far below what
# makes a diary, a report or an import slow or huge. Typed input and imports
# alike are refused with the limit named.
MAX_NOTE_CHARS = 10_000  # a long letter; a note is a day's words
MAX_SIDE_EFFECT_CHARS = 200  # a side effect is a name ("vivid dreams"), not a story
MAX_SIDE_EFFECTS = 100
MAX_SCORE_NAME_CHARS = 50  # a score is a column and a chart's label: a word or two
MAX_SCORES = 100
MAX_REASON_CHARS = 500  # why a plan changed, in a sentence or three
_Date: TypeAlias = date  # for classes whose field named ``date`` hides the type
_ONE = timedelta(days=1)
# The years a diary is about, as the commands read them; far from date.max, so
# that plans laid after the last day still fit.
_EARLIEST, _LATEST = EARLIEST, LATEST

Kind: TypeAlias = Literal[
    "plan",
    "took",
    "missed",
    "mixed",
    "diluted",
    "note",
    "adjust",
    "undo",
    "kit-add",
    "kit-remove",
    "kit-scale",
    "kit-time",
]
Action: TypeAlias = Literal["back", "hold", "resume", "slower", "target", "dose", "stop"]
KINDS: tuple[Kind, ...] = get_args(Kind)
ACTIONS: tuple[Action, ...] = get_args(Action)
KIT_KINDS: tuple[Kind, ...] = ("kit-add", "kit-remove", "kit-scale", "kit-time")
"""The kinds that change the profile's kit (ldncalc.diary.kit folds them): no day's record."""


_NOTE_TEXT = Most(
    MAX_NOTE_CHARS, "a note's text is at most {most:,} characters (this one has {n:,})"
)
_SIDE_EFFECT = Most(
    MAX_SIDE_EFFECT_CHARS, "a side effect is at most {most:,} characters (this one has {n:,})"
)
_SIDE_EFFECTS = Most(
    MAX_SIDE_EFFECTS, "a note has at most {most:,} side effects (this one has {n:,})"
)
_SCORE_NAME = Most(
    MAX_SCORE_NAME_CHARS, "a score's name is at most {most:,} characters (this one has {n:,})"
)
_SCORES = Most(MAX_SCORES, "a note has at most {most:,} scores (this one has {n:,})")
_REASON = Most(MAX_REASON_CHARS, "a reason is at most {most:,} characters (this one has {n:,})")


# --------------------------------------------------------------------------- checks


def _positive_dose(value: object, what: str) -> Fraction:
    dose = _fraction(value, what)
    if dose <= 0:
        raise InvalidInputError(f"{what} must be more than zero", code="dose-not-positive")
    if dose > MAX_DOSE_MG:
        raise RefusedError(
            f"{what} of {format_dose_mg(dose)} is above {format_dose_mg(MAX_DOSE_MG)}, "
            "a whole tablet: not a low dose; check the unit",
            code="above-tablet",
        )
    return dose


def _days(value: object, what: str, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(
            f"{what} must be a whole number of days, not {value!r}", code="number-out-of-range"
        )
    if not 1 <= value <= most:
        raise InvalidInputError(
            f"{what} must be 1 to {most} days, not {value}", code="number-out-of-range"
        )
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{what} must be some text", code="note-empty")
    return value


def _date(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInputError(
            f"{what} must be a calendar date, not {value!r}", code="date-out-of-range"
        )
    if not _EARLIEST <= value <= _LATEST:
        raise InvalidInputError(
            f"{what} {value.isoformat()} is out of range", code="date-out-of-range"
        )
    return value


# --------------------------------------------------------------------------- entries


@frozen
class PlanStarted:
    """A plan started: the protocol's climb, its target and hold, and the liquid's settings."""

    climb: Annotated[
        tuple[tuple[Fraction, Annotated[int, Between(1, MAX_CLIMB_DAYS)]], ...],
        Doc(f"The steps below the target, in order: each its dose in mg {_MG} and its days."),
    ]
    target_mg: Annotated[Fraction, Doc(f"The dose reached and held, in mg {_MG}.")]
    hold_days: Annotated[
        int,
        Between(1, MAX_HOLD_DAYS),
        Doc("How long the target is held from its first day, in days."),
    ]
    protocol_id: Annotated[str, Doc("The protocol's id ('custom' for one's own steps).")]
    protocol_title: Annotated[str, Doc("The protocol's title, as shown to the person.")]
    start_date: Annotated[date, Doc("Day 1 of the plan (YYYY-MM-DD).")]
    tablets: Annotated[int, Between(1), Doc("Tablets dissolved in one bottle (count).")]
    strength_mg: Annotated[Fraction, Doc(f"One tablet's labelled strength, in mg {_MG}.")]
    water_ml: Annotated[Fraction, Doc(f"Water added to one bottle, in mL {_MG}.")]
    syringe_ml: Annotated[
        Fraction | None,
        Doc(f"The syringe's capacity, in mL {_MG}; null: the smallest that holds the dose."),
    ]
    graduation_ml: Annotated[
        Fraction | None,
        Doc(f"The spacing of the syringe's marks, in mL {_MG}; null with syringe_ml."),
    ]
    keep_days: Annotated[
        int,
        Between(1, MAX_KEEP_DAYS),
        Doc("How long a bottle keeps, the mixing day being day 1, in days."),
    ]

    def __post_init__(self) -> None:
        if not isinstance(self.climb, tuple):
            raise InvalidInputError("the climb must be a sequence of steps", code="entry-invalid")
        target = _positive_dose(self.target_mg, "the target")
        object.__setattr__(self, "target_mg", target)
        climb: list[tuple[Fraction, int]] = []
        for step in self.climb:
            if not isinstance(step, tuple) or len(step) != 2:
                raise InvalidInputError(
                    "each step of the climb must be a dose and days", code="entry-invalid"
                )
            dose = _positive_dose(step[0], "a step's dose")
            days = _days(step[1], "a step", MAX_CLIMB_DAYS)
            if climb and dose <= climb[-1][0]:
                raise InvalidInputError("the steps of the climb must go up", code="entry-invalid")
            if dose >= target:
                raise InvalidInputError(
                    f"a step of {format_dose_mg(dose)} is not below the target "
                    f"({format_dose_mg(target)})",
                    code="entry-invalid",
                )
            climb.append((dose, days))
        if sum(days for _, days in climb) > MAX_CLIMB_DAYS:
            raise RefusedError(
                f"the climb lasts more than {MAX_CLIMB_DAYS} days (two years): not a titration",
                code="climb-too-long",
            )
        object.__setattr__(self, "climb", tuple(climb))
        _days(self.hold_days, "the hold at the target", MAX_HOLD_DAYS)
        _text(self.protocol_id, "the protocol's id")
        _text(self.protocol_title, "the protocol's title")
        _date(self.start_date, "the start date")
        _check_preparation(self.tablets, self.strength_mg, self.water_ml, self.keep_days)
        object.__setattr__(self, "strength_mg", _positive(self.strength_mg, "the strength"))
        object.__setattr__(self, "water_ml", _positive(self.water_ml, "the water"))
        if (self.syringe_ml is None) != (self.graduation_ml is None):
            raise InvalidInputError(
                "a syringe needs both its capacity and its graduation", code="entry-invalid"
            )
        if self.syringe_ml is not None and self.graduation_ml is not None:
            capacity = _positive(self.syringe_ml, "the syringe's capacity")
            graduation = _positive(self.graduation_ml, "the syringe's graduation")
            if graduation > capacity:
                raise InvalidInputError(
                    "the syringe's graduation is larger than the syringe", code="entry-invalid"
                )
            object.__setattr__(self, "syringe_ml", capacity)
            object.__setattr__(self, "graduation_ml", graduation)


def _check_preparation(tablets: object, strength: object, water: object, keep: object) -> None:
    if isinstance(tablets, bool) or not isinstance(tablets, int) or tablets < 1:
        raise InvalidInputError(
            f"the tablets must be a whole number from 1, not {tablets!r}", code="entry-invalid"
        )
    _positive(strength, "the strength")
    _positive(water, "the water")
    _days(keep, "the keep period", MAX_KEEP_DAYS)


@frozen
class Took:
    """A dose taken; ``dose_mg`` None means the dose planned on that day."""

    dose_mg: Annotated[
        Fraction | None, Doc(f"The dose taken, in mg {_MG}; null: the dose planned that day.")
    ] = None

    def __post_init__(self) -> None:
        if self.dose_mg is not None:
            object.__setattr__(self, "dose_mg", _positive_dose(self.dose_mg, "the dose taken"))


@frozen
class Missed:
    """A dose missed (skipped, never doubled)."""


@frozen
class Mixed:
    """A batch of liquid made: its keep period starts on the entry's day."""

    tablets: Annotated[int, Between(1), Doc("Tablets dissolved (count).")]
    strength_mg: Annotated[Fraction, Doc(f"One tablet's labelled strength, in mg {_MG}.")]
    water_ml: Annotated[Fraction, Doc(f"Water added, in mL {_MG}.")]
    keep_days: Annotated[
        int,
        Between(1, MAX_KEEP_DAYS),
        Doc("How long the bottle keeps, the mixing day being day 1, in days."),
    ]

    def __post_init__(self) -> None:
        _check_preparation(self.tablets, self.strength_mg, self.water_ml, self.keep_days)
        object.__setattr__(self, "strength_mg", _positive(self.strength_mg, "the strength"))
        object.__setattr__(self, "water_ml", _positive(self.water_ml, "the water"))


@frozen
class Diluted:
    """A diluted liquid made: ``source_ml`` of a liquid at ``source_mg_per_ml`` plus water.

    ``stage`` is 1 for a dilution of the stock, 2 for a dilution of a dilution.
    Its keep period starts on the entry's day, as a bottle's does.
    """

    source_mg_per_ml: Annotated[
        Fraction, Doc(f"The concentration of the liquid diluted, in mg/mL {_MG}.")
    ]
    source_ml: Annotated[Fraction, Doc(f"The liquid taken, in mL {_MG}.")]
    water_ml: Annotated[Fraction, Doc(f"Water added, in mL {_MG}.")]
    keep_days: Annotated[
        int,
        Between(1, MAX_KEEP_DAYS),
        Doc("How long the dilution keeps, the day it is made being day 1, in days."),
    ]
    stage: Annotated[
        int,
        Between(1, MAX_DILUTION_STAGE),
        Doc("1: a dilution of the stock; 2: a dilution of a dilution."),
    ] = 1

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "source_mg_per_ml", _positive(self.source_mg_per_ml, "the liquid diluted")
        )
        object.__setattr__(self, "source_ml", _positive(self.source_ml, "the liquid taken"))
        object.__setattr__(self, "water_ml", _positive(self.water_ml, "the water"))
        _days(self.keep_days, "the keep period", MAX_KEEP_DAYS)
        if isinstance(self.stage, bool) or self.stage not in range(1, MAX_DILUTION_STAGE + 1):
            raise InvalidInputError(
                f"a dilution's stage is 1 or {MAX_DILUTION_STAGE}, not {self.stage!r}",
                code="entry-invalid",
            )

    @property
    def volume_ml(self) -> Fraction:
        """Return the liquid made: the liquid taken plus the water."""
        return self.source_ml + self.water_ml

    @property
    def concentration_mg_per_ml(self) -> Fraction:
        """Return the diluted liquid's exact concentration."""
        return self.source_mg_per_ml * self.source_ml / self.volume_ml


def score_pairs(scores: object) -> tuple[tuple[str, int], ...]:
    """Return a note's scores as (name, value) pairs: names trimmed and lower-cased.

    ``scores`` is a mapping or pairs of a name and a value, a whole number
    from 0 (none) to 10 (worst), or its digits as text (``"7"``). Two names
    that differ only in case are the same score, given twice.

    Raises:
        ArgumentTypeError: not pairs of text and a number.
        InvalidInputError: a value out of range, a name empty or given twice.
    """
    from collections.abc import Iterable, Mapping

    from ldncalc.errors import ArgumentTypeError

    if isinstance(scores, Mapping):
        items: list[object] = list(scores.items())
    elif isinstance(scores, Iterable) and not isinstance(scores, str | bytes):
        items = list(scores)
    else:
        raise ArgumentTypeError(
            f"scores must be a mapping of names to numbers, or (name, number) pairs, not "
            f"{type(scores).__name__}"
        )
    pairs: list[tuple[str, int]] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, tuple) or len(item) != 2 or not isinstance(item[0], str):
            raise ArgumentTypeError(f"each score must be a (name, number) pair, not {item!r}")
        given, value = item
        name = given.strip().lower()
        if not name:
            raise InvalidInputError(f"a score needs a name, not {given!r}", code="score-name")
        if name in seen:
            raise InvalidInputError(f"the score {name!r} is given twice", code="score-twice")
        seen.add(name)
        pairs.append((name, _whole(value, SCORE_MIN, SCORE_MAX, _score_says(given.strip()))))
    return tuple(pairs)


def pgic_value(value: object) -> int | None:
    """Return the PGIC given (a whole number 1 to 7, or its digit as text), or None."""
    if value is None:
        return None
    says = (
        f"the PGIC is a whole number from {PGIC_MIN} (very much improved) to {PGIC_MAX} "
        "(very much worse), 4 no change, not {value!r}"
    )
    return _whole(value, PGIC_MIN, PGIC_MAX, says, code="pgic-out-of-range")


def _score_says(name: str) -> str:
    return (
        f"the {name} score is a whole number from {SCORE_MIN} (none) to {SCORE_MAX} (worst), "
        "not {value!r}"
    )


def _whole(
    value: object, low: int, high: int, says: str, code: ErrorCode = "score-out-of-range"
) -> int:
    """Return a whole number from ``low`` to ``high``, given as an int or its digits as text."""
    from ldncalc.errors import ArgumentTypeError

    number: int | None = None
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and text.isascii() and len(text) <= 2:
            number = int(text)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raise ArgumentTypeError(says.replace("{value!r}", repr(value)))
    if number is None or not low <= number <= high:
        # Not str.format: a score's name in ``says`` may hold braces.
        raise InvalidInputError(says.replace("{value!r}", repr(value)), code=code)
    return number


@frozen
class Note:
    """A note: free text, scores 0 to 10 (0 none, 10 worst), side effects, and the PGIC.

    ``pgic`` is the Patient Global Impression of Change, 1 (very much improved)
    to 7 (very much worse), 4 no change; None when not recorded.
    """

    text: Annotated[str, _NOTE_TEXT, Doc("Free text, in the person's words (may be empty).")] = ""
    scores: Annotated[
        tuple[
            tuple[
                Annotated[str, _SCORE_NAME],
                Annotated[int, Between(SCORE_MIN, SCORE_MAX)],
            ],
            ...,
        ],
        _SCORES,
        Doc("Scores, each a name and a whole number from 0 (none) to 10 (worst)."),
    ] = ()
    side_effects: Annotated[
        tuple[Annotated[str, _SIDE_EFFECT], ...],
        _SIDE_EFFECTS,
        Doc("Side effects, each in a few words (e.g. vivid dreams)."),
    ] = ()
    pgic: Annotated[
        int | None,
        Between(PGIC_MIN, PGIC_MAX),
        Doc(
            "The Patient Global Impression of Change: 1 (very much improved) to 7 "
            "(very much worse), 4 no change; null when not recorded."
        ),
    ] = None

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise InvalidInputError("a note's text must be text", code="note-empty")
        if not isinstance(self.scores, tuple) or not isinstance(self.side_effects, tuple):
            raise InvalidInputError(
                "a note's scores and side effects must be sequences", code="score-name"
            )
        _NOTE_TEXT.check(self.text)
        _SCORES.check(self.scores)
        _SIDE_EFFECTS.check(self.side_effects)
        names: set[str] = set()
        for pair in self.scores:
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise InvalidInputError("each score must be a name and a number", code="score-name")
            name, value = pair
            _text(name, "a score's name")
            _SCORE_NAME.check(name)
            if name in names:
                raise InvalidInputError(f"the score {name!r} is given twice", code="score-twice")
            names.add(name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidInputError(
                    f"the score {name!r} must be a whole number", code="score-out-of-range"
                )
            if not SCORE_MIN <= value <= SCORE_MAX:
                raise InvalidInputError(
                    f"the score {name!r} must be {SCORE_MIN} to {SCORE_MAX} "
                    f"({SCORE_MIN} none, {SCORE_MAX} worst), not {value}",
                    code="score-out-of-range",
                )
        for effect in self.side_effects:
            _text(effect, "a side effect")
            _SIDE_EFFECT.check(effect)
        if self.pgic is not None and (
            isinstance(self.pgic, bool)
            or not isinstance(self.pgic, int)
            or not PGIC_MIN <= self.pgic <= PGIC_MAX
        ):
            raise InvalidInputError(
                f"the PGIC is a whole number from {PGIC_MIN} (very much improved) to "
                f"{PGIC_MAX} (very much worse), not {self.pgic!r}",
                code="pgic-out-of-range",
            )
        if (
            not self.text.strip()
            and not self.scores
            and not self.side_effects
            and self.pgic is None
        ):
            raise InvalidInputError(
                "a note needs some text, a score, a side effect or the PGIC", code="note-empty"
            )


@frozen
class Adjust:
    """An adjustment of the plan from the entry's day on (see the module's rules)."""

    action: Annotated[Action, Doc("What changes: back, hold, resume, slower, target, dose, stop.")]
    dose_mg: Annotated[
        Fraction | None, Doc(f"For target and dose: the dose, in mg {_MG}; else null.")
    ] = None
    step_mg: Annotated[
        Fraction | None,
        Doc(f"For slower: a smaller increase per step, in mg {_MG}; null keeps the steps."),
    ] = None
    every_days: Annotated[
        int | None,
        Between(1, MAX_CLIMB_DAYS),
        Doc("For slower: the time between steps, in days; else null."),
    ] = None
    for_days: Annotated[
        int | None,
        Between(1, MAX_HOLD_DAYS),
        Doc("For hold: how long before the climb resumes, in days; null: until resume."),
    ] = None
    reason: Annotated[
        str | None, _REASON, Doc("Why, in the person's words (e.g. insomnia), or null.")
    ] = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise InvalidInputError(
                f"no adjustment {self.action!r}; choose one of: {', '.join(ACTIONS)}",
                code="unknown-action",
            )
        wanted = {
            "dose_mg": self.action in ("target", "dose"),
            "step_mg": self.action == "slower",
            "every_days": self.action == "slower",
            "for_days": self.action == "hold",
        }
        for name, allowed in wanted.items():
            if not allowed and getattr(self, name) is not None:
                raise InvalidInputError(
                    f"a {self.action} adjustment takes no {name.replace('_', ' ')}",
                    code="action-options",
                )
        if self.action in ("target", "dose"):
            if self.dose_mg is None:
                raise InvalidInputError(
                    f"a {self.action} adjustment needs a dose", code="action-options"
                )
            what = "the target" if self.action == "target" else "the dose"
            object.__setattr__(self, "dose_mg", _positive_dose(self.dose_mg, what))
        if self.action == "slower":
            if self.every_days is None:
                raise InvalidInputError(
                    "a slower climb needs the days between steps", code="action-options"
                )
            _days(self.every_days, "the interval between steps", MAX_CLIMB_DAYS)
            if self.step_mg is not None:
                object.__setattr__(self, "step_mg", _positive_dose(self.step_mg, "the step"))
        if self.for_days is not None:
            _days(self.for_days, "the hold", MAX_HOLD_DAYS)
        if self.reason is not None:
            _text(self.reason, "the reason")
            _REASON.check(self.reason)


@frozen
class Undo:
    """A correction: cancels the entry ``target_uid`` (an undone undo restores its target)."""

    target_uid: Annotated[str, Doc("The uid of the entry this one cancels.")]

    def __post_init__(self) -> None:
        _text(self.target_uid, "the entry to undo")


Payload: TypeAlias = (
    PlanStarted
    | Took
    | Missed
    | Mixed
    | Diluted
    | Note
    | Adjust
    | Undo
    | KitSyringeAdded
    | KitSyringeRemoved
    | KitScale
    | KitTime
)

KIND_OF: dict[type[Any], Kind] = {
    PlanStarted: "plan",
    Took: "took",
    Missed: "missed",
    Mixed: "mixed",
    Diluted: "diluted",
    Note: "note",
    Adjust: "adjust",
    Undo: "undo",
    KitSyringeAdded: "kit-add",
    KitSyringeRemoved: "kit-remove",
    KitScale: "kit-scale",
    KitTime: "kit-time",
}
"""The kind of each payload class (the codec stores and reads a payload by it)."""


@frozen
class Entry:
    """One fact of the diary: its ids, the calendar date it is about, when it was recorded."""

    uid: str
    id: int
    day: date
    recorded_at: datetime
    payload: Payload

    def __post_init__(self) -> None:
        _text(self.uid, "an entry's uid")
        if isinstance(self.id, bool) or not isinstance(self.id, int):
            raise InvalidInputError(
                f"an entry's id must be a whole number, not {self.id!r}", code="entry-invalid"
            )
        _date(self.day, "an entry's date")
        if not isinstance(self.recorded_at, datetime):
            raise InvalidInputError(
                "an entry's recording time must be a date and time", code="entry-invalid"
            )
        if type(self.payload) not in KIND_OF:
            raise InvalidInputError(
                f"an entry cannot hold {type(self.payload).__name__}", code="entry-invalid"
            )

    @property
    def kind(self) -> Kind:
        """Return the entry's kind: plan, took, missed, mixed, note, adjust or undo."""
        return KIND_OF[type(self.payload)]
