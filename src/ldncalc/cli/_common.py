"""What the command modules share: options, readers of option text, output.

Options default to None and fall through to the library's defaults, which
live once, in the library.
"""

import re
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from ldncalc.dates import parse_date
from ldncalc.errors import InvalidInputError, ReaderGone
from ldncalc.exits import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    ClosedStream,
    error_line,
    json_errors_requested,
    out,
    out_json,
)

if TYPE_CHECKING:
    from rich.console import Console

    from ldncalc.dose.kit import Kit
    from ldncalc.dose.preparation import Preparation
    from ldncalc.dose.syringes import Syringe

__all__ = [
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "ClosedStream",
    "ReaderGone",
    "console",
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


_WHOLE = re.compile(r"[0-9]+")


def parse_whole(text: str | None, option: str) -> int | None:
    """Read a whole number typed for ``option`` (ASCII digits only), or None if not given."""
    if text is None:
        return None
    raw = text.strip()
    if _WHOLE.fullmatch(raw) is None or len(raw) > 6:
        raise InvalidInputError(f"{option} takes a whole number such as 2, not {text!r}")
    return int(raw)


def preparation(
    tablets: str | None,
    strength: str | None,
    water: str | None,
    concentration: str | None = None,
    *,
    warn: bool = True,
) -> "Preparation":
    """Return the preparation the options describe; what is not given takes the default.

    A concentration whose water was put on a mark says so on stderr (``warn``;
    a command that prints its own warnings shows ``advisories`` instead).
    """
    from ldncalc.dose.preparation import make_preparation

    given: dict[str, Any] = {}
    count = parse_whole(tablets, "--tablets")
    if count is not None:
        given["tablets"] = count
    if strength is not None:
        given["strength_mg"] = strength
    if water is not None:
        given["water_ml"] = water
    if concentration is not None:
        given["concentration_mg_per_ml"] = concentration
    prep = make_preparation(**given)
    for note in prep.advisories if warn else ():
        typer.echo(f"Warning: {note.message}", err=True)
    return prep


def syringe(text: "str | list[str] | None") -> "Syringe | None":
    """Return the one syringe named by --syringe, or None for the catalogue.

    For a command that keeps one syringe: several are refused, naming the commands
    that take a kit.
    """
    texts = [text] if isinstance(text, str) else text or []
    if not texts:
        return None
    if len(texts) > 1:
        raise InvalidInputError(
            "this command keeps one syringe; several --syringe are for dose, mix and schedule"
        )
    from ldncalc.dose.syringes import parse_syringe

    return parse_syringe(texts[0])


def kit(
    syringe_texts: list[str] | None, scale_text: str | None, accuracy_text: str | None = None
) -> "Kit | None":
    """Return the kit the options name (the syringes of each --syringe, --scale), or None."""
    if not syringe_texts and scale_text is None:
        if accuracy_text is not None:
            raise InvalidInputError("--scale-accuracy needs --scale")
        return None
    from ldncalc.dose.kit import Kit, parse_scale
    from ldncalc.dose.syringes import parse_syringe

    if scale_text is None and accuracy_text is not None:
        raise InvalidInputError("--scale-accuracy needs --scale")
    scale = None if scale_text is None else parse_scale(scale_text, accuracy_text)
    return Kit(tuple(parse_syringe(t) for t in syringe_texts or ()), scale)


def refuse(message: str) -> NoReturn:
    """Stop with a usage error."""
    raise InvalidInputError(message)


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


def measuring(assay: str | None, water_error: str | None) -> dict[str, Any]:
    """Return the keyword arguments for the range's assumptions that were given."""
    given: dict[str, Any] = {}
    if assay is not None:
        from ldncalc.dose.accuracy import parse_assay

        given["assay"] = parse_assay(assay)
    if water_error is not None:
        given["water_error_ml"] = water_error
    return given


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


def days(text: str | None) -> int | None:
    """Read a length of time such as 14d or 2w, or None if not given.

    A bare number is read as days, and a warning on stderr says so.
    """
    if text is None:
        return None
    from ldncalc.units import bare_duration_note, parse_duration_days

    count = parse_duration_days(text)
    note = bare_duration_note(text)
    if note is not None:
        typer.echo(f"Warning: {note}; write {count}d to say so, or {count}w for weeks", err=True)
    return count
