"""Records and values pickle as their class and field values, and read back the same."""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from crmcore import Contact, ContactQuantitative, Money, to_dict
from crmcore.records._pickle import restore
from crmcore.testing.strategies import records


@settings(max_examples=60, deadline=None)
@given(st.lists(records(), max_size=4))
def test_records_read_back_equal_with_the_same_dict_form(made: list[Any]) -> None:
    back = pickle.loads(pickle.dumps(made, pickle.HIGHEST_PROTOCOL))
    assert back == made
    assert [to_dict(record) for record in back] == [to_dict(record) for record in made]
    assert [type(record) for record in back] == [type(record) for record in made]


def test_a_record_pickles_as_its_field_values_not_a_dict_of_them() -> None:
    contact = Contact("c-1", quantitative=ContactQuantitative(total_spent=Money("1.50", "EUR")))
    reduced = contact.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
    assert reduced[0] is restore
    assert reduced[1][0] is Contact
    assert reduced[1][1:] == tuple(getattr(contact, a.name) for a in attrs.fields(Contact))
    assert b"total_spent" not in pickle.dumps(contact, pickle.HIGHEST_PROTOCOL)


def test_a_decimal_keeps_its_exact_text_through_a_pickle() -> None:
    money = pickle.loads(pickle.dumps(Money(Decimal("1.50"), "EUR")))
    assert str(money.amount) == "1.50"


class _Tagged(Money):
    """A plain subclass (not made by attrs) with a value of its own."""

    __slots__ = ("tag",)


def test_a_plain_subclass_pickles_as_attrs_pickles_it() -> None:
    tagged = _Tagged(Decimal("2"), "USD")
    object.__setattr__(tagged, "tag", "kept")
    back = pickle.loads(pickle.dumps(tagged, pickle.HIGHEST_PROTOCOL))
    assert type(back) is _Tagged
    assert back == tagged
