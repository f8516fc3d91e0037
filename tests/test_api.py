"""The public API keeps its promises: one convention for amounts, every error an LdncalcError."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import types
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, get_args

import pint
import pytest

import ldncalc
import ldncalc.errors
from ldncalc.errors import ArgumentTypeError, InvalidInputError, LdncalcError, StoreError
from ldncalc.units import quantity

F = Fraction
START = date(2027, 1, 4)
ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "ldncalc"


def _module_tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


# --- One list of public names ----------------------------------------------------------------


def _imports_for_type_checkers() -> dict[str, str]:
    """Return what ldncalc/__init__.py imports, name -> module, at once and for type checkers."""
    found: dict[str, str] = {}
    for node in ast.walk(_module_tree(SRC / "__init__.py")):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ldncalc."):
            for alias in node.names:
                # `X as X`: without it, mypy --strict does not export the name.
                assert alias.asname == alias.name, f"import {alias.name} as {alias.name}"
                assert alias.name not in found, f"{alias.name} imported twice"
                found[alias.name] = node.module.removeprefix("ldncalc.")  # type: ignore[union-attr]
    return found


def test_the_public_list_and_what_type_checkers_see_agree() -> None:
    assert _imports_for_type_checkers() == ldncalc._API


def test_all_is_the_public_list() -> None:
    assert ldncalc.__all__ == sorted(ldncalc._API)
    assert len(ldncalc.__all__) == len(set(ldncalc.__all__))


@pytest.mark.parametrize("name", sorted(ldncalc._API))
def test_every_public_name_is_the_object_of_its_module(name: str) -> None:
    module = importlib.import_module(f"ldncalc.{ldncalc._API[name]}")
    assert getattr(ldncalc, name) is getattr(module, name)


def test_the_library_guide_imports_from_ldncalc_only() -> None:
    guide = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```python\n(.+?)```", guide, flags=re.DOTALL))
    imports = re.findall(r"^(?:>>> )?(from \S+ import .+|import \S+)$", code, re.MULTILINE)
    ours = [line for line in imports if "ldncalc" in line]
    assert len(ours) >= 10  # the probe sees the guide's imports
    assert [line for line in ours if not line.startswith("from ldncalc import ")] == []
    for line in ours:
        for name in line.removeprefix("from ldncalc import ").split(","):
            assert name.strip() in ldncalc.__all__, line


# --- Error codes: one Literal, every code used, every code documented --------------------------


def _literal_strings(name: str) -> list[str]:
    """Return the strings of the Literal ``name`` in ldncalc/errors.py (a type-checking name)."""
    for node in ast.walk(_module_tree(SRC / "errors.py")):
        if (
            isinstance(node, ast.Assign)
            and [ast.unparse(t) for t in node.targets] == [name]
            and isinstance(node.value, ast.Subscript)
            and ast.unparse(node.value.value) == "Literal"
        ):
            values = [c.value for c in ast.walk(node.value.slice) if isinstance(c, ast.Constant)]
            assert all(isinstance(v, str) for v in values)
            return [str(v) for v in values]
    raise AssertionError(f"no {name} = Literal[...] in errors.py")


ERROR_CODES = _literal_strings("ErrorCode")
STORE_REASONS = _literal_strings("StoreReason")


def _codes_in_the_source() -> dict[str, set[str]]:
    """Return every code the source gives an error, with the files that give it."""
    used: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        where = str(path.relative_to(SRC))
        for node in ast.walk(_module_tree(path)):
            values: list[ast.expr] = []
            if (
                isinstance(node, ast.FunctionDef)
                and ast.unparse(node.returns or node) == "ErrorCode"
            ):
                # A function that picks a code: each code it returns is given.
                values += [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value]
            if isinstance(node, ast.Call):
                values += [k.value for k in node.keywords if k.arg == "code"]
            elif isinstance(node, ast.AnnAssign | ast.Assign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(
                    ast.unparse(t) in ("default_code", "EXISTS_CODE", "DATABASE_CODE")
                    for t in targets
                ):
                    values.append(node.value)  # type: ignore[arg-type]
            for value in values:
                for constant in ast.walk(value):
                    if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                        used.setdefault(constant.value, set()).add(where)
    for reason in _store_reasons_in_the_source():
        used.setdefault(f"store-{reason}", set()).add("diary/")
    return used


def _store_reasons_in_the_source() -> set[str]:
    """Return the reasons the store gives a StoreError: literal `reason` and `_OS_REASONS`.

    The store is several modules of the diary wing (the API, the file, its failures).
    """
    reasons: set[str] = set()
    for path in ("store.py", "sqlitefile.py", "failures.py", "exchange.py"):
        reasons |= _reasons_in(SRC / "diary" / path)
    return reasons


def _reasons_in(path: Path) -> set[str]:
    tree = _module_tree(path)
    reasons: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "StoreError":
            for keyword in node.keywords:
                if keyword.arg == "reason" and isinstance(keyword.value, ast.Constant):
                    reasons.add(str(keyword.value.value))
        if isinstance(node, ast.Constant) and node.value in STORE_REASONS:
            reasons.add(node.value)
    return reasons


def test_error_codes_are_distinct() -> None:
    assert len(ERROR_CODES) == len(set(ERROR_CODES))
    assert len(STORE_REASONS) == len(set(STORE_REASONS))


def test_every_code_the_source_gives_is_an_error_code() -> None:
    # mypy checks the same for every `code=`; this also catches a code built some other way.
    unknown = _codes_in_the_source()
    for code in ERROR_CODES:
        unknown.pop(code, None)
    assert unknown == {}


def test_every_error_code_is_used_somewhere() -> None:
    used = _codes_in_the_source()
    assert [code for code in ERROR_CODES if code not in used] == []


def test_a_store_error_code_is_store_and_its_reason() -> None:
    store_codes = [c for c in ERROR_CODES if c.startswith("store-")]
    assert store_codes == [f"store-{r}" for r in STORE_REASONS]
    for reason in STORE_REASONS:
        error = StoreError("x", path="diary.sqlite3", reason=wrong(reason))
        assert (error.code, error.reason) == (f"store-{reason}", reason)


def test_every_error_code_is_documented_once() -> None:
    guide = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    table = guide.split("### Error codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| `(\w+)` \| (.+) \|$", table, re.MULTILINE)
    documented = [code for code, _, _ in rows]
    assert len(documented) == len(set(documented))
    assert sorted(documented) == sorted(ERROR_CODES)
    for code, family, _ in rows:
        assert issubclass(getattr(ldncalc, family), LdncalcError), (code, family)


def test_error_codes_are_text_at_run_time() -> None:
    # The Literal is for type checkers; `import ldncalc` must not load typing for it.
    # (vars: a type checker sees the Literal, and would call the comparison always false.)
    assert vars(ldncalc.errors)["ErrorCode"] is str
    assert vars(ldncalc.errors)["StoreReason"] is str


def test_amount_is_the_union_of_the_accepted_forms() -> None:
    assert set(get_args(ldncalc.Amount)) == {str, int, Fraction, Decimal, ldncalc.QuantityLike}


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
        ldncalc.nope  # type: ignore[attr-defined]  # noqa: B018


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
        ldncalc.plan_dose(4.5)  # type: ignore[arg-type]
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
    "plan_dose": lambda: ldncalc.plan_dose(wrong(4.5)),
    "make_preparation(tablets)": lambda: ldncalc.make_preparation(wrong(1.0)),
    "make_preparation(strength_mg)": lambda: ldncalc.make_preparation(strength_mg=wrong(50.0)),
    "make_preparation(water_ml)": lambda: ldncalc.make_preparation(water_ml=wrong(100.0)),
    "make_preparation(concentration)": lambda: ldncalc.make_preparation(
        concentration_mg_per_ml=wrong(5.0)
    ),
    "volume_for_dose": lambda: ldncalc.volume_for_dose(PREP, wrong(4.5)),
    "dose_for_volume": lambda: ldncalc.dose_for_volume(PREP, wrong(4.5)),
    "dose_steps": lambda: ldncalc.dose_steps(wrong(0.1), wrong(0.5), wrong(0.1)),
    "recommend(doses_mg)": lambda: ldncalc.recommend([wrong(4.5)]),
    "recommend(top)": lambda: ldncalc.recommend(["4.5 mg"], top=wrong(1.0)),
    "custom_protocol(target_mg)": lambda: ldncalc.custom_protocol(1, 1, 7, wrong(4.5)),
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
    "plan_dose(wrong(None))": lambda: ldncalc.plan_dose(wrong(None)),
    "plan_dose(True)": lambda: ldncalc.plan_dose(True),
    "make_preparation(tablets=True)": lambda: ldncalc.make_preparation(True),
    "make_preparation(water_ml=wrong([]))": lambda: ldncalc.make_preparation(water_ml=wrong([])),
    "dose_steps(None)": lambda: ldncalc.dose_steps(wrong(None), "1 mg", "0.5 mg"),
    "recommend([wrong(None)])": lambda: ldncalc.recommend([wrong(None)]),
    "custom_protocol(wrong(None))": lambda: ldncalc.custom_protocol(wrong(None)),
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


def test_every_refusal_outside_the_cli_names_its_own_code() -> None:
    # Issue 24 item 2: a program tells one wrong input from another by its code, so the
    # library never leaves InvalidInputError or RefusedError at its catch-all default.
    generic = []
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC)
        if where.parts[0] == "cli":
            continue
        for node in ast.walk(_module_tree(path)):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and ast.unparse(node.exc.func) in ("InvalidInputError", "RefusedError")
                and not any(k.arg in ("code", None) for k in node.exc.keywords)
            ):
                generic.append(f"{where}:{node.lineno}")
    assert generic == []
