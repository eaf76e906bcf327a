"""Households in the fit: relatives sharing a phone and an address are not one person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from crmcore import Contact, PostalAddress
from crmcore.dedup import DEFAULT_RULE_COMPARISONS, block, fit, score_pairs

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


def test_the_phone_rule_leaves_the_address_out_of_its_run() -> None:
    assert set(DEFAULT_RULE_COMPARISONS["crmcore.phone"]) == {"crmcore.phone", "crmcore.address"}


def test_relatives_sharing_a_phone_and_an_address_do_not_teach_m(
    person: Callable[..., Contact],
) -> None:
    records = _records(person)
    pairs = block(records)
    model = fit(records, pairs, seed=1)
    name = next(c for c in model.comparisons if c.name == "crmcore.name")
    # No person's two records differ on the name: EM must not learn that matches do.
    assert name.m[name.levels.index("different")] < 0.05
    scored = score_pairs(model, records, pairs)
    found = {(left, right) for left, right, _ in scored.edges(0.9)}  # the match threshold
    assert not any(left.startswith("h") for left, _ in found)  # no relatives matched
    assert {(f"p{p:02}-0", f"p{p:02}-1") for p in range(60)} <= found
