"""Batches of liquid for a schedule: when to mix, when to discard, tablets needed.

A batch is one preparation (its tablets in its water). It may be used from
the day it is mixed (day 1 of its life) to its discard date, the last day of
its beyond-use period: with 14 days, the mixing day + 13. USP <795> gives 14
days, refrigerated, to a non-preserved water-based preparation; no stability
study exists for tablets in plain water, so ldncalc does not stretch it.

A new batch is mixed on the first day the current one cannot serve: past its
discard date, or holding less than that day's dose. Whatever is left in the
old batch is thrown away, and the plan says how much.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from ldncalc.errors import InvalidInputError
from ldncalc.titration import Schedule

__all__ = [
    "DEFAULT_KEEP_DAYS",
    "Batch",
    "SupplyPlan",
    "parse_price",
    "plan_batches",
]

_PRICE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
DEFAULT_KEEP_DAYS = 14
MAX_KEEP_DAYS = 90
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Batch:
    """One batch: mixed on mix_date, used on days first_day to last_day, never after discard.

    ``discard_date`` is the end of the beyond-use period; ``last_use_date`` is
    the day of its last dose, earlier when the next dose would not fit in it.
    """

    number: int
    mix_date: date
    discard_date: date
    last_use_date: date
    first_day: int
    last_day: int
    tablets: int
    water_ml: Fraction
    used_ml: Fraction

    @property
    def wasted_ml(self) -> Fraction:
        """Return the liquid thrown away when the batch is replaced or the plan ends."""
        return self.water_ml - self.used_ml


@dataclass(frozen=True, slots=True)
class SupplyPlan:
    """The batches of a schedule and what they cost in tablets (and money, if priced)."""

    keep_days: int
    batches: tuple[Batch, ...]
    tablet_price: Decimal | None
    days: int

    @property
    def tablets(self) -> int:
        """Return the tablets for the whole schedule, hold included."""
        return sum(b.tablets for b in self.batches)

    @property
    def cost(self) -> Decimal | None:
        """Return the cost of the tablets, to the cent, or None without a price."""
        if self.tablet_price is None:
            return None
        return (self.tablet_price * self.tablets).quantize(CENT, ROUND_HALF_UP)

    @property
    def cost_per_month(self) -> Decimal | None:
        """Return the average cost per month (365.25 / 12 days), to the cent."""
        if self.tablet_price is None:
            return None
        monthly = self.tablet_price * self.tablets * DAYS_PER_MONTH / self.days
        return monthly.quantize(CENT, ROUND_HALF_UP)


def parse_price(text: str) -> Decimal:
    """Read a tablet price such as ``1.20``.

    Raises:
        InvalidInputError: not a positive, finite amount with at most four decimals.
    """
    raw = text.strip()
    if "," in raw:
        raise InvalidInputError(f"{raw!r}: write the price with a decimal point, e.g. 1.20")
    if not _PRICE.fullmatch(raw):
        raise InvalidInputError(f"{raw!r} is not a price; write e.g. 1.20 (digits 0-9)")
    try:
        price = Decimal(raw)
    except InvalidOperation as exc:
        raise InvalidInputError(f"{raw!r} is not a price; write e.g. 1.20") from exc
    if not price.is_finite() or price <= 0 or price > 10000:
        raise InvalidInputError(f"{raw!r}: a tablet price must be more than 0 and at most 10000")
    if -price.as_tuple().exponent > 4:  # type: ignore[operator]
        raise InvalidInputError(f"{raw!r}: give the price to at most four decimals")
    return price


def plan_batches(
    schedule: Schedule,
    keep_days: int = DEFAULT_KEEP_DAYS,
    tablet_price: Decimal | None = None,
) -> SupplyPlan:
    """Plan the batches that serve every day of ``schedule``.

    Args:
        schedule: the dated schedule.
        keep_days: the beyond-use period in days; the mixing day counts as day 1.
        tablet_price: the price of one tablet, for the cost.

    Raises:
        InvalidInputError: a beyond-use period outside 1 to 90 days.
    """
    if not 1 <= keep_days <= MAX_KEEP_DAYS:
        raise InvalidInputError(f"a batch must be kept 1 to {MAX_KEEP_DAYS} days, not {keep_days}")
    prep = schedule.preparation
    water_ml = prep.water_ml
    batches: list[Batch] = []
    first = last = 0
    used = Fraction(0)
    for day, _, step in schedule.daily():
        need = step.plan.measurement.measured_ml
        expired = first and day > first + keep_days - 1
        if not first or expired or used + need > water_ml:
            if first:
                batches.append(_batch(schedule, len(batches) + 1, first, last, keep_days, used))
            first, used = day, Fraction(0)
        used += need
        last = day
    batches.append(_batch(schedule, len(batches) + 1, first, last, keep_days, used))
    return SupplyPlan(keep_days, tuple(batches), tablet_price, schedule.days)


def _batch(
    schedule: Schedule, number: int, first: int, last: int, keep_days: int, used: Fraction
) -> Batch:
    mix = schedule.date_of(first)
    prep = schedule.preparation
    return Batch(
        number=number,
        mix_date=mix,
        discard_date=mix + timedelta(days=keep_days - 1),
        last_use_date=schedule.date_of(last),
        first_day=first,
        last_day=last,
        tablets=prep.tablets,
        water_ml=prep.water_ml,
        used_ml=used,
    )
