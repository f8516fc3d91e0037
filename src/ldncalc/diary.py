"""The dose diary: entries are facts, and the plan of any day is a pure function of them.

Nothing here reads or writes files, opens a database or prints: the store keeps
the entries (``encode_payload`` text) and the CLI shows what ``replan`` and the
queries compute. Every dose is an exact ``Fraction`` of a mg; every length whole days.

Entries
-------
An ``Entry`` is one fact: a plan started, a dose taken or missed, a batch mixed, a
note (scores 0 to 10: 0 none, 10 worst), an adjustment of the plan, or an undo.
Nothing is ever edited: an ``Undo`` cancels its target, and undoing an undo
restores it. Undone entries and the undos themselves take no part in the plan or
the queries (``active_entries``). A ``Took`` without a dose means the dose the
current plan gives its day; record the dose itself for a record whose meaning can
never change after a re-plan.

Which entries shape the plan
----------------------------
Only plans and adjustments move planned doses. Took, missed, mixed and note never
do: a missed dose is skipped, never doubled, and nothing shifts after it.

1. The latest plan (by id) is ``LivingPlan.plan``. A plan replaces what was planned
   from its start date on; the days before keep the older plan, as history. So a
   plan masks every older plan starting on or after its start, and every
   adjustment recorded before it (smaller id) dated on or after its start: those
   were about the plan it replaced (``LivingPlan.superseded_ids``).
2. The other plans and adjustments are applied in (day, id) order, a plan's day
   being its start date. Each rewrites the days from its day on, never an earlier
   day, starting from the dose planned on its day: the *current dose* c.
3. An adjustment dated before the first plan's start is invalid.

Segments
--------
``LivingPlan.segments`` run without gap or overlap from the first plan's start to
the last day with a dose. Days without a dose in between (after a stop and before
a restart, or between an ended plan and a later one) form segments whose dose is
None. A segment's ``reason`` is the description of the change that made it (the
adjustment's words, then its reason in brackets: "back to 2 mg (side effects:
insomnia)"); steps laid as the protocol has them, merely moved, have None.

Steps, the final dose and the review
------------------------------------
A plan climbs through its steps (dose, days), each below the target, then holds
the target. The dose the plan ends on is the *final dose*; its first day is the
first of the unbroken run of days at that dose within one plan.

- At the target, the plan lasts ``hold_days`` counted from the first day at it.
- An open hold (``hold`` without an end, or a prescriber's ``dose``, below the
  target) has no end: the plan shows the held dose to the review horizon, the day
  before the review date.
- Neither ever ends before the day of the change that made it.
- Review date: the first day at the final dose + ``REVIEW_AFTER_DAYS`` (56 days, 8
  weeks, when patient and prescriber judge the trial); None once stopped.

A *full step length at c* is the length of the step at c; if c is no step, of the
step below c, else of the first step, else ``FALLBACK_STEP_DAYS``.

Adjustments (at day D, current dose c, target T)
------------------------------------------------
- ``back``: from D, the dose of the step below c (the last one tolerated) for that
  step's full length; then the steps above it (the step that was left first), each
  its full length, then T: everything after moves later. With no step below c
  (the first step) it is refused. Ends a hold.
- ``hold``: from D no increase. Without ``for_days`` the hold is open, until
  ``resume`` (or ``back``, ``slower``, ``stop``, a new plan; ``dose`` starts its own
  hold). With it, the
  climb resumes by itself on D + for_days, as ``resume`` on that day would. A new
  hold replaces the one in force; at the target a hold changes no dose.
- ``resume`` (only while on hold): from D, a full step length at c, then the steps
  above c, then T; at the target, the target's hold goes on.
- ``slower`` (every_days, optional step_mg; only below the target): from D, c for
  every_days, then c + step_mg, c + 2 step_mg, ... below T (without step_mg: the
  doses of the steps above c), every_days each, then T: 1, 2, 3, 4, then 4.5 mg,
  the last step capped like a custom schedule. The new steps replace those from c
  up, so a later ``back`` goes down through them. A climb longer than
  ``MAX_CLIMB_DAYS`` is refused. Ends a hold.
- ``target`` (dose_mg): the new target; no day from D on is above it. If c is at
  or above it, the dose from D is the new target, held for ``hold_days`` from its
  first day. If c is below it: on an open hold the hold goes on; in a timed hold
  its days go on, then the climb resumes; otherwise the current step keeps its
  remaining days (at the old target: a full step length at c), then the steps
  below the new target, then the new target. After a stop or past the plan's end
  it only records the target.
- ``dose`` (dose_mg): the prescriber sets the dose from D and the plan holds it (an
  open hold; ``resume`` climbs on from it). A dose above T raises T to it. It also
  restarts a stopped or ended plan.
- ``stop``: no dose from D on (``LivingPlan.stopped_on``); refused if stopped already.
- ``back``, ``hold``, ``resume`` and ``slower`` need a dose planned on D.

Validation
----------
Values are checked when an entry is made: a dose or target at or below zero is
invalid, above ``MAX_DOSE_MG`` (a whole 50 mg tablet) refused. ``replan`` raises
``InvalidInputError`` for entries that contradict each other (no plan, an
adjustment before the start, shared ids, an undo of nothing) and ``RefusedError``
for an adjustment impossible on its day. Check a new entry by calling ``replan``
on the entries with it added, before saving it: stored entries then always replan.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Any, Literal, NamedTuple, TypeAlias, get_args

from ldncalc.errors import InvalidInputError, LdncalcError, RefusedError
from ldncalc.notation import format_dose_mg

__all__ = [
    "ACTIONS",
    "FALLBACK_STEP_DAYS",
    "KINDS",
    "MAX_CLIMB_DAYS",
    "MAX_DOSE_MG",
    "MAX_HOLD_DAYS",
    "NEVER_DOUBLE",
    "REVIEW_AFTER_DAYS",
    "SCORE_MAX",
    "SCORE_MIN",
    "Action",
    "Adherence",
    "Adjust",
    "Change",
    "DayStatus",
    "DoseDays",
    "Entry",
    "HistoryDay",
    "Kind",
    "LivingPlan",
    "Missed",
    "Mixed",
    "NextChange",
    "Note",
    "Payload",
    "PlanStarted",
    "PlannedSegment",
    "Took",
    "Undo",
    "active_entries",
    "adherence",
    "day_status",
    "days_at_each_dose",
    "decode_payload",
    "encode_payload",
    "history_days",
    "replan",
    "side_effects_by_date",
]

REVIEW_AFTER_DAYS = 56  # 8 weeks at the final dose: when the trial is judged (DOMAIN.md)
MAX_DOSE_MG = Fraction(50)  # a whole tablet: far above any low dose, so a typing slip
MAX_CLIMB_DAYS = 730  # as titration.MAX_CLIMB_DAYS: a climb of two years is no titration
MAX_HOLD_DAYS = 3653  # as titration.MAX_HOLD_DAYS: ten years
MAX_KEEP_DAYS = 90  # as supply.MAX_KEEP_DAYS: the longest keep period ldncalc plans
FALLBACK_STEP_DAYS = 7  # a week, the commonest step, when the plan has no step to copy
SCORE_MIN = 0  # none
SCORE_MAX = 10  # worst imaginable
_Date: TypeAlias = date  # for classes whose field named ``date`` hides the type
_ONE = timedelta(days=1)
_EARLIEST = date(1900, 1, 1)
_LATEST = date(2999, 12, 31)  # far from date.max, so that plans laid after it fit

Kind: TypeAlias = Literal["plan", "took", "missed", "mixed", "note", "adjust", "undo"]
Action: TypeAlias = Literal["back", "hold", "resume", "slower", "target", "dose", "stop"]
KINDS: tuple[Kind, ...] = get_args(Kind)
ACTIONS: tuple[Action, ...] = get_args(Action)


# --------------------------------------------------------------------------- checks


def _fraction(value: object, what: str) -> Fraction:
    if type(value) is Fraction:  # the common case, read from the diary: no copy needed
        return value
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise InvalidInputError(f"{what} must be an exact number, not {value!r}")
    return Fraction(value)


def _positive_dose(value: object, what: str) -> Fraction:
    dose = _fraction(value, what)
    if dose <= 0:
        raise InvalidInputError(f"{what} must be more than zero")
    if dose > MAX_DOSE_MG:
        raise RefusedError(
            f"{what} of {format_dose_mg(dose)} is above {format_dose_mg(MAX_DOSE_MG)}, "
            "a whole tablet: not a low dose; check the unit"
        )
    return dose


def _positive(value: object, what: str) -> Fraction:
    number = _fraction(value, what)
    if number <= 0:
        raise InvalidInputError(f"{what} must be more than zero")
    return number


def _days(value: object, what: str, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{what} must be a whole number of days, not {value!r}")
    if not 1 <= value <= most:
        raise InvalidInputError(f"{what} must be 1 to {most} days, not {value}")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{what} must be some text")
    return value


def _date(value: object, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInputError(f"{what} must be a calendar date, not {value!r}")
    if not _EARLIEST <= value <= _LATEST:
        raise InvalidInputError(f"{what} {value.isoformat()} is out of range")
    return value


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True, slots=True)
class PlanStarted:
    """A plan started: the protocol's climb, its target and hold, and the liquid's settings."""

    climb: tuple[tuple[Fraction, int], ...]
    target_mg: Fraction
    hold_days: int
    protocol_id: str
    protocol_title: str
    start_date: date
    tablets: int
    strength_mg: Fraction
    water_ml: Fraction
    syringe_ml: Fraction | None
    graduation_ml: Fraction | None
    keep_days: int

    def __post_init__(self) -> None:
        if not isinstance(self.climb, tuple):
            raise InvalidInputError("the climb must be a sequence of steps")
        target = _positive_dose(self.target_mg, "the target")
        object.__setattr__(self, "target_mg", target)
        climb: list[tuple[Fraction, int]] = []
        for step in self.climb:
            if not isinstance(step, tuple) or len(step) != 2:
                raise InvalidInputError("each step of the climb must be a dose and days")
            dose = _positive_dose(step[0], "a step's dose")
            days = _days(step[1], "a step", MAX_CLIMB_DAYS)
            if climb and dose <= climb[-1][0]:
                raise InvalidInputError("the steps of the climb must go up")
            if dose >= target:
                raise InvalidInputError(
                    f"a step of {format_dose_mg(dose)} is not below the target "
                    f"({format_dose_mg(target)})"
                )
            climb.append((dose, days))
        if sum(days for _, days in climb) > MAX_CLIMB_DAYS:
            raise RefusedError(
                f"the climb lasts more than {MAX_CLIMB_DAYS} days (two years): not a titration"
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
            raise InvalidInputError("a syringe needs both its capacity and its graduation")
        if self.syringe_ml is not None and self.graduation_ml is not None:
            capacity = _positive(self.syringe_ml, "the syringe's capacity")
            graduation = _positive(self.graduation_ml, "the syringe's graduation")
            if graduation > capacity:
                raise InvalidInputError("the syringe's graduation is larger than the syringe")
            object.__setattr__(self, "syringe_ml", capacity)
            object.__setattr__(self, "graduation_ml", graduation)


def _check_preparation(tablets: object, strength: object, water: object, keep: object) -> None:
    if isinstance(tablets, bool) or not isinstance(tablets, int) or tablets < 1:
        raise InvalidInputError(f"the tablets must be a whole number from 1, not {tablets!r}")
    _positive(strength, "the strength")
    _positive(water, "the water")
    _days(keep, "the keep period", MAX_KEEP_DAYS)


@dataclass(frozen=True, slots=True)
class Took:
    """A dose taken; ``dose_mg`` None means the dose planned on that day."""

    dose_mg: Fraction | None = None

    def __post_init__(self) -> None:
        if self.dose_mg is not None:
            object.__setattr__(self, "dose_mg", _positive_dose(self.dose_mg, "the dose taken"))


@dataclass(frozen=True, slots=True)
class Missed:
    """A dose missed (skipped, never doubled)."""


@dataclass(frozen=True, slots=True)
class Mixed:
    """A batch of liquid made: its keep period starts on the entry's day."""

    tablets: int
    strength_mg: Fraction
    water_ml: Fraction
    keep_days: int

    def __post_init__(self) -> None:
        _check_preparation(self.tablets, self.strength_mg, self.water_ml, self.keep_days)
        object.__setattr__(self, "strength_mg", _positive(self.strength_mg, "the strength"))
        object.__setattr__(self, "water_ml", _positive(self.water_ml, "the water"))


@dataclass(frozen=True, slots=True)
class Note:
    """A note: free text, scores 0 to 10 (0 none, 10 worst) and side effects."""

    text: str = ""
    scores: tuple[tuple[str, int], ...] = ()
    side_effects: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise InvalidInputError("a note's text must be text")
        if not isinstance(self.scores, tuple) or not isinstance(self.side_effects, tuple):
            raise InvalidInputError("a note's scores and side effects must be sequences")
        names: set[str] = set()
        for pair in self.scores:
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise InvalidInputError("each score must be a name and a number")
            name, value = pair
            _text(name, "a score's name")
            if name in names:
                raise InvalidInputError(f"the score {name!r} is given twice")
            names.add(name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidInputError(f"the score {name!r} must be a whole number")
            if not SCORE_MIN <= value <= SCORE_MAX:
                raise InvalidInputError(
                    f"the score {name!r} must be {SCORE_MIN} to {SCORE_MAX} "
                    f"({SCORE_MIN} none, {SCORE_MAX} worst), not {value}"
                )
        for effect in self.side_effects:
            _text(effect, "a side effect")
        if not self.text.strip() and not self.scores and not self.side_effects:
            raise InvalidInputError("a note needs some text, a score or a side effect")


@dataclass(frozen=True, slots=True)
class Adjust:
    """An adjustment of the plan from the entry's day on (see the module's rules)."""

    action: Action
    dose_mg: Fraction | None = None
    step_mg: Fraction | None = None
    every_days: int | None = None
    for_days: int | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise InvalidInputError(
                f"no adjustment {self.action!r}; choose one of: {', '.join(ACTIONS)}"
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
                    f"a {self.action} adjustment takes no {name.replace('_', ' ')}"
                )
        if self.action in ("target", "dose"):
            if self.dose_mg is None:
                raise InvalidInputError(f"a {self.action} adjustment needs a dose")
            what = "the target" if self.action == "target" else "the dose"
            object.__setattr__(self, "dose_mg", _positive_dose(self.dose_mg, what))
        if self.action == "slower":
            if self.every_days is None:
                raise InvalidInputError("a slower climb needs the days between steps")
            _days(self.every_days, "the interval between steps", MAX_CLIMB_DAYS)
            if self.step_mg is not None:
                object.__setattr__(self, "step_mg", _positive_dose(self.step_mg, "the step"))
        if self.for_days is not None:
            _days(self.for_days, "the hold", MAX_HOLD_DAYS)
        if self.reason is not None:
            _text(self.reason, "the reason")


@dataclass(frozen=True, slots=True)
class Undo:
    """A correction: cancels the entry ``target_uid`` (an undone undo restores its target)."""

    target_uid: str

    def __post_init__(self) -> None:
        _text(self.target_uid, "the entry to undo")


Payload: TypeAlias = PlanStarted | Took | Missed | Mixed | Note | Adjust | Undo

_KIND_OF: dict[type[Any], Kind] = {
    PlanStarted: "plan",
    Took: "took",
    Missed: "missed",
    Mixed: "mixed",
    Note: "note",
    Adjust: "adjust",
    Undo: "undo",
}


@dataclass(frozen=True, slots=True)
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
            raise InvalidInputError(f"an entry's id must be a whole number, not {self.id!r}")
        _date(self.day, "an entry's date")
        if not isinstance(self.recorded_at, datetime):
            raise InvalidInputError("an entry's recording time must be a date and time")
        if type(self.payload) not in _KIND_OF:
            raise InvalidInputError(f"an entry cannot hold {type(self.payload).__name__}")

    @property
    def kind(self) -> Kind:
        """Return the entry's kind: plan, took, missed, mixed, note, adjust or undo."""
        return _KIND_OF[type(self.payload)]


# --------------------------------------------------------------------------- codec

_DECIMAL = re.compile(r"\d{1,20}(\.\d{1,20})?")
_RATIO = re.compile(r"\d{1,20}/[1-9]\d{0,19}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _fraction_text(value: Fraction) -> str:
    """Write ``value`` exactly: a decimal when it ends ("4.5"), else a ratio ("1/3")."""
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    if places == 0:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    whole, frac = divmod((abs(value) * 10**places).numerator, 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def _opt_fraction_text(value: Fraction | None) -> str | None:
    return None if value is None else _fraction_text(value)


def encode_payload(payload: Payload) -> tuple[Kind, str]:
    """Return the entry kind and the payload as JSON text (Fractions as exact strings).

    Raises:
        InvalidInputError: not a diary payload.
    """
    data: dict[str, Any]
    if isinstance(payload, PlanStarted):
        data = {
            "climb": [[_fraction_text(d), n] for d, n in payload.climb],
            "target_mg": _fraction_text(payload.target_mg),
            "hold_days": payload.hold_days,
            "protocol_id": payload.protocol_id,
            "protocol_title": payload.protocol_title,
            "start_date": payload.start_date.isoformat(),
            "tablets": payload.tablets,
            "strength_mg": _fraction_text(payload.strength_mg),
            "water_ml": _fraction_text(payload.water_ml),
            "syringe_ml": _opt_fraction_text(payload.syringe_ml),
            "graduation_ml": _opt_fraction_text(payload.graduation_ml),
            "keep_days": payload.keep_days,
        }
    elif isinstance(payload, Took):
        data = {"dose_mg": _opt_fraction_text(payload.dose_mg)}
    elif isinstance(payload, Missed):
        data = {}
    elif isinstance(payload, Mixed):
        data = {
            "tablets": payload.tablets,
            "strength_mg": _fraction_text(payload.strength_mg),
            "water_ml": _fraction_text(payload.water_ml),
            "keep_days": payload.keep_days,
        }
    elif isinstance(payload, Note):
        data = {
            "text": payload.text,
            "scores": [[name, value] for name, value in payload.scores],
            "side_effects": list(payload.side_effects),
        }
    elif isinstance(payload, Adjust):
        data = {
            "action": payload.action,
            "dose_mg": _opt_fraction_text(payload.dose_mg),
            "step_mg": _opt_fraction_text(payload.step_mg),
            "every_days": payload.every_days,
            "for_days": payload.for_days,
            "reason": payload.reason,
        }
    elif isinstance(payload, Undo):
        data = {"target_uid": payload.target_uid}
    else:
        raise InvalidInputError(f"not a diary entry: {type(payload).__name__}")
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _KIND_OF[type(payload)], text


class _Malformed(Exception):
    """A detail of what is wrong with stored text; becomes an InvalidInputError."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Malformed(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _Malformed(f"{name} is not a number")


def _load_object(text: object, keys: set[str]) -> dict[str, Any]:
    if not isinstance(text, str):
        raise _Malformed("the payload is not text")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise _Malformed("the payload is not valid JSON") from error
    if not isinstance(data, dict):
        raise _Malformed("the payload is not a JSON object")
    if set(data) != keys:
        missing, extra = sorted(keys - set(data)), sorted(set(data) - keys)
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(extra)}" if extra else "",
            )
            if part
        )
        raise _Malformed(detail)
    return data


def _load_fraction(value: Any, key: str) -> Fraction:
    if not isinstance(value, str):
        raise _Malformed(f"{key} is not an exact number written as text")
    number = _exact_text(value)
    if number is None:
        raise _Malformed(f"{key} is not an exact number written as text")
    return number


@lru_cache(maxsize=1024)
def _exact_text(value: str) -> Fraction | None:
    """Read an exact number stored as text ('4.5', '1/3'), or None; a diary repeats a few."""
    if not (_DECIMAL.fullmatch(value) or _RATIO.fullmatch(value)):
        return None
    return Fraction(value)


def _load_opt_fraction(value: Any, key: str) -> Fraction | None:
    return None if value is None else _load_fraction(value, key)


def _load_int(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Malformed(f"{key} is not a whole number")
    return value


def _load_opt_int(value: Any, key: str) -> int | None:
    return None if value is None else _load_int(value, key)


def _load_str(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise _Malformed(f"{key} is not text")
    return value


def _load_opt_str(value: Any, key: str) -> str | None:
    return None if value is None else _load_str(value, key)


def _load_list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Malformed(f"{key} is not a list")
    return value


def _load_pair(value: Any, key: str) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise _Malformed(f"{key} holds an item that is not a pair")
    return value[0], value[1]


def _load_date(value: Any, key: str) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _Malformed(f"{key} is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise _Malformed(f"{key} is not a real date") from error


def _decode(kind: str, text: object) -> Payload:
    if kind == "plan":
        d = _load_object(
            text,
            {
                "climb",
                "target_mg",
                "hold_days",
                "protocol_id",
                "protocol_title",
                "start_date",
                "tablets",
                "strength_mg",
                "water_ml",
                "syringe_ml",
                "graduation_ml",
                "keep_days",
            },
        )
        climb = tuple(
            (_load_fraction(dose, "climb"), _load_int(days, "climb"))
            for dose, days in (
                _load_pair(item, "climb") for item in _load_list(d["climb"], "climb")
            )
        )
        return PlanStarted(
            climb=climb,
            target_mg=_load_fraction(d["target_mg"], "target_mg"),
            hold_days=_load_int(d["hold_days"], "hold_days"),
            protocol_id=_load_str(d["protocol_id"], "protocol_id"),
            protocol_title=_load_str(d["protocol_title"], "protocol_title"),
            start_date=_load_date(d["start_date"], "start_date"),
            tablets=_load_int(d["tablets"], "tablets"),
            strength_mg=_load_fraction(d["strength_mg"], "strength_mg"),
            water_ml=_load_fraction(d["water_ml"], "water_ml"),
            syringe_ml=_load_opt_fraction(d["syringe_ml"], "syringe_ml"),
            graduation_ml=_load_opt_fraction(d["graduation_ml"], "graduation_ml"),
            keep_days=_load_int(d["keep_days"], "keep_days"),
        )
    if kind == "took":
        d = _load_object(text, {"dose_mg"})
        return Took(_load_opt_fraction(d["dose_mg"], "dose_mg"))
    if kind == "missed":
        _load_object(text, set())
        return Missed()
    if kind == "mixed":
        d = _load_object(text, {"tablets", "strength_mg", "water_ml", "keep_days"})
        return Mixed(
            tablets=_load_int(d["tablets"], "tablets"),
            strength_mg=_load_fraction(d["strength_mg"], "strength_mg"),
            water_ml=_load_fraction(d["water_ml"], "water_ml"),
            keep_days=_load_int(d["keep_days"], "keep_days"),
        )
    if kind == "note":
        d = _load_object(text, {"text", "scores", "side_effects"})
        scores = tuple(
            (_load_str(name, "scores"), _load_int(value, "scores"))
            for name, value in (
                _load_pair(item, "scores") for item in _load_list(d["scores"], "scores")
            )
        )
        effects = tuple(
            _load_str(item, "side_effects")
            for item in _load_list(d["side_effects"], "side_effects")
        )
        return Note(_load_str(d["text"], "text"), scores, effects)
    if kind == "adjust":
        d = _load_object(text, {"action", "dose_mg", "step_mg", "every_days", "for_days", "reason"})
        name = _load_str(d["action"], "action")
        action = next((a for a in ACTIONS if a == name), None)
        if action is None:
            raise _Malformed(f"{name!r} is not an adjustment")
        return Adjust(
            action=action,
            dose_mg=_load_opt_fraction(d["dose_mg"], "dose_mg"),
            step_mg=_load_opt_fraction(d["step_mg"], "step_mg"),
            every_days=_load_opt_int(d["every_days"], "every_days"),
            for_days=_load_opt_int(d["for_days"], "for_days"),
            reason=_load_opt_str(d["reason"], "reason"),
        )
    if kind == "undo":
        d = _load_object(text, {"target_uid"})
        return Undo(_load_str(d["target_uid"], "target_uid"))
    raise _Malformed(f"{kind!r} is not a kind of entry")


def decode_payload(kind: str, text: str) -> Payload:
    """Return the payload of kind ``kind`` written as ``text`` by ``encode_payload``.

    Raises:
        InvalidInputError: an unknown kind, text that is not the JSON this module
            writes, or values no valid entry holds.
    """
    try:
        return _decode_once(kind, text)
    except _Malformed as error:
        raise InvalidInputError(f"a stored {kind} entry is malformed: {error}") from None
    except LdncalcError as error:
        raise InvalidInputError(f"a stored {kind} entry is malformed: {error}") from None


@lru_cache(maxsize=4096)
def _decode_once(kind: str, text: str) -> Payload:
    """Decode a payload; a diary repeats the same few (a dose taken every day).

    Payloads are immutable, so entries with equal text may share one object.
    """
    return _decode(kind, text)


# --------------------------------------------------------------------------- undo


def active_entries(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """Return the entries that count, in id order: neither undone nor undos themselves.

    Raises:
        InvalidInputError: two entries share a uid or an id, an undo names no
            entry, or undos cancel each other in a loop.
    """
    by_uid: dict[str, Entry] = {}
    ids: set[int] = set()
    for entry in entries:
        if entry.uid in by_uid:
            raise InvalidInputError(f"two entries share the uid {entry.uid!r}")
        if entry.id in ids:
            raise InvalidInputError(f"two entries share the id {entry.id}")
        by_uid[entry.uid] = entry
        ids.add(entry.id)
    undone_by: dict[str, list[str]] = {}
    for entry in entries:
        if isinstance(entry.payload, Undo):
            target = entry.payload.target_uid
            if target not in by_uid:
                raise InvalidInputError(f"entry {entry.id} undoes an entry that does not exist")
            undone_by.setdefault(target, []).append(entry.uid)

    cancelled: dict[str, bool] = {}
    for uid in undone_by:  # an entry no undo names stands: only these need settling
        _resolve_undo(uid, undone_by, cancelled, by_uid)
    kept = [
        e for e in entries if not isinstance(e.payload, Undo) and not cancelled.get(e.uid, False)
    ]
    return tuple(sorted(kept, key=lambda e: e.id))


def _resolve_undo(
    root: str,
    undone_by: dict[str, list[str]],
    cancelled: dict[str, bool],
    by_uid: dict[str, Entry],
) -> None:
    """Settle whether ``root`` is cancelled: some undo naming it is not itself cancelled."""
    # Depth first without recursion: an undo of an undo of an undo... may be long.
    visiting: set[str] = set()
    stack: list[tuple[str, bool]] = [(root, False)]
    while stack:
        uid, expanded = stack.pop()
        if uid in cancelled:
            continue
        undos = undone_by.get(uid, [])
        if expanded:
            cancelled[uid] = any(not cancelled[u] for u in undos)
            visiting.discard(uid)
            continue
        visiting.add(uid)
        stack.append((uid, True))
        for undo_uid in undos:
            if undo_uid in visiting:
                raise InvalidInputError(
                    f"entry {by_uid[undo_uid].id} is one of undos that cancel each other"
                )
            if undo_uid not in cancelled:
                stack.append((undo_uid, False))


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True, slots=True)
class PlannedSegment:
    """Days from first_date to last_date (inclusive) with one planned dose (None: no dose)."""

    first_date: date
    last_date: date
    dose_mg: Fraction | None
    at_target: bool
    reason: str | None
    target_mg: Fraction

    @property
    def days(self) -> int:
        """Return how many days the segment lasts."""
        return (self.last_date - self.first_date).days + 1


@dataclass(frozen=True, slots=True)
class Change:
    """A change of the plan: a plan started or an adjustment, with its entry's id."""

    date: date
    action: str
    description: str
    entry_id: int


@dataclass(frozen=True, slots=True)
class LivingPlan:
    """The plan as the entries make it: dated segments, the target, hold, stop and review.

    ``plan`` is the latest plan; ``plans`` the plans still in force, by start date;
    ``held`` says an open hold is in force at the end of the plan; ``changes`` are
    the plans and adjustments applied, in the order applied.
    """

    plan: PlanStarted
    plans: tuple[PlanStarted, ...]
    segments: tuple[PlannedSegment, ...]
    target_mg: Fraction
    held: bool
    stopped_on: date | None
    review_date: date | None
    changes: tuple[Change, ...]
    superseded_ids: tuple[int, ...]

    @property
    def start_date(self) -> date:
        """Return the first day of the first plan still in force."""
        return self.plans[0].start_date

    @property
    def end_date(self) -> date | None:
        """Return the last day with a planned dose, or None if no day has one."""
        for segment in reversed(self.segments):
            if segment.dose_mg is not None:
                return segment.last_date
        return None

    def segment_index(self, day: date) -> int | None:
        """Return the index in ``segments`` of the segment holding ``day``, or None."""
        index = bisect_right([s.first_date for s in self.segments], day) - 1
        if index >= 0 and day <= self.segments[index].last_date:
            return index
        return None

    def dose_on(self, day: date) -> Fraction | None:
        """Return the dose planned on ``day``, or None."""
        index = self.segment_index(day)
        return None if index is None else self.segments[index].dose_mg

    def plan_on(self, day: date) -> PlanStarted | None:
        """Return the plan in force on ``day`` (the latest to start by then), or None."""
        found = None
        for plan in self.plans:
            if plan.start_date <= day:
                found = plan
        return found

    def day_number(self, day: date) -> int | None:
        """Return the day number of ``day`` in the plan in force (day 1 is its start)."""
        plan = self.plan_on(day)
        return None if plan is None else (day - plan.start_date).days + 1


_RunKind: TypeAlias = Literal["climb", "target", "held", "gap"]


# The helpers below are built on every run of ``today``: NamedTuples and a plain
# class cost a fraction of a frozen dataclass's creation at import.
class _Run(NamedTuple):
    first: date
    last: date
    dose: Fraction | None
    target: Fraction
    kind: _RunKind
    reason: str | None
    plan_no: int


class _Piece(NamedTuple):
    dose: Fraction
    days: int
    kind: _RunKind
    reason: str | None


class _State:
    """The re-planner's state while it applies the entries in (day, id) order."""

    __slots__ = (
        "held_from",
        "held_until",
        "origin",
        "plan",
        "plan_no",
        "runs",
        "steps",
        "stopped_on",
        "target",
    )

    def __init__(self, plan: PlanStarted) -> None:
        self.plan = plan
        self.plan_no = 0
        self.steps: tuple[tuple[Fraction, int], ...] = ()
        self.target = plan.target_mg
        self.origin = plan.start_date
        self.held_from: date | None = None
        self.held_until: date | None = None  # the day the climb resumes by itself; None: open
        self.stopped_on: date | None = None
        self.runs: list[_Run] = []

    def held_on(self, day: date) -> bool:
        return self.held_from is not None and (self.held_until is None or day < self.held_until)

    def run_on(self, day: date) -> _Run | None:
        for run in reversed(self.runs):
            if run.first <= day <= run.last:
                return run
            if run.last < day:
                return None
        return None

    def lay(self, start: date, pieces: Sequence[_Piece], final: _Piece | None) -> None:
        """Replace the runs from ``start`` on by ``pieces`` then the open-ended ``final``."""
        while self.runs and self.runs[-1].first >= start:
            self.runs.pop()
        if self.runs and self.runs[-1].last >= start:
            cut = self.runs.pop()
            self.runs.append(cut._replace(last=start - _ONE))
        while self.runs and self.runs[-1].dose is None:
            self.runs.pop()  # a gap never ends the segments (a stop right after a restart)
        if not pieces and final is None:
            return
        # Days without a dose between the first plan's start and ``start`` form a gap
        # segment, so that the segments run on without a hole from the first day.
        gap_first = self.runs[-1].last + _ONE if self.runs else self.origin
        if gap_first < start:
            self.runs.append(
                _Run(gap_first, start - _ONE, None, self.target, "gap", None, self.plan_no)
            )
        day = start
        for piece in pieces:
            last = day + timedelta(days=piece.days - 1)
            self.runs.append(
                _Run(day, last, piece.dose, self.target, piece.kind, piece.reason, self.plan_no)
            )
            day = last + _ONE
        if final is None:
            return
        first_at_dose = self.first_day_at(final.dose, day)
        horizon = REVIEW_AFTER_DAYS if final.kind == "held" else self.plan.hold_days
        last = max(first_at_dose + timedelta(days=horizon - 1), day)
        self.runs.append(
            _Run(day, last, final.dose, self.target, final.kind, final.reason, self.plan_no)
        )

    def first_day_at(self, dose: Fraction, day: date) -> date:
        """Return the first day of the unbroken run at ``dose`` that ``day`` would extend."""
        first = day
        for run in reversed(self.runs):
            if run.dose != dose or run.plan_no != self.plan_no or run.last != first - _ONE:
                break
            first = run.first
        return first


def _describe(text: str, reason: str | None) -> str:
    return f"{text} ({reason})" if reason else text


def _step_days(steps: Sequence[tuple[Fraction, int]], dose: Fraction) -> int:
    """Return a full step length at ``dose`` (see ``resume`` in the module's rules)."""
    for step_dose, days in steps:
        if step_dose == dose:
            return days
    below = [days for step_dose, days in steps if step_dose < dose]
    if below:
        return below[-1]
    return steps[0][1] if steps else FALLBACK_STEP_DAYS


def _climb(state: _State, dose: Fraction, head: _Piece | None) -> tuple[list[_Piece], _Piece]:
    """Return ``head``, the steps above ``dose`` and below the target, and the target."""
    pieces = [head] if head is not None and head.days > 0 else []
    pieces += [
        _Piece(step_dose, days, "climb", None)
        for step_dose, days in state.steps
        if dose < step_dose < state.target
    ]
    return pieces, _Piece(state.target, 0, "target", None)


def _no_dose(state: _State, day: date, doing: str) -> RefusedError:
    if state.stopped_on is not None:
        why = f"the trial stopped on {state.stopped_on.isoformat()}"
    else:
        end = next((run.last for run in reversed(state.runs) if run.dose is not None), None)
        why = "no plan covers it" if end is None else f"the plan ended on {end.isoformat()}"
    return RefusedError(f"cannot {doing} on {day.isoformat()}: no dose is planned that day ({why})")


def _apply_plan(state: _State, entry: Entry, plan: PlanStarted) -> Change:
    state.plan = plan
    state.plan_no += 1
    state.steps = plan.climb
    state.target = plan.target_mg
    state.held_from = state.held_until = state.stopped_on = None
    pieces = [_Piece(dose, days, "climb", None) for dose, days in plan.climb]
    state.lay(plan.start_date, pieces, _Piece(plan.target_mg, 0, "target", None))
    return Change(
        plan.start_date,
        "plan",
        f"plan started: {plan.protocol_title} (target {format_dose_mg(plan.target_mg)})",
        entry.id,
    )


def _apply_adjust(state: _State, entry: Entry, adjust: Adjust) -> Change:
    day = entry.day
    run = state.run_on(day)
    current = None if run is None else run.dose
    action = adjust.action
    reason = adjust.reason

    if action == "stop":
        if state.stopped_on is not None:
            raise RefusedError(
                f"cannot stop on {day.isoformat()}: "
                f"the trial already stopped on {state.stopped_on.isoformat()}"
            )
        state.lay(day, [], None)
        state.stopped_on = day
        state.held_from = state.held_until = None
        return Change(day, action, _describe("stopped", reason), entry.id)

    if action == "dose":
        assert adjust.dose_mg is not None
        dose = adjust.dose_mg
        state.target = max(state.target, dose)
        text = _describe(f"dose set to {format_dose_mg(dose)}", reason)
        kind: _RunKind = "target" if dose == state.target else "held"
        state.lay(day, [], _Piece(dose, 0, kind, text))
        state.held_from, state.held_until, state.stopped_on = day, None, None
        return Change(day, action, text, entry.id)

    if action == "target":
        assert adjust.dose_mg is not None
        new_target = adjust.dose_mg
        state.target = new_target
        text = _describe(f"new target {format_dose_mg(new_target)}", reason)
        if current is None or run is None:
            return Change(day, action, text, entry.id)
        if current >= new_target:
            if current > new_target:
                text = _describe(
                    f"new target {format_dose_mg(new_target)}, lowered from "
                    f"{format_dose_mg(current)}",
                    reason,
                )
            state.lay(day, [], _Piece(new_target, 0, "target", text))
        elif state.held_on(day) and state.held_until is None:
            state.lay(day, [], _Piece(current, 0, "held", text))
        elif state.held_on(day) and state.held_until is not None:
            held_days = (state.held_until - day).days
            pieces, final = _climb(
                state, current, _Piece(current, _step_days(state.steps, current), "climb", None)
            )
            state.lay(day, [_Piece(current, held_days, "held", text), *pieces], final)
        else:
            left = (run.last - day).days + 1 if run.kind == "climb" else 0
            head_days = left or _step_days(state.steps, current)
            pieces, final = _climb(state, current, _Piece(current, head_days, "climb", text))
            state.lay(day, pieces, final)
        return Change(day, action, text, entry.id)

    names = {"back": "go back", "hold": "hold", "resume": "resume", "slower": "climb more slowly"}
    if current is None:
        raise _no_dose(state, day, names[action])

    if action == "back":
        lower = [step for step in state.steps if step[0] < current]
        if not lower:
            raise RefusedError(
                f"cannot go back on {day.isoformat()}: there is no step below "
                f"{format_dose_mg(current)} to go back to"
            )
        dose, days = lower[-1]
        text = _describe(f"back to {format_dose_mg(dose)}", reason)
        pieces, final = _climb(state, dose, _Piece(dose, days, "climb", text))
        state.lay(day, pieces, final)
        state.held_from = state.held_until = None
        return Change(day, action, text, entry.id)

    if action == "hold":
        if adjust.for_days is None:
            text = _describe(f"hold at {format_dose_mg(current)}", reason)
            kind = "target" if current >= state.target else "held"
            state.lay(day, [], _Piece(current, 0, kind, text))
            state.held_from, state.held_until = day, None
        else:
            text = _describe(
                f"hold at {format_dose_mg(current)} for {adjust.for_days} days", reason
            )
            if current >= state.target:
                state.lay(day, [], _Piece(current, 0, "target", text))
            else:
                resumed = _describe(f"resume at {format_dose_mg(current)} after the hold", reason)
                head = _Piece(current, _step_days(state.steps, current), "climb", resumed)
                pieces, final = _climb(state, current, head)
                held = _Piece(current, adjust.for_days, "held", text)
                state.lay(day, [held, *pieces], final)
            state.held_from, state.held_until = day, day + timedelta(days=adjust.for_days)
        return Change(day, action, text, entry.id)

    if action == "resume":
        if not state.held_on(day):
            raise RefusedError(f"cannot resume on {day.isoformat()}: the plan is not on hold")
        text = _describe(f"resume the climb from {format_dose_mg(current)}", reason)
        if current >= state.target:
            state.lay(day, [], _Piece(current, 0, "target", text))
        else:
            head = _Piece(current, _step_days(state.steps, current), "climb", text)
            pieces, final = _climb(state, current, head)
            state.lay(day, pieces, final)
        state.held_from = state.held_until = None
        return Change(day, action, text, entry.id)

    # slower
    assert adjust.every_days is not None
    if current >= state.target:
        raise RefusedError(
            f"cannot climb more slowly on {day.isoformat()}: already at the target "
            f"({format_dose_mg(state.target)})"
        )
    every = adjust.every_days
    if adjust.step_mg is not None:
        step = adjust.step_mg
        count = -(-(state.target - current) // step)  # ceiling division
        if count * every > MAX_CLIMB_DAYS:
            raise RefusedError(
                f"steps of {format_dose_mg(step)} every {every} days from "
                f"{format_dose_mg(current)} take {count * every} days to reach "
                f"{format_dose_mg(state.target)}, more than two years; use a larger step"
            )
        doses = [current + i * step for i in range(int(count))]
        text = _describe(
            f"slower: from {format_dose_mg(current)}, up {format_dose_mg(step)} every {every} days",
            reason,
        )
    else:
        doses = [current] + [d for d, _ in state.steps if current < d < state.target]
        if len(doses) * every > MAX_CLIMB_DAYS:
            raise RefusedError(
                f"steps every {every} days from {format_dose_mg(current)} take "
                f"{len(doses) * every} days to reach {format_dose_mg(state.target)}, "
                "more than two years; use shorter steps"
            )
        text = _describe(f"slower: from {format_dose_mg(current)}, {every} days a step", reason)
    new_steps = tuple((d, every) for d in doses)
    state.steps = tuple(step for step in state.steps if step[0] < current) + new_steps
    pieces = [_Piece(d, every, "climb", text) for d in doses]
    state.lay(day, pieces, _Piece(state.target, 0, "target", None))
    state.held_from = state.held_until = None
    return Change(day, action, text, entry.id)


def _rewrite_day(entry: Entry) -> date:
    payload = entry.payload
    return payload.start_date if isinstance(payload, PlanStarted) else entry.day


def replan(entries: Sequence[Entry]) -> LivingPlan:
    """Return the plan the entries make (the rules are in the module's docstring).

    Args:
        entries: every entry of the diary, in any order, undone ones and undos included.

    Raises:
        InvalidInputError: no plan started, an adjustment dated before it, or
            entries that contradict each other (shared ids, an undo of nothing).
        RefusedError: an adjustment that cannot be carried out on its day.
    """
    active = active_entries(entries)
    plans = [e for e in active if isinstance(e.payload, PlanStarted)]
    if not plans:
        raise InvalidInputError("no plan has been started")
    rewrites: list[Entry] = []
    superseded: list[int] = []
    for entry in active:
        if not isinstance(entry.payload, PlanStarted | Adjust):
            continue
        day = _rewrite_day(entry)
        if any(p.id > entry.id and _rewrite_day(p) <= day for p in plans):
            superseded.append(entry.id)
        else:
            rewrites.append(entry)
    rewrites.sort(key=lambda e: (_rewrite_day(e), e.id))
    first = rewrites[0]
    if not isinstance(first.payload, PlanStarted):
        first_plan = min(
            (e.payload for e in rewrites if isinstance(e.payload, PlanStarted)),
            key=lambda p: p.start_date,
        )
        raise InvalidInputError(
            f"the adjustment on {first.day.isoformat()} is dated before the plan's start "
            f"({first_plan.start_date.isoformat()})"
        )
    state = _State(first.payload)
    changes: list[Change] = []
    governing: list[PlanStarted] = []
    for entry in rewrites:
        if isinstance(entry.payload, PlanStarted):
            changes.append(_apply_plan(state, entry, entry.payload))
            governing.append(entry.payload)
        elif isinstance(entry.payload, Adjust):
            changes.append(_apply_adjust(state, entry, entry.payload))
    segments = tuple(
        PlannedSegment(
            run.first,
            run.last,
            run.dose,
            run.dose is not None and run.dose == run.target,
            run.reason,
            run.target,
        )
        for run in state.runs
    )
    review = None
    if state.stopped_on is None and state.runs:
        final = state.runs.pop()
        assert final.dose is not None, "a plan never ends on a day without a dose"
        review = state.first_day_at(final.dose, final.first) + timedelta(days=REVIEW_AFTER_DAYS)
        state.runs.append(final)
    latest = max(plans, key=lambda e: e.id).payload
    assert isinstance(latest, PlanStarted)
    return LivingPlan(
        plan=latest,
        plans=tuple(governing),
        segments=segments,
        target_mg=state.target,
        held=state.held_from is not None and state.held_until is None,
        stopped_on=state.stopped_on,
        review_date=review,
        changes=tuple(changes),
        superseded_ids=tuple(sorted(superseded)),
    )


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True, slots=True)
class NextChange:
    """The next day on which the planned dose differs (None: no dose from then on)."""

    date: date
    dose_mg: Fraction | None


@dataclass(frozen=True, slots=True)
class DayStatus:
    """What a day holds: its plan, what was taken, the next change and the review."""

    date: date
    day_number: int | None
    planned_dose_mg: Fraction | None
    segment: PlannedSegment | None
    segment_number: int | None
    taken: tuple[Took, ...]
    taken_entry_ids: tuple[int, ...]
    taken_dose_mg: Fraction | None
    missed: bool
    next_change: NextChange | None
    review_date: _Date | None
    yesterday_missed: bool
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HistoryDay:
    """One day of the history: planned and taken doses, scores and side effects."""

    date: date
    planned_dose_mg: Fraction | None
    taken_dose_mg: Fraction | None
    taken: bool
    missed: bool
    scores: dict[str, int] = field(hash=False)
    side_effects: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Adherence:
    """Days taken of days planned."""

    days_planned: int
    days_taken: int

    @property
    def ratio(self) -> Fraction | None:
        """Return days taken / days planned, or None when no day was planned."""
        return Fraction(self.days_taken, self.days_planned) if self.days_planned else None


@dataclass(frozen=True, slots=True)
class DoseDays:
    """How many days a dose was planned, and how many days it was taken."""

    dose_mg: Fraction
    days_planned: int
    days_taken: int


NEVER_DOUBLE = "yesterday's dose was missed: take only today's dose, never double it"


class _DayFacts(NamedTuple):
    took: tuple[Entry, ...] = ()
    missed: bool = False
    notes: tuple[Note, ...] = ()


def _facts_by_day(entries: Sequence[Entry]) -> dict[date, _DayFacts]:
    took: dict[date, list[Entry]] = {}
    missed: set[date] = set()
    notes: dict[date, list[Note]] = {}
    for entry in active_entries(entries):
        if isinstance(entry.payload, Took):
            took.setdefault(entry.day, []).append(entry)
        elif isinstance(entry.payload, Missed):
            missed.add(entry.day)
        elif isinstance(entry.payload, Note):
            notes.setdefault(entry.day, []).append(entry.payload)
    days = set(took) | missed | set(notes)
    return {
        d: _DayFacts(tuple(took.get(d, ())), d in missed, tuple(notes.get(d, ()))) for d in days
    }


def _taken_dose(facts: _DayFacts, planned: Fraction | None) -> Fraction | None:
    """Return the sum of the doses taken (a dose-less took counts as the planned dose)."""
    doses = [
        e.payload.dose_mg if e.payload.dose_mg is not None else planned
        for e in facts.took
        if isinstance(e.payload, Took)
    ]
    known = [d for d in doses if d is not None]
    return sum(known, Fraction(0)) if known else None


def _check_range(start: date, end: date) -> None:
    if end < start:
        raise InvalidInputError(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})"
        )


def _planned_between(
    plan: LivingPlan, start: date, end: date
) -> list[tuple[date, Fraction | None]]:
    """Return (day, planned dose) for every day from ``start`` to ``end``, in one walk."""
    result: list[tuple[date, Fraction | None]] = []
    segments = plan.segments
    index = 0
    day = start
    while day <= end:
        while index < len(segments) and segments[index].last_date < day:
            index += 1
        inside = index < len(segments) and segments[index].first_date <= day
        result.append((day, segments[index].dose_mg if inside else None))
        day += _ONE
    return result


def day_status(plan: LivingPlan, entries: Sequence[Entry], day: date) -> DayStatus:
    """Return the status of ``day``: planned dose, what was taken, next change, warnings."""
    facts_by_day = _facts_by_day(entries)
    facts = facts_by_day.get(day, _DayFacts())
    index = plan.segment_index(day)
    segment = None if index is None else plan.segments[index]
    planned = None if segment is None else segment.dose_mg
    taken_dose = _taken_dose(facts, planned)
    next_change = None
    for later in plan.segments[(index + 1 if index is not None else 0) :]:
        if later.first_date > day and later.dose_mg != planned:
            next_change = NextChange(later.first_date, later.dose_mg)
            break
    end = plan.end_date
    if next_change is None and planned is not None and end is not None and end >= day:
        next_change = NextChange(end + _ONE, None)
    yesterday = facts_by_day.get(day - _ONE, _DayFacts())
    yesterday_missed = yesterday.missed and not yesterday.took
    warnings: list[str] = []
    if yesterday_missed:
        warnings.append(NEVER_DOUBLE)
    if len(facts.took) > 1:
        warnings.append(f"{len(facts.took)} doses are recorded as taken on this day")
    if taken_dose is not None and planned is not None and taken_dose != planned:
        warnings.append(
            f"taken {format_dose_mg(taken_dose)}, but {format_dose_mg(planned)} is planned"
        )
    if facts.took and planned is None:
        warnings.append("a dose is recorded as taken on a day without a planned dose")
    return DayStatus(
        date=day,
        day_number=plan.day_number(day),
        planned_dose_mg=planned,
        segment=segment,
        segment_number=None if index is None else index + 1,
        taken=tuple(e.payload for e in facts.took if isinstance(e.payload, Took)),
        taken_entry_ids=tuple(e.id for e in facts.took),
        taken_dose_mg=taken_dose,
        missed=facts.missed and not facts.took,
        next_change=next_change,
        review_date=plan.review_date,
        yesterday_missed=yesterday_missed,
        warnings=tuple(warnings),
    )


def history_days(
    plan: LivingPlan, entries: Sequence[Entry], start: date, end: date
) -> tuple[HistoryDay, ...]:
    """Return every day from ``start`` to ``end``: planned and taken doses, scores.

    A day's scores are its notes' scores, the latest recorded winning a name
    given twice; its side effects are those of its notes in recording order.

    Raises:
        InvalidInputError: ``end`` before ``start``.
    """
    _check_range(start, end)
    facts_by_day = _facts_by_day(entries)
    result = []
    for day, planned in _planned_between(plan, start, end):
        facts = facts_by_day.get(day, _DayFacts())
        scores: dict[str, int] = {}
        effects: list[str] = []
        for note in facts.notes:
            scores.update(note.scores)
            effects.extend(e for e in note.side_effects if e not in effects)
        result.append(
            HistoryDay(
                date=day,
                planned_dose_mg=planned,
                taken_dose_mg=_taken_dose(facts, planned),
                taken=bool(facts.took),
                missed=facts.missed and not facts.took,
                scores=scores,
                side_effects=tuple(effects),
            )
        )
    return tuple(result)


def adherence(
    plan: LivingPlan, entries: Sequence[Entry], up_to: date, start: date | None = None
) -> Adherence:
    """Return the days taken of the days planned, from ``start`` (default: the plan's) to ``up_to``.

    A planned day counts as taken when at least one dose is recorded on it.
    """
    first = plan.start_date if start is None else start
    if up_to < first:
        return Adherence(0, 0)
    taken_days = {e.day for e in active_entries(entries) if isinstance(e.payload, Took)}
    planned = taken = 0
    for day, dose in _planned_between(plan, first, up_to):
        if dose is not None:
            planned += 1
            taken += day in taken_days
    return Adherence(planned, taken)


def days_at_each_dose(
    plan: LivingPlan, entries: Sequence[Entry], start: date, end: date
) -> tuple[DoseDays, ...]:
    """Return, for each dose planned or taken from ``start`` to ``end``, the days of each.

    A day taken counts at the day's total dose taken; the doses come in rising order.

    Raises:
        InvalidInputError: ``end`` before ``start``.
    """
    planned: dict[Fraction, int] = {}
    taken: dict[Fraction, int] = {}
    for day in history_days(plan, entries, start, end):
        if day.planned_dose_mg is not None:
            planned[day.planned_dose_mg] = planned.get(day.planned_dose_mg, 0) + 1
        if day.taken_dose_mg is not None:
            taken[day.taken_dose_mg] = taken.get(day.taken_dose_mg, 0) + 1
    return tuple(
        DoseDays(dose, planned.get(dose, 0), taken.get(dose, 0))
        for dose in sorted(set(planned) | set(taken))
    )


def side_effects_by_date(
    entries: Sequence[Entry], start: date | None = None, end: date | None = None
) -> tuple[tuple[date, tuple[str, ...]], ...]:
    """Return the side effects noted on each date (within the bounds given), in date order."""
    by_day: dict[date, list[str]] = {}
    for entry in active_entries(entries):
        if not isinstance(entry.payload, Note) or not entry.payload.side_effects:
            continue
        if (start is not None and entry.day < start) or (end is not None and entry.day > end):
            continue
        effects = by_day.setdefault(entry.day, [])
        effects.extend(e for e in entry.payload.side_effects if e not in effects)
    return tuple((day, tuple(by_day[day])) for day in sorted(by_day))
