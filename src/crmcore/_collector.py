"""The cyclic garbage collector kept off the objects a long stage makes or reads.

A stage over many records makes a few objects per record and keeps them (blocking's keys,
clustering's links, the comparisons' prepared values, a chunk of results unpickled): with the
collector running, each few hundred of them trigger a collection, and every so often one that
scans every object of the process, the records among them, though none of the new objects is
garbage. Two ways to spare that, each putting the collector back as it was:
:func:`paused_collector` pauses it (for a stage that makes no garbage cycle), :func:`frozen`
leaves the objects made before out of its collections and collects what is made inside.

Both act on the interpreter's one collector: a setting the application changes while a block
is open (in a callable crmcore calls, or in another thread) is overridden when the block ends
(the collector enabled again, the objects unfrozen), and code the application runs inside a
paused block (a blocking rule, a source of edges) makes no cycle that is collected before the
block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["frozen", "paused_collector"]


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


_FROZEN: list[bool] = []
"""Holds ``True`` while the objects :func:`frozen` froze stay frozen (until its outermost
block ends)."""


@contextmanager
def frozen() -> Iterator[None]:
    """Within it, the objects made before it stay out of the collector's collections.

    A full collection visits every object the collector tracks: the records' millions of
    objects, again and again while a stage makes its own (the comparisons' prepared values
    cost more in full collections than in preparing, at 100,000 contacts), and in a forked
    worker it writes to every page it scans, copying it. What is made inside is collected
    as usual; a cycle of objects made before that becomes garbage inside waits for the end
    of the outermost block, which lets every object go.
    Inside another block, the objects made since are frozen too (the outer one unfreezes
    them). Not where the application froze objects itself: unfreezing ours would unfreeze
    its own too.
    """
    if _FROZEN:
        gc.freeze()
        yield
        return
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    _FROZEN.append(True)
    try:
        yield
    finally:
        _FROZEN.pop()
        gc.unfreeze()
