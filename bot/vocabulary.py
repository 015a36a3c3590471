"""Shared vocabulary between features: ids stored in slots and tables, never shown as such.

Profile slots: registration fills them, vacancy search reads them ("jobs for me",
"only jobs that accept my document"), so a user is not asked twice.
"""

from __future__ import annotations

# Migration documents (Ley de Migración; COMAR constancia for asylum applicants).
DOCUMENTS: tuple[str, ...] = (
    "tvrh",                # Tarjeta de Visitante por Razones Humanitarias
    "temporary_resident",  # Residente temporal
    "permanent_resident",  # Residente permanente
    "comar",               # Constancia de trámite de la COMAR (asylum applicant)
    "border_worker",       # Tarjeta de Visitante Trabajador Fronterizo
    "none",                # none yet
)

SLOT_TRADES = "profile_trades"      # list of trade ids of bot/nlu/data/occupations.yaml
SLOT_STATE = "profile_state"        # INEGI state code "01".."32"
SLOT_DOCUMENT = "profile_document"  # one of DOCUMENTS
