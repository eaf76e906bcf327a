"""The text step: surrogates, control characters, NFC, whitespace and blank text."""

from __future__ import annotations

import pytest

from crmcore import (
    Contact,
    ContactIdentity,
    ContactQualitative,
    EmailAddress,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    QuarantinedValue,
)
from crmcore.cleaning import CleaningContext, clean, clean_text, repair_text
from crmcore.records.custom import CustomFields

CTX = CleaningContext()


def rules(text: str, multiline: bool = False) -> list[str]:
    return [rule for rule, _, _ in repair_text(text, multiline=multiline)[1]]


@pytest.mark.parametrize(
    ("text", "expected", "applied"),
    [
        ("  Jean  ", "Jean", ["whitespace"]),
        ("Jean \t\n Dupont", "Jean Dupont", ["whitespace"]),
        ("Jean\u00a0Dupont", "Jean Dupont", ["whitespace"]),
        ("Cafe\u0301", "Café", ["nfc"]),
        ("Je\x00an\x7f", "Jean", ["control"]),
        ("\ufeffJean\u200b", "Jean", ["control"]),
        ("Jean\ud800", "Jean\ufffd", ["surrogate"]),
        (" e\x00\u0301 ", "é", ["control", "nfc", "whitespace"]),
        ("\x00\u200b ", "", ["control", "whitespace"]),
    ],
)
def test_repair_text_applies_each_rule_in_order(
    text: str, expected: str, applied: list[str]
) -> None:
    fixed, repairs = repair_text(text)
    assert fixed == expected
    assert [rule for rule, _, _ in repairs] == applied
    # each repair chains from the previous one
    assert repairs[0][1] == text
    assert repairs[-1][2] == expected


def test_clean_text_is_returned_as_the_same_object() -> None:
    text = "Anne-Sophie de la Tour"
    assert repair_text(text) == (text, ())
    assert repair_text("Nguyễn Thị") == ("Nguyễn Thị", ())


def test_free_text_keeps_its_line_breaks_and_inner_spacing() -> None:
    fixed, _ = repair_text("  line one\n\n  indented  line\t ", multiline=True)
    assert fixed == "line one\n\n  indented  line"
    assert rules("a\n\nb", multiline=True) == []


def test_clean_text_step_repairs_nested_fields_and_reports_paths() -> None:
    contact = Contact(
        " c-1 ",
        ContactIdentity(
            name=PersonName(given="  Ada ", family="Love\x00lace"),
            addresses=(PostalAddress(lines=("1  Main St", "\u200b"), country="GB"),),
        ),
        qualitative=ContactQualitative(motivations=("price ", "\x01"), notes=(Note(" a\n b "),)),
    )
    cleaned, changes = clean_text(contact, CTX)
    assert cleaned.id == "c-1"
    assert cleaned.identity.name.given == "Ada"
    assert cleaned.identity.name.family == "Lovelace"
    assert cleaned.identity.addresses[0].lines == ("1 Main St",)
    assert cleaned.qualitative.motivations == ("price",)
    assert cleaned.qualitative.notes[0].text == "a\n b"
    assert {(c.path, c.rule) for c in changes} == {
        ("id", "whitespace"),
        ("identity.name.given", "whitespace"),
        ("identity.name.family", "control"),
        ("identity.addresses[0].lines[0]", "whitespace"),
        ("identity.addresses[0].lines[1]", "blank"),
        ("qualitative.motivations[0]", "whitespace"),
        ("qualitative.motivations[1]", "blank"),
        ("qualitative.notes[0].text", "whitespace"),
    }


def test_blank_optional_text_becomes_none() -> None:
    contact = Contact("c", ContactIdentity(name=PersonName(given="\x00", family="Lee")))
    cleaned, changes = clean_text(contact, CTX)
    assert cleaned.identity.name.given is None
    assert [(c.path, c.rule, c.after) for c in changes] == [("identity.name.given", "blank", None)]


def test_required_text_is_never_made_blank() -> None:
    contact = Contact("c", qualitative=ContactQualitative(notes=(Note("\x00"),)))
    cleaned, changes = clean_text(contact, CTX)
    assert cleaned is contact
    assert changes == []


def test_unchanged_record_is_returned_as_the_same_object() -> None:
    contact = Contact(
        "c-1",
        ContactIdentity(
            name=PersonName(given="Ada"),
            emails=(EmailAddress("ada@example.org"),),
            phones=(PhoneNumber("+442079460958"),),
        ),
    )
    cleaned, changes = clean_text(contact, CTX)
    assert cleaned is contact
    assert changes == []


def test_email_text_change_recomputes_the_normalised_form() -> None:
    email = EmailAddress("a\u0301@example.org", normalised="stale@example.org")
    cleaned, changes = clean_text(Contact("c", ContactIdentity(emails=(email,))), CTX)
    fixed = cleaned.identity.emails[0]
    assert fixed.address == "\u00e1@example.org"
    assert fixed.normalised == "\u00e1@example.org"
    assert ("identity.emails[0].normalised", "email.normalise") in {
        (c.path, c.rule) for c in changes
    }


def test_phone_text_change_recomputes_e164_and_keeps_the_extension() -> None:
    phone = PhoneNumber(" 020 7946  0958 ", region="GB", extension="12")
    cleaned, changes = clean_text(Contact("c", ContactIdentity(phones=(phone,))), CTX)
    fixed = cleaned.identity.phones[0]
    assert fixed.number == "020 7946 0958"
    assert fixed.e164 == "+442079460958"
    assert fixed.extension == "12"
    assert [c.rule for c in changes] == ["whitespace"]


def test_quarantine_is_left_exactly_as_it_came() -> None:
    kept = QuarantinedValue("identity.emails[0]", "  RAW\x00 ", "email.unreadable", "bad")
    contact = Contact("c", quarantine=(kept,))
    cleaned, changes = clean_text(contact, CTX)
    assert cleaned is contact
    assert changes == []


def test_custom_text_is_repaired_and_blank_custom_values_removed() -> None:
    from crmcore import ContactDescriptive

    custom = CustomFields({"tier": " gold ", "empty": "\x00", "tags": ("a ", "\u200b")})
    contact = Contact("c", descriptive=ContactDescriptive(custom=custom))
    cleaned, changes = clean_text(contact, CTX)
    assert dict(cleaned.descriptive.custom) == {"tier": "gold", "tags": ("a",)}
    assert {c.path for c in changes} == {
        "descriptive.custom.tier",
        "descriptive.custom.empty",
        "descriptive.custom.tags[0]",
        "descriptive.custom.tags[1]",
    }
    assert all(c.personal for c in changes)


def test_a_value_object_the_repairs_leave_blank_is_dropped_and_logged() -> None:
    from crmcore import PostalAddress

    home = PostalAddress(lines=("\u200b",), label="home")
    record = Contact(
        "c",
        ContactIdentity(
            name=PersonName(given="\u200b"),
            addresses=(home, PostalAddress(country="FR"), PostalAddress()),
        ),
    )
    result = clean(record)
    identity = result.record.identity
    assert identity.name == PersonName()  # a contact's name is never None: it empties
    # An address left empty by the repairs goes; one that came empty is left as it was.
    assert identity.addresses == (PostalAddress(country="FR"), PostalAddress())
    dropped = {(c.path, c.before) for c in result.changes if c.rule == "blank"}
    assert ("identity.addresses[0]", home) in dropped
    assert ("identity.name.given", "\u200b") in dropped
    assert clean(result.record).changes == ()
