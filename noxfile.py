"""Test sessions beyond the development venv: every Python, and the lowest pins.

    nox -s tests      # the suite on every Python from 3.11 to 3.13 this machine has
    nox -s lowest     # the suite with the lowest version of every dependency allowed
    nox -s tests-3.13 # one Python
    nox -s bench      # the benchmarks, on typer 0.28 and on the newest (not by default)

Pythons are found by name (``python3.12``) on PATH and in pyenv's versions
folder, which works whether or not pyenv has them activated; a Python the
machine lacks is left out rather than failing the run.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
SUPPORTED = ("3.11", "3.12", "3.13")
# The floor of every dependency is tested on the oldest supported Python
# (packaging comes with pytest, for the check of the installed versions).
LOWEST_PYTHON = SUPPORTED[0]

nox.options.sessions = ["tests", "lowest"]
nox.options.error_on_missing_interpreters = True


def _works(executable: str) -> bool:
    # pyenv's shims exist for every version it has, but fail for those not activated.
    try:
        done = subprocess.run(
            [executable, "-c", "import sys, venv"], capture_output=True, timeout=30, check=False
        )
    except OSError:
        return False
    return done.returncode == 0


def _find_pythons() -> list[str]:
    """Return the supported versions found, putting pyenv's folders on PATH for nox."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found: list[str] = []
    extra: list[str] = []
    for version in SUPPORTED:
        name = f"python{version}"
        on_path = [
            str(Path(folder) / name)
            for folder in os.environ.get("PATH", "").split(os.pathsep)
            if folder and (Path(folder) / name).exists()
        ]
        in_pyenv = sorted(
            (pyenv_root / "versions").glob(f"{version}.*/bin/{name}"),
            key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)],
            reverse=True,  # the newest patch release first
        )
        for candidate in [*on_path, *map(str, in_pyenv)]:
            if _works(candidate):
                found.append(version)
                extra.append(str(Path(candidate).parent))  # first on PATH: nox takes it
                break
    if extra:
        os.environ["PATH"] = os.pathsep.join([*extra, os.environ.get("PATH", "")])
    return found


PYTHONS = _find_pythons()


def _lowest_pins() -> list[str]:
    """``name==floor`` for every dependency and test dependency, from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)", requirement)
        if match is None:
            raise ValueError(f"{requirement!r}: every dependency needs a plain >= floor")
        pins.append(f"{match[1]}=={match[2]}")
    return pins


# nox points TMPDIR into .nox/<session>/tmp; the tests' temporary paths would
# then be longer than in a plain run, and messages cut long paths short. The
# sessions use the same temporary folder as a plain `pytest` instead.
TMPDIR = tempfile.gettempdir()


def _env() -> dict[str, str]:
    return {"HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "ci"), "TMPDIR": TMPDIR}


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the suite on one Python."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs, env=_env())


@nox.session(python=LOWEST_PYTHON)
def lowest(session: nox.Session) -> None:
    """Run the suite with the lowest version of every dependency that pyproject allows.

    Direct dependencies only (as uv's ``--resolution lowest-direct``): each is
    pinned to its floor; what they need in turn is resolved as usual.
    """
    pins = _lowest_pins()
    constraints = Path(session.create_tmp()) / "lowest.txt"
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    session.install("-c", str(constraints), "-e", ".[test]")
    # Prove that the floors, not newer releases, are what the suite runs on.
    check = (
        "import sys\nfrom importlib.metadata import version\n"
        "from packaging.version import Version\n"
        "wrong = [f'{n} {version(n)} (floor {v})' for n, v in "
        "(p.split('==') for p in sys.argv[1:]) if Version(version(n)) != Version(v)]\n"
        "sys.exit('not the floors: ' + ', '.join(wrong) if wrong else 0)"
    )
    session.run("python", "-c", check, *pins)
    session.run("python", "-m", "pip", "list", "--format=freeze", silent=False)
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs, env=_env())


@nox.session(python=LOWEST_PYTHON)
@nox.parametrize("typer", ["0.28.*", "newest"])
def bench(session: nox.Session, typer: str) -> None:
    """Run the benchmarks (issue 25's table) on the lowest or the newest typer.

    Not a default session (CI need not run them): ``nox -s bench``, and
    ``nox -s bench -- --clock cpu`` on a busy machine. Each exits 1 on a miss.
    """
    session.install("-e", ".")
    session.install("--upgrade", "typer" if typer == "newest" else f"typer=={typer}")
    session.run("python", "benchmarks/startup.py", *session.posargs)
    session.run("python", "benchmarks/diary.py", *session.posargs)
