"""The validation page documents every built-in code with its default severity."""

from __future__ import annotations

import re
from pathlib import Path

from crmcore.validation import BUILTIN_CODES

PAGE = Path(__file__).resolve().parents[2] / "docs" / "validation.md"
ROW = re.compile(
    r"^\| `(?P<code>[a-z0-9_.]+)` \| (?P<severity>error|warning|info) \| (?P<meaning>.+) \|$"
)


def _table() -> dict[str, str]:
    rows = [ROW.match(line) for line in PAGE.read_text(encoding="utf-8").splitlines()]
    return {row["code"]: row["severity"] for row in rows if row}


def test_every_builtin_code_is_in_the_table_with_its_severity() -> None:
    assert _table() == {code.name: code.severity.value for code in BUILTIN_CODES}
