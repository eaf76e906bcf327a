"""Tests for crmcore.privacy._scrub: the subject's emails, phones and names out of free text."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore.privacy._scrub import ERASED, Scrubber, fold
from crmcore.privacy.subject import DataSubject
from crmcore.records.values import PersonName, PhoneNumber

SUBJECT = DataSubject(
    names=(PersonName(given="Ada", family="Lovelace"),),
    emails=("Ada.Lovelace@Example.org",),
    phones=(PhoneNumber("020 7946 0958", region="GB"),),
    known_names=("Lovelacea", "Augusta Ada King"),
)
SCRUB = Scrubber.for_subject(SUBJECT, protected=(PersonName(given="Bob", family="Lovelace"),))


def scrub(text: str, *regions: str) -> str:
    return SCRUB.scrub(text, regions)[0]


@pytest.mark.parametrize(
    "text",
    [
        "ada.lovelace@example.org",
        "ADA.LOVELACE@EXAMPLE.ORG",
        "Ada.Lovelace@example.ORG",
        "ＡＤＡ.ＬＯＶＥＬＡＣＥ＠ｅｘａｍｐｌｅ.ｏｒｇ",
    ],
)
def test_emails_in_any_case_and_width(text: str) -> None:
    """GDPR Art. 17(1): the subject's email goes, however it was typed."""
    assert scrub(f"write to {text}.") == f"write to {ERASED['email']}."


def test_a_longer_address_is_someone_else() -> None:
    text = "xada.lovelace@example.org and ada.lovelace@example.org.uk"
    assert scrub(text) == text


@pytest.mark.parametrize(
    "text",
    ["020 7946 0958", "(020) 7946-0958", "+44 20 7946 0958", "+442079460958", "0044 20 7946 0958"],
)
def test_phones_in_national_and_international_formats(text: str) -> None:
    """GDPR Art. 17(1): the subject's phone number in any national format of its region."""
    assert scrub(f"call {text} today", "GB") == f"call {ERASED['phone']} today"


def test_national_phones_fall_back_on_the_subjects_regions() -> None:
    assert scrub("call 020 7946 0958") == f"call {ERASED['phone']}"


def test_a_region_given_first_reads_national_numbers() -> None:
    subject = DataSubject(phones=("+33 1 42 68 53 00",))
    scrubber = Scrubber.for_subject(subject)
    assert scrubber.scrub("tel 01 42 68 53 00", ("FR",))[0] == f"tel {ERASED['phone']}"


def test_other_numbers_stay() -> None:
    text = "call 020 7946 0959 or +33 1 42 68 53 00; order 0207946"
    assert scrub(text, "GB") == text


@pytest.mark.parametrize(
    "text",
    [
        "Ada Lovelace",
        "ada lovelace",
        "LOVELACE, Ada",
        "Lovelace Ada",
        "Ada\nLovelace",
        "Ada\r\n  Lovelace",
        "Lovelace",
        "Ａｄａ Ｌｏｖｅｌａｃｅ",
        "Lovelacea",
        "Augusta Ada\nKing",
    ],
)
def test_names_full_reversed_family_across_lines_nfkc_known(text: str) -> None:
    """GDPR Art. 17(1): full, reversed, family name alone, across lines, NFKC, known forms."""
    assert scrub(f"Met {text}; fine.") == f"Met {ERASED['name']}; fine."


def test_decomposed_accents_match_composed_names() -> None:
    scrubber = Scrubber.for_subject(DataSubject(names=("Zoé Ölçer",)))
    decomposed = unicodedata.normalize("NFD", "Zoé Ölçer")
    assert scrubber.scrub(f"({decomposed})", ())[0] == f"({ERASED['name']})"


def test_a_name_inside_a_longer_word_stays() -> None:
    text = "Lovelaces, Adalovelace, lovelace_bot"
    assert scrub(text) == text


def test_the_family_name_alone_spares_another_known_person() -> None:
    text = "Bob Lovelace said Lovelace was away; bob.lovelace@example.net"
    assert scrub(text) == f"Bob Lovelace said {ERASED['name']} was away; bob.lovelace@example.net"


def test_what_was_found_is_reported_by_kind() -> None:
    _, found = SCRUB.scrub("Ada Lovelace, ADA.LOVELACE@example.org, 020 7946 0958", ("GB",))
    assert found == (
        ("name", "Ada Lovelace"),
        ("email", "Ada.Lovelace@example.org"),
        ("phone", "+442079460958"),
    )


def test_fold_maps_back_to_the_original() -> None:
    folded, origin = fold("Ａß")
    assert folded == "ass"
    assert origin == (0, 1, 1)


OTHER_ALPHABET = "bfghjkmnpqrstuwxyzBFGHJKMNPQRSTUWXYZßøñ€—“”…!?;:-_/ \t\r\n"
EDGE = st.sampled_from("bfghjkmnpqrstuwxyz")
OTHER = st.builds(
    lambda first, middle, last: first + middle + last,
    EDGE,
    st.text(alphabet=OTHER_ALPHABET, max_size=30),
    EDGE,
)
PLANTED = st.sampled_from(
    [
        "ada.lovelace@example.org",
        "ADA.LOVELACE@EXAMPLE.ORG",
        "Ada.Lovelace@Example.Org",
        "020 7946 0958",
        "+44 20 7946 0958",
        "+442079460958",
        "Ada Lovelace",
        "LOVELACE, Ada",
        "Ada\nLovelace",
        "Lovelace",
        "Ａｄａ Ｌｏｖｅｌａｃｅ",
        "Lovelacea",
    ]
)
SEGMENTS = st.lists(st.tuples(OTHER, st.none() | PLANTED), min_size=1, max_size=8)
TOKENS = re.compile(r"\[erased (?:email|phone|name)\]")


@settings(max_examples=150, deadline=None)
@given(SEGMENTS)
def test_planted_values_go_and_others_text_stays(segments: list[tuple[str, str | None]]) -> None:
    """GDPR Art. 17(1): nothing of the subject is left; others' text stays byte for byte.

    Each planted value sits between two pieces of others' text (a value planted right after
    another may read as one name: ``Lovelace Ada`` is the reversed name).
    """
    text = " ".join(f"{other} {planted}" if planted else other for other, planted in segments)
    result = scrub(text, "GB")
    folded = unicodedata.normalize("NFKC", result).casefold()
    assert "lovelace" not in folded
    assert "ada.lovelace@example.org" not in folded
    for match in phonenumbers.PhoneNumberMatcher(result, "GB"):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        assert number != "+442079460958"
    expected = " ".join(f"{other} " if planted else other for other, planted in segments)
    assert TOKENS.sub("", result) == expected


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=OTHER_ALPHABET + "0123456789+()@.", max_size=200))
def test_text_without_the_subject_is_unchanged(text: str) -> None:
    assert scrub(text, "GB") == text


def test_long_pathological_texts_take_linear_time() -> None:
    """A megabyte-sized note of many matches, long digit runs or no "@" stays fast."""
    import time

    texts = [
        "Ada Lovelace 020 7946 0958 ada.lovelace@example.org Bob Lovelace " * 5_000,
        "1" * 300_000,
        "a" * 300_000 + "@",
        "Lovelace" + " " * 300_000 + "Ada",
    ]
    started = time.perf_counter()
    for text in texts:
        scrub(text, "GB")
    assert time.perf_counter() - started < 40  # a generous bound: quadratic took minutes
