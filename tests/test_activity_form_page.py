"""The form "Ny aktivitet" through AppTest, as a coordinator reaches it: an activity added and undone, a refusal's
messages with the typed values kept, and an activity opened by its id, edited and deleted."""

import pytest
from conftest import activity_log, rows
from pages_support import open_page, texts

from civsam.importing import import_file

pytestmark = pytest.mark.usefixtures("fresh_caches", "today_is_the_demo_day")
REGISTER = activity_log(["2025-03-04", "Samforma", "ideell", "Umeå"], ["2025-03-05", "LKAB", "näringsliv", "Luleå"])


@pytest.fixture
def store(store_url, engine_at):
    engine = engine_at(store_url)
    import_file(engine, REGISTER, "logg.xlsx")
    return engine


def field(app, label: str):
    return next(widget for kind in ("selectbox", "multiselect", "text_input", "date_input", "checkbox", "text_area")
                for widget in app.get(kind) if widget.label == label)


def button(app, label: str):
    return next(widget for widget in app.button if widget.label == label)


def test_a_coordinator_adds_an_activity_and_undoes_it(store):
    app = open_page("activity_form")
    assert app.title[0].value == "Ny aktivitet"
    field(app, "Datum").set_value("2025-06-10")
    field(app, "Organisationer").set_value(["Samforma"])
    field(app, "Kommun").set_value("Lycksele")
    field(app, "Timmar").input("1,5")
    field(app, "Med barn och unga").check()
    button(app, "Spara aktiviteten").click().run()
    assert not app.exception
    assert app.success[0].value == "Aktivitet 3 är sparad som import 2."
    assert rows(store, "SELECT date, municipality_code, hours, youth FROM activities WHERE id = 3") == [
        ("2025-06-10", "2481", 1.5, 1)]
    assert field(app, "Organisationer").value == []  # empty again for the next one
    button(app, "Ångra").click().run()
    assert app.success[0].value == "Import 2 är ångrad."
    assert rows(store, "SELECT COUNT(*) FROM activities") == [(2,)]


def test_a_refusal_shows_the_imports_message_keeps_what_was_typed_and_a_new_organisation_gets_its_sector(store):
    app = open_page("activity_form")
    field(app, "Organisationer").set_value(["Samforma", "Vindelns IF"])
    field(app, "Län (om aktiviteten gäller hela länet)").set_value("Västerbotten")
    field(app, "Rubrik").input("Träff om idrott")
    button(app, "Spara aktiviteten").click().run()
    assert "Aktiviteten sparades inte" in app.error[0].value
    assert "**Sektor**: Vindelns IF finns inte i organisationsregistret" in app.error[0].value
    assert field(app, "Organisationer").value == ["Samforma", "Vindelns IF"]
    assert field(app, "Rubrik").value == "Träff om idrott"
    assert rows(store, "SELECT COUNT(*) FROM activities") == [(2,)]
    field(app, "Sektor (för en ny organisation)").set_value("civil_society")
    button(app, "Spara aktiviteten").click().run()
    assert app.success[0].value.startswith("Aktivitet 3 är sparad")
    assert rows(store, "SELECT sector FROM organisations WHERE name = 'Vindelns IF'") == [("civil_society",)]


def test_an_activity_opened_by_its_id_is_edited_and_then_deleted(store):
    app = open_page("activity_form", id="1")
    assert field(app, "Organisationer").value == ["Samforma"]
    assert field(app, "Kommun").value == "Umeå"
    field(app, "Rubrik").input("Uppföljning")
    field(app, "Timmar").input("2")
    button(app, "Spara ändringar").click().run()
    assert app.success[0].value == "Ändringen av aktivitet 1 är sparad som import 2."
    assert rows(store, "SELECT title, hours FROM activities WHERE id = 1") == [("Uppföljning", 2.0)]
    button(app, "Ta bort").click().run()  # not yet confirmed: nothing happens
    assert "Kryssa i rutan" in app.warning[-1].value
    field(app, "Ja, ta bort aktivitet 1").check()
    button(app, "Ta bort").click().run()
    assert app.success[0].value == "Aktivitet 1 är borttagen (import 3)."
    assert "id" not in app.query_params
    assert rows(store, "SELECT COUNT(*) FROM activities WHERE id = 1") == [(0,)]
    assert "Logga en aktivitet utan arbetsbok" in texts(app)


def test_the_form_is_no_page_of_a_viewers_dashboard(demo_url):
    from civsam.auth import hash_password
    accounts = {"civsam": {"accounts": {"olle": {"password_hash": hash_password("olles lösen")}}}}
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page("activity_form", secrets=accounts)
