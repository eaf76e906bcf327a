"""No personal value reaches a message, a path, a repr or the JSON of a report.

Every text field of every record type is planted with a distinctive token, with the record
classes' own checks turned off so that tokens land even where a constructor would refuse them
(an unknown country, a malformed currency); amounts, dates and counts are set to values that
set off as many rules as possible. A validator that raises with a planted value in its
exception is added too. Record ids are identifiers, not personal values: they may appear as an
issue's ``record_id`` and nowhere else.
"""

from __future__ import annotations

import enum
import itertools
import json
import types
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

import attrs
import pytest

from crmcore import (
    Category,
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Record,
    ValidationError,
)
from crmcore.records import RECORD_TYPES
from crmcore.validation import (
    BatchBuilder,
    Context,
    Issue,
    Pipelines,
    StalenessPolicy,
    default_ruleset,
    validate,
)

AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)


class _Planter:
    def __init__(self) -> None:
        self._counter = itertools.count()
        self.tokens: list[str] = []

    def token(self) -> str:
        token = f"Pl4nt{next(self._counter):03d}qz"
        self.tokens.append(token)
        return token

    def value(self, kind: Any) -> Any:
        origin, args = get_origin(kind), get_args(kind)
        if origin in (Union, types.UnionType):
            inner = next(arg for arg in args if arg is not type(None))
            return self.value(inner)
        if origin is tuple:
            item = self.value(args[0])
            return (item, item)
        if kind is str:
            return self.token()
        if kind is bool:
            return True
        if kind is int:
            return 7
        if kind is float:
            return 1.5
        if kind is Decimal:
            return Decimal("-1.23456")
        if kind is datetime:
            return datetime(9999, 1, 1, tzinfo=timezone.utc)
        if kind is date:
            return date(9999, 1, 1)
        if kind is CustomFields:
            return CustomFields({"plant": self.token()})
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return next(iter(kind))
        if attrs.has(kind):
            return self.build(kind)
        raise AssertionError(f"no planted value for {kind!r}")

    def build(self, cls: type[Any]) -> Any:
        values = {}
        for attribute in attrs.fields(attrs.resolve_types(cls)):
            if attribute.init:
                values[attribute.name.lstrip("_")] = self.value(attribute.type)
        with attrs.validators.disabled():
            return cls(**values)


def _planted() -> tuple[list[Record], list[str]]:
    planter = _Planter()
    records = [planter.build(record_type) for record_type in RECORD_TYPES]
    return records, planter.tokens


def _context() -> Context:
    schemas = [
        CustomSchema(
            record_type, (CustomFieldSpec("plant", CustomType.INTEGER, Category.DESCRIPTIVE),)
        )
        for record_type in RECORD_TYPES
    ]
    return Context(
        AS_OF,
        default_region="FR",
        staleness=StalenessPolicy(unknown_is_stale=True),
        pipelines=Pipelines({"known": ["stage"]}),
        schemas=schemas,
    )


def _boom(record: Any, ctx: Context) -> Iterator[Issue]:
    raise ValueError(f"cannot handle {record.quarantine[0].value}")


def _texts_of(report: Any, issues: tuple[Issue, ...]) -> Iterator[str]:
    yield repr(report)
    yield json.dumps(report.to_dict())
    for issue in issues:
        yield issue.path
        yield issue.message
        yield str(issue)
        yield repr(issue)


def test_planting_reaches_every_rule_that_can_fire() -> None:
    records, _ = _planted()
    ctx = _context()
    found = {
        issue.code
        for record in records
        for issue in validate(record, default_ruleset(), ctx).issues
    }
    assert {
        "address.country_unknown",
        "contact_point.duplicate",
        "contact_point.many_primaries",
        "custom.type_mismatch",
        "date.birth_in_future",
        "date.in_future",
        "deal.pipeline_unknown",
        "deal.probability_range",
        "email.invalid_syntax",
        "money.currency_unknown",
        "money.negative",
        "phone.impossible",
        "record.quarantined",
    } <= found


@pytest.mark.parametrize("index", range(len(RECORD_TYPES)), ids=[t.__name__ for t in RECORD_TYPES])
def test_no_planted_value_appears_in_a_report(index: int) -> None:
    records, tokens = _planted()
    record = records[index]
    rules = default_ruleset()
    rules.add(type(record), _boom, name="acme.boom")
    rules.require(type(record), *(field.name for field in attrs.fields(type(record))))
    report = validate(record, rules, _context())
    assert report.issues, "the planted record should set off rules"
    assert "validator.crashed" in report.codes()
    for text in _texts_of(report, report.issues):
        leaked = [token for token in tokens if token in text and token != record.id]
        assert leaked == [], text
    for issue in report.issues:
        assert record.id not in issue.path + issue.message
    with pytest.raises(ValidationError) as caught:
        report.raise_for_errors()
    message = str(caught.value)
    assert not [token for token in tokens if token in message and token != record.id]


def test_no_planted_value_appears_in_a_batch_summary() -> None:
    records, tokens = _planted()
    builder = BatchBuilder(keep="none")
    for record in records:
        builder.add(validate(record, default_ruleset(), _context()))
    summary = json.dumps(builder.build().to_dict())
    assert not [token for token in tokens if token in summary]
