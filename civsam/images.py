"""Charts as PNG and SVG images, drawn by kaleido in headless Chromium (Debian's `chromium` package).

The same plotly figures the pages show become the images in downloads and in
the deck. Kaleido keeps one browser running for the whole process, so after
the first image each takes a fraction of a second. Where no browser can be
started, `ImagesUnavailable` says so in Swedish and the rest of civsam works.
"""

import functools
import threading
import warnings

import kaleido
import plotly.graph_objects as go
import plotly.io as pio
from choreographer.browsers.chromium import Chromium

from civsam.charts.maps import fit_map

# A 16:9 image at twice the pixels of a 1280-wide screen: sharp on a projector and in print.
WIDTH, HEIGHT, SCALE = 1280, 720, 2
UNAVAILABLE = ("Diagrammen kan inte sparas som bilder här: webbläsaren Chromium saknas eller går inte att "
               "starta. Installera Debians paket chromium (make test gör det) och försök igen.")

# plotly passes kaleido options that a running server ignores, and warns each time
warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
_server_lock = threading.Lock()
_server_started = False


class ImagesUnavailable(Exception):
    """No browser to draw images with; str(error) says what to install."""


@functools.cache  # every chart on every page asks; a browser installed meanwhile counts after a restart
def available() -> bool:
    """Whether a browser to draw images with is installed (found, not started: that costs seconds)."""
    return Chromium.find_browser(skip_local=True) is not None


def image(figure: go.Figure, image_format: str = "png", *, width: int = WIDTH, height: int = HEIGHT,
          scale: float = SCALE) -> bytes:
    """The figure as PNG or SVG bytes, a map's view fitted to the image's size. Raises ImagesUnavailable when no
    browser can draw it."""
    sized = go.Figure(figure)
    sized.update_layout(width=width, height=height)
    fit_map(sized, width=width - 2 * max(sized.layout.margin.l, sized.layout.margin.r))
    _start_server()
    try:
        return pio.to_image(sized, format=image_format, width=width, height=height, scale=scale)
    except Exception as error:  # kaleido and choreographer raise many kinds when Chromium is missing or dies
        raise ImagesUnavailable(UNAVAILABLE) from error


def _start_server() -> None:
    """One browser for the whole process: starting Chromium costs seconds, an image with it running does not."""
    global _server_started
    with _server_lock:
        if not _server_started:
            try:
                kaleido.start_sync_server(silence_warnings=True)
            except Exception as error:
                raise ImagesUnavailable(UNAVAILABLE) from error
            _server_started = True
