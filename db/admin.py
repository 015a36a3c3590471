"""Tables of the staff web admin: staff accounts, their sessions, and content revisions.

No personal data of migrants here: staff logins are work accounts, revisions are content files."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table

from db.tables import metadata

ROLES = ("admin", "editor", "translator", "caseworker", "viewer")

staff_users = Table(
    "staff_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(64), nullable=False, unique=True),
    # argon2id hash (argon2-cffi's encoded form, parameters included).
    Column("password_hash", String(256), nullable=False),
    Column("role", String(16), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    # After repeated failed logins the account refuses every password until then.
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_login_at", DateTime(timezone=True)),
    # The partner organization the account works for (db/organizations.py); None: the network's
    # own staff (admins see every organization's work).
    Column("organization_id", Integer, ForeignKey("organizations.id", ondelete="SET NULL"), index=True),
    # The admin's language ("es", "en") and time zone (an IANA name) this person chose;
    # NULL: the browser's language (else Spanish) and America/Mexico_City.
    Column("language", String(8)),
    Column("time_zone", String(64)),
    # The bot's languages this person translates, space-separated ("ht fr"); a translator may
    # change translations of these only (bot/web/admin/pages/translations.py). NULL: none.
    Column("languages", String(64)),
)

# Server-side sessions: the cookie holds a random token, the table only its SHA-256, so a
# leaked database does not hand out live sessions. Deleting the row revokes the session.
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    # The simulator's throwaway conversation (state and transcript): never a real contact's.
    Column("simulator", JSON),
    # Filters of lists kept for this session only ({"registrations": {...}}), so that a name
    # searched for is never put in an address, yet the list is the same when staff come back.
    Column("filters", JSON),
)

# A content pack ({path: text}) per row. "draft" rows are the one working copy staff edit;
# "published" rows are immutable and the newest is what every worker runs.
content_revisions = Table(
    "content_revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("status", String(16), nullable=False),
    # Published revisions are numbered 1, 2, 3... in publishing order ("r3"); drafts have none.
    Column("number", Integer),
    Column("files", JSON, nullable=False),
    Column("digest", String(16), nullable=False),
    # The number of the published revision a draft started from, or the one a restore copied.
    Column("based_on", Integer),
    Column("created_by", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("message", String(300), nullable=False, default=""),
    # Workers ask "newest published number?" on every turn: this index answers it.
    Index("ix_content_revisions_number", "number", unique=True),
)
