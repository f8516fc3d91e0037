"""What a recording method warns about: a code from one list, its parameters, and its words.

A :class:`DiaryWarning` is kept with the entry it concerns (the entry is
recorded all the same). Programs read ``code`` and ``params`` (amounts as exact
decimal text in mg, dates as YYYY-MM-DD); ``message`` is the library's sentence
for a person, which the CLI prints after ``Warning:``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, TypeAlias, get_args

from ldncalc.frozen import frozen
from ldncalc.notation import format_dose_mg

if TYPE_CHECKING:
    from ldncalc.dose.liquid import Preparation

__all__ = [
    "WARNING_CODES",
    "DiaryWarning",
    "WarningCode",
    "beyond_soft_limits",
    "day_warnings",
    "not_as_planned",
    "ten_times",
    "water_moved",
]

SLIP_FACTOR = 10  # a misplaced decimal point
NEVER_DOUBLE = "yesterday's dose was missed: take only today's dose, never double it"

# Every warning code, the one list (docs/library.md lists them with their params).
WarningCode: TypeAlias = Literal[
    "unplanned-dose",  # a dose recorded on a day with none planned: day, dose_mg
    "ten-times-planned",  # ten times (or more) the dose planned, or a tenth: dose_mg, planned_mg
    "not-planned-dose",  # a dose other than the planned one: dose_mg, planned_mg
    "above-usual-range",  # a target or dose above the usual low-dose range: what, dose_mg, usual_mg
    "above-usual-step",  # a rise above the usual step, confirmed: from_mg, to_mg, usual_mg
    "missed-yesterday",  # a day after a missed dose (never double it): day (the missed one)
    "doses-on-one-day",  # more than one dose recorded as taken on a day: day, count
    "water-on-mark",  # a bottle's concentration moved to put its water on a mark: asked, made
]
WARNING_CODES: tuple[WarningCode, ...] = get_args(WarningCode)


@frozen
class DiaryWarning:
    """One warning about an entry recorded: ``code``, its ``params``, and the words.

    ``str(warning)`` is ``message``.
    """

    code: WarningCode
    message: str
    params: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return self.message


def _mg(value: Fraction) -> str:
    from ldncalc.notation import decimal_text

    text, exact = decimal_text(value)
    return text if exact else f"{value.numerator}/{value.denominator}"


def water_moved(made: Preparation) -> list[DiaryWarning]:
    """Return the warning on a bottle whose concentration was moved to put its water on a mark."""
    asked = made.asked_mg_per_ml
    if asked is None:
        return []
    return [
        DiaryWarning(
            "water-on-mark",
            made.advisories[0].message,
            {"asked_mg_per_ml": _mg(asked), "made_mg_per_ml": _mg(made.concentration_mg_per_ml)},
        )
    ]


def not_as_planned(given: Fraction, planned: Fraction | None, day: date) -> list[DiaryWarning]:
    """Return the warnings on a dose taken that is not the one planned (none if it is)."""
    if planned is None:
        return [
            DiaryWarning(
                "unplanned-dose",
                f"no dose was planned on {day.isoformat()}; recorded as given",
                {"day": day.isoformat(), "dose_mg": _mg(given)},
            )
        ]
    if given == planned:
        return []
    params = {"dose_mg": _mg(given), "planned_mg": _mg(planned)}
    slip = ten_times(given, planned, "the planned", "recorded as given")
    if slip is not None:
        return [slip]
    return [
        DiaryWarning(
            "not-planned-dose",
            f"{format_dose_mg(given)} is not the planned {format_dose_mg(planned)}; "
            "recorded as given",
            params,
        )
    ]


def ten_times(
    given: Fraction, planned: Fraction, against: str, outcome: str, *, ask: bool = False
) -> DiaryWarning | None:
    """Return the warning on a dose ten times (or more) ``planned``, or a tenth; else None.

    The classic slips (a decimal point, mg for mcg): ``against`` names the dose
    compared with ("the planned"), ``outcome`` says what was done ("recorded as
    given"). With ``ask``, the warning asks "did you mean ...?" of the dose with
    the decimal point moved back (0.45 mg against 4.5 mg: 4.5 mg).
    """
    ratio = max(given / planned, planned / given)
    if ratio < SLIP_FACTOR:
        return None
    times = f"{int(ratio)} times" if ratio.denominator == 1 else "over ten times"
    more = "more" if given > planned else "less"
    moved = given / SLIP_FACTOR if given > planned else given * SLIP_FACTOR
    meant = f"did you mean {format_dose_mg(moved)}? " if ask else ""
    return DiaryWarning(
        "ten-times-planned",
        f"{format_dose_mg(given)} is {times} {more} than {against} {format_dose_mg(planned)}: "
        f"{meant}check the decimal point and mg against mcg; {outcome}",
        {"dose_mg": _mg(given), "planned_mg": _mg(planned)},
    )


def beyond_soft_limits(
    dose: Fraction, what: str, rises: Sequence[tuple[Fraction, Fraction]]
) -> list[DiaryWarning]:
    """Return the warnings on a confirmed dose or rise beyond the soft limits (none within).

    The limits and their words are the plan's (:func:`ldncalc.plan.titration.soft_limit_problems`);
    the rules of recording refuse them first unless the person confirmed.
    """
    from ldncalc.plan.titration import soft_limit_problems

    return [
        DiaryWarning(
            code,
            words,
            {k: v if isinstance(v, str) else _mg(v) for k, v in params.items()},
        )
        for code, words, params in soft_limit_problems(dose, rises, what)
    ]


def day_warnings(
    day: date,
    *,
    yesterday_missed: bool,
    doses_taken: int,
    taken_mg: Fraction | None,
    planned_mg: Fraction | None,
) -> tuple[DiaryWarning, ...]:
    """Return what a day's status warns about: a missed day before, several doses, a dose
    other than planned, a dose on a day with none planned (in that order)."""
    warnings: list[DiaryWarning] = []
    if yesterday_missed:
        missed = date.fromordinal(day.toordinal() - 1).isoformat()
        warnings.append(DiaryWarning("missed-yesterday", NEVER_DOUBLE, {"day": missed}))
    if doses_taken > 1:
        warnings.append(
            DiaryWarning(
                "doses-on-one-day",
                f"{doses_taken} doses are recorded as taken on this day",
                {"day": day.isoformat(), "count": str(doses_taken)},
            )
        )
    if taken_mg is not None and planned_mg is not None and taken_mg != planned_mg:
        warnings.append(
            DiaryWarning(
                "not-planned-dose",
                f"taken {format_dose_mg(taken_mg)}, but {format_dose_mg(planned_mg)} is planned",
                {"dose_mg": _mg(taken_mg), "planned_mg": _mg(planned_mg)},
            )
        )
    if doses_taken and planned_mg is None:
        warnings.append(
            DiaryWarning(
                "unplanned-dose",
                "a dose is recorded as taken on a day without a planned dose",
                {"day": day.isoformat()} | ({} if taken_mg is None else {"dose_mg": _mg(taken_mg)}),
            )
        )
    return tuple(warnings)
