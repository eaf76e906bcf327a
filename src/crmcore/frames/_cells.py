"""Cells of a data frame as plain Python values: missing markers to None, numpy scalars unwrapped.

pandas gives ``NaN``, ``NA`` and ``NaT`` for a blank cell and numpy scalars (``int64``,
``float64``, ``bool_``, ``datetime64``) or ``Timestamp`` for the others; polars and Arrow give
``None`` but may hold a float ``NaN``. Conversion reads Python values, so every cell passes here
first. Nothing here imports numpy or pandas: the values are recognised by what they offer.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

__all__ = ["plain"]

_PLAIN = (str, bool, int)


def _missing(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    name = type(value).__name__
    return name in ("NAType", "NaTType")


def plain(value: Any) -> Any:
    """``value`` as a Python value; ``None`` for every missing marker."""
    if value is None or value.__class__ in _PLAIN:
        return value
    if _missing(value):
        return None
    module = type(value).__module__ or ""
    if module.startswith("pandas") and hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if module.startswith("numpy"):
        if getattr(value, "ndim", 0):
            return [plain(item) for item in value.tolist()]
        if type(value).__name__ == "datetime64":
            if str(value) == "NaT":
                return None
            converted = value.astype("datetime64[us]").item()
            return converted if isinstance(converted, (date, datetime)) else None
        if hasattr(value, "item"):
            return plain(value.item())
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value
