"""The reader's child process: it works from any folder, gives back only plain cell values, column by
column as distinct cells and codes, and a file it cannot finish in time is refused as too demanding
rather than hanging the import."""

import datetime as dt
import io
import pickle
import subprocess
import sys
import time
from array import array

import pytest
from conftest import activity_log

from civsam import reader
from civsam.reader import ReaderFailed, distinct_codes, read_cells


def test_the_cells_come_back_whatever_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # as when the dashboard is started from another folder
    sheets = read_cells(activity_log([dt.date(2025, 3, 4), "Samforma", "Ideell", "Umeå"],
                                     [dt.date(2025, 3, 5), "Samforma", "Ideell", "Lycksele"]))
    rows = [[cells[codes[row]] for cells, codes in sheets["Aktiviteter"]] for row in range(3)]
    assert rows == [["Datum", "Organisation", "Sektor", "Kommun"],
                    [dt.date(2025, 3, 4), "Samforma", "Ideell", "Umeå"],
                    [dt.date(2025, 3, 5), "Samforma", "Ideell", "Lycksele"]]
    assert [cells for cells, _ in sheets["Aktiviteter"]][1:3] == [["Organisation", "Samforma"], ["Sektor", "Ideell"]]


def test_equal_numbers_of_other_types_stay_distinct_cells():
    cells, codes = distinct_codes([1, 1.0, True, 1, "1", None, 1.0])
    assert [(type(cell), cell) for cell in cells] == [(int, 1), (float, 1.0), (bool, True), (str, "1"),
                                                      (type(None), None)]
    assert codes.tolist() == [0, 1, 2, 0, 3, 4, 1]


@pytest.mark.parametrize("sent", [
    [(["a"], array("I", [0, 1]).tobytes())],  # a code past the column's cells
    [(["a", "b"], array("I", [0, 1]).tobytes()), (["c"], array("I", [0]).tobytes())],  # columns of two heights
])
def test_columns_that_do_not_add_up_are_damaged(sent):
    with pytest.raises(ReaderFailed) as failure:
        reader._columns(sent)
    assert failure.value.reason == "damaged"


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



@pytest.fixture
def slow_children(monkeypatch) -> list[subprocess.Popen]:
    """Children that take far longer than the reader allows (they sleep), as they are started."""
    started, start = [], subprocess.Popen
    monkeypatch.setattr(reader.subprocess, "Popen", lambda _, **kwargs: started.append(
        start([sys.executable, "-c", "import time; time.sleep(30)"], **kwargs)) or started[-1])
    monkeypatch.setattr(reader, "SECONDS", 0.05)
    return started


def test_a_child_out_of_time_while_the_checks_run_is_stopped_and_reaped(slow_children):
    def refuse_late():
        time.sleep(0.3)
        raise ValueError("refused")
    with pytest.raises(ValueError, match="refused"):  # the checks' message wins over the child's
        read_cells(b"a workbook", meanwhile=refuse_late)
    assert slow_children[0].returncode is not None  # ended and reaped: no process left behind


def test_the_checks_refusing_the_file_stop_the_child(slow_children):
    def refuse():
        raise ValueError("refused")
    with pytest.raises(ValueError, match="refused"):
        read_cells(b"a workbook", meanwhile=refuse)
    assert slow_children[0].returncode is not None
