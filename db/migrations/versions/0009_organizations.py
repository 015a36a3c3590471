"""Partner organizations as tenants: staff accounts belong to one; referral codes name one.

Revision ID: 0009_organizations
Revises: 0008_admin_pages
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_organizations"
down_revision = "0008_admin_pages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("place", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organizations"),
        sa.UniqueConstraint("code", name="uq_organizations_code"),
    )
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("organization_id", sa.Integer()))
        batch.create_foreign_key("fk_staff_users_organization_id_organizations", "organizations",
                                 ["organization_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_staff_users_organization_id", ["organization_id"])


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_index("ix_staff_users_organization_id")
        batch.drop_constraint("fk_staff_users_organization_id_organizations", type_="foreignkey")
        batch.drop_column("organization_id")
    op.drop_table("organizations")
