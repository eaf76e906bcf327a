"""External-id comparator: a shared id, a conflicting one, or no shared system."""

from __future__ import annotations

from typing import Any

from crmcore import Account, AccountIdentity
from crmcore.dedup import CompareContext, external_ids
from crmcore.records import ExternalId


def test_external_ids_levels(ctx: CompareContext, person: Any) -> None:
    cmp = external_ids()
    a = person(
        external_ids=(
            ExternalId(system="Stripe", value="cus_1"),
            ExternalId(system="HubSpot", value="77"),
        )
    )
    assert (
        cmp(a, person(external_ids=(ExternalId(system=" stripe ", value="cus_1"),)), ctx) == "exact"
    )
    assert (
        cmp(a, person(external_ids=(ExternalId(system="Stripe", value="cus_2"),)), ctx)
        == "different"
    )
    assert (
        cmp(a, person(external_ids=(ExternalId(system="Zendesk", value="cus_1"),)), ctx) == "null"
    )
    assert cmp(a, person(), ctx) == "null"


def test_ids_keep_their_case(ctx: CompareContext) -> None:
    cmp = external_ids()
    a = Account("a-1", AccountIdentity(external_ids=(ExternalId(system="SAP", value="Ab1"),)))
    b = Account("a-2", AccountIdentity(external_ids=(ExternalId(system="SAP", value="AB1"),)))
    assert cmp(a, b, ctx) == "different"
