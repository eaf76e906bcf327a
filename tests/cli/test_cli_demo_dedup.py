"""The deduplication section of ``crmcore demo``: found against known duplicates, one golden
record with its provenance, personal values masked."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

import pytest

import crmcore.cli.demo as demo
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.cli._demo_dedup import dedup_section
from crmcore.cli._demo_quality import quality_section
from crmcore.dedup import ContactMatcher, DedupeResult
from crmcore.records import Contact, fields


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.load_demo()


@pytest.fixture(scope="module")
def section(data: demo.DemoData) -> list[str]:
    return dedup_section(data)


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for group in groups:
        members = sorted(group)
        found.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return found


@pytest.fixture(scope="module")
def expected(data: demo.DemoData) -> DedupeResult:
    ctx = CleaningContext(as_of=data.as_of, default_region=None, dayfirst=True)
    contacts = [clean_raw(Contact, row.data or {}, ctx).record for row in data.contacts]
    return ContactMatcher().dedupe(contacts)


def test_the_section_comes_after_the_known_duplicates_and_before_quality() -> None:
    sections = demo.default_sections()
    index = sections.index(dedup_section)
    assert sections[index - 1] is demo.duplicates_section
    assert sections[index + 1] is quality_section


def test_the_section_is_in_the_demo_output(data: demo.DemoData, section: list[str]) -> None:
    output = "\n".join(demo.render(data))
    assert "\n\n" + "\n".join(section) + "\n\n" in output
    assert section[0].startswith("Deduplication (ContactMatcher")


def test_precision_recall_and_f1_are_those_of_the_clusters_found(
    data: demo.DemoData, section: list[str], expected: DedupeResult
) -> None:
    found = _pairs(c.members for c in expected.duplicates)
    known = _pairs(data.known_duplicates)
    true = len(found & known)
    precision, recall = true / len(found), true / len(known)
    f1 = 2 * precision * recall / (precision + recall)
    assert f"  pairwise precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}" in section
    assert f"({len(known)} pairs): {true} pairs found, {len(found) - true} wrongly" in "\n".join(
        section
    )
    assert recall >= 0.9
    assert precision >= 0.9


def test_the_golden_record_shown_is_the_largest_cluster_with_its_provenance(
    section: list[str], expected: DedupeResult
) -> None:
    duplicates = expected.duplicates
    chosen = min(duplicates, key=lambda c: (-len(c.members), c.id))
    head = next(line for line in section if line.startswith("  The golden record"))
    assert f"cluster {chosen.id} ({len(chosen.members)} contacts)" in head
    merged = expected.merge()[duplicates.index(chosen)]
    rows = section[section.index(head) + 1 : -1]
    assert [row.split()[0] for row in rows] == sorted(merged.provenance)
    for row in rows:
        path, rule = row.split()[:2]
        assert merged.provenance[path].rule == rule
    assert re.fullmatch(rf"    history: {len(merged.history)} value\(s\) not kept .*", section[-1])


def test_personal_fields_are_masked_and_others_shown(section: list[str]) -> None:
    personal = {spec.path: spec.personal for spec in fields(Contact)}
    head = next(i for i, line in enumerate(section) if line.startswith("  The golden record"))
    rows = section[head + 1 : -1]
    assert rows
    for row in rows:
        path = row.split()[0]
        if personal.get(path, True):
            assert row.endswith("<personal>"), path
        else:
            assert not row.endswith("<personal>"), path
    assert any(row.split()[0] == "identity.name" for row in rows)


def test_the_section_says_what_is_missing_without_the_dedup_extra(
    data: demo.DemoData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "crmcore.dedup", None)
    lines = dedup_section(data)
    assert lines[1] == "  needs the dedup extra: pip install 'crmcore[dedup]'"


def test_the_section_is_deterministic(data: demo.DemoData, section: list[str]) -> None:
    assert dedup_section(data) == section
