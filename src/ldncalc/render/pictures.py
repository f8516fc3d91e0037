"""Pictures people can follow: the syringe drawn to its mark, the schedule as a chart.

Both are plain text (no rich, no colour), so they read the same piped, under
NO_COLOR or on a dumb terminal. The syringe is exact: every column of its
scale is one graduation (or two columns a graduation on short syringes), so
the liquid ends precisely at the tick of the mark. A syringe with more
graduations than the width allows is shown as a window of its scale around
the mark, and says so.

The SVG syringe of the printable handout is drawn to the same rule, in
coordinates proportional to the volume.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc.dose.syringes import Measurement, Syringe
from ldncalc.frozen import frozen
from ldncalc.notation import (
    decimal_text,
    format_dose_mg,
    format_volume_ml,
    number_text,
    round_half_up,
)

if TYPE_CHECKING:  # only for the annotation: dose must not load the protocols
    from ldncalc.plan.titration import Schedule

__all__ = [
    "Scale",
    "chart_lines",
    "fill_groups",
    "scale_for",
    "syringe_lines",
    "syringe_svg",
]

MARGIN = "  "
MAX_SCALE_COLUMNS = 60
# Label spacings tried, in mL: the first that is a whole number of marks and
# leaves room for its label is used.
NICE_STEPS_ML = tuple(
    Fraction(v) for v in ("0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "20")
)


@frozen
class Scale:
    """Which part of a syringe's scale is drawn, and how."""

    first: int  # the graduation at the left edge (0 unless a window is shown)
    shown: int  # graduations shown
    columns_per_mark: int
    label_every: int  # in graduations

    @property
    def width(self) -> int:
        """Return the columns the scale takes (ticks from the first to the last)."""
        return self.shown * self.columns_per_mark + 1


def scale_for(syringe: Syringe, mark: int, max_columns: int = MAX_SCALE_COLUMNS) -> Scale:
    """Choose the scale for drawing ``syringe`` filled to graduation ``mark``."""
    total = int(syringe.capacity_ml / syringe.graduation_ml)
    room = max(max_columns - 1, 10)
    if total <= room:
        first, shown = 0, total
    else:
        shown = room
        first = min(max(mark - shown // 2, 0), total - shown)
    columns = 2 if shown * 2 <= room else 1
    label_every = shown  # fallback: label only the ends
    for step in NICE_STEPS_ML:
        marks = step / syringe.graduation_ml
        if marks.denominator == 1 and marks * columns >= 6:
            label_every = int(marks)
            break
    if first > 0 and label_every < shown:
        # A window starts at a numbered mark, so its first label reads as a volume,
        # and still holds the mark (shortened at the syringe's end if need be).
        first = first // label_every * label_every
        if mark > first + shown:
            first = -(-(mark - shown) // label_every) * label_every
        shown = min(shown, total - first)
    return Scale(first, shown, columns, label_every)


def syringe_lines(m: Measurement, max_width: int = 80, *, title: bool = True) -> list[str]:
    """Draw the syringe of a measurement, filled to its mark, as lines of text.

    Args:
        m: the measurement (the last fill is drawn when it takes several).
        max_width: the columns available.
        title: start with a line naming the syringe.
    """
    syringe = m.syringe
    grad = syringe.graduation_ml
    mark = int(m.last_fill_ml / grad)
    scale = scale_for(syringe, mark, max(max_width - len(MARGIN) - 6, 10))
    position = (mark - scale.first) * scale.columns_per_mark  # the mark's column

    labels = [" "] * (scale.width + 8)
    ticks = []
    for column in range(scale.width):
        on_mark = column % scale.columns_per_mark == 0
        index = scale.first + column // scale.columns_per_mark
        major = on_mark and index % scale.label_every == 0
        ticks.append("|" if major else "'" if on_mark else " ")
        if major:
            text = number_text(index * grad)
            if all(c == " " for c in labels[max(column - 1, 0) : column + len(text) + 1]):
                labels[column : column + len(text)] = text
    open_left = "<" if scale.first > 0 else "["
    open_right = ">" if scale.first + scale.shown < syringe.capacity_ml / grad else "]"
    inside = "#" * position + " " * (scale.width - 1 - position)
    pointer = " " * position + "^ draw to " + format_volume_ml(m.last_fill_ml)
    if len(MARGIN) + len(pointer) > max_width:
        text = "draw to " + format_volume_ml(m.last_fill_ml) + " ^"
        pointer = " " * max(position - len(text) + 1, 0) + text
    heading = f"Syringe: {syringe.label}" if title else ""
    if m.fills > 1:
        first = m.fill_volumes_ml[0]
        heading += (
            f"{', a' if title else 'A'}fter {m.fills - 1} full syringe(s), the last fill:"
            if first == syringe.capacity_ml
            else f"{', e' if title else 'E'}ach of the {m.fills} fills:"
            if first == m.last_fill_ml
            else f"{', a' if title else 'A'}fter {m.fills - 1} fill(s) to "
            f"{format_volume_ml(first)}, the last fill:"
        )
    lines = [
        MARGIN + "".join(labels).rstrip() + ("  mL" if scale.first == 0 else ""),
        MARGIN + "".join(ticks),
        MARGIN[:-1] + open_left + inside + open_right + "==o",
        MARGIN + pointer,
    ]
    if scale.first > 0 or open_right == ">":
        low = format_volume_ml(scale.first * grad)
        high = format_volume_ml((scale.first + scale.shown) * grad)
        lines.append(f"(part of the scale: {low} to {high})")
    return [heading, *lines] if heading else lines


def chart_lines(schedule: Schedule, max_width: int = 80) -> list[str]:
    """Draw a schedule's dose over time as a step chart, target and hold marked."""
    days = schedule.days
    doses = sorted({s.plan.dose_mg for s in schedule.steps})
    target = schedule.protocol.target_mg
    names = {d: format_dose_mg(d) + (" (target)" if d == target else "") for d in doses}
    label_width = max(len(n) for n in names.values())
    columns = max(min(days, max_width - label_width - 3), 10)

    def column(day: int) -> int:
        return (day - 1) * columns // days

    level = [Fraction(0)] * columns
    for step in schedule.steps:
        for c in range(column(step.first_day), column(step.last_day) + 1):
            level[c] = step.plan.dose_mg
    lines = []
    for d in reversed(doses):
        row = "".join("#" if level[c] == d else " " for c in range(columns))
        lines.append(f"{names[d]:>{label_width}} |{row.rstrip()}")
    hold = [s for s in schedule.steps if s.at_target]
    axis = [
        "=" if hold and hold[0].first_day <= _day_of(c, columns, days) else "-"
        for c in range(columns)
    ]
    lines.append(" " * label_width + " +" + "".join(axis))
    weeks = [" "] * (columns + 6)
    for week in range((days - 1) // 7 + 1):
        c = column(week * 7 + 1)
        text = str(week + 1)
        if week % _week_step(days, columns) == 0 and all(
            ch == " " for ch in weeks[max(c - 1, 0) : c + len(text) + 1]
        ):
            weeks[c : c + len(text)] = text
    axis_labels = "".join(weeks).rstrip()
    room = max_width - label_width - 2
    if len(axis_labels) + len("  (week)") <= room:
        axis_labels += "  (week)"
    else:  # no room at the end: the unit goes on the line below
        lines.append(" " * label_width + "  " + axis_labels[:room].rstrip())
        axis_labels = "(weeks)"
    lines.append(" " * label_width + "  " + axis_labels)
    if hold:
        h = hold[0]
        import textwrap

        indent = " " * (label_width + 2)
        lines += textwrap.wrap(
            f"hold at {format_dose_mg(target)} (===): days {h.first_day} to {h.last_day}, "
            f"{h.first_date.isoformat()} to {h.last_date.isoformat()}",
            width=max(max_width, len(indent) + 20),
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )
    return lines


def _day_of(c: int, columns: int, days: int) -> int:
    """Return the first day drawn in column ``c``."""
    return -(-c * days // columns) + 1


def _week_step(days: int, columns: int) -> int:
    weeks = (days - 1) // 7 + 1
    for step in (1, 2, 4, 8, 13, 26, 52):
        if weeks // step * 4 <= columns:
            return step
    return 52


def _svg_number(value: Fraction) -> str:
    """Write an SVG coordinate to a thousandth of a pixel (never to a few digits)."""
    text, exact = decimal_text(round_half_up(value, Fraction(1, 1000)))
    assert exact
    return text


def fill_groups(m: Measurement) -> tuple[tuple[int, int, Fraction], ...]:
    """Return the fills of a draw as runs of equal fills, numbered from 1.

    Each run is (first fill, last fill, the mark of each): one fill is
    ``((1, 1, 0.7 mL),)``; 1.1 mL on a 1 mL syringe ``((1, 1, 1 mL), (2, 2, 0.1 mL))``,
    or ``((1, 2, 0.55 mL),)`` when it is drawn in even fills. The fills before the
    last are all alike; the last fill is the one the measurement names.
    """
    if m.fills == 1:
        return ((1, 1, m.measured_ml),)
    last = m.last_fill_ml
    each = (m.measured_ml - last) / (m.fills - 1)
    if each == last:
        return ((1, m.fills, each),)
    return ((1, m.fills - 1, each), (m.fills, m.fills, last))


def syringe_svg(
    m: Measurement, width: int = 360, height: int = 70, fill_ml: Fraction | None = None
) -> str:
    """Return an SVG drawing of the syringe filled to the mark, to scale.

    Args:
        m: the measurement.
        width: the drawing's width (its height is ``height``), in its own units.
        height: the drawing's height.
        fill_ml: the fill drawn (one of :func:`fill_groups`); the last fill by default.
    """
    from html import escape  # only the handout draws SVG

    mark_ml = m.last_fill_ml if fill_ml is None else fill_ml
    syringe = m.syringe
    capacity = syringe.capacity_ml
    grad = syringe.graduation_ml
    left, barrel_width, top, barrel_height = Fraction(10), Fraction(width - 60), 24, 22

    def x(volume_ml: Fraction) -> str:
        return _svg_number(left + barrel_width * volume_ml / capacity)

    fill_width = _svg_number(barrel_width * mark_ml / capacity)
    total = int(capacity / grad)
    scale = scale_for(syringe, 0, max_columns=total + 2)
    step = 1 if total <= 100 else scale.label_every
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(syringe.label)} syringe filled to '
        f'{escape(format_volume_ml(mark_ml))}">',
        f'<rect class="fill" x="{x(Fraction(0))}" y="{top}" width="{fill_width}" '
        f'height="{barrel_height}" fill="#9ecae1"/>',
        f'<rect class="barrel" x="{x(Fraction(0))}" y="{top}" width="{_svg_number(barrel_width)}" '
        f'height="{barrel_height}" fill="none" stroke="#000" stroke-width="1.5"/>',
        f'<rect class="plunger" x="{_svg_number(left + barrel_width)}" y="{top + 8}" '
        f'width="40" height="6" fill="#555"/>',
    ]
    for i in range(0, total + 1, step):
        major = i % scale.label_every == 0
        length = 10 if major else 5
        parts.append(
            f'<line class="tick" x1="{x(i * grad)}" y1="{top}" x2="{x(i * grad)}" '
            f'y2="{top + length}" stroke="#000" stroke-width="{1 if major else 0.6}"/>'
        )
        if major:
            parts.append(
                f'<text x="{x(i * grad)}" y="{top - 4}" font-size="10" '
                f'text-anchor="middle">{escape(number_text(i * grad))}</text>'
            )
    mark_x = x(mark_ml)
    parts += [
        f'<line class="mark" x1="{mark_x}" y1="{top - 2}" x2="{mark_x}" '
        f'y2="{top + barrel_height + 4}" stroke="#c00" stroke-width="2.5"/>',
        f'<text class="mark-label" x="{mark_x}" y="{top + barrel_height + 18}" font-size="13" '
        f'font-weight="bold" text-anchor="middle" fill="#c00">'
        f"{escape(format_volume_ml(mark_ml))}</text>",
        "</svg>",
    ]
    return "".join(parts)
