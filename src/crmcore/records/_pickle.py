"""Records and values pickle as their class and the values of their fields, in order.

attrs pickles a slotted class as a dict of its fields, which the reader keeps (in the
unpickler's memo) until the whole pickle is read: a hundred thousand contacts read back held
about three times their own size until the end, and the process kept most of it. A tuple of
the values is smaller to write and to hold; the object is rebuilt field by field without its
checks, as attrs' own reader does (a pickle comes from a program that built the values).
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["Compact", "restore"]


def _fields(cls: type[Any]) -> tuple[attrs.Attribute[Any], ...] | None:
    """The fields of ``cls`` in order; ``None`` unless attrs made ``cls`` itself (a plain
    subclass of a record class pickles as attrs pickles it)."""
    found: tuple[attrs.Attribute[Any], ...] | None = cls.__dict__.get("__attrs_attrs__")
    return found


def restore(cls: type[Any], *values: Any) -> Any:
    """The ``cls`` whose fields hold ``values`` in order (what :class:`Compact` pickles)."""
    made = object.__new__(cls)
    for field, value in zip(_fields(cls) or (), values, strict=True):
        object.__setattr__(made, field.name, value)
    return made


class Compact:
    """A base of records and values: pickled as their class and field values (see above)."""

    __slots__ = ()

    def __reduce_ex__(self, protocol: Any) -> Any:
        cls = self.__class__
        fields = _fields(cls)
        if fields is None:
            return super().__reduce_ex__(protocol)
        return (restore, (cls, *[getattr(self, field.name) for field in fields]))
