"""Keys and outside text made safe for paths, messages and terminal lines."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from crmcore._safe import KEY_LIMIT, is_field_like, key_segment, printable


def test_field_names_are_named_as_they_are() -> None:
    for key in ("loyalty_id", "Mobile Phone Number", "identity.name", "x-crm-tier", "ext 12"):
        assert key_segment(key, 3) == key


def test_keys_that_may_be_personal_are_named_by_position() -> None:
    for key in (
        "ada.lovelace@example.org",
        "+44 20 7946 0958",
        "0612345678",
        "Zoë",
        "a\nb",
        "\x1b[31mred",
        "k" * (KEY_LIMIT + 1),
        "",
        "   ",
        7,
        None,
    ):
        assert key_segment(key, 4) == "<key 4>"


@given(st.text())
def test_a_segment_is_short_and_holds_no_control_character(key: str) -> None:
    segment = key_segment(key, 0)
    assert len(segment) <= KEY_LIMIT
    assert all(char in string.printable and char not in "\n\r\t\x0b\x0c@" for char in segment)
    assert segment == key or segment == "<key 0>"
    assert is_field_like(key) == (segment == key)


def test_printable_escapes_newlines_and_terminal_escapes() -> None:
    assert printable("a\nb\r\x1b[2J\u202e") == "a\\nb\\r\\x1b[2J\\u202e"


def test_printable_cuts_long_text() -> None:
    out = printable("x" * 10_000_000, limit=50)
    assert out == "x" * 50 + "…"


@given(st.text())
def test_printable_output_has_no_control_character(text: str) -> None:
    out = printable(text)
    assert not any(ord(char) < 32 or 127 <= ord(char) < 160 for char in out)
    assert len(out) <= 201


def test_digits_count_however_they_are_separated() -> None:
    for key in ("06 12 34 56 78", "06.12.34.56.78", "4111 1111 1111 1111", "1990-04-09", "q4 2024"):
        assert key_segment(key, 1) == "<key 1>"
    assert key_segment("line 2", 0) == "line 2"
    assert key_segment("utm 2024", 0) == "utm 2024"
