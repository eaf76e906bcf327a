"""Tests for crmcore.privacy.subject: the DataSubject value."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from crmcore.errors import InvalidValueError
from crmcore.privacy.subject import DataSubject
from crmcore.records.values import EmailAddress, ExternalId, PersonName, PhoneNumber


def test_text_is_read_as_value_objects() -> None:
    subject = DataSubject(
        names=("Ada King Lovelace", "Byron"),
        emails=("Ada@Example.ORG",),
        phones=("+44 20 7946 0958",),
    )
    assert subject.names == (
        PersonName(given="Ada King", family="Lovelace"),
        PersonName(family="Byron"),
    )
    assert subject.emails == (EmailAddress("Ada@Example.ORG"),)
    assert subject.phones[0].e164 == "+442079460958"


def test_value_objects_are_kept() -> None:
    phone = PhoneNumber("020 7946 0958", region="GB")
    ids = (ExternalId(system="billing", value="C-1"),)
    subject = DataSubject(phones=[phone], external_ids=ids, birth_date=dt.date(1815, 12, 10))
    assert subject.phones == (phone,)
    assert subject.external_ids == ids
    assert not subject.is_empty
    assert DataSubject().is_empty


def test_is_frozen() -> None:
    subject = DataSubject(known_names=("Augusta",))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        subject.known_names = ()  # type: ignore[misc]


def test_repr_hides_personal_parts() -> None:
    subject = DataSubject(
        names=("Ada Lovelace",),
        emails=("ada@example.org",),
        phones=("+442079460958",),
        birth_date=dt.date(1815, 12, 10),
        external_ids=(ExternalId(system="billing", value="C-1042"),),
        known_names=("Augusta",),
    )
    text = repr(subject)
    for secret in ("Ada", "Lovelace", "example", "7946", "1815", "C-1042", "Augusta"):
        assert secret not in text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"emails": ("ada.lovelace at example",)}, "emails[0]"),
        ({"emails": "ada@example.org"}, "emails"),
        ({"names": {"Ada Lovelace": 1}}, "names"),
        ({"phones": ("020 7946 0958",)}, "phones[0]"),
        ({"phones": (12,)}, "phones[0]"),
        ({"names": ("  ",)}, "names[0]"),
        ({"names": (PersonName(),)}, "names[0]"),
        ({"known_names": ("",)}, "known_names[0]"),
        ({"external_ids": ("C-1042",)}, "external_ids[0]"),
        ({"birth_date": dt.datetime(2000, 1, 1, tzinfo=dt.UTC)}, "birth_date"),
        ({"birth_date": "1815-12-10"}, "birth_date"),
    ],
)
def test_bad_parts_name_the_part_never_the_value(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        DataSubject(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    for secret in ("ada", "7946", "C-1042", "1815"):
        assert secret not in str(info.value)
    assert info.value.__cause__ is None
