"""The region's installation behind its proxy (issue 16): Debian's nginx running deploy/nginx/civsam.conf in front
of two `python -m civsam serve` processes on one PostgreSQL, and headless Chromium through it. Every page opens, new
browsers spread over both processes and each stays with its own, a coordinator signs in and uploads, what one
process writes the other shows, and a browser whose process stops reaches the other, still signed in.

The shipped site is the one tested. Only its ports change, by plain replacement: 8501 and 8502 become the ports the
two processes got, and `listen 8080` a free port on 127.0.0.1. An nginx.conf of the test's own includes it and keeps
nginx's pid, logs and temporary files in a folder of its own, where nginx runs unprivileged (as `nobody` when the
tests run as root) and logs, for each request, the process that answered and the cookie that chose it. The two
processes share one sign-in cookie secret, as deploy/civsam.env has it.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy.engine import make_url

from civsam.batches import list_batches
from civsam.db import open_store
from civsam.demo import seed_demo
from civsam.i18n import t
from civsam.totals import summary

from .conftest import ROOT, accounts_secrets, free_port, streamlit_server, wait_until_healthy
from .test_pages import DEMO_PAGES, activity_log, assert_no_error, open_app, open_list, title
from .test_sign_in import sign_in

SITE = ROOT / "deploy" / "nginx" / "civsam.conf"
NGINX = Path("/usr/sbin/nginx")
COOKIE = "civsam_server"  # the site's cookie that names a browser's process
DEMO_ACTIVITIES = 300
CHANGE_SECONDS = 5  # how long after a write a page may show the old data: the data version is asked every 2 s
# What the test's nginx adds around the site: everything in FOLDER, and a log line per request naming the process
# that answered ($upstream_addr: each one tried, the one that answered last) and the cookie the browser sent.
NGINX_CONF = """
daemon off;
pid FOLDER/nginx.pid;
events {}
http {
    log_format civsam '$upstream_addr|$cookie_civsam_server|$request_method $request_uri|$status';
    access_log FOLDER/access.log civsam;
    client_body_temp_path FOLDER/body;
    proxy_temp_path FOLDER/proxy;
    fastcgi_temp_path FOLDER/fastcgi;
    uwsgi_temp_path FOLDER/uwsgi;
    scgi_temp_path FOLDER/scgi;
    include FOLDER/civsam.conf;
}
"""
# The uploaded log's organisation, in a list of 2025: shown by the other process once the upload is stored
SEARCH = "/aktiviteter?sok=Webbtestets&fran=2025-01-01&till=2025-12-31"


class Proxy(NamedTuple):
    url: str  # http://127.0.0.1:PORT, nginx
    ports: tuple[int, int]  # the two processes'
    database_url: str
    access_log: Path
    stop: Callable[[int], None]  # stops the process on this port


class Request(NamedTuple):
    """One line of the test's access log."""
    answered: int | None  # the port of the process that answered; None when nginx answered itself
    cookie: int | None  # the process the browser's cookie named
    what: str


@pytest.fixture(scope="module")
def proxy(postgres_template, tmp_path_factory) -> Iterator[Proxy]:
    admin, template_url = postgres_template
    name = f"proxy_{uuid.uuid4().hex[:16]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {make_url(template_url).database}")
    database_url = make_url(template_url).set(database=name).render_as_string(hide_password=False)
    engine = open_store(database_url)
    seed_demo(engine, DEMO_ACTIVITIES)
    engine.dispose()
    folder = tmp_path_factory.mktemp("proxy")
    options = ["--secrets.files", str(accounts_secrets(folder))]
    try:
        with ExitStack() as stack:
            stacks = [stack.enter_context(ExitStack()) for _ in range(2)]  # each closed by stop(), or at the end

            def start(number: int) -> int:
                (folder / str(number)).mkdir()
                server = stacks[number].enter_context(streamlit_server(database_url, folder / str(number), options))
                return urlparse(server.url).port
            with pytest.MonkeyPatch.context() as patch, ThreadPoolExecutor(2) as starting:  # both at once
                patch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", uuid.uuid4().hex)  # the environment they start with
                ports = tuple(starting.map(start, range(2)))
            processes = dict(zip(ports, stacks))
            url, access_log = stack.enter_context(nginx(ports))
            yield Proxy(url, ports, database_url, access_log, lambda port: processes[port].close())
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")


@contextmanager
def nginx(ports: tuple[int, int]) -> Iterator[tuple[str, Path]]:
    """Debian's nginx serving the shipped site on a free port, in front of the processes on `ports`, until the block
    ends: its address and access log."""
    if not NGINX.exists():
        pytest.fail(f"{NGINX} is missing: `make test` installs Debian's nginx (as root)")
    folder = Path(tempfile.mkdtemp(prefix="civsam-nginx-"))  # pytest's own folder is closed to other users
    port = free_port()
    site = SITE.read_text(encoding="utf-8")
    assert site.count("listen 8080;") == 1
    site = re.sub(r"(?<!\d)850([12])(?!\d)", lambda found: str(ports[int(found.group(1)) - 1]), site)
    (folder / "civsam.conf").write_text(site.replace("listen 8080;", f"listen 127.0.0.1:{port};"), encoding="utf-8")
    (folder / "nginx.conf").write_text(NGINX_CONF.replace("FOLDER", str(folder)), encoding="utf-8")
    unprivileged = {}
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody")
        unprivileged = {"user": "nobody", "group": "nogroup", "extra_groups": []}
    url = f"http://127.0.0.1:{port}"
    with (folder / "nginx.out").open("wb") as output:
        process = subprocess.Popen([NGINX, "-p", folder, "-c", folder / "nginx.conf", "-e", folder / "error.log"],
                                   stdout=output, stderr=subprocess.STDOUT, **unprivileged)
    try:
        wait_until_healthy(url, process, "nginx", lambda: (folder / "nginx.out").read_text()
                           + (folder / "error.log").read_text())
        yield url, folder / "access.log"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)




def requests(proxy: Proxy) -> list[Request]:
    """Every request nginx has logged, oldest first."""
    def port(address: str) -> int | None:
        return int(address.rsplit(":", 1)[-1]) if address and address != "-" else None
    lines = proxy.access_log.read_text(encoding="utf-8").splitlines()
    return [Request(port(answered), port(cookie), what) for answered, cookie, what, _ in
            (line.split("|") for line in lines)]


def visit(proxy: Proxy, cookie: int | None = None) -> SimpleCookie:
    """Ask the proxy for Streamlit's health address, as a browser with `cookie` (a port) or none: the cookies set."""
    request = urllib.request.Request(f"{proxy.url}/_stcore/health",
                                     headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    cookies = SimpleCookie()
    with urllib.request.urlopen(request) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    return cookies


def browser_on(browser: Browser, proxy: Proxy, port: int) -> Page:
    """A new browser (its own cookies) whose cookie names the process on `port`, as the proxy set it earlier."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="sv-SE")
    context.set_default_timeout(30_000)
    context.add_cookies([{"name": COOKIE, "value": str(port), "url": proxy.url}])
    return context.new_page()


def process_of(page: Page) -> int:
    return int(next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == COOKIE))


def shows_soon(page: Page, url: str, what: Locator) -> None:
    """Open `url` again until it shows `what`, after a write: a process notices another's write when it next asks the
    store for the data version, which it does at most every 2 s. Fails when a page opened later still does not."""
    written = time.monotonic()
    while True:
        opened = time.monotonic()
        open_app(page, url)
        try:
            expect(what).to_be_visible(timeout=1_000)
            return
        except AssertionError:
            if opened - written > CHANGE_SECONDS:
                raise


def test_every_page_opens_through_the_proxy_with_the_security_headers(page, proxy):
    response = page.goto(proxy.url + "/")
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert response.headers["x-content-type-options"] == "nosniff"
    open_app(page, proxy.url + "/")  # the app connects over the WebSocket, through the proxy
    # The other pages by the sidebar's links, as people move, each run over that WebSocket; the presentation last,
    # as it folds the sidebar away
    pages = sorted([*DEMO_PAGES, ("/aktiviteter", "page_activities", 0)], key=lambda entry: entry[0] == "/bildspel")
    for path, key, _ in pages:
        link = {"/bildspel": "page_presentation"}.get(path, key)  # the presentation opens on the key figures
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=t("sv", link), exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(proxy.url + path) + r"(\?.*)?$"))
        expect(title(page)).to_have_text(t("sv", key))
        expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(1)
        assert_no_error(page)
    scripts = {Path(urlparse(entry).path).name for entry in page.evaluate(
        "() => performance.getEntriesByType('resource').map(entry => entry.name)") if entry.endswith(".js")}
    plotly = next(name for name in scripts if name.startswith("PlotlyChart."))
    compressed = urllib.request.Request(f"{proxy.url}/static/js/{plotly}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(compressed) as response:  # Streamlit sends its 4,7 MB uncompressed
        assert response.headers["Content-Encoding"] == "gzip" and len(response.read()) < 2_000_000
    metrics = urllib.request.Request(f"{proxy.url}/_stcore/metrics")
    with pytest.raises(urllib.error.HTTPError, match="404"):
        urllib.request.urlopen(metrics)


def test_new_browsers_spread_over_both_processes_and_each_stays_with_the_one_its_cookie_names(proxy):
    """Every request here comes from one address, as a room of phones on a venue's network does."""
    before = len(requests(proxy))
    given = [visit(proxy)[COOKIE] for _ in range(40)]
    assert all(cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/" for cookie in given)
    assert {int(cookie.value) for cookie in given} == set(proxy.ports)  # one process for all: 1 in 2**39
    returning = [(port, visit(proxy, port)) for port in proxy.ports for _ in range(5)]
    assert not any(COOKIE in cookies for _, cookies in returning)  # the cookie stands
    logged = [request for request in requests(proxy)[before:] if request.what == "GET /_stcore/health"]
    assert [request.answered for request in logged] == [int(cookie.value) for cookie in given] + [
        port for port, _ in returning]


def test_a_coordinator_signs_in_and_uploads_through_one_process_and_the_other_shows_it_and_its_undo(browser, proxy):
    writer, reader = browser_on(browser, proxy, proxy.ports[0]), browser_on(browser, proxy, proxy.ports[1])
    engine = open_store(proxy.database_url)
    try:
        before = summary(engine)["activities"]
        empty = reader.get_by_text(t("sv", "activity_list_empty"))
        open_app(reader, proxy.url + SEARCH)  # the reader's process caches the list without the new activities
        expect(empty).to_be_visible()

        sign_in(writer, proxy.url, "anna", "annas lösen")
        writer.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(files=[{
            "name": "logg.xlsx", "buffer": activity_log(),
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
        writer.get_by_role("button", name=t("sv", "confirm", count=2)).click()
        expect(writer.get_by_text(re.compile(re.escape(t("sv", "imported", batch=0)).replace("0", r"\d+")))
               ).to_be_visible()
        batch = list_batches(engine)["id"].max()  # PostgreSQL's ids may skip a number
        assert summary(engine)["activities"] == before + 2
        shows_soon(reader, proxy.url + SEARCH, reader.get_by_role("heading", name=t("sv", "activity_count", count=2)))

        open_list(writer, writer.get_by_role("combobox", name=t("sv", "undo")),
                  writer.get_by_role("option", name=f"{batch}: logg.xlsx")).click()
        writer.get_by_text(t("sv", "undo_sure")).click()
        writer.get_by_role("button", name=t("sv", "undo_button"), exact=True).click()
        expect(writer.get_by_text(t("sv", "undone", batch=batch))).to_be_visible()
        assert summary(engine)["activities"] == before
        shows_soon(reader, proxy.url + SEARCH, empty)
        assert_no_error(writer)
        assert (process_of(writer), process_of(reader)) == proxy.ports  # each stayed with its own process
    finally:
        engine.dispose()
        writer.context.close()
        reader.context.close()
    # the upload, the sign-in address and every WebSocket reached the process the browser's cookie named
    assert all(request.answered == request.cookie for request in requests(proxy) if request.cookie)


# Last in the file: it stops a process, and the module's processes are not started again.
def test_stopping_the_process_a_browser_is_on_and_reloading_reaches_the_other_still_signed_in(browser, proxy):
    stopped, other = proxy.ports[1], proxy.ports[0]
    page = browser_on(browser, proxy, stopped)
    try:
        sign_in(page, proxy.url, "anna", "annas lösen")
        proxy.stop(stopped)
        page.reload()
        page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
                               '[data-test-script-state="notRunning"]')
        expect(page.get_by_text("Inloggad som anna")).to_be_visible()  # the processes share the cookie's secret
        expect(page.locator('[data-testid="stFileUploader"]')).to_be_visible()
        assert process_of(page) == other
        assert_no_error(page)
    finally:
        page.context.close()
