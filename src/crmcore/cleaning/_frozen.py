"""Frozen copies of raw values, for the frozen objects of cleaning to hold.

A :class:`~crmcore.cleaning.Change` keeps the value before a repair, and the raw stage's values
are the caller's own lists and dicts. Kept as they are, a change could be edited through the
caller's objects and could not be hashed. :func:`freeze` makes a copy that can be neither:
lists and tuples become tuples, sets frozensets, mappings a :class:`FrozenMap`, at any depth.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from crmcore.cleaning._quarantine_text import quarantine_text

__all__ = ["FrozenMap", "freeze"]


class FrozenMap(dict[Any, Any]):
    """A read-only, hashable ``dict``: it keeps the order of the mapping it was made from.

    A ``dict`` so that it reads, compares and writes as JSON like the mapping it was made from;
    every method that would change it raises ``TypeError``.

    >>> frozen = FrozenMap({"number": "", "label": "WORK"})
    >>> frozen == {"label": "WORK", "number": ""}, hash(frozen) == hash(FrozenMap(frozen))
    (True, True)
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> FrozenMap:
        made = super().__new__(cls)
        dict.__init__(made, *args, **kwargs)  # filled once, here: __init__ does nothing
        return made

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Filled by ``__new__``; calling ``__init__`` again changes nothing."""

    def __hash__(self) -> int:  # type: ignore[override]
        # Order does not count for equality, so it must not count for the hash either.
        return hash(frozenset(self.items()))

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a frozen mapping cannot be changed")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self)!r})"

    def __reduce__(self) -> Any:
        return (FrozenMap, (dict(self),))


def freeze(value: Any) -> Any:
    """A copy of ``value`` that cannot change and can be hashed (see :func:`_freeze`).

    A value nested too deeply to copy (hostile input) is kept as the text a quarantined value
    would be kept as, rather than failing.
    """
    if value is None or value.__class__ is str:  # most of what changes record: no call
        return value
    try:
        return _freeze(value)
    except RecursionError:
        return quarantine_text(value)


def _freeze(value: Any) -> Any:
    """A copy of ``value`` that cannot change and can be hashed; ``value`` itself if it is so.

    Lists and tuples become tuples, sets frozensets, mappings :class:`FrozenMap`, each item
    frozen in turn. Anything else that cannot be hashed (a ``bytearray``, an object of the
    caller's) is kept as the text a quarantined value would be kept as.

    >>> freeze(["a", {"b": [1, 2]}])
    ('a', FrozenMap({'b': (1, 2)}))
    """
    if value is None or isinstance(value, (str, int, float, bytes)):
        return value
    if isinstance(value, (list, tuple)):
        items = tuple(_freeze(item) for item in value)
        if type(value) is tuple and all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return items
    if isinstance(value, (set, frozenset)):
        return frozenset(_freeze(item) for item in value)
    if isinstance(value, Mapping) and not isinstance(value, Hashable):
        return FrozenMap({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, Hashable):
        try:
            hash(value)
        except Exception:  # hashable in name only (a tuple of lists, a bad hash)
            return quarantine_text(value)
        return value
    return quarantine_text(value)
