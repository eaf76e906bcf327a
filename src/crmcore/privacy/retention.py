"""Retention: which records, or which of their fields, are due for deletion, and why.

A retention policy is shaped like a validator: a callable ``(record, ctx) -> Iterable[Due]``
where ``ctx`` is a :class:`RetentionContext` (the time of the check, ``as_of``, and the last
activity of each record id). A :class:`RetentionPolicies` registry names the policies of each
record type, like :class:`~crmcore.validation.RuleSet`; plugins register theirs through the
``crmcore.retention_policies`` entry-point group. :func:`inactive_for` builds the usual policy
(a record, or its fields of a category, untouched for so many months), and
:func:`due_for_deletion` runs a registry over records and lists what is due, in a
deterministic order.

>>> from datetime import datetime, timezone
>>> from crmcore import Contact, ContactDescriptive, LifecycleStage
>>> lead = Contact("c-1", descriptive=ContactDescriptive(lifecycle_stage=LifecycleStage.LEAD),
...                created_at=datetime(2023, 1, 10, tzinfo=timezone.utc))
>>> [(due.record_id, due.code, due.policy) for due in due_for_deletion(
...     [lead], default_retention_policies(), datetime(2026, 1, 1, tzinfo=timezone.utc))]
[('c-1', 'retention.inactive', 'crmcore.inactive_leads')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar

import attrs
from dateutil.relativedelta import relativedelta

from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy._access_paths import check_record_type, slots
from crmcore.privacy._args import read_aware
from crmcore.privacy._retention_context import RetentionContext
from crmcore.records import (
    Category,
    Contact,
    CustomSchema,
    LifecycleStage,
    PrivacyCategory,
    Record,
    fields,
)
from crmcore.validation._plugins import load_plugins

__all__ = [
    "INACTIVE",
    "RETENTION_ENTRY_POINT_GROUP",
    "Due",
    "RetentionContext",
    "RetentionPolicies",
    "RetentionPolicy",
    "RetentionPolicyError",
    "default_retention_policies",
    "due_for_deletion",
    "inactive_for",
]

RETENTION_ENTRY_POINT_GROUP = "crmcore.retention_policies"
"""The entry-point group plugins list their ``register(policies)`` functions in."""

INACTIVE = "retention.inactive"
"""The code of :func:`inactive_for`: no activity for the policy's number of months."""

_NAME = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+")
_CODE = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+")
_PATH = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*")


class RetentionPolicyError(CRMError):
    """A retention policy failed, or answered something other than :class:`Due` values.

    The message names the policy and the record type, never the record's values.
    """


def _code(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not _CODE.fullmatch(value) or len(value) > 200:
        raise InvalidValueError("a code is a dotted lower-case name", field=attribute.name)


def _path(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or (value and not _PATH.fullmatch(value)) or len(value) > 300:
        raise InvalidValueError(
            "a path is empty (the whole record) or dotted field names", field=attribute.name
        )


def _text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or len(value) > 1000:
        raise InvalidValueError("expected text of at most 1000 characters", field=attribute.name)


@attrs.frozen
class Due:
    """One thing due for deletion: a whole record (``path`` empty) or one field of it.

    A policy yields ``Due(code, reason)`` or ``Due(code, reason, path="qualitative.notes")``;
    :func:`due_for_deletion` fills in ``record_type``, ``record_id`` and ``policy`` (the name
    the policy is registered under). ``reason`` is for people and must hold no personal value;
    ``since`` is the instant the retention period was counted from, when known.

    >>> Due("retention.inactive", "no activity for 24 months").path
    ''
    """

    code: str = attrs.field(validator=_code)
    reason: str = attrs.field(validator=_text)
    path: str = attrs.field(default="", kw_only=True, validator=_path)
    since: datetime | None = attrs.field(default=None, kw_only=True)
    record_type: str = attrs.field(default="", kw_only=True, validator=_text)
    record_id: str = attrs.field(default="", kw_only=True, validator=_text)
    policy: str = attrs.field(default="", kw_only=True, validator=_text)

    def __attrs_post_init__(self) -> None:
        if self.since is not None:
            read_aware(self.since, "since")

    @property
    def whole_record(self) -> bool:
        """Whether the whole record is due, rather than one field."""
        return not self.path

    def sort_key(self) -> tuple[str, str, str, str, str]:
        """The order :func:`due_for_deletion` lists dues in."""
        return (self.record_type, self.record_id, self.path, self.policy, self.code)


class Policy(Protocol):
    """A retention policy: ``(record, ctx) -> Iterable[Due]``."""

    def __call__(self, record: Any, ctx: RetentionContext, /) -> Iterable[Due]: ...


P = TypeVar("P", bound=Callable[..., Iterable[Due]])


@attrs.frozen
class RetentionPolicy:
    """A policy as registered: its name, the record types it runs on, and the callable."""

    name: str
    record_types: tuple[type[Record], ...]
    policy: Policy = attrs.field(repr=False)

    def applies_to(self, record_type: type[Any]) -> bool:
        """Whether the policy runs on records of ``record_type`` (subclasses too)."""
        return issubclass(record_type, self.record_types)


def _read_types(record_type: object) -> tuple[type[Record], ...]:
    if isinstance(record_type, type):
        return (check_record_type(record_type),)
    if isinstance(record_type, (str, bytes)) or not isinstance(record_type, Iterable):
        raise InvalidValueError("expected a record type such as Contact", field="record_type")
    found = tuple(check_record_type(kind) for kind in record_type)
    if not found:
        raise InvalidValueError("expected at least one record type", field="record_type")
    return tuple(dict.fromkeys(found))


def _default_name(policy: Callable[..., Any]) -> str:
    module = getattr(policy, "__module__", None) or ""
    qualname = getattr(policy, "__qualname__", None) or ""
    return f"{module}.{qualname}".lower().replace("<", "").replace(">", "")


def _read_name(name: object, policy: Callable[..., Any]) -> str:
    found = _default_name(policy) if name is None else name
    if not isinstance(found, str) or len(found) > 200 or not _NAME.fullmatch(found):
        raise InvalidValueError(
            "a policy name is dotted lower-case, with an organisation prefix like "
            "acme.inactive_leads",
            field="name",
        )
    return found


class RetentionPolicies:
    """The retention policies of each record type, by name.

    Make one with :func:`default_retention_policies` or empty, then extend it:

    >>> from crmcore import Contact
    >>> policies = RetentionPolicies()
    >>> @policies.policy(Contact, name="acme.no_email")
    ... def no_email(record, ctx):
    ...     if not record.identity.emails:
    ...         yield Due("acme.unreachable", "no way to reach the person")
    >>> policies.names
    ('acme.no_email',)
    """

    def __init__(self, policies: Iterable[RetentionPolicy] = ()) -> None:
        self._policies: dict[str, RetentionPolicy] = {}
        self._loaded: set[str] = set()
        for entry in policies:
            if not isinstance(entry, RetentionPolicy):
                raise InvalidValueError("expected RetentionPolicy values", field="policies")
            self._insert(entry)

    def policy(
        self, record_type: type[Any] | Iterable[type[Any]], *, name: str | None = None
    ) -> Callable[[P], P]:
        """Register the decorated function as a policy of ``record_type`` (or types).

        ``name`` defaults to the function's module and qualified name. Written without its
        parentheses, ``@policies.policy`` would register nothing, so it raises:

        >>> policies = RetentionPolicies()
        >>> @policies.policy
        ... def forgot(record, ctx):
        ...     return []
        Traceback (most recent call last):
        ...
        crmcore.errors.InvalidValueError: record_type: expected a record type such as Contact
        """
        types = _read_types(record_type)
        if name is not None:
            _read_name(name, _default_name)

        def decorate(function: P) -> P:
            self.add(types, function, name=name)
            return function

        return decorate

    def add(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        policy: Policy,
        *,
        name: str | None = None,
    ) -> RetentionPolicy:
        """Register ``policy`` for ``record_type`` (or types) and return it as registered.

        A name is registered once: :meth:`replace` or :meth:`remove` it to change it.
        """
        if not callable(policy):
            raise InvalidValueError("a retention policy is a callable", field="policy")
        entry = RetentionPolicy(_read_name(name, policy), _read_types(record_type), policy)
        self._insert(entry)
        return entry

    def _insert(self, entry: RetentionPolicy) -> None:
        if entry.name in self._policies:
            raise InvalidValueError(
                f"a policy named {entry.name} is already registered: replace it", field="name"
            )
        self._policies[entry.name] = entry

    def replace(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        policy: Policy,
        *,
        name: str,
    ) -> RetentionPolicy:
        """Put ``policy`` in place of the one registered as ``name``; return the old one.

        The policy keeps its place in the order of the registry.
        """
        previous = self.get(name)
        if not callable(policy):
            raise InvalidValueError("a retention policy is a callable", field="policy")
        self._policies[name] = RetentionPolicy(name, _read_types(record_type), policy)
        return previous

    def remove(self, policy: str | Callable[..., Any]) -> RetentionPolicy:
        """Unregister a policy, by name or by its callable, and return it.

        An unknown policy raises :class:`~crmcore.errors.InvalidValueError`.
        """
        if isinstance(policy, str):
            found = self.get(policy)
        else:
            matches = [entry for entry in self._policies.values() if entry.policy is policy]
            if not matches:
                raise InvalidValueError("no such policy is registered", field="policy")
            found = matches[0]
        del self._policies[found.name]
        return found

    def get(self, name: str) -> RetentionPolicy:
        """The policy registered as ``name``; :class:`~crmcore.errors.InvalidValueError` if none."""
        found = self._policies.get(name) if isinstance(name, str) else None
        if found is None:
            raise InvalidValueError("no policy of that name is registered", field="name")
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._policies

    def __len__(self) -> int:
        return len(self._policies)

    @property
    def names(self) -> tuple[str, ...]:
        """The registered names, in the order they were added."""
        return tuple(self._policies)

    @property
    def policies(self) -> tuple[RetentionPolicy, ...]:
        """Every registered policy, in the order they were added."""
        return tuple(self._policies.values())

    def policies_for(self, record_type: type[Any]) -> tuple[RetentionPolicy, ...]:
        """The policies that run on ``record_type``, in the order they were added."""
        kind = check_record_type(record_type)
        return tuple(entry for entry in self._policies.values() if entry.applies_to(kind))

    def load_entry_points(
        self, group: str = RETENTION_ENTRY_POINT_GROUP, *, names: Collection[str] | None = None
    ) -> tuple[str, ...]:
        """Load the plugins of ``group`` and return the names of those loaded now.

        Each entry point names a callable ``register(policies)`` that adds its policies.
        Entry points load in name order, each once per registry; ``names`` limits loading to
        those entry-point names. A plugin that fails to load or to register raises
        :class:`~crmcore.validation.PluginError` naming it and the cause.
        """
        return load_plugins(self, group, names, self._loaded, noun="retention policy")

    def copy(self) -> RetentionPolicies:
        """An independent copy: changing one does not change the other."""
        other = RetentionPolicies(self._policies.values())
        other._loaded = set(self._loaded)
        return other

    def __repr__(self) -> str:
        return f"RetentionPolicies({list(self._policies)!r})"


def _months(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1200:
        raise InvalidValueError("expected a whole number of months from 1 to 1200", field="months")
    return value


def _stages(value: object) -> frozenset[LifecycleStage] | None:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected LifecycleStage values or None", field="stages")
    found = set()
    for entry in value:
        try:
            found.add(entry if isinstance(entry, LifecycleStage) else LifecycleStage(entry))
        except (ValueError, TypeError):
            raise InvalidValueError("expected LifecycleStage values", field="stages") from None
    if not found:
        raise InvalidValueError("give at least one stage, or None for every stage", field="stages")
    return frozenset(found)


def _privacy(value: object) -> frozenset[PrivacyCategory]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected PrivacyCategory values", field="privacy")
    found = set()
    for entry in value:
        try:
            found.add(entry if isinstance(entry, PrivacyCategory) else PrivacyCategory(entry))
        except (ValueError, TypeError):
            raise InvalidValueError("expected PrivacyCategory values", field="privacy") from None
    return frozenset(found)


def _category(value: object) -> Category | None:
    if value is None or isinstance(value, Category):
        return value
    try:
        return Category(value)
    except (ValueError, TypeError):
        raise InvalidValueError("expected a Category or None", field="category") from None


def _holds(owner: type[Any], name: str, value: object) -> bool:
    """Whether a field holds a value: neither empty nor its type's default."""
    if value in (None, (), ""):
        return False
    default: Any = attrs.fields_dict(owner)[name].default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    return bool(value != default)


def _since(record: Record, ctx: RetentionContext) -> datetime | None:
    """When inactivity counts from: the last activity known, else the record's creation."""
    known = [ctx.last_activity_of(record.id), record.created_at]
    found = [moment for moment in known if moment is not None]
    return max(found) if found else None


def inactive_for(
    record_type: type[Any],
    *,
    months: int = 24,
    stages: Iterable[LifecycleStage | str] | None = (LifecycleStage.LEAD,),
    category: Category | str | None = None,
    privacy: Iterable[PrivacyCategory | str] = (),
    schema: CustomSchema | None = None,
) -> Policy:
    """A policy: records of ``record_type`` with no activity for ``months`` months are due.

    Inactivity counts from the latest of the record's last activity (see
    :class:`RetentionContext`) and its ``created_at`` (an edit such as a cleaning is not
    activity, so ``updated_at`` does not count). A record with neither is never due: nothing
    tells how long it has been kept, and the policy does not guess. Months are calendar
    months (31 March plus one month is 30 April); the record is due once ``as_of`` reaches
    that instant.

    ``stages`` limits the policy to contacts at those lifecycle stages (a contact with no
    stage is not concerned); ``None`` means every stage, and is required for record types
    without a lifecycle stage. With ``category`` or ``privacy``, the policy names the
    *fields* due rather than the record: every personal field of that category (and, if
    given, of one of those privacy categories) that holds a value, custom fields included
    (declared by ``schema``; undeclared custom values are personal free text).

    >>> from datetime import datetime, timezone
    >>> from crmcore import Contact, ContactQualitative, Note
    >>> old_notes = inactive_for(Contact, months=36, stages=None, privacy=["free_text"])
    >>> c = Contact("c-9", qualitative=ContactQualitative(notes=(Note("called"),)),
    ...             created_at=datetime(2020, 1, 1, tzinfo=timezone.utc))
    >>> ctx = RetentionContext(datetime(2026, 1, 1, tzinfo=timezone.utc))
    >>> [due.path for due in old_notes(c, ctx)]
    ['qualitative.notes']
    """
    kind = check_record_type(record_type)
    period = _months(months)
    wanted_stages = _stages(stages)
    wanted_category = _category(category)
    wanted_privacy = _privacy(privacy)
    if schema is not None and (
        not isinstance(schema, CustomSchema) or schema.record_type is not kind
    ):
        raise InvalidValueError("expected a CustomSchema of the record type", field="schema")
    has_stage = any(spec.path == "descriptive.lifecycle_stage" for spec in fields(kind))
    if wanted_stages is not None and not has_stage:
        raise InvalidValueError(
            f"{kind.__name__} has no lifecycle stage: give stages=None", field="stages"
        )
    by_field = wanted_category is not None or bool(wanted_privacy)
    reason = f"no activity for {period} months"

    def policy(record: Any, ctx: RetentionContext, /) -> Iterable[Due]:
        if not isinstance(record, kind):
            return
        if wanted_stages is not None:
            staged: Any = record  # a type with a lifecycle stage, checked above
            if staged.descriptive.lifecycle_stage not in wanted_stages:
                return
        since = _since(record, ctx)
        if since is None or since + relativedelta(months=period) > ctx.as_of:
            return
        if not by_field:
            yield Due(INACTIVE, reason, since=since)
            return
        for slot in slots(record, schema):
            if not slot.personal:
                continue
            if wanted_category is not None and slot.category is not wanted_category:
                continue
            if wanted_privacy and slot.privacy not in wanted_privacy:
                continue
            if _slot_value_present(record, slot.facet, slot.name, slot.custom):
                yield Due(INACTIVE, reason, path=slot.path, since=since)

    policy.__name__ = policy.__qualname__ = f"inactive_for_{period}_months"
    return policy


def _slot_value_present(record: Record, facet: str | None, name: str, custom: bool) -> bool:
    holder: Any = record if facet is None else getattr(record, facet)
    if custom:
        return name in holder.custom
    return _holds(type(holder), name, getattr(holder, name))


def default_retention_policies() -> RetentionPolicies:
    """A fresh registry with the built-in policy; change it freely.

    ``crmcore.inactive_leads``: contacts at the ``lead`` stage with no activity for 24 months.

    >>> default_retention_policies().names
    ('crmcore.inactive_leads',)
    """
    policies = RetentionPolicies()
    policies.add(Contact, inactive_for(Contact), name="crmcore.inactive_leads")
    return policies


def due_for_deletion(
    records: Iterable[Record],
    policies: RetentionPolicies,
    as_of: datetime,
    *,
    last_activity: Mapping[str, datetime] | None = None,
) -> tuple[Due, ...]:
    """Run ``policies`` on ``records`` and list everything due for deletion at ``as_of``.

    The context's last activity is the latest of ``last_activity`` (record id to instant)
    and of the :class:`~crmcore.Activity` records among ``records`` (see
    :meth:`RetentionContext.from_activities`). Each :class:`Due` names the record type and
    id, the path (empty for the whole record), the code and the policy; the list is sorted
    by those, with repeats dropped, so the answer does not depend on the order of the
    inputs. A policy that raises, or yields something other than :class:`Due`, raises
    :class:`RetentionPolicyError` naming it: a retention run is never silently partial.
    """
    if not isinstance(policies, RetentionPolicies):
        raise InvalidValueError("expected RetentionPolicies", field="policies")
    if isinstance(records, (str, bytes, Record)) or not isinstance(records, Iterable):
        raise InvalidValueError("expected an iterable of records", field="records")
    found = list(records)
    for position, record in enumerate(found):
        if not isinstance(record, Record):
            raise InvalidValueError("expected a crmcore record", field=f"records[{position}]")
    ctx = RetentionContext.from_activities(as_of, found, last_activity)
    dues: set[Due] = set()
    for record in found:
        kind = type(record)
        for entry in policies.policies_for(kind):
            dues.update(_run(entry, record, ctx))
    return tuple(sorted(dues, key=Due.sort_key))


def _run(entry: RetentionPolicy, record: Record, ctx: RetentionContext) -> list[Due]:
    where = f"retention policy {entry.name} on a {type(record).__name__}"
    failure: str | None = None
    try:
        answered = list(entry.policy(record, ctx))
    except Exception as exc:  # its message may quote the record: only its type is named
        failure = f"{where} raised {type(exc).__name__}"
    if failure is not None:
        raise RetentionPolicyError(failure) from None
    dues = []
    for due in answered:
        if not isinstance(due, Due):
            raise RetentionPolicyError(f"{where} yielded a {type(due).__name__}, not a Due")
        dues.append(
            attrs.evolve(
                due, record_type=type(record).__name__, record_id=record.id, policy=entry.name
            )
        )
    return dues
