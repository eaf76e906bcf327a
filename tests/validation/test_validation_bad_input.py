"""Bad input gives issues or a clear ``CRMError``, never another exception.

Arbitrary JSON-like dicts, shaped like records or not, with huge strings, control characters,
lone surrogates and absurd dates, go through :func:`crmcore.from_dict` and, when it reads them,
through :func:`crmcore.validation.validate`. Records built with their own checks turned off
and holding values of the wrong types go through ``validate`` directly: a validator that trips
over them is reported as ``validator.crashed``, and the run goes on.
"""

from __future__ import annotations

import enum
import time
import types
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import (
    Contact,
    ContactIdentity,
    CRMError,
    EmailAddress,
    PhoneNumber,
    PostalAddress,
    Record,
    from_dict,
)
from crmcore.records import RECORD_TYPES
from crmcore.validation import Context, default_ruleset, validate

RULES = default_ruleset()
CTX = Context(datetime(2025, 6, 1, tzinfo=timezone.utc), default_region="FR")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))

HUGE = "Ab" * 500_000
NASTY_TEXT = [
    HUGE,
    HUGE + "@example.com",
    "\x00",
    "\x1b[31mred\x1b[0m",
    "a\u202eb",
    "\ud800",
    "x\udfffy@example.com",
    "+33 1 42 68 53 00\ud83d",
    " ",
    "",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31T23:59:59.999999+23:59",
    "10000-01-01",
    "-0001-01-01",
    "2024-02-30",
    "1e400",
    "NaN",
    "Infinity",
    "12.50 EUR",
    "EUR",
    "FR",
    "france",
    "ada@example.org",
    "01 42 68 53 00",
]
TEXT = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(st.characters(exclude_categories=()), max_size=30),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    TEXT,
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8,
)


def _rarely_junk(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``plausible`` nine times in ten, arbitrary JSON the tenth."""
    return st.integers(0, 9).flatmap(lambda n: JSON if n == 0 else plausible)


ISO_DATES = st.dates().map(date.isoformat)
ISO_INSTANTS = st.datetimes(timezones=st.just(timezone.utc)).map(datetime.isoformat)
PHONES = st.sampled_from(["01 42 68 53 00", "+44 20 7946 0958", "+1 201 555 0123", "12", "+800"])
EMAILS = st.sampled_from(["ada@example.org", "Info@Example.COM", "a@b", "no-reply@example.fr"])
LEAVES: dict[Any, st.SearchStrategy[Any]] = {
    str: st.one_of(TEXT, PHONES, EMAILS),
    int: st.one_of(st.integers(min_value=0, max_value=10**6), st.integers()),
    float: st.one_of(st.floats(0, 1), st.floats()),
    bool: st.booleans(),
    Decimal: st.one_of(st.decimals(allow_nan=False, allow_infinity=False).map(str), st.integers()),
    date: st.one_of(ISO_DATES, st.sampled_from(NASTY_TEXT[10:16])),
    datetime: st.one_of(ISO_INSTANTS, st.sampled_from(NASTY_TEXT[10:16])),
}


def _shaped(kind: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values shaped like ``kind`` nine times in ten, arbitrary JSON the tenth."""
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, types.UnionType):
        inner = next(arg for arg in args if arg is not type(None))
        return st.one_of(st.none(), _shaped(inner, depth))
    if origin is tuple:
        return _rarely_junk(st.lists(_shaped(args[0], depth + 1), max_size=3))
    if kind in LEAVES:
        return _rarely_junk(LEAVES[kind])
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _rarely_junk(st.sampled_from([member.value for member in kind]))
    if attrs.has(kind) and depth < 3:
        fields = attrs.fields(attrs.resolve_types(kind))
        required = {
            field.name: _shaped(field.type, depth + 1)
            for field in fields
            if field.default is attrs.NOTHING
        }
        optional = {
            field.name.lstrip("_"): _shaped(field.type, depth + 1)
            for field in fields
            if field.default is not attrs.NOTHING
        }
        return _rarely_junk(st.fixed_dictionaries(required, optional=optional))
    return st.one_of(
        st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), SCALARS, max_size=2),
        JSON,
    )


RECORD_DICTS = st.one_of(
    *(st.tuples(st.just(record_type), _shaped(record_type)) for record_type in RECORD_TYPES)
)


@SETTINGS
@given(RECORD_DICTS)
def test_from_dict_then_validate_never_raises_anything_but_crm_error(
    case: tuple[type[Record], Any],
) -> None:
    record_type, data = case
    try:
        record = from_dict(record_type, data)
    except CRMError:
        return
    report = validate(record, RULES, CTX)
    assert "validator.crashed" not in report.codes(), report


@SETTINGS
@given(st.sampled_from(RECORD_TYPES), JSON)
def test_validate_refuses_what_is_not_a_record_with_crm_error(
    record_type: type[Record], data: Any
) -> None:
    try:
        validate(data, RULES, CTX)
    except CRMError:
        pass
    else:  # pragma: no cover - validate must refuse
        raise AssertionError("validate accepted a non-record")


JUNK = st.one_of(
    JSON,
    st.sampled_from(
        [
            date(1, 1, 1),
            date(9999, 12, 31),
            datetime(1, 1, 1),
            datetime(9999, 12, 31, tzinfo=timezone.utc),
            Decimal("NaN"),
            Decimal("-Infinity"),
            Decimal("1E+999999"),
            object(),
            (1, 2),
            frozenset({"x"}),
        ]
    ),
)


@st.composite
def _unchecked_records(draw: st.DrawFn) -> Record:
    """Records built with the classes' checks off, every field maybe of the wrong type."""
    record_type = draw(st.sampled_from(RECORD_TYPES))
    values: dict[str, Any] = {"id": draw(st.one_of(TEXT, JUNK))}
    for field in attrs.fields(attrs.resolve_types(record_type))[1:]:
        if draw(st.booleans()):
            continue
        if attrs.has(field.type):
            facet_values = {}
            for inner in attrs.fields(attrs.resolve_types(field.type)):
                if draw(st.booleans()):
                    facet_values[inner.name] = draw(JUNK)
            with attrs.validators.disabled():
                values[field.name] = field.type(**facet_values)
        else:
            values[field.name] = draw(JUNK)
    with attrs.validators.disabled():
        return record_type(**values)


@SETTINGS
@given(_unchecked_records())
def test_validate_turns_broken_records_into_issues(record: Record) -> None:
    report = validate(record, RULES, CTX)
    assert all(issue.message for issue in report.issues)
    report.to_dict()


def test_overlong_emails_and_phones_are_reported_before_any_parsing() -> None:
    """A record built directly with a 10 MB email and phone: reported as too long, at once.

    The bound is generous; parsing such text took seconds (email-validator) before the length
    was checked first.
    """
    big = "7" * 10_000_000
    lines = ("x" * 10_000_000,)
    with attrs.validators.disabled():  # the constructors refuse such text themselves
        identity = ContactIdentity(
            emails=(EmailAddress(big + "@example.org", normalised="a@example.org", primary=True),),
            phones=(
                PhoneNumber(big, e164="+33142685300", primary=True),
                PhoneNumber(big + "1", region="FR", e164="+33142685301"),
            ),
            addresses=(
                PostalAddress(lines=lines, postal_code=big, country="FR", primary=True),
                PostalAddress(lines=lines, postal_code=big, country="FR"),
            ),
        )
        record = Contact("c-1", identity)
    start = time.perf_counter()
    report = validate(record, RULES, CTX)
    assert time.perf_counter() - start < 2.0
    found = {(issue.path, issue.code, issue.message) for issue in report.issues}
    assert (
        "identity.emails[0]",
        "email.invalid_syntax",
        "not a valid email address: too long (over 254 characters)",
    ) in found
    for index in (0, 1):
        assert (
            f"identity.phones[{index}]",
            "phone.impossible",
            "too long to be a phone number (over 64 characters)",
        ) in found
