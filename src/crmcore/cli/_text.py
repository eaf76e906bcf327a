"""Small text helpers shared by the command summaries: percentages, ranked counts, tables.

Everything here is pure and deterministic: ties are broken by name, so the same counts always
print the same lines.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Mapping, Sequence

from crmcore._safe import printable

__all__ = ["counts", "percent", "ranked", "table", "wrap"]


def percent(part: int, whole: int) -> str:
    """``part`` as a whole percentage of ``whole``; ``-`` when ``whole`` is zero.

    >>> percent(1, 3), percent(0, 0)
    ('33%', '-')
    """
    return f"{100 * part / whole:.0f}%" if whole else "-"


def ranked(counted: Mapping[str, int], *, limit: int | None = None) -> list[tuple[str, int]]:
    """The items of ``counted`` by count, highest first, then by name; zero counts left out.

    >>> ranked({"b": 2, "a": 2, "c": 5, "d": 0})
    [('c', 5), ('a', 2), ('b', 2)]
    """
    found = sorted(
        ((name, count) for name, count in counted.items() if count),
        key=lambda item: (-item[1], item[0]),
    )
    return found[:limit] if limit is not None else found


def counts(values: Iterable[str], *, limit: int | None = None) -> list[tuple[str, int]]:
    """How often each of ``values`` occurs, ranked as :func:`ranked` does."""
    return ranked(collections.Counter(values), limit=limit)


def table(
    title: str, rows: Sequence[tuple[str, int]], total: int | None = None, *, indent: int = 2
) -> list[str]:
    """``title``, then one aligned line per name and count (and its share of ``total``).

    Names (codes, rules: a plugin may name them) are printed with control characters escaped.
    """
    rows = [(printable(name, 80), count) for name, count in rows]
    width = max((len(name) for name, _ in rows), default=0)
    digits = max((len(f"{count:,}") for _, count in rows), default=1)
    pad = " " * indent
    lines = [title]
    for name, count in rows:
        line = f"{pad}{name:<{width}}  {count:>{max(digits, 4)},}"
        if total is not None:
            line += f"  {percent(count, total):>4}"
        lines.append(line)
    return lines


def wrap(items: Sequence[str], indent: int, width: int = 100) -> list[str]:
    """``items`` joined by commas into lines of at most ``width`` characters, indented."""
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}, {item}" if current else item
        if current and indent + len(candidate) > width:
            lines.append(current + ",")
            current = item
        else:
            current = candidate
    if current:
        lines.append(current)
    return [" " * indent + line for line in lines]
