"""The measuring range per dose with a 0.1 g scale, a 1 g scale and by volume (issue 26).

Prints the Markdown table that docs/guide.md shows under "Weighing the water":
for each dose, the measuring range (``range_percent`` with ``--assay 100%``:
the tablet's own tolerance aside) of the default preparation (1 x 50 mg in
50 mL), as ``ldncalc dose DOSE --assay 100% [--scale 0.1g | --scale 1g]``
gives it, with how it is measured. tests/test_kit_ranges.py checks that the
guide's table is this script's output, so it stays true.

    python benchmarks/measuring_ranges.py
"""

from __future__ import annotations

from fractions import Fraction

from ldncalc.dose.accuracy import Assay
from ldncalc.dose.kit import Kit, Scale
from ldncalc.dose.preparation import DosePlan, make_preparation, plan_dose
from ldncalc.dose.syringes import CATALOGUE
from ldncalc.notation import decimal_text, format_dose_mg, format_volume_ml, round_half_up

DOSES_MG = (
    Fraction(1, 100),
    Fraction(1, 10),
    Fraction(1, 2),
    Fraction(1),
    Fraction(3, 2),
    Fraction(3),
    Fraction(9, 2),
)
"""10 mcg, 0.1 mg, 0.5 mg, 1 mg, 1.5 mg, 3 mg, 4.5 mg."""
EXACT = Assay(Fraction(1), Fraction(1))
MEASURES: tuple[tuple[str, Kit | None], ...] = (
    ("0.1 g scale", Kit((), Scale(Fraction(1, 10)))),
    ("1 g scale", Kit((), Scale(Fraction(1)))),
    ("By volume (no scale)", None),
)
HEADER = "| Dose | " + " | ".join(name for name, _ in MEASURES) + " |"


def _percent(value: Fraction) -> str:
    """Write a range in percent to two decimal places, as the guide does: 1.66%, 3%."""
    return decimal_text(round_half_up(value, Fraction(1, 100)), 4)[0] + "%"


def how_measured(plan: DosePlan) -> str:
    """Say how the dose is measured: diluted, or its syringe (marks when not the usual, fills)."""
    if plan.dilution:
        return "diluted"
    m = plan.measurement
    syringe = f"{format_volume_ml(m.syringe.capacity_ml)} syringe"
    usual = {s.capacity_ml: s.graduation_ml for s in CATALOGUE}
    if usual.get(m.syringe.capacity_ml) != m.syringe.graduation_ml:
        syringe += f", {format_volume_ml(m.syringe.graduation_ml)} marks"
    if m.fills > 1:
        syringe += f", {m.fills} fills"
    if plan.delivered_mg != plan.dose_mg:
        syringe += f", delivers {format_dose_mg(plan.delivered_mg)}"
    return syringe


def cell(dose_mg: Fraction, kit: Kit | None) -> str:
    """Return one cell: the measuring range and how the dose is measured."""
    plan = plan_dose(dose_mg, make_preparation(), assay=EXACT, kit=kit)
    return f"{_percent(plan.range.range_percent)} ({how_measured(plan)})"


def table() -> str:
    """Return the Markdown table, a row a dose."""
    lines = [HEADER, "|" + "---|" * (len(MEASURES) + 1)]
    for dose in DOSES_MG:
        cells = [cell(dose, kit) for _, kit in MEASURES]
        lines.append(f"| {format_dose_mg(dose)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
