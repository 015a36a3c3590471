"""The unanswered messages page: editors see them (masked) by language and topic chosen after,
add one as an example of a topic in one click (into the draft); publishing retrains the
classifier, and the next turn understands the words, without a restart."""

from __future__ import annotations

import asyncio

from bot.app import App
from bot.content.nlu_editing import add_example
from tests.support.chat import Chat

WORDS = "zorblat quintapex"


def test_an_editor_adds_a_message_as_an_example_and_publishing_retrains(
    app: App, staff_of, loop: asyncio.AbstractEventLoop, clock  # type: ignore[no-untyped-def]
) -> None:
    chat = Chat(app, loop, clock, user="asks")
    chat.say("hola")
    chat.say("español")
    chat.say(f"{WORDS} 5512345678")
    assert chat.state().step == "main.menu"  # not placed
    editor = staff_of("editor")
    page = editor.get("/admin/unanswered")
    assert WORDS in page.text and "5512345678" not in page.text and "##########" in page.text
    assert editor.get("/admin/unanswered?language=es").status_code == 200
    message_id = page.text.split("/admin/unanswered/")[1].split("/")[0]
    added = editor.post(f"/admin/unanswered/{message_id}/example", {"intent": "support.shelter"})
    assert "Saved in the draft" in added.text
    assert "added to" in editor.get("/admin/unanswered").text
    for word in ("albergue", "dormir"):  # enough examples that the words alone mean a shelter
        with app.db.transaction() as conn:
            pack = app.revisions.working(conn, lock=True)
            app.revisions.save_draft(conn, add_example(pack.source, "es", "support.shelter", f"{WORDS} {word}"),
                                     "test", "content.nlu_example", {})
    assert "Published" in editor.post("/admin/publish", {"message": "examples"}).text
    chat.say("menú")
    chat.say(WORDS)
    assert chat.state().slots.get("support_kind") == "shelter"


def test_a_viewer_and_a_caseworker_cannot_see_people_s_messages(staff_of) -> None:  # type: ignore[no-untyped-def]
    for role in ("viewer", "caseworker"):
        assert staff_of(role).get("/admin/unanswered").status_code == 403
