"""The options cleaning reads: the instant it runs at, the default phone region, date reading."""

from __future__ import annotations

import functools
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

import attrs

from crmcore._iso import COUNTRY_CODES, CURRENCY_CODES
from crmcore.convert import Converter
from crmcore.errors import InvalidValueError

if TYPE_CHECKING:
    from crmcore.validation import Context

__all__ = ["CleaningContext"]


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
        raise InvalidValueError("expected a timezone-aware datetime", field=attribute.name)


def _code_in(codes: frozenset[str], what: str) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and value not in codes:
            raise InvalidValueError(f"not an {what} code", field=attribute.name)

    return check


def _flag(_: object, attribute: attrs.Attribute[Any], value: bool) -> None:
    if not isinstance(value, bool):
        raise InvalidValueError("expected True or False", field=attribute.name)


def _tz(_: object, attribute: attrs.Attribute[Any], value: tzinfo | None) -> None:
    if value is not None and not isinstance(value, tzinfo):
        raise InvalidValueError("expected a tzinfo", field=attribute.name)


@attrs.frozen
class CleaningContext:
    """What cleaning needs to know that the data does not say.

    - ``as_of``: the instant cleaning runs at. It stamps quarantined values and resolves
      two-digit years (birth dates never land after it). Cleaning never reads the clock.
    - ``default_region``: the region (ISO 3166-1 alpha-2) national phone numbers are read in
      when the record's own addresses name no country.
    - ``dayfirst``: read ambiguous dates such as ``03/04/2020`` as day first (ISO dates are
      never reinterpreted).
    - ``assume_tz``: the timezone of instants given without one; without it they are
      unreadable.
    - ``default_currency``: the currency of money given as a bare number.

    >>> from datetime import timezone
    >>> CleaningContext(default_region="FR", dayfirst=True).default_region
    'FR'
    >>> CleaningContext(default_region="France")
    Traceback (most recent call last):
    ...
    crmcore.errors.InvalidValueError: default_region: not an ISO 3166-1 alpha-2 code
    """

    as_of: datetime | None = attrs.field(default=None, validator=_aware)
    default_region: str | None = attrs.field(
        default=None, validator=_code_in(COUNTRY_CODES, "ISO 3166-1 alpha-2")
    )
    dayfirst: bool = attrs.field(default=False, validator=_flag)
    assume_tz: tzinfo | None = attrs.field(default=None, validator=_tz)
    default_currency: str | None = attrs.field(
        default=None, validator=_code_in(CURRENCY_CODES, "ISO 4217")
    )

    @classmethod
    def from_validation(
        cls,
        context: Context,
        *,
        dayfirst: bool = False,
        assume_tz: tzinfo | None = None,
        default_currency: str | None = None,
    ) -> CleaningContext:
        """The cleaning context that shares a validation context's ``as_of`` and region.

        Validation's :class:`~crmcore.validation.Context` says nothing of how to read dates or
        money; give those here.
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
    )
