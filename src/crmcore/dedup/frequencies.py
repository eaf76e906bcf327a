"""Term-frequency adjustment: an agreement on a rare value weighs more than on a common one.

Two strangers share the name *John Smith* far more often than *Zbigniew Brzęczyszczykiewicz*,
so agreeing on the first is weaker evidence. For a comparison with a :class:`TermAdjustment`,
each record gives a *term* (a normalised value: the folded full name, the birth date, ...);
:func:`term_frequencies` counts how often each term occurs among the records. A pair at one of
the adjusted levels (``exact`` by default) then gets, on top of its level's weight
``log2(m / u)``, the adjustment ``log2(u / f)``, ``f`` the frequency of its term (the larger of
the two sides'), as Splink does: its weight becomes ``log2(m / f)``.

Terms are kept as short digests, never as text, and a term seen once is not kept at all (its
frequency is one over the records counted). A digest of a common name can still be guessed
from a list of names: treat a model holding term frequencies as personal data.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from crmcore.dedup.comparisons import read_levels
from crmcore.dedup.context import CompareContext
from crmcore.dedup.dates import Dates, birth_dates
from crmcore.dedup.errors import DedupError
from crmcore.dedup.names import PersonNames, _parts
from crmcore.dedup.organisations import company_names
from crmcore.errors import InvalidValueError
from crmcore.records._base import Record
from crmcore.records.contact import Contact

__all__ = [
    "TermAdjustment",
    "TermFrequencies",
    "TermTable",
    "birth_date_term",
    "default_term_adjustments",
    "full_name_term",
    "organisation_name_term",
    "term_digest",
    "term_frequencies",
]

TermFunction = Callable[[Any], "str | None"]


def term_digest(term: str) -> str:
    """The digest a term is kept as: 16 hexadecimal digits, the same in every run.

    >>> term_digest("john|smith")
    '0c6da3d260b217ed'
    """
    return hashlib.blake2b(term.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def full_name_term(record: Any) -> str | None:
    """The folded given and family names of a person (``"jean pierre|dupont"``), or ``None``."""
    return _name_term(_parts(record))


def _name_term(parts: tuple[str | None, str | None] | None) -> str | None:
    """:func:`full_name_term` of the names :func:`~crmcore.dedup.person_names` prepares."""
    if parts is None:
        return None
    return f"{parts[0] or ''}|{parts[1] or ''}"


_BIRTH_DATES = birth_dates()
_COMPANY_NAMES = company_names()
_CTX = CompareContext()


def birth_date_term(record: Any) -> str | None:
    """A person's birth dates as ``YYYY-MM-DD`` (several joined by ``|``), or ``None``."""
    return _dates_term(_BIRTH_DATES.prepare(record, _CTX))


def _dates_term(found: frozenset[tuple[int, int, int]] | None) -> str | None:
    """:func:`birth_date_term` of the dates :func:`~crmcore.dedup.birth_dates` prepares."""
    if not found:
        return None
    return "|".join(f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in sorted(found))


def prepared_term(
    adjustment: TermAdjustment, comparator: object
) -> Callable[[Any], str | None] | None:
    """``adjustment``'s term as a function of what ``comparator`` prepares of a record, or
    ``None``.

    Offered where the term is a built-in one that reads what the comparator prepares (the
    full name of :func:`~crmcore.dedup.person_names`, the birth dates of
    :func:`~crmcore.dedup.birth_dates`): the term is then made once per distinct prepared
    value, from values prepared for the comparison anyway, not once per record. A
    comparator of a subclass may prepare otherwise: only the built-in types count.
    """
    if adjustment.term is full_name_term and type(comparator) is PersonNames:
        return _name_term
    if adjustment.term is birth_date_term and type(comparator) is Dates:
        return _dates_term if comparator.path == _BIRTH_DATES.path else None
    return None


def organisation_name_term(record: Any) -> str | None:
    """An organisation's names without legal forms (several joined by ``|``), or ``None``."""
    found = _COMPANY_NAMES.prepare(record, _CTX)
    return "|".join(found) if found else None


def _read_comparison(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidValueError("a term adjustment names its comparison", field="comparison")
    return value


def _read_adjusted(value: object) -> tuple[str, ...]:
    found = read_levels(value)[:-1] if not isinstance(value, str) else ()
    if not found:
        raise InvalidValueError("name the levels to adjust, null aside", field="levels")
    return found


@attrs.frozen
class TermAdjustment:
    """Weigh the agreements of ``comparison`` by the frequency of each record's ``term``.

    ``term`` is a plain callable ``(record) -> str | None`` returning the normalised value
    the comparison agrees on (``None`` when the record has none); ``levels`` are the levels
    adjusted, ``exact`` by default (the level where both sides share the term).
    """

    comparison: str = attrs.field(converter=_read_comparison)
    term: TermFunction = attrs.field()
    levels: tuple[str, ...] = attrs.field(default=("exact",), converter=_read_adjusted)
    record_types: tuple[type[Any], ...] = (Record,)

    @term.validator
    def _check_term(self, _: Any, value: object) -> None:
        if not callable(value):
            raise InvalidValueError("a term function is a callable", field="term")

    def applies_to(self, record_type: type[Any]) -> bool:
        """Whether the adjustment reads records of ``record_type``."""
        return issubclass(record_type, self.record_types)

    def digests(self, records: Sequence[Record]) -> dict[str, str]:
        """The digest of each record's term, by record id (records without a term left out).

        A term function that raises, or returns something other than text, raises
        :class:`~crmcore.dedup.DedupError` naming the comparison and the record id.
        """
        found: dict[str, str] = {}
        for record in records:
            failed: str | None = None
            try:
                term = self.term(record)
            except Exception as exc:  # its message may quote the record: raised outside
                failed = type(exc).__name__
            if failed is not None:
                raise DedupError(
                    f"the term of comparison {self.comparison} raised {failed} on a record "
                    f"({_id(record)})"
                )
            if term is None or term == "":
                continue
            if not isinstance(term, str):
                raise DedupError(
                    f"the term of comparison {self.comparison} is not text ({_id(record)})"
                )
            found[record.id] = term_digest(term)
        return found


def _id(record: Record) -> str:
    from crmcore._safe import printable

    return f"record {printable(record.id, 100)!r}"


def default_term_adjustments() -> tuple[TermAdjustment, ...]:
    """The built-in adjustments: full names and birth dates of contacts.

    Account names are not adjusted by default: on a generated set of 120 accounts the
    adjustment took exact names of duplicates for common ones (the duplicates themselves
    make a name appear twice) and cost five of six known pairs at 0.9. Give
    ``TermAdjustment("crmcore.organisation_name", organisation_name_term,
    record_types=(Account,))`` to ``fit(adjustments=...)`` to try it on your data.

    >>> [a.comparison for a in default_term_adjustments()]
    ['crmcore.name', 'crmcore.birth_date']
    """
    return (
        TermAdjustment("crmcore.name", full_name_term, record_types=(Contact,)),
        TermAdjustment("crmcore.birth_date", birth_date_term, record_types=(Contact,)),
    )


def _read_counts(value: object, comparison: str) -> tuple[tuple[str, int], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise DedupError(f"the term counts of {comparison} are not a mapping")
    found: dict[str, int] = {}
    for item in items:
        if not isinstance(item, Sequence) or isinstance(item, (str, bytes)) or len(item) != 2:
            raise DedupError(f"the term counts of {comparison} hold a bad entry")
        digest, count = item
        if not isinstance(digest, str) or len(digest) != 16 or digest in found:
            raise DedupError(f"the term counts of {comparison} hold a bad digest")
        if isinstance(count, bool) or not isinstance(count, int) or count < 2:
            raise DedupError(f"the term counts of {comparison} hold a count below 2")
        found[digest] = count
    return tuple(sorted(found.items()))


@attrs.frozen
class TermTable:
    """How often each term of one comparison occurs: counts of the terms seen twice or more.

    ``records`` is the number of records that had a term; a term not in ``counts`` counts
    once. ``levels`` are the levels the adjustment applies to.
    """

    comparison: str
    levels: tuple[str, ...]
    records: int
    counts: tuple[tuple[str, int], ...] = attrs.field(repr=lambda counts: f"<{len(counts)} terms>")
    _index: Mapping[str, int] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        hash=False,
        factory=dict,
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.comparison, str) or not self.comparison:
            raise DedupError("a term table names its comparison")
        if isinstance(self.levels, (str, bytes)) or not isinstance(self.levels, Sequence):
            raise DedupError(f"the term table of {self.comparison} lists its levels")
        if not self.levels or not all(isinstance(level, str) for level in self.levels):
            raise DedupError(f"the term table of {self.comparison} lists its levels")
        object.__setattr__(self, "levels", tuple(self.levels))
        if isinstance(self.records, bool) or not isinstance(self.records, int) or self.records < 0:
            raise DedupError(f"the term table of {self.comparison} counts no records")
        counts = _read_counts(self.counts, self.comparison)
        if sum(count for _, count in counts) > self.records:
            raise DedupError(f"the term table of {self.comparison} counts more terms than records")
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "_index", dict(counts))

    def frequency(self, digest: str) -> float:
        """The share of the records whose term has ``digest`` (one record's share if unseen)."""
        if self.records == 0:
            return 1.0
        return self._index.get(digest, 1) / self.records


@attrs.frozen
class TermFrequencies:
    """The term tables of a record type's adjusted comparisons, kept in a model.

    >>> from crmcore import Contact, ContactIdentity, PersonName
    >>> people = [Contact(f"c-{n}", ContactIdentity(name=PersonName(given="John", family=family)))
    ...           for n, family in enumerate(["Smith", "Smith", "Smith", "Zbigniew"])]
    >>> tf = term_frequencies(people)
    >>> table = tf.table("crmcore.name")
    >>> table.records, table.frequency(term_digest("john|smith")), table.frequency(term_digest("x"))
    (4, 0.75, 0.25)
    >>> TermFrequencies.from_dict(tf.to_dict()) == tf
    True
    """

    record_type: str
    tables: tuple[TermTable, ...]

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.record_type, str) or not self.record_type:
            raise DedupError("term frequencies name their record type")
        if isinstance(self.tables, (str, bytes)) or not isinstance(self.tables, Iterable):
            raise DedupError("term frequencies hold term tables")
        tables = tuple(self.tables)
        if not all(isinstance(table, TermTable) for table in tables):
            raise DedupError("term frequencies hold term tables")
        names = [table.comparison for table in tables]
        if len(set(names)) != len(names):
            raise DedupError("term frequencies hold one table per comparison")
        object.__setattr__(self, "tables", tables)

    @property
    def names(self) -> tuple[str, ...]:
        """The comparisons adjusted, in order."""
        return tuple(table.comparison for table in self.tables)

    def table(self, comparison: str) -> TermTable:
        """The table of ``comparison``; :class:`~crmcore.dedup.DedupError` when there is none."""
        for table in self.tables:
            if table.comparison == comparison:
                return table
        raise DedupError(f"no term frequencies for comparison {comparison}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict: comparison names, levels, counts of term digests (no values)."""
        return {
            "record_type": self.record_type,
            "tables": [
                {
                    "comparison": table.comparison,
                    "levels": list(table.levels),
                    "records": table.records,
                    "counts": dict(table.counts),
                }
                for table in self.tables
            ],
        }

    @classmethod
    def from_dict(cls, data: object) -> TermFrequencies:
        """Read what :meth:`to_dict` wrote; :class:`~crmcore.dedup.DedupError` when it cannot."""
        if not isinstance(data, Mapping) or set(data) != {"record_type", "tables"}:
            raise DedupError("term frequencies are a mapping of record_type and tables")
        tables = data["tables"]
        if isinstance(tables, (str, bytes, Mapping)) or not isinstance(tables, Iterable):
            raise DedupError("term frequencies list their tables")
        found = []
        for position, item in enumerate(tables):
            if not isinstance(item, Mapping) or set(item) != {
                "comparison",
                "levels",
                "records",
                "counts",
            }:
                raise DedupError(f"tables[{position}] is not a term table")
            found.append(
                TermTable(item["comparison"], item["levels"], item["records"], item["counts"])
            )
        return cls(data["record_type"], tuple(found))


def _read_adjustments(
    adjustments: Iterable[TermAdjustment] | None, record_type: type[Any]
) -> tuple[TermAdjustment, ...]:
    if adjustments is None:
        adjustments = default_term_adjustments()
    if isinstance(adjustments, (str, bytes, Mapping)) or not isinstance(adjustments, Iterable):
        raise InvalidValueError("expected TermAdjustment values", field="adjustments")
    found = tuple(adjustments)
    if not all(isinstance(adjustment, TermAdjustment) for adjustment in found):
        raise InvalidValueError("expected TermAdjustment values", field="adjustments")
    chosen = tuple(a for a in found if a.applies_to(record_type))
    names = [a.comparison for a in chosen]
    if len(set(names)) != len(names):
        raise InvalidValueError("one term adjustment per comparison", field="adjustments")
    return chosen


def term_frequencies(
    records: Iterable[Record],
    adjustments: Iterable[TermAdjustment] | None = None,
    *,
    comparisons: Iterable[str] | None = None,
) -> TermFrequencies:
    """Count the terms of ``records`` for each adjustment of their type.

    ``adjustments`` defaults to :func:`default_term_adjustments`; ``comparisons``, when
    given, keeps only the adjustments of those comparison names. Records are crmcore records
    of one type with distinct ids (else a :class:`~crmcore.CRMError` naming the id).
    """
    from crmcore.dedup._vectors import read_records

    found = read_records(records)
    record_type = type(found[0]) if found else Record
    chosen = _read_adjustments(adjustments, record_type)
    if comparisons is not None:
        wanted = set(comparisons)
        chosen = tuple(a for a in chosen if a.comparison in wanted)
    tables = [term_table(a, Counter(a.digests(found).values())) for a in chosen]
    return TermFrequencies(record_type.__name__, tuple(tables))


def term_table(adjustment: TermAdjustment, counts: Mapping[str, int]) -> TermTable:
    """The table of ``adjustment`` from how many records have each term digest."""
    return TermTable(
        adjustment.comparison,
        adjustment.levels,
        sum(counts.values()),
        tuple((digest, count) for digest, count in counts.items() if count > 1),
    )
