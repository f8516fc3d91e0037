"""Every public function refuses a wrong input with an LdncalcError and a specific code.

Each function of ``ldncalc.__all__`` is called with valid arguments but one, which
is replaced by a wrong type or an edge value; what comes back is a result or an
``LdncalcError`` whose code says what was wrong (never a bare TypeError, and
never only the family's default code). The Diary's methods are fed the same in
tests/test_library_door.py.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ldncalc
from ldncalc import LdncalcError

GENERIC = ("error", "invalid-input", "refused", "output-file")
START = date(2027, 1, 4)


def _valid() -> dict[str, Any]:
    """Return a valid value for each required parameter's name."""
    schedule = ldncalc.build_schedule(start_date=START)
    return {
        "start_mg": "1 mg",
        "stop_mg": "4.5 mg",
        "step_mg": "0.5 mg",
        "dose_mg": "1 mg",
        "volume_ml": "1 mL",
        "concentration": Fraction(1),
        "dose": Fraction(1),
        "volume": Fraction(1),
        "protocol_id": "ldnrt-weekly",
        "name": "dose",
        "preparation": ldncalc.make_preparation(),
        "schedule": schedule,
        "supply": ldncalc.plan_batches(schedule),
        "entries": [],
        "today": START,
        "day": START,
        "r": ldncalc.plan_dose("1 mg").range,
        "doses_mg": ["1 mg"],
        "segments": [ldncalc.Segment(Fraction(1), 7)],
        "protocol": ldncalc.get_protocol("ldnrt-weekly"),
        "start_date": START,
        "syringe": None,
        "hold_days": 56,
        "keep_days": 14,
        "resolution": "0.1g",
    }


TEXTS = {  # functions whose `text` is one kind of text
    "parse_assay": "95-105%",
    "parse_syringe": "5mL:0.1mL",
    "parse_dose": "1 mg",
    "parse_volume": "1 mL",
    "parse_duration_days": "14d",
    "parse_scale": "0.1g",
    "kit_add": "3mL",
    "kit_remove": "3mL",
    "kit_time": "22:00",
}

WRONG: list[object] = [
    None,
    True,
    1.5,
    "",
    "1 tablet",
    "2027-01-04",  # text where a date is asked (the parsers read text; the objects do not)
    "1mL",  # text where a syringe, a kit or a scale is asked
    "0.1g",
    0,
    -1,
    10**30,
    datetime(2027, 1, 5, 8, 0),
    date.min,
    date.max,
    Decimal("1.0000000000000000000000001"),
    Decimal("NaN"),
    [1],
    {"a": 1},
    object(),
]


def _functions() -> dict[str, Callable[..., object]]:
    found: dict[str, Callable[..., object]] = {}
    for name in ldncalc.__all__:
        value = getattr(ldncalc, name)
        if inspect.isfunction(value):
            found[name] = value
    return found


FUNCTIONS = _functions()
VALID = _valid()


def test_the_functions_are_found() -> None:
    assert {"plan_dose", "build_schedule", "replan", "parse_dose"} <= set(FUNCTIONS)


@settings(max_examples=400, deadline=None)
@given(name=st.sampled_from(sorted(FUNCTIONS)), data=st.data())
def test_every_wrong_input_is_a_coded_ldncalc_error(name: str, data: st.DataObject) -> None:
    function = FUNCTIONS[name]
    parameters = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if not parameters:
        return
    wrong = data.draw(st.sampled_from(parameters), label="parameter")
    value = data.draw(st.sampled_from(WRONG), label="value")
    kwargs: dict[str, object] = {}
    for p in parameters:
        if p.default is p.empty:
            kwargs[p.name] = TEXTS[name] if p.name == "text" else VALID[p.name]
    kwargs[wrong.name] = value
    try:
        function(**kwargs)
    except LdncalcError as exc:
        code = exc.code
        message = str(exc)
    else:
        return
    assert code not in GENERIC, (name, wrong.name, value, message)
    assert "\n" not in message
    _shows_what_was_given(value, message)


def _shows_what_was_given(value: object, message: str) -> None:
    """A message that says what was given says it of the value given, not of another."""
    held = value if isinstance(value, tuple | list) else (value,)
    if not any(item is None for item in held):
        assert "not None" not in message, (value, message)


# The value objects a caller builds and hands to the functions above: each
# field is fed a wrong value (text among them: a Kit of "1mL" is a Kit of no
# syringe), and the constructor refuses it with a coded error, not later and
# not as a bare AttributeError inside a calculation.
SYRINGE = ldncalc.Syringe(Fraction(1), Fraction(1, 100))
CONSTRUCTORS: dict[str, tuple[Callable[..., object], dict[str, object]]] = {
    "Kit": (ldncalc.Kit, {"syringes": (SYRINGE,), "scale": ldncalc.Scale(Fraction(1, 10))}),
    "Scale": (ldncalc.Scale, {"division_g": Fraction(1, 10), "accuracy_g": Fraction(1, 5)}),
    "Syringe": (ldncalc.Syringe, {"capacity_ml": Fraction(1), "graduation_ml": Fraction(1, 100)}),
    "Assay": (ldncalc.Assay, {"low": Fraction(9, 10), "high": Fraction(11, 10)}),
}
WRONG_MEMBERS: list[object] = [*WRONG, ("1mL",), [SYRINGE, "1mL"], (None,), (5,)]


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(CONSTRUCTORS)), data=st.data())
def test_every_value_object_refuses_a_wrong_field(name: str, data: st.DataObject) -> None:
    build, valid = CONSTRUCTORS[name]
    field = data.draw(st.sampled_from(sorted(valid)), label="field")
    value = data.draw(st.sampled_from(WRONG_MEMBERS), label="value")
    kwargs = {**valid, field: value}
    try:
        made = build(**kwargs)
    except LdncalcError as exc:
        code, message = exc.code, str(exc)
    else:
        # What is accepted works: planning a dose with it gives a plan or a coded error.
        kit = made if isinstance(made, ldncalc.Kit) else None
        try:
            ldncalc.plan_dose("1 mg", kit=kit)
        except LdncalcError as exc:
            code, message = exc.code, str(exc)
        else:
            return
    assert code not in GENERIC, (name, field, value, message)
    assert "\n" not in message
    _shows_what_was_given(value, message)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: ldncalc.plan_dose(0), "dose-not-positive"),
        (lambda: ldncalc.plan_dose("0 mg"), "dose-not-positive"),
        (lambda: ldncalc.plan_dose(Decimal("1.0000001")), "too-precise"),
        (lambda: ldncalc.plan_dose("1 mg", preparation="1 tablet"), "wrong-type"),  # type: ignore[arg-type]
        (lambda: ldncalc.build_schedule(5), "wrong-type"),  # type: ignore[arg-type]
        (lambda: ldncalc.get_protocol("nope"), "unknown-protocol"),
        (lambda: ldncalc.plan_dose("1 mg", kit=True), "wrong-type"),  # type: ignore[arg-type]
        (lambda: ldncalc.recommend(["1 mg"], kit="3mL"), "wrong-type"),  # type: ignore[arg-type]
        (lambda: ldncalc.kit_time(7), "wrong-type"),  # type: ignore[arg-type]
        (lambda: ldncalc.plan_dose("1 mg", kit=ldncalc.Kit(("1mL",))), "wrong-type"),  # type: ignore[arg-type]
        (lambda: ldncalc.Kit((), "0.1g"), "wrong-type"),  # type: ignore[arg-type]
        (lambda: ldncalc.Scale("0.1g"), "wrong-type"),  # type: ignore[arg-type]
        (lambda: ldncalc.Syringe(1.0, Fraction(1, 100)), "wrong-type"),  # type: ignore[arg-type]
    ],
)
def test_known_leaks_are_coded(call: Callable[[], object], code: str) -> None:
    with pytest.raises(LdncalcError) as info:
        call()
    assert info.value.code == code


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("2027-01-04", "'2027-01-04'"),
        (datetime(2027, 1, 4, 8, 0), "datetime.datetime(2027, 1, 4, 8, 0)"),
        (5, "not 5"),
    ],
)
def test_a_wrong_start_date_is_shown_as_given(given: object, shown: str) -> None:
    for call in (
        lambda: ldncalc.build_schedule("ldnrt-weekly", start_date=given),  # type: ignore[arg-type]
        lambda: ldncalc.plan_batches(VALID["schedule"], until=given),  # type: ignore[arg-type]
    ):
        with pytest.raises(LdncalcError) as info:
            call()
        assert info.value.code == "wrong-type"
        assert shown in str(info.value)
        assert "None" not in str(info.value)


def test_entries_of_a_wrong_type_are_coded_after_a_call_that_was_remembered() -> None:
    # The undo's memo compares the entries with the last ones asked about: a value
    # that is no list (True, say) is refused as such, whatever was asked before.
    with pytest.raises(LdncalcError):
        ldncalc.replan([])  # remembered: no plan
    for wrong in (True, None, 5):
        with pytest.raises(LdncalcError) as info:
            ldncalc.replan(wrong)  # type: ignore[arg-type]
        assert info.value.code == "wrong-type"


def _hints(function: Callable[..., object]) -> dict[str, Any]:
    """Return a callable's resolved annotations (names imported for type checkers included)."""
    import os
    import typing

    import pint

    import ldncalc.diary.status

    names: dict[str, Any] = {n: getattr(ldncalc, n) for n in ldncalc.__all__}
    names.update(os=os, Quantity=pint.Quantity, **vars(ldncalc.diary.status))
    return typing.get_type_hints(function, localns=names)


def test_every_type_the_api_takes_or_returns_is_exported() -> None:
    import typing

    callables: dict[str, Callable[..., object]] = dict(FUNCTIONS)
    callables.update(
        (f"Diary.{name}", member)
        for name, member in inspect.getmembers(ldncalc.Diary)
        if not name.startswith("_") and callable(member)
    )
    hidden: set[str] = set()

    def walk(hint: object, where: str) -> None:
        for inner in typing.get_args(hint):
            walk(inner, where)
        ours = isinstance(hint, type) and hint.__module__.startswith("ldncalc")
        if ours and getattr(hint, "__name__", "") not in ldncalc.__all__:
            hidden.add(f"{where}: {hint!r}")

    assert "Diary.today" in callables
    for where, function in callables.items():
        for hint in _hints(function).values():
            walk(hint, where)
    assert sorted(hidden) == []
