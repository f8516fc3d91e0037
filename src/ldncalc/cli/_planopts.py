"""The options that describe a plan, shared by 'schedule' and 'plan start'."""

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ldncalc.plan.titration import Protocol

__all__ = [
    "ConfirmOpt",
    "DoseTimeOpt",
    "EveryOpt",
    "HoldOpt",
    "KeepOpt",
    "KitSyringeOpt",
    "ProtocolArg",
    "StartDateOpt",
    "StartOpt",
    "StepOpt",
    "TargetOpt",
    "complete_protocol",
    "protocol",
]


ProtocolArg = Annotated[
    str | None,
    typer.Argument(
        metavar="PROTOCOL",
        help="A protocol id from 'ldncalc protocols' (default: ldnrt-weekly).",
        autocompletion=lambda incomplete: complete_protocol(incomplete),
    ),
]
DoseTimeOpt = Annotated[
    str | None,
    typer.Option(
        "--dose-time",
        metavar="HH:MM",
        help="The hour of the daily dose (24-hour clock, local time), kept in the kit as "
        "'ldncalc kit time' keeps it: 'today' says it.",
    ),
]
KitSyringeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--syringe",
        "-s",
        metavar="SYRINGE",
        help="A syringe you have, CAPACITY[:MARKS], e.g. 5mL:0.1mL; give it once for each. "
        "For this command only, instead of your kit's ('ldncalc kit add' keeps one).",
    ),
]
StartOpt = Annotated[
    str | None, typer.Option("--start", metavar="DOSE", help="Your own plan: first dose.")
]
StepOpt = Annotated[
    str | None, typer.Option("--step", metavar="DOSE", help="Your own plan: added at each step.")
]
EveryOpt = Annotated[
    str | None,
    typer.Option(
        "--every", metavar="DURATION", help="Your own plan: time between steps (7d, 2w, 2 weeks)."
    ),
]
TargetOpt = Annotated[
    str | None,
    typer.Option(
        "--target", metavar="DOSE", help="Your own plan: the dose held at the end [default: 4.5mg]."
    ),
]
HoldOpt = Annotated[
    str | None,
    typer.Option(
        "--hold",
        metavar="DURATION",
        help="How long to stay at the target, from its first day [default: 8w].",
    ),
]
StartDateOpt = Annotated[
    str | None,
    typer.Option("--start-date", metavar="DATE", help="Day 1, as YYYY-MM-DD [default: today]."),
]
KeepOpt = Annotated[
    str | None,
    typer.Option(
        "--keep",
        metavar="DURATION",
        help="How long a bottle keeps; the mixing day is day 1 [default: 14d].",
    ),
]

ConfirmOpt = Annotated[
    bool,
    typer.Option(
        "--confirm",
        help="Keep, if it is really meant, a dose above 4.5 mg, a step above 1.5 mg, or "
        "a dose ten times one of the plan's (a misplaced decimal point).",
    ),
]


def complete_protocol(incomplete: str) -> list[str]:
    """Complete a protocol id (shell completion)."""
    from ldncalc.plan.titration import protocols

    return [p.id for p in protocols() if p.id.startswith(incomplete)]


def protocol(
    protocol_id: str | None,
    start: str | None,
    step: str | None,
    every: str | None,
    target: str | None,
) -> "Protocol":
    """Return the protocol the plan options name: a shipped one, your own, or the default."""
    from ldncalc.plan.titration import resolve_protocol
    from ldncalc.units import parse_duration_days

    return resolve_protocol(
        protocol_id,
        start_mg=start,
        step_mg=step,
        every_days=parse_duration_days(every) if every is not None else None,
        target_mg=target,
    )
