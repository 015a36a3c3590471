"""«Delete my data»: what happens when a person confirms it, from any point of the chat.

The words are global commands (dialogs/system.yaml, `delete`); the engine asks "are you sure?"
(bot/engine/system.py) and, on yes, names the effect DELETE_EFFECT. The turn then runs
`delete_person` in the turn's transaction instead of saving the state: the contact row goes,
and every table with personal data cascades from it (`contact_fk` in db/tables.py: identities,
conversation state, registrations, alert subscriptions, alerted vacancies, outbound messages;
a vacancy report keeps no link to its reporter). Processed message ids hold no personal data.
tests/test_my_data.py checks that nothing is left in any table."""

from __future__ import annotations

from sqlalchemy import Connection

from db import contacts as contact_store


def delete_person(conn: Connection, contact_id: int) -> None:
    contact_store.delete_contact(conn, contact_id)
