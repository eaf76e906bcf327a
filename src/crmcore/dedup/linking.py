"""Propose the account of each contact: :func:`link_contacts` and :func:`apply_links`.

A contact is proposed an account when the domain of one of its email addresses is one of the
account's web domains (or below one: ``eu.acme.com`` under ``acme.com``), unless it is a free
mail domain (``free_mail.txt``, shipped with crmcore), or when its organisation name equals
one of the account's names once folded and stripped of legal suffixes (Inc, GmbH, SARL, ...).
An existing ``account_ref`` is never replaced: a differing proposal is a conflict, reported.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from crmcore.dedup._clustering_errors import LinkingError
from crmcore.dedup.context import DEFAULT_PROVIDERS
from crmcore.dedup.organisations import normalise_domain, strip_legal_suffixes
from crmcore.records import Account, Contact

__all__ = [
    "LINK_REASONS",
    "LinkProposal",
    "LinkResult",
    "apply_links",
    "default_free_mail",
    "link_contacts",
]

LINK_REASONS: Mapping[str, float] = {
    "email_domain_and_name": 0.99,
    "email_domain": 0.9,
    "organisation_name": 0.75,
}
"""The reason codes of a proposal (stable) and the confidence each gives.

``email_domain_and_name``: an email domain and the organisation name both point to the
account. ``email_domain``: an email domain does. ``organisation_name``: the organisation
name does.
"""


@functools.cache
def default_free_mail() -> frozenset[str]:
    """The free and consumer mail domains shipped with crmcore (see ``data/SOURCES.md``).

    >>> {"gmail.com", "orange.fr", "web.de"} <= default_free_mail()
    True
    """
    text = importlib.resources.files("crmcore.dedup").joinpath("data/free_mail.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    found = {line.split("#", 1)[0].strip().lower() for line in lines}
    found.update(domain for provider in DEFAULT_PROVIDERS for domain in provider.domains)
    return frozenset(found - {""})


@attrs.frozen
class LinkProposal:
    """The account proposed for one contact, why, and how sure.

    ``reason`` is a key of :data:`LINK_REASONS`, ``confidence`` its value; ``current`` is the
    contact's ``account_ref`` as it was (``None`` when it had none).
    """

    contact_id: str
    account_id: str
    reason: str
    confidence: float
    current: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The proposal, JSON-safe."""
        return attrs.asdict(self)


@attrs.frozen
class LinkResult:
    """What :func:`link_contacts` found, each part sorted by contact id.

    ``proposals``: accounts for contacts that have none, to apply with :func:`apply_links`.
    ``confirmed``: proposals equal to the contact's ``account_ref``. ``conflicts``: proposals
    that differ from it, never applied. ``ambiguous``: ids of the contacts whose evidence
    points to several accounts equally, proposed nothing.
    """

    proposals: tuple[LinkProposal, ...] = ()
    confirmed: tuple[LinkProposal, ...] = ()
    conflicts: tuple[LinkProposal, ...] = ()
    ambiguous: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Every part, JSON-safe."""
        return {
            "proposals": [p.to_dict() for p in self.proposals],
            "confirmed": [p.to_dict() for p in self.confirmed],
            "conflicts": [p.to_dict() for p in self.conflicts],
            "ambiguous": list(self.ambiguous),
        }


def _records(records: object, kind: type[Any], argument: str) -> list[Any]:
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise LinkingError(f"{argument} must be an iterable of {kind.__name__} records")
    found: list[Any] = []
    seen: dict[str, int] = {}
    for position, record in enumerate(records):
        if not isinstance(record, kind):
            raise LinkingError(f"{argument}[{position}] is not a {kind.__name__}")
        if record.id in seen:
            raise LinkingError(
                f"{argument}[{position}] repeats the id of {argument}[{seen[record.id]}]"
            )
        seen[record.id] = position
        found.append(record)
    return found


def _free_mail(free_mail: object) -> frozenset[str]:
    if free_mail is None:
        return default_free_mail()
    if isinstance(free_mail, (str, bytes, Mapping)) or not isinstance(free_mail, Iterable):
        raise LinkingError("free_mail must be an iterable of domains")
    domains = list(free_mail)
    if not all(isinstance(domain, str) for domain in domains):
        raise LinkingError("free_mail holds a domain that is not text")
    return frozenset(normalise_domain(domain) for domain in domains)


def _parents(domain: str) -> Iterable[str]:
    """``domain`` and the domains above it with two labels or more."""
    labels = domain.split(".")
    for start in range(len(labels) - 1):
        yield ".".join(labels[start:])


def _account_keys(
    accounts: Sequence[Account], free_mail: frozenset[str]
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Account ids by web domain (free mail left out) and by stripped name."""
    by_domain: dict[str, set[str]] = {}
    by_name: dict[str, set[str]] = {}
    for account in accounts:
        identity = account.identity
        for text in identity.domains:
            domain = normalise_domain(text)
            if "." in domain and domain not in free_mail:
                by_domain.setdefault(domain, set()).add(account.id)
        for name in (identity.name, identity.legal_name):
            key = strip_legal_suffixes(name) if name else ""
            if key:
                by_name.setdefault(key, set()).add(account.id)
    return by_domain, by_name


def _evidence(
    contact: Contact,
    by_domain: Mapping[str, set[str]],
    by_name: Mapping[str, set[str]],
    free_mail: frozenset[str],
) -> tuple[set[str], set[str]]:
    """The accounts the contact's email domains point to, and those its organisation does."""
    domains: set[str] = set()
    for email in contact.identity.emails:
        domain = email.domain.lower()
        if domain in free_mail:
            continue
        for parent in _parents(domain):
            if parent in free_mail:
                break
            if parent in by_domain:
                domains |= by_domain[parent]
                break
    organisation = contact.identity.organisation
    key = strip_legal_suffixes(organisation) if organisation else ""
    return domains, set(by_name.get(key, ())) if key else set()


def _choose(domains: set[str], names: set[str]) -> tuple[list[str], str]:
    """The best accounts and the reason: both kinds of evidence first, then domain, name."""
    both = domains & names
    if both:
        return sorted(both), "email_domain_and_name"
    if domains:
        return sorted(domains), "email_domain"
    return sorted(names), "organisation_name"


def link_contacts(
    contacts: Iterable[Contact],
    accounts: Iterable[Account],
    *,
    free_mail: Iterable[str] | None = None,
) -> LinkResult:
    """Propose an ``account_ref`` for each contact by email domain and organisation name.

    ``free_mail`` replaces the shipped free mail domains (:func:`default_free_mail`). A
    contact whose evidence points to one account gets a :class:`LinkProposal`: in
    ``proposals`` when it has no ``account_ref``, in ``confirmed`` when it has that one, in
    ``conflicts`` when it has another (never replaced). A contact whose best evidence points
    to several accounts is ``ambiguous``; one with no evidence is left out.
    """
    people = _records(contacts, Contact, "contacts")
    firms = _records(accounts, Account, "accounts")
    free = _free_mail(free_mail)
    by_domain, by_name = _account_keys(firms, free)
    proposals: list[LinkProposal] = []
    confirmed: list[LinkProposal] = []
    conflicts: list[LinkProposal] = []
    ambiguous: list[str] = []
    for contact in sorted(people, key=lambda c: c.id):
        domains, names = _evidence(contact, by_domain, by_name, free)
        if not domains and not names:
            continue
        best, reason = _choose(domains, names)
        if len(best) > 1:
            ambiguous.append(contact.id)
            continue
        current = contact.identity.account_ref
        proposal = LinkProposal(contact.id, best[0], reason, LINK_REASONS[reason], current)
        if current is None:
            proposals.append(proposal)
        elif current == best[0]:
            confirmed.append(proposal)
        else:
            conflicts.append(proposal)
    return LinkResult(tuple(proposals), tuple(confirmed), tuple(conflicts), tuple(ambiguous))


def apply_links(contacts: Iterable[Contact], result: LinkResult) -> tuple[Contact, ...]:
    """``contacts``, in order, with the proposed ``account_ref`` set where none was.

    Only :attr:`LinkResult.proposals` are applied, and only to a contact that still has no
    ``account_ref``; every other contact comes back as it was.
    """
    if not isinstance(result, LinkResult):
        raise LinkingError("result must be a LinkResult")
    people = _records(contacts, Contact, "contacts")
    chosen = {p.contact_id: p.account_id for p in result.proposals}
    linked: list[Contact] = []
    for contact in people:
        account = chosen.get(contact.id)
        if account is None or contact.identity.account_ref is not None:
            linked.append(contact)
            continue
        identity = attrs.evolve(contact.identity, account_ref=account)
        linked.append(attrs.evolve(contact, identity=identity))
    return tuple(linked)
