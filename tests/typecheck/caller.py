"""A caller's code, as `mypy --strict` sees it: the public API's types at work.

Never run, only type-checked (CI runs `mypy --strict src tests`). Each line
that a caller's type checker must refuse carries `# type: ignore[CODE]`; mypy's
strict mode reports an ignore that is not needed, so if the API ever accepts
such a line again (a float for a dose, an unknown error code), CI fails on it.
The other lines pin what the API returns with `assert_type`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import assert_type

from ldncalc import (
    Amount,
    DosePlan,
    ErrorCode,
    LdncalcError,
    Preparation,
    RefusedError,
    StoreError,
    dose_steps,
    make_preparation,
    plan_dose,
    recommend,
    volume_for_dose,
)


def amounts(prep: Preparation) -> None:
    # Every accepted form of an amount.
    assert_type(plan_dose("4.5 mg", prep), DosePlan)
    assert_type(plan_dose(Fraction(9, 2), prep), DosePlan)
    assert_type(plan_dose(Decimal("4.5"), prep), DosePlan)
    assert_type(plan_dose(5, prep), DosePlan)
    assert_type(volume_for_dose(prep, "1 mg"), Fraction)
    assert_type(dose_steps("0.5 mg", "4.5 mg", "0.5 mg"), tuple[Fraction, ...])
    given: list[Amount] = ["1 mg", Fraction(3, 2), Decimal("2"), 3]
    recommend(given)


def floats_are_refused(prep: Preparation) -> None:
    # A float is not exact: the caller's type checker says so before ldncalc does.
    plan_dose(4.5, prep)  # type: ignore[arg-type]
    make_preparation(water_ml=100.0)  # type: ignore[arg-type]
    volume_for_dose(prep, 1.5)  # type: ignore[arg-type]
    dose_steps(0.5, 4.5, 0.5)  # type: ignore[arg-type]
    recommend([4.5])  # type: ignore[list-item]


def codes(error: LdncalcError) -> None:
    # An error's code is one of the documented codes, checked where it is raised.
    assert_type(error.code, ErrorCode)
    RefusedError("a dose larger than the bottle", code="more-than-bottle")
    RefusedError("a code nobody documented", code="no-such-code")  # type: ignore[arg-type]
    StoreError("gone", path="diary.sqlite3", reason="missing")
    StoreError("gone", path="diary.sqlite3", reason="vanished")  # type: ignore[arg-type]
