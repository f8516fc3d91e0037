"""The living plan: start it, show it, adjust it (ldncalc plan ...)."""

from typing import TYPE_CHECKING, Annotated

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    ConcentrationOpt,
    DateOpt,
    JsonOpt,
    StrengthOpt,
    SyringeOpt,
    TabletsOpt,
    WaterOpt,
    console,
    days,
    out_json,
    preparation,
    syringe,
)
from ldncalc.cli._diary import (
    DataDirOpt,
    ProfileOpt,
    open_diary,
    said,
)
from ldncalc.cli._planopts import (
    ConfirmOpt,
    DoseTimeOpt,
    EveryOpt,
    HoldOpt,
    KeepOpt,
    ProtocolArg,
    StartDateOpt,
    StartOpt,
    StepOpt,
    TargetOpt,
    protocol,
)
from ldncalc.cli._readers import diary_date as _diary_date
from ldncalc.errors import InvalidInputError

if TYPE_CHECKING:
    from ldncalc.render.shapes.plan import PlanObject

__all__ = ["plan_app"]

plan_app = typer.Typer(
    name="plan",
    help="Start, show and adjust your living titration plan. Example: ldncalc plan show",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(plan_app, name="plan", short_help="Start, show and adjust your living plan.")


@plan_app.command("start", short_help="Start a plan: a protocol, or your own steps.")
@guarded
def plan_start(
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
    dose_time: DoseTimeOpt = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Start a new plan over a running one (it stays in the history)."
        ),
    ] = False,
    confirm: ConfirmOpt = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Start the profile's plan from a protocol or your own steps, and the liquid's recipe.

    Without --syringe, the plan is laid with the syringe of your kit ('ldncalc kit').

    Example: ldncalc plan start ldnrt-sensitive --start-date 2027-01-04
    """
    from ldncalc.diary.kit import kit_time

    timed = None if dose_time is None else kit_time(dose_time)  # read before any write
    diary = open_diary(data_dir, profile)
    recorded = diary.start_plan(
        protocol(protocol_id, start, step, every, target),
        start_date=_diary_date(start_date, "--start-date"),
        preparation=preparation(tablets, strength, water, concentration),
        syringe=syringe(syringe_text),
        hold_days=days(hold),
        keep_days=days(keep),
        force=force,
        confirm=confirm,
    )
    said(recorded)
    kept = diary.kit().dose_time
    if timed is not None and (kept is None or kept.strftime("%H:%M") != timed.time):
        said(diary.change_kit(timed))


@plan_app.command("show", short_help="The plan as it stands, with its changes.")
@guarded
def plan_show(
    json: JsonOpt = False,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw the dose over the weeks as a step chart.")
    ] = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Print the current plan as 'ldncalc schedule' does, each change marked on its step.

    Example: ldncalc plan show --chart
    """
    current = open_diary(data_dir, profile).plan()
    living, schedule, supply = current.living, current.schedule, current.supply
    if current.kit_warning is not None:
        typer.echo(f"Warning: {current.kit_warning}", err=True)
    if json:
        from ldncalc.render.diary import plan_extra
        from ldncalc.render.jsonout import schedule_object, schema

        plan_json: PlanObject = {
            **schedule_object(schedule, supply),
            "schema": schema("plan"),
            **plan_extra(living),
        }
        out_json(plan_json)
        return
    from ldncalc.cli._words import MIX_COMMAND
    from ldncalc.render.plain import print_paragraph
    from ldncalc.render.text import print_schedule

    shown = console()
    review = living.review_date
    print_paragraph(
        shown,
        "Review: "
        + (f"{review.isoformat()} (eight weeks at the final dose)" if review else "not set yet"),
    )
    print_schedule(shown, schedule, supply, chart=chart, mix_command=MIX_COMMAND)


ActionArg = Annotated[
    str,
    typer.Argument(
        metavar="ACTION",
        help="back | hold | resume | slower | target | dose | stop.",
        autocompletion=lambda incomplete: [
            a
            for a in ("back", "hold", "resume", "slower", "target", "dose", "stop")
            if a.startswith(incomplete)
        ],
    ),
]


@plan_app.command("adjust", short_help="Step back, hold, resume, climb slower, stop.")
@guarded
def plan_adjust(
    action: ActionArg,
    dose_text: Annotated[
        str | None,
        typer.Argument(metavar="DOSE", help="For target and dose: the dose, e.g. 3mg."),
    ] = None,
    every: Annotated[
        str | None,
        typer.Option("--every", metavar="DURATION", help="For slower: the new time between steps."),
    ] = None,
    step: Annotated[
        str | None,
        typer.Option("--step", metavar="DOSE", help="For slower: a smaller increase per step."),
    ] = None,
    for_: Annotated[
        str | None,
        typer.Option("--for", metavar="DURATION", help="For hold: how long, then resume."),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option("--reason", metavar="TEXT", help="Why, for the report (e.g. insomnia)."),
    ] = None,
    confirm: ConfirmOpt = False,
    day_text: DateOpt = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Change the plan from a date on; the days before keep what was planned.

    back: the previous step's dose for that step's length, then climb again.
    hold: no more increases (until resume, or --for). resume: climb again.
    slower: climb on with --every (and --step) after side effects.
    target DOSE: the highest dose to reach. dose DOSE: the prescriber's dose,
    held. stop: the trial ends.

    Example: ldncalc plan adjust back --reason "vivid dreams"
    """
    from ldncalc.diary.entries import ACTIONS
    from ldncalc.units import read_dose_mg

    if action not in ACTIONS:
        raise InvalidInputError(f"no action {action!r}; choose one of: {', '.join(ACTIONS)}")
    if dose_text is not None and action not in ("target", "dose"):
        raise InvalidInputError(f"'{action}' takes no dose; only target and dose do")
    if action in ("target", "dose") and dose_text is None:
        raise InvalidInputError(f"'{action}' needs a dose, e.g. ldncalc plan adjust {action} 3mg")
    if action == "slower" and every is None:
        raise InvalidInputError("'slower' needs --every, the new time between steps")
    if (every is not None or step is not None) and action != "slower":
        raise InvalidInputError("--every and --step go with 'slower'")
    if for_ is not None and action != "hold":
        raise InvalidInputError("--for goes with 'hold'")
    recorded = open_diary(data_dir, profile).adjust(
        action,
        on=_diary_date(day_text),
        dose=read_dose_mg(dose_text) if dose_text is not None else None,
        step=read_dose_mg(step) if step is not None else None,
        every_days=days(every),
        for_days=days(for_),
        reason=reason,
        confirm=confirm,
    )
    said(recorded)
