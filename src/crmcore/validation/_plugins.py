"""Validator plugins: the ``crmcore.validators`` entry-point group and the loading of its plugins.

A plugin's entry point names a ``register(ruleset)`` function that adds its rules to a
:class:`~crmcore.validation.RuleSet` (see :meth:`~crmcore.validation.RuleSet.load_entry_points`).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Collection
from typing import TYPE_CHECKING

from crmcore.errors import CRMError

if TYPE_CHECKING:
    from crmcore.validation.ruleset import RuleSet

__all__ = ["ENTRY_POINT_GROUP", "PluginError", "load_plugins"]

ENTRY_POINT_GROUP = "crmcore.validators"
"""The entry-point group plugins list their ``register(ruleset)`` functions in."""


class PluginError(CRMError):
    """An entry point of the ``crmcore.validators`` group could not be loaded or registered."""


PluginError.__module__ = "crmcore.validation"  # where users import it from


def load_plugins(
    ruleset: RuleSet, group: str, names: Collection[str] | None, loaded: set[str]
) -> tuple[str, ...]:
    """Register the plugins of ``group`` into ``ruleset``; return the names of those loaded now.

    ``loaded`` holds the ``name=value`` keys of the entry points already registered into
    ``ruleset``; they are skipped, and each entry point registered now is added to it.
    """
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
            raise PluginError(f"cannot load validator plugin {entry_point.name}") from exc
        if not callable(register):
            raise PluginError(f"validator plugin {entry_point.name} is not callable")
        try:
            register(ruleset)
        except CRMError:
            raise
        except Exception as exc:
            raise PluginError(f"validator plugin {entry_point.name} failed to register") from exc
        loaded.add(key)
        loaded_now.append(entry_point.name)
    return tuple(loaded_now)
