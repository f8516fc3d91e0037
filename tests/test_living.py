"""The living plan measured (diary.living): schedules, bottles, the day's status, the report.

Entries are built here by hand (the diary's types, no store, no CLI). The plan
is ldnnaltrexone.com's (1.5 mg for 14 days, 3 mg for 14 days, then 4.5 mg held
56 days) started on Monday 2026-01-05 with the default liquid (1 x 50 mg tablet
in 50 mL = 1 mg/mL, so a dose of N mg is N mL of stock). Every expected date,
dose, volume and bottle is worked out by hand in the comments, never taken from
the code under test.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ldncalc.diary.entries import (
    Adjust,
    Entry,
    Missed,
    Mixed,
    Note,
    Payload,
    PlanStarted,
    Took,
    Undo,
)
from ldncalc.diary.history import Adherence
from ldncalc.diary.living import (
    build_report,
    living_schedule,
    living_supply,
    plan_started,
    preparation_of,
    protocol_of,
    syringe_of,
    today_status,
)
from ldncalc.diary.replan import replan
from ldncalc.diary.status import NEVER_DOUBLE
from ldncalc.dose.preparation import make_preparation
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import InvalidInputError
from ldncalc.plan.supply import Batch
from ldncalc.plan.titration import Protocol, Schedule

F = Fraction
START = date(2026, 1, 5)  # a Monday
CLIMB = ((F(3, 2), 14), (F(3), 14))
TARGET = F(9, 2)
TITLE = "ldnnaltrexone.com: 1.5 mg, 3 mg, then 4.5 mg"


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def plan(
    *,
    start: date = START,
    syringe_ml: Fraction | None = None,
    graduation_ml: Fraction | None = None,
) -> PlanStarted:
    return PlanStarted(
        climb=CLIMB,
        target_mg=TARGET,
        hold_days=56,
        protocol_id="ldnnaltrexone",
        protocol_title=TITLE,
        start_date=start,
        tablets=1,
        strength_mg=F(50),
        water_ml=F(50),
        syringe_ml=syringe_ml,
        graduation_ml=graduation_ml,
        keep_days=14,
    )


class Diary:
    """Entries numbered in the order they are added, with uids uid-1, uid-2, ..."""

    def __init__(self, *payloads: tuple[date, Payload]) -> None:
        self.entries: list[Entry] = []
        for day, payload in payloads:
            self.add(day, payload)

    def add(self, day: date, payload: Payload) -> Entry:
        n = len(self.entries) + 1
        entry = Entry(f"uid-{n}", n, day, datetime(2026, 1, 1, 8, 0) + timedelta(hours=n), payload)
        self.entries.append(entry)
        return entry


def started(*payloads: tuple[date, Payload]) -> Diary:
    return Diary((START, plan()), *payloads)


StepRow = tuple[int, int, int, date, date, Fraction, bool, str | None]


def steps_of(schedule: Schedule) -> list[StepRow]:
    return [
        (
            s.number,
            s.first_day,
            s.last_day,
            s.first_date,
            s.last_date,
            s.plan.dose_mg,
            s.at_target,
            s.note,
        )
        for s in schedule.steps
    ]


def mixes(batches: tuple[Batch, ...]) -> list[tuple[str, date, date, date]]:
    return [(b.liquid, b.mix_date, b.discard_date, b.last_use_date) for b in batches]


# ----------------------------------------------------------------- the started plan


def test_plan_started_copies_the_protocol_and_the_recipe() -> None:
    protocol = Protocol(
        id="custom",
        title="Custom: 1 mg, up 1 mg every 7 days",
        description="1 mg, 2 mg, then 3 mg.",
        source="your own plan",
        climb=((F(1), 7), (F(2), 7)),
        target_mg=F(3),
    )
    prep = make_preparation(2, F(50), F(40))
    started_plan = plan_started(
        protocol,
        start_date=d(2, 2),
        preparation=prep,
        syringe=Syringe(F(5), F(1, 10)),
        hold_days=28,
        keep_days=7,
    )
    assert started_plan == PlanStarted(
        climb=((F(1), 7), (F(2), 7)),
        target_mg=F(3),
        hold_days=28,
        protocol_id="custom",
        protocol_title="Custom: 1 mg, up 1 mg every 7 days",
        start_date=d(2, 2),
        tablets=2,
        strength_mg=F(50),
        water_ml=F(40),
        syringe_ml=F(5),
        graduation_ml=F(1, 10),
        keep_days=7,
    )
    # and back: the protocol, the preparation (100 mg in 40 mL = 2.5 mg/mL), the syringe
    again = protocol_of(started_plan)
    assert (again.id, again.title, again.climb, again.target_mg) == (
        "custom",
        "Custom: 1 mg, up 1 mg every 7 days",
        ((F(1), 7), (F(2), 7)),
        F(3),
    )
    assert again.description == "1 mg for 7 days, 2 mg for 7 days, then 3 mg."
    assert preparation_of(started_plan).concentration_mg_per_ml == F(5, 2)
    assert syringe_of(started_plan) == Syringe(F(5), F(1, 10))
    assert syringe_of(plan()) is None
    assert preparation_of(Mixed(1, F(50), F(25), 14)).label == "1 x 50 mg tablet in 25 mL = 2 mg/mL"


def test_protocol_of_a_plan_without_a_climb() -> None:
    flat = PlanStarted(
        climb=(),
        target_mg=F(3),
        hold_days=56,
        protocol_id="flat",
        protocol_title="3 mg",
        start_date=START,
        tablets=1,
        strength_mg=F(50),
        water_ml=F(50),
        syringe_ml=None,
        graduation_ml=None,
        keep_days=14,
    )
    assert protocol_of(flat).description == "3 mg."


# ----------------------------------------------------------------- living_schedule


def test_the_plan_as_started_is_the_protocols_schedule() -> None:
    schedule = living_schedule(replan(started().entries))
    # days 1-14 (01-05..01-18) 1.5 mg; 15-28 (01-19..02-01) 3 mg; 29-84 (02-02..03-29) 4.5 mg
    assert steps_of(schedule) == [
        (1, 1, 14, d(1, 5), d(1, 18), F(3, 2), False, None),
        (2, 15, 28, d(1, 19), d(2, 1), F(3), False, None),
        (3, 29, 84, d(2, 2), d(3, 29), F(9, 2), True, None),
    ]
    assert schedule.start_date == START
    # 1 mg/mL: the volume in mL is the dose in mg
    assert [s.plan.volume_ml for s in schedule.steps] == [F(3, 2), F(3), F(9, 2)]
    assert schedule.protocol.title == TITLE


def test_each_change_is_the_note_of_the_step_it_made() -> None:
    diary = started((d(1, 20), Adjust("back", reason="insomnia")))
    schedule = living_schedule(replan(diary.entries))
    # back on 01-20 (day 16) at 3 mg: 1.5 mg for its full 14 days (01-20..02-02), then
    # 3 mg for 14 (02-03..02-16), then 4.5 mg from 02-17 for 56 days (to 04-13).
    assert steps_of(schedule) == [
        (1, 1, 14, d(1, 5), d(1, 18), F(3, 2), False, None),
        (2, 15, 15, d(1, 19), d(1, 19), F(3), False, None),
        (3, 16, 29, d(1, 20), d(2, 2), F(3, 2), False, "back to 1.5 mg (insomnia)"),
        (4, 30, 43, d(2, 3), d(2, 16), F(3), False, None),
        (5, 44, 99, d(2, 17), d(4, 13), F(9, 2), True, None),
    ]


def test_days_without_a_dose_have_no_step() -> None:
    diary = started((d(1, 10), Adjust("stop")), (d(1, 15), Adjust("dose", dose_mg=F(2))))
    schedule = living_schedule(replan(diary.entries))
    # 1.5 mg 01-05..01-09 (days 1-5); nothing 01-10..01-14 (days 6-10); 2 mg from
    # 01-15 (day 11), held to the day before the review, 01-15 + 56 - 1 = 03-11 (day 66)
    assert steps_of(schedule) == [
        (1, 1, 5, d(1, 5), d(1, 9), F(3, 2), False, None),
        (2, 11, 66, d(1, 15), d(3, 11), F(2), False, "dose set to 2 mg"),
    ]
    assert [when for _, when, _ in schedule.daily()][4:6] == [d(1, 9), d(1, 15)]


def test_a_stop_at_the_end_leaves_no_empty_step() -> None:
    diary = started((d(1, 10), Adjust("stop", reason="nausea")))
    schedule = living_schedule(replan(diary.entries))
    assert steps_of(schedule) == [(1, 1, 5, d(1, 5), d(1, 9), F(3, 2), False, None)]


def test_the_plans_syringe_measures_every_step() -> None:
    diary = Diary((START, plan(syringe_ml=F(5), graduation_ml=F(1, 5))))
    schedule = living_schedule(replan(diary.entries))
    assert {s.plan.measurement.syringe for s in schedule.steps} == {Syringe(F(5), F(1, 5))}
    # 4.5 mL on 0.2 mL marks: the nearest mark up, 4.6 mL
    assert schedule.steps[-1].plan.measurement.measured_ml == F(23, 5)


# ----------------------------------------------------------------- living_supply


def supply_of(diary: Diary) -> tuple[Batch, ...]:
    living = replan(diary.entries)
    return living_supply(living_schedule(living), living, diary.entries).batches


def test_bottles_follow_the_plan_without_mixed_entries() -> None:
    # 50 mL with a 5 mL reserve: 45 mL to use, 14 days each.
    # 1: 01-05..01-18, 14 x 1.5 mL = 21 mL, then past its discard date.
    # 2: 01-19..02-01, 14 x 3 mL = 42 mL.
    # 3: 02-02, 4.6 mL a day (4.5 mg on 0.2 mL marks): 9 days = 41.4 mL, to 02-10.
    # 4: 02-11 ...
    assert mixes(supply_of(started()))[:4] == [
        ("stock", d(1, 5), d(1, 18), d(1, 18)),
        ("stock", d(1, 19), d(2, 1), d(2, 1)),
        ("stock", d(2, 2), d(2, 15), d(2, 10)),
        ("stock", d(2, 11), d(2, 24), d(2, 19)),
    ]


def test_a_batch_starts_on_each_recorded_mixed_day() -> None:
    diary = started((START, Mixed(1, F(50), F(50), 14)), (d(1, 10), Mixed(1, F(50), F(50), 14)))
    # 1: 01-05..01-09 (replaced by the bottle mixed on 01-10).
    # 2: 01-10, discard 01-23: 9 x 1.5 + 5 x 3 = 28.5 mL to 01-23.
    # 3: 01-24, discard 02-06: 9 x 3 = 27 mL to 02-01, then 4.6 mL on 02-02, 02-03,
    #    02-04 (40.8 mL); 02-05 would make 45.4 mL, above the 45 mL to use.
    # 4: 02-05.
    assert mixes(supply_of(diary))[:4] == [
        ("stock", d(1, 5), d(1, 18), d(1, 9)),
        ("stock", d(1, 10), d(1, 23), d(1, 23)),
        ("stock", d(1, 24), d(2, 6), d(2, 4)),
        ("stock", d(2, 5), d(2, 18), d(2, 13)),
    ]


def test_an_undone_mixed_entry_starts_no_batch() -> None:
    diary = started((d(1, 10), Mixed(1, F(50), F(50), 14)))
    diary.add(d(1, 11), Undo("uid-2"))
    assert [b.mix_date for b in supply_of(diary)[:3]] == [d(1, 5), d(1, 19), d(2, 2)]


def test_a_mixed_entry_outside_the_plan_changes_no_batch() -> None:
    diary = started((d(1, 2), Mixed(1, F(50), F(50), 14)))
    assert [b.mix_date for b in supply_of(diary)[:3]] == [d(1, 5), d(1, 19), d(2, 2)]


# ----------------------------------------------------------------- today_status


def test_today_gives_the_dose_the_volume_and_the_step() -> None:
    diary = started((d(1, 20), Adjust("back", reason="insomnia")))
    today = today_status(diary.entries, d(1, 20))
    assert today.status.day_number == 16
    assert today.status.segment_number == 3
    assert today.status.planned_dose_mg == F(3, 2)
    assert today.plan is not None
    assert today.plan.dose_mg == F(3, 2)
    assert today.plan.volume_ml == F(3, 2)
    assert today.plan.measurement.syringe == Syringe(F(3), F(1, 10))
    assert today.plan.delivered_mg == F(3, 2)
    assert today.status.next_change is not None
    assert (today.status.next_change.date, today.status.next_change.dose_mg) == (d(2, 3), F(3))
    assert today.status.review_date == d(4, 14)  # 02-17 + 56 days
    assert today.advisories == ()


def test_the_bottle_in_use_and_the_bottle_to_mix() -> None:
    diary = started((START, Mixed(1, F(50), F(50), 14)), (d(1, 10), Mixed(1, F(50), F(50), 14)))
    on_12 = today_status(diary.entries, d(1, 12))
    assert on_12.batch is not None
    assert (on_12.batch.mix_date, on_12.batch.discard_date) == (d(1, 10), d(1, 23))
    assert on_12.mix_today == ()
    on_10 = today_status(diary.entries, d(1, 10))
    assert on_10.mix_today == ()  # recorded as mixed that day: nothing left to mix
    assert on_10.batch is not None
    assert on_10.batch.mix_date == d(1, 10)
    # the next bottle: 01-24, the day after the 01-10 bottle's discard date
    on_24 = today_status(diary.entries, d(1, 24))
    assert [(b.stage, b.mix_date, b.discard_date) for b in on_24.mix_today] == [
        (0, d(1, 24), d(2, 6))
    ]
    assert on_24.batch == on_24.mix_today[0]
    assert on_24.batch.number == 3  # the diary's third bottle
    # the last bottle recorded may be used on its discard date, 01-23, not after
    assert today_status(diary.entries, d(1, 23)).advisories == ()
    # No warning: the new bottle is listed, with why (the one in use is past its date).
    assert on_24.advisories == ()
    assert [(m.why, m.replaces.number if m.replaces else None) for m in on_24.to_mix] == [
        ("expired", 2)
    ]


def test_a_bottle_past_its_discard_date_is_not_to_be_used() -> None:
    diary = started((START, Mixed(1, F(50), F(50), 14)))
    # mixed 01-05, kept 14 days with the mixing day as day 1: discard after 01-18
    on_18 = today_status(diary.entries, d(1, 18))
    assert (on_18.advisories, on_18.to_mix) == ((), ())
    assert on_18.batch is not None
    assert on_18.batch.number == 1
    assert on_18.last_dose  # its last day
    for day in (d(1, 19), d(1, 20)):  # still none recorded the next day: due that day
        today = today_status(diary.entries, day)
        assert today.advisories == ()
        assert [(m.bottle.number, m.bottle.mix_date, m.why) for m in today.to_mix] == [
            (2, day, "expired")
        ]
        assert today.batch == today.to_mix[0].bottle  # the volume is for the new bottle
        assert not today.batch.recorded
    # a bottle recorded since is the one in use
    diary.add(d(1, 19), Mixed(1, F(50), F(50), 14))
    on_20 = today_status(diary.entries, d(1, 20))
    assert (on_20.advisories, on_20.to_mix) == ((), ())
    assert on_20.batch is not None
    assert (on_20.batch.number, on_20.batch.recorded) == (2, True)


def test_a_bottle_of_another_recipe_changes_the_volume_and_says_so() -> None:
    diary = started((START, Mixed(1, F(50), F(25), 14)))
    today = today_status(diary.entries, d(1, 6))
    assert today.plan is not None
    # 50 mg in 25 mL = 2 mg/mL: 1.5 mg is 0.75 mL, on the 1 mL (0.01 mL marks) syringe
    assert today.plan.volume_ml == F(3, 4)
    assert today.plan.measurement.syringe == Syringe(F(1), F(1, 100))
    assert today.plan.delivered_mg == F(3, 2)
    assert [(a.code, a.message) for a in today.advisories] == [
        (
            "bottle-differs",
            "the bottle in use is 1 x 50 mg tablet in 25 mL = 2 mg/mL, not the plan's "
            "1 x 50 mg tablet in 50 mL = 1 mg/mL: the volume is for the bottle",
        )
    ]
    # the plan's own recipe says nothing
    same = started((START, Mixed(1, F(50), F(50), 14)))
    same_today = today_status(same.entries, d(1, 6))
    assert same_today.advisories == ()
    assert same_today.plan is not None
    assert same_today.plan.volume_ml == F(3, 2)


def test_a_missed_day_is_never_doubled() -> None:
    diary = started((d(1, 6), Missed()))
    today = today_status(diary.entries, d(1, 7))
    assert today.status.yesterday_missed
    assert ("missed-yesterday", NEVER_DOUBLE) in [(a.code, a.message) for a in today.advisories]
    assert today.status.planned_dose_mg == F(3, 2)  # not 3 mg: nothing is made up
    assert today.plan is not None
    assert today.plan.dose_mg == F(3, 2)
    # taken after all: no warning
    diary.add(d(1, 6), Took(F(3, 2)))
    assert today_status(diary.entries, d(1, 7)).advisories == ()


def test_what_was_taken_and_a_dose_other_than_planned() -> None:
    diary = started((d(1, 7), Took(F(2))))
    today = today_status(diary.entries, d(1, 7))
    assert today.status.taken == (Took(F(2)),)
    assert today.status.taken_dose_mg == F(2)
    assert [a.message for a in today.advisories] == ["taken 2 mg, but 1.5 mg is planned"]
    diary.add(d(1, 7), Took(F(3, 2)))
    twice = today_status(diary.entries, d(1, 7))
    assert twice.status.taken_dose_mg == F(7, 2)
    assert [a.message for a in twice.advisories] == [
        "2 doses are recorded as taken on this day",
        "taken 3.5 mg, but 1.5 mg is planned",
    ]


def test_a_day_without_a_dose() -> None:
    diary = started((d(1, 10), Adjust("stop")))
    for day in (d(1, 4), d(1, 12)):
        today = today_status(diary.entries, day)
        assert today.plan is None
        assert today.status.planned_dose_mg is None
        assert today.batch is None
        assert today.mix_today == ()
        assert today.status.review_date is None  # stopped: no review
    before = today_status(diary.entries, d(1, 4)).status
    assert before.day_number is None
    assert before.next_change is not None
    assert (before.next_change.date, before.next_change.dose_mg) == (START, F(3, 2))
    after = today_status(diary.entries, d(1, 12)).status
    assert after.day_number == 8
    assert after.next_change is None


def test_a_plan_stopped_on_its_first_day_has_nothing_to_measure() -> None:
    diary = started((START, Adjust("stop")))
    today = today_status(diary.entries, START)
    assert (today.plan, today.batch, today.mix_today) == (None, None, ())


def test_today_without_a_plan_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^no plan has been started$"):
        today_status([], START)
    only_a_note = Diary((START, Note("hello")))
    with pytest.raises(InvalidInputError, match=r"^no plan has been started$"):
        today_status(only_a_note.entries, START)


# ----------------------------------------------------------------- build_report


def reported() -> Diary:
    return started(
        (d(1, 5), Took(F(3, 2))),
        (d(1, 6), Took(F(3, 2))),
        (d(1, 7), Missed()),
        (d(1, 8), Took(F(3, 2))),
        (d(1, 8), Note("restless", (("sleep", 6), ("mood", 2), ("pain", 3)), ("vivid dreams",))),
        (d(1, 20), Adjust("back", reason="vivid dreams")),
    )


def test_the_report_runs_from_the_plan_to_today_by_default() -> None:
    report = build_report(reported().entries, d(1, 9))
    assert (report.start, report.end) == (d(1, 5), d(1, 9))
    assert [day.date for day in report.days] == [d(1, 5), d(1, 6), d(1, 7), d(1, 8), d(1, 9)]
    assert report.adherence == Adherence(5, 3)  # 5 days planned, taken on 3
    # the back on 01-20 is after the period; the plan started on 01-05 is in it
    assert [(c.date, c.action) for c in report.changes] == [(d(1, 5), "plan")]
    assert report.review_date == d(4, 14)
    assert report.side_effects == ((d(1, 8), ("vivid dreams",)),)
    assert report.notes == ((d(1, 8), "restless"),)
    assert report.scores == ("pain", "sleep", "mood")  # the usual three first, then by name
    assert report.schedule is not None


def test_the_report_of_a_period() -> None:
    entries = reported().entries
    report = build_report(entries, d(1, 9), d(1, 7), d(1, 31))
    assert (report.start, report.end) == (d(1, 7), d(1, 31))
    assert len(report.days) == 25
    # adherence counts up to today (01-09): 01-07 missed, 01-08 taken, 01-09 not recorded
    assert report.adherence == Adherence(3, 1)
    assert [(c.date, c.action, c.description) for c in report.changes] == [
        (d(1, 5), "plan", f"plan started: {TITLE} (target 4.5 mg)"),
        (d(1, 20), "back", "back to 1.5 mg (vivid dreams)"),
    ]
    # 1.5 mg on 01-07..01-18 (12 days) and 01-20..01-31 (12 days), 3 mg on 01-19; taken: 01-08
    assert [(x.dose_mg, x.days_planned, x.days_taken) for x in report.dose_days] == [
        (F(3, 2), 24, 1),
        (F(3), 1, 0),
    ]
    only_start = build_report(entries, d(1, 9), start=d(1, 8))
    assert (only_start.start, only_start.end) == (d(1, 8), d(1, 9))
    only_end = build_report(entries, d(1, 9), end=d(1, 6))
    assert (only_end.start, only_end.end) == (d(1, 5), d(1, 6))
    assert only_end.adherence == Adherence(2, 2)


def test_a_report_that_starts_after_it_ends_is_refused() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"^the report starts after it ends \(2026-02-01 > 2026-01-31\)$",
    ):
        build_report(reported().entries, d(3, 1), d(2, 1), d(1, 31))
    # the default start (the plan's first day) after the end given
    with pytest.raises(InvalidInputError, match=r"2026-01-05 > 2026-01-04"):
        build_report(reported().entries, d(3, 1), end=d(1, 4))


def test_the_report_of_a_plan_stopped_on_its_first_day() -> None:
    report = build_report(started((START, Adjust("stop"))).entries, d(1, 9))
    assert report.schedule is None
    assert report.review_date is None
    assert report.adherence == Adherence(0, 0)
    assert all(day.planned_dose_mg is None for day in report.days)


def test_the_diarys_limits_are_the_planners() -> None:
    # The diary's entries may not import the planners (they stay pure and light), so
    # they keep copies of their limits: they must agree.
    from ldncalc.diary import entries as diary
    from ldncalc.plan import keeping, titration

    assert diary.MAX_KEEP_DAYS == keeping.MAX_KEEP_DAYS
    assert diary.MAX_CLIMB_DAYS == titration.MAX_CLIMB_DAYS
    assert diary.MAX_HOLD_DAYS == titration.MAX_HOLD_DAYS


# ----------------------------------------------------------------- the bottles she holds


def test_a_bottle_of_other_water_runs_out_by_what_was_drawn() -> None:
    # 1 x 50 mg in 200 mL = 0.25 mg/mL, kept 30 days (to 02-03). Its reserve is
    # 10% of 200 mL = 20 mL, so 180 mL serve doses. 1.5 mg a day is 6 mL: 14 days
    # (01-05 to 01-18) draw 84 mL; then 3 mg is 12 mL a day.
    diary = started((START, Mixed(1, F(50), F(200), 30)))
    for n in range(21):  # 01-05 to 01-25 taken
        diary.add(START + timedelta(days=n), Took(None))
    on_25 = today_status(diary.entries, d(1, 25))
    # after 01-25: 84 + 7 x 12 = 168 mL drawn, 32 mL left
    assert on_25.batch is not None
    assert (on_25.batch.number, on_25.batch.recorded, on_25.batch.left_ml) == (1, True, F(32))
    on_26 = today_status(diary.entries, d(1, 26))
    # before 01-26's dose: 32 mL, 12 above the reserve: the 12 mL dose fits, the last one
    assert on_26.to_mix == ()
    assert on_26.plan is not None
    assert on_26.plan.measurement.measured_ml == F(12)
    assert on_26.last_dose
    diary.add(d(1, 26), Took(None))
    on_27 = today_status(diary.entries, d(1, 27))
    # 20 mL left, none above the reserve: a new bottle of the plan's recipe first
    # (1 mg/mL), and the 3 mg is 3 mL of it; the bottle named is the new one.
    [due] = on_27.to_mix
    assert (due.why, due.record, due.bottle.number, due.bottle.mix_date) == (
        "runs-out",
        (0,),
        2,
        d(1, 27),
    )
    assert due.replaces is not None
    assert (due.replaces.number, due.replaces.left_ml) == (1, F(20))
    assert on_27.batch == due.bottle
    assert on_27.plan is not None
    assert (on_27.plan.volume_ml, on_27.batch.concentration_mg_per_ml) == (F(3), F(1))
    # mixed as asked: it is the bottle in use, nothing left to mix
    diary.add(d(1, 27), Mixed(1, F(50), F(50), 14))
    again = today_status(diary.entries, d(1, 27))
    assert again.to_mix == ()
    assert again.batch is not None
    assert (again.batch.number, again.batch.left_ml) == (2, F(50))


def test_a_days_dose_comes_from_one_bottle_the_one_mixed_last() -> None:
    # Two bottles of the plan's recipe (1 mg/mL): the second mixed 01-08. Doses of
    # 01-05 to 01-07 (3 x 1.5 mL) come from the first; those from 01-08 from the second.
    diary = started((START, Mixed(1, F(50), F(50), 14)), (d(1, 8), Mixed(1, F(50), F(50), 14)))
    for n in range(5):  # 01-05 to 01-09
        diary.add(START + timedelta(days=n), Took(None))
    on_9 = today_status(diary.entries, d(1, 9))
    assert on_9.batch is not None
    assert (on_9.batch.number, on_9.batch.left_ml) == (2, F(47))  # 50 - 2 x 1.5


# ----------------------------------------------------------------- codes, not commands

SRC = Path(__file__).resolve().parent.parent / "src" / "ldncalc"
# The CLI and its typer-free plumbing word the commands; nothing else may.
CLI_SIDE = ("cli", "__main__.py")
# The JSON Schemas' words and titles: documentation of the CLI's JSON output
# (what the hand-written .json files said), never data the library returns.
SCHEMA_WORDS = ("render/shapes/", "render/schemagen.py")


def _cli_words() -> tuple[set[str], set[str]]:
    """Return ldncalc's command names and option names, read from the Typer app itself."""
    import typer

    from ldncalc.cli import app

    commands: set[str] = set()
    options: set[str] = set()

    def walk(command: Any, top: bool) -> None:
        for param in command.params:
            options.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("--"))
        subcommands = getattr(command, "commands", None)
        if subcommands:  # a group (typer's own click)
            for name, sub in subcommands.items():
                if top:
                    commands.add(name)
                walk(sub, False)

    walk(typer.main.get_command(app), True)
    return commands, options


def _string_constants(path: Path) -> list[str]:
    """Return the string constants of a module, but its docstrings (prose, not data)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_no_string_outside_the_cli_names_a_command_or_an_option() -> None:
    import re

    commands, options = _cli_words()
    assert {"today", "took", "mixed", "note", "plan"} <= commands  # the probe is live
    assert {"--profile", "--data-dir", "--dilution", "--pgic"} <= options
    command = re.compile(r"\bldncalc (" + "|".join(sorted(commands)) + r")\b")
    option = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
    found = set()
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC).as_posix()
        if where.split("/")[0] in CLI_SIDE or where.startswith(SCHEMA_WORDS):
            continue
        for text in _string_constants(path):
            named = command.search(text) or any(o in options for o in option.findall(text))
            if named:
                found.add((where, text))
    assert found == set(), found


@pytest.mark.parametrize("seed", range(3))
def test_a_patient_who_follows_today_always_draws_from_a_bottle_she_holds(seed: int) -> None:
    """A model patient keeps a fridge and does what ``today`` says, for 120 days.

    She mixes each bottle it lists (now and then with other water than the recipe,
    then asks again), takes the dose from the bottle it names, and sometimes
    misses a day. Each day the bottle named is one she mixed, in date, holding
    the volume; and its concentration times the volume is the dose.
    """
    import random

    rng = random.Random(seed)
    diary = started()
    fridge: dict[tuple[date, Fraction], list[Fraction]] = {}  # (mixed, mg/mL): [left, discard]
    discard: dict[tuple[date, Fraction], date] = {}
    for n in range(120):
        day = START + timedelta(days=n)
        today = today_status(diary.entries, day)
        for due in today.to_mix:
            water = F(50) if rng.random() < 0.7 else F(rng.choice((25, 100, 200)))
            diary.add(day, Mixed(1, F(50), water, 14))
            key = (day, F(50) / water)
            fridge[key] = [water]
            discard[key] = day + timedelta(days=13)
            assert due.bottle.mix_date == day
        today = today_status(diary.entries, day)
        assert today.to_mix == ()  # all mixed as asked: nothing more to mix
        assert today.plan is not None
        bottle = today.batch
        assert bottle is not None
        key = (bottle.mix_date, bottle.concentration_mg_per_ml)
        assert key in fridge, (day, bottle)  # one she holds
        assert discard[key] >= day  # in date
        need = today.plan.measurement.measured_ml
        assert fridge[key][0] >= need  # with enough in it
        assert bottle.left_ml == fridge[key][0]  # the diary knows what is left
        dose = today.status.planned_dose_mg
        assert dose is not None
        assert today.plan.volume_ml * bottle.concentration_mg_per_ml == dose
        if rng.random() < 0.9:
            diary.add(day, Took(None))
            fridge[key][0] -= dose / bottle.concentration_mg_per_ml
        else:
            diary.add(day, Missed())


@pytest.mark.parametrize("seed", range(2))
def test_a_patient_on_micrograms_always_draws_from_a_dilution_she_holds(seed: int) -> None:
    """The model patient on a 1, 2, then 3 mcg plan mixes every stage ``today`` lists."""
    import random

    from ldncalc.diary.entries import Diluted

    rng = random.Random(seed)
    mcg = F(1, 1000)
    micro = replace(plan(), climb=((mcg, 7), (2 * mcg, 7)), target_mg=3 * mcg)
    diary = Diary((START, micro))
    fridge: dict[tuple[date, int, Fraction], Fraction] = {}  # (mixed, stage, mg/mL): left
    for n in range(45):
        day = START + timedelta(days=n)
        today = today_status(diary.entries, day)
        for due in today.to_mix:
            if due.bottle.is_stock:
                diary.add(day, Mixed(1, F(50), F(50), 14))
                fridge[(day, 0, F(1))] = F(50)
                continue
            for number in due.record:
                stage = due.bottle.stages[number - 1]
                source = (number - 1, stage.from_concentration_mg_per_ml)
                held = [k for k in fridge if k[1:] == source and k[0] <= day]
                assert held, (day, number)  # made from a liquid she holds
                fridge[max(held)] -= stage.aliquot_ml
                diary.add(
                    day,
                    Diluted(
                        stage.from_concentration_mg_per_ml,
                        stage.aliquot_ml,
                        stage.water_ml,
                        14,
                        number,
                    ),
                )
                fridge[(day, number, stage.concentration_mg_per_ml)] = stage.total_ml
        today = today_status(diary.entries, day)
        assert today.to_mix == ()
        assert today.plan is not None
        bottle = today.batch
        assert bottle is not None
        key = (bottle.mix_date, bottle.stage, bottle.concentration_mg_per_ml)
        assert key in fridge, (day, bottle)
        assert bottle.discard_date >= day
        assert fridge[key] >= today.plan.measurement.measured_ml
        dose = today.status.planned_dose_mg
        assert dose is not None
        assert today.plan.volume_ml * bottle.concentration_mg_per_ml == dose
        if rng.random() < 0.9:
            diary.add(day, Took(None))
            fridge[key] -= dose / bottle.concentration_mg_per_ml
        else:
            diary.add(day, Missed())
