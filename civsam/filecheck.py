"""Checks on an uploaded file before anything read from it is used: size, what its zip unpacks to, XML
tricks, and how many cells a sheet claims or repeats. They run while the reader's child process (which
has limits of its own, civsam.reader) reads the file, and stop it when they refuse the file.

An .xlsx or .ods is a zip of XML. A small file can unpack to gigabytes (a zip
bomb), carry a DTD whose entities expand without end, hold one cell at
XFD1048576 so that a reader allocates seventeen billion cells, or (.ods)
repeat one row a million times. Each is refused here, in seconds and
without unpacking, with one Swedish sentence.

A file named on the command line is checked before a byte of it is read (`read_file`): a named pipe would
make the read wait for ever, a device such as /dev/zero would be read until memory runs out.
"""

import io
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path

MAX_FILE_MB = 25  # as Streamlit's server.maxUploadSize in .streamlit/config.toml
MAX_UNPACKED_MB = 400  # a 100 000-row log unpacks to well under 100 MB
MAX_RATIO = 100  # unpacked ÷ packed; spreadsheets pack about 10:1
MAX_ENTRIES = 2_000
MAX_CELLS = 26_000_000  # rows × columns of the area a reader allocates: a million rows of A–Z
PROLOG_BYTES = 4_096  # a DTD must stand before the root element
# a sheet is searched a megabyte at a time; only a suspicious one is read whole
CHUNK_BYTES, OVERLAP_BYTES = 1 << 20, 64
CELL_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
# Without a column past Z or a row past 999 999 a sheet stays within MAX_CELLS; only a sheet with one
# of them (found at the speed of a plain search) is scanned cell by cell.
FAR_CELL = re.compile(rb'r="(?:[A-Z][A-Z]|[A-Z][0-9]{7})')
# .ods: repeated rows and cells; only a file that repeats something a thousand times or more is scanned
LARGE_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="\d{4,}"')
TABLE = re.compile(rb"<table:table(?=[\s>]).*?</table:table>", re.S)
ROW = re.compile(rb"<table:table-row(?=[\s/>])([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])([^>]*?)(?:/>|>(.*?)</table:(?:covered-)?table-cell>)",
                  re.S)
ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
FIX = "Öppna filen i Excel eller LibreOffice, spara den som en ny .xlsx och försök igen."
OLE_CONTAINER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls, or a password-protected .xlsx …
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # … which holds this stream


class UnsafeFile(Exception):
    """The file is refused; str(error) says why and what to do, in Swedish."""


def read_file(path: Path) -> bytes:
    """The bytes of the file at `path` once it is known to be a regular file within MAX_FILE_MB. Raises
    UnsafeFile for anything else (a folder, a named pipe, a device) before reading it, and OSError when the
    file cannot be opened."""
    _check_regular(os.stat(path), path)
    # O_NONBLOCK: a named pipe put there since the stat does not hold the open until someone writes to it
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
        _check_regular(os.fstat(file.fileno()), path)  # what was opened, whatever the path names by now
        content = file.read(MAX_FILE_MB * 1024 * 1024 + 1)  # a file that grows meanwhile is read no further
    _check_size(len(content), path.name)
    return content


def _check_regular(status: os.stat_result, path: Path) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise UnsafeFile(f"{path} är ingen vanlig fil utan t.ex. en mapp, en enhet eller ett rör. "
                         "Ange sökvägen till arbetsboken, t.ex. logg.xlsx.")
    _check_size(status.st_size, path.name)


def _check_size(size: int, file_name: str) -> None:
    if size > MAX_FILE_MB * 1024 * 1024:
        raise UnsafeFile(f"{file_name} är {size / 1024 / 1024:.0f} MB; gränsen är {MAX_FILE_MB} MB. "
                         "Dela upp loggen per år eller ta bort bilder och andra blad.")


def check(content: bytes, file_name: str) -> None:
    """Raise UnsafeFile when nothing read from the file may be used."""
    _check_size(len(content), file_name)
    if not file_name.lower().endswith((".xlsx", ".xlsm", ".ods")):
        return  # .xls is not a zip; its size is its bound
    if content.startswith(OLE_CONTAINER):
        if ENCRYPTION_INFO in content:
            raise UnsafeFile(password_protected(file_name))
        return  # an .xls saved under another name: the reader knows it by its content
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise UnsafeFile(damaged(file_name)) from None
    _check_sizes(members, len(content), file_name)
    try:
        for member in members:
            if member.filename.endswith(".xml"):
                _check_xml(archive, member, file_name)
    # what zipfile raises for a part it cannot unpack: a bad checksum, a broken deflate stream, a part cut short,
    # a compression method it does not know, a damaged header (tests/test_fuzz.py met them)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        raise UnsafeFile(damaged(file_name)) from None


def damaged(file_name: str) -> str:
    return f"{file_name} går inte att läsa som arbetsbok: filen är skadad eller inte en Excel-fil. {FIX}"


def password_protected(file_name: str) -> str:
    return f"{file_name} är lösenordsskyddad. Spara en kopia utan lösenord och importera den."


def too_demanding(file_name: str) -> str:
    return (f"{file_name} kräver mer minne eller tid att läsa än en aktivitetslogg: filen är troligen skadad eller "
            f"innehåller mycket mer än loggen. {FIX} Dela annars upp loggen per år.")


def _check_sizes(members: list[zipfile.ZipInfo], packed: int, file_name: str) -> None:
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_ENTRIES or unpacked > MAX_UNPACKED_MB * 1024 * 1024 or unpacked > MAX_RATIO * max(packed, 1):
        raise UnsafeFile(f"{file_name} packas upp till {unpacked / 1024 / 1024:.0f} MB och kan inte vara en "
                         f"vanlig aktivitetslogg. {FIX}")


def _check_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo, file_name: str) -> None:
    with archive.open(member) as stream:
        prolog = stream.read(PROLOG_BYTES)
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
            raise UnsafeFile(f"{file_name} innehåller XML-konstruktioner som en arbetsbok aldrig behöver. {FIX}")
        sheet_check = {"xl/worksheets/": (FAR_CELL, _check_cells), "content.xml": (LARGE_REPEAT, _check_repeats)}
        for start, (suspicious, check_whole) in sheet_check.items():
            if member.filename.startswith(start) and _found(suspicious, prolog, stream):
                with archive.open(member) as again:  # only a suspicious sheet is read whole
                    check_whole(again.read(), file_name)


def _found(pattern: re.Pattern, head: bytes, stream) -> bool:
    """Whether `pattern` occurs in the part, read a megabyte at a time (a match may span two reads)."""
    tail = head
    while True:
        if pattern.search(tail):
            return True
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            return False
        tail = tail[-OVERLAP_BYTES:] + chunk


def _check_cells(sheet: bytes, file_name: str) -> None:
    """The far corner of the cells a sheet holds: a reader allocates every cell up to it."""
    max_row = max_column = 0
    for letters, row in CELL_REFERENCE.findall(sheet):
        max_row, max_column = max(max_row, int(row)), max(max_column, _column_number(letters))
    if max_row * max_column > MAX_CELLS:
        raise UnsafeFile(f"Ett blad i {file_name} sträcker sig till rad {max_row} och kolumn {max_column}: för "
                         "stort för en logg. Ta bort innehåll långt ner eller långt till höger (Ctrl+End visar var "
                         "bladet slutar) och försök igen.")


def _check_repeats(content: bytes, file_name: str) -> None:
    """An .ods says "this row 1 000 000 times" or "this cell 16 384 times" in a few bytes, and a reader
    writes every repeat out: the area up to the last filled cell of each sheet must stay within MAX_CELLS.
    Empty repeats at the end of a row or a sheet (LibreOffice writes them) are no bomb and do not count."""
    for table in TABLE.findall(content):
        rows = used_rows = widest = 0
        for row_attributes, cells in ROW.findall(table):
            rows += _repeats(row_attributes, ROWS_REPEATED)
            width = _used_width(cells)
            if width:
                used_rows, widest = rows, max(widest, width)
            if used_rows * widest > MAX_CELLS:
                raise UnsafeFile(f"Ett blad i {file_name} upprepar rader eller celler till mer än "
                                 f"{MAX_CELLS // 1_000_000} miljoner celler (rad {used_rows}, kolumn {widest}): för "
                                 f"stort för en logg. {FIX}")


def _used_width(cells: bytes) -> int:
    """The column after a row's last filled cell (0 for a row without any)."""
    column = used = 0
    for attributes, inner in CELL.findall(cells):
        column += _repeats(attributes, COLUMNS_REPEATED)
        if b"office:value-type" in attributes or b"<text:" in inner:
            used = column
    return used


def _repeats(attributes: bytes, pattern: re.Pattern) -> int:
    found = pattern.search(attributes)
    return int(found.group(1)) if found else 1


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
