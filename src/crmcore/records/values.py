"""Value objects: names, contact points, money and the small structures records are made of.

Each is a frozen, slotted attrs class validated on construction. Contact points (emails,
phones, postal addresses) carry a label, a primary flag and their own provenance.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records import _checks as check
from crmcore.records import _coerce as coerce
from crmcore.records._contact_text import _plain_ascii_email as _plain_ascii_email
from crmcore.records._contact_text import email_text, phone_text
from crmcore.records._contact_text import normalise_email as normalise_email
from crmcore.records._contact_text import parse_phone as parse_phone
from crmcore.records._contact_text import read_phone as read_phone
from crmcore.records._init import lean_init
from crmcore.records._language import language_tag
from crmcore.records._meta import PrivacyCategory as P
from crmcore.records._meta import meta, redacted
from crmcore.records._pickle import Compact
from crmcore.records.enums import Channel, Source

__all__ = [
    "CommunicationPreferences",
    "ContactPoint",
    "EmailAddress",
    "ExternalId",
    "Money",
    "Note",
    "PersonName",
    "PhoneNumber",
    "PostalAddress",
    "QuarantinedValue",
    "RegistrationNumber",
    "SocialEngagement",
    "language_tag",
]


@lean_init
@attrs.frozen
class ContactPoint(Compact):
    """What every contact point (email, phone, postal address) carries besides its value.

    A label, a primary flag and its own provenance, all keyword-only.
    """

    label: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=check.text,
        metadata=meta("A free label such as 'work' or 'home'."),
    )
    primary: bool = attrs.field(
        default=False,
        kw_only=True,
        validator=check.required_flag,
        metadata=meta("Whether this is the preferred point of its kind."),
    )
    source: Source | None = attrs.field(
        default=None,
        kw_only=True,
        converter=coerce.source,
        validator=check.member_of(Source),
        metadata=meta("Where the value was collected."),
    )
    collected_at: datetime | None = attrs.field(
        default=None,
        kw_only=True,
        validator=check.aware,
        metadata=meta("When the value was collected."),
    )
    verified_at: datetime | None = attrs.field(
        default=None,
        kw_only=True,
        validator=check.aware,
        metadata=meta("When the value was last confirmed correct."),
    )


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class PersonName(Compact):
    """A person's name in parts, keyword-only; any part may be missing.

    >>> PersonName(given="Anne-Sophie", family="de la Tour").display
    'Anne-Sophie de la Tour'
    """

    prefix: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Honorific such as 'Dr' or 'Mme'.", personal=True, privacy=P.NAME),
    )
    given: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Given (first) name.", personal=True, privacy=P.NAME),
    )
    middle: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Middle names or initials.", personal=True, privacy=P.NAME),
    )
    family: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Family (last) name, particles included.", personal=True, privacy=P.NAME),
    )
    suffix: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Suffix such as 'Jr.' or 'III'.", personal=True, privacy=P.NAME),
    )

    @property
    def display(self) -> str:
        """The parts that are present, joined by spaces."""
        parts = (self.prefix, self.given, self.middle, self.family, self.suffix)
        return " ".join(part for part in parts if part)


_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s.][^@\s]*\Z")


def _email_default(self: EmailAddress) -> str:
    email_text(self.address, "address")  # before the cache, which needs a hashable value
    return normalise_email(self.address)


def _email_address(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    check.required_text(_, attribute, value)
    email_text(value, attribute.name)


def _email_normalised(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    email_text(value, attribute.name)
    if not _EMAIL_SHAPE.match(value):
        raise InvalidValueError(
            "not a normalised email address", field=attribute.name, code="email.not_normalised"
        )


@redacted
@lean_init
@attrs.frozen
class EmailAddress(ContactPoint):
    """An email address as it was given, beside its normalised form.

    The normalised form is computed (syntax checked through email-validator, no DNS) unless it
    is given, as it is when reading crmcore's own output back.

    >>> EmailAddress("Jean.Dupont@Example.COM").normalised
    'Jean.Dupont@example.com'
    """

    address: str = attrs.field(
        validator=_email_address,
        metadata=meta("The address as given.", personal=True, privacy=P.CONTACT_EMAIL),
    )
    normalised: str = attrs.field(
        default=attrs.Factory(_email_default, takes_self=True),
        kw_only=True,
        validator=_email_normalised,
        metadata=meta(
            "The normalised address (domain in lower case, Unicode NFC).",
            personal=True,
            privacy=P.CONTACT_EMAIL,
        ),
    )

    @property
    def domain(self) -> str:
        """The domain part of the normalised address."""
        return self.normalised.rpartition("@")[2]


_E164 = re.compile(r"\+[1-9][0-9]{1,14}\Z")
_REGION = re.compile(r"(?:[A-Z]{2}|001)\Z")


def _phone_e164(self: PhoneNumber) -> str:
    phone_text(self.number, "number")  # before the cache, which needs hashable values
    if self.region is not None and not isinstance(self.region, str):
        raise InvalidValueError("not a region code", field="region", code="region.unknown")
    return parse_phone(self.number, self.region)[0]


def _phone_extension(self: PhoneNumber) -> str | None:
    if not isinstance(self.number, str) or not isinstance(self.region, (str, type(None))):
        return None  # refused by the validators
    try:
        return parse_phone(self.number, self.region)[1]
    except InvalidValueError:
        return None  # the E.164 form was given; it is checked on its own


def _phone_number(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    check.required_text(_, attribute, value)
    phone_text(value, attribute.name)


def _e164(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _E164.match(value):
        raise InvalidValueError("not an E.164 number", field=attribute.name, code="phone.not_e164")


def _region(_: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not _REGION.match(value)):
        raise InvalidValueError("not a region code", field=attribute.name, code="region.unknown")


@redacted
@lean_init
@attrs.frozen
class PhoneNumber(ContactPoint):
    """A phone number as given, the region it was read in, and its E.164 form.

    The E.164 form is computed through phonenumbers unless it is given.

    >>> PhoneNumber("020 7946 0958", region="GB").e164
    '+442079460958'
    """

    number: str = attrs.field(
        validator=_phone_number,
        metadata=meta("The number as given.", personal=True, privacy=P.CONTACT_PHONE),
    )
    region: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=_region,
        metadata=meta("The region (ISO 3166-1 alpha-2) the number was read in."),
    )
    e164: str = attrs.field(
        default=attrs.Factory(_phone_e164, takes_self=True),
        kw_only=True,
        validator=_e164,
        metadata=meta("The number in E.164 form.", personal=True, privacy=P.CONTACT_PHONE),
    )
    extension: str | None = attrs.field(
        default=attrs.Factory(_phone_extension, takes_self=True),
        kw_only=True,
        validator=check.text,
        metadata=meta("An extension, if any.", personal=True, privacy=P.CONTACT_PHONE),
    )


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class PostalAddress(ContactPoint):
    """A postal address, keyword-only; ``country`` is an ISO 3166-1 alpha-2 code.

    >>> PostalAddress(lines=("10 rue de Rivoli",), locality="Paris", country="FR").country
    'FR'
    """

    lines: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.text_items,
        validator=check.texts,
        metadata=meta("Street lines.", personal=True, privacy=P.POSTAL_ADDRESS),
    )
    locality: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("City, town or village.", personal=True, privacy=P.POSTAL_ADDRESS),
    )
    region: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta(
            "State, province, county or region.", personal=True, privacy=P.POSTAL_ADDRESS
        ),
    )
    postal_code: str | None = attrs.field(
        default=None,
        validator=check.text,
        metadata=meta("Postal or ZIP code.", personal=True, privacy=P.POSTAL_ADDRESS),
    )
    country: str | None = attrs.field(
        default=None,
        validator=check.country,
        metadata=meta("ISO 3166-1 alpha-2 country code."),
    )


@lean_init
@attrs.frozen
class Money(Compact):
    """An amount in a currency: a Decimal and an ISO 4217 code, never a float.

    The amount may be given as a Decimal, a whole number or a decimal text; it is stored as a
    Decimal, as given (``"19.90"`` keeps its two places). It has at most 20 digits before the
    decimal point and 18 after (see :mod:`crmcore.records.limits`).

    >>> Money(Decimal("19.90"), "EUR")
    Money(amount=Decimal('19.90'), currency='EUR')
    >>> Money("19.90", "EUR") == Money(Decimal("19.90"), "EUR")
    True
    """

    amount: Decimal = attrs.field(
        converter=check.amount, validator=check.decimal, metadata=meta("The amount.")
    )
    currency: str = attrs.field(validator=check.currency, metadata=meta("ISO 4217 code."))


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class ExternalId(Compact):
    """The id of the same record in another system (another CRM, a billing tool, ...).

    Keyword-only: ``ExternalId(system="billing", value="C-1042")``.
    """

    system: str = attrs.field(
        validator=check.required_text, metadata=meta("The system that issued the id.")
    )
    value: str = attrs.field(
        validator=check.required_text,
        metadata=meta("The id in that system.", personal=True, privacy=P.IDENTIFIER),
    )


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class RegistrationNumber(Compact):
    """An organisation's official number: a VAT, SIREN, EIN or company-register number.

    Keyword-only: ``RegistrationNumber(scheme="SIREN", value="552100554", country="FR")``.
    """

    scheme: str = attrs.field(
        validator=check.required_text, metadata=meta("The scheme, such as 'VAT' or 'SIREN'.")
    )
    value: str = attrs.field(validator=check.required_text, metadata=meta("The number."))
    country: str | None = attrs.field(
        default=None, validator=check.country, metadata=meta("The issuing country, alpha-2.")
    )


@redacted
@lean_init
@attrs.frozen
class Note(Compact):
    """A dated piece of free text and who wrote it; ``author`` and ``created_at`` are keywords."""

    text: str = attrs.field(
        validator=check.required_text,
        metadata=meta("The note.", personal=True, privacy=P.FREE_TEXT),
    )
    author: str | None = attrs.field(
        default=None,
        kw_only=True,
        validator=check.text,
        metadata=meta("Who wrote it.", personal=True, privacy=P.NAME),
    )
    created_at: datetime | None = attrs.field(
        default=None, kw_only=True, validator=check.aware, metadata=meta("When it was written.")
    )


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class CommunicationPreferences(Compact):
    """How someone wants to be reached, keyword-only; ``None`` means unknown, never consent."""

    preferred_channel: Channel | None = attrs.field(
        default=None,
        converter=coerce.channel,
        validator=check.member_of(Channel),
        metadata=meta("The preferred channel.", personal=True, privacy=P.PREFERENCE),
    )
    email_opt_in: bool | None = attrs.field(
        default=None,
        validator=check.flag,
        metadata=meta("Opted in to email.", personal=True, privacy=P.PREFERENCE),
    )
    sms_opt_in: bool | None = attrs.field(
        default=None,
        validator=check.flag,
        metadata=meta("Opted in to SMS.", personal=True, privacy=P.PREFERENCE),
    )
    phone_opt_in: bool | None = attrs.field(
        default=None,
        validator=check.flag,
        metadata=meta("Opted in to calls.", personal=True, privacy=P.PREFERENCE),
    )
    post_opt_in: bool | None = attrs.field(
        default=None,
        validator=check.flag,
        metadata=meta("Opted in to post.", personal=True, privacy=P.PREFERENCE),
    )


@redacted
@lean_init
@attrs.frozen(kw_only=True)
class SocialEngagement(Compact):
    """Counts of interactions on social media, keyword-only."""

    likes: int = attrs.field(
        default=0,
        validator=check.count,
        metadata=meta("Likes.", personal=True, privacy=P.BEHAVIOURAL),
    )
    shares: int = attrs.field(
        default=0,
        validator=check.count,
        metadata=meta("Shares.", personal=True, privacy=P.BEHAVIOURAL),
    )
    comments: int = attrs.field(
        default=0,
        validator=check.count,
        metadata=meta("Comments.", personal=True, privacy=P.BEHAVIOURAL),
    )
    follows: int = attrs.field(
        default=0,
        validator=check.count,
        metadata=meta("Follows.", personal=True, privacy=P.BEHAVIOURAL),
    )


@redacted
@lean_init
@attrs.frozen
class QuarantinedValue(Compact):
    """A value that could not be read or repaired, kept aside on its record rather than lost.

    ``path`` is where it was meant to go (``identity.phones[1]``); ``value`` is the text as it
    came (non-text input in its JSON form); ``code`` is the stable code of the reason.
    """

    path: str = attrs.field(
        validator=check.required_text, metadata=meta("Where it was meant to go.")
    )
    value: str = attrs.field(
        validator=check.any_text,
        metadata=meta("The value as it came.", personal=True, privacy=P.FREE_TEXT),
    )
    code: str = attrs.field(
        validator=check.required_text, metadata=meta("Stable code of the reason.")
    )
    reason: str = attrs.field(
        validator=check.required_text, metadata=meta("Why it was set aside (never quotes it).")
    )
    at: datetime | None = attrs.field(
        default=None, validator=check.aware, metadata=meta("When it was set aside.")
    )
