"""The synthetic data set: deterministic, realistic, messy, with known duplicates."""

from __future__ import annotations

import ast
import json
import random
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import phonenumbers
import pytest

import crmcore.testing
from crmcore import Account, Activity, Contact, ConversionError, Converter, Deal
from crmcore.testing import synthetic
from crmcore.testing._synthetic_locales import COUNTRIES, STEMS, TRADES
from crmcore.testing.synthetic import Dataset, messy_dataset

AS_OF = datetime(2026, 11, 1, tzinfo=timezone.utc)
TYPES = {"contacts": Contact, "accounts": Account, "deals": Deal, "activities": Activity}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return messy_dataset(11, AS_OF)


def _converter() -> Converter:
    # the options of ``crmcore demo``
    return Converter(default_region=None, dayfirst=True, as_of=AS_OF)


def _converts(converter: Converter, kind: type, row: dict[str, object]) -> bool:
    try:
        converter.from_dict(kind, row)
    except ConversionError:
        return False
    return True


def test_the_same_seed_gives_the_same_data_set() -> None:
    first = messy_dataset(5, AS_OF, contacts=60, accounts=10, deals=20, activities=40)
    second = messy_dataset(5, AS_OF, contacts=60, accounts=10, deals=20, activities=40)
    assert first == second
    assert json.dumps(first.contacts, sort_keys=True) == json.dumps(second.contacts, sort_keys=True)


def test_a_random_instance_is_used_as_given() -> None:
    from_seed = messy_dataset(5, AS_OF, contacts=30, accounts=5, deals=5, activities=5)
    from_rng = messy_dataset(
        random.Random(5), AS_OF, contacts=30, accounts=5, deals=5, activities=5
    )
    assert from_seed == from_rng


def test_another_seed_gives_other_data() -> None:
    first = messy_dataset(1, AS_OF, contacts=40, accounts=8, deals=10, activities=10)
    second = messy_dataset(2, AS_OF, contacts=40, accounts=8, deals=10, activities=10)
    assert first.contacts != second.contacts


def test_counts_are_as_asked(dataset: Dataset) -> None:
    assert (len(dataset.contacts), len(dataset.accounts)) == (300, 60)
    assert (len(dataset.deals), len(dataset.activities)) == (120, 400)
    for name in TYPES:
        ids = [row["id"] for row in getattr(dataset, name)]
        assert len(set(ids)) == len(ids), name


def test_rows_are_json_safe(dataset: Dataset) -> None:
    for name in TYPES:
        for row in getattr(dataset, name):
            assert json.loads(json.dumps(row)) == row


def test_known_duplicates_reference_existing_contacts_once(dataset: Dataset) -> None:
    ids = {row["id"] for row in dataset.contacts}
    seen = [contact_id for group in dataset.known_duplicates for contact_id in group]
    assert set(seen) <= ids
    assert len(seen) == len(set(seen))
    assert all(
        len(group) >= 2 and list(group) == sorted(group) for group in dataset.known_duplicates
    )
    assert list(dataset.known_duplicates) == sorted(dataset.known_duplicates)


def test_about_eight_percent_of_contact_rows_are_extra_copies(dataset: Dataset) -> None:
    extra = sum(len(group) - 1 for group in dataset.known_duplicates)
    assert extra == round(0.08 * len(dataset.contacts))


def test_known_duplicates_all_convert_and_share_an_identity(dataset: Dataset) -> None:
    converter = _converter()
    rows = {row["id"]: row for row in dataset.contacts}
    for group in dataset.known_duplicates:
        contacts = [converter.from_dict(Contact, rows[contact_id]) for contact_id in group]
        birth_dates = {c.identity.birth_date for c in contacts} - {None}
        assert len(birth_dates) <= 1
        countries = {a.country for c in contacts for a in c.identity.addresses} - {None}
        assert len(countries) <= 1


def test_most_rows_convert_but_not_all(dataset: Dataset) -> None:
    converter = _converter()
    for name, kind in TYPES.items():
        rows = getattr(dataset, name)
        converted = sum(_converts(converter, kind, row) for row in rows)
        assert 0.85 * len(rows) <= converted < len(rows), name


def test_without_defects_almost_everything_converts() -> None:
    data = messy_dataset(3, AS_OF, defect_rate=0)
    converter = _converter()
    for name, kind in TYPES.items():
        rows = getattr(data, name)
        converted = sum(_converts(converter, kind, row) for row in rows)
        floor = 0.95 if name == "contacts" else 1.0
        assert converted >= floor * len(rows), name


def test_references_point_mostly_to_existing_records(dataset: Dataset) -> None:
    accounts = {row["id"] for row in dataset.accounts}
    contacts = {row["id"] for row in dataset.contacts}
    account_refs = [row["identity"]["account_ref"] for row in dataset.deals]
    assert sum(ref in accounts for ref in account_refs) >= 0.95 * len(account_refs)
    contact_refs = [
        ref for row in dataset.deals for ref in (row["identity"].get("contact_refs") or [])
    ]
    assert contact_refs
    assert sum(ref in contacts for ref in contact_refs) >= 0.95 * len(contact_refs)


def test_the_data_is_messy_in_the_expected_ways(dataset: Dataset) -> None:
    text = json.dumps([dataset.contacts, dataset.accounts], ensure_ascii=False)
    for spelling in ("Allemagne", "Deutschland", "United Kingdom", '"UK"', '"FRA"', '"fr"'):
        assert spelling in text, spelling
    assert '""' in text  # empty strings for missing values
    families = [
        row["identity"]["name"]["family"]
        for row in dataset.contacts
        if isinstance(row["identity"].get("name"), dict) and row["identity"]["name"].get("family")
    ]
    assert any(name.isupper() for name in families)
    assert any(name != name.strip() or "  " in name for name in families)
    assert any(any(particle in name for particle in ("de ", "van ", "von ")) for name in families)
    stages = {row["descriptive"]["lifecycle_stage"] for row in dataset.contacts}
    assert any(stage.isupper() for stage in stages)
    assert any(stage[:1].isupper() and not stage.isupper() for stage in stages)
    amounts = [row["quantitative"]["amount"] for row in dataset.deals]
    assert any(isinstance(amount, dict) for amount in amounts)
    assert any(isinstance(amount, str) for amount in amounts)


def test_no_event_lies_after_as_of_except_planned_ones(dataset: Dataset) -> None:
    converter = _converter()
    for row in dataset.activities:
        if not _converts(converter, Activity, row):
            continue
        activity = converter.from_dict(Activity, row)
        occurred = activity.descriptive.occurred_at
        if occurred is not None and occurred > AS_OF:
            assert activity.descriptive.status is not None
            assert activity.descriptive.status.value == "planned"


def test_as_of_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone"):
        messy_dataset(1, datetime(2026, 11, 1))


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_defect_rate_is_a_share(rate: float) -> None:
    with pytest.raises(ValueError, match="share"):
        messy_dataset(1, AS_OF, defect_rate=rate)


def test_small_data_sets_still_work() -> None:
    data = messy_dataset(1, AS_OF, contacts=3, accounts=0, deals=0, activities=2)
    assert len(data.contacts) == 3
    assert data.known_duplicates == ()
    assert len(data.activities) == 2


def test_phone_numbers_are_valid_numbers_of_their_country(dataset: Dataset) -> None:
    converter = _converter()
    checked = 0
    for name in ("contacts", "accounts"):
        for row in getattr(dataset, name):
            try:
                record = converter.from_dict(TYPES[name], row)
            except ConversionError:
                continue
            countries = {a.country for a in record.identity.addresses} - {None}
            for phone in record.identity.phones:
                number = phonenumbers.parse(phone.e164)
                assert phonenumbers.is_valid_number(number)
                if phone.region is not None and countries:
                    assert phonenumbers.region_code_for_number(number) in countries
                checked += 1
    assert checked > 100


def _within(seconds: float, build: Callable[[], Dataset]) -> Dataset:
    """Run ``build`` in a thread and fail, rather than hang, if it takes too long."""
    found: list[Dataset] = []
    worker = threading.Thread(target=lambda: found.append(build()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"no data set after {seconds} seconds"
    return found[0]


def test_more_accounts_than_company_names_still_get_distinct_names() -> None:
    data = _within(60, lambda: messy_dataset(3, AS_OF, accounts=250))
    assert len(data.accounts) == 250
    names = [" ".join(row["identity"]["name"].split()).lower() for row in data.accounts]
    assert len(set(names)) == 250
    numbered = [name for name in names if name.rsplit(" ", 1)[-1].isdigit()]
    assert len(numbered) == 250 - len(STEMS) * len(TRADES)
    assert all(name.endswith(" 2") for name in numbered)
    domains = [row["identity"].get("domains") for row in data.accounts]
    found = [domain[0] for domain in domains if domain]
    assert len(set(found)) == len(found)


def test_the_first_company_names_do_not_change_when_more_are_asked() -> None:
    few = messy_dataset(8, AS_OF, contacts=0, accounts=40, deals=0, activities=0)
    assert all(not row["identity"]["name"].strip()[-1].isdigit() for row in few.accounts)


def test_dangling_references_never_name_a_real_account() -> None:
    """With more accounts than the ids dangling references start at, they still dangle."""
    data = _within(
        60, lambda: messy_dataset(0, AS_OF, contacts=0, accounts=9300, deals=300, activities=0)
    )
    accounts = {row["id"] for row in data.accounts}
    by_name = {
        " ".join(row["identity"]["name"].split()).lower(): row["id"] for row in data.accounts
    }
    dangling = 0
    for deal in data.deals:
        company = " ".join(deal["identity"]["name"].split(" — ")[0].split()).lower()
        ref = deal["identity"]["account_ref"]
        if ref != by_name[company]:
            assert ref not in accounts
            dangling += 1
    assert dangling >= 1


def test_the_reference_tables_live_in_their_own_module() -> None:
    assert COUNTRIES
    assert {country.code for country, _ in COUNTRIES} == {"FR", "DE", "GB", "US", "ES", "NL", "IT"}
    assert all(weight > 0 for _, weight in COUNTRIES)
    source = Path(synthetic.__file__).read_text(encoding="utf-8")
    assert "Jean-Baptiste" not in source
    assert len(source.splitlines()) < 1100


def test_the_testing_package_never_imports_the_cli() -> None:
    """Strategies and synthetic data ship to users' tests; the CLI is the one edge with I/O."""
    package = Path(crmcore.testing.__file__).parent
    wrong: list[str] = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            wrong += [f"{path.name}: {name}" for name in names if name.startswith("crmcore.cli")]
    assert wrong == []


def test_a_person_picks_the_same_employer_with_accounts_grouped_by_country_once() -> None:
    from crmcore.testing._synthetic_accounts import make_org
    from crmcore.testing._synthetic_people import Unique, by_country, make_person

    as_of = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rng, taken = random.Random(1), set[str]()
    orgs = [make_org(rng, index, taken) for index in range(40)]
    grouped = by_country(orgs)
    assert sorted(len(group) for group in grouped.values()) != [40]  # several countries
    scanned, looked_up = random.Random(5), random.Random(5)
    first = [make_person(scanned, as_of, orgs, Unique()) for _ in range(200)]
    second = [make_person(looked_up, as_of, orgs, Unique(), grouped) for _ in range(200)]
    assert first == second
    assert any(person.account is not None for person in first)
