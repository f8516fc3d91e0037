"""The diary uses the whole kit (issue 26 items 1 and 2): every syringe owned and the scale.

``today``, ``plan show`` and ``plan start`` measure the plan with every
syringe in the profile's kit and its scale; ``--syringe`` on a diary command
overrides the kit for that command only; only ``kit`` changes the kit. The
patient of the issue owns a 1 mL and a 10 mL syringe: 0.3 mg and 1.5 mg need
no dilution. Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

from ldncalc.diary import kit as K
from ldncalc.diary.entries import Diluted, PlanStarted
from ldncalc.diary.service import Diary
from ldncalc.diary.store import Store
from ldncalc.dose.kit import Kit
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import ArgumentTypeError
from ldncalc.plan.titration import Protocol
from tests.test_cli_diary import Home

TODAY = date(2026, 12, 1)
ONE = Syringe(F(1), F(1, 100))
TEN = Syringe(F(10), F(1, 5))
# 0.3 mg for a week, then 1.5 mg: at 1 mg/mL, 0.3 mL and 1.5 mL.
HERS = Protocol("hers", "Hers", "0.3 mg, then 1.5 mg.", "test", ((F(3, 10), 7),), F(3, 2))


def open_diary(folder: Path) -> Diary:
    return Diary(Store(folder), clock=lambda: TODAY)


@pytest.fixture
def diary(tmp_path: Path) -> Diary:
    made = open_diary(tmp_path / "home")
    made.change_kit(K.kit_add("1mL"))
    made.change_kit(K.kit_add("10mL"))
    made.start_plan(HERS, start_date=date(2026, 11, 28))  # 0.3 mg to 12-04, then 1.5 mg
    return made


def test_today_draws_each_dose_with_a_syringe_she_owns_and_no_dilution(diary: Diary) -> None:
    for day, dose in ((date(2026, 12, 1), F(3, 10)), (date(2026, 12, 5), F(3, 2))):
        plan = diary.today(on=day).plan
        assert plan is not None
        assert plan.dose_mg == dose
        assert plan.dilution == ()
        assert plan.measurement.syringe in (ONE, TEN)
        assert plan.measurement.measured_ml == dose  # 1 mg/mL: the dose in mL, on a mark
        assert plan.delivered_mg == dose


def test_plan_show_measures_every_step_with_her_syringes(diary: Diary) -> None:
    steps = diary.plan().schedule.steps
    assert [s.plan.dose_mg for s in steps] == [F(3, 10), F(3, 2)]
    for step in steps:
        assert step.plan.dilution == ()
        assert step.plan.measurement.syringe in (ONE, TEN)


def test_without_her_kit_the_plan_asks_for_syringes_she_does_not_own(tmp_path: Path) -> None:
    bare = open_diary(tmp_path / "bare")
    bare.start_plan(HERS, start_date=date(2026, 11, 28))
    plan = bare.today().plan
    assert plan is not None
    assert plan.measurement.syringe not in (ONE, TEN)  # the catalogue's 0.5 mL


def test_a_commands_syringes_override_the_kit_for_that_answer_only(diary: Diary) -> None:
    only_ten = Kit((TEN,))
    plan = diary.today(kit=only_ten).plan
    assert plan is not None
    # 0.3 mL is 3% of a 10 mL syringe: a dilution, drawn with the 10 mL syringe.
    assert plan.dilution != ()
    assert plan.measurement.syringe == TEN
    assert {s.plan.measurement.syringe for s in diary.plan(kit=only_ten).schedule.steps} == {TEN}
    assert diary.kit().syringes == (ONE, TEN)  # the kit is unchanged
    again = diary.today().plan
    assert again is not None
    assert again.dilution == ()


def test_a_commands_syringe_overrides_the_one_a_plan_was_started_with(tmp_path: Path) -> None:
    made = open_diary(tmp_path / "own")
    made.start_plan(HERS, start_date=date(2026, 11, 28), syringe=TEN)
    kept = made.today().plan
    assert kept is not None
    assert kept.measurement.syringe == TEN
    plan = made.today(kit=Kit((ONE,))).plan
    assert plan is not None
    assert (plan.measurement.syringe, plan.dilution) == (ONE, ())


def test_the_kits_scale_weighs_the_water_of_the_plan(diary: Diary) -> None:
    by_volume = diary.today().plan
    diary.change_kit(K.kit_scale("0.1g"))
    weighed = diary.today().plan
    assert by_volume is not None
    assert weighed is not None
    # 50 mL weighed on a 0.1 g scale is off by far less than the 0.5 mL assumed by volume.
    assert weighed.range.range_percent < by_volume.range.range_percent
    # A command's --syringe keeps the kit's scale.
    ten = diary.today(kit=Kit((ONE,))).plan
    assert ten is not None
    assert ten.range == weighed.range


def test_a_kit_that_is_no_kit_is_a_wrong_type(diary: Diary) -> None:
    with pytest.raises(ArgumentTypeError):
        diary.today(kit="1mL")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError):
        diary.plan(kit=ONE)  # type: ignore[arg-type]


def test_a_dilution_recorded_is_the_one_today_plans_with_the_kit(tmp_path: Path) -> None:
    made = open_diary(tmp_path / "ten")
    made.change_kit(K.kit_add("10mL"))
    made.start_plan(HERS, start_date=date(2026, 11, 28))
    made.mixed(on=date(2026, 11, 28))
    today = made.today()
    assert today.plan is not None
    first = today.plan.dilution[0]
    made.diluted(on=TODAY)
    recorded = made.entries()[-1].payload
    assert isinstance(recorded, Diluted)
    # The 10 mL syringe's dilution (its aliquot and water), not the catalogue's.
    assert (recorded.source_ml, recorded.water_ml) == (first.aliquot_ml, first.water_ml)


# ------------------------------------------------------------------ the CLI


@pytest.fixture
def home(tmp_path: Path) -> Home:
    made = Home(tmp_path / "home")
    made.ok("kit", "add", "1mL")
    made.ok("kit", "add", "10mL")
    return made


PLAN = ("--start", "0.3mg", "--step", "1.2mg", "--every", "7d", "--target", "1.5mg")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_cli_today_and_plan_show_use_every_syringe_of_the_kit(home: Home) -> None:
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01")
    first = _flat(home.ok("today", "--date", "2026-12-02"))
    assert "Draw: 0.3 mL of the stock (1 mg/mL) from batch 1 on the 1 mL (0.01 mL marks)" in first
    assert "Dilution" not in first
    later = _flat(home.ok("today", "--date", "2026-12-09"))
    assert "of the stock (1 mg/mL)" in later
    assert "Dilution" not in later
    steps = home.json("plan", "show")["steps"]
    assert [s["dose_mg"] for s in steps] == [0.3, 1.5]
    assert all(s["dilution"] == [] for s in steps)
    assert {s["syringe_ml"] for s in steps} <= {1, 10}


def test_cli_syringe_on_today_and_plan_show_is_for_that_command_only(home: Home) -> None:
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01")
    once = _flat(home.ok("today", "--date", "2026-12-02", "--syringe", "10mL"))
    assert "Dilution 1:" in once
    # Said once: a syringe she does not own would do better.
    assert once.count("with a 0.5 mL (0.01 mL marks) syringe this needs no dilution") == 1
    shown = home.json("plan", "show", "--syringe", "10mL", "--syringe", "3mL")
    assert {s["syringe_ml"] for s in shown["steps"]} <= {3, 10}
    assert home.ok("kit").startswith("Syringes:    1 mL (0.01 mL marks), 10 mL (0.2 mL marks)\n")
    assert "Dilution" not in home.ok("today", "--date", "2026-12-02")


def test_cli_plan_start_takes_several_syringes_and_a_scale_for_that_command(
    home: Home,
) -> None:
    result = home.run(
        "plan", "start", *PLAN, "--start-date", "2026-12-01",
        "--syringe", "3mL", "--syringe", "5mL:0.1mL", "--scale", "0.1g",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Note: the plan was checked with the 3 mL (0.1 mL marks) and 5 mL (0.1 mL marks) "
        "syringes and the 0.1 g scale, for this command only; each day it is measured with "
        "your kit (syringes: 1 mL (0.01 mL marks), 10 mL (0.2 mL marks)): add them to the "
        "kit to keep them:\n"
        # Issue 26 item 2: the commands that keep them (5 mL's usual marks are 0.2 mL).
        "  ldncalc kit add 3mL\n"
        "  ldncalc kit add 5mL:0.1mL\n"
        "  ldncalc kit scale 0.1g\n"
    )
    started = [r for r in home.records() if r.kind == "plan"]
    assert len(started) == 1
    assert json.loads(started[0].payload)["syringe_ml"] is None  # nothing kept of them
    assert home.ok("kit").startswith("Syringes:    1 mL (0.01 mL marks), 10 mL (0.2 mL marks)\n")


def test_cli_plan_start_prints_the_commands_that_keep_its_syringes_and_scale(
    home: Home, tmp_path: Path
) -> None:
    # Issue 26 item 2: for the diary the command named (a folder with a space in its
    # name, another profile), leaving out what the kit has; they run as printed.
    import shlex

    folder = str(tmp_path / "her diary")
    home.ok("kit", "add", "1mL", "--profile", "ana", "--data-dir", folder)
    result = home.run(
        "plan", "start", *PLAN, "--start-date", "2026-12-01", "--dose-time", "22:00",
        "--syringe", "1mL", "--syringe", "10mL", "--scale", "0.1g", "--scale-accuracy", "0.2g",
        "--profile", "ana", "--data-dir", folder,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    quoted = shlex.quote(folder)
    assert result.stderr.splitlines()[1:] == [
        f"  ldncalc kit add 10mL --profile ana --data-dir {quoted}",
        f"  ldncalc kit scale 0.1g --accuracy 0.2g --profile ana --data-dir {quoted}",
    ]
    assert result.stderr.splitlines()[0].endswith("add them to the kit to keep them:")
    for line in result.stderr.splitlines()[1:]:
        words = shlex.split(line)
        assert words[0] == "ldncalc"
        home.ok(*words[1:])
    assert home.ok("kit", "--profile", "ana", "--data-dir", folder) == (
        "Syringes:    1 mL (0.01 mL marks), 10 mL (0.2 mL marks)\n"
        "Scale:       0.1 g (within 0.2 g)\n"
        "Dose time:   22:00\n"
    )
    # With all of them in the kit, the same start prints the note alone, as before.
    again = home.run(
        "plan", "start", *PLAN, "--start-date", "2026-12-01", "--force",
        "--syringe", "1mL", "--syringe", "10mL", "--scale", "0.1g", "--scale-accuracy", "0.2g",
        "--profile", "ana", "--data-dir", folder,
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert again.stderr.endswith("add them to the kit to keep them\n")
    assert len(again.stderr.splitlines()) == 1


def test_cli_plan_start_refuses_a_plan_its_syringes_cannot_measure(home: Home) -> None:
    message = home.refused(
        1, "plan", "start", *PLAN, "--start-date", "2026-12-01",
        "--syringe", "10mL:0.5mL", "--syringe", "20mL:1mL",
    )  # fmt: skip
    # 0.3 mg on 0.5 mL and 1 mL marks: no dilution reads it within 10%.
    assert message.startswith(
        "no dilution of one or two stages puts 0.3 mg on a good mark of the syringes given"
    )
    assert not [r for r in home.records() if r.kind == "plan"]


def test_cli_plan_start_with_one_syringe_keeps_it_with_the_plan(home: Home) -> None:
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01", "--syringe", "3mL")
    assert "on the 3 mL (0.1 mL marks) syringe" in _flat(home.ok("today", "--date", "2026-12-02"))
    started = next(r for r in home.records() if r.kind == "plan")
    assert json.loads(started.payload)["syringe_ml"] == "3"


def test_plan_started_payload_is_unchanged_by_the_kit(diary: Diary) -> None:
    started = next(e.payload for e in diary.entries() if isinstance(e.payload, PlanStarted))
    assert started.syringe_ml is None


# ------------------------------------------------------------------ files made from the diary


def _calendar(path: Path) -> list[Any]:
    from icalendar import Calendar

    return [c for c in Calendar.from_ical(path.read_bytes()).walk() if c.name == "VEVENT"]


def test_plan_show_writes_the_calendar_at_the_kits_hour_with_reminders(
    home: Home, tmp_path: Path
) -> None:
    home.ok("kit", "time", "22:00")
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01")
    ics = tmp_path / "plan.ics"
    result = home.run("plan", "show", "--ics", str(ics))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {ics}\n"
    doses = [e for e in _calendar(ics) if "rrule" in e]
    # One daily event a step, at 22:00 floating local time, with a reminder at the hour.
    assert [(e.decoded("dtstart"), dict(e["rrule"])["COUNT"]) for e in doses] == [
        (datetime(2026, 12, 1, 22, 0), [7]),
        (datetime(2026, 12, 8, 22, 0), [56]),
    ]
    for event in doses:
        assert event.decoded("dtstart").tzinfo is None
        (alarm,) = event.subcomponents
        assert alarm.name == "VALARM"
        assert alarm["action"] == "DISPLAY"
    # Measured with her syringes: 0.3 mL of the stock, on the 1 mL syringe, no dilution.
    assert "draw 0.3 mL of the stock (1 mg/mL)" in str(doses[0]["summary"])
    assert "on a 1 mL (0.01 mL marks) syringe" in str(doses[0]["description"])


def test_plan_show_without_a_kit_hour_keeps_all_day_events(home: Home, tmp_path: Path) -> None:
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01")
    ics = tmp_path / "plan.ics"
    assert home.run("plan", "show", "--ics", str(ics)).exit_code == 0
    events = _calendar(ics)
    assert events
    assert all(not isinstance(e.decoded("dtstart"), datetime) for e in events)
    assert not any("rrule" in e for e in events)


def test_plan_show_handout_and_calendar_weigh_the_water_on_the_kits_scale(
    home: Home, tmp_path: Path
) -> None:
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01")
    html, ics = tmp_path / "plan.html", tmp_path / "plan.ics"
    home.run("plan", "show", "--html", str(html), "--ics", str(ics))
    assert "weigh it" not in html.read_text(encoding="utf-8")
    home.ok("kit", "scale", "0.1g")
    result = home.run("plan", "show", "--html", str(html), "--ics", str(ics), "--force")
    assert result.exit_code == 0, result.output
    # 50 mL x 0.9975 g/mL = 49.875 g: 49.9 g on a 0.1 g scale.
    page = html.read_text(encoding="utf-8")
    assert "of distilled water (weigh it: 49.9 g on the scale; 1 mL of water weighs" in page
    mixing = [e for e in _calendar(ics) if str(e["summary"]).startswith("LDN: Mix batch")]
    assert mixing
    for event in mixing:
        assert "water: weigh it: 49.9 g on the scale." in str(event["description"])


def test_plan_show_never_writes_over_the_diary(home: Home) -> None:
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01")
    message = home.refused(1, "plan", "show", "--ics", str(home.file), "--force")
    assert "an output never replaces one" in message


def test_today_and_the_label_say_what_to_weigh_the_water_to(home: Home, tmp_path: Path) -> None:
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01")
    assert "weigh" not in home.ok("today", "--date", "2026-12-01")
    home.ok("kit", "scale", "0.1g")
    # 50 mL x 0.9975 g/mL = 49.875 g: 49.9 g on a 0.1 g scale.
    shown = _flat(home.ok("today", "--date", "2026-12-01"))
    assert (
        "Mix today: batch 1, the stock: 1 x 50 mg tablet in 50 mL of water = 1 mg/mL "
        "(water: weigh it: 49.9 g on the scale); discard after 2026-12-14"
    ) in shown
    label = tmp_path / "label.html"
    printed = home.ok("mixed", "--date", "2026-12-01", "--label", str(label))
    assert "\nWater weighed: 49.9 g on the 0.1 g scale\n" in printed
    assert "<br>Water weighed: 49.9 g on the 0.1 g scale</div>" in label.read_text("utf-8")


def test_a_label_without_a_scale_in_the_kit_weighs_nothing(home: Home) -> None:
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01")
    assert "Water weighed" not in home.ok("mixed", "--date", "2026-12-01")


def test_a_plan_with_its_own_syringe_names_one_she_lacks_that_does_better(tmp_path: Path) -> None:
    made = open_diary(tmp_path / "own")
    made.start_plan(HERS, start_date=date(2026, 11, 28), syringe=TEN)  # no kit
    today = made.today()  # 0.3 mg: 0.3 mL is 3% of the 10 mL syringe, diluted
    assert today.plan is not None
    assert today.plan.dilution != ()
    (note,) = [a for a in today.advisories if a.code == "syringe-to-get"]
    assert note.message == "with a 0.5 mL (0.01 mL marks) syringe this needs no dilution (0.3 mL)"
    notes = [a for _, a in made.plan().schedule.advisories if a.code == "syringe-to-get"]
    assert len(notes) == 2  # one a dose: 0.3 mg (0.5 mL syringe) and 1.5 mg (3 mL syringe)


def test_today_says_what_to_weigh_each_dilutions_water_to(tmp_path: Path) -> None:
    home = Home(tmp_path / "ten")
    home.ok("kit", "add", "10mL")
    home.ok("kit", "scale", "0.1g")
    home.ok("plan", "start", *PLAN, "--start-date", "2026-12-01")
    shown = _flat(home.ok("today", "--date", "2026-12-01"))
    # 30 mL x 0.9975 = 29.925 g: 29.9 g; 70 mL x 0.9975 = 69.825 g: 69.8 g (halves up).
    assert (
        "10 mL of the stock (1 mg/mL) + 30 mL of water (weigh it: 29.9 g on the scale) "
        "= 0.25 mg/mL, then 10 mL of dilution 1 (0.25 mg/mL) + 70 mL of water "
        "(weigh it: 69.8 g on the scale) = 0.03125 mg/mL"
    ) in shown
