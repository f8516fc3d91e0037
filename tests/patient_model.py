"""The model patient of tests/test_patient.py: her fridge, her reading of ldncalc, her checks.

She keeps a fridge of the bottles she really mixed (each with its real
concentration, what is left in it, the discard date on its label and the date
past which it is really spoiled: its own keep, or its source's, whichever
comes first). She reads ``ldncalc today`` (text and ``--json``) and runs the
commands it prints as printed, adding only ``--date D`` for the simulated day
(in everyday use she runs them on the day, without it). Everything here is
written from the domain (docs/diary.md, issue 23), not from ldncalc's code.

A broken rule raises :class:`Broken` naming the invariant, the day, and the
commands she ran (the writes, then the day's reads): a script to reproduce it
by hand. ``LDNCALC_PATIENT_TOLERATE`` (a comma list of invariant names, or
``all``) makes her note a broken rule and carry on instead, to explore past a
known fault locally; CI tolerates nothing.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import typer.main
from typer.testing import CliRunner

import ldncalc.cli
from ldncalc.cli import run
from ldncalc.cli._today import run_today
from ldncalc.diary.store import Store

PROFILE = "ana"
WIDTH = "1000"  # no hint is ever wrapped across lines
_RUNNER = CliRunner()


class _Built:
    """``ldncalc.cli.app`` with its click command built once, not at every run (a third of
    the simulator's time otherwise); ``run`` still maps errors to exit codes as installed."""

    def __init__(self) -> None:
        self.command = typer.main.get_command(ldncalc.cli.app)

    def __call__(self, **kwargs: Any) -> Any:
        return self.command(**kwargs)


_BUILT: list[_Built] = []
TOLERATED = frozenset(
    name.strip() for name in os.environ.get("LDNCALC_PATIENT_TOLERATE", "").split(",") if name
)
COMMANDS = frozenset(
    {"today", "took", "missed", "undo", "mixed", "note", "history", "report", "plan", "data"}
    | {"dose", "schedule", "mix", "protocols"}
)
# Hints she runs as printed (what she did); others (plan start, undo ID) she only reads.
RUNS = ("took", "mixed", "note", "missed")


class Broken(AssertionError):
    """An invariant of the patient's day does not hold."""


@dataclass(frozen=True, slots=True)
class Ran:
    """One command run: its words, exit code, and what it printed."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def line(self) -> str:
        return "ldncalc " + shlex.join(self.args)


def fraction(value: Any) -> Fraction | None:
    """Read a JSON number (parsed as Decimal or int) as an exact Fraction."""
    return None if value is None else Fraction(value)


@dataclass(slots=True)
class Bottle:
    """One bottle in her fridge, as she really mixed it."""

    name: str  # "stock", "dilution 1", ...
    mixed_on: date
    concentration: Fraction  # mg/mL, what is really in it
    left_ml: Fraction
    label_discard: date  # what the printed label says
    spoiled_after: date  # its own keep or its source's, whichever ends first
    batch: int = 0  # its number in the diary: the bottles recorded, in the order she mixed them

    def usable(self, day: date, volume: Fraction) -> bool:
        return day <= self.spoiled_after and day <= self.label_discard and self.left_ml >= volume


def _decimal(text: str) -> Fraction:
    return Fraction(Decimal(text))


_STOCK = re.compile(r"^(\d+) x ([0-9.]+) mg tablets? in ([0-9.]+) mL = ")
# "Dilution 2: 1 mL of the 0.1 mg/mL liquid + 99 mL of water" (or "Dilution, stage 2: ...").
_DILUTION = re.compile(
    r"^Dilution\D*(\d+): ([0-9.]+) mL of the ([0-9.]+) mg/mL [^+]*\+ ([0-9.]+) mL"
)
_DISCARD = re.compile(r"^Discard after: (\d{4}-\d{2}-\d{2})")
_CONCENTRATION = re.compile(r"^Concentration: ([0-9.]+) mg/mL")
_HINT = re.compile(r"\bldncalc\s")
_QUOTES = "'\""


def _command_at(line: str, start: int) -> str:
    """Return the command that starts at ``line[start:]``, as far as it goes.

    Quoted words (a folder with a space, as shlex.quote writes it) are kept
    whole; outside quotes the command ends at ``)``, ``;``, ``,``, `` (`` or
    the end of the line. A command in quotes ('ldncalc plan start') ends at its
    closing quote.
    """
    if start and line[start - 1] in _QUOTES:
        end = line.find(line[start - 1], start)
        return line[start : None if end < 0 else end]
    quote = ""
    for i in range(start, len(line)):
        c = line[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in _QUOTES:
            quote = c
        elif c in ");," or line.startswith(" (", i):
            return line[start:i]
    return line[start:]


def hints(text: str) -> list[str]:
    """Return every ``ldncalc ...`` command printed in ``text``, in order, as printed."""
    found: list[str] = []
    for line in text.splitlines():
        for match in _HINT.finditer(line):
            command = _command_at(line, match.start()).strip().rstrip(".:")
            words = command.split()
            if len(words) > 1 and words[1] in COMMANDS and command not in found:
                found.append(command)
    return found


@dataclass
class Patient:
    """Her diary folder, the carer's default folder, her fridge, and the log of what she ran."""

    folder: Path  # --data-dir of her diary
    home: Path  # $LDNCALC_HOME: where a command without --data-dir writes
    fridge: list[Bottle] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)  # commands that changed something
    reads: list[str] = field(default_factory=list)  # the current day's reads
    day: date = date(2025, 1, 1)
    noted: list[str] = field(default_factory=list)  # broken rules tolerated
    broken: bool = False

    @property
    def flags(self) -> list[str]:
        return ["--profile", PROFILE, "--data-dir", str(self.folder)]

    # -- running ldncalc ----------------------------------------------------------

    def run(self, args: Sequence[str], *, write: bool) -> Ran:
        """Run ``ldncalc ARGS`` in-process as the installed command does (today: its fast path)."""
        words = list(args)
        env = {"COLUMNS": WIDTH, "NO_COLOR": "1", "LDNCALC_HOME": str(self.home)}
        if not _BUILT:
            _BUILT.append(_Built())
        app = ldncalc.cli.app
        with _RUNNER.isolation(env=env) as (out, err, _):
            try:
                code = run_today(words[1:]) if words[:1] == ["today"] else None
                if code is None:
                    ldncalc.cli.app = _BUILT[0]  # type: ignore[assignment]
                    code = run(words)
            except BaseException:  # a traceback: what the check below reports
                code = 99
                print(traceback.format_exc(), file=sys.stderr)
            finally:
                ldncalc.cli.app = app
            sys.stdout.flush()
            sys.stderr.flush()
            ran = Ran(tuple(words), code, out.getvalue().decode(), err.getvalue().decode())
        (self.writes if write else self.reads).append(ran.line())
        self.check(
            code in (0, 1, 2) and "Traceback" not in ran.stderr,
            "no-traceback",
            f"{ran.line()} ended {code}:\n{ran.stderr}",
        )
        return ran

    def mine(self, *args: str, write: bool = True) -> Ran:
        """Run a command of her own (the prescriber's change, a missed day) on her profile."""
        return self.run([*args, *self.flags], write=write)

    def today(self, day: date) -> tuple[dict[str, Any], str]:
        """Return today's JSON object (numbers exact) and its text."""
        ran = self.mine("today", "--date", day.isoformat(), "--json", write=False)
        self.check(ran.code == 0, "today-answers", ran.stderr)
        data = json.loads(ran.stdout, parse_float=Decimal) if ran.code == 0 else {}
        text = self.mine("today", "--date", day.isoformat(), write=False)
        self.check(text.code == 0, "today-answers", text.stderr)
        return data, text.stdout

    def run_hint(self, hint: str, extra: Sequence[str] = ()) -> Ran | None:
        """Run a printed hint as printed (plus --date, and ``extra`` words she chose)."""
        words = shlex.split(hint)[1:]
        if "N" in words:  # a score to give: she gives one
            words = [("4" if w == "N" else w) for w in words]
        if any(w in ("ID", "FILE") for w in words):
            return None
        if not self.hint_names_profile(hint):  # tolerated: she adds what the hint lacks
            if _after(words, "--profile") is None:
                words += ["--profile", PROFILE]
            if _after(words, "--data-dir") is None:
                words += ["--data-dir", str(self.folder)]
        if "--date" not in words and words[:1] != ["undo"]:
            words += ["--date", self.day.isoformat()]
        ran = self.run([*words, *extra], write=True)
        self.check(ran.code == 0, "hint-runs", f"the printed hint {hint!r} failed:\n{ran.stderr}")
        # Recorded, and not in the default folder: so in hers, the one the hint names.
        self.check(
            ran.code != 0 or ran.stdout.startswith("Recorded entry "),
            "hint-acts-on-profile",
            f"{hint!r} recorded nothing:\n{ran.stdout}",
        )
        self.check(
            not any(self.home.iterdir()),
            "default-stays-empty",
            f"{hint!r} wrote to the default folder {self.home}: profiles "
            f"{Store(self.home).profiles()}",
        )
        others = [name for name in Store(self.folder).profiles() if name != PROFILE]
        self.check(
            not others, "default-stays-empty", f"{hint!r} wrote to profiles {others} of her folder"
        )
        return ran

    def hint_names_profile(self, hint: str) -> bool:
        words = shlex.split(hint)
        named = _after(words, "--profile") == PROFILE and _after(words, "--data-dir") == str(
            self.folder
        )
        self.check(
            named,
            "hint-names-profile",
            f"the hint {hint!r} lacks --profile {PROFILE} --data-dir {self.folder}",
        )
        return named

    # -- checks -----------------------------------------------------------------

    def check(self, ok: bool, invariant: str, detail: str) -> None:
        """Raise :class:`Broken` unless ``ok`` (or note it, when tolerated)."""
        if ok:
            return
        message = f"invariant {invariant!r} broken on {self.day.isoformat()}: {detail}"
        script = "\n".join(f"  {line}" for line in [*self.writes, *self.reads])
        report = f"{message}\nthe commands she ran (writes, then the day's reads):\n{script}"
        if invariant in TOLERATED or "all" in TOLERATED:
            self.noted.append(report)
            return
        self.broken = True
        raise Broken(report)

    # -- the fridge ---------------------------------------------------------------

    def record_label(self, ran: Ran) -> Bottle | None:
        """Put the bottle whose label ``mixed`` printed into the fridge, as she really made it."""
        lines = ran.stdout.splitlines()
        discard = _first(_DISCARD, lines)
        concentration = _first(_CONCENTRATION, lines)
        if discard is None or concentration is None:
            self.check(False, "label-readable", f"no label in:\n{ran.stdout}")
            return None
        label_discard = date.fromisoformat(discard.group(1))
        label_concentration = _decimal(concentration.group(1))
        stock = _first(_STOCK, lines)
        if stock is not None:
            tablets, strength, water = int(stock.group(1)), *map(_decimal, stock.group(2, 3))
            bottle = Bottle(
                "stock",
                self.day,
                tablets * strength / water,
                water,
                label_discard,
                label_discard,
                len(self.fridge) + 1,
            )
            self.check(
                bottle.concentration == label_concentration,
                "label-concentration",
                f"{tablets} x {strength} mg in {water} mL is not {label_concentration} mg/mL",
            )
            self.fridge.append(bottle)
            return bottle
        dilution = _first(_DILUTION, lines)
        if dilution is None:
            self.check(False, "label-readable", f"no recipe on the label:\n{ran.stdout}")
            return None
        stage = int(dilution.group(1))
        taken, source_concentration, water = map(_decimal, dilution.group(2, 3, 4))
        source = self.pick(source_concentration, taken)
        self.check(
            source is not None,
            "dilution-made-from-held-liquid",
            f"dilution {stage} is made from {taken} mL of a {source_concentration} mg/mL liquid "
            f"she does not hold in date: {self.describe()}",
        )
        if source is None:
            return None
        source.left_ml -= taken
        bottle = Bottle(
            f"dilution {stage}",
            self.day,
            source.concentration * taken / (taken + water),
            taken + water,
            label_discard,
            min(label_discard, source.spoiled_after),
            len(self.fridge) + 1,
        )
        self.check(
            label_discard <= source.label_discard,
            "label-outlives-source",
            f"dilution {stage} label says discard after {label_discard}, its source "
            f"({source.name} mixed {source.mixed_on}) after {source.label_discard}",
        )
        self.check(
            bottle.concentration == label_concentration,
            "label-concentration",
            f"{taken} mL of {source.concentration} mg/mL + {water} mL is "
            f"{bottle.concentration} mg/mL, the label says {label_concentration}",
        )
        self.fridge.append(bottle)
        return bottle

    def pick(
        self, concentration: Fraction, volume: Fraction, mixed_on: date | None = None
    ) -> Bottle | None:
        """The bottle she uses: that concentration, in date, enough left; the oldest first."""
        fits = [
            b
            for b in self.fridge
            if b.concentration == concentration
            and b.usable(self.day, volume)
            and (mixed_on is None or b.mixed_on == mixed_on)
        ]
        return min(fits, key=lambda b: (b.label_discard, b.mixed_on), default=None)

    def describe(self) -> str:
        held = [
            f"{b.name} mixed {b.mixed_on} at {b.concentration} mg/mL, {b.left_ml} mL left, "
            f"label {b.label_discard}, spoiled after {b.spoiled_after}"
            for b in self.fridge
            if b.spoiled_after >= self.day - timedelta(days=1)
        ]
        return "she holds: " + ("; ".join(held) if held else "nothing in date")


def _first(pattern: re.Pattern[str], lines: Sequence[str]) -> re.Match[str] | None:
    for line in lines:
        found = pattern.search(line)
        if found is not None:
            return found
    return None


def _after(words: Sequence[str], option: str) -> str | None:
    for i, word in enumerate(words):
        if word == option and i + 1 < len(words):
            return words[i + 1]
        if word.startswith(option + "="):
            return word.partition("=")[2]
    return None
