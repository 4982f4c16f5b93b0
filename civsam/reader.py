"""Reading a workbook's cells in a child process with a memory and a time limit.

python-calamine is fast but believes what a file says: a damaged or crafted file can make it ask for
gigabytes (a mutated .xls in tests/test_fuzz.py asked for 24 GB and the kernel killed the whole
process) or abort. civsam.filecheck refuses what it can recognise while the child reads (and the child
is stopped when it does); the rest is contained here. The child runs this file in isolated mode with an
empty environment (no store address, no package path), limits its own address space, reads every
sheet's cells and hands them back pickled; the parent unpickles nothing but plain values and dates.
When the child dies or runs out of time, the dashboard and everyone else's sessions carry on and the
user is told why.

A sheet comes back column by column, each column as its distinct cells and a code per row saying which:
a log repeats the same dates, places and partners on thousands of rows, and handing a hundred thousand
rows over one object per cell would cost more than reading them.
"""

import datetime as dt
import gc
import io
import itertools
import logging
import pickle
import resource
import subprocess
import sys
from array import array
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __name__ == "__main__":  # the child, started as `python -I reader.py`, has nothing of civsam on its path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # keys.py, beside this file, needs only the stdlib
    from keys import CODE_TYPE, Column, distinct_codes
else:
    from civsam.keys import CODE_TYPE, Column, distinct_codes

MEMORY_MB = 2048  # a 100 000-row log needs about 400 MB
SECONDS = 120
PASSWORD_PROTECTED = 3  # the child's exit status for an encrypted file
CELL_TYPES = {("datetime", name): getattr(dt, name) for name in ("date", "datetime", "time", "timedelta")}
log = logging.getLogger(__name__)


class ReaderFailed(Exception):
    """The reader could not read the file: `reason` is "password", "too_demanding" or "damaged"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_cells(content: bytes, meanwhile: Callable[[], None] = lambda: None) -> dict[str, list[Column]]:
    """Every sheet's columns by sheet name, read in a child process. `meanwhile` runs while the child reads
    (the file checks, on the other core); when it raises, the child is stopped and its error passes on.
    Raises ReaderFailed."""
    child = subprocess.Popen([sys.executable, "-I", __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={})
    with ThreadPoolExecutor(max_workers=1) as pool:  # leaving it waits for the child to end
        answer = pool.submit(_talk_to, child, content)
        try:
            meanwhile()
        except BaseException:
            child.kill()
            raise
    if (output := answer.result()) is None:
        raise ReaderFailed("too_demanding")
    stdout, stderr = output
    if child.returncode == PASSWORD_PROTECTED:
        raise ReaderFailed("password")
    if child.returncode < 0:  # killed by the kernel, or aborted when an allocation failed
        log.warning("the reader was stopped by signal %s", -child.returncode)
        raise ReaderFailed("too_demanding")
    if child.returncode != 0:
        log.info("the reader could not read a file: %s", stderr.decode(errors="replace")[-2000:])
        raise ReaderFailed("damaged")
    sheets = _CellUnpickler(io.BytesIO(stdout)).load()
    return {name: _columns(columns) for name, columns in sheets.items()}


def _talk_to(child: subprocess.Popen, content: bytes) -> tuple[bytes, bytes] | None:
    """The child's output and errors once it has read `content`; None when it ran out of time and was stopped."""
    try:
        return child.communicate(content, timeout=SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return None


def _columns(sent: list[tuple[list, bytes]]) -> list[Column]:
    """A sheet's columns as the child sent them, checked to be of one height and to point at their cells."""
    columns = []
    for cells, code_bytes in sent:
        codes = array(CODE_TYPE)
        codes.frombytes(code_bytes)
        if len(codes) != len(columns[0][1] if columns else codes) or (codes and max(codes) >= len(cells)):
            raise ReaderFailed("damaged")
        columns.append((cells, codes))
    return columns


class _CellUnpickler(pickle.Unpickler):
    """Unpickles cells only: text, numbers, booleans, None and the datetime types, nothing that runs code."""

    def find_class(self, module: str, name: str):
        if (module, name) in CELL_TYPES:
            return CELL_TYPES[module, name]
        raise pickle.UnpicklingError(f"{module}.{name} is no cell value")


def _read_in_child() -> None:
    import python_calamine  # here, so that the parent never loads the reader it keeps at arm's length

    limit = MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    gc.disable()  # a process that lives for one file: the cycle collector would only walk its cells again and again
    content = sys.stdin.buffer.read()
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except python_calamine.PasswordError:
        sys.exit(PASSWORD_PROTECTED)
    sheets = {}
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets[name] = [(cells, codes.tobytes())
                        for cells, codes in map(distinct_codes, itertools.zip_longest(*rows))]
    pickle.dump(sheets, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    _read_in_child()
