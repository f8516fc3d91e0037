"""The diary store (ldncalc.diary.store): one SQLite file, append-only entries, nothing lost.

The processes that really kill and really race are in test_store_processes.py.
Expected values here are written out by hand or read from the file's bytes
(the SQLite header), never computed by the store itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import ldncalc.diary.sqlitefile as store_module
from ldncalc.diary import failures
from ldncalc.diary.service import Diary
from ldncalc.diary.shapes import ExportDocument
from ldncalc.diary.store import Record, Store, default_folder, schema_version, validate_profile
from ldncalc.errors import InvalidInputError, OutputFileError, RefusedError, StoreError

DATA = Path(__file__).parent / "data"
# One fixture per released schema version, each made by that version.
FIXTURES = {1: DATA / "diary-v1.sqlite", 2: DATA / "diary-v2.sqlite"}
APPLICATION_ID = int.from_bytes(b"LDNC", "big")
PROFILE_RULE = (
    "is not allowed: use 1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit"
)
D1 = date(2024, 3, 1)
T1 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


# -- helpers ------------------------------------------------------------------------


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` with the hash of its bytes."""
    return {p.name: sha(p) for p in sorted(folder.iterdir())}


def header(path: Path) -> dict[str, int]:
    """Fields of the SQLite file header (file format documentation, section 1.3)."""
    head = path.read_bytes()[:100]
    return {
        "write_version": head[18],
        "read_version": head[19],
        "user_version": int.from_bytes(head[60:64], "big"),
        "application_id": int.from_bytes(head[68:72], "big"),
    }


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def filled(folder: Path, count: int = 3, profile: str = "default") -> Store:
    """A store with ``count`` small entries in ``profile``."""
    store = Store(folder)
    with store.transaction(profile) as tx:
        for number in range(count):
            tx.append(
                "note",
                D1 + timedelta(days=number),
                json.dumps({"n": number}),
                recorded_at=T1 + timedelta(hours=number),
            )
    return store


def raw(path: Path) -> sqlite3.Connection:
    """A plain connection, as another program (or a newer ldncalc) would open the file."""
    return sqlite3.connect(path, isolation_level=None)


def shown(record: Record) -> tuple[str, str, date, datetime, Any]:
    return record.uid, record.kind, record.day, record.recorded_at, json.loads(record.payload)


# -- where the diary lives ---------------------------------------------------------


def test_default_folder_named_explicitly_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LDNCALC_HOME", str(tmp_path / "env"))
    assert default_folder(tmp_path / "named") == tmp_path / "named"
    assert default_folder(str(tmp_path / "named")) == tmp_path / "named"


def test_default_folder_relative_and_home_are_made_absolute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_folder("diary") == tmp_path / "diary"
    assert default_folder("~/diary") == tmp_path / "home" / "diary"


def test_default_folder_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LDNCALC_HOME", str(tmp_path / "env"))
    assert default_folder(None) == tmp_path / "env"
    assert default_folder() == tmp_path / "env"


def test_default_folder_of_the_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import platformdirs

    monkeypatch.setenv("LDNCALC_HOME", "")  # empty: as if unset
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    expected = platformdirs.user_data_path("ldncalc", appauthor=False)
    assert default_folder(None) == expected
    if sys.platform == "linux":
        assert default_folder(None) == tmp_path / "xdg" / "ldncalc"


def test_default_folder_refuses_an_empty_name() -> None:
    with pytest.raises(InvalidInputError) as info:
        default_folder("")
    assert str(info.value) == "the data folder name is empty"


def test_store_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store("here")
    assert store.folder == tmp_path / "here"
    assert store.path == tmp_path / "here" / "diary.sqlite3"
    assert store.where == store.path
    assert repr(store) == f"Store({str(tmp_path / 'here')!r})"


def test_import_is_cheap() -> None:
    code = (
        "import sys\n"
        "import ldncalc.diary.store as s\n"
        "s.default_folder('x')\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "ldncalc.diary.store" in loaded
    assert "sqlite3" in loaded
    heavy = {"pint", "rich", "typer", "click", "platformdirs", "uuid", "tempfile", "typing"}
    assert not loaded & heavy


# -- creation on the first write, private modes ------------------------------------


def test_reading_a_missing_diary_creates_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "none" / "here")
    assert store.records() == []
    assert store.records("bob", start=D1, end=D1) == []
    assert store.profiles() == []
    empty: ExportDocument = {"schema": "ldncalc.diary/1", "profile": "bob", "entries": []}
    assert store.export_profile("bob") == empty
    assert store.check() == []
    assert store.erase("bob") == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077, 0o277])
def test_first_write_creates_private_folder_and_files(tmp_path: Path, mask: int) -> None:
    store = Store(tmp_path / "a" / "b" / "c")
    with umask(mask):
        with store.transaction() as tx:
            tx.append("note", D1, "{}")
            # SQLite's files beside the database exist while a transaction is open.
            beside = {p.name: mode(p) for p in store.folder.iterdir()}
        store.records()
    assert beside == {
        "diary.sqlite3": 0o600,
        "diary.sqlite3-wal": 0o600,
        "diary.sqlite3-shm": 0o600,
    }
    for folder in (tmp_path / "a", tmp_path / "a" / "b", store.folder):
        assert mode(folder) == 0o700
    assert mode(store.path) == 0o600


def test_a_new_diary_appears_whole(tmp_path: Path) -> None:
    assert [r.id for r in filled(tmp_path, 1).records()] == [1]
    # Made under a temporary name and linked to its own: nothing else is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diary.sqlite3"]


def test_a_new_diary_without_hard_links(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")  # as on FAT

    monkeypatch.setattr(os, "link", no_links)
    store = filled(tmp_path, 2)
    assert [r.id for r in store.records()] == [1, 2]
    assert header(store.path)["write_version"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diary.sqlite3"]
    assert store.check() == []


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    folder.chmod(0o755)
    filled(folder)
    assert mode(folder) == 0o755
    assert mode(folder / "diary.sqlite3") == 0o600


def test_a_new_diary_is_the_newest_version_in_wal_mode(tmp_path: Path) -> None:
    store = filled(tmp_path)
    assert header(store.path) == {
        "write_version": 2,  # 2: WAL
        "read_version": 2,
        "user_version": 2,
        "application_id": APPLICATION_ID,
    }
    assert schema_version() == 2  # 2: the index of a day's reads


def test_the_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    store = Store(tmp_path / "plain" / "sub")
    with pytest.raises(StoreError) as info:
        store.transaction().__enter__()
    assert str(info.value) == (
        f"cannot keep the diary in {store.folder}: {tmp_path / 'plain'} is not a folder"
    )
    assert (info.value.reason, info.value.path) == ("not-a-folder", str(store.path))
    assert info.value.code == "store-not-a-folder"


def test_the_database_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "diary.sqlite3").mkdir()
    store = Store(tmp_path)
    for action in (store.records, store.profiles, lambda: store.transaction().__enter__()):
        with pytest.raises(StoreError) as info:
            action()
        assert str(info.value) == f"{store.path} is not a file; it was left as it was"
        assert info.value.reason == "foreign"


# -- profiles ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["", " ", "-x", ".x", "_x", "a b", "a/b", "é", "x" * 41, "a\n", "a:b", None, 3]
)
def test_bad_profile_names_are_refused_everywhere(tmp_path: Path, name: Any) -> None:
    store = filled(tmp_path)
    before = snapshot(tmp_path)
    actions: list[Callable[[], object]] = [
        lambda: validate_profile(name),
        lambda: store.records(name),
        lambda: store.export_profile(name),
        lambda: store.erase(name),
        lambda: store.transaction(name).__enter__(),
    ]
    for action in actions:
        with pytest.raises(InvalidInputError) as info:
            action()
        assert str(info.value) == f"the profile name {name!r} {PROFILE_RULE}"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["a", "Z", "0", "carer.2", "x_y-z", "x" * 40, "default"])
def test_good_profile_names(tmp_path: Path, name: str) -> None:
    assert validate_profile(name) == name
    store = filled(tmp_path, 1, profile=name)
    assert [r.profile for r in store.records(name)] == [name]


def test_profiles_are_separate_and_listed_sorted(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for profile in ("mum", "dad", "default", "Dad"):
        with store.transaction(profile) as tx:
            tx.append("note", D1, json.dumps({"who": profile}))
    assert store.profiles() == ["Dad", "dad", "default", "mum"]
    assert [json.loads(r.payload) for r in store.records("dad")] == [{"who": "dad"}]
    assert [r.id for r in store.records("mum")] == [1]
    assert [r.id for r in store.records()] == [3]
    assert store.records("nobody") == []


# -- appending and reading -----------------------------------------------------------


def test_append_returns_the_entry_as_stored(tmp_path: Path) -> None:
    store = Store(tmp_path)
    before = datetime.now(UTC)
    with store.transaction("bob") as tx:
        first = tx.append("took", D1, '{ "dose_mg" : "3/2" ,\n "n": [1, 2.50] }')
        second = tx.append("note", D1 + timedelta(days=1), '{"text": "é"}', recorded_at=T1)
    after = datetime.now(UTC)
    assert (first.id, first.profile, first.kind, first.day) == (1, "bob", "took", D1)
    assert first.payload == '{"dose_mg":"3/2","n":[1,2.5]}'  # compact form
    assert len(first.uid) == 32
    assert set(first.uid) <= set("0123456789abcdef")
    assert first.uid[12] == "4"
    assert first.uid[16] in "89ab"
    assert before <= first.recorded_at <= after
    assert first.recorded_at.tzinfo == UTC
    assert second == Record(2, second.uid, "bob", "note", date(2024, 3, 2), T1, '{"text":"é"}')
    assert store.records("bob") == [first, second]


def test_uids_are_random(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction() as tx:
        uids = {tx.append("note", D1, "{}").uid for _ in range(200)}
    assert len(uids) == 200


def test_recorded_at_is_kept_in_utc(tmp_path: Path) -> None:
    store = Store(tmp_path)
    paris = timezone(timedelta(hours=2))
    with store.transaction() as tx:
        tx.append("note", D1, "{}", recorded_at=datetime(2024, 3, 1, 10, 0, 0, 5, tzinfo=paris))
    (record,) = store.records()
    assert record.recorded_at == datetime(2024, 3, 1, 8, 0, 0, 5, tzinfo=UTC)
    assert record.recorded_at.utcoffset() == timedelta(0)


def test_a_given_uid_is_kept(tmp_path: Path) -> None:
    store = Store(tmp_path)
    uid = "0123456789abcdef0123456789abcdef"
    with store.transaction() as tx:
        assert tx.append("note", D1, "{}", uid=uid).uid == uid
    assert [r.uid for r in store.records()] == [uid]
    with pytest.raises(InvalidInputError) as info, store.transaction("other") as tx:
        tx.append("note", D1, "{}", uid=uid)
    assert str(info.value) == f"an entry with uid {uid} is already in the diary"
    assert store.profiles() == ["default"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("", D1, "{}"), "the entry kind '' is not allowed"),
        (("Took", D1, "{}"), "the entry kind 'Took' is not allowed"),
        (("1x", D1, "{}"), "the entry kind '1x' is not allowed"),
        (("a b", D1, "{}"), "the entry kind 'a b' is not allowed"),
        (("x" * 41, D1, "{}"), f"the entry kind '{'x' * 41}' is not allowed"),
        ((5, D1, "{}"), "the entry kind 5 is not allowed"),
        (
            ("note", datetime(2024, 3, 1, tzinfo=UTC), "{}"),
            "the entry date must be a calendar date, not "
            "datetime.datetime(2024, 3, 1, 0, 0, tzinfo=datetime.timezone.utc)",
        ),
        (("note", "2024-03-01", "{}"), "the entry date must be a calendar date, not '2024-03-01'"),
        (("note", D1, "[1]"), "the entry payload must be a JSON object, not list"),
        (("note", D1, '"x"'), "the entry payload must be a JSON object, not str"),
        (("note", D1, {"a": 1}), "the entry payload must be JSON text, not dict"),
        (
            ("note", D1, "{nope}"),
            "the entry payload is not valid JSON (Expecting property name enclosed in double"
            " quotes: line 1 column 2 (char 1))",
        ),
        (
            ("note", D1, '{"x": NaN}'),
            "the entry payload is not valid JSON (NaN is not a JSON number)",
        ),
        (
            ("note", D1, '{"x": 1e999}'),
            "the entry payload cannot be stored as JSON (Out of range float values are not"
            " JSON compliant",
        ),
        (
            ("note", D1, '{"x": "\\ud800"}'),
            "the entry payload cannot be stored as JSON ('utf-8' codec can't encode character"
            " '\\ud800' in position 6: surrogates not allowed)",
        ),
        (("note", D1, "[" * 100_000 + "]" * 100_000), "the entry payload is nested too deeply"),
    ],
)
def test_append_refuses_bad_arguments(
    tmp_path: Path, arguments: tuple[Any, ...], message: str
) -> None:
    store = filled(tmp_path, 1)
    with pytest.raises(InvalidInputError) as info, store.transaction() as tx:
        tx.append(*arguments)
    assert str(info.value).startswith(message)
    assert len(store.records()) == 1


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        (
            {"recorded_at": datetime(2024, 3, 1, 8)},
            "the recording time 2024-03-01T08:00:00 has no time zone",
        ),
        (
            {"recorded_at": D1},
            "the recording time must be a date and time, not datetime.date(2024, 3, 1)",
        ),
        ({"uid": "XYZ"}, "the entry uid 'XYZ' is not 32 lower-case hexadecimal digits"),
        (
            {"uid": "0123456789ABCDEF0123456789ABCDEF"},
            "the entry uid '0123456789ABCDEF0123456789ABCDEF' is not 32 lower-case"
            " hexadecimal digits",
        ),
        ({"uid": "0" * 31}, f"the entry uid '{'0' * 31}' is not 32 lower-case hexadecimal digits"),
    ],
)
def test_append_refuses_bad_keywords(
    tmp_path: Path, keywords: dict[str, Any], message: str
) -> None:
    store = Store(tmp_path)
    with pytest.raises(InvalidInputError) as info, store.transaction() as tx:
        tx.append("note", D1, "{}", **keywords)
    assert str(info.value) == message
    assert store.records() == []


def test_kind_message_in_full(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as info, Store(tmp_path).transaction() as tx:
        tx.append("No", D1, "{}")
    assert str(info.value) == (
        "the entry kind 'No' is not allowed: use 1 to 40 lower-case letters, digits, '_' or '-',"
        " starting with a letter"
    )


def test_records_by_date_range_in_id_order(tmp_path: Path) -> None:
    store = Store(tmp_path)
    days = [date(2024, 3, 5), date(2024, 3, 1), date(2024, 3, 3), date(2024, 3, 2)]
    with store.transaction() as tx:
        for day in days:
            tx.append("note", day, "{}")
    assert [r.day for r in store.records()] == days
    assert [r.id for r in store.records(start=date(2024, 3, 2))] == [1, 3, 4]
    assert [r.id for r in store.records(end=date(2024, 3, 2))] == [2, 4]
    assert [r.id for r in store.records(start=date(2024, 3, 2), end=date(2024, 3, 3))] == [3, 4]
    assert store.records(start=date(2024, 3, 4), end=date(2024, 3, 4)) == []
    with pytest.raises(InvalidInputError) as info:
        store.records(start=date(2024, 3, 3), end=date(2024, 3, 2))
    assert str(info.value) == "the first date 2024-03-03 is after the last date 2024-03-02"
    with pytest.raises(InvalidInputError) as info:
        store.records(start="2024-03-01")  # type: ignore[arg-type]
    assert str(info.value) == "the first date must be a calendar date, not '2024-03-01'"


# -- transactions ------------------------------------------------------------------


def test_a_transaction_sees_its_own_entries_and_commits_at_the_end(tmp_path: Path) -> None:
    store = filled(tmp_path, 1)
    with store.transaction() as tx:
        added = tx.append("took", D1, "{}")
        assert [r.id for r in tx.records()] == [1, 2]
        assert tx.records()[-1] == added
        assert [r.id for r in store.records()] == [1]  # not committed yet
    assert [r.id for r in store.records()] == [1, 2]


def test_a_failing_command_saves_nothing(tmp_path: Path) -> None:
    store = filled(tmp_path, 1)
    before = sha(store.path)

    def refused_after_appending(error: BaseException) -> None:
        with store.transaction() as tx:
            tx.append("took", D1, "{}")
            raise error

    with pytest.raises(RefusedError, match=r"^already taken$"):
        refused_after_appending(RefusedError("already taken"))
    with pytest.raises(KeyboardInterrupt):
        refused_after_appending(KeyboardInterrupt())
    assert [r.id for r in store.records()] == [1]
    assert sha(store.path) == before


def test_a_failing_first_command_leaves_an_empty_diary(tmp_path: Path) -> None:
    store = Store(tmp_path / "new")

    def divide_after_appending() -> float:
        with store.transaction() as tx:
            tx.append("took", D1, "{}")
            return 1 / 0

    with pytest.raises(ZeroDivisionError):
        divide_after_appending()
    assert store.records() == []
    assert store.check() == []
    filled(tmp_path / "new", 1)
    assert [r.id for r in store.records()] == [1]


def test_check_then_append_in_one_transaction(tmp_path: Path) -> None:
    store = Store(tmp_path)

    def took_once(day: date) -> bool:
        with store.transaction() as tx:
            if any(r.kind == "took" and r.day == day for r in tx.records()):
                return False
            tx.append("took", day, "{}")
            return True

    assert [took_once(D1), took_once(D1), took_once(D1 + timedelta(1))] == [True, False, True]


def test_a_transaction_is_over_after_its_block(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction() as tx:
        pass
    for action in (tx.records, lambda: tx.append("note", D1, "{}")):
        with pytest.raises(RuntimeError, match=r"^the diary transaction is over; open a new one$"):
            action()


def test_transactions_do_not_nest(tmp_path: Path) -> None:
    store = filled(tmp_path, 1)
    with (
        pytest.raises(RuntimeError, match=r"^a diary transaction is already open on this store$"),
        store.transaction(),
    ):
        store.erase("default")
    with store.transaction() as tx:  # the store is usable again
        tx.append("note", D1, "{}")
    assert len(store.records()) == 2


def test_reads_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    store = filled(tmp_path, 2)
    holder = raw(store.path)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("DELETE FROM entries")  # not committed: nobody else sees it
    try:
        assert [r.id for r in store.records()] == [1, 2]
        assert store.check() == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_writer_waits_then_gives_up_with_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = filled(tmp_path, 1)
    monkeypatch.setattr(failures, "BUSY_TIMEOUT_S", 0.2)
    holder = raw(store.path)
    holder.execute("BEGIN IMMEDIATE")  # another ldncalc in the middle of a command
    try:
        with pytest.raises(StoreError) as info, store.transaction() as tx:
            tx.append("note", D1, "{}")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(info.value) == (
        f"the diary at {store.path} stayed in use by another ldncalc for 0.2 seconds;"
        " nothing was saved"
    )
    assert info.value.reason == "busy"
    assert len(store.records()) == 1


def test_entries_are_never_changed(tmp_path: Path) -> None:
    store = filled(tmp_path, 2)
    conn = raw(store.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match=r"^diary entries are never changed$"):
            conn.execute("UPDATE entries SET kind = 'took' WHERE id = 1")
    finally:
        conn.close()
    assert [r.kind for r in store.records()] == ["note", "note"]


# -- erase -----------------------------------------------------------------------------


def test_erase_deletes_one_profile_and_leaves_no_trace(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction("mum") as tx:
        tx.append("note", D1, json.dumps({"text": "SECRET-MARKER-1"}))
        tx.append("note", D1, json.dumps({"text": "SECRET-MARKER-2"}))
    kept = filled(tmp_path, 2, profile="dad").records("dad")
    assert store.erase("mum") == 2
    assert store.records("mum") == []
    assert store.records("dad") == kept
    assert store.profiles() == ["dad"]
    for path in tmp_path.iterdir():
        assert b"SECRET-MARKER" not in path.read_bytes(), path.name
    assert store.erase("mum") == 0
    assert store.check() == []


def test_ids_are_never_reused(tmp_path: Path) -> None:
    store = filled(tmp_path, 3)
    assert store.erase("default") == 3
    with store.transaction() as tx:
        assert tx.append("note", D1, "{}").id == 4


# -- export and import ----------------------------------------------------------------


def test_export_document(tmp_path: Path) -> None:
    store = Store(tmp_path)
    uid = "0123456789abcdef0123456789abcdef"
    with store.transaction("bob") as tx:
        tx.append("took", D1, '{"dose_mg": "3/2", "ok": true}', recorded_at=T1, uid=uid)
    document = store.export_profile("bob")
    assert document == {
        "schema": "ldncalc.diary/1",
        "profile": "bob",
        "entries": [
            {
                "uid": uid,
                "kind": "took",
                "date": "2024-03-01",
                "recorded_at": "2024-03-01T08:00:00.000000+00:00",
                "payload": {"dose_mg": "3/2", "ok": True},
            }
        ],
    }
    assert json.loads(json.dumps(document)) == document


GOOD_ENTRY = {
    "uid": "d" * 32,
    "kind": "note",
    "date": "2024-03-01",
    "recorded_at": "2024-03-01T08:00:00+00:00",
    "payload": {},
}


def doc(*entries: Any, **changes: Any) -> dict[str, Any]:
    return {"schema": "ldncalc.diary/1", "profile": "p", "entries": list(entries), **changes}


def entry(**changes: Any) -> dict[str, Any]:
    return {**GOOD_ENTRY, **changes}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "a diary export must be a JSON object"),
        ("[]", "a diary export must be a JSON object"),  # text is read as JSON first
        ({}, "not an ldncalc diary export (schema None; expected 'ldncalc.diary/1')"),
        (
            doc(schema="ldncalc.diary/2"),
            "not an ldncalc diary export (schema 'ldncalc.diary/2'; expected 'ldncalc.diary/1')",
        ),
        ({"schema": "ldncalc.diary/1", "entries": []}, "the diary export lacks 'profile'"),
        (doc(extra=1, more=2), "the diary export has unknown keys: 'extra', 'more'"),
        (doc(profile=None), "the diary export's 'profile' must be text"),
        (doc(entries={}), "the diary export's 'entries' must be a list"),
        (doc([]), "entry 1 of the export must be a JSON object"),
        (
            doc(entry(), {"uid": "e" * 32}),
            "entry 2 of the export lacks 'kind', 'date', 'recorded_at', 'payload'",
        ),
        (doc(entry(id=3)), "entry 1 of the export has unknown keys: 'id'"),
        (
            doc(entry(uid="D" * 32)),
            f"entry 1 of the export: the uid '{'D' * 32}' is not 32 lower-case hexadecimal digits",
        ),
        (
            doc(entry(uid=7)),
            "entry 1 of the export: the uid 7 is not 32 lower-case hexadecimal digits",
        ),
        (
            doc(entry(), entry()),
            f"entry 2 of the export: the uid {'d' * 32} appears twice in the export",
        ),
        (
            doc(entry(kind="Took")),
            "entry 1 of the export: the kind 'Took' is not allowed: use 1"
            " to 40 lower-case letters, digits, '_' or '-', starting with a letter",
        ),
        (
            doc(entry(date="2024-3-1")),
            "entry 1 of the export: the date '2024-3-1' is not a date like 2024-05-31",
        ),
        (
            doc(entry(date="20240301")),
            "entry 1 of the export: the date '20240301' is not a date like 2024-05-31",
        ),
        (
            doc(entry(date="2024-02-30")),
            "entry 1 of the export: the date '2024-02-30' is not a date like 2024-05-31",
        ),
        (
            doc(entry(date=None)),
            "entry 1 of the export: the date None is not a date like 2024-05-31",
        ),
        (
            doc(entry(recorded_at="yesterday")),
            "entry 1 of the export: recorded_at 'yesterday'"
            " is not a date and time like 2024-05-31T08:00:00+00:00",
        ),
        (
            doc(entry(recorded_at=1)),
            "entry 1 of the export: recorded_at 1 is not a date and"
            " time like 2024-05-31T08:00:00+00:00",
        ),
        (
            doc(entry(recorded_at="2024-03-01T08:00:00")),
            "entry 1 of the export: recorded_at 2024-03-01T08:00:00 has no time zone",
        ),
        (
            doc(entry(payload="{}")),
            "entry 1 of the export: the payload must be a JSON object, not str",
        ),
        (
            doc(entry(payload=[1])),
            "entry 1 of the export: the payload must be a JSON object, not list",
        ),
        (
            doc(entry(payload={"x": float("nan")})),
            "entry 1 of the export: the payload cannot be"
            " stored as JSON (Out of range float values are not JSON compliant",
        ),
    ],
)
def test_import_refuses_bad_documents(tmp_path: Path, document: Any, message: str) -> None:
    diary = Diary(Store(tmp_path / "diary"))
    with pytest.raises(InvalidInputError) as info:
        diary.import_(document)
    assert str(info.value).startswith(message)
    assert not (tmp_path / "diary").exists()  # checked whole before anything is written


# -- released schema versions: fixtures and migrations -----------------------------

# What tests/data/make_fixtures.py wrote, spelled out independently.
FIXTURE_V1 = {
    "default": [
        (
            1,
            "3f2b8c1e9d4a4f6b8e2a1c7d5b9e0f14",
            "plan",
            date(2024, 3, 1),
            datetime(2024, 3, 1, 7, 30, tzinfo=UTC),
            '{"protocol":"standard","start":"2024-03-01","target_mg":"9/2"}',
        ),
        (
            2,
            "a1d4e6f80b2c4d3e9f1a2b3c4d5e6f70",
            "took",
            date(2024, 3, 1),
            datetime(2024, 3, 1, 21, 5, 12, 250000, tzinfo=UTC),
            '{"dose_mg":"3/2","volume_ml":"3/2"}',
        ),
        (
            3,
            "5c6d7e8f90a14b2c8d3e4f5a6b7c8d9e",
            "missed",
            date(2024, 3, 2),
            datetime(2024, 3, 3, 8, 0, tzinfo=UTC),
            "{}",
        ),
        (
            4,
            "0e1f2a3b4c5d4e6f8a7b8c9d0e1f2a3b",
            "note",
            date(2024, 3, 3),
            datetime(2024, 3, 3, 22, 45, 0, 1, tzinfo=UTC),
            '{"text":"vivid dreams — woke at 3 am","scores":{"sleep":6,"pain":2}}',
        ),
    ],
    "carer.2": [
        (
            5,
            "9a8b7c6d5e4f40a1b2c3d4e5f6a7b8c9",
            "took",
            date(2024, 3, 1),
            datetime(2024, 3, 1, 20, 0, tzinfo=UTC),
            '{"dose_mg":"1/2"}',
        )
    ],
}


def fixture_copy(version: int, folder: Path) -> Store:
    """A private copy of a fixture as a diary (the fixture itself is never opened)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES[version], folder / "diary.sqlite3")
    (folder / "diary.sqlite3").chmod(0o600)
    return Store(folder)


def test_a_fixture_for_every_released_schema_version() -> None:
    assert sorted(FIXTURES) == list(range(1, schema_version() + 1))
    for version, path in FIXTURES.items():
        assert header(path)["user_version"] == version
        assert header(path)["application_id"] == APPLICATION_ID


def test_fixture_v1_schema_is_what_migration_one_creates() -> None:
    memory = sqlite3.connect(":memory:")
    for statement in store_module.MIGRATIONS[0]:
        memory.execute(statement)
    expected = sorted(memory.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
    memory.close()
    conn = sqlite3.connect(f"{FIXTURES[1].as_uri()}?mode=ro&immutable=1", uri=True)
    found = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
    conn.close()
    assert found == expected
    assert {name for _, name, _ in found} == {
        "entries",
        "sqlite_sequence",
        "entries_by_profile",
        "sqlite_autoindex_entries_1",
        "entries_are_never_changed",
    }


@pytest.mark.parametrize("version", sorted(FIXTURES))
def test_a_diary_of_each_released_version_opens_and_reads(tmp_path: Path, version: int) -> None:
    fixture_hash = sha(FIXTURES[version])
    store = fixture_copy(version, tmp_path)
    assert store.profiles() == ["carer.2", "default"]
    for profile, rows in FIXTURE_V1.items():
        assert store.records(profile) == [
            Record(i, u, profile, k, d, t, p) for i, u, k, d, t, p in rows
        ]
    assert store.check() == []
    with store.transaction() as tx:
        assert tx.append("note", D1, "{}").id == 7  # 6 was erased before the fixture was saved
    assert header(store.path)["user_version"] == schema_version()
    assert store.check() == []
    assert sha(FIXTURES[version]) == fixture_hash


def test_an_older_diary_is_migrated_forward(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    step = ("CREATE TABLE reminders (id INTEGER PRIMARY KEY, at TEXT NOT NULL)",)
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, step))
    store = fixture_copy(1, tmp_path)
    assert len(store.records()) == 4  # a read brings it up to date first
    assert header(store.path)["user_version"] == 3
    conn = raw(store.path)
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "reminders" in names
    assert store.check() == []


def test_a_failed_migration_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    steps = ("CREATE TABLE fine (x)", "CREATE TABLE entries (x)")  # the second one fails
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, steps))
    store = fixture_copy(1, tmp_path)
    before = snapshot(tmp_path)
    for action in (store.records, lambda: store.transaction().__enter__()):
        with pytest.raises(StoreError) as info:
            action()
        assert str(info.value) == (
            f"cannot bring the diary at {store.path} up to date (schema 1 to 3): table entries"
            " already exists (SQLITE_ERROR); it was left as it was"
        )
        assert info.value.reason == "migration"
        assert snapshot(tmp_path) == before
    monkeypatch.undo()
    assert len(store.records()) == 4


# -- refused files: newer, foreign, damaged; each left byte for byte ----------------

ACTIONS: dict[str, Callable[[Store, Path], object]] = {
    "records": lambda store, _: store.records(),
    "profiles": lambda store, _: store.profiles(),
    "export": lambda store, _: store.export_profile(),
    "transaction": lambda store, _: store.transaction().__enter__(),
    "import": lambda store, _: Diary(store).import_(doc(entry())),
    "erase": lambda store, _: store.erase("default"),
    "backup": lambda store, out: store.backup(out / "copy.sqlite3"),
}


def refused(store: Store, out: Path) -> list[StoreError]:
    """Try every action on a refused diary; return the errors, after checking each came."""
    errors = []
    for name, action in ACTIONS.items():
        with pytest.raises(StoreError) as info:
            action(store, out)
        errors.append(info.value)
        assert not (out / "copy.sqlite3").exists(), name
    return errors


def test_a_diary_from_a_newer_ldncalc_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    store = filled(tmp_path / "d", 2)
    conn = raw(store.path)
    conn.execute("PRAGMA user_version = 3")
    conn.execute("CREATE TABLE added_in_three (x)")
    conn.close()
    before = snapshot(store.folder)
    message = (
        f"the diary at {store.path} was made by a newer ldncalc (schema 3; this one knows up"
        " to 2); it was left as it was"
    )
    for error in refused(store, tmp_path):
        assert (str(error), error.reason, error.path) == (message, "newer", str(store.path))
    assert store.check() == [message]
    assert snapshot(store.folder) == before


def test_a_newer_diary_with_a_pending_log_is_refused_too(tmp_path: Path) -> None:
    store = filled(tmp_path / "d", 2)
    holder = raw(store.path)  # kept open: the change stays in the -wal file
    holder.execute("PRAGMA user_version = 5")
    try:
        assert (store.folder / "diary.sqlite3-wal").stat().st_size > 0
        before = sha(store.path)
        for error in refused(store, tmp_path):
            assert error.reason == "newer"
        assert sha(store.path) == before
    finally:
        holder.close()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda conn: conn.execute("CREATE TABLE notes (x)"), id="no application id"),
        pytest.param(
            lambda conn: [
                conn.execute("PRAGMA application_id = 7"),
                conn.execute("PRAGMA user_version = 1"),
            ],
            id="other application",
        ),
        pytest.param(
            lambda conn: [conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")],
            id="ours without version",
        ),
    ],
)
def test_a_database_of_another_program_is_refused(
    tmp_path: Path, make: Callable[[sqlite3.Connection], object]
) -> None:
    store = Store(tmp_path / "d")
    store.folder.mkdir()
    conn = raw(store.path)
    make(conn)
    conn.close()
    before = snapshot(store.folder)
    message = f"{store.path} is not an ldncalc diary; it was left as it was"
    for error in refused(store, tmp_path):
        assert (str(error), error.reason) == (message, "foreign")
    assert store.check()[-1] == message
    assert snapshot(store.folder) == before


def damage_garbage(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def damage_text(path: Path) -> None:
    path.write_text("my diary\n")


def damage_cut_in_header(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:50])


def damage_truncated(path: Path) -> None:
    with open(path, "r+b") as stream:
        stream.truncate(path.stat().st_size // 2)


def damage_torn_page(path: Path) -> None:
    with open(path, "r+b") as stream:
        stream.truncate(path.stat().st_size - 1000)


def damage_middle(path: Path) -> None:
    with open(path, "r+b") as stream:
        stream.seek(4096 * 3)
        stream.write(b"\xa5" * 4096)


@pytest.mark.parametrize(
    ("damage", "detail", "quiet"),
    [
        (damage_garbage, "not an SQLite database", True),
        (damage_text, "not an SQLite database", True),
        (damage_cut_in_header, "cut short at 50 bytes", True),
        (damage_truncated, "database disk image is malformed", False),
        (damage_torn_page, None, False),
        (damage_middle, None, False),
    ],
)
def test_a_damaged_diary_is_refused_and_left_as_it_was(
    tmp_path: Path, damage: Callable[[Path], None], detail: str | None, quiet: bool
) -> None:
    store = Store(tmp_path / "d")
    with store.transaction() as tx:
        for number in range(60):
            tx.append("note", D1, json.dumps({"n": number, "text": "x" * 200}))
    damage(store.path)
    before = snapshot(store.folder)
    for error in refused(store, tmp_path):
        assert error.reason == "damaged"
        assert str(error).startswith(f"the diary at {store.path} is damaged (")
        assert str(error).endswith("); it was left as it was")
        assert "\n" not in str(error)
        if detail is not None:
            assert detail in str(error)
    problems = store.check()
    assert problems
    assert all("\n" not in line for line in problems)
    assert_untouched(before, snapshot(store.folder), quiet=quiet)


EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def assert_untouched(before: dict[str, str], after: dict[str, str], *, quiet: bool) -> None:
    """The diary's bytes are as they were; so is the folder, but for SQLite's side files.

    Refused from its header alone (``quiet``), a file is not even opened by
    SQLite. Otherwise a read-only connection had to look, and it cannot remove
    the side files it makes: an empty -wal and a -shm (an index of the log).
    """
    assert after["diary.sqlite3"] == before["diary.sqlite3"]
    if quiet:
        assert after == before
    else:
        assert set(after) - set(before) <= {"diary.sqlite3-wal", "diary.sqlite3-shm"}
        assert after.get("diary.sqlite3-wal", EMPTY_SHA) == EMPTY_SHA


def test_a_zero_length_file_is_an_empty_diary(tmp_path: Path) -> None:
    # What a writer killed between creating the file and its first commit leaves.
    (tmp_path / "diary.sqlite3").touch(mode=0o600)
    store = Store(tmp_path)
    assert store.records() == []
    assert store.check() == []
    assert store.erase("default") == 0
    filled(tmp_path, 1)
    assert len(store.records()) == 1


# A process that dies in the middle of a change to a diary in rollback-journal mode
# (one restored from a backup, before its first change): SIGKILL before COMMIT,
# with pages already written to the file and their old content in the journal.
INTERRUPTED = r"""
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")  # spill changed pages into the file early
conn.execute("BEGIN IMMEDIATE")
for number in range(400):
    conn.execute(
        "INSERT INTO entries (uid, profile, kind, day, recorded_at, payload)"
        " VALUES (?, 'default', 'note', '2024-03-01', '2024-03-01T08:00:00+00:00', ?)",
        (f"{number:032x}", "{}" + " " * 500),
    )
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_an_interrupted_change_is_rolled_back(tmp_path: Path) -> None:
    source = filled(tmp_path / "source", 3)
    folder = tmp_path / "restored"
    folder.mkdir()
    source.backup(folder / "diary.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED, folder / "diary.sqlite3"], check=False
    )
    assert done.returncode == -9
    assert (folder / "diary.sqlite3-journal").stat().st_size > 0  # a hot journal
    store = Store(folder)
    before = snapshot(folder)
    assert store.check() == [
        f"the diary at {store.path} holds an interrupted change that its next writer will roll back"
    ]
    assert snapshot(folder) == before  # check() rolls back nothing
    assert store.records() == source.records()  # SQLite's own recovery, then the read
    assert not (folder / "diary.sqlite3-journal").exists()
    assert store.check() == []
    filled(folder, 1)
    assert len(store.records()) == 4


# -- check ---------------------------------------------------------------------------


def test_check_of_a_healthy_diary(tmp_path: Path) -> None:
    store = filled(tmp_path, 5)
    before = sha(store.path)
    assert store.check() == []
    assert sha(store.path) == before


def test_check_reports_loose_permissions(tmp_path: Path) -> None:
    store = filled(tmp_path, 1)
    store.path.chmod(0o644)
    assert store.check() == [
        f"{store.path} can be read or written by other users (mode 0644);"
        f" it should be 0600: run chmod 600 {store.path}"
    ]
    assert mode(store.path) == 0o644  # reported, not changed


def test_check_reports_a_schema_not_as_made(tmp_path: Path) -> None:
    store = filled(tmp_path, 1)
    conn = raw(store.path)
    conn.execute("DROP TRIGGER entries_are_never_changed")
    conn.execute("CREATE TABLE stray (x)")
    conn.close()
    assert store.check() == [
        "the diary lacks its trigger 'entries_are_never_changed'",
        "the diary has an unknown table 'stray'",
    ]
    before = sha(store.path)
    with pytest.raises(StoreError) as info:
        store.transaction().__enter__()
    assert str(info.value) == (
        f"the diary at {store.path} is damaged (parts of its schema are missing);"
        " it was left as it was"
    )
    assert sha(store.path) == before


def test_check_reports_what_integrity_check_finds(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction() as tx:
        for number in range(300):
            tx.append("note", D1, json.dumps({"n": number}))
    data = bytearray(store.path.read_bytes())
    # In the first leaf page of an index (page type 10), change one key: the index
    # now disagrees with the table, which only a full integrity_check notices.
    leaf = next(start for start in range(4096, len(data), 4096) if data[start] == 0x0A)
    key = data.index(b"default", leaf)
    data[key + 1 : key + 2] = b"E"
    store.path.write_bytes(data)
    before = snapshot(tmp_path)
    problems = store.check()
    assert problems
    for problem in problems:  # the key is in both indexes that start with the profile
        assert problem.startswith("integrity: row ")
        assert " missing from index entries_by_profile" in problem
    assert_untouched(before, snapshot(tmp_path), quiet=False)


# -- failures of the system: full, read-only, missing ---------------------------------


def test_a_full_disk_saves_nothing_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = filled(tmp_path, 3)
    before = snapshot(tmp_path)
    connect = store_module._connect

    def no_room(path: Path, *, readonly: bool, immutable: bool = False) -> sqlite3.Connection:
        conn = connect(path, readonly=readonly, immutable=immutable)
        if not readonly:  # the database may not grow by a single page: SQLITE_FULL
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(store_module, "_connect", no_room)
    with pytest.raises(StoreError) as info, store.transaction() as tx:
        tx.append("note", D1, json.dumps({"text": "x" * 20_000}))
    assert str(info.value) == (
        f"cannot save to the diary at {store.path}: the disk is full; nothing was saved"
    )
    assert (info.value.reason, info.value.code) == ("full", "store-full")
    monkeypatch.undo()
    assert snapshot(tmp_path) == before
    assert len(store.records()) == 3


def test_a_place_nothing_can_be_created_in(tmp_path: Path) -> None:
    # Under /proc nothing can be created, whoever we are (root included).
    store = Store(Path("/proc/self/ldncalc"))
    with pytest.raises(StoreError) as info, store.transaction() as tx:
        tx.append("note", D1, "{}")
    assert str(info.value) == (
        "cannot create the folder /proc/self/ldncalc: No such file or directory"
    )
    assert info.value.reason == "missing"
    store = Store(Path("/proc/self"))
    with pytest.raises(StoreError) as info, store.transaction() as tx:
        tx.append("note", D1, "{}")
    assert str(info.value) == (
        "cannot create the diary /proc/self/diary.sqlite3: No such file or directory"
    )
    assert store.records() == []


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's own are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="ldncalc-store-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for place, _, _ in os.walk(folder):
            os.chmod(place, 0o700)
        shutil.rmtree(folder)


@contextlib.contextmanager
def unprivileged(*paths: Path) -> Iterator[None]:
    """Run the block without the power to ignore permissions (root becomes nobody)."""
    if os.geteuid() != 0:
        yield
        return
    for path in paths:
        os.chown(path, 65534, 65534)
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_a_read_only_diary_can_be_read_but_not_written(open_tmp: Path) -> None:
    out = open_tmp / "out"
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    store = filled(open_tmp / "d", 3)
    store.folder.chmod(0o500)
    store.path.chmod(0o400)
    before = snapshot(store.folder)
    with unprivileged(store.folder, store.path):
        assert [r.id for r in store.records()] == [1, 2, 3]
        assert store.profiles() == ["default"]
        assert store.check() == []
        assert store.backup(out / "copy.sqlite3") == out / "copy.sqlite3"
        message = (
            f"cannot save to the diary at {store.path}: the file or its folder is read-only;"
            " nothing was saved"
        )
        with pytest.raises(StoreError) as info, store.transaction() as tx:
            tx.append("note", D1, "{}")
        assert (str(info.value), info.value.reason) == (message, "read-only")
        with pytest.raises(StoreError) as info:
            store.erase("default")
        assert (str(info.value), info.value.reason) == (message, "read-only")
    assert snapshot(store.folder) == before


def test_a_folder_that_may_not_be_written(open_tmp: Path) -> None:
    locked = open_tmp / "locked"
    locked.mkdir(mode=0o500)
    locked.chmod(0o500)
    store = Store(locked / "diary")
    with unprivileged(locked), pytest.raises(StoreError) as info, store.transaction():
        pass
    assert str(info.value) == f"cannot create the folder {locked / 'diary'}: Permission denied"
    assert info.value.reason == "permission"
    assert list(locked.iterdir()) == []


# -- backup -----------------------------------------------------------------------


def test_backup_is_a_private_complete_copy(tmp_path: Path) -> None:
    store = filled(tmp_path / "d", 4)
    out = tmp_path / "out"
    out.mkdir()
    with umask(0o000):
        assert store.backup(out / "copy.sqlite3") == out / "copy.sqlite3"
    assert sorted(p.name for p in out.iterdir()) == ["copy.sqlite3"]  # no temporary left
    assert mode(out / "copy.sqlite3") == 0o600
    conn = raw(out / "copy.sqlite3")
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy2(out / "copy.sqlite3", restored / "diary.sqlite3")  # keeps its mode
    assert header(restored / "diary.sqlite3")["write_version"] == 1  # one file, no log
    assert Store(restored).records() == store.records()
    assert Store(restored).check() == []
    filled(restored, 1)  # the first change puts a restored diary back in WAL mode
    assert header(restored / "diary.sqlite3")["write_version"] == 2
    assert len(Store(restored).records()) == 5


def test_backup_takes_only_what_was_committed(tmp_path: Path) -> None:
    store = filled(tmp_path / "d", 2)
    with store.transaction() as tx:
        tx.append("note", D1, "{}")
        Store(store.folder).backup(tmp_path / "copy.sqlite3")
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copyfile(tmp_path / "copy.sqlite3", restored / "diary.sqlite3")
    assert [r.id for r in Store(restored).records()] == [1, 2]


def test_backup_never_replaces_a_file(tmp_path: Path) -> None:
    store = filled(tmp_path / "d", 1)
    target = tmp_path / "copy.sqlite3"
    target.write_text("keep me")
    with pytest.raises(OutputFileError) as info:
        store.backup(target)
    assert str(info.value) == f"{target} exists; a backup never replaces a file"
    assert target.read_text() == "keep me"


def test_backup_into_a_missing_folder(tmp_path: Path) -> None:
    store = filled(tmp_path / "d", 1)
    with pytest.raises(OutputFileError) as info:
        store.backup(tmp_path / "no" / "copy.sqlite3")
    assert str(info.value) == (
        f"cannot write {tmp_path / 'no' / 'copy.sqlite3'}: the folder {tmp_path / 'no'}"
        " does not exist"
    )


def test_backup_of_no_diary(tmp_path: Path) -> None:
    store = Store(tmp_path / "d")
    with pytest.raises(StoreError) as info:
        store.backup(tmp_path / "copy.sqlite3")
    assert str(info.value) == f"there is no diary at {store.path} yet; nothing to back up"
    assert info.value.reason == "missing"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- a stateful model: random sequences against a plain list --------------------------

PROFILES = st.sampled_from(["default", "bob", "carer.2"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
PAYLOADS = st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=4)
MOMENTS = st.none() | st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
    ),
)

ModelEntry = tuple[int, str, str, date, datetime | None, dict[str, Any]]


class StoreMachine(RuleBasedStateMachine):
    """The store against a list: what was appended and not erased, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="ldncalc-store-"))
        self.store = Store(self.root / "main")
        self.model: list[tuple[str, ModelEntry]] = []  # (profile, entry)
        self.last_id = 0

    def teardown(self) -> None:
        shutil.rmtree(self.root)

    @rule(
        profile=PROFILES,
        entries=st.lists(
            st.tuples(
                st.sampled_from(["took", "missed", "note", "adjust", "undo"]),
                st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
                MOMENTS,
                PAYLOADS,
            ),
            min_size=1,
            max_size=3,
        ),
        fail=st.booleans(),
    )
    def append(
        self,
        profile: str,
        entries: list[tuple[str, date, datetime | None, dict[str, Any]]],
        fail: bool,
    ) -> None:
        added: list[tuple[str, ModelEntry]] = []
        try:
            with self.store.transaction(profile) as tx:
                for kind, day, moment, payload in entries:
                    record = tx.append(kind, day, json.dumps(payload), recorded_at=moment)
                    added.append((profile, (record.id, record.uid, kind, day, moment, payload)))
                if fail:
                    raise RefusedError("changed my mind")
        except RefusedError:
            assert fail
            return
        ids = [entry[0] for _, entry in added]
        assert ids == list(range(self.last_id + 1, self.last_id + 1 + len(ids)))
        self.last_id = ids[-1]
        self.model.extend(added)

    @rule(profile=PROFILES)
    def erase(self, profile: str) -> None:
        expected = sum(1 for owner, _ in self.model if owner == profile)
        assert self.store.erase(profile) == expected
        self.model = [(owner, e) for owner, e in self.model if owner != profile]

    @rule(profile=PROFILES)
    def export_holds_every_entry(self, profile: str) -> None:
        # The import, with every rule of recording, is Diary's (tests/test_library_door.py).
        document = json.loads(json.dumps(self.store.export_profile(profile)))
        records = self.store.records(profile)
        assert [e["uid"] for e in document["entries"]] == [r.uid for r in records]
        assert [e["kind"] for e in document["entries"]] == [r.kind for r in records]

    @invariant()
    def matches_the_model(self) -> None:
        for profile in ("default", "bob", "carer.2"):
            records = self.store.records(profile)
            wanted = [e for owner, e in self.model if owner == profile]
            assert [r.id for r in records] == [e[0] for e in wanted]
            assert [(r.uid, r.kind, r.day) for r in records] == [e[1:4] for e in wanted]
            for record, (_, _, _, _, moment, payload) in zip(records, wanted, strict=True):
                assert json.loads(record.payload) == payload
                assert record.payload == json.dumps(
                    payload, ensure_ascii=False, separators=(",", ":")
                )
                if moment is not None:
                    assert record.recorded_at == moment
                assert record.recorded_at.utcoffset() == timedelta(0)
        assert self.store.profiles() == sorted({owner for owner, _ in self.model})


# Every step commits to a real file (fsync): few, short runs keep the file under 20 s.
StoreMachine.TestCase.settings = settings(max_examples=20, stateful_step_count=10)
TestStoreMachine = StoreMachine.TestCase
