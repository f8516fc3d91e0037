"""The work of ``ldncalc history``, without the CLI framework.

Both the Typer command (``review.history``) and the fast path
(``ldncalc.cli.fast``) call :func:`history_command`, so the two cannot differ.
"""

from __future__ import annotations

from ldncalc.cli._exits import out, out_json
from ldncalc.cli._readers import diary_date
from ldncalc.cli._record import open_diary
from ldncalc.errors import InvalidInputError

__all__ = ["history_command"]


def history_command(
    *,
    json: bool = False,
    csv: bool = False,
    chart: bool = False,
    start: str | None = None,
    end: str | None = None,
    profile: str | None = None,
    data_dir: str | None = None,
) -> None:
    """Print the diary's entries and days: as text (and a chart), JSON or CSV."""
    if json and csv:
        raise InvalidInputError("choose one of --json and --csv")
    made = open_diary(data_dir, profile).history(
        start=diary_date(start, "--from"), end=diary_date(end, "--to")
    )
    shown, days, ids = made.entries, made.days, made.ids
    if json:
        from ldncalc.render.history import history_object

        out_json(history_object(shown, days, ids))
        return
    if csv:
        from ldncalc.render.history import history_csv

        out(history_csv(days))
        return
    from ldncalc.disclaimer import DISCLAIMER
    from ldncalc.render.history import history_lines
    from ldncalc.render.plain import PlainConsole, print_paragraph

    shown_on = PlainConsole()
    lines = history_lines(shown, days, ids)
    if chart and made.living is not None:  # no plan yet: no days to draw
        from ldncalc.diary.living import living_schedule
        from ldncalc.render.pictures import chart_lines

        lines += ["", *chart_lines(living_schedule(made.living), shown_on.width)]
    out("\n".join([*lines, ""]))
    print_paragraph(shown_on, DISCLAIMER)
