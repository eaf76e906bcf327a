"""Constructors check the types of facets and value objects, convert what loses nothing, and
refuse lone surrogates and numbers beyond the limits, always naming the field, never the value."""

from __future__ import annotations

import enum
import json
import os
import time
import typing
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import (
    Account,
    AccountIdentity,
    AccountQuantitative,
    Activity,
    ActivityDescriptive,
    CommunicationPreferences,
    Contact,
    ContactDescriptive,
    ContactIdentity,
    ContactQualitative,
    ContactQuantitative,
    ConversionError,
    CustomFields,
    Deal,
    DealIdentity,
    DealQuantitative,
    EmailAddress,
    InvalidValueError,
    LifecycleStage,
    Money,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    QuarantinedValue,
    SocialEngagement,
    Source,
    from_dict,
    to_dict,
)
from crmcore.records import RECORD_TYPES
from crmcore.records._meta import field_info
from crmcore.records.limits import (
    AMOUNT_MAX_INTEGER_DIGITS,
    AMOUNT_MAX_PLACES,
    COUNT_MAX,
    INTEGER_MAX,
    INTEGER_MIN,
)

UTC = timezone.utc
PLANTED = "ada.lovelace@example.org"


def _facets(record_type: type[Any]) -> list[attrs.Attribute[Any]]:
    hints = attrs.resolve_types(record_type)
    return [a for a in attrs.fields(hints) if (info := field_info(a)) and info.is_facet]


# -- facets and value objects have the right type ------------------------------------------------


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda cls: cls.__name__)
def test_a_facet_given_as_a_dict_or_of_another_record_type_is_refused_naming_it(
    record_type: type[Any],
) -> None:
    for facet in _facets(record_type):
        with pytest.raises(InvalidValueError) as caught:
            record_type("r-1", **{facet.name: {"emails": [PLANTED]}})
        assert caught.value.field == facet.name
        assert PLANTED not in str(caught.value)
        other = next(t for t in RECORD_TYPES if t is not record_type)
        wrong = next(f for f in _facets(other) if f.name == facet.name).type()
        with pytest.raises(InvalidValueError, match=facet.type.__name__):
            record_type("r-1", **{facet.name: wrong})


def test_contact_built_with_a_dict_facet_no_longer_breaks_to_dict_later() -> None:
    with pytest.raises(InvalidValueError, match="expected a ContactIdentity"):
        Contact("c-1", {"emails": [PLANTED]})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: ContactIdentity(name="Ada Lovelace"), "name"),
        (lambda: ContactIdentity(emails=(PLANTED,)), "emails[0]"),
        (lambda: ContactIdentity(phones=[PhoneNumber("+442079460958"), "+44"]), "phones[1]"),
        (lambda: ContactIdentity(addresses=({"lines": ["1 Lane"]},)), "addresses[0]"),
        (lambda: ContactIdentity(external_ids=(("crm", "1"),)), "external_ids[0]"),
        (lambda: ContactDescriptive(communication={"email_opt_in": True}), "communication"),
        (lambda: ContactQualitative(notes=("called",)), "notes[0]"),
        (lambda: ContactQuantitative(total_spent=Decimal("12.50")), "total_spent"),
        (lambda: ContactQuantitative(social={"likes": 1}), "social"),
        (lambda: AccountIdentity(domains=("example.org", 7)), "domains[1]"),
        (lambda: AccountQuantitative(annual_revenue="12.50"), "annual_revenue"),
        (lambda: Contact("c-1", quarantine=("x",)), "quarantine[0]"),
        (lambda: EmailAddress("a@example.org", primary="yes"), "primary"),
        (lambda: CommunicationPreferences(email_opt_in="no"), "email_opt_in"),
        (lambda: CommunicationPreferences(sms_opt_in=1), "sms_opt_in"),
    ],
)
def test_value_objects_and_their_items_of_the_wrong_type_are_refused_naming_the_path(
    build: Any, field: str
) -> None:
    with pytest.raises(InvalidValueError) as caught:
        build()
    assert caught.value.field == field


# -- what a Python user naturally passes, where nothing is lost ----------------------------------


def test_lists_are_taken_where_tuples_are_stored() -> None:
    email = EmailAddress("ada@example.org")
    note = Note("Called back.")
    kept = QuarantinedValue("identity.phones[0]", "??", "phone.unreadable", "not a phone")
    contact = Contact(
        "c-1",
        identity=ContactIdentity(emails=[email], addresses=[PostalAddress(lines=["1 Lane"])]),
        qualitative=ContactQualitative(motivations=["price"], notes=[note]),
        quarantine=[kept],
    )
    assert contact.identity.emails == (email,)
    assert contact.identity.addresses[0].lines == ("1 Lane",)
    assert contact.qualitative.motivations == ("price",)
    assert contact.qualitative.notes == (note,)
    assert contact.quarantine == (kept,)
    assert DealIdentity(contact_refs=["c-1"]).contact_refs == ("c-1",)
    assert AccountIdentity(domains=["example.org"]).domains == ("example.org",)
    hash(contact)
    assert contact == attrs.evolve(contact)


def test_a_set_or_a_generator_is_refused_as_its_order_is_not_the_callers() -> None:
    with pytest.raises(InvalidValueError, match="tuple or a list"):
        ContactQualitative(motivations={"price"})  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="tuple or a list"):
        ContactQualitative(motivations=(m for m in ["price"]))  # type: ignore[arg-type]


def test_custom_fields_may_be_given_as_a_dict() -> None:
    facet = ContactDescriptive(custom={"tier": "gold", "tags": ["a", "b"]})
    assert isinstance(facet.custom, CustomFields)
    assert dict(facet.custom) == {"tags": ("a", "b"), "tier": "gold"}
    with pytest.raises(InvalidValueError, match="lower-case identifiers") as caught:
        ContactDescriptive(custom={PLANTED: "gold"})
    assert caught.value.field == "custom"
    assert PLANTED not in str(caught.value)
    with pytest.raises(InvalidValueError, match="CustomFields"):
        ContactDescriptive(custom=["tier"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("12.50", Decimal("12.50")),
        (" 12.50 ", Decimal("12.50")),
        ("-3", Decimal(-3)),
        (12, Decimal(12)),
        (Decimal("19.90"), Decimal("19.90")),
        ("1E+3", Decimal("1E+3")),
    ],
)
def test_money_takes_a_decimal_text_or_a_whole_number_and_stores_a_decimal_as_given(
    given: Any, stored: Decimal
) -> None:
    money = Money(given, "EUR")
    assert type(money.amount) is Decimal
    assert money.amount == stored
    assert money.amount.as_tuple() == stored.as_tuple()  # "12.50" keeps its two places


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (12.5, "never a float"),
        (True, "never a float"),
        ("12,50", "not a decimal number"),
        ("twelve", "not a decimal number"),
        ("", "not a decimal number"),
        ("NaN", "finite"),
        ("-Infinity", "finite"),
        pytest.param("1" * 1_000_000, "not a decimal number", id="huge-text"),
        pytest.param(10**5000, "too large", id="huge-int"),
        (None, "never a float"),
    ],
)
def test_money_refuses_floats_and_what_is_not_a_decimal_number(given: Any, reason: str) -> None:
    with pytest.raises(InvalidValueError, match=reason) as caught:
        Money(given, "EUR")
    assert caught.value.field == "amount"
    assert len(str(caught.value)) < 200


# -- enum-typed fields take their values as text -------------------------------------------------


def _enum_fields() -> list[tuple[type[Any], str, type[enum.Enum]]]:
    found: list[tuple[type[Any], str, type[enum.Enum]]] = []
    seen: set[type[Any]] = set()

    def walk(cls: type[Any]) -> None:
        if cls in seen or not attrs.has(cls):
            return
        seen.add(cls)
        for attribute in attrs.fields(attrs.resolve_types(cls)):
            kinds = [attribute.type, *typing.get_args(attribute.type)]
            for kind in kinds:
                if isinstance(kind, type) and issubclass(kind, enum.Enum):
                    found.append((cls, attribute.name, kind))
                for inner in (kind, *typing.get_args(kind)):
                    if isinstance(inner, type):
                        walk(inner)

    for record_type in RECORD_TYPES:
        walk(record_type)
    return sorted(found, key=lambda item: (item[0].__name__, item[1]))


_REQUIRED: dict[str, dict[str, Any]] = {
    "EmailAddress": {"address": "ada@example.org"},
    "PhoneNumber": {"number": "+442079460958"},
    "Money": {"amount": Decimal(1), "currency": "EUR"},
    "ExternalId": {"system": "crm", "value": "1"},
    "RegistrationNumber": {"scheme": "VAT", "value": "1"},
    "Note": {"text": "Called back."},
    "QuarantinedValue": {"path": "id", "value": "?", "code": "text.unreadable", "reason": "r"},
}


def _build(cls: type[Any], name: str, value: Any) -> Any:
    """Build ``cls`` with ``name`` set to ``value`` and valid values for the other required ones."""
    given = {"id": "r-1"} if cls in RECORD_TYPES else dict(_REQUIRED.get(cls.__name__, {}))
    return cls(**{**given, name: value})


@pytest.mark.parametrize(
    ("cls", "name", "kind"),
    _enum_fields(),
    ids=lambda item: getattr(item, "__name__", str(item)),
)
def test_every_enum_field_takes_a_members_value_and_refuses_other_text(
    cls: type[Any], name: str, kind: type[enum.Enum]
) -> None:
    for member in kind:
        built = _build(cls, name, member.value)
        assert getattr(built, name) is member
        assert _build(cls, name, member) == built
    with pytest.raises(InvalidValueError) as caught:
        _build(cls, name, "klingon!!")
    assert caught.value.field == name
    assert kind.__name__ in caught.value.reason
    assert "klingon" not in str(caught.value)
    other = Source.FORM if kind is not Source else LifecycleStage.LEAD
    with pytest.raises(InvalidValueError):
        _build(cls, name, other)


def test_enum_fields_cover_records_facets_and_value_objects() -> None:
    names = {(cls.__name__, name) for cls, name, _ in _enum_fields()}
    assert {
        ("Contact", "source"),
        ("ContactDescriptive", "lifecycle_stage"),
        ("CommunicationPreferences", "preferred_channel"),
        ("EmailAddress", "source"),
        ("ActivityDescriptive", "kind"),
    } <= names


def test_lifecycle_stage_given_as_text_is_stored_as_the_enum_and_converts() -> None:
    contact = Contact("c-1", descriptive=ContactDescriptive(lifecycle_stage="customer"))
    assert contact.descriptive.lifecycle_stage is LifecycleStage.CUSTOMER
    assert to_dict(contact)["descriptive"]["lifecycle_stage"] == "customer"
    assert Activity("a-1", descriptive=ActivityDescriptive(kind="call")).descriptive.kind.value == (
        "call"
    )


# -- lone surrogates -----------------------------------------------------------------------------

LONE = "Ada\ud800"


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Contact(LONE), "id"),
        (lambda: PersonName(given=LONE), "given"),
        (lambda: PostalAddress(lines=("1 Lane", LONE)), "lines[1]"),
        (lambda: ContactQualitative(motivations=[LONE]), "motivations[0]"),
        (lambda: Note(LONE), "text"),
        (lambda: EmailAddress(LONE + "@example.org"), "address"),
        (lambda: EmailAddress("ada@example.org", normalised=LONE + "@example.org"), "normalised"),
        (lambda: PhoneNumber("+44 20 7946 0958\udfff"), "number"),
        (lambda: QuarantinedValue("id", LONE, "text.unreadable", "why"), "value"),
        (lambda: Deal("d-1", identity=DealIdentity(name=LONE)), "name"),
        (lambda: AccountIdentity(domains=(LONE,)), "domains[0]"),
    ],
)
def test_constructors_refuse_a_lone_surrogate_as_conversion_does(build: Any, field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        build()
    assert caught.value.reason == "invalid Unicode: lone surrogate"
    assert caught.value.field == field


def test_custom_text_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(InvalidValueError):
        CustomFields({"tier": LONE})
    with pytest.raises(InvalidValueError):
        CustomFields({"tags": ("ok", LONE)})


@given(st.text(st.characters(categories=["L", "Cs", "Zs"]), min_size=1, max_size=12))
def test_a_name_part_is_refused_by_the_constructor_exactly_when_conversion_refuses_it(
    text: str,
) -> None:
    try:
        from_dict(Contact, {"id": "c-1", "identity": {"name": {"given": text}}})
        read = True
    except ConversionError:
        read = False
    built: PersonName | None = None
    try:
        built = PersonName(given=text) if text.strip() else None
        made = True
    except InvalidValueError:
        made = False
    assert read == made
    if built is not None:
        json.dumps(to_dict(Contact("c-1", ContactIdentity(name=built))))


# -- numbers stay within the limits, so that every record goes through JSON ----------------------


def test_a_huge_count_is_refused_so_to_dict_output_always_passes_json_dumps() -> None:
    with pytest.raises(InvalidValueError, match="too large for a count") as caught:
        ContactQuantitative(email_clicks=10**4400)
    assert caught.value.field == "email_clicks"
    with pytest.raises(InvalidValueError, match="too large"):
        SocialEngagement(likes=COUNT_MAX + 1)
    contact = Contact("c-1", quantitative=ContactQuantitative(email_clicks=COUNT_MAX))
    assert json.loads(json.dumps(to_dict(contact)))["quantitative"]["email_clicks"] == COUNT_MAX


def test_amounts_have_at_most_20_digits_before_the_point_and_18_after() -> None:
    widest = Decimal("9" * AMOUNT_MAX_INTEGER_DIGITS + "." + "9" * AMOUNT_MAX_PLACES)
    deal = Deal("d-1", quantitative=_deal_amount(widest))
    text = json.dumps(to_dict(deal))
    assert from_dict(Deal, json.loads(text)) == deal
    for too_much in (
        Decimal(10) ** AMOUNT_MAX_INTEGER_DIGITS,
        Decimal("-1E+20"),
        Decimal("1E+999999"),
        Decimal("0." + "0" * AMOUNT_MAX_PLACES + "1"),
        Decimal("1E-19"),
    ):
        with pytest.raises(InvalidValueError, match="too") as caught:
            Money(too_much, "EUR")
        assert caught.value.field == "amount"
    assert Money(Decimal("0E+30"), "EUR").amount == 0


def _deal_amount(amount: Decimal) -> DealQuantitative:
    return DealQuantitative(amount=Money(amount, "USD"))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -0.5, 2, 10**1000])
def test_a_fraction_out_of_range_is_refused_even_when_too_large_for_a_float(value: Any) -> None:
    with pytest.raises(InvalidValueError, match="0 to 1"):
        DealQuantitative(probability=value)


def test_custom_whole_numbers_fit_a_signed_64_bit_integer() -> None:
    assert CustomFields({"n": INTEGER_MAX, "m": INTEGER_MIN})["n"] == INTEGER_MAX
    for beyond in (INTEGER_MAX + 1, INTEGER_MIN - 1, 10**4400):
        with pytest.raises(InvalidValueError):
            CustomFields({"n": beyond})


@given(
    st.integers(min_value=0, max_value=COUNT_MAX),
    st.decimals(
        min_value=-(10**AMOUNT_MAX_INTEGER_DIGITS) + 1,
        max_value=10**AMOUNT_MAX_INTEGER_DIGITS - 1,
        places=AMOUNT_MAX_PLACES,
        allow_nan=False,
    ),
)
def test_any_record_within_the_limits_goes_through_json_and_back(
    count: int, amount: Decimal
) -> None:
    account = Account(
        "a-1",
        quantitative=AccountQuantitative(employees=count, annual_revenue=Money(amount, "JPY")),
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    assert from_dict(Account, json.loads(json.dumps(to_dict(account)))) == account


# -- emails and phones are refused by their length before any parsing -----------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda text: EmailAddress(text + "@example.org"),
        lambda text: EmailAddress("ada@example.org", normalised=text + "@example.org"),
        lambda text: PhoneNumber("+44" + text.replace("x", "1")),
        lambda text: PhoneNumber("+442079460958", e164="+44" + text.replace("x", "1")),
    ],
)
def test_ten_megabytes_of_email_or_phone_text_is_refused_by_its_length(build: Any) -> None:
    huge = "x" * 10_000_000
    started = time.perf_counter()
    with pytest.raises(InvalidValueError) as caught:
        build(huge)
    assert time.perf_counter() - started < 5  # a generous bound; parsing took seconds
    assert len(str(caught.value)) < 200


def test_length_limits_leave_surrounding_whitespace_aside() -> None:
    padded = " " * 300 + "ada@example.org" + " " * 300
    assert EmailAddress(padded).normalised == "ada@example.org"
    assert PhoneNumber(" " * 100 + "+44 20 7946 0958").e164 == "+442079460958"
    with pytest.raises(InvalidValueError, match="too long for an email address"):
        EmailAddress("a" * 250 + "@example.org")
    with pytest.raises(InvalidValueError, match="too long for a phone number"):
        PhoneNumber("+44 20 7946 0958" + " 0" * 30 + "1")


def test_refusals_leave_no_trace_of_the_input_in_the_exception_chain() -> None:
    from crmcore.records.values import normalise_email, parse_phone

    for call in (
        lambda: normalise_email("ada<lovelace>@example.org"),
        lambda: parse_phone("+44 20 7946 0958 0958 0958 0958", None),
        lambda: parse_phone("020 7946 0958", None),
    ):
        with pytest.raises(InvalidValueError) as caught:
            call()
        assert caught.value.__context__ is None
        assert caught.value.__cause__ is None


def test_non_text_given_to_an_email_or_a_phone_is_refused_not_crashed_on() -> None:
    for build in (
        lambda: EmailAddress(["ada@example.org"]),
        lambda: EmailAddress(None),
        lambda: PhoneNumber({"number": "1"}),
        lambda: PhoneNumber("020 7946 0958", region=["GB"]),
    ):
        with pytest.raises(InvalidValueError):
            build()


# -- no input crashes a constructor --------------------------------------------------------------


def _reachable_classes() -> list[type[Any]]:
    seen: set[type[Any]] = set()

    def walk(cls: type[Any]) -> None:
        if cls in seen or not attrs.has(cls):
            return
        seen.add(cls)
        for attribute in attrs.fields(attrs.resolve_types(cls)):
            for kind in (attribute.type, *typing.get_args(attribute.type)):
                for inner in (kind, *typing.get_args(kind)):
                    if isinstance(inner, type):
                        walk(inner)

    for record_type in RECORD_TYPES:
        walk(record_type)
    return sorted(seen, key=lambda cls: cls.__name__)


_SCALAR_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers() | st.just(10**1000),
    st.floats(),
    st.decimals(),
    st.text(max_size=20),
    st.text(st.characters(categories=["Cs", "L"]), max_size=5),
    st.binary(max_size=5),
    st.datetimes(),
    st.dates(),
    st.sampled_from([*Source, *LifecycleStage, "customer", "form", "fr-FR", "fr_FR"]),
)
_JUNK = st.recursive(
    _SCALAR_JUNK,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        | st.frozensets(st.integers(), max_size=2)
    ),
    max_leaves=6,
)


@pytest.mark.parametrize("cls", _reachable_classes(), ids=lambda cls: cls.__name__)
@settings(max_examples=int(os.environ.get("RECORDS_JUNK_EXAMPLES", "40")))
@given(data=st.data())
def test_any_value_in_any_field_builds_or_is_refused_with_an_invalid_value_error(
    cls: type[Any], data: st.DataObject
) -> None:
    attribute = data.draw(st.sampled_from(attrs.fields(cls)))
    value = data.draw(_JUNK)
    try:
        built = _build(cls, attribute.name, value)
    except InvalidValueError:
        return
    hash(built)
    repr(built)
    if cls in RECORD_TYPES:
        json.dumps(to_dict(built))
