"""``today`` plans the plan's bottles only on the days they matter, and says the same.

While the diary records a bottle of stock and the day's dose is drawn from the
stock, the bottles recorded decide what ``today`` says: walking the plan's
bottles up to the day (ten years of them, in an old diary) is skipped
(:func:`ldncalc.diary.bottles.plan_needed`), and a refusal the plan's bottles
would give is still given (:func:`ldncalc.plan.supply.check_batches`). The
oracle: the same status with the plan's bottles planned on every day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ldncalc.diary import living
from ldncalc.diary.entries import Adjust, Diluted, Entry, Missed, Mixed, Payload, Took, Undo
from ldncalc.diary.living import Today, plan_started, today_status
from ldncalc.dose.preparation import make_preparation
from ldncalc.errors import LdncalcError
from ldncalc.plan.titration import Protocol, custom_protocol, get_protocol

F = Fraction
START = date(2026, 1, 5)

PROTOCOLS = (
    get_protocol("ldnrt-weekly"),
    # Micrograms, drawn from a dilution of the stock.
    custom_protocol(F(1, 200), F(1, 200), 7, F(1, 50)),
)
PAYLOADS: tuple[Payload, ...] = (
    Took(),
    Took(F(3)),
    Missed(),
    Mixed(1, F(50), F(50), 14),
    Mixed(1, F(50), F(50), 7),
    Mixed(1, F(50), F(25), 14),
    Mixed(1, F(50), F(3), 14),
    Diluted(F(1), F(1), F(9), 14),
    Diluted(F(1, 10), F(1), F(9), 14, stage=2),
    Adjust("hold"),
    Adjust("resume"),
    Adjust("back"),
    Adjust("stop"),
)


def _status(entries: list[Entry], day: date, always: bool) -> Today | str:
    """Return today's status, or its refusal, planning the bottles always or when needed."""
    patch = pytest.MonkeyPatch()
    if always:
        patch.setattr(living, "plan_needed", lambda stock, stage: True)
    try:
        return today_status(entries, day)
    except LdncalcError as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        patch.undo()


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(PROTOCOLS),
    # 3 mL of water: a bottle keeps 2 mL back, and some days' volumes no longer fit.
    st.sampled_from((F(50), F(3))),
    st.lists(
        st.tuples(st.integers(0, 60), st.sampled_from(PAYLOADS) | st.just("undo")),
        max_size=25,
    ),
    st.integers(0, 80),
)
def test_today_says_the_same_with_the_plans_bottles_always_planned(
    protocol: Protocol, water: Fraction, events: list[tuple[int, Payload | str]], on: int
) -> None:
    started = plan_started(
        protocol,
        start_date=START,
        preparation=make_preparation(1, F(50), water),
        syringe=None,
        hold_days=60,
        keep_days=14,
    )
    entries = [Entry("uid-1", 1, START, datetime(2026, 1, 1, 8), started)]
    for offset, payload in sorted(events, key=lambda e: e[0]):
        n = len(entries) + 1
        if payload == "undo":
            payload = Undo(entries[-1].uid)
        assert not isinstance(payload, str)
        moment = datetime(2026, 1, 1, 8) + timedelta(hours=n)
        entries.append(Entry(f"uid-{n}", n, START + timedelta(days=offset), moment, payload))
    day = START + timedelta(days=on)
    assert _status(entries, day, always=False) == _status(entries, day, always=True)
