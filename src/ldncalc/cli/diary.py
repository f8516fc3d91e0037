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

from ldncalc._fastpath import diary_date as _diary_date
from ldncalc._fastpath import diary_store as _store
from ldncalc._fastpath import entries_of as _entries
from ldncalc._fastpath import profile_name as _profile
from ldncalc._fastpath import read_entries as _read
from ldncalc._fastpath import show_today
from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    ConcentrationOpt,
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
    console,
    days,
    out,
    out_json,
    preparation,
    protocol,
    syringe,
)
from ldncalc.errors import InvalidInputError, RefusedError

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from ldncalc.diary.entries import Entry, Payload

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
DataDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        file_okay=False,
        metavar="FOLDER",
        help="The folder of the diary file [default: $LDNCALC_HOME, else your user data "
        "folder; see 'ldncalc data where'].",
    ),
]


def _local_today() -> "date":
    from datetime import date

    return date.today()


MAX_HISTORY_DAYS = 7305  # twenty years a history at most


def _day(text: str | None, *, past_only: bool, what: str) -> "date":
    """Read --date (default today); refuse a day after today where only the past makes sense."""
    day = _diary_date(text) or _local_today()
    if past_only and day > _local_today():
        raise InvalidInputError(
            f"{day.isoformat()} is after today: {what} can only be recorded for today or "
            "an earlier day"
        )
    return day


def _record(
    data_dir: Path | None,
    profile: str | None,
    day: "date",
    make: "Callable[[list[Entry]], Payload]",
    *,
    starts_a_plan: bool = False,
) -> "tuple[Entry, list[Entry]]":
    """Append the entry ``make(entries)`` returns, in one transaction; return it and the rest.

    The new entry is checked against the others first: the plan they make with
    it must hold (``replan`` raises otherwise), so nothing is written that
    would break the diary.
    """
    from datetime import UTC, datetime

    from ldncalc.diary.codec import encode_payload
    from ldncalc.diary.entries import Entry
    from ldncalc.diary.replan import replan
    from ldncalc.diary.store import new_uid

    store = _store(data_dir)
    name = _profile(profile)
    if not starts_a_plan and not store.records(name):
        # Before any write: a refused command never creates the diary file.
        raise RefusedError("this diary has no plan yet", code="no-plan")
    with store.transaction(name) as tx:
        entries = _entries(tx.records())
        payload: Payload = make(entries)
        now = datetime.now(UTC)
        uid = new_uid()
        draft = Entry(uid, max((e.id for e in entries), default=0) + 1, day, now, payload)
        replan([*entries, draft])
        kind, text = encode_payload(payload)
        stored = tx.append(kind, day, text, recorded_at=now, uid=uid)
    entry = Entry(stored.uid, stored.id, stored.day, stored.recorded_at, payload)
    return entry, entries


def _said(entry: "Entry", entries: "list[Entry]") -> None:
    from ldncalc.render.diary import entry_text

    ids = {e.uid: e.id for e in [*entries, entry]}
    out(f"Recorded entry {entry.id} for {entry.day.isoformat()}: {entry_text(entry, ids)}")


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
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Start the profile's plan from a protocol or your own steps, and the liquid's recipe.

    Example: ldncalc plan start ldnrt-sensitive --start-date 2027-01-04
    """
    from ldncalc.diary.living import plan_started
    from ldncalc.diary.replan import replan
    from ldncalc.plan.supply import DEFAULT_KEEP_DAYS, plan_batches
    from ldncalc.plan.titration import DEFAULT_HOLD_DAYS, build_schedule

    chosen = protocol(protocol_id, start, step, every, target)
    day = _diary_date(start_date, "--start-date") or _local_today()
    prep = preparation(tablets, strength, water, concentration)
    chosen_syringe = syringe(syringe_text)
    hold_days = days(hold) or DEFAULT_HOLD_DAYS
    keep_days = days(keep) or DEFAULT_KEEP_DAYS
    # Measure every dose now, so a plan that cannot be drawn is refused before it is kept.
    plan_batches(
        build_schedule(
            chosen, start_date=day, preparation=prep, syringe=chosen_syringe, hold_days=hold_days
        ),
        keep_days,
    )
    started = plan_started(
        chosen,
        start_date=day,
        preparation=prep,
        syringe=chosen_syringe,
        hold_days=hold_days,
        keep_days=keep_days,
    )

    def make(entries: "list[Entry]") -> "Payload":
        if entries and not force:
            try:
                living = replan(entries)
            except InvalidInputError:  # every plan undone: nothing runs
                return started
            end = living.end_date
            if living.stopped_on is None and end is not None and end >= _local_today():
                raise RefusedError(
                    f"a plan is running ({living.plan.protocol_title}, started "
                    f"{living.plan.start_date.isoformat()})",
                    code="plan-running",
                )
        return started

    entry, entries = _record(data_dir, profile, day, make, starts_a_plan=True)
    _said(entry, entries)


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
    from ldncalc.diary.entries import ACTIONS, Adjust
    from ldncalc.units import parse_duration_days, read_dose_mg

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
    payload = Adjust(
        action,
        dose_mg=read_dose_mg(dose_text) if dose_text is not None else None,
        step_mg=read_dose_mg(step) if step is not None else None,
        every_days=parse_duration_days(every) if every is not None else None,
        for_days=parse_duration_days(for_) if for_ is not None else None,
        reason=reason,
    )
    day = _day(day_text, past_only=False, what="a change")
    entry, entries = _record(data_dir, profile, day, lambda entries: payload)
    _said(entry, entries)


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
    again: Annotated[
        bool,
        typer.Option("--again", help="Record a second dose on a day that has one already."),
    ] = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a dose taken (the planned one unless you name another).

    A second dose on the same day is refused unless --again, so a double tap
    never records two doses.

    Example: ldncalc took
    """
    from ldncalc.diary.entries import Took
    from ldncalc.diary.replan import replan
    from ldncalc.notation import format_dose_mg

    day = _day(day_text, past_only=True, what="a dose taken")
    given = None
    if dose_text is not None:
        from ldncalc.units import read_dose_mg

        given = read_dose_mg(dose_text)
    warnings: list[str] = []

    def make(entries: "list[Entry]") -> "Payload":
        if not again and any(
            isinstance(e.payload, Took) and e.day == day for e in _active(entries)
        ):
            raise RefusedError(
                f"a dose is already recorded for {day.isoformat()}", code="took-twice"
            )
        planned = replan(entries).dose_on(day)
        if given is None:
            if planned is None:
                raise RefusedError(
                    f"no dose is planned on {day.isoformat()}; name the dose you took",
                    code="nothing-planned",
                )
            return Took(planned)
        if planned is None:
            warnings.append(f"no dose was planned on {day.isoformat()}; recorded as given")
        elif given != planned:
            ratio = max(given / planned, planned / given)
            if ratio >= 10:  # the classic slips: a decimal point, mg for mcg
                times = f"{int(ratio)} times" if ratio.denominator == 1 else "over ten times"
                more = "more" if given > planned else "less"
                warnings.append(
                    f"{format_dose_mg(given)} is {times} {more} than the planned "
                    f"{format_dose_mg(planned)}: check the decimal point and mg against mcg; "
                    "recorded as given"
                )
            else:
                warnings.append(
                    f"{format_dose_mg(given)} is not the planned {format_dose_mg(planned)}; "
                    "recorded as given"
                )
        return Took(given)

    entry, entries = _record(data_dir, profile, day, make)
    _said(entry, entries)
    for warning in warnings:
        out(f"Warning: {warning}")


def _active(entries: "list[Entry]") -> "tuple[Entry, ...]":
    from ldncalc.diary.replan import active_entries

    return active_entries(entries)


@app.command(short_help="Record a dose missed.")
@guarded
def missed(
    day_text: DateOpt = None,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a missed dose. Skip it: never take two doses to make up for one.

    Example: ldncalc missed --date 2027-01-20
    """
    from ldncalc.diary.entries import Missed, Took

    day = _day(day_text, past_only=True, what="a missed dose")

    def make(entries: "list[Entry]") -> "Payload":
        if any(isinstance(e.payload, Took) and e.day == day for e in _active(entries)):
            raise RefusedError(
                f"a dose is recorded as taken on {day.isoformat()}; undo that entry first",
                code="took-and-missed",
            )
        return Missed()

    entry, entries = _record(data_dir, profile, day, make)
    _said(entry, entries)


@app.command(short_help="Record a bottle mixed; print its label.")
@guarded
def mixed(
    day_text: DateOpt = None,
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
    """Record a bottle of stock mixed (its keep period starts that day) and print its label.

    The recipe is the plan's unless you give another.

    Example: ldncalc mixed --label bottle.html
    """
    from ldncalc.diary.entries import Mixed
    from ldncalc.diary.replan import replan
    from ldncalc.units import parse_duration_days

    day = _day(day_text, past_only=True, what="a bottle mixed")
    if label is not None:
        from ldncalc.files import check_writable

        check_writable([label], force=force)
    made: list[Mixed] = []

    def make(entries: "list[Entry]") -> "Payload":
        plan = replan(entries).plan
        given = any(v is not None for v in (tablets, strength, water, concentration))
        if given:
            prep = preparation(tablets, strength, water, concentration)
            parts = (prep.tablets, prep.strength_mg, prep.water_ml)
        else:
            parts = (plan.tablets, plan.strength_mg, plan.water_ml)
        days = parse_duration_days(keep) if keep is not None else plan.keep_days
        made.append(Mixed(*parts, keep_days=days))
        return made[0]

    entry, entries = _record(data_dir, profile, day, make)
    _said(entry, entries)
    from ldncalc.render.label import label_html, label_lines

    name = _profile(profile)
    for line in label_lines(made[0], day, profile=name):
        out(line)
    if label is not None:
        import sys

        from ldncalc.files import write_text_atomic

        written = write_text_atomic(label, label_html(made[0], day, profile=name), force=force)
        print(f"Wrote {written}", file=sys.stderr)


def _score(text: str, name: str) -> int:
    if text.strip().isdigit() and text.strip().isascii() and len(text.strip()) <= 2:
        value = int(text)
        if 0 <= value <= 10:
            return value
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
        typer.Option("--pain", metavar="N", help="Pain, 0 (none) to 10 (worst imaginable)."),
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

    Example: ldncalc note "slept badly" --pain 4 --sleep 7 --side-effect "vivid dreams"
    """
    from ldncalc.diary.entries import Note

    day = _day(day_text, past_only=True, what="a note")
    scores: list[tuple[str, int]] = []
    for name, value in (("pain", pain), ("fatigue", fatigue), ("sleep", sleep)):
        if value is not None:
            scores.append((name, _score(value, name)))
    for item in score or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(f"--score takes NAME=N, e.g. mood=3, not {item!r}")
        scores.append((name.strip().lower(), _score(value, name.strip())))
    payload = Note(text or "", tuple(scores), tuple(side_effect or ()))

    def make(entries: "list[Entry]") -> "Payload":
        return payload

    entry, entries = _record(data_dir, profile, day, make)
    _said(entry, entries)


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

    Example: ldncalc undo 12
    """
    from ldncalc.cli._common import parse_whole
    from ldncalc.diary.replan import check_undo

    number = parse_whole(entry_id, "ID")
    assert number is not None  # an argument is always given

    def make(entries: "list[Entry]") -> "Payload":
        return check_undo(entries, number)

    entry, entries = _record(data_dir, profile, _local_today(), make)
    _said(entry, entries)


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
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Write the page to bring to the prescriber: the plan and each change, adherence,
    days at each dose, side effects, a chart of the dose and the scores, the review date.

    Example: ldncalc report --html report.html
    """
    import sys

    from ldncalc.diary.living import build_report
    from ldncalc.files import check_writable, write_texts_atomic
    from ldncalc.render.report import report_html, report_markdown

    wanted = [path for path in (html, markdown) if path is not None]
    if not wanted:
        raise InvalidInputError("give --html FILE (and/or --markdown FILE) for the report")
    check_writable(wanted, force=force)
    entries = _read(data_dir, profile)
    today_date = _local_today()
    made = build_report(entries, today_date, _diary_date(start, "--from"), _diary_date(end, "--to"))
    name = _profile(profile)
    texts = []
    if html is not None:
        texts.append((html, report_html(made, profile=name, generated_on=today_date)))
    if markdown is not None:
        texts.append((markdown, report_markdown(made, profile=name, generated_on=today_date)))
    for path in write_texts_atomic(texts, force=force):
        print(f"Wrote {path}", file=sys.stderr)
