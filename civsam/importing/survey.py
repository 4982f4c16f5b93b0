"""The Enkät sheet: the partners' answers to the yearly survey, as Microsoft Forms exports them.

Each response keeps its year (from the completion time, or Datum), the organisation given, the free text and
its answers on 1–5; "Vet ej" and blanks are left out. Name and e-mail are never read: the report says that
they were left out. A question civsam does not know is reported by its text and the rest imports.
"""

import hashlib
import json

from sqlalchemy import insert, select

from civsam import parsing
from civsam.db import reserve_ids
from civsam.importing.run import ImportRun
from civsam.models import SurveyAnswer, SurveyResponse, longest
from civsam.parsing import CellError, fold, is_blank, text
from civsam.survey_questions import DONT_KNOW, SCALE, SCALE_VALUES, STATEMENTS
from civsam.workbook import PERSONAL_COLUMNS, Sheet

ANSWER_WORDS = {fold(word): value for words, value in SCALE_VALUES.items() for word in words}
DONT_KNOW_WORDS = {fold(word) for word in DONT_KNOW}
ANSWER_HELP = f"Svara med {', '.join(words[0] for words in SCALE)}, Vet ej eller en siffra 1–5."
PRINCIPLE_OF = {statement.key: statement.principle for statement in STATEMENTS}


def parse_answer(value) -> int | None:
    """An answer on the scale: its words (Swedish or English, any case) or 1–5; None for "Vet ej" or a blank."""
    if is_blank(value):
        return None
    typed = text(value)
    if typed in {"1", "2", "3", "4", "5"}:
        return int(typed)
    word = fold(typed).removesuffix(".")
    if word in DONT_KNOW_WORDS:
        return None
    if word in ANSWER_WORDS:
        return ANSWER_WORDS[word]
    raise CellError(f"Svaret känns inte igen. {ANSWER_HELP}")


def import_sheet(run: ImportRun, sheet: Sheet) -> None:
    report = run.report
    report.unknown_questions += sheet.ignored_columns
    report.ignored_columns = [header for header in report.ignored_columns if header not in sheet.ignored_columns]
    report.personal_data_left_out += [sheet.headers[key] for key in PERSONAL_COLUMNS if key in sheet.column_index]
    asked = [key for key in sheet.column_index if key in PRINCIPLE_OF]
    stored = set(run.connection.execute(select(SurveyResponse.fingerprint)).scalars())
    responses, answers = [], []
    for row in run.rows(sheet):
        completed = row.read("completed", parsing.parse_date)
        organisation = row.read("organisation", parsing.parse_name, longest=longest(SurveyResponse.organisation))
        comment = row.read("comment", text)
        given = {key: row.read(key, parse_answer) for key in asked}
        if not row.ok:
            continue
        given = {key: value for key, value in given.items() if value is not None}
        fingerprint = _fingerprint(row.read("response_id", text) or f"rad {row.number}", completed,
                                   organisation, comment, given)
        if fingerprint in stored:
            report.duplicates += 1
            continue
        stored.add(fingerprint)
        responses.append({"year": completed.year, "completed": completed, "organisation": organisation,
                          "comment": comment, "fingerprint": fingerprint, "batch_id": run.batch_id})
        answers.append(given)
    if not responses:
        return
    ids = reserve_ids(run.connection, SurveyResponse.__table__, len(responses))
    run.connection.execute(insert(SurveyResponse), [{"id": id_, **values} for id_, values in zip(ids, responses)])
    rows = [{"response_id": id_, "statement": key, "principle": PRINCIPLE_OF[key], "value": value}
            for id_, given in zip(ids, answers) for key, value in given.items()]
    if rows:
        run.connection.execute(insert(SurveyAnswer), rows)
    report.imported += len(responses)


def _fingerprint(response: str, completed, organisation: str | None, comment: str | None, given: dict) -> str:
    """The response's identity without who gave it: the same export imported again is a duplicate."""
    content = [response, completed.isoformat(), organisation, comment, sorted(given.items())]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
