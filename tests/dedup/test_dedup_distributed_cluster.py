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
from typing import Any

import pytest
from tests.dedup._distributed_checks import assert_same, cleaned

from crmcore.dedup import ContactMatcher, DedupeResult, dedupe_bag

db = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")


@functools.cache
def _in_process(seed: int, contacts: int, review_threshold: float) -> DedupeResult:
    return ContactMatcher(review_threshold=review_threshold).dedupe(cleaned(seed, contacts))


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


@pytest.mark.parametrize("partitions", [2, 5])
def test_a_cluster_gives_the_clusters_ids_and_scores_of_one_process(
    client: Any, partitions: int
) -> None:
    # A low review threshold: the model leaves no pair of these contacts between 0.5 and 0.9.
    expected = _in_process(7, 300, 0.01)
    assert len(expected.duplicates) > 10  # there are duplicates to find
    assert expected.review  # and pairs to review
    matcher = ContactMatcher(review_threshold=0.01)  # fits its model on the driver
    found = dedupe_bag(cleaned(7, 300), matcher, partitions=partitions, keep_all=True)
    assert_same(found, expected, every_pair=True)
    assert distributed.get_client() is client  # the cluster ran it, not a local scheduler


def test_a_bag_in_any_order_on_a_cluster_gives_the_same_result(client: Any) -> None:
    expected = _in_process(7, 300, ContactMatcher().review_threshold)
    records = list(cleaned(7, 300))
    random.Random(11).shuffle(records)
    found = dedupe_bag(db.from_sequence(records, npartitions=4))
    assert_same(found, expected, every_pair=False)
    assert len(found.pairs) < found.candidates  # only the pairs worth keeping come back


def test_the_workers_ran_the_tasks(client: Any) -> None:
    before = _tasks_done(client)
    dedupe_bag(cleaned(5, 120), partitions=3)
    done = _tasks_done(client)
    assert sum(done.values()) > sum(before.values())
    assert all(done[worker] > before.get(worker, 0) for worker in done)  # both workers


def _tasks_done(client: Any) -> dict[str, int]:
    """Tasks each worker has finished and still holds or has run, by worker address."""

    def count(dask_worker: Any) -> int:
        return int(dask_worker.state.transition_counter)

    return dict(client.run(count))


def test_worker_processes_over_localhost_give_the_same_result() -> None:
    records = cleaned(5, 120)
    expected = ContactMatcher().dedupe(records)
    with _cluster(processes=True) as cluster, distributed.Client(cluster):
        found = dedupe_bag(records, partitions=3, keep_all=True)
    assert_same(found, expected, every_pair=True)
