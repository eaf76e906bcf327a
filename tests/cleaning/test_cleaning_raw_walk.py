"""The raw walk: its bookkeeping of paths, and the emails and phones it builds itself."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import (
    Contact,
    Converter,
    EmailAddress,
    PersonName,
    PhoneNumber,
    PostalAddress,
    from_dict,
)
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.cleaning._raw_walk import RawWalk, _built_email, _built_phone, _holding
from crmcore.convert._prebuilt import Prebuilt
from crmcore.errors import ConversionError
from crmcore.testing import strategies as crm_st

_SEGMENT = st.one_of(
    st.text(alphabet="abc_.[]0", min_size=0, max_size=6),
    st.integers(min_value=0, max_value=12).map(lambda index: f"[{index}]"),
)


def _split(path: str) -> tuple[str, ...]:
    """The path and its holders, found the plain way: a cut before each ``.`` and ``[``."""
    return (path, *(path[:end] for end in range(len(path)) if path[end] in ".["))


def test_holders_of_a_nested_path() -> None:
    assert _holding("identity.emails[0].address") == (
        "identity.emails[0].address",
        "identity",
        "identity.emails",
        "identity.emails[0]",
    )
    assert _holding("") == ("",)
    assert _holding("name") == ("name",)


@given(st.lists(_SEGMENT, max_size=6).map("".join))
def test_holders_are_each_cut_before_a_separator(path: str) -> None:
    assert _holding(path) == _split(path)
    assert _holding(path) == _holding(path)  # cached: the same answer the second time


# -- emails and phones handed to conversion built --------------------------------------------

_CTX = CleaningContext(as_of=datetime(2025, 6, 1, tzinfo=timezone.utc), default_region="GB")
_REGIONS = st.sampled_from([None, "GB", "DE", "US", "FR", "IT", "XX", "001", "gb", ""])


def _built(value: Any) -> Any:
    assert isinstance(value, Prebuilt)
    return value.value


@given(st.text(max_size=40) | crm_st.emails().map(lambda email: email.address))
def test_an_email_is_built_exactly_as_conversion_builds_it_or_left_to_conversion(
    text: str,
) -> None:
    """Built by the constructor from the values conversion hands it: the same email, or a
    refusal by both (and then the mapping goes to conversion, which reports it)."""
    mapping = {"address": text, "normalised": text}
    try:
        converted = from_dict(EmailAddress, mapping)
    except ConversionError:
        converted = None
    built = _built_email(text)
    assert (built is None) == (converted is None)
    if built is not None:
        assert _built(built) == converted


@given(
    st.text(max_size=24) | crm_st.phones().map(lambda phone: phone.number),
    _REGIONS,
    st.text(alphabet="+0123456789", max_size=20),
    st.none() | st.text(alphabet="0123456789 ", max_size=6),
)
def test_a_phone_is_built_exactly_as_conversion_builds_it_or_left_to_conversion(
    number: str, region: str | None, e164: str, extension: str | None
) -> None:
    mapping: dict[str, Any] = {"number": number, "e164": e164, "extension": extension}
    if region is not None:
        mapping["region"] = region
    try:
        converted = from_dict(PhoneNumber, mapping)
    except ConversionError:
        converted = None
    built = _built_phone(number, region, e164, extension)
    if region != "" and extension != "" and (extension is None or extension.strip()):
        # (conversion reads blank text as missing; the walk never hands over blank text)
        assert (built is None) == (converted is None)
    if built is not None and converted is not None:
        assert _built(built) == converted


def test_a_number_whose_e164_form_is_too_long_is_left_to_conversion() -> None:
    """A German number with a 15-digit national part is possible, but its E.164 form has
    17 digits: the constructor refuses it, so the walk hands over the mapping, and the phone
    is quarantined by conversion as it was before there was a built path."""
    raw = {"id": "c-1", "identity": {"phones": ["030 1234567890123"]}}
    walk = RawWalk(Contact, CleaningContext(default_region="DE"), prebuilt=True)
    cleaned = walk.mapping(raw, Contact, "")
    assert cleaned["identity"]["phones"][0]["e164"] == "+49301234567890123"
    result = clean_raw(Contact, raw, CleaningContext(default_region="DE"))
    assert [(q.path, q.code) for q in result.record.quarantine] == [
        ("identity.phones[0]", "phone.unreadable")
    ]


def test_the_walk_builds_emails_and_phones_only_when_told_to() -> None:
    raw = {"id": "c-1", "identity": {"emails": ["Ada@Example.ORG"], "phones": ["+44 20 7946 0958"]}}
    built = RawWalk(Contact, _CTX, prebuilt=True).mapping(raw, Contact, "")["identity"]
    plain = RawWalk(Contact, _CTX).mapping(raw, Contact, "")["identity"]
    assert _built(built["emails"][0]) == EmailAddress("Ada@example.org")
    assert _built(built["phones"][0]) == PhoneNumber("+442079460958", region="GB")
    assert plain["emails"][0] == {"address": "Ada@example.org", "normalised": "Ada@example.org"}
    assert plain["phones"][0]["e164"] == "+442079460958"


def _outcome(raw: dict[str, Any], ctx: CleaningContext) -> Any:
    result = clean_raw(Contact, raw, ctx)
    return result.record, result.changes, result.quarantine


_EMAIL_TEXTS = st.one_of(
    crm_st.emails().map(lambda email: email.address),
    crm_st.emails().map(lambda email: f" {email.address.upper()}\u200b"),
    st.sampled_from(["", "nope", "a@", "a@b@c", "x" * 300 + "@a.org", "jo\udc80@a.org"]),
    st.text(max_size=20),
)
_PHONE_TEXTS = st.one_of(
    crm_st.phones().map(lambda phone: phone.number),
    crm_st.phones().map(lambda phone: phone.e164),
    st.sampled_from(["", "n/a", "12", "+", "0" * 70, "030 1234567890123", "020 7946 0958 x12"]),
    st.text(alphabet="+0123456789 -().x#", max_size=24),
    st.text(max_size=12),
)


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=300)
@given(
    st.lists(_EMAIL_TEXTS, max_size=3),
    st.lists(_PHONE_TEXTS, max_size=3) | _PHONE_TEXTS,
    st.none() | st.sampled_from(["DE", "US", "France", "Westeros", ""]),
    st.sampled_from([None, "GB", "DE", "US"]),
)
def test_building_emails_and_phones_in_the_walk_changes_no_result(
    emails: list[str], phones: Any, country: str | None, region: str | None
) -> None:
    """The record, the changes and the quarantine are the same whether the walk builds the
    emails and phones it read or hands them to conversion as mappings: any input either is
    refused by both paths or gives equal records."""
    identity: dict[str, Any] = {"emails": emails, "phones": phones}
    if country is not None:
        identity["addresses"] = [{"country": country}]
    raw = {"id": "c-1", "identity": identity}
    ctx = CleaningContext(default_region=region)
    built = _outcome(raw, ctx)
    original = Converter._takes_prebuilt
    try:
        Converter._takes_prebuilt = lambda self: False  # type: ignore[method-assign]
        converted = _outcome(raw, ctx)
    finally:
        Converter._takes_prebuilt = original  # type: ignore[method-assign]
    assert built == converted


# -- addresses and names handed to conversion built ------------------------------------------

_PART_TEXTS = st.one_of(
    st.sampled_from(["Paris", " 10 rue de Rivoli ", "SW1A 1AA", "  ", "", "O'BRIEN", "jo\udc80"]),
    st.text(max_size=12),
)
_PARTS = st.one_of(_PART_TEXTS, st.none(), st.integers(0, 99999), st.floats(allow_nan=False))
_COUNTRIES = st.sampled_from(["FR", "fr", "Allemagne", "Westeros", "", "GB", "deu"])


@st.composite
def _addresses(draw: st.DrawFn) -> dict[str, Any]:
    address: dict[str, Any] = {}
    for name in ("locality", "region", "postal_code", "label"):
        if draw(st.booleans()):
            address[name] = draw(_PARTS)
    if draw(st.booleans()):
        address["lines"] = draw(st.lists(_PART_TEXTS, max_size=2) | _PARTS)
    if draw(st.booleans()):
        address["country"] = draw(_COUNTRIES | _PARTS)
    if draw(st.integers(0, 5)) == 0:
        address["primary"] = draw(st.sampled_from([True, False, "yes", None]))
    if draw(st.integers(0, 9)) == 0:
        address["unknown"] = "x"
    return address


@st.composite
def _names(draw: st.DrawFn) -> dict[str, Any]:
    parts = ("prefix", "given", "middle", "family", "suffix")
    name = {part: draw(_PARTS) for part in parts if draw(st.booleans())}
    if draw(st.integers(0, 9)) == 0:
        name["nickname"] = "x"
    return name


def _both_ways(raw: dict[str, Any], ctx: CleaningContext) -> tuple[Any, Any]:
    """The outcome of ``clean_raw`` with the built path, and with every value as a mapping."""
    try:
        built = _outcome(raw, ctx)
    except Exception as exc:  # a row refused as a whole must be refused both ways
        built = type(exc)
    original = Converter._takes_prebuilt
    try:
        Converter._takes_prebuilt = lambda self: False  # type: ignore[method-assign]
        try:
            converted = _outcome(raw, ctx)
        except Exception as exc:
            converted = type(exc)
    finally:
        Converter._takes_prebuilt = original  # type: ignore[method-assign]
    return built, converted


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=300)
@given(
    st.lists(_addresses(), max_size=3) | _addresses(),
    st.none() | _names(),
    st.lists(_PHONE_TEXTS, max_size=2),
    st.none() | st.sampled_from(["1,234", "1.234", "3"]),
    st.sampled_from([None, "GB", "DE", "US"]),
)
def test_building_addresses_and_names_in_the_walk_changes_no_result(
    addresses: Any, name: dict[str, Any] | None, phones: list[str], score: str | None, region: Any
) -> None:
    """The record, the changes and the quarantine are the same whether the walk builds the
    addresses and names it read or hands them to conversion as mappings; the phones read in
    the region of the record's address and the numbers read in its country's style too."""
    identity: dict[str, Any] = {"addresses": addresses, "phones": phones}
    if name is not None:
        identity["name"] = name
    raw: dict[str, Any] = {"id": "c-1", "identity": identity}
    if score is not None:
        raw["quantitative"] = {"lifetime_value": {"amount": score, "currency": "EUR"}}
    built, converted = _both_ways(raw, CleaningContext(default_region=region))
    assert built == converted


def test_the_walk_builds_addresses_and_names_of_text_only() -> None:
    raw = {
        "id": "c-1",
        "identity": {
            "name": {"given": "ADA", "family": "Lovelace"},
            "addresses": [
                {"lines": ["10 rue de Rivoli"], "locality": "Paris", "country": "France"},
                {"locality": "Lyon", "primary": True},
                {"locality": "Nice", "postal_code": 6000},
            ],
        },
    }
    identity = RawWalk(Contact, _CTX, prebuilt=True, case_names=True).mapping(raw, Contact, "")[
        "identity"
    ]
    assert _built(identity["name"]) == PersonName(given="Ada", family="Lovelace")
    first, flagged, numbered = identity["addresses"]
    assert _built(first) == PostalAddress(
        lines=("10 rue de Rivoli",), locality="Paris", country="FR"
    )
    assert flagged == {"locality": "Lyon", "primary": True}  # a flag is left to conversion
    assert numbered == {"locality": "Nice", "postal_code": 6000}  # and so is a number


def test_a_built_address_gives_the_record_its_region() -> None:
    """A national number is read in the country of the record's address, built or not."""
    raw = {
        "id": "c-1",
        "identity": {"addresses": [{"country": "France"}], "phones": ["01 42 68 53 00"]},
    }
    walked = RawWalk(Contact, _CTX, prebuilt=True).mapping(raw, Contact, "")["identity"]
    assert isinstance(walked["addresses"][0], Prebuilt)
    assert _built(walked["phones"][0]).e164 == "+33142685300"
    result = clean_raw(Contact, raw, _CTX)
    assert result.record.identity.phones[0].e164 == "+33142685300"


def test_a_built_address_gives_the_record_its_number_style() -> None:
    """An amount is read in the style of the record's country, whose address is built."""
    raw = {
        "id": "c-1",
        "identity": {"addresses": [{"country": "France", "locality": "Paris"}]},
        "quantitative": {"lifetime_value": {"amount": "1,234", "currency": "EUR"}},
    }
    walked = RawWalk(Contact, _CTX, prebuilt=True).mapping(raw, Contact, "")["identity"]
    assert isinstance(walked["addresses"][0], Prebuilt)
    result = clean_raw(Contact, raw, _CTX)
    assert result.quarantine == ()
    lifetime_value = result.record.quantitative.lifetime_value
    assert lifetime_value is not None
    assert str(lifetime_value.amount) == "1.234"


@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=200)
@given(
    st.lists(_EMAIL_TEXTS, max_size=2),
    st.lists(_PHONE_TEXTS, max_size=2),
    st.booleans(),
    st.sampled_from([None, "GB", "DE"]),
)
def test_the_quarantine_goes_into_the_record_as_it_went_in_after_conversion(
    emails: list[str], phones: list[str], given_quarantine: bool, region: str | None
) -> None:
    """Values the walk sets aside (and those conversion refuses, set aside in a second round)
    go into the record with its conversion when the converter takes built values: the record
    (the quarantine it came with first), the changes and the quarantine are those of the
    record made first and given its quarantine after."""
    raw: dict[str, Any] = {"id": "c-1", "identity": {"emails": emails, "phones": phones}}
    if given_quarantine:
        raw["quarantine"] = [
            {"path": "x", "value": "v", "code": "value.unreadable", "reason": "r", "at": None}
        ]
    built, converted = _both_ways(raw, CleaningContext(default_region=region))
    assert built == converted
    if given_quarantine and not isinstance(built, type):
        assert built[0].quarantine[0].path == "x"
