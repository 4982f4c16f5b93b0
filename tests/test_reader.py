"""The reader's child process: it works from any folder, gives back only plain cell values, and a file it
cannot finish in time is refused as too demanding rather than hanging the import."""

import datetime as dt
import io
import pickle

import pytest
from conftest import activity_log

from civsam import reader
from civsam.reader import ReaderFailed, read_cells


def test_the_cells_come_back_whatever_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # as when the dashboard is started from another folder
    cells = read_cells(activity_log([dt.date(2025, 3, 4), "Samforma", "Ideell", "Umeå"]))
    assert cells == {"Aktiviteter": [["Datum", "Organisation", "Sektor", "Kommun"],
                                     [dt.date(2025, 3, 4), "Samforma", "Ideell", "Umeå"]]}


def test_a_file_that_is_no_workbook_is_damaged():
    with pytest.raises(ReaderFailed) as failure:
        read_cells(b"not a workbook at all")
    assert failure.value.reason == "damaged"


def test_a_file_that_takes_too_long_is_too_demanding(monkeypatch):
    monkeypatch.setattr(reader, "SECONDS", 0.001)
    with pytest.raises(ReaderFailed) as failure:
        read_cells(activity_log([dt.date(2025, 3, 4), "Samforma", "Ideell", "Umeå"]))
    assert failure.value.reason == "too_demanding"


def test_only_plain_values_and_dates_are_unpickled():
    class Payload:
        def __reduce__(self):
            return (print, ("this would run in the dashboard",))
    with pytest.raises(pickle.UnpicklingError, match="no cell value"):
        reader._CellUnpickler(io.BytesIO(pickle.dumps({"Blad1": [[Payload()]]}))).load()
