"""One set of rules for the command line: `today`'s fast path agrees with the Typer app.

``ldncalc today`` with its usual options is answered without importing typer
(``ldncalc.cli._today.run_today``, for start-up time); everything else goes
through the Typer app. Both must read every argument the same way: this test
runs each argument list of a grid (good, bad, empty, missing values; a file
where a folder is wanted; a diary with and without a plan) both ways and
requires the same exit code, stdout and stderr. Where the fast path declines
(returns None: help, an unknown option, a missing value), the app answers, so
the two agree by construction; the grid counts those too, so that the test
cannot pass by the fast path declining everything.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ldncalc.cli import run
from ldncalc.cli._today import run_today
from tests.fuzzing import CliResult

_RUNNER = CliRunner()


def _capture(function: object, args: list[str], env: dict[str, str | None]) -> CliResult | None:
    with _RUNNER.isolation(env={"COLUMNS": "80", "NO_COLOR": "1", **env}) as (out, err, _):
        code = function(args)  # type: ignore[operator]
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    return None if code is None else CliResult(code, stdout, stderr)


def both_ways(args: list[str], env: dict[str, str | None]) -> tuple[CliResult | None, CliResult]:
    fast = _capture(run_today, args, env)
    app = _capture(lambda a: run(["today", *a]), args, env)
    assert app is not None
    return fast, app


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("homes")
    planned = root / "planned"
    empty = root / "empty"
    empty.mkdir()
    a_file = root / "a-file"
    a_file.write_text("not a folder\n")
    env: dict[str, str | None] = {"LDNCALC_HOME": str(planned)}
    started = _capture(
        lambda a: run(a), ["plan", "start", "ldnrt-weekly", "--start-date", "2026-09-01"], env
    )
    assert started is not None
    assert started.exit_code == 0, started
    return {"planned": planned, "empty": empty, "file": a_file, "missing": root / "nowhere"}


GRID = [
    [],
    ["--json"],
    ["--date", "2026-09-10"],
    ["--date=2026-09-10"],
    ["--date", "2026-09-10", "--json"],
    ["--date", "2026-13-01"],
    ["--date", "tomorrow"],
    ["--date", "2500-01-01"],
    ["--date", "1800-01-01"],
    ["--date="],
    ["--date", ""],
    ["--date"],
    ["--profile", "default"],
    ["--profile", "nobody"],
    ["--profile", "bad name!"],
    ["--profile="],
    ["--profile"],
    ["--data-dir", "{planned}"],
    ["--data-dir={planned}"],
    ["--data-dir", "{empty}"],
    ["--data-dir", "{file}"],
    ["--data-dir={file}"],
    ["--data-dir", "{missing}"],
    ["--data-dir="],
    ["--data-dir", ""],
    ["--data-dir"],
    ["--data-dir", "{file}", "--date", "nonsense"],
    ["--date", "nonsense", "--data-dir", "{empty}"],
    ["--json", "--date", "nonsense"],
    ["--date", "2026-09-10", "--date", "2026-09-11"],
    ["--bogus"],
    ["extra"],
    ["--help"],
]


@pytest.mark.parametrize("home", ["planned", "empty"])
def test_today_reads_its_arguments_as_the_app_does(homes: dict[str, Path], home: str) -> None:
    env: dict[str, str | None] = {"LDNCALC_HOME": str(homes[home])}
    answered = 0
    for template in GRID:
        args = [word.format(**{k: str(v) for k, v in homes.items()}) for word in template]
        fast, app = both_ways(args, env)
        if fast is None:
            continue  # the app answers: the same by construction
        answered += 1
        assert fast == app, (args, fast, app)
        assert "Traceback" not in fast.stderr
    # The fast path really answers most of the grid (good and bad values alike).
    assert answered >= 24


def test_a_bad_date_is_a_usage_error_whatever_the_diary_holds(homes: dict[str, Path]) -> None:
    for home in ("planned", "empty"):
        fast, app = both_ways(["--date", "2026-13-01"], {"LDNCALC_HOME": str(homes[home])})
        assert fast == app
        assert app.exit_code == 2
        assert app.stderr == (
            "Error: '2026-13-01' is not a date: there is no month 13; "
            "write YYYY-MM-DD, e.g. 2027-01-31\n"
        )


def test_the_data_folder_rules_are_the_same_for_every_command(homes: dict[str, Path]) -> None:
    file = str(homes["file"])
    expected_file = f"Error: --data-dir {file!r} is a file, not a folder\n"
    expected_empty = "Error: --data-dir needs a folder's name, not an empty one\n"
    env: dict[str, str | None] = {}
    for command in (["today"], ["history"], ["took"], ["note", "x"], ["data", "check"]):
        for value, expected in ((file, expected_file), ("", expected_empty)):
            done = _capture(lambda a: run(a), [*command, "--data-dir", value], env)
            assert done is not None
            assert (done.exit_code, done.stderr) == (2, expected), (command, value)


# ---------------------------------------------------------------- dose (ldncalc.cli.fast)


def _file_options(name: str) -> tuple[set[str], dict[str, tuple[str, ...]]]:
    """Return the parameters of command ``name`` typed as a file, and those typed as a choice."""
    import enum
    import typing

    from ldncalc.cli import app

    found = [
        info.callback
        for info in app.registered_commands
        if info.callback is not None
        and (info.name or info.callback.__name__.replace("_", "-")) == name
    ]
    assert len(found) == 1, name
    paths: set[str] = set()
    choices: dict[str, tuple[str, ...]] = {}
    for param, hint in typing.get_type_hints(found[0]).items():
        kinds = typing.get_args(hint) or (hint,)
        if Path in kinds:
            paths.add(param)
        for kind in kinds:
            if isinstance(kind, type) and issubclass(kind, enum.Enum):
                choices[param] = tuple(str(member.value) for member in kind)
    return paths, choices


def test_the_fast_commands_take_what_the_app_defines() -> None:
    """The fast parser's table is the Typer app's own definition of each command."""
    import typer

    from ldncalc.cli import app
    from ldncalc.cli.fast import SPECS, Spec

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name, spec in SPECS.items():
        arguments: list[str] = []
        values: dict[str, str] = {}
        flags: dict[str, str] = {}
        repeated: set[str] = set()
        required = 0
        for param in commands[name].params:
            assert param.nargs == 1, param.name
            if param.param_type_name == "argument":
                arguments.append(param.name)
                required += bool(param.required)
            elif param.name != "help":
                table = flags if param.is_flag else values
                for spelling in [*param.opts, *param.secondary_opts]:
                    table[spelling] = param.name
                if param.multiple:
                    repeated.add(param.name)
                assert not param.required, param.name
            assert param.default in (None, False), param.name  # the defaults are ldncalc's
        paths, choices = _file_options(name)
        expected = Spec(
            tuple(arguments), values, flags, required, frozenset(repeated), frozenset(paths)
        )
        assert spec == Spec(**{**vars(expected), "choices": choices}), name
    assert set(SPECS) == {"dose", "took", "note", "schedule", "history"}


def test_a_choice_of_the_fast_parser_is_read_by_the_app() -> None:
    """Each --format the fast parser passes on is one the app's own reader takes as it is."""
    from ldncalc.cli._outputs import _format
    from ldncalc.cli.fast import SPECS

    for word in SPECS["schedule"].choices["fmt"]:
        assert _format(word).value == word


DOSE_GRID = [
    ["4.5mg"],
    ["4.5 mg"],
    ["5mcg", "--json"],
    ["--json", "5mcg"],
    ["4.5"],
    ["0.0045g", "--explain"],
    ["4.5mg", "--water", "100mL"],
    ["4.5mg", "--water=100mL", "--json"],
    ["4.5mg", "-w", "100mL", "-t", "2"],
    ["4.5mg", "--tablets", "2", "--strength", "50mg"],
    ["1", "--concentration", "1 mg/mL"],
    ["0.1mg"],
    ["0.1mg", "--dilute"],
    ["0.05mg", "--json", "--explain"],
    ["4.6mg", "--syringe", "5mL"],
    ["4.5mg", "-s", "1mL"],
    ["4.5mg", "--syringe", "5mL:0.1mL"],
    ["4.5mg", "--assay", "95-105%"],
    ["4.5mg", "--assay", "100%", "--water-error", "1mL"],
    ["4.5mg", "--water", "49.9mL", "--json"],
    # bad values: the library refuses them, both ways alike
    ["4,5mg"],
    ["abc"],
    [""],
    ["4.5 mL"],
    ["60mg"],
    ["4.5mg", "--water", "100mL", "--concentration", "1mg/mL"],
    ["4.5mg", "--tablets", "x"],
    ["4.5mg", "--tablets", "99"],
    ["4.5mg", "--syringe", "2tsp"],
    ["4.5mg", "--assay", "200%"],
    ["2 tsp", "--json"],
    ["4500 nanograms"],
    # what the fast parser leaves to the app
    ["-1mg"],
    ["4.5mg", "--json", "--json"],
    ["--help"],
    ["4.5mg", "--bogus"],
    ["4.5mg", "--water"],
    [],
    ["4.5mg", "5mg"],
    ["4.5mg", "-t"],
    ["4.5mg", "--dilute=yes"],
    ["4.5mg", "-t=2"],
    ["4.5mg", "--"],
    ["4.5mg", "--water", "-5mL"],
]


def test_dose_reads_its_arguments_as_the_app_does() -> None:
    from ldncalc.cli.fast import run_fast

    answered = 0
    for args in DOSE_GRID:
        fast = _capture(run_fast, ["dose", *args], {})
        app = _capture(lambda a: run(a), ["dose", *args], {})
        assert app is not None
        if fast is None:
            continue  # the app answers: the same by construction
        answered += 1
        assert fast == app, (args, fast, app)
        assert "Traceback" not in fast.stderr
    assert answered >= 30  # the fast path answers the grid's good and bad values


def test_dose_without_the_cli_framework_or_pint() -> None:
    import subprocess

    code = (
        "import sys\nfrom ldncalc.__main__ import main\nmain(['dose', '5mcg', '--json'])\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stderr.split())
    assert "ldncalc.cli.fast" in loaded  # the probe is live
    assert not loaded & {"typer", "click", "rich", "pydantic", "pint"}


WRITE_GRID = [
    ["took"],
    ["took", "--date", "2026-09-05"],
    ["took", "3mg", "--date=2026-09-05"],
    ["took", "--date", "2026-09-02", "--again"],
    ["took", "4.5 mg", "--date", "2026-09-03", "--profile", "default"],
    ["took", "30mg", "--date", "2026-09-04"],
    ["took", "4,5mg", "--date", "2026-09-04"],
    ["took", "--date", "2026-13-01"],
    ["took", "--date", "2500-01-01"],
    ["took", "--profile", "bad name!"],
    ["took", "--data-dir", ""],
    ["took", "--again", "--again"],
    ["took", "--bogus"],
    ["took", "1mg", "2mg"],
    ["took", "--date"],
    ["note", "slept badly", "--pain", "4", "--sleep", "7", "--date", "2026-09-04"],
    ["note", "--pain", "3", "--enjoyment", "4", "--activity", "5", "--date", "2026-09-04"],
    ["note", "x", "--score", "mood=3", "--score", "focus=2", "--side-effect", "vivid dreams"],
    ["note", "--side-effect", "a", "--side-effect", "b", "--fatigue", "2"],
    ["note", "--pgic", "3", "--date", "2026-09-10"],
    ["note", "--pgic", "9"],
    ["note", "--pain", "11"],
    ["note", "--pain", "x"],
    ["note", "--score", "mood"],
    ["note", "--score", "=3"],
    ["note", ""],
    ["note", "before", "--date", "2026-07-01"],
    ["note", "--pain", "3", "--pain", "4"],
    ["note", "--pain"],
    ["note", "a", "b"],
    ["note", "--help"],
    ["note", "x", "--data-dir", ""],
    ["note", "x", "--profile", "carer", "--pain", "2"],
    ["note", "x", "--profile="],
    ["took", "--profile", "nobody"],
]


def test_took_and_note_read_their_arguments_as_the_app_does(
    homes: dict[str, Path], tmp_path: Path
) -> None:
    """Each way writes to its own copy of the same diary: the same entry, the same words."""
    import shutil

    from ldncalc.cli.fast import run_fast

    answered = 0
    for n, args in enumerate(WRITE_GRID):
        results = []
        for way in ("fast", "app"):
            home = tmp_path / f"{n}-{way}"
            shutil.copytree(homes["planned"], home)
            env: dict[str, str | None] = {"LDNCALC_HOME": str(home)}
            results.append(_capture(run_fast if way == "fast" else run, args, env))
        fast, app = results
        assert app is not None
        if fast is None:
            continue
        answered += 1
        assert fast == app, (args, fast, app)
        assert "Traceback" not in fast.stderr
    assert answered >= 20  # every good and bad value; the rest are the app's


SCHEDULE_GRID = [
    [],
    ["--start-date", "2027-01-04"],
    ["ldnrt-sensitive", "--start-date=2027-01-04"],
    ["--start", "1mg", "--step", "0.5mg", "--every", "2w", "--start-date", "2027-01-04"],
    ["--start", "1 mg", "--step", "0.5 mg", "--every", "14d", "--target", "3mg", "--hold", "8w"],
    ["--start", "2mg", "--target", "2mg", "--start-date", "2027-01-04"],
    ["--start-date", "2027-01-04", "--format", "csv"],
    ["--start-date", "2027-01-04", "-f", "json"],
    ["--start-date", "2027-01-04", "--format=markdown"],
    ["--start-date", "2027-01-04", "--json"],
    ["--start-date", "2027-01-04", "--json", "--format", "json"],
    ["--start-date", "2027-01-04", "--chart"],
    ["--start-date", "2027-01-04", "-o", "plan.md"],
    ["--start-date", "2027-01-04", "--output", "plan.csv", "--format", "csv"],
    ["--start-date", "2027-01-04", "--output=-", "--json"],
    ["--start-date", "2027-01-04", "--ics", "plan.ics", "--dose-time", "21:30"],
    ["--start-date", "2027-01-04", "--html", "handout.html", "--tablet-price", "1.50"],
    ["--start-date", "2027-01-04", "--html", "-"],
    ["--start-date", "2027-01-04", "-o", "there.md"],
    ["--start-date", "2027-01-04", "-o", "there.md", "--force"],
    ["--start-date", "2027-01-04", "--keep", "7d", "--reserve", "5mL"],
    ["--start-date", "2027-01-04", "--tablets", "2", "--strength", "50mg", "--water", "100mL"],
    ["--start-date", "2027-01-04", "-t", "1", "-w", "25mL"],
    ["--start-date", "2027-01-04", "--concentration", "1mg/mL"],
    ["--start-date", "2027-01-04", "--syringe", "1mL", "-s", "5mL:0.1mL"],
    ["--start-date", "2027-01-04", "--scale", "0.1g", "--scale-accuracy", "0.2g"],
    ["--start-date", "2027-01-04", "--assay", "95-105%", "--water-error", "1mL"],
    ["--start", "1mg", "--step", "1mg", "--every", "7d", "--target", "6mg", "--confirm"],
    # bad values: refused by ldncalc, both ways alike
    ["--start", "1mg", "--step", "1mg", "--every", "7d", "--target", "6mg"],
    ["no-such-protocol"],
    ["--start-date", "2027-13-01"],
    ["--start-date", ""],
    ["--hold", "0d"],
    ["--hold", "5"],
    ["--every", "fortnight", "--start", "1mg", "--step", "1mg"],
    ["--start", "1mg"],
    ["--start", "1,5mg", "--step", "1mg", "--every", "7d"],
    ["--dose-time", "25:00"],
    ["--tablets", "x"],
    ["--syringe", "2tsp"],
    ["--scale-accuracy", "0.2g"],
    ["--keep", "0d"],
    ["--reserve", "a lot"],
    ["--tablet-price", "free"],
    ["--json", "--format", "csv"],
    ["--html", "-", "--ics", "-"],
    ["--json", "--start-date", "nonsense"],
    ["--ics", "out.txt", "--dose-time", "7pm"],
    [""],
    ["--start", "", "--step", "1mg", "--every", "7d"],
    ["--hold", ""],
    ["--start-date", "2027-01-04", "--keep", "3"],
    ["--start-date=2027-01-04", "--format=csv", "--chart"],
    # what the fast parser leaves to the app
    ["--format", "html"],
    ["--format", "xml"],
    ["--format", "JSON"],
    ["--format", ""],
    ["--tablet-price", "-1"],
    ["-o", ""],
    ["--output", "a-folder"],
    ["--ics="],
    ["--start", "-1mg"],
    ["--json", "--json"],
    ["--help"],
    ["--bogus"],
    ["ldnrt-weekly", "ldnrt-sensitive"],
    ["--start"],
    ["-fcsv"],
    ["--chart=yes"],
    ["--", "ldnrt-weekly"],
]


def _written(folder: Path) -> dict[str, bytes]:
    """Return the files written in ``folder``; a calendar's time of writing as 'now'.

    A calendar's DTSTAMP and SEQUENCE come from the clock: the two ways may
    write them a second apart.
    """
    import re

    def timeless(data: bytes) -> bytes:
        return re.sub(rb"(DTSTAMP:[0-9]{8}T[0-9]{6}Z|SEQUENCE:[0-9]+)\r\n", b"now\r\n", data)

    return {p.name: timeless(p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()}


def test_schedule_reads_its_arguments_as_the_app_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each way runs in a folder of its own: the same output, exit code and files written."""
    from ldncalc.cli.fast import run_fast

    answered = 0
    for n, args in enumerate(SCHEDULE_GRID):
        results = []
        for way in ("fast", "app"):
            folder = tmp_path / f"{n}-{way}"
            (folder / "a-folder").mkdir(parents=True)
            (folder / "there.md").write_text("kept\n")
            monkeypatch.chdir(folder)
            done = _capture(run_fast if way == "fast" else run, ["schedule", *args], {})
            results.append((done, _written(folder)))
        (fast, fast_files), (app, app_files) = results
        assert app is not None
        if fast is None:
            continue  # the app answers: the same by construction
        answered += 1
        assert fast == app, (args, fast, app)
        assert fast_files == app_files, args
        assert "Traceback" not in fast.stderr
    assert answered >= 45  # the fast path answers the grid's good and bad values


@pytest.fixture(scope="module")
def kept(homes: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A diary with a plan, doses, a missed day, notes and an undo."""
    import shutil

    home = tmp_path_factory.mktemp("kept") / "home"
    shutil.copytree(homes["planned"], home)
    env: dict[str, str | None] = {"LDNCALC_HOME": str(home)}
    done: CliResult | None = None
    for args in (
        ["took", "--date", "2026-09-01"],
        ["took", "1.5mg", "--date", "2026-09-02"],
        ["missed", "--date", "2026-09-03"],
        ["note", "slept badly", "--pain", "4", "--sleep", "7", "--date", "2026-09-03"],
        ["note", "--side-effect", "vivid dreams", "--score", "mood=3", "--date", "2026-09-04"],
        ["took", "--date", "2026-09-05"],
    ):
        done = _capture(lambda a: run(a), args, env)
        assert done is not None
        assert done.exit_code == 0, (args, done)
    assert done is not None
    ident = done.stdout.split("entry ", 1)[1].split()[0]  # "Recorded entry 7 for ..."
    undone = _capture(lambda a: run(a), ["undo", ident], env)
    assert undone is not None
    assert undone.exit_code == 0, undone
    return home


@pytest.fixture(scope="module")
def kit_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A diary with kit entries and no plan (issue 26: its history lists them)."""
    home = tmp_path_factory.mktemp("kit-only") / "home"
    env: dict[str, str | None] = {"LDNCALC_HOME": str(home)}
    for args in (["kit", "add", "1mL"], ["kit", "time", "22:00"], ["undo", "1"]):
        done = _capture(lambda a: run(a), args, env)
        assert done is not None
        assert done.exit_code == 0, (args, done)
    return home


HISTORY_GRID = [
    [],
    # a kit and no plan: its entries, no days
    ["--data-dir", "{kit_only}"],
    ["--data-dir", "{kit_only}", "--json"],
    ["--data-dir", "{kit_only}", "--csv"],
    ["--data-dir", "{kit_only}", "--chart"],
    ["--data-dir", "{kit_only}", "--from", "2026-09-02", "--to", "2026-09-01"],
    ["--json"],
    ["--csv"],
    ["--chart"],
    ["--from", "2026-09-02", "--to", "2026-09-04"],
    ["--from=2026-09-03", "--json"],
    ["--to=2026-09-02", "--csv"],
    ["--chart", "--from", "2026-09-02"],
    ["--profile", "default"],
    ["--data-dir", "{kept}"],
    # bad values: refused by ldncalc, both ways alike
    ["--json", "--csv"],
    ["--from", "2026-13-01"],
    ["--from", "yesterday", "--json"],
    ["--to", ""],
    ["--from", "2026-09-05", "--to", "2026-09-01"],
    ["--from", "1800-01-01"],
    ["--profile", "nobody"],
    ["--profile", "bad name!"],
    ["--profile="],
    ["--data-dir", "{empty}"],
    ["--data-dir", "{missing}"],
    ["--data-dir", "{file}"],
    ["--data-dir="],
    # what the fast parser leaves to the app
    ["--data-dir"],
    ["--json", "--json"],
    ["--help"],
    ["--bogus"],
    ["extra"],
    ["--from", "-1"],
]


def test_history_reads_its_arguments_as_the_app_does(
    homes: dict[str, Path], kept: Path, kit_only: Path
) -> None:
    from ldncalc.cli.fast import run_fast

    names = {**{k: str(v) for k, v in homes.items()}, "kept": str(kept), "kit_only": str(kit_only)}
    env: dict[str, str | None] = {"LDNCALC_HOME": str(kept)}
    answered = 0
    for template in HISTORY_GRID:
        args = ["history", *(word.format(**names) for word in template)]
        fast = _capture(run_fast, args, env)
        app = _capture(lambda a: run(a), args, env)
        assert app is not None
        if fast is None:
            continue
        answered += 1
        assert fast == app, (args, fast, app)
        assert "Traceback" not in fast.stderr
        if "{kit_only}" in template and "--to" not in template:
            assert fast.exit_code == 0, (args, fast)
    assert answered >= 27


# ---------------------------------------------------------------- --help (ldncalc.cli._help)


def _ldncalc(code: str, args: list[str], columns: str | None) -> CliResult:
    """Run ``code`` (which runs ldncalc on sys.argv[1:]) in a fresh interpreter."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=False
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize("columns", [None, "80", "132", "79", "60", "0", "wide"])
@pytest.mark.parametrize("args", [["--help"], ["-h"]])
def test_the_kept_help_is_the_apps(args: list[str], columns: str | None) -> None:
    """``ldncalc --help`` served from ldncalc.cli._help prints what the Typer app prints."""
    entry = "import sys\nfrom ldncalc.__main__ import main\nsys.exit(main(sys.argv[1:]))"
    app_only = "import sys\nfrom ldncalc.cli import run\nsys.exit(run(sys.argv[1:]))"
    served = _ldncalc(entry, args, columns)
    assert served == _ldncalc(app_only, args, columns)
    assert served.exit_code == 0
    assert served.stdout.startswith("Usage: ldncalc [OPTIONS] COMMAND")


def test_the_kept_help_answers_at_the_usual_widths() -> None:
    from ldncalc.cli._help import TEXT, WIDEST, run_help

    assert WIDEST == 80
    with _RUNNER.isolation(env={"COLUMNS": "100"}) as (out, _, _):
        assert run_help(["--help"]) == 0
        sys.stdout.flush()
        assert out.getvalue().decode() == TEXT
    with _RUNNER.isolation(env={"COLUMNS": "79"}):
        assert run_help(["--help"]) is None  # click wraps narrower: the app answers
    assert run_help(["dose", "--help"]) is None


@pytest.mark.parametrize(
    "args",
    [["--help"], ["schedule", "--start-date", "2027-01-04"], ["history", "--json"], ["history"]],
)
@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_a_fast_command_fails_to_write_as_the_app_does(
    homes: dict[str, Path], args: list[str], stdout: str
) -> None:
    """A full disk or a closed stdout: the same one line and exit code both ways."""
    import os
    import subprocess

    ways = {
        "fast": "import sys\nfrom ldncalc.__main__ import main\nsys.exit(main(sys.argv[1:]))",
        "app": "import sys\nfrom ldncalc.cli import run\nsys.exit(run(sys.argv[1:]))",
    }
    env = {**os.environ, "LDNCALC_HOME": str(homes["planned"]), "COLUMNS": "100"}
    redirect = ">/dev/full" if stdout == "full" else ">&-"
    results = []
    for code in ways.values():
        command = ["sh", "-c", f'exec "$@" {redirect}', "sh", sys.executable, "-c", code, *args]
        done = subprocess.run(command, stderr=subprocess.PIPE, env=env, check=False)
        results.append((done.returncode, done.stderr))
    assert results[0] == results[1]
    assert results[0][0] == 1
    assert b"cannot write the output" in results[0][1], results
