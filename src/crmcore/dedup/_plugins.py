"""Comparator plugins: the ``crmcore.comparators`` entry-point group and the loading of its plugins.

A plugin's entry point names a ``register(comparisons)`` function that adds its comparisons to
a :class:`~crmcore.dedup.Comparisons` (see :meth:`~crmcore.dedup.Comparisons.load_entry_points`).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Collection
from typing import Any

from crmcore.dedup.errors import ComparatorPluginError
from crmcore.errors import CRMError

__all__ = ["ENTRY_POINT_GROUP", "load_plugins"]

ENTRY_POINT_GROUP = "crmcore.comparators"
"""The entry-point group plugins list their ``register(comparisons)`` functions in."""


def load_plugins(
    registry: Any, group: str, names: Collection[str] | None, loaded: set[str]
) -> tuple[str, ...]:
    """Register the plugins of ``group`` into ``registry``; return the names of those loaded now.

    ``loaded`` holds the ``name=value`` keys of the entry points already registered into
    ``registry``; they are skipped, and each entry point registered now is added to it.
    """
    if names is not None and isinstance(names, str):
        names = (names,)
    found = importlib.metadata.entry_points(group=group)
    loaded_now: list[str] = []
    for entry_point in sorted(found, key=lambda ep: (ep.name, ep.value)):
        if names is not None and entry_point.name not in names:
            continue
        key = f"{entry_point.name}={entry_point.value}"
        if key in loaded:
            continue
        try:
            register = entry_point.load()
        except Exception as exc:
            raise ComparatorPluginError(
                f"cannot load comparator plugin {entry_point.name}"
            ) from exc
        if not callable(register):
            raise ComparatorPluginError(f"comparator plugin {entry_point.name} is not callable")
        try:
            register(registry)
        except CRMError:
            raise
        except Exception as exc:
            raise ComparatorPluginError(
                f"comparator plugin {entry_point.name} failed to register"
            ) from exc
        loaded.add(key)
        loaded_now.append(entry_point.name)
    return tuple(loaded_now)
