"""Print the handout in a real browser (headless Chromium) and read the PDF back.

Needs Debian's `chromium` and `poppler-utils` (see tests/printcheck.py). `.ci/run`
installs them when CI is set, and under CI a missing browser is a failure, not a
skip. On a developer's machine without them the test says how to install them and skips.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from html import unescape
from pathlib import Path

import pytest

from ldncalc.dose.preparation import DosePlan
from ldncalc.notation import format_dose_mg, format_volume_ml
from ldncalc.plan.supply import plan_batches
from ldncalc.plan.titration import build_schedule
from ldncalc.render.handout import schedule_html
from ldncalc.render.rows import BATCH_HEADERS
from tests.fuzzing import cli
from tests.printcheck import (
    assert_in_columns,
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
WEEKDAY_HEADERS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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
    assert assert_in_columns(boxes, WEEKDAY_HEADERS, left_aligned=True) == 3  # three months
    assert assert_in_columns(boxes, STEP_HEADERS) >= 1
    batch_dates = [
        w for w in boxes if re.fullmatch(r"\d{4}-\d{2}-\d{2}", w.text) and w.page == pages
    ]
    assert len(batch_dates) >= 3  # the last page holds the batches' table, dates whole


# Draws of several fills (issue 23, item 15): on a 1 mL syringe 1.1 mg of 1 mg/mL is
# "1 x 1 mL + 0.1 mL". Printed, it once ran over the syringe's scale in the steps,
# over the next day's cell in the calendar (where "0.1 mL" read as that day's dose)
# and off the page's edge, cutting Sunday off; its picture showed the 0.1 mL alone.
MULTI_FILL_PLANS = {
    "1 mL syringe, 0.1 to 1.5 mg": (
        "--start", "0.1mg", "--step", "0.2mg", "--every", "7d", "--target", "1.5mg",
        "--syringe", "1mL",
    ),
    "1 mL syringe, 1 to 4.5 mg (up to 5 fills)": ("--syringe", "1mL"),
    "250 mL of water (10 mL syringe, 3 fills)": ("--water", "250mL"),
}  # fmt: skip


def even_fills(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw every multi-fill dose in even fills ("2 x 0.55 mL"), however dose/ splits."""
    from ldncalc.dose.syringes import Measurement
    from ldncalc.render import handout, rows

    def last_fill_ml(m: Measurement) -> Fraction:
        return m.measured_ml / m.fills

    def draw_to_text(plan: DosePlan) -> str:
        m = plan.measurement
        each = format_volume_ml(m.last_fill_ml)
        return each if m.fills == 1 else f"{m.fills} x {each}"

    monkeypatch.setattr(Measurement, "last_fill_ml", property(last_fill_ml))
    monkeypatch.setattr(rows, "draw_to_text", draw_to_text)
    monkeypatch.setattr(handout, "draw_to_text", draw_to_text)


def print_plan(args: Sequence[str], paper: str, folder: Path) -> Path:
    """Write a plan's handout with `ldncalc schedule`, print it on ``paper``, check it legible."""
    page = folder / "plan.html"
    result = cli("schedule", "--start-date", "2027-01-04", *args, "--html", str(page))
    assert result.exit_code == 0, result.stderr
    pdf = print_to_pdf(on_paper(page.read_text(encoding="utf-8"), paper), folder, paper)
    boxes = assert_legible(pdf, (*STEP_HEADERS, *BATCH_HEADERS, *WEEKDAY_HEADERS))
    assert_within_margins(boxes, paper)
    # Each day's draw stays in its day's cell, each step's in its column, on every page.
    assert assert_in_columns(boxes, WEEKDAY_HEADERS, left_aligned=True) >= 3
    assert assert_in_columns(boxes, STEP_HEADERS) >= 2
    return pdf


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("split", ["as dose/ splits", "even fills"])
@pytest.mark.parametrize("plan", sorted(MULTI_FILL_PLANS))
def test_draws_of_several_fills_print_legibly(
    plan: str, split: str, paper: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tools()
    if split == "even fills":
        even_fills(monkeypatch)
    pdf = print_plan(MULTI_FILL_PLANS[plan], paper, tmp_path)
    flat = " ".join(run("pdftotext", "-layout", str(pdf), "-").split())
    html = unescape(re.sub(r"<[^>]+>", " ", (tmp_path / "plan.html").read_text()))
    runs = RUN.findall(" ".join(html.split()))
    assert runs, "no dose of several fills in this plan"
    # Each dose's picture shows every fill: its runs number the fills 1 to the last,
    # and each run's mark is printed (the red label of its syringe).
    expected_first = 1
    for first, last, total, mark in runs:
        assert int(first) == expected_first, runs
        end = int(last or first)
        expected_first = 1 if end == int(total) else end + 1
        assert f"{mark} mL" in flat
    assert expected_first == 1, runs  # the last dose's fills are all shown too
    assert max(int(total) for _, _, total, _ in runs) >= 2


RUN = re.compile(r"Fills? (\d+)(?: (?:and|to) (\d+))? of (\d+): (?:draw|each) to ([\d.]+) mL")
