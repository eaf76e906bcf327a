"""The :class:`BlockingRules` registry: the blocking rules of each record type, by dotted name.

Shaped like :class:`crmcore.validation.RuleSet` and :class:`~crmcore.dedup.Comparisons`: add
rules with :meth:`BlockingRules.add` or the :meth:`BlockingRules.rule` decorator, take them out
with :meth:`BlockingRules.remove`, swap one in place with :meth:`BlockingRules.replace`, and let
plugins register theirs through the ``crmcore.blocking_rules`` entry-point group
(:meth:`BlockingRules.load_entry_points`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

import attrs

from crmcore._safe import printable
from crmcore.dedup.errors import DedupError
from crmcore.errors import InvalidValueError, MissingExtraError
from crmcore.validation._args import name_of, read_record_types
from crmcore.validation._plugins import PluginError, load_plugins

__all__ = [
    "BLOCKING_ENTRY_POINT_GROUP",
    "BlockingEntry",
    "BlockingError",
    "BlockingRule",
    "BlockingRulePluginError",
    "BlockingRules",
]

BLOCKING_ENTRY_POINT_GROUP = "crmcore.blocking_rules"
"""The entry-point group plugins list their ``register(rules)`` functions in."""

R_contra = TypeVar("R_contra", contravariant=True)
B = TypeVar("B", bound=Callable[..., Any])

_NAME = re.compile(r"[A-Za-z0-9_<>-]+(?:\.[A-Za-z0-9_<>-]+)+\Z")
MAX_WINDOW = 1000


class BlockingError(DedupError):
    """A blocking rule raised or returned something other than keys (texts)."""


class BlockingRulePluginError(DedupError, PluginError):
    """An entry point of the ``crmcore.blocking_rules`` group could not be loaded or registered.

    It is also a :class:`crmcore.validation.PluginError`, so one handler catches the failures
    of every kind of plugin.
    """


for _cls in (BlockingError, BlockingRulePluginError):
    _cls.__module__ = "crmcore.dedup"  # where users import them from


@runtime_checkable
class BlockingRule(Protocol[R_contra]):
    """A blocking rule: the keys of one record; records sharing a key become candidate pairs.

    Any callable ``(record) -> keys`` is one: the keys are texts (an iterable of ``str``, empty
    when the record has nothing the rule reads). Keys are values of the record (an email, a
    phone): they stay inside :func:`~crmcore.dedup.block` and are never reported. A rule with
    a ``window`` attribute (an integer of 2 or more) is a *sorted-neighbourhood* rule: its keys
    are sort keys, and each record is paired with the records within ``window`` places of it
    in key order.
    """

    def __call__(self, record: R_contra, /) -> Iterable[str]: ...


def _read_name(name: object) -> str:
    if not isinstance(name, str) or len(name) > 200 or not _NAME.match(name):
        raise InvalidValueError(
            "a blocking rule name is dotted, like acme.loyalty_id", field="name"
        )
    return name


def _read_window(window: object) -> int | None:
    if window is None:
        return None
    if isinstance(window, bool) or not isinstance(window, int) or not 2 <= window <= MAX_WINDOW:
        raise InvalidValueError(
            f"a window is a whole number from 2 to {MAX_WINDOW}", field="window"
        )
    return window


@attrs.frozen
class BlockingEntry:
    """One blocking rule registered in a :class:`BlockingRules`, with its name.

    ``window`` is ``None`` for a key rule (records sharing a key are paired) and the window
    size for a sorted-neighbourhood rule.
    """

    name: str
    record_types: tuple[type[Any], ...]
    rule: BlockingRule[Any]
    window: int | None = None

    def applies_to(self, record_type: type[Any]) -> bool:
        """Whether the rule blocks records of ``record_type`` (subclasses included)."""
        return issubclass(record_type, self.record_types)

    def keys(self, record: Any) -> tuple[str, ...]:
        """The rule's keys for ``record``, distinct and sorted, checked.

        A rule that raises or answers something other than texts raises
        :class:`~crmcore.dedup.BlockingError` naming the rule and the record id, never a value.
        """
        failed: str | None = None
        keys: tuple[Any, ...] = ()
        try:
            found = self.rule(record)
            keys = (found,) if isinstance(found, str) else tuple(found)
        except (DedupError, MissingExtraError):  # ours, safe to pass on
            raise
        except Exception as exc:  # its message may quote the record: raised outside, no chain
            failed = type(exc).__name__
        if failed is not None:
            raise BlockingError(f"{self._where(record)} raised {failed}")
        if len(keys) == 1:  # most records have one key or none: checked without a loop
            if not isinstance(keys[0], str):
                raise BlockingError(f"{self._where(record)} returned a key that is not text")
            return keys if keys[0] else ()
        if not all(isinstance(key, str) for key in keys):
            raise BlockingError(f"{self._where(record)} returned a key that is not text")
        return tuple(sorted({key for key in keys if key}))

    def keys_many(self, records: Sequence[Any]) -> list[tuple[str, ...]]:
        """:meth:`keys` of each of ``records``, in order: the same keys and the same errors.

        The rule's answers are read in one loop; an answer that is not a plain tuple of
        non-empty texts (or that raised) is read again by :meth:`keys`, which checks it.
        """
        rule = self.rule
        found: list[tuple[str, ...]] = []
        append = found.append
        position = 0
        while position < len(records):
            failed = False
            try:
                for record in records[position:] if position else records:
                    keys = rule(record)
                    position += 1
                    if type(keys) is tuple:
                        # most answers are no key or one: checked without a loop
                        size = len(keys)
                        if size == 0 or (size == 1 and type(keys[0]) is str and keys[0]):
                            append(keys)
                            continue
                        if size > 1 and all(type(key) is str and key for key in keys):
                            append(tuple(sorted(set(keys))))
                            continue
                    append(self.keys(record))
            except (DedupError, MissingExtraError):
                raise
            except Exception:  # read again below by keys(), which names the rule, not a value
                failed = True
            if failed:  # outside the handler: the error raised has no chained exception
                append(self.keys(records[position]))
                position += 1
        return found

    def _where(self, record: Any) -> str:
        record_id = printable(str(getattr(record, "id", "?")), 100)
        return f"blocking rule {self.name} on record {record_id}"


class BlockingRules:
    """The blocking rules of each record type, by dotted name, in the order they were added.

    Make one with :func:`~crmcore.dedup.default_blocking_rules` (every built-in rule) or
    empty, then extend it:

    >>> from crmcore import Contact
    >>> rules = BlockingRules()
    >>> @rules.rule(Contact, name="acme.loyalty_id")
    ... def loyalty_id(record):
    ...     tier = record.descriptive.custom.get("loyalty_id")
    ...     return [tier] if isinstance(tier, str) else []
    >>> rules.names
    ('acme.loyalty_id',)
    """

    def __init__(self, entries: Iterable[BlockingEntry] = ()) -> None:
        self._entries: dict[str, BlockingEntry] = {}
        self._loaded: set[str] = set()
        for entry in entries:
            self._insert(entry)

    # -- registering ---------------------------------------------------------------------------

    def rule(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        *,
        name: str | None = None,
        window: int | None = None,
    ) -> Callable[[B], B]:
        """Register the decorated function as a blocking rule of ``record_type`` (or types).

        ``name`` defaults to its module and qualified name; ``window`` makes it a
        sorted-neighbourhood rule (else its ``window`` attribute, if any).
        """

        def decorate(rule: B) -> B:
            self.add(record_type, rule, name=name, window=window)
            return rule

        return decorate

    def add(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        rule: BlockingRule[Any],
        *,
        name: str | None = None,
        window: int | None = None,
    ) -> BlockingEntry:
        """Register ``rule`` for ``record_type`` (or types) and return its entry.

        A name is registered once: :meth:`replace` swaps the rule of a registered name.
        """
        entry = self._build(record_type, rule, name, window)
        self._insert(entry)
        return entry

    def _build(
        self,
        record_type: type[Any] | Iterable[type[Any]],
        rule: BlockingRule[Any],
        name: str | None,
        window: int | None,
    ) -> BlockingEntry:
        if not callable(rule):
            raise InvalidValueError("a blocking rule is a callable", field="rule")
        if window is None:
            window = getattr(rule, "window", None)
        return BlockingEntry(
            _read_name(name if name is not None else name_of(rule)),
            read_record_types(record_type),
            rule,
            _read_window(window),
        )

    def _insert(self, entry: BlockingEntry) -> None:
        if not isinstance(entry, BlockingEntry):
            raise InvalidValueError("expected BlockingEntry values", field="rules")
        if entry.name in self._entries:
            raise InvalidValueError(f"a blocking rule named {entry.name} is already registered")
        self._entries[entry.name] = entry

    def remove(self, rule: str | Callable[..., Any]) -> None:
        """Unregister a rule by name or by its callable; ``KeyError`` if absent."""
        if isinstance(rule, str):
            names = [rule] if rule in self._entries else []
        else:
            names = [name for name, found in self._entries.items() if found.rule is rule]
        if not names:
            raise KeyError(rule if isinstance(rule, str) else name_of(rule))
        for name in names:
            del self._entries[name]

    def replace(
        self,
        name: str,
        rule: BlockingRule[Any],
        *,
        record_type: type[Any] | Iterable[type[Any]] | None = None,
        window: int | None = None,
    ) -> BlockingEntry:
        """Put ``rule`` in place of the rule named ``name``, at the same position.

        Its record types stay unless ``record_type`` is given; ``KeyError`` if ``name`` is absent.
        """
        old = self._entries[name]
        new = self._build(
            old.record_types if record_type is None else record_type, rule, name, window
        )
        self._entries[name] = new
        return new

    def load_entry_points(
        self, group: str = BLOCKING_ENTRY_POINT_GROUP, *, names: Collection[str] | None = None
    ) -> tuple[str, ...]:
        """Load the plugins of ``group`` and return the names of those loaded now.

        Each entry point must resolve to a callable ``register(rules)`` that adds its rules
        (and may remove or replace others). Entry points load in name order, each once per
        registry; ``names`` limits loading to those entry-point names. A plugin that fails to
        load or to register raises :class:`~crmcore.dedup.BlockingRulePluginError` naming it.
        """
        return load_plugins(
            self, group, names, self._loaded, noun="blocking rule", error=BlockingRulePluginError
        )

    # -- reading -------------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[BlockingEntry, ...]:
        """Every registered rule, in the order they were added."""
        return tuple(self._entries.values())

    @property
    def names(self) -> tuple[str, ...]:
        """The names of every rule, in order."""
        return tuple(self._entries)

    def for_type(self, record_type: type[Any]) -> tuple[BlockingEntry, ...]:
        """The rules that block records of ``record_type``, in order."""
        return tuple(e for e in self._entries.values() if e.applies_to(record_type))

    def __getitem__(self, name: str) -> BlockingEntry:
        return self._entries[name]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[BlockingEntry]:
        return iter(tuple(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def copy(self) -> BlockingRules:
        """An independent copy: changing one does not change the other."""
        other = BlockingRules(self._entries.values())
        other._loaded = set(self._loaded)
        return other

    def __repr__(self) -> str:
        return f"BlockingRules(<{len(self._entries)} rule(s)>)"
