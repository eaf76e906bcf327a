"""The privacy exceptions."""

from __future__ import annotations

from crmcore.errors import CRMError
from crmcore.privacy import TransitionError


def test_transition_error_is_a_crm_error_naming_statuses() -> None:
    error = TransitionError("completed", "in_progress", "closed")
    assert isinstance(error, CRMError)
    assert str(error) == "a request cannot go from completed to in_progress: closed"
    assert (error.current, error.target, error.reason) == ("completed", "in_progress", "closed")


def test_transition_error_without_a_reason() -> None:
    assert str(TransitionError("refused", "completed")) == (
        "a request cannot go from refused to completed"
    )
