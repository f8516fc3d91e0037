"""Issue 26 item 1: the syringes she owns, chosen among (and a scale's dilution labels)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ldncalc.dose.kit import Kit, Scale
from ldncalc.dose.preparation import DosePlan, make_preparation, plan_dose
from ldncalc.dose.syringes import CATALOGUE, KNOWN_SYRINGES, Syringe
from ldncalc.errors import RefusedError
from tests.fuzzing import cli

F = Fraction
ALL_SYRINGES = CATALOGUE + KNOWN_SYRINGES
SCALE_KIT = Kit((), Scale(F(1, 10)))


def _finite_decimal(value: Fraction) -> bool:
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _plan(dose: Fraction, owned: tuple[Syringe, ...]) -> DosePlan | None:
    try:
        return plan_dose(dose, make_preparation(), kit=Kit(owned))
    except RefusedError:
        return None


def _off(plan: DosePlan) -> Fraction:
    return abs(plan.delivered_mg - plan.dose_mg) / plan.dose_mg


@pytest.mark.parametrize(
    "owned",
    [(CATALOGUE[1],), (CATALOGUE[1], CATALOGUE[4]), (CATALOGUE[0], CATALOGUE[1])],
)
def test_a_syringe_she_owns_draws_what_the_catalogue_draws_at_its_nearest_mark(
    owned: tuple[Syringe, ...],
) -> None:
    # 0.127 mL of 1 mg/mL: the 0.5 mL syringe draws 0.13 mL (+2.4%, warned); her
    # 1 mL syringe has the same 0.01 mL marks, and no dilution puts 0.127 mg on one.
    plan = plan_dose("0.127mg", make_preparation(), kit=Kit(owned))
    assert plan.delivered_mg == F(13, 100)
    assert plan.measurement.measured_ml == F(13, 100)
    assert plan.measurement.syringe.graduation_ml == F(1, 100)
    assert any(a.code == "mark-changes-dose" for a in plan.advisories)


def test_the_cli_answers_0_127_mg_with_her_1_ml_syringe() -> None:
    for extra in ([], ["--syringe", "10mL"], ["--water", "50mL"]):
        result = cli("dose", "0.127mg", "--syringe", "1mL", *extra)
        assert result.exit_code == 0, result.output
        assert "Draw to:     0.13 mL" in result.output


DOSES = st.sampled_from(
    [F(n, 1000) for n in (5, 10, 33, 50, 100, 107, 127, 150, 250, 333, 500, 770, 1000)]
    + [F(n, 10) for n in (11, 15, 23, 25, 35, 45)]
)


@settings(max_examples=40, deadline=None)
@given(
    DOSES,
    st.lists(st.sampled_from(ALL_SYRINGES), min_size=1, max_size=3, unique=True),
    st.sampled_from(ALL_SYRINGES),
)
# 1.1 mg: her 10 mL syringe (0.5 mL marks) dilutes it exactly; a 5 mL one (0.2 mL marks)
# must not turn that into its nearest mark, 1.2 mL (+9.1%).
@example(F(11, 10), [Syringe(F(10), F(1, 2))], Syringe(F(5), F(1, 5)))
# 5 mcg: her 5 mL syringe (0.1 mL marks) dilutes it; a 10 mL one (0.5 mL marks) measures
# the stages' water in fewer, coarser fills, which must not make every dilution refused.
@example(F(1, 200), [Syringe(F(5), F(1, 10))], Syringe(F(10), F(1, 2)))
@example(F(33, 1000), [Syringe(F(3), F(1, 10))], Syringe(F(5), F(1, 5)))
def test_adding_a_syringe_never_turns_an_answer_into_a_refusal(
    dose: Fraction, owned: list[Syringe], more: Syringe
) -> None:
    before = _plan(dose, tuple(owned))
    if before is None:
        return
    after = _plan(dose, (*owned, more))
    assert after is not None, (dose, owned, more)
    # Nor farther from the dose than the mark rules let a mark move it (2%, warned above).
    assert _off(after) <= max(_off(before), F(2, 100)), (dose, owned, more)


@pytest.mark.parametrize("dose", ["5mcg", "0.127mg", "10mcg"])
def test_with_a_scale_a_dilution_is_labelled_with_a_finite_decimal_when_one_meets_the_goal(
    dose: str,
) -> None:
    plan = plan_dose(dose, make_preparation(), kit=SCALE_KIT)
    assert plan.dilution
    for stage in plan.dilution:
        assert _finite_decimal(stage.concentration_mg_per_ml), stage
    assert plan.range.measuring_percent <= F(5, 2)


def test_5_mcg_with_a_scale_is_drawn_from_0_01_mg_per_ml() -> None:
    plan = plan_dose("5mcg", make_preparation(), kit=SCALE_KIT)
    assert plan.dilution[-1].concentration_mg_per_ml == F(1, 100)
    assert plan.delivered_mg == F(5, 1000)


@pytest.mark.parametrize("dose", ["1.5mg", "2.5mg", "3.5mg", "4.5mg"])
def test_many_fills_name_once_a_syringe_she_lacks_that_draws_it_in_one_good_fill(
    dose: str,
) -> None:
    owned = (CATALOGUE[1], CATALOGUE[4])  # 1 mL (0.01 mL marks) and 10 mL (0.2 mL marks)
    plan = plan_dose(dose, make_preparation(), kit=Kit(owned))
    assert plan.measurement.fills > 1
    tips = [a for a in plan.advisories if a.code == "syringe-to-get"]
    assert len(tips) == 1
    volume = plan.volume_ml
    # The syringe named is none of hers, and draws the volume exactly on a mark, in one
    # fill of more than 0.1 mL and at 20% or more of it.
    named = [s for s in ALL_SYRINGES if f"with a {s.label} syringe" in tips[0].message]
    assert len(named) == 1
    assert named[0] not in owned
    (syringe,) = named
    assert (volume / syringe.graduation_ml).denominator == 1
    assert F(1, 10) < volume <= syringe.capacity_ml
    assert volume >= syringe.capacity_ml / 5
