"""``ldncalc --help`` without the CLI framework: the Typer app's own text, kept here.

Printed by the app, the top-level help costs typer's import (about five times
a bare Python start); it is what a newcomer types first. This module keeps the
text the app prints at the width of most terminals (80 columns or more: click
wraps its help at 78) and prints it. The app stays the one definition of the
commands: tests/test_parser_agreement.py runs both ways and requires the same
bytes, and ``python -m ldncalc.cli._help`` writes :data:`TEXT` again from the
app. A narrower terminal, ``-h`` after a command, or anything else goes to it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

__all__ = ["TEXT", "WIDEST", "columns", "run_help"]

WIDEST = 80
"""From this many columns on, click writes the help at its widest (78)."""

TEXT = """\
Usage: ldncalc [OPTIONS] COMMAND [ARGS]...

  Exact, units-aware calculator for liquid low-dose naltrexone (LDN): how to
  prepare it, how many mL to draw, on which syringe, to which mark; a dated
  titration plan; and a diary that follows the plan over the months. With no
  command, print the default preparation (1 x 50 mg tablet in 50 mL) and the
  volume for each dose from 0.5 mg to 4.5 mg. Informational only: your
  prescriber decides the dose.

Options:
  --version             Print the version and exit.
  --json                With no command: print the table as one JSON object.
                        Before a command: only its errors are JSON (on
                        stderr); give the command its own --json.
  --install-completion  Install completion for the current shell.
  --show-completion     Show completion for the current shell, to copy it or
                        customize the installation.
  -h, --help            Show this message and exit.

Commands:
  dose       The volume, syringe and mark for one dose.
  mix        The preparation that puts a range of doses on marks.
  protocols  The published titration protocols.
  schedule   A dated titration plan with batches; files to print.
  today      Today's dose, volume, bottle and next change.
  took       Record a dose taken.
  missed     Record a dose missed.
  undo       Cancel an earlier entry (both stay in the history).
  mixed      Record a bottle or a dilution mixed; print its label.
  note       Record how you feel: scores, side effects, a note.
  history    Every entry, and each day's planned and taken dose and scores.
  report     A page for the prescriber: plan, changes, adherence, chart.
  plan       Start, show and adjust your living plan.
  kit        Your syringes, scale and dose time.
  data       The diary's file: where, backup, export...

  Example: ldncalc dose 4.5mg
"""


def columns() -> int:
    """Return the terminal's width as ``shutil.get_terminal_size`` (and so click) finds it.

    Not shutil itself: importing it costs more than the whole help.
    """
    try:
        found = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        found = 0
    if found > 0:
        return found
    stream = sys.__stdout__
    if stream is None:  # started with stdout closed
        return WIDEST
    try:
        return os.get_terminal_size(stream.fileno()).columns or WIDEST
    except (AttributeError, ValueError, OSError):
        return WIDEST


def run_help(args: Sequence[str]) -> int | None:
    """Print the top-level help; return its exit code, or None to leave it to the app."""
    if list(args) not in (["--help"], ["-h"]) or columns() < WIDEST:
        return None
    from ldncalc.cli._exits import out
    from ldncalc.cli.fast import serve

    return serve(lambda: out(TEXT), list(args))


def main() -> None:
    """Write :data:`TEXT` again from the Typer app's help (``python -m ldncalc.cli._help``)."""
    import subprocess
    from pathlib import Path

    code = "import sys\nfrom ldncalc.cli import run\nsys.exit(run(['--help']))"
    env = {**os.environ, "COLUMNS": str(WIDEST)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    if "\\" in done.stdout or '"""' in done.stdout:
        raise SystemExit("the help cannot be kept as a plain string literal")
    path = Path(__file__)
    source = path.read_text("utf-8")
    start = source.index('TEXT = """\\\n') + len('TEXT = """\\\n')
    end = source.index('"""', start)
    path.write_text(source[:start] + done.stdout + source[end:], "utf-8")


if __name__ == "__main__":
    main()
