"""The name-sounds blocking rule: both name parts by their sound, in either order.

The whole-name key (:func:`~crmcore.dedup.name_keys`) pairs names swapped or nicknamed only
when they are spelled alike; the family-name key (:func:`~crmcore.dedup.family_postcode_keys`)
needs a postal code on both sides. A duplicate with its names swapped *and* a typo in one of
them, or a nickname and a typo in the family name, and a new e-mail and phone, shared no key
at all: :func:`name_sound_keys` gives it one.
"""

from __future__ import annotations

import functools
from typing import Any

import attrs

from crmcore.dedup._blocking_columns import Plan, planned
from crmcore.dedup._blocking_values import Names, name_parts, names_of
from crmcore.dedup.nicknames import Nicknames, default_nicknames
from crmcore.dedup.strings import PhoneticAlgorithm, phonetic_code
from crmcore.errors import InvalidValueError

__all__ = ["NameSoundKeys", "name_sound_keys"]

_ALGORITHMS: tuple[PhoneticAlgorithm, ...] = ("nysiis", "metaphone")


@planned
@attrs.frozen
class NameSoundKeys:
    """Name parts by sound, in either order. See :func:`name_sound_keys`."""

    nicknames: Nicknames = attrs.field(factory=default_nicknames, repr=False)

    def __call__(self, record: Any, /) -> tuple[str, ...]:
        """``algorithm:code|code`` (the two parts' codes, sorted) and ``=group|algorithm:code``
        (a part's nickname groups with the other part's code), for both orders of the parts."""
        return self.from_names(names_of(record))

    def plan(self, record_type: type[Any], /) -> Plan:
        """Its keys from the names (:mod:`~crmcore.dedup._blocking_columns`)."""
        return Plan((names_of,), self.from_names)

    def from_names(self, names: Names) -> tuple[str, ...]:
        """The keys of a record's names: those of its first name with a given or family
        name, when it has both."""
        parts = name_parts(names)
        if not parts or not all(parts[0]):
            return ()
        return _sound_keys(*parts[0], self.nicknames)


@functools.lru_cache(maxsize=65536)
def _sound_keys(given: str, family: str, nicknames: Nicknames) -> tuple[str, ...]:
    """The keys of :class:`NameSoundKeys` for two folded name parts, computed once per names:
    names repeat across records far more than records do."""
    keys: set[str] = set()
    for algorithm in _ALGORITHMS:
        codes = {part: phonetic_code(part, algorithm) for part in (given, family)}
        if not all(codes.values()):
            continue
        keys.add(f"{algorithm}:" + "|".join(sorted(codes.values())))
        for one, other in ((given, family), (family, given)):
            keys.update(
                f"={group}|{algorithm}:{codes[other]}"
                for group in nicknames.groups_near(one.split()[0])
            )
    return tuple(sorted(keys))


def name_sound_keys(nicknames: Nicknames | None = None) -> NameSoundKeys:
    """Block on both name parts by sound, in either order, and on nicknames by sound.

    Keys for each of two phonetic algorithms (NYSIIS and metaphone: each hears variants the
    other does not): the codes of the given and family names, sorted, so that the names
    swapped with a typo in one of them share it (a typo rarely changes a name's sound); and
    each nickname group of either part's first word with the other part's code, so that a
    nickname beside a misspelt family name, or beside it swapped, shares one. Relatives
    (another given name under the family name) share none. Needs the ``dedup`` extra
    (jellyfish).

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> def person(given, family):
    ...     return Contact("c", ContactIdentity(name=PersonName(given=given, family=family)))
    >>> rule = name_sound_keys()
    >>> bool(set(rule(person("Christophe", "Dubois"))) & set(rule(person("Dubois", "Christtophe"))))
    True
    >>> bool(set(rule(person("Liz", "Williams"))) & set(rule(person("Williams", "Elizabeth"))))
    True
    >>> bool(set(rule(person("Anna", "Weber"))) & set(rule(person("Peter", "Weber"))))
    False
    """
    if nicknames is not None and not isinstance(nicknames, Nicknames):
        raise InvalidValueError("expected a Nicknames table", field="nicknames")
    return NameSoundKeys(default_nicknames() if nicknames is None else nicknames)
