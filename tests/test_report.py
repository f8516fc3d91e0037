"""The prescriber's report (HTML and Markdown) and the bottle label.

A three-month story is told with the diary's entries (start on ldnrt-weekly's
climb, side effects at 3 mg, back, slower, a few doses missed); every expected
figure is written out by hand or counted here from the story itself, never
taken from the code under test.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from fractions import Fraction
from html import escape
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.diary.entries import Adjust, Entry, Missed, Mixed, Note, Payload, PlanStarted, Took
from ldncalc.diary.living import Report, build_report
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.render.label import SHORT_DISCLAIMER, discard_after, label_html, label_lines
from ldncalc.render.report import SECTIONS, report_html, report_markdown
from tests.safe_notation import assert_safe

F = Fraction
START = date(2027, 1, 4)  # a Monday
TODAY = date(2027, 4, 2)
PERIOD_DAYS = 89  # 28 days of January from the 4th, 28 of February, 31 of March, 2 of April
WEEKLY = ((F(1), 7), (F(2), 7), (F(3), 7), (F(4), 7))  # ldnrt-weekly's climb
TITLE = "LDN Research Trust: 1 mg, up 1 mg a week"
BACK_ON = date(2027, 1, 22)
BACK_REASON = "insomnia & vivid dreams at 3 mg"
SLOWER_ON = date(2027, 1, 30)  # the day after the step-up: slower keeps 3 mg from 01-29
SLOWER_REASON = "advice: halve the steps"
MISSED_ON = (date(2027, 1, 15), date(2027, 2, 20), date(2027, 3, 3))
UNRECORDED = (date(2027, 3, 20),)
OTHER_DOSE = {date(2027, 2, 13): F(3)}  # 3 mg taken on a 3.5 mg day
SCRIPT_NOTE = "woke at 3am <script>alert('x')</script> & could not sleep"
# day, pain, sleep, side effects, text
NOTES: tuple[tuple[date, int, int, tuple[str, ...], str], ...] = (
    (date(2027, 1, 10), 7, 4, (), ""),
    (date(2027, 1, 17), 6, 5, (), ""),
    (date(2027, 1, 19), 4, 1, (), ""),
    (date(2027, 1, 20), 6, 6, ("insomnia", "vivid dreams"), "restless night"),
    (date(2027, 1, 21), 5, 7, ("headache",), SCRIPT_NOTE),
    (date(2027, 1, 24), 5, 3, (), ""),
    (date(2027, 1, 31), 6, 4, (), ""),
    (date(2027, 2, 7), 5, 3, (), ""),
    (date(2027, 2, 14), 5, 3, (), ""),
    (date(2027, 2, 21), 4, 3, (), ""),
    (date(2027, 2, 28), 4, 2, (), ""),
    (date(2027, 3, 7), 3, 2, (), "Feeling steadier"),
    (date(2027, 3, 14), 3, 3, (), ""),
    (date(2027, 3, 21), 2, 2, (), ""),
    (date(2027, 3, 28), 2, 2, (), "Walked to the shops"),
)
SCORES: dict[str, dict[date, int]] = {
    "pain": {n[0]: n[1] for n in NOTES},
    "sleep": {n[0]: n[2] for n in NOTES},
}
DASH = "\N{EN DASH}"  # a week without a score
# The plan the rules lay, written out by hand: first day, last day, dose.
SEGMENTS = (
    (date(2027, 1, 4), date(2027, 1, 10), F(1)),
    (date(2027, 1, 11), date(2027, 1, 17), F(2)),
    (date(2027, 1, 18), date(2027, 1, 21), F(3)),
    (date(2027, 1, 22), date(2027, 1, 28), F(2)),  # back: 2 mg for its full week
    (date(2027, 1, 29), date(2027, 2, 11), F(3)),  # slower: 14 days a step, up 0.5 mg
    (date(2027, 2, 12), date(2027, 2, 25), F(7, 2)),
    (date(2027, 2, 26), date(2027, 3, 11), F(4)),
    (date(2027, 3, 12), date(2027, 5, 6), F(9, 2)),  # the target for 56 days
)
REVIEW = "2027-05-07"  # 2027-03-12, the first day at 4.5 mg, + 56 days
SVG = "{http://www.w3.org/2000/svg}"


def plan(start: date = START) -> PlanStarted:
    return PlanStarted(
        climb=WEEKLY,
        target_mg=F(9, 2),
        hold_days=56,
        protocol_id="ldnrt-weekly",
        protocol_title=TITLE,
        start_date=start,
        tablets=1,
        strength_mg=F(50),
        water_ml=F(50),
        syringe_ml=None,
        graduation_ml=None,
        keep_days=14,
    )


class Diary:
    """Entries numbered in the order they are added."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def add(self, day: date, payload: Payload) -> None:
        n = len(self.entries) + 1
        at = datetime(day.year, day.month, day.day, 21, 30)
        self.entries.append(Entry(f"uid-{n}", n, day, at, payload))


def day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def story() -> list[Entry]:
    diary = Diary()
    diary.add(START, plan())
    diary.add(START, Mixed(1, F(50), F(50), 14))
    diary.add(BACK_ON, Adjust("back", reason=BACK_REASON))
    diary.add(SLOWER_ON, Adjust("slower", step_mg=F(1, 2), every_days=14, reason=SLOWER_REASON))
    notes = {n[0]: n for n in NOTES}
    for day in day_range(START, TODAY):
        if day in MISSED_ON:
            diary.add(day, Missed())
        elif day not in UNRECORDED:
            diary.add(day, Took(OTHER_DOSE.get(day)))
        if day in notes:
            _, pain, sleep, effects, text = notes[day]
            diary.add(day, Note(text, (("pain", pain), ("sleep", sleep)), effects))
    return diary.entries


def planned_on(day: date) -> Fraction | None:
    return next((dose for first, last, dose in SEGMENTS if first <= day <= last), None)


def taken_on(day: date) -> Fraction | None:
    if day in MISSED_ON or day in UNRECORDED or not START <= day <= TODAY:
        return None
    return OTHER_DOSE.get(day, planned_on(day))


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(story(), TODAY)


@pytest.fixture(scope="module")
def html(report: Report) -> str:
    return report_html(report, profile="anna <&>", generated_on=TODAY)


@pytest.fixture(scope="module")
def markdown(report: Report) -> str:
    return report_markdown(report, profile="anna <&>", generated_on=TODAY)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag == "style"

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def chart(html: str) -> ET.Element:
    found = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(found) == 1
    return ET.fromstring(found[0])


def panel(svg: ET.Element, name: str) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    """Return the panel's left, top, width and height."""
    (rect,) = [r for r in svg.iter(SVG + "rect") if r.get("data-panel") == name]
    x, y, width, height = (F(rect.get(k, "")) for k in ("x", "y", "width", "height"))
    return x, y, width, height


def translated(element: ET.Element) -> tuple[Fraction, Fraction]:
    found = re.fullmatch(r"translate\(([\d.]+) ([\d.]+)\)", element.get("transform", ""))
    assert found is not None, element.attrib
    return F(found.group(1)), F(found.group(2))


def score_points(svg: ET.Element, name: str) -> list[tuple[Fraction, Fraction]]:
    (group,) = [g for g in svg.iter(SVG + "g") if g.get("data-score") == name]
    return [translated(m) for m in group if m.tag in (SVG + "circle", SVG + "rect", SVG + "path")]


def close(a: Fraction, b: Fraction) -> bool:
    return abs(a - b) <= F(1, 20)  # coordinates are written to a tenth


# --------------------------------------------------------------------------- content


def test_the_disclaimer_is_at_the_top_and_the_end(html: str, markdown: str) -> None:
    boxed = f'<p class="notice">{escape(DISCLAIMER)}</p>'
    assert html.count(boxed) == 2
    assert html.count(escape(DISCLAIMER)) == 2
    assert html.index(boxed) < html.index("<h2>")
    assert html.rindex(boxed) > html.rindex("<h2>")
    assert markdown.count(f"> **{DISCLAIMER}**") == 2
    assert markdown.startswith(f"# LDN diary report\n\n> **{DISCLAIMER}**\n")
    assert markdown.endswith(f"\n> **{DISCLAIMER}**\n")


def test_every_section_is_there_in_order(html: str, markdown: str) -> None:
    assert SECTIONS == (
        "The trial at a glance",
        "At a glance",
        "Chart: dose and scores",
        "Plan",
        "Changes to the plan",
        "Adherence",
        "Days at each dose",
        "Side effects",
        "Notes",
        "Week by week",
        "Review",
    )
    assert re.findall(r"<h2>(.*?)</h2>", html) == list(SECTIONS)
    assert re.findall(r"<h3>(.*?)</h3>", html) == ["By dose taken", "Steps as planned now"]
    assert re.findall(r"^## (.*)$", markdown, re.M) == list(SECTIONS)


def test_the_period_and_the_profile_are_named(html: str, markdown: str) -> None:
    assert (
        '<p class="meta"><b>Profile:</b> anna &lt;&amp;&gt;<br><b>Period:</b> '
        '<span class="nw">2027-01-04</span> to <span class="nw">2027-04-02</span> (89 days)'
        '<br><b>Made on:</b> <span class="nw">2027-04-02</span></p>'
    ) in html
    assert "anna <&>" not in html
    assert (
        "- Profile: anna &lt;&amp;&gt;\n- Period: 2027-01-04 to 2027-04-02 (89 days)\n"
        "- Made on: 2027-04-02\n"
    ) in markdown


def test_the_plan_names_protocol_target_and_preparation(html: str, markdown: str) -> None:
    facts = [
        ("Protocol", TITLE),
        (
            "Steps when started",
            "1 mg for 7 days, 2 mg for 7 days, 3 mg for 7 days, 4 mg for 7 days, then 4.5 mg.",
        ),
        ("Started on", "2027-01-04"),
        ("Target", "4.5 mg"),
        ("At the target", "56 days, then the review"),
        ("Preparation", "1 x 50 mg tablet in 50 mL = 1 mg/mL"),
        ("Each bottle", "14 days, the mixing day being day 1"),
        ("Now", "goes on at the final dose until stopped"),
    ]
    expected_dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    assert f'<dl class="facts">{expected_dl}</dl>' in html
    assert "\n".join(f"- {k}: {v}" for k, v in facts) in markdown


def test_the_steps_as_planned_now(markdown: str) -> None:
    rows = [
        "| 2027-01-04 to 2027-01-10 | 7 | 1 mg |  |",
        "| 2027-01-11 to 2027-01-17 | 7 | 2 mg |  |",
        "| 2027-01-18 to 2027-01-21 | 4 | 3 mg |  |",
        "| 2027-01-22 to 2027-01-28 | 7 | 2 mg | "
        "back to 2 mg (insomnia &amp; vivid dreams at 3 mg) |",
        "| 2027-01-29 to 2027-02-11 | 14 | 3 mg | 2027-01-30: slower: from 3 mg, up 0.5 mg "
        "every 14 days (advice: halve the steps) |",  # dated: the step began the day before
        "| 2027-02-12 to 2027-02-25 | 14 | 3.5 mg |  |",
        "| 2027-02-26 to 2027-03-11 | 14 | 4 mg |  |",
        "| 2027-03-12 to 2027-05-06 | 56 | 4.5 mg (target) |  |",
    ]
    assert len(rows) == len(SEGMENTS)
    head = "### Steps as planned now\n\n| Dates | Days | Dose | Change |\n|---|---|---|---|\n"
    assert head + "\n".join(rows) + "\n" in markdown


def test_every_change_has_its_date_and_reason(html: str, markdown: str) -> None:
    changes = [
        ("2027-01-04", "Plan started", f"plan started: {TITLE} (target 4.5 mg)"),
        ("2027-01-22", "Back a step", "back to 2 mg (insomnia &amp; vivid dreams at 3 mg)"),
        (
            "2027-01-30",
            "Climb more slowly",
            "slower: from 3 mg, up 0.5 mg every 14 days (advice: halve the steps)",
        ),
    ]
    html_rows = "".join(
        f'<tr><td><span class="nw">{d}</span></td><td>{a}</td><td>{w}</td></tr>'
        for d, a, w in changes
    )
    assert f"<th>What and why</th></tr></thead>{html_rows}</table>" in html
    md_rows = "\n".join(f"| {d} | {a} | {w} |" for d, a, w in changes)
    assert f"| Date | Change | What and why |\n|---|---|---|\n{md_rows}\n" in markdown


def test_adherence_counts_days_taken_of_days_planned(html: str, markdown: str) -> None:
    planned = [d for d in day_range(START, TODAY) if planned_on(d) is not None]
    taken = [d for d in planned if taken_on(d) is not None]
    assert (len(taken), len(planned)) == (85, PERIOD_DAYS)
    percent = (F(100 * len(taken), len(planned)) + F(1, 2)).__floor__()  # half up
    text = f"{len(taken)} of {len(planned)} days ({percent}%)"
    assert text == "85 of 89 days (96%)"
    assert f"<p>Days taken of days planned: <b>{text}</b>.</p>" in html
    assert (
        '<p>Recorded as missed: <span class="nw">2027-01-15</span>, '
        '<span class="nw">2027-02-20</span>, <span class="nw">2027-03-03</span>.</p>'
    ) in html
    assert '<p>Planned, with nothing recorded: <span class="nw">2027-03-20</span>.</p>' in html
    assert (
        f"- Days taken of days planned: **{text}**\n"
        "- Recorded as missed: 2027-01-15, 2027-02-20, 2027-03-03\n"
        "- Planned, with nothing recorded: 2027-03-20\n"
    ) in markdown
    assert f"- Days taken of days planned: {text}\n" in markdown  # at a glance


def test_adherence_percent_is_rounded_half_up() -> None:
    diary = Diary()
    diary.add(START, plan())
    diary.add(START, Took())  # 1 of 8 days: 12.5%, which half up makes 13%
    today = START + timedelta(days=7)
    text = report_markdown(build_report(diary.entries, today), profile="p", generated_on=today)
    assert "- Days taken of days planned: **1 of 8 days (13%)**\n" in text
    assert "- Planned, with nothing recorded: 2027-01-05, 2027-01-06, 2027-01-07, " in text


def test_a_period_without_a_planned_day() -> None:
    diary = Diary()
    diary.add(START, plan())
    before = START - timedelta(days=3)
    report = build_report(diary.entries, START, start=before, end=START - timedelta(days=1))
    md = report_markdown(report, profile="p", generated_on=START)
    assert "- Days taken of days planned: **no day with a planned dose in this period**\n" in md
    assert "- Planned dose on 2027-01-03: none planned\n" in md
    assert "| 1 | 2027-01-01 to 2027-01-03 | none | 0 of 0 days |\n" in md
    svg = chart(report_html(report, profile="p", generated_on=START))
    assert [p for p in svg.iter(SVG + "path") if p.get("class") == "planned"] == []


def test_days_at_each_dose(html: str, markdown: str) -> None:
    planned: dict[Fraction, int] = {}
    taken: dict[Fraction, int] = {}
    for day in day_range(START, TODAY):
        dose, took = planned_on(day), taken_on(day)
        assert dose is not None
        planned[dose] = planned.get(dose, 0) + 1
        if took is not None:
            taken[took] = taken.get(took, 0) + 1
    counted = [(d, planned[d], taken.get(d, 0)) for d in sorted(planned)]
    assert counted == [
        (F(1), 7, 7),
        (F(2), 14, 13),
        (F(3), 18, 19),  # one 3 mg dose taken on a 3.5 mg day
        (F(7, 2), 14, 12),
        (F(4), 14, 13),
        (F(9, 2), 22, 21),
    ]
    text = ("1 mg", "2 mg", "3 mg", "3.5 mg", "4 mg", "4.5 mg")
    md_rows = "\n".join(f"| {t} | {p} | {k} |" for t, (_, p, k) in zip(text, counted, strict=True))
    assert f"| Dose | Days planned | Days taken |\n|---|---|---|\n{md_rows}\n" in markdown
    html_rows = "".join(
        f"<tr><td>{t}</td><td>{p}</td><td>{k}</td></tr>"
        for t, (_, p, k) in zip(text, counted, strict=True)
    )
    assert html_rows in html


def test_side_effects_by_date_with_the_dose_of_the_day(html: str, markdown: str) -> None:
    assert planned_on(date(2027, 1, 20)) == planned_on(date(2027, 1, 21)) == F(3)
    assert (
        "| Date | Dose planned | Side effects |\n|---|---|---|\n"
        "| 2027-01-20 | 3 mg | insomnia, vivid dreams |\n"
        "| 2027-01-21 | 3 mg | headache |\n"
    ) in markdown
    assert (
        '<tr><td><span class="nw">2027-01-20</span></td><td>3 mg</td>'
        "<td>insomnia, vivid dreams</td></tr>"
        '<tr><td><span class="nw">2027-01-21</span></td><td>3 mg</td><td>headache</td></tr>'
    ) in html


def test_notes_are_escaped(html: str, markdown: str) -> None:
    escaped = "woke at 3am &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; could not sleep"
    assert (
        f'<tr><td><span class="nw">2027-01-21</span></td><td class="note">{escaped}</td></tr>'
        in html
    )
    assert "<script" not in html.lower()
    assert (
        "| Date | Note |\n|---|---|\n"
        "| 2027-01-20 | restless night |\n"
        "| 2027-01-21 | "
        "woke at 3am &lt;script&gt;alert('x')&lt;/script&gt; &amp; could not sleep |\n"
        "| 2027-03-07 | Feeling steadier |\n"
        "| 2027-03-28 | Walked to the shops |\n"
    ) in markdown
    assert "<script" not in markdown.lower()
    assert SCRIPT_NOTE in page_text(html)  # the reader sees what was typed


def test_markdown_escapes_its_own_markup() -> None:
    diary = Diary()
    diary.add(START, plan())
    diary.add(START, Note("a | b *bold* [link](x) # not a heading\nsecond line"))
    md = report_markdown(build_report(diary.entries, START), profile="p_1", generated_on=START)
    assert "| 2027-01-04 | a \\| b \\*bold\\* \\[link\\](x) \\# not a heading second line |\n" in md
    assert "- Profile: p\\_1\n" in md


def test_week_by_week(markdown: str) -> None:
    head = (
        "| Week | Dates | Planned | Taken | pain (mean) | sleep (mean) |\n"
        "|---|---|---|---|---|---|\n"
    )
    assert head in markdown
    rows = [
        "| 1 | 2027-01-04 to 2027-01-10 | 1 mg | 7 of 7 days: 1 mg | 7 | 4 |",
        "| 2 | 2027-01-11 to 2027-01-17 | 2 mg | 6 of 7 days: 2 mg | 6 | 5 |",
        # sleep 1, 6, 7, 3: 17 / 4 = 4.25, half up 4.3
        "| 3 | 2027-01-18 to 2027-01-24 | 3 mg then 2 mg | 7 of 7 days: 3 mg then 2 mg | 5 | 4.3 |",
        "| 6 | 2027-02-08 to 2027-02-14 | 3 mg then 3.5 mg | "
        "7 of 7 days: 3 mg then 3.5 mg then 3 mg then 3.5 mg | 5 | 3 |",
        f"| 13 | 2027-03-29 to 2027-04-02 | 4.5 mg | 5 of 5 days: 4.5 mg | {DASH} | {DASH} |",
    ]
    for row in rows:
        assert f"\n{row}\n" in markdown
    table = markdown[markdown.index(head) + len(head) :].split("\n\n")[0].splitlines()
    assert len(table) == 13  # 89 days: twelve weeks and five days
    for number, line in enumerate(table, start=1):
        first = START + timedelta(days=7 * (number - 1))
        days = [d for d in day_range(first, first + timedelta(days=6)) if d <= TODAY]
        cells = line.strip("|").split(" | ")
        for column, name in ((4, "pain"), (5, "sleep")):
            values = [v for d, v in SCORES[name].items() if d in days]
            if not values:
                assert cells[column].strip() == DASH
                continue
            tenths = (F(sum(values) * 10, len(values)) + F(1, 2)).__floor__()
            whole, tenth = divmod(tenths, 10)
            assert cells[column].strip() == (f"{whole}.{tenth}" if tenth else str(whole))


def test_the_review_date(html: str, markdown: str) -> None:
    assert date(2027, 3, 12) + timedelta(days=56) == date.fromisoformat(REVIEW)
    sentence = (
        f"{REVIEW}: eight weeks after the first day at the final dose (4.5 mg), when you and "
        "your prescriber look at the trial together; the prescriber decides."
    )
    assert f"<h2>Review</h2><p>{sentence}</p>" in html
    assert f"## Review\n\n{sentence}\n" in markdown
    assert f"<dt>Review date</dt><dd>{REVIEW}</dd>" in html


def test_a_stopped_trial_has_no_review_and_a_lowered_target() -> None:
    diary = Diary()
    diary.add(START, plan())
    diary.add(date(2027, 1, 20), Adjust("target", dose_mg=F(3), reason="the most I tolerate"))
    diary.add(date(2027, 2, 1), Adjust("stop", reason="no benefit"))
    today = date(2027, 2, 10)
    report = build_report(diary.entries, today)
    md = report_markdown(report, profile="p", generated_on=today)
    html = report_html(report, profile="p", generated_on=today)
    assert "## Review\n\nNo review date is set: the trial stopped on 2027-02-01.\n" in md
    assert "- Review date: none set\n" in md
    assert "- Target: 3 mg (the plan started with 4.5 mg)\n" in md
    assert "- Now: stopped on 2027-02-01\n" in md
    assert "| 2027-02-01 | Stopped | stopped (no benefit) |\n" in md
    assert "| 2027-01-20 | New target | new target 3 mg (the most I tolerate) |\n" in md
    assert "<p>No review date is set: the trial stopped on 2027-02-01.</p>" in html
    assert "- Planned dose on 2027-02-10: none planned\n" in md


def test_empty_sections_say_so() -> None:
    diary = Diary()
    diary.add(START, plan())
    report = build_report(diary.entries, START + timedelta(days=2))
    md = report_markdown(report, profile="p", generated_on=START)
    html = report_html(report, profile="p", generated_on=START)
    for heading in ("Side effects", "Notes"):
        assert f"## {heading}\n\nNone recorded in this period.\n" in md
        assert f"<h2>{heading}</h2><p>None recorded in this period.</p>" in html
    assert "| Week | Dates | Planned | Taken |\n" in md
    svg = chart(html)
    assert [r.get("data-panel") for r in svg.iter(SVG + "rect") if r.get("data-panel")] == ["dose"]
    desc = svg.find(SVG + "desc")
    assert desc is not None
    assert desc.text is not None
    assert desc.text.endswith("No scores were recorded.")


# --------------------------------------------------------------------------- the chart


def test_the_page_is_self_contained(html: str) -> None:
    assert html.count("<svg") == 1
    assert re.findall(r"https?:[^\"' ]*", html) == ["http://www.w3.org/2000/svg"]
    for forbidden in ("src=", "<script", "<link", "@import", "url(", "<img", "<iframe"):
        assert forbidden not in html.lower()


def test_every_number_is_in_safe_notation(html: str, markdown: str) -> None:
    text = page_text(html)
    assert_safe(text)
    assert_safe(markdown)
    for doses in (text, markdown):
        for dose in ("1 mg", "3.5 mg", "4.5 mg", "0.5 mg"):
            assert dose in doses
        assert not re.search(r"0\.50|[^0-9]\.5|\.0 mg", doses)


def test_the_chart_draws_the_planned_dose_as_steps(html: str) -> None:
    svg = chart(html)
    left, top, width, height = panel(svg, "dose")
    bottom = top + height
    ticks = [
        t.text
        for t in svg.iter(SVG + "text")
        if t.get("text-anchor") == "end" and top - 5 <= F(t.get("y", "0")) <= bottom + 5
    ]
    assert ticks == ["0", "1", "2", "3", "4", "5"]  # 4.5 mg at most: an axis to 5 mg
    slot = width / PERIOD_DAYS

    def y(mg: Fraction) -> Fraction:
        return bottom - mg * height / 5

    (path,) = [p for p in svg.iter(SVG + "path") if p.get("class") == "planned"]
    moves = re.findall(r"([MVH])([\d.]+)(?: ([\d.]+))?", path.get("d", ""))
    assert moves[0][0] == "M"
    assert close(F(moves[0][1]), left)
    levels = [F(m[2]) for m in moves if m[0] == "M"] + [F(m[1]) for m in moves if m[0] == "V"]
    doses = [dose for _, _, dose in SEGMENTS]
    assert len(levels) == len(doses)
    assert all(close(a, y(b)) for a, b in zip(levels, doses, strict=True))
    # Each step ends at the right edge of its last day (the last one at the period's end).
    ends = [F(m[1]) for m in moves if m[0] == "H"]
    last_days = [min((last - START).days + 1, PERIOD_DAYS) for _, last, _ in SEGMENTS]
    assert all(close(a, left + n * slot) for a, n in zip(ends, last_days, strict=True))


def test_the_chart_shows_doses_taken_and_missed(html: str) -> None:
    svg = chart(html)
    left, top, width, height = panel(svg, "dose")
    slot = width / PERIOD_DAYS
    (taken,) = [g for g in svg.iter(SVG + "g") if g.get("class") == "taken"]
    dots = sorted((F(c.get("cx", "")), F(c.get("cy", ""))) for c in taken)
    expected = sorted(
        (left + slot * (2 * i + 1) / 2, top + height - dose * height / 5)
        for i, day in enumerate(day_range(START, TODAY))
        if (dose := taken_on(day)) is not None
    )
    assert len(dots) == len(expected) == 85
    assert all(close(a, b) and close(c, d) for (a, c), (b, d) in zip(dots, expected, strict=True))
    (missed,) = [p for p in svg.iter(SVG + "path") if p.get("class") == "missed"]
    assert missed.get("d", "").count("M") == 2 * len(MISSED_ON)


def test_the_chart_draws_each_score_on_its_own_scale(html: str) -> None:
    svg = chart(html)
    left, top, width, height = panel(svg, "scores")
    slot = width / PERIOD_DAYS
    for name, values in SCORES.items():
        expected = [
            (left + slot * (2 * (day - START).days + 1) / 2, top + height - v * height / 10)
            for day, v in sorted(values.items())
        ]
        points = score_points(svg, name)
        assert len(points) == len(expected)
        for (x, y), (ex, ey) in zip(points, expected, strict=True):
            assert close(x, ex)
            assert close(y, ey)
    legend = [t.text for t in svg.iter(SVG + "text") if t.get("x") == "28"]
    assert legend == ["Planned dose", "Dose taken", "Missed", "Target 4.5 mg", "pain", "sleep"]


def test_the_chart_has_month_ticks_and_a_text_alternative(html: str) -> None:
    svg = chart(html)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-title chart-desc"
    title, desc = svg.find(SVG + "title"), svg.find(SVG + "desc")
    assert title is not None
    assert desc is not None
    assert title.text == "Dose and scores, 2027-01-04 to 2027-04-02"
    assert desc.text == (
        "Planned dose: 1 mg from 2027-01-04, 2 mg from 2027-01-11, 3 mg from 2027-01-18, "
        "2 mg from 2027-01-22, 3 mg from 2027-01-29, 3.5 mg from 2027-02-12, "
        "4 mg from 2027-02-26, 4.5 mg from 2027-03-12. "
        "Doses recorded as taken on 85 days, as missed on 3 days. "
        "pain (0 none, 10 worst): recorded on 15 days, from 2 to 7, latest 2 on 2027-03-28. "
        "sleep (0 none, 10 worst): recorded on 15 days, from 1 to 7, latest 2 on 2027-03-28."
    )
    labels = [t.text for t in svg.iter(SVG + "text")]
    # February and March begin inside the period; April's tick is too near the last label.
    assert {"2027-01-04", "Feb 2027", "Mar 2027", "2027-04-02"} <= set(labels)
    assert 'aria-labelledby="chart-title chart-desc"' in html


def test_a_long_report_thins_its_month_labels() -> None:
    diary = Diary()
    diary.add(START, plan())
    diary.add(START, Note(scores=(("pain", 5),)))
    today = START + timedelta(days=729)
    svg = chart(report_html(build_report(diary.entries, today), profile="p", generated_on=today))
    _, top, _, height = panel(svg, "scores")
    axis = [t for t in svg.iter(SVG + "text") if F(t.get("y", "0")) == top + height + 15]
    months = sorted(F(t.get("x", "")) for t in axis if re.fullmatch(r"\w{3} \d{4}", t.text or ""))
    assert len(months) >= 6
    assert all(b - a >= 60 for a, b in pairwise(months))


def test_score_names_are_escaped_in_the_chart() -> None:
    diary = Diary()
    diary.add(START, plan())
    diary.add(START, Note(scores=(('mood <&> "x"', 5),)))
    html = report_html(build_report(diary.entries, START), profile="p", generated_on=START)
    svg = chart(html)
    assert [g.get("data-score") for g in svg.iter(SVG + "g") if g.get("data-score")] == [
        'mood <&> "x"'
    ]
    assert "mood &lt;&amp;&gt; &quot;x&quot;" in html
    assert "<th>mood &lt;&amp;&gt; &quot;x&quot; (mean)</th>" in html


@given(
    scores=st.dictionaries(
        st.integers(0, 27),
        st.tuples(st.integers(0, 10), st.integers(0, 10)),
        min_size=1,
        max_size=28,
    )
)
def test_scores_stay_inside_their_panel(scores: dict[int, tuple[int, int]]) -> None:
    diary = Diary()
    diary.add(START, plan())
    for offset, (pain, fatigue) in sorted(scores.items()):
        diary.add(
            START + timedelta(days=offset), Note(scores=(("pain", pain), ("fatigue", fatigue)))
        )
    today = START + timedelta(days=27)
    svg = chart(report_html(build_report(diary.entries, today), profile="p", generated_on=today))
    left, top, width, height = panel(svg, "scores")
    for name, index in (("pain", 0), ("fatigue", 1)):
        points = score_points(svg, name)
        assert len(points) == len(scores)
        for (x, y), offset in zip(points, sorted(scores), strict=True):
            assert left <= x <= left + width
            assert top <= y <= top + height
            assert close(y, top + height - scores[offset][index] * height / 10)
        polylines = [
            g.find(SVG + "polyline") for g in svg.iter(SVG + "g") if g.get("data-score") == name
        ]
        for line in polylines:
            if line is None:
                assert len(scores) == 1
                continue
            for pair in (line.get("points") or "").split():
                px, py = (F(v) for v in pair.split(","))
                assert left <= px <= left + width
                assert top <= py <= top + height


# --------------------------------------------------------------------------- the label


def test_label_lines() -> None:
    mixed = Mixed(1, F(50), F(50), 14)
    assert label_lines(mixed, date(2027, 1, 4), profile="anna") == [
        "Low-dose naltrexone (LDN) oral liquid",
        "1 x 50 mg tablet in 50 mL = 1 mg/mL",
        "Concentration: 1 mg/mL",
        "Mixed on: 2027-01-04",
        "Discard after: 2027-01-17 (kept 14 days, the mixing day is day 1)",
        "Shake well before every dose",
        "Keep in the fridge",
        "Profile: anna",
        "Informational only, not medical advice.",
    ]


def test_label_of_an_inexact_concentration_across_a_leap_day() -> None:
    mixed = Mixed(2, F(50), F(30), 14)  # 100 mg in 30 mL: 3.333... mg/mL
    lines = label_lines(mixed, date(2028, 2, 20), profile="b")
    assert lines[1] == "2 x 50 mg tablets in 30 mL = ≈3.333 mg/mL"
    assert lines[2] == "Concentration: ≈3.333 mg/mL"
    # 2028-02-20 is day 1; 29 February is day 10; day 14 is 4 March.
    assert lines[4] == "Discard after: 2028-03-04 (kept 14 days, the mixing day is day 1)"
    assert discard_after(mixed, date(2028, 2, 20)) == date(2028, 3, 4)
    assert discard_after(Mixed(1, F(50), F(50), 1), date(2027, 12, 31)) == date(2027, 12, 31)
    assert_safe("\n".join(lines))


def test_label_html() -> None:
    mixed = Mixed(1, F(50), F(50), 28)
    page = label_html(mixed, date(2027, 1, 4), profile="anna <&>")
    assert SHORT_DISCLAIMER == "Informational only, not medical advice."
    assert DISCLAIMER.startswith(SHORT_DISCLAIMER[:-1])
    assert page.count(escape(DISCLAIMER)) == 1
    assert f"Profile: anna &lt;&amp;&gt;. {SHORT_DISCLAIMER}</div>" in page
    assert "anna <&>" not in page
    for part in (
        "<title>Bottle label: 1 x 50 mg tablet in 50 mL = 1 mg/mL, mixed on 2027-01-04</title>",
        '<span class="conc">1 mg/mL</span><br>1 x 50 mg tablet in 50 mL = 1 mg/mL',
        "<span>Mixed on:</span><b>2027-01-04</b>",
        "<span>Discard after:</span><b>2027-01-31</b>",
        "Kept 28 days, the mixing day is day 1.",
        "Shake well before every dose. Keep in the fridge.",
        "width: 90mm; height: 50mm;",
    ):
        assert part in page
    for forbidden in ("src=", "<script", "<link", "http", "url("):
        assert forbidden not in page.lower()
    assert_safe(page_text(page))


@pytest.mark.parametrize(
    ("mixed", "error", "message"),
    [
        (Mixed(11, F(50), F(50), 14), InvalidInputError, "tablets must be 1 to 10, not 11"),
        (
            Mixed(1, F(50), F(1, 10), 14),
            RefusedError,
            "50 mg in 0.1 mL is 500 mg/mL, above naltrexone's solubility (about 100 mg/mL); "
            "use at least 0.5 mL of water",
        ),
    ],
)
def test_label_of_a_preparation_ldncalc_does_not_make(
    mixed: Mixed, error: type[Exception], message: str
) -> None:
    for render in (label_lines, label_html):
        with pytest.raises(error) as raised:
            render(mixed, date(2027, 1, 4), profile="p")
        assert str(raised.value) == message


# --------------------------------------------------------------------------- report --json


def _cli_diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ldncalc.cli import run

    monkeypatch.setenv("LDNCALC_HOME", str(tmp_path / "diary"))
    monkeypatch.chdir(tmp_path)
    assert run(["plan", "start", "--start-date", "2026-01-05"]) == 0
    for day, pain in (("2026-01-01", 8), ("2026-01-02", 8), ("2026-01-03", 6)):
        assert run(["note", "--date", day, "--pain", str(pain)]) == 0
    assert run(["took", "--date", "2026-01-05"]) == 0


def test_report_json_to_stdout_a_file_or_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ldncalc.cli import run
    from tests.test_json_schemas import schema_errors

    _cli_diary(tmp_path, monkeypatch)
    capsys.readouterr()
    assert run(["report", "--json", "--to", "2026-01-10"]) == 0
    printed = capsys.readouterr()
    obj = json.loads(printed.out)
    assert schema_errors(obj, "report") == []
    assert obj["schema"] == "ldncalc.report/2"
    # The baseline: 8, 8, 6 before the start (an oracle: 22 / 3).
    base = obj["trial"]["baseline"]
    assert (base["window"], base["from"], base["to"]) == (
        "before-start",
        "2025-12-22",
        "2026-01-04",
    )
    assert base["days_scored"] == 3
    assert abs(Fraction(base["pain"]) - Fraction(22, 3)) < Fraction(1, 10**10)
    assert obj["trial"]["immpact"] is None  # nothing scored since the start
    assert obj["by_dose"] == [
        {
            "dose_mg": 1,
            "days_taken": 1,
            "days_scored": 0,
            "pain_mean": None,
            "peg_mean": None,
            "side_effects": {},
        }
    ]
    assert obj["from"] == "2025-12-22"  # the report opens with the baseline
    assert run(["report", "--json", "-", "--to", "2026-01-10"]) == 0
    assert json.loads(capsys.readouterr().out) == obj
    assert run(["report", "--json", "trial.json", "--to", "2026-01-10"]) == 0
    written = capsys.readouterr()
    assert (written.out, written.err) == ("", "Wrote trial.json\n")
    assert json.loads((tmp_path / "trial.json").read_text("utf-8")) == obj


def test_report_json_errors_say_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ldncalc.cli import run

    _cli_diary(tmp_path, monkeypatch)
    (tmp_path / "trial.json").write_text("mine", encoding="utf-8")
    capsys.readouterr()
    assert run(["report", "--json", "trial.json"]) == 1
    error = json.loads(capsys.readouterr().err)["error"]
    assert error["code"] == "output-exists"
    assert "add --force to replace it" in error["message"]
    assert (tmp_path / "trial.json").read_text("utf-8") == "mine"
    assert run(["report", "trial.json"]) == 2
    assert capsys.readouterr().err == (
        "Error: 'trial.json' is not an option: write --json FILE for the JSON\n"
    )
    assert run(["report"]) == 2
    assert capsys.readouterr().err == (
        "Error: give --html FILE, --markdown FILE or --json [FILE] for the report\n"
    )


# --------------------------------------------------------------------------- the trial at a glance


def test_the_trial_at_a_glance_in_words_and_figures() -> None:
    from tests.test_trial import worked_example

    entries, end, _ = worked_example()
    report = build_report(entries, end, end=end)
    md = report_markdown(report, profile="p", generated_on=end)
    html = report_html(report, profile="p", generated_on=end)
    section = md[md.index("## The trial at a glance") : md.index("## At a glance")]
    # The figures of docs/diary.md's worked example, computed by hand there.
    for line in (
        "| Days | 2027-01-18 to 2027-01-31 | 2027-04-13 to 2027-04-26 |",
        "| Pain, mean | 7.5 | 3 |",
        "| PEG, mean | 6.67 | 2.5 |",
        "Pain fell from 7.5 to 3, 60% less: a substantial decrease by the IMMPACT benchmarks "
        "(50% or more).",
        "went from 6.67 to 2.5: 4.17 points less (62.5% less).",
        "PGIC on 2027-04-26: 2, much improved",
        "(Dworkin et al., J Pain 2008;9:105)",
        "Krebs et al., J Gen Intern Med 2009;24:733",
        "| 3 mg | 7 | 7 | 6 | 5.67 | vivid dreams (3 days) |",
        "| 4.5 mg | 55 | 55 | 3.76 | 3.39 | none |",
    ):
        assert line in section, line
    for advice in ("it works", "continue", "should"):
        assert advice not in section.lower()
    assert html.index("<h2>The trial at a glance</h2>") < html.index("<h2>At a glance</h2>")
    assert html.index(f'<p class="notice">{escape(DISCLAIMER)}</p>') < html.index(
        "<h2>The trial at a glance</h2>"
    )
    assert md.startswith("# LDN diary report\n")
    assert "- Period: 2027-01-18 to 2027-04-26 (99 days)\n" in md  # opens with the baseline
    svg = chart(html)
    windows = {r.get("data-window"): r for r in svg.iter(SVG + "rect") if r.get("data-window")}
    assert set(windows) == {"baseline", "evaluation"}
    x, _, width, _ = panel(svg, "dose")
    slot = width / 99
    assert close(F(windows["baseline"].get("x", "")), x)
    assert close(F(windows["baseline"].get("width", "")), 14 * slot)
    assert close(F(windows["evaluation"].get("x", "")), x + 85 * slot)  # day 86 of 99


def test_too_few_scores_are_said_not_averaged(report: Report, markdown: str) -> None:
    section = markdown[markdown.index("## The trial at a glance") : markdown.index("## At a")]
    # The story scores pain weekly: 1 day in the first week, 2 in the last 14 days.
    first_week = [d for d in SCORES["pain"] if START <= d < START + timedelta(days=7)]
    last_14 = [d for d in SCORES["pain"] if TODAY - timedelta(days=13) <= d <= TODAY]
    assert (len(first_week), len(last_14)) == (1, 2)
    assert "| Pain, mean | \N{EN DASH} | \N{EN DASH} |" in section
    assert (
        "No IMMPACT reading: each window needs pain scored on at least 3 days "
        "(baseline 1 day, evaluation 2 days)." in section
    )
    assert "No PGIC (Patient Global Impression of Change" in section
