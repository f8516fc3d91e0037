"""The JSON Schemas of the outputs are generated from their types, and the shipped files are those.

Issue 24 item 7: each output shape is defined once (a TypedDict in
ldncalc.render.shapes, or ldncalc.diary.shapes for the diary's export, which
annotates the code that builds it); its schema is derived from it by
ldncalc.render.schemagen, and a shipped file that differs fails here with the
command that rewrites it. No part of a shipped file is read back to make it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, Literal, NotRequired, TypedDict

import pytest
from jsonschema import Draft202012Validator

from ldncalc import schemas
from ldncalc.diary.exchange import EXPORT_SCHEMA
from ldncalc.diary.shapes import ExportDocument
from ldncalc.jsonshape import Doc, Exact, IsoDate
from ldncalc.render import schemagen
from ldncalc.render.shapes.dose import Warning
from ldncalc.schemas import SCHEMA_NAMES, load_schema, schema_path
from tests.test_startup import modules_loaded_by

COMMAND = "python -m ldncalc.render.schemagen --write"


def test_the_shipped_schemas_are_what_the_types_generate() -> None:
    for name, schema in schemagen.generated_schemas().items():
        shipped = schema_path(name).read_text(encoding="utf-8")
        assert shipped == schemagen.schema_text(schema), f"{name}.json is stale: run {COMMAND}"


def test_every_shipped_schema_is_generated() -> None:
    generated = set(schemagen.generated_schemas())
    assert generated == set(SCHEMA_NAMES)
    # The export ('diary') too: the diary wing's own type, its payloads from the codec.
    assert set(schemagen.OUTPUTS) == generated
    assert schemagen.OUTPUTS["diary"][0] is ExportDocument


def test_no_schema_is_made_from_the_shipped_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every schema, the export's envelope included, comes from types alone (issue 24 item 7)."""
    shipped = {name: load_schema(name) for name in SCHEMA_NAMES}

    def refuse(name: str) -> Any:
        raise AssertionError(f"the generator read the shipped {name}.json")

    monkeypatch.setattr(schemas, "load_schema", refuse)
    monkeypatch.setattr(schemas, "schema_path", refuse)
    generated = schemagen.generated_schemas()
    assert generated == shipped


class _WiderExport(ExportDocument):
    """An export with one key more."""

    origin: Annotated[str, Doc("Where it came from.", minLength=1)]


def test_the_export_envelope_follows_its_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key added to the export's type is in its schema, beside the envelope the type gives."""
    monkeypatch.setitem(schemagen.OUTPUTS, "diary", (_WiderExport, "ldncalc diary export"))
    generated = schemagen.output_schema("diary")
    assert generated["description"] == "An export with one key more."
    assert generated["properties"]["origin"] == {
        "description": "Where it came from.",
        "type": "string",
        "minLength": 1,
    }
    assert generated["required"] == ["schema", "profile", "entries", "origin"]
    assert generated["properties"]["schema"]["const"] == EXPORT_SCHEMA
    entry = generated["properties"]["entries"]["items"]
    assert entry["required"] == ["uid", "kind", "date", "recorded_at", "payload"]
    assert entry["properties"]["uid"]["pattern"] == "^[0-9a-f]{32}$"
    assert len(entry["allOf"]) == len(entry["properties"]["kind"]["enum"])  # a check a kind


def test_the_check_names_the_stale_files_and_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert schemagen._main([]) == 0
    real = schemagen.generated_schemas

    def changed() -> dict[str, dict[str, Any]]:
        schemas = real()
        schemas["dose"]["title"] = "changed"
        schemas["history"]["title"] = "changed"
        return schemas

    monkeypatch.setattr(schemagen, "generated_schemas", changed)
    assert schemagen._main([]) == 1
    assert capsys.readouterr().out == f"stale: dose, history; run {COMMAND}\n"


def test_each_schema_carries_its_id_title_and_the_objects_tag() -> None:
    from ldncalc.render.jsonout import schema

    for name, (_, title) in schemagen.OUTPUTS.items():
        generated = schemagen.output_schema(name)
        assert generated["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert generated["$id"] == f"urn:ldncalc:schema:{name}"
        assert generated["title"] == title
        Draft202012Validator.check_schema(generated)
        tag = EXPORT_SCHEMA if name == "diary" else schema(name)  # the export's own tag
        if name != "error":  # the error object has no tag: it may come before any command ran
            assert generated["properties"]["schema"]["const"] == tag
            assert next(iter(generated["properties"])) == "schema"


# The generator, on types of its own: each rule of the translation.


class _Piece(TypedDict):
    """A piece referred to from $defs."""

    low: Annotated[float, Exact("The least, in mg.", exclusiveMinimum=0)]


class _Inner(TypedDict):
    """An object written in place."""

    words: Annotated[str, Doc("Some words.", minLength=1)]


class _Shape(TypedDict):
    """A shape that uses every rule."""

    count: Annotated[int, Doc("How many (count).", minimum=1)]
    kind: Annotated[Literal["a", "b"], Doc("Which one.")]
    maybe: Annotated[Literal["a", "b"] | None, Doc("Which one, or null.")]
    day: Annotated[IsoDate | None, Doc("The day (YYYY-MM-DD), or null.")]
    flag: Annotated[bool, Doc("Whether it is.")]
    names: Annotated[list[Annotated[str, Doc(minLength=1)]], Doc("Names.", minItems=1)]
    counts: Annotated[dict[str, int], Doc("A count by name.")]
    piece: _Piece
    other: _Piece | None
    inner: _Inner
    inner_or_null: _Inner | None
    described: Annotated[_Inner, Doc("The key's own words.")]
    described_or_null: Annotated[_Inner | None, Doc("The key's own words, or null.")]
    later: NotRequired[Annotated[str, Doc("Optional: some words.")]]


def test_the_generator_writes_what_each_type_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(schemagen.DEFS, _Piece, "piece")
    writer = schemagen._Writer()
    written = writer.object(_Shape)
    inner = {
        "description": "An object written in place.",
        "type": "object",
        "properties": {"words": {"description": "Some words.", "type": "string", "minLength": 1}},
        "required": ["words"],
        "additionalProperties": False,
    }
    assert written == {
        "description": "A shape that uses every rule.",
        "type": "object",
        "properties": {
            "count": {"description": "How many (count).", "type": "integer", "minimum": 1},
            "kind": {"description": "Which one.", "type": "string", "enum": ["a", "b"]},
            "maybe": {
                "description": "Which one, or null.",
                "type": ["string", "null"],
                "enum": ["a", "b", None],
            },
            "day": {
                "description": "The day (YYYY-MM-DD), or null.",
                "type": ["string", "null"],
                "format": "date",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            },
            "flag": {"description": "Whether it is.", "type": "boolean"},
            "names": {
                "description": "Names.",
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "minItems": 1,
            },
            "counts": {
                "description": "A count by name.",
                "type": "object",
                "additionalProperties": {"type": "integer"},
            },
            "piece": {"$ref": "#/$defs/piece"},
            "other": {"anyOf": [{"$ref": "#/$defs/piece"}, {"type": "null"}]},
            "inner": inner,
            "inner_or_null": {
                "description": "An object written in place.",
                "anyOf": [inner, {"type": "null"}],
            },
            "described": {**inner, "description": "The key's own words."},
            "described_or_null": {
                "description": "The key's own words, or null.",
                "anyOf": [inner, {"type": "null"}],
            },
            "later": {"description": "Optional: some words.", "type": "string"},
        },
        "required": [
            "count",
            "kind",
            "maybe",
            "day",
            "flag",
            "names",
            "counts",
            "piece",
            "other",
            "inner",
            "inner_or_null",
            "described",
            "described_or_null",
        ],
        "additionalProperties": False,
    }
    assert writer.used == [_Piece]
    assert writer.object(_Piece)["properties"]["low"] == {
        "description": "The least, in mg. Written exactly when its decimal ends, otherwise"
        " rounded half up to 12 significant digits.",
        "type": "number",
        "exclusiveMinimum": 0,
    }


def test_a_generated_schema_refuses_a_key_the_type_does_not_have() -> None:
    validator = Draft202012Validator(load_schema("dose"))
    warning: Warning = {"code": "tenfold", "message": "Ten times more."}
    dose = {"warnings": [{**warning, "step": 1}]}
    found = [e.message for e in validator.iter_errors(dose)]
    assert "Additional properties are not allowed ('step' was unexpected)" in found


# The types are for the type checker and the generator: no command loads them.

SHAPES = (
    "ldncalc.render.shapes",
    "ldncalc.render.schemagen",
    "ldncalc.diary.shapes",
    "ldncalc.jsonshape",
)


def test_no_command_loads_the_shapes_or_the_generator(tmp_path: Path) -> None:
    env = {"LDNCALC_HOME": str(tmp_path)}
    subprocess.run(
        [sys.executable, "-m", "ldncalc", "plan", "start", "--start-date", "2026-01-05"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    for args in (
        ["dose", "4.5mg", "--json"],
        ["today", "--date", "2026-01-20", "--json"],
        ["schedule", "--json"],
        ["plan", "show", "--json"],
        ["report", "--json"],
    ):
        loaded = modules_loaded_by(*args, env=env)
        assert "ldncalc.render.jsonout" in loaded or args[0] == "today", args  # the probe is live
        assert not {m for m in loaded if m.startswith(SHAPES)}, args
    # The export is typed with the diary's shape, which it does not load either.
    loaded = modules_loaded_by("data", "export", str(tmp_path / "export.json"), env=env)
    assert "ldncalc.diary.exchange" in loaded  # the probe is live
    assert not {m for m in loaded if m.startswith(SHAPES)}
