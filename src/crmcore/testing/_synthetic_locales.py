"""The reference data :mod:`crmcore.testing.synthetic` draws from: names, cities, phone plans.

Seven countries, each with given and family names (accents, particles, nicknames), cities with
their postal code, region and landline prefix, street patterns, mobile prefixes, company
suffixes and registration schemes; then the shared tables of companies, jobs, deals and
activities. Everything here is fictional or generic; see the module docstring of
:mod:`crmcore.testing.synthetic` for the phone blocks reserved for fiction.

The order of every table is part of the generator's output: the same seed picks the same
entries, so changing an entry changes the data sets (and the bundled demo data) it makes.
"""

from __future__ import annotations

import attrs

__all__ = [
    "BAND_NAMES",
    "CHANNELS",
    "CLOSED",
    "COUNTRIES",
    "DE",
    "ES",
    "FICTIONAL",
    "FR",
    "FREE_MAIL",
    "GB",
    "INDUSTRIES",
    "IT",
    "JOBS",
    "KINDS",
    "MONTHS",
    "MOTIVATIONS",
    "NL",
    "NOTES",
    "OWNERS",
    "PAINS",
    "PIPELINES",
    "PRODUCTS",
    "SOURCES",
    "STAGES",
    "STEMS",
    "SUBJECTS",
    "TRADES",
    "US",
    "City",
    "Country",
]

# fmt: off

@attrs.frozen
class City:
    name: str
    postal_code: str
    region: str
    phone: tuple[str, int, tuple[int, ...]]  # national prefix, national length, grouping


@attrs.frozen
class Country:
    code: str
    calling_code: str
    trunk: str
    spellings: tuple[str, ...]
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    nicknames: dict[str, str]
    prefixes: tuple[str, ...]
    cities: tuple[City, ...]
    streets: tuple[str, ...]
    mobile_prefixes: tuple[str, ...]
    mobile_shape: tuple[int, tuple[int, ...]]  # national length, grouping
    company_suffixes: tuple[str, ...]
    registration: tuple[str, str]  # scheme, pattern of digits ('#')
    language: str
    currency: str
    date_style: str  # "/", ".", "-" (day first) or "us"
    utc_offset: int  # hours in winter; one more from April to October


FR = Country(
    code="FR",
    calling_code="33",
    trunk="0",
    spellings=("France", "FRANCE", "FRA", "fr", "FR", "france "),
    female=("Élodie", "Hélène", "Camille", "Chloé", "Léa", "Inès", "Anne-Sophie", "Stéphanie",
            "Béatrice", "Catherine", "Valérie", "Margaux"),
    male=("François", "Jean-Baptiste", "Benoît", "Théo", "Julien", "Sébastien", "Nicolas",
          "Jérôme", "Christophe", "Alexandre", "Frédéric", "Étienne"),
    family=("Dupont", "Lefèvre", "de la Tour", "Moreau", "Girard", "Rousseau", "Lemaire",
            "Dubois", "de Villiers", "Chevalier", "Le Goff", "Mercier", "du Pont", "Béranger"),
    nicknames={"Sébastien": "Seb", "Nicolas": "Nico", "Christophe": "Chris", "Alexandre": "Alex",
               "Frédéric": "Fred", "Stéphanie": "Steph", "Catherine": "Cathy",
               "Valérie": "Val"},
    prefixes=("M.", "Mme", "Dr"),
    cities=(
        City("Paris", "75011", "Île-de-France", ("019900", 10, (2, 2, 2, 2, 2))),
        City("Lyon", "69003", "Auvergne-Rhône-Alpes", ("046571", 10, (2, 2, 2, 2, 2))),
        City("Marseille", "13008", "Provence-Alpes-Côte d'Azur",
              ("046571", 10, (2, 2, 2, 2, 2))),
        City("Toulouse", "31000", "Occitanie", ("053649", 10, (2, 2, 2, 2, 2))),
        City("Nantes", "44000", "Pays de la Loire", ("026191", 10, (2, 2, 2, 2, 2))),
        City("Lille", "59000", "Hauts-de-France", ("035301", 10, (2, 2, 2, 2, 2))),
    ),
    streets=("{n} rue de la République", "{n}, avenue Victor Hugo", "{n} boulevard Voltaire",
             "{n} rue des Lilas", "{n} place du Marché"),
    mobile_prefixes=("061", "062", "064", "066", "067", "076", "078"),
    mobile_shape=(10, (2, 2, 2, 2, 2)),
    company_suffixes=("SARL", "SAS", "SA"),
    registration=("SIREN", "### ### ###"),
    language="fr-FR",
    currency="EUR",
    date_style="/",
    utc_offset=1,
)

DE = Country(
    code="DE",
    calling_code="49",
    trunk="0",
    spellings=("Germany", "Deutschland", "Allemagne", "DE", "DEU", "de"),
    female=("Anna", "Lena", "Katharina", "Sabine", "Ursula", "Jana", "Birgit", "Hannah",
            "Gisela", "Jördis"),
    male=("Jürgen", "Matthias", "Lukas", "Maximilian", "Stefan", "Jörg", "Wolfgang",
          "Andreas", "Tobias", "Johannes", "Michael"),
    family=("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "von Brandt", "Groß", "Köhler", "Hoffmann", "von der Heide", "Schäfer"),
    nicknames={"Johannes": "Hannes", "Michael": "Micha", "Katharina": "Kathi",
               "Maximilian": "Max", "Andreas": "Andi", "Tobias": "Tobi", "Wolfgang": "Wolf"},
    prefixes=("Herr", "Frau", "Dr."),
    cities=(
        City("Berlin", "10115", "Berlin", ("030", 11, (3, 8))),
        City("München", "80331", "Bayern", ("089", 10, (3, 7))),
        City("Hamburg", "20095", "Hamburg", ("040", 11, (3, 8))),
        City("Köln", "50667", "Nordrhein-Westfalen", ("0221", 11, (4, 7))),
        City("Leipzig", "04109", "Sachsen", ("0341", 11, (4, 7))),
    ),
    streets=("Hauptstraße {n}", "Bahnhofstr. {n}", "Gartenweg {n}", "Schillerplatz {n}",
             "Lindenallee {n}"),
    mobile_prefixes=("0151", "0160", "0170", "0176"),
    mobile_shape=(12, (4, 8)),
    company_suffixes=("GmbH", "AG", "KG"),
    registration=("HRB", "#####"),
    language="de-DE",
    currency="EUR",
    date_style=".",
    utc_offset=1,
)

GB = Country(
    code="GB",
    calling_code="44",
    trunk="0",
    spellings=("United Kingdom", "UK", "GB", "Great Britain", "U.K.", "Royaume-Uni"),
    female=("Olivia", "Amelia", "Charlotte", "Emily", "Margaret", "Katherine", "Elizabeth",
            "Jessica", "Siobhan"),
    male=("William", "James", "Oliver", "Harry", "Thomas", "Robert", "Edward", "Daniel",
          "Benjamin", "Christopher"),
    family=("Smith", "Jones", "Taylor", "Brown", "Williams", "Davies", "Evans", "O'Brien",
            "Clarke", "Hughes", "Smith-Jones", "McDonald", "Thompson"),
    nicknames={"William": "Bill", "Robert": "Bob", "Margaret": "Maggie", "Katherine": "Kate",
               "Elizabeth": "Liz", "Christopher": "Chris", "Thomas": "Tom", "Edward": "Ted",
               "James": "Jim", "Daniel": "Dan", "Benjamin": "Ben", "Jessica": "Jess"},
    prefixes=("Mr", "Mrs", "Ms", "Dr"),
    cities=(
        City("London", "EC1A 1BB", "England", ("0207946", 11, (3, 4, 4))),
        City("Leeds", "LS1 4DY", "England", ("01134960", 11, (4, 3, 4))),
        City("Manchester", "M1 1AE", "England", ("01614960", 11, (4, 3, 4))),
        City("Edinburgh", "EH1 1YZ", "Scotland", ("01314960", 11, (4, 3, 4))),
    ),
    streets=("{n} High Street", "{n} Station Road", "Flat {k}, {n} Victoria Road",
             "{n} Church Lane"),
    mobile_prefixes=("074", "075", "077", "078"),
    mobile_shape=(11, (5, 6)),
    company_suffixes=("Ltd", "PLC", "LLP"),
    registration=("CRN", "0#######"),
    language="en-GB",
    currency="GBP",
    date_style="/",
    utc_offset=0,
)

US = Country(
    code="US",
    calling_code="1",
    trunk="",
    spellings=("United States", "USA", "US", "U.S.A.", "United States of America", "États-Unis"),
    female=("Jennifer", "Ashley", "Madison", "Elizabeth", "Sarah", "Patricia", "Jessica"),
    male=("Michael", "Christopher", "Matthew", "Joshua", "William", "Robert", "Richard",
          "Joseph"),
    family=("Johnson", "Miller", "Garcia", "Rodriguez", "Martinez", "Anderson", "Jackson",
            "Harris", "Walker", "O'Connor", "Nguyen"),
    nicknames={"Michael": "Mike", "Christopher": "Chris", "Matthew": "Matt", "Joshua": "Josh",
               "William": "Bill", "Robert": "Bob", "Richard": "Rick", "Joseph": "Joe",
               "Jennifer": "Jen", "Patricia": "Pat", "Elizabeth": "Liz"},
    prefixes=("Mr.", "Mrs.", "Ms.", "Dr."),
    cities=(
        City("New York", "10001", "NY", ("21255501", 10, (3, 3, 4))),
        City("San Francisco", "94105", "CA", ("41555501", 10, (3, 3, 4))),
        City("Chicago", "60601", "IL", ("31255501", 10, (3, 3, 4))),
        City("Boston", "02108", "MA", ("61755501", 10, (3, 3, 4))),
        City("Austin", "78701", "TX", ("51255501", 10, (3, 3, 4))),
    ),
    streets=("{n} Main St", "{n} Oak Avenue", "{n} Market Street, Suite {k}"),
    mobile_prefixes=("20255501", "64655501"),
    mobile_shape=(10, (3, 3, 4)),
    company_suffixes=("Inc.", "LLC", "Corp."),
    registration=("EIN", "##-#######"),
    language="en-US",
    currency="USD",
    date_style="us",
    utc_offset=-5,
)

ES = Country(
    code="ES",
    calling_code="34",
    trunk="",
    spellings=("Spain", "España", "Espagne", "ES", "ESP", "es"),
    female=("María", "Lucía", "Carmen", "Ana", "Marta", "Nuria", "Pilar", "Inés"),
    male=("José", "Javier", "Iñaki", "Álvaro", "Jesús", "Francisco", "Antonio", "Manuel",
          "Alejandro"),
    family=("García", "López", "Martínez", "Sánchez", "Pérez", "Fernández", "Ruiz",
            "del Río", "de la Fuente", "Muñoz", "Álvarez", "Núñez"),
    nicknames={"José": "Pepe", "Francisco": "Paco", "Antonio": "Toño", "Manuel": "Manolo",
               "Alejandro": "Álex", "Jesús": "Chus", "Pilar": "Pili", "Javier": "Javi"},
    prefixes=("Sr.", "Sra.", "D.", "Dña."),
    cities=(
        City("Madrid", "28013", "Comunidad de Madrid", ("91", 9, (3, 3, 3))),
        City("Barcelona", "08002", "Cataluña", ("93", 9, (3, 3, 3))),
        City("Valencia", "46002", "Comunidad Valenciana", ("96", 9, (3, 3, 3))),
        City("Sevilla", "41001", "Andalucía", ("95", 9, (2, 3, 2, 2))),
    ),
    streets=("Calle Mayor, {n}", "C/ de Alcalá {n}", "Avenida de la Constitución {n}",
             "Plaza de España {n}, {k}º B"),
    mobile_prefixes=("6",),
    mobile_shape=(9, (3, 3, 3)),
    company_suffixes=("S.L.", "S.A."),
    registration=("CIF", "B########"),
    language="es-ES",
    currency="EUR",
    date_style="/",
    utc_offset=1,
)

NL = Country(
    code="NL",
    calling_code="31",
    trunk="0",
    spellings=("Netherlands", "Nederland", "The Netherlands", "Pays-Bas", "NL", "NLD"),
    female=("Anouk", "Sanne", "Fleur", "Lotte", "Femke", "Wilhelmina", "Marieke", "Ingrid"),
    male=("Johannes", "Pieter", "Daan", "Bram", "Sander", "Willem", "Hendrik", "Jeroen"),
    family=("de Vries", "van der Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
            "de Jong", "van den Broek", "Mulder", "de Boer", "van Leeuwen"),
    nicknames={"Johannes": "Jan", "Wilhelmina": "Mien", "Hendrik": "Henk", "Willem": "Wim",
               "Pieter": "Piet"},
    prefixes=("Dhr.", "Mevr."),
    cities=(
        City("Amsterdam", "1012 AB", "Noord-Holland", ("020", 10, (3, 3, 4))),
        City("Rotterdam", "3011 AD", "Zuid-Holland", ("010", 10, (3, 3, 4))),
        City("Utrecht", "3511 AB", "Utrecht", ("030", 10, (3, 3, 4))),
        City("Eindhoven", "5611 AB", "Noord-Brabant", ("040", 10, (3, 3, 4))),
    ),
    streets=("Keizersgracht {n}", "Kerkstraat {n}", "Dorpsstraat {n}a", "Stationsplein {n}"),
    mobile_prefixes=("061", "062", "063", "064", "065"),
    mobile_shape=(10, (2, 8)),
    company_suffixes=("B.V.", "N.V."),
    registration=("KvK", "########"),
    language="nl-NL",
    currency="EUR",
    date_style="-",
    utc_offset=1,
)

IT = Country(
    code="IT",
    calling_code="39",
    trunk="",
    spellings=("Italy", "Italia", "Italie", "IT", "ITA"),
    female=("Giulia", "Francesca", "Chiara", "Alessandra", "Federica", "Elisabetta",
            "Giovanna"),
    male=("Niccolò", "Giuseppe", "Alessandro", "Lorenzo", "Matteo", "Davide", "Giovanni",
          "Francesco"),
    family=("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
            "De Luca", "Di Stefano", "Lo Bianco", "Ricci", "Greco"),
    nicknames={"Giuseppe": "Beppe", "Francesco": "Franco", "Alessandro": "Sandro",
               "Giovanni": "Gianni", "Elisabetta": "Betta", "Alessandra": "Sandra",
               "Giovanna": "Gianna"},
    prefixes=("Sig.", "Sig.ra", "Dott.", "Dott.ssa", "Ing."),
    cities=(
        City("Milano", "20121", "Lombardia", ("02", 10, (2, 4, 4))),
        City("Roma", "00184", "Lazio", ("06", 10, (2, 4, 4))),
        City("Torino", "10121", "Piemonte", ("011", 10, (3, 3, 4))),
        City("Bologna", "40121", "Emilia-Romagna", ("051", 10, (3, 3, 4))),
    ),
    streets=("Via Roma {n}", "Corso Vittorio Emanuele II, {n}", "Piazza Garibaldi {n}",
             "Via Dante {n}"),
    mobile_prefixes=("320", "333", "340", "347"),
    mobile_shape=(10, (3, 3, 4)),
    company_suffixes=("S.r.l.", "S.p.A."),
    registration=("P.IVA", "###########"),
    language="it-IT",
    currency="EUR",
    date_style="/",
    utc_offset=1,
)

FICTIONAL = frozenset({
    "019900", "026191", "035301", "046571", "053649",  # France (ARCEP)
    "0207946", "01134960", "01614960", "01314960",  # United Kingdom (Ofcom)
    "21255501", "41555501", "31255501", "61755501", "51255501", "20255501", "64655501",  # US
})

COUNTRIES: tuple[tuple[Country, int], ...] = (
    (FR, 30), (DE, 18), (GB, 15), (ES, 10), (IT, 10), (NL, 8), (US, 9),
)

FREE_MAIL = ("example.com", "example.org", "example.net", "mail.example", "post.example")
INDUSTRIES = ("Software", "Retail", "Manufacturing", "Healthcare", "Logistics", "Finance",
              "Education", "Hospitality", "Construction", "Media")
STEMS = ("Atlas", "Lumière", "Nordlicht", "Bluebird", "Solano", "Vega", "Orion", "Castello",
         "Helix", "Polder", "Brightwater", "Fontaine", "Adler", "Mistral", "Kestrel",
         "Azur", "Tramontana", "Meridian", "Zephyr", "Alba")
TRADES = ("Conseil", "Logistics", "Software", "Systems", "Partners", "Foods", "Media",
          "Analytics", "Design", "Bau", "Textil", "Energia")
JOBS = ("Head of Marketing", "CTO", "Office Manager", "Purchasing Manager", "CEO",
        "Directeur commercial", "Einkaufsleiter", "Data Analyst", "Responsable RH",
        "Sales Director", "Jefe de compras", "IT Manager", "Responsabile acquisti")
MOTIVATIONS = ("price", "reliability", "time savings", "compliance", "growth", "support quality")
PAINS = ("manual data entry", "duplicate records", "slow reporting", "GDPR requests",
         "integration with billing")
NOTES = ("Asked for a demo next quarter.", "Prefers calls in the morning.",
         "Met at the trade fair.", "Budget frozen until January.",
         "Wants an invoice in paper form.", "Referred by a colleague.")
PRODUCTS = ("CRM-PRO", "CRM-ESSENTIAL", "ANALYTICS", "SUPPORT-PLUS", "ONBOARDING", "API-ADDON")
OWNERS = ("Claire Martin", "Tom Becker", "Lucía Navarro", "Pieter Smit", "Sam Carter")
PIPELINES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("New business", ("Qualification", "Discovery", "Proposal", "Negotiation", "Closed won",
                      "Closed lost")),
    ("Renewals", ("Upcoming", "In negotiation", "Renewed", "Churned")),
    ("Partners", ("Sourcing", "Onboarding", "Active")),
)
CLOSED = frozenset({"Closed won", "Closed lost", "Renewed", "Churned", "Active"})
STAGES = ("subscriber", "lead", "marketing_qualified", "sales_qualified", "opportunity",
          "customer", "customer", "customer", "evangelist", "former_customer")
SOURCES = ("form", "import", "manual", "api", "event", "referral", "purchased_list")
SUBJECTS = {
    "call": ("Follow-up call", "Discovery call", "Renewal check-in"),
    "email": ("Your quote", "Welcome aboard", "Newsletter — spring edition", "Invoice reminder"),
    "meeting": ("Quarterly business review", "Product demo", "Kick-off meeting"),
    "support_request": ("Cannot log in", "Export fails", "Question about invoice",
                        "Data import error"),
    "purchase": ("Online order", "Licence upgrade", "Add-on purchase"),
    "survey": ("Satisfaction survey", "NPS survey"),
    "task": ("Send contract", "Prepare proposal", "Call back"),
    "note": ("Internal note",),
    "social_interaction": ("Commented on a post", "Shared an article"),
}
KINDS = ("call", "call", "email", "email", "email", "meeting", "support_request",
         "support_request", "purchase", "survey", "task", "note", "social_interaction")
CHANNELS = {
    "call": ("phone",), "email": ("email",), "meeting": ("in_person", "video"),
    "support_request": ("email", "chat", "phone", "web"), "purchase": ("web", "in_person"),
    "survey": ("email", "web"), "task": ("other",), "note": ("other",),
    "social_interaction": ("social",),
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

BAND_NAMES = {"1": "solo", "2-9": "micro", "10-49": "small", "50-249": "medium",
              "250-999": "large", "1000+": "enterprise"}
# fmt: on
