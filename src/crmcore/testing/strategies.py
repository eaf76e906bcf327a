"""Hypothesis strategies for crmcore's value objects and records.

Every value is built through its class's constructor, so it passes the same checks as data read
by :func:`crmcore.from_dict`, and goes further where a constructor is lenient: phone numbers are
*valid* for their region (not only possible), amounts carry the minor units of their currency,
and every email address is one that email-validator accepts. Names, addresses and free text mix
real-world shapes (particles, accents, hyphens, non-Latin scripts) with arbitrary Unicode.

The strategies compose like any other::

    from hypothesis import given
    from crmcore import Contact, from_dict, to_dict
    from crmcore.testing import strategies as crm_st

    @given(crm_st.contacts())
    def test_contacts_survive_my_etl(contact):
        assert from_dict(Contact, to_dict(contact)) == contact

No strategy reads the clock or the network: instants and dates lie between fixed bounds.
Hypothesis is the ``testing`` extra: ``pip install "crmcore[testing]"``.
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
    from hypothesis.strategies import SearchStrategy
except ModuleNotFoundError as exc:  # pragma: no cover - tested with hypothesis hidden
    if exc.name is None or exc.name.partition(".")[0] != "hypothesis":
        raise
    raise ImportError(
        "crmcore.testing.strategies needs Hypothesis, which crmcore installs only with its "
        "'testing' extra: pip install 'crmcore[testing]'"
    ) from exc

import functools
import string
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar, cast

import attrs
import phonenumbers

from crmcore._iso import COUNTRY_CODES, currency_by_code
from crmcore.convert import to_dict
from crmcore.records import (
    RECORD_TYPES,
    Account,
    AccountDescriptive,
    AccountIdentity,
    AccountQualitative,
    AccountQuantitative,
    AccountType,
    Activity,
    ActivityDescriptive,
    ActivityIdentity,
    ActivityKind,
    ActivityQualitative,
    ActivityQuantitative,
    ActivityStatus,
    Category,
    Channel,
    CommunicationPreferences,
    Contact,
    ContactDescriptive,
    ContactIdentity,
    ContactQualitative,
    ContactQuantitative,
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    CustomValue,
    Deal,
    DealDescriptive,
    DealIdentity,
    DealQualitative,
    DealQuantitative,
    DealType,
    Direction,
    EmailAddress,
    ExternalId,
    Health,
    LifecycleStage,
    Money,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    PrivacyCategory,
    QuarantinedValue,
    Record,
    RegistrationNumber,
    Satisfaction,
    Sentiment,
    SizeBand,
    SocialEngagement,
    Source,
)

__all__ = [
    "DEFAULT_CURRENCIES",
    "DEFAULT_PHONE_REGIONS",
    "UTC_OFFSETS",
    "accounts",
    "activities",
    "aware_datetimes",
    "communication_preferences",
    "contact_dicts",
    "contacts",
    "custom_fields",
    "custom_schemas",
    "custom_values",
    "deals",
    "emails",
    "external_ids",
    "money",
    "notes",
    "person_names",
    "phones",
    "postal_addresses",
    "quarantined_values",
    "records",
    "registration_numbers",
    "social_engagements",
]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R", bound=Record)
AnyRecord = Contact | Account | Deal | Activity

DEFAULT_PHONE_REGIONS: tuple[str, ...] = (
    *("US", "GB", "FR", "DE", "ES", "IT", "NL"),
    *("BE", "CH", "AU", "BR", "IN", "JP", "CA"),
)
"""The regions :func:`phones` draws from unless told otherwise."""

DEFAULT_CURRENCIES: tuple[str, ...] = (
    *("EUR", "USD", "GBP", "CHF", "BRL", "INR"),
    *("JPY", "KRW", "ISK", "BHD", "KWD", "TND", "CLF"),
)
"""The currencies :func:`money` draws from unless told otherwise: 0, 2, 3 and 4 minor units."""

UTC_OFFSETS: tuple[timezone, ...] = (
    timezone.utc,
    *(
        timezone(timedelta(minutes=minutes))
        for minutes in (60, 120, 330, 345, 540, 765, 840, -180, -210, -300, -480, -570, -720)
    ),
)
"""The fixed offsets :func:`aware_datetimes` attaches: UTC and twelve others, half-hours too."""

_MIN_INSTANT = datetime(1970, 1, 1)
_MAX_INSTANT = datetime(2100, 1, 1)

# -- vocabulary -----------------------------------------------------------------------------

_GIVEN = (
    *("Anne-Sophie", "Jean-Luc", "Marie", "José", "Zoë", "Søren", "Łukasz", "Aoife", "Siobhán"),
    *("Björn", "François", "Hans-Peter", "Li", "Wei", "Yuki", "Ólafur", "Chloé", "Ngozi"),
    *("Mary-Kate", "Jürgen", "Thảo", "Ana Lucía", "Mohammed", "Priya", "Seán", "Dženan"),
)
_FAMILY = (
    *("de la Tour", "van der Berg", "O'Brien", "MacKenzie", "Nguyễn", "Müller", "Smith-Jones"),
    *("García Márquez", "d'Alembert", "von Neumann", "Ó Súilleabháin", "dos Santos", "Da Silva"),
    *("McAllister", "Le Guen", "ten Boom", "Al-Hassan", "Papadopoulos", "Øvergård", "Żółkiewski"),
    *("Núñez", "Kowalski", "Tanaka", "Chen", "Dubois", "Van Buren", "bin Laden-Smith"),
)
_PARTICLES = (
    *("de", "de la", "du", "van", "van der", "von", "da", "dos", "di", "del", "ter", "le"),
    *("Mac", "Mc", "O'", "d'", "Al-", "bin", "ibn"),
)
_PREFIXES = ("Dr", "Dr.", "Mme", "M.", "Mr", "Mrs", "Ms", "Mx", "Prof.", "Herr", "Frau", "Sra.")
_SUFFIXES = ("Jr.", "Sr.", "II", "III", "IV", "PhD", "MD", "Esq.")
_MIDDLE = ("J.", "Q.", "Marie", "Ann", "de Paula", "Maria José")
_NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœßłńśźżčšžřěőűğđ"

_ATOM = string.ascii_letters + string.digits + "_-"
_UNICODE_ATOM = string.ascii_letters + "àâçéèêëîïôûùüÿñæœøåäößÀÉÈÖÜÑ"
_UNICODE_LOCALS = (
    *("josé", "françois.dupont", "müller", "søren", "δοκιμή", "пользователь", "用户"),
    *("ユーザー", "nguyễn.văn", "Zoë.Łukasz"),
)
_DOMAIN_LABELS = (
    *("mail", "post", "acme", "northwind", "contoso", "globex", "initech", "fabrikam"),
    *("kaufhaus", "correo", "posta", "société", "bücher", "müller-bau", "sunrise", "online"),
)
# None of these is a special-use or reserved name (RFC 6761, 6762, 7686, 8375: test, invalid,
# local, localhost, onion, arpa), which email-validator refuses.
_TLDS = (
    *("com", "org", "net", "fr", "de", "es", "it", "nl", "be", "ch", "io", "eu", "info"),
    *("co.uk", "org.uk", "com.au", "com.br", "co.jp", "ca", "in", "рф"),
)
_LABELS = ("work", "home", "personal", "billing", "mobile", "office", "other")

_STREETS = (
    *("10 rue de Rivoli", "221B Baker Street", "Flat 3", "Kurfürstendamm 21", "Via Roma 1"),
    *("Calle de Alcalá 42", "Postbus 123", "1600 Amphitheatre Pkwy", "Suite 400", "c/o Müller"),
)
_LOCALITIES = ("Paris", "London", "Berlin", "Madrid", "Milano", "Bruxelles", "Zürich", "São Paulo")
_REGIONS = ("Île-de-France", "Greater London", "Bayern", "CA", "NSW", "Ontario", "Vaud", "Goa")
_POSTAL_CODES = ("75001", "SW1A 1AA", "10115", "28014", "20121", "1000", "8001", "94043-1351")
_COMPANIES = (
    *("Acme SA", "Northwind Traders", "Müller & Söhne GmbH", "Société Générale des Eaux"),
    *("Contoso Ltd", "Globex Corporation", "株式会社テスト", "O'Reilly Media"),
)
_INDUSTRIES = ("Software", "Retail", "Manufacturing", "Health care", "Logistics", "Banking")
_TERRITORIES = ("EMEA", "North America", "APAC", "DACH", "Benelux", "LATAM")
_JOBS = ("Head of Procurement", "CTO", "Directrice commerciale", "Buyer", "Office manager")
_LANGUAGES = ("en", "en-GB", "fr", "fr-CA", "de-CH", "pt-BR", "ja", "zh-Hant-TW", "nl")
_GENDERS = ("female", "male", "non-binary", "woman", "man", "prefers not to say")
_REASONS = ("price", "support quality", "integrations", "faster onboarding", "data residency")
_NOTE_TEXTS = (
    "Called back, wants a demo next week.",
    "Prefers email; do not call before 10:00.",
    "Rappeler après le salon.\nBudget validé.",
    "Asked for the DPA and the list of sub-processors.",
)
_SYSTEMS = ("salesforce", "hubspot", "stripe", "zendesk", "netsuite", "mailchimp", "legacy-crm")
_SCHEMES = ("VAT", "SIREN", "SIRET", "EIN", "CRN", "KVK", "HRB", "CNPJ", "ABN", "UID")
_PIPELINES = ("default", "enterprise", "partners", "renewals")
_STAGES = ("qualification", "discovery", "proposal", "negotiation", "closed_won", "closed_lost")
_PRODUCTS = ("SKU-1001", "Pro plan", "Enterprise plan", "Onboarding pack", "Support 24/7")
_SUBJECTS = ("Quarterly review", "Re: invoice 2024-117", "Demo", "Ticket #4521", "Welcome call")
_QUARANTINE_PATHS = ("identity.phones[0]", "identity.emails[1]", "identity.birth_date", "id")
_QUARANTINE_CODES = ("phone.invalid", "email.invalid_syntax", "date.unreadable", "text.blank")

# -- building blocks ------------------------------------------------------------------------


def _shared(function: Callable[P, SearchStrategy[T]]) -> Callable[P, SearchStrategy[T]]:
    """Build a strategy once per distinct arguments (which must be hashable).

    Strategies are immutable values, and Hypothesis validates a strategy tree once per object:
    sharing them keeps drawing from freshly built record strategies (one per schema) fast. The
    cache is bounded, so drawing many schemas does not grow memory without end.
    """
    return cast(Callable[P, SearchStrategy[T]], functools.lru_cache(maxsize=256)(function))


def _maybe(strategy: SearchStrategy[T]) -> SearchStrategy[T | None]:
    return st.none() | strategy


def _tuples(strategy: SearchStrategy[T], max_size: int = 3) -> SearchStrategy[tuple[T, ...]]:
    return st.lists(strategy, max_size=max_size).map(tuple)


def _not_blank(text: str) -> bool:
    return bool(text.strip())


@_shared
def _free_text(max_size: int = 40) -> SearchStrategy[str]:
    """Any non-blank Unicode text that UTF-8 can encode."""
    return st.text(st.characters(codec="utf-8"), min_size=1, max_size=max_size).filter(_not_blank)


@_shared
def _text(vocabulary: tuple[str, ...], max_size: int = 40) -> SearchStrategy[str]:
    """A word from ``vocabulary`` or any non-blank text."""
    return st.sampled_from(vocabulary) | _free_text(max_size)


@_shared
def _counts(max_value: int = 100_000) -> SearchStrategy[int | None]:
    return _maybe(st.integers(0, max_value))


@_shared
def _fractions() -> SearchStrategy[float | None]:
    return _maybe(st.floats(0, 1))


@_shared
def _dates(low: date = date(1970, 1, 1), high: date = date(2100, 12, 31)) -> SearchStrategy[date]:
    return st.dates(low, high)


@_shared
def _ids(prefix: str) -> SearchStrategy[str]:
    """Record ids: ``prefix-123``, a UUID, or any non-blank text."""
    return st.one_of(
        st.integers(1, 10**9).map(lambda number: f"{prefix}-{number}"),
        st.uuids().map(str),
        _free_text(24),
    )


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


@_shared
def _name_word() -> SearchStrategy[str]:
    return st.text(_NAME_LETTERS, min_size=2, max_size=10).map(_capitalised)


def _with_particle(particle: str, word: str) -> str:
    glued = particle.endswith(("'", "-")) or particle in ("Mac", "Mc")
    return f"{particle}{word}" if glued else f"{particle} {word}"


@_shared
def _given_names() -> SearchStrategy[str]:
    hyphenated = st.builds("{}-{}".format, _name_word(), _name_word())
    return st.sampled_from(_GIVEN) | _name_word() | hyphenated


@_shared
def _family_names() -> SearchStrategy[str]:
    with_particle = st.builds(_with_particle, st.sampled_from(_PARTICLES), _name_word())
    return st.sampled_from(_FAMILY) | _name_word() | with_particle


@_shared
def _full_names() -> SearchStrategy[str]:
    return st.builds("{} {}".format, _given_names(), _family_names())


# -- instants and names ---------------------------------------------------------------------


@_shared
def aware_datetimes(
    min_value: datetime = _MIN_INSTANT, max_value: datetime = _MAX_INSTANT
) -> SearchStrategy[datetime]:
    """Timezone-aware instants at UTC or one of :data:`UTC_OFFSETS`, microseconds included.

    ``min_value`` and ``max_value`` are naive bounds on the local wall time (1970 to 2100 by
    default). The offsets are fixed, so every instant survives an ISO 8601 round trip.
    """
    if min_value.tzinfo is not None or max_value.tzinfo is not None:
        raise InvalidArgument("aware_datetimes takes naive bounds (on the local wall time)")
    return st.datetimes(min_value, max_value, timezones=st.sampled_from(UTC_OFFSETS))


@_shared
def person_names() -> SearchStrategy[PersonName]:
    """Person names in parts, any of them possibly ``None``, never blank.

    Family names carry particles and apostrophes ("de la Tour", "van der Berg", "O'Brien",
    "MacKenzie"), accents and other scripts ("Nguyễn", "Müller", "Żółkiewski"); given names are
    often hyphenated ("Anne-Sophie").
    """
    return st.builds(
        PersonName,
        prefix=_maybe(st.sampled_from(_PREFIXES)),
        given=_maybe(_given_names()),
        middle=_maybe(st.sampled_from(_MIDDLE) | _given_names()),
        family=_maybe(_family_names()),
        suffix=_maybe(st.sampled_from(_SUFFIXES)),
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


# -- records --------------------------------------------------------------------------------


def _customs(
    record_type: type[Record], schema: CustomSchema | None
) -> dict[Category, SearchStrategy[CustomFields]]:
    if schema is not None and schema.record_type is not record_type:
        raise InvalidArgument(
            f"the schema is for {schema.record_type.__name__}, not {record_type.__name__}"
        )
    if schema is None:
        return {category: st.just(CustomFields()) for category in Category}
    return {category: custom_fields(schema, category) for category in Category}


def _in_order(record: R) -> R:
    """Swap the creation and update instants if the update came first."""
    created, updated = record.created_at, record.updated_at
    if created is not None and updated is not None and updated < created:
        return attrs.evolve(record, created_at=updated, updated_at=created)
    return record


def _record(cls: type[R], prefix: str, **facets: SearchStrategy[Any]) -> SearchStrategy[R]:
    built = st.builds(
        cls,
        id=_ids(prefix),
        created_at=_maybe(aware_datetimes()),
        updated_at=_maybe(aware_datetimes()),
        source=_maybe(st.sampled_from(Source)),
        last_verified_at=_maybe(aware_datetimes()),
        quarantine=st.just(()) | _tuples(quarantined_values(), max_size=2),
        **facets,
    )
    return built.map(_in_order)


@_shared
def contacts(schema: CustomSchema | None = None) -> SearchStrategy[Contact]:
    """Contacts with every facet filled or left empty at random; custom fields per ``schema``.

    Emails, phones and addresses come from :func:`emails`, :func:`phones` and
    :func:`postal_addresses`; counts are non-negative, ``nps`` runs from 0 to 10. Several
    contact points may be marked primary, as they are in real CRM data.
    """
    custom = _customs(Contact, schema)
    identity = st.builds(
        ContactIdentity,
        name=person_names(),
        emails=_tuples(emails()),
        phones=_tuples(phones()),
        addresses=_tuples(postal_addresses()),
        birth_date=_maybe(_dates(date(1900, 1, 1), date(2010, 12, 31))),
        organisation=_maybe(_text(_COMPANIES)),
        account_ref=_maybe(_ids("acc")),
        account_number=_maybe(st.text(string.digits, min_size=4, max_size=12)),
        external_ids=_tuples(external_ids()),
        custom=custom[Category.IDENTITY],
    )
    descriptive = st.builds(
        ContactDescriptive,
        job_title=_maybe(_text(_JOBS)),
        profession=_maybe(_text(_JOBS)),
        industry=_maybe(_text(_INDUSTRIES)),
        territory=_maybe(_text(_TERRITORIES)),
        organisation_size=_maybe(st.sampled_from(SizeBand)),
        lifecycle_stage=_maybe(st.sampled_from(LifecycleStage)),
        lead_source=_maybe(st.sampled_from(Source)),
        language=_maybe(st.sampled_from(_LANGUAGES)),
        gender=_maybe(_text(_GENDERS, 20)),
        communication=communication_preferences(),
        custom=custom[Category.DESCRIPTIVE],
    )
    qualitative = st.builds(
        ContactQualitative,
        satisfaction=_maybe(st.sampled_from(Satisfaction)),
        motivations=_tuples(_text(_REASONS)),
        interest_reasons=_tuples(_text(_REASONS)),
        wished_attributes=_tuples(_text(_REASONS)),
        pain_points=_tuples(_text(_REASONS)),
        notes=_tuples(notes()),
        custom=custom[Category.QUALITATIVE],
    )
    quantitative = st.builds(
        ContactQuantitative,
        email_opens=_counts(),
        email_clicks=_counts(),
        purchase_count=_counts(),
        total_spent=_maybe(money()),
        last_purchase_on=_maybe(_dates()),
        lifetime_value=_maybe(money()),
        tickets_filed=_counts(),
        tickets_open=_counts(),
        social=_maybe(social_engagements()),
        nps=_maybe(st.integers(0, 10)),
        custom=custom[Category.QUANTITATIVE],
    )
    return _record(
        Contact,
        "con",
        identity=identity,
        descriptive=descriptive,
        qualitative=qualitative,
        quantitative=quantitative,
    )


@_shared
def accounts(schema: CustomSchema | None = None) -> SearchStrategy[Account]:
    """Accounts (organisations) with phones, addresses, registration numbers and figures."""
    custom = _customs(Account, schema)
    identity = st.builds(
        AccountIdentity,
        name=_maybe(_text(_COMPANIES)),
        legal_name=_maybe(_text(_COMPANIES)),
        domains=_tuples(_domains()),
        registration_numbers=_tuples(registration_numbers()),
        account_number=_maybe(st.text(string.digits, min_size=4, max_size=12)),
        addresses=_tuples(postal_addresses()),
        phones=_tuples(phones()),
        external_ids=_tuples(external_ids()),
        custom=custom[Category.IDENTITY],
    )
    descriptive = st.builds(
        AccountDescriptive,
        industry=_maybe(_text(_INDUSTRIES)),
        size_band=_maybe(st.sampled_from(SizeBand)),
        territory=_maybe(_text(_TERRITORIES)),
        account_type=_maybe(st.sampled_from(AccountType)),
        parent_ref=_maybe(_ids("acc")),
        custom=custom[Category.DESCRIPTIVE],
    )
    qualitative = st.builds(
        AccountQualitative,
        health=_maybe(st.sampled_from(Health)),
        reasons=_tuples(_text(_REASONS)),
        notes=_tuples(notes()),
        custom=custom[Category.QUALITATIVE],
    )
    quantitative = st.builds(
        AccountQuantitative,
        employees=_counts(500_000),
        annual_revenue=_maybe(money()),
        open_deals=_counts(1_000),
        recurring_revenue=_maybe(money()),
        tickets_filed=_counts(),
        tickets_open=_counts(),
        custom=custom[Category.QUANTITATIVE],
    )
    return _record(
        Account,
        "acc",
        identity=identity,
        descriptive=descriptive,
        qualitative=qualitative,
        quantitative=quantitative,
    )


@_shared
def deals(schema: CustomSchema | None = None) -> SearchStrategy[Deal]:
    """Deals with a pipeline stage, amounts, and a probability and discount from 0 to 1."""
    custom = _customs(Deal, schema)
    identity = st.builds(
        DealIdentity,
        name=_maybe(_text(_PRODUCTS)),
        account_ref=_maybe(_ids("acc")),
        contact_refs=_tuples(_ids("con")),
        external_ids=_tuples(external_ids()),
        custom=custom[Category.IDENTITY],
    )
    descriptive = st.builds(
        DealDescriptive,
        pipeline=_maybe(_text(_PIPELINES, 20)),
        stage=_maybe(_text(_STAGES, 20)),
        deal_type=_maybe(st.sampled_from(DealType)),
        source=_maybe(st.sampled_from(Source)),
        owner=_maybe(_full_names()),
        expected_close_on=_maybe(_dates()),
        products=_tuples(_text(_PRODUCTS)),
        custom=custom[Category.DESCRIPTIVE],
    )
    qualitative = st.builds(
        DealQualitative,
        interest_reason=_maybe(_text(_REASONS)),
        loss_reason=_maybe(_text(_REASONS)),
        next_step=_maybe(_text(_NOTE_TEXTS, 80)),
        competitor_notes=_maybe(_text(_NOTE_TEXTS, 80)),
        custom=custom[Category.QUALITATIVE],
    )
    quantitative = st.builds(
        DealQuantitative,
        amount=_maybe(money()),
        probability=_fractions(),
        expected_revenue=_maybe(money()),
        days_in_stage=_counts(3_650),
        discount=_fractions(),
        custom=custom[Category.QUANTITATIVE],
    )
    return _record(
        Deal,
        "deal",
        identity=identity,
        descriptive=descriptive,
        qualitative=qualitative,
        quantitative=quantitative,
    )


@_shared
def activities(schema: CustomSchema | None = None) -> SearchStrategy[Activity]:
    """Activities (calls, emails, meetings, purchases, ...) with their references and numbers."""
    custom = _customs(Activity, schema)
    identity = st.builds(
        ActivityIdentity,
        contact_refs=_tuples(_ids("con")),
        account_refs=_tuples(_ids("acc")),
        deal_refs=_tuples(_ids("deal")),
        external_ids=_tuples(external_ids()),
        custom=custom[Category.IDENTITY],
    )
    descriptive = st.builds(
        ActivityDescriptive,
        kind=_maybe(st.sampled_from(ActivityKind)),
        channel=_maybe(st.sampled_from(Channel)),
        direction=_maybe(st.sampled_from(Direction)),
        occurred_at=_maybe(aware_datetimes()),
        status=_maybe(st.sampled_from(ActivityStatus)),
        subject=_maybe(_text(_SUBJECTS)),
        custom=custom[Category.DESCRIPTIVE],
    )
    qualitative = st.builds(
        ActivityQualitative,
        outcome=_maybe(_text(_NOTE_TEXTS, 80)),
        sentiment=_maybe(st.sampled_from(Sentiment)),
        content=_maybe(_text(_NOTE_TEXTS, 200)),
        custom=custom[Category.QUALITATIVE],
    )
    quantitative = st.builds(
        ActivityQuantitative,
        duration_seconds=_counts(86_400),
        opens=_counts(1_000),
        clicks=_counts(1_000),
        amount=_maybe(money()),
        custom=custom[Category.QUANTITATIVE],
    )
    return _record(
        Activity,
        "act",
        identity=identity,
        descriptive=descriptive,
        qualitative=qualitative,
        quantitative=quantitative,
    )


def records(
    schema: CustomSchema | None = None, *, schemas: Iterable[CustomSchema] = ()
) -> SearchStrategy[AnyRecord]:
    """Records of any of the four types; each type's custom fields follow its schema, if any.

    Give one ``schema``, or several through ``schemas`` (at most one per record type, as a
    :class:`~crmcore.Converter` takes them).
    """
    by_type: dict[type[Any], CustomSchema] = {}
    for each in (*((schema,) if schema is not None else ()), *schemas):
        if each.record_type not in RECORD_TYPES:
            raise InvalidArgument("a schema's record type must be one of the four record types")
        if each.record_type in by_type:
            raise InvalidArgument("records takes at most one schema per record type")
        by_type[each.record_type] = each
    return st.one_of(
        contacts(by_type.get(Contact)),
        accounts(by_type.get(Account)),
        deals(by_type.get(Deal)),
        activities(by_type.get(Activity)),
    )


def contact_dicts(schema: CustomSchema | None = None) -> SearchStrategy[dict[str, Any]]:
    """Contacts as :func:`crmcore.to_dict` writes them: JSON-safe input for ETL tests."""
    return contacts(schema).map(to_dict)
