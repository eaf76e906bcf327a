"""Rows of equal width kept as one flat tuple.

A result kept by the thousand (a cleaning result's changes, a validation report's issues)
holds its rows as one tuple of text, numbers and ``None``: a single object, which the garbage
collector stops scanning once it has seen it, where an object per row (and a tuple holding
them) is scanned by every full collection while it lives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["is_flat", "kept_as", "rows"]


def is_flat(value: object, width: int, column: int, accepts: Callable[[Any], bool]) -> bool:
    """Whether ``value`` is already rows kept flat, ``width`` items each: an exact tuple
    whose rows start with a path (text) and whose ``column`` ``accepts`` every row's item."""
    return (
        type(value) is tuple
        and len(value) % width == 0
        and all(type(path) is str for path in value[0::width])
        and all(accepts(item) for item in value[column::width])
    )


def rows(flat: tuple[Any, ...], width: int) -> Iterator[tuple[Any, ...]]:
    """The rows of ``flat``, ``width`` items each, in order."""
    items = iter(flat)
    return zip(*[items] * width, strict=True)


def kept_as(cls: type[T], **attributes: Any) -> T:
    """An instance of the frozen attrs class ``cls`` holding ``attributes`` as they are given:
    its constructor's converters and checks skipped, for rows already in their kept form."""
    made = object.__new__(cls)
    put = object.__setattr__
    for name, value in attributes.items():
        put(made, name, value)
    return made
