"""One wording for a bottle's last usable day, in every output: "Discard after <date>".

USP <795> counts the mixing day as day 1, so a bottle mixed on 2026-01-05 and kept 14
days is last used on 2026-01-18 (5 + 14 - 1), and thrown away after it.
"""

from __future__ import annotations

import re
from datetime import date

from ldncalc.plan.supply import plan_batches
from ldncalc.plan.titration import build_schedule, get_protocol
from ldncalc.render.exports import FORMATS
from tests.fuzzing import cli

START = date(2026, 1, 5)  # in the past, so that a bottle can be recorded
FIRST_LAST_DAY = "2026-01-18"  # 5 January is day 1 of 14
# The wordings that named the same day before: "Discard by" (the tables), "use until"
# and "usable until" (the calendar, the handout), "passed its discard date" (today).
OLD = re.compile(r"discard by|use until|usable until|passed its discard date", re.IGNORECASE)


def test_every_schedule_format_says_discard_after_the_last_usable_day() -> None:
    schedule = build_schedule(get_protocol("ldnrt-weekly"), start_date=START)
    supply = plan_batches(schedule, 14)
    assert supply.batches[0].discard_date.isoformat() == FIRST_LAST_DAY
    for name, render in FORMATS.items():
        text = render(schedule, supply)
        assert OLD.search(text) is None, (name, OLD.search(text))
        if name in {"markdown", "html", "ics"}:  # JSON keeps discard_date; CSV has no batches
            assert re.search("discard after", text, re.IGNORECASE), name
            assert FIRST_LAST_DAY in text, name
    ics = FORMATS["ics"](schedule, supply).replace("\r\n ", "")  # lines fold at 75 octets
    assert f"discard after {FIRST_LAST_DAY}" in ics
    assert "| Discard after |" in FORMATS["markdown"](schedule, supply)


def test_the_terminal_batch_table_heads_its_column_discard_after() -> None:
    result = cli("schedule", "--start-date", START.isoformat(), width=200)
    assert result.exit_code == 0, result.output
    assert "Discard after" in result.stdout
    assert OLD.search(result.stdout) is None
    # Batch 1: mixed on day 1, used to day 14, discarded after it.
    assert any(
        line.split()[:4] == ["1", "stock", START.isoformat(), START.isoformat()]
        and FIRST_LAST_DAY in line.split()[4:]
        for line in result.stdout.splitlines()
    ), result.stdout


def test_today_says_the_expired_bottle_was_to_be_discarded_after_its_last_day(
    tmp_path: object,
) -> None:
    env: dict[str, str | None] = {"LDNCALC_HOME": str(tmp_path)}
    assert cli("plan", "start", "--start-date", START.isoformat(), env=env).exit_code == 0
    assert cli("mixed", "--date", START.isoformat(), env=env).exit_code == 0
    result = cli("today", "--date", "2026-01-19", width=300, env=env)
    assert result.exit_code == 0, result.output
    assert (
        f"batch 1 (mixed {START.isoformat()}) was to be discarded after "
        f"{FIRST_LAST_DAY}: mix this one before today's dose" in result.stdout
    )
    assert OLD.search(result.stdout) is None
