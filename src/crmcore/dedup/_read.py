"""Read a dotted attribute path from a record, as a tuple of the values found there."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from crmcore.errors import InvalidValueError

__all__ = ["check_path", "reader"]

_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


def check_path(path: object) -> str:
    """``path`` if it is a dotted attribute path (``identity.name.family``), else raise."""
    if not isinstance(path, str) or len(path) > 200 or not _PATH.match(path):
        raise InvalidValueError("expected a dotted path such as identity.name.family", field="path")
    return path


@functools.cache
def reader(path: str) -> Callable[[Any], tuple[Any, ...]]:
    """A function reading ``path`` from a record: tuples flattened, ``None`` and ``""`` dropped.

    A custom field is read from its facet's ``custom`` (``descriptive.custom.tier``); a path
    the record does not have raises :class:`~crmcore.InvalidValueError` naming it.
    """
    names = check_path(path).split(".")

    def read(record: Any) -> tuple[Any, ...]:
        found: list[Any] = [record]
        for name in names:
            step: list[Any] = []
            for value in found:
                if hasattr(value, "keys") and hasattr(value, "get") and not hasattr(value, name):
                    item = value.get(name)
                else:
                    try:
                        item = getattr(value, name)
                    except AttributeError:
                        raise InvalidValueError(
                            f"{type(record).__name__} has no field at {path}", field="path"
                        ) from None
                if isinstance(item, tuple):
                    step.extend(item)
                else:
                    step.append(item)
            found = step
        return tuple(value for value in found if value is not None and value != "")

    return read
