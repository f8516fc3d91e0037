"""The ldncalc command line: parse, call the library, hand the result to render.

The Typer application (``ldncalc.cli._main``) defines every command once; it
is imported only when a command needs it. The daily commands with their usual
arguments are served without it by a small parser checked against it
(``ldncalc.cli.fast``, tests/test_parser_agreement.py), so this package
itself imports no CLI framework.

This package alone knows exit codes: 0 done, 1 refused, 2 bad usage or
unusable input. Every failure becomes one ``Error:`` line on stderr.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ldncalc.cli._exits import EXIT_OK, EXIT_REFUSED, EXIT_USAGE

if TYPE_CHECKING:
    import typer

__all__ = ["EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "app", "run"]


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default: the process's arguments) and return its exit code."""
    from ldncalc.cli._main import run as run_app

    return run_app(argv)


def __getattr__(name: str) -> typer.Typer:
    """Return the Typer application (``app``), imported on first use."""
    if name == "app":
        from ldncalc.cli._main import app

        return app
    raise AttributeError(f"module 'ldncalc.cli' has no attribute {name!r}")
