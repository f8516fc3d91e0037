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

__all__ = ["BUSY_TIMEOUT_S"]

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


def _os_error(exc: OSError, doing: str, path: Path) -> StoreError:
    reason: StoreReason = _OS_REASONS.get(exc.errno or 0, "io")
    return StoreError(f"cannot {doing}: {exc.strerror or exc}", path=str(path), reason=reason)


# Primary result codes of SQLite (https://sqlite.org/rescode.html).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26
_SQLITE_READONLY_ROLLBACK = 8 | (3 << 8)


def _one_line(text: str) -> str:
    """Return SQLite's report on one line, without its "*** in database main ***" heading."""
    lines = [line.strip() for line in text.splitlines()]
    useful = [line for line in lines if line and not line.startswith("***")]
    return "; ".join(useful) if useful else " ".join(lines)


def _sqlite_detail(exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", None)
    text = _one_line(str(exc)) or type(exc).__name__
    return f"{text} ({name})" if name else text


def _sqlite_error(exc: sqlite3.Error, path: Path, *, write: bool) -> StoreError:
    """Turn an SQLite failure into one StoreError with a one-line message."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    outcome = "; nothing was saved" if write else ""
    where = f"the diary at {path}"
    reason: StoreReason
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        message = f"{where} is damaged ({_one_line(str(exc))}); it was left as it was"
        reason = "damaged"
    elif primary == _SQLITE_FULL:
        message = f"cannot save to {where}: the disk is full{outcome}"
        reason = "full"
    elif code == _SQLITE_READONLY_ROLLBACK and not write:
        message = f"{where} holds an interrupted change that its next writer will roll back"
        reason = "io"
    elif primary in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
        reason, why = _unwritable(path, exc)
        if write:
            message = f"cannot save to {where}: {why}{outcome}"
        elif reason == "read-only":
            message = f"cannot read {where}: {why}, and SQLite must keep files beside it"
        else:
            message = f"cannot read {where}: {why}"
    elif primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        message = (
            f"{where} stayed in use by another ldncalc for {BUSY_TIMEOUT_S:g} seconds{outcome}"
        )
        reason = "busy"
    elif primary == _SQLITE_PERM:
        message = f"cannot use {where}: permission denied{outcome}"
        reason = "permission"
    elif primary == _SQLITE_IOERR:
        action = "save to" if write else "read"
        name = getattr(exc, "sqlite_errorname", None) or "SQLITE_IOERR"
        message = f"cannot {action} {where}: the system reported an input/output error"
        message += f" ({name}){outcome}"
        reason = "io"
    else:
        action = "save to" if write else "read"
        message = f"cannot {action} {where}: {_sqlite_detail(exc)}{outcome}"
        reason = "io"
    return StoreError(message, path=str(path), reason=reason)


def _unwritable(path: Path, exc: sqlite3.Error) -> tuple[StoreReason, str]:
    """Say why SQLite could not open or write the diary: the reason and a clause."""
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return "read-only", "the file system is read-only"
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        pass
    if not _may_write(path.parent) or (path.exists() and not _may_write(path)):
        return "read-only", "the file or its folder is read-only"
    return "io", f"SQLite cannot open it ({_sqlite_detail(exc)})"


def _may_write(path: Path) -> bool:
    """Whether we may write ``path`` (as the user we act as, not the one who logged in)."""
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


def _fetch(
    conn: sqlite3.Connection,
    path: Path,
    sql: str,
    params: Iterable[object] = (),
    *,
    write: bool = False,
) -> list[tuple[Any, ...]]:
    try:
        return conn.execute(sql, tuple(params)).fetchall()
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, path, write=write) from exc
    except UnicodeDecodeError as exc:
        raise _undecodable(path) from exc


def _undecodable(path: Path) -> StoreError:
    """A diary with text that is not UTF-8: a flipped byte, not something ldncalc wrote."""
    return StoreError(
        f"the diary at {path} is damaged (some of its text is not valid UTF-8);"
        " it was left as it was",
        path=str(path),
        reason="damaged",
    )


def _execute(
    conn: sqlite3.Connection,
    path: Path,
    sql: str,
    params: Iterable[object] = (),
    *,
    write: bool = True,
) -> int:
    try:
        return conn.execute(sql, tuple(params)).rowcount
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, path, write=write) from exc
