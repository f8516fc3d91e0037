"""``ldncalc today`` without the CLI framework, and the diary options every command reads.

The command people run every day answers without loading typer when its
arguments are the usual ones (docs/performance.md): :func:`run_today` is
called straight from the entry point; anything else (help, a typo) goes to
the Typer app. Both read ``--date``, ``--profile`` and ``--data-dir`` with the
functions here, so that they agree (tests/test_parser_agreement.py).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ldncalc.cli._exits import (
    EXIT_OK,
    EXIT_REFUSED,
    ClosedStream,
    error_line,
    exit_code_of,
    json_errors_requested,
    out_json,
    reader_gone,
    unexpected,
    use_stand_ins,
)
from ldncalc.cli._readers import diary_date
from ldncalc.cli._words import Commands, at_hand
from ldncalc.errors import InvalidInputError, LdncalcError, ReaderGone

if TYPE_CHECKING:
    import os

    from ldncalc.diary.store import Store

__all__ = [
    "data_folder",
    "diary_store",
    "profile_name",
    "run_today",
    "show_today",
]


def data_folder(text: str | os.PathLike[str] | None) -> str | None:
    """Read --data-dir: a folder's name (it may not exist yet), never empty, never a file."""
    if text is None:
        return None
    import os

    name = os.fspath(text)
    if not name.strip():
        raise InvalidInputError(
            "--data-dir needs a folder's name, not an empty one", code="folder-name"
        )
    if os.path.exists(name) and not os.path.isdir(name):
        raise InvalidInputError(f"--data-dir {name!r} is a file, not a folder", code="folder-name")
    return name


def diary_store(data_dir: str | os.PathLike[str] | None) -> Store:
    """Return the diary store in --data-dir, $LDNCALC_HOME or the user data folder."""
    from ldncalc.diary.store import Store, default_folder

    store = Store(default_folder(data_folder(data_dir)))
    store.on_warning = _warn
    return store


def _warn(message: str) -> None:
    """Print one ``Warning:`` line on stderr (controls escaped), never failing."""
    import contextlib

    line = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in message)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(f"Warning: {line}", file=sys.stderr, flush=True)


def profile_name(profile: str | None) -> str:
    """Return the profile named by --profile (checked), or the default one."""
    from ldncalc.diary.store import DEFAULT_PROFILE, validate_profile

    return validate_profile(DEFAULT_PROFILE if profile is None else profile)


def show_today(
    day_text: str | None,
    as_json: bool,
    profile: str | None,
    data_dir: str | os.PathLike[str] | None,
    syringes: Sequence[str] | None = None,
) -> None:
    """Print what a day holds: the dose, the volume, the bottle, what comes next.

    ``syringes``: the syringes of ``--syringe``, instead of the kit's for this once.
    """
    import os
    from datetime import date

    from ldncalc.diary.recorded import day_of

    # Every argument is read before the diary, so a typing slip is a usage
    # error whatever the diary holds, as it is for every other command.
    at_hand(profile, None if data_dir is None else os.fspath(data_dir))
    asked = diary_date(day_text)
    kit = None
    if syringes:
        from ldncalc.dose.kit import Kit
        from ldncalc.dose.syringes import parse_syringe

        kit = Kit(tuple(parse_syringe(t) for t in syringes))
    day = asked or date.today()
    store, name = diary_store(data_dir), profile_name(profile)
    status = day_of(store, name, day, kit, to_come=day > date.today())
    # Every hint is the exact command for this day, profile and folder.
    command = Commands(profile, None if data_dir is None else os.fspath(data_dir), asked)
    if as_json:
        from ldncalc.render.diary import today_object

        out_json(today_object(status, command))
        return
    from ldncalc.disclaimer import DISCLAIMER
    from ldncalc.render.diary import today_lines
    from ldncalc.render.plain import PlainConsole, print_paragraph

    shown = PlainConsole()
    for line in today_lines(status, command):
        print_paragraph(shown, line, hang=13)
    shown.print("")
    print_paragraph(shown, DISCLAIMER)


_TODAY_VALUES = ("--date", "--profile", "--data-dir")


def run_today(args: Sequence[str]) -> int | None:
    """Serve ``ldncalc today [--date D] [--json] [--profile P] [--data-dir F]`` without typer.

    Returns the exit code, or None when the arguments are anything else (help,
    an unknown option, a missing value): the Typer app then parses them and
    says what is wrong, as for every command.
    """
    given: dict[str, str] = {}
    as_json = False
    words = list(args)
    while words:
        word = words.pop(0)
        name, sep, value = word.partition("=")
        if word == "--json":
            as_json = True
        elif name in _TODAY_VALUES and name not in given and (sep or words):
            given[name] = value if sep else words.pop(0)
        else:
            return None
    json_errors_requested(["--json"] if as_json else [])
    if sys.stdout is None:
        sys.stdout = ClosedStream()
    else:
        use_stand_ins()
    try:
        show_today(given.get("--date"), as_json, given.get("--profile"), given.get("--data-dir"))
        sys.stdout.flush()
    except (ReaderGone, BrokenPipeError):
        return reader_gone()
    except LdncalcError as exc:
        return exit_code_of(exc)
    except OSError as exc:
        return error_line(f"cannot write the output: {exc.strerror or exc}", EXIT_REFUSED, "output")
    except (Exception, KeyboardInterrupt) as exc:  # never a traceback: one Error: line
        return unexpected(exc)
    return EXIT_OK
