from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from math import ceil, floor

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ldncalc.dose.accuracy import (
    DEFAULT_ASSAY,
    Assay,
    DilutionFactor,
    DoseRange,
    WaterMeasure,
    dose_range,
    measure_water,
    measuring_share,
    outward,
    outward_step,
    parse_assay,
    range_percent_text,
    range_text,
    water_on_marks,
)
from ldncalc.dose.dilution import MIN_DOSE_MG
from ldncalc.dose.syringes import CATALOGUE, Syringe, is_measurable
from ldncalc.errors import InvalidInputError, RefusedError
from tests.safe_notation import assert_safe

F = Fraction
TEN = Syringe(F(10), F(1, 5))
FIVE = Syringe(F(5), F(1, 5))
THREE = Syringe(F(3), F(1, 10))
ONE = Syringe(F(1), F(1, 100))
HALF = Syringe(F(1, 2), F(1, 100))


# --- the oracle: the range written out by hand, in plain fractions --------------------


def oracle(
    tablets: int,
    strength: Fraction,
    water: Fraction,
    water_error: Fraction,
    drawn: Fraction,
    graduation: Fraction,
    assay: tuple[Fraction, Fraction],
    stages: list[tuple[Fraction, Fraction, Fraction, Fraction]] | None = None,
) -> tuple[Fraction, Fraction, Fraction]:
    """(nominal, low, high) in mg. stages: (aliquot, aliquot graduation, water, water error)."""
    mg = tablets * strength
    nominal = mg * drawn / water
    low = mg * assay[0] * (drawn - graduation / 2) / (water + water_error)
    high = mg * assay[1] * (drawn + graduation / 2) / (water - water_error)
    for aliquot, g, b, e in stages or []:
        nominal = nominal * aliquot / (aliquot + b)
        low = low * (aliquot - g / 2) / (aliquot - g / 2 + b + e)
        high = high * (aliquot + g / 2) / (aliquot + g / 2 + b - e)
    return nominal, low, high


def test_the_common_recipe_4_6_ml_on_the_5_ml_syringe() -> None:
    # 50 mg in 50 mL measured in five fills of the 10 mL syringe (0.5 mL), drawn to 4.6 mL
    # on 0.2 mL marks, tablets 90% to 110%.
    r = dose_range(1, F(50), measure_water(F(50)), F(50), F(23, 5), F(1, 5))
    assert r.nominal_mg == F(23, 5)
    assert r.low_mg == 50 * F(9, 10) * F(45, 10) / F(505, 10)
    assert r.high_mg == 50 * F(11, 10) * F(47, 10) / F(495, 10)
    assert r.draw_error_ml == F(1, 10)
    assert r.water_error_ml == F(1, 2)
    assert r.water_measure == WaterMeasure(TEN, 5, F(1, 2))
    assert r.assay == DEFAULT_ASSAY == Assay(F(9, 10), F(11, 10))
    assert r.range_percent == (r.high_mg - r.nominal_mg) / r.nominal_mg * 100
    assert range_text(r) == "4.6 mg (4 to 5.3 mg)"
    assert range_percent_text(r) == "14%"


def test_a_stage_multiplies_in_its_own_factor() -> None:
    water = measure_water(F(50))
    stage = DilutionFactor(F(1), F(1, 200), F(9), F(1, 10))
    r = dose_range(1, F(50), water, F(50), F(1), F(1, 100), DEFAULT_ASSAY, [stage])
    expected = oracle(
        1, F(50), F(50), F(1, 2), F(1), F(1, 100), (F(9, 10), F(11, 10)),
        [(F(1), F(1, 100), F(9), F(1, 10))],
    )  # fmt: skip
    assert (r.nominal_mg, r.low_mg, r.high_mg) == expected
    assert r.nominal_mg == F(1, 10)
    assert r.dilution == (stage,)
    assert stage.nominal == F(1, 10)
    assert stage.low == F(199, 200) / (F(199, 200) + 9 + F(1, 10))
    assert stage.high == F(201, 200) / (F(201, 200) + 9 - F(1, 10))


def test_the_worst_cases_are_the_ends_of_the_box() -> None:
    # A / (A + B) grows with A and shrinks with B, so no point of the error box lies outside
    # [low, high]: check its corners and centre by brute force.
    factor = DilutionFactor(F(1, 2), F(1, 200), F(3), F(1, 20))
    values = [
        (F(1, 2) + da) / (F(1, 2) + da + 3 + db)
        for da in (-F(1, 200), 0, F(1, 200))
        for db in (-F(1, 20), 0, F(1, 20))
    ]
    assert min(values) == factor.low
    assert max(values) == factor.high


Stage = tuple[Fraction, Fraction, Fraction, Fraction]
"""(aliquot, aliquot graduation, water, water error)."""


@dataclass(frozen=True)
class Case:
    tablets: int
    water: Fraction
    water_error: Fraction
    drawn: Fraction
    graduation: Fraction
    assay: tuple[Fraction, Fraction]
    stages: tuple[Stage, ...]

    def range(self) -> DoseRange:
        return dose_range(
            self.tablets,
            F(50),
            WaterMeasure(None, 0, self.water_error),
            self.water,
            self.drawn,
            self.graduation,
            Assay(*self.assay),
            [DilutionFactor(a, g / 2, b, e) for a, g, b, e in self.stages],
        )

    def spanning_100(self) -> Case:
        low, high = self.assay
        return replace(self, assay=(min(low, F(1)), max(high, F(1))))


def _mark(draw: st.DrawFn, syringe: Syringe) -> Fraction:
    steps = int(syringe.capacity_ml / syringe.graduation_ml)
    return syringe.graduation_ml * draw(st.integers(1, steps))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    water = F(draw(st.integers(5, 200)))
    syringe = draw(st.sampled_from(CATALOGUE))
    low = draw(st.fractions(F(1, 2), F(3, 2), max_denominator=100))
    stages = []
    for _ in range(draw(st.integers(0, 2))):
        aliquot_syringe = draw(st.sampled_from(CATALOGUE))
        b = F(draw(st.integers(1, 100)))
        stages.append(
            (
                _mark(draw, aliquot_syringe),
                aliquot_syringe.graduation_ml,
                b,
                draw(st.fractions(0, b / 5, max_denominator=100)),
            )
        )
    return Case(
        tablets=draw(st.integers(1, 4)),
        water=water,
        water_error=draw(st.fractions(0, water / 5, max_denominator=100)),
        drawn=_mark(draw, syringe),
        graduation=syringe.graduation_ml,
        assay=(low, draw(st.fractions(low, F(2), max_denominator=100))),
        stages=tuple(stages),
    )


@given(cases())
def test_range_matches_the_oracle(case: Case) -> None:
    r = case.range()
    expected = oracle(
        case.tablets, F(50), case.water, case.water_error, case.drawn, case.graduation,
        case.assay, list(case.stages),
    )  # fmt: skip
    assert (r.nominal_mg, r.low_mg, r.high_mg) == expected


@given(cases())
def test_low_nominal_high_are_in_order_when_the_assay_spans_100(case: Case) -> None:
    r = case.spanning_100().range()
    assert 0 < r.low_mg <= r.nominal_mg <= r.high_mg
    assert r.range_percent >= 0
    assert r.measuring_low_mg <= r.nominal_mg <= r.measuring_high_mg


@given(cases())
def test_with_an_exact_assay_the_range_is_the_measuring_error_alone(case: Case) -> None:
    r = replace(case, assay=(F(1), F(1))).range()
    # Each measurement on its own, as a share of the nominal: the draw read to half a
    # mark, the water to its error, each stage's aliquot and water to theirs.
    v, g, w, e = case.drawn, case.graduation, case.water, case.water_error
    low = (v - g / 2) / v * w / (w + e)
    high = (v + g / 2) / v * w / (w - e)
    for a, ga, b, eb in case.stages:
        low *= (a - ga / 2) / (a - ga / 2 + b + eb) * (a + b) / a
        high *= (a + ga / 2) / (a + ga / 2 + b - eb) * (a + b) / a
    assert r.low_mg == r.nominal_mg * low
    assert r.high_mg == r.nominal_mg * high
    assert r.range_percent == r.measuring_percent
    assert r.measuring_low_mg == r.low_mg


@given(cases())
def test_exact_marks_exact_water_and_exact_tablets_leave_only_the_reading(case: Case) -> None:
    r = replace(case, assay=(F(1), F(1)), water_error=F(0), stages=()).range()
    half = case.graduation / 2 / case.drawn
    assert r.low_mg == r.nominal_mg * (1 - half)
    assert r.high_mg == r.nominal_mg * (1 + half)
    assert r.range_percent == half * 100


def test_the_assay_scales_the_measuring_range() -> None:
    water = measure_water(F(50))
    exact = dose_range(1, F(50), water, F(50), F(1), F(1, 100), Assay(F(1), F(1)))
    usp = dose_range(1, F(50), water, F(50), F(1), F(1, 100))
    assert usp.low_mg == exact.low_mg * F(9, 10)
    assert usp.high_mg == exact.high_mg * F(11, 10)
    assert usp.measuring_percent == exact.range_percent


# --- refusals of the range --------------------------------------------------------------


def test_a_water_error_at_or_above_the_water_is_refused() -> None:
    with pytest.raises(RefusedError, match=r"^a water error of 50 mL is not less than the water"):
        measure_water(F(50), error_ml=F(50))
    with pytest.raises(RefusedError, match=r"^a water error of 51 mL is not less than the water"):
        dose_range(1, F(50), WaterMeasure(None, 0, F(51)), F(50), F(1), F(1, 100))
    with pytest.raises(RefusedError, match=r"not less than the water \(9 mL\)") as info:
        DilutionFactor(F(1), F(1, 200), F(9), F(9))
    assert info.value.code == "water-error-too-large"


def test_a_water_error_just_under_the_water_is_taken() -> None:
    water = measure_water(F(50), error_ml=F(49))
    assert water == WaterMeasure(None, 0, F(49))
    assert water.label == "within 49 mL"
    assert water.fill_volumes_ml(F(50)) == ()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: measure_water(F(0)), "^the water must be more than 0 mL, not 0 mL$"),
        (lambda: measure_water(F(5), error_ml=F(-1)), "^a water error cannot be negative"),
        (lambda: WaterMeasure(None, 2, F(1)), "^water measured with no syringe has no fills$"),
        (lambda: WaterMeasure(TEN, 0, F(1)), "^water measured with a syringe takes one fill"),
        (lambda: WaterMeasure(TEN, 2, F(1, 20)), "each read to half a mark$"),
        (
            lambda: dose_range(0, F(50), WaterMeasure(None, 0, F(0)), F(50), F(1), F(1, 100)),
            "^a stock needs one tablet or more",
        ),
        (
            lambda: dose_range(1, F(50), WaterMeasure(None, 0, F(0)), F(50), F(1), F(0)),
            "^the water, the syringe's graduation and the fills must be more than zero$",
        ),
        (
            lambda: dose_range(1, F(50), WaterMeasure(None, 0, F(0)), F(50), F(1, 10), F(1, 5)),
            "^a draw of 0.1 mL cannot be read on marks every 0.2 mL$",
        ),
        (
            lambda: DilutionFactor(F(0), F(0), F(9), F(0)),
            "^a dilution takes more than 0 mL of liquid and more than 0 mL of water$",
        ),
        (
            lambda: DilutionFactor(F(1, 100), F(1, 100), F(9), F(0)),
            "^an aliquot of 0.01 mL cannot be read to within 0.01 mL$",
        ),
        (
            lambda: DilutionFactor(F(1), F(0), F(9), F(-1)),
            "^a water error cannot be negative$",
        ),
    ],
)
def test_bad_measures_are_refused_with_their_reason(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        call()


# --- the assay ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("95-105%", F(95, 100), F(105, 100)),
        ("90% to 110%", F(9, 10), F(11, 10)),
        ("100%", F(1), F(1)),
        (" 92.5 - 107.5 % ", F(925, 1000), F(1075, 1000)),
        ("95%-105%", F(95, 100), F(105, 100)),
        ("95\u2013105%", F(95, 100), F(105, 100)),
        ("200%", F(2), F(2)),
    ],
)
def test_assays_are_read(text: str, low: Fraction, high: Fraction) -> None:
    assert parse_assay(text) == Assay(low, high)


def test_the_assay_label() -> None:
    assert DEFAULT_ASSAY.label == "90% to 110%"
    assert parse_assay("100%").label == "100%"
    assert parse_assay("92.5-107.5%").label == "92.5% to 107.5%"


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("0%", InvalidInputError, "^a tablet's content must be more than 0% of its label, not 0%$"),
        ("-5%", InvalidInputError, "more than 0% of its label, not -5%$"),
        ("-5-105%", InvalidInputError, "more than 0% of its label, not -5%$"),
        ("95-0%", InvalidInputError, "more than 0% of its label, not 0%$"),
        (
            "105-95%",
            InvalidInputError,
            "^the assay range 105% to 95% runs backwards; write the lower figure first$",
        ),
        (
            "90-250%",
            RefusedError,
            "^a tablet holding 250% of its label is not plausible \\(at most 200%\\)",
        ),
        ("95-105", InvalidInputError, "^'95-105' is not an assay; write the tablet's content"),
        ("100", InvalidInputError, "^'100' is not an assay"),
        ("95%-105", InvalidInputError, "is not an assay"),
        ("\u0669\u0665%", InvalidInputError, "is not an assay"),
        ("\uff19\uff15%", InvalidInputError, "is not an assay"),
        (".95-1.05%", InvalidInputError, "is not an assay"),
        ("95,5%", InvalidInputError, "is not an assay"),
        ("", InvalidInputError, "is not an assay"),
        ("ninety%", InvalidInputError, "is not an assay"),
    ],
)
def test_bad_assays_are_refused(text: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        parse_assay(text)


def test_assays_built_directly_are_checked_too() -> None:
    with pytest.raises(InvalidInputError, match=r"not -10%$") as info:
        Assay(F(-1, 10), F(1))
    assert info.value.code == "assay-not-positive"
    with pytest.raises(InvalidInputError, match="runs backwards") as backwards:
        Assay(F(11, 10), F(9, 10))
    assert backwards.value.code == "assay-backwards"
    with pytest.raises(RefusedError, match="is not plausible") as implausible:
        Assay(F(1), F(201, 100))
    assert implausible.value.code == "assay-implausible"


# --- the water ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("water", "syringe", "fills", "error"),
    [
        (F(50), TEN, 5, F(1, 2)),
        (F(100), TEN, 10, F(1)),
        (F(10), TEN, 1, F(1, 10)),
        (F(5), FIVE, 1, F(1, 10)),  # the 5 and 10 mL syringes tie: the smaller
        (F(3), THREE, 1, F(1, 20)),  # 3, 5 and 10 mL tie on one fill: the finer marks
        (F(1), ONE, 1, F(1, 200)),
        (F(499, 10), THREE, 17, F(17, 20)),  # 49.9 mL is on no 0.2 mL mark
        (F(21), TEN, 3, F(3, 10)),  # fewest fills, though the last is 1 mL
    ],
)
def test_water_is_measured_in_the_fewest_fills(
    water: Fraction, syringe: Syringe, fills: int, error: Fraction
) -> None:
    measure = measure_water(water)
    assert measure == WaterMeasure(syringe, fills, error)
    assert sum(measure.fill_volumes_ml(water)) == water
    assert all(v <= syringe.capacity_ml for v in measure.fill_volumes_ml(water))


def test_water_on_no_mark_counts_the_step_to_the_nearest_one() -> None:
    measure = measure_water(F(1, 3))
    # 0.5 mL syringe, one fill, to the 0.33 mL mark: half a mark plus 1/300 mL.
    assert measure == WaterMeasure(HALF, 1, F(1, 200) + F(1, 300))
    assert measure.fill_volumes_ml(F(1, 3)) == (F(33, 100),)


def test_the_label_says_how() -> None:
    assert (
        measure_water(F(50)).label == "5 fills of the 10 mL (0.2 mL marks) syringe, within 0.5 mL"
    )
    assert measure_water(F(3)).label == "1 fill of the 3 mL (0.1 mL marks) syringe, within 0.05 mL"


def test_a_dilutions_water_has_every_fill_measured_well() -> None:
    # 21 mL: three fills of the 10 mL syringe end on 1 mL, 10% of it; the 5 mL syringe
    # ends on 1 mL, 20% of it.
    assert water_on_marks(F(21), each_fill_measurable=True) == WaterMeasure(FIVE, 5, F(1, 2))
    assert water_on_marks(F(11), each_fill_measurable=True) == WaterMeasure(FIVE, 3, F(3, 10))
    assert water_on_marks(F(9), each_fill_measurable=True) == WaterMeasure(TEN, 1, F(1, 10))
    assert water_on_marks(F(1, 20), each_fill_measurable=True) is None
    assert water_on_marks(F(1, 3)) is None


@pytest.mark.parametrize(
    ("volume", "syringe", "good"),
    [
        (F(1, 10), HALF, False),  # at 0.1 mL: not above it
        (F(11, 100), HALF, True),
        (F(1, 5), ONE, True),  # exactly 20%
        (F(19, 100), ONE, False),
        (F(1), ONE, True),
        (F(101, 100), ONE, False),  # more than one fill
        (F(45, 10), FIVE, False),  # between two 0.2 mL marks
        (F(46, 10), FIVE, True),
    ],
)
def test_a_good_volume(volume: Fraction, syringe: Syringe, good: bool) -> None:
    assert is_measurable(volume, syringe) is good


# --- printing a range outward -----------------------------------------------------------------


def test_outward_rounds_low_down_and_high_up() -> None:
    assert outward(F(401, 100), F(5221, 1000), F(1, 10)) == (F(4), F(53, 10))
    assert outward(F(4), F(53, 10), F(1, 10)) == (F(4), F(53, 10))


@pytest.mark.parametrize(
    ("nominal", "low", "high", "step"),
    [
        (F(23, 5), F(4), F(52, 10), F(1, 10)),  # two significant digits of the nominal
        (F(9, 2), F(446, 100), F(454, 100), F(1, 1000)),  # narrow: two more digits
        (F(9, 2), F(43, 10), F(47, 10), F(1, 100)),  # one more
        (F(1, 1000), F(86, 100000), F(116, 100000), F(1, 100000)),
        (F(1), F(1, 1000), F(3), F(1, 1000)),  # a low end that would print as 0
    ],
)
def test_the_printed_step(nominal: Fraction, low: Fraction, high: Fraction, step: Fraction) -> None:
    assert outward_step(nominal, low, high) == step


def test_a_step_needs_an_ordered_range() -> None:
    with pytest.raises(InvalidInputError, match=r"^a range runs from low to high, above zero$"):
        outward_step(F(1), F(3), F(2))
    with pytest.raises(InvalidInputError, match=r"^a range runs from low to high, above zero$"):
        outward_step(F(1), F(0), F(2))


def test_a_range_beside_the_label_is_printed() -> None:
    # Tablets holding 95% of their label (a trial's --assay 95% was refused with
    # "a range runs from low through nominal to high"): 1 mL of 1 x 50 mg in 50 mL,
    # the water within 0.5 mL, the 0.01 mL marks read to half a mark, worked by hand:
    # 50 x 0.95 x 0.995 / 50.5 = 0.93589 mg and 50 x 0.95 x 1.005 / 49.5 = 0.96439 mg.
    r = dose_range(
        1,
        F(50),
        WaterMeasure(None, 0, F(1, 2)),
        F(50),
        F(1),
        F(1, 100),
        Assay(F(95, 100), F(95, 100)),
    )
    tablet = F(50) * F(95, 100)
    low = tablet * F(995, 1000) / F(505, 10)
    high = tablet * F(1005, 1000) / F(495, 10)
    assert (r.low_mg, r.high_mg) == (low, high)
    assert range_text(r) == "1 mg (0.935 to 0.965 mg)"
    assert range_percent_text(r) == "6.5%"


def _made(nominal: Fraction, low: Fraction, high: Fraction) -> DoseRange:
    return DoseRange(nominal, low, high, DEFAULT_ASSAY, F(0), F(0), WaterMeasure(None, 0, F(0)))


@pytest.mark.parametrize(
    ("r", "text", "percent"),
    [
        (_made(F(23, 5), F(401, 100), F(5221, 1000)), "4.6 mg (4 to 5.3 mg)", "14%"),
        (_made(F(1, 1000), F(86, 100000), F(116, 100000)), "1 mcg (0.86 to 1.16 mcg)", "16%"),
        (_made(F(1, 20), F(43, 1000), F(57, 1000)), "50 mcg (43 to 57 mcg)", "14%"),
        (_made(F(1, 10), F(87, 1000), F(114, 1000)), "0.1 mg (0.087 to 0.114 mg)", "14%"),
        (_made(F(1, 30), F(3, 100), F(4, 100)), "≈33.33 mcg (30 to 40 mcg)", "20%"),
        (_made(F(5), F(5), F(5)), "5 mg (5 to 5 mg)", "0%"),
    ],
)
def test_ranges_print_outward_in_safe_notation(r: DoseRange, text: str, percent: str) -> None:
    assert range_text(r) == text
    assert range_percent_text(r) == percent
    assert_safe(text)


@given(cases())
def test_printed_ranges_contain_the_exact_one_and_are_safe(case: Case) -> None:
    r = case.range()  # any assay: the label's dose may lie outside the range
    # Below 1 mcg no dose is measured (ultra-low-dose): 0.00001586 mcg has no printed range.
    assume(r.nominal_mg >= MIN_DOSE_MG)
    step = outward_step(r.nominal_mg, r.low_mg, r.high_mg)
    low, high = outward(r.low_mg, r.high_mg, step)
    assert 0 < low <= r.low_mg
    assert r.high_mg <= high
    assert low == floor(r.low_mg / step) * step
    assert high == ceil(r.high_mg / step) * step
    assert_safe(range_text(r))


@given(
    st.fractions(min_value=Fraction(1, 10), max_value=Fraction(1000)),
    st.fractions(min_value=Fraction(0), max_value=Fraction(1, 2)),
    st.sampled_from(CATALOGUE),
    st.integers(1, 200),
)
def test_the_rankings_closed_form_is_the_ranges_measuring_share(
    water_ml: Fraction, error_share: Fraction, syringe: Syringe, marks: int
) -> None:
    # The recommender ranks thousands of recipes with measuring_share; it must be
    # exactly what dose_range reports as the measuring error of the same draw.
    drawn = syringe.graduation_ml * marks
    assume(drawn > syringe.graduation_ml / 2)
    error = water_ml * error_share
    water = WaterMeasure(None, 0, error)
    r = dose_range(1, Fraction(50), water, water_ml, drawn, syringe.graduation_ml, Assay())
    assert measuring_share(water_ml, error, drawn, syringe.graduation_ml / 2) == (
        r.measuring_percent / 100
    )
