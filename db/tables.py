"""Table definitions (SQLAlchemy Core). Every table holding personal data references
contacts.id with ON DELETE CASCADE, so deleting a contact deletes all of it."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def contact_fk(nullable: bool = False, cascade: bool = True) -> Column:
    return Column(
        "contact_id",
        Integer,
        ForeignKey("contacts.id", ondelete="CASCADE" if cascade else "SET NULL"),
        nullable=nullable,
        index=True,
    )


contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("language", String(8)),
    # Code from a deep link or QR poster ("/start albergue_tapachula"); the network's figures
    # and handoffs find an organization's people by it (db/organizations.py).
    Column("referral", String(64), index=True),
    # The user said STOP on WhatsApp, or blocked the Telegram bot: never message them first.
    Column("opted_out", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_inbound_at", DateTime(timezone=True)),
)

identities = Table(
    "identities",
    metadata,
    Column("id", Integer, primary_key=True),
    contact_fk(),
    Column("channel", String(16), nullable=False),
    # Telegram chat id, WhatsApp number ("whatsapp:+52..."), or a console name.
    Column("user_key", String(128), nullable=False),
    UniqueConstraint("channel", "user_key", name="uq_identities_channel_user"),
)

conversations = Table(
    "conversations",
    metadata,
    Column(
        "contact_id",
        Integer,
        ForeignKey("contacts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("state", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# External ids of inbound messages already handled: a redelivery finds its id here.
processed_messages = Table(
    "processed_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(16), nullable=False),
    Column("external_id", String(128), nullable=False),
    # Pruned after PROCESSED_IDS_DAYS (db.contacts.prune_processed).
    Column("processed_at", DateTime(timezone=True), nullable=False, index=True),
    UniqueConstraint("channel", "external_id", name="uq_processed_channel_external"),
)

# Daily counts without personal data: topics read, translation fallbacks, misses, errors.
counters = Table(
    "counters",
    metadata,
    Column("day", Date, primary_key=True),
    Column("name", String(32), primary_key=True),
    Column("key", String(160), primary_key=True),
    Column("count", Integer, nullable=False, default=0),
)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's include_object: skip what a migration built by hand and the metadata cannot
    describe (full-text tables and columns), named in metadata.info["unmanaged"] by the module
    that owns them ("table", "index" or "table.column")."""
    if not reflected or compare_to is not None:
        return True
    key = f"{obj.table.name}.{name}" if type_ == "column" else name  # type: ignore[attr-defined]
    return key not in metadata.info.get("unmanaged", ())


__all__ = [
    "JSON", "Text", "contacts", "conversations", "counters", "identities", "include_object", "metadata",
    "processed_messages",
]
