"""Print the handout in a real browser (headless Chromium) and read the PDF back.

Needs Debian's `chromium` and `poppler-utils`. `.ci/run` installs them when CI
is set, and under CI a missing browser is a failure, not a skip. On a
developer's machine without them the test says how to install them and skips.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest

from ldncalc.notation import format_dose_mg, format_volume_ml
from ldncalc.plan.supply import plan_batches
from ldncalc.plan.titration import build_schedule
from ldncalc.render.handout import schedule_html

TOOLS = ("chromium", "pdftotext", "pdfinfo")
MARGIN_PT = 12 / 25.4 * 72
# Pages for the default 12-week plan (how to mix, the steps and what each dose may
# be; three months of calendar; the batches and totals).
EXPECTED_PAGES = {"A4": 4, "Letter": 4}


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"missing {', '.join(missing)}: apt-get install chromium poppler-utils"
    if os.environ.get("CI"):
        pytest.fail(f"the browser test must run under CI; {message}")
    pytest.skip(message)


def print_to_pdf(html: str, folder: Path) -> Path:
    page = folder / "handout.html"
    page.write_text(html, encoding="utf-8")
    pdf = folder / "handout.pdf"
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


@pytest.mark.parametrize(("paper", "width_pt"), [("A4", 595.28), ("Letter", 612.0)])
def test_handout_prints_in_chromium(paper: str, width_pt: float, tmp_path: Path) -> None:
    require_tools()
    schedule = build_schedule(start_date=date(2027, 1, 4))  # 4 weeks' climb + 8 weeks' hold
    assert schedule.days == 12 * 7
    html = schedule_html(schedule, plan_batches(schedule))
    sized = html.replace("@page { margin: 12mm; }", f"@page {{ size: {paper}; margin: 12mm; }}")
    assert sized != html
    pdf = print_to_pdf(sized, tmp_path)

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Pages:\s+(\d+)", info)
    assert found is not None, info
    pages = int(found.group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert size is not None
    assert float(size.group(1)) == pytest.approx(width_pt, abs=1)
    assert pages == EXPECTED_PAGES[paper]

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for step in schedule.steps:
        assert format_dose_mg(step.plan.dose_mg) in flat
        assert format_volume_ml(step.plan.measurement.measured_ml) in flat
        assert step.first_date.isoformat() in flat
    assert "Informational only, not medical advice" in flat

    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert right_edges
    assert max(right_edges) <= width_pt - MARGIN_PT + 1  # nothing overflows the page width
