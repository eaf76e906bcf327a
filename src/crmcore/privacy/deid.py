"""De-identification by the HIPAA Safe Harbor method, 45 CFR 164.514(b)(2).

:func:`safe_harbor` turns a record into a JSON-safe dict from which the 18 identifiers of
164.514(b)(2)(i) are removed or generalised. Field metadata decides (:func:`crmcore.fields`,
custom fields through a :class:`~crmcore.CustomSchema`), never a list of field names:

- ``HEALTH`` fields are the data a de-identified set exists for: kept, their dates to the year.
- ``BIRTH_DATE`` fields become the year of birth, or ``"90 or older"`` when the year could
  show an age over 89 (164.514(b)(2)(i)(C)).
- ``POSTAL_ADDRESS`` values keep their country and, for US addresses, their state; the street
  and town go; the ZIP code keeps its first three digits, ``"000"`` for the prefixes of 20,000
  or fewer people (164.514(b)(2)(i)(B); the list ships as package data, with its source).
- Names, email addresses, phone and fax numbers, identifiers (account, licence, device,
  record numbers...), organisations (employers) and free text are removed, and so is every
  other field of the ``identity`` category (record ids, references to other records):
  "any other unique identifying number, characteristic, or code" (164.514(b)(2)(i)(R)).
- Everything else is kept, every date in it reduced to its year (164.514(b)(2)(i)(C)).

A removed value is ``None``. Undeclared custom values are personal free text: removed.

>>> from datetime import date
>>> from crmcore import Contact, ContactIdentity, PersonName, PostalAddress
>>> ada = Contact("c-1", ContactIdentity(
...     name=PersonName(given="Ada", family="Lovelace"), birth_date=date(1950, 12, 10),
...     addresses=(PostalAddress(lines=("1 Main St",), locality="Springfield",
...                              region="VT", postal_code="05401", country="US"),)))
>>> out = safe_harbor(ada, as_of=date(2026, 1, 1))
>>> out.data["identity"]["name"], out.data["identity"]["birth_date"]
(None, 1950)
>>> address = out.data["identity"]["addresses"][0]
>>> address["lines"], address["locality"], address["region"], address["postal_code"]
(None, None, 'VT', '054')
>>> safe_harbor(ada, as_of=date(2041, 1, 1)).data["identity"]["birth_date"]
'90 or older'
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import attrs

from crmcore.errors import InvalidValueError
from crmcore.privacy._access_paths import Slot, check_schema, facets, slots
from crmcore.privacy._deid_zip import (
    ZIP,
    ZIP_COUNTRIES,
    load_restricted_zip3,
    read_restricted,
    zip3,
)
from crmcore.records import Category, CustomSchema, PostalAddress, PrivacyCategory, Record
from crmcore.records._meta import field_info

__all__ = [
    "NINETY_OR_OLDER",
    "REMOVED_PRIVACY",
    "SafeHarborResult",
    "generalise_age",
    "generalise_birth_date",
    "generalise_zip",
    "restricted_zip3",
    "safe_harbor",
]

NINETY_OR_OLDER = "90 or older"
"""The single category ages over 89 are aggregated into (164.514(b)(2)(i)(C))."""

_P = PrivacyCategory
REMOVED_PRIVACY: frozenset[PrivacyCategory] = frozenset(
    {
        _P.NAME,  # (A) names
        _P.CONTACT_EMAIL,  # (F) email addresses
        _P.CONTACT_PHONE,  # (D) telephone and (E) fax numbers
        _P.IDENTIFIER,  # (G)-(M), (P), (R): SSN, record, plan, account, licence, device ids
        _P.ORGANISATION,  # identifiers of the employer, (b)(2)(i) opening words; (N) web domains
        _P.FREE_TEXT,  # may hold any identifier, unverifiable
    }
)
"""The privacy categories whose fields :func:`safe_harbor` always removes."""


def restricted_zip3() -> frozenset[str]:
    """The three-digit ZIP prefixes of 20,000 or fewer people that crmcore ships.

    The 17 prefixes HHS lists from the 2000 Census in its 2012 de-identification guidance
    (section 3.3); the data file names the source. Pass a newer list to :func:`safe_harbor`
    when you hold one.

    >>> sorted(restricted_zip3())[:3], len(restricted_zip3())
    (['036', '059', '063'], 17)
    """
    return load_restricted_zip3()


def generalise_zip(code: str, *, restricted: Iterable[str] | None = None) -> str | None:
    """The ZIP code ``code`` as Safe Harbor allows it: three digits, ``"000"``, or ``None``.

    ``None`` when ``code`` is not a US ZIP code (five digits or ZIP+4).

    >>> generalise_zip("10027"), generalise_zip("03601"), generalise_zip("not a zip")
    ('100', '000', None)
    """
    if not isinstance(code, str):
        raise InvalidValueError("expected text", field="code")
    return zip3(code, read_restricted(restricted))


def generalise_age(age: int) -> int | str:
    """An age as Safe Harbor allows it: as is up to 89, else ``"90 or older"``.

    >>> generalise_age(89), generalise_age(90)
    (89, '90 or older')
    """
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        raise InvalidValueError("expected an age in whole years", field="age")
    return age if age <= 89 else NINETY_OR_OLDER


def _day(value: object, field: str) -> date:
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise InvalidValueError("a naive datetime: give its timezone", field=field)
        return value.date()
    if isinstance(value, date):
        return value
    raise InvalidValueError("expected a date or a timezone-aware datetime", field=field)


def generalise_birth_date(born: date, as_of: date | datetime) -> int | str:
    """A date of birth as Safe Harbor allows it: its year, or ``"90 or older"``.

    The year alone still tells an age within a year; when it could show an age over 89 at
    ``as_of`` (``as_of.year - year >= 90``), the year goes too.

    >>> from datetime import date
    >>> generalise_birth_date(date(1936, 12, 31), date(2026, 1, 1))
    '90 or older'
    >>> generalise_birth_date(date(1937, 1, 1), date(2026, 12, 31))
    1937
    """
    born_day = _day(born, "born")
    today = _day(as_of, "as_of")
    return NINETY_OR_OLDER if today.year - born_day.year >= 90 else born_day.year


@attrs.frozen
class SafeHarborResult:
    """A record de-identified by :func:`safe_harbor`.

    ``data`` is JSON-safe (the ``repr`` does not show it); ``removed`` lists every path
    removed, whether the record held a value there or not; ``generalised`` lists every birth
    date and address path, and the kept paths whose value held a date; both sorted.
    """

    record_type: str
    data: dict[str, Any] = attrs.field(repr=False, eq=False)
    removed: tuple[str, ...]
    generalised: tuple[str, ...]


class _Treatment(enum.Enum):
    KEEP = "keep"
    REMOVE = "remove"
    BIRTH = "birth"
    ADDRESS = "address"


def _treatment(slot: Slot, extra: frozenset[PrivacyCategory]) -> _Treatment:
    if slot.privacy is _P.HEALTH and slot.privacy not in extra:
        return _Treatment.KEEP
    if slot.privacy is _P.BIRTH_DATE:
        return _Treatment.BIRTH
    if slot.privacy is _P.POSTAL_ADDRESS:
        return _Treatment.ADDRESS
    if slot.privacy in REMOVED_PRIVACY or slot.privacy in extra:
        return _Treatment.REMOVE
    if slot.category is Category.IDENTITY:
        return _Treatment.REMOVE
    return _Treatment.KEEP


class _Walk:
    """One de-identification: the options, and whether a date was seen."""

    def __init__(self, as_of: date, restricted: frozenset[str], extra: frozenset[PrivacyCategory]):
        self.as_of = as_of
        self.restricted = restricted
        self.extra = extra
        self.dated = False

    def plain(self, value: object) -> Any:
        """``value`` JSON-safe: dates to their year, nested identifying fields removed."""
        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, (date, datetime)):
            self.dated = True
            return value.year
        if isinstance(value, float):
            return value if math.isfinite(value) else None
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, enum.Enum):
            return self.plain(value.value)
        if isinstance(value, (tuple, list)):
            return [self.plain(item) for item in value]
        if isinstance(value, Mapping):
            return {str(key): self.plain(item) for key, item in value.items()}
        if attrs.has(type(value)):
            out: dict[str, Any] = {}
            for attribute in attrs.fields(cast(Any, type(value))):
                info = field_info(attribute)
                privacy = info.privacy if info is not None else _P.NONE
                gone = privacy in REMOVED_PRIVACY or privacy in self.extra
                out[attribute.name] = None if gone else self.plain(getattr(value, attribute.name))
            return out
        raise InvalidValueError(f"cannot de-identify a {type(value).__name__} value")

    def birth(self, value: object) -> Any:
        if isinstance(value, (date, datetime)) and not (
            isinstance(value, datetime) and value.utcoffset() is None
        ):
            return generalise_birth_date(value, self.as_of)
        return None  # a birth date held as text cannot be generalised: removed

    def address(self, value: object) -> Any:
        if isinstance(value, tuple):
            return [self.one_address(item) for item in value]
        if isinstance(value, PostalAddress):
            return self.one_address(value)
        return None  # an address held as text cannot be generalised: removed

    def one_address(self, value: object) -> Any:
        if not isinstance(value, PostalAddress):
            return None
        code = value.postal_code or ""
        us = value.country in ZIP_COUNTRIES or (
            value.country is None and ZIP.fullmatch(code.strip()) is not None
        )
        out = self.plain(value)  # street, town, code and region are overwritten below
        out["lines"] = None
        out["locality"] = None
        out["postal_code"] = zip3(code, self.restricted) if us and code else None
        out["region"] = value.region if us else None
        return out


def safe_harbor(
    record: Record,
    *,
    as_of: date | datetime,
    schema: CustomSchema | None = None,
    restricted_zip3: Iterable[str] | None = None,
    remove: Iterable[PrivacyCategory | str] = (),
) -> SafeHarborResult:
    """De-identify ``record`` by the Safe Harbor method of 45 CFR 164.514(b)(2).

    ``as_of`` (a date, or an aware datetime) is when the data set is released: ages are
    reckoned at it. ``schema`` declares the record's custom fields (undeclared ones are
    removed as free text). ``restricted_zip3`` replaces the shipped list of three-digit ZIP
    prefixes of 20,000 or fewer people with a newer one. ``remove`` adds privacy categories
    to remove (``opinion``, say, when opinions are written in free words; ``health`` to drop
    the health fields too).

    The input is not changed. Safe Harbor also requires that the covered entity have no
    actual knowledge that what remains could identify the person (164.514(b)(2)(ii)): that
    judgement stays with you.
    """
    if not isinstance(record, Record):
        raise InvalidValueError("expected a record such as a Contact", field="record")
    today = _day(as_of, "as_of")
    schema = check_schema(schema, type(record))
    restricted = read_restricted(restricted_zip3)
    extra = _extra(remove)
    walk = _Walk(today, restricted, extra)
    facet_names = {name for name, _ in facets(type(record))}
    data: dict[str, Any] = {
        attribute.name: {"custom": {}} if attribute.name in facet_names else None
        for attribute in attrs.fields(type(record))
    }
    removed: list[str] = []
    generalised: list[str] = []
    for slot in slots(record, schema):
        holder: Any = record if slot.facet is None else getattr(record, slot.facet)
        if slot.custom:
            if slot.name not in holder.custom:
                if _treatment(slot, extra) is _Treatment.REMOVE:
                    removed.append(slot.path)
                continue
            value = holder.custom[slot.name]
            target = data[str(slot.facet)]["custom"]
        else:
            value = getattr(holder, slot.name)
            target = data if slot.facet is None else data[slot.facet]
        treatment = _treatment(slot, extra)
        walk.dated = False
        if treatment is _Treatment.REMOVE:
            out = None
            removed.append(slot.path)
        elif treatment is _Treatment.BIRTH:
            out = walk.birth(value)
            generalised.append(slot.path)
        elif treatment is _Treatment.ADDRESS:
            out = walk.address(value)
            generalised.append(slot.path)
        else:
            out = walk.plain(value)
            if walk.dated:
                generalised.append(slot.path)
        target[slot.name] = out
    for name in facet_names:  # custom values last, as in the records
        data[name]["custom"] = data[name].pop("custom")
    return SafeHarborResult(
        type(record).__name__, data, tuple(sorted(removed)), tuple(sorted(generalised))
    )


def _extra(value: object) -> frozenset[PrivacyCategory]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected PrivacyCategory values", field="remove")
    found = set()
    for entry in value:
        try:
            found.add(entry if isinstance(entry, PrivacyCategory) else PrivacyCategory(entry))
        except (ValueError, TypeError):
            raise InvalidValueError("expected PrivacyCategory values", field="remove") from None
    return frozenset(found)
