"""Commands about titration plans: ``protocols`` and ``schedule``."""

from typing import Annotated

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
    out_json,
)
from ldncalc.cli._outputs import (
    DoseTimeOpt,
    ForceOpt,
    FormatOpt,
    HtmlOpt,
    IcsOpt,
    JsonFormatOpt,
    OutputOpt,
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
    from ldncalc.cli._schedule import schedule_command

    schedule_command(
        protocol_id,
        start=start,
        step=step,
        every=every,
        target=target,
        hold=hold,
        start_date=start_date,
        tablets=tablets,
        strength=strength,
        water=water,
        concentration=concentration,
        syringe_text=syringe_text,
        scale=scale,
        scale_accuracy=scale_accuracy,
        keep=keep,
        reserve=reserve,
        assay=assay,
        water_error=water_error,
        tablet_price=tablet_price,
        fmt=None if fmt is None else str(fmt.value),
        json=json,
        output=output,
        ics=ics,
        html=html,
        chart=chart,
        dose_time=dose_time,
        force=force,
        confirm=confirm,
    )
