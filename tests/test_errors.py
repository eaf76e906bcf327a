"""The exception hierarchy: problems with codes and locations, errors() bodies, and pickling.

Every exception crmcore raises must cross a process boundary unchanged, so that one bad row in
a ``ProcessPoolExecutor`` worker comes back as that error instead of breaking the pool. The
walk below finds every :class:`CRMError` subclass of the package, so a new one is covered (or
the test says which sample it lacks).
"""

from __future__ import annotations

import copyreg
import importlib
import json
import pickle
import pkgutil
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crmcore
from crmcore.errors import (
    GENERIC_CODE,
    ConversionError,
    CRMError,
    InvalidValueError,
    Problem,
    SchemaError,
    ValidationError,
    loc_of,
)

PROBLEMS = (
    Problem("identity.emails[1].address", "missing @", "email.invalid"),
    Problem("properties.email", "unknown field", "field.unknown", ("properties.email",)),
)


@attrs.frozen
class _Issue:
    path: str
    code: str
    message: str


# -- Problem ---------------------------------------------------------------------------------


def test_a_problem_reads_its_loc_from_its_path_unless_given() -> None:
    assert PROBLEMS[0].loc == ("identity", "emails", 1, "address")
    assert PROBLEMS[1].loc == ("properties.email",)
    assert Problem("", "expected a mapping").loc == ()


def test_a_problem_without_a_code_has_the_generic_one_and_its_old_text() -> None:
    problem = Problem("identity.birth_date", "not a date")
    assert problem.code == GENERIC_CODE == "value.invalid"
    assert str(problem) == "identity.birth_date: not a date"
    assert str(Problem("", "expected a mapping")) == "<root>: expected a mapping"


def test_a_problem_keeps_its_loc_as_a_tuple() -> None:
    problem = Problem("tags[2]", "expected non-blank text", "text.blank", ["tags", 2])
    assert problem.loc == ("tags", 2)
    assert problem == Problem("tags[2]", "expected non-blank text", "text.blank")
    assert hash(problem) == hash(Problem("tags[2]", "expected non-blank text", "text.blank"))


def test_loc_of_reads_names_and_indexes() -> None:
    assert loc_of("a[0][12].b_c.d") == ("a", 0, 12, "b_c", "d")
    assert loc_of("<key 2>") == ("<key 2>",)
    assert loc_of("[3]") == (3,)


_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_ <>-]{0,12}", fullmatch=True)


@given(st.lists(st.one_of(_NAMES, st.integers(0, 10**6)), max_size=8))
def test_loc_of_inverts_the_path_of_a_loc(loc: list[str | int]) -> None:
    path = ""
    for segment in loc:
        if isinstance(segment, int):
            path += f"[{segment}]"
        else:
            path = f"{path}.{segment}" if path else segment
    assert loc_of(path) == tuple(loc)


# -- codes and errors() ------------------------------------------------------------------------


def test_invalid_value_error_carries_a_code_and_keeps_its_message() -> None:
    plain = InvalidValueError("not a date", field="birth_date")
    coded = InvalidValueError("not a date", field="birth_date", code="date.invalid")
    assert plain.code == GENERIC_CODE
    assert coded.code == "date.invalid"
    assert str(coded) == str(plain) == "birth_date: not a date"
    assert coded.args == ("birth_date: not a date",)


def test_conversion_error_is_a_value_error() -> None:
    assert isinstance(ConversionError("Contact", PROBLEMS), ValueError)
    with pytest.raises(ValueError, match="cannot convert to Contact"):
        raise ConversionError("Contact", PROBLEMS)


def test_errors_are_shaped_as_pydantic_gives_them() -> None:
    errors = ConversionError("Contact", PROBLEMS).errors()
    assert errors == [
        {"type": "email.invalid", "loc": ("identity", "emails", 1, "address"), "msg": "missing @"},
        {"type": "field.unknown", "loc": ("properties.email",), "msg": "unknown field"},
    ]
    body = json.loads(json.dumps({"detail": errors}))
    assert body["detail"][0]["loc"] == ["identity", "emails", 1, "address"]


def test_an_error_list_is_a_new_list_each_time() -> None:
    error = ConversionError("Contact", PROBLEMS)
    error.errors().clear()
    assert len(error.errors()) == 2


def test_schema_and_validation_errors_give_the_same_shape() -> None:
    assert SchemaError(PROBLEMS[:1]).errors() == ConversionError("X", PROBLEMS[:1]).errors()
    issue = _Issue("identity.emails[0].address", "email.role_account", "a role account")
    assert ValidationError([issue]).errors() == [
        {
            "type": "email.role_account",
            "loc": ("identity", "emails", 0, "address"),
            "msg": "a role account",
        }
    ]


# -- pickling ------------------------------------------------------------------------------------


def _import_everything() -> None:
    for module in pkgutil.walk_packages(crmcore.__path__, "crmcore."):
        if module.name != "crmcore.__main__":
            importlib.import_module(module.name)


def _subclasses(cls: type[BaseException]) -> set[type[BaseException]]:
    found: set[type[BaseException]] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _samples() -> dict[str, tuple[Any, ...]]:
    """Arguments for the classes whose constructor takes more than one message."""
    from crmcore.validation import Issue, Severity

    issue = Issue(
        code="email.role_account",
        severity=Severity.ERROR,
        path="identity.emails[0].address",
        message="a role account",
    )
    return {
        "crmcore.errors.ConversionError": ("Contact", PROBLEMS),
        "crmcore.errors.SchemaError": (PROBLEMS,),
        "crmcore.errors.ValidationError": ([issue],),
        "crmcore.convert._errors_walk.NestedProblems": (PROBLEMS,),
        "crmcore.cleaning.errors.CleaningError": ("a Contact", PROBLEMS),
        "crmcore.privacy.errors.TransitionError": ("completed", "in_progress", "it is closed"),
        "crmcore.privacy.erasure.ErasureError": ("records[3].qualitative.notes", "a reason"),
        "crmcore.errors.MissingExtraError": ("polars", "polars"),
        "crmcore._parallel.WorkerError": (31, 0, "ConversionError", "cannot convert to Contact"),
        "crmcore.errors.MappingError": (PROBLEMS,),
    }


def _instance(cls: type[BaseException]) -> BaseException:
    name = f"{cls.__module__}.{cls.__qualname__}"
    samples = _samples()
    # a class may be renamed to where users import it from: find it by its own module too
    key = next((k for k in samples if k.rsplit(".", 1)[1] == cls.__qualname__), name)
    args = samples.get(key)
    if args is not None:
        return cls(*args)
    try:
        return cls("a reason safe to log")
    except TypeError:
        pytest.fail(f"no sample arguments for {name}: add them to _samples()")


def _same(one: BaseException, other: BaseException) -> None:
    assert type(other) is type(one)
    assert other.args == one.args
    assert str(other) == str(one)
    assert vars(other) == vars(one)


def _every_error() -> list[type[BaseException]]:
    _import_everything()
    return sorted(_subclasses(CRMError) | {CRMError}, key=lambda c: (c.__module__, c.__name__))


@pytest.mark.parametrize("cls", _every_error(), ids=lambda cls: cls.__qualname__)
def test_every_error_pickles_and_unpickles_equal(cls: type[BaseException]) -> None:
    error = _instance(cls)
    setattr(error, "__notes__", ["row 31"])  # noqa: B010  # as add_note (3.11+) leaves them
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        _same(error, pickle.loads(pickle.dumps(error, protocol)))


def test_the_walk_finds_the_errors_of_every_package() -> None:
    names = {cls.__name__ for cls in _every_error()}
    assert {
        "ConversionError",
        "InvalidValueError",
        "SchemaError",
        "ValidationError",
        "CleaningError",
        "PluginError",
        "TransitionError",
        "ComparatorError",
        "MissingExtraError",
        "UnknownPurposeError",
        "RuleUsageError",
    } <= names


def test_unpickling_restores_attributes_without_running_the_constructor() -> None:
    error = InvalidValueError("not a date", field="birth_date", code="date.invalid")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.reason, copy.field, copy.code) == ("not a date", "birth_date", "date.invalid")
    conversion = pickle.loads(pickle.dumps(ConversionError("Contact", PROBLEMS)))
    assert conversion.type_name == "Contact"
    assert conversion.problems == PROBLEMS
    assert conversion.errors() == ConversionError("Contact", PROBLEMS).errors()


def test_an_import_error_keeps_the_module_it_names() -> None:
    from crmcore.dedup import MissingExtraError

    error = MissingExtraError("jellyfish", "dedup", needed_for="this comparator")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.name, copy.module, copy.extra) == ("jellyfish", "jellyfish", "dedup")
    assert str(copy) == str(error)


def test_one_missing_extra_error_for_every_optional_library() -> None:
    import crmcore.dedup
    import crmcore.frames
    from crmcore import MissingExtraError
    from crmcore.errors import MissingExtraError as from_errors

    assert crmcore.dedup.MissingExtraError is MissingExtraError
    assert crmcore.frames.MissingExtraError is MissingExtraError
    assert from_errors is MissingExtraError
    assert issubclass(MissingExtraError, CRMError)
    assert issubclass(MissingExtraError, ImportError)
    assert MissingExtraError.__module__ == "crmcore.errors"


def test_require_imports_a_module_or_names_the_extra_that_installs_its_package() -> None:
    import json

    from crmcore._extras import require
    from crmcore.errors import MissingExtraError

    assert require("json", "frames") is json
    with pytest.raises(MissingExtraError) as raised:
        require("crmcore_absent_package.inner", "frames", needed_for="reading a frame")
    error = raised.value
    assert (error.module, error.extra, error.name) == (
        "crmcore_absent_package",
        "frames",
        "crmcore_absent_package",
    )
    assert str(error) == (
        "crmcore_absent_package is needed for reading a frame and is not installed: "
        "pip install 'crmcore[frames]'"
    )
    assert error.__cause__ is None
    assert error.__suppress_context__


def test_a_pickled_error_leaves_its_chain_and_traceback_behind() -> None:
    try:
        try:
            raise KeyError("ada.lovelace@example.org")
        except KeyError as exc:
            raise InvalidValueError("required field is missing", code="value.missing") from exc
    except InvalidValueError as caught:
        data = pickle.dumps(caught)
    copy = pickle.loads(data)
    assert copy.__cause__ is None
    assert copy.__context__ is None
    assert copy.__traceback__ is None
    assert b"ada.lovelace" not in data


def test_a_conversion_error_in_a_worker_process_reaches_the_parent() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(crmcore.from_dict, "Contact", {"id": "c1", "identity": {"x": 1}})
        with pytest.raises(ConversionError) as raised:
            future.result(timeout=120)
        after = pool.submit(crmcore.from_dict, "Contact", {"id": "c2"})
        assert after.result(timeout=120).id == "c2"  # the pool still works
    assert raised.value.type_name == "Contact"
    assert raised.value.errors() == [
        {"type": "field.unknown", "loc": ("identity", "x"), "msg": "unknown field"}
    ]


def test_codes_survive_cleanings_report_of_a_record_it_cannot_clean() -> None:
    from crmcore.cleaning import CleaningError, clean_raw

    with pytest.raises(CleaningError) as raised:
        clean_raw(crmcore.Contact, {"identity": {}})
    assert [(p.code, p.loc) for p in raised.value.problems] == [("value.missing", ("id",))]


def test_errors_pickle_without_their_chain_again_after_tblib_changed_every_exception() -> None:
    pickling_support = pytest.importorskip("tblib.pickling_support")
    from crmcore.errors import restore_private_pickling

    def pickled() -> bytes:
        try:
            try:
                raise KeyError("ada.lovelace@example.org")
            except KeyError as exc:
                raise InvalidValueError("required field is missing") from exc
        except InvalidValueError as caught:
            return pickle.dumps(caught)

    saved = dict(copyreg.dispatch_table)
    try:
        pickling_support.install()  # what importing dask.distributed does
        assert b"ada.lovelace" in pickled()  # every exception now carries its chain
        restore_private_pickling()
        data = pickled()
        assert b"ada.lovelace" not in data
        assert pickle.loads(data).__cause__ is None
        assert str(pickle.loads(data)) == "required field is missing"
    finally:
        copyreg.dispatch_table.clear()
        copyreg.dispatch_table.update(saved)
