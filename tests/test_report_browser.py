"""Print the prescriber's report and the bottle label in headless Chromium; read the PDFs back.

The same policy as the handout's browser test (tests/printcheck.py): it needs
Debian's `chromium` and `poppler-utils`; `.ci/run` installs them when CI is set,
and under CI a missing tool is a failure, not a skip. On a developer's machine
without them the test says how to install them and skips.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from ldncalc.diary.entries import Mixed, Note, Took
from ldncalc.diary.living import build_report
from ldncalc.render.label import label_html
from ldncalc.render.report import SECTIONS, report_html
from tests.printcheck import (
    PAGES,
    PT_PER_MM,
    Word,
    assert_legible,
    assert_within_margins,
    on_paper,
    page_count,
    print_to_pdf,
    require_tools,
    run,
)
from tests.test_report import SCRIPT_NOTE, START, TODAY, Diary, plan, story

NOTICE = "Informational only, not medical advice"
TITLE_PT = 18  # the h1's font size: a page shrunk to fit something too wide has it smaller
WEEK_HEADERS = ("Week", "Dates", "Planned", "Taken", "(mean)")


def flat(text: str) -> str:
    return " ".join(text.split())


def print_report(
    html: str, paper: str, folder: Path, whole: tuple[str, ...] = WEEK_HEADERS
) -> tuple[Path, int, list[str], list[Word]]:
    """Print on ``paper``; check the size, the margins, that nothing was shrunk and legibility.

    Legible: no two words overlap, and no word of ``whole`` (the week table's
    headers) is cut across lines.
    """
    pdf = print_to_pdf(on_paper(html, paper), folder, "report")
    pages, width, height = page_count(pdf)
    assert (width, height) == pytest.approx(PAGES[paper], abs=1)
    texts = [
        flat(run("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"))
        for n in range(1, pages + 1)
    ]
    assert all(texts), "a page without text"
    boxes = assert_legible(pdf, whole)
    assert {w.page for w in boxes} == set(range(1, pages + 1))
    assert_within_margins(boxes, paper)  # nothing runs into the margins or off the page
    title = boxes[0]
    assert title.text == "LDN"
    assert title.y_max - title.y_min >= TITLE_PT  # printed at full size, not shrunk to fit
    return pdf, pages, texts, boxes


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_report_prints_whole_in_chromium(paper: str, tmp_path: Path) -> None:
    require_tools()
    html = report_html(build_report(story(), TODAY), profile="anna", generated_on=TODAY)
    pdf, pages, texts, _ = print_report(html, paper, tmp_path)
    assert 3 <= pages <= 6  # three months on a few pages, not one squeezed nor dozens
    everything = flat(run("pdftotext", str(pdf), "-"))
    for heading in SECTIONS:
        assert heading in everything
    assert everything.count(NOTICE) == 2
    assert texts[0].startswith(f"LDN diary report {NOTICE}")
    assert NOTICE in texts[-1]
    for text in (
        "85 of 89 days (96%)",
        "back to 2 mg (insomnia & vivid dreams at 3 mg)",
        "slower: from 3 mg, up 0.5 mg every 14 days (advice: halve the steps)",
        SCRIPT_NOTE,
        "2027-05-07: eight weeks after the first day at the final dose (4.5 mg)",
        "insomnia, vivid dreams",
    ):
        assert text in everything, text
    # The chart is printed whole on one page: its titles and its legend together.
    chart_pages = [
        n
        for n, text in enumerate(texts, start=1)
        if "Dose (mg)" in text and "Scores (0 none, 10 worst)" in text and "Dose taken" in text
    ]
    assert chart_pages == [2]  # page 1 holds the trial at a glance


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_trial_at_a_glance_prints_legibly_on_the_first_page(paper: str, tmp_path: Path) -> None:
    from tests.test_trial import worked_example

    require_tools()
    entries, end, _ = worked_example()
    html = report_html(build_report(entries, end, end=end), profile="anna", generated_on=end)
    _, _, texts, boxes = print_report(html, paper, tmp_path)
    first = texts[0]
    for text in (
        "The trial at a glance",
        "Baseline Evaluation",
        "2027-01-18 to 2027-01-31",
        "Pain fell from 7.5 to 3, 60% less: a substantial decrease by the IMMPACT benchmarks",
        "PGIC on 2027-04-26: 2, much improved",
        "Dworkin et al., J Pain 2008;9:105",
        "By dose taken",
        "vivid dreams (3 days)",
    ):
        assert text in first, text
    # Legible: the section's words print at the body's size or the small print's, not shrunk.
    heading = [w for w in boxes if w.page == 1 and w.text == "trial"]
    assert heading
    assert heading[0].y_max - heading[0].y_min >= 12
    body = [w for w in boxes if w.page == 1 and w.text == "substantial"]
    assert body
    assert body[0].y_max - body[0].y_min >= 9
    everything = flat(" ".join(texts))
    assert "baseline" in everything  # the chart names its shaded windows
    assert "evaluation" in everything


def scored_diary(names: list[str], days: int = 120) -> tuple[Diary, date]:
    """Return a diary that takes the default plan and scores ``names`` every fourth day."""
    diary = Diary()
    diary.add(START, plan())
    for offset in range(0, days, 4):
        day = START + timedelta(days=offset)
        diary.add(day, Took())
        diary.add(day, Note("", tuple((n, (offset + j) % 11) for j, n in enumerate(names))))
    return diary, START + timedelta(days=days - 1)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_week_table_headers_print_whole(paper: str, tmp_path: Path) -> None:
    # The week table's headers were once cut inside words ("Wee k", "fati gue").
    require_tools()
    names = ["pain", "fatigue", "sleep"]
    diary, today = scored_diary(names)
    html = report_html(build_report(diary.entries, today), profile="anna", generated_on=today)
    headers = (*WEEK_HEADERS, *names)
    _, _, texts, _ = print_report(html, paper, tmp_path, headers)
    assert any("Week Dates Planned Taken" in t for t in texts)  # the header row reads across


def test_long_unbroken_text_wraps_and_is_printed_whole(tmp_path: Path) -> None:
    require_tools()
    names = ["pain", "fatigue", "sleep", "mood", "brain fog", "restless legs at night", "x" * 50]
    diary = Diary()
    diary.add(START, plan())
    notes = 0
    for offset in range(0, 120, 4):
        day = START + timedelta(days=offset)
        diary.add(day, Took())
        scores = tuple((n, (offset + j) % 11) for j, n in enumerate(names))
        diary.add(day, Note("W" * 300, scores, ("Z" * 150,)))
        notes += 1
    today = START + timedelta(days=119)
    html = report_html(build_report(diary.entries, today), profile="P" * 150, generated_on=today)
    # Every header of the week table whose words are of a usual length prints whole.
    whole = (*WEEK_HEADERS, *names[:-1])
    pdf, pages, texts, _ = print_report(html, "A4", tmp_path, whole)
    assert pages <= 20
    everything = run("pdftotext", str(pdf), "-")

    def printed(letter: str) -> int:
        return sum(len(run) for run in re.findall(f"{letter}{{8,}}", everything))

    # Every character of every long text is on the page: wrapped, never clipped.
    assert printed("W") == 300 * notes
    # Each side effect is in its date's row, and once in the row of each dose taken (the
    # weekly climb: 1, 2, 3 and 4 mg a week each, then 4.5 mg from day 29).
    doses = {
        Fraction(offset // 7 + 1) if offset < 28 else Fraction(9, 2) for offset in range(0, 120, 4)
    }
    assert printed("Z") == 150 * (notes + len(doses))
    assert printed("P") == 150
    # The chart (its legend) prints on the page of its heading, after the trial at a glance.
    (chart_page,) = [t for t in texts if "Chart: dose and scores" in t]
    assert "Dose taken" in chart_page
    assert "x" * 31 + "…" in flat(everything)  # the legend shortens a long score's name


def test_label_prints_inside_its_box(tmp_path: Path) -> None:
    require_tools()
    page = label_html(Mixed(1, Fraction(50), Fraction(50), 14), date(2027, 1, 4), profile="anna")
    pdf = print_to_pdf(page, tmp_path, "label")
    pages, _, _ = page_count(pdf)
    assert pages == 1
    boxes = assert_legible(pdf, ("Mixed on:", "Discard after:"))
    margin = 10 * PT_PER_MM
    right, bottom = margin + 90 * PT_PER_MM, margin + 50 * PT_PER_MM
    inside = [w for w in boxes if w.y_max <= bottom]
    below = [w for w in boxes if w.y_min > bottom]
    label = " ".join(w.text for w in inside)
    for text in (
        "Low-dose naltrexone (LDN) oral liquid",
        "1 mg/mL",
        "1 x 50 mg tablet in 50 mL = 1 mg/mL",
        "Mixed on:",  # the dates stand in a column of their own
        "Discard after:",
        "2027-01-04",
        "2027-01-17",
        "Shake well before every dose.",
        "Keep in the fridge.",
        "Profile: anna. Informational only, not medical advice.",
    ):
        assert text in label, text
    for w in inside:
        assert w.x_min >= margin - 1, w
        assert w.x_max <= right + 1, w
        assert w.y_min >= margin - 1, w
    notice = " ".join(w.text for w in below)
    assert notice.startswith(f"{NOTICE}: the arithmetic is done by ldncalc")
