"""The Typer application every command module registers on.

Kept apart from ``__init__`` so that command modules can import it without a
cycle. Nothing heavy here: ``--help`` loads this and the command modules only.
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from ldncalc.errors import ReaderGone

__all__ = ["Interrupted", "app", "guarded"]

F = TypeVar("F", bound=Callable[..., Any])


class Interrupted(Exception):
    """Input ended or the user interrupted a command: nothing more is done."""


def guarded(function: F) -> F:
    """Let a command's end of input or closed pipe reach the CLI's own handling.

    Typer would print a blank line for EOFError and exit 1 for a broken pipe;
    ldncalc says "interrupted" in one line, and ends a closed pipe with 0.
    """

    @functools.wraps(function)
    def run_guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except EOFError as exc:
            raise Interrupted from exc
        except BrokenPipeError as exc:
            raise ReaderGone from exc

    return run_guarded  # type: ignore[return-value]  # same signature, by functools.wraps


app = typer.Typer(
    name="ldncalc",
    help=(
        "Exact, units-aware calculator for liquid low-dose naltrexone (LDN): how to "
        "prepare it, how many mL to draw, on which syringe, to which mark; a dated "
        "titration plan; and a diary that follows the plan over the months. With no "
        "command, print the default preparation (1 x 50 mg tablet in 50 mL) and the "
        "volume for each dose from 0.5 mg to 4.5 mg. "
        "Informational only: your prescriber decides the dose."
    ),
    epilog="Example: ldncalc dose 4.5mg",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
