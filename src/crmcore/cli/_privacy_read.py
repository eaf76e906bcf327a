"""Reading for ``crmcore privacy``: the subject from options, the records from several files.

The files are read one after the other, contacts and accounts first, then deals, then
activities (whatever order they are named in), each row converted with the shared reading
options and handed to a :class:`~crmcore.privacy.SubjectSearch`, which keeps only the records
that may concern the subject: memory grows with what is found, not with the files.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import PurePath
from typing import TextIO

import attrs

from crmcore._safe import printable
from crmcore.cleaning import CleaningContext, CleaningError, clean_raw
from crmcore.cli._io import Row, open_input
from crmcore.cli._options import UsageError, read_options
from crmcore.cli._shown import shown_problem
from crmcore.cli._stream import Plan, convert_row, open_rows, progress_for, row_data
from crmcore.errors import InvalidValueError, Problem
from crmcore.privacy import DataSubject, SubjectSearch
from crmcore.records import Account, Activity, Contact, Deal, ExternalId, Record

__all__ = ["Searched", "add_subject_options", "check_inputs", "read_subject", "search_files"]

_ORDER = {Contact: 0, Account: 0, Deal: 1, Activity: 2}
_EXTERNAL_ID = re.compile(r"^([^:\s][^:]*):(.+)$")
_LISTED = 10
"""Unreadable lines named on stderr per file at most; the others are counted."""


def add_subject_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that identify the data subject (at least one must be given)."""
    group = parser.add_argument_group(
        "the data subject", "what identifies the person; give at least one, each may repeat"
    )
    group.add_argument("--email", action="append", default=[], metavar="EMAIL")
    group.add_argument(
        "--phone", action="append", default=[], metavar="PHONE", help="international form"
    )
    group.add_argument(
        "--name", action="append", default=[], metavar="NAME", help="given and family name"
    )
    group.add_argument(
        "--external-id",
        action="append",
        default=[],
        metavar="SYSTEM:ID",
        help="an id in another system, such as billing:B-17",
    )
    group.add_argument(
        "--known-name",
        action="append",
        default=[],
        metavar="TEXT",
        help="another name the person is written as (an alias, a former or inflected name)",
    )
    group.add_argument("--birth-date", metavar="YYYY-MM-DD")
    parser.add_argument(
        "--strict",
        action="store_true",
        help=(
            "convert rows as crmcore convert does: a row with a value that does not convert is "
            "not searched (by default it is cleaned, the value quarantined and searched as text)"
        ),
    )
    parser.add_argument(
        "more",
        nargs="*",
        metavar="MORE",
        help=(
            "more files of other record types, named by type (deals.jsonl, activities.csv); "
            "--type, --format and --mapping concern INPUT only"
        ),
    )


def _external_id(text: str, position: int) -> ExternalId:
    match = _EXTERNAL_ID.match(text.strip())
    if match is None:
        raise UsageError(f"--external-id #{position + 1}: write SYSTEM:ID, such as billing:B-17")
    try:
        return ExternalId(system=match[1].strip(), value=match[2].strip())
    except InvalidValueError as exc:
        raise UsageError(f"--external-id #{position + 1}: {exc.reason}") from None


def read_subject(args: argparse.Namespace) -> DataSubject:
    """The subject the options describe; a :class:`UsageError` names a bad option."""
    born: date | None = None
    if args.birth_date is not None:
        try:
            born = date.fromisoformat(args.birth_date.strip())
        except ValueError:
            raise UsageError("--birth-date: not a date written YYYY-MM-DD") from None
    ids = [_external_id(text, i) for i, text in enumerate(args.external_id)]
    options = {
        "names": "--name",
        "emails": "--email",
        "phones": "--phone",
        "known_names": "--known-name",
    }
    try:
        subject = DataSubject(
            names=tuple(args.name),
            emails=tuple(args.email),
            phones=tuple(args.phone),
            birth_date=born,
            external_ids=tuple(ids),
            known_names=tuple(args.known_name),
        )
    except InvalidValueError as exc:
        part, _, position = (exc.field or "").partition("[")
        number = f" #{int(position.rstrip(']')) + 1}" if position.rstrip("]").isdigit() else ""
        raise UsageError(f"{options.get(part, 'subject')}{number}: {exc.reason}") from None
    if not (subject.emails or subject.phones or subject.external_ids or subject.names):
        raise UsageError("say who the subject is: give --email, --phone, --external-id or --name")
    return subject


@attrs.frozen
class Searched:
    """What reading the files gave: the search, and the rows that could not be searched."""

    search: SubjectSearch
    unread: int
    files: int


def _plans(args: argparse.Namespace) -> list[tuple[str, Plan, str, CleaningContext]]:
    found: list[tuple[int, int, str, Plan, str, CleaningContext]] = []
    for position, path in enumerate([args.input, *args.more]):
        first = position == 0
        options = argparse.Namespace(
            **{
                **vars(args),
                "input": path,
                "record_type": args.record_type if first else None,
                "format": args.format if first else None,
                "mapping": args.mapping if first else None,
            }
        )
        try:
            reading = read_options(options)
        except UsageError as exc:
            raise UsageError(f"{'INPUT' if first else f'MORE #{position}'}: {exc}") from None
        stage = _ORDER.get(reading.record_type, 0)
        ctx = CleaningContext(
            as_of=reading.as_of,
            default_region=reading.default_region,
            dayfirst=reading.dayfirst,
            assume_tz=reading.assume_tz,
            default_currency=reading.default_currency,
        )
        found.append((stage, position, path, Plan.of(reading), reading.format, ctx))
    found.sort(key=lambda item: (item[0], item[1]))
    return [(path, plan, fmt, ctx) for _, _, path, plan, fmt, ctx in found]


def _record(
    plan: Plan, row: Row, ctx: CleaningContext, strict: bool
) -> tuple[Record | None, tuple[Problem, ...]]:
    if strict:
        return convert_row(plan, row)
    data, problems = row_data(plan, row)
    if data is None:
        return None, problems
    try:
        return clean_raw(plan.record_type, data, ctx).record, ()
    except CleaningError as exc:
        return None, exc.problems


def search_files(
    args: argparse.Namespace,
    subject: DataSubject,
    command: str,
    err: TextIO | None = None,
) -> Searched:
    """Read every file the arguments name into a :class:`SubjectSearch` for ``subject``.

    Each row is cleaned (:func:`~crmcore.cleaning.clean_raw`): a value that does not convert
    is quarantined, and searched as free text, rather than losing the row; with ``--strict``
    it is converted as ``crmcore convert`` does. Rows that give no record cannot be searched:
    each file's first few are named on ``err``
    (line, path, reason, never a value) and all are counted in :attr:`Searched.unread`.
    """
    stream_err = err if err is not None else sys.stderr
    search = SubjectSearch(subject)
    unread = 0
    plans = _plans(args)
    if "-" in [path for path, _, _, _ in plans] and len(plans) > 1:
        raise UsageError("stdin (-) can be the only input")
    notice: Callable[[str], None] = lambda text: print(  # noqa: E731
        f"crmcore privacy {command}: {text}", file=stream_err
    )
    for path, plan, fmt, ctx in plans:
        listed = 0
        with open_input(path) as stream:
            file_plan, rows = open_rows(plan, stream, fmt, notice)
            with progress_for(
                path, stream, enabled=not args.no_progress, err=stream_err, output=args.output
            ) as progress:
                for row in progress.track(rows):
                    record, problems = _record(file_plan, row, ctx, args.strict)
                    if record is not None:
                        search.add(record)
                        continue
                    unread += 1
                    if listed < _LISTED:
                        listed += 1
                        first = problems[0] if problems else None
                        shown = shown_problem(file_plan.record_type, first) if first else "?"
                        progress.print(f"{_name(path)} line {row.line}: not searched: {shown}")
    return Searched(search, unread, len(plans))


def _name(path: str) -> str:
    return "stdin" if path == "-" else printable(PurePath(path).name)


def check_inputs(paths: Sequence[str]) -> None:
    """Refuse the same file named twice: its records would be read twice."""
    seen = [path for path in paths if path != "-"]
    if len(set(seen)) != len(seen):
        raise UsageError("a file is named twice")
