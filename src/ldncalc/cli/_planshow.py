"""What 'ldncalc plan show' prints and writes: the plan measured with the kit, its files."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ldncalc.cli._common import console, kit, out, out_json
from ldncalc.cli._diary import open_diary

if TYPE_CHECKING:
    from ldncalc.render.shapes.plan import PlanObject

__all__ = ["show_plan"]


def show_plan(
    *,
    json: bool,
    chart: bool,
    syringe_texts: list[str] | None,
    ics: Path | None,
    html: Path | None,
    force: bool,
    profile: str | None,
    data_dir: str | None,
) -> None:
    """Print the plan (or its JSON), and write the handout and calendar asked for.

    The plan is measured with the profile's kit (its syringes and scale, or
    ``--syringe`` for this once); the calendar's daily dose events are at the
    kit's hour of the dose, with a reminder, as 'schedule --dose-time' makes them.
    """
    from ldncalc.cli._schedule import outputs, write_outputs
    from ldncalc.files import check_writable

    wanted, _ = outputs(None, False, None, ics, html)
    diary = open_diary(data_dir, profile)
    files = [path for path, _ in wanted if path != "-"]
    check_writable(files, force=force, protect=[diary.path])  # never over the diary
    current = diary.plan(kit=kit(syringe_texts, None))
    living, schedule, supply = current.living, current.schedule, current.supply
    if current.kit_warning is not None:
        typer.echo(f"Warning: {current.kit_warning}", err=True)
    if wanted:
        hour = diary.kit().dose_time
        # The diary's plan (its holds and their reasons): health data, readable by its user only.
        written = write_outputs(
            schedule,
            supply,
            wanted,
            force=force,
            stdout=out,
            dose_time=hour,
            private=True,
            protect=[diary.path],
        )
        for path in written:
            print(f"Wrote {path}", file=sys.stderr)
        if any(path == "-" for path, _ in wanted):
            return
    if json:
        from ldncalc.render.diary import plan_extra
        from ldncalc.render.jsonout import schedule_object, schema

        plan_json: PlanObject = {
            **schedule_object(schedule, supply),
            "schema": schema("plan"),
            **plan_extra(living),
        }
        out_json(plan_json)
        return
    from ldncalc.cli._words import MIX_COMMAND
    from ldncalc.render.plain import print_paragraph
    from ldncalc.render.text import print_schedule

    shown = console()
    review = living.review_date
    print_paragraph(
        shown,
        "Review: "
        + (f"{review.isoformat()} (eight weeks at the final dose)" if review else "not set yet"),
    )
    print_schedule(shown, schedule, supply, chart=chart, mix_command=MIX_COMMAND)
