from __future__ import annotations

import importlib
import pkgutil
import types

import pytest

import ldncalc


def test_every_public_name_is_the_object_not_a_module() -> None:
    # Import every submodule first: a submodule named like a public function
    # would otherwise replace it as an attribute of the package.
    for info in pkgutil.walk_packages(ldncalc.__path__, "ldncalc."):
        importlib.import_module(info.name)
    for name in ldncalc.__all__:
        value = getattr(ldncalc, name)
        assert not isinstance(value, types.ModuleType), name


def test_unknown_name() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ldncalc.nope  # noqa: B018


def test_dir_lists_the_public_api() -> None:
    assert dir(ldncalc) == sorted(ldncalc.__all__)
