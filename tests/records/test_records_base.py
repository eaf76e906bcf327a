"""The defaults of facets and value fields: one empty value, shared, as good as a fresh one."""

from __future__ import annotations

import pickle
from typing import Any

import attrs
import pytest

from crmcore import RECORD_TYPES, Contact, ContactIdentity, PersonName, Record


def facet_fields(record_type: type[Record]) -> list[attrs.Attribute[Any]]:
    return [a for a in attrs.fields(record_type) if isinstance(a.default, attrs.Factory)]  # type: ignore[arg-type]


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.__name__)
def test_a_facet_left_out_is_the_empty_facet_equal_to_a_new_one(record_type: type[Record]) -> None:
    fields = facet_fields(record_type)
    assert len(fields) == 4
    made = record_type("r-1"), record_type("r-2")
    for field in fields:
        kind = field.type if isinstance(field.type, type) else type(getattr(made[0], field.name))
        shared = getattr(made[0], field.name)
        assert shared is getattr(made[1], field.name)
        assert shared == kind()
        assert hash(shared) == hash(kind())
        assert shared == field.default.factory()  # type: ignore[union-attr]


def test_a_shared_empty_value_cannot_be_changed_and_changing_a_record_leaves_it_alone() -> None:
    first = Contact("c-1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.identity.name = PersonName(given="Ada")  # type: ignore[misc]
    named = attrs.evolve(first.identity, name=PersonName(given="Ada"))
    second = Contact("c-2", named)
    assert second.identity.name.given == "Ada"
    assert Contact("c-3").identity == ContactIdentity()
    assert Contact("c-3").identity.name.given is None
    assert pickle.loads(pickle.dumps(first)) == first
