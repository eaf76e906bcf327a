"""No personal value in a repr, a message or a reason: planted tokens go through every path."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, ContactIdentity, Deal, EmailAddress, PersonName, PhoneNumber
from crmcore.cleaning import CleaningContext, CleaningError, clean, clean_raw

TOKEN = "Zqxplanted"
AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)
CTX = CleaningContext(as_of=AS_OF, default_region="GB")


def planted_raw() -> dict[str, Any]:
    lower = TOKEN.lower()
    return {
        "id": "c-1",
        "favourite_colour": TOKEN,  # an unknown field (keys are names, never values)
        "identity": {
            "name": {"given": f" {TOKEN.upper()} ", "family": f"{lower}\x00"},
            "emails": [f" {TOKEN}@Example.ORG ", f"{TOKEN}-not-an-email", {"address": TOKEN}],
            "phones": [f"{TOKEN} 020", "020 7946 0958"],
            "addresses": [{"lines": [f" {TOKEN} street "], "country": f"{TOKEN}land"}],
            "birth_date": f"{TOKEN} 1990",
        },
        "descriptive": {"lifecycle_stage": TOKEN, "job_title": f"  {TOKEN}  "},
        "qualitative": {"motivations": [TOKEN, TOKEN], "notes": [f" {TOKEN} "]},
        "quantitative": {"total_spent": f"{TOKEN} EUR", "nps": TOKEN},
    }


def assert_hidden(text: str) -> None:
    assert TOKEN not in text
    assert TOKEN.lower() not in text
    assert TOKEN.upper() not in text


def test_raw_stage_result_and_every_change_hide_planted_values() -> None:
    result = clean_raw(Contact, planted_raw(), CTX)
    assert result.changes  # the token was everywhere: something was repaired or set aside
    assert result.quarantine
    assert_hidden(repr(result))
    assert_hidden(str(result))
    for change in result.changes:
        assert_hidden(repr(change))
        assert_hidden(repr(change.redacted()))
        assert_hidden(change.path)
    for item in result.record.quarantine:
        assert_hidden(repr(item))
        assert_hidden(item.reason)
        assert_hidden(item.code)


def test_quarantine_changes_are_always_marked_personal() -> None:
    result = clean_raw(Contact, planted_raw(), CTX)
    quarantine = [c for c in result.changes if c.rule == "quarantine"]
    assert {c.path for c in quarantine} >= {"descriptive.lifecycle_stage", "favourite_colour"}
    assert all(c.personal for c in quarantine)


def below_any(path: str, aside: list[str]) -> bool:
    return any(path == top or path.startswith((f"{top}.", f"{top}[")) for top in aside)


def test_a_repair_logged_before_its_value_was_set_aside_is_marked_personal() -> None:
    # An amount is not personal, but once the money it belongs to is set aside (its currency
    # is no currency), its repair (whitespace) may show what did not fit: marked personal.
    raw = {
        "id": "d-1",
        "quantitative": {
            "amount": {"amount": " 12  ", "currency": " XXQ "},
            "expected_revenue": {"amount": " 15 ", "currency": " EUR "},
        },
    }
    result = clean_raw(Deal, raw, CTX)
    aside = [q.path for q in result.quarantine]
    assert aside == ["quantitative.amount"]
    marks = {(c.path, c.rule): c.personal for c in result.changes}
    assert marks == {
        ("quantitative.amount", "quarantine"): True,
        ("quantitative.amount.amount", "whitespace"): True,
        ("quantitative.amount.currency", "whitespace"): True,
        ("quantitative.expected_revenue.amount", "whitespace"): False,
        ("quantitative.expected_revenue.currency", "whitespace"): False,
    }


money = st.fixed_dictionaries(
    {"amount": st.sampled_from([" 12 ", "12", "x ", "  "])},
    optional={"currency": st.sampled_from([" EUR ", "EUR", " XXQ ", "??"])},
)


@given(
    st.fixed_dictionaries({}, optional={"amount": money, "expected_revenue": money}),
    st.lists(
        st.fixed_dictionaries(
            {"address": st.sampled_from(["ada@example.org", "x", " b@Example.ORG "])},
            optional={
                "label": st.sampled_from([" Work ", "Home", "  a  b "]),
                "primary": st.sampled_from([True, "maybe", " yes "]),
                "collected_at": st.sampled_from(["2020-01-01T00:00:00Z", "never"]),
            },
        ),
        max_size=5,
    ),
)
def test_every_change_at_or_below_a_value_set_aside_is_personal(
    amounts: dict[str, Any], emails: list[Any]
) -> None:
    deal = clean_raw(Deal, {"id": "d-1", "quantitative": amounts}, CTX)
    contact = clean_raw(Contact, {"id": "c-1", "identity": {"emails": emails}}, CTX)
    for result in (deal, contact):
        aside = [q.path for q in result.quarantine]
        for change in result.changes:
            if below_any(change.path, aside):
                assert change.personal, change.path


def test_record_stage_changes_hide_planted_values() -> None:
    record = Contact(
        " c-1 ",
        ContactIdentity(
            name=PersonName(given=TOKEN.upper(), family=f" {TOKEN} "),
            emails=(EmailAddress(f"{TOKEN}@EXAMPLE.org"), EmailAddress(f"{TOKEN}@example.ORG")),
            phones=(PhoneNumber("020 7946 0958", region="GB"),),
        ),
    )
    result = clean(record, CTX)
    assert len(result.changes) >= 4
    assert_hidden(repr(result))
    assert_hidden(repr(list(result.changes)))


@pytest.mark.parametrize(
    "raw",
    [
        {"id": {"nested": TOKEN}},
        {"id": [TOKEN]},
        {"id": "   ", "favourite_colour": TOKEN},
        {"identity": {"name": {"given": TOKEN}}},
    ],
)
def test_cleaning_error_messages_hide_planted_values(raw: dict[str, Any]) -> None:
    with pytest.raises(CleaningError) as raised:
        clean_raw(Contact, raw, CTX)
    assert_hidden(str(raised.value))
    assert_hidden(repr(raised.value.problems))


def test_clean_refusal_hides_the_value_it_was_given() -> None:
    with pytest.raises(CleaningError) as raised:
        clean({"id": TOKEN})  # type: ignore[type-var]
    assert_hidden(str(raised.value))


# -- keys of the input in paths ------------------------------------------------------------------

KEY = f"{TOKEN.lower()}@example.org"


def planted_keys() -> dict[str, Any]:
    """Raw data whose keys, not values, hold the planted token."""
    return {
        "id": "c-1",
        KEY: "x",
        f"{TOKEN}\n\x1b[31mforged": " y ",
        "identity": {
            "emails": {KEY: "work"},
            "name": {KEY: " z ", "given": "Ada"},
            "phones": [{"number": "020 7946 0958", KEY: 1}],
            "custom": {KEY: " padded ", "tier": [" a ", ""], f"{TOKEN} 0612345678": {"x": 1}},
            "addresses": [{"country": "FR", KEY: ["q"]}],
        },
        "descriptive": {"custom": {"0612345678": " 1 "}, KEY: None},
        "quantitative": {"custom": {KEY: "\x00"}},
    }


def test_keys_of_the_input_never_reach_a_path_of_the_raw_stage() -> None:
    result = clean_raw(Contact, planted_keys(), CTX)
    assert result.changes
    assert result.quarantine
    for text in (repr(result), str(result), repr(result.record.quarantine)):
        assert_hidden(text)
        assert "0612345678" not in text
        assert "\n" not in text
    for change in result.changes:
        assert_hidden(change.path)
        assert "\n" not in change.path
    for item in result.record.quarantine:
        assert_hidden(item.path)
        assert "\x1b" not in item.path


def test_a_key_that_is_not_field_like_is_named_by_its_place() -> None:
    raw = {"id": "c-1", "identity": {"custom": {"tier": "gold", KEY: " padded "}}}
    result = clean_raw(Contact, raw, CTX)
    paths = {c.path for c in result.changes} | {q.path for q in result.quarantine}
    assert "identity.custom.<key 1>" in paths


@pytest.mark.parametrize("key", [" ", "\r", "", "\u200b", "a" * 100_000])
def test_a_blank_or_invisible_key_is_set_aside_by_its_place(key: str) -> None:
    result = clean_raw(Contact, {"id": "c-1", "identity": {}, key: "v"}, CTX)
    assert [(q.path, q.code) for q in result.quarantine] == [("<key 2>", "field.unknown")]


def test_cleaning_error_paths_hide_planted_keys() -> None:
    raw: dict[Any, Any] = {KEY: {KEY: "x"}, "identity": {"custom": {KEY: object()}}}
    with pytest.raises(CleaningError) as raised:
        clean_raw(Contact, raw, CTX)
    assert_hidden(str(raised.value))
    assert_hidden(repr(raised.value.problems))


def test_the_record_stage_after_planted_keys_hides_them_too() -> None:
    first = clean_raw(Contact, planted_keys(), CTX)
    again = clean(first.record, CTX)
    assert_hidden(repr(again))
    for change in again.changes:
        assert_hidden(change.path)


def test_a_problem_path_naming_a_key_by_its_place_is_followed_to_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The converter may name a key that is not field-like by its place in the mapping it was
    # given (``<key N>``); the raw stage finds the key either way and names it by its place
    # in the raw input. (The walk sets unknown keys aside itself; with that off, conversion's
    # verdicts are followed, as they are for what the walk cannot judge.)
    from crmcore.cleaning._raw_walk import RawWalk
    from crmcore.cleaning.raw import _locate

    monkeypatch.setattr(RawWalk, "prejudge", False)
    raw = {"id": "c", "": "set aside by the walk", KEY: {"x": "y"}}
    walk = RawWalk(Contact, CTX)
    data = walk.mapping(raw, Contact, "")
    assert list(data).index(KEY) == 1  # the converter sees it second, the input has it third
    for path in (KEY, "<key 1>", f"{KEY}.x", "<key 1>.x"):
        hops, _ = _locate(walk, data, Contact, path)
        assert [hop.path for hop in hops][:1] == ["<key 2>"]
