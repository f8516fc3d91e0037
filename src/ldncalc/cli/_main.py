"""The Typer application with every command: parse, call the library, hand the result to render.

One module per group of commands (``prepare``: the default table, ``dose``,
``mix``; ``schedule``: ``protocols``, ``schedule``; ``plan``: the living plan;
``days``: ``today``, ``took``, ``missed``, ``undo``; ``mixed``; ``note``;
``review``: ``history``, ``report``; ``data``: the diary's file), each at most
250 lines: the commands parse, call the library and hand its result to render.
Start-up matters (the CLI runs at every keystroke of shell completion), so pint,
rich and the library's core are imported inside
the commands that need them, never at module level (ruff's TID253 enforces it).

This package alone knows exit codes: 0 done, 1 refused, 2 bad usage or
unusable input. Every failure becomes one ``Error:`` line on stderr.
"""

import errno
import itertools
import re
import sys
from collections.abc import Sequence
from importlib import import_module

import typer
from typer.exceptions import TyperException

from ldncalc.cli._app import Interrupted, app
from ldncalc.cli._exits import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    error_line,
    exit_code_of,
    json_errors_requested,
    use_stand_ins,
)
from ldncalc.cli._exits import reader_gone as _reader_gone
from ldncalc.errors import LdncalcError, ReaderGone

__all__ = ["app", "run"]

# Each module registers its commands when imported; `ldncalc --help` lists them
# in this order: preparing a dose, planning, the diary day by day, its file.
COMMAND_MODULES = (
    "prepare",
    "schedule",
    "plan",
    "days",
    "mixed",
    "note",
    "kit",
    "review",
    "data",
)
for _name in COMMAND_MODULES:
    import_module(f"ldncalc.cli.{_name}")


def _exit_code(exc: BaseException, args: Sequence[str] = ()) -> int:
    """Map an exception that escaped a command to its message and exit code."""
    if isinstance(exc, LdncalcError):
        return exit_code_of(exc)
    if isinstance(exc, TyperException):  # the parser's usage errors
        code = exc.exit_code if exc.exit_code in (EXIT_REFUSED, EXIT_USAGE) else EXIT_USAGE
        return error_line(exc.format_message() + _one_word(exc, args), code, "usage")
    if isinstance(exc, typer.Abort | KeyboardInterrupt | EOFError | Interrupted):
        return error_line("interrupted; nothing more was done", EXIT_REFUSED, "interrupted")
    if isinstance(exc, OSError):  # the world, not ldncalc: a full disk, a closed output
        reason = exc.strerror or str(exc)
        return error_line(f"cannot write the output: {reason}", EXIT_REFUSED, "output")
    return error_line(
        f"unexpected internal error ({type(exc).__name__}: {exc}); please report it",
        EXIT_REFUSED,
        "internal",
    )


def _one_word(exc: TyperException, args: Sequence[str]) -> str:
    """Say that an amount is one word, when its unit was typed apart ('dose 4.5 mg')."""
    extra = re.fullmatch(r"Got unexpected extra argument\(s\) \((\S+).*\)", exc.format_message())
    if extra is None:
        return ""
    for number, unit in itertools.pairwise(args):
        if unit == extra[1] and re.fullmatch(r"[0-9.]+", number) and re.fullmatch(_UNIT, unit):
            return f"; the amount is one word: write {number}{unit} or quote it: '{number} {unit}'"
    return ""


# A unit typed on its own: letters, maybe per another (mg, mcg, g, mL, mg/mL).
_UNIT = r"[^\W\d_]+(?:/[^\W\d_]+)?"


def _flush_stdout() -> None:
    """Flush stdout now, so a full disk is reported here and not at interpreter exit."""
    if sys.stdout is not None:
        sys.stdout.flush()


_KIT_OPTIONS = ("--profile", "--data-dir")


def _negative_amounts_are_arguments(args: list[str]) -> list[str]:
    """Let a negative amount typed as an argument reach ldncalc, which refuses it plainly.

    The parser reads "-1 mg" as an option ("No such option: -1"). After
    ``dose``, a word that starts with a minus sign and a digit or a point is an
    amount: it is moved after a "--", so the parser takes it as the argument it
    is and still reads the options around it. So is the division of ``kit scale``
    (``kit --profile ana scale``: the group's options come before it).
    """
    at = 1  # after ``kit``, the group's --profile and --data-dir
    while args[:1] == ["kit"] and at < len(args) and args[at].split("=")[0] in _KIT_OPTIONS:
        at += 1 if "=" in args[at] else 2
    first = at + 1 if args[:1] == ["kit"] and args[at : at + 1] == ["scale"] else 1
    if len(args) > first and (first > 1 or args[0] == "dose") and "--" not in args:
        for i, word in enumerate(args[first:], start=first):
            if re.match(r"-[0-9.]", word):
                return [*args[:i], *args[i + 1 :], "--", word]
            if not word.startswith("-"):
                break
    return args


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default: the process's arguments) and return its exit code."""
    args = _negative_amounts_are_arguments(list(sys.argv[1:] if argv is None else argv))
    try:
        json_errors_requested(args)
        if sys.stdout is None:  # started with stdout closed (ldncalc ... >&-)
            from ldncalc.cli._exits import ClosedStream

            sys.stdout = ClosedStream()
        else:
            use_stand_ins()
        result = app(args=args, prog_name="ldncalc", standalone_mode=False)
        code = result if isinstance(result, int) else EXIT_OK
        _flush_stdout()
    except typer.Exit as exc:
        code = exc.exit_code
    except (ReaderGone, BrokenPipeError):
        return _reader_gone()
    except SystemExit as exc:  # the parser's own exits (completion, help)
        code = exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except (Exception, KeyboardInterrupt) as exc:
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            return _reader_gone()
        code = _exit_code(exc, args)
    if code not in (EXIT_OK, EXIT_REFUSED, EXIT_USAGE):  # 130 after ^C, say
        code = error_line("interrupted; nothing more was done", EXIT_REFUSED, "interrupted")
    return code
