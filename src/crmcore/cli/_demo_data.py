"""Write the demo data set shipped in ``crmcore/data/demo`` (a maintainer's command).

``python -m crmcore.cli._demo_data --out src/crmcore/data/demo`` rebuilds it from the fixed
seed and ``as_of`` below; the files are committed, so users never run this. The writer lives
here, in the command line, because :mod:`crmcore.testing` never imports the CLI.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TypedDict

from crmcore.cli._io import JsonLinesWriter
from crmcore.cli.demo import DEMO_FILES, DUPLICATES_FILE, MANIFEST_FILE
from crmcore.records import Account, Activity, Contact, Deal
from crmcore.testing.synthetic import Dataset, messy_dataset

__all__ = ["DEMO_AS_OF", "DEMO_COUNTS", "DEMO_SEED", "FILES", "main", "write_dataset"]

DEMO_SEED = 2026
"""The seed of the shipped demo data set."""

DEMO_AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)
"""The instant the shipped demo data set was made for."""

FILES = {
    "contacts": DEMO_FILES[Contact],
    "accounts": DEMO_FILES[Account],
    "deals": DEMO_FILES[Deal],
    "activities": DEMO_FILES[Activity],
}
"""The JSON Lines file of each record type, by :class:`Dataset` attribute."""


class Counts(TypedDict):
    """The number of rows of each record type."""

    contacts: int
    accounts: int
    deals: int
    activities: int


DEMO_COUNTS: Counts = {"contacts": 240, "accounts": 40, "deals": 100, "activities": 300}
"""How many rows of each record type the shipped demo data set has."""


def write_dataset(dataset: Dataset, directory: Path) -> None:
    """Write ``dataset`` into ``directory``: one JSON Lines file per record type, the known
    duplicate groups, and a manifest holding ``as_of``."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for attribute, name in FILES.items():
        rows = getattr(dataset, attribute)
        with (directory / name).open("w", encoding="utf-8", newline="\n") as stream:
            writer = JsonLinesWriter(stream)
            for row in rows:
                writer.write(row)
        counts[attribute] = len(rows)
    groups = ",\n".join(f"  {json.dumps(list(group))}" for group in dataset.known_duplicates)
    (directory / DUPLICATES_FILE).write_text(
        f"[\n{groups}\n]\n" if groups else "[]\n", encoding="utf-8", newline="\n"
    )
    manifest = {"as_of": dataset.as_of.isoformat(), "rows": counts}
    (directory / MANIFEST_FILE).write_text(
        json.dumps(manifest, indent=2) + "\n", encoding="utf-8", newline="\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build the demo data set and write it where ``--out`` says."""
    parser = argparse.ArgumentParser(description="Write the crmcore demo data set.")
    parser.add_argument("--out", required=True, type=Path, help="the directory to write into")
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    args = parser.parse_args(argv)
    write_dataset(messy_dataset(args.seed, DEMO_AS_OF, **DEMO_COUNTS), args.out)
    return 0


if __name__ == "__main__":  # a maintainer's entry point: writes the bundled demo data set
    raise SystemExit(main())
