"""Reading and writing custom fields, checked and coerced against the record type's schema."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crmcore.convert import _lenient as read
from crmcore.convert._errors_walk import problems_of
from crmcore.errors import InvalidValueError, Problem
from crmcore.records.custom import EMPTY_CUSTOM, CustomFields, CustomType

if TYPE_CHECKING:
    from crmcore.convert._host import ConverterHost

__all__ = ["CustomHooks"]


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
            raise InvalidValueError("expected a mapping of custom fields")
        schema = self._converter.schemas.get(record_type)
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for name in sorted(value, key=str):
            raw = value[name]
            path = f"{name}"
            if schema is None:
                if read.is_blank(raw):
                    continue
                try:
                    values[name] = _schemaless(raw)
                except InvalidValueError as exc:
                    problems.append(Problem(path, exc.reason))
                continue
            spec = schema.get(str(name))
            if spec is None:
                problems.append(Problem(path, "not declared in the custom-field schema"))
            elif spec.category.value != category:
                problems.append(Problem(path, f"declared in {spec.category.value}"))
            elif read.is_blank(raw):
                continue
            else:
                try:
                    values[name] = self._value(raw, spec.type)
                except Exception as exc:
                    problems.extend(
                        Problem(f"{path}{p.path and '.' + p.path}", p.reason)
                        for p in problems_of(exc)
                    )
        if problems:
            raise _CustomProblems(problems)
        try:
            return CustomFields(values)
        except InvalidValueError as exc:
            raise _CustomProblems([Problem("", exc.reason)]) from None

    def _value(self, raw: Any, kind: CustomType) -> Any:
        if kind is CustomType.DATE:
            return self._converter.read_date(raw)
        if kind is CustomType.DATETIME:
            return self._converter.read_datetime(raw)
        return self._converter.cattrs.structure(raw, kind.python_type)


class _CustomProblems(InvalidValueError):
    """Problems found in a facet's custom fields, with paths below ``custom``."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("invalid custom fields")
        self.problems = problems


def _schemaless(raw: Any) -> Any:
    if isinstance(raw, (str, bool, int, Decimal)):
        return raw
    if isinstance(raw, float):
        return read.read_decimal(raw)
    if isinstance(raw, (list, tuple)) and all(isinstance(item, str) for item in raw):
        return tuple(raw)
    raise InvalidValueError("unsupported custom value: declare the field in a schema")
