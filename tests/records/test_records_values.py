"""Value objects and records validate on construction and never show personal values."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest

from crmcore import (
    AccountIdentity,
    ActivityIdentity,
    Category,
    CommunicationPreferences,
    Contact,
    ContactDescriptive,
    ContactIdentity,
    ContactQuantitative,
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    DealQualitative,
    DealQuantitative,
    EmailAddress,
    ExternalId,
    InvalidValueError,
    Money,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    RegistrationNumber,
    Satisfaction,
    SchemaError,
    SocialEngagement,
)

UTC = timezone.utc


def test_email_keeps_what_was_given_beside_its_normalised_form() -> None:
    email = EmailAddress("  Jean.Dupont@EXAMPLE.com".strip())
    assert email.address == "Jean.Dupont@EXAMPLE.com"
    assert email.normalised == "Jean.Dupont@example.com"
    assert email.domain == "example.com"


@pytest.mark.parametrize("text", ["no-at-sign", "a@b", "two@@example.com", "a b@example.com"])
def test_email_with_invalid_syntax_is_refused_without_quoting_it(text: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        EmailAddress(text)
    assert text not in str(caught.value)
    assert caught.value.field == "address"


def test_email_given_with_its_normalised_form_is_not_parsed_again() -> None:
    email = EmailAddress("X@Example.org", normalised="X@example.org")
    assert email.normalised == "X@example.org"
    with pytest.raises(InvalidValueError):
        EmailAddress("x@example.org", normalised="not normalised")


def test_phone_is_read_in_its_region_and_kept_in_e164() -> None:
    phone = PhoneNumber("020 7946 0958", region="GB")
    assert phone.e164 == "+442079460958"
    assert phone.region == "GB"
    assert phone.extension is None


def test_phone_extension_is_kept() -> None:
    assert PhoneNumber("+1 650-253-0000 ext. 123").extension == "123"


def test_national_phone_without_region_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="no region"):
        PhoneNumber("020 7946 0958")


def test_impossible_phone_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="possible"):
        PhoneNumber("12", region="FR")


def test_address_country_must_be_alpha2() -> None:
    assert PostalAddress(country="DE").country == "DE"
    for bad in ("Germany", "DEU", "de", "ZZ"):
        with pytest.raises(InvalidValueError):
            PostalAddress(country=bad)


def test_money_is_decimal_and_iso_4217_never_float() -> None:
    assert Money(Decimal("10.00"), "EUR").amount == Decimal("10.00")
    with pytest.raises(InvalidValueError, match="Decimal"):
        Money(10.0, "EUR")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="4217"):
        Money(Decimal(1), "EURO")
    with pytest.raises(InvalidValueError, match="finite"):
        Money(Decimal("NaN"), "EUR")


def test_naive_datetimes_are_refused_everywhere() -> None:
    naive = datetime(2024, 1, 1, 12, 0)
    with pytest.raises(InvalidValueError, match="naive"):
        EmailAddress("a@example.org", collected_at=naive)
    with pytest.raises(InvalidValueError, match="naive"):
        Contact("c1", created_at=naive)
    with pytest.raises(InvalidValueError, match="naive"):
        Note("call back", created_at=naive)


def test_blank_text_is_refused_so_missing_is_always_none() -> None:
    with pytest.raises(InvalidValueError, match="blank"):
        PersonName(given="  ")
    with pytest.raises(InvalidValueError, match="required"):
        Contact("")
    with pytest.raises(InvalidValueError, match="required"):
        ExternalId(system="crm", value="")


def test_counts_probabilities_and_scores_are_range_checked() -> None:
    with pytest.raises(InvalidValueError, match="negative"):
        ContactQuantitative(email_clicks=-1)
    with pytest.raises(InvalidValueError, match="whole number"):
        ContactQuantitative(email_clicks=True)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="0 to 10"):
        ContactQuantitative(nps=11)
    with pytest.raises(InvalidValueError, match="0 to 1"):
        DealQuantitative(probability=1.5)
    assert DealQuantitative(probability=0.25).probability == 0.25


def test_birth_date_must_be_a_date_not_a_datetime() -> None:
    with pytest.raises(InvalidValueError, match="date"):
        ContactIdentity(birth_date=datetime(1990, 1, 1, tzinfo=UTC))
    assert ContactIdentity(birth_date=date(1990, 1, 1)).birth_date == date(1990, 1, 1)


def test_collections_are_tuples_of_the_right_kind_and_a_list_is_taken_as_one() -> None:
    email = EmailAddress("a@example.org")
    assert ContactIdentity(emails=[email]).emails == (email,)
    with pytest.raises(InvalidValueError, match="tuple"):
        ContactIdentity(emails={email})  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="EmailAddress") as caught:
        ContactIdentity(emails=(email, "a@example.org"))  # type: ignore[arg-type]
    assert caught.value.field == "emails[1]"


def test_records_are_frozen_and_changed_with_evolve() -> None:
    contact = Contact("c1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        contact.id = "c2"  # type: ignore[misc]
    changed = attrs.evolve(contact, id="c2")
    assert (contact.id, changed.id) == ("c1", "c2")


def test_repr_never_shows_personal_values() -> None:
    contact = Contact(
        "c-42",
        ContactIdentity(
            name=PersonName(given="Zebulon", family="Quixotewright"),
            emails=(EmailAddress("zebulon@quixote.example.org"),),
            phones=(PhoneNumber("+44 20 7946 0958"),),
            addresses=(PostalAddress(lines=("1 Planted Lane",), locality="Nowhereville"),),
            birth_date=date(1977, 7, 7),
            external_ids=(ExternalId(system="legacy", value="SECRET-ID-991"),),
        ),
    )
    shown = repr(contact)
    for planted in (
        "Zebulon",
        "Quixotewright",
        "zebulon@",
        "7946",
        "Planted Lane",
        "Nowhereville",
        "1977",
        "SECRET-ID-991",
    ):
        assert planted not in shown, planted
    assert "c-42" in shown
    assert "<redacted>" in shown


def test_satisfaction_is_a_labelled_scale_with_a_score() -> None:
    assert Satisfaction.VERY_DISSATISFIED.score == 1
    assert Satisfaction.VERY_SATISFIED.score == 5


def test_custom_fields_are_immutable_hashable_and_sorted() -> None:
    values = CustomFields({"zeta": 1, "alpha": "a"})
    assert list(values) == ["alpha", "zeta"]
    assert hash(values) == hash(CustomFields({"alpha": "a", "zeta": 1}))
    assert values.set("beta", True)["beta"] is True
    assert "zeta" not in values.remove("zeta")
    assert "zeta" in values
    with pytest.raises(InvalidValueError):
        CustomFields({"Bad Name": 1})
    with pytest.raises(InvalidValueError):
        CustomFields({"ok": 1.5})  # type: ignore[dict-item]


def test_custom_schema_check_reports_undeclared_misplaced_and_mistyped_values() -> None:
    schema = CustomSchema(
        Deal,
        (
            CustomFieldSpec("seats", CustomType.INTEGER, Category.QUANTITATIVE),
            CustomFieldSpec("tier", CustomType.STRING, Category.DESCRIPTIVE),
        ),
    )
    deal = Deal(
        "d1",
        quantitative=DealQuantitative(custom=CustomFields({"seats": "12", "tier": "gold"})),
    )
    problems = {(p.path, p.reason) for p in schema.check(deal)}
    assert problems == {
        ("quantitative.custom.seats", "expected a value of type integer"),
        ("quantitative.custom.tier", "declared in descriptive"),
    }
    assert schema.check(Deal("d2")) == []


def test_custom_schema_refuses_duplicate_names() -> None:
    spec = CustomFieldSpec("tier", CustomType.STRING, Category.DESCRIPTIVE)
    with pytest.raises(SchemaError):
        CustomSchema(Deal, (spec, spec))


def test_a_personal_custom_field_needs_a_privacy_category() -> None:
    with pytest.raises(InvalidValueError, match="privacy"):
        CustomFieldSpec("x", CustomType.STRING, Category.IDENTITY, personal=True)


def test_money_does_not_order_across_currencies() -> None:
    with pytest.raises(TypeError):
        _ = Money(Decimal(3), "CHF") < Money(Decimal(2), "EUR")  # type: ignore[operator]


def test_custom_values_of_different_types_are_not_equal() -> None:
    assert CustomFields({"flag": True}) != CustomFields({"flag": 1})
    assert CustomFields({"n": 1}) != CustomFields({"n": Decimal(1)})
    assert CustomFields({"n": 1}) == {"n": 1}


def test_a_national_phone_given_with_its_e164_form_needs_no_region() -> None:
    phone = PhoneNumber("01 42 68 53 00", e164="+33142685300")
    assert (phone.e164, phone.extension) == ("+33142685300", None)


@pytest.mark.parametrize("text", ["ask reception 12", "1-800-FLOWERS", "call me: 020 7946 0958"])
def test_phone_text_with_words_is_refused_rather_than_read_for_its_digits(text: str) -> None:
    with pytest.raises(InvalidValueError, match="has words"):
        PhoneNumber(text, region="GB")


@pytest.mark.parametrize(
    "text", ["020 7946 0958 ext. 12", "020 7946 0958 x12", "020 7946 0958 #12"]
)
def test_phone_extensions_written_with_markers_are_read(text: str) -> None:
    assert PhoneNumber(text, region="GB").extension == "12"


def test_name_parts_are_keyword_only_so_ada_is_never_a_prefix() -> None:
    with pytest.raises(TypeError):
        PersonName("Ada", "Lovelace")  # type: ignore[misc]
    assert PersonName(given="Ada", family="Lovelace").display == "Ada Lovelace"


@pytest.mark.parametrize(
    "build",
    [
        lambda: ExternalId("billing", "C-1042"),
        lambda: RegistrationNumber("SIREN", "552100554", "FR"),
        lambda: PostalAddress(("1 Lane",), "Paris"),
        lambda: CommunicationPreferences(None, True, False),
        lambda: SocialEngagement(1, 2, 3, 4),
        lambda: ContactIdentity(PersonName(given="Ada")),
        lambda: ContactDescriptive("Engineer", "Mathematician"),
        lambda: AccountIdentity("Acme", "Acme SA"),
        lambda: DealQualitative("price", "budget"),
        lambda: ActivityIdentity(("c-1",), ("a-1",)),
        lambda: EmailAddress("ada@example.org", "ada@example.org"),
        lambda: PhoneNumber("020 7946 0958", "GB"),
        lambda: Note("Called back.", "Grace"),
        lambda: CustomFieldSpec("seats", CustomType.INTEGER, Category.QUANTITATIVE, True),
    ],
)
def test_arguments_whose_order_is_easy_to_get_wrong_are_keyword_only(build: Any) -> None:
    with pytest.raises(TypeError):
        build()


def test_what_stays_positional_is_the_obvious_first_argument() -> None:
    assert EmailAddress("ada@example.org").normalised == "ada@example.org"
    assert PhoneNumber("+44 20 7946 0958").e164 == "+442079460958"
    assert Note("Called back.").text == "Called back."
    assert Money("19.90", "EUR").currency == "EUR"
    assert Contact("c-1", ContactIdentity()).id == "c-1"
    with pytest.raises(InvalidValueError):
        Money("EUR", "19.90")  # swapped: refused, never stored


@pytest.mark.parametrize("country", [["FR"], {"FR"}, b"FR", 250])
def test_a_country_that_is_not_text_is_refused_not_crashed_on(country: Any) -> None:
    with pytest.raises(InvalidValueError, match="3166"):
        PostalAddress(country=country)
    with pytest.raises(InvalidValueError, match="3166"):
        RegistrationNumber(scheme="VAT", value="FR1", country=country)
