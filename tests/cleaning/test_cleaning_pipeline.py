"""The record stage: a pipeline of named steps, deterministic changes, clean errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import pytest

from crmcore import (
    Contact,
    ContactIdentity,
    ContactQualitative,
    CRMError,
    EmailAddress,
    InvalidValueError,
    PersonName,
    PhoneNumber,
    Record,
)
from crmcore.cleaning import (
    RULES,
    Change,
    CleaningContext,
    CleaningError,
    Pipeline,
    change,
    clean,
    clean_raw,
    clean_text,
    default_pipeline,
)

DEFAULT_NAMES = (
    "text",
    "name_case",
    "email.normalise",
    "phone.e164",
    "contact_point.merge",
    "duplicate",
)


def messy() -> Contact:
    return Contact(
        " c-1 ",
        ContactIdentity(
            name=PersonName(given=" JEAN-PIERRE ", family="DE LA TOUR"),
            emails=(EmailAddress("Jean@EXAMPLE.com"), EmailAddress("Jean@example.COM")),
            phones=(PhoneNumber("020 7946 0958", region="GB"),),
        ),
        qualitative=ContactQualitative(motivations=("price", "price ", "speed")),
    )


def test_default_pipeline_runs_the_built_in_steps_in_order() -> None:
    assert default_pipeline().names == DEFAULT_NAMES
    assert default_pipeline() == default_pipeline()
    assert default_pipeline() is not default_pipeline()


def test_clean_repairs_a_messy_contact() -> None:
    result = clean(messy())
    record = result.record
    assert record.id == "c-1"
    assert record.identity.name.display == "Jean-Pierre de la Tour"
    assert [(e.address, e.normalised) for e in record.identity.emails] == [
        ("Jean@example.com", "Jean@example.com")
    ]
    assert [p.number for p in record.identity.phones] == ["+442079460958"]
    assert record.qualitative.motivations == ("price", "speed")
    assert result.quarantine == ()
    assert result.changed
    assert {c.rule for c in result.changes} == {
        "whitespace",
        "name_case",
        "email.normalise",
        "phone.e164",
        "contact_point.merge",
        "duplicate",
    }
    assert {c.rule for c in result.changes} <= set(RULES)


def test_changes_are_sorted_by_path_then_rule() -> None:
    changes = clean(messy()).changes
    keys = [(c.path, c.rule) for c in changes]
    assert keys[0] == ("id", "whitespace")
    assert ("identity.name.given", "name_case") < ("identity.name.given", "whitespace")
    given = [c.rule for c in changes if c.path == "identity.name.given"]
    assert given == ["name_case", "whitespace"]
    assert clean(messy()).changes == changes


def test_cleaning_a_clean_record_changes_nothing_and_returns_it() -> None:
    once = clean(messy()).record
    again = clean(once)
    assert again.record is once
    assert again.changes == ()
    assert not again.changed


def test_steps_can_be_removed_replaced_and_added() -> None:
    pipeline = default_pipeline().remove("name_case")
    assert "name_case" not in pipeline.names
    assert clean(messy(), pipeline=pipeline).record.identity.name.family == "DE LA TOUR"

    def shout(record: Record, ctx: CleaningContext) -> tuple[Record, Sequence[Change]]:
        assert isinstance(record, Contact)
        name = attrs.evolve(record.identity.name, family="TOUR")
        new = attrs.evolve(record, identity=attrs.evolve(record.identity, name=name))
        made = [
            change(Contact, "identity.name.family", "shout", record.identity.name.family, "TOUR")
        ]
        return new, made

    replaced = default_pipeline().replace("name_case", shout)
    assert replaced.names == DEFAULT_NAMES
    assert clean(messy(), pipeline=replaced).record.identity.name.family == "TOUR"

    first = default_pipeline().add("shout", shout, before="text")
    last = default_pipeline().add("shout", shout)
    after = default_pipeline().add("shout", shout, after="text")
    assert first.names[0] == "shout"
    assert last.names[-1] == "shout"
    assert after.names[1] == "shout"
    assert clean(messy(), pipeline=first).record.identity.name.family == "Tour"


@pytest.mark.parametrize(
    "build",
    [
        lambda: default_pipeline().remove("nope"),
        lambda: default_pipeline().replace("nope", lambda r, c: (r, [])),
        lambda: default_pipeline().add("x", lambda r, c: (r, []), before="nope"),
        lambda: default_pipeline().add("x", lambda r, c: (r, []), before="text", after="text"),
        lambda: default_pipeline().add("text", lambda r, c: (r, [])),
        lambda: Pipeline([("", lambda r, c: (r, []))]),
        lambda: Pipeline([("x", 3)]),  # type: ignore[list-item]
    ],
)
def test_pipeline_misuse_raises_invalid_value_error(build: Any) -> None:
    with pytest.raises(InvalidValueError):
        build()


def test_an_empty_pipeline_returns_the_record_as_is() -> None:
    record = messy()
    result = Pipeline().run(record)
    assert result.record is record
    assert result.changes == ()


def test_a_step_returning_another_type_is_refused() -> None:
    bad = Pipeline([("bad", lambda record, ctx: (Contact("x").identity, []))])
    with pytest.raises(CleaningError, match="step bad did not return a Contact"):
        bad.run(messy())


@pytest.mark.parametrize("value", [None, {"id": "c"}, "c-1", 3, PersonName(given="A")])
def test_clean_refuses_what_is_not_a_record_with_a_crm_error(value: Any) -> None:
    with pytest.raises(CRMError) as raised:
        clean(value)
    assert isinstance(raised.value, CleaningError)
    assert raised.value.problems[0].reason.startswith("expected a crmcore record")


def test_clean_refuses_a_context_of_another_kind() -> None:
    with pytest.raises(InvalidValueError, match="ctx: expected a CleaningContext"):
        clean(messy(), {"default_region": "FR"})  # type: ignore[arg-type]


@pytest.mark.parametrize("pipeline", [["text"], "text", default_pipeline().steps, 0])
def test_clean_and_clean_raw_refuse_a_pipeline_of_another_kind(pipeline: Any) -> None:
    with pytest.raises(InvalidValueError, match="pipeline"):
        clean(messy(), pipeline=pipeline)
    with pytest.raises(InvalidValueError, match="pipeline"):
        clean_raw(Contact, {"id": "c"}, pipeline=pipeline)


@pytest.mark.parametrize("name", ["unknown.step", "", None, 3, "ada@example.org"])
def test_naming_a_step_that_is_not_there_raises(name: Any) -> None:
    pipeline = default_pipeline()
    with pytest.raises(InvalidValueError, match="steps") as raised:
        pipeline.remove(name)
    assert "@" not in str(raised.value)
    with pytest.raises(InvalidValueError, match="steps"):
        pipeline.replace(name, clean_text)
    if name is not None:  # before=None and after=None mean "last"
        with pytest.raises(InvalidValueError, match="steps"):
            pipeline.add("mine", clean_text, before=name)
        with pytest.raises(InvalidValueError, match="steps"):
            pipeline.add("mine", clean_text, after=name)


@pytest.mark.parametrize("steps", ["text", 3, [("text",)], [clean_text], {"text": clean_text}])
def test_a_pipeline_refuses_steps_that_are_not_name_and_step_pairs(steps: Any) -> None:
    with pytest.raises(InvalidValueError, match="steps"):
        Pipeline(steps)


def test_quarantine_added_by_a_step_is_reported_in_the_result() -> None:
    from crmcore import QuarantinedValue

    added = QuarantinedValue("identity.organisation", "x", "value.unreadable", "reason")

    def set_aside(record: Record, ctx: CleaningContext) -> tuple[Record, list[Change]]:
        return attrs.evolve(record, quarantine=(*record.quarantine, added)), []

    old = QuarantinedValue("id", "y", "value.unreadable", "reason")
    record = Contact("c", quarantine=(old,))
    result = Pipeline([("set_aside", set_aside)]).run(record)
    assert result.quarantine == (added,)
    assert result.record.quarantine == (old, added)
