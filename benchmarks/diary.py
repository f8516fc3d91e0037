"""Benchmark of the diary's everyday commands on ten years of daily entries.

Generates a diary of ten years (a plan held for ten years, a dose taken every
day, a note with scores every few days, a bottle mixed every fortnight, some
adjustments) in a temporary folder, then times each command N times,
alternating with a bare ``python -c pass`` so both see the same machine load,
and prints medians and the ratio of medians, and the database's size. Exits 1
when a target is missed (issue 13: today 10x with a new plan and 12x with ten
years, history 25x, report --html under 3 s, the database under 5 MB).

    python benchmarks/diary.py            # 21 runs of each
    python benchmarks/diary.py --runs 31
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

PYTHON = sys.executable
SCRIPT = shutil.which("ldncalc", path=str(Path(PYTHON).parent)) or "ldncalc"
YEARS = 10
START = date(2017, 1, 2)
TODAY = START + timedelta(days=365 * YEARS)


def generate(folder: Path, years: int = YEARS) -> int:
    """Write ``years`` of daily entries into a diary in ``folder``; return how many."""
    from ldncalc.diary.codec import encode_payload
    from ldncalc.diary.entries import Adjust, Mixed, Note, Took
    from ldncalc.diary.living import plan_started
    from ldncalc.diary.store import Store
    from ldncalc.dose.preparation import make_preparation
    from ldncalc.plan.titration import get_protocol

    store = Store(folder)
    protocol = get_protocol("ldnrt-weekly")
    started = plan_started(
        protocol,
        start_date=START,
        preparation=make_preparation(),
        syringe=None,
        hold_days=3653,
        keep_days=14,
    )
    count = 0
    moment = datetime(2017, 1, 2, 21, 0, tzinfo=UTC)
    with store.transaction("default") as tx:

        def add(day: date, payload: object) -> None:
            nonlocal count
            kind, text = encode_payload(payload)  # type: ignore[arg-type]
            tx.append(kind, day, text, recorded_at=moment + timedelta(days=(day - START).days))
            count += 1

        add(START, started)
        add(START + timedelta(days=17), Adjust("back", reason="vivid dreams"))
        add(START + timedelta(days=24), Adjust("slower", every_days=14, step_mg=Fraction(1, 2)))
        for offset in range(365 * years):
            day = START + timedelta(days=offset)
            add(day, Took(Fraction(3)))
            if offset % 14 == 0:
                add(day, Mixed(1, Fraction(50), Fraction(50), 14))
            if offset % 3 == 0:
                add(day, Note("", (("pain", offset % 11), ("sleep", (offset * 7) % 11)), ()))
    return count


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    bare = [PYTHON, "-c", "pass"]
    failed = False
    with tempfile.TemporaryDirectory() as fresh, tempfile.TemporaryDirectory() as old:
        env_fresh = {**os.environ, "LDNCALC_HOME": fresh}
        subprocess.run(
            [SCRIPT, "plan", "start", "--start-date", "2027-01-04"],
            env=env_fresh, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        started = time.perf_counter()
        entries = generate(Path(old))
        made = time.perf_counter() - started
        size = (Path(old) / "diary.sqlite3").stat().st_size
        env_old = {**os.environ, "LDNCALC_HOME": old}
        report = str(Path(old) / "report.html")
        day = ["--date", TODAY.isoformat()]
        cases = [
            ("today (new plan)", [SCRIPT, "today", "--date", "2027-01-20"], env_fresh, 10.0),
            ("today (ten years)", [SCRIPT, "today", *day], env_old, 12.0),
            ("history (ten years)", [SCRIPT, "history", "--to", TODAY.isoformat()], env_old, 25.0),
        ]
        print(f"python {sys.version.split()[0]}; {args.runs} runs each")
        print(f"ten years: {entries} entries written in {made:.1f} s; database {size / 1e6:.2f} MB")
        if size >= 5e6:
            print("  MISSED: the database should stay under 5 MB")
            failed = True
        for name, argv, env, target in cases:
            timed(argv, env)  # warm the file cache
            ours, base = [], []
            for _ in range(args.runs):
                base.append(timed(bare, env))
                ours.append(timed(argv, env))
            ratio = statistics.median(ours) / statistics.median(base)
            verdict = "ok" if ratio <= target else "MISSED"
            failed |= verdict != "ok"
            print(
                f"{name:22} median {statistics.median(ours) * 1000:7.1f} ms "
                f"(python -c pass {statistics.median(base) * 1000:5.1f} ms): "
                f"{ratio:5.1f}x, target {target:g}x {verdict}"
            )
        runs = [
            timed([SCRIPT, "report", "--html", report, "--force", "--to", TODAY.isoformat()],
                  env_old)
            for _ in range(max(3, args.runs // 5))
        ]  # fmt: skip
        median = statistics.median(runs)
        verdict = "ok" if median < 3 else "MISSED"
        failed |= verdict != "ok"
        print(f"{'report --html (ten y.)':22} median {median * 1000:7.1f} ms: target 3 s {verdict}")
        print(json.dumps({"entries": entries, "database_bytes": size}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
