"""Commands about titration plans: ``protocols`` and ``schedule``."""

import sys
from typing import Annotated, Any

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    AssayOpt,
    ConcentrationOpt,
    JsonOpt,
    ScaleAccuracyOpt,
    ScaleOpt,
    StrengthOpt,
    SyringeOpt,
    TabletsOpt,
    WaterErrorOpt,
    WaterOpt,
    console,
    days,
    kit,
    measuring,
    out,
    out_json,
    parse_date,
    preparation,
)
from ldncalc.cli._outputs import (
    DoseTimeOpt,
    ForceOpt,
    FormatOpt,
    HtmlOpt,
    IcsOpt,
    JsonFormatOpt,
    OutputOpt,
    outputs,
    write_outputs,
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

__all__ = ["protocols_command", "schedule"]


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
    from ldncalc.cli._words import HOLD_OPTION, SHOW_PROTOCOL, USE_PROTOCOL
    from ldncalc.render.text import print_protocol, print_protocols

    if protocol_id is not None:
        print_protocol(console(), chosen[0], hold_option=HOLD_OPTION)
    else:
        print_protocols(console(), chosen, show_command=SHOW_PROTOCOL, use_command=USE_PROTOCOL)


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
    scale: ScaleOpt = None,
    scale_accuracy: ScaleAccuracyOpt = None,
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
    fmt: FormatOpt = None,
    json: JsonFormatOpt = False,
    output: OutputOpt = None,
    ics: IcsOpt = None,
    html: HtmlOpt = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw the dose over the weeks as a step chart.")
    ] = False,
    dose_time: DoseTimeOpt = None,
    force: ForceOpt = False,
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

    wanted, table = outputs(fmt, json, output, ics, html)
    from ldncalc.dates import parse_time_of_day
    from ldncalc.files import check_writable

    hour = parse_time_of_day(dose_time)
    check_writable([path for path, _ in wanted if path != "-"], force=force)
    chosen_protocol = protocol(protocol_id, start, step, every, target)
    given: dict[str, Any] = {}
    if hold is not None:
        given["hold_days"] = days(hold)
    plan = build_schedule(
        chosen_protocol,
        start_date=parse_date(start_date),
        preparation=preparation(tablets, strength, water, concentration),
        kit=kit(syringe_text, scale, scale_accuracy),
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
    written = write_outputs(plan, supply, wanted, force=force, stdout=out, dose_time=hour)
    for path in written:
        print(f"Wrote {path}", file=sys.stderr)
    if table:
        from ldncalc.cli._words import MIX_COMMAND
        from ldncalc.render.text import print_schedule

        print_schedule(console(), plan, supply, chart=chart, mix_command=MIX_COMMAND)
