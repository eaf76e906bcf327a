"""``crmcore privacy``: answer a data subject's access, export and erasure requests on files.

Three commands share the subject options (``--email``, ``--phone``, ``--name``,
``--external-id``, ``--known-name``, ``--birth-date``) and read one file or several (contacts
and accounts, then deals, then activities), keeping only the records that may concern the
subject (:class:`~crmcore.privacy.SubjectSearch`):

- ``access`` writes what was found, as JSON: each record's type, id, confidence and reasons
  (codes and paths, no value), the doubtful ones for review, the rows that could not be
  searched and, with ``--regime``, the deadline. Safe to keep in a ticket.
- ``export`` writes the subject's data itself (GDPR Art. 15 and 20, CCPA "right to know"),
  as JSON or as flat CSV rows, with the controller's Art. 15(1) information from ``--info``.
  It holds personal values: it is for the subject.
- ``erase`` plans the erasure (``--dry-run`` writes the plan: paths, actions, reasons) or
  carries it out: it writes the changed records as JSON Lines (to load back into the CRM) and
  the audit that proves it (``--audit``), which holds digests and no erased value.

Exit codes: 0 when every row was searched, 1 when some could not be (the answer may be
incomplete; they are named on stderr by line), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import IO, Any

from crmcore._safe import printable
from crmcore.cli._io import InputError, open_output
from crmcore.cli._options import UsageError, add_reading_options, parse_as_of, parse_timezone
from crmcore.cli._privacy_read import (
    Searched,
    add_subject_options,
    check_inputs,
    read_subject,
    search_files,
)
from crmcore.convert import default_converter
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy import (
    AccessInfo,
    Calendar,
    Confidence,
    Discovery,
    Hold,
    Match,
    PrivacyRequest,
    RequestKind,
    apply_erasure,
    deadline,
    default_regimes,
    export_subject,
    plan_erasure,
)
from crmcore.records import Contact

__all__ = ["KEY_MIN_BYTES", "add_parser", "run_access", "run_erase", "run_export"]

KEY_MIN_BYTES = 32
"""The shortest secret key ``erase`` accepts, in bytes, as the library does."""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``privacy`` and its ``access``, ``export`` and ``erase`` commands."""
    parser = commands.add_parser(
        "privacy",
        help="answer a data subject's access, export or erasure request on CSV or JSON Lines",
        description=(
            "Find a data subject's records in one file or several and answer a request: "
            "access (what was found, no value), export (the data, for the subject), erase "
            "(the changed records and an audit). Rows are read one at a time; only the "
            "records that may concern the subject are kept."
        ),
    )
    inner = parser.add_subparsers(dest="privacy_command", required=True, metavar="REQUEST")
    access = inner.add_parser(
        "access",
        help="list the records found for the subject (codes and paths, no value)",
        description=(
            "Write, as JSON, each record found for the subject with its confidence and "
            "reasons, the doubtful ones for review, and the deadline with --regime. No value "
            "of the data is written."
        ),
    )
    _common(access)
    _request_options(access)
    access.set_defaults(run=run_access)

    export = inner.add_parser(
        "export",
        help="write the subject's data, with the controller's Art. 15(1) information",
        description=(
            "Write everything found on the subject, by record and category, as JSON (or flat "
            "CSV rows with --export-format csv), with the information of --info. It holds "
            "personal values: write it to a file meant for the subject."
        ),
    )
    _common(export)
    export.add_argument(
        "--info",
        required=True,
        metavar="INFO.json",
        help=(
            "a JSON object of the Art. 15(1) answers: purposes (a list), recipients (a list), "
            "retention, automated_decisions; optionally source, rights, transfers"
        ),
    )
    export.add_argument("--export-format", choices=("json", "csv"), default="json")
    export.set_defaults(run=run_export)

    erase = inner.add_parser(
        "erase",
        help="erase the subject: write the changed records and the audit",
        description=(
            "Plan the erasure of the subject from the records found and carry it out: write "
            "the changed records as JSON Lines and the audit (digests, no erased value) to "
            "--audit. --dry-run writes the plan instead and needs no key."
        ),
    )
    _common(erase)
    _request_options(erase)
    erase.add_argument(
        "--key-file",
        metavar="FILE",
        help=f"the secret key ({KEY_MIN_BYTES} bytes or more, read as bytes) for pseudonyms "
        "and the audit's digests",
    )
    erase.add_argument("--audit", metavar="AUDIT.json", help="where to write the audit")
    erase.add_argument(
        "--dry-run", action="store_true", help="write the plan (paths, actions, reasons) only"
    )
    erase.add_argument(
        "--holds",
        metavar="HOLDS.json",
        help=(
            "a JSON list of legal holds: objects with reason, and record_id, path or both, "
            "and citation"
        ),
    )
    erase.add_argument(
        "--pseudonymise",
        action="append",
        default=[],
        choices=("identity.account_number", "identity.external_ids"),
        help="keep this identifier of the subject's records as a pseudonym",
    )
    erase.set_defaults(run=run_erase)


def _common(parser: argparse.ArgumentParser) -> None:
    add_reading_options(parser, ignore_extra="drop unknown fields and unmapped columns")
    add_subject_options(parser)
    parser.add_argument(
        "--confirm",
        action="append",
        default=[],
        metavar="RECORD_ID",
        help="a record in review that a person confirmed is the subject's (repeatable)",
    )


def _request_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the request", "to compute the deadline")
    group.add_argument("--regime", choices=default_regimes().names)
    group.add_argument(
        "--received",
        metavar="ISO",
        help="when the request was received (default: --as-of, or now)",
    )
    group.add_argument("--request-id", metavar="ID", help="your reference for the request")
    group.add_argument(
        "--holiday",
        action="append",
        default=[],
        metavar="YYYY-MM-DD",
        help="a public holiday that counts (repeatable; weekends always count)",
    )


# -- running ------------------------------------------------------------------------------------


def run_access(args: argparse.Namespace) -> int:
    """Run ``crmcore privacy access``; return the exit code."""
    return _run(args, "access", _access)


def run_export(args: argparse.Namespace) -> int:
    """Run ``crmcore privacy export``; return the exit code."""
    return _run(args, "export", _export)


def run_erase(args: argparse.Namespace) -> int:
    """Run ``crmcore privacy erase``; return the exit code."""
    return _run(args, "erase", _erase)


Action = Callable[[argparse.Namespace, Searched, IO[str]], list[str]]


def _run(args: argparse.Namespace, command: str, action: Action) -> int:
    err = sys.stderr
    try:
        subject = read_subject(args)
        check_inputs([args.input, *args.more])
        _check(args, command)
        searched = search_files(args, subject, command, err)
        with open_output(args.output) as out:
            lines = action(args, searched, out)
            out.flush()
    except (UsageError, InputError) as exc:
        print(f"crmcore privacy {command}: error: {exc}", file=err)
        return 2
    except CRMError as exc:  # names a path and a reason, never a value
        print(f"crmcore privacy {command}: error: {printable(str(exc))}", file=err)
        return 2
    search = searched.search
    found = search.discovery()
    print(
        f"crmcore privacy {command}: {search.read:,} records read from {searched.files} "
        f"file(s); {len(found.found):,} found, {len(found.review):,} for review",
        file=err,
    )
    for line in lines:
        print(f"crmcore privacy {command}: {line}", file=err)
    if searched.unread:
        print(
            f"crmcore privacy {command}: {searched.unread:,} rows could not be read and were "
            "not searched: the answer may be incomplete (fix them, or clean the file first)",
            file=err,
        )
        return 1
    return 0


def _check(args: argparse.Namespace, command: str) -> None:
    """Check the options of ``command`` before any file is read."""
    if command == "erase" and not args.dry_run:
        if not args.key_file:
            raise UsageError("--key-file: needed to erase (or give --dry-run)")
        if not args.audit:
            raise UsageError("--audit: needed to erase (or give --dry-run)")
        if args.audit == args.output and args.audit != "-":
            raise UsageError("--audit: the same file as --output")
        _key(args.key_file)


def _confirmed(args: argparse.Namespace, discovery: Discovery) -> tuple[Match, ...]:
    wanted = list(dict.fromkeys(args.confirm))
    by_id = {match.record.id: match for match in discovery.review}
    missing = [record_id for record_id in wanted if record_id not in by_id]
    if missing:
        shown = ", ".join(printable(record_id) for record_id in missing[:10])
        raise UsageError(f"--confirm: not among the records in review: {shown}")
    return tuple(by_id[record_id] for record_id in wanted)


def _match(match: Match) -> dict[str, Any]:
    return {
        "record_type": type(match.record).__name__,
        "record_id": match.record.id,
        "confidence": match.confidence.value,
        "reasons": [
            {"code": r.code, "path": r.path, **({"ref": r.ref} if r.ref else {})}
            for r in match.reasons
        ],
    }


def _read_moment(text: str, option: str, args: argparse.Namespace) -> datetime:
    tz = parse_timezone(args.assume_tz) if args.assume_tz else None
    try:
        return parse_as_of(text, tz)
    except UsageError:
        raise UsageError(f"{option}: not an ISO 8601 date or date and time") from None


def _received(args: argparse.Namespace) -> datetime:
    text = args.received or args.as_of
    option = "--received" if args.received else "--as-of"
    # Without either, now: the clock is read here, at the edge, never in the library.
    return _read_moment(text, option, args) if text else parse_as_of(None, None)


def _request(args: argparse.Namespace, kind: RequestKind) -> PrivacyRequest | None:
    """The request ``--request-id`` names (it needs ``--regime``), or ``None``."""
    if args.regime is None:
        if args.received or args.request_id or args.holiday:
            raise UsageError("--received, --request-id and --holiday need --regime")
        return None
    if args.request_id is None:
        return None
    try:
        return PrivacyRequest(args.request_id, kind, args.regime, _received(args))
    except InvalidValueError as exc:
        raise UsageError(f"--request-id: {exc.reason}") from None


def _calendar(args: argparse.Namespace) -> Calendar:
    days: list[date] = []
    for position, text in enumerate(args.holiday):
        try:
            days.append(date.fromisoformat(text.strip()))
        except ValueError:
            raise UsageError(f"--holiday #{position + 1}: not a date written YYYY-MM-DD") from None
    return Calendar(holidays=tuple(days))


def _deadline(args: argparse.Namespace, kind: RequestKind) -> dict[str, Any] | None:
    """The deadline of a ``kind`` request under ``--regime``, JSON-safe; ``None`` without."""
    if args.regime is None:
        return None
    try:
        due = deadline(args.regime, kind, _received(args), _calendar(args))
    except InvalidValueError as exc:
        raise UsageError(f"--regime: {exc.reason}") from None
    return {
        "regime": due.regime,
        "kind": due.kind.value,
        "received": due.received.isoformat(),
        "due": due.due.isoformat(),
        "citation": due.citation,
        **({"notice_by": due.notice_by.isoformat()} if due.notice_by else {}),
    }


def _access(args: argparse.Namespace, searched: Searched, out: IO[str]) -> list[str]:
    _request(args, RequestKind.ACCESS)  # checks the request options
    due = _deadline(args, RequestKind.ACCESS)
    discovery = searched.search.discovery()
    confirmed = {match.record.id for match in _confirmed(args, discovery)}
    found = [*discovery.found, *(m for m in discovery.review if m.record.id in confirmed)]
    report: dict[str, Any] = {
        "request": args.request_id,
        "records_searched": searched.search.read,
        "rows_not_searched": searched.unread,
        "found": [_match(match) for match in found],
        "review": [_match(m) for m in discovery.review if m.record.id not in confirmed],
    }
    lines: list[str] = []
    if due is not None:
        report["deadline"] = due
        lines.append(f"due {due['due']} ({due['citation']})")
    json.dump(report, out, indent=2, ensure_ascii=False)
    out.write("\n")
    return lines


def _load_json(path: str, option: str) -> Any:
    try:
        with open(path, encoding="utf-8") as stream:
            return json.load(stream)
    except OSError as exc:
        raise UsageError(f"{option}: cannot open the file ({exc.strerror or 'error'})") from None
    except (ValueError, UnicodeDecodeError):
        raise UsageError(f"{option}: the file is not valid JSON") from None


def _info(path: str) -> AccessInfo:
    data = _load_json(path, "--info")
    if not isinstance(data, Mapping):
        raise UsageError("--info: expected a JSON object")
    known = {"purposes", "recipients", "retention", "automated_decisions", "source", "rights"}
    known.add("transfers")
    unknown = sorted(key for key in data if key not in known)
    if unknown:
        raise UsageError(f"--info: unknown keys {', '.join(printable(k) for k in unknown[:10])}")
    try:
        return AccessInfo(**data)
    except TypeError:
        raise UsageError(
            "--info: purposes, recipients, retention and automated_decisions are needed"
        ) from None
    except InvalidValueError as exc:
        raise UsageError(f"--info: {exc}") from None


def _export(args: argparse.Namespace, searched: Searched, out: IO[str]) -> list[str]:
    info = _info(args.info)
    search = searched.search
    confirmed = _confirmed(args, search.discovery())
    exported = export_subject(search.records, search.subject, info=info, confirmed=confirmed)
    if args.export_format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows(exported.rows())
    else:
        json.dump(exported.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    return [f"{len(exported.records):,} records exported"]


def _holds(path: str | None) -> tuple[Hold, ...]:
    if path is None:
        return ()
    data = _load_json(path, "--holds")
    if not isinstance(data, list) or not all(isinstance(item, Mapping) for item in data):
        raise UsageError("--holds: expected a JSON list of objects")
    holds: list[Hold] = []
    for position, item in enumerate(data):
        unknown = sorted(set(item) - {"reason", "record_id", "path", "citation"})
        if unknown:
            raise UsageError(f"--holds #{position + 1}: unknown keys")
        try:
            holds.append(Hold(**item))
        except TypeError:
            raise UsageError(f"--holds #{position + 1}: a hold needs a reason") from None
        except InvalidValueError as exc:
            raise UsageError(f"--holds #{position + 1}: {exc}") from None
    return tuple(holds)


def _key(path: str) -> bytes:
    try:
        with open(path, "rb") as stream:
            key = stream.read(1 << 16)
    except OSError as exc:
        raise UsageError(f"--key-file: cannot open the file ({exc.strerror or 'error'})") from None
    if len(key) < KEY_MIN_BYTES:
        raise UsageError(f"--key-file: the key is shorter than {KEY_MIN_BYTES} bytes")
    return key


def _erase(args: argparse.Namespace, searched: Searched, out: IO[str]) -> list[str]:
    request = _request(args, RequestKind.ERASURE)
    search = searched.search
    discovery = search.discovery()
    confirmed = _confirmed(args, discovery)
    others = [m.record.id for m in confirmed if not isinstance(m.record, Contact)]
    if others:
        raise UsageError(
            "--confirm: only a contact in review can be confirmed as the subject's own; "
            "mentions of the subject in other records are scrubbed without it"
        )
    ids = [m.record.id for m in discovery.found if m.confidence is Confidence.STRONG]
    ids.extend(m.record.id for m in confirmed)
    plan = plan_erasure(
        search.records,
        search.subject,
        request=request,
        holds=_holds(args.holds),
        record_ids=sorted(set(ids)),
        pseudonymise=tuple(args.pseudonymise),
        regions=search.regions,
    )
    lines: list[str] = []
    due = _deadline(args, RequestKind.ERASURE)
    if due is not None:
        lines.append(f"due {due['due']} ({due['citation']})")
    if args.dry_run:
        json.dump(plan.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
        lines.append(f"{len(plan.records):,} records would change (dry run: nothing erased)")
        return lines
    key = _key(args.key_file)
    at = _read_moment(args.as_of, "--as-of", args) if args.as_of else parse_as_of(None, None)
    result = apply_erasure(plan, search.records, key=key, at=at)
    converter = default_converter()
    changed = 0
    for old, new in zip(search.records, result.records, strict=True):
        if old is not new:
            changed += 1
            out.write(json.dumps(converter.to_dict(new), ensure_ascii=False) + "\n")
    with open_output(args.audit) as audit_out:
        json.dump(result.audit.to_dict(), audit_out, indent=2, ensure_ascii=False)
        audit_out.write("\n")
    lines.append(
        f"{changed:,} records changed; audit of {len(result.audit.entries):,} paths written"
    )
    return lines
