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
