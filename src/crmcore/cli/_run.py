"""The run every command that reads rows shares: options, input, rejects, summary, exit code.

``convert``, ``clean``, ``validate`` and ``dedupe`` each read the shared options and check that
no output is the input, open the input and read its header into a
:class:`~crmcore.cli._stream.Plan`, open the ``--errors`` file and the progress bar, work
through the rows on ``--jobs`` processes, report each rejected row (``--errors``, stderr,
``--max-errors``), write ``--summary-json`` and turn a usage error into exit code 2.
:func:`run_rows` and :class:`RowsRun` do those steps once for all; each command keeps only its
own work on a row and its own summary.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

import attrs

from crmcore.cli._io import InputError, Row, open_input
from crmcore.cli._jobs import RowWork, pooled, sent_rows
from crmcore.cli._options import Reading, UsageError, check_outputs, read_options
from crmcore.cli._rejects import STOPPED, RunLog, optional_output, write_summary
from crmcore.cli._stream import Plan, Progress, open_rows, progress_for, rejected_line, with_sources
from crmcore.errors import Problem

__all__ = ["Opened", "RowsRun", "run_rows"]


@attrs.frozen
class Opened:
    """The input of a run, open: the plan fitted to its header, its rows, the progress bar and
    the run log (which writes the ``--errors`` file)."""

    plan: Plan
    rows: Iterable[Row]
    progress: Progress
    log: RunLog


@attrs.frozen
class RowsRun:
    """One run of ``crmcore COMMAND``: its parsed arguments and where its messages go."""

    command: str
    args: argparse.Namespace
    err: TextIO

    @property
    def quiet(self) -> bool:
        """Whether ``--quiet`` leaves stderr to what stops the run."""
        return bool(getattr(self.args, "quiet", False))

    def say(self, text: str) -> None:
        """Print ``crmcore COMMAND: text`` on stderr, unless ``--quiet``."""
        if not self.quiet:
            print(f"crmcore {self.command}: {text}", file=self.err)

    def read(self, **outputs: str | None) -> Reading:
        """The shared options, read; refuse ``--output`` or any of ``outputs`` (by option name),
        ``--errors`` and ``--summary-json`` being the input file."""
        args = self.args
        reading = read_options(args)
        check_outputs(
            args.input,
            output=args.output,
            **outputs,
            errors=getattr(args, "errors", None),
            summary_json=getattr(args, "summary_json", None),
        )
        return reading

    @contextmanager
    def rows(self, reading: Reading) -> Iterator[Opened]:
        """Open the input and read its header; open the ``--errors`` file and the progress bar.

        Notices about the header (unmapped columns ignored) are said on stderr.
        """
        args = self.args
        with open_input(args.input, args.encoding) as stream:
            plan, rows = open_rows(Plan.of(reading), stream, reading.format, self.say)
            with (
                optional_output(getattr(args, "errors", None)) as errors_out,
                progress_for(
                    args.input,
                    stream,
                    enabled=not args.no_progress and not self.quiet,
                    err=self.err,
                    output=args.output,
                ) as progress,
            ):
                log = RunLog.of(plan, rows, errors_out, getattr(args, "max_errors", None))
                yield Opened(plan, rows, progress, log)

    def each(self, opened: Opened, work: RowWork) -> Iterator[tuple[Row, Any]]:
        """``(row, work(row))`` for each row, in order, on ``--jobs`` processes; counts the rows
        read and moves the progress bar."""
        rows = opened.progress.track(sent_rows(self.args, opened.rows))
        for row, outcome in pooled(self.args, work, rows):
            opened.log.read += 1
            yield row, outcome

    def reject(self, opened: Opened, row: Row, problems: Sequence[Problem]) -> bool:
        """Count ``row`` as rejected, write it to ``--errors`` and, unless ``--quiet``, print
        each problem with its source column; return whether ``--max-errors`` is reached."""
        shown = opened.log.reject(row, with_sources(opened.plan, row, problems))
        if not self.quiet:
            for problem in shown:
                opened.progress.print(rejected_line(row.line, problem))
        return opened.log.stopped

    def summary(self, log: RunLog, extra: Mapping[str, Any] | None = None) -> None:
        """Write the ``--summary-json`` document: the run log's counts, then ``extra``."""
        document = log.summary(self.command, stopped=log.stopped)
        document.update(extra or {})
        write_summary(getattr(self.args, "summary_json", None), document)

    def said_stopped(self, log: RunLog) -> None:
        """Say that ``--max-errors`` stopped the run, when it did."""
        if log.stopped:
            self.say(f"stopped at --max-errors {self.args.max_errors}")

    @staticmethod
    def exit_code(log: RunLog, failed: bool) -> int:
        """3 when ``--max-errors`` stopped the run, else 1 when ``failed``, else 0."""
        if log.stopped:
            return STOPPED
        return 1 if failed else 0


def run_rows(command: str, args: argparse.Namespace, body: Callable[[RowsRun], int]) -> int:
    """Run ``body`` as ``crmcore command``; a usage error or an unreadable input exits with 2.

    ``body`` does the command's own work with the :class:`RowsRun` it is given and returns the
    exit code.
    """
    run = RowsRun(command, args, sys.stderr)
    try:
        return body(run)
    except (UsageError, InputError) as exc:
        print(f"crmcore {command}: error: {exc}", file=run.err)
        return 2
