"""Starting the dashboard: `streamlit run server.py`, the st.App that serves dashboard.py with civsam's sign-in
address and guard (see server.py)."""

import sys

from streamlit.web import cli

from civsam.settings import PROJECT_DIR


def serve(streamlit_options: list[str]) -> int:
    """Run the dashboard in this process until it is stopped; options go to `streamlit run`."""
    sys.argv = ["streamlit", "run", str(PROJECT_DIR / "server.py"), *streamlit_options]
    return cli.main()
