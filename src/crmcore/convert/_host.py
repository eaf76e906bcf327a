"""What the hook modules need of the converter that registers them, as a ``Protocol``.

The hook modules (:mod:`crmcore.convert._values`, :mod:`crmcore.convert._custom`) are handed
the converter when they are used; naming its type through this protocol keeps them from
importing the converter module back, so the imports of the package read one way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Protocol

import cattrs

from crmcore.records.custom import CustomSchema

__all__ = ["ConverterHost"]


class ConverterHost(Protocol):
    """The part of :class:`crmcore.convert.Converter` that its hook modules use."""

    cattrs: cattrs.Converter
    identity_prepare: dict[type[Any], Callable[[Any], Any]]

    @property
    def schemas(self) -> Mapping[type[Any], CustomSchema]:
        """The custom-field schema of each record type that has one."""
        ...

    def read_date(self, value: Any, *, past: bool = False) -> date:
        """Read a date with the converter's options."""
        ...

    def read_datetime(self, value: Any) -> datetime:
        """Read a timezone-aware instant with the converter's options."""
        ...

    def _register(
        self, cls: type[Any], prepare: Callable[[Any], Any] | None, overrides: dict[str, Any]
    ) -> None:
        """Register generated functions for ``cls``."""
        ...
