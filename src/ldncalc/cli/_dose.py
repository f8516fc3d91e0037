"""The work of ``ldncalc dose``, without the CLI framework.

Both the Typer command (``ldncalc.cli.prepare.dose``) and the fast path
(``ldncalc.cli.fast``) call :func:`dose_command`, so the two cannot differ.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ldncalc.cli._exits import out_json
from ldncalc.cli._readers import kit, measuring, preparation

if TYPE_CHECKING:
    from ldncalc.dose.preparation import DosePlan

__all__ = ["dose_command"]


def dose_command(
    dose_text: str,
    tablets: str | None = None,
    strength: str | None = None,
    water: str | None = None,
    concentration: str | None = None,
    syringe_text: list[str] | None = None,
    assay: str | None = None,
    water_error: str | None = None,
    *,
    scale: str | None = None,
    scale_accuracy: str | None = None,
    dilute: bool = False,
    explain: bool = False,
    json: bool = False,
) -> None:
    """Print the volume, syringe and mark for one dose (as text, or one JSON object)."""
    from ldncalc.dose.preparation import plan_dose

    prep = preparation(tablets, strength, water, concentration, warn_on_mark=False)
    plan = plan_dose(
        dose_text,
        prep,
        dilute=dilute,
        kit=kit(syringe_text, scale, scale_accuracy),
        **measuring(assay, water_error),
    )
    plan = _with_options(plan)
    if prep.advisories:  # the water put on a mark: said first, with the dose's warnings
        from dataclasses import replace

        plan = replace(plan, advisories=prep.advisories + plan.advisories)
    if json:
        from ldncalc.render.jsonout import dose_object

        out_json(dose_object(plan))
        return
    # Plain output: this command never pays for importing rich.
    from ldncalc.render.plain import PlainConsole, print_dose

    print_dose(PlainConsole(), plan, explain=explain)


def _with_options(plan: DosePlan) -> DosePlan:
    """Add to a warning that names better ways to measure the dose the options for them."""
    if plan.dilution or all(a.code != "mark-changes-dose" for a in plan.advisories):
        return plan
    from dataclasses import replace

    from ldncalc.notation import decimal_text

    def amount(value: Fraction) -> str:
        return decimal_text(value)[0]

    options = []
    for way in plan.alternatives:
        if way.syringe is not None:
            s = way.syringe
            options.append(f"--syringe '{amount(s.capacity_ml)} mL:{amount(s.graduation_ml)} mL'")
        elif way.preparation is not None:
            p = way.preparation
            options.append(f"--tablets {p.tablets} --water '{amount(p.water_ml)} mL'")
        else:
            options.append("--dilute")
    if not options:
        return plan
    hint = f"; to use {'it' if len(options) == 1 else 'one'}, add " + ", or ".join(options)
    advisories = tuple(
        replace(a, message=a.message + hint) if a.code == "mark-changes-dose" else a
        for a in plan.advisories
    )
    return replace(plan, advisories=advisories)
