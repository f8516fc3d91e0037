"""The patient simulator: a model patient follows ``ldncalc today`` literally for months.

A carer keeps Ana's diary (``--profile ana``) in a folder of its own
(``--data-dir``); ``$LDNCALC_HOME`` points to another, empty folder, where a
command that forgets the profile or the folder would land. Every simulated day
Ana reads ``today --json`` and ``today``, runs every command it prints as
printed (mixing what it asks, recording what she took, scoring when reminded;
only ``--date D`` is added, for the simulated day), and draws the day's volume
from a bottle she really holds (tests/patient_model.py keeps her fridge). The
prescriber changes the plan at random (back, hold on any day including rise
days, resume, slower, target, dose, stop, an undo of a slip), she misses days,
and she mixes a bottle with other water. After every day:

- the liquid named is one she holds (a bottle she mixed and recorded), in date,
  with enough left, and its concentration x the volume is the dose (exact);
- no rise above the step in force, and none during a hold;
- every hint runs as printed and acts on her profile (the default one stays empty);
- no label outlives its source (a dilution's discard date <= its stock's);
- after a stop, nothing to mix or take.

A failure names the invariant, the day, and the commands that led there.
Budget: ``LDNCALC_PATIENT_EXAMPLES`` runs (20 by default, derandomized under
the ci profile; about 110 s of CPU) of at least ``LDNCALC_PATIENT_DAYS`` days
(180). To explore past a known fault, ``LDNCALC_PATIENT_TOLERATE=NAME,...``
(invariant names, or ``all``) notes those breaks instead of failing, and
``pytest -s`` lists them.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from tests.patient_model import RUNS, Patient, fraction, hints

DAYS = int(os.environ.get("LDNCALC_PATIENT_DAYS", "180"))
EXAMPLES = int(os.environ.get("LDNCALC_PATIENT_EXAMPLES", "20"))
FIRST = date(2025, 1, 6)  # every day simulated lies before the real today
RAM = "/dev/shm"
MG = Fraction(1)
MCG = Fraction(1, 1000)


@dataclass(frozen=True)
class Plan:
    """A plan she starts: its ``plan start`` words, its largest step, its doses to pick."""

    name: str
    words: tuple[str, ...]
    step_mg: Fraction
    doses: tuple[str, ...]  # for target and dose
    steps: tuple[str, ...]  # for slower --step


PLANS = (
    Plan("ldnrt-weekly", ("ldnrt-weekly",), MG, ("1mg", "2mg", "3mg", "4.5mg"), ("0.5mg", "1mg")),
    Plan(
        "0.1 to 1.5 mg by 0.2 mg",
        ("--start", "0.1mg", "--step", "0.2mg", "--every", "7d", "--target", "1.5mg"),
        Fraction(2, 10),
        ("0.3mg", "0.5mg", "1mg", "1.5mg"),
        ("0.1mg", "0.2mg"),
    ),
    Plan(
        "1 to 3 mcg",
        ("--start", "1mcg", "--step", "1mcg", "--every", "7d", "--target", "3mcg"),
        MCG,
        ("1mcg", "2mcg", "3mcg", "5mcg"),
        ("0.5mcg", "1mcg"),
    ),
)
OTHER_WATER = ("10mL", "25mL", "40mL", "100mL", "200mL")  # concentrations with an exact decimal


@dataclass
class Rules:
    """What the plan's changes allow, as docs/diary.md states them (the oracle)."""

    step_mg: Fraction
    hold_from: date | None = None
    hold_until: date | None = None  # the first day free again (hold --for)
    jumps: set[date] = field(default_factory=set)  # days of a prescriber's `dose`
    stopped: date | None = None

    def held(self, day: date) -> bool:
        return (
            self.hold_from is not None
            and self.hold_from <= day
            and (self.hold_until is None or day < self.hold_until)
        )

    def apply(self, action: str, day: date, step: Fraction | None, for_days: int | None) -> None:
        if action == "hold":
            self.hold_from = day
            self.hold_until = None if for_days is None else day + timedelta(days=for_days)
        elif action == "resume":
            self.hold_from = self.hold_until = None
        elif action == "dose":  # the prescriber's dose from that day, held until resume
            self.jumps.add(day)
            self.hold_from, self.hold_until = day, None
        elif action == "slower":
            # "climb on with --every": the prescriber's order to climb again, more
            # slowly, so it ends a hold (docs/diary.md names only resume; an oracle
            # that allows the climb flags no product that keeps the hold instead).
            self.hold_from = self.hold_until = None
            self.step_mg = self.step_mg if step is None else min(self.step_mg, step)
        elif action == "stop":
            self.stopped = day


def _dose_mg(text: str) -> Fraction:
    number = Fraction(text.removesuffix("mg").removesuffix("mcg"))
    return number * (MCG if text.endswith("mcg") else MG)


class PatientMachine(RuleBasedStateMachine):
    """Ana, her fridge, and her prescriber's changes, day after day."""

    def __init__(self) -> None:
        super().__init__()
        base = RAM if os.path.isdir(RAM) and os.access(RAM, os.W_OK) else None
        self.root = Path(tempfile.mkdtemp(prefix="ldncalc-patient-", dir=base))
        (self.root / "ana diary").mkdir()
        (self.root / "home").mkdir()
        self.patient = Patient(self.root / "ana diary", self.root / "home")
        self.clean = False  # a rule ended without raising
        self.oracle = Rules(MG)
        self.start = FIRST
        self.yesterday: Fraction | None = None  # the dose planned yesterday, as she read it
        self.next_change: date | None = None
        self.water: str | None = None  # her next stock is mixed with this water

    def teardown(self) -> None:
        try:
            if self.clean:  # every run lives its months, however few rules were drawn
                while self.patient.day < self.start + timedelta(days=DAYS):
                    self.live_day()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            for seen in dict.fromkeys(r.splitlines()[0] for r in self.patient.noted):
                print(f"tolerated: {seen}")  # LDNCALC_PATIENT_TOLERATE, with pytest -s

    # -- the rules ----------------------------------------------------------------

    @initialize(plan=st.sampled_from(PLANS), offset=st.integers(0, 60))
    def start_plan(self, plan: Plan, offset: int) -> None:
        self.plan = plan
        self.start = FIRST + timedelta(days=offset)
        self.patient.day = self.start
        self.oracle = Rules(plan.step_mg)
        ran = self.patient.mine(
            "plan", "start", *plan.words, "--start-date", self.start.isoformat()
        )
        self.patient.check(ran.code == 0, "plan-starts", ran.stderr)
        self.clean = True

    def later(self, days: int) -> date:
        return self.patient.day + timedelta(days=days)

    def open(self) -> bool:
        """Say whether her months are not over yet (dates stay before the real today)."""
        return self.patient.day < self.start + timedelta(days=DAYS + 30)

    @precondition(open)
    @rule(days=st.integers(1, 10))
    def live(self, days: int) -> None:
        self.clean = False
        for _ in range(days):
            self.live_day()
        self.clean = True

    @precondition(open)
    @rule(recorded=st.booleans())
    def miss_a_day(self, recorded: bool) -> None:
        """She forgets a dose: says so (``missed``), or records nothing."""
        self.clean = False
        self.live_day(missed="recorded" if recorded else "silent")
        self.clean = True

    @rule(water=st.sampled_from(OTHER_WATER))
    def other_water(self, water: str) -> None:
        """Her next stock is mixed with other water than the plan's."""
        self.water = water

    @precondition(lambda self: self.open() and self.oracle.stopped is None)
    @rule(
        action=st.sampled_from(["back", "hold", "resume", "slower", "target", "dose", "stop"]),
        rise_day=st.booleans(),
        pick=st.integers(0, 3),
        every=st.sampled_from([7, 10, 14, 21]),
        for_days=st.none() | st.integers(2, 14),
        undo=st.integers(0, 9),
    )
    def adjust(
        self,
        action: str,
        rise_day: bool,
        pick: int,
        every: int,
        for_days: int | None,
        undo: int,
    ) -> None:
        """The prescriber changes the plan in the morning; then she lives the day."""
        self.clean = False
        if rise_day and self.next_change is not None and self.next_change < self.later(30):
            while self.patient.day < self.next_change:
                self.live_day()
        day = self.patient.day
        words = ["plan", "adjust", action]
        step: Fraction | None = None
        if action in ("target", "dose"):
            words.append(self.plan.doses[pick])
        if action == "slower":
            words += ["--every", f"{every}d"]
            if pick % 2:
                step_text = self.plan.steps[pick // 2 % len(self.plan.steps)]
                words += ["--step", step_text]
                step = _dose_mg(step_text)
        if action == "hold" and for_days is not None:
            words += ["--for", f"{for_days}d"]
        printed = [h for h in hints(self.last_text) if " resume" in h]
        if action == "resume" and printed:  # the way out of a hold that today printed
            ran = self.patient.run_hint(printed[0]) or self.patient.mine(*words, "--date", str(day))
        else:
            ran = self.patient.mine(*words, "--date", day.isoformat())
        self.patient.check(ran.code in (0, 1), "adjust-answers", ran.stderr)
        if ran.code == 0:
            before = copy.deepcopy(self.oracle)
            self.oracle.apply(action, day, step, for_days if action == "hold" else None)
            entry = re.search(r"Recorded entry (\d+)", ran.stdout)
            if undo == 0 and entry is not None:  # a slip, undone at once
                back = self.patient.mine("undo", entry.group(1))
                self.patient.check(back.code == 0, "undo-answers", back.stderr)
                if back.code == 0:
                    self.oracle = before
        self.live_day()
        self.clean = True

    @precondition(lambda self: self.open() and self.oracle.stopped is not None)
    @rule()
    def after_the_stop(self) -> None:
        """Weeks pass after the stop: she keeps reading ``today``."""
        self.clean = False
        for _ in range(7):
            self.live_day()
        self.clean = True

    # -- one day --------------------------------------------------------------------

    last_text = ""

    def live_day(self, missed: str | None = None) -> None:
        """Read today, mix what it asks, draw the dose from a bottle she holds, record it."""
        p = self.patient
        day = p.day
        p.reads = []
        data, text = p.today(day)
        self.last_text = text
        printed = hints(text)
        for hint in printed:
            p.hint_names_profile(hint)
        stopped = self.oracle.stopped is not None and day >= self.oracle.stopped
        if stopped:
            self.check_stopped(data, printed)
        if missed is None and not stopped:
            # She mixes what today asks, then reads it again: a bottle she mixed otherwise
            # (other water) may ask for a dilution of it next (three readings at most).
            done: list[str] = []
            for _ in range(3):
                mixing = [h for h in hints(text) if h.split()[1:2] == ["mixed"] and h not in done]
                for hint in mixing:
                    done.append(hint)
                    stock = hint.split()[1:] == ["mixed"] or "--dilution" not in hint.split()
                    extra = ["--water", self.water] if stock and self.water else []
                    ran = p.run_hint(hint, extra)
                    if ran is not None and ran.code == 0:
                        p.record_label(ran)
                        if extra:
                            self.water = None
                    if extra:  # she mixed otherwise than printed: she reads today again
                        break
                if not mixing:
                    break
                data, text = p.today(day)
            self.draw(data, text)
            for hint in printed:
                if hint.split()[1:2] != ["mixed"] and hint.split()[1:2] in ([r] for r in RUNS):
                    p.run_hint(hint)
        elif missed == "recorded" and not stopped:
            p.mine("missed", "--date", day.isoformat())
        self.check_rise(day, fraction(data.get("dose_mg")))
        change = data.get("next_change")
        self.next_change = date.fromisoformat(change["date"]) if change else None
        p.day = day + timedelta(days=1)

    def draw(self, data: dict[str, Any], text: str = "") -> None:
        """Draw the day's volume from the bottle today names: hers, in date, giving the dose.

        The batch named is the bottle she takes it from (its number counts the bottles
        she recorded): what she really mixed in it, times the volume she draws, is the
        dose she takes, which must lie in the range today prints ("Could be:").
        """
        p = self.patient
        dose = fraction(data.get("dose_mg"))
        if dose is None or data.get("taken") or data.get("missed"):
            return
        concentration = fraction(data.get("concentration_mg_per_ml"))
        volume = fraction(data.get("volume_ml"))
        measured = fraction(data.get("measured_volume_ml"))
        delivered = fraction(data.get("delivered_dose_mg"))
        if concentration is None or volume is None or measured is None:
            p.check(False, "liquid-named", f"a dose of {dose} mg with no liquid or volume: {data}")
            return
        p.check(
            concentration * volume == dose,
            "volume-gives-dose",
            f"{volume} mL of {concentration} mg/mL is {concentration * volume} mg, not {dose} mg",
        )
        batch = data.get("batch")
        mixed_on = date.fromisoformat(batch["mix_date"]) if batch else None
        bottle = p.pick(concentration, measured, mixed_on)
        if batch:
            p.check(
                fraction(batch.get("concentration_mg_per_ml")) == concentration,
                "batch-is-the-liquid",
                f"today gives a volume of {concentration} mg/mL and names batch {batch}",
            )
            named = next((b for b in p.fridge if b.batch == batch["batch"]), None)
            if batch.get("recorded") and named is not None:
                p.check(
                    named.concentration == concentration,
                    "batch-is-the-liquid",
                    f"today says {measured} mL of {concentration} mg/mL from batch "
                    f"{batch['batch']}, which she mixed at {named.concentration} mg/mL "
                    f"({named.name} of {named.mixed_on}): {p.describe()}",
                )
                bottle = named if named.usable(p.day, measured) else bottle
        p.check(
            bottle is not None,
            "liquid-held",
            f"today names {data.get('liquid')} at {concentration} mg/mL, "
            f"{measured} mL, batch {batch}: {p.describe()}",
        )
        if bottle is None:
            return
        if batch:
            p.check(
                date.fromisoformat(batch["discard_date"]) <= bottle.spoiled_after,
                "label-outlives-source",
                f"today says discard {bottle.name} after {batch['discard_date']}; it was made "
                f"from a liquid spoiled after {bottle.spoiled_after}",
            )
        bottle.left_ml -= measured
        p.check(
            delivered == bottle.concentration * measured,
            "delivered-dose",
            f"{measured} mL of {bottle.concentration} mg/mL is not {delivered} mg",
        )
        could_be = re.search(r"^Could be: +([0-9.]+) to ([0-9.]+) (mg|mcg)$", text, re.M)
        if could_be is not None:  # "0.43 to 0.57 mg", "0.86 to 1.16 mcg"
            low, high = (_dose_mg(could_be.group(n) + could_be.group(3)) for n in (1, 2))
            taken = bottle.concentration * measured
            p.check(
                low <= taken <= high,
                "dose-in-range",
                f"{measured} mL of {bottle.concentration} mg/mL is {taken} mg, "
                f"today said it could be {low} to {high} mg",
            )

    def check_rise(self, day: date, dose: Fraction | None) -> None:
        p, before = self.patient, self.yesterday
        self.yesterday = dose
        if dose is None or before is None or dose <= before or day in self.oracle.jumps:
            return
        p.check(
            not self.oracle.held(day),
            "no-rise-during-hold",
            f"{before} mg yesterday, {dose} mg today, on hold since {self.oracle.hold_from}",
        )
        p.check(
            dose - before <= self.oracle.step_mg,
            "no-rise-above-step",
            f"{before} mg yesterday, {dose} mg today: more than the step {self.oracle.step_mg} mg",
        )

    def check_stopped(self, data: dict[str, Any], printed: list[str]) -> None:
        p = self.patient
        p.check(
            data.get("dose_mg") is None and not data.get("mix_today"),
            "nothing-after-stop",
            f"stopped on {self.oracle.stopped}, today gives dose {data.get('dose_mg')}, "
            f"mix_today {data.get('mix_today')}",
        )
        acts = [h for h in printed if h.split()[1:2] in (["mixed"], ["took"])]
        p.check(not acts, "nothing-after-stop", f"stopped on {self.oracle.stopped}: {acts}")


DILUTED_PLANS = (
    Plan("ldnrt-sensitive", ("ldnrt-sensitive",), Fraction(1, 2), (), ()),
    Plan(
        "0.1 to 0.5 mg by 0.1 mg",
        ("--start", "0.1mg", "--step", "0.1mg", "--every", "7d", "--target", "0.5mg"),
        Fraction(1, 10),
        (),
        (),
    ),
    PLANS[2],  # 1 to 3 mcg: two stages
)


# 0.1, 0.25, 0.5, 1, 2 and 5 mg/mL
@pytest.mark.parametrize("water", ["500mL", "200mL", "100mL", "50mL", "25mL", "10mL"])
@pytest.mark.parametrize("plan", DILUTED_PLANS, ids=lambda plan: plan.name)
def test_a_stock_of_any_strength_followed_literally_gives_the_dose(plan: Plan, water: str) -> None:
    """Her stock is mixed with other water (one 50 mg tablet): stronger or weaker than the plan's.

    She mixes what ``today`` says (a dilution of her stock when it is too strong to
    draw the dose from), draws the volume from the batch it names, and takes, from
    what is really in that bottle, the day's dose within the range printed: on every
    day of three weeks (two rises), or ``today`` refuses in one line (never here).
    """
    machine = PatientMachine()
    try:
        machine.start_plan(plan, 0)
        machine.other_water(water)
        for _ in range(22):
            machine.live_day()
        stocks = [b for b in machine.patient.fridge if b.name == "stock"]
        assert stocks[0].concentration == 50 / _dose_mg(water.replace("mL", "mg"))
    finally:
        shutil.rmtree(machine.root, ignore_errors=True)


def test_hints_are_read_as_printed() -> None:
    """The reader of hints: each command whole, quoted folders kept, prose left out."""
    text = (
        "Taken:       not yet (record it with: ldncalc took --profile ana --data-dir '/a b')\n"
        "Mix today:   batch 4 (then: ldncalc mixed --dilution, then ldncalc mixed --dilution "
        "--stage 2)\n"
        "Reminder:    score: ldncalc note --pain N --activity N (0 to 10)\n"
        "Hold:        to climb again: ldncalc plan adjust resume --profile ana.\n"
        "Error:       start one with 'ldncalc plan start'\n"
        "Informational only: ldncalc does the arithmetic"
    )
    assert hints(text) == [
        "ldncalc took --profile ana --data-dir '/a b'",
        "ldncalc mixed --dilution",
        "ldncalc mixed --dilution --stage 2",
        "ldncalc note --pain N --activity N",
        "ldncalc plan adjust resume --profile ana",
        "ldncalc plan start",
    ]


PatientMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TestPatient = PatientMachine.TestCase
