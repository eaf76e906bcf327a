"""The data subject of a privacy request: what the requester told us identifies them.

A :class:`DataSubject` is a small immutable value: the names, emails, phone numbers, birth
date, ids in other systems and other known names (aliases, a maiden name, inflected forms such
as a Polish genitive) of one person. Finding their records and erasing them reads it; nothing
here is looked up or guessed.

Text is accepted where a value object is expected and read as one: an email as an
:class:`~crmcore.EmailAddress`, a phone number as a :class:`~crmcore.PhoneNumber` (in
international form, since no region is known), a name as a :class:`~crmcore.PersonName`'s
family name when it is one word, else as given name(s) and family name.

>>> subject = DataSubject(
...     names=(PersonName(given="Ada", family="Lovelace"),),
...     emails=("ada@example.org",),
...     phones=("+44 20 7946 0958",),
... )
>>> subject.phones[0].e164
'+442079460958'
>>> subject
DataSubject(names=<redacted>, emails=<redacted>, phones=<redacted>, birth_date=None, external_ids=(), known_names=())
"""  # noqa: E501

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping

import attrs

from crmcore.errors import InvalidValueError
from crmcore.records.values import EmailAddress, ExternalId, PersonName, PhoneNumber

__all__ = ["DataSubject"]

_LIMIT = 1_000


def _items(value: object, field: str) -> tuple[object, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected a tuple or list of values", field=field)
    items = tuple(value)
    if len(items) > _LIMIT:
        raise InvalidValueError(f"more than {_LIMIT} values", field=field)
    return items


def _name(value: object, field: str) -> PersonName:
    if isinstance(value, PersonName):
        if not value.display.strip():
            raise InvalidValueError("an empty name", field=field)
        return value
    if not isinstance(value, str):
        raise InvalidValueError("expected a PersonName or text", field=field)
    words = value.split()
    if not words:
        raise InvalidValueError("must not be blank", field=field)
    if len(words) == 1:
        return PersonName(family=words[0])
    return PersonName(given=" ".join(words[:-1]), family=words[-1])


def _names(value: object) -> tuple[PersonName, ...]:
    return tuple(_name(item, f"names[{i}]") for i, item in enumerate(_items(value, "names")))


def _emails(value: object) -> tuple[EmailAddress, ...]:
    found = []
    for i, item in enumerate(_items(value, "emails")):
        if isinstance(item, EmailAddress):
            found.append(item)
            continue
        if not isinstance(item, str):
            raise InvalidValueError("expected an EmailAddress or text", field=f"emails[{i}]")
        try:
            found.append(EmailAddress(item))
        except InvalidValueError as exc:
            raise InvalidValueError(exc.reason, field=f"emails[{i}]") from None
    return tuple(found)


def _phones(value: object) -> tuple[PhoneNumber, ...]:
    found = []
    for i, item in enumerate(_items(value, "phones")):
        if isinstance(item, PhoneNumber):
            found.append(item)
            continue
        if not isinstance(item, str):
            raise InvalidValueError("expected a PhoneNumber or text", field=f"phones[{i}]")
        try:
            found.append(PhoneNumber(item))
        except InvalidValueError as exc:
            raise InvalidValueError(
                f"{exc.reason} (give a PhoneNumber with its region for a national number)",
                field=f"phones[{i}]",
            ) from None
    return tuple(found)


def _external_ids(value: object) -> tuple[ExternalId, ...]:
    items = _items(value, "external_ids")
    for i, item in enumerate(items):
        if not isinstance(item, ExternalId):
            raise InvalidValueError("expected an ExternalId", field=f"external_ids[{i}]")
    return items  # type: ignore[return-value]


def _known_names(value: object) -> tuple[str, ...]:
    found = []
    for i, item in enumerate(_items(value, "known_names")):
        if not isinstance(item, str):
            raise InvalidValueError("expected text", field=f"known_names[{i}]")
        if not item.strip():
            raise InvalidValueError("must not be blank", field=f"known_names[{i}]")
        found.append(item)
    return tuple(found)


def _birth_date(
    _: object, attribute: attrs.Attribute[_dt.date | None], value: _dt.date | None
) -> None:
    if value is not None and (not isinstance(value, _dt.date) or isinstance(value, _dt.datetime)):
        raise InvalidValueError("expected a date (not a datetime) or None", field=attribute.name)


def _hidden(value: object) -> str:
    return "<redacted>" if value not in (None, ()) else repr(value)


@attrs.frozen(kw_only=True, repr=False)
class DataSubject:
    """One person, as a privacy request identifies them; every part optional, keyword-only.

    - ``names``: :class:`~crmcore.PersonName` values (or text, see the module).
    - ``emails``: :class:`~crmcore.EmailAddress` values (or text).
    - ``phones``: :class:`~crmcore.PhoneNumber` values (or text in international form).
    - ``birth_date``: a :class:`datetime.date`.
    - ``external_ids``: :class:`~crmcore.ExternalId` values (ids in other systems).
    - ``known_names``: other names the person is known by or written as (an alias, a former
      name, inflected forms), as text; erasure scrubs them from free text too.

    Bad parts raise :class:`~crmcore.errors.InvalidValueError` naming the part and its
    position (``emails[1]``), never the value. The ``repr`` hides every personal part.

    >>> DataSubject(emails=("not an email",))
    Traceback (most recent call last):
    ...
    crmcore.errors.InvalidValueError: emails[0]: ...
    """

    names: tuple[PersonName, ...] = attrs.field(default=(), converter=_names)
    emails: tuple[EmailAddress, ...] = attrs.field(default=(), converter=_emails)
    phones: tuple[PhoneNumber, ...] = attrs.field(default=(), converter=_phones)
    birth_date: _dt.date | None = attrs.field(default=None, validator=_birth_date)
    external_ids: tuple[ExternalId, ...] = attrs.field(default=(), converter=_external_ids)
    known_names: tuple[str, ...] = attrs.field(default=(), converter=_known_names)

    def __repr__(self) -> str:
        parts = (
            f"names={_hidden(self.names)}",
            f"emails={_hidden(self.emails)}",
            f"phones={_hidden(self.phones)}",
            f"birth_date={_hidden(self.birth_date)}",
            f"external_ids={_hidden(self.external_ids)}",
            f"known_names={_hidden(self.known_names)}",
        )
        return f"DataSubject({', '.join(parts)})"

    @property
    def is_empty(self) -> bool:
        """Whether nothing identifies the subject (no part given).

        >>> DataSubject().is_empty
        True
        """
        return not (
            self.names
            or self.emails
            or self.phones
            or self.birth_date is not None
            or self.external_ids
            or self.known_names
        )
