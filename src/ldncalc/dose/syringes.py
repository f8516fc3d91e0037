"""Oral syringes: the catalogue, choosing one for a volume, snapping to a mark.

A syringe is a capacity and a graduation (the spacing of its marks), both in
mL. Marks sit at whole multiples of the graduation; a volume is measured at
the nearest mark, halves going up, which is the one rounding ldncalc does.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import cache
from math import ceil

from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.frozen import frozen
from ldncalc.notation import format_volume_ml, round_half_up

__all__ = [
    "CATALOGUE",
    "KNOWN_SYRINGES",
    "SMALL_FILL_SHARE",
    "SMALL_VOLUME_ML",
    "Measurement",
    "Syringe",
    "choose_syringe",
    "draw_directly",
    "finer_syringes",
    "is_measurable",
    "measure",
    "needs_dilution",
    "parse_syringe",
]

MAX_CAPACITY_ML = Fraction(100)
MIN_GRADUATION_ML = Fraction(1, 1000)
# Measuring limits: errors above 5% are more likely below 20% of a syringe's
# capacity (Jordan et al. 2021); 1 mL syringes are inaccurate at 0.1 mL and
# below (Arenas-López et al. 2017).
SMALL_FILL_SHARE = Fraction(1, 5)
SMALL_VOLUME_ML = Fraction(1, 10)
CHANGE_NOTED = Fraction(2, 100)
"""A mark changing a dose by more than this is warned (preparation.MARK_WARN_ABOVE)."""
CLOSE_DRAW = Fraction(3, 200)
"""A draw measured within 1.5% (half a mark a fill): close enough to prefer fewer fills."""


@frozen
class Syringe:
    """An oral syringe: its capacity and the spacing of its marks, in mL."""

    capacity_ml: Fraction
    graduation_ml: Fraction

    def __post_init__(self) -> None:
        from ldncalc import inputs

        reader = "parse_syringe('5mL:0.1mL')"
        inputs.exact(self.capacity_ml, "a Syringe's capacity_ml", reader)
        inputs.exact(self.graduation_ml, "a Syringe's graduation_ml", reader)
        if self.graduation_ml <= 0 or self.capacity_ml <= 0:
            raise InvalidInputError(
                "a syringe's capacity and graduation must be more than zero", code="syringe-invalid"
            )
        if self.graduation_ml > self.capacity_ml:
            raise InvalidInputError(
                f"a graduation of {format_volume_ml(self.graduation_ml)} is larger than the "
                f"syringe ({format_volume_ml(self.capacity_ml)})",
                code="syringe-invalid",
            )
        if (self.capacity_ml / self.graduation_ml).denominator != 1:
            raise InvalidInputError(
                f"a {format_volume_ml(self.capacity_ml)} syringe cannot have marks every "
                f"{format_volume_ml(self.graduation_ml)}: its capacity must be a whole number "
                "of marks",
                code="syringe-invalid",
            )
        if self.capacity_ml > MAX_CAPACITY_ML:
            raise InvalidInputError(
                f"oral syringes hold at most {format_volume_ml(MAX_CAPACITY_ML)}; "
                f"{format_volume_ml(self.capacity_ml)} is not one",
                code="syringe-invalid",
            )
        if self.graduation_ml < MIN_GRADUATION_ML:
            raise InvalidInputError(
                f"no oral syringe has marks every {format_volume_ml(self.graduation_ml)}; "
                f"the finest is {format_volume_ml(MIN_GRADUATION_ML)}",
                code="syringe-invalid",
            )

    @property
    def label(self) -> str:
        """Name the syringe as a person would: '1 mL (0.01 mL marks)'."""
        return (
            f"{format_volume_ml(self.capacity_ml)} ({format_volume_ml(self.graduation_ml)} marks)"
        )

    def snap_ml(self, volume_ml: Fraction) -> Fraction:
        """Return the mark nearest ``volume_ml`` (halves go up)."""
        return round_half_up(volume_ml, self.graduation_ml)


def _syringe(capacity: str, graduation: str) -> Syringe:
    return Syringe(Fraction(capacity), Fraction(graduation))


CATALOGUE: tuple[Syringe, ...] = (
    _syringe("0.5", "0.01"),
    _syringe("1", "0.01"),
    _syringe("3", "0.1"),
    _syringe("5", "0.2"),
    _syringe("10", "0.2"),
)
"""Common oral syringes, smallest first, with their usual graduations."""


@frozen
class Measurement:
    """How a volume is drawn: on which syringe, to which mark, in how many fills."""

    syringe: Syringe
    volume_ml: Fraction
    measured_ml: Fraction
    fills: int

    @property
    def change(self) -> Fraction:
        """Return the relative change the mark makes: (measured - wanted) / wanted."""
        return (self.measured_ml - self.volume_ml) / self.volume_ml

    @property
    def fill_volumes_ml(self) -> tuple[Fraction, ...]:
        """Return the mark of each fill, larger fills first.

        Full syringes and the rest, when the rest is measured well; else fills
        as even as the marks allow (they differ by one mark at most): 1.1 mL on
        a 1 mL syringe is 0.55 mL twice, never 1 mL and then 0.1 mL, where
        syringes stop measuring well.
        """
        capacity = self.syringe.capacity_ml
        rest = self.measured_ml - (self.fills - 1) * capacity
        marks = self.measured_ml / self.syringe.graduation_ml
        if _fill_good(rest, capacity) or marks.denominator != 1:
            return (capacity,) * (self.fills - 1) + (rest,)
        each, more = divmod(marks.numerator, self.fills)
        grad = self.syringe.graduation_ml
        return (grad * (each + 1),) * more + (grad * each,) * (self.fills - more)

    @property
    def last_fill_ml(self) -> Fraction:
        """Return the mark to draw to on the last (or only) fill: the smallest."""
        return self.fill_volumes_ml[-1]

    @property
    def smallest_fill_good(self) -> bool:
        """Return whether every fill is above 0.1 mL and at 20% or more of the syringe."""
        return _fill_good(self.last_fill_ml, self.syringe.capacity_ml)

    @property
    def fill_fraction(self) -> Fraction:
        """Return how full the syringe is at the mark, on a single fill."""
        return self.last_fill_ml / self.syringe.capacity_ml

    @property
    def reading_uncertainty(self) -> Fraction:
        """Return half a graduation as a share of the volume wanted: the reading error bound."""
        return self.syringe.graduation_ml / 2 / self.volume_ml

    @property
    def on_mark(self) -> bool:
        """Return whether the volume wanted is exactly on a mark (the mark changes nothing)."""
        return self.measured_ml == self.volume_ml

    @property
    def full_fills(self) -> int:
        """Return how many fills come before the last one."""
        return self.fills - 1

    @property
    def good(self) -> bool:
        """Return whether this is a good measurement: on a mark, one fill, not too small.

        The volume wanted is exactly on a mark and :func:`is_measurable` holds:
        the one definition of "a good mark" that every part of ldncalc uses.
        """
        return self.on_mark and is_measurable(self.measured_ml, self.syringe)


def _fill_good(volume_ml: Fraction, capacity_ml: Fraction) -> bool:
    return volume_ml > SMALL_VOLUME_ML and volume_ml >= SMALL_FILL_SHARE * capacity_ml


@cache
def _by_size(syringes: tuple[Syringe, ...]) -> tuple[Syringe, ...]:
    return tuple(sorted(syringes, key=lambda s: (s.capacity_ml, s.graduation_ml)))


def choose_syringe(volume_ml: Fraction, syringes: tuple[Syringe, ...] = CATALOGUE) -> Syringe:
    """Return the smallest syringe that holds ``volume_ml`` in one fill, else the largest."""
    by_size = _by_size(syringes)
    for syringe in by_size:
        if volume_ml <= syringe.capacity_ml:
            return syringe
    return by_size[-1]


def measure(volume_ml: Fraction, syringes: tuple[Syringe, ...] = CATALOGUE) -> Measurement:
    """Measure ``volume_ml``: choose a syringe and snap to its nearest mark.

    Raises:
        RefusedError: the volume is less than half the syringe's finest mark.
    """
    from ldncalc import inputs

    volume_ml = inputs.volume_ml(volume_ml, "volume_ml")
    syringes = inputs.items_of(syringes, Syringe, "syringes")
    if not syringes:
        raise InvalidInputError("give at least one syringe", code="no-syringe")
    syringe = choose_syringe(volume_ml, syringes)
    measured = syringe.snap_ml(volume_ml)
    if measured == 0:
        raise RefusedError(
            f"{format_volume_ml(volume_ml)} is less than half the finest mark "
            f"({format_volume_ml(syringe.graduation_ml)}); it cannot be measured",
            code="draw-too-small",
        )
    fills = max(1, ceil(measured / syringe.capacity_ml))
    return Measurement(syringe, volume_ml, measured, fills)


_SYRINGE_TEXT = re.compile(r"\s*(?P<capacity>[^:]+?)\s*(?::\s*(?P<graduation>.+?)\s*)?")


def parse_syringe(text: str) -> Syringe:
    """Read a syringe such as ``5mL:0.1mL``, ``5:0.1`` or ``3 mL`` (catalogue marks).

    Raises:
        InvalidInputError: unreadable, or a capacity not in the catalogue without marks.
    """
    from ldncalc.inputs import text as checked_text
    from ldncalc.units import read_volume_ml

    match = _SYRINGE_TEXT.fullmatch(checked_text(text, "a syringe", "5mL:0.1mL"))
    if match is None or not text.strip():
        raise InvalidInputError(
            f"{text!r} is not a syringe; write its capacity and marks, e.g. 5mL:0.1mL",
            code="syringe-unreadable",
        )
    try:
        capacity = read_volume_ml(match["capacity"])
        graduation = None if match["graduation"] is None else read_volume_ml(match["graduation"])
    except InvalidInputError as exc:
        raise InvalidInputError(
            f"{text.strip()!r} is not a syringe ({exc}); write its capacity and marks, "
            "e.g. 5mL:0.1mL",
            code="syringe-unreadable",
        ) from exc
    if graduation is None:
        for syringe in CATALOGUE:
            if syringe.capacity_ml == capacity:
                return syringe
        held = format_volume_ml(capacity)
        raise InvalidInputError(
            f"no catalogue syringe holds {held}; {_marks_hint(text, capacity)}",
            code="syringe-unreadable",
        )
    return Syringe(capacity, graduation)


def _marks_hint(text: str, capacity: Fraction) -> str:
    """Say how to give a syringe's marks: an example that would be accepted, or why none is."""
    for marks in ("0.1mL", "0.01mL", "0.001mL"):
        try:
            Syringe(capacity, Fraction(marks.removesuffix("mL")))
        except InvalidInputError:
            continue
        return f"give its marks too, e.g. {text.strip()}:{marks}"
    if capacity > MAX_CAPACITY_ML:
        return f"oral syringes hold at most {format_volume_ml(MAX_CAPACITY_ML)}"
    return "no oral syringe has that capacity; give one you have, e.g. 5mL:0.1mL"


def needs_dilution(
    volume_ml: Fraction,
    syringe: Syringe | None = None,
    *,
    syringes: tuple[Syringe, ...] = CATALOGUE,
    min_volume_ml: Fraction = SMALL_VOLUME_ML,
) -> bool:
    """Return whether ``volume_ml`` is too small to draw well.

    Too small: at or below ``min_volume_ml`` (0.1 mL), or under 20% of
    ``syringe`` (default the smallest of ``syringes`` that holds it). Pass the
    mark that would be drawn: 0.102 mL is drawn to 0.1 mL, which is too small.

    Raises:
        InvalidInputError: a volume at or below zero.
    """
    if volume_ml <= 0:
        raise InvalidInputError(
            f"a volume to draw must be more than 0 mL, not {format_volume_ml(volume_ml)}",
            code="volume-not-positive",
        )
    chosen = syringe if syringe is not None else choose_syringe(volume_ml, syringes)
    return volume_ml <= min_volume_ml or volume_ml < SMALL_FILL_SHARE * chosen.capacity_ml


def draw_directly(
    volume_ml: Fraction,
    syringes: tuple[Syringe, ...] = CATALOGUE,
    min_volume_ml: Fraction = SMALL_VOLUME_ML,
    *,
    closest: bool = False,
    on_mark_first: bool = False,
) -> Measurement | None:
    """Return how ``volume_ml`` is drawn as it is, or None if it must be diluted first.

    Every syringe that draws it is a candidate: in one fill, a mark above
    ``min_volume_ml`` and at 20% or more of the syringe; in several, fills as
    even as the marks allow (a fill still too small ranks last and is warned).
    The mark decides, not the volume: 0.102 mL is drawn to the 0.1 mL mark,
    which is too small. Among the candidates: the fewest fills, then the
    smallest syringe. With ``on_mark_first`` (the syringes a person owns), a
    mark that changes the dose by more than 2% ranks after one that does not.
    With ``closest`` (ldncalc chooses, for a scale's accuracy): the fewest
    fills among those whose measuring error (half a mark a fill, plus what
    the mark changes) is within :data:`CLOSE_DRAW`, else the smallest error.
    """
    from ldncalc import inputs

    volume_ml = inputs.volume_ml(volume_ml, "volume_ml")
    best: tuple[tuple[object, ...], Measurement] | None = None
    for syringe in _by_size(syringes):
        measured = syringe.snap_ml(volume_ml)
        if measured == 0:  # below half the syringe's mark: it rounds to nothing
            continue
        fills = max(1, ceil(measured / syringe.capacity_ml))
        m = Measurement(syringe, volume_ml, measured, fills)
        if fills == 1 and any(  # the volume asked and its mark: both must be drawn well
            needs_dilution(v, syringe, min_volume_ml=min_volume_ml) for v in (volume_ml, measured)
        ):
            continue
        small = not m.smallest_fill_good
        error = abs(m.change) + fills * syringe.graduation_ml / 2 / measured
        # Ranked by what holds the volume asked, as choose_syringe does: 3.002 mL goes to a
        # 5 mL syringe, though its 3 mL mark would fit a 3 mL one.
        holds = max(fills, ceil(volume_ml / syringe.capacity_ml))
        order = (holds, syringe.capacity_ml, syringe.graduation_ml)
        if closest:
            key: tuple[object, ...] = (
                small,
                error > CLOSE_DRAW,
                0 if error <= CLOSE_DRAW else error,
            )
        else:
            key = (small, on_mark_first and abs(m.change) > CHANGE_NOTED)
        key += order
        if best is None or key < best[0]:
            best = (key, m)
    return None if best is None else best[1]


def is_measurable(
    volume_ml: Fraction, syringe: Syringe, min_volume_ml: Fraction = SMALL_VOLUME_ML
) -> bool:
    """Return whether one fill of ``syringe`` measures ``volume_ml`` well.

    Well means: exactly on a mark, within the syringe, above ``min_volume_ml``
    (0.1 mL: oral syringes are inaccurate at and below it) and at 20% or more
    of the syringe (errors grow below that).
    """
    # In integers, cross-multiplied (every denominator is positive): the dilution
    # search asks this of thousands of volumes, and no Fraction is made.
    vn, vd = volume_ml.numerator, volume_ml.denominator
    mark, capacity, least = syringe.graduation_ml, syringe.capacity_ml, min_volume_ml
    cn, cd = capacity.numerator, capacity.denominator
    return (
        (vn * mark.denominator) % (vd * mark.numerator) == 0
        and least.numerator * vd < vn * least.denominator
        and vn * cd <= cn * vd
        and vn * cd * SMALL_FILL_SHARE.denominator >= SMALL_FILL_SHARE.numerator * cn * vd
    )


KNOWN_SYRINGES: tuple[Syringe, ...] = (
    Syringe(Fraction(1), Fraction(1, 50)),
    Syringe(Fraction(5), Fraction(1, 10)),
    Syringe(Fraction(10), Fraction(1, 2)),
)
"""Real oral syringes beyond the catalogue (DOMAIN.md: 1 mL with 0.02 mL marks,
5 mL with 0.1 mL marks, 10 mL with 0.5 mL marks)."""


def finer_syringes(
    volume_ml: Fraction,
    than: Syringe | None = None,
    *,
    syringes: tuple[Syringe, ...] = CATALOGUE + KNOWN_SYRINGES,
    min_volume_ml: Fraction = SMALL_VOLUME_ML,
) -> tuple[Syringe, ...]:
    """Return the syringes that measure ``volume_ml`` well, on a mark, finest marks first.

    Args:
        volume_ml: the volume to draw.
        than: keep only syringes with finer marks than this one.
        syringes: where to look (default the catalogue and :data:`KNOWN_SYRINGES`).
        min_volume_ml: the volume a good draw must exceed (0.1 mL).
    """
    found = {
        s
        for s in syringes
        if is_measurable(volume_ml, s, min_volume_ml)
        and (than is None or s.graduation_ml < than.graduation_ml)
    }
    return tuple(sorted(found, key=lambda s: (s.graduation_ml, s.capacity_ml)))
