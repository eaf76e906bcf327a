"""The record stage: a :class:`Pipeline` of named steps, each a small pure function.

A step takes a record and the :class:`CleaningContext` and returns the record (the very same
object when it changed nothing) and the list of :class:`Change` it made. A pipeline runs its
steps in order and gathers their changes, sorted by path then rule.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeVar, cast

import attrs

from crmcore._parallel import DEFAULT_CHUNK_SIZE, run_many
from crmcore._safe import is_field_like
from crmcore.cleaning.changes import Change, CleanResult, sorted_changes
from crmcore.cleaning.contact_points import (
    merge_contact_points,
    normalise_emails,
    phones_to_e164,
)
from crmcore.cleaning.context import CleaningContext
from crmcore.cleaning.duplicates import drop_duplicate_texts
from crmcore.cleaning.errors import CleaningError
from crmcore.cleaning.names import case_names
from crmcore.cleaning.text import clean_text
from crmcore.errors import InvalidValueError, Problem
from crmcore.records._base import Record
from crmcore.records.values import QuarantinedValue

__all__ = ["Pipeline", "Step", "clean", "clean_many", "default_pipeline"]

R = TypeVar("R", bound=Record)


class Step(Protocol):
    """The signature of a cleaning step: ``(record, ctx) -> (record, changes)``.

    A step is pure: it returns a new record rather than changing one (records are frozen), and
    returns the very same record when it has nothing to change. Each change it reports names
    the path, a stable rule code, the value before and after, and whether it may be personal
    (build it with :func:`crmcore.cleaning.change` to take that from the field metadata).
    """

    def __call__(
        self, record: Record, ctx: CleaningContext, /
    ) -> tuple[Record, Sequence[Change]]: ...


def _steps(value: Iterable[tuple[str, Step]]) -> tuple[tuple[str, Step], ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidValueError("expected a list of (name, step) pairs", field="steps")
    steps: tuple[tuple[Any, Any], ...] | None = None
    with contextlib.suppress(TypeError, ValueError):  # raised outside: an empty chain
        steps = tuple((name, step) for name, step in value)
    if steps is None:
        raise InvalidValueError("expected a list of (name, step) pairs", field="steps")
    names = [name for name, _ in steps]
    for name, step in steps:
        if not isinstance(name, str) or not name:
            raise InvalidValueError("each step needs a name", field="steps")
        if not callable(step):
            shown = name if is_field_like(name) else "of that name"
            raise InvalidValueError(f"step {shown} is not callable", field="steps")
    if len(set(names)) != len(names):
        raise InvalidValueError("step names must be unique", field="steps")
    return steps


@attrs.frozen
class Pipeline:
    """An ordered list of named cleaning steps; build one, or start from :func:`default_pipeline`.

    A pipeline is immutable: :meth:`add`, :meth:`remove` and :meth:`replace` return a new one.

    >>> pipeline = default_pipeline().remove("name_case")
    >>> pipeline.names
    ('text', 'email.normalise', 'phone.e164', 'contact_point.merge', 'duplicate')
    """

    steps: tuple[tuple[str, Step], ...] = attrs.field(default=(), converter=_steps)

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the steps, in the order they run."""
        return tuple(name for name, _ in self.steps)

    def _index(self, name: str) -> int:
        if not isinstance(name, str):
            raise InvalidValueError("a step name is text", field="steps")
        if name in self.names:
            return self.names.index(name)
        shown = name if is_field_like(name) else "of that name"
        raise InvalidValueError(f"no step {shown}", field="steps")

    def add(
        self, name: str, step: Step, *, before: str | None = None, after: str | None = None
    ) -> Pipeline:
        """A copy with ``step`` added as ``name``: last, or just ``before``/``after`` a step."""
        if before is not None and after is not None:
            raise InvalidValueError("give before or after, not both", field="steps")
        steps = list(self.steps)
        if before is not None:
            position = self._index(before)
        elif after is not None:
            position = self._index(after) + 1
        else:
            position = len(steps)
        steps.insert(position, (name, step))
        return Pipeline(steps)

    def remove(self, name: str) -> Pipeline:
        """A copy without the step ``name``."""
        position = self._index(name)
        return Pipeline(self.steps[:position] + self.steps[position + 1 :])

    def replace(self, name: str, step: Step) -> Pipeline:
        """A copy with the step ``name`` replaced by ``step``, at the same place."""
        position = self._index(name)
        steps = list(self.steps)
        steps[position] = (name, step)
        return Pipeline(steps)

    def run(self, record: R, ctx: CleaningContext | None = None) -> CleanResult[R]:
        """Run every step on ``record``; return the cleaned record and every change made."""
        if not isinstance(record, Record):
            raise CleaningError(
                "a value", [Problem("", "expected a crmcore record (clean_raw reads raw data)")]
            )
        context = ctx if ctx is not None else CleaningContext()
        if not isinstance(context, CleaningContext):
            raise InvalidValueError("expected a CleaningContext", field="ctx")
        current, changes, quarantined = self._apply(record, context)
        return CleanResult(cast(Any, current), sorted_changes(changes), quarantined)

    def _apply(
        self, record: R, context: CleaningContext
    ) -> tuple[R, list[Change], tuple[QuarantinedValue, ...]]:
        """:meth:`run` on arguments already checked: the cleaned record, the changes in the
        order the steps made them (not sorted), and the values the steps set aside.

        ``clean_raw`` runs its record stage through this, and sorts the changes once, with
        its own.
        """
        current: Record = record
        changes: list[Change] = []
        for name, step in self.steps:
            result, made = step(current, context)
            if type(result) is not type(record):
                what = type(record).__name__
                raise CleaningError(what, [Problem("", f"step {name} did not return a {what}")])
            current = result
            changes.extend(made)
        quarantined: tuple[QuarantinedValue, ...] = ()
        if current.quarantine is not record.quarantine:
            before = set(record.quarantine)
            quarantined = tuple(item for item in current.quarantine if item not in before)
        return cast(Any, current), changes, quarantined


def default_pipeline() -> Pipeline:
    """A new pipeline with the built-in steps, in order.

    ``text`` (mojibake, surrogate, control, nfc, whitespace, blank), ``name_case``,
    ``email.normalise``, ``phone.e164``, ``contact_point.merge``, ``duplicate``.
    """
    return Pipeline(
        (
            ("text", clean_text),
            ("name_case", case_names),
            ("email.normalise", normalise_emails),
            ("phone.e164", phones_to_e164),
            ("contact_point.merge", merge_contact_points),
            ("duplicate", drop_duplicate_texts),
        )
    )


def clean(
    record: R, ctx: CleaningContext | None = None, *, pipeline: Pipeline | None = None
) -> CleanResult[R]:
    """Clean a record with ``pipeline`` (a new :func:`default_pipeline` when not given).

    >>> from crmcore import Contact, ContactIdentity, PersonName, EmailAddress
    >>> messy = Contact("c-1", ContactIdentity(
    ...     name=PersonName(given=" JEAN-PIERRE ", family="DE LA TOUR"),
    ...     emails=(EmailAddress("Jean@EXAMPLE.com"), EmailAddress("jean@example.com")),
    ... ))
    >>> result = clean(messy)
    >>> result.record.identity.name.display
    'Jean-Pierre de la Tour'
    >>> [email.address for email in result.record.identity.emails]
    ['Jean@example.com', 'jean@example.com']
    >>> clean(result.record).changes
    ()
    """
    if pipeline is not None and not isinstance(pipeline, Pipeline):
        raise InvalidValueError("expected a Pipeline", field="pipeline")
    return (pipeline if pipeline is not None else _DEFAULT).run(record, ctx)


def clean_many(
    records: Iterable[R],
    ctx: CleaningContext | None = None,
    *,
    pipeline: Pipeline | None = None,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int], object] | None = None,
) -> Iterator[CleanResult[R]]:
    """:func:`clean` each of ``records``; yield the results lazily, in order.

    ``workers`` greater than 1 cleans in that many processes (0: one per core), in chunks of
    ``chunk_size`` records, with the same results in the same order and no more than a few
    chunks in memory; the pipeline's steps and the context must then pickle. A record that
    fails in a worker raises :class:`~crmcore.WorkerError` naming its place in ``records``.
    ``progress`` is called with the number of records done so far, after each chunk.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> name = ContactIdentity(name=PersonName(given=" ADA "))
    >>> contacts = [Contact(f"c-{n}", name) for n in (1, 2)]
    >>> [result.record.identity.name.given for result in clean_many(contacts)]
    ['Ada', 'Ada']
    """
    if ctx is not None and not isinstance(ctx, CleaningContext):
        raise InvalidValueError("expected a CleaningContext", field="ctx")
    if pipeline is not None and not isinstance(pipeline, Pipeline):
        raise InvalidValueError("expected a Pipeline", field="pipeline")
    one = functools.partial(clean, ctx=ctx, pipeline=pipeline)
    return run_many(one, records, workers=workers, chunk_size=chunk_size, progress=progress)


_DEFAULT = default_pipeline()
