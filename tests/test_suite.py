"""The suite's own bookkeeping: the tests that conftest marks slow still exist."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SLOW_MODULES, SLOW_TESTS, TESTS


@pytest.mark.parametrize(
    ("module", "name"), sorted((m, n) for m, names in SLOW_TESTS.items() for n in names)
)
def test_every_test_marked_slow_by_name_exists(module: str, name: str) -> None:
    # A renamed test would silently lose its mark and slow down `-m "not slow"`.
    source = (TESTS / f"{module}.py").read_text(encoding="utf-8")
    assert re.search(rf"^(def {name}\(|{name} = )", source, re.MULTILINE), (module, name)


def test_the_slow_modules_are_not_also_listed_test_by_test() -> None:
    assert not SLOW_MODULES & SLOW_TESTS.keys()
    assert all((TESTS / f"{name}.py").is_file() for name in SLOW_MODULES)
