"""The languages a staff account translates (a translator edits only these).

Revision ID: 0013_translator_languages
Revises: 0009c_unanswered
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_translator_languages"
down_revision = "0009c_unanswered"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("languages", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("languages")
