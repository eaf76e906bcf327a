"""The options every command that reads rows shares: what the rows are and how to read them.

``convert``, ``validate``, ``clean`` and ``dedupe`` take the same input options (``--type``,
``--format``, ``--mapping``) and the same reading options (``--default-region``,
``--dayfirst``, ``--monthfirst``, ``--assume-tz``, ``--default-currency``, ``--decimal-separator``,
``--spreadsheet-dates``, ``--as-of``, ``--ignore-extra``). They are added by
:func:`add_reading_options` and read, checked and resolved once by :func:`read_options` into a
:class:`Reading`. Every error is a :class:`UsageError` whose message names the option and the
reason, never a value from the data.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from crmcore._iso import COUNTRY_CODES
from crmcore._regions import region_reason
from crmcore._safe import printable
from crmcore.cli._decode import ENCODINGS
from crmcore.convert import ColumnMapping, Converter
from crmcore.convert._locale import DecimalSeparator
from crmcore.errors import InvalidValueError
from crmcore.records import Account, Activity, Contact, Deal

__all__ = [
    "RECORD_TYPES",
    "Reading",
    "UsageError",
    "add_reading_options",
    "check_outputs",
    "parse_as_of",
    "parse_timezone",
    "read_options",
]

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


def add_reading_options(
    parser: argparse.ArgumentParser, *, ignore_extra: str | None = None
) -> None:
    """Add the input, output and reading options shared by the commands that read rows.

    ``ignore_extra`` replaces the help of ``--ignore-extra`` (what it means differs a little
    from command to command).
    """
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
            "null ignores a column. Without it, CSV headers must be record paths. "
            "The name of a shipped mapping reads it: " + ", ".join(ColumnMapping.builtin_names())
        ),
    )
    parser.add_argument(
        "--output", "-o", default="-", metavar="OUT.jsonl", help="where to write (default: stdout)"
    )
    parser.add_argument(
        "--default-region",
        metavar="XX",
        help=(
            "the country (ISO 3166-1 alpha-2, such as GB, not UK) to read national phone numbers in"
        ),
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        action="store_const",
        const=True,
        default=None,
        help="read 03/04/2020 as 3 April in every row (ISO is never changed)",
    )
    order.add_argument(
        "--monthfirst",
        dest="dayfirst",
        action="store_const",
        const=False,
        help=(
            "read 03/04/2020 as 4 March in every row (default: by each row's address country,"
            " month first without one)"
        ),
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
        "--decimal-separator",
        choices=(".", ","),
        help=(
            "the decimal separator of the numbers and amounts of the input: '.' (1,234.50) or "
            "',' (1.234,50); by default each record's country decides, and a number that "
            "reads two ways (1,234) is refused"
        ),
    )
    parser.add_argument(
        "--spreadsheet-dates",
        action="store_true",
        help=(
            "read a number where a date is expected (32937) as a spreadsheet serial date, "
            "days since 1899-12-30 as Excel and LibreOffice count them"
        ),
    )
    parser.add_argument(
        "--as-of",
        metavar="ISO",
        help=(
            "the instant of the run: two-digit years are read against it, validation is done "
            "for it, quarantined values are stamped with it (default: now, in UTC)"
        ),
    )
    parser.add_argument(
        "--ignore-extra",
        action="store_true",
        help=ignore_extra or "drop unknown fields and unmapped columns instead of reporting them",
    )
    parser.add_argument(
        "--encoding",
        default="utf-8",
        choices=sorted(ENCODINGS),
        help="the encoding of the input (default: utf-8; a byte-order mark is always skipped)",
    )
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="never draw the progress bar (drawn on stderr for large files on a terminal)",
    )


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


@attrs.frozen
class Reading:
    """The shared options, read and checked: what the rows are and how to read them.

    ``converter`` is built from the reading options (unknown keys are refused unless
    ``ignore_extra``); ``format`` is ``"csv"`` or ``"jsonl"``.
    """

    record_type: type[Any]
    format: str
    mapping: ColumnMapping | None
    as_of: datetime
    default_region: str | None
    dayfirst: bool | None
    assume_tz: tzinfo | None
    default_currency: str | None
    ignore_extra: bool
    converter: Converter = attrs.field(repr=False, eq=False)
    decimal_separator: DecimalSeparator | None = None
    spreadsheet_dates: bool = False


def read_options(args: argparse.Namespace) -> Reading:
    """Read the shared options of ``args``; raise :class:`UsageError` for a bad one."""
    loaded = _mapping(args.mapping)
    record_type = _record_type(args, loaded)
    mapping = _checked(loaded, record_type)
    fmt = _format(args)
    assume_tz = parse_timezone(args.assume_tz) if args.assume_tz is not None else None
    as_of = parse_as_of(args.as_of, assume_tz)
    region = args.default_region.strip().upper() if args.default_region else None
    if region is not None and region not in COUNTRY_CODES:
        raise UsageError(f"--default-region: {region_reason(region)}")
    currency = args.default_currency.strip().upper() if args.default_currency else None
    try:
        converter = Converter(
            default_region=region,
            dayfirst=args.dayfirst,
            as_of=as_of,
            assume_tz=assume_tz,
            default_currency=currency,
            extra_keys="ignore" if args.ignore_extra else "forbid",
            decimal_separator=args.decimal_separator,
            spreadsheet_dates=bool(args.spreadsheet_dates),
        )
    except InvalidValueError as exc:
        option = {
            "default_region": "--default-region",
            "default_currency": "--default-currency",
            "decimal_separator": "--decimal-separator",
        }
        name = option.get(exc.field or "", "option")
        raise UsageError(f"{name}: {printable(exc.reason)}") from None
    return Reading(
        record_type=record_type,
        format=fmt,
        mapping=mapping,
        as_of=as_of,
        default_region=region,
        dayfirst=converter.dayfirst,
        assume_tz=assume_tz,
        default_currency=currency,
        ignore_extra=bool(args.ignore_extra),
        converter=converter,
        decimal_separator=converter.decimal_separator,
        spreadsheet_dates=converter.spreadsheet_dates,
    )


def check_outputs(source: str, **outputs: str | None) -> None:
    """Refuse to write over the input: each of ``outputs`` (by option name) must be another file.

    Opening an output truncates it, so ``-o contacts.jsonl`` on ``contacts.jsonl`` would read
    an empty file and lose the data.
    """
    if source == "-":
        return
    for option, path in outputs.items():
        if path is None or path == "-":
            continue
        try:
            same = os.path.samefile(source, path)
        except OSError:  # one of them does not exist (yet): they cannot be the same file
            continue
        if same:
            raise UsageError(f"--{option.replace('_', '-')}: it is the input file")


def _record_type(args: argparse.Namespace, mapping: ColumnMapping | None) -> type[Any]:
    if args.record_type is not None:
        return RECORD_TYPES[args.record_type]
    if mapping is not None and mapping.record_type is not None:
        return mapping.record_type
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
    """The mapping ``--mapping`` names: a JSON file, or the name of a shipped mapping.

    The file is read by :meth:`ColumnMapping.from_dict`: a bad mapping is one usage error
    naming the column and the path, before any row is read.
    """
    if path is None:
        return None
    if path in ColumnMapping.builtin_names() and not os.path.exists(path):
        return ColumnMapping.builtin(path)
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream, object_pairs_hook=_no_duplicate_keys)
    except OSError as exc:
        raise UsageError(f"--mapping: cannot open the file ({exc.strerror or 'error'})") from None
    except (ValueError, UnicodeDecodeError):
        raise UsageError("--mapping: the file is not valid JSON") from None
    if not isinstance(data, dict):
        raise UsageError("--mapping: expected a JSON object of column name to path or null")
    try:
        return ColumnMapping.from_dict(data)
    except InvalidValueError as exc:
        raise UsageError(f"--mapping: {printable(exc.reason)}") from None


def _checked(mapping: ColumnMapping | None, record_type: type[Any]) -> ColumnMapping | None:
    """``mapping`` checked against the record type: every path must be one of its fields."""
    if mapping is None:
        return None
    try:
        return mapping.for_type(record_type)
    except InvalidValueError as exc:
        raise UsageError(f"--mapping: {printable(exc.reason)}") from None
