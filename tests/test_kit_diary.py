"""A kit per profile (issue 26 item 2): the syringes owned, the scale, the hour of the dose.

The library (``ldncalc.diary.kit`` through ``Diary``): folding, undo, the rules,
wrong inputs as ``LdncalcError`` with their codes; the CLI (``ldncalc kit``,
each error path with its message and exit code); export and import into a new
folder; ``today`` and ``plan start`` with the kit; and a property: any sequence
of kit changes and undos gives the kit a simple model predicts. Expected values
are written out by hand.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, time
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ldncalc.diary import kit as K
from ldncalc.diary.entries import Missed, PlanStarted, Took
from ldncalc.diary.kit import ProfileKit, kit_of, measuring_kit
from ldncalc.diary.kit_entries import KitScale, KitSyringeAdded, KitTime
from ldncalc.diary.service import Diary
from ldncalc.diary.store import Store
from ldncalc.dose.kit import Kit, Scale
from ldncalc.dose.syringes import Syringe
from ldncalc.errors import InvalidInputError, LdncalcError, RefusedError
from tests.test_cli_diary import Home

TODAY = date(2026, 12, 1)
ONE = Syringe(F(1), F(1, 100))
THREE = Syringe(F(3), F(1, 10))
TEN = Syringe(F(10), F(1, 5))


def open_diary(folder: Path) -> Diary:
    return Diary(Store(folder), clock=lambda: TODAY)


@pytest.fixture
def diary(tmp_path: Path) -> Diary:
    return open_diary(tmp_path / "home")


# ------------------------------------------------------------------ the library


def test_an_empty_profile_has_an_empty_kit(diary: Diary) -> None:
    assert diary.kit() == ProfileKit()
    assert diary.kit().empty
    assert not diary._store.path.exists()  # reading the kit creates no diary file


def test_the_kit_folds_its_entries_in_order(diary: Diary) -> None:
    diary.change_kit(K.kit_add("10mL"))
    diary.change_kit(K.kit_add("1mL"))
    diary.change_kit(K.kit_add("3mL"))
    diary.change_kit(K.kit_remove("3mL:0.1mL"))
    diary.change_kit(K.kit_scale("0.1g"))
    diary.change_kit(K.kit_scale("1g", "2g"))
    diary.change_kit(K.kit_time("22:00"))
    # Smallest first; the later scale replaces the earlier; accuracy given.
    assert diary.kit() == ProfileKit((ONE, TEN), Scale(F(1), F(2)), time(22, 0))
    diary.change_kit(K.kit_scale(None))
    diary.change_kit(K.kit_time(None))
    assert diary.kit() == ProfileKit((ONE, TEN))


def test_a_scale_is_accurate_to_one_division_unless_told() -> None:
    assert K.kit_scale("0.1g") == KitScale(F(1, 10), F(1, 10))
    assert K.kit_scale("100 mg", "0.2g") == KitScale(F(1, 10), F(1, 5))
    assert K.kit_scale(None) == KitScale(None, None)


def test_a_kit_entry_is_one_entry_of_the_diary_dated_today(diary: Diary) -> None:
    recorded = diary.change_kit(K.kit_add("10mL:0.2mL"))
    assert recorded.entry.id == 1
    assert recorded.entry.day == TODAY
    assert recorded.entry.kind == "kit-add"
    assert recorded.entry.payload == KitSyringeAdded(F(10), F(1, 5))
    assert [e.kind for e in diary.entries()] == ["kit-add"]


def test_undo_takes_a_change_back_and_an_undone_undo_restores_it(diary: Diary) -> None:
    diary.change_kit(K.kit_add("1mL"))  # 1
    diary.change_kit(K.kit_time("21:30"))  # 2
    diary.undo(1)  # 3
    assert diary.kit() == ProfileKit((), None, time(21, 30))
    diary.undo(3)  # 4: entry 1 stands again
    assert diary.kit() == ProfileKit((ONE,), None, time(21, 30))
    diary.undo(2)
    assert diary.kit() == ProfileKit((ONE,))


def test_a_removal_whose_syringe_was_undone_changes_nothing(diary: Diary) -> None:
    diary.change_kit(K.kit_add("1mL"))  # 1
    diary.change_kit(K.kit_remove("1mL"))  # 2
    diary.undo(1)  # the removal now removes nothing
    assert diary.kit() == ProfileKit()
    diary.change_kit(K.kit_add("1mL"))  # in force again, after the removal
    assert diary.kit() == ProfileKit((ONE,))


def test_a_syringe_is_added_once_and_removed_only_when_in_the_kit(diary: Diary) -> None:
    diary.change_kit(K.kit_add("1mL"))
    with pytest.raises(RefusedError) as added:
        diary.change_kit(K.kit_add("1mL:0.01mL"))
    assert added.value.code == "in-kit-already"
    assert str(added.value) == "the kit has a 1 mL (0.01 mL marks) syringe already"
    with pytest.raises(RefusedError) as removed:
        diary.change_kit(K.kit_remove("3mL"))
    assert removed.value.code == "not-in-kit"
    assert str(removed.value) == (
        "the kit has no 3 mL (0.1 mL marks) syringe (it has 1 mL (0.01 mL marks))"
    )
    assert len(diary.entries()) == 1  # nothing written


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: K.kit_add("0mL"), "syringe-unreadable"),
        (lambda: K.kit_add("-3mL"), "syringe-unreadable"),
        (lambda: K.kit_add("7mL"), "syringe-unreadable"),  # no catalogue marks
        (lambda: K.kit_add("3mL:0.7mL"), "syringe-unreadable"),
        (lambda: K.kit_remove("3g"), "syringe-unreadable"),
        (lambda: K.kit_time("25:00"), "time-unreadable"),
        (lambda: K.kit_time("10pm"), "time-unreadable"),
        (lambda: K.kit_scale("0g"), "scale-invalid"),
        (lambda: K.kit_scale("-0.1g"), "scale-invalid"),
        (lambda: K.kit_scale("0.1g", "-0.1g"), "scale-invalid"),
        (lambda: K.kit_scale("0.1"), "scale-invalid"),  # grams must be said
        (lambda: K.kit_scale("0.1mL"), "scale-invalid"),
        (lambda: K.kit_scale(None, "0.2g"), "scale-invalid"),
        (lambda: K.kit_scale("20g"), "scale-invalid"),
        (lambda: K.kit_scale("0.0001g"), "scale-invalid"),  # finer than any kitchen scale
        (lambda: K.kit_scale("0.1g", "20g"), "scale-invalid"),  # off by over 100 divisions
    ],
)
def test_wrong_inputs_are_errors_with_their_codes(make: object, code: str) -> None:
    assert callable(make)
    with pytest.raises(InvalidInputError) as info:
        make()
    assert info.value.code == code
    assert "\n" not in str(info.value)


def test_kit_entries_are_no_days_record(diary: Diary) -> None:
    diary.start_plan("ldnrt-weekly", start_date=date(2026, 11, 20))
    diary.change_kit(K.kit_add("1mL"))
    diary.change_kit(K.kit_time("22:00"))
    # A dose taken on the day the kit changed: the kit entries do not block it...
    assert isinstance(diary.took().entry.payload, Took)
    # ...nor a missed dose of the day before.
    assert isinstance(diary.missed(on=date(2026, 11, 30)).entry.payload, Missed)


def test_a_kit_before_any_plan_may_be_undone(diary: Diary) -> None:
    diary.change_kit(K.kit_time("22:00"))
    diary.undo(1)
    assert diary.kit() == ProfileKit()


def test_a_kit_before_any_plan_has_a_history_without_days(diary: Diary) -> None:
    # Issue 26 item 2: the entries (with their ids, for undo) before a plan exists.
    diary.change_kit(K.kit_add("1mL"))
    diary.change_kit(K.kit_time("22:00"))
    diary.undo(1)
    made = diary.history()
    assert [(r.entry.id, r.undone_by) for r in made.entries] == [(1, 3), (2, None), (3, None)]
    assert [type(r.entry.payload).__name__ for r in made.entries] == [
        "KitSyringeAdded",
        "KitTime",
        "Undo",
    ]
    assert made.days == ()
    assert made.living is None
    # The window still applies: a day before the kit's shows nothing.
    assert diary.history(start=date(2026, 11, 1), end=date(2026, 11, 30)).entries == ()
    with pytest.raises(InvalidInputError) as info:
        diary.history(start=TODAY, end=date(2026, 11, 30))
    assert info.value.code == "window-backwards"


def test_an_empty_diary_still_has_no_history(diary: Diary) -> None:
    with pytest.raises(RefusedError) as info:
        diary.history()
    assert info.value.code == "no-plan"


def test_a_kit_before_any_plan_is_a_sound_diary(diary: Diary) -> None:
    diary.change_kit(K.kit_add("3mL"))
    diary.note("before the first dose")
    assert diary.check() == []


def test_stored_kit_entries_are_read_back_exactly(diary: Diary) -> None:
    diary.change_kit(K.kit_scale("0.1g", "0.2g"))
    diary.change_kit(K.kit_time("7:05"))
    (scale, hour) = [r.payload for r in diary._store.records("default")]
    assert json.loads(scale) == {"v": 2, "resolution_g": "0.1", "accuracy_g": "0.2"}
    assert json.loads(hour) == {"v": 2, "time": "07:05"}
    assert [e.payload for e in open_diary(diary._store.folder).entries()] == [
        KitScale(F(1, 10), F(1, 5)),
        KitTime("07:05"),
    ]


def test_the_measuring_kit_is_every_syringe_and_the_scale() -> None:
    assert measuring_kit(ProfileKit()) is None
    assert measuring_kit(ProfileKit(dose_time=time(22, 0))) is None  # an hour measures nothing
    assert measuring_kit(ProfileKit((THREE,))) == Kit((THREE,))
    assert measuring_kit(ProfileKit((ONE, TEN), Scale(F(1, 10)))) == Kit(
        (ONE, TEN), Scale(F(1, 10))
    )


def test_today_is_laid_with_the_kits_syringe(diary: Diary) -> None:
    diary.start_plan("ldnrt-weekly", start_date=date(2026, 11, 20))  # 2 mg on 12-01
    first = diary.today().plan
    assert first is not None
    assert first.measurement.syringe == THREE  # the catalogue's for 2 mL
    diary.change_kit(K.kit_add("10mL"))
    laid = diary.today().plan
    assert laid is not None
    assert laid.measurement.syringe == TEN
    # The plan recorded is unchanged: this is how it is laid, not what was stored.
    started = diary.entries()[0].payload
    assert isinstance(started, PlanStarted)
    assert started.syringe_ml is None


def test_a_kit_syringe_that_cannot_measure_the_plan_leaves_it_as_recorded(
    diary: Diary,
) -> None:
    diary.start_plan("ldnrt-sensitive", start_date=date(2026, 11, 20))  # 0.5 mg
    as_recorded = diary.today()
    diary.change_kit(K.kit_add("10mL:0.5mL"))  # 0.5 mL marks: too coarse for 0.5 mL
    laid = diary.today()
    assert laid.plan == as_recorded.plan
    (warning,) = [a for a in laid.advisories if a.code == "kit"]
    assert warning.message.startswith(
        "the kit's 10 mL (0.5 mL marks) syringe cannot measure every dose of the plan ("
    )
    assert warning.message.endswith("); the plan is laid as it was started")
    assert laid.advisories[:-1] == as_recorded.advisories


def test_a_plan_started_with_its_own_syringe_keeps_it(diary: Diary) -> None:
    diary.start_plan("ldnrt-weekly", start_date=date(2026, 11, 20), syringe=THREE)
    diary.change_kit(K.kit_add("10mL"))
    laid = diary.today().plan
    assert laid is not None
    assert laid.measurement.syringe == THREE


# ------------------------------------------------------------------ a simple model


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(["1mL", "3mL", "10mL:0.5mL"])),
        st.tuples(st.just("remove"), st.sampled_from(["1mL", "3mL", "10mL:0.5mL"])),
        st.tuples(st.just("scale"), st.sampled_from(["0.1g", "1g", "none"])),
        st.tuples(st.just("time"), st.sampled_from(["22:00", "06:30", "none"])),
        st.tuples(st.just("undo"), st.integers(min_value=1, max_value=12)),
    ),
    max_size=12,
)
SYRINGES = {
    "1mL": (F(1), F(1, 100)),
    "3mL": (F(3), F(1, 10)),
    "10mL:0.5mL": (F(10), F(1, 2)),
}


def _model_cancelled(entries: dict[int, tuple[str, object]], entry_id: int) -> bool:
    """An entry is cancelled when an undo naming it is not itself cancelled."""
    return any(
        op == "undo" and arg == entry_id and not _model_cancelled(entries, other)
        for other, (op, arg) in entries.items()
    )


def _model_kit(entries: dict[int, tuple[str, object]]) -> ProfileKit:
    owned: set[str] = set()
    scale: Scale | None = None
    hour: time | None = None
    for entry_id in sorted(entries):
        op, arg = entries[entry_id]
        if op == "undo" or _model_cancelled(entries, entry_id):
            continue
        if op == "add":
            owned.add(str(arg))
        elif op == "remove":
            owned.discard(str(arg))
        elif op == "scale":
            scale = None if arg == "none" else Scale(F(str(arg)[:-1]), F(str(arg)[:-1]))
        elif op == "time":
            hour = None if arg == "none" else time.fromisoformat(str(arg))
    by_size = sorted(SYRINGES[name] for name in owned)  # (capacity, marks): smallest first
    return ProfileKit(tuple(Syringe(*size) for size in by_size), scale, hour)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_any_sequence_of_changes_and_undos_gives_the_kit_the_model_predicts(
    ops: list[tuple[str, object]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        diary = open_diary(Path(folder))
        entries: dict[int, tuple[str, object]] = {}
        for op, arg in ops:
            current = _model_kit(entries)
            owned = {n for n, (c, g) in SYRINGES.items() if Syringe(c, g) in current.syringes}
            refused = (
                (op == "add" and arg in owned)
                or (op == "remove" and arg not in owned)
                or (
                    op == "undo"
                    and (arg not in entries or _model_cancelled(entries, int(str(arg))))
                )
            )
            try:
                if op == "add":
                    diary.change_kit(K.kit_add(str(arg)))
                elif op == "remove":
                    diary.change_kit(K.kit_remove(str(arg)))
                elif op == "scale":
                    diary.change_kit(K.kit_scale(None if arg == "none" else str(arg)))
                elif op == "time":
                    diary.change_kit(K.kit_time(None if arg == "none" else str(arg)))
                else:
                    diary.undo(int(str(arg)))
            except LdncalcError:
                assert refused, (op, arg)
                continue
            assert not refused, (op, arg)
            entries[len(entries) + 1] = (op, arg)
            assert diary.kit() == _model_kit(entries)
        assert kit_of(diary.entries()) == _model_kit(entries)


# ------------------------------------------------------------------ the CLI


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


EMPTY_KIT = (
    "Syringes:    none recorded (each command chooses from the common sizes)\n"
    "Scale:       none (the water is measured by volume)\n"
    "Dose time:   none\n"
)


def test_kit_shows_and_changes_the_kit(home: Home) -> None:
    assert home.ok("kit") == EMPTY_KIT
    assert home.ok("kit", "add", "1mL") == (
        f"Recorded entry 1 for {date.today().isoformat()}: kit: added the 1 mL (0.01 mL marks)"
        " syringe\n"
    )
    home.ok("kit", "add", "10mL:0.5mL")
    home.ok("kit", "add", "3mL")
    home.ok("kit", "remove", "3mL")
    assert home.ok("kit", "scale", "0.1g", "--accuracy", "0.2g").endswith(
        "kit: scale 0.1 g (within 0.2 g)\n"
    )
    assert home.ok("kit", "time", "22:00").endswith("kit: the dose at 22:00\n")
    assert home.ok("kit") == (
        "Syringes:    1 mL (0.01 mL marks), 10 mL (0.5 mL marks)\n"
        "Scale:       0.1 g (within 0.2 g)\n"
        "Dose time:   22:00\n"
    )
    assert home.ok("kit", "scale", "none").endswith("kit: no scale\n")
    assert home.ok("kit", "time", "none").endswith("kit: no dose time\n")
    assert home.ok("kit").endswith(
        "Scale:       none (the water is measured by volume)\nDose time:   none\n"
    )


def test_kit_takes_profile_and_data_dir(home: Home, tmp_path: Path) -> None:
    other = str(tmp_path / "other")
    home.ok("kit", "add", "1mL", "--profile", "mum", "--data-dir", other)
    assert home.ok("kit") == EMPTY_KIT
    assert home.ok("kit", "--profile", "mum", "--data-dir", other).startswith(
        "Syringes:    1 mL (0.01 mL marks)\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["kit", "add", "0mL"],
            2,
            "'0mL' is not a syringe ('0mL' is zero; expected a volume in mL (for example "
            "50 mL)); write its capacity and marks, e.g. 5mL:0.1mL",
        ),
        (
            ["kit", "time", "25:00"],
            2,
            "'25:00' is not a time of day: hours run from 00 to 23 and minutes from 00 to 59",
        ),
        (["kit", "scale", "-1g"], 2, "a scale's division must be more than zero, not -1g"),
        (["kit", "scale", "0g"], 2, "a scale's division must be more than zero, not 0g"),
        (
            ["kit", "scale", "0.1"],
            2,
            "a scale's division needs its unit: write 0.1g, not '0.1'",
        ),
        (
            ["kit", "scale", "0.1g", "--accuracy", "0g"],
            2,
            "a scale's accuracy must be more than zero, not 0g",
        ),
        (
            ["kit", "remove", "3mL"],
            1,
            "the kit has no 3 mL (0.1 mL marks) syringe (it has no syringe)",
        ),
    ],
)
def test_kit_errors_are_one_line_with_their_exit_code(
    home: Home, args: list[str], code: int, message: str
) -> None:
    assert home.refused(code, *args) == message
    assert not home.file.exists()


def test_a_syringe_added_twice_is_refused(home: Home) -> None:
    home.ok("kit", "add", "1mL")
    assert home.refused(1, "kit", "add", "1mL") == (
        "the kit has a 1 mL (0.01 mL marks) syringe already"
    )


def test_the_kit_round_trips_through_export_and_import(home: Home, tmp_path: Path) -> None:
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", "2026-01-05")
    home.ok("kit", "add", "1mL")
    home.ok("kit", "add", "10mL:0.5mL")
    home.ok("kit", "scale", "1g")
    home.ok("kit", "time", "21:30")
    home.ok("kit", "add", "3mL")
    home.ok("undo", "6")  # the 3 mL syringe taken back
    shown = home.ok("kit")
    exported = tmp_path / "export.json"
    home.ok("data", "export", str(exported))
    document = json.loads(exported.read_text("utf-8"))
    from jsonschema import Draft202012Validator

    from ldncalc.schemas import load_schema

    assert list(Draft202012Validator(load_schema("diary")).iter_errors(document)) == []
    kinds = [e["kind"] for e in document["entries"]]
    assert kinds == ["plan", "kit-add", "kit-add", "kit-scale", "kit-time", "kit-add", "undo"]
    elsewhere = Home(tmp_path / "elsewhere")
    elsewhere.ok("data", "import", str(exported))
    assert elsewhere.ok("kit") == shown
    assert shown == (
        "Syringes:    1 mL (0.01 mL marks), 10 mL (0.5 mL marks)\n"
        "Scale:       1 g (within 1 g)\n"
        "Dose time:   21:30\n"
    )


def test_a_kit_alone_round_trips_too(home: Home, tmp_path: Path) -> None:
    home.ok("kit", "add", "3mL")
    home.ok("kit", "time", "22:00")
    home.ok("undo", "1")
    exported = tmp_path / "export.json"
    home.ok("data", "export", str(exported))
    elsewhere = Home(tmp_path / "elsewhere")
    elsewhere.ok("data", "import", str(exported))
    assert elsewhere.ok("kit") == home.ok("kit")
    assert elsewhere.ok("kit").endswith("Dose time:   22:00\n")


def test_an_import_adds_a_syringe_to_the_kit_once(diary: Diary, tmp_path: Path) -> None:
    # Issue 26 item 2: an import keeps the rule of `kit add` (a syringe added once).
    source = open_diary(tmp_path / "source")
    source.change_kit(K.kit_add("1mL"))
    source.change_kit(K.kit_time("21:00"))
    document = source.export()
    diary.change_kit(K.kit_add("1mL:0.01mL"))  # the same syringe, written out
    with pytest.raises(RefusedError) as info:
        diary.import_(document)
    assert info.value.code == "import-refused"
    assert str(info.value) == (
        "entry 1 of the export is refused: the kit has a 1 mL (0.01 mL marks) syringe already"
    )
    cause = info.value.__cause__
    assert isinstance(cause, LdncalcError)
    assert cause.code == "in-kit-already"
    assert [e.id for e in diary.entries()] == [1]  # nothing written
    assert diary.kit() == ProfileKit((ONE,))
    # Once she takes hers out, the import brings it back, with the hour.
    diary.change_kit(K.kit_remove("1mL"))
    added = diary.import_entries(document)
    assert [(e.id, e.payload) for e in added] == [
        (3, KitSyringeAdded(F(1), F(1, 100))),
        (4, KitTime("21:00")),
    ]
    assert diary.kit() == ProfileKit((ONE,), None, time(21, 0))
    assert diary.import_entries(document) == ()  # again: nothing new


def test_an_import_says_when_the_kit_changed(home: Home, tmp_path: Path) -> None:
    # Issue 26 item 2: an import that changes the kit says so; one that does not, as before.
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", "2026-01-05", "--dose-time", "22:00")
    home.ok("kit", "add", "1mL")
    home.ok("kit", "scale", "0.1g")
    home.ok("took", "--date", "2026-01-06")
    exported = tmp_path / "export.json"
    home.ok("data", "export", str(exported))
    elsewhere = Home(tmp_path / "elsewhere")
    assert elsewhere.ok("data", "import", str(exported)) == (
        "Added 5 entries to profile default; the kit changed: the dose at 22:00; "
        "added the 1 mL (0.01 mL marks) syringe; scale 0.1 g (within 0.1 g)\n"
    )
    assert elsewhere.ok("data", "import", str(exported)) == "Added 0 entries to profile default\n"
    # A profile that owns the syringe already: refused whole, in one line, nothing written.
    third = Home(tmp_path / "third")
    third.ok("kit", "add", "1mL")
    assert third.refused(1, "data", "import", str(exported)) == (
        "entry 3 of the export is refused: the kit has a 1 mL (0.01 mL marks) syringe already"
    )


def test_history_lists_the_kits_changes(home: Home) -> None:
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", "2026-01-05")
    home.ok("kit", "add", "1mL")
    home.ok("kit", "scale", "0.1g")
    home.ok("kit", "time", "22:00")
    home.ok("kit", "remove", "1mL")
    today = date.today().isoformat()
    text = home.ok("history", "--from", "2026-01-05", "--to", today)
    for line in (
        f"      2  {today}  kit: added the 1 mL (0.01 mL marks) syringe",
        f"      3  {today}  kit: scale 0.1 g (within 0.1 g)",
        f"      4  {today}  kit: the dose at 22:00",
        f"      5  {today}  kit: removed the 1 mL (0.01 mL marks) syringe",
    ):
        assert line in text.splitlines()
    shown = home.json("history", "--from", "2026-01-05", "--to", today)
    from jsonschema import Draft202012Validator

    from ldncalc.schemas import load_schema

    assert list(Draft202012Validator(load_schema("history")).iter_errors(shown)) == []
    entries = shown["entries"]
    assert [(e["kind"], e["payload"]) for e in entries[1:]] == [
        ("kit-add", {"v": 2, "capacity_ml": "1", "graduation_ml": "0.01"}),
        ("kit-scale", {"v": 2, "resolution_g": "0.1", "accuracy_g": "0.1"}),
        ("kit-time", {"v": 2, "time": "22:00"}),
        ("kit-remove", {"v": 2, "capacity_ml": "1", "graduation_ml": "0.01"}),
    ]
    # The CSV holds the days: a kit entry changes none of them.
    csv = home.ok("history", "--from", "2026-01-05", "--to", "2026-01-07", "--csv")
    home.ok("undo", "3")
    assert home.ok("history", "--from", "2026-01-05", "--to", "2026-01-07", "--csv") == csv


def test_history_lists_a_kit_before_any_plan(home: Home) -> None:
    # Issue 26 item 2: she adds a syringe, mistypes a removal, and looks for the id to undo.
    home.ok("kit", "add", "1mL")
    assert home.refused(1, "kit", "remove", "10mL").startswith("the kit has no 10 mL")
    today = date.today().isoformat()
    text = home.ok("history")
    assert text.startswith(
        "Entries (id, date, what):\n"
        f"      1  {today}  kit: added the 1 mL (0.01 mL marks) syringe\n"
        "\n"
        "Days (date, planned, taken, scores 0 none to 10 worst):\n"
    )
    shown = home.json("history")
    from jsonschema import Draft202012Validator

    from ldncalc.schemas import load_schema

    assert list(Draft202012Validator(load_schema("history")).iter_errors(shown)) == []
    assert [(e["id"], e["kind"]) for e in shown["entries"]] == [(1, "kit-add")]
    assert shown["days"] == []
    assert home.ok("history", "--csv").count("\n") == 1  # the header: no days
    assert home.ok("history", "--chart") == text  # no plan: no chart
    home.ok("undo", "1")
    assert home.ok("kit") == EMPTY_KIT


def test_today_says_the_kits_hour(home: Home) -> None:
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", "2026-01-05")
    before = home.ok("today", "--date", "2026-01-06")
    assert "Dose:        step 1: 1.5 mg\n" in before
    assert home.json("today", "--date", "2026-01-06")["dose_time"] is None
    home.ok("kit", "time", "22:00")
    after = home.ok("today", "--date", "2026-01-06")
    assert "Dose:        step 1: 1.5 mg at 22:00\n" in after
    assert after.replace(" at 22:00", "") == before
    assert home.json("today", "--date", "2026-01-06")["dose_time"] == "22:00"


def test_plan_start_dose_time_sets_the_kits_time(home: Home) -> None:
    said = home.ok(
        "plan", "start", "ldnnaltrexone", "--start-date", "2026-01-05", "--dose-time", "21:00"
    )
    assert said.splitlines()[1].endswith("kit: the dose at 21:00")
    assert home.ok("kit").endswith("Dose time:   21:00\n")
    assert [r.kind for r in home.records()] == ["plan", "kit-time"]
    # Refused whole before anything is written: a bad hour starts no plan.
    assert (
        home.refused(2, "plan", "start", "--force", "--dose-time", "25:00")
        == "'25:00' is not a time of day: hours run from 00 to 23 and minutes from 00 to 59"
    )


def _flat(text: str) -> str:
    """Return ``text`` with its lines joined: a paragraph wraps where the width says."""
    return " ".join(text.split())


def test_plan_show_and_today_draw_on_the_kits_syringe(home: Home) -> None:
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", "2026-01-05")
    assert "on the 3 mL (0.1 mL marks) syringe" in _flat(home.ok("today", "--date", "2026-01-06"))
    home.ok("kit", "add", "5mL:0.1mL")
    assert "on the 5 mL (0.1 mL marks) syringe" in _flat(home.ok("today", "--date", "2026-01-06"))
    steps = home.json("plan", "show")["steps"]
    assert {(s["syringe_ml"], s["graduation_ml"]) for s in steps} == {(5, 0.1)}


def test_plan_show_warns_when_the_kits_syringe_cannot_measure_the_plan(home: Home) -> None:
    home.ok("plan", "start", "ldnrt-sensitive", "--start-date", "2026-01-05")
    home.ok("kit", "add", "10mL:0.5mL")
    result = home.run("plan", "show", "--json")
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "Warning: the kit's 10 mL (0.5 mL marks) syringe cannot measure every dose"
    )
    steps = json.loads(result.stdout)["steps"]
    assert 10 not in {s["syringe_ml"] for s in steps}


def test_plan_start_syringe_is_that_plans_own(home: Home) -> None:
    home.ok("kit", "add", "5mL:0.1mL")
    home.ok("plan", "start", "ldnnaltrexone", "--start-date", "2026-01-05", "--syringe", "3mL")
    assert "on the 3 mL (0.1 mL marks) syringe" in _flat(home.ok("today", "--date", "2026-01-06"))
    assert home.ok("kit").startswith("Syringes:    5 mL (0.1 mL marks)\n")  # unchanged


def test_today_json_with_a_dose_time_is_valid_by_its_schema(home: Home) -> None:
    from jsonschema import Draft202012Validator

    from ldncalc.schemas import load_schema

    home.ok("plan", "start", "ldnnaltrexone", "--start-date", "2026-01-05")
    home.ok("kit", "time", "06:45")
    obj = home.json("today", "--date", "2026-01-06")
    assert obj["dose_time"] == "06:45"
    assert obj["schema"] == "ldncalc.today/4"
    assert list(Draft202012Validator(load_schema("today")).iter_errors(obj)) == []
    obj["dose_time"] = "25:00"
    assert list(Draft202012Validator(load_schema("today")).iter_errors(obj)) != []


def test_the_kit_groups_options_are_its_commands(home: Home, tmp_path: Path) -> None:
    # Issue 26 item 2: what 'ldncalc kit --help' shows works: --profile and --data-dir
    # before the command name the diary as they do after it.
    other = str(tmp_path / "other")
    for args in (
        ["kit", "--profile", "ana", "--data-dir", other, "add", "10mL"],
        ["kit", "--profile=ana", "remove", "10mL", "--data-dir", other],
        ["kit", "--data-dir", other, "--profile", "ana", "scale", "0.1g"],
        ["kit", "--profile", "ana", "time", "22:00", "--profile", "ana", "--data-dir", other],
        ["kit", "--data-dir", other + "/", "add", "1mL", "--data-dir", other, "--profile", "ana"],
    ):
        assert home.ok(*args).startswith("Recorded entry "), args
    assert [r.kind for r in Home(tmp_path / "other").records("ana")] == [
        "kit-add",
        "kit-remove",
        "kit-scale",
        "kit-time",
        "kit-add",
    ]
    assert home.ok("kit", "--profile", "ana", "--data-dir", other) == (
        "Syringes:    1 mL (0.01 mL marks)\nScale:       0.1 g (within 0.1 g)\nDose time:   22:00\n"
    )
    assert home.ok("kit") == EMPTY_KIT  # the default diary is untouched
    assert not home.file.exists()
    # A negative division after the group's options is still the scale's, refused plainly.
    assert home.refused(2, "kit", "--profile", "ana", "scale", "-1g") == (
        "a scale's division must be more than zero, not -1g"
    )


def test_a_kit_option_given_twice_differently_is_refused(home: Home) -> None:
    # Never change another profile's kit: two names for one diary are one line, nothing written.
    assert home.refused(2, "kit", "--profile", "mum", "add", "3mL", "--profile", "ana") == (
        "--profile is given twice, 'mum' before 'add' and 'ana' after it; give it once"
    )
    assert home.refused(
        2, "kit", "--data-dir", "a", "time", "22:00", "--data-dir", "b", profile="mum"
    ) == ("--data-dir is given twice, 'a' before 'time' and 'b' after it; give it once")
    assert not home.file.exists()
