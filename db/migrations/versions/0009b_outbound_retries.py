"""Outbound messages are retried: how many tries, when the next one is due, the last error.

Revision ID: 0009b_outbound_retries
Revises: 0009_organizations
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009b_outbound_retries"
down_revision = "0009_organizations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbound_messages") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("last_error", sa.String(64)))
        batch.create_index("ix_outbound_messages_next_attempt_at", ["next_attempt_at"])


def downgrade() -> None:
    with op.batch_alter_table("outbound_messages") as batch:
        batch.drop_index("ix_outbound_messages_next_attempt_at")
        batch.drop_column("last_error")
        batch.drop_column("next_attempt_at")
        batch.drop_column("attempts")
