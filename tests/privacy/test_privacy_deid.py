"""HIPAA Safe Harbor de-identification, 45 CFR 164.514(b)(2) (crmcore.privacy.deid).

One test per identifier of 164.514(b)(2)(i)(A)-(R), each citing its letter, then the
generalisations, the ZIP list, property tests and bad input.
"""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import (
    Account,
    AccountIdentity,
    Activity,
    ActivityIdentity,
    ActivityQualitative,
    Category,
    Contact,
    ContactIdentity,
    ContactQualitative,
    ContactQuantitative,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    DealDescriptive,
    EmailAddress,
    ExternalId,
    Money,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    PrivacyCategory,
)
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy.deid import (
    NINETY_OR_OLDER,
    generalise_age,
    generalise_birth_date,
    generalise_zip,
    restricted_zip3,
    safe_harbor,
)
from crmcore.testing import strategies as crm_st

UTC = timezone.utc
AS_OF = date(2026, 1, 1)

ADA = Contact(
    "c-1",
    ContactIdentity(
        name=PersonName(given="Ada", family="Lovelace"),
        emails=(EmailAddress("ada@example.org"),),
        phones=(PhoneNumber("+1 212 555 0100", label="fax"),),
        addresses=(
            PostalAddress(
                lines=("12 Analytical Way",),
                locality="New York",
                region="NY",
                postal_code="10027-1234",
                country="US",
                collected_at=datetime(2021, 6, 7, tzinfo=UTC),
            ),
        ),
        birth_date=date(1950, 12, 10),
        organisation="Babbage Engines",
        account_ref="a-1",
        account_number="ACCT-778",
        external_ids=(
            ExternalId(system="ssn", value="078-05-1120"),
            ExternalId(system="mrn", value="MRN-55"),
        ),
    ),
    qualitative=ContactQualitative(notes=(Note("Ada called", author="Bob"),)),
    quantitative=ContactQuantitative(total_spent=Money("120.50", "USD"), purchase_count=3),
    created_at=datetime(2020, 3, 4, 5, tzinfo=UTC),
)

SCHEMA = CustomSchema(
    Contact,
    (
        CustomFieldSpec(
            "diagnosis", CustomType.STRING, Category.QUALITATIVE, personal=True, privacy="health"
        ),
        CustomFieldSpec(
            "admitted_on", CustomType.DATE, Category.QUALITATIVE, personal=True, privacy="health"
        ),
        CustomFieldSpec(
            "plan_number",
            CustomType.STRING,
            Category.DESCRIPTIVE,
            personal=True,
            privacy="identifier",
        ),
        CustomFieldSpec(
            "vehicle_plate",
            CustomType.STRING,
            Category.DESCRIPTIVE,
            personal=True,
            privacy="identifier",
        ),
        CustomFieldSpec(
            "device_serial",
            CustomType.STRING,
            Category.QUANTITATIVE,
            personal=True,
            privacy="identifier",
        ),
        CustomFieldSpec("photo_url", CustomType.STRING, Category.IDENTITY),
        CustomFieldSpec("fingerprint", CustomType.STRING, Category.IDENTITY),
        CustomFieldSpec("tier", CustomType.STRING, Category.DESCRIPTIVE),
    ),
)


def deid(record: Any = ADA, **kwargs: Any) -> Any:
    return safe_harbor(record, as_of=kwargs.pop("as_of", AS_OF), **kwargs)


def with_custom(**facets: dict[str, Any]) -> Contact:
    from attrs import evolve

    changes = {name: evolve(getattr(ADA, name), custom=values) for name, values in facets.items()}
    return evolve(ADA, **changes)


def text_of(result: Any) -> str:
    return json.dumps(result.data)


# -- the 18 identifiers ---------------------------------------------------------------------


def test_a_names_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(A): names, the person's and a note author's."""
    out = deid()
    assert out.data["identity"]["name"] is None
    assert "identity.name" in out.removed
    assert "Lovelace" not in text_of(out)
    assert "Bob" not in text_of(out)
    deal = Deal("d-1", descriptive=DealDescriptive(owner="Bob Smith"))
    assert deid(deal).data["descriptive"]["owner"] is None


def test_b_geographic_subdivisions_smaller_than_a_state_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(B): street address, city and ZIP code; the state stays."""
    (address,) = deid().data["identity"]["addresses"]
    assert address["lines"] is None
    assert address["locality"] is None
    assert address["region"] == "NY"
    assert address["country"] == "US"
    assert address["postal_code"] == "100"
    assert "identity.addresses" in deid().generalised


def test_b_zip_prefixes_of_20000_or_fewer_people_become_000() -> None:
    """45 CFR 164.514(b)(2)(i)(B)(2): the restricted three-digit ZIPs are changed to 000."""
    from attrs import evolve

    rural = evolve(
        ADA,
        identity=evolve(
            ADA.identity, addresses=(PostalAddress(postal_code="03601", country="US"),)
        ),
    )
    assert deid(rural).data["identity"]["addresses"][0]["postal_code"] == "000"
    newer = deid(rural, restricted_zip3=["100"])
    assert newer.data["identity"]["addresses"][0]["postal_code"] == "036"


def test_b_non_us_postal_codes_and_regions_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(B): a foreign postal code or county is no US state."""
    from attrs import evolve

    abroad = evolve(
        ADA,
        identity=evolve(
            ADA.identity,
            addresses=(PostalAddress(region="Kent", postal_code="CT1 1AA", country="GB"),),
        ),
    )
    (address,) = deid(abroad).data["identity"]["addresses"]
    assert (address["postal_code"], address["region"], address["country"]) == (None, None, "GB")


def test_c_dates_are_reduced_to_the_year() -> None:
    """45 CFR 164.514(b)(2)(i)(C): all elements of dates except the year."""
    out = deid()
    assert out.data["identity"]["birth_date"] == 1950
    assert out.data["created_at"] == 2020
    assert out.data["identity"]["addresses"][0]["collected_at"] == 2021
    assert {"identity.birth_date", "created_at"} <= set(out.generalised)


def test_c_ages_over_89_are_aggregated_into_90_or_older() -> None:
    """45 CFR 164.514(b)(2)(i)(C): ages over 89 and dates indicating them, year included."""
    assert deid(as_of=date(2040, 12, 9)).data["identity"]["birth_date"] == NINETY_OR_OLDER
    assert deid(as_of=date(2039, 12, 31)).data["identity"]["birth_date"] == 1950
    assert generalise_age(89) == 89
    assert generalise_age(90) == NINETY_OR_OLDER


def test_d_telephone_numbers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(D): telephone numbers."""
    out = deid()
    assert out.data["identity"]["phones"] is None
    assert "555" not in text_of(out)


def test_e_fax_numbers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(E): fax numbers, held as phone numbers labelled fax."""
    account = Account("a-1", AccountIdentity(phones=(PhoneNumber("+1 212 555 0199", label="fax"),)))
    assert deid(account).data["identity"]["phones"] is None


def test_f_email_addresses_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(F): electronic mail addresses."""
    out = deid()
    assert out.data["identity"]["emails"] is None
    assert "example.org" not in text_of(out)


def test_g_social_security_numbers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(G): social security numbers, held as external ids."""
    out = deid()
    assert out.data["identity"]["external_ids"] is None
    assert "078-05-1120" not in text_of(out)


def test_h_medical_record_numbers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(H): medical record numbers."""
    assert "MRN-55" not in text_of(deid())


def test_i_health_plan_beneficiary_numbers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(I): health plan beneficiary numbers (an identifier field)."""
    record = with_custom(descriptive={"plan_number": "HP-123"})
    out = deid(record, schema=SCHEMA)
    assert out.data["descriptive"]["custom"]["plan_number"] is None
    assert "descriptive.custom.plan_number" in out.removed


def test_j_account_numbers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(J): account numbers."""
    out = deid()
    assert out.data["identity"]["account_number"] is None
    assert "ACCT-778" not in text_of(out)


def test_k_certificate_and_license_numbers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(K): certificate/license numbers, held as external ids."""
    from attrs import evolve

    record = evolve(
        ADA,
        identity=evolve(ADA.identity, external_ids=(ExternalId(system="licence", value="L-9"),)),
    )
    assert "L-9" not in text_of(deid(record))


def test_l_vehicle_identifiers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(L): vehicle identifiers and serial numbers, plates too."""
    record = with_custom(descriptive={"vehicle_plate": "7ABC123"})
    assert "7ABC123" not in text_of(deid(record, schema=SCHEMA))


def test_m_device_identifiers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(M): device identifiers and serial numbers."""
    record = with_custom(quantitative={"device_serial": "SN-0042"})
    assert "SN-0042" not in text_of(deid(record, schema=SCHEMA))


def test_n_web_urls_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(N): web URLs, an employer's domains and undeclared values."""
    account = Account("a-1", AccountIdentity(name="Babbage Engines", domains=("babbage.example",)))
    assert "babbage" not in text_of(deid(account))
    record = with_custom(descriptive={"homepage": "https://ada.example/"})
    assert "ada.example" not in text_of(deid(record))


def test_o_ip_addresses_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(O): IP addresses, here in an undeclared custom field."""
    record = with_custom(quantitative={"last_ip": "192.0.2.7"})
    out = deid(record, schema=SCHEMA)
    assert "192.0.2.7" not in text_of(out)
    assert "quantitative.custom.last_ip" in out.removed


def test_p_biometric_identifiers_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(P): biometric identifiers, in an identity field."""
    record = with_custom(identity={"fingerprint": "f1ng3r"})
    assert "f1ng3r" not in text_of(deid(record, schema=SCHEMA))


def test_q_full_face_photographs_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(Q): full-face photographs and comparable images."""
    record = with_custom(identity={"photo_url": "https://img.example/ada.jpg"})
    assert "ada.jpg" not in text_of(deid(record, schema=SCHEMA))


def test_r_other_unique_identifying_codes_are_removed() -> None:
    """45 CFR 164.514(b)(2)(i)(R): any other unique identifying number or code.

    The record's id and its references to other records go; free text, which may hold any
    of the identifiers above, goes too.
    """
    out = deid()
    assert out.data["id"] is None
    assert out.data["identity"]["account_ref"] is None
    assert out.data["qualitative"]["notes"] is None
    activity = Activity(
        "a-7",
        ActivityIdentity(contact_refs=("c-1",)),
        qualitative=ActivityQualitative(content="Ada, SSN 078-05-1120"),
    )
    result = deid(activity)
    assert result.data["identity"]["contact_refs"] is None
    assert "078" not in text_of(result)


def test_employers_are_identifiers_of_the_person() -> None:
    """45 CFR 164.514(b)(2)(i), opening words: identifiers of relatives, employers, household."""
    out = deid()
    assert out.data["identity"]["organisation"] is None
    assert "Babbage" not in text_of(out)


# -- what stays -----------------------------------------------------------------------------


def test_health_fields_stay_with_their_dates_to_the_year() -> None:
    """45 CFR 164.514(b)(2): health information stays, once the identifiers are gone."""
    record = with_custom(qualitative={"diagnosis": "asthma", "admitted_on": date(2024, 5, 6)})
    out = deid(record, schema=SCHEMA)
    custom = out.data["qualitative"]["custom"]
    assert custom == {"diagnosis": "asthma", "admitted_on": 2024}
    assert "qualitative.custom.admitted_on" in out.generalised
    dropped = deid(record, schema=SCHEMA, remove=["health"])
    assert dropped.data["qualitative"]["custom"]["diagnosis"] is None


def test_figures_and_declared_descriptive_fields_stay() -> None:
    """45 CFR 164.514(b)(2): what is none of the 18 identifiers is kept."""
    record = with_custom(descriptive={"tier": "gold"})
    out = deid(record, schema=SCHEMA)
    assert out.data["quantitative"]["total_spent"] == {"amount": "120.50", "currency": "USD"}
    assert out.data["quantitative"]["purchase_count"] == 3
    assert out.data["descriptive"]["custom"]["tier"] == "gold"


def test_the_output_is_json_safe_and_the_repr_shows_no_value() -> None:
    out = deid(schema=SCHEMA)
    assert json.loads(json.dumps(out.data)) == out.data
    assert "NY" not in repr(out)
    assert "120" not in repr(out)


def test_the_input_is_not_changed() -> None:
    before = repr(ADA), ADA.identity.emails
    deid()
    assert (repr(ADA), ADA.identity.emails) == before


# -- the ZIP list ---------------------------------------------------------------------------


def test_the_shipped_list_is_the_hhs_2000_census_list() -> None:
    """HHS de-identification guidance (2012), section 3.3: the 17 restricted prefixes."""
    assert restricted_zip3() == {
        "036", "059", "063", "102", "203", "556", "692", "790", "821",
        "823", "830", "831", "878", "879", "884", "890", "893",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("code", "expected"),
    [("10027", "100"), ("10027-1234", "100"), ("100271234", "100"), (" 05901 ", "000")],
)
def test_zip_codes_keep_three_digits(code: str, expected: str) -> None:
    """45 CFR 164.514(b)(2)(i)(B)(1)-(2)."""
    assert generalise_zip(code) == expected


@pytest.mark.parametrize("code", ["1002", "ABCDE", "100-27", "", "SW1A 1AA"])
def test_what_is_no_zip_code_is_removed(code: str) -> None:
    """45 CFR 164.514(b)(2)(i)(B): a code that cannot be generalised is removed."""
    assert generalise_zip(code) is None


# -- properties -----------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=date(1850, 1, 1)), st.dates(min_value=date(1850, 1, 1)))
def test_a_birth_year_never_shows_an_age_over_89(born: date, as_of: date) -> None:
    """45 CFR 164.514(b)(2)(i)(C): no year shown could mean an age of 90 or more."""
    shown = generalise_birth_date(born, as_of)
    if shown != NINETY_OR_OLDER:
        assert isinstance(shown, int)
        assert as_of.year - shown <= 89


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30).filter(lambda s: s.strip()))
def test_planted_text_never_survives_in_identifying_fields(planted: str) -> None:
    """45 CFR 164.514(b)(2)(i): whatever is written in an identifying field is gone."""
    from attrs import evolve

    marker = f"zq{planted}qz"
    record = evolve(
        ADA,
        identity=evolve(ADA.identity, name=PersonName(given=marker), account_number=marker),
        qualitative=ContactQualitative(notes=(Note(marker),), custom={"free": marker}),
    )
    assert json.dumps(marker)[1:-1] not in text_of(deid(record))


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"as_of": "2026-01-01"}, "as_of"),
        ({"as_of": datetime(2026, 1, 1)}, "as_of"),
        ({"schema": CustomSchema(Account, ())}, "schema"),
        ({"restricted_zip3": "036"}, "restricted_zip3"),
        ({"restricted_zip3": ["36"]}, "restricted_zip3"),
        ({"remove": ["nope"]}, "remove"),
    ],
)
def test_bad_arguments_raise_naming_them(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError, match=field):
        deid(**kwargs)


def test_a_non_record_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="record"):
        safe_harbor({"id": "c-1"}, as_of=AS_OF)  # type: ignore[arg-type]


@pytest.mark.parametrize("age", [-1, True, "90", 1.5])
def test_generalise_age_refuses_what_is_no_age(age: object) -> None:
    with pytest.raises(InvalidValueError, match="age"):
        generalise_age(age)  # type: ignore[arg-type]


def test_removed_lists_every_identifying_path_whatever_the_record_holds() -> None:
    empty = safe_harbor(Contact("c-2"), as_of=AS_OF)
    assert empty.removed == deid().removed
    assert PrivacyCategory.NAME.value == "name"


# -- fuzzing --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(crm_st.records(), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_any_record_de_identifies_to_json_without_its_emails_or_phones(
    record: Any, as_of: date
) -> None:
    """45 CFR 164.514(b)(2)(i)(D)-(F): no email address or phone number survives, ever."""
    out = safe_harbor(record, as_of=as_of)
    text = json.dumps(out.data)
    assert json.loads(text) == out.data
    identity = record.identity
    for email in getattr(identity, "emails", ()):
        assert json.dumps(email.address)[1:-1] not in text
    for phone in getattr(identity, "phones", ()):
        assert json.dumps(phone.number)[1:-1] not in text
    assert out.data["id"] is None


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers()), st.binary()))
def test_any_bad_argument_raises_a_crm_error(junk: object) -> None:
    for call in (
        lambda: safe_harbor(junk, as_of=AS_OF),  # type: ignore[arg-type]
        lambda: safe_harbor(ADA, as_of=junk),  # type: ignore[arg-type]
        lambda: safe_harbor(ADA, as_of=AS_OF, restricted_zip3=junk),  # type: ignore[arg-type]
        lambda: safe_harbor(ADA, as_of=AS_OF, remove=junk),  # type: ignore[arg-type]
    ):
        with contextlib.suppress(CRMError):
            call()


def test_a_deal_keeps_its_figures_and_loses_its_owner_and_ids() -> None:
    """45 CFR 164.514(b)(2)(i)(A), (R): figures stay; the owner's name and the ids go."""
    from crmcore import DealQuantitative

    deal = Deal(
        "d-1",
        descriptive=DealDescriptive(owner="Bob", expected_close_on=date(2026, 3, 31)),
        quantitative=DealQuantitative(discount=0.15),
    )
    out = deid(deal)
    assert out.data["quantitative"]["discount"] == 0.15
    assert out.data["descriptive"]["expected_close_on"] == 2026
    assert (out.data["id"], out.data["descriptive"]["owner"]) == (None, None)
