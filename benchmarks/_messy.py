"""Deterministic *messy* contact rows for the data-quality benchmark (``bench_quality.py``).

:func:`make_messy` builds ``n`` raw contact dicts from a seed, the way exports and forms deliver
them: names in capitals, in lower case or padded with spaces; emails in mixed case, some padded,
a few with a non-ASCII local part, a few role addresses, a few entered twice; phones of the
contact's country written nationally or internationally, with spaces, dots, dashes or nothing
between the groups; countries as codes in any case, alpha-3 codes, or English, French and
local names; dates in ISO form, day first with slashes or dots, or spelled out ("April 3,
1985", "3 April 1985"); padded and blank text. A few percent of the
values are invalid: emails that are no address, phones that cannot be read, are not possible
or are in no range the numbering plan assigns, impossible or unreadable dates, unknown
countries.

Every email and every valid phone is unique in the data set, so no cache of parsed values
helps beyond what mostly distinct real data would allow. Day-first dates follow one
convention (day before month) throughout, as one export would; both sides read them with
``dayfirst=True``. Everything follows from the seed: the same ``(n, seed)`` gives the same rows.

Alongside the rows, :class:`Messy` keeps what the generator knows and the timed code must work
out: the ISO 3166-1 alpha-2 country of each row (``None`` when it was written unreadably), and
the texts of each row's emails, phones and dates, for the floor (the bare library calls).
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

__all__ = ["DEFAULT_REGION", "PROFILES", "Messy", "make_messy"]

Json = dict[str, Any]

DEFAULT_REGION = "US"
"""The region national phones are read in when a row's country cannot be read."""


@dataclass(frozen=True)
class _Country:
    code: str
    weight: int
    names: tuple[str, ...]  # how the country is written besides its alpha-2 code
    alpha3: str
    given: tuple[str, ...]
    family: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]  # (locality, postal-code pattern: # digit, @ letter)
    streets: tuple[str, ...]
    domains: tuple[str, ...]
    idd: str  # the international call prefix written by people of that country


_COUNTRIES: tuple[_Country, ...] = (
    _Country(
        "US",
        24,
        ("United States", "USA", "U.S.A.", "États-Unis"),
        "USA",
        ("James", "Mary", "Robert", "Patricia", "Michael", "Linda", "Mary Ann", "Jennifer"),
        ("Smith", "Johnson", "O'Brien", "McDonald", "Jones", "Garcia", "Miller", "Van Buren"),
        (("New York", "100##"), ("Chicago", "606##-####"), ("Seattle", "981##")),
        ("{n} Main Street", "{n} Oak Avenue", "{n} Maple Drive"),
        ("mail.example.com", "Example.COM", "acme-corp.example", "Outlook.Example"),
        "011",
    ),
    _Country(
        "GB",
        12,
        ("United Kingdom", "UK", "Great Britain", "Royaume-Uni", "GBR"),
        "GBR",
        ("Oliver", "Amelia", "George", "Isla", "Harry", "Siân", "Jack", "Emily"),
        ("Taylor", "Wilson", "Evans", "O'Connor", "Roberts", "MacKenzie", "Wright", "Hughes"),
        (("London", "EC1A #BB"), ("Manchester", "M# #AE"), ("Leeds", "LS# #DP")),
        ("{n} High Street", "{n} Station Road", "Flat {n}, Church Lane"),
        ("btinternet.example", "Example.CO.UK", "northwind.co.uk"),
        "00",
    ),
    _Country(
        "FR",
        12,
        ("France", "france", "FRA", "FRANCE"),
        "FRA",
        ("Camille", "Léa", "Jean-Pierre", "Chloé", "Hugo", "Manon", "Louis", "Inès"),
        ("Martin", "de la Tour", "Dubois", "Lefèvre", "Robert", "Petit", "Durand", "Le Gall"),
        (("Paris", "750##"), ("Lyon", "6900#"), ("Marseille", "130##")),
        ("{n} rue de Rivoli", "{n} avenue Jean Jaurès", "{n} boulevard Voltaire"),
        ("orange.example", "free.fr", "Laposte.NET", "exemple.fr"),
        "00",
    ),
    _Country(
        "DE",
        12,
        ("Germany", "Allemagne", "Deutschland", "deu"),
        "DEU",
        ("Lukas", "Anna", "Leon", "Lena", "Finn", "Marie", "Jonas", "Sophie"),
        ("Müller", "Schmidt", "von Weizsäcker", "Fischer", "Weber", "Meyer", "Wagner", "Becker"),
        (("Berlin", "101##"), ("München", "803##"), ("Hamburg", "204##")),
        ("Hauptstraße {n}", "Bahnhofstraße {n}", "Gartenweg {n}"),
        ("web.example", "gmx.de", "T-Online.DE", "beispiel.de"),
        "00",
    ),
    _Country(
        "ES",
        8,
        ("Spain", "Espagne", "España", "ESP"),
        "ESP",
        ("Lucía", "Hugo", "Martina", "Pablo", "Sofía", "Álvaro", "Julia", "Mateo"),
        (
            "García",
            "Fernández",
            "de la Fuente",
            "Rodríguez",
            "López",
            "Martínez",
            "Sánchez",
            "Pérez",
        ),
        (("Madrid", "280##"), ("Barcelona", "080##"), ("Sevilla", "410##")),
        ("Calle Mayor {n}", "Avenida de la Constitución {n}", "Plaza de España {n}"),
        ("telefonica.example", "ejemplo.es", "Correo.ES"),
        "00",
    ),
    _Country(
        "IT",
        8,
        ("Italy", "Italie", "ITA"),
        "ITA",
        ("Leonardo", "Giulia", "Francesco", "Aurora", "Alessandro", "Sofia", "Lorenzo", "Ginevra"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "D'Angelo", "Colombo", "Ricci"),
        (("Milano", "201##"), ("Roma", "001##"), ("Torino", "101##")),
        ("Via Roma {n}", "Corso Italia {n}", "Via Garibaldi {n}"),
        ("libero.example", "esempio.it", "TIM.IT"),
        "00",
    ),
    _Country(
        "NL",
        6,
        ("Netherlands", "Pays-Bas", "Holland", "NLD"),
        "NLD",
        ("Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Levi", "Tess"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit"),
        (("Amsterdam", "10## AB"), ("Rotterdam", "30## CD"), ("Utrecht", "35## EF")),
        ("Kerkstraat {n}", "Dorpsstraat {n}", "Stationsweg {n}"),
        ("ziggo.example", "kpn.nl", "Voorbeeld.NL"),
        "00",
    ),
    _Country(
        "CA",
        7,
        ("Canada", "canada", "CAN"),
        "CAN",
        ("Liam", "Olivia", "Noah", "Charlotte", "William", "Emma", "Benjamin", "Chloé"),
        ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie"),
        (("Toronto", "M5V #A#"), ("Montréal", "H2X #B#"), ("Vancouver", "V6B #C#")),
        ("{n} King Street West", "{n} rue Sainte-Catherine", "{n} Granville Street"),
        ("rogers.example", "videotron.ca", "Example.CA"),
        "011",
    ),
    _Country(
        "BE",
        6,
        ("Belgium", "Belgique", "BEL"),
        "BEL",
        ("Lucas", "Emma", "Louis", "Olivia", "Noah", "Louise", "Arthur", "Elena"),
        ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens"),
        (("Bruxelles", "10##"), ("Antwerpen", "20##"), ("Gent", "90##")),
        ("Rue Neuve {n}", "Meir {n}", "Veldstraat {n}"),
        ("skynet.example", "telenet.be", "Proximus.BE"),
        "00",
    ),
    _Country(
        "CH",
        5,
        ("Switzerland", "Suisse", "CHE"),
        "CHE",
        ("Noah", "Mia", "Liam", "Emma", "Matteo", "Sofia", "Luca", "Lina"),
        ("Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Meyer"),
        (("Zürich", "80##"), ("Genève", "12##"), ("Basel", "40##")),
        ("Bahnhofstrasse {n}", "Rue du Rhône {n}", "Freie Strasse {n}"),
        ("bluewin.example", "sunrise.ch", "GMX.CH"),
        "00",
    ),
)

_PREFIXES = ("Dr", "Mr", "Ms", "Mrs", "Prof.")
_JOBS = (
    "Sales Manager",
    "software engineer",
    "HEAD OF MARKETING",
    "Procurement  Officer",
    "CFO",
    " Operations Lead ",
    "Customer Success Manager",
    "Founder",
)
_COMPANY_FORMS = ("GmbH", "SA", "Ltd", "Inc.", "BV", "SARL")
_ROLES = ("info", "sales", "contact", "support", "office")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_PHONE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE)
_DIGITS = re.compile(r"[0-9]+")

_BAD_EMAILS = (
    "{local}@",
    "{local}.{domain}",
    "{local} at {domain}",
    "{local}@@{domain}",
    "{local}@{host}",
    ".{local}@{domain}",
    "{local}@{domain}.",
)
_BAD_DATES = ("31/02/{year}", "1985-13-01", "unknown", "00/00/0000", "{year}-02-30", "soon")


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded if ch.isalnum())


def _fill(pattern: str, rng: random.Random) -> str:
    return "".join(
        str(rng.randrange(10))
        if ch == "#"
        else rng.choice("ABDEHJLNPRSTUWXYZ")
        if ch == "@"
        else ch
        for ch in pattern
    )


@dataclass
class Messy:
    """The messy rows and, for the floor and the checks, what the generator knows of each."""

    rows: list[Json]
    regions: list[str | None]
    """The alpha-2 country of each row; ``None`` where it was written unreadably."""
    emails: list[tuple[str, ...]]
    phones: list[tuple[str, ...]]
    dates: list[tuple[str, ...]]
    planted: dict[str, int] = field(default_factory=dict)
    """How many values of each kind of planted defect the rows hold."""

    def head(self, n: int) -> Messy:
        """The first ``n`` rows only."""
        return Messy(
            self.rows[:n],
            self.regions[:n],
            self.emails[:n],
            self.phones[:n],
            self.dates[:n],
            self.planted,
        )


class _Phones:
    """Unique valid numbers of a country, and numbers that fail in each way, as text."""

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

    def valid(self, region: str) -> phonenumbers.PhoneNumber:
        base = self._base(region, self._rng.choice(_PHONE_TYPES))
        digits = str(base.national_number)
        free = min(6, len(digits) - 2)
        for _ in range(500):
            tail = f"{self._rng.randrange(10**free):0{free}d}"
            national = int(digits[:-free] + tail)
            key = (base.country_code or 0, national)
            if key in self._seen:
                continue
            number = phonenumbers.PhoneNumber()
            number.merge_from(base)
            number.national_number = national
            if phonenumbers.is_valid_number_for_region(number, region):
                self._seen.add(key)
                return number
        raise RuntimeError(f"could not draw a new valid number for {region}")

    def not_valid(self, region: str) -> phonenumbers.PhoneNumber:
        """A number of possible length that is in no range the plan assigns."""
        base = self._base(region, PhoneNumberType.FIXED_LINE)
        length = len(str(base.national_number))
        for _ in range(2000):
            number = phonenumbers.PhoneNumber()
            number.merge_from(base)
            number.national_number = int(
                str(self._rng.randrange(1, 10))
                + "".join(str(self._rng.randrange(10)) for _ in range(length - 1))
            )
            if phonenumbers.is_possible_number(number) and not phonenumbers.is_valid_number(number):
                return number
        raise RuntimeError(f"could not draw an invalid number for {region}")

    def render(self, number: phonenumbers.PhoneNumber, country: _Country) -> str:
        """The number written as people write it: nationally or not, with any separator."""
        rng = self._rng
        style = rng.random()
        if style < 0.55:
            national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            groups = _DIGITS.findall(national)
            form = rng.random()
            if form < 0.4:
                return national
            if form < 0.6:
                return ".".join(groups)
            if form < 0.8:
                return "-".join(groups)
            return "".join(groups)
        international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        form = rng.random()
        if form < 0.4:
            return international
        if form < 0.65:
            return phonenumbers.format_number(number, PhoneNumberFormat.E164)
        if form < 0.8:
            return "+" + ".".join(_DIGITS.findall(international))
        if form < 0.9:
            return "+" + "-".join(_DIGITS.findall(international))
        return country.idd + " " + international[1:]


def _cased(rng: random.Random, text: str) -> str:
    """A name as typed: mostly as is, else in capitals, in lower case, or padded."""
    style = rng.random()
    if style < 0.6:
        return text
    if style < 0.75:
        return text.upper()
    if style < 0.85:
        return text.lower()
    if style < 0.95:
        return f"  {text} "
    return text.replace(" ", "  ") if " " in text else f"{text}\t"


def _date_text(rng: random.Random, day: date) -> str:
    style = rng.random()
    if style < 0.40:
        return day.isoformat()
    if style < 0.62:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if style < 0.75:
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    if style < 0.88:
        return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _day(rng: random.Random, first: int, last: int) -> date:
    start = date(first, 1, 1).toordinal()
    return date.fromordinal(rng.randrange(start, date(last, 12, 31).toordinal()))


def _country_text(rng: random.Random, country: _Country) -> str:
    style = rng.random()
    if style < 0.45:
        return country.code
    if style < 0.55:
        return country.code.lower()
    if style < 0.65:
        return country.alpha3
    return rng.choice(country.names)


def _row(
    index: int, rng: random.Random, phones: _Phones, planted: dict[str, int]
) -> tuple[dict[str, Any], str | None, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    country = rng.choices(_COUNTRIES, weights=[c.weight for c in _COUNTRIES])[0]
    given, family = rng.choice(country.given), rng.choice(country.family)

    def plant(kind: str) -> None:
        planted[kind] = planted.get(kind, 0) + 1

    name: Json = {"given": _cased(rng, given), "family": _cased(rng, family)}
    if rng.random() < 0.15:
        name["prefix"] = rng.choice(_PREFIXES)

    # Emails: unique per row index; mixed case, padding, a few non-ASCII, role or repeated.
    local = f"{_ascii(given)}.{_ascii(family)}{index}"
    if rng.random() < 0.03:
        local = f"{given.lower().replace(' ', '')}.{index}"  # may keep accents: not plain ASCII
    domain = rng.choice(country.domains)
    emails: list[str] = []
    for position in range(rng.choice((1, 1, 1, 2))):
        user = local if position == 0 else f"{local}.work"
        style = rng.random()
        if style < 0.02:
            user = f"{rng.choice(_ROLES)}+{index}"
        elif style < 0.3:
            user = user.lower()
        elif style < 0.4:
            user = user.upper()
        address = f"{user}@{domain}"
        bad = rng.random()
        if bad < 0.03:
            template = rng.choice(_BAD_EMAILS)
            address = template.format(local=user, domain=domain, host=domain.split(".")[0])
            plant("email")
        elif bad < 0.13:
            address = f" {address} "
        emails.append(address)
    if emails and rng.random() < 0.02:
        emails.append(emails[0].strip().lower())  # the same address entered twice

    phone_texts: list[str] = []
    for _ in range(rng.choice((1, 1, 2))):
        bad = rng.random()
        if bad < 0.01:
            phone_texts.append(rng.choice(("12345", "n/a", "call me", "+", "0")))
            plant("phone.unreadable")
        elif bad < 0.03:
            phone_texts.append(phones.render(phones.not_valid(country.code), country))
            plant("phone.invalid")
        else:
            phone_texts.append(phones.render(phones.valid(country.code), country))

    locality, postal = rng.choice(country.cities)
    address_data: Json = {
        "lines": [rng.choice(country.streets).format(n=rng.randint(1, 250))],
        "locality": locality if rng.random() < 0.9 else f" {locality.upper()} ",
        "postal_code": _fill(postal, rng) if rng.random() < 0.95 else _fill(postal, rng).lower(),
        "country": _country_text(rng, country),
    }
    region: str | None = country.code
    if rng.random() < 0.005:
        address_data["country"] = rng.choice(("Atlantis", "Westeros", "XX"))
        region = None
        plant("country")

    identity: Json = {
        "name": name,
        "emails": emails,
        "phones": phone_texts,
        "addresses": [address_data],
    }
    dates: list[str] = []
    if rng.random() < 0.75:
        text = _date_text(rng, _day(rng, 1940, 2005))
        if rng.random() < 0.02:
            text = rng.choice(_BAD_DATES).format(year=rng.randint(1940, 2005))
            plant("date")
        identity["birth_date"] = text
        dates.append(text)
    organisation = rng.random()
    if organisation < 0.45:
        identity["organisation"] = f"{rng.choice(country.family)} {rng.choice(_COMPANY_FORMS)}"
    elif organisation < 0.55:
        identity["organisation"] = ""

    row: Json = {"id": f"m-{index:07d}", "identity": identity}
    if rng.random() < 0.6:
        row["descriptive"] = {"job_title": rng.choice(_JOBS)}
    if rng.random() < 0.5:
        text = _date_text(rng, _day(rng, 2019, 2025))
        row["quantitative"] = {"last_purchase_on": text}
        dates.append(text)
    return row, region, tuple(emails), tuple(phone_texts), tuple(dates)


PROFILES: dict[str, float] = {"tidy": 0.0, "messy": 0.45}
"""Each profile's share of the rows with no value to quarantine that are given one.

``tidy`` is the generator as it was first written (about 9% of the rows have a value that
cleaning sets aside); ``messy`` gives one to 45% of the others, so that about half of all rows
have one, as in a real export with free-typed columns.
"""

_QUARANTINED = ("email", "phone.unreadable", "date", "country")
"""The planted defects that cleaning sets aside (an invalid but readable phone is kept)."""


_NO_COUNTRY = ("Atlantis", "Westeros", "XX")


def _spoil(row: Json, rng: random.Random, planted: dict[str, int]) -> bool:
    """Plant one value to quarantine in ``row`` (in place); ``False`` if it has none to spoil."""
    identity = row["identity"]
    kind = rng.choice(_QUARANTINED)
    if kind == "email":
        if not identity["emails"]:
            return False
        user, _, domain = identity["emails"][0].strip().partition("@")
        template = rng.choice(_BAD_EMAILS)
        identity["emails"][0] = template.format(
            local=user, domain=domain, host=domain.split(".")[0]
        )
    elif kind == "phone.unreadable":
        identity["phones"][0] = rng.choice(("12345", "n/a", "call me", "+", "0"))
    elif kind == "date":
        identity["birth_date"] = rng.choice(_BAD_DATES).format(year=rng.randint(1940, 2005))
    else:
        identity["addresses"][0]["country"] = rng.choice(_NO_COUNTRY)
    planted[kind] = planted.get(kind, 0) + 1
    return True


def make_messy(n: int, seed: int = 20240917, profile: str = "tidy") -> Messy:
    """``n`` messy contact rows and what the generator knows of them; the same for one seed.

    ``profile`` is one of :data:`PROFILES`. The rows of ``messy`` are those of ``tidy`` with
    one more value to quarantine in some of them (drawn from a second generator, so the rows
    themselves are the same).
    """
    spoil = PROFILES[profile]
    rng = random.Random(seed)
    spoiler = random.Random(seed + 1)
    phones = _Phones(rng)
    planted: dict[str, int] = {}
    messy = Messy([], [], [], [], [], planted)
    for index in range(n):
        before = sum(planted.get(kind, 0) for kind in _QUARANTINED)
        row, region, emails, phone_texts, dates = _row(index, rng, phones, planted)
        clean = sum(planted.get(kind, 0) for kind in _QUARANTINED) == before
        if spoil and clean and spoiler.random() < spoil and _spoil(row, spoiler, planted):
            identity = row["identity"]
            if identity["addresses"][0]["country"] in _NO_COUNTRY:
                region = None
            emails, phone_texts = tuple(identity["emails"]), tuple(identity["phones"])
            dates = tuple(
                text
                for text in (
                    identity.get("birth_date"),
                    row.get("quantitative", {}).get("last_purchase_on"),
                )
                if text is not None
            )
        messy.rows.append(row)
        messy.regions.append(region)
        messy.emails.append(emails)
        messy.phones.append(phone_texts)
        messy.dates.append(dates)
    return messy
