"""Batches of liquid for a schedule: when to mix, when to discard, tablets needed.

A batch is one bottle of liquid: the stock (tablets in water), or a diluted
liquid made from a stock batch (the dilution stages of a step's dose). It may
be used from the day it is mixed (day 1 of its life) to its discard date, the
last day of its beyond-use period: with 14 days, the mixing day + 13. USP <795>
gives 14 days, refrigerated, to a non-preserved water-based preparation; no
stability study exists for tablets in plain water, so ldncalc does not
stretch it. A diluted liquid is mixed from a stock batch within its own keep
period, and is discarded no later than that stock.

No bottle is planned to its last drop: a syringe cannot draw the last
millilitres and some liquid is lost, so each batch keeps a reserve (10% of
its liquid, at least 2 mL, unless told otherwise) that no planned dose uses.
A new batch is mixed on the first day the current one cannot serve: past its
discard date, or holding less than that day's dose above its reserve, or on a
day the diary says a batch was mixed. Whatever is left in the old batch is
thrown away, and the plan says how much.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc.errors import ArgumentTypeError, InvalidInputError, RefusedError
from ldncalc.frozen import frozen
from ldncalc.notation import format_volume_ml
from ldncalc.plan.keeping import (
    DEFAULT_KEEP_DAYS,
    MAX_KEEP_DAYS,
    default_reserve_ml,
)

if TYPE_CHECKING:  # annotations only: naming a dose's liquid loads neither protocols nor search
    from ldncalc.dose.dilution import DilutionStage
    from ldncalc.dose.preparation import DosePlan
    from ldncalc.inputs import Amount
    from ldncalc.plan.titration import Schedule

__all__ = [
    "DEFAULT_KEEP_DAYS",
    "Batch",
    "Liquid",
    "SupplyPlan",
    "check_batches",
    "default_reserve_ml",
    "liquid_of",
    "parse_price",
    "plan_batches",
]

_PRICE = re.compile(r"[0-9]+(?:\.[0-9]+)?")
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
CENT = Decimal("0.01")


@frozen
class Liquid:
    """The liquid a volume is drawn from: the stock, or the last stage of a dilution of it.

    A volume means nothing without it: 1 mL of the 0.1 mg/mL dilution is 0.1 mg,
    of the 1 mg/mL stock 1 mg. ``stage`` is 0 for the stock, else the number of
    the dilution stage that made the liquid; ``stages`` are the stages that make
    it from the stock (none for the stock itself).
    """

    concentration_mg_per_ml: Fraction
    stages: tuple[DilutionStage, ...] = ()
    stage: int = 0

    @property
    def name(self) -> str:
        """Return the liquid's name: 'stock', or 'dilution N'.

        N is the liquid's number among its schedule's dilutions (two liquids of a
        schedule never share a name), else the number of its stage.
        """
        if self.stage == 0:
            return "stock"
        number = (self.stages[-1].number or self.stage) if self.stages else self.stage
        return f"dilution {number}"

    @property
    def is_stock(self) -> bool:
        """Return whether the liquid is the stock itself."""
        return self.stage == 0


def liquid_of(plan: DosePlan) -> Liquid:
    """Return the liquid a dose plan's volume is drawn from (the one place this is decided)."""
    return Liquid(plan.drawn_concentration_mg_per_ml, plan.dilution, len(plan.dilution))


@frozen
class Batch:
    """One bottle: mixed on mix_date, used on days first_day to last_day, never after discard.

    ``discard_date`` is the end of the beyond-use period (never later than the
    stock's for a diluted liquid); ``last_use_date`` is the day of its last dose,
    earlier when the next dose would not fit in it. ``liquid`` is "stock" or
    "dilution"; a dilution names the stock batch it is made from and its stages.
    ``water_ml`` is the water added (for a dilution, over all its stages);
    ``volume_ml`` the liquid made; ``reserve_ml`` what no planned dose uses.
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
    liquid: str = "stock"
    volume_ml: Fraction | None = None
    reserve_ml: Fraction = Fraction(0)
    stages: tuple[DilutionStage, ...] = ()
    made_from: int | None = None

    @property
    def liquid_ml(self) -> Fraction:
        """Return the liquid in the bottle when mixed."""
        return self.water_ml if self.volume_ml is None else self.volume_ml

    @property
    def wasted_ml(self) -> Fraction:
        """Return the liquid thrown away when the batch is replaced or the plan ends."""
        return self.liquid_ml - self.used_ml


@frozen
class SupplyPlan:
    """The batches of a schedule and what they cost in tablets (and money, if priced)."""

    keep_days: int
    batches: tuple[Batch, ...]
    tablet_price: Decimal | None
    days: int
    reserve_ml: Fraction = Fraction(0)  # what each stock bottle keeps back

    @property
    def tablets(self) -> int:
        """Return the tablets for the whole schedule, hold included."""
        return sum(b.tablets for b in self.batches)

    @property
    def water_ml(self) -> Fraction:
        """Return the water for the whole schedule, dilutions included."""
        return sum((b.water_ml for b in self.batches), Fraction(0))

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

    def in_use_on(self, day: date) -> tuple[Batch, ...]:
        """Return the batches a dose is drawn from on ``day`` (a stock, and maybe a dilution)."""
        return tuple(b for b in self.batches if b.mix_date <= day <= b.last_use_date)


def parse_price(text: str) -> Decimal:
    """Read a tablet price such as ``1.20``.

    Raises:
        InvalidInputError: not a positive, finite amount with at most four decimals.
    """
    raw = text.strip()
    if "," in raw:
        raise InvalidInputError(
            f"{raw!r}: write the price with a decimal point, e.g. 1.20", code="price-invalid"
        )
    if not _PRICE.fullmatch(raw):
        raise InvalidInputError(
            f"{raw!r} is not a price; write e.g. 1.20 (digits 0-9)", code="price-invalid"
        )
    try:
        price = Decimal(raw)
    except InvalidOperation as exc:
        raise InvalidInputError(
            f"{raw!r} is not a price; write e.g. 1.20", code="price-invalid"
        ) from exc
    if not price.is_finite() or price <= 0 or price > 10000:
        raise InvalidInputError(
            f"{raw!r}: a tablet price must be more than 0 and at most 10000", code="price-invalid"
        )
    if -price.as_tuple().exponent > 4:  # type: ignore[operator]
        raise InvalidInputError(
            f"{raw!r}: give the price to at most four decimals", code="price-invalid"
        )
    return price


class _Open:
    """A bottle being used while the batches are planned."""

    __slots__ = ("discard", "first", "last", "made_from", "mix", "recipe", "usable", "used")

    def __init__(
        self,
        first: int,
        mix: date,
        discard: date,
        usable: Fraction,
        recipe: tuple[DilutionStage, ...] = (),
        made_from: int | None = None,
    ) -> None:
        self.first = self.last = first
        self.mix, self.discard, self.usable = mix, discard, usable
        self.used = Fraction(0)
        self.recipe = recipe
        self.made_from = made_from

    def serves(self, when: date, need: Fraction) -> bool:
        return when <= self.discard and self.used + need <= self.usable


def _check_keeps(value: object, name: str) -> None:
    """Refuse a mapping of mixing days that is not dates to whole numbers of days."""
    from ldncalc.errors import ArgumentTypeError

    if value is None or not isinstance(value, Mapping):
        if value is None or name == "mix_dates":
            return
        raise ArgumentTypeError(f"{name} must map dates to days kept, not {value!r}")
    for day, kept in value.items():
        if isinstance(day, datetime) or not isinstance(day, date):
            raise ArgumentTypeError(f"{name} must map dates to days kept, not {day!r}")
        if isinstance(kept, bool) or not isinstance(kept, int):
            raise ArgumentTypeError(f"{name} must map dates to days kept, not {kept!r}")


def plan_batches(
    schedule: Schedule,
    keep_days: int = DEFAULT_KEEP_DAYS,
    tablet_price: Decimal | None = None,
    *,
    reserve_ml: Amount | None = None,
    mix_dates: Sequence[date] | Mapping[date, int] = (),
    until: date | None = None,
    dilution_dates: Mapping[date, int] | None = None,
) -> SupplyPlan:
    """Plan the bottles that serve every day of ``schedule``: stock, and diluted liquids.

    Args:
        schedule: the dated schedule.
        keep_days: the beyond-use period in days; the mixing day counts as day 1.
        tablet_price: the price of one tablet, for the cost.
        reserve_ml: the stock's reserve (default 10% of its water, at least 2 mL);
            a diluted liquid keeps 10% of itself, at least 2 mL.
        mix_dates: days a stock batch was (or will be) mixed whatever the plan says
            (the diary's ``mixed`` entries); a mapping gives each its own keep period.
        until: plan the bottles of the days up to this one only (the bottles a
            day's dose comes from depend on the days before it, never after).
        dilution_dates: days a diluted liquid was mixed whatever the plan says
            (the diary's ``diluted`` entries), each with its keep period: on a
            day that draws from a dilution, a new diluted bottle starts there.

    Raises:
        InvalidInputError: a beyond-use period outside 1 to 90 days, or a reserve
            not below the water.
        RefusedError: a day's dose does not fit a bottle above its reserve.
    """
    reserve, keeps, diluted_keeps = _checked(
        schedule, keep_days, tablet_price, reserve_ml, mix_dates, until, dilution_dates
    )
    water_ml = schedule.preparation.water_ml
    batches: list[Batch] = []
    keep = timedelta(days=keep_days - 1)
    stock: _Open | None = None
    diluted: _Open | None = None

    def close_stock() -> None:
        nonlocal stock
        if stock is not None:
            batches.append(_stock_batch(schedule, len(batches) + 1, stock, water_ml, reserve))
            stock = None

    def close_diluted() -> None:
        nonlocal diluted
        if diluted is not None:
            batches.append(_diluted_batch(schedule, len(batches) + 1, diluted))
            diluted = None

    stock_usable = water_ml - reserve

    def stock_for(day: int, when: date, need: Fraction) -> _Open:
        nonlocal stock  # need fits above the reserve: _checked refused any that does not
        if stock is None or not stock.serves(when, need) or (when in keeps and stock.mix != when):
            close_stock()
            kept = timedelta(days=keeps[when] - 1) if when in keeps else keep
            stock = _Open(day, when, when + kept, stock_usable)
        return stock

    forced_stock, forced_diluted = sorted(keeps), sorted(diluted_keeps)
    # Day by day, a bottle serves until a day it cannot; that day is found for
    # a whole run of equal doses at once (ten years of diary plan in a blink).
    for step in schedule.steps:
        plan = step.plan
        need = plan.measurement.measured_ml
        forced = forced_diluted if plan.dilution else forced_stock
        day = step.first_day
        last = step.last_day
        if until is not None:
            last = min(last, (until - schedule.start_date).days + 1)
        while day <= last:
            when = schedule.date_of(day)
            if not plan.dilution:
                close_diluted()
                bottle = stock_for(day, when, need)
            else:
                if (
                    diluted is None
                    or diluted.recipe != plan.dilution
                    or not diluted.serves(when, need)
                    or (when in diluted_keeps and diluted.mix != when)
                ):
                    close_diluted()
                    made = plan.dilution[-1].total_ml
                    base = stock_for(day, when, plan.dilution[0].aliquot_ml)
                    base.used += plan.dilution[0].aliquot_ml
                    base.last = day
                    usable = made - default_reserve_ml(made)
                    if need > usable:
                        usable = made - min(default_reserve_ml(made), made - need)
                    kept = (
                        timedelta(days=diluted_keeps[when] - 1) if when in diluted_keeps else keep
                    )
                    diluted = _Open(
                        day, when, min(when + kept, base.discard), usable, plan.dilution, None
                    )
                    # the stock batch's number is fixed when it closes; remember it by mix day
                    diluted.made_from = base.first
                bottle = diluted
            # The bottle serves today; it goes on serving while it is in date,
            # holds the next day's dose above its reserve, and no bottle of its
            # liquid is recorded as mixed on that day.
            days = min(last - day, (bottle.discard - when).days) + 1
            if need:
                days = min(days, (bottle.usable - bottle.used) // need)
            days = max(_until_forced(forced, when, days), 1)
            bottle.used += need * days
            bottle.last = day + days - 1
            day += days
    close_diluted()
    close_stock()
    return SupplyPlan(keep_days, _numbered(batches), tablet_price, schedule.days, reserve)


def check_batches(
    schedule: Schedule,
    keep_days: int = DEFAULT_KEEP_DAYS,
    *,
    reserve_ml: Amount | None = None,
    mix_dates: Sequence[date] | Mapping[date, int] = (),
    until: date | None = None,
    dilution_dates: Mapping[date, int] | None = None,
) -> None:
    """Raise what :func:`plan_batches` would raise with these arguments, planning nothing.

    For a caller that needs the bottles only on some days (``today`` while the
    diary records the stock bottles), so that every day refuses alike.
    """
    _checked(schedule, keep_days, None, reserve_ml, mix_dates, until, dilution_dates)


def _checked(
    schedule: Schedule,
    keep_days: int,
    tablet_price: Decimal | None,
    reserve_ml: Amount | None,
    mix_dates: Sequence[date] | Mapping[date, int],
    until: date | None,
    dilution_dates: Mapping[date, int] | None,
) -> tuple[Fraction, dict[date, int], dict[date, int]]:
    """Check plan_batches' arguments and every dose; return the reserve and the forced mixes."""
    from ldncalc import inputs
    from ldncalc.plan.titration import Schedule

    inputs.of_type(schedule, Schedule, "schedule")
    if isinstance(keep_days, bool) or not isinstance(keep_days, int):
        inputs.count(keep_days, "keep_days", 1, MAX_KEEP_DAYS)  # raises ArgumentTypeError
    if not 1 <= keep_days <= MAX_KEEP_DAYS:
        raise InvalidInputError(
            f"a batch must be kept 1 to {MAX_KEEP_DAYS} days, not {keep_days}",
            code="number-out-of-range",
        )
    if tablet_price is not None and not isinstance(tablet_price, Decimal):
        raise ArgumentTypeError(
            f"tablet_price must be a Decimal (parse_price reads one from text), "
            f"not {tablet_price!r}"
        )
    if reserve_ml is not None:
        reserve_ml = inputs.volume_ml(reserve_ml, "reserve_ml")
    if until is not None:
        inputs.day(until, "until")
    if not isinstance(mix_dates, Mapping):
        inputs.items_of(mix_dates, date, "mix_dates")
    _check_keeps(mix_dates, "mix_dates")
    _check_keeps(dilution_dates, "dilution_dates")
    water_ml = schedule.preparation.water_ml
    reserve = default_reserve_ml(water_ml) if reserve_ml is None else reserve_ml
    if not 0 < reserve < water_ml:
        raise InvalidInputError(
            f"the reserve must be more than 0 mL (no bottle is planned to its last drop) "
            f"and less than the water ({format_volume_ml(water_ml)}), "
            f"not {format_volume_ml(reserve)}",
            code="number-out-of-range",
        )
    keeps = (
        dict(mix_dates) if isinstance(mix_dates, Mapping) else dict.fromkeys(mix_dates, keep_days)
    )
    diluted_keeps = dict(dilution_dates or {})
    for forced_keep in (*keeps.values(), *diluted_keeps.values()):
        if not 1 <= forced_keep <= MAX_KEEP_DAYS:
            raise InvalidInputError(
                f"a batch must be kept 1 to {MAX_KEEP_DAYS} days, not {forced_keep}",
                code="number-out-of-range",
            )
    keep = timedelta(days=keep_days - 1)
    if (date.max - schedule.end_date) < keep:
        raise InvalidInputError(
            f"the last bottle's keep period ({keep_days} days from as late as "
            f"{schedule.end_date.isoformat()}) would run past the calendar; choose an "
            "earlier start date",
            code="date-out-of-range",
        )
    # Every bottle of stock gives a day's dose, or a dilution's first aliquot, above
    # its reserve: refused at the first step (up to ``until``) whose volume does not fit.
    usable = water_ml - reserve
    last = None if until is None else (until - schedule.start_date).days + 1
    for step in schedule.steps:
        if last is not None and step.first_day > last:
            break
        plan = step.plan
        need = plan.dilution[0].aliquot_ml if plan.dilution else plan.measurement.measured_ml
        if need > usable:
            raise RefusedError(
                f"a day needs {format_volume_ml(need)} of stock, more than a bottle of "
                f"{format_volume_ml(water_ml)} gives above its reserve "
                f"({format_volume_ml(reserve)})",
                code="dose-above-bottle",
            )
    return reserve, keeps, diluted_keeps


def _until_forced(forced: Sequence[date], when: date, days: int) -> int:
    """Return ``days`` cut short at the first of the sorted ``forced`` days after ``when``."""
    index = bisect_right(forced, when)
    if index < len(forced):
        return min(days, (forced[index] - when).days)
    return days


def _numbered(batches: list[Batch]) -> tuple[Batch, ...]:
    """Number the batches by mixing day (stock before its dilution), and link dilutions."""
    ordered = sorted(batches, key=lambda b: (b.first_day, b.liquid != "stock"))
    number_of = {}
    result = []
    for number, b in enumerate(ordered, start=1):
        if b.liquid == "stock":
            number_of[b.first_day] = number
        made_from = number_of.get(b.made_from) if b.made_from is not None else None
        if (b.number, b.made_from) == (number, made_from):  # already so (every stock-only plan)
            result.append(b)
            continue
        result.append(
            Batch(
                number,
                b.mix_date,
                b.discard_date,
                b.last_use_date,
                b.first_day,
                b.last_day,
                b.tablets,
                b.water_ml,
                b.used_ml,
                b.liquid,
                b.volume_ml,
                b.reserve_ml,
                b.stages,
                made_from,
            )
        )
    return tuple(result)


def _stock_batch(
    schedule: Schedule, number: int, bottle: _Open, water_ml: Fraction, reserve: Fraction
) -> Batch:
    return Batch(
        number=number,
        mix_date=bottle.mix,
        discard_date=bottle.discard,
        last_use_date=schedule.date_of(bottle.last),
        first_day=bottle.first,
        last_day=bottle.last,
        tablets=schedule.preparation.tablets,
        water_ml=water_ml,
        used_ml=bottle.used,
        reserve_ml=reserve,
    )


def _diluted_batch(schedule: Schedule, number: int, bottle: _Open) -> Batch:
    made = bottle.recipe[-1].total_ml
    return Batch(
        number=number,
        mix_date=bottle.mix,
        discard_date=bottle.discard,
        last_use_date=schedule.date_of(bottle.last),
        first_day=bottle.first,
        last_day=bottle.last,
        tablets=0,
        water_ml=sum((s.water_ml for s in bottle.recipe), Fraction(0)),
        used_ml=bottle.used,
        liquid="dilution",
        volume_ml=made,
        reserve_ml=made - bottle.usable,
        stages=bottle.recipe,
        made_from=bottle.made_from,
    )
