"""The stock a dilution starts from, how strong it may be, and the range of a dose drawn from it."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ldncalc.dose.accuracy import Assay, DilutionFactor, DoseRange, WaterMeasure, dose_range
from ldncalc.frozen import frozen

__all__ = ["SOLUBILITY_MG_PER_ML", "Ratio", "Stock"]

# Naltrexone hydrochloride dissolves at about 100 mg/mL (REVIA label).
SOLUBILITY_MG_PER_ML = Fraction(100)

Ratio = tuple[int, int]
"""A positive rational as (numerator, denominator), not necessarily reduced."""


@frozen
class Stock:
    """The stock a plan starts from: tablets in water, how the water was measured, the assay."""

    tablets: int
    strength_mg: Fraction
    water_ml: Fraction
    water: WaterMeasure
    assay: Assay

    @property
    def concentration_mg_per_ml(self) -> Fraction:
        return self.tablets * self.strength_mg / self.water_ml

    def range(
        self,
        drawn_ml: Fraction,
        graduation_ml: Fraction,
        stages: Sequence[DilutionFactor] = (),
        fills: int = 1,
    ) -> DoseRange:
        return dose_range(
            self.tablets,
            self.strength_mg,
            self.water,
            self.water_ml,
            drawn_ml,
            graduation_ml,
            self.assay,
            stages,
            draw_fills=fills,
        )

    def ratios(self) -> tuple[Ratio, Ratio]:
        """Return the stock's low and high over its nominal from its water alone, as ratios.

        The assay multiplies every plan alike, so it is left out of the ranking.
        """
        w, e = self.water_ml, self.water.error_ml
        return (w.numerator * (w + e).denominator, w.denominator * (w + e).numerator), (
            w.numerator * (w - e).denominator,
            w.denominator * (w - e).numerator,
        )
