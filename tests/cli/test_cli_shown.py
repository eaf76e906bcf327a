"""Nothing the commands print holds control characters, an email or megabytes from the input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import Contact, Deal
from crmcore.cli import main
from crmcore.cli._shown import UNKNOWN_KEY, shown_column, shown_path

EMAIL = "ada.lovelace@example.org"
FORGED = "x\n\x1b[31mline 9: forged\x1b[0m\r"
HUGE = "k" * 10_000_000

ROWS = [
    {"id": "c-1", "identity": {"emails": {EMAIL: "work"}}},
    {"id": "c-2", FORGED: 1},
    {"id": "c-3", "identity": {"custom": {EMAIL: "x"}}},
    {"id": "c-4", "descriptive": {"custom": {FORGED: "x"}}},
    {"id": "c-5", HUGE: 1},
    {"id": "c-6", "identity": {"name": {EMAIL: "Ada"}}},
]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("identity.emails[0].address", "identity.emails[0].address"),
        ("identity.emails[0]." + EMAIL, "identity.emails[0]." + UNKNOWN_KEY),
        (EMAIL, UNKNOWN_KEY),
        ("identity.custom." + EMAIL, "identity.custom." + UNKNOWN_KEY),
        ("identity.custom.tier", "identity.custom.tier"),
        ("identity.emial", "identity.emial"),
        ("identity.emails.<key 3>", "identity.emails.<key 3>"),
        (FORGED, UNKNOWN_KEY),
        ("quarantine[2]", "quarantine[2]"),
        ("identity.addresses[0].lines[1]", "identity.addresses[0].lines[1]"),
        ("identity.phones[0].0612345678", "identity.phones[0]." + UNKNOWN_KEY),
    ],
)
def test_shown_path_keeps_fields_and_field_like_keys_only(path: str, shown: str) -> None:
    assert shown_path(Contact, path) == shown


def test_shown_path_of_a_huge_key_is_short() -> None:
    assert shown_path(Contact, "identity." + HUGE) == "identity." + UNKNOWN_KEY
    assert shown_path(Deal, HUGE) == UNKNOWN_KEY


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=4))
def test_shown_path_never_shows_a_control_character_or_an_at(segments: list[str]) -> None:
    shown = shown_path(Contact, ".".join(segments))
    assert not any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in shown)
    assert "@" not in shown
    assert len(shown) <= 400


def test_shown_column_names_a_column_by_position_when_it_may_hold_a_value() -> None:
    assert shown_column("E-mail", 0) == "'E-mail'"
    assert shown_column(EMAIL, 2) == "column 3"
    assert shown_column("Tel 0612345678", 0) == "column 1"
    assert "\n" not in shown_column("Notes\nforged", 0)


def _assert_clean(text: str) -> None:
    assert EMAIL not in text
    assert "\x1b" not in text
    assert "\r" not in text
    assert not any(line.startswith("line 9") for line in text.splitlines())
    assert len(text) < 100_000


@pytest.mark.parametrize("command", ["convert", "validate", "clean"])
def test_planted_keys_reach_no_output(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    changes = tmp_path / "changes.jsonl"
    argv = [command, str(source), "--as-of", "2025-06-01", "--no-progress"]
    if command == "clean":
        argv += ["--changes", str(changes)]
    main(argv)
    out, err = capsys.readouterr()
    _assert_clean(err)
    if command == "clean":  # stdout holds the records, with their quarantined values
        _assert_clean(changes.read_text(encoding="utf-8"))
    else:
        _assert_clean(out)
    assert err.count("\n") < 40


def test_unmapped_columns_are_named_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.csv"
    header = "x\x1b[2J\x1b[31mforged\x1b[0m"  # a header is one line: no newline in it
    source.write_text(f"Ref,{header},{EMAIL}\nc-1,a,b\n", encoding="utf-8", newline="")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Ref": "id"}), encoding="utf-8")
    argv = ["convert", str(source), "--mapping", str(mapping), "--no-progress"]
    assert main(argv) == 2
    _, err = capsys.readouterr()
    _assert_clean(err)
    assert "column 3" in err
    assert main([*argv, "--ignore-extra"]) == 0
    _, err = capsys.readouterr()
    _assert_clean(err)
    assert "ignoring unmapped columns [" in err
    assert "'x\\x1b[2J\\x1b[31mforged\\x1b[0m'" in err
