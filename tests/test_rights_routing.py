"""Free text finds rights topics and kinds of support, on the first message and mid-conversation."""

from __future__ import annotations

import pytest

from bot.engine import CompiledContent, ConversationState, Engine, Turn
from bot.engine.answers import match_command
from bot.i18n import Formatter
from bot.messages import Inbound

NOW = 1_000_000.0

# (language, what a person types, where it must lead). Support kinds lead to the list of
# organizations with the kind set (support.<kind> only sets it and moves on).
CASES = [
    ("es", "no me pagaron", "rights.unpaid"),
    ("es", "No me han pagado la semana", "rights.unpaid"),
    ("es", "mi patron no me paga desde hace un mes", "rights.unpaid"),
    ("es", "me deben dinero del trabajo", "rights.unpaid"),
    ("es", "salario minimo", "rights.wage"),
    ("es", "¿Cuánto es el salario mínimo?", "rights.wage"),
    ("es", "salrio minimo", "rights.wage"),
    ("es", "sueldo mínimo 2026", "rights.wage"),
    ("es", "necesito permiso de trabajo", "rights.documents"),
    ("es", "¿puedo trabajar con la tarjeta humanitaria?", "rights.documents"),
    ("es", "que documento necesito para trabajar", "rights.documents"),
    ("es", "tengo la constancia de la comar", "rights.asylum"),
    ("es", "como saco la curp", "rights.curp"),
    ("es", "cuando me pagan el aguinaldo", "rights.aguinaldo"),
    ("es", "vacasiones", "rights.vacations"),
    ("es", "cuantas horas extras puedo trabajar", "rights.overtime"),
    ("es", "jornada de trabajo", "rights.hours"),
    ("es", "me quitaron mis papeles", "rights.documents_kept"),
    ("es", "me despidieron y no me dieron nada", "rights.dismissal"),
    ("es", "no me han dado mi finiquito", "rights.final_pay"),
    ("es", "¿dónde puedo dormir esta noche?", "shelter"),
    ("es", "me maltratan en el trabajo", "rights.abuse"),
    ("es", "me piden dinero para trabajar", "rights.never_pay"),
    ("es", "no tengo contrato", "rights.contract"),
    ("es", "no estoy en el seguro social", "rights.imss"),
    ("es", "me discriminan por ser migrante", "rights.equal"),
    ("es", "mis derechos", "rights.menu"),
    ("es", "necesito un albergue", "shelter"),
    ("es", "necesito un abogado", "legal"),
    ("es", "donde pedir apoyo", "support.menu"),
    ("ht", "mwen pa jwenn peye", "rights.unpaid"),
    ("ht", "yo pa peye m", "rights.unpaid"),
    ("ht", "patwon an pa peye m depi 2 semèn", "rights.unpaid"),
    ("ht", "salè minimòm", "rights.wage"),
    ("ht", "sale minimom", "rights.wage"),
    ("ht", "konbyen yo dwe peye m pa jou", "rights.wage"),
    ("ht", "mwen bezwen pèmi travay", "rights.documents"),
    ("ht", "kat imanitè a bon pou travay?", "rights.documents"),
    ("ht", "kijan pou m jwenn curp", "rights.curp"),
    ("ht", "aginaldo", "rights.aguinaldo"),
    ("ht", "vakans", "rights.vacations"),
    ("ht", "lè siplemantè", "rights.overtime"),
    ("ht", "yo pran papye m", "rights.documents_kept"),
    ("ht", "patwon an revoke m", "rights.dismissal"),
    ("ht", "yo menase m", "rights.abuse"),
    ("ht", "yo mande m lajan pou travay", "rights.never_pay"),
    ("ht", "mwen pa gen kontra", "rights.contract"),
    ("ht", "dwa mwen", "rights.menu"),
    ("ht", "mwen bezwen yon avoka", "legal"),
    ("ht", "mwen pa gen kote pou m dòmi", "shelter"),
    ("fr", "on ne m'a pas payé", "rights.unpaid"),
    ("fr", "je n'ai pas été payée depuis un mois", "rights.unpaid"),
    ("fr", "mon patron ne me paie pas", "rights.unpaid"),
    ("fr", "salaire minimum", "rights.wage"),
    ("fr", "quel est le salaire minimum au Mexique ?", "rights.wage"),
    ("fr", "permis de travail", "rights.documents"),
    ("fr", "demande d'asile", "rights.asylum"),
    ("fr", "comment obtenir la curp", "rights.curp"),
    ("fr", "heures supplementaires", "rights.overtime"),
    ("fr", "congés", "rights.vacations"),
    ("fr", "ils ont pris mes papiers", "rights.documents_kept"),
    ("fr", "on m'a licencié sans rien", "rights.dismissal"),
    ("fr", "où dormir ce soir", "shelter"),
    ("fr", "sans contrat", "rights.contract"),
    ("fr", "mes droits", "rights.menu"),
    ("fr", "je cherche un avocat gratuit", "legal"),
    ("fr", "hébergement", "shelter"),
    ("en", "they didn't pay me", "rights.unpaid"),
    ("en", "they didnt pay me for 2 weeks", "rights.unpaid"),
    ("en", "my boss doesn't pay me", "rights.unpaid"),
    ("en", "minimum wage", "rights.wage"),
    ("en", "What is the minimum wage in Mexico?", "rights.wage"),
    ("en", "minimun wage", "rights.wage"),
    ("en", "can i work with the humanitarian visa", "rights.documents"),
    ("en", "work permit", "rights.documents"),
    ("en", "i asked for asylum", "rights.asylum"),
    ("en", "how do i get a curp", "rights.curp"),
    ("en", "overtime", "rights.overtime"),
    ("en", "vacation days", "rights.vacations"),
    ("en", "they took my passport", "rights.documents_kept"),
    ("en", "i got fired last week", "rights.dismissal"),
    ("en", "final pay", "rights.final_pay"),
    ("en", "where can i sleep tonight", "shelter"),
    ("en", "they want a recruitment fee", "rights.never_pay"),
    ("en", "i have no contract", "rights.contract"),
    ("en", "my rights", "rights.menu"),
    ("en", "i need a lawyer", "legal"),
    ("en", "i need a shelter", "shelter"),
    ("pt", "salário mínimo", "rights.wage"),
    ("pt", "qual é o salário mínimo", "rights.wage"),
    ("pt", "não me pagaram", "rights.unpaid"),
    ("pt", "nao me pagaram ainda", "rights.unpaid"),
    ("pt", "meu patrão não me paga", "rights.unpaid"),
    ("pt", "posso trabalhar com o visto humanitário?", "rights.documents"),
    ("pt", "pedi refúgio", "rights.asylum"),
    ("pt", "como tirar a curp", "rights.curp"),
    ("pt", "décimo terceiro", "rights.aguinaldo"),
    ("pt", "férias", "rights.vacations"),
    ("pt", "quanto pagam a hora extra", "rights.overtime"),
    ("pt", "pegaram meus documentos", "rights.documents_kept"),
    ("pt", "fui demitido", "rights.dismissal"),
    ("pt", "estou doente", "rights.health"),
    ("pt", "me pedem dinheiro para trabalhar", "rights.never_pay"),
    ("pt", "não tenho contrato", "rights.contract"),
    ("pt", "meus direitos", "rights.menu"),
    ("pt", "preciso de um advogado", "legal"),
    ("pt", "não tenho onde dormir", "shelter"),
]
IDS = [f"{lang}:{text}" for lang, text, _ in CASES]


@pytest.fixture(scope="module")
def engine(content: CompiledContent) -> Engine:
    return Engine(content, Formatter())


def landed(turn: Turn) -> str:
    """Where the turn left the user: the step it waits at, or the step whose action runs now."""
    return str(turn.state.cursor if turn.action else turn.state.step)


def check(turn: Turn, expected: str) -> None:
    if "." in expected:
        assert landed(turn) == expected
    else:  # a kind of support: the list runs with that kind chosen
        assert landed(turn) == "support.list"
        assert turn.state.slots.get("support_kind") == expected


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=IDS)
def test_first_message_goes_to_the_topic_in_its_language(
    engine: Engine, lang: str, text: str, expected: str
) -> None:
    turn = engine.turn(ConversationState(), Inbound("console", "u", text=text), NOW)
    check(turn, expected)
    assert turn.state.language == lang


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=IDS)
@pytest.mark.parametrize("at", ["main.menu", "privacy.summary", "rights.hours", "support.menu"])
def test_mid_conversation_free_text_goes_to_the_topic(
    engine: Engine, lang: str, text: str, expected: str, at: str
) -> None:
    if expected == "rights.hours" and at == "rights.hours":
        at = "rights.wage"
    state = ConversationState(language=lang, step=at, slots={"language": lang}, last_seen=NOW - 10)
    turn = engine.turn(state, Inbound("console", "u", text=text), NOW)
    check(turn, expected)
    assert turn.state.language == lang


@pytest.mark.parametrize(("lang", "text", "expected"), [c for c in CASES if c[2] == "rights.unpaid"][:1]
                         + [("en", "minimum wage", "rights.wage")])
def test_a_trigger_typed_alone_also_works_at_a_typed_question(
    engine: Engine, lang: str, text: str, expected: str
) -> None:
    """At a question that expects typed words (the state), only the whole phrase leaves it."""
    state = ConversationState(language=lang, step="support.state", slots={"language": lang}, last_seen=NOW)
    assert landed(engine.turn(state, Inbound("console", "u", text=text), NOW)) == expected
    longer = engine.turn(state, Inbound("console", "u", text=f"{text} en Chiapas"), NOW)
    # A longer answer stays an answer to the question: it goes to the state's validation.
    assert longer.action is not None and longer.action.name == "validate_support_form"


def test_the_same_words_in_two_languages_are_read_by_their_accents(engine: Engine) -> None:
    """'salario minimo' is Spanish and Portuguese alike; 'salário' is only Portuguese."""
    plain = engine.turn(ConversationState(), Inbound("console", "u", text="salario minimo"), NOW)
    accented = engine.turn(ConversationState(), Inbound("console", "u", text="salário mínimo"), NOW)
    assert (plain.state.language, accented.state.language) == ("es", "pt")
    hinted = engine.turn(ConversationState(), Inbound("console", "u", text="salario minimo", language_hint="pt"), NOW)
    assert hinted.state.language == "pt"


def test_no_trigger_is_swallowed_by_a_global_command(content: CompiledContent) -> None:
    """Commands are read first: 'ayuda legal' would show the help, never the lawyers."""
    for lang, group in content.triggers.items():
        for phrase in group:
            words = " ".join(phrase.words)
            assert match_command(content, words, lang, strict=False) is None, (lang, words)
