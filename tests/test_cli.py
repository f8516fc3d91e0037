from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import typer

import ldncalc.dose.preparation
from ldncalc._version import __version__
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.dose.syringes import parse_syringe
from ldncalc.errors import RefusedError
from tests.fuzzing import MEASURING_KEYS, CliResult, cli
from tests.safe_notation import assert_safe

DOSE_KEYS = MEASURING_KEYS


def invoke(*args: str, width: int = 100, env: dict[str, str | None] | None = None) -> CliResult:
    return cli(*args, width=width, env=env)


def one_line(text: str) -> str:
    return " ".join(text.split())


def error_of(result: CliResult) -> str:
    """Return the one Error: line of a failed run, checking that it is alone."""
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def test_no_arguments_prints_the_default_table() -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Preparation: 1 x 50 mg tablet in 50 mL = 1 mg/mL" in out
    for token in ["0.5 mg", "4.5 mg", "4.6 mL", "3.6 mg", "(≈+2.9%)", "4 to 5.3 mg", "0.5 mL"]:
        assert token in out
    assert "(0.01 mL marks)" in out
    assert "Could be: what the dose may really be" in one_line(out)
    assert one_line(DISCLAIMER) in one_line(out)
    assert_safe(out)


def test_default_table_json() -> None:
    result = invoke("--json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert obj["schema"] == "ldncalc.dose-table/2"
    assert obj["preparation"] == {
        "tablets": 1,
        "strength_mg": 50,
        "water_ml": 50,
        "concentration_mg_per_ml": 1,
    }
    assert [d["dose_mg"] for d in obj["doses"]] == [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]
    assert all(set(d) == DOSE_KEYS for d in obj["doses"])
    # 3.5 mL and 4.5 mL fall between the 0.2 mL marks of the 5 mL syringe.
    assert [w["code"] for w in obj["warnings"]] == ["mark-changes-dose", "mark-changes-dose"]


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
    result = invoke("dose", "1mg", "--water", "10mL", "--syringe", "1mL:0.01mL")
    assert result.exit_code == 0, result.output
    assert "Preparation: 1 x 50 mg tablet in 10 mL = 5 mg/mL" in result.stdout
    assert "Volume:      0.2 mL\n" in result.stdout
    assert "Syringe:     1 mL (0.01 mL marks)\n" in result.stdout


def test_a_dose_the_stock_cannot_be_drawn_well_at_is_diluted() -> None:
    # 0.5 mg at 5 mg/mL is 0.1 mL, which oral syringes measure badly: dilute ten times.
    result = invoke("dose", "0.5mg", "--water", "10mL", "--syringe", "1mL:0.01mL")
    assert result.exit_code == 0, result.output
    out = one_line(result.stdout)
    assert (
        "Dilution 1: take 1 mL of the shaken stock (5 mg/mL) with the 1 mL (0.01 mL marks) "
        "syringe, add 9 mL of water (9 x 1 mL, with the 1 mL (0.01 mL marks) syringe), shake: "
        "10 mL at 0.5 mg/mL"
    ) in out
    assert "Volume: 1 mL of the dilution (0.5 mg/mL)" in out
    assert "Delivers: 0.5 mg " in out
    assert_safe(result.stdout)


def test_a_bare_number_is_read_as_mg_and_the_output_says_so() -> None:
    result = invoke("dose", "4.5")
    assert result.exit_code == 0, result.output
    assert "Dose:        4.5 mg" in result.stdout
    assert "Warning: 4.5 was read as 4.5 mg" in one_line(result.stdout)


def test_a_microgram_dose_that_is_a_usual_mg_dose_asks_which_was_meant() -> None:
    for args in (["4.5 mcg"], ["4.5 mcg", "--water", "1000mL"]):
        result = invoke("dose", *args)
        assert result.exit_code == 0, result.output
        assert "Warning: 4.5 mcg is a thousandth of the usual dose: did you mean 4.5 mg?" in (
            one_line(result.stdout)
        )


def test_concentration_states_the_preparation_and_the_water_is_worked_out() -> None:
    result = invoke("dose", "1mg", "--concentration", "5mg/mL")
    assert result.exit_code == 0, result.output
    assert "Preparation: 1 x 50 mg tablet in 10 mL = 5 mg/mL" in result.stdout
    assert "Volume:      0.2 mL" in result.stdout
    obj = json.loads(invoke("dose", "1mg", "--concentration", "5mg/mL", "--json").stdout)
    assert obj["preparation"]["water_ml"] == 10
    # 2 tablets at 3 mg/mL: 100/3 mL, on no syringe mark, rounded to the 0.2 mL marks:
    # 33.4 mL, and 100/33.4 = 500/167 mg/mL, to twelve digits; a warning says so.
    result = invoke("dose", "1mg", "-t", "2", "--concentration", "3mg/mL", "--json")
    obj = json.loads(result.stdout)
    assert obj["preparation"]["water_ml"] == 33.4
    assert obj["preparation"]["concentration_mg_per_ml"] == 2.99401197605
    assert obj["warnings"][0]["message"] == (
        "3 mg/mL needs ≈33.33 mL of water, which no syringe mark measures: "
        "33.4 mL gives ≈2.994 mg/mL (≈-0.2%)"
    )


def test_a_dose_that_needs_several_fills_names_them() -> None:
    result = invoke("dose", "4.5mg", "--syringe", "0.5mL:0.01mL")
    assert result.exit_code == 0, result.output
    out = result.stdout
    # 4.5 mL is exactly nine full 0.5 mL syringes: never "8 x 0.5 mL + 0.5 mL".
    assert "Draw to:     9 x 0.5 mL\n" in out
    assert "+ 0.5 mL" not in out
    assert "After 8 full syringe(s), the last fill:" in out
    assert "it takes 9 fills" in one_line(out)
    partial = invoke("dose", "4.5mg", "--water", "250mL")  # 22.5 mL: 22.6 on 10 mL, 3 fills
    assert "Draw to:     2 x 10 mL + 2.6 mL\n" in partial.stdout
    assert_safe(out + partial.stdout)


def test_dose_json_is_one_object_with_exact_numbers() -> None:
    result = invoke("dose", "4500mcg", "--json")
    assert result.exit_code == 0
    obj = json.loads(result.stdout)
    assert set(obj) == {
        "schema",
        "preparation",
        *DOSE_KEYS,
        "liquid",
        "concentration_mg_per_ml",
        "warnings",
        "disclaimer",
    }
    assert obj["schema"] == "ldncalc.dose/3"
    # The volume is of the stock itself, 1 tablet of 50 mg in 50 mL.
    assert (obj["liquid"], obj["concentration_mg_per_ml"]) == ("stock", 1)
    assert obj["preparation"] == {
        "tablets": 1,
        "strength_mg": 50,
        "water_ml": 50,
        "concentration_mg_per_ml": 1,
    }
    assert obj["dose_mg"] == 4.5
    assert obj["volume_ml"] == 4.5
    assert obj["measured_volume_ml"] == 4.6
    assert obj["syringe_ml"] == 5
    assert obj["graduation_ml"] == 0.2
    assert obj["fills"] == 1
    assert obj["delivered_dose_mg"] == 4.6
    assert obj["error_percent"] == 2.22222222222  # (4.6 - 4.5) / 4.5 = 1/45
    assert obj["disclaimer"] == DISCLAIMER
    # 4.6 mL of 1 tablet in 50 mL (water within 0.5 mL: 5 fills of the 10 mL syringe, half
    # a 0.2 mL mark each), tablets 90% to 110%: 4.5 x 45 / 50.5 to 4.7 x 55 / 49.5 mg.
    assert obj["water_error_ml"] == 0.5
    assert obj["water_measure"] == {"syringe_ml": 10, "graduation_ml": 0.2, "fills": 5}
    assert obj["draw_error_ml"] == 0.1
    assert obj["assay"] == {"low": 0.9, "high": 1.1}
    assert obj["range_mg"] == {"low": 4, "high": 5.3}  # 4.0099 and 5.2222, rounded outward
    assert obj["range_percent"] == 13.5265700483  # (5.2222 - 4.6) / 4.6
    assert obj["dilution"] == []
    [warning] = obj["warnings"]
    assert set(warning) == {"code", "message"}
    assert warning["code"] == "mark-changes-dose"
    assert "4.6 mL" in warning["message"]
    assert '"volume_ml":4.5,' in result.stdout


def test_json_concentration_that_never_ends_has_twelve_digits() -> None:
    result = invoke("dose", "1mg", "--water", "14mL", "--strength", "15mg", "--json")
    assert result.exit_code == 0
    assert '"concentration_mg_per_ml":1.07142857143,' in result.stdout


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
    assert set(obj) == {"schema", "searched", "candidates", "warnings", "disclaimer"}
    assert obj["schema"] == "ldncalc.mix/3"
    assert obj["searched"] == 3 * 246
    best = obj["candidates"][0]
    assert set(best) == {
        "preparation",
        "exact",
        "worst_error_percent",
        "worst_range_percent",
        "worst_reading_error_percent",
        "doses",
    }
    # 150 mg in 33 mL (50/11 mg/mL, a decimal that never ends: its fraction is given too).
    assert best["preparation"] == {
        "tablets": 3,
        "strength_mg": 50,
        "water_ml": 33,
        "concentration_mg_per_ml": 4.54545454545,
        "concentration_exact": "50/11",
    }
    assert all(set(d) == DOSE_KEYS | {"warnings"} for d in best["doses"])  # each its own
    assert [d["dose_mg"] for d in best["doses"]] == [1, 2, 3, 4, 4.5]
    assert best["exact"] is True
    # Exact: every dose is drawn to its own volume, which is on a mark.
    for d in best["doses"]:
        assert d["measured_volume_ml"] == d["volume_ml"]
        assert d["delivered_dose_mg"] == d["dose_mg"]
        assert d["error_percent"] == 0
    # 1 mg is 0.22 mL on the 0.01 mL marks: half a mark is 1/44 of it. With the water
    # (33 mL: 4 fills of the 10 mL syringe, within 0.4 mL) it may be 0.225/0.22 x 33/32.6.
    assert best["worst_reading_error_percent"] == 2.27272727273
    assert best["worst_error_percent"] == 3.52760736196
    assert obj["warnings"] == []


def test_mix_with_fixed_tablets() -> None:
    result = invoke("mix", "--tablets", "2", "--json")
    assert result.exit_code == 0
    candidates = json.loads(result.stdout)["candidates"]
    assert candidates
    assert {c["preparation"]["tablets"] for c in candidates} == {2}


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
        (["dose", "0.0009mg"], 1, "0.9 mcg is an ultra-low dose (below 1 mcg)"),
        (["dose", "0.000001mg"], 1, "a compounding pharmacy makes those"),
        (["dose", "-\x1b[31m"], 2, "No such option: -\\x1b"),
        (["dose", "1mg", "-\x1b[31m"], 2, "No such option: -\\x1b"),
        (["dose", "1mg", "--water", "0.1mL"], 1, "solubility"),
        (["dose", "1mg", "--tablets", "0"], 2, "1 to 10"),
        (["dose", "1mg", "--tablets", "11"], 2, "1 to 10"),
        (["dose", "1mg", "--tablets", "x"], 2, "--tablets takes a whole number such as 2"),
        (["dose", "1mg", "--strength", "50mL"], 2, "is a volume"),
        (["dose", "1mg", "--strength", "500mg"], 2, "at most 100 mg"),
        (["dose", "1mg", "--water", "2L"], 2, "at most 1000 mL"),
        (["dose", "1mg", "--water", "1 cup"], 2, "household measures"),
        (["dose", "1mg", "--syringe", "5mL:0.3mL"], 2, "whole number of marks"),
        (["dose", "1mg", "--syringe", "7mL"], 2, "give its marks too"),
        (["dose", "1mg", "--water", "50mL", "--concentration", "1mg/mL"], 2, "not both"),
        (["dose"], 2, "Missing argument 'DOSE'"),
        # dose reads unknown options as text (so that "-1 mg" is a dose): named, refused.
        (["dose", "1mg", "--bogus"], 2, "No such option: --bogus"),
        (["mix", "--bogus"], 2, "No such option: --bogus"),
        (["nosuch"], 2, "No such command"),
        (["mix", "--from", "5mg", "--to", "1mg"], 2, "starts above its end"),
        (["mix", "--step", "0mg"], 2, "zero"),
        (["mix", "--tablets", "0"], 2, "1 to 10"),
        (["mix", "--top", "0"], 2, "1 to 50"),
        (["mix", "--top", "51"], 2, "1 to 50"),
        (["mix", "--top", "two"], 2, "--top takes a whole number such as 2, not 'two'"),
    ],
)
def test_errors_are_one_line_with_an_exit_code(args: list[str], code: int, fragment: str) -> None:
    result = invoke(*args)
    assert result.exit_code == code, result.output
    line = error_of(result)
    assert fragment in line
    assert "\x1b" not in result.stderr  # control characters are shown escaped


# Issue 11, "Messages a person understands": each is one line that names the
# real problem and what to type instead.
@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (["dose", "-1 mg"], 2, ["'-1 mg' is negative"]),
        (["dose", "-1mg"], 2, ["'-1mg' is negative"]),
        (["dose", "1/2 mg"], 2, ["write the amount as a decimal number (0.5, not 1/2"]),
        (["dose", "4½ mg"], 2, ["'4½ mg'", "decimal number (0.5"]),
        (["dose", "0x10 mg"], 2, ["'0x10 mg' is not a number"]),
        (["dose", "1mg", "--water", "4,5mL"], 2, ["write 4.5 mL, not 4,5 mL"]),
        (["dose", "1mg", "--syringe", "foo"], 2, ["'foo' is not a syringe", "e.g. 5mL:0.1mL"]),
        (["dose", "1mg", "--tablets", "1.5"], 2, ["--tablets takes a whole number", "'1.5'"]),
        (["dose", "1mg", "--tablets", "\uff14"], 2, ["--tablets takes a whole number"]),
        (["mix", "--tablets", "\u0664"], 2, ["--tablets takes a whole number"]),
        (["dose", "450mg"], 1, ["more than the whole preparation holds", "did you mean 4.5 mg?"]),
        (["dose", "1mg", "--water", "5mg/mL"], 2, ["'5mg/mL' is a concentration", "in mL"]),
        (
            ["dose", "1mg", "--syringe", "3mL:0.6mL"],
            1,
            ["the nearest mark (1.2 mL", "changes 1 mg by +20%, more than 10%"],
        ),
        (
            ["schedule", "--start-date", "9999-12-01"],
            2,
            ["from 9999-12-01 would run past the calendar", "choose an earlier start date"],
        ),
    ],
)
def test_messages_a_person_understands(args: list[str], code: int, fragments: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == code, result.output
    line = error_of(result)
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    assert "internal error" not in line
    assert "is not a valid" not in line  # typer's wording for a bad int
    assert "is not a unit" not in line


def test_errors_are_json_on_stderr_under_json() -> None:
    usage = invoke("dose", "banana", "--json")
    assert usage.exit_code == 2
    assert usage.stdout == ""
    assert json.loads(usage.stderr) == {
        "error": {
            "code": "amount-unreadable",
            "message": "'banana' does not start with a number; "
            "expected a dose in mg or mcg (for example 4.5 mg)",
        }
    }
    refused = invoke("dose", "60mg", "--json")
    assert refused.exit_code == 1
    error = json.loads(refused.stderr)["error"]
    assert error["code"] == "more-than-bottle"
    assert "more than the whole preparation holds" in error["message"]
    parser = invoke("dose", "--json")
    assert parser.exit_code == 2
    assert json.loads(parser.stderr)["error"]["code"] == "usage"
    assert len(parser.stderr.splitlines()) == 1


def test_hints_are_added_by_the_cli_from_the_error_code() -> None:
    line = error_of(invoke("dose", "1mg", "--syringe", "3mL:0.6mL"))
    assert "; or run 'ldncalc mix' for a preparation that puts it" in line
    # The library's own message names no command or option.
    with pytest.raises(RefusedError) as info:
        ldncalc.dose.preparation.plan_dose("1 mg", syringe=parse_syringe("3:0.6"))
    assert info.value.code == "mark-too-coarse"
    assert "ldncalc mix" not in str(info.value)


@pytest.fixture
def raising(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Make the library's plan_dose raise the exception put in the list."""
    raised: list[BaseException] = []

    def plan_dose(*args: object, **kwargs: object) -> None:
        raise raised[0]

    monkeypatch.setattr(ldncalc.dose.preparation, "plan_dose", plan_dose)
    return raised


@pytest.mark.parametrize("interruption", [KeyboardInterrupt(), EOFError(), typer.Abort()])
def test_an_interrupted_command_says_so_in_one_line(
    raising: list[BaseException], interruption: BaseException
) -> None:
    raising.append(interruption)
    result = invoke("dose", "4.5mg")
    assert result.exit_code == 1
    assert error_of(result) == "Error: interrupted; nothing more was done"


def test_an_exit_code_outside_0_1_2_is_reported_as_an_interruption(
    raising: list[BaseException],
) -> None:
    raising.append(typer.Exit(130))  # what a shell reports after ^C
    result = invoke("dose", "4.5mg")
    assert result.exit_code == 1
    assert error_of(result) == "Error: interrupted; nothing more was done"


def test_an_unexpected_exception_is_one_line_without_a_traceback(
    raising: list[BaseException],
) -> None:
    raising.append(ZeroDivisionError("boom"))
    result = invoke("dose", "4.5mg")
    assert result.exit_code == 1
    assert error_of(result) == (
        "Error: unexpected internal error (ZeroDivisionError: boom); please report it"
    )
    as_json = invoke("dose", "4.5mg", "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stderr)["error"]["code"] == "internal"


def test_an_os_error_in_a_command_is_one_line(raising: list[BaseException]) -> None:
    raising.append(OSError(28, "No space left on device"))
    result = invoke("dose", "4.5mg")
    assert result.exit_code == 1
    assert error_of(result) == "Error: cannot write the output: No space left on device"


LONG = "1" * 100_000


@pytest.mark.parametrize(
    "args",
    [
        ["dose", LONG + "mg"],
        ["dose", "x" * 100_000],
        ["dose", "1mg", "--water", LONG],
        ["dose", "1mg", "--syringe", LONG],
        ["dose", "1mg", "--tablets", LONG],
        ["dose", "1mg", LONG],
        ["schedule", "--start-date", LONG],
        ["schedule", "--tablet-price", LONG],
        ["protocols", "a" * 100_000],
        [LONG],
    ],
)
def test_a_huge_argument_is_cut_in_the_error_line(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output[:300]
    line = error_of(result)
    # What was typed is cut wherever it is echoed (long runs to 200 characters, and
    # the parser's own cut at 64); ldncalc's own words (the hint, the list of
    # protocols) stay whole.
    assert max(len(word) for word in line.split()) <= 200 + len("...'")
    assert len(line) < 700


@pytest.mark.parametrize("command", [[], ["dose"], ["mix"], ["protocols"], ["schedule"]])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example: ldncalc" in result.stdout
    assert result.stderr == ""


def test_the_top_level_json_does_what_its_help_says() -> None:
    # A trial found `ldncalc --json dose 4.5mg` printing text under a help that
    # promised "one JSON object": the option before a command shapes errors only.
    shown = invoke("--help").stdout
    said = " ".join(shown.split("  --json", 1)[1].split("  --install-completion")[0].split())
    assert said == (
        "With no command: print the table as one JSON object. Before a command: only its "
        "errors are JSON (on stderr); give the command its own --json."
    )
    alone = invoke("--json")
    assert json.loads(alone.stdout)["doses"]
    before = invoke("--json", "dose", "4.5mg")
    assert before.exit_code == 0
    assert before.stdout.startswith("Preparation: 1 x 50 mg")  # the command's own: text
    failed = invoke("--json", "dose", "4,5mg")
    assert failed.exit_code == 2
    assert json.loads(failed.stderr)["error"]["code"] == "decimal-comma"


def test_an_assay_beside_the_label_gives_its_range() -> None:
    # A trial's `dose 1mg --assay 95%` failed with "a range runs from low through
    # nominal to high": tablets at 95% deliver 0.935 to 0.965 mg (tests/test_accuracy.py).
    result = invoke("dose", "1mg", "--assay", "95%")
    assert result.exit_code == 0, result.stderr
    assert (
        " ".join(result.stdout.split()).count(
            "Could be: 0.935 to 0.965 mg (up to 6.5% off: tablets 95% of their label,"
        )
        == 1
    )


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"ldncalc {__version__}\n"


WHOLE_TOKENS = {
    (): ["0.5 mg", "4.5 mg", "4.6 mL", "3.6 mg", "0.5 mL", "1 mg/mL", "4 to 5.3 mg"],
    ("dose", "4.5mg", "--explain"): ["4.5 mg", "4.5 mL", "4.6 mL", "4.6 mg", "1 mg/mL"],
    ("mix",): ["0.5 mg/mL", "0.625 mg/mL", "100 mL", "240 mL", "up to 3.6%", "9 mL"],
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


# --- The real process: python -m ldncalc, its streams and its exit code -----------------

LDNCALC = [sys.executable, "-m", "ldncalc"]
SCHEDULE = ["schedule", "--start-date", "2027-01-04"]
# Stacked rows at 40 columns and a ten-year hold: far more than a pipe holds.
LONG_SCHEDULE = [*SCHEDULE, "--hold", "520w", "--keep", "1d"]


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [*LDNCALC, "dose", "1mg", "--json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["volume_ml"] == 1


@pytest.mark.parametrize(
    "args",
    [
        ["dose", "4.5mg"],
        ["dose", "4.5mg", "--json"],
        LONG_SCHEDULE,
        [*LONG_SCHEDULE, "--format", "csv"],
    ],
)
def test_a_reader_that_goes_away_ends_quietly(args: list[str]) -> None:
    # ldncalc ... | head -1: the rest of the output has nowhere to go.
    process = subprocess.Popen(
        [*LDNCALC, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "40"},
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""


@pytest.mark.parametrize(
    "args", [["dose", "4.5mg"], SCHEDULE, [*SCHEDULE, "--format", "csv"], ["--version"]]
)
def test_a_reader_gone_before_the_first_line_ends_quietly(args: list[str]) -> None:
    process = subprocess.Popen([*LDNCALC, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # before ldncalc writes anything: its first write fails
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert err == b""


@pytest.mark.parametrize(
    "args", [["dose", "4.5mg"], LONG_SCHEDULE, [*LONG_SCHEDULE, "--format", "csv"]]
)
def test_piped_into_head_ends_0(args: list[str]) -> None:
    script = '"$@" | head -1; echo "status=${PIPESTATUS[0]}"'
    done = subprocess.run(
        ["bash", "-c", script, "bash", *LDNCALC, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "40"},
    )
    first, status = done.stdout.splitlines()
    assert first
    assert status == "status=0"
    assert done.stderr == ""


def output_error(args: list[str], stderr: str) -> str:
    """Return the message of the one error a process printed (a JSON object under --json)."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    if "--json" in args:
        error = json.loads(lines[0])["error"]
        assert error["code"] == "output"
        message: str = error["message"]
        return message
    assert lines[0].startswith("Error: "), lines[0]
    return lines[0].removeprefix("Error: ")


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["dose", "4.5mg"],
        ["dose", "4.5mg", "--json"],
        SCHEDULE,
        [*SCHEDULE, "--format", "csv"],
    ],
)
def test_a_full_disk_is_one_error_line(args: list[str]) -> None:
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [*LDNCALC, *args], stdout=full, stderr=subprocess.PIPE, text=True, check=False
        )
    assert done.returncode == 1
    assert output_error(args, done.stderr) == "cannot write the output: No space left on device"


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["dose", "4.5mg"],
        ["dose", "4.5mg", "--json"],
        SCHEDULE,
        [*SCHEDULE, "--format", "csv"],
    ],
)
def test_a_closed_stdout_is_one_error_line(args: list[str]) -> None:
    # The shell's >&- starts ldncalc with file descriptor 1 closed.
    done = subprocess.run(
        ["sh", "-c", '"$@" >&-', "sh", *LDNCALC, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert output_error(args, done.stderr).startswith("cannot write the output: ")


def test_exact_fractions_reach_the_json() -> None:
    # 1 tablet in 30 mL: 5/3 mg/mL; 1 mg is 0.6 mL exactly.
    obj = json.loads(invoke("dose", "1mg", "--water", "30mL", "--json").stdout)
    assert Fraction(repr(obj["volume_ml"])) == Fraction(3, 5)
    assert obj["preparation"]["concentration_mg_per_ml"] == 1.66666666667


def test_a_dilution_read_too_coarsely_is_refused() -> None:
    # Diluting 0.5 mg so that an 8 mL draw holds it is exact on marks 1 mL apart,
    # but reading them to half a mark could put it about a fifth off.
    result = invoke("dose", "0.5mg", "--syringe", "10mL:1mL")
    assert result.exit_code == 1
    line = error_of(result)
    assert line.startswith("Error: no dilution of one or two stages puts 0.5 mg on a good mark")
    assert "up to 22% off, more than 10%; use syringes with finer marks" in line


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["dose", "-1mg", "--water", "5mL"], "'-1mg' is negative"),
        (["dose", "--water", "5mL", "-0.5", "mg"], None),
        (["dose", "-00000h"], "is zero"),
    ],
)
def test_a_negative_amount_is_read_and_refused(args: list[str], fragment: str | None) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    line = error_of(result)
    assert "Usage" not in result.stdout  # never taken for --help's -h
    if fragment is not None:
        assert fragment in line


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["dose", "1mg", "--tablets", "\uff14"], "--tablets takes a whole number such as 2"),
        (["mix", "--top", "\u0663"], "--top takes a whole number such as 2"),
        (["schedule", "--tablet-price", "\u0661.\u0662"], "(digits 0-9)"),
        (["schedule", "--tablet-price", "1_20"], "(digits 0-9)"),
        (["dose", "\uff14mg"], "does not start with a number"),
    ],
)
def test_one_digit_policy_everywhere(args: list[str], fragment: str) -> None:
    # Counts, prices and amounts alike take ASCII digits only (int() and Decimal()
    # would read fullwidth and Arabic-Indic digits, and underscores).
    result = invoke(*args)
    assert result.exit_code == 2
    assert fragment in error_of(result)


def test_a_nearest_mark_above_the_bottle_is_refused() -> None:
    # 50 mg in 49.9 mL: the whole bottle is 49.9 mL, whose nearest mark is 50 mL.
    result = invoke("dose", "50mg", "--water", "49.9mL")
    assert result.exit_code == 1
    assert "the nearest mark (50 mL) is more than the stock holds (49.9 mL)" in error_of(result)


@pytest.mark.parametrize(
    "args",
    [["dose", "4.5mg", "--json"], ["dose", "5mcg", "--json"], ["--json"], ["mix", "--json"]],
)
def test_json_is_one_compact_line_of_one_value(args: list[str]) -> None:
    # Compact, so that the json module writes it with its C encoder (docs/performance.md).
    result = invoke(*args)
    assert result.exit_code == 0
    text = result.stdout
    assert text.endswith("}\n")
    assert text.count("\n") == 1
    assert text == json.dumps(json.loads(text), separators=(",", ":")) + "\n"
