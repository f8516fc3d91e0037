"""The bottle label: what a batch is, when it was mixed and the last day to use it.

Printed by ``ldncalc mixed`` as lines, or written as a small self-contained HTML
page (no scripts, nothing fetched) whose label is a 90 mm x 50 mm box with a cut
line, to stick on the bottle. The keep period counts the mixing day as day 1, as
the handout and the batches do: a batch mixed on the 4th and kept 14 days is
discarded after the 17th. A dilution is kept no longer than the liquid it was
made from: the caller gives that date (:func:`ldncalc.diary.liquids.discard_date`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from ldncalc._version import __version__
from ldncalc.diary.entries import Diluted, Mixed
from ldncalc.diary.living import preparation_of
from ldncalc.disclaimer import DISCLAIMER
from ldncalc.notation import format_concentration_mg_per_ml, format_volume_ml
from ldncalc.render.blocks import escape_html as _e

if TYPE_CHECKING:
    from ldncalc.dose.accuracy import WaterMeasure

__all__ = ["SHORT_DISCLAIMER", "discard_after", "label_html", "label_lines"]

NAME = "Low-dose naltrexone (LDN) oral liquid"
SHAKE = "Shake well before every dose"
FRIDGE = "Keep in the fridge"
SHORT_DISCLAIMER = "Informational only, not medical advice."

CSS = """
@page { margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #000; margin: 0; }
.label { width: 90mm; height: 50mm; border: 0.3mm dashed #000; padding: 2.5mm 3mm;
  overflow-wrap: anywhere; break-inside: avoid; font-size: 7.5pt; line-height: 1.25;
  display: flex; flex-direction: column; justify-content: space-between; }
.name { font-weight: bold; font-size: 8.5pt; }
.conc { font-weight: bold; font-size: 13pt; line-height: 1.1; }
.dates { display: grid; grid-template-columns: 22mm 1fr; column-gap: 2mm; }
.dates b { font-size: 9pt; }
.warn { font-weight: bold; font-size: 8.5pt; }
.small { font-size: 6.5pt; }
.full { font-size: 9pt; max-width: 120mm; margin-top: 4mm; }
"""


def _recipe(made: Mixed | Diluted, number: int | None = None) -> tuple[str, str]:
    """Return what the bottle holds (its recipe) and its concentration, as printed.

    A dilution is named as the schedule names it ('Dilution 3': ``number``), else
    by its stage.
    """
    if isinstance(made, Diluted):
        return (
            f"Dilution {number or made.stage}: {format_volume_ml(made.source_ml)} of the "
            f"{format_concentration_mg_per_ml(made.source_mg_per_ml)} liquid + "
            f"{format_volume_ml(made.water_ml)} of water",
            format_concentration_mg_per_ml(made.concentration_mg_per_ml),
        )
    prep = preparation_of(made)
    return prep.label, format_concentration_mg_per_ml(prep.concentration_mg_per_ml)


def _weighed(made: Mixed | Diluted, water: WaterMeasure | None) -> str | None:
    """Say what the water was weighed to, when it is weighed: 'Water weighed: 49.9 g on ...'."""
    grams = None if water is None else water.weigh_g(made.water_ml)
    if water is None or water.scale is None or grams is None:
        return None
    return f"Water weighed: {water.scale.reading_text(grams)} on {water.scale.label}"


def discard_after(mixed: Mixed | Diluted, mixed_on: date) -> date:
    """Return the last day the batch may be used (the mixing day is day 1)."""
    return mixed_on + timedelta(days=mixed.keep_days - 1)


def _discard(mixed: Mixed | Diluted, mixed_on: date, discard: date | None) -> tuple[str, str]:
    """Return the last day, as printed, and why it is that day."""
    own = discard_after(mixed, mixed_on)
    kept = f"kept {mixed.keep_days} days, the mixing day is day 1"
    if discard is None or discard >= own:
        return own.isoformat(), kept
    return discard.isoformat(), f"with the liquid it was made from; {kept}"


def label_lines(
    mixed: Mixed | Diluted,
    mixed_on: date,
    *,
    profile: str,
    discard: date | None = None,
    number: int | None = None,
    water: WaterMeasure | None = None,
) -> list[str]:
    """Return the bottle label as lines of text, in the order they are printed.

    Args:
        mixed: the batch made (tablets, strength, water, keep period), or a dilution.
        mixed_on: the day it was made: day 1 of its keep period.
        profile: whose bottle it is (the diary's profile).
        discard: its last day when earlier than its own keep period allows (a
            dilution of a liquid that ends sooner).
        number: a dilution's number in the plan ('Dilution 3'; default: its stage).
        water: how its water is measured (the kit's scale): a weighed water's
            reading is printed ('Water weighed: 49.9 g on the 0.1 g scale').

    Raises:
        InvalidInputError: a preparation ldncalc does not make (the preparation's message).
        RefusedError: a preparation too strong to make (the preparation's message).
    """
    recipe, conc = _recipe(mixed, number)
    last, why = _discard(mixed, mixed_on, discard)
    weighed = _weighed(mixed, water)
    return [
        NAME,
        recipe,
        *([] if weighed is None else [weighed]),
        f"Concentration: {conc}",
        f"Mixed on: {mixed_on.isoformat()}",
        f"Discard after: {last} ({why})",
        SHAKE,
        FRIDGE,
        f"Profile: {profile}",
        SHORT_DISCLAIMER,
    ]


def label_html(
    mixed: Mixed | Diluted,
    mixed_on: date,
    *,
    profile: str,
    discard: date | None = None,
    number: int | None = None,
    water: WaterMeasure | None = None,
) -> str:
    """Return the bottle label as a printable HTML page (a 90 mm x 50 mm box to cut out).

    The label carries the short notice; the full one is printed under it. ``discard``,
    ``number`` and ``water`` are as for :func:`label_lines`.

    Raises:
        InvalidInputError: a preparation ldncalc does not make (the preparation's message).
        RefusedError: a preparation too strong to make (the preparation's message).
    """
    recipe, conc = _recipe(mixed, number)
    last, why = _discard(mixed, mixed_on, discard)
    weighed = _weighed(mixed, water)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Bottle label: {_e(recipe)}, mixed on {mixed_on.isoformat()}</title>",
        f'<meta name="generator" content="ldncalc {__version__}">',
        f"<style>{CSS}</style></head><body>",
        '<div class="label">',
        f'<div class="name">{_e(NAME)}</div>',
        f'<div><span class="conc">{_e(conc)}</span><br>{_e(recipe)}'
        + ("" if weighed is None else f"<br>{_e(weighed)}")
        + "</div>",
        '<div class="dates">',
        f"<span>Mixed on:</span><b>{mixed_on.isoformat()}</b>",
        f"<span>Discard after:</span><b>{last}</b>",
        "</div>",
        f'<div class="small">{_e(why[0].upper() + why[1:])}.</div>',
        f'<div class="warn">{_e(SHAKE)}. {_e(FRIDGE)}.</div>',
        f'<div class="small">Profile: {_e(profile)}. {_e(SHORT_DISCLAIMER)}</div>',
        "</div>",
        f'<p class="full">{_e(DISCLAIMER)}</p>',
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
