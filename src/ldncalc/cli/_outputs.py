"""The files a schedule goes to: its options, which outputs a command line asks for, the writing."""

from collections.abc import Callable, Sequence
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldncalc.errors import InvalidInputError

if TYPE_CHECKING:
    from ldncalc.plan.supply import SupplyPlan
    from ldncalc.plan.titration import Schedule

__all__ = [
    "DoseTimeOpt",
    "ForceOpt",
    "Format",
    "FormatOpt",
    "HtmlOpt",
    "IcsOpt",
    "JsonFormatOpt",
    "OutputOpt",
    "outputs",
    "write_outputs",
]


class Format(StrEnum):
    """The file formats a schedule can be written in."""

    json = "json"
    csv = "csv"
    markdown = "markdown"


def _format(text: str) -> Format:
    """Read --format; the handout and the calendar have options of their own: say which."""
    if text in set(Format):
        return Format(text)
    files = {"html": "the printable handout", "ics": "the calendar"}
    flag = text.strip().lower()
    if flag in files:
        raise typer.BadParameter(f"{files[flag]} is not a --format: type --{flag} FILE instead")
    hint = "the handout: --html FILE; the calendar: --ics FILE"
    raise typer.BadParameter(f"{text!r} is not one of 'json', 'csv', 'markdown' ({hint})")


# Files are typed as paths, so that shell completion offers file names.
PathOpt = {"dir_okay": False, "allow_dash": True}

FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        parser=_format,
        metavar="<json|csv|markdown>",
        help="Print (or write with -o) this file format.",
    ),
]
JsonFormatOpt = Annotated[bool, typer.Option("--json", help="The same as --format json.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the format (Markdown if none) to this file; - is stdout.",
        **PathOpt,
    ),
]
IcsOpt = Annotated[
    Path | None,
    typer.Option(
        "--ics",
        metavar="FILE",
        help="Also write an iCalendar file of the steps and batches.",
        **PathOpt,
    ),
]
HtmlOpt = Annotated[
    Path | None,
    typer.Option(
        "--html",
        metavar="FILE",
        help="Also write a printable handout (one HTML file).",
        **PathOpt,
    ),
]
DoseTimeOpt = Annotated[
    str | None,
    typer.Option(
        "--dose-time",
        metavar="HH:MM",
        help="The hour of the daily dose (24-hour clock, local time): the --ics calendar "
        "gets a daily dose event at that hour with a reminder, and a reminder an hour "
        "before each mixing. LDN is usually taken at bedtime.",
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Replace files that already exist (regular files only).")
]


def _text(path: Path | None) -> str | None:
    """Return a path option as the text given ('-' stays '-')."""
    return None if path is None else str(path)


def outputs(
    fmt: Format | None, json: bool, output: Path | None, ics: Path | None, html: Path | None
) -> tuple[list[tuple[str, str]], bool]:
    """Return the (path, format) pairs asked for, and whether the table goes to the terminal.

    The table is printed unless a format is asked for or a file goes to stdout ('-').

    Raises:
        InvalidInputError: two formats asked for, or more than one output to stdout.
    """
    if json and fmt not in (None, Format.json):
        raise InvalidInputError("--json and --format csv|markdown ask for two formats; give one")
    chosen = "json" if json else fmt.value if fmt is not None else None
    if chosen is None and output is not None:
        chosen = "markdown"
    files = {"--ics": (_text(ics), "ics"), "--html": (_text(html), "html")}
    if chosen is not None:
        files["--output"] = (_text(output) or "-", chosen)
    wanted = {flag: (path, kind) for flag, (path, kind) in files.items() if path is not None}
    to_stdout = [flag for flag, (path, _) in wanted.items() if path == "-"]
    if len(to_stdout) > 1:
        raise InvalidInputError(f"only one output can go to stdout: {', '.join(to_stdout)}")
    return list(wanted.values()), chosen is None and not to_stdout


def write_outputs(
    schedule: "Schedule",
    supply: "SupplyPlan",
    outputs: Sequence[tuple[str, str]],
    *,
    force: bool,
    stdout: Callable[[str], None],
    dose_time: time | None = None,
) -> list[Path]:
    """Render each (path, format) and write it; ``-`` goes to ``stdout``. Return the files written.

    Every text is rendered before any file is written, and the files are
    written all or none (:func:`ldncalc.files.write_texts_atomic`).
    """
    from ldncalc.files import write_texts_atomic
    from ldncalc.render.exports import render_format

    texts = [
        (path, render_format(name, schedule, supply, dose_time=dose_time)) for path, name in outputs
    ]
    texts = [(path, text if text.endswith("\n") else text + "\n") for path, text in texts]
    written = write_texts_atomic([(p, t) for p, t in texts if p != "-"], force=force)
    for path, text in texts:
        if path == "-":
            stdout(text)
    return written
