"""civsam's benchmark: import speed and memory, page render times and the deck export, at scale.

    .venv/bin/python bench/run.py            # the full run (about 15 minutes on two cores)
    .venv/bin/python bench/run.py --quick    # smaller sizes, to try the script itself

It writes bench/RESULTS.md with the figures, the machine and the date. Every
figure is the median of several runs in one session; each import runs in a
fresh process on an empty store so its peak memory is its own.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from civsam.reference import MUNICIPALITIES  # noqa: E402  (after the path is set)
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402
from tests.browser.test_pages import CHARTS_DRAWN, DEMO_PAGES, open_app  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
LOAD_SECTION = "## A room full of viewers"  # bench/load.py's results, written by hand: kept when this run rewrites
# each page's file under pages/ and its address; the browser tests know how many charts each draws
PAGES = {"overview": "/", "frequency": "/motesfrekvens", "coverage": "/tackning", "resources": "/resursgap",
         "agreements": "/avtal", "survey": "/partnernas-bild", "organisations": "/organisationer",
         "network": "/natverk", "profile": "/organisation?org=Samforma", "activities": "/aktiviteter",
         "presentation": "/bildspel", "import": "/importera", "activity_form": "/ny-aktivitet"}
CHARTS = {path: charts for path, _, charts in DEMO_PAGES} | {"/organisation?org=Samforma": 1, "/aktiviteter": 0,
                                                            "/ny-aktivitet": 0}
LOG_HEADER = ["Datum", "Typ", "Rubrik", "Organisation", "Sektor", "Kommun", "Timmar", "Deltagare", "Kostnad (kr)",
              "Projekt", "Unga", "Ansvarig", "Kommentar"]
TARGETS = {"import_vs_floor": 2.5, "import_vs_hand_written": 5, "import_memory_mb": 500, "page_ratio": 2,
           "page_seconds": 2}


def write_log(rows: int, path: Path) -> None:
    """An activity log as a coordinator's would look: a dozen columns, a few hundred partners, three years."""
    rng = random.Random(rows)
    partners = [f"Förening {number}" for number in range(300)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Aktiviteter")
    sheet.append(LOG_HEADER)
    first = dt.date(2023, 1, 1)
    for number in range(rows):
        sheet.append([first + dt.timedelta(days=rng.randrange(1000)), rng.choice(["Möte", "Dialog", "Workshop"]),
                      f"Aktivitet {number}", "; ".join(rng.sample(partners, rng.choice((1, 1, 2)))),
                      rng.choice(["Civilsamhälle", "Näringsliv", "Offentlig sektor", "Akademi"]),
                      rng.choice(MUNICIPALITIES).name, rng.choice([1, 1.5, 2, 3]), rng.randint(2, 30),
                      rng.choice([0, 500, 1200]), rng.choice(["", "SESIN", "RUS"]), rng.choice(["Ja", "Nej", ""]),
                      rng.choice(["Person A", "Person B", "Person C"]), ""])
    workbook.save(path)


CHILD = {  # each measured in a fresh Python process: (seconds, peak resident memory in MB)
    "civsam": """
from civsam.db import open_store
from civsam.importing import import_file
engine = open_store(DATABASE)
content = open(LOG, "rb").read()
start = time.perf_counter()
report = import_file(engine, content, "logg.xlsx")
assert report.imported == ROWS, report.to_json()
""",
    "calamine": """
import python_calamine
start = time.perf_counter()
workbook = python_calamine.CalamineWorkbook.from_path(LOG)
cells = [workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names]
""",
    "hand_written": """
import sqlite3
import pandas
start = time.perf_counter()
frame = pandas.read_excel(LOG, engine="openpyxl")
with sqlite3.connect(DATABASE.removeprefix("sqlite:///")) as connection:
    frame.to_sql("activities", connection, index=False)
""",
}


# The child's own peak: VmHWM starts afresh at exec, while getrusage's ru_maxrss keeps the parent's peak.
PEAK_MEMORY = """import time
def peak_megabytes():
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    return int(status.split()[0]) / 1024"""


def measure_child(kind: str, log: Path, rows: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{folder}/bench.db"
        script = (f"{PEAK_MEMORY}\nDATABASE, LOG, ROWS = {database!r}, {str(log)!r}, {rows}\n"
                  + CHILD[kind]
                  + "print(time.perf_counter() - start, peak_megabytes())")
        output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
        seconds, megabytes = output.stdout.split()
        return float(seconds), float(megabytes)


def median_child(kind: str, log: Path, rows: int, runs: int) -> tuple[float, float]:
    results = [measure_child(kind, log, rows) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def browser_renders(database: str, runs: int) -> dict[str, float]:
    """Each page's first render as a person sees it, median seconds: a freshly started server (no cached
    answer), warmed by the Import page so that Python's imports do not count, then the page opened in
    headless Chromium until its script has run and every chart is drawn."""
    from playwright.sync_api import sync_playwright

    samples: dict[str, list[float]] = {page: [] for page in PAGES}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            for page_name, path in PAGES.items():
                with streamlit_server(database, Path(folder)) as server:
                    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="sv-SE")
                    context.set_default_timeout(120_000)
                    tab = context.new_page()
                    open_app(tab, server.url + PAGES["import"])
                    start = time.perf_counter()
                    open_app(tab, server.url + path)
                    tab.wait_for_function(CHARTS_DRAWN, arg=CHARTS[path])
                    samples[page_name].append(time.perf_counter() - start)
                    context.close()
        browser.close()
    return {page: statistics.median(times) for page, times in samples.items()}


def script_renders(database: str, runs: int) -> dict[str, float]:
    """Each page's script run with AppTest (the frame included), median seconds: the Python and SQL part of a first
    render, without the browser. Every cached query result and resource (the charts, the engine, the map's
    geometry) is cleared first, as on a freshly started server: a chart's queries run inside its builder."""
    script = f"""
import json, os, statistics, time
from urllib.parse import parse_qs, urlparse
os.environ["CIVSAM_DATABASE_URL"] = {database!r}
addresses = {PAGES!r}
import streamlit as st
from streamlit.testing.v1 import AppTest
times = {{}}
for page in addresses:
    samples = []
    for _ in range({runs}):
        app = AppTest.from_file("dashboard.py", default_timeout=120)
        app.run()  # the navigation must exist before switching pages
        st.cache_data.clear()
        st.cache_resource.clear()
        app.switch_page(f"pages/{{page}}.py")
        for name, values in parse_qs(urlparse(addresses[page]).query).items():
            app.query_params[name] = values[0]
        start = time.perf_counter()
        app.run()
        samples.append(time.perf_counter() - start)
        assert not app.exception, (page, app.exception)
    times[page] = statistics.median(samples)
print(json.dumps(times))
"""
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def demo_store(folder: Path, activities: int) -> str:
    database = f"sqlite:///{folder / f'demo-{activities}.db'}"
    subprocess.run([sys.executable, "-m", "civsam", "demo", "--activities", str(activities)], cwd=ROOT, check=True,
                   env={**os.environ, "CIVSAM_DATABASE_URL": database}, capture_output=True)
    return database


def deck_export(database: str, folder: Path, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        exported = subprocess.run([sys.executable, "-m", "civsam", "export", "pptx", str(folder / "deck.pptx"),
                                   "--force"],  # each run writes it anew
                                  cwd=ROOT, env={**os.environ, "CIVSAM_DATABASE_URL": database}, capture_output=True,
                                  text=True)
        if exported.returncode:
            raise RuntimeError(f"export pptx exited with {exported.returncode}: {exported.stderr}")
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: try the script, not the targets")
    args = parser.parse_args()
    log_sizes = (1_000, 5_000) if args.quick else (10_000, 100_000)
    store_sizes = (2_000, 20_000) if args.quick else (20_000, 1_000_000)
    runs = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        imports = {}
        for rows in log_sizes:
            log = folder / f"log-{rows}.xlsx"
            write_log(rows, log)
            imports[rows] = {kind: median_child(kind, log, rows, runs) for kind in CHILD}
            print(f"import {rows}: {imports[rows]}", flush=True)
        renders, scripts = {}, {}
        for activities in store_sizes:
            database = demo_store(folder, activities)
            renders[activities] = browser_renders(database, runs)
            scripts[activities] = script_renders(database, runs)
            print(f"pages {activities}: {renders[activities]}, scripts {scripts[activities]}", flush=True)
        deck = deck_export(f"sqlite:///{folder / f'demo-{store_sizes[-1]}.db'}", folder, runs)
        print(f"deck {store_sizes[-1]}: {deck:.1f} s", flush=True)
    earlier = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    kept = "\n" + earlier[earlier.index(LOAD_SECTION):] if LOAD_SECTION in earlier else ""  # after a blank line
    RESULTS.write_text(report(imports, renders, scripts, deck, log_sizes, store_sizes, args.quick) + kept,
                       encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


def spaced(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def page_verdict(renders, small_store: int, big_store: int) -> str:
    missed = [f"{page} {renders[big_store][page]:.2f} s" for page in PAGES
              if renders[big_store][page] >= TARGETS["page_seconds"]
              or renders[big_store][page] > TARGETS["page_ratio"] * renders[small_store][page]]
    return f"missed by {', '.join(missed)}" if missed else f"met by all {len(PAGES)} pages"


def report(imports, renders, scripts, deck, log_sizes, store_sizes, quick) -> str:
    big_log, (small_store, big_store) = log_sizes[-1], store_sizes
    ours, floor, hand = (imports[big_log][kind] for kind in ("civsam", "calamine", "hand_written"))
    lines = [
        "# Benchmark results",
        "",
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}." + (" Quick run: sizes too small for the targets."
                                                                     if quick else ""),
        "Made by `python bench/run.py`; medians of several runs, each import in a fresh process on an empty store.",
        "",
        "## Import of an activity log",
        "",
        "| rows | civsam import | reading every cell (python-calamine, the floor) | pandas/openpyxl + to_sql by hand |"
        " civsam peak memory |",
        "|---|---|---|---|---|",
    ]
    for rows in log_sizes:
        result = imports[rows]
        lines.append(f"| {spaced(rows)} | {result['civsam'][0]:.2f} s | {result['calamine'][0]:.2f} s | "
                     f"{result['hand_written'][0]:.2f} s | {result['civsam'][1]:.0f} MB |")
    lines += [
        "",
        f"At {spaced(big_log)} rows the import takes {ours[0] / floor[0]:.1f}× the floor (target ≤ "
        f"{TARGETS['import_vs_floor']}×), is {hand[0] / ours[0]:.1f}× faster than the hand-written version "
        f"(target ≥ {TARGETS['import_vs_hand_written']}×) and peaks at {ours[1]:.0f} MB (target < "
        f"{TARGETS['import_memory_mb']} MB).",
        "",
        "## First render of each page",
        "",
        "In headless Chromium: a freshly started server (no cached answer), from opening the page's address until",
        "its script has run and every chart is drawn. Beside it the script alone (AppTest, caches cleared): the",
        "Python and SQL part of the same render.",
        "",
        f"| page | {spaced(small_store)} activities | {spaced(big_store)} activities | ratio "
        f"| script at {spaced(small_store)} | script at {spaced(big_store)} |",
        "|---|---|---|---|---|---|",
    ]
    for page in PAGES:
        small, big = renders[small_store][page], renders[big_store][page]
        lines.append(f"| {page} | {small:.2f} s | {big:.2f} s | {big / small:.1f}× | "
                     f"{scripts[small_store][page]:.2f} s | {scripts[big_store][page]:.2f} s |")
    lines += [
        "",
        f"Targets: at {spaced(big_store)} activities each page under {TARGETS['page_seconds']} s (issue 16) and within "
        f"{TARGETS['page_ratio']}× its render at {spaced(small_store)}: "
        f"{page_verdict(renders, small_store, big_store)}.",
        "",
        "## Deck export",
        "",
        f"`python -m civsam export pptx` at {spaced(big_store)} activities: {deck:.1f} s (including Python's "
        "start and Chromium drawing the charts).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
