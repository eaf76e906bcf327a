"""Hints for region codes that are not ISO 3166-1 alpha-2."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crmcore._iso import COUNTRY_CODES
from crmcore._regions import region_hint, region_reason


def test_aliases_alpha3_codes_and_names_give_the_alpha2_code() -> None:
    assert region_hint("UK") == "GB"
    assert region_hint(" el ") == "GR"
    assert region_hint("DEU") == "DE"
    assert region_hint("Allemagne") == "DE"
    assert region_hint("QQ") is None
    assert region_hint("x" * 10_000) is None


@given(st.text(max_size=200))
def test_a_reason_never_quotes_the_text(text: str) -> None:
    reason = region_reason(text)
    assert reason.startswith("not an ISO 3166-1 alpha-2 code")
    hint = region_hint(text)
    assert hint is None or hint in COUNTRY_CODES
    if len(text.strip()) > 2:
        assert text.strip() not in reason
