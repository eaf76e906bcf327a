"""What the runner makes of a validator's output: well-formed issues, or a crash.

A validator that raises, or yields something other than a well-formed :class:`Issue`, is
reported as one ``validator.crashed`` issue naming its rule, and the run goes on.
"""

from __future__ import annotations

from crmcore.records._meta import Category
from crmcore.validation.issues import Code, Issue, Severity

__all__ = ["VALIDATOR_CRASHED", "BadOutput", "crashed", "well_formed"]

VALIDATOR_CRASHED = Code(
    "validator.crashed",
    Severity.ERROR,
    "a validator raised an unexpected exception; its other checks of the record were skipped",
)


class BadOutput(Exception):
    """A validator yielded something that is not a well-formed :class:`Issue`."""


def well_formed(issue: object) -> Issue:
    """``issue`` itself if it is a well-formed :class:`Issue`; else raise :class:`BadOutput`."""
    if (
        isinstance(issue, Issue)
        and isinstance(issue.path, str)
        and isinstance(issue.code, str)
        and isinstance(issue.severity, Severity)
        and isinstance(issue.message, str)
        and (issue.category is None or isinstance(issue.category, Category))
    ):
        return issue
    raise BadOutput


def crashed(rule_name: str, exc: Exception) -> Issue:
    """The ``validator.crashed`` issue of the rule named ``rule_name``, which raised ``exc``."""
    if isinstance(exc, BadOutput):
        message = f"validator {rule_name} returned something other than issues"
    else:
        message = f"validator {rule_name} raised {type(exc).__name__}"
    return VALIDATOR_CRASHED.issue("", None, message)
