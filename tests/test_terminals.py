"""Every table and line at widths 40 to 200, with and without colour, piped or on a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.fuzzing import ANSI, cli
from tests.safe_notation import assert_safe

DATE = ["--start-date", "2027-01-04"]
COMMANDS = {
    "table": ([], ["0.5 mg", "4.5 mg", "4.6 mL", "3.6 mg", "(0.01 mL marks)", "4 to 5.3 mg"]),
    "dose": (["dose", "4.5mg", "--explain"], ["4.5 mg", "4.5 mL", "4.6 mL", "4.6 mg"]),
    "mix": (["mix"], ["0.5 mg/mL", "0.625 mg/mL", "100 mL", "up to 3.6%", "(0.2 mL marks)"]),
    "schedule": (["schedule", *DATE], ["2027-01-04", "2027-03-28", "4.6 mL", "41.4 mL"]),
    "protocol": (["protocols", "ldnno-ms"], ["1.5 mg", "28 days", "4.5 mg"]),
}
# A terminal is simulated by forcing rich to treat the output as one.
MODES: dict[str, dict[str, str | None]] = {
    "piped": {"NO_COLOR": "1"},
    "colour terminal": {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"},
    "NO_COLOR terminal": {"FORCE_COLOR": "1", "NO_COLOR": "1"},
    "dumb terminal": {"FORCE_COLOR": "1", "TERM": "dumb"},
}
COLOUR = r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7]|38;)"


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("width", [40, 60, 80, 200])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_nothing_is_cut_at_any_width_in_any_mode(name: str, width: int, mode: str) -> None:
    args, tokens = COMMANDS[name]
    env = {"NO_COLOR": None, **MODES[mode]}  # the runner sets NO_COLOR unless told not to
    result = cli(*args, width=width, env=env)
    assert result.exit_code == 0, result.output
    text = ANSI.sub("", result.stdout)
    assert "…" not in text
    assert_safe(text)
    for token in tokens:
        assert token in text, (name, width, mode, token)
    if mode == "colour terminal" and name != "dose" and width == 200:  # a table is drawn
        assert "\x1b[" in result.stdout  # the terminal is really simulated
    if mode != "colour terminal":
        assert re.search(COLOUR, result.stdout) is None, (mode, result.stdout[:200])


def test_piped_output_has_no_escape_codes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ldncalc", "schedule", *DATE],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")},
        check=True,
    )
    assert "\x1b" not in done.stdout
    assert "Steps" in done.stdout
