"""A day's status reads only what the day needs (Store.day_records), with the same answer.

``Diary.today`` reads every entry but the doses, misses and notes of other
days (schema 2 keeps an index for that read). These tests require the same
status, or the same refusal, as reading every entry, on the fixtures and on
diaries with undos of undos and damaged entries, for every day around them.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from ldncalc.diary.living import today_status
from ldncalc.diary.service import Diary
from ldncalc.diary.sqlitefile import MIGRATIONS
from ldncalc.diary.store import Store
from ldncalc.errors import LdncalcError

DATA = Path(__file__).parent / "data"
START = date(2027, 1, 4)
ONE = timedelta(days=1)


def outcome(make: object) -> object:
    try:
        return make()  # type: ignore[operator]
    except LdncalcError as exc:
        return (type(exc).__name__, str(exc))


def assert_same_days(diary: Diary, first: date, last: date) -> None:
    day = first
    while day <= last:
        full = outcome(lambda d=day: today_status(diary.started_entries(), d))
        assert outcome(lambda d=day: diary.today(on=d)) == full, day
        day += ONE


def story(folder: Path) -> Diary:
    """Forty days: doses, misses, notes, bottles, an adjustment, undos of undos."""
    diary = Diary(Store(folder), clock=lambda: START + 60 * ONE)
    diary.start_plan("ldnrt-weekly", start_date=START)
    diary.mixed(on=START)
    for i in range(40):
        day = START + i * ONE
        if i % 9 == 4:
            diary.missed(on=day)
        else:
            diary.took(Fraction(1) if i == 3 else None, on=day)
        if i % 5 == 0:
            diary.note("ok", on=day, scores={"pain": i % 11})
        if i == 14:
            diary.mixed(on=day)
    took = diary.took(on=START + 41 * ONE).entry.id
    first = diary.undo(took).entry.id  # the dose undone
    second = diary.undo(first).entry.id  # and restored
    diary.undo(second)  # and undone again
    note = diary.note("restless", on=START + 10 * ONE, scores={"pain": 7}).entry.id
    diary.undo(diary.undo(note).entry.id)  # an undo of an undo: the note stands
    diary.adjust("back", on=START + 20 * ONE)
    return diary


def break_entry(diary: Diary, entry_id: int, payload: str) -> None:
    conn = sqlite3.connect(diary._store.path)
    conn.execute("DROP TRIGGER entries_are_never_changed")
    conn.execute("UPDATE entries SET payload = ? WHERE id = ?", (payload, entry_id))
    conn.execute(MIGRATIONS[0][2])  # the trigger as ldncalc made it
    conn.commit()
    conn.close()


def test_a_day_reads_what_it_needs_and_answers_the_same(tmp_path: Path) -> None:
    diary = story(tmp_path)
    found = diary._store.day_records(diary.profile, START + 20 * ONE, START + 19 * ONE)
    assert found is not None
    records, others = found
    assert len(records) < len(diary._store.records(diary.profile)) / 2
    assert others  # the daily entries of other days, by payload
    assert_same_days(diary, START - 3 * ONE, START + 50 * ONE)


def test_a_damaged_entry_long_ago_is_still_refused(tmp_path: Path) -> None:
    diary = story(tmp_path)
    old = next(r for r in diary._store.records(diary.profile) if r.kind == "took")
    break_entry(diary, old.id, '{"dose_mg": "not a dose"}')
    day = START + 30 * ONE
    refused = outcome(lambda: diary.today(on=day))
    assert refused[0] == "RefusedError"  # type: ignore[index]
    assert f"entry {old.id} of the diary cannot be read" in refused[1]  # type: ignore[index]
    assert_same_days(diary, START + 28 * ONE, START + 32 * ONE)
    diary.undo(old.id)  # undone, the day is shown again, the same both ways
    assert_same_days(diary, START, START + 45 * ONE)


def test_a_damaged_date_long_ago_is_still_refused(tmp_path: Path) -> None:
    diary = story(tmp_path)
    old = next(r for r in diary._store.records(diary.profile) if r.kind == "note")
    conn = sqlite3.connect(diary._store.path)
    conn.execute("DROP TRIGGER entries_are_never_changed")
    conn.execute("UPDATE entries SET recorded_at = 'yesterday' WHERE id = ?", (old.id,))
    conn.commit()
    conn.close()
    refused = outcome(lambda: diary.today(on=START + 30 * ONE))
    assert refused[0] == "StoreError"  # type: ignore[index]
    assert refused == outcome(lambda: diary.started_entries())


@pytest.mark.parametrize("name", ["diary-v1.sqlite", "diary-v2.sqlite", "diary-v020.sqlite3"])
def test_the_fixtures_answer_the_same(tmp_path: Path, name: str) -> None:
    shutil.copyfile(DATA / name, tmp_path / "diary.sqlite3")
    (tmp_path / "diary.sqlite3").chmod(0o600)
    store = Store(tmp_path)
    for profile in store.profiles():
        diary = Diary(store, profile)
        days = [r.day for r in store.records(profile)]
        assert_same_days(diary, min(days) - 2 * ONE, max(days) + 2 * ONE)


def test_an_old_diary_gets_the_index(tmp_path: Path) -> None:
    shutil.copyfile(DATA / "diary-v1.sqlite", tmp_path / "diary.sqlite3")
    (tmp_path / "diary.sqlite3").chmod(0o600)
    Store(tmp_path).records()  # a read brings it up to date
    conn = sqlite3.connect(tmp_path / "diary.sqlite3")
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM entries WHERE profile = 'default'"
        " AND kind IN ('took') AND day >= '2027-01-01' AND day <= '2027-01-02'"
    ).fetchall()
    conn.close()
    assert "entries_by_profile_kind_day" in names
    assert "entries_by_profile_kind_day" in str(plan)


def test_a_write_reads_the_diary_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ldncalc.diary.store as store_module

    diary = story(tmp_path)
    count = len(diary._store.records(diary.profile))
    made = [0]
    record = store_module._record

    def counted(row: tuple[object, ...], path: Path) -> object:
        made[0] += 1
        return record(row, path)

    monkeypatch.setattr(store_module, "_record", counted)
    diary.took(on=START + 45 * ONE)
    # Once, in the transaction that checks and appends (an emptiness check reads one row).
    assert made[0] <= count + 1
    assert made[0] >= count  # the probe is live
