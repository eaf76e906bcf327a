"""The Dask recipe: cleaning and validation over partitions give what one process gives.

The recipe (``docs/loading-frames.md``) numbers each partition's rows from the row count of
the partitions before it, so a problem names its row in the whole frame, whatever the index
(``dask.dataframe.read_csv`` restarts it at 0 in every partition).
"""

from __future__ import annotations

import copyreg
import itertools
import pickle
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from crmcore import Contact, InvalidValueError
from crmcore.frames import PROBLEM_COLUMNS, clean_and_validate, partition_meta, read_frame
from crmcore.validation import Context

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

CTX = Context(datetime(2025, 6, 1, tzinfo=timezone.utc))
MAPPING = {
    "ID": "id",
    "Mail": "identity.emails[0]",
    "Phone": "identity.phones[0]",
    "Opens": "quantitative.email_opens",
}


def _export(rows: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ID": [f"c-{n}" if n % 7 else None for n in range(rows)],
            "Mail": [f"user{n}@example.org" if n % 3 else "not an email" for n in range(rows)],
            "Phone": ["+44 20 7946 0958" if n % 5 else "12" for n in range(rows)],
            "Opens": [float(n % 4) if n % 6 else None for n in range(rows)],
        }
    )


def _starts(frame: Any) -> list[int]:
    """The position of each partition's first row in the whole frame."""
    lengths = frame.map_partitions(len).compute()
    return [0, *itertools.accumulate(lengths)][:-1]


def _spread(frame: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The recipe: one task per partition, each cleaning and validating its rows once."""
    starts = _starts(frame)
    tasks = [
        dask.delayed(clean_and_validate)(part, Contact, MAPPING, ctx=CTX, first_row=start)
        for part, start in zip(frame.to_delayed(), starts, strict=True)
    ]
    results = dask.compute(*tasks)
    records = pd.concat([records for records, _ in results], ignore_index=True)
    problems = pd.concat([problems for _, problems in results], ignore_index=True)
    return records, problems


def _in_process(export: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return clean_and_validate(export, Contact, MAPPING, ctx=CTX)


@pytest.mark.parametrize("partitions", [1, 3, 8])
def test_partitions_give_the_records_and_problems_of_one_process(partitions: int) -> None:
    export = _export(40)
    records, problems = _in_process(export)
    frame = dd.from_pandas(export, npartitions=partitions)
    with dask.config.set(scheduler="synchronous"):
        spread_records, spread_problems = _spread(frame)
    assert frame.npartitions == partitions
    assert len(problems) > 0
    assert tuple(spread_problems.columns) == PROBLEM_COLUMNS
    pd.testing.assert_frame_equal(spread_problems, problems, check_dtype=False)
    # pd.concat fills the columns a partition lacks with NaN: read back, they are missing
    assert read_frame(spread_records, Contact).records == read_frame(records, Contact).records
    assert len(spread_records) == len(records) == 40 - len(range(0, 40, 7))


@pytest.mark.parametrize("partitions", [1, 4])
def test_map_partitions_with_partition_meta_gives_the_problems(partitions: int) -> None:
    export = _export(30)
    problems = _in_process(export)[1]
    frame = dd.from_pandas(export, npartitions=partitions)
    with dask.config.set(scheduler="synchronous"):
        starts = _starts(frame)

        def problems_of(part: pd.DataFrame, partition_info: Any = None) -> pd.DataFrame:
            start = starts[partition_info["number"]] if partition_info else 0
            return clean_and_validate(part, Contact, MAPPING, ctx=CTX, first_row=start)[1]

        spread = frame.map_partitions(problems_of, meta=partition_meta()).compute()
    pd.testing.assert_frame_equal(spread.reset_index(drop=True), problems)


def test_a_csv_read_by_dask_numbers_rows_across_partitions(tmp_path: Path) -> None:
    export = _export(60)
    path = tmp_path / "export.csv"
    export.to_csv(path, index=False)
    records, problems = _in_process(pd.read_csv(path))
    frame = dd.read_csv(path, blocksize=700)
    with dask.config.set(scheduler="synchronous"):
        assert frame.npartitions > 2  # each partition's index starts again at 0
        spread_records, spread_problems = _spread(frame)
    pd.testing.assert_frame_equal(spread_problems, problems, check_dtype=False)
    assert read_frame(spread_records, Contact).records == read_frame(records, Contact).records


def test_a_dask_frame_itself_is_refused_with_the_way_to_go() -> None:
    frame = dd.from_pandas(_export(4), npartitions=2)
    with pytest.raises(InvalidValueError, match="each partition"):
        read_frame(frame, Contact, MAPPING)


def test_a_partition_run_keeps_our_errors_pickling_without_their_chain() -> None:
    pickling_support = pytest.importorskip("tblib.pickling_support")
    saved = dict(copyreg.dispatch_table)
    try:
        pickling_support.install()  # what a Dask worker's `distributed` has done before a task
        clean_and_validate(_export(3), Contact, MAPPING, ctx=CTX)
        try:
            try:
                raise KeyError("ada.lovelace@example.org")
            except KeyError as exc:
                raise InvalidValueError("required field is missing", field="email") from exc
        except InvalidValueError as caught:
            data = pickle.dumps(caught)
        assert b"ada.lovelace" not in data
        assert pickle.loads(data).__cause__ is None
    finally:
        copyreg.dispatch_table.clear()
        copyreg.dispatch_table.update(saved)
