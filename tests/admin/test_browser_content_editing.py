"""An editor shapes content in Debian's Chromium without YAML: adds a rights topic with its text,
source, review date and a button in the rights menu, gives it trigger words and example
sentences (Spanish and Haitian Creole), tries it in the simulator, publishes it, and a person
in a console chat finds it by free text at once, without a restart. A mistyped button target is
refused at save, naming the field."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from tests.admin.live_server import PASSWORD, chromium, new_tab, serving
from tests.support.chat import Chat
from tests.support.clock import FakeClock

# The classifier is trained twice (the draft in the simulator, the published revision): about
# 6 s each on an idle machine, several times that beside other test workers.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(400)]

TOPIC = ("Por ley, al menos 9 de cada 10 trabajadores de una empresa deben ser mexicanos. "
         "Si tienes permiso para trabajar, pueden contratarte.")
SPANISH_EXAMPLES = [
    "cuántos extranjeros puede contratar una empresa",
    "la empresa dice que ya tiene muchos extranjeros",
    "hay un límite de trabajadores extranjeros en una empresa",
    "no me contratan porque ya tienen muchos extranjeros",
    "cuantos trabajadores extranjeros puede tener un patron",
]
CREOLE_EXAMPLE = "konbyen etranje yon konpayi ka anplwaye"
ASKED = "la empresa ya tiene muchos extranjeros y no me quiere contratar"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, App]]:
    with serving(tmp_path, {"edith": "editor"}) as served:
        yield served


@pytest.fixture
def page(site: tuple[str, App]) -> Iterator[Any]:
    with chromium() as browser:
        tab = new_tab(browser)
        # Publishing and the simulator's first message train the classifier (seconds on a busy machine).
        tab.set_default_timeout(60_000)
        yield tab


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/admin/login")
    page.fill("#login", "edith")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_an_editor_adds_a_topic_tries_it_publishes_it_and_people_find_it(page: Any, site: tuple[str, App]) -> None:
    base, app = site
    log_in(page, base)
    page.goto(f"{base}/admin/content")
    page.get_by_role("link", name="Mis derechos en el trabajo").click()
    page.get_by_role("link", name="Add, rename, reorder or remove steps and topics").click()
    page.fill("#topic-step", "foreign_quota")
    page.fill("#topic-say", TOPIC)
    page.fill("#topic-source", "Ley Federal del Trabajo, art. 7")
    page.fill("#topic-label", "Trabajadores extranjeros")
    assert page.input_value("#topic-then") == "menu"
    page.get_by_role("button", name="Add to the draft").click()
    assert "Saved in the draft" in page.inner_text("main")
    assert page.get_by_role("heading", name="Step «Trabajadores extranjeros»").is_visible()

    page.get_by_role("link", name="Trigger words and example sentences").click()
    assert page.get_attribute("#examples-ht", "lang") == "ht"
    page.fill("#triggers-es", "trabajadores extranjeros\ncupo de extranjeros")
    page.fill("#examples-es", "\n".join(SPANISH_EXAMPLES))
    page.fill("#examples-ht", CREOLE_EXAMPLE)
    page.get_by_role("button", name="Save in the draft").click()
    assert "Saved in the draft" in page.inner_text("main")
    assert page.input_value("#examples-ht") == CREOLE_EXAMPLE

    # The draft in the simulator: the classifier learns the new examples there already.
    page.goto(f"{base}/admin/simulator")
    page.select_option("#content", "draft")
    page.select_option("#language", "es")
    page.get_by_role("button", name="Start a new conversation").click()
    page.fill(".send input[name=text]", ASKED)
    page.get_by_role("button", name="Send").click()
    assert "9 de cada 10" in page.inner_text(".bubbles")

    # A typo in where the new button goes is refused at save, naming the field.
    page.goto(f"{base}/admin/content/flows/rights/steps/menu")
    box = "input[aria-label=\"Where 'foreign_quota' goes\"]"
    page.fill(box, "foreign_quotaa")
    page.locator(f"form:has({box}) button").click()
    refusal = page.inner_text(".error")
    assert "Nothing was saved" in refusal and "“Goes to” of the button “Trabajadores extranjeros”" in refusal
    assert "Did you mean “foreign_quota”" in refusal and "dialogs/" not in refusal

    page.goto(f"{base}/admin/publish")
    assert "The draft passes every check." in page.inner_text("main")
    page.get_by_role("button", name="Publish").click()
    assert "Published" in page.inner_text("main")

    # A person writing to the bot (the app's conversation, in process) finds it by free text.
    # Playwright's sync API keeps an event loop on this thread: the chats run on another one.
    with ThreadPoolExecutor(1) as other:
        spanish, creole = other.submit(chats, app).result(timeout=120)
    assert "9 de cada 10" in spanish and "Ley Federal del Trabajo, art. 7" in spanish
    assert "9 de cada 10" in creole  # in Spanish until a translator writes the Creole


def chats(app: App) -> tuple[str, str]:
    """What a Spanish speaker's sentence and a Creole speaker's trigger words are answered."""
    loop = asyncio.new_event_loop()
    try:
        spanish = Chat(app, loop, FakeClock(), user="asks-about-quota")
        spanish.say("hola")
        spanish.say("español")
        spanish.say(ASKED)
        creole = Chat(app, loop, FakeClock(), user="mande-sou-kota")
        creole.say("bonjou")
        creole.say("kreyòl")
        creole.say("trabajadores extranjeros")
        return spanish.text, creole.text
    finally:
        loop.close()
