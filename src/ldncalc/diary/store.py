"""The diary store: one SQLite database per user, holding append-only entries.

This is the only module of ldncalc that touches SQLite. It knows nothing of
doses or plans: an entry is a profile, a kind, the calendar day it is about,
the moment it was recorded (UTC) and a JSON object made by another module.

What it guarantees:

- The database is created on the first write only: made whole (WAL mode,
  schema) under a temporary name and linked to ``diary.sqlite3`` in one step,
  so no process ever sees a half-made diary. Its folder is mode 0700 and the
  file (and SQLite's -wal and -shm files beside it) 0600, whatever the umask.
  Reading a diary that does not exist finds no entries and creates nothing.
- Every write is one ``BEGIN IMMEDIATE`` transaction in WAL mode with a long
  busy timeout, so two processes at once both succeed, one waiting for the
  other, and a check-then-append inside one transaction is free of races.
  Commits are synchronous (``synchronous=FULL``): an entry whose transaction
  committed survives the process being killed, and a power cut.
- Entries are never changed (a trigger refuses any UPDATE); the only deletion
  is :meth:`Store.erase` of a whole profile, which overwrites what it deletes.
- A damaged file, or one from a newer ldncalc or another program, is refused
  with one :class:`~ldncalc.errors.StoreError` and left byte for byte as it
  was: its header is read as bytes first, then SQLite looks through a
  read-only connection (``mode=ro``: quick_check, application id, schema
  version, tables) before any connection that could write to it is opened.
  A read-only connection cannot remove the -wal and -shm files SQLite makes
  beside a WAL database, so when SQLite itself had to find the damage they
  may remain (empty); the database file is untouched. Once a diary is found
  sound, reads go through a connection that only reads but may tidy those
  files away when it closes.
- Any failure of SQLite or of the file system (read-only, full, damaged,
  busy) becomes one ``StoreError`` with a one-line message; no ``sqlite3``
  exception leaves this module.

Entries carry a random ``uid`` (uuid4 hex, unique in the database) besides
their local ``id``: exports keep it, imports merge by it, and entries that
refer to each other across databases use it. Ids are never reused, even
after an erase.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import sqlite3
import stat
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ldncalc.errors import (
    InvalidInputError,
    OutputFileError,
    RefusedError,
    StoreError,
    StoreReason,
)

# Not typing.TYPE_CHECKING: importing typing costs start-up time (see
# ldncalc/__init__.py). Type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

__all__ = [
    "DB_FILENAME",
    "DEFAULT_PROFILE",
    "EXPORT_SCHEMA",
    "HOME_ENV",
    "MIGRATIONS",
    "Record",
    "Store",
    "Transaction",
    "default_folder",
    "new_uid",
    "schema_version",
    "validate_profile",
]

DB_FILENAME = "diary.sqlite3"
HOME_ENV = "LDNCALC_HOME"
DEFAULT_PROFILE = "default"
EXPORT_SCHEMA = "ldncalc.diary/1"
# PRAGMA application_id: "LDNC" in ASCII, so a database of another program
# is told apart from an ldncalc diary.
APPLICATION_ID = 0x4C444E43
# How long a command waits for another one holding the diary before giving up.
BUSY_TIMEOUT_S = 30.0

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
)

_PROFILE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
_KIND_RE = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_UID_RE = re.compile(r"[0-9a-f]{32}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ENTRY_KEYS = ("uid", "kind", "date", "recorded_at", "payload")
_DOCUMENT_KEYS = ("schema", "profile", "entries")
_COLUMNS = "id, uid, profile, kind, day, recorded_at, payload"
_SQLITE_MAGIC = b"SQLite format 3\x00"
# SQLite's limit on parameters was 999 before 3.32.
_CHUNK = 500


def new_uid() -> str:
    """Return a new random uid: the 32 hex digits of a version 4 UUID."""
    # Not the uuid module: on Linux it imports platform, which costs start-up time.
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


def schema_version() -> int:
    """Return the schema version this ldncalc writes (the number of migrations)."""
    return len(MIGRATIONS)


@dataclass(frozen=True, slots=True)
class Record:
    """One diary entry as stored: never changed once written."""

    id: int
    uid: str
    profile: str
    kind: str
    day: date
    recorded_at: datetime
    payload: str


def default_folder(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder of the diary database (absolute).

    Args:
        explicit: a folder the user named; wins over everything else.

    Returns:
        ``explicit``, else the folder in the ``LDNCALC_HOME`` environment
        variable, else the platform's user data folder for ldncalc. A leading
        ``~`` is expanded.
    """
    if explicit is not None:
        text = os.fspath(explicit)
        if not text:
            raise InvalidInputError("the data folder name is empty")
        return Path(text).expanduser().absolute()
    env = os.environ.get(HOME_ENV, "")
    if env:
        return Path(env).expanduser().absolute()
    import platformdirs  # only when no folder was named: it costs start-up time

    # appauthor=False: no second "ldncalc" level on Windows.
    return platformdirs.user_data_path("ldncalc", appauthor=False).absolute()


def validate_profile(name: object) -> str:
    """Return ``name`` if it can name a profile, else raise InvalidInputError."""
    if not isinstance(name, str) or _PROFILE_RE.fullmatch(name) is None:
        raise InvalidInputError(
            f"the profile name {name!r} is not allowed: use 1 to 40 letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"
        )
    return name


class Transaction:
    """One write transaction on one profile, from :meth:`Store.transaction`."""

    __slots__ = ("_conn", "_open", "_path", "profile")

    def __init__(self, conn: sqlite3.Connection, profile: str, path: Path) -> None:
        self._conn = conn
        self._path = path
        self._open = True
        self.profile = profile

    def records(self) -> list[Record]:
        """Return this profile's entries, appended ones included, in id order."""
        self._check_open()
        return _select(
            self._conn,
            self._path,
            f"SELECT {_COLUMNS} FROM entries WHERE profile = ? ORDER BY id",
            (self.profile,),
        )

    def append(
        self,
        kind: str,
        day: date,
        payload: str,
        *,
        recorded_at: datetime | None = None,
        uid: str | None = None,
    ) -> Record:
        """Add one entry to this profile and return it as stored.

        Args:
            kind: a lower-case word such as ``took`` (letters, digits, ``_``, ``-``).
            day: the calendar date the entry is about.
            payload: a JSON object as text; it is kept in compact form.
            recorded_at: when it was recorded (aware); now by default. Kept in UTC.
            uid: 32 lower-case hex digits; a new random uuid4 by default.

        Raises:
            InvalidInputError: a bad argument, or a uid already in the diary.
        """
        self._check_open()
        kind = _check_kind(kind, "the entry kind")
        day = _check_day(day)
        text = _payload_text(_parse_payload(payload, "the entry payload"), "the entry payload")
        when = datetime.now(UTC) if recorded_at is None else _check_moment(recorded_at)
        uid = new_uid() if uid is None else _check_uid(uid, "the entry uid")
        found = _owners(self._conn, self._path, [uid])
        if uid in found:
            raise InvalidInputError(f"an entry with uid {uid} is already in the diary")
        return _insert(self._conn, self._path, self.profile, kind, day, when, uid, text)

    def _check_open(self) -> None:
        if not self._open:
            raise RuntimeError("the diary transaction is over; open a new one")


@dataclass(frozen=True, slots=True)
class _Header:
    """What the first 100 bytes of a database file say (file format docs, 1.3)."""

    empty: bool
    wal: bool
    user_version: int
    application_id: int
    # The file's size disagrees with its header: only SQLite can judge (quick_check).
    suspect: bool


@dataclass(frozen=True, slots=True)
class _Incoming:
    uid: str
    kind: str
    day: date
    recorded_at: datetime
    payload: str


class Store:
    """The diary database in one folder; nothing is opened until it is used."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder).absolute()
        self.path = self.folder / DB_FILENAME
        self._busy = False

    @property
    def where(self) -> Path:
        """The database file (it may not exist yet)."""
        return self.path

    def __repr__(self) -> str:
        return f"Store({str(self.folder)!r})"

    # -- reading ---------------------------------------------------------------

    def records(
        self,
        profile: str = DEFAULT_PROFILE,
        *,
        start: date | None = None,
        end: date | None = None,
    ) -> list[Record]:
        """Return the profile's entries about days from ``start`` to ``end`` (both included).

        Reads without a write lock and creates nothing; a diary that does not
        exist has no entries.
        """
        name = validate_profile(profile)
        first = "0000-00-00" if start is None else _check_day(start, "the first date").isoformat()
        last = "9999-99-99" if end is None else _check_day(end, "the last date").isoformat()
        if start is not None and end is not None and start > end:
            raise InvalidInputError(f"the first date {start} is after the last date {end}")
        with self._reading() as conn:
            if conn is None:
                return []
            return _select(
                conn,
                self.path,
                f"SELECT {_COLUMNS} FROM entries"
                " WHERE profile = ? AND day >= ? AND day <= ? ORDER BY id",
                (name, first, last),
            )

    def profiles(self) -> list[str]:
        """Return the names of the profiles that have entries, sorted."""
        with self._reading() as conn:
            if conn is None:
                return []
            rows = _fetch(conn, self.path, "SELECT DISTINCT profile FROM entries ORDER BY profile")
        return [str(row[0]) for row in rows]

    def export_profile(self, profile: str = DEFAULT_PROFILE) -> dict[str, Any]:
        """Return the profile's entries as a JSON-able document for :meth:`import_profile`.

        ``{"schema": "ldncalc.diary/1", "profile": ..., "entries": [{"uid",
        "kind", "date", "recorded_at", "payload"}]}``, entries in id order, each
        payload as a JSON object. Ids are local to a diary and not exported.
        """
        name = validate_profile(profile)
        entries: list[dict[str, Any]] = []
        for record in self.records(name):
            try:
                payload = json.loads(record.payload)
            except ValueError as exc:
                raise StoreError(
                    f"the diary at {self.path} is damaged (entry {record.id} holds no JSON)",
                    path=str(self.path),
                    reason="damaged",
                ) from exc
            entries.append(
                {
                    "uid": record.uid,
                    "kind": record.kind,
                    "date": record.day.isoformat(),
                    "recorded_at": _moment_text(record.recorded_at),
                    "payload": payload,
                }
            )
        return {"schema": EXPORT_SCHEMA, "profile": name, "entries": entries}

    # -- writing ---------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, profile: str = DEFAULT_PROFILE) -> Iterator[Transaction]:
        """Open one write transaction on ``profile``: commit on exit, roll back on error.

        The transaction holds the diary's write lock from the start (``BEGIN
        IMMEDIATE``), so what ``records()`` shows stays true until it ends.
        The database is created if it does not exist.
        """
        name = validate_profile(profile)
        with self._writing() as conn:
            tx = Transaction(conn, name, self.path)
            try:
                yield tx
            finally:
                tx._open = False

    def import_profile(self, profile: str, data: object) -> int:
        """Add the entries of an export to ``profile`` and return how many were new.

        Entries already in the profile (same uid, same content) are skipped;
        nothing is ever overwritten. The document is checked whole before
        anything is written, and the import is one transaction.

        Raises:
            InvalidInputError: the document is not a valid export, or one of
                its entries differs from the diary's entry with the same uid.
            RefusedError: an entry's uid belongs to another profile.
        """
        name = validate_profile(profile)
        incoming = _parse_document(data)
        added = 0
        with self._writing() as conn:
            owners: dict[str, tuple[str, Record]] = {}
            uids = [entry.uid for entry in incoming]
            for index in range(0, len(uids), _CHUNK):
                owners.update(_owners(conn, self.path, uids[index : index + _CHUNK]))
            for number, entry in enumerate(incoming, start=1):
                known = owners.get(entry.uid)
                if known is None:
                    _insert(
                        conn,
                        self.path,
                        name,
                        entry.kind,
                        entry.day,
                        entry.recorded_at,
                        entry.uid,
                        entry.payload,
                    )
                    added += 1
                    continue
                owner, record = known
                if owner != name:
                    raise RefusedError(
                        f"entry {number} of the export ({entry.uid}) is already in the diary"
                        f" under the profile {owner!r}; an import never moves entries"
                    )
                same = (
                    record.kind == entry.kind
                    and record.day == entry.day
                    and record.recorded_at == entry.recorded_at
                    and record.payload == entry.payload
                )
                if not same:
                    raise InvalidInputError(
                        f"entry {number} of the export ({entry.uid}) differs from the entry"
                        " with the same uid in the diary; an import never overwrites"
                    )
        return added

    def erase(self, profile: str) -> int:
        """Delete every entry of ``profile`` (the only deletion) and return how many.

        Deleted entries are overwritten in the file (secure_delete) and the
        write-ahead log is emptied afterwards when no one else is reading.
        """
        name = validate_profile(profile)
        if not self._inspect():
            return 0  # no diary, or an empty one: nothing to erase, nothing to create
        with self._writing(secure_delete=True) as conn:
            count = _execute(conn, self.path, "DELETE FROM entries WHERE profile = ?", (name,))
        if count:
            self._truncate_log()
        return count

    def backup(self, dest: str | os.PathLike[str]) -> Path:
        """Copy the diary to a new file ``dest`` with SQLite's online backup; return its path.

        The copy is consistent even while another ldncalc writes. It is made
        under a temporary name in ``dest``'s folder, mode 0600, and takes its
        name only when complete.

        Raises:
            OutputFileError: ``dest`` exists, its folder does not, or it cannot be written.
            StoreError: there is no diary yet, or it cannot be read.
        """
        target = Path(dest).absolute()
        if target.exists() or target.is_symlink():
            raise OutputFileError(f"{target} exists; a backup never replaces a file")
        if not target.parent.is_dir():
            raise OutputFileError(
                f"cannot write {target}: the folder {target.parent} does not exist"
            )
        if not self._inspect():
            raise StoreError(
                f"there is no diary at {self.path} yet; nothing to back up",
                path=str(self.path),
                reason="missing",
            )
        import tempfile  # only here: it costs start-up time

        try:
            handle, temporary = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
        except OSError as exc:
            raise OutputFileError(f"cannot write {target}: {exc.strerror or exc}") from exc
        os.close(handle)
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
        except FileExistsError as exc:
            raise OutputFileError(f"{target} exists; a backup never replaces a file") from exc
        except sqlite3.Error as exc:
            raise OutputFileError(f"cannot write {target}: {_sqlite_detail(exc)}") from exc
        except OSError as exc:
            raise OutputFileError(f"cannot write {target}: {exc.strerror or exc}") from exc
        finally:
            for leftover in (temporary, *(f"{temporary}-{end}" for end in _SIDE_FILES)):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(leftover)
        return target

    def check(self) -> list[str]:
        """Return the problems found in the diary, one line each (empty: none); change nothing."""
        problems: list[str] = []
        try:
            mode = stat.S_IMODE(os.stat(self.path).st_mode)
        except OSError:
            mode = 0o600  # no file: nothing to say about it; _precheck tells the rest
        if mode & 0o077:
            problems.append(
                f"{self.path} can be read or written by other users (mode {mode:04o});"
                " it should be 0600"
            )
        try:
            header = self._precheck()
            if header is None or header.empty:
                return problems
            conn = self._open_reader(recover=False)  # check() never writes
        except StoreError as exc:
            return [*problems, str(exc)]
        try:
            version, application_id, objects = _describe(conn)
            problem = self._classify(version, application_id, objects)
            if problem is not None:
                return [*problems, problem]
            expected = _expected_objects(version)
            missing = sorted(set(expected) - set(objects))
            extra = sorted(set(objects) - set(expected))
            changed = sorted(
                key for key, sql in expected.items() if key in objects and objects[key] != sql
            )
            problems.extend(f"the diary lacks its {t} {n!r}" for t, n in missing)
            problems.extend(f"the diary has an unknown {t} {n!r}" for t, n in extra)
            problems.extend(f"the diary's {t} {n!r} is not as ldncalc made it" for t, n in changed)
            rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
            problems.extend(
                f"integrity: {_one_line(str(row[0]))}" for row in rows if row and row[0] != "ok"
            )
        except sqlite3.Error as exc:
            problems.append(str(_sqlite_error(exc, self.path, write=False)))
        finally:
            conn.close()
        return problems

    # -- inside ----------------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """Yield a connection to read a usable diary, or None when there is none yet."""
        header = self._precheck()
        if header is None or header.empty:
            yield None
            return
        conn = self._open_reader()
        try:
            version = self._examine(conn)
        finally:
            conn.close()
        if version == 0:
            yield None
            return
        if version < schema_version():
            # An older diary is brought up to date first; that commits nothing else.
            with self._writing():
                pass
        conn = self._open_reader(tidy=True)
        try:
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def _writing(self, *, secure_delete: bool = False) -> Iterator[sqlite3.Connection]:
        """Yield a connection inside BEGIN IMMEDIATE, the schema up to date; commit at the end."""
        if self._busy:
            raise RuntimeError("a diary transaction is already open on this store")
        if self._inspect(for_write=True) is None and not self._create():
            self._inspect(for_write=True)  # another ldncalc made it meanwhile
        header = self._header()
        conn = self._connect_checked(readonly=False)
        self._busy = True
        try:
            try:
                if header is None or not header.wal:
                    # An empty file, or a diary restored from a backup: WAL from now on.
                    _set_wal(conn, self.path)
                if secure_delete:
                    _fetch(conn, self.path, "PRAGMA secure_delete=ON", write=True)
                _execute(conn, self.path, "BEGIN IMMEDIATE", write=True)
            except BaseException:
                conn.close()
                raise
            try:
                self._migrate(conn)
                yield conn
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise _sqlite_error(exc, self.path, write=True) from exc
        finally:
            self._busy = False
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Inside the write transaction: refuse a newer or foreign diary, migrate an older one."""
        version, application_id, objects = _describe(conn, self.path)
        problem = self._classify(version, application_id, objects)
        if problem is not None:
            raise StoreError(problem, path=str(self.path), reason=self._reason(version))
        target = schema_version()
        if version == target:
            return
        try:
            _apply_migrations(conn, version)
        except sqlite3.Error as exc:
            error = _sqlite_error(exc, self.path, write=True)
            if error.reason in ("full", "read-only", "busy", "permission"):
                raise error from exc
            raise StoreError(
                f"cannot bring the diary at {self.path} up to date (schema {version} to"
                f" {target}): {_sqlite_detail(exc)}; it was left as it was",
                path=str(self.path),
                reason="migration",
            ) from exc

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
            raise _os_error(exc, f"read the diary at {self.path}", self.path) from exc
        except OSError as exc:
            raise _os_error(exc, f"read the diary at {self.path}", self.path) from exc
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(
                f"{self.path} is not a file; it was left as it was",
                path=str(self.path),
                reason="foreign",
            )
        size = info.st_size
        if size == 0:
            # Created, then killed before its first transaction: an empty database.
            return _Header(empty=True, wal=False, user_version=0, application_id=0, suspect=False)
        try:
            with open(self.path, "rb") as stream:
                head = stream.read(100)
        except OSError as exc:
            raise _os_error(exc, f"read the diary at {self.path}", self.path) from exc
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
            suspect=_size_disagrees(head, size),
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
        version, application_id, objects = _describe(conn, self.path)
        problem = self._classify(version, application_id, objects)
        if problem is not None:
            raise StoreError(problem, path=str(self.path), reason=self._reason(version))
        if version == 0:
            return 0
        rows = _fetch(conn, self.path, "PRAGMA quick_check(1)")
        result = _one_line(str(rows[0][0])) if rows else "no answer"
        if result != "ok":
            raise StoreError(
                f"the diary at {self.path} is damaged ({result}); it was left as it was",
                path=str(self.path),
                reason="damaged",
            )
        if not set(_expected_objects(version)) <= set(objects):
            raise StoreError(
                f"the diary at {self.path} is damaged (parts of its schema are missing);"
                " it was left as it was",
                path=str(self.path),
                reason="damaged",
            )
        return version

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
        _make_folder(self.folder, self.path)
        temporary = self.folder / f".{DB_FILENAME}.{new_uid()[:12]}.tmp"
        try:
            _new_private_file(temporary)
            conn = _connect(temporary, readonly=False)
            try:
                _set_wal(conn, self.path)
                conn.execute("BEGIN IMMEDIATE")
                _apply_migrations(conn, 0)
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
            raise _sqlite_error(exc, self.path, write=True) from exc
        except OSError as exc:
            raise _os_error(exc, f"create the diary {self.path}", self.path) from exc
        finally:
            for leftover in (temporary, *(Path(f"{temporary}-{e}") for e in _SIDE_FILES)):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
        _sync_folder(self.folder)
        return True

    def _create_empty(self) -> bool:
        """Create an empty database file (0600); False if another ldncalc made one first."""
        try:
            _new_private_file(self.path)
        except FileExistsError:
            return False
        except OSError as exc:
            raise _os_error(exc, f"create the diary {self.path}", self.path) from exc
        _sync_folder(self.folder)
        return True

    def _connect_checked(self, *, readonly: bool) -> sqlite3.Connection:
        try:
            return _connect(self.path, readonly=readonly)
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, self.path, write=not readonly) from exc

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
            if code == _SQLITE_READONLY_ROLLBACK and recover:
                self._roll_back_interrupted()
                return self._open_reader(write=write, tidy=tidy, recover=False)
            primary = code & 0xFF if isinstance(code, int) else None
            unreadable_here = primary in (_SQLITE_READONLY, _SQLITE_CANTOPEN)
            pending = self._log_present() or os.path.exists(f"{self.path}-journal")
            if not unreadable_here or pending or _may_write(self.folder):
                raise _sqlite_error(exc, self.path, write=write) from exc
            try:
                conn = _connect(self.path, readonly=True, immutable=True)
                try:
                    conn.execute("PRAGMA user_version").fetchall()
                except BaseException:
                    conn.close()
                    raise
            except sqlite3.Error as again:
                raise _sqlite_error(again, self.path, write=write) from again
        return conn

    def _roll_back_interrupted(self) -> None:
        """Let SQLite roll back an interrupted change (a hot journal) through a writer."""
        conn = self._connect_checked(readonly=False)
        try:
            _fetch(conn, self.path, "PRAGMA user_version", write=True)
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
        timeout=BUSY_TIMEOUT_S,
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


def _set_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Put the database in WAL mode, waiting like BEGIN IMMEDIATE for another process.

    Changing the journal mode does not call SQLite's busy handler: it fails
    at once while another connection holds a lock, so the wait is done here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            row = conn.execute("PRAGMA journal_mode=WAL").fetchone()
        except sqlite3.Error as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            busy = isinstance(code, int) and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
            if busy and time.monotonic() < deadline:
                time.sleep(0.005)
                continue
            raise _sqlite_error(exc, path, write=True) from exc
        if row is None or str(row[0]).lower() != "wal":
            raise StoreError(
                f"cannot save to the diary at {path}: SQLite could not put it in WAL mode"
                f" (it stayed in {row[0] if row else 'an unknown'} mode); nothing was saved",
                path=str(path),
                reason="io",
            )
        return


def _apply_migrations(conn: sqlite3.Connection, version: int) -> None:
    """Inside an open transaction: migrate from ``version`` to the newest schema."""
    for step in MIGRATIONS[version:]:
        for statement in step:
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {schema_version()}")


def _new_private_file(path: Path) -> None:
    """Create an empty file, mode 0600 whatever the umask; FileExistsError if it exists."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(path, flags, 0o600)
    try:
        # The umask can only have removed bits; put back the owner's.
        os.chmod(path, 0o600)
        os.fsync(handle)
    finally:
        os.close(handle)


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


def _size_disagrees(head: bytes, size: int) -> bool:
    """Whether the file is not the size its header says (truncated, or being checkpointed)."""
    page_size = _page_size(head)
    pages = int.from_bytes(head[28:32], "big")
    size_is_valid = head[24:28] == head[92:96] and pages > 0
    return size % page_size != 0 or (size_is_valid and pages * page_size > size)


def _describe(
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
        raise _sqlite_error(exc, path, write=False) from exc
    objects = {(str(kind), str(name)): str(sql) for kind, name, sql in rows}
    return version, application_id, objects


_EXPECTED: dict[tuple[tuple[str, ...], ...], dict[tuple[str, str], str]] = {}


def _expected_objects(version: int) -> dict[tuple[str, str], str]:
    """Return the schema objects that the migrations up to ``version`` create."""
    steps = MIGRATIONS[:version]
    known = _EXPECTED.get(steps)
    if known is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            for step in steps:
                for statement in step:
                    conn.execute(statement)
            known = _describe(conn)[2]
        finally:
            conn.close()
        _EXPECTED[steps] = known
    return known


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
            raise _os_error(exc, f"use the folder {current}", path) from exc
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
            raise _os_error(exc, f"create the folder {new}", path) from exc
        try:
            os.chmod(new, 0o700)
        except OSError as exc:
            raise _os_error(exc, f"create the folder {new}", path) from exc


def _sync_folder(folder: Path) -> None:
    """Make a new file's name durable (where folders can be opened: not on Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


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
_SIDE_FILES = ("journal", "wal", "shm")


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


def _select(
    conn: sqlite3.Connection, path: Path, sql: str, params: tuple[object, ...]
) -> list[Record]:
    return [_record(row, path) for row in _fetch(conn, path, sql, params)]


def _record(row: tuple[Any, ...], path: Path) -> Record:
    try:
        ident, uid, profile, kind, day, recorded_at, payload = row
        moment = datetime.fromisoformat(recorded_at)
        if moment.tzinfo is None:
            raise ValueError("recorded_at without a time zone")
        return Record(
            id=int(ident),
            uid=str(uid),
            profile=str(profile),
            kind=str(kind),
            day=date.fromisoformat(day),
            recorded_at=moment.astimezone(UTC),
            payload=str(payload),
        )
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"the diary at {path} is damaged (an entry cannot be read: {exc})",
            path=str(path),
            reason="damaged",
        ) from exc


def _owners(conn: sqlite3.Connection, path: Path, uids: list[str]) -> dict[str, tuple[str, Record]]:
    """Return the entries already in the diary under these uids, by uid, with their profile."""
    if not uids:
        return {}
    marks = ", ".join("?" * len(uids))
    records = _select(
        conn, path, f"SELECT {_COLUMNS} FROM entries WHERE uid IN ({marks})", tuple(uids)
    )
    return {record.uid: (record.profile, record) for record in records}


def _insert(
    conn: sqlite3.Connection,
    path: Path,
    profile: str,
    kind: str,
    day: date,
    recorded_at: datetime,
    uid: str,
    payload: str,
) -> Record:
    try:
        cursor = conn.execute(
            "INSERT INTO entries (uid, profile, kind, day, recorded_at, payload)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (uid, profile, kind, day.isoformat(), _moment_text(recorded_at), payload),
        )
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, path, write=True) from exc
    ident = cursor.lastrowid
    if ident is None:  # pragma: no cover - SQLite always gives a rowid to an insert
        raise StoreError(f"the diary at {path} gave no id", path=str(path), reason="io")
    return Record(ident, uid, profile, kind, day, recorded_at, payload)


def _moment_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _check_kind(kind: object, what: str) -> str:
    if not isinstance(kind, str) or _KIND_RE.fullmatch(kind) is None:
        raise InvalidInputError(
            f"{what} {kind!r} is not allowed: use 1 to 40 lower-case letters, digits,"
            " '_' or '-', starting with a letter"
        )
    return kind


def _check_day(day: object, what: str = "the entry date") -> date:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InvalidInputError(f"{what} must be a calendar date, not {day!r}")
    return day


def _check_moment(moment: object, what: str = "the recording time") -> datetime:
    if not isinstance(moment, datetime):
        raise InvalidInputError(f"{what} must be a date and time, not {moment!r}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInputError(f"{what} {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC)


def _check_uid(uid: object, what: str) -> str:
    if not isinstance(uid, str) or _UID_RE.fullmatch(uid) is None:
        raise InvalidInputError(f"{what} {uid!r} is not 32 lower-case hexadecimal digits")
    return uid


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _parse_payload(payload: object, what: str) -> dict[str, Any]:
    if not isinstance(payload, str):
        raise InvalidInputError(f"{what} must be JSON text, not {type(payload).__name__}")
    try:
        value = json.loads(payload, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise InvalidInputError(f"{what} is nested too deeply") from exc
    except ValueError as exc:
        raise InvalidInputError(f"{what} is not valid JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise InvalidInputError(f"{what} must be a JSON object, not {type(value).__name__}")
    return value


def _payload_text(value: dict[str, Any], what: str) -> str:
    """Return the compact JSON text of a payload; refuse what JSON cannot hold."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidInputError(f"{what} cannot be stored as JSON ({exc})") from exc
    return text


def _parse_document(data: object) -> list[_Incoming]:
    """Check a whole export document and return its entries."""
    if not isinstance(data, dict):
        raise InvalidInputError("a diary export must be a JSON object")
    schema = data.get("schema")
    if schema != EXPORT_SCHEMA:
        raise InvalidInputError(
            f"not an ldncalc diary export (schema {schema!r}; expected {EXPORT_SCHEMA!r})"
        )
    _exact_keys(data, _DOCUMENT_KEYS, "the diary export")
    if not isinstance(data["profile"], str):
        raise InvalidInputError("the diary export's 'profile' must be text")
    entries = data["entries"]
    if not isinstance(entries, list):
        raise InvalidInputError("the diary export's 'entries' must be a list")
    seen: set[str] = set()
    incoming: list[_Incoming] = []
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number} of the export"
        if not isinstance(entry, dict):
            raise InvalidInputError(f"{where} must be a JSON object")
        _exact_keys(entry, _ENTRY_KEYS, where)
        uid = _check_uid(entry["uid"], f"{where}: the uid")
        if uid in seen:
            raise InvalidInputError(f"{where}: the uid {uid} appears twice in the export")
        seen.add(uid)
        kind = _check_kind(entry["kind"], f"{where}: the kind")
        day_text = entry["date"]
        try:
            if not isinstance(day_text, str) or _DATE_RE.fullmatch(day_text) is None:
                raise ValueError
            day = date.fromisoformat(day_text)
        except ValueError:
            raise InvalidInputError(
                f"{where}: the date {day_text!r} is not a date like 2024-05-31"
            ) from None
        moment_text = entry["recorded_at"]
        try:
            if not isinstance(moment_text, str):
                raise ValueError
            moment = datetime.fromisoformat(moment_text)
        except ValueError:
            raise InvalidInputError(
                f"{where}: recorded_at {moment_text!r} is not a date and time"
                " like 2024-05-31T08:00:00+00:00"
            ) from None
        moment = _check_moment(moment, f"{where}: recorded_at")
        payload = entry["payload"]
        if not isinstance(payload, dict):
            raise InvalidInputError(
                f"{where}: the payload must be a JSON object, not {type(payload).__name__}"
            )
        text = _payload_text(payload, f"{where}: the payload")
        incoming.append(_Incoming(uid, kind, day, moment, text))
    return incoming


def _exact_keys(value: dict[Any, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [key for key in keys if key not in value]
    if missing:
        raise InvalidInputError(f"{where} lacks {', '.join(repr(k) for k in missing)}")
    extra = sorted(str(key) for key in value if key not in keys)
    if extra:
        raise InvalidInputError(f"{where} has unknown keys: {', '.join(repr(k) for k in extra)}")
