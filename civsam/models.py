"""The store's tables as SQLAlchemy 2.0 models.

The migrations in civsam/migrations create exactly these tables (a test
compares them). Bulk work (import, demo data) uses the Core tables behind
the models, `Activity.__table__` and so on, for speed.
"""

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from civsam.reference import AGREEMENT_KINDS, CADENCES, COMMITMENT_PARTIES, COMMITMENT_STATUSES

SECTOR_CHECK = "sector IN ('civil_society', 'business', 'public', 'academia')"
COUNTY_CHECK = "county IN ('Västerbotten', 'Norrbotten')"


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


KIND_CHECK = _one_of("kind", AGREEMENT_KINDS)
WHOSE_CHECK = _one_of("whose", COMMITMENT_PARTIES)
CADENCE_CHECK = _one_of("cadence", CADENCES)
STATUS_CHECK = _one_of("status", COMMITMENT_STATUSES)
# what a batch is: a workbook's import, a demo fill, or one activity added, edited or deleted without a workbook
BATCH_KINDS = ("import", "demo", "add", "edit", "delete")


class Base(DeclarativeBase):
    pass


def longest(column) -> int:
    """How many characters a text column holds: the one source of the import's limits (civsam.importing), so
    that SQLite, which does not enforce them, takes no text that PostgreSQL refuses."""
    return column.type.length


class Municipality(Base):
    """Reference data: the 29 municipalities of Västerbotten and Norrbotten."""

    __tablename__ = "municipalities"
    __table_args__ = (CheckConstraint(COUNTY_CHECK, name="municipality_county"),)

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    county: Mapped[str] = mapped_column(String(20))
    population: Mapped[int] = mapped_column(Integer)


class ImportBatch(Base):
    """One import of one file, one demo fill, or one activity added, edited or deleted: what it did, so it can be
    listed and undone."""

    __tablename__ = "import_batches"
    __table_args__ = (CheckConstraint(_one_of("kind", BATCH_KINDS), name="batch_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="import")
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Person(Base):
    """A responsible or contact person: personal data, kept in one place so one change reaches every row."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint(SECTOR_CHECK, name="organisation_sector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # casefolded, spaces collapsed: "rädda  barnen" and "Rädda Barnen" are one organisation
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(20))
    type: Mapped[str | None] = mapped_column(String(100))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipalities.code"))
    org_number: Mapped[str | None] = mapped_column(String(11))
    created_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"))


class OrganisationAlias(Base):
    """Another spelling of an organisation, kept when two spellings were merged: imports still find it."""

    __tablename__ = "organisation_aliases"

    name_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)


# an organisation's umbrella organisations (the Organisationer sheet's Medlem i): member → umbrella
organisation_memberships = Table(
    "organisation_memberships",
    Base.metadata,
    Column("member_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("umbrella_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    CheckConstraint("member_id <> umbrella_id", name="membership_not_self"),
    Index("ix_organisation_memberships_umbrella", "umbrella_id"),
)


activity_organisations = Table(
    "activity_organisations",
    Base.metadata,
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
    # Copies of the activity's and the organisation's facts, kept right by the database (migration 0005), so the
    # per-sector and per-organisation counts read one covering index instead of joining three tables.
    Column("date", Date),
    Column("county", String(20)),
    Column("municipality_code", String(4)),
    Column("project", String(200)),
    Column("hours", Float),
    Column("youth", Boolean),
    Column("sector", String(20)),
    Index("ix_activity_organisations_organisation", "organisation_id", "date", "activity_id", "municipality_code",
          "hours", "youth"),  # migration 0016
    Index("ix_activity_organisations_place", "municipality_code", "organisation_id", "date", "county",
          "project"),  # migration 0016
    Index("ix_activity_organisations_project", "project", "organisation_id", "date", "county", "municipality_code",
          "sector"),  # migration 0014
    Index("ix_activity_organisations_period", "date", "sector", "county", "municipality_code", "project",
          "organisation_id", "activity_id", "hours", "youth"),
)


class Activity(Base):
    """One meeting, dialogue, workshop … with one or more organisations."""

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint(COUNTY_CHECK, name="activity_county"),
        CheckConstraint("hours >= 0 AND (participants IS NULL OR participants >= 0) "
                        "AND (cost_sek IS NULL OR cost_sek >= 0)", name="activity_non_negative"),
        # the period filter and everything the dashboard sums, read from the index alone
        Index("ix_activities_period", "date", "county", "municipality_code", "project", "type", "youth", "sectors",
              "hours"),
        # the same by place and sector mask: the key figures' counts per municipality and mask (migration 0015)
        Index("ix_activities_place", "municipality_code", "sectors", "date", "county", "project", "type", "youth",
              "hours"),
        Index("ix_activities_project", "project"),
        Index("ix_activities_type", "type"),  # the type filter's choices (queries.activity_types)
        Index("ix_activities_batch", "batch_id"),
        Index("ix_activities_fingerprint", "fingerprint"),
        Index("ix_activities_agreement_date", "agreement_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date)
    type: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(Text)
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipalities.code"))
    # from the municipality, or typed alone as Län when the activity covers the whole county
    county: Mapped[str] = mapped_column(String(20))
    hours: Mapped[float] = mapped_column(Float, default=0)
    participants: Mapped[int | None] = mapped_column(Integer)
    cost_sek: Mapped[float | None] = mapped_column(Float)
    project: Mapped[str | None] = mapped_column(String(200))
    youth: Mapped[bool] = mapped_column(Boolean, default=False)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    # sha256 of the content without the external ID: an identical row imported again is a duplicate
    fingerprint: Mapped[str] = mapped_column(String(64))
    # the batch that last wrote the row; undoing that batch removes or restores it
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    # the agreement the activity serves, if any (not part of the fingerprint: the same meeting, filed)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))
    # the sectors of its organisations as a bit mask (civsam.reference.SECTOR_BITS), kept by the database
    sectors: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


agreement_organisations = Table(
    "agreement_organisations",
    Base.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True),
    Index("ix_agreement_organisations_organisation", "organisation_id"),
)


class Agreement(Base):
    """A declaration of intent, IOP, överenskommelse or other agreement with one or more partner organisations.

    Like an organisation it stays while a commitment or an activity names it: undoing the import that
    created it removes it only when nothing uses it.
    """

    __tablename__ = "agreements"
    __table_args__ = (CheckConstraint(KIND_CHECK, name="agreement_kind"),
                      CheckConstraint("valid_until IS NULL OR valid_until >= signed", name="agreement_validity"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # casefolded, spaces collapsed: "Samforma  avsikt" and "samforma avsikt" are one agreement
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    signed: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    registration_number: Mapped[str | None] = mapped_column(String(50))  # diarienummer
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # a person or a unit
    created_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"))


class Commitment(Base):
    """What one party of an agreement has promised to do, by when, and how far it has come (as typed)."""

    __tablename__ = "commitments"
    __table_args__ = (
        UniqueConstraint("agreement_id", "text_key", name="uq_commitments_agreement_text"),
        CheckConstraint(WHOSE_CHECK, name="commitment_whose"),
        CheckConstraint(CADENCE_CHECK, name="commitment_cadence"),
        CheckConstraint(STATUS_CHECK, name="commitment_status"),
        Index("ix_commitments_batch", "batch_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    text: Mapped[str] = mapped_column(String(500))
    # casefolded, spaces collapsed: within one agreement, the commitment's identity
    text_key: Mapped[str] = mapped_column(String(500))
    whose: Mapped[str] = mapped_column(String(10))
    cadence: Mapped[str] = mapped_column(String(12))
    due: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # as typed; civsam.agreements says when it is late
    comment: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))


class Resource(Base):
    """What the region devotes to collaboration with one sector in one year."""

    __tablename__ = "resources"
    __table_args__ = (
        UniqueConstraint("year", "sector", name="uq_resources_year_sector"),
        CheckConstraint(SECTOR_CHECK, name="resource_sector"),
        CheckConstraint("fte >= 0 AND budget_sek >= 0", name="resource_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    sector: Mapped[str] = mapped_column(String(20))
    fte: Mapped[float] = mapped_column(Float, default=0)
    budget_sek: Mapped[float] = mapped_column(Float, default=0)
    comment: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))


class Revision(Base):
    """A stored row's values before an import changed it, so undoing that import restores them; or, `deleted`,
    the whole row a batch deleted, so undoing it inserts the row again."""

    __tablename__ = "revisions"
    __table_args__ = (Index("ix_revisions_batch", "batch_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    previous: Mapped[dict] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AuditEntry(Base):
    """One thing done to the store: who, when, what, which batch or file, how many rows.

    Append-only: civsam has no function that changes or removes an entry, and the database refuses
    UPDATE and DELETE (migration 0004), SQLite's INSERT OR REPLACE of an entry and PostgreSQL's TRUNCATE
    (migration 0008)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(Integer)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    rows: Mapped[int | None] = mapped_column(Integer)


class SurveyResponse(Base):
    """One partner's answer to the yearly survey (civsam.survey_questions). Who answered is never stored: the name
    and e-mail of a Microsoft Forms export are left out on import; the organisation is the one they gave."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_batch", "batch_id"),
                      Index("ix_survey_responses_year", "year"),
                      Index("ix_survey_responses_fingerprint", "fingerprint"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    completed: Mapped[dt.date] = mapped_column(Date)
    organisation: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)  # "Övriga synpunkter": shown to coordinators only
    # sha256 of the response's ID or row, time and answers: the same export imported again is a duplicate
    fingerprint: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))


class SurveyAnswer(Base):
    """One statement's answer on the five-step scale; "Vet ej" and blanks are not stored."""

    __tablename__ = "survey_answers"
    __table_args__ = (CheckConstraint("value BETWEEN 1 AND 5", name="survey_answer_value"),
                      Index("ix_survey_answers_principle", "principle"))

    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True)
    statement: Mapped[str] = mapped_column(String(60), primary_key=True)  # civsam.survey_questions.Statement.key
    principle: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(Integer)
