"""The mappings shipped for HubSpot and Salesforce exports: each loads, is packaged, and
converts a realistic row of its export."""

from __future__ import annotations

import json
import sys
from datetime import date, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from crmcore import Account, ColumnMapping, Contact, Converter, MappingError, Money, convert_rows
from crmcore.records.enums import AccountType, LifecycleStage, Source

ROOT = Path(__file__).resolve().parents[2]

HUBSPOT_CONTACT = {
    "Record ID": "51234",
    "First Name": "Ada",
    "Last Name": "Lovelace",
    "Email": "ada.lovelace@example.org",
    "Phone Number": "+44 20 7946 0958",
    "Mobile Phone Number": "",
    "Street Address": "10 Example Street",
    "City": "London",
    "State/Region": "",
    "Postal Code": "SW1A 2AA",
    "Country/Region": "United Kingdom",
    "Company Name": "Analytical Engines Ltd",
    "Job Title": "Programmer",
    "Lifecycle Stage": "Marketing Qualified Lead",
    "Lead Status": "In Progress",
    "Original Source": "Organic Search",
    "Unsubscribed from all email": "false",
    "Contact owner": "Sam Carter",
    "Marketing contact status": "Marketing contact",
    "Create Date": "2024-03-05 14:22",
    "Last Activity Date": "2024-06-01 09:00",
}

HUBSPOT_COMPANY = {
    "Record ID": "9001",
    "Company name": "Analytical Engines",
    "Company Domain Name": "engines.example",
    "Phone Number": "+44 20 7946 0000",
    "City": "London",
    "Country/Region": "United Kingdom",
    "Industry": "Computer Software",
    "Type": "PARTNER",
    "Number of Employees": "1,204",
    "Annual Revenue": "2500000",
    "Company owner": "Sam Carter",
    "Time Zone": "Europe/London",
    "Create Date": "2023-01-10 08:00",
}

SALESFORCE_CONTACT = {
    "Contact ID": "0035e00000AbCdEAAV",
    "Salutation": "Ms.",
    "First Name": "Grace",
    "Last Name": "Hopper",
    "Email": "grace.hopper@example.com",
    "Phone": "(415) 555-0132",
    "Mobile": "",
    "Mailing Street": "1 Market St\nSuite 300",
    "Mailing City": "San Francisco",
    "Mailing State/Province": "CA",
    "Mailing Zip/Postal Code": "94105",
    "Mailing Country": "United States",
    "Birthdate": "12/9/1906",
    "Account Name": "Compilers Inc",
    "Account ID": "0015e00000XyZabAAB",
    "Title": "Rear Admiral",
    "Department": "Research",
    "Lead Source": "Partner Referral",
    "Email Opt Out": "1",
    "Do Not Call": "0",
    "Created Date": "11/7/2023, 9:15 AM",
}

SALESFORCE_ACCOUNT = {
    "Account ID": "0015e00000XyZabAAB",
    "Account Name": "Compilers Inc",
    "Account Number": "CD-1042",
    "Phone": "(415) 555-0100",
    "Website": "www.compilers.example",
    "Billing Street": "1 Market St",
    "Billing City": "San Francisco",
    "Billing State/Province": "CA",
    "Billing Zip/Postal Code": "94105",
    "Billing Country": "United States",
    "Type": "Customer - Direct",
    "Industry": "Technology",
    "Annual Revenue": "12,500,000.00",
    "Account Currency": "USD",
    "Employees": "350",
    "Account Owner": "Sam Carter",
    "Created Date": "11/7/2023, 9:15 AM",
}


def _converter() -> Converter:
    return Converter(default_region="US", default_currency="USD", assume_tz=timezone.utc)


def _one(name: str, row: dict[str, Any]) -> Any:
    mapping = ColumnMapping.builtin(name)
    [result] = convert_rows([row], mapping, _converter())
    assert result.problems == ()
    return result.record


def test_a_hubspot_contacts_export_row_converts() -> None:
    contact = _one("hubspot_contacts", HUBSPOT_CONTACT)
    assert isinstance(contact, Contact)
    assert contact.id == "51234"
    assert contact.source is Source.IMPORT
    assert contact.identity.emails[0].address == "ada.lovelace@example.org"
    assert [phone.e164 for phone in contact.identity.phones] == ["+442079460958"]
    assert contact.identity.addresses[0].country == "GB"
    assert contact.descriptive.lifecycle_stage is LifecycleStage.MARKETING_QUALIFIED
    assert contact.descriptive.lead_source is Source.WEB_ANALYTICS
    assert contact.descriptive.communication.email_opt_in is True
    assert contact.descriptive.custom["hubspot_lead_status"] == "In Progress"


def test_a_hubspot_companies_export_row_converts() -> None:
    account = _one("hubspot_companies", HUBSPOT_COMPANY)
    assert isinstance(account, Account)
    assert account.identity.domains == ("engines.example",)
    assert account.descriptive.account_type is AccountType.PARTNER
    assert account.quantitative.employees == 1204
    assert account.quantitative.annual_revenue == Money("2500000", "USD")


def test_a_salesforce_contacts_report_row_converts() -> None:
    contact = _one("salesforce_contacts", SALESFORCE_CONTACT)
    assert contact.identity.name.prefix == "Ms."
    assert contact.identity.addresses[0].lines == ("1 Market St", "Suite 300")
    assert contact.identity.birth_date == date(1906, 12, 9)
    assert contact.identity.account_ref == "0015e00000XyZabAAB"
    assert contact.descriptive.lead_source is Source.REFERRAL
    assert contact.descriptive.communication.email_opt_in is False
    assert contact.descriptive.communication.phone_opt_in is True
    assert contact.created_at is not None
    assert contact.created_at.hour == 9


def test_a_salesforce_accounts_report_row_converts_with_its_currency() -> None:
    account = _one("salesforce_accounts", SALESFORCE_ACCOUNT)
    assert account.identity.account_number == "CD-1042"
    assert account.descriptive.account_type is AccountType.CUSTOMER
    assert account.quantitative.annual_revenue == Money("12500000.00", "USD")
    assert account.descriptive.custom["website"] == "www.compilers.example"


def test_a_salesforce_account_without_revenue_has_none_though_its_currency_is_set() -> None:
    row = dict(SALESFORCE_ACCOUNT, **{"Annual Revenue": ""})
    assert _one("salesforce_accounts", row).quantitative.annual_revenue is None


@pytest.mark.parametrize("name", ColumnMapping.builtin_names())
def test_every_shipped_mapping_loads_checked_and_reads_no_required_column(name: str) -> None:
    mapping = ColumnMapping.builtin(name)
    assert mapping.record_type in (Contact, Account)
    assert mapping.require_columns is False
    assert mapping.description
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping
    # a row with only an id converts: every other column may be missing from an export
    id_column = next(column for column, path in mapping.columns.items() if path == "id")
    [result] = convert_rows([{id_column: "r-1"}], mapping, _converter())
    assert result.ok


def test_the_shipped_files_are_exactly_the_shipped_names_and_are_in_the_wheel() -> None:
    folder = resources.files("crmcore.data").joinpath("mappings")
    files = sorted(item.name for item in folder.iterdir() if item.name.endswith(".json"))
    assert files == [f"{name}.json" for name in ColumnMapping.builtin_names()]
    for name in files:
        json.loads(folder.joinpath(name).read_text(encoding="utf-8"))
    pyproject = ROOT / "pyproject.toml"
    if pyproject.exists() and sys.version_info >= (3, 11):
        import tomllib

        # the wheel packages the whole source folder, data files included
        wheel = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
        assert wheel["targets"]["wheel"]["packages"] == ["src/crmcore"]
        assert "exclude" not in wheel["targets"]["wheel"]


def test_an_unknown_shipped_mapping_is_refused_without_echoing_the_name() -> None:
    with pytest.raises(MappingError) as caught:
        ColumnMapping.builtin("ada@example.org")
    assert "ada@example.org" not in str(caught.value)
    assert "hubspot_contacts" in str(caught.value)
