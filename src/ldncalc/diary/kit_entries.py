"""The kit's entries: the changes of a profile's kit, checked when they are made.

As the day's records (:mod:`ldncalc.diary.entries`, whose ``Payload`` they
join), each class is the one definition of its stored shape; its limits are
the dose wing's (a :class:`~ldncalc.dose.syringes.Syringe`, a
:class:`~ldncalc.dose.kit.Scale`), so a kit holds nothing the dose wing
would refuse. :mod:`ldncalc.diary.kit` folds them into the kit.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, TypeAlias

from ldncalc.diary.fields import EXACT_TEXT as _MG
from ldncalc.diary.fields import Doc, exact_number, positive_number
from ldncalc.errors import ArgumentTypeError, InvalidInputError
from ldncalc.frozen import frozen

__all__ = ["KitChange", "KitScale", "KitSyringeAdded", "KitSyringeRemoved", "KitTime"]


def _check_syringe(payload: KitSyringeAdded | KitSyringeRemoved) -> None:
    from ldncalc.dose.syringes import Syringe

    capacity = positive_number(payload.capacity_ml, "the syringe's capacity")
    graduation = positive_number(payload.graduation_ml, "the syringe's graduation")
    Syringe(capacity, graduation)  # the limits every syringe keeps
    object.__setattr__(payload, "capacity_ml", capacity)
    object.__setattr__(payload, "graduation_ml", graduation)


@frozen
class KitSyringeAdded:
    """A syringe the person owns, added to the profile's kit."""

    capacity_ml: Annotated[Fraction, Doc(f"The syringe's capacity, in mL {_MG}.")]
    graduation_ml: Annotated[Fraction, Doc(f"The spacing of the syringe's marks, in mL {_MG}.")]

    def __post_init__(self) -> None:
        _check_syringe(self)


@frozen
class KitSyringeRemoved:
    """A syringe taken out of the profile's kit."""

    capacity_ml: Annotated[Fraction, Doc(f"The syringe's capacity, in mL {_MG}.")]
    graduation_ml: Annotated[Fraction, Doc(f"The spacing of the syringe's marks, in mL {_MG}.")]

    def __post_init__(self) -> None:
        _check_syringe(self)


@frozen
class KitScale:
    """The kitchen scale the water is weighed on (both null: no scale in the kit)."""

    resolution_g: Annotated[
        Fraction | None,
        Doc(f"The scale's division (what it reads to), in g {_MG}; null: no scale."),
    ]
    accuracy_g: Annotated[
        Fraction | None,
        Doc(f"The most a reading may be off, in g {_MG} (one division unless told); null."),
    ]

    def __post_init__(self) -> None:
        if (self.resolution_g is None) != (self.accuracy_g is None):
            raise InvalidInputError(
                "a scale needs both its division and its accuracy", code="scale-invalid"
            )
        if self.resolution_g is not None and self.accuracy_g is not None:
            from ldncalc.dose.kit import Scale

            resolution = exact_number(self.resolution_g, "the scale's division")
            accuracy = exact_number(self.accuracy_g, "the scale's accuracy")
            Scale(resolution, accuracy)  # the limits every scale keeps (scale-invalid)
            object.__setattr__(self, "resolution_g", resolution)
            object.__setattr__(self, "accuracy_g", accuracy)


@frozen
class KitTime:
    """The hour of the dose, on the 24-hour clock in local time (null: none set)."""

    time: Annotated[
        str | None, Doc("The time of the dose, HH:MM on the 24-hour clock; null: no time.")
    ]

    def __post_init__(self) -> None:
        if self.time is None:
            return
        from ldncalc.dates import parse_time_of_day

        if not isinstance(self.time, str):
            raise ArgumentTypeError(f"the time of the dose must be text HH:MM, not {self.time!r}")
        read = parse_time_of_day(self.time)
        assert read is not None
        object.__setattr__(self, "time", read.strftime("%H:%M"))


KitChange: TypeAlias = KitSyringeAdded | KitSyringeRemoved | KitScale | KitTime
"""An entry's payload that changes the kit."""
