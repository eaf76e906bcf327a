"""The compare context and its email providers."""

from __future__ import annotations

from typing import Any

import pytest

from crmcore.dedup import DEFAULT_PROVIDERS, CompareContext, EmailProvider
from crmcore.errors import InvalidValueError


def test_every_domain_of_a_provider_finds_it() -> None:
    ctx = CompareContext()
    for provider in DEFAULT_PROVIDERS:
        for domain in provider.domains:
            assert ctx.provider(domain) is provider
    assert ctx.provider("example.com") is None


def test_only_gmail_ignores_dots_by_default() -> None:
    assert [p.domains[0] for p in DEFAULT_PROVIDERS if p.ignores_dots] == ["gmail.com"]


@pytest.mark.parametrize("domains", ["gmail.com", (), ("localhost",), (3,)])
def test_a_provider_has_domains(domains: Any) -> None:
    with pytest.raises(InvalidValueError, match="domains"):
        EmailProvider(domains)


def test_providers_must_be_email_providers() -> None:
    with pytest.raises(InvalidValueError, match="providers"):
        CompareContext(providers=("gmail.com",))  # type: ignore[arg-type]


def test_domains_are_kept_in_lower_case() -> None:
    assert EmailProvider(("Example.COM",)).domains == ("example.com",)
