"""The job queue's tables on PostgreSQL (procrastinate's schema, read from the installed package;
db/job_queue.py). SQLite runs the same tasks in process and needs no table.

Revision ID: 0009b_job_queue
Revises: 0009b_outbound_retries
Create Date: 2026-12-02
"""

from alembic import op

from db import job_queue

revision = "0009b_job_queue"
down_revision = "0009b_outbound_retries"
branch_labels = None
depends_on = None

# The procrastinate version whose schema this revision creates. A later version ships SQL
# migrations (procrastinate/sql/migrations/<version>_*.sql): upgrading the pin needs a new
# revision that runs job_queue.apply_migrations(connection, "3.10.0") (tests/test_job_queue.py
# fails until it exists).
SCHEMA_VERSION = "3.10.0"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        job_queue.apply_schema(bind, SCHEMA_VERSION)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        job_queue.drop_schema(bind)
