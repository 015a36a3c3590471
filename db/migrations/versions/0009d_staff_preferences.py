"""Staff preferences: each account's admin language and time zone; a session's list filters.

Revision ID: 0009d_staff_preferences
Revises: 0009b_job_queue
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009d_staff_preferences"
down_revision = "0009b_job_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("language", sa.String(8)))
        batch.add_column(sa.Column("time_zone", sa.String(64)))
    with op.batch_alter_table("staff_sessions") as batch:
        batch.add_column(sa.Column("filters", sa.JSON()))


def downgrade() -> None:
    with op.batch_alter_table("staff_sessions") as batch:
        batch.drop_column("filters")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("time_zone")
        batch.drop_column("language")
