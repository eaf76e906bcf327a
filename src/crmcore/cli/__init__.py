"""The crmcore command line: ``crmcore demo``, ``convert``, ``validate``, ``clean``, ``privacy``,
``dedupe``.

This package is the only part of crmcore that reads files, the clock or the terminal; the
library itself stays pure. Exit codes: 0 when everything went through, 1 when the data had
problems (rows that did not convert, validation errors, rows that could not be cleaned), 2 on
a usage error (a bad option, an unreadable file, a malformed mapping), 3 when ``--max-errors``
stopped ``convert`` or ``clean``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from crmcore._version import __version__
from crmcore.cli import clean as clean
from crmcore.cli import convert as convert
from crmcore.cli import dedupe as dedupe
from crmcore.cli import demo as demo
from crmcore.cli import privacy as privacy
from crmcore.cli import validate as validate

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``crmcore`` command, with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="crmcore",
        description=(
            "Typed CRM records: convert, validate and clean raw exports; explore the demo data set."
        ),
    )
    parser.add_argument("--version", action="version", version=f"crmcore {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo.add_parser(commands)
    convert.add_parser(commands)
    validate.add_parser(commands)
    clean.add_parser(commands)
    privacy.add_parser(commands)
    dedupe.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``crmcore`` command with ``argv`` (default: the process arguments).

    Return the exit code rather than exiting, so that callers and tests can use it.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BrokenPipeError:  # the reader of our output went away (``| head``)
        _silence_stdout()
        return 1
    except KeyboardInterrupt:  # Ctrl-C on a long run: stop without a traceback
        print(f"crmcore {args.command}: interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
