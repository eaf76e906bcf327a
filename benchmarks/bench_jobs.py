"""Time ``crmcore clean`` and ``crmcore validate`` with ``--jobs 2`` against ``--jobs 1``.

The commands run as users run them: ``python -m crmcore`` in a child process, on the same
JSON Lines file of messy contacts (the quality benchmark's generator), output to a file. The
two settings alternate within each round so they share the machine's noise; the result is the
median wall-clock time of each and the ratio of the medians (speed-up), with the per-round
ratios. Both runs must write the very same output, which is checked.
"""

from __future__ import annotations

import argparse
import hashlib
import json
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


def _run(command: list[str], source: Path, output: Path, jobs: int) -> tuple[float, str]:
    argv = [sys.executable, "-m", "crmcore", command[0], str(source), *command[1:], *AS_OF]
    argv += ["--output", str(output), "--no-progress", "--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(argv, check=False, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    return wall, hashlib.sha256(output.read_bytes()).hexdigest()


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
            times: dict[int, list[float]] = {1: [], args.jobs: []}
            for round_number in range(args.rounds):
                digests = set()
                for jobs in (1, args.jobs) if round_number % 2 == 0 else (args.jobs, 1):
                    wall, digest = _run(command, source, Path(folder) / f"out-{jobs}", jobs)
                    times[jobs].append(wall)
                    digests.add(digest)
                    log(f"{name} --jobs {jobs}: {wall:.2f} s")
                if len(digests) != 1:
                    raise SystemExit(f"{name}: --jobs {args.jobs} wrote another output")
            one = statistics.median(times[1])
            many = statistics.median(times[args.jobs])
            result["commands"][name] = {
                "median_jobs_1": round(one, 2),
                f"median_jobs_{args.jobs}": round(many, 2),
                "speed_up": round(one / many, 2),
                "per_round": [
                    round(a / b, 2) for a, b in zip(times[1], times[args.jobs], strict=True)
                ],
            }
            log(f"{name}: speed-up {one / many:.2f}x")
    result["load_after"] = load_average()
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
