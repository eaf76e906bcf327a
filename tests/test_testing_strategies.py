"""crmcore.testing.strategies: every strategy yields valid values, with the variety it promises."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import email_validator
import phonenumbers
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import crmcore.testing
from crmcore import (
    RECORD_TYPES,
    Account,
    Activity,
    Category,
    Contact,
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    EmailAddress,
    Money,
    PersonName,
    PhoneNumber,
    from_dict,
    to_dict,
)
from crmcore._iso import COUNTRY_CODES, currency_by_code
from crmcore.testing import strategies as crm_st

T = TypeVar("T")

SURVEY = settings(phases=[Phase.generate], derandomize=True, database=None, deadline=None)
"""Settings to survey what a strategy draws: generation only, the same examples every run."""

SCHEMA = CustomSchema(
    Contact,
    (
        CustomFieldSpec("loyalty_code", CustomType.STRING, Category.IDENTITY),
        CustomFieldSpec("vip", CustomType.BOOLEAN, Category.DESCRIPTIVE),
        CustomFieldSpec("renewal_on", CustomType.DATE, Category.DESCRIPTIVE),
        CustomFieldSpec("surveyed_at", CustomType.DATETIME, Category.QUALITATIVE),
        CustomFieldSpec("tags", CustomType.STRINGS, Category.QUALITATIVE),
        CustomFieldSpec("seats", CustomType.INTEGER, Category.QUANTITATIVE),
        CustomFieldSpec("rate", CustomType.DECIMAL, Category.QUANTITATIVE),
    ),
)


def reached(
    strategy: st.SearchStrategy[T],
    shapes: dict[str, Callable[[T], object]],
    max_examples: int = 200,
) -> set[str]:
    """The names of ``shapes`` that at least one of ``max_examples`` drawn examples has."""
    seen: set[str] = set()

    @settings(SURVEY, max_examples=max_examples)
    @given(strategy)
    def survey(value: T) -> None:
        seen.update(name for name, shape in shapes.items() if shape(value))

    survey()
    return seen


def attrs_instances(value: object) -> Iterator[object]:
    """Every attrs instance in ``value``, itself included, depth first."""
    if attrs.has(type(value)):
        yield value
        for attribute in attrs.fields(type(value)):
            yield from attrs_instances(getattr(value, attribute.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from attrs_instances(item)


# -- the optional dependency -----------------------------------------------------------------


def test_importing_the_strategies_without_hypothesis_names_the_testing_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [name for name in sys.modules if name.partition(".")[0] == "hypothesis"]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.delitem(sys.modules, "crmcore.testing.strategies")
    with pytest.raises(ImportError, match=r"crmcore\[testing\]") as raised:
        importlib.import_module("crmcore.testing.strategies")
    assert "'testing' extra" in str(raised.value)


def test_the_testing_package_imports_without_hypothesis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crmcore, "testing", crmcore.testing)
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.delitem(sys.modules, "crmcore.testing")
    module = importlib.import_module("crmcore.testing")
    assert module.__all__ == []


# -- names, instants ----------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(crm_st.person_names())
def test_person_names_have_no_blank_or_padded_part(name: PersonName) -> None:
    parts = (name.prefix, name.given, name.middle, name.family, name.suffix)
    assert all(part is None or (part.strip() == part and part) for part in parts)


NAME_SHAPES: dict[str, Callable[[PersonName], object]] = {
    "family name with a particle": lambda n: n.family and " " in n.family and n.family[0].islower(),
    "apostrophe": lambda n: n.family and "'" in n.family,
    "Mac or Mc": lambda n: n.family and n.family.startswith(("Mac", "Mc")),
    "hyphenated given name": lambda n: n.given and "-" in n.given,
    "non-ASCII letter": lambda n: not n.display.isascii(),
    "prefix and suffix": lambda n: n.prefix and n.suffix,
    "no part at all": lambda n: n.display == "",
}


def test_person_names_reach_real_world_shapes() -> None:
    assert reached(crm_st.person_names(), NAME_SHAPES) == set(NAME_SHAPES)


@settings(max_examples=100, deadline=None)
@given(crm_st.aware_datetimes())
def test_aware_datetimes_carry_one_of_the_fixed_offsets_within_bounds(moment: datetime) -> None:
    assert moment.utcoffset() in {zone.utcoffset(None) for zone in crm_st.UTC_OFFSETS}
    assert datetime(1970, 1, 1) <= moment.replace(tzinfo=None) <= datetime(2100, 1, 1)


def test_aware_datetimes_reach_microseconds_and_offsets_other_than_utc() -> None:
    shapes: dict[str, Callable[[datetime], object]] = {
        "microseconds": lambda moment: moment.microsecond,
        "UTC": lambda moment: moment.tzinfo is timezone.utc,
        "west of UTC": lambda moment: moment.utcoffset() < timedelta(0),
        "half hour offset": lambda moment: moment.utcoffset() % timedelta(hours=1),
    }
    assert reached(crm_st.aware_datetimes(), shapes) == set(shapes)


def test_aware_datetimes_refuse_aware_bounds() -> None:
    with pytest.raises(InvalidArgument):
        crm_st.aware_datetimes(min_value=datetime(2000, 1, 1, tzinfo=timezone.utc))


# -- emails ---------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(crm_st.emails())
def test_emails_are_normalised_exactly_as_email_validator_does(email: EmailAddress) -> None:
    result = email_validator.validate_email(email.address, check_deliverability=False)
    assert email.normalised == result.normalized
    assert len(email.address.rpartition("@")[0].encode()) <= 64


@settings(max_examples=100, deadline=None)
@given(crm_st.emails())
def test_emails_never_use_a_special_use_domain(email: EmailAddress) -> None:
    domain = email.domain
    for reserved in email_validator.SPECIAL_USE_DOMAIN_NAMES:
        assert domain != reserved
        assert not domain.endswith("." + reserved)
    assert not domain.startswith("example.")
    assert not domain.endswith((".example", ".test", ".invalid", ".localhost"))


@settings(max_examples=50, deadline=None)
@given(crm_st.emails())
def test_email_instants_are_timezone_aware(email: EmailAddress) -> None:
    for moment in (email.collected_at, email.verified_at):
        assert moment is None or moment.utcoffset() is not None


EMAIL_SHAPES: dict[str, Callable[[EmailAddress], object]] = {
    "plus tag": lambda e: "+" in e.address.partition("@")[0],
    "dotted local part": lambda e: "." in e.address.partition("@")[0],
    "Unicode local part": lambda e: not e.address.partition("@")[0].isascii(),
    "internationalised domain": lambda e: not e.domain.isascii(),
    "changed by normalisation": lambda e: e.address != e.normalised,
    "three labels or more": lambda e: e.domain.count(".") >= 2,
    "verified at an instant": lambda e: e.verified_at,
}


def test_emails_reach_the_shapes_real_addresses_take() -> None:
    assert reached(crm_st.emails(), EMAIL_SHAPES) == set(EMAIL_SHAPES)


# -- phones ---------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(crm_st.phones())
def test_phones_are_valid_for_their_region_and_read_back_to_their_e164(phone: PhoneNumber) -> None:
    assert phone.region in crm_st.DEFAULT_PHONE_REGIONS
    parsed = phonenumbers.parse(phone.e164)
    assert phonenumbers.is_valid_number_for_region(parsed, phone.region)
    reread = phonenumbers.parse(phone.number, phone.region)
    assert phonenumbers.format_number(reread, phonenumbers.PhoneNumberFormat.E164) == phone.e164
    assert phone.extension == (reread.extension or None)


@pytest.mark.parametrize("region", crm_st.DEFAULT_PHONE_REGIONS)
def test_every_default_region_yields_valid_numbers_of_that_region(region: str) -> None:
    code = f"+{phonenumbers.country_code_for_region(region)}"

    @settings(max_examples=15, deadline=None)
    @given(crm_st.phones(regions=[region]))
    def check(phone: PhoneNumber) -> None:
        assert phone.region == region
        assert phone.e164.startswith(code)
        assert phonenumbers.is_valid_number_for_region(phonenumbers.parse(phone.e164), region)

    check()


PHONE_SHAPES: dict[str, Callable[[PhoneNumber], object]] = {
    "national": lambda p: not p.number.startswith("+"),
    "international": lambda p: p.number.startswith("+") and " " in p.number,
    "E.164": lambda p: p.number == p.e164,
    "extension": lambda p: p.extension,
    "mobile": lambda p: (
        phonenumbers.number_type(phonenumbers.parse(p.e164)) == phonenumbers.PhoneNumberType.MOBILE
    ),
    "toll free": lambda p: (
        phonenumbers.number_type(phonenumbers.parse(p.e164))
        == phonenumbers.PhoneNumberType.TOLL_FREE
    ),
}


def test_phones_are_written_in_every_form_and_of_several_types() -> None:
    assert reached(crm_st.phones(), PHONE_SHAPES) == set(PHONE_SHAPES)


def test_phones_without_extensions_have_none() -> None:
    @settings(max_examples=30, deadline=None)
    @given(crm_st.phones(extensions=False))
    def check(phone: PhoneNumber) -> None:
        assert phone.extension is None

    check()


@pytest.mark.parametrize("regions", [("ZZ",), (), ("gb",)])
def test_phones_refuse_unknown_or_missing_regions(regions: tuple[str, ...]) -> None:
    with pytest.raises(InvalidArgument):
        crm_st.phones(regions=regions)


# -- addresses, money, ids, notes -----------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(crm_st.postal_addresses())
def test_postal_addresses_have_an_iso_country_and_no_blank_line(address: Any) -> None:
    assert address.country is None or address.country in COUNTRY_CODES
    assert len(address.lines) <= 3
    assert all(line.strip() for line in address.lines)


@settings(max_examples=100, deadline=None)
@given(crm_st.money())
def test_money_has_exactly_the_minor_units_of_its_currency(amount: Money) -> None:
    currency = currency_by_code(amount.currency)
    assert currency is not None
    assert amount.currency in crm_st.DEFAULT_CURRENCIES
    assert amount.amount.as_tuple().exponent == -(currency.minor_units or 0)
    assert Decimal(0) <= amount.amount <= 10_000_000


def test_default_currencies_cover_every_number_of_minor_units() -> None:
    shapes: dict[str, Callable[[Money], object]] = {
        f"{places} places": lambda m, places=places: m.amount.as_tuple().exponent == -places
        for places in (0, 2, 3, 4)
    }
    assert reached(crm_st.money(), shapes) == set(shapes)


@settings(max_examples=60, deadline=None)
@given(crm_st.money(["JPY", "EUR"], max_amount=5, allow_negative=True))
def test_money_keeps_to_the_currencies_and_bounds_asked_for(amount: Money) -> None:
    assert amount.currency in ("JPY", "EUR")
    assert -5 <= amount.amount <= 5


def test_money_without_defined_minor_units_still_has_at_most_four_places() -> None:
    @settings(max_examples=40, deadline=None)
    @given(crm_st.money(["XAU"]))
    def check(amount: Money) -> None:
        exponent = amount.amount.as_tuple().exponent
        assert isinstance(exponent, int)
        assert -4 <= exponent <= 0

    check()
    assert reached(crm_st.money(allow_negative=True), {"negative": lambda m: m.amount < 0})


@pytest.mark.parametrize("currencies", [("HRK",), ("eur",), ()])
def test_money_refuses_unknown_or_missing_currencies(currencies: tuple[str, ...]) -> None:
    with pytest.raises(InvalidArgument):
        crm_st.money(currencies)


@settings(max_examples=60, deadline=None)
@given(
    crm_st.external_ids(),
    crm_st.notes(),
    crm_st.registration_numbers(),
    crm_st.quarantined_values(),
)
def test_small_value_objects_hold_text_and_aware_instants(
    external: Any, note: Any, registration: Any, quarantined: Any
) -> None:
    assert external.system.strip()
    assert external.value.strip()
    assert note.text.strip()
    assert note.author is None or note.author.strip()
    assert note.created_at is None or note.created_at.utcoffset() is not None
    assert registration.country is None or registration.country in COUNTRY_CODES
    assert quarantined.at is None or quarantined.at.utcoffset() is not None


def test_quarantined_values_include_blank_input() -> None:
    assert reached(crm_st.quarantined_values(), {"blank": lambda q: not q.value.strip()})


@settings(max_examples=60, deadline=None)
@given(crm_st.social_engagements(), crm_st.communication_preferences())
def test_engagement_counts_are_not_negative(social: Any, preferences: Any) -> None:
    assert min(social.likes, social.shares, social.comments, social.follows) >= 0
    assert preferences.email_opt_in in (None, True, False)


# -- custom fields --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(CustomType))
def test_custom_values_are_of_their_declared_type(kind: CustomType) -> None:
    @settings(max_examples=30, deadline=None)
    @given(crm_st.custom_values(kind))
    def check(value: Any) -> None:
        assert kind.accepts(value)
        if isinstance(value, str):
            assert value.strip()
        if isinstance(value, Decimal):
            assert value.is_finite()

    check()


@settings(max_examples=60, deadline=None)
@given(crm_st.custom_fields(SCHEMA, Category.QUANTITATIVE))
def test_custom_fields_of_a_category_hold_only_that_categorys_fields(fields: CustomFields) -> None:
    assert set(fields) <= {"seats", "rate"}
    for name, value in fields.items():
        assert SCHEMA[name].type.accepts(value)


def test_custom_fields_reach_every_declared_field_and_none() -> None:
    shapes: dict[str, Callable[[CustomFields], object]] = {
        spec.name: lambda fields, name=spec.name: name in fields for spec in SCHEMA.fields
    }
    shapes["none"] = lambda fields: not fields
    assert reached(crm_st.custom_fields(SCHEMA), shapes) == set(shapes)


@settings(max_examples=40, deadline=None)
@given(crm_st.custom_schemas(Deal))
def test_custom_schemas_are_for_the_record_type_asked_with_unique_names(
    schema: CustomSchema,
) -> None:
    assert schema.record_type is Deal
    assert len({spec.name for spec in schema.fields}) == len(schema.fields)


# -- records ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record_type", "strategy"),
    [
        (Contact, crm_st.contacts),
        (Account, crm_st.accounts),
        (Deal, crm_st.deals),
        (Activity, crm_st.activities),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_record_strategies_build_valid_records_of_their_type(
    record_type: type[Any], strategy: Callable[[], st.SearchStrategy[Any]]
) -> None:
    @settings(max_examples=25, deadline=None)
    @given(strategy())
    def check(record: Any) -> None:
        assert type(record) is record_type
        for instance in attrs_instances(record):
            attrs.validate(instance)  # every validator passes again, at every level
        if record.created_at is not None and record.updated_at is not None:
            assert record.created_at <= record.updated_at
        assert all(not getattr(record, c.value).custom for c in Category)

    check()


@settings(max_examples=30, deadline=None)
@given(crm_st.contacts(SCHEMA))
def test_contacts_with_a_schema_hold_custom_fields_that_fit_it(contact: Contact) -> None:
    assert SCHEMA.check(contact) == []


def test_contacts_with_a_schema_reach_custom_fields_in_every_category() -> None:
    shapes: dict[str, Callable[[Contact], object]] = {
        category.value: lambda c, name=category.value: getattr(c, name).custom
        for category in Category
    }
    assert reached(crm_st.contacts(SCHEMA), shapes, max_examples=100) == set(shapes)


def test_record_strategies_refuse_a_schema_for_another_record_type() -> None:
    with pytest.raises(InvalidArgument, match="Contact, not Account"):
        crm_st.accounts(SCHEMA)


def test_records_refuse_two_schemas_for_one_record_type() -> None:
    with pytest.raises(InvalidArgument, match="one schema per record type"):
        crm_st.records(SCHEMA, schemas=[SCHEMA])


def test_records_reach_every_record_type() -> None:
    shapes: dict[str, Callable[[Any], object]] = {
        kind.__name__: lambda record, kind=kind: type(record) is kind for kind in RECORD_TYPES
    }
    assert reached(crm_st.records(SCHEMA), shapes, max_examples=60) == set(shapes)


@settings(max_examples=30, deadline=None)
@given(crm_st.contact_dicts())
def test_contact_dicts_are_json_safe_and_read_back_to_the_same_dict(data: dict[str, Any]) -> None:
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert to_dict(from_dict(Contact, data)) == data
