"""The SNE's catalogue of education levels: the ids registrations store, the names the SNE reads.

Users read the translated labels of dialogs/registration.yaml instead.
"""

from __future__ import annotations

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
