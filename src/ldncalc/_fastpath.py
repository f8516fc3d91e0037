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

from ldncalc.errors import InvalidInputError, LdncalcError, ReaderGone, RefusedError

if TYPE_CHECKING:
    import os
    from datetime import date

    from ldncalc.diary.entries import Entry
    from ldncalc.diary.store import Record, Store

__all__ = [
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "HINTS",
    "ClosedStream",
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
FIRST_YEAR, LAST_YEAR = 1900, 2199  # a diary's dates: a person's lifetime, with room

HINTS = {
    "output-exists": "add --force to replace it",
    "mark-too-coarse": "or run 'ldncalc mix' for a preparation that puts it on a mark",
    "custom-incomplete": "give --start, and --step and --every unless --start is the --target",
    "protocol-and-custom": "see 'ldncalc protocols'",
    "no-plan": "start one with 'ldncalc plan start'",
    "plan-running": "add --force to start a new one (the old one stays in the history)",
    "took-twice": "add --again if you really took a second dose",
    "took-and-missed": "see 'ldncalc history' for its id, then 'ldncalc undo ID'",
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


def parse_date(text: str | None) -> date | None:
    """Read a calendar date YYYY-MM-DD (the user's local calendar), or None if not given."""
    if text is None:
        return None
    from datetime import date

    raw = text.strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw) is None:
        raise InvalidInputError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2027-01-31")
    year, month, day = (int(part) for part in raw.split("-"))
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidInputError(f"{text!r} is not a date: {exc}") from exc


def diary_date(text: str | None, option: str = "--date") -> date | None:
    """Read a diary date (YYYY-MM-DD), refusing years no diary is about."""
    day = parse_date(text)
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInputError(
            f"{option} {day.isoformat()} is not a date a diary is about; give a year from "
            f"{FIRST_YEAR} to {LAST_YEAR}"
        )
    return day


def diary_store(data_dir: str | os.PathLike[str] | None) -> Store:
    """Return the diary store in --data-dir, $LDNCALC_HOME or the user data folder."""
    from ldncalc.diary.store import Store, default_folder

    store = Store(default_folder(data_dir))
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


# Ids of unreadable entries the running command may read as a stand-in: the one
# 'ldncalc undo ID' cancels (the way out of an entry that no longer decodes).
UNDOING: set[int] = set()


def entries_of(records: Sequence[Record]) -> list[Entry]:
    """Return stored records as the diary's entries (each payload read and checked).

    An entry whose payload no longer decodes is refused by its id (exit 1),
    with the way out; once undone (or while ``undo`` cancels it) a stand-in
    note takes its place, so the rest of the diary can be used again.
    """
    from ldncalc.diary.codec import decode_payload
    from ldncalc.diary.entries import Entry, Note, Undo

    entries: list[Entry] = []
    broken: dict[str, tuple[Record, str]] = {}
    for r in records:
        try:
            payload = decode_payload(r.kind, r.payload)
        except (InvalidInputError, RecursionError, ValueError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            broken[r.uid] = (r, reason)
            payload = Note(f"(entry {r.id} cannot be read: {reason})")
        entries.append(Entry(r.uid, r.id, r.day, r.recorded_at, payload))
    if broken:
        undone = {e.payload.target_uid for e in entries if isinstance(e.payload, Undo)}
        for uid, (r, reason) in broken.items():
            if uid not in undone and r.id not in UNDOING:
                raise RefusedError(
                    f"entry {r.id} of the diary cannot be read ({reason}); cancel it with "
                    f"'ldncalc undo {r.id}', or keep a copy first with 'ldncalc data export FILE'",
                    code="entry-unreadable",
                )
    return entries


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

    from ldncalc.diary.living import today_status

    entries = read_entries(data_dir, profile)
    status = today_status(entries, diary_date(day_text) or date.today())
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
