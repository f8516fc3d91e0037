"""The living plan: start it, show it, adjust it (ldncalc plan ...)."""

from typing import Annotated

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    ConcentrationOpt,
    DateOpt,
    JsonOpt,
    ScaleAccuracyOpt,
    ScaleOpt,
    StrengthOpt,
    SyringeOpt,
    TabletsOpt,
    WaterOpt,
    days,
    kit,
    preparation,
)
from ldncalc.cli._diary import (
    DataDirOpt,
    ProfileOpt,
    open_diary,
    said,
)
from ldncalc.cli._outputs import ForceOpt, HtmlOpt, IcsOpt
from ldncalc.cli._planopts import (
    ConfirmOpt,
    DoseTimeOpt,
    EveryOpt,
    HoldOpt,
    KeepOpt,
    KitSyringeOpt,
    ProtocolArg,
    StartDateOpt,
    StartOpt,
    StepOpt,
    TargetOpt,
    protocol,
)
from ldncalc.cli._readers import diary_date as _diary_date
from ldncalc.errors import InvalidInputError

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
    scale: ScaleOpt = None,
    scale_accuracy: ScaleAccuracyOpt = None,
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

    The plan is measured with your kit ('ldncalc kit'). One --syringe is kept
    with the plan; several, or --scale, only check it ('ldncalc kit add' keeps them).

    Example: ldncalc plan start ldnrt-sensitive --start-date 2027-01-04
    """
    from ldncalc.diary.kit import kit_time

    timed = None if dose_time is None else kit_time(dose_time)  # read before any write
    chosen = kit(syringe_text, scale, scale_accuracy)
    own = None if chosen is None or chosen.scale or len(chosen.syringes) != 1 else chosen
    steps = protocol(protocol_id, start, step, every, target)
    first, hold_days = _diary_date(start_date, "--start-date"), days(hold)
    prep = preparation(tablets, strength, water, concentration)
    if chosen is not None and own is None:  # measured with them, before anything is written
        from ldncalc.plan.titration import DEFAULT_HOLD_DAYS, build_schedule

        held = DEFAULT_HOLD_DAYS if hold_days is None else hold_days
        build_schedule(
            steps, start_date=first, preparation=prep, kit=chosen, hold_days=held, confirm=True
        )
    diary = open_diary(data_dir, profile)
    recorded = diary.start_plan(
        steps,
        start_date=first,
        preparation=prep,
        syringe=None if own is None else own.syringes[0],
        hold_days=hold_days,
        keep_days=days(keep),
        force=force,
        confirm=confirm,
    )
    said(recorded)
    if chosen is not None and own is None:  # the commands that keep them in the kit
        from ldncalc.cli._keep import keep_commands
        from ldncalc.render.diary import kit_note

        to_keep = keep_commands(diary.kit(), chosen, profile, data_dir)
        note = f"Note: {kit_note(diary.kit(), chosen)}" + (":" if to_keep else "")
        typer.echo("\n".join([note, *(f"  {line}" for line in to_keep)]), err=True)
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
    syringe_text: KitSyringeOpt = None,
    ics: IcsOpt = None,
    html: HtmlOpt = None,
    force: ForceOpt = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Print the current plan as 'ldncalc schedule' does, each change marked on its step.

    It is measured with your kit ('ldncalc kit'); --ics and --html write the
    calendar (the daily dose at the kit's hour, with a reminder) and the handout.

    Example: ldncalc plan show --chart
    """
    from ldncalc.cli._planshow import show_plan

    show_plan(
        json=json,
        chart=chart,
        syringe_texts=syringe_text,
        ics=ics,
        html=html,
        force=force,
        profile=profile,
        data_dir=data_dir,
    )


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
