"""How long a bottle keeps and what stays in it: the beyond-use period and the reserve.

A bottle may be used from the day it is mixed to the last day of its
beyond-use period (14 days, refrigerated: USP <795>), and no planned dose
takes its last millilitres (a syringe cannot draw them, and some liquid is
lost): what both a schedule's dilutions (:mod:`ldncalc.plan.dilutions`) and
its batches (:mod:`ldncalc.plan.supply`) plan with.
"""

from __future__ import annotations

from fractions import Fraction

__all__ = [
    "DEFAULT_KEEP_DAYS",
    "MAX_KEEP_DAYS",
    "MIN_RESERVE_ML",
    "RESERVE_SHARE",
    "default_reserve_ml",
]

DEFAULT_KEEP_DAYS = 14
MAX_KEEP_DAYS = 90
RESERVE_SHARE = Fraction(1, 10)
MIN_RESERVE_ML = Fraction(2)


def default_reserve_ml(volume_ml: Fraction) -> Fraction:
    """Return the reserve a bottle of ``volume_ml`` keeps: 10% of it, at least 2 mL."""
    return max(volume_ml * RESERVE_SHARE, MIN_RESERVE_ML)
