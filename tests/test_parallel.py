"""The batch runner: order kept, chunks bounded, progress counted, worker errors named safely."""

from __future__ import annotations

import copyreg
import gc
import pickle
import traceback

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import CRMError, InvalidValueError, WorkerError
from crmcore._parallel import _Failed, _work, run_many


def _double(value: int) -> int:
    return value * 2


def _fail_on_seven(value: int) -> int:
    if value == 7:
        raise InvalidValueError("seven is not allowed", field="number")
    return value


def _fail_with_value(value: str) -> str:
    if value.startswith("secret"):
        raise ValueError(f"bad {value}")
    return value


@settings(max_examples=25, deadline=None)
@given(
    items=st.lists(st.integers(), max_size=40),
    workers=st.sampled_from([1, 2]),
    chunk_size=st.integers(1, 7),
)
def test_results_in_order_whatever_workers_and_chunks(
    items: list[int], workers: int, chunk_size: int
) -> None:
    got = list(run_many(_double, items, workers=workers, chunk_size=chunk_size))
    assert got == [item * 2 for item in items]


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_every_item_once(workers: int) -> None:
    seen: list[int] = []
    list(run_many(_double, range(23), workers=workers, chunk_size=5, progress=seen.append))
    assert seen == [5, 10, 15, 20, 23]


def test_reads_the_input_lazily() -> None:
    pulled: list[int] = []

    def source() -> object:
        for number in range(10_000):
            pulled.append(number)
            yield number

    results = run_many(_double, source(), workers=2, chunk_size=10)
    assert next(iter(results)) == 0
    # At most two chunks per worker are read ahead, never the whole input.
    assert len(pulled) <= 2 * 2 * 10 + 10
    results.close()  # type: ignore[attr-defined]


def test_worker_error_names_the_row_and_keeps_the_cause() -> None:
    with pytest.raises(WorkerError) as caught:
        list(run_many(_fail_on_seven, range(12), workers=2, chunk_size=3))
    error = caught.value
    assert (error.row, error.chunk, error.kind) == (7, 2, "InvalidValueError")
    assert "row 7 (chunk 2)" in str(error)
    assert isinstance(error, CRMError)
    assert isinstance(error.__cause__, InvalidValueError)


_SECRET = "".join(("sec", "ret@example.com"))
"""Built, so that the source lines a traceback quotes do not hold it."""


def test_worker_error_never_shows_a_foreign_message() -> None:
    with pytest.raises(WorkerError) as caught:
        list(run_many(_fail_with_value, ["a", _SECRET], workers=2, chunk_size=1))
    assert "secret" not in str(caught.value)
    assert caught.value.row == 1
    assert caught.value.kind == "ValueError"
    # Nor anything a traceback or a logger prints: the foreign exception stays in the worker.
    assert caught.value.__cause__ is None
    assert "secret" not in "".join(traceback.format_exception(caught.value))


def test_worker_error_pickles_equal() -> None:
    error = WorkerError(3, 1, "ValueError")
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), str(back), back.row, back.chunk) == (WorkerError, str(error), 3, 1)


def test_one_worker_raises_what_the_function_raises() -> None:
    with pytest.raises(InvalidValueError):
        list(run_many(_fail_on_seven, range(12), workers=1, chunk_size=3))


def test_an_unpicklable_function_is_a_clear_error() -> None:
    with pytest.raises(InvalidValueError, match="workers"):
        run_many(lambda value: value, [1], workers=2)


@pytest.mark.parametrize(
    ("workers", "chunk_size", "field"),
    [(-1, 1, "workers"), (True, 1, "workers"), ("2", 1, "workers"), (1, 0, "chunk_size")],
)
def test_bad_options_are_refused(workers: object, chunk_size: object, field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        run_many(_double, [1], workers=workers, chunk_size=chunk_size)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize("collector", [True, False])
def test_the_garbage_collector_is_left_as_it_was(collector: bool) -> None:
    # Results are unpickled with the collector paused; it must come back as it was.
    was = gc.isenabled()
    try:
        if collector:
            gc.enable()
        else:
            gc.disable()
        got = list(run_many(_double, range(10), workers=2, chunk_size=3))
        assert gc.isenabled() is collector
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()
    assert got == [n * 2 for n in range(10)]


def _fail_with_a_chain(value: int) -> int:
    try:
        raise KeyError(_SECRET)
    except KeyError as exc:
        raise InvalidValueError("required field is missing", field="email") from exc


def test_a_worker_pickles_our_errors_without_their_chain_after_tblib() -> None:
    pickling_support = pytest.importorskip("tblib.pickling_support")
    saved = dict(copyreg.dispatch_table)
    try:
        pickling_support.install()  # what importing dask.distributed does, in a worker too
        outcome = _work(pickle.dumps(_fail_with_a_chain), [1])
        assert isinstance(outcome, _Failed)
        data = pickle.dumps(outcome.error)
        assert _SECRET.encode() not in data
        assert pickle.loads(data).__cause__ is None
    finally:
        copyreg.dispatch_table.clear()
        copyreg.dispatch_table.update(saved)
