"""People are found by their referral code: the organization's figures, its first handoffs, and
whether a code may still change (db/organizations.py).

Revision ID: 0010b_referral_index
Revises: 0009d_staff_preferences
Create Date: 2026-12-06
"""

from alembic import op

revision = "0010b_referral_index"
down_revision = "0009d_staff_preferences"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contacts_referral", "contacts", ["referral"])


def downgrade() -> None:
    op.drop_index("ix_contacts_referral", table_name="contacts")
