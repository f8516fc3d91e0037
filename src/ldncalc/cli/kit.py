"""Your own kit: the syringes you own, your scale, the hour of your dose (ldncalc kit ...)."""

from typing import TYPE_CHECKING, Annotated

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import DateOpt, out, out_json
from ldncalc.cli._diary import DataDirOpt, ProfileOpt, open_diary, said
from ldncalc.cli._readers import diary_date
from ldncalc.errors import InvalidInputError

if TYPE_CHECKING:
    from ldncalc.diary.service import Diary

__all__ = ["kit_app"]

kit_app = typer.Typer(
    name="kit",
    help="Your kit: the syringes you own, your kitchen scale, the hour of your dose. "
    "The diary's commands use it. Example: ldncalc kit add 1mL",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(kit_app, name="kit", short_help="Your syringes, scale and dose time.")

SyringeArg = Annotated[
    str,
    typer.Argument(
        metavar="SYRINGE",
        help="CAPACITY[:MARKS], as --syringe takes it, e.g. 3mL or 10mL:0.2mL.",
    ),
]


_BEFORE = "ldncalc.kit.options"  # --profile and --data-dir given before the command


def _diary(ctx: typer.Context, profile: str | None, data_dir: str | None) -> "Diary":
    """Open the diary named before the command (``kit --profile ana add``) or after it.

    Named on both sides, the names must agree: never change another profile's kit.
    """
    import os

    before = ctx.meta.get(_BEFORE, (None, None))
    chosen: list[str | None] = []
    named = zip(("--profile", "--data-dir"), before, (profile, data_dir), strict=True)
    for option, first, then in named:
        if option == "--data-dir" and first is not None and then is not None:
            first, then = os.path.normpath(first), os.path.normpath(then)  # D/ is D
        if first is not None and then is not None and first != then:
            raise InvalidInputError(
                f"{option} is given twice, {first!r} before {ctx.info_name!r} and {then!r} "
                "after it; give it once"
            )
        chosen.append(then if then is not None else first)
    return open_diary(chosen[1], chosen[0])


@kit_app.callback()
@guarded
def kit_show(
    ctx: typer.Context,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
    json: Annotated[bool, typer.Option("--json", help="Print the kit as one JSON object.")] = False,
) -> None:
    """Show the kit: your syringes, your scale, the hour of your dose.

    Example: ldncalc kit
    """
    if ctx.invoked_subcommand is not None:  # the group's options are its command's
        if json:
            raise InvalidInputError(
                f"--json shows the kit; give it without {ctx.invoked_subcommand!r}"
                " (ldncalc kit --json)"
            )
        ctx.meta[_BEFORE] = (profile, data_dir)
        return
    diary = open_diary(data_dir, profile)
    if json:
        from ldncalc.render.diary import kit_object

        out_json(kit_object(diary.kit(), diary.profile))
        return
    from ldncalc.render.diary import kit_lines

    out("\n".join(kit_lines(diary.kit())))


@kit_app.command("add", short_help="Add a syringe you own.")
@guarded
def kit_add_command(
    ctx: typer.Context,
    syringe: SyringeArg,
    day_text: DateOpt = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Add a syringe you own (CAPACITY[:MARKS]; a common size alone takes its usual marks).

    Example: ldncalc kit add 10mL:0.2mL
    """
    from ldncalc.diary.kit import kit_add

    change = kit_add(syringe)
    said(_diary(ctx, profile, data_dir).change_kit(change, on=diary_date(day_text)))


@kit_app.command("remove", short_help="Take a syringe out of the kit.")
@guarded
def kit_remove_command(
    ctx: typer.Context,
    syringe: SyringeArg,
    day_text: DateOpt = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Take a syringe out of the kit, named as when it was added.

    Example: ldncalc kit remove 3mL
    """
    from ldncalc.diary.kit import kit_remove

    change = kit_remove(syringe)
    said(_diary(ctx, profile, data_dir).change_kit(change, on=diary_date(day_text)))


@kit_app.command("scale", short_help="Your kitchen scale's division, or none.")
@guarded
def kit_scale_command(
    ctx: typer.Context,
    resolution: Annotated[
        str,
        typer.Argument(
            metavar="DIVISION",
            help="What the scale reads to, e.g. 0.1g; none: no scale.",
        ),
    ],
    accuracy: Annotated[
        str | None,
        typer.Option(
            "--accuracy",
            metavar="MASS",
            help="The most a reading may be off, e.g. 0.2g [default: one division].",
        ),
    ] = None,
    day_text: DateOpt = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Set the kitchen scale the water is weighed on (none: take it out of the kit).

    Example: ldncalc kit scale 0.1g
    """
    from ldncalc.diary.kit import kit_scale

    change = kit_scale(None if resolution.strip().lower() == "none" else resolution, accuracy)
    said(_diary(ctx, profile, data_dir).change_kit(change, on=diary_date(day_text)))


@kit_app.command("time", short_help="The hour of your dose, or none.")
@guarded
def kit_time_command(
    ctx: typer.Context,
    hour: Annotated[
        str,
        typer.Argument(
            metavar="HH:MM",
            help="The hour of the dose on the 24-hour clock, e.g. 22:00; none: no hour.",
        ),
    ],
    day_text: DateOpt = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Set the hour of your dose (LDN is usually taken at bedtime); 'today' says it.

    Example: ldncalc kit time 22:00
    """
    from ldncalc.diary.kit import kit_time

    change = kit_time(None if hour.strip().lower() == "none" else hour)
    said(_diary(ctx, profile, data_dir).change_kit(change, on=diary_date(day_text)))
