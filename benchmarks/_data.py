"""Deterministic contact input for the conversion benchmarks.

:func:`make_contacts` builds ``n`` contact dicts from a seed, in the shape ETL data comes in:
JSON types only (ISO 8601 text for dates and instants, money as a decimal string and a
currency code), name parts, one or two emails, one or two phones written in the national form
of the contact's country, an address whose country gives the region the phones are read in,
communication preferences, counts, money and some notes.

It returns two lists that describe the same contacts and differ in one thing only: the phone
text. The crmcore list has each phone in national form (crmcore reads it in the region of the
contact's own address); the pydantic list has the same number in international form, because
pydantic-extra-types' ``PhoneNumber`` reads national numbers in one fixed default region only.
Every email and phone is unique across the data set, so no cache of parsed values can help
either side beyond what real, mostly distinct, data would allow.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import phonenumbers

__all__ = ["Country", "make_contacts"]

Json = dict[str, Any]


@dataclass(frozen=True)
class Country:
    """What the generator needs to know about one country."""

    code: str
    weight: int
    currency: str
    language: str
    given: tuple[str, ...]
    family: tuple[str, ...]
    cities: tuple[tuple[str, str, str | None], ...]  # (locality, postal-code pattern, region)
    streets: tuple[str, ...]
    domains: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        25,
        "USD",
        "en-US",
        ("James", "Mary", "Robert", "Patricia", "Michael", "Linda", "David", "Jennifer"),
        ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis"),
        (("New York", "100##", "NY"), ("Chicago", "606##", "IL"), ("Seattle", "981##", "WA")),
        ("{n} Main Street", "{n} Oak Avenue", "{n} Maple Drive"),
        ("gmail.com", "Outlook.com", "acme-corp.com", "Example.US"),
    ),
    Country(
        "GB",
        12,
        "GBP",
        "en-GB",
        ("Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily"),
        ("Taylor", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Hughes"),
        (("London", "EC1A #BB", None), ("Manchester", "M# #AE", None), ("Leeds", "LS# #DP", None)),
        ("{n} High Street", "{n} Station Road", "Flat {n}, Church Lane"),
        ("btinternet.com", "Example.CO.UK", "sky.com", "northwind.co.uk"),
    ),
    Country(
        "FR",
        12,
        "EUR",
        "fr-FR",
        ("Camille", "Léa", "Lucas", "Chloé", "Hugo", "Manon", "Louis", "Inès"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Lefèvre"),
        (("Paris", "750##", None), ("Lyon", "6900#", None), ("Marseille", "130##", None)),
        ("{n} rue de Rivoli", "{n} avenue Jean Jaurès", "{n} boulevard Voltaire"),
        ("orange.fr", "free.fr", "Laposte.NET", "exemple.fr"),
    ),
    Country(
        "DE",
        12,
        "EUR",
        "de-DE",
        ("Lukas", "Anna", "Leon", "Lena", "Finn", "Marie", "Jonas", "Sophie"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"),
        (("Berlin", "101##", "Berlin"), ("München", "803##", "Bayern"), ("Hamburg", "204##", None)),
        ("Hauptstraße {n}", "Bahnhofstraße {n}", "Gartenweg {n}"),
        ("web.de", "gmx.de", "T-Online.DE", "beispiel.de"),
    ),
    Country(
        "ES",
        7,
        "EUR",
        "es-ES",
        ("Lucía", "Hugo", "Martina", "Pablo", "Sofía", "Álvaro", "Julia", "Mateo"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez"),
        (
            ("Madrid", "280##", "Madrid"),
            ("Barcelona", "080##", "Cataluña"),
            ("Sevilla", "410##", None),
        ),
        ("Calle Mayor {n}", "Avenida de la Constitución {n}", "Plaza de España {n}"),
        ("telefonica.es", "ejemplo.es", "Correo.ES"),
    ),
    Country(
        "IT",
        7,
        "EUR",
        "it-IT",
        ("Leonardo", "Giulia", "Francesco", "Aurora", "Alessandro", "Sofia", "Lorenzo", "Ginevra"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
        (("Milano", "201##", "MI"), ("Roma", "001##", "RM"), ("Torino", "101##", "TO")),
        ("Via Roma {n}", "Corso Italia {n}", "Via Garibaldi {n}"),
        ("libero.it", "esempio.it", "TIM.IT"),
    ),
    Country(
        "NL",
        5,
        "EUR",
        "nl-NL",
        ("Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Levi", "Tess"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit"),
        (
            ("Amsterdam", "10## AB", None),
            ("Rotterdam", "30## CD", None),
            ("Utrecht", "35## EF", None),
        ),
        ("Kerkstraat {n}", "Dorpsstraat {n}", "Stationsweg {n}"),
        ("ziggo.nl", "kpn.nl", "Voorbeeld.NL"),
    ),
    Country(
        "CA",
        6,
        "CAD",
        "en-CA",
        ("Liam", "Olivia", "Noah", "Charlotte", "William", "Emma", "Benjamin", "Chloé"),
        ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie"),
        (
            ("Toronto", "M5V #A#", "ON"),
            ("Montréal", "H2X #B#", "QC"),
            ("Vancouver", "V6B #C#", "BC"),
        ),
        ("{n} King Street West", "{n} rue Sainte-Catherine", "{n} Granville Street"),
        ("rogers.com", "videotron.ca", "Example.CA"),
    ),
    Country(
        "AU",
        5,
        "AUD",
        "en-AU",
        ("Oliver", "Charlotte", "Noah", "Amelia", "Jack", "Isla", "William", "Mia"),
        ("Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Johnson"),
        (("Sydney", "20##", "NSW"), ("Melbourne", "30##", "VIC"), ("Brisbane", "40##", "QLD")),
        ("{n} George Street", "{n} Collins Street", "{n} Queen Street"),
        ("bigpond.com", "optusnet.com.au", "Example.COM.AU"),
    ),
    Country(
        "BR",
        5,
        "BRL",
        "pt-BR",
        ("Miguel", "Helena", "Arthur", "Alice", "Gael", "Laura", "Heitor", "Valentina"),
        ("Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira"),
        (("São Paulo", "01###-000", "SP"), ("Rio de Janeiro", "20###-000", "RJ")),
        ("Rua Augusta, {n}", "Avenida Paulista, {n}", "Rua das Flores, {n}"),
        ("uol.com.br", "Exemplo.COM.BR", "globo.com"),
    ),
    Country(
        "JP",
        4,
        "JPY",
        "ja-JP",
        ("Haruto", "Yui", "Sota", "Himari", "Yuto", "Mei", "Riku", "Sakura"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
        (("Tokyo", "100-00##", "Tokyo"), ("Osaka", "530-00##", "Osaka")),
        ("{n}-1 Marunouchi", "{n}-2 Umeda", "{n}-3 Shibuya"),
        ("docomo.ne.jp", "Example.JP", "yahoo.co.jp"),
    ),
)

_PREFIXES = ("Dr", "Mr", "Ms", "Mrs", "Prof.")
_MIDDLE = ("A.", "J.", "Marie", "Louise", "K.", "Maria")
_SUFFIXES = ("Jr.", "III", "PhD")
_JOBS = (
    "Sales Manager",
    "Software Engineer",
    "Head of Marketing",
    "Procurement Officer",
    "CFO",
    "Operations Lead",
    "Customer Success Manager",
    "Founder",
)
_INDUSTRIES = ("Retail", "Software", "Manufacturing", "Healthcare", "Finance", "Education")
_SIZES = ("1", "2-9", "10-49", "50-249", "250-999", "1000+")
_STAGES = ("subscriber", "lead", "marketing_qualified", "sales_qualified", "customer", "evangelist")
_SOURCES = ("form", "import", "event", "referral", "api", "manual")
_CHANNELS = ("email", "sms", "phone", "post", "chat")
_SATISFACTION = ("very_dissatisfied", "dissatisfied", "neutral", "satisfied", "very_satisfied")
_MOTIVATIONS = ("save time", "reduce costs", "compliance", "growth", "better reporting")
_PAINS = ("slow onboarding", "manual data entry", "duplicate records", "poor integrations")
_WISHES = ("mobile app", "API access", "single sign-on", "offline mode")
_NOTES = (
    "Called about the renewal; asked for a quote by Friday.",
    "Met at the trade fair, interested in the analytics add-on.",
    "Prefers to be contacted in the morning.",
    "Escalated a billing issue, resolved the same day.",
    "Requested a demo for the procurement team.",
)
_AUTHORS = ("alice", "bob", "carla", "dmitri")
_COMPANY_FORMS = ("GmbH", "SA", "Ltd", "Inc.", "BV")
_QUARTERS = ("North", "South", "East", "West")
_SYSTEMS = ("hubspot", "salesforce", "billing")
_LABELS_EMAIL = ("work", "home", None)
_LABELS_PHONE = ("mobile", "work", "home", None)
_PHONE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded if ch.isalnum())


_OFFSETS = (
    timezone.utc,
    timezone(timedelta(hours=1)),
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=9)),
)
_EPOCH = datetime(2015, 1, 1, tzinfo=timezone.utc)
_YEAR_SECONDS = 365 * 24 * 3600


def _fill(pattern: str, rng: random.Random) -> str:
    digits = iter(f"{rng.randrange(10**8):08d}")
    return "".join(next(digits) if ch == "#" else ch for ch in pattern)


def _instant(rng: random.Random, start_year: int = 2019) -> str:
    """An ISO 8601 instant with an offset, from ``start_year`` to the end of 2025."""
    first = (start_year - 2015) * _YEAR_SECONDS
    moment = _EPOCH + timedelta(seconds=rng.randrange(first, 11 * _YEAR_SECONDS))
    return moment.astimezone(rng.choice(_OFFSETS)).isoformat()


def _day(rng: random.Random, first: int, last: int) -> str:
    start = date(first, 1, 1).toordinal()
    return date.fromordinal(rng.randrange(start, date(last, 12, 31).toordinal())).isoformat()


class _Phones:
    """Unique, valid phone numbers of a country, as (national text, international text)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[tuple[int, int]] = set()
        self._bases: dict[tuple[str, int], phonenumbers.PhoneNumber] = {}

    def _base(self, region: str, kind: int) -> phonenumbers.PhoneNumber:
        key = (region, kind)
        if key not in self._bases:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                raise LookupError(f"no example number for {region}")
            self._bases[key] = example
        return self._bases[key]

    def make(self, region: str) -> tuple[str, str]:
        base = self._base(region, self._rng.choice(_PHONE_TYPES))
        digits = str(base.national_number)
        free = min(6, len(digits) - 2)
        for _ in range(200):
            tail = f"{self._rng.randrange(10**free):0{free}d}"
            national = int(digits[:-free] + tail)
            key = (base.country_code or 0, national)
            if key in self._seen:
                continue
            number = phonenumbers.PhoneNumber()
            number.merge_from(base)
            number.national_number = national
            if not phonenumbers.is_valid_number_for_region(number, region):
                continue
            self._seen.add(key)
            text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            if self._rng.random() < 0.15:  # some sources drop the spacing
                text = "".join(ch for ch in text if ch.isdigit())
            international = phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            return text, international
        raise RuntimeError(f"could not draw a new valid number for {region}")


def _amount(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _contact(index: int, rng: random.Random, phones: _Phones) -> tuple[Json, Json]:
    country = rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES])[0]
    given, family = rng.choice(country.given), rng.choice(country.family)
    name: Json = {"given": given, "family": family}
    if rng.random() < 0.2:
        name["prefix"] = rng.choice(_PREFIXES)
    if rng.random() < 0.15:
        name["middle"] = rng.choice(_MIDDLE)
    if rng.random() < 0.03:
        name["suffix"] = rng.choice(_SUFFIXES)

    local = f"{_ascii(given)}.{_ascii(family)}"
    emails: list[Json] = []
    for position in range(rng.choice((1, 1, 2))):
        style = rng.random()
        user = local if style < 0.6 else local.lower() if style < 0.9 else local.upper()
        address = f"{user}{index}{'.' + str(position) if position else ''}@"
        address += rng.choice(country.domains)
        email: Json = {"address": address, "primary": position == 0}
        label = rng.choice(_LABELS_EMAIL)
        if label is not None:
            email["label"] = label
        emails.append(email)

    crm_phones: list[Json] = []
    pyd_phones: list[Json] = []
    for position in range(rng.choice((1, 1, 2))):
        national, international = phones.make(country.code)
        extra: Json = {"primary": position == 0}
        label = rng.choice(_LABELS_PHONE)
        if label is not None:
            extra["label"] = label
        crm_phones.append({"number": national, **extra})
        pyd_phones.append({"number": international, **extra})

    locality, postal, region = rng.choice(country.cities)
    address_data: Json = {
        "lines": [rng.choice(country.streets).format(n=rng.randint(1, 250))],
        "locality": locality,
        "postal_code": _fill(postal, rng),
        "country": country.code,
        "primary": True,
    }
    if region is not None:
        address_data["region"] = region
    if rng.random() < 0.1:
        address_data["lines"].append(f"Floor {rng.randint(1, 30)}")

    identity: Json = {"name": name, "emails": emails, "addresses": [address_data]}
    if rng.random() < 0.6:
        identity["birth_date"] = _day(rng, 1950, 2004)
    if rng.random() < 0.5:
        identity["organisation"] = f"{rng.choice(country.family)} {rng.choice(_COMPANY_FORMS)}"
    if rng.random() < 0.3:
        identity["account_number"] = f"AC-{rng.randrange(10**7):07d}"
    if rng.random() < 0.3:
        identity["external_ids"] = [
            {"system": rng.choice(_SYSTEMS), "value": str(rng.randrange(10**9))}
        ]

    communication: Json = {"preferred_channel": rng.choice(_CHANNELS)}
    for channel in ("email_opt_in", "sms_opt_in", "phone_opt_in", "post_opt_in"):
        if rng.random() < 0.7:
            communication[channel] = rng.random() < 0.5
    descriptive: Json = {
        "job_title": rng.choice(_JOBS),
        "industry": rng.choice(_INDUSTRIES),
        "lifecycle_stage": rng.choice(_STAGES),
        "lead_source": rng.choice(_SOURCES),
        "language": country.language,
        "communication": communication,
    }
    if rng.random() < 0.5:
        descriptive["organisation_size"] = rng.choice(_SIZES)
    if rng.random() < 0.4:
        descriptive["territory"] = f"{country.code}-{rng.choice(_QUARTERS)}"

    qualitative: Json = {
        "satisfaction": rng.choice(_SATISFACTION),
        "motivations": rng.sample(_MOTIVATIONS, rng.randint(0, 2)),
        "pain_points": rng.sample(_PAINS, rng.randint(0, 2)),
        "notes": [
            {
                "text": rng.choice(_NOTES),
                "author": rng.choice(_AUTHORS),
                "created_at": _instant(rng),
            }
            for _ in range(rng.choice((0, 1, 1, 2)))
        ],
    }
    if rng.random() < 0.2:
        qualitative["wished_attributes"] = rng.sample(_WISHES, 1)

    spent = rng.randint(0, 500_000)
    quantitative: Json = {
        "email_opens": rng.randint(0, 400),
        "email_clicks": rng.randint(0, 80),
        "purchase_count": rng.randint(0, 60),
        "total_spent": {
            "amount": _amount(spent),
            "currency": country.currency,
        },
        "tickets_filed": rng.randint(0, 12),
        "tickets_open": rng.randint(0, 2),
        "nps": rng.randint(0, 10),
    }
    if rng.random() < 0.7:
        quantitative["last_purchase_on"] = _day(rng, 2020, 2025)
    if rng.random() < 0.5:
        value = spent * rng.randint(1, 4)
        quantitative["lifetime_value"] = {
            "amount": _amount(value),
            "currency": country.currency,
        }
    if rng.random() < 0.3:
        quantitative["social"] = {
            key: rng.randint(0, 50) for key in ("likes", "shares", "comments", "follows")
        }

    record: Json = {
        "id": f"contact-{index:07d}",
        "created_at": _instant(rng, 2015),
        "updated_at": _instant(rng, 2024),
        "source": rng.choice(_SOURCES),
        "descriptive": descriptive,
        "qualitative": qualitative,
        "quantitative": quantitative,
    }
    crm = {**record, "identity": {**identity, "phones": crm_phones}}
    pyd = {**record, "identity": {**identity, "phones": pyd_phones}}
    return crm, pyd


def make_contacts(n: int, seed: int = 20240601) -> tuple[list[Json], list[Json]]:
    """Return ``n`` contacts as (crmcore input, pydantic input), the same for the same seed.

    The two lists hold the same contacts; only the phone text differs (national form for
    crmcore, international form for pydantic). Nested values other than the identity facet's
    phones are shared between the two lists; neither side mutates its input.
    """
    rng = random.Random(seed)
    phones = _Phones(rng)
    crm: list[Json] = []
    pyd: list[Json] = []
    for index in range(n):
        left, right = _contact(index, rng, phones)
        crm.append(left)
        pyd.append(right)
    return crm, pyd
