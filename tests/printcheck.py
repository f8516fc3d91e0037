"""Print a page in headless Chromium and check that the paper is legible.

Shared by the browser tests of the handout, the report and the label. A page is
printed to PDF by Chromium (Debian's `chromium`) and read back with poppler's
`pdftotext -bbox-layout`, which gives every word with its box in points. Two
checks go beyond counting pages:

- no two words' boxes overlap (columns that print over each other, text drawn
  over a neighbouring cell);
- every word that must stay whole (a table's headers) is one word of the PDF,
  not cut inside by a line break ("Wee k", "fati gue").

Under CI (`.ci/run` installs the tools) a missing tool is a failure, not a skip;
on a developer's machine without them the test says how to install them and skips.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from html import unescape
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

import pytest

TOOLS = ("chromium", "pdftotext", "pdfinfo")
PT_PER_MM = 72 / 25.4
PAGES = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
PAGE_RULE = "@page { margin: 12mm; }"
# Two boxes that share less than this (in points, each way) only touch: a glyph's
# box is its font's ascent and descent, and neighbours on a line may kiss.
TOUCH_PT = 0.5

_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


class Word(NamedTuple):
    """A word of a printed page: its page (from 1), its box in points, and its line."""

    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str
    line: int  # the line of the PDF's layout that holds it, numbered through the file


def require_tools() -> None:
    """Skip (or, under CI, fail) when Chromium or poppler is missing."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"missing {', '.join(missing)}: apt-get install chromium poppler-utils"
    if os.environ.get("CI"):
        pytest.fail(f"the browser test must run under CI; {message}")
    pytest.skip(message)


def run(*args: str) -> str:
    """Run a tool and return what it printed."""
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def on_paper(html: str, paper: str) -> str:
    """Return ``html`` set to print on ``paper`` (A4 or Letter) with its own margins."""
    sized = html.replace(PAGE_RULE, f"@page {{ size: {paper}; margin: 12mm; }}")
    assert sized != html, "the page has no @page rule to size"
    return sized


def print_to_pdf(html: str, folder: Path, name: str) -> Path:
    """Print ``html`` to ``folder/name.pdf`` with headless Chromium (a fresh profile)."""
    page = folder / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdf = folder / f"{name}.pdf"
    profile = tempfile.mkdtemp(dir=folder)
    subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert pdf.exists()
    return pdf


def page_count(pdf: Path) -> tuple[int, float, float]:
    """Return the PDF's number of pages and its page size in points."""
    info = run("pdfinfo", str(pdf))
    pages = re.search(r"Pages:\s+(\d+)", info)
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert pages is not None, info
    assert size is not None, info
    return int(pages.group(1)), float(size.group(1)), float(size.group(2))


def words(pdf: Path) -> list[Word]:
    """Return every word of the PDF with its page, box and line, in reading order."""
    found = []
    line = 0
    layout = run("pdftotext", "-bbox-layout", str(pdf), "-")
    for number, page in enumerate(layout.split("<page ")[1:], start=1):
        for text in page.split("<line ")[1:]:
            line += 1
            for box in _WORD.finditer(text):
                x0, y0, x1, y1 = (float(v) for v in box.groups()[:4])
                found.append(Word(number, x0, y0, x1, y1, unescape(box.group(5)), line))
    return found


def overlapping(boxes: Sequence[Word], touch_pt: float = TOUCH_PT) -> list[tuple[Word, Word]]:
    """Return every pair of words whose boxes overlap (more than touching) on a page."""
    pairs = []
    for first, second in combinations(boxes, 2):
        if first.page != second.page:
            continue
        across = min(first.x_max, second.x_max) - max(first.x_min, second.x_min)
        down = min(first.y_max, second.y_max) - max(first.y_min, second.y_min)
        if across > touch_pt and down > touch_pt:
            pairs.append((first, second))
    return pairs


def cut_words(boxes: Sequence[Word], whole: Iterable[str]) -> list[str]:
    """Return the words of ``whole`` that the PDF cuts across lines, or never prints.

    A header cut inside prints "Wee" on one line and "k" just below it, in the
    same column: two words of the PDF that join into (the start of) "Week". A
    word of ``whole`` that is nowhere printed whole is reported too.
    """
    wanted = {word for text in whole for word in text.split()}
    printed = {w.text for w in boxes}
    cut = wanted - printed
    starts = [
        w for w in boxes if any(len(w.text) < len(x) and x.startswith(w.text) for x in wanted)
    ]
    for a in starts:
        height = a.y_max - a.y_min
        for b in boxes:
            below = b.page == a.page and 0 <= b.y_min - a.y_max + TOUCH_PT <= height
            same_column = b.x_min < a.x_max and b.x_max > a.x_min
            joined = a.text + b.text
            if below and same_column:
                cut |= {x for x in wanted if x.startswith(joined)}
    return sorted(cut)


def assert_legible(pdf: Path, whole: Iterable[str] = ()) -> list[Word]:
    """Fail when two words of ``pdf`` overlap or a word of ``whole`` is cut; return its words."""
    boxes = words(pdf)
    assert boxes, "nothing printed"
    clashes = overlapping(boxes)
    assert not clashes, "words printed over each other:\n" + "\n".join(
        f"  page {a.page}: {a.text!r} at ({a.x_min}, {a.y_min}) and {b.text!r} "
        f"at ({b.x_min}, {b.y_min})"
        for a, b in clashes[:20]
    )
    cut = cut_words(boxes, whole)
    assert not cut, f"words cut across lines (or missing): {cut}"
    return boxes


def assert_within_margins(boxes: Sequence[Word], paper: str, margin_mm: float = 12) -> None:
    """Fail when a word runs into the page's margins or off the page."""
    width, height = PAGES[paper]
    margin = margin_mm * PT_PER_MM
    for w in boxes:
        assert w.x_min >= margin - 1, w
        assert w.x_max <= width - margin + 1, w
        assert w.y_min >= margin - 1, w
        assert w.y_max <= height - margin + 1, w


def _header_rows(boxes: Sequence[Word], headers: Sequence[str]) -> list[list[Word]]:
    """Return each row of a table's headers (their first words, left to right) in ``boxes``."""
    firsts = [h.split()[0] for h in headers]
    rows = []
    for first in (w for w in boxes if w.text == firsts[0]):
        level = sorted(
            (
                w
                for w in boxes
                if w.page == first.page
                and abs(w.y_min - first.y_min) < TOUCH_PT
                and w.x_min >= first.x_min
            ),
            key=lambda w: w.x_min,
        )
        row: list[Word] = []
        for w in level:
            if len(row) < len(firsts) and w.text == firsts[len(row)]:
                row.append(w)
        if len(row) == len(firsts):
            rows.append(row)
    return sorted(rows, key=lambda r: (r[0].page, r[0].y_min))


def _column(edges: Sequence[float], x: float) -> int:
    """Return the column (from 0) that starts at or left of ``x``."""
    return max(i for i, e in enumerate(edges[:-1]) if e <= x)


def assert_in_columns(
    boxes: Sequence[Word], headers: Sequence[str], *, left_aligned: bool = False
) -> int:
    """Fail when a word of a table under ``headers`` leaves its column; return the rows seen.

    The columns are found from each printed row of the headers: a column runs from
    where its header starts to where the next one starts (equal widths are assumed
    for the last one when ``left_aligned``). The table runs down from its headers
    to the page's end, to the next row of its headers (less a caption's height) or
    to the first word left of the table. Every word there must sit in one column:
    text that runs over into the next cell, where it would read as that cell's
    (a second fill read as the next day's dose), or off the table's edge, fails.
    With ``left_aligned`` every word must also start its cell's line or follow a
    word of its own cell on that line: a word pushed whole into the next cell fails.
    """
    rows = _header_rows(boxes, headers)
    assert rows, f"no row of headers {list(headers)} printed"
    slack = 2.0
    for n, row in enumerate(rows):
        starts = [w.x_min for w in row]
        edges = [s - slack for s in starts]
        if left_aligned:
            edges.append(starts[-1] + (starts[-1] - starts[-2]) - slack)
        else:
            edges.append(float("inf"))
        height = row[0].y_max - row[0].y_min
        following = [r[0] for r in rows[n + 1 :] if r[0].page == row[0].page]
        bottom = following[0].y_min - 2 * height if following else float("inf")
        below = sorted(
            (w for w in boxes if w.page == row[0].page and w.y_min > row[0].y_max),
            key=lambda w: (w.y_min, w.x_min),
        )
        outside = [w.y_min for w in below if w.x_min < edges[0]]
        bottom = min([bottom, *outside])
        table = [w for w in below if w.y_min < bottom]

        for w in table:
            c = _column(edges, w.x_min)
            assert w.x_max <= edges[c + 1] + TOUCH_PT, (
                f"page {w.page}: {w.text!r} at ({w.x_min}, {w.y_min}) runs out of "
                f"the column of {row[c].text!r}"
            )
            if not left_aligned or abs(w.x_min - starts[c]) <= slack:
                continue
            same_line = [
                v
                for v in table
                if v is not w
                and _column(edges, v.x_min) == c
                and v.x_max <= w.x_min + TOUCH_PT
                and min(v.y_max, w.y_max) - max(v.y_min, w.y_min) > TOUCH_PT
            ]
            assert same_line, (
                f"page {w.page}: {w.text!r} at ({w.x_min}, {w.y_min}) in the column of "
                f"{row[c].text!r} neither starts its cell's line nor follows a word of its cell"
            )
    return len(rows)
