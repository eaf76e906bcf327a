"""MatchIndex: candidates through blocking keys, scores equal to the batch run, add, remove."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dedup.conftest import make_person

from crmcore import Account, Contact, CRMError, PostalAddress
from crmcore.dedup import (
    BlockingRules,
    MatchCandidate,
    MatchIndex,
    MatchModel,
    ModelError,
    block,
    fit,
    score_pairs,
)

PLANTED = "Zebedee-Quuxworth"


def _people() -> list[Contact]:
    """Sixty people, the first fifteen with a near copy, a few sharing common names."""
    given_names = ["Ada", "Bob", "Cleo", "Dan", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon"]
    family_names = ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Lee"]
    rng = random.Random(7)
    records = []
    for i in range(45):
        given_name = given_names[i % 10]
        family = family_names[rng.randrange(len(family_names))]
        email = f"{given_name.lower()}.{family.lower()}.{i}@example.com"
        born = date(1950 + i, 1 + i % 12, 1 + i % 28)
        records.append(
            make_person(given_name, family, emails=(email,), birth_date=born, record_id=f"c-{i:03}")
        )
        if i < 15:
            records.append(
                make_person(
                    given_name,
                    family,
                    emails=(email.upper(),),
                    birth_date=born if i % 2 else None,
                    record_id=f"d-{i:03}",
                )
            )
    return records


@pytest.fixture(scope="module")
def people() -> list[Contact]:
    return _people()


@pytest.fixture(scope="module")
def model(people: list[Contact]) -> MatchModel:
    return fit(people, block(people), seed=0)


def test_candidates_score_as_the_batch_run(people: list[Contact], model: MatchModel) -> None:
    index = MatchIndex(people, model)
    asked = {
        (c.id, candidate.record_id): candidate for c in people for candidate in index.candidates(c)
    }
    pairs = sorted({(min(a, b), max(a, b)) for a, b in asked})
    batch = score_pairs(model, people, pairs)
    assert len(batch) > 0
    for left, right, probability in batch.edges():
        for key in ((left, right), (right, left)):
            assert asked[key].probability == pytest.approx(probability, abs=1e-12)
            assert asked[key].explanation == batch.explain_pair(left, right)


def test_every_blocked_pair_is_a_candidate(people: list[Contact], model: MatchModel) -> None:
    index = MatchIndex(people, model)
    asked = {(c.id, candidate.record_id) for c in people for candidate in index.candidates(c)}
    for pair in block(people).pairs:
        assert (pair.left, pair.right) in asked


def test_a_lead_finds_its_contact_without_being_added(
    people: list[Contact], model: MatchModel
) -> None:
    index = MatchIndex([p for p in people if not p.id.startswith("d-")], model)
    lead = next(p for p in people if p.id == "d-003")
    found = index.candidates(lead, threshold=0.5, limit=1)
    assert [c.record_id for c in found] == ["c-003"]
    assert isinstance(found[0], MatchCandidate)
    assert "d-003" not in index
    assert found[0].explanation["comparisons"]["crmcore.email"]["level"] != "null"


def test_candidates_are_sorted_limited_and_thresholded(
    people: list[Contact], model: MatchModel
) -> None:
    index = MatchIndex(people, model)
    everything = index.candidates(people[0])
    assert len(everything) > 1
    assert [c.probability for c in everything] == sorted(
        (c.probability for c in everything), reverse=True
    )
    assert index.candidates(people[0], limit=1) == everything[:1]
    assert all(c.probability >= 0.9 for c in index.candidates(people[0], threshold=0.9))
    assert all(c.record_id != people[0].id for c in everything)


def test_add_and_remove_change_the_candidates(people: list[Contact], model: MatchModel) -> None:
    index = MatchIndex([], model)
    assert len(index) == 0
    assert index.candidates(people[0]) == ()
    copy = next(p for p in people if p.id == "d-000")
    index.add(copy)
    assert [c.record_id for c in index.candidates(people[0])] == ["d-000"]
    index.remove("d-000")
    assert index.candidates(people[0]) == ()
    assert index.ids == ()


def test_index_of_many_records_equals_index_grown_one_by_one(
    people: list[Contact], model: MatchModel
) -> None:
    whole = MatchIndex(people, model)
    grown = MatchIndex([], model)
    shuffled = list(people)
    random.Random(4).shuffle(shuffled)
    for record in shuffled:
        grown.add(record)
    extra = make_person("Zed", "Extra", record_id="x-1")
    grown.add(extra)
    grown.remove("x-1")
    assert grown.ids == whole.ids
    for record in people[:20]:
        assert grown.candidates(record) == whole.candidates(record)


# -- bad input ---------------------------------------------------------------------------


def test_repeated_unknown_and_foreign_records_are_refused_by_id(
    people: list[Contact], model
) -> None:  # type: ignore[no-untyped-def]
    index = MatchIndex(people[:5], model)
    planted = make_person(PLANTED, PLANTED, record_id=people[0].id)
    with pytest.raises(CRMError, match="already in the index") as repeated:
        index.add(planted)
    assert PLANTED not in str(repeated.value)
    with pytest.raises(CRMError, match="not in the index"):
        index.remove("nobody")
    with pytest.raises(ModelError, match="model is for Contact"):
        index.candidates(Account("a-1"))
    with pytest.raises(CRMError):
        index.candidates("c-1")  # type: ignore[arg-type]
    with pytest.raises(CRMError, match="repeated"):
        MatchIndex([people[0], people[0]], model)
    with pytest.raises(CRMError):
        MatchIndex(people, "model")  # type: ignore[arg-type]
    with pytest.raises(CRMError, match="threshold"):
        index.candidates(people[0], threshold=2)
    with pytest.raises(CRMError, match="limit"):
        index.candidates(people[0], limit=0)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    items=st.lists(
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=5),
            st.builds(Account, st.text("abc", min_size=1, max_size=3)),
            st.builds(
                lambda i, g: make_person(g, PLANTED, record_id=i),
                st.text("abc", min_size=1, max_size=3),
                st.sampled_from(["Ada", "Bob", "Zoë", "J.-P."]),
            ),
        ),
        max_size=6,
    )
)
def test_arbitrary_input_gives_candidates_or_a_crm_error(
    items: list[object], model: MatchModel
) -> None:
    index = MatchIndex([], model)
    for item in items:
        for action in (index.add, index.candidates, index.remove):
            try:
                action(item)  # type: ignore[arg-type]
            except CRMError as error:
                assert PLANTED not in str(error)  # noqa: PT017


_GIVEN = st.sampled_from(["Ada", "Bob", "Robert", "Eve", "Zoë"])
_FAMILY = st.sampled_from(["Smith", "Smyth", "Lee", "Jones"])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    drawn=st.lists(
        st.tuples(_GIVEN, _FAMILY, st.sampled_from(["a@example.com", "b@example.com", None])),
        min_size=1,
        max_size=12,
    )
)
def test_any_records_score_in_the_index_as_in_the_batch(
    drawn: list[tuple[str, str, str | None]], model: MatchModel
) -> None:
    records = [
        make_person(g, f, emails=(e,) if e else (), record_id=f"h-{n:02}")
        for n, (g, f, e) in enumerate(drawn)
    ]
    index = MatchIndex(records, model)
    asked = {(r.id, c.record_id): c.probability for r in records for c in index.candidates(r)}
    blocked = {(pair.left, pair.right) for pair in block(records).pairs}
    assert blocked <= set(asked)
    batch = score_pairs(model, records, sorted({(min(a, b), max(a, b)) for a, b in asked}))
    for left, right, probability in batch.edges():
        assert asked[left, right] == pytest.approx(probability, abs=1e-12)
        assert asked[right, left] == pytest.approx(probability, abs=1e-12)


def _crowd() -> list[Contact]:
    """Forty-eight people named alike (blocks of the name rules too large at a block size of
    8), at six addresses and with four dates of birth (split keys shared by eight or fewer)."""
    rng = random.Random(11)
    records = []
    for n in range(48):
        given = ("John", "Jon", "Johnny")[n % 3] if n % 7 else "Jane"
        address = PostalAddress(
            lines=(f"{n % 6 + 1} High Street",), postal_code=f"N{n % 2} 9GU", country="GB"
        )
        records.append(
            make_person(
                given,
                "Smith",
                emails=(f"p{n}@example.com",),
                addresses=(address,) if n % 5 else (),
                birth_date=date(1970 + n % 4, 1 + n % 4, 3) if n % 3 else None,
                record_id=f"k-{rng.randrange(10**6):06}-{n:02}",
            )
        )
    return records


@pytest.mark.parametrize(
    "settings_",
    [
        {},
        {"split_window": 2},
        {"split_window": None},
        {"split_rules": BlockingRules()},
    ],
)
def test_candidates_in_large_blocks_are_the_batch_pairs_of_the_record(
    model: MatchModel, settings_: dict[str, Any]
) -> None:
    records = _crowd()
    batch = block(records, max_block_size=8, **settings_)
    assert batch.skipped  # the name rules' blocks are too large
    split = sum(rule.split_pairs for rule in batch.rules)
    assert split > 0 if not settings_ or settings_.get("split_window") == 2 else split == 0
    partners: dict[str, set[str]] = {record.id: set() for record in records}
    for left, right in batch.ids:
        partners[left].add(right)
        partners[right].add(left)
    index = MatchIndex(records, model, max_block_size=8, **settings_)
    for record in records:
        assert {c.record_id for c in index.candidates(record)} == partners[record.id]
    # a record asked about, not in the index, finds those it would be paired with in a batch
    lead, rest = records[5], records[:5] + records[6:]
    without = MatchIndex(rest, model, max_block_size=8, **settings_)
    assert {c.record_id for c in without.candidates(lead)} == partners[lead.id]
    # removing and adding back changes nothing
    without.add(lead)
    without.remove(records[0].id)
    without.add(records[0])
    for record in records[:10]:
        assert {c.record_id for c in without.candidates(record)} == partners[record.id]


def test_split_settings_are_checked_as_block_checks_them(model: MatchModel) -> None:
    with pytest.raises(CRMError, match="split_window"):
        MatchIndex([], model, split_window=1)
    with pytest.raises(CRMError, match="split_window"):
        MatchIndex([], model, split_window=True)  # type: ignore[arg-type]
    with pytest.raises(CRMError, match="split_rules"):
        MatchIndex([], model, split_rules=[])  # type: ignore[arg-type]


def test_a_split_rule_that_raises_on_add_leaves_the_index_as_it_was(model: MatchModel) -> None:
    records = _crowd()
    failing = records[7]

    def picky(record: Contact) -> list[str]:
        if record.id == failing.id:
            raise RuntimeError("a plugin's bug")
        return [record.identity.name.given or ""] if record.identity.name else []

    rules = BlockingRules()
    rules.add(Contact, picky, name="tests.picky")
    rest = records[:7] + records[8:]
    index = MatchIndex(rest, model, max_block_size=8, split_rules=rules)
    before = {r.id: {c.record_id for c in index.candidates(r)} for r in rest}
    with pytest.raises(CRMError):
        index.add(failing)
    assert len(index) == len(rest)
    assert {r.id: {c.record_id for c in index.candidates(r)} for r in rest} == before
    index.remove(rest[0].id)  # the index still works as a whole
    assert rest[0].id not in {c.record_id for c in index.candidates(rest[1])}
