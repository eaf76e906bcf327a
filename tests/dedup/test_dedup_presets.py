"""``ContactMatcher`` and ``AccountMatcher``: dedupe, link, fit and reuse a model; bad input."""

from __future__ import annotations

import functools
import json
import random
from datetime import date, datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.dedup.conftest import make_person

from crmcore import (
    Account,
    Contact,
    ContactIdentity,
    CRMError,
    EmailAddress,
    PersonName,
    PostalAddress,
)
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.dedup import (
    AccountMatcher,
    BlockingRules,
    ContactMatcher,
    DedupeResult,
    LinkageResult,
    LinkedPair,
    MatchModel,
    ModelError,
    birth_day_keys,
    block,
    default_comparisons,
    score,
)
from crmcore.dedup import blocking as blocking_module
from crmcore.dedup.clustering import cluster as cluster_of
from crmcore.dedup.fitting import compare_pairs, fit
from crmcore.testing import strategies as crm_st
from crmcore.testing.synthetic import Dataset, messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)


@functools.cache
def _dataset(seed: int, contacts: int, difficulty: str | None = None) -> Dataset:
    return messy_dataset(seed, AS_OF, contacts=contacts, accounts=40, difficulty=difficulty)


@functools.cache
def _cleaned(seed: int, contacts: int, difficulty: str | None = None) -> tuple[Contact, ...]:
    ctx = CleaningContext(as_of=AS_OF)
    rows = _dataset(seed, contacts, difficulty).contacts
    return tuple(clean_raw(Contact, row, ctx).record for row in rows)


@functools.cache
def _result(seed: int, contacts: int) -> DedupeResult:
    return ContactMatcher().dedupe(_cleaned(seed, contacts))


def _known(dataset: Dataset) -> set[tuple[str, str]]:
    return {(pair.left, pair.right) for pair in dataset.duplicate_pairs}


def _person(record_id: str, given: str | None = None, email: str | None = None) -> Contact:
    return Contact(
        record_id,
        ContactIdentity(
            name=PersonName(given=given, family="Smith" if given else None),
            emails=(EmailAddress(email),) if email else (),
        ),
    )


# -- dedupe ------------------------------------------------------------------------------------


def test_contact_matcher_finds_the_known_duplicates_with_no_configuration() -> None:
    result = _result(7, 300)
    found = set(result.clusters.pairs())
    truth = _known(_dataset(7, 300))
    true = len(found & truth)
    precision, recall = true / len(found), true / len(truth)
    assert precision >= 0.85
    assert recall >= 0.9


def test_dedupe_gives_what_the_public_stages_give_one_after_the_other() -> None:
    # the matcher shares the fit's term adjustments with the scores and clusters positions:
    # the same model, scores, clusters and review queue as each stage called on its own
    records = _cleaned(11, 400, "hard")
    matcher = ContactMatcher()
    result = matcher.dedupe(records)
    blocking = block(records)
    vectors = compare_pairs(records, blocking, matcher.comparisons, matcher.context)
    model = fit(records, blocking, matcher.comparisons, matcher.context, vectors=vectors)
    scored = score(model, vectors)
    clusters = cluster_of(
        [r.id for r in records],
        scored.edges(matcher.review_threshold),
        match_threshold=matcher.match_threshold,
        review_threshold=matcher.review_threshold,
        explain=scored.explain_pair,
    )
    assert result.model.to_json() == model.to_json()
    assert result.pairs.probabilities.tobytes() == scored.probabilities.tobytes()
    assert result.clusters == clusters
    assert [item.explanation for item in result.clusters.review] == [
        item.explanation for item in clusters.review
    ]
    assert result.clusters.review  # the queue is compared, not empty


def test_the_matchers_blocking_takes_its_read_records_as_they_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # read (checked, sorted by id) once by the matcher: blocking neither checks nor sorts
    # them again, and finds the pairs ``block`` finds
    records = _cleaned(11, 200)
    expected = block(records)

    def checked_again(records: object) -> None:
        raise AssertionError("records checked again")

    monkeypatch.setattr(blocking_module, "_read_records", checked_again)
    result = ContactMatcher().dedupe(tuple(reversed(records)))
    assert result.blocking.pairs == expected.pairs
    assert result.blocking.rules == expected.rules
    assert len(result.blocking.pairs) > len(records) // 4


def test_every_record_is_in_exactly_one_cluster() -> None:
    result = _result(7, 300)
    members = [m for cluster in result.clusters.clusters for m in cluster.members]
    assert sorted(members) == sorted(record.id for record in _cleaned(7, 300))
    assert len(result.records) == 300
    assert all(len(cluster.members) > 1 for cluster in result.duplicates)


def test_the_result_carries_pairs_model_and_review_between_the_thresholds() -> None:
    result = _result(7, 500)  # at 300 contacts every pair is decided: none to review
    assert isinstance(result.model, MatchModel)
    assert result.model.record_type == "Contact"
    assert len(result.pairs) == len(result.blocking.pairs) > 0
    assert result.review
    for item in result.review:
        if item.reason == "between_thresholds":
            assert result.review_threshold <= item.probability < result.match_threshold


def test_repr_counts_and_never_shows_a_record() -> None:
    result = _result(7, 300)
    text = repr(result)
    assert text.startswith("DedupeResult(records=300, pairs=")
    assert "identity" not in text
    assert "@" not in text


def test_explain_cluster_is_json_safe_and_names_no_value() -> None:
    result = _result(7, 300)
    cluster = result.duplicates[0]
    explained = result.explain_cluster(cluster.id)
    assert explained["members"] == list(cluster.members)
    assert explained["pairs"]
    text = json.dumps(explained)
    by_id = {record.id: record for record in result.records}
    for member in cluster.members:
        record = by_id[member]
        assert isinstance(record, Contact)
        for email in record.identity.emails:
            assert email.address not in text
        for part in (record.identity.name.given, record.identity.name.family):
            if part and len(part) > 3:
                assert part not in text
    for pair in explained["pairs"]:
        assert {pair["left"], pair["right"]} <= set(cluster.members)
        assert pair["probability"] >= result.review_threshold


def test_explain_cluster_refuses_an_unknown_cluster_by_id() -> None:
    with pytest.raises(CRMError, match="no cluster 'nope'"):
        _result(7, 300).explain_cluster("nope")


def test_explain_pair_gives_levels_and_weights() -> None:
    result = _result(7, 300)
    left, right = result.duplicates[0].members[:2]
    explained = result.explain(right, left)
    assert explained["probability"] >= 0.0
    assert set(explained["comparisons"]) == set(default_comparisons().names) & set(
        result.model.names
    )


def test_merge_gives_one_merged_per_cluster_of_two_or_more() -> None:
    result = _result(7, 300)
    merged = result.merge()
    assert len(merged) == len(result.duplicates)
    for one, cluster in zip(merged, result.duplicates, strict=True):
        assert one.golden.id == min(cluster.members)
        assert set(one.id_map) == set(cluster.members)


def test_golden_gives_one_record_per_cluster_and_id_map_points_at_it() -> None:
    result = _result(7, 300)
    golden = result.golden()
    assert len(golden) == len(result.clusters.clusters)
    assert len({record.id for record in golden}) == len(golden)
    id_map = result.id_map()
    assert set(id_map) == {record.id for record in result.records}
    assert set(id_map.values()) == {record.id for record in golden}


def test_same_records_in_any_order_give_the_same_result() -> None:
    records = list(_cleaned(11, 120))
    first = ContactMatcher().dedupe(records)
    random.Random(3).shuffle(records)
    second = ContactMatcher().dedupe(records)
    assert first.clusters.clusters == second.clusters.clusters
    assert first.model == second.model
    assert [(r.left, r.right) for r in first.review] == [(r.left, r.right) for r in second.review]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(_cleaned(5, 80)))
def test_input_order_never_changes_clusters_ids_or_model(records: list[Contact]) -> None:
    expected = ContactMatcher().dedupe(_cleaned(5, 80))
    found = ContactMatcher().dedupe(records)
    assert found.clusters.clusters == expected.clusters.clusters
    assert found.model == expected.model
    assert list(found.pairs.edges()) == list(expected.pairs.edges())


def test_empty_input_gives_an_empty_result() -> None:
    result = ContactMatcher().dedupe([])
    assert result.records == ()
    assert result.clusters.clusters == ()
    assert result.review == ()
    assert len(result.pairs) == 0
    assert result.model.record_type == "Contact"
    assert result.merge() == ()
    assert result.golden() == ()


def test_empty_input_with_a_fitted_model_gives_an_empty_result() -> None:
    matcher = ContactMatcher().fit(_cleaned(7, 300))
    result = matcher.dedupe([])
    assert result.clusters.clusters == ()
    assert result.model == matcher.model


def test_records_with_nothing_to_compare_stay_singletons_and_are_counted() -> None:
    records = [Contact(f"c-{n}") for n in range(5)]
    result = ContactMatcher().dedupe(records)
    assert [cluster.members for cluster in result.clusters.clusters] == [
        (f"c-{n}",) for n in range(5)
    ]
    assert result.duplicates == ()


def test_one_record_is_one_singleton() -> None:
    result = ContactMatcher().dedupe([_person("c-1", "Ada", "ada@example.org")])
    assert [cluster.members for cluster in result.clusters.clusters] == [("c-1",)]


def test_must_link_joins_what_the_scores_keep_apart() -> None:
    records = [_person("c-1", "Ada", "ada@example.org"), _person("c-2", "Zoe", "zoe@example.net")]
    apart = ContactMatcher().dedupe(records)
    assert apart.duplicates == ()
    joined = ContactMatcher().dedupe(records, must_link=[("c-1", "c-2")])
    assert [cluster.members for cluster in joined.duplicates] == [("c-1", "c-2")]


# -- fit, models, thresholds ---------------------------------------------------------------------


def test_a_saved_model_gives_the_same_clusters_again() -> None:
    records = _cleaned(7, 300)
    fitted = ContactMatcher().fit(records)
    assert fitted.model == _result(7, 300).model
    reloaded = ContactMatcher().with_model(MatchModel.from_json(fitted.model.to_json()))
    result = reloaded.dedupe(records)
    assert result.clusters.clusters == _result(7, 300).clusters.clusters
    assert result.model == fitted.model


def test_a_model_for_accounts_is_refused_by_the_contact_matcher() -> None:
    accounts = [Account("a-1"), Account("a-2")]
    model = AccountMatcher().dedupe(accounts).model
    with pytest.raises(ModelError, match="for Account records, not Contact records"):
        ContactMatcher().with_model(model)
    with pytest.raises(ModelError):
        ContactMatcher(model=model)
    with pytest.raises(ModelError, match="expected a MatchModel"):
        ContactMatcher().with_model("model")  # type: ignore[arg-type]


def test_thresholds_decide_clusters_and_review() -> None:
    strict = ContactMatcher(match_threshold=1.0, review_threshold=0.0).dedupe(_cleaned(7, 300))
    assert len(strict.duplicates) <= len(_result(7, 300).duplicates)
    assert len(strict.review) >= len(_result(7, 300).review)


@pytest.mark.parametrize(
    ("keywords", "field"),
    [
        ({"match_threshold": 1.5}, "match_threshold"),
        ({"match_threshold": float("nan")}, "match_threshold"),
        ({"review_threshold": True}, "review_threshold"),
        ({"match_threshold": 0.5, "review_threshold": 0.6}, "review_threshold"),
        ({"max_block_size": 1}, "max_block_size"),
        ({"seed": -1}, "seed"),
        ({"u_sample": 0}, "u_sample"),
        ({"comparisons": "names"}, "comparisons"),
        ({"blocking_rules": []}, "blocking_rules"),
        ({"context": None}, "context"),
        ({"survivorship_rules": {}}, "survivorship_rules"),
        ({"split_rules": []}, "split_rules"),
        ({"split_window": 1}, "split_window"),
        ({"split_window": True}, "split_window"),
        ({"split_window": 1001}, "split_window"),
    ],
)
def test_bad_settings_are_refused_by_name(keywords: dict[str, Any], field: str) -> None:
    with pytest.raises(CRMError, match=field):
        ContactMatcher(**keywords)


def test_settings_are_keywords_only() -> None:
    positional: Any = ContactMatcher
    with pytest.raises(TypeError):
        positional(0.9)


# -- bad records -------------------------------------------------------------------------------


def test_raw_dicts_are_refused_with_a_hint_to_convert_them() -> None:
    with pytest.raises(CRMError, match=r"records\[0\] is a mapping.*convert rows first"):
        ContactMatcher().dedupe([{"id": "c-1", "identity": {"emails": ["ada@example.org"]}}])  # type: ignore[list-item]


def test_records_of_another_type_are_refused_naming_position_and_id() -> None:
    expected = r"records\[1\] \(id 'a-1'\) is of type Account, not Contact"
    with pytest.raises(CRMError, match=expected):
        ContactMatcher().dedupe([Contact("c-1"), Account("a-1")])
    with pytest.raises(CRMError, match="of type Contact, not Account"):
        AccountMatcher().dedupe([Contact("c-1")])


def test_repeated_ids_are_refused_by_id() -> None:
    with pytest.raises(CRMError, match="record id 'c-1' is repeated"):
        ContactMatcher().dedupe([_person("c-1", "Ada"), _person("c-1", "Bob")])


def test_a_single_record_or_text_is_not_records() -> None:
    for bad in (Contact("c-1"), "c-1", None, 3, {"id": "c-1"}):
        with pytest.raises(CRMError, match="expected an iterable of Contact records"):
            ContactMatcher().dedupe(bad)  # type: ignore[arg-type]


_PLANTED = "Zqxplanted"

_ITEMS = st.one_of(
    crm_st.contacts(),
    crm_st.accounts(),
    st.builds(lambda: {"id": "c-1", "identity": {"name": {"given": _PLANTED}}}),
    st.sampled_from([None, 0, _PLANTED, b"bytes", 1.5]),
    st.sampled_from(["c-1", "c-2", "c-3"]).map(
        lambda i: Contact(i, ContactIdentity(name=PersonName(given=_PLANTED, family=_PLANTED)))
    ),
)


_ID_PAIRS = st.one_of(
    st.lists(st.tuples(st.sampled_from(["c-1", "c-2", "c-9"]), st.sampled_from(["c-1", "c-2"]))),
    st.sampled_from([None, 3, "c-1", [("c-1",)], [("c-404", "c-1")], {"c-1": "c-2"}]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_ITEMS, max_size=5),
    st.sampled_from(["dedupe", "link", "fit", "account", "model"]),
    st.one_of(st.floats(allow_nan=True), st.integers(-2, 2), st.none(), st.text(max_size=3)),
    _ID_PAIRS,
    _ID_PAIRS,
)
def test_bad_input_raises_only_crm_errors_without_values(
    items: list[Any], entry: str, threshold: Any, must: Any, cannot: Any
) -> None:
    message = ""
    try:
        matcher: Any = (
            ContactMatcher(review_threshold=threshold)
            if threshold is not None
            else ContactMatcher()
        )
        if entry == "dedupe":
            result = matcher.dedupe(items, must_link=must, cannot_link=cannot)
            assert sum(len(c.members) for c in result.clusters.clusters) == len(items)
        elif entry == "model":
            matcher.with_model(items[0] if items else threshold)
        elif entry == "link":
            matcher.link(items, items[::-1])
        elif entry == "fit":
            matcher.fit(items)
        else:
            AccountMatcher().dedupe(items)
    except CRMError as error:
        message = str(error)
    assert _PLANTED.lower() not in message.lower()


# -- link ----------------------------------------------------------------------------------------


def test_link_finds_the_duplicates_across_two_sets_best_first() -> None:
    records = _cleaned(7, 300)
    left, right = records[:150], records[150:]
    result = ContactMatcher().link(left, right)
    assert isinstance(result, LinkageResult)
    left_ids, right_ids = {r.id for r in left}, {r.id for r in right}
    truth = {
        (a, b) if a in left_ids else (b, a)
        for a, b in _known(_dataset(7, 300))
        if (a in left_ids) != (b in left_ids)
    }
    found = {(link.left, link.right) for link in result.matches}
    assert len(found & truth) >= 0.8 * len(truth)
    assert len(found & truth) >= 0.85 * len(found)
    assert all(link.left in left_ids and link.right in right_ids for link in result.links)
    for links in result.best.values():
        chances = [link.probability for link in links]
        assert chances == sorted(chances, reverse=True)
    assert all(isinstance(link, LinkedPair) for link in result.review)
    assert result.candidates >= len(result.links)


def test_link_explains_with_the_records_own_ids() -> None:
    records = _cleaned(7, 300)
    result = ContactMatcher().link(records[:150], records[150:])
    link = result.matches[0]
    explained = result.explain(link.left, link.right)
    assert (explained["left"], explained["right"]) == (link.left, link.right)
    assert explained["probability"] == link.probability
    with pytest.raises(CRMError, match="no scored pair"):
        result.explain(link.right, link.left)


def test_link_allows_one_id_in_both_sets() -> None:
    ada = _person("c-1", "Ada", "ada.smith@example.org")
    again = _person("c-1", "Ada", "Ada.Smith@example.org")
    records = list(_cleaned(7, 300)[:100])
    result = ContactMatcher().link([ada, *records[:50]], [again, *records[50:]])
    # the pair across the sets is compared and scored although its two ids are one
    explained = result.explain("c-1", "c-1")
    assert (explained["left"], explained["right"]) == ("c-1", "c-1")
    assert explained["comparisons"]["crmcore.email"]["level"] == "canonical"


def test_link_of_empty_sets_is_empty() -> None:
    result = ContactMatcher().link([], [])
    assert result.links == ()
    assert result.best == {}
    assert result.candidates == 0


def test_link_refuses_repeated_ids_within_one_set() -> None:
    with pytest.raises(CRMError, match="right: record id 'c-1' is repeated"):
        ContactMatcher().link([Contact("c-1")], [Contact("c-1"), Contact("c-1")])


# -- accounts ------------------------------------------------------------------------------------


def test_account_matcher_finds_duplicate_accounts() -> None:
    data = messy_dataset(3, AS_OF, contacts=200, accounts=120, difficulty="medium")
    assert data.known_account_duplicates
    ctx = CleaningContext(as_of=AS_OF)
    accounts = [clean_raw(Account, row, ctx).record for row in data.accounts]
    result = AccountMatcher().dedupe(accounts)
    assert result.model.record_type == "Account"
    found = set(result.clusters.pairs())
    truth = {
        (a, b) for group in data.known_account_duplicates for a in group for b in group if a < b
    }
    assert len(found & truth) >= 0.5 * len(truth)


def test_the_base_matcher_names_no_record_type_and_is_refused() -> None:
    from crmcore.dedup import Matcher

    with pytest.raises(TypeError, match="use ContactMatcher or AccountMatcher"):
        Matcher()
    assert issubclass(ContactMatcher, Matcher)
    assert ContactMatcher.record_type is Contact
    assert AccountMatcher.record_type is Account


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(_cleaned(5, 80)[:40]), st.permutations(_cleaned(5, 80)[40:]))
def test_link_in_any_order_gives_the_same_links(left: list[Contact], right: list[Contact]) -> None:
    expected = ContactMatcher().link(_cleaned(5, 80)[:40], _cleaned(5, 80)[40:])
    found = ContactMatcher().link(left, right)
    assert found.links == expected.links
    assert found.model == expected.model


def test_the_split_settings_reach_blocking() -> None:
    records = [
        make_person(
            "John",
            "Smith",
            addresses=(PostalAddress(lines=(f"{n % 4} High Street",), postal_code="N1 9GU"),),
            birth_date=date(1970 + n % 3, 1, 2),
            record_id=f"c-{n:03}",
        )
        for n in range(40)
    ]
    only_dates = BlockingRules()
    only_dates.add(Contact, birth_day_keys(), name="acme.born")
    for keywords in (
        {"split_window": None},
        {"split_window": 3},
        {"split_rules": only_dates},
        {"split_rules": only_dates, "split_window": 2},
    ):
        matcher = ContactMatcher(max_block_size=20, **keywords)  # type: ignore[arg-type]
        expected = block(records, max_block_size=20, **keywords)  # type: ignore[arg-type]
        found = matcher.dedupe(records).blocking
        assert found.pairs == expected.pairs
        assert found.rules == expected.rules
    splits = {
        window: sum(
            rule.split_pairs
            for rule in ContactMatcher(max_block_size=20, split_window=window)
            .dedupe(records)
            .blocking.rules
        )
        for window in (None, 2, 5)
    }
    assert splits[None] == 0
    assert 0 < splits[2] < splits[5]


def test_a_run_keeps_the_records_out_of_collections_and_leaves_the_collector_as_it_was() -> None:
    import gc

    seen: list[int] = []

    def email_key(record: Contact) -> list[str]:
        seen.append(gc.get_freeze_count())  # the objects frozen while the rules run
        return [email.address.lower() for email in record.identity.emails]

    rules = BlockingRules()
    rules.add(Contact, email_key, name="tests.email")
    records = _cleaned(5, 60)
    assert gc.get_freeze_count() == 0
    ContactMatcher(blocking_rules=rules).dedupe(records)
    ContactMatcher(blocking_rules=rules).link(records[:30], records[30:])
    assert seen
    assert min(seen) > 0
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
