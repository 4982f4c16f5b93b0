"""Charts as PNG and SVG images, drawn by kaleido in headless Chromium (Debian's `chromium` package).

The same plotly figures the pages show become the images in downloads and in
the deck. Kaleido keeps one browser running for the whole process, so after
the first image each takes a fraction of a second. Where no browser can be
started, `ImagesUnavailable` says so in Swedish and the rest of civsam works;
where the browser runs but plotly.js cannot draw a figure, it says that instead.
Control characters are taken out of the figure's texts first: plotly.js stops
drawing at one in a title (civsam.typed_text).
"""

import functools
import json
import threading
import warnings

import kaleido
import plotly.graph_objects as go
import plotly.io as pio
from choreographer.browsers.chromium import Chromium
from kaleido.errors import JavascriptError, KaleidoError

from civsam.typed_text import cleaned

# A 16:9 image at twice the pixels of a 1280-wide screen: sharp on a projector and in print.
WIDTH, HEIGHT, SCALE = 1280, 720, 2
UNAVAILABLE = ("Diagrammen kan inte sparas som bilder här: webbläsaren Chromium saknas eller går inte att "
               "starta. Installera Debians paket chromium (make test gör det) och försök igen.")
NOT_DRAWN = ("Diagrammet kunde inte ritas som bild, fast webbläsaren som ritar fungerar. Tabellen bakom det går "
             "fortfarande att ladda ner; meddela den som sköter civsam vilket diagram det gäller.")

# plotly passes kaleido options that a running server ignores, and warns each time
warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
_server_lock = threading.Lock()
_server_started = False


class ImagesUnavailable(Exception):
    """No image: no browser to draw with, or one that could not draw the figure; str(error) says which."""


@functools.cache  # every chart on every page asks; a browser installed meanwhile counts after a restart
def available() -> bool:
    """Whether a browser to draw images with is installed (found, not started: that costs seconds)."""
    return Chromium.find_browser(skip_local=True) is not None


def image(figure: go.Figure, image_format: str = "png", *, width: int = WIDTH, height: int = HEIGHT,
          scale: float = SCALE) -> bytes:
    """The figure as PNG or SVG bytes. Raises ImagesUnavailable when no browser can draw it."""
    sized = go.Figure(figure)
    sized.update_layout(width=width, height=height)
    _start_server()
    try:
        return pio.to_image(drawable(sized), format=image_format, width=width, height=height, scale=scale)
    except (KaleidoError, JavascriptError) as error:  # the browser runs; plotly.js refused the figure
        raise ImagesUnavailable(NOT_DRAWN) from error
    except Exception as error:  # kaleido and choreographer raise many kinds when Chromium is missing or dies
        raise ImagesUnavailable(UNAVAILABLE) from error


def drawable(figure: go.Figure) -> dict:
    """The figure as plotly.js reads it, every text without control characters."""
    def clean(value):
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return cleaned(value)
    return clean(json.loads(figure.to_json()))


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
