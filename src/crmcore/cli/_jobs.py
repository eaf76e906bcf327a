"""``--jobs`` and ``--chunk-size``: the row work of convert, validate and clean on many processes.

The parent reads the rows, writes the output and draws the progress bar; the workers do the
work of each row (mapping, conversion, validation or cleaning) and send back only what the
command writes, the record already written as its JSON line, and what the run log counts:
sending back records and change lists cost the parent more than the work saved (unpickling a
cleaned row's result took it about 110 µs, a third of the row's whole work).

:class:`RowWork` is that work, one picklable value per command: it travels as its options and
builds its converter again on the other side (a converter holds hooks that do not pickle).
With ``--jobs 1`` the same work runs in this process, with no pool.
"""

from __future__ import annotations

import argparse
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from crmcore._parallel import DEFAULT_CHUNK_SIZE, run_many
from crmcore.cleaning import Change, CleaningContext, CleaningError, RawCleanResult, clean_raw
from crmcore.cli._io import JsonLinesRows, Row, json_line
from crmcore.cli._options import UsageError
from crmcore.cli._rejects import without_empty
from crmcore.cli._stream import Plan, row_data
from crmcore.convert import Converter
from crmcore.errors import ConversionError, Problem
from crmcore.validation import BatchBuilder, Context, Report, RuleSet, validate

__all__ = ["Cleaned", "RowWork", "Validated", "add_job_options", "pooled", "sent_rows"]

Outcome = tuple[Any, tuple[Problem, ...]]
"""What the work of one row gives: its result (``None`` when it failed) and the problems."""


class Cleaned(NamedTuple):
    """What ``clean`` needs of one cleaned row: its output line and what the run log counts."""

    line: str
    """The record's ``to_dict`` form as one JSON line (empty fields left out unless kept)."""
    changed: bool
    rules: tuple[str, ...]
    """The rule of each change, in order."""
    codes: tuple[str, ...]
    """The code of each value set aside, in order."""
    record_id: str
    changes: tuple[Change, ...]
    """The changes themselves, only when they are written (``--changes``); else empty."""


class Validated(NamedTuple):
    """What ``validate`` needs of one validated row: its report's JSON line, and the counts
    the run's summary adds (:meth:`~crmcore.validation.BatchBuilder.counts_of`)."""

    line: str
    """The report's ``to_dict`` form as one JSON line (without the row's line number)."""
    record_type: str
    counts: tuple[tuple[str, str, str], ...]


def add_job_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--jobs`` and ``--chunk-size`` to a command that reads rows."""
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="work on N processes (0: one per core); output order is the input's (default 1)",
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=DEFAULT_CHUNK_SIZE,
        metavar="ROWS",
        help=f"rows sent to a process at a time with --jobs (default {DEFAULT_CHUNK_SIZE})",
    )


def _job_options(args: argparse.Namespace) -> tuple[int, int]:
    jobs = getattr(args, "jobs", 1)
    chunk_size = getattr(args, "chunk_size", DEFAULT_CHUNK_SIZE)
    if not isinstance(jobs, int) or jobs < 0:
        raise UsageError("--jobs: expected a whole number, 0 for one per core")
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise UsageError("--chunk-size: expected a whole number of at least 1")
    return jobs, chunk_size


def sent_rows(args: argparse.Namespace, rows: Iterable[Row]) -> Iterable[Row]:
    """The rows as :func:`pooled` sends them: with ``--jobs`` above 1, the rows of a JSON Lines
    file go as their text, which the workers parse (:meth:`JsonLinesRows.unparsed`)."""
    jobs, _ = _job_options(args)
    if jobs != 1 and isinstance(rows, JsonLinesRows):
        return rows.unparsed()
    return rows


def pooled(
    args: argparse.Namespace, work: RowWork, rows: Iterable[Row]
) -> Iterator[tuple[Row, Any]]:
    """``(row, work(row))`` for each of ``rows``, in order, on ``--jobs`` processes.

    Rows are read ahead by a few chunks at most, so memory stays constant. A row sent as its
    text (:func:`sent_rows`) comes back parsed when its work failed, for its report; else as
    it went.
    """
    jobs, chunk_size = _job_options(args)
    taken: deque[Row] = deque()

    def source() -> Iterator[Row | str]:
        for row in rows:
            taken.append(row)
            # A row not parsed yet goes as its text alone: a string pickles for next to nothing.
            yield row if row.text is None else row.text

    for outcome in run_many(work, source(), workers=jobs, chunk_size=chunk_size):
        row = taken.popleft()
        yield (row if outcome[0] is not None else row.parsed()), outcome


class RowWork:
    """The work of one command on one row, rebuilt from its options in each worker."""

    __slots__ = ("_compact", "_converter", "_job", "_options", "_plan", "_with_changes")

    def __init__(
        self,
        kind: str,
        plan: Plan,
        job: Any = None,
        *,
        compact: bool = True,
        with_changes: bool = False,
    ) -> None:
        self._options = (kind, plan.record_type, plan.mapping, plan.forbid_unmapped)
        self._plan = plan
        self._converter = plan.converter
        self._job = job
        self._compact = compact
        self._with_changes = with_changes

    @classmethod
    def convert(cls, plan: Plan, *, compact: bool = True) -> RowWork:
        """Each row to its record's ``to_dict`` form as a JSON line, or its problems.

        ``compact`` leaves empty fields out of the line.
        """
        return cls("convert", plan, compact=compact)

    @classmethod
    def validate(cls, plan: Plan, ruleset: RuleSet, ctx: Context) -> RowWork:
        """Each row to its record's report as :class:`Validated` (a JSON line and the
        summary's counts: a worker sends no report object back), or its problems."""
        return cls("validate", plan, (ruleset, ctx))

    @classmethod
    def clean(
        cls, plan: Plan, ctx: CleaningContext, *, compact: bool = True, changes: bool = False
    ) -> RowWork:
        """Each row to its :class:`Cleaned` form, or its problems.

        ``compact`` leaves empty fields out of the record's line; ``changes`` sends the
        changes themselves too (else only their rules).
        """
        return cls("clean", plan, ctx, compact=compact, with_changes=changes)

    @classmethod
    def clean_records(cls, plan: Plan, ctx: CleaningContext) -> RowWork:
        """Each row to its cleaned record itself (for commands that keep the records, such as
        ``dedupe``), or its problems."""
        return cls("clean_record", plan, ctx)

    def __reduce__(self) -> tuple[Any, ...]:
        c = self._converter
        converter = (c.default_region, c.dayfirst, c.as_of, c.assume_tz, c.default_currency)
        extra = (c.extra_keys, c.verify, c.decimal_separator, c.spreadsheet_dates)
        output = (self._compact, self._with_changes)
        return (_rebuild, (self._options, converter, extra, self._job, output))

    def _line(self, data: dict[str, Any]) -> str:
        return json_line(without_empty(data) if self._compact else data)

    def __call__(self, row: Row | str) -> Outcome:
        """The outcome of ``row``: a :class:`Row`, or the text of a JSON Lines row."""
        data, problems = row_data(
            self._plan, Row(0, text=row).parsed() if isinstance(row, str) else row
        )
        if data is None:
            return None, problems
        kind = self._options[0]
        converter = self._converter
        try:
            if kind == "clean_record":
                kept: RawCleanResult[Any] = clean_raw(self._plan.record_type, data, self._job)
                return kept.record, ()
            if kind == "clean":
                cleaning: CleaningContext = self._job
                result: RawCleanResult[Any] = clean_raw(self._plan.record_type, data, cleaning)
                changes = result.changes
                cleaned = Cleaned(
                    self._line(cleaning.converter().to_dict(result.record)),
                    result.changed,
                    tuple(change.rule for change in changes),
                    tuple(value.code for value in result.quarantine),
                    result.record.id,
                    tuple(changes) if self._with_changes else (),
                )
                return cleaned, ()
            record = converter.from_dict(self._plan.record_type, data)
        except (ConversionError, CleaningError) as exc:
            return None, exc.problems
        if kind == "validate":
            ruleset, ctx = self._job
            report: Report = validate(record, ruleset, ctx)
            counts = BatchBuilder.counts_of(report)
            return Validated(json_line(report.to_dict()), report.record_type, counts), ()
        return self._line(converter.to_dict(record)), ()


def _rebuild(
    options: tuple[str, type[Any], Any, bool],
    converter: tuple[Any, ...],
    extra: tuple[Any, ...],
    job: Any,
    output: tuple[bool, bool],
) -> RowWork:
    region, dayfirst, as_of, assume_tz, currency = converter
    extra_keys, verify, decimal_separator, spreadsheet_dates = extra
    built = Converter(
        default_region=region,
        dayfirst=dayfirst,
        as_of=as_of,
        assume_tz=assume_tz,
        default_currency=currency,
        extra_keys=extra_keys,
        verify=verify,
        decimal_separator=decimal_separator,
        spreadsheet_dates=spreadsheet_dates,
    )
    kind, record_type, mapping, forbid_unmapped = options
    compact, with_changes = output
    return RowWork(
        kind,
        Plan(record_type, built, mapping, forbid_unmapped),
        job,
        compact=compact,
        with_changes=with_changes,
    )
