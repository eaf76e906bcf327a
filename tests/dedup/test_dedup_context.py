"""The compare context and its email providers."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
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


_CHILD = """
import pickle, sys
from crmcore.dedup import EmailProvider
sent = pickle.loads(sys.stdin.buffer.read())
made = EmailProvider(("gmail.com", "googlemail.com"), ignores_dots=True, plus_tags=True)
print(hash(sent) == hash(made), {sent: 1}.get(made))
"""


def test_a_provider_sent_to_another_process_hashes_as_one_made_there() -> None:
    """The hash is cached, but not pickled: a process with other string hashes (a spawned
    worker) computes its own, so a provider sent there is found where one made there is."""
    provider = DEFAULT_PROVIDERS[0]
    assert hash(provider) == hash(provider)  # cached after the first
    seed = "54321" if os.environ.get("PYTHONHASHSEED") == "12345" else "12345"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    found = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=pickle.dumps(provider),
        capture_output=True,
        env=env,
        check=True,
    )
    assert found.stdout.decode().split() == ["True", "1"]
