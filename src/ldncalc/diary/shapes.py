"""The shape of the diary's export document, defined once, as typed dicts.

An export (``ldncalc.diary/1``) is :class:`ExportDocument`: the code that
writes it (:func:`ldncalc.diary.exchange.export_document`) is annotated with
it, so ``mypy --strict`` refuses a misspelled, missing or extra key, and its
JSON Schema, ``data/schemas/diary.json``, is generated from it by ``python -m
ldncalc.render.schemagen --write``, each payload's part from the entries' own
types (:mod:`ldncalc.diary.codec`). The words and limits of each key are
:mod:`ldncalc.jsonshape`'s metadata, as for the CLI's outputs.

Only type checkers and the generator import this module: no command loads it.
"""

from typing import Annotated, Any, Literal, TypedDict

from ldncalc.jsonshape import Doc, IsoDate

__all__ = ["ExportDocument", "ExportEntry", "ExportTag"]

ExportTag = Literal["ldncalc.diary/1"]
"""The export's schema tag: what it is and the version of its shape."""


class ExportEntry(TypedDict):
    """One entry."""

    uid: Annotated[
        str,
        Doc(
            "The entry's identity everywhere (32 hexadecimal digits); an import adds only"
            " entries whose uid is new.",
            pattern="^[0-9a-f]{32}$",
        ),
    ]
    # A stored kind is text; its enum (the codec's KINDS) is written with the payloads.
    kind: Annotated[str, Doc("What the entry records.")]
    date: Annotated[IsoDate, Doc("The calendar date the entry is about (YYYY-MM-DD).")]
    recorded_at: Annotated[str, Doc("When it was recorded (ISO 8601, UTC).", minLength=20)]
    # Its schema, by kind and version, comes from the entries' types (ldncalc.diary.codec).
    payload: dict[str, Any]


class ExportDocument(TypedDict):
    """One profile's diary entries ('ldncalc data export FILE.json'), the input of 'ldncalc data
    import'.
    """

    schema: ExportTag
    profile: Annotated[str, Doc("The profile the entries were exported from.", minLength=1)]
    entries: Annotated[list[ExportEntry], Doc("Every entry of the profile, in the order recorded.")]
