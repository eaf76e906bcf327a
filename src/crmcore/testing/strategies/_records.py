"""Strategies for the four record types and their dicts."""

from __future__ import annotations

import string
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from crmcore.convert import to_dict
from crmcore.records import (
    RECORD_TYPES,
    Account,
    AccountDescriptive,
    AccountIdentity,
    AccountQualitative,
    AccountQuantitative,
    AccountType,
    Activity,
    ActivityDescriptive,
    ActivityIdentity,
    ActivityKind,
    ActivityQualitative,
    ActivityQuantitative,
    ActivityStatus,
    Category,
    Channel,
    Contact,
    ContactDescriptive,
    ContactIdentity,
    ContactQualitative,
    ContactQuantitative,
    CustomFields,
    CustomSchema,
    Deal,
    DealDescriptive,
    DealIdentity,
    DealQualitative,
    DealQuantitative,
    DealType,
    Direction,
    Health,
    LifecycleStage,
    Record,
    Satisfaction,
    Sentiment,
    SizeBand,
    Source,
)
from crmcore.testing.strategies._base import (
    AnyRecord,
    R,
    _counts,
    _dates,
    _fractions,
    _full_names,
    _ids,
    _maybe,
    _shared,
    _text,
    _tuples,
    aware_datetimes,
    person_names,
)
from crmcore.testing.strategies._values import (
    _domains,
    communication_preferences,
    custom_fields,
    emails,
    external_ids,
    money,
    notes,
    phones,
    postal_addresses,
    quarantined_values,
    registration_numbers,
    social_engagements,
)
from crmcore.testing.strategies._vocabulary import (
    _COMPANIES,
    _GENDERS,
    _INDUSTRIES,
    _JOBS,
    _LANGUAGES,
    _NOTE_TEXTS,
    _PIPELINES,
    _PRODUCTS,
    _REASONS,
    _STAGES,
    _SUBJECTS,
    _TERRITORIES,
)

# -- records --------------------------------------------------------------------------------


def _customs(
    record_type: type[Record], schema: CustomSchema | None
) -> dict[Category, SearchStrategy[CustomFields]]:
    if schema is not None and schema.record_type is not record_type:
        raise InvalidArgument(
            f"the schema is for {schema.record_type.__name__}, not {record_type.__name__}"
        )
    if schema is None:
        return {category: st.just(CustomFields()) for category in Category}
    return {category: custom_fields(schema, category) for category in Category}


def _in_order(record: R) -> R:
    """Swap the creation and update instants if the update came first."""
    created, updated = record.created_at, record.updated_at
    if created is not None and updated is not None and updated < created:
        return attrs.evolve(record, created_at=updated, updated_at=created)
    return record


def _record(cls: type[R], prefix: str, **facets: SearchStrategy[Any]) -> SearchStrategy[R]:
    built = st.builds(
        cls,
        id=_ids(prefix),
        created_at=_maybe(aware_datetimes()),
        updated_at=_maybe(aware_datetimes()),
        source=_maybe(st.sampled_from(Source)),
        last_verified_at=_maybe(aware_datetimes()),
        quarantine=st.just(()) | _tuples(quarantined_values(), max_size=2),
        **facets,
    )
    return built.map(_in_order)


@_shared
def contacts(schema: CustomSchema | None = None) -> SearchStrategy[Contact]:
    """Contacts with every facet filled or left empty at random; custom fields per ``schema``.

    Emails, phones and addresses come from :func:`emails`, :func:`phones` and
    :func:`postal_addresses`; counts are non-negative, ``nps`` runs from 0 to 10. Several
    contact points may be marked primary, as they are in real CRM data.
    """
    custom = _customs(Contact, schema)
    identity = st.builds(
        ContactIdentity,
        name=person_names(),
        emails=_tuples(emails()),
        phones=_tuples(phones()),
        addresses=_tuples(postal_addresses()),
        birth_date=_maybe(_dates(date(1900, 1, 1), date(2010, 12, 31))),
        organisation=_maybe(_text(_COMPANIES)),
        account_ref=_maybe(_ids("acc")),
        account_number=_maybe(st.text(string.digits, min_size=4, max_size=12)),
        external_ids=_tuples(external_ids()),
        custom=custom[Category.IDENTITY],
    )
    descriptive = st.builds(
        ContactDescriptive,
        job_title=_maybe(_text(_JOBS)),
        profession=_maybe(_text(_JOBS)),
        industry=_maybe(_text(_INDUSTRIES)),
        territory=_maybe(_text(_TERRITORIES)),
        organisation_size=_maybe(st.sampled_from(SizeBand)),
        lifecycle_stage=_maybe(st.sampled_from(LifecycleStage)),
        lead_source=_maybe(st.sampled_from(Source)),
        language=_maybe(st.sampled_from(_LANGUAGES)),
        gender=_maybe(_text(_GENDERS, 20)),
        communication=communication_preferences(),
        custom=custom[Category.DESCRIPTIVE],
    )
    qualitative = st.builds(
        ContactQualitative,
        satisfaction=_maybe(st.sampled_from(Satisfaction)),
        motivations=_tuples(_text(_REASONS)),
        interest_reasons=_tuples(_text(_REASONS)),
        wished_attributes=_tuples(_text(_REASONS)),
        pain_points=_tuples(_text(_REASONS)),
        notes=_tuples(notes()),
        custom=custom[Category.QUALITATIVE],
    )
    quantitative = st.builds(
        ContactQuantitative,
        email_opens=_counts(),
        email_clicks=_counts(),
        purchase_count=_counts(),
        total_spent=_maybe(money()),
        last_purchase_on=_maybe(_dates()),
        lifetime_value=_maybe(money()),
        tickets_filed=_counts(),
        tickets_open=_counts(),
        social=_maybe(social_engagements()),
        nps=_maybe(st.integers(0, 10)),
        custom=custom[Category.QUANTITATIVE],
    )
    return _record(
        Contact,
        "con",
        identity=identity,
        descriptive=descriptive,
        qualitative=qualitative,
        quantitative=quantitative,
    )


@_shared
def accounts(schema: CustomSchema | None = None) -> SearchStrategy[Account]:
    """Accounts (organisations) with phones, addresses, registration numbers and figures."""
    custom = _customs(Account, schema)
    identity = st.builds(
        AccountIdentity,
        name=_maybe(_text(_COMPANIES)),
        legal_name=_maybe(_text(_COMPANIES)),
        domains=_tuples(_domains()),
        registration_numbers=_tuples(registration_numbers()),
        account_number=_maybe(st.text(string.digits, min_size=4, max_size=12)),
        addresses=_tuples(postal_addresses()),
        phones=_tuples(phones()),
        external_ids=_tuples(external_ids()),
        custom=custom[Category.IDENTITY],
    )
    descriptive = st.builds(
        AccountDescriptive,
        industry=_maybe(_text(_INDUSTRIES)),
        size_band=_maybe(st.sampled_from(SizeBand)),
        territory=_maybe(_text(_TERRITORIES)),
        account_type=_maybe(st.sampled_from(AccountType)),
        parent_ref=_maybe(_ids("acc")),
        custom=custom[Category.DESCRIPTIVE],
    )
    qualitative = st.builds(
        AccountQualitative,
        health=_maybe(st.sampled_from(Health)),
        reasons=_tuples(_text(_REASONS)),
        notes=_tuples(notes()),
        custom=custom[Category.QUALITATIVE],
    )
    quantitative = st.builds(
        AccountQuantitative,
        employees=_counts(500_000),
        annual_revenue=_maybe(money()),
        open_deals=_counts(1_000),
        recurring_revenue=_maybe(money()),
        tickets_filed=_counts(),
        tickets_open=_counts(),
        custom=custom[Category.QUANTITATIVE],
    )
    return _record(
        Account,
        "acc",
        identity=identity,
        descriptive=descriptive,
        qualitative=qualitative,
        quantitative=quantitative,
    )


@_shared
def deals(schema: CustomSchema | None = None) -> SearchStrategy[Deal]:
    """Deals with a pipeline stage, amounts, and a probability and discount from 0 to 1."""
    custom = _customs(Deal, schema)
    identity = st.builds(
        DealIdentity,
        name=_maybe(_text(_PRODUCTS)),
        account_ref=_maybe(_ids("acc")),
        contact_refs=_tuples(_ids("con")),
        external_ids=_tuples(external_ids()),
        custom=custom[Category.IDENTITY],
    )
    descriptive = st.builds(
        DealDescriptive,
        pipeline=_maybe(_text(_PIPELINES, 20)),
        stage=_maybe(_text(_STAGES, 20)),
        deal_type=_maybe(st.sampled_from(DealType)),
        source=_maybe(st.sampled_from(Source)),
        owner=_maybe(_full_names()),
        expected_close_on=_maybe(_dates()),
        products=_tuples(_text(_PRODUCTS)),
        custom=custom[Category.DESCRIPTIVE],
    )
    qualitative = st.builds(
        DealQualitative,
        interest_reason=_maybe(_text(_REASONS)),
        loss_reason=_maybe(_text(_REASONS)),
        next_step=_maybe(_text(_NOTE_TEXTS, 80)),
        competitor_notes=_maybe(_text(_NOTE_TEXTS, 80)),
        custom=custom[Category.QUALITATIVE],
    )
    quantitative = st.builds(
        DealQuantitative,
        amount=_maybe(money()),
        probability=_fractions(),
        expected_revenue=_maybe(money()),
        days_in_stage=_counts(3_650),
        discount=_fractions(),
        custom=custom[Category.QUANTITATIVE],
    )
    return _record(
        Deal,
        "deal",
        identity=identity,
        descriptive=descriptive,
        qualitative=qualitative,
        quantitative=quantitative,
    )


@_shared
def activities(schema: CustomSchema | None = None) -> SearchStrategy[Activity]:
    """Activities (calls, emails, meetings, purchases, ...) with their references and numbers."""
    custom = _customs(Activity, schema)
    identity = st.builds(
        ActivityIdentity,
        contact_refs=_tuples(_ids("con")),
        account_refs=_tuples(_ids("acc")),
        deal_refs=_tuples(_ids("deal")),
        external_ids=_tuples(external_ids()),
        custom=custom[Category.IDENTITY],
    )
    descriptive = st.builds(
        ActivityDescriptive,
        kind=_maybe(st.sampled_from(ActivityKind)),
        channel=_maybe(st.sampled_from(Channel)),
        direction=_maybe(st.sampled_from(Direction)),
        occurred_at=_maybe(aware_datetimes()),
        status=_maybe(st.sampled_from(ActivityStatus)),
        subject=_maybe(_text(_SUBJECTS)),
        custom=custom[Category.DESCRIPTIVE],
    )
    qualitative = st.builds(
        ActivityQualitative,
        outcome=_maybe(_text(_NOTE_TEXTS, 80)),
        sentiment=_maybe(st.sampled_from(Sentiment)),
        content=_maybe(_text(_NOTE_TEXTS, 200)),
        custom=custom[Category.QUALITATIVE],
    )
    quantitative = st.builds(
        ActivityQuantitative,
        duration_seconds=_counts(86_400),
        opens=_counts(1_000),
        clicks=_counts(1_000),
        amount=_maybe(money()),
        custom=custom[Category.QUANTITATIVE],
    )
    return _record(
        Activity,
        "act",
        identity=identity,
        descriptive=descriptive,
        qualitative=qualitative,
        quantitative=quantitative,
    )


def records(
    schema: CustomSchema | None = None, *, schemas: Iterable[CustomSchema] = ()
) -> SearchStrategy[AnyRecord]:
    """Records of any of the four types; each type's custom fields follow its schema, if any.

    Give one ``schema``, or several through ``schemas`` (at most one per record type, as a
    :class:`~crmcore.Converter` takes them).
    """
    by_type: dict[type[Any], CustomSchema] = {}
    for each in (*((schema,) if schema is not None else ()), *schemas):
        if each.record_type not in RECORD_TYPES:
            raise InvalidArgument("a schema's record type must be one of the four record types")
        if each.record_type in by_type:
            raise InvalidArgument("records takes at most one schema per record type")
        by_type[each.record_type] = each
    return st.one_of(
        contacts(by_type.get(Contact)),
        accounts(by_type.get(Account)),
        deals(by_type.get(Deal)),
        activities(by_type.get(Activity)),
    )


def contact_dicts(schema: CustomSchema | None = None) -> SearchStrategy[dict[str, Any]]:
    """Contacts as :func:`crmcore.to_dict` writes them: JSON-safe input for ETL tests."""
    return contacts(schema).map(to_dict)
