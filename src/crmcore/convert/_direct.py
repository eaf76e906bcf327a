"""A direct reading of an attrs class from a dict: the keys given, each by its own hook.

cattrs generates, for each class, a function that asks for every attribute whether the mapping
has it, reads each one present inside its own ``try``, and then checks the mapping for unknown
keys with a set difference: a crmcore record has dozens of attributes, a row a handful. When
nothing fails, the same result comes from walking the keys given, each read by the hook the
generated function would call for it, and calling the class once, as the generated function
does. :func:`direct_reader` makes that reading, for a generated function whose every attribute
is read that way (checked in the source cattrs keeps of it); anything the direct reading cannot
take (an unknown key, a refused value, a missing required one) is left to the generated
function, which reports every problem as before.
"""

from __future__ import annotations

import inspect
import linecache
import re
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["FAILED", "direct_reader"]

FAILED: Any = object()
"""What a direct reading returns when it cannot read the mapping: ask the generated function."""

_READ = re.compile(
    r"res\['(?P<key>[A-Za-z_][A-Za-z0-9_]*)'\] = (?P<hook>__c_structure_[A-Za-z0-9_]+)"
    r"\(o\['(?P<given>[A-Za-z_][A-Za-z0-9_]*)'\], (?P<kind>__c_type_[A-Za-z0-9_]+)\)"
)
"""How a generated function reads one attribute: ``res['x'] = hook(o['x'], type)``."""

_BUILD = re.compile(r"return __cl\(\s*\*\*res,\s*\)")
"""How it builds the instance: the class called once with what was read, nothing else."""


def _source(generated: Callable[..., Any]) -> str | None:
    """The source cattrs kept of ``generated`` (in :mod:`linecache`), if it kept it."""
    entry: Any = linecache.cache.get(generated.__code__.co_filename)
    if entry is None or len(entry) < 3:
        return None
    return "".join(entry[2])


def direct_reader(
    cls: type[Any], generated: Callable[..., Any]
) -> Callable[[dict[Any, Any]], Any] | None:
    """The direct reading of ``cls`` from a dict, where ``generated`` (cattrs' structure
    function of ``cls``) reads each attribute given under its own name with one hook and calls
    the class with them alone; ``None`` otherwise (the generated function is then the only
    reading).

    The reading returns the instance the generated function would return, or :data:`FAILED`
    when a key is not an attribute's or when a hook or the class raises.
    """
    source = _source(generated)
    if source is None or len(_BUILD.findall(source)) != 1:
        return None
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(generated).parameters.items()
        if parameter.default is not inspect.Parameter.empty
    }
    hooks: dict[str, tuple[Callable[[Any, Any], Any], Any]] = {}
    for match in _READ.finditer(source):
        key = match["key"]
        if key != match["given"] or key in hooks:
            return None
        hook, kind = defaults.get(match["hook"]), defaults.get(match["kind"])
        if hook is None or not callable(hook):
            return None
        hooks[key] = (hook, kind)
    if set(hooks) != {a.alias for a in attrs.fields(cls) if a.init}:
        return None
    return _reader(cls, hooks)


def _reader(
    cls: type[Any], hooks: dict[str, tuple[Callable[[Any, Any], Any], Any]]
) -> Callable[[dict[Any, Any]], Any]:
    find = hooks.get

    def read(data: dict[Any, Any]) -> Any:
        given: dict[str, Any] = {}
        try:
            for key, value in data.items():
                found = find(key)
                if found is None:
                    return FAILED  # no attribute's: the generated function reports it
                hook, kind = found
                given[key] = hook(value, kind)
            return cls(**given)
        except Exception:  # refused: the generated function reads it again and reports it
            return FAILED

    return read
