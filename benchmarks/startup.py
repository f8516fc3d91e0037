"""Start-up and library benchmark for ldncalc.

Runs each command N times after a warm-up, alternating with a bare
``python -c pass`` so both see the same machine load, and prints the median,
min and max wall time of each and the ratio of medians. Exits 1 when a target
is missed. Standard library and ldncalc's own dependencies only.

    python benchmarks/startup.py            # 31 runs of each
    python benchmarks/startup.py --runs 51  # steadier figures
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
from importlib import metadata
from pathlib import Path

PYTHON = sys.executable
SCRIPT = shutil.which("ldncalc", path=str(Path(PYTHON).parent)) or "ldncalc"
START = ["--start-date", "2027-01-04"]
# What `dose` cannot avoid: the CLI framework, pint with ldncalc's registry,
# and parsing one quantity (dose prints plain text: it never imports rich),
# under the same garbage-collector settings as the CLI's entry point.
FLOOR_DOSE = (
    "import gc\ngc.disable()\nimport typer\nfrom ldncalc.units import parse_dose\n"
    "parse_dose('4.5mg')\ngc.freeze()"
)


@dataclass(frozen=True)
class Target:
    name: str
    argv: list[str]
    max_ratio: float
    floor: list[str] | None = None  # a bare process the command is compared with
    max_floor_ratio: float = 0.0


TARGETS = [
    Target("ldncalc --version", [SCRIPT, "--version"], 4),
    Target("ldncalc --help", [SCRIPT, "--help"], 8),
    Target(
        "ldncalc dose 4.5mg",
        [SCRIPT, "dose", "4.5mg"],
        20,
        floor=[PYTHON, "-c", FLOOR_DOSE],
        max_floor_ratio=1.3,
    ),
    Target("ldncalc schedule", [SCRIPT, "schedule", *START], 22),
]


def wall(argv: list[str]) -> float:
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    begin = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - begin


def measure(argvs: list[list[str]], runs: int) -> list[list[float]]:
    """Time each argv ``runs`` times, interleaved, after one warm-up each."""
    for argv in argvs:
        wall(argv)
    times: list[list[float]] = [[] for _ in argvs]
    for _ in range(runs):
        for i, argv in enumerate(argvs):
            times[i].append(wall(argv))
    return times


def ms(values: list[float]) -> str:
    return (
        f"median {statistics.median(values) * 1000:6.1f} ms "
        f"(min {min(values) * 1000:6.1f}, max {max(values) * 1000:6.1f})"
    )


def library_figures() -> list[tuple[int, float]]:
    """Time build_schedule + batches + daily CSV for custom plans of 1, 2, 4 and 8 years."""
    from fractions import Fraction

    from ldncalc.render.exports import schedule_csv
    from ldncalc.supply import plan_batches
    from ldncalc.titration import build_schedule, custom_protocol

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
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("ldncalc", "typer", "rich", "pint")
    )
    print(
        f"date {date.today()}; {platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; {versions}"
    )
    print(f"{args.runs} runs each, interleaved with python -c pass\n")
    missed = []
    for target in TARGETS:
        argvs = [[PYTHON, "-c", "pass"], target.argv]
        if target.floor:
            argvs.append(target.floor)
        times = measure(argvs, args.runs)
        base = statistics.median(times[0])
        ratio = statistics.median(times[1]) / base
        ok = ratio <= target.max_ratio
        print(
            f"{target.name:22} {ms(times[1])}  ratio {ratio:5.1f}x (target <= "
            f"{target.max_ratio:g}x) {'ok' if ok else 'MISSED'}"
        )
        print(f"{'  python -c pass':22} {ms(times[0])}")
        if target.floor:
            floor_ratio = statistics.median(times[1]) / statistics.median(times[2])
            floor_ok = floor_ratio <= target.max_floor_ratio
            ok = ok and floor_ok
            print(
                f"{'  floor of the stack':22} {ms(times[2])}  command/floor {floor_ratio:4.2f}x "
                f"(target <= {target.max_floor_ratio:g}x) {'ok' if floor_ok else 'MISSED'}"
            )
        if not ok:
            missed.append(target.name)
    print("\nlibrary: build_schedule + batches + daily CSV, in-process")
    figures = library_figures()
    for years, seconds in figures:
        per_year = seconds / years * 1000
        print(f"  {years} year(s): {seconds * 1000:6.1f} ms ({per_year:5.1f} ms a year)")
    two_years = dict(figures)[2]
    if two_years > 0.050:
        missed.append("library: 2-year schedule over 50 ms")
    if missed:
        print("\nMISSED: " + "; ".join(missed))
        return 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
