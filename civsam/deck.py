"""The PowerPoint deck politicians take home: `python -m civsam export pptx` and the presentation page.

A title slide with period and source, the key figures, one slide per chart of
the story (civsam.presentation) as a sharp image of the same plotly figure the
page shows, with the finding as title, the numbers behind it in the speaker
notes and a text alternative on the picture (the agreements' slide also says
what each agreement changed, civsam.effect), and a closing slide on how the
data was collected. It never holds a person's name: the story has none.

Every text goes in without control characters (civsam.typed_text), which a slide
cannot hold, and as plain runs: python-pptx makes no link unless asked, and
PowerPoint and LibreOffice do not turn a URL-looking title into one on opening.
"""

import datetime as dt
import io

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from civsam import images
from civsam.formatting import format_number
from civsam.i18n import t
from civsam.narrative import comparison_caption, describe_filters, key_figure_label, percent
from civsam.periods import YEAR_EARLIER
from civsam.presentation import Story, for_projector
from civsam.typed_text import without_control_characters

WIDE = (Inches(13.333), Inches(7.5))  # 16:9
MARGIN = Inches(0.6)
DARK_BLUE = RGBColor(0x1F, 0x4E, 0x79)
TEXT = RGBColor(0x0B, 0x0C, 0x0C)
AGREEMENT_CHART = "agreement_activity"  # its slide also says what each agreement changed
BELOW_CHART = Inches(1.8)  # room under a chart for that text: four agreements' sentences in 14 point
NOTE_ROWS = 40  # a chart's table in the notes: enough to answer a question, short enough to read


def deck_bytes(story: Story, source: dict) -> bytes:
    """The deck as .pptx bytes. `source` is queries.source_facts: imports, last import, demo or not.
    Raises images.ImagesUnavailable when the charts cannot be drawn."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE
    _title_slide(deck, story, source)
    _key_figures_slide(deck, story)
    for chart in story.charts:
        below = "\n".join(story.effects) if chart.key == AGREEMENT_CHART else ""
        _chart_slide(deck, chart.title, images.image(for_projector(chart.figure)), chart.alt_text, chart.data, below)
    _closing_slide(deck, story, source)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _blank(deck):
    return deck.slides.add_slide(deck.slide_layouts[6])


def _text(slide, text: str, top: Emu, height: Emu, size: int, *, bold: bool = False, colour: RGBColor = TEXT,
          left: Emu = MARGIN, width: Emu | None = None):
    box = slide.shapes.add_textbox(left, top, width or (WIDE[0] - 2 * MARGIN), height)
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(without_control_characters(text).split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(size), bold, colour
    return box


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = without_control_characters(text)


def _period(story: Story) -> str:
    return f"{story.filters.start.isoformat()} – {story.filters.end.isoformat()}"


def _title_slide(deck, story: Story, source: dict) -> None:
    slide = _blank(deck)
    lang = story.lang
    _text(slide, t(lang, "deck_title"), Inches(2.2), Inches(1.4), 44, bold=True, colour=DARK_BLUE)
    _text(slide, f"{t(lang, 'period')}: {_period(story)}\n{describe_filters(story.filters, story.lang)}", Inches(3.7),
          Inches(1), 22)
    lines = [t(lang, "deck_source", activities=format_number(source["activities"]),
               imports=t(lang, "imports_in_effect", count=source["imports"]), exported=dt.date.today().isoformat())]
    if source["demo"]:
        lines.append(t(lang, "deck_demo"))
    _text(slide, "\n".join(lines), Inches(5.4), Inches(1.2), 16)
    _notes(slide, "\n".join([story.overview.summary, *lines]))


def _key_figures_slide(deck, story: Story) -> None:
    slide, lang = _blank(deck), story.lang
    figures, before = story.overview.figures, story.overview.before
    _text(slide, t(lang, "page_overview"), Inches(0.4), Inches(0.9), 32, bold=True, colour=DARK_BLUE)
    keys = ("activities", "organisations", "municipalities", "hours")
    labels = {key: key_figure_label(lang, key, story.filters) for key in keys}
    values = [(labels[key], format_number(figures[key])) for key in keys]
    values.append((t(lang, "kpi_youth_share"), percent(figures["youth_share"])))
    width = (WIDE[0] - 2 * MARGIN) / len(values)
    for index, (label, value) in enumerate(values):
        left = MARGIN + int(width * index)
        _text(slide, value, Inches(1.8), Inches(1.1), 36, bold=True, colour=DARK_BLUE, left=left, width=int(width))
        _text(slide, label, Inches(2.9), Inches(0.8), 16, left=left, width=int(width))
    _text(slide, comparison_caption(story.filters, lang), Inches(3.6), Inches(0.5), 14)
    _text(slide, story.overview.summary, Inches(4.2), Inches(2.6), 22)
    compared = "deck_year_earlier" if story.filters.comparison == YEAR_EARLIER else "deck_before"
    lines = [f"{labels[key]}: {format_number(figures[key], 1)} ({t(lang, compared)}: "
             f"{format_number(before[key], 1)})" for key in keys]
    _notes(slide, "\n".join([story.overview.summary, *lines]))


def _chart_slide(deck, title: str, picture: bytes, alt_text: str, data: pd.DataFrame, below: str = "") -> None:
    """The chart under its finding; `below`, if any, in a smaller picture's stead at the foot of the slide and
    first in the notes."""
    slide = _blank(deck)
    _text(slide, title, Inches(0.3), Inches(1.0), 26, bold=True, colour=DARK_BLUE)
    top = Inches(1.35)
    height = WIDE[1] - top - Inches(0.25) - (BELOW_CHART if below else 0)
    width = int(height * images.WIDTH / images.HEIGHT)
    shape = slide.shapes.add_picture(io.BytesIO(picture), int((WIDE[0] - width) / 2), top, width, height)
    # the picture's text alternative, read by screen readers
    shape._element.nvPicPr.cNvPr.set("descr", without_control_characters(alt_text))
    if below:
        _text(slide, below, top + height + Inches(0.1), BELOW_CHART, 14)
    _notes(slide, "\n\n".join(part for part in (below, alt_text, table_as_text(data)) if part))


def table_as_text(data: pd.DataFrame) -> str:
    """A table as lines of text for speaker notes, numbers written the Swedish way."""
    def cell(value) -> str:
        if isinstance(value, float):
            return format_number(value, 1)
        if isinstance(value, int):
            return format_number(value)
        return "" if pd.isna(value) else str(value)

    lines = [" | ".join(str(column) for column in data.columns)]
    lines += [" | ".join(cell(value) for value in row) for row in data.head(NOTE_ROWS).itertuples(index=False)]
    if len(data) > NOTE_ROWS:
        lines.append(f"… ({len(data) - NOTE_ROWS} till)")
    return "\n".join(lines)


def _closing_slide(deck, story: Story, source: dict) -> None:
    slide, lang = _blank(deck), story.lang
    _text(slide, t(lang, "deck_method_title"), Inches(0.4), Inches(0.9), 32, bold=True, colour=DARK_BLUE)
    body = t(lang, "deck_method", imports=t(lang, "imports_in_effect", count=source["imports"]),
             last=source["last_import"] or "–", activities=format_number(source["activities"]))
    _text(slide, body, Inches(1.5), Inches(5.5), 20)
    _notes(slide, body)
