"""Read and rewrite the values of records for erasure: empty values, leaves, digests, regions."""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

import attrs

from crmcore.errors import InvalidValueError
from crmcore.privacy._access_paths import Slot
from crmcore.privacy._scrub import Found, Scrubber
from crmcore.privacy.kinds import RequestKind
from crmcore.privacy.pseudonym import PseudonymKind, _check_key, normalise_for_pseudonym
from crmcore.privacy.requests import PrivacyRequest
from crmcore.records import Account, Activity, Contact, CustomFields, Deal, Record
from crmcore.records._meta import field_info
from crmcore.records.values import EmailAddress, PersonName, PhoneNumber

__all__ = [
    "ReferenceRegions",
    "digest",
    "digests_of",
    "empty",
    "key_id",
    "leaves",
    "own_regions",
    "read",
    "refs_of",
    "regions_of",
    "request_id_of",
    "rewrite",
    "scrub_value",
]

_DIGEST_LABEL = "crmcore.erasure.v1"
_KEY_LABEL = b"crmcore.erasure.key.v1"


def key_id(key: object) -> str:
    """A short keyed fingerprint that tells which key made an audit, revealing nothing of it."""
    secret = _check_key(key)
    return hmac.new(secret, _KEY_LABEL, hashlib.sha256).hexdigest()[:16]


def digest(kind: PseudonymKind, text: str, key: bytes) -> str:
    """The audit digest of one value: HMAC-SHA256 of its normalised form, apart from pseudonyms.

    The label differs from :func:`~crmcore.privacy.pseudonymise`'s, so that an audit never
    links an erased person to pseudonyms kept elsewhere under the same key. An email is
    digested in lower case (its local part too), as erasure finds it in any case.
    """
    secret = _check_key(key)
    found, normal = normalise_for_pseudonym(text, kind=kind)
    if found == "email":
        normal = normal.casefold()  # erased in any case, so checked in any case
    message = f"{_DIGEST_LABEL}\x00{found}\x00{normal}".encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def leaves(value: object) -> Iterator[tuple[PseudonymKind, str]]:
    """The pieces of ``value`` worth a digest: emails, phones, names, identifiers, text, dates.

    Flags, counts, enumerations and amounts are left out: they identify nobody and a digest of
    a guessable value proves nothing.
    """
    if isinstance(value, EmailAddress):
        yield "email", value.normalised
    elif isinstance(value, PhoneNumber):
        yield "phone", value.e164
    elif isinstance(value, PersonName):
        if value.display.strip():
            yield "text", value.display
    elif isinstance(value, str):
        if value.strip():
            yield "text", value
    elif isinstance(value, _dt.datetime):
        return
    elif isinstance(value, _dt.date):
        yield "text", value.isoformat()
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from leaves(item)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from leaves(item)
    elif attrs.has(type(value)):
        for attribute in attrs.fields(cast(Any, type(value))):
            info = field_info(attribute)
            if info is not None and info.personal:
                yield from leaves(getattr(value, attribute.name))


def empty(owner: type[Any], name: str) -> Any:
    """The empty value of field ``name`` of the attrs class ``owner``: its default."""
    default: Any = attrs.fields_dict(owner)[name].default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()
    return default


def read(record: Record, slot: Slot) -> object:
    """The value ``slot`` names on ``record`` (``None`` for an absent custom value)."""
    if slot.facet is None:
        return getattr(record, slot.name)
    facet = getattr(record, slot.facet)
    if slot.custom:
        return facet.custom.get(slot.name)
    return getattr(facet, slot.name)


def is_empty(record: Record, slot: Slot) -> bool:
    """Whether ``slot`` holds nothing on ``record``."""
    value = read(record, slot)
    if slot.custom:
        return value is None
    owner = type(record) if slot.facet is None else type(getattr(record, slot.facet))
    return bool(value == empty(owner, slot.name)) or value in (None, (), "")


def rewrite(record: Record, changes: Mapping[Slot, object]) -> Record:
    """``record`` with each slot set to its new value (``None`` drops a custom value)."""
    top: dict[str, Any] = {}
    facets: dict[str, dict[str, Any]] = {}
    customs: dict[str, dict[str, Any]] = {}
    for slot, value in changes.items():
        if slot.facet is None:
            top[slot.name] = value
        elif slot.custom:
            if slot.facet not in customs:
                customs[slot.facet] = dict(getattr(record, slot.facet).custom)
            if value is None:
                customs[slot.facet].pop(slot.name, None)
            else:
                customs[slot.facet][slot.name] = value
        else:
            facets.setdefault(slot.facet, {})[slot.name] = value
    for facet, values in customs.items():
        facets.setdefault(facet, {})["custom"] = CustomFields(values)
    for facet, values in facets.items():
        top[facet] = attrs.evolve(getattr(record, facet), **values)
    return attrs.evolve(record, **top)


def scrub_value(
    value: object, scrubber: Scrubber, regions: Sequence[str]
) -> tuple[object, tuple[Found, ...]]:
    """``value`` with the subject's data scrubbed from its text, and what was found.

    Text, tuples of text and the personal text fields of a value object (a note's text and
    author, a quarantined value) are scrubbed; anything else is returned as it is.
    """
    if isinstance(value, str):
        return scrubber.scrub(value, regions)
    if isinstance(value, tuple):
        found: list[Found] = []
        items = []
        for item in value:
            new, hits = scrub_value(item, scrubber, regions)
            items.append(new)
            found.extend(hits)
        return (tuple(items) if found else value), tuple(found)
    if attrs.has(type(value)) and not isinstance(value, (EmailAddress, PhoneNumber)):
        changes: dict[str, object] = {}
        hits_all: list[Found] = []
        for attribute in attrs.fields(cast(Any, type(value))):
            info = field_info(attribute)
            text = getattr(value, attribute.name)
            if info is not None and info.personal and isinstance(text, str):
                new, hits = scrubber.scrub(text, regions)
                if hits:
                    changes[attribute.name] = new
                    hits_all.extend(hits)
        return (attrs.evolve(cast(Any, value), **changes) if changes else value), tuple(hits_all)
    return value, ()


def own_regions(record: object) -> list[str]:
    """The regions of ``record``'s own phones and addresses, in order."""
    found: list[str] = []
    if isinstance(record, (Contact, Account)):
        found.extend(phone.region for phone in record.identity.phones if phone.region)
        found.extend(address.country for address in record.identity.addresses if address.country)
    return found


def refs_of(record: object) -> tuple[str, ...]:
    """The ids ``record`` refers to: an account, contacts, deals."""
    if isinstance(record, Deal):
        account = (record.identity.account_ref,) if record.identity.account_ref else ()
        return (*account, *record.identity.contact_refs)
    if isinstance(record, Activity):
        return (
            *record.identity.contact_refs,
            *record.identity.account_refs,
            *record.identity.deal_refs,
        )
    if isinstance(record, Contact) and record.identity.account_ref:
        return (record.identity.account_ref,)
    return ()


@attrs.frozen
class ReferenceRegions:
    """The regions of every record read and what each refers to, by id (the last one read).

    :func:`regions_of` reads them in place of the records themselves, so that the regions of
    a record's references are known when only some records are held (see
    :class:`~crmcore.privacy.SubjectSearch`). Region codes and ids only: no personal value.
    """

    own: Mapping[str, tuple[str, ...]] = attrs.field(repr=False)
    refs: Mapping[str, tuple[str, ...]] = attrs.field(repr=False)

    def __repr__(self) -> str:
        return f"ReferenceRegions(records={len(self.own)})"


def regions_of(
    record: Record, index: Mapping[str, Record], known: ReferenceRegions | None = None
) -> tuple[str, ...]:
    """The regions to read national phone numbers in for ``record``, best first.

    Its own phones' regions and addresses' countries, then those of the records it refers to
    (a deal's account and contacts; an activity's contacts, accounts and deals, and theirs),
    found in ``known`` when given, else in ``index``.
    """
    found = own_regions(record)
    for ref in refs_of(record):
        if known is not None:
            if ref in known.own:
                found.extend(known.own[ref])
                for deeper in known.refs.get(ref, ()):
                    found.extend(known.own.get(deeper, ()))
            continue
        other = index.get(ref)
        if other is None:
            continue
        found.extend(own_regions(other))
        for deeper in refs_of(other):
            found.extend(own_regions(index.get(deeper)))
    return tuple(dict.fromkeys(found))


def check_records(records: object, field: str = "records") -> tuple[Record, ...]:
    """``records`` as a tuple of records, else :class:`InvalidValueError` naming the place."""
    if isinstance(records, (str, bytes, Mapping)) or not hasattr(records, "__iter__"):
        raise InvalidValueError("expected a sequence of records", field=field)
    found = tuple(cast(Any, records))
    for position, record in enumerate(found):
        if not isinstance(record, Record):
            raise InvalidValueError("expected a record", field=f"{field}[{position}]")
    return found


def request_id_of(request: object, kind: RequestKind) -> str | None:
    """The id of ``request`` if it is a request of ``kind`` (or ``None``), else raise."""
    if request is None:
        return None
    if not isinstance(request, PrivacyRequest):
        raise InvalidValueError("expected a PrivacyRequest or None", field="request")
    if request.kind is not kind:
        raise InvalidValueError(f"expected a request of kind {kind.value}", field="request")
    return request.id


def digests_of(pairs: Iterable[tuple[PseudonymKind, str]], key: bytes) -> tuple[str, ...]:
    """The sorted, distinct digests of ``pairs`` (text when a value is not of its kind)."""
    found = set()
    for kind, text in pairs:
        try:
            found.add(digest(kind, text, key))
        except InvalidValueError:
            found.add(digest("text", text, key))
    return tuple(sorted(found))
