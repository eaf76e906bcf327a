"""Language tags are registered BCP 47 tags, and records hold them in canonical form only."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crmcore import Contact, ContactDescriptive, InvalidValueError, language_tag
from crmcore.records.limits import LANGUAGE_TAG_MAX_LENGTH
from crmcore.records.values import language_tag as language_tag_from_values


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("fr_FR", "fr-FR"),
        ("EN", "en"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("FR-fr", "fr-FR"),
        (" de-CH ", "de-CH"),
        ("es-419", "es-419"),
        ("iw", "he"),
        ("en-Latn-US", "en-US"),
        ("fra", "fr"),
        ("en-US-x-Private", "en-US-x-private"),
        ("tlh", "tlh"),
    ],
)
def test_language_tag_gives_the_canonical_form(text: str, canonical: str) -> None:
    assert language_tag(text) == canonical
    assert language_tag(canonical) == canonical


def test_language_tag_is_importable_from_values() -> None:
    assert language_tag_from_values is language_tag


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("klingon!!", "not a BCP 47 language tag"),
        ("en--US", "not a BCP 47 language tag"),
        ("en-", "not a BCP 47 language tag"),
        ("", "not a BCP 47 language tag"),
        ("français", "not a BCP 47 language tag"),
        ("xx", "not a registered language tag"),
        ("en-KK", "not a registered language tag"),
        ("fr-FR-foobar", "not a registered language tag"),
    ],
)
def test_language_tag_refuses_malformed_and_unregistered_tags_without_quoting_them(
    text: str, reason: str
) -> None:
    with pytest.raises(InvalidValueError) as caught:
        language_tag(text)
    assert caught.value.reason == reason
    assert caught.value.field == "language"
    assert caught.value.__context__ is None
    assert caught.value.__cause__ is None
    if text:
        assert text not in str(caught.value)


def test_language_tag_refuses_non_text() -> None:
    with pytest.raises(InvalidValueError, match="expected text"):
        language_tag(["en"])  # type: ignore[arg-type]


def test_language_tag_refuses_long_text_by_its_length() -> None:
    with pytest.raises(InvalidValueError, match="too long"):
        language_tag("en-" + "x" * 10_000_000)
    padded = " " * 100 + "en" + " " * 100
    assert len(padded) > LANGUAGE_TAG_MAX_LENGTH
    assert language_tag(padded) == "en"


@pytest.mark.parametrize("text", ["klingon!!", "xx", "fr_FR", "EN", "zh-hant-tw", " en"])
def test_contact_refuses_a_language_that_is_not_a_canonical_tag(text: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Contact("c-1", descriptive=ContactDescriptive(language=text))
    assert caught.value.field == "language"
    assert text.strip() not in str(caught.value)


def test_contact_keeps_a_canonical_tag() -> None:
    contact = Contact("c-1", descriptive=ContactDescriptive(language="zh-Hant-TW"))
    assert contact.descriptive.language == "zh-Hant-TW"


_SUBTAGS = st.sampled_from(
    [
        "en",
        "EN",
        "fr",
        "zh",
        "hant",
        "Latn",
        "tw",
        "US",
        "419",
        "1996",
        "x",
        "u",
        "ca",
        "iw",
        "gregory",
        "private",
        "klingon",
        "eng",
        "_",
        "!",
        "ZZ",
        "qaa",
        "sgn",
        "i",
        "a",
        "",
    ]
)


@given(st.lists(_SUBTAGS, min_size=1, max_size=6).map("-".join) | st.text(max_size=20))
@example("sl-rozaj-biske")
@example("en-GB-oed")
@example("zh-min-nan")
def test_language_tag_is_idempotent_and_agrees_with_the_constructor(text: str) -> None:
    try:
        canonical = language_tag(text)
    except InvalidValueError:
        return
    assert language_tag(canonical) == canonical
    assert ContactDescriptive(language=canonical).language == canonical
