"""Every reason conversion gives comes with a stable, documented code and an exact ``loc``.

The codes are API: each one used in the conversion layer and the record checks is listed in
the table of ``docs/conversion.md``, and each case below pins the code and the location a
program would branch on.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crmcore
from crmcore import (
    Contact,
    ConversionError,
    Converter,
    CustomFieldSpec,
    CustomSchema,
    from_dict,
)
from crmcore.errors import GENERIC_CODE, loc_of

SRC = Path(crmcore.__file__).parent
DOCS = SRC.parent.parent / "docs" / "conversion.md"
_CODE = r"([a-z]+)\.[a-z][a-z0-9_]*"
_ROW = re.compile(r"^\| `([a-z]+\.[a-z][a-z0-9_]*)` \|", re.MULTILINE)


def documented() -> set[str]:
    """The codes in the table of the conversion guide."""
    return set(_ROW.findall(DOCS.read_text(encoding="utf-8")))


def problems(
    data: Any, record_type: str = "Contact", converter: Converter | None = None
) -> list[tuple[str, tuple[str | int, ...]]]:
    with pytest.raises(ConversionError) as raised:
        (converter or Converter()).from_dict(record_type, data)
    return [(problem.code, problem.loc) for problem in raised.value.problems]


def c1(**parts: Any) -> dict[str, Any]:
    return {"id": "c1", **parts}


ID: dict[str, Any] = {"identity": {}}
CASES: list[tuple[str, dict[str, Any], list[tuple[str, tuple[str | int, ...]]]]] = [
    ("missing", ID, [("value.missing", ("id",))]),
    ("blank id", {"id": ""}, [("value.missing", ("id",))]),
    ("lone surrogate", {"id": "\ud800"}, [("text.invalid_unicode", ("id",))]),
    (
        "bad date",
        c1(identity={"birth_date": "1990-02-31"}),
        [("date.invalid", ("identity", "birth_date"))],
    ),
    (
        "partial date",
        c1(identity={"birth_date": "March 1990"}),
        [("date.incomplete", ("identity", "birth_date"))],
    ),
    (
        "two-digit year",
        c1(identity={"birth_date": "05/03/90"}),
        [("date.two_digit_year", ("identity", "birth_date"))],
    ),
    (
        "date with time",
        c1(identity={"birth_date": "2020-01-01T10:00"}),
        [("date.has_time", ("identity", "birth_date"))],
    ),
    (
        "long date",
        c1(identity={"birth_date": "9" * 100}),
        [("date.too_long", ("identity", "birth_date"))],
    ),
    (
        "date of a number",
        c1(identity={"birth_date": 12}),
        [("value.wrong_type", ("identity", "birth_date"))],
    ),
    (
        "naive instant",
        c1(created_at="2020-01-01T10:00:00"),
        [("datetime.no_timezone", ("created_at",))],
    ),
    (
        "zone name",
        c1(created_at="2020-01-01T10:00:00 CET"),
        [("datetime.zone_name", ("created_at",))],
    ),
    (
        "bad time",
        c1(created_at="2020-01-01T25:00:00Z"),
        [("datetime.invalid_time", ("created_at",))],
    ),
    ("long instant", c1(created_at="x" * 300), [("datetime.too_long", ("created_at",))]),
    ("instant of a list", c1(created_at=[1]), [("value.wrong_type", ("created_at",))]),
    (
        "email",
        c1(identity={"emails": ["ok@example.org", "nope"]}),
        [("email.invalid", ("identity", "emails", 1, "address"))],
    ),
    (
        "long email",
        c1(identity={"emails": ["a@" + "b" * 600]}),
        [("email.too_long", ("identity", "emails", 0, "address"))],
    ),
    (
        "normalised email",
        c1(identity={"emails": [{"address": "a@b.org", "normalised": "nope"}]}),
        [("email.not_normalised", ("identity", "emails", 0, "normalised"))],
    ),
    (
        "phone with words",
        c1(identity={"phones": ["ask reception"]}),
        [("phone.invalid", ("identity", "phones", 0, "number"))],
    ),
    (
        "national phone",
        c1(identity={"phones": ["06 12 34 56 78"]}),
        [("phone.no_region", ("identity", "phones", 0, "number"))],
    ),
    (
        "e164",
        c1(identity={"phones": [{"number": "+33612345678", "e164": "nope"}]}),
        [("phone.not_e164", ("identity", "phones", 0, "e164"))],
    ),
    (
        "region",
        c1(identity={"phones": [{"number": "0612345678", "region": "zz"}]}),
        [("region.unknown", ("identity", "phones", 0, "region"))],
    ),
    (
        "long region",
        c1(identity={"phones": [{"number": "0612345678", "region": "Z" * 20}]}),
        [("region.too_long", ("identity", "phones", 0, "region"))],
    ),
    (
        "country",
        c1(identity={"addresses": [{"country": "Atlantis"}]}),
        [("country.unknown", ("identity", "addresses", 0, "country"))],
    ),
    (
        "long country",
        c1(identity={"addresses": [{"country": "A" * 200}]}),
        [("country.too_long", ("identity", "addresses", 0, "country"))],
    ),
    (
        "address in one text",
        c1(identity={"addresses": "1 rue de la Paix"}),
        [("value.wrong_type", ("identity", "addresses", 0))],
    ),
    (
        "name in one text",
        c1(identity={"name": "Ada Lovelace"}),
        [("value.wrong_type", ("identity", "name"))],
    ),
    (
        "language",
        c1(descriptive={"language": "klingon!!"}),
        [("language.invalid", ("descriptive", "language"))],
    ),
    (
        "long language",
        c1(descriptive={"language": "x" * 300}),
        [("language.too_long", ("descriptive", "language"))],
    ),
    (
        "language of a number",
        c1(descriptive={"language": 12}),
        [("value.wrong_type", ("descriptive", "language"))],
    ),
    (
        "enum",
        c1(descriptive={"lifecycle_stage": "hot"}),
        [("enum.invalid", ("descriptive", "lifecycle_stage"))],
    ),
    (
        "long enum",
        c1(descriptive={"lifecycle_stage": "x" * 100}),
        [("enum.too_long", ("descriptive", "lifecycle_stage"))],
    ),
    (
        "boolean",
        c1(descriptive={"communication": {"email_opt_in": "maybe"}}),
        [("boolean.invalid", ("descriptive", "communication", "email_opt_in"))],
    ),
    (
        "counts",
        c1(quantitative={"email_opens": "-1", "nps": "11", "email_clicks": "many"}),
        [
            ("integer.invalid", ("quantitative", "email_clicks")),
            ("count.negative", ("quantitative", "email_opens")),
            ("number.out_of_range", ("quantitative", "nps")),
        ],
    ),
    (
        "huge count",
        c1(quantitative={"email_opens": 10**30}),
        [("integer.too_large", ("quantitative", "email_opens"))],
    ),
    (
        "boolean count",
        c1(quantitative={"email_opens": True}),
        [("value.wrong_type", ("quantitative", "email_opens"))],
    ),
    (
        "no currency",
        c1(quantitative={"total_spent": "12"}),
        [("currency.missing", ("quantitative", "total_spent"))],
    ),
    (
        "two currencies",
        c1(quantitative={"total_spent": "EUR 12 USD"}),
        [("money.invalid", ("quantitative", "total_spent"))],
    ),
    (
        "money text",
        c1(quantitative={"total_spent": "twelve"}),
        [("money.invalid", ("quantitative", "total_spent"))],
    ),
    (
        "large amount",
        c1(quantitative={"total_spent": {"amount": "1e40", "currency": "EUR"}}),
        [("amount.too_large", ("quantitative", "total_spent", "amount"))],
    ),
    (
        "precise amount",
        c1(quantitative={"total_spent": {"amount": "0.0000000000000000001", "currency": "EUR"}}),
        [("amount.too_precise", ("quantitative", "total_spent", "amount"))],
    ),
    (
        "NaN amount",
        c1(quantitative={"total_spent": {"amount": "NaN", "currency": "EUR"}}),
        [("amount.not_finite", ("quantitative", "total_spent", "amount"))],
    ),
    (
        "currency",
        c1(quantitative={"total_spent": {"amount": "12", "currency": "XYZ"}}),
        [("currency.unknown", ("quantitative", "total_spent", "currency"))],
    ),
    (
        "long currency",
        c1(quantitative={"total_spent": {"amount": "1", "currency": "EURO" * 10}}),
        [("currency.too_long", ("quantitative", "total_spent", "currency"))],
    ),
    (
        "list items",
        c1(qualitative={"motivations": ["a", "\ud800"]}),
        [("text.invalid_unicode", ("qualitative", "motivations", 1))],
    ),
    (
        "schemaless custom",
        c1(identity={"custom": {"Bad Name": 1, "ok": {"x": 1}}}),
        [
            ("custom.invalid_name", ("identity", "custom", "Bad Name")),
            ("custom.unsupported_value", ("identity", "custom", "ok")),
        ],
    ),
    (
        "unknown keys",
        {"id": "c1", "zz@example.org": 1, "identity": {"properties.email": 2}},
        [
            ("field.unknown", ("identity", "properties.email")),
            ("field.unknown", ("<key 1>",)),
        ],
    ),
]


@pytest.mark.parametrize(
    ("data", "expected"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_each_reason_has_its_code_and_loc(data: dict[str, Any], expected: list[Any]) -> None:
    assert sorted(problems(data)) == sorted(expected)


def test_a_deal_probability_out_of_range() -> None:
    found = problems({"id": "d1", "quantitative": {"probability": "2"}}, "Deal")
    assert found == [("number.out_of_range", ("quantitative", "probability"))]


def test_input_that_is_not_a_mapping() -> None:
    assert problems(["not", "a", "mapping"]) == [("value.wrong_type", ())]


def test_custom_fields_against_a_schema() -> None:
    schema = CustomSchema(
        Contact,
        [
            CustomFieldSpec("seats", "integer", "quantitative"),
            CustomFieldSpec("labels", "strings", "descriptive"),
        ],
    )
    data = c1(
        quantitative={"custom": {"seats": "many", "labels": ["a"], "ada@example.org": 2}},
        descriptive={"custom": {"labels": ["a", "\ud800"]}},
    )
    assert sorted(problems(data, converter=Converter(schemas=schema))) == [
        ("custom.undeclared", ("quantitative", "custom", "<key 2>")),
        ("custom.wrong_category", ("quantitative", "custom", "labels")),
        ("integer.invalid", ("quantitative", "custom", "seats")),
        ("text.invalid_unicode", ("descriptive", "custom", "labels", 1)),
    ]


def test_a_custom_list_item_path_has_no_stray_dot() -> None:
    schema = CustomSchema(Contact, [CustomFieldSpec("labels", "strings", "descriptive")])
    data = c1(descriptive={"custom": {"labels": ["a", "\ud800"]}})
    with pytest.raises(ConversionError) as raised:
        Converter(schemas=schema).from_dict(Contact, data)
    assert [p.path for p in raised.value.problems] == ["descriptive.custom.labels[1]"]


def test_messages_are_kept() -> None:
    with pytest.raises(ConversionError) as raised:
        from_dict(Contact, c1(identity={"emails": ["nope"], "birth_date": "31/31/2020"}))
    assert str(raised.value) == (
        "cannot convert to Contact: 2 problems\n"
        "  identity.emails[0].address: missing @\n"
        "  identity.birth_date: not a date"
    )


# -- every code is documented ------------------------------------------------------------------


def test_every_case_code_is_documented() -> None:
    used = {code for _, _, expected in CASES for code, _ in expected}
    assert used <= documented()
    assert GENERIC_CODE in documented()


def _families() -> set[str]:
    return {code.partition(".")[0] for code in documented()}


def _code_literals() -> set[str]:
    """Every text constant in the conversion layer and the records shaped as a known code."""
    families = _families()
    found: set[str] = set()
    paths = [SRC / "errors.py", *(SRC / "convert").glob("*.py"), *(SRC / "records").glob("*.py")]
    for path in sorted(paths):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = re.fullmatch(_CODE, node.value)
                if match and match[1] in families:
                    found.add(node.value)
    return found


def test_every_code_in_the_source_is_documented() -> None:
    literals = _code_literals()
    assert len(literals) > 40
    assert literals - documented() == set()


def test_every_documented_code_is_used() -> None:
    assert documented() - _code_literals() == set()


def test_documented_codes_are_dotted_and_unique() -> None:
    rows = _ROW.findall(DOCS.read_text(encoding="utf-8"))
    assert len(rows) == len(set(rows))
    assert all(re.fullmatch(_CODE, code) for code in rows)


# -- errors() and loc, over arbitrary input ------------------------------------------------------

_FIELDS = st.sampled_from(
    [
        "name",
        "emails",
        "phones",
        "birth_date",
        "custom",
        "addresses",
        "language",
        "email_opens",
        "total_spent",
        "lifecycle_stage",
        "motivations",
        "nps",
        "x.y",
        "a b",
        "ada@example.org",
    ]
)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_FIELDS, inner, max_size=3),
    max_leaves=8,
)
_RECORDS = st.fixed_dictionaries(
    {"id": st.just("c1")},
    optional={
        facet: st.dictionaries(_FIELDS, _VALUES, max_size=4)
        for facet in ("identity", "descriptive", "qualitative", "quantitative")
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RECORDS)
def test_every_problem_has_a_documented_code_and_a_loc_that_matches_its_path(
    data: dict[str, Any],
) -> None:
    codes = documented()
    try:
        from_dict(Contact, data)
    except ConversionError as caught:
        exc = caught
    else:
        return
    assert exc.problems
    for problem, error in zip(exc.problems, exc.errors(), strict=True):
        assert problem.code in codes
        assert error == {"type": problem.code, "loc": problem.loc, "msg": problem.reason}
        if not any(isinstance(s, str) and ("." in s or "[" in s) for s in problem.loc):
            assert loc_of(problem.path) == problem.loc
    json.dumps(exc.errors())


PLANTED = ("ada.lovelace@example.org", "+33 6 12 34 56 78", "Brontë", "0612345678")


def test_errors_never_hold_the_input() -> None:
    data = {
        "id": "c1",
        "ada.lovelace@example.org": "Brontë",
        "identity": {
            "emails": ["Brontë"],
            "phones": ["0612345678 Brontë"],
            "birth_date": "ada.lovelace@example.org",
            "name": "Brontë",
        },
        "descriptive": {"lifecycle_stage": "+33 6 12 34 56 78"},
    }
    with pytest.raises(ConversionError) as raised:
        from_dict(Contact, data)
    body = json.dumps(raised.value.errors(), ensure_ascii=False)
    assert len(raised.value.errors()) >= 5
    for value in PLANTED:
        assert value not in body
