"""What validators are told besides the record: the instant, the region and the policies.

A :class:`Context` is made once per run and passed to every validator. Time is never read from
the clock: ``as_of`` is required and timezone-aware. Policies are small frozen objects:
:class:`StalenessPolicy` (how long a contact point stays fresh), :class:`BirthDatePolicy`
(which ages are plausible) and :class:`Pipelines` (the stages of each sales pipeline).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from crmcore._iso import COUNTRY_CODES
from crmcore._regions import region_reason
from crmcore.errors import InvalidValueError
from crmcore.records._meta import Category, read_category
from crmcore.records.custom import CustomSchema

__all__ = [
    "DEFAULT_ROLE_ACCOUNTS",
    "BirthDatePolicy",
    "Context",
    "Pipelines",
    "StalenessPolicy",
]

_INDEX = re.compile(r"\[\d+\]")
_SEPARATORS = re.compile(r"[._\-]")
_PROBE = datetime(2000, 1, 1)


_ABSOLUTE = ("year", "month", "day", "weekday", "hour", "minute", "second", "microsecond")
"""The fields of a relativedelta that set a date rather than add to it."""


def _period_problem(value: object) -> str | None:
    """Why ``value`` is not a usable period (a positive relativedelta), or ``None``."""
    if not isinstance(value, relativedelta):
        return "expected a dateutil relativedelta"
    if any(getattr(value, name) is not None for name in _ABSOLUTE):
        return "expected a period (years=2), not a date (year=2)"
    try:
        later = _PROBE + value
    except (OverflowError, ValueError):
        return "the period is longer than the calendar allows; None turns the check off"
    if later <= _PROBE:
        return "expected a period longer than zero"
    return None


def _positive(_: object, attribute: attrs.Attribute[Any], value: relativedelta | None) -> None:
    if value is None:
        return
    problem = _period_problem(value)
    if problem is not None:
        raise InvalidValueError(problem, field=attribute.name)


def _periods(
    value: Mapping[Any, Any], field: str = "by_path"
) -> Mapping[Any, relativedelta | None]:
    if not isinstance(value, Mapping):
        raise InvalidValueError("expected a mapping of periods", field=field)
    for period in value.values():
        problem = None if period is None else _period_problem(period)
        if problem is not None:
            raise InvalidValueError(problem, field=field)
    return MappingProxyType(dict(value))


def _paths(value: Mapping[Any, Any]) -> Mapping[str, relativedelta | None]:
    periods = _periods(value)
    if not all(isinstance(key, str) and key for key in periods):
        raise InvalidValueError("expected field paths such as identity.emails", field="by_path")
    return periods


def _category_key(key: object) -> Category:
    return read_category(key, field="by_category")


def _categories(value: Mapping[Any, Any]) -> Mapping[Category, relativedelta | None]:
    periods = _periods(value, "by_category")
    keyed = {_category_key(key): period for key, period in periods.items()}
    if len(keyed) != len(periods):
        raise InvalidValueError("a category is given twice", field="by_category")
    return MappingProxyType(keyed)


def _flag(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidValueError("expected True or False", field=attribute.name)


def _instance_of(kind: type[Any], *, optional: bool) -> Any:
    """An attrs validator refusing anything but a ``kind`` (or ``None`` when ``optional``)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, kind) or (optional and value is None):
            return
        also = " or None" if optional else ""
        raise InvalidValueError(f"expected a {kind.__name__}{also}", field=attribute.name)

    return check


def field_key(path: str) -> str:
    """The path of a field without list indexes: ``identity.emails[1]`` → ``identity.emails``."""
    return _INDEX.sub("", path)


def _by_fields(value: Any) -> tuple[Any, ...]:
    """``__reduce__`` of a frozen value whose read-only mappings do not pickle as they are:
    built again from its fields (each read-only mapping as a dict), through its converters."""
    cls = type(value)
    fields = {}
    for field in attrs.fields(cls):
        if field.init:
            item = getattr(value, field.name)
            fields[field.alias] = dict(item) if isinstance(item, MappingProxyType) else item
    return (_build, (cls, fields))


def _build(cls: type[Any], fields: dict[str, Any]) -> Any:
    return cls(**fields)


@attrs.frozen
class StalenessPolicy:
    """How long a contact point stays fresh after it was last confirmed.

    A contact point (email, phone, postal address) was last confirmed at the latest of its own
    ``verified_at`` and its record's ``last_verified_at``; when neither is known, its
    ``collected_at`` stands in. It is stale when that instant is more than its maximum age
    before ``as_of``. The maximum age is looked up by field path without indexes
    (``identity.emails``), then by category, then ``max_age``; ``None`` at any level turns the
    check off. A value with no date at all is stale only with ``unknown_is_stale``.

    >>> policy = StalenessPolicy(relativedelta(years=2), by_path={"identity.phones": None})
    >>> policy.max_age_for("identity.phones[0]", Category.IDENTITY) is None
    True
    >>> policy.max_age_for("identity.emails[0]", Category.IDENTITY)
    relativedelta(years=+2)
    """

    __reduce__ = _by_fields

    max_age: relativedelta | None = attrs.field(
        factory=lambda: relativedelta(years=2), validator=_positive
    )
    by_category: Mapping[Category, relativedelta | None] = attrs.field(
        factory=dict, converter=_categories, kw_only=True
    )
    by_path: Mapping[str, relativedelta | None] = attrs.field(
        factory=dict, converter=_paths, kw_only=True
    )
    unknown_is_stale: bool = attrs.field(default=False, kw_only=True, validator=_flag)

    def max_age_for(self, path: str, category: Category | None) -> relativedelta | None:
        """The maximum age of the value at ``path``, or ``None`` when it is not checked."""
        key = field_key(path) if "[" in path else path
        if key in self.by_path:
            return self.by_path[key]
        if category is not None and category in self.by_category:
            return self.by_category[category]
        return self.max_age


@attrs.frozen
class BirthDatePolicy:
    """Which ages are plausible for a contact on the ``as_of`` date.

    A birth date more than ``max_age`` before ``as_of``, or less than ``min_age`` before it,
    is implausible; ``None`` turns a bound off. A birth date after ``as_of`` is always reported.
    """

    max_age: relativedelta | None = attrs.field(
        factory=lambda: relativedelta(years=120), validator=_positive
    )
    min_age: relativedelta | None = attrs.field(default=None, validator=_positive)


def _stages(value: Mapping[str, Iterable[str]]) -> Mapping[str, frozenset[str]]:
    if not isinstance(value, Mapping):
        raise InvalidValueError("expected a mapping of pipeline to stages", field="stages")
    result: dict[str, frozenset[str]] = {}
    for pipeline, stages in value.items():
        if not isinstance(pipeline, str) or isinstance(stages, str):
            raise InvalidValueError("expected text pipelines and lists of stages", field="stages")
        found = frozenset(stages)
        if not all(isinstance(stage, str) for stage in found):
            raise InvalidValueError("expected text stages", field="stages")
        result[pipeline] = found
    return MappingProxyType(result)


@attrs.frozen
class Pipelines:
    """The sales pipelines and the stages each allows; ``default`` serves deals with none.

    Names are compared exactly, as CRMs store stage ids.

    >>> pipelines = Pipelines({"sales": ["lead", "proposal", "won", "lost"]}, default="sales")
    >>> pipelines.allows(None, "won"), pipelines.allows("sales", "signed")
    (True, False)
    """

    __reduce__ = _by_fields

    stages: Mapping[str, frozenset[str]] = attrs.field(converter=_stages)
    default: str | None = attrs.field(default=None)

    @default.validator
    def _known(self, _: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None and value not in self.stages:
            raise InvalidValueError("the default pipeline is not declared", field="default")

    def knows(self, pipeline: str) -> bool:
        """Whether ``pipeline`` is declared."""
        return pipeline in self.stages

    def allows(self, pipeline: str | None, stage: str) -> bool:
        """Whether ``stage`` belongs to ``pipeline`` (or to the default pipeline).

        With neither, any declared pipeline that has the stage will do.
        """
        name = pipeline if pipeline is not None else self.default
        if name is None:
            return any(stage in stages for stages in self.stages.values())
        return stage in self.stages.get(name, frozenset())


DEFAULT_ROLE_ACCOUNTS: frozenset[str] = frozenset(
    [
        "abuse",
        "accounting",
        "accounts",
        "admin",
        "administrator",
        "billing",
        "booking",
        "bookings",
        "careers",
        "compliance",
        "contact",
        "contactus",
        "customercare",
        "customerservice",
        "customersupport",
        "dev",
        "enquiries",
        "enquiry",
        "events",
        "facturation",
        "finance",
        "hello",
        "help",
        "helpdesk",
        "hostmaster",
        "hr",
        "info",
        "information",
        "inquiries",
        "inquiry",
        "invoice",
        "invoices",
        "it",
        "jobs",
        "legal",
        "mail",
        "marketing",
        "media",
        "news",
        "newsletter",
        "noc",
        "office",
        "orders",
        "partners",
        "postmaster",
        "press",
        "privacy",
        "recruitment",
        "reception",
        "root",
        "sales",
        "security",
        "service",
        "shop",
        "staff",
        "support",
        "team",
        "webmaster",
        "welcome",
    ]
)
"""Local parts of shared mailboxes.

They are compared in lower case without ``+tag`` and without ``.``, ``_`` or ``-``, so
``customer-service`` and ``Customer.Service+eu`` both match ``customerservice``.
"""


_BIRTH = ("birth",)
"""The memo key of the birth bounds (paths, the other keys, are text)."""


def _minus(moment: Any, period: relativedelta) -> Any:
    """``moment - period``, or ``None`` when that falls outside the calendar."""
    try:
        return moment - period
    except (OverflowError, ValueError):
        return None


def _region(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValueError("expected an ISO 3166-1 alpha-2 code", field="default_region")
    if value not in COUNTRY_CODES:
        raise InvalidValueError(region_reason(value), field="default_region")
    return value


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime) -> None:
    if not isinstance(value, datetime):
        raise InvalidValueError("expected a datetime", field=attribute.name)
    if value.utcoffset() is None:
        raise InvalidValueError("as_of must be timezone-aware", field=attribute.name)


def _schemas(value: Iterable[CustomSchema]) -> tuple[CustomSchema, ...]:
    schemas = tuple(value)
    if not all(isinstance(schema, CustomSchema) for schema in schemas):
        raise InvalidValueError("expected CustomSchema values", field="schemas")
    types = [schema.record_type for schema in schemas]
    if len(types) != len(set(types)):
        raise InvalidValueError("one custom-field schema per record type", field="schemas")
    return schemas


def _options(value: Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidValueError("expected a mapping", field="options")
    return MappingProxyType(dict(value))


def _roles(value: Iterable[str]) -> frozenset[str]:
    found = () if isinstance(value, str) else tuple(value)
    if isinstance(value, str) or not all(isinstance(item, str) for item in found):
        raise InvalidValueError("expected a set of local parts", field="role_accounts")
    return frozenset(_SEPARATORS.sub("", item.lower()) for item in found)


@attrs.frozen
class Context:
    """What every validator is told besides the record.

    - ``as_of``: the instant validation is done for (birth dates, staleness, future dates).
    - ``default_region``: where to read a national phone number when neither the phone nor its
      record's addresses say.
    - ``staleness``: the :class:`StalenessPolicy`; ``None`` turns staleness checks off.
    - ``birth_dates``: the :class:`BirthDatePolicy`.
    - ``pipelines``: the :class:`Pipelines` deals are checked against; ``None`` skips the check.
    - ``schemas``: custom-field schemas, one per record type at most; a record type without
      one has its custom fields left unchecked.
    - ``role_accounts``: local parts of shared mailboxes.
    - ``options``: free settings for third-party validators, read-only.

    Each option is checked here: a value of the wrong kind (a period where a policy is
    expected, a region that is no ISO code) raises :class:`~crmcore.InvalidValueError` naming
    the option; a refused region says which code was likely meant (``UK`` or ``gb``: ``GB``).

    >>> from datetime import timezone
    >>> ctx = Context(datetime(2025, 6, 1, tzinfo=timezone.utc), default_region="FR")
    >>> ctx.staleness.max_age
    relativedelta(years=+2)
    """

    __reduce__ = _by_fields

    as_of: datetime = attrs.field(validator=_aware)
    default_region: str | None = attrs.field(default=None, kw_only=True, converter=_region)
    staleness: StalenessPolicy | None = attrs.field(
        factory=StalenessPolicy,
        kw_only=True,
        validator=_instance_of(StalenessPolicy, optional=True),
    )
    birth_dates: BirthDatePolicy = attrs.field(
        factory=BirthDatePolicy,
        kw_only=True,
        validator=_instance_of(BirthDatePolicy, optional=False),
    )
    pipelines: Pipelines | None = attrs.field(
        default=None, kw_only=True, validator=_instance_of(Pipelines, optional=True)
    )
    schemas: tuple[CustomSchema, ...] = attrs.field(default=(), converter=_schemas, kw_only=True)
    role_accounts: frozenset[str] = attrs.field(
        default=DEFAULT_ROLE_ACCOUNTS, converter=_roles, kw_only=True
    )
    options: Mapping[str, Any] = attrs.field(factory=dict, converter=_options, kw_only=True)
    _memo: dict[Any, Any] = attrs.field(factory=dict, init=False, repr=False, eq=False)

    @property
    def today(self) -> date:
        """The calendar date of ``as_of``, in its own timezone."""
        return self.as_of.date()

    def stale_before(self, path: str, category: Category | None) -> datetime | None:
        """The instant before which a value at ``path`` is stale, or ``None`` if unchecked."""
        memo = self._memo
        if path in memo:
            return memo[path]  # type: ignore[no-any-return]
        cutoff = None
        if self.staleness is not None:
            max_age = self.staleness.max_age_for(path, category)
            if max_age is not None:
                cutoff = _minus(self.as_of, max_age)
        memo[path] = cutoff
        return cutoff

    def birth_bounds(self) -> tuple[date | None, date | None]:
        """The earliest and latest plausible birth dates on ``as_of`` (``None``: no bound)."""
        if _BIRTH not in self._memo:
            policy = self.birth_dates
            oldest = _minus(self.today, policy.max_age) if policy.max_age else None
            youngest = _minus(self.today, policy.min_age) if policy.min_age else None
            self._memo[_BIRTH] = (oldest, youngest)
        return self._memo[_BIRTH]  # type: ignore[no-any-return]

    def schema_for(self, record_type: type[Any]) -> CustomSchema | None:
        """The custom-field schema of ``record_type``, or ``None``."""
        for schema in self.schemas:
            if schema.record_type is record_type:
                return schema
        return None
