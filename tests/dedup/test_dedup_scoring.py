"""Fitting, scoring and explaining pairs; the model's JSON round trip; bad input."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dedup.conftest import make_person

from crmcore import Account, Contact, CRMError
from crmcore.dedup import (
    ComparisonModel,
    MatchModel,
    ModelError,
    ScoredPairs,
    block,
    compare_pairs,
    default_comparisons,
    fit,
    fit_labelled,
    score,
    score_pairs,
)

PLANTED = "Zebedee-Quuxworth"


def _people(person: Callable[..., Contact]) -> list[Contact]:
    """Forty people, each of the first ten with a near copy: a small set with known matches."""
    given_names = ["Ada", "Bob", "Cleo", "Dan", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon"]
    family_names = ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Lee"]
    rng = random.Random(3)
    records = []
    for i in range(30):
        given_name = given_names[i % 10]
        family = family_names[rng.randrange(len(family_names))] + str(i)
        email = f"{given_name.lower()}.{i}@example.com"
        born = date(1950 + i, 1 + i % 12, 1 + i % 28)
        records.append(
            person(given_name, family, emails=(email,), birth_date=born, record_id=f"c-{i:03}")
        )
        if i < 10:
            records.append(
                person(
                    given_name,
                    family,
                    emails=(email.upper(),),
                    birth_date=born,
                    record_id=f"d-{i:03}",
                )
            )
    return records


@pytest.fixture
def people(person: Callable[..., Contact]) -> list[Contact]:
    return _people(person)


def test_fit_and_score_find_the_copies(people: list[Contact]) -> None:
    pairs = block(people)
    model = fit(people, pairs)
    scored = score_pairs(model, people, pairs)
    found = {(left, right) for left, right, _ in scored.edges(0.9)}
    assert {(f"c-{i:03}", f"d-{i:03}") for i in range(10)} <= found
    assert model.record_type == "Contact"
    assert model.names == tuple(c.name for c in default_comparisons().for_type(Contact))


def test_fit_is_deterministic_and_ignores_input_order(people: list[Contact]) -> None:
    pairs = block(people)
    first = fit(people, pairs, seed=5)
    shuffled = list(people)
    random.Random(1).shuffle(shuffled)
    assert fit(shuffled, block(shuffled), seed=5) == first
    assert fit(people, pairs, seed=5).to_json() == first.to_json()


def test_edges_are_sorted_by_ids_and_match_explanations(people: list[Contact]) -> None:
    scored = score_pairs(fit(people, block(people)), people, block(people))
    edges = list(scored.edges())
    assert edges == sorted(edges)
    assert len(edges) == len(scored)
    left, right, probability = edges[0]
    explained = scored.explain_pair(right, left)
    assert explained["probability"] == probability
    total = explained["prior_weight"] + sum(c["weight"] for c in explained["comparisons"].values())
    assert total == pytest.approx(explained["match_weight"], abs=1e-4)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.randoms(use_true_random=False), st.booleans())
def test_explain_pair_finds_every_row_in_id_order_or_not(
    people: list[Contact], rng: random.Random, shuffled: bool
) -> None:
    scored = score_pairs(fit(people, block(people)), people, block(people))
    rows = list(range(len(scored)))
    if shuffled:  # rows out of id order are still found, by every pair
        rng.shuffle(rows)
        scored = attrs.evolve(
            scored,
            left=tuple(scored.left[i] for i in rows),
            right=tuple(scored.right[i] for i in rows),
            weights=scored.weights[rows],
            probabilities=scored.probabilities[rows],
            levels=scored.levels[rows],
        )
    for row in rng.sample(range(len(scored)), 20):
        left, right = scored.left[row], scored.right[row]
        assert scored.explain_pair(right, left) == scored.explain(row)
    with pytest.raises(ModelError):
        scored.explain_pair("c-000", "c-000")


def test_explanations_are_json_safe_and_quote_no_value(person: Callable[..., Contact]) -> None:
    records = [
        person(PLANTED, PLANTED, emails=(f"{PLANTED}@example.com",), record_id="c-1"),
        person(PLANTED, PLANTED, emails=(f"{PLANTED}@example.com",), record_id="c-2"),
        person("Other", "Person", emails=("other@example.com",), record_id="c-3"),
    ]
    pairs = [("c-1", "c-2"), ("c-1", "c-3"), ("c-2", "c-3")]
    model = fit(records, pairs)
    scored = score(model, compare_pairs(records, pairs))
    for i in range(len(scored)):
        text = json.dumps(scored.explain(i))
        assert PLANTED.lower() not in text.lower()
    assert "c-1" in json.dumps(scored.explain_pair("c-1", "c-2"))
    assert PLANTED not in model.to_json()


def test_fit_labelled_learns_m_from_the_labels(people: list[Contact]) -> None:
    labels = [(f"c-{i:03}", f"d-{i:03}") for i in range(10)]
    model = fit_labelled(people, block(people), labels)
    email = model.comparisons[model.names.index("crmcore.email")]
    assert email.m[email.levels.index("canonical")] > 0.5
    scored = score_pairs(model, people, block(people))
    assert set(labels) <= {(a, b) for a, b, _ in scored.edges(0.9)}


def test_fit_labelled_refuses_labels_outside_the_pairs(people: list[Contact]) -> None:
    with pytest.raises(ModelError):
        fit_labelled(people, [("c-000", "c-001")], [("c-002", "c-003")])


def test_a_model_for_another_record_type_is_refused(people: list[Contact]) -> None:
    model = fit(people, block(people))
    firms = [Account("a-1"), Account("a-2")]
    with pytest.raises(ModelError, match="Contact"):
        score_pairs(model, firms, [("a-1", "a-2")])


def test_a_model_for_other_comparisons_is_refused(people: list[Contact]) -> None:
    model = fit(people, block(people))
    fewer = default_comparisons()
    fewer.remove("crmcore.email")
    with pytest.raises(ModelError, match="other comparisons"):
        score_pairs(model, people, block(people), comparisons=fewer)


def test_empty_input_gives_an_empty_result() -> None:
    model = MatchModel("Contact", 0.1, ())
    scored = score_pairs(model, [], [])
    assert isinstance(scored, ScoredPairs)
    assert list(scored.edges()) == []
    fitted = fit([], [])
    assert fitted.comparisons == ()


@pytest.mark.parametrize(
    ("records", "pairs"),
    [
        ("not records", []),
        ([1, 2], []),
        ({"c-1": 1}, []),
    ],
)
def test_bad_records_raise_crm_errors(records: Any, pairs: Any) -> None:
    with pytest.raises(CRMError):
        fit(records, pairs)


def test_repeated_ids_and_mixed_types_are_refused(person: Callable[..., Contact]) -> None:
    ada = person("Ada", "Lovelace", record_id=PLANTED)
    with pytest.raises(CRMError, match="repeated") as caught:
        fit([ada, ada], [])
    assert PLANTED in str(caught.value)  # the id is named: ids are not personal values
    with pytest.raises(CRMError, match="type"):
        fit([ada, Account("a-1")], [])


def test_pairs_naming_unknown_ids_are_refused(people: list[Contact]) -> None:
    with pytest.raises(CRMError, match="unknown id"):
        fit(people, [("c-000", "x-999")])
    with pytest.raises(CRMError, match="itself"):
        fit(people, [("c-000", "c-000")])
    with pytest.raises(CRMError):
        fit(people, [("c-000",)])


# -- the model's JSON ------------------------------------------------------------------------

_PROBABILITIES = st.lists(st.floats(0.01, 1.0), min_size=1, max_size=5).map(
    lambda xs: tuple(x / sum(xs) for x in xs)
)


@st.composite
def _models(draw: st.DrawFn) -> MatchModel:
    comparisons = []
    for i in range(draw(st.integers(0, 4))):
        count = draw(st.integers(1, 5))
        m = draw(st.lists(st.floats(0.01, 1.0), min_size=count, max_size=count))
        u = draw(st.lists(st.floats(0.01, 1.0), min_size=count, max_size=count))
        levels = (*(f"level{j}" for j in range(count)), "null")
        comparisons.append(
            ComparisonModel(
                f"acme.c{i}",
                levels,
                tuple(x / sum(m) for x in m) if count > 1 else (1.0,),
                tuple(x / sum(u) for x in u) if count > 1 else (1.0,),
            )
        )
    prior = draw(st.floats(1e-6, 1 - 1e-6))
    return MatchModel(draw(st.sampled_from(["Contact", "Account"])), prior, tuple(comparisons))


@settings(max_examples=60, deadline=None)
@given(_models())
def test_models_round_trip_through_json(model: MatchModel) -> None:
    assert MatchModel.from_json(model.to_json()) == model
    assert MatchModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=10,
    )
)
def test_unreadable_models_raise_model_errors(data: object) -> None:
    try:
        model = MatchModel.from_dict(data)
    except ModelError:
        return
    assert MatchModel.from_json(model.to_json()) == model


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["format", "record_type", "prior", "comparisons"]),
    st.none() | st.integers() | st.text(max_size=4) | st.floats() | st.lists(st.integers()),
)
def test_a_damaged_model_field_raises_a_model_error(field: str, value: object) -> None:
    data = MatchModel(
        "Contact", 0.1, (ComparisonModel("acme.a", ("same", "null"), (1.0,), (1.0,)),)
    ).to_dict()
    data[field] = value
    try:
        model = MatchModel.from_dict(data)
    except ModelError:
        return
    assert 0 < model.prior < 1
    assert MatchModel.from_dict(model.to_dict()) == model


def test_model_json_that_is_not_json_raises() -> None:
    with pytest.raises(ModelError):
        MatchModel.from_json("{not json")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.tuples(st.text(max_size=3), st.text(max_size=3)),
            st.none(),
            st.integers(),
            st.text(max_size=3),
        ),
        max_size=4,
    )
)
def test_fuzzed_pairs_raise_only_crm_errors(pairs: list[object]) -> None:
    records = _people(make_person)[:4]
    try:
        model = fit(records, pairs, u_sample=10)
    except CRMError:
        return
    assert model.record_type == "Contact"
