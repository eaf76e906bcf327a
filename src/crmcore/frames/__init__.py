"""Data frames in and out: pandas, polars and Arrow, each imported only when used.

:func:`read_frame` converts each row of a frame to a record through a
:class:`~crmcore.convert.ColumnMapping`; :func:`to_frame` writes records back with one column
per path of their ``to_dict`` form (lists one column per position:
``identity.emails[0].address``); :func:`problems_frame` gives per-row problems as a frame with
the columns row, column, path, code and message, never a value. :func:`clean_and_validate` does all
three for a whole frame, and :func:`partition_meta` serves it over Dask partitions.
"""

from crmcore.errors import MissingExtraError
from crmcore.frames._run import (
    PROBLEM_COLUMNS,
    FrameRead,
    RowProblem,
    clean_and_validate,
    partition_meta,
    problems_frame,
    read_frame,
    to_frame,
)
from crmcore.frames._tables import Kind

__all__ = [
    "PROBLEM_COLUMNS",
    "FrameRead",
    "Kind",
    "MissingExtraError",
    "RowProblem",
    "clean_and_validate",
    "partition_meta",
    "problems_frame",
    "read_frame",
    "to_frame",
]
