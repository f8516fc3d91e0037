"""What the diary's commands share: whose diary, where, and how a saved entry is confirmed.

Every command that writes is one transaction on the diary file, made by the
library's :class:`~ldncalc.diary.service.Diary` (every rule of recording lives
there); the commands parse, call it and print what it returns. ``--date`` is a
calendar date in your local time zone (YYYY-MM-DD); by default, today.
"""

from typing import Annotated

import typer

from ldncalc.cli._record import confirm_saved, open_diary, said

__all__ = [
    "AgainOpt",
    "DataDirOpt",
    "ProfileOpt",
    "confirm_saved",
    "open_diary",
    "said",
]


ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="NAME",
        help="Whose diary, for a carer who follows several people [default: default].",
    ),
]
# Read by cli._today.data_folder (through diary_store), as `today`'s fast path
# reads it: one rule for every command (empty and file names are usage errors).
DataDirOpt = Annotated[
    str | None,
    typer.Option(
        "--data-dir",
        metavar="FOLDER",
        help="The folder of the diary file [default: $LDNCALC_HOME, else your user data "
        "folder; see 'ldncalc data where'].",
    ),
]


AgainOpt = Annotated[
    bool,
    typer.Option(
        "--again",
        help="Record a second dose record on a day that has one already (taken or missed).",
    ),
]
