"""Start-up and library benchmark for ldncalc.

Runs each command of issue 25's table N times (at least 11) after a warm-up,
alternating with a bare ``python -c pass`` so both see the same machine load,
and prints the median, min and max wall time of each and the ratio of
medians. Exits 1 when a target is missed. Standard library and ldncalc's own
dependencies only.

    python benchmarks/startup.py            # 21 runs of each, this venv
    python benchmarks/startup.py --python .venv/bin/python --python .venv28/bin/python
    python benchmarks/startup.py --only dose --markdown  # rows for docs/performance.md
    python benchmarks/startup.py --clock cpu  # CPU time: steadier on a busy machine

Each venv's block says which typer (and pydantic) it has, whether numpy is
installed and imported by `dose`, and whether `dose` loads typer at all (the
daily commands answer without it). Give one ``--python`` per typer to measure
the table on both (docs/performance.md says how to make the venvs).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PYTHON = sys.executable
START = ["--start-date", "2027-01-04"]
MIN_RUNS = 11  # issue 25: the median of at least 11 alternated runs


@dataclass(frozen=True)
class Target:
    name: str
    args: list[str]  # after `ldncalc`
    max_ratio: float


# Issue 25's table: ratios of medians to `python -c pass`, on every typer.
TARGETS = [
    Target("ldncalc --version", ["--version"], 2),
    Target("ldncalc --help", ["--help"], 6),
    Target("ldncalc dose 4.5mg", ["dose", "4.5mg"], 6),
    Target("ldncalc dose 4.5mg --json", ["dose", "4.5mg", "--json"], 6),
    Target("ldncalc dose 5mcg", ["dose", "5mcg"], 6),
    Target("ldncalc dose 5mcg --json", ["dose", "5mcg", "--json"], 6),
    Target("ldncalc schedule", ["schedule", *START], 12),
    Target(
        "ldncalc schedule --every",
        ["schedule", "--start", "1mg", "--step", "0.5mg", "--every", "2w", *START],
        12,
    ),
]
# Printed by a child process: whether `dose` imported numpy, pydantic or typer.
PROBE_DOSE = """\
import sys
from ldncalc.__main__ import main
try:
    main(["dose", "4.5mg"])
except SystemExit:
    pass
probed = ("numpy", "pydantic", "typer")
sys.stderr.write("LOADED " + " ".join(m for m in probed if m in sys.modules))
"""


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


def script_of(python: str) -> str:
    """Return the ``ldncalc`` entry point installed beside ``python``."""
    return shutil.which("ldncalc", path=str(Path(python).parent)) or "ldncalc"


def wall(argv: list[str], clock: str = "wall") -> float:
    """Run ``argv``; return its wall time, or with ``clock="cpu"`` its CPU time (user + system).

    CPU time hardly moves when other programs load the machine, so figures
    taken on a shared machine compare better; wall time is what a person waits.
    """
    env = {**CHILD_ENVIRON, "COLUMNS": "80", "NO_COLOR": "1"}
    begin = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    if clock == "cpu":
        _, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), argv)
        return usage.ru_utime + usage.ru_stime
    if child.wait() != 0:
        raise subprocess.CalledProcessError(child.returncode, argv)
    return time.perf_counter() - begin


def measure(argvs: list[list[str]], runs: int, clock: str = "wall") -> list[list[float]]:
    """Time each argv ``runs`` times, interleaved, after one warm-up each."""
    for argv in argvs:
        wall(argv, clock)
    times: list[list[float]] = [[] for _ in argvs]
    for _ in range(runs):
        for i, argv in enumerate(argvs):
            times[i].append(wall(argv, clock))
    return times


def ms(values: list[float]) -> str:
    return (
        f"median {statistics.median(values) * 1000:6.1f} ms "
        f"(min {min(values) * 1000:6.1f}, max {max(values) * 1000:6.1f})"
    )


def installed(python: str, name: str) -> str | None:
    """Return the version of ``name`` installed for ``python``, or None."""
    code = (
        "import sys\nfrom importlib import metadata\n"
        f"try:\n    print(metadata.version({name!r}))\n"
        "except metadata.PackageNotFoundError:\n    pass\n"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def environment(python: str) -> str:
    """Say which typer and pydantic ``python`` has, and whether numpy is installed and imported."""
    typer = installed(python, "typer")
    pydantic = installed(python, "pydantic")
    numpy = installed(python, "numpy")
    probe = (
        subprocess.run([python, "-c", PROBE_DOSE], capture_output=True, text=True, check=False)
        .stderr.rsplit("LOADED", 1)[-1]
        .split()
    )
    framework = f"typer {typer}" + (f" (pydantic {pydantic})" if pydantic else " (no pydantic)")
    framework += "; dose loads " + ("typer" if "typer" in probe else "no typer")
    if numpy is None:
        extra = "numpy not installed"
    else:
        extra = f"numpy {numpy} installed, {'imported' if 'numpy' in probe else 'not imported'}"
        extra += " by `dose`"
    return f"{framework}; {extra}"


def library_figures() -> list[tuple[int, float]]:
    """Time build_schedule + batches + daily CSV for custom plans of 1, 2, 4 and 8 years."""
    from fractions import Fraction

    from ldncalc.plan.supply import plan_batches
    from ldncalc.plan.titration import build_schedule, custom_protocol
    from ldncalc.render.exports import schedule_csv

    protocol = custom_protocol(Fraction(1), Fraction(1), 7, Fraction(9, 2))
    results = []

    def once(years: int) -> Callable[[], str]:
        def run() -> str:
            plan = build_schedule(protocol, start_date=date(2027, 1, 4), hold_days=365 * years - 28)
            return schedule_csv(plan, plan_batches(plan))

        return run

    for years in (1, 2, 4, 8):
        run = once(years)
        run()
        samples = []
        for _ in range(9):
            begin = time.perf_counter()
            run()
            samples.append(time.perf_counter() - begin)
        results.append((years, statistics.median(samples)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help=f"at least {MIN_RUNS}")
    parser.add_argument(
        "--python",
        action="append",
        metavar="PATH",
        help="the interpreter of a venv with ldncalc and one typer (repeatable: one per "
        "typer, e.g. .venv/bin/python and .venv28/bin/python) [default: this one]",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="WORD",
        help="run only the commands whose name holds WORD (repeatable); skip the library",
    )
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="measure wall time (default) or CPU time, steadier on a busy machine (POSIX only)",
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="end with one table row per command, for docs/performance.md",
    )
    args = parser.parse_args()
    if args.runs < MIN_RUNS:
        parser.error(f"--runs: at least {MIN_RUNS} runs make a median worth comparing")
    print(
        f"date {date.today()}; {platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; {args.runs} runs each, interleaved with "
        f"python -c pass; {args.clock} time; bytecode compiled first"
    )
    if NO_BYTECODE in os.environ:
        print(f"{NO_BYTECODE} is set here: unset for the runs (bytecode caches, as installed)")
    missed = []
    rows = []
    for python in args.python or [PYTHON]:
        versions = ", ".join(
            f"{name} {installed(python, name)}" for name in ("ldncalc", "typer", "rich", "pint")
        )
        compile_bytecode(python)
        setting = environment(python)
        print(f"\n{python}: {versions}\n{setting}\n")
        script = script_of(python)
        targets = [t for t in TARGETS if not args.only or any(w in t.name for w in args.only)]
        for target in targets:
            argvs = [[python, "-c", "pass"], [script, *target.args]]
            times = measure(argvs, args.runs, args.clock)
            base = statistics.median(times[0])
            ratio = statistics.median(times[1]) / base
            ok = ratio <= target.max_ratio
            print(
                f"{target.name:28} {ms(times[1])}  ratio {ratio:5.1f}x (target <= "
                f"{target.max_ratio:g}x) {'ok' if ok else 'MISSED'}"
            )
            print(f"{'  python -c pass':28} {ms(times[0])}")
            median_ms = statistics.median(times[1]) * 1000
            rows.append(
                f"| {setting} | `{target.name}` | {target.max_ratio:g}x "
                f"| {ratio:.1f}x ({median_ms:.0f} ms) |"
            )
            if not ok:
                missed.append(f"{target.name} ({setting})")
    if args.markdown:
        print("\n| Setting | Command | Target | Ratio to `python -c pass` |")
        print("|---|---|---|---|")
        print("\n".join(rows))
    if args.only:
        return report(missed)
    print("\nlibrary: build_schedule + batches + daily CSV, in-process")
    figures = library_figures()
    for years, seconds in figures:
        per_year = seconds / years * 1000
        print(f"  {years} year(s): {seconds * 1000:6.1f} ms ({per_year:5.1f} ms a year)")
    two_years = dict(figures)[2]
    if two_years > 0.050:
        missed.append("library: 2-year schedule over 50 ms")
    return report(missed)


def report(missed: list[str]) -> int:
    if missed:
        print("\nMISSED: " + "; ".join(missed))
        return 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
