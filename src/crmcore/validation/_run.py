"""The running of a rule set's compiled plan on one record.

:func:`run` runs once per record over large batches: the caller looks the record type's plan
up once, and the issues are graded, filtered and categorised only when there are some. The
checks of the arguments and the public entry points are in :mod:`crmcore.validation.ruleset`.
"""

from __future__ import annotations

from typing import Any

import attrs

from crmcore.validation._output import crashed, well_formed
from crmcore.validation._registry import Rule
from crmcore.validation._walk import category_of
from crmcore.validation.context import Context
from crmcore.validation.issues import Issue, Report, Severity

__all__ = ["Plan", "run"]


@attrs.frozen
class Plan:
    """The rules of one record type and what to do with their issues, compiled once."""

    rules: tuple[Rule, ...]
    grades: dict[str, Severity]
    removed: frozenset[str]


def _finish(
    found: list[Issue], plan: Plan, record_id: str | None, record_type: type[Any]
) -> list[Issue]:
    finished: list[Issue] = []
    for issue in found:
        if issue.code in plan.removed:
            continue
        severity = plan.grades.get(issue.code, issue.severity)
        category = issue.category
        if category is None and issue.path:
            category = category_of(record_type, issue.path)
        finished.append(Issue(issue.path, issue.code, severity, issue.message, category, record_id))
    return finished


def run(record: Any, plan: Plan, ctx: Context) -> Report:
    """Run the rules of ``plan`` on ``record``; a validator that raises is reported."""
    record_type = type(record)
    found: list[Issue] = []
    for rule in plan.rules:
        try:
            for issue in rule.validator(record, ctx):
                found.append(well_formed(issue))
        except Exception as exc:  # a broken validator must not stop the run
            found.append(crashed(rule.name, exc))
    record_id = getattr(record, "id", None)
    if not isinstance(record_id, str):
        record_id = None
    if found:
        found = _finish(found, plan, record_id, record_type)
    return Report(record_id, record_type.__name__, found)
