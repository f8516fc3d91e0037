"""Drive every command through the CLI with generated arguments, and check that
each run either prints a correct, safely written answer or refuses clearly."""

from __future__ import annotations

import json
import re
from datetime import date
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldncalc.errors import LdncalcError
from ldncalc.preparation import make_preparation, plan_dose
from ldncalc.supply import plan_batches
from ldncalc.syringes import parse_syringe
from ldncalc.titration import build_schedule, custom_protocol, protocols
from ldncalc.units import as_fraction, parse_dose, parse_duration_days
from tests.fuzzing import EXAMPLES, check_invariants, invoke, quantity_texts
from tests.safe_notation import assert_safe


def fuzz(kind: str) -> settings:
    return settings(
        max_examples=EXAMPLES[kind],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


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
            return line.split(":", 1)[1]
    raise AssertionError(f"no {name} line in {out!r}")


def agrees(shown: tuple[Fraction, bool], exact: Fraction) -> None:
    value, is_exact = shown
    if is_exact:
        assert value == exact
    else:
        assert abs(value - exact) <= abs(exact) / 1000


@fuzz("dose")
@given(quantity_texts)
def test_fuzz_dose_text(text: str) -> None:
    result = invoke("dose", text)
    check_invariants(result)
    if result.exit_code == 0:
        out = result.stdout
        assert_safe(out)
        plan = plan_dose(parse_dose(text))
        agrees(value_of(field(out, "Dose")), plan.dose_mg)
        agrees(value_of(field(out, "Volume")), plan.measurement.volume_ml)
        if plan.measurement.fills == 1:
            agrees(value_of(field(out, "Draw to")), plan.measurement.measured_ml)
        agrees(value_of(field(out, "Delivers")), plan.delivered_mg)


@fuzz("dose_json")
@given(quantity_texts)
def test_fuzz_dose_json(text: str) -> None:
    result = invoke("dose", text, "--json")
    check_invariants(result)
    if result.exit_code == 0:
        obj = json.loads(result.stdout)
        plan = plan_dose(parse_dose(text))
        for key, exact in [
            ("dose_mg", plan.dose_mg),
            ("volume_ml", plan.measurement.volume_ml),
            ("measured_volume_ml", plan.measurement.measured_ml),
            ("delivered_dose_mg", plan.delivered_mg),
        ]:
            shown = Fraction(repr(obj[key]))
            assert shown == exact or abs(shown - exact) <= abs(exact) / 10**10, key


@fuzz("options")
@given(
    st.sampled_from(["--tablets", "--strength", "--water", "--syringe"]),
    st.one_of(quantity_texts, st.sampled_from(["5mL:0.1mL", "1:0.01", "3mL", "7mL", "5:0.3"])),
    st.sampled_from(["0.5mg", "1mg", "4.5mg", "4500mcg"]),
)
def test_fuzz_dose_options(option: str, value: str, dose_text: str) -> None:
    result = invoke("dose", dose_text, option, value)
    check_invariants(result)
    if result.exit_code == 0:
        assert_safe(result.stdout)
        kwargs: dict[str, object] = {}
        if option == "--tablets":
            kwargs["tablets"] = int(value)
        elif option in ("--strength", "--water"):
            kwargs[option[2:]] = value
        prep = make_preparation(**kwargs)  # type: ignore[arg-type]
        syringe = parse_syringe(value) if option == "--syringe" else None
        plan = plan_dose(parse_dose(dose_text), prep, syringe)
        if plan.measurement.fills == 1:
            agrees(value_of(field(result.stdout, "Draw to")), plan.measurement.measured_ml)


steps_text = st.one_of(
    quantity_texts, st.sampled_from(["0.5mg", "1mg", "1.5 mg", "0.25mg", "750mcg"])
)
every_text = st.one_of(
    quantity_texts, st.sampled_from(["7d", "14d", "2w", "2 weeks", "1", "10 days"])
)


@fuzz("schedule")
@given(steps_text, steps_text, every_text, st.one_of(st.none(), steps_text), st.booleans())
def test_fuzz_custom_schedule(
    start: str, step: str, every: str, target: str | None, as_json: bool
) -> None:
    args = [
        "schedule",
        "--start",
        start,
        "--step",
        step,
        "--every",
        every,
        "--start-date",
        "2027-01-04",
        "--hold",
        "2w",
    ]
    if target is not None:
        args += ["--target", target]
    if as_json:
        args.append("--json")
    result = invoke(*args)
    check_invariants(result)
    if result.exit_code != 0:
        return
    plan = build_schedule(
        custom_protocol(
            as_fraction(parse_dose(start), "mg"),
            as_fraction(parse_dose(step), "mg"),
            parse_duration_days(every),
            as_fraction(parse_dose(target or "4.5mg"), "mg"),
        ),
        start_date=date(2027, 1, 4),
        hold_days=14,
    )
    supply = plan_batches(plan)
    if as_json:
        obj = json.loads(result.stdout)
        assert len(obj["steps"]) == len(plan.steps)
        for shown, step_ in zip(obj["steps"], plan.steps, strict=True):
            assert Fraction(repr(shown["measured_volume_ml"])) == step_.plan.measurement.measured_ml
            assert shown["first_date"] == step_.first_date.isoformat()
        assert obj["totals"]["tablets"] == supply.tablets
    else:
        assert_safe(result.stdout)
        assert f"{plan.days} days" in " ".join(result.stdout.split())


@fuzz("mix")
@given(steps_text, steps_text, steps_text)
def test_fuzz_mix(low: str, high: str, step: str) -> None:
    result = invoke(
        "mix", "--from", low, "--to", high, "--step", step, "--tablets", "1", "--top", "2"
    )
    check_invariants(result)
    if result.exit_code == 0:
        assert_safe(result.stdout)


@fuzz("protocols")
@given(
    st.one_of(st.sampled_from([p.id for p in protocols()]), st.text(max_size=20)),
    st.sampled_from(["protocols", "schedule"]),
)
def test_fuzz_protocol_ids(protocol_id: str, command: str) -> None:
    args = [command, protocol_id] + (
        ["--start-date", "2027-01-04"] if command == "schedule" else []
    )
    result = invoke(*args)
    check_invariants(result)
    if result.exit_code == 0:
        assert_safe(result.stdout)
        assert protocol_id in result.stdout


def test_library_errors_are_all_ldncalc_errors() -> None:
    # The fuzz tests call the library to compare; this keeps that honest too.
    for bad in ["", "nan", "4,5", ".5", "1 tsp", "4.5 mL"]:
        try:
            parse_dose(bad)
        except LdncalcError:
            continue
        raise AssertionError(bad)
