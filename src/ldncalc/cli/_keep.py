"""The commands that keep a command's syringes and scale in the kit.

``plan start --syringe 1mL --syringe 10mL --scale 0.1g`` checks the plan with
them for that command only (``plan start`` records one syringe with the plan,
and only ``kit`` changes the kit): its note ends with the exact commands that
add to the kit what is not in it already, for the diary at hand (``--profile``
and ``--data-dir`` as the command was given them), quoted for a POSIX shell as
the hints' commands are (``ldncalc.cli._words.Commands``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ldncalc.diary.kit import ProfileKit
    from ldncalc.dose.kit import Kit, Scale
    from ldncalc.dose.syringes import Syringe

__all__ = ["keep_commands"]


def keep_commands(
    own: ProfileKit, given: Kit, profile: str | None, data_dir: str | None
) -> list[str]:
    """Return the commands that add ``given``'s syringes and scale to the kit ``own``.

    A syringe in the kit already is left out (``kit add`` would refuse it), and
    so is a scale that reads as the kit's does.
    """
    import shlex

    from ldncalc.cli._words import Commands

    options = Commands(profile, data_dir).options
    wanted = [["kit", "add", _syringe_text(s)] for s in given.syringes if s not in own.syringes]
    scale = given.scale
    if scale is not None and (own.scale is None or _read(own.scale) != _read(scale)):
        division, accuracy = _read(scale)
        words = ["kit", "scale", _grams(division)]
        wanted.append(words if accuracy == division else [*words, "--accuracy", _grams(accuracy)])
    lines = [shlex.join(["ldncalc", *words, *options]) for words in wanted]
    # A folder's name may hold anything: never a control character on the terminal.
    return [
        "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in line)
        for line in lines
    ]


def _read(scale: Scale) -> tuple[Fraction, Fraction]:
    """Return a scale's division and accuracy (one division unless told)."""
    accuracy = scale.division_g if scale.accuracy_g is None else scale.accuracy_g
    return scale.division_g, accuracy


def _grams(value: Fraction) -> str:
    from ldncalc.notation import decimal_text

    return decimal_text(value, digits=12)[0] + "g"


def _syringe_text(syringe: Syringe) -> str:
    """Return how ``kit add`` names ``syringe``: '1mL' when those are its usual marks."""
    from ldncalc.diary.kit import kit_add
    from ldncalc.errors import LdncalcError
    from ldncalc.notation import decimal_text

    capacity = decimal_text(syringe.capacity_ml, digits=12)[0] + "mL"
    try:
        usual = kit_add(capacity)
    except LdncalcError:  # a size with no usual marks: they are written out
        usual = None
    if usual is not None and usual.graduation_ml == syringe.graduation_ml:
        return capacity
    return f"{capacity}:{decimal_text(syringe.graduation_ml, digits=12)[0]}mL"
