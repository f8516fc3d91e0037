from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
# CI explores a fixed set of cases (derandomized), so that main's result does
# not depend on the draw; developers' runs draw new cases every time.
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=200,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The tests marked `slow`: CI runs every test (plain `pytest`); a developer may
# leave these out with `pytest -m "not slow"`. They are marked here, by name,
# so that the files themselves need no marker. Whole modules first: the
# process tests (real subprocesses, kills and races), the state machines and
# the browsers.
SLOW_MODULES = frozenset(
    {
        "test_store_processes",  # writers killed and racing in real processes
        "test_encodings",  # every command in a subprocess, under odd terminals
        "test_terminals",  # every table on a pseudo-terminal
        "test_clock_locale",  # processes under other time zones and locales
        "test_diary_stateful",  # hypothesis state machine
        "test_living_stateful",  # hypothesis state machine
        "test_service_stateful",  # hypothesis state machine
        "test_patient",  # a patient following today for months, in-process
        "test_handout_browser",  # Chromium
        "test_report_browser",  # Chromium
    }
)
# Then single tests in modules that are otherwise quick (the function's name,
# or the class's for a state machine): each starts a process, or runs a machine.
SLOW_TESTS = {
    "test_cli": frozenset(
        {
            "test_a_closed_stdout_is_one_error_line",
            "test_a_full_disk_is_one_error_line",
            "test_a_reader_gone_before_the_first_line_ends_quietly",
            "test_a_reader_that_goes_away_ends_quietly",
            "test_piped_into_head_ends_0",
            "test_python_dash_m_runs_the_cli",
        }
    ),
    "test_cli_diary": frozenset(
        {"test_the_installed_command", "test_today_needs_no_units_library_and_no_rich"}
    ),
    "test_files": frozenset(
        {
            "test_a_killed_write_leaves_a_temporary_that_a_later_write_removes",
            "test_a_read_only_file_system",
            "test_dev_stdout_is_refused_without_force",
            "test_dev_stdout_redirected_to_a_file_is_streamed_not_replaced",
            "test_dev_stdout_to_a_pipe_is_streamed",
        }
    ),
    "test_service": frozenset({"test_a_saved_entry_is_never_reported_as_a_failure"}),
    "test_store": frozenset(
        {"test_an_interrupted_change_is_rolled_back", "test_import_is_cheap", "TestStoreMachine"}
    ),
}
TESTS = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    # A renamed or removed module would silently stop being marked: say so at once.
    missing = sorted(
        name for name in SLOW_MODULES | SLOW_TESTS.keys() if not (TESTS / f"{name}.py").exists()
    )
    if missing:
        raise pytest.UsageError(f"tests/conftest.py marks missing modules slow: {missing}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slow = pytest.mark.slow
    for item in items:
        module = item.path.stem
        if module in SLOW_MODULES:
            item.add_marker(slow)
            continue
        names = SLOW_TESTS.get(module)
        if names is None:
            continue
        function = getattr(item, "originalname", item.name)
        cls = getattr(item, "cls", None)  # a Function's; an Item in general has none
        owner = cls.__name__ if cls is not None else None
        if function in names or owner in names:
            item.add_marker(slow)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    from tests.fuzzing import COUNTER

    if COUNTER.cases:
        terminalreporter.write_line(f"fuzz: {COUNTER.cases} generated CLI cases run")
