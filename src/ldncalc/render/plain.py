"""Plain-text output that needs no rich: paragraphs, warnings, the notice, one dose.

``ldncalc dose`` prints only lines like these, so it never pays for importing
rich (docs/performance.md). Tables live in :mod:`ldncalc.render.text`, which
reuses these functions on a rich console: both satisfy :class:`Out`.

Prose is wrapped here, keeping each number with its unit, so no "4.…" or lone
".5" can appear at any width.
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Protocol

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import (
    decimal_text,
    format_concentration,
    format_dose,
    format_percent,
    format_volume,
    format_volume_ml,
)
from ldncalc.preparation import Advisory, DosePlan
from ldncalc.render.pictures import syringe_lines

__all__ = [
    "PlainConsole",
    "delivered_text",
    "draw_to_text",
    "explain_lines",
    "paragraph_lines",
    "print_advisories",
    "print_disclaimer",
    "print_dose",
    "print_paragraph",
]

_KEEP_TOGETHER = re.compile(r"(?<=[0-9%]) (?=(?:mg/mL|mg|mcg|mL|x)\b)")
_GLUE = "\x00"
MIN_WIDTH = 20


if TYPE_CHECKING:  # a typing.Protocol costs start-up time to create; dose needs none

    class Out(Protocol):
        """Where lines go: a rich console, or a plain one."""

        @property
        def width(self) -> int: ...

        def print(self, text: str = "", *, soft_wrap: bool = False) -> None: ...


class PlainConsole:
    """A console without rich: lines to a file (stdout by default), at the terminal's width."""

    def __init__(self, file: IO[str] | None = None, width: int | None = None) -> None:
        self._file = file
        self._width = width

    @property
    def width(self) -> int:
        """Return the width: as given, else COLUMNS, else the terminal's, else 80."""
        if self._width is not None:
            return self._width
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return shutil.get_terminal_size((80, 24)).columns

    def print(self, text: str = "", *, soft_wrap: bool = False) -> None:
        """Write one line (``soft_wrap`` is accepted for rich's sake: lines are never wrapped)."""
        import sys

        stream = self._file if self._file is not None else sys.stdout
        stream.write(text + "\n")


def paragraph_lines(text: str, width: int, indent: str = "") -> list[str]:
    """Wrap ``text`` to ``width`` columns, never splitting a number from its unit."""
    lines = textwrap.wrap(
        _KEEP_TOGETHER.sub(_GLUE, text),
        width=max(width, MIN_WIDTH),
        initial_indent=indent,
        subsequent_indent=" " * len(indent),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_GLUE, " ") for line in lines]


def print_paragraph(console: Out, text: str, indent: str = "") -> None:
    """Print ``text`` wrapped to the console, never splitting a number from its unit."""
    lines = paragraph_lines(text, console.width, indent)
    if lines:  # one call: each print on a rich console has a cost of its own
        console.print("\n".join(lines), soft_wrap=True)


def print_advisories(console: Out, advisories: Iterable[tuple[str, Advisory]]) -> None:
    """Print warnings, each prefixed by what it is about (a dose, a step)."""
    seen: set[tuple[str, str]] = set()
    for about, advisory in advisories:
        if (about, advisory.message) in seen:
            continue
        seen.add((about, advisory.message))
        prefix = f"Warning ({about}): " if about else "Warning: "
        print_paragraph(console, prefix + advisory.message)


def print_disclaimer(console: Out) -> None:
    """Print the informational-only notice."""
    console.print("")
    print_paragraph(console, DISCLAIMER)


def delivered_text(plan: DosePlan) -> str:
    """Return the dose a mark delivers, with the change the mark makes if any."""
    change = plan.error
    text = format_dose(plan.delivered)
    return text if change == 0 else f"{text} ({format_percent(change)})"


def draw_to_text(plan: DosePlan) -> str:
    """Return the mark to draw to, or the fills when one syringe cannot hold it."""
    m = plan.measurement
    if m.fills == 1:
        return format_volume_ml(m.measured_ml)
    full = m.fills - 1
    return (
        f"{full} x {format_volume_ml(m.syringe.capacity_ml)} + {format_volume_ml(m.last_fill_ml)}"
    )


def print_dose(console: Out, plan: DosePlan, explain: bool = False) -> None:
    """Print one dose: what to draw, on which syringe, and what it delivers."""
    prep = plan.preparation
    m = plan.measurement
    rows = [
        ("Preparation", prep.label),
        ("Dose", format_dose(plan.dose)),
        ("Volume", format_volume(plan.volume)),
        ("Syringe", m.syringe.label),
        ("Draw to", draw_to_text(plan)),
        ("Delivers", delivered_text(plan)),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print_paragraph(console, f"{key + ':':<{width + 1}} {value}")
    console.print("")
    console.print("\n".join(syringe_lines(m, console.width, title=False)), soft_wrap=True)
    if explain:
        console.print("")
        for number, line in enumerate(explain_lines(plan), start=1):
            print_paragraph(console, f"{number}. {line}", indent="")
    if plan.advisories:
        console.print("")
    print_advisories(console, (("", a) for a in plan.advisories))
    print_disclaimer(console)


def explain_lines(plan: DosePlan) -> list[str]:
    """Return the arithmetic of a dose plan, one step a line."""
    prep = plan.preparation
    m = plan.measurement
    grad = m.syringe.graduation_ml
    marks = m.volume_ml / grad
    marks_text, _ = decimal_text(marks)
    concentration = format_concentration(prep.concentration)
    return [
        f"Concentration: {prep.tablets} x {format_dose(prep.strength)} / "
        f"{format_volume(prep.water)} = {concentration}",
        f"Volume: {format_dose(plan.dose)} / {concentration} = {format_volume(plan.volume)}",
        f"Syringe: the smallest that holds {format_volume(plan.volume)} in one fill is "
        f"{m.syringe.label}"
        if m.fills == 1
        else f"Syringe: none holds {format_volume(plan.volume)} in one fill; "
        f"{m.syringe.label}, {m.fills} fills",
        f"Nearest mark: {format_volume(plan.volume)} / {format_volume_ml(grad)} = "
        f"{marks_text} marks, rounded half up to {int(m.measured_ml / grad)} marks = "
        f"{format_volume_ml(m.measured_ml)}",
        f"Delivered: {format_volume_ml(m.measured_ml)} x {concentration} = {delivered_text(plan)}",
    ]
