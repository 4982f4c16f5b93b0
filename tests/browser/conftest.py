"""Browser fixtures: the real dashboard served by `python -m civsam serve` on a demo store and an empty store,
and one headless Chromium (Debian's, at /usr/bin/chromium) driven by Playwright.

Each server starts once per test session; each test gets a new browser page (its own Streamlit session).
`make test` installs Chromium, Playwright and axe-core; Playwright never downloads a browser of its own.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from civsam.auth import hash_password
from civsam.db import open_store
from civsam.demo import seed_demo

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# The network here is closed: without the background-networking flags Chromium keeps trying to reach
# Google's services, and a test that records requests would see them.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEMO_ACTIVITIES = 2000
START_SECONDS = 60
expect.set_options(timeout=20_000)  # a loaded two-core machine, one test process a core, may take longer than 5 s


class Server(NamedTuple):
    url: str  # http://127.0.0.1:PORT
    database_url: str  # the store it serves, for checking what a test wrote
    log: Path  # what streamlit printed
    pid: int  # the server's process, for its memory (bench/load.py)


def demo_store(folder: Path) -> str:
    """The URL of a new demo store of DEMO_ACTIVITIES activities in `folder`."""
    database_url = f"sqlite:///{folder / 'civsam.db'}"
    engine = open_store(database_url)
    seed_demo(engine, DEMO_ACTIVITIES)
    engine.dispose()
    return database_url


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("demo")
    database_url = demo_store(folder)
    with streamlit_server(database_url, folder) as server:
        yield server


def accounts_secrets(folder: Path) -> Path:
    """A secrets.toml in `folder` with local accounts: anna, a coordinator (password "annas lösen"), and olle, a
    viewer."""
    secrets = folder / "secrets.toml"
    secrets.write_text(f"""
[civsam.accounts.anna]
password_hash = "{hash_password('annas lösen')}"
role = "coordinator"

[civsam.accounts.olle]
password_hash = "{hash_password('olles lösen')}"
""", encoding="utf-8")
    return secrets


@pytest.fixture(scope="session")
def accounts_server(tmp_path_factory) -> Iterator[Server]:
    """The demo store with local accounts (accounts_secrets)."""
    folder = tmp_path_factory.mktemp("accounts")
    database_url = demo_store(folder)
    with streamlit_server(database_url, folder, ["--secrets.files", str(accounts_secrets(folder))]) as server:
        yield server


@pytest.fixture(scope="session")
def empty_server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("empty")
    with streamlit_server(f"sqlite:///{folder / 'civsam.db'}", folder) as server:
        yield server


@contextmanager
def streamlit_server(database_url: str, folder: Path, options: Sequence[str] = ()) -> Iterator[Server]:
    """The dashboard as `make run` starts it (`python -m civsam serve`), on a free port, until the block ends;
    `options` go to streamlit run."""
    port = free_port()
    log_path = folder / "streamlit.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "civsam", "serve", "--server.port", str(port), "--server.headless", "true",
             *options],
            cwd=ROOT, env={**os.environ, "CIVSAM_DATABASE_URL": database_url}, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", database_url, log_path, process.pid)
    try:
        wait_until_healthy(server.url, process, "streamlit", server.log.read_text)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, name: str, log: Callable[[], str]) -> None:
    """Wait until `url`'s /_stcore/health answers (the dashboard's, or the proxy's passing it on); raise with
    `name` and what `log` reads when the process ends or START_SECONDS pass first."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not answer within {START_SECONDS} s:\n{log()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    """A fresh page (its own cookies, so its own Streamlit session), as wide as a laptop screen."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="sv-SE")
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()
