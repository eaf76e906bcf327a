"""``crmcore clean``: clean each row into a record (raw stage, then record stage), JSON Lines out.

Each row goes through :func:`~crmcore.cleaning.clean_raw`: text repaired, countries, dates,
phones and emails normalised, then the record pipeline; what cannot be read is moved to the
record's ``quarantine`` rather than lost. The cleaned records go out as JSON Lines. stderr gets
counts only: changes per rule and quarantined values per code. ``--changes`` writes every
change to a JSON Lines file, with the values before and after redacted where the field may be
personal (unless ``--show-personal``). Rows are streamed; only counts are kept.
"""

from __future__ import annotations

import argparse
import collections
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import IO, Any

import attrs

from crmcore.cleaning import CleaningContext, quarantine_text
from crmcore.cli import _text
from crmcore.cli._io import JsonLinesWriter, open_output
from crmcore.cli._jobs import RowWork, add_job_options
from crmcore.cli._options import Reading, UsageError, add_reading_options
from crmcore.cli._rejects import add_output_options
from crmcore.cli._run import Opened, RowsRun, run_rows
from crmcore.cli._shown import shown_path
from crmcore.convert import Converter
from crmcore.errors import InvalidValueError

__all__ = ["Tally", "add_parser", "run"]

_SHOW_PERSONAL_HELP = (
    "write the values before and after of personal fields into the --changes file as they "
    "are, instead of <redacted>. RISK: the file then holds personal data from the input "
    "(names, emails, phones, birth dates, free text): keep it only as long as needed, where "
    "only those allowed to see the input can read it, and never in tickets or logs"
)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``clean`` command to the sub-parsers of ``crmcore``."""
    parser = commands.add_parser(
        "clean",
        help="clean CSV or JSON Lines rows into crmcore records (JSON Lines out)",
        description=(
            "Read CSV or JSON Lines and clean each row into a record: text repaired, countries, "
            "dates, phones and emails normalised, names cased, duplicates merged; what cannot "
            "be read is kept in the record's quarantine. Write the cleaned records as JSON "
            "Lines and, on stderr, the number of changes per rule and of quarantined values "
            "per code (never a value). Records are written without their empty fields unless "
            "--keep-empty. Exit code: 0 if every row was cleaned, 1 if a row could not be (no "
            "id, say) or, with --fail-on-quarantine, if a value was quarantined, 2 on a usage "
            "error or an unreadable input, 3 when --max-errors stopped the run."
        ),
    )
    add_reading_options(
        parser,
        ignore_extra=(
            "ignore unmapped CSV columns instead of refusing the file (unknown fields of a "
            "row are never dropped: they go to the quarantine)"
        ),
    )
    parser.add_argument(
        "--changes",
        metavar="FILE.jsonl",
        help=(
            "write every change to FILE.jsonl: line, record id, path, rule, the values before "
            "and after (redacted where the field may be personal) and whether it is personal"
        ),
    )
    parser.add_argument("--show-personal", action="store_true", help=_SHOW_PERSONAL_HELP)
    add_output_options(parser)
    parser.add_argument(
        "--fail-on-quarantine",
        action="store_true",
        help="exit with 1 when any value was moved to the quarantine",
    )
    add_job_options(parser)
    parser.set_defaults(run=run)


@attrs.define
class Tally:
    """What a cleaning run counts: rows, failures, repairs, changes per rule, quarantine per code.

    Only counts: memory does not grow with the number of rows.
    """

    rows: int = 0
    failed: int = 0
    repaired: int = 0
    changes: collections.Counter[str] = attrs.field(factory=collections.Counter)
    quarantined: collections.Counter[str] = attrs.field(factory=collections.Counter)

    def lines(self, record_name: str) -> list[str]:
        """The summary ``crmcore clean`` prints on stderr.

        >>> tally = Tally(rows=3, failed=1, repaired=2)
        >>> tally.changes.update(["whitespace", "whitespace", "phone.e164"])
        >>> print("\\n".join(tally.lines("contact")))
        crmcore clean: 2 of 3 contact rows cleaned, 1 failed; 2 repaired with 3 changes, 0 values quarantined
          changes by rule:
            whitespace     2
            phone.e164     1
        """  # noqa: E501
        cleaned = self.rows - self.failed
        changes = sum(self.changes.values())
        quarantined = sum(self.quarantined.values())
        lines = [
            f"crmcore clean: {cleaned:,} of {self.rows:,} {record_name} rows cleaned, "
            f"{self.failed:,} failed; {self.repaired:,} repaired with {changes:,} "
            f"change{'s' if changes != 1 else ''}, {quarantined:,} "
            f"value{'s' if quarantined != 1 else ''} quarantined"
        ]
        if changes:
            lines.extend(_text.table("  changes by rule:", _text.ranked(self.changes), indent=4))
        if quarantined:
            lines.extend(
                _text.table("  quarantined by code:", _text.ranked(self.quarantined), indent=4)
            )
        return lines


def _json_value(converter: Converter) -> Any:
    """The ``default`` of the changes writer: value objects and dates in their JSON form."""

    def default(value: Any) -> Any:
        if attrs.has(type(value)):
            return converter.to_dict(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, (set, frozenset)):
            return sorted(quarantine_text(item) for item in value)
        return quarantine_text(value)

    return default


def _context(reading: Reading) -> CleaningContext:
    try:
        return CleaningContext(
            as_of=reading.as_of,
            default_region=reading.default_region,
            dayfirst=reading.dayfirst,
            assume_tz=reading.assume_tz,
            default_currency=reading.default_currency,
            decimal_separator=reading.decimal_separator,
            spreadsheet_dates=reading.spreadsheet_dates,
        )
    except InvalidValueError as exc:  # the converter accepted them; kept for safety
        raise UsageError(f"option: {exc.reason}") from None


def run(args: argparse.Namespace) -> int:
    """Run ``crmcore clean`` with parsed arguments; return the exit code."""
    return run_rows("clean", args, _clean)


def _clean(run: RowsRun) -> int:
    args = run.args
    tally = Tally()
    reading = run.read(changes=args.changes)
    if args.show_personal and not args.changes:
        raise UsageError("--show-personal: only with --changes")
    ctx = _context(reading)
    changes_file: AbstractContextManager[IO[str] | None] = (
        open_output(args.changes) if args.changes else nullcontext()
    )
    with run.rows(reading) as opened, changes_file as changes_out, open_output(args.output) as out:
        changes = None
        if changes_out is not None:
            changes = JsonLinesWriter(changes_out, default=_json_value(ctx.converter()))
        _clean_rows(run, opened, ctx, JsonLinesWriter(out), changes, tally)
        out.flush()
        if changes_out is not None:
            changes_out.flush()
    log = opened.log
    run.summary(
        log,
        {
            "changes_by_rule": dict(sorted(tally.changes.items())),
            "quarantined_by_code": dict(sorted(tally.quarantined.items())),
        },
    )
    if not run.quiet:
        for line in tally.lines(reading.record_type.__name__.lower()):
            print(line, file=run.err)
    run.said_stopped(log)
    return run.exit_code(
        log, failed=bool(tally.failed or (args.fail_on_quarantine and tally.quarantined))
    )


def _clean_rows(
    run: RowsRun,
    opened: Opened,
    ctx: CleaningContext,
    out: JsonLinesWriter,
    changes: JsonLinesWriter | None,
    tally: Tally,
) -> None:
    """Clean each row, write its record (and its changes); only ``tally`` and the run log keep
    anything (counts)."""
    args = run.args
    record_type = opened.plan.record_type
    show_personal = bool(args.show_personal)
    work = RowWork.clean(opened.plan, ctx, compact=not args.keep_empty, changes=changes is not None)
    for row, (done, problems) in run.each(opened, work):
        tally.rows += 1
        if done is None:
            tally.failed += 1
            if run.reject(opened, row, problems):
                return
            continue
        out.write_line(done.line)
        opened.log.written += 1
        if done.changed:
            tally.repaired += 1
        tally.changes.update(done.rules)
        tally.quarantined.update(done.codes)
        if changes is not None:
            for change in done.changes:
                shown = change if show_personal else change.redacted()
                changes.write(
                    {
                        "line": row.line,
                        "record_id": done.record_id,
                        "path": shown_path(record_type, shown.path),
                        "rule": shown.rule,
                        "before": shown.before,
                        "after": shown.after,
                        "personal": shown.personal,
                    }
                )
