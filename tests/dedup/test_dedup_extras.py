"""The dedup extra: declared, taken in by the test extra, and named when it is missing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
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


PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

_NEEDS_SOURCE = pytest.mark.skipif(
    not PYPROJECT.exists() or sys.version_info < (3, 11), reason="needs the source tree and tomllib"
)


def _declared_extras() -> dict[str, list[str]]:
    import tomllib

    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return dict(project["optional-dependencies"])


@_NEEDS_SOURCE
def test_the_dedup_extra_brings_rapidfuzz_jellyfish_and_numpy() -> None:
    names = sorted(req.split(">")[0].split("=")[0] for req in _declared_extras()["dedup"])
    assert names == ["jellyfish", "numpy", "rapidfuzz"]


@_NEEDS_SOURCE
def test_the_test_extra_takes_in_the_dedup_extra() -> None:
    taken = [req for req in _declared_extras()["test"] if req.startswith("crmcore[")]
    assert len(taken) == 1
    assert "dedup" in taken[0].removeprefix("crmcore[").removesuffix("]").split(",")
