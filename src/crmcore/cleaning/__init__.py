"""Cleaning: pure normalisers for CRM records, composed into a pipeline.

Two stages. :func:`clean_raw` works on raw data before it is a record (text repaired,
countries to alpha-2, dates to ISO, phones to E.164, emails normalised, what cannot be read
moved to the record's quarantine). :func:`clean` works on records (text, name casing,
canonical emails and phones, duplicate contact points merged, repeated list items dropped)
through a :class:`Pipeline` of steps. Every repair is reported as a :class:`Change`.
"""

from crmcore.cleaning._quarantine_text import quarantine_text
from crmcore.cleaning.changes import RULES, Change, CleanResult, RawCleanResult, change
from crmcore.cleaning.contact_points import (
    address_key,
    merge_contact_points,
    normalise_emails,
    phones_to_e164,
)
from crmcore.cleaning.context import CleaningContext
from crmcore.cleaning.duplicates import drop_duplicate_texts
from crmcore.cleaning.errors import CleaningError
from crmcore.cleaning.names import case_names, name_case
from crmcore.cleaning.pipeline import Pipeline, Step, clean, clean_many, default_pipeline
from crmcore.cleaning.raw import QUARANTINE_CODES, clean_raw, clean_raw_many
from crmcore.cleaning.text import clean_text, repair_text

__all__ = [
    "QUARANTINE_CODES",
    "RULES",
    "Change",
    "CleanResult",
    "CleaningContext",
    "CleaningError",
    "Pipeline",
    "RawCleanResult",
    "Step",
    "address_key",
    "case_names",
    "change",
    "clean",
    "clean_many",
    "clean_raw",
    "clean_raw_many",
    "clean_text",
    "default_pipeline",
    "drop_duplicate_texts",
    "merge_contact_points",
    "name_case",
    "normalise_emails",
    "phones_to_e164",
    "quarantine_text",
    "repair_text",
]
