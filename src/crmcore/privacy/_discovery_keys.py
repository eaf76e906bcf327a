"""What identifies a data subject, in the forms records are compared in.

Emails in their normalised form (and case-folded, for a match but for case), phone numbers in
E.164, ids in other systems as ``(system, value)`` pairs, names as case-folded ``(given,
family)`` pairs (both orders, since the two are often swapped on entry) and the birth date.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import attrs
import phonenumbers

from crmcore.privacy.subject import DataSubject
from crmcore.records import PersonName

__all__ = ["SubjectKeys", "fold", "name_keys", "subject_keys", "text_name_keys"]

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` in Unicode NFKC, case-folded, runs of white space made one space, trimmed.

    >>> fold("  Ｌovelace   Byron ")
    'lovelace byron'
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _SPACES.sub(" ", folded).strip()


def _pair(given: str | None, family: str | None) -> frozenset[tuple[str, str]]:
    first = fold(given or "")
    last = fold(family or "")
    if not first or not last:
        return frozenset()  # a given or a family name alone says too little
    return frozenset({(first, last), (last, first)})


def name_keys(name: PersonName) -> frozenset[tuple[str, str]]:
    """The ``(given, family)`` keys of ``name``, in both orders; none unless it has both.

    >>> sorted(name_keys(PersonName(given="Ada", middle="King", family="Lovelace")))
    [('ada', 'lovelace'), ('lovelace', 'ada')]
    """
    return _pair(name.given, name.family)


def text_name_keys(text: str) -> frozenset[tuple[str, str]]:
    """The keys of a name written as text: the last word is the family name.

    >>> sorted(text_name_keys("Augusta Ada Byron"))
    [('augusta ada', 'byron'), ('byron', 'augusta ada')]
    """
    words = fold(text).split(" ")
    if len(words) < 2:
        return frozenset()
    return _pair(" ".join(words[:-1]), words[-1])


@attrs.frozen
class SubjectKeys:
    """The subject's identifiers, normalised for comparison; never shown in a message."""

    emails: frozenset[str]
    folded_emails: frozenset[str]
    phones: frozenset[str]
    external_ids: frozenset[tuple[str, str]]
    names: frozenset[tuple[str, str]]
    birth_date: date | None
    national_numbers: frozenset[str] = frozenset()
    """The national significant numbers of the subject's phones, to spot them in text."""
    phone_regions: tuple[str, ...] = ()
    """The regions of the subject's phones, sorted, to read national forms in text."""


def subject_keys(subject: DataSubject) -> SubjectKeys:
    """The keys of ``subject``, already checked by :class:`DataSubject` itself."""
    emails = frozenset(email.normalised for email in subject.emails)
    names: set[tuple[str, str]] = set()
    for name in subject.names:
        names.update(name_keys(name))
    for text in subject.known_names:
        names.update(text_name_keys(text))
    national: set[str] = set()
    regions: set[str] = set()
    for phone in subject.phones:
        parsed = phonenumbers.parse(phone.e164, None)
        national.add(str(parsed.national_number))
        region = phonenumbers.region_code_for_number(parsed)
        if region and region != "ZZ":
            regions.add(region)
    return SubjectKeys(
        emails=emails,
        folded_emails=frozenset(email.casefold() for email in emails),
        phones=frozenset(phone.e164 for phone in subject.phones),
        external_ids=frozenset((found.system, found.value) for found in subject.external_ids),
        names=frozenset(names),
        birth_date=subject.birth_date,
        national_numbers=frozenset(national),
        phone_regions=tuple(sorted(regions)),
    )
