"""Comparator plugins: the ``crmcore.comparators`` entry-point group.

A plugin's entry point names a ``register(comparisons)`` function that adds its comparisons to
a :class:`~crmcore.dedup.Comparisons` (see :meth:`~crmcore.dedup.Comparisons.load_entry_points`);
validation's loader loads them, as it loads validator and regime plugins.
"""

from __future__ import annotations

__all__ = ["ENTRY_POINT_GROUP"]

ENTRY_POINT_GROUP = "crmcore.comparators"
"""The entry-point group plugins list their ``register(comparisons)`` functions in."""
