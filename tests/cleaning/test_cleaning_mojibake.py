"""Rule ``mojibake``: UTF-8 read as Windows-1252 or Latin-1 is read back; nothing else changes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, ContactIdentity, PersonName
from crmcore.cleaning import RULES, CleaningContext, clean, clean_raw, repair_text
from crmcore.cleaning._mojibake import repair_mojibake

CTX = CleaningContext(as_of=datetime(2026, 1, 1, tzinfo=timezone.utc))

NAMES = ["José", "Françoise Müller", "Émilie Ørsted", "Łukasz Wąs", "Ångström", "Zoë", "€1,204"]


def garbled(text: str, codec: str) -> str:
    """``text`` in UTF-8 read as ``codec``; Windows programs show the five bytes Windows-1252
    leaves undefined as their Latin-1 characters."""
    return "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode(codec)
        for b in text.encode("utf-8")
    )


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_mojibake_of_either_encoding_is_read_back(name: str, codec: str) -> None:
    broken = garbled(name, codec)
    assert broken != name
    assert repair_mojibake(broken) == name
    assert repair_text(broken)[0] == name


def test_twice_garbled_text_is_read_back() -> None:
    assert repair_mojibake(garbled(garbled("José", "cp1252"), "cp1252")) == "José"


def test_repair_is_logged_with_rule_mojibake_before_name_case() -> None:
    data = {"id": "c-1", "identity": {"name": {"given": "JosÃ©", "family": "MÃœLLER"}}}
    result = clean_raw(Contact, data, CTX)
    assert result.record.identity.name.given == "José"
    assert result.record.identity.name.family == "Müller"  # repaired, then name-cased
    rules = [(c.path, c.rule) for c in result.changes]
    assert ("identity.name.given", "mojibake") in rules
    assert ("identity.name.family", "mojibake") in rules
    assert "mojibake" in RULES


def test_the_issue_example_is_never_made_worse() -> None:
    result = clean_raw(Contact, {"id": "c-1", "identity": {"name": {"given": "JOSÃ©"}}}, CTX)
    given_name = result.record.identity.name.given
    assert given_name is not None
    assert "Ã" not in given_name
    assert "ã" not in given_name
    assert given_name.casefold() == "josé"


def test_record_stage_repairs_mojibake_too() -> None:
    record = Contact(id="c-1", identity=ContactIdentity(name=PersonName(given="FranÃ§oise")))
    result = clean(record, CTX)
    assert result.record.identity.name.given == "Françoise"
    assert [c.rule for c in result.changes] == ["mojibake"]


@pytest.mark.parametrize(
    "text",
    ["José", "Ãrpád", "Â", "MÃ", "Ã©clair's Ãx", "São Paulo", "Ærø", "naïve café", "ÂÃÄ"],
)
def test_text_that_is_not_mojibake_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == text


def _explained(original: str, fixed: str) -> bool:
    for codec in ("cp1252", "latin-1"):
        current = fixed
        for _ in range(3):
            try:
                current = garbled(current, codec)
            except UnicodeError:  # a lone surrogate has no UTF-8 form
                break
            if current == original:
                return True
    return False


LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x24F)


@given(st.text(LATIN, max_size=30) | st.text(max_size=30))
def test_text_that_is_not_mojibake_is_never_changed(text: str) -> None:
    """Whatever the text, a change is only ever the exact undoing of a UTF-8 misreading."""
    fixed = repair_mojibake(text)
    assert fixed == text or _explained(text, fixed)


@given(st.text(LATIN, min_size=1, max_size=30))
def test_repairs_are_stable(text: str) -> None:
    once = repair_mojibake(text)
    assert repair_mojibake(once) == once or _explained(once, repair_mojibake(once))
