"""What ldncalc's migrations make of a diary's schema, and what in a file differs from it.

The one source of truth is the migrations themselves
(:data:`ldncalc.diary.sqlitefile.MIGRATIONS`): they are run once per process on
an in-memory database, and the ``sqlite_master`` they leave is what a diary
of that schema version must hold, no more and no less. A new migration needs
no change here.
"""

from __future__ import annotations

import sqlite3

__all__ = ["expected_objects", "foreign_objects"]

Steps = tuple[tuple[str, ...], ...]
Objects = dict[tuple[str, str], str]

_EXPECTED: dict[Steps, Objects] = {}


def expected_objects(steps: Steps) -> Objects:
    """Return the schema objects (type, name) -> SQL that these migration steps create."""
    known = _EXPECTED.get(steps)
    if known is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            for step in steps:
                for statement in step:
                    conn.execute(statement)
            rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        finally:
            conn.close()
        known = {(str(kind), str(name)): str(sql) for kind, name, sql in rows}
        _EXPECTED[steps] = known
    return known


def foreign_objects(steps: Steps, objects: Objects) -> list[str]:
    """Return, in words, each schema object the ``steps`` did not make, or made otherwise.

    A column added changes its table's SQL, so it is named by its table.
    SQLite's statistics tables (``ANALYZE``) change nothing a command does: not foreign.
    """
    expected = expected_objects(steps)
    found = [
        f"the diary has an unknown {kind} {name!r}"
        for kind, name in sorted(set(objects) - set(expected))
        if not name.startswith("sqlite_stat")
    ]
    found.extend(
        f"the diary's {kind} {name!r} is not as ldncalc made it"
        for (kind, name), sql in sorted(expected.items())
        if (kind, name) in objects and objects[kind, name] != sql
    )
    return found
