"""Rows out of, and frames into, pandas, polars and Arrow, each imported only when used."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from crmcore.errors import InvalidValueError
from crmcore.frames._cells import plain
from crmcore.frames._extras import require

__all__ = ["Kind", "kind_of", "make_frame", "rows_of"]

Kind = Literal["pandas", "polars", "arrow"]
"""The libraries a frame may come from or be written to."""

_EXTRAS: dict[str, tuple[str, str]] = {
    "pandas": ("pandas", "pandas"),
    "polars": ("polars", "polars"),
    "arrow": ("pyarrow", "arrow"),
}


def kind_of(frame: Any) -> Kind:
    """Which library ``frame`` belongs to, read from its type (no library is imported)."""
    module = type(frame).__module__ or ""
    name = type(frame).__name__
    if module.startswith("pandas") and name == "DataFrame":
        return "pandas"
    if module.startswith("polars") and name == "DataFrame":
        return "polars"
    if module.startswith("pyarrow") and name in ("Table", "RecordBatch"):
        return "arrow"
    raise InvalidValueError(
        "expected a pandas or polars DataFrame or an Arrow table", field="frame"
    )


def _column_names(frame: Any, kind: Kind) -> list[Any]:
    if kind == "arrow":
        return list(frame.schema.names)
    return list(frame.columns)


def _whole_numbers(frame: Any) -> Any:
    """``frame`` with each float column of whole numbers and blanks read as whole numbers.

    pandas stores a column of whole numbers with a blank cell as floats (``12`` becomes
    ``12.0``), so an id or a count would read as ``"12.0"``; such a column is read as the
    nullable ``Int64`` it was meant to be.
    """
    fixed = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind != "f":
            continue
        filled = column.dropna()
        if len(filled) and bool((filled % 1 == 0).all()) and bool((filled.abs() < 2**53).all()):
            fixed[name] = column.astype("Int64")
    return frame.assign(**fixed) if fixed else frame


def rows_of(frame: Any) -> list[dict[str, Any]]:
    """Every row of ``frame`` as a dict of column name to a plain Python value, in order."""
    kind = kind_of(frame)
    names = _column_names(frame, kind)
    if len(set(names)) != len(names):
        raise InvalidValueError("two columns have the same name", field="frame")
    if not all(isinstance(name, str) for name in names):
        raise InvalidValueError("column names are text", field="frame")
    if kind == "pandas":
        raw: list[dict[str, Any]] = _whole_numbers(frame).to_dict("records")
    elif kind == "polars":
        raw = frame.to_dicts()
    else:
        raw = frame.to_pylist()
    return [{key: plain(value) for key, value in row.items()} for row in raw]


def make_frame(
    columns: Mapping[str, Sequence[Any]], kind: Kind, order: Sequence[str] | None = None
) -> Any:
    """A frame of ``kind`` with the given columns (plain values or None), in ``order``."""
    if kind not in _EXTRAS:
        raise InvalidValueError("expected 'pandas', 'polars' or 'arrow'", field="kind")
    module_name, extra = _EXTRAS[kind]
    library = require(module_name, extra)
    names = list(order) if order is not None else list(columns)
    data = {name: list(columns[name]) for name in names}
    if kind == "pandas":
        return library.DataFrame(data, columns=names, dtype=object)
    if kind == "polars":
        return library.DataFrame(data, strict=False)
    return library.table(data)
