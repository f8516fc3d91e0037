"""Any syringe, any dose: an answer or a refusal with a code (issue 23, fault 12)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldncalc.dose.preparation import DosePlan, make_preparation, plan_dose
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import LdncalcError, RefusedError
from tests.fuzzing import cli

F = Fraction
GRADUATIONS = [F(g) for g in ("0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2")]
GRADUATIONS += [F(1, 2), F(1)]


@st.composite
def syringes(draw: st.DrawFn) -> Syringe:
    graduation = draw(st.sampled_from(GRADUATIONS))
    marks = draw(st.integers(1, int(F(100) / graduation)))
    return Syringe(graduation * marks, graduation)


doses = st.integers(1, 50_000).map(lambda mcg: F(mcg, 1000))
waters = st.sampled_from([F(5), F(10), F(20), F(50), F(100)])


@settings(max_examples=300)
@given(syringes(), doses, waters)
def test_plan_dose_answers_or_refuses_with_a_code(
    syringe: Syringe, dose: Fraction, water: Fraction
) -> None:
    prep = make_preparation(1, 50, water)
    try:
        plan: DosePlan | LdncalcError = plan_dose(dose, prep, syringe)
    except LdncalcError as exc:
        plan = exc
    if isinstance(plan, LdncalcError):
        assert plan.code not in ("", "error", "invalid-input"), plan.code
    else:
        assert plan.measurement.syringe == syringe


def test_a_0_1_ml_syringe_refuses_a_dose_it_cannot_dilute_with_a_code() -> None:
    tiny = Syringe(F(1, 10), F(1, 1000))
    with pytest.raises(RefusedError, match="larger syringe") as caught:
        plan_dose(F(13, 1000), None, tiny)
    assert caught.value.code == "no-dilution"


def test_the_commands_of_the_report_give_one_error_line() -> None:
    for args in (
        ["dose", "13mcg", "--syringe", "0.1mL:0.001mL"],
        ["schedule", "--start", "0.038mg", "--target", "0.038mg", "--syringe", "0.1mL:0.001mL"],
    ):
        result = cli(*args)
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("Error: "), lines
        assert "internal error" not in lines[0]
