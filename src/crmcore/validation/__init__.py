"""Validate CRM records: rules that report every issue, with stable codes and safe messages.

>>> from datetime import datetime, timezone
>>> from crmcore import Contact, ContactIdentity, PhoneNumber
>>> from crmcore.validation import Context, default_ruleset, validate
>>> ctx = Context(datetime(2025, 6, 1, tzinfo=timezone.utc), default_region="FR")
>>> contact = Contact("c-1", ContactIdentity(phones=(PhoneNumber("+33 7 00 00 00 00"),)))
>>> [(issue.path, issue.code) for issue in validate(contact, default_ruleset(), ctx).issues]
[('identity.phones[0]', 'phone.invalid')]
"""

from crmcore.validation.context import (
    DEFAULT_ROLE_ACCOUNTS,
    BirthDatePolicy,
    Context,
    Pipelines,
    StalenessPolicy,
)
from crmcore.validation.issues import (
    BatchBuilder,
    BatchReport,
    Code,
    Issue,
    Keep,
    Report,
    Severity,
    Summary,
)
from crmcore.validation.ruleset import (
    BUILTIN_CODES,
    ENTRY_POINT_GROUP,
    PluginError,
    Rule,
    RuleSet,
    Validator,
    default_ruleset,
    validate,
    validate_many,
)
from crmcore.validation.structure import RequiredFields, required_fields

__all__ = [
    "BUILTIN_CODES",
    "DEFAULT_ROLE_ACCOUNTS",
    "ENTRY_POINT_GROUP",
    "BatchBuilder",
    "BatchReport",
    "BirthDatePolicy",
    "Code",
    "Context",
    "Issue",
    "Keep",
    "Pipelines",
    "PluginError",
    "Report",
    "RequiredFields",
    "Rule",
    "RuleSet",
    "Severity",
    "StalenessPolicy",
    "Summary",
    "Validator",
    "default_ruleset",
    "required_fields",
    "validate",
    "validate_many",
]
