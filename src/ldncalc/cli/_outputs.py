"""The files a schedule goes to: its options (``_schedule.outputs`` reads what they ask for)."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "DoseTimeOpt",
    "ForceOpt",
    "Format",
    "FormatOpt",
    "HtmlOpt",
    "IcsOpt",
    "JsonFormatOpt",
    "OutputOpt",
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
