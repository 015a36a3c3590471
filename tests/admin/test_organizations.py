"""Organizations in the admin: administrators add and edit them (checked codes, a place of the
help flow, every change audited) and choose each account's organization; caseworkers see only
their own, read-only; each organization's referral links and posters carry its code."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from html import unescape
from urllib.parse import unquote

import pytest
from reportlab.pdfbase import pdfmetrics
from sqlalchemy import insert, select

from bot.app import App
from bot.settings import PROJECT_ROOT, Settings
from bot.web.admin import poster
from db import audit, counters
from db import organizations as store
from db.tables import contacts
from tests.support.qr import codes_in_pdf, codes_in_png, page_count, pdf_text

WA_FROM = "whatsapp:+14155238886"
FORM = {"name": "Albergue Belén", "code": "Albergue-Tapachula ", "kind": "shelter", "place": "sin_fronteras"}
WHATSAPP_LINK = "https://wa.me/14155238886?text=Hola%2C%20vengo%20de%20%23albergue-tapachula"
TELEGRAM_LINK = "https://t.me/PuenteMxBot?start=albergue-tapachula"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings.from_mapping({"DATABASE_URL": database_url, "CONTENT_DIR": str(PROJECT_ROOT),
                                  "TELEGRAM_BOT_USERNAME": "PuenteMxBot", "TWILIO_WHATSAPP_FROM": WA_FROM})


def actions(app: App, prefix: str) -> list[tuple[str, dict]]:
    with app.db.transaction() as conn:
        return [(e["action"], e["detail"]) for e in reversed(audit.entries(conn)) if e["action"].startswith(prefix)]


def stored(app: App) -> list[store.Organization]:
    with app.db.transaction() as conn:
        return store.all_organizations(conn)


def add(staff, **changes: str):  # type: ignore[no-untyped-def]
    staff.get("/admin/organizations")
    return staff.post("/admin/organizations", {**FORM, **changes})


def test_an_administrator_adds_an_organization_with_its_place_links_and_posters(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin = staff_of("admin")
    listing = admin.get("/admin/organizations")
    # The help flow's places are offered, and those without an organization are listed.
    assert "Sin Fronteras IAP" in listing.text and "/admin/organizations?place=casa_tochan#add" in listing.text
    page = add(admin)
    assert page.status_code == 200 and "The organization was saved." in page.text
    [organization] = stored(app)
    assert (organization.code, organization.name, organization.kind, organization.place) == (
        "albergue-tapachula", "Albergue Belén", "shelter", "sin_fronteras")
    assert "Apoyo legal y psicológico" in page.text  # its place, as the bot describes it
    assert WHATSAPP_LINK.replace("&", "&amp;") in page.text and TELEGRAM_LINK in page.text
    assert "Hola, vengo de #albergue-tapachula" in unquote(WHATSAPP_LINK)
    assert actions(app, "organizations.") == [
        ("organizations.add", {"code": "albergue-tapachula", "kind": "shelter", "place": "sin_fronteras"})]
    # The place is no longer offered as one without an organization.
    assert "?place=sin_fronteras#add" not in admin.get("/admin/organizations").text


def test_a_place_of_the_help_flow_prefills_the_form(staff_of) -> None:  # type: ignore[no-untyped-def]
    page = staff_of("admin").get("/admin/organizations?place=casa_tochan").text
    assert 'value="Casa Tochan"' in page and '<option value="casa_tochan" selected>' in page


@pytest.mark.parametrize(("changes", "reason"), [
    ({"code": "a b"}, "a code is 2 to 32 lowercase letters"),
    ({"code": "x"}, "a code is 2 to 32 lowercase letters"),
    ({"code": "none"}, "stands for no organization"),
    ({"name": "   "}, "a name has 1 to 200 characters"),
    ({"kind": "bank"}, "kind must be one of"),
    ({"place": "atlantis"}, "choose a place from the list"),
])
def test_a_bad_organization_is_refused_with_the_reason(app: App, staff_of, changes: dict, reason: str) -> None:  # type: ignore[no-untyped-def]
    response = add(staff_of("admin"), **changes)
    assert response.status_code == 400 and reason in response.text
    assert stored(app) == [] and actions(app, "organizations.") == []
    # What was typed is kept in the form.
    assert 'value="Albergue Belén"' in response.text or changes.get("name")


def test_a_code_or_a_place_of_another_organization_is_refused(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin = staff_of("admin")
    add(admin)
    taken = add(admin, name="Otra casa", place="")
    assert taken.status_code == 400 and "the code 'albergue-tapachula' is taken" in unescape(taken.text)
    shared = add(admin, name="Otra casa", code="otra-casa")
    assert shared.status_code == 400 and "already Albergue Belén's" in unescape(shared.text)
    assert [o.code for o in stored(app)] == ["albergue-tapachula"]


def test_edits_are_audited_and_the_code_is_fixed_once_someone_arrived_with_it(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin = staff_of("admin")
    add(admin)
    [organization] = stored(app)
    url = f"/admin/organizations/{organization.id}"
    changed = admin.post(url, {**FORM, "code": "belen", "name": "Albergue Belén (Tapachula)", "place": ""})
    assert changed.status_code == 200 and "The organization was saved." in changed.text
    assert actions(app, "organizations.change") == [("organizations.change", {"code": "belen", "changed": {
        "code": ["albergue-tapachula", "belen"], "name": ["Albergue Belén", "Albergue Belén (Tapachula)"],
        "place": ["sin_fronteras", None]}})]
    # A person arrives with the code: from now on it stays.
    with app.db.transaction() as conn:
        conn.execute(insert(contacts).values(referral="belen", opted_out=False, created_at=dt.datetime.now(dt.UTC)))
    page = admin.get(url)
    assert '<input type="text" id="code" name="code" value="belen" readonly>' in page.text
    refused = admin.post(url, {**FORM, "code": "belen-2", "name": "Albergue Belén (Tapachula)", "place": ""})
    assert refused.status_code == 400 and "The code cannot change any more" in refused.text
    assert stored(app)[0].code == "belen"
    # Saving without a change writes no audit entry.
    admin.post(url, {**FORM, "code": "belen", "name": "Albergue Belén (Tapachula)", "place": ""})
    assert len(actions(app, "organizations.change")) == 1


def test_accounts_get_an_organization_and_caseworkers_see_only_theirs_read_only(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin = staff_of("admin")
    add(admin)
    [organization] = stored(app)
    caseworker = staff_of("caseworker")
    # Without an organization there is no page of one to show.
    assert "Your account belongs to no organization" in caseworker.get("/admin/organizations").text
    staff_page = admin.get("/admin/staff")
    assert f'<option value="{organization.id}">Albergue Belén</option>' in staff_page.text
    caseworker_id = staff_page.text.split('aria-label="Organization of caseworker.user"')[0].rsplit(
        'action="/admin/staff/', 1)[1].split('"', 1)[0]
    set_it = admin.post(f"/admin/staff/{caseworker_id}", {"op": "organization", "organization": str(organization.id)})
    assert set_it.status_code == 200 and "The account was changed." in set_it.text
    assert ("staff.organization", {"login": "caseworker.user", "organization": "albergue-tapachula"}) in actions(
        app, "staff.organization")
    # The caseworker's menu leads to their organization's page: read-only, with its links.
    own = caseworker.get("/admin/organizations")
    assert str(own.url).endswith(f"/admin/organizations/{organization.id}")
    assert "Albergue Belén" in own.text and TELEGRAM_LINK in own.text and "caseworker.user" in own.text
    assert f'action="/admin/organizations/{organization.id}"' not in own.text
    refused = caseworker.post(f"/admin/organizations/{organization.id}", {**FORM, "name": "Mine now"})
    assert refused.status_code == 403 and stored(app)[0].name == "Albergue Belén"
    # Back to the network: no organization's page any more.
    admin.post(f"/admin/staff/{caseworker_id}", {"op": "organization", "organization": ""})
    assert caseworker.get(f"/admin/organizations/{organization.id}").status_code == 403
    # An organization that does not exist cannot be chosen.
    bad = admin.post(f"/admin/staff/{caseworker_id}", {"op": "organization", "organization": "999"})
    assert bad.status_code == 400 and "choose an organization from the list" in bad.text


def test_a_new_account_can_start_in_an_organization(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin = staff_of("admin")
    add(admin)
    [organization] = stored(app)
    admin.get("/admin/staff")
    made = admin.post("/admin/staff", {"login": "ana.caseworker", "role": "caseworker",
                                       "organization": str(organization.id)})
    assert made.status_code == 200 and "ana.caseworker" in made.text
    with app.db.transaction() as conn:
        account = store.members(conn, organization.id)
    assert [a.login for a in account] == ["ana.caseworker"]
    assert actions(app, "staff.")[-1] == ("staff.organization", {"login": "ana.caseworker",
                                                                 "organization": "albergue-tapachula"})


def test_posters_carry_the_organizations_link_in_png_and_pdf(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    admin = staff_of("admin")
    add(admin)
    [organization] = stored(app)
    base = f"/admin/organizations/{organization.id}/poster"
    png = admin.get(f"{base}.png?channel=whatsapp")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert 'filename="puente-albergue-tapachula-whatsapp.png"' in png.headers["content-disposition"]
    assert codes_in_png(png.content) == [WHATSAPP_LINK]
    pdf = admin.get(f"{base}.pdf?channel=telegram")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert codes_in_pdf(pdf.content) == [TELEGRAM_LINK] and page_count(pdf.content) == 1
    text = pdf_text(pdf.content)
    # The five languages, as the content says them, with their accents.
    for line in ("Escanea el código para empezar", "Eskane kòd la pou kòmanse", "Scannez le code pour commencer",
                 "Scan the code to start", "Escaneie o código para começar", "Albergue Belén", "/start albergue-tapachula"):
        assert line in " ".join(text.split()), line
    assert admin.get(f"{base}.png?channel=signal").status_code == 404


def test_the_posters_font_has_every_letter_of_the_five_languages(content) -> None:  # type: ignore[no-untyped-def]
    poster.width_of("x", 10)  # registers the font
    letters = set("éèòãçêôõàâîïûüñáíóú") | set("".join(
        content.messages["poster_line"].get(lang)[0] for lang in content.languages))
    for bold in (False, True):
        face = pdfmetrics.getFont(poster.FONT_NAMES[bold]).face
        missing = {c for c in letters if not c.isspace() and ord(c) not in face.charToGlyph}
        assert missing == set(), (bold, missing)


def test_without_a_channel_setting_there_is_no_link_and_the_page_says_why(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    app.settings = Settings.from_mapping({"DATABASE_URL": app.settings.database_url, "CONTENT_DIR": str(PROJECT_ROOT)})
    admin = staff_of("admin")
    add(admin)
    [organization] = stored(app)
    page = admin.get(f"/admin/organizations/{organization.id}")
    assert "No link can be made yet" in page.text and "TWILIO_WHATSAPP_FROM" in page.text
    assert admin.get(f"/admin/organizations/{organization.id}/poster.pdf?channel=whatsapp").status_code == 404


def test_no_page_for_an_organization_that_does_not_exist(staff_of) -> None:  # type: ignore[no-untyped-def]
    assert staff_of("admin").get("/admin/organizations/999").status_code == 404


def test_a_code_is_in_use_once_someone_arrived_with_it_or_figures_count_it(app: App) -> None:
    today = dt.date.today()
    with app.db.transaction() as conn:
        assert store.code_in_use(conn, "albergue") is False
        conn.execute(insert(contacts).values(referral="albergue", opted_out=False, created_at=dt.datetime.now(dt.UTC)))
        counters.bump(conn, today, Counter({("handoff_rating", "casa_1:yes"): 1, ("read", "casa_2:x"): 1}))
        assert store.code_in_use(conn, "albergue") is True
        assert store.code_in_use(conn, "albergue-2") is False
        assert store.code_in_use(conn, "casa_1") is True
        # Another counter with that prefix says nothing about organizations; "_" is no wildcard.
        assert store.code_in_use(conn, "casa_2") is False
        assert store.code_in_use(conn, "casa-1") is False
