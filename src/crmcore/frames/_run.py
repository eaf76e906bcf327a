"""Records from a frame, records to a frame, and per-row problems as a frame."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from crmcore._safe import is_field_like
from crmcore.cleaning import CleaningContext, CleaningError, clean_raw
from crmcore.cleaning.raw import QUARANTINE_CODES
from crmcore.convert import ColumnMapping, Converter, default_converter, to_dict
from crmcore.errors import ConversionError, InvalidValueError, Problem, restore_private_pickling
from crmcore.frames._flat import flatten, paths_in_order
from crmcore.frames._tables import ColumnType, Kind, kind_of, make_frame, rows_of
from crmcore.records._base import Record
from crmcore.validation import Context, RuleSet, default_ruleset, validate

__all__ = [
    "PROBLEM_COLUMNS",
    "FrameRead",
    "RowProblem",
    "clean_and_validate",
    "partition_meta",
    "problems_frame",
    "read_frame",
    "to_frame",
]

R = TypeVar("R", bound=Record)

PROBLEM_COLUMNS = ("row", "column", "path", "code", "message")
"""The columns of a problems frame, in order. No column ever holds an input value."""

_PROBLEM_TYPES: dict[str, ColumnType] = {
    "row": "int",
    "column": "text",
    "path": "text",
    "code": "text",
    "message": "text",
}


@attrs.frozen
class RowProblem:
    """One problem of one source row: its position (from 0), the record path, code and reason.

    ``column`` is the source column the problem comes from, as the mapping names it (see
    :meth:`~crmcore.convert.ColumnMapping.with_sources`); a column whose name could hold a
    personal value (it does not look like a field name) is named by its position in the
    frame, ``<column 3>``. It is ``None`` when no column wrote the path (a required field no
    column maps, a constant).
    """

    row: int
    path: str
    code: str
    message: str
    column: str | None = None


@attrs.frozen
class FrameRead(Generic[R]):
    """What :func:`read_frame` read: the records, the source row of each, and the problems.

    ``unmapped`` lists the frame's columns the mapping does not name (they were not read) and
    ``absent`` the mapping's columns the frame does not have (but those it ignores), each
    sorted: worth a warning once per frame, as an export may leave out a column or add one.
    """

    records: tuple[R, ...]
    rows: tuple[int, ...]
    problems: tuple[RowProblem, ...]
    unmapped: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


def _mapping(
    mapping: ColumnMapping | Mapping[str, str | None] | None,
    columns: list[str],
    record_type: type[Record],
) -> ColumnMapping:
    """The mapping to read ``columns`` with, its paths checked against ``record_type``.

    Without a mapping each column is named by its path. A path that is malformed or no field
    of the record is refused, every such column in one
    :class:`~crmcore.errors.MappingError`, before any row is read: the check every mapping
    gets (:meth:`~crmcore.convert.ColumnMapping.for_type`).
    """
    if mapping is None:
        return ColumnMapping.identity(columns, record_type=record_type)
    if isinstance(mapping, ColumnMapping):
        return mapping.for_type(record_type)
    return ColumnMapping(mapping, record_type=record_type)


def _record_type(record_type: Any) -> None:
    if not (isinstance(record_type, type) and issubclass(record_type, Record)):
        raise InvalidValueError("expected a crmcore record type", field="record_type")


def _columns(frame: Any) -> list[str]:
    kind = kind_of(frame)
    return list(frame.schema.names) if kind == "arrow" else [str(c) for c in frame.columns]


def read_frame(
    frame: Any,
    record_type: type[R],
    mapping: ColumnMapping | Mapping[str, str | None] | None = None,
    *,
    converter: Converter | None = None,
) -> FrameRead[R]:
    """Convert each row of a pandas or polars DataFrame or an Arrow table to a ``record_type``.

    ``mapping`` maps column names to record paths; without it each column is named by its
    path (``identity.emails[0]``). A path that is no field of ``record_type`` is refused
    before any row is read, every such column named in one
    :class:`~crmcore.errors.MappingError` (an :class:`~crmcore.errors.InvalidValueError`).
    Blank cells (``NaN``, ``NA``, ``NaT``, ``None``, blank text) are missing; numpy scalars
    read as Python values. A row that does not convert gives one :class:`RowProblem` per
    failing path (naming its source column) and no record. A column of
    whole numbers that the frame stores as floats because of a blank cell (``12.0``) reads as
    whole numbers.
    """
    _record_type(record_type)
    columns = _columns(frame)
    names = _shown_names(columns)
    checked = _mapping(mapping, columns, record_type)
    conv = converter if converter is not None else default_converter()
    records: list[R] = []
    rows: list[int] = []
    problems: list[RowProblem] = []
    for position, row in enumerate(rows_of(frame)):
        try:
            record = conv.from_dict(record_type, checked.apply(row))
        except ConversionError as exc:
            problems.extend(_sourced(checked, row, exc.problems, position, names))
            continue
        records.append(record)
        rows.append(position)
    present = set(columns)
    absent = tuple(
        sorted(c for c, path in checked.columns.items() if path is not None and c not in present)
    )
    return FrameRead(
        tuple(records), tuple(rows), tuple(problems), checked.unmapped(columns), absent
    )


def to_frame(
    records: Iterable[Record], kind: Kind = "pandas", *, converter: Converter | None = None
) -> Any:
    """A frame of ``kind`` with one row per record and one column per path of ``to_dict``.

    Columns are named as :func:`read_frame` reads them without a mapping, so a frame written
    here reads back to the same records. Lists take one column per position
    (``identity.emails[0].address``); a cell a record does not fill is ``None``.
    """
    write = converter.to_dict if converter is not None else to_dict
    flat = [flatten(write(record)) for record in records]
    names = paths_in_order(flat)
    columns = {name: [row.get(name) for row in flat] for name in names}
    return make_frame(columns, kind, names)


def problems_frame(problems: Iterable[RowProblem], kind: Kind = "pandas") -> Any:
    """The problems as a frame of ``kind`` with the columns :data:`PROBLEM_COLUMNS`."""
    items = list(problems)
    columns: dict[str, Sequence[Any]] = {
        "row": [p.row for p in items],
        "column": [p.column for p in items],
        "path": [p.path for p in items],
        "code": [p.code for p in items],
        "message": [p.message for p in items],
    }
    return make_frame(columns, kind, PROBLEM_COLUMNS, _PROBLEM_TYPES)


def partition_meta(kind: Kind = "pandas") -> Any:
    """An empty problems frame: the ``meta`` Dask needs for ``map_partitions`` of problems."""
    return problems_frame((), kind)


def clean_and_validate(
    frame: Any,
    record_type: type[R],
    mapping: ColumnMapping | Mapping[str, str | None] | None = None,
    *,
    ctx: Context,
    cleaning: CleaningContext | None = None,
    ruleset: RuleSet | None = None,
    first_row: int = 0,
) -> tuple[Any, Any]:
    """Clean each row into a record, validate it, and return (records frame, problems frame).

    Both frames are of the library ``frame`` came from (pandas, polars or Arrow). Each row goes
    through :func:`~crmcore.cleaning.clean_raw` (what cannot be read is quarantined and reported
    with its quarantine code) and :func:`~crmcore.validation.validate` with ``ruleset`` (the
    default rule set when not given) and ``ctx``. A row without a usable ``id`` gives problems
    and no record. ``first_row`` is added to each row's position, for a frame that is one part
    of a larger one.
    """
    # On a Dask worker, ``distributed`` has made every exception class pickle with its chain,
    # where a refused value lies: ours go back to pickling without it before they can be raised.
    restore_private_pickling()
    _record_type(record_type)
    if not isinstance(first_row, int) or isinstance(first_row, bool):
        raise InvalidValueError("expected a whole number", field="first_row")
    kind = kind_of(frame)
    columns = _columns(frame)
    names = _shown_names(columns)
    checked = _mapping(mapping, columns, record_type)
    rules = ruleset if ruleset is not None else default_ruleset()
    records: list[Record] = []
    problems: list[RowProblem] = []
    for position, row in enumerate(rows_of(frame), start=first_row):
        try:
            result = clean_raw(record_type, checked.apply(row), cleaning)
        except CleaningError as exc:
            problems.extend(_sourced(checked, row, exc.problems, position, names))
            continue
        record = result.record
        found = [Problem(q.path, _quarantined(q.code), q.code) for q in record.quarantine]
        report = validate(record, rules, ctx)
        found.extend(Problem(i.path, i.message, i.code) for i in report.issues)
        problems.extend(_sourced(checked, row, found, position, names))
        records.append(record)
    return to_frame(records, kind), problems_frame(problems, kind)


def _shown_names(columns: Sequence[str]) -> dict[str, str]:
    """How a problem names each column of a frame: itself when field-like, else by position."""
    return {
        column: column if is_field_like(column) else f"<column {position}>"
        for position, column in enumerate(columns)
    }


def _sourced(
    mapping: ColumnMapping,
    row: Mapping[str, Any],
    problems: Iterable[Problem],
    position: int,
    names: Mapping[str, str],
) -> list[RowProblem]:
    """``problems`` of one row as :class:`RowProblem`, each naming its source column."""
    found = list(problems)
    if not found:
        return []
    return [
        RowProblem(
            position,
            p.path,
            p.code,
            p.reason,
            None if p.column is None else names.get(p.column, "<column>"),
        )
        for p in mapping.with_sources(row, found)
    ]


def _quarantined(code: str) -> str:
    return "quarantined: " + QUARANTINE_CODES.get(code, "not readable").rstrip(".")
