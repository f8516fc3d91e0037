from __future__ import annotations

import os
from pathlib import Path

import pytest

from ldncalc.errors import OutputFileError
from ldncalc.files import write_text_atomic


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_a_new_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    assert write_text_atomic(target, "hello\n") == target
    assert target.read_text() == "hello\n"
    assert leftovers(tmp_path) == []


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old")
    with pytest.raises(OutputFileError, match="exists; add --force"):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_force_replaces(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old")
    write_text_atomic(target, "new", force=True)
    assert target.read_text() == "new"


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="does not exist"):
        write_text_atomic(tmp_path / "nope" / "plan.md", "x")


def test_a_folder_is_not_replaced(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="is a folder"):
        write_text_atomic(tmp_path, "x", force=True)


def test_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, who can write anywhere: make creating the file fail instead.
    def denied(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", denied)
    with pytest.raises(OutputFileError, match=r"cannot write .*Permission denied"):
        write_text_atomic(tmp_path / "plan.md", "x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("force", [False, True])
def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    target = tmp_path / "plan.md"
    if force:
        target.write_text("old")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputFileError, match="No space left on device"):
        write_text_atomic(target, "new", force=force)
    assert leftovers(tmp_path) == []
    if force:
        assert target.read_text() == "old"
    else:
        assert not target.exists()


def test_interruption_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old")

    def interrupted(src: str, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "new", force=True)
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []
