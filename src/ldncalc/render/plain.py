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
import textwrap
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import IO, TYPE_CHECKING, Protocol

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.dose.accuracy import range_percent_text
from ldncalc.errors import ReaderGone
from ldncalc.notation import (
    decimal_text,
    for_encoding,
    format_concentration_mg_per_ml,
    format_dose_mg,
    format_volume_ml,
)
from ldncalc.render.rows import (
    delivered_text,
    dilution_lines,
    dose_row,
    unweighed_text,
    weigh_text,
)

if TYPE_CHECKING:
    from ldncalc.dose.preparation import Advisory, DosePlan

__all__ = [
    "PlainConsole",
    "explain_lines",
    "paragraph_lines",
    "print_advisories",
    "print_disclaimer",
    "print_dose",
    "print_paragraph",
    "water_text",
]

_KEEP_TOGETHER = re.compile(r"(?<=[0-9%]) (?=(?:mg/mL|mg|mcg|mL|x)\b)")
# A command to run is one line: copied from two, it runs without its profile or
# folder, and records for the wrong person. It runs to the bracket, semicolon or
# line end that closes it (a path with a space is quoted, and stays whole too).
_COMMAND = re.compile(
    r"ldncalc (?:took|missed|mixed|note|undo|plan|data|dose|mix|schedule|history|report)\b"
    r"(?: (?:'[^']*'|[^\s();,'])+)*"
)
_GLUE = "\x00"
MIN_WIDTH = 20


if TYPE_CHECKING:  # a typing.Protocol costs start-up time to create; dose needs none

    class Out(Protocol):
        """Where lines go: a rich console, or a plain one."""

        @property
        def width(self) -> int: ...

        @property
        def encoding(self) -> str: ...

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
        # What shutil.get_terminal_size does once COLUMNS is settled, without
        # importing shutil (it brings bz2, lzma and fnmatch: a few ms of every start).
        import sys

        try:
            terminal = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            terminal = 0
        return terminal or 80

    @property
    def encoding(self) -> str:
        """Return the encoding of the file written to (stdout's by default)."""
        import sys

        stream = self._file if self._file is not None else sys.stdout
        return getattr(stream, "encoding", None) or "utf-8"

    def print(self, text: str = "", *, soft_wrap: bool = False) -> None:
        """Write one line (``soft_wrap`` is accepted for rich's sake: lines are never wrapped)."""
        import sys

        stream = self._file if self._file is not None else sys.stdout
        try:
            stream.write(text + "\n")
        except BrokenPipeError as exc:
            raise ReaderGone from exc


def paragraph_lines(text: str, width: int, indent: str = "", hang: int | None = None) -> list[str]:
    """Wrap ``text`` to ``width`` columns, never splitting a number from its unit, nor a command.

    Continuation lines are indented like the first, or by ``hang`` columns.
    """
    glued = _COMMAND.sub(lambda m: m.group(0).replace(" ", _GLUE), text)
    lines = textwrap.wrap(
        _KEEP_TOGETHER.sub(_GLUE, glued),
        width=max(width, MIN_WIDTH),
        initial_indent=indent,
        subsequent_indent=" " * (len(indent) if hang is None else hang),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_GLUE, " ") for line in lines]


def print_paragraph(console: Out, text: str, indent: str = "", hang: int | None = None) -> None:
    """Print ``text`` wrapped to the console, never splitting a number from its unit."""
    # Stand-ins first ('about' for ≈ on an ASCII terminal), so the wrapping counts them.
    text = for_encoding(text, console.encoding)
    lines = paragraph_lines(text, console.width, indent, hang)
    if lines:  # one call: each print on a rich console has a cost of its own
        console.print("\n".join(lines), soft_wrap=True)


def print_advisories(console: Out, advisories: Iterable[tuple[str, Advisory]]) -> None:
    """Print warnings, each prefixed by what it is about (a dose, a step).

    A syringe she lacks that would do better is named once, for every dose or
    step it would serve, where it first comes up.
    """
    given = list(advisories)
    to_get = _syringes_to_get(given)
    seen: set[tuple[str, str]] = set()
    for about, advisory in given:
        params = dict(advisory.params)
        if advisory.code == "syringe-to-get" and params:
            key = (params["syringe"], params["spares"])
            if key in to_get:
                print_paragraph(console, _to_get_text(key, to_get.pop(key)))
            continue
        if (about, advisory.message) in seen:
            continue
        seen.add((about, advisory.message))
        prefix = f"Warning ({about}): " if about else "Warning: "
        print_paragraph(console, prefix + advisory.message)


def _syringes_to_get(
    advisories: Sequence[tuple[str, Advisory]],
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Group the syringes she lacks by syringe and what it spares: (about, volume) each."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for about, advisory in advisories:
        params = dict(advisory.params)
        if advisory.code == "syringe-to-get" and params:
            served = found.setdefault((params["syringe"], params["spares"]), [])
            if (about, params["volume"]) not in served:
                served.append((about, params["volume"]))
    return found


def _to_get_text(key: tuple[str, str], served: list[tuple[str, str]]) -> str:
    """Word a syringe to get, once: 'with a 3 mL (0.1 mL marks) syringe these need ...'."""
    syringe, spares = key
    abouts = [about for about, _ in served if about]
    about = ", ".join(dict.fromkeys(abouts))
    if abouts and all(a.startswith("step ") for a in abouts) and len(abouts) > 1:
        about = "steps " + ", ".join(a.removeprefix("step ") for a in abouts)
    one = len(served) == 1
    if spares == "no-dilution":
        does = "this needs no dilution" if one else "these need no dilution"
    else:
        does = "this is one fill" if one else "each is one fill"
    volumes = ", ".join(volume for _, volume in served)
    prefix = f"Warning ({about}): " if about else "Warning: "
    return f"{prefix}with a {syringe} syringe {does} ({volumes})"


def print_disclaimer(console: Out) -> None:
    """Print the informational-only notice."""
    console.print("")
    print_paragraph(console, DISCLAIMER)


def range_detail(plan: DosePlan) -> str:
    """Say what the range is made of: the tablet's content, the water, the marks."""
    r = plan.range
    parts = [f"tablets {r.assay.label} of their label"]
    water = r.water_measure
    if water.weighed:
        from ldncalc.dose.accuracy import percent_up_text

        within = percent_up_text(r.water_error_ml).removesuffix("%")  # up to 2 digits
        parts.append(f"water weighed within {within} mL")
    elif water.syringe is not None:
        parts.append(f"water measured within {format_volume_ml(r.water_error_ml)}")
    else:
        parts.append(f"water within {format_volume_ml(r.water_error_ml)} (as given)")
    parts.append("each mark read to half a mark")
    return f"up to {range_percent_text(r)} off: " + ", ".join(parts)


def water_text(plan: DosePlan) -> str | None:
    """Say how the stock's water is weighed, or why a scale at hand does not weigh it."""
    stock_water = plan.range.water_measure
    weighed = weigh_text(stock_water, plan.preparation.water_ml)
    if weighed is not None:
        water = format_volume_ml(plan.preparation.water_ml)
        return f"{water}, {weighed} (1 mL of water weighs 0.9975 g)"
    why = unweighed_text(stock_water)
    return None if why is None else f"measure it with a syringe ({why})"


def print_dose(console: Out, plan: DosePlan, explain: bool = False) -> None:
    """Print one dose: any dilution, what to draw, on which syringe, what it delivers."""
    row = dose_row(plan)
    rows = [("Preparation", plan.preparation.label)]
    water = water_text(plan)
    if water is not None:
        rows.append(("Water", water))
    rows += [
        (f"Dilution {n}", line.split(": ", 1)[1])
        for n, line in enumerate(dilution_lines(plan), start=1)
    ]
    volume = row.volume if not plan.dilution else f"{row.volume} of {row.liquid}"
    rows += [
        ("Dose", row.dose),
        ("Volume", volume),
        ("Syringe", row.syringe),
        ("Draw to", row.draw_to),
        ("Delivers", row.delivers),
        ("Could be", f"{row.range} ({range_detail(plan)})"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print_paragraph(console, f"{key + ':':<{width + 1}} {value}", hang=width + 2)
    console.print("")
    m = plan.measurement
    from ldncalc.render.pictures import syringe_lines  # `today` draws no syringe

    console.print("\n".join(syringe_lines(m, console.width, title=False)), soft_wrap=True)
    if explain:
        console.print("")
        for number, line in enumerate(explain_lines(plan), start=1):
            print_paragraph(console, f"{number}. {line}", hang=len(f"{number}. "))
    if plan.advisories:
        console.print("")
    print_advisories(console, (("", a) for a in plan.advisories))
    print_disclaimer(console)


def explain_lines(plan: DosePlan) -> list[str]:
    """Return the arithmetic of a dose plan, one multiplication or division a line."""
    prep = plan.preparation
    m = plan.measurement
    r = plan.range
    grad = m.syringe.graduation_ml
    marks_text, _ = decimal_text(m.volume_ml / grad)
    concentration = format_concentration_mg_per_ml(prep.concentration_mg_per_ml)
    drawn = format_concentration_mg_per_ml(plan.drawn_concentration_mg_per_ml)
    volume = format_volume_ml(plan.volume_ml)
    lines = [
        f"Concentration: {prep.tablets} x {format_dose_mg(prep.strength_mg)} / "
        f"{format_volume_ml(prep.water_ml)} = {concentration}",
    ]
    for n, stage in enumerate(plan.dilution, start=1):
        lines.append(
            f"Dilution {n}: {format_concentration_mg_per_ml(stage.from_concentration_mg_per_ml)}"
            f" x {format_volume_ml(stage.aliquot_ml)} / ({format_volume_ml(stage.aliquot_ml)} + "
            f"{format_volume_ml(stage.water_ml)}) = "
            f"{format_concentration_mg_per_ml(stage.concentration_mg_per_ml)}"
        )
    syringe = (
        f"Syringe: the smallest that holds {volume} in one fill is {m.syringe.label}"
        if m.fills == 1
        else f"Syringe: none holds {volume} in one fill; {m.syringe.label}, {m.fills} fills"
    )
    low_side = format_volume_ml(m.measured_ml - r.draw_error_ml)
    high_side = format_volume_ml(m.measured_ml + r.draw_error_ml)
    water = prep.water_ml
    lines += [
        f"Volume: {format_dose_mg(plan.dose_mg)} / {drawn} = {volume}",
        syringe,
        f"Nearest mark: {volume} / {format_volume_ml(grad)} = {marks_text} marks, rounded "
        f"half up to {int(m.measured_ml / grad)} marks = {format_volume_ml(m.measured_ml)}",
        f"Delivered: {format_volume_ml(m.measured_ml)} x {drawn} = {delivered_text(plan)}",
        f"Lowest: tablets at {format_percent_plain(r.assay.low)}, the mark read as {low_side}, "
        f"the water as {format_volume_ml(water + r.water_error_ml)}"
        + (", each dilution at its weakest" if plan.dilution else "")
        + f": {format_dose_mg(r.low_mg)}",
        f"Highest: tablets at {format_percent_plain(r.assay.high)}, the mark read as "
        f"{high_side}, the water as {format_volume_ml(water - r.water_error_ml)}"
        + (", each dilution at its strongest" if plan.dilution else "")
        + f": {format_dose_mg(r.high_mg)}",
    ]
    return lines


def format_percent_plain(ratio: Fraction) -> str:
    """Write a share of the label as a percentage without a sign: '90%'."""
    from ldncalc.notation import format_percent

    return format_percent(ratio, signed=False)
