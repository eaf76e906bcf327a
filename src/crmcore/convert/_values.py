"""Lenient readers for value objects: shorthand forms, lenient codes, phone regions.

A :class:`ValueHooks` turns the shapes ETL data comes in into the mapping each value class
expects, before the generated structuring function of that class runs:

- an email or a phone given as plain text; a note given as plain text;
- a country given as a name or an alpha-3 code (``"Allemagne"``, ``"deu"``);
- money given as ``"12.50 EUR"``, ``"EUR 12.50"`` or a bare number with a default currency,
  and as people write it (``"$1,234.50"``, ``"1.234,50 €"``, ``"(12.00)"``: see
  :mod:`crmcore.convert._money`), its amount read in the record's number style;
- external ids given as a mapping of system to id;
- a phone written in national form, read in the region of the record's own address
  (the primary one, else the first with a country) before the default region.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cattrs.gen import override

from crmcore._iso import COUNTRY_CODES, lookup_country
from crmcore.convert import _lenient as read
from crmcore.convert import _limits as limits
from crmcore.convert._locale import NumberStyle
from crmcore.convert._money import written_money
from crmcore.convert._prebuilt import Prebuilt
from crmcore.errors import CRMError, InvalidValueError
from crmcore.records.account import AccountIdentity
from crmcore.records.contact import ContactIdentity
from crmcore.records.values import (
    EmailAddress,
    ExternalId,
    Money,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    RegistrationNumber,
)

if TYPE_CHECKING:
    from crmcore.convert._host import ConverterHost

__all__ = ["ValueHooks", "address_region"]

_MONEY = re.compile(
    r"(?:(?P<pre>[A-Za-z]{3})\s*)?(?P<amount>[+-]?[0-9]+(?:\.[0-9]+)?)(?:\s*(?P<post>[A-Za-z]{3}))?\Z"
)


def _within(value: Any, limit: int, what: str, field: str | None, code: str) -> None:
    """Refuse text longer than ``limit`` (surrounding whitespace aside) before it is parsed."""
    if isinstance(value, str) and len(value) > limit and len(value.strip()) > limit:
        raise InvalidValueError(f"too long for {what}", field=field, code=code)


def _country(value: Any) -> Any:
    if (
        isinstance(value, str)
        and value not in COUNTRY_CODES
        and len(value) <= limits.COUNTRY_TEXT_MAX_LENGTH
    ):
        found = lookup_country(value)
        if found is not None:
            return found
    return value


def _without(data: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in keys}


class ValueHooks:
    """Registers the lenient readers of value objects on a :class:`Converter`."""

    def __init__(
        self,
        *,
        default_region: str | None,
        default_currency: str | None,
        verify: bool,
        numbers: NumberStyle,
    ) -> None:
        self.default_region = default_region
        self.default_currency = default_currency
        self.verify = verify
        self.numbers = numbers

    def amount(self, value: Any, _: Any) -> Decimal:
        """An amount of money, read in the number style of the record."""
        return read.read_amount(value, self.numbers.decimal, self.numbers.separator)

    def register(self, converter: ConverterHost) -> None:
        """Register every value class, with its shorthand reader, on ``converter``."""
        converter._register(EmailAddress, self.email, {})
        converter._register(PhoneNumber, self.phone, {})
        converter._register(PostalAddress, self.address, {})
        converter._register(Money, self.money, {"amount": override(struct_hook=self.amount)})
        converter._register(Note, self.note, {})
        converter._register(PersonName, self.name, {})
        converter._register(RegistrationNumber, self.registration, {})
        converter._register(ExternalId, None, {})
        external_ids = tuple[ExternalId, ...]
        external = converter.cattrs.get_structure_hook(external_ids)
        converter.cattrs.register_structure_hook_func(
            lambda kind: kind == external_ids,
            lambda value, kind: external(self.external_ids(value), kind),
        )
        converter.identity_prepare[ContactIdentity] = self.identity
        converter.identity_prepare[AccountIdentity] = self.identity

    def email(self, value: Any) -> Any:
        """An email as text or as a mapping; with ``verify``, drop the normalised form."""
        if isinstance(value, str):
            _within(value, limits.EMAIL_MAX_LENGTH, "an email address", "address", "email.too_long")
            return {"address": value}
        if isinstance(value, Mapping):
            for key in ("address", "normalised"):
                _within(
                    value.get(key),
                    limits.EMAIL_MAX_LENGTH,
                    "an email address",
                    key,
                    "email.too_long",
                )
            if self.verify:
                return _without(value, "normalised")
        return value

    def phone(self, value: Any) -> Any:
        """A phone as text or as a mapping, given the default region when it has none."""
        if isinstance(value, str):
            value = {"number": value}
        elif not isinstance(value, Mapping):
            return value
        for key in ("number", "e164", "extension"):
            _within(
                value.get(key),
                limits.PHONE_TEXT_MAX_LENGTH,
                "a phone number",
                key,
                "phone.too_long",
            )
        _within(
            value.get("region"),
            limits.CODE_TEXT_MAX_LENGTH,
            "a region",
            "region",
            "region.too_long",
        )
        if self.verify:
            value = _without(value, "e164", "extension")
        if "e164" not in value and read.is_blank(value.get("region")):
            value = {**value, "region": self.default_region}
        return value

    def address(self, value: Any) -> Any:
        """An address with its country by name or code; a bare string cannot be split."""
        if isinstance(value, str):
            raise InvalidValueError(
                "expected the parts of an address (lines, locality, ...)", code="value.wrong_type"
            )
        if isinstance(value, Mapping) and "country" in value:
            _within(
                value["country"],
                limits.COUNTRY_TEXT_MAX_LENGTH,
                "a country",
                "country",
                "country.too_long",
            )
            given = value["country"]
            country = _country(given)
            return value if country is given else {**value, "country": country}
        return value

    def money(self, value: Any) -> Any:
        """Money as a mapping, as ``"12.50 EUR"``, or as a bare number in the default currency."""
        if isinstance(value, Mapping):
            currency = value.get("currency")
            _within(
                currency,
                limits.CODE_TEXT_MAX_LENGTH,
                "a currency code",
                "currency",
                "currency.too_long",
            )
            if isinstance(currency, str):
                return {**value, "currency": currency.strip().upper()}
            return value
        if isinstance(value, str):
            if len(value) > limits.MONEY_TEXT_MAX_LENGTH:
                _within(
                    value,
                    limits.MONEY_TEXT_MAX_LENGTH,
                    "an amount and a currency",
                    None,
                    "money.too_long",
                )
            match = _MONEY.match(value.strip())
            if match is None or (self.numbers.decimal == "," and "." in match["amount"]):
                numbers = self.numbers
                written = written_money(
                    value.strip(),
                    default=self.default_currency,
                    option=numbers.decimal,
                    country=numbers.separator,
                    region=numbers.region,
                )
                if written is None:
                    raise InvalidValueError(
                        "expected an amount and a currency code", code="money.invalid"
                    )
                return {"amount": written[0], "currency": written[1]}
            currency = match["pre"] or match["post"] or self.default_currency
            if match["pre"] and match["post"]:
                raise InvalidValueError("expected one currency code", code="money.invalid")
            if currency is None:
                raise InvalidValueError(
                    "no currency: give a code or a default currency", code="currency.missing"
                )
            return {"amount": match["amount"], "currency": currency.upper()}
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            if self.default_currency is None:
                raise InvalidValueError(
                    "no currency: give a code or a default currency", code="currency.missing"
                )
            return {"amount": value, "currency": self.default_currency}
        return value

    def note(self, value: Any) -> Any:
        """A note as plain text or as a mapping."""
        return {"text": value} if isinstance(value, str) else value

    def name(self, value: Any) -> Any:
        """A name must come in parts: splitting a full name would be guessing."""
        if isinstance(value, str):
            raise InvalidValueError(
                "expected the parts of a name (given, family, ...)", code="value.wrong_type"
            )
        return value

    def registration(self, value: Any) -> Any:
        """A registration number with its country by name or code."""
        if isinstance(value, Mapping) and "country" in value:
            _within(
                value["country"],
                limits.COUNTRY_TEXT_MAX_LENGTH,
                "a country",
                "country",
                "country.too_long",
            )
            given = value["country"]
            country = _country(given)
            return value if country is given else {**value, "country": country}
        return value

    def external_ids(self, value: Any) -> Any:
        """External ids as a list, or as a mapping of system to id (read in sorted order)."""
        if isinstance(value, Mapping) and "system" not in value:
            return [{"system": key, "value": value[key]} for key in sorted(value, key=str)]
        return value

    def identity(self, value: Any) -> Any:
        """Read national phones of an identity facet in the region of its own address."""
        if value.__class__ is not dict and not isinstance(value, Mapping):
            return value
        phones = value.get("phones")
        if read.is_blank(phones):
            return value
        items = (
            phones
            if phones.__class__ is list or not isinstance(phones, (str, Mapping))
            else [phones]
        )
        if not isinstance(items, (list, tuple)) or not any(_wants_region(i) for i in items):
            return value  # every phone already read (as cleaning hands them over): no region
        region = address_region(value.get("addresses"))
        if region is None:
            return value
        return {**value, "phones": [_with_region(item, region) for item in items]}


def address_region(addresses: Any) -> str | None:
    """The country of a record's addresses: the primary one's, else the first one's.

    An address handed over built (a :class:`~crmcore.convert._prebuilt.Prebuilt`) counts
    as the mapping of its fields it was built from.
    """
    if isinstance(addresses, Mapping) or addresses.__class__ is Prebuilt:
        addresses = [addresses]
    if not isinstance(addresses, (list, tuple)):
        return None
    if any(item.__class__ is Prebuilt for item in addresses):
        addresses = [_fields_of(item) for item in addresses]
    candidates = [item for item in addresses if isinstance(item, Mapping) and item.get("country")]
    primary = [item for item in candidates if _primary(item.get("primary"))]
    for item in primary + candidates:
        country = _country(item["country"])
        if isinstance(country, str) and country in COUNTRY_CODES:
            return str(country)
    return None


def _primary(flag: Any) -> bool:
    """Whether an address's ``primary`` flag says yes, as conversion reads it (``True``,
    ``"true"``, ``1``, a NumPy flag); anything it would refuse is no."""
    if flag is True or flag is None or flag is False:
        return flag is True
    try:
        return read.read_bool(flag)
    except CRMError:
        return False


def _fields_of(item: Any) -> Any:
    """A built address's country and primary flag, as a mapping; anything else as it is."""
    if item.__class__ is Prebuilt and item.value.__class__ is PostalAddress:
        return {"country": item.value.country, "primary": item.value.primary}
    return item


def _wants_region(item: Any) -> bool:
    """Whether a phone is read in the region of its record's address: text, or a mapping with
    neither an E.164 form nor a region of its own."""
    if item.__class__ is Prebuilt:  # a phone cleaning built: read already
        return False
    if isinstance(item, str):
        return True
    return isinstance(item, Mapping) and "e164" not in item and read.is_blank(item.get("region"))


def _with_region(item: Any, region: str) -> Any:
    if not _wants_region(item):
        return item
    if isinstance(item, str):
        return {"number": item, "region": region}
    return {**item, "region": region}
