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
        assert app.stderr == ("Error: '2026-13-01' is not a date: month must be in 1..12\n")


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
        assert spec == Spec(tuple(arguments), values, flags, required, frozenset(repeated))
    assert set(SPECS) == {"dose", "took", "note"}


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
