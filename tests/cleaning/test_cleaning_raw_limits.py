"""Huge values: clean_raw sets aside what is too long to be read, without reading it.

A 1 MB date once took 40 seconds to refuse: a parser given megabytes may be quadratic. Nothing
here is timed (speed is the benchmarks' business): the parsers are spied on, and the longest
text any of them is handed must stay within the limit of its kind, whatever the input holds;
the work done for many values set aside is counted in lines run, which grow in proportion.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import dateutil.parser
import email_validator
import phonenumbers
import pytest

from crmcore import RECORD_TYPES, Contact, Record
from crmcore.cleaning import QUARANTINE_CODES, CleaningContext, CleaningError, _raw_walk, clean_raw
from crmcore.cleaning._types import Kind, slots
from crmcore.convert import _dates, _lenient, _limits
from crmcore.records import _contact_text
from crmcore.records.limits import LANGUAGE_TAG_MAX_LENGTH

MB = 1_000_000

PARSERS: tuple[tuple[Any, str, int], ...] = (
    (phonenumbers, "parse", _limits.PHONE_TEXT_MAX_LENGTH),
    (email_validator, "validate_email", _limits.EMAIL_MAX_LENGTH),
    (dateutil.parser, "parse", _limits.DATETIME_TEXT_MAX_LENGTH),
    (_dates, "quick_date", _limits.DATETIME_TEXT_MAX_LENGTH),
    (_lenient, "written_number", _limits.MONEY_TEXT_MAX_LENGTH),
    (_raw_walk, "lookup_country", _limits.COUNTRY_TEXT_MAX_LENGTH),
    (_raw_walk, "language_tag", LANGUAGE_TAG_MAX_LENGTH),
)
"""Each parser that reads text (the libraries' and crmcore's own), where it is looked up when
called, and the longest text of its kind: what it may be handed at most."""


@pytest.fixture
def longest(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Spy on every parser of :data:`PARSERS`: the longest text each was handed, by name."""
    seen: dict[str, int] = {}

    def spy(name: str, parse: Callable[..., Any]) -> Callable[..., Any]:
        def spied(*args: Any, **kwargs: Any) -> Any:
            size = max((len(a) for a in (*args, *kwargs.values()) if isinstance(a, str)), default=0)
            seen[name] = max(seen.get(name, 0), size)
            return parse(*args, **kwargs)

        return spied

    for owner, attribute, _ in PARSERS:
        name = f"{owner.__name__}.{attribute}"
        monkeypatch.setattr(owner, attribute, spy(name, getattr(owner, attribute)))
    # cached readers would not call the parsers for a text they have seen
    _contact_text.parse_phone.cache_clear()
    _contact_text.normalise_email.cache_clear()
    yield seen
    _contact_text.parse_phone.cache_clear()
    _contact_text.normalise_email.cache_clear()


def assert_within_limits(seen: dict[str, int]) -> None:
    for owner, attribute, limit in PARSERS:
        name = f"{owner.__name__}.{attribute}"
        assert seen.get(name, 0) <= limit, f"{name} was handed {seen[name]:,} characters"


def filled(cls: type[Any], big: str) -> dict[str, Any]:
    """A raw mapping of ``cls`` with ``big`` in every field, list and custom field."""
    raw: dict[str, Any] = {}
    for slot in slots(cls):
        if slot.kind is Kind.OBJECT and slot.cls is not None:
            raw[slot.name] = filled(slot.cls, big)
        elif slot.kind is Kind.OBJECTS and slot.cls is not None:
            raw[slot.name] = [filled(slot.cls, big), big]
        elif slot.kind is Kind.TEXTS:
            raw[slot.name] = [big]
        elif slot.kind is Kind.CUSTOM:
            raw[slot.name] = {"big": big}
        else:
            raw[slot.name] = big
    return raw


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize(
    "big", ["7" * MB, "Ab. " * (MB // 4), "\u00e9" * MB], ids=["digits", "words", "accents"]
)
def test_a_megabyte_in_every_field_is_set_aside_unread(
    record_type: type[Record], big: str, longest: dict[str, int]
) -> None:
    raw = filled(record_type, big)
    raw["id"] = "x"
    try:
        result = clean_raw(record_type, raw, CleaningContext())
    except CleaningError:
        pytest.fail("a record with an id is always made")
    assert result.quarantine
    assert {q.code for q in result.quarantine} <= set(QUARANTINE_CODES)
    assert_within_limits(longest)


def test_the_spies_see_what_the_parsers_are_handed(longest: dict[str, int]) -> None:
    # The spies are where clean_raw looks the parsers up: a value of each kind reaches its own.
    identity = {
        "emails": ["josé@example.org"],
        "phones": ["020 7946 0958"],
        "birth_date": "3 avril 1985",
        "addresses": [{"country": "Allemagne"}],
    }
    raw = {
        "id": "c",
        "identity": identity,
        "descriptive": {"language": "fr_FR"},
        "quantitative": {"purchase_count": "1,204", "last_purchase_on": "May 3rd, 2024"},
    }
    result = clean_raw(Contact, raw, CleaningContext(default_region="GB", dayfirst=True))
    assert not result.quarantine
    assert set(longest) == {f"{owner.__name__}.{attribute}" for owner, attribute, _ in PARSERS}
    assert_within_limits(longest)


@pytest.mark.parametrize(
    ("identity", "path"),
    [
        ({"emails": ["a" * MB + "@example.org"]}, "identity.emails[0]"),
        ({"emails": [{"address": "a" * 600 + "@example.org"}]}, "identity.emails[0]"),
        ({"phones": ["1" * MB]}, "identity.phones[0]"),
        ({"phones": [{"number": "1" * 200}]}, "identity.phones[0]"),
        ({"birth_date": "7" * MB}, "identity.birth_date"),
        ({"birth_date": "1" * 200}, "identity.birth_date"),
        ({"addresses": [{"country": "F" * MB}]}, "identity.addresses[0].country"),
    ],
)
def test_a_value_too_long_for_its_kind_is_set_aside_with_a_code_saying_so(
    identity: dict[str, Any], path: str, longest: dict[str, int]
) -> None:
    result = clean_raw(Contact, {"id": "c", "identity": identity}, CleaningContext())
    assert [(q.path, q.code) for q in result.quarantine] == [(path, "value.too_long")]
    assert_within_limits(longest)


def test_a_number_far_too_long_is_set_aside_before_it_is_read(longest: dict[str, int]) -> None:
    raw = {"id": "c", "quantitative": {"email_opens": "7" * MB, "purchase_count": "12"}}
    result = clean_raw(Contact, raw, CleaningContext())
    assert [(q.path, q.code) for q in result.quarantine] == [
        ("quantitative.email_opens", "value.too_long")
    ]
    assert result.record.quantitative.purchase_count == 12
    assert_within_limits(longest)


def lines_run(call: Callable[[], object]) -> int:
    """How many lines of Python ``call`` runs: work counted, not timed."""
    count = 0

    def local(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        return local

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


def phones_set_aside(n: int) -> dict[str, Any]:
    """A contact of ``n`` phones, each set aside after its unreadable date was."""
    return {"id": "c", "identity": {"phones": [{"number": "abc", "collected_at": "x"}] * n}}


def test_many_values_set_aside_inside_values_set_aside_stay_linear() -> None:
    # Each phone's date is set aside, then the phone itself: 2n values set aside, n taken back.
    n = 3000
    result = clean_raw(Contact, phones_set_aside(n), CleaningContext())
    assert [q.path for q in result.quarantine] == [f"identity.phones[{i}]" for i in range(n)]
    assert sum(c.rule == "quarantine" for c in result.changes) == n
    # Twice the values, twice the work (a quadratic walk would run about 3.5 times the lines).
    ctx = CleaningContext()
    clean_raw(Contact, phones_set_aside(4), ctx)  # caches warm
    small = lines_run(lambda: clean_raw(Contact, phones_set_aside(300), ctx))
    large = lines_run(lambda: clean_raw(Contact, phones_set_aside(600), ctx))
    assert large < 2.3 * small
