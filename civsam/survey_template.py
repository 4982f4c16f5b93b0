"""The partner survey's questions, ready to set up in Microsoft Forms: `python -m civsam template --enkat OUT.xlsx`
and the Import page.

Three sheets: how to set the form up and run it each year, the questions with their choices (from
civsam.survey_questions, so the form and the import cannot drift apart), and an Enkät sheet whose headers
another survey tool's answers can be pasted under.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from civsam.survey_questions import COMMENT_QUESTION, DONT_KNOW, ORGANISATION_QUESTION, SCALE, STATEMENTS
from civsam.template import HEADER_FILL, HEADER_FONT
from civsam.workbook import SURVEY

CHOICES = "; ".join([*(words[0] for words in SCALE), DONT_KNOW[0]])
INSTRUCTIONS = (
    ("Enkäten", "Partnernas egen bild av samverkan, en gång om året, med de sex principerna i överenskommelsen "
                "mellan regeringen och civilsamhället och två egna. Svaren visas på sidan Partnernas bild."),
    ("Skapa formuläret", "Skapa ett nytt formulär i Microsoft Forms. Lägg till frågorna på bladet Frågor i den "
                         "ordningen och skriv frågetexten exakt som där (svenska eller engelska). Påståendena är "
                         "frågor av typen Val med de sex svarsalternativen; Organisation och Övriga synpunkter är "
                         "Text (lång text för synpunkterna). Inga frågor behöver vara obligatoriska."),
    ("Personuppgifter", "Välj under Inställningar att alla kan svara, så samlar Forms inte in namn och e-post. Har "
                        "formuläret inloggning följer namn och e-post med i exporten; civsam sparar dem aldrig."),
    ("Varje år", "Kopiera förra årets formulär (Duplicera) så att frågorna står kvar oförändrade och skicka det "
                 "till partnerna. När svaren är inne: Svar → Öppna i Excel, spara filen och ladda upp den på "
                 "sidan Import (eller python -m civsam import fil.xlsx). Året tas från Tidpunkt för slutförande."),
    ("Andra verktyg", "Svar från ett annat verktyg går att klistra in på bladet Enkät: en rad per svar, datum i "
                      "kolumnen Datum. Svaren skrivs som orden ovan eller 1–5; Vet ej och tomma celler räknas inte."),
)


def survey_template_bytes() -> bytes:
    """The survey's questions and instructions as .xlsx bytes."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "Instruktioner"
    for title, body in INSTRUCTIONS:
        instructions.append([title, body])
    instructions.column_dimensions["A"].width, instructions.column_dimensions["B"].width = 20, 110
    for row in instructions.iter_rows():
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    questions = workbook.create_sheet("Frågor")
    questions.append(["Nr", "Fråga", "Question", "Princip", "Frågetyp", "Svarsalternativ"])
    questions.append([1, ORGANISATION_QUESTION[0], ORGANISATION_QUESTION[1], "", "Text", ""])
    for number, statement in enumerate(STATEMENTS, start=2):
        questions.append([number, statement.swedish, statement.english, statement.principle, "Val", CHOICES])
    questions.append([len(STATEMENTS) + 2, COMMENT_QUESTION[0], COMMENT_QUESTION[1], "", "Text (lång)", ""])
    for letter, width in zip("ABCDEF", (5, 70, 70, 28, 12, 90), strict=True):
        questions.column_dimensions[letter].width = width
    answers = workbook.create_sheet(SURVEY.name)
    answers.append(["Datum", ORGANISATION_QUESTION[0], *(statement.swedish for statement in STATEMENTS),
                    COMMENT_QUESTION[0]])
    for sheet in (questions, answers):
        for cell in sheet[1]:
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
