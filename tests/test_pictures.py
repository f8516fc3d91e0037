from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.disclaimer import DISCLAIMER
from ldncalc.dose.preparation import make_preparation, plan_dose
from ldncalc.dose.syringes import CATALOGUE, Syringe, measure
from ldncalc.notation import format_dose_mg, format_volume_ml
from ldncalc.plan.supply import plan_batches
from ldncalc.plan.titration import build_schedule
from ldncalc.render.handout import schedule_html
from ldncalc.render.pictures import (
    MARGIN,
    chart_lines,
    fill_groups,
    scale_for,
    syringe_lines,
    syringe_svg,
)
from tests.fuzzing import cli
from tests.safe_notation import assert_safe

START = date(2027, 1, 4)


def test_syringe_drawing_for_4_5_mg() -> None:
    assert syringe_lines(plan_dose("4.5mg").measurement) == [
        "Syringe: 5 mL (0.2 mL marks)",
        "  0         1         2         3         4         5  mL",
        "  | ' ' ' ' | ' ' ' ' | ' ' ' ' | ' ' ' ' | ' ' ' ' |",
        " [##############################################    ]==o",
        "                                                ^ draw to 4.6 mL",
    ]


def test_syringe_drawing_window_at_40_columns() -> None:
    # The window starts at a numbered mark (0.2 mL), never between two (issue 11).
    assert syringe_lines(plan_dose("0.47mg").measurement, 40) == [
        "Syringe: 0.5 mL (0.01 mL marks)",
        "  0.2       0.3       0.4       0.5",
        "  |'''''''''|'''''''''|'''''''''|",
        " <###########################   ]==o",
        "             draw to 0.47 mL ^",
        "(part of the scale: 0.2 mL to 0.5 mL)",
    ]


def test_step_chart_for_the_default_schedule() -> None:
    assert chart_lines(build_schedule(start_date=START), 80) == [
        "4.5 mg (target) |                    ##########################################",
        "           4 mg |               #####",
        "           3 mg |          #####",
        "           2 mg |     #####",
        "           1 mg |#####",
        "                +--------------------==========================================",
        "                 1    2    3    4    5    6     7    8    9    10   11   12",
        "                 (weeks)",
        "                 hold at 4.5 mg (===): days 29 to 84, 2027-02-01 to 2027-03-28",
    ]


syringes = st.one_of(
    st.sampled_from(CATALOGUE),
    st.builds(
        lambda marks, grad: Syringe(marks * grad, grad),
        st.integers(5, 400),
        st.sampled_from([Fraction(1, 100), Fraction(1, 50), Fraction(1, 10), Fraction(1, 5)]),
    ),
)


@given(syringes, st.data(), st.integers(30, 200))
def test_the_drawn_fill_ends_at_the_tick_of_the_mark(
    syringe: Syringe, data: st.DataObject, width: int
) -> None:
    total = int(syringe.capacity_ml / syringe.graduation_ml)
    mark = data.draw(st.integers(1, total))
    m = measure(mark * syringe.graduation_ml, (syringe,))
    lines = syringe_lines(m, width, title=False)
    ticks, barrel = lines[1], lines[2]
    assert all(len(line) <= max(width, 40) for line in lines[:4])
    fill = barrel.count("#")
    scale = scale_for(syringe, mark, max(width - len(MARGIN) - 6, 10))
    assert (scale.first + Fraction(fill, scale.columns_per_mark)) * syringe.graduation_ml == (
        m.measured_ml
    )
    assert ticks[len(MARGIN) + fill] in "|'"  # the fill stops on a tick
    assert barrel[len(MARGIN) + fill] in " ]>"  # and nothing is filled past it
    assert f"draw to {format_volume_ml(m.measured_ml)}" in lines[3]


@given(syringes, st.data())
def test_svg_fill_line_is_the_marks_fraction_of_the_barrel(
    syringe: Syringe, data: st.DataObject
) -> None:
    total = int(syringe.capacity_ml / syringe.graduation_ml)
    mark = data.draw(st.integers(1, total))
    m = measure(mark * syringe.graduation_ml, (syringe,))
    root = ET.fromstring(syringe_svg(m))
    ns = "{http://www.w3.org/2000/svg}"
    rects = {r.get("class"): r for r in root.iter(ns + "rect")}
    barrel, fill = rects["barrel"], rects["fill"]
    share = float(fill.get("width", "0")) / float(barrel.get("width", "1"))
    assert share == pytest.approx(float(m.measured_ml / syringe.capacity_ml), abs=1e-5)
    mark_line = next(line for line in root.iter(ns + "line") if line.get("class") == "mark")
    end = float(barrel.get("x", "0")) + float(fill.get("width", "0"))
    assert float(mark_line.get("x1", "0")) == pytest.approx(end, abs=1e-3)
    label = next(t for t in root.iter(ns + "text") if t.get("class") == "mark-label")
    assert label.text == format_volume_ml(m.measured_ml)


def test_a_dose_of_several_fills_draws_the_last_fill_and_says_so() -> None:
    # 4.5 mg from 1 tablet in 250 mL: 22.5 mL, snapped to 22.6 mL on the 10 mL syringe.
    m = plan_dose("4.5mg", make_preparation(water_ml="250mL")).measurement
    assert (m.fills, m.last_fill_ml) == (3, Fraction(13, 5))
    assert syringe_lines(m) == [
        "Syringe: 10 mL (0.2 mL marks), after 2 full syringe(s), the last fill:",
        "  0         2         4         6         8         10  mL",
        "  |'''''''''|'''''''''|'''''''''|'''''''''|'''''''''|",
        " [#############                                     ]==o",
        "               ^ draw to 2.6 mL",
    ]
    assert syringe_lines(m, title=False)[0] == "After 2 full syringe(s), the last fill:"


@given(syringes, st.data(), st.integers(30, 200))
def test_a_window_of_the_scale_starts_at_a_numbered_mark(
    syringe: Syringe, data: st.DataObject, width: int
) -> None:
    # Issue 11: the 1 mL syringe drawn to 1 mL started its scale at "0.29 mL".
    total = int(syringe.capacity_ml / syringe.graduation_ml)
    mark = data.draw(st.integers(1, total))
    m = measure(mark * syringe.graduation_ml, (syringe,))
    lines = syringe_lines(m, width, title=False)
    if not lines[-1].startswith("(part of the scale: "):
        return
    first = lines[-1].removeprefix("(part of the scale: ").split(" mL to ")[0]
    assert lines[1][len(MARGIN)] == "|", lines  # the left edge is a numbered tick
    assert lines[0][len(MARGIN) :].split(" ")[0] == first, lines  # with its number


def test_the_1_ml_syringe_drawn_to_1_ml_starts_at_a_numbered_mark() -> None:
    lines = syringe_lines(plan_dose("1mg").measurement, 80)
    assert "0.29" not in "\n".join(lines)
    assert lines[-1].startswith("(part of the scale: 0.")
    assert lines[-1].endswith(" mL to 1 mL)")
    start = Fraction(lines[-1].removeprefix("(part of the scale: ").split(" mL")[0])
    assert (start / Fraction(1, 10)).denominator == 1  # a numbered mark: a tenth of a mL


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def handout(protocol: str | None = None, weeks_hold: int = 8) -> str:
    s = build_schedule(protocol, start_date=START, hold_days=7 * weeks_hold)
    return schedule_html(s, plan_batches(s))


def test_handout_parses_and_holds_every_step() -> None:
    s = build_schedule(start_date=START)
    page = schedule_html(s, plan_batches(s))
    parser = _Collector()
    parser.feed(page)
    parser.close()
    text = " ".join(" ".join(parser.text).split())
    for step in s.steps:
        assert format_dose_mg(step.plan.dose_mg) in text
        assert format_volume_ml(step.plan.measurement.measured_ml) in text
        assert step.first_date.isoformat() in text
    assert " ".join(DISCLAIMER.split()) in text
    assert "Shake before every dose." in text
    assert "January 2027" in text
    assert "March 2027" in text
    assert "Mix batch 2" in text
    assert text.count("4.6 mL") >= 56  # a box to tick every day at the target
    assert parser.tags.count("svg") == len(s.steps)
    assert_safe(re.sub(r"<[^>]+>", " ", page))


def test_handout_for_doses_of_several_fills() -> None:
    # 1 tablet in 250 mL (0.2 mg/mL): 3 mg is 15 mL, 4 mg 20 mL, 4.5 mg 22.6 mL at the mark.
    s = build_schedule(start_date=START, preparation=make_preparation(water_ml="250mL"))
    page = schedule_html(s, plan_batches(s))
    parser = _Collector()
    parser.feed(page)
    parser.close()
    text = " ".join(" ".join(parser.text).split())
    draws = ["5 mL", "10 mL", "1 x 10 mL + 5 mL", "2 x 10 mL", "2 x 10 mL + 2.6 mL"]
    for step, draw, fills in zip(s.steps, draws, [1, 1, 2, 2, 3], strict=True):
        assert step.plan.measurement.fills == fills
        # the draw, with the liquid it is drawn from (1 x 50 mg in 250 mL = 0.2 mg/mL)
        assert f"{draw} of the stock (0.2 mg/mL)" in text
    # The calendar shows the whole draw on each of the 56 days at the target.
    assert text.count("2 x 10 mL + 2.6 mL of the stock (0.2 mg/mL)") == 1 + 56
    # The pictures show every fill, each to its mark, and say which fill it is.
    assert 'aria-label="10 mL (0.2 mL marks) syringe filled to 10 mL"' in page
    assert 'aria-label="10 mL (0.2 mL marks) syringe filled to 2.6 mL"' in page
    assert "Fills 1 and 2 of 3: each to 10 mL" in text
    assert "Fill 3 of 3: draw to 2.6 mL" in text
    assert "Fill 1 of 2: draw to 10 mL" in text
    assert "Fill 2 of 2: draw to 5 mL" in text
    assert "A dose of several fills is drawn and taken one fill after the other" in text
    assert "A dose of several fills" not in handout()  # one fill a dose: no word of fills
    assert "Put 1 x 50 mg naltrexone tablet in a clean bottle and add 250 mL" in text
    assert_safe(re.sub(r"<[^>]+>", " ", page))


def test_handout_loads_nothing_from_the_network() -> None:
    page = handout("ldnno-ms")
    parser = _Collector()
    parser.feed(page)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(parser.tags)
    for name, value in parser.attrs:
        assert name not in ("src", "href"), (name, value)
        if value and name != "xmlns":
            assert "http" not in value, (name, value)
    assert "@import" not in page
    assert "url(" not in page
    assert set(re.findall(r"https?://[^\s\"']+", page)) == {"http://www.w3.org/2000/svg"}


def test_schedule_chart_and_html_from_the_cli(tmp_path: Path) -> None:
    target = tmp_path / "plan.html"
    result = cli(
        "schedule", "--start-date", "2027-01-04", "--chart", "--html", str(target), width=120
    )
    assert result.exit_code == 0, result.output
    assert "4.5 mg (target) |" in result.stdout
    assert "hold at 4.5 mg (===)" in result.stdout
    assert result.stderr == f"Wrote {target}\n"
    assert target.read_text().startswith("<!DOCTYPE html>")
    again = cli("schedule", "--html", str(target))
    assert again.exit_code == 1
    assert again.stderr.startswith(f"Error: cannot write {target}: ")
    assert "exists" in again.stderr
    assert again.stderr.endswith("; add --force to replace it\n")
    assert len(again.stderr.splitlines()) == 1


def test_only_one_output_to_stdout() -> None:
    result = cli("schedule", "--format", "markdown", "--html", "-")
    assert result.exit_code == 2
    assert result.stderr == "Error: only one output can go to stdout: --html, --output\n"


def test_dose_printed_to_a_plain_console_at_80_columns() -> None:
    import io

    from ldncalc.render.plain import PlainConsole, print_dose

    out = io.StringIO()
    print_dose(PlainConsole(out, width=80), plan_dose("2.5mg", make_preparation(water_ml="100mL")))
    # The range: 100 mL of water is 10 fills of the 10 mL syringe, within 1 mL; the mark
    # within 0.1 mL: 45 mg x 4.9 / 101 = 2.183 to 55 mg x 5.1 / 99 = 2.833 mg.
    assert out.getvalue().splitlines()[:13] == [
        "Preparation: 1 x 50 mg tablet in 100 mL = 0.5 mg/mL",
        "Dose:        2.5 mg",
        "Volume:      5 mL",
        "Syringe:     5 mL (0.2 mL marks)",
        "Draw to:     5 mL",
        "Delivers:    2.5 mg",
        "Could be:    2.18 to 2.84 mg (up to 14% off: tablets 90% to 110% of their label,",
        "             water measured within 1 mL, each mark read to half a mark)",
        "",
        "  0         1         2         3         4         5  mL",
        "  | ' ' ' ' | ' ' ' ' | ' ' ' ' | ' ' ' ' | ' ' ' ' |",
        " [##################################################]==o",
        "                                                    ^ draw to 5 mL",
    ]


def test_chart_printed_to_a_rich_console_without_colour() -> None:
    import io

    from ldncalc.render.text import make_console, print_schedule

    out = io.StringIO()
    schedule = build_schedule(start_date=START)
    console = make_console(out, width=100)
    print_schedule(console, schedule, plan_batches(schedule), chart=True, mix_command="ldncalc mix")
    text = out.getvalue()
    assert "\x1b" not in text
    for line in chart_lines(schedule, 100):
        assert line + "\n" in text


@given(syringes, st.data())
def test_the_runs_of_fills_add_up_to_the_draw(syringe: Syringe, data: st.DataObject) -> None:
    total = int(syringe.capacity_ml / syringe.graduation_ml)
    marks = data.draw(st.integers(1, 6 * total))
    m = measure(marks * syringe.graduation_ml, (syringe,))
    runs = fill_groups(m)
    # the runs number the fills 1 to the last, in order, and hold the whole draw
    assert [first for first, _, _ in runs] == [1, *[last + 1 for _, last, _ in runs[:-1]]]
    assert runs[-1][1] == m.fills
    assert sum((last - first + 1) * each for first, last, each in runs) == m.measured_ml
    assert all(0 < each <= syringe.capacity_ml for _, _, each in runs)
    for _, _, each in runs:  # each run's picture is drawn to that run's mark
        root = ET.fromstring(syringe_svg(m, fill_ml=each))
        label = next(t for t in root.iter(SVG + "text") if t.get("class") == "mark-label")
        assert label.text == format_volume_ml(each)


SVG = "{http://www.w3.org/2000/svg}"
