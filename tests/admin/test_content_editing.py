"""Content shaped without YAML: topics and steps added, renamed, moved and removed; trigger words
and example sentences per language; named values and the help flow's places, each with source
and review date. Every save runs the checks of `puente dialogs check` and a refusal names the
field on the page, in the admin's language, never a file and line."""

from __future__ import annotations

import asyncio
import html

from bot.app import App
from bot.content.loader import check_content
from bot.content.source import ContentSource
from db import audit
from db import revisions as store
from tests.support.chat import Chat

STRUCTURE = "/admin/content/flows/rights/structure"
TOPIC_TEXT = ("Por ley, al menos 9 de cada 10 trabajadores de una empresa deben ser mexicanos. "
              "Las personas extranjeras con permiso para trabajar pueden ser contratadas.")


def draft(app: App) -> dict[str, str]:
    with app.db.transaction() as conn:
        found = store.draft(conn)
        assert found is not None, "nothing was saved in the draft"
        return dict(found.files)


def add_topic(editor, step: str = "foreign_quota", say: str = TOPIC_TEXT, then: str = "menu"):  # type: ignore[no-untyped-def]
    editor.get(STRUCTURE)
    return editor.post(STRUCTURE, {"op": "add", "step": step, "say": say, "menu": "menu",
                                   "label": "Trabajadores extranjeros", "then": then,
                                   "source": "Ley Federal del Trabajo, art. 7", "reviewed": "2026-12-05",
                                   "after": "health"})


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The refusal on an error page (the whole page otherwise)."""
    page = html.unescape(response.text)
    marker = '<p class="error" role="alert">'
    return page.split(marker)[1].split("</p>")[0] if marker in page else page


def test_an_editor_adds_a_topic_with_a_button_words_and_examples(
    app: App, staff_of, loop: asyncio.AbstractEventLoop, clock  # type: ignore[no-untyped-def]
) -> None:
    editor = staff_of("editor")
    added = add_topic(editor)
    assert added.status_code == 200 and "Saved in the draft" in added.text
    assert "Trabajadores extranjeros" in added.text  # the new step's page, named by its button
    files = draft(app)
    assert "  - id: foreign_quota\n    track: true\n" in files["dialogs/rights.yaml"]
    assert "go: foreign_quota" in files["dialogs/rights.yaml"]
    # Its texts wait for translators: empty in every other language, never a neighbour's.
    assert 'msgctxt "rights.foreign_quota.say"' in files["locales/ht/LC_MESSAGES/messages.po"]
    words = "/admin/content/flows/rights/steps/foreign_quota/words"
    page = editor.get(words)
    assert 'name="examples:ht" lang="ht"' in page.text and 'name="triggers:es" lang="es"' in page.text
    saved = editor.post(words, {"triggers:es": "trabajadores extranjeros\ncupo de extranjeros",
                                "examples:es": "cuántos extranjeros puede contratar una empresa\n"
                                               "la empresa dice que ya tiene muchos extranjeros",
                                "examples:ht": "konbyen etranje yon konpayi ka anplwaye"})
    assert "Saved in the draft" in saved.text
    files = draft(app)
    assert "triggers:\n      es: [trabajadores extranjeros, cupo de extranjeros]\n    say:" in files["dialogs/rights.yaml"]
    assert "  - intent: rights.foreign_quota\n    examples: |\n      - konbyen etranje yon konpayi ka anplwaye" \
        in files["dialogs/nlu/ht.yaml"]
    assert check_content(ContentSource(files), app.revisions.actions) == []
    assert "2 examples" in editor.get(words).text
    # Published, a person reaches it by its words at once, without a restart.
    editor.get("/admin/publish")
    assert "Published" in editor.post("/admin/publish", {"message": "new topic"}).text
    chat = Chat(app, loop, clock, user="quota")
    chat.say("hola")
    chat.say("español")
    chat.say("cupo de extranjeros")
    # The topic, then (its "Then go to") the rights menu again, with a button to the topic.
    assert "9 de cada 10" in chat.text and "Fuente: Ley Federal del Trabajo, art. 7" in chat.text
    assert chat.state().step == "rights.menu" and "Trabajadores extranjeros" in chat.labels
    with app.db.transaction() as conn:
        assert "content.structure" in [e["action"] for e in audit.entries(conn)]


def test_a_mistyped_target_is_refused_at_save_naming_the_field(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    editor.get("/admin/content/flows/main/steps/menu")
    refused = editor.post("/admin/content/flows/main/steps/menu/choices",
                          {"op": "go", "choice": "privacy", "go": "privacyy"})
    assert refused.status_code == 400
    said = text(refused)
    assert "Nothing was saved" in said and "“Goes to” of the button" in said
    assert "there is no step or conversation called “privacyy”" in said and "Did you mean “privacy”" in said
    assert "dialogs/" not in said and "line " not in said
    # A new topic's "Then go to" is checked the same way; nothing reaches the draft.
    refused = add_topic(editor, then="menuu")
    assert refused.status_code == 400 and "“Then go to” of the step" in text(refused)
    with app.db.transaction() as conn:
        assert store.draft(conn) is None


def test_the_refusal_speaks_spanish_to_a_spanish_account(staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor", language=None)
    editor.get("/admin/content/flows/main/steps/menu")
    refused = text(editor.post("/admin/content/flows/main/steps/menu/choices",
                               {"op": "go", "choice": "privacy", "go": "privacyy"}))
    assert "No se guardó nada" in refused and "«Lleva a» del botón «Mis datos y privacidad»" in refused
    assert "no hay ningún paso ni conversación llamado «privacyy». ¿Quiso decir “privacy”" in refused


def test_a_translation_without_its_placeholder_and_a_long_topic_are_refused_at_save(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    page = editor.get("/admin/content/system").text
    was = html.unescape(page.split('name="was:ht:system.choose_number" value="')[1].split('"')[0])
    refused = editor.post("/admin/content/texts", {"back": "/admin/content/system", "ht:system.choose_number":
                                                   "Chwazi yon nimewo.", "was:ht:system.choose_number": was})
    assert refused.status_code == 400
    assert "The Kreyòl Ayisyen translation of System message “choose_number”: keep {count} exactly as in Spanish" \
        in text(refused)
    long = add_topic(editor, say="Texto largo. " * 60)
    assert long.status_code == 400
    assert "characters long in" in text(long) and "one phone screen holds 650" in text(long)
    with app.db.transaction() as conn:
        assert store.draft(conn) is None


def test_rename_move_and_remove_a_topic(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    editor.get(STRUCTURE)
    renamed = editor.post(STRUCTURE, {"op": "rename", "step": "aguinaldo", "new": "christmas_bonus"})
    assert "Saved in the draft" in renamed.text
    files = draft(app)
    assert "go: christmas_bonus" in files["dialogs/rights.yaml"] and "\n  - id: aguinaldo\n" not in files["dialogs/rights.yaml"]
    # Its translations and examples follow it: nothing to translate again.
    assert 'msgctxt "rights.christmas_bonus.say"' in files["locales/ht/LC_MESSAGES/messages.po"]
    assert "- intent: rights.christmas_bonus" in files["dialogs/nlu/es.yaml"]
    assert "aguinaldo" in editor.get("/admin/content/flows/rights/steps/christmas_bonus").text.lower()
    moved = editor.post(STRUCTURE, {"op": "up", "step": "health"})
    assert "Saved in the draft" in moved.text
    rights = draft(app)["dialogs/rights.yaml"]
    assert rights.index("\n  - id: health\n") < rights.index("\n  - id: equal\n")
    removed = editor.post(STRUCTURE, {"op": "remove", "step": "christmas_bonus"})
    assert "Saved in the draft" in removed.text
    files = draft(app)
    assert "christmas_bonus" not in files["dialogs/rights.yaml"] and "label: Aguinaldo" not in files["dialogs/rights.yaml"] and "christmas_bonus" not in files["dialogs/nlu/es.yaml"]
    # The first step of a conversation stays.
    kept = editor.post(STRUCTURE, {"op": "remove", "step": "menu"})
    assert kept.status_code == 400 and "cannot be removed" in kept.text


def test_named_values_with_source_and_review_date(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    page = editor.get("/admin/content/values")
    assert "minimum_wage_general" in page.text and "315.04" in page.text and "2026-12-05" in page.text
    saved = editor.post("/admin/content/values", {"name": "minimum_wage_general", "value": "320.50",
                                                  "source": "CONASAMI, DOF (prueba)", "reviewed": "2027-01-02"})
    assert "Saved in the draft" in saved.text
    rights = draft(app)["dialogs/rights.yaml"]
    assert "  minimum_wage_general:\n    value: 320.5\n    source: \"CONASAMI, DOF (prueba)\"\n    reviewed: 2027-01-02" in rights
    wrong = editor.post("/admin/content/values", {"name": "minimum_wage_general", "value": "trescientos",
                                                  "source": "x", "reviewed": "2027-01-02"})
    assert wrong.status_code == 400 and "is not a number" in wrong.text


def test_the_help_flow_s_places_are_edited_added_and_removed(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    listing = editor.get("/admin/content/data/support_places")
    assert "Casa Tochan" in listing.text
    item = "/admin/content/data/support_places/items/casa_tochan"
    assert 'name="offers" lang="es"' in editor.get(item).text
    saved = editor.post(item, {"name": "Casa Tochan", "offers": "Albergue para hombres. Tiene pocos lugares.",
                               "kinds": "shelter", "states": "Ciudad de México, Chiapas", "reviewed": "2026-12-05",
                               "source": "llamada al albergue"})
    assert "Saved in the draft" in saved.text
    places = draft(app)["dialogs/support_places.yaml"]
    assert "states: [Ciudad de México, Chiapas]\n    reviewed: 2026-12-05\n    source: llamada al albergue" in places
    wrong = editor.post(item, {"name": "Casa Tochan", "offers": "Albergue.", "kinds": "shelter",
                               "states": "Narnia", "reviewed": "2026-12-05"})
    assert wrong.status_code == 400 and "Casa Tochan" in text(wrong) and "'Narnia' is not a Mexican state" in text(wrong)
    added = editor.post("/admin/content/data/support_places", {
        "item": "casa_prueba", "name": "Casa de Prueba", "offers": "Albergue para familias.", "kinds": "shelter",
        "states": "Chiapas", "reviewed": "2026-12-05"})
    assert "Saved in the draft" in added.text and "Casa de Prueba" in added.text
    removed = editor.post("/admin/content/data/support_places/items/casa_prueba", {"op": "remove"})
    assert "casa_prueba" not in draft(app)["dialogs/support_places.yaml"] and removed.status_code == 200


def test_a_viewer_reads_the_new_pages_without_forms(staff_of) -> None:  # type: ignore[no-untyped-def]
    viewer = staff_of("viewer")
    for path in (STRUCTURE, "/admin/content/flows/rights/steps/wage/words", "/admin/content/values",
                 "/admin/content/data/support_places/items/sne"):
        page = viewer.get(path)
        assert page.status_code == 200 and "Save in the draft" not in page.text and "Add a topic" not in page.text
