"""What every command's way out shares, without the CLI framework; and ``today`` without it.

ldncalc's output, its one ``Error:`` line, the exit code of a library error
and the hints the CLI adds live here, free of typer, so that the command
people run every day can answer without loading it: ``ldncalc today`` with
its usual options is served by :func:`run_today` straight from the entry
point (docs/performance.md); anything else goes through the Typer app, which
uses the same functions.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ldncalc.dates import FIRST_YEAR, LAST_YEAR, diary_date, parse_date
from ldncalc.errors import InvalidInputError, LdncalcError, ReaderGone, RefusedError

if TYPE_CHECKING:
    import os

    from ldncalc.diary.entries import Entry
    from ldncalc.diary.store import Record, Store

__all__ = [
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "FIRST_YEAR",
    "HINTS",
    "LAST_YEAR",
    "ClosedStream",
    "data_folder",
    "diary_date",
    "entries_of",
    "error_line",
    "exit_code_of",
    "json_errors_requested",
    "out",
    "out_json",
    "parse_date",
    "run_today",
    "show_today",
    "use_stand_ins",
]

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
MAX_SHOWN = 1000  # characters of an error line at most
LONG_WORD = 200  # a run without spaces longer than this is cut (what was typed)

HINTS = {
    "output-exists": "add --force to replace it",
    "mark-too-coarse": "or run 'ldncalc mix' for a preparation that puts it on a mark",
    "custom-incomplete": "give --start, and --step and --every unless --start is the --target",
    "protocol-and-custom": "see 'ldncalc protocols'",
    "no-plan": "start one with 'ldncalc plan start'",
    "plan-running": "add --force to start a new one (the old one stays in the history)",
    "day-recorded": "undo that entry with 'ldncalc undo ID', or add --again to record another",
    "ten-times": "add --confirm if it is really meant",
}


def exit_code_of(exc: LdncalcError) -> int:
    """Print a library error as one line, with the CLI's hint for its code; return the exit code."""
    hint = HINTS.get(exc.code)
    message = f"{exc}; {hint}" if hint else str(exc)
    code = EXIT_USAGE if isinstance(exc, InvalidInputError | TypeError) else EXIT_REFUSED
    return error_line(message, code, exc.code)


_json_errors = False


def json_errors_requested(args: list[str]) -> None:
    """Note whether errors go to stderr as JSON (--json, or --format json)."""
    global _json_errors
    pairs = itertools.pairwise([*args, ""])
    _json_errors = "--json" in args or any(
        (a in ("--format", "-f") and b == "json") or a in ("--format=json", "-fjson")
        for a, b in pairs
    )


def error_line(message: str, code: int, kind: str) -> int:
    """Print one ``Error:`` line (or one JSON object under --json) on stderr; return ``code``."""
    line = " ".join(message.split())
    # Messages can echo what was typed; never pass a control character to the terminal.
    line = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in line)
    # What was typed can be very long: cut each long run of it, not ldncalc's own hint.
    line = re.sub(rf"\S{{{LONG_WORD + 1},}}", lambda m: m.group(0)[:LONG_WORD] + "...", line)
    if len(line) > MAX_SHOWN:
        line = line[:MAX_SHOWN] + "..."
    if _json_errors:
        import json

        text = json.dumps({"error": {"code": kind, "message": line}}, ensure_ascii=True)
    else:
        text = f"Error: {line}"
    import contextlib

    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr closed or full
        print(text, file=sys.stderr, flush=True)
    return code


class ClosedStream:
    """Stands in for a closed stdout: every write fails as writing to a closed file would."""

    encoding = "ascii"

    def write(self, text: str) -> int:
        import errno

        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        """Nothing is buffered."""

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        import io

        raise io.UnsupportedOperation("standard output is closed")


def _stand_in(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    from ldncalc.notation import STAND_INS

    text = exc.object[exc.start : exc.end]
    return "".join(STAND_INS.get(c, "?") for c in text), exc.end


def use_stand_ins() -> None:
    """Let stdout and stderr write ASCII stand-ins for what their encoding cannot hold."""
    import codecs

    codecs.register_error("ldncalc-stand-ins", _stand_in)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _is_utf(stream):
            reconfigure(errors="ldncalc-stand-ins")


def _is_utf(stream: object) -> bool:
    encoding = (getattr(stream, "encoding", None) or "ascii").lower().replace("-", "")
    return encoding.startswith("utf")


def out_json(obj: dict[str, Any]) -> None:
    """Write one JSON object to stdout (ASCII-escaped, so any encoding carries it)."""
    from ldncalc.render.jsonout import dumps

    out(dumps(obj))


def out(text: str) -> None:
    """Write ``text`` (and a newline if it has none) to stdout."""
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    except BrokenPipeError as exc:
        raise ReaderGone from exc


def data_folder(text: str | os.PathLike[str] | None) -> str | None:
    """Read --data-dir: a folder's name (it may not exist yet), never empty, never a file."""
    if text is None:
        return None
    import os

    name = os.fspath(text)
    if not name.strip():
        raise InvalidInputError("--data-dir needs a folder's name, not an empty one")
    if os.path.exists(name) and not os.path.isdir(name):
        raise InvalidInputError(f"--data-dir {name!r} is a file, not a folder")
    return name


def diary_store(data_dir: str | os.PathLike[str] | None) -> Store:
    """Return the diary store in --data-dir, $LDNCALC_HOME or the user data folder."""
    from ldncalc.diary.store import Store, default_folder

    return Store(default_folder(data_folder(data_dir)))


def profile_name(profile: str | None) -> str:
    """Return the profile named by --profile (checked), or the default one."""
    from ldncalc.diary.store import DEFAULT_PROFILE, validate_profile

    return validate_profile(DEFAULT_PROFILE if profile is None else profile)


def entries_of(records: Sequence[Record]) -> list[Entry]:
    """Return stored records as the diary's entries (the service's reading)."""
    from ldncalc.diary.service import entries_of

    return entries_of(records)


def read_entries(data_dir: str | os.PathLike[str] | None, profile: str | None) -> list[Entry]:
    """Return the profile's entries; refuse an empty diary with how to start one."""
    records = diary_store(data_dir).records(profile_name(profile))
    if not records:
        raise RefusedError("this diary has no plan yet", code="no-plan")
    return entries_of(records)


def show_today(
    day_text: str | None,
    as_json: bool,
    profile: str | None,
    data_dir: str | os.PathLike[str] | None,
) -> None:
    """Print what a day holds: the dose, the volume, the bottle, what comes next."""
    from datetime import date

    from ldncalc.diary.service import Diary

    # Every argument is read before the diary, so a typing slip is a usage
    # error whatever the diary holds, as it is for every other command.
    day = diary_date(day_text) or date.today()
    status = Diary(diary_store(data_dir), profile_name(profile)).today(on=day)
    if as_json:
        from ldncalc.render.diary import today_object

        out_json(today_object(status))
        return
    from ldncalc.disclaimer import DISCLAIMER
    from ldncalc.render.diary import today_lines
    from ldncalc.render.plain import PlainConsole, print_paragraph

    shown = PlainConsole()
    for line in today_lines(status):
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
        import contextlib
        import os

        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except LdncalcError as exc:
        return exit_code_of(exc)
    except OSError as exc:
        return error_line(f"cannot write the output: {exc.strerror or exc}", EXIT_REFUSED, "output")
    return EXIT_OK
