"""The unit spellings people type, read without pint (a fixed table).

Building pint's registry costs more than the rest of ``ldncalc dose`` (about
125 ms at every start), while nearly everyone types one of a few spellings.
``ldncalc.units`` looks a unit up here first and asks pint only for the rest.
Keys are lower case, as ``units`` reads them; each value is the quantity's
kind and the exact size of one of that unit in the kind's base unit (mg, mL,
day, mg/mL). ``tests/test_units.py`` checks every entry against pint's
registry (``data/units.txt``), with every number form ldncalc accepts, so the
table can add speed but never a different answer.
"""

from __future__ import annotations

__all__ = ["BASE_UNIT", "SPELLINGS"]

# The unit each kind's factors are given in (what units._parse returns).
BASE_UNIT = {"mass": "mg", "volume": "mL", "time": "day", "concentration": "mg/mL"}

SPELLINGS: dict[str, tuple[str, str]] = {
    # a dose
    "mg": ("mass", "1"),
    "milligram": ("mass", "1"),
    "milligrams": ("mass", "1"),
    "mcg": ("mass", "1/1000"),
    "ug": ("mass", "1/1000"),
    "\u00b5g": ("mass", "1/1000"),  # the micro sign
    "\u03bcg": ("mass", "1/1000"),  # Greek mu
    "microgram": ("mass", "1/1000"),
    "micrograms": ("mass", "1/1000"),
    "g": ("mass", "1000"),
    "gram": ("mass", "1000"),
    "grams": ("mass", "1000"),
    # a volume
    "ml": ("volume", "1"),
    "milliliter": ("volume", "1"),
    "milliliters": ("volume", "1"),
    "millilitre": ("volume", "1"),
    "millilitres": ("volume", "1"),
    "cc": ("volume", "1"),
    "l": ("volume", "1000"),
    "liter": ("volume", "1000"),
    "liters": ("volume", "1000"),
    "litre": ("volume", "1000"),
    "litres": ("volume", "1000"),
    # a length of time
    "d": ("time", "1"),
    "day": ("time", "1"),
    "days": ("time", "1"),
    "w": ("time", "7"),
    "wk": ("time", "7"),
    "week": ("time", "7"),
    "weeks": ("time", "7"),
    # a concentration
    "mg/ml": ("concentration", "1"),
    "mcg/ml": ("concentration", "1/1000"),
    "ug/ml": ("concentration", "1/1000"),
}
