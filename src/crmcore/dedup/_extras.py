"""The libraries of the ``dedup`` extra, imported the first time a comparator needs one.

rapidfuzz (Jaro-Winkler, Damerau-Levenshtein, token-set ratio) and jellyfish (NYSIIS,
metaphone) are C or Rust extensions: string similarity sits in the hot loop of deduplication.
Importing :mod:`crmcore.dedup` does not need them; building or running a comparator that uses
one raises :class:`~crmcore.dedup.MissingExtraError` naming the extra when it is missing.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType

from crmcore.dedup.errors import MissingExtraError

__all__ = ["jellyfish", "rapidfuzz_distance", "rapidfuzz_fuzz"]
__all__ += ["dask_module"]

_HINT = "install the dedup extra: pip install 'crmcore[dedup]'"


@functools.cache
def _module(name: str, package: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise MissingExtraError(f"{package} is needed for this comparator; {_HINT}") from None


def rapidfuzz_distance() -> ModuleType:
    """``rapidfuzz.distance`` (Jaro-Winkler, Damerau-Levenshtein)."""
    return _module("rapidfuzz.distance", "rapidfuzz")


def rapidfuzz_fuzz() -> ModuleType:
    """``rapidfuzz.fuzz`` (token-set ratio)."""
    return _module("rapidfuzz.fuzz", "rapidfuzz")


def jellyfish() -> ModuleType:
    """``jellyfish`` (NYSIIS, metaphone, soundex)."""
    return _module("jellyfish", "jellyfish")


_DASK_HINT = "install the dask extra: pip install 'crmcore[dask]'"


@functools.cache
def dask_module(name: str = "dask") -> ModuleType:
    """``dask`` or one of its modules (``dask.bag``), for the distributed engine."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise MissingExtraError(
            f"dask is needed for the distributed engine; {_DASK_HINT}"
        ) from None
