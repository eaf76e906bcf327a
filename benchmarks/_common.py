"""What the benchmark scripts share: progress output, the machine and versions, profile tables."""

from __future__ import annotations

import cProfile
import gc
import os
import platform
import pstats
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "cpu_model",
    "load_average",
    "log",
    "machine",
    "profile_summary",
    "run_timed",
    "run_traced",
    "short_location",
    "versions",
]


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
