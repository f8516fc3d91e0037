"""The report's chart: the dose over time above, each score on its 0 to 10 scale below.

One SVG, inline in the HTML report: no script, nothing fetched. The baseline
and evaluation windows of the trial are shaded and named when they fall in the
period. Every number is written by ldncalc's safe-notation formatter; every
text the user typed is escaped.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from ldncalc.diary.living import Report
from ldncalc.diary.replan import PlannedSegment
from ldncalc.frozen import frozen
from ldncalc.notation import days_text, format_dose_mg, number_text
from ldncalc.render.blocks import escape_html as _e  # user text: no control reaches the page

__all__ = ["SCORE_SCALE", "chart_svg"]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SCORE_SCALE = "0 none, 10 worst"

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
ZERO = Fraction(0)
MAX_WEEK_TICKS_DAYS = 200  # beyond, a tick a week would be a grey smear


def _c(value: Fraction | int) -> str:
    """Write an SVG coordinate to a tenth of a unit."""
    return _tenths(value.numerator, value.denominator)


def _tenths(numerator: int, denominator: int) -> str:
    """Write numerator / denominator (> 0) rounded half up to a tenth, as decimal_text would.

    A chart of ten years has some 17,000 coordinates: rounding each with
    Fractions took about 190 ms; whole numbers do the same exactly.
    """
    tenths = (20 * numerator + denominator) // (2 * denominator)  # floor(10 x + 1/2)
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{tenth}" if tenth else f"{sign}{whole}"


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
    return _marker_at(shape, _c(x), _c(y))


def _marker_at(shape: str, x: str, y: str) -> str:
    at = f'transform="translate({x} {y})"'
    if shape == "circle":
        return f'<circle r="{MARK}" {at}/>'
    if shape == "square":
        return f'<rect x="-{MARK}" y="-{MARK}" width="{2 * MARK}" height="{2 * MARK}" {at}/>'
    if shape == "triangle":
        return f'<path d="M0 -{MARK + 1} L{MARK + 1} {MARK} L-{MARK + 1} {MARK} Z" {at}/>'
    return f'<path d="M0 -{MARK + 1} L{MARK + 1} 0 L0 {MARK + 1} L-{MARK + 1} 0 Z" {at}/>'


def _cross_at(a: str, b: str, height: tuple[str, str, str]) -> str:
    """Draw a cross from x ``a`` to ``b`` over a height's (y, y - MARK, y + MARK)."""
    _, c, d = height
    return f"M{a} {c} L{b} {d} M{a} {d} L{b} {c}"


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
        f"Doses recorded as taken on {days_text(taken)}, as missed on {days_text(missed)}.",
    ]
    for name in report.scores:
        values = [(d.date, d.scores[name]) for d in report.days if name in d.scores]
        low = min(v for _, v in values)
        high = max(v for _, v in values)
        when, latest = values[-1]
        parts.append(
            f"{name} ({SCORE_SCALE}): recorded on {days_text(len(values))}, from {low} to {high}, "
            f"latest {latest} on {when.isoformat()}."
        )
    if not report.scores:
        parts.append("No scores were recorded.")
    return " ".join(parts)


@frozen
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

    # The same places written directly, in whole numbers (the chart's many coordinates).
    def x_left(self, i: int, shift: int = 0) -> str:
        """Write the left edge of day ``i``'s slot, moved by ``shift`` units."""
        return _tenths((LEFT + shift) * self.count + i * PLOT_W, self.count)

    def x_centre(self, i: int, shift: int = 0) -> str:
        """Write the centre of day ``i``'s slot, moved by ``shift`` units."""
        return _tenths(2 * (LEFT + shift) * self.count + (2 * i + 1) * PLOT_W, 2 * self.count)

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
        out.append(_grid_h(f.dose_y(k * f.dose_step), number_text(k * f.dose_step)))
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
            x = f.x_left((day - report.start).days)
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
            x = f.x_left(i)
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
    heights: dict[Fraction, tuple[str, str, str]] = {}  # a dose's y, y - MARK, y + MARK

    def height(dose: Fraction) -> tuple[str, str, str]:
        if dose not in heights:
            y = f.dose_y(dose)
            heights[dose] = (_c(y), _c(y - MARK), _c(y + MARK))
        return heights[dose]

    path: list[str] = []
    previous: Fraction | None = None
    for i, d in enumerate(days):
        dose = d.planned_dose_mg
        if dose is not None:
            if previous is None:
                path.append(f"M{f.x_left(i)} {height(dose)[0]}")
            elif dose != previous:
                path.append(f"V{height(dose)[0]}")
            if i + 1 == f.count or days[i + 1].planned_dose_mg != dose:
                path.append(f"H{f.x_left(i + 1)}")
        previous = dose
    if path:
        out.append(
            f'<path class="planned" d="{" ".join(path)}" fill="none" stroke="#000" '
            'stroke-width="1.6"/>'
        )
    radius = _c(min(Fraction(3), max(Fraction(9, 5), f.slot * 2 / 5)))
    dots = "".join(
        f'<circle cx="{f.x_centre(i)}" cy="{height(d.taken_dose_mg)[0]}" r="{radius}"/>'
        for i, d in enumerate(days)
        if d.taken_dose_mg is not None
    )
    out.append(f'<g class="taken" fill="{TAKEN}">{dots}</g>')
    crosses = [
        _cross_at(f.x_centre(i, -MARK), f.x_centre(i, MARK), height(d.planned_dose_mg or ZERO))
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
    score_at = {value: _c(f.score_y(value)) for value in range(11)}  # scores are 0 to 10
    for j, name in enumerate(report.scores):
        colour, dash, shape = _style(j)
        points = [
            (f.x_centre(i), score_at[d.scores[name]])
            for i, d in enumerate(report.days)
            if name in d.scores
        ]
        group = [
            f'<g class="score" data-score="{_e(name)}" fill="{colour}" stroke="{colour}">',
            f"<title>{_e(name)} ({SCORE_SCALE})</title>",
        ]
        if len(points) > 1:
            joined = " ".join(f"{x},{y}" for x, y in points)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            group.append(f'<polyline points="{joined}" fill="none" stroke-width="1.3"{dashed}/>')
        group += [_marker_at(shape, x, y) for x, y in points]
        group.append("</g>")
        out.append("".join(group))
    return out


def _windows(report: Report, f: _Frame) -> list[str]:
    """Shade the trial's baseline and evaluation where they fall in the period, and name them."""
    out = []
    shown = ((report.trial.baseline, "baseline"), (report.trial.evaluation, "evaluation"))
    for window, name in shown:
        first = max(window.first, report.start)
        last = min(window.last, report.end)
        if first > last:
            continue
        left = f.left_of((first - report.start).days)
        width = f.left_of((last - report.start).days + 1) - left
        out += [
            f'<rect class="window" data-window="{name}" x="{_c(left)}" y="{top}" '
            f'width="{_c(width)}" height="{bottom - top}" fill="#000" fill-opacity="0.07"/>'
            for top, bottom, _ in f.panels
        ]
        out.append(
            f'<text class="window-label" x="{_c(left + 3)}" y="{f.dose_bottom - 5}">{name}</text>'
        )
    return out


def chart_svg(report: Report) -> str:
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
            *_windows(report, f),
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
