"""The Fellegi-Sunter model: :class:`MatchModel`, its m and u probabilities, JSON round trip.

For each comparison and each of its levels besides ``"null"``, ``m`` is the probability of
the level among pairs that are one person (or organisation) and ``u`` among pairs that are
not; the level's weight is ``log2(m / u)`` (its Bayes factor in bits). ``"null"`` carries no
evidence: weight 0. The prior is the probability that a candidate pair is a match before any
comparison is read.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from crmcore.dedup.comparator import NULL
from crmcore.dedup.comparisons import read_levels
from crmcore.dedup.errors import DedupError
from crmcore.dedup.frequencies import TermFrequencies

__all__ = ["ComparisonModel", "MatchModel", "ModelError"]

_FORMAT = 1


class ModelError(DedupError):
    """A model that cannot be read, or that does not fit the records or comparisons given."""


ModelError.__module__ = "crmcore.dedup"


def _probabilities(value: object, field: str) -> tuple[float, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ModelError(f"{field} is a list of probabilities")
    found: list[float] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            raise ModelError(f"{field} holds a non-number")
        number = float(item)
        if not (0.0 < number < 1.0 or (number == 1.0 and len(value) == 1)):
            raise ModelError(f"{field} holds a probability outside (0, 1)")
        found.append(number)
    if found and not math.isclose(sum(found), 1.0, abs_tol=1e-6):
        raise ModelError(f"{field} does not sum to one")
    return tuple(found)


@attrs.frozen
class ComparisonModel:
    """The m and u probabilities of one comparison's levels (``"null"`` excluded)."""

    name: str
    levels: tuple[str, ...]
    m: tuple[float, ...]
    u: tuple[float, ...]

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ModelError("a comparison model needs a name")
        try:
            levels = read_levels(self.levels)
        except DedupError:
            raise
        except Exception:
            raise ModelError(f"comparison {self.name} has unreadable levels") from None
        if levels != tuple(self.levels):
            raise ModelError(f"comparison {self.name} lists its levels without null last")
        count = len(levels) - 1
        for field in ("m", "u"):
            found = _probabilities(getattr(self, field), f"comparison {self.name} {field}")
            if len(found) != count:
                raise ModelError(f"comparison {self.name} needs {count} {field} probabilities")
            object.__setattr__(self, field, found)

    def weight(self, level: str | int) -> float:
        """The weight (``log2(m / u)``) of a level by name or position; 0 for ``"null"``."""
        index = self.levels.index(level) if isinstance(level, str) else level
        if self.levels[index] == NULL:
            return 0.0
        return math.log2(self.m[index] / self.u[index])

    @property
    def weights(self) -> tuple[float, ...]:
        """The weight of every level, in order, ``"null"`` (0) last."""
        return tuple(self.weight(i) for i in range(len(self.levels)))


def _models(value: object) -> tuple[ComparisonModel, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ModelError("a model's comparisons are ComparisonModel values")
    return tuple(value)


@attrs.frozen
class MatchModel:
    """A fitted Fellegi-Sunter model for one record type and its comparisons.

    ``term_frequencies`` (a :class:`~crmcore.dedup.TermFrequencies`, or ``None``) weighs
    agreements on rare terms more than on common ones; see
    :mod:`crmcore.dedup.frequencies`.

    >>> email = ComparisonModel(
    ...     "crmcore.email", ("exact", "different", "null"), (0.9, 0.1), (0.001, 0.999)
    ... )
    >>> model = MatchModel("Contact", 0.01, (email,))
    >>> round(model.comparisons[0].weight("exact"), 2)
    9.81
    >>> MatchModel.from_json(model.to_json()) == model
    True
    """

    record_type: str
    prior: float
    comparisons: tuple[ComparisonModel, ...] = attrs.field(converter=_models)
    term_frequencies: TermFrequencies | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.record_type, str) or not self.record_type:
            raise ModelError("a model names its record type")
        if isinstance(self.prior, bool) or not isinstance(self.prior, (int, float)):
            raise ModelError("the prior is a number")
        if not 0.0 < float(self.prior) < 1.0:
            raise ModelError("the prior is a probability strictly between 0 and 1")
        object.__setattr__(self, "prior", float(self.prior))
        if not all(isinstance(c, ComparisonModel) for c in self.comparisons):
            raise ModelError("a model's comparisons are ComparisonModel values")
        names = [c.name for c in self.comparisons]
        if len(set(names)) != len(names):
            raise ModelError("a model lists each comparison once")
        if self.term_frequencies is not None:
            self._check_terms(self.term_frequencies)

    def _check_terms(self, found: object) -> None:
        if not isinstance(found, TermFrequencies):
            raise ModelError("a model's term frequencies are a TermFrequencies value")
        if found.record_type != self.record_type:
            raise ModelError("the term frequencies are for another record type than the model")
        by_name = {c.name: c for c in self.comparisons}
        for table in found.tables:
            comparison = by_name.get(table.comparison)
            if comparison is None:
                raise ModelError(f"the model has no comparison {table.comparison} to adjust")
            if not set(table.levels) <= set(comparison.levels[:-1]):
                raise ModelError(
                    f"comparison {table.comparison} has no such level to adjust (null aside)"
                )

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the comparisons, in order."""
        return tuple(c.name for c in self.comparisons)

    @property
    def adjusted(self) -> tuple[str, ...]:
        """The names of the comparisons with a term-frequency adjustment, in order."""
        return () if self.term_frequencies is None else self.term_frequencies.names

    def check(
        self, record_type: type[Any] | str, names: Sequence[str], levels: Sequence[Sequence[str]]
    ) -> None:
        """Refuse (:class:`ModelError`) records of another type or other comparisons."""
        type_name = record_type if isinstance(record_type, str) else record_type.__name__
        if type_name != self.record_type:
            raise ModelError(
                f"the model is for {self.record_type} records, not {type_name} records"
            )
        if tuple(names) != self.names:
            raise ModelError("the model was fitted with other comparisons than those given")
        for comparison, found in zip(self.comparisons, levels, strict=True):
            if tuple(found) != comparison.levels:
                raise ModelError(f"comparison {comparison.name} has other levels than the model")

    # -- JSON ----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of the model (no record values: names, probabilities, digests)."""
        found: dict[str, Any] = {
            "format": _FORMAT,
            "record_type": self.record_type,
            "prior": self.prior,
            "comparisons": [
                {"name": c.name, "levels": list(c.levels), "m": list(c.m), "u": list(c.u)}
                for c in self.comparisons
            ],
        }
        if self.term_frequencies is not None:
            found["term_frequencies"] = self.term_frequencies.to_dict()
        return found

    @classmethod
    def from_dict(cls, data: object) -> MatchModel:
        """Read a model written by :meth:`to_dict`; :class:`ModelError` when it cannot."""
        if not isinstance(data, Mapping):
            raise ModelError("a model is a mapping")
        if data.get("format") != _FORMAT:
            raise ModelError("the model is of an unknown format")
        comparisons = data.get("comparisons")
        if isinstance(comparisons, (str, bytes)) or not isinstance(comparisons, Sequence):
            raise ModelError("a model lists its comparisons")
        found = []
        for position, item in enumerate(comparisons):
            if not isinstance(item, Mapping) or set(item) != {"name", "levels", "m", "u"}:
                raise ModelError(f"comparisons[{position}] is not a comparison model")
            name, levels = item["name"], item["levels"]
            if not isinstance(name, str) or not isinstance(levels, Sequence):
                raise ModelError(f"comparisons[{position}] is not a comparison model")
            if isinstance(levels, (str, bytes)):
                raise ModelError(f"comparisons[{position}] is not a comparison model")
            found.append(ComparisonModel(name, tuple(levels), item["m"], item["u"]))
        terms = data.get("term_frequencies")
        frequencies = None
        if terms is not None:
            try:
                frequencies = TermFrequencies.from_dict(terms)
            except DedupError as error:
                raise ModelError(f"the model's term frequencies cannot be read: {error}") from None
        return cls(
            data.get("record_type"),  # type: ignore[arg-type]
            data.get("prior"),  # type: ignore[arg-type]
            tuple(found),
            frequencies,
        )

    def to_json(self) -> str:
        """The model as JSON text (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> MatchModel:
        """Read a model written by :meth:`to_json`; :class:`ModelError` when it cannot."""
        failed = False
        try:
            data = json.loads(text)
        except (ValueError, TypeError, RecursionError):
            failed = True
        if failed:
            raise ModelError("the model is not JSON")
        return cls.from_dict(data)
