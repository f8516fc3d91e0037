"""The printable handout: one self-contained HTML page for a schedule.

No network and no scripts: the CSS and every SVG syringe are inline. The page
prints on A4 and US Letter alike (the content is narrower than both, and the
page margins are left to the printer's size). Every number is written by
ldncalc's safe-notation formatter.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, time

from ldncalc._version import __version__
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.dose.syringes import Measurement, measure
from ldncalc.notation import format_concentration_mg_per_ml, format_dose_mg, format_volume_ml
from ldncalc.plan.supply import SupplyPlan
from ldncalc.plan.titration import Schedule
from ldncalc.render.blocks import escape_html as _e
from ldncalc.render.pictures import fill_groups, syringe_svg
from ldncalc.render.rows import (
    BATCH_HEADERS,
    batch_events,
    batch_rows,
    dilution_lines,
    draw_to_text,
    liquid_text,
    step_rows,
    stock_weigh_text,
)

__all__ = ["schedule_html"]

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

CSS = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 11pt;
  color: #000; margin: 0 auto; max-width: 180mm; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 6mm 0 2mm; break-after: avoid; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.6pt solid #555; padding: 1.5mm; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; text-align: left; }
.big { font-size: 14pt; font-weight: bold; white-space: nowrap; }
.notice { border: 1.5pt solid #000; padding: 3mm; margin: 4mm 0; font-weight: bold; }
.how li { margin-bottom: 1mm; }
svg { width: 100%; height: auto; max-width: 80mm; display: block; }
.step { break-inside: avoid; }
.month { break-inside: avoid; margin-bottom: 4mm; }
.month td { height: 17mm; font-size: 9pt; }
.month td.out { background: #f4f4f4; }
.day { font-weight: bold; }
.vol { font-size: 11pt; font-weight: bold; white-space: nowrap; }
/* A draw of several fills ("1 x 1 mL + 0.1 mL") takes a line a fill, and breaks
   only between an amount's words ("1 x" and "1 mL"), never inside one: it stays
   in its own cell, where no fill can be read as another day's dose. */
.fills { white-space: normal; overflow-wrap: normal; line-height: 1.25; }
.month .vol.fills { font-size: 10pt; }
.fill { display: block; margin-top: 1mm; }
.box { display: inline-block; width: 4mm; height: 4mm; border: 1pt solid #000;
  vertical-align: middle; margin-left: 1mm; }
.event { display: block; font-size: 8pt; font-weight: bold; }
.small { font-size: 9pt; color: #333; }
.nw { white-space: nowrap; }
/* The batches' columns take the width of their content (a date never breaks),
   and a header breaks between its words only. */
table.batches { table-layout: auto; font-size: 10pt; }
table.batches th { overflow-wrap: normal; }
thead { display: table-header-group; }
"""


def _d(day: date) -> str:
    """Write a date that never breaks across lines."""
    return _ds(day.isoformat())


def _ds(text: str) -> str:
    """Write a date or an amount, already as text, that never breaks across lines."""
    return f'<span class="nw">{_e(text)}</span>'


_AMOUNT = re.compile(r"(\d[\d.,]*) (x|mL|mg|mcg)\b")


def _draw_html(text: str, m: Measurement) -> str:
    """Write a draw: one fill as it is, several a run of fills a line (class ``fills``).

    An amount never breaks inside ("0.1" and "mL" stay together), and each run
    after the first starts its own line with its "+".
    """
    if m.fills == 1:
        return _e(text)
    return "<br>+&nbsp;".join(_AMOUNT.sub("\\1&nbsp;\\2", _e(run)) for run in text.split(" + "))


def _fills(m: Measurement) -> str:
    """Return the class that lays out a draw of several fills, if it is one."""
    return " fills" if m.fills > 1 else ""


def _syringe_pictures(m: Measurement) -> str:
    """Draw the syringe to each fill of a draw, each run of fills with its caption."""
    if m.fills == 1:
        return syringe_svg(m)
    parts = []
    for first, last, volume in fill_groups(m):
        mark = _e(format_volume_ml(volume))
        if first == last:
            caption = f"Fill {first} of {m.fills}: draw to {mark}"
        else:
            which = f"{first} and {last}" if last == first + 1 else f"{first} to {last}"
            caption = f"Fills {which} of {m.fills}: each to {mark}"
        parts.append(f"<span class='fill small'>{caption}</span>{syringe_svg(m, fill_ml=volume)}")
    return "".join(parts)


def _weighed(schedule: Schedule) -> str:
    """Return ' (weigh it: 49.9 g on the scale; ...)' when the stock's water is weighed."""
    weigh = stock_weigh_text(schedule)
    return "" if weigh is None else f" ({_e(weigh)}; 1 mL of water weighs 0.9975 g)"


def schedule_html(schedule: Schedule, supply: SupplyPlan, *, dose_time: time | None = None) -> str:
    """Return the handout for ``schedule`` and its batches as one HTML document.

    ``dose_time``: the hour of the daily dose, said where the handout says when to take it.
    """
    when = (
        "at the same time each day"
        if dose_time is None
        else f"each day at {dose_time.strftime('%H:%M')}"
    )
    prep = schedule.preparation
    p = schedule.protocol
    first_batch = supply.batches[0]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>LDN schedule: {_e(p.title)}</title>",
        f'<meta name="generator" content="ldncalc {__version__}">',
        f"<style>{CSS}</style></head><body>",
        f"<h1>LDN schedule: {_e(p.title)}</h1>",
        f'<p class="notice">{_e(DISCLAIMER)}</p>',
        f"<p>Protocol: {_e(p.description)} <span class='small'>Source: {_e(p.source)}</span></p>",
        "<h2>How to mix</h2>",
        '<ol class="how">',
        f"<li>Put {prep.tablets} x {_e(format_dose_mg(prep.strength_mg))} naltrexone tablet"
        f"{'s' if prep.tablets > 1 else ''} in a clean bottle and add "
        f"<span class='big'>{_e(format_volume_ml(first_batch.water_ml))}</span> of distilled "
        f"water{_weighed(schedule)}. This makes "
        f"{_e(format_concentration_mg_per_ml(prep.concentration_mg_per_ml))}.</li>",
        "<li>Let the tablet break up, then shake well. The tablet's fillers do not dissolve: "
        "the liquid stays cloudy. <b>Shake before every dose.</b></li>",
        "<li>Keep it in the fridge. Mark the bottle with the mixing date and the "
        f"last day of use: {supply.keep_days} days counting the mixing day as day 1 "
        f"(first batch: mixed {_d(first_batch.mix_date)}, discard after "
        f"{_d(first_batch.discard_date)}).</li>",
        "<li>Draw each dose with an oral syringe to the red mark shown below, "
        f"{when}."
        + (
            " A dose of several fills is drawn and taken one fill after the other, "
            "each to the mark of its own picture."
            if any(s.plan.measurement.fills > 1 for s in schedule.steps)
            else ""
        )
        + "</li>",
        "</ol>",
        *_dilutions(schedule),
        "<h2>Steps</h2>",
        '<table><colgroup><col style="width:8%"><col style="width:21%"><col style="width:15%">'
        '<col style="width:19%"><col style="width:37%"></colgroup>',
        # The headers repeat on every page the steps run onto.
        "<thead><tr><th>Step</th><th>Dates</th><th>Dose</th><th>Draw to</th><th>Syringe</th>"
        "</tr></thead>",
    ]
    for s, row in zip(schedule.steps, step_rows(schedule), strict=True):
        m = s.plan.measurement
        change = f"<br><span class='small'>{_e(row.note)}</span>" if row.note else ""
        parts.append(
            f'<tr class="step"><td>{row.number}'
            f"{'<br><span class=small>target</span>' if row.at_target else ''}</td>"
            f"<td>{_d(s.first_date)} to {_d(s.last_date)}<br>"
            f"<span class='small'>days {s.first_day} to {s.last_day}</span>{change}</td>"
            f"<td class='big'>{_e(row.dose.dose)}</td>"
            f"<td><span class='big{_fills(m)}'>{_draw_html(row.dose.draw_to, m)}</span><br>"
            f"<span class='small'>of {_e(row.dose.liquid)}</span></td>"
            f"<td>{_syringe_pictures(m)}<span class='small'>{_e(row.dose.syringe)}; "
            f"delivers {_e(row.dose.delivers)}, could be "
            f"<span class='nw'>{_e(row.dose.range)}</span></span></td></tr>"
        )
    parts.append("</table>")
    if schedule.advisories:
        parts.append("<h2>Warnings</h2><ul>")
        parts += [f"<li>Step {n}: {_e(a.message)}</li>" for n, a in schedule.advisories]
        parts.append("</ul>")
    parts += _calendars(schedule, supply)
    parts += [
        "<h2>Batches</h2>",
        "<p class='small'>Use each bottle only on its days; a bottle is never used to its "
        "last drop (the amount kept back), and what is left over is thrown away.</p>",
        "<table class='batches'><thead><tr>"
        + "".join(f"<th>{_e(h)}</th>" for h in BATCH_HEADERS)
        + "</tr></thead>",
    ]
    for r in batch_rows(supply):
        parts.append(
            f"<tr><td>{r.number}</td><td>{_e(r.liquid)}</td><td>{_ds(r.mix_on)}</td>"
            f"<td>{_ds(r.first_use)} to {_ds(r.last_use)}</td><td>{_ds(r.discard_after)}</td>"
            f"<td>{_e(r.tablets)}</td><td>{_ds(r.used)}</td><td>{_ds(r.reserve)}</td>"
            f"<td>{_ds(r.left_over)}</td></tr>"
        )
    parts += [
        "</table>",
        f"<p><b>Tablets needed: {supply.tablets}</b> for {schedule.days} days "
        f"({_d(schedule.start_date)} to {_d(schedule.end_date)})"
        + (f"; cost {supply.cost}" if supply.cost is not None else "")
        + ".</p>",
        f'<p class="notice">{_e(DISCLAIMER)}</p>',
        "<p class='small'>Made with ldncalc.</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _dilutions(schedule: Schedule) -> list[str]:
    """Return how to make each diluted liquid, with the syringe for each aliquot drawn."""
    parts: list[str] = []
    seen: list[object] = []
    for step in schedule.steps:
        plan = step.plan
        if not plan.dilution or plan.dilution in seen:
            continue
        seen.append(plan.dilution)
        parts.append(
            f"<h2>Dilution for the {_e(format_dose_mg(plan.dose_mg))} doses</h2><ol class='how'>"
        )
        for stage, line in zip(plan.dilution, dilution_lines(plan), strict=True):
            aliquot = measure(stage.aliquot_ml, (stage.aliquot_syringe,))
            parts.append(f"<li>{_e(line.split(': ', 1)[1])}.{_syringe_pictures(aliquot)}</li>")
        parts.append(
            "<li>Mix a new dilution from a stock bottle that is within its days, and "
            "throw it away no later than that stock.</li></ol>"
        )
    return parts


def _calendars(schedule: Schedule, supply: SupplyPlan) -> list[str]:
    """Return a month grid for every month of the plan, with a box to tick each day."""
    by_day = {when: step for _, when, step in schedule.daily()}
    events = batch_events(supply)
    parts = ["<h2>Calendar: tick each dose</h2>"]
    year, month = schedule.start_date.year, schedule.start_date.month
    end = schedule.end_date
    weeks_of = calendar.Calendar(firstweekday=0)
    while (year, month) <= (end.year, end.month):
        parts.append(
            f'<div class="month"><table><caption><b>{MONTHS[month - 1]} {year}</b>'
            "</caption><tr>" + "".join(f"<th>{d}</th>" for d in WEEKDAYS) + "</tr>"
        )
        for week in weeks_of.monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append('<td class="out"></td>')
                    continue
                step = by_day.get(day)
                body = f'<span class="day">{day.day}</span>'
                if step is not None:
                    m = step.plan.measurement
                    draw = _draw_html(draw_to_text(step.plan), m)
                    body += (
                        f'<br><span class="vol{_fills(m)}">{draw}</span><span class="box"></span>'
                        f'<br><span class="small">of {_e(liquid_text(step.plan))}</span>'
                    )
                body += "".join(f'<span class="event">{_e(t)}</span>' for t in events.get(day, []))
                cells.append(f"<td>{body}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table></div>")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return parts
