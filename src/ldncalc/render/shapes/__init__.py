"""The shape of every JSON object the CLI writes, defined once, as typed dicts.

Each object is a ``TypedDict`` (``DoseObject``, ``ScheduleObject``...): the
code that builds it is annotated with it, so ``mypy --strict`` refuses a
misspelled, missing or extra key; and its JSON Schema, shipped in
``ldncalc/data/schemas``, is generated from it by ``python -m
ldncalc.render.schemagen --write`` (tests/test_schemagen.py fails when a
shipped file differs). A key's words and limits ride on its type as
``Annotated`` metadata, written with the helpers of :mod:`ldncalc.jsonshape`
(re-exported here, where the output shapes import them): :class:`Doc` (a
description and any JSON Schema keywords), :class:`Exact` (a number written by
``json_number``); a key that may be absent is ``NotRequired`` and its
description starts with "Optional". The diary's export document is the diary
wing's, in :mod:`ldncalc.diary.shapes`.

The builders import these modules only under ``TYPE_CHECKING``: the daily
commands never load them (nor the generator).
"""

from ldncalc.jsonshape import (
    DATE,
    KEBAB,
    LIQUID,
    RATIO,
    SLUG,
    Disclaimer,
    Doc,
    Exact,
    IsoDate,
)

__all__ = ["DATE", "KEBAB", "LIQUID", "RATIO", "SLUG", "Disclaimer", "Doc", "Exact", "IsoDate"]
