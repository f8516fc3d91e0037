"""The liquids a person holds: a stage is made only from one she holds, and outlives none.

Issue 23, faults 2 and 3: a second stage was recorded without its first, and a
dilution's label outlived its stock. The expected dates here are worked by hand
from the keep periods (the mixing day is day 1).
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction as F
from pathlib import Path

import pytest

from ldncalc.diary.entries import Diluted
from ldncalc.diary.liquids import discard_date, held_liquids
from ldncalc.diary.service import Diary
from ldncalc.diary.store import Store
from ldncalc.errors import InvalidInputError, RefusedError
from ldncalc.plan.titration import custom_protocol
from tests.test_cli_diary import Home

TODAY = date(2026, 12, 1)
START = date(2026, 3, 2)


@pytest.fixture
def micro(tmp_path: Path) -> Diary:
    """A 1 mcg plan: 1 mL of 1 mg/mL + 9 mL = 0.1 mg/mL, then 1 mL of that + 99 mL = 0.001."""
    diary = Diary(Store(tmp_path), clock=lambda: TODAY)
    diary.start_plan(
        custom_protocol(start_mg="1mcg", target_mg="1mcg"), start_date=START, hold_days=60
    )
    return diary


def _day(n: int) -> date:
    return START + timedelta(days=n - 1)


def test_stage_1_needs_a_bottle_of_stock_recorded(micro: Diary) -> None:
    with pytest.raises(RefusedError) as info:
        micro.diluted(on=START)
    assert info.value.code == "no-stock-held"
    assert str(info.value) == (
        "stage 1 of the dilution is made from the 1 mg/mL stock, and on 2026-03-02 no bottle "
        "of stock is recorded and in date: mix a bottle of the 1 mg/mL stock first"
    )
    assert not any(isinstance(e.payload, Diluted) for e in micro.entries())


def test_stage_2_needs_its_first_stage_recorded(micro: Diary) -> None:
    micro.mixed(on=START)
    with pytest.raises(RefusedError) as info:
        micro.diluted(on=START, stage=2)
    assert info.value.code == "no-dilution-held"
    assert str(info.value) == (
        "stage 2 is made from the 0.1 mg/mL stage-1 dilution, and on 2026-03-02 no stage-1 "
        "dilution is recorded and in date: make stage 1 first (1 mL of the 1 mg/mL stock + "
        "9 mL of water = 0.1 mg/mL)"
    )
    micro.diluted(on=START)
    made = micro.diluted(on=START, stage=2).entry.payload
    assert isinstance(made, Diluted)
    assert made.concentration_mg_per_ml == F(1, 1000)


def test_stage_2_needs_a_first_stage_of_the_concentration_it_starts_from(micro: Diary) -> None:
    micro.mixed(on=START)
    micro.diluted(on=START, source_ml="2 mL", water_ml="8 mL")  # 0.2 mg/mL, not 0.1
    with pytest.raises(RefusedError, match=r"the stage-1 dilution in date is 0\.2 mg/mL") as info:
        micro.diluted(on=START, stage=2)
    assert info.value.code == "no-dilution-held"


def test_a_stage_is_made_only_from_a_liquid_in_date(micro: Diary) -> None:
    micro.mixed(on=START)  # kept 14 days: to 03-15
    with pytest.raises(RefusedError, match="no bottle of stock is recorded and in date"):
        micro.diluted(on=_day(15))
    micro.diluted(on=_day(14), keep_days=2)  # to 03-16, but the stock ends 03-15
    with pytest.raises(RefusedError, match="no stage-1 dilution is recorded and in date"):
        micro.diluted(on=_day(15), stage=2)
    micro.mixed(on=_day(15))
    micro.diluted(on=_day(15))
    micro.diluted(on=_day(15), stage=2)


def test_stage_1_from_a_stock_of_another_concentration_is_the_plans_liquid(micro: Diary) -> None:
    """The plan's 1 mL of 1 mg/mL + 9 mL is, from a 0.25 mg/mL stock, 4 mL of it + 6 mL."""
    from ldncalc.dose.preparation import make_preparation

    micro.mixed(on=START, preparation=make_preparation(water_ml="200 mL"))
    made = micro.diluted(on=START).entry.payload
    assert isinstance(made, Diluted)
    assert (made.source_mg_per_ml, made.source_ml, made.water_ml) == (F(1, 4), F(4), F(6))
    assert made.concentration_mg_per_ml == F(1, 10)  # the plan's first stage


def test_an_undone_source_is_not_held(micro: Diary) -> None:
    mixed = micro.mixed(on=START)
    micro.undo(mixed.entry.id)
    with pytest.raises(RefusedError, match="no bottle of stock"):
        micro.diluted(on=START)


def test_no_liquid_is_kept_past_the_liquid_it_was_made_from(micro: Diary) -> None:
    stock = micro.mixed(on=START).entry.id  # own: 03-15
    first = micro.diluted(on=_day(8)).entry.id  # own: 03-22; the stock ends 03-15
    second = micro.diluted(on=_day(8), stage=2, keep_days=3).entry.id  # own: 03-11
    entries = micro.entries()
    assert discard_date(entries, stock) == date(2026, 3, 15)
    assert discard_date(entries, first) == date(2026, 3, 15)
    assert discard_date(entries, second) == date(2026, 3, 11)
    short = micro.diluted(on=_day(9), keep_days=1).entry.id  # 03-10 only
    third = micro.diluted(on=_day(9), stage=2).entry.id  # from the latest: 03-10's
    entries = micro.entries()
    assert discard_date(entries, short) == date(2026, 3, 10)
    assert discard_date(entries, third) == date(2026, 3, 10)
    held = {h.entry_id: h for h in held_liquids(entries)}
    assert (held[first].made_from, held[third].made_from) == (stock, short)
    with pytest.raises(InvalidInputError, match="records no bottle or dilution"):
        discard_date(entries, 1)


# ------------------------------------------------------------------ the CLI


@pytest.fixture
def home(tmp_path: Path) -> Home:
    made = Home(tmp_path / "home")
    made.ok("plan", "start", "--start", "1mcg", "--target", "1mcg", "--start-date", "2026-03-02")
    return made


def test_mixed_refuses_a_stage_she_cannot_make_and_says_what_to_mix_first(home: Home) -> None:
    assert home.refused(1, "mixed", "--dilution", "--date", "2026-03-09") == (
        "stage 1 of the dilution is made from the 1 mg/mL stock, and on 2026-03-09 no bottle "
        "of stock is recorded and in date: mix a bottle of the 1 mg/mL stock first; "
        "record it with 'ldncalc mixed', then the dilution"
    )
    home.ok("mixed", "--date", "2026-03-02")
    assert home.refused(1, "mixed", "--dilution", "--stage", "2", "--date", "2026-03-09") == (
        "stage 2 is made from the 0.1 mg/mL stage-1 dilution, and on 2026-03-09 no stage-1 "
        "dilution is recorded and in date: make stage 1 first (1 mL of the 1 mg/mL stock + "
        "9 mL of water = 0.1 mg/mL); record it with 'ldncalc mixed --dilution', then stage 2"
    )


def test_the_label_of_a_dilution_ends_with_its_stock(home: Home, tmp_path: Path) -> None:
    home.ok("mixed", "--date", "2026-03-02")  # the stock: discard after 03-15
    page = tmp_path / "label.html"
    out = home.ok("mixed", "--dilution", "--date", "2026-03-09", "--label", str(page))
    assert (
        "Discard after: 2026-03-15 (with the liquid it was made from; kept 14 days, "
        "the mixing day is day 1)"
    ) in out.splitlines()
    assert "2026-03-22" not in out
    html = page.read_text(encoding="utf-8")
    assert "<b>2026-03-15</b>" in html
    assert "2026-03-22" not in html


def test_today_gives_the_bottle_the_day_its_source_ends(home: Home) -> None:
    home.ok("mixed", "--date", "2026-03-02")  # to 03-15
    home.ok("mixed", "--dilution", "--date", "2026-03-09", "--keep", "2d")  # to 03-10
    out = home.ok("mixed", "--dilution", "--stage", "2", "--date", "2026-03-10")
    assert "Discard after: 2026-03-10 (with the liquid it was made from;" in out
    out = home.ok("today", "--date", "2026-03-10")
    assert (
        "Bottle: batch 3, dilution 2 of batch 2, mixed 2026-03-10 (recorded), discard after "
        "2026-03-10"
    ) in " ".join(out.split())
    today = home.json("today", "--date", "2026-03-10")
    assert today["batch"]["discard_date"] == "2026-03-10"


def test_a_wrong_second_stage_asks_for_the_first_stage_she_lacks(home: Home) -> None:
    from ldncalc.diary.codec import encode_payload

    home.ok("mixed", "--date", "2026-03-02")
    # A second stage written straight into the diary, of another strength, with no
    # first stage: the advice starts from the first stage, which stage 2 is made from.
    kind, payload = encode_payload(Diluted(F(1, 10), F(1), F(49), keep_days=14, stage=2))
    with Store(home.folder).transaction() as tx:
        tx.append(kind, date(2026, 3, 3), payload)
    out = " ".join(home.ok("today", "--date", "2026-03-03").split())
    assert (
        "Warning: the dilution recorded on 2026-03-03 is 0.002 mg/mL, not the plan's "
        "0.001 mg/mL: do not draw today's volume from it; mix the plan's dilution and record "
        "it: ldncalc mixed --dilution --date 2026-03-03, then ldncalc mixed --dilution "
        "--stage 2 --date 2026-03-03"
    ) in out
    home.ok("mixed", "--dilution", "--date", "2026-03-03")
    out = " ".join(home.ok("today", "--date", "2026-03-03").split())
    assert "record it: ldncalc mixed --dilution --stage 2 --date 2026-03-03" in out
    assert "record it: ldncalc mixed --dilution --date 2026-03-03, then" not in out


def test_a_dilution_is_recorded_on_a_maintenance_day_as_today_asks(tmp_path: Path) -> None:
    """Beyond the eight weeks at the target the dose goes on until a stop: so do its dilutions."""
    diary = Diary(Store(tmp_path), clock=lambda: TODAY)
    diary.start_plan(
        custom_protocol(start_mg="1mcg", step_mg="1mcg", every_days=7, target_mg="3mcg"),
        start_date=date(2025, 1, 6),
    )
    late = date(2025, 3, 17)  # 10 weeks in: past the plan's horizon, still 3 mcg a day
    diary.mixed(on=late)
    first = diary.diluted(on=late).entry.payload
    second = diary.diluted(on=late, stage=2).entry.payload
    assert isinstance(first, Diluted)
    assert isinstance(second, Diluted)
    assert (first.concentration_mg_per_ml, second.concentration_mg_per_ml) == (F(1, 10), F(1, 1000))


def test_a_liquid_has_one_name_in_today_on_its_label_and_in_the_diary(tmp_path: Path) -> None:
    """A plan with several dilutions: 0.01 mg/mL is 'dilution 3' wherever it is named."""
    home = Home(tmp_path / "home")
    home.ok(
        "plan", "start", "--start", "1mcg", "--step", "9mcg", "--every", "7d",
        "--target", "10mcg", "--start-date", "2026-03-02",
    )  # fmt: skip
    home.ok("mixed", "--date", "2026-03-09")
    # 1 mcg is 1 mL of 0.001 mg/mL (made through 0.1 mg/mL): dilutions 1 and 2;
    # 10 mcg is 1 mL of 0.01 mg/mL, the third liquid of the plan.
    out = " ".join(home.ok("today", "--date", "2026-03-09").split())
    assert "Dilution: Dilution 3: take 1 mL of the shaken stock (1 mg/mL)" in out
    assert "Mix today: batch 2, dilution 3 of batch 1: 1 mL of the stock" in out
    label = home.ok("mixed", "--dilution", "--date", "2026-03-09")
    assert "Dilution 3: 1 mL of the 1 mg/mL liquid + 99 mL of water" in label.splitlines()
    assert "dilution 1" not in label.lower()
    out = " ".join(home.ok("today", "--date", "2026-03-10").split())
    assert "Bottle: batch 2, dilution 3 of batch 1, mixed 2026-03-09 (recorded)" in out
    today = home.json("today", "--date", "2026-03-10")
    assert today["liquid"] == today["batch"]["liquid"] == "dilution 3"
    assert "dilution 1" not in home.ok("history").lower()


def test_a_dilution_of_a_stock_mixed_with_other_water_is_the_plans_liquid(home: Home) -> None:
    """Her stock is 50 mg in 25 mL (2 mg/mL): 0.1 mg/mL in 10 mL is 0.5 mL of it + 9.5 mL."""
    home.ok("mixed", "--water", "25mL", "--date", "2026-03-02")
    out = " ".join(home.ok("today", "--date", "2026-03-02").split())
    assert (
        "0.5 mL of the stock (2 mg/mL) + 9.5 mL of water = 0.1 mg/mL, then 1 mL of dilution 1 "
        "(0.1 mg/mL) + 99 mL of water = 0.001 mg/mL"
    ) in out
    assert "Warning: the bottle of stock in use is 2 mg/mL, not the plan's 1 mg/mL" in out
    # The hints run as printed, and record what the recipe said.
    label = home.ok("mixed", "--dilution", "--date", "2026-03-02").splitlines()
    assert "Dilution 1: 0.5 mL of the 2 mg/mL liquid + 9.5 mL of water" in label
    assert "Concentration: 0.1 mg/mL" in label
    home.ok("mixed", "--dilution", "--stage", "2", "--date", "2026-03-02")
    today = home.json("today", "--date", "2026-03-02")
    assert (today["mix_today"], today["batch"]["recorded"]) == (False, True)
    assert F(str(today["batch"]["concentration_mg_per_ml"])) == F(1, 1000)
