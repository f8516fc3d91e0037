"""Entry point of ``ldncalc`` and ``python -m ldncalc``.

``--version`` is answered here, before the CLI framework is imported, so that
the commonest probe of an installed tool costs little more than Python itself.
Every other command runs with the garbage collector paused (see main).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

PINT_OPTIONAL = ("numpy", "babel", "uncertainties", "scipy")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ldncalc with ``argv`` (default: the process's arguments); return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:
        from ldncalc._version import __version__

        try:
            if sys.stdout is None:  # started with stdout closed (ldncalc --version >&-)
                raise OSError("standard output is closed")
            print(f"ldncalc {__version__}", flush=True)
        except BrokenPipeError:
            return 0
        except (OSError, ValueError, AttributeError) as exc:  # a full disk, a closed stdout
            reason = getattr(exc, "strerror", None) or "standard output is closed"
            if sys.stderr is None:
                return 1
            # Not contextlib.suppress: importing it costs --version a few percent.
            try:  # noqa: SIM105
                print(f"Error: cannot write the output: {reason}", file=sys.stderr)
            except (OSError, ValueError, AttributeError):
                pass
            return 1
        return 0
    import gc

    # pint imports these optional libraries whenever they are installed, only to
    # offer features ldncalc never uses; numpy alone adds about 100 ms to every
    # command (docs/performance.md). Blocking an import is what a None entry in
    # sys.modules means; only the CLI's own process does it, never the library.
    for optional in PINT_OPTIONAL:
        sys.modules.setdefault(optional, None)  # type: ignore[arg-type]
    # One command, then exit: collecting cycles while pint builds its many
    # objects costs more than it frees, and so does collecting them all again
    # at interpreter exit. Freezing them skips that last pass. Only the CLI
    # does this; importing the library leaves the collector alone.
    # (docs/performance.md has the figures.)
    gc.disable()
    try:
        if args in (["--help"], ["-h"]):
            # The first thing a newcomer types, without the CLI framework: the
            # app's own text, kept by ldncalc.cli._help and checked against it.
            from ldncalc.cli._help import run_help

            code = run_help(args)
            if code is not None:
                return code
        if args[:1] == ["today"]:
            # The command run every day answers without the CLI framework when
            # its arguments are the usual ones (docs/performance.md); anything
            # else (--help, a typo) goes to typer, which says what is wrong.
            from ldncalc.cli._today import run_today

            code = run_today(args[1:])
            if code is not None:
                return code
        if args[:1] in (["dose"], ["took"], ["note"], ["schedule"], ["history"]):
            # The common commands with their usual arguments answer without the
            # CLI framework (ldncalc.cli.fast, checked against the Typer app).
            from ldncalc.cli.fast import run_fast

            code = run_fast(args)
            if code is not None:
                return code
        from ldncalc.cli import run

        return run(args)
    finally:
        gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
