"""Term-frequency adjustment: counting terms, weighing rare agreements more, JSON, bad input."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.dedup.conftest import make_person

from crmcore import Contact, CRMError
from crmcore.dedup import (
    DedupError,
    MatchModel,
    ModelError,
    TermAdjustment,
    TermFrequencies,
    block,
    compare_pairs,
    fit,
    full_name_term,
    score,
    score_pairs,
    term_digest,
    term_frequencies,
)

PLANTED = "Zebedee-Quuxworth"


def _crowd() -> list[Contact]:
    """Twenty John Smiths (strangers) and one pair of a rare name, each pair alike otherwise."""
    records = [
        make_person("John", "Smith", birth_date=date(1960 + n, 1, 1), record_id=f"s-{n:02}")
        for n in range(20)
    ]
    records += [
        make_person("Quentin", PLANTED, record_id="r-1"),
        make_person("Quentin", PLANTED, record_id="r-2"),
        make_person("John", "Smith", record_id="s-99"),
    ]
    records += [
        make_person(f"Given{n}", f"Family{n}", emails=(f"p{n}@example.com",), record_id=f"p-{n:02}")
        for n in range(30)
    ]
    return records


def test_a_rare_name_weighs_more_than_a_common_one() -> None:
    records = _crowd()
    model = fit(records, block(records), seed=0)
    assert model.adjusted == ("crmcore.name", "crmcore.birth_date")
    scored = score_pairs(model, records, [("r-1", "r-2"), ("s-00", "s-99")])
    rare = scored.explain_pair("r-1", "r-2")
    common = scored.explain_pair("s-00", "s-99")
    assert rare["comparisons"]["crmcore.name"]["level"] == "exact"
    assert common["comparisons"]["crmcore.name"]["level"] == "exact"
    assert rare["comparisons"]["crmcore.name"]["tf_adjustment"] > 0
    assert common["comparisons"]["crmcore.name"]["tf_adjustment"] < 0
    assert rare["probability"] > common["probability"]
    total = rare["prior_weight"] + sum(
        c["weight"] + c.get("tf_adjustment", 0.0) for c in rare["comparisons"].values()
    )
    assert total == pytest.approx(rare["match_weight"], abs=1e-4)
    assert PLANTED not in json.dumps(rare)


def test_without_term_frequencies_both_names_weigh_alike() -> None:
    records = _crowd()
    model = fit(records, block(records), seed=0, term_frequencies=False)
    assert model.term_frequencies is None
    assert model.adjusted == ()
    scored = score_pairs(model, records, [("r-1", "r-2"), ("s-00", "s-99")])
    assert scored.adjustments is None
    rare = scored.explain_pair("r-1", "r-2")
    assert "tf_adjustment" not in rare["comparisons"]["crmcore.name"]
    assert scored.weights[0] == pytest.approx(scored.weights[1])


def test_the_adjustment_is_log_of_u_over_the_frequency() -> None:
    records = _crowd()
    model = fit(records, block(records), seed=0)
    scored = score_pairs(model, records, [("s-00", "s-99")])
    name = next(c for c in model.comparisons if c.name == "crmcore.name")
    frequency = model.term_frequencies.table("crmcore.name").frequency(  # type: ignore[union-attr]
        term_digest("john|smith")
    )
    assert frequency == pytest.approx(21 / len(records))
    found = scored.explain(0)["comparisons"]["crmcore.name"]["tf_adjustment"]
    assert found == pytest.approx(math.log2(name.u[0] / frequency), abs=1e-6)


def test_the_model_keeps_digests_of_repeated_terms_only() -> None:
    records = _crowd()
    model = fit(records, block(records), seed=0)
    text = model.to_json()
    assert MatchModel.from_json(text) == model
    assert PLANTED.lower() not in text.lower()
    assert "smith" not in text.lower()
    table = model.term_frequencies.table("crmcore.name")  # type: ignore[union-attr]
    assert dict(table.counts) == {
        term_digest("john|smith"): 21,
        term_digest("quentin|zebedee quuxworth"): 2,
    }
    assert table.records == len(records)


def test_scoring_needs_the_terms_of_an_adjusted_model() -> None:
    records = _crowd()
    model = fit(records, block(records), seed=0)
    vectors = compare_pairs(records, [("r-1", "r-2")], adjustments=())
    with pytest.raises(ModelError, match=r"without the terms of comparison crmcore\.name"):
        score(model, vectors)
    with pytest.raises(ModelError, match="no term adjustment"):
        score_pairs(model, records, [("r-1", "r-2")], adjustments=())


def test_a_custom_adjustment_reads_its_own_term() -> None:
    records = _crowd()

    def family(record: Contact) -> str | None:
        name = record.identity.name
        return name.family.lower() if name and name.family else None

    adjustment = TermAdjustment("crmcore.name", family, levels=("exact", "nickname"))
    tf = term_frequencies(records, [adjustment])
    assert tf.table("crmcore.name").levels == ("exact", "nickname")
    model = fit(records, block(records), seed=0, term_frequencies=tf, adjustments=[adjustment])
    assert model.term_frequencies == tf
    scored = score_pairs(model, records, [("r-1", "r-2")], adjustments=[adjustment])
    assert scored.explain(0)["comparisons"]["crmcore.name"]["tf_adjustment"] > 0


# -- bad input ---------------------------------------------------------------------------


def test_a_failing_term_function_is_named_by_comparison_and_id() -> None:
    def broken(record: Contact) -> str:
        raise ValueError(PLANTED)

    with pytest.raises(DedupError, match=r"crmcore\.name raised ValueError.*'p-00'") as caught:
        term_frequencies(_crowd(), [TermAdjustment("crmcore.name", broken)])
    assert PLANTED not in str(caught.value)
    assert caught.value.__cause__ is None
    with pytest.raises(DedupError, match="not text"):
        term_frequencies(_crowd(), [TermAdjustment("crmcore.name", lambda r: 3)])  # type: ignore[arg-type,return-value]


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"record_type": "Contact"},
        {"record_type": "Contact", "tables": "x"},
        {"record_type": "Contact", "tables": [{"comparison": "a.b"}]},
        {
            "record_type": "Contact",
            "tables": [
                {"comparison": "a.b", "levels": ["exact"], "records": 1, "counts": {"x": 5}}
            ],
        },
        {
            "record_type": "Contact",
            "tables": [
                {"comparison": "a.b", "levels": ["exact"], "records": 1, "counts": {"0" * 16: 5}}
            ],
        },
    ],
)
def test_unreadable_term_frequencies_are_refused(data: object) -> None:
    with pytest.raises(DedupError):
        TermFrequencies.from_dict(data)


def test_a_model_refuses_term_frequencies_it_cannot_use() -> None:
    records = _crowd()
    model = fit(records, block(records), seed=0)
    data = model.to_dict()
    data["term_frequencies"]["tables"][0]["comparison"] = "acme.other"
    with pytest.raises(ModelError, match=r"no comparison acme\.other"):
        MatchModel.from_dict(data)
    data["term_frequencies"] = {"record_type": "Contact"}
    with pytest.raises(ModelError, match="term frequencies cannot be read"):
        MatchModel.from_dict(data)
    with pytest.raises(CRMError):
        fit(records, block(records), term_frequencies="yes")  # type: ignore[arg-type]
    with pytest.raises(CRMError):
        TermAdjustment("crmcore.name", "not callable")  # type: ignore[arg-type]


@given(
    st.lists(st.sampled_from(["Ann", "Bob", "Zoë", "Élodie", "elodie"]), min_size=1, max_size=30)
)
def test_frequencies_round_trip_and_sum_to_at_most_one(given_names: list[str]) -> None:
    records = [make_person(g, "Lee", record_id=f"c-{n}") for n, g in enumerate(given_names)]
    tf = term_frequencies(records)
    assert TermFrequencies.from_dict(json.loads(json.dumps(tf.to_dict()))) == tf
    table = tf.table("crmcore.name")
    assert table.records == len(records)
    assert sum(count for _, count in table.counts) <= len(records)
    for record in records:
        term = full_name_term(record)
        assert term is not None
        assert 0 < table.frequency(term_digest(term)) <= 1
