"""The words of the CLI: the commands ldncalc tells a person to run.

The library says what to do as a code with its parameters; only the CLI
knows its own command line, so the hints added to errors and the exact
command for each code are written here, for the diary at hand (its
``--profile`` and ``--data-dir``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date
    from fractions import Fraction

__all__ = [
    "HINTS",
    "HOLD_OPTION",
    "MIX_COMMAND",
    "SHOW_PROTOCOL",
    "USE_PROTOCOL",
    "Commands",
    "at_hand",
    "hint_for",
]

# The commands and the option that the schedule's and the protocols' pages name.
MIX_COMMAND = "ldncalc mix"
SHOW_PROTOCOL = "ldncalc protocols ID"
USE_PROTOCOL = "ldncalc schedule ID"
HOLD_OPTION = "--hold"

HINTS = {
    "output-exists": "add --force to replace it",
    "mark-too-coarse": "or run 'ldncalc mix' for a preparation that puts it on a mark",
    "custom-incomplete": "give --start, and --step and --every unless --start is the --target",
    "protocol-and-custom": "see 'ldncalc protocols'",
    "no-plan": "start one with 'ldncalc plan start'",
    "plan-running": "add --force to start a new one (the old one stays in the history)",
    "day-recorded": "undo that entry with 'ldncalc undo ID', or add --again to record another",
    "ten-times": "add --confirm if it is really meant",
    "soft-limit": "add --confirm if it is really meant",
    "entry-unreadable": "undo it with 'ldncalc undo ID', or first keep a copy with "
    "'ldncalc data export FILE'",
    "no-dilution-planned": "record the bottle with 'ldncalc mixed'",
    "no-stock-held": "record it with 'ldncalc mixed', then the dilution",
    "no-dilution-held": "record it with 'ldncalc mixed --dilution', then stage 2",
}


class Commands:
    """The exact commands for the diary at hand: what a hint tells a person to run.

    The library says what to do as a code with its parameters (a dose to
    record, a bottle or a dilution stage to record as mixed, scores for the
    review, a hold to resume, a stopped plan to take up again); this one
    function turns a code into the command line that does it, on the day, the
    profile and in the folder of the command that printed it (``--date`` when a
    day was given, ``--profile`` and ``--data-dir`` when they are not the
    defaults), quoted for a POSIX shell.
    """

    def __init__(
        self, profile: str | None = None, data_dir: str | None = None, on: date | None = None
    ) -> None:
        # The day asked about, when one was given (--date): the command acts on it.
        self.options: list[str] = [] if on is None else ["--date", on.isoformat()]
        if profile is not None:  # the diary's modules only when a profile is named
            from ldncalc.diary.store import DEFAULT_PROFILE

            if profile != DEFAULT_PROFILE:
                self.options += ["--profile", profile]
        if data_dir is not None:
            self.options += ["--data-dir", data_dir]

    def __call__(self, code: str, stage: int = 0, dose_mg: Fraction | None = None) -> str:
        """Return the command for ``code``: took, mixed (``stage``: 0 the stock, n the
        nth dilution stage), score, pgic, resume, restart (at ``dose_mg``)."""
        import shlex

        words: list[str]
        if code == "took":
            words = ["took"]
        elif code == "mixed":
            words = ["mixed"] if stage == 0 else ["mixed", "--dilution"]
            words += [] if stage <= 1 else ["--stage", str(stage)]
        elif code == "score":
            words = ["note", "--pain", "N", "--enjoyment", "N", "--activity", "N"]
        elif code == "pgic":
            words = ["note", "--pgic", "N"]
        elif code == "resume":
            words = ["plan", "adjust", "resume"]
        elif code == "restart":
            from ldncalc.notation import format_dose_mg

            if dose_mg is None:
                raise ValueError("a restart names the dose")
            words = ["plan", "adjust", "dose", format_dose_mg(dose_mg)]
        else:
            raise ValueError(f"no command for {code!r}")
        line = shlex.join(["ldncalc", *words, *self.options])
        # A folder's name may hold anything: never a control character on the terminal.
        return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in line)


# The diary a command works on, when not the default (--profile, --data-dir): a
# hint that names a diary command names it for that diary.
_at_hand: list[str] = []


def at_hand(profile: str | None, data_dir: str | None) -> None:
    """Note the profile and folder of the diary the command works on (for its hints)."""
    _at_hand[:] = Commands(profile, data_dir).options


def hint_for(code: str, entry_id: int | None = None) -> str | None:
    """Return the hint the CLI adds to an error of ``code``, naming the diary at hand.

    ``entry_id``: the entry the error names; a hint to undo it names it too.
    """
    hint = HINTS.get(code)
    if hint is not None and entry_id is not None:
        hint = hint.replace("'ldncalc undo ID'", f"'ldncalc undo {entry_id}'")
    if hint is None or not _at_hand:
        return hint
    import shlex

    extra = shlex.join(_at_hand)
    return re.sub(r"'(ldncalc (?:undo|mixed|plan|data)\b[^']*)'", rf"'\1 {extra}'", hint)
