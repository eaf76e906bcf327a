"""The options cleaning reads: the instant it runs at, the default phone region, date reading."""

from __future__ import annotations

import functools
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

import attrs

from crmcore._iso import CURRENCY_CODES
from crmcore.convert import Converter
from crmcore.convert import _options as options
from crmcore.convert._locale import DecimalSeparator
from crmcore.errors import InvalidValueError

if TYPE_CHECKING:
    from crmcore.validation import Context

__all__ = ["CleaningContext"]


# One reader per option, shared with the converter: a cleaning context takes what a
# Converter takes, and refuses it the same way (InvalidValueError naming the option).


def _as_of(value: object) -> datetime | None:
    return options.as_of(value)


def _region(value: object) -> str | None:
    return options.region(value)


def _dayfirst(value: object) -> bool | None:
    return options.dayfirst(value)


def _assume_tz(value: object) -> tzinfo | None:
    return options.time_zone(value)


def _currency(value: object) -> str | None:
    return options.code(value, CURRENCY_CODES, "ISO 4217", "default_currency")


def _decimal_separator(value: object) -> DecimalSeparator | None:
    return options.decimal_separator(value)


def _spreadsheet_dates(value: object) -> bool:
    return options.flag(value, "spreadsheet_dates")


@attrs.frozen
class CleaningContext:
    """What cleaning needs to know that the data does not say.

    Every option is read and checked as :class:`~crmcore.Converter` reads it, and refused
    with :class:`~crmcore.InvalidValueError` naming it.

    - ``as_of``: the instant cleaning runs at (an aware datetime, or ISO 8601 text with an
      offset). It stamps quarantined values and resolves two-digit years (birth dates never
      land after it). Cleaning never reads the clock.
    - ``default_region``: the region (ISO 3166-1 alpha-2) national phone numbers are read in
      when the record's own addresses name no country.
    - ``dayfirst``: how ambiguous dates such as ``03/04/2020`` are read: ``True`` day first
      and ``False`` month first for every record; ``None`` (default) by each record's own
      address country, month first when it has none or its country writes dates more than
      one way (ISO dates are never reinterpreted).
    - ``assume_tz``: the timezone of instants given without one (a ``tzinfo``, ``"UTC"``, an
      offset such as ``"+01:00"`` or a zone name such as ``"Europe/Paris"``); without it they
      are unreadable.
    - ``default_currency``: the currency of money given as a bare number.
    - ``decimal_separator``: ``","`` or ``"."``, the decimal separator the source writes
      numbers with; without it each record's address country decides where the text cannot.
    - ``spreadsheet_dates``: read numbers where a date is expected as spreadsheet serial
      numbers (days since 1899-12-30).

    >>> from datetime import timezone
    >>> CleaningContext(default_region="FR", dayfirst=True).default_region
    'FR'
    >>> from crmcore import InvalidValueError
    >>> try:
    ...     CleaningContext(default_region="France")
    ... except InvalidValueError as refused:
    ...     print(refused)
    default_region: not an ISO 3166-1 alpha-2 code (did you mean FR?)
    """

    as_of: datetime | None = attrs.field(default=None, converter=_as_of)
    default_region: str | None = attrs.field(default=None, converter=_region)
    dayfirst: bool | None = attrs.field(default=None, converter=_dayfirst)
    assume_tz: tzinfo | None = attrs.field(default=None, converter=_assume_tz)
    default_currency: str | None = attrs.field(default=None, converter=_currency)
    decimal_separator: DecimalSeparator | None = attrs.field(
        default=None, converter=_decimal_separator
    )
    spreadsheet_dates: bool = attrs.field(default=False, converter=_spreadsheet_dates)

    @classmethod
    def from_validation(
        cls,
        context: Context,
        *,
        dayfirst: bool | None = None,
        assume_tz: tzinfo | None = None,
        default_currency: str | None = None,
        decimal_separator: DecimalSeparator | None = None,
        spreadsheet_dates: bool = False,
    ) -> CleaningContext:
        """The cleaning context that shares a validation context's ``as_of`` and region.

        Validation's :class:`~crmcore.validation.Context` says nothing of how to read dates,
        numbers or money; give those here.
        """
        from crmcore.validation import Context

        if not isinstance(context, Context):
            raise InvalidValueError("expected a validation Context", field="context")
        return cls(
            as_of=context.as_of,
            default_region=context.default_region,
            dayfirst=dayfirst,
            assume_tz=assume_tz,
            default_currency=default_currency,
            decimal_separator=decimal_separator,
            spreadsheet_dates=spreadsheet_dates,
        )

    def converter(self) -> Converter:
        """The :class:`~crmcore.Converter` configured from this context (built once, reused)."""
        return _converter(self)


@functools.lru_cache(maxsize=32)
def _converter(ctx: CleaningContext) -> Converter:
    return Converter(
        default_region=ctx.default_region,
        dayfirst=ctx.dayfirst,
        as_of=ctx.as_of,
        assume_tz=ctx.assume_tz,
        default_currency=ctx.default_currency,
        decimal_separator=ctx.decimal_separator,
        spreadsheet_dates=ctx.spreadsheet_dates,
    )
