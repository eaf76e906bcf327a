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

from crmcore.cli._io import JsonLinesWriter, open_output
from crmcore.cli._jobs import RowWork, add_job_options
from crmcore.cli._options import (
    RECORD_TYPES,
    UsageError,
    add_reading_options,
    parse_as_of,
    parse_timezone,
)
from crmcore.cli._rejects import add_output_options
from crmcore.cli._run import RowsRun, run_rows

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


def run(args: argparse.Namespace) -> int:
    """Run ``crmcore convert`` with parsed arguments; return the exit code."""
    return run_rows("convert", args, _convert)


def _convert(run: RowsRun) -> int:
    args = run.args
    reading = run.read()
    with run.rows(reading) as opened, open_output(args.output) as out:
        writer = JsonLinesWriter(out)
        log = opened.log
        for row, (line, problems) in run.each(
            opened, RowWork.convert(opened.plan, compact=not args.keep_empty)
        ):
            if line is not None:
                writer.write_line(line)
                log.written += 1
            elif run.reject(opened, row, problems):
                break
        out.flush()
    run.summary(log)
    name = reading.record_type.__name__.lower()
    run.say(
        f"{log.written} of {log.read} {name} rows converted, {log.rejected} failed"
        + (f"; stopped at --max-errors {args.max_errors}" if log.stopped else "")
    )
    return run.exit_code(log, failed=bool(log.rejected))
