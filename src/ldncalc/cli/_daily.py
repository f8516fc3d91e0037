"""The work of ``ldncalc took`` and ``ldncalc note``, without the CLI framework.

Both the Typer commands (``days.took``, ``note.note``) and the fast path
(``ldncalc.cli.fast``) call these functions, so the two cannot differ.
"""

from __future__ import annotations

from ldncalc.cli._readers import diary_date as _diary_date
from ldncalc.cli._record import open_diary, said
from ldncalc.errors import InvalidInputError

__all__ = ["note_command", "took_command"]


def took_command(
    dose_text: str | None = None,
    day_text: str | None = None,
    *,
    again: bool = False,
    profile: str | None = None,
    data_dir: str | None = None,
) -> None:
    """Record a dose taken (the planned one unless ``dose_text`` names another)."""
    given = None
    if dose_text is not None:
        from ldncalc.units import read_dose_mg

        given = read_dose_mg(dose_text)
    said(open_diary(data_dir, profile).took(given, on=_diary_date(day_text), again=again))


def note_command(
    text: str | None = None,
    day_text: str | None = None,
    *,
    pain: str | None = None,
    enjoyment: str | None = None,
    activity: str | None = None,
    pgic: str | None = None,
    fatigue: str | None = None,
    sleep: str | None = None,
    score: list[str] | None = None,
    side_effect: list[str] | None = None,
    profile: str | None = None,
    data_dir: str | None = None,
) -> None:
    """Record a note: text, scores 0 to 10, side effects, the PGIC."""
    # The library owns the rules of scores (names, ranges, case); this only reads the options.
    scores: list[tuple[str, str]] = [
        (name, value)
        for name, value in (
            ("pain", pain),
            ("enjoyment", enjoyment),
            ("activity", activity),
            ("fatigue", fatigue),
            ("sleep", sleep),
        )
        if value is not None
    ]
    for item in score or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(f"--score takes NAME=N, e.g. mood=3, not {item!r}")
        scores.append((name.strip(), value))
    recorded = open_diary(data_dir, profile).note(
        text,
        on=_diary_date(day_text),
        scores=scores,
        side_effects=side_effect or (),
        pgic=pgic,
    )
    said(recorded)
