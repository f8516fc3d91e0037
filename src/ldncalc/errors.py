"""Errors raised by ldncalc's library.

Every message is one line that a person can act on. The library never exits
and knows nothing of exit codes; the CLI maps the two families below to them.
"""

from __future__ import annotations

# Not typing.TYPE_CHECKING: `ldncalc --version` loads this module, and must
# not load typing (tests/test_startup.py). Type checkers treat any name
# TYPE_CHECKING as true.
TYPE_CHECKING = False

__all__ = [
    "AdjustRefused",
    "ArgumentTypeError",
    "ClimbRefused",
    "DimensionError",
    "ErrorCode",
    "InvalidInputError",
    "LdncalcError",
    "OutputFileError",
    "ReaderGone",
    "RefusedError",
    "StoreError",
    "StoreReason",
    "shown",
]

# Every error code, the one list. A code is a stable name for programs (it is
# in the JSON errors and picks the CLI's hint): mypy checks every `code=` given
# to an error against this list, and tests/test_api.py checks that each code
# used in the source is here, each here is used, and docs/library.md lists
# them all. A new code: add it here, in its group, and to the table in
# docs/library.md ("Error codes"), with what it means. At run time a code is
# text (the `else` below): the Literal is for type checkers, which read only
# this branch.
if TYPE_CHECKING:
    from typing import Literal

    ErrorCode = Literal[
        # The default code of each family.
        "error",
        "invalid-input",
        "wrong-type",
        "refused",
        "output-file",
        # Amounts, units and input.
        "wrong-dimension",
        "dose-not-positive",
        "volume-not-positive",
        "concentration-not-positive",
        "amount-unreadable",
        "water-not-positive",
        "range-not-positive",
        "dilution-not-positive",
        "assay-not-positive",
        "assay-unreadable",
        "assay-backwards",
        "assay-implausible",
        "scale-invalid",
        "water-error-negative",
        "water-error-too-large",
        "date-out-of-range",
        "time-unreadable",
        "unknown-schema",
        "syringe-unreadable",
        "range-backwards",
        "no-doses-given",
        "too-precise",
        "number-out-of-range",
        "too-long",
        "date-unreadable",
        "days-unreadable",
        "amount-missing",
        "household-measure",
        "decimal-comma",
        "fraction-given",
        "naked-decimal",
        "unit-unknown",
        "price-invalid",
        "syringe-invalid",
        "water-and-concentration",
        "recipe-twice",
        # Doses, preparations and syringes.
        "more-than-bottle",
        "dose-above-bottle",
        "above-solubility",
        "ultra-low-dose",
        "draw-too-small",
        "mark-too-coarse",
        "no-syringe",
        "water-measure",
        "no-dilution",
        "dilution-inconsistent",
        "aliquot-error",
        "stock-empty",
        "no-doses",
        # Titration protocols.
        "custom-incomplete",
        "protocol-and-custom",
        "climb-too-long",
        "unknown-protocol",
        # The diary.
        "no-plan",
        "plan-running",
        "nothing-planned",
        "day-recorded",
        "above-tablet",
        "ten-times",
        "soft-limit",
        "not-preparable",
        "adjust-not-applicable",
        "adjust-before-plan",
        "note-too-early",
        "undone-already",
        "import-refused",
        "future-date",
        "erase-unconfirmed",
        "entry-unreadable",
        "no-dilution-planned",
        "no-stock-held",
        "no-dilution-held",
        "bottle-mismatch",
        "unknown-profile",
        "profile-name",
        "folder-name",
        "score-out-of-range",
        "score-name",
        "score-twice",
        "pgic-out-of-range",
        "note-empty",
        "no-such-entry",
        "unknown-action",
        "action-options",
        "window-backwards",
        "window-too-long",
        "import-unreadable",
        "import-conflict",
        "entry-invalid",
        "entries-inconsistent",
        "not-a-bottle",
        "import-file",
        # The kit.
        "in-kit-already",
        "not-in-kit",
        # Files.
        "output-exists",
        "output-is-database",
        # The diary file: "store-" and a StoreReason.
        "store-damaged",
        "store-newer",
        "store-foreign",
        "store-missing",
        "store-not-a-folder",
        "store-permission",
        "store-read-only",
        "store-full",
        "store-busy",
        "store-migration",
        "store-io",
        "store-tampered",
    ]

    StoreReason = Literal[
        "damaged",
        "newer",
        "foreign",
        "missing",
        "not-a-folder",
        "permission",
        "read-only",
        "full",
        "busy",
        "migration",
        "io",
        "tampered",
    ]
    """Why the diary file cannot be used, in one word (:class:`StoreError`'s ``reason``)."""
else:
    ErrorCode = StoreReason = str


_STORE_CODES: dict[StoreReason, ErrorCode] = {
    "damaged": "store-damaged",
    "newer": "store-newer",
    "foreign": "store-foreign",
    "missing": "store-missing",
    "not-a-folder": "store-not-a-folder",
    "permission": "store-permission",
    "read-only": "store-read-only",
    "full": "store-full",
    "busy": "store-busy",
    "migration": "store-migration",
    "io": "store-io",
    "tampered": "store-tampered",
}


class LdncalcError(Exception):
    """Base of every error ldncalc raises on purpose.

    ``code`` is a stable name for programs (JSON output, the CLI's hints); the
    message is one line in domain words, fit to show a person.
    """

    default_code: ErrorCode = "error"
    entry_id: int | None = None

    def __init__(
        self, message: str, *, code: ErrorCode | None = None, entry_id: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code: ErrorCode = code or self.default_code
        # The diary entry the error is about (the one to undo, say), if any.
        self.entry_id = entry_id

    def __str__(self) -> str:
        return self.message


class InvalidInputError(LdncalcError, ValueError):
    """Input that cannot be used: malformed, ambiguous or of the wrong kind."""

    default_code: ErrorCode = "invalid-input"


class DimensionError(InvalidInputError, TypeError):
    """A quantity of the wrong kind, such as a volume where a dose was asked."""

    def __init__(self, text: str, expected: str, got: str) -> None:
        self.text = text
        self.expected = expected
        self.got = got
        super().__init__(f"{text!r} is {got}; expected {expected}", code="wrong-dimension")


class ArgumentTypeError(LdncalcError, TypeError):
    """A value of a type the library does not take (a float for a dose, say)."""

    default_code: ErrorCode = "wrong-type"


def shown(value: object) -> str:
    """Return a value as an error message shows what was given: its repr, cut at 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


class RefusedError(LdncalcError, ValueError):
    """Input that is well formed but unsafe or impossible to carry out."""

    default_code: ErrorCode = "refused"


class AdjustRefused(RefusedError):
    """An adjustment its day does not allow (a resume with no hold, a stop after a stop)."""

    default_code: ErrorCode = "adjust-not-applicable"


class ClimbRefused(RefusedError):
    """A change after which the climb to the target would take more than two years."""

    default_code: ErrorCode = "climb-too-long"


class OutputFileError(LdncalcError, OSError):
    """A file could not be written, or would overwrite one without leave.

    ``path`` is the path as given (``-`` for standard output), ``reason`` says
    why in words, and ``exists`` whether the name was refused only because it
    exists (``code`` is then ``"output-exists"``), so that a caller that may
    replace files can say how. ``ldncalc.files`` sets them through ``OSError``'s
    own ``filename``, ``strerror`` and ``errno`` (``EEXIST`` when it exists).
    """

    default_code: ErrorCode = "output-file"

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
    (it could not be brought up to date), ``"tampered"`` (its schema holds
    what ldncalc did not make: a trigger, a view, a column...) or ``"io"``
    (any other failure).
    ``code`` is ``"store-"`` followed by the reason.
    """

    default_code: ErrorCode = "store-io"

    def __init__(self, message: str, *, path: str, reason: StoreReason) -> None:
        self.path = path
        self.reason: StoreReason = reason
        super().__init__(message, code=_STORE_CODES[reason])


class ReaderGone(Exception):
    """The reader of the output went away (``ldncalc ... | head``): stop writing.

    Not an ``LdncalcError`` (nothing is wrong) and not an ``OSError``, so that
    nothing between the writer and the CLI's entry point mistakes it for a failure.
    """
