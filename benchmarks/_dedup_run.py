"""One timed run of one side of the deduplication benchmark, in a process of its own.

``python _dedup_run.py SIDE INPUT OUTPUT THRESHOLD SEED U_PAIRS [GIB SPILL THREADS]`` loads
its input (a pickle of crmcore records, or of the pandas DataFrame for Splink; of two of them
for the linking sides, ``crmcore-link`` and ``splink-link``), runs the side once from that
input to clusters (to links across the two sets), and writes a JSON result: wall and CPU
seconds, the clusters, the candidate pairs, and the process's peak resident memory after
loading and after the run (``VmHWM``, and ``getrusage`` ``ru_maxrss`` beside it: see
:func:`_peak_bytes`), and the largest peak of one of its worker processes
(:func:`_workers_maxrss_bytes`). A process per run starts every run cold (no cache of
crmcore's warm, a new DuckDB connection) and measures DuckDB's memory, which ``tracemalloc``
cannot see. The optional last three arguments give Splink's DuckDB a memory limit in GiB, a
folder to spill to and its threads (:class:`_splink.DuckDBSettings`); without them DuckDB
keeps its own defaults.
"""

from __future__ import annotations

import gc
import json
import pickle
import resource
import sys
import time
from pathlib import Path
from typing import Any


def _maxrss_bytes() -> int:
    """``getrusage`` ``ru_maxrss`` (Linux reports kibibytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak) * (1 if sys.platform == "darwin" else 1024)


def _peak_bytes() -> int:
    """This process's own peak resident memory: ``VmHWM`` where Linux gives it.

    On Linux ``ru_maxrss`` keeps, across ``exec``, the high-water mark of the forked copy of
    the parent: a child of a parent holding 1 GiB reports at least 1 GiB whatever it uses.
    ``VmHWM`` belongs to the memory of the program running, so it starts afresh at ``exec``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return _maxrss_bytes()


def _workers_maxrss_bytes() -> int:
    """The largest peak resident memory of one ended child (a worker of ``jobs``), its pages
    shared with this process counted whole; 0 when none was started."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return int(peak) * (1 if sys.platform == "darwin" else 1024)


def _cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the workers of ``jobs``)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _duckdb_settings(limits: list[str] | None) -> Any:
    """Splink's DuckDB limits from ``GIB SPILL THREADS``; ``None`` (DuckDB's defaults) without."""
    if limits is None:
        return None
    import _splink

    return _splink.DuckDBSettings(float(limits[0]), limits[1], int(limits[2]))


def _out_of_memory(run: Any, *args: Any) -> dict[str, Any]:
    """``run(*args)``, or ``{"failed": reason}`` when DuckDB ran out of memory within its limit.

    Splink raises its own exception from DuckDB's; the reason is the Splink table being made
    (its first line names it) and DuckDB's first line (the block it could not pin, the memory
    used and the limit): names of tables, no value.
    """
    import duckdb

    try:
        result: dict[str, Any] = run(*args)
    except Exception as error:
        cause: BaseException | None = error
        while cause is not None and not isinstance(cause, duckdb.OutOfMemoryException):
            cause = cause.__cause__
        if cause is None:
            raise
        where = str(error).split("\n", 1)[0] if cause is not error else ""
        table = where.split("`")[1] if where.count("`") >= 2 else "-"
        reason = str(cause).strip().splitlines()[0]
        return {"failed": f"DuckDB out of memory making {table}: {reason}"}
    return result


def main(argv: list[str]) -> int:
    side, source, output = argv[0], Path(argv[1]), Path(argv[2])
    threshold, seed, u_pairs = float(argv[3]), int(argv[4]), float(argv[5])
    blocking = argv[6]
    limits = argv[7:10] if len(argv) >= 10 else None
    with source.open("rb") as handle:
        data: Any = pickle.load(handle)
    gc.collect()
    loaded = _peak_bytes()
    cpu = _cpu_seconds()
    start = time.perf_counter()
    if side == "crmcore":
        import _dedup_crmcore

        out = _dedup_crmcore.run(data, threshold, seed)
    elif side == "crmcore-stages":
        import _dedup_crmcore

        out = _dedup_crmcore.run_stages(data, threshold, seed)
    elif side == "splink":
        import _splink

        out = _out_of_memory(
            _splink.run, data, threshold, seed, u_pairs, _duckdb_settings(limits), blocking
        )
    elif side == "crmcore-link":
        import _dedup_crmcore

        out = _dedup_crmcore.link(data, threshold, seed)
    elif side == "splink-link":
        import _splink

        out = _out_of_memory(
            _splink.link, data, threshold, seed, u_pairs, _duckdb_settings(limits), blocking
        )
    else:
        raise SystemExit(f"unknown side: {side}")
    wall = time.perf_counter() - start
    out.update(
        {
            "side": side,
            "wall_seconds": wall,
            "cpu_seconds": _cpu_seconds() - cpu,
            "peak_bytes_loaded": loaded,
            "peak_bytes": _peak_bytes(),
            "maxrss_bytes": _maxrss_bytes(),
            "workers_maxrss_bytes": _workers_maxrss_bytes(),
        }
    )
    output.write_text(json.dumps(out), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
