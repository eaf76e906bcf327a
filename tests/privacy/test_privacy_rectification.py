"""Tests for crmcore.privacy.rectification: apply_rectification and its audit."""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest

from crmcore import (
    Contact,
    ContactDescriptive,
    ContactIdentity,
    EmailAddress,
    PersonName,
)
from crmcore.errors import InvalidValueError
from crmcore.privacy import PrivacyRequest
from crmcore.privacy.erasure import Action, ErasureError
from crmcore.privacy.rectification import apply_rectification

KEY = bytes(range(32))
AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
ADA = Contact(
    "c-ada",
    ContactIdentity(
        name=PersonName(given="Ada", family="Byron"),
        emails=(EmailAddress("ada@old.example"),),
    ),
    descriptive=ContactDescriptive(job_title="Countess", custom={"memo": "old memo"}),
)
BOB = Contact("c-bob", ContactIdentity(name=PersonName(given="Bob")))


def test_the_named_paths_are_corrected_and_the_rest_kept() -> None:
    """GDPR Art. 16: inaccurate personal data corrected without undue delay."""
    result = apply_rectification(
        (ADA, BOB),
        "c-ada",
        {
            "identity.name": PersonName(given="Ada", family="Lovelace"),
            "descriptive.job_title": "Mathematician",
        },
        key=KEY,
        at=AT,
    )
    ada, bob = result.records
    assert ada.identity.name.family == "Lovelace"
    assert ada.descriptive.job_title == "Mathematician"
    assert ada.identity.emails == ADA.identity.emails
    assert bob is BOB
    assert [(e.path, e.action) for e in result.audit.entries] == [
        ("identity.name", Action.RECTIFY),
        ("descriptive.job_title", Action.RECTIFY),
    ]
    assert result.audit.kind == "rectification"
    assert result.audit.was_erased("Ada Byron", KEY)
    assert result.audit.was_erased("Countess", KEY)
    text = json.dumps(result.audit.to_dict())
    assert "Byron" not in text
    assert "Countess" not in text
    assert "Lovelace" not in text


def test_custom_values_are_set_and_dropped() -> None:
    result = apply_rectification(
        (ADA,),
        "c-ada",
        {"descriptive.custom.memo": None, "descriptive.custom.tier": "gold"},
        key=KEY,
        at=AT,
    )
    assert dict(result.records[0].descriptive.custom) == {"tier": "gold"}
    assert result.audit.was_erased("old memo", KEY)


def test_an_unchanged_value_is_left_out_of_the_audit() -> None:
    result = apply_rectification(
        (ADA,), "c-ada", {"descriptive.job_title": "Countess"}, key=KEY, at=AT
    )
    assert result.records[0] is ADA
    assert result.audit.entries == ()


def test_the_request_is_recorded() -> None:
    request = PrivacyRequest(
        id="REQ-9",
        kind="rectification",
        regime="gdpr",
        received=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
    )
    result = apply_rectification(
        (ADA,), "c-ada", {"descriptive.job_title": "Analyst"}, key=KEY, at=AT, request=request
    )
    assert result.audit.to_dict()["request"] == "REQ-9"


def test_a_value_the_record_refuses_changes_nothing() -> None:
    before = attrs.asdict(ADA)
    with pytest.raises(ErasureError) as info:
        apply_rectification(
            (ADA,), "c-ada", {"identity.emails": ("ada@new.example",)}, key=KEY, at=AT
        )
    assert info.value.path == "changes.identity.emails"
    assert "new.example" not in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__context__ is None
    assert attrs.asdict(ADA) == before


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        (("c-nobody", {"descriptive.job_title": "x"}), {}, "record_id"),
        (("c-ada", {"id": "c-2"}), {}, "changes.id"),
        (("c-ada", {"identity.nickname": "x"}), {}, "changes.<key 0>"),
        (("c-ada", {}), {}, "changes"),
        (("c-ada", [("descriptive.job_title", "x")]), {}, "changes"),
        (("c-ada", {"descriptive.job_title": "x"}), {"key": b"short"}, "key"),
        (("c-ada", {"descriptive.job_title": "x"}), {"at": dt.datetime(2026, 3, 2)}, "at"),
    ],
)
def test_bad_arguments_are_refused_naming_them(
    args: tuple[object, ...], kwargs: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {"key": KEY, "at": AT, **kwargs}
    with pytest.raises(InvalidValueError) as info:
        apply_rectification((ADA, BOB), *args, **arguments)  # type: ignore[arg-type]
    assert info.value.field == field


def test_an_id_held_twice_is_refused() -> None:
    with pytest.raises(InvalidValueError) as info:
        apply_rectification((ADA, ADA), "c-ada", {"descriptive.job_title": "x"}, key=KEY, at=AT)
    assert info.value.field == "record_id"
