"""Custom fields: user-defined fields declared in a schema, stored on a record's facets.

Each facet (``identity``, ``descriptive``, ...) holds a :class:`CustomFields` mapping; a
:class:`CustomSchema` declares, per record type, each custom field's name, value type, category
and privacy status. Conversion type-checks and coerces custom values against the schema.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from crmcore.errors import InvalidValueError, Problem, SchemaError
from crmcore.records import _checks as check
from crmcore.records._meta import Category, PrivacyCategory
from crmcore.records.limits import INTEGER_MAX, INTEGER_MIN

__all__ = [
    "EMPTY_CUSTOM",
    "CustomFieldSpec",
    "CustomFields",
    "CustomSchema",
    "CustomType",
    "CustomValue",
]

CustomValue = str | int | bool | Decimal | date | datetime | tuple[str, ...]
"""The Python types a custom field may hold."""

_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}\Z")


class CustomType(enum.Enum):
    """The value type of a custom field."""

    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    STRINGS = "strings"

    @property
    def python_type(self) -> Any:
        """The Python type that holds a value of this kind."""
        return _PYTHON_TYPES[self]

    def accepts(self, value: object) -> bool:
        """Whether ``value`` is of this type (an exact match: ``True`` is not an integer).

        Text is never blank (a missing value is absent) and holds no lone surrogate; whole
        numbers fit a signed 64-bit integer (see :mod:`crmcore.records.limits`); decimals are
        finite.
        """
        if self is CustomType.STRINGS:
            return isinstance(value, tuple) and all(_filled(item) for item in value)
        if self is CustomType.STRING:
            return _filled(value)
        if self is CustomType.INTEGER:
            return type(value) is int and INTEGER_MIN <= value <= INTEGER_MAX
        if self is CustomType.DECIMAL:
            return type(value) is Decimal and value.is_finite()
        if self is CustomType.DATE:
            return type(value) is date
        if self is CustomType.DATETIME:
            return isinstance(value, datetime) and value.utcoffset() is not None
        return type(value) is _PYTHON_TYPES[self]


def _filled(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not check.has_lone_surrogate(value)


_PYTHON_TYPES: dict[CustomType, Any] = {
    CustomType.STRING: str,
    CustomType.INTEGER: int,
    CustomType.DECIMAL: Decimal,
    CustomType.BOOLEAN: bool,
    CustomType.DATE: date,
    CustomType.DATETIME: datetime,
    CustomType.STRINGS: tuple[str, ...],
}


def _allowed(value: object) -> bool:
    return any(kind.accepts(value) for kind in CustomType)


class CustomFields(Mapping[str, CustomValue]):
    """An immutable, hashable mapping of custom-field names to values, sorted by name.

    >>> CustomFields({"tier": "gold", "seats": 12})["seats"]
    12
    """

    __slots__ = ("_data",)

    def __init__(
        self, items: Mapping[str, CustomValue] | Iterable[tuple[str, CustomValue]] = ()
    ) -> None:
        try:
            data = dict(items)
        except (TypeError, ValueError):
            data = None  # refused below, outside the handler: the chain keeps nothing
        if data is None:
            raise InvalidValueError(
                "expected a mapping of custom-field names to values", code="value.wrong_type"
            )
        for name, value in data.items():
            if not isinstance(name, str) or not _NAME.match(name):
                raise InvalidValueError(
                    "custom field names are lower-case identifiers", code="custom.invalid_name"
                )
            if isinstance(value, list):
                value = data[name] = tuple(value)
            if not _allowed(value):
                raise InvalidValueError(
                    f"unsupported value for custom field {name}", code="custom.unsupported_value"
                )
        self._data: dict[str, CustomValue] = dict(sorted(data.items()))

    def __getitem__(self, name: str) -> CustomValue:
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def _typed(self) -> tuple[tuple[str, type[Any], CustomValue], ...]:
        return tuple((name, type(value), value) for name, value in self._data.items())

    def __hash__(self) -> int:
        return hash(self._typed())

    def __eq__(self, other: object) -> bool:
        """Equal when the same names hold equal values of the same types (``True`` is not 1)."""
        if isinstance(other, CustomFields):
            return self._typed() == other._typed()
        if isinstance(other, Mapping):
            try:
                return self._typed() == CustomFields(other)._typed()
            except InvalidValueError:
                return False
        return NotImplemented

    def __repr__(self) -> str:
        return f"CustomFields(<{len(self._data)} field(s): {', '.join(self._data)}>)"

    def set(self, name: str, value: CustomValue) -> CustomFields:
        """Return a copy with ``name`` set to ``value``."""
        return CustomFields({**self._data, name: value})

    def remove(self, name: str) -> CustomFields:
        """Return a copy without ``name``."""
        return CustomFields({key: value for key, value in self._data.items() if key != name})


EMPTY_CUSTOM = CustomFields()
"""The empty mapping of custom fields, shared (it is immutable)."""


def _custom_type(value: CustomType | str) -> CustomType:
    """Accept a CustomType's value as text."""
    return check.member(CustomType, value)  # type: ignore[no-any-return]


def _category(value: Category | str) -> Category:
    """Accept a Category's value as text."""
    return check.member(Category, value)  # type: ignore[no-any-return]


def _privacy(value: PrivacyCategory | str) -> PrivacyCategory:
    """Accept a PrivacyCategory's value as text."""
    return check.member(PrivacyCategory, value)  # type: ignore[no-any-return]


@attrs.frozen
class CustomFieldSpec:
    """The declaration of one custom field.

    ``name``, ``type`` and ``category`` may be positional, the rest is keyword-only. Each enum
    may be given as its value: ``CustomFieldSpec("seats", "integer", "quantitative")``.
    """

    name: str = attrs.field()
    type: CustomType = attrs.field(
        converter=_custom_type, validator=check.member_of(CustomType, optional=False)
    )
    category: Category = attrs.field(
        converter=_category, validator=check.member_of(Category, optional=False)
    )
    personal: bool = attrs.field(default=False, kw_only=True, validator=check.required_flag)
    privacy: PrivacyCategory = attrs.field(
        default=PrivacyCategory.NONE,
        kw_only=True,
        converter=_privacy,
        validator=check.member_of(PrivacyCategory, optional=False),
    )
    doc: str = attrs.field(default="", kw_only=True, validator=check.any_text)

    @name.validator
    def _check_name(self, _: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not _NAME.match(value):
            raise InvalidValueError("custom field names are lower-case identifiers", field="name")

    def __attrs_post_init__(self) -> None:
        if self.personal and self.privacy is PrivacyCategory.NONE:
            raise InvalidValueError("a personal field needs a privacy category", field="privacy")


def _as_specs(specs: Iterable[CustomFieldSpec]) -> tuple[CustomFieldSpec, ...]:
    if isinstance(specs, CustomFieldSpec):
        return (specs,)
    if isinstance(specs, (str, Mapping)) or not isinstance(specs, Iterable):
        raise InvalidValueError("expected CustomFieldSpec items", field="fields")
    return tuple(specs)


def _record_type(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not (isinstance(value, type) and attrs.has(value)):
        raise InvalidValueError("expected a record type such as Contact", field=attribute.name)


@attrs.frozen
class CustomSchema:
    """The custom fields of one record type.

    >>> from crmcore import Contact, Category
    >>> schema = CustomSchema(Contact, (
    ...     CustomFieldSpec("loyalty_tier", CustomType.STRING, Category.DESCRIPTIVE),
    ... ))
    >>> schema["loyalty_tier"].category
    <Category.DESCRIPTIVE: 'descriptive'>
    """

    record_type: type[Any] = attrs.field(validator=_record_type)
    fields: tuple[CustomFieldSpec, ...] = attrs.field(
        converter=_as_specs, validator=check.items_of(CustomFieldSpec)
    )

    @fields.validator
    def _unique(self, _: attrs.Attribute[Any], value: tuple[CustomFieldSpec, ...]) -> None:
        names = [spec.name for spec in value]
        if len(names) != len(set(names)):
            raise SchemaError(
                [Problem("fields", "custom field names must be unique", "custom.duplicate_name")]
            )

    def __getitem__(self, name: str) -> CustomFieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def get(self, name: str) -> CustomFieldSpec | None:
        """The spec of ``name``, or ``None`` when the schema does not declare it."""
        return next((spec for spec in self.fields if spec.name == name), None)

    def check(self, record: Any) -> list[Problem]:
        """List every custom value of ``record`` that the schema does not declare or type."""
        problems: list[Problem] = []
        for category in Category:
            values: CustomFields = getattr(getattr(record, category.value), "custom")  # noqa: B009
            for name, value in values.items():
                path = f"{category.value}.custom.{name}"
                spec = self.get(name)
                if spec is None:
                    problems.append(
                        Problem(
                            path, "not declared in the custom-field schema", "custom.undeclared"
                        )
                    )
                elif spec.category is not category:
                    problems.append(
                        Problem(path, f"declared in {spec.category.value}", "custom.wrong_category")
                    )
                elif not spec.type.accepts(value):
                    problems.append(
                        Problem(
                            path,
                            f"expected a value of type {spec.type.value}",
                            "custom.type_mismatch",
                        )
                    )
        return problems
