"""Frozen records: ``@frozen`` is ``@dataclass(frozen=True, slots=True)`` that starts faster.

ldncalc's values (an entry, a step, a syringe, a day's status) are frozen
dataclasses with slots. On Python 3.11 and 3.12 ``dataclass`` writes each
generated method as source text and compiles it with ``exec``, one method at a
time: six compilations for a frozen class, 0.3 to 0.4 ms, and the daily
``today`` defines some fifty of them at every start (issue 25;
docs/performance.md). ``@frozen`` lets ``dataclass`` write what must be
generated (``__init__``, and the frozen ``__setattr__``/``__delattr__`` it
pairs with) and gives ``__eq__``, ``__hash__`` and ``__repr__`` as the
ordinary functions below, compiled once into this module's bytecode: the
same behaviour as on Python 3.11 and 3.12 (field tuples compared, only
between objects of the same class; ``compare``, ``hash`` and ``repr`` of
``field()`` honoured; the same ``repr`` text), half the compilations.

Everything else is the standard library's: ``dataclasses.fields``,
``replace``, ``field(default_factory=...)``, ``__post_init__`` and
``__match_args__``. Type checkers see a frozen dataclass
(``dataclass_transform``). ``tests/test_frozen.py`` checks it against
``dataclass`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from reprlib import recursive_repr

# Not typing.TYPE_CHECKING: importing typing costs start-up time.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    _T = TypeVar("_T")
else:

    def dataclass_transform(**_options):
        """At run time, the decorator unchanged (its options are for type checkers)."""
        return lambda decorated: decorated


__all__ = ["frozen"]


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """Return a function giving an object's values of ``names`` as one tuple."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        (name,) = names
        return lambda obj: (getattr(obj, name),)
    return lambda obj: ()


def _eq(self: Any, other: object) -> bool:
    key: Callable[[object], tuple[object, ...]] = self.__frozen_compared__
    if other.__class__ is self.__class__:
        return key(self) == key(other)
    return NotImplemented  # type: ignore[no-any-return, unused-ignore]  # Any in typeshed


def _hash(self: Any) -> int:
    return hash(self.__frozen_hashed__(self))


@recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__frozen_shown__)
    return f"{self.__class__.__qualname__}({shown})"


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def frozen(cls: type[_T], /) -> type[_T]:
    """Return ``cls`` made a frozen dataclass with slots, its comparisons and repr as above."""
    made: Any = dataclass(frozen=True, slots=True, repr=False, eq=False)(cls)
    known = fields(made)
    made.__frozen_compared__ = staticmethod(_getter(tuple(f.name for f in known if f.compare)))
    made.__frozen_hashed__ = staticmethod(
        _getter(tuple(f.name for f in known if (f.compare if f.hash is None else f.hash)))
    )
    made.__frozen_shown__ = tuple(f.name for f in known if f.repr)
    own = cls.__dict__
    # A method of the class's own stays, as with dataclass; a class that defines
    # __eq__ alone has a __hash__ of None, which dataclass replaces too.
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if "__eq__" not in own:
        made.__eq__ = _eq
    if not explicit_hash:
        made.__hash__ = _hash
    if "__repr__" not in own:
        made.__repr__ = _repr
    return made  # type: ignore[no-any-return]
