"""The docs cannot drift: examples run, the reference is generated, every option is described."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
import typer.main

from ldncalc._reference import cli_reference
from ldncalc._version import __version__
from ldncalc.cli import app
from ldncalc.titration import protocols

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
COMMAND = typer.main.get_command(app)
COMMANDS = dict(COMMAND.commands)  # type: ignore[attr-defined]


def test_cli_reference_is_up_to_date() -> None:
    committed = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert committed == cli_reference(), (
        "docs/cli.md is stale: run python -m ldncalc._reference > docs/cli.md"
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_user_guide(name: str) -> None:
    guide = (DOCS / "guide.md").read_text(encoding="utf-8")
    assert f"ldncalc {name}" in guide


def all_options() -> list[tuple[str, str]]:
    found = [("ldncalc", opt) for p in COMMAND.params for opt in p.opts if opt.startswith("--")]
    for name, command in COMMANDS.items():
        found += [(name, opt) for p in command.params for opt in p.opts if opt.startswith("--")]
    return sorted(set(found))


@pytest.mark.parametrize(("command", "option"), all_options())
def test_every_option_is_in_the_user_guide(command: str, option: str) -> None:
    guide = (DOCS / "guide.md").read_text(encoding="utf-8")
    assert re.search(re.escape(option) + r"\b", guide), f"{command} {option} is not described"


@pytest.mark.parametrize("page", [DOCS / "library.md", ROOT / "README.md"])
def test_doc_examples_run(page: Path) -> None:
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 0
    assert result.failed == 0


def test_library_guide_has_examples() -> None:
    text = (DOCS / "library.md").read_text(encoding="utf-8")
    assert text.count(">>> ") >= 20


def test_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(blocks) >= 2
    install_and_run, install_and_test = blocks[0], blocks[1]
    assert install_and_run.endswith("ldncalc")
    assert "pytest" in install_and_test
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme.index(install_and_run) < 400  # the first thing a newcomer sees


def test_sources_cite_every_protocol() -> None:
    sources = (DOCS / "sources.md").read_text(encoding="utf-8")
    for p in protocols():
        assert p.id in sources
        assert p.source in sources


def test_changelog_names_the_current_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog


def test_every_doc_page_is_linked_from_the_index() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for page in DOCS.glob("*.md"):
        if page.name != "index.md":
            assert f"({page.name})" in index, page.name


def test_readme_example_is_the_real_output() -> None:
    from typer.testing import CliRunner

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ ldncalc (.+?)\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    args, shown = block.group(1).split(), block.group(2)
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert result.stdout == shown
