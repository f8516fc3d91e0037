"""The work of ``ldncalc schedule``, without the CLI framework.

Both the Typer command (``schedule.schedule``) and the fast path
(``ldncalc.cli.fast``) call :func:`schedule_command`, so the two cannot differ.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldncalc.cli._exits import out
from ldncalc.cli._readers import days, kit, measuring, preparation, protocol
from ldncalc.dates import parse_date
from ldncalc.errors import InvalidInputError

if TYPE_CHECKING:
    from ldncalc.plan.supply import SupplyPlan
    from ldncalc.plan.titration import Schedule

__all__ = ["outputs", "schedule_command", "write_outputs"]


def _text(path: Path | None) -> str | None:
    """Return a path option as the text given ('-' stays '-')."""
    return None if path is None else str(path)


def outputs(
    fmt: str | None, json: bool, output: Path | None, ics: Path | None, html: Path | None
) -> tuple[list[tuple[str, str]], bool]:
    """Return the (path, format) pairs asked for, and whether the table goes to the terminal.

    The table is printed unless a format is asked for or a file goes to stdout ('-').

    Raises:
        InvalidInputError: two formats asked for, or more than one output to stdout.
    """
    if json and fmt not in (None, "json"):
        raise InvalidInputError("--json and --format csv|markdown ask for two formats; give one")
    chosen = "json" if json else fmt
    if chosen is None and output is not None:
        chosen = "markdown"
    files = {"--ics": (_text(ics), "ics"), "--html": (_text(html), "html")}
    if chosen is not None:
        files["--output"] = (_text(output) or "-", chosen)
    wanted = {flag: (path, kind) for flag, (path, kind) in files.items() if path is not None}
    to_stdout = [flag for flag, (path, _) in wanted.items() if path == "-"]
    if len(to_stdout) > 1:
        raise InvalidInputError(f"only one output can go to stdout: {', '.join(to_stdout)}")
    return list(wanted.values()), chosen is None and not to_stdout


def schedule_command(
    protocol_id: str | None = None,
    *,
    start: str | None = None,
    step: str | None = None,
    every: str | None = None,
    target: str | None = None,
    hold: str | None = None,
    start_date: str | None = None,
    tablets: str | None = None,
    strength: str | None = None,
    water: str | None = None,
    concentration: str | None = None,
    syringe_text: list[str] | None = None,
    scale: str | None = None,
    scale_accuracy: str | None = None,
    keep: str | None = None,
    reserve: str | None = None,
    assay: str | None = None,
    water_error: str | None = None,
    tablet_price: str | None = None,
    fmt: str | None = None,
    json: bool = False,
    output: Path | None = None,
    ics: Path | None = None,
    html: Path | None = None,
    chart: bool = False,
    dose_time: str | None = None,
    force: bool = False,
    confirm: bool = False,
) -> None:
    """Print (or write) the dated schedule the options describe, and its batches."""
    from ldncalc.plan.supply import plan_batches
    from ldncalc.plan.titration import build_schedule

    wanted, table = outputs(fmt, json, output, ics, html)
    from ldncalc.dates import parse_time_of_day
    from ldncalc.files import check_writable

    hour = parse_time_of_day(dose_time)
    check_writable([path for path, _ in wanted if path != "-"], force=force)
    chosen_protocol = protocol(protocol_id, start, step, every, target)
    given: dict[str, Any] = {}
    if hold is not None:
        given["hold_days"] = days(hold)
    plan = build_schedule(
        chosen_protocol,
        start_date=parse_date(start_date),
        preparation=preparation(tablets, strength, water, concentration),
        kit=kit(syringe_text, scale, scale_accuracy),
        **given,
        **measuring(assay, water_error),
        confirm=confirm,
    )
    batch_options: dict[str, Any] = {}
    if keep is not None:
        batch_options["keep_days"] = days(keep)
    if reserve is not None:
        from ldncalc.units import read_volume_ml

        batch_options["reserve_ml"] = read_volume_ml(reserve)
    if tablet_price is not None:
        from ldncalc.plan.supply import parse_price

        batch_options["tablet_price"] = parse_price(tablet_price)
    supply = plan_batches(plan, **batch_options)
    written = write_outputs(plan, supply, wanted, force=force, stdout=out, dose_time=hour)
    for path in written:
        print(f"Wrote {path}", file=sys.stderr)
    if table:
        from ldncalc.cli._words import MIX_COMMAND
        from ldncalc.render.text import make_console, print_schedule

        print_schedule(
            make_console(), plan, supply, chart=chart, mix_command=MIX_COMMAND, dose_time=hour
        )


def write_outputs(
    schedule: Schedule,
    supply: SupplyPlan,
    outputs: Sequence[tuple[str, str]],
    *,
    force: bool,
    stdout: Callable[[str], None],
    dose_time: time | None = None,
    private: bool = False,
    protect: Sequence[Path] = (),
) -> list[Path]:
    """Render each (path, format) and write it; ``-`` goes to ``stdout``. Return the files written.

    Every text is rendered before any file is written, and the files are
    written all or none (:func:`ldncalc.files.write_texts_atomic`): ``private``
    (0600 whatever the umask) for a plan read from a diary, which is health
    data; never over a file of ``protect`` (the diary itself).
    """
    from ldncalc.files import write_texts_atomic
    from ldncalc.render.exports import render_format

    texts = [
        (path, render_format(name, schedule, supply, dose_time=dose_time)) for path, name in outputs
    ]
    texts = [(path, text if text.endswith("\n") else text + "\n") for path, text in texts]
    written = write_texts_atomic(
        [(p, t) for p, t in texts if p != "-"], force=force, private=private, protect=protect
    )
    for path, text in texts:
        if path == "-":
            stdout(text)
    return written
