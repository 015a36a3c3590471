"""Rights topics and the support list: sourced, reviewed, translated, short, and true to MEXICO.md."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.engine import CompiledContent
from bot.engine.model import LocalText, Step
from bot.languages import LANGUAGES
from bot.engine.render import Renderer
from bot.i18n import Formatter

# One phone screen: about 16 lines of 40 characters. Text, source and review date together.
SCREEN_CHARS = 650
# A WhatsApp list item (and a comfortable button) holds 24 characters.
LIST_ITEM_CHARS = 24
# The issue's topics, each a button of the rights menu.
TOPICS = {
    "documents", "curp", "wage", "unpaid", "dismissal", "never_pay", "contract", "hours", "aguinaldo",
    "vacations", "imss", "equal",
}
# Phone numbers MEXICO.md marks unverified (PROFEDET, trafficking line, INM, SNE): never shown.
UNVERIFIED_NUMBERS = ("717 2942", "911 7877", "5533 000", "0046 264", "841 2020")
VERIFIED_NUMBERS = {"800 543 0033", "5262 1490", "0033", "1490"}
PHONE_LIKE = re.compile(r"\d{3,4}[ -]\d{3,4}(?:[ -]\d{3,4})?")


def topics(content: CompiledContent) -> list[Step]:
    """A topic is a step counted in reading statistics."""
    return [s for s in content.flows["rights"].steps.values() if s.track]


def texts_of(step: Step) -> list[LocalText]:
    found = [t for t in (step.say, step.source, step.hint) if t is not None]
    return found + [c.label for c in step.choices]


def test_the_menu_offers_every_topic_of_the_issue(content: CompiledContent) -> None:
    menu = content.step("rights.menu")
    assert {c.id for c in menu.choices} == TOPICS
    main = {c.go for c in content.step("main.menu").choices}
    assert {"rights.menu", "support.menu"} <= main


def test_every_topic_has_a_source_a_review_date_and_every_language(content: CompiledContent) -> None:
    found = topics(content)
    assert len(found) >= len(TOPICS)
    for step in found:
        assert step.source is not None, f"{step.ref} has no source"
        assert step.reviewed is not None, f"{step.ref} has no review date"
        assert dt.date.fromisoformat(step.reviewed) <= dt.date.today(), f"{step.ref}: reviewed in the future"
        for text in texts_of(step):
            for lang in LANGUAGES:
                translated, fell_back = text.get(lang)
                assert translated.strip() and not fell_back, f"{text.ctx} has no {lang} translation"


def test_every_source_names_a_law_and_an_article_or_says_what_is_to_be_confirmed(content: CompiledContent) -> None:
    for step in topics(content):
        source = step.source.source  # type: ignore[union-attr]
        assert re.search(r"\bart(s)?\.|resolución|amparo|reforma|por confirmar", source, re.IGNORECASE), (step.ref, source)


def test_the_minimum_wage_source_says_the_dof_text_is_still_to_be_confirmed(content: CompiledContent) -> None:
    """MEXICO.md: the 2026 amounts come from the national press; staff still confirm the DOF text."""
    step = content.step("rights.wage")
    assert "por confirmar" in step.source.source and "Resolución" not in step.source.source  # type: ignore[union-attr]
    for lang, words in {"ht": "poko konfime", "fr": "à confirmer", "en": "to be confirmed", "pt": "a confirmar"}.items():
        assert words in step.source.get(lang)[0]  # type: ignore[union-attr]


def test_withheld_documents_cite_no_article_of_their_own(content: CompiledContent) -> None:
    """MEXICO.md: no article on withholding identity documents was verified; only general rights are named."""
    step = content.step("rights.documents_kept")
    assert step.source.source == "Ley de Migración, art. 66; Ley Federal del Trabajo, arts. 2 y 3 (derechos generales)"  # type: ignore[union-attr]
    assert "rights.documents_kept" in {c.go for c in content.step("rights.abuse").choices}


def test_dismissal_states_the_deadline_but_not_the_unconfirmed_cap(content: CompiledContent) -> None:
    say = content.step("rights.dismissal").say.source + content.step("rights.final_pay").say.source  # type: ignore[union-attr]
    assert "2 meses" in say and "3 meses" in say and "12 meses" in say and "25%" in say and "12 días" in say
    assert "486" not in say and "486" not in content.step("rights.final_pay").source.source  # type: ignore[union-attr]
    assert "rights.dismissal" in {c.go for c in content.step("rights.unpaid").choices}


def test_the_portuguese_aguinaldo_is_not_called_a_thirteenth_salary(content: CompiledContent) -> None:
    """'13º salário' is a full month in Brazil; the aguinaldo is at least 15 days' pay."""
    for text in texts_of(content.step("rights.aguinaldo")) + [next(c.label for c in content.step("rights.menu").choices if c.id == "aguinaldo")]:
        shown = text.get("pt")[0].lower()
        assert "13" not in shown and "décimo terceiro" not in shown, shown


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_topic_fits_one_screen_with_its_footer(content: CompiledContent, lang: str) -> None:
    render = Renderer(content, Formatter(), lang)
    for step in topics(content) + [content.step("rights.menu"), content.step("support.menu")]:
        text = render.step_text(step, {})
        assert len(text) <= SCREEN_CHARS, f"{step.ref} ({lang}) is {len(text)} characters"
    assert render.fallbacks == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_footer_shows_the_source_and_the_date_in_the_reader_language(
    content: CompiledContent, lang: str
) -> None:
    render = Renderer(content, Formatter(), lang)
    step = content.step("rights.aguinaldo")
    text = render.step_text(step, {})
    source, _ = step.source.get(lang)  # type: ignore[union-attr]
    date = Formatter().date(step.reviewed, lang)  # type: ignore[arg-type]
    assert text.endswith(render.message("source_line", {"source": source}) + "\n"
                         + render.message("reviewed_line", {"date": step.reviewed}))
    assert date in text and "87" in source
    if lang == "es":
        assert text.endswith("Fuente: Ley Federal del Trabajo, art. 87\nRevisado el 25 de noviembre de 2026")


@pytest.mark.parametrize(
    ("lang", "general", "border"),
    [
        ("es", "$315.04", "$440.87"),
        ("ht", "315,04\xa0$MX", "440,87\xa0$MX"),
        ("fr", "315,04\xa0$MX", "440,87\xa0$MX"),
        ("en", "MX$315.04", "MX$440.87"),
        ("pt", "MX$\xa0315,04", "MX$\xa0440,87"),
    ],
)
def test_minimum_wage_2026_is_money_in_the_reader_locale(
    content: CompiledContent, lang: str, general: str, border: str
) -> None:
    assert content.values["minimum_wage_general"] == 315.04  # CONASAMI 2026, general
    assert content.values["minimum_wage_border"] == 440.87   # Zona Libre de la Frontera Norte
    text = Renderer(content, Formatter(), lang).step_text(content.step("rights.wage"), {})
    assert general in text and border in text


def test_the_secondary_law_is_said_to_be_pending_in_every_language(content: CompiledContent) -> None:
    pending = {"es": "ley secundaria", "ht": "lwa segondè", "fr": "loi secondaire",
               "en": "secondary law", "pt": "lei secundária"}
    for ref in ("rights.hours", "rights.overtime"):
        for lang, words in pending.items():
            text, _ = content.step(ref).say.get(lang)  # type: ignore[union-attr]
            assert words in text.lower(), (ref, lang)


def test_no_unverified_phone_number_is_ever_shown(content: CompiledContent) -> None:
    every_text = [t for flow in ("rights", "support") for s in content.flows[flow].steps.values()
                  for t in texts_of(s)]
    every_text += [t for name, t in content.responses.items() if name.startswith(("support", "data."))]
    shown = [t.get(lang)[0] for t in every_text for lang in LANGUAGES]
    for item in content.data["support_places"].items:
        shown += [str(v) for v in item.values() if not isinstance(v, LocalText)]
    for text in shown:
        for number in UNVERIFIED_NUMBERS:
            assert number not in text
        for number in PHONE_LIKE.findall(text):
            assert any(ok in number for ok in VERIFIED_NUMBERS), f"unexpected number {number!r} in {text!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_menu_buttons_fit_a_whatsapp_list(content: CompiledContent, lang: str) -> None:
    for ref in ("rights.menu", "support.menu"):
        for choice in content.step(ref).choices:
            label, _ = choice.label.get(lang)
            assert len(label) <= LIST_ITEM_CHARS, f"{ref}.{choice.id} ({lang}): {label!r}"


def test_support_data_is_one_file_and_each_kind_has_someone(content: CompiledContent) -> None:
    data = content.data["support_places"]
    kinds = {c.id for c in content.step("support.menu").choices}
    offered = {kind for item in data.items for kind in item["kinds"]}
    assert offered == kinds  # a button nobody answers, or a kind nobody can choose, is a mistake
    assert all(isinstance(item["offers"], LocalText) and item["reviewed"] for item in data.items)
    sne = next(i for i in data.items if i["id"] == "sne")
    assert sne["states"] == ("all",) and sne["web"] == "empleo.gob.mx/sne/directorio-de-oficinas-sne"
    assert "phone" not in sne  # the SNE number is unverified
    profedet = next(i for i in data.items if i["id"] == "profedet")
    assert "phone" not in profedet and profedet["web"] == "gob.mx/profedet"
