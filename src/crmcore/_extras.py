"""Import an optional library when it is first needed, or say which extra installs it."""

from __future__ import annotations

import importlib
from types import ModuleType

from crmcore.errors import MissingExtraError

__all__ = ["require"]


def require(module: str, extra: str, *, needed_for: str | None = None) -> ModuleType:
    """Import ``module``, or raise :class:`~crmcore.errors.MissingExtraError` naming ``extra``.

    The error names the package ``module`` is part of (``rapidfuzz`` for
    ``rapidfuzz.distance``), the one to install; ``needed_for`` says in the message what
    needs it (``"this comparator"``).

    >>> require("json", "none").__name__
    'json'
    >>> require("crmcore_no_such_module", "frames")
    Traceback (most recent call last):
    ...
    crmcore.errors.MissingExtraError: crmcore_no_such_module is not installed: pip install 'crmcore[frames]'
    """  # noqa: E501
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.partition(".")[0]
        raise MissingExtraError(package, extra, needed_for=needed_for) from None
