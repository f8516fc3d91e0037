"""The shapes of a measured dose: ``dose``, ``dose-table`` and ``mix`` (and their pieces)."""

from typing import Annotated, Literal, NotRequired, TypedDict

from ldncalc.render.shapes import KEBAB, LIQUID, RATIO, Disclaimer, Doc, Exact

__all__ = [
    "Assay",
    "Candidate",
    "CandidateDose",
    "Concentration",
    "DilutionStage",
    "DoseObject",
    "DoseRange",
    "DoseTableObject",
    "LiquidFields",
    "MeasuredDose",
    "MixObject",
    "Preparation",
    "Warning",
    "WaterGrams",
    "WaterMeasure",
]


# A concentration's exact fraction, and the water's weight, as several objects give them.
ExactConcentration = Annotated[
    str,
    Doc(
        "Optional (present only when the concentration's decimal never ends): the "
        "concentration as an exact fraction of mg/mL, 'numerator/denominator' in "
        "lowest terms, e.g. '5/3' for 50 mg in 30 mL.",
        pattern=RATIO,
    ),
]
WeighedWater = Annotated[
    float,
    Doc(
        "Optional (present only when the water is weighed): the scale's reading to "
        "weigh it to, in g (1 g a mL, to the nearest division).",
        exclusiveMinimum=0,
    ),
]


class Concentration(TypedDict):
    """A concentration, and its exact fraction when its decimal never ends (spread into others)."""

    concentration_mg_per_ml: float
    concentration_exact: NotRequired[str]


class WaterGrams(TypedDict, total=False):
    """The grams to weigh water to, when it is weighed (spread into others)."""

    water_g: float


class Preparation(TypedDict):
    """What is in the bottle: tablets dissolved in water, and the concentration that makes."""

    tablets: Annotated[
        int,
        Doc(
            "Whole tablets dissolved (suspended) in the water (count).",
            minimum=1,
        ),
    ]
    strength_mg: Annotated[float, Exact("Strength of one tablet, in mg.", exclusiveMinimum=0)]
    water_ml: Annotated[
        float,
        Exact(
            "Water the tablets are dissolved in, in mL.",
            exclusiveMinimum=0,
        ),
    ]
    concentration_mg_per_ml: Annotated[
        float,
        Exact(
            "Naltrexone per mL of the liquid, in mg/mL.",
            exclusiveMinimum=0,
        ),
    ]
    concentration_exact: NotRequired[ExactConcentration]
    water_g: NotRequired[WeighedWater]


class Warning(TypedDict):
    """A warning about the result as a whole."""

    code: Annotated[
        str,
        Doc(
            "Stable name of the warning, for programs (kebab-case, e.g. mark-changes-dose).",
            pattern=KEBAB,
        ),
    ]
    message: Annotated[str, Doc("The warning in one line, for people.", minLength=1)]


class DoseRange(TypedDict):
    """The lowest and highest dose the mark may really deliver, from the tablet's content,
    the water's measure and the reading of each mark; rounded outward, in mg.
    """

    low: Annotated[float, Exact("The lowest dose, rounded down, in mg.", exclusiveMinimum=0)]
    high: Annotated[float, Exact("The highest dose, rounded up, in mg.", exclusiveMinimum=0)]


class Assay(TypedDict):
    """What a tablet really holds, as shares of its label (1 = 100%; USP: 0.9 to 1.1), as
    the range assumes.
    """

    low: Annotated[
        float,
        Exact(
            "The least a tablet holds, as a share of its label (1 = 100%).",
            exclusiveMinimum=0,
        ),
    ]
    high: Annotated[
        float,
        Exact(
            "The most a tablet holds, as a share of its label (1 = 100%).",
            exclusiveMinimum=0,
        ),
    ]


class WaterMeasure(TypedDict):
    """How water is measured: fills of a syringe (each read to half a mark), or no syringe
    when the water's error was stated instead.
    """

    syringe_ml: Annotated[
        float | None,
        Doc(
            "Capacity of the syringe that measures the water, in mL; null when the error "
            "was stated instead.",
            exclusiveMinimum=0,
        ),
    ]
    graduation_ml: Annotated[
        float | None,
        Doc(
            "Distance between that syringe's marks, in mL; null with no syringe.",
            exclusiveMinimum=0,
        ),
    ]
    fills: Annotated[
        int,
        Doc(
            "How many fills of the syringe make the water (0 with no syringe).",
            minimum=0,
        ),
    ]
    scale_g: NotRequired[
        Annotated[
            float,
            Doc(
                "Optional (present only when the water is weighed): the scale's division, in g.",
                exclusiveMinimum=0,
            ),
        ]
    ]
    accuracy_g: NotRequired[
        Annotated[
            float,
            Doc(
                "Optional (present only when the water is weighed): how far the scale may be "
                "off, in g (one division unless stated); the weighing is within half a "
                "division plus this, and water's density (0.997 to 0.998 g/mL) is counted in "
                "water_error_ml.",
                minimum=0,
            ),
        ]
    ]
    unweighed: NotRequired[
        Annotated[
            Literal["under-ten-divisions", "syringe-closer"],
            Doc(
                "Optional (present only when a scale was given but the water is measured with"
                " the syringe): why. 'under-ten-divisions': less than ten divisions of the "
                "scale, where its reading is unreliable; 'syringe-closer': the syringe "
                "measures it more closely.",
            ),
        ]
    ]


class DilutionStage(TypedDict):
    """One dilution stage: take the aliquot of the shaken liquid, add the water, shake."""

    from_concentration_mg_per_ml: Annotated[
        float,
        Exact(
            "Concentration of the liquid the aliquot is taken from (the stock, or the "
            "stage before), in mg/mL.",
            exclusiveMinimum=0,
        ),
    ]
    aliquot_ml: Annotated[float, Exact("The shaken liquid taken, in mL.", exclusiveMinimum=0)]
    aliquot_syringe_ml: Annotated[
        float,
        Exact(
            "Capacity of the syringe that takes the aliquot, in mL.",
            exclusiveMinimum=0,
        ),
    ]
    aliquot_graduation_ml: Annotated[
        float,
        Exact(
            "Distance between that syringe's marks, in mL.",
            exclusiveMinimum=0,
        ),
    ]
    water_ml: Annotated[float, Exact("Water added to the aliquot, in mL.", exclusiveMinimum=0)]
    water_measure: WaterMeasure
    concentration_mg_per_ml: Annotated[
        float,
        Exact(
            "Concentration of the liquid this stage makes: the liquid's times aliquot / "
            "(aliquot + water), in mg/mL.",
            exclusiveMinimum=0,
        ),
    ]
    concentration_exact: NotRequired[ExactConcentration]
    water_g: NotRequired[WeighedWater]


class MeasuredDose(TypedDict):
    """One dose measured from a preparation: the volume, the syringe, the mark to draw to,
    what that mark delivers and the range the dose may really be in.
    """

    dose_mg: Annotated[float, Exact("The dose asked for, in mg.", exclusiveMinimum=0)]
    volume_ml: Annotated[
        float,
        Exact(
            "The exact volume that holds the dose, in mL of the liquid it is drawn from "
            "(the stock, or the last dilution).",
            exclusiveMinimum=0,
        ),
    ]
    syringe_ml: Annotated[
        float,
        Exact(
            "Capacity of the syringe to measure it with, in mL.",
            exclusiveMinimum=0,
        ),
    ]
    graduation_ml: Annotated[
        float,
        Exact(
            "Distance between the syringe's marks, in mL.",
            exclusiveMinimum=0,
        ),
    ]
    measured_volume_ml: Annotated[
        float,
        Exact(
            "The volume to draw: the nearest mark (over every fill when more than one), in mL.",
            exclusiveMinimum=0,
        ),
    ]
    fills: Annotated[
        int,
        Doc(
            "How many times the syringe is filled for one dose (1 when it holds the whole dose).",
            minimum=1,
        ),
    ]
    delivered_dose_mg: Annotated[
        float,
        Exact(
            "The dose the measured volume delivers, in mg.",
            exclusiveMinimum=0,
        ),
    ]
    error_percent: Annotated[
        float,
        Exact(
            "Change the mark makes to the dose, in percent of the dose asked for: "
            "(delivered - asked) / asked x 100; negative when the mark delivers less, 0 "
            "when the dose is on a mark.",
        ),
    ]
    range_mg: DoseRange
    range_percent: Annotated[
        float,
        Exact(
            "The largest share by which the dose taken may differ from the dose at the "
            "mark (the range's farther end), in percent.",
            minimum=0,
        ),
    ]
    assay: Assay
    draw_error_ml: Annotated[
        float,
        Exact(
            "The most the dose's draw may be off: half a mark per fill, in mL.",
            minimum=0,
        ),
    ]
    water_error_ml: Annotated[
        float,
        Exact(
            "The most the stock's water may be off, in mL (half a mark per fill of the "
            "syringe that measures it, or the error stated).",
            minimum=0,
        ),
    ]
    water_measure: WaterMeasure
    dilution: Annotated[
        list[DilutionStage],
        Doc(
            "The dilution stages that make the liquid the dose is drawn from, in order "
            "(empty when it is drawn from the stock; then volume_ml is a volume of the "
            "stock, otherwise of the last stage's liquid).",
        ),
    ]


class LiquidFields(TypedDict):
    """The liquid a volume is drawn from, and its concentration."""

    liquid: Annotated[
        str,
        Doc(
            "The liquid the volume is drawn from: 'stock' (tablets in water), or "
            "'dilution N' (the liquid made by the Nth dilution stage). A volume means "
            "nothing without it.",
            pattern=LIQUID,
        ),
    ]
    concentration_mg_per_ml: Annotated[
        float,
        Exact(
            "Concentration of the liquid the volume is drawn from, in mg/mL: the volume "
            "times it is the dose.",
            exclusiveMinimum=0,
        ),
    ]
    concentration_exact: NotRequired[
        Annotated[
            str,
            Doc(
                "Optional (present only when the concentration's decimal never ends): the "
                "drawn liquid's concentration as an exact fraction of mg/mL, "
                "'numerator/denominator' in lowest terms, e.g. '5/3' for 50 mg in 30 mL.",
                pattern=RATIO,
            ),
        ]
    ]


class DoseObject(MeasuredDose, LiquidFields):
    """One dose worked out for one preparation ('ldncalc dose --json')."""

    schema: str
    preparation: Preparation
    warnings: Annotated[
        list[Warning],
        Doc(
            "Warnings about the result (empty when there are none).",
        ),
    ]
    disclaimer: Disclaimer


class DoseTableObject(TypedDict):
    """The default table: one preparation and the volume of each dose ('ldncalc --json')."""

    schema: str
    preparation: Preparation
    doses: Annotated[list[MeasuredDose], Doc("Each dose of the table, smallest first.", minItems=1)]
    warnings: Annotated[list[Warning], Doc("Warnings about the doses (empty when there are none).")]
    disclaimer: Disclaimer


class CandidateDose(MeasuredDose):
    """One dose measured from a candidate preparation, with its own warnings."""

    warnings: Annotated[
        list[Warning],
        Doc(
            "Warnings about this dose from this preparation (a mark that changes it, a "
            "small fill...).",
        ),
    ]


class Candidate(TypedDict):
    """One preparation and how well it measures each dose."""

    preparation: Preparation
    exact: Annotated[
        bool,
        Doc(
            "Whether every dose is a good measurement: on a mark, in one fill, of a "
            "useful share of the syringe.",
        ),
    ]
    worst_error_percent: Annotated[
        float,
        Exact(
            "The largest change a mark makes to a dose, plus half a graduation of reading"
            " error, in percent.",
            minimum=0,
        ),
    ]
    worst_range_percent: Annotated[
        float,
        Exact(
            "The widest range of any dose (its range_percent), in percent.",
            minimum=0,
        ),
    ]
    worst_reading_error_percent: Annotated[
        float,
        Exact(
            "The largest reading error (half a graduation) as a share of the volume, in percent.",
            minimum=0,
        ),
    ]
    doses: Annotated[
        list[CandidateDose],
        Doc(
            "Each dose of the range measured from this preparation.",
            minItems=1,
        ),
    ]


class MixObject(TypedDict):
    """The preparations ranked for measuring a range of doses ('ldncalc mix --json'): exact
    ones first, then by the smallest worst-case error.
    """

    schema: str
    searched: Annotated[
        int,
        Doc(
            "How many preparations (tablets and water) were ranked.",
            minimum=0,
        ),
    ]
    candidates: Annotated[
        list[Candidate],
        Doc(
            "The best preparations, best first (empty when none can measure every dose).",
        ),
    ]
    warnings: Annotated[
        list[Warning],
        Doc(
            "Warnings about the result (empty when there are none).",
        ),
    ]
    disclaimer: Disclaimer
