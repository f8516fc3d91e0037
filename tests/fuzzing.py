"""Shared pieces of the CLI tests and the fuzz suite: the runner, the invariants, the counter.

Every in-process run goes through :func:`ldncalc.cli.run`, the entry point that
maps errors to exit codes and ``Error:`` lines, exactly as the installed
``ldncalc`` command does; typer's ``CliRunner`` only provides the isolation
(captured streams, environment).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from hypothesis import strategies as st
from typer.testing import CliRunner

from ldncalc.cli import run

# Fuzz cases per test: about 1,500 generated CLI cases in every run (the count is
# printed at the end of the test session), within the 20 s a test file may take.
EXAMPLES = {
    "dose": 300,
    "dose_text": 300,
    "options": 250,
    "option_text": 150,
    "schedule": 150,
    "mix": 25,
    "protocols": 80,
}


@dataclass
class Counter:
    cases: int = 0


COUNTER = Counter()
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_RUNNER = CliRunner()


@dataclass(frozen=True, slots=True)
class CliResult:
    """What one run of the CLI printed, and its exit code."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Return stdout then stderr, for assertion messages."""
        return self.stdout + self.stderr


def cli(
    *args: str,
    width: int = 80,
    env: Mapping[str, str | None] | None = None,
    stdin: str | None = None,
) -> CliResult:
    """Run ``ldncalc ARGS`` in-process through its entry point and capture what it prints.

    ``env`` is laid over ``COLUMNS=width`` and ``NO_COLOR=1``; a value of None
    removes the variable. Line ends are kept as written (CSV uses CRLF).
    """
    full_env: dict[str, str | None] = {"COLUMNS": str(width), "NO_COLOR": "1", **(env or {})}
    with _RUNNER.isolation(input=stdin, env=full_env) as (out, err, _):
        code = run(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8")
        stderr = err.getvalue().decode("utf-8")
    return CliResult(code, stdout, stderr)


def invoke(*args: str, width: int = 80, env: Mapping[str, str | None] | None = None) -> CliResult:
    """Run the CLI in-process and count the case (the fuzz suite's runner)."""
    COUNTER.cases += 1
    return cli(*args, width=width, env=env)


def check_invariants(result: CliResult, *, json_errors: bool = False) -> None:
    """Never a traceback; exit 0, 1 or 2; a failure is exactly one error line and no stdout.

    The error line is ``Error: ...``, or under ``--json`` (``json_errors``) one JSON
    object ``{"error": {"code": ..., "message": ...}}``.
    """
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1, 2), result.exit_code
    if result.exit_code == 0:
        assert result.stderr == "" or result.stderr.startswith("Wrote "), result.stderr
        return
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    if json_errors:
        error = json.loads(lines[0])["error"]
        assert set(error) == {"code", "message"}, error
        message = error["message"]
    else:
        assert lines[0].startswith("Error: "), lines[0]
        message = lines[0]
    assert "unexpected internal error" not in message, message
    assert "interrupted; nothing more was done" not in message, message
    assert result.stdout == ""


# Numbers in every notation people (and keyboards) produce.
odd_numbers = st.sampled_from(
    [
        ".5",
        "5.",
        "0.5",
        "00.5",
        "4,5",
        "4,500",
        "4.500,0",
        "1 000",
        "1_000",
        "1e999",
        "1e-999",
        "1E3",
        "-0",
        "+0",
        "-0.0",
        "+4.5",
        "--4",
        "+-4",
        "4.5.5",
        "4.5e",
        "e5",
        "0x10",
        "½",
        "4½",
        "1/2",
        "٤٫٥",
        "٤",
        "\uff14.\uff15",
        "४.५",
        "4\u00a05",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "∞",
        "4.5" * 20,
        "9" * 40,
        "0." + "0" * 30 + "1",
        "",
        "  ",
        "\t4.5",
        "4.5\n",
        "١٠",
    ]
)
numbers = st.one_of(
    odd_numbers,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=1e-6, max_value=1e4).map(lambda f: f"{f:.6g}"),
    st.decimals(min_value="0.001", max_value="60", places=3).map(str),
    st.integers(-(10**25), 10**25).map(str),
)
units = st.sampled_from(
    [
        "",
        "mg",
        "mcg",
        "ug",
        "µg",
        "μg",
        "g",
        "kg",
        "MG",
        "Mg",
        "mgs",
        "milligram",
        "milligrams",
        "micrograms",
        "mL",
        "ml",
        "L",
        "cc",
        "tsp",
        "teaspoon",
        "drops",
        "cup",
        "fl oz",
        "mgg",
        "mm",
        "m",
        "d",
        "days",
        "w",
        "weeks",
        "mg/mL",
        "%",
        "IU",
        "µ",
        "grain",
        "mg mg",
        "mg)",
        "(mg",
        "m g",
        "ｍｇ",
    ]
)
separators = st.sampled_from(["", " ", "  ", "\t"])
# Plausible doses, so that the success path is explored as hard as the refusals.
plausible = st.builds(
    lambda n, s, u: f"{n}{s}{u}",
    st.decimals(min_value="0.01", max_value="50", places=3).map(str),
    separators,
    st.sampled_from(["", "mg", "mcg", "ug", "µg", "g", "MG"]),
)
quantity_texts = st.one_of(
    plausible,
    plausible,
    st.builds(lambda n, s, u: f"{n}{s}{u}", numbers, separators, units),
    st.text(max_size=30),
    st.text(min_size=100, max_size=300),
)


# --- An oracle written from the domain rules, with plain fractions -------------------------
# Nothing below calls ldncalc: the tests compare ldncalc's answers with these.

F = Fraction
# Common oral syringes (capacity, graduation) in mL, smallest first (DOMAIN.md).
SYRINGES_ML: tuple[tuple[Fraction, Fraction], ...] = (
    (F(1, 2), F(1, 100)),
    (F(1), F(1, 100)),
    (F(3), F(1, 10)),
    (F(5), F(1, 5)),
    (F(10), F(1, 5)),
)
FIFTY = F(50)  # mg in the usual tablet; mL of water in the usual recipe
ASSAY = (F(9, 10), F(11, 10))  # a tablet holds 90% to 110% of its label (USP)
MIN_DOSE_MG = F(1, 1000)  # 1 mcg: below it is an ultra-low dose
# Refusals, by the words the message uses.
MORE_THAN_PREPARATION = "more than the whole preparation holds"
ULTRA_LOW = "ultra-low dose (below 1 mcg)"
MORE_THAN_BOTTLE = "more than the stock holds"
MARK_TOO_COARSE = "more than 10%"
NO_DILUTION = "no dilution of one or two stages"


def nearest_mark(volume: Fraction, graduation: Fraction) -> Fraction:
    """Return the multiple of ``graduation`` nearest ``volume``, halves going up."""
    marks = volume / graduation
    whole = marks.numerator // marks.denominator
    return (whole + (1 if marks - whole >= F(1, 2) else 0)) * graduation


def pick_syringe(
    volume: Fraction, syringes: tuple[tuple[Fraction, Fraction], ...] = SYRINGES_ML
) -> tuple[Fraction, Fraction]:
    """Return the smallest syringe that holds ``volume`` in one fill, else the largest."""
    by_size = sorted(syringes)
    return next((s for s in by_size if volume <= s[0]), by_size[-1])


def fills_of(volume: Fraction, capacity: Fraction) -> int:
    return max(1, -(-volume // capacity))


def too_small_to_draw(volume: Fraction, capacity: Fraction) -> bool:
    """At or below 0.1 mL, or under 20% of the syringe: drawn badly (DOMAIN.md)."""
    return volume <= F(1, 10) or volume < capacity / 5


def good_draw(volume: Fraction, capacity: Fraction, graduation: Fraction) -> bool:
    """One fill, on a mark, above 0.1 mL, at least 20% of the syringe."""
    return (
        F(1, 10) < volume <= capacity
        and volume >= capacity / 5
        and (volume / graduation).denominator == 1
    )


def water_error(water_ml: Fraction) -> Fraction:
    """How far the stock's water may be off: half a mark per fill of the catalogue syringe
    that puts it on its marks in the fewest fills (ties: finer marks, smaller syringe);
    if none does, the fewest fills plus the step to the nearest mark."""
    on_marks = [
        (fills_of(water_ml, c), g, c) for c, g in SYRINGES_ML if (water_ml / g).denominator == 1
    ]
    if on_marks:
        fills, graduation, _ = min(on_marks)
        return fills * graduation / 2
    fills, graduation, capacity = min((fills_of(water_ml, c), g, c) for c, g in SYRINGES_ML)
    full = (fills - 1) * capacity
    step = abs(nearest_mark(water_ml - full, graduation) + full - water_ml)
    return fills * graduation / 2 + step


@dataclass(frozen=True, slots=True)
class Expected:
    """What measuring one dose should give, or why it should be refused.

    ``diluted``: the stock cannot be drawn well at this dose, so a dilution is
    planned (its stages are checked by their own rules, not predicted here).
    """

    dose_mg: Fraction
    concentration: Fraction
    volume_ml: Fraction
    capacity_ml: Fraction
    graduation_ml: Fraction
    mark_ml: Fraction
    fills: int
    refusals: tuple[str, ...]
    diluted: bool
    total_mg: Fraction
    water_ml: Fraction

    @property
    def delivered_mg(self) -> Fraction:
        return self.mark_ml * self.concentration

    @property
    def change(self) -> Fraction:
        return (self.mark_ml - self.volume_ml) / self.volume_ml

    @property
    def draw(self) -> tuple[int, Fraction, Fraction]:
        """Return (full fills, capacity, last fill): 8 x 0.5 mL + 0.5 mL is 9 full fills."""
        full = self.fills - 1
        last = self.mark_ml - full * self.capacity_ml
        if last == self.capacity_ml:
            return self.fills, self.capacity_ml, F(0)
        return full, self.capacity_ml, last

    @property
    def range_mg(self) -> tuple[Fraction, Fraction]:
        """Return the lowest and highest dose the mark may deliver (drawn from the stock).

        dose = tablet content x drawn volume / water volume (DOMAIN.md), each of
        them at its worst: the assay, half a mark per fill, the water's error.
        """
        draw_error = self.fills * self.graduation_ml / 2
        error = water_error(self.water_ml)
        low = self.total_mg * ASSAY[0] * (self.mark_ml - draw_error) / (self.water_ml + error)
        high = self.total_mg * ASSAY[1] * (self.mark_ml + draw_error) / (self.water_ml - error)
        return low, high

    @property
    def range_percent(self) -> Fraction:
        low, high = self.range_mg
        nominal = self.delivered_mg
        return max(nominal - low, high - nominal) / nominal * 100


def expect_dose(
    dose_mg: Fraction,
    tablets: int = 1,
    strength_mg: Fraction = FIFTY,
    water_ml: Fraction = FIFTY,
    syringe: tuple[Fraction, Fraction] | None = None,
) -> Expected:
    """Work out one dose by the domain's rules: what to draw, or every reason to refuse it."""
    total = tablets * strength_mg
    concentration = total / water_ml
    volume = dose_mg / concentration
    syringes = (syringe,) if syringe is not None else SYRINGES_ML
    capacity, graduation = pick_syringe(volume, syringes)
    mark = nearest_mark(volume, graduation)
    diluted = too_small_to_draw(volume, capacity) or too_small_to_draw(mark, capacity)
    refusals = []
    if dose_mg > total:
        refusals.append(MORE_THAN_PREPARATION)
    if dose_mg < MIN_DOSE_MG:
        refusals.append(ULTRA_LOW)
    if not diluted and mark > water_ml:
        refusals.append(MORE_THAN_BOTTLE)
    if not diluted and abs(mark - volume) > volume / 10:
        refusals.append(MARK_TOO_COARSE)
    return Expected(
        dose_mg,
        concentration,
        volume,
        capacity,
        graduation,
        mark,
        fills_of(mark, capacity),
        tuple(refusals),
        diluted,
        total,
        water_ml,
    )


def left_after_draw(liquid_ml: Fraction) -> Fraction:
    """What may be drawn from a liquid: it keeps a tenth of itself, and at least 1 mL."""
    return liquid_ml - max(liquid_ml / 10, F(1))


def measuring_share(e: Expected) -> Fraction:
    """The most the water's measure and the reading of the mark move a dose drawn from the
    stock, as a share of the dose at the mark (the tablet's content left out)."""
    draw_error = e.fills * e.graduation_ml / 2
    error = water_error(e.water_ml)
    low = (e.mark_ml - draw_error) * e.water_ml / (e.mark_ml * (e.water_ml + error))
    high = (e.mark_ml + draw_error) * e.water_ml / (e.mark_ml * (e.water_ml - error))
    return max(1 - low, high - 1)


def good(e: Expected) -> bool:
    """A good measurement: on a mark, one fill, above 0.1 mL, at least 20% of the syringe."""
    return (
        e.mark_ml == e.volume_ml
        and e.fills == 1
        and e.mark_ml > F(1, 10)
        and e.mark_ml / e.capacity_ml >= F(1, 5)
    )


MEASURING_KEYS = {
    "dose_mg",
    "volume_ml",
    "syringe_ml",
    "graduation_ml",
    "measured_volume_ml",
    "fills",
    "delivered_dose_mg",
    "error_percent",
    # What the dose may really be, and what that is made of.
    "range_mg",
    "range_percent",
    "assay",
    "draw_error_ml",
    "water_error_ml",
    "water_measure",
    "dilution",
}
"""The keys every measured dose has in JSON (dose, each schedule step, mix's doses)."""
