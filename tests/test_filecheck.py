"""Hostile and broken files are refused before any reader sees them: in seconds, without unpacking."""

import io
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from conftest import activity_log

from civsam.filecheck import MAX_FILE_MB, UnsafeFile, check


def xlsx_with(cell: str) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Datum"
    workbook.active[cell] = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_part(content: bytes, name: str, replace: tuple[bytes, bytes]) -> bytes:
    """A copy of a zip whose part `name` has one replacement made."""
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member, data.replace(*replace) if member.filename == name else data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """About 1.5 MB that unpacks to 1.5 GB, shaped like a workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            zeros = b"\0" * (1 << 20)
            for _ in range(1536):
                part.write(zeros)
    return buffer.getvalue()


def test_an_ordinary_log_passes():
    check(activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"]), "logg.xlsx")


def test_a_zip_bomb_is_refused_in_seconds_and_little_memory(zip_bomb):
    assert len(zip_bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(UnsafeFile, match="packas upp till 1536 MB"):
        check(zip_bomb, "logg.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert time.perf_counter() - start < 10 and peak < 50 * 1024 * 1024


@pytest.mark.parametrize("cell", ["XFD1048576", "ZZ100000"])
def test_a_cell_far_out_is_refused(cell):
    with pytest.raises(UnsafeFile, match="för stort för en logg"):
        check(xlsx_with(cell), "logg.xlsx")


@pytest.mark.parametrize("cell", ["M100001", "A1048576", "AB20"])
def test_a_long_or_slightly_wide_sheet_passes(cell):
    check(xlsx_with(cell), "logg.xlsx")


@pytest.mark.parametrize("declaration", [
    b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>',
    b'<!DOCTYPE x SYSTEM "file:///etc/passwd">',
])
def test_xml_entity_tricks_are_refused(declaration):
    content = with_part(xlsx_with("B2"), "xl/workbook.xml", (b"<workbook", declaration + b"<workbook"))
    with pytest.raises(UnsafeFile, match="XML-konstruktioner"):
        check(content, "logg.xlsx")


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(UnsafeFile, match=f"gränsen är {MAX_FILE_MB} MB"):
        check(b"0" * (MAX_FILE_MB * 1024 * 1024 + 1), "logg.xlsx")


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04truncated"])
def test_a_damaged_workbook_is_refused(content):
    with pytest.raises(UnsafeFile, match="går inte att läsa som arbetsbok"):
        check(content, "logg.xlsx")


def test_a_password_protected_workbook_is_named_as_such():
    with pytest.raises(UnsafeFile, match="lösenordsskyddad"):
        check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le"), "logg.xlsx")


def test_the_import_refuses_a_hostile_file_with_one_line_and_exit_2(engine, zip_bomb, tmp_path, monkeypatch, capsys):
    from civsam.cli import main
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(engine.url))
    (tmp_path / "bomb.xlsx").write_bytes(zip_bomb)
    assert main(["import", str(tmp_path / "bomb.xlsx")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "packas upp till" in error and "Traceback" not in error


def ods_with_rows(rows_xml: str) -> bytes:
    """A minimal .ods whose one sheet holds `rows_xml`."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Aktiviteter">{rows_xml}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


FILLED = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


@pytest.mark.parametrize("rows_xml", [
    f'<table:table-row table:number-rows-repeated="1000000">{FILLED}'
    f'<table:table-cell table:number-columns-repeated="100" office:value-type="float" office:value="1"/>'
    '</table:table-row>',
    f'<table:table-row table:number-rows-repeated="100000"><table:table-cell/></table:table-row>'
    f'<table:table-row><table:table-cell table:number-columns-repeated="16384"/>{FILLED}</table:table-row>',
])
def test_an_ods_that_repeats_rows_or_cells_beyond_the_limit_is_refused_in_seconds(rows_xml):
    content = ods_with_rows(rows_xml)
    assert len(content) < 2_000
    start = time.perf_counter()
    with pytest.raises(UnsafeFile, match="upprepar rader eller celler"):
        check(content, "logg.ods")
    assert time.perf_counter() - start < 10


def test_an_ods_with_empty_repeats_at_the_end_of_rows_and_sheet_passes():
    """LibreOffice writes the rest of a row and of a sheet as empty repeats: no bomb."""
    row = f'<table:table-row>{FILLED * 3}<table:table-cell table:number-columns-repeated="16381"/></table:table-row>'
    check(ods_with_rows(row * 20 + '<table:table-row table:number-rows-repeated="1048556">'
                                   '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'),
          "logg.ods")
