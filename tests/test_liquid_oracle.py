"""Every volume shown beside a dose names a liquid whose concentration x volume is the dose.

The fault this guards (issue 17): a micro-dose calendar said "0.1 mg: draw 1 mL"
of the 1 mg/mL stock, ten times the dose (the 1 mL is of the 0.1 mg/mL
dilution). Each output is read here with a parser of its own (regular
expressions, ``csv``, ``json``, a hand-written iCalendar unfolding), never with
ldncalc's renderers, and on every row, line or event that pairs a volume with a
dose the named concentration times the volume must be the dose: exactly for the
exact volume, within 10% for a volume rounded to a syringe mark. A dilution's
recipe is checked the same way: aliquot x concentration / (aliquot + water).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from ldncalc.diary.codec import encode_payload
from ldncalc.diary.entries import Diluted
from ldncalc.diary.store import Store
from tests.fuzzing import cli

F = Fraction
MARK = F(1, 10)  # a volume on a syringe mark may move the dose this much (refused beyond)
NUMBER = r"(\d+(?:\.\d+)?)"
AMOUNT = NUMBER + r" (mg|mcg)"
CONCENTRATION = NUMBER + r" (mg|mcg)/mL"
DATE = ["--start-date", "2027-01-04"]
MICRO = ["--start", "0.1mg", "--step", "0.1mg", "--every", "7d", "--target", "1mg", "--hold", "2w"]
FIVE_MCG = ["--start", "5mcg", "--target", "5mcg"]
SCHEDULES = {"micro": MICRO, "five-mcg": FIVE_MCG, "ldnrt-weekly": ["ldnrt-weekly"]}


def mg(number: str, unit: str) -> Fraction:
    """Read '0.1', 'mg' (or 'mcg') as an exact amount of mg."""
    return F(number) / (1000 if unit == "mcg" else 1)


def volume_of(text: str) -> Fraction:
    """Read a draw: '4.6 mL', '9 x 0.5 mL' or '2 x 10 mL + 2.6 mL'."""
    whole = re.fullmatch(NUMBER + r" mL", text)
    if whole:
        return F(whole.group(1))
    fills = re.fullmatch(r"(\d+) x " + NUMBER + r" mL(?: \+ " + NUMBER + r" mL)?", text)
    assert fills, f"not a volume: {text!r}"
    last = F(fills.group(3)) if fills.group(3) else F(0)
    return int(fills.group(1)) * F(fills.group(2)) + last


def assert_pair(dose: Fraction, volume: Fraction, concentration: Fraction, where: str) -> None:
    """Fail unless concentration x volume is the dose within a mark's rounding."""
    assert abs(concentration * volume - dose) <= dose * MARK, (
        f"{where}: {volume} mL at {concentration} mg/mL is {concentration * volume} mg, "
        f"not {dose} mg"
    )


def run_ok(*args: str, width: int = 120, env: dict[str, str | None] | None = None) -> str:
    result = cli(*args, width=width, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


# --- the terminal ------------------------------------------------------------


def table_pairs(out: str) -> list[tuple[Fraction, Fraction, Fraction]]:
    """Return (dose, volume, concentration) of each row of the terminal's Steps table.

    A row spans several lines (cells stacked); it ends at a blank line. Its
    dose is the first amount after its dates, its volume the one followed by
    'of', its concentration the one in parentheses.
    """
    block = out.split("Steps", 1)[1].split("What each dose", 1)[0]
    body = block.split("─", 1)[1].lstrip("─\n")
    pairs = []
    for row in re.split(r"\n\s*\n", body):
        text = " ".join(row.split())
        if not text:
            continue
        dose = re.search(r"\d{4}-\d{2}-\d{2} " + AMOUNT, text)
        volume = re.search(r"((?:\d+ x )?" + NUMBER + r" mL(?: \+ [\d.]+ mL)?) of ", text)
        concentration = re.search(r"\(" + CONCENTRATION + r"\)", text)
        assert dose, text
        assert volume, f"a row without its liquid: {text!r}"
        assert concentration, f"a row without its liquid: {text!r}"
        pairs.append(
            (
                mg(dose.group(1), dose.group(2)),
                volume_of(volume.group(1)),
                mg(concentration.group(1), concentration.group(2)),
            )
        )
    return pairs


def stacked_pairs(out: str) -> list[tuple[Fraction, Fraction, Fraction]]:
    """Return (dose, volume, concentration) of each stacked step ('Dose: ...', 'Draw to: ...')."""
    steps = out.split("Steps", 1)[1].split("What each dose", 1)[0]
    doses = re.findall(r"^Dose: +" + AMOUNT + r"$", steps, re.M)
    draws = re.findall(
        r"^Draw to: +(.+?) of (?:the stock|the dilution|dilution \d) \(" + CONCENTRATION + r"\)$",
        steps,
        re.M,
    )
    assert doses, steps
    assert len(doses) == len(draws), steps
    return [
        (mg(*dose), volume_of(draw[0]), mg(draw[1], draw[2]))
        for dose, draw in zip(doses, draws, strict=True)
    ]


# --- the files -----------------------------------------------------------------


def check_csv(text: str) -> None:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for row in rows:
        dose, c = F(row["dose_mg"]), F(row["concentration_mg_per_ml"])
        assert re.fullmatch(r"stock|dilution [1-9][0-9]*", row["liquid"]), row["liquid"]
        assert c * F(row["volume_ml"]) == dose, row  # the exact volume: exactly the dose
        assert_pair(dose, F(row["measured_volume_ml"]), c, f"CSV day {row['day']}")


def check_json(obj: dict[str, Any]) -> None:
    stock = F(str(obj["preparation"]["concentration_mg_per_ml"]))
    names: dict[str, Fraction] = {}
    for step in obj["steps"]:
        dose, c = F(str(step["dose_mg"])), F(str(step["concentration_mg_per_ml"]))
        stages = step["dilution"]
        if stages:
            # Numbered among the schedule's dilutions: one name, one concentration.
            assert re.fullmatch(r"dilution [1-9][0-9]*", step["liquid"]), step["liquid"]
            assert names.setdefault(step["liquid"], c) == c, (step["liquid"], names)
            assert c == F(str(stages[-1]["concentration_mg_per_ml"]))
        else:
            assert (step["liquid"], c) == ("stock", stock)
        assert c * F(str(step["volume_ml"])) == dose, step
        assert_pair(dose, F(str(step["measured_volume_ml"])), c, f"JSON step {step['step']}")


def check_markdown(text: str) -> None:
    steps = text.split("## Steps", 1)[1].split("\n## ", 1)[0]
    rows = [r for r in steps.splitlines() if re.match(r"\| \d", r)]
    assert rows
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        dose = re.fullmatch(AMOUNT, cells[4])
        liquid = re.fullmatch(
            r"(?:the stock|the dilution|dilution \d) \(" + CONCENTRATION + r"\)", cells[5]
        )
        assert dose, row
        assert liquid, row
        assert_pair(mg(*dose.groups()), volume_of(cells[6]), mg(*liquid.groups()), row)


def unfolded_events(text: str) -> list[dict[str, str]]:
    """Read an iCalendar file's events: lines unfolded (RFC 5545), text unescaped."""
    lines = re.sub(r"\r?\n[ \t]", "", text).splitlines()
    events: list[dict[str, str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and ":" in line and not line.startswith("END:"):
            name, _, value = line.partition(":")
            unescaped = re.sub(r"\\([,;\\])", r"\1", value).replace("\\n", "\n")
            events[-1][name.split(";")[0]] = unescaped
    return events


def check_stage_lines(text: str, where: str) -> int:
    """Check every 'take A mL of the shaken X (C1) ... add W mL ... T mL at C2'; count them."""
    stages = re.findall(
        r"take " + NUMBER + r" mL of the shaken [a-z0-9 ]+ \(" + CONCENTRATION + r"\).*?add "
        + NUMBER + r" mL of water.*?shake: " + NUMBER + r" mL at " + CONCENTRATION,
        text,
    )  # fmt: skip
    for a, c1, u1, w, total, c2, u2 in stages:
        assert F(a) + F(w) == F(total), where
        assert mg(c1, u1) * F(a) / F(total) == mg(c2, u2), where
    return len(stages)


def check_ics(text: str) -> None:
    events = unfolded_events(text)
    doses = 0
    for event in events:
        summary, description = event["SUMMARY"], event["DESCRIPTION"]
        drawn = re.fullmatch(
            r"LDN " + AMOUNT + r": draw (.+?) of (?:the stock|the dilution|dilution \d) \("
            + CONCENTRATION + r"\)",
            summary,
        )  # fmt: skip
        if drawn:
            doses += 1
            dose = mg(drawn.group(1), drawn.group(2))
            assert_pair(
                dose, volume_of(drawn.group(3)), mg(drawn.group(4), drawn.group(5)), summary
            )
            said = re.search(
                AMOUNT + r" daily = (.+?) of (?:the stock|the dilution|dilution \d) \("
                + CONCENTRATION + r"\)",
                description,
            )  # fmt: skip
            assert said, description
            assert mg(said.group(1), said.group(2)) == dose
            assert_pair(
                dose, volume_of(said.group(3)), mg(said.group(4), said.group(5)), description
            )
            check_stage_lines(description, summary)
        else:
            assert "draw" not in summary, summary
        if re.search(r"Mix batch \d+ \(dilution of batch \d+\)", summary):
            # The dilution's own recipe, never the stock's tablets.
            assert "tablet" not in description, description
            assert check_stage_lines(description, summary) >= 1, description
    assert doses


def check_html(text: str) -> None:
    rows = re.findall(r'<tr class="step">(.*?)</tr>', text, re.S)
    assert rows
    doses = set()
    for row in rows:
        dose = re.search(r"<td class='big'>" + AMOUNT + "</td>", row)
        draw = re.search(
            r"<span class='big'>(.+?)</span><br><span class='small'>of "
            r"(?:the stock|the dilution|dilution \d) \(" + CONCENTRATION + r"\)</span>",
            row,
        )
        assert dose, row
        assert draw, row
        doses.add(mg(*dose.groups()))
        assert_pair(mg(*dose.groups()), volume_of(draw.group(1)), mg(draw[2], draw[3]), row)
    # The calendar's days: each volume names its liquid, and makes one of the doses.
    days = re.findall(
        r'<span class="vol">(.+?)</span><span class="box"></span><br><span class="small">of '
        r"(?:the stock|the dilution|dilution \d) \(" + CONCENTRATION + r"\)</span>",
        text,
    )
    assert len(days) == text.count('<span class="vol">')
    for volume, number, unit in days:
        made = mg(number, unit) * volume_of(volume)
        assert any(abs(made - d) <= d * MARK for d in doses), (volume, number, unit)


def schedule_outputs(args: list[str], tmp: Path) -> None:
    """Run the schedule in every format and check each with its oracle."""
    table = run_ok("schedule", *args, *DATE, width=120)
    pairs = table_pairs(table)
    assert pairs
    for dose, volume, concentration in pairs:
        assert_pair(dose, volume, concentration, "terminal")
    stacked = stacked_pairs(run_ok("schedule", *args, *DATE, width=50))
    assert stacked == pairs
    check_csv(run_ok("schedule", *args, *DATE, "--format", "csv"))
    check_json(json.loads(run_ok("schedule", *args, *DATE, "--json")))
    check_markdown(run_ok("schedule", *args, *DATE, "--format", "markdown"))
    ics, html = tmp / "s.ics", tmp / "s.html"
    run_ok("schedule", *args, *DATE, "--ics", str(ics), "--html", str(html), "--force")
    check_ics(ics.read_text(encoding="utf-8"))
    check_html(html.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_every_schedule_output_pairs_each_volume_with_its_liquid(name: str, tmp_path: Path) -> None:
    schedule_outputs(SCHEDULES[name], tmp_path)


def test_the_micro_dose_calendar_draws_the_first_step_from_the_dilution(tmp_path: Path) -> None:
    # The issue's own example: 0.1 mg is 1 mL of 0.1 mg/mL (1 mL of stock, 9 mL of water).
    path = tmp_path / "m.ics"
    run_ok("schedule", *MICRO, *DATE, "--ics", str(path))
    summaries = [e["SUMMARY"] for e in unfolded_events(path.read_text(encoding="utf-8"))]
    assert "LDN 0.1 mg: draw 1 mL of the dilution (0.1 mg/mL)" in summaries
    assert "LDN 1 mg: draw 1 mL of the stock (1 mg/mL)" in summaries


DOSES = st.sampled_from(["5mcg", "10mcg", "50mcg", "0.1mg", "0.25mg", "0.5mg", "1mg", "1.5mg"])


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=DOSES, step=DOSES, target=DOSES)
def test_any_small_schedule_pairs_each_volume_with_its_liquid(
    start: str, step: str, target: str, tmp_path: Path
) -> None:
    args = ["--start", start, "--step", step, "--every", "14d", "--target", target, "--hold", "2w"]
    if cli("schedule", *args, *DATE, "--json").exit_code != 0:
        reject()  # a start above the target, or a climb too long: refused, not printed
    schedule_outputs(args, tmp_path)


# --- the diary: plan show, today, the label ------------------------------------


@pytest.fixture
def diary(tmp_path: Path) -> dict[str, str | None]:
    """A 50 mcg plan (+50 mcg weekly to 0.5 mg) from 2026-03-02, its stock recorded that day."""
    env: dict[str, str | None] = {"LDNCALC_HOME": str(tmp_path / "home")}
    run_ok(
        "plan", "start", "--start", "0.05mg", "--step", "0.05mg", "--every", "7d",
        "--target", "0.5mg", "--start-date", "2026-03-02", env=env,
    )  # fmt: skip
    label = run_ok("mixed", "--date", "2026-03-02", env=env)
    # The label names the liquid: 50 mg in 50 mL is 1 mg/mL.
    recipe = re.search(
        r"(\d+) x " + AMOUNT + r" tablets? in " + NUMBER + r" mL = " + CONCENTRATION, label
    )
    assert recipe, label
    n, strength, unit, water, c, c_unit = recipe.groups()
    assert int(n) * mg(strength, unit) / F(water) == mg(c, c_unit)
    assert f"Concentration: {c} {c_unit}/mL" in label
    return env


def today_text_pair(out: str) -> tuple[Fraction, Fraction, Fraction, str]:
    text = " ".join(out.split())
    dose = re.search(r"Dose: (?:step \d+: )?" + AMOUNT, text)
    draw = re.search(
        r"Draw: (.+?) of (the stock|the dilution|dilution \d) \(" + CONCENTRATION + r"\)", text
    )
    assert dose, out
    assert draw, out
    return mg(*dose.groups()), volume_of(draw.group(1)), mg(draw[3], draw[4]), draw[2]


def test_plan_show_and_today_pair_each_volume_with_its_liquid(diary: dict[str, str | None]) -> None:
    for dose, volume, concentration in table_pairs(run_ok("plan", "show", env=diary)):
        assert_pair(dose, volume, concentration, "plan show")
    for day in ("2026-03-02", "2026-03-09", "2026-03-16"):  # 50 mcg, 0.1 mg (diluted), 0.15 mg
        dose, volume, concentration, liquid = today_text_pair(
            run_ok("today", "--date", day, env=diary)
        )
        assert_pair(dose, volume, concentration, f"today {day}")
        obj = json.loads(run_ok("today", "--date", day, "--json", env=diary))
        c = F(str(obj["concentration_mg_per_ml"]))
        assert c == concentration
        assert F(str(obj["dose_mg"])) == dose
        assert c * F(str(obj["volume_ml"])) == dose
        assert_pair(dose, F(str(obj["measured_volume_ml"])), c, f"today --json {day}")
        stages = obj["dilution"]
        if stages:
            assert (obj["liquid"], liquid) == (f"dilution {len(stages)}", "the dilution")
            assert F(str(stages[-1]["concentration_mg_per_ml"])) == c
        else:
            assert (obj["liquid"], liquid, c) == ("stock", "the stock", F(1))


def test_a_dilution_recorded_as_today_asks_leaves_nothing_to_mix(
    diary: dict[str, str | None],
) -> None:
    # 0.1 mg: 2 mL of the 0.05 mg/mL dilution the 50 mcg step uses; its bottle of
    # 03-02 holds too little for 03-14, so a new one is mixed that day, and kept no
    # longer than the stock it is made from (discarded after 03-15).
    day = "2026-03-14"
    before = " ".join(run_ok("today", "--date", day, env=diary).split())
    assert (
        "Mix today: batch 2, dilution 1 of batch 1: 1 mL of the stock (1 mg/mL) + 19 mL of "
        "water = 0.05 mg/mL; discard after 2026-03-15 (then: ldncalc mixed --dilution "
        "--date 2026-03-14)"
    ) in before
    stage = json.loads(run_ok("today", "--date", day, "--json", env=diary))["dilution"][0]
    # Record exactly what it asks: 1 mL of the 1 mg/mL stock in 19 mL of water.
    assert (stage["aliquot_ml"], stage["water_ml"], stage["from_concentration_mg_per_ml"]) == (
        1,
        19,
        1,
    )
    folder = diary["LDNCALC_HOME"]
    assert folder is not None
    kind, payload = encode_payload(Diluted(F(1), F(1), F(19), keep_days=14))
    with Store(folder).transaction() as tx:
        tx.append(kind, date_of(day), payload)
    after = run_ok("today", "--date", day, env=diary)
    assert "Mix today" not in after
    assert (
        "Bottle: batch 2, dilution 1 of batch 1, mixed 2026-03-14 (recorded), discard after"
    ) in " ".join(after.split())
    assert "Draw:        2 mL of the dilution (0.05 mg/mL)" in after
    assert json.loads(run_ok("today", "--date", day, "--json", env=diary))["mix_today"] is False


def test_a_dilution_recorded_at_another_strength_is_never_drawn_from(
    diary: dict[str, str | None],
) -> None:
    day = "2026-03-14"  # a dilution is due (see above)
    folder = diary["LDNCALC_HOME"]
    assert folder is not None
    # 1 mL of stock in 4 mL of water: 0.2 mg/mL, four times the plan's 0.05 mg/mL.
    kind, payload = encode_payload(Diluted(F(1), F(1), F(4), keep_days=14))
    with Store(folder).transaction() as tx:
        tx.append(kind, date_of(day), payload)
    out = " ".join(run_ok("today", "--date", day, env=diary).split())
    assert (
        "Warning: the dilution recorded on 2026-03-14 is 0.2 mg/mL, not the plan's 0.05 mg/mL: "
        "do not draw today's volume from it; mix the plan's dilution and record it: "
        "ldncalc mixed --dilution --date 2026-03-14"
    ) in out
    assert "Mix today: batch 3, dilution 1 of batch 1: 1 mL of the stock (1 mg/mL)" in out
    assert "(recorded)" not in out


def date_of(text: str) -> date:
    return date.fromisoformat(text)
