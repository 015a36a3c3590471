"""Channels: messages the bot sends first (alerts, staff replies) and their delivery status.

Revision ID: 0002_channels
Revises: 0003_registration
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_channels"
down_revision = "0003_registration"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbound_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(64)),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE",
                                name="fk_outbound_messages_contact_id_contacts"),
        sa.PrimaryKeyConstraint("id", name="pk_outbound_messages"),
    )
    op.create_index("ix_outbound_messages_contact_id", "outbound_messages", ["contact_id"])
    op.create_index("ix_outbound_messages_external_id", "outbound_messages", ["external_id"])


def downgrade() -> None:
    op.drop_table("outbound_messages")
