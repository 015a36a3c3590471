"""Vacancies: offers with full-text search, accepted documents, search words, alerts, reports.

SQLite: an FTS5 external-content table kept in sync by triggers. `detail=column` keeps which
column a word is in but not its position: smaller and faster, and phrases are not needed (trade
names are matched when an offer is stored: facets).
PostgreSQL: a stored tsvector (Spanish stemming after `unaccent`) with a GIN index.

Revision ID: 0004_vacancies
Revises: 0002_channels
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_vacancies"
down_revision = "0002_channels"
branch_labels = None
depends_on = None

FTS_COLUMNS = "title, employer, municipality, description, requirements, facets"

SQLITE_FTS = [
    f"""CREATE VIRTUAL TABLE vacancies_fts USING fts5(
        {FTS_COLUMNS},
        content='vacancies', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2',
        detail='column'
    )""",
    f"""CREATE TRIGGER vacancies_fts_insert AFTER INSERT ON vacancies BEGIN
        INSERT INTO vacancies_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.employer, new.municipality, new.description, new.requirements, new.facets);
    END""",
    f"""CREATE TRIGGER vacancies_fts_delete AFTER DELETE ON vacancies BEGIN
        INSERT INTO vacancies_fts(vacancies_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.employer, old.municipality, old.description, old.requirements, old.facets);
    END""",
    f"""CREATE TRIGGER vacancies_fts_update AFTER UPDATE OF {FTS_COLUMNS} ON vacancies BEGIN
        INSERT INTO vacancies_fts(vacancies_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.id, old.title, old.employer, old.municipality, old.description, old.requirements, old.facets);
        INSERT INTO vacancies_fts(rowid, {FTS_COLUMNS})
        VALUES (new.id, new.title, new.employer, new.municipality, new.description, new.requirements, new.facets);
    END""",
]

POSTGRES_FTS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # Spanish stemming ("cocineros" -> "cocin") after removing accents ("albañil" -> "albanil").
    "CREATE TEXT SEARCH CONFIGURATION puente_es (COPY = pg_catalog.spanish)",
    "ALTER TEXT SEARCH CONFIGURATION puente_es ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, spanish_stem",
    """ALTER TABLE vacancies ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('puente_es'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('puente_es'::regconfig,
                  coalesce(employer, '') || ' ' || coalesce(municipality, '')), 'B') ||
        setweight(to_tsvector('puente_es'::regconfig,
                  coalesce(description, '') || ' ' || coalesce(requirements, '')), 'C') ||
        setweight(to_tsvector('puente_es'::regconfig, facets), 'D')
    ) STORED""",
    "CREATE INDEX ix_vacancies_search_vector ON vacancies USING gin (search_vector)",
]


def upgrade() -> None:
    op.create_table(
        "vacancies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(160), nullable=False),
        sa.Column("employer", sa.String(160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("municipality", sa.String(100)),
        sa.Column("sinco", sa.String(4)),
        sa.Column("salary_min", sa.Numeric(10, 2)),
        sa.Column("salary_max", sa.Numeric(10, 2)),
        sa.Column("salary_period", sa.String(12)),
        sa.Column("schedule", sa.String(200)),
        sa.Column("requirements", sa.Text(), nullable=False),
        sa.Column("how_to_apply", sa.Text(), nullable=False),
        sa.Column("note", sa.String(300)),
        sa.Column("facets", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vacancies"),
        sa.UniqueConstraint("source", "external_id", name="uq_vacancies_source_external"),
    )
    op.create_index("ix_vacancies_created", "vacancies", ["created_at"])

    op.create_table(
        "vacancy_documents",
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(24), nullable=False),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancies.id"], ondelete="CASCADE",
                                name="fk_vacancy_documents_vacancy_id_vacancies"),
        sa.PrimaryKeyConstraint("vacancy_id", "document", name="pk_vacancy_documents"),
    )
    op.create_index("ix_vacancy_documents_document", "vacancy_documents", ["document", "vacancy_id"])

    op.create_table(
        "vacancy_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vacancy_words"),
        sa.UniqueConstraint("word", name="uq_vacancy_words_word"),
    )

    op.create_table(
        "vacancy_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("query_key", sa.String(400), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE",
                                name="fk_vacancy_alerts_contact_id_contacts"),
        sa.PrimaryKeyConstraint("id", name="pk_vacancy_alerts"),
        sa.UniqueConstraint("contact_id", "query_key", name="uq_vacancy_alerts_contact_query"),
    )
    op.create_index("ix_vacancy_alerts_contact_id", "vacancy_alerts", ["contact_id"])

    op.create_table(
        "vacancy_alerts_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE",
                                name="fk_vacancy_alerts_sent_contact_id_contacts"),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancies.id"], ondelete="CASCADE",
                                name="fk_vacancy_alerts_sent_vacancy_id_vacancies"),
        sa.PrimaryKeyConstraint("id", name="pk_vacancy_alerts_sent"),
        sa.UniqueConstraint("contact_id", "vacancy_id", name="uq_vacancy_alerts_sent_contact_vacancy"),
    )
    op.create_index("ix_vacancy_alerts_sent_contact_id", "vacancy_alerts_sent", ["contact_id"])

    op.create_table(
        "vacancy_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer()),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["vacancy_id"], ["vacancies.id"], ondelete="CASCADE",
                                name="fk_vacancy_flags_vacancy_id_vacancies"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="SET NULL",
                                name="fk_vacancy_flags_contact_id_contacts"),
        sa.PrimaryKeyConstraint("id", name="pk_vacancy_flags"),
        sa.UniqueConstraint("vacancy_id", "contact_id", name="uq_vacancy_flags_vacancy_contact"),
    )
    op.create_index("ix_vacancy_flags_vacancy_id", "vacancy_flags", ["vacancy_id"])
    op.create_index("ix_vacancy_flags_contact_id", "vacancy_flags", ["contact_id"])

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS vacancies_fts")
    for table in ("vacancy_flags", "vacancy_alerts_sent", "vacancy_alerts", "vacancy_words",
                  "vacancy_documents", "vacancies"):
        op.drop_table(table)
    if dialect != "sqlite":
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS puente_es")
