"""The Typer application every command module registers on.

Kept apart from ``__init__`` so that command modules can import it without a
cycle. Nothing heavy here: ``--help`` loads this and the command modules only.
"""

import typer

__all__ = ["app"]

app = typer.Typer(
    name="ldncalc",
    help=(
        "Exact, units-aware calculator for liquid low-dose naltrexone (LDN): how to "
        "prepare it, how many mL to draw, on which syringe, to which mark; a dated "
        "titration plan; and a diary that follows the plan over the months. With no "
        "command, print the default preparation (1 x 50 mg tablet in 50 mL) and the "
        "volume for each dose from 0.5 mg to 4.5 mg. "
        "Informational only: your prescriber decides the dose."
    ),
    epilog="Example: ldncalc dose 4.5mg",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
