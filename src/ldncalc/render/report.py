"""The prescriber's report: one self-contained HTML page, or the same as Markdown.

What a patient brings to the prescriber after weeks or months of the living
plan: first the trial at a glance (baseline and evaluation side by side, the
change read against the IMMPACT benchmarks, the PGIC, the figures at each dose
taken), then the plan and each change with its date and reason, the days taken
of the days planned, the days at each dose, side effects and notes by date, the
review date, and a chart of the dose over time with each score on its 0 to 10
scale (:mod:`ldncalc.render.chart`).

The figures are computed in the core (:func:`ldncalc.diary.living.build_report`,
:mod:`ldncalc.diary.trial`); this module only lays them out. Both formats are
made from one list of sections (:func:`sections`), each a heading and blocks
(facts, lines, tables, paragraphs, the chart), which the HTML and the Markdown
writers each draw in their own way.

The HTML has no scripts and fetches nothing: the CSS and the chart (SVG) are
inline. It prints on A4 and US Letter alike (the content is narrower than both;
each block is kept whole on a page). Every number a person reads is written by
ldncalc's safe-notation formatter, and every text the user typed is escaped.
The Markdown has the same content, with a table of the weeks instead of the
chart (the HTML has that table too: it is the chart in numbers).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction

from ldncalc._version import __version__
from ldncalc.diary.history import Adherence, HistoryDay
from ldncalc.diary.living import Report, preparation_of, protocol_of, syringe_of
from ldncalc.diary.trial import (
    EVALUATION_DAYS,
    IMMPACT_SOURCE,
    MIN_DAYS,
    PEG_SOURCE,
    Trial,
    Window,
)
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import days_text, format_dose_mg, number_text, round_half_up
from ldncalc.render.blocks import (
    Block,
    Cell,
    Chart,
    Facts,
    Lines,
    Para,
    Section,
    Sub,
    Table,
    block_html,
    block_markdown,
    escape_html,
    escape_markdown,
)
from ldncalc.render.blocks import date_cell as _d
from ldncalc.render.chart import SCORE_SCALE, chart_svg

__all__ = ["SECTIONS", "report_html", "report_markdown", "sections"]

TITLE = "LDN diary report"
# The headings of the sections, in order, in both the HTML and the Markdown.
SECTIONS = (
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
TRIAL_HEADING = SECTIONS[0]
CHART_HEADING = SECTIONS[2]
WEEKS_HEADING = SECTIONS[9]
ACTIONS = {
    "plan": "Plan started",
    "back": "Back a step",
    "hold": "Hold",
    "resume": "Resume",
    "slower": "Climb more slowly",
    "target": "New target",
    "dose": "Dose set",
    "stop": "Stopped",
}
NO_VALUE = "\N{EN DASH}"  # no value that week

CSS = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
  color: #000; margin: 0 auto; max-width: 180mm; line-height: 1.35; overflow-wrap: anywhere; }
h1 { font-size: 18pt; margin: 0 0 3mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 1.5mm 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 1mm 0; }
th, td { border: 0.6pt solid #555; padding: 1.2mm 1.5mm; vertical-align: top;
  overflow-wrap: anywhere; text-align: left; }
th { background: #eee; }
thead { display: table-header-group; }
tr, li { break-inside: avoid; }
.notice { border: 1.5pt solid #000; padding: 3mm; margin: 4mm 0; font-weight: bold;
  break-inside: avoid; }
.block { break-inside: avoid; }
.meta { font-size: 10pt; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 3mm;
  margin: 1mm 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
figure.chart { margin: 0; break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 9pt; color: #333; margin-top: 1mm; }
td.note { white-space: pre-wrap; }
.num { text-align: right; }
.small { font-size: 9pt; color: #333; }
.nw { white-space: nowrap; }
/* The weeks' columns take the width of their content: a header breaks between its
   words only (a word longer than a column breaks at the column's width). */
table.weeks { table-layout: auto; font-size: 9pt; }
table.weeks th { overflow-wrap: normal; }
table.weeks th, table.weeks td { padding: 1mm; }
"""


# --------------------------------------------------------------------------- words


def _percent(days_taken: int, days_planned: int) -> str:
    """Return days taken / days planned as a whole percentage, rounded half up."""
    return number_text(round_half_up(Fraction(100 * days_taken, days_planned), Fraction(1))) + "%"


def _adherence_text(a: Adherence) -> str:
    if a.days_planned == 0:
        return "no day with a planned dose in this period"
    return f"{a.days_taken} of {a.days_planned} days ({_percent(a.days_taken, a.days_planned)})"


def _doses_text(doses: Iterable[Fraction | None]) -> str:
    """Write doses (each run once already): '3 mg then 2 mg'; 'none' for no dose."""
    return " then ".join("none" if d is None else format_dose_mg(d) for d in doses) or "none"


def _tenth(value: Fraction | None) -> str:
    """Write a week's mean score to one decimal, rounded half up."""
    return NO_VALUE if value is None else number_text(round_half_up(value, Fraction(1, 10)))


def _hundredth(value: Fraction | None) -> str:
    """Write a trial's mean score to two decimals, rounded half up."""
    return NO_VALUE if value is None else number_text(round_half_up(value, Fraction(1, 100)))


def _dose_on_end(report: Report) -> str:
    dose = report.days[-1].planned_dose_mg if report.days else None
    return "none planned" if dose is None else format_dose_mg(dose)


def _review_text(report: Report) -> str:
    living = report.living
    if report.review_date is not None:
        final = next(s.dose_mg for s in reversed(living.segments) if s.dose_mg is not None)
        return (
            f"{report.review_date.isoformat()}: eight weeks after the first day at the "
            f"final dose ({format_dose_mg(final)}), when you and your prescriber look at "
            "the trial together; the prescriber decides."
        )
    if living.stopped_on is not None:
        return f"No review date is set: the trial stopped on {living.stopped_on.isoformat()}."
    return "No review date is set."


def _glance(report: Report) -> list[tuple[str, str]]:
    return [
        (f"Planned dose on {report.end.isoformat()}", _dose_on_end(report)),
        ("Target", format_dose_mg(report.living.target_mg)),
        ("Days taken of days planned", _adherence_text(report.adherence)),
        ("Review date", report.review_date.isoformat() if report.review_date else "none set"),
    ]


def _plan_facts(report: Report) -> list[tuple[str, str]]:
    living = report.living
    plan = living.plan
    protocol = protocol_of(plan)
    target = format_dose_mg(living.target_mg)
    if living.target_mg != plan.target_mg:
        target += f" (the plan started with {format_dose_mg(plan.target_mg)})"
    facts = [
        ("Protocol", protocol.title),
        ("Steps when started", protocol.description),
        ("Started on", plan.start_date.isoformat()),
        ("Target", target),
        ("At the target", f"{plan.hold_days} days, then the review"),
        ("Preparation", preparation_of(plan).label),
        ("Each bottle", f"{plan.keep_days} days, the mixing day being day 1"),
    ]
    syringe = syringe_of(plan)
    if syringe is not None:
        facts.append(("Syringe", syringe.label))
    if living.stopped_on is not None:
        status = f"stopped on {living.stopped_on.isoformat()}"
    elif living.held:
        status = "on hold: no increase until the climb is resumed"
    elif living.open_ended:
        status = "goes on at the final dose until stopped"
    elif living.end_date is not None:
        status = f"planned to {living.end_date.isoformat()}"
    else:
        status = "no dose planned"
    facts.append(("Now", status))
    return facts


def _dose_of_day(days: dict[date, HistoryDay], day: date) -> str:
    found = days.get(day)
    if found is None or found.planned_dose_mg is None:
        return "none planned"
    return format_dose_mg(found.planned_dose_mg)


# --------------------------------------------------------------------------- the trial

WINDOW_WORDS = {
    "before-start": "the 14 days before the plan's start",
    "first-week": "the plan's first 7 days (fewer than 3 days scored before the start)",
    "review": f"the {EVALUATION_DAYS} days ending on the review date",
    "report-end": f"the {EVALUATION_DAYS} days ending on the report's last day (before the review)",
}
IMMPACT_WORDS = {
    "substantial": "a substantial decrease by the IMMPACT benchmarks (50% or more)",
    "moderate": "a moderate decrease by the IMMPACT benchmarks (30% or more)",
    "minimal": "a minimal decrease by the IMMPACT benchmarks (10% or more)",
    "none": "not an important decrease by the IMMPACT benchmarks (less than 10%)",
}
PGIC_BENCHMARK = {
    1: "substantial",
    2: "moderate",
    3: "minimal",
}
BENCHMARKS = (
    "The IMMPACT benchmarks for a 0 to 10 pain score: a decrease of 10% or more is "
    "minimally important, 30% or more moderately, 50% or more substantially "
    f"({IMMPACT_SOURCE}). They are for interpreting change, not a verdict on a treatment: "
    "you and your prescriber decide."
)


def _change_text(points: Fraction | None, percent: Fraction | None) -> str:
    """Write a change in words: '4.5 points less (60% less)'."""
    if points is None:
        return NO_VALUE
    if points == 0:
        return "no change"
    way = "less" if points < 0 else "more"
    text = f"{_hundredth(abs(points))} {'point' if abs(points) == 1 else 'points'} {way}"
    if percent is not None:
        text += f" ({_percent_of(percent)} {way})"
    return text


def _percent_of(percent: Fraction) -> str:
    """Write the size of a change in percent, to a tenth (the benchmarks' edges stay visible)."""
    return number_text(round_half_up(abs(percent), Fraction(1, 10))) + "%"


def _pain_sentence(trial: Trial) -> str:
    base, late = trial.baseline, trial.evaluation
    if base.pain is None or late.pain is None:
        return (
            f"No IMMPACT reading: each window needs pain scored on at least {MIN_DAYS} days "
            f"(baseline {days_text(base.days_scored)}, evaluation {days_text(late.days_scored)})."
        )
    before, after = _hundredth(base.pain), _hundredth(late.pain)
    percent = trial.change.pain_percent
    if late.pain == base.pain or percent is None:
        head = f"Pain went from {before} to {after}"
    elif late.pain < base.pain:
        head = f"Pain fell from {before} to {after}, {_percent_of(percent)} less"
    else:
        head = f"Pain rose from {before} to {after}, {_percent_of(percent)} more"
    assert trial.immpact is not None
    return f"{head}: {IMMPACT_WORDS[trial.immpact]}."


def _peg_sentence(trial: Trial) -> str:
    base, late = trial.baseline, trial.evaluation
    what = f"The PEG score (the mean of pain, enjoyment of life and general activity; {PEG_SOURCE})"
    if base.peg is None or late.peg is None:
        return (
            f"{what} needs all three scored on at least {MIN_DAYS} days of each window "
            f"(baseline {days_text(base.peg_days)}, evaluation {days_text(late.peg_days)})."
        )
    change = _change_text(trial.change.peg_points, trial.change.peg_percent)
    return f"{what} went from {_hundredth(base.peg)} to {_hundredth(late.peg)}: {change}."


def _pgic_sentence(trial: Trial) -> str:
    scale = "Patient Global Impression of Change, 1 very much improved to 7 very much worse"
    pgic = trial.pgic
    if pgic is None:
        return f"No PGIC ({scale}) recorded by {trial.evaluation.last.isoformat()}."
    text = f"PGIC on {pgic.date.isoformat()}: {pgic.value}, {pgic.words} ({scale})"
    level = PGIC_BENCHMARK.get(pgic.value)
    if level is not None:
        text += f"; by the IMMPACT benchmarks \u201c{pgic.words}\u201d is a {level} change"
    return text + "."


def _window_cells(w: Window) -> tuple[str, str, str, str]:
    return (
        f"{w.first.isoformat()} to {w.last.isoformat()}",
        WINDOW_WORDS[w.kind],
        days_text(w.days_scored),
        days_text(w.peg_days),
    )


# --------------------------------------------------------------------------- blocks


def _trial_section(report: Report) -> Section:
    trial = report.trial
    base, late = trial.baseline, trial.evaluation
    rows = [
        (Cell(k), _d(a), _d(b))
        for k, a, b in zip(
            ("Days", "Which days", "Days with pain scored", "Days with the PEG scored"),
            _window_cells(base),
            _window_cells(late),
            strict=True,
        )
    ]
    rows += [
        (Cell("Pain, mean"), Cell(_hundredth(base.pain)), Cell(_hundredth(late.pain))),
        (Cell("PEG, mean"), Cell(_hundredth(base.peg)), Cell(_hundredth(late.peg))),
    ]
    dose_rows = tuple(
        (
            Cell(format_dose_mg(f.dose_mg), "dose"),
            Cell(str(f.days_taken)),
            Cell(str(f.days_scored)),
            Cell(_hundredth(f.pain_mean)),
            Cell(_hundredth(f.peg_mean)),
            Cell(", ".join(f"{text} ({days_text(n)})" for text, n in f.side_effects) or "none"),
        )
        for f in trial.doses
    )
    return Section(
        TRIAL_HEADING,
        (
            Table(
                ("", "Baseline", "Evaluation"),
                (26, 37, 37),
                tuple(rows),
                ("", "", ""),
            ),
            Para(Cell(_pain_sentence(trial))),
            Para(Cell(_peg_sentence(trial))),
            Para(_d(_pgic_sentence(trial))),
            Para(
                Cell(
                    f"Scores run from 0 (none) to 10 (worst); a mean of fewer than {MIN_DAYS} "
                    f"scored days is shown as {NO_VALUE}. {BENCHMARKS}"
                ),
                small=True,
            ),
            Sub("By dose taken"),
            Table(
                ("Dose", "Days taken", "Days scored", "Pain, mean", "PEG, mean", "Side effects"),
                (12, 11, 11, 12, 12, 42),
                dose_rows,
                ("", "num", "num", "num", "num", ""),
            ),
        ),
        whole=True,
    )


def sections(report: Report, generated_on: date) -> tuple[Section, ...]:
    """Return the report's sections, in order: what both the HTML and the Markdown draw."""
    by_day = {d.date: d for d in report.days}
    missed = [d.date.isoformat() for d in report.days if d.missed]
    unrecorded = [d.isoformat() for d in report.unrecorded(generated_on)]
    steps = []
    previous: str | None = None
    for s in report.living.segments:
        if s.dose_mg is None:
            previous = None
            continue
        reason = s.reason if s.reason != previous else None
        previous = s.reason
        steps.append(
            (
                _d(f"{s.first_date.isoformat()} to {s.last_date.isoformat()}"),
                Cell(str((s.last_date - s.first_date).days + 1)),
                Cell(format_dose_mg(s.dose_mg) + (" (target)" if s.at_target else ""), "dose"),
                Cell(reason or ""),
            )
        )
    score_heads = tuple(f"{name} (mean)" for name in report.scores)
    each = 22 // len(score_heads) if score_heads else 0
    taken_width = 100 - 8 - 30 - 18 - each * len(score_heads)
    weeks = tuple(
        (
            Cell(str(w.number)),
            _d(f"{w.first.isoformat()} to {w.last.isoformat()}"),
            Cell(_doses_text(w.planned), "dose"),
            Cell(
                f"{w.days_taken} of {days_text(w.days_planned)}"
                + (f": {_doses_text(w.taken)}" if w.taken else ""),
                "dose",
            ),
            *(Cell(_tenth(value)) for _, value in w.means),
        )
        for w in report.weeks
    )
    return (
        _trial_section(report),
        Section(SECTIONS[1], (Facts(tuple(_glance(report))),), whole=True),
        Section(CHART_HEADING, (Chart(),)),
        Section(
            SECTIONS[3],
            (
                Facts(tuple(_plan_facts(report))),
                Sub("Steps as planned now"),
                Table(("Dates", "Days", "Dose", "Change"), (30, 8, 18, 44), tuple(steps)),
            ),
            whole=True,
        ),
        Section(
            SECTIONS[4],
            (
                Table(
                    ("Date", "Change", "What and why"),
                    (18, 22, 60),
                    tuple(
                        (
                            _d(c.date.isoformat()),
                            Cell(ACTIONS.get(c.action, c.action)),
                            Cell(c.description),
                        )
                        for c in report.changes
                    ),
                ),
            ),
        ),
        Section(
            SECTIONS[5],
            (
                Lines(
                    (
                        (
                            "Days taken of days planned",
                            Cell(_adherence_text(report.adherence)),
                            True,
                        ),
                        ("Recorded as missed", _d(", ".join(missed) or "none"), False),
                        (
                            "Planned, with nothing recorded",
                            _d(", ".join(unrecorded) or "none"),
                            False,
                        ),
                    )
                ),
            ),
            whole=True,
        ),
        Section(
            SECTIONS[6],
            (
                Table(
                    ("Dose", "Days planned", "Days taken"),
                    (34, 33, 33),
                    tuple(
                        (
                            Cell(format_dose_mg(r.dose_mg)),
                            Cell(str(r.days_planned)),
                            Cell(str(r.days_taken)),
                        )
                        for r in report.dose_days
                    ),
                ),
            ),
            whole=True,
        ),
        Section(
            SECTIONS[7],
            (
                Table(
                    ("Date", "Dose planned", "Side effects"),
                    (18, 18, 64),
                    tuple(
                        (
                            _d(day.isoformat()),
                            Cell(_dose_of_day(by_day, day)),
                            Cell(", ".join(effects)),
                        )
                        for day, effects in report.side_effects
                    ),
                ),
            ),
        ),
        Section(
            SECTIONS[8],
            (
                Table(
                    ("Date", "Note"),
                    (18, 82),
                    tuple((_d(day.isoformat()), Cell(text)) for day, text in report.notes),
                    ("", "note"),
                ),
            ),
        ),
        Section(
            WEEKS_HEADING,
            (
                Para(
                    _d(
                        f"Weeks counted from {report.start.isoformat()}; scores are the mean of "
                        f"the days scored that week, to one decimal ({SCORE_SCALE})."
                    ),
                    small=True,
                ),
                Table(
                    ("Week", "Dates", "Planned", "Taken", *score_heads),
                    (8, 30, 18, taken_width, *([each] * len(score_heads))),
                    weeks,
                    ("", "", "", "", *(["num"] * len(score_heads))),
                    kind="weeks",
                ),
            ),
        ),
        Section(SECTIONS[10], (Para(Cell(_review_text(report))),), whole=True),
    )


# --------------------------------------------------------------------------- HTML


def _block_html(block: Block, report: Report) -> str:
    if not isinstance(block, Chart):
        return block_html(block)
    return (
        f'<figure class="chart">{chart_svg(report)}<figcaption>Above: the planned dose (line), '
        "each dose recorded as taken (dot) and each recorded as missed (cross); the trial's "
        "baseline and evaluation are shaded. Below: the "
        f"scores ({SCORE_SCALE}). The table &ldquo;{WEEKS_HEADING}&rdquo; gives the same in "
        "numbers.</figcaption></figure>"
    )


def _block_markdown(block: Block) -> list[str]:
    if not isinstance(block, Chart):
        return block_markdown(block)
    return [f"The chart is in the HTML report; the section “{WEEKS_HEADING}” gives it in numbers."]


def _section_html(section: Section, report: Report) -> str:
    heading = f"<h2>{escape_html(section.heading)}</h2>"
    blocks = [_block_html(b, report) for b in section.blocks]
    if section.whole and blocks:
        return f'<section class="block">{heading}{blocks[0]}</section>' + "".join(blocks[1:])
    return heading + "".join(blocks)


def report_html(report: Report, *, profile: str, generated_on: date) -> str:
    """Return the report for the prescriber as one self-contained HTML document.

    Args:
        report: what :func:`ldncalc.diary.living.build_report` assembled.
        profile: the diary's profile (whose report it is).
        generated_on: the day the report is made (unrecorded days are counted up to it).
    """
    period = (
        f'<span class="nw">{report.start.isoformat()}</span> to '
        f'<span class="nw">{report.end.isoformat()}</span> ({days_text(len(report.days))})'
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{TITLE}: {escape_html(profile)}, {report.start.isoformat()} to "
        f"{report.end.isoformat()}</title>",
        f'<meta name="generator" content="ldncalc {__version__}">',
        f"<style>{CSS}</style></head><body>",
        f"<h1>{TITLE}</h1>",
        f'<p class="notice">{escape_html(DISCLAIMER)}</p>',
        f'<p class="meta"><b>Profile:</b> {escape_html(profile)}<br><b>Period:</b> {period}<br>'
        f'<b>Made on:</b> <span class="nw">{generated_on.isoformat()}</span></p>',
        *(_section_html(s, report) for s in sections(report, generated_on)),
        f'<p class="notice">{escape_html(DISCLAIMER)}</p>',
        "<p class='small'>Made with ldncalc.</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------- Markdown


def report_markdown(report: Report, *, profile: str, generated_on: date) -> str:
    """Return the report for the prescriber as Markdown (a table of weeks for the chart).

    Args:
        report: what :func:`ldncalc.diary.living.build_report` assembled.
        profile: the diary's profile (whose report it is).
        generated_on: the day the report is made (unrecorded days are counted up to it).
    """
    lines = [
        f"# {TITLE}",
        "",
        f"> **{DISCLAIMER}**",
        "",
        f"- Profile: {escape_markdown(profile)}",
        f"- Period: {report.start.isoformat()} to {report.end.isoformat()} "
        f"({days_text(len(report.days))})",
        f"- Made on: {generated_on.isoformat()}",
    ]
    for section in sections(report, generated_on):
        lines += ["", f"## {section.heading}"]
        for block in section.blocks:
            lines += ["", *_block_markdown(block)]
    lines += ["", f"> **{DISCLAIMER}**", ""]
    return "\n".join(lines)
