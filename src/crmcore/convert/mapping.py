"""Turn flat rows (a CSV line, a spreadsheet row, an API payload) into dicts ``from_dict`` reads.

A :class:`ColumnMapping` maps each column name to a dotted path into a record:

- ``id``, ``identity.organisation``: a field;
- ``identity.name.given``: a field of a nested value;
- ``identity.emails[0]``, ``identity.addresses[1].locality``: an item of a list, by position;
- ``qualitative.motivations[]``: a whole list, written in one cell and split on ``;``;
- ``descriptive.custom.lead_status``: a custom field.

A column may also be a :class:`Column`, which reads its cell first: a value map, a yes/no
inverted, another list separator, or the cell kept verbatim. ``constants`` write a value on
every row; ``combine`` builds one value from several columns (an amount and its currency). A
column named with dots (``properties.firstname``) reads a nested key of a payload when the
row has no column of that very name.

Blank cells (``None``, blank text, NaN, ``pandas.NA``) are left out, so a missing value
never becomes an empty item; list positions are compacted in order, so ``phones[0]`` empty and
``phones[1]`` filled gives a list of one phone. A column mapped to ``None`` is deliberately
ignored.

The paths are checked once, when the mapping is built: a malformed path, two columns on the
same path, or (given a ``record_type``) a path the record type does not have is refused with
one :class:`~crmcore.errors.MappingError`, whose reason names the column and the path, never a
cell value. A column name is quoted only when it looks like a field name (columns may come
from a file's header); any other column is named by its position, ``<column 3>``, from 0.

>>> from crmcore import Contact
>>> ColumnMapping({"Mail": "identity.email[0]"}, record_type=Contact)
Traceback (most recent call last):
...
crmcore.errors.MappingError: mapping: column 'Mail' -> identity.email[0]: identity has no field email
>>> mapping = ColumnMapping({
...     "Given name": "identity.name.given",
...     "E-mail": "identity.emails[0]",
...     "Work e-mail": "identity.emails[1]",
...     "City": "identity.addresses[0].locality",
...     "Tags": "qualitative.motivations[]",
...     "Notes": None,
... })
>>> mapping.apply({"Given name": "Ada", "E-mail": "", "Work e-mail": "ada@example.org",
...                "City": "London", "Tags": "price; speed;", "Notes": "ignored"})
... # doctest: +NORMALIZE_WHITESPACE
{'identity': {'name': {'given': 'Ada'}, 'emails': ['ada@example.org'],
              'addresses': [{'locality': 'London'}]},
 'qualitative': {'motivations': ['price', 'speed']}}
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from crmcore.convert._mapping_cells import FrozenMap, Scalar
from crmcore.convert._mapping_form import (
    BUILTIN,
    builtin_form,
    column_form,
    read_column,
    read_form,
    record_type_name,
)
from crmcore.convert._mapping_paths import PATH_MAX_LENGTH, refuse
from crmcore.convert._mapping_plan import (
    LIST_SEPARATOR,
    Column,
    Target,
    build,
    compile_targets,
    declared,
    named,
    origins,
    sourced,
)
from crmcore.errors import InvalidValueError, MappingError, Problem

__all__ = [
    "LIST_SEPARATOR",
    "PATH_MAX_LENGTH",
    "Column",
    "ColumnMapping",
    "Columns",
    "unflatten",
]


class Columns(FrozenMap["str | None"]):
    """A read-only, hashable mapping of column names to paths, in the order given.

    >>> columns = Columns({"Mail": "identity.emails[0]", "Notes": None})
    >>> columns["Mail"], len(columns), columns
    ('identity.emails[0]', 2, Columns({'Mail': 'identity.emails[0]', 'Notes': None}))
    """

    __slots__ = ()


ColumnSpec = str | Column | Mapping[str, Any] | None
"""How a column is given: its path, a :class:`Column`, the JSON form of one, or ``None``."""


def _specs(value: Mapping[str, ColumnSpec]) -> FrozenMap[str | Column | None]:
    if not isinstance(value, Mapping):
        raise refuse("", "expected a mapping of column names to paths")
    specs: dict[str, str | Column | None] = {}
    for position, (column, spec) in enumerate(value.items()):
        if isinstance(spec, Mapping):
            spec = read_column(named(column, position), spec)
        specs[column] = spec.path if isinstance(spec, Column) and spec.plain else spec
    return FrozenMap(specs)


def _frozen(value: Mapping[str, Any] | None, what: str) -> FrozenMap[Any]:
    if value is None:
        return FrozenMap({})
    if not isinstance(value, Mapping):
        raise refuse(what, "expected a mapping")
    return FrozenMap(value)


def _combine(value: Mapping[str, Mapping[str, str]] | None) -> FrozenMap[FrozenMap[str]]:
    found = _frozen(value, "combine")
    return FrozenMap(
        {
            path: FrozenMap(parts) if isinstance(parts, Mapping) else parts
            for path, parts in found.items()
        }
    )


def _names(columns: Iterable[str], field: str) -> list[str]:
    """The column names of ``columns``: any iterable of text but text itself (its letters)."""
    if isinstance(columns, (str, bytes)) or not isinstance(columns, Iterable):
        raise InvalidValueError("expected column names, not a single text", field=field)
    return list(columns)


@attrs.frozen(init=False)
class ColumnMapping:
    """A checked mapping of source columns to record paths; see the module docstring.

    Build it once (or load it with :meth:`from_dict` or :meth:`builtin`), then call
    :meth:`apply` on every row, or give it to :func:`convert_rows`. Columns of a row that the
    mapping does not name are ignored; :meth:`unmapped` lists them, to warn about once.

    Each column is given as its path, a :class:`Column`, the JSON form of a column (an object
    with a ``path`` and options, as :meth:`from_dict` reads it), or ``None`` to ignore it.
    ``record_type``, when given, is the type the paths are checked against.
    ``require_columns`` says whether a file must have every column the mapping names (the
    command line refuses one that lacks some); the shipped mappings say no, since an export
    holds the columns its user picked.
    """

    specs: FrozenMap[str | Column | None]
    """Each column and how it is read: its path, a :class:`Column`, or ``None`` (ignored)."""
    record_type: type[Any] | None
    constants: FrozenMap[Scalar]
    """Values written on every row, by path."""
    combine: FrozenMap[FrozenMap[str]]
    """Values built from several columns: by path, each part's column (``amount``: ...)."""
    require_columns: bool
    description: str | None = attrs.field(eq=False)
    _targets: tuple[Target, ...] = attrs.field(repr=False, eq=False)
    _columns: Columns = attrs.field(repr=False, eq=False)

    def __init__(
        self,
        columns: Mapping[str, ColumnSpec],
        *,
        record_type: type[Any] | None = None,
        constants: Mapping[str, Scalar] | None = None,
        combine: Mapping[str, Mapping[str, str]] | None = None,
        require_columns: bool = True,
        description: str | None = None,
    ) -> None:
        specs = _specs(columns)
        fixed = _frozen(constants, "constants")
        combined = _combine(combine)
        if record_type is not None and not (isinstance(record_type, type)):
            raise refuse("record_type", "expected a record type")
        targets = compile_targets(specs, fixed, combined, record_type)
        self.__attrs_init__(
            specs,
            record_type,
            fixed,
            combined,
            bool(require_columns),
            description,
            targets,
            _paths(specs, combined),
        )

    @property
    def columns(self) -> Columns:
        """Each source column and the path it writes (``None``: ignored), read-only.

        A column of a combined value writes the path of its part (``...annual_revenue.amount``).
        """
        return self._columns

    @classmethod
    def identity(
        cls, columns: Iterable[str], *, record_type: type[Any] | None = None
    ) -> ColumnMapping:
        """The mapping whose columns are named by their own paths (``identity.emails[0]``, ...).

        With ``record_type``, every column is checked to be one of its paths, as for any
        mapping: all those that are not are named in one :class:`~crmcore.errors.MappingError`.

        >>> ColumnMapping.identity(["id", "identity.name.family"]).apply(
        ...     {"id": "c1", "identity.name.family": "Curie"})
        {'id': 'c1', 'identity': {'name': {'family': 'Curie'}}}
        >>> from crmcore import Contact
        >>> ColumnMapping.identity(["id", "loaded_at", "identity.mail"], record_type=Contact)
        Traceback (most recent call last):
        ...
        crmcore.errors.MappingError: mapping: column 'loaded_at' -> loaded_at: Contact has no field loaded_at; column 'identity.mail' -> identity.mail: identity has no field mail
        """  # noqa: E501
        named = {column: column for column in _names(columns, "columns")}
        return cls(named, record_type=record_type)

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, record_type: type[Any] | None = None
    ) -> ColumnMapping:
        """The mapping that the JSON-safe ``data`` describes (as :meth:`to_dict` writes it).

        ``data`` is either the short form, column to path (or ``null``), or the full form:
        ``columns`` (each a path, ``null``, or an object with ``path`` and the options of
        :class:`Column`), and optionally ``record_type`` (``"contact"``), ``constants``,
        ``combine``, ``require_columns`` and ``description``. ``record_type``, when given,
        must agree with the one ``data`` names; every path is checked against it.

        >>> from crmcore import Contact
        >>> mapping = ColumnMapping.from_dict({
        ...     "record_type": "contact",
        ...     "columns": {
        ...         "Email Opt Out": {"path": "descriptive.communication.email_opt_in",
        ...                           "invert": True},
        ...         "Stage": {"path": "descriptive.lifecycle_stage",
        ...                   "values": {"MQL": "marketing_qualified"}},
        ...     },
        ... })
        >>> mapping.apply({"Email Opt Out": "true", "Stage": "mql"})
        {'descriptive': {'communication': {'email_opt_in': False}, 'lifecycle_stage': 'marketing_qualified'}}
        >>> mapping.to_dict() == ColumnMapping.from_dict(mapping.to_dict()).to_dict()
        True
        """  # noqa: E501
        found = read_form(data)
        named = found.pop("record_type", None)
        if record_type is not None and named is not None and named is not record_type:
            raise MappingError(
                [
                    Problem(
                        "",
                        f"the mapping is for {record_type_name(named)} records, "
                        f"not {record_type_name(record_type)}",
                        "mapping.record_type",
                        (),
                    )
                ]
            )
        return cls(**found, record_type=record_type or named)

    def to_dict(self) -> dict[str, Any]:
        """This mapping as JSON-safe data that :meth:`from_dict` reads back equal.

        >>> ColumnMapping({"Mail": "identity.emails[0]", "Notes": None}).to_dict()
        {'columns': {'Mail': 'identity.emails[0]', 'Notes': None}}
        """
        form: dict[str, Any] = {}
        if self.description is not None:
            form["description"] = self.description
        if self.record_type is not None:
            form["record_type"] = record_type_name(self.record_type)
        form["columns"] = {column: column_form(spec) for column, spec in self.specs.items()}
        if self.constants:
            form["constants"] = dict(self.constants)
        if self.combine:
            form["combine"] = {path: dict(parts) for path, parts in self.combine.items()}
        if not self.require_columns:
            form["require_columns"] = False
        return form

    @classmethod
    def builtin(cls, name: str) -> ColumnMapping:
        """A mapping shipped with crmcore, by name: see :meth:`builtin_names`.

        >>> mapping = ColumnMapping.builtin("hubspot_contacts")
        >>> mapping.record_type.__name__, mapping.columns["Email"]
        ('Contact', 'identity.emails[0]')
        """
        return cls.from_dict(builtin_form(name))

    @staticmethod
    def builtin_names() -> tuple[str, ...]:
        """The names of the mappings shipped with crmcore.

        >>> ColumnMapping.builtin_names()
        ('hubspot_companies', 'hubspot_contacts', 'salesforce_accounts', 'salesforce_contacts')
        """
        return BUILTIN

    def for_type(self, record_type: type[Any]) -> ColumnMapping:
        """This mapping checked against ``record_type``; refused if it names another type."""
        if self.record_type is record_type:
            return self
        return ColumnMapping.from_dict(self.to_dict(), record_type=record_type)

    @property
    def sources(self) -> tuple[str, ...]:
        """Every column the mapping reads or ignores by name, in order."""
        return tuple(self._columns)

    def unmapped(self, columns: Iterable[str]) -> tuple[str, ...]:
        """The columns among ``columns`` that this mapping does not mention, sorted.

        A payload's key is mentioned when a column reads a nested key under it
        (``properties`` for ``properties.firstname``).

        >>> ColumnMapping({"a": "id", "b": None}).unmapped(["a", "b", "c"])
        ('c',)
        """
        names = _names(columns, "columns")
        known = self._columns
        return tuple(
            sorted(
                column
                for column in names
                if column not in known and not any(c.startswith(f"{column}.") for c in known)
            )
        )

    def apply(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """Return the nested dict for one ``row``; blank cells are left out.

        >>> ColumnMapping({"n": "identity.phones[1]"}).apply({"n": " "})
        {}
        """
        if not isinstance(row, Mapping):
            raise InvalidValueError("expected a mapping of column names to cells", field="row")
        return build(self._targets, row, None)

    def with_sources(
        self, row: Mapping[str, Any], problems: Iterable[Problem], *, row_number: int | None = None
    ) -> tuple[Problem, ...]:
        """``problems`` (of the record :meth:`apply` made of ``row``) naming their source.

        Each gets ``row`` (``row_number``) and ``column``: the column that wrote its path,
        list positions compacted as :meth:`apply` compacts them.

        >>> from crmcore import Contact, ConversionError, from_dict
        >>> mapping = ColumnMapping({"Id": "id", "Mobile": "identity.phones[1]",
        ...                          "Office": "identity.phones[0]"})
        >>> row = {"Id": "c-1", "Mobile": "not a phone", "Office": ""}
        >>> try:
        ...     from_dict(Contact, mapping.apply(row))
        ... except ConversionError as exc:
        ...     [str(p) for p in mapping.with_sources(row, exc.problems, row_number=31)]
        ["row 31, column 'Mobile': identity.phones[0].number: not a phone number: it has words in it"]
        """  # noqa: E501
        trace: list[Any] = []
        build(self._targets, row, trace)
        return sourced(problems, origins(trace), declared(self._targets), row_number)


def _paths(
    specs: Mapping[str, str | Column | None], combine: Mapping[str, Mapping[str, str]]
) -> Columns:
    paths: dict[str, str | None] = {
        column: spec.path if isinstance(spec, Column) else spec for column, spec in specs.items()
    }
    for path, parts in combine.items():
        for part, column in parts.items():
            paths.setdefault(column, f"{path}.{part}")
    return Columns(paths)


def unflatten(row: Mapping[str, Any], mapping: Mapping[str, str | None]) -> dict[str, Any]:
    """Return the nested dict for one flat ``row`` through ``mapping`` (checked on every call).

    To convert many rows, build one :class:`ColumnMapping` and call its ``apply``.

    >>> unflatten({"Ref": "d-1", "Who": "c-1;c-2"},
    ...           {"Ref": "id", "Who": "identity.contact_refs[]"})
    {'id': 'd-1', 'identity': {'contact_refs': ['c-1', 'c-2']}}
    """
    return ColumnMapping(mapping).apply(row)
