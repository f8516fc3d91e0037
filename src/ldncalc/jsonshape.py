"""The words and limits of a JSON object's keys, as ``Annotated`` metadata of its ``TypedDict``.

Every JSON document ldncalc writes is a ``TypedDict`` (the outputs in
:mod:`ldncalc.render.shapes`, the diary's export in :mod:`ldncalc.diary.shapes`),
and its JSON Schema is generated from it by ``python -m
ldncalc.render.schemagen --write``. A key's words and limits ride on its type:
:class:`Doc` (a description and any JSON Schema keywords), :class:`Exact` (a
number written by ``json_number``); a key that may be absent is
``NotRequired`` and its description starts with "Optional". These helpers are
the base's, so that a wing below render may define its documents too.

Only the shapes import this module, and they only under ``TYPE_CHECKING`` (or
from the generator): the daily commands never load it.
"""

from typing import Annotated

__all__ = ["DATE", "KEBAB", "LIQUID", "RATIO", "SLUG", "Disclaimer", "Doc", "Exact", "IsoDate"]


class Doc:
    """A key's JSON Schema words: its description and any other keywords (minimum, pattern...)."""

    __slots__ = ("keywords", "text")

    def __init__(self, text: str = "", **keywords: object) -> None:
        self.text = text
        self.keywords = keywords


class Exact(Doc):
    """A number written by ``json_number``: the description says how it is written."""

    __slots__ = ()

    def __init__(self, text: str, **keywords: object) -> None:
        super().__init__(
            f"{text} Written exactly when its decimal ends, otherwise rounded half up to 12"
            " significant digits.",
            **keywords,
        )


DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
KEBAB = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
"""A stable name for programs (a warning's or an error's code)."""
SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"
"""A protocol's identifier."""
RATIO = "^[1-9][0-9]*/[1-9][0-9]*$"
"""An exact fraction in lowest terms, e.g. '5/3'."""
LIQUID = "^(stock|dilution [1-9][0-9]*)$"
"""The liquid a volume is drawn from."""

IsoDate = Annotated[str, Doc(format="date", pattern=DATE)]
"""A calendar date, YYYY-MM-DD."""

Disclaimer = Annotated[
    str, Doc("The informational-only notice that travels with every output.", minLength=1)
]
"""The notice every object carries."""
