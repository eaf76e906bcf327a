"""Properties of cleaning: idempotent, nothing lost, no unexpected exception on any input."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crmcore import (
    RECORD_TYPES,
    Account,
    Contact,
    EmailAddress,
    PersonName,
    PhoneNumber,
    Record,
    to_dict,
)
from crmcore.cleaning import CleaningContext, CleaningError, address_key, clean, clean_raw
from crmcore.cleaning._phone_forms import writes_as_e164
from crmcore.cleaning._types import Kind, slots
from crmcore.cleaning.pipeline import Pipeline, default_pipeline
from crmcore.cleaning.raw import _RAW_STAGE_DID
from crmcore.records.values import normalise_email
from crmcore.testing import strategies as crm_st

AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)
CTX = CleaningContext(as_of=AS_OF, default_region="GB", dayfirst=True, assume_tz=timezone.utc)
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)

# -- messy variants of valid records ------------------------------------------------------------

_PADDING = st.sampled_from([" ", "  ", "\t", "\u00a0", "\n", "\u200b", "\x00", "\ufeff"])


@st.composite
def _messy_text(draw: st.DrawFn, text: str) -> str:
    """The same text padded, in one case, decomposed (NFD), or with invisible characters."""
    kind = draw(st.sampled_from(["pad", "upper", "lower", "nfd", "inner", "same"]))
    if kind == "pad":
        return draw(_PADDING) + text + draw(_PADDING)
    if kind == "upper":
        return text.upper() if text.upper().strip() else text
    if kind == "lower":
        return text.lower() if text.lower().strip() else text
    if kind == "nfd":
        return unicodedata.normalize("NFD", text)
    if kind == "inner" and " " in text:
        return text.replace(" ", draw(_PADDING) + " ", 1)
    return text


def _mess_name(draw: st.DrawFn, name: PersonName) -> PersonName:
    updates = {
        part: draw(_messy_text(value))
        for part in ("prefix", "given", "middle", "family", "suffix")
        if (value := getattr(name, part)) is not None
    }
    return attrs.evolve(name, **updates)


def _twin(draw: st.DrawFn, item: Any) -> Any:
    """The same contact point again, with other provenance (and its text written otherwise)."""
    changes: dict[str, Any] = {
        "primary": draw(st.booleans()),
        "collected_at": draw(st.none() | crm_st.aware_datetimes()),
        "verified_at": draw(st.none() | crm_st.aware_datetimes()),
    }
    if isinstance(item, EmailAddress):
        changes["address"] = item.normalised
        changes["normalised"] = item.normalised
    elif isinstance(item, PhoneNumber):
        changes["number"] = item.e164
    return attrs.evolve(item, **changes)


@st.composite
def messy_records(draw: st.DrawFn) -> Record:
    """A valid record made messy: names in one case, padded text, duplicated contact points."""
    record = draw(crm_st.records())
    identity = record.identity  # type: ignore[attr-defined]
    updates: dict[str, Any] = {}
    if isinstance(record, Contact):
        updates["name"] = _mess_name(draw, identity.name)
    for field in ("emails", "phones", "addresses"):
        items = getattr(identity, field, None)
        if items:
            twins = [_twin(draw, item) for item in items if draw(st.booleans())]
            updates[field] = (*items, *twins)
    new_identity = attrs.evolve(identity, **updates)
    new_id = draw(_messy_text(record.id))
    if not new_id.strip():
        new_id = record.id
    return attrs.evolve(record, id=new_id, identity=new_identity)  # type: ignore[call-arg]


def _contact_points(record: Record) -> tuple[set[str], set[tuple[str, str | None]]]:
    identity = record.identity  # type: ignore[attr-defined]
    return (
        {e.normalised for e in getattr(identity, "emails", ())},
        {(p.e164, p.extension) for p in getattr(identity, "phones", ())},
    )


# -- idempotence and nothing lost, record stage -------------------------------------------------


@SLOW
@given(crm_st.records() | messy_records())
def test_cleaning_twice_changes_nothing_the_second_time(record: Record) -> None:
    once = clean(record, CTX)
    twice = clean(once.record, CTX)
    assert twice.changes == ()
    assert twice.record is once.record


@SLOW
@given(messy_records())
def test_no_contact_point_is_lost(record: Record) -> None:
    cleaned = clean(record, CTX).record
    assert _contact_points(cleaned) == _contact_points(record)
    identity = cleaned.identity  # type: ignore[attr-defined]
    for field in ("emails", "phones", "addresses"):
        items = getattr(identity, field, ())
        keys = [address_key(a) for a in items] if field == "addresses" else items
        if field != "addresses":
            keys = [(i.normalised if field == "emails" else (i.e164, i.extension)) for i in items]
        assert len(set(keys)) == len(keys)  # merged: one point per key


@SLOW
@given(crm_st.records())
def test_every_change_is_documented_and_marked(record: Record) -> None:
    from crmcore.cleaning import RULES

    for change in clean(record, CTX).changes:
        assert change.rule in RULES
        assert change.before != change.after


# -- raw stage -----------------------------------------------------------------------------------

_JUNK_EMAILS = st.sampled_from(["", "nope", "a@", "@b.org", "a@b@c", "  ", "x" * 600 + "@a.org"])
_JUNK_PHONES = st.sampled_from(["", "abc", "12", "+", "0" * 300, "++44 20"])


def _pad(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, f" {text} ", text.upper(), f"\t{text}\u200b"])


@st.composite
def raw_contacts(draw: st.DrawFn) -> tuple[dict[str, Any], list[str], list[str]]:
    emails = [
        draw(_pad(e.address) | _JUNK_EMAILS) for e in draw(st.lists(crm_st.emails(), max_size=3))
    ]
    phones = [
        draw(st.sampled_from([p.e164, p.number]) | _JUNK_PHONES)
        for p in draw(st.lists(crm_st.phones(), max_size=3))
    ]
    raw = {"id": "c-1", "identity": {"emails": emails, "phones": phones}}
    return raw, emails, phones


@SLOW
@given(raw_contacts())
def test_raw_stage_keeps_every_email_and_phone_or_quarantines_it(
    drawn: tuple[dict[str, Any], list[str], list[str]],
) -> None:
    raw, emails, phones = drawn
    result = clean_raw(Contact, raw, CTX)
    record = result.record
    kept_emails = {e.normalised for e in record.identity.emails}
    kept_phones = {p.e164 for p in record.identity.phones}
    quarantined = {(q.path, q.value) for q in record.quarantine}
    for index, text in enumerate(emails):
        if not text.strip("\t \u200b"):
            continue
        where = f"identity.emails[{index}]"
        cleaned = text.strip().replace("\u200b", "")
        assert (where, text) in quarantined or normalise_email(cleaned) in kept_emails
    for index, text in enumerate(phones):
        if not text.strip():
            continue
        where = f"identity.phones[{index}]"
        # A valid number is written in E.164 form; an invalid one keeps its text.
        assert (where, text) in quarantined or any(
            p.number == p.e164 or not writes_as_e164(p.e164) for p in record.identity.phones
        )
    assert len(kept_phones) <= len(phones)
    assert clean(record, CTX).changes == ()


# -- bad input: arbitrary dicts, wrong types, control characters, surrogates, absurd dates -------

_NASTY_TEXT = st.text(
    st.characters(categories=["L", "M", "N", "P", "Zs", "Cc", "Cf", "Cs"]), max_size=30
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(allow_nan=True),
    _NASTY_TEXT,
    st.sampled_from(
        [
            "0000-00-00",
            "9999-99-99",
            "31/02/2020",
            "1e400",
            "12/13/14",
            "2020-01-01T25:00",
            "Allemagne",
            "deu",
            "+44 20 7946 0958",
            "01 42 68 53 00",
            "a@b.org",
            "yes",
            "12.50 EUR",
        ]
    ),
    st.datetimes(),
    st.dates(),
    st.binary(max_size=5),
)
_ANY = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=3)
        | st.frozensets(st.integers(), max_size=2)
    ),
    max_leaves=8,
)


def _shaped(cls: type[Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Mappings shaped like ``cls`` (its keys, optionally) holding any value, often of the kind."""
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for slot in slots(cls):
        if slot.kind is Kind.OPAQUE:
            continue
        typed: st.SearchStrategy[Any] = _ANY
        if slot.cls is not None and depth < 3:
            nested = _shaped(slot.cls, depth + 1)
            typed = nested | st.lists(nested, max_size=2) if slot.kind is Kind.OBJECTS else nested
        optional[slot.name] = typed | _ANY
    return st.fixed_dictionaries({}, optional=optional) | _ANY


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=150)
@given(st.sampled_from(RECORD_TYPES), st.data())
@example(Contact, None).via("a 1 MB name")
def test_raw_stage_gives_a_record_or_a_cleaning_error_on_any_input(
    record_type: type[Record], data: st.DataObject | None
) -> None:
    if data is None:
        raw: Any = {"id": "c", "identity": {"name": {"family": "É" * 1_000_000}}}
    else:
        raw = data.draw(_shaped(record_type) | st.fixed_dictionaries({"id": _ANY}) | _ANY)
    try:
        result = clean_raw(record_type, raw, CTX)
    except CleaningError as error:
        problems = error.problems
        assert problems
        return
    assert isinstance(result.record, record_type)
    assert clean(result.record, CTX).changes == ()
    for item in result.quarantine:
        item.value.encode("utf-8")  # always writable


@st.composite
def nasty_contacts(draw: st.DrawFn) -> Contact:
    def nasty() -> str:
        return draw(_NASTY_TEXT.filter(lambda t: t.strip()))

    contact = draw(crm_st.contacts())
    with attrs.validators.disabled():  # constructors refuse lone surrogates; clean repairs them
        name = PersonName(given=nasty(), family=nasty(), middle=draw(st.none()))
        return attrs.evolve(
            contact,
            id=nasty(),
            identity=attrs.evolve(contact.identity, name=name, organisation=nasty()),
        )


@SLOW
@given(nasty_contacts())
@example(Contact("c", attrs.evolve(Contact("c").identity, name=PersonName(family="A" * 1_000_000))))
def test_record_stage_handles_control_characters_surrogates_and_huge_text(
    record: Contact,
) -> None:
    once = clean(record, CTX)
    assert clean(once.record, CTX).changes == ()
    name = once.record.identity.name  # None when its repaired parts were all blank
    for text in (once.record.id, (name.given if name is not None else None) or ""):
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


@given(_ANY)
def test_clean_refuses_anything_but_a_record_with_a_cleaning_error(value: Any) -> None:
    with pytest.raises(CleaningError) as raised:
        clean(value, CTX)
    assert raised.value.problems


def test_amounts_money_and_unknown_types_never_escape_as_other_exceptions() -> None:
    raw = {
        "id": "a",
        "quantitative": {"employees": Decimal("NaN"), "annual_revenue": {1, 2}},
        "identity": {"domains": [b"bytes"], "phones": [{"number": 5}]},
    }
    result = clean_raw(Account, raw, CTX)
    assert {q.path for q in result.record.quarantine} == {
        "identity.domains[0]",
        "identity.phones[0]",
        "quantitative.annual_revenue",
        "quantitative.employees",
    }


# -- the raw stage leaves nothing for the record stage's text, email and phone steps -------------


def _messy_data(draw: st.DrawFn, value: Any) -> Any:
    """Every text of a record's dict made messy as in :func:`_messy_text`."""
    if isinstance(value, str):
        return draw(_messy_text(value))
    if isinstance(value, list):
        return [_messy_data(draw, item) for item in value]
    if isinstance(value, dict):
        return {key: _messy_data(draw, item) for key, item in value.items()}
    return value


def _shorthands(draw: st.DrawFn, raw: dict[str, Any]) -> dict[str, Any]:
    """Some of the shorthand forms ETL data comes in: plain-text emails, phones and notes,
    external ids as a mapping of system to id."""
    identity = raw.get("identity")
    if isinstance(identity, dict):
        for field, key in (("emails", "address"), ("phones", "number")):
            items = identity.get(field)
            if items and draw(st.booleans()):
                identity[field] = [item[key] for item in items]
        ids = identity.get("external_ids")
        if ids and draw(st.booleans()):
            identity["external_ids"] = {item["system"]: item["value"] for item in ids}
    qualitative = raw.get("qualitative")
    if isinstance(qualitative, dict) and qualitative.get("notes") and draw(st.booleans()):
        qualitative["notes"] = [note["text"] for note in qualitative["notes"]]
    return raw


@st.composite
def messy_raw(draw: st.DrawFn) -> tuple[type[Record], dict[str, Any]]:
    record = draw(crm_st.records() | messy_records())
    raw = _messy_data(draw, to_dict(record))
    return type(record), _shorthands(draw, raw)


_RECORD_STAGE_REPEATS = Pipeline(
    [(name, step) for name, step in default_pipeline().steps if name in _RAW_STAGE_DID]
)


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=200)
@given(messy_raw())
def test_the_raw_stage_leaves_nothing_for_the_steps_it_already_does(
    drawn: tuple[type[Record], dict[str, Any]],
) -> None:
    record_type, raw = drawn
    try:
        # The default record stage, less the steps the raw stage did (names are cased by the
        # raw stage only when the record stage is the default one).
        raw_stage = clean_raw(record_type, raw, CTX)
    except CleaningError:
        return
    assert _RECORD_STAGE_REPEATS.run(raw_stage.record, CTX).changes == ()
    # So clean_raw may leave them out of its default record stage: the same result either way.
    assert clean_raw(record_type, raw, CTX) == clean_raw(
        record_type, raw, CTX, pipeline=default_pipeline()
    )


def test_external_ids_given_as_a_mapping_are_repaired_by_the_raw_stage() -> None:
    raw = {"id": "c-1", "identity": {"external_ids": {" crm ": " 12  3 ", "erp": "x"}}}
    result = clean_raw(Contact, raw, CTX)
    assert [(e.system, e.value) for e in result.record.identity.external_ids] == [
        ("crm", "12 3"),
        ("erp", "x"),
    ]
    assert {(c.path, c.rule) for c in result.changes} == {
        ("identity.external_ids[0].system", "whitespace"),
        ("identity.external_ids[0].value", "whitespace"),
    }


# -- a value is quarantined once -----------------------------------------------------------------


def test_a_value_set_aside_inside_a_mapping_set_aside_later_is_not_kept_twice() -> None:
    # A custom value that does not fit, and a key that is no name: each is set aside once,
    # at its own path, and nothing of the mapping is kept twice.
    raw = {"id": "c-1", "identity": {"custom": {"tier": {"x": 1}, "Bad Key": "gold"}}}
    result = clean_raw(Contact, raw, CTX)
    paths = [q.path for q in result.record.quarantine]
    assert paths == ["identity.custom.Bad Key", "identity.custom.tier"]
    assert [c.path for c in result.changes if c.rule == "quarantine"] == paths
    assert [q.value for q in result.record.quarantine] == ["gold", '{"x": 1}']


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=200)
@given(st.sampled_from(RECORD_TYPES), st.data())
def test_no_value_is_quarantined_twice(record_type: type[Record], data: st.DataObject) -> None:
    raw = data.draw(_shaped(record_type) | messy_raw().map(lambda drawn: drawn[1]))
    if not isinstance(raw, dict):
        return
    raw["id"] = "x"
    try:
        result = clean_raw(record_type, raw, CTX)
    except CleaningError:
        return
    # What this run set aside (the input's own quarantine is kept as it came).
    paths = [q.path for q in result.quarantine]
    assert len(set(paths)) == len(paths)
    for path in paths:  # nor a value and a value inside it
        assert not any(other.startswith((path + ".", path + "[")) for other in paths)


def _nan_free(value: Any) -> Any:
    """``value`` with every NaN in it (never equal to itself) replaced by a marker."""
    if isinstance(value, dict):
        return {key: _nan_free(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_nan_free(item) for item in value]
    if isinstance(value, (float, Decimal)) and value != value:
        return "<NaN>"
    return value


def _both_ways(record_type: type[Record], raw: Any) -> tuple[Any, Any]:
    """:func:`_outcome` with the walk setting aside what it foresees (as ``clean_raw`` runs),
    and by the reference way: convert, set aside what conversion refused, convert again."""
    from crmcore.cleaning._raw_walk import RawWalk

    walked = _outcome(record_type, raw)
    try:
        RawWalk.prejudge = False
        converted = _outcome(record_type, raw)
    finally:
        RawWalk.prejudge = True
    return walked, converted


def _outcome(record_type: type[Record], raw: Any) -> Any:
    try:
        result = clean_raw(record_type, raw, CTX)
    except CleaningError as error:
        return ("refused", error.problems)
    # A NaN given (a Decimal NaN among them) is logged as it came, and is equal to no NaN.
    changes = tuple(
        attrs.evolve(c, before=_nan_free(c.before), after=_nan_free(c.after))
        for c in result.changes
    )
    return (result.record, changes, result.quarantine)


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=200)
@given(st.sampled_from(RECORD_TYPES), st.data())
@example(Contact, None).via("unreadable numbers, flags, enum values and unknown keys")
def test_what_the_walk_sets_aside_is_what_conversion_would_have_refused(
    record_type: type[Record], data: st.DataObject | None
) -> None:
    """Setting aside in the walk (one conversion per row) gives the very record, changes and
    quarantine that converting, setting aside what conversion refused and converting again
    gave."""
    if data is None:
        raw: Any = {
            "id": "c",
            "identity": {"addresses": [{"country": "DE", "oops": 1}], "": 2, 3: 4},
            "descriptive": {"lifecycle_stage": "hot lead", "organisation_size": "huge"},
            "quantitative": {"email_opens": "1,204", "email_clicks": "many", "nps": "11.5"},
            "unknown": {"a": "b"},
        }
    else:
        raw = data.draw(_shaped(record_type) | st.fixed_dictionaries({"id": _ANY}))
    walked, converted = _both_ways(record_type, raw)
    assert walked == converted


def test_one_mapping_given_for_a_list_sets_aside_only_its_refused_part_in_both_ways() -> None:
    """An address given as one mapping, not a list, whose flag is unreadable: both ways set
    aside the flag alone, at the path the walk names (no index), and keep the address."""
    raw = {"id": "a", "identity": {"addresses": {"primary": [], "lines": ["1 Main St"]}}}
    walked, converted = _both_ways(Account, raw)
    assert walked == converted
    record, _, quarantined = walked
    assert [(q.path, q.reason) for q in quarantined] == [
        ("identity.addresses.primary", "expected yes or no")
    ]
    assert [address.lines for address in record.identity.addresses] == [("1 Main St",)]


def test_an_object_with_only_an_unknown_key_given_blank_is_set_aside_in_both_ways() -> None:
    """A note given as a mapping whose only key is no field, its value blank, is not a blank
    note dropped in silence: both ways quarantine it, for the note's own missing text."""
    raw = {"id": "c", "qualitative": {"notes": {"0": None}}}
    walked, converted = _both_ways(Contact, raw)
    assert walked == converted
    quarantined = walked[2]
    assert [(q.path, q.reason) for q in quarantined] == [
        ("qualitative.notes", "required field is missing")
    ]
