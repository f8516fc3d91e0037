"""The steps every atomic write of ldncalc takes, shared by files.py and the diary's store.

A temporary name beside the target (``.<name>.ldncalc-<random>.tmp``), a new
file private from its first byte, a folder synced so that a new name
survives a power cut, and the leftovers of a process killed midway found and
removed. :mod:`ldncalc.files` words failures as output errors, the store as
:class:`~ldncalc.errors.StoreError`; the steps are the same.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time

__all__ = [
    "SIDECAR_SUFFIXES",
    "STALE_SECONDS",
    "is_sqlite_file",
    "new_private_file",
    "remove_stale_temporaries",
    "stale_temporaries",
    "sync_folder",
    "temporary_name",
    "temporary_name_in",
]

# A temporary file of ours older than this is taken as left by a killed process.
STALE_SECONDS = 24 * 60 * 60
# Directory fsync is not supported everywhere; these mean "cannot", not "failed".
_NO_FOLDER_SYNC = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES, errno.EPERM})
_TEMP_NAME = re.compile(r"\..*\.ldncalc-[0-9a-f]{16}\.tmp", re.DOTALL)
# The diary's temporary name before 0.3 (a creation killed midway leaves one).
_OLD_STORE_TEMP = re.compile(r"\.diary\.sqlite3\.[0-9a-f]{12}\.tmp")
# Bytes of the target's name kept in a temporary name, so that a name close to
# the file system's limit still leaves room for ".ldncalc-<random>.tmp".
_TEMP_NAME_BYTES = 100
# SQLite's files beside a database: its name and one of these.
SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")
_SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a regular file (through links) that starts as an SQLite database."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as stream:
            return stream.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except (OSError, ValueError):
        return False


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Flush a folder's entries to disk, so a new name in it survives a power cut.

    Where folders cannot be opened or synced (Windows, some file systems),
    nothing is done. Raises OSError for any other failure.
    """
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(folder, flags)
    except OSError:  # Windows cannot open a folder; nothing to sync there
        return
    try:
        os.fsync(handle)
    except OSError as exc:
        if exc.errno not in _NO_FOLDER_SYNC:
            raise
    finally:
        os.close(handle)


def new_private_file(path: str | os.PathLike[str]) -> None:
    """Create an empty file, mode 0600 whatever the umask, synced; FileExistsError if it exists."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(path, flags, 0o600)
    try:
        # The umask can only have removed bits; put back the owner's.
        os.chmod(path, 0o600)
        os.fsync(handle)
    finally:
        os.close(handle)


def temporary_name(target: str | os.PathLike[str]) -> str:
    """Return a new name for a temporary file beside ``target`` (stale ones are removed)."""
    real = os.path.abspath(target)
    return temporary_name_in(os.path.dirname(real), os.path.basename(real))


def stale_temporaries(folder: str | os.PathLike[str], seconds: float = STALE_SECONDS) -> list[str]:
    """Return our temporary files in ``folder`` older than ``seconds`` (ours only), sorted."""
    limit = time.time() - seconds
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found: list[str] = []
    for entry in entries:
        if not _TEMP_NAME.fullmatch(entry.name) and not _OLD_STORE_TEMP.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_mtime >= limit:
            continue
        if uid is not None and info.st_uid != uid:
            continue  # someone else's, in a shared folder
        found.append(entry.path)
    return sorted(found)


def remove_stale_temporaries(
    folder: str | os.PathLike[str], seconds: float = STALE_SECONDS
) -> None:
    """Remove our own temporary files in ``folder`` left more than ``seconds`` ago."""
    for path in stale_temporaries(folder, seconds):
        # SQLite's files beside a temporary database go with it.
        for leftover in (path, *(path + end for end in SIDECAR_SUFFIXES)):
            with contextlib.suppress(OSError):
                os.unlink(leftover)


def temporary_name_in(folder: str, name: str) -> str:
    """Return a new name for a temporary file for ``name`` in ``folder`` (the name cut short)."""
    kept = os.fsdecode(os.fsencode(name)[:_TEMP_NAME_BYTES])
    return os.path.join(folder, f".{kept}.ldncalc-{os.urandom(8).hex()}.tmp")
