"""Records to and from JSON-safe dicts, and rows of source columns to records.

The package holds the cattrs converter (:class:`Converter`, :func:`from_dict`,
:func:`to_dict`), its hooks, the lenient readers of messy input and :class:`ColumnMapping`.
"""

from crmcore.convert._converter import Converter, default_converter, from_dict, to_dict
from crmcore.convert.mapping import ColumnMapping, unflatten
from crmcore.convert.schema import json_schema

__all__ = ["ColumnMapping", "Converter", "default_converter", "from_dict", "to_dict", "unflatten"]
__all__ += ["json_schema"]
