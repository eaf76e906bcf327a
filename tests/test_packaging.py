"""The package says what it is: licence, supported Pythons, extras."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

pytestmark = pytest.mark.skipif(
    not PYPROJECT.exists() or sys.version_info < (3, 11), reason="needs the source tree and tomllib"
)


def _project() -> dict[str, object]:
    import tomllib

    return dict(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"])


def _nox_pythons() -> list[str]:
    found = re.search(r"PYTHONS = \[(.*?)\]", (ROOT / "noxfile.py").read_text(encoding="utf-8"))
    assert found is not None
    return re.findall(r'"(3\.\d+)"', found.group(1))


def test_the_licence_file_is_the_mit_licence_the_metadata_names() -> None:
    project = _project()
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_the_sdist_ships_the_licence() -> None:
    import tomllib

    sdist = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
    assert "LICENSE" in sdist["targets"]["sdist"]["include"]


def test_every_supported_python_is_a_classifier_and_a_nox_session() -> None:
    project = _project()
    classifiers = project["classifiers"]
    assert isinstance(classifiers, list)
    minimum = str(project["requires-python"]).removeprefix(">=")
    declared = sorted(
        (c.rpartition(" :: ")[2] for c in classifiers if re.fullmatch(r".* :: 3\.\d+", c)),
        key=lambda v: tuple(map(int, v.split("."))),
    )
    assert declared[0] == minimum
    assert set(declared) <= set(_nox_pythons())


def test_testing_is_an_alias_of_the_test_extra() -> None:
    extras = _project()["optional-dependencies"]
    assert isinstance(extras, dict)
    assert extras["testing"] == ["crmcore[test]"]
    assert any(req.startswith("hypothesis") for req in extras["test"])


def test_project_urls_are_given() -> None:
    urls = _project()["urls"]
    assert isinstance(urls, dict)
    assert {"Homepage", "Source", "Changelog"} <= set(urls)
