"""The session's user in the dashboard: who is signed in (st.user, from the region's single sign-on or from a
local account's sign-in cookie), what they may do, and the sidebar to sign in and out.

The decisions are civsam.auth's; this reads .streamlit/secrets.toml and st.user and hands them over. The frame
(dashboard.py) works out the access once per run; pages ask `access().may("import")` and the like. A local
sign-in is never kept in the session: the form sends the browser to fetch its cookie (civsam.ui.server).
"""

import time
from urllib.parse import urlsplit

import streamlit as st
from streamlit.url_util import make_url_path

from civsam import auth
from civsam.i18n import t
from civsam.settings import enabled
from civsam.ui import server

SIGNING_IN = "sign_in_address"  # session state: where the browser fetches its sign-in cookie
FAILED = "sign_in_failed"


def secrets() -> dict:
    """The secrets as plain dicts; without a secrets.toml, none (a laptop demo)."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as error:
        if error.__cause__ is not None:  # a secrets.toml that cannot be parsed must not open editing to everyone
            raise
        return {}


def current() -> auth.Access:
    """Who uses this session and what they may do, as the secrets and the sign-in say now."""
    config = secrets()
    source = auth.source(config)
    user = None
    if source == auth.OIDC:
        user = auth.oidc_user(st.user.to_dict(), config)
    elif source == auth.ACCOUNTS:  # a removed account or a run-out sign-in signs out at once
        user = auth.signed_in_account(st.user.to_dict(), config, time.time())
    return auth.Access(source, user, enabled("CIVSAM_REQUIRE_LOGIN"))


def access() -> auth.Access:
    """The access the frame worked out for this run."""
    return st.session_state["access"]


def sidebar(lang: str, access: auth.Access) -> None:
    """Who is signed in with a button to sign out, or the way to sign in; nothing where nobody can sign in."""
    if access.source in (auth.OPEN, auth.CLOSED):  # the pages say why nobody can sign in
        return
    with st.sidebar:
        st.header(t(lang, "sign_in_heading"))
        if access.user:
            # st.text: an e-mail's underscores must not turn into Markdown emphasis
            st.text(t(lang, "signed_in_as", name=access.user.name, role=t(lang, f"role_{access.user.role}")))
            _sign_out_button(lang)
        elif access.source == auth.OIDC:
            if st.button(t(lang, "sign_in_sso"), type="primary"):
                st.login(auth.oidc_provider(secrets()))
        elif address := st.session_state.get(SIGNING_IN):
            st.caption(t(lang, "signing_in"))
            server.go_to(address)
        else:
            _account_form(lang)


def sign_in_page(lang: str) -> None:
    """All there is to see while sign-in is required and nobody is signed in."""
    st.title(t(lang, "sign_in_required_heading"))
    if access().source in (auth.OPEN, auth.CLOSED):
        st.error(t(lang, "sign_in_not_set_up"))
    else:
        st.info(t(lang, "sign_in_required"), icon=":material/lock:")


def client_address() -> str:
    """Where this session's browser connects from: behind a reverse proxy, the address the proxy puts in
    X-Forwarded-For (uvicorn trusts it from the addresses in FORWARDED_ALLOW_IPS, by default this machine's)."""
    return st.context.ip_address or "localhost"


def _sign_out_button(lang: str) -> None:
    """Streamlit's own sign-out for both sources: it forgets st.user and sends the browser to clear the cookie.
    As a callback, so the run it starts already shows nobody signed in."""
    st.button(t(lang, "sign_out"), on_click=st.logout)


def _account_form(lang: str) -> None:
    with st.form("sign_in"):
        st.text_input(t(lang, "username"), key="sign_in_name", autocomplete="username")
        st.text_input(t(lang, "password"), key="sign_in_password", type="password", autocomplete="current-password")
        st.form_submit_button(t(lang, "sign_in"), on_click=_sign_in, type="primary")
    if failed := st.session_state.pop(FAILED, None):
        st.error(t(lang, "sign_in_failed") if failed is True else t(lang, "sign_in_wait", seconds=failed))


def _sign_in() -> None:
    """Runs before the next run, which sends the browser to fetch its cookie; the password is not kept."""
    now = time.time()
    try:
        user = auth.account_user(secrets(), st.session_state["sign_in_name"], st.session_state["sign_in_password"],
                                 client_address(), now)
    except auth.SignInPaused as paused:
        user, st.session_state[FAILED] = None, paused.seconds
    else:
        if not user:
            st.session_state[FAILED] = True
    st.session_state["sign_in_password"] = ""
    if user:
        origin = st.context.headers.get("Origin", "")
        ticket = auth.issue_ticket(user.name, server.this_browser(), origin, _this_page(), now)
        st.session_state[SIGNING_IN] = f"{make_url_path(server.base_path(), server.SIGN_IN_PATH)}?biljett={ticket}"


def _this_page() -> str:
    """The address of this page without its host, to come back to after signing in."""
    address = urlsplit(st.context.url or "")
    if not address.path.startswith("/") or address.path.startswith("//"):  # never another host
        return make_url_path(server.base_path(), "/")
    return address.path + (f"?{address.query}" if address.query else "")
