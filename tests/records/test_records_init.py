"""The lean constructor of record and value classes: a field left at its default is not
checked, and every value given is converted and refused exactly as attrs' constructor does."""

from __future__ import annotations

import inspect
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import (
    CommunicationPreferences,
    Contact,
    ContactIdentity,
    CustomFields,
    EmailAddress,
    ExternalId,
    InvalidValueError,
    Money,
    Note,
    PersonName,
    PhoneNumber,
    PostalAddress,
    QuarantinedValue,
    RegistrationNumber,
    Source,
)
from crmcore import records as records_package
from crmcore.records import account, activity, contact, deal, values
from crmcore.records._base import Record
from crmcore.records._init import lean_init
from crmcore.records.custom import EMPTY_CUSTOM

_MODULES = (records_package, account, activity, contact, deal, values)


def _lean(cls: type[Any]) -> bool:
    filename: str = cls.__init__.__code__.co_filename
    return filename.startswith("<crmcore lean init")


LEAN = sorted(
    {
        cls
        for module in _MODULES
        for cls in vars(module).values()
        if inspect.isclass(cls) and attrs.has(cls) and _lean(cls)
    },
    key=lambda cls: cls.__qualname__,
)

_AWARE = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)

_POOL: tuple[Any, ...] = (
    None,
    (),
    [],
    "",
    "  ",
    "x",
    "Ada",
    "\ud800",
    "fr-CA",
    "FR",
    "EUR",
    "form",
    "lead",
    "2-9",
    "ada@example.org",
    "not an email",
    "+33 1 23 45 67 89",
    0,
    -1,
    7,
    11,
    10**30,
    True,
    False,
    1.5,
    Decimal("12.50"),
    Decimal("NaN"),
    date(1990, 3, 5),
    datetime(2024, 5, 1, 12),
    _AWARE,
    ["a", "b"],
    ("a", " "),
    ["ada@example.org"],
    {"tier": "gold"},
    {"": 1},
    EMPTY_CUSTOM,
    Source.FORM,
    PersonName(given="Ada"),
    PersonName(),
    EmailAddress("ada@example.org"),
    (EmailAddress("ada@example.org"),),
    PostalAddress(country="FR"),
    [PostalAddress(locality="Paris")],
    Money(Decimal("1.00"), "EUR"),
    Note("called back"),
    (QuarantinedValue("x", "y", "value.wrong_type", "reason", _AWARE),),
    CommunicationPreferences(),
    ContactIdentity(),
    object(),
)


def _alias(attribute: attrs.Attribute[Any]) -> str:
    return attribute.alias or attribute.name


def _attrs_own(cls: type[Any], arguments: dict[str, Any]) -> Any:
    """What attrs' own constructor of ``cls`` makes of ``arguments``."""
    made = object.__new__(cls)
    cls.__init__.__wrapped__(made, **arguments)
    return made


def _reference(cls: type[Any], arguments: dict[str, Any]) -> Any:
    """attrs' semantics written out: every field set (converters and factories in field
    order), then every validator in field order."""
    made = object.__new__(cls)
    for attribute in attrs.fields(cls):
        default = attribute.default
        if _alias(attribute) in arguments:
            value = arguments[_alias(attribute)]
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            value = default.factory(made) if default.takes_self else default.factory()
        else:
            value = default
        if attribute.converter is not None:
            value = attribute.converter(value)
        object.__setattr__(made, attribute.name, value)
    attrs.validate(made)
    return made


def _outcome(make: Any) -> tuple[Any, ...]:
    """The fields made, each with its type, or the error raised (type, message, field, code)."""
    try:
        made = make()
    except Exception as exc:  # the error itself is what is compared
        return (
            "raised",
            type(exc),
            str(exc),
            getattr(exc, "field", None),
            getattr(exc, "code", None),
        )
    return (
        "made",
        type(made),
        tuple((type(value), repr(value)) for value in attrs.astuple(made, recurse=False)),
    )


@st.composite
def arguments(draw: st.DrawFn, cls: type[Any]) -> dict[str, Any]:
    """Arguments for ``cls``: every required field and some others, from a pool of values of
    every kind (valid, invalid, the defaults themselves)."""
    found: dict[str, Any] = {}
    for attribute in attrs.fields(cls):
        required = attribute.default is attrs.NOTHING
        if required or draw(st.booleans()):
            found[_alias(attribute)] = draw(st.sampled_from(_POOL))
    return found


def test_every_record_and_value_class_is_lean() -> None:
    # every record and facet class and every value class: one falling back to attrs' own
    # constructor (a new converter that is not a plain function, say) fails here
    names = {cls.__name__ for cls in LEAN}
    kinds = ("", "Identity", "Descriptive", "Qualitative", "Quantitative")
    records = {
        f"{record}{kind}" for record in ("Contact", "Account", "Deal", "Activity") for kind in kinds
    }
    kinds_of_value = {
        name for name in values.__all__ if isinstance(getattr(values, name), type)
    } | {"Record"}
    assert names == records | kinds_of_value


@pytest.mark.parametrize("cls", LEAN, ids=lambda cls: cls.__name__)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_lean_constructor_makes_and_refuses_as_attrs_does(cls: type[Any], data: Any) -> None:
    given_arguments = data.draw(arguments(cls))
    made = _outcome(lambda: cls(**given_arguments))
    assert made == _outcome(lambda: _attrs_own(cls, given_arguments))
    assert made == _outcome(lambda: _reference(cls, given_arguments))


@pytest.mark.parametrize("cls", LEAN, ids=lambda cls: cls.__name__)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_evolve_refuses_as_attrs_does(cls: type[Any], data: Any) -> None:
    # An instance with no defaults of its own to start from: the class's defaults and values
    # every required field accepts.
    starts: dict[type[Any], dict[str, Any]] = {
        EmailAddress: {"address": "ada@example.org"},
        ExternalId: {"system": "crm", "value": "42"},
        PhoneNumber: {"number": "+44 20 7946 0958"},
        QuarantinedValue: {
            "path": "identity.emails[0]",
            "value": "x",
            "code": "email.invalid",
            "reason": "not an address",
        },
        RegistrationNumber: {"scheme": "siren", "value": "123456789"},
        Money: {"amount": Decimal("1"), "currency": "EUR"},
        Note: {"text": "called back"},
    }
    start = starts.get(cls)
    if start is None:
        required = [a for a in attrs.fields(cls) if a.default is attrs.NOTHING]
        assert not required or issubclass(cls, Record), cls  # give it a start above
        start = {"id": "r-1"} if required else {}
    base = cls(**start)
    changes = data.draw(arguments(cls))
    everything = {_alias(a): getattr(base, a.name) for a in attrs.fields(cls)} | changes
    assert _outcome(lambda: attrs.evolve(base, **changes)) == _outcome(
        lambda: _attrs_own(cls, everything)
    )


def test_a_field_left_at_its_default_is_not_checked() -> None:
    calls: list[object] = []

    def value_only(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        calls.append(value)
        if value == "bad":
            raise InvalidValueError("bad", field=attribute.name)

    @lean_init
    @attrs.frozen
    class Thing:
        kept: str | None = attrs.field(default=None, validator=value_only)

    assert calls == [None]  # the default, tried once when the class is made
    Thing()
    Thing(kept=None)
    assert calls == [None]  # attrs' constructor checks None twice more
    Thing(kept="good")
    assert calls == [None, "good"]
    with pytest.raises(InvalidValueError):
        Thing(kept="bad")


def test_a_check_of_the_instance_runs_for_the_default_too() -> None:
    seen: list[object] = []

    def of_instance(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        seen.append(value)

    @lean_init
    @attrs.frozen
    class Thing:
        kept: str | None = attrs.field(default=None, validator=of_instance)

    Thing()
    assert seen == [None]


def test_a_default_the_check_refuses_is_checked() -> None:
    def refuses_none(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            raise InvalidValueError("required", field=attribute.name, code="value.missing")

    @lean_init
    @attrs.frozen
    class Thing:
        kept: str | None = attrs.field(default=None, validator=refuses_none)

    with pytest.raises(InvalidValueError) as raised:
        Thing()
    assert raised.value.code == "value.missing"


def test_disabled_validators_stay_disabled() -> None:
    with attrs.validators.disabled():
        made = ContactIdentity(organisation="  ")
    assert made.organisation == "  "
    with pytest.raises(InvalidValueError):
        ContactIdentity(organisation="  ")


@pytest.mark.parametrize("cls", LEAN, ids=lambda cls: cls.__name__)
def test_the_lean_signature_is_attrs_own(cls: type[Any]) -> None:
    lean = inspect.signature(cls.__init__, follow_wrapped=False)
    assert lean == inspect.signature(cls.__init__.__wrapped__)


def test_a_class_caching_its_hash_keeps_attrs_constructor() -> None:
    @attrs.frozen(cache_hash=True)
    class Hashed:
        x: int | None = None

    assert not _lean(lean_init(Hashed))
    assert hash(Hashed(2)) == hash(Hashed(2))


def test_an_argument_named_as_the_generated_code_s_names_keeps_attrs_constructor() -> None:
    @attrs.frozen
    class Clash:
        put_1: int = 0
        x: list[int] = attrs.field(factory=list)

    assert not _lean(lean_init(Clash))
    assert Clash(put_1=1).x == []


def test_the_signature_is_attrs_own() -> None:
    parameters = inspect.signature(Contact).parameters
    assert list(parameters)[:2] == ["id", "identity"]
    assert parameters["created_at"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["quarantine"].default == ()
    assert inspect.signature(ContactIdentity).parameters["custom"].default is EMPTY_CUSTOM
    assert CustomFields is type(EMPTY_CUSTOM)
