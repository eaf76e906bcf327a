"""The built-in regimes: GDPR, UK GDPR, CCPA/CPRA, HIPAA, LGPD, PIPEDA and Quebec's private
sector act, each figure with the article or section it comes from.

These are the statutory outer limits, not advice: every law asks for an answer "without undue
delay" or "as soon as feasibly possible" first. Where a law's text leaves a choice open, the
earlier date was chosen and the choice is named in the regime's ``citations``.
"""

from __future__ import annotations

from crmcore.privacy.kinds import RequestKind
from crmcore.privacy.periods import Period
from crmcore.privacy.regime import RESPOND, Regime, Timing

__all__ = [
    "BUILTIN_REGIMES",
    "CCPA_CPRA",
    "CONFIRM_RECEIPT",
    "GDPR",
    "HIPAA",
    "LGPD",
    "PIPEDA",
    "QUEBEC_PRIVATE_SECTOR",
    "UK_GDPR",
]

CONFIRM_RECEIPT = "confirm_receipt"
"""The clock of the acknowledgement of a request (CCPA regs § 7021(a): 10 business days)."""

_GDPR_RIGHTS = (
    (RequestKind.ACCESS, "Art. 15"),
    (RequestKind.RECTIFICATION, "Art. 16"),
    (RequestKind.ERASURE, "Art. 17"),
    (RequestKind.RESTRICTION, "Art. 18"),
    (RequestKind.PORTABILITY, "Art. 20"),
    (RequestKind.OBJECTION, "Art. 21"),
)


def _gdpr_timings(law: str, extension_rule: str) -> tuple[Timing, ...]:
    return tuple(
        Timing(
            kind,
            RESPOND,
            Period(1, "months"),
            f"{law} Art. 12(3): one month of receipt of a request under {article}",
            extension=Period(2, "months"),
            extension_citation=extension_rule,
        )
        for kind, article in _GDPR_RIGHTS
    )


GDPR = Regime(
    "gdpr",
    "EU General Data Protection Regulation (Regulation (EU) 2016/679)",
    _gdpr_timings(
        "GDPR",
        "GDPR Art. 12(3): two further months where necessary, the data subject informed of the"
        " extension and its reasons within one month of receipt",
    ),
    receipt_day="excluded",
    end_on_non_working="next_working_day",
    rest_days=(5, 6),
    identity="runs",
    clarification="runs",
    citations=(
        "Regulation (EEC, Euratom) No 1182/71 Art. 3(1): the day of receipt is not counted",
        "Regulation 1182/71 Art. 3(2)(c): a period of months ends on the day of the same date"
        " as the day of receipt, else on the last day of the last month",
        "Regulation 1182/71 Art. 3(4): a period ending on a public holiday, a Saturday or a"
        " Sunday ends on the next working day",
        "GDPR Art. 12(3) counts from receipt of the request: the clock runs while identity is"
        " checked (Art. 12(6)) or the request clarified; the earlier date is kept",
    ),
)
"""The GDPR: one month (Art. 12(3)), counted as Regulation 1182/71 counts it, +2 months."""

UK_GDPR = Regime(
    "uk_gdpr",
    "UK GDPR, counted as the Information Commissioner's Office counts it",
    _gdpr_timings(
        "UK GDPR",
        "UK GDPR Art. 12(3): two further months for complex or numerous requests, counted as"
        " three months from the start (ICO), the individual told within one month",
    ),
    receipt_day="included",
    end_on_non_working="next_working_day",
    rest_days=(5, 6),
    identity="restarts",
    clarification="pauses",
    citations=(
        "ICO, right of access, 'How long do we have to comply?': from the day of receipt"
        " (day one, working day or not) to the corresponding calendar date in the next month,"
        " else the last day of that month; a weekend or public holiday end runs to the next"
        " working day",
        "ICO: the time limit runs from receipt of the information requested to confirm identity",
        "ICO, 'Can we clarify the request?': the clock stops while awaiting a clarification",
    ),
)
"""The UK GDPR as the ICO counts it: identity restarts the clock, clarification stops it."""

_CCPA_VERIFIABLE = (
    (RequestKind.ACCESS, "request to know"),
    (RequestKind.RECTIFICATION, "request to correct"),
    (RequestKind.ERASURE, "request to delete"),
)

CCPA_CPRA = Regime(
    "ccpa_cpra",
    "California Consumer Privacy Act as amended by the CPRA, and its regulations (11 CCR § 7000+)",
    (
        *(
            timing
            for kind, name in _CCPA_VERIFIABLE
            for timing in (
                Timing(
                    kind,
                    RESPOND,
                    Period(45, "days"),
                    f"Cal. Civ. Code § 1798.130(a)(2)(A); 11 CCR § 7021(b): a {name} answered"
                    " no later than 45 calendar days after receipt",
                    extension=Period(45, "days"),
                    extension_citation="Cal. Civ. Code § 1798.130(a)(2)(A); 11 CCR § 7021(b):"
                    " once, up to 90 calendar days from receipt, with notice and explanation"
                    " within the first 45 days",
                ),
                Timing(
                    kind,
                    CONFIRM_RECEIPT,
                    Period(10, "business_days"),
                    f"11 CCR § 7021(a): receipt of a {name} confirmed no later than 10"
                    " business days after receiving it",
                ),
            )
        ),
        Timing(
            RequestKind.OPT_OUT_SALE_SHARING,
            RESPOND,
            Period(15, "business_days"),
            "11 CCR § 7026(f)(1): selling and sharing stop no later than 15 business days"
            " from receipt",
        ),
        Timing(
            RequestKind.LIMIT_SENSITIVE_PI,
            RESPOND,
            Period(15, "business_days"),
            "11 CCR § 7027(g)(1): use and disclosure of sensitive personal information beyond"
            " § 7027(m) stop no later than 15 business days from receipt",
        ),
    ),
    receipt_day="excluded",
    end_on_non_working="keep",
    identity="runs",
    clarification="runs",
    citations=(
        "Cal. Civ. Code § 10: a period is counted excluding the first day",
        "11 CCR § 7021(b): 45 calendar days; a calendar-day end is kept on a weekend or"
        " holiday (the earlier date)",
        "11 CCR § 7001: a business day is Monday to Friday, observed state holidays excluded"
        " (pass them in the Calendar)",
        "11 CCR § 7021(b): the 45-day period begins on receipt, regardless of time required"
        " to verify the request",
    ),
)
"""CCPA/CPRA: 45 days (+45), receipt confirmed in 10 business days, opt-out and limit in 15."""

HIPAA = Regime(
    "hipaa",
    "HIPAA Privacy Rule (45 CFR Part 164, Subpart E)",
    (
        Timing(
            RequestKind.HIPAA_ACCESS,
            RESPOND,
            Period(30, "days"),
            "45 CFR 164.524(b)(2): act on a request for access no later than 30 days after receipt",
            extension=Period(30, "days"),
            extension_citation="45 CFR 164.524(b)(2): one extension of no more than 30 days,"
            " with a written statement of the reasons and the expected date within the first"
            " 30 days",
        ),
        Timing(
            RequestKind.RECTIFICATION,
            RESPOND,
            Period(60, "days"),
            "45 CFR 164.526(b)(2): act on a request for amendment no later than 60 days after"
            " receipt",
            extension=Period(30, "days"),
            extension_citation="45 CFR 164.526(b)(2): one extension of no more than 30 days,"
            " with a written statement of the reasons and the expected date within the first"
            " 60 days",
        ),
    ),
    receipt_day="excluded",
    end_on_non_working="keep",
    identity="runs",
    clarification="runs",
    citations=(
        "45 CFR 164.524(b)(2), 164.526(b)(2): days after receipt, the day of receipt not"
        " counted; calendar days, an end on a weekend or holiday kept (the earlier date)",
    ),
)
"""HIPAA: access in 30 days (+30); amendment in 60 days (+30)."""

LGPD = Regime(
    "lgpd",
    "Brazil's General Data Protection Law (Lei nº 13.709/2018)",
    (
        Timing(
            RequestKind.ACCESS,
            RESPOND,
            Period(15, "days"),
            "LGPD Art. 19, II: confirmation of processing or access, as a clear and complete"
            " statement, within 15 days of the request",
        ),
    ),
    receipt_day="excluded",
    end_on_non_working="next_working_day",
    rest_days=(),
    identity="runs",
    clarification="runs",
    citations=(
        "Código Civil Art. 132: the first day is excluded and the last included",
        "Código Civil Art. 132 § 1: an end on a holiday runs on; only the calendar's holidays"
        " move it here, not weekends (the earlier date)",
        "LGPD Art. 19, I: in simplified form, immediately; Art. 18 § 5: other rights in the"
        " periods set by regulation (none set here)",
    ),
)
"""LGPD: access in 15 days (Art. 19, II); no extension."""

PIPEDA = Regime(
    "pipeda",
    "Canada's Personal Information Protection and Electronic Documents Act",
    (
        Timing(
            RequestKind.ACCESS,
            RESPOND,
            Period(30, "days"),
            "PIPEDA s. 8(3): respond not later than thirty days after receipt of the request",
            extension=Period(30, "days"),
            extension_citation="PIPEDA s. 8(4)(a): a maximum of thirty days, notice sent no"
            " later than thirty days after the request (s. 8(4)(b), conversion to an"
            " alternative format, is not modelled)",
        ),
    ),
    receipt_day="excluded",
    end_on_non_working="next_working_day",
    rest_days=(6,),
    identity="runs",
    clarification="runs",
    citations=(
        "Interpretation Act (R.S.C. 1985, c. I-21) s. 27: a time within days after a day does"
        " not include that day",
        "Interpretation Act s. 26: a time limit ending on a holiday runs to the next day that"
        " is not a holiday; s. 35(1): Sunday is a holiday, Saturday is not",
    ),
)
"""PIPEDA: access in 30 days (s. 8(3)), +30 (s. 8(4)(a))."""

QUEBEC_PRIVATE_SECTOR = Regime(
    "quebec_private_sector",
    "Quebec's Act respecting the protection of personal information in the private sector"
    " (CQLR c P-39.1)",
    tuple(
        Timing(
            kind,
            RESPOND,
            Period(30, "days"),
            f"CQLR c P-39.1 s. 32 ({source}): respond not later than 30 days after the date"
            " the request is received; no answer is a refusal",
        )
        for kind, source in (
            (RequestKind.ACCESS, "access, s. 27"),
            (RequestKind.PORTABILITY, "access in a technological format, s. 27 para. 3"),
            (RequestKind.RECTIFICATION, "rectification, s. 28"),
            (RequestKind.ERASURE, "deletion of information kept without authority, s. 28"),
        )
    ),
    receipt_day="excluded",
    end_on_non_working="next_working_day",
    rest_days=(6,),
    identity="runs",
    clarification="runs",
    citations=(
        "Interpretation Act (CQLR c I-16) s. 52: a time limit expiring on a holiday runs to"
        " the next working day; s. 61(23): Sundays and the listed days are holidays",
    ),
)
"""Quebec's private sector act: 30 days (s. 32); no extension."""

BUILTIN_REGIMES: tuple[Regime, ...] = (
    GDPR,
    UK_GDPR,
    CCPA_CPRA,
    HIPAA,
    LGPD,
    PIPEDA,
    QUEBEC_PRIVATE_SECTOR,
)
"""Every built-in regime, in the order :func:`~crmcore.privacy.default_regimes` adds them."""
