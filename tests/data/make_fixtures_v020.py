"""Make the fixtures of a diary written by ldncalc 0.2.0, with the 0.2.0 release's CLI.

Run it against a checkout of the 0.2.0 release (commit 99ff028), never against
the current code: a fixture must be written by the code of its own version.

    git worktree add /tmp/v020 99ff028
    python tests/data/make_fixtures_v020.py /tmp/v020/src
    git worktree remove /tmp/v020

It writes, next to this file:

- ``diary-v020.sqlite3``: a diary whose entries cover every kind 0.2.0 records
  (a plan from a protocol and a custom one, took with and without a dose and
  ``--again``, missed, mixed with a custom recipe, notes with scores, custom
  scores and side effects, every adjustment, an undo and an undo of an undo);
- ``export-v020.json``: ``data export`` of the profile ``default``;
- ``history-v020-PROFILE.json`` and ``.txt``: 0.2.0's ``history --json`` and
  ``history`` for each profile, over the fixed days in ``HISTORY_RANGE``.

tests/test_compat.py reads them with the current code, forever. The entries'
uids and recording times are random, so running the script again makes other
(equally valid) files: commit the four kinds together.

``undo`` in 0.2.0 has no ``--date``: it records the local day. The script runs
the CLI with that day fixed at ``UNDO_DAY``, so that the fixture does not
depend on the day it was made.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
UNDO_DAY = (2026, 3, 20)
HISTORY_RANGE = ("2026-01-05", "2026-03-22")
PROFILES = ("default", "custom")

# Runs 0.2.0's CLI with its local day fixed (undo has no --date in 0.2.0).
RUNNER = f"""
import datetime, sys
import ldncalc.cli.diary as cli_diary
cli_diary._local_today = lambda: datetime.date{UNDO_DAY!r}
from ldncalc.__main__ import main
sys.argv[0] = "ldncalc"
main()
"""

# (profile, arguments); "{took}" and "{undo}" are replaced by the ids recorded.
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default", ("plan", "start", "ldnrt-weekly", "--start-date", "2026-01-05")),
    ("default", ("mixed", "--date", "2026-01-05")),
    ("default", ("took", "--date", "2026-01-05")),
    ("default", ("took", "1mg", "--date", "2026-01-06")),
    ("default", ("took", "0.5mg", "--date", "2026-01-06", "--again")),
    ("default", ("missed", "--date", "2026-01-07")),
    (
        "default",
        (
            "note",
            "slept badly, vivid dreams",
            "--pain",
            "4",
            "--fatigue",
            "3",
            "--sleep",
            "6",
            "--score",
            "mood=2",
            "--side-effect",
            "vivid dreams",
            "--side-effect",
            "headache",
            "--date",
            "2026-01-08",
        ),
    ),
    ("default", ("note", "--pain", "2", "--date", "2026-01-09")),
    ("default", ("note", "better today", "--date", "2026-01-10")),
    ("default", ("took", "--date", "2026-01-12")),
    ("default", ("plan", "adjust", "back", "--reason", "vivid dreams", "--date", "2026-01-20")),
    ("default", ("plan", "adjust", "hold", "--date", "2026-01-27")),
    ("default", ("plan", "adjust", "resume", "--date", "2026-02-03")),
    ("default", ("plan", "adjust", "hold", "--for", "2w", "--date", "2026-02-05")),
    ("default", ("plan", "adjust", "slower", "--every", "2w", "--date", "2026-02-20")),
    (
        "default",
        ("plan", "adjust", "slower", "--every", "10d", "--step", "0.5mg", "--date", "2026-03-01"),
    ),
    (
        "default",
        (
            "mixed",
            "--tablets",
            "2",
            "--water",
            "40mL",
            "--keep",
            "10d",
            "--date",
            "2026-03-02",
        ),
    ),
    ("default", ("plan", "adjust", "target", "3mg", "--date", "2026-03-05")),
    (
        "default",
        ("plan", "adjust", "dose", "2.5mg", "--reason", "prescriber", "--date", "2026-03-10"),
    ),
    ("default", ("took", "--date", "2026-03-10")),
    ("default", ("plan", "adjust", "stop", "--reason", "trial over", "--date", "2026-03-15")),
    ("default", ("undo", "{took}")),
    ("default", ("undo", "{undo}")),
    (
        "custom",
        (
            "plan",
            "start",
            "--start",
            "0.5mg",
            "--step",
            "0.5mg",
            "--every",
            "10d",
            "--target",
            "3mg",
            "--hold",
            "4w",
            "--concentration",
            "5mg/mL",
            "--syringe",
            "1mL:0.01mL",
            "--keep",
            "28d",
            "--start-date",
            "2026-02-02",
        ),
    ),
    ("custom", ("took", "--date", "2026-02-02")),
    ("custom", ("mixed", "--strength", "50mg", "--water", "10mL", "--date", "2026-02-02")),
)


def main(source: str) -> None:
    """Run 0.2.0's CLI from ``source`` (its src folder) and write the fixtures here."""
    home = Path(tempfile.mkdtemp())
    env = {**os.environ, "PYTHONPATH": source, "LDNCALC_HOME": str(home), "COLUMNS": "100"}

    def run(profile: str, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, *args, "--profile", profile],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"ldncalc {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    version = subprocess.run(
        [sys.executable, "-c", RUNNER, "--version"], env=env, capture_output=True, text=True
    ).stdout
    if version.strip() != "ldncalc 0.2.0":
        raise SystemExit(f"run this against ldncalc 0.2.0, not {version.strip()!r}")
    ids: dict[str, str] = {}
    for profile, args in COMMANDS:
        said = run(profile, *(a.format(**ids) for a in args))
        ident = said.split("Recorded entry ", 1)[1].split(" ", 1)[0]
        if args[0] == "took":
            ids["took"] = ident
        elif args[0] == "undo":
            ids["undo"] = ident
    first, last = HISTORY_RANGE
    for profile in PROFILES:
        shown = ("history", "--from", first, "--to", last)
        (HERE / f"history-v020-{profile}.json").write_text(
            run(profile, *shown, "--json"), encoding="utf-8"
        )
        (HERE / f"history-v020-{profile}.txt").write_text(run(profile, *shown), encoding="utf-8")
    export = home / "export.json"
    run("default", "data", "export", str(export))
    shutil.copyfile(export, HERE / "export-v020.json")
    shutil.copyfile(home / "diary.sqlite3", HERE / "diary-v020.sqlite3")
    shutil.rmtree(home)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: make_fixtures_v020.py PATH/TO/0.2.0/src")
    main(sys.argv[1])
