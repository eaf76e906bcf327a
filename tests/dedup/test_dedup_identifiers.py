"""External-id comparator: a shared id, a conflicting one, or no shared system."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

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


def _ids(*pairs: tuple[str, str]) -> Account:
    ids = tuple(ExternalId(system=system, value=value) for system, value in pairs)
    return Account("a", AccountIdentity(external_ids=ids))


def test_two_edits_in_a_long_id_are_a_typo(ctx: CompareContext) -> None:
    cmp = external_ids()
    ssn = _ids(("SSN", "4418209"))
    assert cmp(ssn, _ids(("ssn", "4418290")), ctx) == "typo"  # two neighbours swapped
    assert cmp(ssn, _ids(("SSN", "4418")), ctx) == "different"  # short
    assert cmp(ssn, _ids(("SSN", "441820")), ctx) == "typo"  # one deleted, six left
    assert cmp(ssn, _ids(("SSN", "4X1820")), ctx) == "typo"  # one changed, one deleted
    assert cmp(ssn, _ids(("SSN", "4X182")), ctx) == "different"  # too short
    assert cmp(ssn, _ids(("SSN", "4X1X2X9")), ctx) == "different"  # three edits
    assert cmp(ssn, _ids(("SSN", "7730512")), ctx) == "different"


def test_an_id_in_common_beats_a_typo(ctx: CompareContext) -> None:
    cmp = external_ids()
    a = _ids(("SSN", "4418209"), ("SSN", "1234567"))
    assert cmp(a, _ids(("SSN", "4418290"), ("SSN", "1234567")), ctx) == "exact"
    assert cmp(a, _ids(("SSN", "4418290"), ("SAP", "zz")), ctx) == "typo"


def test_short_ids_are_never_typos(ctx: CompareContext) -> None:
    cmp = external_ids()
    for left, right in (("1042", "1024"), ("12345", "12354"), ("ab", "ba"), ("x", "y")):
        assert cmp(_ids(("CRM", left)), _ids(("CRM", right)), ctx) == "different"
    assert cmp(_ids(("CRM", "12345")), _ids(("CRM", "123456")), ctx) == "different"


def test_a_typo_needs_the_same_system(ctx: CompareContext) -> None:
    cmp = external_ids()
    assert cmp(_ids(("SSN", "4418209")), _ids(("Tax", "4418290")), ctx) == "null"
    assert (
        cmp(_ids(("SSN", "4418209"), ("Tax", "900")), _ids(("SSN", "1"), ("Tax", "4418290")), ctx)
        == "different"
    )


_ID_VALUES = st.text(alphabet="0123456789ab", min_size=1, max_size=9)
_ID_SETS = st.dictionaries(
    st.sampled_from(("ssn", "sap", "crm")),
    st.frozensets(_ID_VALUES, min_size=1, max_size=3),
    min_size=1,
    max_size=2,
)


@given(_ID_SETS, _ID_SETS)
def test_the_level_is_symmetric(
    left: dict[str, frozenset[str]], right: dict[str, frozenset[str]]
) -> None:
    cmp, ctx = external_ids(), CompareContext()
    level = cmp.compare_prepared(left, right, ctx)
    assert level == cmp.compare_prepared(right, left, ctx)
    assert level in cmp.levels
    values = [left, right]
    assert list(cmp.compare_indexed(values, [0, 1], [1, 0], ctx)) == [level, level]


@given(_ID_SETS)
def test_ids_equal_to_themselves_are_exact(ids: dict[str, frozenset[str]]) -> None:
    assert external_ids().compare_prepared(ids, ids, CompareContext()) == "exact"
