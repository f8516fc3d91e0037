"""The public API keeps its promises: one convention for amounts, every error an LdncalcError."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pint
import pytest

import ldncalc
from ldncalc.errors import ArgumentTypeError, InvalidInputError, LdncalcError
from ldncalc.units import quantity

F = Fraction
START = date(2027, 1, 4)


def test_every_public_name_is_the_object_not_a_module() -> None:
    # Import every submodule first: a submodule named like a public function
    # would otherwise replace it as an attribute of the package.
    for info in pkgutil.walk_packages(ldncalc.__path__, "ldncalc."):
        importlib.import_module(info.name)
    for name in ldncalc.__all__:
        value = getattr(ldncalc, name)
        assert not isinstance(value, types.ModuleType), name


def test_unknown_name() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ldncalc.nope  # noqa: B018


def test_dir_lists_the_public_api() -> None:
    assert dir(ldncalc) == sorted(ldncalc.__all__)


def test_every_error_class_is_an_ldncalc_error() -> None:
    for name in ldncalc.__all__:
        value = getattr(ldncalc, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert issubclass(value, LdncalcError), name
    assert issubclass(ArgumentTypeError, TypeError)
    assert issubclass(InvalidInputError, ValueError)


def test_public_parameters_say_their_unit() -> None:
    # An amount crosses the edge as dose_mg, water_ml...: never "dose" or "dose_q".
    amounts = 0
    for name in ldncalc.__all__:
        value = getattr(ldncalc, name)
        if not callable(value) or isinstance(value, type):
            continue
        for parameter in inspect.signature(value).parameters.values():
            assert not parameter.name.endswith("_q"), (name, parameter.name)
            if "Amount" in str(parameter.annotation):
                amounts += 1
                assert parameter.name.endswith(("_mg", "_ml", "_mg_per_ml")), (name, parameter)
    assert amounts >= 10  # plan_dose, make_preparation, dose_steps, custom_protocol...


# --- Amounts: text, a quantity or an exact number; never a float ----------------------------


def test_the_issue_11_calls_work() -> None:
    by_text = ldncalc.plan_dose("4.5 mg")
    assert ldncalc.plan_dose(F(9, 2)) == by_text
    assert ldncalc.plan_dose(Decimal("4.5")) == by_text
    assert ldncalc.plan_dose(quantity(4500, "mcg")) == by_text
    assert ldncalc.make_preparation(water_ml=100).concentration_mg_per_ml == F(1, 2)
    assert [d for d, _ in ldncalc.custom_protocol(1, 1, 7, F(9, 2)).climb] == [1, 2, 3, 4]
    rec = ldncalc.recommend(ldncalc.dose_steps("0.5 mg", "4.5 mg", "0.5 mg"))
    assert rec.candidates[0].preparation.water_ml == 100
    tenths = ldncalc.dose_steps(F(1, 10), F(1, 2), F(1, 10))
    assert tenths == (F(1, 10), F(1, 5), F(3, 10), F(2, 5), F(1, 2))
    assert all(isinstance(d, Fraction) for d in tenths)


def test_a_float_dose_is_refused_with_what_to_pass_instead() -> None:
    with pytest.raises(ArgumentTypeError) as info:
        ldncalc.plan_dose(4.5)
    error = info.value
    assert isinstance(error, TypeError)
    assert isinstance(error, LdncalcError)
    assert error.code == "wrong-type"
    assert str(error) == (
        "dose_mg=4.5: give amounts as text or an exact number, e.g. '4.5 mg' or "
        "Fraction(9, 2) (a float is not exact)"
    )


@pytest.mark.parametrize(
    "amount",
    [
        "4.5 mg",
        "4500 mcg",
        "4.5",
        F(9, 2),
        Decimal("4.5"),
        Decimal("4.50"),
        quantity(F(9, 2), "mg"),
        quantity(4500, "mcg"),
        pint.UnitRegistry(non_int_type=Fraction).Quantity(F(9, 2), "milligram"),
        pint.UnitRegistry().Quantity(Decimal("4.5"), "milligram"),
        pint.UnitRegistry().Quantity(F(9, 2), "milligram"),
    ],
    ids=repr,
)
def test_every_kind_of_dose_gives_the_same_plan(amount: Any) -> None:
    plan = ldncalc.plan_dose(amount)
    assert plan.dose_mg == F(9, 2)
    assert isinstance(plan.dose_mg, Fraction)
    assert plan.measurement.measured_ml == F(23, 5)


@pytest.mark.parametrize(
    "amount",
    [
        # pint's default registry holds int magnitudes; converting 4500 micrograms to
        # milligrams there gives the float 4.5. ldncalc takes the exact amount given.
        pint.UnitRegistry().Quantity(4500, "microgram"),
        pint.UnitRegistry().Quantity(Decimal("0.0045"), "gram"),
    ],
    ids=repr,
)
def test_a_quantity_of_any_registry_is_converted_exactly(amount: Any) -> None:
    assert ldncalc.plan_dose(amount).dose_mg == F(9, 2)


def test_a_water_quantity_of_any_registry_is_converted_exactly() -> None:
    litre = pint.UnitRegistry().Quantity(1, "liter")
    assert ldncalc.make_preparation(water_ml=litre).water_ml == 1000


@pytest.mark.parametrize(
    ("amount", "error", "fragment"),
    [
        (4.5, ArgumentTypeError, "(a float is not exact)"),
        (pint.UnitRegistry().Quantity(4.5, "mg"), ArgumentTypeError, "magnitude is a float"),
        (None, ArgumentTypeError, "not NoneType"),
        (True, ArgumentTypeError, "dose_mg must be an amount, not True"),
        ([4.5], ArgumentTypeError, "not list"),
        (4.5j, ArgumentTypeError, "not complex"),
        (Decimal("NaN"), InvalidInputError, "is not a finite number"),
        (Decimal("-Infinity"), InvalidInputError, "is not a finite number"),
        (-1, InvalidInputError, "dose_mg must be more than zero, not -1 mg"),
        (F(0), InvalidInputError, "dose_mg must be more than zero, not 0 mg"),
        (quantity(4, "mL"), InvalidInputError, "dose_mg must be an amount in mg"),
        ("4.5 mL", InvalidInputError, "is a volume"),
    ],
    ids=repr,
)
def test_what_is_not_a_dose_is_an_ldncalc_error(
    amount: Any, error: type[LdncalcError], fragment: str
) -> None:
    with pytest.raises(error) as info:
        ldncalc.plan_dose(amount)
    assert fragment in str(info.value)
    assert isinstance(info.value, LdncalcError)
    if error is ArgumentTypeError:
        assert isinstance(info.value, TypeError)


def _schedule() -> ldncalc.Schedule:
    return ldncalc.build_schedule(start_date=START)


def wrong(value: object) -> Any:
    """Pass ``value`` where its type is not allowed: the refusal is what is tested."""
    return value


PREP = ldncalc.make_preparation()
# Every public function that takes an amount or a count, called with a float in it.
FLOAT_CALLS: dict[str, Callable[[], object]] = {
    "plan_dose": lambda: ldncalc.plan_dose(4.5),
    "make_preparation(tablets)": lambda: ldncalc.make_preparation(wrong(1.0)),
    "make_preparation(strength_mg)": lambda: ldncalc.make_preparation(strength_mg=50.0),
    "make_preparation(water_ml)": lambda: ldncalc.make_preparation(water_ml=100.0),
    "make_preparation(concentration)": lambda: ldncalc.make_preparation(
        concentration_mg_per_ml=5.0
    ),
    "volume_for_dose": lambda: ldncalc.volume_for_dose(PREP, 4.5),
    "dose_for_volume": lambda: ldncalc.dose_for_volume(PREP, 4.5),
    "dose_steps": lambda: ldncalc.dose_steps(0.1, 0.5, 0.1),
    "recommend(doses_mg)": lambda: ldncalc.recommend([4.5]),
    "recommend(top)": lambda: ldncalc.recommend(["4.5 mg"], top=wrong(1.0)),
    "custom_protocol(target_mg)": lambda: ldncalc.custom_protocol(1, 1, 7, 4.5),
    "custom_protocol(every_days)": lambda: ldncalc.custom_protocol(1, 1, wrong(7.0), 3),
    "build_schedule(hold_days)": lambda: ldncalc.build_schedule(
        start_date=START,
        hold_days=wrong(56.0),
    ),
    "plan_batches(keep_days)": lambda: ldncalc.plan_batches(_schedule(), keep_days=wrong(14.0)),
    "plan_batches(tablet_price)": lambda: ldncalc.plan_batches(
        _schedule(), tablet_price=wrong(1.2)
    ),
    "measure": lambda: ldncalc.measure(wrong(4.5)),
    "format_dose": lambda: ldncalc.format_dose(wrong(4.5)),
    "format_volume": lambda: ldncalc.format_volume(wrong(4.5)),
    "format_concentration": lambda: ldncalc.format_concentration(wrong(4.5)),
    "parse_dose": lambda: ldncalc.parse_dose(wrong(4.5)),
    "parse_volume": lambda: ldncalc.parse_volume(wrong(4.5)),
    "parse_duration_days": lambda: ldncalc.parse_duration_days(wrong(14.0)),
    "parse_syringe": lambda: ldncalc.parse_syringe(wrong(5.0)),
}


@pytest.mark.parametrize("name", list(FLOAT_CALLS))
def test_every_public_function_refuses_a_float_as_a_type_error(name: str) -> None:
    # docs/library.md: every error is an LdncalcError; a float is refused, never used.
    with pytest.raises(ArgumentTypeError) as info:
        FLOAT_CALLS[name]()
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, LdncalcError)


# The same functions with a value of no kind they take (None, a bool, a list).
OTHER_CALLS: dict[str, Callable[[], object]] = {
    "plan_dose(None)": lambda: ldncalc.plan_dose(None),
    "plan_dose(True)": lambda: ldncalc.plan_dose(True),
    "make_preparation(tablets=True)": lambda: ldncalc.make_preparation(True),
    "make_preparation(water_ml=[])": lambda: ldncalc.make_preparation(water_ml=[]),
    "dose_steps(None)": lambda: ldncalc.dose_steps(None, "1 mg", "0.5 mg"),
    "recommend([None])": lambda: ldncalc.recommend([None]),
    "custom_protocol(None)": lambda: ldncalc.custom_protocol(None),
    "custom_protocol(every_days=True)": lambda: ldncalc.custom_protocol(1, 1, True, 3),
    "build_schedule(hold_days=True)": lambda: ldncalc.build_schedule(
        start_date=START, hold_days=True
    ),
    "plan_batches(keep_days=True)": lambda: ldncalc.plan_batches(_schedule(), keep_days=True),
    "measure(None)": lambda: ldncalc.measure(wrong(None)),
    "format_dose(None)": lambda: ldncalc.format_dose(wrong(None)),
    "parse_dose(None)": lambda: ldncalc.parse_dose(wrong(None)),
    "parse_syringe(None)": lambda: ldncalc.parse_syringe(wrong(None)),
}


@pytest.mark.parametrize("name", list(OTHER_CALLS))
def test_every_public_function_refuses_other_types_as_a_type_error(name: str) -> None:
    with pytest.raises(ArgumentTypeError) as info:
        OTHER_CALLS[name]()
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, LdncalcError)
