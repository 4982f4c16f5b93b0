"""Reading a workbook's cells in a child process with a memory and a time limit.

python-calamine is fast but believes what a file says: a damaged or crafted file can make it ask for
gigabytes (a mutated .xls in tests/test_fuzz.py asked for 24 GB and the kernel killed the whole
process) or abort. civsam.filecheck refuses what it can recognise beforehand; the rest is contained
here. The child runs this file in isolated mode with an empty environment (no store address, no
package path), limits its own address space, reads every sheet's cells and hands them back pickled;
the parent unpickles nothing but plain values and dates. When the child dies or runs out of time, the
dashboard and everyone else's sessions carry on and the user is told why.
"""

import datetime as dt
import io
import logging
import pickle
import resource
import subprocess
import sys

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


def read_cells(content: bytes) -> dict[str, list[list]]:
    """Every sheet's cells by sheet name, read in a child process. Raises ReaderFailed."""
    try:
        child = subprocess.run([sys.executable, "-I", __file__], input=content, capture_output=True,
                               timeout=SECONDS, env={}, check=False)
    except subprocess.TimeoutExpired:
        raise ReaderFailed("too_demanding") from None
    if child.returncode == PASSWORD_PROTECTED:
        raise ReaderFailed("password")
    if child.returncode < 0:  # killed by the kernel, or aborted when an allocation failed
        log.warning("the reader was stopped by signal %s", -child.returncode)
        raise ReaderFailed("too_demanding")
    if child.returncode != 0:
        log.info("the reader could not read a file: %s", child.stderr.decode(errors="replace")[-2000:])
        raise ReaderFailed("damaged")
    return _CellUnpickler(io.BytesIO(child.stdout)).load()


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
    content = sys.stdin.buffer.read()
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except python_calamine.PasswordError:
        sys.exit(PASSWORD_PROTECTED)
    cells = {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
             for name in workbook.sheet_names}
    pickle.dump(cells, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    _read_in_child()
