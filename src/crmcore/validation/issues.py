"""Issues, per-record reports and batch reports: what validation returns.

An :class:`Issue` names a path in a record (``identity.phones[0]``), a stable dotted code
(``phone.invalid``), a :class:`Severity` and a message that never holds a personal value. A
:class:`Report` holds every issue of one record; a :class:`BatchReport` holds the reports of
many records and a :class:`Summary` of counts by code, severity and category. A
:class:`BatchBuilder` adds reports one at a time, keeping only counts when asked, so a stream of
any length is summarised in constant memory.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

from crmcore._flat import is_flat, kept_as, rows
from crmcore._safe import printable
from crmcore.errors import InvalidValueError, ValidationError
from crmcore.records._meta import Category, read_category

__all__ = [
    "BatchBuilder",
    "BatchReport",
    "Code",
    "Issue",
    "Keep",
    "Report",
    "Severity",
    "Summary",
]


@functools.total_ordering
class Severity(enum.Enum):
    """How much an issue matters, ordered ``INFO < WARNING < ERROR``.

    >>> max(Severity.INFO, Severity.ERROR, Severity.WARNING)
    <Severity.ERROR: 'error'>
    """

    ERROR = "error"
    """The record is wrong: it should not be used as it is."""
    WARNING = "warning"
    """The record is doubtful or of poor quality; someone should look."""
    INFO = "info"
    """Worth knowing; nothing to fix."""

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return _RANK[self]

    @classmethod
    def _missing_(cls, value: object) -> Severity | None:
        """Read the value as text in any case, spaces around allowed: ``Severity("Error")``."""
        if isinstance(value, str):
            folded = value.strip().lower()
            for member in cls:
                if member.value == folded:
                    return member
        return None

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return _RANK[self] < _RANK[other]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def _severity(value: Severity | str) -> Severity:
    """A :class:`Severity`, or its value as text (``"error"``, in any case); else refused."""
    if type(value) is Severity:
        return value
    try:
        return Severity(value)
    except ValueError:  # its message quotes the value: raised outside, the chain keeps none
        pass
    raise InvalidValueError("expected error, warning or info", field="severity")


def _category(value: Category | str | None) -> Category | None:
    """A :class:`~crmcore.Category`, its value as text (``"identity"``), or ``None``."""
    return None if value is None else read_category(value)


@attrs.frozen
class Issue:
    """One problem found in one record.

    ``path`` is dotted from the record (``identity.emails[1]``), empty for the record as a
    whole; ``code`` is stable and documented; ``message`` names the reason, never the value;
    ``category`` is the CRM data category of the path; ``record_id`` is filled in by
    :func:`~crmcore.validation.validate`. ``severity`` and ``category`` may be given as
    text (``"warning"``, ``"identity"``); other values are refused.

    >>> str(Issue("identity.phones[0]", "phone.invalid", Severity.ERROR, "not a valid number"))
    'identity.phones[0]: phone.invalid (error): not a valid number'
    """

    path: str
    code: str
    severity: Severity = attrs.field(converter=_severity)
    message: str
    category: Category | None = attrs.field(default=None, converter=_category)
    record_id: str | None = None

    def __str__(self) -> str:
        # A record id comes from the input: escaped and cut, so it can forge no log line.
        where = f"[{printable(self.record_id, 64)}] " if self.record_id is not None else ""
        return (
            f"{where}{self.path or '<record>'}: {self.code} ({self.severity.value}): {self.message}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The issue as a JSON-safe dict."""
        return {
            "path": self.path,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "category": self.category.value if self.category is not None else None,
            "record_id": self.record_id,
        }


@attrs.frozen
class Code:
    """A documented issue code with its default severity and meaning.

    Validators make issues through it, so that the code, severity and message stay together:

    >>> STALE = Code("acme.stale_tier", Severity.WARNING, "loyalty tier not reviewed this year")
    >>> STALE.issue("descriptive.custom.tier", Category.DESCRIPTIVE).severity
    <Severity.WARNING: 'warning'>
    """

    name: str = attrs.field()
    severity: Severity = attrs.field(converter=_severity)
    meaning: str

    @name.validator
    def _dotted(self, _: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not _CODE.match(value):
            raise InvalidValueError(
                "a code is dotted lower-case words, such as 'email.invalid_syntax'", field="name"
            )

    def issue(
        self, path: str, category: Category | None = None, message: str | None = None
    ) -> Issue:
        """An :class:`Issue` of this code at ``path``; ``message`` defaults to the meaning."""
        return Issue(path, self.name, self.severity, message or self.meaning, category)


_CODE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+\Z")
_INDEX = re.compile(r"\[(\d+)\]")


@functools.lru_cache(maxsize=4096)
def _path_key(path: str) -> str:
    """Sort ``emails[10]`` after ``emails[9]``: indexes are compared as numbers."""
    return _INDEX.sub(lambda match: f"[{int(match[1]):012d}]", path)


Kept = tuple[str, str, str, str, str | None, str | None]
"""An issue as a report keeps it: path, code, the value of its severity, message, the value of
its category and record id (a report keeps its issues' six items in one flat tuple)."""

_WIDTH = 6
_SEVERITY_OF = {member.value: member for member in Severity}
_CATEGORY_OF = {member.value: member for member in Category}
_ERROR = Severity.ERROR.value
_NEGATIVE_RANK = {member.value: -rank for member, rank in _RANK.items()}


def _kept_key(kept: Kept) -> tuple[str, str, int, str]:
    return (_path_key(kept[0]), kept[1], _NEGATIVE_RANK[kept[2]], kept[3])


def kept_form(
    path: str,
    code: str,
    severity: Severity,
    message: str,
    category: Category | None,
    record_id: str | None,
) -> Kept:
    """The form a :class:`Report` keeps an issue in (see :data:`Kept`)."""
    return (
        path,
        code,
        severity.value,
        message,
        None if category is None else category.value,
        record_id,
    )


def sorted_kept(kept: list[Kept]) -> tuple[str | None, ...]:
    """Issues in their kept form, in a report's order (path, code, severity, message), as the
    one flat tuple a report keeps (``()`` for none).

    A report is kept, often by the thousand: one tuple of text and ``None`` is a single
    object, which the garbage collector leaves alone once it has seen it, where each
    :class:`Issue` (or a tuple holding one, or an enum member) is scanned by every full
    collection while it lives. The public :class:`Issue` objects are made on access.
    """
    if len(kept) < 2:
        return kept[0] if kept else ()
    kept.sort(key=_kept_key)
    flat: list[str | None] = []
    for item in kept:
        flat.extend(item)
    return tuple(flat)


def _kept(issues: Iterable[Issue]) -> tuple[str | None, ...]:
    """Issues as a report keeps them (see :func:`sorted_kept`)."""
    if is_flat(issues, _WIDTH, 2, _SEVERITY_OF.__contains__):  # a report's own form (evolve)
        return issues  # type: ignore[return-value]
    return sorted_kept(
        [kept_form(i.path, i.code, i.severity, i.message, i.category, i.record_id) for i in issues]
    )


def _each(flat: tuple[str | None, ...]) -> Iterator[Kept]:
    """The issues of a report's flat tuple, each as its :data:`Kept` form."""
    return rows(flat, _WIDTH)


def _revived(kept: Iterable[Kept]) -> tuple[Issue, ...]:
    """The :class:`Issue` objects of issues kept as tuples (their values already checked)."""
    made: list[Issue] = []
    new = object.__new__
    put = object.__setattr__
    severity_of, category_of = _SEVERITY_OF, _CATEGORY_OF
    for path, code, severity, message, category, record_id in kept:
        item = new(Issue)
        put(item, "path", path)
        put(item, "code", code)
        put(item, "severity", severity_of[severity])
        put(item, "message", message)
        put(item, "category", None if category is None else category_of[category])
        put(item, "record_id", record_id)
        made.append(item)
    return tuple(made)


@attrs.frozen(repr=False, match_args=False)
class Report:
    """Every issue of one record, sorted by path, then code.

    >>> report = Report("c-1", "Contact", [
    ...     Issue("identity.emails[0]", "email.role_account", Severity.WARNING, "role address"),
    ... ])
    >>> report.ok, len(report.warnings)
    (True, 1)
    """

    __match_args__ = ("record_id", "record_type", "issues")

    record_id: str | None
    record_type: str
    _kept: tuple[str | None, ...] = attrs.field(default=(), converter=_kept, alias="issues")

    @classmethod
    def _of_kept(
        cls, record_id: str | None, record_type: str, kept: tuple[str | None, ...]
    ) -> Report:
        """A report of issues already in their kept form and order (see :func:`sorted_kept`)."""
        return kept_as(cls, record_id=record_id, record_type=record_type, _kept=kept)

    @property
    def issues(self) -> tuple[Issue, ...]:
        """Every issue, sorted by path, then code."""
        return _revived(_each(self._kept))

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues of severity error."""
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The issues of severity warning."""
        return self.of(Severity.WARNING)

    @property
    def infos(self) -> tuple[Issue, ...]:
        """The issues of severity info."""
        return self.of(Severity.INFO)

    @property
    def ok(self) -> bool:
        """Whether the record has no error (warnings and infos allowed)."""
        return _ERROR not in self._kept[2::_WIDTH]

    @property
    def worst(self) -> Severity | None:
        """The highest severity among the issues, or ``None`` when there is none."""
        return max((_SEVERITY_OF[str(value)] for value in self._kept[2::_WIDTH]), default=None)

    def of(self, severity: Severity | str) -> tuple[Issue, ...]:
        """The issues of one severity (a :class:`Severity` or its value as text)."""
        wanted = _severity(severity).value
        return _revived(kept for kept in _each(self._kept) if kept[2] == wanted)

    def codes(self) -> tuple[str, ...]:
        """The distinct codes of the issues, sorted."""
        return tuple(sorted({str(code) for code in self._kept[1::_WIDTH]}))

    def raise_for_errors(self) -> None:
        """Raise :class:`~crmcore.errors.ValidationError` carrying the errors, if any."""
        errors = self.errors
        if errors:
            raise ValidationError(errors)

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-safe dict."""
        return {
            "record_id": self.record_id,
            "record_type": self.record_type,
            "ok": self.ok,
            "issues": [issue.to_dict() for issue in self.issues],
        }

    def __repr__(self) -> str:
        return (
            f"Report(record_id={self.record_id!r}, record_type={self.record_type!r}, "
            f"issues={self.issues!r})"
        )


UNCATEGORISED = "none"
"""The key that counts issues without a category (about the record as a whole)."""


def _frozen_counts(counts: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(sorted(counts.items())))


@attrs.frozen
class Summary:
    """Counts over a batch of reports.

    ``by_code``, ``by_severity`` and ``by_category`` count issues; every severity and every
    category is present, with zero when none occurred. Issues about a record as a whole count
    under ``"none"`` in ``by_category``. ``by_record_type`` counts records.
    """

    records: int = 0
    records_with_errors: int = 0
    issues: int = 0
    by_code: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_counts)
    by_severity: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_counts)
    by_category: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_counts)
    by_record_type: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_counts)

    @property
    def records_ok(self) -> int:
        """Records without an error."""
        return self.records - self.records_with_errors

    def to_dict(self) -> dict[str, Any]:
        """The counts as a JSON-safe dict, keys sorted."""
        return {
            "records": self.records,
            "records_ok": self.records_ok,
            "records_with_errors": self.records_with_errors,
            "issues": self.issues,
            "by_code": dict(self.by_code),
            "by_severity": dict(self.by_severity),
            "by_category": dict(self.by_category),
            "by_record_type": dict(self.by_record_type),
        }


Keep = Literal["all", "issues", "none"]
"""Which reports a batch keeps: all, only those with issues, or none (counts only)."""


@attrs.frozen
class BatchReport:
    """The reports of many records and a :class:`Summary` of them.

    ``reports`` holds what the builder was asked to keep; ``summary`` always counts all.
    """

    reports: tuple[Report, ...]
    summary: Summary

    @property
    def ok(self) -> bool:
        """Whether no record had an error."""
        return self.summary.records_with_errors == 0

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The errors of the kept reports, report by report."""
        return tuple(issue for report in self.reports for issue in report.errors)

    def raise_for_errors(self) -> None:
        """Raise :class:`~crmcore.errors.ValidationError` when any record had an error.

        The exception carries the errors of the kept reports (each with its ``record_id``).
        """
        if not self.ok:
            raise ValidationError(self.errors)

    def to_dict(self) -> dict[str, Any]:
        """The batch as a JSON-safe dict: the summary and the kept reports."""
        return {
            "summary": self.summary.to_dict(),
            "reports": [report.to_dict() for report in self.reports],
        }


class BatchBuilder:
    """Adds reports one at a time and builds a :class:`BatchReport`.

    With ``keep="none"`` only counts are kept, so memory does not grow with the number of
    records; ``keep="issues"`` keeps the reports that have at least one issue.

    >>> builder = BatchBuilder(keep="none")
    >>> builder.add(Report("c-1", "Contact"))
    >>> builder.build().summary.records
    1
    """

    def __init__(self, *, keep: Keep = "all") -> None:
        if keep not in ("all", "issues", "none"):
            raise InvalidValueError("keep is 'all', 'issues' or 'none'", field="keep")
        self.keep: Keep = keep
        self._reports: list[Report] = []
        self._records = 0
        self._with_errors = 0
        self._issues = 0
        self._by_code: dict[str, int] = {}
        self._by_severity: dict[str, int] = {severity.value: 0 for severity in Severity}
        self._by_category: dict[str, int] = {category.value: 0 for category in Category}
        self._by_category[UNCATEGORISED] = 0
        self._by_type: dict[str, int] = {}

    def add(self, report: Report) -> None:
        """Count ``report`` and keep it if asked."""
        self._count(report.record_type, self.counts_of(report))
        if self.keep == "all" or (self.keep == "issues" and report._kept):
            self._reports.append(report)

    @staticmethod
    def counts_of(report: Report) -> tuple[tuple[str, str, str], ...]:
        """What :meth:`add_counts` counts of ``report``: each issue's code, severity and
        category (``"none"`` for none), as plain text, in order.

        >>> BatchBuilder.counts_of(Report("c-1", "Contact", [Issue(
        ...     "identity.emails[0]", "email.invalid", Severity.ERROR, "not valid")]))
        (('email.invalid', 'error', 'none'),)
        """
        return tuple(
            (code, severity, category if category is not None else UNCATEGORISED)
            for _, code, severity, _, category, _ in _each(report._kept)
        )

    def add_counts(self, record_type: str, counts: Iterable[tuple[str, str, str]]) -> None:
        """Count a report from its record type and :meth:`counts_of` it, without the report.

        For a report made elsewhere (a worker process that sends back its counts and the
        report's JSON line, not the report): the summary is that of :meth:`add`. A builder
        that keeps reports needs them: it refuses counts alone.

        >>> builder = BatchBuilder(keep="none")
        >>> builder.add_counts("Contact", [("email.invalid", "error", "identity")])
        >>> builder.summary.records_with_errors
        1
        """
        if self.keep != "none":
            raise InvalidValueError(
                "a builder that keeps reports counts reports, not counts", field="keep"
            )
        if not isinstance(record_type, str) or not record_type:
            raise InvalidValueError("expected a record type's name", field="record_type")
        if isinstance(counts, (str, bytes)) or not isinstance(counts, Iterable):
            raise InvalidValueError("expected counts of issues", field="counts")
        found = tuple(counts)
        for position, item in enumerate(found):
            if (
                not isinstance(item, tuple)
                or len(item) != 3
                or not isinstance(item[0], str)
                or item[1] not in self._by_severity
                or item[2] not in self._by_category
            ):
                raise InvalidValueError(
                    f"counts[{position}] is not a code, a severity and a category",
                    field="counts",
                )
        self._count(record_type, found)

    def _count(self, record_type: str, counts: tuple[tuple[str, str, str], ...]) -> None:
        self._records += 1
        self._by_type[record_type] = self._by_type.get(record_type, 0) + 1
        if counts:
            self._issues += len(counts)
            error = False
            for code, severity, category in counts:
                self._by_code[code] = self._by_code.get(code, 0) + 1
                self._by_severity[severity] += 1
                self._by_category[category] += 1
                error = error or severity == Severity.ERROR.value
            self._with_errors += error

    def extend(self, reports: Iterable[Report]) -> None:
        """Add each of ``reports``."""
        for report in reports:
            self.add(report)

    @property
    def summary(self) -> Summary:
        """The counts so far."""
        return Summary(
            records=self._records,
            records_with_errors=self._with_errors,
            issues=self._issues,
            by_code=self._by_code,
            by_severity=self._by_severity,
            by_category=self._by_category,
            by_record_type=self._by_type,
        )

    def build(self) -> BatchReport:
        """The batch report of what was added so far."""
        return BatchReport(tuple(self._reports), self.summary)
