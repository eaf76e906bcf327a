"""``crmcore dedupe``: find the contacts (or accounts) of a file that are one, and merge them.

Each row is read and cleaned as ``crmcore clean`` does (same options), then the records go
through :class:`~crmcore.dedup.ContactMatcher` (or :class:`~crmcore.dedup.AccountMatcher`):
blocking, a model fitted to them (or loaded with ``--use-model``), scoring, clustering. The
clusters go out as JSON Lines, each with the explained pairs that hold it together;
``--golden`` writes each merged record with its provenance and history, ``--review`` the pairs
left for a person to decide, ``--model`` the fitted model. stderr gets counts only.

The dedup stages need the ``dedup`` extra; they are imported when the command runs, so the
rest of the command line works without it. ``--jobs`` runs the cleaning of the rows, then
the blocking rules and the comparisons, on that many processes: the same clusters, sooner.
"""

from __future__ import annotations

import argparse
from typing import IO, Any

from crmcore.cli._io import JsonLinesWriter, open_output
from crmcore.cli._jobs import RowWork, add_job_options
from crmcore.cli._options import Reading, UsageError, add_reading_options
from crmcore.cli._rejects import RunLog, add_output_options, optional_output, without_empty
from crmcore.cli._run import Opened, RowsRun, run_rows
from crmcore.cli._shown import shown_problem
from crmcore.cli.clean import _context as cleaning_context
from crmcore.errors import CRMError, Problem
from crmcore.records import Account, Contact, Record

__all__ = ["add_parser", "run"]

_TYPES = (Contact, Account)
_OPTION_OF = {
    "match_threshold": "--threshold",
    "review_threshold": "--review-threshold",
    "jobs": "--jobs",
}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``dedupe`` command to the sub-parsers of ``crmcore``."""
    parser = commands.add_parser(
        "dedupe",
        help="find and merge the duplicate contacts or accounts of a CSV or JSON Lines file",
        description=(
            "Read CSV or JSON Lines contacts or accounts, clean each row as 'crmcore clean' "
            "does, and find the records that are one person or organisation: candidate pairs "
            "by blocking, a model fitted to the records with no labels (or --use-model), "
            "match probabilities, clusters. Write each cluster as a JSON line with the "
            "explained pairs that hold it together (comparison levels and weights, never a "
            "value); the golden record of each cluster with --golden, the pairs left to a "
            "person with --review, the model with --model. stderr gets counts only. Exit "
            "code: 0 if every row went through, 1 if a row could not be cleaned or repeats "
            "an id (it is left out), 2 on a usage error or an unreadable input, 3 when "
            "--max-errors stopped the run (nothing is deduplicated then)."
        ),
    )
    add_reading_options(
        parser, ignore_extra="ignore unmapped CSV columns (unknown fields go to the quarantine)"
    )
    parser.add_argument(
        "--golden",
        metavar="FILE.jsonl",
        help=(
            "write the golden record of each cluster of two or more to FILE.jsonl, with where "
            "each value came from (provenance), the values not kept (history) and the id map"
        ),
    )
    parser.add_argument(
        "--review",
        metavar="FILE.jsonl",
        help="write the pairs left for a person to decide, explained, to FILE.jsonl",
    )
    parser.add_argument(
        "--model", metavar="FILE.json", help="write the fitted model (JSON) to FILE.json"
    )
    parser.add_argument(
        "--use-model",
        metavar="FILE.json",
        help="score with the model in FILE.json (written by --model) instead of fitting one",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.9,
        metavar="P",
        help="the match probability at which two records are one (default 0.9)",
    )
    parser.add_argument(
        "--review-threshold",
        type=float,
        default=0.5,
        metavar="P",
        help="pairs from this probability up to --threshold go to review (default 0.5)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="N", help="the seed of the fit (default 0)"
    )
    parser.add_argument(
        "--duplicates-only",
        action="store_true",
        help="write only the clusters of two records or more (default: every cluster)",
    )
    add_output_options(parser)
    add_job_options(parser)
    parser.set_defaults(run=run)


def _reading(run: RowsRun) -> Reading:
    args = run.args
    reading = run.read(golden=args.golden, review=args.review, model=args.model)
    if reading.record_type not in _TYPES:
        raise UsageError("dedupe works on contacts and accounts: give --type contact or account")
    named = [path for path in (args.output, args.golden, args.review, args.model) if path]
    files = [path for path in named if path != "-"]
    if len(set(files)) != len(files) or named.count("-") > 1:
        raise UsageError("--output, --golden, --review and --model must be different files")
    return reading


def _matcher(args: argparse.Namespace, record_type: type[Any]) -> Any:
    from crmcore.dedup import AccountMatcher, ContactMatcher, MatchModel

    kind = ContactMatcher if record_type is Contact else AccountMatcher
    model = None
    if args.use_model:
        try:
            with open(args.use_model, encoding="utf-8") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError):
            raise UsageError("--use-model: cannot read the file") from None
        try:
            model = MatchModel.from_json(text)
        except CRMError as exc:
            raise UsageError(f"--use-model: {exc}") from None
    try:
        return kind(
            match_threshold=args.threshold,
            review_threshold=args.review_threshold,
            seed=args.seed,
            model=model,
            jobs=getattr(args, "jobs", 1),
        )
    except CRMError as exc:
        field = getattr(exc, "field", None)
        option = _OPTION_OF.get(field or "", "--use-model" if model is not None else "--seed")
        reason = getattr(exc, "reason", None) or str(exc)
        raise UsageError(f"{option}: {reason}") from None


def _read_records(run: RowsRun, opened: Opened, ctx: Any) -> list[Record]:
    """Clean every row into a record; reject (and count) what cannot be, or repeats an id."""
    records: list[Record] = []
    seen: dict[str, int] = {}
    log = opened.log
    for row, (done, problems) in run.each(opened, RowWork.clean_records(opened.plan, ctx)):
        if done is not None:
            record = done
            first = seen.setdefault(record.id, row.line)
            if first == row.line:
                records.append(record)
                continue
            problems = (Problem("id", f"repeats the id of line {first}", "id.repeated"),)
        log.reject(row, problems)
        if not run.quiet:
            for problem in problems:
                shown = shown_problem(opened.plan.record_type, problem)
                opened.progress.print(f"line {row.line}: {shown}")
        if log.stopped:
            break
    return records


def _write(result: Any, args: argparse.Namespace, out: IO[str]) -> int:
    """Write the clusters, the golden records, the review queue and the model; return the
    number of clusters written."""
    writer = JsonLinesWriter(out)
    for explained in result.explain_clusters(singletons=not args.duplicates_only):
        writer.write(explained)
    with optional_output(args.golden) as golden_out:
        if golden_out is not None:
            golden = JsonLinesWriter(golden_out)
            for cluster, merged in zip(result.duplicates, result.merge(), strict=True):
                data = merged.to_dict()
                if not args.keep_empty:
                    data["golden"] = without_empty(data["golden"])
                golden.write({"cluster": cluster.id, **data})
    with optional_output(args.review) as review_out:
        if review_out is not None:
            review = JsonLinesWriter(review_out)
            for item in result.review:
                review.write(item.to_dict())
    with optional_output(args.model) as model_out:
        if model_out is not None:
            model_out.write(result.model.to_json() + "\n")
    return writer.count


def _counts(result: Any) -> dict[str, Any]:
    duplicates = result.duplicates
    return {
        "records": len(result.records),
        "candidate_pairs": len(result.pairs),
        "pairs_at_threshold": _at_or_above(result.pairs, result.match_threshold),
        "clusters": len(result.clusters.clusters),
        "clusters_with_duplicates": len(duplicates),
        "records_in_duplicates": sum(len(c.members) for c in duplicates),
        "singletons": len(result.clusters.clusters) - len(duplicates),
        "review": len(result.review),
        "match_threshold": result.match_threshold,
        "review_threshold": result.review_threshold,
    }


def _at_or_above(pairs: Any, threshold: float) -> int:
    """The pairs scored at ``threshold`` or above, counted as ``edges`` reads them (a block
    at a time): reading ``probabilities`` would make, and keep, arrays of every pair."""
    return sum(1 for _ in pairs.edges(threshold))


def _lines(name: str, log: RunLog, counts: dict[str, Any], loaded: bool) -> list[str]:
    cleaned = log.read - log.rejected
    return [
        f"crmcore dedupe: {cleaned:,} of {log.read:,} {name} rows cleaned, "
        f"{log.rejected:,} left out",
        f"  candidate pairs {counts['candidate_pairs']:,}, at {counts['match_threshold']:g} "
        f"or above {counts['pairs_at_threshold']:,}, for review {counts['review']:,}",
        f"  clusters {counts['clusters']:,}: {counts['clusters_with_duplicates']:,} of two "
        f"records or more, holding {counts['records_in_duplicates']:,} records; "
        f"{counts['singletons']:,} alone",
        "  model: " + ("loaded with --use-model" if loaded else "fitted to these records"),
    ]


def run(args: argparse.Namespace) -> int:
    """Run ``crmcore dedupe`` with parsed arguments; return the exit code."""
    return run_rows("dedupe", args, _dedupe)


def _dedupe(run: RowsRun) -> int:
    args = run.args
    counts: dict[str, Any] = {}
    reading = _reading(run)
    matcher = _matcher(args, reading.record_type)
    ctx = cleaning_context(reading)
    with run.rows(reading) as opened:
        records = _read_records(run, opened, ctx)
    log = opened.log
    if not log.stopped:
        try:
            result = matcher.dedupe(records)
        except CRMError as exc:  # a model for other comparisons, say: named, no value
            raise UsageError(f"cannot deduplicate: {exc}") from None
        counts = _counts(result)
        with open_output(args.output) as out:
            counts["clusters_written"] = _write(result, args, out)
            out.flush()
        log.written = len(records)
    run.summary(log, counts)
    if counts and not run.quiet:
        name = reading.record_type.__name__.lower()
        for line in _lines(name, log, counts, matcher.model is not None):
            print(line, file=run.err)
    run.said_stopped(log)
    return run.exit_code(log, failed=bool(log.rejected))
