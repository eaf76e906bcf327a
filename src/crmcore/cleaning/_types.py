"""What cleaning knows of the record classes, read once per class from attrs and field metadata.

Nothing here lists field names: every fact (text or not, free text or not, personal or not, a
country code or not, a birth date or not) comes from the attrs annotations, validators and the
``crmcore`` field metadata of the classes themselves.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from types import UnionType
from typing import Any, TypeVar, Union, cast, get_args, get_origin

import attrs

from crmcore.records import _checks as check
from crmcore.records._meta import PrivacyCategory, field_info
from crmcore.records.custom import CustomFields
from crmcore.records.values import ContactPoint, QuarantinedValue

T = TypeVar("T")

__all__ = [
    "Kind",
    "Slot",
    "chains_to",
    "get_in",
    "is_personal",
    "rebuild",
    "set_all",
    "set_in",
    "slot_map",
    "slots",
    "value_parts",
]


class Kind(enum.Enum):
    """The shape of one attribute, as cleaning sees it."""

    TEXT = "text"
    TEXTS = "texts"
    OBJECT = "object"
    OBJECTS = "objects"
    CUSTOM = "custom"
    DATE = "date"
    DATETIME = "datetime"
    OPAQUE = "opaque"
    OTHER = "other"


@attrs.frozen
class Slot:
    """One attribute of an attrs class: its name, shape and what the metadata says of it."""

    name: str
    kind: Kind
    cls: type[Any] | None
    required: bool
    optional: bool
    personal: bool
    multiline: bool
    country: bool
    language: bool
    birth_date: bool


def _unwrap(kind: Any) -> Any:
    if get_origin(kind) in (Union, UnionType):
        args = [arg for arg in get_args(kind) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return kind


def _shape(kind: Any) -> tuple[Kind, type[Any] | None]:
    base = _unwrap(kind)
    if base is str:
        return Kind.TEXT, None
    if get_origin(base) is tuple:
        args = get_args(base)
        if len(args) == 2 and args[1] is Ellipsis:
            item = args[0]
            if item is str:
                return Kind.TEXTS, None
            if item is QuarantinedValue:
                return Kind.OPAQUE, None
            if isinstance(item, type) and attrs.has(item):
                return Kind.OBJECTS, item
        return Kind.OTHER, None
    if base is CustomFields:
        return Kind.CUSTOM, None
    if base is datetime:
        return Kind.DATETIME, None
    if base is date:
        return Kind.DATE, None
    if isinstance(base, type) and attrs.has(base):
        return Kind.OBJECT, base
    return Kind.OTHER, None


def slots(cls: type[Any]) -> tuple[Slot, ...]:
    """The slots of an attrs class, in declaration order."""
    return _slots(cast(Any, cls))


def slot_map(cls: type[Any]) -> dict[str, Slot]:
    """The slots of an attrs class by name."""
    return _slot_map(cast(Any, cls))


# Caches keyed by class (mypy does not see classes as hashable, hence the casts above).
@functools.cache
def _slots(cls: type[Any]) -> tuple[Slot, ...]:
    found = []
    for attribute in attrs.fields(attrs.resolve_types(cls)):
        info = field_info(attribute)
        kind, item = _shape(attribute.type)
        privacy = info.privacy if info is not None else PrivacyCategory.NONE
        found.append(
            Slot(
                name=attribute.name,
                kind=kind,
                cls=item,
                required=attribute.default is attrs.NOTHING,
                optional=type(None) in get_args(attribute.type),
                personal=(info is None or info.personal) or kind is Kind.CUSTOM,
                multiline=privacy is PrivacyCategory.FREE_TEXT,
                country=attribute.validator is check.country,
                language=attribute.validator is check.language,
                birth_date=privacy is PrivacyCategory.BIRTH_DATE,
            )
        )
    return tuple(found)


@functools.cache
def _slot_map(cls: type[Any]) -> dict[str, Slot]:
    return {slot.name: slot for slot in slots(cls)}


_INDEX = re.compile(r"\[[0-9]+\]")


def is_personal(record_type: type[Any], path: str) -> bool:
    """Whether the value at ``path`` of a ``record_type`` may be personal data.

    True when any field along the path is marked personal in its metadata, when the value
    there holds a personal field (an organisation's phone holds its number), and for anything
    the metadata cannot vouch for (custom fields, unknown keys): redaction errs on the safe side.
    """
    return _is_personal(cast(Any, record_type), path)


@functools.lru_cache(maxsize=16384)
def _is_personal(record_type: type[Any], path: str) -> bool:
    return _personal(cast(Any, record_type), _INDEX.sub("", path))


@functools.lru_cache(maxsize=4096)
def _personal(record_type: type[Any], path: str) -> bool:
    current: type[Any] | None = record_type
    personal = False
    for segment in path.split("."):
        if current is None or not attrs.has(current):
            return True
        slot = slot_map(current).get(segment)
        if slot is None:
            return True
        personal = personal or slot.personal
        current = slot.cls
    return personal or (current is not None and _holds_personal(cast(Any, current)))


@functools.cache
def _holds_personal(cls: type[Any]) -> bool:
    """Whether an object of ``cls`` holds a personal field, at any depth."""
    return any(
        slot.personal or (slot.cls is not None and _holds_personal(cast(Any, slot.cls)))
        for slot in slots(cls)
    )


def chains_to(record_type: type[Any], match: Callable[[Slot], bool]) -> tuple[tuple[str, ...], ...]:
    """The attribute chains from ``record_type`` to every slot that ``match`` accepts.

    The walk goes down single nested objects (facets, a name), not into tuples of objects.
    """
    return _chains(cast(Any, record_type), match)


@functools.lru_cache(maxsize=256)
def _chains(cls: type[Any], match: Callable[[Slot], bool]) -> tuple[tuple[str, ...], ...]:
    found: list[tuple[str, ...]] = []
    for slot in slots(cls):
        if match(slot):
            found.append((slot.name,))
        elif slot.kind is Kind.OBJECT and slot.cls is not None:
            found.extend((slot.name, *rest) for rest in chains_to(slot.cls, match))
    return tuple(found)


def get_in(obj: Any, chain: tuple[str, ...]) -> Any:
    """The value at the end of an attribute chain (``None`` if a link on the way is ``None``)."""
    for name in chain:
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def set_in(obj: Any, chain: tuple[str, ...], value: Any) -> Any:
    """A copy of ``obj`` with the value at the end of ``chain`` replaced (see :func:`rebuild`)."""
    head, *rest = chain
    if rest:
        value = set_in(getattr(obj, head), tuple(rest), value)
    return rebuild(obj, {head: value})


def set_all(obj: T, updates: dict[tuple[str, ...], Any]) -> T:
    """A copy of ``obj`` with the value at the end of each chain replaced, each object on the
    way rebuilt once; ``obj`` itself when there is nothing to update."""
    if not updates:
        return obj
    direct: dict[str, Any] = {}
    nested: dict[str, dict[tuple[str, ...], Any]] = {}
    for chain, value in updates.items():
        head, rest = chain[0], chain[1:]
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            direct[head] = value
    for head, inner in nested.items():
        direct[head] = set_all(getattr(obj, head), inner)
    return rebuild(obj, direct)


def rebuild(obj: T, updates: dict[str, Any]) -> T:
    """A copy of an attrs object with ``updates`` applied, every new value checked.

    What :func:`attrs.evolve` does, through a function generated once per class. Values that
    do not change were checked when ``obj`` was built; only the new ones are checked again, by
    the validators of their fields. A class with converters or init hooks is rebuilt through
    its constructor.
    """
    return cast(T, _rebuilder(cast(Any, type(obj)))(obj, updates))


def _plain(cls: type[Any]) -> bool:
    hooks = ("__attrs_pre_init__", "__attrs_post_init__")
    return not any(hasattr(cls, hook) for hook in hooks) and all(
        a.converter is None and a.init for a in attrs.fields(cls)
    )


@functools.cache
def _rebuilder(cls: type[Any]) -> Callable[[Any, dict[str, Any]], Any]:
    names = _init_names(cast(Any, cls))
    namespace: dict[str, Any] = {"cls": cls}
    if not _plain(cls):
        arguments = ", ".join(f"{a}=u[{n!r}] if {n!r} in u else obj.{n}" for n, a in names)
        source = f"def rebuild(obj, u):\n    return cls({arguments})"
    else:
        fields = attrs.fields(cls)
        namespace.update(
            new=object.__new__,
            put=object.__setattr__,
            checks={a.name: (a.validator, a) for a in fields if a.validator is not None},
        )
        lines = ["def rebuild(obj, u):", "    self = new(cls)"]
        lines += [f"    put(self, {n!r}, u[{n!r}] if {n!r} in u else obj.{n})" for n, _ in names]
        lines += [
            "    for name, value in u.items():",
            "        check = checks.get(name)",
            "        if check is not None:",
            "            check[0](self, check[1], value)",
            "    return self",
        ]
        source = "\n".join(lines)
    exec(compile(source, f"<crmcore rebuild {cls.__name__}>", "exec"), namespace)
    return cast(Callable[[Any, dict[str, Any]], Any], namespace["rebuild"])


@functools.cache
def _init_names(cls: type[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((a.name, a.alias or a.name) for a in attrs.fields(cls) if a.init)


_POINT = frozenset(attribute.name for attribute in attrs.fields(ContactPoint))


def value_parts(cls: type[Any]) -> frozenset[str] | None:
    """The parts of a value object: what makes it what it is, so that it is blank without them.

    A contact point's label and provenance (``label``, ``primary``, ``source``,
    ``collected_at``, ``verified_at``) are no parts: a label alone is no phone. ``None`` for a
    record or a facet (they hold custom fields, or an ``id``), which are never blank.
    """
    return _value_parts(cast(Any, cls))


@functools.cache
def _value_parts(cls: type[Any]) -> frozenset[str] | None:
    names = {slot.name for slot in slots(cls)}
    if any(slot.kind is Kind.CUSTOM for slot in slots(cls)) or "id" in names:
        return None
    if issubclass(cls, ContactPoint):
        return frozenset(names - _POINT)
    return frozenset(names)
