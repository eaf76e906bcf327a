"""What the benchmark scripts share: progress output, the machine and versions, timed rounds,
the memory pass, options, profile tables and the result file."""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import statistics
import sys
import time
import tracemalloc
from argparse import ArgumentParser
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, TypeVar

__all__ = [
    "Case",
    "case_stats",
    "common_parser",
    "cpu_model",
    "load_average",
    "log",
    "machine",
    "memory_pass",
    "parse_common",
    "print_profile",
    "profile_markdown",
    "profile_summary",
    "profiled",
    "run_rounds",
    "run_timed",
    "run_traced",
    "short_location",
    "timed_case",
    "traced_case",
    "versions",
    "write_result",
]

RESULTS = Path(__file__).resolve().parent / "results"
S = TypeVar("S")
S_contra = TypeVar("S_contra", contravariant=True)


def log(message: str) -> None:
    """Progress goes to standard error; standard output is kept for the Markdown tables."""
    print(message, file=sys.stderr, flush=True)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """The machine and interpreter, described without any path or host name."""
    return {
        "platform": platform.platform(terse=True),
        "system": platform.system(),
        "machine": platform.machine(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
    }


def versions(packages: Iterable[str]) -> dict[str, str]:
    """The installed version of each of ``packages``."""
    found: dict[str, str] = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def short_location(filename: str, line: int, name: str) -> str:
    """A profile entry named by package-relative file, never by a machine path."""
    if filename == "~":
        return name
    parts = Path(filename).parts
    for anchor in ("site-packages", "src", "benchmarks"):
        if anchor in parts:
            parts = parts[len(parts) - parts[::-1].index(anchor) :]
            break
    else:
        parts = parts[-1:]
    return f"{'/'.join(parts)}:{line}({name})"


def _area(filename: str, areas: tuple[tuple[str, str], ...]) -> str:
    if filename == "~":
        return "built-ins (isinstance, str and regex methods, ...)"
    location = Path(filename).as_posix()
    for marker, area in areas:
        if filename.startswith(marker) or f"/{marker}" in location or location.startswith(marker):
            return area
    if "site-packages" in location:
        return "other libraries"
    return "standard library and benchmark"


def profile_summary(
    profiler: cProfile.Profile, areas: tuple[tuple[str, str], ...], top: int = 15
) -> dict[str, Any]:
    """Own time by area (first matching marker of ``areas``) and the top entries."""
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    rows = [
        {
            "function": short_location(*where),
            "calls": entry[1],
            "tottime": entry[2],
            "cumtime": entry[3],
            "tottime_share": entry[2] / total if total else 0.0,
            "cumtime_share": entry[3] / total if total else 0.0,
        }
        for where, entry in raw.items()
    ]
    by_area: dict[str, float] = {}
    for where, entry in raw.items():
        area = _area(where[0], areas)
        by_area[area] = by_area.get(area, 0.0) + entry[2]
    return {
        "total_seconds": total,
        "own_time_by_area": dict(sorted(by_area.items(), key=lambda item: item[1], reverse=True)),
        "by_cumulative": sorted(rows, key=lambda row: row["cumtime"], reverse=True)[:top],
        "by_tottime": sorted(rows, key=lambda row: row["tottime"], reverse=True)[:top],
    }


def run_timed(run: Callable[[], Any], *, collector: bool) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds of ``run()``, and what it returned.

    With ``collector`` false the garbage collector is off while it runs.
    """
    if not collector:
        gc.disable()
    try:
        cpu = time.process_time()
        start = time.perf_counter()
        out = run()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
    finally:
        gc.enable()
    return elapsed, cpu, out


def run_traced(run: Callable[[], Any]) -> tuple[int, int, Any]:
    """Peak and retained bytes allocated by ``run()`` (its result kept), and the result."""
    gc.disable()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        out = run()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        gc.enable()
    return peak - base, current - base, out


# -- running cases, rounds and the memory pass --------------------------------------------------


class Case(Protocol[S_contra]):
    """What a benchmark script times: a run over a whole state, and what to keep of its output."""

    @property
    def run(self) -> Callable[[S_contra], list[Any]]: ...

    @property
    def keep(self) -> Callable[[S_contra, list[Any]], None] | None: ...


def timed_case(
    case: Case[S], state: S, prepare: Callable[[], None], *, collector: bool
) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``case`` over ``state``, after ``prepare()``."""
    prepare()
    elapsed, cpu, out = run_timed(lambda: case.run(state), collector=collector)
    if case.keep is not None:
        case.keep(state, out)
    del out
    return elapsed, cpu


def traced_case(case: Case[S], state: S, prepare: Callable[[], None]) -> tuple[int, int]:
    """Peak and retained bytes allocated by one run of ``case`` (results kept)."""
    prepare()
    peak, retained, out = run_traced(lambda: case.run(state))
    if case.keep is not None:
        case.keep(state, out)
    del out
    return peak, retained


MIN_ROUNDS = 3
TRACEMALLOC_SLOWDOWN = 6.0  # how much slower a run is under tracemalloc, to plan the budget


def run_rounds(
    order: Callable[[int], list[str]],
    run: Callable[[str], tuple[float, float]],
    after_round: Callable[[int], None],
    args: argparse.Namespace,
    began: float,
) -> tuple[dict[str, list[float]], dict[str, list[float]], int]:
    """Up to ``args.repeat`` rounds of every case in ``order(index)``: wall and CPU times, rounds.

    Rounds after the third are skipped when the next one, and the memory pass after it, would
    overrun ``args.budget`` seconds since ``began``.
    """
    keys = order(0)
    wall: dict[str, list[float]] = {key: [] for key in keys}
    cpu: dict[str, list[float]] = {key: [] for key in keys}
    width = max(len(key) for key in keys) + 2
    rounds = 0
    for index in range(args.repeat):
        round_began = time.perf_counter()
        for key in order(index):
            elapsed, used = run(key)
            wall[key].append(elapsed)
            cpu[key].append(used)
            log(
                f"round {index + 1}/{args.repeat}  {key:{width}s} {elapsed:8.2f} s  "
                f"(cpu {used:.2f} s)"
            )
        rounds += 1
        after_round(index)
        per_round = time.perf_counter() - round_began
        memory_pass = per_round * TRACEMALLOC_SLOWDOWN * args.memory_n / args.n
        spent = time.perf_counter() - began
        if (
            args.budget
            and rounds >= MIN_ROUNDS
            and rounds < args.repeat
            and spent + per_round + memory_pass > args.budget
        ):
            log(f"stopping after {rounds} rounds: the next would overrun the {args.budget:.0f} s")
            break
    return wall, cpu, rounds


def memory_pass(
    keys: list[str], trace: Callable[[str], tuple[int, int]], records: int
) -> dict[str, dict[str, Any]]:
    """Peak and retained bytes of each case over ``records`` records (``trace(key)``)."""
    memory: dict[str, dict[str, Any]] = {}
    width = max(len(key) for key in keys) + 2
    for key in keys:
        peak, kept = trace(key)
        memory[key] = {
            "records": records,
            "peak_bytes": peak,
            "retained_bytes": kept,
            "peak_bytes_per_record": peak / records,
        }
        log(f"memory  {key:{width}s} peak {peak / 2**20:8.1f} MiB, kept {kept / 2**20:8.1f} MiB")
    gc.unfreeze()
    gc.collect()
    return memory


# -- arguments, profile output, the result file -------------------------------------------------


def common_parser(
    description: str, unit: str, *, profile_n: int, seed: int, collector: bool = False
) -> ArgumentParser:
    """The options both scripts take (``--profile`` is each script's own).

    ``collector`` is whether the garbage collector is on while timing by default: then
    ``--no-gc`` turns it off, else ``--gc`` turns it on.
    """
    parser = ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=100_000, help=f"{unit} (default 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: n=5000, repeat=3 (overrides both)"
    )
    parser.add_argument(
        "--memory-n",
        type=int,
        default=5_000,
        help=f"{unit} in the tracemalloc pass (default 5000, at most n; 0 skips it)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=450.0,
        help="seconds the whole run should take (default 450): rounds beyond the third are "
        "skipped when the next one would not fit; 0 means no limit",
    )
    if collector:
        parser.add_argument(
            "--no-gc",
            dest="gc",
            action="store_false",
            help="turn the garbage collector off while timing (on by default, as in applications)",
        )
    else:
        parser.add_argument(
            "--gc", action="store_true", help="keep the garbage collector on while timing"
        )
    parser.add_argument(
        "--profile-n",
        type=int,
        default=profile_n,
        help=f"{unit} to profile (default {profile_n})",
    )
    parser.add_argument("--seed", type=int, default=seed, help="data seed")
    parser.add_argument("--output", type=Path, help="JSON result file (default: results/)")
    return parser


def parse_common(parser: ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Parse ``argv``; apply ``--quick`` and keep the sizes within ``--n``."""
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.repeat = 5_000, 3
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be positive")
    args.memory_n = max(0, min(args.memory_n, args.n))
    args.profile_n = min(args.profile_n, args.n)
    return args


def profile_markdown(prof: dict[str, Any], subject: str) -> list[str]:
    """The profile's tables in Markdown: top entries by own time, own time by area."""
    lines = [
        "",
        f"cProfile, {subject} ({prof['total_seconds']:.1f} s under the profiler), top by own time:",
        "",
        "| Function | Calls | Own time (s) | Own % | Cumulative (s) | Cumulative % |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in prof["by_tottime"]:
        lines.append(
            f"| `{row['function']}` | {row['calls']:,} | {row['tottime']:.2f} | "
            f"{row['tottime_share']:.0%} | {row['cumtime']:.2f} | {row['cumtime_share']:.0%} |"
        )
    lines += ["", "| Own time by area | Seconds | Share |", "|---|---:|---:|"]
    for area, seconds in prof["own_time_by_area"].items():
        lines.append(f"| {area} | {seconds:.2f} | {seconds / prof['total_seconds']:.0%} |")
    return lines


def print_profile(prof: dict[str, Any]) -> None:
    """The profile on standard error: own time by area, top entries."""
    log(f"\ncProfile, crmcore {prof['case']}: own time by area")
    for area, seconds in prof["own_time_by_area"].items():
        log(f"{seconds:9.3f} s {seconds / prof['total_seconds']:5.0%}  {area}")
    for key, title in (("by_cumulative", "cumulative"), ("by_tottime", "own time")):
        log(f"\ncProfile, crmcore {prof['case']}: top {len(prof[key])} by {title}")
        log(f"{'calls':>10} {'tottime':>9} {'cumtime':>9}  function")
        for row in prof[key]:
            log(
                f"{row['calls']:>10,} {row['tottime']:>9.3f} {row['cumtime']:>9.3f}  "
                f"{row['function']}"
            )


def write_result(
    result: dict[str, Any], name: str, args: argparse.Namespace, today: str, markdown: str
) -> None:
    """Write the JSON result (``results/<name>-<date>.json`` by default) and print the tables."""
    output = args.output
    if output is None:
        suffix = "" if (args.n, args.repeat) == (100_000, 5) else f"-n{args.n}-r{args.repeat}"
        output = RESULTS / f"{name}-{today}{suffix}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(markdown)
    log(f"\nwrote {output.name}; {result['elapsed_seconds']:.0f} s in all")


def profiled(run: Callable[[], Any]) -> cProfile.Profile:
    """A cProfile of one call of ``run()``, the collector off as in the timed rounds."""
    profiler = cProfile.Profile()
    gc.disable()
    try:
        profiler.enable()
        run()
        profiler.disable()
    finally:
        gc.enable()
    return profiler


def case_stats(label: str, wall: list[float], cpu: list[float], records: int) -> dict[str, Any]:
    """The rounds of one case and their medians, per second and per record."""
    median = statistics.median(wall)
    return {
        "label": label,
        "times": wall,
        "cpu_times": cpu,
        "median": median,
        "cpu_median": statistics.median(cpu),
        "records_per_second": records / median,
        "microseconds_per_record": median / records * 1e6,
    }
