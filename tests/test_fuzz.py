"""A fuzzing run of the reader: a few hundred mutated workbooks of each format (bytes flipped, cut short,
repeated; inside the zip, XML bytes changed so that the archive itself stays whole and the parser is
reached). No mutant may crash the import: each gets a report, at worst "the file cannot be read". The
first run found a damaged zip stream that escaped civsam.filecheck and an .xls that made the reader ask
for 24 GB, which is why the reader now runs in a child process (civsam.reader)."""

import datetime as dt
import io
import random
import zipfile

import pandas as pd
import pytest
from conftest import snapshot, workbook_bytes
from test_file_formats import ods_bytes, xls_bytes

from civsam.importing import import_file

MUTANTS = 150  # per format and kind of mutation: about a minute for the whole run on two cores
ROWS = [["Datum", "Organisation", "Sektor", "Kommun", "Timmar", "Projekt"],
        [dt.date(2025, 3, 4), "Samforma", "Ideell", "Umeå", 2, "SESIN"],
        [dt.date(2025, 3, 5), "Rädda Barnen; LKAB", "Ideell", "Luleå", 1.5, ""]]
SEEDS = {"xlsx": workbook_bytes({"Aktiviteter": ROWS}), "xls": xls_bytes("Aktiviteter", ROWS),
         "ods": ods_bytes({"Aktiviteter": pd.DataFrame(ROWS[1:], columns=ROWS[0])})}


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to eight random changes: a byte flipped, a cut, a stretch repeated or removed."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        where = rng.randrange(len(data))
        change = rng.choice(("flip", "cut", "repeat", "remove"))
        if change == "flip":
            data[where] = rng.randrange(256)
        elif change == "cut":
            del data[where:]
        elif change == "repeat":
            data[where:where] = data[where:where + rng.randint(1, 200)]
        else:
            del data[where:where + rng.randint(1, 200)]
        if not data:
            data = bytearray(b"\0")
    return bytes(data)


def mutate_inside(data: bytes, rng: random.Random) -> bytes:
    """The zip rewritten with one of its XML parts mutated: the archive is whole, the XML is not."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    victim = rng.choice([member.filename for member in source.infolist() if member.filename.endswith(".xml")])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            part = source.read(member)
            target.writestr(member, mutate(part, rng) if member.filename == victim else part)
    return buffer.getvalue()


# A dry run stores nothing: the reader and the checks are the same on either store, so SQLite alone (the rules that
# differ by store, text lengths and NUL, are tested on both in tests/test_import.py). An .xls is no zip: only its
# bytes are mutated.
@pytest.mark.sqlite_only
@pytest.mark.parametrize(("suffix", "inside"), [("xlsx", False), ("xlsx", True), ("ods", False), ("ods", True),
                                                ("xls", False)])
def test_no_mutated_workbook_crashes_the_import(engine, suffix, inside):
    rng = random.Random(f"{suffix}-{inside}")
    outcomes = {"refused": 0, "read": 0}
    for _ in range(MUTANTS):
        content = (mutate_inside if inside else mutate)(SEEDS[suffix], rng)
        before = snapshot(engine)
        report = import_file(engine, content, f"logg.{suffix}", dry_run=True)
        assert report.exit_code in (0, 1, 2)
        assert report.error is None or report.error.endswith(".")  # one Swedish sentence, never a traceback
        assert snapshot(engine) == before  # a dry run stores nothing, whatever the file
        outcomes["refused" if report.error else "read"] += 1
    assert outcomes["refused"] > 0  # the mutations do reach the checks and the reader
