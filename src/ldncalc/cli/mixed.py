"""A bottle of stock or a dilution mixed, and its label (ldncalc mixed)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldncalc.cli._app import app, guarded
from ldncalc.cli._common import (
    DateOpt,
    days,
    parse_whole,
)
from ldncalc.cli._diary import (
    DataDirOpt,
    ProfileOpt,
    confirm_saved,
    open_diary,
    said,
)
from ldncalc.cli._readers import diary_date as _diary_date
from ldncalc.cli._today import diary_store as _store
from ldncalc.errors import InvalidInputError

if TYPE_CHECKING:
    from fractions import Fraction

    from ldncalc.dose.accuracy import WaterMeasure
    from ldncalc.dose.kit import Scale

__all__ = ["mixed"]

# The recipe options of `schedule` and `plan start`, with the defaults `mixed`
# has: the plan's recipe, not ldncalc's (the help of a trial said 50mL and 14d).
PLANS = "[default: the plan's recipe]"
TabletsOpt = Annotated[
    str | None,
    typer.Option("--tablets", "-t", metavar="N", help=f"Tablets dissolved, 1 to 10 {PLANS}."),
]
StrengthOpt = Annotated[
    str | None,
    typer.Option("--strength", metavar="DOSE", help=f"Strength of one tablet {PLANS}."),
]
WaterOpt = Annotated[
    str | None,
    typer.Option("--water", "-w", metavar="VOLUME", help=f"Water added, e.g. 50mL {PLANS}."),
]
ConcentrationOpt = Annotated[
    str | None,
    typer.Option(
        "--concentration",
        metavar="MG/ML",
        help="Instead of --water: the concentration you made, e.g. 5mg/mL (the water is "
        "worked out).",
    ),
]
KeepOpt = Annotated[
    str | None,
    typer.Option(
        "--keep",
        metavar="DURATION",
        help="How long this bottle keeps; the mixing day is day 1 [default: the plan's].",
    ),
]


@app.command(short_help="Record a bottle or a dilution mixed; print its label.")
@guarded
def mixed(
    day_text: DateOpt = None,
    dilution: Annotated[
        bool,
        typer.Option(
            "--dilution",
            help="A dilution of the stock, as the plan makes it (as 'ldncalc today' asks).",
        ),
    ] = False,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            metavar="N",
            help="With --dilution: which stage of a two-stage dilution, 1 or 2 [default: 1].",
        ),
    ] = None,
    from_ml: Annotated[
        str | None,
        typer.Option(
            "--from-ml",
            metavar="VOLUME",
            help="With --dilution: the liquid taken, if not the plan's, e.g. 1mL.",
        ),
    ] = None,
    tablets: TabletsOpt = None,
    strength: StrengthOpt = None,
    water: WaterOpt = None,
    concentration: ConcentrationOpt = None,
    keep: KeepOpt = None,
    label: Annotated[
        Path | None,
        typer.Option(
            "--label",
            metavar="FILE",
            help="Also write a printable bottle label (HTML).",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the label file if it exists.")
    ] = False,
    profile: ProfileOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Record a bottle mixed (its keep period starts that day) and print its label.

    The recipe is the plan's; what you give (--tablets, --strength, --water or
    --concentration) replaces that part of it, and the rest stays the plan's. With --dilution, the
    diluted liquid the plan makes from the stock (--stage 2 for the second
    stage of a two-stage dilution; --from-ml and --water change its amounts).

    Example: ldncalc mixed --label bottle.html
    """
    from ldncalc.diary.entries import Diluted, Mixed

    if label is not None:
        from ldncalc.files import check_writable

        check_writable([label], force=force, protect=[_store(data_dir).where])
    diary = open_diary(data_dir, profile)
    day = _diary_date(day_text)
    if dilution:
        if any(v is not None for v in (tablets, strength, concentration)):
            raise InvalidInputError(
                "--dilution takes --from-ml and --water; --tablets, --strength and "
                "--concentration describe a bottle of stock"
            )
        from ldncalc.units import read_volume_ml

        recorded = diary.diluted(
            on=day,
            stage=1 if stage is None else (parse_whole(stage, "--stage") or 0),
            source_ml=read_volume_ml(from_ml) if from_ml is not None else None,
            water_ml=read_volume_ml(water) if water is not None else None,
            keep_days=days(keep),
        )
    else:
        if from_ml is not None or stage is not None:
            raise InvalidInputError("--from-ml and --stage go with --dilution")
        # What is given differs from the plan's recipe; the library keeps the rest.
        recorded = diary.mixed(
            on=day,
            keep_days=days(keep),
            tablets=parse_whole(tablets, "--tablets"),
            strength_mg=strength,
            water_ml=water,
            concentration_mg_per_ml=concentration,
        )
    said(recorded)
    from ldncalc.diary.kit import liquid_number
    from ldncalc.diary.liquids import discard_date
    from ldncalc.render.label import label_html, label_lines

    made = recorded.entry.payload
    assert isinstance(made, Mixed | Diluted)
    name = diary.profile
    entries = diary.entries()
    last = discard_date(entries, recorded.entry.id)
    number = liquid_number(entries, recorded.entry.id)
    measured = _water(made.water_ml, diary.kit().scale)
    lines = label_lines(
        made, recorded.entry.day, profile=name, discard=last, number=number, water=measured
    )
    confirm_saved(lines, recorded.entry.id)
    if label is not None:
        import sys

        from ldncalc.files import write_text_atomic

        diary_file = [_store(data_dir).where]
        text = label_html(
            made, recorded.entry.day, profile=name, discard=last, number=number, water=measured
        )
        written = write_text_atomic(label, text, force=force, private=True, protect=diary_file)
        print(f"Wrote {written}", file=sys.stderr)


def _water(water_ml: "Fraction", scale: "Scale | None") -> "WaterMeasure | None":
    """Return how the kit's scale measures the water (None: no scale in the kit)."""
    from ldncalc.dose.accuracy import measure_water

    return None if scale is None else measure_water(water_ml, scale=scale)
