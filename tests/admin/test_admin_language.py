"""The admin in the staff's language: Spanish by default and for a Mexican browser, English by
the browser or the account's choice; role names, notices, form errors and error pages (404, 413,
503) in that language and the admin's layout; times in the account's zone, written with Babel."""

from __future__ import annotations

import datetime as dt

import pytest
from starlette.requests import Request
from starlette.testclient import TestClient

from bot.app import App
from bot.web.admin import preferences
from bot.web.admin.site import Admin
from tests.admin.conftest import StaffClient


def lang_of(page: str) -> str:
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("accept", "lang", "heading"),
    [("", "es", "Iniciar sesión"), ("es-MX,es;q=0.9,en;q=0.8", "es", "Iniciar sesión"),
     ("en-US,en;q=0.9", "en", "Log in"), ("fr-FR,fr;q=0.9", "es", "Iniciar sesión"),
     ("en;q=0.4,es;q=0.8", "es", "Iniciar sesión"), ("pt-BR,en-GB;q=0.7", "en", "Log in")],
)
def test_before_login_the_browser_picks_spanish_or_english(app: App, admin_site: Admin, accept: str, lang: str,
                                                           heading: str) -> None:
    with TestClient(app._web, headers={"Accept-Language": accept} if accept else {}) as client:  # type: ignore[attr-defined]
        page = client.get("/admin/login").text
    assert lang_of(page) == lang and f"<h1>{heading}</h1>" in page


def test_an_account_without_a_choice_gets_spanish_everywhere(staff_of) -> None:  # type: ignore[no-untyped-def]
    boss = staff_of("admin", language=None)
    page = boss.get("/admin").text
    assert lang_of(page) == "es" and "<h1>Tablero</h1>" in page and ">Contenido</a>" in page
    staff = boss.get("/admin/staff").text
    assert "Gestor(a) de casos" in staff and "Administrador(a)" in staff
    assert "ver los registros de las personas (cada consulta queda en la bitácora)" in staff
    assert "Caseworker" not in staff
    boss.get("/admin/account")
    refused = boss.post("/admin/account", {"current": "wrong", "new": "x" * 12, "again": "x" * 12})
    assert refused.status_code == 400 and "Su contraseña actual no es correcta." in refused.text
    audit = boss.get("/admin/audit").text
    assert "Inició sesión" in audit and "<code>staff.login</code>" in audit


def test_the_account_page_switches_language_and_time_zone(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    viewer = staff_of("viewer", language=None)
    viewer.get("/admin/account")
    english = viewer.post("/admin/account/preferences", {"language": "en", "time_zone": "America/Cancun"})
    assert lang_of(english.text) == "en" and "Your language and time zone were saved." in english.text
    assert '<option value="America/Cancun" selected>' in english.text
    spanish = viewer.post("/admin/account/preferences", {"language": "es", "time_zone": "America/Mexico_City"})
    assert lang_of(spanish.text) == "es" and "Se guardaron su idioma y su zona horaria." in spanish.text
    for form, message in (({"language": "fr", "time_zone": "UTC"}, "Elija un idioma de la lista."),
                          ({"language": "es", "time_zone": "Europe/Atlantis"}, "Elija una zona horaria de la lista.")):
        refused = viewer.post("/admin/account/preferences", form)
        assert refused.status_code == 400 and message in refused.text


def test_times_are_in_the_accounts_zone_and_language() -> None:
    moment = dt.datetime(2026, 12, 3, 15, 5, tzinfo=dt.UTC)
    with preferences.in_force("es"):
        shown = preferences.when(moment).replace("\u202f", " ")
        assert ">3 dic 2026, 9:05 a.m.</time>" in shown and 'datetime="2026-12-03T15:05:00Z"' in shown
        assert preferences.day(dt.date(2026, 11, 30)) == "30 nov 2026"
        assert preferences.number(12345.5) == "12,345.5"
        assert preferences.when(None) == "nunca"
    with preferences.in_force("en", "America/Tijuana"):
        assert ">Dec 3, 2026, 7:05 AM</time>" in preferences.when(moment).replace("\u202f", " ")
    with preferences.in_force("en", "UTC"):
        assert ">Dec 3, 2026, 3:05 PM</time>" in preferences.when(moment).replace("\u202f", " ")


def test_form_errors_are_sentences_in_spanish_that_name_the_field(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    from tests.admin.test_vacancy_pages import form_of, offer, stored

    [vacancy_id] = stored(app, offer("1", "Ayudante de albañil"))
    editor = staff_of("editor", language=None)
    form = form_of(editor.get(f"/admin/vacancies/{vacancy_id}").text)
    response = editor.post(f"/admin/vacancies/{vacancy_id}", {**form, "title": "ab", "salary_min": "mucho"})
    assert response.status_code == 400
    assert "«Título»: escriba al menos 3 caracteres." in response.text
    assert "«Pago desde (MXN)»: escriba una cantidad en pesos, como 2500 o 2500.50." in response.text
    assert "should" not in response.text


def test_an_unknown_address_gets_a_styled_page_in_the_visitors_language(app: App, admin_site: Admin,
                                                                       anonymous: StaffClient, staff_of) -> None:  # type: ignore[no-untyped-def]
    response = anonymous.client.get("/admin/no/such/page")
    assert response.status_code == 404 and lang_of(response.text) == "en"
    assert "<h1>Page not found</h1>" in response.text and 'href="/admin/static/admin.css"' in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    editor = staff_of("editor", language=None)
    page = editor.get("/admin/contenido")
    assert page.status_code == 404 and "<h1>Página no encontrada</h1>" in page.text
    assert ">Contenido</a>" in page.text  # the menu of a logged-in person
    assert anonymous.client.get("/admin/logout").status_code == 405  # a known address, another method
    assert anonymous.client.get("/healthz").status_code == 200  # outside the admin: untouched
    assert anonymous.client.get("/nothing-here").status_code == 404


def test_a_too_large_form_gets_a_styled_413(staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor", language=None)
    editor.get("/admin/content")
    response = editor.post("/admin/content/texts", {"back": "/admin/content", "es:x": "x" * 300_000})
    assert response.status_code == 413
    assert "<h1>Demasiado grande</h1>" in response.text and "el formulario es demasiado grande" in response.text


def test_the_503_page_for_a_database_that_does_not_answer(admin_site: Admin) -> None:
    scope = {"type": "http", "method": "GET", "path": "/admin/content", "query_string": b"",
             "headers": [(b"accept-language", b"es-MX,es;q=0.9")]}
    response = admin_site.unavailable(Request(scope))
    body = response.body.decode()
    assert response.status_code == 503 and response.headers["retry-after"] == "30"
    assert "<h1>No disponible por el momento</h1>" in body and "La base de datos no responde." in body
    assert 'href="/admin/static/admin.css"' in body and "Cerrar sesión" not in body
    assert response.headers["cache-control"] == "no-store"
