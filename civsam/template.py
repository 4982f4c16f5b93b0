"""The workbook template coordinators fill in: `python -m civsam template OUT.xlsx` and the upload page.

Its headers come from the sheet definitions in civsam.workbook, so the template
and the importer cannot drift apart. Drop-down lists for Typ, Sektor, Kommun,
Län, Unga, the agreement's Typ and the commitment's Part, Intervall and Status
read a hidden sheet, Listor.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from civsam.reference import (
    ACTIVITY_TYPES,
    AGREEMENT_KIND_LABELS,
    CADENCE_LABELS,
    COUNTY_NAMES,
    MUNICIPALITIES,
    PARTY_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    swedish_order,
)
from civsam.workbook import ACTIVITIES, AGREEMENTS, COMMITMENTS, ORGANISATIONS, RESOURCES, SheetKind

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
LAST_ROW = 5000
LAST_AGREEMENT_ROW = 1000  # agreements and commitments come in tens, not thousands: fewer cells to format
LISTS = {  # column in Listor: (title, values)
    "A": ("Typ", ACTIVITY_TYPES),
    "B": ("Sektor", tuple(SECTOR_LABELS.values())),
    "C": ("Kommun", tuple(sorted((m.name for m in MUNICIPALITIES), key=swedish_order))),
    "D": ("Län", COUNTY_NAMES),
    "E": ("Unga", ("Ja", "Nej")),
    "F": ("Avtalstyp", tuple(AGREEMENT_KIND_LABELS.values())),
    "G": ("Part", tuple(PARTY_LABELS.values())),
    "H": ("Intervall", tuple(CADENCE_LABELS.values())),
    "I": ("Status", tuple(STATUS_LABELS.values())),
}
DATE_COLUMNS = {"date", "signed", "valid_until", "due"}
# which list each column offers, and whether other values are refused (stop) or only questioned (warning)
DROP_DOWNS = {
    ACTIVITIES.key: {"type": ("A", "warning"), "sector": ("B", "stop"), "municipality": ("C", "stop"),
                     "county": ("D", "stop"), "youth": ("E", "stop")},
    RESOURCES.key: {"sector": ("B", "stop")},
    ORGANISATIONS.key: {"sector": ("B", "stop"), "municipality": ("C", "stop")},
    AGREEMENTS.key: {"kind": ("F", "stop")},
    COMMITMENTS.key: {"whose": ("G", "stop"), "cadence": ("H", "stop"), "status": ("I", "stop")},
}
INSTRUCTIONS = (
    ("Så fyller du i mallen", ""),
    ("", "Fyll i en rad per aktivitet i bladet Aktiviteter. Rubrikraden ska stå kvar; ordningen på kolumnerna spelar "
         "ingen roll och egna kolumner hoppas över."),
    ("", "Importera filen på sidan Import i civsam eller med kommandot python -m civsam import FIL.xlsx. Rader som "
         "inte går att läsa visas med radnummer och vad som ska rättas; övriga rader sparas."),
    ("", "Samma fil kan laddas upp igen när loggen har vuxit: rader som redan finns läggs inte till en gång till."),
    ("", "Uppgifter om ansvariga personer är personuppgifter. Skriv bara namn där det behövs för uppföljningen."),
    ("", ""),
    ("Kolumn (Aktiviteter)", "Vad som ska stå där"),
    ("Datum", "Krävs. Datumet för aktiviteten, t.ex. 2025-03-04 (även 4/3/2025 och 4 mars 2025 går bra)."),
    ("Typ", "Möte, Dialog, Workshop … Lämnas den tom blir typen Möte."),
    ("Rubrik", "Kort beskrivning, t.ex. Dialog om regional utvecklingsstrategi."),
    ("Organisation", "Krävs. En eller flera organisationer, skilda med semikolon: "
                     "Samforma; Rädda Barnen Västerbotten."),
    ("Sektor", "Krävs för en organisation som inte redan finns i civsam: Civilsamhälle, Näringsliv, Offentlig sektor "
               "eller Akademi."),
    ("Kommun", "Kommunen där aktiviteten ägde rum. Lämna tom och fyll i Län om den gällde hela länet."),
    ("Län", "Västerbotten eller Norrbotten. Behövs bara när Kommun är tom."),
    ("Timmar", "Arbetstimmar som regionen lade ner, t.ex. 1,5."),
    ("Deltagare", "Antal deltagare, heltal."),
    ("Kostnad (kr)", "Regionens kostnad i kronor."),
    ("Projekt", "Projekt eller initiativ aktiviteten hör till, t.ex. SESIN."),
    ("Unga", "Ja om barn och unga var delaktiga, annars Nej eller tomt."),
    ("Ansvarig", "Regionens kontaktperson."),
    ("Kommentar", "Fri text."),
    ("ID", "Frivilligt löpnummer. Med ID uppdateras en ändrad rad i stället för att läggas till igen. Använd ID som "
           "är unika i hela regionen, t.ex. SKE-001."),
    ("Avtal", "Frivilligt. Avtalet som aktiviteten hör till, med namnet som på bladet Avtal (kolumnen får också heta "
              "Avsiktsförklaring eller Överenskommelse). Ett namn som civsam inte känner till avvisar raden. En tom "
              "cell tar inte bort ett avtal som redan är kopplat."),
    ("", ""),
    ("Bladet Resurser", "En rad per år och sektor: År, Sektor, Årsarbetskrafter, Budget (kr), Kommentar. "
                        "En ny import av samma år och sektor ersätter siffrorna."),
    ("Bladet Organisationer", "Partnerregistret: Organisation, Sektor, Typ, Kommun, Organisationsnummer "
                              "(NNNNNN-NNNN), Medlem i."),
    ("Medlem i", "Frivilligt. Paraplyorganisationen som organisationen är medlem i, t.ex. Samforma; flera skiljs med "
                 "semikolon. Paraplyorganisationen ska finnas i civsam eller stå på en egen rad i bladet. En tom cell "
                 "behåller de medlemskap som redan finns."),
    ("", ""),
    ("Bladet Avtal", "En rad per avsiktsförklaring, IOP, överenskommelse eller annat avtal. Namn (kort och unikt, "
                     "t.ex. Avsiktsförklaring Samforma), Typ, Part, Undertecknat (datum) krävs; Giltigt till, "
                     "Diarienummer och Ansvarig (person eller enhet) är frivilliga."),
    ("Part (Avtal)", "Organisationen som avtalet är med; flera skiljs med semikolon. En ny organisation läggs till "
                     "med den sektor filen anger (bladet Organisationer eller Sektor på en aktivitet), annars som "
                     "civilsamhälle för en avsiktsförklaring, IOP eller överenskommelse. För typen Avtal måste "
                     "sektorn då stå i filen."),
    ("Bladet Åtaganden", "En rad per åtagande: Avtal (namnet som på bladet Avtal), Åtagande (vad som ska göras), "
                         "Part (Region, Partner eller Båda), Intervall (Engång, Årligen, Halvår eller Kvartal; tomt "
                         "är Engång), Förfaller (datum; för återkommande åtaganden nästa gång), Status (Ej påbörjat, "
                         "Pågår, Klart eller Försenat; tomt är Ej påbörjat) och Kommentar."),
    ("Uppföljning", "Uppdatera Status och Förfaller i samma fil och importera den igen: ändrade åtaganden uppdateras. "
                    "Ett åtagande som passerat Förfaller utan att vara Klart visas som försenat i civsam."),
)


def template_bytes() -> bytes:
    """The template as .xlsx bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind in (ACTIVITIES, RESOURCES, ORGANISATIONS, AGREEMENTS, COMMITMENTS):
        _add_data_sheet(workbook, kind)
    _add_instructions(workbook)
    _add_lists(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_data_sheet(workbook: Workbook, kind: SheetKind) -> None:
    sheet = workbook.create_sheet(kind.name)
    for index, column in enumerate(kind.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
    sheet.freeze_panes = "A2"
    letters = {column.key: get_column_letter(index) for index, column in enumerate(kind.columns, start=1)}
    last_row = LAST_AGREEMENT_ROW if kind in (AGREEMENTS, COMMITMENTS) else LAST_ROW
    for key in DATE_COLUMNS & set(letters):
        for row in range(2, last_row + 1):
            sheet[f"{letters[key]}{row}"].number_format = "yyyy-mm-dd"
    for key, (list_column, style) in DROP_DOWNS[kind.key].items():
        title, values = LISTS[list_column]
        validation = DataValidation(
            type="list", formula1=f"Listor!${list_column}$2:${list_column}${len(values) + 1}", allow_blank=True,
            errorStyle=style, errorTitle=f"Okänt värde i {title}", error=f"Välj ett värde i listan för {title}.",
            showErrorMessage=True)
        validation.add(f"{letters[key]}2:{letters[key]}{last_row}")
        sheet.add_data_validation(validation)


def _add_instructions(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("Instruktioner")
    for title, body in INSTRUCTIONS:
        sheet.append([title, body])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 110
    for row in sheet.iter_rows():
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")


def _add_lists(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("Listor")
    for column, (title, values) in LISTS.items():
        sheet[f"{column}1"] = title
        for row, value in enumerate(values, start=2):
            sheet[f"{column}{row}"] = value
    sheet.sheet_state = "hidden"
