"""A schedule's dilutions serve every dose of their days (issue 23, fault 4).

Planned one dose at a time, the 2 mcg step of a 1 to 3 mcg plan re-mixed both
stages every day (seven one-day batches, 93.75 mL mixed to use 0.5 mL). The
checks here count batches from the plan's dates and recompute every volume
from the concentrations, independently of how the dilutions were chosen.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldncalc.diary.living import living_schedule, living_supply
from ldncalc.diary.replan import replan
from ldncalc.diary.service import Diary
from ldncalc.diary.store import Store
from ldncalc.errors import RefusedError
from ldncalc.plan.supply import SupplyPlan, liquid_of, plan_batches
from ldncalc.plan.titration import Schedule, build_schedule, custom_protocol
from ldncalc.render.rows import dilution_lines
from tests.fuzzing import cli

F = Fraction
START = date(2026, 3, 2)
MCG = F(1, 1000)


def new_dilutions_by_step(schedule: Schedule, supply: SupplyPlan) -> list[tuple[int, int, bool]]:
    """Return, for each step: its number, the dilutions mixed in it, and whether a keep ends in it.

    A keep period ends within a step when a bottle in use in it (stock or
    dilution) is discarded after a day of the step before its last.
    """
    found = []
    for step in schedule.steps:
        first, last = step.first_date, step.last_date
        mixed = [b for b in supply.batches if b.liquid != "stock" and first <= b.mix_date <= last]
        in_use = [b for b in supply.batches if b.mix_date <= last and b.last_use_date >= first]
        ends = any(first <= b.discard_date < last for b in in_use)
        found.append((step.number, len(mixed), ends))
    return found


def check_names(schedule: Schedule) -> None:
    """Two liquids of a schedule never share a name: not the drawn one, not a stage's."""
    names: dict[str, Fraction] = {}
    for step in schedule.steps:
        plan = step.plan
        liquid = liquid_of(plan)
        assert names.setdefault(liquid.name, liquid.concentration_mg_per_ml) == (
            liquid.concentration_mg_per_ml
        ), (liquid.name, names)
        for line, stage in zip(dilution_lines(plan), plan.dilution, strict=True):
            name = line.split(":", 1)[0].lower()
            assert names.setdefault(name, stage.concentration_mg_per_ml) == (
                stage.concentration_mg_per_ml
            ), (name, names)
        # concentration x volume = what is delivered; from a dilution, the dose exactly
        drawn = liquid.concentration_mg_per_ml * plan.measurement.measured_ml
        assert drawn == plan.delivered_mg
        assert drawn == plan.dose_mg or liquid.is_stock
    by_concentration: dict[Fraction, str] = {}
    for name, c in names.items():
        assert by_concentration.setdefault(c, name) == name, (c, names)


def test_1_2_and_3_mcg_are_1_2_and_3_ml_of_one_dilution() -> None:
    protocol = custom_protocol(start_mg="1mcg", step_mg="1mcg", every_days=7, target_mg="3mcg")
    schedule = build_schedule(protocol, start_date=START, hold_days=14)
    drawn = [
        (step.plan.dose_mg, step.plan.measurement.measured_ml, liquid_of(step.plan).name)
        for step in schedule.steps
    ]
    assert drawn == [
        (MCG, F(1), "dilution 2"),
        (2 * MCG, F(2), "dilution 2"),
        (3 * MCG, F(3), "dilution 2"),
    ]
    assert {liquid_of(s.plan).concentration_mg_per_ml for s in schedule.steps} == {MCG}
    supply = plan_batches(schedule)
    diluted = [b for b in supply.batches if b.liquid != "stock"]
    # Days 1-14 from one bottle (7 x 1 mL + 7 x 2 mL), days 15-28 from a second.
    assert [(b.mix_date, b.last_use_date, b.used_ml) for b in diluted] == [
        (START, START + timedelta(days=13), F(21)),
        (START + timedelta(days=14), START + timedelta(days=27), F(42)),
    ]
    assert new_dilutions_by_step(schedule, supply) == [(1, 1, False), (2, 0, False), (3, 1, False)]
    check_names(schedule)


def test_the_diary_plan_mixes_no_dilution_a_day(tmp_path: Path) -> None:
    diary = Diary(Store(tmp_path), clock=lambda: date(2026, 12, 1))
    protocol = custom_protocol(start_mg="1mcg", step_mg="1mcg", every_days=7, target_mg="3mcg")
    diary.start_plan(protocol, start_date=START, hold_days=28)
    entries = diary.entries()
    living = replan(entries)
    schedule = living_schedule(living)
    supply = living_supply(schedule, living, entries)
    for number, mixed, ends in new_dilutions_by_step(schedule, supply):
        assert mixed <= 1 or ends, (number, mixed)
    assert sum(b.liquid != "stock" for b in supply.batches) <= schedule.days // 14 + 1
    check_names(schedule)


def test_the_schedule_command_prints_one_dilution_for_the_three_steps() -> None:
    args = ["--start", "0.001mg", "--step", "0.001mg", "--every", "7d", "--target", "0.003mg"]
    result = cli("schedule", *args, "--start-date", "2026-03-02", "--json")
    assert result.exit_code == 0, result.output
    import json

    obj = json.loads(result.stdout)
    steps = [(s["dose_mg"], s["volume_ml"], s["liquid"]) for s in obj["steps"]]
    assert steps == [(0.001, 1, "dilution 2"), (0.002, 2, "dilution 2"), (0.003, 3, "dilution 2")]
    text = cli("schedule", *args, "--start-date", "2026-03-02")
    out = " ".join(text.stdout.split())
    assert "Steps at 1 mcg, 2 mcg and 3 mcg draw from a dilution of the stock:" in out
    assert out.count("draw from a dilution") == 1


def test_liquids_of_two_dilutions_are_numbered_apart() -> None:
    # 1 to 9 mcg are 1 to 9 mL of 0.001 mg/mL; 10 mcg a day would empty that bottle
    # in nine days, so it has a dilution of its own: a third liquid, a third name.
    protocol = custom_protocol(start_mg="1mcg", step_mg="9mcg", every_days=7, target_mg="10mcg")
    schedule = build_schedule(protocol, start_date=START, hold_days=14)
    names = [dilution_lines(s.plan) for s in schedule.steps]
    assert [line.split(":", 1)[0] for line in names[0]] == ["Dilution 1", "Dilution 2"]
    assert [line.split(":", 1)[0] for line in names[1]] == ["Dilution 3"]
    assert "take 1 mL of the shaken stock (1 mg/mL)" in names[1][0]
    assert [liquid_of(s.plan).name for s in schedule.steps] == ["dilution 2", "dilution 3"]
    check_names(schedule)


MICRO_MCG = st.sampled_from([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=MICRO_MCG,
    step=MICRO_MCG,
    steps=st.integers(0, 5),
    every=st.sampled_from([3, 7, 10, 14, 21]),
)
def test_a_micro_dose_schedule_mixes_at_most_one_dilution_a_step(
    start: int, step: int, steps: int, every: int
) -> None:
    target = start + step * steps
    if steps == 0:
        protocol = custom_protocol(start_mg=f"{start}mcg", target_mg=f"{start}mcg")
    else:
        protocol = custom_protocol(
            start_mg=f"{start}mcg", step_mg=f"{step}mcg", every_days=every, target_mg=f"{target}mcg"
        )
    try:
        schedule = build_schedule(protocol, start_date=START, hold_days=28)
    except RefusedError:
        return  # a dose no dilution measures: refused, nothing to mix
    supply = plan_batches(schedule)
    for number, mixed, ends in new_dilutions_by_step(schedule, supply):
        assert mixed <= 1 or ends, (number, mixed, [s.plan.dose_mg for s in schedule.steps])
    check_names(schedule)


@pytest.mark.parametrize("dose", ["2mcg", "7mcg", "0.05mg"])
def test_a_constant_micro_dose_is_not_mixed_daily(dose: str) -> None:
    schedule = build_schedule(
        custom_protocol(start_mg=dose, target_mg=dose), start_date=START, hold_days=56
    )
    supply = plan_batches(schedule)
    diluted = [b for b in supply.batches if b.liquid != "stock"]
    # A bottle a keep period (14 days): four for 56 days, none used one day only.
    assert len(diluted) == 4, [(b.mix_date, b.last_use_date) for b in diluted]
    assert all(b.last_day - b.first_day + 1 == 14 for b in diluted)
