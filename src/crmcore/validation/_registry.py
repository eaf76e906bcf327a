"""What a rule is, and what the ``register`` functions of rule modules need from a rule set.

This module sits below :mod:`crmcore.validation.ruleset` and the rule modules (``emails``,
``phones``, ...): they name a rule set through the :class:`Registry` protocol, so the imports
read one way, from :mod:`~crmcore.validation.ruleset` down to the rule modules and from them
down to here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

import attrs

from crmcore.validation.context import Context
from crmcore.validation.issues import Issue

__all__ = ["Registry", "Rule", "Validator"]

R_contra = TypeVar("R_contra", contravariant=True)


class Validator(Protocol[R_contra]):
    """The signature of a validator: a record and a context in, issues out.

    A validator reports every problem it finds (it never stops at the first) and never
    quotes a value in a message. It may return any iterable, a generator included.
    """

    def __call__(self, record: R_contra, ctx: Context, /) -> Iterable[Issue]: ...


@attrs.frozen
class Rule:
    """One validator registered in a :class:`~crmcore.validation.RuleSet`.

    ``codes`` are the codes it may emit; when every one of them is removed, the validator is
    not run at all. An empty ``codes`` means "not declared": the validator always runs.
    """

    name: str
    record_types: tuple[type[Any], ...]
    validator: Validator[Any]
    codes: frozenset[str] = frozenset()

    def applies_to(self, record_type: type[Any]) -> bool:
        """Whether the rule checks records of ``record_type`` (subclasses included)."""
        return issubclass(record_type, self.record_types)


class Registry(Protocol):
    """What a ``register(ruleset)`` function may call: :meth:`RuleSet.add
    <crmcore.validation.RuleSet.add>`, the one method the built-in rule modules use."""

    def add(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        validator: Validator[Any],
        *,
        codes: str | Iterable[str] = (),
        name: str | None = None,
    ) -> Rule: ...


Validator.__module__ = Rule.__module__ = "crmcore.validation"  # where users import them from
