"""SNE registrations: one per contact, with the accepted privacy notice version and time.

Revision ID: 0003_registration
Revises: 0006_admin
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_registration"
down_revision = "0006_admin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(120), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("nationality", sa.String(2), nullable=False),
        sa.Column("document", sa.String(32), nullable=False),
        sa.Column("curp", sa.String(18)),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("municipality", sa.String(120), nullable=False),
        sa.Column("education", sa.String(32), nullable=False),
        sa.Column("trades", sa.JSON(), nullable=False),
        sa.Column("sinco", sa.JSON(), nullable=False),
        sa.Column("occupation_text", sa.String(200), nullable=False),
        sa.Column("experience_years", sa.Integer(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("willing_to_relocate", sa.Boolean(), nullable=False),
        sa.Column("chat_language", sa.String(8), nullable=False),
        sa.Column("consent_version", sa.String(32), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE",
                                name="fk_registrations_contact_id_contacts"),
        sa.PrimaryKeyConstraint("id", name="pk_registrations"),
        sa.UniqueConstraint("contact_id", name="uq_registrations_contact_id"),
    )
    op.create_index("ix_registrations_contact_id", "registrations", ["contact_id"])
    op.create_index("ix_registrations_state", "registrations", ["state"])
    op.create_index("ix_registrations_updated_at", "registrations", ["updated_at"])


def downgrade() -> None:
    op.drop_table("registrations")
