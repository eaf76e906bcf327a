"""The built-in blocking rules and :func:`default_blocking_rules`.

Each rule reads its fields from the field metadata (:func:`crmcore.fields`), through the same
readers as the comparators, so that what the comparators would call alike shares a key:
emails by :func:`~crmcore.dedup.canonical_email`, phones by their E.164 form, dates of birth
with the quarantined unreadable ones, names folded (:func:`~crmcore.dedup._text.fold`).
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, cast

import attrs

from crmcore.dedup._blocking_columns import Plan, planned
from crmcore.dedup._blocking_rules import MAX_WINDOW, BlockingRules
from crmcore.dedup._blocking_sounds import name_sound_keys
from crmcore.dedup._blocking_values import (
    _CTX,
    _NAMES,
    Addresses,
    Births,
    Column,
    Names,
    addresses_of,
    birth_days,
    births_of,
    emails_of,
    external_ids_of,
    name_parts,
    names_of,
    phones_of,
    postal_codes,
)
from crmcore.dedup._paths import Selector, paths, values
from crmcore.dedup._text import fold
from crmcore.dedup.contact_points import canonical_email
from crmcore.dedup.context import CompareContext
from crmcore.dedup.nicknames import Nicknames, default_nicknames
from crmcore.dedup.organisations import _number_key, normalise_domain, strip_legal_suffixes
from crmcore.dedup.strings import PhoneticAlgorithm, _algorithm, phonetic_code
from crmcore.errors import InvalidValueError
from crmcore.records._meta import PrivacyCategory
from crmcore.records.account import Account
from crmcore.records.contact import Contact
from crmcore.records.values import (
    RegistrationNumber,
)

__all__ = [
    "BirthDateKeys",
    "DomainKeys",
    "EmailKeys",
    "ExternalIdKeys",
    "FamilyPostcodeKeys",
    "NameKeys",
    "NameOrganisationKeys",
    "NameWindow",
    "PhoneKeys",
    "RegistrationNumberKeys",
    "birth_date_keys",
    "default_blocking_rules",
    "domain_keys",
    "email_keys",
    "external_id_keys",
    "family_postcode_keys",
    "name_keys",
    "name_organisation_keys",
    "name_window",
    "organisation_name_keys",
    "phone_keys",
    "registration_number_keys",
]

_ORG_NAMES = Selector(str, PrivacyCategory.ORGANISATION, many=False)
_DOMAINS = Selector(str, PrivacyCategory.ORGANISATION, many=True)
_NUMBERS = Selector(RegistrationNumber)


@planned
@attrs.frozen
class EmailKeys:
    """Each email address's mailbox. See :func:`email_keys`."""

    ctx: CompareContext = attrs.field(factory=CompareContext, repr=False)

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """The canonical form of each of the record's email addresses."""
        return self.from_emails(emails_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the emails (:mod:`~crmcore.dedup._blocking_columns`)."""
        return Plan((emails_of,), self.from_emails)

    def from_emails(self, emails: tuple[str, ...]) -> tuple[str, ...]:
        """The keys of normalised email addresses (:func:`~crmcore.dedup.canonical_email`)."""
        ctx = self.ctx
        return tuple([canonical_email(email, ctx) for email in emails])


def email_keys(ctx: CompareContext | None = None) -> EmailKeys:
    """Block on the mailbox: the address without case and with the provider's rules undone.

    ``Jane.Doe@gmail.com`` and ``janedoe+crm@googlemail.com`` share a key (the providers come
    from ``ctx``, a :class:`~crmcore.dedup.CompareContext`, as for the comparator).

    >>> from crmcore import Contact, ContactIdentity, EmailAddress
    >>> email_keys()(Contact("c-1", ContactIdentity(emails=(EmailAddress("J.Doe+x@gmail.com"),))))
    ('jdoe@gmail.com',)
    """
    if ctx is not None and not isinstance(ctx, CompareContext):
        raise InvalidValueError("expected a CompareContext", field="ctx")
    return EmailKeys(ctx if ctx is not None else _CTX)


def _same(keys: tuple[str, ...]) -> tuple[str, ...]:
    return keys


@planned
@attrs.frozen
class PhoneKeys:
    """Each phone number in E.164 form. See :func:`phone_keys`."""

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """The E.164 form of each of the record's phone numbers (extensions aside)."""
        return _same(phones_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the phone numbers (:mod:`~crmcore.dedup._blocking_columns`)."""
        return Plan((phones_of,), _same)


def phone_keys() -> PhoneKeys:
    """Block on the phone number in E.164 form, whatever way it was written.

    >>> from crmcore import Contact, ContactIdentity, PhoneNumber
    >>> phone = PhoneNumber("06 12 34 56 78", region="FR")
    >>> phone_keys()(Contact("c-1", ContactIdentity(phones=(phone,))))
    ('+33612345678',)
    """
    return PhoneKeys()


def _algorithms(value: Any) -> tuple[PhoneticAlgorithm, ...]:
    try:
        found = (value,) if isinstance(value, str) else tuple(value)
    except TypeError:
        found = ()
    if not found:
        raise InvalidValueError("name one phonetic algorithm or more", field="algorithms")
    return tuple(cast(PhoneticAlgorithm, _algorithm(algorithm)) for algorithm in found)


@functools.lru_cache(maxsize=65536)
def _family_sounds(names: Names, algorithms: tuple[PhoneticAlgorithm, ...]) -> frozenset[str]:
    """``algorithm:code`` of each family name among the names, for each algorithm."""
    families = {family for _, family in name_parts(names) if family}
    return frozenset(
        f"{algorithm}:{phonetic_code(family, algorithm)}"
        for family in families
        for algorithm in algorithms
    )


@planned
@attrs.frozen
class FamilyPostcodeKeys:
    """The family name's sounds with each postal code. See :func:`family_postcode_keys`."""

    algorithms: tuple[PhoneticAlgorithm, ...] = attrs.field(
        default=("nysiis", "metaphone"), converter=_algorithms
    )

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """``algorithm:code|postcode`` for each family name, algorithm and postal code."""
        return self.from_values(names_of(record), addresses_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the names and addresses (:mod:`~crmcore.dedup._blocking_columns`)."""
        return Plan((names_of, addresses_of), self.from_values, (self._sounds, postal_codes))

    def _sounds(self, names: Names) -> frozenset[str]:
        return _family_sounds(names, self.algorithms)

    def from_values(self, names: Names, addresses: Addresses) -> tuple[str, ...]:
        """The keys of a record's names and addresses: each family name's sound joined to
        each postal code by ``|`` (the plan's parts)."""
        sounds = _family_sounds(names, self.algorithms)
        if not sounds:
            return ()
        codes = postal_codes(addresses)
        return tuple(f"{sound}|{code}" for sound in sounds for code in codes)


def family_postcode_keys(
    algorithms: Iterable[PhoneticAlgorithm] = ("nysiis", "metaphone"),
) -> FamilyPostcodeKeys:
    """Block on the family name's phonetic codes with the postal code.

    One key per algorithm (NYSIIS and metaphone by default: each hears some variants the
    other does not), so that ``Smith`` and ``Smyth`` at ``SW1A 1AA`` share a key. Postal
    codes are folded and written without spaces (``SW1A 1AA`` is ``sw1a1aa``). Needs the
    ``dedup`` extra (jellyfish).

    >>> from crmcore import Contact, ContactIdentity, PersonName, PostalAddress
    >>> def person(family):
    ...     return Contact("c", ContactIdentity(name=PersonName(family=family),
    ...                    addresses=(PostalAddress(postal_code="SW1A 1AA", country="GB"),)))
    >>> rule = family_postcode_keys()
    >>> sorted(set(rule(person("Smith"))) & set(rule(person("Smyth"))))
    ['metaphone:SM0|sw1a1aa']
    """
    return FamilyPostcodeKeys(_algorithms(algorithms))


@functools.lru_cache(maxsize=65536)
def _given_heads(names: Names, nicknames: Nicknames) -> frozenset[str]:
    """The initial and ``=group`` (nickname groups) of each given name among the names."""
    heads: set[str] = set()
    for given, _ in name_parts(names):
        if given:
            heads.add(given[0])
            heads.update(f"={group}" for group in nicknames.groups_near(given.split()[0]))
    return frozenset(heads)


@planned
@attrs.frozen
class BirthDateKeys:
    """The given name's initial and nickname groups with the date of birth.

    See :func:`birth_date_keys`.
    """

    nicknames: Nicknames = attrs.field(factory=default_nicknames, repr=False)

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """``initial|date`` and ``=group|date`` keys, the date's day and month in order."""
        return self.from_values(births_of(record), names_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the dates of birth and names
        (:mod:`~crmcore.dedup._blocking_columns`)."""
        return Plan((births_of, names_of), self.from_values, (birth_days, self._heads))

    def _heads(self, names: Names) -> frozenset[str]:
        return _given_heads(names, self.nicknames)

    def from_values(self, births: Births, names: Names) -> tuple[str, ...]:
        """The keys of a record's dates of birth and names: each head joined to each date
        by ``|`` (the plan's parts)."""
        days = birth_days(births)
        if not days:
            return ()
        heads = _given_heads(names, self.nicknames)
        return tuple(f"{head}|{day}" for head in heads for day in days)


def birth_date_keys(nicknames: Nicknames | None = None) -> BirthDateKeys:
    """Block on the given name's initial with the date of birth.

    The date is read like :func:`~crmcore.dedup.birth_dates` reads it (an unreadable date
    kept in the quarantine counts), with its day and month in order, so that a date with day
    and month swapped shares the key. A given name in the nickname table also keys on its
    groups, so that ``Bob`` and ``Robert`` born the same day share one; a name it does not
    know, on the groups of the names one typo from it
    (:meth:`~crmcore.dedup.Nicknames.groups_near`).

    >>> from datetime import date
    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(given, born):
    ...     return Contact("c", ContactIdentity(name=PersonName(given=given), birth_date=born))
    >>> rule = birth_date_keys()
    >>> bob, robert = person("Bob", date(1990, 5, 7)), person("Robert", date(1990, 7, 5))
    >>> bool(set(rule(bob)) & set(rule(robert)))
    True
    """
    if nicknames is not None and not isinstance(nicknames, Nicknames):
        raise InvalidValueError("expected a Nicknames table", field="nicknames")
    return BirthDateKeys(default_nicknames() if nicknames is None else nicknames)


@attrs.frozen
class DomainKeys:
    """Each web domain, normalised. See :func:`domain_keys`."""

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """The record's web domains, normalised."""
        return tuple(normalise_domain(text) for text in values(record, _DOMAINS))


def domain_keys() -> DomainKeys:
    """Block on the web domain, without scheme, ``www.``, case or path.

    >>> from crmcore import Account, AccountIdentity
    >>> domain_keys()(Account("a-1", AccountIdentity(domains=("https://www.ACME.com/",))))
    ('acme.com',)
    """
    return DomainKeys()


@planned
@attrs.frozen
class ExternalIdKeys:
    """Each id in another system. See :func:`external_id_keys`."""

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """``system|id`` for each external id, the system's name folded."""
        return self.from_ids(external_ids_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the ids (:mod:`~crmcore.dedup._blocking_columns`)."""
        return Plan((external_ids_of,), self.from_ids)

    def from_ids(self, ids: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
        """The keys of ``(system, id)`` pairs."""
        return tuple(f"{fold(system)}|{value.strip()}" for system, value in ids if value.strip())


def external_id_keys() -> ExternalIdKeys:
    """Block on an id in another system (the system's name folded, the id as written).

    >>> from crmcore import Contact, ContactIdentity
    >>> from crmcore.records import ExternalId
    >>> ids = (ExternalId(system="Stripe", value="cus_9"),)
    >>> external_id_keys()(Contact("c-1", ContactIdentity(external_ids=ids)))
    ('stripe|cus_9',)
    """
    return ExternalIdKeys()


@attrs.frozen
class RegistrationNumberKeys:
    """Each registration number. See :func:`registration_number_keys`."""

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """``scheme|number`` for each registration number, read as the comparator reads it."""
        keys = (_number_key(number) for number in values(record, _NUMBERS))
        return tuple(f"{scheme}|{value}" for scheme, value in keys if value)


def registration_number_keys() -> RegistrationNumberKeys:
    """Block on a registration number of a scheme (spaces, dots and country prefix aside).

    >>> from crmcore import Account, AccountIdentity
    >>> from crmcore.records import RegistrationNumber
    >>> numbers = (RegistrationNumber(scheme="SIREN", value="732 829 320"),)
    >>> registration_number_keys()(Account("a-1", AccountIdentity(registration_numbers=numbers)))
    ('siren|732829320',)
    """
    return RegistrationNumberKeys()


@planned
@attrs.frozen
class NameKeys:
    """Family name with given name or its nickname groups. See :func:`name_keys`."""

    nicknames: Nicknames = attrs.field(factory=default_nicknames, repr=False)

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """``family|given`` and ``family|=group`` keys, the two parts in sorted order."""
        return self.from_names(names_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the names (:mod:`~crmcore.dedup._blocking_columns`)."""
        return Plan((names_of,), self.from_names)

    def from_names(self, names: Names) -> tuple[str, ...]:
        """The keys of a record's names (:func:`names_of`)."""
        keys: set[str] = set()
        for given, family in name_parts(names):
            if not (given and family):
                continue
            first = given.split()[0]
            keys.add("|".join(sorted((family, first))))
            keys.update(f"{family}|={group}" for group in self.nicknames.groups_near(first))
        return tuple(keys)


def name_keys(nicknames: Nicknames | None = None) -> NameKeys:
    """Block on the whole name: the family name with the first given name, or its nicknames.

    The two parts are folded and put in sorted order, so swapped names share the key, and a
    given name in the nickname table keys on each of its groups too (``Bill Jackson`` and
    ``William Jackson`` share one), and one it does not know on the groups of the names one
    typo from it (``Caterine`` is Catherine's, as ``Kate``). Records with a common name make
    a large block, which :func:`~crmcore.dedup.block` splits past ``max_block_size``.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(given, family):
    ...     return Contact("c", ContactIdentity(name=PersonName(given=given, family=family)))
    >>> rule = name_keys()
    >>> rule(person("Wei", "Zhang")) == rule(person("ZHANG", "Wei"))
    True
    >>> bool(set(rule(person("Bill", "Jackson"))) & set(rule(person("William", "Jackson"))))
    True
    """
    if nicknames is not None and not isinstance(nicknames, Nicknames):
        raise InvalidValueError("expected a Nicknames table", field="nicknames")
    return NameKeys(default_nicknames() if nicknames is None else nicknames)


def organisation_name_keys(names: Iterable[str]) -> tuple[str, ...]:
    """An organisation's names as blocking keys them: folded and without legal suffixes (as
    the company-name comparator reads them), sorted, none empty (``"&"`` keys nothing).

    >>> organisation_name_keys(["ACME Ltd", "Acme", "&"])
    ('acme',)
    """
    found = {strip_legal_suffixes(name) for name in names}
    found.discard("")
    return tuple(sorted(found))


def _organisations(records: Sequence[Any]) -> list[Hashable]:
    """The names of each record's organisation, as written (a tuple of them)."""
    return [tuple(values(record, _ORG_NAMES)) for record in records]


organisations_of = Column(_organisations)
"""The names of the organisation of each record (the text field of privacy category
``organisation``), as written."""


@planned
@attrs.frozen
class NameOrganisationKeys:
    """The name keys of :class:`NameKeys` with the organisation. See
    :func:`name_organisation_keys`."""

    names: NameKeys = attrs.field(factory=NameKeys, repr=False)

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """Each name key of the record joined to each name of its organisation."""
        return self.from_values(names_of(record), organisations_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the names and the organisation's names
        (:mod:`~crmcore.dedup._blocking_columns`)."""
        parts = (self.names.from_names, organisation_name_keys)
        return Plan((names_of, organisations_of), self.from_values, parts, "#")

    def from_values(self, names: Names, organisations: tuple[str, ...]) -> tuple[str, ...]:
        """The keys of a record's names (:func:`names_of`) and organisation's names: each
        name key joined to each organisation name by ``#`` (the plan's parts)."""
        found = organisation_name_keys(organisations)
        if not found:
            return ()
        return tuple(
            sorted(f"{key}#{name}" for key in self.names.from_names(names) for name in found)
        )


def name_organisation_keys(nicknames: Nicknames | None = None) -> NameOrganisationKeys:
    """Block on the whole name (as :func:`name_keys` keys it: swapped parts and nicknames
    share a key) at one organisation (its name folded, without legal suffixes).

    A common name's block in :func:`name_keys` is split past ``max_block_size`` by address
    and date of birth only; the records of one person entered twice at one employer that
    share nothing else are found here, in blocks of a few. The organisation is not a split
    rule of the name's blocks: the pairs a split finds are fitted with the rule whose block
    was split, and namesakes at one employer taught the name rule's EM run that one
    person's records often differ on everything else. This rule's pairs are scored but
    get no EM run (:data:`~crmcore.dedup.fitting.UNFITTED_RULES`).

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(given, family, organisation):
    ...     name = PersonName(given=given, family=family)
    ...     return Contact("c", ContactIdentity(name=name, organisation=organisation))
    >>> rule = name_organisation_keys()
    >>> bill = set(rule(person("Bill", "Jackson", "Acme Ltd")))
    >>> bool(bill & set(rule(person("William", "JACKSON", "ACME"))))
    True
    >>> bool(bill & set(rule(person("Jackson", "Bill", "Acme"))))
    True
    >>> bill & set(rule(person("Bill", "Jackson", "Umbrella")))
    set()
    """
    return NameOrganisationKeys(name_keys(nicknames))


def _has_person_names(record_type: type[Any]) -> bool:
    return bool(paths(record_type, _NAMES))  # cached by record type


@planned
@attrs.frozen
class NameWindow:
    """Sorted neighbourhood on names. See :func:`name_window`."""

    window: int = attrs.field(default=10)

    @window.validator
    def _check(self, _: Any, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= MAX_WINDOW:
            raise InvalidValueError(
                f"a window is a whole number from 2 to {MAX_WINDOW}", field="window"
            )

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """The record's sort keys: its names, folded (a person's in both orders)."""
        if _has_person_names(type(record)):
            return self.from_names(names_of(record))
        return tuple(strip_legal_suffixes(name) for name in values(record, _ORG_NAMES))

    def plan(self, record_type: type[Any], /) -> Plan | None:
        """Its keys from a person's names (:mod:`~crmcore.dedup._blocking_columns`); none
        for an organisation (its records are read)."""
        return Plan((names_of,), self.from_names) if _has_person_names(record_type) else None

    def from_names(self, names: Names) -> tuple[str, ...]:
        """The sort keys of a person's names (:func:`names_of`)."""
        keys: set[str] = set()
        for given, family in name_parts(names):
            keys.add(f"{family} {given}".strip())
            if given and family:
                keys.add(f"{given} {family}")
        return tuple(keys)


def name_window(window: int = 10) -> NameWindow:
    """A sorted-neighbourhood rule on names: records within ``window`` places are paired.

    Records are sorted by name (ties by record id), and each is paired with the
    ``window - 1`` records after it. A person sorts by family then given name, and again by
    given then family name (so swapped names meet); an organisation by each of its names
    without legal suffixes. It finds names that differ past their first letters
    (``Thompson`` and ``Thmopson``) that no key rule brings together, at ``window - 1``
    pairs per record and sort key at most, however common a name is.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> rule = name_window(4)
    >>> sorted(rule(Contact("c", ContactIdentity(name=PersonName(given="Ada", family="Byron")))))
    ['ada byron', 'byron ada']
    >>> rule.window
    4
    """
    return NameWindow(window)


def default_blocking_rules() -> BlockingRules:
    """A fresh :class:`~crmcore.dedup.BlockingRules` with the built-in rules; change it freely.

    Contacts and accounts: ``crmcore.phone``, ``crmcore.external_id``, ``crmcore.name_window``
    (a window of 10). Contacts: ``crmcore.email``, ``crmcore.family_postcode``,
    ``crmcore.birth_date``, ``crmcore.name``, ``crmcore.name_organisation``. Accounts:
    ``crmcore.domain``, ``crmcore.registration_number``.

    >>> from crmcore import Account
    >>> for entry in default_blocking_rules().for_type(Account):
    ...     print(entry.name, entry.window)
    crmcore.phone None
    crmcore.external_id None
    crmcore.domain None
    crmcore.registration_number None
    crmcore.name_window 10
    """
    rules = BlockingRules()
    both = (Contact, Account)
    rules.add(Contact, email_keys(), name="crmcore.email")
    rules.add(both, phone_keys(), name="crmcore.phone")
    rules.add(both, external_id_keys(), name="crmcore.external_id")
    rules.add(Contact, family_postcode_keys(), name="crmcore.family_postcode")
    rules.add(Contact, birth_date_keys(), name="crmcore.birth_date")
    rules.add(Contact, name_keys(), name="crmcore.name")
    rules.add(Contact, name_organisation_keys(), name="crmcore.name_organisation")
    rules.add(Account, domain_keys(), name="crmcore.domain")
    rules.add(Account, registration_number_keys(), name="crmcore.registration_number")
    rules.add(both, name_window(), name="crmcore.name_window")
    rules.add(Contact, name_sound_keys(), name="crmcore.name_sounds")
    return rules
