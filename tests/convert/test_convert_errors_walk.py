"""No error crmcore raises while converting carries a key or value of the input.

Keys of the input become path segments: a key is named only when it looks like a field name,
otherwise by its position (``<key 2>``). Values never reach a message, and no exception in
the chain (``__cause__``, ``__context__``), no argument and no note holds them either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timezone
from typing import Any

import attrs
import pytest

from crmcore import (
    Category,
    ColumnMapping,
    Contact,
    ConversionError,
    Converter,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    InvalidValueError,
    from_dict,
)
from crmcore.convert import _lenient as read
from crmcore.convert._errors_walk import problems_of

EMAIL = "ada.lovelace@example.org"
PHONE = "+33 6 12 34 56 78"
DIGITS = "0612345678"
NAME = "Brontë"
FORGED = "ok\n  id: forged line\x1b[31m"
HUGE = "k" * 10_000_000 + "@"
PLANTED = (EMAIL, PHONE, DIGITS, NAME, FORGED)


def everything(exc: BaseException) -> str:
    """The text of ``exc`` and of every exception reachable from it, however reached."""
    parts: list[str] = []
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        parts += [str(current), repr(current), repr(current.args)]
        parts += [repr(getattr(current, name, None)) for name in ("__notes__", "problems")]
        stack += [current.__cause__, current.__context__, *getattr(current, "exceptions", ())]
    return "\n".join(parts)


def assert_clean(exc: BaseException) -> None:
    text = everything(exc)
    for planted in PLANTED:
        assert planted not in text
    assert "\x1b" not in text
    assert len(text) < 100_000


def caught(call: Callable[[], Any]) -> BaseException:
    with pytest.raises((ConversionError, InvalidValueError)) as info:
        call()
    return info.value


def keyed(key: str) -> list[dict[str, Any]]:
    """Inputs that carry ``key`` as a key at every level a key can be unknown."""
    return [
        {"id": "c-1", key: 1},
        {"id": "c-1", "identity": {key: "x"}},
        {"id": "c-1", "identity": {"emails": {key: "work"}}},
        {"id": "c-1", "identity": {"emails": [{"address": "a@example.org", key: 1}]}},
        {"id": "c-1", "identity": {"phones": [{"number": "+33142685300", key: 1}]}},
        {"id": "c-1", "identity": {"name": {key: "x"}}},
        {"id": "c-1", "identity": {"addresses": {key: "x", "locality": "Paris"}}},
        {"id": "c-1", "quantitative": {"total_spent": {"amount": "1", "currency": "EUR", key: 1}}},
        {"id": "c-1", "descriptive": {"custom": {key: "1"}}},
        {"id": "c-1", "descriptive": {"custom": {key: {"nested": 1}}}},
    ]


SCHEMA = CustomSchema(
    Contact, (CustomFieldSpec("seats", CustomType.INTEGER, Category.DESCRIPTIVE),)
)


@pytest.mark.parametrize("key", [*PLANTED, HUGE])
def test_keys_that_are_not_field_like_are_named_by_position(key: str) -> None:
    for converter in (Converter(), Converter(schemas=(SCHEMA,)), Converter(verify=True)):
        for data in keyed(key):
            error = caught(lambda: converter.from_dict(Contact, data))  # noqa: B023
            assert_clean(error)
            assert "<key " in str(error)


def test_the_position_of_a_key_is_its_place_in_its_own_mapping() -> None:
    with pytest.raises(ConversionError) as info:
        from_dict(
            Contact, {"id": "c-1", "identity": {"emails": [{"address": "a@example.org", EMAIL: 1}]}}
        )
    assert [p.path for p in info.value.problems] == ["identity.emails[0].<key 1>"]
    with pytest.raises(ConversionError) as info:
        from_dict(Contact, {"id": "c-1", "descriptive": {"custom": {"b": {}, EMAIL: {}}}})
    assert {p.path for p in info.value.problems} == {
        "descriptive.custom.b",
        "descriptive.custom.<key 1>",
    }
    with pytest.raises(ConversionError) as info:
        Converter(verify=True).from_dict(
            Contact,
            {
                "id": "c-1",
                "identity": {
                    "emails": [
                        {"normalised": "a@example.org", "address": "a@example.org", EMAIL: 1}
                    ]
                },
            },
        )
    assert [p.path for p in info.value.problems] == ["identity.emails[0].<key 2>"]


def test_field_like_unknown_keys_are_still_named() -> None:
    with pytest.raises(ConversionError) as info:
        from_dict(Contact, {"id": "c-1", "colour": "blue", "identity": {"nickname": "x"}})
    assert {p.path for p in info.value.problems} == {"colour", "identity.nickname"}


@attrs.frozen
class _Unregistered:
    name: str


def test_keys_of_classes_cattrs_reads_alone_are_named_in_sorted_order() -> None:
    error = caught(
        lambda: Converter().structure_value({"name": "x", EMAIL: 1, "0": 2}, _Unregistered)
    )
    assert_clean(error)
    assert isinstance(error, ConversionError)
    assert {p.path for p in error.problems} == {"0", "<key 1>"}


@pytest.mark.parametrize(
    "data",
    [
        {"id": "c-1", "created_at": EMAIL},
        {"id": "c-1", "created_at": f"2024-05-01T{EMAIL}"},
        {"id": "c-1", "created_at": f"2024/05/01 {EMAIL}"},
        {"id": "c-1", "identity": {"birth_date": PHONE}},
        {"id": "c-1", "identity": {"birth_date": f"2024-05-{DIGITS}"}},
        {"id": "c-1", "identity": {"emails": f"{NAME}@@example.org"}},
        {"id": "c-1", "identity": {"phones": f"{PHONE} {NAME}"}},
        {"id": "c-1", "identity": {"addresses": {"country": NAME}}},
        {"id": "c-1", "descriptive": {"lifecycle_stage": FORGED}},
        {"id": "c-1", "quantitative": {"email_clicks": DIGITS + "x", "nps": NAME}},
        {"id": "c-1", "quantitative": {"total_spent": f"{DIGITS} {NAME}"}},
        {"id": "c-1", "descriptive": {"custom": {"seats": [NAME, 1]}}},
        {"id": NAME, "descriptive": {"custom": {"seats": 10**30}}},
        {"id": "c-1", "identity": {"name": EMAIL}},
    ],
)
def test_no_exception_in_the_chain_holds_a_value(data: dict[str, Any]) -> None:
    for converter in (Converter(), Converter(schemas=(SCHEMA,), dayfirst=True)):
        assert_clean(caught(lambda: converter.from_dict(Contact, data)))  # noqa: B023
        assert_clean(caught(lambda: converter.structure_value(data, Contact)))  # noqa: B023


@pytest.mark.parametrize("text", [EMAIL, f"2024-05-01T{EMAIL}", f"1999/01/02 {EMAIL}", FORGED])
def test_the_readers_raise_errors_that_hold_no_value(text: str) -> None:
    utc = timezone.utc
    for reader in (
        lambda: read.read_date(text),
        lambda: read.read_date(text, dayfirst=True),
        lambda: read.read_datetime(text, assume_tz=utc),
        lambda: read.read_int(text),
        lambda: read.read_float(text),
        lambda: read.read_decimal(text),
        lambda: read.read_amount(text),
        lambda: read.read_bool(text),
    ):
        assert_clean(caught(reader))


def test_problems_of_a_bare_cattrs_error_names_keys_safely() -> None:
    from cattrs.errors import ForbiddenExtraKeysError

    problems = problems_of(ForbiddenExtraKeysError("", dict, {EMAIL, "colour"}))
    assert {p.path for p in problems} == {"colour", "<key 0>"}


@pytest.mark.parametrize("column", [EMAIL, FORGED, HUGE, f"identity.{EMAIL}"])
def test_mapping_errors_never_quote_a_column_that_is_not_field_like(column: str) -> None:
    for columns in (
        {column: "not a path!"},
        {column: 12},
        {"a": "identity.emails", column: "identity.emails"},
        {"a": "identity.emails[]", column: "identity.emails[0]"},
    ):
        assert_clean(caught(lambda: ColumnMapping(columns)))  # noqa: B023
    assert_clean(caught(lambda: ColumnMapping.identity([column])))


def test_an_unknown_key_is_reported_beside_a_refused_value_of_the_same_object() -> None:
    with pytest.raises(ConversionError) as info:
        from_dict(Contact, {"id": "", "colour": "blue", EMAIL: 1})
    assert {p.path for p in info.value.problems} == {"id", "colour", "<key 2>"}
