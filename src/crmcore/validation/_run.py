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
from crmcore.validation.issues import Issue, Kept, Report, Severity, kept_form, sorted_kept

__all__ = ["Plan", "run"]


@attrs.frozen
class Plan:
    """The rules of one record type and what to do with their issues, compiled once."""

    rules: tuple[Rule, ...]
    grades: dict[str, Severity]
    removed: frozenset[str]


def _finish(
    found: list[Issue], plan: Plan, record_id: str | None, record_type: type[Any]
) -> tuple[str | None, ...]:
    """The issues of one record as its report keeps them: graded, filtered, categorised and
    sorted, each made once, in its kept form."""
    finished: list[Kept] = []
    removed, grades = plan.removed, plan.grades
    for issue in found:
        code = issue.code
        if code in removed:
            continue
        category = issue.category
        if category is None and issue.path:
            category = category_of(record_type, issue.path)
        finished.append(
            kept_form(
                issue.path,
                code,
                grades.get(code, issue.severity),
                issue.message,
                category,
                record_id,
            )
        )
    return sorted_kept(finished)


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
    kept = _finish(found, plan, record_id, record_type) if found else ()
    return Report._of_kept(record_id, record_type.__name__, kept)
