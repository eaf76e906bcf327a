"""Phone numbers read once: the store, and the guarantee that makes reusing a reading safe."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from crmcore.errors import InvalidValueError
from crmcore.records import _phones, values
from crmcore.validation import phones as rules

REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
LINE_TYPES = [
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER,
    PhoneNumberType.PAGER,
    PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
]


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    def clear() -> None:
        _phones.clear()
        values.parse_phone.cache_clear()
        rules._read_cached.cache_clear()

    clear()
    yield
    clear()


@st.composite
def national_texts(draw: st.DrawFn) -> tuple[str, str]:
    """A region and a number written nationally: an example number with a few digits changed.

    Most are still valid numbers of that region; some become invalid or impossible.
    """
    region = draw(st.sampled_from(REGIONS))
    line_type = draw(st.sampled_from(LINE_TYPES))
    example = phonenumbers.example_number_for_type(region, line_type)
    assume(example is not None)
    assert example is not None
    digits = list(phonenumbers.national_significant_number(example))
    changes = draw(
        st.lists(
            st.tuples(st.integers(0, len(digits) - 1), st.sampled_from("0123456789")),
            max_size=4,
        )
    )
    for index, digit in changes:
        digits[index] = digit
    if draw(st.booleans()):
        digits.append(draw(st.sampled_from("0123456789")))
    text = "".join(digits)
    if draw(st.booleans()):
        # Also as a person would write it: the national format, national prefix included.
        try:
            number = phonenumbers.parse(f"+{example.country_code}{text}", None)
            text = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        except phonenumbers.NumberParseException:
            pass
    return region, text


def _facts(number: phonenumbers.PhoneNumber) -> tuple[Any, ...]:
    return (
        phonenumbers.number_type(number),
        phonenumbers.is_possible_number(number),
        number.country_code,
        number.national_number,
        bool(number.italian_leading_zero),
        number.number_of_leading_zeros or 1,
        phonenumbers.format_number(number, PhoneNumberFormat.E164),
        phonenumbers.region_code_for_number(number),
    )


@settings(max_examples=500)
@given(national_texts(), st.sampled_from([None, "US", "GB", "FR"]))
def test_a_valid_number_reads_back_the_same_from_its_e164_form(
    written: tuple[str, str], other_region: str | None
) -> None:
    """The guarantee the rules rely on: a valid number's E.164 form is that same number."""
    region, text = written
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        assume(False)
        raise
    assume(phonenumbers.is_valid_number(parsed))
    e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    for read_in in (region, other_region):
        assert _facts(phonenumbers.parse(e164, read_in)) == _facts(parsed)


@settings(max_examples=300)
@given(national_texts())
def test_the_rules_answer_the_same_with_or_without_a_remembered_reading(
    written: tuple[str, str],
) -> None:
    """Valid or not, what the rules find does not depend on what cleaning read before."""
    region, text = written
    values.parse_phone.cache_clear()  # per example: a cached parse would remember nothing
    _phones.clear()
    try:
        e164, _ = values.parse_phone(text, region)
    except Exception:
        assume(False)
        raise
    assert _phones.size() == 1
    handed_over = rules._read(e164, region)
    _phones.clear()
    assert rules._read(e164, region) == handed_over


def test_an_invalid_number_whose_e164_form_reads_otherwise_is_refused() -> None:
    # Read nationally in JE, "0800954567" keeps its 0 (the number is invalid); its E.164
    # form, +440800954567, would read back as another, valid, number (+44800954567). No
    # record may hold an E.164 form that names another number.
    with pytest.raises(InvalidValueError, match="reads back as another number"):
        values.parse_phone("0800954567", "JE")
    with pytest.raises(InvalidValueError, match="reads back as another number"):
        values.parse_phone("000-000-0000", "DE")
    assert rules.PhoneFacts._make(rules._read("+440800954567", "JE")).e164 == "+44800954567"


def test_an_invalid_number_whose_e164_form_reads_back_keeps_it() -> None:
    e164, _ = values.parse_phone("+1 200 555 0100", None)  # no such area code
    assert e164 == "+12005550100"
    assert not phonenumbers.is_valid_number(phonenumbers.parse(e164, None))


def test_a_reading_is_taken_back_once() -> None:
    e164, _ = values.parse_phone("020 7946 0958", "GB")
    assert _phones.recall(e164) is not None
    assert _phones.recall(e164) is None


def test_the_store_forgets_its_oldest_entries_beyond_its_limit() -> None:
    number = phonenumbers.parse("+442079460958", None)
    limit = _phones.LIMIT
    keys = [f"+1{index:010d}" for index in range(3 * limit + 10)]
    for key in keys:
        _phones.remember(key, number)
    assert _phones.size() == limit + 10  # the older generation, and ten in the newer
    assert _phones.recall(keys[0]) is None
    assert _phones.recall(keys[2 * limit - 1]) is None  # the last of a dropped generation
    assert _phones.recall(keys[2 * limit]) is number  # the first of the older generation
    assert _phones.recall(keys[-1]) is number
    assert _phones.size() == limit + 8


def test_the_rules_take_a_valid_number_over_without_parsing_it(monkeypatch: Any) -> None:
    e164, _ = values.parse_phone("020 7946 0958", "GB")

    def no_parse(*args: Any) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(rules.phonenumbers, "parse", no_parse)
    facts = rules.PhoneFacts._make(rules._read(e164, "GB"))
    assert facts.valid
    assert facts.e164 == e164 == "+442079460958"
    assert _phones.recall(e164) is None  # taken over


def test_a_number_starting_with_a_national_prefix_is_not_taken_over() -> None:
    assert not rules._reads_back(phonenumbers.parse("0800954567", "JE"))
    assert rules._reads_back(phonenumbers.parse("020 7946 0958", "GB"))
    assert rules._reads_back(phonenumbers.parse("+80012345678", None))  # no national prefix


def _possible_then_valid(text: str, region: str | None) -> str | bool:
    """The reader's verdict asked the plain way: ``"impossible"``, else whether it is valid."""
    parsed = phonenumbers.parse(text, region)
    if not phonenumbers.is_possible_number(parsed):
        return "impossible"
    return bool(phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.UNKNOWN)


def _verdict(text: str, region: str | None) -> str | bool:
    try:
        return values.read_phone(text, region)[2]
    except InvalidValueError as refused:
        return "impossible" if refused.code == "phone.impossible" else "other"


def test_a_valid_number_of_any_region_and_type_is_possible_as_the_reader_says() -> None:
    """The reader asks whether a valid number is possible only for calling codes that several
    regions share; for every example number phonenumbers has (each region, each type), and
    each of them with a digit dropped or added, its verdict is that of asking first."""
    checked = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(12):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = phonenumbers.national_significant_number(example)
            for digits in (national, national[:-1], national + "0"):
                text = f"+{example.country_code}{digits}"
                expected = _possible_then_valid(text, None)
                if expected is False:  # an invalid one may also be ambiguous (refused)
                    assert _verdict(text, None) in (False, "other"), text
                else:
                    assert _verdict(text, None) == expected, text
                if expected is True:
                    checked += 1
    assert checked > 1000


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=3, max_size=16),
    st.sampled_from(["US", "CA", "GB", "JE", "IT", "VA", "RU", "KZ", "FR", "DE", "AU", "001"]),
    st.booleans(),
)
def test_the_reader_says_impossible_exactly_when_asking_first_would(
    digits: str, region: str, international: bool
) -> None:
    text = f"+{digits}" if international else digits
    try:
        expected = _possible_then_valid(text, region)
    except phonenumbers.NumberParseException:
        return
    verdict = _verdict(text, region)
    if expected is False:
        assert verdict in (False, "other")
    else:
        assert verdict == expected


@settings(max_examples=500)
@given(national_texts(), st.sampled_from([None, "US", "CA", "GB", "JE", "RU", "KZ"]))
def test_line_type_is_number_type(written: tuple[str, str], read_in: str | None) -> None:
    """The line type found with the number's region is phonenumbers' own, valid or not."""
    region, text = written
    for where in (region, read_in):
        try:
            parsed = phonenumbers.parse(text, where)
        except phonenumbers.NumberParseException:
            continue
        assert _phones.line_type(parsed) == phonenumbers.number_type(parsed)


def test_line_type_is_number_type_for_every_region_of_a_shared_calling_code() -> None:
    """Every example number of every line type of each region that shares its calling code,
    as it is and with its last digit changed: the same line type as ``number_type``."""
    compared = 0
    for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items():
        if len(regions) < 2:
            continue
        for region in regions:
            for kind in LINE_TYPES:
                example = phonenumbers.example_number_for_type(region, kind)
                if example is None:
                    continue
                national = phonenumbers.national_significant_number(example)
                for last in "0123456789":
                    parsed = phonenumbers.parse(f"+{code}{national[:-1]}{last}", None)
                    assert _phones.line_type(parsed) == phonenumbers.number_type(parsed)
                    compared += 1
    assert compared > 1000
    unknown = phonenumbers.parse("+19999999999", None)  # in no region of its code
    assert _phones.line_type(unknown) == phonenumbers.number_type(unknown)
    assert _phones.line_type(unknown) == PhoneNumberType.UNKNOWN
