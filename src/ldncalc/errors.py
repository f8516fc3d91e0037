"""Errors raised by ldncalc's library.

Every message is one line that a person can act on. The library never exits
and knows nothing of exit codes; the CLI maps the two families below to them.
"""

from __future__ import annotations

__all__ = [
    "ArgumentTypeError",
    "DimensionError",
    "InvalidInputError",
    "LdncalcError",
    "OutputFileError",
    "ReaderGone",
    "RefusedError",
    "StoreError",
]


class LdncalcError(Exception):
    """Base of every error ldncalc raises on purpose.

    ``code`` is a stable name for programs (JSON output, the CLI's hints); the
    message is one line in domain words, fit to show a person.
    """

    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code

    def __str__(self) -> str:
        return self.message


class InvalidInputError(LdncalcError, ValueError):
    """Input that cannot be used: malformed, ambiguous or of the wrong kind."""

    default_code = "invalid-input"


class DimensionError(InvalidInputError, TypeError):
    """A quantity of the wrong kind, such as a volume where a dose was asked."""

    def __init__(self, text: str, expected: str, got: str) -> None:
        self.text = text
        self.expected = expected
        self.got = got
        super().__init__(f"{text!r} is {got}; expected {expected}", code="wrong-dimension")


class ArgumentTypeError(LdncalcError, TypeError):
    """A value of a type the library does not take (a float for a dose, say)."""

    default_code = "wrong-type"


class RefusedError(LdncalcError, ValueError):
    """Input that is well formed but unsafe or impossible to carry out."""

    default_code = "refused"


class OutputFileError(LdncalcError, OSError):
    """A file could not be written, or would overwrite one without leave.

    ``path`` is the path as given (``-`` for standard output), ``reason`` says
    why in words, and ``exists`` whether the name was refused only because it
    exists (``code`` is then ``"output-exists"``), so that a caller that may
    replace files can say how. ``ldncalc.files`` sets them through ``OSError``'s
    own ``filename``, ``strerror`` and ``errno`` (``EEXIST`` when it exists).
    """

    default_code = "output-file"

    @property
    def path(self) -> str:
        """Return the path as given."""
        return "" if self.filename is None else str(self.filename)

    @property
    def reason(self) -> str:
        """Return why the file could not be written, in words."""
        return self.strerror or self.message

    @property
    def exists(self) -> bool:
        """Return whether the name was refused only because it exists."""
        return self.code == "output-exists"


class StoreError(LdncalcError):
    """The diary database cannot be used as asked; nothing in it was changed.

    ``path`` is the database file. ``reason`` says why, in one word the CLI
    can act on: ``"damaged"`` (not a database, truncated, fails its checks),
    ``"newer"`` (made by a newer ldncalc), ``"foreign"`` (a database of some
    other program), ``"missing"`` (no diary, or a folder that does not exist),
    ``"not-a-folder"``, ``"permission"``, ``"read-only"``, ``"full"`` (no
    space left), ``"busy"`` (another ldncalc held it too long), ``"migration"``
    (it could not be brought up to date) or ``"io"`` (any other failure).
    ``code`` is ``"store-"`` followed by the reason.
    """

    default_code = "store"

    def __init__(self, message: str, *, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(message, code=f"store-{reason}")


class ReaderGone(Exception):
    """The reader of the output went away (``ldncalc ... | head``): stop writing.

    Not an ``LdncalcError`` (nothing is wrong) and not an ``OSError``, so that
    nothing between the writer and the CLI's entry point mistakes it for a failure.
    """
