"""The pieces a report page is made of, and how HTML and Markdown draw each.

A section of the report is a heading and blocks (facts, lines, tables,
paragraphs, sub-headings, the chart); the report lists its sections once
(:func:`ldncalc.render.report.sections`) and both formats draw the same list.
HTML escapes every text and keeps each date or dose on one line; Markdown
writes every text on one line with its markup escaped.
"""

from __future__ import annotations

import re
from dataclasses import field
from html import escape
from typing import Literal, TypeAlias

from ldncalc.frozen import frozen
from ldncalc.notation import safe_text

__all__ = [
    "NONE_RECORDED",
    "Block",
    "Cell",
    "Chart",
    "Facts",
    "Lines",
    "Para",
    "Section",
    "Sub",
    "Table",
    "block_html",
    "block_markdown",
    "date_cell",
    "escape_html",
    "escape_markdown",
]

NONE_RECORDED = "None recorded in this period."

CellKind: TypeAlias = Literal["text", "date", "dose"]


@frozen
class Cell:
    """A piece of text and what it holds: dates and doses are kept on one line in HTML."""

    text: str
    kind: CellKind = "text"


@frozen
class Facts:
    """Named values: a definition list, or a bulleted list in Markdown."""

    items: tuple[tuple[str, str], ...]


@frozen
class Lines:
    """Sentences 'label: value', the value in bold when ``bold``."""

    items: tuple[tuple[str, Cell, bool], ...]


@frozen
class Table:
    """A table; ``empty`` is said instead when it has no rows."""

    headers: tuple[str, ...]
    widths: tuple[int, ...]
    rows: tuple[tuple[Cell, ...], ...]
    classes: tuple[str, ...] = ()
    empty: str = NONE_RECORDED
    kind: str = ""  # a class for the whole table (CSS lays out "weeks" by content)


@frozen
class Para:
    """A paragraph."""

    text: Cell
    small: bool = False


@frozen
class Sub:
    """A sub-heading."""

    text: str


@frozen
class Chart:
    """The chart (HTML), or where to find it (Markdown)."""


Block: TypeAlias = Facts | Lines | Table | Para | Sub | Chart


@frozen
class Section:
    """A heading and its blocks; ``whole`` keeps the heading and first block on one page."""

    heading: str
    blocks: tuple[Block, ...] = field(default=())
    whole: bool = False


def date_cell(text: str) -> Cell:
    """Return a cell of text whose dates stay on one line."""
    return Cell(text, "date")


# --------------------------------------------------------------------------- HTML


LONG_WORD = 12  # characters of a word in a weeks' header before it may break


def breakable_html(text: str) -> str:
    """Escape text for HTML, letting each word longer than LONG_WORD break every LONG_WORD.

    The weeks' headers break between words only, so that "fatigue" is never cut;
    a zero-width space (as an entity, after escaping) in a longer word, such as a
    long score name, keeps the table on the page.
    """
    return " ".join(
        "&#8203;".join(escape_html(word[i : i + LONG_WORD]) for i in range(0, len(word), LONG_WORD))
        for word in text.split(" ")
    )


def escape_html(text: str) -> str:
    """Escape text for HTML, dropping C0 controls and unpaired bidi overrides first."""
    return escape(safe_text(text, drop=True), quote=True)


_DATE = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")
_DOSE = re.compile(r"(?:≈)?[0-9][0-9.]* (?:mg|mcg)\b")


def _cell_html(cell: Cell) -> str:
    """Escape a cell's text, keeping each date (or dose) in it on one line."""
    pattern = {"date": _DATE, "dose": _DOSE}.get(cell.kind)
    if pattern is None:
        return escape_html(cell.text)
    return pattern.sub(lambda m: f'<span class="nw">{m.group(0)}</span>', escape_html(cell.text))


def _table_html(table: Table) -> str:
    if not table.rows:
        return f"<p>{escape_html(table.empty)}</p>"
    cols = "".join(f'<col style="width:{w}%">' for w in table.widths)
    heading = breakable_html if table.kind == "weeks" else escape_html
    head = "".join(f"<th>{heading(h)}</th>" for h in table.headers)
    kinds = [f' class="{c}"' if c else "" for c in table.classes] + [""] * len(table.headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td{k}>{_cell_html(c)}</td>" for k, c in zip(kinds, row, strict=False))
        + "</tr>"
        for row in table.rows
    )
    opening = f'<table class="{table.kind}">' if table.kind else "<table>"
    return f"{opening}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>{body}</table>"


def block_html(block: Block) -> str:
    """Return a block (not the chart, which the report draws) as HTML."""
    if isinstance(block, Facts):
        body = "".join(
            f"<dt>{escape_html(k)}</dt><dd>{escape_html(v)}</dd>" for k, v in block.items
        )
        return f'<dl class="facts">{body}</dl>'
    if isinstance(block, Lines):
        return "".join(
            f"<p>{escape_html(label)}: "
            + (f"<b>{_cell_html(v)}</b>" if bold else _cell_html(v))
            + ".</p>"
            for label, v, bold in block.items
        )
    if isinstance(block, Table):
        return _table_html(block)
    if isinstance(block, Para):
        small = " class='small'" if block.small else ""
        return f"<p{small}>{_cell_html(block.text)}</p>"
    if isinstance(block, Sub):
        return f"<h3>{escape_html(block.text)}</h3>"
    raise TypeError(f"the report draws {type(block).__name__} itself")


# --------------------------------------------------------------------------- Markdown


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def escape_markdown(text: str) -> str:
    """Write text for Markdown: one line, no markup, no HTML."""
    flat = _MD_SPECIAL.sub(r"\\\1", " ".join(safe_text(text, drop=True).split()))
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def block_markdown(block: Block) -> list[str]:
    """Return a block (not the chart, which the report draws) as Markdown lines."""
    if isinstance(block, Facts):
        return [f"- {k}: {escape_markdown(v)}" for k, v in block.items]
    if isinstance(block, Lines):
        return [
            f"- {label}: " + (f"**{escape_markdown(v.text)}**" if bold else escape_markdown(v.text))
            for label, v, bold in block.items
        ]
    if isinstance(block, Table):
        if not block.rows:
            return [block.empty]
        lines = ["| " + " | ".join(escape_markdown(h) for h in block.headers) + " |"]
        lines.append("|" + "---|" * len(block.headers))
        lines += [
            "| " + " | ".join(escape_markdown(c.text) for c in row) + " |" for row in block.rows
        ]
        return lines
    if isinstance(block, Para):
        return [escape_markdown(block.text.text)]
    if isinstance(block, Sub):
        return [f"### {block.text}"]
    raise TypeError(f"the report draws {type(block).__name__} itself")
