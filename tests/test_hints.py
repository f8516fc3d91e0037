"""A command ldncalc asks you to run is printed on one line, whole.

Copied from two lines, a hint runs without its ``--profile`` or ``--data-dir``
and records for the wrong person (issue 23, section 6): the wrapping of plain
output never breaks a command, whatever the width.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.render.plain import paragraph_lines

WORDS = st.text(alphabet="abcdefghij", min_size=1, max_size=9)
OPTIONS = st.lists(
    st.sampled_from(
        ["--profile ana", "--data-dir /tmp/some/folder", "--date 2026-06-01", "--pgic N"]
    ),
    max_size=4,
)


@given(
    before=st.lists(WORDS, max_size=12),
    command=st.sampled_from(
        ["took", "mixed --dilution --stage 2", "note --pain N", "plan adjust resume"]
    ),
    options=OPTIONS,
    width=st.integers(20, 120),
)
def test_a_command_is_never_split_across_lines(
    before: list[str], command: str, options: list[str], width: int
) -> None:
    hint = " ".join(["ldncalc", command, *options])
    text = " ".join([*before, f"(record it with: {hint})", "and", "more", "words"])
    lines = paragraph_lines(text, width, hang=4)
    assert any(hint in line for line in lines), (hint, lines)
    assert " ".join(" ".join(lines).split()) == " ".join(text.split())  # nothing lost


@pytest.mark.parametrize("columns", ["40", "60", "80", "200"])
def test_todays_hints_for_a_carer_stand_whole_on_their_lines(tmp_path: Path, columns: str) -> None:
    folder = str(tmp_path / "ana's diary folder with a long name")
    common = ["--profile", "ana", "--data-dir", folder]

    def ldncalc(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "ldncalc", *args, *common],
            capture_output=True,
            text=True,
            env={"COLUMNS": columns, "NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    ldncalc("plan", "start", "ldnrt-weekly", "--start-date", "2026-06-01")
    out = ldncalc("today", "--date", "2026-06-01")
    hints = [m for line in out.splitlines() if (m := re.search(r"ldncalc (took|mixed) .*", line))]
    assert len(hints) >= 2, out  # took, and mixed
    for found in hints:
        command = line = found.group(0)
        assert re.search(r"--profile ana --data-dir ", command), line
        assert "with a long name'" in command, line  # the folder, quoted, whole
