"""Regenerate the fixture diary databases, one made by each released schema version.

Run from the repository root with the ldncalc of that version:

    .venv/bin/python tests/data/make_fixtures.py

``diary-v1.sqlite`` is made through ``ldncalc.diary.store`` while its schema version
is 1 (the first release). Once a later schema is released, this file stays as
it is and a ``diary-v2.sqlite`` is added by the ldncalc of that release: a
fixture must be written by the code of its own version, never migrated, so
the script refuses to run under another schema version.

The entries below are also spelled out in tests/test_store.py (FIXTURE_V1),
which reads the fixture back; keep the two in step.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from ldncalc.diary.store import Store, schema_version

HERE = Path(__file__).resolve().parent

# (profile, kind, day, recorded_at, uid, payload); uids are fixed uuid4 hex.
ENTRIES_V1 = (
    (
        "default",
        "plan",
        date(2024, 3, 1),
        datetime(2024, 3, 1, 7, 30, tzinfo=UTC),
        "3f2b8c1e9d4a4f6b8e2a1c7d5b9e0f14",
        '{"protocol":"standard","start":"2024-03-01","target_mg":"9/2"}',
    ),
    (
        "default",
        "took",
        date(2024, 3, 1),
        datetime(2024, 3, 1, 21, 5, 12, 250000, tzinfo=UTC),
        "a1d4e6f80b2c4d3e9f1a2b3c4d5e6f70",
        '{"dose_mg":"3/2","volume_ml":"3/2"}',
    ),
    (
        "default",
        "missed",
        date(2024, 3, 2),
        datetime(2024, 3, 3, 8, 0, tzinfo=UTC),
        "5c6d7e8f90a14b2c8d3e4f5a6b7c8d9e",
        "{}",
    ),
    (
        "default",
        "note",
        date(2024, 3, 3),
        datetime(2024, 3, 3, 22, 45, 0, 1, tzinfo=UTC),
        "0e1f2a3b4c5d4e6f8a7b8c9d0e1f2a3b",
        '{"text":"vivid dreams — woke at 3 am","scores":{"sleep":6,"pain":2}}',
    ),
    (
        "carer.2",
        "took",
        date(2024, 3, 1),
        datetime(2024, 3, 1, 20, 0, tzinfo=UTC),
        "9a8b7c6d5e4f40a1b2c3d4e5f6a7b8c9",
        '{"dose_mg":"1/2"}',
    ),
    (
        "scratch",
        "note",
        date(2024, 3, 1),
        datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        "f0e1d2c3b4a54968a7b6c5d4e3f2a1b0",
        '{"text":"erased before the fixture was saved"}',
    ),
)


def make_v1(target: Path) -> None:
    """Write ``target``: a version-1 diary with ENTRIES_V1, the last profile erased.

    The erase leaves a gap: the next entry written to the fixture gets id 7,
    never 6 (ids are never reused).
    """
    if schema_version() != 1:
        raise SystemExit(
            f"this ldncalc writes schema {schema_version()}; diary-v1.sqlite must be"
            " made by the release that wrote schema 1"
        )
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        for profile, kind, day, recorded_at, uid, payload in ENTRIES_V1:
            with store.transaction(profile) as tx:
                tx.append(kind, day, payload, recorded_at=recorded_at, uid=uid)
        store.erase("scratch")
        # Every connection is closed, so the log was checkpointed into the file.
        if Path(f"{store.path}-wal").exists():
            raise SystemExit("the write-ahead log is still there; the copy would be partial")
        shutil.copyfile(store.path, target)


def make_v2(target: Path) -> None:
    """Write ``target``: a version-2 diary (the index of a day's reads) with ENTRIES_V1."""
    if schema_version() != 2:
        raise SystemExit(
            f"this ldncalc writes schema {schema_version()}; diary-v2.sqlite must be"
            " made by the release that wrote schema 2"
        )
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder))
        for profile, kind, day, recorded_at, uid, payload in ENTRIES_V1:
            with store.transaction(profile) as tx:
                tx.append(kind, day, payload, recorded_at=recorded_at, uid=uid)
        store.erase("scratch")
        if Path(f"{store.path}-wal").exists():
            raise SystemExit("the write-ahead log is still there; the copy would be partial")
        shutil.copyfile(store.path, target)


def main() -> None:
    # Each released schema's fixture is made once, by the release that writes it.
    target = HERE / f"diary-v{schema_version()}.sqlite"
    {1: make_v1, 2: make_v2}[schema_version()](target)
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
