"""The way out of every command, without the CLI framework: output, errors, exit codes.

ldncalc's output, its one ``Error:`` line (with the CLI's hint, from
:mod:`ldncalc.cli._words`) and the exit code of a library error live here,
free of typer, so that ``ldncalc today`` (served by :mod:`ldncalc.cli._today`
straight from the entry point) and the Typer app share them: 0 done,
1 refused, 2 bad usage or unusable input.
"""

from __future__ import annotations

import itertools
import re
import sys
from typing import TYPE_CHECKING, Any

from ldncalc.cli._words import at_hand, hint_for
from ldncalc.errors import InvalidInputError, LdncalcError, ReaderGone

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_USAGE",
    "ClosedStream",
    "error_line",
    "exit_code_of",
    "json_errors_requested",
    "out",
    "out_json",
    "reader_gone",
    "silence_stdout",
    "unexpected",
    "use_stand_ins",
]

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
MAX_SHOWN = 1000  # characters of an error line at most
LONG_WORD = 200  # a run without spaces longer than this is cut (what was typed)


def exit_code_of(exc: LdncalcError) -> int:
    """Print a library error as one line, with the CLI's hint for its code; return the exit code."""
    hint = hint_for(exc.code, exc.entry_id)
    message = f"{exc}; {hint}" if hint else str(exc)
    code = EXIT_USAGE if isinstance(exc, InvalidInputError | TypeError) else EXIT_REFUSED
    return error_line(message, code, exc.code)


def unexpected(exc: BaseException) -> int:
    """Print what escaped a command unforeseen as one ``Error:`` line; return the exit code.

    The way out when nothing else caught it, as the Typer app's: an interrupt,
    the world (a full disk, a closed output), or a fault of ldncalc's own, never
    a traceback.
    """
    if isinstance(exc, KeyboardInterrupt | EOFError):
        return error_line("interrupted; nothing more was done", EXIT_REFUSED, "interrupted")
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return error_line(f"cannot write the output: {reason}", EXIT_REFUSED, "output")
    return error_line(
        f"unexpected internal error ({type(exc).__name__}: {exc}); please report it",
        EXIT_REFUSED,
        "internal",
    )


_json_errors = False


def json_errors_requested(args: list[str]) -> None:
    """Note whether errors go to stderr as JSON (--json, or --format json)."""
    global _json_errors
    at_hand(None, None)  # a new run: no diary at hand until the command names one
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


def out_json(obj: Mapping[str, Any]) -> None:
    """Write one JSON object to stdout (ASCII-escaped, so any encoding carries it)."""
    from ldncalc.render.jsonout import dumps

    out(dumps(obj))


def out(text: str) -> None:
    """Write ``text`` (and a newline if it has none) to stdout."""
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    except BrokenPipeError as exc:
        raise ReaderGone from exc


def silence_stdout() -> None:
    """Point stdout at the null device, so that nothing left in its buffer fails again at exit."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def reader_gone() -> int:
    """End quietly: the reader went away (ldncalc ... | head), which is success."""
    silence_stdout()
    return EXIT_OK
