"""Reading and writing custom fields, checked and coerced against the record type's schema."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crmcore._safe import key_segment
from crmcore.convert import _lenient as read
from crmcore.convert._errors_walk import NestedProblems, problems_of, within
from crmcore.errors import InvalidValueError, Problem
from crmcore.records.custom import EMPTY_CUSTOM, CustomFields, CustomType

if TYPE_CHECKING:
    from crmcore.convert._host import ConverterHost

__all__ = ["CustomHooks"]

_BAD_NAME = "custom.invalid_name"
_UNDECLARED = "custom.undeclared"
_WRONG_CATEGORY = "custom.wrong_category"

_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")
"""A custom field's name, as :class:`CustomFields` wants it (a lower-case identifier)."""


class CustomHooks:
    """The structure and unstructure hooks of the ``custom`` mapping of every facet."""

    def __init__(self, converter: ConverterHost) -> None:
        self._converter = converter

    def unstructure(self, values: CustomFields) -> dict[str, Any]:
        if not values:
            return {}
        unstructure = self._converter.cattrs.unstructure
        return {
            name: list(value) if isinstance(value, tuple) else unstructure(value)
            for name, value in values.items()
        }

    def structure(
        self, value: Any, _: Any, *, record_type: type[Any], category: str
    ) -> CustomFields:
        if (value.__class__ is dict and not value) or read.is_blank(value):
            return EMPTY_CUSTOM
        if not isinstance(value, Mapping):
            raise InvalidValueError("expected a mapping of custom fields", code="value.wrong_type")
        schema = self._converter.schemas.get(record_type)
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        positions = {name: position for position, name in enumerate(value)}
        for name in sorted(value, key=_by_name):
            raw = value[name]
            path = key_segment(name, positions[name])
            if schema is None:
                if not isinstance(name, str) or not _NAME.match(name):
                    problems.append(
                        Problem(
                            path,
                            "custom field names are lower-case identifiers",
                            _BAD_NAME,
                            (path,),
                        )
                    )
                    continue
                if read.is_blank(raw):
                    continue
                try:
                    values[name] = _schemaless(raw)
                except InvalidValueError as exc:
                    problems.append(Problem(path, exc.reason, exc.code, (path,)))
                continue
            spec = schema.get(name) if isinstance(name, str) else None
            if spec is None:
                problems.append(
                    Problem(path, "not declared in the custom-field schema", _UNDECLARED, (path,))
                )
            elif spec.category.value != category:
                problems.append(
                    Problem(path, f"declared in {spec.category.value}", _WRONG_CATEGORY, (path,))
                )
            elif read.is_blank(raw):
                continue
            else:
                try:
                    values[name] = self._value(raw, spec.type)
                except Exception as exc:
                    problems.extend(within(path, (path,), p) for p in problems_of(exc))
        if problems:
            raise NestedProblems(problems)
        try:
            return CustomFields(values)
        except InvalidValueError as exc:
            reason, code = exc.reason, exc.code
        raise NestedProblems([Problem("", reason, code)])

    def _value(self, raw: Any, kind: CustomType) -> Any:
        if kind is CustomType.DATE:
            return self._converter.read_date(raw)
        if kind is CustomType.DATETIME:
            return self._converter.read_datetime(raw)
        return self._converter.cattrs.structure(raw, kind.python_type)


def _by_name(name: object) -> tuple[str, str]:
    return (type(name).__name__, name if isinstance(name, str) else repr(name)[:100])


def _schemaless(raw: Any) -> Any:
    raw = read.plain(raw)  # numpy and pandas scalars as the Python values they hold
    if isinstance(raw, int) and not isinstance(raw, bool):
        return read.read_int(raw)  # within a signed 64-bit integer, as every whole number
    if isinstance(raw, Decimal):
        return read.read_decimal(raw)
    if isinstance(raw, (str, bool)):
        return raw
    if isinstance(raw, float):
        return read.read_decimal(raw)
    if isinstance(raw, (list, tuple)) and all(isinstance(item, str) for item in raw):
        return tuple(raw)
    raise InvalidValueError(
        "unsupported custom value: declare the field in a schema", code="custom.unsupported_value"
    )
