"""Frozen results: what a Change or a cleaning result holds can be neither edited nor unhashable."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import RECORD_TYPES, Contact, Record
from crmcore.cleaning import Change, CleaningContext, CleaningError, clean_raw
from crmcore.cleaning._frozen import FrozenMap, freeze

_LEAVES = st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.binary(max_size=3)
_RAW = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        | st.builds(bytearray, st.binary(max_size=3))
    ),
    max_leaves=10,
)


def test_a_change_holding_the_callers_list_is_hashable_and_does_not_follow_it() -> None:
    raw: list[Any] = ["a", {"b": ["c"]}]
    change = Change("identity.phones", "quarantine", raw, None, personal=True)
    hash(change)
    raw.append("d")
    raw[1]["b"].append("e")
    assert change.before == ("a", {"b": ("c",)})


def test_clean_raw_result_is_hashable_when_a_raw_list_was_set_aside() -> None:
    raw = {"id": "c-1", "identity": {"phones": [["a"]], "emails": [{"address": ["x"]}]}}
    result = clean_raw(Contact, raw)
    assert result.quarantine
    hash(result)
    raw["identity"]["phones"][0].append("b")  # type: ignore[index]
    assert all(isinstance(c.before, (str, tuple, FrozenMap)) for c in result.changes)


@given(_RAW)
def test_freeze_gives_an_equal_hashable_value(value: Any) -> None:
    frozen = freeze(value)
    hash(frozen)
    assert freeze(frozen) == frozen


def test_a_frozen_map_cannot_be_changed_and_equals_a_dict() -> None:
    frozen = freeze({"amount": "", "currency": ["EUR"]})
    assert frozen == {"currency": ("EUR",), "amount": ""}


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=150)
@given(st.sampled_from(RECORD_TYPES), st.dictionaries(st.text(max_size=12), _RAW, max_size=5))
def test_every_raw_clean_result_is_hashable(record_type: type[Record], raw: dict[str, Any]) -> None:
    raw["id"] = "x"
    try:
        result = clean_raw(record_type, raw, CleaningContext())
    except CleaningError:
        return
    hash(result)


def test_a_frozen_value_writes_as_the_json_of_what_it_was_made_from() -> None:
    import copy
    import json
    import pickle

    raw = {"number": "", "label": "WORK", "tags": ["a", {"b": None}]}
    frozen = freeze(raw)
    assert json.dumps(frozen) == json.dumps(raw)
    assert pickle.loads(pickle.dumps(frozen)) == frozen
    assert copy.deepcopy(frozen) == frozen
    change = Change("identity.phones[0]", "blank", raw, None, personal=True)
    assert json.loads(json.dumps(change.before)) == raw


def test_a_frozen_map_refuses_every_change() -> None:
    import pytest

    frozen = freeze({"a": 1})
    for attempt in (
        lambda: frozen.__setitem__("a", 2),
        lambda: frozen.update(a=2),
        lambda: frozen.pop("a"),
        lambda: frozen.clear(),
        lambda: frozen.setdefault("b", 1),
    ):
        with pytest.raises(TypeError):
            attempt()
    assert frozen == {"a": 1}


def test_a_frozen_map_cannot_be_refilled_through_init() -> None:
    frozen = FrozenMap({"number": "", "label": "WORK"})
    before = hash(frozen)
    frozen.__init__({"evil": 1})  # type: ignore[misc]
    assert frozen == {"number": "", "label": "WORK"}
    assert hash(frozen) == before
