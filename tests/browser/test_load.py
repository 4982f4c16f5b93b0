"""bench/load.py's viewer, against the demo server: it speaks Streamlit's protocol well enough to open the overview
and pick a county, so the benchmark measures what a person would see. Run as the benchmark is run, in a process of
its own: it drives its own asyncio loop, which cannot start inside the loop Playwright's tests keep running here."""

import subprocess
import sys

from .conftest import ROOT


def test_a_viewer_opens_the_overview_and_picks_a_county_without_an_error(demo_server):
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--url", demo_server.url,
                          "--pid", str(demo_server.pid), "--viewers", "1"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    [row] = [line for line in run.stdout.splitlines() if line.startswith("| 1 |")]
    viewers, *seconds, errors, memory, _ = [cell.strip() for cell in row.strip("|").split("|")]
    assert viewers == "1" and errors == "0" and all(float(each) > 0 for each in seconds)
    assert float(memory.split("→")[1]) > 0
