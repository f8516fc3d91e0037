"""A caller's mypy --strict sees the public API whole: misspelled names and floats are caught.

Each test runs mypy on a snippet (or on docs/library.md's examples), as an
embedding developer would.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _mypy(tmp_path: Path, code: str) -> tuple[int, str]:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(snippet),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def test_a_misspelled_name_fails_the_callers_mypy(tmp_path: Path) -> None:
    code, out = _mypy(tmp_path, "from ldncalc import plan_dosee\n")
    assert code == 1, out
    assert 'Module "ldncalc" has no attribute "plan_dosee"' in out


def test_a_misspelled_attribute_and_a_float_fail_the_callers_mypy(tmp_path: Path) -> None:
    code, out = _mypy(
        tmp_path,
        "import ldncalc\n"
        "ldncalc.plan_dosee('1 mg')\n"
        "ldncalc.plan_dose(1.5)\n"
        "ldncalc.Diary.open().adjust('sideways')\n",
    )
    assert code == 1, out
    assert 'Module has no attribute "plan_dosee"' in out
    assert 'Argument 1 to "plan_dose" has incompatible type "float"' in out
    assert 'Argument 1 to "adjust" of "Diary" has incompatible type' in out


def test_what_the_diary_returns_is_exported_and_typed(tmp_path: Path) -> None:
    code, out = _mypy(
        tmp_path,
        "from datetime import date\n"
        "from ldncalc import (CurrentPlan, Diary, DiaryWarning, ExportDocument, History,\n"
        "    Recorded, Report, Today, Took, WarningCode, format_dose)\n"
        "diary = Diary.open('x', clock=lambda: date(2026, 1, 9))\n"
        "recorded: Recorded = diary.took()\n"
        "payload = recorded.entry.payload\n"
        "if isinstance(payload, Took) and payload.dose_mg is not None:\n"
        "    print(format_dose(payload.dose_mg))\n"
        "warnings: tuple[DiaryWarning, ...] = recorded.warnings\n"
        "codes: list[WarningCode] = [w.code for w in warnings]\n"
        "today: Today = diary.today()\n"
        "report: Report = diary.report()\n"
        "history: History = diary.history()\n"
        "plan: CurrentPlan = diary.plan()\n"
        "document: ExportDocument = diary.export()\n"
        "uids: list[str] = [e['uid'] for e in document['entries']]\n",
    )
    assert code == 0, out


def _examples(text: str) -> str:
    """Return the Python of every ```python block (doctest prompts stripped, output dropped)."""
    lines: list[str] = []
    for block in re.findall(r"```python\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            if line.startswith((">>> ", "... ")):
                lines.append(line[4:])
            elif line in (">>>", "..."):
                lines.append("")
    return "\n".join(lines) + "\n"


def test_the_library_guide_passes_mypy_strict(tmp_path: Path) -> None:
    code = _examples((ROOT / "docs" / "library.md").read_text(encoding="utf-8"))
    assert "Diary.open" in code  # the blocks were found
    status, out = _mypy(tmp_path, code)
    assert status == 0, out
