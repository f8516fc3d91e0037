"""What the command modules share: options, readers of option text, output.

Options default to None and fall through to the library's defaults, which
live once, in the library.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from ldncalc.cli._exits import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    ClosedStream,
    error_line,
    json_errors_requested,
    out,
    out_json,
)
from ldncalc.cli._readers import days, kit, measuring, parse_whole, preparation, syringe
from ldncalc.dates import parse_date
from ldncalc.errors import ReaderGone

if TYPE_CHECKING:
    from rich.console import Console


__all__ = [
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "ClosedStream",
    "ReaderGone",
    "console",
    "days",
    "error_line",
    "json_errors_requested",
    "kit",
    "measuring",
    "out",
    "out_json",
    "parse_date",
    "parse_whole",
    "preparation",
    "syringe",
]


def console() -> "Console":
    """Return the rich console for tables."""
    from ldncalc.render.text import make_console

    return make_console()


TabletsOpt = Annotated[
    str | None,
    typer.Option("--tablets", "-t", metavar="N", help="Tablets dissolved, 1 to 10 [default: 1]."),
]
StrengthOpt = Annotated[
    str | None,
    typer.Option("--strength", metavar="DOSE", help="Strength of one tablet [default: 50mg]."),
]
WaterOpt = Annotated[
    str | None,
    typer.Option(
        "--water", "-w", metavar="VOLUME", help="Water added, e.g. 50mL or 0.05L [default: 50mL]."
    ),
]
ConcentrationOpt = Annotated[
    str | None,
    typer.Option(
        "--concentration",
        metavar="MG/ML",
        help="Instead of --water: the concentration you make, e.g. 5mg/mL (the water is "
        "worked out).",
    ),
]
SyringeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--syringe",
        "-s",
        metavar="SYRINGE",
        help="A syringe you have, CAPACITY[:MARKS], e.g. 5mL:0.1mL; give it once for each "
        "(default: the smallest catalogue syringe that holds the dose).",
    ),
]
ScaleOpt = Annotated[
    str | None,
    typer.Option(
        "--scale",
        metavar="GRAMS",
        help="Weigh the water on a kitchen scale with these divisions, e.g. 0.1g.",
    ),
]
ScaleAccuracyOpt = Annotated[
    str | None,
    typer.Option(
        "--scale-accuracy",
        metavar="GRAMS",
        help="How far the scale may be off, e.g. 0.2g [default: one division].",
    ),
]
AssayOpt = Annotated[
    str | None,
    typer.Option(
        "--assay",
        metavar="PERCENT",
        help="What a tablet really holds, as a share of its label, for the ranges: "
        "95-105%, or 100% to see the measuring error alone [default: 90-110%, USP].",
    ),
]
WaterErrorOpt = Annotated[
    str | None,
    typer.Option(
        "--water-error",
        metavar="VOLUME",
        help="The most the water may be off, e.g. 1mL [default: half a mark per fill of "
        "the syringe that measures it in the fewest fills].",
    ),
]


JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print one JSON object (errors too, on stderr).")
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="DATE",
        help="The day, as YYYY-MM-DD in your local calendar [default: today].",
    ),
]
