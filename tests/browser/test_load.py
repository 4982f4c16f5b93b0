"""bench/load.py's viewer, against the demo server: it speaks Streamlit's protocol well enough to open the overview
and pick a county, so the benchmark measures what a person would see."""

import asyncio
import importlib.util

from .conftest import ROOT

SPEC = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
load = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(load)


def test_a_viewer_opens_the_overview_and_picks_a_county_without_an_error(demo_server):
    result = asyncio.run(load.room(demo_server.url, demo_server.pid, 1, idle_seconds=0))
    assert result.errors == []
    assert len(result.open_seconds) == len(result.county_seconds) == 1
    assert result.idle_mb > 0
