"""The raw walk's bookkeeping of paths: every path that holds a change is found from it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crmcore.cleaning._raw_walk import _holding

_SEGMENT = st.one_of(
    st.text(alphabet="abc_.[]0", min_size=0, max_size=6),
    st.integers(min_value=0, max_value=12).map(lambda index: f"[{index}]"),
)


def _split(path: str) -> tuple[str, ...]:
    """The path and its holders, found the plain way: a cut before each ``.`` and ``[``."""
    return (path, *(path[:end] for end in range(len(path)) if path[end] in ".["))


def test_holders_of_a_nested_path() -> None:
    assert _holding("identity.emails[0].address") == (
        "identity.emails[0].address",
        "identity",
        "identity.emails",
        "identity.emails[0]",
    )
    assert _holding("") == ("",)
    assert _holding("name") == ("name",)


@given(st.lists(_SEGMENT, max_size=6).map("".join))
def test_holders_are_each_cut_before_a_separator(path: str) -> None:
    assert _holding(path) == _split(path)
    assert _holding(path) == _holding(path)  # cached: the same answer the second time
