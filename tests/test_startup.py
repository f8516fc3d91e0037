"""Start-up guards that do not depend on timing: what each entry point imports.

Speed itself is measured by benchmarks/startup.py, never by a timed test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import requires
from pathlib import Path

import pytest

HEAVY = {"pint", "rich", "icalendar", "tomllib", "markdown_it", "rich.markdown", "pydantic"}
# typer 0.29 and newer validate every parameter through pydantic when a command
# runs (it is typer's own dependency then): ldncalc cannot keep it out, only
# never import it itself (test_ldncalc_itself_never_imports_pydantic).
TYPER_NEEDS_PYDANTIC = any(
    r.split(";")[0].strip().lower().startswith("pydantic") for r in requires("typer") or []
)
OURS_TO_AVOID = set() if TYPER_NEEDS_PYDANTIC else {"pydantic"}
HEAVY -= {"pydantic"} - OURS_TO_AVOID


def modules_loaded_by(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """Run ldncalc's entry point with ``args`` in a fresh interpreter; return sys.modules."""
    code = (
        "import sys\n"
        "from ldncalc.__main__ import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('MODULES ' + ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


def test_version_imports_neither_the_cli_framework_nor_heavy_modules() -> None:
    loaded = modules_loaded_by("--version")
    assert "ldncalc._version" in loaded  # the probe is live
    assert not loaded & (HEAVY | {"typer", "typing", "re"})


@pytest.mark.parametrize("args", [["dose", "--help"], ["schedule", "--help"]])
def test_help_imports_no_pint_and_no_rich(args: list[str]) -> None:
    loaded = modules_loaded_by(*args)
    assert "typer" in loaded
    assert not loaded & HEAVY


@pytest.mark.parametrize("args", [["--help"], ["-h"]])
def test_the_top_help_imports_not_even_the_cli_framework(args: list[str]) -> None:
    # The app's own text, kept by ldncalc.cli._help (checked by test_parser_agreement).
    loaded = modules_loaded_by(*args, env={"COLUMNS": "100"})
    assert "ldncalc.cli._help" in loaded  # the probe is live
    assert not loaded & (HEAVY | {"typer", "click", "pydantic", "ldncalc.cli._main"})
    # A narrower terminal gets the help wrapped by the app itself.
    narrow = modules_loaded_by(*args, env={"COLUMNS": "60"})
    assert "typer" in narrow
    assert not narrow & HEAVY


def test_shell_completion_imports_no_pint_and_no_rich() -> None:
    env = {"_LDNCALC_COMPLETE": "complete_bash", "COMP_WORDS": "ldncalc do", "COMP_CWORD": "1"}
    loaded = modules_loaded_by(env=env)
    assert "typer" in loaded
    assert not loaded & HEAVY


def test_shell_completion_answers() -> None:
    env = {
        **os.environ,
        "_LDNCALC_COMPLETE": "complete_bash",
        "COMP_WORDS": "ldncalc sch",
        "COMP_CWORD": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "ldncalc"], capture_output=True, text=True, env=env, check=False
    )
    assert "schedule" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["4.5mg"],
        ["5mcg"],
        ["4.5 mg", "--water", "100mL", "--syringe", "5 mL"],
        ["1", "--concentration", "1 mg/mL"],
    ],
)
def test_dose_imports_neither_the_cli_framework_nor_pint_nor_rich(args: list[str]) -> None:
    loaded = modules_loaded_by("dose", *args)
    assert "ldncalc.data.spellings" in loaded  # the probe is live
    # Served without the CLI framework (ldncalc.cli.fast): not even typer's pydantic.
    assert not loaded & {"typer", "click", "pydantic", "pint", "rich", "icalendar", "tomllib"}
    # A dose needs no diary: neither its store nor sqlite3 (about 7 ms).
    assert not loaded & {"ldncalc.diary.store", "sqlite3"}


def test_a_rarer_unit_is_read_by_pint() -> None:
    assert "pint" in modules_loaded_by("dose", "4500 nanograms")


def test_dose_json_imports_no_rich() -> None:
    loaded = modules_loaded_by("dose", "4.5mg", "--json")
    assert "json" in loaded
    assert "rich" not in loaded


FRAMEWORK = {"typer", "click", "pydantic"}


def test_schedule_imports_no_icalendar_unless_asked() -> None:
    loaded = modules_loaded_by("schedule", "--start-date", "2027-01-04")
    assert {"rich", "tomllib", "ldncalc.cli.fast"} <= loaded
    # Served without the CLI framework (ldncalc.cli.fast): not even typer's pydantic.
    assert not loaded & ({"pint", "icalendar", "markdown_it"} | FRAMEWORK)
    # The protocols are read by the package's loader (pkgutil.get_data), not by
    # importlib.resources, which brings tempfile, shutil, random and zipfile.
    assert "ldncalc.plan.titration" in loaded
    assert not loaded & {"importlib.resources", "tempfile", "zipfile"}
    assert "icalendar" in modules_loaded_by("schedule", "--start-date", "2027-01-04", "--ics", "-")


def test_schedule_with_steps_of_its_own_imports_no_pint() -> None:
    args = ["--start", "1mg", "--step", "0.5 mg", "--every", "2w", "--hold", "8 weeks"]
    loaded = modules_loaded_by("schedule", "--start-date", "2027-01-04", *args)
    assert "ldncalc.data.spellings" in loaded  # the probe is live
    assert not loaded & ({"pint"} | FRAMEWORK)
    # Anything but the usual options goes to the CLI framework, which explains.
    assert "typer" in modules_loaded_by("schedule", "--format", "html")


@pytest.mark.parametrize("fmt", [[], ["--json"], ["--csv"], ["--chart"]])
def test_history_loads_neither_the_cli_framework_nor_pint_nor_rich(
    tmp_path: Path, fmt: list[str]
) -> None:
    env = {"LDNCALC_HOME": str(tmp_path)}
    for args in (["plan", "start", "--start-date", "2026-01-05"], ["took", "--date", "2026-01-06"]):
        subprocess.run(
            [sys.executable, "-m", "ldncalc", *args],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
    loaded = modules_loaded_by("history", *fmt, env=env)
    assert "ldncalc.render.diary" in loaded  # the probe is live
    assert not loaded & {"typer", "click", "pydantic", "pint", "rich", "icalendar"}, fmt
    assert "typer" in modules_loaded_by("history", "--bogus", env=env)


def _modules_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"import sys\n{code}\nprint(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(done.stdout.split())


def test_importing_the_library_loads_no_pint() -> None:
    # The eager part of the public API: the errors (and their code types), the
    # version and the disclaimer; typing only for type checkers.
    loaded = _modules_after("import ldncalc\nfrom ldncalc import ErrorCode, StoreReason")
    ours = {name for name in loaded if name.startswith("ldncalc")}
    assert ours == {"ldncalc", "ldncalc._version", "ldncalc.disclaimer", "ldncalc.errors"}
    assert not loaded & (HEAVY | {"typing", "re"})


def test_the_amount_type_loads_no_pint() -> None:
    loaded = _modules_after("import ldncalc\nldncalc.Amount")
    assert "ldncalc.inputs" in loaded  # the probe is live
    assert not loaded & HEAVY


@pytest.mark.parametrize(
    "fmt", [["--format", "csv"], ["--format", "json"], ["--json"], ["--format", "markdown"]]
)
def test_file_formats_import_no_rich(fmt: list[str]) -> None:
    loaded = modules_loaded_by("schedule", "--start-date", "2027-01-04", *fmt)
    assert "ldncalc.plan.titration" in loaded  # the probe is live
    assert "rich" not in loaded


def test_ldncalc_itself_never_imports_pydantic() -> None:
    import ast
    from pathlib import Path

    import ldncalc

    for path in Path(ldncalc.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] == "pydantic" for n in names), path


def test_the_cli_keeps_pints_optional_libraries_out(tmp_path: Path) -> None:
    # A stand-in numpy that leaves a mark when imported, first on the path.
    fake = tmp_path / "numpy"
    fake.mkdir()
    marker = tmp_path / "imported"
    # It leaves a mark, then fails as a missing numpy would, so pint runs without it.
    (fake / "__init__.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nraise ModuleNotFoundError('a stand-in')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    loaded = modules_loaded_by("dose", "4500 nanograms", env=env)
    assert "pint" in loaded
    assert not marker.exists()
    # The library, imported by a program of its own, leaves numpy to that program.
    done = subprocess.run(
        [sys.executable, "-c", "import ldncalc; ldncalc.parse_dose('4500 nanograms')"],
        env=env,
        check=True,
    )
    assert done.returncode == 0
    assert marker.exists()


def complete(words: str, shell: str = "bash") -> str:
    """Return what shell completion answers for the command line ``words``."""
    env = {
        **os.environ,
        "_LDNCALC_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        "_TYPER_COMPLETE_ARGS": words,
    }
    done = subprocess.run(
        [sys.executable, "-m", "ldncalc"], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def test_shell_completion_completes_protocol_ids_and_file_names() -> None:
    assert complete("ldncalc schedule ldnrt-s").split() == ["ldnrt-sensitive"]
    assert "ldnno-ms" in complete("ldncalc plan start ldnno").split()
    assert complete("ldncalc protocols lav").split() == ["lavender-sky"]
    # A file option asks the shell for file names (zsh's _files; bash falls back to them).
    assert complete("ldncalc schedule --html ", "zsh").strip() == "_files"
    assert complete("ldncalc report --markdown ", "zsh").strip() == "_files"


def test_today_loads_neither_the_cli_framework_nor_pint_nor_rich(tmp_path: Path) -> None:
    env = {"LDNCALC_HOME": str(tmp_path)}
    subprocess.run(
        [sys.executable, "-m", "ldncalc", "plan", "start", "--start-date", "2026-01-05"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    for args in (["today"], ["today", "--date", "2026-01-20", "--json"]):
        loaded = modules_loaded_by(*args, env=env)
        assert "ldncalc.diary.living" in loaded  # the probe is live
        assert not loaded & {"typer", "pint", "rich", "click", "pydantic"}, args
        # A day builds no class of the history's (their dataclasses cost at every start).
        assert "ldncalc.diary.history" not in loaded, args
        # Nor the recording side: the use cases, their rules and what they return.
        assert not loaded & {
            "ldncalc.diary.service",
            "ldncalc.diary.rules",
            "ldncalc.diary.outcomes",
        }, args
    # Anything but the usual options goes to the CLI framework, which explains.
    assert "typer" in modules_loaded_by("today", "--help", env=env)
    assert "typer" in modules_loaded_by("today", "--bogus", env=env)


def test_took_and_note_load_neither_the_cli_framework_nor_pint_nor_rich(tmp_path: Path) -> None:
    env = {"LDNCALC_HOME": str(tmp_path)}
    subprocess.run(
        [sys.executable, "-m", "ldncalc", "plan", "start", "--start-date", "2026-01-05"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    for args in (
        ["took", "--date", "2026-01-06"],
        ["took", "0.01mg", "--again", "--date", "2026-01-06"],
        ["note", "ok", "--pain", "3"],
    ):
        loaded = modules_loaded_by(*args, env=env)
        assert "ldncalc.cli._daily" in loaded  # the probe is live
        assert not loaded & {"typer", "pint", "rich", "click", "pydantic"}, args
        # Recording a dose or a note measures nothing: the dose library and the
        # protocols stay unloaded (the Diary imports them only to start a plan).
        assert not {m for m in loaded if m.startswith(("ldncalc.dose.", "ldncalc.plan."))}, args
    assert "typer" in modules_loaded_by("note", "--help", env=env)


def test_plain_output_finds_the_width_without_shutil() -> None:
    # shutil brings bz2, lzma and fnmatch; with no COLUMNS the width comes from the terminal.
    code = (
        "import sys\nfrom ldncalc.__main__ import main\nmain(['dose', '4.5mg'])\n"
        "print('shutil' in sys.modules, file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.startswith("Preparation:")  # the probe is live
    assert done.stderr.strip() == "False"
