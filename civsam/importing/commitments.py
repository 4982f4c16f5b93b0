"""The Åtaganden sheet: commitments, known by agreement and text.

A sheet typed again with new statuses updates what is stored, each earlier value kept so the import can be
undone; a blank optional cell keeps what is stored."""

from sqlalchemy import insert, select, update

from civsam import parsing
from civsam.importing.run import ImportRun, RowReader
from civsam.keys import name_key
from civsam.models import Commitment, longest
from civsam.parsing import text
from civsam.workbook import Sheet

# a blank Status, Intervall or Kommentar keeps what is stored, or gives a new commitment these
COMMITMENT_DEFAULTS = {"cadence": "once", "status": "ej påbörjat", "comment": None}
MAX_COMMITMENT = longest(Commitment.text_key)  # the text's name key: casefolding can make it longer


def import_sheet(run: ImportRun, sheet: Sheet) -> None:
    stored = {(row.agreement_id, row.text_key): row for row in run.connection.execute(select(
        Commitment.id, Commitment.agreement_id, Commitment.text_key, Commitment.batch_id,
        *(getattr(Commitment, field) for field in ("whose", "due", *COMMITMENT_DEFAULTS))))}
    for row in run.rows(sheet):
        parsed = _parse_commitment(run, row)
        if parsed is None:
            continue
        identity, commitment, typed = parsed
        previous = stored.get(identity)
        # a blank cell keeps the stored value; a new commitment is once-only and not begun
        values = {field: value if value is not None else getattr(previous, field) if previous else
                  COMMITMENT_DEFAULTS.get(field) for field, value in typed.items()}
        if run.repeated(run.seen_commitments, identity, row, values, "text", lambda where: (
                f"Åtagandet finns redan på {where} med andra uppgifter. Behåll en rad per åtagande.")):
            continue
        if previous is None:
            run.connection.execute(insert(Commitment).values(
                agreement_id=identity[0], text=commitment, text_key=identity[1], batch_id=run.batch_id, **values))
            run.report.imported += 1
        elif changed := {field: value for field, value in values.items() if getattr(previous, field) != value}:
            run.revise("commitments", previous.id,
                       {field: getattr(previous, field) for field in (*changed, "batch_id")})
            run.connection.execute(update(Commitment).where(Commitment.id == previous.id)
                                   .values(batch_id=run.batch_id, **changed))
            run.report.updated += 1
        else:
            run.report.duplicates += 1


def _parse_commitment(run: ImportRun, row: RowReader) -> tuple[tuple[int, str], str, dict] | None:
    """(agreement id, text key), the text and the typed values (None for a blank cell); None when the row
    cannot be read."""
    agreement = row.read("agreement", text)
    commitment = " ".join((row.read("text", text) or "").split())
    typed = {"whose": row.read("whose", parsing.parse_party), "due": row.read("due", parsing.parse_optional_date),
             "cadence": row.read("cadence", parsing.parse_cadence),
             "status": row.read("status", parsing.parse_status), "comment": row.read("comment", text)}
    row.require("agreement", agreement, "Avtal saknas. Skriv namnet på avtalet som åtagandet hör till, som i "
                                        "kolumnen Namn på bladet Avtal.")
    if agreement and name_key(agreement) not in run.agreements:
        row.reject("agreement", run.unknown_agreement(agreement))
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
    return (run.agreements[name_key(agreement)].id, name_key(commitment)), commitment, typed
