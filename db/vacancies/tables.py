"""Vacancy tables: offers, the documents each accepts, search words, alert subscriptions,
alerts sent and users' reports. Full-text indexes are created by the migration (see
db/vacancies/full_text.py), because the metadata cannot describe them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from db.tables import contact_fk, metadata

vacancies = Table(
    "vacancies",
    metadata,
    Column("id", Integer, primary_key=True),
    # Who published it ("sne", "sample", a partner's code) and their own id for it.
    Column("source", String(32), nullable=False),
    Column("external_id", String(64), nullable=False),
    Column("title", String(160), nullable=False),
    Column("employer", String(160), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("state", String(2), nullable=False),  # INEGI code "01".."32"
    Column("municipality", String(100)),
    Column("sinco", String(4)),  # SINCO 2019 code: a division ("7") or finer ("712")
    Column("salary_min", Numeric(10, 2)),
    Column("salary_max", Numeric(10, 2)),
    Column("salary_period", String(12)),  # hour, day, week, fortnight, month
    Column("schedule", String(200)),
    Column("requirements", Text, nullable=False, default=""),
    Column("how_to_apply", Text, nullable=False),
    # Shown with the offer ("sample data", "via SNE Chiapas").
    Column("note", String(300)),
    # Words for the full-text index: state, city, SINCO group, documents, trades (facets.py).
    Column("facets", Text, nullable=False, default=""),
    Column("published_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source", "external_id", name="uq_vacancies_source_external"),
    Index("ix_vacancies_created", "created_at"),
)

# Migration documents (bot.profile.DOCUMENTS) the employer says they accept.
vacancy_documents = Table(
    "vacancy_documents",
    metadata,
    Column("vacancy_id", Integer, ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
    Column("document", String(24), primary_key=True),
    Index("ix_vacancy_documents_document", "document", "vacancy_id"),
)

# Every word of every vacancy text, normalised: a typo is corrected towards a word that exists.
vacancy_words = Table(
    "vacancy_words",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("word", String(40), nullable=False),
    UniqueConstraint("word", name="uq_vacancy_words_word"),
)

# A saved search: new vacancies that match it are sent to the user.
vacancy_alerts = Table(
    "vacancy_alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    contact_fk(),
    Column("query", JSON, nullable=False),
    # The query as canonical JSON, so the same search is not saved twice.
    Column("query_key", String(400), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_sent_at", DateTime(timezone=True)),
    UniqueConstraint("contact_id", "query_key", name="uq_vacancy_alerts_contact_query"),
)

# One row per vacancy and user ever alerted: "claimed" while sending, then "sent".
vacancy_alerts_sent = Table(
    "vacancy_alerts_sent",
    metadata,
    Column("id", Integer, primary_key=True),
    contact_fk(),
    Column("vacancy_id", Integer, ForeignKey("vacancies.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(12), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("contact_id", "vacancy_id", name="uq_vacancy_alerts_sent_contact_vacancy"),
)

# A user's report that an offer asks for money or looks like fraud. The reporter is kept only
# to count one report per person; deleting their data keeps the report, without them.
vacancy_flags = Table(
    "vacancy_flags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("vacancy_id", Integer, ForeignKey("vacancies.id", ondelete="CASCADE"), nullable=False, index=True),
    contact_fk(nullable=True, cascade=False),
    Column("reason", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Set when staff looked at the report (web admin); who did is in the audit log.
    Column("reviewed_at", DateTime(timezone=True)),
    UniqueConstraint("vacancy_id", "contact_id", name="uq_vacancy_flags_vacancy_contact"),
)

# Created by hand in the migration (db/vacancies/full_text.py): not compared by Alembic.
metadata.info.setdefault("unmanaged", set()).update({
    "vacancies_fts", "vacancies_fts_data", "vacancies_fts_idx", "vacancies_fts_docsize",
    "vacancies_fts_config", "vacancies.search_vector", "ix_vacancies_search_vector",
})

__all__ = [
    "vacancies", "vacancy_alerts", "vacancy_alerts_sent", "vacancy_documents", "vacancy_flags",
    "vacancy_words",
]
