"""The JSON Schemas of ldncalc's JSON output, shipped as package data.

One schema (JSON Schema draft 2020-12) per object the CLI writes (``dose``,
``dose-table``, ``mix``, ``protocols``, ``schedule``, ``plan``, ``today``,
``history``, ``report``, ``check``, ``kit``, ``error``) and the diary export
(``diary``). An object's ``"schema"`` tag (``"ldncalc.schedule/3"``) names its
schema: the part between ``ldncalc.`` and the version. The files are read with
:mod:`importlib.resources`, so they are found from a wheel, a zip import or a
frozen application alike.

The files are generated, never edited: each output's shape is a ``TypedDict``
in ``ldncalc.render.shapes`` and each diary payload a type in
``ldncalc.diary.entries``; ``python -m ldncalc.render.schemagen --write``
writes every file from them (the render wing writes them, since this base
module never imports it), and tests/test_schemagen.py fails when a shipped file
differs. Only the export's envelope (``diary.json`` outside its payloads) is
written by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ldncalc.errors import InvalidInputError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["SCHEMA_NAMES", "load_schema", "schema_path"]

SCHEMA_NAMES = (
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
)
"""The name of every schema that ships, one per JSON object."""


def schema_path(name: str) -> Traversable:
    """Return the packaged schema file ``NAME.json``.

    The file is a :class:`~importlib.resources.abc.Traversable`; wrap it in
    ``importlib.resources.as_file`` where a real path is needed.

    Args:
        name: a name of :data:`SCHEMA_NAMES`, e.g. ``"schedule"``.

    Raises:
        InvalidInputError: no schema has that name.
    """
    if name not in SCHEMA_NAMES:
        raise InvalidInputError(
            f"no JSON schema is named {name!r}; the schemas are {', '.join(SCHEMA_NAMES)}",
            code="unknown-schema",
        )
    from importlib.resources import files

    return files("ldncalc.data").joinpath("schemas").joinpath(f"{name}.json")


def load_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema ``name`` as a dict, ready for a validator.

    Raises:
        InvalidInputError: no schema has that name.
    """
    import json

    loaded: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return loaded
