"""A checker for safe notation (ISMP), used on every human-readable output in the tests."""

from __future__ import annotations

import re

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("naked decimal point", re.compile(r"(?<![0-9A-Za-z])\.[0-9]")),
    ("trailing zero", re.compile(r"[0-9]\.[0-9]*0(?![0-9])")),
    ("trailing decimal point", re.compile(r"[0-9]\.(?![0-9])(?=\s*(?:mg|mcg|mL)\b)")),
    ("µg or ug instead of mcg", re.compile(r"[0-9]\s*(?:µg|μg|ug)\b")),
    ("cc or ml instead of mL", re.compile(r"[0-9]\s*(?:cc|ml)\b")),
    ("no space before the unit", re.compile(r"[0-9](?:mg|mcg|mL)\b")),
    ("floating-point artefact", re.compile(r"[0-9]\.[0-9]*(?:9{6,}|0{6,})[0-9]")),
)


def violations(text: str) -> list[str]:
    """Return a description of every safe-notation rule ``text`` breaks."""
    found = []
    for name, pattern in _RULES:
        for match in pattern.finditer(text):
            start = max(match.start() - 15, 0)
            found.append(f"{name}: ...{text[start : match.end() + 15]!r}...")
    return found


def assert_safe(text: str) -> None:
    """Fail with every violation listed when ``text`` breaks safe notation."""
    problems = violations(text)
    assert not problems, "\n".join(problems)
