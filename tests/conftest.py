from __future__ import annotations

import os

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


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    from tests.fuzzing import COUNTER

    if COUNTER.cases:
        terminalreporter.write_line(f"fuzz: {COUNTER.cases} generated CLI cases run")
