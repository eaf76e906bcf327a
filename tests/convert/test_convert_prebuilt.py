"""Value objects built before conversion: taken as they are, and only where they fit."""

from __future__ import annotations

from typing import Any

import pytest

from crmcore import Contact, Converter, EmailAddress, PersonName, PhoneNumber, PostalAddress
from crmcore.convert._prebuilt import Prebuilt
from crmcore.convert._values import address_region
from crmcore.errors import ConversionError

EMAIL = EmailAddress("ada@example.org")
PHONE = PhoneNumber("+442079460958", region="GB")


def test_conversion_takes_built_emails_and_phones_as_they_are() -> None:
    identity = {
        "emails": [Prebuilt(EMAIL), {"address": "bob@example.org"}],
        "phones": Prebuilt(PHONE),  # a single one, as a list of one
    }
    contact = Converter().from_dict(Contact, {"id": "c-1", "identity": identity})
    assert contact.identity.emails == (EMAIL, EmailAddress("bob@example.org"))
    assert contact.identity.emails[0] is EMAIL
    assert contact.identity.phones == (PHONE,)


@pytest.mark.parametrize(
    ("identity", "path", "reason"),
    [
        ({"emails": [Prebuilt(PHONE)]}, "identity.emails", "expected an EmailAddress"),
        ({"phones": [Prebuilt("+4420")]}, "identity.phones", "expected a PhoneNumber"),
    ],
)
def test_a_built_value_of_another_class_is_refused(
    identity: dict[str, Any], path: str, reason: str
) -> None:
    with pytest.raises(ConversionError) as caught:
        Converter().from_dict(Contact, {"id": "c-1", "identity": identity})
    assert [(p.path[: len(path)], p.reason) for p in caught.value.problems] == [(path, reason)]


def test_only_a_converter_that_hands_values_over_unchanged_takes_built_values() -> None:
    assert Converter(default_region="FR")._takes_prebuilt()
    assert not Converter(verify=True)._takes_prebuilt()
    hooked = Converter()
    hooked.register_structure_hook(str, lambda value, _: str(value))
    assert not hooked._takes_prebuilt()
    registered = Converter()
    registered.register_class(EmailAddress)
    assert not registered._takes_prebuilt()


def test_conversion_takes_built_addresses_and_names_as_they_are() -> None:
    address = PostalAddress(locality="Paris", country="FR")
    name = PersonName(given="Ada")
    identity = {"name": Prebuilt(name), "addresses": [Prebuilt(address), {"country": "DE"}]}
    contact = Converter().from_dict(Contact, {"id": "c-1", "identity": identity})
    assert contact.identity.name is name
    assert contact.identity.addresses == (address, PostalAddress(country="DE"))


@pytest.mark.parametrize(
    "addresses",
    [
        [{"country": "FR"}, {"country": "DE", "primary": True}],
        [{"locality": "Paris"}, {"country": "DE"}],
        {"country": "FR"},
        [{"country": "FR", "primary": True}, {"country": "DE", "primary": True}],
        [{"locality": "Paris"}],
    ],
)
def test_a_built_address_counts_for_the_records_region_as_its_mapping(addresses: Any) -> None:
    def built(mapping: dict[str, Any]) -> Prebuilt:
        return Prebuilt(PostalAddress(**mapping))

    given = [built(item) for item in addresses] if isinstance(addresses, list) else built(addresses)
    assert address_region(given) == address_region(addresses)
    assert address_region(addresses) is not None or addresses == [{"locality": "Paris"}]


def test_a_built_phone_keeps_its_own_region_beside_national_text_read_in_the_records() -> None:
    identity = {
        "phones": [Prebuilt(PHONE), "020 7946 0959"],
        "addresses": [Prebuilt(PostalAddress(country="GB"))],
    }
    contact = Converter().from_dict(Contact, {"id": "c-1", "identity": identity})
    built, read = contact.identity.phones
    assert built is PHONE
    assert (read.e164, read.region) == ("+442079460959", "GB")


def test_a_built_value_where_an_object_of_another_class_goes_is_refused() -> None:
    with pytest.raises(ConversionError) as caught:
        Converter().from_dict(Contact, {"id": "c-1", "identity": {"name": Prebuilt(EMAIL)}})
    assert [(p.path, p.reason) for p in caught.value.problems] == [
        ("identity.name", "expected a mapping")
    ]


def test_mappings_other_than_dicts_are_read_as_dicts_are() -> None:
    from types import MappingProxyType

    identity = {"name": {"given": "Ada"}, "phones": ["020 7946 0958"]}
    identity["addresses"] = [{"country": "GB"}]
    plain = Converter().from_dict(Contact, {"id": "c-1", "identity": identity})
    proxied = Converter().from_dict(
        Contact,
        MappingProxyType(
            {
                "id": "c-1",
                "identity": MappingProxyType(
                    {**identity, "name": MappingProxyType(identity["name"])}
                ),
            }
        ),
    )
    assert proxied == plain
    assert plain.identity.phones[0].e164 == "+442079460958"
