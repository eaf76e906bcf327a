"""Missing values in every dialect, and numpy and pandas scalars read as Python values."""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, ConversionError, Converter, Deal, InvalidValueError, from_dict
from crmcore.convert import _lenient as read
from crmcore.convert._missing import blank_composite, composite_parts, is_missing, plain
from crmcore.records.values import Money, PhoneNumber, PostalAddress

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

MISSING: list[Any] = [
    None,
    "",
    "   ",
    "\t\n",
    float("nan"),
    np.nan,
    np.float64("nan"),
    np.float32("nan"),
    pd.NA,
    pd.NaT,
    np.datetime64("NaT"),
]
MISSING_IDS = [
    "None",
    "empty",
    "spaces",
    "tab",
    "nan",
    "np.nan",
    "float64",
    "float32",
    "pd.NA",
    "pd.NaT",
    "np.NaT",
]
PRESENT: list[Any] = [0, 0.0, False, "0", "x", np.int64(0), np.float64(0.0), np.bool_(False)]


def _dialects() -> st.SearchStrategy[Any]:
    blanks = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=6)
    return st.one_of(st.sampled_from(MISSING), blanks)


@given(_dialects())
def test_every_dialect_of_missing_is_missing(value: Any) -> None:
    assert is_missing(value)
    assert read.is_blank(value)


@pytest.mark.parametrize("value", PRESENT)
def test_zero_and_false_are_values(value: Any) -> None:
    assert not is_missing(value)


OPTIONAL_FIELDS = [
    ("descriptive", "job_title"),
    ("descriptive", "lifecycle_stage"),
    ("descriptive", "language"),
    ("quantitative", "email_opens"),
    ("quantitative", "total_spent"),
    ("quantitative", "last_purchase_on"),
    ("identity", "birth_date"),
]


@given(_dialects(), st.sampled_from(OPTIONAL_FIELDS))
def test_every_dialect_reads_as_missing_in_every_optional_field(
    value: Any, where: tuple[str, str]
) -> None:
    facet, name = where
    contact = from_dict(Contact, {"id": "c1", facet: {name: value}})
    assert getattr(getattr(contact, facet), name) is None


@given(_dialects())
def test_every_dialect_reads_as_an_empty_list(value: Any) -> None:
    contact = from_dict(Contact, {"id": "c1", "identity": {"emails": value, "phones": value}})
    assert contact.identity.emails == ()
    assert contact.identity.phones == ()


@pytest.mark.parametrize("value", MISSING, ids=MISSING_IDS)
def test_a_missing_id_is_reported_missing_never_read_as_text(value: Any) -> None:
    with pytest.raises(ConversionError) as raised:
        from_dict(Contact, {"id": value})
    assert [(p.code, p.loc) for p in raised.value.problems] == [("value.missing", ("id",))]


def test_a_nan_name_is_no_name_nan() -> None:
    contact = from_dict(Contact, {"id": "c1", "identity": {"name": {"given": float("nan")}}})
    assert contact.identity.name is None or contact.identity.name.given is None


def test_a_nan_in_a_required_number_is_missing() -> None:
    with pytest.raises(InvalidValueError) as raised:
        read.read_int(float("nan"))
    assert raised.value.code == "value.missing"
    with pytest.raises(InvalidValueError) as raised:
        read.read_bool(pd.NA)
    assert raised.value.code == "value.missing"


# -- composites --------------------------------------------------------------------------------


def test_parts_leave_out_a_contact_points_label_and_provenance() -> None:
    assert composite_parts(Money) == ("amount", "currency")
    assert set(composite_parts(PhoneNumber) or ()) == {"number", "e164", "extension", "region"}
    assert (composite_parts(PhoneNumber) or ())[0] == "number"
    assert "label" not in (composite_parts(PostalAddress) or ())
    assert composite_parts(Contact) is None


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        ({"amount": "", "currency": ""}, True),
        ({"amount": float("nan"), "currency": None}, True),
        ({"amount": None, "currency": None}, False),  # what to_dict writes: not blank
        ({"amount": "", "currency": "EUR"}, False),
        ({"label": "WORK"}, False),
        ("", False),
    ],
)
def test_a_composite_is_blank_when_every_part_given_is_blank(value: Any, blank: bool) -> None:
    assert blank_composite(value, frozenset({"amount", "currency"})) is blank


@given(_dialects(), _dialects())
def test_money_whose_parts_are_all_blank_is_missing(amount: Any, currency: Any) -> None:
    data = {"amount": amount, "currency": currency}
    if amount is None and currency is None:
        return
    deal = from_dict(Deal, {"id": "d1", "quantitative": {"amount": data}})
    assert deal.quantitative.amount is None


def test_a_phone_whose_parts_are_all_blank_is_dropped_from_its_list() -> None:
    contact = Converter(default_region="FR").from_dict(
        Contact,
        {
            "id": "c1",
            "identity": {
                "phones": [
                    {"number": "", "label": "WORK"},
                    "01 42 68 53 00",
                    {"number": float("nan"), "extension": pd.NA, "label": "HOME"},
                ]
            },
        },
    )
    assert [phone.e164 for phone in contact.identity.phones] == ["+33142685300"]


def test_a_label_with_no_part_at_all_is_still_an_error() -> None:
    with pytest.raises(ConversionError) as raised:
        from_dict(Contact, {"id": "c1", "identity": {"phones": [{"label": "WORK"}]}})
    assert raised.value.problems[0].code == "value.missing"


# -- numpy and pandas scalars ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.int64(5), 5),
        (np.int32(-3), -3),
        (np.float64(2.5), 2.5),
        (np.bool_(True), True),
        (np.str_("x"), "x"),
        (np.datetime64("1990-03-05"), date(1990, 3, 5)),
        (np.datetime64("1990-03-05T10:30:00"), datetime(1990, 3, 5, 10, 30)),
        (np.datetime64("1990-03-05T10:30:00.000001000"), datetime(1990, 3, 5, 10, 30, 0, 1)),
        (
            pd.Timestamp("2020-01-01T10:00", tz="UTC"),
            datetime(2020, 1, 1, 10, tzinfo=timezone.utc),
        ),
        ("text", "text"),
        (7, 7),
    ],
)
def test_scalars_read_as_the_python_values_they_hold(value: Any, expected: Any) -> None:
    found = plain(value)
    assert found == expected
    assert type(found) is type(expected)


@pytest.mark.parametrize(
    "value", [pd.Timestamp("2020-01-01T10:00:00.000000001"), np.datetime64(1, "ns")]
)
def test_nanoseconds_are_refused_not_dropped(value: Any) -> None:
    with pytest.raises(InvalidValueError) as raised:
        plain(value)
    assert raised.value.code == "datetime.too_precise"


def test_an_id_given_as_int64_is_text() -> None:
    assert from_dict(Contact, {"id": np.int64(1204)}).id == "1204"
    assert from_dict(Contact, {"id": np.float64(1204.0)}).id == "1204"


def test_a_data_frame_row_reads_as_a_record() -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2],
            "job_title": ["CTO", None],
            "email_opens": [3, None],
            "opt_in": [True, False],
            "created_at": pd.to_datetime(["2024-05-02T09:30Z", None], utc=True),
            "birth_date": pd.to_datetime(["1990-03-05", None]),
        }
    )
    records = []
    for row in frame.to_dict("records"):
        records.append(
            from_dict(
                Contact,
                {
                    "id": row["id"],
                    "created_at": row["created_at"],
                    "identity": {"birth_date": row["birth_date"]},
                    "descriptive": {
                        "job_title": row["job_title"],
                        "communication": {"email_opt_in": row["opt_in"]},
                    },
                    "quantitative": {"email_opens": row["email_opens"]},
                },
            )
        )
    first, second = records
    assert (first.id, second.id) == ("1", "2")
    assert first.quantitative.email_opens == 3
    assert type(first.quantitative.email_opens) is int
    assert second.quantitative.email_opens is None
    assert second.descriptive.job_title is None
    assert first.created_at == datetime(2024, 5, 2, 9, 30, tzinfo=timezone.utc)
    assert type(first.created_at) is datetime
    assert first.identity.birth_date == date(1990, 3, 5)
    assert second.created_at is None
    assert second.identity.birth_date is None
    assert second.descriptive.communication.email_opt_in is False


def test_decimal_nan_is_not_finite_rather_than_missing() -> None:
    with pytest.raises(InvalidValueError) as raised:
        read.read_decimal(Decimal("NaN"))
    assert raised.value.code == "amount.not_finite"
    assert math.isnan(float("nan"))  # the float, by contrast, is missing
    assert is_missing(float("nan"))


def test_custom_fields_read_numpy_scalars_and_drop_missing_ones() -> None:
    contact = from_dict(
        Contact,
        {"id": "c1", "descriptive": {"custom": {"seats": np.int64(12), "tier": pd.NA}}},
    )
    assert dict(contact.descriptive.custom) == {"seats": 12}
    assert type(contact.descriptive.custom["seats"]) is int
