"""Judging the trial: a baseline, the PEG, the PGIC, the change read against IMMPACT, by dose.

Figures and their published benchmarks, never advice (DOMAIN.md, "Judging the
trial"). Pure functions over the diary's entries and the living plan; exact
arithmetic (:class:`~fractions.Fraction`), no I/O.

- A day is *scored* when it has a pain score. Its *PEG* score (Krebs et al.,
  J Gen Intern Med 2009;24:733) is the mean of its ``pain``, ``enjoyment`` and
  ``activity`` scores, when all three are scored that day. When several notes
  of a day score the same item, the last recorded (the highest id) counts, as
  in the history (:func:`~ldncalc.diary.status.history_days`).
- The *baseline* is the 14 days before the plan's start date; when fewer than
  3 of them are scored, the plan's first 7 days (``Window.kind`` says which).
- The *evaluation* is the 14 days ending on the review date, or on the
  report's last day when that comes first (from the plan's start at the
  earliest: a report ending in the first two weeks).
- A mean needs at least :data:`MIN_DAYS` days: with fewer it is None (a mean
  of one or two days is meaningless), and so is every figure made from it.
- The *IMMPACT reading* (Dworkin et al., J Pain 2008;9:105) of the change of
  the pain mean: ``substantial`` for a decrease of 50% or more, ``moderate``
  30% or more, ``minimal`` 10% or more, ``none`` otherwise.
- The *PGIC* (Patient Global Impression of Change, Guy 1976) is the latest
  recorded on or before the evaluation's last day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Literal, TypeAlias

from ldncalc.diary.entries import PEG_ITEMS, Entry, Note
from ldncalc.diary.history import HistoryDay
from ldncalc.diary.replan import LivingPlan, active_entries
from ldncalc.diary.status import history_days
from ldncalc.frozen import frozen

__all__ = [
    "BASELINE_DAYS",
    "EVALUATION_DAYS",
    "FIRST_WEEK_DAYS",
    "IMMPACT_SOURCE",
    "MIN_DAYS",
    "PEG_ITEMS",
    "PEG_SOURCE",
    "PGIC_WORDS",
    "Change",
    "DaySpan",
    "DoseFigures",
    "Immpact",
    "Pgic",
    "PgicWords",
    "Trial",
    "Week",
    "Window",
    "by_dose",
    "immpact_reading",
    "judge_trial",
    "latest_pgic",
    "mean",
    "peg_of",
    "trial_span",
    "unrecorded_days",
    "weeks",
    "window",
]

BASELINE_DAYS = 14  # the two weeks before the start (DOMAIN.md)
FIRST_WEEK_DAYS = 7  # the fallback baseline: the plan's first week
EVALUATION_DAYS = 14  # as many days at the end as in the baseline
MIN_DAYS = 3  # fewer scored days make a mean meaningless
IMMPACT_SOURCE = "Dworkin et al., J Pain 2008;9:105"
PEG_SOURCE = "Krebs et al., J Gen Intern Med 2009;24:733"
PgicWords: TypeAlias = Literal[
    "very much improved",
    "much improved",
    "minimally improved",
    "no change",
    "minimally worse",
    "much worse",
    "very much worse",
]
PGIC_WORDS: dict[int, PgicWords] = {
    1: "very much improved",
    2: "much improved",
    3: "minimally improved",
    4: "no change",
    5: "minimally worse",
    6: "much worse",
    7: "very much worse",
}

Immpact: TypeAlias = Literal["substantial", "moderate", "minimal", "none"]
WindowKind: TypeAlias = Literal["before-start", "first-week", "review", "report-end"]
# The IMMPACT benchmarks for a decrease of a 0 to 10 pain rating (percent), largest first.
_THRESHOLDS: tuple[tuple[int, Immpact], ...] = (
    (50, "substantial"),
    (30, "moderate"),
    (10, "minimal"),
)
_ONE = timedelta(days=1)


def peg_of(scores: dict[str, int]) -> Fraction | None:
    """Return the day's PEG score, the mean of its three items, or None unless all are scored."""
    if not all(item in scores for item in PEG_ITEMS):
        return None
    return Fraction(sum(scores[item] for item in PEG_ITEMS), len(PEG_ITEMS))


def mean(values: Sequence[Fraction | int], least: int = MIN_DAYS) -> Fraction | None:
    """Return the exact mean of ``values``, or None when there are fewer than ``least``."""
    if len(values) < max(least, 1):
        return None
    return Fraction(sum(values, Fraction(0)), len(values))


@frozen
class Window:
    """A run of days and its figures: the pain and PEG means (None from too few days).

    ``days_scored`` counts the days with a pain score, ``peg_days`` those with
    all three PEG items.
    """

    kind: WindowKind
    first: date
    last: date
    days_scored: int
    peg_days: int
    pain: Fraction | None
    peg: Fraction | None


def window(kind: WindowKind, days: Sequence[HistoryDay]) -> Window:
    """Return the figures of ``days`` (consecutive, at least one) as a window of ``kind``."""
    pains = [d.scores["pain"] for d in days if "pain" in d.scores]
    pegs = [p for p in (peg_of(d.scores) for d in days) if p is not None]
    return Window(kind, days[0].date, days[-1].date, len(pains), len(pegs), mean(pains), mean(pegs))


@frozen
class Change:
    """The change from the baseline to the evaluation: points, and percent of the baseline.

    A decrease is negative. Each figure is None when a mean it needs is None
    (or, for a percentage, when the baseline mean is 0).
    """

    pain_points: Fraction | None
    pain_percent: Fraction | None
    peg_points: Fraction | None
    peg_percent: Fraction | None


def _points(before: Fraction | None, after: Fraction | None) -> Fraction | None:
    return None if before is None or after is None else after - before


def _percent(before: Fraction | None, after: Fraction | None) -> Fraction | None:
    if before is None or after is None or before == 0:
        return None
    return (after - before) * 100 / before


def immpact_reading(baseline: Window, evaluation: Window) -> Immpact | None:
    """Return the IMMPACT reading of the change in pain, or None from too few scored days.

    A baseline mean of 0 cannot decrease: its reading is ``none``.
    """
    if baseline.pain is None or evaluation.pain is None:
        return None
    percent = _percent(baseline.pain, evaluation.pain)
    if percent is None:
        return "none"
    for threshold, reading in _THRESHOLDS:
        if -percent >= threshold:
            return reading
    return "none"


@frozen
class Pgic:
    """A Patient Global Impression of Change: 1 very much improved .. 7 very much worse."""

    date: date
    value: int

    @property
    def words(self) -> PgicWords:
        """Return the answer in the scale's own words ('much improved')."""
        return PGIC_WORDS[self.value]


def latest_pgic(entries: Sequence[Entry], up_to: date) -> Pgic | None:
    """Return the PGIC recorded last (by date, then id) on or before ``up_to``, or None."""
    found = [
        (e.day, e.id, e.payload.pgic)
        for e in active_entries(entries)
        if isinstance(e.payload, Note) and e.payload.pgic is not None and e.day <= up_to
    ]
    if not found:
        return None
    day, _, value = max(found)
    assert value is not None
    return Pgic(day, value)


@frozen
class DoseFigures:
    """What the days at one dose (taken that day, all doses together) hold.

    ``side_effects`` are (text, days recorded), the commonest first.
    """

    dose_mg: Fraction
    days_taken: int
    days_scored: int
    pain_mean: Fraction | None
    peg_mean: Fraction | None
    side_effects: tuple[tuple[str, int], ...]


def by_dose(days: Sequence[HistoryDay]) -> tuple[DoseFigures, ...]:
    """Return the figures of each dose taken in ``days``, in rising order of dose."""
    at: dict[Fraction, list[HistoryDay]] = {}
    for day in days:
        if day.taken_dose_mg is not None:
            at.setdefault(day.taken_dose_mg, []).append(day)
    result = []
    for dose in sorted(at):
        taken = at[dose]
        pains = [d.scores["pain"] for d in taken if "pain" in d.scores]
        pegs = [p for p in (peg_of(d.scores) for d in taken) if p is not None]
        counts: dict[str, int] = {}
        for d in taken:
            for effect in d.side_effects:
                counts[effect] = counts.get(effect, 0) + 1
        effects = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        result.append(DoseFigures(dose, len(taken), len(pains), mean(pains), mean(pegs), effects))
    return tuple(result)


@frozen
class Trial:
    """The trial judged: baseline and evaluation, the change, its reading, the PGIC, by dose."""

    baseline: Window
    evaluation: Window
    change: Change
    immpact: Immpact | None
    pgic: Pgic | None
    doses: tuple[DoseFigures, ...]


@frozen
class DaySpan:
    """The history's days over one span of dates, made once and cut for each window.

    A day of the history depends on that day alone, so the days of a window
    are the same cut from a longer span as made for the window itself.
    """

    first: date
    days: tuple[HistoryDay, ...]

    def between(self, start: date, end: date) -> tuple[HistoryDay, ...]:
        """Return the days from ``start`` to ``end``, both inside the span."""
        i, j = (start - self.first).days, (end - self.first).days + 1
        if not 0 <= i <= j <= len(self.days):
            raise ValueError(f"{start} to {end} is not inside the span of days")
        return self.days[i:j]


def _evaluation_end(living: LivingPlan, end: date) -> date:
    review = living.review_date
    return review if review is not None and review <= end else end


def trial_span(living: LivingPlan, end: date, start: date | None = None) -> tuple[date, date]:
    """Return the first and last day :func:`judge_trial` reads, every window included."""
    plan_start = living.start_date
    evaluation = _evaluation_end(living, end) - (EVALUATION_DAYS - 1) * _ONE
    first = min(plan_start - BASELINE_DAYS * _ONE, evaluation, start or plan_start)
    return first, max(end, plan_start + (FIRST_WEEK_DAYS - 1) * _ONE)


def judge_trial(
    living: LivingPlan,
    entries: Sequence[Entry],
    end: date,
    start: date | None = None,
    span: DaySpan | None = None,
) -> Trial:
    """Return the trial's figures, up to the report's last day ``end``.

    Args:
        living: the living plan the entries make (:func:`~ldncalc.diary.replan.replan`).
        entries: every entry of the diary (undone ones are left out here).
        end: the report's last day; the evaluation ends on it when the review is later.
        start: the report's first day, where the table by dose starts
            (default: the plan's start date).
        span: the history's days from :func:`trial_span`'s first to last day
            at least, when the caller has them (else they are made here).
    """
    if span is None:
        lo, hi = trial_span(living, end, start)
        span = DaySpan(lo, history_days(living, entries, lo, hi))
    days = span.between
    plan_start = living.start_date
    before = days(plan_start - BASELINE_DAYS * _ONE, plan_start - _ONE)
    baseline = window("before-start", before)
    if baseline.days_scored < MIN_DAYS:
        first_week = plan_start + (FIRST_WEEK_DAYS - 1) * _ONE
        baseline = window("first-week", days(plan_start, first_week))
    review = living.review_date
    kind: WindowKind = "review" if review is not None and review <= end else "report-end"
    last = _evaluation_end(living, end)
    # Days before the first dose are no evaluation of it (a report ending early).
    from_day = last - (EVALUATION_DAYS - 1) * _ONE
    if from_day < plan_start <= last:
        from_day = plan_start
    evaluation = window(kind, days(from_day, last))
    first = plan_start if start is None else start
    doses = by_dose(days(first, end)) if first <= end else ()
    return Trial(
        baseline=baseline,
        evaluation=evaluation,
        change=Change(
            _points(baseline.pain, evaluation.pain),
            _percent(baseline.pain, evaluation.pain),
            _points(baseline.peg, evaluation.peg),
            _percent(baseline.peg, evaluation.peg),
        ),
        immpact=immpact_reading(baseline, evaluation),
        pgic=latest_pgic(entries, last),
        doses=doses,
    )


# --------------------------------------------------------------------------- weeks


@frozen
class Week:
    """A week of the report (counted from its first day; the last may be shorter).

    ``planned`` and ``taken`` are the doses in the order they come, each run
    once (None: a day without a planned dose); ``means`` the mean of each
    score over the days scored that week, by name (None: not scored).
    """

    number: int
    first: date
    last: date
    planned: tuple[Fraction | None, ...]
    days_planned: int
    days_taken: int
    taken: tuple[Fraction, ...]
    means: tuple[tuple[str, Fraction | None], ...]


def _runs(values: Sequence[Fraction | None]) -> tuple[Fraction | None, ...]:
    runs: list[Fraction | None] = []
    for value in values:
        if not runs or runs[-1] != value:
            runs.append(value)
    return tuple(runs)


def weeks(days: Sequence[HistoryDay], scores: Sequence[str]) -> tuple[Week, ...]:
    """Cut ``days`` into weeks from the first; each score's mean is over its days scored."""
    result = []
    for number, i in enumerate(range(0, len(days), 7), start=1):
        part = days[i : i + 7]
        planned = [d for d in part if d.planned_dose_mg is not None]
        taken = _runs([d.taken_dose_mg for d in part if d.taken_dose_mg is not None])
        result.append(
            Week(
                number=number,
                first=part[0].date,
                last=part[-1].date,
                planned=_runs([d.planned_dose_mg for d in part]),
                days_planned=len(planned),
                days_taken=sum(1 for d in planned if d.taken),
                taken=tuple(t for t in taken if t is not None),
                means=tuple(
                    (name, mean([d.scores[name] for d in part if name in d.scores], 1))
                    for name in scores
                ),
            )
        )
    return tuple(result)


def unrecorded_days(days: Sequence[HistoryDay], up_to: date) -> tuple[date, ...]:
    """Return the days up to ``up_to`` with a planned dose and nothing recorded about it."""
    return tuple(
        d.date
        for d in days
        if d.planned_dose_mg is not None and not d.taken and not d.missed and d.date <= up_to
    )
