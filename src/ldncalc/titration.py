"""Titration protocols and the dated schedules built from them.

A protocol climbs through steps to a target dose; the schedule then holds the
target for a while (8 weeks by default, counted from the first day at the
target: the usual length of a trial of LDN). Protocols are data, shipped in
``data/protocols.toml``; custom ones are made from a start, a step, an interval
and a target, with the last step capped at the target.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.notation import format_dose_mg
from ldncalc.preparation import Advisory, DosePlan, Preparation, make_preparation, plan_dose
from ldncalc.syringes import Syringe
from ldncalc.units import dose

__all__ = [
    "DEFAULT_HOLD_DAYS",
    "DEFAULT_PROTOCOL_ID",
    "MAX_CLIMB_DAYS",
    "Protocol",
    "Schedule",
    "Step",
    "build_schedule",
    "custom_protocol",
    "get_protocol",
    "protocols",
]

DEFAULT_PROTOCOL_ID = "ldnrt-weekly"
DEFAULT_HOLD_DAYS = 56  # 8 weeks: the Stanford pilot's length; "about two months"
MAX_CLIMB_DAYS = 730  # a climb longer than two years is not a titration
MAX_HOLD_DAYS = 3653  # ten years


@dataclass(frozen=True, slots=True)
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
    start_mg: Fraction, step_mg: Fraction, every_days: int, target_mg: Fraction
) -> Protocol:
    """Return a protocol that starts at ``start_mg`` and adds ``step_mg`` every ``every_days``.

    The last step is capped at the target (1, 2, 3, 4, then 4.5 mg, never 5).

    Raises:
        InvalidInputError: a value not positive, or the start above the target.
        RefusedError: the climb would last longer than two years.
    """
    for name, value in (("start", start_mg), ("step", step_mg), ("target", target_mg)):
        if value <= 0:
            raise InvalidInputError(f"the {name} dose must be more than zero")
    if every_days < 1:
        raise InvalidInputError("the interval between steps must be at least one day")
    if start_mg > target_mg:
        raise InvalidInputError(
            f"the start ({format_dose_mg(start_mg)}) is above the target "
            f"({format_dose_mg(target_mg)})"
        )
    steps_needed = -(-(target_mg - start_mg) // step_mg)  # ceiling division
    if steps_needed * every_days > MAX_CLIMB_DAYS:
        raise RefusedError(
            f"steps of {format_dose_mg(step_mg)} every {every_days} days from "
            f"{format_dose_mg(start_mg)} take {steps_needed * every_days} days to reach "
            f"{format_dose_mg(target_mg)}, more than two years; use a larger step"
        )
    climb = tuple((start_mg + i * step_mg, every_days) for i in range(int(steps_needed)))
    return Protocol(
        id="custom",
        title="Custom schedule",
        description=(
            f"Start at {format_dose_mg(start_mg)} and add {format_dose_mg(step_mg)} every "
            f"{every_days} days, capped at {format_dose_mg(target_mg)}."
        ),
        source="given on the command line",
        climb=climb,
        target_mg=target_mg,
    )


@cache
def protocols() -> tuple[Protocol, ...]:
    """Return the shipped protocols, in the order of the data file."""
    text = (Path(__file__).parent / "data" / "protocols.toml").read_text("utf-8")
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
    raise InvalidInputError(f"no protocol {protocol_id!r}; choose one of: {known}")


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a schedule: a dose taken every day from first_day to last_day."""

    number: int
    first_day: int
    last_day: int
    first_date: date
    last_date: date
    plan: DosePlan
    at_target: bool

    @property
    def days(self) -> int:
        """Return how many days the step lasts."""
        return self.last_day - self.first_day + 1


@dataclass(frozen=True, slots=True)
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


def build_schedule(
    protocol: Protocol | str | None = None,
    *,
    start_date: date | None = None,
    preparation: Preparation | None = None,
    syringe: Syringe | None = None,
    hold_days: int = DEFAULT_HOLD_DAYS,
) -> Schedule:
    """Build the dated schedule of ``protocol``.

    Args:
        protocol: a protocol, a shipped protocol's id, or None for the default
            (LDN Research Trust: 1 mg, up 1 mg a week, to 4.5 mg).
        start_date: day 1 (default: today, the local date).
        preparation: the liquid (default: 1 x 50 mg tablet in 50 mL).
        syringe: measure every dose with this syringe (default: the catalogue).
        hold_days: days at the target, counted from its first day (default 56).

    Raises:
        InvalidInputError: an unknown protocol or a hold of less than a day.
        RefusedError: a dose the preparation cannot deliver or measure.
    """
    if protocol is None:
        protocol = get_protocol(DEFAULT_PROTOCOL_ID)
    elif isinstance(protocol, str):
        protocol = get_protocol(protocol)
    if not 1 <= hold_days <= MAX_HOLD_DAYS:
        raise InvalidInputError(
            f"the hold at the target must be 1 to {MAX_HOLD_DAYS} days, not {hold_days}"
        )
    prep = preparation if preparation is not None else make_preparation()
    start = start_date if start_date is not None else date.today()
    plans: dict[Fraction, DosePlan] = {}
    steps: list[Step] = []
    advisories: list[tuple[int, Advisory]] = []
    day = 1
    segments = [*((d, n, False) for d, n in protocol.climb), (protocol.target_mg, hold_days, True)]
    for number, (dose_mg, days, at_target) in enumerate(segments, start=1):
        if dose_mg not in plans:
            plans[dose_mg] = plan_dose(dose(dose_mg), prep, syringe)
        plan = plans[dose_mg]
        last = day + days - 1
        steps.append(
            Step(
                number,
                day,
                last,
                start + timedelta(days=day - 1),
                start + timedelta(days=last - 1),
                plan,
                at_target,
            )
        )
        advisories.extend((number, a) for a in plan.advisories)
        day = last + 1
    return Schedule(protocol, prep, start, tuple(steps), tuple(advisories))
