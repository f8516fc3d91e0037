"""Entry point of ``ldncalc`` and ``python -m ldncalc``.

``--version`` is answered here, before the CLI framework is imported, so that
the commonest probe of an installed tool costs little more than Python itself.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ldncalc with ``argv`` (default: the process's arguments); return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from ldncalc._version import __version__

        print(f"ldncalc {__version__}")
        return 0
    from ldncalc.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
