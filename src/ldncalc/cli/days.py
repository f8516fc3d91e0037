"""The days: what to take today, a dose taken or missed, an entry undone."""

from typing import Annotated

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    DateOpt,
    JsonOpt,
)
from ldncalc.cli._diary import (
    AgainOpt,
    DataDirOpt,
    ProfileOpt,
    open_diary,
    said,
)
from ldncalc.cli._planopts import KitSyringeOpt
from ldncalc.cli._readers import diary_date as _diary_date
from ldncalc.cli._today import show_today

__all__ = ["missed", "today", "took", "undo"]


@app.command(short_help="Today's dose, volume, bottle and next change.")
@guarded
def today(
    day_text: DateOpt = None,
    json: JsonOpt = False,
    syringe_text: KitSyringeOpt = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Say what to take today: the dose, the volume to draw, the bottle, what comes next.

    The dose is measured with your kit ('ldncalc kit'); --syringe names others for this once.

    Example: ldncalc today
    """
    show_today(day_text, json, profile, data_dir, syringe_text)


@app.command(short_help="Record a dose taken.")
@guarded
def took(
    dose_text: Annotated[
        str | None,
        typer.Argument(metavar="DOSE", help="The dose taken [default: the day's planned dose]."),
    ] = None,
    day_text: DateOpt = None,
    again: AgainOpt = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a dose taken (the planned one unless you name another).

    A day holds one record of its dose: a second one (taken or missed) is
    refused unless --again, so a double tap never records two doses.

    Example: ldncalc took
    """
    from ldncalc.cli._daily import took_command

    took_command(dose_text, day_text, again=again, profile=profile, data_dir=data_dir)


@app.command(short_help="Record a dose missed.")
@guarded
def missed(
    day_text: DateOpt = None,
    again: AgainOpt = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a missed dose. Skip it: never take two doses to make up for one.

    A day holds one record of its dose: a second one (taken or missed) is
    refused unless --again.

    Example: ldncalc missed --date 2027-01-20
    """
    said(open_diary(data_dir, profile).missed(on=_diary_date(day_text), again=again))


@app.command(short_help="Cancel an earlier entry (both stay in the history).")
@guarded
def undo(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="The entry's id, as 'ldncalc history' shows it.")
    ],
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Cancel an entry by adding one that undoes it; nothing is deleted.

    Undoing an undo restores the entry it cancelled.

    Example: ldncalc undo 12
    """
    from ldncalc.cli._common import parse_whole

    number = parse_whole(entry_id, "ID")
    assert number is not None
    said(open_diary(data_dir, profile).undo(number))
