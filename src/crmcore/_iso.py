"""Reference data and lookups for ISO 3166-1 countries and ISO 4217 currencies.

The tables are written out literally so that importing this module performs no I/O:

* :data:`COUNTRIES` holds the 249 officially assigned ISO 3166-1 alpha-2 codes with their
  alpha-3 and numeric codes and a common short name in English and in French. User-assigned
  codes such as ``XK`` are not included.
* :data:`CURRENCIES` holds the currently active ISO 4217 codes (list published 2026-01-01),
  including funds, precious metals and the testing and "no currency" codes. Withdrawn codes
  such as ``HRK``, ``SLL``, ``ZWL`` or ``ANG`` are not included.

:func:`lookup_country` resolves free text typed by people (codes, English or French names and
a few common aliases) to an alpha-2 code. It compares text case-insensitively and ignores
accents, punctuation, extra whitespace, a leading article ("the", "le", "la", "les", "l'"), the
connectors "and"/"et" and the abbreviations "St"/"Ste" for "Saint"/"Sainte". A name that could
designate more than one country, such as "Congo", "Korea" or "Virgin Islands", resolves to
``None`` rather than to a guess.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import attrs

__all__ = [
    "COUNTRIES",
    "COUNTRY_CODES",
    "CURRENCIES",
    "CURRENCY_CODES",
    "Country",
    "Currency",
    "country_by_alpha2",
    "currency_by_code",
    "lookup_country",
]


@attrs.frozen
class Country:
    """One ISO 3166-1 country or territory.

    ``numeric`` is the three-digit numeric code, zero padded (``"004"`` for Afghanistan).
    ``name_en`` and ``name_fr`` are common short names ("United Kingdom", "Royaume-Uni"),
    not necessarily the formal ISO short names.
    """

    alpha2: str
    alpha3: str
    numeric: str
    name_en: str
    name_fr: str


@attrs.frozen
class Currency:
    """One ISO 4217 currency, fund, precious metal or special code.

    ``numeric`` is the three-digit numeric code, zero padded. ``minor_units`` is the number of
    decimal places of the minor unit, or ``None`` where the standard says "N.A." (``XAU``,
    ``XDR``, ``XXX``, ...). ``name`` is the English name used by the standard.
    """

    code: str
    numeric: str
    minor_units: int | None
    name: str


COUNTRIES: tuple[Country, ...] = (
    Country("AD", "AND", "020", "Andorra", "Andorre"),
    Country("AE", "ARE", "784", "United Arab Emirates", "Émirats arabes unis"),
    Country("AF", "AFG", "004", "Afghanistan", "Afghanistan"),
    Country("AG", "ATG", "028", "Antigua and Barbuda", "Antigua-et-Barbuda"),
    Country("AI", "AIA", "660", "Anguilla", "Anguilla"),
    Country("AL", "ALB", "008", "Albania", "Albanie"),
    Country("AM", "ARM", "051", "Armenia", "Arménie"),
    Country("AO", "AGO", "024", "Angola", "Angola"),
    Country("AQ", "ATA", "010", "Antarctica", "Antarctique"),
    Country("AR", "ARG", "032", "Argentina", "Argentine"),
    Country("AS", "ASM", "016", "American Samoa", "Samoa américaines"),
    Country("AT", "AUT", "040", "Austria", "Autriche"),
    Country("AU", "AUS", "036", "Australia", "Australie"),
    Country("AW", "ABW", "533", "Aruba", "Aruba"),
    Country("AX", "ALA", "248", "Åland Islands", "Îles Åland"),
    Country("AZ", "AZE", "031", "Azerbaijan", "Azerbaïdjan"),
    Country("BA", "BIH", "070", "Bosnia and Herzegovina", "Bosnie-Herzégovine"),
    Country("BB", "BRB", "052", "Barbados", "Barbade"),
    Country("BD", "BGD", "050", "Bangladesh", "Bangladesh"),
    Country("BE", "BEL", "056", "Belgium", "Belgique"),
    Country("BF", "BFA", "854", "Burkina Faso", "Burkina Faso"),
    Country("BG", "BGR", "100", "Bulgaria", "Bulgarie"),
    Country("BH", "BHR", "048", "Bahrain", "Bahreïn"),
    Country("BI", "BDI", "108", "Burundi", "Burundi"),
    Country("BJ", "BEN", "204", "Benin", "Bénin"),
    Country("BL", "BLM", "652", "Saint Barthélemy", "Saint-Barthélemy"),
    Country("BM", "BMU", "060", "Bermuda", "Bermudes"),
    Country("BN", "BRN", "096", "Brunei", "Brunei"),
    Country("BO", "BOL", "068", "Bolivia", "Bolivie"),
    Country(
        "BQ", "BES", "535", "Bonaire, Sint Eustatius and Saba", "Bonaire, Saint-Eustache et Saba"
    ),
    Country("BR", "BRA", "076", "Brazil", "Brésil"),
    Country("BS", "BHS", "044", "Bahamas", "Bahamas"),
    Country("BT", "BTN", "064", "Bhutan", "Bhoutan"),
    Country("BV", "BVT", "074", "Bouvet Island", "Île Bouvet"),
    Country("BW", "BWA", "072", "Botswana", "Botswana"),
    Country("BY", "BLR", "112", "Belarus", "Biélorussie"),
    Country("BZ", "BLZ", "084", "Belize", "Belize"),
    Country("CA", "CAN", "124", "Canada", "Canada"),
    Country("CC", "CCK", "166", "Cocos (Keeling) Islands", "Îles Cocos"),
    Country(
        "CD", "COD", "180", "Democratic Republic of the Congo", "République démocratique du Congo"
    ),
    Country("CF", "CAF", "140", "Central African Republic", "République centrafricaine"),
    Country("CG", "COG", "178", "Republic of the Congo", "République du Congo"),
    Country("CH", "CHE", "756", "Switzerland", "Suisse"),
    Country("CI", "CIV", "384", "Côte d'Ivoire", "Côte d'Ivoire"),
    Country("CK", "COK", "184", "Cook Islands", "Îles Cook"),
    Country("CL", "CHL", "152", "Chile", "Chili"),
    Country("CM", "CMR", "120", "Cameroon", "Cameroun"),
    Country("CN", "CHN", "156", "China", "Chine"),
    Country("CO", "COL", "170", "Colombia", "Colombie"),
    Country("CR", "CRI", "188", "Costa Rica", "Costa Rica"),
    Country("CU", "CUB", "192", "Cuba", "Cuba"),
    Country("CV", "CPV", "132", "Cabo Verde", "Cap-Vert"),
    Country("CW", "CUW", "531", "Curaçao", "Curaçao"),
    Country("CX", "CXR", "162", "Christmas Island", "Île Christmas"),
    Country("CY", "CYP", "196", "Cyprus", "Chypre"),
    Country("CZ", "CZE", "203", "Czechia", "Tchéquie"),
    Country("DE", "DEU", "276", "Germany", "Allemagne"),
    Country("DJ", "DJI", "262", "Djibouti", "Djibouti"),
    Country("DK", "DNK", "208", "Denmark", "Danemark"),
    Country("DM", "DMA", "212", "Dominica", "Dominique"),
    Country("DO", "DOM", "214", "Dominican Republic", "République dominicaine"),
    Country("DZ", "DZA", "012", "Algeria", "Algérie"),
    Country("EC", "ECU", "218", "Ecuador", "Équateur"),
    Country("EE", "EST", "233", "Estonia", "Estonie"),
    Country("EG", "EGY", "818", "Egypt", "Égypte"),
    Country("EH", "ESH", "732", "Western Sahara", "Sahara occidental"),
    Country("ER", "ERI", "232", "Eritrea", "Érythrée"),
    Country("ES", "ESP", "724", "Spain", "Espagne"),
    Country("ET", "ETH", "231", "Ethiopia", "Éthiopie"),
    Country("FI", "FIN", "246", "Finland", "Finlande"),
    Country("FJ", "FJI", "242", "Fiji", "Fidji"),
    Country("FK", "FLK", "238", "Falkland Islands", "Îles Malouines"),
    Country("FM", "FSM", "583", "Micronesia", "Micronésie"),
    Country("FO", "FRO", "234", "Faroe Islands", "Îles Féroé"),
    Country("FR", "FRA", "250", "France", "France"),
    Country("GA", "GAB", "266", "Gabon", "Gabon"),
    Country("GB", "GBR", "826", "United Kingdom", "Royaume-Uni"),
    Country("GD", "GRD", "308", "Grenada", "Grenade"),
    Country("GE", "GEO", "268", "Georgia", "Géorgie"),
    Country("GF", "GUF", "254", "French Guiana", "Guyane"),
    Country("GG", "GGY", "831", "Guernsey", "Guernesey"),
    Country("GH", "GHA", "288", "Ghana", "Ghana"),
    Country("GI", "GIB", "292", "Gibraltar", "Gibraltar"),
    Country("GL", "GRL", "304", "Greenland", "Groenland"),
    Country("GM", "GMB", "270", "Gambia", "Gambie"),
    Country("GN", "GIN", "324", "Guinea", "Guinée"),
    Country("GP", "GLP", "312", "Guadeloupe", "Guadeloupe"),
    Country("GQ", "GNQ", "226", "Equatorial Guinea", "Guinée équatoriale"),
    Country("GR", "GRC", "300", "Greece", "Grèce"),
    Country(
        "GS",
        "SGS",
        "239",
        "South Georgia and the South Sandwich Islands",
        "Géorgie du Sud-et-les îles Sandwich du Sud",
    ),
    Country("GT", "GTM", "320", "Guatemala", "Guatemala"),
    Country("GU", "GUM", "316", "Guam", "Guam"),
    Country("GW", "GNB", "624", "Guinea-Bissau", "Guinée-Bissau"),
    Country("GY", "GUY", "328", "Guyana", "Guyana"),
    Country("HK", "HKG", "344", "Hong Kong", "Hong Kong"),
    Country("HM", "HMD", "334", "Heard Island and McDonald Islands", "Îles Heard-et-MacDonald"),
    Country("HN", "HND", "340", "Honduras", "Honduras"),
    Country("HR", "HRV", "191", "Croatia", "Croatie"),
    Country("HT", "HTI", "332", "Haiti", "Haïti"),
    Country("HU", "HUN", "348", "Hungary", "Hongrie"),
    Country("ID", "IDN", "360", "Indonesia", "Indonésie"),
    Country("IE", "IRL", "372", "Ireland", "Irlande"),
    Country("IL", "ISR", "376", "Israel", "Israël"),
    Country("IM", "IMN", "833", "Isle of Man", "Île de Man"),
    Country("IN", "IND", "356", "India", "Inde"),
    Country(
        "IO",
        "IOT",
        "086",
        "British Indian Ocean Territory",
        "Territoire britannique de l'océan Indien",
    ),
    Country("IQ", "IRQ", "368", "Iraq", "Irak"),
    Country("IR", "IRN", "364", "Iran", "Iran"),
    Country("IS", "ISL", "352", "Iceland", "Islande"),
    Country("IT", "ITA", "380", "Italy", "Italie"),
    Country("JE", "JEY", "832", "Jersey", "Jersey"),
    Country("JM", "JAM", "388", "Jamaica", "Jamaïque"),
    Country("JO", "JOR", "400", "Jordan", "Jordanie"),
    Country("JP", "JPN", "392", "Japan", "Japon"),
    Country("KE", "KEN", "404", "Kenya", "Kenya"),
    Country("KG", "KGZ", "417", "Kyrgyzstan", "Kirghizistan"),
    Country("KH", "KHM", "116", "Cambodia", "Cambodge"),
    Country("KI", "KIR", "296", "Kiribati", "Kiribati"),
    Country("KM", "COM", "174", "Comoros", "Comores"),
    Country("KN", "KNA", "659", "Saint Kitts and Nevis", "Saint-Christophe-et-Niévès"),
    Country("KP", "PRK", "408", "North Korea", "Corée du Nord"),
    Country("KR", "KOR", "410", "South Korea", "Corée du Sud"),
    Country("KW", "KWT", "414", "Kuwait", "Koweït"),
    Country("KY", "CYM", "136", "Cayman Islands", "Îles Caïmans"),
    Country("KZ", "KAZ", "398", "Kazakhstan", "Kazakhstan"),
    Country("LA", "LAO", "418", "Laos", "Laos"),
    Country("LB", "LBN", "422", "Lebanon", "Liban"),
    Country("LC", "LCA", "662", "Saint Lucia", "Sainte-Lucie"),
    Country("LI", "LIE", "438", "Liechtenstein", "Liechtenstein"),
    Country("LK", "LKA", "144", "Sri Lanka", "Sri Lanka"),
    Country("LR", "LBR", "430", "Liberia", "Liberia"),
    Country("LS", "LSO", "426", "Lesotho", "Lesotho"),
    Country("LT", "LTU", "440", "Lithuania", "Lituanie"),
    Country("LU", "LUX", "442", "Luxembourg", "Luxembourg"),
    Country("LV", "LVA", "428", "Latvia", "Lettonie"),
    Country("LY", "LBY", "434", "Libya", "Libye"),
    Country("MA", "MAR", "504", "Morocco", "Maroc"),
    Country("MC", "MCO", "492", "Monaco", "Monaco"),
    Country("MD", "MDA", "498", "Moldova", "Moldavie"),
    Country("ME", "MNE", "499", "Montenegro", "Monténégro"),
    Country("MF", "MAF", "663", "Saint Martin", "Saint-Martin"),
    Country("MG", "MDG", "450", "Madagascar", "Madagascar"),
    Country("MH", "MHL", "584", "Marshall Islands", "Îles Marshall"),
    Country("MK", "MKD", "807", "North Macedonia", "Macédoine du Nord"),
    Country("ML", "MLI", "466", "Mali", "Mali"),
    Country("MM", "MMR", "104", "Myanmar", "Birmanie"),
    Country("MN", "MNG", "496", "Mongolia", "Mongolie"),
    Country("MO", "MAC", "446", "Macao", "Macao"),
    Country("MP", "MNP", "580", "Northern Mariana Islands", "Îles Mariannes du Nord"),
    Country("MQ", "MTQ", "474", "Martinique", "Martinique"),
    Country("MR", "MRT", "478", "Mauritania", "Mauritanie"),
    Country("MS", "MSR", "500", "Montserrat", "Montserrat"),
    Country("MT", "MLT", "470", "Malta", "Malte"),
    Country("MU", "MUS", "480", "Mauritius", "Maurice"),
    Country("MV", "MDV", "462", "Maldives", "Maldives"),
    Country("MW", "MWI", "454", "Malawi", "Malawi"),
    Country("MX", "MEX", "484", "Mexico", "Mexique"),
    Country("MY", "MYS", "458", "Malaysia", "Malaisie"),
    Country("MZ", "MOZ", "508", "Mozambique", "Mozambique"),
    Country("NA", "NAM", "516", "Namibia", "Namibie"),
    Country("NC", "NCL", "540", "New Caledonia", "Nouvelle-Calédonie"),
    Country("NE", "NER", "562", "Niger", "Niger"),
    Country("NF", "NFK", "574", "Norfolk Island", "Île Norfolk"),
    Country("NG", "NGA", "566", "Nigeria", "Nigeria"),
    Country("NI", "NIC", "558", "Nicaragua", "Nicaragua"),
    Country("NL", "NLD", "528", "Netherlands", "Pays-Bas"),
    Country("NO", "NOR", "578", "Norway", "Norvège"),
    Country("NP", "NPL", "524", "Nepal", "Népal"),
    Country("NR", "NRU", "520", "Nauru", "Nauru"),
    Country("NU", "NIU", "570", "Niue", "Niue"),
    Country("NZ", "NZL", "554", "New Zealand", "Nouvelle-Zélande"),
    Country("OM", "OMN", "512", "Oman", "Oman"),
    Country("PA", "PAN", "591", "Panama", "Panama"),
    Country("PE", "PER", "604", "Peru", "Pérou"),
    Country("PF", "PYF", "258", "French Polynesia", "Polynésie française"),
    Country("PG", "PNG", "598", "Papua New Guinea", "Papouasie-Nouvelle-Guinée"),
    Country("PH", "PHL", "608", "Philippines", "Philippines"),
    Country("PK", "PAK", "586", "Pakistan", "Pakistan"),
    Country("PL", "POL", "616", "Poland", "Pologne"),
    Country("PM", "SPM", "666", "Saint Pierre and Miquelon", "Saint-Pierre-et-Miquelon"),
    Country("PN", "PCN", "612", "Pitcairn Islands", "Îles Pitcairn"),
    Country("PR", "PRI", "630", "Puerto Rico", "Porto Rico"),
    Country("PS", "PSE", "275", "Palestine", "Palestine"),
    Country("PT", "PRT", "620", "Portugal", "Portugal"),
    Country("PW", "PLW", "585", "Palau", "Palaos"),
    Country("PY", "PRY", "600", "Paraguay", "Paraguay"),
    Country("QA", "QAT", "634", "Qatar", "Qatar"),
    Country("RE", "REU", "638", "Réunion", "La Réunion"),
    Country("RO", "ROU", "642", "Romania", "Roumanie"),
    Country("RS", "SRB", "688", "Serbia", "Serbie"),
    Country("RU", "RUS", "643", "Russia", "Russie"),
    Country("RW", "RWA", "646", "Rwanda", "Rwanda"),
    Country("SA", "SAU", "682", "Saudi Arabia", "Arabie saoudite"),
    Country("SB", "SLB", "090", "Solomon Islands", "Îles Salomon"),
    Country("SC", "SYC", "690", "Seychelles", "Seychelles"),
    Country("SD", "SDN", "729", "Sudan", "Soudan"),
    Country("SE", "SWE", "752", "Sweden", "Suède"),
    Country("SG", "SGP", "702", "Singapore", "Singapour"),
    Country(
        "SH",
        "SHN",
        "654",
        "Saint Helena, Ascension and Tristan da Cunha",
        "Sainte-Hélène, Ascension et Tristan da Cunha",
    ),
    Country("SI", "SVN", "705", "Slovenia", "Slovénie"),
    Country("SJ", "SJM", "744", "Svalbard and Jan Mayen", "Svalbard et Jan Mayen"),
    Country("SK", "SVK", "703", "Slovakia", "Slovaquie"),
    Country("SL", "SLE", "694", "Sierra Leone", "Sierra Leone"),
    Country("SM", "SMR", "674", "San Marino", "Saint-Marin"),
    Country("SN", "SEN", "686", "Senegal", "Sénégal"),
    Country("SO", "SOM", "706", "Somalia", "Somalie"),
    Country("SR", "SUR", "740", "Suriname", "Suriname"),
    Country("SS", "SSD", "728", "South Sudan", "Soudan du Sud"),
    Country("ST", "STP", "678", "Sao Tome and Principe", "Sao Tomé-et-Principe"),
    Country("SV", "SLV", "222", "El Salvador", "Salvador"),
    Country("SX", "SXM", "534", "Sint Maarten", "Saint-Martin (partie néerlandaise)"),
    Country("SY", "SYR", "760", "Syria", "Syrie"),
    Country("SZ", "SWZ", "748", "Eswatini", "Eswatini"),
    Country("TC", "TCA", "796", "Turks and Caicos Islands", "Îles Turques-et-Caïques"),
    Country("TD", "TCD", "148", "Chad", "Tchad"),
    Country(
        "TF",
        "ATF",
        "260",
        "French Southern Territories",
        "Terres australes et antarctiques françaises",
    ),
    Country("TG", "TGO", "768", "Togo", "Togo"),
    Country("TH", "THA", "764", "Thailand", "Thaïlande"),
    Country("TJ", "TJK", "762", "Tajikistan", "Tadjikistan"),
    Country("TK", "TKL", "772", "Tokelau", "Tokelau"),
    Country("TL", "TLS", "626", "Timor-Leste", "Timor oriental"),
    Country("TM", "TKM", "795", "Turkmenistan", "Turkménistan"),
    Country("TN", "TUN", "788", "Tunisia", "Tunisie"),
    Country("TO", "TON", "776", "Tonga", "Tonga"),
    Country("TR", "TUR", "792", "Türkiye", "Turquie"),
    Country("TT", "TTO", "780", "Trinidad and Tobago", "Trinité-et-Tobago"),
    Country("TV", "TUV", "798", "Tuvalu", "Tuvalu"),
    Country("TW", "TWN", "158", "Taiwan", "Taïwan"),
    Country("TZ", "TZA", "834", "Tanzania", "Tanzanie"),
    Country("UA", "UKR", "804", "Ukraine", "Ukraine"),
    Country("UG", "UGA", "800", "Uganda", "Ouganda"),
    Country(
        "UM",
        "UMI",
        "581",
        "United States Minor Outlying Islands",
        "Îles mineures éloignées des États-Unis",
    ),
    Country("US", "USA", "840", "United States", "États-Unis"),
    Country("UY", "URY", "858", "Uruguay", "Uruguay"),
    Country("UZ", "UZB", "860", "Uzbekistan", "Ouzbékistan"),
    Country("VA", "VAT", "336", "Vatican City", "Vatican"),
    Country(
        "VC", "VCT", "670", "Saint Vincent and the Grenadines", "Saint-Vincent-et-les-Grenadines"
    ),
    Country("VE", "VEN", "862", "Venezuela", "Venezuela"),
    Country("VG", "VGB", "092", "British Virgin Islands", "Îles Vierges britanniques"),
    Country("VI", "VIR", "850", "U.S. Virgin Islands", "Îles Vierges des États-Unis"),
    Country("VN", "VNM", "704", "Vietnam", "Viêt Nam"),
    Country("VU", "VUT", "548", "Vanuatu", "Vanuatu"),
    Country("WF", "WLF", "876", "Wallis and Futuna", "Wallis-et-Futuna"),
    Country("WS", "WSM", "882", "Samoa", "Samoa"),
    Country("YE", "YEM", "887", "Yemen", "Yémen"),
    Country("YT", "MYT", "175", "Mayotte", "Mayotte"),
    Country("ZA", "ZAF", "710", "South Africa", "Afrique du Sud"),
    Country("ZM", "ZMB", "894", "Zambia", "Zambie"),
    Country("ZW", "ZWE", "716", "Zimbabwe", "Zimbabwe"),
)
"""The 249 officially assigned ISO 3166-1 countries and territories, sorted by alpha-2 code."""

CURRENCIES: tuple[Currency, ...] = (
    Currency("AED", "784", 2, "UAE Dirham"),
    Currency("AFN", "971", 2, "Afghani"),
    Currency("ALL", "008", 2, "Lek"),
    Currency("AMD", "051", 2, "Armenian Dram"),
    Currency("AOA", "973", 2, "Kwanza"),
    Currency("ARS", "032", 2, "Argentine Peso"),
    Currency("AUD", "036", 2, "Australian Dollar"),
    Currency("AWG", "533", 2, "Aruban Florin"),
    Currency("AZN", "944", 2, "Azerbaijan Manat"),
    Currency("BAM", "977", 2, "Convertible Mark"),
    Currency("BBD", "052", 2, "Barbados Dollar"),
    Currency("BDT", "050", 2, "Taka"),
    Currency("BHD", "048", 3, "Bahraini Dinar"),
    Currency("BIF", "108", 0, "Burundi Franc"),
    Currency("BMD", "060", 2, "Bermudian Dollar"),
    Currency("BND", "096", 2, "Brunei Dollar"),
    Currency("BOB", "068", 2, "Boliviano"),
    Currency("BOV", "984", 2, "Mvdol"),
    Currency("BRL", "986", 2, "Brazilian Real"),
    Currency("BSD", "044", 2, "Bahamian Dollar"),
    Currency("BTN", "064", 2, "Ngultrum"),
    Currency("BWP", "072", 2, "Pula"),
    Currency("BYN", "933", 2, "Belarusian Ruble"),
    Currency("BZD", "084", 2, "Belize Dollar"),
    Currency("CAD", "124", 2, "Canadian Dollar"),
    Currency("CDF", "976", 2, "Congolese Franc"),
    Currency("CHE", "947", 2, "WIR Euro"),
    Currency("CHF", "756", 2, "Swiss Franc"),
    Currency("CHW", "948", 2, "WIR Franc"),
    Currency("CLF", "990", 4, "Unidad de Fomento"),
    Currency("CLP", "152", 0, "Chilean Peso"),
    Currency("CNY", "156", 2, "Yuan Renminbi"),
    Currency("COP", "170", 2, "Colombian Peso"),
    Currency("COU", "970", 2, "Unidad de Valor Real"),
    Currency("CRC", "188", 2, "Costa Rican Colon"),
    Currency("CUP", "192", 2, "Cuban Peso"),
    Currency("CVE", "132", 2, "Cabo Verde Escudo"),
    Currency("CZK", "203", 2, "Czech Koruna"),
    Currency("DJF", "262", 0, "Djibouti Franc"),
    Currency("DKK", "208", 2, "Danish Krone"),
    Currency("DOP", "214", 2, "Dominican Peso"),
    Currency("DZD", "012", 2, "Algerian Dinar"),
    Currency("EGP", "818", 2, "Egyptian Pound"),
    Currency("ERN", "232", 2, "Nakfa"),
    Currency("ETB", "230", 2, "Ethiopian Birr"),
    Currency("EUR", "978", 2, "Euro"),
    Currency("FJD", "242", 2, "Fiji Dollar"),
    Currency("FKP", "238", 2, "Falkland Islands Pound"),
    Currency("GBP", "826", 2, "Pound Sterling"),
    Currency("GEL", "981", 2, "Lari"),
    Currency("GHS", "936", 2, "Ghana Cedi"),
    Currency("GIP", "292", 2, "Gibraltar Pound"),
    Currency("GMD", "270", 2, "Dalasi"),
    Currency("GNF", "324", 0, "Guinean Franc"),
    Currency("GTQ", "320", 2, "Quetzal"),
    Currency("GYD", "328", 2, "Guyana Dollar"),
    Currency("HKD", "344", 2, "Hong Kong Dollar"),
    Currency("HNL", "340", 2, "Lempira"),
    Currency("HTG", "332", 2, "Gourde"),
    Currency("HUF", "348", 2, "Forint"),
    Currency("IDR", "360", 2, "Rupiah"),
    Currency("ILS", "376", 2, "New Israeli Sheqel"),
    Currency("INR", "356", 2, "Indian Rupee"),
    Currency("IQD", "368", 3, "Iraqi Dinar"),
    Currency("IRR", "364", 2, "Iranian Rial"),
    Currency("ISK", "352", 0, "Iceland Krona"),
    Currency("JMD", "388", 2, "Jamaican Dollar"),
    Currency("JOD", "400", 3, "Jordanian Dinar"),
    Currency("JPY", "392", 0, "Yen"),
    Currency("KES", "404", 2, "Kenyan Shilling"),
    Currency("KGS", "417", 2, "Som"),
    Currency("KHR", "116", 2, "Riel"),
    Currency("KMF", "174", 0, "Comorian Franc"),
    Currency("KPW", "408", 2, "North Korean Won"),
    Currency("KRW", "410", 0, "Won"),
    Currency("KWD", "414", 3, "Kuwaiti Dinar"),
    Currency("KYD", "136", 2, "Cayman Islands Dollar"),
    Currency("KZT", "398", 2, "Tenge"),
    Currency("LAK", "418", 2, "Lao Kip"),
    Currency("LBP", "422", 2, "Lebanese Pound"),
    Currency("LKR", "144", 2, "Sri Lanka Rupee"),
    Currency("LRD", "430", 2, "Liberian Dollar"),
    Currency("LSL", "426", 2, "Loti"),
    Currency("LYD", "434", 3, "Libyan Dinar"),
    Currency("MAD", "504", 2, "Moroccan Dirham"),
    Currency("MDL", "498", 2, "Moldovan Leu"),
    Currency("MGA", "969", 2, "Malagasy Ariary"),
    Currency("MKD", "807", 2, "Denar"),
    Currency("MMK", "104", 2, "Kyat"),
    Currency("MNT", "496", 2, "Tugrik"),
    Currency("MOP", "446", 2, "Pataca"),
    Currency("MRU", "929", 2, "Ouguiya"),
    Currency("MUR", "480", 2, "Mauritius Rupee"),
    Currency("MVR", "462", 2, "Rufiyaa"),
    Currency("MWK", "454", 2, "Malawi Kwacha"),
    Currency("MXN", "484", 2, "Mexican Peso"),
    Currency("MXV", "979", 2, "Mexican Unidad de Inversion (UDI)"),
    Currency("MYR", "458", 2, "Malaysian Ringgit"),
    Currency("MZN", "943", 2, "Mozambique Metical"),
    Currency("NAD", "516", 2, "Namibia Dollar"),
    Currency("NGN", "566", 2, "Naira"),
    Currency("NIO", "558", 2, "Cordoba Oro"),
    Currency("NOK", "578", 2, "Norwegian Krone"),
    Currency("NPR", "524", 2, "Nepalese Rupee"),
    Currency("NZD", "554", 2, "New Zealand Dollar"),
    Currency("OMR", "512", 3, "Rial Omani"),
    Currency("PAB", "590", 2, "Balboa"),
    Currency("PEN", "604", 2, "Sol"),
    Currency("PGK", "598", 2, "Kina"),
    Currency("PHP", "608", 2, "Philippine Peso"),
    Currency("PKR", "586", 2, "Pakistan Rupee"),
    Currency("PLN", "985", 2, "Zloty"),
    Currency("PYG", "600", 0, "Guarani"),
    Currency("QAR", "634", 2, "Qatari Rial"),
    Currency("RON", "946", 2, "Romanian Leu"),
    Currency("RSD", "941", 2, "Serbian Dinar"),
    Currency("RUB", "643", 2, "Russian Ruble"),
    Currency("RWF", "646", 0, "Rwanda Franc"),
    Currency("SAR", "682", 2, "Saudi Riyal"),
    Currency("SBD", "090", 2, "Solomon Islands Dollar"),
    Currency("SCR", "690", 2, "Seychelles Rupee"),
    Currency("SDG", "938", 2, "Sudanese Pound"),
    Currency("SEK", "752", 2, "Swedish Krona"),
    Currency("SGD", "702", 2, "Singapore Dollar"),
    Currency("SHP", "654", 2, "Saint Helena Pound"),
    Currency("SLE", "925", 2, "Leone"),
    Currency("SOS", "706", 2, "Somali Shilling"),
    Currency("SRD", "968", 2, "Surinam Dollar"),
    Currency("SSP", "728", 2, "South Sudanese Pound"),
    Currency("STN", "930", 2, "Dobra"),
    Currency("SVC", "222", 2, "El Salvador Colon"),
    Currency("SYP", "760", 2, "Syrian Pound"),
    Currency("SZL", "748", 2, "Lilangeni"),
    Currency("THB", "764", 2, "Baht"),
    Currency("TJS", "972", 2, "Somoni"),
    Currency("TMT", "934", 2, "Turkmenistan New Manat"),
    Currency("TND", "788", 3, "Tunisian Dinar"),
    Currency("TOP", "776", 2, "Pa’anga"),
    Currency("TRY", "949", 2, "Turkish Lira"),
    Currency("TTD", "780", 2, "Trinidad and Tobago Dollar"),
    Currency("TWD", "901", 2, "New Taiwan Dollar"),
    Currency("TZS", "834", 2, "Tanzanian Shilling"),
    Currency("UAH", "980", 2, "Hryvnia"),
    Currency("UGX", "800", 0, "Uganda Shilling"),
    Currency("USD", "840", 2, "US Dollar"),
    Currency("USN", "997", 2, "US Dollar (Next day)"),
    Currency("UYI", "940", 0, "Uruguay Peso en Unidades Indexadas (UI)"),
    Currency("UYU", "858", 2, "Peso Uruguayo"),
    Currency("UYW", "927", 4, "Unidad Previsional"),
    Currency("UZS", "860", 2, "Uzbekistan Sum"),
    Currency("VED", "926", 2, "Bolívar Soberano"),
    Currency("VES", "928", 2, "Bolívar Soberano"),
    Currency("VND", "704", 0, "Dong"),
    Currency("VUV", "548", 0, "Vatu"),
    Currency("WST", "882", 2, "Tala"),
    Currency("XAD", "396", 2, "Arab Accounting Dinar"),
    Currency("XAF", "950", 0, "CFA Franc BEAC"),
    Currency("XAG", "961", None, "Silver"),
    Currency("XAU", "959", None, "Gold"),
    Currency("XBA", "955", None, "Bond Markets Unit European Composite Unit (EURCO)"),
    Currency("XBB", "956", None, "Bond Markets Unit European Monetary Unit (E.M.U.-6)"),
    Currency("XBC", "957", None, "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)"),
    Currency("XBD", "958", None, "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)"),
    Currency("XCD", "951", 2, "East Caribbean Dollar"),
    Currency("XCG", "532", 2, "Caribbean Guilder"),
    Currency("XDR", "960", None, "SDR (Special Drawing Right)"),
    Currency("XOF", "952", 0, "CFA Franc BCEAO"),
    Currency("XPD", "964", None, "Palladium"),
    Currency("XPF", "953", 0, "CFP Franc"),
    Currency("XPT", "962", None, "Platinum"),
    Currency("XSU", "994", None, "Sucre"),
    Currency("XTS", "963", None, "Codes specifically reserved for testing purposes"),
    Currency("XUA", "965", None, "ADB Unit of Account"),
    Currency(
        "XXX", "999", None, "The codes assigned for transactions where no currency is involved"
    ),
    Currency("YER", "886", 2, "Yemeni Rial"),
    Currency("ZAR", "710", 2, "Rand"),
    Currency("ZMW", "967", 2, "Zambian Kwacha"),
    Currency("ZWG", "924", 2, "Zimbabwe Gold"),
)
"""The currently active ISO 4217 codes, sorted by code."""


COUNTRY_CODES: frozenset[str] = frozenset(country.alpha2 for country in COUNTRIES)
"""The alpha-2 codes of :data:`COUNTRIES`."""

_COUNTRY_BY_ALPHA2: dict[str, Country] = {country.alpha2: country for country in COUNTRIES}
_COUNTRY_BY_ALPHA3: dict[str, Country] = {country.alpha3: country for country in COUNTRIES}

CURRENCY_CODES: frozenset[str] = frozenset(currency.code for currency in CURRENCIES)
"""The codes of :data:`CURRENCIES`."""

_CURRENCY_BY_CODE: dict[str, Currency] = {currency.code: currency for currency in CURRENCIES}


def country_by_alpha2(code: str) -> Country | None:
    """Return the country whose alpha-2 code is exactly ``code`` (upper case), else ``None``.

    >>> country_by_alpha2("FR").name_fr
    'France'
    >>> country_by_alpha2("fr") is None
    True
    """
    return _COUNTRY_BY_ALPHA2.get(code)


def currency_by_code(code: str) -> Currency | None:
    """Return the currency whose code is exactly ``code`` (upper case), else ``None``.

    >>> currency_by_code("JPY").minor_units
    0
    >>> currency_by_code("HRK") is None
    True
    """
    return _CURRENCY_BY_CODE.get(code)


_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "AE": ("UAE",),
    "AT": ("Österreich",),
    "AX": ("Åland", "Åland, Îles"),
    "BA": ("Bosnia", "Bosnie"),
    "BE": ("België", "Belgien"),
    "BL": ("Saint Barts", "Saint Barths", "Saint-Barth"),
    "BN": ("Brunei Darussalam",),
    "BO": (
        "Bolivia, Plurinational State of",
        "Plurinational State of Bolivia",
        "Bolivie, État plurinational de",
    ),
    "BQ": ("Caribbean Netherlands", "Pays-Bas caribéens"),
    "BR": ("Brasil",),
    "CC": ("Cocos Islands", "Keeling Islands", "Îles Cocos (Keeling)", "Cocos (Keeling), Îles"),
    "CD": (
        "DR Congo",
        "DRC",
        "Democratic Republic of Congo",
        "Congo-Kinshasa",
        "Congo, The Democratic Republic of the",
        "Congo, Democratic Republic of the",
        "RD Congo",
        "RDC",
        "Congo, République démocratique du",
    ),
    "CG": (
        "Republic of Congo",
        "Congo-Brazzaville",
        "Congo, Republic of the",
        "Congo, République du",
    ),
    "CH": ("Schweiz", "Svizzera", "Swiss Confederation", "Confédération suisse"),
    "CI": ("Ivory Coast",),
    "CN": ("People's Republic of China", "République populaire de Chine"),
    "CV": ("Cape Verde",),
    "CX": ("Christmas, Île",),
    "CZ": ("Czech Republic", "République tchèque", "Česko"),
    "DE": ("Deutschland", "Federal Republic of Germany", "République fédérale d'Allemagne"),
    "DK": ("Danmark",),
    "ES": ("España",),
    "FI": ("Suomi",),
    "FK": (
        "Falkland Islands (Malvinas)",
        "Falklands",
        "Îles Falkland",
        "Malouines, Îles (Falkland)",
    ),
    "FM": (
        "Micronesia, Federated States of",
        "Federated States of Micronesia",
        "Micronésie, États fédérés de",
        "États fédérés de Micronésie",
    ),
    "GB": (
        "UK",
        "Great Britain",
        "Britain",
        "Grande-Bretagne",
        "United Kingdom of Great Britain and Northern Ireland",
        "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
        # its nations, as addresses there are often written
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Angleterre",
        "Écosse",
        "Pays de Galles",
        "Irlande du Nord",
    ),
    "GF": ("Guyane française",),
    "HK": ("Hongkong",),
    "HR": ("Hrvatska",),
    "HU": ("Magyarország",),
    "IE": ("Éire", "Republic of Ireland"),
    "IR": (
        "Iran, Islamic Republic of",
        "Islamic Republic of Iran",
        "Iran, République islamique d'",
        "République islamique d'Iran",
    ),
    "IT": ("Italia",),
    "KG": ("Kyrgyz Republic",),
    "KN": ("Saint Kitts",),
    "KP": (
        "Korea, Democratic People's Republic of",
        "Democratic People's Republic of Korea",
        "DPRK",
        "Corée, République populaire démocratique de",
        "République populaire démocratique de Corée",
    ),
    "KR": (
        "Korea, Republic of",
        "Republic of Korea",
        "Corée, République de",
        "République de Corée",
    ),
    "LA": (
        "Lao People's Democratic Republic",
        "Lao PDR",
        "Lao, République démocratique populaire",
        "République démocratique populaire lao",
    ),
    "MD": (
        "Moldova, Republic of",
        "Republic of Moldova",
        "Moldova, République de",
        "République de Moldavie",
    ),
    "MF": ("Saint Martin (French part)", "Saint-Martin (partie française)"),
    "MK": ("Macedonia", "Macédoine", "Republic of North Macedonia"),
    "MM": ("Burma",),
    "MO": ("Macau",),
    "NL": ("Holland", "Hollande", "Nederland", "Kingdom of the Netherlands"),
    "NO": ("Norge",),
    "NU": ("Nioue",),
    "PL": ("Polska",),
    "PN": ("Pitcairn",),
    "PS": ("Palestine, State of", "State of Palestine", "Palestine, État de", "État de Palestine"),
    "RE": ("Île de la Réunion", "Réunion, Île de la"),
    "RU": ("Russian Federation", "Russie, Fédération de", "Fédération de Russie"),
    "SB": ("Salomon, Îles",),
    "SE": ("Sverige",),
    "SH": ("Saint Helena",),
    "SJ": ("Svalbard et île Jan Mayen",),
    "SK": ("Slovak Republic",),
    "SR": ("Surinam",),
    "SX": ("Sint Maarten (Dutch part)",),
    "SY": ("Syrian Arab Republic", "Syrienne, République arabe", "République arabe syrienne"),
    "SZ": ("Swaziland",),
    "TF": ("Terres australes françaises", "French Southern and Antarctic Lands"),
    "TL": ("East Timor",),
    "TR": ("Turkey",),
    "TW": ("Taiwan, Province of China", "Taïwan, province de Chine"),
    "TZ": (
        "Tanzania, United Republic of",
        "United Republic of Tanzania",
        "Tanzanie, République unie de",
        "République unie de Tanzanie",
    ),
    "US": ("United States of America", "États-Unis d'Amérique"),
    "VA": (
        "Holy See",
        "Holy See (Vatican City State)",
        "Saint-Siège",
        "Saint-Siège (État de la Cité du Vatican)",
        "Cité du Vatican",
    ),
    "VE": (
        "Venezuela, Bolivarian Republic of",
        "Bolivarian Republic of Venezuela",
        "Vénézuela, République bolivarienne du",
        "République bolivarienne du Venezuela",
    ),
    "VG": ("Virgin Islands, British",),
    "VI": (
        "Virgin Islands, U.S.",
        "United States Virgin Islands",
        "Îles Vierges, États-Unis",
    ),
}
"""Common alternative names (former, formal, native or inverted ISO forms) by alpha-2 code."""

_AMBIGUOUS_NAMES: frozenset[str] = frozenset(
    {"Congo", "Korea", "Corée", "Virgin Islands", "Îles Vierges"}
)
"""Names shared by several countries: they never resolve to a code."""

_ARTICLES = frozenset({"the", "le", "la", "les", "l"})
_CONNECTORS = frozenset({"and", "et"})
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_CODE_NOISE = re.compile(r"[\s.]+")


def _normalise(text: str) -> str:
    """Reduce a country name to the key used by the lookup index."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_UNDECOMPOSED)
    kept = "".join(
        char if char.isalnum() else " "
        for char in decomposed
        if char != "." and not unicodedata.combining(char)
    )
    tokens = [_ABBREVIATIONS.get(token, token) for token in kept.split()]
    tokens = [token for token in tokens if token not in _CONNECTORS]
    if len(tokens) > 1 and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    if len(tokens) > 1 and tokens[-1] == "the":
        tokens = tokens[:-1]
    return " ".join(tokens)


def _build_name_index() -> dict[str, str]:
    """Map each normalised name to its alpha-2 code, leaving out names shared by two codes."""
    codes_by_key: dict[str, set[str]] = {}
    for country in COUNTRIES:
        names = (country.name_en, country.name_fr, *_COUNTRY_ALIASES.get(country.alpha2, ()))
        for name in names:
            codes_by_key.setdefault(_normalise(name), set()).add(country.alpha2)
    ambiguous = {_normalise(name) for name in _AMBIGUOUS_NAMES}
    return {
        key: next(iter(codes))
        for key, codes in codes_by_key.items()
        if key and len(codes) == 1 and key not in ambiguous
    }


_NAME_INDEX: dict[str, str] = _build_name_index()


@functools.lru_cache(maxsize=4096)
def lookup_country(text: str) -> str | None:
    """Return the alpha-2 code designated by ``text``, or ``None`` if unknown or ambiguous.

    ``text`` may be an alpha-2 or alpha-3 code in any case (dots and spaces are ignored, so
    "u.s.a." works), or an English or French name or a common alias, compared leniently
    (see the module documentation).

    >>> lookup_country("deu")
    'DE'
    >>> lookup_country("  la côte d’ivoire ")
    'CI'
    >>> lookup_country("Congo") is None
    True
    """
    compact = _CODE_NOISE.sub("", text).upper()
    if len(compact) == 2 and compact in _COUNTRY_BY_ALPHA2:
        return compact
    if len(compact) == 3 and compact in _COUNTRY_BY_ALPHA3:
        return _COUNTRY_BY_ALPHA3[compact].alpha2
    return _NAME_INDEX.get(_normalise(text))
