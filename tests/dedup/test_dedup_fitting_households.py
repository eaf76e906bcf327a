"""The fit with households: relatives sharing a phone and an address are not one person;
the prior from the pairs of every rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import numpy as np

from crmcore import Contact, PostalAddress
from crmcore.dedup import (
    DEFAULT_RULE_COMPARISONS,
    BlockingRules,
    MatchModel,
    block,
    email_keys,
    family_postcode_keys,
    fit,
    score_pairs,
)
from crmcore.dedup.fitting import UNFITTED_RULES, _by_row, _matched, _pattern_table, _patterns, _Run

_GIVEN = ("Anna", "Bruno", "Chloe", "Dario", "Elena", "Fabio", "Greta", "Hugo", "Irene", "Jonas")
_FAMILY = ("Rossi", "Weber", "Martin", "Silva", "Jansen", "Moreau", "Keller", "Costa")


def _home(h: int) -> PostalAddress:
    return PostalAddress(
        lines=(f"{h + 1} rue des Lilas",), postal_code=f"{75001 + h}", country="FR"
    )


def _records(person: Callable[..., Contact]) -> list[Contact]:
    """60 households of two relatives (one family name, one phone, one address, other given
    names, e-mails and birth dates), and 60 people with two records each (one name, one
    e-mail, one birth date, one phone, one address)."""
    records = []
    for h in range(60):
        family, phone, home = f"{_FAMILY[h % 8]}{h}", f"01 40 {h:02} 10 10", _home(h)
        for k in range(2):
            records.append(
                person(
                    _GIVEN[(h + 5 * k) % 10],
                    family,
                    phones=(phone,),
                    addresses=(home,),
                    emails=(f"h{h}-{k}@example.org",),
                    birth_date=date(
                        1950 + h % 20 + 25 * k, 1 + (h + 6 * k) % 12, 1 + (h + 13 * k) % 28
                    ),
                    record_id=f"h{h:02}-{k}",
                )
            )
    for p in range(60):
        given, family = _GIVEN[p % 10], f"{_FAMILY[(p + 3) % 8]}x{p}"
        for k in range(2):
            records.append(
                person(
                    given,
                    family,
                    emails=(f"p{p}@example.org",),
                    phones=(f"01 50 {p:02} 20 20",),
                    addresses=(_home(100 + p),),
                    birth_date=date(1960 + p % 30, 1 + p % 12, 1 + p % 28),
                    record_id=f"p{p:02}-{k}",
                )
            )
    return records


def test_the_phone_rule_leaves_the_address_and_the_name_out_of_its_run() -> None:
    assert set(DEFAULT_RULE_COMPARISONS["crmcore.phone"]) == {
        "crmcore.phone",
        "crmcore.address",
        "crmcore.name",
    }


def _quiet_households(person: Callable[..., Contact]) -> list[Contact]:
    """:func:`_records`, the relatives with neither e-mail nor birth date: a phone, an
    address and a family name shared, nothing but the given name to tell them apart."""
    return [
        attrs.evolve(r, identity=attrs.evolve(r.identity, emails=(), birth_date=None))
        if r.id.startswith("h")
        else r
        for r in _records(person)
    ]


def _name_different_m(model: MatchModel) -> float:
    name = next(c for c in model.comparisons if c.name == "crmcore.name")
    return name.m[name.levels.index("different")]


def test_relatives_with_nothing_but_a_name_apart_do_not_teach_the_name_m(
    person: Callable[..., Contact],
) -> None:
    records = _quiet_households(person)
    pairs = block(records)
    assert _name_different_m(fit(records, pairs, seed=1)) < 0.05
    # Read by the phone rule's run, the name is what sets the relatives apart there, and
    # the run teaches that matches differ on it.
    read = {"crmcore.phone": ("crmcore.phone", "crmcore.address")}
    assert _name_different_m(fit(records, pairs, seed=1, rule_comparisons=read)) > 0.05


def test_relatives_sharing_a_phone_and_an_address_do_not_teach_m(
    person: Callable[..., Contact],
) -> None:
    records = _records(person)
    pairs = block(records)
    model = fit(records, pairs, seed=1)
    # No person's two records differ on the name: EM must not learn that matches do.
    assert _name_different_m(model) < 0.05
    scored = score_pairs(model, records, pairs)
    found = {(left, right) for left, right, _ in scored.edges(0.9)}  # the match threshold
    assert not any(left.startswith("h") for left, _ in found)  # no relatives matched
    assert {(f"p{p:02}-0", f"p{p:02}-1") for p in range(60)} <= found


def test_every_rule_counts_in_the_prior_its_pairs_read_with_the_fitted_m() -> None:
    # Two comparisons of levels (agree, differ, null); m and u given.
    m = [np.array([0.9, 0.1]), np.array([0.8, 0.2])]
    u = [np.array([0.01, 0.99]), np.array([0.05, 0.95])]
    # Levels of six pairs: agreeing on both, on neither, on both, on the second only (the
    # first null), on neither, on neither.
    matrix = np.array([[0, 0], [1, 1], [0, 0], [2, 0], [1, 1], [1, 1]], dtype=np.int16)
    one = (np.array([True] * 4 + [False] * 2), [0])  # rule one: pairs 0 to 3, the first read
    two = (np.array([False] * 3 + [True] * 3), [0, 1])  # rule two: pairs 3 to 5, both read
    runs = [_run(matrix, mask, columns) for mask, columns in (one, two)]
    matched = _matched(len(matrix), runs, (m, u), 100)
    assert matched[0] == matched[2] > 0.9 > 0.5 > matched[1]
    # A pair with nothing to compare but the key is no evidence: it counts nothing in rule
    # one, only what rule two gives it.
    alone = _matched(len(matrix), runs[:1], (m, u), 100)
    assert alone[3] == 0.0 < matched[3]
    assert matched[4] == matched[5] < matched[3]


def _run(matrix: np.ndarray[Any, Any], mask: np.ndarray[Any, Any], columns: list[int]) -> _Run:
    rows, counts, _, inverse, shift = _patterns(matrix, None, mask, columns, {})
    return _Run(mask, [], columns, rows, counts, inverse, shift)


def test_each_pairs_chance_read_by_its_row_is_that_read_run_by_run() -> None:
    rng = np.random.default_rng(7)
    m = [np.array([0.9, 0.1]), np.array([0.7, 0.2, 0.1])]
    u = [np.array([0.05, 0.95]), np.array([0.1, 0.3, 0.6])]
    size = 400
    matrix = np.column_stack([rng.integers(0, 3, size), rng.integers(0, 4, size)]).astype(np.int8)
    pair_combo = rng.choice(np.array([1, 2, 3]), size)  # bits of two rules: one, two, both
    combos = {("one",): 1, ("two",): 2, ("one", "two"): 3}
    chosen = [([1, 3], [0, 1]), ([2, 3], [1])]  # each rule's sets of rules and columns
    masks = [np.isin(pair_combo, codes) for codes, _ in chosen]
    table = _pattern_table(matrix, None, [columns for _, columns in chosen], {})
    by_row = _by_row(table, pair_combo, combos)
    assert by_row is not None
    by_mask, read_by_row = [], []
    for mask, (codes, columns) in zip(masks, chosen, strict=True):
        rows, counts, of_row, inverse, _ = _patterns(matrix, None, mask, columns, {}, table)
        assert of_row is not None
        by_mask.append(_Run(mask, codes, columns, rows, counts, inverse, None))
        read_by_row.append(_Run(None, codes, columns, rows, counts, of_row, None))
    expected = _matched(size, by_mask, (m, u), 100)
    found = _matched(size, read_by_row, (m, u), 100, by_row)
    assert np.array_equal(found, expected)
    assert len(set(expected.tolist())) > 3  # chances that differ from pair to pair


def test_an_unfitted_rule_s_pairs_get_no_em_run(person: Callable[..., Contact]) -> None:
    records = _records(person)

    def fitted(name: str | None) -> MatchModel:
        rules = BlockingRules()
        rules.add(Contact, email_keys(), name="crmcore.email")
        if name is not None:
            rules.add(Contact, family_postcode_keys(), name=name)
        return fit(records, block(records, rules), seed=3)

    assert "crmcore.name_organisation" in UNFITTED_RULES
    email_only = fitted(None)
    unfitted = fitted("crmcore.name_organisation")
    assert [c.m for c in unfitted.comparisons] == [c.m for c in email_only.comparisons]
    assert unfitted.prior == email_only.prior
    fitted_too = fitted("acme.names")  # the same pairs, a rule with a run of its own
    assert [c.m for c in fitted_too.comparisons] != [c.m for c in email_only.comparisons]
