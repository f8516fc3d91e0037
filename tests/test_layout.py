"""The house's shape: three wings over a base, modules that do one job, arrows pointing down.

Issue 18: cli -> render -> diary -> plan -> dose -> base. A module is at most
700 lines and a command module at most 250 (the CLI parses, calls and renders;
the work is in the library). The core imports neither the CLI nor rich, and no
wing imports one above it. Issue 24: the package top holds the base only (the
CLI's own modules live under cli/), and no two modules import each other, even
through an import deferred into a function. Read from the source, so that a
new module is checked without being listed here.
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


def module_name(path: Path) -> str:
    """Return the dotted name of a module file (a package by its __init__)."""
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _for_type_checkers(tree: ast.Module) -> set[int]:
    """Return the ids of the nodes under ``if TYPE_CHECKING:`` (never run)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                hidden.update(id(n) for n in ast.walk(child))
    return hidden


def imports_run(path: Path, known: set[str]) -> set[str]:
    """Return the ldncalc modules that ``path`` imports when it runs."""
    name = module_name(path)
    return imports_in(path.read_text(encoding="utf-8"), name, path.name == "__init__.py", known)


def imports_in(source: str, name: str, is_package: bool, known: set[str]) -> set[str]:
    """Return the modules of ``known`` that the module ``name`` imports when it runs.

    At module level or deferred into a function alike (a deferred import
    still makes the two modules depend on each other); only what is under
    ``if TYPE_CHECKING:`` is left out. ``from ldncalc.diary import store``
    names the module ``ldncalc.diary.store``.
    """
    tree = ast.parse(source)
    hidden = _for_type_checkers(tree)
    package = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [base])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return (found & known) - {name}


def import_graph() -> dict[str, set[str]]:
    known = {module_name(p) for p in MODULES}
    return {module_name(p): imports_run(p, known) for p in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the import cycles of ``graph``: its strongly connected parts of two or more."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(name: str) -> None:  # Tarjan's algorithm
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in sorted(graph.get(name, ())):
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            part = [stack.pop()]
            while part[-1] != name:
                part.append(stack.pop())
            if len(part) > 1:
                found.append(sorted(part))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def test_the_cycle_finder_finds_a_cycle_and_a_deferred_import() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    known = {"p.a", "p.b", "p.c", "p.d", "p.e"}
    source = (
        "from typing import TYPE_CHECKING\n"
        "from p.b import x\n"
        "if TYPE_CHECKING:\n"
        "    from p.c import Y\n"
        "def f():\n"
        "    from p import d\n"
        "    from . import e\n"
    )
    # The type checkers' import is left out; the deferred ones count.
    assert imports_in(source, "p.a", False, known) == {"p.b", "p.d", "p.e"}
    graph = import_graph()
    assert "ldncalc.units" in graph["ldncalc.inputs"]  # deferred: read from the real source


def test_no_two_modules_import_each_other() -> None:
    """An import cycle, even one deferred into a function, is a job split in the wrong place."""
    assert cycles(import_graph()) == []


def test_the_package_top_holds_the_base_only() -> None:
    """The package top is the base (amounts, notation, dates, files, errors) and two doors.

    ``__init__`` is the library's public face and ``__main__`` the command's entry
    point; every other top-level module is the base, which imports nothing from
    a wing above it, nor a CLI framework or rich: the CLI's own modules live
    under cli/.
    """
    known = {module_name(p) for p in MODULES}
    doors = {"ldncalc", "ldncalc.__main__"}
    top = [p for p in MODULES if layer_of(p) == "base" and module_name(p) not in doors]
    assert SRC / "errors.py" in top  # the probe is live
    for path in top:
        source = path.read_text(encoding="utf-8")
        for name in imports_run(path, known) | set(imported(path)):
            assert layer_of_module(name) in (None, "base"), f"{path.relative_to(SRC)}: {name}"
            assert not name.startswith(("typer", "click", "rich")), f"{path.relative_to(SRC)}"
        assert "sys.exit" not in source, f"{path.relative_to(SRC)} exits: a CLI module"


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


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if module_name(p) not in ("ldncalc", "ldncalc.__main__")],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_arrows_point_down(path: Path) -> None:
    """cli -> render -> diary -> plan -> dose -> base, for imports that run and types alike."""
    own = LAYERS.index(layer_of(path))
    for name in imported(path):
        layer = layer_of_module(name)
        if layer is not None:
            assert LAYERS.index(layer) <= own, f"{path.relative_to(SRC)} imports {name}"


def test_renderers_import_no_cli() -> None:
    for path in (SRC / "render").glob("*.py"):
        assert not any(n.startswith(("ldncalc.cli", "typer")) for n in imported(path)), path


@pytest.mark.parametrize("path", sorted((SRC / "render").glob("*.py")), ids=lambda p: p.name)
def test_renderers_return_text_and_write_no_file(path: Path) -> None:
    """render lays out text or bytes; the CLI writes them (cli/_outputs.py, ldncalc.files)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name in imported(path):
        assert not name.startswith(("ldncalc.files", "ldncalc.atomic")), f"{path.name}: {name}"
    # A build tool run with `python -m` (schemagen) writes the files it generates
    # from its own _main; no command reaches it.
    tool = {
        id(n)
        for f in tree.body
        if isinstance(f, ast.FunctionDef) and f.name == "_main" and "__main__" in ast.unparse(tree)
        for n in ast.walk(f)
    }
    for node in ast.walk(tree):
        if id(node) in tool:
            continue
        if isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            assert called not in ("open", "os.open", "io.open"), f"{path.name}: {called}()"
            assert not called.endswith((".write_text", ".write_bytes")), f"{path.name}: {called}"


def _function_bodies(path: Path) -> dict[str, str]:
    """Return each module-level function of ``path`` by the text of its body (docstring aside)."""
    found: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            body = node.body
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            if body:
                args = ast.dump(node.args)
                found[args + ast.dump(ast.Module(body=body, type_ignores=[]))] = node.name
    return found


def test_a_helper_is_written_once() -> None:
    """No function is written again, word for word, in another module (issue 24: _number, _e)."""
    seen: dict[str, str] = {}
    again: list[str] = []
    for path in MODULES:
        for body, name in _function_bodies(path).items():
            where = f"{path.relative_to(SRC)}:{name}"
            if body in seen:
                again.append(f"{where} is {seen[body]}")
            seen.setdefault(body, where)
    assert again == []


def test_no_empty_type_checking_block() -> None:
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
                body = [n for n in node.body if not isinstance(n, ast.Pass)]
                assert body, f"{path.relative_to(SRC)}:{node.lineno}: an empty TYPE_CHECKING block"


def _names_used(path: Path) -> set[str]:
    """Return the names a module reads (through an import's alias too), attributes included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {
        a.asname: a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom)
        for a in n.names
        if a.asname
    }
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used |= {node.id, aliases.get(node.id, node.id)}
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
    return used


def test_no_dead_code() -> None:
    """Every module-level function and class is used by the code, the tests or the docs.

    Listing a name in ``__all__`` or importing it is not a use. Decorated
    functions (typer's commands) are used by their decorator.
    """
    root = SRC.parent.parent
    readers = [*MODULES, *(root / "tests").rglob("*.py"), *(root / "benchmarks").rglob("*.py")]
    used = set().union(*(_names_used(p) for p in readers))
    docs = " ".join(p.read_text(encoding="utf-8") for p in (root / "docs").glob("*.md"))
    unused = []
    for path in MODULES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef | ast.ClassDef) or node.decorator_list:
                continue
            if node.name.startswith("__") or node.name in used or f"{node.name}(" in docs:
                continue
            unused.append(f"{path.relative_to(SRC)}:{node.name}")
    assert unused == []


def test_the_export_document_has_one_home() -> None:
    """The store stores; exchange reads, checks and writes export documents (issue 24).

    No module reaches into exchange's or envelope's private names, and only
    exchange builds the document (its schema tag).
    """
    homes = ("ldncalc.diary.exchange", "ldncalc.diary.envelope")
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in homes:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert private == [], f"{path.relative_to(SRC)} imports {private}"
        if path != SRC / "diary" / "exchange.py":
            assert "EXPORT_SCHEMA" not in _names_used(path), path.relative_to(SRC)


def private_imports(source: str) -> list[str]:
    """Return the private names ``source`` imports from ldncalc's modules (``module.name``)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        module = node.module or ""
        if node.level == 0 and module.split(".")[0] != "ldncalc":
            continue  # another package's: its own business
        for alias in node.names:
            name = alias.name
            if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
                found.append(f"{'.' * node.level}{module}.{name}")
    return found


def test_the_private_import_finder_finds_each_form() -> None:
    source = (
        "from ldncalc.diary.failures import BUSY_TIMEOUT_S, _fetch\n"
        "from ldncalc.notation import escape_html as _e\n"  # a public name, kept short
        "from .sqlitefile import _describe\n"
        "from ldncalc import __version__\n"
        "from os.path import _get_sep\n"
        "def f():\n"
        "    from ldncalc.atomic import (\n"
        "        sync_folder,\n"
        "        _temporary_name,\n"
        "    )\n"
    )
    assert sorted(private_imports(source)) == [
        ".sqlitefile._describe",
        "ldncalc.atomic._temporary_name",
        "ldncalc.diary.failures._fetch",
    ]


def test_no_module_imports_another_modules_private_names() -> None:
    """A name that crosses modules is public: a leading underscore means "this module's own"."""
    found = [
        f"{path.relative_to(SRC)}: {name}"
        for path in MODULES
        for name in private_imports(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_only_the_store_opens_sqlite() -> None:
    """One door to the diary: only the store's modules import sqlite3."""
    store = {"diary/store.py", "diary/sqlitefile.py", "diary/failures.py", "diary/schemacheck.py"}
    for path in MODULES:
        if "sqlite3" in imported(path):
            assert path.relative_to(SRC).as_posix() in store, path.relative_to(SRC)


def test_the_architecture_page_names_every_module() -> None:
    """docs/architecture.md says each module's job: a new module needs its line there."""
    page = (SRC.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for path in MODULES:
        if path.name != "__init__.py":
            assert f"{path.name}`" in page, f"docs/architecture.md does not name {path.name}"
