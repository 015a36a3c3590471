"""Messages the bot could not place, masked, kept 30 days for staff (issue 15).

Revision ID: 0009c_unanswered
Revises: 0010b_referral_index
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009c_unanswered"
down_revision = "0010b_referral_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unanswered_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("step", sa.String(length=80), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("topic", sa.String(length=80), nullable=True),
        sa.Column("added_to", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE",
                                name=op.f("fk_unanswered_messages_contact_id_contacts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unanswered_messages")),
    )
    op.create_index(op.f("ix_unanswered_messages_contact_id"), "unanswered_messages", ["contact_id"])
    op.create_index(op.f("ix_unanswered_messages_created_at"), "unanswered_messages", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_unanswered_messages_created_at"), table_name="unanswered_messages")
    op.drop_index(op.f("ix_unanswered_messages_contact_id"), table_name="unanswered_messages")
    op.drop_table("unanswered_messages")
