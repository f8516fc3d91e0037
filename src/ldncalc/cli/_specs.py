"""What each command served without the CLI framework takes: the fast parser's table.

``ldncalc.cli.fast`` reads a command line with it; tests/test_parser_agreement.py
derives the same table again from the Typer app's own parameters and compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["SPECS", "Spec"]


@dataclass(frozen=True)
class Spec:
    """What one command takes, as the Typer app defines it.

    ``arguments`` names its positional parameters in order, the first
    ``required`` of them required; ``values`` maps each spelling of an option
    that takes a value to its parameter, ``flags`` each spelling of a flag;
    ``repeated`` names the options that may be given more than once (a list);
    ``paths`` those the app reads as a file name (a ``Path``), ``choices``
    those whose value is one of a few words.
    """

    arguments: tuple[str, ...]
    values: dict[str, str]
    flags: dict[str, str]
    required: int
    repeated: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


_WHO = {"--profile": "profile", "--data-dir": "data_dir"}
_DIARY = {"--date": "day_text", **_WHO}
_PREPARATION = {
    "--tablets": "tablets",
    "-t": "tablets",
    "--strength": "strength",
    "--water": "water",
    "-w": "water",
    "--concentration": "concentration",
    "--syringe": "syringe_text",
    "-s": "syringe_text",
    "--assay": "assay",
    "--water-error": "water_error",
    "--scale": "scale",
    "--scale-accuracy": "scale_accuracy",
}


SPECS: dict[str, Spec] = {
    "dose": Spec(
        arguments=("dose_text",),
        values=_PREPARATION,
        flags={"--dilute": "dilute", "--explain": "explain", "--json": "json"},
        required=1,
        repeated=frozenset({"syringe_text"}),
    ),
    "took": Spec(arguments=("dose_text",), values=_DIARY, flags={"--again": "again"}, required=0),
    "note": Spec(
        arguments=("text",),
        values={
            **_DIARY,
            **{f"--{name}": name for name in ("pain", "enjoyment", "activity", "pgic")},
            **{f"--{name}": name for name in ("fatigue", "sleep", "score")},
            "--side-effect": "side_effect",
        },
        flags={},
        required=0,
        repeated=frozenset({"score", "side_effect"}),
    ),
    "schedule": Spec(
        arguments=("protocol_id",),
        values={
            **{f"--{name}": name for name in ("start", "step", "every", "target", "hold")},
            **{f"--{name}": name for name in ("keep", "reserve", "ics", "html", "output")},
            "--start-date": "start_date",
            **_PREPARATION,
            "--tablet-price": "tablet_price",
            "--format": "fmt",
            "-f": "fmt",
            "-o": "output",
            "--dose-time": "dose_time",
        },
        flags={f"--{name}": name for name in ("json", "chart", "force", "confirm")},
        required=0,
        repeated=frozenset({"syringe_text"}),
        paths=frozenset({"output", "ics", "html"}),
        choices={"fmt": ("json", "csv", "markdown")},
    ),
    "history": Spec(
        arguments=(),
        values={"--from": "start", "--to": "end", **_WHO},
        flags={f"--{name}": name for name in ("json", "csv", "chart")},
        required=0,
    ),
}
