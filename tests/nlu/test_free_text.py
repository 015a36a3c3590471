"""Free text as people write it reaches the right place (issue 15's defects, sentences written
for this test, not taken from tests/nlu/heldout), in five languages: unpaid wages phrased
naturally, money asked for a job, a passport kept, fired without the final pay, a place to
sleep tonight, mistreated for one's colour, 12 hours a day, left out of the IMSS. Played
through the Engine with the trained models, as a first message and at the main menu.

Reaching the place is landing on it, or (a sentence about two topics) being offered it as the
first "did you mean" button; at least 90% of the cases must land directly."""

from __future__ import annotations

import pytest

from bot.engine import CompiledContent, ConversationState, Engine, Turn
from bot.engine.guesses import GUESS_PAYLOAD
from bot.i18n import Formatter
from bot.messages import Inbound
from bot.nlu.understanding import Understanding

NOW = 1_000_000.0

CASES = [
    # unpaid wages, phrased naturally
    ("es", "ya van dos semanas y el señor de la obra sigue sin darme mi raya", "rights.unpaid"),
    ("ht", "bòs la poko ban m kòb semèn pase a ni sa a", "rights.unpaid"),
    ("fr", "mon employeur ne m'a rien versé depuis quinze jours", "rights.unpaid"),
    ("en", "the guy i work for keeps saying next week but i still haven't got my money", "rights.unpaid"),
    ("pt", "o dono da loja está me enrolando e não paga meu salário faz um mês", "rights.unpaid"),
    # money asked for a job
    ("es", "un señor me pide 2000 pesos para meterme a trabajar en una fabrica", "rights.never_pay"),
    ("ht", "yon nèg mande m peye 1500 pou l jwenn yon travay pou mwen", "rights.never_pay"),
    ("fr", "une agence veut que je paie des frais pour me placer dans un emploi", "rights.never_pay"),
    ("en", "a recruiter says i have to pay him first to get me the job", "rights.never_pay"),
    ("pt", "um cara quer que eu pague uma taxa para me arrumar emprego", "rights.never_pay"),
    # passport kept
    ("es", "la patrona se quedó con mi pasaporte y no me lo quiere regresar", "rights.documents_kept"),
    ("ht", "patwon an kenbe paspò m nan e li refize remèt li", "rights.documents_kept"),
    ("fr", "mon patron garde mon passeport et refuse de me le rendre", "rights.documents_kept"),
    ("en", "my employer is holding on to my passport and won't give it back", "rights.documents_kept"),
    ("pt", "meu patrão ficou com o meu passaporte e não devolve", "rights.documents_kept"),
    # fired without the final pay
    ("es", "me corrieron de la empresa y no me dieron ni un peso de finiquito", "rights.dismissal"),
    ("ht", "yo revoke m nan travay la epi yo pa ban m kòb ki rete yo", "rights.dismissal"),
    ("fr", "j'ai été renvoyé du jour au lendemain sans mon solde de tout compte", "rights.dismissal"),
    ("en", "they let me go yesterday and never gave me my last paycheck", "rights.dismissal"),
    ("pt", "fui mandado embora e não me pagaram a rescisão", "rights.dismissal"),
    # a place to sleep tonight
    ("es", "no tengo donde pasar la noche hoy, hay algun albergue", "shelter"),
    ("ht", "mwen pa gen kote pou m pase nwit la jodi a", "shelter"),
    ("fr", "je n'ai nulle part où dormir cette nuit", "shelter"),
    ("en", "i have nowhere to stay tonight, is there a shelter", "shelter"),
    ("pt", "não tenho onde passar a noite hoje", "shelter"),
    # mistreated for one's colour
    ("es", "en mi trabajo me hacen menos por ser moreno", "rights.equal"),
    ("ht", "yo maltrete m nan travay la paske m nwa", "rights.equal"),
    ("fr", "on me maltraite au travail à cause de ma peau noire", "rights.equal"),
    ("en", "my coworkers treat me badly because of my dark skin", "rights.equal"),
    ("pt", "no serviço me tratam mal por causa da minha cor", "rights.equal"),
    # 12 hours a day
    ("es", "me tienen trabajando 12 horas diarias, eso se puede", "rights.hours"),
    ("ht", "yo fè m travay 12 èdtan chak jou, èske yo gen dwa", "rights.hours"),
    ("fr", "je fais des journées de 12 heures, est-ce permis", "rights.hours"),
    ("en", "is it allowed to make me work 12 hours every day", "rights.hours"),
    ("pt", "trabalho 12 horas todo dia, isso é permitido", "rights.hours"),
    # left out of the IMSS
    ("es", "mi jefe nunca me inscribió en el imss y ya llevo un año ahí", "rights.imss"),
    ("ht", "patwon an pa janm mete m nan imss la", "rights.imss"),
    ("fr", "mon patron ne m'a jamais inscrit à l'imss", "rights.imss"),
    ("en", "my boss never signed me up for imss", "rights.imss"),
    ("pt", "meu chefe nunca me registrou no imss", "rights.imss"),
]
IDS = [f"{lang}:{expected}:{text[:30]}" for lang, text, expected in CASES]


@pytest.fixture(scope="module")
def engine(content: CompiledContent, understanding: Understanding) -> Engine:
    return Engine(content, Formatter(), understanding=understanding)


def landed(turn: Turn) -> str:
    offered = [c.id for r in turn.replies for c in r.choices if c.id.startswith(GUESS_PAYLOAD)]
    if offered:
        return "offered:" + offered[0][len(GUESS_PAYLOAD):]
    place = str(turn.state.cursor if turn.action else turn.state.step)
    if place == "support.list":
        return str(turn.state.slots.get("support_kind"))
    return "rights.dismissal" if place == "rights.final_pay" else place


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=IDS)
def test_a_first_message_reaches_the_topic_in_its_language(
    engine: Engine, lang: str, text: str, expected: str
) -> None:
    turn = engine.turn(ConversationState(), Inbound("console", "u", text=text), NOW)
    assert landed(turn) in (expected, "offered:" + _intent(expected))
    assert turn.state.language == lang


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=IDS)
def test_at_the_main_menu_the_same_words_reach_the_topic(
    engine: Engine, lang: str, text: str, expected: str
) -> None:
    state = ConversationState(language=lang, step="main.menu", slots={"language": lang}, last_seen=NOW - 10)
    turn = engine.turn(state, Inbound("console", "u", text=text), NOW)
    assert landed(turn) in (expected, "offered:" + _intent(expected))


def _intent(expected: str) -> str:
    return expected if "." in expected else f"support.{expected}"


def test_most_of_them_land_without_a_question(engine: Engine) -> None:
    direct = sum(
        landed(engine.turn(ConversationState(), Inbound("console", "u", text=text), NOW)) == expected
        for _, text, expected in CASES
    )
    assert direct >= 0.9 * len(CASES)
