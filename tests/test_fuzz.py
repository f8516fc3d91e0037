"""Drive every command through the CLI with generated arguments and compare each answer
with an oracle written in the test: plain fractions and the domain's rules, never
ldncalc's own library.

Two kinds of cases:

- structured ones, whose meaning the test knows (a number, a unit, a preparation):
  the CLI must give exactly the oracle's answer, or refuse with the exit code and
  reason the oracle gives; most of them are valid, and a high share must succeed,
  so that a CLI refusing everything fails;
- junk (any text at all): never a traceback, exit 0, 1 or 2, one Error: line; text
  that cannot be a number is a usage error (2); and whatever the CLI did read, its
  arithmetic must agree with the oracle.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldncalc.errors import LdncalcError
from ldncalc.units import parse_dose
from tests.fuzzing import (
    ASSAY,
    EXAMPLES,
    FIFTY,
    MARK_TOO_COARSE,
    NO_DILUTION,
    CliResult,
    Expected,
    check_invariants,
    expect_dose,
    fills_of,
    good,
    good_draw,
    invoke,
    left_after_draw,
    measuring_share,
    quantity_texts,
    too_small_to_draw,
    water_error,
)
from tests.safe_notation import assert_safe

F = Fraction
START = date(2027, 1, 4)
# At least this share of the generated valid cases must be worked out (exit 0).
MIN_SUCCESS_SHARE = Fraction(3, 5)


def fuzz(kind: str) -> settings:
    return settings(
        max_examples=EXAMPLES[kind],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# --- Reading what the CLI printed ------------------------------------------------------

NUMBER_UNIT = re.compile(r"(≈?)([0-9]+(?:\.[0-9]+)?) (mg|mcg|mL)\b")


def value_of(text: str) -> tuple[Fraction, bool]:
    """Read '4.5 mg' / '≈0.3333 mL' / '50 mcg' from output: the value in mg or mL, exact?"""
    match = NUMBER_UNIT.search(text)
    assert match is not None, text
    approx, number, unit = match.groups()
    value = Fraction(number) / (1000 if unit == "mcg" else 1)
    return value, approx == ""


def field(out: str, name: str) -> str:
    for line in out.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no {name} line in {out!r}")


def agrees(shown: tuple[Fraction, bool], exact: Fraction) -> None:
    """A value printed for people: exact when it says so, else within its 4 digits."""
    value, is_exact = shown
    if is_exact:
        assert value == exact, (value, exact)
    else:
        assert value != exact
        assert abs(value - exact) <= abs(exact) / 1000, (value, exact)


def terminating_digits(value: Fraction) -> int | None:
    """Return the significant digits of a decimal that ends, or None if it never does."""
    for places in range(40):
        scaled = value * 10**places
        if scaled.denominator == 1:
            return len(str(abs(scaled.numerator)).strip("0")) or 1
    return None


def json_agrees(shown: object, exact: Fraction) -> None:
    """A JSON number: exact when a decimal of 15 digits holds it, else 12 significant digits."""
    assert isinstance(shown, int | float), shown
    assert not isinstance(shown, bool), shown
    value = Fraction(repr(shown))
    digits = terminating_digits(exact)
    if digits is not None and digits <= 15:
        assert value == exact, (shown, exact)
    else:
        assert abs(value - exact) <= abs(exact) / 10**11, (shown, exact)


def plain(value: Fraction) -> str:
    """Write a terminating decimal without trailing zeros (written here, for comparisons)."""
    for places in range(10):
        scaled = value * 10**places
        if scaled.denominator == 1:
            whole, frac = divmod(scaled.numerator, 10**places)
            return f"{whole}.{frac:0{places}d}".rstrip("0").rstrip(".") if places else str(whole)
    raise AssertionError(value)


def draw_text(e: Expected) -> str:
    full, capacity, last = e.draw
    if e.fills == 1:
        return f"{plain(e.mark_ml)} mL"
    if last == 0:
        return f"{full} x {plain(capacity)} mL"
    if last > F(1, 10) and 5 * last >= capacity:
        return f"{full} x {plain(capacity)} mL + {plain(last)} mL"
    # A rest too small to measure well: fills as even as the marks allow (issue 23, 13).
    marks = int(e.mark_ml / e.graduation_ml)
    each, more = divmod(marks, e.fills)
    small = plain(each * e.graduation_ml) + " mL"
    if more == 0:
        return f"{e.fills} x {small}"
    big = plain((each + 1) * e.graduation_ml) + " mL"
    rest = e.fills - more
    return f"{more} x {big} + " + (f"{rest} x {small}" if rest > 1 else small)


def exact(obj: dict[str, Any], key: str) -> Fraction:
    """Read a JSON number that must be an exact decimal (a mark, a syringe, whole mL)."""
    value = obj[key]
    assert isinstance(value, int | float), (key, value)
    assert not isinstance(value, bool), (key, value)
    return Fraction(repr(value))


def check_range_json(obj: dict[str, Any], low: Fraction, high: Fraction, nominal: Fraction) -> None:
    """The range: its percent exactly, its printed ends rounded outward from the exact ends."""
    json_agrees(obj["range_percent"], max(nominal - low, high - nominal) / nominal * 100)
    assert obj["assay"] == {"low": 0.9, "high": 1.1}
    printed_low, printed_high = exact(obj["range_mg"], "low"), exact(obj["range_mg"], "high")
    assert 0 < printed_low <= low < nominal < high <= printed_high, (obj["range_mg"], low, high)
    assert printed_high - printed_low <= 2 * (high - low), (obj["range_mg"], low, high)


def check_dose_json(obj: dict[str, Any], e: Expected) -> None:
    """A dose drawn from the stock: every measuring key is the oracle's."""
    for key, value in [
        ("dose_mg", e.dose_mg),
        ("volume_ml", e.volume_ml),
        ("syringe_ml", e.capacity_ml),
        ("graduation_ml", e.graduation_ml),
        ("measured_volume_ml", e.mark_ml),
        ("delivered_dose_mg", e.delivered_mg),
        ("error_percent", e.change * 100),
        ("draw_error_ml", e.fills * e.graduation_ml / 2),
        ("water_error_ml", water_error(e.water_ml)),
    ]:
        json_agrees(obj[key], value)
    assert obj["fills"] == e.fills
    assert obj["dilution"] == []
    check_range_json(obj, *e.range_mg, e.delivered_mg)


def check_dilution_json(obj: dict[str, Any], e: Expected) -> Fraction:
    """A diluted dose: each stage and the draw follow the rules of a good dilution.

    Every volume measured is a good draw (one fill, on a mark, above 0.1 mL, at
    least 20% of its syringe); the water is whole mL (1 to 100) in at most 10 good
    fills; each stage multiplies the concentration by aliquot / (aliquot + water);
    every draw leaves a tenth of its liquid (at least 1 mL); and the dose at the
    final mark is the dose asked, exactly. Returns the most the measuring alone
    (the tablet's content left out) may move it, as a share of the dose.
    """
    stages = obj["dilution"]
    assert 1 <= len(stages) <= 2, stages
    concentration, liquid = e.concentration, e.water_ml
    low_factor = high_factor = F(1)
    for stage in stages:
        json_agrees(stage["from_concentration_mg_per_ml"], concentration)
        aliquot = exact(stage, "aliquot_ml")
        capacity, graduation = (
            exact(stage, "aliquot_syringe_ml"),
            exact(stage, "aliquot_graduation_ml"),
        )
        assert good_draw(aliquot, capacity, graduation), stage
        assert aliquot <= left_after_draw(liquid), (stage, liquid)
        water = exact(stage, "water_ml")
        assert water.denominator == 1, stage
        assert 1 <= water <= 100, stage
        measure = stage["water_measure"]
        water_capacity, water_graduation = (
            exact(measure, "syringe_ml"),
            exact(measure, "graduation_ml"),
        )
        fills = measure["fills"]
        assert fills == fills_of(water, water_capacity), stage
        assert fills <= 10, stage
        rest = water - (fills - 1) * water_capacity
        assert good_draw(rest, water_capacity, water_graduation), stage
        assert fills == 1 or good_draw(water_capacity, water_capacity, water_graduation)
        water_err = fills * water_graduation / 2
        concentration = concentration * aliquot / (aliquot + water)
        json_agrees(stage["concentration_mg_per_ml"], concentration)
        short, long = aliquot - graduation / 2, aliquot + graduation / 2
        low_factor *= short / (short + water + water_err)
        high_factor *= long / (long + water - water_err)
        liquid = aliquot + water
    volume = exact(obj, "volume_ml")
    capacity, graduation = exact(obj, "syringe_ml"), exact(obj, "graduation_ml")
    assert good_draw(volume, capacity, graduation), obj
    assert obj["fills"] == 1
    assert volume <= left_after_draw(liquid), (volume, liquid)
    assert volume * concentration == e.dose_mg  # the mark holds the dose asked, exactly
    json_agrees(obj["dose_mg"], e.dose_mg)
    json_agrees(obj["measured_volume_ml"], volume)
    json_agrees(obj["delivered_dose_mg"], e.dose_mg)
    assert obj["error_percent"] == 0
    stock_error = water_error(e.water_ml)
    low = e.total_mg * ASSAY[0] * (volume - graduation / 2) / (e.water_ml + stock_error)
    high = e.total_mg * ASSAY[1] * (volume + graduation / 2) / (e.water_ml - stock_error)
    check_range_json(obj, low * low_factor, high * high_factor, e.dose_mg)
    return max(
        1 - low * low_factor / ASSAY[0] / e.dose_mg, high * high_factor / ASSAY[1] / e.dose_mg - 1
    )


def nearest_mark_instead(e: Expected) -> None:
    """With her syringes and no dilution that puts the dose on a good mark (issue 26):
    their nearest mark, when it is above 0.1 mL and within 10% of the volume."""
    assert e.mark_ml > F(1, 10), e
    assert abs(e.mark_ml - e.volume_ml) <= e.volume_ml / 10, e
    assert e.graduation_ml / 2 <= e.mark_ml / 10, e  # read within 10%, as a dilution


def check_measured_json(obj: dict[str, Any], e: Expected) -> Fraction | None:
    """Check a dose's JSON; for a diluted one, return its measuring share."""
    if e.diluted and not obj["dilution"]:
        nearest_mark_instead(e)
        small = "small-fill" in {w["code"] for w in obj["warnings"]}
        assert small == too_small_to_draw(e.mark_ml, e.capacity_ml), obj["warnings"]
        check_dose_json(obj, e)
        return None
    if e.diluted:
        return check_dilution_json(obj, e)
    check_dose_json(obj, e)
    return None


def check_dose_text(out: str, e: Expected) -> None:
    assert_safe(out)
    agrees(value_of(field(out, "Dose")), e.dose_mg)
    if e.diluted and "Dilution 1:" not in out:
        nearest_mark_instead(e)
        small = "where syringes stop measuring well" in " ".join(out.split())
        assert small == too_small_to_draw(e.mark_ml, e.capacity_ml), out
    elif e.diluted:
        assert "Dilution 1:" in out
        assert "of the dilution (" in field(out, "Volume")
        agrees(value_of(field(out, "Delivers")), e.dose_mg)  # exactly the dose asked
        return
    agrees(value_of(field(out, "Volume")), e.volume_ml)
    assert "Dilution" not in out
    assert field(out, "Syringe") == f"{plain(e.capacity_ml)} mL ({plain(e.graduation_ml)} mL marks)"
    assert field(out, "Draw to") == draw_text(e)
    agrees(value_of(field(out, "Delivers")), e.delivered_mg)
    could_be = re.match(r"([0-9.]+) to ([0-9.]+) (mg|mcg) ", field(out, "Could be"))
    assert could_be is not None, out
    scale = F(1, 1000) if could_be[3] == "mcg" else F(1)
    low, high = e.range_mg
    assert F(could_be[1]) * scale <= low, (could_be[0], e)
    assert high <= F(could_be[2]) * scale, (could_be[0], e)


def check_answer(result: CliResult, e: Expected, as_json: bool) -> None:
    """The CLI worked the dose out as the oracle did, or refused it for its reason.

    A dose the stock cannot be drawn well at is diluted; when no dilution of one
    or two stages measures it, it is refused as such.
    """
    if e.refusals:
        assert result.exit_code == 1, (e, result.output)
        assert any(reason in result.stderr for reason in e.refusals), (e.refusals, result.stderr)
        return
    if e.diluted and result.exit_code == 1:
        assert NO_DILUTION in result.stderr, result.stderr
        return
    assert result.exit_code == 0, (e, result.output)
    if as_json:
        check_measured_json(json.loads(result.stdout), e)
    else:
        check_dose_text(result.stdout, e)


@dataclass
class Tally:
    """Valid generated cases, and how many of them the CLI worked out."""

    valid: int = 0
    done: int = 0

    def add(self, result: CliResult) -> None:
        self.valid += 1
        self.done += result.exit_code == 0

    def check(self, least: int) -> None:
        assert self.valid >= least, self
        assert self.done >= self.valid * MIN_SUCCESS_SHARE, self


def run_all(test: Callable[[], None]) -> None:
    """Run a hypothesis test defined inside a test (so that it can count across cases)."""
    test()


# --- Doses as text ---------------------------------------------------------------------

# How many mg one of each unit is; "" is a bare number, read as mg.
UNITS_MG = {
    "": F(1),
    "mg": F(1),
    "MG": F(1),
    "milligrams": F(1),
    "mcg": F(1, 1000),
    "ug": F(1, 1000),
    "µg": F(1, 1000),
    "μg": F(1, 1000),
    "micrograms": F(1, 1000),
    "g": F(1000),
    "kg": F(1000000),
}
GRAMMAR = re.compile(
    r"\+?(?P<digits>[0-9]+(?:\.[0-9]*)?)(?:[eE](?P<exp>[+-]?[0-9]+))?[ \t]*(?P<unit>[a-zA-Zµμ]*)"
)


@dataclass(frozen=True)
class DoseText:
    text: str
    unit: str
    mg: Fraction


def dose_text(number: Decimal, separator: str, unit: str) -> DoseText:
    return DoseText(f"{number}{separator}{unit}", unit, F(str(number)) * UNITS_MG[unit])


separators = st.sampled_from(["", " ", "\t"])
dose_texts = st.one_of(
    # The low-dose range and around it, in mg (or a bare number, read as mg).
    st.builds(
        dose_text,
        st.decimals(min_value="0.01", max_value="10", places=3),
        separators,
        st.sampled_from(["mg", "", "MG", "milligrams"]),
    ),
    # Micrograms: 10 mcg to 10 mg.
    st.builds(
        dose_text,
        st.decimals(min_value="10", max_value="10000", places=0),
        separators,
        st.sampled_from(["mcg", "ug", "µg", "μg", "micrograms"]),
    ),
    # Grams, and doses past the preparation (50 mg).
    st.builds(
        dose_text, st.decimals(min_value="0.0001", max_value="0.01", places=5), separators,
        st.just("g"),
    ),
    st.builds(
        dose_text, st.decimals(min_value="10", max_value="600", places=1), separators,
        st.just("mg"),
    ),
)  # fmt: skip


def test_fuzz_dose_structured() -> None:
    tally = Tally()

    @fuzz("dose")
    @given(dose_texts, st.booleans())
    def check(case: DoseText, as_json: bool) -> None:
        result = invoke("dose", case.text, *(["--json"] if as_json else []))
        check_invariants(result, json_errors=as_json)
        check_answer(result, expect_dose(case.mg), as_json)
        if case.unit == "" and result.exit_code == 0:
            assert "was read as" in result.stdout  # a bare number is read as mg, and says so
        tally.add(result)

    run_all(check)
    tally.check(least=EXAMPLES["dose"] // 2)


def read_junk(text: str) -> Fraction | None:
    """Return the dose ``text`` names when the test knows how to read it, else None."""
    stripped = text.strip()
    match = GRAMMAR.fullmatch(stripped)
    if match is None or match["unit"].lower() not in {u.lower() for u in UNITS_MG}:
        return None
    digits, exponent = match["digits"], int(match["exp"] or 0)
    if len(stripped) > 64 or len(digits) > 20 or abs(exponent) > 20:
        return None
    unit = next(u for u in UNITS_MG if u.lower() == match["unit"].lower())
    return F(digits) * F(10) ** exponent * UNITS_MG[unit]


def cannot_be_a_number(text: str) -> bool:
    """Text that no reading of a dose accepts: it must be refused as bad usage (exit 2)."""
    stripped = text.strip()
    return (
        not stripped
        or len(stripped) > 64
        or re.match(r"\+?[0-9]", stripped) is None
        or re.search(r"[0-9]\s*,\s*[0-9]", stripped) is not None
        or re.search(r"[0-9]\s*/\s*[0-9]|[\u00bc-\u00be\u2150-\u215e]", stripped) is not None
        or re.search(r"tsp|teaspoon|tbsp|cup|drop|oz|ounce", stripped, re.IGNORECASE) is not None
    )


@fuzz("dose_text")
@given(quantity_texts, st.booleans())
def test_fuzz_dose_text(text: str, as_json: bool) -> None:
    if text in ("-h", "--help", "--json", "--"):  # the parser's own words, not a dose
        return
    args = ["dose", text, *(["--json"] if as_json else [])]
    result = invoke(*args)
    check_invariants(result, json_errors=as_json)
    known = read_junk(text)
    if known is not None:
        if known == 0:
            assert result.exit_code == 2, result.output
        else:
            check_answer(result, expect_dose(known), as_json)
        return
    if cannot_be_a_number(text):
        assert result.exit_code == 2, (text, result.output)
        return
    if result.exit_code == 0:
        # Whatever the text was read as, the arithmetic from it must be the oracle's.
        if as_json:
            obj = json.loads(result.stdout)
            e = expect_dose(Fraction(repr(obj["dose_mg"])))
            assert not e.refusals
            check_measured_json(obj, e)
        else:
            assert_safe(result.stdout)
            dose, exact = value_of(field(result.stdout, "Dose"))
            if exact:
                check_dose_text(result.stdout, expect_dose(dose))


# --- Preparations and syringes ---------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """A preparation and a syringe as options, with what each means."""

    args: tuple[str, ...]
    tablets: int
    strength_mg: Fraction
    water_ml: Fraction | None
    concentration: Fraction | None
    syringe: tuple[Fraction, Fraction] | None


def options(
    tablets: int | None,
    strength: Decimal | None,
    water: Decimal | None,
    concentration: Decimal | None,
    syringe: tuple[Decimal, Decimal] | None,
) -> Options:
    args: list[str] = []
    if tablets is not None:
        args += ["--tablets", str(tablets)]
    if strength is not None:
        args += ["--strength", f"{strength}mg"]
    if water is not None:
        args += ["--water", f"{water} mL"]
    if concentration is not None:
        args += ["--concentration", f"{concentration}mg/mL"]
    if syringe is not None:
        args += ["--syringe", f"{syringe[0]}mL:{syringe[1]}mL"]
    return Options(
        tuple(args),
        1 if tablets is None else tablets,
        F(50) if strength is None else F(str(strength)),
        None if water is None else F(str(water)),
        None if concentration is None else F(str(concentration)),
        None if syringe is None else (F(str(syringe[0])), F(str(syringe[1]))),
    )


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy, strategy)


syringe_pairs = st.one_of(
    st.sampled_from(
        [(Decimal(c), Decimal(g)) for c, g in [("0.5", "0.01"), ("1", "0.01"), ("3", "0.1"),
                                                ("5", "0.2"), ("10", "0.2")]]
    ),
    st.tuples(
        st.sampled_from([Decimal(v) for v in ("0.5", "1", "2", "3", "5", "10", "20", "60", "150")]),
        st.sampled_from([Decimal(v) for v in ("0.0005", "0.01", "0.02", "0.05", "0.1", "0.2",
                                              "0.25", "0.3", "0.5", "1", "30")]),
    ),
)  # fmt: skip
option_sets = st.one_of(
    # The water as a volume.
    st.builds(
        options,
        maybe(st.integers(0, 12)),
        maybe(st.decimals(min_value="1", max_value="120", places=1)),
        maybe(st.decimals(min_value="0.1", max_value="1200", places=1)),
        st.none(),
        maybe(syringe_pairs),
    ),
    # The concentration instead of the water.
    st.builds(
        options,
        maybe(st.integers(1, 10)),
        maybe(st.decimals(min_value="1", max_value="100", places=0)),
        st.none(),
        st.decimals(min_value="0.01", max_value="150", places=2),
        maybe(syringe_pairs),
    ),
)


def expect_options(o: Options, dose_mg: Fraction) -> tuple[set[int], Expected | None]:
    """Return the exit codes the oracle allows, and the answer when it is worked out."""
    usage = refused = False
    if not 1 <= o.tablets <= 10 or o.strength_mg > 100:
        usage = True
    total = o.tablets * o.strength_mg
    if o.concentration is not None:
        water = total / o.concentration if total else F(1)
        if (water * 100).denominator != 1:
            # On no catalogue mark (every one is a hundredth of a mL): rounded half up to
            # the 10 mL syringe's 0.2 mL marks, at least one mark.
            water = max(math.floor(water * 5 + F(1, 2)), 1) / F(5)
    else:
        water = F(50) if o.water_ml is None else o.water_ml
    if water > 1000:
        usage = True
    if total / water > 100:
        refused = True  # above naltrexone's solubility
    if o.syringe is not None:
        capacity, graduation = o.syringe
        if (
            graduation > capacity
            or (capacity / graduation).denominator != 1
            or capacity > 100
            or graduation < F(1, 1000)
        ):
            usage = True
    if usage and refused:
        return {1, 2}, None
    if usage:
        return {2}, None
    if refused:
        return {1}, None
    e = expect_dose(dose_mg, o.tablets, o.strength_mg, water, o.syringe)
    return ({1} if e.refusals else {0, 1} if e.diluted else {0}), e


DOSES = {"0.5mg": F(1, 2), "1mg": F(1), "4.5mg": F(9, 2), "4500mcg": F(9, 2), "2.25 mg": F(9, 4)}


def test_fuzz_dose_options_structured() -> None:
    tally = Tally()

    @fuzz("options")
    @given(option_sets, st.sampled_from(sorted(DOSES)), st.booleans())
    def check(o: Options, dose_text: str, as_json: bool) -> None:
        result = invoke("dose", dose_text, *o.args, *(["--json"] if as_json else []))
        check_invariants(result, json_errors=as_json)
        codes, e = expect_options(o, DOSES[dose_text])
        assert result.exit_code in codes, (o, dose_text, codes, result.output)
        if e is not None:
            check_answer(result, e, as_json)
            if as_json and result.exit_code == 0:
                prep = json.loads(result.stdout)["preparation"]
                assert prep["tablets"] == o.tablets
                json_agrees(prep["strength_mg"], o.strength_mg)
                json_agrees(prep["concentration_mg_per_ml"], e.concentration)
        if codes == {0}:  # the oracle says it must work (a dilution may be refused)
            tally.add(result)

    run_all(check)
    tally.check(least=EXAMPLES["options"] // 8)


@fuzz("option_text")
@given(
    st.sampled_from(["--tablets", "--strength", "--water", "--concentration", "--syringe"]),
    st.one_of(quantity_texts, st.sampled_from(["5mL:0.1mL", "1:0.01", "3mL", "7mL", "5:0.3"])),
)
def test_fuzz_dose_option_text(option: str, value: str) -> None:
    result = invoke("dose", "1mg", option, value)
    check_invariants(result)
    stripped = value.strip()
    if option == "--tablets" and re.fullmatch(r"[0-9]{1,6}", stripped) is None:
        assert result.exit_code == 2, (value, result.output)  # ASCII digits only
        assert "--tablets takes a whole number" in result.stderr or value.startswith("-")
    elif option != "--tablets" and cannot_be_a_number(value.split(":")[0]):
        assert result.exit_code == 2, (value, result.output)
    if result.exit_code == 0:
        assert_safe(result.stdout)
        # Whatever preparation and syringe were read, the dose drawn is the oracle's.
        label = re.fullmatch(
            r"([0-9]+) x ([0-9.]+) (mg|mcg) tablets? in (≈?)([0-9.]+) mL = ≈?[0-9.]+ mg/mL",
            field(result.stdout, "Preparation"),
        )
        assert label is not None, result.stdout
        shown = re.fullmatch(
            r"([0-9.]+) mL \(([0-9.]+) mL marks\)", field(result.stdout, "Syringe")
        )
        assert shown is not None, result.stdout
        if label[4]:
            return  # the water is shown rounded: the oracle cannot know it exactly
        strength = F(label[2]) / (1000 if label[3] == "mcg" else 1)
        syringe = (F(shown[1]), F(shown[2])) if option == "--syringe" else None
        e = expect_dose(F(1), int(label[1]), strength, F(label[5]), syringe)
        check_dose_text(result.stdout, e)


# --- Schedules -------------------------------------------------------------------------


@dataclass(frozen=True)
class Custom:
    start: Decimal
    step: Decimal
    every_days: int
    every_text: str
    target: Decimal | None


def custom(
    start: Decimal, step: Decimal, every: int, weeks: bool, target: Decimal | None
) -> Custom:
    if weeks:
        return Custom(start, step, every * 7, f"{every}w", target)
    return Custom(start, step, every, f"{every} days" if every % 2 else f"{every}d", target)


customs = st.one_of(
    st.builds(
        custom,
        st.decimals(min_value="0.25", max_value="3", places=2),
        st.decimals(min_value="0.25", max_value="2", places=2),
        st.integers(1, 28),
        st.just(False),
        maybe(st.decimals(min_value="0.5", max_value="5", places=1)),
    ),
    st.builds(
        custom,
        st.decimals(min_value="0.25", max_value="3", places=2),
        st.decimals(min_value="0.25", max_value="2", places=2),
        st.integers(1, 4),
        st.just(True),
        maybe(st.decimals(min_value="0.5", max_value="5", places=1)),
    ),
    # Small steps: long climbs, some longer than two years (refused).
    st.builds(
        custom,
        st.decimals(min_value="3.5", max_value="4.4", places=1),
        st.decimals(min_value="0.01", max_value="0.05", places=2),
        st.integers(5, 20),
        st.just(False),
        st.just(Decimal("4.5")),
    ),
)


def batches_of(draws: list[Fraction], keep_days: int = 14, water_ml: Fraction = FIFTY) -> int:
    """Count the batches: a new one when the old is past its days or cannot hold the dose.

    No bottle is planned to its last drop: a tenth of it (at least 2 mL) is kept back.
    """
    usable = water_ml - max(water_ml / 10, F(2))
    count, first, used = 0, 0, F(0)
    for day, need in enumerate(draws, start=1):
        if count == 0 or day > first + keep_days - 1 or used + need > usable:
            count, first, used = count + 1, day, F(0)
        used += need
    return count


def test_fuzz_custom_schedule_structured() -> None:
    tally = Tally()

    @fuzz("schedule")
    @given(customs, st.booleans(), st.booleans())
    def check(c: Custom, as_json: bool, confirm: bool) -> None:
        args = ["schedule", "--start", f"{c.start}mg", "--step", f"{c.step} mg"]
        args += ["--every", c.every_text, "--start-date", START.isoformat(), "--hold", "2w"]
        if c.target is not None:
            args += ["--target", f"{c.target}mg"]
        if as_json:
            args.append("--json")
        if confirm:
            args.append("--confirm")
        result = invoke(*args)
        check_invariants(result, json_errors=as_json)
        start, step = F(str(c.start)), F(str(c.step))
        target = F(9, 2) if c.target is None else F(str(c.target))
        if start > target:
            assert result.exit_code == 2, result.output
            assert "above the target" in result.stderr
            return
        climbs = math.ceil((target - start) / step)
        doses = [start + i * step for i in range(climbs)] + [target]
        days = [c.every_days] * climbs + [14]
        expected = [expect_dose(d) for d in doses]
        tally.add(result)
        if climbs * c.every_days > 730:
            assert result.exit_code == 1, result.output
            assert "more than two years" in result.stderr
            return
        # The soft limits (issue 23 section 11): above 4.5 mg, or a rise above 1.5 mg.
        rises = [b - a for a, b in pairwise(doses)]
        if not confirm and (target > F(9, 2) or any(r > F(3, 2) for r in rises)):
            assert result.exit_code == 1, result.output
            assert "soft-limit" in result.stderr if as_json else "--confirm" in result.stderr
            return
        if any(e.refusals for e in expected):
            assert result.exit_code == 1, result.output
            return
        assert result.exit_code == 0, result.output
        total_days = sum(days)
        draws = [e.mark_ml for e, n in zip(expected, days, strict=True) for _ in range(n)]
        if not as_json:
            assert_safe(result.stdout)
            end = START + timedelta(days=total_days - 1)
            assert f"{total_days} days (2027-01-04 to {end.isoformat()})" in " ".join(
                result.stdout.split()
            )
            return
        obj = json.loads(result.stdout)
        assert len(obj["steps"]) == len(doses)
        first = 1
        for shown, e, n in zip(obj["steps"], expected, days, strict=True):
            check_dose_json(shown, e)
            assert shown["first_day"] == first
            assert shown["first_date"] == (START + timedelta(days=first - 1)).isoformat()
            first += n
        assert [s["at_target"] for s in obj["steps"]] == [False] * climbs + [True]
        assert obj["totals"]["days"] == total_days
        assert obj["totals"]["tablets"] == batches_of(draws)

    run_all(check)
    tally.check(least=EXAMPLES["schedule"] // 2)


steps_text = st.one_of(
    quantity_texts, st.sampled_from(["0.5mg", "1mg", "1.5 mg", "0.25mg", "750mcg"])
)
every_text = st.one_of(
    quantity_texts, st.sampled_from(["7d", "14d", "2w", "2 weeks", "1", "10 days"])
)


@fuzz("schedule")
@given(steps_text, steps_text, every_text, maybe(steps_text))
def test_fuzz_custom_schedule_text(start: str, step: str, every: str, target: str | None) -> None:
    args = ["schedule", "--start-date", START.isoformat(), "--hold", "2w", "--json"]
    args += ["--start", start, "--step", step, "--every", every]
    if target is not None:
        args += ["--target", target]
    result = invoke(*args)
    check_invariants(result, json_errors=True)
    if cannot_be_a_number(start) or cannot_be_a_number(every):
        assert result.exit_code == 2, result.output
    if result.exit_code != 0:
        return
    obj = json.loads(result.stdout)
    doses = [Fraction(repr(s["dose_mg"])) for s in obj["steps"]]
    assert doses == sorted(doses)
    assert obj["steps"][-1]["at_target"]
    for shown, dose in zip(obj["steps"], doses, strict=True):
        check_measured_json(shown, expect_dose(dose))


# --- The recommender -------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    low: Decimal
    high: Decimal
    step: Decimal

    @property
    def doses(self) -> list[Fraction]:
        low, high, step = F(str(self.low)), F(str(self.high)), F(str(self.step))
        doses = [low + i * step for i in range(int((high - low) / step) + 1)]
        return doses if doses[-1] == high else [*doses, high]


ranges = st.builds(
    Range,
    st.decimals(min_value="0.1", max_value="3", places=1),
    st.decimals(min_value="0.5", max_value="6", places=1),
    st.decimals(min_value="0.05", max_value="2", places=2),
)


def test_fuzz_mix_structured() -> None:
    tally = Tally()

    @fuzz("mix")
    @given(ranges)
    def check(r: Range) -> None:
        result = invoke(
            "mix", "--from", f"{r.low}mg", "--to", f"{r.high} mg", "--step", f"{r.step}mg",
            "--tablets", "1", "--top", "3", "--json",
        )  # fmt: skip
        check_invariants(result, json_errors=True)
        if r.low > r.high:
            assert result.exit_code == 2, result.output
            assert "starts above its end" in result.stderr
            return
        doses = r.doses
        if len(doses) > 100:
            assert result.exit_code == 2, result.output
            assert "choose a larger step" in result.stderr
            return
        tally.add(result)
        assert result.exit_code == 0, result.output
        obj = json.loads(result.stdout)
        assert obj["searched"] == 246
        keys = []
        for candidate in obj["candidates"]:
            prep = candidate["preparation"]
            assert (prep["tablets"], prep["strength_mg"]) == (1, 50)
            water = exact(prep, "water_ml")
            expected = [expect_dose(d, 1, FIFTY, water) for d in doses]
            assert not any(e.refusals for e in expected)
            # Ranked on the dose as dose gives it: drawn from the stock at the nearest
            # mark, or diluted (then by its dilution's range, on its last draw's mark).
            shares, readings = [], []
            for shown, e in zip(candidate["doses"], expected, strict=True):
                diluted = check_measured_json(shown, e)
                if diluted is None:
                    shares.append(abs(e.change) + measuring_share(e))
                    readings.append(e.graduation_ml / 2 / e.volume_ml)
                else:
                    shares.append(diluted)
                    readings.append(exact(shown, "graduation_ml") / 2 / exact(shown, "volume_ml"))
            off_mark = sum(not good(e) for e in expected)
            assert candidate["exact"] is (off_mark == 0)
            reading = max(readings)
            worst = max(shares)
            json_agrees(candidate["worst_reading_error_percent"], reading * 100)
            json_agrees(candidate["worst_error_percent"], worst * 100)
            keys.append((off_mark > 0, off_mark, worst))
        assert obj["candidates"], "no preparation at all for an ordinary range"
        assert keys == sorted(keys)  # ranked: exact first, then fewer doses off, smaller error

    run_all(check)
    tally.check(least=EXAMPLES["mix"] // 2)


# --- Protocols -------------------------------------------------------------------------


@fuzz("protocols")
@given(
    st.one_of(
        st.sampled_from(["ldnrt-weekly", "ldnrt-sensitive", "ldnno-ms", "lavender-sky"]),
        st.text(max_size=20),
    ),
    st.sampled_from(["protocols", "schedule"]),
)
def test_fuzz_protocol_ids(protocol_id: str, command: str) -> None:
    options = ["--start-date", START.isoformat()] if command == "schedule" else []
    result = invoke(command, *options, "--", protocol_id)
    check_invariants(result)
    known = {"ldnrt-weekly", "ldnrt-sensitive", "ldnno-ms", "lavender-sky"}
    if protocol_id in known:
        assert result.exit_code == 0, result.output
        assert_safe(result.stdout)
        assert f"{protocol_id}" in result.stdout
    elif protocol_id.strip():
        assert result.exit_code == 2, (protocol_id, result.output)
        assert result.stderr.startswith("Error: no protocol ")


def test_the_generated_valid_cases_include_refusals_and_answers() -> None:
    # The oracle itself: a dose of each kind (guards the structured generators' meaning).
    assert expect_dose(F(9, 2)).mark_ml == F(23, 5)
    assert expect_dose(F(60)).refusals[0] == "more than the whole preparation holds"
    # 1 mL on marks 0.6 mL apart: 1.2 mL, +20%; 0.5 mL on a 10 mL syringe is diluted.
    assert MARK_TOO_COARSE in expect_dose(F(1), syringe=(F(3), F(3, 5))).refusals
    assert expect_dose(F(1, 2), syringe=(F(10), F(1))).diluted
    assert expect_dose(F(1, 10)).diluted  # 0.1 mL of the stock: at or below 0.1 mL
    assert expect_dose(F(9, 2), syringe=(F(1, 2), F(1, 100))).draw == (9, F(1, 2), F(0))
    assert batches_of([F(1)] * 14 + [F(2)] * 7) == 2
    counts = Counter(read_junk(t) is not None for t in ["4.5 mg", "4,5", "4.5e1 MG", "x"])
    assert counts == {True: 2, False: 2}


def test_library_errors_are_all_ldncalc_errors() -> None:
    for bad in ["", "nan", "4,5", ".5", "1 tsp", "4.5 mL", "1/2 mg", "0x10 mg"]:
        try:
            parse_dose(bad)
        except LdncalcError:
            continue
        raise AssertionError(bad)
