"""Every table of the application, for Alembic: importing a module registers its tables."""

import db.answers  # noqa: F401 - a turn's stored answer, for redeliveries
import db.admin  # noqa: F401 - staff users, sessions, content revisions
import db.audit  # noqa: F401 - registers its table
import db.handoffs  # noqa: F401 - conversations handed to a person, their messages
import db.job_queue  # noqa: F401 - the job queue's tables (PostgreSQL), left to procrastinate
import db.organizations  # noqa: F401 - registers its table
import db.outbound  # noqa: F401 - registers its table
import db.registrations  # noqa: F401 - registers its table
import db.unanswered  # noqa: F401 - messages the bot could not place, for staff
import db.vacancies.tables  # noqa: F401 - registers its tables
from db.tables import metadata

__all__ = ["metadata"]
