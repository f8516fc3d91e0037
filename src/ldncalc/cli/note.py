"""How you feel: scores (the PEG items among them), side effects, the PGIC, a note."""

from typing import Annotated

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    DateOpt,
)
from ldncalc.cli._diary import (
    DataDirOpt,
    ProfileOpt,
)

__all__ = ["note"]


@app.command(short_help="Record how you feel: scores, side effects, a note.")
@guarded
def note(
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help="What you want to remember.")
    ] = None,
    day_text: DateOpt = None,
    pain: Annotated[
        str | None,
        typer.Option(
            "--pain",
            metavar="N",
            help="PEG item 1: your average pain over the past week, 0 (no pain) to 10 (pain as "
            "bad as you can imagine).",
        ),
    ] = None,
    enjoyment: Annotated[
        str | None,
        typer.Option(
            "--enjoyment",
            metavar="N",
            help="PEG item 2: how much pain has interfered with your enjoyment of life over "
            "the past week, 0 (not at all) to 10 (completely).",
        ),
    ] = None,
    activity: Annotated[
        str | None,
        typer.Option(
            "--activity",
            metavar="N",
            help="PEG item 3: how much pain has interfered with your general activity over the "
            "past week, 0 (not at all) to 10 (completely). PEG: Krebs et al., J Gen Intern "
            "Med 2009;24:733.",
        ),
    ] = None,
    pgic: Annotated[
        str | None,
        typer.Option(
            "--pgic",
            metavar="N",
            help="Patient Global Impression of Change since you started: 1 very much improved, "
            "2 much improved, 3 minimally improved, 4 no change, 5 minimally worse, 6 much "
            "worse, 7 very much worse (usually at the review).",
        ),
    ] = None,
    fatigue: Annotated[
        str | None,
        typer.Option("--fatigue", metavar="N", help="Fatigue, 0 (none) to 10 (worst)."),
    ] = None,
    sleep: Annotated[
        str | None,
        typer.Option("--sleep", metavar="N", help="Sleep problems, 0 (none) to 10 (worst)."),
    ] = None,
    score: Annotated[
        list[str] | None,
        typer.Option(
            "--score",
            metavar="NAME=N",
            help="Any other score, 0 (none) to 10 (worst), e.g. --score mood=3 (repeatable).",
        ),
    ] = None,
    side_effect: Annotated[
        list[str] | None,
        typer.Option(
            "--side-effect",
            metavar="TEXT",
            help="A side effect, e.g. 'vivid dreams' (repeatable).",
        ),
    ] = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a note: every score runs from 0 (none) to 10 (worst), as pain scales do.

    The three PEG items (--pain, --enjoyment, --activity) make the PEG score,
    their mean. A note may be recorded before the plan starts (a baseline),
    from 28 days before its start date.

    Example: ldncalc note "slept badly" --pain 4 --sleep 7 --side-effect "vivid dreams"
    """
    from ldncalc.cli._daily import note_command

    note_command(
        text,
        day_text,
        pain=pain,
        enjoyment=enjoyment,
        activity=activity,
        pgic=pgic,
        fatigue=fatigue,
        sleep=sleep,
        score=score,
        side_effect=side_effect,
        profile=profile,
        data_dir=data_dir,
    )
