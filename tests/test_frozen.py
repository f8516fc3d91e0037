"""``@frozen`` behaves as ``@dataclass(frozen=True, slots=True)``, checked against it.

The oracle is the standard library's dataclass: the same class body made both
ways must compare, hash, print, refuse changes and copy alike, for any values.
"""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.frozen import frozen


def _body() -> dict[str, object]:
    return {
        "__annotations__": {"a": "int", "b": "str | None", "c": "Fraction", "d": "tuple[int, ...]"},
        "b": None,
        "c": Fraction(1, 3),
        "d": (),
        "__doc__": "A record.",
    }


Ours: type[Any] = frozen(type("Point", (), _body()))
Theirs: type[Any] = dataclass(frozen=True, slots=True)(type("Point", (), _body()))

values = st.tuples(
    st.integers(-3, 3),
    st.none() | st.sampled_from(["x", "y", "é"]),
    st.fractions(max_denominator=4),
    st.lists(st.integers(0, 2), max_size=2).map(tuple),
)


@given(values, values)
def test_equality_hash_and_repr_are_dataclass_s(one: tuple, two: tuple) -> None:  # type: ignore[type-arg]
    ours, theirs = (Ours(*one), Ours(*two)), (Theirs(*one), Theirs(*two))
    assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
    assert (ours[0] != ours[1]) == (theirs[0] != theirs[1])
    assert hash(ours[0]) == hash(theirs[0])
    assert repr(ours[0]) == repr(theirs[0])
    assert {ours[0], ours[1]} == {Ours(*one), Ours(*two)}


def test_other_classes_are_not_equal_even_with_equal_fields() -> None:
    assert Ours(1) != Theirs(1)
    assert Ours(1).__eq__(Theirs(1)) is NotImplemented
    assert Ours(1) != (1, None, Fraction(1, 3), ())


@pytest.mark.parametrize("cls", [Ours, Theirs])
def test_a_record_refuses_changes_and_has_slots(cls: type[Any]) -> None:
    point = cls(1)
    with pytest.raises(FrozenInstanceError):
        point.a = 2
    with pytest.raises(FrozenInstanceError):
        del point.a
    assert not hasattr(point, "__dict__")
    assert cls.__match_args__ == ("a", "b", "c", "d")


def test_replace_fields_and_pickle_work_as_for_a_dataclass() -> None:
    point = Ours(1, "x")
    assert replace(point, a=2) == Ours(2, "x")
    assert [f.name for f in fields(point)] == ["a", "b", "c", "d"]
    assert dataclasses.is_dataclass(point)
    tagged = _Tagged("a", "n", {"x": 1}, "s")
    assert pickle.loads(pickle.dumps(tagged)) == tagged


@frozen
class _Tagged:
    """A record with fields left out of its comparison, its hash and its repr."""

    name: str
    note: str = field(default="", compare=False)
    cache: dict[str, int] = field(default_factory=dict, hash=False)
    secret: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a name")


@dataclass(frozen=True, slots=True)
class _TaggedTheirs:
    """The same, made by dataclass."""

    name: str
    note: str = field(default="", compare=False)
    cache: dict[str, int] = field(default_factory=dict, hash=False)
    secret: str = field(default="", repr=False)


def test_field_options_are_honoured() -> None:
    one, two = _Tagged("a", "one", {}, "s"), _Tagged("a", "two", {}, "s")
    assert one == two  # the note is not compared
    assert one != _Tagged("a", "one", {"x": 1}, "s")  # the cache is compared...
    assert hash(_Tagged("a", cache={})) == hash(_TaggedTheirs("a"))  # ...but not hashed
    assert repr(one).replace("_Tagged", "T") == repr(_TaggedTheirs("a", "one", {}, "s")).replace(
        "_TaggedTheirs", "T"
    )
    assert "secret" not in repr(one)
    with pytest.raises(ValueError, match="a name"):
        _Tagged("")


def test_a_class_s_own_methods_stay() -> None:
    @frozen
    class Shown:
        value: int

        def __repr__(self) -> str:
            return f"<{self.value}>"

    assert repr(Shown(3)) == "<3>"
    assert Shown(3) == Shown(3)


def test_a_class_that_defines_eq_alone_is_hashed_as_a_dataclass_is() -> None:
    def body() -> dict[str, object]:
        def __eq__(self: Any, other: object) -> bool:
            return isinstance(other, type(self)) and other.value % 10 == self.value % 10

        return {"__annotations__": {"value": "int"}, "__eq__": __eq__}

    ours: type[Any] = frozen(type("Mod", (), body()))
    theirs: type[Any] = dataclass(frozen=True, slots=True)(type("Mod", (), body()))
    assert ours(3) == ours(13)
    assert hash(ours(3)) == hash(theirs(3))
    explicit: type[Any] = frozen(
        type("Fixed", (), {"__annotations__": {"value": "int"}, "__hash__": lambda self: 7})
    )
    assert hash(explicit(1)) == 7


def test_a_record_that_holds_itself_prints() -> None:
    @frozen
    class Box:
        items: list[object]

    box = Box([])
    box.items.append(box)
    assert repr(box) == "test_a_record_that_holds_itself_prints.<locals>.Box(items=[...])"


def test_every_frozen_dataclass_of_the_package_is_made_by_frozen() -> None:
    """The start-up saving holds only if no module goes back to the slower decorator."""
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent / "src" / "ldncalc"
    slower = [
        f"{path.relative_to(source)}"
        for path in source.rglob("*.py")
        if "@dataclass(frozen=True, slots=True)\n" in path.read_text(encoding="utf-8")
    ]
    assert slower == []
