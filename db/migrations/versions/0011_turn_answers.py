"""A turn's stored answer (issue 14): a redelivered update is answered again from it.

Revision ID: 0011_turn_answers
Revises: 0013_translator_languages (chained after it: main gained it while this was built; one head)
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_turn_answers"
down_revision = "0013_translator_languages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "turn_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("replies", sa.JSON(), nullable=False),
        sa.Column("outbound", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE",
                                name=op.f("fk_turn_answers_contact_id_contacts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turn_answers")),
        sa.UniqueConstraint("channel", "external_id", name="uq_turn_answers_channel_external"),
    )
    op.create_index(op.f("ix_turn_answers_contact_id"), "turn_answers", ["contact_id"])
    op.create_index(op.f("ix_turn_answers_created_at"), "turn_answers", ["created_at"])
    op.create_index(op.f("ix_processed_messages_processed_at"), "processed_messages", ["processed_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_processed_messages_processed_at"), table_name="processed_messages")
    op.drop_table("turn_answers")
