"""Bad input to the admin is normal input: a message, a 4xx status, nothing saved, never a 500."""

from __future__ import annotations

import pytest

from bot.app import App
from db import revisions

STEP = "/admin/content/flows/main/steps/menu"


def no_draft(app: App) -> bool:
    with app.db.transaction() as conn:
        return revisions.draft(conn) is None


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"es:main.menu.say": "x" * 4001}, 400, "the most a message can hold is 4000"),
        ({"es:main.menu.say": "   "}, 400, "cannot be empty"),
        ({"fr:main.menu.say": "bad\x07bell"}, 400, "control characters"),
        ({"es:nope.nope.say": "x"}, 400, "there is no text"),
        ({"back": "https://evil.example/"}, 400, "which page it came from"),
    ],
    ids=["too-long", "empty-source", "control", "unknown-text", "foreign-back"],
)
def test_malformed_text_edits_are_refused_with_a_message(app: App, staff_of, fields, status, message) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    editor.get(STEP)
    form = {"back": STEP, **fields}
    for key in list(fields):
        if ":" in key:
            form["was:" + key] = ("¿En qué te puedo ayudar? Elige una opción:" if key.startswith("es:")
                                  else "Comment puis-je vous aider ? Choisissez une option :")
    response = editor.post("/admin/content/texts", form)
    assert response.status_code == status, response.text[:300]
    assert message in response.text
    assert no_draft(app)


def test_an_oversized_form_is_refused_before_it_is_read(app: App, staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    editor.get(STEP)
    response = editor.post("/admin/content/texts", {"back": STEP, "es:main.menu.say": "x" * 300_000})
    assert response.status_code == 413 and "too large" in response.text
    assert no_draft(app)


def test_uploads_and_broken_encodings_are_refused(staff_of) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    editor.get(STEP)
    multipart = editor.client.post("/admin/content/texts", files={"f": ("a.txt", b"x")}, data={"csrf": editor.csrf})
    assert multipart.status_code == 415 and "only ordinary form posts" in multipart.text
    raw = editor.client.post("/admin/content/texts", content=b"csrf=" + editor.csrf.encode() + b"&back=%ff%fe",
                             headers={"content-type": "application/x-www-form-urlencoded"})
    assert raw.status_code == 400 and "not valid UTF-8" in raw.text
    many = "&".join(f"f{i}=1" for i in range(2000))
    flood = editor.client.post("/admin/content/texts", content=many.encode(),
                               headers={"content-type": "application/x-www-form-urlencoded"})
    assert flood.status_code == 400 and "too many fields" in flood.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"op": "add", "choice": "Bad Id!", "label": "x"}, "lowercase letters"),
        ({"op": "add", "choice": "privacy", "label": "x"}, "already a button"),
        ({"op": "explode", "choice": "privacy"}, "unknown button operation"),
        ({"op": "remove", "choice": "ghost"}, "does not exist"),
        ({"op": "go", "choice": "privacy", "go": "a\nb"}, "one line"),
    ],
)
def test_malformed_button_edits_are_refused(app: App, staff_of, fields, message) -> None:  # type: ignore[no-untyped-def]
    editor = staff_of("editor")
    editor.get(STEP)
    response = editor.post(f"{STEP}/choices", fields)
    assert response.status_code == 400 and message in response.text
    assert no_draft(app)


def test_unknown_pages_and_parameters_get_a_plain_answer(staff_of) -> None:  # type: ignore[no-untyped-def]
    viewer = staff_of("viewer")
    assert viewer.get("/admin/content/flows/nope").status_code == 404
    assert viewer.get("/admin/content/flows/main/steps/nope").status_code == 404
    assert viewer.get("/admin/revisions/12345").status_code == 404
    assert viewer.get("/admin/revisions/abc").status_code == 404
    assert viewer.get("/admin?days=abc").status_code == 200
    page = viewer.get("/admin/content?notice=<script>alert(1)</script>")
    assert page.status_code == 200 and "alert(1)" not in page.text
    sim = viewer.post("/admin/simulator/restart", {"content": "other", "language": "xx"})
    assert sim.status_code == 400 and "choose the draft or the live content" in sim.text
    empty = viewer.post("/admin/simulator/send", {"text": "  "})
    assert empty.status_code == 400 and "type a message" in empty.text


def test_a_huge_or_strange_simulator_message_is_just_a_message(staff_of) -> None:  # type: ignore[no-untyped-def]
    viewer = staff_of("viewer")
    viewer.post("/admin/simulator/restart", {"content": "live", "language": "es"})
    for text in ("🙂" * 500, "<b>hola</b>", "x" * 2000):
        page = viewer.post("/admin/simulator/send", {"text": text})
        assert page.status_code == 200
    assert "&lt;b&gt;hola&lt;/b&gt;" in page.text or "<b>hola</b>" not in page.text
    assert viewer.post("/admin/simulator/send", {"text": "x" * 2001}).status_code == 400
