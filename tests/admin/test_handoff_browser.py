"""The caseworkers' inbox in a real browser (Debian's Chromium through Playwright, as
test_browser.py): people who asked for a person on Telegram and WhatsApp reach the queue of the
organization they came through; its caseworker sees them and answers from the page, and the
fake Bot API and the fake Twilio receive the replies; a caseworker of another organization sees
none of them; on WhatsApp, 24 hours after the person's last message, the page explains that only
a template may open the conversation and offers no reply box."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
import uvicorn
from playwright.sync_api import expect
from sqlalchemy import update

from bot.app import App, build_app
from bot.messages import Inbound
from bot.settings import PROJECT_ROOT, Settings
from bot.web.app import create_web_app
from db import handoffs, organizations
from db import staff as staff_store
from db.tables import contacts
from tests.admin.live_server import chromium, free_port
from tests.channels.fakes import ACCOUNT_SID, AUTH_TOKEN, BOT_TOKEN, WHATSAPP_FROM, FakePlatforms
from tests.support.serving import ServerThread

pytestmark = pytest.mark.browser

PASSWORD = "a long staff passphrase"
TELEGRAM_USER = "70001"
WHATSAPP_USER = "whatsapp:+5215512345678"
WHATSAPP_LATE = "whatsapp:+5215587654321"


def person_asks(app: App, channel: str, user: str, code: str, words: str) -> None:
    """Arrives with the organization's code, picks Spanish, asks for a person, writes."""
    async def turns() -> None:
        for number, fields in enumerate(({"is_start": True, "referral": code}, {"text": "español"},
                                         {"text": "persona"}, {"text": words})):
            inbound = Inbound(channel, user, external_id=f"{user}-{number}", **fields)  # type: ignore[arg-type]
            await app.conversations.handle(inbound)

    # On a thread of its own: the test process may have an event loop running already.
    worker = threading.Thread(target=asyncio.run, args=(turns(),))
    worker.start()
    worker.join()


@pytest.fixture
def platforms() -> Iterator[FakePlatforms]:
    fake = FakePlatforms()
    with ServerThread(fake.app) as server:
        fake.url = server.url  # type: ignore[attr-defined]
        yield fake


@pytest.fixture
def server(tmp_path: Path, platforms: FakePlatforms) -> Iterator[tuple[str, App]]:
    settings = Settings.from_mapping({
        "DATABASE_URL": f"sqlite:///{tmp_path}/handoffs.db", "CONTENT_DIR": str(PROJECT_ROOT),
        "PUBLIC_URL": "https://puente.example", "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": platforms.url, "TWILIO_ACCOUNT_SID": ACCOUNT_SID,  # type: ignore[attr-defined]
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
        "TWILIO_API_URL": platforms.url, "WEB_JOBS": "0",  # type: ignore[attr-defined]
    })
    app = build_app(settings)
    web = create_web_app(app)
    now = dt.datetime.now(dt.UTC)
    with app.db.transaction() as conn:
        for login, code, name in (("carla", "casa-tochan", "Casa Tochan"), ("otto", "otra-casa", "Otra casa")):
            app.admin.accounts.add(conn, login, "caseworker", PASSWORD, "test", now)  # type: ignore[attr-defined]
            organization = organizations.add(conn, code, name, "shelter", now)
            staff_store.change(conn, staff_store.by_login(conn, login).id,  # type: ignore[union-attr]
                               organization_id=organization, language="en")
    person_asks(app, "telegram", TELEGRAM_USER, "casa-tochan", "Necesito ayuda con mi permiso de trabajo")
    person_asks(app, "whatsapp", WHATSAPP_USER, "casa-tochan", "No me pagaron la semana")
    person_asks(app, "whatsapp", WHATSAPP_LATE, "casa-tochan", "Hola, sigo esperando")
    long_ago = now - dt.timedelta(hours=30)
    with app.db.transaction() as conn:
        late = conn.execute(contacts.select().where(contacts.c.referral == "casa-tochan")
                            .order_by(contacts.c.id.desc())).first()
        conn.execute(update(contacts).where(contacts.c.id == late.id).values(last_inbound_at=long_ago))
        conn.execute(update(handoffs.handoff_messages).where(handoffs.handoff_messages.c.contact_id == late.id)
                     .values(created_at=long_ago))
        conn.execute(update(handoffs.handoffs).where(handoffs.handoffs.c.contact_id == late.id)
                     .values(opened_at=long_ago))
    platforms.reset()
    port = free_port()
    uvicorn_server = uvicorn.Server(uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    uvicorn_server.should_exit = True
    thread.join(timeout=10)
    app.close()


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def log_in(browser, base: str, login: str):  # type: ignore[no-untyped-def]
    tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    tab.set_default_timeout(15_000)
    tab.goto(f"{base}/admin/login")
    tab.fill("#login", login)
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(f"{base}/admin")
    return tab


def open_conversation(tab, words: str) -> None:  # type: ignore[no-untyped-def]
    """Opens, from the list, the conversation that shows `words`. The list is read once it has
    loaded (counting rows while the click's page was still loading found none, on a busy
    machine), and each conversation is opened by its link's address (going back could show
    the list as it was before, in another order)."""
    tab.locator("nav").get_by_role("link", name="Conversations").click()
    tab.wait_for_url("**/admin/handoffs")
    links = tab.locator("tbody tr").get_by_role("link")
    for href in [links.nth(index).get_attribute("href") for index in range(links.count())]:
        tab.goto(urljoin(tab.url, href))
        if words in tab.inner_text(".handoff-messages"):
            return
    raise AssertionError(f"no conversation with {words!r}")


def test_a_caseworker_answers_on_telegram_and_whatsapp_and_not_after_the_window(  # type: ignore[no-untyped-def]
    browser, server: tuple[str, App], platforms: FakePlatforms, tmp_path: Path,
) -> None:
    base, app = server
    tab = log_in(browser, base, "carla")
    # The menu's count arrives without a reload (admin.js polls /admin/handoffs/count.json).
    # (A locator assertion, not wait_for_function: a string predicate is eval'd in the page when
    # it polls, which the admin's Content-Security-Policy refuses.)
    expect(tab.locator("[data-handoff-count]")).to_have_text("3", timeout=15_000)
    tab.locator("nav").get_by_role("link", name="Conversations").click()
    listing = tab.inner_text("table")
    assert listing.count("Casa Tochan") == 3 and "telegram" in listing and "whatsapp" in listing
    assert "Español" in listing and "main.menu" in listing

    # Telegram: the reply reaches the fake Bot API in the person's chat.
    open_conversation(tab, "permiso de trabajo")
    tab.fill("#reply-text", "Hola, soy Carla de Casa Tochan. ¿Qué tipo de permiso tienes?")
    tab.get_by_role("button", name="Send").click()
    assert "Sent: the reply is on its way to the person." in tab.inner_text("main")
    sent = platforms.sent("sendMessage", chat_id=TELEGRAM_USER)
    assert [c.params["text"] for c in sent] == ["Hola, soy Carla de Casa Tochan. ¿Qué tipo de permiso tienes?"]
    assert "reply by carla" in tab.inner_text(".handoff-messages")

    # WhatsApp, inside the 24 hours: the reply reaches the fake Twilio.
    open_conversation(tab, "No me pagaron")
    tab.fill("#reply-text", "Te ayudamos: ¿en qué ciudad trabajas?")
    tab.get_by_role("button", name="Send").click()
    assert "Sent: the reply is on its way to the person." in tab.inner_text("main")
    twilio = platforms.sent("Messages")
    assert any(c.params.get("To") == WHATSAPP_USER and c.params.get("Body") == "Te ayudamos: ¿en qué ciudad trabajas?"
               for c in twilio), twilio

    # WhatsApp, 30 hours after the person's last message: explained before typing, no reply box.
    open_conversation(tab, "sigo esperando")
    assert "only an approved template" in tab.inner_text("#window-closed")
    assert tab.locator("#reply-text").count() == 0
    tab.screenshot(path=str(tmp_path / "window-closed.png"), full_page=True)

    # Closing asks the Telegram person whether it helped.
    open_conversation(tab, "permiso de trabajo")
    tab.select_option("#outcome", "answered")
    tab.get_by_role("button", name="Close the conversation").click()
    assert "The conversation is closed" in tab.inner_text("main")
    asked = platforms.sent("sendMessage", chat_id=TELEGRAM_USER)
    assert "¿Te ayudó?" in asked[-1].params["text"]

    # A caseworker of another organization sees none of Casa Tochan's conversations.
    other = log_in(browser, base, "otto")
    other.locator("nav").get_by_role("link", name="Conversations").click()
    assert "Nobody is waiting." in other.inner_text("table")
    with app.db.transaction() as conn:
        first = handoffs.open_list(conn, handoffs.handoffs.c.id.is_not(None))[0]
    refused = other.request.get(f"{base}/admin/handoffs/{first.id}")
    assert refused.status == 404 and "sigo esperando" not in refused.text() and "No me pagaron" not in refused.text()
