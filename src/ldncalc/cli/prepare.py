"""Commands about one preparation: the default table, ``dose`` and ``mix``."""

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
    kit,
    out,
    out_json,
    parse_whole,
)

__all__ = ["default_table", "dose", "mix"]


def _version_callback(value: bool) -> None:
    if value:
        from ldncalc._version import __version__

        out(f"ldncalc {__version__}")
        raise typer.Exit(0)


@app.callback(invoke_without_command=True)
@guarded
def default_table(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
    json: Annotated[
        bool,
        typer.Option(
            "--json",
            help=(
                "With no command: print the table as one JSON object. Before a command: "
                "only its errors are JSON (on stderr); give the command its own --json."
            ),
        ),
    ] = False,
) -> None:
    """Print the default preparation and dose table when no command is given."""
    if ctx.invoked_subcommand is not None:
        return
    from ldncalc.dose.preparation import make_preparation, plan_dose
    from ldncalc.dose.recommender import DEFAULT_DOSES_MG, dose_steps

    prep = make_preparation()
    plans = [plan_dose(d, prep) for d in dose_steps(*DEFAULT_DOSES_MG)]
    if json:
        from ldncalc.render.jsonout import dose_table_object

        out_json(dose_table_object(prep, plans))
        return
    from ldncalc.render.text import print_dose_table

    print_dose_table(console(), prep, plans)


@app.command(short_help="The volume, syringe and mark for one dose.")
@guarded
def dose(
    dose_text: Annotated[
        str, typer.Argument(metavar="DOSE", help="The dose: 4.5mg, 4500mcg, 0.0045g.")
    ],
    tablets: TabletsOpt = None,
    strength: StrengthOpt = None,
    water: WaterOpt = None,
    concentration: ConcentrationOpt = None,
    syringe_text: SyringeOpt = None,
    scale: ScaleOpt = None,
    scale_accuracy: ScaleAccuracyOpt = None,
    assay: AssayOpt = None,
    water_error: WaterErrorOpt = None,
    dilute: Annotated[
        bool,
        typer.Option("--dilute", help="Plan a dilution even when the stock could be drawn well."),
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each step of the arithmetic.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Work out the volume to draw for one dose, the syringe and the mark.

    Says what the dose may really be (its range) and, for a dose the liquid
    cannot be drawn well at (0.1 mL or less, or under 20% of the syringe),
    how to dilute it first. A bare number is read as mg and the output says so.

    Example: ldncalc dose 4.5mg --water 100mL --explain
    """
    from ldncalc.cli._dose import dose_command

    dose_command(
        dose_text,
        tablets,
        strength,
        water,
        concentration,
        syringe_text,
        assay,
        water_error,
        scale=scale,
        scale_accuracy=scale_accuracy,
        dilute=dilute,
        explain=explain,
        json=json,
    )


@app.command(short_help="The preparation that puts a range of doses on marks.")
@guarded
def mix(
    dose_from: Annotated[
        str | None, typer.Option("--from", metavar="DOSE", help="Smallest dose [default: 0.5mg].")
    ] = None,
    dose_to: Annotated[
        str | None, typer.Option("--to", metavar="DOSE", help="Largest dose [default: 4.5mg].")
    ] = None,
    step: Annotated[
        str | None,
        typer.Option("--step", metavar="DOSE", help="Step between doses [default: 0.5mg]."),
    ] = None,
    tablets: Annotated[
        str | None,
        typer.Option(
            "--tablets", "-t", metavar="N", help="Search only this many tablets (default 1 to 3)."
        ),
    ] = None,
    strength: StrengthOpt = None,
    syringe_text: SyringeOpt = None,
    scale: ScaleOpt = None,
    scale_accuracy: ScaleAccuracyOpt = None,
    top: Annotated[
        str | None,
        typer.Option("--top", metavar="N", help="How many preparations to show [default: 5]."),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Find the preparation that puts every dose of a range on a syringe mark.

    Searches 1 to 3 tablets in 5 to 250 mL of water and ranks them: exact
    first, then the smallest worst-case reading error.

    Example: ldncalc mix --from 1mg --to 4.5mg --step 0.5mg
    """
    from typing import Any

    from ldncalc.dose.recommender import DEFAULT_DOSES_MG, dose_steps, recommend

    first, last, by = DEFAULT_DOSES_MG
    doses = dose_steps(dose_from or first, dose_to or last, step or by)
    given: dict[str, Any] = {}
    if strength is not None:
        given["strength_mg"] = strength
    count = parse_whole(top, "--top")
    if count is not None:
        given["top"] = count
    chosen = kit(syringe_text, scale, scale_accuracy)
    if chosen is not None:
        given["kit"] = chosen
    rec = recommend(doses, tablets=parse_whole(tablets, "--tablets"), **given)
    if json:
        from ldncalc.render.jsonout import mix_object

        out_json(mix_object(rec))
        return
    from ldncalc.render.text import print_mix

    print_mix(console(), rec)
