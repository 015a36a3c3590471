"""Drafts, publishing through the validator, restoring, and running workers switching without a restart."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.app import App, build_app
from bot.content import editing
from bot.engine import CompiledContent
from bot.messages import Inbound
from db import audit
from db.tables import contacts, counters
from tests.support.chat import Chat

STEP = "/admin/content/flows/privacy/steps/summary"
FR_SUMMARY = "privacy.summary.say"


def current(staff, ctx: str, lang: str, page: str = "") -> str:  # type: ignore[no-untyped-def]
    page = staff.get(page or f"/admin/content/flows/{ctx.split('.')[0]}/steps/{ctx.split('.')[1]}").text
    marker = f'name="was:{lang}:{ctx}" value="'
    import html

    return html.unescape(page.split(marker)[1].split('"')[0])


def edit(staff, ctx: str, lang: str, text: str, back: str = STEP):  # type: ignore[no-untyped-def]
    was = current(staff, ctx, lang, back)
    return staff.post("/admin/content/texts", {"back": back, f"{lang}:{ctx}": text, f"was:{lang}:{ctx}": was})


def french_chat(app: App, loop: asyncio.AbstractEventLoop, clock, user: str = "marie") -> Chat:  # type: ignore[no-untyped-def]
    chat = Chat(app, loop, clock, user=user)
    chat.say("hola")
    chat.say("3")  # Français
    return chat


def read_privacy(app: App, loop: asyncio.AbstractEventLoop, clock, user: str) -> str:  # type: ignore[no-untyped-def]
    chat = french_chat(app, loop, clock, user)
    chat.say("mes données")
    return chat.text


def test_an_editor_changes_french_previews_publishes_and_users_see_it_next_message(
    app: App, staff_of, loop: asyncio.AbstractEventLoop, clock, content: CompiledContent  # type: ignore[no-untyped-def]
) -> None:
    assert "Puente ne garde que le nécessaire" in read_privacy(app, loop, clock, "before")
    new = "Puente garde le strict minimum pour vous aider. Écrivez « supprimer mes données » pour tout effacer."
    editor = staff_of("editor")
    assert "Saved in the draft" in edit(editor, FR_SUMMARY, "fr", new).text
    # Not live yet: drafts are invisible to users.
    assert new not in read_privacy(app, loop, clock, "during")
    # Preview in the simulator, in French, on the draft.
    editor.post("/admin/simulator/restart", {"content": "draft", "language": "fr"})
    preview = editor.post("/admin/simulator/send", {"text": "mes données"})
    assert "Puente garde le strict minimum pour vous aider." in preview.text
    published = editor.post("/admin/publish", {"message": "French privacy text"})
    assert "Published: users see the new content" in published.text
    # Another worker, started before the publication, switches on its next turn without a restart.
    other = build_app(app.settings, migrate=False, content=content)
    try:
        assert other.live.content.revision == content.revision
        assert new in read_privacy(other, loop, clock, "on-the-other-worker")
        assert other.live.content.revision == "r1"
    finally:
        other.close()
    assert new in read_privacy(app, loop, clock, "after")
    with app.db.transaction() as conn:
        done = [e["action"] for e in audit.entries(conn)]
    assert "content.edit" in done and "content.publish" in done


def broken_draft(app: App, change) -> None:  # type: ignore[no-untyped-def]
    """A draft the admin's pages would refuse at save (they check every change): stored as a
    draft from an older program, or by `puente content import`, could be."""
    with app.db.transaction() as conn:
        pack = app.revisions.working(conn, lock=True)
        app.revisions.save_draft(conn, change(pack.source), "test", "content.edit", {})


def test_the_validator_refuses_a_broken_draft_with_file_line_and_fix(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    editor.get("/admin/content/flows/main/steps/menu")
    refused = editor.post("/admin/content/flows/main/steps/menu/choices",
                          {"op": "go", "choice": "privacy", "go": "privacyy"})
    assert refused.status_code == 400 and "Nothing was saved" in refused.text
    broken_draft(app, lambda source: editing.set_choice_go(source, "main", "menu", "privacy", "privacyy"))
    editor.get("/admin/publish")
    response = editor.post("/admin/publish", {"message": "typo"})
    assert response.status_code == 422
    assert "nothing was published" in response.text
    assert "dialogs/main.yaml, line " in response.text
    assert "jumps to &#39;privacyy&#39;, which does not exist" in response.text
    assert "How to fix:</em> did you mean &#39;privacy&#39;" in response.text
    with app.db.transaction() as conn:
        from db import revisions

        assert revisions.newest_number(conn) is None
    # A translation that drops a placeholder is refused too, naming the .po file.
    editor.post("/admin/content/flows/main/steps/menu/choices", {"op": "go", "choice": "privacy", "go": "privacy"})
    broken_draft(app, lambda source: editing.set_translation(source, "ht", "system.choose_number", "Chwazi yon nimewo."))
    editor.get("/admin/publish")
    response = editor.post("/admin/publish", {})
    assert response.status_code == 422 and "locales/ht/LC_MESSAGES/messages.po" in response.text
    assert "missing {count}" in response.text


def test_restoring_an_earlier_revision_publishes_it_again(
    app: App, staff_of, loop: asyncio.AbstractEventLoop, clock  # type: ignore[no-untyped-def]
) -> None:
    editor = staff_of("editor")
    for text in ("Version une.", "Version deux."):
        edit(editor, FR_SUMMARY, "fr", text)
        editor.post("/admin/publish", {"message": text})
    assert "Version deux." in read_privacy(app, loop, clock, "one")
    history = editor.get("/admin/revisions").text
    assert "Restore r1" in history and "Restore r2" not in history
    editor.post("/admin/revisions/1/restore")
    assert "Version une." in read_privacy(app, loop, clock, "two")
    assert app.live.content.revision == "r3"
    assert "restored r1" in editor.get("/admin/revisions").text
    assert editor.post("/admin/revisions/99/restore").status_code == 422


def test_spanish_changes_show_translations_as_outdated_until_checked(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    edit(editor, "main.menu.say", "es", "¿Qué necesitas? Elige una opción:", back="/admin/content/flows/main/steps/menu")
    page = editor.get("/admin/content/flows/main/steps/menu").text
    assert page.count('class="lang fuzzy"') == 4
    assert "Written for an older Spanish text: «¿En qué te puedo ayudar? Elige una opción:»" in page
    assert "ht · 1 outdated" in editor.get("/admin/content").text.replace("\n", " ") or "1 outdated" in page
    was = current(editor, "main.menu.say", "fr")
    editor.post("/admin/content/texts", {"back": "/admin/content/flows/main/steps/menu",
                                         "fr:main.menu.say": was, "was:fr:main.menu.say": was, "ok:fr:main.menu.say": "1"})
    page = editor.get("/admin/content/flows/main/steps/menu").text
    assert page.count('class="lang fuzzy"') == 3


def test_a_stale_form_does_not_overwrite_a_colleague(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    first, second = staff_of("editor", "ana"), staff_of("editor", "luis")
    old = current(second, FR_SUMMARY, "fr")
    edit(first, FR_SUMMARY, "fr", "Texte d'Ana.")
    response = second.post("/admin/content/texts", {"back": STEP, f"fr:{FR_SUMMARY}": "Texte de Luis.",
                                                    f"was:fr:{FR_SUMMARY}": old})
    assert response.status_code == 409 and "someone else changed" in response.text
    assert current(first, FR_SUMMARY, "fr") == "Texte d'Ana."


def test_discarding_the_draft_returns_to_the_live_content(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    original = current(editor, FR_SUMMARY, "fr")
    edit(editor, FR_SUMMARY, "fr", "Brouillon.")
    assert "The draft was discarded" in editor.post("/admin/publish/discard").text
    assert current(editor, FR_SUMMARY, "fr") == original
    assert "There is no draft" in editor.post("/admin/publish", {}).text


def test_html_in_content_is_escaped_in_the_admin_and_reaches_users_as_plain_text(
    app: App, staff_of, loop: asyncio.AbstractEventLoop, clock  # type: ignore[no-untyped-def]
) -> None:
    editor = staff_of("editor")
    text = "<b>Attention</b> & <script>alert(1)</script> <a href='x'>lien</a>"
    edit(editor, FR_SUMMARY, "fr", text)
    page = editor.get(STEP).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    editor.post("/admin/publish", {})
    # Channels get the characters as written: no markup is interpreted (sent without parse_mode).
    assert text in read_privacy(app, loop, clock, "html")


def test_the_simulator_never_touches_real_contacts_or_counters(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    viewer = staff_of("viewer")
    page = viewer.post("/admin/simulator/restart", {"content": "live", "language": ""})
    assert "¿En qué idioma quieres que te escriba?" in page.text
    page = viewer.post("/admin/simulator/send", {"choice": "language.pick.ht", "label": "Kreyòl ayisyen"})
    assert "Kijan m ka ede w?" in page.text
    page = viewer.post("/admin/simulator/send", {"text": "1"})  # runs action_show_my_data for real
    assert "Men sa Puente kenbe sou ou kounye a" in page.text or "Puente" in page.text
    page = viewer.post("/admin/simulator/send", {"text": "efase done mwen yo"})
    with app.db.transaction() as conn:
        assert conn.execute(select(func.count()).select_from(contacts)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(counters)).scalar_one() == 0
    # The conversation is kept in the staff session across requests.
    assert "Kijan m ka ede w?" in viewer.get("/admin/simulator").text


def test_the_simulator_shows_why_a_broken_draft_cannot_run(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    broken_draft(app, lambda source: editing.set_choice_go(source, "main", "menu", "privacy", "nowhere"))
    editor.get("/admin/simulator")
    page = editor.post("/admin/simulator/restart", {"content": "draft", "language": "es"})
    assert page.status_code == 422 and "dialogs/main.yaml" in page.text


def test_inbound_during_publication_still_gets_one_revision(app: App, loop: asyncio.AbstractEventLoop) -> None:
    outcome = loop.run_until_complete(app.conversations.handle(Inbound("console", "x", text="hola")))
    assert outcome.replies and not outcome.failed
