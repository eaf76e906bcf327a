"""Accuracy of dedup scoring on generated contacts: precision, recall and F1 of scored pairs.

Builds ``messy_dataset(seed, ..., contacts=N, difficulty=D)``, cleans its rows with
``clean_raw``, blocks them with the default rules, fits a model without labels and counts the
pairs scored at ``--threshold`` or above against the data set's labelled duplicate pairs.
Runs with and without term-frequency adjustment (``--tf both``, the default) so that both
figures come from the same records and pairs. Prints one Markdown table row per run, with the
recall of the pairs of each kind the issue names (nickname, swapped names, date swap), and,
per kind, the hard negatives found (relatives, twins, namesakes); then, per kind, how many of
its pairs were missed because no blocking rule paired them and how many were paired but scored
below the threshold. With ``--misses``, one row per missed pair of those kinds: the rules that
paired it and the level of each comparison (no value of the records, only ids and levels).
With ``--patterns``, whether the model could have told the missed pairs apart: the share of
true pairs among the candidate pairs in each band of probability (calibration), and, per
kind, the level pattern of each missed candidate pair with how many true pairs and how many
strangers share it among the candidate pairs.
With ``--cases DIR``, the records and labels are the case ``bench_dedup.py --cache DIR`` keeps
(made by it when missing; hard negatives are then not told apart by kind).

    python benchmarks/bench_dedup_accuracy.py --contacts 5000 --difficulty default
    python benchmarks/bench_dedup_accuracy.py --contacts 20000 --difficulty medium --tf on
    python benchmarks/bench_dedup_accuracy.py --contacts 10000 --difficulty hard --tf off --misses
    python benchmarks/bench_dedup_accuracy.py --contacts 100000 --difficulty medium --tf on \
        --cases DIR --misses
    python benchmarks/bench_dedup_accuracy.py --contacts 10000 --difficulty hard --tf on \
        --cases DIR --patterns
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from _dedup_data import cached, sources_digest
from crmcore import Contact
from crmcore.cleaning import clean_raw
from crmcore.dedup import block, fit, score_pairs
from crmcore.testing.synthetic import messy_dataset


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _records(contacts: int, difficulty: str | None, seed: int, cache: Path | None) -> Any:
    path = None
    if cache is not None:
        # the digest of the code that makes the records: a change to cleaning makes new ones
        name = f"messy-{seed}-{contacts}-{difficulty or 'default'}-{sources_digest()}.pickle"
        path = cache / name
        if path.exists():
            with path.open("rb") as handle:
                return pickle.load(handle)
    data = messy_dataset(
        seed,
        datetime(2026, 11, 1, tzinfo=timezone.utc),
        contacts=contacts,
        accounts=max(10, contacts // 50),
        deals=0,
        activities=0,
        difficulty=difficulty,
    )
    records = [r for r in (clean_raw(Contact, row).record for row in data.contacts) if r]
    found = (records, data.duplicate_pairs, data.hard_negatives)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            pickle.dump(found, handle)
    return found


def _row(label: str, found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> str:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return f"{label} | {len(found):,} | {precision:.3f} | {recall:.3f} | {f1:.3f} |"


SUBSETS = ("nickname", "swapped_names", "date_swap")


def _pair(left: str, right: str) -> tuple[str, str]:
    return (left, right) if left < right else (right, left)


def _by_kind(pairs: Any, kinds: tuple[str, ...]) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {kind: set() for kind in kinds}
    for pair in pairs:
        for kind in pair.kinds:
            found.setdefault(kind, set()).add(_pair(pair.left, pair.right))
    return found


def _recall(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> str:
    if not truth:
        return "-"
    return f"{len(found & truth) / len(truth):.3f} ({len(found & truth)}/{len(truth)})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--difficulty", default="default")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--tf", choices=("on", "off", "both"), default="both")
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep records in")
    parser.add_argument(
        "--cases", type=Path, default=None, help="read the case bench_dedup.py keeps in DIR"
    )
    parser.add_argument(
        "--misses", action="store_true", help="also list each missed pair: rules and levels"
    )
    parser.add_argument(
        "--patterns",
        action="store_true",
        help="also the calibration, and the level patterns of the missed candidate pairs with "
        "the true pairs and strangers that share them",
    )
    args = parser.parse_args(argv)
    difficulty = None if args.difficulty == "default" else args.difficulty
    started = time.perf_counter()
    if args.cases is not None:
        case = cached(args.cases, args.contacts, args.difficulty, args.seed, 2)
        records = case.records
        truth = {_pair(a, b) for group in case.labels.groups for a in group for b in group if a < b}
        hard = {_pair(a, b) for a, b in case.labels.hard_negatives}
        subsets = {
            kind: {_pair(a, b) for a, b in case.labels.subsets.get(kind, ())} for kind in SUBSETS
        }
        look_alikes: dict[str, set[tuple[str, str]]] = {}
    else:
        records, duplicates, negatives = _records(args.contacts, difficulty, args.seed, args.cache)
        truth = {_pair(p.left, p.right) for p in duplicates}
        hard = {_pair(p.left, p.right) for p in negatives}
        subsets = _by_kind(duplicates, SUBSETS)
        look_alikes = _by_kind(negatives, ())
    _log(
        f"{len(records)} records, {len(truth)} duplicate pairs "
        f"({time.perf_counter() - started:.0f} s)"
    )
    pairs = block(records)
    _log(f"{len(pairs.pairs):,} candidate pairs ({time.perf_counter() - started:.0f} s)")
    print(
        "| contacts | difficulty | TF | candidate pairs | pairs found | precision | recall "
        "| F1 | hard negatives found | recall, nickname | recall, swapped names "
        "| recall, date swap | hard negatives found, by kind |"
    )
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    candidates = {_pair(p.left, p.right) for p in pairs.pairs}
    # The rules of every candidate pair, only when each miss is listed: a dict of every pair.
    rules = {_pair(p.left, p.right): p.rules for p in pairs.pairs} if args.misses else {}
    misses: list[str] = []
    each_miss: list[str] = []
    patterns: list[str] = []
    for tf in ("off", "on") if args.tf == "both" else (args.tf,):
        model = fit(records, pairs, seed=0, term_frequencies=tf == "on")
        scored = score_pairs(model, records, pairs)
        found = {(left, right) for left, right, _ in scored.edges(args.threshold)}
        _log(f"TF {tf}: prior {model.prior:.3g} ({time.perf_counter() - started:.0f} s)")
        print(
            f"| {args.contacts:,} | {args.difficulty} | {tf} | {len(pairs.pairs):,} | "
            + _row("", found, truth)[3:]
            + f" {len(found & hard)} of {len(hard)} | "
            + " | ".join(_recall(found, subsets[kind]) for kind in SUBSETS)
            + " | "
            + ", ".join(
                f"{kind} {len(found & pairs)} of {len(pairs)}"
                for kind, pairs in sorted(look_alikes.items())
            )
            + " |"
        )
        for kind in SUBSETS:
            missed = subsets[kind] - found
            unblocked = missed - candidates
            misses.append(
                f"| {tf} | {kind} | {len(subsets[kind])} | {len(missed)} | {len(unblocked)} "
                f"| {len(missed) - len(unblocked)} |"
            )
            if args.misses:
                each_miss += [_miss_row(tf, kind, pair, rules, scored) for pair in sorted(missed)]
        if args.patterns:
            patterns.append(_patterns(tf, scored, truth, subsets, found, args.threshold))
    # Why the pairs of each kind were missed: no blocking rule paired them, or they were
    # paired and scored below the threshold (see the explanations for which comparison).
    print()
    print("| TF | kind | pairs | missed | missed, no rule paired them | missed, scored below |")
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(misses))
    if each_miss:
        print()
        print("| TF | kind | pair | rules that paired it | probability | levels |")
        print("|---|---|---|---|---:|---|")
        print("\n".join(each_miss))
    for table in patterns:
        print()
        print(table)


BANDS = (0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0)


def _patterns(
    tf: str,
    scored: Any,
    truth: set[tuple[str, str]],
    subsets: dict[str, set[tuple[str, str]]],
    found: set[tuple[str, str]],
    threshold: float,
) -> str:
    """The calibration of the scored candidate pairs, and the level pattern of each missed
    candidate pair of the subsets with the true pairs and strangers sharing it (no values)."""
    ids, left, right, chances = scored.positions_at(0.0)
    if not ids:
        return f"TF {tf}: the scored pairs are not kept as positions; no patterns"
    width = len(ids)
    at = {record_id: i for i, record_id in enumerate(ids)}
    keys = left.astype(np.int64) * width + right
    order = np.argsort(keys)

    def rows_of(pairs: set[tuple[str, str]]) -> Any:
        """The rows of the candidate pairs among ``pairs``."""
        wanted = np.array(
            sorted(at[a] * width + at[b] for a, b in pairs if a in at and b in at),
            dtype=np.int64,
        )
        if not len(keys) or not len(wanted):
            return np.zeros(0, dtype=np.int64)
        place = np.searchsorted(keys, wanted, sorter=order).clip(0, len(keys) - 1)
        rows = order[place]
        return rows[keys[rows] == wanted]

    true = np.zeros(len(keys), dtype=np.bool_)
    true[rows_of(truth)] = True
    lines = [f"TF {tf}: true pairs among the candidate pairs, by band of probability", ""]
    lines += ["| probability | candidate pairs | true | share true | mean probability |"]
    lines += ["|---|---:|---:|---:|---:|"]
    for low, high in itertools.pairwise(BANDS):
        band = (chances >= low) & ((chances < high) if high < 1.0 else (chances <= high))
        if band.any():
            lines.append(
                f"| {low:.2f} to {high:.2f} | {int(band.sum()):,} | {int(true[band].sum()):,} "
                f"| {float(true[band].mean()):.3f} | {float(chances[band].mean()):.3f} |"
            )
    levels = np.asarray(scored.levels, dtype=np.int64)
    _, pattern = np.unique(levels, axis=0, return_inverse=True)
    pattern = pattern.reshape(-1)
    trues = np.bincount(pattern[true])
    strangers = np.bincount(pattern[~true])
    model = scored.model
    for kind, pairs in subsets.items():
        rows = rows_of(pairs - found)
        if not len(rows):
            continue
        lines += ["", f"TF {tf}, {kind}: missed candidate pairs by level pattern", ""]
        lines += [
            "| missed | probability | true pairs with the pattern | strangers with it "
            "| strangers with it at the threshold | pattern |"
        ]
        lines += ["|---:|---|---:|---:|---:|---|"]
        shown = np.unique(pattern[rows], return_counts=True)
        for code, count in sorted(zip(*shown, strict=True), key=lambda x: (-x[1], x[0])):
            mine = rows[pattern[rows] == code]
            low, high = float(chances[mine].min()), float(chances[mine].max())
            others = (pattern == code) & ~true
            named = ", ".join(
                f"{c.name.removeprefix('crmcore.')} {c.levels[level]}"
                for c, level in zip(model.comparisons, levels[mine[0]], strict=True)
                if c.levels[level] != "null"
            )
            spread = f"{low:.3f}" if high - low < 0.0005 else f"{low:.3f} to {high:.3f}"
            lines.append(
                f"| {count} | {spread} | {int(trues[code]) if code < len(trues) else 0} "
                f"| {int(strangers[code]) if code < len(strangers) else 0} "
                f"| {int((others & (chances >= threshold)).sum())} | {named} |"
            )
    return "\n".join(lines)


def _miss_row(
    tf: str, kind: str, pair: tuple[str, str], rules: dict[tuple[str, str], Any], scored: Any
) -> str:
    """One missed pair: its ids, the rules that paired it, its probability and levels."""
    found = rules.get(pair)
    if found is None:
        return f"| {tf} | {kind} | {pair[0]} {pair[1]} | none | - | - |"
    why = scored.explain_pair(*pair)
    levels = ", ".join(
        f"{name.removeprefix('crmcore.')} {c['level']}"
        for name, c in why["comparisons"].items()
        if c["level"] != "null"
    )
    named = ", ".join(rule.removeprefix("crmcore.") for rule in found)
    return (
        f"| {tf} | {kind} | {pair[0]} {pair[1]} | {named} | {why['probability']:.3f} | {levels} |"
    )


if __name__ == "__main__":
    main()
