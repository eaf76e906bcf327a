"""The pydantic v2 model a competent user would write to check and tidy the messy contacts.

It reads the same rows as crmcore (``_messy.py``), nested the same way, and makes the checks
and repairs a pydantic user reaches for:

- text: surrounding whitespace stripped (``str_strip_whitespace``), inner runs of whitespace
  collapsed, empty optional text read as missing;
- names: as text, and put in title case when typed all in capitals or all in lower case;
- emails: ``EmailStr`` (pydantic's checks, then email-validator with deliverability off,
  keeping the normalised form);
- phones: pydantic-extra-types' phone validation (``phonenumbers.parse`` with a default region,
  ``is_valid_number``, E.164 formatting). The rows come from several countries and write most
  numbers nationally, which one fixed default region cannot read, so the region is the row's
  own country (read just before, from its address), else :data:`DEFAULT_REGION`: the
  validator of ``PhoneNumberValidator(default_region=...)`` for that region.
  :class:`FixedRegionContact` is the same model with ``PhoneNumber`` and one fixed default
  region, as the type alone allows; it refuses the national numbers of other countries;
- countries: alpha-2 codes, names and alpha-3 codes mapped to alpha-2 with the same table
  crmcore uses, then checked against the same ISO 3166-1 set;
- dates: ISO 8601 read by pydantic itself; anything else through a dateutil ``BeforeValidator``
  with ``dayfirst=True``; the birth date must be in the past (``PastDate``);
- unknown keys are refused (``extra="forbid"``); models are frozen.

What it does not do, and crmcore does: report each repair, keep what it cannot read in a
quarantine instead of refusing the row, read two-digit years, reject partial dates, lower-case
name particles (``de la Tour``), repair invisible characters and Unicode normal forms, merge an
email entered twice, and flag role and no-reply addresses, postal codes that do not fit their
country, unusual phone line types, phones of another country, implausible birth dates and
stale contact points. Those checks are crmcore's alone. On the checks both make (email syntax,
phone validity, country codes, complete dates), the benchmark holds both sides to the same
answers on every row.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from dateutil import parser as dateparser
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    PastDate,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_extra_types.phone_numbers import PhoneNumber, PhoneNumberValidator

from _messy import DEFAULT_REGION
from crmcore._iso import COUNTRY_CODES, lookup_country

__all__ = ["Contact", "FixedRegionContact", "ValidationError"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _collapse(text: str) -> str:
    return " ".join(text.split()) if "  " in text or "\t" in text or "\n" in text else text


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _name_case(text: str) -> str:
    return text.title() if text.isupper() or text.islower() else text


def _to_alpha2(value: Any) -> Any:
    if isinstance(value, str) and value not in COUNTRY_CODES:
        return lookup_country(value) or value
    return value


def _read_date(value: Any) -> Any:
    """ISO text is left to pydantic; any other text goes through dateutil, day first."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _ISO_DATE.match(text):
            return text
        return dateparser.parse(text, dayfirst=True).date()  # ParserError is a ValueError
    return value


Text = Annotated[str, AfterValidator(_collapse)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_to_none)]
Name = Annotated[OptionalText, AfterValidator(lambda v: v and _name_case(v))]
if TYPE_CHECKING:
    CountryCode = str
else:  # the same ISO 3166-1 alpha-2 set crmcore checks against
    CountryCode = Literal[tuple(sorted(COUNTRY_CODES))]
Country = Annotated[CountryCode | None, BeforeValidator(_to_alpha2)]
ReadDate = Annotated[date | None, BeforeValidator(_read_date)]
BirthDate = Annotated[PastDate | None, BeforeValidator(_read_date)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class PersonName(_Model):
    prefix: OptionalText = None
    given: Name = None
    middle: Name = None
    family: Name = None
    suffix: OptionalText = None


class PostalAddress(_Model):
    lines: tuple[Text, ...] = ()
    locality: OptionalText = None
    region: OptionalText = None
    postal_code: OptionalText = None
    country: Country = None


def _region_of(addresses: tuple[PostalAddress, ...] | None) -> str:
    for address in addresses or ():
        if address.country is not None:
            return address.country
    return DEFAULT_REGION


_PHONES: dict[str, TypeAdapter[str]] = {}


def _phone_reader(region: str) -> TypeAdapter[str]:
    """A phone type with ``region`` as its default region, made once per region."""
    found = _PHONES.get(region)
    if found is None:
        validator = PhoneNumberValidator(default_region=region, number_format="E164")
        found = _PHONES[region] = TypeAdapter(Annotated[str, validator])
    return found


class ContactIdentity(_Model):
    name: PersonName = Field(default_factory=PersonName)
    emails: tuple[EmailStr, ...] = ()
    # Declared before the phones, so that the phone validator sees them already read.
    addresses: tuple[PostalAddress, ...] = ()
    phones: tuple[str, ...] = ()
    birth_date: BirthDate = None
    organisation: OptionalText = None

    @field_validator("phones")
    @classmethod
    def _phones_in_the_region_of_the_address(
        cls, phones: tuple[str, ...], info: ValidationInfo
    ) -> tuple[str, ...]:
        if not phones:
            return phones
        # pydantic-extra-types' validation: parse in the default region, is_valid_number,
        # format in E.164. Its ValidationError is a ValueError: pydantic reports it here.
        read = _phone_reader(_region_of(info.data.get("addresses"))).validate_python
        return tuple(read(phone) for phone in phones)


class ContactDescriptive(_Model):
    job_title: OptionalText = None


class ContactQuantitative(_Model):
    last_purchase_on: ReadDate = None


class Contact(_Model):
    id: Text
    identity: ContactIdentity = Field(default_factory=ContactIdentity)
    descriptive: ContactDescriptive = Field(default_factory=ContactDescriptive)
    quantitative: ContactQuantitative = Field(default_factory=ContactQuantitative)


# -- the same with pydantic-extra-types' PhoneNumber and one fixed default region -------------


class DefaultRegionPhone(PhoneNumber):
    """``PhoneNumber`` reading national numbers in :data:`DEFAULT_REGION`, in E.164 form."""

    default_region_code = DEFAULT_REGION
    phone_format = "E164"


class FixedRegionIdentity(ContactIdentity):
    phones: tuple[DefaultRegionPhone, ...] = ()

    @field_validator("phones")
    @classmethod
    def _phones_in_the_region_of_the_address(
        cls, phones: tuple[str, ...], info: ValidationInfo
    ) -> tuple[str, ...]:
        return phones  # the type alone reads them, in the one default region


class FixedRegionContact(Contact):
    identity: FixedRegionIdentity = Field(default_factory=FixedRegionIdentity)
