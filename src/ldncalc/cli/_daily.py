"""The work of ``ldncalc took`` and ``ldncalc note``, without the CLI framework.

Both the Typer commands (``days.took``, ``note.note``) and the fast path
(``ldncalc.cli.fast``) call these functions, so the two cannot differ.
"""

from __future__ import annotations

from ldncalc.cli._record import open_diary, said
from ldncalc.dates import diary_date as _diary_date
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


def _score(text: str, name: str, low: int = 0, high: int = 10) -> int:
    if text.strip().isdigit() and text.strip().isascii() and len(text.strip()) <= 2:
        value = int(text)
        if low <= value <= high:
            return value
    if name == "PGIC":
        raise InvalidInputError(
            f"the PGIC is a whole number from 1 (very much improved) to 7 (very much worse), "
            f"4 no change, not {text!r}"
        )
    raise InvalidInputError(
        f"the {name} score is a whole number from 0 (none) to 10 (worst), not {text!r}"
    )


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
    scores: list[tuple[str, int]] = []
    named = (
        ("pain", pain),
        ("enjoyment", enjoyment),
        ("activity", activity),
        ("fatigue", fatigue),
        ("sleep", sleep),
    )
    for name, value in named:
        if value is not None:
            scores.append((name, _score(value, name)))
    for item in score or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(f"--score takes NAME=N, e.g. mood=3, not {item!r}")
        scores.append((name.strip().lower(), _score(value, name.strip())))
    recorded = open_diary(data_dir, profile).note(
        text,
        on=_diary_date(day_text),
        scores=scores,
        side_effects=side_effect or (),
        pgic=_score(pgic, "PGIC", 1, 7) if pgic is not None else None,
    )
    said(recorded)
