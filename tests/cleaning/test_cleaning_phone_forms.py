"""Phone numbers cleaning writes: valid ones in E.164, invalid ones as given, none that lie.

Validation's ``phone.e164_mismatch`` says a record's E.164 form is not that of its number: on
a record crmcore itself cleaned it must never appear, whatever the phone text and region.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crmcore import Contact, ContactIdentity, InvalidValueError, PhoneNumber, PostalAddress
from crmcore.cleaning import CleaningContext, Pipeline, clean, clean_raw
from crmcore.cleaning._phone_forms import reads_back, writes_as_e164
from crmcore.testing import strategies as crm_st
from crmcore.validation import Context, default_ruleset, validate

AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)
RULES = default_ruleset()
REGIONS = ["DE", "GB", "FR", "US", "IT", "AT", "CH", "BR", "IN", "JP"]


def codes(record: Contact, region: str | None = None) -> tuple[str, ...]:
    return validate(record, RULES, Context(AS_OF, default_region=region)).codes()


def german(phone: Any) -> dict[str, Any]:
    return {"id": "c-1", "identity": {"phones": [phone], "addresses": [{"country": "DE"}]}}


def test_an_invalid_german_number_whose_e164_form_does_not_read_back_is_set_aside() -> None:
    result = clean_raw(Contact, german("000-000-0000"), CleaningContext(as_of=AS_OF))
    assert result.record.identity.phones == ()
    [item] = result.quarantine
    assert (item.path, item.value, item.code) == (
        "identity.phones[0]",
        "000-000-0000",
        "phone.unreadable",
    )
    assert "phone.e164_mismatch" not in codes(result.record)


def test_an_invalid_german_number_given_as_a_mapping_is_set_aside_as_given() -> None:
    raw = german({"number": "000-000-0000", "label": "WORK"})
    result = clean_raw(Contact, raw, CleaningContext(as_of=AS_OF, default_region="DE"))
    assert result.record.identity.phones == ()
    assert [q.value for q in result.quarantine] == ['{"number": "000-000-0000", "label": "WORK"}']


def test_an_invalid_number_that_reads_back_keeps_the_text_it_was_given_as() -> None:
    # Possible in the North American plan, but in no range it assigns: kept as typed.
    text = "212 000 0000"
    assert reads_back(PhoneNumber(text, region="US").e164)
    assert not writes_as_e164(PhoneNumber(text, region="US").e164)
    result = clean_raw(
        Contact, {"id": "c", "identity": {"phones": [text]}}, CleaningContext(default_region="US")
    )
    [phone] = result.record.identity.phones
    assert (phone.number, phone.region) == (text, "US")
    assert not [c for c in result.changes if c.rule == "phone.e164"]
    assert "phone.e164_mismatch" not in codes(result.record)
    assert "phone.invalid" in codes(result.record)


def test_a_valid_number_is_still_written_in_e164() -> None:
    result = clean_raw(Contact, german("030 1234567"), CleaningContext())
    [phone] = result.record.identity.phones
    assert phone.number == phone.e164 == "+49301234567"


def test_the_record_stage_leaves_an_invalid_number_as_given() -> None:
    record = Contact(
        "c",
        ContactIdentity(
            phones=(PhoneNumber("(200) 555-0100", region="US"),),  # no such area code
            addresses=(PostalAddress(country="US"),),
        ),
    )
    result = clean(record)
    assert result.record.identity.phones[0].number == "(200) 555-0100"
    assert "phone.e164_mismatch" not in codes(result.record)


def test_no_record_holds_an_e164_form_that_names_another_number() -> None:
    with pytest.raises(InvalidValueError, match="reads back as another number"):
        PhoneNumber("000-000-0000", region="DE")


_DIGITS = st.text(st.sampled_from("0123456789"), min_size=1, max_size=14)
_SEPARATED = st.lists(_DIGITS.filter(lambda d: len(d) <= 4), min_size=1, max_size=5).map(
    lambda parts: "-".join(parts)
)
_MESSY_PHONES = st.one_of(
    crm_st.phones().map(lambda p: p.number),
    crm_st.phones().map(lambda p: p.e164),
    _DIGITS,
    _SEPARATED,
    st.builds(
        lambda prefix, digits: prefix + digits,
        st.sampled_from(["+", "00", "0", "+49 0", "(0)"]),
        _DIGITS,
    ),
    st.sampled_from(["000-000-0000", "0000000000", "+490000000000", "112", "0800 000 000"]),
)


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=300)
@given(
    st.lists(
        _MESSY_PHONES | st.fixed_dictionaries({"number": _MESSY_PHONES}), min_size=1, max_size=3
    ),
    st.none() | st.sampled_from(REGIONS),
    st.none() | st.sampled_from(REGIONS),
)
@example(["000-000-0000"], "DE", None)
@example([{"number": "000-000-0000"}], None, "DE")
def test_a_cleaned_record_never_has_an_e164_form_that_is_not_its_numbers(
    phones: list[Any], country: str | None, default_region: str | None
) -> None:
    identity: dict[str, Any] = {"phones": phones}
    if country is not None:
        identity["addresses"] = [{"country": country}]
    ctx = CleaningContext(as_of=AS_OF, default_region=default_region)
    result = clean_raw(Contact, {"id": "c", "identity": identity}, ctx)
    assert "phone.e164_mismatch" not in codes(result.record, default_region)
    for phone in result.record.identity.phones:
        assert reads_back(phone.e164)
    # Every number given is kept (as E.164 or as given), set aside, or blank and dropped.
    raw_only = clean_raw(Contact, {"id": "c", "identity": identity}, ctx, pipeline=Pipeline())
    dropped = {c.path for c in raw_only.changes if c.rule == "blank" and c.path.endswith("]")}
    kept = len(raw_only.record.identity.phones)
    assert kept + len(raw_only.quarantine) + len(dropped) == len(phones)


@pytest.mark.parametrize("text", ["+44 20 7946 0958", "020 7946 0958"])
def test_writes_as_e164_holds_for_valid_numbers(text: str) -> None:
    assert writes_as_e164(PhoneNumber(text, region="GB").e164)


_ANY_PHONE_TEXT = st.one_of(
    crm_st.phones().map(lambda phone: phone.number),
    crm_st.phones().map(lambda phone: phone.e164),
    st.sampled_from(["000-000-0000", "212 000 0000", "+33 7 00 00 00 00", "0800 123", "12"]),
    st.text(alphabet="+0123456789 -()x", max_size=20),
)


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=400)
@given(_ANY_PHONE_TEXT, st.sampled_from([None, "001", *REGIONS]))
@example("000-000-0000", "DE")
@example("212 000 0000", "US")
def test_an_invalid_number_read_is_never_written_in_e164_and_its_e164_form_reads_back(
    text: str, region: str | None
) -> None:
    """The raw walk asks neither question of a number ``read_phone`` found invalid: its
    answers are these, in the region it was read in and in every other."""
    from crmcore.records.values import read_phone

    try:
        e164, _, valid = read_phone(text, region)
    except InvalidValueError:
        return
    if valid:
        return
    for where in (region, None, "GB", "DE", "US"):
        assert not writes_as_e164(e164, where)
        assert reads_back(e164, where)
