"""One door to the diary: wrong inputs are coded errors, imports keep every rule, a tampered
file is refused with the diary unchanged."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldncalc import Diary, InvalidInputError, LdncalcError, StoreError
from ldncalc.diary.store import Store

TODAY = date(2026, 3, 1)
START = date(2026, 1, 5)
GENERIC = ("error", "invalid-input", "refused")


def _diary(folder: Path, profile: str | None = None) -> Diary:
    return Diary.open(folder, profile, clock=lambda: TODAY)


def _started(folder: Path) -> Diary:
    diary = _diary(folder)
    diary.start_plan(start_date=START)
    diary.took(on=date(2026, 1, 6))
    return diary


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- a tampered file -----------------------------------------------------------------------

PLANTS = {
    "adjustment on note": "CREATE TRIGGER evil AFTER INSERT ON entries WHEN NEW.kind = 'note' "
    "BEGIN INSERT INTO entries (uid, profile, kind, day, recorded_at, payload) VALUES "
    "(lower(hex(randomblob(16))), NEW.profile, 'adjust', NEW.day, NEW.recorded_at, "
    '\'{"action":"dose","dose_mg":"45","v":2}\'); END',
    "deletes": "CREATE TRIGGER wipe AFTER INSERT ON entries BEGIN DELETE FROM entries; END",
    "ignore": "CREATE TRIGGER swallow BEFORE INSERT ON entries BEGIN SELECT RAISE(IGNORE); END",
    "view": "CREATE VIEW everything AS SELECT * FROM entries",
    "column": "ALTER TABLE entries ADD COLUMN extra TEXT",
    "table": "CREATE TABLE notes_of_mine (x)",
    "index": "CREATE INDEX by_kind ON entries (kind)",
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_tampered_file_is_refused_by_every_command_and_left_unchanged(
    tmp_path: Path, plant: str
) -> None:
    diary = _started(tmp_path)
    with sqlite3.connect(diary.path) as conn:
        conn.execute(PLANTS[plant])
    conn.close()
    before = _digest(diary.path)
    calls: list[Callable[[], object]] = [
        lambda: diary.took(on=date(2026, 1, 7)),
        lambda: diary.note("x", on=date(2026, 1, 7)),
        lambda: diary.missed(on=date(2026, 1, 8)),
        lambda: diary.undo(2),
        diary.today,
        diary.entries,
        diary.history,
        diary.export,
        lambda: diary.import_({"schema": "ldncalc.diary/1", "profile": "x", "entries": []}),
    ]
    for call in calls:
        with pytest.raises(StoreError) as info:
            call()
        assert info.value.code == "store-tampered"
        assert "was changed outside ldncalc" in str(info.value)
        assert "\n" not in str(info.value)
    assert _digest(diary.path) == before
    assert any("the diary" in p for p in diary.check())


def test_a_write_that_is_not_kept_is_not_reported_saved(tmp_path: Path) -> None:
    # A trigger that swallows the insert, planted inside the write transaction (past the
    # check on open): the read-back refuses it, and nothing is reported.
    diary = _started(tmp_path)
    store = Store(tmp_path)
    with store.transaction() as tx:
        tx._conn.execute(PLANTS["ignore"])
        with pytest.raises(StoreError, match="did not keep the entry") as info:
            tx.append("note", date(2026, 1, 7), '{"v":2,"text":"x"}')
        assert info.value.code == "store-tampered"
        tx._conn.execute("DROP TRIGGER swallow")
    assert [e.id for e in diary.entries()] == [1, 2]


# --- imports refuse what the commands refuse -----------------------------------------------


def _export(tmp_path: Path) -> dict[str, Any]:
    """Return an export as a program reads it from its file: loose JSON, to be tampered with."""
    return _loose(_started(tmp_path / "source").export())


def _loose(document: object) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(document))
    return loaded


def _entry(kind: str, day: str, payload: dict[str, object], uid: str) -> dict[str, object]:
    return {
        "uid": uid,
        "kind": kind,
        "date": day,
        "recorded_at": "2026-01-06T08:00:00.000000+00:00",
        "payload": {"v": 2, **payload},
    }


def _refused(tmp_path: Path, document: object, code: str) -> None:
    target = _diary(tmp_path / "target")
    with pytest.raises(LdncalcError) as info:
        target.import_(document)
    assert info.value.code == code, str(info.value)
    assert "\n" not in str(info.value)
    assert not target.path.exists()  # nothing written, not even the file


def test_an_import_refuses_a_dose_dated_in_2031(tmp_path: Path) -> None:
    document = _export(tmp_path)
    document["entries"].append(_entry("took", "2031-01-01", {"dose_mg": None}, "a" * 32))
    _refused(tmp_path, document, "import-refused")


def test_an_import_refuses_a_second_record_of_a_day_the_diary_holds(tmp_path: Path) -> None:
    target = _started(tmp_path / "target")  # took on 2026-01-06
    document = _loose(target.export())
    document["entries"].append(_entry("missed", "2026-01-06", {}, "a" * 32))
    before = _digest(target.path)
    with pytest.raises(LdncalcError, match="2026-01-06 already has a dose taken") as info:
        target.import_(document)
    assert info.value.code == "import-refused"
    assert _digest(target.path) == before


def test_an_exports_own_second_dose_of_a_day_is_kept(tmp_path: Path) -> None:
    # Recorded with `again` where it was made: a real second dose, within a tablet a day.
    document = _export(tmp_path)
    document["entries"].append(_entry("took", "2026-01-06", {"dose_mg": "0.5"}, "a" * 32))
    assert _diary(tmp_path / "target").import_(document) == 3


def test_an_import_refuses_three_large_doses_on_one_day(tmp_path: Path) -> None:
    document = _export(tmp_path)
    for uid in "abc":
        document["entries"].append(_entry("took", "2026-01-09", {"dose_mg": "49"}, uid * 32))
    _refused(tmp_path, document, "import-refused")


def test_an_import_refuses_two_undos_of_one_entry(tmp_path: Path) -> None:
    document = _export(tmp_path)
    target = document["entries"][1]["uid"]
    for uid in "ab":
        document["entries"].append(_entry("undo", "2026-01-07", {"target_uid": target}, uid * 32))
    _refused(tmp_path, document, "import-refused")


def test_an_import_refuses_a_note_years_before_the_plan(tmp_path: Path) -> None:
    document = _export(tmp_path)
    note: dict[str, object] = {"text": "x", "scores": [], "side_effects": [], "pgic": None}
    document["entries"].append(_entry("note", "2020-01-01", note, "a" * 32))
    _refused(tmp_path, document, "import-refused")


def test_an_import_refuses_a_uid_that_is_not_text(tmp_path: Path) -> None:
    document = _export(tmp_path)
    document["entries"][1]["uid"] = ["x"]
    _refused(tmp_path, document, "import-unreadable")


def test_an_import_checks_the_documents_schema_before_its_entries(tmp_path: Path) -> None:
    _refused(tmp_path, {"schema": "other/1", "entries": [1]}, "import-unreadable")


def test_an_export_file_with_a_key_twice_is_refused_in_one_line(tmp_path: Path) -> None:
    from ldncalc.diary.exchange import read_export

    text = json.dumps(_export(tmp_path))
    text = text.replace('"dose_mg": "1"', '"dose_mg": "1", "dose_mg": "45"')
    assert '"dose_mg": "45"' in text
    path = tmp_path / "twice.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LdncalcError, match="appears twice") as info:
        read_export(path)
    assert info.value.code == "import-unreadable"


def test_racing_imports_leave_one_dose_a_day(tmp_path: Path) -> None:
    base = _export(tmp_path)
    _diary(tmp_path / "target").import_(base)
    documents = []
    for uid in "ab":
        doc = json.loads(json.dumps(base))
        doc["entries"].append(_entry("took", "2026-01-09", {"dose_mg": None}, uid * 32))
        documents.append(doc)
    results: list[object] = []
    gate = threading.Barrier(2)

    def run(doc: object) -> None:
        gate.wait()
        try:
            results.append(_diary(tmp_path / "target").import_(doc))
        except LdncalcError as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=run, args=(doc,)) for doc in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) == ["1", "import-refused"]
    days = [e.day for e in _diary(tmp_path / "target").entries() if e.kind == "took"]
    assert days.count(date(2026, 1, 9)) == 1


# --- every wrong input is a coded LdncalcError ---------------------------------------------

WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.just(datetime(2026, 1, 7, 8, 0)),
    st.sampled_from([date.min, date.max, date(2026, 1, 7)]),
    st.just(Decimal("1.0000000000000000000000001")),
    st.just(Decimal("NaN")),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(object()),
)

METHODS = {
    "took": ("dose", "on", "again"),
    "missed": ("on", "again"),
    "mixed": ("on", "preparation", "keep_days"),
    "diluted": ("on", "stage", "source_ml", "water_ml", "keep_days"),
    "note": ("text", "on", "scores", "side_effects", "pgic"),
    "adjust": ("action", "on", "dose", "step", "every_days", "for_days", "reason", "confirm"),
    "undo": ("entry_id",),
    "today": ("on",),
    "history": ("start", "end"),
    "report": ("start", "end"),
    "start_plan": (
        "protocol",
        "start_date",
        "preparation",
        "syringe",
        "hold_days",
        "keep_days",
        "force",
        "confirm",
    ),
}


def _raised(call: Callable[[], object]) -> LdncalcError | None:
    """Return the LdncalcError ``call`` raises, or None; anything else propagates (a leak)."""
    try:
        call()
    except LdncalcError as exc:
        return exc
    return None


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wrong")
    _started(folder)
    return folder


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(sorted(METHODS)), data=st.data())
def test_every_wrong_input_to_a_diary_method_is_a_coded_ldncalc_error(
    shared: Path, method: str, data: st.DataObject
) -> None:
    names = METHODS[method]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
    kwargs = {name: data.draw(WRONG, label=name) for name in chosen}
    diary = Diary.open(shared, "fuzz", clock=lambda: TODAY)
    call = getattr(diary, method)
    if method in ("undo", "adjust"):
        first = kwargs.pop(names[0], 1 if method == "undo" else "hold")
        error = _raised(lambda: call(first, **kwargs))
    else:
        error = _raised(lambda: call(**kwargs))
    if error is not None:
        assert error.code not in GENERIC, (method, kwargs, error)
        assert "\n" not in str(error)


@settings(max_examples=100, deadline=None)
@given(folder=WRONG, profile=WRONG)
def test_opening_with_wrong_arguments_is_a_coded_ldncalc_error(
    shared: Path, folder: object, profile: object
) -> None:
    for args in ((folder if isinstance(folder, str) and folder else shared, profile), (folder,)):
        error = _raised(lambda: Diary.open(*args))  # noqa: B023
        assert error is None or error.code not in GENERIC, (args, error)


def test_a_second_dose_of_a_day_stays_within_a_tablet(tmp_path: Path) -> None:
    diary = _started(tmp_path)
    diary.took("30 mg", on=date(2026, 1, 9))
    with pytest.raises(LdncalcError, match="would come to 60 mg, more than a whole tablet") as info:
        diary.took("30 mg", on=date(2026, 1, 9), again=True)
    assert info.value.code == "above-tablet"
    assert diary.took("20 mg", on=date(2026, 1, 9), again=True).entry.id == 4


KNOWN_LEAKS: dict[str, tuple[Callable[[Diary], object], str]] = {
    "took on a datetime": (lambda d: d.took(on=datetime(2026, 1, 7, 8)), "wrong-type"),
    "note on a datetime": (lambda d: d.note("x", on=datetime(2026, 1, 7, 8)), "wrong-type"),
    "today on date.min": (lambda d: d.today(on=date.min), "date-out-of-range"),
    "history from text": (lambda d: d.history(start="2026-01-01"), "wrong-type"),  # type: ignore[arg-type]
    "start_plan(5)": (lambda d: d.start_plan(5), "wrong-type"),  # type: ignore[arg-type]
    "a dose finer than a diary keeps": (
        lambda d: d.took(Decimal("1.0000000000000000000000001"), on=date(2026, 1, 7)),
        "too-precise",
    ),
    "side effects as one text": (
        lambda d: d.note(side_effects="vivid", on=date(2026, 1, 7)),
        "wrong-type",
    ),
    "a score twice in two cases": (
        lambda d: d.note(scores={"pain": 5, "Pain": 3}, on=date(2026, 1, 7)),
        "score-twice",
    ),
    "undo(1.0)": (lambda d: d.undo(1.0), "wrong-type"),  # type: ignore[arg-type]
    "undo of no entry": (lambda d: d.undo(99), "no-such-entry"),
    "an unknown action": (lambda d: d.adjust("sideways"), "unknown-action"),  # type: ignore[arg-type]
    "resume with no hold": (
        lambda d: d.adjust("resume", on=date(2026, 1, 7)),
        "adjust-not-applicable",
    ),
}


@pytest.mark.parametrize("leak", sorted(KNOWN_LEAKS))
def test_each_known_leak_is_a_coded_error_and_records_nothing(tmp_path: Path, leak: str) -> None:
    diary = _started(tmp_path)
    before = _digest(diary.path)
    call, code = KNOWN_LEAKS[leak]
    with pytest.raises(LdncalcError) as info:
        call(diary)
    assert info.value.code == code
    assert _digest(diary.path) == before


def test_opening_a_folder_that_is_a_number_is_a_coded_error() -> None:
    with pytest.raises(LdncalcError) as info:
        Diary.open(123)  # type: ignore[arg-type]
    assert info.value.code == "wrong-type"


def test_scores_are_kept_in_lower_case_and_as_text_digits(tmp_path: Path) -> None:
    diary = _started(tmp_path)
    note = diary.note(scores=[(" Pain ", "7")], pgic="4", on=date(2026, 1, 7)).entry.payload
    assert (note.scores, note.pgic) == ((("pain", 7),), 4)  # type: ignore[union-attr]


def test_an_import_never_moves_nor_overwrites_an_entry(tmp_path: Path) -> None:
    diary = _started(tmp_path)
    document = diary.export()
    other = _diary(tmp_path, "other")
    with pytest.raises(LdncalcError, match="under the profile 'default'") as moved:
        other.import_(document)
    assert moved.value.code == "import-conflict"
    document["entries"][1]["payload"]["dose_mg"] = "2"
    with pytest.raises(LdncalcError, match="differs from the entry with the same uid") as changed:
        diary.import_(document)
    assert changed.value.code == "import-conflict"
    assert diary.import_(diary.export()) == 0
    assert other.entries() == []


def test_an_import_keeps_uids_days_and_moments(tmp_path: Path) -> None:
    source = _started(tmp_path / "a")
    source.note("baseline", on=date(2025, 12, 20))
    target = _diary(tmp_path / "b")
    assert target.import_(json.loads(json.dumps(source.export()))) == 3

    def kept(diary: Diary) -> list[tuple[str, date, datetime, object]]:
        return [(e.uid, e.day, e.recorded_at, e.payload) for e in diary.entries()]

    assert kept(target) == kept(source)
    assert not hasattr(Store, "import_profile")  # one door: only Diary imports


COMMANDS = [
    ["took", "--date", "2026-01-07"],
    ["missed", "--date", "2026-01-08"],
    ["note", "x", "--pain", "3", "--date", "2026-01-07"],
    ["plan", "adjust", "hold", "--date", "2026-01-07"],
    ["undo", "2"],
    ["today"],
    ["history"],
    ["plan", "show"],
]


@pytest.mark.parametrize("plant", ["adjustment on note", "deletes", "ignore", "view", "column"])
def test_every_command_refuses_a_tampered_diary_in_one_line(tmp_path: Path, plant: str) -> None:
    from tests.fuzzing import cli

    diary = _started(tmp_path)
    with sqlite3.connect(diary.path) as conn:
        conn.execute(PLANTS[plant])
    conn.close()
    before = _digest(diary.path)
    for args in COMMANDS:
        result = cli(*args, "--data-dir", str(tmp_path))
        assert (result.exit_code, result.stdout) == (1, ""), (args, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("Error: ")
        assert "changed outside ldncalc" in result.stderr
    assert _digest(diary.path) == before


def test_an_export_given_as_text_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    text = json.dumps(_export(tmp_path)).replace(
        '"dose_mg": "1"', '"dose_mg": "1", "dose_mg": "45"'
    )
    target = _diary(tmp_path / "target")
    with pytest.raises(LdncalcError, match="the key 'dose_mg' appears twice") as info:
        target.import_(text)
    assert info.value.code == "import-unreadable"
    assert target.import_(json.dumps(_export(tmp_path / "again")).encode()) == 2


@pytest.mark.parametrize("folder", ["~0", "~no-such-user-here/diary"])
def test_a_folder_under_a_home_that_does_not_exist_is_a_coded_error(folder: str) -> None:
    """``~name`` of no user makes pathlib raise RuntimeError: the library names the folder."""
    with pytest.raises(InvalidInputError) as caught:
        Diary.open(folder)
    assert caught.value.code == "folder-name"
    assert repr(folder) in str(caught.value)
