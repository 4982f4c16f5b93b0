"""A room full of viewers: N sessions open the overview at once, then each picks a county (issue 16).

    .venv/bin/python bench/load.py                          # N = 1, 10, 30, 50 on a 20 000-activity demo store
    .venv/bin/python bench/load.py --viewers 10 --database sqlite:///civsam.db
    .venv/bin/python bench/load.py --viewers 30 --url http://127.0.0.1:8501 --pid 4242   # a server already running

Each viewer speaks Streamlit's own WebSocket protocol, as the browser does, without a browser (fifty Chromiums do
not fit beside the server on two cores): it connects to /_stcore/stream, asks for a run of the overview (a
`rerun_script` BackMsg with the page's query string) and reads ForwardMsgs until `script_finished`; then it
changes the county filter as a person does, a rerun carrying the county selectbox's new value (the widget's id
read from the first run's elements), and reads until that run has finished too.

For each N a fresh server starts (unless --url is given), is warmed by one viewer opening the overview (as the
presenter's screen would be, so Python's imports and that view's queries do not count), and its memory (VmRSS)
is read; then the N viewers arrive together. It prints, per N, the median and 95th percentile of the seconds from
asking for a run to its `script_finished`, the errors (a run that fails, shows an exception, does not show the
county chosen, or takes over TIMEOUT seconds), and the server's memory once the N sessions sit idle, less the
memory before they came, per session.
"""

import argparse
import asyncio
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import demo_store  # noqa: E402 (after the path is set)
from civsam.i18n import t  # noqa: E402
from tests.browser.conftest import streamlit_server  # noqa: E402

VIEWERS = (1, 10, 30, 50)
ACTIVITIES = 20_000
COUNTY = "Norrbotten"
TIMEOUT = 120  # seconds a run may take before it counts as an error
IDLE_SECONDS = 5  # the sessions sit idle this long before the server's memory is read


@dataclass
class Run:
    seconds: float = 0.0
    error: str | None = None
    query_string: str = ""
    county_widget: str | None = None  # the id of the county selectbox, as drawn in this run


@dataclass
class Viewer:
    runs: list[Run] = field(default_factory=list)
    page_script_hash: str = ""
    idle: bool = False  # done asking: connected and idle, or gone with an error


async def read_run(connection, viewer: Viewer, request: BackMsg) -> Run:
    """Send `request` and read the server's messages until the run it asked for has finished."""
    run = Run()
    start = time.perf_counter()
    await connection.send(request.SerializeToString())
    while True:
        message = ForwardMsg()
        message.ParseFromString(await connection.recv())
        kind = message.WhichOneof("type")
        if kind == "navigation":
            viewer.page_script_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            run.query_string = message.page_info_changed.query_string
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "exception" and not run.error:
                run.error = f"exception: {element.exception.message}"
            elif element.WhichOneof("type") == "selectbox" and element.selectbox.label == t("sv", "county"):
                run.county_widget = element.selectbox.id
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # the script asked for a rerun: the run goes on
            if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY and not run.error:
                run.error = f"script finished with {ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)}"
            run.seconds = time.perf_counter() - start
            return run


def overview_request() -> BackMsg:
    """The run a browser asks for when it opens the app's address: the overview, with no query string."""
    request = BackMsg()
    request.rerun_script.query_string = ""
    return request


def county_request(viewer: Viewer, opened: Run) -> BackMsg:
    """The rerun a browser sends when the county is chosen: the selectbox's new value (its option's label)."""
    request = BackMsg()
    request.rerun_script.query_string = opened.query_string
    request.rerun_script.page_script_hash = viewer.page_script_hash
    widget = request.rerun_script.widget_states.widgets.add()
    widget.id = opened.county_widget
    widget.string_value = COUNTY
    return request


async def view(viewer: Viewer, url: str, started: asyncio.Event, leave: asyncio.Event,
               choose_county: bool = True) -> None:
    """One viewer: opens the overview, then chooses COUNTY, then stays connected until `leave` is set."""
    address = url.replace("http", "ws", 1) + "/_stcore/stream"
    try:
        async with websockets.connect(address, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT,
                                      ping_interval=None) as connection:
            await started.wait()
            opened = await asyncio.wait_for(read_run(connection, viewer, overview_request()), TIMEOUT)
            viewer.runs.append(opened)
            if choose_county:
                if opened.county_widget is None:
                    viewer.runs.append(Run(error=opened.error or "no county filter on the overview"))
                else:
                    request = county_request(viewer, opened)
                    chosen = await asyncio.wait_for(read_run(connection, viewer, request), TIMEOUT)
                    if not chosen.error and f"lan={COUNTY}" not in chosen.query_string:
                        chosen.error = f"the county was not chosen: ?{chosen.query_string}"
                    viewer.runs.append(chosen)
            viewer.idle = True
            await leave.wait()
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        viewer.runs.append(Run(error=f"{type(error).__name__}: {error}"))
    viewer.idle = True


def resident_megabytes(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


@dataclass
class Result:
    viewers: int
    open_seconds: list[float]
    county_seconds: list[float]
    errors: list[str]
    before_mb: float
    idle_mb: float

    @property
    def all_seconds(self) -> list[float]:
        return self.open_seconds + self.county_seconds

    @property
    def per_session_mb(self) -> float:
        return (self.idle_mb - self.before_mb) / self.viewers


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value that at least `share` of the values do not exceed."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[math.ceil(len(ordered) * share) - 1]


async def room(url: str, pid: int, viewers: int, idle_seconds: float = IDLE_SECONDS) -> Result:
    """Warm the server with one viewer, then let `viewers` arrive together and sit idle for `idle_seconds`."""
    now = asyncio.Event()
    now.set()
    await view(Viewer(), url, now, now, choose_county=False)
    await asyncio.sleep(1)
    before = resident_megabytes(pid)
    started, leave = asyncio.Event(), asyncio.Event()
    crowd = [Viewer() for _ in range(viewers)]
    tasks = [asyncio.create_task(view(viewer, url, started, leave)) for viewer in crowd]
    await asyncio.sleep(1)  # all connected, then all ask at once
    started.set()
    while not all(viewer.idle for viewer in crowd):
        await asyncio.sleep(0.1)
    await asyncio.sleep(idle_seconds)
    idle = resident_megabytes(pid)
    leave.set()
    await asyncio.gather(*tasks)
    runs = [(index, run) for viewer in crowd for index, run in enumerate(viewer.runs)]
    return Result(viewers, [run.seconds for index, run in runs if index == 0 and not run.error],
                  [run.seconds for index, run in runs if index == 1 and not run.error],
                  [run.error for _, run in runs if run.error], before, idle)


def report(result: Result) -> str:
    seconds = result.all_seconds
    return (f"| {result.viewers} | {percentile(seconds, 0.5):.2f} | {percentile(seconds, 0.95):.2f} "
            f"| {percentile(result.open_seconds, 0.95):.2f} | {percentile(result.county_seconds, 0.95):.2f} "
            f"| {len(result.errors)} | {result.before_mb:.0f} → {result.idle_mb:.0f} | {result.per_session_mb:.1f} |")


HEADER = ("| viewers | p50 s | p95 s | p95 opening s | p95 county s | errors | server MB before → idle "
          "| MB per idle session |\n|---|---|---|---|---|---|---|---|")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, nargs="+", default=list(VIEWERS))
    parser.add_argument("--database", help=f"the store to serve (default: a new demo store of {ACTIVITIES} "
                                           "activities)")
    parser.add_argument("--activities", type=int, default=ACTIVITIES, help="the demo store's size")
    parser.add_argument("--url", help="a server already running (then --pid too): it is not restarted between N")
    parser.add_argument("--pid", type=int, help="the running server's process id, for its memory")
    options = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at the start")
    print(HEADER)
    errors = []
    with tempfile.TemporaryDirectory() as folder:
        if not options.url:
            database_url = options.database or demo_store(Path(folder), options.activities)
        for viewers in options.viewers:
            if options.url:
                result = asyncio.run(room(options.url, options.pid, viewers))
            else:
                with streamlit_server(database_url, Path(folder)) as running:
                    result = asyncio.run(room(running.url, running.pid, viewers))
            print(report(result), flush=True)
            errors += result.errors
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at the end")
    for error in sorted(set(errors)):
        print(f"error ({errors.count(error)}×): {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
