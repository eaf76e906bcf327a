"""A constructor for record and value classes that checks only the values it is given.

attrs' ``__init__`` calls every field's validator, a field left at its default (``None``,
``()``, an empty facet) included: about forty calls per contact read from a row, none of which
can refuse anything. :func:`lean_init` gives an attrs class an ``__init__`` with the same
signature that sets the same values and raises the same errors, in the same order, for every
value it is given, but does not check a field that holds its default:

- a default value (``None``, ``()``, :data:`~crmcore.records.custom.EMPTY_CUSTOM`) when the
  field's converter leaves it as it is and its validator accepts it;
- a shared factory default (one made by :func:`~crmcore.records._base.empty`, the same object
  every time) when the argument is left out and the validator accepts the shared value.

Only a validator that looks at the value alone can be skipped: by the convention of
:mod:`crmcore.records._checks`, its first parameter (the instance) is named ``_``. Any other
validator runs for every value, default or not. A default is tried once, when the class is
made. Everything else is as attrs does it: converters and factories run in field order, then
the validators in field order, unless attrs' validators are disabled
(:func:`attrs.validators.set_disabled`). A class with an init hook, an ``init=False`` field, a
converter that is not a plain function (``tuple``, a ``partial``, an
``attrs.Converter``), a field that is not a slot, a cached hash (``cache_hash=True``) or an
argument named as a name of the generated code keeps attrs' ``__init__``.
"""

from __future__ import annotations

import linecache
import types
from typing import Any, TypeVar, cast

import attrs
from attr import _config  # the switch attrs.validators.set_disabled turns, read as attrs reads it

__all__ = ["lean_init"]

T = TypeVar("T")

_NOTHING = attrs.NOTHING

_LITERALS = {type(None): "None"}
"""Defaults written as themselves in the generated code (``is None`` reads no global)."""


def _slot(cls: type[Any], name: str) -> Any:
    """The slot descriptor of ``name`` on ``cls`` or a base, or ``None`` if it is no slot."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if found is not None:
            return found if isinstance(found, types.MemberDescriptorType) else None
    return None


def _value_only(check: Any) -> bool:
    """Whether ``check`` is a function whose first parameter (the instance) is named ``_``."""
    code = getattr(check, "__code__", None)
    return (
        isinstance(check, types.FunctionType)
        and code is not None
        and code.co_argcount == 3
        and code.co_varnames[0] == "_"
    )


def _accepts(check: Any, attribute: attrs.Attribute[Any], value: object) -> bool:
    """Whether the value-only ``check`` accepts ``value`` (so it need never check it again)."""
    if not _value_only(check):
        return False
    try:
        check(None, attribute, value)
    except Exception:  # any refusal: the default must be checked each time
        return False
    return True


def _supported(cls: type[Any]) -> bool:
    if any(hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")):
        return False
    if _slot(cls, "_attrs_cached_hash") is not None:  # attrs' __init__ resets the cached hash
        return False
    return all(
        a.init
        and _slot(cls, a.name) is not None
        and (a.converter is None or isinstance(a.converter, types.FunctionType))
        for a in attrs.fields(cls)
    )


@attrs.frozen
class _Code:
    """The generated code of one field: its parameter, how it is set, and how it is checked."""

    parameter: str
    setting: list[str]
    checking: list[str]


def _field_code(
    cls: type[Any], index: int, attribute: attrs.Attribute[Any], namespace: dict[str, Any]
) -> _Code:
    """The code of one field of ``cls``; what it names is put in ``namespace``."""
    arg, name = attribute.alias or attribute.name, attribute.name
    put, convert, check = f"put_{index}", f"convert_{index}", f"check_{index}"
    namespace[put] = _slot(cls, name).__set__
    namespace[f"attribute_{index}"] = attribute
    converter: Any = attribute.converter
    validator: Any = attribute.validator
    default: Any = attribute.default
    namespace[convert], namespace[check] = converter, validator

    def converted(text: str) -> str:
        return text if converter is None else f"{convert}({text})"

    given: str | None = None  # when the field is checked; ``None``: always
    factory_made = isinstance(default, attrs.Factory)  # type: ignore[arg-type]
    if default is _NOTHING:
        parameter = arg
        setting = [f"    {put}(self, {converted(arg)})"]
    elif factory_made:
        namespace[f"factory_{index}"] = factory = default.factory
        made = f"factory_{index}(self)" if default.takes_self else f"factory_{index}()"
        parameter = f"{arg}=NOTHING"
        setting = [
            f"    if {arg} is NOTHING:",
            f"        {put}(self, {converted(made)})",
            "    else:",
            f"        {put}(self, {converted(arg)})",
        ]
        if not default.takes_self and converter is None:
            shared = factory()
            if factory() is shared and _accepts(validator, attribute, shared):
                given = f"{arg} is not NOTHING"
    else:
        namespace[f"default_{index}"] = default
        parameter = f"{arg}=default_{index}"
        known = _LITERALS.get(default.__class__, f"default_{index}")
        unconverted = converter is None or converter(default) is default
        if unconverted and _accepts(validator, attribute, default):
            given = f"{arg} is not {known}"
        setting = [f"    {put}(self, {converted(arg)})"]
        if converter is not None and given is not None:
            setting = [  # the default needs no converting: the converter leaves it as it is
                f"    if {arg} is {known}:",
                f"        {put}(self, {arg})",
                "    else:",
                f"        {put}(self, {converted(arg)})",
            ]
    checking: list[str] = []
    if validator is not None:
        value = arg if converter is None and not factory_made else f"self.{name}"
        call = f"{check}(self, attribute_{index}, {value})"
        checking = (
            [f"        {call}"]
            if given is None
            else [f"        if {given}:", f"            {call}"]
        )
    return _Code(parameter, setting, checking)


def lean_init(cls: type[T]) -> type[T]:
    """Give the frozen attrs class ``cls`` an ``__init__`` that checks only the values given
    other than a field's default (see the module's documentation); ``cls`` is returned."""
    if not _supported(cls):
        return cls
    namespace: dict[str, Any] = {"NOTHING": _NOTHING, "_config": _config}
    attributes = attrs.fields(cast(Any, cls))
    codes = [_field_code(cls, *numbered, namespace) for numbered in enumerate(attributes)]
    arguments = {a.alias or a.name for a in attributes}
    if arguments & {"self", *namespace}:  # an argument would hide a name the code reads
        return cls
    positional = [
        code.parameter for code, a in zip(codes, attributes, strict=True) if not a.kw_only
    ]
    keyword = [code.parameter for code, a in zip(codes, attributes, strict=True) if a.kw_only]
    parameters = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    lines = [f"def __init__({parameters}):", *(line for code in codes for line in code.setting)]
    checking = [line for code in codes for line in code.checking]
    if checking:
        lines += ["    if _config._run_validators is True:", *checking]
    source = "\n".join(lines) + "\n"
    filename = f"<crmcore lean init {cls.__module__}.{cls.__qualname__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    init = namespace["__init__"]
    previous = cls.__init__
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = previous.__doc__
    init.__annotations__ = dict(getattr(previous, "__annotations__", {}))
    init.__wrapped__ = previous  # attrs' own, checking every field (the tests compare the two)
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
