"""A private PostgreSQL server for the tests: started in a temporary folder, reached over its own
Unix socket, stopped at the end. `make test` installs Debian's postgresql package when run as root.

initdb refuses to run as root, so as root the server runs as the `postgres` user.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PORT = 54329


def server_binaries() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian puts them under /usr/lib/postgresql/N/bin)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL saknas: installera Debians paket postgresql (make test gör det som root).")
    return versions[-1].parent


def _run(*command: str) -> None:
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*as_postgres, *command], check=True, capture_output=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields an SQLAlchemy URL of an empty database on a fresh server."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="civsam-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    _run(str(binaries / "initdb"), "-D", str(data), "-U", "civsam", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    _run(str(binaries / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "server.log"), "start", "-o",
         f"-p {PORT} -k {folder} -c listen_addresses='' -c fsync=off")
    try:
        _run(str(binaries / "createdb"), "-h", str(folder), "-p", str(PORT), "-U", "civsam", "civsam")
        yield f"postgresql+psycopg://civsam@/civsam?host={folder}&port={PORT}"
    finally:
        _run(str(binaries / "pg_ctl"), "-D", str(data), "-w", "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
