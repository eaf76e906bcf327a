"""Number comparator: equal, within a tolerance, or not.

Reads whole numbers, decimals, floats and :class:`~crmcore.Money` (amounts compared only in
one currency) at a dotted path.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from crmcore.dedup._read import check_path, reader
from crmcore.dedup.comparator import NULL, FieldComparator
from crmcore.dedup.context import CompareContext
from crmcore.errors import InvalidValueError
from crmcore.records.values import Money

__all__ = ["Numbers", "numbers"]

_Amount = tuple[str, Decimal]  # currency ("" for a plain number), amount


def _amount(value: Any) -> _Amount | None:
    if isinstance(value, Money):
        return value.currency, value.amount
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return "", Decimal(value)
    if isinstance(value, float) and value == value and value not in (float("inf"), -float("inf")):
        return "", Decimal(repr(value))
    return None


def _tolerance(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise InvalidValueError("a tolerance is a number, 0 or more", field="tolerance")
    try:
        found = Decimal(str(value))
    except ArithmeticError:
        raise InvalidValueError("a tolerance is a number, 0 or more", field="tolerance") from None
    if not found.is_finite() or found < 0:
        raise InvalidValueError("a tolerance is a number, 0 or more", field="tolerance")
    return found


@attrs.frozen
class Numbers(FieldComparator[frozenset[_Amount]]):
    """Numbers at a path, within a tolerance. See :func:`numbers`."""

    path: str = attrs.field(converter=check_path)
    tolerance: Decimal = attrs.field(converter=_tolerance)
    relative: bool = False

    @property
    def levels(self) -> tuple[str, ...]:
        """``exact``, ``within``, ``different``, ``null``."""
        return ("exact", "within", "different", NULL)

    def prepare(self, record: Any, ctx: CompareContext) -> frozenset[_Amount] | None:
        """The numbers at :attr:`path`, with their currency; ``None`` when there are none."""
        found = {_amount(value) for value in reader(self.path)(record)}
        found.discard(None)
        return frozenset(found) or None  # type: ignore[arg-type]

    def _within(self, a: Decimal, b: Decimal) -> bool:
        gap = abs(a - b)
        if self.relative:
            return gap <= self.tolerance * max(abs(a), abs(b))
        return gap <= self.tolerance

    def compare_prepared(
        self, left: frozenset[_Amount], right: frozenset[_Amount], ctx: CompareContext
    ) -> str:
        """The best level over pairs in one currency; ``null`` when no currency is shared."""
        if not left.isdisjoint(right):
            return "exact"
        shared = False
        for currency_a, a in left:
            for currency_b, b in right:
                if currency_a != currency_b:
                    continue
                shared = True
                if a == b:
                    return "exact"
                if self._within(a, b):
                    return "within"
        return "different" if shared else NULL


def numbers(path: str, tolerance: float | Decimal | str, *, relative: bool = False) -> Numbers:
    """Compare the numbers at ``path``: ``exact``, ``within`` the tolerance, ``different``.

    ``tolerance`` is absolute, or a fraction of the larger number when ``relative``. Money
    compares only in one currency: amounts in two currencies are ``null`` (no rate is
    assumed), as are missing values.

    >>> from crmcore import Account, AccountQuantitative
    >>> def firm(employees):
    ...     return Account("a", quantitative=AccountQuantitative(employees=employees))
    >>> cmp = numbers("quantitative.employees", "0.1", relative=True)
    >>> cmp(firm(100), firm(95), CompareContext()), cmp(firm(100), firm(80), CompareContext())
    ('within', 'different')
    """
    return Numbers(path, tolerance, relative)
