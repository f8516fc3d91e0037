"""Writing output files: private, atomic, and only the file that was meant.

Tests may run as root, whom permissions do not stop: a place that cannot be
written is taken where the kernel refuses even root (/sys, a read-only mount in
a private namespace), not faked.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ldncalc.errors import OutputFileError
from ldncalc.files import check_writable, write_text_atomic, write_texts_atomic

TEMPORARY = re.compile(r"\..*\.ldncalc-[0-9a-f]{16}\.tmp", re.DOTALL)
DAY = 24 * 60 * 60


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def cut(path: object) -> str:
    """A path as messages show it: at most 80 characters, the middle given up first."""
    text = str(path)
    return text if len(text) <= 80 else text[:38] + "..." + text[-39:]


def refused(
    call: Callable[[], object], path: str, reason: str, code: int | None, shown: str = ""
) -> OutputFileError:
    """Run ``call``, expect the one error of ldncalc.files, and check its parts."""
    with pytest.raises(OutputFileError) as caught:
        call()
    error = caught.value
    assert str(error) == f"cannot write {shown or cut(path)}: {reason}"
    assert error.filename == path
    assert error.strerror == reason
    assert error.errno == code
    assert error.code == ("output-exists" if code == errno.EEXIST else "output-file")
    assert "--force" not in str(error)
    assert "\n" not in str(error)
    return error


# ---------------------------------------------------------------- new files


def test_writes_a_new_file_byte_for_byte(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    text = "dose,volume\r\n4.5 mg,4.5 mL\n\u2248 one\n"
    assert write_text_atomic(target, text) == target
    assert target.read_bytes() == text.encode("utf-8")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("mask", [0o077, 0o022, 0o027, 0o002])
def test_a_new_file_honours_the_umask(tmp_path: Path, mask: int) -> None:
    target = tmp_path / "plan.csv"
    with umask(mask):
        write_text_atomic(target, "x\n")
    assert mode(target) == 0o666 & ~mask


def test_under_umask_077_several_files_are_private(tmp_path: Path) -> None:
    with umask(0o077):
        write_texts_atomic([(tmp_path / "a.csv", "a"), (tmp_path / "b.ics", "b")])
    assert mode(tmp_path / "a.csv") == 0o600
    assert mode(tmp_path / "b.ics") == 0o600


# ---------------------------------------------------------------- existing files


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old")
    error = refused(
        lambda: write_text_atomic(target, "new"),
        str(target),
        "it exists; it was not replaced",
        errno.EEXIST,
    )
    assert isinstance(error, OSError)
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("mask", "old_mode"), [(0o022, 0o600), (0o077, 0o644), (0o022, 0o640)])
def test_force_replaces_and_keeps_the_files_mode(tmp_path: Path, mask: int, old_mode: int) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old")
    os.chmod(target, old_mode)
    old_inode = os.stat(target).st_ino
    with umask(mask):
        write_text_atomic(target, "new", force=True)
    assert target.read_text() == "new"
    assert mode(target) == old_mode
    assert os.stat(target).st_ino != old_inode  # replaced in one step, not rewritten
    assert leftovers(tmp_path) == []


def test_force_keeps_a_read_only_mode(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old")
    os.chmod(target, 0o400)
    write_text_atomic(target, "new", force=True)
    assert target.read_text() == "new"
    assert mode(target) == 0o400


# ---------------------------------------------------------------- links


def test_force_through_a_link_writes_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "data" / "plan.csv"
    real.parent.mkdir()
    real.write_text("old")
    os.chmod(real, 0o600)
    link = tmp_path / "plan.csv"
    link.symlink_to(Path("data") / "plan.csv")
    assert write_text_atomic(link, "new", force=True) == link
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("data", "plan.csv")
    assert real.read_text() == "new"
    assert mode(real) == 0o600
    assert leftovers(tmp_path) == []
    assert leftovers(real.parent) == []


def test_a_link_is_refused_without_force(tmp_path: Path) -> None:
    (tmp_path / "real.csv").write_text("old")
    link = tmp_path / "plan.csv"
    link.symlink_to("real.csv")
    refused(
        lambda: write_text_atomic(link, "new"),
        str(link),
        "it exists; it was not replaced",
        errno.EEXIST,
    )
    assert link.is_symlink()
    assert (tmp_path / "real.csv").read_text() == "old"


def test_a_link_to_nothing_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "plan.csv"
    link.symlink_to("missing.csv")
    refused(
        lambda: write_text_atomic(link, "new", force=True),
        str(link),
        "it is a link to a file that does not exist",
        errno.ENOENT,
    )
    assert link.is_symlink()
    assert not (tmp_path / "missing.csv").exists()


def test_a_loop_of_links_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "plan.csv"
    link.symlink_to("plan.csv")
    refused(
        lambda: write_text_atomic(link, "new", force=True),
        str(link),
        "it is a loop of links",
        errno.ELOOP,
    )


def test_a_link_to_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    link = tmp_path / "plan.csv"
    link.symlink_to("sub")
    refused(
        lambda: write_text_atomic(link, "new", force=True),
        str(link),
        "it is a folder",
        errno.EISDIR,
    )


# ---------------------------------------------------------------- devices, pipes, "-"


def test_dev_null_is_streamed_into_never_replaced() -> None:
    before = os.stat("/dev/null")
    refused(
        lambda: write_text_atomic("/dev/null", "x"),
        "/dev/null",
        "it exists; nothing was written to it",
        errno.EEXIST,
    )
    assert write_text_atomic("/dev/null", "plan\n", force=True) == Path("/dev/null")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_link_to_a_device_streams(tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to("/dev/null")
    write_text_atomic(link, "x", force=True)
    assert link.is_symlink()
    assert os.readlink(link) == "/dev/null"


def test_a_named_pipe_is_streamed_into(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused(
        lambda: write_text_atomic(fifo, "x"),
        str(fifo),
        "it exists; nothing was written to it",
        errno.EEXIST,
    )
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read)
    reader.start()
    write_text_atomic(fifo, "plan \u2248\n", force=True)
    reader.join(timeout=10)
    assert received == ["plan \u2248\n".encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(tmp_path) == []


def run_python(code: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-c", textwrap.dedent(code)], check=True, timeout=60, **kwargs
    )


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_dev_stdout_redirected_to_a_file_is_streamed_not_replaced(
    tmp_path: Path, name: str
) -> None:
    out = tmp_path / "out.txt"
    out.write_text("earlier\n")
    inode = os.stat(out).st_ino
    with open(out, "ab") as stdout:  # as the shell's >>
        run_python(
            f"""
            from ldncalc.files import write_text_atomic
            print("printed first", flush=False)
            write_text_atomic({name!r}, "plan\\n", force=True)
            """,
            stdout=stdout,
        )
    assert out.read_text() == "earlier\nprinted first\nplan\n"
    assert os.stat(out).st_ino == inode
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_dev_stdout_to_a_pipe_is_streamed() -> None:
    done = run_python(
        """
        from ldncalc.files import write_text_atomic
        write_text_atomic("/dev/stdout", "plan\\n", force=True)
        """,
        stdout=subprocess.PIPE,
    )
    assert done.stdout == b"plan\n"


def test_dev_stdout_is_refused_without_force() -> None:
    done = run_python(
        """
        from ldncalc.errors import OutputFileError
        from ldncalc.files import write_text_atomic
        try:
            write_text_atomic("/dev/stdout", "plan\\n")
        except OutputFileError as error:
            print(error, error.errno)
        """,
        stdout=subprocess.PIPE,
    )
    reason = "it exists; nothing was written to it"
    assert done.stdout == f"cannot write /dev/stdout: {reason} {errno.EEXIST}\n".encode()


def test_dash_is_standard_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert write_text_atomic("-", "plan \u2248\n") == Path("-")
    assert capsys.readouterr().out == "plan \u2248\n"
    assert write_text_atomic("-", "again\n", force=True) == Path("-")
    assert capsys.readouterr().out == "again\n"


def test_dash_with_standard_output_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    refused(
        lambda: write_text_atomic("-", "x"),
        "-",
        "it is closed",
        errno.EBADF,
        shown="standard output",
    )


def test_a_full_device_is_one_error() -> None:
    # /dev/full is a device, so it is streamed into, and every write says ENOSPC.
    refused(
        lambda: write_text_atomic("/dev/full", "plan\n", force=True),
        "/dev/full",
        "no space is left on the device",
        errno.ENOSPC,
    )


def block_device(tmp_path: Path) -> str:
    for entry in os.scandir("/dev"):
        if stat.S_ISBLK(entry.stat(follow_symlinks=False).st_mode):
            return entry.path
    disk = tmp_path / "disk"
    os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 0))
    return str(disk)


def test_a_disk_device_is_always_refused(tmp_path: Path) -> None:
    disk = block_device(tmp_path)
    before = os.stat(disk)
    refused(
        lambda: write_text_atomic(disk, "x", force=True),
        disk,
        "it is a disk device",
        errno.EPERM,
    )
    assert os.stat(disk).st_mtime_ns == before.st_mtime_ns


def test_a_socket_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a socket's path has a short limit: name it from its folder
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("s")
        refused(
            lambda: write_text_atomic("s", "x", force=True),
            "s",
            "it is a socket",
            errno.EPERM,
        )
        assert stat.S_ISSOCK(os.lstat("s").st_mode)


# ---------------------------------------------------------------- names and places


def test_a_folder_is_not_replaced(tmp_path: Path) -> None:
    for force in (False, True):
        refused(
            lambda force=force: write_text_atomic(tmp_path, "x", force=force),  # type: ignore[misc]
            str(tmp_path),
            "it is a folder",
            errno.EISDIR,
        )
    assert tmp_path.is_dir()


def test_a_name_ending_with_a_slash(tmp_path: Path) -> None:
    path = f"{tmp_path}/new/"
    refused(
        lambda: write_text_atomic(path, "x"),
        path,
        "a name that ends with a slash is a folder",
        errno.EISDIR,
    )


def test_an_empty_name() -> None:
    refused(lambda: write_text_atomic("", "x"), "", "the name is empty", errno.ENOENT)


def test_missing_folder(tmp_path: Path) -> None:
    path = str(tmp_path / "nope" / "plan.md")
    refused(
        lambda: write_text_atomic(path, "x"),
        path,
        f"the folder {cut(tmp_path / 'nope')} does not exist",
        errno.ENOENT,
    )


def test_a_file_where_a_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "plan.csv").write_text("x")
    path = str(tmp_path / "plan.csv" / "more.csv")
    refused(
        lambda: write_text_atomic(path, "x"),
        path,
        "a part of the path is not a folder",
        errno.ENOTDIR,
    )


def test_a_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    path = str(tmp_path / ("n" * 300 + ".csv"))
    with pytest.raises(OutputFileError) as caught:
        write_text_atomic(path, "x")
    message = str(caught.value)
    shown = message.removeprefix("cannot write ").removesuffix(
        ": the name is too long for the file system"
    )
    assert len(shown) == 80
    assert shown.startswith(str(tmp_path)[:38])
    assert shown[38:41] == "..."
    assert shown.endswith("n" * 35 + ".csv")
    assert caught.value.filename == path  # the whole path stays on the error
    assert caught.value.errno == errno.ENAMETOOLONG
    assert list(tmp_path.iterdir()) == []


def test_a_long_name_that_fits_is_written(tmp_path: Path) -> None:
    # 250 bytes is within the usual 255; the temporary file's name must fit too.
    target = tmp_path / ("\u00e9" * 100 + "n" * 46 + ".csv")
    assert len(os.fsencode(target.name)) == 250
    write_text_atomic(target, "x")
    assert target.read_text() == "x"
    assert leftovers(tmp_path) == []


def test_a_name_with_a_line_break_stays_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    path = str(folder / "a\nb\tc.csv")
    Path(path).write_text("old")
    with pytest.raises(OutputFileError) as caught:
        write_text_atomic(path, "x")
    shown = cut(f"{folder}/a\\nb\\tc.csv")
    assert str(caught.value) == f"cannot write {shown}: it exists; it was not replaced"
    assert caught.value.filename == path


def test_a_place_the_kernel_refuses_even_to_root() -> None:
    # sysfs lets no one create files; permissions would not stop root.
    refused(
        lambda: write_text_atomic("/sys/ldncalc-plan.csv", "x"),
        "/sys/ldncalc-plan.csv",
        "permission denied",
        errno.EACCES,
    )
    assert not os.path.exists("/sys/ldncalc-plan.csv")


def test_a_read_only_file_system(tmp_path: Path) -> None:
    # A read-only tmpfs, mounted in a private mount namespace of a child process.
    place = tmp_path / "ro"
    place.mkdir()
    code = textwrap.dedent(
        f"""
        from ldncalc.errors import OutputFileError
        from ldncalc.files import check_writable, write_text_atomic
        for call in (lambda: check_writable([{str(place / "plan.csv")!r}]),
                     lambda: write_text_atomic({str(place / "plan.csv")!r}, "x")):
            try:
                call()
            except OutputFileError as error:
                print(error, error.errno)
        """
    )
    done = subprocess.run(
        [
            "unshare", "--map-root-user", "--mount", "sh", "-c",
            'mount -t tmpfs -o ro tmpfs "$1" && exec "$2" -c "$3"',
            "sh", str(place), sys.executable, code,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )  # fmt: skip
    line = f"cannot write {cut(place / 'plan.csv')}: the file system is read-only {errno.EROFS}"
    assert done.stdout == f"{line}\n{line}\n"
    assert list(place.iterdir()) == []


# ---------------------------------------------------------------- several outputs


def test_check_writable_reports_the_first_problem(tmp_path: Path) -> None:
    (tmp_path / "b.ics").write_text("old")
    paths = [str(tmp_path / "a.csv"), str(tmp_path / "b.ics"), str(tmp_path / "no" / "c")]
    refused(
        lambda: check_writable(paths, False),
        paths[1],
        "it exists; it was not replaced",
        errno.EEXIST,
    )
    refused(
        lambda: check_writable(paths, True),
        paths[2],
        f"the folder {cut(tmp_path / 'no')} does not exist",
        errno.ENOENT,
    )
    check_writable([*paths[:2], "-", "/dev/null"], True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.ics"]


def test_check_writable_refuses_one_file_named_twice(tmp_path: Path) -> None:
    (tmp_path / "real.csv").write_text("x")
    (tmp_path / "link.csv").symlink_to("real.csv")
    for paths in (
        [str(tmp_path / "a.csv"), f"{tmp_path}/./a.csv"],
        [str(tmp_path / "real.csv"), str(tmp_path / "link.csv")],
    ):
        refused(
            lambda paths=paths: check_writable(paths, True),  # type: ignore[misc]
            paths[1],
            "the same file is named for two outputs",
            errno.EINVAL,
        )


def test_several_outputs_refused_write_none(tmp_path: Path) -> None:
    (tmp_path / "b.ics").write_text("old")
    outputs = [(tmp_path / "a.csv", "a"), (tmp_path / "b.ics", "b")]
    refused(
        lambda: write_texts_atomic(outputs),
        str(tmp_path / "b.ics"),
        "it exists; it was not replaced",
        errno.EEXIST,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.ics"]
    assert write_texts_atomic(outputs, force=True) == [tmp_path / "a.csv", tmp_path / "b.ics"]
    assert (tmp_path / "a.csv").read_text() == "a"
    assert (tmp_path / "b.ics").read_text() == "b"


def failing_on_call(monkeypatch: pytest.MonkeyPatch, name: str, call: int, code: int) -> None:
    """Make ``os.<name>`` fail with ``code`` on its ``call``-th use (from 1)."""
    real = getattr(os, name)
    calls = [0]

    def fake(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] == call:
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, fake)


def test_a_late_failure_takes_back_the_new_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_on_call(monkeypatch, "link", 2, errno.EIO)
    outputs = [(tmp_path / "a.csv", "a"), (tmp_path / "b.ics", "b")]
    refused(
        lambda: write_texts_atomic(outputs),
        str(tmp_path / "b.ics"),
        "the device reported an input/output error",
        errno.EIO,
    )
    assert list(tmp_path.iterdir()) == []


def test_a_late_failure_gives_replaced_files_their_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.csv", "b.ics"):
        (tmp_path / name).write_text(f"old {name}")
    failing_on_call(monkeypatch, "replace", 2, errno.EIO)
    outputs = [(tmp_path / "a.csv", "new a"), (tmp_path / "b.ics", "new b")]
    refused(
        lambda: write_texts_atomic(outputs, force=True),
        str(tmp_path / "b.ics"),
        "the device reported an input/output error",
        errno.EIO,
    )
    assert (tmp_path / "a.csv").read_text() == "old a.csv"
    assert (tmp_path / "b.ics").read_text() == "old b.ics"
    assert leftovers(tmp_path) == []


def test_a_late_failure_names_what_was_already_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    failing_on_call(monkeypatch, "link", 1, errno.EIO)
    path = str(tmp_path / "a.csv")
    with pytest.raises(OutputFileError) as caught:
        write_texts_atomic([("-", "shown\n"), (path, "a")])
    assert str(caught.value) == (
        f"cannot write {cut(path)}: the device reported an input/output error"
        " (already written: standard output)"
    )
    assert capsys.readouterr().out == "shown\n"
    assert list(tmp_path.iterdir()) == []


def test_a_stream_that_fails_leaves_no_file(tmp_path: Path) -> None:
    outputs = [(tmp_path / "a.csv", "a"), (Path("/dev/full"), "b")]
    refused(
        lambda: write_texts_atomic(outputs, force=True),
        "/dev/full",
        "no space is left on the device",
        errno.ENOSPC,
    )
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the atomic write itself


@pytest.mark.parametrize(
    "code", [errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS]
)
def test_without_hard_links_the_file_is_created_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def no_links(src: object, dst: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "plan.csv"
    with umask(0o077):
        write_text_atomic(target, "plan\n")
    assert target.read_text() == "plan\n"
    assert mode(target) == 0o600
    assert leftovers(tmp_path) == []


def test_without_hard_links_a_file_that_appeared_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.csv"

    def no_links_and_a_rival(src: object, dst: object, **kwargs: object) -> None:
        target.write_text("rival")  # another program took the name meanwhile
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links_and_a_rival)
    refused(
        lambda: write_text_atomic(target, "plan\n"),
        str(target),
        "it exists; it was not replaced",
        errno.EEXIST,
    )
    assert target.read_text() == "rival"
    assert leftovers(tmp_path) == []


def test_a_file_that_appears_after_the_check_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.csv"
    real_fsync = os.fsync

    def rival_appears(fd: int) -> None:
        real_fsync(fd)
        if not target.exists():
            target.write_text("rival")

    monkeypatch.setattr(os, "fsync", rival_appears)
    refused(
        lambda: write_text_atomic(target, "plan\n"),
        str(target),
        "it exists; it was not replaced",
        errno.EEXIST,
    )
    assert target.read_text() == "rival"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("force", [False, True])
def test_the_folder_is_synced_after_the_name_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    target = tmp_path / "plan.csv"
    if force:
        target.write_text("old")
    events: list[str] = []
    real_fsync, real_link, real_replace = os.fsync, os.link, os.replace

    def fsync(fd: int) -> None:
        is_folder = stat.S_ISDIR(os.fstat(fd).st_mode)
        events.append("sync folder" if is_folder else "sync file")
        real_fsync(fd)

    def link(src: str, dst: str, **kwargs: bool) -> None:
        events.append("name")
        real_link(src, dst, **kwargs)

    def replace(src: str, dst: str) -> None:
        events.append("name")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "replace", replace)
    write_text_atomic(target, "plan\n", force=force)
    assert events == ["sync file", "name", "sync folder"]
    assert target.read_text() == "plan\n"


@pytest.mark.parametrize("force", [False, True])
def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    target = tmp_path / "plan.md"
    if force:
        target.write_text("old")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    refused(
        lambda: write_text_atomic(target, "new", force=force),
        str(target),
        "no space is left on the device",
        errno.ENOSPC,
    )
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


# ---------------------------------------------------------------- a process killed midway

KILLED_WRITER = """
import os, sys, time
from ldncalc.files import write_text_atomic

def stalled(*args, **kwargs):  # the text is written and synced; the name is not yet given
    sys.stdout.write("written\\n")
    sys.stdout.flush()
    time.sleep(120)

os.link = os.replace = stalled
write_text_atomic(sys.argv[1], "plan\\n", force=sys.argv[2] == "force")
"""


@pytest.mark.parametrize("force", [False, True])
def test_a_killed_write_leaves_a_temporary_that_a_later_write_removes(
    tmp_path: Path, force: bool
) -> None:
    target = tmp_path / "plan.csv"
    if force:
        target.write_text("old")
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target), "force" if force else "new"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline() == "written\n"
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=30) == -signal.SIGKILL
    writer.stdout.close()

    stray = leftovers(tmp_path)
    assert len(stray) == 1
    assert TEMPORARY.fullmatch(stray[0])
    assert stray[0].startswith(".plan.csv.ldncalc-")
    assert (tmp_path / stray[0]).read_text() == "plan\n"  # the killed write had got this far
    assert target.read_text() == "old" if force else not target.exists()

    # Someone else's hidden files, and ours younger than a day, are left alone.
    (tmp_path / ".plan.csv.swp").write_text("editor")
    (tmp_path / ".other.tmp").write_text("other")
    for name in (".plan.csv.swp", ".other.tmp"):
        os.utime(tmp_path / name, (time.time() - 3 * DAY,) * 2)
    write_text_atomic(tmp_path / "first.csv", "x")
    assert stray[0] in leftovers(tmp_path)

    # Once it is more than a day old, the next write to the folder removes it.
    os.utime(tmp_path / stray[0], (time.time() - DAY - 60,) * 2)
    write_text_atomic(tmp_path / "second.csv", "x")
    assert leftovers(tmp_path) == [".other.tmp"]
    assert (tmp_path / ".plan.csv.swp").read_text() == "editor"
