"""Words around a job search that say nothing about the job ("busco trabajo de ... en ...")."""

from __future__ import annotations

from bot.nlu.normalize import normalize

_WORDS = {
    "es": """a al algo algun alguna ahi ahora alla aqui ayuda bolsa busca buscando buscar busco chamba
        chambas cerca ciudad como con conseguir cual dame de del disponible disponibles donde el ella
        empleo empleos en encontrar entre es esa ese esta estado estoy favor gracias gustaria hay hola
        hoy la las le lo los me mi mis muy necesito o oferta ofertas ofrecen para pero plaza plazas por
        porfavor puesto puestos que quiero quisiera se si sin sobre solicito soy su sus tengo trabaja
        trabajar trabajo trabajos tu un una uno unos vacante vacantes ver y ya yo zona""",
    "ht": """a ak an ap bezwen bonjou chache cheche djob e fe gen genyen jistan job jwenn k kote ki kijan
        la lavil li m mesi mwen nan nou ou pa pou sa se silvouple souple travay travaye vle yo yon zon""",
    "fr": """a au aux besoin bonjour boulot cherche chercher comme d dans de des du emploi emplois en est
        et etat il j je job la le les ma merci mes mon offre offres ou pour pres poste postes recherche
        s suis sur svp travail travailler trouver un une veux ville voudrais vous""",
    "en": """a am an and any are as at city find for get hello hi hiring i im in is job jobs looking look
        m me my near need of offer offers on opening openings or please position positions search
        searching some state the there to vacancies vacancy want with work working""",
    "pt": """a ao cidade como da das de do dos e em emprego empregos encontrar estado eu favor meu minha
        na nas no nos obrigado oi ola ou para perto por pra preciso procurando procurar procuro que
        quero trabalhar trabalho trabalhos um uma vaga vagas""",
}
# The country: "trabajo en México" names no state.
_COMMON = {"mexico", "mx"}

STOPWORDS: frozenset[str] = frozenset(
    {normalize(w) for text in _WORDS.values() for w in text.split()} | _COMMON
)

# State abbreviations (bot/nlu/data/states.yaml) that are also everyday words: "sin experiencia"
# must not mean Sinaloa, nor "ver" Veracruz. A full state or city name still works.
AMBIGUOUS_PLACE_WORDS: frozenset[str] = frozenset(
    {"sin", "son", "ver", "col", "camp", "tab", "mor", "nay", "progreso", "paraiso"}
)
