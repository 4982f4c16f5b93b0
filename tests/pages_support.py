"""Opening a page as a user reaches it, for the AppTest page tests (test_pages, test_agreements_page). Their
fixtures (store_url, demo_url, engine_at, fresh_caches, today_is_the_demo_day, accounts) are in conftest.py."""

import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def open_page(page: str | None = None, secrets: dict | None = None, user: dict | None = None, **query) -> AppTest:
    """The page opened through the frame, with `secrets` as .streamlit/secrets.toml and `user` as st.user."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for name, value in query.items():
        app.query_params[name] = value
    app.secrets.update(secrets or {})
    app.user = user or app.user
    app.run()
    if page:
        app.switch_page(f"pages/{page}.py")
        app.run()
    assert not app.exception, app.exception
    return app


def open_data(app: AppTest, *charts: str) -> AppTest:
    """Open the "Visa data" sections of these charts (by chart key), as a click on them does: the page reruns."""
    from civsam.ui.widgets import data_key
    for chart in charts:
        app.session_state[data_key(chart)] = True
    app.run()
    assert not app.exception, app.exception
    return app


def texts(app: AppTest) -> str:
    return " ".join(element.value for kind in (app.title, app.subheader, app.markdown, app.caption, app.info)
                    for element in kind)


def sign_in(app: AppTest, name: str, password: str) -> AppTest:
    """Sign in through the sidebar's form and, as the browser does, fetch the sign-in cookie with the ticket the
    form hands out: Streamlit gives the cookie's claims to st.user."""
    from civsam.auth import redeem_ticket, session_claims
    app.text_input(key="sign_in_name").input(name)
    app.text_input(key="sign_in_password").input(password)
    next(button for button in app.button if button.label == "Logga in").click().run()
    assert not app.exception, app.exception
    if "sign_in_address" in app.session_state:
        ticket = redeem_ticket(parse_qs(urlsplit(app.session_state["sign_in_address"]).query)["biljett"][0], "",
                               time.time())
        app.user = session_claims(ticket, time.time())
        app.run()
    return app


def shown(app: AppTest) -> str:
    """Every text and table cell the page shows."""
    cells = " ".join(frame.value.to_string() for frame in app.dataframe)
    code = " ".join(block.value for block in app.code)
    return " ".join((texts(app), cells, code, *(element.value for element in app.text)))
