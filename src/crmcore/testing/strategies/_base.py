"""Constants and building blocks shared by the strategies."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import ParamSpec, TypeVar, cast

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from crmcore.records import (
    Account,
    Activity,
    Contact,
    Deal,
    PersonName,
    Record,
)
from crmcore.testing.strategies._vocabulary import (
    _FAMILY,
    _GIVEN,
    _MIDDLE,
    _NAME_LETTERS,
    _PARTICLES,
    _PREFIXES,
    _SUFFIXES,
)

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R", bound=Record)
AnyRecord = Contact | Account | Deal | Activity

DEFAULT_PHONE_REGIONS: tuple[str, ...] = (
    *("US", "GB", "FR", "DE", "ES", "IT", "NL"),
    *("BE", "CH", "AU", "BR", "IN", "JP", "CA"),
)
"""The regions :func:`phones` draws from unless told otherwise."""

DEFAULT_CURRENCIES: tuple[str, ...] = (
    *("EUR", "USD", "GBP", "CHF", "BRL", "INR"),
    *("JPY", "KRW", "ISK", "BHD", "KWD", "TND", "CLF"),
)
"""The currencies :func:`money` draws from unless told otherwise: 0, 2, 3 and 4 minor units."""

UTC_OFFSETS: tuple[timezone, ...] = (
    timezone.utc,
    *(
        timezone(timedelta(minutes=minutes))
        for minutes in (60, 120, 330, 345, 540, 765, 840, -180, -210, -300, -480, -570, -720)
    ),
)
"""The fixed offsets :func:`aware_datetimes` attaches: UTC and twelve others, half-hours too."""

_MIN_INSTANT = datetime(1970, 1, 1)
_MAX_INSTANT = datetime(2100, 1, 1)

# -- building blocks ------------------------------------------------------------------------


def _shared(function: Callable[P, SearchStrategy[T]]) -> Callable[P, SearchStrategy[T]]:
    """Build a strategy once per distinct arguments (which must be hashable).

    Strategies are immutable values, and Hypothesis validates a strategy tree once per object:
    sharing them keeps drawing from freshly built record strategies (one per schema) fast. The
    cache is bounded, so drawing many schemas does not grow memory without end.
    """
    return cast(Callable[P, SearchStrategy[T]], functools.lru_cache(maxsize=256)(function))


def _maybe(strategy: SearchStrategy[T]) -> SearchStrategy[T | None]:
    return st.none() | strategy


def _tuples(strategy: SearchStrategy[T], max_size: int = 3) -> SearchStrategy[tuple[T, ...]]:
    return st.lists(strategy, max_size=max_size).map(tuple)


def _not_blank(text: str) -> bool:
    return bool(text.strip())


@_shared
def _free_text(max_size: int = 40) -> SearchStrategy[str]:
    """Any non-blank Unicode text that UTF-8 can encode."""
    return st.text(st.characters(codec="utf-8"), min_size=1, max_size=max_size).filter(_not_blank)


@_shared
def _text(vocabulary: tuple[str, ...], max_size: int = 40) -> SearchStrategy[str]:
    """A word from ``vocabulary`` or any non-blank text."""
    return st.sampled_from(vocabulary) | _free_text(max_size)


@_shared
def _counts(max_value: int = 100_000) -> SearchStrategy[int | None]:
    return _maybe(st.integers(0, max_value))


@_shared
def _fractions() -> SearchStrategy[float | None]:
    return _maybe(st.floats(0, 1))


@_shared
def _dates(low: date = date(1970, 1, 1), high: date = date(2100, 12, 31)) -> SearchStrategy[date]:
    return st.dates(low, high)


@_shared
def _ids(prefix: str) -> SearchStrategy[str]:
    """Record ids: ``prefix-123``, a UUID, or any non-blank text."""
    return st.one_of(
        st.integers(1, 10**9).map(lambda number: f"{prefix}-{number}"),
        st.uuids().map(str),
        _free_text(24),
    )


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


@_shared
def _name_word() -> SearchStrategy[str]:
    return st.text(_NAME_LETTERS, min_size=2, max_size=10).map(_capitalised)


def _with_particle(particle: str, word: str) -> str:
    glued = particle.endswith(("'", "-")) or particle in ("Mac", "Mc")
    return f"{particle}{word}" if glued else f"{particle} {word}"


@_shared
def _given_names() -> SearchStrategy[str]:
    hyphenated = st.builds("{}-{}".format, _name_word(), _name_word())
    return st.sampled_from(_GIVEN) | _name_word() | hyphenated


@_shared
def _family_names() -> SearchStrategy[str]:
    with_particle = st.builds(_with_particle, st.sampled_from(_PARTICLES), _name_word())
    return st.sampled_from(_FAMILY) | _name_word() | with_particle


@_shared
def _full_names() -> SearchStrategy[str]:
    return st.builds("{} {}".format, _given_names(), _family_names())


# -- instants and names ---------------------------------------------------------------------


@_shared
def aware_datetimes(
    min_value: datetime = _MIN_INSTANT, max_value: datetime = _MAX_INSTANT
) -> SearchStrategy[datetime]:
    """Timezone-aware instants at UTC or one of :data:`UTC_OFFSETS`, microseconds included.

    ``min_value`` and ``max_value`` are naive bounds on the local wall time (1970 to 2100 by
    default). The offsets are fixed, so every instant survives an ISO 8601 round trip.
    """
    if min_value.tzinfo is not None or max_value.tzinfo is not None:
        raise InvalidArgument("aware_datetimes takes naive bounds (on the local wall time)")
    return st.datetimes(min_value, max_value, timezones=st.sampled_from(UTC_OFFSETS))


@_shared
def person_names() -> SearchStrategy[PersonName]:
    """Person names in parts, any of them possibly ``None``, never blank.

    Family names carry particles and apostrophes ("de la Tour", "van der Berg", "O'Brien",
    "MacKenzie"), accents and other scripts ("Nguyễn", "Müller", "Żółkiewski"); given names are
    often hyphenated ("Anne-Sophie").
    """
    return st.builds(
        PersonName,
        prefix=_maybe(st.sampled_from(_PREFIXES)),
        given=_maybe(_given_names()),
        middle=_maybe(st.sampled_from(_MIDDLE) | _given_names()),
        family=_maybe(_family_names()),
        suffix=_maybe(st.sampled_from(_SUFFIXES)),
    )
