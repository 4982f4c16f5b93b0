"""Starting the dashboard: `streamlit run server.py`, the st.App that serves dashboard.py with civsam's sign-in
address and guard (see server.py)."""

import os
import sys

from streamlit.web import cli

from civsam.settings import PROJECT_DIR

# The addresses whose X-Forwarded-For the server (uvicorn) believes: a proxy on this machine, also as the
# IPv4-mapped address it has when Streamlit listens on IPv6 and IPv4 at once (uvicorn's own default misses it).
# FORWARDED_ALLOW_IPS set in the environment wins.
LOCAL_PROXY = "127.0.0.1,::1,::ffff:127.0.0.1"


def serve(streamlit_options: list[str]) -> int:
    """Run the dashboard in this process until it is stopped; options go to `streamlit run`."""
    os.environ.setdefault("FORWARDED_ALLOW_IPS", LOCAL_PROXY)
    sys.argv = ["streamlit", "run", str(PROJECT_DIR / "server.py"), *streamlit_options]
    return cli.main()
