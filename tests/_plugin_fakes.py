"""Fake entry points, for the tests of every plugin registry (validators, regimes, ...).

Every registry loads its plugins through :func:`importlib.metadata.entry_points`; these tests
replace it with a list of :class:`FakeEntryPoint`, whatever group is asked for, and record the
groups asked.
"""

from __future__ import annotations

import importlib.metadata

import pytest

__all__ = ["FakeEntryPoint", "install"]


class FakeEntryPoint:
    """An entry point named ``name`` whose ``load()`` gives ``target`` (or fails to import)."""

    def __init__(self, name: str, target: object, *, fails: bool = False) -> None:
        self.name = name
        self.value = f"acme_plugin:{name}"
        self._target = target
        self._fails = fails

    def load(self) -> object:
        if self._fails:
            raise ImportError("no module named acme_plugin")
        return self._target


def install(monkeypatch: pytest.MonkeyPatch, *entry_points: FakeEntryPoint) -> list[str]:
    """Make ``entry_points`` the only ones installed; return the groups asked for, in order."""
    asked: list[str] = []

    def fake(*, group: str) -> list[FakeEntryPoint]:
        asked.append(group)
        return list(entry_points)

    monkeypatch.setattr(importlib.metadata, "entry_points", fake)
    return asked
