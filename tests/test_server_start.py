"""Starting the server (Streamlit imports server.py): what every page imports is imported then, before the first
visitor comes, not while the first visitor of a chart, the network or an agreement page waits."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW_TO_IMPORT = ["civsam.builders", "civsam.deck", "civsam.effect", "networkx", "plotly.graph_objects", "scipy.stats",
                  "streamlit.emojis"]
LOADED = f"sorted(module for module in {SLOW_TO_IMPORT!r} if module in sys.modules)"


def test_starting_the_server_imports_what_the_pages_import():
    script = f"import sys; print({LOADED}); import server; print({LOADED})"
    started = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    before, after = started.stdout.splitlines()
    assert before == "[]" and after == str(SLOW_TO_IMPORT)
    assert "No runtime found" not in started.stderr  # Streamlit's check as it decorates a cache, before the server runs
