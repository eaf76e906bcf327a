"""What blocking's tests share: the check that two blocking results are the same."""

from __future__ import annotations

from crmcore.dedup import BlockingResult


def assert_same_blocking(found: BlockingResult, expected: BlockingResult) -> None:
    """The same pairs, rules' bits, summaries, skipped blocks and records without a key."""
    assert found.positions is not None
    assert expected.positions is not None
    assert found.positions.left.tolist() == expected.positions.left.tolist()
    assert found.positions.right.tolist() == expected.positions.right.tolist()
    assert found.positions.masks.tolist() == expected.positions.masks.tolist()
    assert (found.rules, found.skipped, found.unkeyed) == (
        expected.rules,
        expected.skipped,
        expected.unkeyed,
    )
