"""The house's shape: three wings over a base, modules that do one job, arrows pointing down.

Issue 18: cli -> render -> diary -> plan -> dose -> base. A module is at most
700 lines and a command module at most 250 (the CLI parses, calls and renders;
the work is in the library). The core imports neither the CLI nor rich, and no
wing imports one above it. Read from the source, so that a new module is
checked without being listed here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "ldncalc"
MODULES = sorted(p for p in SRC.rglob("*.py"))
# Where each part of the house is, from the bottom up; a module may import its
# own layer and those below it. The base is every top-level module.
LAYERS = ("base", "dose", "plan", "diary", "render", "cli")


def layer_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 and parts[0] in LAYERS else "base"


def layer_of_module(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "ldncalc":
        return None
    if len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return "base"


def imported(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return names


def test_the_three_wings_exist() -> None:
    for wing, modules in {
        "dose": {"preparation", "syringes", "accuracy", "dilution", "recommender"},
        "plan": {"titration", "supply"},
        "diary": {"entries", "codec", "replan", "status", "service", "store"},
    }.items():
        present = {p.stem for p in (SRC / wing).glob("*.py")}
        assert modules <= present, wing


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_a_module_does_one_job(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    most = 250 if layer_of(path) == "cli" else 700
    assert lines <= most, f"{path.relative_to(SRC)} has {lines} lines (at most {most})"


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if layer_of(p) in ("dose", "plan", "diary")],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_the_core_knows_no_terminal_and_imports_nothing_above_it(path: Path) -> None:
    own = LAYERS.index(layer_of(path))
    for name in imported(path):
        assert not name.startswith(("rich", "typer", "click")), name
        layer = layer_of_module(name)
        if layer is not None:
            assert LAYERS.index(layer) <= own, f"{path.relative_to(SRC)} imports {name}"


def test_renderers_import_no_cli() -> None:
    for path in (SRC / "render").glob("*.py"):
        assert not any(n.startswith(("ldncalc.cli", "typer")) for n in imported(path)), path
