"""Titration protocols and the dated schedules built from them.

A protocol climbs through steps to a target dose; the schedule then holds the
target for a while (8 weeks by default, counted from the first day at the
target: the usual length of a trial of LDN). Protocols are data, shipped in
``data/protocols.toml``; custom ones are made from a start, a step, an interval
and a target, with the last step capped at the target.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from itertools import pairwise
from typing import Any, Literal, TypeAlias

from ldncalc import inputs
from ldncalc.dose.accuracy import DEFAULT_ASSAY, Assay
from ldncalc.dose.kit import Kit
from ldncalc.dose.preparation import Advisory, DosePlan, Preparation, make_preparation
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.frozen import frozen
from ldncalc.inputs import Amount
from ldncalc.notation import format_dose_mg

__all__ = [
    "DEFAULT_HOLD_DAYS",
    "DEFAULT_PROTOCOL_ID",
    "DEFAULT_TARGET_MG",
    "MAX_CLIMB_DAYS",
    "USUAL_MAX_MG",
    "USUAL_STEP_MG",
    "Protocol",
    "Schedule",
    "Segment",
    "SoftLimit",
    "Step",
    "build_schedule",
    "check_soft_limits",
    "custom_protocol",
    "get_protocol",
    "protocol_rises",
    "protocols",
    "resolve_protocol",
    "schedule_from_segments",
]

DEFAULT_PROTOCOL_ID = "ldnrt-weekly"
DEFAULT_HOLD_DAYS = 56  # 8 weeks: the Stanford pilot's length; "about two months"
MAX_CLIMB_DAYS = 730  # a climb longer than two years is not a titration
MAX_HOLD_DAYS = 3653  # ten years
DEFAULT_TARGET_MG = Fraction(9, 2)
# The soft limits, as EHRs keep them (DOMAIN.md): a dose above the top of the usual
# low-dose range, or a rise of more than this in one step, is asked about; every
# shipped protocol stays within both.
USUAL_MAX_MG = Fraction(9, 2)
USUAL_STEP_MG = Fraction(3, 2)
SoftLimit: TypeAlias = Literal["above-usual-range", "above-usual-step"]
"""The soft limits a plan can go beyond (with a confirmation): their codes."""
CUSTOM_SOURCE = "your own schedule (start, step and interval as given)"


@frozen
class Protocol:
    """A titration protocol: the climbing steps (dose, days) and the target held after."""

    id: str
    title: str
    description: str
    source: str
    climb: tuple[tuple[Fraction, int], ...]
    target_mg: Fraction

    @property
    def climb_days(self) -> int:
        """Return the days spent climbing, before the first day at the target."""
        return sum(days for _, days in self.climb)


def custom_protocol(
    start_mg: Amount,
    step_mg: Amount | None = None,
    every_days: int | None = None,
    target_mg: Amount | None = None,
) -> Protocol:
    """Return a protocol that starts at ``start_mg`` and adds ``step_mg`` every ``every_days``.

    The last step is capped at the target (1, 2, 3, 4, then 4.5 mg, never 5).
    A start equal to the target is a constant schedule and needs no step.

    Args:
        start_mg: the first dose.
        step_mg: added at each step (not needed when the start is the target).
        every_days: days between steps (likewise).
        target_mg: the dose held at the end (default 4.5 mg).

    Raises:
        InvalidInputError: a value not positive, the start above the target, or a
            climb without a step or an interval.
        RefusedError: the climb would last longer than two years.
    """
    start = inputs.dose_mg(start_mg, "start_mg")
    target = DEFAULT_TARGET_MG if target_mg is None else inputs.dose_mg(target_mg, "target_mg")
    if start > target:
        raise InvalidInputError(
            f"the start ({format_dose_mg(start)}) is above the target ({format_dose_mg(target)})",
            code="range-backwards",
        )
    if start == target:
        return Protocol(
            id="custom",
            title="Custom schedule",
            description=f"{format_dose_mg(target)} every day.",
            source=CUSTOM_SOURCE,
            climb=(),
            target_mg=target,
        )
    if step_mg is None or every_days is None:
        raise InvalidInputError(
            "a schedule that climbs needs a step and the time between steps",
            code="custom-incomplete",
        )
    step = inputs.dose_mg(step_mg, "step_mg")
    every = inputs.count(every_days, "every_days", 1, MAX_CLIMB_DAYS)
    steps_needed = -(-(target - start) // step)  # ceiling division
    if steps_needed * every > MAX_CLIMB_DAYS:
        raise RefusedError(
            f"steps of {format_dose_mg(step)} every {every} days from "
            f"{format_dose_mg(start)} take {steps_needed * every} days to reach "
            f"{format_dose_mg(target)}, more than two years; use a larger step",
            code="climb-too-long",
        )
    climb = tuple((start + i * step, every) for i in range(int(steps_needed)))
    return Protocol(
        id="custom",
        title="Custom schedule",
        description=(
            f"Start at {format_dose_mg(start)} and add {format_dose_mg(step)} every "
            f"{every} days, capped at {format_dose_mg(target)}."
        ),
        source=CUSTOM_SOURCE,
        climb=climb,
        target_mg=target,
    )


def soft_limit_problems(
    dose_mg: Fraction, rises: Iterable[tuple[Fraction, Fraction]], what: str
) -> list[tuple[SoftLimit, str, dict[str, str | Fraction]]]:
    """Return each soft limit a dose or its rises go beyond: (code, words, params).

    ``dose_mg`` is the highest dose (a target, or a dose the prescriber sets),
    ``rises`` (from, to) of each rise from one dose to the next, in mg, and
    ``what`` the words for the dose ("the target", "the dose").
    """
    problems: list[tuple[SoftLimit, str, dict[str, str | Fraction]]] = []
    if dose_mg > USUAL_MAX_MG:
        problems.append(
            (
                "above-usual-range",
                f"{what} {format_dose_mg(dose_mg)} is above the usual low-dose range (up to "
                f"{format_dose_mg(USUAL_MAX_MG)}); check it with the prescriber",
                {"what": what, "dose_mg": dose_mg, "usual_mg": USUAL_MAX_MG},
            )
        )
    big = next(((a, b) for a, b in rises if b - a > USUAL_STEP_MG), None)
    if big is not None:
        low, high = big
        problems.append(
            (
                "above-usual-step",
                f"the plan rises {format_dose_mg(high - low)} in one step "
                f"({format_dose_mg(low)} to {format_dose_mg(high)}), more than the usual step "
                f"(up to {format_dose_mg(USUAL_STEP_MG)}); check it with the prescriber",
                {"from_mg": low, "to_mg": high, "usual_mg": USUAL_STEP_MG},
            )
        )
    return problems


def check_soft_limits(
    dose_mg: Fraction, rises: Iterable[tuple[Fraction, Fraction]], what: str, *, confirm: bool
) -> list[str]:
    """Refuse a dose or a rise beyond the soft limits unless ``confirm``; return the warnings.

    Args:
        dose_mg: the highest dose (a target, or a dose the prescriber sets).
        rises: (from, to) of each rise from one dose to the next, in mg.
        what: the words for the dose ("the target", "the dose").
        confirm: the person confirmed it: it is kept, with a warning.

    Raises:
        RefusedError: (code ``soft-limit``) a dose above 4.5 mg or a rise above
            1.5 mg in one step, unconfirmed.
    """
    problems = [words for _, words, _ in soft_limit_problems(dose_mg, rises, what)]
    if problems and not confirm:
        raise RefusedError(problems[0], code="soft-limit")
    return problems


def protocol_rises(protocol: Protocol) -> list[tuple[Fraction, Fraction]]:
    """Return (from, to) of each rise of ``protocol``'s climb, the target last."""
    doses = [dose for dose, _ in protocol.climb] + [protocol.target_mg]
    return [(a, b) for a, b in pairwise(doses) if b > a]


def resolve_protocol(
    protocol_id: str | None = None,
    *,
    start_mg: Amount | None = None,
    step_mg: Amount | None = None,
    every_days: int | None = None,
    target_mg: Amount | None = None,
) -> Protocol:
    """Return the protocol meant: a shipped one by id, a custom one, or the default.

    Raises:
        InvalidInputError: both an id and custom values, custom values without a
            start, or an unknown id.
    """
    custom = (start_mg, step_mg, every_days, target_mg)
    if all(value is None for value in custom):
        return get_protocol(protocol_id or DEFAULT_PROTOCOL_ID)
    if protocol_id is not None:
        raise InvalidInputError(
            "give a protocol or your own start, step and interval, not both",
            code="protocol-and-custom",
        )
    if start_mg is None:
        raise InvalidInputError(
            "a schedule of your own needs its first dose", code="custom-incomplete"
        )
    return custom_protocol(start_mg, step_mg, every_days, target_mg)


@cache
def protocols() -> tuple[Protocol, ...]:
    """Return the shipped protocols, in the order of the data file."""
    # Read by the package's own loader, so a wheel, a zip import or a frozen
    # install finds the file too: pkgutil.get_data does that at a fifteenth of
    # the start-up cost of importlib.resources (which brings tempfile, shutil,
    # random and zipfile: about 9 ms of every schedule).
    from pkgutil import get_data

    data = get_data("ldncalc.data", "protocols.toml")
    if data is None:  # a loader that cannot read files: never one of Python's own
        raise RuntimeError("ldncalc's protocols (data/protocols.toml) cannot be read")
    text = data.decode("utf-8")
    import tomllib  # only when the protocols are read: not every command needs them

    return tuple(_protocol(entry) for entry in tomllib.loads(text)["protocol"])


def _protocol(entry: dict[str, Any]) -> Protocol:
    if "rule" in entry:
        rule = entry["rule"]
        made = custom_protocol(
            Fraction(rule["start_mg"]),
            Fraction(rule["step_mg"]),
            int(rule["every_days"]),
            Fraction(rule["target_mg"]),
        )
        climb, target = made.climb, made.target_mg
    else:
        climb = tuple((Fraction(s["dose_mg"]), int(s["days"])) for s in entry["steps"])
        target = Fraction(entry["target_mg"])
    return Protocol(
        entry["id"], entry["title"], entry["description"], entry["source"], climb, target
    )


def get_protocol(protocol_id: str) -> Protocol:
    """Return the shipped protocol named ``protocol_id``.

    Raises:
        InvalidInputError: no such protocol (the message lists them).
    """
    for protocol in protocols():
        if protocol.id == protocol_id:
            return protocol
    known = ", ".join(p.id for p in protocols())
    raise InvalidInputError(
        f"no protocol {protocol_id!r}; choose one of: {known}", code="unknown-protocol"
    )


@frozen
class Step:
    """One step of a schedule: a dose taken every day from first_day to last_day."""

    number: int
    first_day: int
    last_day: int
    first_date: date
    last_date: date
    plan: DosePlan
    at_target: bool
    note: str | None = None  # the change that made this step, in a living plan

    @property
    def days(self) -> int:
        """Return how many days the step lasts."""
        return self.last_day - self.first_day + 1


@frozen
class Schedule:
    """A dated titration schedule: the steps, with the volume to draw for each."""

    protocol: Protocol
    preparation: Preparation
    start_date: date
    steps: tuple[Step, ...]
    advisories: tuple[tuple[int, Advisory], ...]

    @property
    def hold_days(self) -> int:
        """Return the days at the target, counted from its first day (the last step)."""
        return self.steps[-1].days

    @property
    def days(self) -> int:
        """Return the length of the schedule in days (the climb plus the hold)."""
        return self.steps[-1].last_day

    @property
    def end_date(self) -> date:
        """Return the last day of the schedule."""
        return self.steps[-1].last_date

    def date_of(self, day: int) -> date:
        """Return the date of day ``day`` (day 1 is the start date)."""
        return self.start_date + timedelta(days=day - 1)

    def daily(self) -> Iterator[tuple[int, date, Step]]:
        """Yield (day, date, step) for every day of the schedule."""
        for step in self.steps:
            for day in range(step.first_day, step.last_day + 1):
                yield day, self.date_of(day), step


@frozen
class Segment:
    """A run of days at one dose (None: no dose), before it is dated and measured."""

    dose_mg: Fraction | None
    days: int
    at_target: bool = False
    note: str | None = None


def build_schedule(
    protocol: Protocol | str | None = None,
    *,
    start_date: date | None = None,
    preparation: Preparation | None = None,
    syringe: Syringe | None = None,
    hold_days: int = DEFAULT_HOLD_DAYS,
    assay: Assay = DEFAULT_ASSAY,
    water_error_ml: Amount | None = None,
    confirm: bool = False,
    kit: Kit | None = None,
) -> Schedule:
    """Build the dated schedule of ``protocol``.

    Args:
        protocol: a protocol, a shipped protocol's id, or None for the default
            (LDN Research Trust: 1 mg, up 1 mg a week, to 4.5 mg).
        start_date: day 1 (default: today, the local date).
        preparation: the liquid (default: 1 x 50 mg tablet in 50 mL).
        syringe: measure every dose with this syringe (default: the catalogue).
        hold_days: days at the target, counted from its first day (default 56).
        assay: the tablet's content as fractions of its label, for the ranges.
        water_error_ml: the most the stock's water may be off (default: its measure).
        confirm: keep a target above 4.5 mg or a rise above 1.5 mg in one step.
        kit: the syringes the person owns and her scale (see ``plan_dose``).

    Raises:
        InvalidInputError: an unknown protocol, a hold of less than a day, or a
            plan that would run past the calendar.
        RefusedError: a dose the preparation cannot deliver or measure; a
            target above 4.5 mg or a rise above 1.5 mg in one step, unconfirmed.
    """
    if protocol is None:
        protocol = get_protocol(DEFAULT_PROTOCOL_ID)
    elif isinstance(protocol, str):
        protocol = get_protocol(protocol)
    inputs.of_type(protocol, Protocol, "protocol")
    if isinstance(hold_days, bool) or not isinstance(hold_days, int):
        inputs.count(hold_days, "hold_days", 1, MAX_HOLD_DAYS)  # raises ArgumentTypeError
    hold = hold_days
    if not 1 <= hold <= MAX_HOLD_DAYS:
        raise InvalidInputError(
            f"the hold at the target must be 1 to {MAX_HOLD_DAYS} days (ten years), not {hold}",
            code="number-out-of-range",
        )
    check_soft_limits(protocol.target_mg, protocol_rises(protocol), "the target", confirm=confirm)
    segments = [Segment(d, n) for d, n in protocol.climb]
    segments.append(Segment(protocol.target_mg, hold, at_target=True))
    return schedule_from_segments(
        protocol,
        segments,
        start_date=start_date,
        preparation=preparation,
        syringe=syringe,
        assay=assay,
        water_error_ml=water_error_ml,
        kit=kit,
    )


def schedule_from_segments(
    protocol: Protocol,
    segments: Sequence[Segment],
    *,
    start_date: date | None = None,
    preparation: Preparation | None = None,
    syringe: Syringe | None = None,
    assay: Assay = DEFAULT_ASSAY,
    water_error_ml: Amount | None = None,
    kit: Kit | None = None,
) -> Schedule:
    """Date and measure ``segments`` into a schedule (each dose is planned once).

    A segment with no dose (``dose_mg`` None: a stop, or days between plans)
    moves the days on without a step.

    Raises:
        InvalidInputError: no segments, or a plan that would run past the calendar.
        RefusedError: a dose the preparation cannot deliver or measure.
    """
    inputs.of_type(protocol, Protocol, "protocol")
    segments = inputs.items_of(segments, Segment, "segments")
    if start_date is not None:
        inputs.day(start_date, "start_date")
    inputs.of_type(preparation, Preparation, "preparation", optional=True)
    inputs.of_type(syringe, Syringe, "syringe", optional=True)
    inputs.of_type(assay, Assay, "assay")
    inputs.of_type(kit, Kit, "kit", optional=True)
    if not any(s.dose_mg is not None for s in segments):
        raise InvalidInputError("a schedule needs at least one day with a dose", code="no-doses")
    prep = preparation if preparation is not None else make_preparation()
    start = start_date if start_date is not None else date.today()
    total_days = sum(s.days for s in segments)
    if (date.max - start).days < total_days - 1:
        raise InvalidInputError(
            f"a plan of {total_days} day{'s' if total_days != 1 else ''} from "
            f"{start.isoformat()} would run past the calendar; choose an earlier start date",
            code="date-out-of-range",
        )
    from ldncalc.plan.dilutions import plan_doses

    # Planned together: a dilution serves every dose of its days, across steps.
    runs = [(s.dose_mg, s.days) for s in segments if s.dose_mg is not None]
    plans = plan_doses(runs, prep, syringe, assay=assay, water_error_ml=water_error_ml, kit=kit)
    steps: list[Step] = []
    advisories: list[tuple[int, Advisory]] = []
    day = 1
    number = 0
    for segment in segments:
        last = day + segment.days - 1
        if segment.dose_mg is None:
            day = last + 1
            continue
        number += 1
        plan = plans[segment.dose_mg]
        steps.append(
            Step(
                number,
                day,
                last,
                start + timedelta(days=day - 1),
                start + timedelta(days=last - 1),
                plan,
                segment.at_target,
                segment.note,
            )
        )
        advisories.extend((number, a) for a in plan.advisories)
        day = last + 1
    return Schedule(protocol, prep, start, tuple(steps), tuple(advisories))
