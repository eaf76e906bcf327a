"""Kept so that ``crmcore.mapping`` goes on working; the module is now in the package.

See :mod:`crmcore.convert.mapping`.
"""

from crmcore.convert.mapping import ColumnMapping, unflatten

__all__ = ["ColumnMapping", "unflatten"]
