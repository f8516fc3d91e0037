"""A dilution's parts: a stage (take A mL of the liquid, add B mL of water) and a plan.

Split from :mod:`ldncalc.dose.dilution` (which re-exports them), whose search builds them.
"""

from __future__ import annotations

from fractions import Fraction

from ldncalc.dose.accuracy import DilutionFactor, DoseRange, WaterMeasure
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import InvalidInputError
from ldncalc.frozen import frozen

__all__ = ["DilutionPlan", "DilutionStage"]


@frozen
class DilutionStage:
    """Take ``aliquot_ml`` of the shaken liquid, add ``water_ml`` of water, shake.

    Raises:
        InvalidInputError: a concentration that is not the liquid's times A / (A + B).
    """

    from_concentration_mg_per_ml: Fraction
    aliquot_ml: Fraction
    aliquot_syringe: Syringe
    water_ml: Fraction
    water_measure: WaterMeasure
    concentration_mg_per_ml: Fraction
    number: int = 0
    """The liquid's number among a schedule's dilutions (0: its place in its chain)."""

    def __post_init__(self) -> None:
        if self.concentration_mg_per_ml != self.from_concentration_mg_per_ml * self.factor.nominal:
            raise InvalidInputError(
                "a dilution's concentration is the liquid's times aliquot / (aliquot + water)",
                code="dilution-inconsistent",
            )

    @property
    def total_ml(self) -> Fraction:
        """Return the liquid this stage makes: aliquot plus water."""
        return self.aliquot_ml + self.water_ml

    @property
    def factor(self) -> DilutionFactor:
        """Return the stage as the range sees it: each volume with its reading error."""
        return DilutionFactor(
            self.aliquot_ml,
            self.aliquot_syringe.graduation_ml / 2,
            self.water_ml,
            self.water_measure.error_ml,
        )


@frozen
class DilutionPlan:
    """How to draw one dose: the dilution stages (maybe none), then the draw.

    ``range`` is the delivered-dose range of the whole chain (stock, stages,
    draw). ``waste_ml`` is the diluted liquid made but not used for this dose
    (nothing, with no stages). With no stages the dose is drawn from the stock
    at the nearest mark, which may change it (``change``); with stages the
    mark holds the dose asked, exactly.
    """

    stages: tuple[DilutionStage, ...]
    final_concentration_mg_per_ml: Fraction
    dose_volume_ml: Fraction
    dose_syringe: Syringe
    range: DoseRange
    waste_ml: Fraction
    dose_mg: Fraction
    stock_concentration_mg_per_ml: Fraction
    dose_fills: int = 1

    @property
    def delivered_mg(self) -> Fraction:
        """Return the dose at the mark (the range's nominal)."""
        return self.range.nominal_mg

    @property
    def change(self) -> Fraction:
        """Return what the mark changes: (delivered - asked) / asked; 0 with stages."""
        return (self.delivered_mg - self.dose_mg) / self.dose_mg

    @property
    def stock_used_ml(self) -> Fraction:
        """Return the stock this dose takes: the first aliquot, or the dose itself."""
        return self.stages[0].aliquot_ml if self.stages else self.dose_volume_ml

    @property
    def made_ml(self) -> Fraction:
        """Return the diluted liquid made, all stages together."""
        return sum((s.total_ml for s in self.stages), Fraction(0))
