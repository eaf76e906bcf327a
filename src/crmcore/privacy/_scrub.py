"""Scrub a data subject's emails, phone numbers and names out of free text.

Matching is done on a folded copy of the text (each character NFKD, case-folded, NFKD again),
so ``ＡＤＡ@Example.org`` finds ``ada@example.org`` and ``LOVELACE`` finds ``Lovelace``; each
match is mapped back to the characters of the original text, and only those are replaced.
Every other character stays as it was, byte for byte.

- Emails: each of the subject's addresses, in any case, not inside a longer address.
- Phones: :class:`phonenumbers.PhoneNumberMatcher` in each region given (the record's, then its
  neighbours', then the subject's phones'); a number found is replaced when its E.164 form is
  one of the subject's.
- Names: each full name (given, middle, family), given and family, reversed (``Lovelace, Ada``
  or ``Lovelace Ada``), the family name alone, and every known name; words may be split by
  any white space, line breaks included. The family name alone is not taken inside another
  person's full name that the caller names (``protected``), nor inside an email address that
  is not the subject's.

>>> from crmcore.privacy.subject import DataSubject
>>> s = Scrubber.for_subject(DataSubject(names=("Ada Lovelace",), emails=("ada@example.org",)))
>>> s.scrub("Call LOVELACE,\\nAda (ADA@example.org); Bob Byron agrees.", ())[0]
'Call [erased name] ([erased email]); Bob Byron agrees.'
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator

import attrs
import phonenumbers

from crmcore.privacy.subject import DataSubject
from crmcore.records.values import PersonName

__all__ = ["ERASED", "Found", "Scrubber", "fold"]

ERASED = {"email": "[erased email]", "phone": "[erased phone]", "name": "[erased name]"}
"""What each kind of match is replaced with."""

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_BEFORE = rf"(?<![\w{_MARKS}])"
_AFTER = rf"(?![\w{_MARKS}])"
_GAP = r"[\s,]*\s"  # words of a name, split by spaces or line breaks
_TOKEN = r"[^\s<>()\[\]{},;:\"'@]"
# starts only where a token starts, so that a long run without "@" is read once, not once
# per character
_EMAIL_LIKE = re.compile(rf"(?<!{_TOKEN}){_TOKEN}+@{_TOKEN}+")
_SHORTEST = 6  # a national number shorter than this is too common to look for by its digits
_DIGIT_RUN = re.compile(r"\+?\d(?:[\s().\-/]{0,3}\d)*")

Found = tuple[str, str]
"""A match: its kind (``"email"``, ``"phone"`` or ``"name"``) and the text to digest."""


def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())


def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """The folded form of ``text`` and, for each of its characters, its index in ``text``.

    >>> fold("Ｌé")
    ('le\\u0301', (0, 1, 1))
    """
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), tuple(origin)


def _folded(text: str) -> str:
    return "".join(_fold_char(char) for char in text)


def _words(text: str) -> list[str]:
    return [_folded(word) for word in text.split()]


def _phrase(words: list[str]) -> str:
    return _GAP.join(re.escape(word) for word in words)


def _name_phrases(name: PersonName) -> list[str]:
    given = _words(name.given or "")
    middle = _words(name.middle or "")
    family = _words(name.family or "")
    phrases = [_phrase(_words(name.display))]
    if given and family:
        phrases.append(_phrase(given + middle + family))
        phrases.append(_phrase(given + family))
        phrases.append(_phrase(family + given + middle))
        phrases.append(_phrase(family + given))
    return [phrase for phrase in phrases if phrase]


def _pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted(set(phrases), key=lambda item: (-len(item), item))
    if not unique:
        return None
    return re.compile(_BEFORE + "(?:" + "|".join(unique) + ")" + _AFTER)


Span = tuple[int, int, str, str]


@attrs.frozen
class Scrubber:
    """What to look for in free text for one subject; build it with :meth:`for_subject`."""

    emails: re.Pattern[str] | None
    addresses: dict[str, str]
    """Each folded address of the subject, to its normalised form (what is digested)."""
    phones: frozenset[str]
    digit_forms: tuple[tuple[str, str], ...]
    """Each way of dialling a subject's number, as digits (international, 00, national)."""
    names: re.Pattern[str] | None
    families: re.Pattern[str] | None
    protected: re.Pattern[str] | None
    regions: tuple[str, ...]

    @classmethod
    def for_subject(cls, subject: DataSubject, protected: Iterable[PersonName] = ()) -> Scrubber:
        """A scrubber for ``subject``, that leaves the ``protected`` names of others alone."""
        emails = _pattern(
            rf"(?<![\w.+\-]){re.escape(_folded(email.normalised))}(?![\w\-]|\.\w)"
            for email in subject.emails
        )
        phrases = [phrase for name in subject.names for phrase in _name_phrases(name)]
        phrases.extend(_phrase(_words(known)) for known in subject.known_names)
        families = [_phrase(_words(name.family)) for name in subject.names if name.family]
        others = [phrase for name in protected for phrase in _name_phrases(name)]
        regions: list[str] = []
        for phone in subject.phones:
            region = phone.region or phonenumbers.region_code_for_number(
                phonenumbers.parse(phone.e164)
            )
            if region and region != "ZZ" and region not in regions:
                regions.append(region)
        forms: dict[str, str] = {}
        for phone in subject.phones:
            parsed = phonenumbers.parse(phone.e164)
            forms[phone.e164[1:]] = phone.e164
            forms["00" + phone.e164[1:]] = phone.e164
            national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
            digits = "".join(char for char in national if char.isdigit())
            if len(digits) >= _SHORTEST:
                forms[digits] = phone.e164
        return cls(
            emails=emails,
            digit_forms=tuple(sorted(forms.items(), key=lambda item: (-len(item[0]), item[0]))),
            addresses={_folded(email.normalised): email.normalised for email in subject.emails},
            phones=frozenset(phone.e164 for phone in subject.phones),
            names=_pattern(phrase for phrase in phrases if phrase),
            families=_pattern(phrase for phrase in families if phrase),
            protected=_pattern(phrase for phrase in others if phrase),
            regions=tuple(regions),
        )

    def scrub(self, text: str, regions: Iterable[str]) -> tuple[str, tuple[Found, ...]]:
        """``text`` with the subject's data replaced, and what was found (kind, text).

        ``regions`` are the regions to read national phone numbers in, best first; the
        subject's phones' regions are tried after them.
        """
        text_regions = (*regions, *self.regions)
        folded, origin = fold(text)
        spans: list[Span] = []

        def back(start: int, end: int) -> tuple[int, int]:
            return origin[start], origin[end - 1] + 1

        if self.emails is not None:
            for match in self.emails.finditer(folded):
                start, end = back(*match.span())
                spans.append((start, end, "email", self.addresses[match.group()]))
        if self.phones:
            spans.extend(self._phones(text, text_regions))
        taken = [(start, end) for start, end, _, _ in spans]
        if taken:  # names never run into an email or a number already found
            chars = list(folded)
            for start, end in taken:
                for index in range(bisect_left(origin, start), bisect_left(origin, end)):
                    chars[index] = "\x00"
            folded = "".join(chars)
        if self.names is not None:
            for match in self.names.finditer(folded):
                start, end = back(*match.span())
                spans.append((start, end, "name", text[start:end]))
        if self.families is not None:
            shield = list(taken)
            shield.extend((a, b) for a, b, kind, _ in spans if kind == "name")
            if self.protected is not None:
                shield.extend(back(*m.span()) for m in self.protected.finditer(folded))
            shield.extend(m.span() for m in _EMAIL_LIKE.finditer(text))
            merged = _merge(shield)
            starts = [start for start, _ in merged]
            for match in self.families.finditer(folded):
                start, end = back(*match.span())
                if not _overlaps(merged, starts, start, end):
                    spans.append((start, end, "name", text[start:end]))
        return _replace(text, spans)

    def _phones(self, text: str, regions: Iterable[str]) -> list[Span]:
        found: list[Span] = []
        seen: set[tuple[int, int]] = set()
        for region in dict.fromkeys((*regions, None)):
            matcher = phonenumbers.PhoneNumberMatcher(
                text, region, leniency=phonenumbers.Leniency.POSSIBLE
            )
            for match in matcher:
                span = (match.start, match.end)
                if span in seen:
                    continue
                number = phonenumbers.format_number(
                    match.number, phonenumbers.PhoneNumberFormat.E164
                )
                if number in self.phones:
                    seen.add(span)
                    found.append((match.start, match.end, "phone", number))
        found.extend(self._dialled(text))
        return found

    def _dialled(self, text: str) -> Iterator[Span]:
        """The subject's numbers the matcher missed: glued to other numbers, odd spacing."""
        for run in _DIGIT_RUN.finditer(text):
            places = [index for index in range(*run.span()) if text[index].isdigit()]
            digits = "".join(text[index] for index in places)
            for form, number in self.digit_forms:
                at = digits.find(form)
                while at >= 0:
                    first, last = places[at], places[at + len(form) - 1]
                    glued = (first > 0 and text[first - 1].isdigit()) or (
                        last + 1 < len(text) and text[last + 1].isdigit()
                    )
                    if not glued:
                        start = first - 1 if first > 0 and text[first - 1] == "+" else first
                        yield start, last + 1, "phone", number
                    at = digits.find(form, at + 1)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _overlaps(merged: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, disjoint ``merged`` spans."""
    index = bisect_right(starts, start) - 1
    if index >= 0 and merged[index][1] > start:
        return True
    return index + 1 < len(merged) and merged[index + 1][0] < end


def _replace(text: str, spans: list[Span]) -> tuple[str, tuple[Found, ...]]:
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    pieces: list[str] = []
    found: list[Found] = []
    at = 0
    for start, end, kind, value in spans:
        if start < at:  # overlaps a match already replaced: replace its tail too
            if end > at:
                found.append((kind, value))
                at = end
            continue
        pieces.append(text[at:start])
        pieces.append(ERASED[kind])
        found.append((kind, value))
        at = end
    pieces.append(text[at:])
    return "".join(pieces), tuple(found)
