"""Every command on any terminal: non-UTF-8 encodings, odd widths, a dumb terminal, no stdin.

Each command runs as ``python -m ldncalc`` in a subprocess, the way a shell
runs it, under an output encoding that is not UTF-8 (ASCII, the Windows code
pages cp1252 and cp437, the C locale without Python's UTF-8 mode). It must
exit 0 with nothing on stderr, write bytes that decode in that encoding, and
say the same things as under UTF-8: the same doses and volumes, the
approximation sign as itself where the encoding has it or as an ASCII
stand-in ("about") where not, tables still lined up and lines no wider than
the terminal. JSON is ASCII-escaped and parses to the same object.

The subprocesses are many, so they run once, in parallel, before the tests.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import pytest

DATE = ["--start-date", "2027-01-04"]
APPROX = "\u2248"
# What may stand for the approximation sign where the encoding lacks it.
STAND_IN = r"(?:about ?|approx\.? ?|~ ?)"

# Commands laid out for a terminal (tables, wrapped lines, pictures).
TERMINAL = {
    "table": [],
    "dose": ["dose", "4.5mg"],
    "dose --explain": ["dose", "4.5mg", "--explain"],
    "mix": ["mix"],
    "mix, approximate": ["mix", "--tablets", "1", "--from", "0.01mg", "--to", "0.03mg"],
    "protocols": ["protocols"],
    "one protocol": ["protocols", "ldnno-ms"],
    "schedule --chart": ["schedule", "--chart", *DATE],
}
FILES = {
    "schedule csv": ["schedule", "--format", "csv", *DATE],
    "schedule markdown": ["schedule", "--format", "markdown", *DATE],
}
JSON = {
    "table --json": ["--json"],
    "dose --json": ["dose", "4.5mg", "--json"],
    "mix --json": ["mix", "--json"],
    "protocols --json": ["protocols", "--json"],
    "schedule json": ["schedule", "--format", "json", *DATE],
}
COMMANDS = {**TERMINAL, **FILES, **JSON}

UTF8 = {"PYTHONIOENCODING": "utf-8"}
ENCODINGS: dict[str, dict[str, str]] = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "cp437": {"PYTHONIOENCODING": "cp437"},
    # Python turns on its UTF-8 mode in the C locale unless told not to.
    "C locale, no UTF-8 mode": {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"},
}
WIDE = "200"  # wide enough that nothing wraps, so outputs compare token by token
NARROW = 80
# name: (environment, the terminal's width)
TERMINALS: dict[str, tuple[dict[str, str], str]] = {
    "COLUMNS=1": (UTF8, "1"),
    "COLUMNS=100000": (UTF8, "100000"),
    "TERM=dumb": ({**UTF8, "TERM": "dumb"}, WIDE),
}


def environment(extra: dict[str, str], columns: str) -> dict[str, str]:
    """Return the process's environment without its locale and output settings, plus ``extra``."""
    dropped = ("PYTHONIOENCODING", "PYTHONUTF8", "LANG", "LANGUAGE", "FORCE_COLOR", "TERM")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in dropped and not k.startswith("LC_") and k not in ("COLUMNS", "LINES")
    }
    env.update({"LANG": "C.UTF-8", "NO_COLOR": "1", "COLUMNS": columns})
    env.update(extra)
    return env


@dataclass(frozen=True, slots=True)
class Ran:
    """What one run of ``python -m ldncalc`` did."""

    code: int
    out: bytes
    err: bytes
    encoding: str  # the encoding of stdout that Python chose in that environment


Key = tuple[str, str, str, bool]  # command, environment, columns, stdin closed


def _environments() -> dict[str, dict[str, str]]:
    return {"utf-8": UTF8, **ENCODINGS, **{k: env for k, (env, _) in TERMINALS.items()}}


@cache
def _encoding_in(name: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.stdout.encoding)"],
        env=environment(_environments()[name], WIDE),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return codecs.lookup(done.stdout.strip()).name


def _run(key: Key) -> Ran:
    command, env_name, columns, stdin_closed = key
    argv = [sys.executable, "-m", "ldncalc", *COMMANDS[command]]
    if stdin_closed:  # the shell's <&-: no file descriptor 0 at all
        argv = ["sh", "-c", 'exec "$@" <&-', "sh", *argv]
    done = subprocess.run(
        argv,
        env=environment(_environments()[env_name], columns),
        stdin=None if stdin_closed else subprocess.DEVNULL,
        capture_output=True,
        check=False,
        timeout=120,
    )
    return Ran(done.returncode, done.stdout, done.stderr, _encoding_in(env_name))


# cp437 has the sign and JSON is ASCII anyway: it is tried on the laid-out outputs only.
JSON_ENCODINGS = [name for name in ENCODINGS if name != "cp437"]
# A terminal 80 columns wide, for the layout: the two encodings of the stand-ins suffice,
# on the outputs that print the approximation sign.
NARROW_ENCODINGS = ["ascii", "cp1252"]
NARROW_COMMANDS = [c for c in TERMINAL if c not in ("protocols", "one protocol")]
# Odd terminals and a closed stdin: a table, plain lines, a drawing, a file format.
ODD_COMMANDS = ["table", "dose", "dose --explain", "one protocol", "schedule --chart"]
CLOSED_STDIN = ["table", "dose", "schedule --chart", "schedule csv", "dose --json"]


def _keys() -> Iterator[Key]:
    for command in COMMANDS:
        for env_name in ("utf-8", *(JSON_ENCODINGS if command in JSON else ENCODINGS)):
            yield command, env_name, WIDE, False
    for command in NARROW_COMMANDS:
        for env_name in ("utf-8", *NARROW_ENCODINGS):
            yield command, env_name, str(NARROW), False
    for command in ODD_COMMANDS:
        for env_name, (_, columns) in TERMINALS.items():
            yield command, env_name, columns, False
    for command in CLOSED_STDIN:
        yield command, "utf-8", WIDE, True


_RESULTS: dict[Key, Ran] = {}


@pytest.fixture(scope="module", autouse=True)
def _run_everything_at_once() -> None:
    keys = sorted(set(_keys()))
    for name in _environments():
        _encoding_in(name)
    with ThreadPoolExecutor(max_workers=max(os.cpu_count() or 2, 2) * 2) as pool:
        _RESULTS.update(zip(keys, pool.map(_run, keys), strict=True))


def ran(command: str, env_name: str, columns: str = WIDE, stdin_closed: bool = False) -> Ran:
    key = (command, env_name, columns, stdin_closed)
    if key not in _RESULTS:
        _RESULTS[key] = _run(key)
    return _RESULTS[key]


def clean(result: Ran) -> str:
    """Assert the run succeeded quietly; return its stdout, decoded strictly."""
    err = result.err.decode(result.encoding, errors="replace")
    assert result.code == 0, err
    assert "Traceback" not in err
    assert "Error" not in err
    assert err == ""
    text = result.out.decode(result.encoding)  # strict: every byte is of that encoding
    assert "Traceback" not in text
    assert "internal error" not in text
    assert text.strip()
    return text


def encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


QUANTITY = re.compile(r"(?<![\w.])([0-9]+(?:\.[0-9]+)?) ?(mg/mL|mcg|mg|mL|%|days?)(?![A-Za-z])")


def quantities(text: str) -> Counter[str]:
    """Return every number with its unit in ``text`` (whitespace and layout ignored)."""
    flat = " ".join(text.split())
    return Counter(f"{n} {u}" for n, u in QUANTITY.findall(flat))


def approximations(text: str) -> list[str]:
    """Return what follows each approximation sign, in order: '+2.2%', '0.2008 mg/mL'."""
    return re.findall(APPROX + r"([+-]?[0-9.]+ ?(?:mg/mL|mcg|mg|mL|%)?)", text)


# The encodings themselves


def test_the_environments_really_have_those_encodings() -> None:
    found = {name: _encoding_in(name) for name in ENCODINGS}
    assert found == {
        "ascii": "ascii",
        "cp1252": "cp1252",
        "cp437": "cp437",
        "C locale, no UTF-8 mode": "ascii",
    }
    assert _encoding_in("utf-8") == "utf-8"
    # cp437 (the Windows console's code page) has the sign; the others lack it.
    assert [name for name, enc in found.items() if encodable(APPROX, enc)] == ["cp437"]


# Each command, each encoding: exit 0, quiet, decodable, the same information.


@pytest.mark.parametrize(
    ("command", "env_name"),
    [(c, e) for c in COMMANDS for e in (JSON_ENCODINGS if c in JSON else ENCODINGS)],
)
def test_every_command_works_in_every_encoding(command: str, env_name: str) -> None:
    result = ran(command, env_name)
    text = clean(result)
    if result.encoding == "ascii":
        assert text.isascii()


@pytest.mark.parametrize("env_name", list(ENCODINGS))
@pytest.mark.parametrize("command", [*TERMINAL, *FILES])
def test_the_same_doses_and_volumes_are_printed(command: str, env_name: str) -> None:
    utf8 = clean(ran(command, "utf-8"))
    result = ran(command, env_name)
    text = clean(result)
    assert quantities(text) == quantities(utf8)
    assert text.count("?") == utf8.count("?"), "a character was replaced by '?'"


@pytest.mark.parametrize("env_name", list(ENCODINGS))
@pytest.mark.parametrize("command", [*TERMINAL, *FILES])
def test_the_approximation_sign_is_kept_or_stands_in(command: str, env_name: str) -> None:
    utf8 = clean(ran(command, "utf-8"))
    result = ran(command, env_name)
    text = clean(result)
    expected = approximations(utf8)
    if encodable(APPROX, result.encoding):
        assert approximations(text) == expected
        return
    assert APPROX not in text
    flat = " ".join(text.split())
    found = [
        m.group(1) for m in re.finditer(STAND_IN + r"([+-]?[0-9.]+ ?(?:mg/mL|mcg|mg|mL|%)?)", flat)
    ]
    # every approximate value is still marked as approximate, in the same order
    assert [v.replace(" ", "") for v in found] == [v.replace(" ", "") for v in expected]


def test_the_approximation_sign_is_exercised() -> None:
    # The commands above print approximate values; the tests would prove nothing otherwise.
    for command in ("table", "dose", "dose --explain", "mix, approximate", "schedule --chart"):
        assert approximations(clean(ran(command, "utf-8"))), command
    assert "about" not in clean(ran("dose", "utf-8"))


@pytest.mark.parametrize("env_name", list(ENCODINGS))
def test_markdown_is_the_same_text_but_for_the_sign(env_name: str) -> None:
    utf8 = clean(ran("schedule markdown", "utf-8"))
    result = ran("schedule markdown", env_name)
    text = clean(result)
    pattern = "".join(
        "(?:" + APPROX + "|" + STAND_IN + ")" if c == APPROX else re.escape(c) for c in utf8
    )
    assert re.fullmatch(pattern, text), text


@pytest.mark.parametrize("env_name", list(ENCODINGS))
def test_csv_has_the_same_rows_but_for_the_sign(env_name: str) -> None:
    utf8 = list(csv.reader(io.StringIO(clean(ran("schedule csv", "utf-8")), newline="")))
    rows = list(csv.reader(io.StringIO(clean(ran("schedule csv", env_name)), newline="")))
    assert len(rows) == len(utf8)
    for got, want in zip(rows, utf8, strict=True):
        assert len(got) == len(want)
        for cell, expected in zip(got, want, strict=True):
            if APPROX in expected:
                pattern = f"(?:{APPROX}|{STAND_IN})".join(map(re.escape, expected.split(APPROX)))
                assert re.fullmatch(pattern, cell), (cell, expected)
            else:
                assert cell == expected


@pytest.mark.parametrize("env_name", JSON_ENCODINGS)
@pytest.mark.parametrize("command", list(JSON))
def test_json_is_ascii_escaped_and_the_same_object(command: str, env_name: str) -> None:
    text = clean(ran(command, env_name))
    assert text.isascii()
    obj = json.loads(text)
    assert obj == json.loads(clean(ran(command, "utf-8")))
    if command == "dose --json":
        assert APPROX in obj["warnings"][0]["message"]  # escaped, not replaced
        assert "\\u2248" in text


# Layout: a stand-in is longer than the sign, and must not push a table or a line out.


RULE = re.compile(r"-+(?:\+-+)+")


def _table_rows(text: str) -> Iterator[tuple[list[int], list[str]]]:
    """Yield each ASCII table's column boundaries (its rules' '+') and its lines."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if RULE.fullmatch(lines[i].rstrip()) and i > 0:
            bounds = [j for j, c in enumerate(lines[i]) if c == "+"]
            rows = [lines[i - 1]]
            i += 1
            while i < len(lines) and lines[i].strip():
                rows.append(lines[i])
                i += 1
            yield bounds, rows
        i += 1


@pytest.mark.parametrize(
    ("env_name", "columns"),
    [(e, WIDE) for e in ENCODINGS] + [(e, str(NARROW)) for e in NARROW_ENCODINGS],
)
@pytest.mark.parametrize("command", NARROW_COMMANDS)
def test_tables_line_up(command: str, env_name: str, columns: str) -> None:
    text = clean(ran(command, env_name, columns))
    for bounds, rows in _table_rows(text):
        for row in rows:
            bars = [j for j, c in enumerate(row) if c == ("+" if RULE.fullmatch(row) else "|")]
            assert bars == bounds[: len(bars)], f"columns out of line:\n{text}"
            assert len(bars) == len(bounds), f"a row lost its columns:\n{row}"


@pytest.mark.parametrize("env_name", NARROW_ENCODINGS)
@pytest.mark.parametrize("command", NARROW_COMMANDS)
def test_lines_fit_the_terminal_as_they_do_in_utf_8(command: str, env_name: str) -> None:
    utf8 = clean(ran(command, "utf-8", str(NARROW)))
    text = clean(ran(command, env_name, str(NARROW)))
    limit = max(NARROW, *(len(line) for line in utf8.splitlines()))
    too_wide = [line for line in text.splitlines() if len(line) > limit]
    assert not too_wide, f"wider than {limit} columns:\n" + "\n".join(too_wide)


# Odd terminals and a closed stdin: exit 0, no traceback.


@pytest.mark.parametrize("terminal", list(TERMINALS))
@pytest.mark.parametrize("command", ODD_COMMANDS)
def test_odd_terminals_are_fine(command: str, terminal: str) -> None:
    text = clean(ran(command, terminal, TERMINALS[terminal][1]))
    if terminal != "COLUMNS=1":  # nothing wraps: the same doses and volumes
        assert quantities(text) == quantities(clean(ran(command, "utf-8")))
    assert "\x1b" not in text


def test_the_closed_stdin_really_is_closed() -> None:
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", sys.executable, "-c", "import sys; print(sys.stdin)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout == "None\n"


@pytest.mark.parametrize("command", CLOSED_STDIN)
def test_a_closed_stdin_is_fine(command: str) -> None:
    text = clean(ran(command, "utf-8", stdin_closed=True))
    assert quantities(text) == quantities(clean(ran(command, "utf-8")))
