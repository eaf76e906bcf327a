"""A built-in comparator's preparation split into a read of the record and a preparation of
what was read: equal to preparing the record, read in plain values, prepared once per
distinct value read."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dedup.test_dedup_batch import contact_points, records_and_pairs
from tests.dedup.test_dedup_properties import CONTACT_COMPARATORS, near_contacts

from crmcore import Contact, ContactIdentity, EmailAddress, PersonName
from crmcore.dedup import (
    ComparatorError,
    CompareContext,
    Comparisons,
    default_comparisons,
    middle_names,
)
from crmcore.dedup._batch import (
    ReadEvery,
    ReadParts,
    interned,
    involved,
    prepared_reads,
    read_interned,
    read_part,
)
from crmcore.dedup._forked import part_of
from crmcore.dedup._vectors import vectors_at
from crmcore.dedup.comparator import NULL, FieldComparator
from crmcore.testing import strategies as crm_st

CTX = CompareContext()
SPLIT: dict[str, FieldComparator[Any]] = {
    name: CONTACT_COMPARATORS[name]
    for name in (
        "emails",
        "phones",
        "addresses",
        "external_ids",
        "organisation",
        "person_names",
        "given_names",
        "family_names",
        "swapped_names",
        "birth_dates",
    )
}
SPLIT["middle_names"] = middle_names()
_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_contacts = crm_st.contacts() | near_contacts() | contact_points()


def _plain(value: object) -> bool:
    """Whether ``value`` is made of strings, numbers, ``None`` and tuples of them only."""
    if isinstance(value, tuple):
        return all(_plain(item) for item in value)
    return value is None or type(value) in (str, int, float, bool)


def test_the_split_built_in_comparators_say_so_and_the_others_do_not() -> None:
    assert all(comparator.split() for comparator in SPLIT.values())
    assert not CONTACT_COMPARATORS["exact"].split()  # prepared record by record


@_SETTINGS
@given(_contacts)
def test_preparing_what_was_read_is_preparing_the_record(record: Contact) -> None:
    for name, comparator in SPLIT.items():
        read = comparator.read(record, CTX)
        hash(read)
        assert _plain(read), name  # no record, no value object: plain values only
        assert comparator.prepare_read(read, CTX) == comparator.prepare(record, CTX), name


@_SETTINGS
@given(records_and_pairs(_contacts))
def test_what_was_read_prepared_once_per_value_is_the_interned_prepared_values(
    drawn: tuple[list[Any], Any, Any],
) -> None:
    records, left, right = drawn
    for name, comparator in SPLIT.items():
        expected = interned(comparator, records, left, right, CTX)
        read = read_interned(comparator, records, left, right, CTX)
        assert len(read.distinct) == len(set(read.distinct))
        found = prepared_reads(comparator, read, CTX)
        assert found.used == expected.used
        # each record's prepared value the same (None where it has none)
        assert _each(found) == _each(expected), name
        if name != "external_ids":  # unhashable values: numbered by record, not by value
            assert found.codes.tolist() == expected.codes.tolist(), name
            assert found.distinct == expected.distinct, name


def _each(values: Any) -> list[Any]:
    """The prepared value of each record that ``values`` numbers, ``None`` for code -1."""
    return [None if code < 0 else values.distinct[code] for code in values.codes.tolist()]


@_SETTINGS
@given(records_and_pairs(_contacts), st.integers(1, 5), st.booleans())
def test_what_was_read_in_parts_joined_is_what_is_read_at_once(
    drawn: tuple[list[Any], Any, Any], parts: int, every: bool
) -> None:
    records, left, right = drawn
    used = involved(len(records), left, right)
    at = np.arange(len(records), dtype=np.int64) if every else used
    for name, comparator in SPLIT.items():
        expected = read_interned(comparator, records, left, right, CTX, every=every)
        pieces = [
            read_part(comparator, records, at[part_of(len(at), k, parts)], CTX)
            for k in range(parts)
        ]
        found = ReadParts(
            len(records),
            at,
            tuple(codes for codes, _ in pieces),
            tuple(kept for _, kept in pieces),
            len(used),
        ).joined()
        # each value read once, numbered where its first record is: the same values read,
        # so the same prepared values, codes and levels (unhashable prepared values too)
        assert found.distinct == expected.distinct, name
        assert len(found.distinct) == len(set(found.distinct))
        assert found.codes.tolist() == expected.codes.tolist(), name
        assert found.used == expected.used
        joined = prepared_reads(comparator, found, CTX)
        once = prepared_reads(comparator, expected, CTX)
        assert joined.codes.tolist() == once.codes.tolist(), name


@_SETTINGS
@given(records_and_pairs(_contacts), st.booleans())
def test_what_was_read_of_every_record_for_some_is_what_is_read_of_those(
    drawn: tuple[list[Any], Any, Any], every: bool
) -> None:
    records, left, right = drawn
    used = involved(len(records), left, right)
    whole = np.arange(len(records), dtype=np.int64)
    for name, comparator in SPLIT.items():
        expected = read_interned(comparator, records, left, right, CTX, every=every)
        codes, kept = read_part(comparator, records, whole, CTX)  # read ahead, of every record
        found = ReadEvery(whole if every else used, codes, kept, len(used)).joined()
        # the values of the records at those positions only, numbered where their first
        # record is: the same values read, so the same prepared values, codes and levels
        assert found.distinct == expected.distinct, name
        assert found.codes.tolist() == expected.codes.tolist(), name
        assert found.used == expected.used


class _OwnPreparation(type(SPLIT["emails"])):  # type: ignore[misc]
    def prepare(self, record: Any, ctx: CompareContext) -> Any:
        return frozenset({("x@example.com", "x@example.com", ())})


class _FailsPreparingRead(type(SPLIT["emails"])):  # type: ignore[misc]
    def prepare_read(self, read: Any, ctx: CompareContext) -> Any:
        raise KeyError(read)


class _Unsplit(FieldComparator[str]):
    @property
    def levels(self) -> tuple[str, ...]:
        return ("same", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> str | None:
        return record.id[:1]

    def compare_prepared(self, left: str, right: str, ctx: CompareContext) -> str:
        return "same" if left == right else "different"


def _person(record_id: str, email: str) -> Contact:
    identity = ContactIdentity(name=PersonName(given="Ann"), emails=(EmailAddress(email),))
    return Contact(record_id, identity)


def test_a_comparator_preparing_its_own_way_or_without_the_split_is_prepared_per_record() -> None:
    assert not _OwnPreparation().split()
    assert not _Unsplit().split()
    with pytest.raises(NotImplementedError):
        _Unsplit().read(_person("c-1", "a@example.com"), CTX)
    comparisons = Comparisons()
    comparisons.add(Contact, _OwnPreparation(), name="acme.own")
    comparisons.add(Contact, _Unsplit(), name="acme.unsplit")
    records = [_person("a-1", "a@example.com"), _person("b-2", "b@example.com")]
    left, right = np.array([0]), np.array([1])
    for comparison in comparisons:
        assert comparison.read_values(records, left, right, CTX) is None
    for jobs in (1, 2):
        found = vectors_at(records, left, right, comparisons, CTX, Contact, jobs=jobs)
        assert found.matrix.tolist() == [[0, 1]]  # the own preparation: the same address


def test_a_failure_preparing_what_was_read_names_the_comparison_never_the_value() -> None:
    comparisons = Comparisons()
    comparisons.add(Contact, _FailsPreparingRead(), name="acme.email")
    records = [_person("a-1", "secret@example.com"), _person("b-2", "b@example.com")]
    for jobs in (1, 2):
        with pytest.raises(ComparatorError) as caught:
            vectors_at(records, np.array([0]), np.array([1]), comparisons, CTX, Contact, jobs=jobs)
        assert "acme.email" in str(caught.value)
        assert "secret" not in str(caught.value)


def test_a_comparison_prepares_what_it_read_as_it_prepares_the_records() -> None:
    records = [
        _person("a-1", "Jane.Doe@gmail.com"),
        _person("b-2", "janedoe@googlemail.com"),
        _person("c-3", "jane.doe@example.com"),
    ]
    left, right = np.array([0, 0, 1]), np.array([1, 2, 2])
    comparison = default_comparisons()["crmcore.email"]
    read = comparison.read_values(records, left, right, CTX)
    assert read is not None
    mine = {id(email.normalised) for record in records for email in record.identity.emails}
    assert read.distinct
    assert not {id(text) for found, _ in read.distinct for text in found} & mine  # copies
    found = comparison.prepared_reads(read, CTX)
    expected = comparison.prepared_values(records, left, right, CTX)
    assert expected is not None
    assert found.codes.tolist() == expected.codes.tolist()
    assert found.distinct == expected.distinct
    levels = comparison.prepared_levels(found, left, right, CTX)
    assert levels.tolist() == comparison.level_positions(records, left, right, CTX).tolist()
