"""The diary store under real processes: killed at random moments, and racing each other.

Writers are separate Python processes (sys.executable -c ...). A writer
prints the uids of a transaction only after it committed, so every uid read
back from its output is an entry whose command "reported success".
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from ldncalc.diary.store import Store

# A writer: in a loop, one transaction of 1 to 3 entries (a group that must be
# all there or not at all), read back in the same transaction, then its uids
# printed and flushed once committed.
WRITER = r"""
import json, sys
from datetime import date, timedelta
from ldncalc.diary.store import Store

store = Store(sys.argv[1])
profile, name = sys.argv[2], sys.argv[3]
for number in range(100_000):
    size = 1 + number % 3
    with store.transaction(profile) as tx:
        seen = len(tx.records())
        uids = [
            tx.append(
                "note",
                date(2024, 1, 1) + timedelta(days=number % 400),
                json.dumps({"group": f"{name}-{number}", "size": size, "seen": seen,
                            "pad": "x" * (number * 37 % 900)}),
            ).uid
            for _ in range(size)
        ]
    sys.stdout.write(" ".join(uids) + "\n")
    sys.stdout.flush()
"""

# Waits for a line on stdin, so that every process starts its work at once.
RACER = r"""
import json, sys, time
from datetime import date, timedelta
from ldncalc.diary.store import Store

store = Store(sys.argv[1])
profile, name, count, mode = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
sys.stdin.readline()
added = 0
for number in range(count):
    day = date(2024, 1, 1) + timedelta(days=number)
    with store.transaction(profile) as tx:
        if mode == "once-a-day":
            # Check, then append: refused when the day already has a dose.
            if any(r.day == day for r in tx.records()):
                continue
            time.sleep(0.002)  # widen the window a lost race would need
        tx.append("took", day, json.dumps({"by": name, "n": number}))
        added += 1
print(added)
"""


def spawn(code: str, *args: object, stdin: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def out(process: subprocess.Popen[str]) -> IO[str]:
    assert process.stdout is not None
    return process.stdout


def err(process: subprocess.Popen[str]) -> IO[str]:
    assert process.stderr is not None
    return process.stderr


def acknowledged(output: str) -> set[str]:
    """The uids on complete lines: a line cut by the kill acknowledges nothing."""
    lines = output.split("\n")[:-1]
    return {uid for line in lines for uid in line.split()}


def integrity(path: Path) -> list[tuple[str]]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def test_writers_killed_at_random_moments_lose_no_acknowledged_entry(tmp_path: Path) -> None:
    chance = random.Random(os.environ.get("LDNCALC_KILL_SEED", "20240301"))
    acked: set[str] = set()
    rounds = 30
    deadline = time.monotonic() + 10  # past it, stop once 25 rounds are done
    done = 0
    folder = tmp_path / "diary"
    for number in range(rounds):
        if number < 6:
            # The first rounds each start from nothing: kills during creation.
            folder = tmp_path / f"fresh{number}"
            acked = set()
        writers = [
            spawn(WRITER, folder, profile, f"{number}.{slot}")
            for slot, profile in enumerate(("default", chance.choice(["default", "bob"])))
        ]
        early = {writer.pid: "" for writer in writers}
        if number < 6 or chance.random() < 0.3:
            # Any moment from the start: importing, creating the diary, the first commits.
            time.sleep(chance.uniform(0.0, 0.3))
        else:
            # Once a writer is in its loop (the other may be waiting for the lock):
            # amid transactions, commits and checkpoints.
            streams = {out(writer): writer.pid for writer in writers}
            ready, _, _ = select.select(list(streams), [], [], 10)
            assert ready
            early[streams[ready[0]]] = ready[0].readline()
            time.sleep(chance.uniform(0.0, 0.12))
        for writer in writers:
            writer.send_signal(signal.SIGKILL)
            time.sleep(chance.uniform(0, 0.02))
        for writer in writers:
            # Not communicate(): it reads the pipe itself and would miss what
            # readline() above has buffered. The writer is dead: no deadlock.
            output, errors = out(writer).read(), err(writer).read()
            writer.wait()
            assert writer.returncode == -signal.SIGKILL, errors
            assert "Traceback" not in errors, errors
            acked |= acknowledged(early[writer.pid] + output)
        store = Store(folder)
        records = store.records("default") + store.records("bob")
        uids = [r.uid for r in records]
        assert acked <= set(uids), f"round {number}: lost {sorted(acked - set(uids))}"
        assert len(set(uids)) == len(uids)
        assert len({r.id for r in records}) == len(records)
        groups = Counter(json.loads(r.payload)["group"] for r in records)
        sizes = {json.loads(r.payload)["group"]: json.loads(r.payload)["size"] for r in records}
        assert groups == Counter(sizes), f"round {number}: a transaction was cut in two"
        if store.path.exists():
            assert integrity(store.path) == [("ok",)]
        assert store.check() == []
        done += 1
        if time.monotonic() > deadline and done >= 25:
            break
    assert done >= 25
    # What the kills left still takes new entries.
    with Store(folder).transaction("bob") as tx:
        tx.append("note", date(2024, 1, 1), "{}")
    assert Store(folder).check() == []


def race(folder: Path, plan: list[tuple[str, str, int, str]]) -> list[tuple[int, str, str]]:
    """Start one process per (profile, name, count, mode) at the same moment; wait for all."""
    racers = [spawn(RACER, folder, *entry, stdin=True) for entry in plan]
    time.sleep(0.3)  # every interpreter up and waiting
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write("go\n")
        racer.stdin.flush()
    results = []
    for racer in racers:
        output, errors = racer.communicate(timeout=60)
        results.append((racer.returncode, output, errors))
    return results


def test_concurrent_writers_all_succeed_on_one_and_two_profiles(tmp_path: Path) -> None:
    folder = tmp_path / "new"  # created by whichever process comes first
    plan = [
        ("default", "a1", 40, "append"),
        ("default", "a2", 40, "append"),
        ("default", "a3", 40, "append"),
        ("bob", "b1", 40, "append"),
        ("bob", "b2", 40, "append"),
    ]
    results = race(folder, plan)
    for code, output, errors in results:
        assert (code, errors) == (0, "")
        assert output == "40\n"
    store = Store(folder)
    by_name = Counter(json.loads(r.payload)["by"] for r in store.records())
    assert by_name == {"a1": 40, "a2": 40, "a3": 40}
    by_name = Counter(json.loads(r.payload)["by"] for r in store.records("bob"))
    assert by_name == {"b1": 40, "b2": 40}
    ids = [r.id for r in store.records() + store.records("bob")]
    assert sorted(ids) == list(range(1, 201))
    for name in ("a1", "a2", "a3"):  # each process's entries, in the order it made them
        mine = [json.loads(r.payload) for r in store.records()]
        assert [entry["n"] for entry in mine if entry["by"] == name] == list(range(40))
    assert store.check() == []
    assert integrity(store.path) == [("ok",)]


def test_check_then_append_races_leave_one_entry_a_day(tmp_path: Path) -> None:
    folder = tmp_path / "diary"
    results = race(folder, [("default", f"r{n}", 25, "once-a-day") for n in range(4)])
    for code, _, errors in results:
        assert (code, errors) == (0, "")
    assert sum(int(output) for _, output, _ in results) == 25
    days = Counter(r.day for r in Store(folder).records())
    assert len(days) == 25
    assert set(days.values()) == {1}


# A writer that may not grow any file beyond a limit (RLIMIT_FSIZE): the system
# really refuses its writes, part way through the transaction's log.
LIMITED = r"""
import json, resource, signal, sys
from datetime import date
from ldncalc.errors import StoreError
from ldncalc.diary.store import Store

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get the error, not the signal
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
store = Store(sys.argv[1])
try:
    with store.transaction() as tx:
        tx.append("note", date(2024, 1, 1), json.dumps({"text": "y" * 300_000}))
except StoreError as error:
    print(json.dumps({"reason": error.reason, "message": str(error)}))
"""


def test_a_write_the_system_refuses_saves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "diary"
    store = Store(folder)
    with store.transaction() as tx:
        for number in range(5):
            tx.append("note", date(2024, 1, 1) + timedelta(number), json.dumps({"n": number}))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    size = store.path.stat().st_size
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, folder, str(size + 50_000)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    report = json.loads(done.stdout)
    assert report["reason"] in {"full", "io"}
    assert report["message"].startswith(f"cannot save to the diary at {store.path}: ")
    assert report["message"].endswith("; nothing was saved")
    assert {p.name: p.read_bytes() for p in folder.iterdir()}["diary.sqlite3"] == before[
        "diary.sqlite3"
    ]
    assert [json.loads(r.payload) for r in store.records()] == [{"n": n} for n in range(5)]
    assert store.check() == []
