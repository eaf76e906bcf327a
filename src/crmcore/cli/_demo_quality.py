"""The data-quality and cleaning sections of ``crmcore demo``.

:func:`quality_section` validates the converted records with the built-in rules and reports
counts by severity, code and category, and the records with the most errors (by id and codes
only). :func:`cleaning_section` runs :func:`~crmcore.cleaning.clean_raw` on every row as read
and reports what it repaired and quarantined, and how many rows that did not convert do now.
Neither shows a value: ids, codes, rule names and counts only.
"""

from __future__ import annotations

import collections

from crmcore.cleaning import CleaningContext, CleaningError, clean_raw
from crmcore.cli import _text
from crmcore.cli._demo_model import DemoData
from crmcore.validation import (
    BUILTIN_CODES,
    BatchBuilder,
    Context,
    Report,
    Severity,
    default_ruleset,
    validate,
)

__all__ = ["cleaning_section", "quality_section"]

_TOP_CODES = 10
_WORST = 5


def _worst(reports: tuple[Report, ...], order: dict[str, int]) -> list[Report]:
    """The reports with the most errors, then warnings, then infos; ties by type and id."""
    ranked = sorted(
        (report for report in reports if report.issues),
        key=lambda report: (
            -len(report.errors),
            -len(report.warnings),
            -len(report.infos),
            order.get(report.record_type, len(order)),
            report.record_id or "",
        ),
    )
    return ranked[:_WORST]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def quality_section(data: DemoData) -> list[str]:
    """Validation of the converted records: counts by severity, code, category; the worst few.

    The context is the data set's own ``as_of`` with no default region, as conversion had.
    """
    ctx = Context(data.as_of, default_region=None)
    ruleset = default_ruleset()
    everything = BatchBuilder(keep="issues")
    lines = [
        f"Data quality (built-in rules, as of {data.as_of.date().isoformat()}, "
        "no default region; converted records)",
        f"  {'record type':<12} {'records':>7} {'with errors':>12} {'issues':>7}",
    ]
    order: dict[str, int] = {}
    for record_type, rows in data.tables():
        order[record_type.__name__] = len(order)
        builder = BatchBuilder(keep="none")
        for row in rows:
            if row.record is not None:
                report = validate(row.record, ruleset, ctx)
                builder.add(report)
                everything.add(report)
        counts = builder.summary
        lines.append(
            f"  {record_type.__name__.lower():<12} {counts.records:>7} "
            f"{counts.records_with_errors:>12} {counts.issues:>7}"
        )
    batch = everything.build()
    summary = batch.summary
    lines.append(
        f"  {'all':<12} {summary.records:>7} {summary.records_with_errors:>12} {summary.issues:>7}"
    )
    unconverted = sum(row.record is None for _, rows in data.tables() for row in rows)
    if unconverted:
        lines.append(f"  ({_plural(unconverted, 'row')} did not convert: see Conversion above)")
    severities = ", ".join(
        f"{severity.value} {summary.by_severity.get(severity.value, 0)}"
        for severity in sorted(Severity, reverse=True)
    )
    lines.append(f"  By severity: {severities}")
    grade = {code.name: code.severity.value for code in BUILTIN_CODES}
    top = [
        (f"{code} ({grade.get(code, '?')})", count)
        for code, count in _text.ranked(summary.by_code, limit=_TOP_CODES)
    ]
    lines.extend(_text.table(f"  Top {_TOP_CODES} codes (default severity)", top, indent=4))
    categories = _text.ranked(summary.by_category)
    lines.extend(_text.table("  By category", categories, summary.issues, indent=4))
    lines.append(f"  The {_WORST} worst records (most errors, then warnings): id, type, codes")
    worst = _worst(batch.reports, order)
    width = max((len(report.record_id or "") for report in worst), default=0)
    for report in worst:
        severities = ", ".join(
            (
                _plural(len(report.errors), "error"),
                _plural(len(report.warnings), "warning"),
                _plural(len(report.infos), "info"),
            )
        )
        lines.append(
            f"    {report.record_id or '':<{width}}  {report.record_type.lower():<8}  "
            f"{severities}: {', '.join(report.codes())}"
        )
    if not worst:
        lines.append("    none: no record has an issue")
    return lines


def cleaning_section(data: DemoData) -> list[str]:
    """``clean_raw`` on every row as read: repairs, changes per rule, quarantine per code.

    The context is the demo converter's: the data set's ``as_of``, day-first dates, no
    default region. "now convert" counts the rows that did not convert as they were and come
    out of cleaning as records.
    """
    ctx = CleaningContext(as_of=data.as_of, default_region=None, dayfirst=True)
    rules: collections.Counter[str] = collections.Counter()
    codes: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    lines = [
        "Cleaning (clean_raw on every row: raw stage, then record stage)",
        f"  {'record type':<12} {'rows':>5} {'repaired':>9} {'changes':>8} "
        f"{'quarantined':>12} {'failed':>7} {'now convert':>12}",
    ]
    for record_type, rows in data.tables():
        repaired = changes = quarantined = failed = fixed = before = 0
        name = record_type.__name__.lower()
        for row in rows:
            before += row.record is None
            if row.data is None:  # a line that could not be read: nothing to clean
                failed += 1
                failures.extend(f"    {name} line {row.line}: {p}" for p in row.problems)
                continue
            try:
                result = clean_raw(record_type, row.data, ctx)
            except CleaningError as exc:
                failed += 1
                failures.extend(f"    {name} line {row.line}: {p}" for p in exc.problems)
                continue
            repaired += result.changed
            changes += len(result.changes)
            quarantined += len(result.quarantine)
            fixed += row.record is None
            rules.update(change.rule for change in result.changes)
            codes.update(value.code for value in result.quarantine)
        lines.append(
            f"  {name:<12} {len(rows):>5} {repaired:>9} {changes:>8} "
            f"{quarantined:>12} {failed:>7} {f'{fixed} of {before}':>12}"
        )
    lines.extend(_text.table("  Changes by rule", _text.ranked(rules), indent=4))
    lines.extend(_text.table("  Quarantined values by code", _text.ranked(codes), indent=4))
    if failures:
        lines.append("  Rows cleaning could not make a record of (type, line, path: reason):")
        lines.extend(failures)
    return lines
