"""Records to and from JSON-safe dicts, through one cattrs converter that users can extend.

Output is JSON-safe: ISO 8601 dates, Decimal as a string, enums by value, tuples as lists.
Input is read leniently, as it comes from ETL sources (see :mod:`crmcore.convert._lenient`),
and every failing path is reported at once in one :class:`~crmcore.errors.ConversionError`.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, tzinfo
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal, TypeVar, get_args, overload

import attrs
import cattrs
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from crmcore._iso import CURRENCY_CODES
from crmcore.convert import _lenient as read
from crmcore.convert import _limits as limits
from crmcore.convert import _options as options
from crmcore.convert._custom import CustomHooks
from crmcore.convert._date_order import date_order
from crmcore.convert._errors_walk import NestedProblems, key_problems, problems_of
from crmcore.convert._locale import DecimalSeparator, NumberStyle, done, reading
from crmcore.convert._missing import blank_composite, composite_parts, is_missing
from crmcore.convert._prebuilt import Prebuilt
from crmcore.convert._shared import VALUE_SHARED, SharedValues
from crmcore.convert._values import ValueHooks, address_region
from crmcore.errors import ConversionError, InvalidValueError, Problem
from crmcore.records import RECORD_TYPES, _checks
from crmcore.records._meta import PrivacyCategory, field_info
from crmcore.records.custom import CustomFields, CustomSchema
from crmcore.records.values import language_tag

__all__ = ["Converter", "default_converter", "from_dict", "to_dict"]

T = TypeVar("T")

_INT_MIN, _INT_MAX = limits.INTEGER_MIN, limits.INTEGER_MAX


def _is_optional(kind: Any) -> bool:
    args = get_args(kind)
    return len(args) == 2 and type(None) in args


def _is_homogeneous_tuple(kind: Any) -> bool:
    args = get_args(kind)
    return getattr(kind, "__origin__", None) is tuple and len(args) == 2 and args[1] is Ellipsis


def _facet_owners() -> dict[type[Any], tuple[type[Any], str]]:
    owners: dict[type[Any], tuple[type[Any], str]] = {}
    for record_type in RECORD_TYPES:
        for attribute in attrs.fields(attrs.resolve_types(record_type)):
            info = field_info(attribute)
            if info is not None and info.is_facet:
                owners[attribute.type] = (record_type, attribute.name)
    return owners


class Converter:
    """Turns records into JSON-safe dicts and reads them back, leniently and exactly.

    Options, each checked when the converter is built (a wrong one raises
    :class:`~crmcore.errors.InvalidValueError` naming it) and read-only afterwards:

    - ``default_region``: the region (ISO 3166-1 alpha-2) to read national phone numbers in
      when the record's own addresses name no country.
    - ``dayfirst``: how ambiguous day/month text such as ``03/04/2020`` is read. ``True``
      reads it day first and ``False`` month first, for every record; ``None`` (default) lets
      each record's own address country decide (day first in Germany or France, month first
      in the United States, Japan or China), and reads month first a record with no country,
      or with one whose languages disagree (Canada). ISO and
      other year-first dates (``2020/04/03``, ``20200403``) are always read year, month, day,
      and a reading that is no date is never chosen.
    - ``as_of``: the instant two-digit years are resolved against (an aware datetime, or ISO
      8601 text with an offset); birth dates never land after it. Without it, a two-digit
      year is an error.
    - ``assume_tz``: the timezone for instants given without one (a ``tzinfo``, ``"UTC"``, an
      offset such as ``"+01:00"`` or a zone name such as ``"Europe/Paris"``); without it they
      are an error.
    - ``default_currency``: the currency (ISO 4217) of money given as a bare number.
    - ``extra_keys``: ``"forbid"`` (default) reports unknown keys; ``"ignore"`` drops them.
    - ``verify``: re-read every email and phone from the text as given, even when normalised
      forms are present (as they are in crmcore's own output).
    - ``schemas``: one custom-field schema or an iterable of them, one per record type at most.
    - ``decimal_separator``: ``","`` or ``"."``, the decimal separator the source writes
      numbers with (``1.234,50`` or ``1,234.50``). Without it, each record's own address
      country decides where the text alone cannot, and a number that could be read two ways
      (``1,234``) is refused.
    - ``spreadsheet_dates``: read numbers where a date is expected (``32937``, ``32937.5``)
      as spreadsheet serial numbers, days since 1899-12-30.

    Extend it with :meth:`register_structure_hook` and :meth:`register_unstructure_hook`,
    which rebuild the generated functions so that the new hook is used everywhere, and
    :meth:`register_class` for attrs classes of your own. The underlying
    :class:`cattrs.Converter` is :attr:`cattrs`; a rebuild replaces it, so read the attribute
    again rather than keeping it.

    >>> from crmcore import Contact
    >>> conv = Converter(default_region="FR", dayfirst=True)
    >>> c = conv.from_dict(Contact, {"id": "c1", "identity": {
    ...     "phones": ["01 42 68 53 00"], "birth_date": "05/03/1990"}})
    >>> c.identity.phones[0].e164, c.identity.birth_date.isoformat()
    ('+33142685300', '1990-03-05')
    """

    def __init__(
        self,
        *,
        default_region: str | None = None,
        dayfirst: bool | None = None,
        as_of: datetime | str | None = None,
        assume_tz: tzinfo | str | None = None,
        default_currency: str | None = None,
        extra_keys: Literal["forbid", "ignore"] = "forbid",
        verify: bool = False,
        schemas: CustomSchema | Iterable[CustomSchema] = (),
        decimal_separator: DecimalSeparator | None = None,
        spreadsheet_dates: bool = False,
    ) -> None:
        if not isinstance(extra_keys, str) or extra_keys not in ("forbid", "ignore"):
            raise InvalidValueError("extra_keys is 'forbid' or 'ignore'", field="extra_keys")
        self._dayfirst = options.dayfirst(dayfirst)
        self._order = date_order(self._dayfirst)
        self._verify = options.flag(verify, "verify")
        self._spreadsheet_dates = options.flag(spreadsheet_dates, "spreadsheet_dates")
        self._decimal = options.decimal_separator(decimal_separator)
        self._numbers = NumberStyle(self._decimal, address_region)
        self._as_of = options.as_of(as_of)
        self._assume_tz = options.time_zone(assume_tz)
        self._default_region = options.region(default_region)
        self._default_currency = options.code(
            default_currency, CURRENCY_CODES, "ISO 4217", "default_currency"
        )
        self._extra_keys: Literal["forbid", "ignore"] = extra_keys
        self._schemas: Mapping[type[Any], CustomSchema] = MappingProxyType(options.schemas(schemas))
        self._forbid = extra_keys == "forbid"
        self._custom = CustomHooks(self)
        self.identity_prepare: dict[type[Any], Callable[[Any], Any]] = {}
        self._user_structure: dict[Any, Callable[[Any, Any], Any]] = {}
        self._user_unstructure: dict[Any, Callable[[Any], Any]] = {}
        self._user_classes: dict[type[Any], dict[str, Any]] = {}
        self._shared = SharedValues()
        self._values = ValueHooks(
            default_region=self._default_region,
            default_currency=self._default_currency,
            verify=self._verify,
            numbers=self._numbers,
        )
        self.cattrs = self._build()

    # -- options, read-only once the converter is built ------------------------------------

    @property
    def default_region(self) -> str | None:
        """The region national phone numbers are read in when a record names no country."""
        return self._default_region

    @property
    def dayfirst(self) -> bool | None:
        """Whether ambiguous day/month text such as ``03/04/2020`` is read day first for every
        record (``True`` or ``False``), or by each record's country (``None``)."""
        return self._dayfirst

    @property
    def as_of(self) -> datetime | None:
        """The instant two-digit years are resolved against."""
        return self._as_of

    @property
    def assume_tz(self) -> tzinfo | None:
        """The timezone of instants given without one."""
        return self._assume_tz

    @property
    def default_currency(self) -> str | None:
        """The currency of money given as a bare number."""
        return self._default_currency

    @property
    def extra_keys(self) -> Literal["forbid", "ignore"]:
        """Whether unknown keys are reported (``"forbid"``) or dropped (``"ignore"``)."""
        return self._extra_keys

    @property
    def verify(self) -> bool:
        """Whether every email and phone is read again from the text as given."""
        return self._verify

    @property
    def decimal_separator(self) -> DecimalSeparator | None:
        """The decimal separator the source writes, or ``None``: each record's country decides."""
        return self._decimal

    @property
    def spreadsheet_dates(self) -> bool:
        """Whether a number where a date is expected is read as a spreadsheet serial number."""
        return self._spreadsheet_dates

    @property
    def schemas(self) -> Mapping[type[Any], CustomSchema]:
        """The custom-field schema of each record type that has one (read-only)."""
        return self._schemas

    def _build(self) -> cattrs.Converter:
        self.cattrs = cattrs.Converter(detailed_validation=True, forbid_extra_keys=self._forbid)
        self._register_scalars()
        self._register_containers()
        for kind, hook in self._user_structure.items():
            self.cattrs.register_structure_hook(kind, hook)
        for kind, unhook in self._user_unstructure.items():
            self.cattrs.register_unstructure_hook(kind, unhook)
        self._values.register(self)
        self._share_values()
        self._register_records()
        for cls, overrides in self._user_classes.items():
            self._register(cls, None, overrides)
        return self.cattrs

    def register_structure_hook(self, kind: Any, hook: Callable[[Any, Any], Any]) -> None:
        """Read values of ``kind`` with ``hook(value, kind)``, everywhere they occur.

        The generated functions of every record and value class are rebuilt so that they call
        the new hook. A hook for a record or value class replaces crmcore's own reader for it.
        """
        self._user_structure[kind] = hook
        self._build()

    def register_unstructure_hook(self, kind: Any, hook: Callable[[Any], Any]) -> None:
        """Write values of ``kind`` with ``hook(value)``, everywhere they occur."""
        self._user_unstructure[kind] = hook
        self._build()

    def _takes_prebuilt(self) -> bool:
        """Whether this converter's hooks hand the constructor of an email, a phone, a postal
        address or a person name the values of a mapping unchanged, so that a
        :class:`~crmcore.convert._prebuilt.Prebuilt` value built from the same values is the
        value conversion would build: not in ``verify`` mode (which reads emails and phones
        again), and with no hook of the user's (which could read text, or a value class,
        otherwise)."""
        return not self._verify and not self._user_structure and not self._user_classes

    # -- public API --------------------------------------------------------------------------

    @overload
    def from_dict(self, record_type: type[T], data: Mapping[str, Any]) -> T: ...

    @overload
    def from_dict(self, record_type: str, data: Mapping[str, Any]) -> Any: ...

    def from_dict(self, record_type: type[T] | str, data: Mapping[str, Any]) -> T | Any:
        """Read ``data`` as a ``record_type``; raise :class:`ConversionError` with every problem.

        ``record_type`` is a record type (or an attrs class registered on the converter) or a
        record type's name, such as ``"Contact"``; anything else is refused with
        :class:`~crmcore.errors.InvalidValueError`.
        """
        record_type = options.record_type(record_type)
        if data.__class__ is not dict and not isinstance(data, Mapping):
            raise ConversionError(
                record_type.__name__, [Problem("", "expected a mapping", "value.wrong_type")]
            )
        token = reading(data)
        try:
            return self.cattrs.structure(data, record_type)
        except Exception as exc:  # every failure becomes one report of paths
            problems = problems_of(exc)
        finally:
            done(token)
        # raised outside the except block: the chain would keep the input (dateutil's errors
        # quote it), even with "from None", which only hides it from tracebacks
        raise ConversionError(record_type.__name__, problems)

    def to_dict(self, record: Any) -> dict[str, Any]:
        """Return ``record`` as a JSON-safe dict."""
        result = self.cattrs.unstructure(record)
        if not isinstance(result, dict):
            raise TypeError("to_dict takes an attrs record or value object")
        return result

    def structure_value(self, data: Any, kind: Any) -> Any:
        """Read one value of type ``kind`` with the converter's lenient rules."""
        try:
            return self.cattrs.structure(data, kind)
        except Exception as exc:
            problems = problems_of(exc)
        raise ConversionError(getattr(kind, "__name__", str(kind)), problems)

    # -- scalars -----------------------------------------------------------------------------

    def _register_scalars(self) -> None:
        conv = self.cattrs
        # Each hook returns a value already of its exact type at once (the common case, and
        # the whole of crmcore's own output) and reads anything else leniently.
        conv.register_structure_hook(
            str, lambda v, _: v if v.__class__ is str and v.isascii() else read.read_text(v)
        )
        decimal, country = self._decimal, self._numbers.separator
        conv.register_structure_hook(
            int,
            lambda v, _: (
                v if v.__class__ is int and _INT_MIN <= v <= _INT_MAX else read.read_int(v, decimal)
            ),
        )
        conv.register_structure_hook(
            float,
            lambda v, _: (
                v if v.__class__ is float and v == v else read.read_float(v, decimal, country)
            ),
        )
        conv.register_structure_hook(
            bool, lambda v, _: v if v.__class__ is bool else read.read_bool(v)
        )
        conv.register_structure_hook(Decimal, lambda v, _: read.read_decimal(v, decimal, country))
        # A date the raw walk has read comes as a date: read_date would hand it back as it is.
        conv.register_structure_hook(
            date, lambda v, _: v if v.__class__ is date else self.read_date(v)
        )
        conv.register_structure_hook(datetime, lambda v, _: self.read_datetime(v))
        conv.register_structure_hook_factory(
            lambda kind: isinstance(kind, type) and issubclass(kind, enum.Enum), _enum_hook
        )
        conv.register_unstructure_hook(datetime, lambda v: v.isoformat())
        conv.register_unstructure_hook(date, lambda v: v.isoformat())
        conv.register_unstructure_hook(Decimal, str)

    def read_date(self, value: Any, *, past: bool = False) -> date:
        """Read a date with this converter's options (``past`` for birth dates)."""
        return read.read_date(
            value,
            dayfirst=self._order,
            as_of=self.as_of,
            past=past,
            serials=self._spreadsheet_dates,
        )

    def read_datetime(self, value: Any) -> datetime:
        """Read a timezone-aware instant with this converter's options."""
        return read.read_datetime(
            value,
            dayfirst=self._order,
            as_of=self.as_of,
            assume_tz=self.assume_tz,
            serials=self._spreadsheet_dates,
        )

    # -- containers --------------------------------------------------------------------------

    def _register_containers(self) -> None:
        conv = self.cattrs
        conv.register_structure_hook_factory(_is_optional, self._optional_hook)
        conv.register_structure_hook_factory(_is_homogeneous_tuple, self._tuple_hook)
        conv.register_unstructure_hook_factory(_is_optional, self._optional_unhook)
        conv.register_unstructure_hook_factory(_is_homogeneous_tuple, self._tuple_unhook)
        conv.register_unstructure_hook(CustomFields, self._custom.unstructure)

    def _optional_hook(self, kind: Any) -> Callable[[Any, Any], Any]:
        inner = next(arg for arg in get_args(kind) if arg is not type(None))
        handler = self.cattrs.get_structure_hook(inner)
        parts = composite_parts(inner) if isinstance(inner, type) else None

        def structure(value: Any, _: Any) -> Any:
            if value is None:
                return None
            cls = value.__class__
            if cls is str:
                if not value.strip():
                    return None
            elif cls is dict:
                if parts is not None and blank_composite(value, parts):
                    return None
            elif cls is float:
                if value != value:  # NaN
                    return None
            elif cls is int or cls is bool or cls is list:
                pass  # the common values, never missing: no call
            elif is_missing(value) or (parts is not None and blank_composite(value, parts)):
                return None
            return handler(value, inner)

        return structure

    def _optional_unhook(self, kind: Any) -> Callable[[Any], Any]:
        inner = next(arg for arg in get_args(kind) if arg is not type(None))
        if inner in (str, int, bool, float):
            return identity  # inlined by the generated functions
        handler = self.cattrs.get_unstructure_hook(inner)
        return lambda value: None if value is None else handler(value)

    def _tuple_hook(self, kind: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        item_type = get_args(kind)[0]
        handler = self.cattrs.get_structure_hook(item_type)
        single = (str, Mapping) if attrs.has(item_type) else (str,)
        parts = composite_parts(item_type) if isinstance(item_type, type) else None
        head = parts[0] if parts else ""

        def structure(value: Any, _: Any) -> tuple[Any, ...]:
            if value.__class__ is not list and value.__class__ is not tuple:
                if value.__class__ is Prebuilt:
                    return (value.value,)
                if read.is_blank(value):
                    return ()
                if not isinstance(value, single):
                    raise InvalidValueError("expected a list", code="value.wrong_type")
                value = [value]
            elif not value:
                return ()
            items: list[Any] = []
            errors: list[Exception] = []
            for index, item in enumerate(value):
                if item.__class__ is Prebuilt:
                    items.append(item.value)
                    continue
                if parts is not None:
                    lead = item.get(head) if item.__class__ is dict else None
                    if not (lead.__class__ is str and lead.strip()) and blank_composite(
                        item, parts
                    ):
                        continue  # a phone whose every part is blank is no phone
                try:
                    items.append(handler(item, item_type))
                except Exception as exc:
                    note = cattrs.errors.IterableValidationNote(
                        f"@ index {index}", index, item_type
                    )
                    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010
                    errors.append(exc)
            if errors:
                raise cattrs.IterableValidationError("invalid items", errors, kind)
            return tuple(items)

        return structure

    def _tuple_unhook(self, kind: Any) -> Callable[[tuple[Any, ...]], list[Any]]:
        item_type = get_args(kind)[0]
        if item_type in (str, int, bool, float):
            return list
        handler = self.cattrs.get_unstructure_hook(item_type)
        return lambda value: [handler(item) for item in value]

    # -- records -----------------------------------------------------------------------------

    def _share_values(self) -> None:
        """Share the values cattrs reads for the value classes conversion shares (see
        :mod:`crmcore.convert._shared`) that have no reader of crmcore's or the user's own:
        the reader is cattrs' own, its result shared."""
        share = self._shared.share
        for cls in VALUE_SHARED:
            if cls in self._user_structure:
                continue
            read_value = self.cattrs.get_structure_hook(cls)

            def structure(value: Any, kind: Any, read_value: Any = read_value) -> Any:
                return share(read_value(value, kind))

            self.cattrs.register_structure_hook(cls, structure)

    def _register_records(self) -> None:
        owners = _facet_owners()
        for facet_type, (record_type, category) in owners.items():
            self._register(
                facet_type,
                self.identity_prepare.get(facet_type),
                self._facet_overrides(facet_type, record_type, category),
            )
        for record_type in RECORD_TYPES:
            self._register(record_type, None, {})

    def _facet_overrides(
        self, facet_type: type[Any], record_type: type[Any], category: str
    ) -> dict[str, Any]:
        overrides: dict[str, Any] = {
            "custom": override(
                struct_hook=functools.partial(
                    self._custom.structure, record_type=record_type, category=category
                )
            )
        }
        for attribute in attrs.fields(attrs.resolve_types(facet_type)):
            info = field_info(attribute)
            if info is not None and info.privacy is PrivacyCategory.BIRTH_DATE:
                overrides[attribute.name] = override(struct_hook=self._structure_past_date)
            elif attribute.validator is _checks.language:
                overrides[attribute.name] = override(struct_hook=_structure_language)
        return overrides

    def _structure_past_date(self, value: Any, _: Any) -> date | None:
        if value.__class__ is date:  # read already (by the raw walk): read_date keeps it
            return value
        if read.is_blank(value):
            return None
        return self.read_date(value, past=True)

    def register_class(self, cls: type[Any], **overrides: Any) -> None:
        """Generate and register structure and unstructure functions for an attrs class.

        ``overrides`` are :func:`cattrs.gen.override` values per attribute. The class stays
        registered when hooks added later rebuild the converter.
        """
        self._user_classes[cls] = overrides
        self._register(cls, None, overrides)

    def _register(
        self, cls: type[Any], prepare: Callable[[Any], Any] | None, overrides: dict[str, Any]
    ) -> None:
        """Register ``cls``; ``prepare`` reshapes raw input (a shorthand form) first."""
        if cls in self._user_structure:
            return
        generated = make_dict_structure_fn(
            cls,
            self.cattrs,
            _cattrs_forbid_extra_keys=self._forbid,
            _cattrs_detailed_validation=True,
            **overrides,
        )
        checked = tuple(a for a in attrs.fields(attrs.resolve_types(cls)) if a.validator)
        share = self._shared.sharer(cls)

        def structure(value: Any, kind: Any) -> Any:
            source = value
            if prepare is not None:
                value = prepare(value)
            if value.__class__ is not dict and (
                value.__class__ is Prebuilt or not isinstance(value, Mapping)
            ):  # a value built by cleaning is no mapping: no need to ask
                if value.__class__ is Prebuilt and value.value.__class__ is cls:
                    return value.value
                raise InvalidValueError("expected a mapping", code="value.wrong_type")
            try:
                built = generated(value, kind)
            except cattrs.ClassValidationError as exc:
                failure = exc
            else:
                return built if share is None else share(built)
            # raised outside the except block, so that nothing of the input is chained
            keys_from = source if isinstance(source, Mapping) else value
            raise self._complete(failure, cls, checked, value, keys_from)

        self.cattrs.register_structure_hook(cls, structure)
        if cls not in self._user_unstructure:
            self.cattrs.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, self.cattrs))

    def _complete(
        self,
        exc: cattrs.ClassValidationError,
        cls: type[Any],
        checked: tuple[attrs.Attribute[Any], ...],
        value: Mapping[str, Any],
        source: Mapping[Any, Any],
    ) -> cattrs.ClassValidationError:
        """Add the constructor checks of every attribute that was read, so all are reported.

        A constructor stops at its first refused value, and is not called at all when another
        attribute could not be read; this re-runs each attribute's validator on its own.
        Unknown keys are named safely, by their position in ``source`` (the mapping given)
        unless they look like field names.
        """
        subs = [
            key_problems(sub.extra_fields, source)
            if isinstance(sub, ForbiddenExtraKeysError)
            else sub
            for sub in exc.exceptions
        ]
        failed = {_note_name(sub) for sub in subs} - {None}
        kept = [
            sub for sub in subs if _note_name(sub) is not None or isinstance(sub, NestedProblems)
        ]
        found: list[Exception] = []
        for attribute in checked:
            if attribute.name in failed or attribute.name not in value:
                continue
            try:
                item = self.cattrs.structure(value[attribute.name], attribute.type)  # type: ignore[arg-type]
                attribute.validator(None, attribute, item)  # type: ignore[misc]
            except InvalidValueError as problem:
                found.append(
                    InvalidValueError(problem.reason, field=attribute.name, code=problem.code)
                )
            except Exception:  # already reported through the attribute's own path
                continue
        if not found:
            return cattrs.ClassValidationError(exc.message, subs, cls)
        return cattrs.ClassValidationError(exc.message, [*kept, *found], cls)


def _enum_hook(kind: type[enum.Enum]) -> Callable[[Any, Any], enum.Enum]:
    members: dict[Any, enum.Enum] = dict(kind._value2member_map_)

    def structure(value: Any, _: Any) -> enum.Enum:
        if value.__class__ is str:
            member = members.get(value)
            if member is not None:
                return member
        return read.read_enum(value, kind)

    return structure


def _structure_language(value: Any, _: Any) -> str | None:
    """A BCP 47 language tag in its canonical form: ``fr_FR`` is read as ``fr-FR``."""
    if read.is_blank(value):
        return None
    text = read.read_text(value)
    if not isinstance(value, str):
        raise InvalidValueError("expected a language tag", code="value.wrong_type")
    try:
        return language_tag(text)
    except InvalidValueError as exc:
        reason, code = exc.reason, exc.code  # its field is the attribute's own: the path names it
    raise InvalidValueError(reason, code=code)


def _note_name(exc: BaseException) -> str | None:
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, cattrs.errors.AttributeValidationNote):
            return note.name
    return None


@functools.lru_cache(maxsize=1)
def default_converter() -> Converter:
    """The converter behind :func:`from_dict` and :func:`to_dict`, with default options."""
    return Converter()


@overload
def from_dict(record_type: type[T], data: Mapping[str, Any]) -> T: ...


@overload
def from_dict(record_type: str, data: Mapping[str, Any]) -> Any: ...


def from_dict(record_type: type[T] | str, data: Mapping[str, Any]) -> T | Any:
    """Read ``data`` as a ``record_type`` (or the record type of that name) with the defaults.

    >>> from crmcore import Contact
    >>> from_dict(Contact, {"id": "c1", "identity": {"emails": ["Ada@Example.org"]}}).id
    'c1'
    """
    return default_converter().from_dict(record_type, data)


def to_dict(record: Any) -> dict[str, Any]:
    """Return ``record`` as a JSON-safe dict with the default converter."""
    return default_converter().to_dict(record)
