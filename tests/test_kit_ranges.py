"""The guide's table of measuring ranges per dose is the script's output, and true (issue 26).

benchmarks/measuring_ranges.py prints the table; docs/guide.md shows it. The
table must be the script's output (so it cannot drift), and each range the
script prints must be the range formula's (the independent oracle of
tests/test_kit.py), within the two decimal places shown.
"""

from __future__ import annotations

import importlib.util
import re
from fractions import Fraction as F
from pathlib import Path
from types import ModuleType

import pytest

from ldncalc.dose.preparation import make_preparation, plan_dose
from tests.test_kit import range_percent_oracle

ROOT = Path(__file__).resolve().parent.parent


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "measuring_ranges", ROOT / "benchmarks" / "measuring_ranges.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_guides_table_is_the_scripts_output() -> None:
    made = script().table()
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    start = guide.index(made.splitlines()[0])
    assert guide[start : start + len(made)] == made, "run python benchmarks/measuring_ranges.py"


def test_the_table_has_a_row_for_each_dose_of_the_issue() -> None:
    rows = script().table().splitlines()[2:]
    doses = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    assert doses == ["10 mcg", "0.1 mg", "0.5 mg", "1 mg", "1.5 mg", "3 mg", "4.5 mg"]


@pytest.mark.parametrize("column", [0, 1, 2])
def test_each_range_shown_is_the_range_formulas(column: int) -> None:
    module = script()
    _, kit = module.MEASURES[column]
    for dose in module.DOSES_MG:
        shown = module.cell(dose, kit)
        found = re.match(r"(\d+(?:\.\d+)?)% \(", shown)
        assert found is not None, shown
        plan = plan_dose(dose, make_preparation(), assay=module.EXACT, kit=kit)
        assert abs(F(found.group(1)) - range_percent_oracle(plan)) <= F(1, 200), (dose, shown)
        assert ("diluted" in shown) == bool(plan.dilution)
