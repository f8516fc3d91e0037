"""The diary's file: where it is, backup, export, import, check, erase.

The diary is health data: it stays on this machine, readable by you alone
(folder 0700, file 0600), and ldncalc never sends it anywhere.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import out, out_json
from ldncalc.cli._diary import DataDirOpt, ProfileOpt
from ldncalc.cli._today import diary_store as _store
from ldncalc.cli._today import profile_name as _profile
from ldncalc.errors import RefusedError

if TYPE_CHECKING:
    from ldncalc.diary.entries import Entry
    from ldncalc.diary.service import Diary
    from ldncalc.render.shapes.diary import CheckObject

__all__ = ["data_app"]

data_app = typer.Typer(
    name="data",
    help="The diary's file: where it is, backup, export, import, check, erase. "
    "Example: ldncalc data where",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(data_app, name="data", short_help="The diary's file: where, backup, export...")

FileArg = Annotated[
    Path, typer.Argument(metavar="FILE", help="The file.", dir_okay=False, allow_dash=False)
]


@data_app.command("where", short_help="Print the path of the diary file.")
@guarded
def where(data_dir: DataDirOpt = None) -> None:
    """Print the path of the diary file (it may not exist until the first entry).

    Example: ldncalc data where
    """
    out(str(_store(data_dir).where))


@data_app.command("export", short_help="Write a profile's diary to a JSON file.")
@guarded
def export(
    path: FileArg,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Write every entry of a profile to a JSON file (keep it private: it is health data).

    Example: ldncalc data export diary.json
    """
    import json

    from ldncalc.files import check_writable, write_text_atomic

    diary = _diary(data_dir, profile)
    check_writable([path], force=force, protect=[diary.path])
    document = diary.known().export()
    try:
        text = json.dumps(document, ensure_ascii=True, indent=2) + "\n"
    except RecursionError as exc:  # export_profile refuses deeper payloads first
        raise RefusedError("an entry of this diary is nested too deeply to export") from exc
    _wrote(write_text_atomic(path, text, force=force, private=True, protect=[diary.path]))


def _diary(data_dir: str | None, profile: str | None) -> "Diary":
    from ldncalc.diary.service import Diary

    return Diary(_store(data_dir), _profile(profile))


@data_app.command("import", short_help="Add the entries of a JSON export to a profile.")
@guarded
def import_(
    path: FileArg,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Add the entries of an export to a profile: into an empty one, or merged without
    duplicating entries. An import never changes or removes an entry. A diary keeps each
    entry once: an entry it holds under another profile is refused (to copy a profile,
    import it into another --data-dir).

    Example: ldncalc data import diary.json --profile mum
    """
    from ldncalc.diary.exchange import read_export

    document = read_export(path)
    # Every entry is checked by the rules the commands record with (the service).
    diary = _diary(data_dir, profile)
    added = diary.import_entries(document)
    out(f"Added {len(added)} entries to profile {diary.profile}{_kit_changed(added)}")


def _kit_changed(added: "tuple[Entry, ...]") -> str:
    """Return '; the kit changed: ...' with the kit's changes among ``added``, or ''."""
    from ldncalc.diary.kit_entries import KitChange
    from ldncalc.render.diary import entry_text

    said = [entry_text(e).removeprefix("kit: ") for e in added if isinstance(e.payload, KitChange)]
    return f"; the kit changed: {'; '.join(said)}" if said else ""


@data_app.command("backup", short_help="Copy the whole diary file, safely, while in use.")
@guarded
def backup(path: FileArg, data_dir: DataDirOpt = None) -> None:
    """Copy the diary file with SQLite's online backup (every profile), private to you.

    Example: ldncalc data backup ~/ldncalc-backup.sqlite3
    """
    _wrote(_store(data_dir).backup(path))


@data_app.command("check", short_help="Say whether the diary file is sound.")
@guarded
def check(
    json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Check the diary file without changing it; exit 1 if something is wrong.

    Example: ldncalc data check
    """
    diary = _diary(data_dir, None)
    if not diary.path.exists() and not diary.path.is_symlink():
        problems = [f"there is no diary at {diary.path} (nothing recorded yet, or another folder)"]
    else:
        problems = diary.check()
    if json:
        from ldncalc.render.jsonout import schema

        checked: CheckObject = {
            "schema": schema("check"),
            "path": str(diary.path),
            "problems": problems,
        }
        out_json(checked)
    else:
        for problem in problems:
            out(f"Problem: {problem}")
        if not problems:
            out(f"{diary.path}: sound")
    if problems:
        raise typer.Exit(1)


@data_app.command("erase", short_help="Delete a profile's diary (asks for --yes).")
@guarded
def erase(
    profile: Annotated[
        str, typer.Option("--profile", metavar="NAME", help="The profile to erase.")
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Yes, erase it: this cannot be undone.")
    ] = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Delete every entry of one profile: the only way anything leaves the diary.

    Example: ldncalc data erase --profile old --yes
    """
    if not yes:
        raise RefusedError(
            f"erasing profile {profile!r} cannot be undone; add --yes to erase it",
            code="erase-unconfirmed",
        )
    diary = _diary(data_dir, profile).known()
    removed = diary.erase()
    out(f"Erased {removed} entries of profile {diary.profile}")


def _wrote(path: "Path") -> None:
    if str(path) == "-":
        return  # standard output: the text itself is what was written
    print(f"Wrote {path}", file=sys.stderr)
