"""The exceptions of clustering and account linking, beneath :class:`~crmcore.dedup.DedupError`."""

from __future__ import annotations

from crmcore.dedup.errors import DedupError

__all__ = ["ClusteringError", "ConstraintError", "UnknownIdError"]


class ClusteringError(DedupError):
    """Input that cannot be clustered: repeated ids, a bad edge or probability, bad thresholds.

    The message names the argument and the position (``edges[3]``), never a value.
    """


class UnknownIdError(ClusteringError, LookupError):
    """An edge, a constraint or a look-up names a record id that is not among the ids."""


class ConstraintError(ClusteringError):
    """Must-link and cannot-link pairs that contradict each other; the message names the ids."""


for _cls in (ClusteringError, UnknownIdError, ConstraintError):
    _cls.__module__ = "crmcore.dedup"
