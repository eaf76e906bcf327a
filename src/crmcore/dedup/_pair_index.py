"""Candidate pairs as positions: what blocking knows, kept for the stages after it.

Blocking finds pairs as positions of the records sorted by id, each with the bits of the rules
that found it. Fitting and comparing read them as arrays instead of reading every pair's ids
again, once they have checked that the records are the ones blocked (the same ids in order).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["PairIndex", "positions_of"]

Ints = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class PairIndex:
    """Pairs ``(left[i], right[i])``, positions in ``ids`` (sorted), ``left < right``, sorted.

    ``masks[i]`` has bit ``k`` set when rule ``rules[k]`` found pair ``i``.
    """

    ids: tuple[str, ...]
    left: Ints
    right: Ints
    masks: Ints
    rules: tuple[str, ...]

    def rules_of(self, mask: int) -> tuple[str, ...]:
        """The names of the rules whose bits ``mask`` has, in the rules' order."""
        return tuple(name for k, name in enumerate(self.rules) if mask >> k & 1)


def positions_of(pairs: object, records: Sequence[Any]) -> PairIndex | None:
    """The pair index of a blocking result of exactly ``records`` (sorted by id), else ``None``."""
    index = getattr(pairs, "positions", None)
    if not isinstance(index, PairIndex) or len(index.ids) != len(records):
        return None
    if any(a != record.id for a, record in zip(index.ids, records, strict=True)):
        return None
    return index
