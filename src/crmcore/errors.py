"""The crmcore exception hierarchy, rooted in :class:`CRMError`.

Messages never carry a personal value: they name the path of the problem and the reason.
Every exception pickles and unpickles with its attributes (so that it crosses a process
boundary, as in a ``ProcessPoolExecutor``), never with its traceback or chained exceptions.
"""

from __future__ import annotations

import copyreg
import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol, TypeAlias

import attrs

from crmcore._safe import is_field_like

__all__ = [
    "GENERIC_CODE",
    "CRMError",
    "ConversionError",
    "ErrorDetail",
    "InvalidValueError",
    "Loc",
    "MappingError",
    "MissingExtraError",
    "Problem",
    "ReportedIssue",
    "SchemaError",
    "ValidationError",
    "loc_of",
    "restore_private_pickling",
]

Loc: TypeAlias = tuple[str | int, ...]
"""Where a problem is, one segment at a time: ``("identity", "emails", 1, "address")``."""

ErrorDetail: TypeAlias = dict[str, Any]
"""One entry of ``errors()``: ``{"type": code, "loc": loc, "msg": reason}``."""

GENERIC_CODE = "value.invalid"
"""The code of a problem no more precise code describes."""


def _rebuild(cls: type[BaseException], args: tuple[Any, ...]) -> BaseException:
    """An exception of ``cls`` with ``args``, not initialised: its state is restored after."""
    return cls.__new__(cls, *args)


class CRMError(Exception):
    """The root of every exception raised on purpose by crmcore.

    Every subclass pickles and unpickles with the same type, arguments, attributes and notes,
    whatever its constructor takes: the attributes are restored as they were, not computed
    again. The traceback and chained exceptions are left out, as for any exception.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        state = super().__reduce__()  # (cls, args[, state]); ImportError adds name and path
        attributes = state[2] if len(state) > 2 else None
        return (_rebuild, (type(self), self.args), attributes)


def _reduce(error: CRMError) -> tuple[Any, ...]:
    return error.__reduce__()


def _subclasses(cls: type[CRMError]) -> list[type[CRMError]]:
    found = [cls]
    for sub in cls.__subclasses__():
        found.extend(_subclasses(sub))
    return found


def restore_private_pickling() -> None:
    """Make every crmcore error (and your subclasses) pickle without its chain again.

    A library may change how every exception class defined so far pickles: importing
    ``distributed`` installs tblib's pickling support, which sends each exception's cause,
    context and traceback along with it. A crmcore error's cause is often the library error
    that refused a value, with the value in its message, so this undoes that change for the
    classes rooted in :class:`CRMError` only. It is idempotent; the distributed engine calls
    it before it runs.

    >>> import pickle
    >>> restore_private_pickling()
    >>> try:
    ...     raise InvalidValueError("not an email", field="email") from ValueError("a@b")
    ... except InvalidValueError as error:
    ...     pickle.loads(pickle.dumps(error)).__cause__ is None
    True
    """
    for cls in _subclasses(CRMError):
        copyreg.pickle(cls, _reduce)


_SEGMENT = re.compile(r"\[(\d+)\]|([^.\[]+)")


def loc_of(path: str) -> Loc:
    """The segments of a dotted ``path``: a name is text, a list index a number.

    >>> loc_of("identity.emails[1].address")
    ('identity', 'emails', 1, 'address')
    >>> loc_of("")
    ()

    A path holds no more than its text: a key with a dot in it (``properties.email``) is read
    as two names. Conversion builds each problem's ``loc`` segment by segment instead.
    """
    return tuple(
        int(index) if index else name for index, name in _SEGMENT.findall(path) if index or name
    )


def _as_loc(value: Iterable[str | int]) -> Loc:
    return value if type(value) is tuple else tuple(value)


@attrs.frozen
class Problem:
    """One failing path, the reason it failed and the stable code of that reason; safe to log.

    ``path`` reads like ``identity.emails[1].address``; ``reason`` never holds the value.
    ``code`` is a stable dotted code a program can branch on (``date.invalid``, see the table
    of codes in the conversion guide); ``loc`` is the path one segment at a time
    (``("identity", "emails", 1, "address")``), read from ``path`` when not given. ``row`` and
    ``column`` name the source of the value when a column mapping read it (see
    :func:`~crmcore.convert_rows`); they are ``None`` otherwise.

    >>> problem = Problem("identity.emails[1].address", "missing @", "email.invalid")
    >>> problem.loc
    ('identity', 'emails', 1, 'address')
    >>> str(problem)
    'identity.emails[1].address: missing @'
    >>> problem.as_error()
    {'type': 'email.invalid', 'loc': ('identity', 'emails', 1, 'address'), 'msg': 'missing @'}
    """

    path: str
    reason: str
    code: str = GENERIC_CODE
    loc: Loc = attrs.field(
        default=attrs.Factory(lambda self: loc_of(self.path), takes_self=True),
        converter=_as_loc,
        repr=False,  # the path says it, in the repr's few words
    )
    row: int | None = attrs.field(default=None, repr=False)  # str() names the source
    """The number of the source row the problem comes from, when a mapping read it.

    :func:`~crmcore.convert_rows` counts rows from its ``start`` (1 by default).
    """
    column: str | None = attrs.field(default=None, repr=False)
    """The source column the problem comes from, as the mapping names it, when one does."""

    def __str__(self) -> str:
        source = self.source_text()
        where = f"{self.path or '<root>'}"
        return f"{source}: {where}: {self.reason}" if source else f"{where}: {self.reason}"

    def source_text(self) -> str:
        """The source row and column in words (``row 31, column 'Mobile Phone'``), or ``""``.

        A column is quoted only when its name looks like a field name; any other name (a
        header that may hold a value) is shown as ``<column>``.

        >>> Problem("identity.phones[0]", "not a phone number", row=31,
        ...         column="Mobile Phone Number").source_text()
        "row 31, column 'Mobile Phone Number'"
        """
        parts = [] if self.row is None else [f"row {self.row}"]
        if self.column is not None:
            parts.append(f"column {_column_shown(self.column)}")
        return ", ".join(parts)

    def as_error(self) -> ErrorDetail:
        """This problem as one entry of ``errors()``, shaped as pydantic's: type, loc, msg.

        A problem that names its source row or column has a ``source`` entry too:
        ``{"row": 31, "column": "Mobile Phone Number"}``.
        """
        if self.row is None and self.column is None:
            return {"type": self.code, "loc": self.loc, "msg": self.reason}
        return {
            "type": self.code,
            "loc": self.loc,
            "msg": self.reason,
            "source": {"row": self.row, "column": self.column},
        }


def _column_shown(column: str) -> str:
    return repr(column) if is_field_like(column) else "<column>"


def _summary(what: str, problems: Sequence[Problem]) -> str:
    lines = [f"{what}: {len(problems)} problem{'s' if len(problems) != 1 else ''}"]
    lines.extend(f"  {problem}" for problem in problems)
    return "\n".join(lines)


class InvalidValueError(CRMError, ValueError):
    """A value object or record refused a value; the reason is safe to log.

    Raised by constructors. ``field`` names the attribute at fault, when one is; ``code`` is
    the stable code of the reason (:data:`GENERIC_CODE` when none is more precise), which
    conversion gives the :class:`Problem` it reports.
    """

    def __init__(self, reason: str, *, field: str | None = None, code: str = GENERIC_CODE) -> None:
        self.reason = reason
        self.field = field
        self.code = code
        super().__init__(f"{field}: {reason}" if field else reason)


class MappingError(InvalidValueError):
    """A column mapping is malformed or does not fit its record type; raised when it loads.

    One error for the whole mapping, never one per row: ``problems`` lists each column at
    fault (its ``column``, the target ``path`` and the reason), and ``column`` and ``path``
    name the first. Messages name columns and paths, never a cell value.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = self.problems[0] if self.problems else Problem("", "malformed mapping")
        self.column = first.column
        self.path = first.path
        shown = [_mapping_line(problem) for problem in self.problems] or [str(first.reason)]
        reason = shown[0] if len(shown) == 1 else "; ".join(shown)
        super().__init__(reason, field="mapping", code=first.code)

    def errors(self) -> list[ErrorDetail]:
        """One dict per column at fault, as :meth:`ConversionError.errors` gives them."""
        return _errors(self.problems)


def _mapping_line(problem: Problem) -> str:
    column = "" if problem.column is None else f"column {_column_shown(problem.column)}"
    target = f"{problem.path}" if problem.path else ""
    head = " -> ".join(part for part in (column, target) if part)
    return f"{head}: {problem.reason}" if head else problem.reason


def _errors(problems: Sequence[Problem]) -> list[ErrorDetail]:
    return [problem.as_error() for problem in problems]


class ConversionError(CRMError, ValueError):
    """Input could not be turned into a record; ``problems`` lists every failing path.

    A ``ValueError`` too, as Python raises for a value it cannot use. :meth:`errors` gives
    the problems as data a web framework can return as the body of a 422 response.
    """

    def __init__(self, type_name: str, problems: Iterable[Problem]) -> None:
        self.type_name = type_name
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(_summary(f"cannot convert to {type_name}", self.problems))

    def errors(self) -> list[ErrorDetail]:
        """One dict per problem, shaped as pydantic's ``ValidationError.errors()``.

        Each has ``type`` (the problem's stable code), ``loc`` (its path, segment by segment)
        and ``msg`` (the reason). None holds the input, so any can be logged or returned to
        the client that sent it.

        >>> from crmcore import Contact, ConversionError, from_dict
        >>> try:
        ...     from_dict(Contact, {"id": "c1", "identity": {"birth_date": "1990-02-31"}})
        ... except ConversionError as exc:
        ...     [(error["type"], error["loc"]) for error in exc.errors()]
        [('date.invalid', ('identity', 'birth_date'))]
        """
        return _errors(self.problems)


class SchemaError(CRMError):
    """A custom-field schema is malformed or a value does not fit it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(_summary("custom fields do not fit their schema", self.problems))

    def errors(self) -> list[ErrorDetail]:
        """One dict per problem, as :meth:`ConversionError.errors` gives them."""
        return _errors(self.problems)


class ReportedIssue(Protocol):
    """What :class:`ValidationError` needs of an issue: :class:`crmcore.validation.Issue` is one.

    Named by a protocol so that this module, which every other one imports, imports none.
    """

    @property
    def path(self) -> str:
        """Where the issue is, like ``identity.emails[1].address``."""
        ...

    @property
    def code(self) -> str:
        """The stable dotted code of the issue, like ``email.invalid_syntax``."""
        ...

    @property
    def message(self) -> str:
        """What is wrong, in words safe to log."""
        ...


class ValidationError(CRMError):
    """A validation report held errors; ``issues`` carries them."""

    def __init__(self, issues: Sequence[ReportedIssue]) -> None:
        self.issues: tuple[ReportedIssue, ...] = tuple(issues)
        lines = [f"validation failed: {len(self.issues)} error(s)"]
        lines.extend(f"  {issue}" for issue in self.issues)
        super().__init__("\n".join(lines))

    def errors(self) -> list[ErrorDetail]:
        """One dict per issue, as :meth:`ConversionError.errors` gives them.

        ``type`` is the issue's code, ``loc`` its path segment by segment, ``msg`` its message.
        """
        return [
            {"type": issue.code, "loc": loc_of(issue.path), "msg": issue.message}
            for issue in self.issues
        ]


class MissingExtraError(CRMError, ImportError):
    """An optional library is not installed; the message names the extra that installs it.

    ``module`` is the library's import name (also the ``ImportError``'s ``name``), ``extra``
    the crmcore extra that installs it, and ``needed_for`` what needs it, when said. Every
    part of crmcore that imports an optional library (data frames, the dedup comparators)
    raises this one class, through one helper, so one handler catches them all.

    >>> print(MissingExtraError("polars", "polars"))
    polars is not installed: pip install 'crmcore[polars]'
    >>> print(MissingExtraError("jellyfish", "dedup", needed_for="this comparator"))
    jellyfish is needed for this comparator and is not installed: pip install 'crmcore[dedup]'
    """

    def __init__(
        self, module: str, extra: str | None = None, *, needed_for: str | None = None
    ) -> None:
        self.module = module
        self.extra = extra
        self.needed_for = needed_for
        what = f"{module} is needed for {needed_for} and" if needed_for else module
        hint = f": pip install 'crmcore[{extra}]'" if extra else ""
        super().__init__(f"{what} is not installed{hint}", name=module)
