"""Benchmark crmcore's from_dict and to_dict against an equivalent pydantic v2 model.

Usage::

    python benchmarks/bench_convert.py [--n 100000] [--repeat 5] [--quick] [--profile]
                                       [--budget 450] [--memory-n 5000] [--gc]

Both sides convert the same contacts (see ``_data.py``), one record per call, in rounds: every
round runs every case once, crmcore and pydantic back to back (their order alternating from
round to round), so that both sides share the machine's noise. A case's time is the median of
its rounds; a ratio is crmcore's median over pydantic's. Each timed run converts all ``n``
records and keeps the results, with the garbage collector off (as ``timeit`` does; ``--gc``
keeps it on) after a ``gc.collect()``; CPU time is recorded beside wall-clock time. Rounds after
the third are skipped when the next would overrun ``--budget`` seconds. Peak memory is measured
in a separate pass with ``tracemalloc``, never while timing. The result is printed as Markdown
and written as JSON to ``benchmarks/results/convert-<date>.json``.

Cases, each fed its own side's data:

- validated: raw input (emails and phones as text) read and checked by both sides;
- plain: each side reads back its own JSON output (crmcore's ``to_dict``, pydantic's
  ``model_dump(mode="json")``); pydantic's ``EmailStr`` and ``PhoneNumber`` re-validate there,
  so pydantic is also timed on the same model with ``str`` emails and phones;
- unstructure: ``to_dict`` against ``model_dump(mode="json")``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import _pydantic_model as pyd_model
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
from _data import make_contacts
from crmcore.records import values as crm_values

Json = dict[str, Any]

SEED = 20240601
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
    """The inputs of every case; the outputs of one case feed the next ones (not timed)."""

    crm_raw: list[Json]
    pyd_raw: list[Json]
    crm_records: list[Any] = field(default_factory=list)
    pyd_models: list[Any] = field(default_factory=list)
    crm_dicts: list[Json] = field(default_factory=list)
    pyd_dicts: list[Json] = field(default_factory=list)

    def head(self, n: int) -> State:
        """The first ``n`` contacts only (for the warm-up, memory and profile passes)."""
        return State(self.crm_raw[:n], self.pyd_raw[:n])


@dataclass(frozen=True)
class Measurement:
    """One side of one case: a function over a whole :class:`State`."""

    key: str
    side: str
    label: str
    run: Callable[[State], list[Any]]
    keep: Callable[[State, list[Any]], None] | None = None
    crmcore_validation: bool = False


@dataclass(frozen=True)
class Comparison:
    """A crmcore measurement against a pydantic one, with the issue's target if there is one."""

    key: str
    title: str
    crmcore: str
    pydantic: str
    target: str | None
    bound: float | None  # ratio to meet (strictly below for "faster", at most for "as fast")
    strict: bool = False


@contextmanager
def phones_checked_valid() -> Iterator[None]:
    """Make crmcore also call ``is_valid_number`` on each phone it parses, as pydantic does.

    crmcore's ``parse_phone`` checks ``is_possible_number``; inside this block, the
    ``phonenumbers`` module it sees is a copy whose ``is_possible_number`` calls
    ``is_possible_number`` and then ``is_valid_number`` on the same parsed number. Nothing
    else changes, so the difference in time is the cost of the validity check.
    """
    namespace = vars(sys.modules[crm_values.parse_phone.__module__])  # where it reads phones
    real = namespace["phonenumbers"]
    possible, valid = real.is_possible_number, real.is_valid_number

    def possible_and_valid(number: Any) -> bool:
        return bool(possible(number) and valid(number))

    proxy = types.ModuleType(real.__name__)
    proxy.__dict__.update(vars(real))
    proxy.is_possible_number = possible_and_valid  # type: ignore[attr-defined]
    namespace["phonenumbers"] = proxy
    crm_values.parse_phone.cache_clear()
    try:
        yield
    finally:
        namespace["phonenumbers"] = real
        crm_values.parse_phone.cache_clear()


def clear_crmcore_caches() -> None:
    """Empty crmcore's caches of parsed emails and phones, so every run starts cold."""
    crm_values.normalise_email.cache_clear()
    crm_values.parse_phone.cache_clear()


def measurements(converter: crmcore.Converter) -> dict[str, Measurement]:
    from_dict, to_dict, contact = converter.from_dict, converter.to_dict, crmcore.Contact
    validate = pyd_model.Contact.model_validate
    validate_plain = pyd_model.PlainContact.model_validate

    def crm_validated(state: State) -> list[Any]:
        return [from_dict(contact, item) for item in state.crm_raw]

    def crm_validated_valid(state: State) -> list[Any]:
        with phones_checked_valid():
            return [from_dict(contact, item) for item in state.crm_raw]

    def pyd_validated(state: State) -> list[Any]:
        return [validate(item) for item in state.pyd_raw]

    def crm_unstructure(state: State) -> list[Any]:
        return [to_dict(record) for record in state.crm_records]

    def pyd_unstructure(state: State) -> list[Any]:
        return [model.model_dump(mode="json") for model in state.pyd_models]

    def crm_plain(state: State) -> list[Any]:
        return [from_dict(contact, item) for item in state.crm_dicts]

    def pyd_plain(state: State) -> list[Any]:
        return [validate(item) for item in state.pyd_dicts]

    def pyd_plain_str(state: State) -> list[Any]:
        return [validate_plain(item) for item in state.pyd_dicts]

    def keep_records(state: State, out: list[Any]) -> None:
        state.crm_records = out

    def keep_models(state: State, out: list[Any]) -> None:
        state.pyd_models = out

    def keep_crm_dicts(state: State, out: list[Any]) -> None:
        state.crm_dicts = out

    def keep_pyd_dicts(state: State, out: list[Any]) -> None:
        state.pyd_dicts = out

    found = [
        Measurement(
            "crmcore.validated",
            "crmcore",
            "crmcore from_dict, raw input",
            crm_validated,
            keep_records,
            crmcore_validation=True,
        ),
        Measurement(
            "crmcore.validated+is_valid",
            "crmcore",
            "crmcore from_dict, raw input, + is_valid_number per phone",
            crm_validated_valid,
            crmcore_validation=True,
        ),
        Measurement(
            "pydantic.validated",
            "pydantic",
            "pydantic model_validate, raw input",
            pyd_validated,
            keep_models,
        ),
        Measurement(
            "crmcore.unstructure", "crmcore", "crmcore to_dict", crm_unstructure, keep_crm_dicts
        ),
        Measurement(
            "pydantic.unstructure",
            "pydantic",
            'pydantic model_dump(mode="json")',
            pyd_unstructure,
            keep_pyd_dicts,
        ),
        Measurement("crmcore.plain", "crmcore", "crmcore from_dict of its to_dict", crm_plain),
        Measurement(
            "pydantic.plain",
            "pydantic",
            "pydantic model_validate of its dump (EmailStr, PhoneNumber)",
            pyd_plain,
        ),
        Measurement(
            "pydantic.plain_str",
            "pydantic",
            "pydantic model_validate of its dump (str emails and phones)",
            pyd_plain_str,
        ),
    ]
    return {item.key: item for item in found}


GROUPS: tuple[tuple[str, ...], ...] = (
    ("crmcore.validated", "crmcore.validated+is_valid", "pydantic.validated"),
    ("crmcore.unstructure", "pydantic.unstructure"),
    ("crmcore.plain", "pydantic.plain", "pydantic.plain_str"),
)

COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "validated",
        "Validated structuring",
        "crmcore.validated",
        "pydantic.validated",
        "1: faster than pydantic",
        1.0,
        strict=True,
    ),
    Comparison(
        "validated_same_checks",
        "Validated structuring, crmcore + is_valid_number",
        "crmcore.validated+is_valid",
        "pydantic.validated",
        "1: faster than pydantic (same phone checks)",
        1.0,
        strict=True,
    ),
    Comparison(
        "plain",
        "Plain structuring (like for like: pydantic with str emails/phones)",
        "crmcore.plain",
        "pydantic.plain_str",
        "2: at least as fast",
        1.0,
    ),
    Comparison(
        "plain_revalidating",
        "Plain structuring (pydantic re-validating EmailStr/PhoneNumber)",
        "crmcore.plain",
        "pydantic.plain",
        None,
        None,
    ),
    Comparison(
        "unstructure",
        "Unstructuring",
        "crmcore.unstructure",
        "pydantic.unstructure",
        "2: at least as fast",
        1.0,
    ),
)


def round_order(index: int) -> list[str]:
    """Every measurement once; within each case the sides' order alternates between rounds."""
    order: list[str] = []
    for group in GROUPS:
        order.extend(group if index % 2 == 0 else reversed(group))
    return order


# -- running ------------------------------------------------------------------------------------


def prepare(measurement: Measurement) -> None:
    """Untimed: collect garbage and move survivors out of the collector's way."""
    if measurement.crmcore_validation:
        clear_crmcore_caches()
    gc.collect()
    gc.freeze()


def timed(measurement: Measurement, state: State, *, collector: bool) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``measurement`` over ``state``."""
    return timed_case(measurement, state, lambda: prepare(measurement), collector=collector)


def traced(measurement: Measurement, state: State) -> tuple[int, int]:
    """Peak and retained bytes allocated while running ``measurement`` (results kept)."""
    return traced_case(measurement, state, lambda: prepare(measurement))


def check_same_values(state: State) -> None:
    """Both sides must have read every email and phone to the same normalised value."""
    for record, model in zip(state.crm_records, state.pyd_models, strict=True):
        crm_emails = [email.normalised for email in record.identity.emails]
        pyd_emails = [email.address for email in model.identity.emails]
        crm_phones = [phone.e164 for phone in record.identity.phones]
        pyd_phones = [str(phone.number) for phone in model.identity.phones]
        if crm_emails != pyd_emails or crm_phones != pyd_phones:
            raise AssertionError(f"the two sides disagree on {record.id}")


PROFILE_AREAS: tuple[tuple[str, str], ...] = (
    ("email_validator", "email-validator"),
    ("phonenumbers", "phonenumbers"),
    ("<cattrs generated", "cattrs generated functions"),
    ("<attrs generated", "attrs __init__ (generated)"),
    ("cattrs", "cattrs runtime"),
    ("crmcore/convert/_converter.py", "crmcore convert hooks"),
    ("crmcore/convert/_lenient.py", "crmcore convert/_lenient.py readers"),
    ("crmcore/convert/_values.py", "crmcore convert/_values.py shorthand readers"),
    ("crmcore/convert/", "crmcore convert, other (dates, limits)"),
    ("crmcore/records/_checks.py", "crmcore records/_checks.py constructor checks"),
    ("crmcore/records/_contact_text.py", "crmcore email and phone readers"),
    ("crmcore/records", "crmcore records (validators, factories)"),
    ("crmcore", "crmcore, other"),
    ("dateutil", "dateutil"),
)


def profile(
    case: str, state: State, table: dict[str, Measurement], top: int = 15
) -> dict[str, Any]:
    """cProfile one crmcore case; return the top entries by cumulative and by own time."""
    needs: list[str] = {
        "validated": [],
        "unstructure": ["crmcore.validated"],
        "plain": ["crmcore.validated", "crmcore.unstructure"],
    }[case]
    for key in needs:
        timed(table[key], state, collector=False)
    measurement = table[f"crmcore.{case}"]
    prepare(measurement)
    profiler = profiled(lambda: measurement.run(state))
    return {
        "case": case,
        "records": len(state.crm_raw),
        **profile_summary(profiler, PROFILE_AREAS, top),
    }


# -- reporting ----------------------------------------------------------------------------------


def verdict(comparison: Comparison, ratio: float) -> str:
    if comparison.bound is None:
        return "(reference)"
    met = ratio < comparison.bound if comparison.strict else ratio <= comparison.bound
    if met:
        return f"met ({1 / ratio:.2f}x pydantic's speed)"
    return f"missed: {ratio:.2f}x pydantic's time ({(ratio - 1) * 100:.0f}% slower)"


def summarise(
    args: argparse.Namespace,
    table: dict[str, Measurement],
    wall: dict[str, list[float]],
    cpu: dict[str, list[float]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Medians per measurement and ratios per comparison."""
    found = {
        key: {"side": table[key].side, **case_stats(table[key].label, wall[key], cpu[key], args.n)}
        for key in table
    }
    compared = []
    for comparison in COMPARISONS:
        crm, pyd = found[comparison.crmcore], found[comparison.pydantic]
        ratio = crm["median"] / pyd["median"]
        compared.append(
            {
                "key": comparison.key,
                "title": comparison.title,
                "crmcore": comparison.crmcore,
                "pydantic": comparison.pydantic,
                "crmcore_median": crm["median"],
                "pydantic_median": pyd["median"],
                "ratio": ratio,
                "cpu_ratio": crm["cpu_median"] / pyd["cpu_median"],
                "round_ratios": [a / b for a, b in zip(crm["times"], pyd["times"], strict=True)],
                "target": comparison.target,
                "verdict": verdict(comparison, ratio),
            }
        )
    return found, compared


def markdown(result: dict[str, Any]) -> str:
    config = result["config"]
    n, memory_n = config["n"], config["memory_n"]
    lines = [
        f"n = {n:,} contacts, {config['rounds']} rounds, median per case"
        + (f"; memory over the first {memory_n:,} contacts." if memory_n else "."),
        "",
        "| Measurement | Median (s) | Min–max (s) | Records/s | Peak MiB "
        f"({memory_n:,}) | Peak bytes/record |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, entry in result["measurements"].items():
        peak = result["memory"].get(key, {}).get("peak_bytes")
        lines.append(
            f"| {entry['label']} | {entry['median']:.2f} | {min(entry['times']):.2f}–"
            f"{max(entry['times']):.2f} | {entry['records_per_second']:,.0f} | "
            + (f"{peak / 2**20:.1f} | {peak / memory_n:,.0f} |" if peak is not None else "– | – |")
        )
    lines += [
        "",
        "| Case | crmcore (s) | pydantic (s) | Ratio crmcore/pydantic | Per-round ratios | "
        "CPU-time ratio | Target | Verdict |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for entry in result["comparisons"]:
        lines.append(
            f"| {entry['title']} | {entry['crmcore_median']:.2f} | "
            f"{entry['pydantic_median']:.2f} | **{entry['ratio']:.2f}** | "
            f"{min(entry['round_ratios']):.2f}–{max(entry['round_ratios']):.2f} | "
            f"{entry['cpu_ratio']:.2f} | {entry['target'] or '–'} | {entry['verdict']} |"
        )
    if "profile" in result:
        prof = result["profile"]
        lines += profile_markdown(
            prof, f"crmcore {prof['case']} path, {prof['records']:,} contacts"
        )
    return "\n".join(lines)


# -- main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = common_parser(__doc__.split("\n\n")[0], "contacts", profile_n=20_000, seed=SEED)
    parser.add_argument(
        "--profile",
        nargs="?",
        const="validated",
        choices=("validated", "plain", "unstructure"),
        help="also cProfile a crmcore path (default: validated) and print the top 15",
    )
    return parse_common(parser, argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    today = dt.date.today().isoformat()
    load_before = load_average()
    log(f"generating {args.n:,} contacts (seed {args.seed})")
    crm_raw, pyd_raw = make_contacts(args.n, args.seed)
    state = State(crm_raw, pyd_raw)
    converter = crmcore.Converter()
    table = measurements(converter)

    log("warming up")
    warm = state.head(min(args.n, 1_000))
    for key in round_order(0):
        timed(table[key], warm, collector=args.gc)
    check_same_values(warm)
    del warm

    def after_round(index: int) -> None:
        if index == 0:
            check_same_values(state)

    wall, cpu, rounds = run_rounds(
        round_order,
        lambda key: timed(table[key], state, collector=args.gc),
        after_round,
        args,
        began,
    )
    state.crm_records, state.pyd_models, state.crm_dicts, state.pyd_dicts = [], [], [], []
    gc.unfreeze()
    gc.collect()

    memory: dict[str, dict[str, Any]] = {}
    if args.memory_n:
        log(f"tracemalloc pass over {args.memory_n:,} contacts")
        sample = state.head(args.memory_n)
        memory = memory_pass(round_order(0), lambda key: traced(table[key], sample), args.memory_n)
        del sample

    found, compared = summarise(args, table, wall, cpu)
    result: dict[str, Any] = {
        "date": today,
        "machine": machine(),
        "versions": versions(PACKAGES),
        "config": {
            "n": args.n,
            "repeat": args.repeat,
            "rounds": rounds,
            "seed": args.seed,
            "memory_n": args.memory_n,
            "gc_while_timing": args.gc,
            "crmcore_converter": "Converter() (default options: verify=False, extra_keys=forbid)",
        },
        "load_average": {"before": load_before, "after": load_average()},
        "measurements": found,
        "memory": memory,
        "comparisons": compared,
    }

    if args.profile:
        log(f"profiling crmcore {args.profile} over {args.profile_n:,} contacts")
        result["profile"] = profile(args.profile, state.head(args.profile_n), table)
        print_profile(result["profile"])

    result["elapsed_seconds"] = time.perf_counter() - began
    write_result(result, "convert", args, today, markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
