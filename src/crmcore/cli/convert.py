"""``crmcore convert``: read CSV or JSON Lines, convert each row, write JSON Lines.

Every row that does not convert is reported on stderr by its line number, the path of each
problem and the reason, never a value, and the batch goes on. The input is streamed: memory
does not grow with the file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import PurePath
from typing import IO, Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from crmcore.cli._io import (
    CsvRows,
    InputError,
    JsonLinesRows,
    JsonLinesWriter,
    Row,
    open_input,
    open_output,
)
from crmcore.convert import Converter
from crmcore.errors import ConversionError, InvalidValueError, Problem
from crmcore.mapping import ColumnMapping
from crmcore.records import Account, Activity, Contact, Deal

__all__ = ["RECORD_TYPES", "UsageError", "add_parser", "parse_as_of", "parse_timezone", "run"]

RECORD_TYPES: dict[str, type[Any]] = {
    "contact": Contact,
    "account": Account,
    "deal": Deal,
    "activity": Activity,
}
"""The record type of each ``--type`` value."""

_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl"}
_TYPE_IN_NAME = re.compile(r"(contact|account|deal|activit)(?:s|y|ies)?(?:[-_. ]|\Z)")
_OFFSET = re.compile(r"([+-])([0-9]{2}):?([0-9]{2})\Z")


class UsageError(Exception):
    """The command cannot run as asked; the message says why (never quoting data)."""


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
    parser.add_argument("input", metavar="INPUT", help="a .csv or .jsonl file, or - for stdin")
    parser.add_argument(
        "--type",
        dest="record_type",
        choices=sorted(RECORD_TYPES),
        help="the record type of every row (default: from the file name, e.g. contacts.csv)",
    )
    parser.add_argument(
        "--format", choices=("csv", "jsonl"), help="the input format (default: from the extension)"
    )
    parser.add_argument(
        "--mapping",
        metavar="MAPPING.json",
        help=(
            "a JSON object of column name to record path, such as "
            '{"E-mail": "identity.emails[0]", "Tags": "qualitative.motivations[]"}; '
            "null ignores a column. Without it, CSV headers must be record paths."
        ),
    )
    parser.add_argument(
        "--output", "-o", default="-", metavar="OUT.jsonl", help="where to write (default: stdout)"
    )
    parser.add_argument(
        "--default-region",
        metavar="XX",
        help="the country (ISO 3166-1 alpha-2) to read national phone numbers in",
    )
    parser.add_argument(
        "--dayfirst", action="store_true", help="read 03/04/2020 as 3 April (ISO is never changed)"
    )
    parser.add_argument(
        "--assume-tz",
        metavar="TZ",
        help="the timezone of times given without one: UTC, +01:00 or a name like Europe/Paris",
    )
    parser.add_argument(
        "--default-currency", metavar="CODE", help="the currency (ISO 4217) of bare amounts"
    )
    parser.add_argument(
        "--as-of",
        metavar="ISO",
        help="the instant two-digit years are read against (default: now, in UTC)",
    )
    parser.add_argument(
        "--ignore-extra",
        action="store_true",
        help="drop unknown fields and unmapped columns instead of reporting them",
    )
    parser.set_defaults(run=run)


def parse_timezone(text: str) -> tzinfo:
    """Read ``UTC``/``Z``, a fixed offset (``+01:00``, ``-0530``) or an IANA zone name.

    >>> parse_timezone("+01:00")
    datetime.timezone(datetime.timedelta(seconds=3600))
    >>> parse_timezone("Europe/Paris")
    zoneinfo.ZoneInfo(key='Europe/Paris')
    """
    if text.strip().upper() in ("UTC", "Z", "GMT"):
        return timezone.utc
    match = _OFFSET.match(text.strip())
    if match is not None:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta >= timedelta(hours=24):
            raise UsageError("--assume-tz: the offset is out of range")
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError("--assume-tz: not UTC, an offset like +01:00 or a zone name") from None


def parse_as_of(text: str | None, assume_tz: tzinfo | None) -> datetime:
    """Read ``--as-of``; without a timezone it is read in ``assume_tz``, else UTC.

    Without ``text``, it is now: the clock is read here, at the edge, never in the library.
    """
    if text is None:
        return datetime.now(timezone.utc)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError("--as-of: not an ISO 8601 date or date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=assume_tz or timezone.utc)
    return moment


def _record_type(args: argparse.Namespace) -> type[Any]:
    if args.record_type is not None:
        return RECORD_TYPES[args.record_type]
    match = _TYPE_IN_NAME.match(PurePath(args.input).name.lower())
    if args.input == "-" or match is None:
        raise UsageError("cannot tell the record type from the file name: give --type")
    return RECORD_TYPES[{"activit": "activity"}.get(match[1], match[1])]


def _format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    found = _FORMATS.get(PurePath(args.input).suffix.lower())
    if args.input == "-" or found is None:
        raise UsageError("cannot tell the format from the file name: give --format csv|jsonl")
    return found


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise UsageError("--mapping: a column is named twice")
    return dict(pairs)


def _mapping(path: str | None) -> ColumnMapping | None:
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream, object_pairs_hook=_no_duplicate_keys)
    except OSError as exc:
        raise UsageError(f"--mapping: cannot open the file ({exc.strerror or 'error'})") from None
    except (ValueError, UnicodeDecodeError):
        raise UsageError("--mapping: the file is not valid JSON") from None
    if not isinstance(data, dict) or not all(
        isinstance(value, str) or value is None for value in data.values()
    ):
        raise UsageError("--mapping: expected a JSON object of column name to path or null")
    try:
        return ColumnMapping(data)
    except InvalidValueError as exc:
        raise UsageError(f"--mapping: {exc.reason}") from None


def _converter(args: argparse.Namespace) -> Converter:
    assume_tz = parse_timezone(args.assume_tz) if args.assume_tz is not None else None
    as_of = parse_as_of(args.as_of, assume_tz)
    region = args.default_region.strip().upper() if args.default_region else None
    currency = args.default_currency.strip().upper() if args.default_currency else None
    try:
        return Converter(
            default_region=region,
            dayfirst=args.dayfirst,
            as_of=as_of,
            assume_tz=assume_tz,
            default_currency=currency,
            extra_keys="ignore" if args.ignore_extra else "forbid",
        )
    except InvalidValueError as exc:
        option = {"default_region": "--default-region", "default_currency": "--default-currency"}
        raise UsageError(f"{option.get(exc.field or '', 'option')}: {exc.reason}") from None


@attrs.frozen
class _Plan:
    """What to do with each row, decided once before reading."""

    record_type: type[Any]
    converter: Converter
    mapping: ColumnMapping | None
    forbid_unmapped: bool


def _rows(plan: _Plan, stream: IO[str], fmt: str, err: TextIO) -> tuple[_Plan, Iterable[Row]]:
    if fmt == "jsonl":
        return plan, JsonLinesRows(stream)
    rows = CsvRows(stream)
    if plan.mapping is None:
        try:
            mapping = ColumnMapping.identity(rows.columns)
        except InvalidValueError:
            raise UsageError(
                "the CSV header is not made of record paths (like identity.emails[0]): "
                "give --mapping"
            ) from None
        return attrs.evolve(plan, mapping=mapping, forbid_unmapped=False), rows
    missing = sorted(set(plan.mapping.columns) - set(rows.columns))
    if missing:
        raise UsageError(f"--mapping names columns the CSV file does not have: {missing}")
    unmapped = plan.mapping.unmapped(rows.columns)
    if unmapped and plan.forbid_unmapped:
        raise UsageError(
            f"columns not in the mapping: {list(unmapped)}; map them (null ignores a column) "
            "or give --ignore-extra"
        )
    if unmapped:
        print(f"crmcore convert: ignoring unmapped columns {list(unmapped)}", file=err)
    return attrs.evolve(plan, forbid_unmapped=False), rows


def _convert(plan: _Plan, row: Row) -> tuple[dict[str, Any] | None, tuple[Problem, ...]]:
    if row.data is None:
        return None, (Problem("", row.problem or "cannot be read"),)
    data: Mapping[str, Any] = row.data
    if plan.mapping is not None:
        unmapped = plan.mapping.unmapped(data) if plan.forbid_unmapped else ()
        if unmapped:
            return None, tuple(Problem(column, "column not in the mapping") for column in unmapped)
        data = plan.mapping.apply(data)
    try:
        record = plan.converter.from_dict(plan.record_type, data)
    except ConversionError as exc:
        return None, exc.problems
    return plan.converter.to_dict(record), ()


def run(args: argparse.Namespace) -> int:
    """Run ``crmcore convert`` with parsed arguments; return the exit code."""
    err = sys.stderr
    try:
        record_type = _record_type(args)
        fmt = _format(args)
        plan = _Plan(record_type, _converter(args), _mapping(args.mapping), not args.ignore_extra)
        with open_input(args.input) as stream:
            plan, rows = _rows(plan, stream, fmt, err)
            with open_output(args.output) as out:
                writer = JsonLinesWriter(out)
                failed = total = 0
                for row in rows:
                    total += 1
                    output, problems = _convert(plan, row)
                    if output is not None:
                        writer.write(output)
                        continue
                    failed += 1
                    for problem in problems:
                        print(f"line {row.line}: {problem}", file=err)
                out.flush()
    except (UsageError, InputError) as exc:
        print(f"crmcore convert: error: {exc}", file=err)
        return 2
    name = record_type.__name__.lower()
    print(
        f"crmcore convert: {total - failed} of {total} {name} rows converted, {failed} failed",
        file=err,
    )
    return 1 if failed else 0
