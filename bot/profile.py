"""A person's profile, shared by features: the slots registration fills and others read, and
the migration documents.

Registration fills the profile slots; vacancy search ("jobs for me", "only jobs that accept my
document"), the support directory and "my data" read them, so a user is not asked twice. Ids are
what slots and tables store, never shown as such.
"""

from __future__ import annotations

# Migration documents (Ley de Migración; COMAR constancia for asylum applicants), by id, with
# their official Spanish names (what exports and staff pages show).
DOCUMENT_NAMES: dict[str, str] = {
    "tvrh": "Tarjeta de Visitante por Razones Humanitarias",
    "temporary_resident": "Residente temporal",
    "permanent_resident": "Residente permanente",
    "comar": "Constancia de trámite de la COMAR",  # asylum applicant
    "border_worker": "Tarjeta de Visitante Trabajador Fronterizo",
    "none": "Sin documento migratorio",  # none yet
}
DOCUMENTS: tuple[str, ...] = tuple(DOCUMENT_NAMES)

SLOT_TRADES = "profile_trades"      # list of trade ids of bot/nlu/data/occupations.yaml
SLOT_STATE = "profile_state"        # INEGI state code "01".."32"
SLOT_DOCUMENT = "profile_document"  # one of DOCUMENTS
