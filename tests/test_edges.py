"""The diary's edges (issue 20): outputs that could hit the diary, text that comes back
out, damaged and hostile files, private health data, and commands that did nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import random
import re
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ldncalc.diary.store import MIGRATIONS
from ldncalc.files import write_text_atomic
from ldncalc.notation import csv_cell, safe_text
from tests.fuzzing import CliResult, cli
from tests.test_cli_diary import START, error_message, umask

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class Home:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / "diary.sqlite3"

    def run(self, *args: str) -> CliResult:
        return cli(*args, env={"LDNCALC_HOME": str(self.folder)})

    def ok(self, *args: str) -> CliResult:
        result = self.run(*args)
        assert result.exit_code == 0, result.output
        return result

    def refused(self, code: int, *args: str) -> str:
        result = self.run(*args)
        assert result.exit_code == code, result.output
        return error_message(result)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


@pytest.fixture
def diary(home: Home) -> Home:
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", START)
    home.ok("took", "--date", START)
    return home


# ------------------------------------------------------------------ 1. never the diary

# Every option that writes a file, with the diary's path put in its place.
WRITERS = {
    "data export": ["data", "export", "{P}", "--force"],
    "report --html": ["report", "--html", "{P}", "--force"],
    "report --markdown": ["report", "--markdown", "{P}", "--force"],
    "schedule -o": ["schedule", "-o", "{P}", "--force"],
    "schedule --ics": ["schedule", "--ics", "{P}", "--force"],
    "schedule --html": ["schedule", "--html", "{P}", "--force"],
    "mixed --label": ["mixed", "--label", "{P}", "--force"],
    "data backup": ["data", "backup", "{P}"],
}


def spellings(home: Home, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    yield "the diary", home.file
    for end in ("-wal", "-shm", "-journal"):  # whether they exist or not
        yield end, Path(f"{home.file}{end}")
    link = tmp_path / "link.sqlite3"
    link.symlink_to(home.file)
    yield "a symbolic link", link
    hard = tmp_path / "hard.sqlite3"
    os.link(home.file, hard)
    yield "a hard link", hard
    yield "another spelling", home.folder / ".." / home.folder.name / "diary.sqlite3"


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_no_output_ever_replaces_the_diary(diary: Home, tmp_path: Path, writer: str) -> None:
    for label, path in spellings(diary, tmp_path):
        before = sha(diary.file)
        others = {end: Path(f"{diary.file}{end}").exists() for end in ("-wal", "-shm", "-journal")}
        args = [a.replace("{P}", str(path)) for a in WRITERS[writer]]
        message = diary.refused(1, *args)
        assert "never replaces" in message, (label, message)
        if writer != "data backup" or label.startswith("-"):  # a backup never replaces any file
            assert "database" in message or "the diary" in message, (label, message)
        assert sha(diary.file) == before, label
        for end, existed in others.items():
            assert Path(f"{diary.file}{end}").exists() == existed, (label, end)
        for extra in ("link.sqlite3", "hard.sqlite3"):
            (tmp_path / extra).unlink(missing_ok=True)


def test_a_protected_path_is_refused_by_identity_before_it_exists(tmp_path: Path) -> None:
    kept = tmp_path / "diary.sqlite3"  # no diary yet: only its name is known
    for name in ("diary.sqlite3", "diary.sqlite3-wal", "diary.sqlite3-journal"):
        with pytest.raises(OSError, match="an output never replaces the diary") as caught:
            write_text_atomic(tmp_path / "sub" / ".." / name, "x", protect=[kept])
        assert getattr(caught.value, "code", None) == "output-is-database"
    (tmp_path / "sub").mkdir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]


def test_the_sidecar_of_any_database_is_refused_even_when_absent(tmp_path: Path) -> None:
    database = tmp_path / "other.db"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(OSError, match="it is the wal file of a database"):
        write_text_atomic(tmp_path / "other.db-wal", "x", force=True)
    assert not (tmp_path / "other.db-wal").exists()
    plain = tmp_path / "notes.txt"
    plain.write_text("old")
    write_text_atomic(plain, "new", force=True)  # a text file is still replaced with leave
    assert plain.read_text() == "new"


# ------------------------------------------------------------------ 2. text out


@given(st.text())
def test_safe_text_lets_no_control_character_through(text: str) -> None:
    for shown in (safe_text(text), safe_text(text, drop=True)):
        assert all(c.isprintable() and c not in BIDI for c in shown), repr(shown)
    assert "\n" not in safe_text(text)
    assert "\n" not in safe_text(text, drop=True)


@given(st.text())
def test_no_csv_cell_starts_a_formula(text: str) -> None:
    cell = csv_cell(text)
    assert all(c.isprintable() and c not in BIDI for c in cell)
    if cell.startswith(FORMULA_START):
        float(cell)  # only a number may start with - or +


@pytest.mark.parametrize("number", ["-1", "+2.5", "-0.5", "1e3"])
def test_a_number_cell_is_kept_as_a_number(number: str) -> None:
    assert csv_cell(number) == number


HOSTILE = '=HYPERLINK("http://evil","x")'


def test_history_csv_guards_typed_cells(diary: Home) -> None:
    diary.ok("note", "x", "--date", START, "--side-effect", HOSTILE, "--score", "-2+3=4")
    rows = list(csv.DictReader(io.StringIO(diary.ok("history", "--csv").stdout)))
    day = next(r for r in rows if r["date"] == START)
    assert day["side_effects"] == "'" + HOSTILE
    assert day["scores"] == "'-2+3=4"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(FORMULA_START), cell


def test_schedule_csv_cells_never_start_a_formula(home: Home) -> None:
    rows = list(csv.reader(io.StringIO(home.ok("schedule", "--format", "csv").stdout)))
    assert len(rows) > 2
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START) or float(cell) is not None, cell


TERMINAL_ATTACK = "\x1b]0;PWNED\x07 \x1b[31mred\n      9  2026-01-05  took 45 mg"


def test_typed_text_reaches_the_terminal_escaped(diary: Home) -> None:
    said = diary.ok("note", TERMINAL_ATTACK, "--date", START, "--side-effect", "\u202eevil").stdout
    assert said == (
        f"Recorded entry 3 for {START}: note: \\x1b]0;PWNED\\x07 \\x1b[31mred\\n"
        "      9  2026-01-05  took 45 mg; side effect: \\u202eevil\n"
    )
    shown = diary.ok("history").stdout
    assert "\x1b" not in shown
    assert "\x07" not in shown
    assert "\u202e" not in shown
    assert not any(line.startswith("      9  2026-01-05") for line in shown.splitlines())


def test_report_pages_drop_controls(diary: Home, tmp_path: Path) -> None:
    diary.ok("note", TERMINAL_ATTACK, "--date", START, "--side-effect", "\u202eevil")
    html, markdown = tmp_path / "r.html", tmp_path / "r.md"
    diary.ok("report", "--html", str(html), "--markdown", str(markdown))
    for page in (html.read_text(), markdown.read_text()):
        assert "\x1b" not in page
        assert "\x07" not in page
        assert "\u202e" not in page
        assert "evil" in page


# ------------------------------------------------------------------ 3. hostile and damaged


def test_deeply_nested_import_is_refused_and_the_diary_kept(diary: Home, tmp_path: Path) -> None:
    nested = tmp_path / "deep.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    before = sha(diary.file)
    message = diary.refused(2, "data", "import", str(nested))
    assert message == f"{str(nested)!r} is not a diary export (nested too deeply)"
    assert sha(diary.file) == before


def test_recorded_at_beyond_the_calendar_is_refused(diary: Home, tmp_path: Path) -> None:
    export = tmp_path / "e.json"
    diary.ok("data", "export", str(export))
    document = json.loads(export.read_text())
    document["entries"][0]["recorded_at"] = "9999-12-31T23:59:59.999999-23:59"
    document["entries"][0]["uid"] = "0" * 32
    export.write_text(json.dumps(document))
    before = sha(diary.file)
    message = diary.refused(2, "data", "import", str(export), "--profile", "other")
    assert message == (
        "entry 1 of the export: recorded_at 9999-12-31T23:59:59.999999-23:59 is beyond the calendar"
    )
    assert sha(diary.file) == before


def test_imports_are_read_with_a_size_limit(diary: Home, tmp_path: Path) -> None:
    assert diary.refused(2, "data", "import", "/dev/zero") == (
        "'/dev/zero' is not a regular file; give an export file"
    )
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as stream:
        stream.truncate(50 * 1024 * 1024 + 1)  # sparse: costs no disk
    assert diary.refused(2, "data", "import", str(huge)) == (
        f"{str(huge)!r} is larger than an export can be (50 MB at most)"
    )


def flip_schema_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(b"CREATE TABLE entries")
    data[at + 7] = 0xFF  # invalid UTF-8 in the schema's text
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "command", [["today"], ["history"], ["note", "x"], ["data", "export", "-"], ["data", "check"]]
)
def test_invalid_utf8_in_the_schema_is_a_damaged_file(diary: Home, command: list[str]) -> None:
    flip_schema_byte(diary.file)
    result = diary.run(*command)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    assert "unexpected" not in result.output
    text = result.stdout if command == ["data", "check"] else error_message(result)
    assert "damaged" in text or "Could not decode" in text, text


def break_entry(home: Home, entry_id: int, payload: str) -> None:
    conn = sqlite3.connect(home.file, isolation_level=None)
    conn.execute("DROP TRIGGER entries_are_never_changed")
    conn.execute("UPDATE entries SET payload = ? WHERE id = ?", (payload, entry_id))
    conn.execute(MIGRATIONS[0][2])  # the trigger as ldncalc made it
    conn.close()


def test_an_unreadable_entry_is_named_and_can_be_undone(diary: Home, tmp_path: Path) -> None:
    break_entry(diary, 2, '{"dose_mg": "not a dose"}')
    message = diary.refused(1, "today")
    assert message.startswith("entry 2 of the diary cannot be read (")
    assert message.endswith(
        "an undo of entry 2 cancels it, and an export keeps a copy of the diary first; "
        "undo it with 'ldncalc undo 2', or first keep a copy with 'ldncalc data export FILE'"
    )
    assert diary.refused(1, "took", "--date", START).startswith("entry 2 of the diary")
    export = tmp_path / "rescue.json"
    diary.ok("data", "export", str(export))
    assert json.loads(export.read_text())["entries"][1]["payload"] == {"dose_mg": "not a dose"}
    diary.ok("undo", "2")
    diary.ok("today")
    diary.ok("took", "--date", START)


def test_a_payload_nested_deeply_in_a_row_is_refused_on_export(diary: Home) -> None:
    break_entry(diary, 2, '{"a":' * 5000 + "1" + "}" * 5000)
    message = diary.refused(1, "data", "export", "-")
    assert (
        message == f"the diary at {diary.file} is damaged (entry 2 is nested too deeply to export)"
    )
    assert diary.refused(1, "today").startswith("entry 2 of the diary cannot be read")


def test_one_meaning_of_dash(diary: Home) -> None:
    assert diary.refused(1, "data", "backup", "-") == (
        "cannot write standard output: a backup is a database file, not text; name a file "
        "instead of -"
    )
    assert not Path("-").exists()
    shown = diary.ok("report", "--markdown", "-")
    assert shown.stdout.startswith("#")
    assert shown.stderr == ""
    exported = diary.ok("data", "export", "-")
    assert json.loads(exported.stdout)["profile"] == "default"
    assert exported.stderr == ""


def test_a_stale_creation_is_reported_then_removed(diary: Home) -> None:
    stale = diary.folder / ".diary.sqlite3.0123456789ab.tmp"
    stale.write_bytes(b"SQLite format 3\x00")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = diary.folder / ".diary.sqlite3.ldncalc-0123456789abcdef.tmp"
    fresh.write_bytes(b"")  # a creation under way: left alone
    result = diary.run("data", "check")
    assert result.exit_code == 1
    assert result.stdout == (
        f"Problem: {stale} was left by a creation of the diary that was cut short;"
        " the next entry recorded removes it\n"
    )
    diary.file.unlink()  # the next creation sweeps the folder
    for end in ("-wal", "-shm"):
        Path(f"{diary.file}{end}").unlink(missing_ok=True)
    diary.ok("plan", "start", "ldnnaltrexone", "--start-date", START)
    assert not stale.exists()
    assert fresh.exists()


# ------------------------------------------------------------------ 4. private


@pytest.mark.parametrize(
    "args",
    [
        ["data", "export", "{D}/out.json"],
        ["report", "--html", "{D}/out.html"],
        ["report", "--markdown", "{D}/out.md"],
        ["mixed", "--label", "{D}/out.html"],
        # The diary's plan: its holds carry their reasons ("hold (vivid dreams)").
        ["plan", "show", "--html", "{D}/out.html", "--ics", "{D}/out.ics"],
    ],
)
def test_health_data_files_are_private_whatever_the_umask(
    diary: Home, tmp_path: Path, args: list[str]
) -> None:
    diary.ok("plan", "adjust", "hold", "--date", "2026-01-20", "--reason", "vivid dreams")
    with umask(0o022):
        diary.ok(*[a.replace("{D}", str(tmp_path)) for a in args])
    written = [p for p in tmp_path.iterdir() if p.name.startswith("out.")]
    assert len(written) == sum(a.startswith("{D}/out.") for a in args)
    for path in written:
        assert mode(path) == 0o600, path.name


def test_schedules_keep_following_the_umask(home: Home, tmp_path: Path) -> None:
    with umask(0o022):
        home.ok("schedule", "-o", str(tmp_path / "s.md"), "--ics", str(tmp_path / "s.ics"))
    assert mode(tmp_path / "s.md") == 0o644
    assert mode(tmp_path / "s.ics") == 0o644


def test_an_exposed_folder_is_warned_on_every_write_and_fails_check(diary: Home) -> None:
    os.chmod(diary.folder, 0o777)
    result = diary.ok("took", "--date", "2026-01-06")
    warning = (
        f"Warning: the folder {diary.folder} can be changed by other users (mode 0777);"
        f" run chmod 700 {diary.folder}\n"
    )
    assert result.stderr == warning
    checked = diary.run("data", "check")
    assert checked.exit_code == 1
    assert f"run chmod 700 {diary.folder}" in checked.stdout
    os.chmod(diary.file, 0o644)
    assert "run chmod 600" in diary.ok("took", "--date", "2026-01-07").stderr


# ------------------------------------------------------------------ 5. did nothing


def test_check_without_a_diary_says_so(home: Home, tmp_path: Path) -> None:
    result = cli("data", "check", "--data-dir", str(tmp_path / "no" / "such"))
    assert result.exit_code == 1
    assert result.stdout == (
        f"Problem: there is no diary at {tmp_path / 'no' / 'such' / 'diary.sqlite3'}"
        " (nothing recorded yet, or another folder)\n"
    )
    assert not (tmp_path / "no").exists()


def test_an_unknown_profile_is_refused_with_the_known_ones(diary: Home, tmp_path: Path) -> None:
    expected = "the diary has no profile 'nobody'; its profiles: default"
    assert diary.refused(1, "data", "erase", "--profile", "nobody", "--yes") == expected
    out = tmp_path / "nobody.json"
    assert diary.refused(1, "data", "export", str(out), "--profile", "nobody") == expected
    assert not out.exists()


# ------------------------------------------------------------------ the byte-flip fuzz


def test_a_flipped_byte_is_refused_cleanly_or_read(tmp_path: Path) -> None:
    pristine = Home(tmp_path / "pristine")
    pristine.ok("plan", "start", "ldnnaltrexone", "--start-date", START)
    pristine.ok("took", "--date", START)
    pristine.ok("note", "slept badly", "--date", START, "--pain", "4")
    original = pristine.file.read_bytes()
    chooser = random.Random(20)
    offsets = sorted(set(range(100)) | set(chooser.sample(range(len(original)), 100)))
    work = Home(tmp_path / "work")
    work.folder.mkdir(mode=0o700)
    commands = [["today", "--date", START], ["history"], ["data", "check"], ["data", "export", "-"]]
    for offset in offsets:
        flipped = bytearray(original)
        flipped[offset] ^= 0xFF
        for leftover in work.folder.iterdir():
            leftover.unlink()
        work.file.write_bytes(bytes(flipped))
        os.chmod(work.file, 0o600)
        for command in commands:
            result = work.run(*command)
            where = (offset, command, result.output)
            assert result.exit_code in (0, 1, 2), where
            assert "Traceback" not in result.output, where
            assert "unexpected" not in result.output, where
            if result.exit_code != 0 and command[:2] != ["data", "check"]:
                assert result.stderr.startswith("Error: "), where
                assert result.stderr.count("\n") == 1, where


def test_a_diary_from_a_zone_already_in_tomorrow_still_reports(home: Home) -> None:
    # Made at UTC+14, read at UTC-3: its plan starts on the reader's tomorrow.
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", tomorrow)
    shown = home.ok("report", "--markdown", "-").stdout
    assert f"{tomorrow}" in shown


# ------------------------------------------------------------------ 4. words (issue 23, item 14)


@pytest.mark.parametrize(
    ("word", "instead"), [("html", "--html FILE"), ("HTML", "--html FILE"), ("ics", "--ics FILE")]
)
def test_a_file_of_its_own_asked_as_a_format_says_what_to_type(
    home: Home, word: str, instead: str
) -> None:
    message = home.refused(2, "schedule", "--format", word)
    assert f"type {instead} instead" in message


def test_an_unknown_format_names_the_formats_and_the_files(home: Home) -> None:
    message = home.refused(2, "schedule", "-f", "xml")
    assert "'xml' is not one of 'json', 'csv', 'markdown'" in message
    assert "--html FILE" in message
    assert "--ics FILE" in message
    assert home.ok("schedule", "--format", "csv").stdout.startswith("day,date,step")


# The PEG (Krebs et al. 2009) asks each item over the past week: every recall
# period that the docs, the help or the code word ("over the past ...", "in the
# last ...") is that one.
RECALL = re.compile(r"\b(?:in|over|during|for)\s+the\s+(?:past|last|previous)\s+(\w+)", re.I)
ROOT = Path(__file__).resolve().parent.parent


def recall_periods(text: str) -> list[str]:
    return [m.group(1).lower() for m in RECALL.finditer(text)]


def test_one_recall_period_for_the_peg_everywhere() -> None:
    sources = {str(p.relative_to(ROOT)): p.read_text() for p in sorted(ROOT.glob("docs/*.md"))}
    sources |= {
        str(p.relative_to(ROOT)): p.read_text() for p in sorted(ROOT.glob("src/ldncalc/**/*.py"))
    }
    sources["note --help"] = cli("note", "--help", width=200).stdout
    found = {name: recall_periods(text) for name, text in sources.items()}
    assert {name: periods for name, periods in found.items() if set(periods) - {"week"}} == {}
    for name in ("note --help", "docs/guide.md", "docs/diary.md", "docs/cli.md"):
        assert "week" in found[name], name  # each says it, not only agrees by silence
    assert recall_periods("your average pain in the past\nday") == ["day"]  # the net holds


# ------------------------------------------------------------------ 5. terminal text (item 16)

# Text a person typed (a reason, a score's name) or imported (a protocol's title)
# is shown through safe_text, as history and today show it: escaped on a terminal,
# dropped from a page. Hostile: C0 and C1 controls, DEL, the bidirectional
# overrides and isolates, line and paragraph separators, and any other character.
CONTROLS = sorted(
    {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))}
    | BIDI
    | {"\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\ufeff"}
)
HOSTILE_TEXT = st.lists(st.sampled_from(CONTROLS) | st.characters(), min_size=1, max_size=12).map(
    lambda chars: "\x1b]0;pwned\x07" + "".join(chars) + "\u202e!"
)
OSC_CLEAR = "\x1b]0;pwned\x07\x1b[2J\u202e..."


def assert_shown_safely(shown: str) -> None:
    """Fail when a control, a bidi override or another unprintable character is shown."""
    unsafe = {c for c in shown if c != "\n" and (not c.isprintable() or c in BIDI)}
    assert not unsafe, sorted(unsafe)


def in_a_folder(run: Callable[[Home], None]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run(Home(Path(folder)))


def started(home: Home) -> Home:
    home.ok("plan", "start", "--start", "0.1mg", "--step", "0.2mg", "--every", "7d",
            "--target", "1.5mg", "--start-date", START)  # fmt: skip
    return home


@settings(max_examples=12, deadline=None)
@given(HOSTILE_TEXT)
def test_a_hostile_reason_reaches_plan_show_escaped(reason: str) -> None:
    def check(home: Home) -> None:
        started(home).ok("plan", "adjust", "slower", "--every", "14d", "--reason", reason,
                         "--date", "2026-01-15")  # fmt: skip
        for chart in ([], ["--chart"]):
            shown = home.ok("plan", "show", *chart).stdout
            assert "Change at step" in shown
            assert_shown_safely(shown)
            assert "pwned" in shown  # shown, escaped, not left out

    in_a_folder(check)


def test_the_reason_of_the_issue_is_shown_escaped(home: Home) -> None:
    started(home).ok("plan", "adjust", "hold", "--reason", OSC_CLEAR, "--date", "2026-01-15")
    for chart in ([], ["--chart"]):
        shown = home.ok("plan", "show", *chart).stdout
        assert "(\\x1b]0;pwned\\x07\\x1b[2J\\u202e...)" in shown
        assert_shown_safely(shown)


def imported_plan(home: Home, tmp_path: Path, title: str) -> Home:
    """Return a home whose plan was imported with ``title`` as its protocol's title."""
    source = started(Home(tmp_path / "source"))
    export = tmp_path / "export.json"
    source.ok("data", "export", str(export))
    data = json.loads(export.read_text(encoding="utf-8"))
    plan = next(e for e in data["entries"] if e["kind"] == "plan")
    plan["payload"]["protocol_title"] = title
    export.write_text(json.dumps(data), encoding="utf-8")
    home.ok("data", "import", str(export))
    return home


def test_an_imported_protocol_title_is_shown_escaped(home: Home, tmp_path: Path) -> None:
    shown = imported_plan(home, tmp_path, OSC_CLEAR).ok("plan", "show").stdout
    assert "Protocol: \\x1b]0;pwned\\x07\\x1b[2J\\u202e... (custom)" in shown
    assert_shown_safely(shown)


@settings(max_examples=8, deadline=None)
@given(HOSTILE_TEXT)
def test_any_imported_protocol_title_is_shown_escaped(title: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        home = imported_plan(Home(Path(folder) / "home"), Path(folder), title)
        for chart in ([], ["--chart"]):
            shown = home.ok("plan", "show", *chart).stdout
            assert "Protocol:" in shown
            assert_shown_safely(shown)


@settings(max_examples=8, deadline=None)
@given(HOSTILE_TEXT)
def test_a_hostile_score_name_never_reaches_the_report_chart(name: str) -> None:
    def check(home: Home) -> None:
        started(home).ok("took", "--date", START)
        result = home.run("note", "--date", START, "--score", f"{name}=3")
        assume(result.exit_code == 0)  # a name the diary refuses never reaches a page
        page = home.folder / "report.html"
        home.ok("report", "--html", str(page), "--to", "2026-01-20")
        svg = re.search(r"<svg.*?</svg>", page.read_text(encoding="utf-8"), re.S)
        assert svg is not None
        assert 'class="score"' in svg.group()  # the score is drawn
        assert_shown_safely(svg.group())
        assert_shown_safely(page.read_text(encoding="utf-8"))

    in_a_folder(check)
