"""Who claimed an outbound message for sending (db/claimants.py): a claim whose process is gone
from this machine is taken at once instead of after its lease.

Revision ID: 0014_outbound_claimant
Revises: 0012_handoffs
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_outbound_claimant"
down_revision = "0012_handoffs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbound_messages") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("outbound_messages") as batch:
        batch.drop_column("claimed_by")
