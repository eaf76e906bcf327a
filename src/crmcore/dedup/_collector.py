"""The garbage collector paused while a dedup stage builds many objects none of which is garbage.

A stage over many records (blocking's keys, clustering's links and clusters) makes a few
objects per record and keeps them: with the collector running, each few hundred of them
trigger a collection, and every so often one that scans every object of the process, the
records among them, though none of the new objects is in a cycle. :func:`paused_collector`
pauses it for the stage and puts it back as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_collector"]


@contextmanager
def paused_collector() -> Iterator[None]:
    """Within it the cyclic garbage collector does not run (as it was after).

    Worker processes forked within it start with it paused too.

    >>> with paused_collector():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
