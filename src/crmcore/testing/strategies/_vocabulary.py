"""Word lists the strategies draw from."""

from __future__ import annotations

import string

# -- vocabulary -----------------------------------------------------------------------------

_GIVEN = (
    *("Anne-Sophie", "Jean-Luc", "Marie", "José", "Zoë", "Søren", "Łukasz", "Aoife", "Siobhán"),
    *("Björn", "François", "Hans-Peter", "Li", "Wei", "Yuki", "Ólafur", "Chloé", "Ngozi"),
    *("Mary-Kate", "Jürgen", "Thảo", "Ana Lucía", "Mohammed", "Priya", "Seán", "Dženan"),
)
_FAMILY = (
    *("de la Tour", "van der Berg", "O'Brien", "MacKenzie", "Nguyễn", "Müller", "Smith-Jones"),
    *("García Márquez", "d'Alembert", "von Neumann", "Ó Súilleabháin", "dos Santos", "Da Silva"),
    *("McAllister", "Le Guen", "ten Boom", "Al-Hassan", "Papadopoulos", "Øvergård", "Żółkiewski"),
    *("Núñez", "Kowalski", "Tanaka", "Chen", "Dubois", "Van Buren", "bin Laden-Smith"),
)
_PARTICLES = (
    *("de", "de la", "du", "van", "van der", "von", "da", "dos", "di", "del", "ter", "le"),
    *("Mac", "Mc", "O'", "d'", "Al-", "bin", "ibn"),
)
_PREFIXES = ("Dr", "Dr.", "Mme", "M.", "Mr", "Mrs", "Ms", "Mx", "Prof.", "Herr", "Frau", "Sra.")
_SUFFIXES = ("Jr.", "Sr.", "II", "III", "IV", "PhD", "MD", "Esq.")
_MIDDLE = ("J.", "Q.", "Marie", "Ann", "de Paula", "Maria José")
_NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœßłńśźżčšžřěőűğđ"

_ATOM = string.ascii_letters + string.digits + "_-"
_UNICODE_ATOM = string.ascii_letters + "àâçéèêëîïôûùüÿñæœøåäößÀÉÈÖÜÑ"
_UNICODE_LOCALS = (
    *("josé", "françois.dupont", "müller", "søren", "δοκιμή", "пользователь", "用户"),
    *("ユーザー", "nguyễn.văn", "Zoë.Łukasz"),
)
_DOMAIN_LABELS = (
    *("mail", "post", "acme", "northwind", "contoso", "globex", "initech", "fabrikam"),
    *("kaufhaus", "correo", "posta", "société", "bücher", "müller-bau", "sunrise", "online"),
)
# None of these is a special-use or reserved name (RFC 6761, 6762, 7686, 8375: test, invalid,
# local, localhost, onion, arpa), which email-validator refuses.
_TLDS = (
    *("com", "org", "net", "fr", "de", "es", "it", "nl", "be", "ch", "io", "eu", "info"),
    *("co.uk", "org.uk", "com.au", "com.br", "co.jp", "ca", "in", "рф"),
)
_LABELS = ("work", "home", "personal", "billing", "mobile", "office", "other")

_STREETS = (
    *("10 rue de Rivoli", "221B Baker Street", "Flat 3", "Kurfürstendamm 21", "Via Roma 1"),
    *("Calle de Alcalá 42", "Postbus 123", "1600 Amphitheatre Pkwy", "Suite 400", "c/o Müller"),
)
_LOCALITIES = ("Paris", "London", "Berlin", "Madrid", "Milano", "Bruxelles", "Zürich", "São Paulo")
_REGIONS = ("Île-de-France", "Greater London", "Bayern", "CA", "NSW", "Ontario", "Vaud", "Goa")
_POSTAL_CODES = ("75001", "SW1A 1AA", "10115", "28014", "20121", "1000", "8001", "94043-1351")
_COMPANIES = (
    *("Acme SA", "Northwind Traders", "Müller & Söhne GmbH", "Société Générale des Eaux"),
    *("Contoso Ltd", "Globex Corporation", "株式会社テスト", "O'Reilly Media"),
)
_INDUSTRIES = ("Software", "Retail", "Manufacturing", "Health care", "Logistics", "Banking")
_TERRITORIES = ("EMEA", "North America", "APAC", "DACH", "Benelux", "LATAM")
_JOBS = ("Head of Procurement", "CTO", "Directrice commerciale", "Buyer", "Office manager")
_LANGUAGES = ("en", "en-GB", "fr", "fr-CA", "de-CH", "pt-BR", "ja", "zh-Hant-TW", "nl")
_GENDERS = ("female", "male", "non-binary", "woman", "man", "prefers not to say")
_REASONS = ("price", "support quality", "integrations", "faster onboarding", "data residency")
_NOTE_TEXTS = (
    "Called back, wants a demo next week.",
    "Prefers email; do not call before 10:00.",
    "Rappeler après le salon.\nBudget validé.",
    "Asked for the DPA and the list of sub-processors.",
)
_SYSTEMS = ("salesforce", "hubspot", "stripe", "zendesk", "netsuite", "mailchimp", "legacy-crm")
_SCHEMES = ("VAT", "SIREN", "SIRET", "EIN", "CRN", "KVK", "HRB", "CNPJ", "ABN", "UID")
_PIPELINES = ("default", "enterprise", "partners", "renewals")
_STAGES = ("qualification", "discovery", "proposal", "negotiation", "closed_won", "closed_lost")
_PRODUCTS = ("SKU-1001", "Pro plan", "Enterprise plan", "Onboarding pack", "Support 24/7")
_SUBJECTS = ("Quarterly review", "Re: invoice 2024-117", "Demo", "Ticket #4521", "Welcome call")
_QUARANTINE_PATHS = ("identity.phones[0]", "identity.emails[1]", "identity.birth_date", "id")
_QUARANTINE_CODES = ("phone.invalid", "email.invalid_syntax", "date.unreadable", "text.blank")
