"""Demo data: a plausible, invented activity log for both counties and all four sectors.

`seed_demo` builds the demo store and the test fixtures alike. Everything it
writes belongs to one batch of kind 'demo', so the dashboard can say the
store holds demo data and `clear_demo` can take it all back. The picture is
the one the region describes: business collaboration with its own staff and
budget, civil-society collaboration done when time can be freed, and inland
municipalities that civil-society work does not reach; declarations of intent
with Samforma and Youth Up North and a Norrbotten överenskommelse, with
commitments in every status, some of them late, and a share of the
activities filed under them. Meetings with Samforma grow more frequent after
its declaration of intent is signed; with the other agreements' partners they
stay as frequent as before (what an agreement changed: civsam.effect). Names of people are invented ("… Demo"), every
agreement is marked "(demo)"; the organisations are the region's real
partners plus invented local associations, and every figure is made up, so are
the umbrella organisations' members (DEMO_MEMBERS).
"""

import datetime as dt
import hashlib
import random
from typing import NamedTuple

from sqlalchemy import Connection, Engine, insert, select

from civsam.audit import login_name, record
from civsam.batches import undo_batch
from civsam.db import reserve_ids, write_transaction
from civsam.fingerprint import fingerprints
from civsam.keys import name_key
from civsam.links import Partner, set_agreement_organisations, store_activities
from civsam.models import (
    Agreement,
    Commitment,
    ImportBatch,
    Organisation,
    Person,
    Resource,
    SurveyAnswer,
    SurveyResponse,
    organisation_memberships,
)
from civsam.reference import MUNICIPALITIES, MUNICIPALITY_BY_CODE
from civsam.survey_questions import STATEMENTS

DEFAULT_ACTIVITIES = 3000
DEMO_FILE_NAME = "demodata"
INSERT_CHUNK = 20_000

PARTNERS = (  # name, sector, type, home municipality code
    ("Samforma", "civil_society", "Paraplyorganisation", "2480"),
    ("Rädda Barnen Västerbotten", "civil_society", "Ideell förening", "2480"),
    ("Youth Up North", "civil_society", "Ungdomsorganisation", "2480"),
    ("Bilda Nord", "civil_society", "Studieförbund", "2580"),
    ("Coompanion Västerbotten", "civil_society", "Ekonomisk förening", "2480"),
    ("Coompanion Norrbotten", "civil_society", "Ekonomisk förening", "2580"),
    ("SESIN", "civil_society", "Projekt", "2580"),
    ("Röda Korset Norrbotten", "civil_society", "Ideell förening", "2580"),
    ("Svenska kyrkan Lycksele", "civil_society", "Trossamfund", "2481"),
    ("Sensus Västerbotten", "civil_society", "Studieförbund", "2482"),
    ("Skellefteå AIK Ungdom", "civil_society", "Idrottsförening", "2482"),
    ("Sameföreningen Jokkmokk", "civil_society", "Ideell förening", "2510"),
    ("Hela Sverige ska leva Västerbotten", "civil_society", "Ideell förening", "2462"),
    ("Kvinnojouren Kiruna", "civil_society", "Ideell förening", "2584"),
    ("Umeå Universitet", "academia", "Universitet", "2480"),
    ("Luleå tekniska universitet", "academia", "Universitet", "2580"),
    ("Mötesplats Social Innovation", "academia", "Kunskapsnod", "2580"),
    ("Umeå kommun", "public", "Kommun", "2480"),
    ("Luleå kommun", "public", "Kommun", "2580"),
    ("Lycksele kommun", "public", "Kommun", "2481"),
    ("Region Norrbotten", "public", "Region", "2580"),
    ("Länsstyrelsen Västerbotten", "public", "Myndighet", "2480"),
    ("Almi Nord", "business", "Företagsstöd", "2580"),
    ("Företagarna Västerbotten", "business", "Branschorganisation", "2480"),
    ("Norrlandsfonden", "business", "Finansiär", "2580"),
    ("Handelskammaren Norrbotten", "business", "Branschorganisation", "2580"),
    ("Northvolt Ett", "business", "Företag", "2482"),
    ("LKAB", "business", "Företag", "2584"),
    ("Boliden Mineral", "business", "Företag", "2482"),
    ("Umeå Energi", "business", "Företag", "2480"),
    ("Visit Lycksele", "business", "Besöksnäring", "2481"),
    ("Skellefteå Kraft", "business", "Företag", "2482"),
)
# umbrella → its members, invented for the demo; the local associations of Västerbotten are members of Hela Sverige
# ska leva Västerbotten. Only organisations the demo itself adds get a membership.
DEMO_MEMBERS = {
    "Samforma": ("Rädda Barnen Västerbotten", "Bilda Nord", "Sensus Västerbotten",
                 "Hela Sverige ska leva Västerbotten", "Svenska kyrkan Lycksele"),
    "Coompanion Norrbotten": ("SESIN",),
}
LOCAL_ASSOCIATIONS = ("Byaföreningen", "Hembygdsföreningen", "Idrottsklubben", "Föreningen Unga i",
                      "Pensionärsföreningen")
# Most civil-society contact stays near the coast: these inland municipalities get none (vita fläckar),
# and the first two get no contact from any sector.
NOT_REACHED = {"2422", "2518"}
CIVIL_SOCIETY_NOT_REACHED = {*NOT_REACHED, "2403", "2425", "2506", "2513"}
SECTOR_SHARE = {"business": 0.42, "civil_society": 0.36, "public": 0.14, "academia": 0.08}
TYPES = {"Möte": 0.5, "Dialog": 0.2, "Workshop": 0.12, "Nätverksträff": 0.1, "Konferens": 0.04, "Studiebesök": 0.04}
PROJECTS = (None, None, None, "SESIN", "Civilsamhället i samverkan", "RUS-revidering", "Mötesplats Lycksele")
TITLES = ("Avstämning om samverkan", "Dialog om regional utvecklingsstrategi", "Planering av gemensam ansökan",
          "Uppföljning av avsiktsförklaring", "Workshop om social innovation", "Nätverksträff för föreningar",
          "Samtal om ungas inflytande", "Kompetensförsörjning", "Besök i verksamheten")
PEOPLE = ("Anna Demo", "Erik Demo", "Sara Demo", "Jonas Demo", "Maja Demo", "Lars Demo")
# After its declaration of intent is signed, Samforma joins this share of the meetings with civil society (the
# committee's "more meetings since the declaration"); the other agreements' partners are met as often as before.
RISES_AFTER_SIGNING = ("Samforma", 0.25)
RESOURCES = {  # sector: (årsarbetskrafter, budget in SEK) per year; civil society only when time can be freed
    "business": (7.5, 6_200_000),
    "civil_society": (0.4, 150_000),
}


class DemoAgreement(NamedTuple):
    name: str
    kind: str
    partners: tuple[str, ...]
    signed: tuple[int, int, int]  # years before today's year, month, day
    valid_years: int | None  # valid until 31 December this many years after today's year
    registration_number: str
    responsible: str
    filed: dict[str, float]  # partner (or 'name beginning*') → the share of its activities filed under the agreement
    commitments: tuple[tuple, ...]  # (text, whose, cadence, due in days from today, status, comment)


AGREEMENTS = (
    DemoAgreement(
        "Avsiktsförklaring Samforma (demo)", "avsiktsförklaring", ("Samforma",), (1, 8, 15), 2, "DEMO RUN 2023/0142",
        "Sara Demo", {"Samforma": 0.8, "Rädda Barnen Västerbotten": 0.4, "Hela Sverige ska leva Västerbotten": 0.4,
                      "Sensus Västerbotten": 0.3},
        (("Regionen och Samforma följer upp sina bidrag till avsiktsförklaringen", "both", "yearly", -60, "pågår",
          "Sammanställningen väntar på budgetarbetet."),
         ("Samforma bjuds in att lämna inspel till revideringen av RUS", "region", "once", -300, "klart", None),
         ("Samforma medverkar med en programpunkt på Mötesplats Lycksele", "partner", "once", -180, "klart", None),
         ("Dialogmöte med Samformas medlemsorganisationer", "region", "half-yearly", 25, "pågår", None),
         ("Gemensam ansökan om medel för att kartlägga civilsamhället", "both", "once", -30, "försenat",
          "Pausad: en stor medfinansiär sa nej."))),
    DemoAgreement(
        "Avsiktsförklaring Youth Up North (demo)", "avsiktsförklaring", ("Youth Up North",), (1, 9, 1), 2,
        "DEMO RUN 2024/0388", "Maja Demo",
        {"Youth Up North": 0.8, "Skellefteå AIK Ungdom": 0.3, "Föreningen Unga i*": 0.4},
        (("Unga bjuds in till samråd om regionala strategier", "region", "quarterly", 40, "pågår", None),
         ("Youth Up North sammanställer ungas synpunkter på regional utveckling", "partner", "half-yearly", -20,
          "ej påbörjat", None),
         ("Årlig uppföljning av avsiktsförklaringen", "both", "yearly", 150, "ej påbörjat", None),
         ("Utbildning för unga om regionens beslutsprocesser", "region", "once", -120, "klart", None))),
    DemoAgreement(
        "Överenskommelse Norrbotten (demo)", "överenskommelse", ("Region Norrbotten", "Coompanion Norrbotten"),
        (1, 10, 1), None, "DEMO RUN 2023/0711", "Avdelning regional utveckling (demo)",
        {"Coompanion Norrbotten": 0.7, "Region Norrbotten": 0.5, "SESIN": 0.4, "Röda Korset Norrbotten": 0.3},
        (("Gemensam kartläggning av civilsamhället i Västerbotten och Norrbotten", "both", "once", -200, "försenat",
          "Pausad när en stor medfinansiär sa nej."),
         ("Handlingsplanen följs upp i en gemensam styrgrupp", "both", "quarterly", 50, "pågår", None),
         ("Coompanion Norrbotten ger rådgivning till idéburna organisationer", "partner", "yearly", -90, "klart",
          None),
         ("Regionerna redovisar sina resurser för samverkan med civilsamhället", "region", "yearly", 240,
          "ej påbörjat", None))),
)


def seed_demo(engine: Engine, activities: int = DEFAULT_ACTIVITIES, *, today: dt.date | None = None,
              seed: int = 2025, user: str | None = None) -> int:
    """Replace any demo data with `activities` invented activities over the three years up to `today`;
    `user` (default: the login name) is who the audit log names. Returns the demo batch's id.
    """
    clear_demo(engine, user)
    today = today or dt.date.today()
    rng = random.Random(seed)
    with write_transaction(engine) as connection:
        batch_id = _create_demo_batch(connection, activities, seed)
        organisations = _insert_organisations(connection, batch_id, rng)
        people = _insert_people(connection)
        filed = _insert_agreements(connection, batch_id, today)
        _insert_activities(connection, batch_id, activities, organisations, people, today, rng,
                           filed, random.Random(seed + 1), random.Random(seed + 2))
        _insert_resources(connection, batch_id, today)
        _insert_survey(connection, batch_id, today, random.Random(seed + 2))
        record(connection, "demo", user or login_name(), f"{activities} påhittade aktiviteter", batch_id=batch_id,
               rows=activities)
    return batch_id


def clear_demo(engine: Engine, user: str | None = None) -> int:
    """Take back every demo batch, in the audit log as undone by `user`; returns how many there were.
    Organisations that real imports use stay."""
    with engine.connect() as connection:
        batch_ids = connection.execute(select(ImportBatch.id).where(
            ImportBatch.kind == "demo", ImportBatch.undone_at.is_(None))).scalars().all()
    for batch_id in batch_ids:
        undo_batch(engine, batch_id, user)
    return len(batch_ids)


def has_demo_data(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(ImportBatch.id).where(
            ImportBatch.kind == "demo", ImportBatch.undone_at.is_(None)).limit(1)).first() is not None


def _create_demo_batch(connection: Connection, activities: int, seed: int) -> int:
    return connection.execute(insert(ImportBatch).values(
        kind="demo", file_name=DEMO_FILE_NAME, sha256=hashlib.sha256(f"demo:{activities}:{seed}".encode()).hexdigest(),
        imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), user="civsam demo",
        rows_read=activities, imported=activities).returning(ImportBatch.id)).scalar_one()


def _insert_organisations(connection: Connection, batch_id: int, rng: random.Random) -> dict[str, list[tuple]]:
    """All demo organisations, stored or reused; returns (id, home municipality) lists by sector."""
    partners = list(PARTNERS)
    for municipality in MUNICIPALITIES:
        if municipality.code not in CIVIL_SOCIETY_NOT_REACHED:
            association = rng.choice(LOCAL_ASSOCIATIONS)
            partners.append((f"{association} {municipality.name}", "civil_society", "Ideell förening",
                             municipality.code))
    stored = {key: organisation_id for key, organisation_id in connection.execute(
        select(Organisation.name_key, Organisation.id))}
    by_sector: dict[str, list[tuple]] = {}
    created: dict[str, int] = {}
    for name, sector, kind, home in partners:
        organisation_id = stored.get(name_key(name)) or created.setdefault(name, connection.execute(
            insert(Organisation).values(name=name, name_key=name_key(name), sector=sector, type=kind,
                                        municipality_code=home, created_batch_id=batch_id)
            .returning(Organisation.id)).scalar_one())
        by_sector.setdefault(sector, []).append((organisation_id, home))
    _insert_memberships(connection, {**stored, **{name_key(name): oid for name, oid in created.items()}},
                        {name_key(name) for name in created}, partners)
    return by_sector


def _insert_memberships(connection: Connection, ids: dict[str, int], created: set[str], partners: list) -> None:
    """DEMO_MEMBERS, and the local associations of Västerbotten as members of Hela Sverige ska leva, for each member
    the demo added (undoing the demo takes them away with it)."""
    members = {umbrella: list(names) for umbrella, names in DEMO_MEMBERS.items()}
    members["Hela Sverige ska leva Västerbotten"] = [
        name for name, _, _, home in partners[len(PARTNERS):] if MUNICIPALITY_BY_CODE[home].county == "Västerbotten"]
    links = [{"member_id": ids[name_key(member)], "umbrella_id": ids[name_key(umbrella)]}
             for umbrella, names in members.items() for member in names if name_key(member) in created]
    if links:
        connection.execute(insert(organisation_memberships), links)


def _insert_people(connection: Connection) -> list[tuple[int, str]]:
    stored = {key: person_id for key, person_id in connection.execute(select(Person.name_key, Person.id))}
    people = []
    for name in PEOPLE:
        person_id = stored.get(name_key(name)) or connection.execute(
            insert(Person).values(name=name, name_key=name_key(name)).returning(Person.id)).scalar_one()
        people.append((person_id, name))
    return people


def _insert_agreements(connection: Connection, batch_id: int, today: dt.date) -> dict[int, list[tuple]]:
    """The demo agreements with their partners and commitments, stored or reused; returns by organisation id
    the agreements its activities may be filed under: (agreement id, share, date signed)."""
    organisations = dict(connection.execute(select(Organisation.name_key, Organisation.id)).all())
    stored = dict(connection.execute(select(Agreement.name_key, Agreement.id)).all())
    filed: dict[int, list[tuple]] = {}
    for agreement in AGREEMENTS:
        signed = dt.date(today.year - agreement.signed[0], *agreement.signed[1:])
        agreement_id = (stored.get(name_key(agreement.name))
                        or _insert_agreement(connection, batch_id, agreement, signed, today, organisations))
        for partner, share in agreement.filed.items():
            beginning = name_key(partner.removesuffix("*"))
            for key, organisation_id in organisations.items():
                if key == beginning or (partner.endswith("*") and key.startswith(beginning)):
                    filed.setdefault(organisation_id, []).append((agreement_id, share, signed))
    return filed


def _insert_agreement(connection: Connection, batch_id: int, agreement: DemoAgreement, signed: dt.date,
                      today: dt.date, organisations: dict[str, int]) -> int:
    valid_until = dt.date(today.year + agreement.valid_years, 12, 31) if agreement.valid_years else None
    agreement_id = connection.execute(insert(Agreement).values(
        name=agreement.name, name_key=name_key(agreement.name), kind=agreement.kind, signed=signed,
        valid_until=valid_until, registration_number=agreement.registration_number,
        responsible_id=_person_id(connection, agreement.responsible), created_batch_id=batch_id)
        .returning(Agreement.id)).scalar_one()
    set_agreement_organisations(connection, agreement_id, [organisations[name_key(p)] for p in agreement.partners])
    connection.execute(insert(Commitment), [
        {"agreement_id": agreement_id, "text": text, "text_key": name_key(text), "whose": whose, "cadence": cadence,
         "due": today + dt.timedelta(days=days), "status": status, "comment": comment, "batch_id": batch_id}
        for text, whose, cadence, days, status, comment in agreement.commitments])
    return agreement_id


def _person_id(connection: Connection, name: str) -> int:
    return (connection.execute(select(Person.id).where(Person.name_key == name_key(name))).scalar()
            or connection.execute(insert(Person).values(name=name, name_key=name_key(name))
                                  .returning(Person.id)).scalar_one())


def _filed_under(partner_ids: set[int], date: dt.date, filed: dict[int, list[tuple]],
                 rng: random.Random) -> int | None:
    """The agreement an activity with these partners serves, if any; `rng` is the filing's own, so the rest
    of the demo stays the same whatever is filed."""
    for organisation_id in sorted(partner_ids):
        for agreement_id, share, signed in filed.get(organisation_id, ()):
            if date >= signed and rng.random() < share:
                return agreement_id
    return None


def _insert_activities(connection: Connection, batch_id: int, count: int, organisations: dict[str, list[tuple]],
                       people: list[tuple[int, str]], today: dt.date, rng: random.Random,
                       filed: dict[int, list[tuple]], filing: random.Random, rising: random.Random) -> None:
    """`filing` and `rising` are the filing's and the rise's own randomness, so the rest of the demo stays the same
    whatever is filed or added."""
    start = today.replace(year=today.year - 3) + dt.timedelta(days=1)
    days = (today - start).days + 1
    sectors, sector_weights = zip(*SECTOR_SHARE.items(), strict=True)
    types, type_weights = zip(*TYPES.items(), strict=True)
    places = {civil: _weighted_places(civil) for civil in (True, False)}
    sector_of = {organisation[0]: sector for sector, members in organisations.items() for organisation in members}
    rises_id = connection.execute(select(Organisation.id).where(
        Organisation.name_key == name_key(RISES_AFTER_SIGNING[0]))).scalar_one()
    rises_from = min(signed for _, _, signed in filed[rises_id])
    for chunk_start in range(0, count, INSERT_CHUNK):
        rows, partners, responsibles = [], [], []
        for _ in range(chunk_start, min(count, chunk_start + INSERT_CHUNK)):
            sector = rng.choices(sectors, sector_weights)[0]
            partner_ids = {rng.choice(organisations[sector])[0] for _ in range(rng.choice((1, 1, 1, 2, 3)))}
            if rng.random() < 0.1:  # some meetings bring sectors together
                partner_ids.add(rng.choice(organisations[rng.choice(sectors)])[0])
            activity = _invent_activity(rng, sector, start, days, types, type_weights, places, people)
            after_signing = sector == "civil_society" and activity["date"] >= rises_from
            if after_signing and rising.random() < RISES_AFTER_SIGNING[1]:
                partner_ids.add(rises_id)
            responsible_id, responsible_name = activity.pop("responsible")
            responsibles.append(responsible_name)
            activity["agreement_id"] = _filed_under(partner_ids, activity["date"], filed, filing)
            rows.append({"batch_id": batch_id, "responsible_id": responsible_id, **activity})
            partners.append(tuple(Partner(oid, sector_of[oid]) for oid in partner_ids))
        columns = {key: [row[key] for row in rows] for key in rows[0]}
        names = [tuple(str(partner.id) for partner in sorted(each)) for each in partners]
        columns["fingerprint"] = fingerprints(columns, names, responsibles)
        store_activities(connection, columns, partners)


def _weighted_places(civil_society: bool) -> tuple[list[str], list[float]]:
    """Municipality codes weighted by population (damped), without those the sector does not reach."""
    not_reached = CIVIL_SOCIETY_NOT_REACHED if civil_society else NOT_REACHED
    reached = [m for m in MUNICIPALITIES if m.code not in not_reached]
    return [m.code for m in reached], [m.population ** 0.6 for m in reached]


def _invent_activity(rng: random.Random, sector: str, start: dt.date, days: int, types, type_weights,
                     places: dict[bool, tuple], people: list[tuple[int, str]]) -> dict:
    date = start + dt.timedelta(days=rng.randrange(days))
    while date.weekday() >= 5 or (date.month == 7 and rng.random() < 0.8):  # weekdays, quiet in July
        date = start + dt.timedelta(days=rng.randrange(days))
    civil = sector == "civil_society"
    county_wide = rng.random() < 0.05
    code = None if county_wide else rng.choices(*places[civil])[0]
    county = rng.choice(("Västerbotten", "Norrbotten")) if county_wide else MUNICIPALITY_BY_CODE[code].county
    return {
        "date": date,
        "type": rng.choices(types, type_weights)[0],
        "title": rng.choice(TITLES),
        "municipality_code": code,
        "county": county,
        "hours": rng.choice((1.0, 1.5, 2.0, 2.0, 3.0)) if civil else rng.choice((2.0, 3.0, 4.0, 6.0, 8.0)),
        "participants": rng.randint(3, 40),
        "cost_sek": float(rng.choice((0, 0, 0, 500, 1500, 4000) if civil else (0, 2000, 8000, 20000))),
        "project": rng.choice(PROJECTS),
        "youth": rng.random() < (0.35 if civil else 0.08),
        "comment": None,
        "responsible": rng.choice(people),
    }


def _insert_resources(connection: Connection, batch_id: int, today: dt.date) -> None:
    stored = {(year, sector) for year, sector in connection.execute(select(Resource.year, Resource.sector))}
    rows = [{"year": year, "sector": sector, "fte": fte, "budget_sek": budget, "batch_id": batch_id,
             "comment": "Demodata"}
            for year in range(today.year - 3, today.year + 1)
            for sector, (fte, budget) in RESOURCES.items()
            if (year, sector) not in stored]
    if rows:
        connection.execute(insert(Resource), rows)


# The partner survey of the last two years: how each principle leans (added to a respondent's own leaning, on
# 1–5), and how much more the second year. Dialog has grown; långsiktighet, the sparklers, has not.
SURVEY_LEANINGS = {"självständighet och oberoende": 0.6, "dialog": 0.2, "kvalitet": 0.3, "långsiktighet": -0.8,
                   "öppenhet och insyn": -0.3, "mångfald": 0.0, "delaktighet": -0.4, "utveckling": 0.1}
SURVEY_CHANGE = {"dialog": 0.6, "delaktighet": 0.3, "långsiktighet": -0.2}
SURVEY_RESPONDENTS = (16, 21)  # the year before, this year
SURVEY_COMMENTS = ("Fler möten ute i länet, inte bara i Umeå och Luleå.", "Bra dialog, men svårt att veta vad som "
                   "händer sedan.", "Vi vill gärna vara med tidigare i processen.", "Långsiktig finansiering saknas.")


def _insert_survey(connection: Connection, batch_id: int, today: dt.date, rng: random.Random) -> None:
    """About twenty invented responses a year, from civil-society partners or unnamed; "Vet ej" now and then,
    and "utveckling" mostly so the first year (who could say what improved, in a first survey?)."""
    partners = [name for name, sector, *_ in PARTNERS if sector == "civil_society"]
    ids = iter(reserve_ids(connection, SurveyResponse.__table__, sum(SURVEY_RESPONDENTS)))
    responses, answers = [], []
    for second, respondents in enumerate(SURVEY_RESPONDENTS):
        year = today.year - 1 + second
        for number in range(respondents):
            response_id, leaning = next(ids), rng.gauss(3.4, 0.6)
            for statement in STATEMENTS:
                dont_know = 0.8 if statement.principle == "utveckling" and not second else 0.08
                if rng.random() < dont_know:
                    continue
                score = leaning + SURVEY_LEANINGS[statement.principle] + second * SURVEY_CHANGE.get(
                    statement.principle, 0.0) + rng.gauss(0, 0.8)
                answers.append({"response_id": response_id, "statement": statement.key,
                                "principle": statement.principle, "value": min(5, max(1, round(score)))})
            responses.append({
                "id": response_id, "year": year, "completed": dt.date(year, 5, 1) + dt.timedelta(days=number),
                "organisation": partners[number % len(partners)] if number % 6 != 5 else None,
                "comment": SURVEY_COMMENTS[number % len(SURVEY_COMMENTS)] if number % 5 == 0 else None,
                "fingerprint": hashlib.sha256(f"demo:{year}:{number}".encode()).hexdigest(), "batch_id": batch_id})
    connection.execute(insert(SurveyResponse), responses)
    connection.execute(insert(SurveyAnswer), answers)
