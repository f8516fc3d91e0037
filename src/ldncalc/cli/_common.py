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

    from ldncalc.dose.preparation import Preparation
    from ldncalc.dose.syringes import Syringe
    from ldncalc.plan.titration import Protocol

__all__ = [
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "ClosedStream",
    "ReaderGone",
    "console",
    "error_line",
    "json_errors_requested",
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


def syringe(text: str | None) -> "Syringe | None":
    """Return the syringe named by --syringe, or None for the catalogue."""
    if text is None:
        return None
    from ldncalc.dose.syringes import parse_syringe

    return parse_syringe(text)


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
    str | None,
    typer.Option(
        "--syringe",
        "-s",
        metavar="SYRINGE",
        help="Use this syringe, CAPACITY[:MARKS], e.g. 5mL:0.1mL (default: the smallest "
        "catalogue syringe that holds the dose).",
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


# The options that describe a plan: shared by 'schedule' and 'plan start'.
ProtocolArg = Annotated[
    str | None,
    typer.Argument(
        metavar="PROTOCOL",
        help="A protocol id from 'ldncalc protocols' (default: ldnrt-weekly).",
        autocompletion=lambda incomplete: complete_protocol(incomplete),
    ),
]
StartOpt = Annotated[
    str | None, typer.Option("--start", metavar="DOSE", help="Your own plan: first dose.")
]
StepOpt = Annotated[
    str | None, typer.Option("--step", metavar="DOSE", help="Your own plan: added at each step.")
]
EveryOpt = Annotated[
    str | None,
    typer.Option(
        "--every", metavar="DURATION", help="Your own plan: time between steps (7d, 2w, 2 weeks)."
    ),
]
TargetOpt = Annotated[
    str | None,
    typer.Option(
        "--target", metavar="DOSE", help="Your own plan: the dose held at the end [default: 4.5mg]."
    ),
]
HoldOpt = Annotated[
    str | None,
    typer.Option(
        "--hold",
        metavar="DURATION",
        help="How long to stay at the target, from its first day [default: 8w].",
    ),
]
StartDateOpt = Annotated[
    str | None,
    typer.Option("--start-date", metavar="DATE", help="Day 1, as YYYY-MM-DD [default: today]."),
]
KeepOpt = Annotated[
    str | None,
    typer.Option(
        "--keep",
        metavar="DURATION",
        help="How long a bottle keeps; the mixing day is day 1 [default: 14d].",
    ),
]


def complete_protocol(incomplete: str) -> list[str]:
    """Complete a protocol id (shell completion)."""
    from ldncalc.plan.titration import protocols

    return [p.id for p in protocols() if p.id.startswith(incomplete)]


def protocol(
    protocol_id: str | None,
    start: str | None,
    step: str | None,
    every: str | None,
    target: str | None,
) -> "Protocol":
    """Return the protocol the plan options name: a shipped one, your own, or the default."""
    from ldncalc.plan.titration import resolve_protocol
    from ldncalc.units import parse_duration_days

    return resolve_protocol(
        protocol_id,
        start_mg=start,
        step_mg=step,
        every_days=parse_duration_days(every) if every is not None else None,
        target_mg=target,
    )


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


AgainOpt = Annotated[
    bool,
    typer.Option(
        "--again",
        help="Record a second dose record on a day that has one already (taken or missed).",
    ),
]
ConfirmOpt = Annotated[
    bool,
    typer.Option(
        "--confirm",
        help="Keep a dose ten times one of the plan's (the misplaced decimal point) if it "
        "is really meant.",
    ),
]


def confirm_saved(lines: list[str], entry_id: int) -> None:
    """Print what a saved entry's command says; if it cannot be printed, say so on stderr.

    The entry is saved already: a full disk or a closed output must not turn
    it into a failure (a script retrying on failure would record it twice).
    """
    import os
    import sys

    try:
        out("\n".join(lines))
        sys.stdout.flush()
    except (OSError, ValueError, ReaderGone) as exc:
        import contextlib

        # Nothing left in stdout's buffer may fail again at exit.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stdout.flush()
        if isinstance(exc, ReaderGone):
            return
        reason = getattr(exc, "strerror", None) or str(exc) or "standard output is closed"
        with contextlib.suppress(OSError, ValueError, AttributeError):
            print(
                f"Warning: entry {entry_id} is saved, but its confirmation could not be "
                f"printed ({reason})",
                file=sys.stderr,
            )
