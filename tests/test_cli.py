from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ldncalc._version import __version__
from ldncalc.cli import app
from ldncalc.disclaimer import DISCLAIMER
from tests.safe_notation import assert_safe

runner = CliRunner()


def invoke(*args: str, width: int = 100, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    full_env = {"COLUMNS": str(width), "NO_COLOR": "1", **(env or {})}
    return runner.invoke(app, list(args), env=full_env)


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_no_arguments_prints_the_default_table() -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Preparation: 1 x 50 mg tablet in 50 mL = 1 mg/mL" in out
    for token in ["0.5 mg", "4.5 mg", "4.6 mL", "3.6 mg (≈+2.9%)", "0.5 mL (0.01 mL marks)"]:
        assert token in out
    assert one_line(DISCLAIMER) in one_line(out)
    assert_safe(out)


def test_dose_prints_volume_syringe_and_mark() -> None:
    result = invoke("dose", "4.5mg")
    assert result.exit_code == 0
    out = result.stdout
    assert "Volume:      4.5 mL" in out
    assert "Syringe:     5 mL (0.2 mL marks)" in out
    assert "Draw to:     4.6 mL" in out
    assert "Delivers:    4.6 mg (≈+2.2%)" in out
    assert "Warning: the nearest mark (4.6 mL)" in out
    assert one_line(DISCLAIMER) in one_line(out)
    assert_safe(out)


def test_dose_explain_shows_the_arithmetic() -> None:
    result = invoke("dose", "4.5mg", "--explain")
    out = one_line(result.stdout)
    assert "1. Concentration: 1 x 50 mg / 50 mL = 1 mg/mL" in out
    assert "2. Volume: 4.5 mg / 1 mg/mL = 4.5 mL" in out
    assert "22.5 marks, rounded half up to 23 marks = 4.6 mL" in out
    assert "5. Delivered: 4.6 mL x 1 mg/mL = 4.6 mg (≈+2.2%)" in out


def test_dose_with_a_preparation_and_a_syringe() -> None:
    result = invoke("dose", "0.5mg", "--water", "10mL", "--syringe", "1mL:0.01mL")
    assert result.exit_code == 0
    assert "Volume:      0.1 mL" in result.stdout
    assert "at or below 0.1 mL" in one_line(result.stdout)


def test_dose_json_is_one_object_with_exact_numbers() -> None:
    result = invoke("dose", "4500mcg", "--json")
    assert result.exit_code == 0
    obj = json.loads(result.stdout)
    assert set(obj) == {
        "dose_mg",
        "concentration_mg_per_ml",
        "volume_ml",
        "syringe_ml",
        "graduation_ml",
        "measured_volume_ml",
        "delivered_dose_mg",
        "error_percent",
        "warnings",
        "disclaimer",
    }
    assert obj["dose_mg"] == 4.5
    assert obj["volume_ml"] == 4.5
    assert obj["measured_volume_ml"] == 4.6
    assert obj["syringe_ml"] == 5
    assert obj["graduation_ml"] == 0.2
    assert obj["error_percent"] == 2.22222222222
    assert obj["disclaimer"] == DISCLAIMER
    assert len(obj["warnings"]) == 1
    assert '"volume_ml": 4.5,' in result.stdout


def test_json_concentration_that_never_ends_has_twelve_digits() -> None:
    result = invoke("dose", "1mg", "--water", "14mL", "--strength", "15mg", "--json")
    assert result.exit_code == 0
    assert '"concentration_mg_per_ml": 1.07142857143' in result.stdout


def test_mix_ranks_preparations() -> None:
    result = invoke("mix")
    assert result.exit_code == 0
    out = result.stdout
    assert "1 x 50 mg   100 mL   0.5 mg/mL" in out
    assert "Best preparation, dose by dose:" in out
    assert one_line(DISCLAIMER) in one_line(out)
    assert_safe(out)


def test_mix_json() -> None:
    result = invoke("mix", "--from", "1mg", "--to", "4.5mg", "--step", "1mg", "--json")
    assert result.exit_code == 0
    obj = json.loads(result.stdout)
    assert set(obj) == {"candidates", "warnings", "disclaimer"}
    best = obj["candidates"][0]
    assert set(best) == {
        "tablets",
        "strength_mg",
        "water_ml",
        "concentration_mg_per_ml",
        "exact",
        "worst_reading_error_percent",
        "doses",
    }
    assert [d["dose_mg"] for d in best["doses"]] == [1, 2, 3, 4, 4.5]
    assert best["exact"] is True


def test_mix_with_fixed_tablets() -> None:
    result = invoke("mix", "--tablets", "2", "--json")
    assert result.exit_code == 0
    assert {c["tablets"] for c in json.loads(result.stdout)["candidates"]} == {2}


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["dose", "banana"], 2, "does not start with a number"),
        (["dose", "--", "-4.5mg"], 2, "negative"),
        (["dose", "4,5mg"], 2, "decimal point, not a comma"),
        (["dose", "4.5mL"], 2, "is a volume"),
        (["dose", "2tsp"], 2, "household measures"),
        (["dose", "nan"], 2, "not a finite number"),
        (["dose", "1e999mg"], 2, "out of range"),
        (["dose", "0mg"], 2, "zero"),
        (["dose", ".5mg"], 2, "leading zero"),
        (["dose", "4.5kg"], 1, "more than the whole preparation holds"),
        (["dose", "60mg"], 1, "more than the whole preparation holds"),
        (["dose", "0.004mg"], 1, "times more dilute"),
        (["dose", "0.000001mg"], 1, "no preparation ldncalc supports can measure it"),
        (["dose", "1mg", "-\x1b[31m"], 2, "No such option: -\\x1b"),
        (["dose", "1mg", "--water", "0.1mL"], 1, "solubility"),
        (["dose", "1mg", "--tablets", "0"], 2, "1 to 10"),
        (["dose", "1mg", "--tablets", "x"], 2, "is not a valid"),
        (["dose", "1mg", "--strength", "50mL"], 2, "is a volume"),
        (["dose", "1mg", "--water", "1 cup"], 2, "household measures"),
        (["dose", "1mg", "--syringe", "5mL:0.3mL"], 2, "whole number of marks"),
        (["dose", "1mg", "--syringe", "7mL"], 2, "give its marks too"),
        (["dose"], 2, "Missing argument"),
        (["dose", "1mg", "--bogus"], 2, "No such option"),
        (["nosuch"], 2, "No such command"),
        (["mix", "--from", "5mg", "--to", "1mg"], 2, "starts above its end"),
        (["mix", "--step", "0mg"], 2, "zero"),
        (["mix", "--tablets", "0"], 2, "1 to 10"),
        (["mix", "--top", "0"], 2, "at least one"),
    ],
)
def test_errors_are_one_line_with_an_exit_code(args: list[str], code: int, fragment: str) -> None:
    result = invoke(*args)
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert fragment in lines[0]
    assert "\x1b" not in result.stderr  # control characters are shown escaped
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [[], ["dose"], ["mix"], ["protocols"], ["schedule"]])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example: ldncalc" in result.stdout


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ldncalc {__version__}\n"


WHOLE_TOKENS = {
    (): ["0.5 mg", "4.5 mg", "4.6 mL", "3.6 mg", "0.5 mL (0.01 mL marks)", "1 mg/mL"],
    ("dose", "4.5mg", "--explain"): ["4.5 mg", "4.5 mL", "4.6 mL", "4.6 mg", "1 mg/mL"],
    ("mix",): ["0.5 mg/mL", "0.625 mg/mL", "100 mL", "240 mL", "3.125%", "9 mL"],
}


@pytest.mark.parametrize("width", [40, 60, 80, 200])
@pytest.mark.parametrize("command", list(WHOLE_TOKENS))
def test_numbers_are_never_cut_at_any_width(width: int, command: tuple[str, ...]) -> None:
    result = invoke(*command, width=width)
    assert result.exit_code == 0
    out = result.stdout
    assert "…" not in out
    assert_safe(out)
    for token in WHOLE_TOKENS[command]:
        assert token in out, (width, token)


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ldncalc", "dose", "1mg", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["volume_ml"] == 1


@pytest.mark.parametrize("fmt", [[], ["--csv"]])
def test_a_reader_that_goes_away_ends_quietly(fmt: list[str]) -> None:
    # ldncalc schedule | head -1: the rest of the output has nowhere to go.
    process = subprocess.Popen(
        [sys.executable, "-m", "ldncalc", "schedule", "--start-date", "2027-01-04",
         "--hold", "520w", "--keep", "1d", *fmt],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "40"},  # stacked rows: far more than a pipe holds
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""
