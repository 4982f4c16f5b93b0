"""Starting the dashboard: `streamlit run dashboard.py`, with Streamlit's old pages-folder mode off.

Streamlit 1.67 runs the first session after a start as an old-style multipage
app whenever a pages/ folder exists, although dashboard.py uses st.navigation;
only that call turns the old mode off, for good. So the first visitor to open
a link such as /tackning met a "Page not found" dialog. Turning the mode off
before the server starts makes the first session like every other
(tests/browser checks it on a freshly started server).
"""

import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from civsam.settings import PROJECT_DIR


def serve(streamlit_options: list[str]) -> int:
    """Run the dashboard in this process until it is stopped; options go to `streamlit run`."""
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(PROJECT_DIR / "dashboard.py"), *streamlit_options]
    return cli.main()
