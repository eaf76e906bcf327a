"""Where crmcore's deduplication memory goes: resident memory after each stage of ``dedupe``.

The same contacts as ``bench_dedup.py`` (``messy_dataset``, seeded) are generated and
converted in this process, which records the time and resident memory of each; the records
are then handed, as a pickle, to a fresh process that runs ``ContactMatcher().dedupe``'s
stages one by one, as ``dedupe`` runs them (read, block, compare, fit, score, cluster), and
records after each its resident memory (``VmRSS``, after giving freed heap memory back to
the system), the peak during it (``VmHWM``, reset
before each stage where Linux allows it), the peak of its process tree during it (with
``--jobs`` above 1, the worker processes it forks: the sum of their ``Pss``, sampled by this
process every 0.1 s) and the size of what it made (pairs, vectors). A fresh process starts
with no memory freed and kept by the generator or the conversion.

``python benchmarks/bench_dedup_memory.py --n 100000`` measures the stages at 100,000
contacts; ``--tracemalloc`` also counts what Python objects hold after each stage (slower:
run it at a smaller size); ``--cache FOLDER`` keeps the records between runs (as
``bench_dedup.py``'s); ``--generate-only`` stops after the conversion (to time the
generator at a size).
The JSON result goes to ``results/`` (or ``--output``), a Markdown table to standard output.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import pickle
import re
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

from _common import RESULTS, load_average, log, machine, versions
from _dedup_data import cached, resident_mib

PACKAGES = ("crmcore", "numpy", "rapidfuzz", "jellyfish")


def _status_mib(field: str) -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _trim() -> None:
    """Give freed heap memory back to the system (glibc ``malloc_trim``; nothing elsewhere).

    A stage's large temporary arrays raise glibc's threshold for mapping memory of its own,
    so later arrays come from the heap, whose freed pages stay resident: without a trim,
    "resident after" a stage counts what an earlier stage freed.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak() -> bool:
    """Reset this process's ``VmHWM`` to its ``VmRSS`` (Linux, ``clear_refs`` 5)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def stages(
    source: Path, threshold: float, seed: int, traced: bool, jobs: int, until: str = "cluster"
) -> dict[str, Any]:
    """``dedupe``'s stages one by one on the pickled records; memory after each, up to the
    stage ``until`` (one of :data:`UNTIL`).

    As in ``dedupe``, the comparisons and the fit run inside ``prepared_once`` (each record
    prepared once per comparison for both, the prepared values held until the fit ends).
    With ``traced``, ``tracemalloc`` also counts the bytes Python objects hold after each
    stage (what the stage's results keep alive) and the most held during it (slower).
    """
    from crmcore.dedup import ContactMatcher
    from crmcore.dedup._batch import prepared_once

    if traced:
        tracemalloc.start()

    rows: list[dict[str, Any]] = [{"stage": "start", "rss_mib": resident_mib()}]
    resets = True

    def mark(stage: str, began: float, **sizes: Any) -> None:
        nonlocal resets
        gc.collect()
        _trim()
        rows.append(
            {
                "stage": stage,
                "seconds": time.perf_counter() - began,
                "rss_mib": resident_mib(),
                "peak_mib": _status_mib("VmHWM"),
                **sizes,
            }
        )
        if traced:
            held, most = tracemalloc.get_traced_memory()
            rows[-1].update({"traced_mib": held / 2**20, "traced_peak_mib": most / 2**20})
            tracemalloc.reset_peak()
        resets = _reset_peak() and resets
        log(f"  {stage}: {rows[-1]}")

    began = time.perf_counter()
    with source.open("rb") as handle:
        records = pickle.load(handle)
    mark("records loaded", began, records=len(records))
    matcher = ContactMatcher(match_threshold=threshold, seed=seed, jobs=jobs)
    began = time.perf_counter()
    found = matcher._read(records)
    del records
    mark("read (records checked)", began)
    began = time.perf_counter()
    blocking = matcher._block(found)
    mark("blocking", began, pairs=len(blocking.pairs))
    if until == "block":
        return {"stages": rows, "peak_reset": resets}
    with prepared_once():
        began = time.perf_counter()
        vectors, sample = matcher._compare(found, blocking)
        mark("comparison vectors", began, vectors=len(vectors) if vectors is not None else 0)
        if until == "compare":
            return {"stages": rows, "peak_reset": resets}
        began = time.perf_counter()
        model = matcher._fit(found, blocking, vectors, sample)
    mark("fit", began)
    began = time.perf_counter()
    scored = matcher._score(model, found, blocking, vectors)
    mark("scores", began, scored=len(scored))
    began = time.perf_counter()
    clusters = matcher._cluster([record.id for record in found], scored, (), ())
    mark("clusters", began, clusters=len(clusters), duplicates=len(clusters.duplicates))
    return {"stages": rows, "peak_reset": resets}


_MARK = re.compile(r"^  (?P<stage>[^:{]+): \{")
"""A line the child logs when a stage ends (see :func:`stages`' ``mark``)."""


def _run_sampled(command: list[str]) -> tuple[dict[str, Any], dict[str, float]]:
    """Run the child ``command``; its JSON answer, and the peak memory of its process tree
    during each stage (MiB, sampled every 0.1 s: the sum of the ``Pss`` of the child and of
    the workers it forks, each page shared after ``fork`` split among its sharers, each page
    a worker copied counted once more)."""
    from bench_dedup import _tree_bytes

    peaks: dict[str, float] = {}
    current = [0]
    lock = threading.Lock()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def read_marks() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            sys.stderr.write(line)
            match = _MARK.match(line)
            if match:
                with lock:
                    if current[0]:  # a stage shorter than a sample's interval shows none
                        peaks[match["stage"]] = current[0] / 2**20
                    current[0] = 0

    answer: list[str] = []

    def read_answer() -> None:  # read as it comes: a full pipe would stall the child
        assert process.stdout is not None
        answer.append(process.stdout.read())

    readers = [threading.Thread(target=read, daemon=True) for read in (read_marks, read_answer)]
    for reader in readers:
        reader.start()
    while process.poll() is None:
        seen = _tree_bytes(process.pid)
        with lock:
            current[0] = max(current[0], seen)
        time.sleep(0.1)
    for reader in readers:
        reader.join()
    out = "".join(answer)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    found: dict[str, Any] = json.loads(out)
    return found, peaks


UNTIL = ("block", "compare", "cluster")
"""The stages ``--until`` may name: the run stops after it."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="contacts (100000)")
    parser.add_argument("--difficulty", default="medium", help="messy_dataset preset (medium)")
    parser.add_argument("--seed", type=int, default=2026, help="data and model seed (2026)")
    parser.add_argument("--threshold", type=float, default=0.9, help="match threshold (0.9)")
    parser.add_argument("--convert-jobs", type=int, default=1, help="conversion processes (1)")
    parser.add_argument(
        "--jobs", type=int, default=1, help="ContactMatcher(jobs=): worker processes (1)"
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="stop after generating and converting"
    )
    parser.add_argument("--output", type=Path, help="JSON result file (default: results/)")
    parser.add_argument(
        "--cache",
        type=Path,
        help="folder (outside the repository) keeping the generated records between runs",
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python's allocations (slower)"
    )
    parser.add_argument(
        "--until",
        choices=UNTIL,
        default="cluster",
        help="the last stage run (cluster: every stage; compare: a million contacts' "
        "comparisons measured without the fit, the scores and the clusters)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def markdown(result: dict[str, Any]) -> str:
    """The stages as a table; per candidate pair, what a stage keeps and its peak above its start.

    "Kept" is the resident memory after a stage above that after the records were read,
    "peak above start" the peak during a stage above the resident memory it started from,
    each over the candidate pairs (from blocking on).
    """
    lines = [
        "| Stage | Seconds | Resident after (MiB) | Peak during (MiB) | Tree peak (MiB) "
        "| Kept (B/pair) | Peak above start (B/pair) | Traced after (MiB) | Traced peak (MiB) "
        "| Size |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    skip = {
        "stage",
        "seconds",
        "rss_mib",
        "peak_mib",
        "tree_peak_mib",
        "traced_mib",
        "traced_peak_mib",
    }
    rows = result.get("stages", [])
    pairs = next((row["pairs"] for row in rows if "pairs" in row), 0)
    base = next((row["rss_mib"] for row in rows if row["stage"].startswith("read")), None)
    before = None
    for row in rows:
        sizes = ", ".join(f"{key} {value:,}" for key, value in row.items() if key not in skip)
        seconds = f"{row['seconds']:.1f}" if "seconds" in row else "-"
        peak, tree, held, most = (
            f"{row[key]:,.0f}" if key in row else "-"
            for key in ("peak_mib", "tree_peak_mib", "traced_mib", "traced_peak_mib")
        )
        kept = above = "-"
        if pairs and base is not None and row["stage"] not in ("start", "records loaded"):
            kept = f"{(row['rss_mib'] - base) * 2**20 / pairs:,.0f}"
            if before is not None and "peak_mib" in row:
                above = f"{(row['peak_mib'] - before) * 2**20 / pairs:,.0f}"
        before = row["rss_mib"]
        lines.append(
            f"| {row['stage']} | {seconds} | {row['rss_mib']:,.0f} | {peak} | {tree} | {kept} "
            f"| {above} "
            f"| {held} | {most} | {sizes or '-'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        found = stages(
            args.child, args.threshold, args.seed, args.tracemalloc, args.jobs, args.until
        )
        print(json.dumps(found))
        return 0
    log(f"generating {args.n:,} contacts, {args.difficulty}")
    start_mib = resident_mib()
    case = cached(args.cache, args.n, args.difficulty, args.seed, args.convert_jobs)
    result: dict[str, Any] = {
        "benchmark": "dedup-memory",
        "date": date.today().isoformat(),
        "machine": machine(),
        "versions": versions(PACKAGES),
        "options": {k: str(v) for k, v in vars(args).items() if k != "child"},
        "contacts": args.n,
        "records": len(case.records),
        "generate_seconds": case.generate_seconds,
        "convert_seconds": case.convert_seconds,
        "rss_start_mib": start_mib,
        "rss_after_convert_mib": resident_mib(),
        "peak_generate_convert_mib": _status_mib("VmHWM"),
        "load_average_before": load_average(),
    }
    log(
        f"  converted in {case.convert_seconds:.1f} s; resident "
        f"{result['rss_after_convert_mib']:,.0f} MiB, "
        f"peak {result['peak_generate_convert_mib']:,.0f} MiB"
    )
    if not args.generate_only:
        with tempfile.TemporaryDirectory(prefix="bench-dedup-memory-") as folder:
            source = Path(folder) / "records.pickle"
            with source.open("wb") as handle:
                pickle.dump(case.records, handle, pickle.HIGHEST_PROTOCOL)
            result["pickle_mib"] = source.stat().st_size / 2**20
            del case
            gc.collect()
            command = [sys.executable, __file__, "--child", str(source)]
            command += ["--seed", str(args.seed), "--threshold", str(args.threshold)]
            command += ["--jobs", str(args.jobs), "--until", args.until]
            command += ["--tracemalloc"] if args.tracemalloc else []
            found, tree_peaks = _run_sampled(command)
            result.update(found)
            for row in result.get("stages", []):
                if row["stage"] in tree_peaks:
                    row["tree_peak_mib"] = tree_peaks[row["stage"]]
    result["load_average_after"] = load_average()
    output = args.output or RESULTS / f"dedup-memory-{result['date']}-n{args.n}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
