"""The prescriber's report: one self-contained HTML page, or the same as Markdown.

What a patient brings to the prescriber after weeks or months of the living
plan: the plan and each change with its date and reason, the days taken of the
days planned, the days at each dose, side effects and notes by date, the review
date, and a chart of the dose over time with each score on its 0 to 10 scale.

The HTML has no scripts and fetches nothing: the CSS and the chart (SVG) are
inline. It prints on A4 and US Letter alike (the content is narrower than both;
each block is kept whole on a page). Every number a person reads is written by
ldncalc's safe-notation formatter, and every text the user typed is escaped.
The Markdown has the same content, with a table of the weeks instead of the
chart (the HTML has that table too: it is the chart in numbers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from html import escape

from ldncalc._version import __version__
from ldncalc.diary.living import Report, preparation_of, protocol_of, syringe_of
from ldncalc.diary.replan import PlannedSegment
from ldncalc.diary.status import Adherence, HistoryDay
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import decimal_text, format_dose_mg, round_half_up

__all__ = ["SECTIONS", "report_html", "report_markdown"]

TITLE = "LDN diary report"
# The headings of the sections, in order, in both the HTML and the Markdown.
SECTIONS = (
    "At a glance",
    "Chart: dose and scores",
    "Plan",
    "Changes to the plan",
    "Adherence",
    "Days at each dose",
    "Side effects",
    "Notes",
    "Week by week",
    "Review",
)
CHART_HEADING = SECTIONS[1]
ACTIONS = {
    "plan": "Plan started",
    "back": "Back a step",
    "hold": "Hold",
    "resume": "Resume",
    "slower": "Climb more slowly",
    "target": "New target",
    "dose": "Dose set",
    "stop": "Stopped",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NONE_RECORDED = "None recorded in this period."
NO_VALUE = "\N{EN DASH}"  # no value that week
SCORE_SCALE = "0 none, 10 worst"

CSS = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
  color: #000; margin: 0 auto; max-width: 180mm; line-height: 1.35; overflow-wrap: anywhere; }
h1 { font-size: 18pt; margin: 0 0 3mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 1.5mm 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 1mm 0; }
th, td { border: 0.6pt solid #555; padding: 1.2mm 1.5mm; vertical-align: top;
  overflow-wrap: anywhere; text-align: left; }
th { background: #eee; }
thead { display: table-header-group; }
tr, li { break-inside: avoid; }
.notice { border: 1.5pt solid #000; padding: 3mm; margin: 4mm 0; font-weight: bold;
  break-inside: avoid; }
.block { break-inside: avoid; }
.meta { font-size: 10pt; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 3mm;
  margin: 1mm 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
figure.chart { margin: 0; break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 9pt; color: #333; margin-top: 1mm; }
td.note { white-space: pre-wrap; }
.num { text-align: right; }
.small { font-size: 9pt; color: #333; }
.nw { white-space: nowrap; }
"""

# --------------------------------------------------------------------------- content


def _number(value: Fraction) -> str:
    return decimal_text(value)[0]


def _percent(days_taken: int, days_planned: int) -> str:
    """Return days taken / days planned as a whole percentage, rounded half up."""
    return _number(round_half_up(Fraction(100 * days_taken, days_planned), Fraction(1))) + "%"


def _adherence_text(a: Adherence) -> str:
    if a.days_planned == 0:
        return "no day with a planned dose in this period"
    return f"{a.days_taken} of {a.days_planned} days ({_percent(a.days_taken, a.days_planned)})"


def _doses_text(doses: Iterable[Fraction | None]) -> str:
    """Write the doses in the order they come, each run once: '3 mg then 2 mg'."""
    runs: list[Fraction | None] = []
    for dose in doses:
        if not runs or runs[-1] != dose:
            runs.append(dose)
    return " then ".join("none" if d is None else format_dose_mg(d) for d in runs) or "none"


def _mean_text(values: Sequence[int]) -> str:
    if not values:
        return NO_VALUE
    return _number(round_half_up(Fraction(sum(values), len(values)), Fraction(1, 10)))


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


@dataclass(frozen=True, slots=True)
class _Week:
    number: int
    first: date
    last: date
    planned: str
    taken: str
    means: tuple[str, ...]


def _weeks(report: Report) -> list[_Week]:
    """Cut the period into weeks from its first day (the last one may be shorter)."""
    weeks = []
    for number, i in enumerate(range(0, len(report.days), 7), start=1):
        days = report.days[i : i + 7]
        planned = [d for d in days if d.planned_dose_mg is not None]
        taken = [d for d in planned if d.taken]
        taken_doses = [d.taken_dose_mg for d in days if d.taken_dose_mg is not None]
        taken_text = f"{len(taken)} of {_days(len(planned))}"
        if taken_doses:
            taken_text += ": " + _doses_text(taken_doses)
        weeks.append(
            _Week(
                number=number,
                first=days[0].date,
                last=days[-1].date,
                planned=_doses_text(d.planned_dose_mg for d in days),
                taken=taken_text,
                means=tuple(
                    _mean_text([d.scores[name] for d in days if name in d.scores])
                    for name in report.scores
                ),
            )
        )
    return weeks


def _dose_on_end(report: Report) -> str:
    dose = report.days[-1].planned_dose_mg if report.days else None
    return "none planned" if dose is None else format_dose_mg(dose)


def _review_text(report: Report) -> str:
    living = report.living
    if report.review_date is not None:
        final = next(s.dose_mg for s in reversed(living.segments) if s.dose_mg is not None)
        return (
            f"{report.review_date.isoformat()}: eight weeks after the first day at the "
            f"final dose ({format_dose_mg(final)}), when you and your prescriber judge "
            "whether it works."
        )
    if living.stopped_on is not None:
        return f"No review date is set: the trial stopped on {living.stopped_on.isoformat()}."
    return "No review date is set."


def _glance(report: Report) -> list[tuple[str, str]]:
    return [
        (f"Planned dose on {report.end.isoformat()}", _dose_on_end(report)),
        ("Target", format_dose_mg(report.living.target_mg)),
        ("Days taken of days planned", _adherence_text(report.adherence)),
        ("Review date", report.review_date.isoformat() if report.review_date else "none set"),
    ]


def _plan_facts(report: Report) -> list[tuple[str, str]]:
    living = report.living
    plan = living.plan
    protocol = protocol_of(plan)
    target = format_dose_mg(living.target_mg)
    if living.target_mg != plan.target_mg:
        target += f" (the plan started with {format_dose_mg(plan.target_mg)})"
    facts = [
        ("Protocol", protocol.title),
        ("Steps when started", protocol.description),
        ("Started on", plan.start_date.isoformat()),
        ("Target", target),
        ("At the target", f"{plan.hold_days} days, then the review"),
        ("Preparation", preparation_of(plan).label),
        ("Each bottle", f"{plan.keep_days} days, the mixing day being day 1"),
    ]
    syringe = syringe_of(plan)
    if syringe is not None:
        facts.append(("Syringe", syringe.label))
    if living.stopped_on is not None:
        status = f"stopped on {living.stopped_on.isoformat()}"
    elif living.held:
        status = "on hold: no increase until the climb is resumed"
    elif living.open_ended:
        status = "goes on at the final dose until stopped"
    elif living.end_date is not None:
        status = f"planned to {living.end_date.isoformat()}"
    else:
        status = "no dose planned"
    facts.append(("Now", status))
    return facts


@dataclass(frozen=True, slots=True)
class _StepRow:
    first: date
    last: date
    dose: str
    change: str


def _step_rows(report: Report) -> list[_StepRow]:
    """Return the plan's dosed runs as it stands now, each change named where it starts."""
    rows = []
    previous: str | None = None
    for segment in report.living.segments:
        if segment.dose_mg is None:
            previous = None
            continue
        reason = segment.reason if segment.reason != previous else None
        previous = segment.reason
        dose = format_dose_mg(segment.dose_mg) + (" (target)" if segment.at_target else "")
        rows.append(_StepRow(segment.first_date, segment.last_date, dose, reason or ""))
    return rows


def _unrecorded(report: Report, up_to: date) -> list[date]:
    return [
        d.date
        for d in report.days
        if d.planned_dose_mg is not None and not d.taken and not d.missed and d.date <= up_to
    ]


def _dose_of_day(days: dict[date, HistoryDay], day: date) -> str:
    found = days.get(day)
    if found is None or found.planned_dose_mg is None:
        return "none planned"
    return format_dose_mg(found.planned_dose_mg)


# --------------------------------------------------------------------------- chart

WIDTH = 680
LEFT = 52
RIGHT = 14
PLOT_W = WIDTH - LEFT - RIGHT
DOSE_TOP = 24
DOSE_H = 150
SCORE_GAP = 36
SCORE_H = 120
FONT = 11
CHAR_W = Fraction(63, 10)  # a generous width of one character at FONT, for layout
COLOURS = ("#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")
DASHES = ("", "6 3", "2 2", "8 3 2 3")
SHAPES = ("circle", "square", "triangle", "diamond")
TAKEN = "#1f5fbf"
MISSED = "#b00000"
MARK = 3  # half the size of a marker
LEGEND_NAME_MAX = 32
MAX_WEEK_TICKS_DAYS = 200  # beyond, a tick a week would be a grey smear


def _c(value: Fraction | int) -> str:
    """Write an SVG coordinate to a tenth of a unit."""
    return _number(round_half_up(Fraction(value), Fraction(1, 10)))


def _dose_axis(highest: Fraction) -> tuple[Fraction, Fraction]:
    """Return the top of the dose axis and its tick step (1, 2 or 5 times a power of ten)."""
    for exponent in range(-4, 4):
        for mantissa in (1, 2, 5):
            step = mantissa * Fraction(10) ** exponent
            count = max(1, -(-highest // step))
            if count <= 6:
                return count * step, step
    raise AssertionError("no dose is above 50 mg")  # pragma: no cover - checked by the diary


def _marker(shape: str, x: Fraction, y: Fraction) -> str:
    at = f'transform="translate({_c(x)} {_c(y)})"'
    if shape == "circle":
        return f'<circle r="{MARK}" {at}/>'
    if shape == "square":
        return f'<rect x="-{MARK}" y="-{MARK}" width="{2 * MARK}" height="{2 * MARK}" {at}/>'
    if shape == "triangle":
        return f'<path d="M0 -{MARK + 1} L{MARK + 1} {MARK} L-{MARK + 1} {MARK} Z" {at}/>'
    return f'<path d="M0 -{MARK + 1} L{MARK + 1} 0 L0 {MARK + 1} L-{MARK + 1} 0 Z" {at}/>'


def _cross(x: Fraction, y: Fraction) -> str:
    a, b, c, d = _c(x - MARK), _c(x + MARK), _c(y - MARK), _c(y + MARK)
    return f"M{a} {c} L{b} {d} M{a} {d} L{b} {c}"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _chart_desc(report: Report) -> str:
    """Describe the chart in words: its text alternative."""
    runs: list[str] = []
    last: Fraction | None = None
    for i, day in enumerate(report.days):
        if i == 0 or day.planned_dose_mg != last:
            dose = day.planned_dose_mg
            runs.append(
                f"{'none' if dose is None else format_dose_mg(dose)} from {day.date.isoformat()}"
            )
            last = day.planned_dose_mg
    taken = sum(1 for d in report.days if d.taken)
    missed = sum(1 for d in report.days if d.missed)
    parts = [
        f"Planned dose: {', '.join(runs)}.",
        f"Doses recorded as taken on {_days(taken)}, as missed on {_days(missed)}.",
    ]
    for name in report.scores:
        values = [(d.date, d.scores[name]) for d in report.days if name in d.scores]
        low = min(v for _, v in values)
        high = max(v for _, v in values)
        when, latest = values[-1]
        parts.append(
            f"{name} ({SCORE_SCALE}): recorded on {_days(len(values))}, from {low} to {high}, "
            f"latest {latest} on {when.isoformat()}."
        )
    if not report.scores:
        parts.append("No scores were recorded.")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class _Frame:
    """Where things go: a slot of the width for each day, the dose and score axes."""

    start: date
    count: int
    dose_top: Fraction  # the dose at the top of the dose panel
    dose_step: Fraction
    has_scores: bool

    @property
    def slot(self) -> Fraction:
        return Fraction(PLOT_W, self.count)

    @property
    def dose_bottom(self) -> int:
        return DOSE_TOP + DOSE_H

    @property
    def score_top(self) -> int:
        return self.dose_bottom + SCORE_GAP

    @property
    def score_bottom(self) -> int:
        return self.score_top + SCORE_H

    @property
    def axis_bottom(self) -> int:
        return self.score_bottom if self.has_scores else self.dose_bottom

    @property
    def panels(self) -> list[tuple[int, int, str]]:
        panels = [(DOSE_TOP, self.dose_bottom, "dose")]
        if self.has_scores:
            panels.append((self.score_top, self.score_bottom, "scores"))
        return panels

    def left_of(self, i: int) -> Fraction:
        """Return the left edge of day ``i``'s slot (day 0 is the period's first)."""
        return LEFT + i * self.slot

    def centre(self, i: int) -> Fraction:
        return LEFT + (2 * i + 1) * self.slot / 2

    def dose_y(self, mg: Fraction) -> Fraction:
        return self.dose_bottom - mg * DOSE_H / self.dose_top

    def score_y(self, value: int) -> Fraction:
        return self.score_bottom - Fraction(value * SCORE_H, 10)


def _targets(report: Report) -> list[PlannedSegment]:
    return [
        s
        for s in report.living.segments
        if s.dose_mg is not None and s.last_date >= report.start and s.first_date <= report.end
    ]


def _frame(report: Report) -> _Frame:
    doses = [d.planned_dose_mg for d in report.days if d.planned_dose_mg is not None]
    doses += [d.taken_dose_mg for d in report.days if d.taken_dose_mg is not None]
    doses += [s.target_mg for s in _targets(report)]
    top, step = _dose_axis(max(doses, default=Fraction(1)))
    return _Frame(report.start, len(report.days), top, step, bool(report.scores))


def _axes(report: Report, f: _Frame) -> list[str]:
    """Draw the panels, their grids and labels, the months and the weeks."""
    out = [
        f'<rect class="panel" data-panel="{name}" x="{LEFT}" y="{top}" width="{PLOT_W}" '
        f'height="{bottom - top}" fill="#fff" stroke="#000" stroke-width="1"/>'
        for top, bottom, name in f.panels
    ]
    out.append(f'<text x="{LEFT}" y="{DOSE_TOP - 8}" font-weight="bold">Dose (mg)</text>')
    for k in range(int(f.dose_top / f.dose_step) + 1):
        out.append(_grid_h(f.dose_y(k * f.dose_step), _number(k * f.dose_step)))
    if f.has_scores:
        out.append(
            f'<text x="{LEFT}" y="{f.score_top - 8}" font-weight="bold">'
            f"Scores ({SCORE_SCALE})</text>"
        )
        out += [_grid_h(f.score_y(value), str(value)) for value in range(0, 11, 2)]
    ends = [
        (Fraction(LEFT), report.start.isoformat(), "start"),
        (Fraction(LEFT + PLOT_W), report.end.isoformat(), "end"),
    ]
    months: list[tuple[Fraction, str, str]] = []
    day = date(report.start.year, report.start.month, 1)
    while day <= report.end:
        if day >= report.start:
            x = _c(f.left_of((day - report.start).days))
            out += [
                f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="#999" '
                'stroke-width="0.8"/>'
                for top, bottom, _ in f.panels
            ]
            months.append(
                (
                    f.left_of((day - report.start).days),
                    f"{MONTHS[day.month - 1]} {day.year}",
                    "middle",
                )
            )
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if f.count <= MAX_WEEK_TICKS_DAYS:
        for i in range(7, f.count, 7):
            x = _c(f.left_of(i))
            out += [
                f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom - 4}" stroke="#000" '
                'stroke-width="0.8"/>'
                for _, bottom, _ in f.panels
            ]
    out += [
        f'<text x="{_c(x)}" y="{f.axis_bottom + 15}" text-anchor="{anchor}">{_e(text)}</text>'
        for x, text, anchor in _without_overlaps(ends, months)
    ]
    return out


def _dose_marks(report: Report, f: _Frame) -> list[str]:
    """Draw the target, the review date, the planned dose, the doses taken and missed."""
    out = []
    for s in _targets(report):
        first = max((s.first_date - report.start).days, 0)
        last = min((s.last_date - report.start).days, f.count - 1)
        y = _c(f.dose_y(s.target_mg))
        out.append(
            f'<line class="target" x1="{_c(f.left_of(first))}" y1="{y}" '
            f'x2="{_c(f.left_of(last + 1))}" y2="{y}" stroke="#777" stroke-width="1" '
            'stroke-dasharray="4 3"/>'
        )
    review = report.review_date
    if review is not None and report.start <= review <= report.end:
        x = _c(f.left_of((review - report.start).days))
        out.append(
            f'<line class="review" x1="{x}" y1="{DOSE_TOP}" x2="{x}" y2="{f.axis_bottom}" '
            'stroke="#000" stroke-width="1.2" stroke-dasharray="2 2"/>'
            f'<text x="{x}" y="{DOSE_TOP + 12}" text-anchor="end">review </text>'
        )
    days = report.days
    path: list[str] = []
    previous: Fraction | None = None
    for i, d in enumerate(days):
        dose = d.planned_dose_mg
        if dose is not None:
            if previous is None:
                path.append(f"M{_c(f.left_of(i))} {_c(f.dose_y(dose))}")
            elif dose != previous:
                path.append(f"V{_c(f.dose_y(dose))}")
            if i + 1 == f.count or days[i + 1].planned_dose_mg != dose:
                path.append(f"H{_c(f.left_of(i + 1))}")
        previous = dose
    if path:
        out.append(
            f'<path class="planned" d="{" ".join(path)}" fill="none" stroke="#000" '
            'stroke-width="1.6"/>'
        )
    radius = _c(min(Fraction(3), max(Fraction(9, 5), f.slot * 2 / 5)))
    dots = "".join(
        f'<circle cx="{_c(f.centre(i))}" cy="{_c(f.dose_y(d.taken_dose_mg))}" r="{radius}"/>'
        for i, d in enumerate(days)
        if d.taken_dose_mg is not None
    )
    out.append(f'<g class="taken" fill="{TAKEN}">{dots}</g>')
    crosses = [
        _cross(f.centre(i), f.dose_y(d.planned_dose_mg or Fraction(0)))
        for i, d in enumerate(days)
        if d.missed
    ]
    if crosses:
        out.append(
            f'<path class="missed" d="{" ".join(crosses)}" fill="none" stroke="{MISSED}" '
            'stroke-width="1.5"/>'
        )
    return out


def _style(j: int) -> tuple[str, str, str]:
    """Return the colour, dash and marker of the ``j``-th score (apart in grey print too)."""
    return COLOURS[j % len(COLOURS)], DASHES[j % len(DASHES)], SHAPES[j % len(SHAPES)]


def _score_marks(report: Report, f: _Frame) -> list[str]:
    """Draw each score: a marker on each day scored, the markers joined in date order."""
    out = []
    for j, name in enumerate(report.scores):
        colour, dash, shape = _style(j)
        points = [
            (f.centre(i), f.score_y(d.scores[name]))
            for i, d in enumerate(report.days)
            if name in d.scores
        ]
        group = [
            f'<g class="score" data-score="{_e(name)}" fill="{colour}" stroke="{colour}">',
            f"<title>{_e(name)} ({SCORE_SCALE})</title>",
        ]
        if len(points) > 1:
            joined = " ".join(f"{_c(x)},{_c(y)}" for x, y in points)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            group.append(f'<polyline points="{joined}" fill="none" stroke-width="1.3"{dashed}/>')
        group += [_marker(shape, x, y) for x, y in points]
        group.append("</g>")
        out.append("".join(group))
    return out


def _chart_svg(report: Report) -> str:
    """Return the chart: the dose over time above, the scores (0 to 10) below."""
    f = _frame(report)
    legend, legend_bottom = _legend(report, f.axis_bottom + 32)
    height = legend_bottom + 6
    title = f"Dose and scores, {report.start.isoformat()} to {report.end.isoformat()}"
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" role="img" '
            'aria-labelledby="chart-title chart-desc" '
            f'font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="{FONT}">',
            f'<title id="chart-title">{_e(title)}</title>',
            f'<desc id="chart-desc">{_e(_chart_desc(report))}</desc>',
            *_axes(report, f),
            *_dose_marks(report, f),
            *_score_marks(report, f),
            *legend,
            "</svg>",
        ]
    )


def _grid_h(y: Fraction, label: str) -> str:
    return (
        f'<line x1="{LEFT}" y1="{_c(y)}" x2="{LEFT + PLOT_W}" y2="{_c(y)}" stroke="#ddd" '
        'stroke-width="0.8"/>'
        f'<text x="{LEFT - 5}" y="{_c(y + 4)}" text-anchor="end">{label}</text>'
    )


def _extent(x: Fraction, text: str, anchor: str) -> tuple[Fraction, Fraction]:
    width = len(text) * CHAR_W
    if anchor == "start":
        return x, x + width
    if anchor == "end":
        return x - width, x
    return x - width / 2, x + width / 2


def _without_overlaps(
    first: list[tuple[Fraction, str, str]], rest: list[tuple[Fraction, str, str]]
) -> list[tuple[Fraction, str, str]]:
    """Keep ``first`` and each of ``rest`` that overlaps no label kept, inside the chart."""
    kept: list[tuple[Fraction, str, str]] = []
    spans: list[tuple[Fraction, Fraction]] = []
    for label in first + rest:
        low, high = _extent(*label)
        if low < 0 or high > WIDTH:
            continue
        if any(low < b + 8 and a < high + 8 for a, b in spans):
            continue
        kept.append(label)
        spans.append((low, high))
    return kept


def _legend(report: Report, top: int) -> tuple[list[str], int]:
    """Lay out the legend in rows; return its parts and its bottom."""
    targets = {s.target_mg for s in _targets(report)}
    target = f"Target {format_dose_mg(next(iter(targets)))}" if len(targets) == 1 else "Target"
    items: list[tuple[str, str]] = [
        ('<path d="M0 0 H22" stroke="#000" stroke-width="1.6"/>', "Planned dose"),
        (f'<circle cx="11" cy="0" r="3" fill="{TAKEN}"/>', "Dose taken"),
        (
            f'<path d="M8 -3 L14 3 M8 3 L14 -3" stroke="{MISSED}" stroke-width="1.5"/>',
            "Missed",
        ),
        ('<path d="M0 0 H22" stroke="#777" stroke-dasharray="4 3"/>', target),
    ]
    for j, name in enumerate(report.scores):
        colour, dash, shape = _style(j)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        shown = name if len(name) <= LEGEND_NAME_MAX else name[: LEGEND_NAME_MAX - 1] + "…"
        sample = (
            f'<g fill="{colour}" stroke="{colour}"><path d="M0 0 H22" stroke-width="1.3"'
            f"{dash_attr}/>{_marker(shape, Fraction(11), Fraction(0))}</g>"
        )
        items.append((sample, shown))
    parts: list[str] = []
    x, y = Fraction(LEFT), top
    for sample, text in items:
        width = 28 + len(text) * CHAR_W
        if x > LEFT and x + width > LEFT + PLOT_W:
            x, y = Fraction(LEFT), y + 18
        parts.append(
            f'<g class="legend" transform="translate({_c(x)} {y})">{sample}'
            f'<text x="28" y="4">{_e(text)}</text></g>'
        )
        x += width + 14
    return parts, y + 8


# --------------------------------------------------------------------------- HTML


def _d(day: date) -> str:
    return f'<span class="nw">{day.isoformat()}</span>'


_DOSE = re.compile(r"(?:≈)?[0-9][0-9.]* (?:mg|mcg)\b")


def _doses(text: str) -> str:
    """Escape ``text``, keeping each dose in it on one line ('3.5 mg', never '3.5' / 'mg')."""
    return _DOSE.sub(lambda m: f'<span class="nw">{m.group(0)}</span>', _e(text))


def _facts_html(facts: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
    return f'<dl class="facts">{body}</dl>'


def _table_html(
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[str]],
    classes: Sequence[str] = (),
) -> str:
    """Return a table; the cells are HTML already (escape what goes in)."""
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    kinds = [f' class="{c}"' if c else "" for c in classes] + [""] * len(headers)
    body = "".join(
        "<tr>" + "".join(f"<td{k}>{c}</td>" for k, c in zip(kinds, row, strict=False)) + "</tr>"
        for row in rows
    )
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>{body}</table>"


def report_html(report: Report, *, profile: str, generated_on: date) -> str:
    """Return the report for the prescriber as one self-contained HTML document.

    Args:
        report: what :func:`ldncalc.diary.living.build_report` assembled.
        profile: the diary's profile (whose report it is).
        generated_on: the day the report is made (unrecorded days are counted up to it).
    """
    a = report.adherence
    by_day = {d.date: d for d in report.days}
    period = f"{_d(report.start)} to {_d(report.end)} ({_days(len(report.days))})"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{TITLE}: {_e(profile)}, {report.start.isoformat()} to "
        f"{report.end.isoformat()}</title>",
        f'<meta name="generator" content="ldncalc {__version__}">',
        f"<style>{CSS}</style></head><body>",
        f"<h1>{TITLE}</h1>",
        f'<p class="notice">{_e(DISCLAIMER)}</p>',
        f'<p class="meta"><b>Profile:</b> {_e(profile)}<br><b>Period:</b> {period}<br>'
        f"<b>Made on:</b> {_d(generated_on)}</p>",
        f'<section class="block"><h2>{SECTIONS[0]}</h2>{_facts_html(_glance(report))}</section>',
        f"<h2>{CHART_HEADING}</h2>",
        f'<figure class="chart">{_chart_svg(report)}<figcaption>Above: the planned dose (line), '
        "each dose recorded as taken (dot) and each recorded as missed (cross). Below: the "
        f"scores ({SCORE_SCALE}). The table &ldquo;{SECTIONS[8]}&rdquo; gives the same in "
        "numbers.</figcaption></figure>",
        f'<section class="block"><h2>{SECTIONS[2]}</h2>{_facts_html(_plan_facts(report))}',
        "</section>",
        "<h3>Steps as planned now</h3>",
        _table_html(
            ("Dates", "Days", "Dose", "Change"),
            (30, 8, 18, 44),
            [
                [
                    f"{_d(r.first)} to {_d(r.last)}",
                    str((r.last - r.first).days + 1),
                    _doses(r.dose),
                    _e(r.change),
                ]
                for r in _step_rows(report)
            ],
        ),
        f"<h2>{SECTIONS[3]}</h2>",
    ]
    if report.changes:
        parts.append(
            _table_html(
                ("Date", "Change", "What and why"),
                (18, 22, 60),
                [
                    [_d(c.date), _e(ACTIONS.get(c.action, c.action)), _e(c.description)]
                    for c in report.changes
                ],
            )
        )
    else:
        parts.append(f"<p>{NONE_RECORDED}</p>")
    missed = [d.date for d in report.days if d.missed]
    unrecorded = _unrecorded(report, generated_on)
    parts += [
        f'<section class="block"><h2>{SECTIONS[4]}</h2>',
        f"<p>Days taken of days planned: <b>{_e(_adherence_text(a))}</b>.</p>",
        "<p>Recorded as missed: "
        + (", ".join(_d(d) for d in missed) if missed else "none")
        + ".</p>",
        "<p>Planned, with nothing recorded: "
        + (", ".join(_d(d) for d in unrecorded) if unrecorded else "none")
        + ".</p></section>",
        f'<section class="block"><h2>{SECTIONS[5]}</h2>',
    ]
    if report.dose_days:
        parts.append(
            _table_html(
                ("Dose", "Days planned", "Days taken"),
                (34, 33, 33),
                [
                    [_e(format_dose_mg(r.dose_mg)), str(r.days_planned), str(r.days_taken)]
                    for r in report.dose_days
                ],
            )
        )
    else:
        parts.append(f"<p>{NONE_RECORDED}</p>")
    parts.append("</section>")
    parts.append(f"<h2>{SECTIONS[6]}</h2>")
    if report.side_effects:
        parts.append(
            _table_html(
                ("Date", "Dose planned", "Side effects"),
                (18, 18, 64),
                [
                    [_d(day), _e(_dose_of_day(by_day, day)), _e(", ".join(effects))]
                    for day, effects in report.side_effects
                ],
            )
        )
    else:
        parts.append(f"<p>{NONE_RECORDED}</p>")
    parts.append(f"<h2>{SECTIONS[7]}</h2>")
    if report.notes:
        rows = [[_d(day), _e(text)] for day, text in report.notes]
        parts.append(_table_html(("Date", "Note"), (18, 82), rows, ("", "note")))
    else:
        parts.append(f"<p>{NONE_RECORDED}</p>")
    score_heads = tuple(f"{name} (mean)" for name in report.scores)
    each = 22 // len(score_heads) if score_heads else 0
    taken_width = 100 - 8 - 30 - 18 - each * len(score_heads)
    parts += [
        f"<h2>{SECTIONS[8]}</h2>",
        f"<p class='small'>Weeks counted from {_d(report.start)}; scores are the mean of the "
        f"days scored that week, to one decimal ({SCORE_SCALE}).</p>",
        _table_html(
            ("Week", "Dates", "Planned", "Taken", *score_heads),
            (8, 30, 18, taken_width, *([each] * len(score_heads))),
            [
                [
                    str(w.number),
                    f"{_d(w.first)} to {_d(w.last)}",
                    _doses(w.planned),
                    _doses(w.taken),
                    *w.means,
                ]
                for w in _weeks(report)
            ],
            ("", "", "", "", *(["num"] * len(score_heads))),
        ),
        f'<section class="block"><h2>{SECTIONS[9]}</h2><p>{_e(_review_text(report))}</p></section>',
        f'<p class="notice">{_e(DISCLAIMER)}</p>',
        "<p class='small'>Made with ldncalc.</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def _md(text: str) -> str:
    """Write user text for Markdown: one line, no markup, no HTML."""
    flat = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def report_markdown(report: Report, *, profile: str, generated_on: date) -> str:
    """Return the report for the prescriber as Markdown (a table of weeks for the chart).

    Args:
        report: what :func:`ldncalc.diary.living.build_report` assembled.
        profile: the diary's profile (whose report it is).
        generated_on: the day the report is made (unrecorded days are counted up to it).
    """
    by_day = {d.date: d for d in report.days}
    lines = [
        f"# {TITLE}",
        "",
        f"> **{DISCLAIMER}**",
        "",
        f"- Profile: {_md(profile)}",
        f"- Period: {report.start.isoformat()} to {report.end.isoformat()} "
        f"({_days(len(report.days))})",
        f"- Made on: {generated_on.isoformat()}",
        "",
        f"## {SECTIONS[0]}",
        "",
    ]
    lines += [f"- {k}: {_md(v)}" for k, v in _glance(report)]
    lines += [
        "",
        f"## {CHART_HEADING}",
        "",
        f"The chart is in the HTML report; the section “{SECTIONS[8]}” gives it in numbers.",
        "",
        f"## {SECTIONS[2]}",
        "",
    ]
    lines += [f"- {k}: {_md(v)}" for k, v in _plan_facts(report)]
    lines += ["", "### Steps as planned now", ""]
    lines += _md_table(
        ("Dates", "Days", "Dose", "Change"),
        [
            [
                f"{r.first.isoformat()} to {r.last.isoformat()}",
                str((r.last - r.first).days + 1),
                r.dose,
                _md(r.change),
            ]
            for r in _step_rows(report)
        ],
    )
    lines += ["", f"## {SECTIONS[3]}", ""]
    if report.changes:
        lines += _md_table(
            ("Date", "Change", "What and why"),
            [
                [c.date.isoformat(), ACTIONS.get(c.action, c.action), _md(c.description)]
                for c in report.changes
            ],
        )
    else:
        lines.append(NONE_RECORDED)
    missed = [d.date.isoformat() for d in report.days if d.missed]
    unrecorded = [d.isoformat() for d in _unrecorded(report, generated_on)]
    lines += [
        "",
        f"## {SECTIONS[4]}",
        "",
        f"- Days taken of days planned: **{_adherence_text(report.adherence)}**",
        f"- Recorded as missed: {', '.join(missed) if missed else 'none'}",
        f"- Planned, with nothing recorded: {', '.join(unrecorded) if unrecorded else 'none'}",
        "",
        f"## {SECTIONS[5]}",
        "",
    ]
    if report.dose_days:
        lines += _md_table(
            ("Dose", "Days planned", "Days taken"),
            [
                [format_dose_mg(r.dose_mg), str(r.days_planned), str(r.days_taken)]
                for r in report.dose_days
            ],
        )
    else:
        lines.append(NONE_RECORDED)
    lines += ["", f"## {SECTIONS[6]}", ""]
    if report.side_effects:
        lines += _md_table(
            ("Date", "Dose planned", "Side effects"),
            [
                [day.isoformat(), _dose_of_day(by_day, day), _md(", ".join(effects))]
                for day, effects in report.side_effects
            ],
        )
    else:
        lines.append(NONE_RECORDED)
    lines += ["", f"## {SECTIONS[7]}", ""]
    if report.notes:
        lines += _md_table(
            ("Date", "Note"), [[day.isoformat(), _md(text)] for day, text in report.notes]
        )
    else:
        lines.append(NONE_RECORDED)
    lines += [
        "",
        f"## {SECTIONS[8]}",
        "",
        f"Weeks counted from {report.start.isoformat()}; scores are the mean of the days "
        f"scored that week, to one decimal ({SCORE_SCALE}).",
        "",
    ]
    lines += _md_table(
        ("Week", "Dates", "Planned", "Taken", *(f"{_md(n)} (mean)" for n in report.scores)),
        [
            [
                str(w.number),
                f"{w.first.isoformat()} to {w.last.isoformat()}",
                w.planned,
                w.taken,
                *w.means,
            ]
            for w in _weeks(report)
        ],
    )
    lines += ["", f"## {SECTIONS[9]}", "", _review_text(report), "", f"> **{DISCLAIMER}**", ""]
    return "\n".join(lines)
