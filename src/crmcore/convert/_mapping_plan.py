"""A column mapping compiled into targets, and the nested dict one row gives.

:func:`compile_targets` checks every path once (syntax, clashes between columns, and the
record type when one is given) and returns the :class:`Target` list :func:`build` runs on each
row. With ``trace``, :func:`build` also says which source column wrote each path of the
result, after list positions are compacted, so that a problem can name its column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from crmcore._safe import is_field_like
from crmcore.convert._mapping_cells import CellReader, FrozenMap, Scalar, lookup, value_key
from crmcore.convert._mapping_paths import (
    Step,
    Steps,
    check_shape,
    misfit,
    parse_path,
    refuse,
)
from crmcore.convert._missing import is_missing
from crmcore.errors import MappingError, Problem

__all__ = [
    "LIST_SEPARATOR",
    "Column",
    "Origin",
    "Target",
    "build",
    "column_of",
    "compile_targets",
    "declared",
    "named",
    "origins",
    "sourced",
]

LIST_SEPARATOR = ";"
"""The separator of the items of a list written in one cell (a path ending in ``[]``)."""

Origin = tuple[tuple[str | int, ...], str]
"""Where a value of the result came from: its location in the result and its source column."""


def _values(value: Mapping[str, Scalar] | None) -> FrozenMap[Scalar] | None:
    return None if value is None else FrozenMap(value)


@attrs.frozen
class Column:
    """How one source column is read: its record path, and what is done to its cell first.

    - ``values``: a value map (``{"MQL": "marketing_qualified"}``); a cell is looked up with
      case, spaces, ``-`` and ``_`` ignored, and a cell the map does not name is kept as it is;
    - ``invert``: the cell is a yes/no written the other way round (``Email Opt Out`` to
      ``email_opt_in``);
    - ``separator``: the items of a list written in one cell are split on it (the path ends in
      ``[]``; ``;`` when not given);
    - ``verbatim``: the cell is kept exactly as its text (for a custom field), nothing else.

    >>> Column("descriptive.lifecycle_stage", values={"MQL": "marketing_qualified"})
    Column(path='descriptive.lifecycle_stage', values=FrozenMap({'MQL': 'marketing_qualified'}), invert=False, separator=None, verbatim=False)
    """  # noqa: E501

    path: str
    values: FrozenMap[Scalar] | None = attrs.field(default=None, converter=_values)
    invert: bool = False
    separator: str | None = None
    verbatim: bool = False

    @property
    def plain(self) -> bool:
        """Whether the column only names a path (the short form ``"Column": "path"``)."""
        return (
            self.values is None and not self.invert and self.separator is None and not self.verbatim
        )


@attrs.frozen
class Target:
    """One value a row writes: from a column, a constant, or several columns (``parts``)."""

    steps: Steps
    column: str | None = None
    key: tuple[str, ...] | None = None
    read: CellReader | None = None
    constant: Scalar | None = None
    parts: tuple[tuple[str, str, tuple[str, ...] | None], ...] = ()


def named(column: object, position: int) -> str:
    """How a message names a column: quoted when field-like, else by its position."""
    return repr(column) if is_field_like(column) else f"<column {position}>"


def _key(column: str) -> tuple[str, ...] | None:
    return tuple(column.split(".")) if "." in column else None


def _reader(name: str, column: Column, split: bool) -> CellReader | None:
    where = f"column {name}"
    if column.separator is not None:
        if not isinstance(column.separator, str) or not column.separator:
            raise refuse(where, "the separator must be some text")
        if not split:
            raise refuse(where, "a separator needs a list path, ending in '[]'")
    if not isinstance(column.invert, bool) or not isinstance(column.verbatim, bool):
        raise refuse(where, "invert and verbatim are true or false")
    if column.verbatim and not column.plain and (column.values or column.invert or split):
        raise refuse(where, "a verbatim column is kept as it is: no values, invert or list")
    table: dict[str, Scalar] | None = None
    if column.values is not None:
        table = {}
        for source, value in column.values.items():
            if not isinstance(source, str) or not isinstance(value, (str, int, bool)):
                raise refuse(where, "a value map maps text to text, a number or true/false")
            key = value_key(source)
            if table.setdefault(key, value) != value:
                raise refuse(where, "the value map gives two values for one cell")
    separator = column.separator or (LIST_SEPARATOR if split else None)
    if table is None and not column.invert and not column.verbatim and separator is None:
        return None
    return CellReader(table, separator, column.invert, column.verbatim)


def compile_targets(
    columns: Mapping[str, str | Column | None],
    constants: Mapping[str, Scalar],
    combine: Mapping[str, Mapping[str, str]],
    record_type: type[Any] | None,
) -> tuple[Target, ...]:
    """The targets of a mapping, every path checked; raise :class:`MappingError` if one fails.

    Malformed paths, and paths that do not exist on ``record_type``, are all reported in one
    error.
    """
    targets: list[Target] = []
    shape: list[tuple[Steps, str]] = []
    checked: list[tuple[Steps, bool, str | None, str]] = []  # steps, split, column, path
    malformed: list[Problem] = []
    for position, (column, spec) in enumerate(columns.items()):
        if not isinstance(column, str):
            raise refuse("", "column names are text")
        if spec is None:
            continue
        name = named(column, position)
        if not isinstance(spec, Column):
            spec = Column(spec) if isinstance(spec, str) else Column("")
        try:
            steps, split = parse_path(name, spec.path)
        except MappingError as exc:  # every column at fault in one error
            malformed.extend(exc.problems)
            continue
        targets.append(Target(steps, column, _key(column), _reader(name, spec, split)))
        shape.append((steps, f"column {name}"))
        checked.append((steps, split, column, spec.path))
    for path, parts in combine.items():
        where = f"combined {path!r}" if is_field_like(path) else "a combined value"
        steps, split = parse_path(where, path)
        if split or not isinstance(parts, Mapping) or not parts:
            raise refuse(where, "combines columns into one value: parts to columns")
        found = []
        for part, column in parts.items():
            if not isinstance(column, str) or not isinstance(part, str):
                raise refuse(where, "each part is named and read from a column")
            part_steps, part_split = parse_path(where, part)
            if part_split or len(part_steps) != 1:
                raise refuse(where, "a part is one field name")
            found.append((part, column, _key(column)))
            shape.append((steps + part_steps, f"{where} part {part}"))
            checked.append((steps + part_steps, False, column, f"{path}.{part}"))
        targets.append(Target(steps, parts=tuple(found)))
    for path, value in constants.items():
        where = f"constant {path!r}" if is_field_like(path) else "a constant"
        steps, split = parse_path(where, path)
        if split:
            raise refuse(where, "a constant is one value, not a list")
        if not isinstance(value, (str, int, bool)):
            raise refuse(where, "a constant is text, a number or true/false")
        targets.append(Target(steps, constant=value))
        shape.append((steps, where))
        checked.append((steps, False, None, path))
    if malformed or record_type is not None:
        _check_fits(record_type, checked, malformed)
    check_shape(shape)
    return tuple(targets)


def _check_fits(
    record_type: type[Any] | None,
    checked: Iterable[tuple[Steps, bool, str | None, str]],
    malformed: list[Problem],
) -> None:
    """Raise one :class:`MappingError` for every malformed path and every path that is no
    field of ``record_type`` (when given); the one check of a mapping's paths."""
    problems = list(malformed)
    if record_type is not None:
        for steps, split, column, path in checked:
            reason = misfit(record_type, steps, split)
            if reason is not None:
                problems.append(Problem(path, reason, "mapping.unknown_path", column=column))
    if problems:
        raise MappingError(problems)


_Tree = dict[Step, Any]


def build(
    targets: Iterable[Target], row: Mapping[str, Any], trace: list[tuple[Steps, str | None]] | None
) -> dict[str, Any]:
    """The nested dict ``row`` gives; missing cells are left out, list positions compacted.

    With ``trace``, each written value's steps (before compaction) and column are appended.
    """
    tree: _Tree = {}
    for target in targets:
        value: Any
        node: _Tree
        if target.parts:
            _, first_column, first_key = target.parts[0]
            if is_missing(lookup(row, first_column, first_key)):
                continue
            node = tree
            for step in target.steps:
                node = node.setdefault(step, {})
            for part, column, key in target.parts:
                cell = lookup(row, column, key)
                if not is_missing(cell):
                    node[part] = cell
                    if trace is not None:
                        trace.append(((*target.steps, part), column))
            continue
        if target.column is None:
            value = target.constant
            if trace is not None:
                trace.append((target.steps, None))
        else:
            value = (
                row.get(target.column)
                if target.key is None
                else lookup(row, target.column, target.key)
            )
            if value is None:
                continue
            if value.__class__ is str:  # the common case, without a call
                if not value.strip():
                    continue
            elif is_missing(value):
                continue
            if target.read is not None:
                value = target.read(value)
                if value is None:
                    continue
            if trace is not None:
                trace.append((target.steps, target.column))
        node = tree
        steps = target.steps
        for step in steps[:-1]:
            node = node.setdefault(step, {})
        node[steps[-1]] = value
    result = _finish(tree)
    return result if isinstance(result, dict) else {}


def _finish(node: _Tree) -> Any:
    """Turn the working tree (lists kept as dicts keyed by position) into dicts and lists."""
    if node and all(isinstance(key, int) for key in node):
        return [_finish_value(node[key]) for key in sorted(node, key=int)]
    return {key: _finish_value(value) for key, value in node.items()}


def _finish_value(value: Any) -> Any:
    return _finish(value) if isinstance(value, dict) else value


def origins(trace: Iterable[tuple[Steps, str | None]]) -> list[Origin]:
    """Each traced value's location in the result (positions compacted) and its column."""
    written = list(trace)
    positions: dict[Steps, set[int]] = {}
    for steps, _ in written:
        for depth, step in enumerate(steps):
            if isinstance(step, int):
                positions.setdefault(steps[:depth], set()).add(step)
    ranks = {
        prefix: {p: rank for rank, p in enumerate(sorted(found))}
        for prefix, found in positions.items()
    }
    found_origins: list[Origin] = []
    for steps, column in written:
        if column is None:
            continue
        loc = tuple(
            ranks[steps[:depth]][step] if isinstance(step, int) else step
            for depth, step in enumerate(steps)
        )
        found_origins.append((loc, column))
    return found_origins


def column_of(found: Iterable[Origin], loc: tuple[str | int, ...]) -> str | None:
    """The column that wrote ``loc``, or the one under it that is first; ``None`` if none."""
    best: tuple[int, str] | None = None
    under: str | None = None
    size = len(loc)
    for where, column in found:
        if where == loc[: len(where)] and (best is None or len(where) > best[0]):
            best = (len(where), column)
        elif under is None and where[:size] == loc:
            under = column
    return best[1] if best is not None else under


def declared(targets: Iterable[Target]) -> list[Origin]:
    """Where each column writes, as the mapping says it (positions as written, not compacted).

    What names the column of a problem at a path no cell wrote: a required field left blank.
    """
    found: list[Origin] = []
    for target in targets:
        if target.parts:
            found.extend(((*target.steps, part), column) for part, column, _ in target.parts)
        elif target.column is not None:
            found.append((target.steps, target.column))
    return found


def sourced(
    problems: Iterable[Problem], found: list[Origin], fallback: list[Origin], row: int | None
) -> tuple[Problem, ...]:
    """``problems`` with their source ``row`` and column filled in.

    The column is the one ``found`` (what the row wrote) says wrote the problem's path, else
    the one ``fallback`` (what the mapping declares) says would have.
    """
    return tuple(
        attrs.evolve(
            problem,
            row=row,
            column=column_of(found, problem.loc) or column_of(fallback, problem.loc),
        )
        for problem in problems
    )
