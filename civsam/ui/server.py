"""What civsam adds to Streamlit's web server (server.py puts them together with st.App): the address where a local
sign-in gets its cookie, and a guard in front of Streamlit that stops what any client could otherwise ask of it.

- `/logga-in?biljett=…` turns a sign-in ticket (civsam.auth) into Streamlit's own signed, HttpOnly identity cookie,
  which Streamlit reads into st.user on every connection and which a session can only be resumed with. The ticket
  counts only with the cookie of the browser it was issued to (Streamlit's XSRF cookie), so an address in a proxy
  log signs nobody in.
- Streamlit's "Clear cache" message empties every cache of every user and is honoured from any client; the guard
  drops it (the app clears what it must itself, after each write).
- An upload is held in memory until its session ends; the guard takes uploads only into sessions that may import
  (the frame tells it which, on every run), one at a time, and keeps one file per session.
- Before the first visitor comes, everything the pages import is imported (`preload`).
"""

import ast
import asyncio
import hashlib
import importlib
import json
import logging
import re
import threading
import time
from pathlib import Path

import streamlit as st
from google.protobuf.message import DecodeError
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route
from streamlit import config, runtime
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.url_util import make_url_path
from streamlit.web.server.server_util import get_cookie_secret
from streamlit.web.server.starlette.starlette_app_utils import create_signed_value, decode_xsrf_token_string
from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME, XSRF_COOKIE_NAME

from civsam import auth

SIGN_IN_PATH = "logga-in"
UPLOAD_ADDRESS = re.compile(r"/_stcore/upload_file/([^/]+)/")
_uploaders: set[str] = set()  # the ids of the sessions that may import, as their last run found
_uploaders_lock = threading.Lock()
_one_upload = asyncio.Lock()  # one upload is read at a time: at most server.maxUploadSize in flight


def base_path() -> str:
    return config.get_option("server.baseUrlPath") or ""


def browser_key(xsrf_cookie: str | None) -> str:
    """A digest of the secret Streamlit's XSRF cookie holds (the same in every copy of the cookie a browser gets),
    or "" without one."""
    token, _ = decode_xsrf_token_string(xsrf_cookie or "")
    return hashlib.sha256(token).hexdigest() if token else ""


def this_browser() -> str:
    """browser_key of the browser this session runs in."""
    return browser_key(st.context.cookies.get(XSRF_COOKIE_NAME))


def go_to(url: str) -> None:
    """Send this session's browser to `url`, as st.login does."""
    message = ForwardMsg()
    message.auth_redirect.url = url
    get_script_run_ctx().enqueue(message)


async def sign_in(request):
    """Set the sign-in cookie a valid ticket stands for and return to the page; anything else returns home."""
    now = time.time()
    ticket = auth.redeem_ticket(request.query_params.get("biljett", ""),
                                browser_key(request.cookies.get(XSRF_COOKIE_NAME)), now)
    if ticket is None:
        return RedirectResponse(make_url_path(base_path(), "/"), status_code=303)
    response = RedirectResponse(ticket.back, status_code=303)
    value = create_signed_value(get_cookie_secret(), USER_COOKIE_NAME, json.dumps(auth.session_claims(ticket, now)))
    # No Max-Age: the cookie goes when the browser closes, and the claims' own end holds in any case
    response.set_cookie(USER_COOKIE_NAME, value.decode(), httponly=True, samesite="lax",
                        secure=ticket.origin.startswith("https:"), path=make_url_path(base_path(), "/"))
    return response


# Imported by civsam only when first used, so that the command line starts fast; the server imports them at start.
IMPORTED_WHEN_USED = ("scipy.stats",  # civsam.effect's interval
                      "streamlit.emojis")  # Streamlit's, at the first label with a letter beyond ASCII (Månad): 0,3 s


def preload(pages: Path) -> None:
    """Run the import statements of every page in `pages` (and so import the frame's modules), and import
    IMPORTED_WHEN_USED, at the server's start: otherwise the first visitor of a page after a start waited for them,
    a second and more at the first chart, network or agreement page (plotly's figures, networkx, scipy.stats).
    Streamlit's st.cache_data checks its storage as it decorates, and warns "No runtime found" before the server
    has one: the caches themselves are made at their first call, in a running server, so the warning is held back."""
    decorating = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = decorating.level
    decorating.setLevel(logging.ERROR)
    try:
        for page in sorted(pages.glob("*.py")):
            tree = ast.parse(page.read_text(encoding="utf-8"), filename=str(page))
            imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
            exec(compile(ast.Module(imports, type_ignores=[]), str(page), "exec"), {})
        for module in IMPORTED_WHEN_USED:
            importlib.import_module(module)
    finally:
        decorating.setLevel(level)


def routes() -> list[Route]:
    return [Route(make_url_path(base_path(), SIGN_IN_PATH), sign_in, methods=["GET"])]


def allow_uploads(may_import: bool) -> None:
    """Whether this session takes uploads, as its run found; called by the frame on every run."""
    session_id = get_script_run_ctx().session_id
    with _uploaders_lock:
        if may_import:
            if runtime.exists():  # forget sessions that have ended (one still open is added again on its next run)
                _uploaders.difference_update([other for other in _uploaders
                                              if not runtime.get_instance().is_active_session(other)])
            _uploaders.add(session_id)
        else:
            _uploaders.discard(session_id)


class Guard:
    """ASGI middleware in front of Streamlit: drops "Clear cache" messages, and lets uploads through only into
    sessions that may import, one at a time and one file per session."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            await self.app(scope, _without_clear_cache(receive), send)
        elif scope["type"] == "http" and scope["method"] == "PUT" and (found := UPLOAD_ADDRESS.search(scope["path"])):
            await self._upload(found.group(1), scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _upload(self, session_id: str, scope, receive, send) -> None:
        with _uploaders_lock:
            allowed = session_id in _uploaders
        if not allowed:
            await PlainTextResponse("Uppladdning kräver rollen samordnare.", status_code=403)(scope, receive, send)
            return
        async with _one_upload:  # so that uploads sent together cannot each keep a file
            # the uploader takes one file: an earlier one is no longer needed, so no session holds more than one
            runtime.get_instance().uploaded_file_mgr.remove_session_files(session_id)
            await self.app(scope, receive, send)


def _without_clear_cache(receive):
    async def receive_next():
        while True:
            message = await receive()
            if not (message["type"] == "websocket.receive" and _is_clear_cache(message.get("bytes"))):
                return message
    return receive_next


def _is_clear_cache(frame: bytes | None) -> bool:
    if not frame:
        return False
    message = BackMsg()
    try:
        message.ParseFromString(frame)
    except DecodeError:  # not ours to judge: Streamlit closes the connection on a bad frame
        return False
    return message.WhichOneof("type") == "clear_cache"
