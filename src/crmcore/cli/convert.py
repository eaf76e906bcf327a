"""``crmcore convert``: read CSV or JSON Lines, convert each row, write JSON Lines.

Every row that does not convert is reported on stderr by its line number, the path of each
problem and the reason, never a value, and the batch goes on. The input is streamed: memory
does not grow with the file.
"""

from __future__ import annotations

import argparse
import sys

from crmcore.cli._io import InputError, JsonLinesWriter, open_input, open_output
from crmcore.cli._options import (
    RECORD_TYPES,
    UsageError,
    add_reading_options,
    check_outputs,
    parse_as_of,
    parse_timezone,
    read_options,
)
from crmcore.cli._shown import shown_problem
from crmcore.cli._stream import Plan, convert_row, open_rows, progress_for

__all__ = ["RECORD_TYPES", "UsageError", "add_parser", "parse_as_of", "parse_timezone", "run"]


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``convert`` command to the sub-parsers of ``crmcore``."""
    parser = commands.add_parser(
        "convert",
        help="convert CSV or JSON Lines rows into crmcore records (JSON Lines out)",
        description=(
            "Read CSV or JSON Lines, convert each row to a record and write the records as "
            "JSON Lines. Rows that do not convert are reported on stderr (line, path, reason; "
            "never a value) and the batch goes on. Exit code: 0 if every row converted, 1 if "
            "some did not, 2 on a usage error."
        ),
    )
    add_reading_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``crmcore convert`` with parsed arguments; return the exit code."""
    err = sys.stderr
    try:
        reading = read_options(args)
        check_outputs(args.input, output=args.output)
        with open_input(args.input, args.encoding) as stream:
            plan, rows = open_rows(
                Plan.of(reading),
                stream,
                reading.format,
                lambda notice: print(f"crmcore convert: {notice}", file=err),
            )
            converter = plan.converter
            with (
                open_output(args.output) as out,
                progress_for(
                    args.input,
                    stream,
                    enabled=not args.no_progress,
                    err=err,
                    output=args.output,
                ) as progress,
            ):
                writer = JsonLinesWriter(out)
                failed = 0
                for row in progress.track(rows):
                    record, problems = convert_row(plan, row)
                    if record is not None:
                        writer.write(converter.to_dict(record))
                        continue
                    failed += 1
                    for problem in problems:
                        shown = shown_problem(plan.record_type, problem)
                        progress.print(f"line {row.line}: {shown}")
                out.flush()
            total = progress.rows
    except (UsageError, InputError) as exc:
        print(f"crmcore convert: error: {exc}", file=err)
        return 2
    name = reading.record_type.__name__.lower()
    print(
        f"crmcore convert: {total - failed} of {total} {name} rows converted, {failed} failed",
        file=err,
    )
    return 1 if failed else 0
