"""civsam's web server: Streamlit serving the frame (dashboard.py) as an st.App, with civsam's sign-in address and
its guard in front (civsam.ui.server). `python -m civsam serve` runs `streamlit run server.py`.

Streamlit 1.67 runs the first session after a start as an old-style multipage app whenever a pages/ folder
exists, although dashboard.py uses st.navigation; only that call turns the old mode off, for good. So the first
visitor to open a link such as /tackning met a "Page not found" dialog. Turning the mode off before the server
starts makes the first session like every other (tests/browser checks it on a freshly started server).
The pages' imports run here too, before the first visitor comes (civsam.ui.server.preload).
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from civsam.ui.server import Guard, preload, routes

PagesManager.uses_pages_directory = False
preload(Path(__file__).with_name("pages"))
app = st.App("dashboard.py", routes=routes(), middleware=[Middleware(Guard)])
