"""Without the dedup extra, the comparators that need it say which extra to install."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from crmcore.dedup import MissingExtraError, _extras, exact, family_names, phonetic
from crmcore.errors import CRMError


@pytest.fixture
def no_extra(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("rapidfuzz", "rapidfuzz.distance", "rapidfuzz.fuzz", "jellyfish"):
        monkeypatch.setitem(sys.modules, name, None)  # makes ``import name`` fail
    _extras._module.cache_clear()
    yield
    _extras._module.cache_clear()


@pytest.mark.usefixtures("no_extra")
def test_a_comparator_needing_the_extra_names_it() -> None:
    with pytest.raises(MissingExtraError, match=r"crmcore\[dedup\]") as caught:
        family_names()(None, None, None)  # type: ignore[arg-type]
    assert isinstance(caught.value, CRMError)
    assert isinstance(caught.value, ImportError)
    with pytest.raises(MissingExtraError, match="jellyfish"):
        phonetic("identity.name.family")


@pytest.mark.usefixtures("no_extra")
def test_a_comparator_without_the_extra_still_works(person: Any) -> None:
    from crmcore.dedup import CompareContext

    assert exact("identity.name.given")(person("A"), person("a"), CompareContext()) == "exact"
