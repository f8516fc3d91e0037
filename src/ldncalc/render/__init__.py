"""Everything that draws: terminal tables, JSON and files.

This package is the only part of ldncalc that imports rich. The CLI hands it
library values; it hands back text or prints to a console.
"""

from ldncalc.errors import ReaderGone

__all__ = ["ReaderGone"]
