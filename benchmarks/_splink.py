"""Splink's side of the deduplication benchmark: the DataFrame, the model, the run to clusters.

:func:`frame` builds the pandas DataFrame a Splink user would feed it from the same cleaned
contacts crmcore deduplicates (one row per contact: first and family name, date of birth,
first email, first phone in E.164 form, first postal code, city and address line, first id
in another system, the organisation the person belongs to), prepared the way
Splink's tutorials prepare names: lower case, accents removed, spaces collapsed.

:func:`run` is timed from that DataFrame to clusters: a fresh DuckDB connection, the
settings (standard comparisons from ``splink.comparison_library``, with swapped names and the
date of birth; blocking rules comparable to crmcore's), the prior from deterministic rules,
u from random pairs, m by expectation-maximisation with no labels, prediction, and connected
components at the threshold. Everything Splink offers for this is used as its documentation
recommends; nothing here is tuned on the labels. Two sets of blocking rules may be given
(:data:`BLOCKING_SETS`), each with the blocking rules of its EM runs (:data:`TRAINING_SETS`):
the standard one, and a tight one for a million contacts, where the standard rules make too
many pairs to score and to train on.

Two choices follow Splink's advice that the compared columns be independent of one another
(the Fellegi-Sunter model adds their weights as if they were):

- the e-mail address is compared for an exact match only, not with ``EmailComparison``'s
  user-name and Jaro-Winkler levels: in CRM data the user name is mostly made of the person's
  names (``giulia.greco``, ``s.weber``), so those levels count the name a second time and pair
  namesakes and relatives;
- the city is not compared: the postal code says it already (in the generated data each postal
  code has one city), and comparing both counts the place twice.

Before these two changes (2026-12-05) Splink's cluster precision on the generated contacts was
0.09 to 0.16; its fitted weights showed the cause (an exact name and an exact e-mail user name
reached the threshold together, with nothing else agreeing).

DuckDB holds Splink's tables in memory and by default may take 80% of the machine's. Given a
:class:`DuckDBSettings` (the benchmark's ``--splink-memory-gib``), :func:`run` and :func:`link`
open Splink's connection with that ``memory_limit``, a ``temp_directory`` to spill to, and
``threads``: configuration only, the settings and training are the same.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "BLOCKING_SETS",
    "SPLINK_BLOCKING",
    "SPLINK_COMPARISONS",
    "TRAINING_RULES",
    "TRAINING_RULES_TIGHT",
    "TRAINING_SETS",
    "DuckDBSettings",
    "frame",
    "link",
    "run",
]


@dataclass(frozen=True, slots=True)
class DuckDBSettings:
    """The memory limit, spill folder and threads of Splink's DuckDB connection."""

    memory_gib: float
    """DuckDB's ``memory_limit`` in GiB (positive)."""
    spill: str
    """DuckDB's ``temp_directory``: a folder the benchmark makes and removes."""
    threads: int
    """DuckDB's ``threads``: the cores the run is given."""


SPLINK_COMPARISONS = (
    "first and family name (ForenameSurnameComparison: exact with term frequencies, "
    "swapped, Jaro-Winkler 0.92 and 0.88 on both, exact family name, exact first name)",
    "date of birth (DateOfBirthComparison: exact, Levenshtein 1, within a month, a year, "
    "ten years)",
    "email (ExactMatch; its user name is made of the names, so no user-name levels)",
    "phone (ExactMatch)",
    "postal code (ExactMatch, term frequencies; the city is not compared, the code says it)",
    "first address line (JaroWinklerAtThresholds: exact, 0.9, 0.7)",
    "id in another system (DamerauLevenshteinAtThresholds 2, as Splink's FEBRL example "
    "compares its social security number)",
    "organisation the person belongs to (ExactMatch, where the data has one), as crmcore "
    "compares it",
)
"""What Splink compares, in words, for the results page."""

SPLINK_BLOCKING = (
    "email",
    "phone",
    "family name and postal code",
    "first-name initial and date of birth",
    "first and family name",
    "first and family name swapped",
    "family-name prefix (3 letters) and city",
    "id in another system",
)
"""Splink's blocking rules, in words: crmcore's rules as far as Splink's SQL reaches."""

SPLINK_BLOCKING_TIGHT = (
    "email",
    "phone",
    "first-name initial and date of birth",
    "family name and date of birth",
    "first and family name and postal code",
    "first and family name swapped",
    "first address line and postal code",
    "id in another system",
)
"""Splink's blocking rules for a million contacts, in words: the rules of
:data:`SPLINK_BLOCKING` on a name alone or a name and a place (a family name and a postal code,
a first and family name, a family-name prefix and a city) pair every namesake of a town or of
the whole set, and their pairs grow with the square of the contacts: at a million generated
contacts 614, 286 and 847 million pairs, 1.75 billion in all. Here a name is paired with a
postal code and a date of birth, as a Splink user tightens rules whose counts of comparisons
are too large: 42 million pairs at a million, three times crmcore's, as the standard rules
make at 100,000."""

BLOCKING_SETS = {"standard": SPLINK_BLOCKING, "tight": SPLINK_BLOCKING_TIGHT}
"""The blocking rules a run may give Splink (``--splink-blocking``), by name."""


TRAINING_RULES = (("first_name", "surname"), ("dob",), ("email",))
"""The blocking rules of the EM runs (a rule on a column with no value is left out)."""

TRAINING_RULES_TIGHT = (("first_name", "surname", "substr(dob, 1, 4)"), ("dob",), ("email",))
"""The blocking rules of the EM runs with the tight blocking rules: the first run blocks on a
first and family name and a year of birth, not on the names alone. At a million generated
contacts a first and family name alone make 286 million pairs, growing with the square of the
contacts and nearly all namesakes (Splink's advice is a rule whose pairs are between about 1%
and 99% matches); with the year of birth 0.66 million, the date of birth 5.3 million, the
e-mail 52 thousand. Each comparison's m is still estimated by some run: the names by the date
of birth and e-mail runs, the date of birth by the e-mail run, the rest by all three."""

TRAINING_SETS = {"standard": TRAINING_RULES, "tight": TRAINING_RULES_TIGHT}
"""The EM runs' blocking rules for each name of :data:`BLOCKING_SETS`."""


def _fold(text: str | None) -> str | None:
    if not text:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = " ".join(plain.lower().split())
    return folded or None


def _unreadable_birth_date(record: Any) -> str | None:
    """The raw text of a birth date cleaning set aside, as a Splink user would pass it on.

    crmcore compares a birth date quarantined as ``date.unreadable`` by its raw text, and
    Splink's date of birth comparison compares text too (its Levenshtein level), so both
    sides see it.
    """
    for item in record.quarantine:
        if item.path == "identity.birth_date" and isinstance(item.value, str):
            return " ".join(item.value.split()) or None
    return None


def frame(records: Sequence[Any]) -> pd.DataFrame:
    """One row per contact, the columns Splink compares; missing values are ``None``."""
    rows: list[dict[str, Any]] = []
    for record in records:
        identity = record.identity
        name = identity.name
        given = _fold(name.given) if name is not None else None
        family = _fold(name.family) if name is not None else None
        email = identity.emails[0].normalised.lower() if identity.emails else None
        phone = identity.phones[0].e164 if identity.phones else None
        address = identity.addresses[0] if identity.addresses else None
        postcode = _fold(address.postal_code) if address is not None else None
        city = _fold(address.locality) if address is not None else None
        born = (
            identity.birth_date.isoformat()
            if identity.birth_date is not None
            else _unreadable_birth_date(record)
        )
        street = _fold(address.lines[0]) if address is not None and address.lines else None
        external = identity.external_ids[0] if identity.external_ids else None
        organisation = _fold(identity.organisation)
        rows.append(
            {
                "unique_id": record.id,
                "first_name": given,
                "surname": family,
                "first_name_surname_concat": f"{given} {family}" if given and family else None,
                "dob": born,
                "email": email or None,
                "phone": phone or None,
                "postcode": postcode.replace(" ", "") if postcode else None,
                "city": city,
                "street": street,
                "external_id": f"{external.system}:{external.value}" if external else None,
                "organisation": organisation,
            }
        )
    columns = [
        "unique_id",
        "first_name",
        "surname",
        "first_name_surname_concat",
        "dob",
        "email",
        "phone",
        "postcode",
        "city",
        "street",
        "external_id",
        "organisation",
    ]
    return pd.DataFrame(rows, columns=columns).astype("object")


def _blocking(name: str) -> list[Any]:
    """The rules of :data:`BLOCKING_SETS` ``name`` as Splink's blocking rules."""
    from splink import block_on

    swapped = "l.first_name = r.surname and l.surname = r.first_name"
    if name == "tight":
        return [
            block_on("email"),
            block_on("phone"),
            block_on("substr(first_name, 1, 1)", "dob"),
            block_on("surname", "dob"),
            block_on("first_name", "surname", "postcode"),
            swapped,
            block_on("street", "postcode"),
            block_on("external_id"),
        ]
    if name != "standard":
        raise ValueError(f"unknown blocking set: {name}")
    return [
        block_on("email"),
        block_on("phone"),
        block_on("surname", "postcode"),
        block_on("substr(first_name, 1, 1)", "dob"),
        block_on("first_name", "surname"),
        swapped,
        block_on("substr(surname, 1, 3)", "city"),
        block_on("external_id"),
    ]


def _settings(present: set[str], link_type: str = "dedupe_only", blocking: str = "standard") -> Any:
    """Splink's settings; the organisation is compared where the data has one (not FEBRL)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name",
                "surname",
                forename_surname_concat_col_name="first_name_surname_concat",
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.ExactMatch("email"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("street"),
            cl.DamerauLevenshteinAtThresholds("external_id", [2]),
            *([cl.ExactMatch("organisation")] if "organisation" in present else []),
        ],
        blocking_rules_to_generate_predictions=_blocking(blocking),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _column(argument: str) -> str:
    """The column a ``block_on`` argument reads: ``dob`` for ``substr(dob, 1, 4)``."""
    return argument.split("(", 1)[-1].split(",", 1)[0].strip()


def _untrained(linker: Any) -> list[str]:
    """Splink's own words for each comparison with an m or u it has no estimate of (empty
    when, as Splink says, the model is fully trained)."""
    messages = (c._is_trained_message for c in linker._settings_obj.comparisons)
    return [" ".join(message.split()) for message in messages if message]


def _train(
    linker: Any, present: set[str], seed: int, u_pairs: float, blocking: str = "standard"
) -> None:
    """The prior from deterministic rules, u from random pairs, m by EM (no labels), the EM
    runs blocked on :data:`TRAINING_SETS` ``blocking``."""
    from splink import block_on

    deterministic = [("email",), ("phone",), ("first_name", "surname", "dob")]
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*columns) for columns in deterministic if present.issuperset(columns)],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    for columns in TRAINING_SETS[blocking]:
        if present.issuperset(_column(column) for column in columns):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*columns), estimate_without_term_frequencies=True
            )


def _present(*frames: pd.DataFrame) -> set[str]:
    """The columns with a value in every frame (a rule on an empty column is left out)."""
    found = [{c for c in df.columns if df[c].notna().any()} for df in frames]
    return set.intersection(*found)


def _quiet() -> None:
    for name in ("splink", "duckdb"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _database(duckdb_settings: DuckDBSettings | None) -> tuple[Any, dict[str, Any]]:
    """Splink's DuckDB API, and the limits its connection has (read back from DuckDB).

    With no settings, a connection as Splink opens one by default (DuckDB's own limits).
    """
    import duckdb
    from splink import DuckDBAPI

    config: dict[str, str | int] = {}
    if duckdb_settings is not None:
        config = {
            "memory_limit": f"{round(duckdb_settings.memory_gib * 1024)}MiB",
            "temp_directory": duckdb_settings.spill,
            "threads": duckdb_settings.threads,
        }
    connection = duckdb.connect(":memory:", config=config)
    row = connection.sql(
        "select current_setting('memory_limit'), current_setting('threads')"
    ).fetchall()[0]
    limits = {
        "memory_limit": str(row[0]),
        "threads": int(row[1]),
        "spill": duckdb_settings is not None,  # never the folder's path: it is the machine's
        "set": bool(config),
    }
    return DuckDBAPI(connection=connection), limits


def run(
    df: pd.DataFrame,
    threshold: float,
    seed: int,
    u_pairs: float,
    duckdb_settings: DuckDBSettings | None = None,
    blocking: str = "standard",
) -> dict[str, Any]:
    """Train Splink on ``df`` without labels, predict, cluster at ``threshold``.

    ``blocking`` names the rules of :data:`BLOCKING_SETS` predictions are made on, and of
    :data:`TRAINING_SETS` the EM runs are blocked on.

    Returns the clusters as ``{"ids": [...], "clusters": [...]}`` (parallel lists of each
    record's id and cluster id), the number of candidate pairs Splink scored (every pair its
    blocking rules made: prediction is asked for no threshold, as crmcore scores every
    candidate pair), the seconds of each stage, DuckDB's limits (``duckdb``) and the
    comparisons training left without an estimate (``untrained``, Splink's words; empty when
    fully trained). Counting the pairs, one count over the table prediction wrote, is inside
    the time.
    """
    import time

    from splink import Linker

    stages: dict[str, float] = {}
    start = time.perf_counter()
    _quiet()
    db_api, limits = _database(duckdb_settings)
    table = db_api.register(df)
    present = _present(df)
    linker = Linker(table, _settings(present, blocking=blocking), log_level=logging.ERROR)
    stages["load"] = time.perf_counter() - start
    mark = time.perf_counter()
    _train(linker, present, seed, u_pairs, blocking)
    stages["fit"] = time.perf_counter() - mark
    mark = time.perf_counter()
    predictions = linker.inference.predict()
    stages["score"] = time.perf_counter() - mark
    pairs = int(predictions.as_duckdbpyrelation().count("*").fetchall()[0][0])
    mark = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    found = clusters.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
    stages["cluster"] = time.perf_counter() - mark
    return {
        "ids": [str(row[0]) for row in found],
        "clusters": [str(row[1]) for row in found],
        "candidate_pairs": pairs,
        "stages": stages,
        "duckdb": limits,
        "untrained": _untrained(linker),
    }


def link(
    frames: tuple[pd.DataFrame, pd.DataFrame],
    threshold: float,
    seed: int,
    u_pairs: float,
    duckdb_settings: DuckDBSettings | None = None,
    blocking: str = "standard",
) -> dict[str, Any]:
    """Link two DataFrames (``link_only``), trained as :func:`run`; the pairs at ``threshold``.

    The pairs are given as ``[left id, right id]``, the left id from the first frame.
    """
    import time

    from splink import Linker

    stages: dict[str, float] = {}
    start = time.perf_counter()
    _quiet()
    left, right = frames
    db_api, limits = _database(duckdb_settings)
    tables = [
        db_api.register(left, dataset_display_name="left_set"),
        db_api.register(right, dataset_display_name="right_set"),
    ]
    present = _present(left, right)
    linker = Linker(tables, _settings(present, "link_only", blocking), log_level=logging.ERROR)
    stages["load"] = time.perf_counter() - start
    mark = time.perf_counter()
    _train(linker, present, seed, u_pairs, blocking)
    stages["fit"] = time.perf_counter() - mark
    mark = time.perf_counter()
    predictions = linker.inference.predict()
    stages["score"] = time.perf_counter() - mark
    relation = predictions.as_duckdbpyrelation()
    pairs = int(relation.count("*").fetchall()[0][0])
    found = relation.filter(f"match_probability >= {threshold!r}").select(
        "unique_id_l, unique_id_r"
    )
    lefts = set(left["unique_id"])
    links = [[str(a), str(b)] if a in lefts else [str(b), str(a)] for a, b in found.fetchall()]
    return {
        "links": links,
        "candidate_pairs": pairs,
        "stages": stages,
        "duckdb": limits,
        "untrained": _untrained(linker),
    }
