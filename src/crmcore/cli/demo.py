"""``crmcore demo``: convert the bundled messy data set and summarise what came out.

The summary is a sequence of *sections*: plain functions that take the loaded
:class:`DemoData` and return lines of text. :func:`default_sections` lists them in order: the
conversion, the fill rates and the contents, deduplication (in :mod:`crmcore.cli._demo_dedup`),
then data quality (validation) and cleaning (in :mod:`crmcore.cli._demo_quality`) and privacy.
Output is deterministic: everything that could come in any order is sorted. It never shows a
personal value: failures name a line, a path and a reason; summaries count.
"""

from __future__ import annotations

import argparse
import collections
import sys
from collections.abc import Callable, Iterable, Sequence, Sized
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from crmcore.cli import _text
from crmcore.cli._demo_dedup import dedup_section
from crmcore.cli._demo_model import Converted, DemoData
from crmcore.cli._demo_privacy import privacy_section
from crmcore.cli._demo_quality import cleaning_section, quality_section
from crmcore.cli._io import package_json, package_rows
from crmcore.convert import Converter
from crmcore.errors import ConversionError, Problem
from crmcore.records import Account, Activity, Category, Contact, Deal, Record, fields

__all__ = [
    "DEMO_DIRECTORY",
    "DEMO_FILES",
    "Converted",
    "DemoData",
    "Section",
    "add_parser",
    "default_sections",
    "demo_converter",
    "is_filled",
    "load_demo",
    "render",
    "run",
]

R = TypeVar("R", bound=Record)

DEMO_DIRECTORY = "demo"
"""The folder of :mod:`crmcore.data` that holds the demo data set."""

DEMO_FILES: dict[type[Record], str] = {
    Contact: "contacts.jsonl",
    Account: "accounts.jsonl",
    Deal: "deals.jsonl",
    Activity: "activities.jsonl",
}
"""The JSON Lines file of each record type in the demo data set."""

DUPLICATES_FILE = "known_duplicates.json"
"""The groups of contact ids that are the same person."""

MANIFEST_FILE = "dataset.json"
"""The description of the data set: the instant it was made for (``as_of``) and row counts."""


Section = Callable[[DemoData], list[str]]
"""A part of the demo summary: takes the loaded data, returns its lines (title first)."""


def demo_converter(as_of: datetime) -> Converter:
    """The converter the demo uses: day-first dates, no default region, the data set's as_of."""
    return Converter(default_region=None, dayfirst=True, as_of=as_of)


def _convert(converter: Converter, record_type: type[R]) -> tuple[Converted[R], ...]:
    out: list[Converted[R]] = []
    for row in package_rows(DEMO_DIRECTORY, DEMO_FILES[record_type]):
        if row.data is None:
            out.append(Converted(row.line, None, (Problem("", row.problem or "unreadable"),)))
            continue
        try:
            record = converter.from_dict(record_type, row.data)
        except ConversionError as exc:
            out.append(Converted(row.line, None, exc.problems, row.data))
        else:
            out.append(Converted(row.line, record, data=row.data))
    return tuple(out)


def load_demo(converter: Converter | None = None) -> DemoData:
    """Read and convert the bundled demo data set (with :func:`demo_converter` by default)."""
    manifest = package_json(DEMO_DIRECTORY, MANIFEST_FILE)
    as_of = datetime.fromisoformat(manifest["as_of"])
    converter = converter or demo_converter(as_of)
    groups = package_json(DEMO_DIRECTORY, DUPLICATES_FILE)
    return DemoData(
        as_of=as_of,
        contacts=_convert(converter, Contact),
        accounts=_convert(converter, Account),
        deals=_convert(converter, Deal),
        activities=_convert(converter, Activity),
        known_duplicates=tuple(tuple(str(i) for i in group) for group in groups),
    )


# -- helpers -----------------------------------------------------------------------------------


def _records(rows: Iterable[Converted[R]]) -> list[R]:
    return [row.record for row in rows if row.record is not None]


def is_filled(value: object) -> bool:
    """Whether a field holds information: not ``None``, blank text, empty or all-empty."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, Sized):
        return len(value) > 0
    kind = type(value)
    if attrs.has(kind):
        return any(is_filled(getattr(value, attribute.name)) for attribute in attrs.fields(kind))
    return True


def _value(record: object, path: str) -> object:
    for part in path.split("."):
        record = getattr(record, part)
    return record


def _short_names(paths: Sequence[str], category: Category) -> dict[str, str]:
    """Paths without their facet (``identity.emails`` is ``emails`` under identity), unless
    that would make two alike (``source`` and ``descriptive.source`` stay apart)."""
    prefix = f"{category.value}."
    short = {path: path.removeprefix(prefix) for path in paths}
    seen = collections.Counter(short.values())
    return {path: name if seen[name] == 1 else path for path, name in short.items()}


def _money_totals(amounts: Iterable[Any]) -> str:
    totals: dict[str, Decimal] = {}
    for money in amounts:
        if money is not None:
            totals[money.currency] = totals.get(money.currency, Decimal(0)) + money.amount
    return "; ".join(f"{code} {totals[code]:,.2f}" for code in sorted(totals)) or "-"


# -- sections ----------------------------------------------------------------------------------


def conversion_section(data: DemoData) -> list[str]:
    """Rows converted and failed per record type; each failure by line, path and reason."""
    lines = ["Conversion", f"  {'record type':<12} {'rows':>5} {'converted':>10} {'failed':>7}"]
    failures: list[str] = []
    for record_type, rows in data.tables():
        failed = [row for row in rows if row.record is None]
        name = record_type.__name__.lower()
        lines.append(f"  {name:<12} {len(rows):>5} {len(rows) - len(failed):>10} {len(failed):>7}")
        file = DEMO_FILES[record_type]
        for row in failed:
            failures.extend(f"    {file} line {row.line}: {problem}" for problem in row.problems)
    if failures:
        lines.append("  Rows that did not convert (file, line, path: reason):")
        lines.extend(failures)
    return lines


def fill_rate_section(data: DemoData) -> list[str]:
    """Per record type and category, the share of fields that hold a value, field by field."""
    lines = ["Fill rate of fields, by record type and category (converted records)"]
    for record_type, rows in data.tables():
        records = _records(rows)
        lines.append(f"  {record_type.__name__} ({len(records)} records)")
        for category in Category:
            specs = fields(record_type, category)
            if not specs or not records:
                continue
            filled = {
                spec.path: sum(is_filled(_value(record, spec.path)) for record in records)
                for spec in specs
            }
            overall = _text.percent(sum(filled.values()), len(records) * len(specs))
            names = _short_names(list(filled), category)
            items = [
                f"{names[path]} {_text.percent(count, len(records))}"
                for path, count in filled.items()
            ]
            head = f"    {category.value:<13}{overall:>5}  "
            wrapped = _text.wrap(items, indent=len(head))
            lines.append(head + wrapped[0].lstrip())
            lines.extend(wrapped[1:])
    return lines


def contacts_section(data: DemoData) -> list[str]:
    """Contacts by lifecycle stage and by country (of the first address with one)."""
    contacts = _records(data.contacts)
    stages = _text.counts(
        c.descriptive.lifecycle_stage.value if c.descriptive.lifecycle_stage else "(none)"
        for c in contacts
    )
    countries = _text.counts(
        next((a.country for a in c.identity.addresses if a.country), "(none)") for c in contacts
    )
    return [
        *_text.table("Contacts by lifecycle stage", stages, len(contacts)),
        *_text.table("Contacts by country", countries, len(contacts)),
    ]


def deals_section(data: DemoData) -> list[str]:
    """Deals by pipeline and stage: how many, and their amounts summed per currency."""
    deals = _records(data.deals)
    groups: dict[tuple[str, str], list[Deal]] = {}
    for deal in deals:
        key = (deal.descriptive.pipeline or "(none)", deal.descriptive.stage or "(none)")
        groups.setdefault(key, []).append(deal)
    width = max((len(f"{p} / {s}") for p, s in groups), default=0)
    lines = ["Deals by pipeline and stage (count, amounts per currency)"]
    for pipeline, stage in sorted(groups):
        members = groups[(pipeline, stage)]
        label = f"{pipeline} / {stage}"
        amounts = _money_totals(d.quantitative.amount for d in members)
        lines.append(f"  {label:<{width}}  {len(members):>4}  {amounts}")
    lines.append(
        f"  {'all deals':<{width}}  {len(deals):>4}  "
        f"{_money_totals(d.quantitative.amount for d in deals)}"
    )
    return lines


def activities_section(data: DemoData) -> list[str]:
    """Activities by kind."""
    activities = _records(data.activities)
    kinds = _text.counts(
        a.descriptive.kind.value if a.descriptive.kind else "(none)" for a in activities
    )
    return _text.table("Activities by kind", kinds, len(activities))


def duplicates_section(data: DemoData) -> list[str]:
    """The known duplicate groups of contacts shipped with the data set."""
    rows = sum(len(group) for group in data.known_duplicates)
    return [
        "Known duplicates",
        f"  {len(data.known_duplicates)} groups of contacts that are the same person "
        f"({rows} contact rows)",
    ]


def default_sections() -> tuple[Section, ...]:
    """The sections of ``crmcore demo``, in order."""
    return (
        conversion_section,
        fill_rate_section,
        contacts_section,
        deals_section,
        activities_section,
        duplicates_section,
        dedup_section,
        quality_section,
        cleaning_section,
        privacy_section,
    )


def render(data: DemoData, sections: Sequence[Section] | None = None) -> list[str]:
    """The lines of the demo summary: a heading, then each section after a blank line."""
    lines = [f"crmcore demo: the bundled CRM data set, as of {data.as_of.isoformat()}"]
    for section in sections if sections is not None else default_sections():
        lines.append("")
        lines.extend(section(data))
    return lines


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` command to the sub-parsers of ``crmcore``."""
    parser = commands.add_parser(
        "demo",
        help="convert the bundled messy data set and summarise it",
        description=(
            "Convert the bundled demo data set (messy CRM exports) and print a summary: "
            "rows that did not convert, fill rates, stages, countries, deals, activities, "
            "the duplicate contacts found against the known ones (precision, recall, F1) and "
            "one golden record with its provenance, the data-quality report of validation, "
            "what cleaning repairs, and an access and an erasure request answered for one "
            "subject."
        ),
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``crmcore demo``; return the exit code (0)."""
    del args
    out = sys.stdout
    for line in render(load_demo()):
        out.write(line + "\n")
    return 0
