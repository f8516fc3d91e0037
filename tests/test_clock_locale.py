"""The clock and the locale: dates come from the local calendar, text never from the locale."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from ldncalc.plan.supply import plan_batches
from ldncalc.plan.titration import build_schedule


def run(*args: str, env: dict[str, str]) -> str:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "TZ"))}
    full.update({"COLUMNS": "100", "NO_COLOR": "1", **env})
    done = subprocess.run(
        [sys.executable, "-m", "ldncalc", *args],
        capture_output=True,
        text=True,
        env=full,
        check=True,
    )
    return done.stdout


def local_today(tz: str) -> str:
    code = "import datetime; print(datetime.date.today().isoformat())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": tz},
    )
    return done.stdout.strip()


@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"])
def test_default_start_date_is_the_local_date(tz: str) -> None:
    obj = json.loads(run("schedule", "--json", env={"TZ": tz}))
    today = local_today(tz)
    # The two processes could straddle midnight; then the second date is one day later.
    assert obj["steps"][0]["first_date"] in {
        today,
        (date.fromisoformat(today) - timedelta(days=1)).isoformat(),
    }


@pytest.mark.parametrize(
    "args",
    [
        ["schedule", "--start-date", "2027-01-04"],
        ["schedule", "--start-date", "2027-01-04", "--format", "csv"],
        ["schedule", "--start-date", "2027-01-04", "--tablet-price", "1.20"],
        ["schedule", "--start-date", "2027-01-04", "--format", "markdown"],
        ["dose", "4.5mg", "--explain"],
        ["dose", "4.5", "--json"],
        ["mix", "--tablets", "1"],
    ],
)
def test_output_does_not_change_with_the_locale(args: list[str]) -> None:
    outputs = {
        name: run(*args, env=env)
        for name, env in {
            "C": {"LC_ALL": "C"},
            "German": {"LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"},
            "Turkish": {"LC_ALL": "tr_TR.UTF-8"},
            "Arabic": {"LANG": "ar_EG.UTF-8", "LC_NUMERIC": "ar_EG.UTF-8"},
        }.items()
    }
    first = outputs["C"]
    assert first
    for name, out in outputs.items():
        assert out == first, name


def test_schedule_across_a_daylight_saving_change_is_the_same_in_every_zone() -> None:
    # Europe and the US change their clocks in late March 2027; dates must not move.
    args = ["schedule", "--start-date", "2027-03-20", "--json"]
    zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC"]
    outputs = {tz: run(*args, env={"TZ": tz}) for tz in zones}
    assert len(set(outputs.values())) == 1
    steps = json.loads(outputs["UTC"])["steps"]
    assert steps[1]["first_date"] == "2027-03-27"
    assert steps[2]["first_date"] == "2027-04-03"


def test_leap_day_is_a_day_of_the_schedule() -> None:
    s = build_schedule(start_date=date(2028, 2, 27))
    days = [when for _, when, _ in s.daily()]
    assert date(2028, 2, 29) in days
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(days))
    supply = plan_batches(s)
    assert supply.batches[0].discard_date == date(2028, 3, 11)  # 27 Feb + 13 days, via 29 Feb
