"""The converter: JSON-safe output, lenient input that never invents data, every path reported."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from crmcore import (
    Account,
    Activity,
    ActivityKind,
    Category,
    Contact,
    ConversionError,
    Converter,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    EmailAddress,
    InvalidValueError,
    LifecycleStage,
    Money,
    SizeBand,
    from_dict,
    to_dict,
)

UTC = timezone.utc
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


def problems(exc: pytest.ExceptionInfo[ConversionError]) -> dict[str, str]:
    return {problem.path: problem.reason for problem in exc.value.problems}


def contact(identity: dict[str, Any] | None = None, **facets: Any) -> dict[str, Any]:
    return {"id": "c1", "identity": identity or {}, **facets}


# -- output ------------------------------------------------------------------------------------


def test_to_dict_is_json_safe_with_iso_dates_decimal_strings_and_enum_values() -> None:
    record = from_dict(
        Contact,
        contact(
            {"birth_date": "1990-03-05", "emails": ["a@example.org"]},
            descriptive={"lifecycle_stage": "customer", "organisation_size": "10-49"},
            quantitative={"total_spent": {"amount": "10.50", "currency": "EUR"}},
        )
        | {"created_at": "2024-01-02T03:04:05+01:00"},
    )
    data = to_dict(record)
    assert json.loads(json.dumps(data)) == data
    assert data["identity"]["birth_date"] == "1990-03-05"
    assert data["created_at"] == "2024-01-02T03:04:05+01:00"
    assert data["quantitative"]["total_spent"] == {"amount": "10.50", "currency": "EUR"}
    assert data["descriptive"]["lifecycle_stage"] == "customer"
    assert data["identity"]["emails"][0]["normalised"] == "a@example.org"
    assert isinstance(data["identity"]["emails"], list)


@pytest.mark.parametrize("record_type", [Contact, Account, Deal, Activity])
def test_minimal_records_round_trip(record_type: type[Any]) -> None:
    record = record_type("r1")
    assert from_dict(record_type, to_dict(record)) == record


# -- lenient input -----------------------------------------------------------------------------


def test_iso_dates_are_never_reinterpreted_by_dayfirst() -> None:
    conv = Converter(dayfirst=True)
    record = conv.from_dict(Contact, contact({"birth_date": "1990-03-05"}))
    assert record.identity.birth_date == date(1990, 3, 5)


def test_dayfirst_reads_ambiguous_dates_day_first_and_default_month_first() -> None:
    data = contact({"birth_date": "05/03/1990"})
    assert Converter(dayfirst=True).from_dict(Contact, data).identity.birth_date == date(1990, 3, 5)
    assert Converter().from_dict(Contact, data).identity.birth_date == date(1990, 5, 3)


@pytest.mark.parametrize("text", ["March 1990", "1990", "05/1990"])
def test_partial_dates_are_refused_not_completed(text: str) -> None:
    with pytest.raises(ConversionError) as caught:
        Converter(as_of=AS_OF).from_dict(Contact, contact({"birth_date": text}))
    assert "incomplete date" in problems(caught)["identity.birth_date"]


def test_two_digit_year_needs_as_of() -> None:
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, contact({"birth_date": "03/04/85"}))
    assert "two-digit year" in problems(caught)["identity.birth_date"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/04/85", date(1985, 3, 4)),
        ("03/04/26", date(1926, 3, 4)),  # 2026-03-04 is past, but 12/25/26 below is future
        ("12/25/26", date(1926, 12, 25)),
        ("01/01/00", date(2000, 1, 1)),
    ],
)
def test_two_digit_birth_year_never_lands_after_as_of(text: str, expected: date) -> None:
    record = Converter(as_of=AS_OF).from_dict(Contact, contact({"birth_date": text}))
    birth = record.identity.birth_date
    assert birth is not None
    assert birth <= AS_OF.date()
    if text != "03/04/26":
        assert birth == expected


def test_two_digit_year_of_other_dates_stays_within_fifty_years_of_as_of() -> None:
    conv = Converter(as_of=AS_OF)
    deal = conv.from_dict(Deal, {"id": "d1", "descriptive": {"expected_close_on": "06/30/27"}})
    assert deal.descriptive.expected_close_on == date(2027, 6, 30)


def test_instants_need_a_timezone_unless_one_is_assumed() -> None:
    data = {"id": "a1", "descriptive": {"occurred_at": "2024-05-06 10:00"}}
    with pytest.raises(ConversionError) as caught:
        from_dict(Activity, data)
    assert "timezone" in problems(caught)["descriptive.occurred_at"]
    paris = timezone(timedelta(hours=2))
    activity = Converter(assume_tz=paris).from_dict(Activity, data)
    assert activity.descriptive.occurred_at == datetime(2024, 5, 6, 10, tzinfo=paris)


def test_instants_in_iso_with_z_and_free_form_text_are_read() -> None:
    conv = Converter(assume_tz=UTC)
    a = conv.from_dict(Activity, {"id": "a", "descriptive": {"occurred_at": "2024-05-06T10:00Z"}})
    b = conv.from_dict(Activity, {"id": "a", "descriptive": {"occurred_at": "May 6, 2024 10:00"}})
    assert a.descriptive.occurred_at == b.descriptive.occurred_at


def test_numbers_as_strings_percent_and_booleans_in_words_are_read() -> None:
    deal = from_dict(
        Deal,
        {
            "id": "d1",
            "quantitative": {"probability": "35%", "days_in_stage": "12", "discount": "0.1"},
        },
    )
    assert deal.quantitative.probability == pytest.approx(0.35)
    assert deal.quantitative.days_in_stage == 12
    record = from_dict(
        Contact, contact(descriptive={"communication": {"email_opt_in": "oui", "sms_opt_in": "No"}})
    )
    assert record.descriptive.communication.email_opt_in is True
    assert record.descriptive.communication.sms_opt_in is False


def test_empty_strings_are_missing_values() -> None:
    record = from_dict(
        Contact,
        contact(
            {"birth_date": "", "emails": "", "organisation": "  "},
            descriptive={"lifecycle_stage": ""},
        ),
    )
    assert record.identity.birth_date is None
    assert record.identity.emails == ()
    assert record.identity.organisation is None
    assert record.descriptive.lifecycle_stage is None


def test_enums_are_read_in_any_case_and_spacing() -> None:
    record = from_dict(
        Contact,
        contact(descriptive={"lifecycle_stage": "Sales Qualified", "organisation_size": "10-49"}),
    )
    assert record.descriptive.lifecycle_stage is LifecycleStage.SALES_QUALIFIED
    assert record.descriptive.organisation_size is SizeBand.SMALL
    activity = from_dict(Activity, {"id": "a", "descriptive": {"kind": "SUPPORT-REQUEST"}})
    assert activity.descriptive.kind is ActivityKind.SUPPORT_REQUEST


def test_unknown_enum_value_lists_the_allowed_ones() -> None:
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, contact(descriptive={"lifecycle_stage": "wizard"}))
    assert "expected one of: subscriber, lead" in problems(caught)["descriptive.lifecycle_stage"]


def test_countries_by_name_or_alpha3_become_alpha2() -> None:
    record = from_dict(
        Contact,
        contact({"addresses": [{"country": "Allemagne"}, {"country": "gbr"}, {"country": "fr"}]}),
    )
    assert [a.country for a in record.identity.addresses] == ["DE", "GB", "FR"]


def test_national_phone_is_read_in_the_region_of_the_records_own_address() -> None:
    data = contact({"phones": ["01 42 68 53 00"], "addresses": [{"country": "France"}]})
    record = Converter(default_region="US").from_dict(Contact, data)
    assert record.identity.phones[0].e164 == "+33142685300"
    assert record.identity.phones[0].region == "FR"


def test_primary_address_decides_the_phone_region() -> None:
    data = contact(
        {
            "phones": ["020 7946 0958"],
            "addresses": [{"country": "FR"}, {"country": "GB", "primary": True}],
        }
    )
    assert from_dict(Contact, data).identity.phones[0].e164 == "+442079460958"


def test_default_region_is_used_when_the_record_names_no_country() -> None:
    data = contact({"phones": [{"number": "(650) 253-0000", "label": "work"}]})
    record = Converter(default_region="US").from_dict(Contact, data)
    assert record.identity.phones[0].e164 == "+16502530000"
    assert record.identity.phones[0].label == "work"


def test_account_phones_are_read_in_the_accounts_country_too() -> None:
    data = {"id": "a1", "identity": {"phones": ["030 123456"], "addresses": {"country": "DE"}}}
    assert from_dict(Account, data).identity.phones[0].e164 == "+4930123456"


def test_money_is_read_from_text_with_a_code_or_a_default_currency() -> None:
    record = from_dict(Contact, contact(quantitative={"total_spent": "1200.50 eur"}))
    assert record.quantitative.total_spent == Money(Decimal("1200.50"), "EUR")
    conv = Converter(default_currency="GBP")
    record = conv.from_dict(Contact, contact(quantitative={"lifetime_value": 99.9}))
    assert record.quantitative.lifetime_value == Money(Decimal("99.9"), "GBP")


def test_floats_become_decimals_through_their_shortest_repr() -> None:
    deal = from_dict(
        Deal, {"id": "d", "quantitative": {"amount": {"amount": 0.1, "currency": "USD"}}}
    )
    assert deal.quantitative.amount == Money(Decimal("0.1"), "USD")


def test_single_values_are_accepted_where_lists_are_expected() -> None:
    record = from_dict(
        Contact,
        contact(
            {"emails": "a@example.org", "external_ids": {"hubspot": "42", "billing": "7"}},
            qualitative={"motivations": "save time", "notes": "Call back in May"},
        ),
    )
    assert [e.normalised for e in record.identity.emails] == ["a@example.org"]
    assert [(x.system, x.value) for x in record.identity.external_ids] == [
        ("billing", "7"),
        ("hubspot", "42"),
    ]
    assert record.qualitative.motivations == ("save time",)
    assert record.qualitative.notes[0].text == "Call back in May"


def test_a_full_name_is_not_split_by_guessing() -> None:
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, contact({"name": "Ada Lovelace"}))
    assert problems(caught) == {
        "identity.name": "expected the parts of a name (given, family, ...)"
    }


# -- errors ------------------------------------------------------------------------------------


def test_every_failing_path_is_reported_at_once() -> None:
    data = {
        "id": "c1",
        "identity": {
            "emails": ["ok@example.org", "broken", {"address": "x@"}],
            "phones": ["12"],
            "birth_date": "31/31/2020",
            "nickname": "?",
        },
        "quantitative": {"email_clicks": "many", "total_spent": "12"},
        "colour": "blue",
    }
    with pytest.raises(ConversionError) as caught:
        Converter(dayfirst=True).from_dict(Contact, data)
    assert set(problems(caught)) == {
        "identity.emails[1].address",
        "identity.emails[2].address",
        "identity.phones[0].number",
        "identity.birth_date",
        "identity.nickname",
        "quantitative.email_clicks",
        "quantitative.total_spent",
        "colour",
    }
    assert problems(caught)["colour"] == "unknown field"


def test_missing_id_is_reported() -> None:
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, {"identity": {}})
    assert problems(caught) == {"id": "required field is missing"}


def test_non_mapping_input_is_a_conversion_error() -> None:
    with pytest.raises(ConversionError):
        from_dict(Contact, ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, {"id": "c", "identity": "nope"})
    assert problems(caught) == {"identity": "expected a mapping"}


def test_extra_keys_can_be_ignored() -> None:
    record = Converter(extra_keys="ignore").from_dict(Contact, {"id": "c1", "colour": "blue"})
    assert record.id == "c1"


def test_constructor_problems_are_reported_with_their_path() -> None:
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, contact(quantitative={"email_clicks": -3}))
    assert problems(caught) == {"quantitative.email_clicks": "a count cannot be negative"}


PLANTED = {
    "id": "c1",
    "identity": {
        "name": {"given": 12345},
        "emails": ["zebulon.planted@@example.org"],
        "phones": ["+99 PLANTED 555"],
        "birth_date": "Quixotewright 31",
        "account_number": {"x": "SECRETACCT"},
        "addresses": [{"country": "Atlantisland", "lines": "99 Planted Row"}],
    },
    "descriptive": {"lifecycle_stage": "PlantedStage", "gender": ["Zog"]},
    "quantitative": {"email_clicks": "NINETY-NINE-PLANTED", "total_spent": "77 PLANTEDCOIN"},
    "qualitative": {"custom": {"secret": {"nested": "PLANTEDCUSTOM"}}},
}


def test_no_personal_value_appears_in_conversion_errors() -> None:
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, PLANTED)
    text = str(caught.value) + repr(caught.value.problems)
    for planted in (
        "zebulon",
        "PLANTED",
        "Quixotewright",
        "SECRETACCT",
        "Atlantisland",
        "Zog",
        "NINETY",
        "PLANTEDCOIN",
    ):
        assert planted.lower() not in text.lower(), planted
    assert len(caught.value.problems) >= 8


# -- options and extension -----------------------------------------------------------------------


def test_verify_rereads_emails_even_when_a_normalised_form_is_given() -> None:
    data = contact({"emails": [{"address": "Ada@Example.org", "normalised": "wrong@example.org"}]})
    assert from_dict(Contact, data).identity.emails[0].normalised == "wrong@example.org"
    verified = Converter(verify=True).from_dict(Contact, data)
    assert verified.identity.emails[0].normalised == "Ada@example.org"


def test_verify_rereads_phones_even_when_an_e164_form_is_given() -> None:
    data = contact(
        {"phones": [{"number": "020 7946 0958", "region": "GB", "e164": "+15555550100"}]}
    )
    assert (
        Converter(verify=True).from_dict(Contact, data).identity.phones[0].e164 == "+442079460958"
    )


@pytest.mark.parametrize(("region", "meant"), [("UK", "GB"), ("el", "GR"), ("France", "FR")])
def test_a_refused_default_region_suggests_the_code_meant(region: str, meant: str) -> None:
    with pytest.raises(InvalidValueError, match=rf"default_region: .*did you mean {meant}\?"):
        Converter(default_region=region)


def test_converter_options_are_checked() -> None:
    with pytest.raises(InvalidValueError):
        Converter(default_region="France")
    with pytest.raises(InvalidValueError):
        Converter(default_currency="euro")
    with pytest.raises(InvalidValueError):
        Converter(as_of=datetime(2026, 1, 1))


SCHEMA = CustomSchema(
    Contact,
    (
        CustomFieldSpec("loyalty_tier", CustomType.STRING, Category.DESCRIPTIVE),
        CustomFieldSpec("seats", CustomType.INTEGER, Category.QUANTITATIVE),
        CustomFieldSpec("renewal_on", CustomType.DATE, Category.DESCRIPTIVE),
        CustomFieldSpec("ratio", CustomType.DECIMAL, Category.QUANTITATIVE),
        CustomFieldSpec("vip", CustomType.BOOLEAN, Category.DESCRIPTIVE),
        CustomFieldSpec("tags", CustomType.STRINGS, Category.QUALITATIVE),
        CustomFieldSpec("seen_at", CustomType.DATETIME, Category.QUALITATIVE),
    ),
)


def test_custom_fields_are_coerced_against_the_schema_and_round_trip() -> None:
    conv = Converter(schemas=(SCHEMA,))
    record = conv.from_dict(
        Contact,
        contact(
            descriptive={
                "custom": {"loyalty_tier": "gold", "renewal_on": "2027-01-31", "vip": "yes"}
            },
            quantitative={"custom": {"seats": "12", "ratio": "0.25"}},
            qualitative={"custom": {"tags": "solo", "seen_at": "2026-01-01T00:00:00+00:00"}},
        ),
    )
    assert record.descriptive.custom["renewal_on"] == date(2027, 1, 31)
    assert record.quantitative.custom["seats"] == 12
    assert record.quantitative.custom["ratio"] == Decimal("0.25")
    assert record.qualitative.custom["tags"] == ("solo",)
    assert SCHEMA.check(record) == []
    assert conv.from_dict(Contact, json.loads(json.dumps(conv.to_dict(record)))) == record


def test_custom_fields_outside_the_schema_or_category_or_type_are_reported() -> None:
    conv = Converter(schemas=(SCHEMA,))
    with pytest.raises(ConversionError) as caught:
        conv.from_dict(
            Contact,
            contact(
                descriptive={"custom": {"seats": 3, "unknown": 1}},
                quantitative={"custom": {"seats": "lots"}},
            ),
        )
    assert problems(caught) == {
        "descriptive.custom.seats": "declared in quantitative",
        "descriptive.custom.unknown": "not declared in the custom-field schema",
        "quantitative.custom.seats": "expected a whole number",
    }


def test_custom_fields_without_a_schema_keep_json_scalars() -> None:
    record = from_dict(Contact, contact(descriptive={"custom": {"tier": "gold", "seats": 3}}))
    assert dict(record.descriptive.custom) == {"tier": "gold", "seats": 3}
    assert from_dict(Contact, to_dict(record)) == record


def test_the_underlying_cattrs_converter_can_be_extended() -> None:
    conv = Converter()

    def lower_everything(value: Any, _: Any) -> EmailAddress:
        if not isinstance(value, str):
            raise InvalidValueError("this team writes emails as text")
        return EmailAddress(value.lower())

    conv.register_structure_hook(EmailAddress, lower_everything)
    conv.register_unstructure_hook(EmailAddress, lambda email: email.normalised)
    data = contact({"emails": ["ADA@EXAMPLE.ORG"], "phones": ["+33 1 42 68 53 00"]})
    record = conv.from_dict(Contact, data)
    assert record.identity.emails[0].address == "ada@example.org"
    assert record.identity.phones[0].e164 == "+33142685300"
    assert conv.to_dict(record)["identity"]["emails"] == ["ada@example.org"]
    with pytest.raises(ConversionError) as caught:
        conv.from_dict(Contact, contact({"emails": [{"address": "a@example.org"}]}))
    assert problems(caught) == {"identity.emails[0]": "this team writes emails as text"}


def test_constructor_checks_of_every_attribute_are_reported_together() -> None:
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, {"id": "c", "quantitative": {"email_opens": "-1", "nps": "11"}})
    assert problems(caught) == {
        "quantitative.email_opens": "a count cannot be negative",
        "quantitative.nps": "expected a number from 0 to 10",
    }


def test_constructor_checks_are_reported_beside_unreadable_attributes() -> None:
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, {"id": "", "identity": {"emails": "bad"}})
    assert problems(caught) == {
        "id": "required text is missing",
        "identity.emails[0].address": "missing @",
    }


def test_classes_registered_by_users_survive_a_later_hook() -> None:
    import attrs
    from cattrs.gen import override

    @attrs.frozen
    class Plan:
        name: str

    conv = Converter()
    conv.register_class(Plan, name=override(rename="Name"))
    conv.register_unstructure_hook(bool, str)
    assert conv.structure_value({"Name": "pro"}, Plan) == Plan("pro")


def test_blank_custom_values_without_a_schema_are_missing() -> None:
    record = from_dict(Contact, contact(descriptive={"custom": {"a": None, "b": "", "c": "x"}}))
    assert dict(record.descriptive.custom) == {"c": "x"}


def test_whitespace_around_an_email_is_not_part_of_it() -> None:
    record = from_dict(Contact, contact({"emails": ["ada@example.org "]}))
    assert record.identity.emails[0].normalised == "ada@example.org"
    assert record.identity.emails[0].address == "ada@example.org "


def test_a_bare_decimal_amount_takes_the_default_currency() -> None:
    conv = Converter(default_currency="EUR")
    record = conv.from_dict(Contact, contact(quantitative={"total_spent": Decimal("12.50")}))
    assert record.quantitative.total_spent == Money(Decimal("12.50"), "EUR")


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"dayfirst": "no"}, "dayfirst"),
        ({"dayfirst": 1}, "dayfirst"),
        ({"verify": "yes"}, "verify"),
        ({"as_of": "2026-01-01T00:00"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": date(2026, 1, 1)}, "as_of"),
        ({"as_of": 1767225600}, "as_of"),
        ({"assume_tz": "Europe/Nowhere"}, "assume_tz"),
        ({"assume_tz": "../../etc/passwd"}, "assume_tz"),
        ({"assume_tz": "Europe"}, "assume_tz"),
        ({"assume_tz": "+25:00"}, "assume_tz"),
        ({"assume_tz": 2}, "assume_tz"),
        ({"default_region": ["FR"]}, "default_region"),
        ({"default_region": "fr"}, "default_region"),
        ({"default_currency": {"EUR"}}, "default_currency"),
        ({"extra_keys": ["forbid"]}, "extra_keys"),
        ({"schemas": "schema"}, "schemas"),
        ({"schemas": [SCHEMA, 3]}, "schemas"),
        ({"schemas": {Contact: SCHEMA}}, "schemas"),
        ({"schemas": 3}, "schemas"),
    ],
)
def test_every_converter_option_is_checked_when_it_is_built(
    options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Converter(**options)
    assert caught.value.field == field


def test_as_of_may_be_iso_text_with_an_offset() -> None:
    converter = Converter(as_of="2026-01-01T00:00Z")
    assert converter.as_of == datetime(2026, 1, 1, tzinfo=UTC)
    assert Converter(as_of="2026-01-01T09:00+02:00").as_of.utcoffset() == timedelta(hours=2)


def test_assume_tz_may_be_a_zone_name_or_an_offset() -> None:
    paris = Converter(assume_tz="Europe/Paris")
    created = paris.from_dict(Contact, {"id": "c", "created_at": "2024-07-01 12:00"}).created_at
    assert created is not None
    assert created.utcoffset() == timedelta(hours=2)
    assert Converter(assume_tz="UTC").assume_tz == UTC
    assert Converter(assume_tz="-05:30").assume_tz == timezone(-timedelta(hours=5, minutes=30))


def test_a_single_schema_or_any_iterable_of_schemas_is_accepted() -> None:
    for schemas in (SCHEMA, [SCHEMA], (schema for schema in [SCHEMA])):
        converter = Converter(schemas=schemas)
        assert converter.schemas[Contact] is SCHEMA


def test_options_cannot_be_changed_after_the_converter_is_built() -> None:
    converter = Converter(dayfirst=True)
    with pytest.raises(AttributeError):
        converter.dayfirst = "no"  # type: ignore[misc]
    assert converter.dayfirst is True


def test_from_dict_takes_a_record_type_or_its_name() -> None:
    assert from_dict("Contact", {"id": "c"}) == Contact("c")
    for wrong in ("Contacts", 3, dict, Contact("c")):
        with pytest.raises(InvalidValueError) as caught:
            from_dict(wrong, {"id": "c"})  # type: ignore[arg-type]
        assert caught.value.field == "record_type"


@pytest.mark.parametrize(
    ("text", "expected"), [("fr_FR", "fr-FR"), ("EN", "en"), (" zh-hant-tw ", "zh-Hant-TW")]
)
def test_language_tags_are_read_in_their_canonical_form(text: str, expected: str) -> None:
    record = from_dict(Contact, {"id": "c", "descriptive": {"language": text}})
    assert record.descriptive.language == expected
    assert from_dict(Contact, to_dict(record)) == record


@pytest.mark.parametrize("text", ["klingon!!", "x" * 1000, 12])
def test_a_value_that_is_no_language_tag_is_refused_at_its_path(text: object) -> None:
    with pytest.raises(ConversionError) as caught:
        from_dict(Contact, {"id": "c", "descriptive": {"language": text}})
    assert list(problems(caught)) == ["descriptive.language"]
