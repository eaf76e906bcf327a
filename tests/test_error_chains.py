"""No exception crmcore raises keeps the input in its chain, even a suppressed one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from crmcore import Contact, InvalidValueError
from crmcore.cleaning import Pipeline, clean_raw
from crmcore.validation import Issue, Severity, default_ruleset

PLANTED = "ada.lovelace@example.org"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


@pytest.mark.parametrize(
    "call",
    [
        lambda: default_ruleset().regrade("email.invalid_syntax", PLANTED),
        lambda: Issue("p", "c", PLANTED, "m"),  # type: ignore[arg-type]
        lambda: Pipeline([(PLANTED, 5)]),  # type: ignore[list-item]
        lambda: Pipeline([("text", lambda r, c: (r, []))]).remove(PLANTED),
    ],
)
def test_a_refused_argument_leaves_no_trace_of_itself(call: Callable[[], Any]) -> None:
    with pytest.raises(InvalidValueError) as caught:
        call()
    for exc in _chain(caught.value):
        assert PLANTED not in repr(exc.args)
        assert PLANTED not in str(exc)
        assert all(PLANTED not in str(note) for note in getattr(exc, "__notes__", ()))


def test_an_issue_prints_its_record_id_on_one_line() -> None:
    issue = Issue("path", "c.x", Severity.ERROR, "m", record_id="c-1\n\x1b[31mforged")
    assert "\n" not in str(issue)
    assert "\x1b" not in str(issue)


def test_a_value_nested_too_deeply_is_quarantined_not_a_crash() -> None:
    deep: list[Any] = []
    current = deep
    for _ in range(5000):
        inner: list[Any] = []
        current.append(inner)
        current = inner
    result = clean_raw(Contact, {"id": "c", "zzz": deep})
    assert [held.path for held in result.quarantine] == ["zzz"]
    assert result.record.id == "c"


def test_a_repair_of_a_value_later_set_aside_is_hidden_as_the_quarantine_is() -> None:
    result = clean_raw(Contact, {"id": "c", "created_at": f"  {PLANTED} "})
    assert result.quarantine
    assert all(change.personal for change in result.changes if change.path == "created_at")
    assert PLANTED not in repr(result)
