"""Benchmark crmcore's cleaning and validation of messy contacts against pydantic and the floor.

Usage::

    python benchmarks/bench_quality.py [--n 100000] [--repeat 5] [--quick] [--profile]
                                       [--budget 450] [--memory-n 5000] [--no-gc]
                                       [--data tidy messy]

Every case reads the same messy rows (see ``_messy.py``), one row per call, in this process
alone (one core, no worker processes):

- crmcore, the whole pipeline: ``clean_raw(Contact, row, ctx)`` then ``validate(record,
  default_ruleset(), Context(as_of))``, with ``as_of`` fixed;
- crmcore, cleaning only (``clean_raw``), and validation only (``validate`` of the records
  cleaning made);
- pydantic: ``Contact.model_validate(row)`` of the model in ``_pydantic_quality.py``, a row it
  refuses (``ValidationError``) counting as processed, as crmcore reports rather than raises;
  and, for reference, the same model with one fixed default phone region;
- the floor: for each row, ``email_validator.validate_email(check_deliverability=False)`` on
  each email, ``phonenumbers.parse`` and ``is_valid_number`` on each phone, dateutil's
  ``parse(dayfirst=True)`` on each date: the library calls any correct implementation makes.
  crmcore does not call email-validator for a plain ASCII address (a shortcut held to
  email-validator's answers by a property test), so the floor is also timed with that same
  shortcut, and with it plus ISO dates read by ``date.fromisoformat`` as crmcore and the
  pydantic model read them.

Cases run in rounds: every round runs every case once, the crmcore pipeline, pydantic and
the floors back to back (their order alternating from round to round), so that all share the
machine's noise. A case's time is the median of its rounds; a ratio is crmcore's median over
the other's. Each timed run processes all ``n`` rows and keeps the results, with the garbage
collector on, as in applications (``--no-gc`` turns it off), after a ``gc.collect()`` and a
``gc.freeze()`` (the input rows, which a streaming job would not hold, are out of the
collector's sight); crmcore's caches of parsed values are emptied before each of its runs, its
converter and plans are built (a long-running job builds them once); CPU time is recorded
beside wall-clock time.

Both data profiles run by default, one after the other (``--data``): ``tidy``, where about 9%
of the rows have a value that cleaning sets aside, and ``messy``, where about half do (see
``_messy.py``).
Rounds after the third are skipped when the next would overrun ``--budget`` seconds. Peak
memory is measured in a separate pass with ``tracemalloc``, never while timing. After the
first round, the answers of crmcore and pydantic are compared row by row. The result is
printed as Markdown and written as JSON to ``benchmarks/results/quality-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import email_validator
import phonenumbers
from dateutil import parser as dateparser

import _pydantic_quality as pyd
import crmcore
from _common import (
    case_stats,
    common_parser,
    load_average,
    log,
    machine,
    memory_pass,
    parse_common,
    print_profile,
    profile_markdown,
    profile_summary,
    profiled,
    run_rounds,
    timed_case,
    traced_case,
    versions,
    write_result,
)
from _messy import DEFAULT_REGION, PROFILES, Messy, make_messy
from crmcore.cleaning import CleaningContext, clean_raw
from crmcore.cleaning import _raw_walk as crm_raw_walk
from crmcore.cleaning import names as crm_names
from crmcore.convert import _dates as crm_dates
from crmcore.records import _phones as crm_phones_store
from crmcore.records import values as crm_values
from crmcore.validation import BUILTIN_CODES, Context, RuleSet, Severity, default_ruleset, validate
from crmcore.validation import addresses as crm_addresses
from crmcore.validation import emails as crm_emails
from crmcore.validation import phones as crm_phones

SEED = 20240917
AS_OF = datetime(2026, 6, 1, tzinfo=timezone.utc)
PACKAGES = (
    "crmcore",
    "cattrs",
    "attrs",
    "pydantic",
    "pydantic-core",
    "pydantic-extra-types",
    "email-validator",
    "phonenumbers",
    "python-dateutil",
)


# -- what is measured ---------------------------------------------------------------------------


@dataclass
class State:
    """The rows of every case; some outputs are kept for the next cases and the checks."""

    messy: Messy
    regions: list[str] = field(init=False)
    crm_out: list[Any] = field(default_factory=list)
    crm_records: list[Any] = field(default_factory=list)
    pyd_out: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The floor is handed each row's country: finding it is not what it measures.
        self.regions = [region or DEFAULT_REGION for region in self.messy.regions]

    def head(self, n: int) -> State:
        """The first ``n`` rows only (for the warm-up, memory and profile passes)."""
        return State(self.messy.head(n))


@dataclass(frozen=True)
class Measurement:
    """One case: a function over a whole :class:`State`."""

    key: str
    label: str
    run: Callable[[State], list[Any]]
    keep: Callable[[State, list[Any]], None] | None = None
    crmcore: bool = False


@dataclass(frozen=True)
class Comparison:
    """crmcore's time over another case's, with the issue's target if there is one."""

    key: str
    title: str
    crmcore: str
    other: str
    target: str | None
    bound: float | None  # the ratio to keep under (strictly with ``strict``), or at most
    strict: bool = False


def clear_crmcore_caches() -> None:
    """Empty crmcore's caches of parsed values, so that every run starts cold."""
    crm_values.normalise_email.cache_clear()
    crm_values.parse_phone.cache_clear()
    crm_emails._read_cached.cache_clear()
    crm_phones._read_cached.cache_clear()
    crm_addresses._fits.cache_clear()
    crm_phones_store.clear()
    crm_names._cased_cached.cache_clear()
    crm_raw_walk._holding.cache_clear()
    crm_dates._zone_of.cache_clear()
    _cleaning_context().converter()._shared.clear()  # the facet values it shares


def _cleaning_context() -> CleaningContext:
    """The cleaning context of every crmcore case (one converter, built once, for all)."""
    return CleaningContext(as_of=AS_OF, default_region=DEFAULT_REGION, dayfirst=True)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

SAME_CHECKS = (
    "email.invalid_syntax",
    "phone.impossible",
    "phone.invalid",
    "address.country_unknown",
    "date.birth_in_future",
    "record.quarantined",
)
"""The codes of the checks the pydantic model makes too (a value it refuses is quarantined)."""


def same_checks_ruleset() -> RuleSet:
    """The default rule set with every code turned off but those of :data:`SAME_CHECKS`."""
    rules = default_ruleset()
    kept = {*SAME_CHECKS, "validator.crashed"}
    rules.remove(*(code.name for code in BUILTIN_CODES if code.name not in kept))
    return rules


def _floor(*, email_shortcut: bool, iso_dates: bool) -> Callable[[State], list[Any]]:
    """The bare library calls for each row, with or without crmcore's two shortcuts."""
    validate_email = email_validator.validate_email
    not_valid = email_validator.EmailNotValidError
    plain_ascii = crm_values._plain_ascii_email
    parse_phone = phonenumbers.parse
    is_valid = phonenumbers.is_valid_number
    not_a_phone = phonenumbers.NumberParseException
    parse_date = dateparser.parse
    iso = _ISO_DATE.match
    from_iso = date.fromisoformat

    def run(state: State) -> list[Any]:
        out: list[Any] = []
        messy = state.messy
        for emails, phones, dates, region in zip(
            messy.emails, messy.phones, messy.dates, state.regions, strict=True
        ):
            found: list[Any] = []
            for text in emails:
                text = text.strip()
                normalised = plain_ascii(text) if email_shortcut else None
                if normalised is None:
                    try:
                        normalised = validate_email(text, check_deliverability=False).normalized
                    except not_valid:
                        normalised = None
                found.append(normalised)
            for text in phones:
                try:
                    number = parse_phone(text, region)
                except not_a_phone:
                    found.append(None)
                    continue
                found.append(number if is_valid(number) else None)
            for text in dates:
                try:
                    if iso_dates and iso(text):
                        found.append(from_iso(text))
                    else:
                        found.append(parse_date(text, dayfirst=True))
                except (ValueError, OverflowError):
                    found.append(None)
            out.append(found)
        return out

    return run


def measurements() -> dict[str, Measurement]:
    contact = crmcore.Contact
    cleaning = _cleaning_context()
    checking = Context(AS_OF, default_region=DEFAULT_REGION)
    rules = default_ruleset()
    same_rules = same_checks_ruleset()
    model, fixed = pyd.Contact.model_validate, pyd.FixedRegionContact.model_validate
    refused = pyd.ValidationError

    def crm_pipeline(ruleset: RuleSet) -> Callable[[State], list[Any]]:
        def run(state: State) -> list[Any]:
            out = []
            for row in state.messy.rows:
                result = clean_raw(contact, row, cleaning)
                out.append((result, validate(result.record, ruleset, checking)))
            return out

        return run

    def crm_clean(state: State) -> list[Any]:
        return [clean_raw(contact, row, cleaning) for row in state.messy.rows]

    def crm_validate(state: State) -> list[Any]:
        return [validate(record, rules, checking) for record in state.crm_records]

    def pydantic(validate_row: Callable[[Any], Any]) -> Callable[[State], list[Any]]:
        def run(state: State) -> list[Any]:
            out: list[Any] = []
            for row in state.messy.rows:
                try:
                    out.append(validate_row(row))
                except refused as exc:
                    out.append(exc)
            return out

        return run

    def keep_pipeline(state: State, out: list[Any]) -> None:
        state.crm_out = out

    def keep_records(state: State, out: list[Any]) -> None:
        state.crm_records = [result.record for result in out]

    def keep_pydantic(state: State, out: list[Any]) -> None:
        state.pyd_out = out

    found = [
        Measurement(
            "crmcore.pipeline",
            "crmcore clean_raw + validate",
            crm_pipeline(rules),
            keep_pipeline,
            crmcore=True,
        ),
        Measurement(
            "pydantic",
            "pydantic model_validate (region per row)",
            pydantic(model),
            keep_pydantic,
        ),
        Measurement(
            "floor",
            "floor: email-validator, phonenumbers, dateutil",
            _floor(email_shortcut=False, iso_dates=False),
        ),
        Measurement(
            "floor.email_shortcut",
            "floor, crmcore's plain-ASCII email shortcut",
            _floor(email_shortcut=True, iso_dates=False),
        ),
        Measurement(
            "floor.shortcuts",
            "floor, email shortcut + ISO dates without dateutil",
            _floor(email_shortcut=True, iso_dates=True),
        ),
        Measurement(
            "crmcore.same_checks",
            "crmcore clean_raw + validate, the pydantic model's checks only",
            crm_pipeline(same_rules),
            crmcore=True,
        ),
        Measurement(
            "crmcore.clean", "crmcore clean_raw only", crm_clean, keep_records, crmcore=True
        ),
        Measurement(
            "crmcore.validate",
            "crmcore validate only (cleaned records)",
            crm_validate,
            crmcore=True,
        ),
        Measurement(
            "pydantic.fixed_region",
            "pydantic model_validate (one fixed phone region)",
            pydantic(fixed),
        ),
    ]
    return {item.key: item for item in found}


# The crmcore pipeline, pydantic and the floors alternate; validation needs cleaning's records.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("crmcore.pipeline", "pydantic", "floor", "floor.email_shortcut", "floor.shortcuts"),
    ("crmcore.same_checks", "crmcore.clean", "crmcore.validate", "pydantic.fixed_region"),
)

COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "pydantic",
        "Clean + validate vs pydantic (region per row)",
        "crmcore.pipeline",
        "pydantic",
        "within 1.5x of pydantic",
        1.5,
    ),
    Comparison(
        "floor",
        "Clean + validate vs the floor as defined",
        "crmcore.pipeline",
        "floor",
        "within 2x of the floor",
        2.0,
    ),
    Comparison(
        "floor_email_shortcut",
        "Clean + validate vs the floor with the same email shortcut",
        "crmcore.pipeline",
        "floor.email_shortcut",
        None,
        None,
    ),
    Comparison(
        "floor_shortcuts",
        "Clean + validate vs the floor with the email and ISO-date shortcuts",
        "crmcore.pipeline",
        "floor.shortcuts",
        None,
        None,
    ),
    Comparison(
        "pydantic_fixed_region",
        "Clean + validate vs pydantic with one fixed phone region",
        "crmcore.pipeline",
        "pydantic.fixed_region",
        None,
        None,
    ),
    Comparison(
        "same_checks_vs_pydantic",
        "Clean + validate with the pydantic model's checks only vs pydantic",
        "crmcore.same_checks",
        "pydantic",
        "like for like: within 1.5x of pydantic",
        1.5,
    ),
    Comparison(
        "clean_vs_pydantic",
        "Cleaning alone vs pydantic (region per row)",
        "crmcore.clean",
        "pydantic",
        None,
        None,
    ),
)


def round_order(index: int) -> list[str]:
    """Every case once; the first group's order is reversed every other round."""
    first, *rest = GROUPS
    order = list(first if index % 2 == 0 else reversed(first))
    for group in rest:
        order.extend(group)
    return order


# -- running ------------------------------------------------------------------------------------


def prepare(measurement: Measurement) -> None:
    """Untimed: empty crmcore's caches, collect garbage, move survivors out of the way."""
    if measurement.crmcore:
        clear_crmcore_caches()
    gc.collect()
    gc.freeze()


def timed(measurement: Measurement, state: State, *, collector: bool) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``measurement`` over ``state``."""
    return timed_case(measurement, state, lambda: prepare(measurement), collector=collector)


def traced(measurement: Measurement, state: State) -> tuple[int, int]:
    """Peak and retained bytes allocated while running ``measurement`` (results kept)."""
    return traced_case(measurement, state, lambda: prepare(measurement))


# -- checks: both sides must reach the same answers --------------------------------------------


def data_stats(messy: Messy) -> dict[str, Any]:
    """What the rows hold, and how much of it each shortcut takes (not timed)."""
    emails = [text.strip() for row in messy.emails for text in row]
    phones = [text.strip() for row in messy.phones for text in row]
    dates = [text for row in messy.dates for text in row]
    plain = sum(crm_values._plain_ascii_email(text) is not None for text in emails)
    iso = sum(_ISO_DATE.match(text) is not None for text in dates)
    international = sum(text.startswith(("+", "00", "011")) for text in phones)
    return {
        "rows": len(messy.rows),
        "emails": len(emails),
        "emails_plain_ascii": plain,
        "phones": len(phones),
        "phones_international": international,
        "dates": len(dates),
        "dates_iso": iso,
        "planted_defects": dict(sorted(messy.planted.items())),
    }


def _crm_values(result: Any) -> dict[str, Any]:
    identity = result.record.identity
    country = identity.addresses[0].country if identity.addresses else None
    return {
        "emails": sorted({email.normalised for email in identity.emails}),
        "phones": [phone.e164 for phone in identity.phones],
        "birth_date": identity.birth_date,
        "last_purchase_on": result.record.quantitative.last_purchase_on,
        "country": country,
    }


def _pyd_values(model: Any) -> dict[str, Any]:
    identity = model.identity
    country = identity.addresses[0].country if identity.addresses else None
    return {
        "emails": sorted(set(identity.emails)),
        "phones": list(identity.phones),
        "birth_date": identity.birth_date,
        "last_purchase_on": model.quantitative.last_purchase_on,
        "country": country,
    }


def compare_answers(state: State) -> dict[str, Any]:
    """Row by row: which rows each side refuses, and the values of the rows both accept.

    A row is flagged by crmcore when cleaning set a value aside or validation found an error;
    pydantic flags a row by refusing it. On rows neither flags, both must have read the same
    normalised emails (as a set: crmcore merges an address entered twice), the same E.164
    phones, dates and country; a difference raises.
    """
    both = crm_only = pyd_only = neither = quarantined = 0
    differ: list[str] = []
    codes: dict[str, int] = {}
    for (result, report), model in zip(state.crm_out, state.pyd_out, strict=True):
        crm_flags = bool(result.quarantine) or not report.ok
        pyd_flags = isinstance(model, pyd.ValidationError)
        quarantined += bool(result.quarantine)
        for item in result.quarantine:
            codes[item.code] = codes.get(item.code, 0) + 1
        for issue in report.issues:
            if issue.severity is Severity.ERROR:
                codes[issue.code] = codes.get(issue.code, 0) + 1
        if crm_flags and pyd_flags:
            both += 1
        elif crm_flags:
            crm_only += 1
        elif pyd_flags:
            pyd_only += 1
        else:
            neither += 1
            if _crm_values(result) != _pyd_values(model):
                differ.append(result.record.id)
    if differ:
        raise AssertionError(f"the two sides read {len(differ)} rows differently: {differ[:5]}")
    return {
        "rows": len(state.crm_out),
        "flagged_by_both": both,
        "flagged_by_crmcore_only": crm_only,
        "refused_by_pydantic_only": pyd_only,
        "accepted_by_both": neither,
        "quarantined_rows": quarantined,
        "crmcore_error_and_quarantine_codes": dict(sorted(codes.items())),
    }


PROFILE_AREAS: tuple[tuple[str, str], ...] = (
    ("email_validator", "email-validator"),
    ("phonenumbers", "phonenumbers"),
    ("dateutil", "dateutil"),
    ("<cattrs generated", "cattrs generated functions"),
    ("<attrs generated", "attrs __init__ (generated)"),
    ("<crmcore", "crmcore generated walkers and rebuilders"),
    ("cattrs", "cattrs runtime"),
    ("attr", "attrs runtime"),
    ("crmcore/cleaning", "crmcore cleaning"),
    ("crmcore/validation", "crmcore validation"),
    ("crmcore/convert/_converter.py", "crmcore convert hooks"),
    ("crmcore/convert/_lenient.py", "crmcore convert/_lenient.py readers"),
    ("crmcore/convert/_values.py", "crmcore convert/_values.py shorthand readers"),
    ("crmcore/convert/", "crmcore convert, other (dates, limits)"),
    ("crmcore/records/_checks.py", "crmcore records/_checks.py constructor checks"),
    ("crmcore/records/_contact_text.py", "crmcore email and phone readers"),
    ("crmcore/records", "crmcore records (validators, factories)"),
    ("crmcore", "crmcore, other"),
)


def profile(state: State, table: dict[str, Measurement], top: int = 20) -> dict[str, Any]:
    """cProfile crmcore's whole pipeline; the top entries by cumulative and by own time."""
    measurement = table["crmcore.pipeline"]
    timed(measurement, state, collector=False)  # warm, as in the timed rounds
    prepare(measurement)
    profiler = profiled(lambda: measurement.run(state))
    return {"case": "pipeline", "records": len(state.messy.rows)} | profile_summary(
        profiler, PROFILE_AREAS, top
    )


# -- reporting ----------------------------------------------------------------------------------


def verdict(comparison: Comparison, ratio: float) -> str:
    if comparison.bound is None:
        return "(reference)"
    met = ratio < comparison.bound if comparison.strict else ratio <= comparison.bound
    word = "met" if met else "missed"
    return f"{word}: {ratio:.2f}x (bound {comparison.bound:g}x)"


def summarise(
    args: argparse.Namespace,
    table: dict[str, Measurement],
    wall: dict[str, list[float]],
    cpu: dict[str, list[float]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Medians per case and ratios per comparison."""
    found = {key: case_stats(table[key].label, wall[key], cpu[key], args.n) for key in table}
    compared = []
    for comparison in COMPARISONS:
        crm, other = found[comparison.crmcore], found[comparison.other]
        ratio = crm["median"] / other["median"]
        cpu_ratio = crm["cpu_median"] / other["cpu_median"]
        compared.append(
            {
                "key": comparison.key,
                "title": comparison.title,
                "crmcore": comparison.crmcore,
                "other": comparison.other,
                "crmcore_median": crm["median"],
                "other_median": other["median"],
                "ratio": ratio,
                "cpu_ratio": cpu_ratio,
                "round_ratios": [a / b for a, b in zip(crm["times"], other["times"], strict=True)],
                "target": comparison.target,
                "bound": comparison.bound,
                "verdict": verdict(comparison, ratio),
                "cpu_verdict": verdict(comparison, cpu_ratio),
            }
        )
    return found, compared


def markdown(result: dict[str, Any]) -> str:
    config = result["config"]
    n, memory_n = config["n"], config["memory_n"]
    lines = [
        f"n = {n:,} contacts ({result['data_profile']} profile: "
        f"{result['answers'].get('quarantined_rows', 0):,} rows with a value set aside), "
        f"{config['rounds']} rounds, median per case, garbage collector "
        + ("on" if config["gc_while_timing"] else "off")
        + (f"; memory over the first {memory_n:,} rows." if memory_n else "."),
        "",
        "| Case | Median (s) | Min–max (s) | CPU median (s) | Records/s | µs/record | "
        f"Peak MiB ({memory_n:,}) | Peak bytes/record |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, entry in result["measurements"].items():
        peak = result["memory"].get(key, {}).get("peak_bytes")
        lines.append(
            f"| {entry['label']} | {entry['median']:.2f} | {min(entry['times']):.2f}–"
            f"{max(entry['times']):.2f} | {entry['cpu_median']:.2f} | "
            f"{entry['records_per_second']:,.0f} | {entry['microseconds_per_record']:.0f} | "
            + (f"{peak / 2**20:.1f} | {peak / memory_n:,.0f} |" if peak is not None else "– | – |")
        )
    lines += [
        "",
        "| Comparison | crmcore (s) | Other (s) | Ratio | Per-round ratios | CPU-time ratio "
        "| Target | Verdict |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for entry in result["comparisons"]:
        lines.append(
            f"| {entry['title']} | {entry['crmcore_median']:.2f} | "
            f"{entry['other_median']:.2f} | **{entry['ratio']:.2f}** | "
            f"{min(entry['round_ratios']):.2f}–{max(entry['round_ratios']):.2f} | "
            f"{entry['cpu_ratio']:.2f} | {entry['target'] or '–'} | {entry['verdict']} |"
        )
    data = result["data"]
    lines += [
        "",
        f"Data: {data['rows']:,} rows, {data['emails']:,} emails "
        f"({data['emails_plain_ascii'] / data['emails']:.0%} plain ASCII, taken by crmcore's "
        f"shortcut), {data['phones']:,} phones ({data['phones_international'] / data['phones']:.0%}"
        f" written internationally), {data['dates']:,} dates "
        f"({data['dates_iso'] / data['dates']:.0%} ISO 8601).",
    ]
    answers = result.get("answers")
    if answers:
        lines += [
            "",
            f"Rows: {answers['rows']:,}; flagged by both sides {answers['flagged_by_both']:,}, "
            f"by crmcore only {answers['flagged_by_crmcore_only']:,}, refused by pydantic only "
            f"{answers['refused_by_pydantic_only']:,}; accepted by both, with the same values, "
            f"{answers['accepted_by_both']:,}.",
        ]
    if "profile" in result:
        prof = result["profile"]
        lines += profile_markdown(prof, f"crmcore pipeline, {prof['records']:,} rows")
    return "\n".join(lines)


# -- main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = common_parser(
        __doc__.split("\n\n")[0], "rows", profile_n=10_000, seed=SEED, collector=True
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile crmcore's pipeline")
    parser.add_argument(
        "--data",
        nargs="+",
        choices=list(PROFILES),
        default=list(PROFILES),
        help="the data profiles to run, one after the other (default: tidy messy)",
    )
    return parse_common(parser, argv)


def run_profile(
    args: argparse.Namespace, data: str, table: dict[str, Measurement]
) -> dict[str, Any]:
    """Every case over ``args.n`` rows of the data profile ``data``: the result of one run."""
    began = time.perf_counter()
    load_before = load_average()
    log(f"generating {args.n:,} {data} contacts (seed {args.seed})")
    state = State(make_messy(args.n, args.seed, data))

    log("warming up")
    warm = state.head(min(args.n, 1_000))
    for key in round_order(0):
        timed(table[key], warm, collector=args.gc)
    compare_answers(warm)
    del warm

    answers: dict[str, Any] = {}

    def after_round(index: int) -> None:
        nonlocal answers
        if index == 0:
            answers = compare_answers(state)
        state.crm_out, state.pyd_out = [], []

    wall, cpu, rounds = run_rounds(
        round_order,
        lambda key: timed(table[key], state, collector=args.gc),
        after_round,
        args,
        began,
    )
    state.crm_records = []
    gc.unfreeze()
    gc.collect()

    memory: dict[str, dict[str, Any]] = {}
    if args.memory_n:
        log(f"tracemalloc pass over {args.memory_n:,} rows")
        sample = state.head(args.memory_n)
        memory = memory_pass(round_order(0), lambda key: traced(table[key], sample), args.memory_n)
        del sample

    found, compared = summarise(args, table, wall, cpu)
    result: dict[str, Any] = {
        "data_profile": data,
        "config": {
            "n": args.n,
            "repeat": args.repeat,
            "rounds": rounds,
            "seed": args.seed,
            "memory_n": args.memory_n,
            "gc_while_timing": args.gc,
            "as_of": AS_OF.isoformat(),
            "default_region": DEFAULT_REGION,
            "dayfirst": True,
        },
        "data": data_stats(state.messy),
        "load_average": {"before": load_before, "after": load_average()},
        "measurements": found,
        "memory": memory,
        "comparisons": compared,
        "answers": answers,
    }
    if args.profile:
        log(f"profiling crmcore's pipeline over {args.profile_n:,} rows")
        result["profile"] = profile(state.head(args.profile_n), table)
        print_profile(result["profile"])
    result["elapsed_seconds"] = time.perf_counter() - began
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    today = dt.date.today().isoformat()
    table = measurements()
    runs = {data: run_profile(args, data, table) for data in args.data}
    result: dict[str, Any] = {
        "date": today,
        "machine": machine(),
        "versions": versions(PACKAGES),
        "profiles": runs,
        "elapsed_seconds": time.perf_counter() - began,
    }
    text = "\n\n".join(f"### {data} profile\n\n{markdown(run)}" for data, run in runs.items())
    write_result(result, "quality", args, today, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
