"""The diary's use cases as a library user calls them: ``ldncalc.diary.service.Diary``.

Every rule of recording lives in ``Diary``; these tests call it directly, with
no CLI, on a real diary file in a temp folder and a fixed clock. The plan of
most tests is LDN Research Trust's weekly one started 2026-09-01: 1, 2, 3, 4 mg a
week each, then 4.5 mg from 2026-09-29; liquid 1 x 50 mg in 50 mL = 1 mg/mL, so
N mg is N mL. Expected values are written out by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from fractions import Fraction as F
from pathlib import Path

import pytest

from ldncalc.diary.cautions import DiaryWarning
from ldncalc.diary.entries import (
    Action,
    Adjust,
    Diluted,
    Missed,
    Mixed,
    Note,
    PlanStarted,
    Took,
    Undo,
)
from ldncalc.diary.service import Diary
from ldncalc.diary.store import Store
from ldncalc.dose.preparation import make_preparation
from ldncalc.errors import InvalidInputError, LdncalcError, RefusedError
from ldncalc.plan.titration import custom_protocol

TODAY = date(2026, 12, 1)
START = date(2026, 9, 1)


def open_diary(folder: Path) -> Diary:
    return Diary(Store(folder), clock=lambda: TODAY)


@pytest.fixture
def diary(tmp_path: Path) -> Diary:
    made = open_diary(tmp_path / "home")
    made.start_plan("ldnrt-weekly", start_date=START)
    return made


def kinds(diary: Diary) -> list[str]:
    return [type(e.payload).__name__ for e in diary.entries()]


def file_digest(diary: Diary) -> str:
    return hashlib.sha256(diary.path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ plans


def test_open_honours_ldncalc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LDNCALC_HOME", str(tmp_path / "elsewhere"))
    opened = Diary.open()
    assert opened.path.parent == tmp_path / "elsewhere"
    assert opened.profile == "default"
    assert Diary.open(tmp_path / "mine", "mum").profile == "mum"


def test_start_plan_returns_the_entry_with_its_id(diary: Diary) -> None:
    (entry,) = diary.entries()
    assert entry.id == 1
    assert isinstance(entry.payload, PlanStarted)
    assert entry.payload.target_mg == F(9, 2)
    assert diary.living().review_date == date(2026, 11, 24)  # 09-29 + 56 days


def test_a_running_plan_is_not_replaced_unless_forced(tmp_path: Path) -> None:
    diary = open_diary(tmp_path)
    diary.start_plan("ldnrt-weekly", start_date=date(2026, 11, 16))  # runs into 2027
    with pytest.raises(RefusedError, match=r"^a plan is running \(LDN Research Trust") as info:
        diary.start_plan("ldnrt-weekly", start_date=date(2026, 11, 30))
    assert info.value.code == "plan-running"
    recorded = diary.start_plan("ldnnaltrexone", start_date=date(2026, 11, 30), force=True)
    assert recorded.entry.id == 2


def test_a_plan_in_maintenance_runs_until_it_is_stopped(diary: Diary) -> None:
    # 4.5 mg from 2026-09-29 goes on (maintenance) until a stop: a new plan needs force
    with pytest.raises(RefusedError, match="a plan is running"):
        diary.start_plan("ldnnaltrexone", start_date=TODAY)
    diary.adjust("stop", on=date(2026, 11, 30))
    assert diary.start_plan("ldnnaltrexone", start_date=TODAY).entry.id == 3


def test_a_plan_whose_target_is_a_decimal_slip_asks(tmp_path: Path) -> None:
    diary = open_diary(tmp_path)
    steps = custom_protocol(start_mg="0.5mg", step_mg="0.5mg", every_days=7, target_mg="45mg")
    # 45 mg is ten times no dose of this climb (0.5 to 4.5 in halves... 4.5 is one)
    with pytest.raises(RefusedError, match=r"did you mean 4\.5 mg\?") as info:
        diary.start_plan(steps, start_date=START)
    assert info.value.code == "ten-times"
    assert not diary.path.exists()  # nothing written, not even the file


def test_an_unknown_protocol_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no-such"):
        open_diary(tmp_path).start_plan("no-such", start_date=START)


# ------------------------------------------------------------------ a day's record


def test_took_and_missed_share_one_rule_for_a_day(diary: Diary) -> None:
    day = date(2026, 9, 2)
    took = diary.took(on=day)
    assert took.entry.payload == Took(F(1))
    with pytest.raises(RefusedError, match=r"2026-09-02 already has a dose taken \(entry 2\)"):
        diary.took(on=day)
    with pytest.raises(RefusedError, match=r"2026-09-02 already has a dose taken \(entry 2\)"):
        diary.missed(on=day)
    other = date(2026, 9, 3)
    diary.missed(on=other)
    with pytest.raises(RefusedError, match=r"already has a missed dose \(entry 3\)") as info:
        diary.took(on=other)
    assert info.value.code == "day-recorded"
    with pytest.raises(RefusedError, match=r"already has a missed dose \(entry 3\)"):
        diary.missed(on=other)
    assert diary.took("2mg", on=other, again=True).warnings == (
        DiaryWarning(
            "not-planned-dose",
            "2 mg is not the planned 1 mg; recorded as given",
            {"dose_mg": "2", "planned_mg": "1"},
        ),
    )
    assert kinds(diary) == ["PlanStarted", "Took", "Missed", "Took"]


def test_took_warns_of_a_decimal_slip(diary: Diary) -> None:
    recorded = diary.took("10mg", on=date(2026, 9, 2))
    assert recorded.warnings == (
        DiaryWarning(
            "ten-times-planned",
            "10 mg is 10 times more than the planned 1 mg: check the decimal point and mg "
            "against mcg; recorded as given",
            {"dose_mg": "10", "planned_mg": "1"},
        ),
    )


def test_nothing_is_recorded_for_a_day_after_today(diary: Diary) -> None:
    later = date(2026, 12, 2)
    with pytest.raises(InvalidInputError, match="2026-12-02 is after today: a dose taken"):
        diary.took(on=later)
    with pytest.raises(InvalidInputError, match="2026-12-02 is after today: a missed dose"):
        diary.missed(on=later)
    with pytest.raises(InvalidInputError, match="2026-12-02 is after today: a note"):
        diary.note("x", on=later)
    with pytest.raises(InvalidInputError, match="2026-12-02 is after today: a bottle mixed"):
        diary.mixed(on=later)
    assert kinds(diary) == ["PlanStarted"]


def test_a_diary_without_a_plan_refuses_doses_but_keeps_a_baseline(tmp_path: Path) -> None:
    diary = open_diary(tmp_path)
    with pytest.raises(RefusedError, match="this diary has no plan yet"):
        diary.took("1mg", on=TODAY)
    assert not diary.path.exists()
    note = diary.note(on=date(2026, 8, 20), scores=[("pain", 7), ("enjoyment", 6)])
    assert note.entry.payload == Note("", (("pain", 7), ("enjoyment", 6)))
    diary.start_plan("ldnrt-weekly", start_date=START)  # 12 days later: a baseline
    with pytest.raises(RefusedError, match=r"more than 28 days before the plan's start") as info:
        diary.note("too early", on=date(2026, 8, 3))  # 29 days before
    assert info.value.code == "note-too-early"
    assert diary.note("just in", on=date(2026, 8, 4)).entry.id == 3  # 28 days before


def test_a_note_with_the_pgic(diary: Diary) -> None:
    assert diary.note(pgic=2, on=TODAY).entry.payload == Note(pgic=2)
    scored = diary.note(on=TODAY, scores={"pain": 3, "enjoyment": 4, "activity": 5})
    assert scored.entry.payload == Note("", (("pain", 3), ("enjoyment", 4), ("activity", 5)))
    with pytest.raises(InvalidInputError, match="the PGIC is a whole number from 1"):
        diary.note(pgic=9, on=TODAY)


# ------------------------------------------------------------------ bottles


def test_mixed_records_the_plans_recipe_or_the_one_given(diary: Diary) -> None:
    from ldncalc.dose.preparation import make_preparation

    assert diary.mixed(on=START).entry.payload == Mixed(1, F(50), F(50), keep_days=14)
    given = diary.mixed(on=START, preparation=make_preparation(water_ml="100 mL"), keep_days=7)
    assert given.entry.payload == Mixed(1, F(50), F(100), keep_days=7)


def test_mixed_keeps_the_plans_recipe_for_the_parts_not_given(tmp_path: Path) -> None:
    """A trial: 'mixed --water 90mL' on a plan of 2 tablets in 100 mL recorded 1 tablet."""
    diary = open_diary(tmp_path)
    diary.start_plan(
        "ldnrt-weekly", start_date=START, preparation=make_preparation(2, "50 mg", "100 mL")
    )
    water = diary.mixed(on=START, water_ml="90 mL")
    assert water.entry.payload == Mixed(2, F(50), F(90), keep_days=14)
    assert water.warnings == ()
    # The day's 1 mg is then 0.9 mL of 100 mg in 90 mL (not 1.8 mL of 50 mg in 90 mL).
    day = diary.today(on=START)
    assert day.plan is not None
    assert day.plan.dose_mg == 1
    assert day.plan.volume_ml == F(1) / (F(100) / F(90)) == F("0.9")
    tablets = diary.mixed(on=START, tablets=1).entry.payload
    assert tablets == Mixed(1, F(50), F(100), keep_days=14)
    # A concentration: the plan's two tablets at it, the water put on a mark and said so.
    strong = diary.mixed(on=START, concentration_mg_per_ml="3 mg/mL")
    assert strong.entry.payload == Mixed(2, F(50), F("33.4"), keep_days=14)
    [moved] = strong.warnings
    assert moved.code == "water-on-mark"
    assert dict(moved.params) == {"asked_mg_per_ml": "3", "made_mg_per_ml": "500/167"}
    assert F(100) / F("33.4") == F(500, 167)


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ({"preparation": make_preparation(), "water_ml": "90 mL"}, "recipe-twice"),
        ({"water_ml": "90 mL", "concentration_mg_per_ml": "2 mg/mL"}, "water-and-concentration"),
        ({"tablets": 0}, "number-out-of-range"),
    ],
)
def test_a_bottle_mixed_with_a_recipe_that_does_not_hold_is_refused(
    diary: Diary, given: dict[str, object], code: str
) -> None:
    before = file_digest(diary)
    with pytest.raises(InvalidInputError) as refused:
        diary.mixed(on=START, **given)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert file_digest(diary) == before


def test_a_dilution_is_recorded_with_the_plans_amounts(tmp_path: Path) -> None:
    diary = open_diary(tmp_path)
    steps = custom_protocol(start_mg="50mcg", target_mg="50mcg")
    diary.start_plan(steps, start_date=START, hold_days=28)
    diary.mixed(on=START)  # a stage is made from a liquid she holds
    recorded = diary.diluted(on=START)
    made = recorded.entry.payload
    assert isinstance(made, Diluted)
    # 50 mcg drawn as 1 mL needs 0.05 mg/mL: 1 mL of the 1 mg/mL stock in 19 mL of water.
    assert (made.source_mg_per_ml, made.source_ml, made.water_ml) == (F(1), F(1), F(19))
    assert made.concentration_mg_per_ml == F(1, 20)
    assert (made.stage, made.keep_days) == (1, 14)
    own = diary.diluted(on=START, source_ml="2 mL", water_ml="38 mL").entry.payload
    assert isinstance(own, Diluted)
    assert own.concentration_mg_per_ml == F(1, 20)


def test_a_dilution_where_the_plan_has_none_is_refused(diary: Diary) -> None:
    with pytest.raises(RefusedError, match="the plan has no diluted dose on or after") as info:
        diary.diluted(on=START)
    assert info.value.code == "no-dilution-planned"


# ------------------------------------------------------------------ adjustments


@pytest.mark.parametrize(
    ("action", "dose", "confirm", "message"),
    [
        ("target", "49mg", True, r"no later day could follow it: a day needs [0-9.]+ mL of stock"),
        ("dose", "50mg", True, "no later day could follow it: a day needs 50 mL of stock"),
        ("dose", "0.0001mg", False, "no later day could follow it: 0.1 mcg is an ultra-low dose"),
        ("target", "45mg", False, r"the target 45 mg is ten times the plan's 4\.5 mg: did you"),
        ("dose", "10mg", False, r"the dose 10 mg is ten times the plan's 1 mg: did you mean 1 mg"),
    ],
)
def test_an_adjustment_no_later_day_could_follow_is_refused(
    diary: Diary, action: Action, dose: str, confirm: bool, message: str
) -> None:
    before = file_digest(diary)
    with pytest.raises(RefusedError, match=message):
        diary.adjust(action, on=date(2026, 10, 1), dose=dose, confirm=confirm)
    assert file_digest(diary) == before


HIGH = "above the usual low-dose range (up to 4.5 mg); check it with the prescriber"
RISE = "more than the usual step (up to 1.5 mg); check it with the prescriber"


def test_a_high_target_is_refused_unless_confirmed_then_warned(diary: Diary) -> None:
    # Issue 23 section 11: above 4.5 mg is a soft stop, as the tenfold slip is.
    before = file_digest(diary)
    with pytest.raises(RefusedError) as info:
        diary.adjust("target", on=date(2026, 10, 1), dose="6mg")
    assert str(info.value) == f"the target 6 mg is {HIGH}"
    assert info.value.code == "soft-limit"
    assert file_digest(diary) == before
    six = diary.adjust("target", on=date(2026, 10, 1), dose="6mg", confirm=True)
    assert six.warnings == (
        DiaryWarning(
            "above-usual-range",
            f"the target 6 mg is {HIGH}",
            {"what": "the target", "dose_mg": "6", "usual_mg": "4.5"},
        ),
    )
    assert six.entry.payload == Adjust("target", dose_mg=F(6))
    confirmed = diary.adjust("target", on=date(2026, 10, 2), dose="45mg", confirm=True)
    assert [(w.code, w.message) for w in confirmed.warnings] == [
        ("above-usual-range", f"the target 45 mg is {HIGH}")
    ]


@pytest.mark.parametrize(
    ("dose", "on", "message"),
    [
        # 4.5 mg is within the range; 25 mg above it
        ("25mg", date(2026, 9, 10), f"the dose 25 mg is {HIGH}"),
        # at 2 mg on 09-09 (the 3 mg step begins 09-15): 4 mg is a rise of 2 mg
        ("4mg", date(2026, 9, 10), f"the plan rises 2 mg in one step (2 mg to 4 mg), {RISE}"),
        # on a rise day the rise is from the day before's dose: 2 mg on 09-14 to 3.6 mg
        ("3.6mg", date(2026, 9, 15), f"the plan rises 1.6 mg in one step (2 mg to 3.6 mg), {RISE}"),
    ],
)
def test_a_dose_above_the_soft_limits_is_refused_unless_confirmed(
    diary: Diary, dose: str, on: date, message: str
) -> None:
    before = file_digest(diary)
    with pytest.raises(RefusedError) as info:
        diary.adjust("dose", on=on, dose=dose)
    assert (str(info.value), info.value.code) == (message, "soft-limit")
    assert file_digest(diary) == before
    warnings = diary.adjust("dose", on=on, dose=dose, confirm=True).warnings
    assert warnings[0].message == message  # 25 mg is also a rise of 23 mg: both are said
    assert {w.code for w in warnings} <= {"above-usual-range", "above-usual-step"}
    assert len(warnings) == (2 if dose == "25mg" else 1)


def test_a_dose_within_the_soft_limits_is_kept_without_a_word(diary: Diary) -> None:
    # 2 mg on 09-09 to 3.5 mg: a rise of 1.5 mg, the usual step at most (not above it)
    assert diary.adjust("dose", on=date(2026, 9, 10), dose="3.5mg").warnings == ()
    assert diary.adjust("target", on=date(2026, 9, 20), dose="4.5mg").warnings == ()


SLIP = "check the decimal point and mg against mcg; recorded as given"


def test_a_dose_set_to_a_tenth_of_the_dose_in_force_asks_did_you_mean(diary: Diary) -> None:
    # DOMAIN: a tenfold slip asks "did you mean ...?". On 2026-11-01 the plan gives
    # 4.5 mg (from 09-29); 0.45 mg is a tenth of it, kept (a lower dose is no danger)
    # but asked about, as `took` warns of 0.1 mg against a planned 1 mg.
    recorded = diary.adjust("dose", on=date(2026, 11, 1), dose="0.45mg")
    assert recorded.warnings == (
        DiaryWarning(
            "ten-times-planned",
            "0.45 mg is 10 times less than the dose in force, 4.5 mg: did you mean 4.5 mg? " + SLIP,
            {"dose_mg": "0.45", "planned_mg": "4.5"},
        ),
    )
    assert recorded.entry.payload == Adjust("dose", dose_mg=F(45, 100))
    # Twenty times less than 3 mg (09-15 to 09-21): the point moved back is asked about.
    on_three = diary.adjust("dose", on=date(2026, 9, 16), dose="0.15mg").warnings
    assert [w.message for w in on_three] == [
        "0.15 mg is 20 times less than the dose in force, 3 mg: did you mean 1.5 mg? " + SLIP
    ]
    # A tenfold target is asked about as well; a change under ten times is not.
    target = diary.adjust("target", on=date(2026, 11, 2), dose="0.45mg").warnings
    assert [w.message for w in target] == [
        "0.45 mg is 10 times less than the target, 4.5 mg: did you mean 4.5 mg? " + SLIP
    ]
    assert diary.adjust("dose", on=date(2026, 11, 3), dose="0.05mg").warnings == ()  # 9 times
    assert diary.adjust("dose", on=date(2026, 11, 4), dose="0.5mg").warnings[0].params == {
        "dose_mg": "0.5",
        "planned_mg": "0.05",
    }


def test_a_plan_above_the_soft_limits_is_refused_unless_confirmed(tmp_path: Path) -> None:
    diary = open_diary(tmp_path)
    huge = custom_protocol(start_mg="1mg", step_mg="44mg", every_days=1, target_mg="45mg")
    with pytest.raises(RefusedError) as info:
        diary.start_plan(huge, start_date=START)
    assert (str(info.value), info.value.code) == (f"the target 45 mg is {HIGH}", "soft-limit")
    steep = custom_protocol(start_mg="1mg", step_mg="2mg", every_days=7, target_mg="3mg")
    with pytest.raises(RefusedError) as info:
        diary.start_plan(steep, start_date=START)
    assert str(info.value) == f"the plan rises 2 mg in one step (1 mg to 3 mg), {RISE}"
    assert info.value.code == "soft-limit"
    assert not diary.path.exists() or diary.entries() == []
    recorded = diary.start_plan(steep, start_date=START, confirm=True)
    assert recorded.warnings == (
        DiaryWarning(
            "above-usual-step",
            f"the plan rises 2 mg in one step (1 mg to 3 mg), {RISE}",
            {"from_mg": "1", "to_mg": "3", "usual_mg": "1.5"},
        ),
    )


def test_a_hold_on_a_rise_day_keeps_the_day_before_dose(tmp_path: Path) -> None:
    # Issue 23 section 1, through the library: 0.1 mg up 0.2 mg a week from 2026-06-01;
    # back on 06-18 (at 0.5 mg) to 0.3 mg for a week; 0.5 mg was due again on 06-25.
    diary = open_diary(tmp_path)
    sensitive = custom_protocol(start_mg="0.1mg", step_mg="0.2mg", every_days=7, target_mg="1.5mg")
    diary.start_plan(sensitive, start_date=date(2026, 6, 1))
    diary.adjust("back", on=date(2026, 6, 18))
    assert diary.today(on=date(2026, 6, 25)).status.planned_dose_mg == F(1, 2)
    diary.adjust("hold", on=date(2026, 6, 25))
    days = [date(2026, 6, 24), date(2026, 6, 25), date(2026, 7, 30)]
    assert [diary.today(on=d).status.planned_dose_mg for d in days] == [F(3, 10)] * 3
    weekly = open_diary(tmp_path / "weekly")
    weekly.start_plan("ldnrt-weekly", start_date=date(2026, 6, 1))
    weekly.adjust("hold", on=date(2026, 6, 8))
    assert weekly.today(on=date(2026, 6, 8)).status.planned_dose_mg == 1  # 06-07's


def test_back_after_a_dose_returns_to_the_dose_before_it(diary: Diary) -> None:
    # Issue 23 section 11: at 2 mg on 09-09, the prescriber set 3.5 mg on 09-10; back on
    # 09-12 returns to 2 mg, the dose before it, not to 3 mg (the plan's step below 3.5 mg).
    diary.adjust("dose", on=date(2026, 9, 10), dose="3.5mg")
    diary.adjust("back", on=date(2026, 9, 12))
    window = diary.history(start=date(2026, 9, 9), end=date(2026, 9, 13))
    planned = [d.planned_dose_mg for d in window.days]
    assert planned == [2, F(7, 2), F(7, 2), 2, 2]


def test_an_adjustment_above_a_tablet_is_refused(tmp_path: Path) -> None:
    from ldncalc.dose.preparation import make_preparation

    diary = open_diary(tmp_path)
    prep = make_preparation(tablets=2, strength_mg="4.5mg", water_ml="9mL")  # 1 mg/mL
    diary.start_plan("ldnrt-weekly", start_date=START, preparation=prep)
    with pytest.raises(RefusedError, match=r"the target 6 mg is more than a whole tablet \(4\.5"):
        diary.adjust("target", on=date(2026, 10, 1), dose="6mg")


def test_an_unknown_action_is_a_usage_error(diary: Diary) -> None:
    with pytest.raises(InvalidInputError, match="no action 'faster'; choose one of: back, hold"):
        diary.adjust("faster", on=TODAY)  # type: ignore[arg-type]  # what mypy catches


# ------------------------------------------------------------------ undo


def test_undo_twice_is_refused_and_an_undone_undo_restores(diary: Diary) -> None:
    diary.took(on=date(2026, 9, 2))
    first = diary.undo(2)
    assert (first.entry.id, first.target_id) == (3, 2)
    assert isinstance(first.entry.payload, Undo)
    with pytest.raises(
        RefusedError, match=r"entry 2 is already undone by entry 3; to restore"
    ) as info:
        diary.undo(2)
    assert info.value.code == "undone-already"
    diary.undo(3)  # restores entry 2
    assert diary.living().dose_on(date(2026, 9, 2)) == 1
    with pytest.raises(RefusedError, match=r"entry 3 is already undone by entry 4"):
        diary.undo(3)
    # entry 2 stands again, so it can be undone again
    assert diary.undo(2).target_id == 2
    # undoing the only plan would leave no plan: refused, saying how to start again
    with pytest.raises(RefusedError, match="undoing it would leave a diary whose entries make"):
        diary.undo(1)
    with pytest.raises(InvalidInputError, match="this diary has no entry 99"):
        diary.undo(99)


# ------------------------------------------------------------------ import


def _export_of(payloads: list[tuple[str, date, dict[str, object]]]) -> dict[str, object]:
    entries = [
        {
            "uid": f"{n:032x}",
            "kind": kind,
            "date": day.isoformat(),
            "recorded_at": "2026-09-01T08:00:00+00:00",
            "payload": payload,
        }
        for n, (kind, day, payload) in enumerate(payloads, start=1)
    ]
    return {"schema": "ldncalc.diary/1", "profile": "default", "entries": entries}


def test_an_import_is_checked_by_the_rules_of_recording(diary: Diary, tmp_path: Path) -> None:
    plan = json.loads(json.dumps(diary.export()["entries"][0]["payload"]))
    other = open_diary(tmp_path / "other")
    huge_dose = _export_of(
        [
            ("plan", START, plan),
            (
                "adjust",
                date(2026, 10, 1),
                {
                    "action": "dose",
                    "dose_mg": "49",
                    "step_mg": None,
                    "every_days": None,
                    "for_days": None,
                    "reason": None,
                },
            ),
        ]
    )
    with pytest.raises(RefusedError, match=r"^entry 2 of the export is refused: no later day"):
        other.import_(huge_dose)
    assert not other.path.exists()
    many_tablets = _export_of([("plan", START, {**plan, "tablets": 1000})])
    with pytest.raises(RefusedError, match=r"^entry 1 of the export is refused: "):
        other.import_(many_tablets)
    assert other.import_(_export_of([("plan", START, plan)])) == 1


# ------------------------------------------------------------------ a saved entry


def test_a_saved_entry_is_never_reported_as_a_failure(diary: Diary) -> None:
    # The confirmation cannot be written (a full disk): the entry is saved, so exit 0,
    # and the reason goes to stderr; a retrying script would otherwise record it twice.
    env = {**os.environ, "LDNCALC_HOME": str(diary.path.parent)}
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "ldncalc", "note", "retry", "--date", "2026-09-05"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            check=False,
        )
    assert done.returncode == 0
    assert done.stderr == (
        "Warning: entry 2 is saved, but its confirmation could not be printed "
        "(No space left on device)\n"
    )
    assert kinds(diary) == ["PlanStarted", "Note"]
    closed = subprocess.run(
        [sys.executable, "-m", "ldncalc", "took", "--date", "2026-09-05"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode == 0, closed.stderr
    assert kinds(diary) == ["PlanStarted", "Note", "Took"]
    assert isinstance(diary.entries()[-1].payload, Took)
    assert not any(isinstance(e.payload, Missed) for e in diary.entries())


# ------------------------------------------------------------------ reading


def test_history_is_a_window_with_each_entrys_state(diary: Diary) -> None:
    diary.took(on=date(2026, 9, 2))
    diary.undo(2)
    window = diary.history(start=date(2026, 9, 1), end=date(2026, 9, 3))
    # the undo is dated today (outside the window); the took is still marked undone
    assert [(row.entry.id, row.undone_by) for row in window.entries] == [(1, None), (2, 3)]
    assert [d.date for d in window.days] == [date(2026, 9, d) for d in (1, 2, 3)]
    assert [d.planned_dose_mg for d in window.days] == [1, 1, 1]
    assert window.days[1].taken_dose_mg is None  # undone
    with pytest.raises(
        InvalidInputError, match="the first day 2026-09-03 is after the last 2026-09-01"
    ):
        diary.history(start=date(2026, 9, 3), end=date(2026, 9, 1))


def test_report_through_the_service(diary: Diary) -> None:
    made = diary.report(start=START, end=date(2026, 9, 30))
    assert (made.start, made.end) == (START, date(2026, 9, 30))


def test_the_services_messages_name_no_command_and_no_option(diary: Diary) -> None:
    # The library speaks of the diary; the CLI adds its hints by each error's code.
    day = date(2026, 9, 2)
    diary.took(on=day)
    calls: list[Callable[[], object]] = [
        lambda: diary.took(on=day),
        lambda: diary.diluted(on=day),
        lambda: diary.undo(1),
        lambda: diary.adjust("target", on=day, dose="45mg"),
        lambda: diary.adjust("target", on=day, dose="49mg"),
        lambda: diary.note("x", on=date(2026, 7, 1)),
        lambda: diary.history(start=date(2026, 9, 3), end=day),
        lambda: diary.start_plan("ldnrt-weekly", start_date=date(2026, 11, 30)),
    ]
    for call in calls:
        with pytest.raises(LdncalcError) as info:
            call()
        assert "ldncalc" not in str(info.value), info.value
        assert "--" not in str(info.value), info.value


def test_today_returns_codes_and_bottles_not_command_text(diary: Diary) -> None:
    # ldnrt-weekly from 09-01: 1 mg, 2 mg from 09-08. A bottle of 1 x 50 mg in
    # 100 mL (0.5 mg/mL) mixed 09-01; 1 mg a day taken for 7 days is 2 mL each.
    diary.mixed(on=START, preparation=make_preparation(1, "50mg", "100mL"))
    for n in range(7):
        diary.took(on=date(2026, 9, 1 + n))
    day = diary.today(on=date(2026, 9, 8))
    assert day.batch is not None
    assert (day.batch.number, day.batch.recorded, day.batch.left_ml) == (1, True, F(86))
    assert day.plan is not None
    assert day.plan.volume_ml == 4  # 2 mg at 0.5 mg/mL: the volume is for the bottle
    diary.adjust("hold", on=date(2026, 9, 9))
    held = diary.today(on=date(2026, 9, 10))
    assert held.hold_since == date(2026, 9, 9)
    diary.adjust("stop", on=date(2026, 9, 12))
    stopped = diary.today(on=date(2026, 9, 20))
    assert (stopped.stopped_on, stopped.restart_mg) == (date(2026, 9, 12), F(2))
    assert stopped.to_mix == ()
    # Nothing the library returns words a command: the CLI does, for the diary at hand.
    for value in (day, held, stopped):
        assert "ldncalc" not in repr(value)
