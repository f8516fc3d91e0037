"""The docs cannot drift: examples run, the reference is generated, every option is described."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from ldncalc._version import __version__
from ldncalc.cli import app
from ldncalc.cli._reference import cli_reference, command_paths, help_text, typer_version
from ldncalc.plan.titration import protocols

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PATHS = command_paths()
# Options every command has, or that only drive the shell: not the guide's business.
GENERIC = {"--help", "--install-completion", "--show-completion"}


def options_of(*path: str) -> list[str]:
    """Return the long options that ``ldncalc PATH --help`` lists."""
    section = help_text(*path).split("Options:", 1)[1].split("Commands:", 1)[0]
    return sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", section)) - GENERIC)


def guide_chapters() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Return the user guide's chapters (##): heading, intro, and sections (###) in order."""
    guide = (DOCS / "guide.md").read_text(encoding="utf-8")
    chapters = []
    for part in re.split(r"^## ", guide, flags=re.MULTILINE)[1:]:
        heading, _, body = part.partition("\n")
        pieces = re.split(r"^### ", body, flags=re.MULTILINE)
        sections = [tuple(piece.split("\n", 1)) for piece in pieces[1:]]
        chapters.append((heading, pieces[0], [(h, b) for h, b in sections]))
    return chapters


def own_sections(path: tuple[str, ...]) -> str:
    """Return the guide's text about the command ``ldncalc PATH``.

    A chapter (##) whose heading names it, whole; or a section (###) whose
    heading names it, with its chapter's introduction (where the options a
    chapter's commands share are described once).
    """
    name = "`" + " ".join(("ldncalc", *path)) + "`"
    found = []
    for heading, intro, sections in guide_chapters():
        if name in heading:
            found.append(intro + "".join(h + "\n" + b for h, b in sections))
            continue
        found += [intro + body for h, body in sections if name in h]
    assert found, f"no heading of the user guide names {name}"
    return "\n".join(found)


def test_cli_reference_is_up_to_date() -> None:
    committed = (DOCS / "cli.md").read_text(encoding="utf-8")
    made_with = re.search(r"with typer (\S+);", committed)
    assert made_with is not None
    if made_with.group(1) == typer_version():
        assert committed == cli_reference(), (
            "docs/cli.md is stale: run python -m ldncalc.cli._reference > docs/cli.md"
        )
        return
    # Another typer lays the help out its own way: the reference must still name
    # every command and every option this typer's help lists.
    for path in [(), *PATHS]:
        if path:
            assert f"## `ldncalc {' '.join(path)}`" in committed
        for option in options_of(*path):
            assert option in committed, (path, option)


def test_the_reference_lists_every_command() -> None:
    names = {path[0] for path in PATHS}
    assert {"dose", "mix", "protocols", "schedule"} <= names
    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    for path in PATHS:
        assert f"## `ldncalc {' '.join(path)}`" in reference


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_every_command_has_its_own_section_in_the_user_guide(path: tuple[str, ...]) -> None:
    assert own_sections(path)


ALL_OPTIONS = [(path, option) for path in [(), *PATHS] for option in options_of(*path)]


@pytest.mark.parametrize(
    ("path", "option"), ALL_OPTIONS, ids=[" ".join((*p, o)) for p, o in ALL_OPTIONS]
)
def test_every_option_is_in_its_commands_section(path: tuple[str, ...], option: str) -> None:
    text = own_sections(path)
    assert re.search(re.escape(option) + r"\b", text), f"ldncalc {' '.join(path)} {option}"


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


def test_the_diary_chapter_is_the_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run every command of docs/diary.md in order, on one diary, and compare what it prints."""
    import shlex

    from typer.testing import CliRunner

    chapter = (DOCS / "diary.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n\$ (.+?)\n(.*?)```", chapter, re.DOTALL)
    assert len(blocks) >= 10
    monkeypatch.chdir(tmp_path)
    env = {"LDNCALC_HOME": str(tmp_path / "diary"), "COLUMNS": "80", "NO_COLOR": "1"}
    for command, shown in blocks:
        args = shlex.split(command)
        assert args[0] == "ldncalc"
        result = CliRunner().invoke(app, args[1:], env=env)
        assert result.exit_code == 0, (command, result.output)
        assert result.stdout == shown, command
    assert (tmp_path / "report.html").is_file()
