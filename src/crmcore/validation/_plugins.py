"""Validator plugins: the ``crmcore.validators`` entry-point group and the loading of its plugins.

A plugin's entry point names a ``register(ruleset)`` function that adds its rules to a
:class:`~crmcore.validation.RuleSet` (see :meth:`~crmcore.validation.RuleSet.load_entry_points`).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable

from crmcore._safe import printable
from crmcore.errors import CRMError, InvalidValueError

__all__ = ["ENTRY_POINT_GROUP", "PluginError", "load_plugins"]

ENTRY_POINT_GROUP = "crmcore.validators"
"""The entry-point group plugins list their ``register(ruleset)`` functions in."""


class PluginError(CRMError):
    """A plugin (of validators, of privacy regimes) could not be loaded or registered."""


PluginError.__module__ = "crmcore.validation"  # where users import it from


def _cause(exc: BaseException, value: str) -> str:
    """What went wrong, by the exception's type and the module at fault, never its message.

    An exception's message may hold anything the plugin put there; its type and the module it
    names (an import error knows which module it could not import) tell what to fix.

    >>> _cause(ModuleNotFoundError("...", name="acme_rules"), "acme_rules:register")
    "ModuleNotFoundError: no module named 'acme_rules'"
    >>> _cause(AttributeError("..."), "acme_rules:register")
    "AttributeError in 'acme_rules:register'"
    """
    kind = type(exc).__name__
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return f"{kind}: no module named {printable(exc.name, 100)!r}"
    if isinstance(exc, ImportError) and exc.name:
        return f"{kind} in module {printable(exc.name, 100)!r}"
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"{kind} at line {exc.lineno} of {printable(value.partition(':')[0], 100)!r}"
    return f"{kind} in {printable(value, 100)!r}"


def _wanted(group: object, names: object) -> frozenset[str] | None:
    """Check a registry's ``group`` and ``names`` arguments; one name may be given as text."""
    if not isinstance(group, str) or not group:
        raise InvalidValueError("an entry-point group is non-empty text", field="group")
    if names is None:
        return None
    refused = InvalidValueError("expected entry-point names as text", field="names")
    if isinstance(names, str):
        return frozenset([names])
    if not isinstance(names, Iterable):
        raise refused
    wanted = frozenset(names)
    if not all(isinstance(name, str) for name in wanted):
        raise refused
    return frozenset(str(name) for name in wanted)


def load_plugins(
    registry: object,
    group: object,
    names: object,
    loaded: set[str],
    *,
    noun: str = "validator",
    error: type[PluginError] = PluginError,
) -> tuple[str, ...]:
    """Register the plugins of ``group`` into ``registry``; return the names of those loaded now.

    The one loader behind every registry's ``load_entry_points`` (rule sets, regimes,
    comparisons). ``group`` and ``names`` are checked here (one name may be given as text);
    ``noun`` says what the plugins add (``validator``, ``regime``, ``comparator``) and
    ``error`` is the :class:`PluginError` subclass raised, for the registry's own errors.
    ``loaded`` holds the ``name=value`` keys of the entry points already registered into
    ``registry``; they are skipped, and each entry point registered now is added to it.
    """
    wanted = _wanted(group, names)
    assert isinstance(group, str)  # checked by _wanted
    found = importlib.metadata.entry_points(group=group)
    loaded_now: list[str] = []
    for entry_point in sorted(found, key=lambda ep: (ep.name, ep.value)):
        if wanted is not None and entry_point.name not in wanted:
            continue
        key = f"{entry_point.name}={entry_point.value}"
        if key in loaded:
            continue
        name = printable(entry_point.name, 100)
        try:
            register = entry_point.load()
        except Exception as exc:
            cause = _cause(exc, entry_point.value)
            raise error(f"cannot load {noun} plugin {name}: {cause}") from exc
        if not callable(register):
            kind = type(register).__name__
            raise error(f"{noun} plugin {name} is a {kind}, not a register function")
        try:
            register(registry)
        except CRMError:
            raise
        except Exception as exc:
            cause = _cause(exc, entry_point.value)
            raise error(f"{noun} plugin {name} failed to register: {cause}") from exc
        loaded.add(key)
        loaded_now.append(entry_point.name)
    return tuple(loaded_now)
