"""The common commands without the CLI framework: a small parser checked against the Typer app.

``ldncalc dose``, ``took``, ``note``, ``schedule`` and ``history`` with their
usual arguments are answered without importing typer (about half of their
start-up on typer 0.29, which brings pydantic). The Typer
app stays the one definition of the commands: :data:`SPECS` says which
options each fast command takes, and tests/test_parser_agreement.py checks it
against the app's own parameters and runs a grid of good and bad arguments
both ways, requiring the same output and exit code. Anything this parser is
not sure of (help, an unknown or repeated option, a missing value, a word
that starts with a dash, a format it does not know, a file name that is empty
or names a folder or an unreadable file) is left to the app (``None``), which
explains.
``today`` has its own fast path (``ldncalc.cli._today``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from ldncalc.cli._exits import (
    EXIT_OK,
    EXIT_REFUSED,
    ClosedStream,
    error_line,
    exit_code_of,
    json_errors_requested,
    use_stand_ins,
)
from ldncalc.cli._exits import reader_gone as _reader_gone
from ldncalc.cli._specs import SPECS, Spec
from ldncalc.errors import LdncalcError, ReaderGone

__all__ = ["SPECS", "Spec", "parse", "run_fast", "serve"]


def parse(spec: Spec, words: Sequence[str]) -> dict[str, Any] | None:
    """Return the parameters ``words`` give, or None when the Typer app should read them."""
    given: dict[str, Any] = {}
    positional: list[str] = []
    rest = list(words)
    while rest:
        word = rest.pop(0)
        if not word.startswith("-"):
            positional.append(word)
            continue
        name, sep, value = word.partition("=")
        found: str | bool
        if name in spec.flags and not sep:
            param, found = spec.flags[name], True
        elif name in spec.values and name.startswith("--") and sep:
            param, found = spec.values[name], value
        elif name in spec.values and not sep and rest and not rest[0].startswith("-"):
            param, found = spec.values[name], rest.pop(0)
        else:
            return None  # help, an unknown option, a missing value, a negative amount
        if not _plain(spec, param, found):
            return None  # a word the app explains, or a file name it checks
        if param in spec.repeated:
            given.setdefault(param, []).append(found)
        elif param in given:
            return None  # given twice: the app says what it makes of that
        else:
            given[param] = found
    if not spec.required <= len(positional) <= len(spec.arguments):
        return None
    given.update(zip(spec.arguments, positional, strict=False))
    for param in spec.paths & given.keys():
        from pathlib import Path

        given[param] = Path(given[param])
    return given


def _plain(spec: Spec, param: str, value: str | bool) -> bool:
    """Return whether the app would take ``value`` for ``param`` as it is typed.

    A file name is checked by the app: an empty one, a folder or a file it
    cannot read is refused there, in its words. A choice is one of its words.
    """
    if param in spec.choices:
        return value in spec.choices[param]
    if param not in spec.paths or not isinstance(value, str):
        return True
    if not value:
        return False
    import os
    import stat

    try:
        found = os.stat(value)
    except OSError:
        return True  # a file to write
    return not stat.S_ISDIR(found.st_mode) and os.access(value, os.R_OK)


def _dose(params: dict[str, Any]) -> None:
    from ldncalc.cli._dose import dose_command

    dose_command(**params)


def _took(params: dict[str, Any]) -> None:
    from ldncalc.cli._daily import took_command

    took_command(**params)


def _note(params: dict[str, Any]) -> None:
    from ldncalc.cli._daily import note_command

    note_command(**params)


def _schedule(params: dict[str, Any]) -> None:
    from ldncalc.cli._schedule import schedule_command

    schedule_command(**params)


def _history(params: dict[str, Any]) -> None:
    from ldncalc.cli._history import history_command

    history_command(**params)


COMMANDS: dict[str, Callable[[dict[str, Any]], None]] = {
    "dose": _dose,
    "took": _took,
    "note": _note,
    "schedule": _schedule,
    "history": _history,
}


def run_fast(args: Sequence[str]) -> int | None:
    """Run a common command without typer; return its exit code, or None to leave it to typer."""
    spec = SPECS.get(args[0]) if args else None
    params = parse(spec, args[1:]) if spec is not None else None
    if params is None:
        return None
    return serve(lambda: COMMANDS[args[0]](params), list(args))


def serve(work: Callable[[], None], args: list[str]) -> int:
    """Run ``work`` as the Typer app runs a command: the same streams, errors and exit codes."""
    try:
        json_errors_requested(args)
        if sys.stdout is None:  # started with stdout closed (ldncalc ... >&-)
            sys.stdout = ClosedStream()
        else:
            use_stand_ins()
        work()
        if sys.stdout is not None:  # a full disk is reported here, not at exit
            sys.stdout.flush()
    except (ReaderGone, BrokenPipeError):
        return _reader_gone()
    except LdncalcError as exc:
        return exit_code_of(exc)
    except (KeyboardInterrupt, EOFError):
        return error_line("interrupted; nothing more was done", EXIT_REFUSED, "interrupted")
    except OSError as exc:
        import errno

        if exc.errno == errno.EPIPE:
            return _reader_gone()
        reason = exc.strerror or str(exc)
        return error_line(f"cannot write the output: {reason}", EXIT_REFUSED, "output")
    except Exception as exc:  # as the app: one line, never a traceback
        return error_line(
            f"unexpected internal error ({type(exc).__name__}: {exc}); please report it",
            EXIT_REFUSED,
            "internal",
        )
    return EXIT_OK
