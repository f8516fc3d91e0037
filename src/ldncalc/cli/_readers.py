"""Readers of option text shared by the commands, without the CLI framework.

The daily commands run without typer (``ldncalc.cli.fast``), so what they
share with the Typer commands lives here: whole numbers, the preparation, the
syringe, the range's assumptions, lengths of time, and warnings on stderr.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

from ldncalc.dates import parse_date
from ldncalc.errors import InvalidInputError
from ldncalc.inputs import calendar_day

if TYPE_CHECKING:
    from datetime import date

    from ldncalc.dose.kit import Kit
    from ldncalc.dose.preparation import Preparation
    from ldncalc.dose.syringes import Syringe
    from ldncalc.plan.titration import Protocol

__all__ = [
    "days",
    "diary_date",
    "kit",
    "measuring",
    "parse_whole",
    "preparation",
    "protocol",
    "syringe",
    "warn",
]

_WHOLE = re.compile(r"[0-9]+")


def warn(message: str) -> None:
    """Write one ``Warning:`` line on stderr."""
    sys.stderr.write(f"Warning: {message}\n")
    sys.stderr.flush()


def diary_date(text: str | None, option: str = "--date") -> date | None:
    """Read a diary date (YYYY-MM-DD) typed for ``option``, or None if not given.

    The library's rule refuses the years no diary is about (``date-out-of-range``),
    its message naming the option.
    """
    day = parse_date(text)
    return None if day is None else calendar_day(day, option)


def parse_whole(text: str | None, option: str) -> int | None:
    """Read a whole number typed for ``option`` (ASCII digits only), or None if not given."""
    if text is None:
        return None
    raw = text.strip()
    if _WHOLE.fullmatch(raw) is None or len(raw) > 6:
        raise InvalidInputError(f"{option} takes a whole number such as 2, not {text!r}")
    return int(raw)


def preparation(
    tablets: str | None,
    strength: str | None,
    water: str | None,
    concentration: str | None = None,
    *,
    warn_on_mark: bool = True,
) -> Preparation:
    """Return the preparation the options describe; what is not given takes the default.

    A concentration whose water was put on a mark says so on stderr
    (``warn_on_mark``; a command that prints its own warnings shows
    ``advisories`` instead).
    """
    from ldncalc.dose.preparation import make_preparation

    given: dict[str, Any] = {}
    count = parse_whole(tablets, "--tablets")
    if count is not None:
        given["tablets"] = count
    if strength is not None:
        given["strength_mg"] = strength
    if water is not None:
        given["water_ml"] = water
    if concentration is not None:
        given["concentration_mg_per_ml"] = concentration
    prep = make_preparation(**given)
    for note in prep.advisories if warn_on_mark else ():
        warn(note.message)
    return prep


def syringe(text: str | list[str] | None) -> Syringe | None:
    """Return the one syringe named by --syringe, or None for the catalogue.

    For a command that keeps one syringe: several are refused, naming the commands
    that take a kit.
    """
    texts = [text] if isinstance(text, str) else text or []
    if not texts:
        return None
    if len(texts) > 1:
        raise InvalidInputError(
            "this command keeps one syringe; several --syringe are for dose, mix and schedule"
        )
    from ldncalc.dose.syringes import parse_syringe

    return parse_syringe(texts[0])


def kit(
    syringe_texts: list[str] | None, scale_text: str | None, accuracy_text: str | None = None
) -> Kit | None:
    """Return the kit the options name (the syringes of each --syringe, --scale), or None."""
    if not syringe_texts and scale_text is None:
        if accuracy_text is not None:
            raise InvalidInputError("--scale-accuracy needs --scale")
        return None
    from ldncalc.dose.kit import Kit, parse_scale
    from ldncalc.dose.syringes import parse_syringe

    if scale_text is None and accuracy_text is not None:
        raise InvalidInputError("--scale-accuracy needs --scale")
    scale = None if scale_text is None else parse_scale(scale_text, accuracy_text)
    return Kit(tuple(parse_syringe(t) for t in syringe_texts or ()), scale)


def measuring(assay: str | None, water_error: str | None) -> dict[str, Any]:
    """Return the keyword arguments for the range's assumptions that were given."""
    given: dict[str, Any] = {}
    if assay is not None:
        from ldncalc.dose.accuracy import parse_assay

        given["assay"] = parse_assay(assay)
    if water_error is not None:
        given["water_error_ml"] = water_error
    return given


def days(text: str | None) -> int | None:
    """Read a length of time such as 14d or 2w, or None if not given.

    A bare number is read as days, and a warning on stderr says so.
    """
    if text is None:
        return None
    from ldncalc.units import bare_duration_note, parse_duration_days

    count = parse_duration_days(text)
    note = bare_duration_note(text)
    if note is not None:
        warn(f"{note}; write {count}d to say so, or {count}w for weeks")
    return count


def protocol(
    protocol_id: str | None,
    start: str | None,
    step: str | None,
    every: str | None,
    target: str | None,
) -> Protocol:
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
