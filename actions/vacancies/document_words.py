"""A migration document named in what people type ("jobs for my humanitarian card", "travay ki
aksepte papye m"): which one, or that some document is meant. The buttons of the vacancy flow
filter by document; these words reach the same filter typed, in the five languages."""

from __future__ import annotations

from functools import lru_cache

from bot.nlu.matcher import PhraseSet, find_all, phrases
from bot.nlu.normalize import normalize

# Names of each document (bot/profile.py DOCUMENTS), in every language at once: people mix them.
NAMES: dict[str, tuple[str, ...]] = {
    "tvrh": (
        "tvrh", "tarjeta humanitaria", "visa humanitaria", "tarjeta de visitante por razones humanitarias",
        "kat imanite", "viza imanite", "carte humanitaire", "visa humanitaire", "humanitarian card",
        "humanitarian visa", "cartao humanitario", "visto humanitario",
    ),
    "temporary_resident": (
        "residente temporal", "residencia temporal", "rezidan tanpore", "rezidans tanpore",
        "resident temporaire", "residence temporaire", "temporary resident", "temporary residence",
        "residente temporario", "residencia temporaria",
    ),
    "permanent_resident": (
        "residente permanente", "residencia permanente", "rezidan pemanan", "rezidans pemanan",
        "resident permanent", "residence permanente", "permanent resident", "permanent residence",
    ),
    "comar": ("comar", "constancia de la comar", "constancia de comar", "attestation de la comar"),
    "border_worker": (
        "trabajador fronterizo", "tarjeta de trabajador fronterizo", "travaye fwontye",
        "travailleur frontalier", "border worker", "trabalhador fronteirico",
    ),
}
# Words for "my papers" in general: the document is then the one in the profile, or asked.
GENERAL = (
    "documento", "documentos", "documento migratorio", "papeles", "permiso", "permiso de trabajo",
    "papye", "dokiman", "pemi", "document", "documents", "papiers", "permis", "titre de sejour",
    "papers", "permit", "work permit", "papeis", "permissao", "autorizacao",
)


@lru_cache(maxsize=1)
def _phrases() -> PhraseSet:
    found = [p for doc, names in NAMES.items() for p in phrases(doc, names, 1)]
    return PhraseSet(found + phrases("any", GENERAL))


def document_named(text: str) -> tuple[bool, str | None]:
    """(a document is meant, which one when it is named): "my humanitarian card" -> (True,
    "tvrh"); "jobs that accept my papers" -> (True, None); "cook in Tijuana" -> (False, None)."""
    hits = find_all(normalize(text).split(), _phrases())
    named = {hit.key for hit in hits if hit.key != "any"}
    if len(named) == 1:
        return True, named.pop()
    return bool(hits), None
