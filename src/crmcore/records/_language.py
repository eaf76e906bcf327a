"""BCP 47 language tags: check one against the IANA subtag registry and give its canonical form.

The registry and the canonical forms come from langcodes, which ships the registry.
"""

from __future__ import annotations

import functools

import langcodes
from langcodes.tag_parser import LanguageTagError

from crmcore.errors import InvalidValueError
from crmcore.records.limits import LANGUAGE_TAG_MAX_LENGTH

__all__ = ["language_tag"]


def language_tag(text: str) -> str:
    """Return the canonical form of a BCP 47 language tag, or raise :class:`InvalidValueError`.

    Case follows BCP 47 (``fr_FR`` and ``FR-fr`` give ``fr-FR``, ``zh-hant-tw`` gives
    ``zh-Hant-TW``), an underscore is read as a hyphen, surrounding whitespace is dropped, and
    deprecated or redundant subtags give way to their preferred forms as the IANA registry says
    (``iw`` gives ``he``, ``en-Latn-US`` gives ``en-US``; a three-letter code with a two-letter
    one gives the two-letter one: ``fra`` gives ``fr``). A tag that is malformed or names a
    subtag the registry does not hold is refused; the message never quotes it.

    >>> language_tag("fr_FR"), language_tag("EN"), language_tag("zh-hant-tw")
    ('fr-FR', 'en', 'zh-Hant-TW')
    >>> language_tag("klingon!!")
    Traceback (most recent call last):
      ...
    crmcore.errors.InvalidValueError: language: not a BCP 47 language tag
    """
    if not isinstance(text, str):
        raise InvalidValueError("expected text", field="language", code="value.wrong_type")
    if len(text) > LANGUAGE_TAG_MAX_LENGTH:
        text = text.strip()
        if len(text) > LANGUAGE_TAG_MAX_LENGTH:
            raise InvalidValueError(
                "too long for a language tag", field="language", code="language.too_long"
            )
    canonical = canonical_tag(text.strip())
    if canonical is None:
        raise InvalidValueError(
            "not a BCP 47 language tag", field="language", code="language.invalid"
        )
    if not canonical:
        raise InvalidValueError(
            "not a registered language tag", field="language", code="language.unknown"
        )
    return canonical


@functools.lru_cache(maxsize=2048)
def canonical_tag(text: str) -> str | None:
    """The canonical tag; ``None`` when malformed, ``""`` when a subtag is not registered."""
    if not text.isascii():
        return None
    try:
        canonical = langcodes.standardize_tag(text)
    except LanguageTagError:
        return None  # raised outside the handler: the chain keeps no trace of the text
    return canonical if langcodes.tag_is_valid(canonical) else ""
