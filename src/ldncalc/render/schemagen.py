"""Write the shipped JSON Schemas from the output types: ``python -m ldncalc.render.schemagen``.

Each JSON object the CLI writes has one definition, a ``TypedDict`` in
:mod:`ldncalc.render.shapes`; the code that builds the object is annotated with
it (so mypy checks every key), and its JSON Schema (draft 2020-12) is derived
from it here: the keys and their types, ``NotRequired`` keys left out of
``required``, ``Literal`` values as ``enum``, ``X | None`` as nullable, every
object closed (``additionalProperties: false``), and the words and limits of
each key from its ``Doc`` metadata. A ``TypedDict`` named in ``DEFS`` is written
once under ``$defs`` and referred to; any other is written in place.

The diary's export document is the diary wing's own ``TypedDict``
(:mod:`ldncalc.diary.shapes`), generated here like the outputs; the entries'
payloads, in ``diary.json`` and ``history.json``, come from the entries' own
types through :mod:`ldncalc.diary.codec`. One command regenerates every
shipped schema, and none is read back from the shipped file::

    python -m ldncalc.render.schemagen           # exit 1 and name the stale files
    python -m ldncalc.render.schemagen --write   # rewrite them

Nothing here is imported by a command: it is for the build and the tests.
"""

from __future__ import annotations

import sys
import types
from typing import (
    Annotated,
    Any,
    Literal,
    NotRequired,
    Required,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

from ldncalc.diary.codec import PAYLOAD_VERSION, with_payloads
from ldncalc.diary.shapes import ExportDocument
from ldncalc.jsonshape import Doc
from ldncalc.render.jsonout import schema as schema_tag
from ldncalc.render.shapes.diary import (
    CheckObject,
    HistoryObject,
    KitObject,
    ReportObject,
    Window,
)
from ldncalc.render.shapes.dose import (
    Assay,
    Candidate,
    CandidateDose,
    DilutionStage,
    DoseObject,
    DoseRange,
    DoseTableObject,
    MeasuredDose,
    MixObject,
    Preparation,
    Warning,
    WaterMeasure,
)
from ldncalc.render.shapes.error import ErrorObject
from ldncalc.render.shapes.plan import (
    Batch,
    ClimbStep,
    PlanObject,
    Protocol,
    ProtocolsObject,
    ScheduleObject,
    ScheduleProtocol,
    Step,
    StepWarning,
    Totals,
)
from ldncalc.render.shapes.today import Bottle, TodayObject

__all__ = ["DEFS", "OUTPUTS", "PAYLOADS", "generated_schemas", "output_schema", "schema_text"]

OUTPUTS: dict[str, tuple[type[Any], str]] = {
    "dose": (DoseObject, "ldncalc dose"),
    "dose-table": (DoseTableObject, "ldncalc dose table"),
    "mix": (MixObject, "ldncalc mix"),
    "protocols": (ProtocolsObject, "ldncalc protocols"),
    "schedule": (ScheduleObject, "ldncalc schedule"),
    "error": (ErrorObject, "ldncalc error"),
    "plan": (PlanObject, "ldncalc plan"),
    "check": (CheckObject, "ldncalc data check"),
    "kit": (KitObject, "ldncalc kit"),
    "report": (ReportObject, "ldncalc report"),
    "today": (TodayObject, "ldncalc today"),
    "history": (HistoryObject, "ldncalc history"),
    "diary": (ExportDocument, "ldncalc diary export"),
}
"""Each schema generated from a type: its name (the file's), its type and its title."""

PAYLOADS: dict[str, tuple[int, ...]] = {
    "history": (PAYLOAD_VERSION,),
    "diary": (PAYLOAD_VERSION, 1),
}
"""The outputs whose entries hold payloads, and the payload versions each may hold.

An export holds stored text, so it may hold an older version; history writes
the current one.
"""

DEFS: dict[type[Any], str] = {
    Preparation: "preparation",
    MeasuredDose: "measured_dose",
    Candidate: "candidate",
    CandidateDose: "candidate_dose",
    Warning: "warning",
    Protocol: "protocol",
    ScheduleProtocol: "schedule_protocol",
    ClimbStep: "climb_step",
    Step: "step",
    Batch: "batch",
    StepWarning: "step_warning",
    DoseRange: "dose_range",
    Assay: "assay",
    WaterMeasure: "water_measure",
    DilutionStage: "dilution_stage",
    Window: "window",
    Bottle: "bottle",
}
"""The pieces written once under ``$defs`` (the same in every schema that uses them)."""

# Rules across keys, which a key's type cannot say.
_RULES: dict[type[Any], dict[str, Any]] = {
    # A syringe measures the water in one fill or more; no syringe: the error was stated.
    WaterMeasure: {
        "oneOf": [
            {
                "properties": {
                    "syringe_ml": {"type": "number"},
                    "graduation_ml": {"type": "number"},
                    "fills": {"minimum": 1},
                }
            },
            {
                "properties": {
                    "syringe_ml": {"type": "null"},
                    "graduation_ml": {"type": "null"},
                    "fills": {"const": 0},
                }
            },
        ]
    },
    # A stock is made from tablets; a dilution from a stock batch, in stages.
    Batch: {
        "if": {"properties": {"liquid": {"const": "stock"}}},
        "then": {"properties": {"made_from": {"type": "null"}, "dilution": {"maxItems": 0}}},
        "else": {"properties": {"made_from": {"type": "integer"}, "dilution": {"minItems": 1}}},
    },
    # A price gives both figures, or neither.
    Totals: {"dependentRequired": {"cost": ["cost_per_month"], "cost_per_month": ["cost"]}},
}

_SCALARS: dict[Any, str] = {bool: "boolean", int: "integer", float: "number", str: "string"}


def _words(text: str | None) -> str:
    """Return a docstring as one line of words (its description)."""
    return " ".join((text or "").split())


class _Writer:
    """Writes the schemas of one file, collecting the ``$defs`` it refers to."""

    def __init__(self) -> None:
        self.used: list[type[Any]] = []

    def value(self, hint: Any) -> dict[str, Any]:
        """Return the JSON Schema of a value of type ``hint`` (its metadata included)."""
        docs: list[Doc] = []
        while True:
            origin = get_origin(hint)
            if origin is Annotated:
                hint, *extras = get_args(hint)
                docs += [e for e in extras if isinstance(e, Doc)]
            elif origin in (NotRequired, Required):
                (hint,) = get_args(hint)
            else:
                break
        schema: dict[str, Any] = {}
        text = next((d.text for d in reversed(docs) if d.text), "")
        if text:
            schema["description"] = text
        nullable = False
        if get_origin(hint) in (Union, types.UnionType):
            rest = [a for a in get_args(hint) if a is not type(None)]
            if len(rest) != 1 or len(get_args(hint)) != 2:  # pragma: no cover - a new type
                raise TypeError(f"no JSON Schema for {hint!r}")
            nullable, hint = True, rest[0]
            if get_origin(hint) is Annotated:  # the metadata inside the union
                merged = {**schema, **self.value(hint)}
                if "description" in schema:  # the key's words, not its type's
                    merged["description"] = schema["description"]
                return self._nullable(merged, docs)
        base = self._base(hint)
        if "properties" in base:  # an object written in place: the key's words come first
            described = schema.get("description", base["description"])
            if nullable:
                schema = {"description": described, "anyOf": [base, {"type": "null"}]}
            else:
                schema = {**base, "description": described}
        else:
            schema.update(base)
            if nullable:
                schema = self._nullable(schema, [])
        for doc in docs:
            schema.update(doc.keywords)
        return schema

    def _nullable(self, schema: dict[str, Any], docs: list[Doc]) -> dict[str, Any]:
        """Return ``schema`` that also takes null."""
        if "$ref" in schema:
            ref = {"$ref": schema.pop("$ref")}
            schema["anyOf"] = [ref, {"type": "null"}]
        else:
            schema["type"] = [schema["type"], "null"]
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], None]
        for doc in docs:
            schema.update(doc.keywords)
        return schema

    def _base(self, hint: Any) -> dict[str, Any]:
        origin = get_origin(hint)
        if is_typeddict(hint):
            if hint in DEFS:
                if hint not in self.used:
                    self.used.append(hint)
                return {"$ref": f"#/$defs/{DEFS[hint]}"}
            return self.object(hint)
        if origin is list:
            (item,) = get_args(hint)
            return {"type": "array", "items": self.value(item)}
        if origin is dict:
            _, item = get_args(hint)
            return {"type": "object", "additionalProperties": self.value(item)}
        if origin is Literal:
            values = list(get_args(hint))
            return {"type": "string", "enum": values}
        if hint is Any:  # a part another module writes (the payloads: the codec)
            return {}
        if hint in _SCALARS:
            return {"type": _SCALARS[hint]}
        raise TypeError(f"no JSON Schema for {hint!r}")  # pragma: no cover - a new type

    def object(self, cls: type[Any], name: str | None = None) -> dict[str, Any]:
        """Return the JSON Schema of a ``TypedDict`` (``name``: the output's, for its tag)."""
        hints = get_type_hints(cls, include_extras=True)
        # The tag first, as every object writes it.
        keys = sorted(hints, key=lambda key: key != "schema")
        properties: dict[str, Any] = {}
        for key in keys:
            if key == "schema" and name is not None:
                # The tag is its type's when the type says it (a Literal), else the output's.
                tag = get_args(hints[key]) if get_origin(hints[key]) is Literal else ()
                properties[key] = {
                    "description": (
                        f"Names what this object is: 'ldncalc.{name}' and the version of its shape."
                    ),
                    "const": tag[0] if len(tag) == 1 else schema_tag(name),
                }
            else:
                properties[key] = self.value(hints[key])
        # NotRequired read from the hint too: a module with postponed annotations
        # leaves it out of __optional_keys__ (Python 3.11).
        optional = {
            key
            for key in keys
            if key in cls.__optional_keys__ or get_origin(hints[key]) is NotRequired
        }
        return {
            "description": _words(cls.__doc__),
            "type": "object",
            "properties": properties,
            "required": [key for key in keys if key not in optional],
            "additionalProperties": False,
            **_RULES.get(cls, {}),
        }


def output_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema of the output ``name`` (a key of ``OUTPUTS``)."""
    cls, title = OUTPUTS[name]
    writer = _Writer()
    body = writer.object(cls, name)
    defs: dict[str, Any] = {}
    done = 0
    while done < len(writer.used):  # a piece may use further pieces
        piece = writer.used[done]
        defs[DEFS[piece]] = writer.object(piece)
        done += 1
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:ldncalc:schema:{name}",
        "title": title,
        **body,
    }
    if defs:
        schema["$defs"] = defs
    if name in PAYLOADS:  # each entry's payload, by kind, from the entries' types
        schema = with_payloads(schema, PAYLOADS[name])
    return schema


def generated_schemas() -> dict[str, dict[str, Any]]:
    """Return every shipped schema, by name, as the types generate it."""
    return {name: output_schema(name) for name in OUTPUTS}


def schema_text(schema: dict[str, Any]) -> str:
    """Return a schema as the shipped files spell it (two-space indent, a final newline)."""
    import json

    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _main(argv: list[str]) -> int:
    """Check (or with --write, rewrite) the shipped schemas generated from the types."""
    from importlib.resources import as_file

    from ldncalc.schemas import schema_path

    write = "--write" in argv
    stale = []
    for name, schema in generated_schemas().items():
        with as_file(schema_path(name)) as path:
            text = schema_text(schema)
            shipped = path.read_text(encoding="utf-8") if path.exists() else None
            if shipped != text:  # a new output's file is written the first time
                stale.append(name)
                if write:
                    path.write_text(text, encoding="utf-8")
    if stale and not write:
        print(f"stale: {', '.join(stale)}; run python -m ldncalc.render.schemagen --write")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
