"""The diary's SQLite file: its header, damage, WAL, migrations, creation, backup, check.

What :class:`~ldncalc.diary.store.Store` builds on, and nothing of entries:
the header read as bytes (so a damaged, newer or foreign file is refused
before SQLite opens it for writing), the read-only inspection (quick_check,
application id, schema version, tables), the diary made whole under a
temporary name and linked into place, the online backup, ``data check``'s
findings, and the one mapping of SQLite's and the file system's failures to
:class:`~ldncalc.errors.StoreError`. The atomic-write and folder-sync helpers
are :mod:`ldncalc.files`'s, shared with every other file ldncalc writes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from pathlib import Path

from ldncalc.diary import failures
from ldncalc.diary.failures import (
    SQLITE_BUSY,
    SQLITE_CANTOPEN,
    SQLITE_LOCKED,
    SQLITE_READONLY,
    SQLITE_READONLY_ROLLBACK,
    fetch,
    may_write,
    one_line,
    os_error,
    sqlite_detail,
    sqlite_error,
    undecodable,
)
from ldncalc.diary.schemacheck import expected_objects, foreign_objects
from ldncalc.errors import OutputFileError, StoreError, StoreReason
from ldncalc.frozen import frozen

__all__ = [
    "APPLICATION_ID",
    "DB_FILENAME",
    "MIGRATIONS",
    "STALE_CREATION_S",
    "DiaryFile",
    "apply_migrations",
    "describe_schema",
    "schema_version",
    "set_wal",
]

DB_FILENAME = "diary.sqlite3"
# A creation takes milliseconds: a temporary diary this old was left by a killed one.
STALE_CREATION_S = 60 * 60
# PRAGMA application_id: "LDNC" in ASCII, so a database of another program
# is told apart from an ldncalc diary.
APPLICATION_ID = 0x4C444E43

# Forward migrations: MIGRATIONS[n] takes the schema from version n to n + 1
# (PRAGMA user_version). A released migration is never edited; a change of
# schema is a new migration appended here, with a fixture database made by
# the previous version in tests/data. No STRICT tables, json_valid or
# RETURNING: they would need a newer SQLite than some Pythons ship with.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        # AUTOINCREMENT: an id is never reused, even after an erase, so an
        # entry that names another by id can never come to name a stranger.
        "CREATE TABLE entries (\n"
        "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    uid TEXT NOT NULL UNIQUE CHECK (typeof(uid) = 'text' AND length(uid) = 32),\n"
        "    profile TEXT NOT NULL CHECK (typeof(profile) = 'text' AND length(profile) >= 1),\n"
        "    kind TEXT NOT NULL CHECK (typeof(kind) = 'text' AND length(kind) >= 1),\n"
        "    day TEXT NOT NULL CHECK (typeof(day) = 'text' AND length(day) = 10),\n"
        "    recorded_at TEXT NOT NULL CHECK (typeof(recorded_at) = 'text'),\n"
        "    payload TEXT NOT NULL CHECK (typeof(payload) = 'text')\n"
        ")",
        # With the implicit rowid, this index serves "one profile in id order".
        "CREATE INDEX entries_by_profile ON entries (profile)",
        "CREATE TRIGGER entries_are_never_changed BEFORE UPDATE ON entries\n"
        "BEGIN\n"
        "    SELECT RAISE(ABORT, 'diary entries are never changed');\n"
        "END",
    ),
    (
        # Schema 2: a day's status reads every entry but the daily ones of other
        # days (Store.day_records); this index finds both halves without a scan.
        "CREATE INDEX entries_by_profile_kind_day ON entries (profile, kind, day)",
    ),
)
_SQLITE_MAGIC = b"SQLite format 3\x00"


def schema_version() -> int:
    """Return the schema version this ldncalc writes (the number of migrations)."""
    return len(MIGRATIONS)


@frozen
class _Header:
    """What the first 100 bytes of a database file say (file format docs, 1.3)."""

    empty: bool
    wal: bool
    user_version: int
    application_id: int


class DiaryFile:
    """The diary's database file in one folder: inspected, created, backed up, checked."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder).absolute()
        self.path = self.folder / DB_FILENAME

    def backup(self, dest: str | os.PathLike[str]) -> Path:
        """Copy the diary to a new file ``dest`` with SQLite's online backup; return its path.

        The copy is consistent even while another ldncalc writes. It is made
        under a temporary name in ``dest``'s folder, mode 0600, and takes its
        name only when complete.

        Raises:
            OutputFileError: ``dest`` exists, its folder does not, or it cannot be written.
            StoreError: there is no diary yet, or it cannot be read.
        """
        from ldncalc import files  # writing: not needed to read a diary

        if os.fspath(dest) == "-":
            raise OutputFileError(
                "cannot write standard output: a backup is a database file, not text;"
                " name a file instead of -"
            )
        target = Path(dest).absolute()
        if target.exists() or target.is_symlink():
            raise OutputFileError(f"{target} exists; a backup never replaces a file")
        # A name beside the diary (diary.sqlite3-journal) would be taken as part of it.
        files.check_writable([target], protect=[self.path])
        if not self._inspect():
            raise StoreError(
                f"there is no diary at {self.path} yet; nothing to back up",
                path=str(self.path),
                reason="missing",
            )
        temporary = files.temporary_name(target)
        try:
            files.new_private_file(temporary)
        except OSError as exc:
            raise OutputFileError(f"cannot write {target}: {exc.strerror or exc}") from exc
        try:
            source = self._open_reader(tidy=True)
            try:
                copy = sqlite3.connect(temporary, isolation_level=None)
                try:
                    source.backup(copy)
                    # One self-contained file, whatever the source's journal mode.
                    copy.execute("PRAGMA journal_mode=DELETE").fetchall()
                finally:
                    copy.close()
            finally:
                source.close()
            with open(temporary, "rb+") as stream:
                os.fsync(stream.fileno())
            os.link(temporary, target)
            files.sync_folder(target.parent)
        except FileExistsError as exc:
            raise OutputFileError(f"{target} exists; a backup never replaces a file") from exc
        except sqlite3.Error as exc:
            raise OutputFileError(f"cannot write {target}: {sqlite_detail(exc)}") from exc
        except OSError as exc:
            raise OutputFileError(f"cannot write {target}: {exc.strerror or exc}") from exc
        finally:
            for leftover in (temporary, *(temporary + end for end in files.SIDECAR_SUFFIXES)):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(leftover)
        return target

    def exposure(self) -> list[str]:
        """Return how other users could read the diary or change its folder, with the fix."""
        found: list[str] = []
        try:
            mode = stat.S_IMODE(os.stat(self.folder).st_mode)
        except OSError:
            mode = 0o700  # no folder: nothing to say about it
        if mode & 0o022:
            found.append(
                f"the folder {self.folder} can be changed by other users (mode {mode:04o});"
                f" run chmod 700 {self.folder}"
            )
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
        except OSError:
            mode = 0o600  # no file: nothing to say about it; _precheck tells the rest
        if mode & 0o077:
            found.append(
                f"{self.path} can be read or written by other users (mode {mode:04o});"
                f" it should be 0600: run chmod 600 {self.path}"
            )
        return found

    def check(self) -> list[str]:
        """Return the problems found in the diary, one line each (empty: none); change nothing."""
        from ldncalc.files import stale_temporaries  # not needed to read a diary

        problems = self.exposure()
        problems.extend(
            f"{leftover} was left by a creation of the diary that was cut short;"
            " the next entry recorded removes it"
            for leftover in stale_temporaries(self.folder, STALE_CREATION_S)
        )
        try:
            header = self._precheck()
            if header is None or header.empty:
                return problems
            conn = self._open_reader(recover=False)  # check() never writes
        except StoreError as exc:
            return [*problems, str(exc)]
        try:
            version, application_id, objects = describe_schema(conn)
            problem = self._classify(version, application_id, objects)
            if problem is not None:
                return [*problems, problem]
            expected = expected_objects(MIGRATIONS[:version])
            missing = sorted(set(expected) - set(objects))
            problems.extend(f"the diary lacks its {t} {n!r}" for t, n in missing)
            problems.extend(foreign_objects(MIGRATIONS[:version], objects))
            rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
            problems.extend(
                f"integrity: {one_line(str(row[0]))}" for row in rows if row and row[0] != "ok"
            )
        except sqlite3.Error as exc:
            problems.append(str(sqlite_error(exc, self.path, write=False)))
        except UnicodeDecodeError:
            problems.append(str(undecodable(self.path)))
        finally:
            conn.close()
        return problems

    def _classify(
        self, version: int, application_id: int, objects: dict[tuple[str, str], str]
    ) -> str | None:
        """Return why a diary of this description cannot be used, or None."""
        if version == 0 and application_id == 0 and not objects:
            return None  # a new, empty database
        if application_id != APPLICATION_ID or version <= 0:
            return f"{self.path} is not an ldncalc diary; it was left as it was"
        if version > schema_version():
            return (
                f"the diary at {self.path} was made by a newer ldncalc (schema {version};"
                f" this one knows up to {schema_version()}); it was left as it was"
            )
        return None

    def _reason(self, version: int) -> StoreReason:
        return "newer" if version > schema_version() else "foreign"

    def _header(self) -> _Header | None:
        """Read and check the file's header; None when there is no database yet.

        Raises StoreError for a file that is not a database or is cut short.
        """
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return None
        except NotADirectoryError as exc:
            _make_folder(self.folder, self.path, create=False)  # names the file in the way
            raise os_error(exc, f"read the diary at {self.path}", self.path) from exc
        except OSError as exc:
            raise os_error(exc, f"read the diary at {self.path}", self.path) from exc
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(
                f"{self.path} is not a file; it was left as it was",
                path=str(self.path),
                reason="foreign",
            )
        size = info.st_size
        if size == 0:
            # Created, then killed before its first transaction: an empty database.
            return _Header(empty=True, wal=False, user_version=0, application_id=0)
        try:
            with open(self.path, "rb") as stream:
                head = stream.read(100)
        except OSError as exc:
            raise os_error(exc, f"read the diary at {self.path}", self.path) from exc
        problem = _header_problem(head, size)
        if problem is not None:
            raise StoreError(
                f"the diary at {self.path} is damaged ({problem}); it was left as it was",
                path=str(self.path),
                reason="damaged",
            )
        return _Header(
            empty=False,
            wal=head[18] == 2 and head[19] == 2,
            user_version=int.from_bytes(head[60:64], "big", signed=True),
            application_id=int.from_bytes(head[68:72], "big", signed=True),
        )

    def _log_present(self) -> bool:
        """Whether a non-empty write-ahead log beside the file may hold newer pages."""
        try:
            return os.stat(f"{self.path}-wal").st_size > 0
        except OSError:
            return False

    def _precheck(self) -> _Header | None:
        """Refuse from the file's bytes alone what they can tell; None when there is no file.

        Without a non-empty write-ahead log beside it, the header is the whole
        truth about the schema version and the application: a newer or a
        foreign diary is refused without SQLite opening it at all.
        """
        header = self._header()
        if header is None or header.empty or self._log_present():
            return header
        if header.user_version == 0 and header.application_id == 0:
            return header  # looks new; only SQLite can say whether it holds tables
        problem = self._classify(header.user_version, header.application_id, {})
        if problem is not None:
            raise StoreError(problem, path=str(self.path), reason=self._reason(header.user_version))
        return header

    def _examine(self, conn: sqlite3.Connection) -> int:
        """Return the schema version seen by ``conn``; refuse a newer, foreign or damaged diary.

        The quick_check reads every page (a few milliseconds for years of
        entries), so damage is found before a command builds on it.
        """
        version, application_id, objects = describe_schema(conn, self.path)
        problem = self._classify(version, application_id, objects)
        if problem is not None:
            raise StoreError(problem, path=str(self.path), reason=self._reason(version))
        if version == 0:
            return 0
        rows = fetch(conn, self.path, "PRAGMA quick_check(1)")
        result = one_line(str(rows[0][0])) if rows else "no answer"
        if result != "ok":
            raise StoreError(
                f"the diary at {self.path} is damaged ({result}); it was left as it was",
                path=str(self.path),
                reason="damaged",
            )
        if not set(expected_objects(MIGRATIONS[:version])) <= set(objects):
            raise StoreError(
                f"the diary at {self.path} is damaged (parts of its schema are missing);"
                " it was left as it was",
                path=str(self.path),
                reason="damaged",
            )
        self._refuse_foreign_schema(version, objects)
        return version

    def _refuse_foreign_schema(self, version: int, objects: dict[tuple[str, str], str]) -> None:
        """Refuse a diary whose schema holds what ldncalc's migrations did not make.

        A trigger, view, table, index or column planted in the file would act
        on every command (insert entries, delete them, swallow a write): the
        file is refused before anything is read or recorded.
        """
        foreign = foreign_objects(MIGRATIONS[:version], objects)
        if foreign:
            raise StoreError(
                f"{self.path} was changed outside ldncalc: {foreign[0]}"
                f"{f' (and {len(foreign) - 1} more)' if len(foreign) > 1 else ''}; "
                "it was left as it was",
                path=str(self.path),
                reason="tampered",
            )

    def _inspect(self, *, for_write: bool = False) -> int | None:
        """Return the diary's schema version (0: empty), or None if there is no file.

        Refuses (StoreError) a damaged, newer or foreign database without
        writing to it: first from its bytes, then through a read-only
        connection (quick_check, the application id, the list of tables).
        """
        header = self._precheck()
        if header is None:
            return None
        if header.empty:
            return 0
        conn = self._open_reader(write=for_write)
        try:
            return self._examine(conn)
        finally:
            conn.close()

    def _create(self) -> bool:
        """Create the folder (0700) and the diary (0600), whole, under its name at once.

        The diary is made under a temporary name (WAL mode, the schema of
        this version) and then linked to its name, which fails if the name
        exists: no process ever sees a half-made diary, and one killed while
        creating leaves at most a stray temporary file. Returns False if
        another ldncalc made the diary first.
        """
        from ldncalc import files  # writing: not needed to read a diary

        _make_folder(self.folder, self.path)
        files.remove_stale_temporaries(self.folder, STALE_CREATION_S)
        temporary = Path(files.temporary_name(self.path))
        try:
            files.new_private_file(temporary)
            conn = _connect(temporary, readonly=False)
            try:
                set_wal(conn, self.path)
                conn.execute("BEGIN IMMEDIATE")
                apply_migrations(conn, 0)
                conn.execute("COMMIT")
            finally:
                conn.close()  # the last connection: the log goes into the file
            with open(temporary, "rb+") as stream:
                os.fsync(stream.fileno())
            try:
                os.link(temporary, self.path)
            except FileExistsError:
                return False
            except OSError:
                # No hard links on this file system (FAT, some network shares): an
                # empty file instead, which the first transaction makes a diary.
                return self._create_empty()
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, write=True) from exc
        except OSError as exc:
            raise os_error(exc, f"create the diary {self.path}", self.path) from exc
        finally:
            for leftover in (temporary, *(Path(f"{temporary}{e}") for e in files.SIDECAR_SUFFIXES)):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
        self._sync_folder()
        return True

    def _create_empty(self) -> bool:
        """Create an empty database file (0600); False if another ldncalc made one first."""
        from ldncalc.files import new_private_file  # not needed to read a diary

        try:
            new_private_file(self.path)
        except FileExistsError:
            return False
        except OSError as exc:
            raise os_error(exc, f"create the diary {self.path}", self.path) from exc
        self._sync_folder()
        return True

    def _sync_folder(self) -> None:
        """Make the new diary's name durable; a failure to is the store's error, not ignored."""
        from ldncalc.files import sync_folder  # not needed to read a diary

        try:
            sync_folder(self.folder)
        except OSError as exc:
            raise os_error(exc, f"create the diary {self.path}", self.path) from exc

    def _connect_checked(self, *, readonly: bool) -> sqlite3.Connection:
        try:
            return _connect(self.path, readonly=readonly)
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, write=not readonly) from exc

    def _open_reader(
        self, *, write: bool = False, tidy: bool = False, recover: bool = True
    ) -> sqlite3.Connection:
        """Open a connection to read the diary, and read through it once.

        A diary in WAL mode is read with a -wal and a -shm file beside it,
        which SQLite creates if they are missing. A read-only connection
        (mode=ro, for inspecting a file not yet known to be sound) cannot
        delete them when it closes. A ``tidy`` one, for files already
        inspected, is opened read-write but only ever reads: as the last
        connection it removes them, so a read leaves the folder as it was.

        In a folder we cannot write (read-only media, another user's folder)
        and with no log left to replay, the file alone is the whole diary: it
        is then read as immutable, which needs neither. ``write`` words the
        errors for a command that was about to write.

        A change interrupted in rollback-journal mode (a diary restored from a
        backup, killed while becoming WAL) leaves a hot journal that only a
        read-write connection may roll back; with ``recover``, that is done
        (SQLite's own recovery, after the header was found sound) and the
        read-only connection is opened again.
        """
        try:
            conn = _connect(self.path, readonly=not tidy)
            try:
                conn.execute("PRAGMA user_version").fetchall()
            except BaseException:
                conn.close()
                raise
        except sqlite3.Error as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            if code == SQLITE_READONLY_ROLLBACK and recover:
                self._roll_back_interrupted()
                return self._open_reader(write=write, tidy=tidy, recover=False)
            primary = code & 0xFF if isinstance(code, int) else None
            unreadable_here = primary in (SQLITE_READONLY, SQLITE_CANTOPEN)
            pending = self._log_present() or os.path.exists(f"{self.path}-journal")
            if not unreadable_here or pending or may_write(self.folder):
                raise sqlite_error(exc, self.path, write=write) from exc
            try:
                conn = _connect(self.path, readonly=True, immutable=True)
                try:
                    conn.execute("PRAGMA user_version").fetchall()
                except BaseException:
                    conn.close()
                    raise
            except sqlite3.Error as again:
                raise sqlite_error(again, self.path, write=write) from again
        return conn

    def _roll_back_interrupted(self) -> None:
        """Let SQLite roll back an interrupted change (a hot journal) through a writer."""
        conn = self._connect_checked(readonly=False)
        try:
            fetch(conn, self.path, "PRAGMA user_version", write=True)
        finally:
            conn.close()

    def _truncate_log(self) -> None:
        """Empty the write-ahead log, so erased entries leave no copy in it (best effort)."""
        try:
            conn = _connect(self.path, readonly=False)
        except sqlite3.Error:
            return
        try:
            # A reader holding an old snapshot would make this wait: not for long.
            conn.execute("PRAGMA busy_timeout = 1000")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error:
            pass
        finally:
            conn.close()


def _connect(path: Path, *, readonly: bool, immutable: bool = False) -> sqlite3.Connection:
    """Open a connection; mode=rw never creates the file (that is done with mode 0600)."""
    mode = "ro" if readonly else "rw"
    extra = "&immutable=1" if immutable else ""
    conn = sqlite3.connect(
        f"{path.as_uri()}?mode={mode}{extra}",
        uri=True,
        timeout=failures.BUSY_TIMEOUT_S,
        isolation_level=None,
    )
    try:
        # Nothing in a diary's schema needs to call functions with side effects.
        conn.execute("PRAGMA trusted_schema=OFF")
        if not readonly:
            # Every committed entry reaches the disk before the command says so.
            conn.execute("PRAGMA synchronous=FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def _page_size(head: bytes) -> int:
    value = int.from_bytes(head[16:18], "big")
    return 65536 if value == 1 else value


def set_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Put the database in WAL mode, waiting like BEGIN IMMEDIATE for another process.

    Changing the journal mode does not call SQLite's busy handler: it fails
    at once while another connection holds a lock, so the wait is done here.
    """
    deadline = time.monotonic() + failures.BUSY_TIMEOUT_S
    while True:
        try:
            row = conn.execute("PRAGMA journal_mode=WAL").fetchone()
        except sqlite3.Error as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            busy = isinstance(code, int) and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
            if busy and time.monotonic() < deadline:
                time.sleep(0.005)
                continue
            raise sqlite_error(exc, path, write=True) from exc
        if row is None or str(row[0]).lower() != "wal":
            raise StoreError(
                f"cannot save to the diary at {path}: SQLite could not put it in WAL mode"
                f" (it stayed in {row[0] if row else 'an unknown'} mode); nothing was saved",
                path=str(path),
                reason="io",
            )
        return


def apply_migrations(conn: sqlite3.Connection, version: int) -> None:
    """Inside an open transaction: migrate from ``version`` to the newest schema."""
    for step in MIGRATIONS[version:]:
        for statement in step:
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {schema_version()}")


def _header_problem(head: bytes, size: int) -> str | None:
    """Return what is wrong with a database header (SQLite file format, section 1.3).

    These bytes never change once a database exists, so they can be read
    without a lock even while another process writes.
    """
    if head[: len(_SQLITE_MAGIC)] != _SQLITE_MAGIC:
        if head == _SQLITE_MAGIC[: len(head)]:
            return f"cut short at {size} bytes"
        return "not an SQLite database"
    if len(head) < 100:
        return f"cut short at {size} bytes"
    page_size = _page_size(head)
    if page_size < 512 or page_size & (page_size - 1):
        return "an impossible page size"
    if head[18] not in (1, 2) or head[19] not in (1, 2) or head[21:24] != b"\x40\x20\x20":
        return "an unknown file format"
    return None


def describe_schema(
    conn: sqlite3.Connection, path: Path | None = None
) -> tuple[int, int, dict[tuple[str, str], str]]:
    """Return the user_version, application_id and schema objects seen by ``conn``."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    except sqlite3.Error as exc:
        if path is None:
            raise
        raise sqlite_error(exc, path, write=False) from exc
    except UnicodeDecodeError as exc:
        if path is None:
            raise
        raise undecodable(path) from exc
    objects = {(str(kind), str(name)): str(sql) for kind, name, sql in rows}
    return version, application_id, objects


def _make_folder(folder: Path, path: Path, *, create: bool = True) -> None:
    """Create ``folder`` and its missing parents, each mode 0700.

    With ``create`` false, only refuse a folder that a file stands in the way of.
    """
    missing: list[Path] = []
    current = folder
    while True:
        try:
            info = os.stat(current)
        except (FileNotFoundError, NotADirectoryError):
            missing.append(current)
            if current.parent == current:
                break
            current = current.parent
            continue
        except OSError as exc:
            raise os_error(exc, f"use the folder {current}", path) from exc
        if not stat.S_ISDIR(info.st_mode):
            raise StoreError(
                f"cannot keep the diary in {folder}: {current} is not a folder",
                path=str(path),
                reason="not-a-folder",
            )
        break
    if not create:
        return
    for new in reversed(missing):
        try:
            os.mkdir(new, 0o700)
        except FileExistsError:
            continue  # made meanwhile by another ldncalc
        except OSError as exc:
            raise os_error(exc, f"create the folder {new}", path) from exc
        try:
            os.chmod(new, 0o700)
        except OSError as exc:
            raise os_error(exc, f"create the folder {new}", path) from exc
