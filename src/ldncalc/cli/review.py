"""Looking back: the history, and the report for the prescriber."""

from pathlib import Path
from typing import Annotated

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    JsonOpt,
    out,
)
from ldncalc.cli._diary import (
    DataDirOpt,
    ProfileOpt,
    open_diary,
)
from ldncalc.cli._readers import diary_date as _diary_date
from ldncalc.cli._today import diary_store as _store
from ldncalc.cli._today import profile_name as _profile
from ldncalc.errors import InvalidInputError

__all__ = ["history", "report"]


@app.command(short_help="Every entry, and each day's planned and taken dose and scores.")
@guarded
def history(
    json: JsonOpt = False,
    csv: Annotated[bool, typer.Option("--csv", help="Print the days as CSV.")] = False,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw the plan's dose over the weeks.")
    ] = False,
    start: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="First day shown [default: the plan's]."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Last day shown [default: today].")
    ] = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Print the diary: every entry in date order with its id, then each day's doses and scores.

    Example: ldncalc history --from 2027-01-01 --to 2027-01-31
    """
    from ldncalc.cli._history import history_command

    history_command(
        json=json, csv=csv, chart=chart, start=start, end=end, profile=profile, data_dir=data_dir
    )


@app.command(short_help="A page for the prescriber: plan, changes, adherence, chart.")
@guarded
def report(
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", metavar="FILE", help="Write the report as one HTML page.", dir_okay=False
        ),
    ] = None,
    markdown: Annotated[
        Path | None,
        typer.Option(
            "--markdown",
            metavar="FILE",
            help="Also (or instead) write it as Markdown.",
            dir_okay=False,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="First day [default: the plan's first]."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Last day [default: today].")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that already exist.")
    ] = False,
    json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Write the trial's figures as JSON: to FILE, or to stdout without FILE or with -.",
        ),
    ] = False,
    json_file: Annotated[
        str | None,
        typer.Argument(
            metavar="[FILE]", help="Where --json writes (- or none: stdout).", show_default=False
        ),
    ] = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Write the page to bring to the prescriber: the trial at a glance (baseline, change,
    PGIC, figures by dose), the plan and each change, adherence, side effects, a chart of
    the dose and the scores, the review date.

    Example: ldncalc report --html report.html
    """
    import sys

    from ldncalc.files import check_writable, write_texts_atomic
    from ldncalc.render.report import report_html, report_markdown

    if json_file is not None and not json:
        raise InvalidInputError(f"{json_file!r} is not an option: write --json FILE for the JSON")
    json_path = None if json_file in (None, "-") else Path(str(json_file))
    wanted = [path for path in (html, markdown, json_path) if path is not None]
    if not wanted and not json:
        raise InvalidInputError("give --html FILE, --markdown FILE or --json [FILE] for the report")
    diary = [_store(data_dir).where]
    check_writable(wanted, force=force, protect=diary)
    diary_of = open_diary(data_dir, profile)
    today_date = diary_of.today_date()
    made = diary_of.report(start=_diary_date(start, "--from"), end=_diary_date(end, "--to"))
    name = _profile(profile)
    texts = []
    if json:
        from ldncalc.render.jsonout import dumps
        from ldncalc.render.reportjson import report_object

        text = dumps(report_object(made)) + "\n"
        if json_path is None:
            out(text)
        else:
            texts.append((json_path, text))
    if html is not None:
        texts.append((html, report_html(made, profile=name, generated_on=today_date)))
    if markdown is not None:
        texts.append((markdown, report_markdown(made, profile=name, generated_on=today_date)))
    for path in write_texts_atomic(texts, force=force, private=True, protect=diary):
        if str(path) != "-":
            print(f"Wrote {path}", file=sys.stderr)
