"""Many rows converted through one mapping: :func:`convert_rows` and its :class:`RowResult`.

Each row gives its record or its problems, and each problem names the source row and column
(see :meth:`crmcore.convert.ColumnMapping.with_sources`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

import attrs

from crmcore.convert._converter import Converter, default_converter
from crmcore.convert.mapping import ColumnMapping
from crmcore.errors import ConversionError, ErrorDetail, InvalidValueError, Problem

__all__ = ["ROW_INVALID", "RowResult", "convert_rows"]

T = TypeVar("T")

ROW_INVALID = "row.invalid"
"""The code of a row that is not a mapping of column names to cells."""


@attrs.frozen
class RowResult(Generic[T]):
    """What one row of :func:`convert_rows` gave: its record, or the problems that stop it.

    ``row`` is the row's number (from ``start``, 1 by default); each problem names its source
    ``row`` and ``column`` beside its record path and code, never the value.
    """

    row: int
    record: T | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the row gave a record."""
        return self.record is not None

    def errors(self) -> list[ErrorDetail]:
        """The problems as ``errors()`` entries, each with its ``source`` row and column."""
        return [problem.as_error() for problem in self.problems]


def convert_rows(
    rows: Iterable[Mapping[str, Any]],
    mapping: ColumnMapping,
    converter: Converter | None = None,
    *,
    record_type: type[T] | None = None,
    start: int = 1,
) -> Iterator[RowResult[T]]:
    """Convert each of ``rows`` through ``mapping``; yield one :class:`RowResult` per row.

    The record type is ``record_type`` or the mapping's; the mapping is checked against it
    before the first row (one :class:`~crmcore.errors.MappingError` for a bad mapping, not
    one problem per row). A row that does not convert gives its problems, each naming the
    source row and column; the rows after go on. Rows are read one at a time.

    >>> from crmcore import ColumnMapping, Contact
    >>> mapping = ColumnMapping({"Id": "id", "Mobile Phone Number": "identity.phones[0]"},
    ...                         record_type=Contact)
    >>> rows = [{"Id": "c-1", "Mobile Phone Number": "+44 20 7946 0958"},
    ...         {"Id": "c-2", "Mobile Phone Number": "call me"}]
    >>> [result.ok for result in convert_rows(rows, mapping)]
    [True, False]
    >>> list(convert_rows(rows, mapping))[1].errors()  # doctest: +NORMALIZE_WHITESPACE
    [{'type': 'phone.invalid', 'loc': ('identity', 'phones', 0, 'number'),
      'msg': 'not a phone number: it has words in it',
      'source': {'row': 2, 'column': 'Mobile Phone Number'}}]
    """
    kind: Any = record_type or mapping.record_type
    if kind is None:
        raise InvalidValueError(
            "give the record type, or a mapping that names one", field="record_type"
        )
    checked = mapping.for_type(kind)
    convert = converter if converter is not None else default_converter()
    return _convert(rows, checked, convert, kind, start)


def _convert(
    rows: Iterable[Mapping[str, Any]],
    mapping: ColumnMapping,
    converter: Converter,
    kind: type[T],
    start: int,
) -> Iterator[RowResult[T]]:
    for number, row in enumerate(rows, start):
        if not isinstance(row, Mapping):
            problem = Problem(
                "", "expected a mapping of column names to cells", ROW_INVALID, (), row=number
            )
            yield RowResult(number, None, (problem,))
            continue
        try:
            record = converter.from_dict(kind, mapping.apply(row))
        except ConversionError as exc:
            yield RowResult(
                number, None, mapping.with_sources(row, exc.problems, row_number=number)
            )
            continue
        yield RowResult(number, record)
