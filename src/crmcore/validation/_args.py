"""Read and check the arguments given to a :class:`~crmcore.validation.RuleSet`.

Each reader returns the argument in the one form the rule set keeps, or raises
:class:`~crmcore.InvalidValueError` naming the argument.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from crmcore.errors import InvalidValueError
from crmcore.records._base import Record
from crmcore.validation.issues import Severity

__all__ = ["name_of", "read_codes", "read_record_types", "read_severity"]


def name_of(validator: Callable[..., Any]) -> str:
    """The default name of a rule: its validator's module and qualified name."""
    module = getattr(validator, "__module__", None) or "?"
    qualname = getattr(validator, "__qualname__", None) or type(validator).__qualname__
    return f"{module}.{qualname}"


def read_codes(codes: str | Iterable[str]) -> frozenset[str]:
    """One code or several, as a set of non-empty texts."""
    found = frozenset([codes] if isinstance(codes, str) else codes)
    if not all(isinstance(code, str) and code for code in found):
        raise InvalidValueError("codes are non-empty text", field="codes")
    return found


def read_record_types(record_types: type[Any] | Iterable[type[Any]]) -> tuple[type[Any], ...]:
    """One record type or several, as a non-empty tuple of :class:`~crmcore.Record` types."""
    found = (record_types,) if isinstance(record_types, type) else tuple(record_types)
    if not found or not all(isinstance(kind, type) and issubclass(kind, Record) for kind in found):
        raise InvalidValueError("expected record types", field="record_types")
    return found


def read_severity(severity: Severity | str) -> Severity:
    """A :class:`~crmcore.validation.Severity` or its value (``"error"``, ...)."""
    try:
        return Severity(severity)
    except ValueError:
        raise InvalidValueError("expected error, warning or info", field="severity") from None
