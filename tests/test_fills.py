"""Fills add up, and no fill of a draw is where syringes stop measuring well (issue 23, 13)."""

from __future__ import annotations

import re
from fractions import Fraction
from math import ceil

from hypothesis import given, settings
from hypothesis import strategies as st

from ldncalc.dose.preparation import make_preparation, plan_dose
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import LdncalcError
from ldncalc.render.rows import draw_to_text
from tests.fuzzing import cli

F = Fraction
_PART = re.compile(r"(?:(\d+) x )?(\d+(?:\.\d+)?) mL")


def added_up(text: str) -> tuple[Fraction, int]:
    """Read '2 x 0.56 mL + 0.55 mL' back: the total and how many fills (the oracle)."""
    total, count = F(0), 0
    for part in text.split(" + "):
        match = _PART.fullmatch(part)
        assert match is not None, text
        n = int(match[1] or 1)
        total += n * F(match[2])
        count += n
    return total, count


def measured_well(fill: Fraction, syringe: Syringe) -> bool:
    return fill > F(1, 10) and 5 * fill >= syringe.capacity_ml


syringes = st.sampled_from(
    [
        Syringe(F(1, 2), F(1, 100)),
        Syringe(F(1), F(1, 100)),
        Syringe(F(1), F(1, 50)),
        Syringe(F(3), F(1, 10)),
        Syringe(F(5), F(1, 5)),
        Syringe(F(10), F(1, 5)),
        Syringe(F(1, 5), F(1, 100)),
    ]
)


@settings(max_examples=300)
@given(syringes, st.integers(100, 30_000).map(lambda mcg: F(mcg, 1000)))
def test_the_fills_of_a_draw_add_up_and_small_fills_are_warned(
    syringe: Syringe, dose: Fraction
) -> None:
    try:
        plan = plan_dose(dose, make_preparation(1, 50, 50), syringe)
    except LdncalcError:
        return
    m = plan.measurement
    fills = m.fill_volumes_ml
    total, count = added_up(draw_to_text(plan))
    assert total == m.measured_ml
    assert count == len(fills) == m.fills == max(1, ceil(m.measured_ml / syringe.capacity_ml))
    assert sum(fills) == m.measured_ml
    for fill in fills:
        assert (fill / syringe.graduation_ml).denominator == 1
        assert 0 < fill <= syringe.capacity_ml
    small = [f for f in fills if not measured_well(f, syringe)]
    codes = {a.code for a in plan.advisories}
    if m.fills > 1 and small:
        assert "small-fill" in codes, (fills, codes)
        # Even fills were tried first: they differ by one mark at most.
        assert max(fills) - min(fills) <= syringe.graduation_ml
    if "small-fill" in codes:
        assert small


def test_1_1_mg_on_a_1_ml_syringe_is_two_even_fills() -> None:
    result = cli("dose", "1.1mg", "--syringe", "1mL")
    assert result.exit_code == 0, result.output
    assert "Draw to:     2 x 0.55 mL\n" in result.stdout
    assert "+ 0.1 mL" not in result.stdout


def test_the_water_of_a_dilution_adds_up() -> None:
    result = cli("dose", "5mcg")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    found = re.search(r"add (\d+) mL of water \((.+?), with the 10 mL", text)
    assert found is not None, text
    total, count = added_up(found[2])
    assert total == int(found[1]) == 99
    assert count == 10
