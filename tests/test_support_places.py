"""Where to get support: which organizations are shown for a kind and a state, and how."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select as sql_select

from actions.support import select
from bot.action_bridge import ActionBridge
from bot.conversation.drive import drive
from bot.engine import ActionCall, ActionResult, CompiledContent, ConversationState, Engine
from bot.languages import LANGUAGES
from bot.i18n import Formatter
from bot.messages import Inbound
from db.tables import counters
from tests.support.chat import Chat

RECORDS = [
    {"id": "national", "kinds": ("labor",), "states": ("all",)},
    {"id": "capital", "kinds": ("labor", "shelter"), "states": ("09",)},
    {"id": "south", "kinds": ("shelter",), "states": ("07", "09")},
]


def ids(groups: list) -> list[tuple[str, list[str]]]:
    return [(code, [r["id"] for r in members]) for code, members in groups]


def test_the_user_state_first_then_the_country_then_other_states() -> None:
    assert ids(select(RECORDS, "shelter", "07")) == [("07", ["south"]), ("09", ["capital"])]
    assert ids(select(RECORDS, "labor", None)) == [("all", ["national"]), ("09", ["capital"])]
    assert ids(select(RECORDS, None, "09")) == [("09", ["capital", "south"]), ("all", ["national"])]


def test_a_state_without_anyone_is_said_so() -> None:
    assert ids(select(RECORDS, "shelter", "19")) == [("19", []), ("09", ["capital", "south"])]
    # Someone serves the whole country: no "nobody in your state".
    assert ids(select(RECORDS, "labor", "19")) == [("all", ["national"]), ("09", ["capital"])]
    assert ids(select(RECORDS, "women", None)) == []


def at_support(chat: Chat) -> Chat:
    chat.say("hola")
    chat.say("español")
    chat.tap_label("Dónde pedir apoyo")
    assert "¿Qué apoyo buscas?" in chat.text
    return chat


def test_shelters_then_the_user_state(chat: Chat) -> None:
    at_support(chat)
    chat.tap_label("Albergue")
    assert "En Ciudad de México:\n• CAFEMIN" in chat.text
    assert "Dirección: Constantino 251, col. Vallejo" in chat.text
    assert "• Casa Tochan\nAlbergue para hombres. Tiene pocos lugares." in chat.text
    assert "todavía no tenemos uno confirmado" in chat.text  # no phone is verified for them
    assert "Lista revisada el 25 de noviembre de 2026." in chat.text
    assert "PROFEDET" not in chat.text
    chat.tap_label("Elegir mi estado")
    assert "¿En qué estado de México estás?" in chat.text
    chat.say("Narnia")
    assert "No reconocí ese estado." in chat.text and "¿En qué estado de México estás?" in chat.text
    chat.say("estoy en Monterey")
    assert chat.text.startswith("En Nuevo León todavía no tenemos organizaciones de este tipo")
    assert "En Ciudad de México:\n• CAFEMIN" in chat.text
    assert chat.state().slots["profile_state"] == "19"
    chat.tap_label("Otro tipo de apoyo")
    chat.tap_label("Oficinas de empleo (SNE)")
    # The SNE works in every state: no "nobody here" for it, and its directory, not a phone.
    assert chat.text.startswith("En todo el país:\n• Servicio Nacional de Empleo (SNE)")
    assert "Página: empleo.gob.mx/sne/directorio-de-oficinas-sne" in chat.text


@pytest.mark.parametrize(
    ("lang", "kind", "expected"),
    [
        ("ht", "Dwa travayè", ["Nan tout peyi a:", "• PROFEDET", "Paj: gob.mx/profedet", "Telefòn: 800 543 0033"]),
        ("fr", "Femmes et familles", ["À Ciudad de México :", "• CAFEMIN", "Adresse : Constantino 251"]),
        ("en", "Legal advice", ["Across the country:", "Free advice, agreements with the employer", "In Ciudad de México:", "• Sin Fronteras IAP"]),
        ("pt", "Comida e assistência", ["Em Ciudad de México:", "Trabalha com o ACNUR", "Lista revisada em 25 de novembro de 2026."]),
    ],
)
def test_the_list_is_in_the_reader_language(chat: Chat, lang: str, kind: str, expected: list[str]) -> None:
    chat.app.conversations.preset_language("console", chat.user, lang)
    chat.say("menu")
    chat.tap("main.menu.support")  # where to get support
    chat.tap_label(kind)
    for text in expected:
        assert text in chat.text
    assert len(chat.last[0].text) <= 1600  # one WhatsApp message


def test_each_kind_read_is_counted_without_personal_data(chat: Chat) -> None:
    at_support(chat)
    chat.tap_label("Asesoría legal")
    chat.say("albergue")
    with chat.app.db.transaction() as conn:
        rows = conn.execute(sql_select(counters.c.key, counters.c.count).where(counters.c.name == "read")).all()
    assert sorted(rows) == [("support.legal", 1), ("support.shelter", 1)]



class ContentOnly:
    """The part of Services that action_support_places uses: the running content."""

    def __init__(self, content: CompiledContent) -> None:
        self._content = content

    def content(self) -> CompiledContent:
        return self._content


class CountedActions:
    """The real actions, and the names of those a turn called."""

    def __init__(self, bridge: ActionBridge) -> None:
        self.bridge = bridge
        self.calls: list[str] = []

    async def run(self, call: ActionCall, sender_id: str, channel: str = "", phone: str | None = None) -> ActionResult:
        self.calls.append(call.name)
        return await self.bridge.run(call, sender_id, channel, phone)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_list_fits_one_whatsapp_message_in_every_language(
    content: CompiledContent, loop: asyncio.AbstractEventLoop, lang: str
) -> None:
    engine = Engine(content, Formatter())
    bridge = CountedActions(ActionBridge.from_package("actions", ContentOnly(content)))
    for kind in (c.id for c in content.step("support.menu").choices):
        for state in (None, "07", "09"):
            slots = {"language": lang, **({"profile_state": state} if state else {})}
            at = ConversationState(language=lang, step="support.menu", slots=slots, last_seen=0.0)
            calls = len(bridge.calls)
            inbound = Inbound("console", "u", choice_id=f"support.menu.{kind}")
            listed = loop.run_until_complete(drive(engine, bridge, at, inbound, 1.0, contact_id="u"))
            assert len(bridge.calls) == calls + 1  # the list comes from the action
            text = listed.replies[0].text
            assert 0 < len(text) <= 1600, (kind, state, len(text))
            assert not [e for e in listed.events if e[0] == "fallback"], (kind, state)
