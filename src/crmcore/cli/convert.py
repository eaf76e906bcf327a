"""``crmcore convert``: read CSV or JSON Lines, convert each row, write JSON Lines.

Every row that does not convert is reported on stderr by its line number, the path of each
problem and the reason, never a value, and the batch goes on; ``--errors`` also writes each
rejected row to a JSON Lines file (line; code, path, source column and reason of each problem),
``--max-errors`` stops the run, ``--summary-json`` writes the counts. Records are written
without their empty fields unless ``--keep-empty``. The input is streamed: memory does not grow
with the file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TextIO

from crmcore.cli._io import InputError, JsonLinesWriter, open_input, open_output
from crmcore.cli._jobs import RowWork, add_job_options, pooled
from crmcore.cli._options import (
    RECORD_TYPES,
    UsageError,
    add_reading_options,
    check_outputs,
    parse_as_of,
    parse_timezone,
    read_options,
)
from crmcore.cli._rejects import (
    STOPPED,
    RunLog,
    add_output_options,
    optional_output,
    write_summary,
)
from crmcore.cli._stream import Plan, open_rows, progress_for, rejected_line, with_sources

__all__ = [
    "RECORD_TYPES",
    "UsageError",
    "add_parser",
    "parse_as_of",
    "parse_timezone",
    "run",
]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``convert`` command to the sub-parsers of ``crmcore``."""
    parser = commands.add_parser(
        "convert",
        help="convert CSV or JSON Lines rows into crmcore records (JSON Lines out)",
        description=(
            "Read CSV or JSON Lines, convert each row to a record and write the records as "
            "JSON Lines, without their empty fields unless --keep-empty. Rows that do not "
            "convert are reported on stderr (line, path, reason; never a value) and in the "
            "--errors file, and the batch goes on. Exit code: 0 if every row converted, 1 if "
            "some did not, 2 on a usage error or an unreadable input, 3 when --max-errors "
            "stopped the run."
        ),
    )
    add_reading_options(parser)
    add_job_options(parser)
    add_output_options(parser)
    parser.set_defaults(run=run)


def _notices(err: TextIO, quiet: bool) -> Callable[[str], None]:
    def notice(text: str) -> None:
        if not quiet:
            print(f"crmcore convert: {text}", file=err)

    return notice


def run(args: argparse.Namespace) -> int:
    """Run ``crmcore convert`` with parsed arguments; return the exit code."""
    err = sys.stderr
    quiet = bool(args.quiet)
    try:
        reading = read_options(args)
        check_outputs(
            args.input, output=args.output, errors=args.errors, summary_json=args.summary_json
        )
        with open_input(args.input, args.encoding) as stream:
            plan, rows = open_rows(
                Plan.of(reading),
                stream,
                reading.format,
                _notices(err, quiet),
            )
            compact = not args.keep_empty
            with (
                optional_output(args.errors) as errors_out,
                open_output(args.output) as out,
                progress_for(
                    args.input,
                    stream,
                    enabled=not args.no_progress and not quiet,
                    err=err,
                    output=args.output,
                ) as progress,
            ):
                writer = JsonLinesWriter(out)
                log = RunLog.of(plan, rows, errors_out, args.max_errors)
                work = RowWork.convert(plan, compact=compact)
                for row, (line, problems) in pooled(args, work, progress.track(rows)):
                    log.read += 1
                    if line is not None:
                        writer.write_line(line)
                        log.written += 1
                        continue
                    rejected = log.reject(row, with_sources(plan, row, problems))
                    if not quiet:
                        for shown in rejected:
                            progress.print(rejected_line(row.line, shown))
                    if log.stopped:
                        break
                out.flush()
            stopped = log.stopped
            write_summary(args.summary_json, log.summary("convert", stopped=stopped))
    except (UsageError, InputError) as exc:
        print(f"crmcore convert: error: {exc}", file=err)
        return 2
    if not quiet:
        name = reading.record_type.__name__.lower()
        print(
            f"crmcore convert: {log.written} of {log.read} {name} rows converted, "
            f"{log.rejected} failed"
            + (f"; stopped at --max-errors {args.max_errors}" if stopped else ""),
            file=err,
        )
    if stopped:
        return STOPPED
    return 1 if log.rejected else 0
