"""Time ``crmcore clean`` and ``crmcore validate`` with ``--jobs 2`` against ``--jobs 1``.

The commands run as users run them: ``python -m crmcore`` in a child process, on the same
JSON Lines file of messy contacts (the quality benchmark's generator), output to a file. The
two settings alternate within each round so they share the machine's noise; the result is the
median wall-clock time of each and the ratio of the medians (speed-up), with the per-round
ratios. Both runs must write the very same output, which is checked.

On a shared machine the wall clock says little: the CPU time of each run is recorded too,
the command's own (the parent process: reading, writing, handing out chunks) and its workers'.
From them, ``cpu_bound_speed_up`` is what the wall clock would show with the cores free: the
CPU time of ``--jobs 1`` over that of the busiest of the ``N + 1`` processes sharing ``N``
cores (at least the parent's, at least the total over ``N``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import load_average, log, machine
from _messy import make_messy

COMMANDS = {
    "clean": ["clean", "--type", "contact", "--default-region", "GB", "--dayfirst"],
    "validate": ["validate", "--type", "contact", "--default-region", "GB", "--dayfirst"],
}
AS_OF = ["--as-of", "2025-06-01T00:00:00Z"]


# ``python -m crmcore``, reporting its own CPU time (without its workers') on its last line.
_COMMAND = (
    "import sys, time; from crmcore.cli import main; code = main(sys.argv[1:]); "
    "print(f'parent-cpu {time.process_time()}', file=sys.stderr); sys.exit(code)"
)


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(command: list[str], source: Path, output: Path, jobs: int) -> dict[str, Any]:
    argv = [sys.executable, "-c", _COMMAND, command[0], str(source), *command[1:], *AS_OF]
    argv += ["--output", str(output), "--no-progress", "--jobs", str(jobs)]
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(argv, check=False, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    total = _children_cpu() - cpu
    tail = done.stderr.strip().rsplit("\n", 1)[-1]
    parent = float(tail.split()[1]) if tail.startswith("parent-cpu ") else total
    return {
        "wall": wall,
        "cpu": total,
        "parent_cpu": parent,
        "digest": hashlib.sha256(output.read_bytes()).hexdigest(),
    }


def _summary(runs: dict[int, list[dict[str, Any]]], jobs: int) -> dict[str, Any]:
    def median(n: int, key: str) -> float:
        return statistics.median(run[key] for run in runs[n])

    one, many = median(1, "wall"), median(jobs, "wall")
    one_cpu, many_cpu, parent = median(1, "cpu"), median(jobs, "cpu"), median(jobs, "parent_cpu")
    busiest = max(parent, many_cpu / jobs)
    return {
        "median_jobs_1": round(one, 2),
        f"median_jobs_{jobs}": round(many, 2),
        "speed_up": round(one / many, 2),
        "per_round": [
            round(a["wall"] / b["wall"], 2) for a, b in zip(runs[1], runs[jobs], strict=True)
        ],
        "cpu_jobs_1": round(one_cpu, 2),
        f"cpu_jobs_{jobs}": round(many_cpu, 2),
        f"parent_cpu_jobs_{jobs}": round(parent, 2),
        "cpu_bound_speed_up": round(one_cpu / busiest, 2),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="messy rows (100,000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (3)")
    parser.add_argument("--jobs", type=int, default=2, help="jobs to compare with 1 (2)")
    parser.add_argument("--commands", nargs="+", default=list(COMMANDS), choices=list(COMMANDS))
    parser.add_argument("--json", metavar="FILE", help="write the result as JSON to FILE")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {
        "rows": args.rows,
        "rounds": args.rounds,
        "jobs": args.jobs,
        "machine": machine(),
        "load_before": load_average(),
        "commands": {},
    }
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "messy.jsonl"
        log(f"writing {args.rows:,} messy rows")
        with source.open("w", encoding="utf-8") as out:
            for row in make_messy(args.rows).rows:
                out.write(json.dumps(row) + "\n")
        for name in args.commands:
            command = COMMANDS[name]
            runs: dict[int, list[dict[str, Any]]] = {1: [], args.jobs: []}
            for round_number in range(args.rounds):
                digests = set()
                for jobs in (1, args.jobs) if round_number % 2 == 0 else (args.jobs, 1):
                    run = _run(command, source, Path(folder) / f"out-{jobs}", jobs)
                    runs[jobs].append(run)
                    digests.add(run["digest"])
                    log(
                        f"{name} --jobs {jobs}: {run['wall']:.2f} s (cpu {run['cpu']:.2f} s, "
                        f"parent {run['parent_cpu']:.2f} s), load {load_average()}"
                    )
                if len(digests) != 1:
                    raise SystemExit(f"{name}: --jobs {args.jobs} wrote another output")
            result["commands"][name] = _summary(runs, args.jobs)
            log(f"{name}: {result['commands'][name]}")
    result["load_after"] = load_average()
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
