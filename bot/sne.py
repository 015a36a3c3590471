"""The employment service's (SNE) vocabulary: education catalogue, documents, privacy notice version.

Ids are what slots and the registrations table store; the Spanish names are what the export
gives the SNE. Users read the translated labels of dialogs/registration.yaml instead.
"""

from __future__ import annotations

from bot.vocabulary import DOCUMENTS

# Raise this whenever the text of registration.consent changes: people who accepted an older
# notice are asked again before their registration is changed. The fingerprint is the SHA-256
# of the Spanish text; tests/test_registration_consent.py fails when the text changes without
# both being updated.
PRIVACY_NOTICE_VERSION = "2026-11-1"
PRIVACY_NOTICE_SHA256 = "afc6cc037a7447e1f08b61bacb9c5a3b65e59a2c6c28efe63bccd40a7b75952e"

# SNE education catalogue, in its order (MEXICO.md).
EDUCATION: dict[str, str] = {
    "none": "Sin instrucción",
    "read_write": "Sabe leer y escribir",
    "primary": "Primaria",
    "secondary": "Secundaria",
    "commercial": "Carrera comercial",
    "technical": "Carrera técnica",
    "professional_technician": "Profesional técnico",
    "high_school": "Preparatoria o vocacional",
    "tsu": "Técnico Superior Universitario",
    "bachelor": "Licenciatura",
    "master": "Maestría",
    "doctorate": "Doctorado",
}

# Official Spanish names of the migration documents of bot/vocabulary.py.
DOCUMENT_NAMES: dict[str, str] = {
    "tvrh": "Tarjeta de Visitante por Razones Humanitarias",
    "temporary_resident": "Residente temporal",
    "permanent_resident": "Residente permanente",
    "comar": "Constancia de trámite de la COMAR",
    "border_worker": "Tarjeta de Visitante Trabajador Fronterizo",
    "none": "Sin documento migratorio",
}
assert tuple(DOCUMENT_NAMES) == DOCUMENTS, "every document of bot/vocabulary.py needs a name"
