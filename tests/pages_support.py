"""Opening a page as a user reaches it, for the AppTest page tests (test_pages, test_agreements_page). Their
fixtures (store_url, demo_url, engine_at, fresh_caches, today_is_the_demo_day) are in conftest.py."""

from pathlib import Path

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


def texts(app: AppTest) -> str:
    return " ".join(element.value for kind in (app.title, app.subheader, app.markdown, app.caption, app.info)
                    for element in kind)
