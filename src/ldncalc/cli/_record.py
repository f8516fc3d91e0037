"""Opening the diary and confirming what was recorded, without the CLI framework.

Shared by the Typer commands (through ``_diary``) and the fast path
(``ldncalc.cli.fast``), so that a recorded entry is confirmed one way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ldncalc.cli._exits import out, silence_stdout
from ldncalc.cli._today import diary_store as _store
from ldncalc.errors import ReaderGone

if TYPE_CHECKING:
    from ldncalc.diary.entries import Entry
    from ldncalc.diary.service import Diary, Recorded

__all__ = ["confirm_saved", "open_diary", "said"]


def open_diary(data_dir: str | None, profile: str | None) -> Diary:
    from ldncalc.cli._words import at_hand
    from ldncalc.diary.service import Diary

    at_hand(profile, data_dir)  # the hints of its errors name this diary
    return Diary(_store(data_dir), profile)


def said(recorded: Recorded) -> None:
    """Confirm what was recorded, then its warnings: the entry is saved whatever happens here.

    A confirmation that cannot be printed (a full disk, a closed output) does
    not turn a saved entry into a failure: a script that retries on failure
    would record it twice. It is said on stderr instead, and the exit is 0.
    """
    from ldncalc.render.diary import entry_text

    entry = recorded.entry
    ids = {} if recorded.target_id is None else {_target_uid(entry): recorded.target_id}
    lines = [f"Recorded entry {entry.id} for {entry.day.isoformat()}: {entry_text(entry, ids)}"]
    lines += [f"Warning: {warning.message}" for warning in recorded.warnings]
    confirm_saved(lines, entry.id)


def _target_uid(entry: Entry) -> str:
    from ldncalc.diary.entries import Undo

    return entry.payload.target_uid if isinstance(entry.payload, Undo) else ""


def confirm_saved(lines: list[str], entry_id: int) -> None:
    """Print what a saved entry's command says; if it cannot be printed, say so on stderr.

    The entry is saved already: a full disk or a closed output must not turn
    it into a failure (a script retrying on failure would record it twice).
    """
    import sys

    try:
        out("\n".join(lines))
        sys.stdout.flush()
    except (OSError, ValueError, ReaderGone) as exc:
        import contextlib

        silence_stdout()
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stdout.flush()
        if isinstance(exc, ReaderGone):
            return
        reason = getattr(exc, "strerror", None) or str(exc) or "standard output is closed"
        with contextlib.suppress(OSError, ValueError, AttributeError):
            print(
                f"Warning: entry {entry_id} is saved, but its confirmation could not be "
                f"printed ({reason})",
                file=sys.stderr,
            )
