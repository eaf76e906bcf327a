"""The record stage's text walk, generated once per class for speed (as cattrs generates its
structuring functions).

The walker of a class reads each text-bearing attribute, checks it with a cheap test that
clean text passes, and only when that fails hands it to the repairs of
:mod:`crmcore.cleaning.text`; nested objects get their own walker. It returns the very same
object when nothing changed, else asks ``w.finish`` to rebuild it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from crmcore.cleaning._types import Kind, Slot, slots
from crmcore.records.values import EmailAddress, PhoneNumber

__all__ = ["walker_for"]

Walker = Callable[[Any, str, Any], Any]
"""``(obj, path, walk) -> obj``: the walker of one class."""

# Derived forms are rebuilt from the text they come from, never repaired on their own.
_DERIVED = {EmailAddress: frozenset({"normalised"}), PhoneNumber: frozenset({"e164", "region"})}

_FAST = '(v.isascii() and v.isprintable() and "  " not in v and v.strip() == v)'


def _all_clean(values: tuple[str, ...]) -> bool:
    return all(v.isascii() and v.isprintable() and "  " not in v and v.strip() == v for v in values)


_GONE = object()


def _objs(items: tuple[Any, ...], path: str, walker: Walker, w: Any) -> tuple[Any, ...]:
    new: list[Any] | None = None
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        fixed = walker(item, where, w)
        if fixed is not item:
            if new is None:
                new = list(items)
            new[index] = _GONE if w.emptied(fixed, where, item) else fixed
    return items if new is None else tuple(item for item in new if item is not _GONE)


def _text_slots(cls: type[Any]) -> tuple[Slot, ...]:
    derived = _DERIVED.get(cls, frozenset())
    kept = []
    for slot in slots(cls):
        if slot.name in derived:
            continue
        holds_text = slot.kind in (Kind.TEXT, Kind.TEXTS, Kind.CUSTOM)
        nested = slot.kind in (Kind.OBJECT, Kind.OBJECTS) and slot.cls is not None
        if holds_text or (nested and slot.cls is not None and _text_slots(slot.cls)):
            kept.append(slot)
    return tuple(kept)


def walker_for(cls: type[Any]) -> Walker:
    """The text walker of an attrs class, generated on first use."""
    return _walker(cast(Any, cls))


def _update(name: str) -> list[str]:
    return [
        "        if n is not v:",
        "            if u is None:",
        "                u = {}",
        f"            u[{name!r}] = n",
    ]


@functools.cache
def _walker(cls: type[Any]) -> Walker:
    namespace: dict[str, Any] = {"objs": _objs, "all_clean": _all_clean}
    lines = ["def walk(obj, path, w):", '    p = path + "." if path else ""', "    u = None"]
    for slot in _text_slots(cls):
        name = slot.name
        where = f"p + {name!r}"
        lines.append(f"    v = obj.{name}")
        if slot.kind is Kind.TEXT:
            test = "v is not None" if slot.multiline else f"v is not None and not {_FAST}"
            lines.append(f"    if {test}:")
            lines.append(f"        n = w.text(v, {where}, {slot.multiline}, {slot.required})")
        elif slot.kind is Kind.TEXTS:
            test = "v" if slot.multiline else "v and not all_clean(v)"
            lines.append(f"    if {test}:")
            lines.append(f"        n = w.texts(v, {where}, {slot.multiline})")
        elif slot.kind is Kind.CUSTOM:
            lines.append("    if len(v):")
            lines.append(f"        n = w.custom(v, {where})")
        else:
            assert slot.cls is not None
            inner = f"walk_{slot.cls.__name__}"
            namespace[inner] = walker_for(slot.cls)
            if slot.kind is Kind.OBJECT:
                lines.append("    if v is not None:")
                lines.append(f"        n = {inner}(v, {where}, w)")
                if slot.optional:  # a blank name stays an empty PersonName, never None
                    lines.append(f"        if n is not v and w.emptied(n, {where}, v):")
                    lines.append("            n = None")
            else:
                lines.append("    if v:")
                lines.append(f"        n = objs(v, {where}, {inner}, w)")
        lines.extend(_update(name))
    lines.append("    return obj if u is None else w.finish(obj, path, u)")
    source = "\n".join(lines)
    exec(compile(source, f"<crmcore text walker {cls.__name__}>", "exec"), namespace)
    return cast(Walker, namespace["walk"])
