"""Shared pieces of the fuzz suite: the CLI runner, the invariants, the case counter."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from ldncalc.cli import app

# Fuzz cases per test. The whole suite runs well over 2,000 generated cases in
# every run (the count is printed at the end of the test session).
EXAMPLES = {
    "dose": 700,
    "dose_json": 500,
    "options": 300,
    "schedule": 350,
    "mix": 60,
    "protocols": 100,
}


@dataclass
class Counter:
    cases: int = 0


COUNTER = Counter()
runner = CliRunner()
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def invoke(*args: str, width: int = 80, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process and count the case."""
    COUNTER.cases += 1
    full_env = {"COLUMNS": str(width), "NO_COLOR": "1", **(env or {})}
    return runner.invoke(app, list(args), env=full_env)


def check_invariants(result: Result) -> None:
    """Never a traceback; exit 0, 1 or 2; a failure is exactly one Error: line and no stdout."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1, 2), result.exit_code
    if result.exit_code == 0:
        assert result.stderr == "" or result.stderr.startswith("Wrote "), result.stderr
    else:
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("Error: "), lines[0]
        assert "unexpected internal error" not in lines[0], lines[0]
        assert result.stdout == ""


# Numbers in every notation people (and keyboards) produce.
odd_numbers = st.sampled_from(
    [
        ".5",
        "5.",
        "0.5",
        "00.5",
        "4,5",
        "4,500",
        "4.500,0",
        "1 000",
        "1_000",
        "1e999",
        "1e-999",
        "1E3",
        "-0",
        "+0",
        "-0.0",
        "+4.5",
        "--4",
        "+-4",
        "4.5.5",
        "4.5e",
        "e5",
        "0x10",
        "½",
        "٤٫٥",
        "٤",
        "\uff14.\uff15",
        "४.५",
        "4\u00a05",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "∞",
        "4.5" * 20,
        "9" * 40,
        "0." + "0" * 30 + "1",
        "",
        "  ",
        "\t4.5",
        "4.5\n",
        "١٠",
    ]
)
numbers = st.one_of(
    odd_numbers,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=1e-6, max_value=1e4).map(lambda f: f"{f:.6g}"),
    st.decimals(min_value="0.001", max_value="60", places=3).map(str),
    st.integers(-(10**25), 10**25).map(str),
)
units = st.sampled_from(
    [
        "",
        "mg",
        "mcg",
        "ug",
        "µg",
        "μg",
        "g",
        "kg",
        "MG",
        "Mg",
        "mgs",
        "milligram",
        "milligrams",
        "micrograms",
        "mL",
        "ml",
        "L",
        "cc",
        "tsp",
        "teaspoon",
        "drops",
        "cup",
        "fl oz",
        "mgg",
        "mm",
        "m",
        "d",
        "days",
        "w",
        "weeks",
        "mg/mL",
        "%",
        "IU",
        "µ",
        "grain",
        "mg mg",
        "mg)",
        "(mg",
        "m g",
        "ｍｇ",
    ]
)
separators = st.sampled_from(["", " ", "  ", "\t"])
# Plausible doses, so that the success path is explored as hard as the refusals.
plausible = st.builds(
    lambda n, s, u: f"{n}{s}{u}",
    st.decimals(min_value="0.01", max_value="50", places=3).map(str),
    separators,
    st.sampled_from(["", "mg", "mcg", "ug", "µg", "g", "MG"]),
)
quantity_texts = st.one_of(
    plausible,
    plausible,
    st.builds(lambda n, s, u: f"{n}{s}{u}", numbers, separators, units),
    st.text(max_size=30),
    st.text(min_size=100, max_size=300),
)
