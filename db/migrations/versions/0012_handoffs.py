"""Conversations handed to a person and their messages (issue 16).

Revision ID: 0012_handoffs
Revises: 0011_turn_answers
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_handoffs"
down_revision = "0011_turn_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("topic", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("assigned_to", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_answer_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE",
                                name=op.f("fk_handoffs_contact_id_contacts")),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"], ondelete="SET NULL",
                                name=op.f("fk_handoffs_organization_id_organizations")),
        sa.ForeignKeyConstraint(["assigned_to"], ["staff_users.id"], ondelete="SET NULL",
                                name=op.f("fk_handoffs_assigned_to_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoffs")),
    )
    op.create_index(op.f("ix_handoffs_contact_id"), "handoffs", ["contact_id"])
    op.create_index(op.f("ix_handoffs_organization_id"), "handoffs", ["organization_id"])
    op.create_index(op.f("ix_handoffs_status"), "handoffs", ["status"])
    op.create_index(op.f("ix_handoffs_closed_at"), "handoffs", ["closed_at"])
    op.create_table(
        "handoff_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=8), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoffs.id"], ondelete="CASCADE",
                                name=op.f("fk_handoff_messages_handoff_id_handoffs")),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE",
                                name=op.f("fk_handoff_messages_contact_id_contacts")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"], ondelete="SET NULL",
                                name=op.f("fk_handoff_messages_staff_id_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_messages")),
    )
    op.create_index(op.f("ix_handoff_messages_handoff_id"), "handoff_messages", ["handoff_id"])
    op.create_index(op.f("ix_handoff_messages_contact_id"), "handoff_messages", ["contact_id"])


def downgrade() -> None:
    op.drop_table("handoff_messages")
    op.drop_table("handoffs")
