"""How the diary's failures are told: SQLite's and the file system's, as one StoreError.

No ``sqlite3`` exception leaves the store: each becomes one
:class:`~ldncalc.errors.StoreError` with a one-line message and a reason the
CLI can act on (damaged, full, read-only, busy, permission, io).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from ldncalc.errors import StoreError, StoreReason

# Not typing.TYPE_CHECKING: importing typing costs start-up time.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

__all__ = [
    "BUSY_TIMEOUT_S",
    "SQLITE_BUSY",
    "SQLITE_CANTOPEN",
    "SQLITE_CORRUPT",
    "SQLITE_FULL",
    "SQLITE_IOERR",
    "SQLITE_LOCKED",
    "SQLITE_NOTADB",
    "SQLITE_PERM",
    "SQLITE_READONLY",
    "SQLITE_READONLY_ROLLBACK",
    "execute",
    "fetch",
    "may_write",
    "one_line",
    "os_error",
    "sqlite_detail",
    "sqlite_error",
    "undecodable",
]

# How long a command waits for another one holding the diary before giving up
# (the connection's timeout, and what the busy error says; tests shorten it).
BUSY_TIMEOUT_S = 30.0


_OS_REASONS: dict[int, StoreReason] = {
    errno.EROFS: "read-only",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.ENOSPC: "full",
    getattr(errno, "EDQUOT", errno.ENOSPC): "full",  # a quota; not on every system
    errno.ENOENT: "missing",
    errno.ENOTDIR: "not-a-folder",
}


def os_error(exc: OSError, doing: str, path: Path) -> StoreError:
    """Turn a failure of the file system into one StoreError saying what we were doing."""
    reason: StoreReason = _OS_REASONS.get(exc.errno or 0, "io")
    return StoreError(f"cannot {doing}: {exc.strerror or exc}", path=str(path), reason=reason)


# Primary result codes of SQLite (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
SQLITE_READONLY_ROLLBACK = 8 | (3 << 8)


def one_line(text: str) -> str:
    """Return SQLite's report on one line, without its "*** in database main ***" heading."""
    lines = [line.strip() for line in text.splitlines()]
    useful = [line for line in lines if line and not line.startswith("***")]
    return "; ".join(useful) if useful else " ".join(lines)


def sqlite_detail(exc: sqlite3.Error) -> str:
    """Return SQLite's own words on a failure, on one line, with its error name."""
    name = getattr(exc, "sqlite_errorname", None)
    text = one_line(str(exc)) or type(exc).__name__
    return f"{text} ({name})" if name else text


def sqlite_error(exc: sqlite3.Error, path: Path, *, write: bool) -> StoreError:
    """Turn an SQLite failure into one StoreError with a one-line message."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    outcome = "; nothing was saved" if write else ""
    where = f"the diary at {path}"
    reason: StoreReason
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        message = f"{where} is damaged ({one_line(str(exc))}); it was left as it was"
        reason = "damaged"
    elif primary == SQLITE_FULL:
        message = f"cannot save to {where}: the disk is full{outcome}"
        reason = "full"
    elif code == SQLITE_READONLY_ROLLBACK and not write:
        message = f"{where} holds an interrupted change that its next writer will roll back"
        reason = "io"
    elif primary in (SQLITE_READONLY, SQLITE_CANTOPEN):
        reason, why = _unwritable(path, exc)
        if write:
            message = f"cannot save to {where}: {why}{outcome}"
        elif reason == "read-only":
            message = f"cannot read {where}: {why}, and SQLite must keep files beside it"
        else:
            message = f"cannot read {where}: {why}"
    elif primary in (SQLITE_BUSY, SQLITE_LOCKED):
        message = (
            f"{where} stayed in use by another ldncalc for {BUSY_TIMEOUT_S:g} seconds{outcome}"
        )
        reason = "busy"
    elif primary == SQLITE_PERM:
        message = f"cannot use {where}: permission denied{outcome}"
        reason = "permission"
    elif primary == SQLITE_IOERR:
        action = "save to" if write else "read"
        name = getattr(exc, "sqlite_errorname", None) or "SQLITE_IOERR"
        message = f"cannot {action} {where}: the system reported an input/output error"
        message += f" ({name}){outcome}"
        reason = "io"
    else:
        action = "save to" if write else "read"
        message = f"cannot {action} {where}: {sqlite_detail(exc)}{outcome}"
        reason = "io"
    return StoreError(message, path=str(path), reason=reason)


def _unwritable(path: Path, exc: sqlite3.Error) -> tuple[StoreReason, str]:
    """Say why SQLite could not open or write the diary: the reason and a clause."""
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return "read-only", "the file system is read-only"
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        pass
    if not may_write(path.parent) or (path.exists() and not may_write(path)):
        return "read-only", "the file or its folder is read-only"
    return "io", f"SQLite cannot open it ({sqlite_detail(exc)})"


def may_write(path: Path) -> bool:
    """Whether we may write ``path`` (as the user we act as, not the one who logged in)."""
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


def fetch(
    conn: sqlite3.Connection,
    path: Path,
    sql: str,
    params: Iterable[object] = (),
    *,
    write: bool = False,
) -> list[tuple[Any, ...]]:
    """Run ``sql`` and return every row; a failure is one StoreError."""
    try:
        return conn.execute(sql, tuple(params)).fetchall()
    except sqlite3.Error as exc:
        raise sqlite_error(exc, path, write=write) from exc
    except UnicodeDecodeError as exc:
        raise undecodable(path) from exc


def undecodable(path: Path) -> StoreError:
    """A diary with text that is not UTF-8: a flipped byte, not something ldncalc wrote."""
    return StoreError(
        f"the diary at {path} is damaged (some of its text is not valid UTF-8);"
        " it was left as it was",
        path=str(path),
        reason="damaged",
    )


def execute(
    conn: sqlite3.Connection,
    path: Path,
    sql: str,
    params: Iterable[object] = (),
    *,
    write: bool = True,
) -> int:
    """Run ``sql`` and return how many rows it changed; a failure is one StoreError."""
    try:
        return conn.execute(sql, tuple(params)).rowcount
    except sqlite3.Error as exc:
        raise sqlite_error(exc, path, write=write) from exc
