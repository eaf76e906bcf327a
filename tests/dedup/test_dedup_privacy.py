"""No compared value ever shows in an error, a repr or a level name."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from crmcore import Contact
from crmcore.dedup import (
    ComparatorError,
    CompareContext,
    Comparisons,
    default_comparisons,
    load_nicknames,
)
from crmcore.errors import CRMError

PLANTED = ("Zebulon", "Quixotic", "zq.planted@example.com", "0612345678")


def _planted(person: Any) -> Contact:
    return person(
        "Zebulon",
        "Quixotic",
        emails=("zq.planted@example.com",),
        phones=("06 12 34 56 78",),
        birth_date=date(1971, 3, 9),
        record_id="c-planted",
    )


def _clean(text: str) -> None:
    for value in PLANTED:
        assert value.lower() not in text.lower()


def _leaky(left: Any, right: Any, ctx: CompareContext) -> str:
    raise KeyError(f"{left.identity.name.given} {left.identity.emails[0].address}")


def _undeclared(left: Any, right: Any, ctx: CompareContext) -> str:
    return str(left.identity.name.family)


@pytest.mark.parametrize("comparator", [_leaky, _undeclared])
def test_comparator_errors_name_the_comparison_never_a_value(comparator: Any, person: Any) -> None:
    comparisons = Comparisons()
    comparisons.add(Contact, comparator, levels=("same",), name="acme.leaky")
    record = _planted(person)
    for call in (
        lambda: comparisons["acme.leaky"].compare(record, record, CompareContext()),
        lambda: comparisons["acme.leaky"].compare_many([(record, record)], CompareContext()),
        lambda: comparisons.compare(record, record, CompareContext()),
    ):
        with pytest.raises(ComparatorError) as caught:
            call()
        _clean(str(caught.value))
        _clean(repr(caught.value.args))
        assert caught.value.__cause__ is None
        assert caught.value.__context__ is None  # not even a suppressed one


def test_reprs_hold_no_value() -> None:
    comparisons = default_comparisons()
    _clean(repr(comparisons))
    for comparison in comparisons:
        _clean(repr(comparison))


def test_levels_of_the_default_comparisons_hold_no_value(person: Any) -> None:
    record = _planted(person)
    levels = default_comparisons().compare(record, record, CompareContext())
    assert set(levels.values()) == {"exact", "null"}
    _clean(" ".join(levels.values()))


def test_a_malformed_nickname_row_is_named_by_line() -> None:
    with pytest.raises(CRMError) as caught:
        load_nicknames("language,name,variants\nen,Zebulon\n")
    assert "line 2" in str(caught.value)
    _clean(str(caught.value))
