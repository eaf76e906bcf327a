"""The distributed engine on a ``dask.distributed`` cluster gives what one process gives.

A :class:`distributed.LocalCluster` of two workers of one thread each runs
:func:`~crmcore.dedup.dedupe_bag`, registered as Dask's scheduler by its ``Client``: the tasks,
the shuffles between workers and the results gathered on the driver go through the
distributed scheduler, as on a real cluster. The result must be
``ContactMatcher().dedupe``'s: the clusters, their ids and order, the review queue and every
score. The workers are threads of this process talking in process (``processes=False``: no
socket is opened); one test starts two worker processes talking over localhost TCP, as the
workers of a cluster do, with the records sent to them pickled.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pytest

from crmcore import Contact
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.dedup import ContactMatcher, DedupeResult, DistributedResult, dedupe_bag
from crmcore.testing.synthetic import messy_dataset

db = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)


@functools.cache
def _cleaned(seed: int, contacts: int) -> tuple[Contact, ...]:
    rows = messy_dataset(seed, AS_OF, contacts=contacts).contacts
    ctx = CleaningContext(as_of=AS_OF)
    return tuple(clean_raw(Contact, row, ctx).record for row in rows)


@functools.cache
def _in_process(seed: int, contacts: int, review_threshold: float) -> DedupeResult:
    return ContactMatcher(review_threshold=review_threshold).dedupe(_cleaned(seed, contacts))


def _cluster(*, processes: bool) -> Any:
    """A local cluster of two single-threaded workers, no dashboard, quiet."""
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=processes,
        dashboard_address=None,
        host="127.0.0.1" if processes else None,
        silence_logs=50,  # logging.CRITICAL
    )


@pytest.fixture
def client() -> Iterator[Any]:
    """A ``Client`` on an in-process cluster, the default scheduler while the tests run."""
    with _cluster(processes=False) as cluster, distributed.Client(cluster) as connected:
        yield connected


def _assert_same(found: DistributedResult, expected: DedupeResult, *, every_pair: bool) -> None:
    """The clusters, their ids and order, the review queue (explained), the model and scores."""
    assert found.clusters == expected.clusters
    assert [c.id for c in found.clusters] == [c.id for c in expected.clusters]
    assert [c.members for c in found.clusters] == [c.members for c in expected.clusters]
    assert found.review == expected.review
    assert [item.explanation for item in found.review] == [
        item.explanation for item in expected.review
    ]
    assert found.model == expected.model
    assert found.records == len(expected.records)
    assert found.candidates == len(expected.pairs)
    assert dict(found.pairs_per_rule) == dict(expected.blocking.pairs_per_rule)
    kept = list(expected.pairs.edges(0.0 if every_pair else expected.review_threshold))
    assert list(found.pairs.edges()) == kept
    if every_pair:
        assert found.pairs.left == expected.pairs.left
        assert found.pairs.right == expected.pairs.right
        assert np.array_equal(found.pairs.weights, expected.pairs.weights)
        assert np.array_equal(found.pairs.levels, expected.pairs.levels)


@pytest.mark.parametrize("partitions", [2, 5])
def test_a_cluster_gives_the_clusters_ids_and_scores_of_one_process(
    client: Any, partitions: int
) -> None:
    # A low review threshold: the model leaves no pair of these contacts between 0.5 and 0.9.
    expected = _in_process(7, 300, 0.01)
    assert len(expected.duplicates) > 10  # there are duplicates to find
    assert expected.review  # and pairs to review
    matcher = ContactMatcher(review_threshold=0.01)  # fits its model on the driver
    found = dedupe_bag(_cleaned(7, 300), matcher, partitions=partitions, keep_all=True)
    _assert_same(found, expected, every_pair=True)
    assert distributed.get_client() is client  # the cluster ran it, not a local scheduler


def test_a_bag_in_any_order_on_a_cluster_gives_the_same_result(client: Any) -> None:
    expected = _in_process(7, 300, ContactMatcher().review_threshold)
    records = list(_cleaned(7, 300))
    random.Random(11).shuffle(records)
    found = dedupe_bag(db.from_sequence(records, npartitions=4))
    _assert_same(found, expected, every_pair=False)
    assert len(found.pairs) < found.candidates  # only the pairs worth keeping come back


def test_the_workers_ran_the_tasks(client: Any) -> None:
    before = _tasks_done(client)
    dedupe_bag(_cleaned(5, 120), partitions=3)
    done = _tasks_done(client)
    assert sum(done.values()) > sum(before.values())
    assert all(done[worker] > before.get(worker, 0) for worker in done)  # both workers


def _tasks_done(client: Any) -> dict[str, int]:
    """Tasks each worker has finished and still holds or has run, by worker address."""

    def count(dask_worker: Any) -> int:
        return int(dask_worker.state.transition_counter)

    return dict(client.run(count))


def test_worker_processes_over_localhost_give_the_same_result() -> None:
    records = _cleaned(5, 120)
    expected = ContactMatcher().dedupe(records)
    with _cluster(processes=True) as cluster, distributed.Client(cluster):
        found = dedupe_bag(records, partitions=3, keep_all=True)
    _assert_same(found, expected, every_pair=True)
