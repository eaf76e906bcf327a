"""The direct reading of a class from a dict: the generated function's result, or a hand-back."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from cattrs.gen import make_dict_structure_fn

from crmcore import Contact, Converter, PersonName
from crmcore.convert import _direct
from crmcore.convert._direct import FAILED, direct_reader
from crmcore.errors import ConversionError
from crmcore.records import RECORD_TYPES


def _readers(monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    made: dict[str, bool] = {}
    real = _direct.direct_reader

    def spy(cls: type[Any], generated: Any) -> Any:
        reader = real(cls, generated)
        made[cls.__name__] = reader is not None
        return reader

    monkeypatch.setattr("crmcore.convert._converter.direct_reader", spy)
    Converter()
    return made


def test_every_record_and_value_class_is_read_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    made = _readers(monkeypatch)
    assert {cls.__name__ for cls in RECORD_TYPES} <= set(made)
    assert "PersonName" in made
    assert all(made.values()), [name for name, direct in made.items() if not direct]


def _generated(cls: type[Any]) -> Any:
    return make_dict_structure_fn(
        cls, Converter().cattrs, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
    )


def test_the_direct_reading_is_the_generated_functions() -> None:
    generated = _generated(PersonName)
    read = direct_reader(PersonName, generated)
    assert read is not None
    given = {"family": "Lovelace", "given": "Ada"}
    assert read(given) == generated(given, PersonName) == PersonName(given="Ada", family="Lovelace")


@pytest.mark.parametrize(
    "given",
    [
        {"given": "Ada", "nickname": "A"},  # no attribute's key
        {"given": ["Ada"]},  # refused by its hook
        {"given": "Ada\ud800"},  # refused by the constructor
        {1: "Ada"},  # a key that is no text
    ],
)
def test_what_it_cannot_read_is_handed_back(given: dict[Any, Any]) -> None:
    read = direct_reader(PersonName, _generated(PersonName))
    assert read is not None
    assert read(given) is FAILED


def test_a_missing_required_attribute_is_handed_back() -> None:
    read = direct_reader(Contact, _generated(Contact))
    assert read is not None
    assert read({"identity": {}}) is FAILED
    assert read({"id": "c-1"}) == Contact("c-1")


def test_a_generated_function_read_otherwise_has_no_direct_reading() -> None:
    def structure(o: Any, _: Any) -> Any:  # no source kept, nothing to check against
        return PersonName(**o)

    assert direct_reader(PersonName, structure) is None

    @attrs.frozen
    class Renamed:
        given: str

    converter = Converter().cattrs
    from cattrs.gen import override

    renamed = make_dict_structure_fn(Renamed, converter, given=override(rename="first"))
    assert direct_reader(Renamed, renamed) is None
    assert renamed({"first": "Ada"}, Renamed) == Renamed("Ada")


def test_conversion_reports_what_the_direct_reading_hands_back() -> None:
    data = {"id": "c-1", "identity": {"name": {"given": ["Ada"], "nick": "x"}}}
    with pytest.raises(ConversionError) as caught:
        Converter().from_dict(Contact, data)
    paths = sorted(problem.path for problem in caught.value.problems)
    assert paths == ["identity.name.given", "identity.name.nick"]
