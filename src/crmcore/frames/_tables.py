"""Rows out of, and frames into, pandas, polars and Arrow, each imported only when used."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from crmcore._extras import require
from crmcore.errors import InvalidValueError
from crmcore.frames._cells import plain

__all__ = ["ColumnType", "Kind", "kind_of", "make_frame", "rows_of"]

Kind = Literal["pandas", "polars", "arrow"]
"""The libraries a frame may come from or be written to."""

_EXACT = 2**53
"""Every whole number below this is exactly a float."""

ColumnType = Literal["int", "text"]
"""The type of a column of a typed frame: whole numbers or text."""

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
    if module.startswith("polars") and name == "LazyFrame":
        raise InvalidValueError("a polars LazyFrame: collect() it first", field="frame")
    if module.startswith("dask"):
        raise InvalidValueError(
            "a Dask frame: run on each partition (see the Dask recipe)", field="frame"
        )
    raise InvalidValueError(
        "expected a pandas or polars DataFrame or an Arrow table", field="frame"
    )


def _column_names(frame: Any, kind: Kind) -> list[Any]:
    if kind == "arrow":
        return list(frame.schema.names)
    return list(frame.columns)


def _whole_numbers(rows: list[dict[str, Any]], names: Sequence[str]) -> None:
    """Read each column of whole floats (blanks aside) as whole numbers, in place.

    pandas stores a column of whole numbers with a blank cell as floats (``12`` becomes
    ``12.0``), and so does a polars or Arrow frame made from it, so an id or a count would
    read as ``"12.0"``; such a column is read as the whole numbers it was meant to hold. A
    float past 2**53 is left alone: it may not be the number that was written.
    """
    for name in names:
        filled = [row[name] for row in rows if row[name] is not None]
        if filled and all(
            type(value) is float and value.is_integer() and abs(value) < _EXACT for value in filled
        ):
            for row in rows:
                if row[name] is not None:
                    row[name] = int(row[name])


def rows_of(frame: Any) -> list[dict[str, Any]]:
    """Every row of ``frame`` as a dict of column name to a plain Python value, in order."""
    kind = kind_of(frame)
    names = _column_names(frame, kind)
    if len(set(names)) != len(names):
        raise InvalidValueError("two columns have the same name", field="frame")
    if not all(isinstance(name, str) for name in names):
        raise InvalidValueError("column names are text", field="frame")
    if kind == "pandas":
        raw: list[dict[str, Any]] = frame.to_dict("records")
    elif kind == "polars":
        raw = frame.to_dicts()
    else:
        raw = frame.to_pylist()
    rows = [{key: plain(value) for key, value in row.items()} for row in raw]
    _whole_numbers(rows, names)
    return rows


def make_frame(
    columns: Mapping[str, Sequence[Any]],
    kind: Kind,
    order: Sequence[str] | None = None,
    types: Mapping[str, ColumnType] | None = None,
) -> Any:
    """A frame of ``kind`` with the given columns (plain values or None), in ``order``.

    With ``types``, each column has that type even when the frame has no row (a problems
    frame, the ``meta`` of a Dask partition); without, pandas columns hold Python objects
    and polars and Arrow infer each column's type from its values.
    """
    if kind not in _EXTRAS:
        raise InvalidValueError("expected 'pandas', 'polars' or 'arrow'", field="kind")
    module_name, extra = _EXTRAS[kind]
    library = require(module_name, extra)
    names = list(order) if order is not None else list(columns)
    data = {name: list(columns[name]) for name in names}
    if types is not None:
        return _typed(library, kind, data, types)
    if kind == "pandas":
        return library.DataFrame(data, columns=names, dtype=object)
    if kind == "polars":
        return library.DataFrame(data, strict=False)
    return library.table(data)


def _typed(
    library: Any, kind: Kind, data: dict[str, list[Any]], types: Mapping[str, ColumnType]
) -> Any:
    if kind == "pandas":
        return library.DataFrame(
            {
                name: library.Series(values, dtype="int64" if types[name] == "int" else object)
                for name, values in data.items()
            }
        )
    if kind == "polars":
        schema = {name: library.Int64 if types[name] == "int" else library.String for name in data}
        return library.DataFrame(data, schema=schema)
    fields = [
        (name, library.int64() if types[name] == "int" else library.string()) for name in data
    ]
    return library.table(data, schema=library.schema(fields))
