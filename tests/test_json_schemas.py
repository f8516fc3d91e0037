"""Every JSON object the CLI writes validates against the JSON Schema that ships for it.

The schemas (``ldncalc/data/schemas/*.json``, draft 2020-12) are strict: no key
the renderer does not write, every key documented with its unit, and every key
required unless its description says "Optional". The tests run the CLI in
process (``ldncalc.cli.run``) and validate what it prints, including the error
objects it writes on stderr under ``--json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ldncalc.cli import run
from ldncalc.diary.exchange import EXPORT_SCHEMA
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.dose.preparation import make_preparation, plan_dose
from ldncalc.dose.syringes import CATALOGUE
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.plan.titration import protocols
from ldncalc.render.jsonout import dose_object, dumps, schema
from ldncalc.schemas import SCHEMA_NAMES, load_schema, schema_path

DATE = ["--start-date", "2027-01-04"]
PROTOCOL_IDS = [p.id for p in protocols()]

VALIDATORS = {
    name: Draft202012Validator(
        load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    for name in SCHEMA_NAMES
}


def schema_errors(obj: Any, name: str) -> list[str]:
    """Return every way ``obj`` breaks the schema ``name``, one line each."""
    found = VALIDATORS[name].iter_errors(obj)
    return sorted(f"{e.json_path}: {e.message}" for e in found)


def name_of(obj: dict[str, Any]) -> str:
    """Return the schema's name from an object's tag: 'ldncalc.dose-table/2' -> 'dose-table'."""
    tag = obj["schema"]
    assert isinstance(tag, str)
    assert tag.startswith("ldncalc.")
    name = tag.removeprefix("ldncalc.").rsplit("/", 1)[0]
    assert tag == schema(name)
    return name


def assert_valid(obj: dict[str, Any], expected: str) -> None:
    """Fail with every schema error unless ``obj`` is a valid object of kind ``expected``."""
    assert name_of(obj) == expected
    errors = schema_errors(obj, expected)
    assert not errors, "\n".join(errors)


def invoke(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    """Run the CLI in process; return its exit code, stdout and stderr."""
    code = run(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def json_out(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, Any]:
    """Run a command that succeeds; return the one JSON object it printed."""
    code, out, err = invoke(capsys, args)
    assert code == 0, err
    assert err == ""
    obj = json.loads(out)
    assert isinstance(obj, dict)
    return obj


# The schemas themselves


def test_every_schema_is_a_valid_draft_2020_12_schema() -> None:
    for name in SCHEMA_NAMES:
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"urn:ldncalc:schema:{name}"


def test_one_file_ships_per_object_and_nothing_else() -> None:
    folder = files("ldncalc.data").joinpath("schemas")
    shipped = sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))
    assert shipped == sorted(f"{name}.json" for name in SCHEMA_NAMES)
    assert set(SCHEMA_NAMES) == {
        "dose",
        "dose-table",
        "mix",
        "protocols",
        "schedule",
        "error",
        "plan",
        "today",
        "history",
        "check",
        "kit",
        "diary",
        "report",
    }


def test_each_schema_pins_its_objects_tag() -> None:
    for name in SCHEMA_NAMES:
        if name == "error":
            continue
        tag = load_schema(name)["properties"]["schema"]
        # The diary export is versioned by the store (its import reads it back).
        expected = EXPORT_SCHEMA if name == "diary" else schema(name)
        assert tag["const"] == expected


def test_schema_path_is_a_packaged_resource_that_can_be_a_real_file() -> None:
    resource = schema_path("schedule")
    assert resource.name == "schedule.json"
    with as_file(resource) as real:
        assert isinstance(real, Path)
        assert json.loads(real.read_text("utf-8")) == load_schema("schedule")


def test_an_unknown_schema_name_is_refused_with_the_names_that_exist() -> None:
    with pytest.raises(InvalidInputError) as caught:
        schema_path("schedules")
    assert str(caught.value) == (
        "no JSON schema is named 'schedules'; the schemas are dose, dose-table, mix, "
        "protocols, schedule, error, plan, today, history, check, kit, diary, report"
    )
    assert caught.value.code == "unknown-schema"
    with pytest.raises(InvalidInputError) as caught:
        load_schema("../units")
    assert str(caught.value).startswith("no JSON schema is named '../units'; ")


def _object_schemas(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every sub-schema that describes an object, with where it is."""
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield where, node
        for key, value in node.items():
            yield from _object_schemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _object_schemas(value, f"{where}/{i}")


def _resolved(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    """Return a property's schema, following a local $ref."""
    ref = prop.get("$ref")
    if ref is None:
        return prop
    assert isinstance(ref, str)
    assert ref.startswith("#/$defs/")
    target = schema["$defs"][ref.removeprefix("#/$defs/")]
    assert isinstance(target, dict)
    return target


# Each key's unit, by the key's ending: the description must say it.
UNITS = (
    ("_mg_per_ml", "in mg/mL"),
    ("_mg", "in mg"),
    ("_ml", "in mL"),
    ("_percent", "in percent"),
    ("_days", "in days"),
)


def test_every_object_is_closed_and_every_key_documented_with_its_unit() -> None:
    checked = 0
    for name in SCHEMA_NAMES:
        schema = load_schema(name)
        assert schema["description"]
        for where, node in _object_schemas(schema, name):
            if isinstance(node.get("additionalProperties"), dict):
                continue  # a map by name (scores, a stored payload): its values are typed
            assert node.get("additionalProperties") is False, where
            props = node["properties"]
            assert node["description"], where
            optional = set()
            for key, prop in props.items():
                described = _resolved(schema, prop)
                text = described.get("description", "")
                assert len(text) > 10, f"{where}/{key} has no description"
                if text.startswith("Optional"):
                    optional.add(key)
                for ending, unit in UNITS:
                    if key.endswith(ending) or (ending == "_days" and key == "days"):
                        assert unit in text, f"{where}/{key}: {text!r} does not say {unit!r}"
                        break
                checked += 1
            assert set(node["required"]) == set(props) - optional, where
    assert checked > 100


SHARED = (
    "preparation",
    "measured_dose",
    "warning",
    "protocol",
    "climb_step",
    "dose_range",
    "assay",
    "water_measure",
    "dilution_stage",
)


def test_pieces_shared_between_objects_are_spelled_once() -> None:
    seen: dict[str, tuple[str, Any]] = {}
    for name in SCHEMA_NAMES:
        for key, definition in load_schema(name).get("$defs", {}).items():
            if key in seen:
                first, earlier = seen[key]
                assert definition == earlier, f"$defs/{key} differs in {first} and {name}"
            seen[key] = (name, definition)
    assert set(SHARED) <= set(seen)
    dose_keys = seen["measured_dose"][1]["properties"]
    # dose and each schedule step carry the measuring keys at their own level.
    dose = load_schema("dose")["properties"]
    step = load_schema("schedule")["$defs"]["step"]["properties"]
    for key, prop in dose_keys.items():
        assert dose[key] == prop, key
        assert step[key] == prop, key
    schedule_defs = load_schema("schedule")["$defs"]
    protocol = seen["protocol"][1]["properties"]
    assert schedule_defs["schedule_protocol"]["properties"] == {
        **protocol,
        "hold_days": schedule_defs["schedule_protocol"]["properties"]["hold_days"],
    }
    preparation = seen["preparation"][1]["properties"]
    assert schedule_defs["preparation"]["properties"] == preparation


# Every output of the CLI


def test_the_default_table_validates(capsys: pytest.CaptureFixture[str]) -> None:
    obj = json_out(capsys, ["--json"])
    assert_valid(obj, "dose-table")
    assert [d["dose_mg"] for d in obj["doses"]] == [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]
    assert obj["disclaimer"] == DISCLAIMER


DOSES = {
    "default": (["dose", "4.5mg"], ["mark-changes-dose"]),
    "small": (["dose", "0.5mg"], []),
    "mcg, more water": (["dose", "4500mcg", "--water", "100mL"], []),
    "bare number, two tablets": (
        ["dose", "3", "--tablets", "2", "--water", "25mL"],
        ["read-as-mg"],
    ),
    "concentration": (["dose", "1.5mg", "--concentration", "0.5mg/mL"], []),
    "a syringe too big": (["dose", "4.5mg", "--syringe", "10mL"], ["mark-changes-dose"]),
    "several fills": (["dose", "12mg", "--syringe", "1mL"], ["dose-above-5mg", "multiple-fills"]),
    "other strength": (
        ["dose", "0.25mg", "--strength", "4.5mg", "--water", "9mL"],
        ["dose-below-range"],
    ),
    "finer marks": (["dose", "4.5mg", "--syringe", "5mL:0.1mL"], []),
    "one dilution": (["dose", "0.05mg"], ["dose-below-range"]),
    "two dilutions": (["dose", "0.002mg"], ["dose-below-range"]),
    "dilution asked for": (["dose", "0.5mg", "--dilute"], []),
    "a concentration that never ends": (["dose", "1mg", "--water", "30mL"], []),
    "stated water error, own assay": (
        ["dose", "4.5mg", "--water-error", "1mL", "--assay", "95-105%"],
        ["mark-changes-dose"],
    ),
    "explained": (["dose", "4.5mg", "--explain"], ["mark-changes-dose"]),
    "grams": (
        ["dose", "0.0045g", "--tablets", "3", "--strength", "50mg", "--water", "150mL"],
        ["mark-changes-dose"],
    ),
}


@pytest.mark.parametrize("case", list(DOSES))
def test_dose_validates(capsys: pytest.CaptureFixture[str], case: str) -> None:
    args, codes = DOSES[case]
    obj = json_out(capsys, [*args, "--json"])
    assert_valid(obj, "dose")
    assert [w["code"] for w in obj["warnings"]] == codes


def test_dose_json_agrees_with_plain_arithmetic(capsys: pytest.CaptureFixture[str]) -> None:
    obj = json_out(capsys, ["dose", "3mg", "--tablets", "2", "--water", "25mL", "--json"])
    assert_valid(obj, "dose")
    concentration = Fraction(2 * 50, 25)  # 4 mg/mL
    assert obj["preparation"] == {
        "tablets": 2,
        "strength_mg": 50,
        "water_ml": 25,
        "concentration_mg_per_ml": 4,
    }
    assert Fraction(str(obj["volume_ml"])) == Fraction(3) / concentration  # 0.75 mL
    assert (obj["syringe_ml"], obj["graduation_ml"], obj["fills"]) == (1, 0.01, 1)


MIXES = {
    "default": ["mix"],
    "a range": ["mix", "--from", "1mg", "--to", "4.5mg", "--step", "0.5mg"],
    "two tablets, top 3": ["mix", "--tablets", "2", "--top", "3"],
    "below the range": ["mix", "--from", "0.1mg", "--to", "0.7mg", "--step", "0.15mg"],
    "nothing exact": ["mix", "--from", "0.01mg", "--to", "0.03mg", "--step", "0.01mg"],
    "above the range": ["mix", "--from", "4mg", "--to", "6mg", "--strength", "4.5mg"],
}


@pytest.mark.parametrize("case", list(MIXES))
def test_mix_validates(capsys: pytest.CaptureFixture[str], case: str) -> None:
    obj = json_out(capsys, [*MIXES[case], "--json"])
    assert_valid(obj, "mix")
    assert obj["candidates"]
    if case == "nothing exact":
        assert "no-exact-preparation" in [w["code"] for w in obj["warnings"]]
        assert not obj["candidates"][0]["exact"]
    if case == "two tablets, top 3":
        assert len(obj["candidates"]) == 3
        assert {c["preparation"]["tablets"] for c in obj["candidates"]} == {2}


def test_protocols_validates(capsys: pytest.CaptureFixture[str]) -> None:
    obj = json_out(capsys, ["protocols", "--json"])
    assert_valid(obj, "protocols")
    assert [p["id"] for p in obj["protocols"]] == PROTOCOL_IDS
    assert obj["warnings"] == []


@pytest.mark.parametrize("protocol_id", PROTOCOL_IDS)
def test_one_protocol_validates(capsys: pytest.CaptureFixture[str], protocol_id: str) -> None:
    obj = json_out(capsys, ["protocols", protocol_id, "--json"])
    assert_valid(obj, "protocols")
    assert [p["id"] for p in obj["protocols"]] == [protocol_id]


SCHEDULES = {
    **{pid: [pid, *DATE] for pid in PROTOCOL_IDS},
    "default, priced": [*DATE, "--tablet-price", "1.20"],
    "custom climb": ["--start", "1mg", "--step", "0.5mg", "--every", "2w", "--target", "3mg"],
    "custom, priced": [
        "--start",
        "0.5mg",
        "--step",
        "0.5mg",
        "--every",
        "10d",
        "--tablet-price",
        "2",
    ],
    "constant": ["--start", "3mg", "--target", "3mg", *DATE],
    "other preparation": [*DATE, "--tablets", "2", "--water", "100mL", "--keep", "7d"],
    "short hold, own syringe": [*DATE, "--hold", "2w", "--syringe", "10mL"],
    "two warnings in a step": ["--start", "0.1mg", "--step", "0.1mg", "--every", "3d", *DATE],
    "diluted batches": [
        "--start",
        "0.05mg",
        "--step",
        "0.05mg",
        "--every",
        "7d",
        "--target",
        "0.2mg",
    ],
    "never-ending concentration, reserve": [*DATE, "--water", "30mL", "--reserve", "1mL"],
    "stated water error, own assay": [*DATE, "--water-error", "1mL", "--assay", "100%"],
}


@pytest.mark.parametrize("how", ["--json", "--format=json"])
@pytest.mark.parametrize("case", list(SCHEDULES))
def test_schedule_validates(capsys: pytest.CaptureFixture[str], case: str, how: str) -> None:
    obj = json_out(capsys, ["schedule", *SCHEDULES[case], *how.split("=")])
    assert_valid(obj, "schedule")
    priced = "--tablet-price" in SCHEDULES[case]
    diluted = [b for b in obj["batches"] if b["dilution"]]
    if case == "diluted batches":
        assert diluted
    assert all(b["liquid"].startswith("dilution ") for b in diluted)
    assert ("cost" in obj["totals"]) is priced
    assert sum(s["last_day"] - s["first_day"] + 1 for s in obj["steps"]) == obj["totals"]["days"]


def test_a_priced_schedule_has_its_cost(capsys: pytest.CaptureFixture[str]) -> None:
    obj = json_out(capsys, ["schedule", *DATE, "--tablet-price", "1.20", "--json"])
    assert_valid(obj, "schedule")
    tablets = obj["totals"]["tablets"]
    assert Fraction(str(obj["totals"]["cost"])) == Fraction("1.20") * tablets
    assert obj["warnings"] == [
        {
            "code": "mark-changes-dose",
            "message": obj["warnings"][0]["message"],
            "step": 5,
        }
    ]


def test_a_schedule_written_to_a_file_validates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "plan.json"
    code, out, err = invoke(capsys, ["schedule", *DATE, "-f", "json", "-o", str(target)])
    assert code == 0, err
    assert out == ""
    assert err == f"Wrote {target}\n"
    assert_valid(json.loads(target.read_text("utf-8")), "schedule")


# Errors under --json: one object on stderr, nothing on stdout, the usual exit codes.

ERRORS = {
    "not a dose": (
        ["dose", "abc"],
        2,
        "amount-unreadable",
        "'abc' does not start with a number; expected a dose in mg or mcg (for example 4.5 mg)",
    ),
    "unknown option": (
        ["dose", "4.5mg", "--bogus"],
        2,
        "usage",
        "No such option: --bogus",
    ),
    "unknown protocol": (
        ["protocols", "nope"],
        2,
        "unknown-protocol",
        "no protocol 'nope'; choose one of: " + ", ".join(PROTOCOL_IDS),
    ),
    "two formats": (
        ["schedule", "--format", "csv"],
        2,
        "invalid-input",
        "--json and --format csv|markdown ask for two formats; give one",
    ),
    "more than the bottle": (
        ["dose", "60mg"],
        1,
        "more-than-bottle",
        "60 mg is more than the whole preparation holds (50 mg); did you mean 0.6 mg?",
    ),
    "mark too coarse": (
        ["dose", "4.5mg", "--syringe", "10mL:1mL"],
        1,
        "mark-too-coarse",
        "the nearest mark (5 mL on the 10 mL (1 mL marks) syringe) changes 4.5 mg by \u2248+11%, "
        "more than 10%",
    ),
    "ultra-low dose": (
        ["dose", "0.0005mg"],
        1,
        "ultra-low-dose",
        "0.5 mcg is an ultra-low dose (below 1 mcg); a compounding pharmacy makes those",
    ),
    "climb too long": (
        ["schedule", "--start", "1mg", "--step", "0.001mg", "--every", "1d"],
        1,
        "climb-too-long",
        "steps of 1 mcg every 1 days from 1 mg take 3500 days to reach 4.5 mg, more than two "
        "years; use a larger step",
    ),
    "a range backwards": (
        ["mix", "--from", "5mg", "--to", "1mg"],
        2,
        "range-backwards",
        "the range starts above its end (5 mg > 1 mg)",
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_under_json_validate(capsys: pytest.CaptureFixture[str], case: str) -> None:
    args, exit_code, kind, message = ERRORS[case]
    code, out, err = invoke(capsys, [*args, "--json"])
    assert code == exit_code, err
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1  # one object, one line
    obj = json.loads(err)
    errors = schema_errors(obj, "error")
    assert not errors, "\n".join(errors)
    assert obj["error"]["code"] == kind
    assert obj["error"]["message"].startswith(message)
    assert err.isascii()


def test_a_huge_argument_is_cut_in_the_error_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, ["dose", "9" * 100_000 + "mg", "--json"])
    assert code in (1, 2)
    assert out == ""
    obj = json.loads(err)
    assert not schema_errors(obj, "error")
    assert len(obj["error"]["message"]) <= 203


# The schemas are strict: they refuse what the renderer does not write.


def _dose_obj(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    return json_out(capsys, ["dose", "4.5mg", "--json"])


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda o: o.update(extra=1), "Additional properties are not allowed ('extra'"),
        (lambda o: o.pop("fills"), "'fills' is a required property"),
        (lambda o: o.update(dose_mg="4.5"), "'4.5' is not of type 'number'"),
        (lambda o: o.update(dose_mg=0), "0 is less than or equal to the minimum of 0"),
        (lambda o: o.update(fills=True), "True is not of type 'integer'"),
        (lambda o: o.update(schema="ldncalc.dose/1"), "'ldncalc.dose/3' was expected"),
        (lambda o: o.update(warnings=["step 5: the mark"]), "is not of type 'object'"),
        (lambda o: o["warnings"][0].update(step=5), "Additional properties are not allowed"),
        (lambda o: o["preparation"].pop("water_ml"), "'water_ml' is a required property"),
        (lambda o: o["preparation"].update(keep_days=14), "Additional properties"),
    ],
)
def test_the_dose_schema_refuses_what_is_not_written(
    capsys: pytest.CaptureFixture[str], change: Any, complaint: str
) -> None:
    obj = _dose_obj(capsys)
    assert not schema_errors(obj, "dose")
    change(obj)
    errors = schema_errors(obj, "dose")
    assert any(complaint in e for e in errors), errors


def test_the_schedule_schema_checks_dates_and_step_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    obj = json_out(capsys, ["schedule", *DATE, "--json"])
    assert not schema_errors(obj, "schedule")
    obj["steps"][0]["first_date"] = "2027-02-30"
    del obj["warnings"][0]["step"]
    obj["totals"]["cost"] = 1
    errors = schema_errors(obj, "schedule")
    assert any("'2027-02-30' is not a 'date'" in e for e in errors), errors
    assert any("'step' is a required property" in e for e in errors), errors
    assert any("'cost_per_month' is a dependency of 'cost'" in e for e in errors), errors


def test_the_error_schema_refuses_a_bare_string() -> None:
    assert schema_errors({"error": "no"}, "error") == ["$.error: 'no' is not of type 'object'"]
    assert schema_errors({"error": {"code": "usage", "message": "x"}, "exit": 2}, "error")


# Hypothesis: any dose the library plans renders to JSON that validates.

DOSE_MG = st.fractions(min_value=Fraction(1, 100), max_value=20, max_denominator=1000)
STRENGTH_MG = st.sampled_from([Fraction(50), Fraction(9, 2), Fraction(25), Fraction(3, 2)])
WATER_ML = st.fractions(min_value=1, max_value=250, max_denominator=10)


@settings(max_examples=150, deadline=None)
@given(
    dose_mg=DOSE_MG,
    tablets=st.integers(1, 10),
    strength_mg=STRENGTH_MG,
    water_ml=WATER_ML,
    syringe=st.none() | st.sampled_from(CATALOGUE),
)
def test_any_planned_dose_validates(
    dose_mg: Fraction,
    tablets: int,
    strength_mg: Fraction,
    water_ml: Fraction,
    syringe: Any,
) -> None:
    try:
        prep = make_preparation(tablets, strength_mg, water_ml)
        plan = plan_dose(dose_mg, prep, syringe)
    except RefusedError:
        reject()
    obj = json.loads(dumps(dose_object(plan)))
    assert_valid(obj, "dose")
    # The numbers are the exact values, or within 12 significant digits of them.
    stock = tablets * strength_mg / water_ml
    assert close(obj["preparation"]["concentration_mg_per_ml"], stock)
    never_ends = any(p not in (2, 5) for p in _primes(stock.denominator))
    assert ("concentration_exact" in obj["preparation"]) is never_ends
    if never_ends:
        assert Fraction(obj["preparation"]["concentration_exact"]) == stock
    concentration = stock
    for stage in obj["dilution"]:  # each stage: the liquid's times A / (A + B)
        assert close(stage["from_concentration_mg_per_ml"], concentration)
        aliquot = Fraction(str(stage["aliquot_ml"]))
        water = Fraction(str(stage["water_ml"]))
        concentration = concentration * aliquot / (aliquot + water)
        assert close(stage["concentration_mg_per_ml"], concentration)
    assert close(obj["dose_mg"], dose_mg)
    assert close(obj["volume_ml"], dose_mg / concentration)
    # The tablets alone (90% to 110% of the label) already spread the dose that far.
    delivered = Fraction(str(obj["delivered_dose_mg"]))
    slack = 1 + Fraction(1, 10**11)
    assert Fraction(str(obj["range_mg"]["low"])) <= delivered * Fraction(9, 10) * slack
    assert Fraction(str(obj["range_mg"]["high"])) * slack >= delivered * Fraction(11, 10)


def close(written: float | int, exact: Fraction) -> bool:
    """Return whether a JSON number is ``exact``, or within 12 significant digits of it."""
    return abs(Fraction(str(written)) - exact) <= abs(exact) * Fraction(1, 10**11)


def _primes(n: int) -> set[int]:
    found = set()
    p = 2
    while p * p <= n:
        while n % p == 0:
            found.add(p)
            n //= p
        p += 1
    if n > 1:
        found.add(n)
    return found


DOSE_TEXT = st.builds(
    lambda whole, tenths, unit: f"{whole}.{tenths}{unit}",
    st.integers(0, 9),
    st.integers(1, 9),
    st.sampled_from(["mg", " mg", "mg", ""]),
) | st.builds(lambda mcg: f"{mcg}mcg", st.integers(100, 9000))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    dose_text=DOSE_TEXT,
    water=st.sampled_from([None, "25mL", "50mL", "100mL", "0.2L"]),
    tablets=st.sampled_from([None, "1", "2", "3"]),
    syringe=st.sampled_from([None, "1mL", "3mL", "5mL", "10mL", "5mL:0.1mL"]),
)
def test_any_dose_the_cli_prints_validates(
    capsys: pytest.CaptureFixture[str],
    dose_text: str,
    water: str | None,
    tablets: str | None,
    syringe: str | None,
) -> None:
    args = ["dose", dose_text, "--json"]
    for flag, value in (("--water", water), ("--tablets", tablets), ("--syringe", syringe)):
        if value is not None:
            args += [flag, value]
    code, out, err = invoke(capsys, args)
    if code == 0:
        assert err == ""
        assert_valid(json.loads(out), "dose")
    else:  # refused: the error object validates instead
        assert code == 1, err
        assert out == ""
        assert not schema_errors(json.loads(err), "error")


# The diary's objects


def test_the_kit_object_validates_and_is_exact(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDNCALC_HOME", str(tmp_path / "diary"))
    empty = json_out(capsys, ["kit", "--json"])
    assert_valid(empty, "kit")
    assert (empty["syringes"], empty["scale"], empty["dose_time"]) == ([], None, None)
    for args in (
        ["kit", "add", "10mL:0.2mL"],
        ["kit", "add", "1mL"],
        ["kit", "scale", "0.1g", "--accuracy", "0.25g"],
        ["kit", "time", "21:30"],
    ):
        code, _, err = invoke(capsys, args)
        assert code == 0, err
    kit = json_out(capsys, ["kit", "--profile", "default", "--json"])
    assert_valid(kit, "kit")
    assert kit["profile"] == "default"
    assert kit["syringes"] == [
        {"label": "1 mL (0.01 mL marks)", "capacity_ml": 1, "graduation_ml": 0.01},
        {"label": "10 mL (0.2 mL marks)", "capacity_ml": 10, "graduation_ml": 0.2},
    ]
    assert kit["scale"] == {"division_g": 0.1, "accuracy_g": 0.25}
    assert kit["dose_time"] == "21:30"
    # --json shows the kit; with a change it is refused, and nothing is recorded.
    code, out, err = invoke(capsys, ["kit", "--json", "remove", "1mL"])
    assert (code, out) == (2, "")
    assert "--json shows the kit" in json.loads(err)["error"]["message"]
    assert len(json_out(capsys, ["kit", "--json"])["syringes"]) == 2


def test_the_diary_objects_validate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LDNCALC_HOME", str(tmp_path / "diary"))
    steps = [
        ["plan", "start", "--start-date", "2026-01-05"],
        ["took", "--date", "2026-01-05"],
        ["mixed", "--date", "2026-01-05"],
        ["note", "slept badly", "--sleep", "7", "--side-effect", "vivid dreams", "--date",
         "2026-01-06"],
        ["missed", "--date", "2026-01-07"],
        ["plan", "adjust", "hold", "--date", "2026-01-12", "--reason", "dreams"],
        ["undo", "2"],
    ]  # fmt: skip
    for args in steps:
        code, _, err = invoke(capsys, args)
        assert code == 0, err
    plan = json_out(capsys, ["plan", "show", "--json"])
    assert_valid(plan, "plan")
    assert [c["action"] for c in plan["changes"]] == ["plan", "hold"]
    for day in ("2026-01-05", "2026-01-08", "2026-03-30"):
        today = json_out(capsys, ["today", "--date", day, "--json"])
        assert_valid(today, "today")
    history = json_out(capsys, ["history", "--json"])  # to today: the undo is dated today
    assert_valid(history, "history")
    assert {e["kind"] for e in history["entries"]} == {
        "plan", "took", "mixed", "note", "missed", "adjust", "undo"
    }  # fmt: skip
    check = json_out(capsys, ["data", "check", "--json"])
    assert_valid(check, "check")
    assert check["problems"] == []
    exported = tmp_path / "export.json"
    code, _, err = invoke(capsys, ["data", "export", str(exported)])
    assert code == 0, err
    document = json.loads(exported.read_text("utf-8"))
    errors = schema_errors(document, "diary")
    assert not errors, "\n".join(errors)
