"""The libraries of the ``dedup`` extra, imported the first time a comparator needs one.

rapidfuzz (Jaro-Winkler, Damerau-Levenshtein, token-set ratio) and jellyfish (NYSIIS,
metaphone) are C or Rust extensions: string similarity sits in the hot loop of deduplication.
Importing :mod:`crmcore.dedup` does not need them; building or running a comparator that uses
one raises :class:`~crmcore.errors.MissingExtraError` naming the extra when it is missing.
"""

from __future__ import annotations

import functools
from types import ModuleType

from crmcore._extras import require

__all__ = ["jellyfish", "rapidfuzz_distance", "rapidfuzz_fuzz", "rapidfuzz_process"]
__all__ += ["dask_module"]


@functools.cache
def _module(name: str) -> ModuleType:
    return require(name, "dedup", needed_for="this comparator")


def rapidfuzz_distance() -> ModuleType:
    """``rapidfuzz.distance`` (Jaro-Winkler, Damerau-Levenshtein)."""
    return _module("rapidfuzz.distance")


def rapidfuzz_fuzz() -> ModuleType:
    """``rapidfuzz.fuzz`` (token-set ratio)."""
    return _module("rapidfuzz.fuzz")


def rapidfuzz_process() -> ModuleType:
    """``rapidfuzz.process`` (one call over many pairs of texts, on every core)."""
    return _module("rapidfuzz.process")


def jellyfish() -> ModuleType:
    """``jellyfish`` (NYSIIS, metaphone, soundex)."""
    return _module("jellyfish")


@functools.cache
def dask_module(name: str = "dask") -> ModuleType:
    """``dask`` or one of its modules (``dask.bag``), for the distributed engine."""
    return require(name, "dask", needed_for="the distributed engine")
