"""Errors raised by ldncalc's library.

Every message is one line that a person can act on. The library never exits
and knows nothing of exit codes; the CLI maps the two families below to them.
"""

from __future__ import annotations

__all__ = [
    "DimensionError",
    "InvalidInputError",
    "LdncalcError",
    "OutputFileError",
    "RefusedError",
]


class LdncalcError(Exception):
    """Base of every error ldncalc raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInputError(LdncalcError, ValueError):
    """Input that cannot be used: malformed, ambiguous or of the wrong kind."""


class DimensionError(InvalidInputError, TypeError):
    """A quantity of the wrong kind, such as a volume where a dose was asked."""

    def __init__(self, text: str, expected: str, got: str) -> None:
        self.text = text
        self.expected = expected
        self.got = got
        super().__init__(f"{text!r} is {got}; expected {expected}")


class RefusedError(LdncalcError, ValueError):
    """Input that is well formed but unsafe or impossible to carry out."""


class OutputFileError(LdncalcError, OSError):
    """A file could not be written, or would overwrite one without leave."""
