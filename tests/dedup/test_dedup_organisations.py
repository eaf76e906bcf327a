"""Organisation comparators: names without legal forms, domains, registration numbers."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from crmcore.dedup import (
    CompareContext,
    company_names,
    domains,
    normalise_domain,
    registration_numbers,
    strip_legal_suffixes,
)
from crmcore.dedup.organisations import _may_be_close
from crmcore.errors import InvalidValueError
from crmcore.records import RegistrationNumber


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        ("Acme Inc.", "acme"),
        ("Acme, Inc", "acme"),
        ("ACME LTD", "acme"),
        ("Acme Holdings LLC", "acme"),
        ("Müller GmbH & Co. KG", "muller"),
        ("Dupont SARL", "dupont"),
        ("SARL Dupont", "dupont"),
        ("Dupont S.A.S.", "dupont"),
        ("Banco Ejemplo S.A.", "banco ejemplo"),
        ("Voorbeeld B.V.", "voorbeeld"),
        ("Beispiel AG", "beispiel"),
        ("Esempio S.p.A.", "esempio"),
        ("Exemplo Lda", "exemplo"),
        ("Acme Corporation", "acme"),
        ("Inc", "inc"),
        ("The Limited Company", "the"),
    ],
)
def test_strip_legal_suffixes(name: str, stripped: str) -> None:
    assert strip_legal_suffixes(name) == stripped


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("Globex Corporation", "GLOBEX CORP.", "exact"),
        ("Société Générale SA", "Societe Generale", "exact"),
        ("Acme", "Acme Europe GmbH", "token_subset"),
        ("Initech Software Ltd", "Software Initech Inc", "token_subset"),
        ("Initech Sofware", "Initech Software", "close"),
        ("Acme", "Globex", "different"),
    ],
)
def test_company_names_levels(
    left: str, right: str, level: str, ctx: CompareContext, firm: Any
) -> None:
    cmp = company_names()
    assert cmp(firm(left), firm(right), ctx) == level
    assert cmp(firm(right), firm(left), ctx) == level


def test_company_names_compare_trading_and_legal_names(ctx: CompareContext, firm: Any) -> None:
    a = firm("Hooli", legal_name="Hooli Holdings Inc")
    b = firm(None, legal_name="HOOLI, INC.")
    assert company_names()(a, b, ctx) == "exact"
    assert company_names()(a, firm(), ctx) == "null"


def test_company_names_of_contacts_read_their_organisation(
    ctx: CompareContext, person: Any
) -> None:
    a, b = person(organisation="Acme SARL"), person(organisation="ACME")
    assert company_names()(a, b, ctx) == "exact"


@pytest.mark.parametrize("close", [0, 101, "90", True])
def test_close_is_a_ratio(close: object) -> None:
    with pytest.raises(InvalidValueError, match="close"):
        company_names(close)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("example.com", "example.com"),
        ("https://www.Example.com/about?x=1", "example.com"),
        ("WWW.EXAMPLE.COM.", "example.com"),
        ("example.com:8080", "example.com"),
        ("info@example.com", "example.com"),
    ],
)
def test_normalise_domain(text: str, domain: str) -> None:
    assert normalise_domain(text) == domain


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (("acme.com",), ("https://www.ACME.com",), "exact"),
        (("acme.com",), ("acme.co.uk",), "same_name"),
        (("acme.com",), ("shop.acme.de",), "same_name"),
        (("acme.com",), ("globex.com",), "different"),
        (("acme.com",), (), "null"),
    ],
)
def test_domains_levels(
    left: tuple[str, ...], right: tuple[str, ...], level: str, ctx: CompareContext, firm: Any
) -> None:
    cmp = domains()
    assert cmp(firm(domains=left), firm(domains=right), ctx) == level
    assert cmp(firm(domains=right), firm(domains=left), ctx) == level


def _numbers(*numbers: tuple[str, str, str | None]) -> tuple[RegistrationNumber, ...]:
    return tuple(RegistrationNumber(scheme=s, value=v, country=c) for s, v, c in numbers)


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ((("VAT", "FR40303265045", "FR"),), (("vat", "FR 40 303 265 045", "FR"),), "exact"),
        ((("VAT", "FR40303265045", "FR"),), (("VAT", "40303265045", "FR"),), "exact"),
        ((("SIREN", "303 265 045", None),), (("SIREN", "303.265.045", None),), "exact"),
        ((("SIREN", "303265045", None),), (("SIREN", "552100554", None),), "different"),
        ((("SIREN", "303265045", None),), (("VAT", "FR40303265045", "FR"),), "null"),
    ],
)
def test_registration_numbers_levels(
    left: tuple[tuple[str, str, str | None], ...],
    right: tuple[tuple[str, str, str | None], ...],
    level: str,
    ctx: CompareContext,
    firm: Any,
) -> None:
    cmp = registration_numbers()
    a = firm(registration_numbers=_numbers(*left))
    b = firm(registration_numbers=_numbers(*right))
    assert cmp(a, b, ctx) == level
    assert cmp(b, a, ctx) == level


# "π" shares a class with "`" and "@" (code points equal modulo 32), "a1" a digit with a letter
_WORDS = (
    "acme",
    "acne",
    "globex",
    "glob",
    "initech",
    "inittech",
    "x",
    "ab",
    "ba",
    "a1",
    "ü",
    "π",
    "pπ",
)


def _every_pair(texts: list[str]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    pairs = np.array(list(combinations(range(len(texts)), 2)), dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5), min_size=2, max_size=40),
    st.sampled_from((50.0, 80.0, 90.0, 99.0, 100.0)),
)
def test_a_pair_of_names_left_unscored_cannot_be_close(
    names: list[list[str]], close: float
) -> None:
    # the names' words as prepared: joined by single spaces, repeated words too
    texts = [" ".join(words) for words in names]
    xs, ys = _every_pair(texts)
    table = company_names().indexed_table([(text,) for text in texts], CompareContext())
    kept = _may_be_close(table, xs, ys, close)
    for x, y, may in zip(xs.tolist(), ys.tolist(), kept.tolist(), strict=True):
        if not may:
            assert fuzz.token_set_ratio(texts[x], texts[y], score_cutoff=close) == 0


def test_most_unlike_names_are_left_unscored() -> None:
    texts = ["acme", "globex", "initech software", "umbrella", "initech sofware", "hooli x"]
    xs, ys = _every_pair(texts)
    table = company_names().indexed_table([(text,) for text in texts], CompareContext())
    kept = _may_be_close(table, xs, ys, 90.0)
    assert [(texts[x], texts[y]) for x, y in zip(xs[kept], ys[kept], strict=True)] == [
        ("initech software", "initech sofware")
    ]


@pytest.mark.parametrize("close", [100.5, 150.0, float("nan")])
def test_names_one_within_the_other_are_kept_whatever_close(close: float) -> None:
    # a close above 100 (only a direct CompanyNames allows one) still finds token_subset
    texts = ["acme", "acme europe"]
    table = company_names().indexed_table([(text,) for text in texts], CompareContext())
    kept = _may_be_close(table, np.array([0]), np.array([1]), close)
    assert kept.tolist() == [True]
