"""Benchmark of the diary's everyday commands on ten years of daily entries.

Generates a diary of ten years (a plan held for ten years, a dose taken every
day, a note with scores every few days, a bottle mixed every fortnight, some
adjustments) in a temporary folder, then times every diary command and every
output form N times, alternating with a bare ``python -c pass`` so both see
the same machine load, and prints a table of medians and ratios of medians,
and the database's size. A command that takes over a second is run fewer
times (never fewer than 11). Exits 1 when a target is missed (issue 25:
``today`` and ``today --json`` at most 8x ``python -c pass`` with a new plan
and with ten years, ``took`` and ``note`` at most 10x, ``history`` in every
form at most 15x, ``report --html`` at most 0.4 s, the database under 5 MB);
the other commands are timed and shown without a target. The writes
(``took``, ``note``) run last, on the ten-year diary, so the reads see it
unchanged.

    python benchmarks/diary.py            # 21 runs of each, this venv
    python benchmarks/diary.py --python .venv/bin/python --python .venv28/bin/python
    python benchmarks/diary.py --only history  # the rows whose name has this
    python benchmarks/diary.py --clock cpu  # CPU time: steadier on a busy machine
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
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

PYTHON = sys.executable
SCRIPT = shutil.which("ldncalc", path=str(Path(PYTHON).parent)) or "ldncalc"
YEARS = 10
START = date(2017, 1, 2)
TODAY = START + timedelta(days=365 * YEARS)
MIN_RUNS = 11  # issue 25: the median of at least 11 alternated runs


# An installed wheel has its bytecode compiled; an editable install under
# PYTHONDONTWRITEBYTECODE=1 has none, and then every start compiles each module
# anew (about 90 ms more on `history`): the benchmark writes it first.
COMPILE = (
    "import compileall, os, ldncalc\n"
    "compileall.compile_dir(os.path.dirname(ldncalc.__file__), quiet=1)"
)


def compile_bytecode(python: str) -> None:
    """Write the cached bytecode of ``python``'s ldncalc, as a wheel install does."""
    subprocess.run([python, "-c", COMPILE], check=True, capture_output=True)


# Every child writes and reads its bytecode caches, as an installed ldncalc
# does: a shell with PYTHONDONTWRITEBYTECODE set would make every run compile
# ldncalc from source (about 20 ms more on `dose`, and --version over 2x).
NO_BYTECODE = "PYTHONDONTWRITEBYTECODE"
CHILD_ENVIRON = {k: v for k, v in os.environ.items() if k != NO_BYTECODE}


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


# What a Python program that reads a diary cannot avoid: sqlite3, json,
# fractions and datetime imported, every row read, decoded and printed.
FLOOR = """\
import json, sqlite3, sys
from datetime import date
from fractions import Fraction
rows = sqlite3.connect(sys.argv[1] + "/diary.sqlite3").execute(
    "SELECT id, kind, day, payload FROM entries ORDER BY id").fetchall()
out = []
for ident, kind, day, payload in rows:
    data = json.loads(payload)
    out.append(f"{ident} {date.fromisoformat(day)} {kind} {Fraction(str(data.get('v', 0)))}")
sys.stdout.write("\\n".join(out))
"""


@dataclass(frozen=True)
class Case:
    name: str
    argv: list[str]
    ten_years: bool  # on the ten-year diary, else on a new plan
    max_ratio: float | None = None  # of python -c pass, if the target is a ratio
    max_seconds: float | None = None  # if the target is a wall time

    def target(self) -> str:
        if self.max_ratio is not None:
            return f"<= {self.max_ratio:g}x"
        if self.max_seconds is not None:
            return f"<= {self.max_seconds:g} s"
        return "none"


def cases(folder: Path, script: str = SCRIPT) -> list[Case]:
    """Every diary command and every output form, with its target if it has one."""
    to = ["--to", TODAY.isoformat()]
    day = ["--date", TODAY.isoformat()]
    # A write may not be dated after the real today.
    written = ["--date", min(TODAY, date.today()).isoformat()]
    html, markdown = str(folder / "report.html"), str(folder / "report.md")
    return [
        # The floor of a bare Python program of the same kind: no target, for comparison.
        Case("floor: read and print rows", [PYTHON, "-c", FLOOR, str(folder)], True),
        Case("today (new plan)", [script, "today", "--date", "2027-01-20"], False, 8),
        Case(
            "today --json (new plan)", [script, "today", "--json", "--date", "2027-01-20"], False, 8
        ),
        Case("today", [script, "today", *day], True, 8),
        Case("today --json", [script, "today", "--json", *day], True, 8),
        Case("history", [script, "history", *to], True, 15),
        Case("history --json", [script, "history", "--json", *to], True, 15),
        Case("history --csv", [script, "history", "--csv", *to], True, 15),
        Case("history --chart", [script, "history", "--chart", *to], True, 15),
        Case("plan show", [script, "plan", "show"], True),
        Case("plan show --json", [script, "plan", "show", "--json"], True),
        Case("report --html", [script, "report", "--html", html, "--force", *to], True, None, 0.4),
        Case("report --markdown", [script, "report", "--markdown", markdown, "--force", *to], True),
        # Writes last: each adds an entry to the ten-year diary.
        # A small dose: every run adds one to the day, and a day holds at most a tablet.
        Case("took --again", [script, "took", "0.01mg", "--again", *written], True, 10),
        Case("note", [script, "note", "benchmark", "--pain", "3", *written], True, 10),
    ]


def timed(argv: list[str], env: dict[str, str], clock: str = "wall") -> float:
    """Run ``argv``; return its wall time, or with ``clock="cpu"`` its CPU time (user + system).

    As in benchmarks/startup.py: CPU time hardly moves when other programs load
    the machine; wall time is what a person waits.
    """
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    if clock == "cpu":
        _, status, usage = os.wait4(child.pid, 0)
        returncode = os.waitstatus_to_exitcode(status)
    else:
        child.wait()
        returncode = child.returncode
    if returncode != 0:
        sys.exit(f"{' '.join(argv[1:])} failed ({returncode}): {child.stderr.read().decode()}")
    child.stderr.close()
    if clock == "cpu":
        return usage.ru_utime + usage.ru_stime
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help=f"at least {MIN_RUNS}")
    parser.add_argument(
        "--python",
        action="append",
        metavar="PATH",
        help="the interpreter of a venv with ldncalc and one typer (repeatable: one per "
        "typer) [default: this one]",
    )
    parser.add_argument("--only", default="", help="time only the rows whose name has this")
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="measure wall time (default) or CPU time, steadier on a busy machine (POSIX only)",
    )
    args = parser.parse_args()
    if args.runs < MIN_RUNS:
        parser.error(f"--runs: at least {MIN_RUNS} runs make a median worth comparing")
    failed = False
    for python in args.python or [PYTHON]:
        failed |= bench(python, args.runs, args.only, args.clock)
    return 1 if failed else 0


def bench(python: str, runs_each: int, only: str, clock: str) -> bool:
    """Time every case with the ldncalc of ``python``; return whether a target was missed."""
    script = shutil.which("ldncalc", path=str(Path(python).parent)) or "ldncalc"
    compile_bytecode(python)
    typer = subprocess.run(
        [python, "-c", "from importlib.metadata import version; print(version('typer'))"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    bare = [python, "-c", "pass"]
    failed = False
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as fresh, tempfile.TemporaryDirectory() as old:
        env_fresh = {**CHILD_ENVIRON, "LDNCALC_HOME": fresh}
        subprocess.run(
            [script, "plan", "start", "--start-date", "2027-01-04"],
            env=env_fresh, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        started = time.perf_counter()
        entries = generate(Path(old))
        made = time.perf_counter() - started
        size = (Path(old) / "diary.sqlite3").stat().st_size
        env_old = {**CHILD_ENVIRON, "LDNCALC_HOME": old}
        print(
            f"\n{python}: typer {typer}; python {sys.version.split()[0]}; at least "
            f"{MIN_RUNS} runs each ({runs_each} under 1 s); {clock} time; bytecode compiled"
        )
        if NO_BYTECODE in os.environ:
            print(f"{NO_BYTECODE} is set here: unset for the runs (bytecode caches, as installed)")
        print(f"ten years: {entries} entries written in {made:.1f} s; database {size / 1e6:.2f} MB")
        if size >= 5e6:
            print("  MISSED: the database should stay under 5 MB")
            failed = True
        print("every row on the ten years but those of a new plan")
        print(f"| {'Command':28} | {'Median':>9} | {'Ratio':>6} | {'Target':8} | Verdict |")
        print(f"|{'-' * 30}|{'-' * 11}|{'-' * 8}|{'-' * 10}|---------|")
        base: list[float] = []
        for case in cases(Path(old), script):
            if only not in case.name:
                continue
            env = env_old if case.ten_years else env_fresh
            first = timed(case.argv, env, clock)  # warms the file cache
            runs = runs_each if first < 1 else max(MIN_RUNS, runs_each // 4)
            ours, base = [], []
            for _ in range(runs):
                base.append(timed(bare, env, clock))
                ours.append(timed(case.argv, env, clock))
            median = statistics.median(ours)
            ratio = median / statistics.median(base)
            if case.max_ratio is not None:
                verdict = "ok" if ratio <= case.max_ratio else "MISSED"
            elif case.max_seconds is not None:
                verdict = "ok" if median <= case.max_seconds else "MISSED"
            else:
                verdict = "-"
            failed |= verdict == "MISSED"
            print(
                f"| {case.name:28} | {median * 1000:6.0f} ms | {ratio:5.1f}x "
                f"| {case.target():8} | {verdict:7} |",
                flush=True,
            )
            rows.append(
                {"command": case.name, "median_s": round(median, 4), "ratio": round(ratio, 2),
                 "target": case.target(), "verdict": verdict, "runs": runs, "typer": typer}
            )  # fmt: skip
        if base:
            print(f"python -c pass: median {statistics.median(base) * 1000:.1f} ms (last row's)")
        print(json.dumps({"entries": entries, "database_bytes": size, "rows": rows}))
    return failed


if __name__ == "__main__":
    sys.exit(main())
