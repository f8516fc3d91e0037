"""The shape of a failure under --json: ``error``."""

from typing import Annotated, TypedDict

from ldncalc.render.shapes import KEBAB, Doc

__all__ = ["Error", "ErrorObject"]


class Error(TypedDict):
    """What went wrong."""

    code: Annotated[
        str,
        Doc(
            "Stable name of the failure, for programs (kebab-case, e.g. invalid-input, "
            "mark-too-coarse, usage, output).",
            pattern=KEBAB,
        ),
    ]
    message: Annotated[
        str,
        Doc(
            "The failure in one line, for people (at most 1,000 characters of it, then '...').",
            minLength=1,
            maxLength=1003,
        ),
    ]


class ErrorObject(TypedDict):
    """A failure, written on stderr as one JSON object when a command was given --json. The
    exit code says its family: 1 refused (understood, but unsafe or impossible), 2 bad usage
    or unusable input.
    """

    error: Error
