"""``crmcore validate``: convert each row, validate the record, write one report per row.

Each row is converted with the shared reading options, then validated with the built-in rules
(:func:`~crmcore.validation.default_ruleset`), plus plugins, regraded codes and required fields
when asked. A row that does not convert is reported as errors of code ``row.unconvertible``
(one per problem), a line that cannot be read at all as ``row.unreadable``. The reports go out
as JSON Lines; the counts of a :class:`~crmcore.validation.BatchBuilder` that keeps no report go
to stderr, so memory stays constant whatever the size of the input.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any

import attrs

from crmcore._safe import printable
from crmcore.cli import _text
from crmcore.cli._io import JsonLinesWriter, Row, json_line, open_output
from crmcore.cli._jobs import RowWork, Validated, add_job_options
from crmcore.cli._options import UsageError, add_reading_options
from crmcore.cli._run import Opened, RowsRun, run_rows
from crmcore.cli._shown import shown_path, shown_text
from crmcore.cli._stream import Plan, row_data
from crmcore.errors import CRMError, InvalidValueError, Problem
from crmcore.records import Category, fields
from crmcore.validation import (
    BatchBuilder,
    Code,
    Context,
    Issue,
    Report,
    RuleSet,
    Severity,
    Summary,
    default_ruleset,
)

__all__ = ["CODES", "ROW_UNCONVERTIBLE", "ROW_UNREADABLE", "add_parser", "run", "summary_lines"]

ROW_UNREADABLE = Code(
    "row.unreadable",
    Severity.ERROR,
    "the line cannot be read: malformed JSON or CSV (an unbalanced quote, a cell too long), "
    "or not a JSON object",
)
ROW_UNCONVERTIBLE = Code(
    "row.unconvertible",
    Severity.ERROR,
    "the row does not convert to a record: one issue per failing path",
)
CODES: tuple[Code, ...] = (ROW_UNREADABLE, ROW_UNCONVERTIBLE)
"""The codes ``crmcore validate`` adds to those of the rules, for rows that are no record."""

_SEVERITIES = {severity.value: severity for severity in Severity}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` command to the sub-parsers of ``crmcore``."""
    parser = commands.add_parser(
        "validate",
        help="convert and validate CSV or JSON Lines rows; one report per row (JSON Lines out)",
        description=(
            "Read CSV or JSON Lines, convert each row and validate the record with the built-in "
            "rules. Write one JSON object per row (line, record id, issues) and a summary of "
            "counts by severity, category and code on stderr. Rows that do not convert are "
            "errors of code row.unconvertible. No message holds a value from the data. Exit "
            "code: 0 if no issue reached --fail-on, 1 if one did, 2 on a usage error."
        ),
    )
    add_reading_options(parser)
    add_job_options(parser)
    parser.add_argument(
        "--only-failing",
        action="store_true",
        help="write only the rows that have at least one issue",
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="error",
        help="the lowest severity that makes the exit code 1 (default: error)",
    )
    parser.add_argument(
        "--rules-plugins",
        action="store_true",
        help="also run the rules that installed plugins register (crmcore.validators)",
    )
    parser.add_argument(
        "--regrade",
        action="append",
        default=[],
        metavar="CODE=SEVERITY",
        help="give every issue of CODE another severity (error, warning or info); repeatable",
    )
    parser.add_argument(
        "--require",
        action="append",
        default=[],
        metavar="PATH",
        help=(
            "report field.required (an error) when the field at PATH is empty, such as "
            "identity.emails or identity.name.family; repeatable"
        ),
    )
    parser.add_argument(
        "--summary-json",
        metavar="FILE",
        help="also write the summary (counts by severity, category, code) as JSON to FILE",
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print nothing on stderr but what stops the run (no notices, no summary)",
    )
    parser.set_defaults(run=run)


@attrs.frozen
class Rules:
    """The rule set of a run, and the severities of the codes of rows that are no record."""

    ruleset: RuleSet
    row_grades: Mapping[str, Severity]


def _ruleset(args: argparse.Namespace, record_type: type[Any]) -> Rules:
    ruleset = default_ruleset()
    if args.rules_plugins:
        try:
            ruleset.load_entry_points()
        except CRMError as exc:  # PluginError, or a plugin's own mistake (a bad code ...)
            raise UsageError(f"--rules-plugins: {printable(str(exc), 400)}") from None
    if args.require:
        try:
            ruleset.require(record_type, *args.require)
        except InvalidValueError as exc:
            raise UsageError(f"--require: {printable(str(exc))}") from None
    row_grades: dict[str, Severity] = {}
    row_codes = {code.name for code in CODES}
    for text in args.regrade:
        code, sep, severity = text.partition("=")
        code, severity = code.strip(), severity.strip().lower()
        if not sep or not code or severity not in _SEVERITIES:
            raise UsageError("--regrade: expected CODE=SEVERITY, such as freshness.stale=info")
        if code in row_codes:
            row_grades[code] = _SEVERITIES[severity]
            continue
        try:
            ruleset.regrade(code, _SEVERITIES[severity])
        except InvalidValueError as exc:
            raise UsageError(f"--regrade: {exc.reason}") from None
    return Rules(ruleset, row_grades)


def _categories(record_type: type[Any]) -> Mapping[str, Category]:
    """The category of each top-level field and facet of ``record_type``, by name."""
    return {spec.path.split(".", 1)[0]: spec.category for spec in fields(record_type)}


def _category(categories: Mapping[str, Category], path: str) -> Category | None:
    return categories.get(path.split(".", 1)[0].split("[", 1)[0]) if path else None


def _unconverted(
    plan: Plan,
    categories: Mapping[str, Category],
    row: Row,
    data: Mapping[str, Any] | None,
    problems: Sequence[Problem],
    grades: Mapping[str, Severity],
) -> Report:
    """The report of a row that is no record: one error per problem."""
    code = ROW_UNREADABLE if row.data is None else ROW_UNCONVERTIBLE
    severity = grades.get(code.name, code.severity)
    found = data.get("id") if data is not None else None
    record_id = found if isinstance(found, str) else None
    issues = []
    for problem in problems:
        path = shown_path(plan.record_type, problem.path) if problem.path else ""
        issues.append(
            Issue(
                path,
                code.name,
                severity,
                shown_text(problem.reason),
                _category(categories, path),
                record_id,
            )
        )
    return Report(record_id, plan.record_type.__name__, issues)


def summary_lines(summary: Summary, record_name: str) -> list[str]:
    """The summary ``crmcore validate`` prints on stderr: counts only, never a value.

    >>> from crmcore import Category
    >>> from crmcore.validation import BatchBuilder, Issue, Report, Severity
    >>> builder = BatchBuilder(keep="none")
    >>> builder.add(Report("c-1", "Contact", [Issue(
    ...     "identity.phones[0]", "phone.invalid", Severity.ERROR, "not valid", Category.IDENTITY
    ... )]))
    >>> builder.add(Report("c-2", "Contact"))
    >>> print("\\n".join(summary_lines(builder.summary, "contact")))
    crmcore validate: 2 contact rows, 1 without errors, 1 with errors; 1 issue
      by severity: error 1, warning 0, info 0
      by category: identity 1
      by code:
        phone.invalid     1
    """
    issues = summary.issues
    lines = [
        f"crmcore validate: {summary.records:,} {record_name} rows, {summary.records_ok:,} "
        f"without errors, {summary.records_with_errors:,} with errors; "
        f"{issues:,} issue{'s' if issues != 1 else ''}"
    ]
    severities = ", ".join(
        f"{severity.value} {summary.by_severity.get(severity.value, 0):,}"
        for severity in sorted(Severity, reverse=True)
    )
    lines.append(f"  by severity: {severities}")
    if issues:
        order = [category.value for category in Category] + ["none"]
        categories = ", ".join(
            f"{name} {summary.by_category[name]:,}"
            for name in order
            if summary.by_category.get(name)
        )
        lines.append(f"  by category: {categories}")
        lines.extend(_text.table("  by code:", _text.ranked(summary.by_code), indent=4))
    return lines


def _fails(summary: Summary, threshold: Severity) -> bool:
    return any(
        summary.by_severity.get(severity.value, 0) for severity in Severity if severity >= threshold
    )


def _write_summary(out: IO[str], summary: Summary) -> None:
    out.write(json.dumps(summary.to_dict(), indent=2) + "\n")
    out.flush()


def run(args: argparse.Namespace) -> int:
    """Run ``crmcore validate`` with parsed arguments; return the exit code."""
    return run_rows("validate", args, _validate)


def _validate(run: RowsRun) -> int:
    args = run.args
    reading = run.read()
    rules = _ruleset(args, reading.record_type)
    ctx = Context(reading.as_of, default_region=reading.default_region)
    builder = BatchBuilder(keep="none")
    with run.rows(reading) as opened:
        summary_file: AbstractContextManager[IO[str] | None] = (
            open_output(args.summary_json) if args.summary_json else nullcontext()
        )
        with summary_file as summary_out, open_output(args.output) as out:
            _validate_rows(run, opened, rules, ctx, builder, out)
            out.flush()
            if summary_out is not None:
                _write_summary(summary_out, builder.summary)
    summary = builder.summary
    if not run.quiet:
        for line in summary_lines(summary, reading.record_type.__name__.lower()):
            print(line, file=run.err)
    return 1 if _fails(summary, _SEVERITIES[args.fail_on]) else 0


def _validate_rows(
    run: RowsRun,
    opened: Opened,
    rules: Rules,
    ctx: Context,
    builder: BatchBuilder,
    out: IO[str],
) -> None:
    """Validate each row and write its report; only the builder's counts are kept."""
    writer = JsonLinesWriter(out)
    plan = opened.plan
    grades = rules.row_grades
    categories = _categories(plan.record_type)
    only_failing = bool(run.args.only_failing)
    found: Validated | None
    for row, (found, problems) in run.each(opened, RowWork.validate(plan, rules.ruleset, ctx)):
        if found is None:
            data, _ = row_data(plan, row)
            report = _unconverted(plan, categories, row, data, problems, grades)
            counts = BatchBuilder.counts_of(report)
            found = Validated(json_line(report.to_dict()), report.record_type, counts)
        builder.add_counts(found.record_type, found.counts)
        if found.counts or not only_failing:
            # the report's line with the row's line number first, as {"line": n, **report}
            writer.write_line(f'{{"line":{row.line},{found.line[1:]}')
