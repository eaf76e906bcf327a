"""Field metadata: the four CRM data categories and privacy categories, read by one helper.

Every attrs field of a record, facet or value object carries one :class:`FieldInfo` under the
``"crmcore"`` metadata key. Facet fields on a record carry the category that all their own fields
inherit; record-level fields carry their category themselves.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, TypeVar, cast

import attrs

from crmcore.errors import InvalidValueError

__all__ = [
    "META_KEY",
    "Category",
    "FieldInfo",
    "PrivacyCategory",
    "facet",
    "field_info",
    "meta",
    "redacted",
]

META_KEY = "crmcore"


class Category(enum.Enum):
    """The four kinds of CRM data."""

    IDENTITY = "identity"
    """What identifies one record: names, emails, phones, addresses, birth date, ids."""
    DESCRIPTIVE = "descriptive"
    """What the record *is*, shared across many records and used to filter."""
    QUALITATIVE = "qualitative"
    """What the record thinks, does or feels: subjective, not numeric."""
    QUANTITATIVE = "quantitative"
    """Numbers used for analysis and reports."""

    @classmethod
    def _missing_(cls, value: object) -> Category | None:
        # Its value as text in any case, with spaces around: "Identity" is the identity.
        if isinstance(value, str):
            folded = value.strip().lower()
            for member in cls:
                if member.value == folded:
                    return member
        return None


def read_category(value: object, field: str = "category") -> Category:
    """A :class:`Category`, or its value as text in any case; anything else is refused.

    The one reader of a category given as an argument, so every part of crmcore takes the
    same texts (``"identity"``, ``"Identity"``) and refuses the same others, naming ``field``.

    >>> read_category("Identity"), read_category(Category.QUANTITATIVE).value
    (<Category.IDENTITY: 'identity'>, 'quantitative')
    """
    if type(value) is Category:
        return value
    found: Category | None = None
    if isinstance(value, str):
        found = Category._missing_(value)
    if found is None:  # raised outside any handler: the chain keeps nothing of the value
        choices = ", ".join(member.value for member in Category)
        raise InvalidValueError(f"expected a Category, one of: {choices}", field=field)
    return found


class PrivacyCategory(enum.Enum):
    """What kind of data a field holds, for privacy requests, redaction and retention."""

    NONE = "none"
    IDENTIFIER = "identifier"
    NAME = "name"
    CONTACT_EMAIL = "contact_email"
    CONTACT_PHONE = "contact_phone"
    POSTAL_ADDRESS = "postal_address"
    BIRTH_DATE = "birth_date"
    DEMOGRAPHIC = "demographic"
    PROFESSIONAL = "professional"
    PREFERENCE = "preference"
    BEHAVIOURAL = "behavioural"
    FINANCIAL = "financial"
    OPINION = "opinion"
    FREE_TEXT = "free_text"
    HEALTH = "health"
    ORGANISATION = "organisation"


@attrs.frozen
class FieldInfo:
    """What crmcore knows about one field.

    ``category`` is set on record-level and facet fields and is ``None`` inside a facet, whose
    fields inherit the facet's category. ``custom`` marks the container of custom fields.
    """

    personal: bool
    privacy: PrivacyCategory
    doc: str
    category: Category | None = None
    is_facet: bool = False
    custom: bool = False
    refers_to: str | None = None
    """The record type (``"Account"``) whose ids this field holds, for a reference field."""
    combine: str | None = None
    """How duplicates' values of this field merge when its category does not say it:
    ``"sum"``, ``"max"`` or ``"latest"`` (a score out of ten is not summed)."""


def meta(
    doc: str,
    *,
    personal: bool = False,
    privacy: PrivacyCategory = PrivacyCategory.NONE,
    category: Category | None = None,
    refers_to: str | None = None,
    combine: str | None = None,
) -> dict[str, Any]:
    """Build the metadata mapping for one ``attrs.field``.

    ``refers_to`` names the record type whose ids a reference field holds (``"Account"``);
    ``combine`` says how merged duplicates' values combine (``"sum"``, ``"max"``, ``"latest"``).
    """
    if personal and privacy is PrivacyCategory.NONE:
        raise ValueError("a personal field needs a privacy category")
    info = FieldInfo(personal, privacy, doc, category, refers_to=refers_to, combine=combine)
    return {META_KEY: info}


def facet(category: Category, doc: str) -> dict[str, Any]:
    """Build the metadata of a record's facet field (``identity``, ``descriptive``, ...)."""
    return {META_KEY: FieldInfo(False, PrivacyCategory.NONE, doc, category, is_facet=True)}


def custom_meta(doc: str) -> dict[str, Any]:
    """Build the metadata of a facet's container of custom fields."""
    return {META_KEY: FieldInfo(False, PrivacyCategory.NONE, doc, custom=True)}


def field_info(attribute: attrs.Attribute[Any]) -> FieldInfo | None:
    """Return the :class:`FieldInfo` of an attrs attribute, or ``None`` if it has none."""
    info: Mapping[str, Any] = attribute.metadata
    found = info.get(META_KEY)
    return found if isinstance(found, FieldInfo) else None


_T = TypeVar("_T")


def redacted(cls: type[_T]) -> type[_T]:
    """Give an attrs class a ``repr`` that hides the values of its personal fields.

    A personal field that holds a value shows as ``<redacted>``; an empty one shows as is, so a
    log still tells what is present. Nested values use their own (redacting) ``repr``.
    """
    attributes = attrs.fields(cast(Any, cls))
    names = tuple(attribute.name for attribute in attributes)
    hidden = frozenset(
        attribute.name
        for attribute in attributes
        if (info := field_info(attribute)) is not None and info.personal
    )

    def __repr__(self: object) -> str:
        parts = []
        for name in names:
            value = getattr(self, name)
            shown = "<redacted>" if name in hidden and value not in (None, (), "") else repr(value)
            parts.append(f"{name}={shown}")
        return f"{type(self).__name__}({', '.join(parts)})"

    cls.__repr__ = __repr__  # type: ignore[method-assign]
    return cls
