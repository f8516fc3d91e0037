"""Everything that draws: terminal tables, JSON and files.

This package is the only part of ldncalc that imports rich. The CLI hands it
library values; it hands back text or prints to a console.
"""

__all__ = ["ReaderGone"]


class ReaderGone(Exception):
    """The reader of the output went away (``ldncalc ... | head``): stop writing.

    Not an ``OSError``, so that nothing between the writer and the CLI's entry
    point mistakes it for a failure.
    """
