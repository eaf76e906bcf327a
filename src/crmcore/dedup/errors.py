"""The exceptions of :mod:`crmcore.dedup`, all beneath :class:`~crmcore.errors.CRMError`.

Messages name a comparison, a record id or a path, never a compared value.
"""

from __future__ import annotations

from crmcore.errors import CRMError, MissingExtraError
from crmcore.validation._plugins import PluginError

__all__ = ["ComparatorError", "ComparatorPluginError", "DedupError", "MissingExtraError"]


class DedupError(CRMError):
    """The root of every exception raised on purpose by :mod:`crmcore.dedup`."""


class ComparatorError(DedupError):
    """A comparator raised, returned a level it did not declare, or broke its batch form."""


class ComparatorPluginError(DedupError, PluginError):
    """An entry point of the ``crmcore.comparators`` group could not be loaded or registered.

    It is also a :class:`crmcore.validation.PluginError`, so one handler catches the failures
    of every kind of plugin.
    """


# MissingExtraError is crmcore.errors.MissingExtraError, named here too so that old imports work

for _cls in (DedupError, ComparatorError, ComparatorPluginError):
    _cls.__module__ = "crmcore.dedup"  # where users import them from

__all__ += ["MergeError", "SurvivorshipRulePluginError"]


class MergeError(DedupError):
    """Records that cannot merge: none, not records, of two types, or sharing an id.

    The message names record ids and paths, never a value.
    """


class SurvivorshipRulePluginError(DedupError, PluginError):
    """An entry point of the ``crmcore.survivorship_rules`` group could not be loaded."""


for _cls in (MergeError, SurvivorshipRulePluginError):
    _cls.__module__ = "crmcore.dedup"
