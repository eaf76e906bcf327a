"""crmcore: typed customer-relationship records and the rules and algorithms around them."""

from crmcore._parallel import WorkerError
from crmcore._version import __version__
from crmcore.convert import (
    Column,
    ColumnMapping,
    Converter,
    RowResult,
    convert_rows,
    default_converter,
    from_dict,
    to_dict,
    unflatten,
)
from crmcore.errors import (
    ConversionError,
    CRMError,
    InvalidValueError,
    MappingError,
    MissingExtraError,
    Problem,
    SchemaError,
    ValidationError,
)
from crmcore.records import *  # noqa: F403
from crmcore.records import __all__ as _records_all

__all__ = [
    "CRMError",
    "ColumnMapping",
    "ConversionError",
    "Converter",
    "InvalidValueError",
    "Problem",
    "SchemaError",
    "ValidationError",
    "WorkerError",
    "__version__",
    "default_converter",
    "from_dict",
    "to_dict",
    "unflatten",
    *_records_all,
    "Column",
    "MappingError",
    "RowResult",
    "convert_rows",
    "MissingExtraError",
]
