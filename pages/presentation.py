"""Presentation: one chart per screen in large type for a projector, moved with buttons or the arrow
keys, with the filters chosen before entering, and the deck and the report to take home."""

import streamlit as st

from civsam import images, queries
from civsam.deck import deck_bytes
from civsam.i18n import t
from civsam.narrative import comparison_caption
from civsam.presentation import build_story, chart_makers, direct_query, for_projector, overview
from civsam.report import report_bytes
from civsam.ui import link, state, widgets

st.set_page_config(initial_sidebar_state="collapsed")  # the filters stay chosen but out of the way
lang, filters, engine = state.context().lang, state.context().filters, state.engine()
slides = chart_makers(filters, lang, state.query)  # only the slide on the screen asks for its figures
source = state.query(queries.source_facts)
total = len(slides) + 1  # the key figures first
link.linked("bild", link.whole_number(1, total), 1)
number = min(st.session_state["bild"], total)


def story():
    """Everything the deck and the report hold, made when one of them is asked for (on Streamlit's download
    thread, so straight from the store rather than through this session's cache)."""
    return build_story(filters, lang, direct_query(engine))


def move(step: int) -> None:
    st.session_state["bild"] = min(max(st.session_state["bild"] + step, 1), total)


previous, position, following, deck, report = st.columns([1, 1, 1, 2, 2], vertical_alignment="center")
previous.button(t(lang, "previous_slide"), on_click=move, args=(-1,), shortcut="ArrowLeft",
                disabled=number == 1)
position.markdown(t(lang, "slide_of", number=number, total=total), help=t(lang, "keys_help"))
following.button(t(lang, "next_slide"), on_click=move, args=(1,), shortcut="ArrowRight",
                 disabled=number == total)
deck.download_button(t(lang, "download_deck"), widgets.recorded(lambda: deck_bytes(story(), source), "civsam.pptx"),
                     file_name="civsam.pptx",
                     mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                     on_click="ignore", disabled=not images.available(),
                     help=None if images.available() else images.UNAVAILABLE)
report.download_button(t(lang, "download_report"),
                       widgets.recorded(lambda: report_bytes(story(), source), "civsam.xlsx"), file_name="civsam.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
link.keep("bild", number, 1)

if number == 1:
    figures = overview(filters, lang, state.query)
    st.title(t(lang, "page_overview"))
    widgets.key_figures(figures.figures, figures.before, filters, lang)
    st.caption(comparison_caption(filters, lang))
    st.subheader(figures.summary, anchor=False)
else:
    chart = slides[number - 2]()
    st.title(widgets.plain(chart.title), anchor=False)  # no link made of a typed name, not even to itself
    st.plotly_chart(for_projector(chart.figure), key=f"slide_{chart.key}", config=widgets.PLOT_CONFIG,
                    alt=chart.alt_text, theme=None)
    st.caption(widgets.plain(f"{t(lang, 'text_alternative')}: {chart.alt_text}"))
st.page_link("pages/overview.py", label=t(lang, "leave_presentation"), icon=":material/arrow_back:")
