"""The payload codec: one definition per shape, versions, limits and the generated schemas.

Oracles are independent of the code under test: version 1 text is built by
hand from the JSON (0.2.0 wrote no "v", and a note without a PGIC had no
"pgic"), the limits are the numbers of issue 20 written out, and the schemas
are checked with jsonschema.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ldncalc.diary.codec import (
    PAYLOAD_VERSION,
    UPGRADES,
    decode_payload,
    encode_payload,
    payload_schema,
    upgrade_v1_to_v2,
)
from ldncalc.diary.entries import (
    ACTIONS,
    KINDS,
    Adjust,
    Diluted,
    Missed,
    Mixed,
    Note,
    Payload,
    PlanStarted,
    Took,
    Undo,
)
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.schemas import load_schema
from tests.fuzzing import cli

DATA = Path(__file__).resolve().parent / "data"

# --------------------------------------------------------------------------- strategies

doses = st.fractions(min_value=F(1, 1000), max_value=50, max_denominator=1000)
amounts = st.fractions(min_value=F(1, 1000), max_value=1000, max_denominator=1000)
keeps = st.integers(1, 90)
words = st.text(min_size=1, max_size=30).filter(str.strip)


@st.composite
def plans(draw: st.DrawFn) -> PlanStarted:
    target = draw(st.fractions(min_value=F(1, 10), max_value=50, max_denominator=100))
    below = draw(
        st.lists(
            st.fractions(min_value=F(1, 100), max_value=target, max_denominator=100).filter(
                lambda d: d < target
            ),
            max_size=5,
            unique=True,
        )
    )
    climb = tuple((dose, draw(st.integers(1, 140))) for dose in sorted(below))
    syringe = draw(st.none() | st.fractions(min_value=F(1, 2), max_value=60, max_denominator=10))
    graduation = None if syringe is None else syringe / draw(st.integers(1, 100))
    return PlanStarted(
        climb=climb,
        target_mg=target,
        hold_days=draw(st.integers(1, 3653)),
        protocol_id=draw(words),
        protocol_title=draw(words),
        start_date=draw(st.dates(date(1900, 1, 1), date(2199, 12, 31))),
        tablets=draw(st.integers(1, 10)),
        strength_mg=draw(amounts),
        water_ml=draw(amounts),
        syringe_ml=syringe,
        graduation_ml=graduation,
        keep_days=draw(keeps),
    )


@st.composite
def notes(draw: st.DrawFn) -> Note:
    names = draw(st.lists(st.text(min_size=1, max_size=50).filter(str.strip), unique=True))
    scores = tuple((name, draw(st.integers(0, 10))) for name in names[:100])
    effects = tuple(draw(st.lists(st.text(min_size=1, max_size=200).filter(str.strip))))
    pgic = draw(st.none() | st.integers(1, 7))
    # A note holds something: text when it has nothing else.
    empty = not scores and not effects and pgic is None
    text = draw(words if empty else st.text(max_size=300))
    return Note(text, scores, effects[:100], pgic)


@st.composite
def adjusts(draw: st.DrawFn) -> Adjust:
    action = draw(st.sampled_from(ACTIONS))
    reason = draw(st.none() | st.text(min_size=1, max_size=500).filter(str.strip))
    if action in ("target", "dose"):
        return Adjust(action, dose_mg=draw(doses), reason=reason)
    if action == "slower":
        step = draw(st.none() | doses)
        return Adjust(action, step_mg=step, every_days=draw(st.integers(1, 730)), reason=reason)
    if action == "hold":
        return Adjust(action, for_days=draw(st.none() | st.integers(1, 3653)), reason=reason)
    return Adjust(action, reason=reason)


payloads: st.SearchStrategy[Payload] = st.one_of(
    plans(),
    st.builds(Took, st.none() | doses),
    st.just(Missed()),
    st.builds(Mixed, st.integers(1, 10), amounts, amounts, keeps),
    st.builds(Diluted, amounts, amounts, amounts, keeps, st.integers(1, 2)),
    notes(),
    adjusts(),
    st.builds(Undo, words),
)


def v1_text(payload: Payload) -> str:
    """Return the text 0.2.0 (or main before versions) would have stored for ``payload``."""
    data = json.loads(encode_payload(payload)[1])
    del data["v"]
    if isinstance(payload, Note) and payload.pgic is None:
        del data["pgic"]
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def validator(kind: str, version: int = PAYLOAD_VERSION) -> Draft202012Validator:
    return Draft202012Validator(
        payload_schema(kind, version), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


# --------------------------------------------------------------------------- round trips


@given(payloads)
def test_decode_of_encode_is_the_payload(payload: Payload) -> None:
    kind, text = encode_payload(payload)
    assert decode_payload(kind, text) == payload
    assert json.loads(text)["v"] == 2


@given(payloads)
def test_version_1_text_reads_as_the_payload(payload: Payload) -> None:
    kind = encode_payload(payload)[0]
    assert decode_payload(kind, v1_text(payload)) == payload


@given(payloads)
def test_the_schema_accepts_every_encoded_payload(payload: Payload) -> None:
    kind, text = encode_payload(payload)
    data = json.loads(text)
    validator(kind).validate(data)
    validator(kind, 1).validate(json.loads(v1_text(payload)))
    assert not validator(kind, 1).is_valid(data)  # v is not a version 1 key
    assert not validator(kind).is_valid({**data, "extra": 1})


def test_upgrade_v1_to_v2_fills_only_a_notes_pgic() -> None:
    assert dict(UPGRADES) == {1: upgrade_v1_to_v2}
    old = {"scores": [], "side_effects": [], "text": "x"}
    assert upgrade_v1_to_v2("note", old) == {**old, "pgic": None}
    assert old == {"scores": [], "side_effects": [], "text": "x"}  # not changed in place
    with_pgic = {**old, "pgic": 3}
    assert upgrade_v1_to_v2("note", with_pgic) == with_pgic
    assert upgrade_v1_to_v2("took", {"dose_mg": "1"}) == {"dose_mg": "1"}


def test_every_0_2_0_payload_reads_as_version_1() -> None:
    document = json.loads((DATA / "export-v020.json").read_text(encoding="utf-8"))
    for entry in document["entries"]:
        assert "v" not in entry["payload"]
        validator(entry["kind"], 1).validate(entry["payload"])
        payload = decode_payload(entry["kind"], json.dumps(entry["payload"]))
        assert json.loads(encode_payload(payload)[1]) == {
            "v": 2,
            **({"pgic": None} if entry["kind"] == "note" else {}),
            **entry["payload"],
        }


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("kind", "text", "detail"),
    [
        ("took", '{"dose_mg":null,"v":1}', "v 1 is not a payload version (a whole number from 2)"),
        ("took", '{"dose_mg":null,"v":true}', "v True is not a payload version"),
        ("took", '{"dose_mg":null,"v":"2"}', "v '2' is not a payload version"),
        ("took", '{"dose_mg":null,"v":2,"x":1}', "unknown x"),
        ("took", '{"v":2}', "missing dose_mg"),
        ("note", '{"v":2,"text":"a","scores":[],"side_effects":[]}', "missing pgic"),
        ("took", '{"dose_mg":"\u0664","v":2}', "dose_mg is not an exact number written as text"),
        (
            "adjust",
            '{"action":7,"dose_mg":null,"step_mg":null,"every_days":null,'
            '"for_days":null,"reason":null}',
            "action 7 is not one of: back, hold, resume, slower, target, dose, stop",
        ),
    ],
)
def test_malformed_versions_and_keys(kind: str, text: str, detail: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        decode_payload(kind, text)
    assert type(caught.value) is InvalidInputError
    assert str(caught.value).startswith(f"a stored {kind} entry is malformed: {detail}")


@pytest.mark.parametrize(
    "text", ['{"dose_mg":null,"v":3}', '{"dose_mg":null,"mood":"new","v":3}', '{"v":99}']
)
def test_a_newer_version_is_refused_as_a_newer_ldncalcs(text: str) -> None:
    with pytest.raises(RefusedError) as caught:
        decode_payload("took", text)
    version = json.loads(text)["v"]
    assert str(caught.value) == (
        f"a stored took entry was written by a newer ldncalc (payload version {version};"
        " this one reads versions 1 to 2): update ldncalc to read this diary"
    )


def test_a_diary_with_a_newer_entry_is_refused_without_a_traceback(tmp_path: Path) -> None:
    from ldncalc.diary.store import Store

    env = {"LDNCALC_HOME": str(tmp_path)}
    assert cli("plan", "start", "--start-date", "2026-01-05", env=env).exit_code == 0
    with Store(tmp_path).transaction() as tx:
        tx.append("took", date(2026, 1, 6), '{"dose_mg":"1","v":3,"with_food":true}')
    for command in (("today", "--date", "2026-01-07"), ("history", "--to", "2026-01-07")):
        result = cli(*command, env=env)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert "written by a newer ldncalc (payload version 3;" in result.stderr


def test_an_export_from_a_newer_ldncalc_is_refused_whole(tmp_path: Path) -> None:
    document = json.loads((DATA / "export-v020.json").read_text(encoding="utf-8"))
    document["entries"][2]["payload"] = {**document["entries"][2]["payload"], "v": 3}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    env = {"LDNCALC_HOME": str(tmp_path / "home")}
    result = cli("data", "import", str(path), env=env)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    kind = document["entries"][2]["kind"]
    assert result.stderr == (
        f"Error: entry 3 of the export cannot be read: a stored {kind} entry was written by a"
        " newer ldncalc (payload version 3; this one reads versions 1 to 2): update ldncalc"
        " to read this diary\n"
    )
    assert not (tmp_path / "home" / "diary.sqlite3").exists()


LIMITS: list[tuple[Any, str]] = [
    (
        lambda: Note("x" * 10_001),
        "a note's text is at most 10,000 characters (this one has 10,001)",
    ),
    (
        lambda: Note(side_effects=("y" * 201,)),
        "a side effect is at most 200 characters (this one has 201)",
    ),
    (
        lambda: Note(side_effects=tuple(f"e{i}" for i in range(101))),
        "a note has at most 100 side effects (this one has 101)",
    ),
    (
        lambda: Note(scores=(("s" * 51, 3),)),
        "a score's name is at most 50 characters (this one has 51)",
    ),
    (
        lambda: Note(scores=tuple((f"s{i}", 1) for i in range(101))),
        "a note has at most 100 scores (this one has 101)",
    ),
    (
        lambda: Adjust("back", reason="r" * 501),
        "a reason is at most 500 characters (this one has 501)",
    ),
]


@pytest.mark.parametrize(("make", "message"), LIMITS)
def test_limits_on_text_are_named(make: Any, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        make()
    assert str(caught.value) == message


def test_limits_are_inclusive() -> None:
    assert len(Note("x" * 10_000).text) == 10_000
    assert Note(side_effects=("y" * 200,) * 100).side_effects[0] == "y" * 200
    assert len(Note(scores=tuple((f"{i:050d}", 1) for i in range(100))).scores) == 100
    assert Adjust("back", reason="r" * 500).reason == "r" * 500


def test_limits_apply_to_stored_text_and_the_schema_says_them() -> None:
    text = json.dumps(
        {"v": 2, "text": "x" * 10_001, "scores": [], "side_effects": [], "pgic": None}
    )
    with pytest.raises(InvalidInputError) as caught:
        decode_payload("note", text)
    assert str(caught.value) == (
        "a stored note entry is malformed:"
        " a note's text is at most 10,000 characters (this one has 10,001)"
    )
    note = payload_schema("note")["properties"]
    assert note["text"]["maxLength"] == 10_000
    assert note["side_effects"]["maxItems"] == 100
    assert note["side_effects"]["items"]["maxLength"] == 200
    assert note["scores"]["maxItems"] == 100
    assert note["scores"]["items"]["prefixItems"][0]["maxLength"] == 50
    assert payload_schema("adjust")["properties"]["reason"]["maxLength"] == 500


def test_a_typed_note_over_the_limit_is_refused(tmp_path: Path) -> None:
    env = {"LDNCALC_HOME": str(tmp_path)}
    assert cli("plan", "start", "--start-date", "2026-01-05", env=env).exit_code == 0
    before = cli("history", "--json", "--to", "2026-01-06", env=env).stdout
    for args, message in (
        (("x" * 10_001,), "a note's text is at most 10,000 characters (this one has 10,001)"),
        (
            ("--side-effect", "y" * 201),
            "a side effect is at most 200 characters (this one has 201)",
        ),
        (("--score", "s" * 51 + "=3"), "a score's name is at most 50 characters (this one has 51)"),
    ):
        result = cli("note", *args, "--date", "2026-01-06", env=env)
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr == f"Error: {message}\n"
    assert cli("history", "--json", "--to", "2026-01-06", env=env).stdout == before


def test_an_import_over_the_limit_is_refused_whole(tmp_path: Path) -> None:
    document = json.loads((DATA / "export-v020.json").read_text(encoding="utf-8"))
    notes_at = [i for i, e in enumerate(document["entries"]) if e["kind"] == "note"]
    document["entries"][notes_at[0]]["payload"]["text"] = "x" * 10_001
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    env = {"LDNCALC_HOME": str(tmp_path / "home")}
    result = cli("data", "import", str(path), env=env)
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr == (
        f"Error: entry {notes_at[0] + 1} of the export cannot be read: a stored note entry is"
        " malformed: a note's text is at most 10,000 characters (this one has 10,001)\n"
    )
    assert not (tmp_path / "home" / "diary.sqlite3").exists()


# --------------------------------------------------------------------------- schemas


def test_every_kind_has_a_payload_schema_in_both_files() -> None:
    for name, versions in (("diary", ("", "_v1")), ("history", ("",))):
        defs = load_schema(name)["$defs"]
        for kind in KINDS:
            for suffix in versions:
                assert defs[f"{kind}_payload{suffix}"] == payload_schema(
                    kind, 1 if suffix else PAYLOAD_VERSION
                )
    with pytest.raises(InvalidInputError, match=r"^no payload schema for 'walked' version 2$"):
        payload_schema("walked")
    with pytest.raises(InvalidInputError, match=r"^no payload schema for 'took' version 3$"):
        payload_schema("took", 3)


def test_the_export_schema_checks_payloads_by_kind() -> None:
    schema = load_schema("diary")
    check = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    document = json.loads((DATA / "export-v020.json").read_text(encoding="utf-8"))
    check.validate(document)  # 0.2.0's payloads: version 1
    entry = document["entries"][0]
    current = json.loads(
        encode_payload(decode_payload(entry["kind"], json.dumps(entry["payload"])))[1]
    )
    check.validate({**document, "entries": [{**entry, "payload": current}]})
    took = next(e for e in document["entries"] if e["kind"] == "took")
    for wrong in ({"dose_mg": 1}, {"dose_mg": "1", "v": 3}, {}, {"text": "x"}):
        assert not check.is_valid({**document, "entries": [{**took, "payload": wrong}]}), wrong
    day = date(2026, 1, 5) + timedelta(days=1)
    assert check.is_valid(
        {**document, "entries": [{**took, "date": day.isoformat(), "payload": {"dose_mg": "1/3"}}]}
    )
