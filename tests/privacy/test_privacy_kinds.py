"""Request kinds: every kind of the issue, read from members or values."""

from __future__ import annotations

import pytest

from crmcore.errors import InvalidValueError
from crmcore.privacy import RequestKind
from crmcore.privacy.kinds import read_kind


def test_every_kind_of_the_issue_is_there() -> None:
    assert [kind.value for kind in RequestKind] == [
        "access",
        "rectification",
        "erasure",
        "restriction",
        "portability",
        "objection",
        "opt_out_sale_sharing",
        "limit_sensitive_pi",
        "consent_withdrawal",
        "hipaa_access",
    ]


@pytest.mark.parametrize("value", ["Access", "ada@example.org", 3, None, RequestKind])
def test_an_unknown_kind_is_refused_without_quoting_it(value: object) -> None:
    with pytest.raises(InvalidValueError) as caught:
        read_kind(value)
    assert caught.value.field == "kind"
    assert "ada" not in str(caught.value)
