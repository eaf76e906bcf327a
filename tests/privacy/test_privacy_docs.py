"""The guide's tables say what the code does: the deadline table and the lifecycle table."""

from __future__ import annotations

import re
from pathlib import Path

from crmcore.privacy import TRANSITIONS, Period, RequestStatus
from crmcore.privacy.laws import BUILTIN_REGIMES

GUIDE = Path(__file__).parents[2] / "docs" / "privacy.md"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _period(text: str) -> Period | None:
    if text == "—":
        return None
    amount, unit = text.lstrip("+").split(" ", 1)
    units = {
        "month": "months",
        "months": "months",
        "days": "days",
        "business days": "business_days",
    }
    return Period(int(amount), units[unit])  # type: ignore[arg-type]


def test_the_deadline_table_matches_the_regimes() -> None:
    rows = []
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        cells = _cells(line) if line.startswith("| `") else []
        if len(cells) == 6 and cells[2].startswith("`"):
            rows.append(
                (
                    cells[0].strip("`"),
                    cells[1].strip("`"),
                    cells[2].strip("`"),
                    _period(cells[3]),
                    _period(cells[4]),
                )
            )
    expected = [
        (regime.name, timing.kind.value, timing.clock, timing.period, timing.extension)
        for regime in BUILTIN_REGIMES
        for timing in regime.timings
    ]
    assert rows == expected


def test_the_lifecycle_table_matches_the_transitions() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("| From | May become |") :]
    found: dict[RequestStatus, frozenset[RequestStatus]] = {}
    for line in section.splitlines()[2:]:
        if not line.startswith("|"):
            break
        sources, targets = _cells(line)
        allowed = frozenset(RequestStatus(name) for name in re.findall(r"`(\w+)`", targets))
        for name in re.findall(r"`(\w+)`", sources):
            found[RequestStatus(name)] = allowed
    assert found == dict(TRANSITIONS)
