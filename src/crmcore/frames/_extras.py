"""Import an optional data-frame library only when it is used, naming its extra when absent."""

from __future__ import annotations

import importlib
from types import ModuleType

from crmcore.errors import CRMError

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(CRMError, ImportError):
    """An optional library is not installed; the message names the extra that installs it."""

    def __init__(self, module: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(f"{module} is not installed: pip install 'crmcore[{extra}]'")


def require(module: str, extra: str) -> ModuleType:
    """Import ``module``, or raise :class:`MissingExtraError` naming ``extra``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module, extra) from None
