"""Unit tests of the diary's entries, codec, re-planning rules and queries.

Expected dates are written out by hand (day 1 is Monday 2027-01-04), never
computed by the code under test.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ldncalc.diary.codec import decode_payload, encode_payload
from ldncalc.diary.entries import (
    MAX_CLIMB_DAYS,
    REVIEW_AFTER_DAYS,
    Adjust,
    Diluted,
    Entry,
    Missed,
    Mixed,
    Note,
    Payload,
    PlanStarted,
    Took,
    Undo,
)
from ldncalc.diary.replan import (
    OPEN_END,
    LivingPlan,
    PlannedSegment,
    active_entries,
    check_undo,
    replan,
    undone_by,
)
from ldncalc.diary.status import (
    PGIC_REMINDER,
    SCORE_REMINDER,
    NextChange,
    adherence,
    day_status,
    days_at_each_dose,
    history_days,
    history_entries,
    side_effects_by_date,
)
from ldncalc.errors import InvalidInputError, RefusedError

F = Fraction
START = date(2027, 1, 4)  # a Monday
WEEKLY = ((F(1), 7), (F(2), 7), (F(3), 7), (F(4), 7))  # ldnrt-weekly's climb
AT = datetime(2027, 1, 4, 21, 30)


def make_plan(**changes: Any) -> PlanStarted:
    fields: dict[str, Any] = {
        "climb": WEEKLY,
        "target_mg": F(9, 2),
        "hold_days": 56,
        "protocol_id": "ldnrt-weekly",
        "protocol_title": "LDN Research Trust: 1 mg, up 1 mg a week",
        "start_date": START,
        "tablets": 1,
        "strength_mg": F(50),
        "water_ml": F(50),
        "syringe_ml": None,
        "graduation_ml": None,
        "keep_days": 14,
    }
    fields.update(changes)
    return PlanStarted(**fields)


def day(n: int) -> date:
    """Day n of the plan that starts on 2027-01-04 (day 1)."""
    return START + timedelta(days=n - 1)


class Diary:
    """A list of entries with increasing ids, as the store would hold them."""

    def __init__(self, plan: PlanStarted | None = None) -> None:
        self.entries: list[Entry] = []
        if plan is not None:
            self.add(plan.start_date, plan)

    def add(self, when: date, payload: Payload) -> Entry:
        n = len(self.entries) + 1
        entry = Entry(f"uid-{n}", n, when, AT + timedelta(hours=n), payload)
        self.entries.append(entry)
        return entry

    def plan(self) -> LivingPlan:
        return replan(self.entries)

    def runs(self) -> list[tuple[date, date, Fraction | int | None]]:
        """Return the segments, an open end laid to the plan's horizon (a finite view)."""
        plan = self.plan()
        segments = plan.segments
        if plan.open_ended:
            assert plan.horizon is not None
            segments = plan.laid_to(plan.horizon)
        return [(s.first_date, s.last_date, s.dose_mg) for s in segments]


def weekly() -> Diary:
    return Diary(make_plan())


# --------------------------------------------------------------------------- entries


def test_entry_kinds() -> None:
    payloads: list[tuple[Payload, str]] = [
        (make_plan(), "plan"),
        (Took(), "took"),
        (Missed(), "missed"),
        (Mixed(1, F(50), F(50), 14), "mixed"),
        (Note("ok"), "note"),
        (Adjust("stop"), "adjust"),
        (Undo("uid-1"), "undo"),
    ]
    for payload, kind in payloads:
        assert Entry("u", 1, START, AT, payload).kind == kind


def test_doses_given_as_int_are_stored_as_fractions() -> None:
    plan = make_plan(climb=((1, 7),), target_mg=2)
    assert plan.climb == ((F(1), 7),)
    assert type(plan.climb[0][0]) is Fraction
    assert type(plan.target_mg) is Fraction
    assert type(Took(3).dose_mg) is Fraction  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"target_mg": F(0)}, InvalidInputError, "the target must be more than zero"),
        (
            {"target_mg": F(60)},
            RefusedError,
            "the target of 60 mg is above 50 mg, a whole tablet: not a low dose; check the unit",
        ),
        ({"target_mg": 4.5}, InvalidInputError, "the target must be an exact number, not 4.5"),
        ({"climb": ((F(2), 7), (F(1), 7))}, InvalidInputError, "the steps of the climb must go up"),
        (
            {"climb": ((F(1), 7), (F(9, 2), 7))},
            InvalidInputError,
            "a step of 4.5 mg is not below the target (4.5 mg)",
        ),
        (
            {"climb": ((F(1),),)},
            InvalidInputError,
            "each step of the climb must be a dose and days",
        ),
        ({"climb": [(F(1), 7)]}, InvalidInputError, "the climb must be a sequence of steps"),
        ({"climb": ((F(1), 0),)}, InvalidInputError, "a step must be 1 to 730 days, not 0"),
        (
            {"climb": ((F(1), 400), (F(2), 400))},
            RefusedError,
            "the climb lasts more than 730 days (two years): not a titration",
        ),
        ({"hold_days": 0}, InvalidInputError, "the hold at the target must be 1 to 3653 days"),
        ({"protocol_title": " "}, InvalidInputError, "the protocol's title must be some text"),
        ({"tablets": 0}, InvalidInputError, "the tablets must be a whole number from 1, not 0"),
        ({"water_ml": F(0)}, InvalidInputError, "the water must be more than zero"),
        ({"keep_days": 0}, InvalidInputError, "the keep period must be 1 to 90 days, not 0"),
        (
            {"syringe_ml": F(1)},
            InvalidInputError,
            "a syringe needs both its capacity and its graduation",
        ),
        (
            {"syringe_ml": F(1), "graduation_ml": F(2)},
            InvalidInputError,
            "the syringe's graduation is larger than the syringe",
        ),
        (
            {"start_date": date(1800, 1, 1)},
            InvalidInputError,
            "the start date 1800-01-01 is out of range",
        ),
        (
            {"start_date": datetime(2027, 1, 4, 8)},
            InvalidInputError,
            "the start date must be a calendar date",
        ),
    ],
)
def test_plan_refusals(changes: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        make_plan(**changes)
    assert type(caught.value) is error
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Took(F(0)), InvalidInputError, "the dose taken must be more than zero"),
        (
            lambda: Took(F(51)),
            RefusedError,
            "the dose taken of 51 mg is above 50 mg, a whole tablet",
        ),
        (
            lambda: Took(True),  # type: ignore[arg-type]
            InvalidInputError,
            "the dose taken must be an exact number",
        ),
        (lambda: Mixed(1, F(50), F(0), 14), InvalidInputError, "the water must be more than zero"),
        (lambda: Mixed(1, F(-1), F(50), 14), InvalidInputError, "the strength must be more"),
        (lambda: Mixed(1, F(50), F(50), 0), InvalidInputError, "the keep period must be 1 to"),
        (
            lambda: Note(),
            InvalidInputError,
            "a note needs some text, a score, a side effect or the PGIC",
        ),
        (
            lambda: Note(" \n"),
            InvalidInputError,
            "a note needs some text, a score, a side effect or",
        ),
        (
            lambda: Note(scores=(("pain", 11),)),
            InvalidInputError,
            "the score 'pain' must be 0 to 10 (0 none, 10 worst), not 11",
        ),
        (lambda: Note(scores=(("pain", -1),)), InvalidInputError, "the score 'pain' must be 0"),
        (
            lambda: Note(scores=(("pain", True),)),
            InvalidInputError,
            "the score 'pain' must be a whole number",
        ),
        (
            lambda: Note(scores=(("pain", 2), ("pain", 3))),
            InvalidInputError,
            "the score 'pain' is given twice",
        ),
        (lambda: Note(scores=(("", 2),)), InvalidInputError, "a score's name must be some text"),
        (
            lambda: Note(scores=(("pain",),)),  # type: ignore[arg-type]
            InvalidInputError,
            "each score must be a name and a number",
        ),
        (lambda: Note(side_effects=("",)), InvalidInputError, "a side effect must be some text"),
        (lambda: Undo(""), InvalidInputError, "the entry to undo must be some text"),
        (
            lambda: Adjust("faster"),  # type: ignore[arg-type]
            InvalidInputError,
            "no adjustment 'faster'; choose one of: back, hold, resume, slower, target, dose, stop",
        ),
        (lambda: Adjust("target"), InvalidInputError, "a target adjustment needs a dose"),
        (lambda: Adjust("dose"), InvalidInputError, "a dose adjustment needs a dose"),
        (
            lambda: Adjust("target", dose_mg=F(0)),
            InvalidInputError,
            "the target must be more than zero",
        ),
        (
            lambda: Adjust("dose", dose_mg=F(101, 2)),
            RefusedError,
            "the dose of 50.5 mg is above 50 mg",
        ),
        (
            lambda: Adjust("target", dose_mg=F(60)),
            RefusedError,
            "the target of 60 mg is above 50 mg",
        ),
        (
            lambda: Adjust("back", dose_mg=F(1)),
            InvalidInputError,
            "a back adjustment takes no dose mg",
        ),
        (
            lambda: Adjust("stop", for_days=3),
            InvalidInputError,
            "a stop adjustment takes no for days",
        ),
        (
            lambda: Adjust("hold", every_days=3),
            InvalidInputError,
            "a hold adjustment takes no every days",
        ),
        (
            lambda: Adjust("slower"),
            InvalidInputError,
            "a slower climb needs the days between steps",
        ),
        (
            lambda: Adjust("slower", every_days=0),
            InvalidInputError,
            "the interval between steps must be 1 to 730 days, not 0",
        ),
        (
            lambda: Adjust("slower", every_days=7, step_mg=F(0)),
            InvalidInputError,
            "the step must be more than zero",
        ),
        (lambda: Adjust("hold", for_days=0), InvalidInputError, "the hold must be 1 to 3653 days"),
        (lambda: Adjust("hold", reason=" "), InvalidInputError, "the reason must be some text"),
        (
            lambda: Entry("u", True, START, AT, Missed()),
            InvalidInputError,
            "an entry's id must be a whole number, not True",
        ),
        (
            lambda: Entry("", 1, START, AT, Missed()),
            InvalidInputError,
            "an entry's uid must be some text",
        ),
        (
            lambda: Entry("u", 1, START, START, Missed()),  # type: ignore[arg-type]
            InvalidInputError,
            "an entry's recording time must be a date and time",
        ),
        (
            lambda: Entry("u", 1, START, AT, "took"),  # type: ignore[arg-type]
            InvalidInputError,
            "an entry cannot hold str",
        ),
    ],
)
def test_entry_refusals(make: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        make()
    assert type(caught.value) is error
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------- codec

ROUND_TRIPS: list[Payload] = [
    make_plan(),
    make_plan(
        climb=((F(1, 3), 5),),
        target_mg=F(7, 8),
        syringe_ml=F(1),
        graduation_ml=F(1, 100),
        protocol_title="Custom — «été»",
    ),
    make_plan(climb=()),
    Took(),
    Took(F(9, 2)),
    Took(F(1, 3)),
    Missed(),
    Mixed(2, F(50), F(25), 28),
    Note("slept badly\nvivid dreams", (("pain", 4), ("sleep", 7)), ("insomnia", "headache")),
    Note(scores=(("fatigue", 0),)),
    Adjust("back", reason="side effects: insomnia"),
    Adjust("hold", for_days=14),
    Adjust("resume"),
    Adjust("slower", every_days=14, step_mg=F(1, 2)),
    Adjust("slower", every_days=10),
    Adjust("target", dose_mg=F(3)),
    Adjust("dose", dose_mg=F(5, 2)),
    Adjust("stop", reason="surgery"),
    Undo("uid-3"),
]


@pytest.mark.parametrize("payload", ROUND_TRIPS, ids=lambda p: type(p).__name__)
def test_round_trip(payload: Payload) -> None:
    kind, text = encode_payload(payload)
    assert decode_payload(kind, text) == payload


def test_encoding_is_exact_text() -> None:
    # Every payload carries its version ("v": 2) and every field, keys sorted.
    assert encode_payload(Took(F(9, 2))) == ("took", '{"dose_mg":"4.5","v":2}')
    assert encode_payload(Took(F(1, 3))) == ("took", '{"dose_mg":"1/3","v":2}')
    assert encode_payload(Took(F(3, 40))) == ("took", '{"dose_mg":"0.075","v":2}')
    assert encode_payload(Took()) == ("took", '{"dose_mg":null,"v":2}')
    assert encode_payload(Missed()) == ("missed", '{"v":2}')
    assert encode_payload(Adjust("hold", for_days=14)) == (
        "adjust",
        '{"action":"hold","dose_mg":null,"every_days":null,"for_days":14,'
        '"reason":null,"step_mg":null,"v":2}',
    )
    assert encode_payload(Note("é", (("pain", 3),), ("dreams",))) == (
        "note",
        '{"pgic":null,"scores":[["pain",3]],"side_effects":["dreams"],"text":"é","v":2}',
    )
    kind, text = encode_payload(make_plan())
    assert kind == "plan"
    assert '"climb":[["1",7],["2",7],["3",7],["4",7]]' in text
    assert '"target_mg":"4.5"' in text
    assert '"start_date":"2027-01-04"' in text


def test_decode_accepts_ratios_and_decimals() -> None:
    assert decode_payload("took", '{"dose_mg":"9/2"}') == Took(F(9, 2))
    assert decode_payload("took", '{"dose_mg":"4.50"}') == Took(F(9, 2))


def test_encode_refuses_what_is_not_a_payload() -> None:
    with pytest.raises(InvalidInputError, match=r"^not a diary entry: str$"):
        encode_payload("took")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "text", "detail"),
    [
        ("walked", "{}", "'walked' is not a kind of entry"),
        ("took", "{", "the payload is not valid JSON"),
        ("took", "[]", "the payload is not a JSON object"),
        ("took", None, "the payload is not text"),
        ("took", "{}", "missing dose_mg"),
        ("took", '{"dose_mg":null,"x":1}', "unknown x"),
        ("took", '{"dose_mg":null,"dose_mg":null}', "the key 'dose_mg' appears twice"),
        ("took", '{"dose_mg":4.5}', "dose_mg is not an exact number written as text"),
        ("took", '{"dose_mg":"4,5"}', "dose_mg is not an exact number written as text"),
        ("took", '{"dose_mg":"1/0"}', "dose_mg is not an exact number written as text"),
        ("took", '{"dose_mg":"-1"}', "dose_mg is not an exact number written as text"),
        ("took", '{"dose_mg":NaN}', "NaN is not a number"),
        ("took", '{"dose_mg":"0"}', "the dose taken must be more than zero"),
        (
            "took",
            '{"dose_mg":"60"}',
            "the dose taken of 60 mg is above 50 mg, a whole tablet: not a low dose; "
            "check the unit",
        ),
        ("missed", '{"dose_mg":null}', "unknown dose_mg"),
        ("undo", '{"target_uid":7}', "target_uid is not text"),
        (
            "note",
            '{"text":"a","scores":[["pain"]],"side_effects":[]}',
            "scores holds an item that is not a pair",
        ),
        ("note", '{"text":"a","scores":{},"side_effects":[]}', "scores is not a list"),
        (
            "note",
            '{"text":"a","scores":[["pain",3.0]],"side_effects":[]}',
            "scores is not a whole number",
        ),
        (
            "note",
            '{"text":"a","scores":[["pain",12]],"side_effects":[]}',
            "the score 'pain' must be 0 to 10 (0 none, 10 worst), not 12",
        ),
        (
            "mixed",
            '{"tablets":true,"strength_mg":"50","water_ml":"50","keep_days":14}',
            "tablets is not a whole number",
        ),
        (
            "adjust",
            '{"action":"jump","dose_mg":null,"step_mg":null,"every_days":null,'
            '"for_days":null,"reason":null}',
            "action 'jump' is not one of: back, hold, resume, slower, target, dose, stop",
        ),
        (
            "adjust",
            '{"action":"target","dose_mg":null,"step_mg":null,"every_days":null,'
            '"for_days":null,"reason":null}',
            "a target adjustment needs a dose",
        ),
    ],
)
def test_decode_refusals(kind: str, text: Any, detail: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        decode_payload(kind, text)
    assert type(caught.value) is InvalidInputError
    assert str(caught.value) == f"a stored {kind} entry is malformed: {detail}"


@pytest.mark.parametrize(
    ("field", "value", "detail"),
    [
        ("start_date", '"2027-1-4"', "start_date is not a date written YYYY-MM-DD"),
        ("start_date", '"2027-02-30"', "start_date is not a real date"),
        ("climb", '[["1"]]', "climb holds an item that is not a pair"),
        ("climb", '[["1","7"]]', "climb is not a whole number"),
        ("hold_days", '"56"', "hold_days is not a whole number"),
        ("protocol_id", "3", "protocol_id is not text"),
    ],
)
def test_decode_plan_refusals(field: str, value: str, detail: str) -> None:
    _, text = encode_payload(make_plan())
    data = json.loads(text)
    data[field] = json.loads(value)
    with pytest.raises(InvalidInputError, match=f"^a stored plan entry is malformed: {detail}$"):
        decode_payload("plan", json.dumps(data))


# --------------------------------------------------------------------------- undo


def test_undo_cancels_and_undoing_the_undo_restores() -> None:
    diary = weekly()
    took = diary.add(day(1), Took())
    undo = diary.add(day(1), Undo(took.uid))
    assert [e.id for e in active_entries(diary.entries)] == [1]
    diary.add(day(1), Undo(undo.uid))
    assert [e.id for e in active_entries(diary.entries)] == [1, 2]


def test_two_undos_of_one_entry_need_both_undone() -> None:
    diary = weekly()
    took = diary.add(day(1), Took())
    first = diary.add(day(1), Undo(took.uid))
    diary.add(day(1), Undo(took.uid))
    diary.add(day(1), Undo(first.uid))
    assert [e.id for e in active_entries(diary.entries)] == [1]


def test_active_entries_come_in_id_order() -> None:
    diary = weekly()
    diary.add(day(2), Took())
    diary.add(day(1), Took())
    shuffled = list(reversed(diary.entries))
    assert [e.id for e in active_entries(shuffled)] == [1, 2, 3]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            [Entry("a", 1, START, AT, Missed()), Entry("a", 2, START, AT, Missed())],
            "two entries share the uid 'a'",
        ),
        (
            [Entry("a", 1, START, AT, Missed()), Entry("b", 1, START, AT, Missed())],
            "two entries share the id 1",
        ),
        ([Entry("a", 1, START, AT, Undo("zz"))], "entry 1 undoes an entry that does not exist"),
        (
            [Entry("a", 1, START, AT, Undo("b")), Entry("b", 2, START, AT, Undo("a"))],
            "is one of undos that cancel each other",
        ),
        ([Entry("a", 1, START, AT, Undo("a"))], "entry 1 is one of undos that cancel each other"),
    ],
)
def test_undo_refusals(entries: list[Entry], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(")):
        active_entries(entries)


def test_undone_by_names_the_undo_in_force_and_undone_undos() -> None:
    diary = weekly()
    took = diary.add(day(1), Took())  # 2
    first = diary.add(day(1), Undo(took.uid))  # 3
    assert undone_by(diary.entries) == {2: 3}
    diary.add(day(1), Undo(first.uid))  # 4: entry 2 stands again
    assert undone_by(diary.entries) == {3: 4}
    second = diary.add(day(1), Undo(took.uid))  # 5
    assert undone_by(diary.entries) == {2: 5, 3: 4}
    diary.add(day(1), Undo(took.uid))  # 6: two undos in force, the earliest is named
    assert undone_by(diary.entries) == {2: 5, 3: 4}
    assert second.id == 5


def test_history_entries_state_does_not_depend_on_the_window() -> None:
    # Issue 17 §5: the undo (day 30) lies outside the window of the entry (day 2),
    # and the entry (day 2) outside the window of the undo: both windows work.
    diary = weekly()
    took = diary.add(day(2), Took())
    diary.add(day(30), Undo(took.uid))
    early = history_entries(diary.entries, day(1), day(3))
    assert [(r.entry.id, r.undone_by) for r in early] == [(1, None), (2, 3)]
    late = history_entries(diary.entries, day(20), day(40))
    assert [(r.entry.id, r.undone_by) for r in late] == [(3, None)]
    assert [(r.entry.id, r.undone_by) for r in history_entries(diary.entries)] == [
        (1, None),
        (2, 3),
        (3, None),
    ]
    with pytest.raises(InvalidInputError, match="the period ends"):
        history_entries(diary.entries, day(3), day(1))


def test_check_undo() -> None:
    diary = weekly()
    took = diary.add(day(1), Took())
    assert check_undo(diary.entries, 2) == Undo(took.uid)
    undo = diary.add(day(1), check_undo(diary.entries, 2))
    with pytest.raises(
        RefusedError,
        match=r"^entry 2 is already undone by entry 3; to restore it, undo entry 3$",
    ):
        check_undo(diary.entries, 2)
    assert check_undo(diary.entries, 3) == Undo(undo.uid)
    diary.add(day(1), check_undo(diary.entries, 3))
    assert check_undo(diary.entries, 2) == Undo(took.uid)  # restored: may be undone again
    with pytest.raises(
        InvalidInputError, match=r"^this diary has no entry 9 \(the history lists its entries\)$"
    ):
        check_undo(diary.entries, 9)


# --------------------------------------------------------------------------- replan


def test_the_protocol_as_started() -> None:
    plan = weekly().plan()
    assert [
        (s.first_date, s.last_date, s.dose_mg, s.at_target, s.reason) for s in plan.segments
    ] == [
        (date(2027, 1, 4), date(2027, 1, 10), 1, False, None),
        (date(2027, 1, 11), date(2027, 1, 17), 2, False, None),
        (date(2027, 1, 18), date(2027, 1, 24), 3, False, None),
        (date(2027, 1, 25), date(2027, 1, 31), 4, False, None),
        (date(2027, 2, 1), OPEN_END, F(9, 2), True, None),  # maintenance: until a stop
    ]
    assert plan.open_ended is True
    assert plan.horizon == date(2027, 3, 28)  # a finite view: the protocol's 56 days
    assert plan.review_date == date(2027, 3, 29)  # 2027-02-01 + 56 days
    assert REVIEW_AFTER_DAYS == 56
    assert plan.target_mg == F(9, 2)
    assert plan.held is False
    assert plan.stopped_on is None
    assert plan.start_date == START
    assert plan.end_date == OPEN_END
    assert [(c.date, c.action, c.description, c.entry_id) for c in plan.changes] == [
        (
            START,
            "plan",
            "plan started: LDN Research Trust: 1 mg, up 1 mg a week (target 4.5 mg)",
            1,
        )
    ]
    assert plan.laid_to(date(2027, 3, 28))[4].days == 56
    assert plan.dose_on(date(2027, 4, 4)) == F(9, 2)  # day 91: still the final dose
    assert plan.dose_on(date(2035, 1, 1)) == F(9, 2)


def test_no_plan() -> None:
    diary = Diary()
    diary.add(START, Took(F(1)))
    with pytest.raises(InvalidInputError, match=r"^no plan has been started$"):
        diary.plan()


def test_adjustment_before_the_start_is_invalid() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 3), Adjust("hold"))
    with pytest.raises(
        InvalidInputError,
        match=r"^the adjustment on 2027-01-03 is dated before the plan's start \(2027-01-04\)$",
    ):
        diary.plan()


def test_back_from_3_mg_on_day_17() -> None:
    """The brief's example: side effects at 3 mg on day 17 (2027-01-20)."""
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("back", reason="side effects: insomnia"))
    plan = diary.plan()
    assert [(s.first_date, s.last_date, s.dose_mg, s.reason) for s in plan.segments] == [
        (date(2027, 1, 4), date(2027, 1, 10), 1, None),
        (date(2027, 1, 11), date(2027, 1, 17), 2, None),
        (date(2027, 1, 18), date(2027, 1, 19), 3, None),  # days 15 and 16 stay as they were
        (date(2027, 1, 20), date(2027, 1, 26), 2, "back to 2 mg (side effects: insomnia)"),
        (date(2027, 1, 27), date(2027, 2, 2), 3, None),  # the step that was left, 7 days
        (date(2027, 2, 3), date(2027, 2, 9), 4, None),
        (date(2027, 2, 10), OPEN_END, F(9, 2), None),  # the target, until a stop
    ]
    assert plan.review_date == date(2027, 4, 7)
    assert plan.changes[-1].description == "back to 2 mg (side effects: insomnia)"
    assert plan.changes[-1].action == "back"
    assert plan.changes[-1].date == date(2027, 1, 20)


def test_back_twice_goes_down_step_by_step() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("back"))
    diary.add(date(2027, 1, 22), Adjust("back"))  # during the 2 mg re-run
    assert diary.runs()[3:] == [
        (date(2027, 1, 20), date(2027, 1, 21), 2),
        (date(2027, 1, 22), date(2027, 1, 28), 1),
        (date(2027, 1, 29), date(2027, 2, 4), 2),
        (date(2027, 2, 5), date(2027, 2, 11), 3),
        (date(2027, 2, 12), date(2027, 2, 18), 4),
        (date(2027, 2, 19), date(2027, 4, 15), F(9, 2)),
    ]


def test_back_at_the_first_step_is_refused() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 6), Adjust("back"))
    with pytest.raises(
        RefusedError,
        match=r"^cannot go back on 2027-01-06: there is no step below 1 mg to go back to$",
    ):
        diary.plan()


def test_back_from_the_target() -> None:
    diary = weekly()
    diary.add(date(2027, 2, 3), Adjust("back"))
    plan = diary.plan()
    assert diary.runs()[-3:] == [
        (date(2027, 2, 1), date(2027, 2, 2), F(9, 2)),
        (date(2027, 2, 3), date(2027, 2, 9), 4),
        (date(2027, 2, 10), date(2027, 4, 6), F(9, 2)),
    ]
    assert plan.review_date == date(2027, 4, 7)


def test_back_without_steps_is_refused() -> None:
    diary = Diary(make_plan(climb=()))
    diary.add(date(2027, 1, 5), Adjust("back"))
    with pytest.raises(RefusedError, match=r"there is no step below 4.5 mg to go back to$"):
        diary.plan()


def test_open_hold_keeps_the_dose_to_the_review_horizon() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold", reason="vivid dreams"))  # at 2 mg since 01-11
    plan = diary.plan()
    assert diary.runs()[1:] == [
        (date(2027, 1, 11), date(2027, 3, 7), 2),  # one step; laid to 2027-01-11 + 55 days
    ]
    assert plan.segments[-1].last_date == OPEN_END  # until resume
    assert plan.held is True
    assert plan.review_date == date(2027, 3, 8)  # 2027-01-11 + 56 days
    assert plan.segments[-1].reason == "2027-01-13: hold at 2 mg (vivid dreams)"  # on its day
    assert plan.segments[-1].at_target is False


def test_resume_gives_a_full_step_then_the_remaining_steps() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold"))
    diary.add(date(2027, 2, 1), Adjust("resume"))
    plan = diary.plan()
    assert diary.runs()[1:] == [
        (date(2027, 1, 11), date(2027, 2, 7), 2),  # one step: the hold, then a full week
        (date(2027, 2, 8), date(2027, 2, 14), 3),
        (date(2027, 2, 15), date(2027, 2, 21), 4),
        (date(2027, 2, 22), date(2027, 4, 18), F(9, 2)),
    ]
    assert plan.held is False
    assert plan.segments[1].reason == (
        "2027-01-13: hold at 2 mg; 2027-02-01: resume the climb from 2 mg"
    )


def test_hold_for_some_days_then_resumes_as_resume_would() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold", for_days=14))
    plan = diary.plan()
    assert diary.runs()[1:] == [
        (date(2027, 1, 11), date(2027, 2, 2), 2),  # held 14 days from 01-13, then a full step
        (date(2027, 2, 3), date(2027, 2, 9), 3),
        (date(2027, 2, 10), date(2027, 2, 16), 4),
        (date(2027, 2, 17), date(2027, 4, 13), F(9, 2)),
    ]
    assert plan.held is False
    assert plan.segments[1].reason == (
        "2027-01-13: hold at 2 mg for 14 days; 2027-01-27: resume at 2 mg after the hold"
    )
    # The same plan as an open hold resumed on the 14th day after it.
    other = weekly()
    other.add(date(2027, 1, 13), Adjust("hold"))
    other.add(date(2027, 1, 27), Adjust("resume"))
    assert other.runs() == diary.runs()


def test_resume_during_a_timed_hold_ends_it_early() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold", for_days=14))
    diary.add(date(2027, 1, 16), Adjust("resume"))
    assert diary.runs()[1:3] == [
        (date(2027, 1, 11), date(2027, 1, 22), 2),  # held to 01-15, then a full week
        (date(2027, 1, 23), date(2027, 1, 29), 3),
    ]


def test_resume_when_not_on_hold_is_refused() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("resume"))
    with pytest.raises(
        RefusedError, match=r"^cannot resume on 2027-01-13: the plan is not on hold$"
    ):
        diary.plan()


def test_resume_after_a_timed_hold_ran_out_is_refused() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold", for_days=3))
    diary.add(date(2027, 1, 16), Adjust("resume"))
    with pytest.raises(RefusedError, match=r"^cannot resume on 2027-01-16: the plan is not on"):
        diary.plan()


def test_hold_at_the_target_changes_no_dose() -> None:
    before = weekly().runs()
    diary = weekly()
    diary.add(date(2027, 2, 10), Adjust("hold"))
    assert diary.runs() == before  # the same steps: a hold at the target changes no dose
    assert diary.plan().review_date == date(2027, 3, 29)
    diary.add(date(2027, 2, 20), Adjust("resume"))
    assert diary.runs() == before


def test_a_new_hold_replaces_the_hold_in_force() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold"))
    diary.add(date(2027, 1, 15), Adjust("hold", for_days=5))
    plan = diary.plan()
    assert diary.runs()[1:3] == [
        (date(2027, 1, 11), date(2027, 1, 26), 2),  # held to 01-19, then a full week
        (date(2027, 1, 27), date(2027, 2, 2), 3),
    ]
    assert plan.held is False


def test_back_during_a_hold_keeps_the_hold() -> None:
    # Issue 17 §3: hold on 01-13, back on 01-20: the plan no longer climbs on to 4.5 mg.
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold"))
    diary.add(date(2027, 1, 20), Adjust("back"))
    plan = diary.plan()
    assert plan.held is True
    assert plan.segments[2:] == (
        PlannedSegment(date(2027, 1, 20), OPEN_END, F(1), False, "back to 1 mg", F(9, 2)),
    )
    assert plan.dose_on(date(2027, 6, 1)) == 1
    assert plan.review_date == date(2027, 3, 17)  # 2027-01-20 + 56 days
    diary.add(date(2027, 1, 24), Adjust("resume"))  # a full step at 1 mg, then the climb
    assert diary.runs()[2:4] == [
        (date(2027, 1, 20), date(2027, 1, 30), 1),
        (date(2027, 1, 31), date(2027, 2, 6), 2),
    ]


def test_back_during_a_timed_hold_keeps_its_days_then_climbs() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold", for_days=14))  # to 01-26
    diary.add(date(2027, 1, 20), Adjust("back"))
    plan = diary.plan()
    assert diary.runs()[2:5] == [
        (date(2027, 1, 20), date(2027, 2, 2), 1),  # 01-20 to 01-26 held, then a full week
        (date(2027, 2, 3), date(2027, 2, 9), 2),
        (date(2027, 2, 10), date(2027, 2, 16), 3),
    ]
    assert plan.held is False


def test_timed_hold_at_the_target_changes_no_dose() -> None:
    diary = weekly()
    diary.add(date(2027, 2, 10), Adjust("hold", for_days=7))
    assert diary.runs()[-1] == (date(2027, 2, 1), date(2027, 3, 28), F(9, 2))


def test_slower_with_a_smaller_step_caps_the_last_at_the_target() -> None:
    diary = weekly()
    diary.add(
        date(2027, 1, 20), Adjust("slower", every_days=14, step_mg=F(1, 2), reason="insomnia")
    )
    plan = diary.plan()
    text = "2027-01-20: slower: from 3 mg, up 0.5 mg every 14 days (insomnia)"
    # 3 mg keeps 14 days from its first day (01-18), one step; then half steps. The
    # change is told once, dated, on the step of its day (issue 23 section 10).
    assert [(s.first_date, s.last_date, s.dose_mg, s.reason) for s in plan.segments][2:] == [
        (date(2027, 1, 18), date(2027, 1, 31), 3, text),
        (date(2027, 2, 1), date(2027, 2, 14), F(7, 2), None),
        (date(2027, 2, 15), date(2027, 2, 28), 4, None),
        (date(2027, 3, 1), OPEN_END, F(9, 2), None),
    ]


def test_slower_cap_like_a_custom_schedule() -> None:
    # 1, 2.5, 4, then 4.5 mg: the last step is capped, never 5.5 mg. The plan
    # climbs 1, 2.5, 4.5 mg (its step 2 mg), so steps of 1.5 mg are slower.
    diary = Diary(make_plan(climb=((F(1), 7), (F(5, 2), 7))))
    diary.add(date(2027, 1, 5), Adjust("slower", every_days=10, step_mg=F(3, 2)))
    assert diary.runs() == [
        (date(2027, 1, 4), date(2027, 1, 13), 1),  # 10 days from its first day
        (date(2027, 1, 14), date(2027, 1, 23), F(5, 2)),
        (date(2027, 1, 24), date(2027, 2, 2), 4),
        (date(2027, 2, 3), date(2027, 3, 30), F(9, 2)),
    ]


def test_slower_without_a_step_stretches_the_remaining_steps() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("slower", every_days=14))
    plan = diary.plan()
    assert diary.runs()[1:] == [
        (date(2027, 1, 11), date(2027, 1, 24), 2),  # 14 days from its first day
        (date(2027, 1, 25), date(2027, 2, 7), 3),
        (date(2027, 2, 8), date(2027, 2, 21), 4),
        (date(2027, 2, 22), date(2027, 4, 18), F(9, 2)),
    ]
    assert plan.changes[-1].description == "slower: from 2 mg, 14 days a step"


def test_back_after_slower_goes_down_the_new_steps() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("slower", every_days=14, step_mg=F(1, 2)))
    diary.add(date(2027, 2, 5), Adjust("back"))  # at 3.5 mg since 02-01
    assert diary.runs()[3:] == [
        (date(2027, 2, 1), date(2027, 2, 4), F(7, 2)),
        (date(2027, 2, 5), date(2027, 2, 18), 3),  # the new step's length: 14 days
        (date(2027, 2, 19), date(2027, 3, 4), F(7, 2)),
        (date(2027, 3, 5), date(2027, 3, 18), 4),
        (date(2027, 3, 19), date(2027, 5, 13), F(9, 2)),
    ]
    # And below the new steps, the protocol's own 2 mg step (7 days).
    diary.add(date(2027, 2, 7), Adjust("back"))
    assert diary.runs()[4:6] == [
        (date(2027, 2, 5), date(2027, 2, 6), 3),
        (date(2027, 2, 7), date(2027, 2, 13), 2),
    ]


@pytest.mark.parametrize(
    ("adjust", "when", "message"),
    [
        (
            Adjust("slower", every_days=7),
            date(2027, 2, 2),
            "^cannot climb more slowly on 2027-02-02: already at the target \\(4.5 mg\\)$",
        ),
        (
            Adjust("slower", every_days=200, step_mg=F(1, 2)),
            date(2027, 1, 5),
            "^steps of 0.5 mg every 200 days from 1 mg take 1400 days to reach 4.5 mg, "
            "more than two years; use a larger step$",
        ),
        (
            Adjust("slower", every_days=200),
            date(2027, 1, 5),
            "^steps every 200 days from 1 mg take 800 days to reach 4.5 mg, more than two "
            "years; use shorter steps$",
        ),
        (  # issue 17 §3: slower is never faster than the weekly steps in force
            Adjust("slower", every_days=1),
            date(2027, 1, 13),
            "^cannot climb more slowly on 2027-01-13 with steps every 1 day: the steps in "
            "force last 7 days; give 7 days or more$",
        ),
        (
            Adjust("slower", every_days=1, step_mg=F(3)),
            date(2027, 1, 13),
            "^cannot climb more slowly on 2027-01-13 with steps every 1 day: the steps in "
            "force last 7 days; give 7 days or more$",
        ),
        (
            Adjust("slower", every_days=7, step_mg=F(3)),
            date(2027, 1, 13),
            "^cannot climb more slowly on 2027-01-13 with steps of 3 mg: the step in force "
            "is 1 mg; give 1 mg or less$",
        ),
    ],
)
def test_slower_refusals(adjust: Adjust, when: date, message: str) -> None:
    # Refused when recorded (the entry is `checked`, as the Diary service checks it).
    diary = weekly()
    entry = diary.add(when, adjust)
    with pytest.raises(RefusedError, match=message):
        replan(diary.entries, checked=frozenset({entry.id}))


def test_a_stored_faster_slower_is_planned_never_faster_not_refused() -> None:
    # A diary of 0.2.0 may hold a slower climb faster than its steps: it still reads,
    # and is planned at the steps in force (weekly, by 1 mg at most), not refused.
    diary = weekly()
    weekly_runs = diary.runs()
    diary.add(date(2027, 1, 13), Adjust("slower", every_days=1, step_mg=F(3)))
    # every 1 day by 3 mg, planned at 7 days by 1 mg: the weekly plan itself
    assert (
        diary.runs()
        == weekly_runs
        == [
            (date(2027, 1, 4), date(2027, 1, 10), 1),
            (date(2027, 1, 11), date(2027, 1, 17), 2),
            (date(2027, 1, 18), date(2027, 1, 24), 3),
            (date(2027, 1, 25), date(2027, 1, 31), 4),
            (date(2027, 2, 1), date(2027, 3, 28), F(9, 2)),
        ]
    )


def test_slower_up_to_two_years_is_accepted() -> None:
    # 1 to 4.5 mg by 0.5 mg: 7 steps of 104 days, 728 days, within MAX_CLIMB_DAYS.
    assert MAX_CLIMB_DAYS == 730
    diary = weekly()
    diary.add(date(2027, 1, 5), Adjust("slower", every_days=104, step_mg=F(1, 2)))
    assert diary.runs()[-1][0] == date(2029, 1, 1)  # 2027-01-04 (first day at 1 mg) + 728


def test_target_below_the_current_dose_lowers_it_and_holds() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 27), Adjust("target", dose_mg=F(3), reason="headache at 4 mg"))
    plan = diary.plan()
    assert [(s.first_date, s.last_date, s.dose_mg, s.at_target) for s in plan.segments][3:] == [
        (date(2027, 1, 25), date(2027, 1, 26), F(4), False),
        (date(2027, 1, 27), OPEN_END, F(3), True),  # until a stop
    ]
    assert plan.horizon == date(2027, 3, 23)  # 56 days from its first day
    assert plan.target_mg == 3
    assert plan.review_date == date(2027, 3, 24)
    assert plan.segments[-1].reason == "new target 3 mg, lowered from 4 mg (headache at 4 mg)"
    assert plan.segments[-1].target_mg == 3
    assert plan.segments[0].target_mg == F(9, 2)


def test_target_equal_to_the_current_dose_counts_the_hold_from_its_first_day() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("target", dose_mg=F(3)))  # at 3 mg since 01-18
    plan = diary.plan()
    assert diary.runs()[2:] == [
        (date(2027, 1, 18), date(2027, 1, 19), 3),
        (date(2027, 1, 20), date(2027, 3, 14), 3),  # 2027-01-18 + 55 days
    ]
    assert plan.review_date == date(2027, 3, 15)
    assert [s.at_target for s in plan.segments[2:]] == [False, True]


def test_target_above_the_current_dose_keeps_the_current_step() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("target", dose_mg=F(7, 2)))  # at 2 mg until 01-17
    plan = diary.plan()
    assert diary.runs()[1:] == [
        (date(2027, 1, 11), date(2027, 1, 17), 2),  # one step: the change keeps the dose
        (date(2027, 1, 18), date(2027, 1, 24), 3),
        (date(2027, 1, 25), date(2027, 3, 21), F(7, 2)),
    ]
    assert plan.target_mg == F(7, 2)


def test_raising_the_target_after_reaching_it_climbs_on() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 18), Adjust("target", dose_mg=F(3)))
    diary.add(date(2027, 2, 15), Adjust("target", dose_mg=F(9, 2)))
    assert diary.runs()[2:] == [
        (date(2027, 1, 18), date(2027, 2, 14), 3),
        (date(2027, 2, 15), date(2027, 2, 21), 3),  # a full step at 3 mg
        (date(2027, 2, 22), date(2027, 2, 28), 4),
        (date(2027, 3, 1), date(2027, 4, 25), F(9, 2)),
    ]


def test_target_while_on_hold_keeps_the_hold() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold"))
    diary.add(date(2027, 1, 20), Adjust("target", dose_mg=F(4)))
    plan = diary.plan()
    assert diary.runs()[1:] == [(date(2027, 1, 11), date(2027, 3, 7), 2)]
    assert plan.held is True
    assert plan.target_mg == 4


def test_target_during_a_timed_hold_keeps_the_rest_of_the_hold() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold", for_days=7))
    diary.add(date(2027, 1, 15), Adjust("target", dose_mg=F(3)))
    assert diary.runs()[1:] == [
        (date(2027, 1, 11), date(2027, 1, 26), 2),  # held to 01-19, then a full step
        (date(2027, 1, 27), date(2027, 3, 23), 3),
    ]


def test_dose_set_by_the_prescriber_is_held() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("dose", dose_mg=F(5, 2), reason="prescriber"))
    plan = diary.plan()
    assert diary.runs()[2:] == [
        (date(2027, 1, 18), date(2027, 1, 19), 3),
        (date(2027, 1, 20), date(2027, 3, 16), F(5, 2)),  # to the review horizon
    ]
    assert plan.held is True
    assert plan.target_mg == F(9, 2)
    assert plan.review_date == date(2027, 3, 17)
    assert plan.segments[-1].reason == "dose set to 2.5 mg (prescriber)"
    # resume climbs on from it: a full step (of the 2 mg step below), then 3, 4, 4.5 mg.
    diary.add(date(2027, 2, 1), Adjust("resume"))
    assert diary.runs()[3:] == [
        (date(2027, 1, 20), date(2027, 2, 7), F(5, 2)),
        (date(2027, 2, 8), date(2027, 2, 14), 3),
        (date(2027, 2, 15), date(2027, 2, 21), 4),
        (date(2027, 2, 22), date(2027, 4, 18), F(9, 2)),
    ]
    # back from 2.5 mg goes to the 2 mg step, then the 3 mg step that follows it.
    diary.add(date(2027, 2, 3), Adjust("back"))
    assert diary.runs()[4:6] == [
        (date(2027, 2, 3), date(2027, 2, 9), 2),
        (date(2027, 2, 10), date(2027, 2, 16), 3),
    ]


def test_back_after_a_dose_returns_to_the_dose_in_force_the_day_before_it() -> None:
    # Issue 23 section 11: at 2 mg on 01-13, the prescriber set 3.5 mg from 01-14; back
    # on 01-16 gave 3 mg (the plan's step below 3.5 mg, never taken), not 2 mg.
    diary = weekly()
    diary.add(date(2027, 1, 14), Adjust("dose", dose_mg=F(7, 2)))
    diary.add(date(2027, 1, 16), Adjust("back"))
    plan = diary.plan()
    assert [plan.dose_on(date(2027, 1, d)) for d in (13, 14, 15, 16, 31)] == [2, 3.5, 3.5, 2, 2]
    assert plan.held is True  # the dose's hold stays in force, at the lower dose
    # A second back goes on down the plan's steps.
    diary.add(date(2027, 1, 20), Adjust("back"))
    assert diary.plan().dose_on(date(2027, 1, 20)) == 1


def test_back_after_a_lowered_dose_goes_to_the_step_below() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("dose", dose_mg=F(2)))  # from 3 mg on 01-19
    diary.add(date(2027, 1, 22), Adjust("back"))
    assert diary.plan().dose_on(date(2027, 1, 22)) == 1


def test_dose_above_the_target_raises_the_target() -> None:
    diary = weekly()
    diary.add(date(2027, 2, 15), Adjust("dose", dose_mg=F(6)))
    plan = diary.plan()
    assert plan.target_mg == 6
    assert diary.runs()[-1] == (date(2027, 2, 15), date(2027, 4, 11), 6)
    assert plan.segments[-1].at_target is True


def test_stop() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("stop", reason="nausea"))
    plan = diary.plan()
    assert diary.runs()[-1] == (date(2027, 1, 18), date(2027, 1, 19), 3)
    assert plan.stopped_on == date(2027, 1, 20)
    assert plan.review_date is None
    assert plan.end_date == date(2027, 1, 19)
    assert plan.changes[-1].description == "stopped (nausea)"


def test_stop_on_the_first_day_leaves_no_segment() -> None:
    diary = weekly()
    diary.add(START, Adjust("stop"))
    plan = diary.plan()
    assert plan.segments == ()
    assert plan.end_date is None
    assert plan.dose_on(START) is None


@pytest.mark.parametrize(
    ("adjust", "message"),
    [
        (Adjust("back"), "^cannot go back on 2027-01-25: no dose is planned that day"),
        (Adjust("hold"), "^cannot hold on 2027-01-25: no dose is planned that day"),
        (Adjust("resume"), "^cannot resume on 2027-01-25: no dose is planned that day"),
        (
            Adjust("slower", every_days=7),
            "^cannot climb more slowly on 2027-01-25: no dose is planned that day "
            r"\(the trial stopped on 2027-01-20\)$",
        ),
        (Adjust("stop"), "^cannot stop on 2027-01-25: the trial already stopped on 2027-01-20$"),
    ],
)
def test_refusals_after_a_stop(adjust: Adjust, message: str) -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("stop"))
    diary.add(date(2027, 1, 25), adjust)
    with pytest.raises(RefusedError, match=message):
        diary.plan()


def test_maintenance_goes_on_until_a_stop() -> None:
    # Issue 17 §3: day 90 of ldnrt-weekly (2027-04-03) had no dose planned.
    plan = weekly().plan()
    assert plan.dose_on(date(2027, 4, 3)) == F(9, 2)
    assert plan.dose_on(date(2030, 1, 1)) == F(9, 2)
    assert plan.segments[-1] == PlannedSegment(
        date(2027, 2, 1), OPEN_END, F(9, 2), True, None, F(9, 2)
    )
    # A hold in maintenance changes no dose; a stop ends it.
    diary = weekly()
    diary.add(date(2027, 4, 1), Adjust("hold"))
    assert diary.plan().dose_on(date(2027, 6, 1)) == F(9, 2)
    diary.add(date(2027, 6, 2), Adjust("stop"))
    plan = diary.plan()
    assert plan.open_ended is False
    assert plan.end_date == date(2027, 6, 1)
    assert plan.dose_on(date(2027, 6, 2)) is None


def test_an_open_hold_and_a_dose_never_end_the_treatment() -> None:
    # Issue 17 §3: an open hold ended eight weeks later, though it lasts until resume.
    for adjust in (Adjust("hold"), Adjust("dose", dose_mg=F(5, 2))):
        diary = weekly()
        diary.add(date(2027, 1, 20), adjust)
        plan = diary.plan()
        assert plan.open_ended is True
        assert plan.segments[-1].last_date == OPEN_END
        assert plan.dose_on(date(2027, 3, 18)) == plan.dose_on(date(2027, 1, 20))  # 8 weeks on
        assert plan.dose_on(date(2028, 1, 20)) == plan.dose_on(date(2027, 1, 20))


def test_target_after_a_stop_only_records_it() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("stop"))
    before = diary.runs()
    diary.add(date(2027, 1, 22), Adjust("target", dose_mg=F(2)))
    assert diary.runs() == before
    assert diary.plan().target_mg == 2


def test_a_lower_target_in_maintenance_lowers_the_dose() -> None:
    diary = weekly()
    diary.add(date(2027, 4, 1), Adjust("target", dose_mg=F(3)))
    plan = diary.plan()
    assert diary.runs()[4:] == [
        (date(2027, 2, 1), date(2027, 3, 31), F(9, 2)),
        (date(2027, 4, 1), date(2027, 5, 26), 3),  # laid to 2027-04-01 + 55 days
    ]
    assert plan.target_mg == 3
    assert plan.changes[-1].description == "new target 3 mg, lowered from 4.5 mg"


def test_dose_at_the_target_is_the_target_hold() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("dose", dose_mg=F(9, 2)))
    plan = diary.plan()
    assert diary.runs()[-1] == (date(2027, 1, 20), date(2027, 3, 16), F(9, 2))
    assert plan.segments[-1].at_target is True


def test_dose_restarts_after_a_stop_with_a_gap() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("stop", reason="surgery"))
    diary.add(date(2027, 2, 1), Adjust("dose", dose_mg=F(1)))
    plan = diary.plan()
    assert diary.runs()[2:] == [
        (date(2027, 1, 18), date(2027, 1, 19), 3),
        (date(2027, 1, 20), date(2027, 1, 31), None),
        (date(2027, 2, 1), date(2027, 3, 28), 1),
    ]
    assert plan.stopped_on is None
    assert plan.held is True
    assert plan.segments[3].at_target is False
    assert plan.end_date == OPEN_END


def test_a_plan_stopped_on_its_first_day_then_replaced_leaves_a_gap() -> None:
    diary = weekly()
    diary.add(START, Adjust("stop"))
    diary.add(date(2027, 1, 6), make_plan(start_date=date(2027, 1, 6)))
    plan = diary.plan()
    assert diary.runs()[:2] == [
        (date(2027, 1, 4), date(2027, 1, 5), None),
        (date(2027, 1, 6), date(2027, 1, 12), 1),
    ]
    assert plan.start_date == START


def test_a_stop_right_after_a_restart_leaves_no_trailing_gap() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("stop"))
    diary.add(date(2027, 1, 25), Adjust("dose", dose_mg=F(1)))
    diary.add(date(2027, 1, 25), Adjust("stop"))
    plan = diary.plan()
    assert diary.runs()[-1] == (date(2027, 1, 18), date(2027, 1, 19), 3)
    assert plan.stopped_on == date(2027, 1, 25)


def test_undoing_the_only_plan_leaves_no_plan() -> None:
    diary = weekly()
    diary.add(START, Undo("uid-1"))
    with pytest.raises(InvalidInputError, match=r"^no plan has been started$"):
        diary.plan()


def test_a_final_dose_never_ends_before_the_day_of_its_change() -> None:
    # 28-day steps and a 7-day hold: 1.5 mg since 01-04 made the target on 01-23.
    diary = Diary(make_plan(climb=((F(3, 2), 28), (F(3), 28)), hold_days=7))
    diary.add(date(2027, 1, 23), Adjust("target", dose_mg=F(3, 2)))
    plan = diary.plan()
    assert diary.runs() == [
        (date(2027, 1, 4), date(2027, 1, 22), F(3, 2)),
        (date(2027, 1, 23), date(2027, 1, 23), F(3, 2)),
    ]
    assert plan.review_date == date(2027, 3, 1)  # 2027-01-04 + 56 days


def test_missed_and_taken_days_never_move_the_plan() -> None:
    diary = weekly()
    before = diary.plan()
    diary.add(date(2027, 1, 11), Missed())
    diary.add(date(2027, 1, 12), Missed())
    diary.add(date(2027, 1, 13), Took(F(4)))  # more than planned: recorded as given
    diary.add(date(2027, 1, 14), Mixed(1, F(50), F(50), 14))
    diary.add(date(2027, 1, 14), Note("ok", (("pain", 3),)))
    assert diary.plan() == before


def test_adjustments_apply_in_date_order_whatever_their_recording_order() -> None:
    diary = weekly()
    diary.add(date(2027, 2, 1), Adjust("resume"))  # recorded first, about a later day
    diary.add(date(2027, 1, 13), Adjust("hold"))  # recorded second, about an earlier day
    expected = weekly()
    expected.add(date(2027, 1, 13), Adjust("hold"))
    expected.add(date(2027, 2, 1), Adjust("resume"))
    assert diary.runs() == expected.runs()


def test_same_day_adjustments_apply_in_recording_order() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Adjust("back"))
    diary.add(date(2027, 1, 20), Adjust("back"))
    assert diary.runs()[3] == (date(2027, 1, 20), date(2027, 1, 26), 1)


def test_the_order_of_the_list_does_not_matter() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold"))
    diary.add(date(2027, 1, 20), Adjust("resume"))
    diary.add(date(2027, 1, 30), Adjust("back"))
    shuffled = list(diary.entries)
    random.Random(4).shuffle(shuffled)
    assert replan(shuffled) == diary.plan()


def test_undone_adjustment_no_longer_counts() -> None:
    diary = weekly()
    back = diary.add(date(2027, 1, 20), Adjust("back"))
    undo = diary.add(date(2027, 1, 21), Undo(back.uid))
    assert diary.plan().segments == weekly().plan().segments
    diary.add(date(2027, 1, 22), Undo(undo.uid))
    assert diary.runs()[3] == (date(2027, 1, 20), date(2027, 1, 26), 2)


def test_a_new_plan_replaces_the_old_from_its_start() -> None:
    diary = weekly()
    early = diary.add(date(2027, 1, 13), Adjust("hold"))  # about the old plan, before the new
    late = diary.add(date(2027, 2, 1), Adjust("stop"))  # recorded before the new plan
    sensitive = make_plan(
        climb=((F(1, 2), 14), (F(1), 14)),
        target_mg=F(3, 2),
        protocol_id="ldnrt-sensitive",
        protocol_title="Sensitive",
        start_date=date(2027, 1, 20),
    )
    new = diary.add(date(2027, 1, 20), sensitive)
    plan = diary.plan()
    assert diary.runs() == [
        (date(2027, 1, 4), date(2027, 1, 10), 1),
        (date(2027, 1, 11), date(2027, 1, 19), 2),  # the old plan's hold, up to the new start
        (date(2027, 1, 20), date(2027, 2, 2), F(1, 2)),
        (date(2027, 2, 3), date(2027, 2, 16), 1),
        (date(2027, 2, 17), date(2027, 4, 13), F(3, 2)),
    ]
    assert plan.plan == sensitive
    assert plan.plans == (make_plan(), sensitive)
    assert plan.superseded_ids == (late.id,)
    assert plan.held is False
    assert plan.stopped_on is None
    assert plan.target_mg == F(3, 2)
    assert plan.day_number(date(2027, 1, 19)) == 16
    assert plan.day_number(date(2027, 1, 20)) == 1
    assert plan.day_number(date(2027, 1, 3)) is None
    assert [c.entry_id for c in plan.changes] == [1, early.id, new.id]
    # Adjustments recorded after the new plan apply to it.
    diary.add(date(2027, 2, 5), Adjust("back"))
    assert diary.runs()[3:5] == [
        (date(2027, 2, 3), date(2027, 2, 4), 1),
        (date(2027, 2, 5), date(2027, 2, 18), F(1, 2)),
    ]


def test_a_new_plan_starting_earlier_replaces_the_old_entirely() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 6), Adjust("hold"))
    newer = make_plan(start_date=date(2027, 1, 1))
    diary.add(date(2027, 1, 1), newer)
    plan = diary.plan()
    assert plan.plans == (newer,)
    assert plan.superseded_ids == (1, 2)
    assert diary.runs()[0] == (date(2027, 1, 1), date(2027, 1, 7), 1)


def test_a_new_plan_in_maintenance_replaces_it_from_its_start() -> None:
    diary = weekly()
    later = make_plan(start_date=date(2027, 4, 5))
    diary.add(date(2027, 4, 5), later)
    runs = diary.runs()
    assert runs[4:6] == [
        (date(2027, 2, 1), date(2027, 4, 4), F(9, 2)),  # maintenance, to the new start
        (date(2027, 4, 5), date(2027, 4, 11), 1),
    ]


def test_a_new_plan_after_a_stop_leaves_a_gap_without_dose() -> None:
    diary = weekly()
    diary.add(date(2027, 3, 29), Adjust("stop"))
    diary.add(date(2027, 4, 5), make_plan(start_date=date(2027, 4, 5)))
    assert diary.runs()[4:7] == [
        (date(2027, 2, 1), date(2027, 3, 28), F(9, 2)),
        (date(2027, 3, 29), date(2027, 4, 4), None),
        (date(2027, 4, 5), date(2027, 4, 11), 1),
    ]


def test_undoing_the_new_plan_brings_back_the_old_with_its_adjustments() -> None:
    diary = weekly()
    diary.add(date(2027, 2, 1), Adjust("stop"))
    new = diary.add(date(2027, 1, 20), make_plan(start_date=date(2027, 1, 20)))
    diary.add(date(2027, 1, 21), Undo(new.uid))
    plan = diary.plan()
    assert plan.stopped_on == date(2027, 2, 1)
    assert plan.superseded_ids == ()
    assert plan.plan == make_plan()


def test_adjustment_dated_before_a_later_plan_applies_to_the_older_plan() -> None:
    diary = weekly()
    diary.add(date(2027, 2, 1), make_plan(start_date=date(2027, 2, 1)))
    diary.add(date(2027, 1, 20), Adjust("back"))  # recorded later, about the old plan's days
    runs = diary.runs()
    assert runs[2:5] == [
        (date(2027, 1, 18), date(2027, 1, 19), 3),
        (date(2027, 1, 20), date(2027, 1, 26), 2),
        (date(2027, 1, 27), date(2027, 1, 31), 3),  # cut by the new plan
    ]
    assert runs[5] == (date(2027, 2, 1), date(2027, 2, 7), 1)


# --------------------------------------------------------------------------- queries


def test_day_status_on_a_plain_day() -> None:
    diary = weekly()
    took = diary.add(date(2027, 1, 20), Took())
    plan = diary.plan()
    status = day_status(plan, diary.entries, date(2027, 1, 20))
    assert status.date == date(2027, 1, 20)
    assert status.day_number == 17
    assert status.planned_dose_mg == 3
    assert status.segment_number == 3
    assert status.segment == plan.segments[2]
    assert status.taken == (Took(),)
    assert status.taken_entry_ids == (took.id,)
    assert status.taken_dose_mg == 3
    assert status.missed is False
    assert status.next_change == NextChange(date(2027, 1, 25), F(4))
    assert status.review_date == date(2027, 3, 29)
    assert status.yesterday_missed is False
    assert status.warnings == ()


def test_day_status_after_a_missed_day_says_never_double() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 19), Missed())
    status = day_status(diary.plan(), diary.entries, date(2027, 1, 20))
    assert status.yesterday_missed is True
    assert status.planned_dose_mg == 3  # never larger after a missed day
    assert [(w.code, dict(w.params), str(w)) for w in status.warnings] == [
        (
            "missed-yesterday",
            {"day": "2027-01-19"},
            "yesterday's dose was missed: take only today's dose, never double it",
        )
    ]
    missed_day = day_status(diary.plan(), diary.entries, date(2027, 1, 19))
    assert missed_day.missed is True
    assert missed_day.taken == ()
    assert missed_day.taken_dose_mg is None


def test_a_missed_day_with_a_dose_taken_after_all_is_not_missed() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 19), Missed())
    diary.add(date(2027, 1, 19), Took())
    assert day_status(diary.plan(), diary.entries, date(2027, 1, 20)).yesterday_missed is False
    assert day_status(diary.plan(), diary.entries, date(2027, 1, 19)).missed is False


def test_day_status_warnings_for_other_and_double_doses() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Took(F(2)))
    diary.add(date(2027, 1, 20), Took(F(2)))
    status = day_status(diary.plan(), diary.entries, date(2027, 1, 20))
    assert status.taken_dose_mg == 4
    assert [(w.code, dict(w.params), str(w)) for w in status.warnings] == [
        (
            "doses-on-one-day",
            {"day": "2027-01-20", "count": "2"},
            "2 doses are recorded as taken on this day",
        ),
        (
            "not-planned-dose",
            {"dose_mg": "4", "planned_mg": "3"},
            "taken 4 mg, but 3 mg is planned",
        ),
    ]


def test_day_status_before_the_start_and_after_the_end() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 3), Took(F(1)))
    plan = diary.plan()
    before = day_status(plan, diary.entries, date(2027, 1, 3))
    assert before.day_number is None
    assert before.planned_dose_mg is None
    assert before.segment is None
    assert before.segment_number is None
    assert before.next_change == NextChange(START, F(1))
    assert [(w.code, dict(w.params), str(w)) for w in before.warnings] == [
        (
            "unplanned-dose",
            {"day": "2027-01-03", "dose_mg": "1"},
            "a dose is recorded as taken on a day without a planned dose",
        )
    ]
    assert before.taken_dose_mg == 1
    last = day_status(plan, diary.entries, date(2027, 3, 28))
    assert last.next_change is None  # maintenance: no change planned
    after = day_status(plan, diary.entries, date(2027, 4, 1))
    assert after.planned_dose_mg == F(9, 2)
    assert after.next_change is None
    assert after.day_number == 88
    diary.add(date(2027, 4, 2), Adjust("stop"))
    stopped = diary.plan()
    assert day_status(stopped, diary.entries, date(2027, 4, 1)).next_change == NextChange(
        date(2027, 4, 2), None
    )
    assert day_status(stopped, diary.entries, date(2027, 4, 2)).planned_dose_mg is None


def test_day_status_skips_a_split_with_the_same_dose() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 13), Adjust("hold", for_days=14))
    status = day_status(diary.plan(), diary.entries, date(2027, 1, 12))
    assert status.next_change == NextChange(date(2027, 2, 3), F(3))


def test_history_days() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 4), Took())
    diary.add(date(2027, 1, 5), Took(F(1, 2)))
    diary.add(date(2027, 1, 5), Note("tired", (("pain", 6), ("sleep", 4))))
    diary.add(date(2027, 1, 5), Note(scores=(("pain", 5),), side_effects=("vivid dreams",)))
    diary.add(date(2027, 1, 6), Missed())
    diary.add(date(2027, 1, 3), Took())  # no dose planned that day: taken, dose unknown
    note = diary.add(date(2027, 1, 7), Note(side_effects=("headache",)))
    diary.add(date(2027, 1, 7), Undo(note.uid))
    days = history_days(diary.plan(), diary.entries, date(2027, 1, 3), date(2027, 1, 7))
    assert [(d.date, d.planned_dose_mg, d.taken_dose_mg, d.taken, d.missed) for d in days] == [
        (date(2027, 1, 3), None, None, True, False),
        (date(2027, 1, 4), 1, 1, True, False),
        (date(2027, 1, 5), 1, F(1, 2), True, False),
        (date(2027, 1, 6), 1, None, False, True),
        (date(2027, 1, 7), 1, None, False, False),
    ]
    assert days[2].scores == {"pain": 5, "sleep": 4}  # the later note wins
    assert days[2].side_effects == ("vivid dreams",)
    assert days[4].scores == {}
    assert days[4].side_effects == ()


def test_history_range_refused_backwards() -> None:
    diary = weekly()
    with pytest.raises(
        InvalidInputError,
        match=r"^the period ends \(2027-01-03\) before it starts \(2027-01-04\)$",
    ):
        history_days(diary.plan(), diary.entries, date(2027, 1, 4), date(2027, 1, 3))


def test_a_took_without_dose_follows_the_plan() -> None:
    diary = weekly()
    diary.add(date(2027, 1, 20), Took())
    diary.add(date(2027, 1, 20), Adjust("back"))
    days = history_days(diary.plan(), diary.entries, date(2027, 1, 20), date(2027, 1, 20))
    assert days[0].taken_dose_mg == 2


def test_adherence() -> None:
    diary = weekly()
    for n in (1, 2, 3, 5):
        diary.add(day(n), Took())
    diary.add(day(4), Missed())
    diary.add(date(2027, 1, 3), Took(F(1)))  # not a planned day: not counted
    plan = diary.plan()
    result = adherence(plan, diary.entries, day(6))
    assert (result.days_planned, result.days_taken) == (6, 4)
    assert result.ratio == F(2, 3)
    assert adherence(plan, diary.entries, day(6), start=day(3)).ratio == F(1, 2)
    assert adherence(plan, diary.entries, date(2027, 1, 1)).ratio is None


def test_adherence_counts_no_planned_day_after_a_stop() -> None:
    diary = weekly()
    diary.add(day(3), Adjust("stop"))
    diary.add(day(1), Took())
    result = adherence(diary.plan(), diary.entries, day(10))
    assert (result.days_planned, result.days_taken) == (2, 1)


def test_days_at_each_dose() -> None:
    diary = weekly()
    for n in range(1, 10):
        diary.add(day(n), Took())
    diary.add(day(10), Took(F(3, 2)))
    result = days_at_each_dose(diary.plan(), diary.entries, day(1), day(10))
    assert [(d.dose_mg, d.days_planned, d.days_taken) for d in result] == [
        (1, 7, 7),
        (F(3, 2), 0, 1),
        (2, 3, 2),
    ]


def test_side_effects_by_date() -> None:
    diary = weekly()
    diary.add(day(9), Note(side_effects=("insomnia", "vivid dreams")))
    diary.add(day(3), Note(side_effects=("headache",)))
    diary.add(day(9), Note("again", side_effects=("insomnia",)))
    diary.add(day(5), Note("fine"))
    gone = diary.add(day(6), Note(side_effects=("nausea",)))
    diary.add(day(6), Undo(gone.uid))
    assert side_effects_by_date(diary.entries) == (
        (date(2027, 1, 6), ("headache",)),
        (date(2027, 1, 12), ("insomnia", "vivid dreams")),
    )
    assert side_effects_by_date(diary.entries, start=day(4)) == (
        (date(2027, 1, 12), ("insomnia", "vivid dreams")),
    )
    assert side_effects_by_date(diary.entries, end=day(4)) == ((date(2027, 1, 6), ("headache",)),)


def test_living_plan_lookups() -> None:
    plan = weekly().plan()
    assert plan.segment_index(date(2027, 1, 3)) is None
    assert plan.segment_index(date(2027, 1, 4)) == 0
    assert plan.segment_index(date(2027, 3, 28)) == 4
    assert plan.segment_index(date(2027, 3, 29)) == 4  # maintenance, until a stop
    assert plan.dose_on(date(2027, 1, 24)) == 3
    assert plan.plan_on(date(2027, 1, 3)) is None
    assert plan.plan_on(date(2027, 1, 4)) == make_plan()


def test_replace_keeps_validation() -> None:
    with pytest.raises(InvalidInputError, match="the target must be more than zero"):
        replace(make_plan(), target_mg=F(0))


def test_a_dilution_is_its_own_entry_with_an_exact_concentration() -> None:
    # 1 mL of the 1 mg/mL stock in 9 mL of water is 0.1 mg/mL (written out by hand).
    made = Diluted(Fraction(1), Fraction(1), Fraction(9), 14)
    assert made.volume_ml == 10
    assert made.concentration_mg_per_ml == Fraction(1, 10)
    kind, text = encode_payload(made)
    assert kind == "diluted"
    assert decode_payload(kind, text) == made
    with pytest.raises(InvalidInputError, match="a dilution's stage is 1 or 2, not 3"):
        Diluted(Fraction(1), Fraction(1), Fraction(9), 14, stage=3)
    with pytest.raises(InvalidInputError, match="the water"):
        Diluted(Fraction(1), Fraction(1), Fraction(0), 14)


def test_a_note_may_hold_the_pgic_and_old_notes_still_read() -> None:
    assert Note(pgic=2).pgic == 2
    for wrong in (0, 8, True):
        with pytest.raises(InvalidInputError, match="the PGIC is a whole number from 1"):
            Note(pgic=wrong)
    # A note stored by 0.2.0 has no "pgic" key: it reads with none.
    old = '{"scores":[["pain",4]],"side_effects":[],"text":"x"}'
    assert decode_payload("note", old) == Note("x", (("pain", 4),))
    # Written now, it carries its version and every field (the PGIC as null).
    assert encode_payload(Note("x", (("pain", 4),)))[1] == (
        '{"pgic":null,"scores":[["pain",4]],"side_effects":[],"text":"x","v":2}'
    )
    assert decode_payload(*encode_payload(Note(pgic=5))) == Note(pgic=5)


# ------------------------------------------------- issue 17 §3: never faster than the step


def test_raising_the_target_climbs_on_in_the_plans_own_steps() -> None:
    # Issue 17 §3: a plan that climbed 0.5 mg a week to 2 mg jumped 2 -> 4.5 mg in a day.
    halves = ((F(1, 2), 7), (F(1), 7), (F(3, 2), 7))
    diary = Diary(make_plan(climb=halves, target_mg=F(2)))
    diary.add(date(2027, 2, 1), Adjust("target", dose_mg=F(9, 2)))  # at 2 mg since 01-25
    assert diary.runs()[3:] == [
        (date(2027, 1, 25), date(2027, 1, 31), 2),  # at the old target
        (date(2027, 2, 1), date(2027, 2, 7), 2),  # a full step at 2 mg, then +0.5 mg a week
        (date(2027, 2, 8), date(2027, 2, 14), F(5, 2)),
        (date(2027, 2, 15), date(2027, 2, 21), 3),
        (date(2027, 2, 22), date(2027, 2, 28), F(7, 2)),
        (date(2027, 3, 1), date(2027, 3, 7), 4),
        (date(2027, 3, 8), date(2027, 5, 2), F(9, 2)),  # the last step capped
    ]
    # and a later back goes down through the new steps
    diary.add(date(2027, 2, 16), Adjust("back"))
    assert diary.runs()[6:8] == [
        (date(2027, 2, 15), date(2027, 2, 15), 3),
        (date(2027, 2, 16), date(2027, 2, 22), F(5, 2)),
    ]


def test_raising_the_weekly_target_to_6_mg_climbs_a_mg_a_week() -> None:
    # Issue 17 §3: ldnrt-weekly with target 6 mg jumped 4 -> 6 mg.
    diary = weekly()
    diary.add(date(2027, 1, 26), Adjust("target", dose_mg=F(6)))  # at 4 mg since 01-25
    assert diary.runs()[3:] == [
        (date(2027, 1, 25), date(2027, 1, 31), 4),  # the step keeps its days
        (date(2027, 2, 1), date(2027, 2, 7), 5),
        (date(2027, 2, 8), date(2027, 4, 4), 6),
    ]
    # raised again in maintenance at 6 mg: 7 days more at 6, then 7 mg
    diary.add(date(2027, 3, 1), Adjust("target", dose_mg=F(7)))
    assert diary.runs()[5:] == [
        (date(2027, 2, 8), date(2027, 2, 28), 6),
        (date(2027, 3, 1), date(2027, 3, 7), 6),
        (date(2027, 3, 8), date(2027, 5, 2), 7),
    ]


def test_a_climb_from_a_set_dose_below_the_first_step_rises_by_the_step() -> None:
    # 1.5 mg for two weeks, then +0.5 mg every two weeks: the step is 0.5 mg.
    pack = ((F(3, 2), 14), (F(2), 14), (F(5, 2), 14))
    diary = Diary(make_plan(climb=pack, target_mg=F(3)))
    diary.add(date(2027, 1, 6), Adjust("dose", dose_mg=F(1, 2)))
    diary.add(date(2027, 1, 10), Adjust("resume"))
    assert diary.runs() == [
        (date(2027, 1, 4), date(2027, 1, 5), F(3, 2)),
        (date(2027, 1, 6), date(2027, 1, 23), F(1, 2)),  # to 01-09, then a full step
        (date(2027, 1, 24), date(2027, 2, 6), 1),  # 0.5 -> 1.5 is laid in 0.5 mg steps
        (date(2027, 2, 7), date(2027, 2, 20), F(3, 2)),
        (date(2027, 2, 21), date(2027, 3, 6), 2),
        (date(2027, 3, 7), date(2027, 3, 20), F(5, 2)),
        (date(2027, 3, 21), date(2027, 5, 15), 3),
    ]


def test_slower_is_the_same_dated_on_a_step_up_day_or_the_day_before() -> None:
    # Issue 17 §3 (the docs' story): back on 01-20 gives 2 mg to 01-26, 3 mg from 01-27.
    # Dated on the step-up day (01-27), slower no longer holds 3 mg, the dose that was
    # left, for two weeks: both days keep 2 mg 14 days from its first day (01-20).
    plans = []
    for when in (date(2027, 1, 26), date(2027, 1, 27)):
        diary = weekly()
        diary.add(date(2027, 1, 20), Adjust("back"))
        diary.add(when, Adjust("slower", every_days=14, step_mg=F(1, 2)))
        assert diary.runs()[3:] == [
            (date(2027, 1, 20), date(2027, 2, 2), 2),
            (date(2027, 2, 3), date(2027, 2, 16), F(5, 2)),
            (date(2027, 2, 17), date(2027, 3, 2), 3),
            (date(2027, 3, 3), date(2027, 3, 16), F(7, 2)),
            (date(2027, 3, 17), date(2027, 3, 30), 4),
            (date(2027, 3, 31), date(2027, 5, 25), F(9, 2)),
        ]
        segments = diary.plan().segments
        assert segments[3].reason == (
            f"back to 2 mg; {when.isoformat()}: slower: from 2 mg, up 0.5 mg every 14 days"
        )
        plans.append([replace(s, reason=None) for s in segments])
    assert plans[0] == plans[1]


# Issue 23 section 1: a hold, back or slower dated on a rise day takes effect before
# that day's rise. The sensitive plan: 0.1 mg, up 0.2 mg a week, to 1.5 mg, from 06-01.
SENSITIVE = tuple((F(k, 10), 7) for k in (1, 3, 5, 7, 9, 11, 13))


def sensitive() -> Diary:
    return Diary(make_plan(climb=SENSITIVE, target_mg=F(3, 2), start_date=date(2026, 6, 1)))


def test_a_hold_on_a_rise_day_keeps_the_day_before_dose() -> None:
    diary = sensitive()
    # back on 06-18 (at 0.5 mg since 06-15): 0.3 mg for a week, 0.5 mg due on 06-25
    diary.add(date(2026, 6, 18), Adjust("back"))
    assert diary.plan().dose_on(date(2026, 6, 25)) == F(1, 2)
    diary.add(date(2026, 6, 25), Adjust("hold", reason="bad sleep"))
    plan = diary.plan()
    assert [plan.dose_on(date(2026, 6, d)) for d in (24, 25, 26)] == [F(3, 10)] * 3
    assert plan.dose_on(date(2026, 12, 31)) == F(3, 10)  # held until resume
    assert plan.held is True
    # one step from 06-18, each change on its day
    assert diary.runs()[-1][:2] == (date(2026, 6, 18), date(2026, 8, 12))  # 06-18 + 55 days
    assert plan.segments[-1].reason == "back to 0.3 mg; 2026-06-25: hold at 0.3 mg (bad sleep)"


def test_a_hold_on_the_weekly_plans_first_rise_keeps_1_mg() -> None:
    diary = weekly()
    diary.add(day(8), Adjust("hold"))
    assert [diary.plan().dose_on(day(n)) for n in (7, 8, 9, 30)] == [1, 1, 1, 1]


def test_a_timed_hold_on_a_rise_day_holds_the_day_before_dose_then_climbs() -> None:
    diary = weekly()
    diary.add(day(15), Adjust("hold", for_days=7))  # 3 mg was due on day 15 (01-18)
    assert diary.runs()[:3] == [
        (date(2027, 1, 4), date(2027, 1, 10), 1),
        (date(2027, 1, 11), date(2027, 1, 31), 2),  # held 01-18..01-24, then a full step
        (date(2027, 2, 1), date(2027, 2, 7), 3),
    ]


def test_back_on_a_rise_day_goes_below_the_day_before_dose() -> None:
    diary = weekly()
    diary.add(day(15), Adjust("back"))  # at 2 mg on day 14; 3 mg was due on day 15
    assert diary.runs()[:3] == [
        (date(2027, 1, 4), date(2027, 1, 10), 1),
        (date(2027, 1, 11), date(2027, 1, 17), 2),
        (date(2027, 1, 18), date(2027, 1, 24), 1),  # the step below 2 mg, its full week
    ]


def test_back_on_the_first_rise_day_is_refused() -> None:
    diary = weekly()
    diary.add(day(8), Adjust("back"))  # at 1 mg on day 7: no step below it
    with pytest.raises(RefusedError, match="no step below 1 mg to go back to"):
        diary.plan()


def test_a_hold_after_a_new_target_on_a_rise_day_still_keeps_the_day_before_dose() -> None:
    # The rise on day 15 is still the plan's own climb after a target change that day.
    diary = weekly()
    diary.add(day(15), Adjust("target", dose_mg=F(6)))
    diary.add(day(15), Adjust("hold"))
    assert [diary.plan().dose_on(day(n)) for n in (14, 15, 16)] == [2, 2, 2]


def test_a_hold_on_the_day_of_a_prescribed_dose_holds_that_dose() -> None:
    # 'dose' acts on its day: a hold recorded after it on that day keeps it.
    diary = weekly()
    diary.add(day(10), Adjust("dose", dose_mg=F(3)))
    diary.add(day(10), Adjust("hold"))
    assert [diary.plan().dose_on(day(n)) for n in (9, 10, 40)] == [2, 3, 3]


def test_target_dose_and_stop_act_on_a_rise_day() -> None:
    for move, expected in (
        (Adjust("target", dose_mg=F(5, 2)), F(5, 2)),
        (Adjust("dose", dose_mg=F(5, 2)), F(5, 2)),
        (Adjust("stop"), None),
    ):
        diary = weekly()
        diary.add(day(15), move)  # 3 mg was due on day 15
        assert diary.plan().dose_on(day(15)) == expected, move


def test_step_numbers_follow_doses_not_entries() -> None:
    # Issue 17 §3: after a target change on day 3, 'today' said step 2 at step 1's dose.
    diary = weekly()
    diary.add(day(3), Adjust("target", dose_mg=F(6)))
    plan = diary.plan()
    assert day_status(plan, diary.entries, day(3)).segment_number == 1
    assert day_status(plan, diary.entries, day(8)).segment_number == 2
    assert plan.segments[0].reason == "2027-01-06: new target 6 mg"


def test_review_due_and_the_reminders_before_it() -> None:
    diary = weekly()  # final dose from 2027-02-01: review 2027-03-29
    plan = diary.plan()

    def status(when: date) -> tuple[date | None, tuple[str, ...]]:
        found = day_status(plan, diary.entries, when)
        return found.review_due_since, found.reminders

    assert status(date(2027, 3, 14)) == (None, ())  # 15 days before
    assert status(date(2027, 3, 15)) == (None, (SCORE_REMINDER,))  # 14 days before
    assert status(date(2027, 3, 28)) == (None, (SCORE_REMINDER,))
    assert status(date(2027, 3, 29)) == (date(2027, 3, 29), (SCORE_REMINDER, PGIC_REMINDER))
    assert status(date(2027, 4, 10)) == (date(2027, 3, 29), ())
    # Codes, not commands: the CLI words them with the exact command for the profile.
    assert (SCORE_REMINDER, PGIC_REMINDER) == ("score", "pgic")


def _rises_beyond(plan: LivingPlan, step: Fraction, exempt: set[date]) -> list[date]:
    """Return the days whose planned dose rises above the day before's by more than ``step``."""
    # No horizon: nothing is laid (a stop on the first day); the days after are checked too.
    last = (plan.horizon or plan.start_date) + timedelta(days=30)
    found = []
    when = plan.start_date + timedelta(days=1)
    while when <= last:
        before, now = plan.dose_on(when - timedelta(days=1)), plan.dose_on(when)
        if before is not None and now is not None and now - before > step and when not in exempt:
            found.append(when)
        when += timedelta(days=1)
    return found


_QUARTERS = st.integers(1, 12).map(lambda n: F(n, 4))


@st.composite
def _plans_and_adjustments(draw: st.DrawFn) -> tuple[PlanStarted, list[tuple[int, Adjust]]]:
    doses = sorted(set(draw(st.lists(_QUARTERS, max_size=4))))
    climb = tuple((d, draw(st.integers(1, 14))) for d in doses)
    target = (doses[-1] if doses else F(0)) + draw(_QUARTERS)
    plan = make_plan(climb=climb, target_mg=target, hold_days=draw(st.integers(1, 60)))
    adjust = st.one_of(
        st.just(Adjust("back")),
        st.just(Adjust("hold")),
        st.builds(lambda n: Adjust("hold", for_days=n), st.integers(1, 20)),
        st.just(Adjust("resume")),
        st.builds(
            lambda n, s: Adjust("slower", every_days=n, step_mg=s),
            st.integers(1, 21),
            st.none() | _QUARTERS,
        ),
        st.builds(lambda d: Adjust("target", dose_mg=d), st.integers(1, 32).map(lambda n: F(n, 4))),
        st.builds(lambda d: Adjust("dose", dose_mg=d), _QUARTERS),
        st.just(Adjust("stop")),
    )
    moves = draw(st.lists(st.tuples(st.integers(0, 120), adjust), max_size=6))
    return plan, moves


@st.composite
def _drawn_before_a_day(
    draw: st.DrawFn,
) -> tuple[PlanStarted, list[tuple[int, Adjust]], int, Adjust]:
    plan, moves = draw(_plans_and_adjustments())
    # Often a day the plan as started rises (the first day of a step), else any day.
    rises = [sum(days for _, days in plan.climb[:k]) for k in range(1, len(plan.climb) + 1)]
    offset = draw(st.sampled_from(rises) | st.integers(1, 120) if rises else st.integers(1, 120))
    move = draw(
        st.one_of(
            st.just(Adjust("back")),
            st.builds(lambda n: Adjust("hold", for_days=n), st.none() | st.integers(1, 20)),
            st.builds(
                lambda n, s: Adjust("slower", every_days=n, step_mg=s),
                st.integers(1, 21),
                st.none() | _QUARTERS,
            ),
        )
    )
    # Changes recorded on that day before it: a new target (above or below), a
    # resume, a timed hold, a back, or a prescriber's dose (which the test leaves out).
    same_day = draw(
        st.lists(
            st.sampled_from(
                [Adjust("target", dose_mg=F(k, 4)) for k in (2, 6, 12, 20, 40)]
                + [Adjust("resume"), Adjust("hold", for_days=3), Adjust("back")]
                + [Adjust("dose", dose_mg=F(3))]
            ),
            max_size=2,
        )
    )
    return plan, [*moves, *((offset, m) for m in same_day)], offset, move


@given(_plans_and_adjustments())
def test_no_day_rises_above_the_step_in_force(
    drawn: tuple[PlanStarted, list[tuple[int, Adjust]]],
) -> None:
    plan, moves = drawn
    doses = [d for d, _ in plan.climb] + [plan.target_mg]
    # The oracle: the plan's own step is its largest rise (the first dose if no climb).
    step = max((b - a for a, b in pairwise(doses)), default=plan.target_mg)
    diary = Diary(plan)
    exempt: set[date] = set()  # the prescriber's dose is set, not climbed to
    for offset, move in moves:
        when = START + timedelta(days=offset)
        entry = diary.add(when, move)
        try:
            diary.plan()
        except (RefusedError, InvalidInputError):
            diary.entries.remove(entry)  # refused, as the CLI would: never recorded
            continue
        if move.action == "dose":
            exempt.add(when)
    living = diary.plan()
    assert _rises_beyond(living, step, exempt) == []


@given(
    hold_on=st.integers(0, 27),
    hold_for=st.none() | st.integers(1, 20),
    slower_on=st.integers(1, 40),
    every=st.integers(7, 21),
    step=st.none() | st.sampled_from([F(1, 4), F(1, 2), F(1)]),
)
def test_slower_never_brings_a_rise_forward(
    hold_on: int, hold_for: int | None, slower_on: int, every: int, step: Fraction | None
) -> None:
    # Issue 17 section 3: a slower climb never plans a day above what the plan gave
    # that day without it; and (when it ends a hold, as resume would) each of its doses
    # lasts at least its days, the first counted from the first day at that dose.
    diary = weekly()
    start = date(2027, 1, 4)
    diary.add(start + timedelta(days=hold_on), Adjust("hold", for_days=hold_for))
    when = start + timedelta(days=hold_on + slower_on)
    before = diary.plan()
    try:
        replan([*diary.entries, Entry("resume", 99, when, AT, Adjust("resume"))])
        held = True
    except RefusedError:  # not on hold that day
        held = False
    diary.add(when, Adjust("slower", every_days=every, step_mg=step))
    try:
        after = replan(diary.entries, checked=frozenset({diary.entries[-1].id}))
    except RefusedError:
        return  # at the target already, or a climb of more than two years
    days = [when + timedelta(days=offset) for offset in range(200)]
    if not held:
        for day in days:
            was, now = before.dose_on(day), after.dose_on(day)
            if was is not None and now is not None:
                assert now <= was, (day, now, was)
        return
    runs = [(s.first_date, s.dose_mg) for s in after.segments if s.dose_mg is not None]
    for (first, dose), (then, higher) in pairwise(runs):
        if then > when and higher > dose:
            assert (then - first).days >= every, (first, then, every)


@given(_drawn_before_a_day())
def test_a_hold_back_or_slower_never_raises_its_days_dose(
    drawn: tuple[PlanStarted, list[tuple[int, Adjust]], int, Adjust],
) -> None:
    # Issue 23 section 1: whatever the plan and the changes before (on D too, but a
    # prescriber's dose, which acts on its day), a hold, back or slower dated on day D
    # plans no more on D than on D - 1.
    plan, moves, offset, move = drawn
    diary = Diary(plan)
    when = START + timedelta(days=offset)
    for before, earlier in moves:
        if before < offset or (before == offset and earlier.action != "dose"):
            entry = diary.add(START + timedelta(days=before), earlier)
            try:
                diary.plan()
            except (RefusedError, InvalidInputError):
                diary.entries.remove(entry)
    entry = diary.add(when, move)
    try:
        living = replan(diary.entries, checked=frozenset({entry.id}))
    except RefusedError:
        return  # no dose that day, no step below, at the target already
    today, yesterday = living.dose_on(when), living.dose_on(when - timedelta(days=1))
    assert today is not None
    assert yesterday is not None
    assert today <= yesterday, (when, today, yesterday)


def test_a_score_named_with_braces_is_refused_in_its_words() -> None:
    # The refusal's words hold the name as given: braces in it are not a format field.
    from ldncalc.diary.entries import score_pairs

    for name in ("{", "{x}", "}{"):
        with pytest.raises(InvalidInputError) as info:
            score_pairs({name: 11})
        assert info.value.code == "score-out-of-range"
        assert f"the {name} score is a whole number from 0" in str(info.value)
