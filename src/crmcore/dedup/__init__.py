"""Deduplication: find the records that are one person or one organisation.

This part holds the comparisons: :class:`Comparator` callables ``(left, right, ctx) ->
level`` that compare one field of two records and answer with one of their ordered levels
(``"null"`` last, for "either side missing"), the :class:`Comparisons` registry (shaped like
:class:`crmcore.validation.RuleSet`, with plugins in the ``crmcore.comparators`` entry-point
group) and the built-in comparators of contacts and accounts. String similarity and phonetic
codes need the ``dedup`` extra (``pip install 'crmcore[dedup]'``).

>>> from crmcore import Contact, ContactIdentity, PersonName
>>> bob = Contact("c-1", ContactIdentity(name=PersonName(given="Bob", family="Smith")))
>>> robert = Contact("c-2", ContactIdentity(name=PersonName(given="Robert", family="Smith")))
>>> default_comparisons().compare(bob, robert, CompareContext())["crmcore.name"]
'nickname'
"""

from crmcore.dedup._plugins import ENTRY_POINT_GROUP
from crmcore.dedup._vectors import ComparisonVectors
from crmcore.dedup.addresses import Addresses, addresses, street_parts
from crmcore.dedup.blocking import (
    BLOCKING_ENTRY_POINT_GROUP,
    DEFAULT_MAX_BLOCK_SIZE,
    BirthDateKeys,
    BlockingEntry,
    BlockingError,
    BlockingResult,
    BlockingRule,
    BlockingRulePluginError,
    BlockingRules,
    CandidatePair,
    DomainKeys,
    EmailKeys,
    ExternalIdKeys,
    FamilyPostcodeKeys,
    NameKeys,
    NameWindow,
    PhoneKeys,
    RegistrationNumberKeys,
    RuleSummary,
    SkippedBlock,
    birth_date_keys,
    block,
    default_blocking_rules,
    domain_keys,
    email_keys,
    external_id_keys,
    family_postcode_keys,
    name_keys,
    name_window,
    phone_keys,
    registration_number_keys,
)
from crmcore.dedup.comparator import NULL, BatchComparator, Comparator, FieldComparator
from crmcore.dedup.comparisons import Comparison, Comparisons, read_levels
from crmcore.dedup.contact_points import Emails, Phones, canonical_email, emails, phones
from crmcore.dedup.context import DEFAULT_PROVIDERS, CompareContext, EmailProvider
from crmcore.dedup.dates import Dates, birth_dates, dates, read_raw_date
from crmcore.dedup.defaults import default_comparisons
from crmcore.dedup.errors import (
    ComparatorError,
    ComparatorPluginError,
    DedupError,
    MissingExtraError,
)
from crmcore.dedup.fitting import (
    DEFAULT_RULE_COMPARISONS,
    compare_pairs,
    fit,
    fit_labelled,
    score_pairs,
)
from crmcore.dedup.identifiers import ExternalIds, external_ids
from crmcore.dedup.model import ComparisonModel, MatchModel, ModelError
from crmcore.dedup.names import (
    FamilyNames,
    GivenNames,
    PersonNames,
    SwappedNames,
    family_names,
    given_names,
    person_names,
    swapped_names,
)
from crmcore.dedup.nicknames import Nicknames, default_nicknames, load_nicknames
from crmcore.dedup.numbers import Numbers, numbers
from crmcore.dedup.organisations import (
    LEGAL_SUFFIXES,
    CompanyNames,
    Domains,
    RegistrationNumbers,
    company_names,
    domains,
    normalise_domain,
    registration_numbers,
    strip_legal_suffixes,
)
from crmcore.dedup.scoring import ScoredPairs, score
from crmcore.dedup.strings import (
    DamerauLevenshtein,
    Exact,
    JaroWinkler,
    Phonetic,
    damerau_levenshtein,
    exact,
    jaro_winkler,
    phonetic,
    phonetic_code,
)

__all__ = [
    "BLOCKING_ENTRY_POINT_GROUP",
    "DEFAULT_MAX_BLOCK_SIZE",
    "DEFAULT_PROVIDERS",
    "DEFAULT_RULE_COMPARISONS",
    "ENTRY_POINT_GROUP",
    "LEGAL_SUFFIXES",
    "NULL",
    "Addresses",
    "BatchComparator",
    "BirthDateKeys",
    "BlockingEntry",
    "BlockingError",
    "BlockingResult",
    "BlockingRule",
    "BlockingRulePluginError",
    "BlockingRules",
    "CandidatePair",
    "CompanyNames",
    "Comparator",
    "ComparatorError",
    "ComparatorPluginError",
    "CompareContext",
    "Comparison",
    "ComparisonModel",
    "ComparisonVectors",
    "Comparisons",
    "DamerauLevenshtein",
    "Dates",
    "DedupError",
    "DomainKeys",
    "Domains",
    "EmailKeys",
    "EmailProvider",
    "Emails",
    "Exact",
    "ExternalIdKeys",
    "ExternalIds",
    "FamilyNames",
    "FamilyPostcodeKeys",
    "FieldComparator",
    "GivenNames",
    "JaroWinkler",
    "MatchModel",
    "MissingExtraError",
    "ModelError",
    "NameKeys",
    "NameWindow",
    "Nicknames",
    "Numbers",
    "PersonNames",
    "PhoneKeys",
    "Phones",
    "Phonetic",
    "RegistrationNumberKeys",
    "RegistrationNumbers",
    "RuleSummary",
    "ScoredPairs",
    "SkippedBlock",
    "SwappedNames",
    "addresses",
    "birth_date_keys",
    "birth_dates",
    "block",
    "canonical_email",
    "company_names",
    "compare_pairs",
    "damerau_levenshtein",
    "dates",
    "default_blocking_rules",
    "default_comparisons",
    "default_nicknames",
    "domain_keys",
    "domains",
    "email_keys",
    "emails",
    "exact",
    "external_id_keys",
    "external_ids",
    "family_names",
    "family_postcode_keys",
    "fit",
    "fit_labelled",
    "given_names",
    "jaro_winkler",
    "load_nicknames",
    "name_keys",
    "name_window",
    "normalise_domain",
    "numbers",
    "person_names",
    "phone_keys",
    "phones",
    "phonetic",
    "phonetic_code",
    "read_levels",
    "read_raw_date",
    "registration_number_keys",
    "registration_numbers",
    "score",
    "score_pairs",
    "street_parts",
    "strip_legal_suffixes",
    "swapped_names",
]
