"""Strategies for value objects, contact points and custom fields."""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import phonenumbers
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from crmcore._iso import COUNTRY_CODES, currency_by_code
from crmcore.records import (
    RECORD_TYPES,
    Category,
    Channel,
    CommunicationPreferences,
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    CustomValue,
    EmailAddress,
    ExternalId,
    Money,
    Note,
    PhoneNumber,
    PostalAddress,
    PrivacyCategory,
    QuarantinedValue,
    Record,
    RegistrationNumber,
    SocialEngagement,
    Source,
)
from crmcore.testing.strategies._base import (
    DEFAULT_CURRENCIES,
    DEFAULT_PHONE_REGIONS,
    _free_text,
    _full_names,
    _maybe,
    _not_blank,
    _shared,
    _text,
    _tuples,
    aware_datetimes,
)
from crmcore.testing.strategies._vocabulary import (
    _ATOM,
    _DOMAIN_LABELS,
    _LABELS,
    _LOCALITIES,
    _NOTE_TEXTS,
    _POSTAL_CODES,
    _QUARANTINE_CODES,
    _QUARANTINE_PATHS,
    _REGIONS,
    _SCHEMES,
    _STREETS,
    _SYSTEMS,
    _TLDS,
    _UNICODE_ATOM,
    _UNICODE_LOCALS,
)

# -- contact points -------------------------------------------------------------------------


def _ascii_local(atoms: list[str], tag: str | None) -> str:
    local = ".".join(atoms)
    return f"{local}+{tag}" if tag else local


def _domain(labels: list[str], tld: str, shout: bool) -> str:
    domain = ".".join((*labels, tld))
    return domain.upper() if shout else domain


@_shared
def _local_parts() -> SearchStrategy[str]:
    atom = st.text(_ATOM, min_size=1, max_size=10)
    ascii_local = st.builds(_ascii_local, st.lists(atom, min_size=1, max_size=3), _maybe(atom))
    unicode_local = st.sampled_from(_UNICODE_LOCALS) | st.text(
        _UNICODE_ATOM, min_size=1, max_size=12
    )
    return ascii_local | unicode_local


@_shared
def _domains() -> SearchStrategy[str]:
    word = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)
    label = st.sampled_from(_DOMAIN_LABELS) | word | st.builds("{}-{}".format, word, word)
    labels = st.lists(label, min_size=1, max_size=2)
    return st.builds(_domain, labels, st.sampled_from(_TLDS), st.booleans())


@_shared
def emails() -> SearchStrategy[EmailAddress]:
    """Email addresses that email-validator accepts (no DNS), with their provenance.

    Local parts are dot-separated ASCII atoms with an optional ``+tag``, or Unicode (accented
    Latin, Greek, Cyrillic, CJK). Domains are realistic labels, some internationalised, under
    common top-level domains, sometimes in capitals; never a special-use name such as
    ``.test``, ``.invalid`` or ``.localhost``. The normalised form is computed by the class.
    """
    addresses = st.builds("{}@{}".format, _local_parts(), _domains())
    return st.builds(
        EmailAddress,
        address=addresses,
        label=_maybe(st.sampled_from(_LABELS)),
        primary=st.booleans(),
        source=_maybe(st.sampled_from(Source)),
        collected_at=_maybe(aware_datetimes()),
        verified_at=_maybe(aware_datetimes()),
    )


_PHONE_TYPES = (
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
)
_PHONE_FORMATS = (
    phonenumbers.PhoneNumberFormat.NATIONAL,
    phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    phonenumbers.PhoneNumberFormat.E164,
)


@attrs.frozen
class _PhoneTemplate:
    """An example number of one region and type, whose last ``free`` digits may vary."""

    region: str
    country_code: int
    national: str
    free: int


@functools.cache
def _phone_templates(region: str) -> tuple[_PhoneTemplate, ...]:
    found = []
    code = phonenumbers.country_code_for_region(region)
    for kind in _PHONE_TYPES:
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        national = phonenumbers.national_significant_number(example)
        free = 4 if len(national) >= 8 else 2
        found.append(_PhoneTemplate(region, code, national, free))
    return tuple(found)


def _phone_text(
    template: _PhoneTemplate, tail: int, style: int, extension: str | None
) -> str | None:
    """The template with its last digits replaced by ``tail``, written in ``style``.

    ``None`` when the number so made is not valid for the template's region.
    """
    free = template.free
    digits = f"{template.national[:-free]}{tail % 10**free:0{free}d}"
    parsed = phonenumbers.parse(f"+{template.country_code}{digits}")
    if not phonenumbers.is_valid_number_for_region(parsed, template.region):
        return None
    text = phonenumbers.format_number(parsed, style)
    return f"{text} ext. {extension}" if extension else text


def _phone(drawn: tuple[_PhoneTemplate, str | None], **provenance: Any) -> PhoneNumber:
    template, text = drawn
    assert text is not None  # filtered out before
    return PhoneNumber(number=text, region=template.region, **provenance)


def phones(
    regions: Iterable[str] = DEFAULT_PHONE_REGIONS, *, extensions: bool = True
) -> SearchStrategy[PhoneNumber]:
    """Phone numbers valid for their region, written in national or international form.

    Each starts from phonenumbers' example fixed-line, mobile or toll-free number of a region in
    ``regions``, varies its last digits, and keeps it only if phonenumbers holds it valid for
    that region. It is written in national, international or E.164 form and read in its region;
    with ``extensions``, some carry an extension (``"... ext. 12"``).
    """
    return _phones(tuple(regions), extensions)


@_shared
def _phones(regions: tuple[str, ...], extensions: bool) -> SearchStrategy[PhoneNumber]:
    templates: list[_PhoneTemplate] = []
    for region in regions:
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise InvalidArgument(f"phonenumbers does not know the region {region!r}")
        templates.extend(_phone_templates(region))
    if not templates:
        raise InvalidArgument("phones needs at least one region with example numbers")
    extension = _maybe(st.text(string.digits, min_size=1, max_size=4)) if extensions else st.none()
    provenance = {
        "label": _maybe(st.sampled_from(_LABELS)),
        "primary": st.booleans(),
        "source": _maybe(st.sampled_from(Source)),
        "collected_at": _maybe(aware_datetimes()),
        "verified_at": _maybe(aware_datetimes()),
    }
    drawn = st.tuples(
        st.sampled_from(templates),
        st.integers(0, 9999),
        st.sampled_from(_PHONE_FORMATS),
        extension,
    )
    valid = drawn.map(lambda t: (t[0], _phone_text(*t))).filter(lambda pair: pair[1] is not None)
    return st.builds(_phone, valid, **provenance)


@_shared
def postal_addresses() -> SearchStrategy[PostalAddress]:
    """Postal addresses with up to three street lines and an ISO 3166-1 alpha-2 country."""
    return st.builds(
        PostalAddress,
        lines=_tuples(_text(_STREETS)),
        locality=_maybe(_text(_LOCALITIES, 30)),
        region=_maybe(_text(_REGIONS, 30)),
        postal_code=_maybe(_text(_POSTAL_CODES, 10)),
        country=_maybe(st.sampled_from(sorted(COUNTRY_CODES))),
        label=_maybe(st.sampled_from(_LABELS)),
        primary=st.booleans(),
        source=_maybe(st.sampled_from(Source)),
        collected_at=_maybe(aware_datetimes()),
        verified_at=_maybe(aware_datetimes()),
    )


# -- money, ids, notes and small structures -------------------------------------------------


def _amounts(places: int, max_amount: int, allow_negative: bool) -> SearchStrategy[Decimal]:
    scale = 10**places
    low = -max_amount * scale if allow_negative else 0
    return st.integers(low, max_amount * scale).map(lambda minor: Decimal(minor).scaleb(-places))


def _money_in(currency: str, max_amount: int, allow_negative: bool) -> SearchStrategy[Money]:
    found = currency_by_code(currency)
    assert found is not None, currency
    places = st.just(found.minor_units) if found.minor_units is not None else st.integers(0, 4)
    amounts = places.flatmap(lambda p: _amounts(p, max_amount, allow_negative))
    return st.builds(Money, amount=amounts, currency=st.just(currency))


def money(
    currencies: Iterable[str] = DEFAULT_CURRENCIES,
    *,
    max_amount: int = 10_000_000,
    allow_negative: bool = False,
) -> SearchStrategy[Money]:
    """Amounts in ``currencies``, each with exactly its currency's number of decimal places.

    ``EUR`` amounts have two places, ``JPY`` none, ``BHD`` three, ``CLF`` four; a currency
    whose minor unit the standard leaves undefined (``XAU``) gets zero to four. Amounts run
    from zero (or ``-max_amount`` with ``allow_negative``) to ``max_amount``.
    """
    chosen = tuple(currencies)
    if not chosen:
        raise InvalidArgument("money needs at least one currency")
    for code in chosen:
        if currency_by_code(code) is None:
            raise InvalidArgument(f"{code!r} is not an active ISO 4217 code")
    if max_amount < 0:
        raise InvalidArgument("max_amount cannot be negative")
    return _money(chosen, max_amount, allow_negative)


@_shared
def _money(
    currencies: tuple[str, ...], max_amount: int, allow_negative: bool
) -> SearchStrategy[Money]:
    return st.one_of(*(_money_in(code, max_amount, allow_negative) for code in currencies))


@_shared
def external_ids() -> SearchStrategy[ExternalId]:
    """Ids in other systems: Salesforce-like, Stripe-like, numeric, UUIDs or any text."""
    alnum = string.ascii_letters + string.digits
    values = st.one_of(
        st.text(alnum, min_size=15, max_size=15).map("003{}".format),
        st.text(alnum, min_size=8, max_size=14).map("cus_{}".format),
        st.integers(1, 10**12).map(str),
        st.uuids().map(str),
        _free_text(24),
    )
    return st.builds(ExternalId, system=_text(_SYSTEMS, 20), value=values)


@_shared
def registration_numbers() -> SearchStrategy[RegistrationNumber]:
    """Organisation numbers (VAT, SIREN, EIN, ...), with or without an issuing country."""
    values = st.text(string.ascii_uppercase + string.digits + " -", min_size=1, max_size=16)
    return st.builds(
        RegistrationNumber,
        scheme=st.sampled_from(_SCHEMES),
        value=values.filter(_not_blank),
        country=_maybe(st.sampled_from(sorted(COUNTRY_CODES))),
    )


@_shared
def notes() -> SearchStrategy[Note]:
    """Dated free-text notes, multi-line some of the time, with an optional author."""
    return st.builds(
        Note,
        text=_text(_NOTE_TEXTS, 200),
        author=_maybe(_full_names()),
        created_at=_maybe(aware_datetimes()),
    )


@_shared
def communication_preferences() -> SearchStrategy[CommunicationPreferences]:
    """A preferred channel and per-channel opt-ins, each possibly unknown (``None``)."""
    flags = _maybe(st.booleans())
    return st.builds(
        CommunicationPreferences,
        preferred_channel=_maybe(st.sampled_from(Channel)),
        email_opt_in=flags,
        sms_opt_in=flags,
        phone_opt_in=flags,
        post_opt_in=flags,
    )


@_shared
def social_engagements() -> SearchStrategy[SocialEngagement]:
    """Non-negative counts of likes, shares, comments and follows."""
    count = st.integers(0, 100_000)
    return st.builds(SocialEngagement, likes=count, shares=count, comments=count, follows=count)


@_shared
def quarantined_values() -> SearchStrategy[QuarantinedValue]:
    """Values set aside by lenient reading: any text (blank too), a path, a code, a reason."""
    return st.builds(
        QuarantinedValue,
        path=st.sampled_from(_QUARANTINE_PATHS),
        value=st.text(st.characters(codec="utf-8"), max_size=40),
        code=st.sampled_from(_QUARANTINE_CODES),
        reason=st.sampled_from(("not a phone number", "not a valid email address", "not a date")),
        at=_maybe(aware_datetimes()),
    )


# -- custom fields --------------------------------------------------------------------------


@_shared
def custom_values(kind: CustomType) -> SearchStrategy[CustomValue]:
    """Values of one :class:`CustomType`.

    As :class:`~crmcore.CustomFields` requires, text is never blank and decimals are finite;
    integers fit in 64 bits, instants are timezone-aware, string lists hold up to three items.
    """
    by_kind: dict[CustomType, SearchStrategy[Any]] = {
        CustomType.STRING: _free_text(40),
        CustomType.INTEGER: st.integers(-(2**63), 2**63 - 1),
        CustomType.DECIMAL: st.decimals(allow_nan=False, allow_infinity=False),
        CustomType.BOOLEAN: st.booleans(),
        CustomType.DATE: st.dates(),
        CustomType.DATETIME: aware_datetimes(),
        CustomType.STRINGS: _tuples(_free_text(20)),
    }
    return by_kind[kind]


@_shared
def custom_fields(
    schema: CustomSchema, category: Category | None = None
) -> SearchStrategy[CustomFields]:
    """Custom fields that fit ``schema``: each declared field present or absent, typed right.

    With ``category``, only the fields declared in that category, as one facet holds them.
    """
    specs = [spec for spec in schema.fields if category is None or spec.category is category]
    optional = {spec.name: custom_values(spec.type) for spec in specs}
    return st.fixed_dictionaries({}, optional=optional).map(CustomFields)


def _custom_names() -> SearchStrategy[str]:
    """Lower-case identifiers, as custom-field names must be."""
    tail = st.text(string.ascii_lowercase + string.digits + "_", max_size=11)
    return st.builds(str.__add__, st.sampled_from(string.ascii_lowercase), tail)


def _spec(name: str, kind: CustomType, category: Category, personal: bool) -> CustomFieldSpec:
    privacy = PrivacyCategory.FREE_TEXT if personal else PrivacyCategory.NONE
    return CustomFieldSpec(name, kind, category, personal=personal, privacy=privacy)


@_shared
def custom_schemas(record_type: type[Record], max_fields: int = 7) -> SearchStrategy[CustomSchema]:
    """Custom-field schemas for ``record_type``: unique names, any type, category and privacy."""
    if record_type not in RECORD_TYPES:
        raise InvalidArgument(f"{record_type!r} is not a crmcore record type")
    specs = st.lists(
        st.builds(
            _spec,
            _custom_names(),
            st.sampled_from(CustomType),
            st.sampled_from(Category),
            st.booleans(),
        ),
        max_size=max_fields,
        unique_by=lambda spec: spec.name,
    )
    return st.builds(CustomSchema, st.just(record_type), specs)
