"""Admin pages for vacancies: staff mark users' reports on a vacancy as reviewed.

Revision ID: 0008_admin_pages
Revises: 0004_vacancies
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_admin_pages"
down_revision = "0004_vacancies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vacancy_flags") as batch:
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("vacancy_flags") as batch:
        batch.drop_column("reviewed_at")
