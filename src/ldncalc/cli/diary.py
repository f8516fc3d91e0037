"""The diary commands: start and adjust a living plan, and follow it day by day.

Every command that writes is one transaction on the diary file (see
:mod:`ldncalc.diary.store`): it reads the profile's entries, checks the new entry
against them (the plan they make must still hold), and appends it, or
changes nothing. ``--date`` is a calendar date in your local time zone
(YYYY-MM-DD); by default, today.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    AgainOpt,
    ConcentrationOpt,
    ConfirmOpt,
    DateOpt,
    EveryOpt,
    HoldOpt,
    JsonOpt,
    KeepOpt,
    ProtocolArg,
    StartDateOpt,
    StartOpt,
    StepOpt,
    StrengthOpt,
    SyringeOpt,
    TabletsOpt,
    TargetOpt,
    WaterOpt,
    confirm_saved,
    console,
    days,
    out,
    out_json,
    preparation,
    protocol,
    syringe,
)
from ldncalc.dates import diary_date as _diary_date
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.fast_today import diary_store as _store
from ldncalc.fast_today import profile_name as _profile
from ldncalc.fast_today import read_entries as _read
from ldncalc.fast_today import show_today

if TYPE_CHECKING:
    from datetime import date

    from ldncalc.diary.entries import Entry
    from ldncalc.diary.service import Diary, Recorded

__all__ = ["plan_app"]

plan_app = typer.Typer(
    name="plan",
    help="Start, show and adjust your living titration plan. Example: ldncalc plan show",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(plan_app, name="plan", short_help="Start, show and adjust your living plan.")

ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="NAME",
        help="Whose diary, for a carer who follows several people [default: default].",
    ),
]
# Read by fast_today.data_folder (through diary_store), as `today`'s fast path
# reads it: one rule for every command (empty and file names are usage errors).
DataDirOpt = Annotated[
    str | None,
    typer.Option(
        "--data-dir",
        metavar="FOLDER",
        help="The folder of the diary file [default: $LDNCALC_HOME, else your user data "
        "folder; see 'ldncalc data where'].",
    ),
]


def _local_today() -> "date":
    from datetime import date

    return date.today()


MAX_HISTORY_DAYS = 7305  # twenty years a history at most


def _diary(data_dir: str | None, profile: str | None) -> "Diary":
    from ldncalc.diary.service import Diary

    return Diary(_store(data_dir), profile)


def _said(recorded: "Recorded") -> None:
    """Confirm what was recorded, then its warnings: the entry is saved whatever happens here.

    A confirmation that cannot be printed (a full disk, a closed output) does
    not turn a saved entry into a failure: a script that retries on failure
    would record it twice. It is said on stderr instead, and the exit is 0.
    """
    from ldncalc.render.diary import entry_text

    entry = recorded.entry
    ids = {} if recorded.target_id is None else {_target_uid(entry): recorded.target_id}
    lines = [f"Recorded entry {entry.id} for {entry.day.isoformat()}: {entry_text(entry, ids)}"]
    lines += [f"Warning: {warning}" for warning in recorded.warnings]
    confirm_saved(lines, entry.id)


def _target_uid(entry: "Entry") -> str:
    from ldncalc.diary.entries import Undo

    return entry.payload.target_uid if isinstance(entry.payload, Undo) else ""


# --------------------------------------------------------------------------- plan


@plan_app.command("start", short_help="Start a plan: a protocol, or your own steps.")
@guarded
def plan_start(
    protocol_id: ProtocolArg = None,
    start: StartOpt = None,
    step: StepOpt = None,
    every: EveryOpt = None,
    target: TargetOpt = None,
    hold: HoldOpt = None,
    start_date: StartDateOpt = None,
    tablets: TabletsOpt = None,
    strength: StrengthOpt = None,
    water: WaterOpt = None,
    concentration: ConcentrationOpt = None,
    syringe_text: SyringeOpt = None,
    keep: KeepOpt = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Start a new plan over a running one (it stays in the history)."
        ),
    ] = False,
    confirm: ConfirmOpt = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Start the profile's plan from a protocol or your own steps, and the liquid's recipe.

    Example: ldncalc plan start ldnrt-sensitive --start-date 2027-01-04
    """
    recorded = _diary(data_dir, profile).start_plan(
        protocol(protocol_id, start, step, every, target),
        start_date=_diary_date(start_date, "--start-date"),
        preparation=preparation(tablets, strength, water, concentration),
        syringe=syringe(syringe_text),
        hold_days=days(hold),
        keep_days=days(keep),
        force=force,
        confirm=confirm,
    )
    _said(recorded)


@plan_app.command("show", short_help="The plan as it stands, with its changes.")
@guarded
def plan_show(
    json: JsonOpt = False,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw the dose over the weeks as a step chart.")
    ] = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Print the current plan as 'ldncalc schedule' does, each change marked on its step.

    Example: ldncalc plan show --chart
    """
    from ldncalc.diary.living import living_schedule, living_supply
    from ldncalc.diary.replan import replan

    entries = _read(data_dir, profile)
    living = replan(entries)
    if all(s.dose_mg is None for s in living.segments):
        raise RefusedError("the plan has no day with a dose (it was stopped)", code="no-doses")
    schedule = living_schedule(living)
    supply = living_supply(schedule, living, entries)
    if json:
        from ldncalc.render.diary import plan_extra
        from ldncalc.render.jsonout import schedule_object, schema

        out_json(
            {**schedule_object(schedule, supply), "schema": schema("plan"), **plan_extra(living)}
        )
        return
    from ldncalc.render.plain import print_paragraph
    from ldncalc.render.text import print_schedule

    shown = console()
    review = living.review_date
    print_paragraph(
        shown,
        "Review: "
        + (f"{review.isoformat()} (eight weeks at the final dose)" if review else "not set yet"),
    )
    print_schedule(shown, schedule, supply, chart=chart)


ActionArg = Annotated[
    str,
    typer.Argument(
        metavar="ACTION",
        help="back | hold | resume | slower | target | dose | stop.",
        autocompletion=lambda incomplete: [
            a
            for a in ("back", "hold", "resume", "slower", "target", "dose", "stop")
            if a.startswith(incomplete)
        ],
    ),
]


@plan_app.command("adjust", short_help="Step back, hold, resume, climb slower, stop.")
@guarded
def plan_adjust(
    action: ActionArg,
    dose_text: Annotated[
        str | None,
        typer.Argument(metavar="DOSE", help="For target and dose: the dose, e.g. 3mg."),
    ] = None,
    every: Annotated[
        str | None,
        typer.Option("--every", metavar="DURATION", help="For slower: the new time between steps."),
    ] = None,
    step: Annotated[
        str | None,
        typer.Option("--step", metavar="DOSE", help="For slower: a smaller increase per step."),
    ] = None,
    for_: Annotated[
        str | None,
        typer.Option("--for", metavar="DURATION", help="For hold: how long, then resume."),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option("--reason", metavar="TEXT", help="Why, for the report (e.g. insomnia)."),
    ] = None,
    confirm: ConfirmOpt = False,
    day_text: DateOpt = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Change the plan from a date on; the days before keep what was planned.

    back: the previous step's dose for that step's length, then climb again.
    hold: no more increases (until resume, or --for). resume: climb again.
    slower: climb on with --every (and --step) after side effects.
    target DOSE: the highest dose to reach. dose DOSE: the prescriber's dose,
    held. stop: the trial ends.

    Example: ldncalc plan adjust back --reason "vivid dreams"
    """
    from ldncalc.diary.entries import ACTIONS
    from ldncalc.units import read_dose_mg

    if action not in ACTIONS:
        raise InvalidInputError(f"no action {action!r}; choose one of: {', '.join(ACTIONS)}")
    if dose_text is not None and action not in ("target", "dose"):
        raise InvalidInputError(f"'{action}' takes no dose; only target and dose do")
    if action in ("target", "dose") and dose_text is None:
        raise InvalidInputError(f"'{action}' needs a dose, e.g. ldncalc plan adjust {action} 3mg")
    if action == "slower" and every is None:
        raise InvalidInputError("'slower' needs --every, the new time between steps")
    if (every is not None or step is not None) and action != "slower":
        raise InvalidInputError("--every and --step go with 'slower'")
    if for_ is not None and action != "hold":
        raise InvalidInputError("--for goes with 'hold'")
    recorded = _diary(data_dir, profile).adjust(
        action,
        on=_diary_date(day_text),
        dose=read_dose_mg(dose_text) if dose_text is not None else None,
        step=read_dose_mg(step) if step is not None else None,
        every_days=days(every),
        for_days=days(for_),
        reason=reason,
        confirm=confirm,
    )
    _said(recorded)


# --------------------------------------------------------------------------- the days


@app.command(short_help="Today's dose, volume, bottle and next change.")
@guarded
def today(
    day_text: DateOpt = None,
    json: JsonOpt = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Say what to take today: the dose, the volume to draw, the bottle, what comes next.

    Example: ldncalc today
    """
    show_today(day_text, json, profile, data_dir)


@app.command(short_help="Record a dose taken.")
@guarded
def took(
    dose_text: Annotated[
        str | None,
        typer.Argument(metavar="DOSE", help="The dose taken [default: the day's planned dose]."),
    ] = None,
    day_text: DateOpt = None,
    again: AgainOpt = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a dose taken (the planned one unless you name another).

    A day holds one record of its dose: a second one (taken or missed) is
    refused unless --again, so a double tap never records two doses.

    Example: ldncalc took
    """
    given = None
    if dose_text is not None:
        from ldncalc.units import read_dose_mg

        given = read_dose_mg(dose_text)
    _said(_diary(data_dir, profile).took(given, on=_diary_date(day_text), again=again))


@app.command(short_help="Record a dose missed.")
@guarded
def missed(
    day_text: DateOpt = None,
    again: AgainOpt = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a missed dose. Skip it: never take two doses to make up for one.

    A day holds one record of its dose: a second one (taken or missed) is
    refused unless --again.

    Example: ldncalc missed --date 2027-01-20
    """
    _said(_diary(data_dir, profile).missed(on=_diary_date(day_text), again=again))


@app.command(short_help="Record a bottle or a dilution mixed; print its label.")
@guarded
def mixed(
    day_text: DateOpt = None,
    dilution: Annotated[
        bool,
        typer.Option(
            "--dilution",
            help="A dilution of the stock, as the plan makes it (as 'ldncalc today' asks).",
        ),
    ] = False,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            metavar="N",
            help="With --dilution: which stage of a two-stage dilution, 1 or 2 [default: 1].",
        ),
    ] = None,
    from_ml: Annotated[
        str | None,
        typer.Option(
            "--from-ml",
            metavar="VOLUME",
            help="With --dilution: the liquid taken, if not the plan's, e.g. 1mL.",
        ),
    ] = None,
    tablets: TabletsOpt = None,
    strength: StrengthOpt = None,
    water: WaterOpt = None,
    concentration: ConcentrationOpt = None,
    keep: KeepOpt = None,
    label: Annotated[
        Path | None,
        typer.Option(
            "--label",
            metavar="FILE",
            help="Also write a printable bottle label (HTML).",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the label file if it exists.")
    ] = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a bottle mixed (its keep period starts that day) and print its label.

    The recipe is the plan's unless you give another. With --dilution, the
    diluted liquid the plan makes from the stock (--stage 2 for the second
    stage of a two-stage dilution; --from-ml and --water change its amounts).

    Example: ldncalc mixed --label bottle.html
    """
    from ldncalc.diary.entries import Diluted, Mixed

    if label is not None:
        from ldncalc.files import check_writable

        check_writable([label], force=force, protect=[_store(data_dir).where])
    diary = _diary(data_dir, profile)
    day = _diary_date(day_text)
    if dilution:
        if any(v is not None for v in (tablets, strength, concentration)):
            raise InvalidInputError(
                "--dilution takes --from-ml and --water; --tablets, --strength and "
                "--concentration describe a bottle of stock"
            )
        from ldncalc.cli._common import parse_whole
        from ldncalc.units import read_volume_ml

        recorded = diary.diluted(
            on=day,
            stage=1 if stage is None else (parse_whole(stage, "--stage") or 0),
            source_ml=read_volume_ml(from_ml) if from_ml is not None else None,
            water_ml=read_volume_ml(water) if water is not None else None,
            keep_days=days(keep),
        )
    else:
        if from_ml is not None or stage is not None:
            raise InvalidInputError("--from-ml and --stage go with --dilution")
        given = any(v is not None for v in (tablets, strength, water, concentration))
        recorded = diary.mixed(
            on=day,
            preparation=preparation(tablets, strength, water, concentration) if given else None,
            keep_days=days(keep),
        )
    _said(recorded)
    from ldncalc.render.label import label_html, label_lines

    made = recorded.entry.payload
    assert isinstance(made, Mixed | Diluted)
    name = diary.profile
    confirm_saved(label_lines(made, recorded.entry.day, profile=name), recorded.entry.id)
    if label is not None:
        import sys

        from ldncalc.files import write_text_atomic

        diary_file = [_store(data_dir).where]
        text = label_html(made, recorded.entry.day, profile=name)
        written = write_text_atomic(label, text, force=force, private=True, protect=diary_file)
        print(f"Wrote {written}", file=sys.stderr)


def _score(text: str, name: str, low: int = 0, high: int = 10) -> int:
    if text.strip().isdigit() and text.strip().isascii() and len(text.strip()) <= 2:
        value = int(text)
        if low <= value <= high:
            return value
    if name == "PGIC":
        raise InvalidInputError(
            f"the PGIC is a whole number from 1 (very much improved) to 7 (very much worse), "
            f"4 no change, not {text!r}"
        )
    raise InvalidInputError(
        f"the {name} score is a whole number from 0 (none) to 10 (worst), not {text!r}"
    )


@app.command(short_help="Record how you feel: scores, side effects, a note.")
@guarded
def note(
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help="What you want to remember.")
    ] = None,
    day_text: DateOpt = None,
    pain: Annotated[
        str | None,
        typer.Option(
            "--pain",
            metavar="N",
            help="PEG item 1: your average pain over the past week, 0 (no pain) to 10 (pain as "
            "bad as you can imagine).",
        ),
    ] = None,
    enjoyment: Annotated[
        str | None,
        typer.Option(
            "--enjoyment",
            metavar="N",
            help="PEG item 2: how much pain has interfered with your enjoyment of life over "
            "the past week, 0 (not at all) to 10 (completely).",
        ),
    ] = None,
    activity: Annotated[
        str | None,
        typer.Option(
            "--activity",
            metavar="N",
            help="PEG item 3: how much pain has interfered with your general activity over the "
            "past week, 0 (not at all) to 10 (completely). PEG: Krebs et al., J Gen Intern "
            "Med 2009;24:733.",
        ),
    ] = None,
    pgic: Annotated[
        str | None,
        typer.Option(
            "--pgic",
            metavar="N",
            help="Patient Global Impression of Change since you started: 1 very much improved, "
            "2 much improved, 3 minimally improved, 4 no change, 5 minimally worse, 6 much "
            "worse, 7 very much worse (usually at the review).",
        ),
    ] = None,
    fatigue: Annotated[
        str | None,
        typer.Option("--fatigue", metavar="N", help="Fatigue, 0 (none) to 10 (worst)."),
    ] = None,
    sleep: Annotated[
        str | None,
        typer.Option("--sleep", metavar="N", help="Sleep problems, 0 (none) to 10 (worst)."),
    ] = None,
    score: Annotated[
        list[str] | None,
        typer.Option(
            "--score",
            metavar="NAME=N",
            help="Any other score, 0 (none) to 10 (worst), e.g. --score mood=3 (repeatable).",
        ),
    ] = None,
    side_effect: Annotated[
        list[str] | None,
        typer.Option(
            "--side-effect",
            metavar="TEXT",
            help="A side effect, e.g. 'vivid dreams' (repeatable).",
        ),
    ] = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a note: every score runs from 0 (none) to 10 (worst), as pain scales do.

    The three PEG items (--pain, --enjoyment, --activity) make the PEG score,
    their mean. A note may be recorded before the plan starts (a baseline),
    from 28 days before its start date.

    Example: ldncalc note "slept badly" --pain 4 --sleep 7 --side-effect "vivid dreams"
    """
    scores: list[tuple[str, int]] = []
    named = (
        ("pain", pain),
        ("enjoyment", enjoyment),
        ("activity", activity),
        ("fatigue", fatigue),
        ("sleep", sleep),
    )
    for name, value in named:
        if value is not None:
            scores.append((name, _score(value, name)))
    for item in score or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(f"--score takes NAME=N, e.g. mood=3, not {item!r}")
        scores.append((name.strip().lower(), _score(value, name.strip())))
    recorded = _diary(data_dir, profile).note(
        text,
        on=_diary_date(day_text),
        scores=scores,
        side_effects=side_effect or (),
        pgic=_score(pgic, "PGIC", 1, 7) if pgic is not None else None,
    )
    _said(recorded)


@app.command(short_help="Cancel an earlier entry (both stay in the history).")
@guarded
def undo(
    entry_id: Annotated[
        str, typer.Argument(metavar="ID", help="The entry's id, as 'ldncalc history' shows it.")
    ],
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Cancel an entry by adding one that undoes it; nothing is deleted.

    Undoing an undo restores the entry it cancelled.

    Example: ldncalc undo 12
    """
    from ldncalc.cli._common import parse_whole

    number = parse_whole(entry_id, "ID")
    assert number is not None
    _said(_diary(data_dir, profile).undo(number))


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
    from ldncalc.diary.replan import replan
    from ldncalc.diary.status import history_days, history_entries

    if json and csv:
        raise InvalidInputError("choose one of --json and --csv")
    entries = _read(data_dir, profile)
    living = replan(entries)
    first = _diary_date(start, "--from") or living.start_date
    last = _diary_date(end, "--to") or max(_local_today(), first)
    if first > last:
        raise InvalidInputError(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    if (last - first).days >= MAX_HISTORY_DAYS:
        raise InvalidInputError(
            f"--from {first.isoformat()} --to {last.isoformat()} is more than twenty years; "
            "choose a shorter period"
        )
    days = history_days(living, entries, first, last)
    shown = history_entries(entries, first, last)
    ids = {e.uid: e.id for e in entries}
    if json:
        from ldncalc.render.diary import history_object

        out_json(history_object(shown, days, ids))
        return
    if csv:
        from ldncalc.render.diary import history_csv

        out(history_csv(days))
        return
    from ldncalc.disclaimer import DISCLAIMER
    from ldncalc.render.diary import history_lines
    from ldncalc.render.plain import PlainConsole, print_paragraph

    shown_on = PlainConsole()
    lines = history_lines(shown, days, ids)
    if chart:
        from ldncalc.diary.living import living_schedule
        from ldncalc.render.pictures import chart_lines

        lines += ["", *chart_lines(living_schedule(living), shown_on.width)]
    out("\n".join([*lines, ""]))
    print_paragraph(shown_on, DISCLAIMER)


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

    from ldncalc.diary.living import build_report
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
    entries = _read(data_dir, profile)
    today_date = _local_today()
    made = build_report(entries, today_date, _diary_date(start, "--from"), _diary_date(end, "--to"))
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
