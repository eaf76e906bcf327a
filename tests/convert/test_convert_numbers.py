"""Numbers and money as people write them, read in the record's number style, never guessed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmcore import Contact, ConversionError, Converter, Deal, InvalidValueError, Money
from crmcore.convert import _lenient as read
from crmcore.convert._locale import country_separator
from crmcore.convert._numbers import written_number

# -- the text decides when it can ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1 234,5", "1234.5"),
        ("1\u202f234,5", "1234.5"),
        ("1'234.5", "1234.5"),
        ("1,234,567", "1234567"),
        ("1.234.567", "1234567"),
        ("12,5", "12.5"),
        ("0,125", "0.125"),
        ("1234,567", "1234.567"),
        ("1.234", "1.234"),  # the point crmcore writes itself
        ("(12.00)", "-12.00"),
        ("-1,234.50", "-1234.50"),
        ("\u22125", "-5"),
    ],
)
def test_text_that_says_its_separators_is_read_as_written(text: str, expected: str) -> None:
    assert written_number(text, "amount") == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["1,23,4", "1.2.3,4,5", "12,34.5.6", "(-1)", "1 2345", "1 23", "abc", "1,,234"]
)
def test_malformed_numbers_are_refused_with_the_familys_code(text: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        written_number(text, "amount")
    assert raised.value.code == "amount.invalid"


def test_a_comma_before_three_digits_is_never_guessed() -> None:
    with pytest.raises(InvalidValueError) as raised:
        written_number("1,234", "amount")
    assert raised.value.code == "amount.ambiguous_separator"
    with pytest.raises(InvalidValueError) as raised:
        written_number("1,234", "number")
    assert raised.value.code == "number.ambiguous_separator"
    assert written_number("1,234", "amount", country=lambda: ",") == Decimal("1.234")
    assert written_number("1,234", "amount", country=lambda: ".") == Decimal("1234")


def test_the_option_overrules_the_country_and_the_point_crmcore_writes() -> None:
    assert written_number("1.234", "amount", option=",") == Decimal("1234")
    assert written_number("1,234", "amount", option=".", country=lambda: ",") == Decimal("1234")
    for text in ("1,234.50", "12.50"):
        with pytest.raises(InvalidValueError):
            written_number(text, "amount", option=",")


# -- counts have no decimals ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1,204", 1204), ("1.204", 1204), ("1 204", 1204), ("5.0", 5), ("5,00", 5), (" 12 ", 12)],
)
def test_a_count_reads_thousands_and_zero_decimals(value: str, expected: int) -> None:
    assert read.read_int(value) == expected


@pytest.mark.parametrize("value", ["5.5", "1,5", 5.5, "1.2345"])
def test_a_count_with_a_fraction_is_refused(value: Any) -> None:
    with pytest.raises(InvalidValueError) as raised:
        read.read_int(value)
    assert raised.value.code == "integer.fractional"


def test_a_count_follows_the_decimal_separator_option() -> None:
    assert read.read_int("1.204", ",") == 1204
    with pytest.raises(InvalidValueError) as raised:
        read.read_int("1,204", ",")
    assert raised.value.code == "integer.fractional"


def test_a_count_too_large_is_refused() -> None:
    with pytest.raises(InvalidValueError) as raised:
        read.read_int("9,223,372,036,854,775,808")
    assert raised.value.code == "integer.too_large"


# -- round trips through formatted forms ------------------------------------------------------

STYLES = {
    # (grouping, decimal, a country writing it)
    "en": (",", ".", "US"),
    "de": (".", ",", "DE"),
    "fr": ("\u202f", ",", "FR"),
    "ch": ("'", ".", "LI"),
    "plain-space": (" ", ",", "SE"),
}


def _format(number: Decimal, grouping: str, decimal: str) -> str:
    sign, digits = ("-" if number < 0 else ""), f"{abs(number):.2f}"
    whole, fraction = digits.split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{grouping.join(groups)}{decimal}{fraction}"


CONVERTER = Converter()
AMOUNTS = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
)


@given(AMOUNTS, st.sampled_from(sorted(STYLES)))
def test_amounts_round_trip_through_their_written_form_in_each_style(
    number: Decimal, style: str
) -> None:
    grouping, decimal, country = STYLES[style]
    text = _format(number, grouping, decimal)
    assert read.read_decimal(text, decimal) == number  # type: ignore[arg-type]
    assert country_separator(country) == decimal
    with_country = CONVERTER.from_dict(
        Contact,
        {
            "id": "c1",
            "identity": {"addresses": [{"country": country}]},
            "quantitative": {"total_spent": f"{text} EUR"},
        },
    )
    assert with_country.quantitative.total_spent == Money(number, "EUR")


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(sorted(STYLES)))
def test_counts_round_trip_through_their_grouped_form_in_each_style(
    number: int, style: str
) -> None:
    grouping, _, _ = STYLES[style]
    text = _format(Decimal(number), grouping, ".")[:-3]
    assert read.read_int(text) == number


@given(AMOUNTS)
def test_crmcores_own_output_reads_back_in_every_country(number: Decimal) -> None:
    deal = Deal("d1")
    data = {"id": "d1", "quantitative": {"amount": {"amount": str(number), "currency": "EUR"}}}
    for country in ("FR", "US", "CH"):
        contact = CONVERTER.from_dict(
            Contact,
            {
                "id": "c1",
                "identity": {"addresses": [{"country": country}]},
                "quantitative": {"total_spent": data["quantitative"]["amount"]},
            },
        )
        assert contact.quantitative.total_spent == Money(number, "EUR")
    assert deal.id == "d1"


# -- money -----------------------------------------------------------------------------------


def spent(value: Any, converter: Converter | None = None, country: str | None = None) -> Any:
    identity = {"addresses": [{"country": country}]} if country else {}
    data = {"id": "c1", "identity": identity, "quantitative": {"total_spent": value}}
    try:
        return (converter or Converter()).from_dict(Contact, data).quantitative.total_spent
    except ConversionError as error:
        return [(problem.code, problem.loc) for problem in error.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,234.50", Money(Decimal("1234.50"), "USD")),
        ("1.234,50 €", Money(Decimal("1234.50"), "EUR")),
        ("USD 1,234.50", Money(Decimal("1234.50"), "USD")),
        ("(12.00) EUR", Money(Decimal("-12.00"), "EUR")),
        ("($12.00)", Money(Decimal("-12.00"), "USD")),
        ("-£5", Money(Decimal("-5"), "GBP")),
        ("€ 1 234,56", Money(Decimal("1234.56"), "EUR")),
        ("R$ 10,50", Money(Decimal("10.50"), "BRL")),
        ("CHF 1'234.50", Money(Decimal("1234.50"), "CHF")),
        ("12.50 eur", Money(Decimal("12.50"), "EUR")),
    ],
)
def test_money_as_people_write_it(text: str, expected: Money) -> None:
    assert spent(text) == expected


def test_a_shared_symbol_is_read_in_the_records_country_or_the_default_currency() -> None:
    assert spent("$5", country="CA") == Money(Decimal("5"), "CAD")
    assert spent("$5", Converter(default_currency="AUD")) == Money(Decimal("5"), "AUD")
    assert spent("¥500", country="JP") == Money(Decimal("500"), "JPY")
    assert spent("500 kr", country="SE") == Money(Decimal("500"), "SEK")
    where = ("quantitative", "total_spent")
    assert spent("¥500") == [("currency.ambiguous_symbol", where)]
    assert spent("500 kr", Converter(default_currency="EUR")) == [
        ("currency.ambiguous_symbol", where)
    ]


def test_an_amount_that_could_be_read_two_ways_is_reported() -> None:
    where = ("quantitative", "total_spent")
    assert spent("1,234 EUR") == [("amount.ambiguous_separator", where)]
    assert spent({"amount": "1,234", "currency": "EUR"}) == [
        ("amount.ambiguous_separator", (*where, "amount"))
    ]
    assert spent("1,234 EUR", country="FR") == Money(Decimal("1.234"), "EUR")
    assert spent("1,234 EUR", country="US") == Money(Decimal("1234"), "EUR")
    assert spent("1,234 EUR", Converter(decimal_separator=","), "US") == Money(
        Decimal("1.234"), "EUR"
    )


@pytest.mark.parametrize("text", ["12 EUR USD", "$12 €", "twelve", "(12 EUR", "12 XX$"])
def test_money_text_that_is_not_money_is_refused(text: str) -> None:
    assert spent(text) == [("money.invalid", ("quantitative", "total_spent"))]


def test_fractions_and_percentages_follow_the_number_style() -> None:
    deal = Converter(decimal_separator=",").from_dict(
        Deal, {"id": "d1", "quantitative": {"probability": "12,5 %", "discount": "0,1"}}
    )
    assert deal.quantitative.probability == pytest.approx(0.125)
    assert deal.quantitative.discount == pytest.approx(0.1)
    # a leading zero never starts a group of thousands: the comma is a decimal one
    deal = Converter().from_dict(Deal, {"id": "d1", "quantitative": {"probability": "0,125"}})
    assert deal.quantitative.probability == pytest.approx(0.125)
    with pytest.raises(ConversionError) as raised:
        Converter().from_dict(Deal, {"id": "d1", "quantitative": {"discount": "1,250"}})
    assert raised.value.problems[0].code == "number.ambiguous_separator"


def test_the_decimal_separator_option_is_checked() -> None:
    for wrong in (";", "comma", 1, True):
        with pytest.raises(InvalidValueError) as raised:
            Converter(decimal_separator=wrong)  # type: ignore[arg-type]
        assert raised.value.field == "decimal_separator"
    assert Converter(decimal_separator=",").decimal_separator == ","
    assert Converter().decimal_separator is None


PLANTED = "4242,424"


def test_refusals_never_quote_the_number() -> None:
    data = {
        "id": "c1",
        "quantitative": {
            "total_spent": f"{PLANTED} ¥",
            "lifetime_value": f"{PLANTED}.5.5 EUR",
            "email_opens": f"{PLANTED}",
        },
    }
    with pytest.raises(ConversionError) as raised:
        Converter().from_dict(Contact, data)
    assert len(raised.value.problems) == 3
    assert PLANTED not in str(raised.value)
    assert PLANTED not in repr(raised.value.errors())
