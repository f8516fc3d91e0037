"""The ldncalc command line: parse, call the library, hand the result to render.

Start-up matters (the CLI runs at every keystroke of shell completion), so
pint, rich and the library's core are imported inside the commands that need
them, never at module level (ruff's TID253 enforces it). This module alone
knows exit codes: 0 done, 1 refused, 2 bad usage or unusable input.
"""

# No `from __future__ import annotations` here: typer would then have to eval
# every parameter's annotation from a string at each start (about 10 ms).
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from ldncalc._version import __version__
from ldncalc.errors import InvalidInputError, LdncalcError

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from ldncalc.preparation import Preparation
    from ldncalc.syringes import Syringe

__all__ = ["EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "app", "run"]

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


def _error(message: str, code: int) -> int:
    """Print one ``Error:`` line on stderr and return ``code``."""
    line = " ".join(message.split())
    # Messages can echo what was typed; never pass a control character to the terminal.
    line = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in line)
    print(f"Error: {line}", file=sys.stderr)
    return code


def _exit_code(exc: BaseException) -> int:
    """Map an exception that escaped a command to its message and exit code."""
    if isinstance(exc, InvalidInputError):
        return _error(str(exc), EXIT_USAGE)
    if isinstance(exc, LdncalcError):  # refused, or a file that cannot be written
        return _error(str(exc), EXIT_REFUSED)
    if isinstance(exc, TyperException):  # click's usage errors, vendored by typer
        code = exc.exit_code if exc.exit_code in (EXIT_REFUSED, EXIT_USAGE) else EXIT_USAGE
        return _error(exc.format_message(), code)
    if isinstance(exc, typer.Abort | KeyboardInterrupt | EOFError):
        return _error("interrupted; nothing more was done", EXIT_REFUSED)
    return _error(
        f"unexpected internal error ({type(exc).__name__}: {exc}); please report it",
        EXIT_REFUSED,
    )


def _silence_stdout() -> None:
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError):  # not a real file (under a test runner)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class _Group(TyperGroup):
    """The root command: turns every failure into one ``Error:`` line and an exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args=list(args) if args is not None else sys.argv[1:],
                prog_name=prog_name or "ldncalc",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
            code = result if isinstance(result, int) else EXIT_OK
        except typer.Exit as exc:
            code = exc.exit_code
        except BrokenPipeError:
            # The reader went away (ldncalc ... | head): nothing left to say, and
            # nothing for Python to complain about when it flushes at exit.
            _silence_stdout()
            code = EXIT_OK
        except (Exception, KeyboardInterrupt) as exc:
            code = _exit_code(exc)
        sys.exit(code)


app = typer.Typer(
    cls=_Group,
    name="ldncalc",
    help=(
        "Exact, units-aware calculator for liquid low-dose naltrexone (LDN): how to "
        "prepare it, how many mL to draw, on which syringe, to which mark. With no "
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

TabletsOpt = Annotated[int, typer.Option("--tablets", "-t", help="Tablets dissolved (1 to 10).")]
StrengthOpt = Annotated[str, typer.Option("--strength", help="Strength of one tablet.")]
WaterOpt = Annotated[str, typer.Option("--water", "-w", help="Water added (e.g. 50mL, 0.05L).")]
SyringeOpt = Annotated[
    str | None,
    typer.Option(
        "--syringe",
        "-s",
        help="Use this syringe, CAPACITY[:MARKS], e.g. 5mL:0.1mL (default: the smallest "
        "catalogue syringe that holds the dose).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")]


def _version_callback(value: bool) -> None:
    if value:
        print(f"ldncalc {__version__}")
        raise typer.Exit(EXIT_OK)


def _console() -> "Console":
    from ldncalc.render.text import make_console

    return make_console()


def _preparation(tablets: int, strength: str, water: str) -> "Preparation":
    from ldncalc.preparation import make_preparation

    return make_preparation(tablets, strength, water)


def _syringe(text: str | None) -> "Syringe | None":
    if text is None:
        return None
    from ldncalc.syringes import parse_syringe

    return parse_syringe(text)


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Print the default preparation and dose table when no command is given."""
    if ctx.invoked_subcommand is not None:
        return
    from fractions import Fraction

    from ldncalc.preparation import make_preparation, plan_dose
    from ldncalc.recommender import dose_steps
    from ldncalc.render.text import print_dose_table
    from ldncalc.units import dose as dose_q

    prep = make_preparation()
    plans = [
        plan_dose(dose_q(d), prep)
        for d in dose_steps(Fraction(1, 2), Fraction(9, 2), Fraction(1, 2))
    ]
    print_dose_table(_console(), prep, plans)


@app.command(short_help="The volume, syringe and mark for one dose.")
def dose(
    dose_text: Annotated[
        str, typer.Argument(metavar="DOSE", help="The dose: 4.5mg, 4500mcg, 0.0045g.")
    ],
    tablets: TabletsOpt = 1,
    strength: StrengthOpt = "50mg",
    water: WaterOpt = "50mL",
    syringe: SyringeOpt = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each step of the arithmetic.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Work out the volume to draw for one dose, the syringe and the mark.

    Example: ldncalc dose 4.5mg --water 100mL --explain
    """
    from ldncalc.preparation import plan_dose

    plan = plan_dose(dose_text, _preparation(tablets, strength, water), _syringe(syringe))
    if json:
        from ldncalc.render.jsonout import dose_object, dumps

        print(dumps(dose_object(plan)))
        return
    # Plain output: this command never pays for importing rich.
    from ldncalc.render.plain import PlainConsole, print_dose

    print_dose(PlainConsole(), plan, explain=explain)


@app.command(short_help="The preparation that puts a range of doses on marks.")
def mix(
    dose_from: Annotated[str, typer.Option("--from", help="Smallest dose.")] = "0.5mg",
    dose_to: Annotated[str, typer.Option("--to", help="Largest dose.")] = "4.5mg",
    step: Annotated[str, typer.Option("--step", help="Step between doses.")] = "0.5mg",
    tablets: Annotated[
        int | None,
        typer.Option("--tablets", "-t", help="Search only this many tablets (default 1 to 3)."),
    ] = None,
    strength: StrengthOpt = "50mg",
    top: Annotated[int, typer.Option("--top", help="How many preparations to show.")] = 5,
    json: JsonOpt = False,
) -> None:
    """Find the preparation that puts every dose of a range on a syringe mark.

    Searches 1 to 3 tablets in 5 to 250 mL of water and ranks them: exact
    first, then the smallest worst-case reading error.

    Example: ldncalc mix --from 1mg --to 4.5mg --step 0.5mg
    """
    from ldncalc.preparation import make_preparation
    from ldncalc.recommender import dose_steps, recommend
    from ldncalc.units import as_fraction, parse_dose

    # A preparation of the tablets asked for checks their count and strength.
    checked = make_preparation(1 if tablets is None else tablets, strength)
    strength_mg = as_fraction(checked.strength, "mg")
    doses = dose_steps(
        as_fraction(parse_dose(dose_from), "mg"),
        as_fraction(parse_dose(dose_to), "mg"),
        as_fraction(parse_dose(step), "mg"),
    )
    rec = recommend(doses, tablets=tablets, strength_mg=strength_mg, top=top)
    if json:
        from ldncalc.render.jsonout import dumps, mix_object

        print(dumps(mix_object(rec)))
        return
    from ldncalc.render.text import print_mix

    print_mix(_console(), rec)


def _parse_date(text: str) -> "date":
    import re
    from datetime import date

    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip()) is None:
        raise InvalidInputError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2027-01-31")
    year, month, day = (int(part) for part in text.strip().split("-"))
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InvalidInputError(f"{text!r} is not a date: {exc}") from exc


def _emit(text: str, output: str | None, force: bool) -> None:
    """Print ``text`` to stdout, or write it to ``output`` (``-`` is stdout)."""
    if output is None or output == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from ldncalc.files import write_text_atomic

    written = write_text_atomic(output, text if text.endswith("\n") else text + "\n", force=force)
    print(f"Wrote {written}", file=sys.stderr)


@app.command("protocols", short_help="The published titration protocols.")
def protocols_command(
    protocol_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Show only this protocol.")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """List the published titration protocols with their sources, or show one.

    Example: ldncalc protocols ldnrt-weekly
    """
    from ldncalc.titration import get_protocol, protocols

    chosen = [get_protocol(protocol_id)] if protocol_id is not None else list(protocols())
    if json:
        from ldncalc.render.jsonout import dumps, protocols_object

        print(dumps(protocols_object(chosen)))
        return
    from ldncalc.render.text import print_protocol, print_protocols

    if protocol_id is not None:
        print_protocol(_console(), chosen[0])
    else:
        print_protocols(_console(), chosen)


@app.command(short_help="A dated titration plan with batches; files to print.")
def schedule(
    protocol_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[PROTOCOL]",
            help="A protocol id from 'ldncalc protocols' (default: ldnrt-weekly).",
        ),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="Custom schedule: first dose.")
    ] = None,
    step: Annotated[
        str | None, typer.Option("--step", help="Custom schedule: added at each step.")
    ] = None,
    every: Annotated[
        str | None,
        typer.Option("--every", help="Custom schedule: time between steps (7d, 2w, 2 weeks)."),
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Custom schedule: target dose [default: 4.5mg].")
    ] = None,
    hold: Annotated[
        str, typer.Option("--hold", help="How long to stay at the target, from its first day.")
    ] = "8w",
    start_date: Annotated[
        str | None,
        typer.Option("--start-date", help="Day 1, as YYYY-MM-DD [default: today]."),
    ] = None,
    tablets: TabletsOpt = 1,
    strength: StrengthOpt = "50mg",
    water: WaterOpt = "50mL",
    syringe: SyringeOpt = None,
    keep: Annotated[
        str,
        typer.Option("--keep", help="How long a batch keeps; the mixing day is day 1."),
    ] = "14d",
    tablet_price: Annotated[
        str | None, typer.Option("--tablet-price", help="Price of one tablet, for the cost.")
    ] = None,
    json: JsonOpt = False,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV, one row per day.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown.")] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the chosen format (Markdown if none) to this file; - is stdout.",
        ),
    ] = None,
    ics: Annotated[
        str | None,
        typer.Option("--ics", help="Also write an iCalendar file of the steps and batches."),
    ] = None,
    html: Annotated[
        str | None,
        typer.Option("--html", help="Also write a printable handout (one HTML file)."),
    ] = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw the dose over the weeks as a step chart.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that already exist.")
    ] = False,
) -> None:
    """Print a dated titration schedule with the volume for each step, and its batches.

    With no protocol and no custom options: the LDN Research Trust schedule,
    1 mg increased by 1 mg weekly to 4.5 mg, then held for 8 weeks.

    Example: ldncalc schedule --start 1mg --step 1mg --every 7d --target 4.5mg
    """
    from ldncalc.supply import parse_price, plan_batches
    from ldncalc.titration import build_schedule, custom_protocol
    from ldncalc.units import as_fraction, parse_dose, parse_duration_days

    if sum((json, csv, markdown)) > 1:
        raise InvalidInputError("choose one of --json, --csv and --markdown")
    to_stdout = [name for name, target in (("--ics", ics), ("--html", html)) if target == "-"]
    if (json or csv or markdown or output is not None) and output in (None, "-"):
        to_stdout.append("the chosen format")
    if len(to_stdout) > 1:
        raise InvalidInputError(f"only one output can go to stdout: {', '.join(to_stdout)}")
    custom = (start, step, every, target)
    if any(v is not None for v in custom):
        if protocol_id is not None:
            raise InvalidInputError("give a protocol or custom options (--start ...), not both")
        if start is None or step is None or every is None:
            raise InvalidInputError("a custom schedule needs --start, --step and --every")
        protocol: Any = custom_protocol(
            as_fraction(parse_dose(start), "mg"),
            as_fraction(parse_dose(step), "mg"),
            parse_duration_days(every),
            as_fraction(parse_dose(target or "4.5mg"), "mg"),
        )
    else:
        protocol = protocol_id
    plan = build_schedule(
        protocol,
        start_date=_parse_date(start_date) if start_date is not None else None,
        preparation=_preparation(tablets, strength, water),
        syringe=_syringe(syringe),
        hold_days=parse_duration_days(hold),
    )
    price = parse_price(tablet_price) if tablet_price is not None else None
    supply = plan_batches(plan, parse_duration_days(keep), price)
    if ics is not None:
        from ldncalc.render.ics import schedule_ics

        _emit(schedule_ics(plan, supply), ics, force)
    if html is not None:
        from ldncalc.render.handout import schedule_html

        _emit(schedule_html(plan, supply), html, force)
    chosen = "json" if json else "csv" if csv else "markdown" if markdown else None
    if chosen is None and output is not None:
        chosen = "markdown"
    if chosen is not None:
        from ldncalc.render import exports, jsonout

        text = {
            "json": lambda: jsonout.dumps(jsonout.schedule_object(plan, supply)),
            "csv": lambda: exports.schedule_csv(plan, supply),
            "markdown": lambda: exports.schedule_markdown(plan, supply),
        }[chosen]()
        _emit(text, output, force)
    elif "-" not in (ics, html):  # no file format already took stdout
        from ldncalc.render.text import print_schedule

        print_schedule(_console(), plan, supply, chart=chart)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return its exit code (for ``python -m ldncalc``)."""
    try:
        app(args=list(argv) if argv is not None else None)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    return EXIT_OK
