"""Commands about titration plans: ``protocols`` and ``schedule``."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    AssayOpt,
    ConcentrationOpt,
    JsonOpt,
    StrengthOpt,
    SyringeOpt,
    TabletsOpt,
    WaterErrorOpt,
    WaterOpt,
    console,
    days,
    measuring,
    out,
    out_json,
    parse_date,
    preparation,
    syringe,
)
from ldncalc.cli._planopts import (
    ConfirmOpt,
    EveryOpt,
    HoldOpt,
    KeepOpt,
    ProtocolArg,
    StartDateOpt,
    StartOpt,
    StepOpt,
    TargetOpt,
    complete_protocol,
    protocol,
)
from ldncalc.errors import InvalidInputError

__all__ = ["Format", "protocols_command", "schedule"]


class Format(StrEnum):
    """The file formats a schedule can be written in."""

    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command("protocols", short_help="The published titration protocols.")
@guarded
def protocols_command(
    protocol_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="Show only this protocol.", autocompletion=complete_protocol
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """List the published titration protocols with their sources, or show one.

    Example: ldncalc protocols ldnrt-weekly
    """
    from ldncalc.plan.titration import get_protocol, protocols

    chosen = [get_protocol(protocol_id)] if protocol_id is not None else list(protocols())
    if json:
        from ldncalc.render.jsonout import protocols_object

        out_json(protocols_object(chosen))
        return
    from ldncalc.render.text import print_protocol, print_protocols

    if protocol_id is not None:
        print_protocol(console(), chosen[0])
    else:
        print_protocols(console(), chosen)


# Files are typed as paths, so that shell completion offers file names.
PathOpt = {"dir_okay": False, "allow_dash": True}


def _text(path: Path | None) -> str | None:
    """Return a path option as the text given ('-' stays '-')."""
    return None if path is None else str(path)


@app.command(short_help="A dated titration plan with batches; files to print.")
@guarded
def schedule(
    protocol_id: ProtocolArg = None,
    start: StartOpt = None,
    step: StepOpt = None,
    every: EveryOpt = None,
    target: TargetOpt = None,
    hold: HoldOpt = None,
    start_date: StartDateOpt = None,
    tablets: TabletsOpt = None,
    strength: StrengthOpt = None,
    water: WaterOpt = None,
    concentration: ConcentrationOpt = None,
    syringe_text: SyringeOpt = None,
    keep: KeepOpt = None,
    reserve: Annotated[
        str | None,
        typer.Option(
            "--reserve",
            metavar="VOLUME",
            help="Liquid each stock bottle keeps back, never planned for a dose "
            "[default: 10% of the water, at least 2mL].",
        ),
    ] = None,
    assay: AssayOpt = None,
    water_error: WaterErrorOpt = None,
    tablet_price: Annotated[
        str | None,
        typer.Option("--tablet-price", metavar="PRICE", help="Price of one tablet, for the cost."),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Print (or write with -o) this file format."),
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="The same as --format json.")] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the format (Markdown if none) to this file; - is stdout.",
            **PathOpt,
        ),
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Also write an iCalendar file of the steps and batches.",
            **PathOpt,
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            metavar="FILE",
            help="Also write a printable handout (one HTML file).",
            **PathOpt,
        ),
    ] = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw the dose over the weeks as a step chart.")
    ] = False,
    dose_time: Annotated[
        str | None,
        typer.Option(
            "--dose-time",
            metavar="HH:MM",
            help="The hour of the daily dose (24-hour clock, local time): the --ics calendar "
            "gets a daily dose event at that hour with a reminder, and a reminder an hour "
            "before each mixing. LDN is usually taken at bedtime.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that already exist (regular files only).")
    ] = False,
    confirm: ConfirmOpt = False,
) -> None:
    """Print a dated titration schedule with the volume for each step, and its batches.

    With no protocol and no options of your own: the LDN Research Trust
    schedule, 1 mg increased by 1 mg weekly to 4.5 mg, then held for 8 weeks.
    A schedule of your own needs --start, and --step and --every unless it
    holds one dose (--start equal to --target).

    Example: ldncalc schedule --start 1mg --step 1mg --every 7d --target 4.5mg
    """
    from ldncalc.plan.supply import plan_batches
    from ldncalc.plan.titration import build_schedule
    from ldncalc.render.exports import write_outputs

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
    from ldncalc.dates import parse_time_of_day
    from ldncalc.files import check_writable

    hour = parse_time_of_day(dose_time)
    check_writable([path for path, _ in wanted.values() if path != "-"], force=force)
    chosen_protocol = protocol(protocol_id, start, step, every, target)
    given: dict[str, Any] = {}
    if hold is not None:
        given["hold_days"] = days(hold)
    plan = build_schedule(
        chosen_protocol,
        start_date=parse_date(start_date),
        preparation=preparation(tablets, strength, water, concentration),
        syringe=syringe(syringe_text),
        **given,
        **measuring(assay, water_error),
        confirm=confirm,
    )
    batch_options: dict[str, Any] = {}
    if keep is not None:
        batch_options["keep_days"] = days(keep)
    if reserve is not None:
        from ldncalc.units import read_volume_ml

        batch_options["reserve_ml"] = read_volume_ml(reserve)
    if tablet_price is not None:
        from ldncalc.plan.supply import parse_price

        batch_options["tablet_price"] = parse_price(tablet_price)
    supply = plan_batches(plan, **batch_options)
    written = write_outputs(
        plan, supply, list(wanted.values()), force=force, stdout=out, dose_time=hour
    )
    for path in written:
        print(f"Wrote {path}", file=sys.stderr)
    if chosen is None and not to_stdout:
        from ldncalc.render.text import print_schedule

        print_schedule(console(), plan, supply, chart=chart)
