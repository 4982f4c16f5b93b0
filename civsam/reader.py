"""Reading a workbook's cells in a child process with a memory and a time limit.

python-calamine is fast but believes what a file says: a damaged or crafted file can make it ask for
gigabytes (a mutated .xls in tests/test_fuzz.py asked for 24 GB and the kernel killed the whole
process) or abort. civsam.filecheck refuses what it can recognise beforehand; the rest is contained
here. The child limits its own address space, reads every sheet's cells and hands them back pickled;
when it dies or runs out of time, the dashboard and everyone else's sessions carry on and the user is
told the file cannot be read. This module imports nothing but the standard library and the reader,
so the child starts in a few hundredths of a second.
"""

import io
import pickle
import resource
import subprocess
import sys

MEMORY_MB = 2048  # a 100 000-row log needs about 400 MB
SECONDS = 120
PASSWORD_PROTECTED = 3  # the child's exit status for an encrypted file


class ReaderFailed(Exception):
    """The reader could not read the file: damaged, too demanding, or (`password`) encrypted."""

    def __init__(self, password: bool = False):
        super().__init__("password" if password else "unreadable")
        self.password = password


def read_cells(content: bytes) -> dict[str, list[list]]:
    """Every sheet's cells by sheet name, read in a child process. Raises ReaderFailed."""
    try:
        child = subprocess.run([sys.executable, "-m", "civsam.reader"], input=content, capture_output=True,
                               timeout=SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ReaderFailed from None
    if child.returncode != 0:
        raise ReaderFailed(password=child.returncode == PASSWORD_PROTECTED)
    return pickle.loads(child.stdout)  # written by _read_in_child below, from the reader's plain values


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
