"""Read and check the arguments given to a :class:`~crmcore.validation.RuleSet`.

Each reader returns the argument in the one form the rule set keeps, or raises
:class:`~crmcore.InvalidValueError` naming the argument.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable
from typing import Any

from crmcore._safe import printable
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record
from crmcore.validation.issues import Severity

__all__ = [
    "RuleUsageError",
    "check_known",
    "closest",
    "name_of",
    "read_codes",
    "read_name",
    "read_record_types",
    "read_severity",
]


class RuleUsageError(InvalidValueError, TypeError):
    """A rule set method called the wrong way (``@rules.rule`` without its parentheses).

    An :class:`~crmcore.InvalidValueError`, and a ``TypeError`` as Python raises for a call
    with arguments of the wrong kind.
    """


def closest(text: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``text`` when one is close enough to be a likely typo.

    >>> closest("email.role_acount", ["email.role_account", "email.no_reply"])
    'email.role_account'
    >>> closest("acme.tier", ["email.role_account"]) is None
    True
    """
    found = difflib.get_close_matches(text, sorted(choices), n=1, cutoff=0.75)
    return found[0] if found else None


def check_known(codes: Collection[str], known: Collection[str] | None) -> None:
    """Raise :class:`~crmcore.InvalidValueError` for the first of ``codes`` not in ``known``.

    ``known`` is ``None`` when the rule set cannot tell (a rule declares no codes): then any
    code is accepted. The message names the code (a code is configuration, never data) and the
    closest known code, if any.
    """
    if known is None:
        return
    for code in sorted(codes):
        if code not in known:
            hint = closest(code, known)
            suggestion = f" (did you mean {hint}?)" if hint is not None else ""
            raise InvalidValueError(
                f"no rule reports the code {printable(code, 80)}{suggestion}", field="codes"
            )


def read_name(name: str | None) -> str | None:
    """A rule name: ``None`` (the default name) or non-empty text."""
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise InvalidValueError("a rule name is non-empty text", field="name")
    return name


def name_of(validator: Callable[..., Any]) -> str:
    """The default name of a rule: its validator's module and qualified name."""
    module = getattr(validator, "__module__", None) or "?"
    qualname = getattr(validator, "__qualname__", None) or type(validator).__qualname__
    return f"{module}.{qualname}"


def read_codes(codes: str | Iterable[str]) -> frozenset[str]:
    """One code or several, as a set of non-empty texts."""
    try:
        found = frozenset([codes] if isinstance(codes, str) else codes)
    except TypeError:  # not iterable, or unhashable items
        raise InvalidValueError("codes are non-empty text", field="codes") from None
    if not all(isinstance(code, str) and code for code in found):
        raise InvalidValueError("codes are non-empty text", field="codes")
    return found


def read_record_types(record_types: type[Any] | Iterable[type[Any]]) -> tuple[type[Any], ...]:
    """One record type or several, as a non-empty tuple of :class:`~crmcore.Record` types."""
    try:
        found = (record_types,) if isinstance(record_types, type) else tuple(record_types)
    except TypeError:  # not iterable
        raise InvalidValueError("expected record types", field="record_types") from None
    if not found or not all(isinstance(kind, type) and issubclass(kind, Record) for kind in found):
        raise InvalidValueError("expected record types", field="record_types")
    return found


def read_severity(severity: Severity | str) -> Severity:
    """A :class:`~crmcore.validation.Severity`, or its value as text in any case (``"Error"``)."""
    try:
        return Severity(severity)
    except ValueError:  # its message quotes the value: raised outside, the chain keeps none
        pass
    raise InvalidValueError("expected error, warning or info", field="severity")
