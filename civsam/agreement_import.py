"""Importing the Avtal and Åtaganden sheets of a workbook (civsam.importer reads the rest).

Agreements (Avtal) are known by name and commitments (Åtaganden) by agreement and text, so a sheet typed
again with new statuses updates what is stored, each earlier value kept so the import can be undone; a
blank optional cell keeps what is stored. Every partner must already be in the organisation register.
`AgreementSheets` is this part of an import run (civsam.importer._ImportRun), which provides what it
uses: the connection, batch and report, the stored organisations, agreements and people, and the helpers
_rows, _repeated, _revise and _person_id.
"""

import datetime as dt
import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Connection, insert, select, update

from civsam import parsing
from civsam.models import Agreement, Commitment, Person, agreement_organisations, longest
from civsam.parsing import name_key, text
from civsam.workbook import Sheet

if TYPE_CHECKING:  # the import run's row reader; civsam.importer imports this module
    from civsam.importer import RowReader

# a blank Status, Intervall or Kommentar keeps what is stored, or gives a new commitment these
COMMITMENT_DEFAULTS = {"cadence": "once", "status": "ej påbörjat", "comment": None}
MAX_REGISTRATION_NUMBER = longest(Agreement.registration_number)
MAX_COMMITMENT = longest(Commitment.text_key)  # the text's name key: casefolding can make it longer


class StoredAgreement(NamedTuple):
    id: int
    name: str
    name_key: str
    kind: str
    signed: dt.date
    valid_until: dt.date | None
    registration_number: str | None
    responsible_id: int | None
    responsible_key: str | None
    organisation_ids: tuple[int, ...]


class AgreementSheets:
    """The Avtal and Åtaganden sheets of an import run."""

    def _import_agreements(self, sheet: Sheet) -> None:
        for row in self._rows(sheet):
            parsed = self._parse_agreement(row)
            if parsed is None:
                continue
            name, values, responsible = parsed
            key = name_key(name)
            if self._repeated(self.seen_agreements, key, row, values, "name", lambda where: (
                    f"{name} finns redan på {where} med andra uppgifter. Behåll en rad per avtal.")):
                continue
            stored = self.agreements.get(key)
            if stored is None:
                self._create_agreement(name, values, responsible)
                self.report.imported += 1
            elif (valid_until := values.get("valid_until", stored.valid_until)) and valid_until < values["signed"]:
                # a blank Giltigt till keeps the stored date, which must still follow the new Undertecknat
                row.reject("signed", f"Undertecknat ({values['signed']}) ligger efter det lagrade Giltigt till "
                                     f"({valid_until}). Skriv också ett nytt Giltigt till, eller rätta datumet.")
            elif changed := {field: value for field, value in values.items() if getattr(stored, field) != value}:
                self._update_agreement(stored, changed, responsible)
                self.report.updated += 1
            else:
                self.report.duplicates += 1

    def _parse_agreement(self, row: "RowReader") -> tuple[str, dict, str | None] | None:
        """The name, the values to compare with the stored agreement and the responsible as typed; None (and
        rejections) when the row cannot be read. A blank optional cell keeps what is stored."""
        name = row.read("name", parsing.parse_name, longest=longest(Agreement.name))
        kind = row.read("kind", parsing.parse_agreement_kind)
        partners = row.read("partners", parsing.split_organisations)
        signed = row.read("signed", parsing.parse_optional_date)
        valid_until = row.read("valid_until", parsing.parse_optional_date)
        registration_number = row.read("registration_number", text)
        responsible = row.read("responsible", parsing.parse_person, longest=longest(Person.name))
        row.require("name", name, "Avtalets namn saknas. Skriv ett kort namn, t.ex. Avsiktsförklaring Samforma.")
        row.require("kind", kind, f"Typ saknas. {parsing.KIND_HELP}")
        row.require("partners", partners, "Part saknas. Skriv organisationen som avtalet är med; flera skiljs med "
                                          "semikolon.")
        row.require("signed", signed, "Undertecknat saknas. Skriv dagen avtalet undertecknades, t.ex. 2024-03-15.")
        row.limit("registration_number", registration_number, MAX_REGISTRATION_NUMBER,
                  f"Diarienumret är för långt (högst {MAX_REGISTRATION_NUMBER} tecken). Skriv bara numret, "
                  "t.ex. RUN 2024/00123.")
        if signed and valid_until and valid_until < signed:
            row.reject("valid_until", f"Giltigt till ({valid_until}) ligger före Undertecknat ({signed}). Rätta "
                                      "datumen eller lämna Giltigt till tomt.")
        unknown = [partner for partner in partners or () if name_key(partner) not in self.organisations]
        if unknown:
            row.reject("partners", f"{', '.join(unknown)} finns inte i organisationsregistret. Lägg först till "
                                   "organisationen på bladet Organisationer (med sektor), i samma fil eller i en "
                                   "tidigare import.")
        if not row.ok:
            return None
        values = {"kind": kind, "signed": signed,
                  "organisation_ids": tuple(sorted({self.organisations[name_key(p)].id for p in partners}))}
        optional = {"valid_until": valid_until, "registration_number": registration_number,
                    "responsible_key": name_key(responsible) if responsible else None}
        return name, {**values, **{field: value for field, value in optional.items() if value is not None}}, responsible

    def _agreement_columns(self, values: dict, responsible: str | None) -> dict:
        """The agreements table's columns for compared values (the partners live in agreement_organisations)."""
        columns = {field: value for field, value in values.items()
                   if field not in ("organisation_ids", "responsible_key")}
        if "responsible_key" in values:
            columns["responsible_id"] = self._person_id(responsible)
        return columns

    def _create_agreement(self, name: str, values: dict, responsible: str | None) -> None:
        columns = self._agreement_columns(values, responsible)
        agreement_id = self.connection.execute(
            insert(Agreement).values(name=name, name_key=name_key(name), created_batch_id=self.batch_id, **columns)
            .returning(Agreement.id)).scalar_one()
        set_agreement_organisations(self.connection, agreement_id, values["organisation_ids"])
        blank = dict.fromkeys(("valid_until", "registration_number", "responsible_id", "responsible_key"))
        self.agreements[name_key(name)] = StoredAgreement(id=agreement_id, name=name, name_key=name_key(name),
                                                          **{**blank, **values, **columns})

    def _update_agreement(self, stored: StoredAgreement, changed: dict, responsible: str | None) -> None:
        previous = {field: getattr(stored, field) for field in changed if field != "responsible_key"}
        if "responsible_key" in changed:
            previous["responsible_id"] = stored.responsible_id
        self._revise("agreements", stored.id, previous)
        columns = self._agreement_columns(changed, responsible)
        if columns:
            self.connection.execute(update(Agreement).where(Agreement.id == stored.id).values(**columns))
        if "organisation_ids" in changed:
            set_agreement_organisations(self.connection, stored.id, changed["organisation_ids"])
        self.agreements[stored.name_key] = stored._replace(**{**changed, **columns})

    def _unknown_agreement(self, typed: str) -> str:
        """What a row that names an agreement civsam does not know is told: the closest name, and how to add it."""
        close = difflib.get_close_matches(name_key(typed), list(self.agreements), n=1, cutoff=0.75)
        guess = f"Menar du {self.agreements[close[0]].name}? " if close else ""
        return (f"Det finns inget avtal som heter {typed}. {guess}Skriv namnet som i kolumnen Namn på bladet Avtal, "
                "eller lägg till avtalet där först.")

    # --- Åtaganden ---------------------------------------------------------------

    def _import_commitments(self, sheet: Sheet) -> None:
        stored = {(row.agreement_id, row.text_key): row for row in self.connection.execute(select(
            Commitment.id, Commitment.agreement_id, Commitment.text_key, Commitment.batch_id,
            *(getattr(Commitment, field) for field in ("whose", "due", *COMMITMENT_DEFAULTS))))}
        for row in self._rows(sheet):
            parsed = self._parse_commitment(row)
            if parsed is None:
                continue
            identity, commitment, typed = parsed
            previous = stored.get(identity)
            # a blank cell keeps the stored value; a new commitment is once-only and not begun
            values = {field: value if value is not None else getattr(previous, field) if previous else
                      COMMITMENT_DEFAULTS.get(field) for field, value in typed.items()}
            if self._repeated(self.seen_commitments, identity, row, values, "text", lambda where: (
                    f"Åtagandet finns redan på {where} med andra uppgifter. Behåll en rad per åtagande.")):
                continue
            if previous is None:
                self.connection.execute(insert(Commitment).values(
                    agreement_id=identity[0], text=commitment, text_key=identity[1], batch_id=self.batch_id, **values))
                self.report.imported += 1
            elif changed := {field: value for field, value in values.items() if getattr(previous, field) != value}:
                self._revise("commitments", previous.id,
                             {field: getattr(previous, field) for field in (*changed, "batch_id")})
                self.connection.execute(update(Commitment).where(Commitment.id == previous.id)
                                        .values(batch_id=self.batch_id, **changed))
                self.report.updated += 1
            else:
                self.report.duplicates += 1

    def _parse_commitment(self, row: "RowReader") -> tuple[tuple[int, str], str, dict] | None:
        """(agreement id, text key), the text and the typed values (None for a blank cell); None when the row
        cannot be read."""
        agreement = row.read("agreement", text)
        commitment = " ".join((row.read("text", text) or "").split())
        typed = {"whose": row.read("whose", parsing.parse_party), "due": row.read("due", parsing.parse_optional_date),
                 "cadence": row.read("cadence", parsing.parse_cadence),
                 "status": row.read("status", parsing.parse_status), "comment": row.read("comment", text)}
        row.require("agreement", agreement, "Avtal saknas. Skriv namnet på avtalet som åtagandet hör till, som i "
                                            "kolumnen Namn på bladet Avtal.")
        if agreement and name_key(agreement) not in self.agreements:
            row.reject("agreement", self._unknown_agreement(agreement))
        row.require("text", commitment, "Åtagandet saknas. Beskriv kort vad som ska göras, t.ex. Årlig uppföljning "
                                        "av regionens bidrag.")
        row.limit("text", name_key(commitment), MAX_COMMITMENT,
                  f"Åtagandet är för långt (högst {MAX_COMMITMENT} tecken). Korta texten och skriv resten i "
                  "Kommentar.")
        row.require("whose", typed["whose"], f"Part saknas: vems åtagande är det? {parsing.PARTY_HELP}")
        row.require("due", typed["due"], "Förfaller saknas. Skriv när åtagandet ska vara uppfyllt, t.ex. 2025-12-31; "
                                         "för ett återkommande åtagande nästa gång.")
        if not row.ok:
            return None
        return (self.agreements[name_key(agreement)].id, name_key(commitment)), commitment, typed


def set_agreement_organisations(connection: Connection, agreement_id: int, organisation_ids: Iterable[int]) -> None:
    connection.execute(agreement_organisations.delete().where(agreement_organisations.c.agreement_id == agreement_id))
    links = [{"agreement_id": agreement_id, "organisation_id": oid} for oid in sorted(set(organisation_ids))]
    connection.execute(insert(agreement_organisations), links)


def stored_agreements(connection: Connection) -> dict[str, StoredAgreement]:
    """Every stored agreement by its name key, with its partners."""
    partners: dict[int, list[int]] = {}
    for agreement_id, organisation_id in connection.execute(select(agreement_organisations)):
        partners.setdefault(agreement_id, []).append(organisation_id)
    rows = connection.execute(
        select(Agreement.id, Agreement.name, Agreement.name_key, Agreement.kind, Agreement.signed,
               Agreement.valid_until, Agreement.registration_number, Agreement.responsible_id, Person.name_key)
        .outerjoin(Person, Person.id == Agreement.responsible_id))
    return {row[2]: StoredAgreement(*row, tuple(sorted(partners.get(row[0], ())))) for row in rows}
