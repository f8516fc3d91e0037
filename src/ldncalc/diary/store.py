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
import json
import os
import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from ldncalc.diary.failures import (
    BUSY_TIMEOUT_S,
    execute,
    fetch,
    sqlite_detail,
    sqlite_error,
)
from ldncalc.diary.sqlitefile import (
    DB_FILENAME,
    MIGRATIONS,
    DiaryFile,
    apply_migrations,
    describe_schema,
    schema_version,
    set_wal,
)
from ldncalc.errors import InvalidInputError, StoreError
from ldncalc.frozen import frozen

# Not typing.TYPE_CHECKING: importing typing costs start-up time (see
# ldncalc/__init__.py). Type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from ldncalc.diary.shapes import ExportDocument

__all__ = [
    "BUSY_TIMEOUT_S",
    "DAILY_KINDS",
    "DB_FILENAME",
    "DEFAULT_PROFILE",
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

HOME_ENV = "LDNCALC_HOME"
DEFAULT_PROFILE = "default"
# The kinds recorded day after day: a day's status reads only its own and the
# day before's (Store.day_records); every other kind shapes the plan or the bottles.
DAILY_KINDS = ("took", "missed", "note")

_PROFILE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
_COLUMNS = "id, uid, profile, kind, day, recorded_at, payload"
# SQLite's limit on parameters was 999 before 3.32.
_CHUNK = 500


def new_uid() -> str:
    """Return a new random uid: the 32 hex digits of a version 4 UUID."""
    # Not the uuid module: on Linux it imports platform, which costs start-up time.
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


@frozen
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
            raise InvalidInputError("the data folder name is empty", code="folder-name")
        return _expanded(text, "the data folder")
    env = os.environ.get(HOME_ENV, "")
    if env:
        return _expanded(env, HOME_ENV)
    import platformdirs  # only when no folder was named: it costs start-up time

    # appauthor=False: no second "ldncalc" level on Windows.
    return platformdirs.user_data_path("ldncalc", appauthor=False).absolute()


def _expanded(text: str, what: str) -> Path:
    """Return the folder ``text`` names, absolute, a leading ``~`` or ``~user`` expanded."""
    try:
        return Path(text).expanduser().absolute()
    except RuntimeError as exc:  # ~name of no user here, or no home folder at all
        raise InvalidInputError(
            f"{what} {text!r} starts with a '~' that names no home folder here ({exc});"
            " give the folder's full path",
            code="folder-name",
        ) from exc


def validate_profile(name: object) -> str:
    """Return ``name`` if it can name a profile, else raise InvalidInputError."""
    if not isinstance(name, str) or _PROFILE_RE.fullmatch(name) is None:
        raise InvalidInputError(
            f"the profile name {name!r} is not allowed: use 1 to 40 letters, digits, "
            "'.', '_' or '-', starting with a letter or digit",
            code="profile-name",
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

        from ldncalc.diary.envelope import (
            check_day,
            check_kind,
            check_moment,
            check_uid,
            parse_payload,
            payload_text,
        )

        self._check_open()
        kind = check_kind(kind, "the entry kind")
        day = check_day(day)
        text = payload_text(parse_payload(payload, "the entry payload"), "the entry payload")
        when = datetime.now(UTC) if recorded_at is None else check_moment(recorded_at)
        uid = new_uid() if uid is None else check_uid(uid, "the entry uid")
        found = _owners(self._conn, self._path, [uid])
        if uid in found:
            raise InvalidInputError(
                f"an entry with uid {uid} is already in the diary", code="import-conflict"
            )
        return _insert(self._conn, self._path, self.profile, kind, day, when, uid, text)

    def owners(self, uids: list[str]) -> dict[str, tuple[str, Record]]:
        """Return the entries of any profile that hold these uids, by uid, with their profile."""
        self._check_open()
        found: dict[str, tuple[str, Record]] = {}
        for index in range(0, len(uids), _CHUNK):
            found.update(_owners(self._conn, self._path, uids[index : index + _CHUNK]))
        return found

    def _check_open(self) -> None:
        if not self._open:
            raise RuntimeError("the diary transaction is over; open a new one")


class Store(DiaryFile):
    """The diary database in one folder; nothing is opened until it is used."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        super().__init__(folder)
        self._busy = False
        # Called with each line of exposure() before every write (the CLI warns on stderr).
        self.on_warning: Callable[[str], None] | None = None

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
        first, last = "0000-00-00", "9999-99-99"
        if start is not None or end is not None:  # every entry, the usual case, needs no check
            from ldncalc.diary.envelope import check_day

            first = first if start is None else check_day(start, "the first date").isoformat()
            last = last if end is None else check_day(end, "the last date").isoformat()
        if start is not None and end is not None and start > end:
            raise InvalidInputError(
                f"the first date {start} is after the last date {end}", code="window-backwards"
            )
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

    def has_entries(self, profile: str = DEFAULT_PROFILE) -> bool:
        """Return whether the profile has an entry (reading one row, not all of them)."""
        name = validate_profile(profile)
        with self._reading() as conn:
            if conn is None:
                return False
            found = fetch(
                conn, self.path, "SELECT 1 FROM entries WHERE profile = ? LIMIT 1", (name,)
            )
        return bool(found)

    def day_records(
        self, profile: str, day: date, since: date
    ) -> tuple[list[Record], frozenset[tuple[str, str]]] | None:
        """Return what one day's status reads, and the payloads of the entries left out.

        Read: every entry but the doses, misses and notes (:data:`DAILY_KINDS`)
        of days outside ``since`` to ``day``, and every entry an undo names; in
        id order. Left out: the distinct (kind, payload) of the
        others, so that the caller can check that each still decodes. None when
        any entry's id, date or time does not read: :meth:`records` then says
        which, as it always has. An index on (profile, kind, day) serves these
        reads (schema 2).
        """
        name = validate_profile(profile)
        yesterday, today = since.isoformat(), day.isoformat()
        daily = ", ".join(f"'{kind}'" for kind in DAILY_KINDS)
        outside = f"profile = ? AND kind IN ({daily}) AND (day < ? OR day > ?)"
        with self._reading() as conn:
            if conn is None:
                return [], frozenset()
            rows = fetch(
                conn,
                self.path,
                f"SELECT {_COLUMNS} FROM entries WHERE profile = ? AND kind NOT IN ({daily})"
                f" UNION ALL SELECT {_COLUMNS} FROM entries WHERE profile = ?"
                f" AND kind IN ({daily}) AND day >= ? AND day <= ?",
                (name, name, yesterday, today),
            )
            kept = _all_read(rows, self.path)
            if kept is None or not _moments_read(
                fetch(
                    conn,
                    self.path,
                    f"SELECT day, recorded_at FROM entries WHERE {outside}",
                    (name, yesterday, today),
                )
            ):
                return None
            payloads = fetch(
                conn,
                self.path,
                f"SELECT DISTINCT kind, payload FROM entries WHERE {outside}",
                (name, yesterday, today),
            )
            missing = sorted(_undo_targets(kept) - {r.uid for r in kept})
            for i in range(0, len(missing), _CHUNK):
                chunk = missing[i : i + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                more = _all_read(
                    fetch(
                        conn,
                        self.path,
                        f"SELECT {_COLUMNS} FROM entries WHERE profile = ? AND uid IN ({marks})",
                        (name, *chunk),
                    ),
                    self.path,
                )
                if more is None:
                    return None
                kept += more
        kept.sort(key=lambda r: r.id)
        return kept, frozenset((str(k), str(p)) for k, p in payloads)

    def profiles(self) -> list[str]:
        """Return the names of the profiles that have entries, sorted."""
        with self._reading() as conn:
            if conn is None:
                return []
            rows = fetch(conn, self.path, "SELECT DISTINCT profile FROM entries ORDER BY profile")
        return [str(row[0]) for row in rows]

    def export_profile(self, profile: str = DEFAULT_PROFILE) -> ExportDocument:
        """Return the profile's entries, in id order, as an export document.

        The document is :mod:`ldncalc.diary.exchange`'s (``Diary.import_`` reads it).
        """
        from ldncalc.diary.exchange import export_document

        name = validate_profile(profile)
        return export_document(name, self.records(name), self.path)

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

    def erase(self, profile: str) -> int:
        """Delete every entry of ``profile`` (the only deletion) and return how many.

        Deleted entries are overwritten in the file (secure_delete) and the
        write-ahead log is emptied afterwards when no one else is reading.
        """
        name = validate_profile(profile)
        if not self._inspect():
            return 0  # no diary, or an empty one: nothing to erase, nothing to create
        with self._writing(secure_delete=True) as conn:
            count = execute(conn, self.path, "DELETE FROM entries WHERE profile = ?", (name,))
        if count:
            self._truncate_log()
        return count

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
        if self.on_warning is not None:
            for line in self.exposure():
                self.on_warning(line)
        if self._inspect(for_write=True) is None and not self._create():
            self._inspect(for_write=True)  # another ldncalc made it meanwhile
        header = self._header()
        conn = self._connect_checked(readonly=False)
        self._busy = True
        try:
            try:
                if header is None or not header.wal:
                    # An empty file, or a diary restored from a backup: WAL from now on.
                    set_wal(conn, self.path)
                if secure_delete:
                    fetch(conn, self.path, "PRAGMA secure_delete=ON", write=True)
                execute(conn, self.path, "BEGIN IMMEDIATE", write=True)
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
                raise sqlite_error(exc, self.path, write=True) from exc
        finally:
            self._busy = False
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Inside the write transaction: refuse a newer or foreign diary, migrate an older one."""
        version, application_id, objects = describe_schema(conn, self.path)
        problem = self._classify(version, application_id, objects)
        if problem is not None:
            raise StoreError(problem, path=str(self.path), reason=self._reason(version))
        if version > 0:
            # Again inside the write lock: nothing planted since the inspection acts.
            self._refuse_foreign_schema(version, objects)
        target = schema_version()
        if version == target:
            return
        try:
            apply_migrations(conn, version)
        except sqlite3.Error as exc:
            error = sqlite_error(exc, self.path, write=True)
            if error.reason in ("full", "read-only", "busy", "permission"):
                raise error from exc
            raise StoreError(
                f"cannot bring the diary at {self.path} up to date (schema {version} to"
                f" {target}): {sqlite_detail(exc)}; it was left as it was",
                path=str(self.path),
                reason="migration",
            ) from exc


def _select(
    conn: sqlite3.Connection, path: Path, sql: str, params: tuple[object, ...]
) -> list[Record]:
    return [_record(row, path) for row in fetch(conn, path, sql, params)]


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
    except (TypeError, ValueError, OverflowError) as exc:
        raise StoreError(
            f"the diary at {path} is damaged (entry {row[0]} cannot be read: {exc})",
            path=str(path),
            reason="damaged",
        ) from exc


def _all_read(rows: list[tuple[Any, ...]], path: Path) -> list[Record] | None:
    """Return the rows as records, or None if one does not read (records() names it)."""
    try:
        return [_record(row, path) for row in rows]
    except StoreError:
        return None


def _moments_read(rows: list[tuple[Any, ...]]) -> bool:
    """Return whether every (day, recorded_at) row reads as _record reads them."""
    try:
        for day, recorded_at in rows:
            date.fromisoformat(day)
            moment = datetime.fromisoformat(recorded_at)
            if moment.tzinfo is None:
                return False
            moment.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _undo_targets(records: list[Record]) -> set[str]:
    """Return the uids the undos among ``records`` name (read from their JSON payload)."""
    named: set[str] = set()
    for r in records:
        if r.kind == "undo":
            try:
                target = json.loads(r.payload).get("target_uid")
            except (ValueError, AttributeError, RecursionError):
                continue  # an undo that does not read: the caller's decoding says so
            if isinstance(target, str):
                named.add(target)
    return named


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
    from ldncalc.diary.envelope import moment_text

    try:
        cursor = conn.execute(
            "INSERT INTO entries (uid, profile, kind, day, recorded_at, payload)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (uid, profile, kind, day.isoformat(), moment_text(recorded_at), payload),
        )
    except sqlite3.Error as exc:
        raise sqlite_error(exc, path, write=True) from exc
    ident = cursor.lastrowid
    record = Record(ident or 0, uid, profile, kind, day, recorded_at, payload)
    # Read back in the same transaction: nothing is reported saved that is not stored.
    stored = _select(conn, path, f"SELECT {_COLUMNS} FROM entries WHERE uid = ?", (uid,))
    if ident is None or stored != [record]:
        raise StoreError(
            f"the diary at {path} did not keep the entry it was given (something in the file"
            " changes what is written); nothing was saved",
            path=str(path),
            reason="tampered",
        )
    return record
