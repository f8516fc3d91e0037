"""Start-up and library benchmark for ldncalc.

Runs each command N times after a warm-up, alternating with a bare
``python -c pass`` so both see the same machine load, and prints the median,
min and max wall time of each and the ratio of medians. Exits 1 when a target
is missed. Standard library and ldncalc's own dependencies only.

    python benchmarks/startup.py            # 31 runs of each
    python benchmarks/startup.py --runs 51  # steadier figures
    python benchmarks/startup.py --only dose --markdown  # one row for docs/performance.md
    python benchmarks/startup.py --clock cpu  # CPU time: steadier on a busy machine

The first line says which typer (and pydantic) is in use and whether numpy is
installed, and whether pint imports it on `dose`: run the script in one venv
per combination to fill the table in docs/performance.md.
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
# What `dose` cannot avoid: the CLI framework running one command with one
# text argument (typer 0.29 and newer convert every parameter through pydantic
# when a command runs, not when typer is imported), pint with ldncalc's
# registry, and parsing one quantity (dose prints plain text: it never imports
# rich), under the same garbage-collector settings as the CLI's entry point.
FLOOR_DOSE = """\
import gc
gc.disable()
import typer
app = typer.Typer(add_completion=False)
@app.command()
def dose(text: str) -> None:
    from ldncalc.units import parse_dose
    parse_dose(text)
@app.command()
def other() -> None:
    pass
app(["dose", "4.5mg"], standalone_mode=False)
gc.freeze()
"""
# The floor as it was measured up to typer 0.28: importing the framework, not
# running a command. Shown for comparison (no target): on typer 0.29 and newer
# it leaves out the pydantic work every command does.
FLOOR_DOSE_IMPORT = (
    "import gc\ngc.disable()\nimport typer\nfrom ldncalc.units import parse_dose\n"
    "parse_dose('4.5mg')\ngc.freeze()"
)
# Printed by a child process: whether `dose` imported numpy and pydantic.
PROBE_DOSE = """\
import sys
from ldncalc.__main__ import main
try:
    main(["dose", "4.5mg"])
except SystemExit:
    pass
sys.stderr.write("LOADED " + " ".join(m for m in ("numpy", "pydantic") if m in sys.modules))
"""


@dataclass(frozen=True)
class Target:
    name: str
    argv: list[str]
    max_ratio: float
    floor: list[str] | None = None  # a bare process the command is compared with
    max_floor_ratio: float = 0.0
    import_floor: list[str] | None = None  # shown beside it, without a target


TARGETS = [
    Target("ldncalc --version", [SCRIPT, "--version"], 4),
    Target("ldncalc --help", [SCRIPT, "--help"], 8),
    Target(
        "ldncalc dose 4.5mg",
        [SCRIPT, "dose", "4.5mg"],
        20,
        floor=[PYTHON, "-c", FLOOR_DOSE],
        max_floor_ratio=1.3,
        import_floor=[PYTHON, "-c", FLOOR_DOSE_IMPORT],
    ),
    Target("ldncalc schedule", [SCRIPT, "schedule", *START], 22),
]


def wall(argv: list[str], clock: str = "wall") -> float:
    """Run ``argv``; return its wall time, or with ``clock="cpu"`` its CPU time (user + system).

    CPU time hardly moves when other programs load the machine, so figures
    taken on a shared machine compare better; wall time is what a person waits.
    """
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
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


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def environment() -> str:
    """Say which typer and pydantic are in use, and whether numpy is installed and imported."""
    typer = installed("typer")
    pydantic = installed("pydantic")
    numpy = installed("numpy")
    probe = (
        subprocess.run([PYTHON, "-c", PROBE_DOSE], capture_output=True, text=True, check=False)
        .stderr.rsplit("LOADED", 1)[-1]
        .split()
    )
    framework = f"typer {typer}" + (f" (pydantic {pydantic})" if pydantic else " (no pydantic)")
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
    parser.add_argument("--runs", type=int, default=31)
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
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("ldncalc", "typer", "rich", "pint")
    )
    setting = environment()
    print(
        f"date {date.today()}; {platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; {versions}"
    )
    print(setting)
    print(f"{args.runs} runs each, interleaved with python -c pass; {args.clock} time\n")
    missed = []
    rows = []
    targets = [t for t in TARGETS if not args.only or any(w in t.name for w in args.only)]
    for target in targets:
        argvs = [[PYTHON, "-c", "pass"], target.argv]
        if target.floor:
            argvs.append(target.floor)
        if target.import_floor:
            argvs.append(target.import_floor)
        times = measure(argvs, args.runs, args.clock)
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
        if target.import_floor:
            import_ratio = statistics.median(times[1]) / statistics.median(times[-1])
            print(
                f"{'  import-only floor':22} {ms(times[-1])}  command/floor {import_ratio:4.2f}x "
                "(no target; typer's import without running a command)"
            )
        median_ms = statistics.median(times[1]) * 1000
        cells = [f"`{target.name}`", f"{ratio:.1f}x ({median_ms:.0f} ms)"]
        if target.floor:
            cells.append(f"{floor_ratio:.2f}x")
        if target.import_floor:
            cells.append(f"{import_ratio:.2f}x")
        rows.append(f"| {setting} | " + " | ".join(cells) + " |")
        if not ok:
            missed.append(target.name)
    if args.markdown:
        print(
            "\n| Setting | Command | Ratio to `python -c pass` | Command / floor "
            "| Command / import-only floor |"
        )
        print("|---|---|---|---|---|")
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
