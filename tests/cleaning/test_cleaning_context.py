"""The cleaning context: checked options, one converter per context."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from crmcore import Contact, InvalidValueError
from crmcore.cleaning import CleaningContext, name_case, repair_text

AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)


def test_options_are_read_as_the_converter_reads_them() -> None:
    ctx = CleaningContext(as_of="2025-06-01T00:00Z", assume_tz="Europe/Paris")
    assert ctx.as_of == AS_OF
    assert str(ctx.assume_tz) == "Europe/Paris"
    assert ctx.converter().as_of == AS_OF


@pytest.mark.parametrize(
    "options",
    [
        {"as_of": datetime(2025, 6, 1)},
        {"default_region": "France"},
        {"default_region": "fr"},
        {"default_currency": "euro"},
        {"dayfirst": "yes"},
        {"assume_tz": "Mars/Olympus_Mons"},
        {"assume_tz": 5},
        {"as_of": "2025-06-01"},
    ],
)
def test_bad_options_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(InvalidValueError):
        CleaningContext(**options)


def test_converter_follows_the_context_and_is_built_once() -> None:
    ctx = CleaningContext(default_region="FR", dayfirst=True, as_of=AS_OF)
    converter = ctx.converter()
    assert converter is CleaningContext(default_region="FR", dayfirst=True, as_of=AS_OF).converter()
    record = converter.from_dict(
        Contact, {"id": "c", "identity": {"phones": ["01 42 68 53 00"], "birth_date": "05/03/90"}}
    )
    assert record.identity.phones[0].e164 == "+33142685300"
    assert record.identity.birth_date is not None
    assert record.identity.birth_date.isoformat() == "1990-03-05"


def test_from_validation_refuses_anything_but_a_validation_context() -> None:
    with pytest.raises(InvalidValueError, match="context"):
        CleaningContext.from_validation(CleaningContext())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "option"),
    [
        (lambda: repair_text(" x ", multiline="yes"), "multiline"),  # type: ignore[arg-type]
        (lambda: repair_text(None), "text"),  # type: ignore[arg-type]
        (lambda: name_case("X", "Given"), "part"),  # type: ignore[arg-type]
    ],
)
def test_cleaning_functions_check_their_options(call: Any, option: str) -> None:
    with pytest.raises(InvalidValueError, match=option):
        call()


def test_context_is_made_from_a_validation_context() -> None:
    from crmcore.validation import Context

    ctx = CleaningContext.from_validation(
        Context(AS_OF, default_region="GB"), dayfirst=True, assume_tz=timezone.utc
    )
    assert ctx == CleaningContext(
        as_of=AS_OF, default_region="GB", dayfirst=True, assume_tz=timezone.utc
    )
