"""Value objects built before conversion, which conversion takes as they are.

The raw stage of cleaning (:func:`crmcore.cleaning.clean_raw`) reads an email or a phone given
as text to the end, and repairs every part of a postal address or a person name given as
text: it holds the very values conversion would hand to the class's constructor. It calls
that constructor itself (every check of the class runs there, once, as it would in
conversion) and hands the value object over in a :class:`Prebuilt`, which conversion takes
as it is instead of reading a mapping of the same values through its hooks. Only the raw
stage makes them, and only for a converter whose hooks would hand the constructor those
values unchanged (see ``Converter._takes_prebuilt``); a value the constructor refuses, or an
address or a name with a part that is not text, is handed over as a mapping, and conversion
reads or refuses it as before. Where conversion reads a record's region from its addresses
(for national phone numbers and the decimal separator of numbers), a built address counts
as the mapping of its fields (see ``crmcore.convert._values.address_region``).
"""

from __future__ import annotations

from typing import final

__all__ = ["Prebuilt"]


@final
class Prebuilt:
    """A value object already built by its constructor, for conversion to take as it is."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value
