"""The validation context and its policies."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from crmcore import (
    Account,
    Category,
    Contact,
    CRMError,
    CustomFieldSpec,
    CustomSchema,
    CustomType,
    InvalidValueError,
)
from crmcore.validation import (
    DEFAULT_ROLE_ACCOUNTS,
    BirthDatePolicy,
    Context,
    Pipelines,
    StalenessPolicy,
)

AS_OF = datetime(2025, 6, 1, tzinfo=timezone.utc)


def test_as_of_must_be_an_aware_datetime() -> None:
    with pytest.raises(CRMError):
        Context(datetime(2025, 6, 1))
    with pytest.raises(CRMError):
        Context(date(2025, 6, 1))  # type: ignore[arg-type]


def test_default_region_must_be_an_iso_country() -> None:
    assert Context(AS_OF, default_region="GB").default_region == "GB"
    with pytest.raises(CRMError):
        Context(AS_OF, default_region="gb")
    with pytest.raises(CRMError):
        Context(AS_OF, default_region="XX")


def test_defaults_check_staleness_over_two_years_and_ages_up_to_120() -> None:
    ctx = Context(AS_OF)
    assert ctx.staleness is not None
    assert ctx.staleness.max_age == relativedelta(years=2)
    assert ctx.birth_dates.max_age == relativedelta(years=120)
    assert ctx.birth_dates.min_age is None
    assert ctx.today == date(2025, 6, 1)


def test_staleness_looks_up_path_then_category_then_default() -> None:
    policy = StalenessPolicy(
        relativedelta(years=2),
        by_category={Category.IDENTITY: relativedelta(years=1)},
        by_path={"identity.phones": relativedelta(months=6), "identity.addresses": None},
    )
    assert policy.max_age_for("identity.phones[3]", Category.IDENTITY) == relativedelta(months=6)
    assert policy.max_age_for("identity.addresses[0]", Category.IDENTITY) is None
    assert policy.max_age_for("identity.emails[0]", Category.IDENTITY) == relativedelta(years=1)
    assert policy.max_age_for("x", Category.DESCRIPTIVE) == relativedelta(years=2)


def test_stale_before_is_as_of_minus_the_period_in_calendar_terms() -> None:
    ctx = Context(datetime(2024, 2, 29, tzinfo=timezone.utc))
    assert ctx.stale_before("identity.emails", Category.IDENTITY) == datetime(
        2022, 2, 28, tzinfo=timezone.utc
    )
    off = Context(AS_OF, staleness=None)
    assert off.stale_before("identity.emails", Category.IDENTITY) is None


def test_periods_outside_the_calendar_turn_the_bound_off() -> None:
    ctx = Context(datetime(1, 6, 1, tzinfo=timezone.utc))
    assert ctx.stale_before("identity.emails", Category.IDENTITY) is None
    assert ctx.birth_bounds() == (None, None)


@pytest.mark.parametrize(
    "period", [relativedelta(), relativedelta(years=-1), timedelta(days=3), "2y"]
)
def test_policies_refuse_periods_that_are_not_positive_relativedeltas(period: object) -> None:
    with pytest.raises(CRMError):
        StalenessPolicy(period)  # type: ignore[arg-type]
    with pytest.raises(CRMError):
        BirthDatePolicy(max_age=period)  # type: ignore[arg-type]
    with pytest.raises(CRMError):
        StalenessPolicy(by_path={"identity.emails": period})  # type: ignore[dict-item]


def test_staleness_by_category_reads_category_values_and_refuses_others() -> None:
    policy = StalenessPolicy(by_category={"Identity": relativedelta(years=1)})  # type: ignore[dict-item]
    assert policy.max_age_for("identity.emails[0]", Category.IDENTITY) == relativedelta(years=1)
    with pytest.raises(InvalidValueError, match="by_category"):
        StalenessPolicy(by_category={"identiti": relativedelta(years=1)})  # type: ignore[dict-item]
    with pytest.raises(InvalidValueError, match="by_category"):
        StalenessPolicy(by_category={1: relativedelta(years=1)})  # type: ignore[dict-item]


def test_birth_bounds_follow_the_policy() -> None:
    ctx = Context(
        AS_OF,
        birth_dates=BirthDatePolicy(
            max_age=relativedelta(years=100), min_age=relativedelta(years=16)
        ),
    )
    assert ctx.birth_bounds() == (date(1925, 6, 1), date(2009, 6, 1))


def test_pipelines_allow_the_stages_they_declare() -> None:
    pipelines = Pipelines({"sales": ["lead", "won"], "renewals": ("due", "won")})
    assert pipelines.allows("sales", "lead")
    assert not pipelines.allows("sales", "due")
    assert pipelines.allows(None, "due")
    assert not pipelines.allows(None, "gone")
    assert not pipelines.allows("other", "lead")
    assert pipelines.knows("renewals")
    assert not pipelines.knows("other")


def test_default_pipeline_serves_deals_without_one_and_must_be_declared() -> None:
    pipelines = Pipelines({"sales": ["lead"], "renewals": ["due"]}, default="sales")
    assert pipelines.allows(None, "lead")
    assert not pipelines.allows(None, "due")
    with pytest.raises(CRMError):
        Pipelines({"sales": ["lead"]}, default="other")


@pytest.mark.parametrize("stages", [{"sales": "lead"}, {1: ["lead"]}, {"sales": [1]}, ["sales"]])
def test_pipelines_refuse_malformed_stages(stages: object) -> None:
    with pytest.raises(CRMError):
        Pipelines(stages)  # type: ignore[arg-type]


def test_one_schema_per_record_type() -> None:
    spec = CustomFieldSpec("tier", CustomType.STRING, Category.DESCRIPTIVE)
    contact_schema = CustomSchema(Contact, (spec,))
    ctx = Context(AS_OF, schemas=[contact_schema])
    assert ctx.schema_for(Contact) is contact_schema
    assert ctx.schema_for(Account) is None
    with pytest.raises(CRMError):
        Context(AS_OF, schemas=[contact_schema, CustomSchema(Contact, ())])
    with pytest.raises(CRMError):
        Context(AS_OF, schemas=["tier"])  # type: ignore[list-item]


def test_role_accounts_are_compared_without_case_or_separators() -> None:
    assert "customerservice" in DEFAULT_ROLE_ACCOUNTS
    ctx = Context(AS_OF, role_accounts={"Key-Accounts", "front.desk"})
    assert ctx.role_accounts == frozenset({"keyaccounts", "frontdesk"})
    with pytest.raises(CRMError):
        Context(AS_OF, role_accounts="sales")


def test_options_are_read_only() -> None:
    source = {"acme.threshold": 3}
    ctx = Context(AS_OF, options=source)
    source["acme.threshold"] = 4
    assert ctx.options["acme.threshold"] == 3
    with pytest.raises(TypeError):
        ctx.options["x"] = 1  # type: ignore[index]


def test_a_context_is_frozen() -> None:
    ctx = Context(AS_OF)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ctx.as_of = AS_OF  # type: ignore[misc]
    assert attrs.evolve(ctx, default_region="DE").default_region == "DE"


@pytest.mark.parametrize("region", ["UK", "uk", " GB", "gb"])
def test_a_refused_region_names_the_code_that_was_meant(region: str) -> None:
    with pytest.raises(InvalidValueError, match=r"did you mean GB\?"):
        Context(AS_OF, default_region=region)


def test_a_region_alias_of_the_european_union_gets_its_iso_code() -> None:
    with pytest.raises(InvalidValueError, match=r"did you mean GR\?"):
        Context(AS_OF, default_region="EL")


def test_a_region_that_means_nothing_is_refused_without_a_guess() -> None:
    with pytest.raises(InvalidValueError) as caught:
        Context(AS_OF, default_region="QQ")
    assert "did you mean" not in str(caught.value)
    with pytest.raises(InvalidValueError, match="default_region"):
        Context(AS_OF, default_region=33)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "period",
    [relativedelta(years=10000), relativedelta(days=10**9), relativedelta(years=-10000)],
)
def test_a_period_beyond_the_calendar_is_refused_at_construction(period: relativedelta) -> None:
    for make in (
        lambda: StalenessPolicy(period),
        lambda: BirthDatePolicy(period),
        lambda: BirthDatePolicy(min_age=period),
        lambda: StalenessPolicy(by_path={"identity.emails": period}),
        lambda: StalenessPolicy(by_category={Category.IDENTITY: period}),
    ):
        with pytest.raises(InvalidValueError):
            make()


def test_an_absolute_relativedelta_is_no_period() -> None:
    with pytest.raises(InvalidValueError, match="not a date"):
        StalenessPolicy(relativedelta(year=2))


def test_staleness_paths_are_text() -> None:
    with pytest.raises(InvalidValueError, match="by_path"):
        StalenessPolicy(by_path={1: relativedelta(years=1)})  # type: ignore[dict-item]


@pytest.mark.parametrize("flag", ["no", 0, None])
def test_unknown_is_stale_is_a_bool(flag: object) -> None:
    with pytest.raises(InvalidValueError, match="unknown_is_stale"):
        StalenessPolicy(unknown_is_stale=flag)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("staleness", relativedelta(years=1)),
        ("staleness", "2y"),
        ("birth_dates", None),
        ("birth_dates", relativedelta(years=120)),
        ("pipelines", {"sales": ["won"]}),
    ],
)
def test_a_policy_option_of_the_wrong_kind_is_refused(option: str, value: object) -> None:
    with pytest.raises(InvalidValueError, match=option):
        Context(AS_OF, **{option: value})  # type: ignore[arg-type]
