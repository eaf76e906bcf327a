"""Folding text for comparison."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore.dedup._text import fold, tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Jean-Pierre ", "jean pierre"),
        ("J.-P.", "j p"),
        ("O'Brien", "o brien"),
        ("Straße", "strasse"),
        ("Ærøskøbing", "aeroskobing"),
        ("Łódź", "lodz"),
        ("ÉLODIE", "elodie"),
        ("Smith & Sons", "smith sons"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@given(st.text(max_size=40))
def test_fold_is_idempotent_and_has_no_edge_spaces(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert tokens(text) == tuple(once.split())
