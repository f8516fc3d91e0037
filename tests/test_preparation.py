from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.dose.accuracy import bounds_text
from ldncalc.dose.preparation import (
    DosePlan,
    Preparation,
    dose_for_volume,
    make_preparation,
    plan_dose,
    volume_for_dose,
)
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import ArgumentTypeError, InvalidInputError, LdncalcError, RefusedError
from ldncalc.units import quantity
from tests.fuzzing import NO_DILUTION, cli, expect_dose
from tests.safe_notation import assert_safe

F = Fraction


def codes(plan: DosePlan) -> set[str]:
    return {a.code for a in plan.advisories}


def test_common_recipe_one_tablet_in_50_ml_gives_4_5_ml_for_4_5_mg() -> None:
    prep = make_preparation()
    assert prep == Preparation(1, F(50), F(50))
    assert prep.total_mg == 50
    assert prep.concentration_mg_per_ml == 1
    assert prep.label == "1 x 50 mg tablet in 50 mL = 1 mg/mL"
    plan = plan_dose("4.5 mg", prep)
    assert plan.volume_ml == F(9, 2)
    assert plan.preparation == prep


def test_4_5_mg_on_the_5_ml_syringe_snaps_to_4_6_and_says_so() -> None:
    plan = plan_dose("4.5 mg")
    assert plan.measurement.syringe.capacity_ml == 5
    assert plan.measurement.measured_ml == F(23, 5)
    assert plan.delivered_mg == F(23, 5)
    assert plan.error == F(1, 45)
    assert codes(plan) == {"mark-changes-dose"}
    assert not plan.measurement.on_mark
    assert not plan.measurement.good


def test_4_5_mg_on_a_0_1_ml_syringe_is_exact() -> None:
    plan = plan_dose("4.5 mg", syringe=Syringe(F(5), F(1, 10)))
    assert plan.measurement.measured_ml == F(9, 2)
    assert plan.error == 0
    assert codes(plan) == set()
    assert plan.measurement.on_mark
    assert plan.measurement.good


def test_5_mg_per_ml_would_give_0_1_ml_for_0_5_mg_so_it_is_diluted() -> None:
    # 0.1 mL is where oral syringes are inaccurate: 1 mL of stock in 10 mL is 0.5 mg/mL,
    # and 1 mL of that is the dose.
    prep = make_preparation(water_ml="10 mL")
    assert prep.concentration_mg_per_ml == 5
    plan = plan_dose("0.5 mg", prep)
    [stage] = plan.dilution
    assert (stage.aliquot_ml, stage.water_ml, stage.total_ml) == (F(1), F(9), F(10))
    assert stage.concentration_mg_per_ml == F(1, 2)
    assert plan.drawn_concentration_mg_per_ml == F(1, 2)
    assert plan.volume_ml == 1
    assert plan.measurement.measured_ml * F(1, 2) == plan.delivered_mg == F(1, 2)
    assert plan.measurement.good
    assert plan.error == 0


def test_a_concentration_states_the_preparation_and_the_water_is_on_a_mark() -> None:
    assert make_preparation(concentration_mg_per_ml="5 mg/mL") == Preparation(1, F(50), F(10))
    assert make_preparation(concentration_mg_per_ml=5) == Preparation(1, F(50), F(10))
    assert make_preparation(concentration_mg_per_ml=5).advisories == ()
    # 20 mg/mL: 2.5 mL, on the 3 mL syringe's 0.1 mL marks: kept.
    assert make_preparation(concentration_mg_per_ml=20).water_ml == F(5, 2)
    # 2 x 50 mg at 3 mg/mL: 100/3 = 33.33 mL, on no mark; 166.67 marks of 0.2 mL round
    # to 167: 33.4 mL, and 100 mg in it is 2.994 mg/mL, exactly 500/167.
    prep = make_preparation(2, concentration_mg_per_ml=F(3))
    assert prep.water_ml == F(334, 10)
    assert prep.concentration_mg_per_ml == F(500, 167)
    assert prep.label == "2 x 50 mg tablets in 33.4 mL = ≈2.994 mg/mL"


@pytest.mark.parametrize(
    ("concentration", "water", "message"),
    [
        # 50/3 = 16.667 mL: 83.33 marks of 0.2 mL, 83 marks = 16.6 mL; 50/16.6 = 3.0120,
        # 3.0120/3 - 1 = +0.40%.
        ("3 mg/mL", F(166, 10), "3 mg/mL needs ≈16.67 mL of water, which no syringe mark "
         "measures: 16.6 mL gives ≈3.012 mg/mL (≈+0.4%)"),
        # 50/7 = 7.1429 mL: 35.71 marks, 36 marks = 7.2 mL; 50/7.2 = 6.9444, -0.79%.
        ("7 mg/mL", F(72, 10), "7 mg/mL needs ≈7.143 mL of water, which no syringe mark "
         "measures: 7.2 mL gives ≈6.944 mg/mL (≈-0.79%)"),
        # 50/0.3 = 166.67 mL: 833.33 marks, 833 marks = 166.6 mL; 50/166.6 = 0.30012.
        ("0.3 mg/mL", F(1666, 10), "0.3 mg/mL needs ≈166.7 mL of water, which no syringe "
         "mark measures: 166.6 mL gives ≈0.3001 mg/mL (≈+0.04%)"),
    ],
)  # fmt: skip
def test_a_concentration_whose_water_no_mark_measures_is_rounded_and_says_so(
    concentration: str, water: Fraction, message: str
) -> None:
    prep = make_preparation(concentration_mg_per_ml=concentration)
    assert prep.water_ml == water
    assert prep.concentration_mg_per_ml == 50 / water
    assert [(a.code, a.message) for a in prep.advisories] == [("water-on-mark", message)]
    assert_safe(message)
    # The same recipe given as water is the same preparation, with nothing to say.
    assert prep == make_preparation(water_ml=water)
    assert make_preparation(water_ml=water).advisories == ()


@pytest.mark.parametrize(
    ("before", "command"),
    [
        ([], ["schedule"]),
        ([], ["plan", "start"]),
        (["plan", "start"], ["mixed"]),
    ],
)
def test_every_command_with_a_concentration_says_its_water_was_put_on_a_mark(
    before: list[str], command: list[str], tmp_path: Any
) -> None:
    env: dict[str, str | None] = {"LDNCALC_HOME": str(tmp_path)}
    if before:
        assert cli(*before, env=env).exit_code == 0
    result = cli(*command, "--concentration", "3mg/mL", width=300, env=env)
    assert result.exit_code == 0, result.output
    # A recording's warnings follow its confirmation on stdout, as took's do.
    shown = result.stdout if command == ["mixed"] else result.stderr
    assert (
        "Warning: 3 mg/mL needs ≈16.67 mL of water, which no syringe mark measures: "
        "16.6 mL gives ≈3.012 mg/mL (≈+0.4%)" in shown
    )


def test_dose_warns_that_its_water_was_put_on_a_mark_with_its_other_warnings() -> None:
    # 50/3 mL on no mark: 16.6 mL; 3 mg of 50/16.6 mg/mL is 0.996 mL, drawn to 1 mL
    # (0.01 mL marks), which holds 50/16.6 = 3.012 mg.
    message = (
        "3 mg/mL needs ≈16.67 mL of water, which no syringe mark measures: 16.6 mL gives "
        "≈3.012 mg/mL (≈+0.4%)"
    )
    result = cli("dose", "3mg", "--concentration", "3mg/mL", width=300)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Preparation: 1 x 50 mg tablet in 16.6 mL = ≈3.012 mg/mL" in result.stdout
    assert f"Warning: {message}" in result.stdout
    as_json = cli("dose", "3mg", "--concentration", "3mg/mL", "--json")
    assert as_json.stderr == ""
    obj = json.loads(as_json.stdout)
    assert obj["preparation"]["water_ml"] == 16.6
    assert {"code": "water-on-mark", "message": message} in obj["warnings"]


def test_4500_mcg_is_4_5_mg() -> None:
    assert plan_dose("4500 mcg") == plan_dose("4.5 mg")


def test_a_small_fill_of_the_only_syringe_is_diluted() -> None:
    # 0.5 mL is a sixth of a 3 mL syringe (errors above 5% are likely under a fifth):
    # 3 mL of stock in 15 mL is 0.2 mg/mL, and 2.5 mL of that is the dose.
    syringe = Syringe(F(3), F(1, 10))
    plan = plan_dose("0.5 mg", syringe=syringe)
    [stage] = plan.dilution
    assert (stage.aliquot_ml, stage.water_ml, stage.concentration_mg_per_ml) == (
        F(3),
        F(12),
        F(1, 5),
    )
    assert stage.aliquot_syringe == syringe
    assert plan.measurement.measured_ml == F(5, 2)
    assert plan.measurement.syringe == syringe
    assert plan.measurement.good
    assert plan.delivered_mg == F(1, 2)


def test_a_very_low_dose_is_diluted_in_two_stages() -> None:
    # 4 mcg is 0.004 mL of the usual stock: 1 mL in 2 mL (0.5 mg/mL), then 1 mL of
    # that in 100 mL (0.005 mg/mL), of which 0.8 mL is the dose.
    plan = plan_dose("0.004 mg")
    first, second = plan.dilution
    assert (first.aliquot_ml, first.water_ml, first.concentration_mg_per_ml) == (
        F(1),
        F(1),
        F(1, 2),
    )
    assert (second.aliquot_ml, second.water_ml) == (F(1), F(99))
    assert second.concentration_mg_per_ml == F(1, 200)
    assert second.from_concentration_mg_per_ml == first.concentration_mg_per_ml
    assert plan.volume_ml == F(4, 5)
    assert plan.delivered_mg == F(1, 250)
    assert plan.range.low_mg < plan.delivered_mg < plan.range.high_mg


def test_multiple_fills_warning() -> None:
    plan = plan_dose("4.5 mg", make_preparation(water_ml="250 mL"))
    m = plan.measurement
    assert (m.fills, m.full_fills, m.last_fill_ml) == (3, 2, F(13, 5))
    assert "multiple-fills" in codes(plan)
    assert not m.good


def test_a_mark_that_changes_the_dose_by_more_than_10_percent_is_refused() -> None:
    # 1 mL on marks 0.6 mL apart: 1.67 marks, to 2: the nearest mark, 1.2 mL, is +20%.
    with pytest.raises(RefusedError) as info:
        plan_dose("1 mg", syringe=Syringe(F(3), F(3, 5)))
    assert info.value.code == "mark-too-coarse"
    assert str(info.value) == (
        "the nearest mark (1.2 mL on the 3 mL (0.6 mL marks) syringe) changes 1 mg by +20%, "
        "more than 10%; a 1 mL (0.01 mL marks) syringe puts it on a mark: 0.88 to 1.12 mg"
    )  # 0.9 x 50 x 0.995 / 50.5 = 0.887 and 1.1 x 50 x 1.005 / 49.5 = 1.117, outward


@pytest.mark.parametrize(
    ("dose", "syringe", "change"),
    [
        # 4.9 mL on marks 0.5 mL apart: 5 mL, +1/49 (2.04%), just past the 2% line.
        ("4.9 mg", Syringe(F(10), F(1, 2)), F(1, 49)),
        # 0.95 mL on 0.2 mL marks: 4.75 marks, half up to 5: 1 mL, +1/19 (5.26%).
        ("0.95 mg", Syringe(F(3), F(1, 5)), F(1, 19)),
        # 1 mL on 0.55 mL marks: 1.82 marks, to 2: 1.1 mL, +10% exactly (the tablet's tolerance).
        ("1 mg", Syringe(F(11, 5), F(11, 20)), F(1, 10)),
        # 1 mL on 0.45 mL marks: 2.22 marks, to 2: 0.9 mL, -10% exactly.
        ("1 mg", Syringe(F(9, 5), F(9, 20)), F(-1, 10)),
        # On a mark: nothing to say.
        ("2.5 mg", Syringe(F(10), F(1, 2)), F(0)),
        ("0.25 mg", Syringe(F(1, 2), F(1, 20)), F(0)),
    ],
)
def test_a_mark_change_over_2_percent_is_warned_up_to_10_percent(
    dose: str, syringe: Syringe, change: Fraction
) -> None:
    plan = plan_dose(dose, syringe=syringe)
    assert plan.measurement.change == change
    assert plan.error == change
    assert ("mark-changes-dose" in codes(plan)) == (abs(change) > F(2, 100))


def test_a_mark_change_just_over_10_percent_is_refused() -> None:
    # 0.45 mL on 0.1 mL marks: 4.5 marks, half up to 5: 0.5 mL, +1/9 (11.1%).
    with pytest.raises(RefusedError, match=r"changes 0.45 mg by .*, more than 10%") as info:
        plan_dose("0.45 mg", syringe=Syringe(F(2), F(1, 10)))
    assert info.value.code == "mark-too-coarse"
    # 1 mL on 0.6 mL marks: 1.67 marks, to 2: 1.2 mL, +20%.
    with pytest.raises(RefusedError, match=r"by \+20%, more than 10%"):
        plan_dose("1 mg", syringe=Syringe(F(3), F(3, 5)))


@pytest.mark.parametrize(
    ("text", "code"),
    [("0.25 mg", "dose-below-range"), ("4.8 mg", "dose-above-range"), ("6 mg", "dose-above-5mg")],
)
def test_dose_range_warnings(text: str, code: str) -> None:
    assert code in codes(plan_dose(text))


def test_usual_doses_have_no_range_warning() -> None:
    for text in ["0.5 mg", "1.5 mg", "4.5 mg"]:
        assert not {"dose-below-range", "dose-above-range"} & codes(plan_dose(text))


def test_a_bare_number_is_noted_as_read_in_mg() -> None:
    plan = plan_dose("4.5")
    [note] = [a for a in plan.advisories if a.code == "read-as-mg"]
    assert note.message == "4.5 was read as 4.5 mg"
    assert "read-as-mg" not in codes(plan_dose("4.5 mg"))
    assert "read-as-mg" not in codes(plan_dose(F(9, 2)))  # a number in dose_mg is mg by name


def test_a_bare_number_in_exponent_notation_is_noted_as_read_in_mg() -> None:
    # "45e-1" names no unit: its "e" is the exponent's.
    assert "read-as-mg" in codes(plan_dose("45e-1"))


def test_a_microgram_dose_like_a_usual_mg_dose_is_questioned() -> None:
    plan = plan_dose("4.5 mcg", make_preparation(water_ml="1000 mL"))
    [note] = [a for a in plan.advisories if a.code == "mcg-or-mg"]
    assert "did you mean 4.5 mg?" in note.message


@pytest.mark.parametrize(
    ("text", "fragment", "code"),
    [
        # A hundredfold slip is as likely as a tenfold one: 60 mg may be 0.6 mg.
        ("60 mg", "more than the whole preparation holds (50 mg); did you mean 0.6 mg?", None),
        ("4.5 kg", "(50 mg); check the dose, or dissolve more tablets", "more-than-bottle"),
        ("450 mg", "did you mean 4.5 mg?", "more-than-bottle"),
        ("4500 mg", "did you mean 4.5 mg?", "more-than-bottle"),
        ("0.0009 mg", "0.9 mcg is an ultra-low dose (below 1 mcg)", "ultra-low-dose"),
        ("0.000001 mg", "; a compounding pharmacy makes those", "ultra-low-dose"),
    ],
)
def test_refusals(text: str, fragment: str, code: str | None) -> None:
    with pytest.raises(RefusedError) as info:
        plan_dose(text)
    assert fragment in str(info.value)
    if code is not None:
        assert info.value.code == code


def test_a_mark_beyond_the_bottle_is_refused() -> None:
    # 2 x 50 mg in 5 mL (20 mg/mL): 99.9 mg is 4.995 mL, on a 0.001 mL mark.
    prep = make_preparation(2, water_ml="5 mL")
    plan = plan_dose("99.9 mg", prep, Syringe(F(5), F(1, 1000)))
    assert plan.measurement.measured_ml == F(4995, 1000)
    # All 100 mg is 5 mL, whose nearest mark 1.1 mL apart is 5.5 mL: more than the bottle.
    with pytest.raises(RefusedError, match="is more than the stock holds") as info:
        plan_dose("100 mg", prep, Syringe(F(11), F(11, 10)))
    assert info.value.code == "more-than-bottle"


def test_above_solubility_is_refused() -> None:
    with pytest.raises(RefusedError, match="solubility") as info:
        make_preparation(water_ml="0.1 mL")
    assert info.value.code == "above-solubility"
    assert "use at least 0.5 mL of water" in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"tablets": 0}, "tablets must be 1 to 10, not 0"),
        ({"tablets": 11}, "tablets must be 1 to 10, not 11"),
        ({"strength_mg": "500 mg"}, "at most 100 mg"),
        ({"water_ml": "2 L"}, "at most 1000 mL"),
        ({"water_ml": "50 mg"}, "is a dose"),
        ({"water_ml": "5 mg/mL"}, "is a concentration"),
        ({"water_ml": 0}, "water_ml must be more than zero, not 0 mL"),
        ({"concentration_mg_per_ml": "5 mg"}, "is a dose"),
        ({"water_ml": 50, "concentration_mg_per_ml": 1}, "not both"),
    ],
)
def test_preparation_checks(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        make_preparation(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"tablets": True}, "tablets must be a whole number (1 to 10), not True"),
        ({"tablets": 1.0}, "tablets must be a whole number"),
        ({"tablets": "2"}, "tablets must be a whole number"),
        ({"water_ml": 100.0}, "water_ml=100.0: give amounts as text or an exact number"),
        ({"strength_mg": 50.0}, "(a float is not exact)"),
        ({"concentration_mg_per_ml": 5.0}, "(a float is not exact)"),
        ({"water_ml": [100]}, "not list"),
    ],
)
def test_preparation_refuses_types_it_does_not_take(kwargs: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ArgumentTypeError) as info:
        make_preparation(**kwargs)
    assert fragment in str(info.value)
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, LdncalcError)


def test_library_messages_name_no_command_and_no_option() -> None:
    # The CLI adds its hints; the library speaks of the domain (issue 11).
    messages = [a.message for a in plan_dose("4.5 mg").advisories]
    for call in (
        lambda: plan_dose("1 mg", syringe=Syringe(F(3), F(3, 5))),
        lambda: plan_dose("0.000001 mg"),
        lambda: make_preparation(water_ml="0.1 mL"),
        lambda: make_preparation(water_ml=50, concentration_mg_per_ml=1),
    ):
        with pytest.raises(LdncalcError) as info:
            call()
        messages.append(str(info.value))
    for message in messages:
        assert "ldncalc" not in message, message
        assert "--" not in message, message


def test_volume_and_dose_accept_every_kind_of_amount() -> None:
    prep = make_preparation(water_ml=100)
    for dose in ("1.5 mg", "1500 mcg", F(3, 2), Decimal("1.5"), quantity(F(3, 2), "mg")):
        assert volume_for_dose(prep, dose) == 3
    for volume in ("3 mL", "0.003 L", 3, Decimal("3"), quantity(3, "mL")):
        assert dose_for_volume(prep, volume) == F(3, 2)
    with pytest.raises(ArgumentTypeError):
        volume_for_dose(prep, 1.5)  # type: ignore[arg-type]


tablets = st.integers(1, 3)
waters = st.integers(5, 250)
doses = st.fractions(min_value=F(1, 10), max_value=F(10))


@given(tablets, waters, doses)
def test_volume_times_concentration_is_the_dose_exactly(t: int, w: int, mg: Fraction) -> None:
    prep = make_preparation(t, water_ml=w)
    # The oracle: plain fractions, written here.
    concentration = F(t * 50, w)
    assert prep.concentration_mg_per_ml == concentration
    v = volume_for_dose(prep, mg)
    assert v == mg / concentration
    assert v * prep.concentration_mg_per_ml == mg
    assert dose_for_volume(prep, v) == mg


@given(tablets, waters, doses)
def test_delivered_dose_is_the_mark_times_the_concentration(t: int, w: int, mg: Fraction) -> None:
    # The oracle (tests/fuzzing.py): plain fractions and the domain's rules.
    e = expect_dose(mg, t, F(50), F(w))
    prep = make_preparation(t, water_ml=w)
    if e.refusals:
        with pytest.raises(RefusedError) as info:
            plan_dose(mg, prep)
        assert any(reason in str(info.value) for reason in e.refusals), (e, info.value)
        return
    try:
        plan = plan_dose(mg, prep)
    except RefusedError as exc:  # a dilution is needed and none of one or two stages fits
        refused = str(exc)
    else:
        refused = ""
    if refused:
        assert e.diluted
        assert NO_DILUTION in refused
        return
    m = plan.measurement
    if e.diluted:
        assert plan.dilution
        assert plan.delivered_mg == mg  # a dilution's mark holds the dose exactly
        assert m.measured_ml * plan.drawn_concentration_mg_per_ml == mg
        assert m.good
        return
    assert plan.dilution == ()
    assert (m.syringe.capacity_ml, m.syringe.graduation_ml) == (e.capacity_ml, e.graduation_ml)
    assert m.measured_ml == e.mark_ml
    assert plan.delivered_mg == e.mark_ml * e.concentration
    assert abs(m.measured_ml - m.volume_ml) <= m.syringe.graduation_ml / 2
    assert m.fills == e.fills
    assert (plan.range.low_mg, plan.range.high_mg) == e.range_mg


def mark_warning(plan: DosePlan) -> str:
    (message,) = [a.message for a in plan.advisories if a.code == "mark-changes-dose"]
    return message


def test_a_finer_syringe_not_in_the_catalogue_is_one_to_get_with_its_range() -> None:
    # 4.5 mL on a 5 mL syringe with 0.1 mL marks: drawn 4.5 +- 0.05 mL of 50 +- 0.5 mL
    # (five fills of the 10 mL syringe, half a 0.2 mL mark each) from 90% to 110% of 50 mg:
    # 45 x 4.45 / 50.5 = 3.965 and 55 x 4.55 / 49.5 = 5.056, printed outward.
    assert mark_warning(plan_dose("4.5 mg")) == (
        "the nearest mark (4.6 mL) changes the dose by ≈+2.2%; a 5 mL (0.1 mL marks) "
        "syringe, one to get, puts it on a mark: 3.9 to 5.1 mg"
    )


@pytest.mark.parametrize(
    ("dose", "mark", "change", "preparation", "drawn", "low", "high"),
    [
        # 1.75 mg: 3 x 50 mg in 78 mL puts it on 0.91 mL of the 1 mL (0.01 mL marks)
        # syringe; water 78 +- 0.8 mL (eight fills): 135 x 0.905 / 78.8 = 1.5504,
        # 165 x 0.915 / 77.2 = 1.9556.
        ("1.75", "1.8", "≈+2.9%", "3 x 50 mg tablets in 78 mL = ≈1.923 mg/mL", "0.91",
         "1.55", "1.96"),
        # 2.25 mg: 1 x 50 mg in 20 mL (2.5 mg/mL) puts it on 0.9 mL; water 20 +- 0.2 mL
        # (two fills): 45 x 0.895 / 20.2 = 1.9938, 55 x 0.905 / 19.8 = 2.5139.
        ("2.25", "2.3", "≈+2.2%", "1 x 50 mg tablet in 20 mL = 2.5 mg/mL", "0.9",
         "1.99", "2.52"),
    ],
)  # fmt: skip
def test_a_warning_without_a_finer_syringe_ends_with_a_dilution_and_a_preparation(
    dose: str, mark: str, change: str, preparation: str, drawn: str, low: str, high: str
) -> None:
    # It once ended mid-sentence: "a syringe with finer marks, a dilution, or another
    # preparation would".
    diluted = plan_dose(f"{dose} mg", dilute=True)
    message = mark_warning(plan_dose(f"{dose} mg"))
    assert message == (
        f"the nearest mark ({mark} mL) changes the dose by {change}; no syringe puts it on a "
        f"mark; a dilution measures it: {bounds_text(diluted.range)}; or {preparation} "
        f"puts it on a mark ({drawn} mL): {low} to {high} mg"
    )
    assert not message.endswith("would")


def test_dose_names_the_options_that_use_each_alternative() -> None:
    result = cli("dose", "4.5mg", width=200)
    assert result.exit_code == 0, result.output
    assert (
        "a 5 mL (0.1 mL marks) syringe, one to get, puts it on a mark: 3.9 to 5.1 mg; "
        "to use it, add --syringe '5 mL:0.1 mL'" in result.stdout
    )
    assert_safe(result.stdout)
    following = cli("dose", "4.5mg", "--syringe", "5 mL:0.1 mL", width=200)
    assert following.exit_code == 0, following.output
    assert "Could be:    3.9 to 5.1 mg" in following.stdout
    assert "Warning" not in following.stdout
    result = cli("dose", "1.75mg", width=300)
    assert result.exit_code == 0, result.output
    assert "; to use one, add --dilute, or --tablets 3 --water '78 mL'" in result.stdout
    assert_safe(result.stdout)
    for option in (["--dilute"], ["--tablets", "3", "--water", "78 mL"]):
        following = cli("dose", "1.75mg", *option, width=300)
        assert following.exit_code == 0, following.output
        assert "Warning" not in following.stdout, following.stdout


def test_dose_searches_the_alternatives_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # dose 1.75mg once searched them twice (the warning, then its options): 0.4 s.
    from ldncalc.dose import preparation as module

    calls: list[Fraction] = []
    search = module.alternatives

    def counted(volume_ml: Fraction, *args: Any, **kwargs: Any) -> Any:
        calls.append(volume_ml)
        return search(volume_ml, *args, **kwargs)

    monkeypatch.setattr(module, "alternatives", counted)
    result = cli("dose", "1.75mg", width=300)
    assert result.exit_code == 0, result.output
    assert "; to use one, add --dilute, or --tablets 3 --water '78 mL'" in result.stdout
    assert calls == [F(7, 4)]  # 1.75 mL of the 1 mg/mL stock
    plan = plan_dose("1.75 mg")
    assert [a.kind for a in plan.alternatives] == ["dilution", "preparation"]
    assert plan_dose("1.8 mg").alternatives == ()  # on a mark: nothing searched
