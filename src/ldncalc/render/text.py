"""Terminal output with rich: tables that never cut a number.

A table is drawn only when every column fits whole at the console's width;
otherwise each row is stacked as "Header: value" lines, so no "4.…" or lone
".5" can appear at any width. Prose is printed by :mod:`ldncalc.render.plain`.
Colour follows rich's rules: off when piped, under NO_COLOR and with TERM=dumb.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import time
from typing import IO, TYPE_CHECKING

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from ldncalc.dose.accuracy import percent_up_text
from ldncalc.dose.preparation import Advisory, DosePlan, Preparation
from ldncalc.errors import ReaderGone
from ldncalc.notation import (
    for_encoding,
    format_concentration_mg_per_ml,
    format_dose_mg,
    format_volume_ml,
    safe_text,
)
from ldncalc.plan.supply import SupplyPlan
from ldncalc.plan.titration import Protocol, Schedule
from ldncalc.render.pictures import chart_lines
from ldncalc.render.plain import (
    paragraph_lines,
    print_advisories,
    print_disclaimer,
    print_paragraph,
    water_text,
)
from ldncalc.render.rows import (
    BATCH_HEADERS,
    DOSE_HEADERS,
    batch_cells,
    batch_rows,
    dilution_lines,
    dose_row,
    step_rows,
    totals_lines,
)

if TYPE_CHECKING:  # print_mix only reads it: schedule need not import the search
    from ldncalc.dose.recommender import Recommendation

__all__ = [
    "make_console",
    "print_dose_table",
    "print_mix",
    "print_protocol",
    "print_protocols",
    "print_schedule",
    "print_table",
]


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit with 1 here; let the CLI end the way it does for plain
        # output when the reader goes away (ldncalc schedule | head).
        raise ReaderGone


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    """Return a console for ldncalc's output (stdout unless ``file`` is given)."""
    return _Console(file=file, width=width, highlight=False, emoji=False, markup=False)


def print_table(
    console: Console,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    title: str | None = None,
    joins: Mapping[str, str] | None = None,
) -> None:
    """Print a table, or stacked rows when the table cannot fit whole.

    A cell may hold several lines (``"5 mL\\n(0.2 mL marks)"``): each line is
    kept whole, and a stacked row joins them with spaces, or with what
    ``joins`` gives for its column (``{"Dates": " to "}``).
    """
    # Stand-ins first ('about' for ≈ on an ASCII terminal), so the widths count them.
    encoding = console.encoding
    headers = [for_encoding(h, encoding) for h in headers]
    rows = [[for_encoding(cell, encoding) for cell in r] for r in rows]
    widths = [
        max(
            cell_len(line)
            for text in (header, *(row[i] for row in rows))
            for line in text.split("\n")
        )
        for i, header in enumerate(headers)
    ]
    # One space of padding a side and one separator between columns; no edges.
    if sum(widths) + 3 * len(headers) - 3 <= console.width:
        table = Table(
            box=box.SIMPLE_HEAD,
            title=title,
            title_justify="left",
            show_edge=False,
            pad_edge=False,
            show_lines=any("\n" in cell for row in rows for cell in row),  # rows apart
        )
        for header, width in zip(headers, widths, strict=True):
            table.add_column(header, no_wrap=True, min_width=width)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        console.print("")
        return
    if title:
        print_paragraph(console, title)
    label_width = max(len(h) for h in headers)
    lines: list[str] = []
    for row in rows:
        lines.append("")
        for header, cell in zip(headers, row, strict=True):
            text = (joins or {}).get(header, " ").join(cell.split("\n"))
            lines += paragraph_lines(f"{header + ':':<{label_width + 1}} {text}", console.width)
    console.print("\n".join([*lines, ""]), soft_wrap=True)


def _two_lines(text: str) -> str:
    """Split '5 mL (0.2 mL marks)' or '4.6 mg (+2.2%)' before its parenthesis."""
    return text.replace(" (", "\n(")


def print_dose_table(
    console: Console,
    preparation: Preparation,
    plans: Sequence[DosePlan],
    said: Sequence[Advisory] = (),
) -> None:
    """Print a preparation and a table of doses measured from it, with their ranges.

    ``said``: warnings already printed above the table, not repeated under it.
    """
    print_paragraph(console, f"Preparation: {preparation.label}")
    water = water_text(plans[0]) if plans else None
    if water is not None:
        print_paragraph(console, f"Water: {water}", hang=7)
    console.print("")
    rows = [
        [r.dose, r.volume, _two_lines(r.syringe), r.draw_to, _two_lines(r.delivers), r.range]
        for r in (dose_row(p) for p in plans)
    ]
    print_table(console, DOSE_HEADERS, rows)
    for plan in plans:
        for line in dilution_lines(plan):
            print_paragraph(console, f"{format_dose_mg(plan.dose_mg)}: {line}")
    print_paragraph(console, f"Could be: {RANGE_NOTE}")
    print_advisories(
        console,
        ((format_dose_mg(p.dose_mg), a) for p in plans for a in p.advisories if a not in said),
    )
    print_disclaimer(console)


RANGE_NOTE = (
    "what the dose may really be, from the tablet's content (90% to 110% of its label), "
    "the water's measure and the reading of each mark"
)


MIX_HEADERS = (
    "#",
    "Tablets",
    "Water",
    "Concentration",
    "Every dose\non a mark",
    "Measuring\n(worst)",
    "With tablets\n(worst)",
)


def print_mix(console: Console, rec: Recommendation) -> None:
    """Print the ranked preparations, then the dose table of the best one."""
    doses = ", ".join(format_dose_mg(d) for d in rec.doses_mg)
    print_paragraph(console, f"Doses: {doses}")
    print_paragraph(console, f"Preparations searched: {rec.searched}")
    console.print("")
    rows = [
        [
            str(rank),
            f"{c.preparation.tablets} x {format_dose_mg(c.preparation.strength_mg)}",
            format_volume_ml(c.preparation.water_ml),
            format_concentration_mg_per_ml(c.preparation.concentration_mg_per_ml),
            "yes" if c.exact else "no",
            "up to " + percent_up_text(c.worst_error * 100),
            "up to " + percent_up_text(c.worst_range * 100),
        ]
        for rank, c in enumerate(rec.candidates, start=1)
    ]
    print_table(console, MIX_HEADERS, rows)
    print_paragraph(
        console,
        "Measuring: how far the dose may be off from the water's measure, the reading of "
        "each mark and the nearest mark's change (ranks the recipes); with tablets: the "
        "tablet's content (90% to 110%) too.",
    )
    console.print("")
    print_advisories(console, (("", a) for a in rec.advisories))
    if rec.candidates:
        best = rec.candidates[0]
        console.print("")
        print_paragraph(console, "Best preparation, dose by dose:")
        print_dose_table(console, best.preparation, best.plans, rec.advisories)
    else:
        print_disclaimer(console)


TERMINAL_STEP_HEADERS = ("Step", "Days", "Dates", "Dose", "Draw to", "Syringe", "Delivers")
RANGE_HEADERS = ("Step", "Dose", "Drawn from", "Could be")


def print_schedule(
    console: Console,
    schedule: Schedule,
    supply: SupplyPlan,
    *,
    chart: bool = False,
    mix_command: str,
    dose_time: time | None = None,
) -> None:
    """Print a schedule: its steps (and chart), its batches, the totals; the notice last.

    ``mix_command`` is the command that searches preparations, offered when a
    dose is off its mark (the CLI words it); ``dose_time`` the hour of the daily
    dose, said when one is given.
    """
    protocol = schedule.protocol
    # A living plan's protocol may come from an imported diary: its words are user text.
    print_paragraph(console, f"Protocol: {safe_text(protocol.title)} ({safe_text(protocol.id)})")
    print_paragraph(console, f"Source: {safe_text(protocol.source)}")
    print_paragraph(console, f"Preparation: {schedule.preparation.label}")
    water = water_text(schedule.steps[0].plan) if schedule.steps else None
    if water is not None:
        print_paragraph(console, f"Water: {water}", hang=7)
    if dose_time is not None:
        print_paragraph(console, f"Dose time: each day at {dose_time.strftime('%H:%M')}")
    console.print("")
    # Cells of several lines keep the step table within 80 columns; the volume
    # names its liquid in the same cell, as every output does.
    rows = [
        [
            f"{r.number}\n(target)" if r.at_target else str(r.number),
            r.days,
            f"{r.first_date}\n{r.last_date}",
            r.dose.dose,
            _draw_cell(r.dose.draw_to, r.dose.liquid),
            r.dose.syringe.replace(" (", "\n(").replace(" marks)", "\nmarks)"),
            r.dose.delivers.replace(" (", "\n("),
        ]
        for r in step_rows(schedule)
    ]
    # Stacked on a narrow terminal, a step's dates read "2026-09-01 to 2026-09-07".
    print_table(console, TERMINAL_STEP_HEADERS, rows, title="Steps", joins={"Dates": " to "})
    ranges = [
        [str(r.number), r.dose.dose, r.dose.liquid, r.dose.range] for r in step_rows(schedule)
    ]
    print_table(console, RANGE_HEADERS, ranges, title="What each dose may really be")
    print_dilutions(console, schedule)
    changes = [(r, r.note) for r in step_rows(schedule) if r.note]
    for r, note in changes:  # a change's reason is user text
        print_paragraph(
            console, f"Change at step {r.number} (from {r.first_date}): {safe_text(note)}"
        )
    if changes:
        console.print("")
    if chart:
        console.print("\n".join(chart_lines(schedule, console.width)), soft_wrap=True)
        console.print("")
    print_table(
        console, BATCH_HEADERS, [batch_cells(r) for r in batch_rows(supply)], title="Batches"
    )
    print_paragraph(console, "Totals: " + "; ".join(totals_lines(schedule, supply)))
    advisories = [(f"step {n}", a) for n, a in schedule.advisories]
    if advisories:
        console.print("")
        print_advisories(console, advisories)
        print_paragraph(
            console,
            f"To measure every dose on a mark, try a preparation from: {mix_command}",
        )
    print_disclaimer(console)


def _draw_cell(draw_to: str, liquid: str) -> str:
    """Stack 'V mL' over 'of the dilution' over '(0.1 mg/mL)' (a liquid named with rows')."""
    name, _, concentration = liquid.partition(" (")
    return f"{draw_to} of\n{name}\n({concentration}"


def print_dilutions(console: Console, schedule: Schedule) -> None:
    """Print how each diluted liquid of a schedule is made, once per recipe."""
    seen: list[object] = []
    for step in schedule.steps:
        plan = step.plan
        if plan.dilution and plan.dilution not in seen:
            seen.append(plan.dilution)
            # One dilution may serve several doses: name every one it serves.
            doses = sorted(
                {s.plan.dose_mg for s in schedule.steps if s.plan.dilution == plan.dilution}
            )
            named = [format_dose_mg(d) for d in doses]
            listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
            print_paragraph(console, f"Steps at {listed} draw from a dilution of the stock:")
            for line in dilution_lines(plan):
                print_paragraph(console, line, indent="  ")
    if seen:
        first_stock = (
            next(s for s in schedule.steps if not s.plan.dilution)
            if any(not s.plan.dilution for s in schedule.steps)
            else None
        )
        if first_stock is not None:
            print_paragraph(
                console,
                f"From step {first_stock.number} on, doses are drawn from the stock itself.",
            )
        console.print("")


def print_protocols(
    console: Console, protocols: Sequence[Protocol], *, show_command: str, use_command: str
) -> None:
    """Print the shipped protocols with their sources, and the commands that show and use one."""
    for p in protocols:
        print_paragraph(console, f"{p.id}: {p.title}")
        print_paragraph(console, p.description, indent="  ")
        print_paragraph(console, f"Source: {p.source}", indent="  ")
        console.print("")
    print_paragraph(console, f"Show one: {show_command}; use one: {use_command}")
    print_disclaimer(console)


def print_protocol(console: Console, protocol: Protocol, *, hold_option: str) -> None:
    """Print one protocol: its steps and its source (``hold_option`` sets the target's days)."""
    print_paragraph(console, f"{protocol.id}: {protocol.title}")
    print_paragraph(console, protocol.description)
    print_paragraph(console, f"Source: {protocol.source}")
    console.print("")
    rows = [[str(i), format_dose_mg(d), f"{n} days"] for i, (d, n) in enumerate(protocol.climb, 1)]
    rows.append([str(len(rows) + 1), format_dose_mg(protocol.target_mg), f"held ({hold_option})"])
    print_table(console, ("Step", "Dose", "For"), rows)
    print_disclaimer(console)
