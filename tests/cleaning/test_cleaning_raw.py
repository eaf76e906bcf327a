"""The raw stage: raw dicts repaired, converted, and what cannot be read quarantined."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from crmcore import Account, Activity, Contact, Deal, InvalidValueError, to_dict
from crmcore.cleaning import (
    QUARANTINE_CODES,
    CleaningContext,
    CleaningError,
    Pipeline,
    clean_raw,
    default_pipeline,
    quarantine_text,
)
from crmcore.cleaning._frozen import freeze

AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)
CTX = CleaningContext(as_of=AS_OF, default_region="GB", dayfirst=True, assume_tz=timezone.utc)


def rules_at(result: Any, path: str) -> list[str]:
    return [c.rule for c in result.changes if c.path == path]


def quarantined(result: Any) -> list[tuple[str, str]]:
    return [(q.path, q.code) for q in result.record.quarantine]


def test_strings_are_trimmed_normalised_and_blank_ones_made_missing() -> None:
    raw = {
        "id": " c-1 ",
        "identity": {"name": {"given": " Zoe\u0308 ", "family": "  "}, "organisation": ""},
        "descriptive": {"industry": "Retail\t\n"},
    }
    result = clean_raw(Contact, raw, CTX, pipeline=Pipeline())
    record = result.record
    assert record.id == "c-1"
    assert record.identity.name.given == "Zoë"
    assert record.identity.name.family is None
    assert record.identity.organisation is None
    assert record.descriptive.industry == "Retail"
    assert rules_at(result, "identity.name.given") == ["nfc", "whitespace"]
    assert rules_at(result, "identity.name.family") == ["blank"]
    assert rules_at(result, "identity.organisation") == ["blank"]


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Allemagne", "DE"),
        ("germany", "DE"),
        ("DEU", "DE"),
        ("deu", "DE"),
        (" de ", "DE"),
        ("Royaume-Uni", "GB"),
        ("Côte d’Ivoire", "CI"),
    ],
)
def test_countries_become_alpha2(given: str, code: str) -> None:
    result = clean_raw(Contact, {"id": "c", "identity": {"addresses": [{"country": given}]}}, CTX)
    assert result.record.identity.addresses[0].country == code
    assert result.record.quarantine == ()


def test_country_change_is_reported_and_unknown_country_quarantined() -> None:
    raw = {
        "id": "a",
        "identity": {"addresses": [{"country": "Allemagne"}, {"country": "Atlantis"}]},
    }
    result = clean_raw(Account, raw, CTX)
    assert rules_at(result, "identity.addresses[0].country") == ["country.alpha2"]
    assert [a.country for a in result.record.identity.addresses] == ["DE", None]
    assert quarantined(result) == [("identity.addresses[1].country", "country.unreadable")]
    assert result.record.quarantine[0].value == "Atlantis"


def test_dates_in_common_forms_become_iso() -> None:
    raw = {
        "id": "c",
        "created_at": "03/04/2020 10:30",
        "identity": {"birth_date": "5 March 1990"},
        "quantitative": {"last_purchase_on": "2024-02-29"},
    }
    result = clean_raw(Contact, raw, CTX)
    record = result.record
    assert record.created_at == datetime(2020, 4, 3, 10, 30, tzinfo=timezone.utc)
    assert record.identity.birth_date == date(1990, 3, 5)
    assert record.quantitative.last_purchase_on == date(2024, 2, 29)
    assert rules_at(result, "created_at") == ["date.iso"]
    assert rules_at(result, "identity.birth_date") == ["date.iso"]
    assert rules_at(result, "quantitative.last_purchase_on") == []


def test_two_digit_birth_years_never_land_after_as_of() -> None:
    result = clean_raw(Contact, {"id": "c", "identity": {"birth_date": "01/02/30"}}, CTX)
    assert result.record.identity.birth_date == date(1930, 2, 1)


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2020",
        "2020-13-45",
        "not a date",
        "99999-01-01",
        12,
        ["2020"],
        "0000-00-00",
    ],
)
def test_absurd_dates_are_quarantined(value: Any) -> None:
    result = clean_raw(Deal, {"id": "d", "descriptive": {"expected_close_on": value}}, CTX)
    assert result.record.descriptive.expected_close_on is None
    assert quarantined(result) == [("descriptive.expected_close_on", "date.unreadable")]


def test_a_date_too_long_to_be_one_is_set_aside_as_too_long() -> None:
    raw = {"id": "d", "descriptive": {"expected_close_on": "1/1/1" * 40}}
    result = clean_raw(Deal, raw, CTX)
    assert quarantined(result) == [("descriptive.expected_close_on", "value.too_long")]


def test_instant_without_timezone_is_quarantined_without_assume_tz() -> None:
    ctx = CleaningContext(as_of=AS_OF)
    result = clean_raw(
        Activity, {"id": "a", "descriptive": {"occurred_at": "2024-01-01 10:00"}}, ctx
    )
    assert result.record.descriptive.occurred_at is None
    assert quarantined(result) == [("descriptive.occurred_at", "date.unreadable")]
    assert result.record.quarantine[0].reason == "no timezone: give an offset or set assume_tz"
    assert result.record.quarantine[0].at == AS_OF


def test_phones_are_read_in_the_region_of_the_record_then_the_default() -> None:
    raw = {
        "id": "c",
        "identity": {
            "phones": ["01 42 68 53 00", {"number": "020 7946 0958", "region": "GB"}],
            "addresses": [{"country": "Italy"}, {"country": "France", "primary": True}],
        },
    }
    result = clean_raw(Contact, raw, CTX)
    phones = result.record.identity.phones
    assert [(p.number, p.e164, p.region) for p in phones] == [
        ("+33142685300", "+33142685300", "FR"),
        ("+442079460958", "+442079460958", "GB"),
    ]
    assert rules_at(result, "identity.phones[0]") == ["phone.e164"]
    assert rules_at(result, "identity.phones[1].number") == ["phone.e164"]
    default = clean_raw(Contact, {"id": "c", "identity": {"phones": "020 7946 0958"}}, CTX)
    assert default.record.identity.phones[0].e164 == "+442079460958"


def test_a_read_only_mapping_is_cleaned_as_the_same_dict_is() -> None:
    from types import MappingProxyType

    address = {"country": "France", "primary": True}
    raw = {"id": "c", "identity": {"phones": ["01 42 68 53 00"], "addresses": [address]}}
    proxied = MappingProxyType(
        {
            "id": "c",
            "identity": MappingProxyType(
                {"phones": ["01 42 68 53 00"], "addresses": [MappingProxyType(address)]}
            ),
        }
    )
    assert clean_raw(Contact, proxied, CTX) == clean_raw(Contact, raw, CTX)
    assert clean_raw(Contact, proxied, CTX).record.identity.phones[0].region == "FR"


def test_phone_extension_is_kept() -> None:
    raw = {"id": "c", "identity": {"phones": ["020 7946 0958 ext. 42"]}}
    phone = clean_raw(Contact, raw, CTX).record.identity.phones[0]
    assert (phone.number, phone.extension) == ("+442079460958", "42")


def test_emails_are_normalised_and_bad_ones_quarantined_whole() -> None:
    raw = {
        "id": "c",
        "identity": {
            "emails": [
                " Ada@Example.ORG ",
                "nope",
                {"address": "ada@example.org", "label": "work"},
                {"label": "home"},
                {"address": "x@", "label": "old"},
            ]
        },
    }
    result = clean_raw(Contact, raw, CTX)
    emails = result.record.identity.emails
    assert [(e.address, e.label) for e in emails] == [
        ("Ada@example.org", None),
        ("ada@example.org", "work"),
    ]
    assert quarantined(result) == [
        ("identity.emails[1]", "email.unreadable"),
        ("identity.emails[4]", "email.unreadable"),
    ]
    values = [q.value for q in result.record.quarantine]
    assert values == ["nope", '{"address": "x@", "label": "old"}']
    # A label with no address is a blank item: dropped, and the change log keeps it.
    assert ("identity.emails[3]", "blank", freeze({"label": "home"})) in {
        (c.path, c.rule, c.before) for c in result.changes
    }


def test_unreadable_phone_and_unknown_field_are_quarantined() -> None:
    raw = {"id": "c", "identity": {"phones": ["12", "abc"]}, "favourite_colour": "blue"}
    result = clean_raw(Contact, raw, CTX)
    assert result.record.identity.phones == ()
    assert quarantined(result) == [
        ("favourite_colour", "field.unknown"),
        ("identity.phones[0]", "phone.unreadable"),
        ("identity.phones[1]", "phone.unreadable"),
    ]


def test_values_failing_conversion_are_quarantined_and_the_rest_kept() -> None:
    raw = {
        "id": "c",
        "descriptive": {"lifecycle_stage": "ZZZ", "industry": "Retail"},
        "quantitative": {"total_spent": {"amount": "lots", "currency": "EUR"}, "nps": "7"},
        "qualitative": {"motivations": 5},
    }
    result = clean_raw(Contact, raw, CTX)
    record = result.record
    assert record.descriptive.industry == "Retail"
    assert record.quantitative.nps == 7
    assert quarantined(result) == [
        ("descriptive.lifecycle_stage", "value.unreadable"),
        ("qualitative.motivations", "value.unreadable"),
        ("quantitative.total_spent", "value.unreadable"),
    ]
    spent = next(q for q in record.quarantine if q.path == "quantitative.total_spent")
    assert json.loads(spent.value) == {"amount": "lots", "currency": "EUR"}
    assert [c.path for c in result.changes if c.rule == "quarantine"] == [
        q.path for q in record.quarantine
    ]


def test_quarantine_paths_name_the_raw_positions_after_earlier_removals() -> None:
    raw = {
        "id": "a",
        "identity": {
            "phones": [
                "",
                "abc",
                {"number": "020 7946 0958", "collected_at": "2020-01-01T00:00:00Z", "label": {}},
            ]
        },
    }
    result = clean_raw(Account, raw, CTX)
    assert quarantined(result) == [
        ("identity.phones[1]", "phone.unreadable"),
        ("identity.phones[2].label", "value.unreadable"),
    ]
    assert result.record.identity.phones[0].e164 == "+442079460958"


def test_the_raw_input_is_never_changed() -> None:
    raw = {
        "id": " c ",
        "identity": {"emails": [" A@B.COM", "bad"], "addresses": [{"country": "France"}]},
        "quarantine": [
            {"path": "x", "value": "y", "code": "value.unreadable", "reason": "r", "at": 5}
        ],
    }
    before = copy.deepcopy(raw)
    result = clean_raw(Contact, raw, CTX)
    assert raw == before
    assert result.record.quarantine[0].path == "identity.emails[1]"


def test_existing_quarantine_is_kept_and_new_values_appended() -> None:
    old = {"path": "identity.phones[0]", "value": "abc", "code": "phone.unreadable", "reason": "r"}
    raw = {"id": "c", "quarantine": [old], "identity": {"emails": ["bad"]}}
    result = clean_raw(Contact, raw, CTX)
    assert [q.path for q in result.record.quarantine] == [
        "identity.phones[0]",
        "identity.emails[0]",
    ]
    assert [q.path for q in result.quarantine] == ["identity.emails[0]"]


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"id": "  "},
        {"id": None},
        {"id": {"x": 1}},
        pytest.param({"id": 10**5000}, id="huge-int-id"),
        {"identity": {}},
    ],
)
def test_missing_or_unreadable_id_raises_a_cleaning_error(raw: dict[str, Any]) -> None:
    with pytest.raises(CleaningError) as raised:
        clean_raw(Contact, raw, CTX)
    assert [p.path for p in raised.value.problems] == ["id"]


@pytest.mark.parametrize("data", [None, "id=c", ["id", "c"], 3])
def test_data_that_is_not_a_mapping_raises_a_cleaning_error(data: Any) -> None:
    with pytest.raises(CleaningError, match="expected a mapping"):
        clean_raw(Contact, data, CTX)


def test_record_type_must_be_a_record_type() -> None:
    with pytest.raises(InvalidValueError, match="record_type"):
        clean_raw(dict, {"id": "c"}, CTX)  # type: ignore[type-var]
    with pytest.raises(InvalidValueError, match="record_type"):
        clean_raw("Contact", {"id": "c"}, CTX)  # type: ignore[type-var]


def test_clean_raw_refuses_a_context_of_another_kind() -> None:
    with pytest.raises(InvalidValueError, match="ctx"):
        clean_raw(Contact, {"id": "c"}, {"default_region": "FR"})  # type: ignore[arg-type]


def test_record_stage_runs_after_conversion() -> None:
    raw = {
        "id": "c",
        "identity": {"name": {"family": "MCDONALD"}, "emails": ["a@x.org", "A@X.ORG"]},
    }
    result = clean_raw(Contact, raw, CTX)
    assert result.record.identity.name.family == "McDonald"
    assert [e.address for e in result.record.identity.emails] == ["a@x.org", "A@x.org"]
    assert "name_case" in {c.rule for c in result.changes}


def test_crmcore_output_reads_back_with_no_change() -> None:
    raw = {
        "id": "c",
        "created_at": "2024-01-02T03:04:05+01:00",
        "identity": {
            "name": {"given": "JEAN"},
            "emails": [" X@Example.org "],
            "phones": ["020 7946 0958"],
            "addresses": [{"country": "France", "lines": ["1  rue"]}],
            "birth_date": "01/02/1990",
        },
        "quantitative": {"total_spent": "12.50 EUR"},
    }
    first = clean_raw(Contact, raw, CTX)
    again = clean_raw(Contact, to_dict(first.record), CTX)
    assert again.changes == ()
    assert again.record == first.record


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        ({"b": [1, 2.5, None, True]}, '{"b": [1, 2.5, null, true]}'),
        (Decimal("1.50"), '"1.50"'),
        (date(2020, 1, 2), '"2020-01-02"'),
        ("bad\ud800", '"bad\\ud800"'),
        ({"k": "é"}, '{"k": "é"}'),
        ({(1, 2): "tuple key"}, "{(1, 2): 'tuple key'}"),
        pytest.param(10**5000, "<unprintable int>", id="huge-int"),
        (timedelta(days=1), '"datetime.timedelta(days=1)"'),
    ],
)
def test_quarantined_values_are_kept_as_text(value: Any, text: str) -> None:
    assert quarantine_text(value) == text


def test_every_quarantine_code_is_documented() -> None:
    raw = {
        "id": "c",
        "x": 1,
        "created_at": "nope",
        "identity": {
            "emails": ["bad"],
            "phones": ["bad"],
            "addresses": [{"country": "Nowhere"}],
            "organisation": {"a": 1},
        },
        "descriptive": {"language": "klingon!!"},
        "quantitative": {"email_opens": "7" * 1000},
    }
    result = clean_raw(Contact, raw, CTX)
    assert {q.code for q in result.record.quarantine} == set(QUARANTINE_CODES)


# -- blank items -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identity", "path"),
    [
        ({"phones": ["", "  "]}, "identity.phones[1]"),
        ({"phones": ["", {"number": "", "label": "WORK"}]}, "identity.phones[1]"),
        ({"phones": ["", {"number": " \u200b", "primary": True}]}, "identity.phones[1]"),
        ({"emails": ["", {"address": "  ", "label": "home"}]}, "identity.emails[1]"),
        (
            {"addresses": [{}, {"lines": [" "], "locality": "", "country": ""}]},
            "identity.addresses[1]",
        ),
        ({"external_ids": [{}, {"system": "", "value": " "}]}, "identity.external_ids[1]"),
        ({"name": {"given": " ", "family": ""}, "phones": [""]}, "identity.name"),
    ],
)
def test_a_blank_item_is_dropped_and_logged_whatever_its_shape(
    identity: dict[str, Any], path: str
) -> None:
    raw = {"id": "c-1", "identity": identity}
    result = clean_raw(Contact, raw, CTX)
    assert result.quarantine == ()
    dropped = {c.path: c for c in result.changes if c.rule == "blank" and c.after is None}
    assert path in dropped
    field = path.split(".")[1].split("[")[0]
    given = identity[field][1] if "[" in path else identity[field]
    assert dropped[path].before == freeze(given)
    assert to_dict(result.record)["identity"].get("phones", []) == []


def test_blank_money_is_dropped_and_logged() -> None:
    raw = {"id": "c-1", "quantitative": {"total_spent": {"amount": "", "currency": " "}}}
    result = clean_raw(Contact, raw, CTX)
    assert result.record.quantitative.total_spent is None
    assert result.quarantine == ()
    assert ("quantitative.total_spent", "blank") in {(c.path, c.rule) for c in result.changes}


def test_an_item_with_a_part_set_aside_or_an_unknown_key_is_not_blank() -> None:
    raw = {
        "id": "c-1",
        "identity": {
            "phones": [{"number": "", "label": "WORK", "extra": "x"}],
            "addresses": [{"locality": " ", "country": "Narnia"}],
        },
    }
    result = clean_raw(Contact, raw, CTX)
    assert [(q.path, q.code) for q in result.quarantine] == [
        ("identity.addresses[0].country", "country.unreadable"),
        ("identity.phones[0]", "phone.unreadable"),
    ]


@pytest.mark.parametrize(
    ("given", "tag"), [("fr_FR", "fr-FR"), ("EN", "en"), ("zh-hant-tw", "zh-Hant-TW"), ("de", "de")]
)
def test_a_language_is_written_as_its_canonical_tag_and_the_change_is_logged(
    given: str, tag: str
) -> None:
    result = clean_raw(Contact, {"id": "c-1", "descriptive": {"language": given}})
    assert result.record.descriptive.language == tag
    rules = [(change.path, change.rule) for change in result.changes]
    assert rules == ([] if given == tag else [("descriptive.language", "language.canonical")])


@pytest.mark.parametrize("given", ["klingon!!", "xx-not-a-tag-at-all", 7, "x" * 100_000])
def test_a_language_that_is_no_tag_is_quarantined_not_lost(given: object) -> None:
    result = clean_raw(Contact, {"id": "c-1", "descriptive": {"language": given}})
    assert result.record.descriptive.language is None
    [held] = result.quarantine
    assert held.path == "descriptive.language"
    assert held.value == str(given)  # quarantine keeps text
    assert held.code in ("language.unreadable", "value.too_long")


def test_a_key_the_path_cannot_name_is_kept_with_its_value_in_the_quarantine() -> None:
    raw = {
        "id": "c-1",
        "ada@example.org": "top",
        "": "blank key",
        "identity": {"custom": {"+44 20 7946 0958": "gold", "tier": "silver"}},
    }
    result = clean_raw(Contact, raw)
    held = {q.path: q.value for q in result.record.quarantine}
    assert held == {
        "<key 1>": '{"ada@example.org": "top"}',
        "<key 2>": '{"": "blank key"}',
        "identity.custom.<key 0>": '{"+44 20 7946 0958": "gold"}',
    }
    assert result.record.identity.custom["tier"] == "silver"
    assert "ada@example.org" not in repr(result)
    assert "7946" not in repr(result)


def test_cleaning_sets_aside_as_too_long_exactly_what_conversion_refuses_as_too_long() -> None:
    raw = {
        "id": "c-1",
        "identity": {"emails": ["a" * 290 + "@example.org"], "phones": ["1" * 90]},
        "quantitative": {"email_opens": "7" * 100},
    }
    result = clean_raw(Contact, raw)
    assert {held.path: held.code for held in result.quarantine} == {
        "identity.emails[0]": "value.too_long",
        "identity.phones[0]": "value.too_long",
        "quantitative.email_opens": "value.too_long",
    }


def test_the_raw_stage_puts_names_in_name_case_with_the_default_record_stage() -> None:
    raw = {"id": "c-1", "identity": {"name": {"given": "JEAN", "family": "DE LA TOUR"}}}
    result = clean_raw(Contact, raw)
    name = result.record.identity.name
    assert (name.given, name.family) == ("Jean", "de la Tour")
    assert [(c.path, c.rule) for c in result.changes] == [
        ("identity.name.family", "name_case"),
        ("identity.name.given", "name_case"),
    ]
    assert result == clean_raw(Contact, raw, pipeline=default_pipeline())


def test_a_record_stage_without_name_case_leaves_names_as_given() -> None:
    raw = {"id": "c-1", "identity": {"name": {"given": "JEAN", "family": "DUPONT"}}}
    result = clean_raw(Contact, raw, pipeline=default_pipeline().remove("name_case"))
    assert (result.record.identity.name.given, result.record.identity.name.family) == (
        "JEAN",
        "DUPONT",
    )
    assert all(change.rule != "name_case" for change in result.changes)
