"""Reference data: the two counties, their 29 municipalities, the four sectors, the words of agreements.

Population is SCB's figure for 31 December 2023. The migration that creates
the store seeds the municipalities table from MUNICIPALITIES.
"""

from typing import NamedTuple


class Municipality(NamedTuple):
    code: str
    name: str
    county: str
    population: int


class County(NamedTuple):
    name: str
    long_name: str
    letter_code: str
    scb_code: str


COUNTIES = (
    County("Västerbotten", "Västerbottens län", "AC", "24"),
    County("Norrbotten", "Norrbottens län", "BD", "25"),
)

MUNICIPALITIES = (
    Municipality("2401", "Nordmaling", "Västerbotten", 7033),
    Municipality("2403", "Bjurholm", "Västerbotten", 2348),
    Municipality("2404", "Vindeln", "Västerbotten", 5461),
    Municipality("2409", "Robertsfors", "Västerbotten", 6740),
    Municipality("2417", "Norsjö", "Västerbotten", 3924),
    Municipality("2418", "Malå", "Västerbotten", 2990),
    Municipality("2421", "Storuman", "Västerbotten", 5621),
    Municipality("2422", "Sorsele", "Västerbotten", 2387),
    Municipality("2425", "Dorotea", "Västerbotten", 2339),
    Municipality("2460", "Vännäs", "Västerbotten", 9059),
    Municipality("2462", "Vilhelmina", "Västerbotten", 6263),
    Municipality("2463", "Åsele", "Västerbotten", 2718),
    Municipality("2480", "Umeå", "Västerbotten", 133091),
    Municipality("2481", "Lycksele", "Västerbotten", 12213),
    Municipality("2482", "Skellefteå", "Västerbotten", 76542),
    Municipality("2505", "Arvidsjaur", "Norrbotten", 6113),
    Municipality("2506", "Arjeplog", "Norrbotten", 2609),
    Municipality("2510", "Jokkmokk", "Norrbotten", 4728),
    Municipality("2513", "Överkalix", "Norrbotten", 3162),
    Municipality("2514", "Kalix", "Norrbotten", 15547),
    Municipality("2518", "Övertorneå", "Norrbotten", 4088),
    Municipality("2521", "Pajala", "Norrbotten", 5871),
    Municipality("2523", "Gällivare", "Norrbotten", 17330),
    Municipality("2560", "Älvsbyn", "Norrbotten", 7783),
    Municipality("2580", "Luleå", "Norrbotten", 79352),
    Municipality("2581", "Piteå", "Norrbotten", 42344),
    Municipality("2582", "Boden", "Norrbotten", 27943),
    Municipality("2583", "Haparanda", "Norrbotten", 9177),
    Municipality("2584", "Kiruna", "Norrbotten", 22433),
)

MUNICIPALITY_BY_CODE = {m.code: m for m in MUNICIPALITIES}
COUNTY_NAMES = tuple(c.name for c in COUNTIES)

# Stored sector keys, in the order every chart and table shows them.
SECTORS = ("civil_society", "business", "public", "academia")
# Each activity stores the sectors of its organisations as a bit mask (activities.sectors), so counts by
# sector read one row per activity: civil society 1, business 2, public 4, academia 8.
SECTOR_BITS = {sector: 1 << position for position, sector in enumerate(SECTORS)}


def sector_mask(sectors) -> int:
    """The bits of these sectors together."""
    return sum(SECTOR_BITS[sector] for sector in set(sectors))

SECTOR_LABELS = {
    "civil_society": "Civilsamhälle",
    "business": "Näringsliv",
    "public": "Offentlig sektor",
    "academia": "Akademi",
}

ACTIVITY_TYPES = ("Möte", "Dialog", "Workshop", "Konferens", "Nätverksträff", "Studiebesök", "Annat")
DEFAULT_ACTIVITY_TYPE = "Möte"

# Agreements and commitments: the stored values and the Swedish words the template offers for them.
AGREEMENT_KIND_LABELS = {"avsiktsförklaring": "Avsiktsförklaring", "IOP": "IOP", "överenskommelse": "Överenskommelse",
                         "avtal": "Avtal"}
PARTY_LABELS = {"region": "Region", "partner": "Partner", "both": "Båda"}
CADENCE_LABELS = {"once": "Engång", "yearly": "Årligen", "half-yearly": "Halvår", "quarterly": "Kvartal"}
# a status is stored as the coordinator's word; past its due date and not done it shows as late anyway
STATUS_LABELS = {"ej påbörjat": "Ej påbörjat", "pågår": "Pågår", "klart": "Klart", "försenat": "Försenat"}
AGREEMENT_KINDS = tuple(AGREEMENT_KIND_LABELS)
COMMITMENT_PARTIES = tuple(PARTY_LABELS)
CADENCES = tuple(CADENCE_LABELS)
COMMITMENT_STATUSES = tuple(STATUS_LABELS)
DONE, LATE = "klart", "försenat"
DUE_SOON_DAYS = 60  # a commitment due within this many days stands out on the agreements page and in its follow-up


SWEDISH_LAST_LETTERS = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # after z, in this order


def swedish_order(name: str) -> str:
    """A sort key that puts Å, Ä and Ö after Z, as Swedish readers expect (Åsele before Älvsbyn)."""
    return name.casefold().translate(SWEDISH_LAST_LETTERS)
