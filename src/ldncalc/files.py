"""Writing files safely: atomically, privately, and never over a file without leave.

What a name means decides what is done with it:

* a new name: the text goes to a temporary file in the target's folder, is
  flushed to disk, then takes the target's name with a hard link, which fails
  if the name exists, so even a file that appears meanwhile is never replaced.
  Where the file system has no hard links (FAT, some network shares), the
  target is created exclusively and written in place instead (never over an
  existing file, but a reader may see it half-written while it is written);
* an existing regular file: refused, unless ``force``; then the temporary file
  takes the file's mode (and owner where allowed) and replaces it in one step;
* a symbolic link: refused, unless ``force``; then the file it points to is
  replaced as above and the link is kept. A link to nothing is refused;
* a character device (``/dev/null``), a named pipe, ``/dev/stdout`` and other
  links to an open descriptor (``/dev/fd/N``, ``/proc/self/fd/N``): refused,
  unless ``force``; then the text is streamed into it, which is never replaced;
* ``-``: the text is written to standard output;
* a folder, a block device (a disk), a socket: always refused;
* an SQLite database (a file whose first 16 bytes are ``SQLite format 3\\0``,
  such as the diary), a ``-wal``, ``-shm`` or ``-journal`` file beside one
  (whether it exists yet or not), and any path in ``protect`` or beside one
  (compared by file identity, so links and other spellings are caught):
  always refused, even with ``force``: an output never replaces the diary.

New files are created with mode 0666 less the user's umask, or 0600 whatever
the umask with ``private`` (files that hold diary data: health data); a
private replacement loses the old file's group and other permissions. The
folder is synced to disk after the rename. Temporary files are named
``.<name>.ldncalc-<random>.tmp``; one left by a process killed midway is
removed by the next write to that folder once it is a day old.

Every failure is one :class:`~ldncalc.errors.OutputFileError`, an ``OSError``
whose ``filename`` is the path as given, ``strerror`` the reason in words, and
``errno`` ``EEXIST`` exactly when the name was refused only because it exists
(so a caller that may replace files can offer to); its ``code`` is then
``"output-exists"``, otherwise ``"output-file"``. Its message is one line,
``cannot write PATH: REASON``, with a very long path cut in the middle and
control characters escaped.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ldncalc.atomic import (
    SIDECAR_SUFFIXES,
    is_sqlite_file,
    new_private_file,
    remove_stale_temporaries,
    stale_temporaries,
    sync_folder,
    temporary_name,
    temporary_name_in,
)
from ldncalc.errors import ErrorCode, OutputFileError
from ldncalc.frozen import frozen

__all__ = [
    "DATABASE_CODE",
    "EXISTS_CODE",
    "SIDECAR_SUFFIXES",
    "check_writable",
    "is_sqlite_file",
    "new_private_file",
    "remove_stale_temporaries",
    "stale_temporaries",
    "sync_folder",
    "temporary_name",
    "write_text_atomic",
    "write_texts_atomic",
]

STDOUT = "-"
# The error code of a refusal only because the name exists (see the module's docstring).
EXISTS_CODE: ErrorCode = "output-exists"
# The error code of a refusal because the name is a database (the diary) or beside one.
DATABASE_CODE: ErrorCode = "output-is-database"
# Longest path shown in a message; the full path is in the error's ``filename``.
MAX_SHOWN = 80
# Where os.link fails with one of these, the file system has no hard links.
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS, errno.EMLINK}
)
# Names that stand for a descriptor this or another process holds open: writing
# to them means writing into that descriptor, whatever file it is.
_DESCRIPTOR = re.compile(
    r"/dev/(?:stdin|stdout|stderr|fd/[0-9]+)|/proc/(?:self|thread-self|[0-9]+)(?:/task/[0-9]+)?/fd/[0-9]+"
)

_REASONS = {
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENAMETOOLONG: "the name is too long for the file system",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "no space is left on the device",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EISDIR: "it is a folder",
    errno.ELOOP: "it is a loop of links",
    errno.EFBIG: "the file would be too large",
    errno.EIO: "the device reported an input/output error",
    errno.ENXIO: "nothing is listening at the other end",
    errno.EBUSY: "it is busy",
}


class _Kind(Enum):
    CREATE = "create"  # a new name: temporary file, then a hard link
    REPLACE = "replace"  # an existing regular file (perhaps through a link), with force
    STREAM = "stream"  # a device, a named pipe or a descriptor link, with force
    STDOUT = "stdout"  # "-"


@frozen
class _Plan:
    given: str  # the path as given, for messages and the return value
    kind: _Kind
    real: str  # the file acted on: the link's target for REPLACE through a link
    old: os.stat_result | None = None  # the file replaced


def _shown(path: str) -> str:
    """Return ``path`` as one printable line of at most MAX_SHOWN characters."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in path)
    if len(text) <= MAX_SHOWN:
        return text
    head = (MAX_SHOWN - 3) // 2
    return text[:head] + "..." + text[len(text) - (MAX_SHOWN - 3 - head) :]


def _error(
    path: str, reason: str, code: int | None, note: str = "", *, kind: ErrorCode | None = None
) -> OutputFileError:
    """Build the one error of this module: ``cannot write PATH: REASON``."""
    shown = "standard output" if path == STDOUT else _shown(path)
    error = OutputFileError(
        f"cannot write {shown}: {reason}{note}",
        code=kind or (EXISTS_CODE if code == errno.EEXIST else None),
    )
    error.errno = code
    error.strerror = reason
    error.filename = path
    return error


def _exists(path: str, reason: str = "it exists; it was not replaced") -> OutputFileError:
    return _error(path, reason, errno.EEXIST)


def _reason(exc: OSError) -> str:
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return (exc.strerror or type(exc).__name__).strip().splitlines()[0].lower()


def _from_os_error(path: str, exc: OSError, note: str = "") -> OutputFileError:
    if exc.errno == errno.ENOENT:
        folder = os.path.dirname(os.path.abspath(path))
        reason = f"the folder {_shown(folder)} does not exist"
        if os.path.isdir(folder):  # a component vanished meanwhile, or /proc said ENOENT
            reason = "it cannot be created there"
        return _error(path, reason, exc.errno, note)
    return _error(path, _reason(exc), exc.errno, note)


def _is_descriptor_link(path: str) -> bool:
    """Whether ``path`` is, or leads through links to, a name of an open descriptor."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        if _DESCRIPTOR.fullmatch(current):
            return True
        try:
            target = os.readlink(current)
        except OSError:
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), target))
    return False


def _same_file(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` name one file: the same inode, or the same folder and name."""
    with contextlib.suppress(OSError, ValueError):
        if os.path.samefile(a, b):
            return True
    try:
        folder_a, name_a = os.path.split(os.path.abspath(a))
        folder_b, name_b = os.path.split(os.path.abspath(b))
        return name_a == name_b and os.path.samefile(folder_a, folder_b)
    except (OSError, ValueError):
        return False


def _refuse_database(path: str, protect: Sequence[str]) -> None:
    """Refuse ``path`` if it is a database, beside one, or protected (through links too)."""
    why = ""
    real = os.path.realpath(path)
    for candidate in dict.fromkeys((path, real)):
        if is_sqlite_file(candidate):
            why = "it is a database (the diary?); an output never replaces one"
            break
        for suffix in SIDECAR_SUFFIXES:
            base = candidate[: -len(suffix)] if candidate.endswith(suffix) else ""
            if base and is_sqlite_file(base):
                why = f"it is the {suffix[1:]} file of a database; an output never replaces it"
                break
        if why:
            break
    if not why:
        for kept in protect:
            if any(_same_file(real, kept + end) for end in ("", *SIDECAR_SUFFIXES)):
                why = "it is the diary or a file of it; an output never replaces the diary"
                break
    if why:
        raise _error(path, why, errno.EPERM, kind=DATABASE_CODE)


def _plan(path: str, force: bool, protect: Sequence[str] = ()) -> _Plan:
    """Decide what writing ``path`` means, or raise the refusal (no side effects)."""
    if path == STDOUT:
        return _Plan(path, _Kind.STDOUT, path)
    if path == "":
        raise _error(path, "the name is empty", errno.ENOENT)
    _refuse_database(path, protect)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except OSError as exc:
        raise _from_os_error(path, exc) from exc
    if link is None:
        if path.endswith(("/", os.sep)):
            raise _error(path, "a name that ends with a slash is a folder", errno.EISDIR)
        _check_folder(path, os.path.dirname(os.path.abspath(path)))
        return _Plan(path, _Kind.CREATE, path)
    try:
        target = os.stat(path) if stat.S_ISLNK(link.st_mode) else link
    except FileNotFoundError:
        raise _error(path, "it is a link to a file that does not exist", errno.ENOENT) from None
    except OSError as exc:
        raise _from_os_error(path, exc) from exc
    mode = target.st_mode
    if stat.S_ISDIR(mode):
        raise _error(path, "it is a folder", errno.EISDIR)
    if stat.S_ISBLK(mode):
        raise _error(path, "it is a disk device", errno.EPERM)
    if stat.S_ISSOCK(mode):
        raise _error(path, "it is a socket", errno.EPERM)
    stream = stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or _is_descriptor_link(path)
    if not force:
        if stream:
            raise _exists(path, "it exists; nothing was written to it")
        raise _exists(path)
    if stream:
        return _Plan(path, _Kind.STREAM, path)
    if not stat.S_ISREG(mode):
        raise _error(path, "it is not a regular file", errno.EPERM)
    real = os.path.realpath(path) if stat.S_ISLNK(link.st_mode) else path
    _check_folder(path, os.path.dirname(os.path.abspath(real)))
    return _Plan(path, _Kind.REPLACE, real, target)


def _check_folder(path: str, folder: str) -> None:
    """Refuse ``path`` unless ``folder`` exists and a file can be added to it."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise _error(path, f"the folder {_shown(folder)} does not exist", errno.ENOENT) from None
    except OSError as exc:
        raise _from_os_error(path, exc) from exc
    if not stat.S_ISDIR(info.st_mode):
        raise _error(path, f"{_shown(folder)} is not a folder", errno.ENOTDIR)
    if not os.access(folder, os.W_OK | os.X_OK):
        try:
            read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
        except (OSError, AttributeError):  # no statvfs on Windows
            read_only = False
        if read_only:
            raise _error(path, _REASONS[errno.EROFS], errno.EROFS)
        raise _error(path, _REASONS[errno.EACCES], errno.EACCES)


def _identity(plan: _Plan) -> tuple[object, ...] | None:
    """What two plans share when they would write the same file (streams: None)."""
    if plan.kind is _Kind.REPLACE and plan.old is not None:
        return (plan.old.st_dev, plan.old.st_ino)
    if plan.kind is _Kind.CREATE:
        absolute = os.path.abspath(plan.real)
        return (os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
    return None


def _plan_all(
    paths: Sequence[str | os.PathLike[str]],
    force: bool,
    protect: Sequence[str | os.PathLike[str]] = (),
) -> list[_Plan]:
    plans: list[_Plan] = []
    seen: set[tuple[object, ...]] = set()
    kept = [os.fspath(p) for p in protect]
    for path in paths:
        plan = _plan(os.fspath(path), force, kept)
        identity = _identity(plan)
        if identity is not None:
            if identity in seen:
                raise _error(plan.given, "the same file is named for two outputs", errno.EINVAL)
            seen.add(identity)
        plans.append(plan)
    return plans


def check_writable(
    paths: Sequence[str | os.PathLike[str]],
    force: bool = False,
    *,
    protect: Sequence[str | os.PathLike[str]] = (),
) -> None:
    """Check that every path in ``paths`` may be written, before writing any.

    The rules are those of :func:`write_text_atomic` (``protect`` as there);
    the same file named twice is refused too. Nothing is written. A check
    cannot see everything (a disk that fills up meanwhile):
    :func:`write_texts_atomic` writes several files all or none.

    Raises:
        OutputFileError: for the first path that may not be written.
    """
    _plan_all(paths, force, protect)


def write_text_atomic(
    path: str | os.PathLike[str],
    text: str,
    *,
    force: bool = False,
    private: bool = False,
    protect: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically and return the path as given.

    Args:
        path: a file name, or ``-`` for standard output.
        text: the whole content.
        force: replace an existing regular file (through a link: the file it
            points to), or stream into an existing device or named pipe.
        private: create the file 0600 whatever the umask (it holds diary data).
        protect: files never written, nor their -wal, -shm and -journal files
            (the diary), compared by identity.

    Raises:
        OutputFileError: the name may not be written (it exists and ``force``
            is false, it is a folder, ...) or writing failed; an existing file
            is then left as it was and no temporary file is left behind.
    """
    return write_texts_atomic([(path, text)], force=force, private=private, protect=protect)[0]


def write_texts_atomic(
    outputs: Sequence[tuple[str | os.PathLike[str], str]],
    *,
    force: bool = False,
    private: bool = False,
    protect: Sequence[str | os.PathLike[str]] = (),
) -> list[Path]:
    """Write several files all or none, and return their paths as given.

    Every path is checked first (as :func:`check_writable` does). Then every
    file's text goes to its temporary file, streams are written, and only then
    do the files take their names. Should one of those last steps fail, the
    files already in place are taken back (a replaced file gets its old
    content again) and the error says so; text already streamed (to standard
    output or a device) cannot be taken back, and the error names it.

    Raises:
        OutputFileError: as :func:`write_text_atomic`, for the first failure.
    """
    plans = _plan_all([path for path, _ in outputs], force, protect)
    texts = [text for _, text in outputs]
    folders = {os.path.dirname(os.path.abspath(p.real)) for p in plans if p.kind in _FILES}
    for folder in sorted(folders):
        _remove_stale_temporaries(folder)
    temporaries: dict[int, str] = {}
    streamed: list[str] = []
    try:
        for index, plan in enumerate(plans):
            if plan.kind in _FILES:
                temporaries[index] = _write_temporary(plan, texts[index], private)
        for index, plan in enumerate(plans):
            if plan.kind in (_Kind.STREAM, _Kind.STDOUT):
                _stream(plan, texts[index], _note(streamed))
                streamed.append(plan.given)
        _commit(plans, texts, temporaries, streamed, private)
    finally:
        for temporary in temporaries.values():
            _remove(temporary)
    return [Path(plan.given) for plan in plans]


_FILES = (_Kind.CREATE, _Kind.REPLACE)


def _note(done: list[str]) -> str:
    if not done:
        return ""
    names = ", ".join("standard output" if p == STDOUT else _shown(p) for p in done)
    return f" (already written: {names})"


def _write_temporary(plan: _Plan, text: str, private: bool = False) -> str:
    """Write ``text`` to a new temporary file beside ``plan.real``, synced; return its path."""
    real = os.path.abspath(plan.real)
    temporary = temporary_name_in(os.path.dirname(real), os.path.basename(real))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    # A new file: 0666 and the kernel applies the umask. A replacement: private
    # until it has the old file's mode.
    try:
        handle = os.open(temporary, flags, 0o600 if plan.old or private else 0o666)
    except OSError as exc:
        raise _from_os_error(plan.given, exc) from exc
    try:
        if plan.old is not None:
            _copy_owner_and_mode(temporary, plan.old, private)
        _write_all(handle, text.encode("utf-8"))
        os.fsync(handle)
    except BaseException as exc:
        os.close(handle)
        _remove(temporary)
        if isinstance(exc, OSError):
            raise _from_os_error(plan.given, exc) from exc
        raise
    os.close(handle)
    return temporary


def _copy_owner_and_mode(temporary: str, old: os.stat_result, private: bool = False) -> None:
    chown = getattr(os, "chown", None)
    if chown is not None and (old.st_uid, old.st_gid) != _owner(temporary):
        # Only root may give a file away, and FAT has no owners: then keep ours.
        with contextlib.suppress(OSError):
            chown(temporary, old.st_uid, old.st_gid)
    os.chmod(temporary, stat.S_IMODE(old.st_mode) & (0o7700 if private else 0o7777))


def _owner(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        view = view[written:]


def _stream(plan: _Plan, text: str, note: str) -> None:
    """Write ``text`` into standard output, a device or a named pipe (never replaced)."""
    if plan.kind is _Kind.STDOUT:
        if sys.stdout is None:
            raise _error(plan.given, "it is closed", errno.EBADF, note)
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader has gone: the caller decides (a satisfied `head` is success)
        except OSError as exc:
            raise _from_os_error(plan.given, exc, note) from exc
        return
    for console in (sys.stdout, sys.stderr):  # keep what was printed before in order
        if console is not None:
            with contextlib.suppress(OSError, ValueError):
                console.flush()
    # No O_CREAT: should the device vanish meanwhile, no regular file takes its
    # place. O_APPEND: a descriptor link to a file opened with >> is appended to.
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(plan.real, flags)
    except OSError as exc:
        raise _from_os_error(plan.given, exc, note) from exc
    try:
        _write_all(handle, text.encode("utf-8"))
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _from_os_error(plan.given, exc, note) from exc
    finally:
        os.close(handle)


@dataclass(slots=True)
class _Done:
    plan: _Plan
    backup: str | None  # a hard link to the replaced file's old content


def _commit(
    plans: list[_Plan],
    texts: list[str],
    temporaries: dict[int, str],
    streamed: list[str],
    private: bool = False,
) -> None:
    """Give every temporary file its name; on failure take back what was done."""
    done: list[_Done] = []
    current = ""
    try:
        for index, plan in enumerate(plans):
            if plan.kind not in _FILES:
                continue
            current = plan.given
            temporary = temporaries[index]
            if plan.kind is _Kind.CREATE:
                _link_into_place(plan, texts[index], temporary, private)
                done.append(_Done(plan, None))
                continue
            # A backup is needed only to take this file back should a later one fail.
            backup = _backup(plan.real) if len(temporaries) > 1 else None
            try:
                os.replace(temporary, plan.real)
            except BaseException:
                if backup is not None:
                    _remove(backup)
                raise
            done.append(_Done(plan, backup))
    except BaseException as exc:
        note = _note(streamed + _take_back(done))
        if isinstance(exc, OutputFileError):
            raise _error(current, exc.strerror or str(exc), exc.errno, note) from exc
        if isinstance(exc, OSError):
            raise _from_os_error(current, exc, note) from exc
        raise
    for item in done:
        if item.backup is not None:
            _remove(item.backup)
    for temporary in temporaries.values():
        _remove(temporary)  # the hard-linked ones; then the folder is synced as it stays
    for folder in sorted({os.path.dirname(os.path.abspath(d.plan.real)) for d in done}):
        _sync_folder(folder, done[0].plan.given)


def _link_into_place(plan: _Plan, text: str, temporary: str, private: bool) -> None:
    try:
        os.link(temporary, plan.real)
    except FileExistsError:
        raise _exists(plan.given) from None  # it appeared after the check
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        _create_in_place(plan, text, private)


def _create_in_place(plan: _Plan, text: str, private: bool) -> None:
    """Without hard links: create the target exclusively and write it (not atomic)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(plan.real, flags, 0o600 if private else 0o666)
    except FileExistsError:
        raise _exists(plan.given) from None
    try:
        _write_all(handle, text.encode("utf-8"))
        os.fsync(handle)
    except BaseException:
        os.close(handle)
        _remove(plan.real)
        raise
    os.close(handle)


def _backup(real: str) -> str | None:
    """Keep the old content of ``real`` under a temporary name, if hard links allow."""
    backup = temporary_name_in(os.path.dirname(os.path.abspath(real)), os.path.basename(real))
    try:
        os.link(real, backup)
    except OSError:
        return None
    return backup


def _take_back(done: list[_Done]) -> list[str]:
    """Undo the files already in place; return those that could not be undone."""
    lost: list[str] = []
    for item in reversed(done):
        plan = item.plan
        try:
            if plan.kind is _Kind.CREATE:
                os.unlink(plan.real)
            elif item.backup is not None:
                os.replace(item.backup, plan.real)
            else:
                lost.append(plan.given)
        except OSError:
            lost.append(plan.given)
    return lost


def _sync_folder(folder: str, path: str) -> None:
    """Flush the folder's entries to disk, so the new name survives a power cut."""
    try:
        sync_folder(folder)
    except OSError as exc:
        raise _from_os_error(path, exc) from exc


def _remove_stale_temporaries(folder: str) -> None:
    remove_stale_temporaries(folder)


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
