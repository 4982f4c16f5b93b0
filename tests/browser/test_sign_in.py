"""Sign-in and sessions against the real server (issue 18): a local sign-in in a browser, and a client that speaks
Streamlit's protocol itself, as an attacker would, with nothing but what an address or a proxy log shows."""

import re
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

from playwright.sync_api import Page, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.web.server.starlette.starlette_routes import _METRICS_EXPENSIVE_STATS_TTL_SECONDS
from websockets.sync.client import connect

from .test_pages import open_app

FRAME_SECONDS = 30
METRICS_SECONDS = _METRICS_EXPENSIVE_STATS_TTL_SECONDS + 0.5
MEGABYTE = 1024 * 1024


class ProtocolClient:
    """One Streamlit session opened by hand: its own XSRF cookie from the server, and any session id to resume."""

    def __init__(self, server_url: str, resume: str | None = None, forwarded_for: str | None = None):
        self.server_url = server_url
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}  # as a proxy here would say
        with urllib.request.urlopen(f"{server_url}/_stcore/health") as response:
            self.xsrf = SimpleCookie(response.headers["Set-Cookie"])["_streamlit_xsrf"].value
        self.resume = resume
        self.session_id = None
        self.widgets: dict[str, str] = {}  # the id of each text input and button the last run drew, by label

    def __enter__(self) -> "ProtocolClient":
        self.socket = connect(self.server_url.replace("http", "ws", 1) + "/_stcore/stream",
                              subprotocols=["streamlit", self.xsrf, *([self.resume] if self.resume else [])],
                              additional_headers={"Cookie": f"_streamlit_xsrf={self.xsrf}",
                                                  "Origin": self.server_url, **self.headers}).__enter__()
        return self

    def __exit__(self, *error) -> None:
        self.socket.__exit__(*error)

    def send(self, message: BackMsg) -> None:
        self.socket.send(message.SerializeToString())

    def run(self, page: str = "", widgets: tuple = ()) -> bytes:
        """Run the script as the browser asks on connecting, with `widgets` (WidgetState) as the browser sends
        them; everything the server sent until the run ended."""
        message = BackMsg()
        message.rerun_script.page_name = page
        message.rerun_script.widget_states.widgets.extend(widgets)
        self.send(message)
        received = b""
        while True:
            frame = self.socket.recv(timeout=FRAME_SECONDS)
            received += frame
            forward = ForwardMsg()
            forward.ParseFromString(frame)
            if forward.WhichOneof("type") == "new_session":
                self.session_id = forward.new_session.initialize.session_id
            if forward.WhichOneof("type") == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") in ("text_input", "button"):
                    widget = getattr(element, element.WhichOneof("type"))
                    self.widgets[widget.label] = widget.id
            if forward.WhichOneof("type") == "script_finished":
                return received

    def sign_in(self, name: str, password: str) -> bytes:
        """Fill in and send the sidebar's sign-in form (drawn by the last run), as the browser does."""
        return self.run("importera", (WidgetState(id=self.widgets["Användarnamn"], string_value=name),
                                      WidgetState(id=self.widgets["Lösenord"], string_value=password),
                                      WidgetState(id=self.widgets["Logga in"], trigger_value=True)))

    def upload(self, session_id: str, size: int = 1000) -> int:
        """PUT a file of `size` bytes to `session_id`'s upload address, as the file uploader does: the HTTP status."""
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"logg.xlsx\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n{'x' * size}\r\n--{boundary}--\r\n").encode()
        request = urllib.request.Request(
            f"{self.server_url}/_stcore/upload_file/{session_id}/{uuid.uuid4()}", data=body, method="PUT",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": self.xsrf,
                     "Cookie": f"_streamlit_xsrf={self.xsrf}"})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

def sign_in(page: Page, server_url: str, name: str, password: str) -> list[str]:
    """Sign in through the sidebar on the Import page; the ids of the sessions the page had, the last one now."""
    sessions: list[str] = []

    def record(frame) -> None:
        message = ForwardMsg()
        message.ParseFromString(frame)
        if message.WhichOneof("type") == "new_session":
            sessions.append(message.new_session.initialize.session_id)
    page.on("websocket", lambda socket: socket.on("framereceived", record))
    open_app(page, f"{server_url}/importera")
    page.get_by_label("Användarnamn").fill(name)
    page.get_by_label("Lösenord", exact=True).fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_text(f"Inloggad som {name}")).to_be_visible()
    return sessions


def test_a_session_id_is_not_enough_to_be_signed_in(accounts_server, page):
    session_id = sign_in(page, accounts_server.url, "anna", "annas lösen")[-1]
    expect(page.locator('[data-testid="stFileUploader"]')).to_be_visible()
    with ProtocolClient(accounts_server.url, resume=session_id) as thief:  # the id, as an upload address shows
        seen = thief.run("importera")
    assert "Inloggning".encode() in seen and b"Inloggad som" not in seen
    assert "Logga in".encode() in seen and b"stFileUploader" not in seen
    page.reload()  # the owner's own browser is still signed in
    expect(page.get_by_text("Inloggad som anna")).to_be_visible()


def test_an_anonymous_session_cannot_upload(accounts_server):
    with ProtocolClient(accounts_server.url) as client:
        client.run()
        assert client.upload(client.session_id) == 403


def metric(server_url: str, name: str, *labels: str) -> int:
    """The sum of Streamlit's metric `name` over the series with all of `labels` (as `key="value"`)."""
    metrics = urllib.request.urlopen(f"{server_url}/_stcore/metrics").read().decode()
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in metrics.splitlines()
               if line.startswith(name + "{") and all(label in line for label in labels))


def engine_builds(server_url: str) -> int:
    """How often the server has built the store's engine (a miss of its cached resource)."""
    return metric(server_url, "cache_lookups_total", 'cache="civsam.ui.state.engine"', 'result="miss"')


def test_a_coordinators_session_holds_one_upload_at_a_time(accounts_server, page):
    session_id = sign_in(page, accounts_server.url, "anna", "annas lösen")[-1]
    with ProtocolClient(accounts_server.url) as client:  # anyone who has read the session id in a log
        with ThreadPoolExecutor(3) as uploads:  # sent together
            assert list(uploads.map(lambda _: client.upload(session_id, MEGABYTE), range(3))) == [204] * 3
    time.sleep(METRICS_SECONDS)  # Streamlit recounts the memory it holds this often
    held = metric(accounts_server.url, "cache_memory_bytes", 'cache_type="UploadedFileManager"')
    assert MEGABYTE <= held < 2 * MEGABYTE


def test_clear_cache_from_a_client_is_ignored(accounts_server):
    with ProtocolClient(accounts_server.url) as client:
        client.run()
        built = engine_builds(accounts_server.url)
        message = BackMsg()
        message.clear_cache = True
        client.send(message)
        client.run()
    assert engine_builds(accounts_server.url) == built >= 1


def test_the_sign_in_is_an_http_only_cookie_until_the_browser_closes_or_one_signs_out(accounts_server, page):
    sign_in(page, accounts_server.url, "anna", "annas lösen")
    expect(page).to_have_url(re.compile(r"/importera\?"))  # back on the page signed in from, filters and all
    cookie = next(cookie for cookie in page.context.cookies() if cookie["name"] == "_streamlit_user")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["expires"] == -1
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_label("Användarnamn")).to_be_visible()
    assert "_streamlit_user" not in {cookie["name"] for cookie in page.context.cookies()}


def test_the_address_that_sets_the_cookie_signs_in_no_other_browser(accounts_server, page, browser):
    page.route("**/logga-in?**", lambda route: route.abort())  # as if a proxy log had given the address away first
    open_app(page, f"{accounts_server.url}/importera")
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord", exact=True).fill("annas lösen")
    with page.expect_request(re.compile(r"/logga-in\?biljett=")) as request:
        page.get_by_role("button", name="Logga in", exact=True).click()
    other = browser.new_context()
    try:
        thief = other.new_page()
        open_app(thief, request.value.url)
        expect(thief.get_by_label("Användarnamn")).to_be_visible()
        assert "_streamlit_user" not in {cookie["name"] for cookie in other.cookies()}
    finally:
        other.close()



def test_a_stranger_behind_the_proxy_cannot_lock_the_owner_out(accounts_server):
    """The proxy (here, on this machine) names each client in X-Forwarded-For; failures count per client."""
    with ProtocolClient(accounts_server.url, forwarded_for="203.0.113.9") as stranger:
        stranger.run("importera")
        answers = [stranger.sign_in("anna", "gissning") for _ in range(6)]
    assert all("Fel användarnamn".encode() in answer for answer in answers[:5])
    assert "Vänta".encode() in answers[5]
    with ProtocolClient(accounts_server.url, forwarded_for="198.51.100.20") as owner:
        owner.run("importera")
        answer = owner.sign_in("anna", "annas lösen")
    assert "Loggar in".encode() in answer and "Vänta".encode() not in answer
