"""Print the handout in a real browser (headless Chromium) and read the PDF back.

Needs Debian's `chromium` and `poppler-utils` (see tests/printcheck.py). `.ci/run`
installs them when CI is set, and under CI a missing browser is a failure, not a
skip. On a developer's machine without them the test says how to install them and skips.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from ldncalc.notation import format_dose_mg, format_volume_ml
from ldncalc.plan.supply import plan_batches
from ldncalc.plan.titration import build_schedule
from ldncalc.render.handout import schedule_html
from ldncalc.render.rows import BATCH_HEADERS
from tests.printcheck import (
    assert_legible,
    assert_within_margins,
    on_paper,
    page_count,
    print_to_pdf,
    require_tools,
    run,
)

# Pages for the default 12-week plan (how to mix, the steps and what each dose may
# be; three months of calendar; the batches and totals).
# The calendar names the liquid of every day's volume: Letter, shorter than A4, takes a page more.
EXPECTED_PAGES = {"A4": 4, "Letter": 5}
STEP_HEADERS = ("Step", "Dates", "Dose", "Draw to", "Syringe")


@pytest.mark.parametrize(("paper", "width_pt"), [("A4", 595.28), ("Letter", 612.0)])
def test_handout_prints_in_chromium(paper: str, width_pt: float, tmp_path: Path) -> None:
    require_tools()
    schedule = build_schedule(start_date=date(2027, 1, 4))  # 4 weeks' climb + 8 weeks' hold
    assert schedule.days == 12 * 7
    html = schedule_html(schedule, plan_batches(schedule))
    pdf = print_to_pdf(on_paper(html, paper), tmp_path, "handout")

    pages, width, _ = page_count(pdf)
    assert width == pytest.approx(width_pt, abs=1)
    assert pages == EXPECTED_PAGES[paper]

    text = run("pdftotext", "-layout", str(pdf), "-")
    flat = " ".join(text.split())
    for step in schedule.steps:
        assert format_dose_mg(step.plan.dose_mg) in flat
        assert format_volume_ml(step.plan.measurement.measured_ml) in flat
        assert step.first_date.isoformat() in flat
    assert "Informational only, not medical advice" in flat

    # Legible on paper: no column prints over another (the batches' dates once ran
    # over each other and over the tablets), and no header is cut inside a word.
    boxes = assert_legible(pdf, (*STEP_HEADERS, *BATCH_HEADERS))
    assert_within_margins(boxes, paper)  # nothing overflows the page
    batch_dates = [
        w for w in boxes if re.fullmatch(r"\d{4}-\d{2}-\d{2}", w.text) and w.page == pages
    ]
    assert len(batch_dates) >= 3  # the last page holds the batches' table, dates whole
