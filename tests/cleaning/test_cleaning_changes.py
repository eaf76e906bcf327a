"""Change reports: personal marks from the field metadata, redaction, deterministic order."""

from __future__ import annotations

import gc
import pickle

import pytest

from crmcore import Account, Contact, Deal, fields
from crmcore.cleaning import RULES, Change, CleanResult, change
from crmcore.cleaning._frozen import FrozenMap
from crmcore.cleaning.changes import change_row, flat_changes, path_key, sorted_changes


@pytest.mark.parametrize(
    ("record_type", "path", "personal"),
    [
        (Contact, "id", False),
        (Contact, "identity.name.given", True),
        (Contact, "identity.emails[3].address", True),
        (Contact, "identity.emails[0].label", True),  # inside a personal list
        (Contact, "descriptive.industry", False),
        (Contact, "descriptive.lifecycle_stage", False),
        (Contact, "identity.custom.tier", True),  # custom values: no metadata to vouch
        (Contact, "no_such_field", True),
        (Account, "identity.name", False),
        (Account, "identity.domains[0]", False),
        (Account, "identity.phones[1]", True),  # a phone holds its number, personal
        (Account, "identity.phones[1].region", False),
        (Account, "identity.phones[1].number", True),
        (Deal, "descriptive.owner", True),
        (Deal, "descriptive.stage", False),
    ],
)
def test_personal_mark_comes_from_the_field_metadata(
    record_type: type, path: str, personal: bool
) -> None:
    assert change(record_type, path, "whitespace", " x", "x").personal is personal


def test_every_personal_field_of_the_metadata_is_marked_personal() -> None:
    unmarked = set()
    for record_type in (Contact, Account, Deal):
        for spec in fields(record_type):
            marked = change(record_type, spec.path, "r", 1, 2).personal
            assert marked or not spec.personal, spec.path
            if not marked:
                unmarked.add((record_type.__name__, spec.path))
    # plain fields the metadata calls not personal stay unmarked
    assert {("Contact", "id"), ("Account", "identity.domains"), ("Deal", "descriptive.stage")} <= (
        unmarked
    )


def test_personal_change_hides_before_and_after() -> None:
    c = change(Contact, "identity.name.family", "name_case", "DUPONT", "Dupont")
    assert "DUPONT" not in repr(c)
    assert "Dupont" not in repr(c)
    assert "DUPONT" not in str(c)
    assert c.redacted() == Change(
        "identity.name.family", "name_case", "<redacted>", "<redacted>", True
    )
    removed = change(Contact, "identity.name.given", "blank", " ", None)
    assert removed.redacted().after is None
    assert "after=None" in repr(removed)


def test_non_personal_change_shows_its_values() -> None:
    c = change(Contact, "descriptive.industry", "whitespace", " Retail", "Retail")
    assert c.redacted() is c
    assert "' Retail'" in repr(c)
    assert "'Retail'" in repr(c)


def test_paths_sort_list_indices_as_numbers() -> None:
    paths = ["a[10]", "a[2]", "a[2].b", "b", "a", "a.b"]
    assert sorted(paths, key=path_key) == ["a", "a.b", "a[2]", "a[2].b", "a[10]", "b"]
    changes = [
        Change(p, r, None, None, False) for p, r in [("a[10]", "x"), ("a[2]", "z"), ("a[2]", "b")]
    ]
    assert [(c.path, c.rule) for c in sorted_changes(changes)] == [
        ("a[2]", "b"),
        ("a[2]", "z"),
        ("a[10]", "x"),
    ]


def test_clean_result_repr_hides_personal_values() -> None:
    record = Contact("c-1")
    result = CleanResult(record, (change(Contact, "identity.name.given", "nfc", "Zoë", "Zoë"),))
    assert "Zoë" not in repr(result)
    assert result.changed


def test_rule_codes_are_documented_dotted_or_plain_words() -> None:
    assert all(code.replace(".", "").replace("_", "").isalnum() for code in RULES)
    assert all(text.endswith(".") for text in RULES.values())


def _holds(value: object, kind: type, depth: int = 3) -> bool:
    """Whether ``value`` refers to an object of ``kind`` within ``depth`` references."""
    found = [value]
    for _ in range(depth):
        found = [inner for outer in found for inner in gc.get_referents(outer)]
        if any(isinstance(item, kind) for item in found):
            return True
    return False


def test_a_result_keeps_its_changes_compact_and_gives_them_back_equal() -> None:
    given = [
        Change("identity.name.family", "name_case", "DUPONT", "Dupont", personal=True),
        Change("descriptive.industry", "whitespace", " Retail", "Retail", personal=False),
    ]
    result = CleanResult(Contact("c-1"), given)
    gc.collect()
    assert not _holds(result, Change)  # no Change object kept, nothing the collector scans
    tracked = [item for item in gc.get_referents(result) if gc.is_tracked(item)]
    assert tracked == [result.record, CleanResult]  # the record and the class, nothing else
    assert result.changes == tuple(given)
    assert [type(item) for item in result.changes] == [Change, Change]
    assert result.changed
    assert result == CleanResult(Contact("c-1"), tuple(given))
    assert hash(result) == hash(CleanResult(Contact("c-1"), tuple(given)))
    assert result != CleanResult(Contact("c-1"), given[:1])
    assert pickle.loads(pickle.dumps(result)) == result
    assert "before=<redacted>" in repr(result)
    assert "DUPONT" not in repr(result)
    assert "before=' Retail'" in repr(result)
    empty = CleanResult(Contact("c-1"))
    assert empty.changes == ()
    assert not empty.changed


def test_a_result_evolves_and_matches_by_its_changes() -> None:
    import attrs

    from crmcore.cleaning.changes import RawCleanResult

    made = [Change("identity.name.family", "name_case", "DUPONT", "Dupont", True)]
    for kind in (CleanResult, RawCleanResult):
        result = kind("record", made)
        evolved = attrs.evolve(result, quarantine=())
        assert evolved == result
        assert evolved.changes == tuple(made)
        match result:
            case CleanResult(record, changes, quarantine):
                # the public changes, never the values kept flat
                assert (record, changes, quarantine) == ("record", tuple(made), ())
            case _:
                pytest.fail("a result matches by record, changes and quarantine")


def test_rows_and_changes_flatten_in_the_order_sorted_changes_gives() -> None:
    """The raw stage's rows, then the record stage's changes: one result, as if all were
    :class:`Change` objects sorted together (stable for the same path and rule)."""
    raw = [
        ("identity.emails[10]", "email.normalise", " A@B.org", "A@b.org"),
        ("identity.emails[2]", "whitespace", {"address": [" x "]}, None),
        ("id", "whitespace", " c-1 ", "c-1"),
        ("identity.emails[2]", "whitespace", "second", "kept after the first"),
    ]
    staged = [
        change(Contact, "identity.emails[2]", "contact_point.merge", "merged", None),
        change(Contact, "id", "whitespace", "after the raw stage's", "c-1"),
    ]
    rows = [change_row(Contact, *item) for item in raw]
    assert rows[1][2] == FrozenMap({"address": (" x ",)})  # frozen, as a Change holds it
    expected = sorted_changes([change(Contact, *item) for item in raw] + staged)
    result = CleanResult(Contact("c-1"), flat_changes(rows, staged))
    assert result.changes == expected
    assert [c.path for c in result.changes][:3] == ["id", "id", "identity.emails[2]"]
    assert result.changes[1].before == "after the raw stage's"
    assert flat_changes([], []) == ()
