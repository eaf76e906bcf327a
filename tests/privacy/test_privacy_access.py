"""Access by purpose: grants by path, category and privacy category; deny wins; id stays."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmcore import (
    Account,
    Activity,
    Category,
    Contact,
    ContactDescriptive,
    ContactIdentity,
    ContactQualitative,
    Converter,
    CustomFields,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    Deal,
    EmailAddress,
    Note,
    PersonName,
    PhoneNumber,
    Problem,
    Record,
    to_dict,
)
from crmcore import PrivacyCategory as P
from crmcore.errors import CRMError, InvalidValueError
from crmcore.privacy._access_paths import slots
from crmcore.privacy.access import (
    REDACTED,
    AccessPolicy,
    Grant,
    Projection,
    UnknownPurposeError,
)
from crmcore.testing import strategies as crm_st

SCHEMA = CustomSchema(
    Contact,
    (
        CustomFieldSpec("tier", CustomType.STRING, Category.DESCRIPTIVE),
        CustomFieldSpec(
            "diagnosis", CustomType.STRING, Category.QUALITATIVE, personal=True, privacy=P.HEALTH
        ),
    ),
)

ADA = Contact(
    "c-1",
    ContactIdentity(
        name=PersonName(given="Ada", family="Lovelace"),
        emails=(EmailAddress("ada@example.org"),),
        phones=(PhoneNumber("020 7946 0958", region="GB"),),
        birth_date=date(1815, 12, 10),
        organisation="Analytical Engines",
    ),
    ContactDescriptive(
        industry="computing",
        job_title="Countess",
        custom=CustomFields({"tier": "gold", "nickname": "Enchantress"}),
    ),
    ContactQualitative(
        notes=(Note("Ada asked about Babbage"),),
        custom=CustomFields({"diagnosis": "migraine"}),
    ),
)
PLANTED = (
    "Ada",
    "Lovelace",
    "ada@example.org",
    "7946",
    "1815",
    "Countess",
    "Enchantress",
    "Babbage",
    "migraine",
)

POLICY = AccessPolicy(
    {
        "support": Grant(categories=[Category.IDENTITY], privacy=[P.NAME, P.CONTACT_EMAIL]),
        "analytics": Grant(
            categories=[Category.DESCRIPTIVE, Category.QUANTITATIVE, Category.QUALITATIVE],
            deny=[P.HEALTH, "descriptive.custom.tier"],
        ),
        "care": Grant(paths=["qualitative.custom.diagnosis", "identity.name"]),
        "nobody": Grant(),
    }
)


def test_personal_fields_need_their_privacy_category_granted() -> None:
    """GDPR Art. 5(1)(c), Art. 25(2): only the personal data needed for each purpose."""
    seen = POLICY.project(ADA, "support")
    identity = seen.record.identity
    assert identity.name == ADA.identity.name
    assert identity.emails == ADA.identity.emails
    assert (identity.phones, identity.birth_date) == ((), None)
    assert identity.organisation == "Analytical Engines"  # not personal: the category grants it
    assert {"identity.phones", "identity.birth_date", "descriptive.job_title"} <= set(seen.hidden)
    assert "identity.emails" not in seen.hidden


def test_a_category_grant_shows_what_is_not_personal_only() -> None:
    seen = POLICY.project(ADA, "analytics")
    assert seen.record.descriptive.industry == "computing"
    assert seen.record.descriptive.job_title is None
    assert seen.record.qualitative.notes == ()


def test_deny_wins_by_path_and_by_privacy_category() -> None:
    """Issue 11: ``deny`` wins over every grant."""
    policy = AccessPolicy(
        {
            "x": Grant(
                paths=["qualitative", "descriptive.custom"], deny=[P.HEALTH, "qualitative.notes"]
            )
        }
    )
    seen = policy.project(ADA, "x", schema=SCHEMA)
    assert seen.record.qualitative.notes == ()
    assert "diagnosis" not in seen.record.qualitative.custom
    assert seen.record.descriptive.custom == ADA.descriptive.custom
    assert "qualitative.custom.diagnosis" in seen.hidden


def test_a_granted_path_shows_a_personal_field_and_id_always_stays() -> None:
    seen = POLICY.project(ADA, "care", schema=SCHEMA)
    assert seen.record.id == "c-1"
    assert seen.record.identity.name == ADA.identity.name
    assert seen.record.qualitative.custom["diagnosis"] == "migraine"
    assert seen.record.identity.emails == ()
    assert "id" not in seen.hidden
    nothing = POLICY.project(ADA, "nobody")
    assert nothing.record == Contact("c-1")


def test_undeclared_custom_fields_are_personal_free_text() -> None:
    """Issue 11: undeclared custom fields are personal free text."""
    grant = Grant(categories=[Category.DESCRIPTIVE])
    seen = AccessPolicy({"x": grant}).project(ADA, "x", schema=SCHEMA)
    assert dict(seen.record.descriptive.custom) == {"tier": "gold"}
    assert "descriptive.custom.nickname" in seen.hidden
    freed = AccessPolicy({"x": Grant(categories=["descriptive"], privacy=[P.FREE_TEXT])})
    assert "nickname" in freed.project(ADA, "x", schema=SCHEMA).record.descriptive.custom


def test_without_a_schema_custom_values_are_hidden_as_free_text() -> None:
    seen = AccessPolicy({"x": Grant(categories=["descriptive"])}).project(ADA, "x")
    assert seen.record.descriptive.custom == CustomFields()


def test_hidden_lists_every_hidden_field_whether_it_held_a_value_or_not() -> None:
    empty, full = POLICY.project(Contact("c-2"), "support"), POLICY.project(ADA, "support")
    assert empty.hidden == tuple(path for path in full.hidden if ".custom." not in path)
    assert empty.hidden == POLICY.hidden(Contact, "support")


def test_redact_writes_redacted_in_place_of_every_hidden_value() -> None:
    data = POLICY.redact(ADA, "support", schema=SCHEMA)
    assert data["identity"]["phones"] == REDACTED
    assert data["identity"]["birth_date"] == REDACTED
    assert data["qualitative"]["custom"] == {"diagnosis": REDACTED}
    assert data["descriptive"]["custom"] == {"tier": REDACTED, "nickname": REDACTED}
    assert data["identity"]["emails"][0]["normalised"] == "ada@example.org"
    text = json.dumps(POLICY.redact(ADA, "nobody"))
    for planted in PLANTED:
        assert planted not in text


def test_redact_uses_the_converters_schema() -> None:
    converter = Converter(schemas=(SCHEMA,))
    data = POLICY.redact(ADA, "analytics", converter=converter)
    assert data["descriptive"]["custom"]["tier"] == REDACTED
    assert data["qualitative"]["custom"]["diagnosis"] == REDACTED


def test_projection_reprs_hide_personal_values() -> None:
    for purpose in POLICY.grants:
        text = repr(POLICY.project(ADA, purpose, schema=SCHEMA))
        for planted in PLANTED:
            assert planted not in text


def test_check_lists_unknown_paths() -> None:
    policy = AccessPolicy(
        {
            "a": Grant(paths=["identity.emails", "identity.email", "descriptive.custom.tier"]),
            "b": Grant(deny=["qualitative.custom.mood", "qualitative.custom"]),
        }
    )
    assert policy.check(Contact, schema=SCHEMA) == (
        Problem("identity.email", "granted to a: not a field of Contact"),
        Problem(
            "qualitative.custom.mood", "denied to b: a custom field the schema does not declare"
        ),
    )
    assert [p.path for p in policy.check(Deal)] == [
        "descriptive.custom.tier",
        "identity.email",
        "identity.emails",
        "qualitative.custom.mood",
    ]


@pytest.mark.parametrize("record_type", [Contact, Account, Deal, Activity])
def test_every_field_path_of_every_record_type_is_known(record_type: type[Record]) -> None:
    paths = [slot.path for slot in slots(record_type("r-1"), None)]
    policy = AccessPolicy({"all": Grant(paths=paths)})
    assert policy.check(record_type) == ()
    assert policy.hidden(record_type, "all") == ()


# -- property ------------------------------------------------------------------------------

_grants = st.builds(
    Grant,
    categories=st.lists(st.sampled_from(Category), unique=True),
    privacy=st.lists(st.sampled_from(P), unique=True),
    paths=st.lists(
        st.sampled_from(
            ["identity", "identity.emails", "qualitative.notes", "descriptive.custom", "quarantine"]
        )
    ),
    deny=st.lists(
        st.sampled_from(
            [P.HEALTH, P.NAME, P.FREE_TEXT, "identity.name", "descriptive.custom", "quarantine"]
        )
    ),
)


def _value(record: Record, path: str) -> Any:
    head, _, rest = path.partition(".")
    if not rest:
        return getattr(record, head)
    facet = getattr(record, head)
    if rest.startswith("custom."):
        return facet.custom.get(rest.partition(".")[2])
    return getattr(facet, rest)


_EMPTY = (None, (), "", CustomFields(), PersonName())


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), _grants)
def test_projections_never_show_hidden_fields(data: st.DataObject, grant: Grant) -> None:
    """Issue 11: projections never show hidden fields; visible ones are kept as they are."""
    record_type = data.draw(st.sampled_from([Contact, Account, Deal, Activity]))
    schema = data.draw(st.none() | crm_st.custom_schemas(record_type))
    strategy = {
        Contact: crm_st.contacts,
        Account: crm_st.accounts,
        Deal: crm_st.deals,
        Activity: crm_st.activities,
    }[record_type]
    record = data.draw(strategy(schema))
    # Without the schema, the same custom values are undeclared: personal free text.
    schema = schema if data.draw(st.booleans()) else None
    policy = AccessPolicy({"p": grant})
    seen = policy.project(record, "p", schema=schema)
    assert type(seen.record) is type(record)
    assert seen.record.id == record.id
    every = list(slots(record, schema))
    assert set(seen.hidden) <= {slot.path for slot in every}
    for slot in every:
        after = _value(seen.record, slot.path)
        if slot.path in seen.hidden:
            assert after in _EMPTY or attrs.asdict(after) == attrs.asdict(type(after)())
        else:
            assert after == _value(record, slot.path)
    redacted = policy.redact(record, "p", schema=schema)
    assert redacted == _redacted_reference(record, seen)


def _redacted_reference(record: Record, seen: Projection[Any]) -> dict[str, Any]:
    data = to_dict(seen.record)
    for path in seen.hidden:
        node = data
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = REDACTED
    return data


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"categories": "identity"}, "categories"),
        ({"categories": ["secret"]}, "categories"),
        ({"privacy": [Category.IDENTITY]}, "privacy"),
        ({"paths": ["Identity.Emails"]}, "paths"),
        ({"paths": ["ada@example.org"]}, "paths"),
        ({"deny": ["id"]}, "deny"),
        ({"deny": [3]}, "deny"),
        ({"paths": 5}, "paths"),
    ],
)
def test_bad_grants_are_refused_naming_the_argument(options: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Grant(**options)
    assert caught.value.field == field
    assert "ada" not in str(caught.value)


def test_bad_policies_and_calls_are_refused_without_quoting_values() -> None:
    with pytest.raises(InvalidValueError, match=r"grants\[<key 0>\]"):
        AccessPolicy({"ada@example.org": Grant()})
    with pytest.raises(InvalidValueError, match=r"grants\[<key 1>\]") as caught:
        AccessPolicy({"support": Grant(), "Ada Lovelace": Grant()})
    assert "Lovelace" not in str(caught.value)
    with pytest.raises(InvalidValueError, match=r"grants\[<key 0>\]"):
        AccessPolicy({"a0612345678": "not a grant"})  # type: ignore[dict-item]
    with pytest.raises(InvalidValueError, match="grants"):
        AccessPolicy([("support", Grant())])  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"grants\[support\]"):
        AccessPolicy({"support": {"categories": []}})  # type: ignore[dict-item]
    with pytest.raises(UnknownPurposeError) as caught:
        POLICY.project(ADA, "ada.lovelace")
    assert "lovelace" not in str(caught.value)
    assert "support" in str(caught.value)
    with pytest.raises(InvalidValueError, match="record"):
        POLICY.project(to_dict(ADA), "support")  # type: ignore[type-var]
    with pytest.raises(InvalidValueError, match="schema"):
        POLICY.project(ADA, "support", schema=CustomSchema(Deal, ()))
    with pytest.raises(InvalidValueError, match="record_type"):
        POLICY.check(dict)
    with pytest.raises(InvalidValueError, match="converter"):
        POLICY.redact(ADA, "support", converter=object())  # type: ignore[arg-type]


@given(
    st.one_of(st.none(), st.text(), st.integers(), st.builds(Contact, st.just("c-9"))),
    st.one_of(st.text(), st.none(), st.sampled_from(["support", "care"])),
    st.one_of(st.none(), st.just(SCHEMA), st.integers()),
)
def test_arbitrary_input_gives_a_projection_or_a_crm_error(
    record: Any, purpose: Any, schema: Any
) -> None:
    try:
        seen = POLICY.project(record, purpose, schema=schema)
    except CRMError:
        return
    assert type(seen.record) is Contact
    assert POLICY.redact(record, purpose, schema=schema)["id"] == "c-9"


@given(
    st.dictionaries(st.text(max_size=5), st.just(Grant()), max_size=3),
    st.lists(st.one_of(st.text(max_size=8), st.sampled_from(Category), st.integers()), max_size=3),
)
def test_arbitrary_grants_and_policies_give_a_value_or_a_crm_error(
    grants: dict[str, Grant], entries: list[Any]
) -> None:
    for field in ("categories", "privacy", "paths", "deny"):
        try:
            built = Grant(**{field: entries})
        except CRMError:
            continue
        assert isinstance(getattr(built, field), tuple)
    try:
        problems = AccessPolicy(grants).check(Contact)
    except CRMError:
        return
    assert problems == ()


_planted = st.from_regex(r"[a-z]{2,6}@[0-9]{5,8}\.[a-z]{2,4}", fullmatch=True)


def _leaks(error: BaseException, token: str) -> bool:
    shown = [str(error), repr(error.args), *getattr(error, "__notes__", ())]
    chained = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return any(token in text for text in shown) or chained is not None


@given(_planted)
def test_a_planted_value_never_reaches_an_error(token: str) -> None:
    """Issue 11, bad input: errors name paths and arguments, never values."""
    calls = [
        lambda: Grant(categories=[token]),
        lambda: Grant(privacy=[token]),
        lambda: Grant(paths=[token]),
        lambda: Grant(deny=[token]),
        lambda: AccessPolicy({token: Grant()}),
        lambda: AccessPolicy({"x": token}),  # type: ignore[dict-item]
        lambda: POLICY.project(ADA, token),
        lambda: POLICY.project(token, "support"),  # type: ignore[type-var]
        lambda: POLICY.redact(ADA, token),
        lambda: POLICY.hidden(Contact, token),
        lambda: POLICY.check(token),  # type: ignore[arg-type]
        lambda: POLICY.project(ADA, "support", schema=token),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(CRMError) as caught:
            call()
        assert not _leaks(caught.value, token)


@given(
    st.one_of(st.sampled_from([Contact, Deal, dict]), st.text(), st.none()),
    st.one_of(st.sampled_from(["support", "care"]), st.text(), st.none()),
    st.one_of(st.none(), st.just(SCHEMA), st.text()),
)
def test_hidden_and_check_take_arbitrary_input_without_crashing(
    record_type: Any, purpose: Any, schema: Any
) -> None:
    try:
        hidden = POLICY.hidden(record_type, purpose, schema=schema)
        problems = POLICY.check(record_type, schema=schema)
    except CRMError:
        return
    assert hidden == tuple(sorted(hidden))
    assert all(isinstance(problem, Problem) for problem in problems)
    if schema is SCHEMA:
        assert problems == ()
